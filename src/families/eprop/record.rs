//! The files an e-prop scene records: one row per trial (loss, NMSE, rate, spread).

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{EpropFrame, EpropInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open file of an e-prop recording.
pub struct EpropRecord {
    trials: Csv,
}

/// A number or an empty field.
fn field(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

impl FamilyRecord<super::Eprop> for EpropRecord {
    fn create(dir: &Path, _info: &EpropInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let trials = Csv::create(
            dir.join("trials.csv"),
            "trial,loss,nmse,rate_hz,sigma_hz,branching",
        )?;
        files.insert(
            "trials.csv".into(),
            json!({"what": "after every trial: the task's loss, the readout's normalised mean squared error (pattern task), the mean rate, the spread of the global rate (rate task) and the branching ratio of the spike count per ms (empty when the activity does not decay exponentially)",
                   "units": {"trial": "trials", "loss": "task units", "nmse": "1", "rate_hz": "Hz", "sigma_hz": "Hz", "branching": "1"}}),
        );
        Ok(Self { trials })
    }

    fn info(&mut self, _dir: &Path, _info: &EpropInfo, _files: &mut FileIndex) -> Result<(), RecordError> {
        Ok(())
    }

    fn frame(&mut self, frame: &EpropFrame, _sim_time: f64) -> Result<(), RecordError> {
        for r in &frame.trials {
            let line = format!(
                "{},{},{},{},{},{}",
                r.trial,
                r.loss,
                field(r.nmse),
                r.rate_hz,
                field(r.sigma_hz),
                field(r.branching)
            );
            self.trials.row(&line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "trials.csv", self.trials.finish()?);
        Ok(())
    }

    fn describe(info: &EpropInfo) -> Value {
        json!({
            "model": "eprop",
            "setup": info.setup,
        })
    }
}
