//! The timeline's carrier: a scenario's `[[timeline]]` entry holds an action as its `do` verb and
//! values, `action = { do = "temperature", value = 1.2 }`. The scene's family reads it into its own
//! verb type ([`super::Family::Verb`]), so this module knows no family, and a family's verbs and
//! their values live in its folder. An action a family does not have is refused with a message
//! naming the action, the family and the actions it has.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A family's timeline verbs: an enum tagged by `do` in kebab-case (serde), with a description.
pub trait TimelineVerb: Serialize + DeserializeOwned + std::fmt::Debug + Clone {
    /// A short description for the status bar and run logs, e.g. "cue pattern 2 with 30 % flipped".
    fn describe(&self) -> String;
    /// Checks the verb's own values (a flip in [0, 1], a temperature ≥ 0), naming the value.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Something a timeline does to a running scene, as written in the scenario file: its `do` verb
/// and values. The scene's family gives it meaning ([`Action::read`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Action(toml::Table);

impl Action {
    /// The action a family's verb writes.
    pub fn new<V: TimelineVerb>(verb: &V) -> Self {
        Self(toml::Table::try_from(verb).expect("a verb enum tagged by `do` serialises to a table"))
    }

    /// The `do` value ("" when missing).
    pub fn verb(&self) -> &str {
        self.0.get("do").and_then(toml::Value::as_str).unwrap_or("")
    }

    /// The action as verb `V` of `family`, with its values checked; an action the family does not
    /// have is refused by name, with the family's own actions listed.
    pub fn read<V: TimelineVerb>(&self, family: &str) -> Result<V, String> {
        let verb = self.verb();
        if verb.is_empty() {
            return Err("a timeline action needs `do = \"...\"` naming what it does".into());
        }
        let read: V = toml::Value::Table(self.0.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                let message = e.message().trim().replace('\n', " ");
                let unknown = format!("unknown variant `{verb}`");
                match message.strip_prefix(&unknown) {
                    Some(rest) => format!(
                        "the timeline action `{verb}` does not apply to a {family} scene ({})",
                        rest.trim_start_matches([',', ' '])
                    ),
                    None => format!("action `{verb}`: {message}"),
                }
            })?;
        read.check()
            .map_err(|e| format!("action `{}`: {e}", read.describe()))?;
        Ok(read)
    }

    /// The action described in the words of verb `V` (as written when it is not one of them).
    pub fn describe_as<V: TimelineVerb>(&self) -> String {
        self.read::<V>("")
            .map_or_else(|_| self.describe_as_written(), |verb| verb.describe())
    }

    /// The verb and its values as written.
    fn describe_as_written(&self) -> String {
        let values: Vec<String> = self
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "do")
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        if values.is_empty() {
            self.verb().to_string()
        } else {
            format!("{} ({})", self.verb(), values.join(", "))
        }
    }
}

/// The description of a cue of stored pattern `pattern` (shown 1-based) with a fraction `flip` of
/// its bits flipped.
pub fn describe_cue(pattern: usize, flip: f64) -> String {
    if flip == 0.0 {
        format!("cue pattern {}", pattern + 1)
    } else {
        format!("cue pattern {} with {:.0} % flipped", pattern + 1, flip * 100.0)
    }
}

/// Checks a cue's fraction of flipped bits: in [0, 1].
pub fn check_flip(flip: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&flip) {
        Ok(())
    } else {
        Err(format!("flip must be in [0, 1], not {flip}"))
    }
}

/// Checks a temperature: finite and ≥ 0.
pub fn check_temperature(value: f64) -> Result<(), String> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(format!("temperature must be ≥ 0, not {value}"))
    }
}
