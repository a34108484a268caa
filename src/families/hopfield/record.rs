//! The files a Hopfield scene records: overlaps and energy, states, patterns.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{HopfieldFrame, HopfieldInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, NpyWriter, RecordError, csv_field, segment_name, set_rows};

/// The open files of a Hopfield recording.
pub struct HopfieldRecord {
    n: usize,
    labels: Vec<String>,
    overlaps: Csv,
    overlaps_segment: usize,
    states: NpyWriter<i8>,
    state_times: NpyWriter<f64>,
    last_state_time: Option<f64>,
    patterns: Vec<Vec<i8>>,
    line: String,
}

impl HopfieldRecord {
    fn create_files(dir: &Path, info: &HopfieldInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let n = info.width * info.height;
        let states = NpyWriter::create(dir.join("states.npy"), &[n])?;
        files.insert(
            "states.npy".into(),
            json!({"what": "the state at the end of every frame, samples × N (row-major on the grid)",
                   "dtype": "int8", "units": "±1", "width": info.width, "height": info.height}),
        );
        let state_times = NpyWriter::create(dir.join("state_times_sweeps.npy"), &[])?;
        files.insert(
            "state_times_sweeps.npy".into(),
            json!({"what": "time of each row of states.npy", "dtype": "float64", "units": "sweeps"}),
        );
        let overlaps = Self::open_overlaps(dir, 1, &info.labels, 0.0, files)?;
        Ok(Self {
            n,
            labels: info.labels.clone(),
            overlaps,
            overlaps_segment: 1,
            states,
            state_times,
            last_state_time: None,
            patterns: info.patterns.clone(),
            line: String::new(),
        })
    }

    fn open_overlaps(
        dir: &Path,
        segment: usize,
        labels: &[String],
        from_sweeps: f64,
        files: &mut FileIndex,
    ) -> Result<Csv, RecordError> {
        let name = segment_name("overlaps", segment, "csv");
        let mut columns = vec!["time_sweeps".to_string()];
        columns.extend(labels.iter().map(|l| format!("m_{l}")));
        columns.push("energy".into());
        let header: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
        let csv = Csv::create(dir.join(&name), &header.join(","))?;
        files.insert(
            name,
            json!({"what": "overlap with every stored pattern and the energy, sampled 16 times per sweep",
                   "labels": labels, "from_time_sweeps": from_sweeps, "columns": columns,
                   "units": {"time_sweeps": "sweeps (N single-neuron updates)", "m_*": "overlap in [-1, 1]",
                             "energy": "E = -1/2 Σ J_ij s_i s_j (classical) or the dense energy"}}),
        );
        Ok(csv)
    }

    fn change_info(
        &mut self,
        dir: &Path,
        info: &HopfieldInfo,
        files: &mut FileIndex,
    ) -> Result<(), RecordError> {
        if info.width * info.height != self.n {
            return Err(RecordError::Invalid {
                path: dir.to_path_buf(),
                message: "the network was rebuilt with another size; start a new recording".into(),
            });
        }
        self.patterns = info.patterns.clone();
        if info.labels != self.labels {
            let from = self.last_state_time.unwrap_or(0.0);
            let old_name = segment_name("overlaps", self.overlaps_segment, "csv");
            self.overlaps_segment += 1;
            let csv = Self::open_overlaps(dir, self.overlaps_segment, &info.labels, from, files)?;
            let old = std::mem::replace(&mut self.overlaps, csv);
            set_rows(files, &old_name, old.finish()?);
            self.labels = info.labels.clone();
        }
        Ok(())
    }

    fn write_frame(&mut self, frame: &HopfieldFrame, sim_time_sweeps: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for sample in &frame.samples {
            self.line.clear();
            let _ = write!(self.line, "{}", sample.time_sweeps);
            for k in 0..self.labels.len() {
                match sample.overlaps.get(k) {
                    Some(m) => {
                        let _ = write!(self.line, ",{m}");
                    }
                    None => self.line.push(','),
                }
            }
            let _ = write!(self.line, ",{}", sample.energy);
            self.overlaps.row(&self.line)?;
        }
        if frame.state.len() == self.n && self.last_state_time != Some(sim_time_sweeps) {
            self.states.push_row(&frame.state)?;
            self.state_times.push_row(&[sim_time_sweeps])?;
            self.last_state_time = Some(sim_time_sweeps);
        }
        Ok(())
    }

    fn finish_files(self, dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        let this = self;
        set_rows(
            files,
            &segment_name("overlaps", this.overlaps_segment, "csv"),
            this.overlaps.finish()?,
        );
        set_rows(files, "states.npy", this.states.finish()?);
        set_rows(files, "state_times_sweeps.npy", this.state_times.finish()?);
        let mut patterns = NpyWriter::create(dir.join("patterns.npy"), &[this.n])?;
        for pattern in this.patterns.iter().filter(|p| p.len() == this.n) {
            patterns.push_row(pattern)?;
        }
        files.insert(
            "patterns.npy".into(),
            json!({"what": "the stored patterns at the end, patterns × N, in the order of the labels",
                   "labels": this.labels, "dtype": "int8", "units": "±1"}),
        );
        set_rows(files, "patterns.npy", patterns.finish()?);
        Ok(())
    }
}

impl FamilyRecord<super::Hopfield> for HopfieldRecord {
    fn create(dir: &Path, info: &HopfieldInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        Self::create_files(dir, info, files)
    }

    fn info(&mut self, dir: &Path, info: &HopfieldInfo, files: &mut FileIndex) -> Result<(), RecordError> {
        self.change_info(dir, info, files)
    }

    fn frame(&mut self, frame: &HopfieldFrame, sim_time: f64) -> Result<(), RecordError> {
        self.write_frame(frame, sim_time)
    }

    fn finish(self, dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        self.finish_files(dir, files)
    }

    fn describe(info: &HopfieldInfo) -> Value {
        json!({
            "model": "hopfield",
            "setup": info.setup,
            "width": info.width,
            "height": info.height,
            "n_neurons": info.width * info.height,
            "labels": info.labels,
        })
    }
}
