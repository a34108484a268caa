//! The files a Hebbian scene records: angles and lengths of every learner after every sample.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{HebbFrame, HebbInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open file of a Hebbian recording.
pub struct HebbRecord {
    components: usize,
    learning: Csv,
    line: String,
}

impl FamilyRecord<super::Hebbian> for HebbRecord {
    fn create(dir: &Path, info: &HebbInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let components = info.setup.learn.components;
        let mut header = String::from("sample");
        for i in 1..=components {
            header += &format!(",angle_{i}_deg,norm_{i}");
        }
        header += ",hebb_angle_deg,hebb_log10_norm";
        let learning = Csv::create(dir.join("learning.csv"), &header)?;
        files.insert(
            "learning.csv".into(),
            json!({"what": "after every sample: each component's angle to its eigenvector and its length, and plain Hebb's angle to the leading eigenvector and log10 of its length",
                   "units": {"sample": "samples", "angle_*_deg": "degrees", "norm_*": "1", "hebb_log10_norm": "log10"}}),
        );
        Ok(Self {
            components,
            learning,
            line: String::new(),
        })
    }

    fn info(&mut self, dir: &Path, info: &HebbInfo, _files: &mut FileIndex) -> Result<(), RecordError> {
        if info.setup.learn.components != self.components {
            return Err(RecordError::Invalid {
                path: dir.to_path_buf(),
                message: "the number of components changed; start a new recording".into(),
            });
        }
        Ok(())
    }

    fn frame(&mut self, frame: &HebbFrame, _sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for (k, t) in frame.samples.iter().enumerate() {
            if frame.angles_deg[k].len() != self.components {
                continue;
            }
            self.line.clear();
            let _ = write!(self.line, "{t}");
            for (a, n) in frame.angles_deg[k].iter().zip(&frame.norms[k]) {
                let _ = write!(self.line, ",{a},{n}");
            }
            let _ = write!(
                self.line,
                ",{},{}",
                frame.hebb_angle_deg[k], frame.hebb_log10_norm[k]
            );
            self.learning.row(&self.line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "learning.csv", self.learning.finish()?);
        Ok(())
    }

    fn describe(info: &HebbInfo) -> Value {
        json!({
            "model": "hebbian",
            "setup": info.setup,
            "eigenvalues": info.eigenvalues,
            "time_constant_samples": info.time_constant,
        })
    }
}
