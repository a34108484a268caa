//! What a headless run of a continuous-memory scene reports, gathered from the frames.

use serde::Serialize;

use super::protocol::{ContinuousFrame, ContinuousInfo};

/// The cosine similarity at which a state counts as one stored pattern.
pub const RETRIEVED_COSINE: f64 = 0.99;

/// Continuous-memory observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct ContinuousReport {
    /// The kernel.
    pub kernel: String,
    /// Values per pattern.
    pub n: usize,
    /// Stored patterns.
    pub patterns: usize,
    /// β.
    pub beta: f64,
    /// Updates made.
    pub updates: f64,
    /// Final cosine similarity with every pattern.
    pub cosines: Vec<f64>,
    /// The pattern the state is (cosine ≥ 0.99), if any.
    pub retrieved: Option<usize>,
    /// (update, energy) at every record (softmax only).
    pub energy_trace: Vec<[f64; 2]>,
    /// Distance the last update moved the state.
    pub last_move: f64,
}

/// What a headless run gathers from a continuous-memory scene's frames.
#[derive(Debug, Default)]
pub struct ContinuousSummary {
    updates: f64,
    cosines: Vec<f64>,
    energy: Vec<[f64; 2]>,
    last_move: f64,
}

impl ContinuousSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &ContinuousFrame) {
        for (k, &t) in frame.updates.iter().enumerate() {
            if frame.energies[k].is_finite() {
                self.energy.push([t, frame.energies[k]]);
            }
            self.updates = t;
            self.cosines = frame.cosines[k].iter().map(|&c| f64::from(c)).collect();
            self.last_move = frame.moved[k];
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &ContinuousInfo) -> ContinuousReport {
        let retrieved = self
            .cosines
            .iter()
            .enumerate()
            .filter(|(_, c)| **c >= RETRIEVED_COSINE)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(mu, _)| mu);
        ContinuousReport {
            kernel: info.setup.memory.kernel.label().into(),
            n: info.patterns.first().map_or(0, Vec::len),
            patterns: info.patterns.len(),
            beta: info.setup.memory.beta,
            updates: self.updates,
            cosines: self.cosines,
            retrieved,
            energy_trace: self.energy,
            last_move: self.last_move,
        }
    }
}

impl crate::families::SceneReport {
    /// The continuous-memory observables, when the run was of such a scene.
    pub fn continuous(&self) -> Option<&ContinuousReport> {
        match self {
            crate::families::SceneReport::Continuous(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
