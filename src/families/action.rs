//! The timeline vocabulary: what a scenario's `[[timeline]]` entries may do. Each family turns the
//! actions it understands into its own command ([`super::Family::action`]) and refuses the others
//! with a message naming the action and the family.

use serde::{Deserialize, Serialize};

use super::hopfield::{HopfieldUpdate, model::LearningRule};

/// Something a timeline does to a running scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Cue stored pattern `pattern` (index) with a fraction `flip` of its bits flipped.
    Cue {
        /// Index of the stored pattern.
        pattern: usize,
        /// Fraction of bits flipped, in [0, 1].
        flip: f64,
    },
    /// Start from a random state.
    RandomState,
    /// Every neuron at its rate without input (a quiet network; rate scenes).
    QuietState,
    /// A novel input, stored nowhere, for the scene's cue length (rate scenes).
    Novel,
    /// Set the Glauber temperature.
    Temperature {
        /// The new temperature T.
        value: f64,
    },
    /// Change the learning rule.
    Rule {
        /// The new rule.
        rule: LearningRule,
    },
    /// Change the update (classical or dense).
    Update {
        /// The new update.
        update: HopfieldUpdate,
    },
    /// Store the current state as a new pattern.
    StoreState,
    /// Clamp units to evidence (sampling scenes): one character per unit, `1`, `0` or `?` (free);
    /// an empty string frees every unit.
    Evidence {
        /// The clamp, e.g. `"1??0?"`.
        clamp: String,
    },
    /// Switch STDP on or off in a spiking scene.
    Stdp {
        /// On or off.
        on: bool,
        /// Amplitudes, time constants and bound (default: `StdpParams::default()`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<crate::families::spiking::model::StdpParams>,
    },
}

impl Action {
    /// Checks the action's own values (a flip in [0, 1], a temperature ≥ 0, a valid dense update).
    pub fn check_values(&self) -> Result<(), String> {
        match self {
            Action::Cue { flip, .. } if !(0.0..=1.0).contains(flip) => {
                Err(format!("flip must be in [0, 1], not {flip}"))
            }
            Action::Temperature { value } if !(value.is_finite() && *value >= 0.0) => {
                Err(format!("temperature must be ≥ 0, not {value}"))
            }
            Action::Update {
                update: HopfieldUpdate::Dense(dense),
            } => dense.validate().map_err(|e| format!("update {dense}: {e}")),
            _ => Ok(()),
        }
    }

    /// A short description for the status bar.
    pub fn describe(&self) -> String {
        match self {
            Action::Cue { pattern, flip } if *flip == 0.0 => format!("cue pattern {}", pattern + 1),
            Action::Cue { pattern, flip } => {
                format!("cue pattern {} with {:.0} % flipped", pattern + 1, flip * 100.0)
            }
            Action::RandomState => "random state".into(),
            Action::QuietState => "quiet state".into(),
            Action::Novel => "novel input".into(),
            Action::Temperature { value } => format!("temperature T = {value}"),
            Action::Rule { rule } => format!("learning rule {rule}"),
            Action::Update { update } => format!("update {update}"),
            Action::StoreState => "store the current state".into(),
            Action::Evidence { clamp } if clamp.is_empty() => "no evidence".into(),
            Action::Evidence { clamp } => format!("evidence {clamp}"),
            Action::Stdp { on, .. } => format!("STDP {}", if *on { "on" } else { "off" }),
        }
    }
}

/// The error for an action a family does not carry out.
pub fn not_for(action: &Action, family: &str) -> String {
    format!(
        "the timeline action `{}` does not apply to a {family} scene",
        action.describe()
    )
}
