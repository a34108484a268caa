//! The files a branching scene records: the activity of the whole network and of the subsample.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{BranchingFrame, BranchingInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open file of a branching recording.
pub struct BranchingRecord {
    activity: Csv,
    line: String,
}

impl FamilyRecord<super::Branching> for BranchingRecord {
    fn create(dir: &Path, _info: &BranchingInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let activity = Csv::create(dir.join("activity.csv"), "step,active,observed_active")?;
        files.insert(
            "activity.csv".into(),
            json!({"what": "active units of the whole network and of the observed subsample, every step",
                   "units": {"step": "steps", "active": "units", "observed_active": "units"}}),
        );
        Ok(Self {
            activity,
            line: String::new(),
        })
    }

    fn info(
        &mut self,
        _dir: &Path,
        _info: &BranchingInfo,
        _files: &mut FileIndex,
    ) -> Result<(), RecordError> {
        Ok(())
    }

    fn frame(&mut self, frame: &BranchingFrame, _sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for (k, t) in frame.steps.iter().enumerate() {
            self.line.clear();
            let _ = write!(self.line, "{t},{},{}", frame.activity[k], frame.observed[k]);
            self.activity.row(&self.line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "activity.csv", self.activity.finish()?);
        Ok(())
    }

    fn describe(info: &BranchingInfo) -> Value {
        json!({
            "model": "branching",
            "setup": info.setup,
            "observed_units": info.observed_units,
        })
    }
}
