//! What a headless run of a rate scene reports, and how it is gathered from the frames.

use serde::Serialize;

use super::protocol::{RateFrame, RateInfo};

/// Rate-network observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct RateReport {
    /// Number of neurons.
    pub neurons: usize,
    /// Number of synapses.
    pub synapses: usize,
    /// Number of stored patterns.
    pub patterns: usize,
    /// Load α = P / (c N).
    pub load: f64,
    /// Final overlap (Pearson correlation of r with g(φ(ξ^μ))) with every stored pattern.
    pub overlaps: Vec<f64>,
    /// Index of the retrieved pattern (largest overlap ≥ 0.5), if any.
    pub retrieved_pattern: Option<usize>,
    /// Classification of the final state.
    pub classification: String,
    /// Mean rate over neurons at the end, in Hz.
    pub mean_rate_hz: f64,
    /// (time in ms, largest overlap, mean rate in Hz) every 10 ms.
    pub overlap_trace: Vec<[f64; 3]>,
}

/// What a headless run gathers from a rate scene's frames.
#[derive(Debug, Default)]
pub struct RateSummary {
    last_overlaps: Vec<f64>,
    mean_rate_hz: f64,
    trace: Vec<[f64; 3]>,
    classification: String,
}

impl RateSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &RateFrame) {
        for ((t, overlaps), mean) in frame
            .times_ms
            .iter()
            .zip(&frame.overlaps)
            .zip(&frame.mean_rate_hz)
        {
            let best = overlaps
                .iter()
                .fold(f64::NEG_INFINITY, |a, &m| a.max(f64::from(m)));
            if self.trace.last().is_none_or(|last| *t >= last[0] + 10.0 - 1e-9) {
                self.trace.push([*t, best, f64::from(*mean)]);
            }
            self.last_overlaps = overlaps.iter().map(|&m| f64::from(m)).collect();
            self.mean_rate_hz = f64::from(*mean);
        }
        if !frame.classification.is_empty() {
            self.classification.clone_from(&frame.classification);
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &RateInfo) -> RateReport {
        RateReport {
            neurons: info.n_neurons,
            synapses: info.n_synapses,
            patterns: info.n_patterns,
            load: info.params.load(),
            retrieved_pattern: super::model::retrieved(&self.last_overlaps),
            overlaps: self.last_overlaps,
            classification: self.classification,
            mean_rate_hz: self.mean_rate_hz,
            overlap_trace: self.trace,
        }
    }
}

impl crate::families::SceneReport {
    /// The rate-network observables, when the run was of a rate scene.
    pub fn rate(&self) -> Option<&RateReport> {
        match self {
            crate::families::SceneReport::Rate(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
