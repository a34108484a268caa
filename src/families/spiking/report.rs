//! What a headless run of a spiking scene reports, and how it is gathered from the frames.

use serde::Serialize;

use super::protocol::{SpikingFrame, SpikingInfo};
use super::scene::SpikingScene;

/// Spiking observables over a run.
#[derive(Debug, Clone, Serialize)]
pub struct SpikingReport {
    /// Number of neurons.
    pub neurons: usize,
    /// Number of synapses.
    pub synapses: usize,
    /// Spikes in the run.
    pub spikes: u64,
    /// Mean rate per neuron, in Hz.
    pub rate_hz: f64,
    /// Mean rate per neuron of each population, in Hz.
    pub population_rates_hz: Vec<(String, f64)>,
    /// ISI CV: the mean over neurons with at least 3 intervals of each one's std(ISI)/mean(ISI),
    /// from every spike since the network last changed (the number the app shows).
    pub cv_isi: f64,
    /// Mean weight factor of E→E synapses at the end (1 unless STDP changed them).
    pub mean_exc_weight: f64,
    /// The spiking memory's readout at the end, when the scene is one.
    pub memory: Option<MemoryReport>,
}

/// What a spiking memory holds at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryReport {
    /// Labels of the patterns.
    pub labels: Vec<String>,
    /// Overlap of the rate state with every pattern (from spikes filtered over `filter_ms`).
    pub overlaps: Vec<f64>,
    /// Index of the retrieved pattern (overlap ≥ 0.75 and 0.3 above every other), if any.
    pub retrieved_pattern: Option<usize>,
    /// Label of the retrieved pattern, if any.
    pub retrieved_label: Option<String>,
    /// Classification of the final state ("pattern A", "mixture of A, H", "no pattern").
    pub classification: String,
    /// Rates of a pixel's losing and winning pool in a stored pattern (Siegert), in Hz.
    pub rate_levels_hz: (f64, f64),
}

impl MemoryReport {
    /// The readout of a spiking memory now.
    pub fn of(memory: &super::model::SpikingMemory) -> Self {
        let overlaps = memory.overlaps();
        let labels = memory.patterns().labels.clone();
        let retrieved_pattern = memory.retrieved();
        Self {
            classification: memory.describe(),
            retrieved_label: retrieved_pattern.map(|i| labels[i].clone()),
            retrieved_pattern,
            labels,
            overlaps,
            rate_levels_hz: memory.rate_levels_hz(),
        }
    }
}

/// What a headless run gathers from a spiking scene's frames.
#[derive(Debug, Default)]
pub struct SpikingSummary {
    spikes: u64,
    population_spikes: Vec<u64>,
}

impl SpikingSummary {
    /// Adds a frame.
    pub fn take(&mut self, frame: &SpikingFrame) {
        // From the population counts, which are never thinned (the spike list may be).
        self.spikes += frame
            .population_counts
            .iter()
            .flatten()
            .map(|&c| u64::from(c))
            .sum::<u64>();
        self.population_spikes.resize(frame.population_counts.len(), 0);
        for (total, counts) in self.population_spikes.iter_mut().zip(&frame.population_counts) {
            *total += counts.iter().map(|&c| u64::from(c)).sum::<u64>();
        }
    }

    /// The report at the end of a run.
    pub fn report(self, info: &SpikingInfo, scene: &SpikingScene) -> SpikingReport {
        let seconds = scene.time_ms() / 1000.0;
        let population_rates_hz = info
            .populations
            .iter()
            .zip(&self.population_spikes)
            .map(|(p, &count)| {
                (
                    p.name.clone(),
                    count as f64 / p.len.max(1) as f64 / seconds.max(1e-12),
                )
            })
            .collect();
        SpikingReport {
            neurons: info.n_neurons,
            synapses: info.n_synapses,
            spikes: self.spikes,
            rate_hz: self.spikes as f64 / info.n_neurons.max(1) as f64 / seconds.max(1e-12),
            population_rates_hz,
            mean_exc_weight: info.mean_exc_weight,
            cv_isi: scene
                .isi()
                .mean_cv(crate::analysis::spike_stats::CV_MIN_INTERVALS),
            memory: scene.memory().map(MemoryReport::of),
        }
    }
}

impl crate::families::SceneReport {
    /// The spiking observables, when the run was of a spiking scene.
    pub fn spiking(&self) -> Option<&SpikingReport> {
        match self {
            crate::families::SceneReport::Spiking(report) => Some(report),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
