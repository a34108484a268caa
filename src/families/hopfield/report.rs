//! What a headless run of a Hopfield scene reports, and how it is gathered from the frames.

use serde::Serialize;

use super::protocol::{HopfieldFrame, HopfieldInfo};

/// Hopfield observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct HopfieldReport {
    /// Labels of the stored patterns.
    pub labels: Vec<String>,
    /// Final overlap with every stored pattern.
    pub overlaps: Vec<f64>,
    /// Final energy.
    pub energy: f64,
    /// Final state classification ("stored A", "mixture", ...).
    pub classification: String,
    /// Index of the stored pattern with overlap ≥ 0.9, if any.
    pub retrieved_pattern: Option<usize>,
    /// Energy sampled over the run: (time in sweeps, energy).
    pub energy_trace: Vec<[f64; 2]>,
}

/// What a headless run gathers from a Hopfield scene's frames.
#[derive(Debug, Default)]
pub struct HopfieldSummary {
    last_overlaps: Vec<f32>,
    energy_trace: Vec<[f64; 2]>,
    classification: String,
}

impl HopfieldSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &HopfieldFrame) {
        for sample in &frame.samples {
            self.energy_trace.push([sample.time_sweeps, sample.energy]);
            self.last_overlaps.clone_from(&sample.overlaps);
        }
        self.classification.clone_from(&frame.classification);
    }

    /// The report at the end of a run.
    pub fn report(self, info: &HopfieldInfo) -> HopfieldReport {
        let overlaps = self
            .last_overlaps
            .iter()
            .map(|&m| f64::from(m))
            .collect::<Vec<_>>();
        let retrieved = overlaps.iter().position(|&m| m >= 0.9);
        HopfieldReport {
            labels: info.labels.clone(),
            retrieved_pattern: retrieved,
            overlaps,
            energy: self.energy_trace.last().map_or(f64::NAN, |p| p[1]),
            classification: self.classification,
            energy_trace: self.energy_trace,
        }
    }
}

impl crate::families::SceneReport {
    /// The Hopfield observables, when the run was of a Hopfield scene.
    pub fn hopfield(&self) -> Option<&HopfieldReport> {
        match self {
            crate::families::SceneReport::Hopfield(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
