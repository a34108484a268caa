//! The files a continuous-memory scene records: the similarity to every pattern, the energy and the
//! step size after every update.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{ContinuousFrame, ContinuousInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, segment_name, set_rows};

/// The open file of a continuous-memory recording.
pub struct ContinuousRecord {
    patterns: usize,
    segment: usize,
    updates: Csv,
    line: String,
}

impl ContinuousRecord {
    fn open(dir: &Path, segment: usize, patterns: usize, files: &mut FileIndex) -> Result<Csv, RecordError> {
        let name = segment_name("updates", segment, "csv");
        let mut header = String::from("update");
        for mu in 1..=patterns {
            header += &format!(",cosine_{mu}");
        }
        header += ",energy,moved";
        let csv = Csv::create(dir.join(&name), &header)?;
        files.insert(
            name,
            json!({"what": "after every update: the cosine similarity of the state with every pattern, the energy (softmax only, else empty) and the distance the update moved the state",
                   "units": {"update": "updates", "cosine_*": "−1..1", "energy": "as the state's squared norm", "moved": "as the state"}}),
        );
        Ok(csv)
    }
}

impl FamilyRecord<super::Continuous> for ContinuousRecord {
    fn create(dir: &Path, info: &ContinuousInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        Ok(Self {
            patterns: info.patterns.len(),
            segment: 1,
            updates: Self::open(dir, 1, info.patterns.len(), files)?,
            line: String::new(),
        })
    }

    fn info(&mut self, dir: &Path, info: &ContinuousInfo, files: &mut FileIndex) -> Result<(), RecordError> {
        if info.patterns.len() != self.patterns {
            self.segment += 1;
            let csv = Self::open(dir, self.segment, info.patterns.len(), files)?;
            let old = std::mem::replace(&mut self.updates, csv);
            set_rows(
                files,
                &segment_name("updates", self.segment - 1, "csv"),
                old.finish()?,
            );
            self.patterns = info.patterns.len();
        }
        Ok(())
    }

    fn frame(&mut self, frame: &ContinuousFrame, _sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for (k, t) in frame.updates.iter().enumerate() {
            if frame.cosines[k].len() != self.patterns {
                continue;
            }
            self.line.clear();
            let _ = write!(self.line, "{t}");
            for c in &frame.cosines[k] {
                let _ = write!(self.line, ",{c}");
            }
            let energy = frame.energies[k];
            if energy.is_finite() {
                let _ = write!(self.line, ",{energy},{}", frame.moved[k]);
            } else {
                let _ = write!(self.line, ",,{}", frame.moved[k]);
            }
            self.updates.row(&self.line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(
            files,
            &segment_name("updates", self.segment, "csv"),
            self.updates.finish()?,
        );
        Ok(())
    }

    fn describe(info: &ContinuousInfo) -> Value {
        json!({
            "model": "continuous",
            "setup": info.setup,
            "n": info.patterns.first().map_or(0, Vec::len),
            "patterns": info.patterns.len(),
        })
    }
}
