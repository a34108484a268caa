//! What a headless run of a branching scene reports, gathered from the frames.

use serde::Serialize;

use super::protocol::{BranchingFrame, BranchingInfo, LiveEstimate};

/// Branching-network observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct BranchingReport {
    /// The branching ratio set.
    pub m: f64,
    /// The external drive.
    pub h: f64,
    /// Units observed.
    pub observed_units: usize,
    /// Mean activity of the whole network over the run, per step.
    pub mean_activity: f64,
    /// h/(1 − m), when m < 1.
    pub theory_mean_activity: Option<f64>,
    /// The multistep-regression estimate from the subsample, over the last window.
    pub m_mr: Option<f64>,
    /// The conventional estimate from the subsample.
    pub m_conventional: Option<f64>,
    /// The conventional estimate from the whole network.
    pub m_whole: Option<f64>,
    /// Avalanche size exponent, when avalanches were measured.
    pub size_exponent: Option<f64>,
    /// Avalanche duration exponent, when avalanches were measured.
    pub duration_exponent: Option<f64>,
}

/// What a headless run gathers from a branching scene's frames.
#[derive(Debug, Default)]
pub struct BranchingSummary {
    activity_sum: f64,
    steps: usize,
    estimate: Option<LiveEstimate>,
    exponents: (Option<f64>, Option<f64>),
}

impl BranchingSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &BranchingFrame) {
        self.activity_sum += frame.activity.iter().map(|&a| f64::from(a)).sum::<f64>();
        self.steps += frame.activity.len();
        if let Some((e, _)) = &frame.estimate {
            self.estimate = Some(*e);
        }
        if let Some(a) = &frame.avalanches {
            self.exponents = (a.size_exponent, a.duration_exponent);
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &BranchingInfo) -> BranchingReport {
        BranchingReport {
            m: info.setup.m,
            h: info.setup.h,
            observed_units: info.observed_units,
            mean_activity: self.activity_sum / self.steps.max(1) as f64,
            theory_mean_activity: info.theory_mean_activity,
            m_mr: self.estimate.map(|e| e.m_mr),
            m_conventional: self.estimate.map(|e| e.m_conventional),
            m_whole: self.estimate.map(|e| e.m_whole),
            size_exponent: self.exponents.0,
            duration_exponent: self.exponents.1,
        }
    }
}

impl crate::families::SceneReport {
    /// The branching observables, when the run was of a branching scene.
    pub fn branching(&self) -> Option<&BranchingReport> {
        match self {
            crate::families::SceneReport::Branching(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
