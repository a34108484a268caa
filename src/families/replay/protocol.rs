//! What defines, commands and shows a replay: setup, commands, info, frames and timeline verbs.

use std::path::PathBuf;

use crate::families::spiking::{IsiView, PopulationView};

/// Everything that defines a replay: the run to open.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaySetup {
    /// A recording directory (engram's own or an import), a NEST output directory or a spike CSV.
    pub run: PathBuf,
}

impl Default for ReplaySetup {
    fn default() -> Self {
        Self {
            run: PathBuf::from("nest_out"),
        }
    }
}

/// What the app or a timeline asks of a replay.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayCommand {
    /// Move the playhead to this time (ms); the views start afresh from there.
    Seek(f64),
}

/// What the views need of a replay; sent when it opens.
#[derive(Debug, Clone)]
pub struct ReplayInfo {
    /// The setup it was opened from.
    pub setup: ReplaySetup,
    /// Where the run came from, its length, size and spike count.
    pub header: String,
    /// The directory of the arrays.
    pub dir: PathBuf,
    /// Neurons of the network.
    pub n_neurons: usize,
    /// The populations.
    pub populations: Vec<PopulationView>,
    /// Recorded time, in ms.
    pub duration_ms: f64,
    /// Step of the run, in ms.
    pub dt_ms: f64,
    /// Spikes in the run.
    pub spikes: u64,
}

/// Spikes the playhead passed since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct ReplayFrame {
    /// The playhead's time at the start of the frame, in ms (earlier than the previous frame's
    /// end after a seek: the views start afresh).
    pub from_ms: f64,
    /// The playhead's time at its end, in ms.
    pub to_ms: f64,
    /// Neuron of every spike passed.
    pub spike_neurons: Vec<u32>,
    /// Time of every spike passed, in ms.
    pub spike_times_ms: Vec<f64>,
    /// Spikes per population in every 1 ms bin from `counts_from_ms` on.
    pub population_counts: Vec<Vec<u32>>,
    /// Start of the first bin of `population_counts`, in ms.
    pub counts_from_ms: f64,
    /// Interval statistics of every spike from the start to the playhead.
    pub isi: Option<IsiView>,
    /// Synchrony χ of the last second before the playhead (5 ms bins, up to 1,000 neurons).
    pub synchrony: Option<f64>,
}

/// What a replay scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ReplayVerb {
    /// Move the playhead.
    Seek {
        /// Where to, in ms of the recording.
        to_ms: f64,
    },
}

impl crate::families::TimelineVerb for ReplayVerb {
    fn describe(&self) -> String {
        match self {
            Self::Seek { to_ms } => format!("seek to {to_ms} ms"),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Seek { to_ms } if !(to_ms.is_finite() && *to_ms >= 0.0) => {
                Err(format!("seek: to_ms must be a time ≥ 0, not {to_ms}"))
            }
            _ => Ok(()),
        }
    }
}
