//! Scenario files: a scene, how long to run it, and a timeline of actions, as TOML.
//!
//! ```toml
//! format = 1
//! name = "Pattern completion"
//! description = "Five letters are stored ..."
//! duration = 20.0            # in the scene's time unit: sweeps (Hopfield) or ms (spiking)
//!
//! [scene]
//! model = "hopfield"
//! rule = "hebb"
//! temperature = 0.0
//! cue_pattern = 0
//! cue_flip = 0.3
//! seed = 1
//! update = { kind = "classical" }
//! patterns = { kind = "builtin", set = "letters", labels = ["A", "E", "H", "K", "S"] }
//!
//! [[timeline]]
//! at = 10.0
//! action = { do = "temperature", value = 1.2 }   # each family has its verbs (HopfieldVerb, ...)
//! say = "Now the temperature rises: watch the overlap melt."   # optional, shown to the class
//! ```

use serde::{Deserialize, Serialize};

pub use crate::families::Action;
use crate::families::SceneSetup;

/// The scenario format this build reads and writes.
pub const FORMAT: u32 = 1;

/// A scenario: a scene, a duration and a timeline of actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// File format version (currently 1).
    pub format: u32,
    /// Name shown in the preset menu.
    pub name: String,
    /// Two or three sentences shown with the scene.
    pub description: String,
    /// How long a headless run lasts, in the scene's time unit (sweeps or ms).
    #[serde(default)]
    pub duration: Option<f64>,
    /// The scene.
    pub scene: SceneSetup,
    /// Actions at given times, in the scene's time unit.
    #[serde(default)]
    pub timeline: Vec<TimedAction>,
}

/// An action at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    /// When, in the scene's time unit (sweeps or ms).
    pub at: f64,
    /// What happens.
    pub action: Action,
    /// A sentence for the class, shown prominently when the step happens ("now the temperature
    /// rises past T = 1: watch the overlap melt").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub say: Option<String>,
}

/// Why a scenario file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The text is not valid TOML or does not match the schema.
    #[error("{file}: {message}")]
    Syntax {
        /// The file name, for the message.
        file: String,
        /// What is wrong, with line and column.
        message: String,
    },
    /// The file is of a format this build does not know.
    #[error("{file}: line {line}: format {found} is not supported (this build reads format {FORMAT})")]
    Format {
        /// The file name.
        file: String,
        /// The line of the `format` key.
        line: usize,
        /// The format found.
        found: i64,
    },
    /// A value is out of its valid range.
    #[error("{file}: {message}")]
    Invalid {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
}

impl Scenario {
    /// Parses a scenario from TOML text; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, ScenarioError> {
        // The version first: a newer file may have fields this build does not know, and saying
        // "format 2 is not supported" helps more than "unknown field".
        if let Ok(table) = text.parse::<toml::Table>()
            && let Some(found) = table.get("format").and_then(toml::Value::as_integer)
            && found != i64::from(FORMAT)
        {
            return Err(ScenarioError::Format {
                file: file.to_string(),
                line: format_line(text),
                found,
            });
        }
        let scenario: Scenario = toml::from_str(text).map_err(|e| ScenarioError::Syntax {
            file: file.to_string(),
            message: describe_toml_error(text, &e),
        })?;
        if scenario.format != FORMAT {
            return Err(ScenarioError::Format {
                file: file.to_string(),
                line: format_line(text),
                found: scenario.format.into(),
            });
        }
        scenario
            // The text is read for the entries' lines only when one is refused.
            .validate(|k| action_lines(text).get(k).copied())
            .map_err(|message| ScenarioError::Invalid {
                file: file.to_string(),
                message,
            })?;
        Ok(scenario)
    }

    /// The scenario as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# could not serialise: {e}\n"))
    }

    /// Checks durations, times and each timeline action against the scene's family; `line_of(k)`
    /// is the line of entry k's action, named in its error when known.
    fn validate(&self, line_of: impl Fn(usize) -> Option<usize>) -> Result<(), String> {
        if let Some(d) = self.duration {
            check_duration(d)?;
        }
        for (k, step) in self.timeline.iter().enumerate() {
            if !(step.at.is_finite() && step.at >= 0.0) {
                return Err(format!(
                    "timeline entry {}: `at` must be a time ≥ 0, not {}",
                    k + 1,
                    step.at
                ));
            }
            self.scene
                .check_action(&step.action)
                .map_err(|e| match line_of(k) {
                    Some(line) => format!("line {line}: timeline entry {}: {e}", k + 1),
                    None => format!("timeline entry {}: {e}", k + 1),
                })?;
        }
        self.scene.validate()?;
        Ok(())
    }
}

/// The longest run a scenario or `engram run --duration` may ask for, in sweeps or ms.
pub const MAX_DURATION: f64 = 1.0e7;

/// Checks a run duration (sweeps or ms): positive, finite and at most [`MAX_DURATION`].
pub fn check_duration(duration: f64) -> Result<(), String> {
    if !(duration.is_finite() && duration > 0.0) {
        return Err(format!("duration must be a positive number, not {duration}"));
    }
    if duration > MAX_DURATION {
        return Err(format!(
            "duration {duration:e} is longer than engram runs (at most {MAX_DURATION:e} sweeps or ms)"
        ));
    }
    Ok(())
}

/// The line of each timeline entry's `action`, in order (empty if the text cannot be read so).
fn action_lines(text: &str) -> Vec<usize> {
    #[derive(Deserialize)]
    struct Entry {
        action: toml::Spanned<toml::Value>,
    }
    #[derive(Deserialize)]
    struct Timeline {
        #[serde(default)]
        timeline: Vec<Entry>,
    }
    let Ok(timeline) = toml::from_str::<Timeline>(text) else {
        return Vec::new();
    };
    timeline
        .timeline
        .iter()
        .map(|entry| {
            let start = entry.action.span().start.min(text.len());
            text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() + 1
        })
        .collect()
}

/// The line of the top-level `format = ...` key (1 if it cannot be found).
fn format_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix("format")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// A TOML error with its line number, on one line.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    let Some(span) = error.span() else {
        return message;
    };
    let start = span.start.min(text.len());
    // Errors inside tagged tables (the scene, a timeline action) point at the table's header:
    // look through to the next header for the unknown name or bad value the message quotes.
    let next_header = text.as_bytes()[start..]
        .windows(2)
        .skip(1)
        .position(|w| w == b"\n[")
        .map_or(text.len(), |i| start + i + 2);
    let end = span.end.max(next_header).clamp(start, text.len());
    let at = quoted_name(&message)
        .and_then(|name| find_word(&text.as_bytes()[start..end], name.as_bytes()))
        .map_or(start, |offset| start + offset);
    let line = text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("line {line}: {message}")
}

/// The name or value an "unknown ..." or "invalid ..." message quotes between backticks.
fn quoted_name(message: &str) -> Option<&str> {
    if !(message.starts_with("unknown ") || message.starts_with("invalid ")) {
        return None;
    }
    message.split('`').nth(1).filter(|name| !name.is_empty())
}

/// Where `word` first occurs in `haystack` as a whole name (not part of a longer one).
fn find_word(haystack: &[u8], word: &[u8]) -> Option<usize> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    haystack.windows(word.len()).enumerate().find_map(|(i, w)| {
        let before = i.checked_sub(1).map(|j| haystack[j]);
        let after = haystack.get(i + word.len()).copied();
        (w == word && !before.is_some_and(is_name) && !after.is_some_and(is_name)).then_some(i)
    })
}

/// The scenarios shipped in `assets/scenarios/`, by file name without `.toml`, in the order of the
/// registry (each family names its own in [`crate::families::Family::SCENARIOS`]).
pub fn builtin() -> Vec<(String, Scenario)> {
    builtin_texts()
        .into_iter()
        .filter_map(|(name, text)| Scenario::parse(text, name).ok().map(|s| (name.to_string(), s)))
        .collect()
}

/// The text of every shipped scenario: `(name, TOML)`.
pub fn builtin_texts() -> Vec<(&'static str, &'static str)> {
    crate::families::builtin_scenario_texts()
}
