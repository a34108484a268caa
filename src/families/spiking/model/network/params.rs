//! Parameters of a network and their validation: populations, synapse model, drive, wiring rule.

use super::*;

/// Excitatory or inhibitory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PopulationKind {
    /// Its synapses add to the excitatory input.
    Excitatory,
    /// Its synapses add to the inhibitory input.
    Inhibitory,
}

/// How synaptic input acts on the membrane.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SynapseModel {
    /// Each spike makes V jump by the weight (Brunel 2000); input arriving during refractoriness is lost.
    Delta,
    /// Current-based exponential synapses: a spike adds the weight to g_e or g_i, which decay with
    /// τ_e, τ_i and drive τ_m dV/dt = −(V − V_rest) + g_e + g_i (Vogels & Abbott 2005, CUBA).
    Exponential {
        /// Decay time of excitatory currents, in ms.
        tau_e_ms: f64,
        /// Decay time of inhibitory currents, in ms.
        tau_i_ms: f64,
    },
}

/// External input to every neuron of a population.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, Default)]
pub struct ExternalDrive {
    /// Constant input μ, in mV (shifts the resting target of V).
    pub current_mv: f64,
    /// White-noise strength σ, in mV (Brunel convention: V fluctuates by σ/√2).
    pub noise_mv: f64,
    /// Number of independent Poisson sources onto each neuron.
    pub poisson_sources: usize,
    /// Rate of each Poisson source, in Hz.
    pub poisson_rate_hz: f64,
    /// Jump of V (or of g_e) per Poisson spike, in mV.
    pub poisson_weight_mv: f64,
}

/// What a person sets for one population.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PopulationParams {
    /// Name shown in the app ("E", "I").
    pub name: String,
    /// Excitatory or inhibitory.
    pub kind: PopulationKind,
    /// Number of neurons (structural: changing it rebuilds the network).
    pub size: usize,
    /// Neuron parameters.
    pub neuron: NeuronParams,
    /// External drive.
    pub drive: ExternalDrive,
}

/// Everything a person sets for a network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkParams {
    /// Time step, in ms (structural).
    pub dt_ms: f64,
    /// Transmission delay, in ms (structural; at least one step).
    pub delay_ms: f64,
    /// Delta or exponential synapses.
    pub synapse: SynapseModel,
    /// Weight of every excitatory synapse, in mV.
    pub j_exc_mv: f64,
    /// Weight of every inhibitory synapse, in mV (negative).
    pub j_inh_mv: f64,
    /// Global inhibition: every excitatory spike lowers the input of every neuron by this much after
    /// the delay, in mV (≥ 0; a fast inhibitory pool in mean-field form, as attractor memories use).
    #[serde(default)]
    pub global_inhibition_mv: f64,
    /// The populations, excitatory first.
    pub populations: Vec<PopulationParams>,
}

impl NetworkParams {
    /// Checks every value, with messages a person can act on.
    pub fn validate(&self) -> Result<(), SpikingError> {
        let bad = |m: String| Err(SpikingError::Params(m));
        if !(self.dt_ms.is_finite() && self.dt_ms >= MIN_DT_MS && self.dt_ms <= 1.0) {
            return bad(format!(
                "dt must be in [{MIN_DT_MS}, 1] ms, not {} ms",
                self.dt_ms
            ));
        }
        if !(self.delay_ms.is_finite() && self.delay_ms >= self.dt_ms - 1e-12 && self.delay_ms <= 100.0) {
            return bad(format!(
                "the delay must be between dt ({} ms) and 100 ms, not {} ms",
                self.dt_ms, self.delay_ms
            ));
        }
        if let SynapseModel::Exponential { tau_e_ms, tau_i_ms } = self.synapse
            && !(tau_e_ms > 0.0 && tau_i_ms > 0.0 && tau_e_ms.is_finite() && tau_i_ms.is_finite())
        {
            return bad(format!(
                "synaptic time constants must be positive (τ_e = {tau_e_ms} ms, τ_i = {tau_i_ms} ms)"
            ));
        }
        if !(self.j_exc_mv.is_finite() && self.j_inh_mv.is_finite())
            || self.j_exc_mv < 0.0
            || self.j_inh_mv > 0.0
        {
            return bad(format!(
                "excitatory weights must be ≥ 0 and inhibitory ≤ 0 (J_E = {} mV, J_I = {} mV)",
                self.j_exc_mv, self.j_inh_mv
            ));
        }
        if !(self.global_inhibition_mv.is_finite() && self.global_inhibition_mv >= 0.0) {
            return bad(format!(
                "global inhibition must be ≥ 0 mV, not {} mV",
                self.global_inhibition_mv
            ));
        }
        if self.populations.is_empty() || self.populations.iter().all(|p| p.size == 0) {
            return bad("a network needs at least one neuron".into());
        }
        // The delay ring holds (delay steps + 1) × N values: refuse what could not be allocated.
        let ring = self
            .populations
            .iter()
            .try_fold(0usize, |n, p| n.checked_add(p.size))
            .and_then(|n| n.checked_mul(self.delay_steps() + 1));
        if ring.is_none_or(|r| r > MAX_RING_VALUES) {
            return bad(format!(
                "{} neurons with a delay of {} steps need more memory than engram allows",
                self.populations
                    .iter()
                    .fold(0usize, |n, p| n.saturating_add(p.size)),
                self.delay_steps()
            ));
        }
        for p in &self.populations {
            p.neuron
                .validate(self.dt_ms)
                .map_err(|e| SpikingError::Params(format!("population {}: {e}", p.name)))?;
            let d = &p.drive;
            if ![d.current_mv, d.noise_mv, d.poisson_rate_hz, d.poisson_weight_mv]
                .iter()
                .all(|v| v.is_finite())
                || d.noise_mv < 0.0
                || d.poisson_rate_hz < 0.0
            {
                return bad(format!(
                    "population {}: drive values must be finite, σ and rates ≥ 0",
                    p.name
                ));
            }
            let per_step = d.poisson_sources as f64 * d.poisson_rate_hz * self.dt_ms / 1000.0;
            if per_step > MAX_POISSON_PER_STEP {
                return bad(format!(
                    "population {}: the Poisson drive brings {per_step:.3e} spikes per neuron and step \
                     ({} sources at {} Hz); engram draws at most {MAX_POISSON_PER_STEP:.0}: use fewer \
                     sources, a lower rate or a smaller step",
                    p.name, d.poisson_sources, d.poisson_rate_hz
                ));
            }
        }
        Ok(())
    }

    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.populations.iter().map(|p| p.size).sum()
    }

    pub(super) fn delay_steps(&self) -> usize {
        ((self.delay_ms / self.dt_ms).round() as usize).max(1)
    }
}

/// Most external Poisson spikes a neuron may expect per step (the count's table grows with it;
/// Brunel's drive is 2).
pub const MAX_POISSON_PER_STEP: f64 = 10_000.0;

/// The smallest time step a network may take, in ms.
pub const MIN_DT_MS: f64 = 0.001;
/// Most values in one delay ring buffer ((delay steps + 1) × neurons): 1 GiB of f32.
pub(super) const MAX_RING_VALUES: usize = 1 << 28;

/// How neurons are wired: per (post, pre) population pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Connectivity {
    /// Each pair of neurons (post in population a, pre in b) is connected with probability p[a][b].
    Probability(Vec<Vec<f64>>),
    /// Each neuron of population a receives exactly k[a][b] synapses from random neurons of b
    /// (drawn with replacement, no self-connections).
    FixedInDegree(Vec<Vec<usize>>),
    /// Explicit synapses (pre, post, weight factor), e.g. a learned attractor memory.
    Explicit(Vec<(u32, u32, f32)>),
}

/// A population as probes see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationInfo {
    /// Name ("E", "I").
    pub name: String,
    /// Excitatory or inhibitory.
    pub kind: PopulationKind,
    /// First neuron index.
    pub start: usize,
    /// Number of neurons.
    pub len: usize,
    /// Threshold (LIF) or cut-off (EIF), in mV.
    pub threshold_mv: f64,
    /// Reset, in mV.
    pub reset_mv: f64,
    /// Resting potential, in mV.
    pub rest_mv: f64,
}

/// Index of the population neuron `i` belongs to (the last one for an index beyond them all).
pub(super) fn population_index(populations: &[PopulationInfo], i: usize) -> usize {
    populations
        .iter()
        .position(|p| i < p.start + p.len)
        .unwrap_or(populations.len().saturating_sub(1))
}

/// The populations of params as probes see them.
pub(super) fn population_infos(params: &NetworkParams) -> Vec<PopulationInfo> {
    let mut populations = Vec::new();
    let mut start = 0;
    for p in &params.populations {
        populations.push(PopulationInfo {
            name: p.name.clone(),
            kind: p.kind,
            start,
            len: p.size,
            threshold_mv: p.neuron.v_threshold_mv,
            reset_mv: p.neuron.v_reset_mv,
            rest_mv: p.neuron.v_rest_mv,
        });
        start += p.size;
    }
    populations
}
