//! The file a replay records: the spikes the playhead passed, as engram's spike table.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{ReplayFrame, ReplayInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open spike table of a replay's recording.
pub struct ReplayRecord {
    spikes: Csv,
    line: String,
}

impl FamilyRecord<super::Replay> for ReplayRecord {
    fn create(dir: &Path, _info: &ReplayInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let spikes = Csv::create(dir.join("spikes.csv"), "neuron,time_ms")?;
        files.insert(
            "spikes.csv".into(),
            json!({"what": "the replayed spikes, one row per spike, in time order", "columns": ["neuron", "time_ms"],
                   "units": {"neuron": "index", "time_ms": "ms of the recording"}}),
        );
        Ok(Self {
            spikes,
            line: String::new(),
        })
    }

    fn info(&mut self, _dir: &Path, _info: &ReplayInfo, _files: &mut FileIndex) -> Result<(), RecordError> {
        Ok(())
    }

    fn frame(&mut self, frame: &ReplayFrame, _sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for (&neuron, &time) in frame.spike_neurons.iter().zip(&frame.spike_times_ms) {
            self.line.clear();
            let _ = write!(self.line, "{neuron},{time}");
            self.spikes.row(&self.line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "spikes.csv", self.spikes.finish()?);
        Ok(())
    }

    fn describe(info: &ReplayInfo) -> Value {
        json!({
            "model": "replay",
            "setup": info.setup,
            "source": info.header,
            "n_neurons": info.n_neurons,
            "duration_ms": info.duration_ms,
            "dt_ms": info.dt_ms,
        })
    }
}
