//! Sessions: a whole run saved as one file (scenario and its timeline position, current parameters,
//! stored patterns, weights including those STDP learned, network state and random number
//! generators), so that opening it continues the same run, bit for bit.
//!
//! A session file is, in this order:
//!
//! 1. the line `engram session` (the magic that identifies the file);
//! 2. one line of JSON, the [`SessionHeader`]: `format` (this build reads and writes [`FORMAT`]),
//!    the engram version that wrote it, the model, scenario name and simulated time, and the length
//!    and FNV-1a 64 checksum of the payload (`head -2 file.engram` shows it);
//! 3. the payload: a [`Session`] in CBOR, with big arrays (weights, potentials, delay buffers) as
//!    little-endian byte strings so that millions of synapses save and open in a fraction of a second.
//!
//! Files are written atomically ([`crate::files::write_atomically`]). Reading checks the magic, the
//! format, the length and the checksum before decoding, and restoring checks every length and value,
//! so a wrong, truncated or damaged file gives an error that names the file and the problem.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::families::{EngineLimits, Scene, SceneState};
use crate::scenario::Scenario;

/// The session format this build reads and writes.
pub const FORMAT: u32 = 1;
/// The first line of every session file.
pub const MAGIC: &[u8] = b"engram session\n";
/// The file extension the app suggests.
pub const EXTENSION: &str = "engram";
/// Longest header line read before the file is declared damaged.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// A loaded scenario and how far its timeline has run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioProgress {
    /// The scenario, with its timeline sorted by time.
    pub scenario: Scenario,
    /// Index in the sorted timeline of the next action to carry out.
    pub next_action: usize,
}

/// Everything a session file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The scenario that was loaded, if any, and its timeline position.
    pub scenario: Option<ScenarioProgress>,
    /// The scene: setup, parameters, patterns, weights, state.
    pub scene: SceneState,
}

/// The readable first part of a session file (one JSON line after the magic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionHeader {
    /// Format version ([`FORMAT`]).
    pub format: u32,
    /// Version of engram that wrote the file.
    pub engram: String,
    /// "hopfield" or "spiking".
    pub model: String,
    /// Name of the loaded scenario, if any.
    pub scenario: Option<String>,
    /// Simulated time reached, in `time_unit`.
    pub sim_time: f64,
    /// "sweeps" or "ms".
    pub time_unit: String,
    /// Length of the payload, in bytes.
    pub payload_bytes: u64,
    /// FNV-1a 64 checksum of the payload, 16 hex digits.
    pub checksum: String,
}

/// Why a session could not be saved, read or restored; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The file could not be read or written.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file does not start like a session file.
    #[error("{file} is not an engram session file")]
    NotSession {
        /// The file.
        file: String,
    },
    /// The file was written in a format this build does not read.
    #[error(
        "{file} is a session of format {found}; this build of engram reads format {FORMAT} (use the engram version that wrote it{})",
        written_by.as_ref().map_or(String::new(), |v| format!(", {v}"))
    )]
    Format {
        /// The file.
        file: String,
        /// The format found.
        found: i64,
        /// The engram version that wrote it, if the header says.
        written_by: Option<String>,
    },
    /// The file ends before its header or payload does.
    #[error("{file} is truncated: {detail}")]
    Truncated {
        /// The file.
        file: String,
        /// What is missing.
        detail: String,
    },
    /// The file is damaged (bad header, checksum mismatch, undecodable data).
    #[error("{file} is damaged: {problem}")]
    Corrupt {
        /// The file.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// The data decodes but does not describe a valid scene.
    #[error("{file} cannot be restored: {problem}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        problem: String,
    },
}

impl Session {
    /// Captures a running scene and the scenario it runs, if any.
    pub fn capture(scene: &Scene, scenario: Option<ScenarioProgress>) -> Self {
        Self {
            scenario,
            scene: scene.save_session(),
        }
    }

    /// Model name, simulated time and its unit of the captured scene.
    fn time(&self) -> (&'static str, f64, &'static str) {
        let (time, unit) = self.scene.time();
        (self.scene.family_id(), time, unit)
    }

    /// The whole file: magic, header line, payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        // Writing into a Vec cannot fail, and every type here serializes.
        if let Err(e) = ciborium::into_writer(self, &mut payload) {
            unreachable!("a session always encodes: {e}");
        }
        let (model, sim_time, time_unit) = self.time();
        let header = SessionHeader {
            format: FORMAT,
            engram: env!("CARGO_PKG_VERSION").to_string(),
            model: model.to_string(),
            scenario: self.scenario.as_ref().map(|s| s.scenario.name.clone()),
            sim_time,
            time_unit: time_unit.to_string(),
            payload_bytes: payload.len() as u64,
            checksum: format!("{:016x}", fnv1a64(&payload)),
        };
        let header = serde_json::to_string(&header).unwrap_or_default();
        let mut bytes = Vec::with_capacity(MAGIC.len() + header.len() + 1 + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(header.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(&payload);
        bytes
    }

    /// Decodes a whole file's bytes; `file` names it in errors.
    pub fn decode(bytes: &[u8], file: &str) -> Result<Self, SessionError> {
        let (header, payload) = split_header(bytes, file)?;
        let corrupt = |problem: String| SessionError::Corrupt {
            file: file.to_string(),
            problem,
        };
        if (payload.len() as u64) < header.payload_bytes {
            return Err(SessionError::Truncated {
                file: file.to_string(),
                detail: format!(
                    "it holds {} of the {} bytes of session data",
                    payload.len(),
                    header.payload_bytes
                ),
            });
        }
        if payload.len() as u64 > header.payload_bytes {
            return Err(corrupt(format!(
                "{} bytes follow the session data",
                payload.len() as u64 - header.payload_bytes
            )));
        }
        if format!("{:016x}", fnv1a64(payload)) != header.checksum {
            return Err(corrupt(
                "the session data do not match their checksum (the file was changed or damaged)".into(),
            ));
        }
        ciborium::from_reader(payload).map_err(|e| corrupt(format!("the session data do not decode: {e}")))
    }

    /// Writes the session to `path` atomically; returns the bytes written.
    pub fn save(&self, path: &Path) -> Result<u64, SessionError> {
        let bytes = self.encode();
        crate::files::write_atomically(path, &bytes).map_err(|source| SessionError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Ok(bytes.len() as u64)
    }

    /// Reads and decodes the session file at `path` (not yet restored: see [`Session::restore`]).
    pub fn open(path: &Path) -> Result<Self, SessionError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| SessionError::Io {
            file: file.clone(),
            source,
        })?;
        Self::decode(&bytes, &file)
    }

    /// Rebuilds the scene (checking every value) and returns it with the scenario progress;
    /// `file` names the session in errors.
    pub fn restore(self, file: &str) -> Result<(Scene, Option<ScenarioProgress>), SessionError> {
        self.restore_with_limits(file, &EngineLimits::default())
    }

    /// Like [`Session::restore`], within the engine's memory budgets.
    pub fn restore_with_limits(
        self,
        file: &str,
        limits: &EngineLimits,
    ) -> Result<(Scene, Option<ScenarioProgress>), SessionError> {
        let invalid = |problem: String| SessionError::Invalid {
            file: file.to_string(),
            problem,
        };
        if let Some(progress) = &self.scenario {
            if progress.next_action > progress.scenario.timeline.len() {
                return Err(invalid(format!(
                    "the timeline position {} is past the scenario's {} actions",
                    progress.next_action,
                    progress.scenario.timeline.len()
                )));
            }
            if progress.scenario.scene.family_id() != self.scene.family_id() {
                return Err(invalid("the scenario is for another model than the scene".into()));
            }
        }
        let scene = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Scene::restore_with_limits(self.scene, limits)
        }))
        .map_err(|_| invalid("restoring the scene panicked".into()))?
        .map_err(invalid)?;
        Ok((scene, self.scenario))
    }
}

/// Opens, decodes and restores the session at `path`: the scene ready to run and its scenario progress.
pub fn open_scene(path: &Path) -> Result<(Scene, Option<ScenarioProgress>), SessionError> {
    open_scene_with_limits(path, &EngineLimits::default())
}

/// Like [`open_scene`], within the engine's memory budgets.
pub fn open_scene_with_limits(
    path: &Path,
    limits: &EngineLimits,
) -> Result<(Scene, Option<ScenarioProgress>), SessionError> {
    Session::open(path)?.restore_with_limits(&path.display().to_string(), limits)
}

/// Reads only the header of the session at `path` (cheap: for menus and `inspect`).
pub fn read_header(path: &Path) -> Result<SessionHeader, SessionError> {
    use std::io::Read;
    let file = path.display().to_string();
    let io = |source| SessionError::Io {
        file: file.clone(),
        source,
    };
    let mut start = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take((MAGIC.len() + MAX_HEADER_BYTES) as u64)
        .read_to_end(&mut start)
        .map_err(io)?;
    split_header(&start, &file).map(|(header, _)| header)
}

/// Checks magic and format and parses the header; returns it with the bytes after it.
fn split_header<'a>(bytes: &'a [u8], file: &str) -> Result<(SessionHeader, &'a [u8]), SessionError> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(SessionError::NotSession {
            file: file.to_string(),
        });
    };
    let corrupt = |problem: String| SessionError::Corrupt {
        file: file.to_string(),
        problem,
    };
    let Some(end) = rest.iter().take(MAX_HEADER_BYTES).position(|&b| b == b'\n') else {
        return Err(if rest.len() < MAX_HEADER_BYTES {
            SessionError::Truncated {
                file: file.to_string(),
                detail: "it ends inside its header".into(),
            }
        } else {
            corrupt("the header line does not end".into())
        });
    };
    let line = &rest[..end];
    // The version first: a newer header may have fields this build does not know.
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| corrupt(format!("the header is not valid JSON: {e}")))?;
    match value.get("format").and_then(serde_json::Value::as_i64) {
        Some(found) if found == i64::from(FORMAT) => {}
        Some(found) => {
            return Err(SessionError::Format {
                file: file.to_string(),
                found,
                written_by: value
                    .get("engram")
                    .and_then(serde_json::Value::as_str)
                    .map(|v| format!("engram {v}")),
            });
        }
        None => return Err(corrupt("the header has no format number".into())),
    }
    let header: SessionHeader =
        serde_json::from_value(value).map_err(|e| corrupt(format!("the header is incomplete: {e}")))?;
    Ok((header, &rest[end + 1..]))
}

/// FNV-1a, 64 bits: a fast checksum that catches truncation and damage (not tampering).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_file_without_the_magic_is_not_a_session() {
        let err = Session::decode(b"format = 1\n", "x.toml").expect_err("refused");
        assert!(matches!(err, SessionError::NotSession { .. }), "{err}");
    }
}
