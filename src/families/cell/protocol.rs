//! What defines, commands and shows a neuron-lab scene: setup, commands, info, frames, timeline verbs.

use super::model::{AdexPreset, CellKind, CellParams, FiPoint, PhasePlane, Stimulus};

/// Everything that defines a neuron-lab scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellSetup {
    /// The model and the parameters of every model.
    #[serde(default)]
    pub params: CellParams,
    /// The current protocol.
    #[serde(default)]
    pub stimulus: Stimulus,
    /// Integration step, in ms.
    #[serde(default = "default_dt_ms")]
    pub dt_ms: f64,
    /// Seed of the noise.
    pub seed: u64,
}

fn default_dt_ms() -> f64 {
    0.01
}

impl Default for CellSetup {
    fn default() -> Self {
        Self {
            params: CellParams::default(),
            stimulus: Stimulus::default(),
            dt_ms: default_dt_ms(),
            seed: 1,
        }
    }
}

/// What the app or a timeline asks of a running neuron-lab scene.
#[derive(Debug, Clone, PartialEq)]
pub enum CellCommand {
    /// New parameters (another model starts at rest).
    SetParams(Box<CellParams>),
    /// A new current protocol.
    SetStimulus(Stimulus),
    /// A new stimulus amplitude (the rest of the protocol kept).
    SetAmplitude(f64),
    /// Another model (it starts at rest).
    SetKind(CellKind),
    /// An AdEx preset of Naud et al. (2008) with its step current.
    Preset(AdexPreset),
    /// Back to rest (time goes on).
    Rest,
}

/// The f-I curve of one model, relative to its rheobase.
#[derive(Debug, Clone, PartialEq)]
pub struct FiCurve {
    /// The model.
    pub kind: CellKind,
    /// Its rheobase for repetitive firing from rest, in its current unit.
    pub rheobase: f64,
    /// The points.
    pub points: Vec<FiPoint>,
}

/// What the views need of a neuron-lab scene; sent when it is built or its settings change.
#[derive(Debug, Clone)]
pub struct CellInfo {
    /// The setup with the current settings.
    pub setup: CellSetup,
    /// The setup the scene was built with (restore marks).
    pub preset_setup: CellSetup,
    /// The phase plane at the stimulus's plateau current (baseline + amplitude).
    pub phase: PhasePlane,
    /// The current the phase plane is drawn at.
    pub phase_current: f64,
    /// The f-I curves of the four models, with the current parameters.
    pub fi_curves: Vec<FiCurve>,
    /// The Hodgkin-Huxley resting state's largest eigenvalue real part at the phase current, per ms.
    pub hh_growth_per_ms: Option<f64>,
}

/// Neuron-lab data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct CellFrame {
    /// Sample times, in ms.
    pub times_ms: Vec<f64>,
    /// Membrane potential, in mV (an integrate-and-fire spike is drawn as a sample at V_peak).
    pub v_mv: Vec<f32>,
    /// Slow variable: n (HH) or w in pA.
    pub slow: Vec<f32>,
    /// Gates m, h, n of a Hodgkin-Huxley neuron (empty otherwise).
    pub gates: Vec<[f32; 3]>,
    /// Input current.
    pub current: Vec<f32>,
    /// Spike times, in ms.
    pub spikes_ms: Vec<f64>,
}

/// What a neuron-lab scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CellVerb {
    /// Set the stimulus amplitude (the model's current unit).
    Amplitude {
        /// The new amplitude.
        value: f64,
    },
    /// Switch to another model (it starts at rest).
    Model {
        /// "hodgkin-huxley", "adex", "eif" or "lif".
        kind: CellKind,
    },
    /// An AdEx firing-pattern preset with its step current.
    Preset {
        /// "tonic", "adapting", "initial-burst" or "bursting".
        preset: AdexPreset,
    },
    /// Back to rest.
    Rest,
}

impl crate::families::TimelineVerb for CellVerb {
    fn describe(&self) -> String {
        match self {
            Self::Amplitude { value } => format!("input amplitude {value}"),
            Self::Model { kind } => format!("model {}", kind.label()),
            Self::Preset { preset } => format!("AdEx preset {}", preset.label()),
            Self::Rest => "back to rest".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Amplitude { value } if !(value.is_finite() && value.abs() <= 1e6) => {
                Err(format!("amplitude must be a number of at most 1e6, not {value}"))
            }
            _ => Ok(()),
        }
    }
}
