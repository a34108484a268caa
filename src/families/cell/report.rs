//! What a headless run of a neuron-lab scene reports, gathered from the frames.

use serde::Serialize;

use super::model::{FiringPattern, classify_firing};
use super::protocol::{CellFrame, CellInfo};

/// Neuron-lab observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct CellReport {
    /// The model ("Hodgkin-Huxley", "AdEx", "EIF", "LIF").
    pub model: String,
    /// Unit of the input current.
    pub current_unit: String,
    /// Every spike time, in ms.
    pub spikes_ms: Vec<f64>,
    /// Mean rate over the run, in Hz.
    pub rate_hz: f64,
    /// Highest sampled potential, in mV.
    pub peak_mv: f64,
    /// Lowest sampled potential, in mV.
    pub lowest_mv: f64,
    /// The firing pattern of the spikes (after Naud et al. 2008).
    pub pattern: FiringPattern,
    /// Rheobase of the running model for repetitive firing from rest.
    pub rheobase: Option<f64>,
    /// Simulated time, in ms.
    pub duration_ms: f64,
}

/// What a headless run gathers from a neuron-lab scene's frames.
#[derive(Debug)]
pub struct CellSummary {
    spikes_ms: Vec<f64>,
    peak_mv: f64,
    lowest_mv: f64,
    last_ms: f64,
}

impl Default for CellSummary {
    fn default() -> Self {
        Self {
            spikes_ms: Vec::new(),
            peak_mv: f64::NEG_INFINITY,
            lowest_mv: f64::INFINITY,
            last_ms: 0.0,
        }
    }
}

impl CellSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &CellFrame) {
        self.spikes_ms.extend_from_slice(&frame.spikes_ms);
        for &v in &frame.v_mv {
            self.peak_mv = self.peak_mv.max(f64::from(v));
            self.lowest_mv = self.lowest_mv.min(f64::from(v));
        }
        if let Some(&t) = frame.times_ms.last() {
            self.last_ms = t;
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &CellInfo, duration_ms: f64) -> CellReport {
        let kind = info.setup.params.kind;
        let duration_ms = duration_ms.max(self.last_ms);
        CellReport {
            model: kind.label().into(),
            current_unit: kind.current_unit().into(),
            rate_hz: self.spikes_ms.len() as f64 / (duration_ms / 1000.0).max(1e-9),
            pattern: classify_firing(&self.spikes_ms),
            peak_mv: self.peak_mv,
            lowest_mv: self.lowest_mv,
            rheobase: info.fi_curves.iter().find(|c| c.kind == kind).map(|c| c.rheobase),
            spikes_ms: self.spikes_ms,
            duration_ms,
        }
    }
}

impl crate::families::SceneReport {
    /// The neuron-lab observables, when the run was of a neuron-lab scene.
    pub fn neuron_lab(&self) -> Option<&CellReport> {
        match self {
            crate::families::SceneReport::NeuronLab(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
