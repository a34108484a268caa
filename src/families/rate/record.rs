//! The files a rate scene records: overlaps and mean rate every ms, the rates of every neuron at
//! the end of every frame, and the stored patterns' rates.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{RateFrame, RateInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, NpyWriter, RecordError, segment_name, set_rows};

/// The open files of a rate recording.
pub struct RateRecord {
    n: usize,
    patterns: usize,
    overlaps: Csv,
    overlaps_segment: usize,
    rates: NpyWriter<f32>,
    rate_times: NpyWriter<f64>,
    line: String,
}

impl RateRecord {
    fn open_overlaps(
        dir: &Path,
        segment: usize,
        patterns: usize,
        files: &mut FileIndex,
    ) -> Result<Csv, RecordError> {
        let name = segment_name("overlaps", segment, "csv");
        let mut header = String::from("time_ms");
        for mu in 0..patterns {
            header += &format!(",m_{}", mu + 1);
        }
        header += ",mean_rate_hz";
        let csv = Csv::create(dir.join(&name), &header)?;
        files.insert(
            name,
            json!({"what": "overlap (Pearson correlation of r with g(φ(ξ^μ))) with every stored pattern and the mean rate, every ms",
                   "units": {"time_ms": "ms", "m_*": "correlation, −1..1", "mean_rate_hz": "Hz"}}),
        );
        Ok(csv)
    }
}

impl FamilyRecord<super::Rate> for RateRecord {
    fn create(dir: &Path, info: &RateInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let rates = NpyWriter::create(dir.join("rates.npy"), &[info.n_neurons])?;
        files.insert(
            "rates.npy".into(),
            json!({"what": "the rate of every neuron at the end of every frame, samples × N", "dtype": "float32", "units": "Hz"}),
        );
        let rate_times = NpyWriter::create(dir.join("rate_times_ms.npy"), &[])?;
        files.insert(
            "rate_times_ms.npy".into(),
            json!({"what": "time of each row of rates.npy", "dtype": "float64", "units": "ms"}),
        );
        Ok(Self {
            n: info.n_neurons,
            patterns: info.n_patterns,
            overlaps: Self::open_overlaps(dir, 1, info.n_patterns, files)?,
            overlaps_segment: 1,
            rates,
            rate_times,
            line: String::new(),
        })
    }

    fn info(&mut self, dir: &Path, info: &RateInfo, files: &mut FileIndex) -> Result<(), RecordError> {
        if info.n_neurons != self.n {
            return Err(RecordError::Invalid {
                path: dir.to_path_buf(),
                message: "the network was rebuilt with another N; start a new recording".into(),
            });
        }
        if info.n_patterns != self.patterns {
            self.overlaps_segment += 1;
            let csv = Self::open_overlaps(dir, self.overlaps_segment, info.n_patterns, files)?;
            let old = std::mem::replace(&mut self.overlaps, csv);
            set_rows(
                files,
                &segment_name("overlaps", self.overlaps_segment - 1, "csv"),
                old.finish()?,
            );
            self.patterns = info.n_patterns;
        }
        Ok(())
    }

    fn frame(&mut self, frame: &RateFrame, sim_time: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for ((t, overlaps), mean) in frame
            .times_ms
            .iter()
            .zip(&frame.overlaps)
            .zip(&frame.mean_rate_hz)
        {
            if overlaps.len() != self.patterns {
                continue;
            }
            self.line.clear();
            let _ = write!(self.line, "{t}");
            for m in overlaps {
                let _ = write!(self.line, ",{m}");
            }
            let _ = write!(self.line, ",{mean}");
            self.overlaps.row(&self.line)?;
        }
        if frame.rates_hz.len() == self.n {
            self.rates.push_row(&frame.rates_hz)?;
            self.rate_times.push_row(&[sim_time])?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(
            files,
            &segment_name("overlaps", self.overlaps_segment, "csv"),
            self.overlaps.finish()?,
        );
        set_rows(files, "rates.npy", self.rates.finish()?);
        set_rows(files, "rate_times_ms.npy", self.rate_times.finish()?);
        Ok(())
    }

    fn describe(info: &RateInfo) -> Value {
        json!({
            "model": "rate",
            "setup": info.setup,
            "n_neurons": info.n_neurons,
            "n_patterns": info.n_patterns,
            "n_synapses": info.n_synapses,
            "load": info.params.load(),
        })
    }
}
