//! What a headless run of an e-prop scene reports, gathered from the frames.

use serde::Serialize;

use super::model::TrialResult;
use super::protocol::{EpropFrame, EpropInfo};

/// e-prop observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct EpropReport {
    /// "pattern generation" or "rate … Hz, σ … Hz".
    pub task: String,
    /// Recurrent neurons.
    pub neurons: usize,
    /// Trials completed.
    pub trials: u64,
    /// NMSE of the first trial of the run (pattern task).
    pub first_nmse: Option<f64>,
    /// Lowest NMSE of the last ten trials (pattern task).
    pub final_nmse: Option<f64>,
    /// Mean rate in the last trial, in Hz.
    pub final_rate_hz: f64,
    /// σ of the global rate in the last trial, in Hz (rate task).
    pub final_sigma_hz: Option<f64>,
    /// Loss of the last trial.
    pub final_loss: f64,
}

/// What a headless run gathers from an e-prop scene's frames.
#[derive(Debug, Default)]
pub struct EpropSummary {
    first: Option<TrialResult>,
    last_ten: Vec<TrialResult>,
}

impl EpropSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &EpropFrame) {
        for result in &frame.trials {
            if self.first.is_none() {
                self.first = Some(result.clone());
            }
            if self.last_ten.len() == 10 {
                self.last_ten.remove(0);
            }
            self.last_ten.push(result.clone());
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &EpropInfo) -> EpropReport {
        let last = self.last_ten.last();
        EpropReport {
            task: info.setup.task.describe(),
            neurons: info.setup.params.n_rec,
            trials: last.map_or(0, |r| r.trial),
            first_nmse: self.first.as_ref().and_then(|r| r.nmse),
            final_nmse: super::model::final_nmse(&self.last_ten),
            final_rate_hz: last.map_or(0.0, |r| r.rate_hz),
            final_sigma_hz: last.and_then(|r| r.sigma_hz),
            final_loss: last.map_or(f64::NAN, |r| r.loss),
        }
    }
}

impl crate::families::SceneReport {
    /// The e-prop observables, when the run was of an e-prop scene.
    pub fn eprop(&self) -> Option<&EpropReport> {
        match self {
            crate::families::SceneReport::Eprop(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
