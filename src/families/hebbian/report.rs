//! What a headless run of a Hebbian scene reports, gathered from the frames.

use serde::Serialize;

use super::protocol::{HebbFrame, HebbInfo};

/// Hebbian-learning observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct HebbReport {
    /// "Oja" or "Sanger (k = …)".
    pub rule: String,
    /// Input dimensions.
    pub dim: usize,
    /// Samples learned from.
    pub samples: f64,
    /// Variances along the principal axes, largest first.
    pub eigenvalues: Vec<f64>,
    /// Final angle (degrees) of each component to its eigenvector.
    pub angles_deg: Vec<f64>,
    /// Final length of each component.
    pub norms: Vec<f64>,
    /// Final angle (degrees) of plain Hebb's weights to the leading eigenvector.
    pub hebb_angle_deg: f64,
    /// Final log₁₀ |w| of plain Hebb.
    pub hebb_log10_norm: f64,
    /// Oja's time constant 1/(η(λ1 − λ2)), in samples.
    pub time_constant_samples: f64,
    /// First sample at which the first component came within 10° of the leading eigenvector.
    pub samples_to_10_deg: Option<f64>,
}

/// What a headless run gathers from a Hebbian scene's frames.
#[derive(Debug, Default)]
pub struct HebbSummary {
    samples: f64,
    angles: Vec<f64>,
    norms: Vec<f64>,
    hebb_angle: f64,
    hebb_log10_norm: f64,
    within_10_deg: Option<f64>,
}

impl HebbSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &HebbFrame) {
        for (k, &t) in frame.samples.iter().enumerate() {
            if self.within_10_deg.is_none() && frame.angles_deg[k].first().is_some_and(|&a| a < 10.0) {
                self.within_10_deg = Some(t);
            }
        }
        if let Some(k) = frame.samples.len().checked_sub(1) {
            self.samples = frame.samples[k];
            self.angles = frame.angles_deg[k].iter().map(|&a| f64::from(a)).collect();
            self.norms = frame.norms[k].iter().map(|&a| f64::from(a)).collect();
            self.hebb_angle = f64::from(frame.hebb_angle_deg[k]);
            self.hebb_log10_norm = f64::from(frame.hebb_log10_norm[k]);
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &HebbInfo) -> HebbReport {
        HebbReport {
            rule: info.setup.learn.rule_name(),
            dim: info.setup.data.dim,
            samples: self.samples,
            eigenvalues: info.eigenvalues.clone(),
            angles_deg: self.angles,
            norms: self.norms,
            hebb_angle_deg: self.hebb_angle,
            hebb_log10_norm: self.hebb_log10_norm,
            time_constant_samples: info.time_constant,
            samples_to_10_deg: self.within_10_deg,
        }
    }
}

impl crate::families::SceneReport {
    /// The Hebbian observables, when the run was of a Hebbian scene.
    pub fn hebbian(&self) -> Option<&HebbReport> {
        match self {
            crate::families::SceneReport::Hebbian(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
