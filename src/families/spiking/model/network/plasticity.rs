//! Spike-timing-dependent plasticity on excitatory→excitatory synapses.

use super::*;

/// Pair-based STDP with exponential traces (Song, Miller & Abbott 2000; Morrison et al. 2008) on
/// excitatory→excitatory synapses. Weights are the synapses' dimensionless factors on J_E; synapses
/// with a negative factor (the spiking memory's fixed competition) are not plastic.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StdpParams {
    /// Potentiation per pre-before-post pair at zero lag.
    pub a_plus: f64,
    /// Depression per post-before-pre pair at zero lag.
    pub a_minus: f64,
    /// Decay time of the presynaptic trace, in ms.
    pub tau_plus_ms: f64,
    /// Decay time of the postsynaptic trace, in ms.
    pub tau_minus_ms: f64,
    /// Upper bound of a weight factor (the lower bound is 0).
    pub w_max: f64,
}

impl Default for StdpParams {
    fn default() -> Self {
        Self {
            a_plus: 0.01,
            a_minus: 0.0105,
            tau_plus_ms: 20.0,
            tau_minus_ms: 20.0,
            w_max: 2.0,
        }
    }
}

/// STDP state: traces and the postsynaptic index of plastic synapses.
#[derive(Debug, Clone)]
pub(super) struct Plasticity {
    pub(super) params: StdpParams,
    pub(super) pre_trace: Vec<f32>,
    pub(super) post_trace: Vec<f32>,
    /// Synapse indices grouped by postsynaptic neuron: in_synapses[in_start[j]..in_start[j + 1]].
    pub(super) in_start: Vec<u32>,
    pub(super) in_synapses: Vec<u32>,
    /// Presynaptic neuron of every synapse.
    pub(super) sources: Vec<u32>,
}

impl Network {
    /// Switches STDP on (with these parameters) or off; the weights learned so far are kept.
    pub fn set_stdp(&mut self, params: Option<StdpParams>) -> Result<(), SpikingError> {
        let Some(params) = params else {
            self.stdp = None;
            return Ok(());
        };
        let p = &params;
        if ![p.a_plus, p.a_minus, p.tau_plus_ms, p.tau_minus_ms, p.w_max]
            .iter()
            .all(|v| v.is_finite() && *v >= 0.0)
            || p.tau_plus_ms == 0.0
            || p.tau_minus_ms == 0.0
        {
            return Err(SpikingError::Params(
                "STDP amplitudes, bounds and time constants must be ≥ 0 (τ > 0)".into(),
            ));
        }
        if let Some(existing) = self.stdp.as_mut() {
            existing.params = params;
            return Ok(());
        }
        self.own_weights();
        let n = self.v.len();
        let mut sources = vec![0u32; self.targets.len()];
        let mut counts = vec![0u32; n + 1];
        for pre in 0..n {
            for s in self.row_start[pre] as usize..self.row_start[pre + 1] as usize {
                sources[s] = pre as u32;
                counts[self.targets.get(s) as usize + 1] += 1;
            }
        }
        for j in 0..n {
            counts[j + 1] += counts[j];
        }
        let mut fill = counts.clone();
        let mut in_synapses = vec![0u32; self.targets.len()];
        for (s, t) in (0..self.targets.len()).map(|s| (s, self.targets.get(s))) {
            in_synapses[fill[t as usize] as usize] = s as u32;
            fill[t as usize] += 1;
        }
        self.stdp = Some(Plasticity {
            params,
            pre_trace: vec![0.0; n],
            post_trace: vec![0.0; n],
            in_start: counts,
            in_synapses,
            sources,
        });
        Ok(())
    }

    /// Mean weight factor of the synapses of excitatory neurons (1 before any learning).
    pub fn mean_exc_weight(&self) -> f64 {
        let (mut sum, mut count) = (0.0, 0usize);
        for pop in self
            .populations
            .iter()
            .filter(|p| p.kind == PopulationKind::Excitatory)
        {
            let (a, b) = (
                self.row_start[pop.start] as usize,
                self.row_start[pop.start + pop.len] as usize,
            );
            sum += if self.weights.is_empty() {
                (b - a) as f64
            } else {
                self.weights[a..b].iter().map(|&w| f64::from(w)).sum::<f64>()
            };
            count += b - a;
        }
        if count == 0 { 1.0 } else { sum / count as f64 }
    }

    /// True while STDP is on.
    pub fn stdp_enabled(&self) -> bool {
        self.stdp.is_some()
    }

    /// The STDP parameters while STDP is on.
    pub fn stdp_params(&self) -> Option<StdpParams> {
        self.stdp.as_ref().map(|s| s.params)
    }

    /// The pair-based STDP update of this step's spikes, in this order: traces decay; each
    /// presynaptic spike depresses its outgoing E→E synapses by A− × (postsynaptic trace); each
    /// postsynaptic spike potentiates its incoming E→E synapses by A+ × (presynaptic trace); then
    /// both traces of every spiking neuron grow by 1. Weights stay within [0, w_max].
    pub(super) fn apply_stdp(&mut self) {
        let Some(stdp) = self.stdp.as_mut() else { return };
        let dt = self.params.dt_ms;
        let (decay_pre, decay_post) = (
            (-dt / stdp.params.tau_plus_ms).exp() as f32,
            (-dt / stdp.params.tau_minus_ms).exp() as f32,
        );
        stdp.pre_trace.iter_mut().for_each(|x| *x *= decay_pre);
        stdp.post_trace.iter_mut().for_each(|y| *y *= decay_post);
        let excitatory = |i: usize| {
            self.populations[population_index(&self.populations, i)].kind == PopulationKind::Excitatory
        };
        let (a_plus, a_minus, w_max) = (
            stdp.params.a_plus as f32,
            stdp.params.a_minus as f32,
            stdp.params.w_max as f32,
        );
        for &i in &self.spikes {
            let i = i as usize;
            if !excitatory(i) {
                continue;
            }
            for s in self.row_start[i] as usize..self.row_start[i + 1] as usize {
                let target = self.targets.get(s) as usize;
                if excitatory(target) && self.weights[s] >= 0.0 {
                    self.weights[s] = (self.weights[s] - a_minus * stdp.post_trace[target]).max(0.0);
                }
            }
            for k in stdp.in_start[i] as usize..stdp.in_start[i + 1] as usize {
                let s = stdp.in_synapses[k] as usize;
                let source = stdp.sources[s] as usize;
                if excitatory(source) && self.weights[s] >= 0.0 {
                    self.weights[s] = (self.weights[s] + a_plus * stdp.pre_trace[source]).min(w_max);
                }
            }
        }
        for &i in &self.spikes {
            stdp.pre_trace[i as usize] += 1.0;
            stdp.post_trace[i as usize] += 1.0;
        }
    }
}
