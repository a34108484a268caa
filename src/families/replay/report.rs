//! What a headless replay reports, gathered from its frames.

use serde::Serialize;

use super::protocol::{ReplayFrame, ReplayInfo};

/// A replay's observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    /// Where the run came from.
    pub source: String,
    /// Neurons of the network.
    pub neurons: usize,
    /// Recorded time, in ms.
    pub duration_ms: f64,
    /// Time replayed, in ms.
    pub replayed_ms: f64,
    /// Spikes replayed.
    pub spikes: u64,
    /// Mean rate over the replayed time, in Hz.
    pub rate_hz: f64,
    /// Mean ISI CV of every spike from the start to the playhead (engram's one definition).
    pub cv_isi: f64,
    /// Synchrony χ of the last second replayed.
    pub synchrony: Option<f64>,
}

/// What a headless replay gathers.
#[derive(Debug, Default)]
pub struct ReplaySummary {
    spikes: u64,
    from_ms: Option<f64>,
    to_ms: f64,
    cv_isi: f64,
    synchrony: Option<f64>,
}

impl ReplaySummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &ReplayFrame) {
        if self.from_ms.is_none() {
            self.from_ms = Some(frame.from_ms);
        }
        self.spikes += frame.spike_neurons.len() as u64;
        self.to_ms = frame.to_ms;
        if let Some(isi) = &frame.isi {
            self.cv_isi = isi.summary.mean_cv;
        }
        if frame.synchrony.is_some() {
            self.synchrony = frame.synchrony;
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &ReplayInfo) -> ReplayReport {
        let replayed_ms = self.to_ms - self.from_ms.unwrap_or(0.0);
        ReplayReport {
            source: info.header.clone(),
            neurons: info.n_neurons,
            duration_ms: info.duration_ms,
            replayed_ms,
            spikes: self.spikes,
            rate_hz: self.spikes as f64 / info.n_neurons.max(1) as f64 / (replayed_ms / 1000.0).max(1e-12),
            cv_isi: self.cv_isi,
            synchrony: self.synchrony,
        }
    }
}
