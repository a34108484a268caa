//! The files a neuron-lab scene records: the sampled traces and the spike times.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{CellFrame, CellInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open files of a neuron-lab recording.
pub struct CellRecord {
    trace: Csv,
    spikes: Csv,
    line: String,
}

impl FamilyRecord<super::NeuronLab> for CellRecord {
    fn create(dir: &Path, info: &CellInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let unit = info.setup.params.kind.current_unit();
        let trace = Csv::create(dir.join("trace.csv"), "time_ms,v_mv,slow,current")?;
        files.insert(
            "trace.csv".into(),
            json!({"what": "membrane potential, slow variable (n for Hodgkin-Huxley, w in pA otherwise) and input current every 0.05 ms; an integrate-and-fire spike adds a sample at V_peak",
                   "units": {"time_ms": "ms", "v_mv": "mV", "slow": "n (1) or pA", "current": unit}}),
        );
        let spikes = Csv::create(dir.join("spikes.csv"), "time_ms")?;
        files.insert(
            "spikes.csv".into(),
            json!({"what": "spike times (upward crossing of 0 mV for Hodgkin-Huxley, reaching the cut-off otherwise)", "units": {"time_ms": "ms"}}),
        );
        Ok(Self {
            trace,
            spikes,
            line: String::new(),
        })
    }

    fn info(&mut self, _dir: &Path, _info: &CellInfo, _files: &mut FileIndex) -> Result<(), RecordError> {
        Ok(())
    }

    fn frame(&mut self, frame: &CellFrame, _sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for (k, t) in frame.times_ms.iter().enumerate() {
            self.line.clear();
            let _ = write!(
                self.line,
                "{t},{},{},{}",
                frame.v_mv[k], frame.slow[k], frame.current[k]
            );
            self.trace.row(&self.line)?;
        }
        for t in &frame.spikes_ms {
            self.spikes.row(&t.to_string())?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "trace.csv", self.trace.finish()?);
        set_rows(files, "spikes.csv", self.spikes.finish()?);
        Ok(())
    }

    fn describe(info: &CellInfo) -> Value {
        json!({
            "model": "neuron-lab",
            "setup": info.setup,
            "neuron": info.setup.params.kind.label(),
            "current_unit": info.setup.params.kind.current_unit(),
        })
    }
}
