//! A recurrent network of integrate-and-fire populations with sparse synapses in compressed rows,
//! a homogeneous transmission delay through a ring buffer, and external drive.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use super::SpikingError;
use super::neuron::{NeuronModel, NeuronParams};
use crate::rng::{SimRng, substream};

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
        }
        Ok(())
    }

    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.populations.iter().map(|p| p.size).sum()
    }

    fn delay_steps(&self) -> usize {
        ((self.delay_ms / self.dt_ms).round() as usize).max(1)
    }
}

/// The smallest time step a network may take, in ms.
pub const MIN_DT_MS: f64 = 0.001;
/// Most values in one delay ring buffer ((delay steps + 1) × neurons): 1 GiB of f32.
const MAX_RING_VALUES: usize = 1 << 28;

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

/// Propagators of one population for the current params and dt.
#[derive(Debug, Clone, Copy)]
struct Propagators {
    /// e^{−dt/τ_m}.
    decay_m: f32,
    /// Contribution of g_e and g_i (at the step's start) to V at its end (exponential synapses).
    from_ge: f32,
    from_gi: f32,
    /// V's resting target V_rest + μ.
    target: f32,
    /// Standard deviation of the white-noise increment per step.
    noise_sd: f32,
    threshold: f32,
    reset: f32,
    refractory_steps: u16,
    /// Cumulative Poisson probabilities of 0, 1, 2, ... external spikes per step.
    poisson_cdf: [f32; 24],
    poisson_weight: f32,
    eif: Option<(f32, f32, f32)>,
}

/// Builds a propagator from parameters.
fn propagators(p: &PopulationParams, params: &NetworkParams) -> Propagators {
    let dt = params.dt_ms;
    let n = &p.neuron;
    let decay_m = (-dt / n.tau_m_ms).exp();
    let from_g = |tau_s: f64| {
        if (tau_s - n.tau_m_ms).abs() < 1e-9 {
            dt / n.tau_m_ms * decay_m
        } else {
            tau_s / (tau_s - n.tau_m_ms) * ((-dt / tau_s).exp() - decay_m)
        }
    };
    let (from_ge, from_gi) = match params.synapse {
        SynapseModel::Exponential { tau_e_ms, tau_i_ms } => (from_g(tau_e_ms), from_g(tau_i_ms)),
        SynapseModel::Delta => (0.0, 0.0),
    };
    let noise_sd = match n.model {
        NeuronModel::Lif => p.drive.noise_mv * (0.5 * (1.0 - decay_m * decay_m)).sqrt(),
        NeuronModel::Eif { .. } => p.drive.noise_mv * (dt / n.tau_m_ms).sqrt(),
    };
    let lambda = p.drive.poisson_sources as f64 * p.drive.poisson_rate_hz * dt / 1000.0;
    let mut poisson_cdf = [1.0f32; 24];
    if lambda > 0.0 {
        let (mut term, mut sum) = ((-lambda).exp(), 0.0);
        for (k, slot) in poisson_cdf.iter_mut().enumerate() {
            sum += term;
            *slot = sum as f32;
            term *= lambda / (k + 1) as f64;
        }
        poisson_cdf[23] = 1.0;
    }
    let eif = match n.model {
        NeuronModel::Eif { delta_t_mv, v_t_mv } => {
            Some((delta_t_mv as f32, v_t_mv as f32, (dt / n.tau_m_ms) as f32))
        }
        NeuronModel::Lif => None,
    };
    Propagators {
        decay_m: decay_m as f32,
        from_ge: from_ge as f32,
        from_gi: from_gi as f32,
        target: (n.v_rest_mv + p.drive.current_mv) as f32,
        noise_sd: noise_sd as f32,
        threshold: n.v_threshold_mv as f32,
        reset: n.v_reset_mv as f32,
        refractory_steps: n.refractory_steps(dt).min(u16::MAX as u32) as u16,
        poisson_cdf,
        poisson_weight: if lambda > 0.0 {
            p.drive.poisson_weight_mv as f32
        } else {
            0.0
        },
        eif,
    }
}

/// A network of integrate-and-fire populations.
///
/// One step, in this order: (1) deliver the input arriving now from the delay ring buffer and the
/// external Poisson drive; (2) integrate every non-refractory neuron exactly over dt (EIF: Euler);
/// exponential synaptic currents decay; (3) threshold: neurons at or above threshold spike;
/// (4) reset them and start their refractory period; (5) send their spikes into the ring buffer
/// slot `delay` steps ahead.
pub struct Network {
    params: NetworkParams,
    connectivity: Connectivity,
    populations: Vec<PopulationInfo>,
    props: Vec<Propagators>,
    /// Presynaptic compressed rows: synapses of neuron i are row_start[i]..row_start[i + 1].
    row_start: Vec<u32>,
    targets: Vec<u32>,
    /// Per-synapse weight factor (1 for static synapses; plastic under STDP).
    weights: Vec<f32>,
    /// Membrane potentials, in mV.
    v: Vec<f32>,
    g_exc: Vec<f32>,
    g_inh: Vec<f32>,
    refractory: Vec<u16>,
    /// Input per delay slot, excitatory and inhibitory: `slots × N`.
    ring_exc: Vec<f32>,
    ring_inh: Vec<f32>,
    slots: usize,
    stimulus_mv: Vec<f32>,
    spikes: Vec<u32>,
    steps: u64,
    synaptic_events: u64,
    rng: SimRng,
    recent_spikes: u64,
    recent_window_start: u64,
    forced: Vec<u32>,
    stdp: Option<Plasticity>,
}

/// The populations of params as probes see them.
fn population_infos(params: &NetworkParams) -> Vec<PopulationInfo> {
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
struct Plasticity {
    params: StdpParams,
    pre_trace: Vec<f32>,
    post_trace: Vec<f32>,
    /// Synapse indices grouped by postsynaptic neuron: in_synapses[in_start[j]..in_start[j + 1]].
    in_start: Vec<u32>,
    in_synapses: Vec<u32>,
    /// Presynaptic neuron of every synapse.
    sources: Vec<u32>,
}

impl Network {
    /// Builds a network from params and connectivity; `seed` fixes wiring, initial state and noise.
    pub fn new(
        params: NetworkParams,
        connectivity: Connectivity,
        initial_v: impl Fn(usize, &mut SimRng) -> f64,
        seed: u64,
    ) -> Result<Self, SpikingError> {
        params.validate()?;
        let n = params.n_neurons();
        let populations = population_infos(&params);
        let Wiring {
            row_start,
            targets,
            weights,
        } = wire(&populations, &connectivity, &mut substream(seed, 1))?;
        let mut init_rng = substream(seed, 2);
        let v = (0..n).map(|i| initial_v(i, &mut init_rng) as f32).collect();
        let slots = params.delay_steps() + 1;
        let props = params
            .populations
            .iter()
            .map(|p| propagators(p, &params))
            .collect();
        Ok(Self {
            props,
            params,
            connectivity,
            populations,
            row_start,
            targets,
            weights,
            v,
            g_exc: vec![0.0; n],
            g_inh: vec![0.0; n],
            refractory: vec![0; n],
            ring_exc: vec![0.0; slots * n],
            ring_inh: vec![0.0; slots * n],
            slots,
            stimulus_mv: vec![0.0; n],
            spikes: Vec::new(),
            steps: 0,
            synaptic_events: 0,
            rng: substream(seed, 3),
            recent_spikes: 0,
            recent_window_start: 0,
            forced: Vec::new(),
            stdp: None,
        })
    }

    /// Advances one step (see the type's doc for the order); errors if the network diverged.
    pub fn try_step(&mut self) -> Result<(), SpikingError> {
        self.step();
        self.check_divergence()
    }

    /// Advances one step without the divergence check.
    pub fn step(&mut self) {
        let n = self.v.len();
        let slot = (self.steps % self.slots as u64) as usize;
        let write_slot = ((self.steps + self.params.delay_steps() as u64) % self.slots as u64) as usize;
        self.spikes.clear();
        let delta = matches!(self.params.synapse, SynapseModel::Delta);
        let (decay_e, decay_i) = match self.params.synapse {
            SynapseModel::Exponential { tau_e_ms, tau_i_ms } => (
                (-self.params.dt_ms / tau_e_ms).exp() as f32,
                (-self.params.dt_ms / tau_i_ms).exp() as f32,
            ),
            SynapseModel::Delta => (0.0, 0.0),
        };
        for (pop, props) in self.populations.iter().zip(&self.props) {
            let range = pop.start..pop.start + pop.len;
            let base = slot * n;
            let state = Slices {
                v: &mut self.v[range.clone()],
                g_exc: &mut self.g_exc[range.clone()],
                g_inh: &mut self.g_inh[range.clone()],
                refractory: &mut self.refractory[range.clone()],
                input_e: &mut self.ring_exc[base + range.start..base + range.end],
                input_i: &mut self.ring_inh[base + range.start..base + range.end],
                stimulus: &self.stimulus_mv[range.clone()],
            };
            let simple = props.eif.is_none() && props.noise_sd == 0.0;
            match (delta, simple) {
                (false, true) if props.poisson_weight == 0.0 => {
                    integrate_exponential_lif(state, props, decay_e, decay_i)
                }
                (true, true) => integrate_delta_lif(state, props, &mut self.rng),
                _ => integrate_general(state, props, delta, decay_e, decay_i, &mut self.rng),
            }
            // Threshold, reset, refractoriness (refractory neurons sit at reset, below threshold).
            let v = &mut self.v[range.clone()];
            let refractory = &mut self.refractory[range.clone()];
            for (k, (v, r)) in v.iter_mut().zip(refractory.iter_mut()).enumerate() {
                if *v >= props.threshold {
                    *v = props.reset;
                    *r = props.refractory_steps;
                    self.spikes.push((range.start + k) as u32);
                }
            }
        }
        // Forced spikes (a stimulation electrode) join the neurons that are not refractory.
        for i in std::mem::take(&mut self.forced) {
            let k = i as usize;
            if self.refractory[k] == 0 && !self.spikes.contains(&i) {
                let props = self.props[self.population_of(k)];
                self.v[k] = props.reset;
                self.refractory[k] = props.refractory_steps;
                self.spikes.push(i);
            }
        }
        self.apply_stdp();
        // Send.
        let write_e = write_slot * n;
        if self.params.global_inhibition_mv > 0.0 {
            let excitatory_spikes = self
                .spikes
                .iter()
                .filter(|&&i| {
                    self.populations[self.population_of(i as usize)].kind == PopulationKind::Excitatory
                })
                .count();
            if excitatory_spikes > 0 {
                let drop = (self.params.global_inhibition_mv * excitatory_spikes as f64) as f32;
                self.ring_inh[write_e..write_e + n]
                    .iter_mut()
                    .for_each(|x| *x -= drop);
            }
        }
        for &i in &self.spikes {
            let i = i as usize;
            let pop = self
                .populations
                .iter()
                .position(|p| i < p.start + p.len)
                .unwrap_or(0);
            let (ring, scale) = match self.populations[pop].kind {
                PopulationKind::Excitatory => (&mut self.ring_exc, self.params.j_exc_mv as f32),
                PopulationKind::Inhibitory => (&mut self.ring_inh, self.params.j_inh_mv as f32),
            };
            let (a, b) = (self.row_start[i] as usize, self.row_start[i + 1] as usize);
            let ring = &mut ring[write_e..write_e + n];
            for (&t, &w) in self.targets[a..b].iter().zip(&self.weights[a..b]) {
                ring[t as usize] += w * scale;
            }
            self.synaptic_events += (b - a) as u64;
        }
        self.recent_spikes += self.spikes.len() as u64;
        self.steps += 1;
    }

    /// Index of the population neuron `i` belongs to.
    fn population_of(&self, i: usize) -> usize {
        self.populations
            .iter()
            .position(|p| i < p.start + p.len)
            .unwrap_or(0)
    }

    /// Makes `neuron` spike in the next step unless it is refractory (a stimulation electrode).
    pub fn force_spike(&mut self, neuron: u32) {
        if (neuron as usize) < self.v.len() {
            self.forced.push(neuron);
        }
    }

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
        let n = self.v.len();
        let mut sources = vec![0u32; self.targets.len()];
        let mut counts = vec![0u32; n + 1];
        for pre in 0..n {
            for s in self.row_start[pre] as usize..self.row_start[pre + 1] as usize {
                sources[s] = pre as u32;
                counts[self.targets[s] as usize + 1] += 1;
            }
        }
        for j in 0..n {
            counts[j + 1] += counts[j];
        }
        let mut fill = counts.clone();
        let mut in_synapses = vec![0u32; self.targets.len()];
        for (s, &t) in self.targets.iter().enumerate() {
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
            sum += self.weights[a..b].iter().map(|&w| f64::from(w)).sum::<f64>();
            count += b - a;
        }
        if count == 0 { 1.0 } else { sum / count as f64 }
    }

    /// True while STDP is on.
    pub fn stdp_enabled(&self) -> bool {
        self.stdp.is_some()
    }

    /// The pair-based STDP update of this step's spikes, in this order: traces decay; each
    /// presynaptic spike depresses its outgoing E→E synapses by A− × (postsynaptic trace); each
    /// postsynaptic spike potentiates its incoming E→E synapses by A+ × (presynaptic trace); then
    /// both traces of every spiking neuron grow by 1. Weights stay within [0, w_max].
    fn apply_stdp(&mut self) {
        let Some(stdp) = self.stdp.as_mut() else { return };
        let dt = self.params.dt_ms;
        let (decay_pre, decay_post) = (
            (-dt / stdp.params.tau_plus_ms).exp() as f32,
            (-dt / stdp.params.tau_minus_ms).exp() as f32,
        );
        stdp.pre_trace.iter_mut().for_each(|x| *x *= decay_pre);
        stdp.post_trace.iter_mut().for_each(|y| *y *= decay_post);
        let excitatory = |i: usize| {
            self.populations
                .iter()
                .find(|p| i < p.start + p.len)
                .is_some_and(|p| p.kind == PopulationKind::Excitatory)
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
                let target = self.targets[s] as usize;
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

    /// Errors when V is not finite or the network fires near its maximal rate (a runaway).
    fn check_divergence(&mut self) -> Result<(), SpikingError> {
        let window = ((50.0 / self.params.dt_ms) as u64).max(1);
        if self.steps - self.recent_window_start < window {
            return Ok(());
        }
        let seconds = (self.steps - self.recent_window_start) as f64 * self.params.dt_ms / 1000.0;
        let rate = self.recent_spikes as f64 / self.v.len().max(1) as f64 / seconds;
        self.recent_spikes = 0;
        self.recent_window_start = self.steps;
        if let Some(i) = self.v.iter().position(|v| !v.is_finite()) {
            return Err(SpikingError::Diverged(format!(
                "the membrane potential of neuron {i} became {} at t = {:.1} ms",
                self.v[i],
                self.steps as f64 * self.params.dt_ms
            )));
        }
        let max_ref = self
            .params
            .populations
            .iter()
            .map(|p| p.neuron.tau_ref_ms)
            .fold(0.0, f64::max)
            .max(self.params.dt_ms);
        // Every neuron firing at (almost) every chance it has: nothing but a runaway does that.
        let ceiling = 0.98 * 1000.0 / (max_ref + self.params.dt_ms);
        if rate > ceiling {
            return Err(SpikingError::Diverged(format!(
                "runaway activity: the mean rate reached {rate:.0} Hz (near the refractory limit of {:.0} Hz) at t = {:.1} ms",
                1000.0 / max_ref,
                self.steps as f64 * self.params.dt_ms
            )));
        }
        Ok(())
    }

    /// Neurons that spiked in the last step.
    pub fn last_spikes(&self) -> &[u32] {
        &self.spikes
    }

    /// Steps taken.
    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// Step size, in ms.
    pub fn dt_ms(&self) -> f64 {
        self.params.dt_ms
    }

    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.v.len()
    }

    /// Number of synapses.
    pub fn n_synapses(&self) -> usize {
        self.targets.len()
    }

    /// Spikes delivered to synapses so far (spikes × out-degree).
    pub fn synaptic_events(&self) -> u64 {
        self.synaptic_events
    }

    /// The populations.
    pub fn populations(&self) -> &[PopulationInfo] {
        &self.populations
    }

    /// Membrane potential of every neuron, in mV.
    pub fn v_mv(&self) -> &[f32] {
        &self.v
    }

    /// The parameters in use.
    pub fn params(&self) -> &NetworkParams {
        &self.params
    }

    /// The wiring rule.
    pub fn connectivity(&self) -> &Connectivity {
        &self.connectivity
    }

    /// Changes parameters from the next step on, keeping the state; structural changes are refused.
    pub fn set_params(&mut self, params: NetworkParams) -> Result<(), SpikingError> {
        params.validate()?;
        let structural = params.dt_ms != self.params.dt_ms
            || params.delay_steps() != self.params.delay_steps()
            || params.populations.len() != self.params.populations.len()
            || params
                .populations
                .iter()
                .zip(&self.params.populations)
                .any(|(a, b)| a.size != b.size || a.kind != b.kind)
            || std::mem::discriminant(&params.synapse) != std::mem::discriminant(&self.params.synapse);
        if structural {
            return Err(SpikingError::Params(
                "dt, delay, population sizes and the synapse model change the structure: rebuild the network"
                    .into(),
            ));
        }
        self.props = params
            .populations
            .iter()
            .map(|p| propagators(p, &params))
            .collect();
        for (info, p) in self.populations.iter_mut().zip(&params.populations) {
            info.threshold_mv = p.neuron.v_threshold_mv;
            info.reset_mv = p.neuron.v_reset_mv;
            info.rest_mv = p.neuron.v_rest_mv;
        }
        self.params = params;
        Ok(())
    }

    /// Injects a constant input of `current_mv` (shifting V's target) into `neurons`, until cleared.
    pub fn set_stimulus(&mut self, neurons: &[u32], current_mv: f64) {
        for &i in neurons {
            if let Some(s) = self.stimulus_mv.get_mut(i as usize) {
                *s = current_mv as f32;
            }
        }
    }

    /// Removes every stimulus.
    /// Sets the stimulus current of every neuron at once (mV, one value per neuron; extra values are ignored).
    pub fn set_stimulus_values(&mut self, values_mv: &[f32]) {
        for (s, &v) in self.stimulus_mv.iter_mut().zip(values_mv) {
            *s = v;
        }
    }

    /// Applies `f` to every synaptic weight factor.
    pub fn map_weights(&mut self, mut f: impl FnMut(f32) -> f32) {
        self.weights.iter_mut().for_each(|w| *w = f(*w));
    }

    /// Replaces the weights of an explicitly wired network by those of the same synapses (pre, post,
    /// weight) in the same order; refuses a list that names other synapses.
    pub fn replace_weights(&mut self, synapses: &[(u32, u32, f32)]) -> Result<(), SpikingError> {
        let Connectivity::Explicit(current) = &mut self.connectivity else {
            return Err(SpikingError::Params(
                "only explicitly wired networks take new weights".into(),
            ));
        };
        if current.len() != synapses.len()
            || current
                .iter()
                .zip(synapses)
                .any(|(a, b)| (a.0, a.1) != (b.0, b.1))
        {
            return Err(SpikingError::Params("the new weights name other synapses".into()));
        }
        current.copy_from_slice(synapses);
        let wiring = wire(&self.populations, &self.connectivity, &mut substream(0, 1))?;
        self.weights = wiring.weights;
        Ok(())
    }

    pub fn clear_stimulus(&mut self) {
        self.stimulus_mv.fill(0.0);
    }

    /// Outgoing synapses of neuron i: (targets, weight factors).
    pub fn synapses_of(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.row_start[i] as usize, self.row_start[i + 1] as usize);
        (&self.targets[a..b], &self.weights[a..b])
    }
}

/// The wiring rule in a saved network state; explicit synapses as three parallel arrays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ConnectivityState {
    /// See [`Connectivity::Probability`].
    Probability(Vec<Vec<f64>>),
    /// See [`Connectivity::FixedInDegree`].
    FixedInDegree(Vec<Vec<usize>>),
    /// See [`Connectivity::Explicit`]: presynaptic neurons, postsynaptic neurons and weight factors.
    Explicit {
        /// Presynaptic neuron of every synapse.
        #[serde(with = "crate::blob")]
        pre: Vec<u32>,
        /// Postsynaptic neuron of every synapse.
        #[serde(with = "crate::blob")]
        post: Vec<u32>,
        /// Weight factor of every synapse.
        #[serde(with = "crate::blob")]
        weight: Vec<f32>,
    },
}

/// STDP in a saved network state: its parameters and traces.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StdpState {
    /// The STDP parameters.
    pub params: StdpParams,
    /// Presynaptic trace of every neuron.
    #[serde(with = "crate::blob")]
    pub pre_trace: Vec<f32>,
    /// Postsynaptic trace of every neuron.
    #[serde(with = "crate::blob")]
    pub post_trace: Vec<f32>,
}

/// Everything a [`Network`] needs to continue exactly where it was, learned weights included
/// (see [`Network::save_state`]). Propagators and STDP's postsynaptic index are derived again on load.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkState {
    /// The parameters in use.
    pub params: NetworkParams,
    /// The wiring rule the synapses were drawn with.
    pub connectivity: ConnectivityState,
    /// Compressed rows: synapses of neuron i are `row_start[i]..row_start[i + 1]`.
    #[serde(with = "crate::blob")]
    pub row_start: Vec<u32>,
    /// Postsynaptic neuron of every synapse.
    #[serde(with = "crate::blob")]
    pub targets: Vec<u32>,
    /// Weight factor of every synapse (learned ones under STDP).
    #[serde(with = "crate::blob")]
    pub weights: Vec<f32>,
    /// Membrane potentials, in mV.
    #[serde(with = "crate::blob")]
    pub v: Vec<f32>,
    /// Excitatory synaptic currents.
    #[serde(with = "crate::blob")]
    pub g_exc: Vec<f32>,
    /// Inhibitory synaptic currents.
    #[serde(with = "crate::blob")]
    pub g_inh: Vec<f32>,
    /// Refractory steps left per neuron.
    #[serde(with = "crate::blob")]
    pub refractory: Vec<u16>,
    /// Excitatory input per delay slot (`slots × N`).
    #[serde(with = "crate::blob")]
    pub ring_exc: Vec<f32>,
    /// Inhibitory input per delay slot (`slots × N`).
    #[serde(with = "crate::blob")]
    pub ring_inh: Vec<f32>,
    /// Stimulus current per neuron, in mV.
    #[serde(with = "crate::blob")]
    pub stimulus_mv: Vec<f32>,
    /// Neurons that spiked in the last step.
    #[serde(with = "crate::blob")]
    pub last_spikes: Vec<u32>,
    /// Forced spikes waiting for the next step.
    #[serde(with = "crate::blob")]
    pub forced: Vec<u32>,
    /// Steps taken.
    pub steps: u64,
    /// Synaptic events so far.
    pub synaptic_events: u64,
    /// Spikes since the divergence check's window started.
    pub recent_spikes: u64,
    /// Step at which the divergence check's window started.
    pub recent_window_start: u64,
    /// The random number generator of the noise and the Poisson drive.
    pub rng: SimRng,
    /// STDP, when it is on.
    pub stdp: Option<StdpState>,
}

impl Network {
    /// Captures everything needed to continue this run exactly, learned weights included.
    pub fn save_state(&self) -> NetworkState {
        let connectivity = match &self.connectivity {
            Connectivity::Probability(p) => ConnectivityState::Probability(p.clone()),
            Connectivity::FixedInDegree(k) => ConnectivityState::FixedInDegree(k.clone()),
            Connectivity::Explicit(list) => ConnectivityState::Explicit {
                pre: list.iter().map(|s| s.0).collect(),
                post: list.iter().map(|s| s.1).collect(),
                weight: list.iter().map(|s| s.2).collect(),
            },
        };
        NetworkState {
            params: self.params.clone(),
            connectivity,
            row_start: self.row_start.clone(),
            targets: self.targets.clone(),
            weights: self.weights.clone(),
            v: self.v.clone(),
            g_exc: self.g_exc.clone(),
            g_inh: self.g_inh.clone(),
            refractory: self.refractory.clone(),
            ring_exc: self.ring_exc.clone(),
            ring_inh: self.ring_inh.clone(),
            stimulus_mv: self.stimulus_mv.clone(),
            last_spikes: self.spikes.clone(),
            forced: self.forced.clone(),
            steps: self.steps,
            synaptic_events: self.synaptic_events,
            recent_spikes: self.recent_spikes,
            recent_window_start: self.recent_window_start,
            rng: self.rng.clone(),
            stdp: self.stdp.as_ref().map(|p| StdpState {
                params: p.params,
                pre_trace: p.pre_trace.clone(),
                post_trace: p.post_trace.clone(),
            }),
        }
    }

    /// Rebuilds a network from a captured state, checking that every length fits and every value is finite.
    pub fn from_state(s: NetworkState) -> Result<Self, SpikingError> {
        s.params.validate()?;
        let bad = |m: String| Err(SpikingError::Params(format!("saved network: {m}")));
        let n = s.params.n_neurons();
        let slots = s.params.delay_steps() + 1;
        let populations = population_infos(&s.params);
        let count = populations.len();
        let connectivity = match s.connectivity {
            ConnectivityState::Probability(p) => Connectivity::Probability(p),
            ConnectivityState::FixedInDegree(k) => Connectivity::FixedInDegree(k),
            ConnectivityState::Explicit { pre, post, weight } => {
                if pre.len() != post.len() || pre.len() != weight.len() {
                    return bad("the explicit synapse lists differ in length".into());
                }
                if pre.iter().chain(&post).any(|&i| i as usize >= n) {
                    return bad(format!("an explicit synapse names a neuron beyond {n}"));
                }
                Connectivity::Explicit(
                    pre.into_iter()
                        .zip(post)
                        .zip(weight)
                        .map(|((a, b), w)| (a, b, w))
                        .collect(),
                )
            }
        };
        match &connectivity {
            Connectivity::Probability(p) if p.len() != count || p.iter().any(|r| r.len() != count) => {
                return bad(format!("the connection probabilities are not {count}×{count}"));
            }
            Connectivity::FixedInDegree(k) if k.len() != count || k.iter().any(|r| r.len() != count) => {
                return bad(format!("the in-degrees are not {count}×{count}"));
            }
            _ => {}
        }
        let synapses = s.targets.len();
        if s.row_start.len() != n + 1
            || s.row_start.first() != Some(&0)
            || s.row_start.windows(2).any(|w| w[0] > w[1])
            || s.row_start.last().map(|&x| x as usize) != Some(synapses)
        {
            return bad(format!(
                "the synapse rows do not describe {n} neurons and {synapses} synapses"
            ));
        }
        if s.weights.len() != synapses {
            return bad(format!("{} weights for {synapses} synapses", s.weights.len()));
        }
        if s.targets.iter().any(|&t| t as usize >= n) {
            return bad(format!("a synapse targets a neuron beyond {n}"));
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        if !finite(&s.weights) {
            return bad("a synaptic weight is not a finite number".into());
        }
        for (name, values, len) in [
            ("membrane potentials", &s.v, n),
            ("excitatory currents", &s.g_exc, n),
            ("inhibitory currents", &s.g_inh, n),
            ("stimulus currents", &s.stimulus_mv, n),
            ("excitatory delay buffer", &s.ring_exc, slots * n),
            ("inhibitory delay buffer", &s.ring_inh, slots * n),
        ] {
            if values.len() != len {
                return bad(format!("{} {name} for {len} slots", values.len()));
            }
            if !finite(values) {
                return bad(format!("the {name} hold a value that is not a finite number"));
            }
        }
        if s.refractory.len() != n {
            return bad(format!(
                "{} refractory counters for {n} neurons",
                s.refractory.len()
            ));
        }
        if s.last_spikes.iter().chain(&s.forced).any(|&i| i as usize >= n) {
            return bad(format!("a spike names a neuron beyond {n}"));
        }
        if s.recent_window_start > s.steps {
            return bad("the divergence window starts after the last step".into());
        }
        let props = s
            .params
            .populations
            .iter()
            .map(|p| propagators(p, &s.params))
            .collect();
        let mut network = Self {
            props,
            params: s.params,
            connectivity,
            populations,
            row_start: s.row_start,
            targets: s.targets,
            weights: s.weights,
            v: s.v,
            g_exc: s.g_exc,
            g_inh: s.g_inh,
            refractory: s.refractory,
            ring_exc: s.ring_exc,
            ring_inh: s.ring_inh,
            slots,
            stimulus_mv: s.stimulus_mv,
            spikes: s.last_spikes,
            steps: s.steps,
            synaptic_events: s.synaptic_events,
            rng: s.rng,
            recent_spikes: s.recent_spikes,
            recent_window_start: s.recent_window_start,
            forced: s.forced,
            stdp: None,
        };
        if let Some(stdp) = s.stdp {
            if stdp.pre_trace.len() != n || stdp.post_trace.len() != n {
                return bad(format!("the STDP traces are not {n} values"));
            }
            if !finite(&stdp.pre_trace) || !finite(&stdp.post_trace) {
                return bad("an STDP trace is not a finite number".into());
            }
            network.set_stdp(Some(stdp.params))?;
            if let Some(plasticity) = network.stdp.as_mut() {
                plasticity.pre_trace = stdp.pre_trace;
                plasticity.post_trace = stdp.post_trace;
            }
        }
        Ok(network)
    }
}

/// The state of one population for one step: its neurons and the input arriving now.
struct Slices<'a> {
    v: &'a mut [f32],
    g_exc: &'a mut [f32],
    g_inh: &'a mut [f32],
    refractory: &'a mut [u16],
    input_e: &'a mut [f32],
    input_i: &'a mut [f32],
    stimulus: &'a [f32],
}

/// LIF with exponential synapses, no noise and no Poisson drive (CUBA): straight-line code the
/// compiler vectorises. Currents take the arriving input, drive V exactly over the step, and decay.
fn integrate_exponential_lif(s: Slices<'_>, p: &Propagators, decay_e: f32, decay_i: f32) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
    } = s;
    for i in 0..v.len() {
        let ge = g_exc[i] + input_e[i];
        let gi = g_inh[i] + input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        let target = p.target + stimulus[i];
        let integrated = target + (v[i] - target) * p.decay_m + ge * p.from_ge + gi * p.from_gi;
        let active = refractory[i] == 0;
        v[i] = if active { integrated } else { v[i] };
        refractory[i] = refractory[i].saturating_sub(1);
        g_exc[i] = ge * decay_e;
        g_inh[i] = gi * decay_i;
    }
}

/// Draws the number of external Poisson spikes arriving in one step from the tabulated CDF.
fn poisson_count(p: &Propagators, rng: &mut SimRng) -> f32 {
    let u: f32 = rng.random();
    p.poisson_cdf.iter().position(|&c| u < c).unwrap_or(23) as f32
}

/// LIF with delta synapses (Brunel): V jumps by the arriving input; input during refractoriness is lost.
fn integrate_delta_lif(s: Slices<'_>, p: &Propagators, rng: &mut SimRng) {
    let Slices {
        v,
        refractory,
        input_e,
        input_i,
        stimulus,
        ..
    } = s;
    let poisson = p.poisson_weight != 0.0;
    for i in 0..v.len() {
        let mut input = input_e[i] + input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        if poisson {
            input += poisson_count(p, rng) * p.poisson_weight;
        }
        if refractory[i] > 0 {
            refractory[i] -= 1;
            continue;
        }
        let target = p.target + stimulus[i];
        v[i] = target + (v[i] - target) * p.decay_m + input;
    }
}

/// Every other combination: EIF, white noise, Poisson drive onto exponential synapses.
fn integrate_general(
    s: Slices<'_>,
    p: &Propagators,
    delta: bool,
    decay_e: f32,
    decay_i: f32,
    rng: &mut SimRng,
) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
    } = s;
    for i in 0..v.len() {
        let mut arriving_e = input_e[i];
        let arriving_i = input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        if p.poisson_weight != 0.0 {
            arriving_e += poisson_count(p, rng) * p.poisson_weight;
        }
        if refractory[i] > 0 {
            refractory[i] -= 1;
            if !delta {
                g_exc[i] = (g_exc[i] + arriving_e) * decay_e;
                g_inh[i] = (g_inh[i] + arriving_i) * decay_i;
            }
            continue;
        }
        let target = p.target + stimulus[i];
        let mut x = v[i];
        if let Some((delta_t, v_t, dt_over_tau)) = p.eif {
            let spike_current = delta_t * ((x - v_t) / delta_t).min(50.0).exp();
            x += dt_over_tau * (target - x + spike_current);
            if !delta {
                x += dt_over_tau * (g_exc[i] + g_inh[i]);
            }
        } else {
            x = target + (x - target) * p.decay_m;
        }
        if delta {
            x += arriving_e + arriving_i;
        } else {
            let ge = g_exc[i] + arriving_e;
            let gi = g_inh[i] + arriving_i;
            if p.eif.is_none() {
                x += ge * p.from_ge + gi * p.from_gi;
            }
            g_exc[i] = ge * decay_e;
            g_inh[i] = gi * decay_i;
        }
        if p.noise_sd > 0.0 {
            let xi: f32 = StandardNormal.sample(rng);
            x += p.noise_sd * xi;
        }
        v[i] = x;
    }
}

/// Synapses in presynaptic compressed rows.
struct Wiring {
    row_start: Vec<u32>,
    targets: Vec<u32>,
    weights: Vec<f32>,
}

/// Draws the synapses and stores them in presynaptic compressed rows.
/// Most synapses engram builds: about 6 GB while wiring (a (pre, post) pair, a target and a weight each).
pub const MAX_SYNAPSES: f64 = 400e6;

/// Bytes per synapse while the network is wired (pair list, then target and weight).
const BYTES_PER_SYNAPSE: f64 = 16.0;

/// Refuses a wiring whose expected number of synapses would not fit, with the memory it would need.
fn check_synapse_budget(
    populations: &[PopulationInfo],
    connectivity: &Connectivity,
) -> Result<(), SpikingError> {
    let expected: f64 = match connectivity {
        Connectivity::Probability(p) => populations
            .iter()
            .enumerate()
            .map(|(a, post)| {
                populations
                    .iter()
                    .enumerate()
                    .map(|(b, pre)| {
                        let prob = p.get(a).and_then(|row| row.get(b)).copied().unwrap_or(0.0);
                        prob.clamp(0.0, 1.0) * post.len as f64 * pre.len as f64
                    })
                    .sum::<f64>()
            })
            .sum(),
        Connectivity::FixedInDegree(k) => populations
            .iter()
            .enumerate()
            .map(|(a, post)| {
                let in_degree: usize = k.get(a).map_or(0, |row| row.iter().sum());
                in_degree as f64 * post.len as f64
            })
            .sum(),
        Connectivity::Explicit(list) => list.len() as f64,
    };
    if expected > MAX_SYNAPSES {
        return Err(SpikingError::Params(format!(
            "this wiring makes about {:.2e} synapses, which would need about {:.0} GB of memory; engram builds at most {:.0e} ({:.0} GB): use fewer neurons or a lower connection probability",
            expected,
            expected * BYTES_PER_SYNAPSE / 1e9,
            MAX_SYNAPSES,
            MAX_SYNAPSES * BYTES_PER_SYNAPSE / 1e9
        )));
    }
    Ok(())
}

fn wire(
    populations: &[PopulationInfo],
    connectivity: &Connectivity,
    rng: &mut SimRng,
) -> Result<Wiring, SpikingError> {
    let n: usize = populations.iter().map(|p| p.len).sum();
    let count = populations.len();
    let check = |rows: usize, cols: &[usize]| {
        if rows != count || cols.iter().any(|&c| c != count) {
            Err(SpikingError::Params(format!(
                "connectivity must be {count}×{count} (one entry per population pair)"
            )))
        } else {
            Ok(())
        }
    };
    check_synapse_budget(populations, connectivity)?;
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut explicit_weights: Option<Vec<f32>> = None;
    match connectivity {
        Connectivity::Probability(p) => {
            check(p.len(), &p.iter().map(Vec::len).collect::<Vec<_>>())?;
            for (a, post) in populations.iter().enumerate() {
                for (b, pre) in populations.iter().enumerate() {
                    let prob = p[a][b];
                    if !(0.0..=1.0).contains(&prob) {
                        return Err(SpikingError::Params(format!(
                            "connection probability {prob} is not in [0, 1]"
                        )));
                    }
                    if prob == 0.0 {
                        continue;
                    }
                    let expected = (post.len as f64 * pre.len as f64 * prob) as usize;
                    pairs.reserve(expected + expected / 10);
                    // Geometric skipping over the post × pre grid: one draw per synapse.
                    let total = (post.len * pre.len) as u64;
                    let log_q = (1.0 - prob).ln();
                    let mut k: u64 = 0;
                    loop {
                        if prob < 1.0 {
                            let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
                            k += (u.ln() / log_q).floor() as u64;
                        }
                        if k >= total {
                            break;
                        }
                        let (i_post, i_pre) = (
                            post.start + (k / pre.len as u64) as usize,
                            pre.start + (k % pre.len as u64) as usize,
                        );
                        if i_post != i_pre {
                            pairs.push((i_pre as u32, i_post as u32));
                        }
                        k += 1;
                    }
                }
            }
        }
        Connectivity::Explicit(_) => {}
        Connectivity::FixedInDegree(k) => {
            check(k.len(), &k.iter().map(Vec::len).collect::<Vec<_>>())?;
            for (a, post) in populations.iter().enumerate() {
                for (b, pre) in populations.iter().enumerate() {
                    let in_degree = k[a][b];
                    if in_degree == 0 {
                        continue;
                    }
                    if pre.len < 2 {
                        return Err(SpikingError::Params(format!(
                            "population {} is too small to draw inputs from",
                            pre.name
                        )));
                    }
                    pairs.reserve(post.len * in_degree);
                    for i_post in post.start..post.start + post.len {
                        for _ in 0..in_degree {
                            let mut i_pre = pre.start + rng.random_range(0..pre.len);
                            while i_pre == i_post {
                                i_pre = pre.start + rng.random_range(0..pre.len);
                            }
                            pairs.push((i_pre as u32, i_post as u32));
                        }
                    }
                }
            }
        }
    }
    if let Connectivity::Explicit(synapses) = connectivity {
        if let Some(&(pre, post, _)) = synapses
            .iter()
            .find(|&&(pre, post, _)| pre as usize >= n || post as usize >= n)
        {
            return Err(SpikingError::Params(format!(
                "synapse {pre} → {post} names a neuron beyond the {n} of the network"
            )));
        }
        pairs = synapses.iter().map(|&(pre, post, _)| (pre, post)).collect();
        explicit_weights = Some(synapses.iter().map(|&(_, _, w)| w).collect());
    }
    if pairs.len() > u32::MAX as usize {
        return Err(SpikingError::Params(format!(
            "{} synapses are more than engram can index",
            pairs.len()
        )));
    }
    // Counting sort by presynaptic neuron.
    let mut row_start = vec![0u32; n + 1];
    for &(pre, _) in &pairs {
        row_start[pre as usize + 1] += 1;
    }
    for i in 0..n {
        row_start[i + 1] += row_start[i];
    }
    let mut fill = row_start.clone();
    let mut synapses = vec![(0u32, 1.0f32); pairs.len()];
    for (k, &(pre, post)) in pairs.iter().enumerate() {
        let weight = explicit_weights.as_ref().map_or(1.0, |w| w[k]);
        synapses[fill[pre as usize] as usize] = (post, weight);
        fill[pre as usize] += 1;
    }
    // Ascending targets per row make the scatter in `step` friendlier to the cache.
    for i in 0..n {
        synapses[row_start[i] as usize..row_start[i + 1] as usize].sort_unstable_by_key(|&(t, _)| t);
    }
    let (targets, weights) = synapses.into_iter().unzip();
    Ok(Wiring {
        row_start,
        targets,
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two neurons, one explicit synapse 0 → 1 with factor 0.5: a spike of neuron 0 raises V_1 by
    /// 0.5 · J after exactly the delay.
    #[test]
    fn an_explicit_synapse_delivers_its_weight_after_the_delay() {
        let neuron = NeuronParams::default();
        let quiet = ExternalDrive::default();
        let params = NetworkParams {
            dt_ms: 0.1,
            delay_ms: 1.0,
            synapse: SynapseModel::Delta,
            j_exc_mv: 4.0,
            j_inh_mv: 0.0,
            global_inhibition_mv: 0.0,
            populations: vec![PopulationParams {
                name: "E".into(),
                kind: PopulationKind::Excitatory,
                size: 2,
                neuron: NeuronParams {
                    tau_m_ms: 1.0e6,
                    ..neuron
                },
                drive: quiet,
            }],
        };
        let mut net = Network::new(
            params,
            Connectivity::Explicit(vec![(0, 1, 0.5)]),
            |i, _| if i == 0 { 25.0 } else { 0.0 },
            1,
        )
        .expect("builds");
        assert_eq!(net.synapses_of(0), (&[1u32][..], &[0.5f32][..]));
        net.step();
        assert_eq!(net.last_spikes(), &[0]);
        for _ in 0..9 {
            net.step();
            assert!(net.v_mv()[1].abs() < 1e-3, "nothing arrives before the delay");
        }
        net.step();
        assert!((net.v_mv()[1] - 2.0).abs() < 1e-3, "V_1 = {}", net.v_mv()[1]);
    }

    /// Weight change of one pre/post pair at lag `lag_steps` (post − pre), with STDP on.
    fn pair_change(lag_steps: i64) -> f64 {
        let params = NetworkParams {
            dt_ms: 0.1,
            delay_ms: 1.0,
            synapse: SynapseModel::Delta,
            j_exc_mv: 0.0,
            j_inh_mv: 0.0,
            global_inhibition_mv: 0.0,
            populations: vec![PopulationParams {
                name: "E".into(),
                kind: PopulationKind::Excitatory,
                size: 2,
                neuron: NeuronParams::default(),
                drive: ExternalDrive::default(),
            }],
        };
        let mut net =
            Network::new(params, Connectivity::Explicit(vec![(0, 1, 1.0)]), |_, _| 0.0, 1).expect("builds");
        net.set_stdp(Some(StdpParams::default())).expect("valid");
        let (first, second) = if lag_steps >= 0 { (0, 1) } else { (1, 0) };
        net.force_spike(first);
        net.step();
        for _ in 1..lag_steps.unsigned_abs() {
            net.step();
        }
        net.force_spike(second);
        net.step();
        f64::from(net.synapses_of(0).1[0]) - 1.0
    }

    /// The STDP window: Δw = A+ exp(−Δt/τ+) for pre before post, −A− exp(Δt/τ−) for post before pre
    /// (Bi & Poo 1998; Song et al. 2000), where the traces decay once per step before use.
    #[test]
    fn a_wiring_too_big_for_memory_is_refused_with_its_size() {
        let err = Network::cuba(2_000_000, 0.02, 1).err().expect("refused");
        let message = err.to_string();
        assert!(
            message.contains("GB") && message.contains("synapses"),
            "{message}"
        );
    }

    #[test]
    fn stdp_follows_the_exponential_window() {
        let p = StdpParams::default();
        for lag_steps in [10i64, 50, 200, -10, -50, -200] {
            let lag_ms = lag_steps.unsigned_abs() as f64 * 0.1;
            let expected = if lag_steps > 0 {
                p.a_plus * (-lag_ms / p.tau_plus_ms).exp()
            } else {
                -p.a_minus * (-lag_ms / p.tau_minus_ms).exp()
            };
            let measured = pair_change(lag_steps);
            assert!(
                (measured - expected).abs() < 1e-4 * p.a_plus + 1e-3 * expected.abs(),
                "lag {lag_steps}: {measured} vs {expected}"
            );
        }
    }
}
