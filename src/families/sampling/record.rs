//! The files a sampling recording writes: the distance of each sampler from the exact
//! distribution at log-spaced sample counts, and the spikes of the neural sampler.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{SamplingFrame, SamplingInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{Csv, FileIndex, RecordError, set_rows};

/// The open files of a sampling recording.
pub struct SamplingRecord {
    distances: Csv,
    spikes: Csv,
    since_ms: f64,
    line: String,
}

impl FamilyRecord<super::Sampling> for SamplingRecord {
    fn create(dir: &Path, info: &SamplingInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        let mut header = String::from("time_ms,samples");
        for s in &info.samplers {
            let _ = write!(header, ",kl_{0},tv_{0}", s.key().replace('-', "_"));
        }
        let distances = Csv::create(dir.join("distances.csv"), &header)?;
        files.insert(
            "distances.csv".into(),
            json!({"what": "each sampler's KL(sampled ‖ exact) and total variation, at sample counts 20 per decade since the target last changed",
                   "units": {"time_ms": "ms", "samples": "count", "kl_*": "nats", "tv_*": "probability"}}),
        );
        let spikes = Csv::create(dir.join("spikes.csv"), "time_ms,neuron")?;
        files.insert(
            "spikes.csv".into(),
            json!({"what": "spikes of the neural sampler (with the −ln τ correction); neuron k is in state 1 for τ ms after each", "units": {"time_ms": "ms"}}),
        );
        Ok(Self {
            distances,
            spikes,
            since_ms: info.since_ms,
            line: String::new(),
        })
    }

    fn info(&mut self, _dir: &Path, info: &SamplingInfo, _files: &mut FileIndex) -> Result<(), RecordError> {
        self.since_ms = info.since_ms;
        Ok(())
    }

    fn frame(&mut self, frame: &SamplingFrame, _sim_time: f64) -> Result<(), RecordError> {
        for p in &frame.distances {
            self.line.clear();
            let _ = write!(self.line, "{},{}", self.since_ms + p.samples as f64, p.samples);
            for (kl, tv) in p.kl.iter().zip(&p.tv) {
                let _ = write!(self.line, ",{kl},{tv}");
            }
            self.distances.row(&self.line)?;
        }
        for (t, k) in &frame.spikes {
            self.line.clear();
            let _ = write!(self.line, "{t},{k}");
            self.spikes.row(&self.line)?;
        }
        Ok(())
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        set_rows(files, "distances.csv", self.distances.finish()?);
        set_rows(files, "spikes.csv", self.spikes.finish()?);
        Ok(())
    }

    fn describe(info: &SamplingInfo) -> Value {
        json!({
            "model": "sampling",
            "setup": info.setup,
            "units": info.units,
            "temperature": info.temperature,
            "weights": info.weights,
            "biases": info.biases,
            "samplers": info.samplers.iter().map(|s| s.key()).collect::<Vec<_>>(),
        })
    }
}
