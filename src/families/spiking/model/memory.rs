//! A spiking attractor memory: the Hopfield network's patterns stored in leaky integrate-and-fire
//! neurons, completed from a cue delivered as stimulus current, and read out as overlaps of
//! filtered spike trains.
//!
//! Every pattern pixel i has two pools of K LIF neurons, an on pool and an off pool, which inhibit
//! each other: one of them fires at r_hi while the other is silent, so the pixel is a spiking ±1
//! unit with state s_i = (r_on,i − r_off,i) / (r_hi − r_lo). Pixel j's on pool excites pixel i's on
//! pool and inhibits its off pool by G J_ij (its off pool the reverse), where J is the weight matrix
//! the Hopfield learning rule makes from the same patterns. The mean input of the on pool is then
//! μ₀ + a h_i − c r_off,i / r_hi, and of the off pool μ₀ − a h_i − c r_on,i / r_hi, with the Hopfield
//! field h_i = Σ_j J_ij s_j, the coupling a = τ_m G (r_hi − r_lo) and the competition c. In a stored
//! pattern (h_i = ξ_i) the winning pool of every pixel gets μ₀ + a and fires at r_hi = φ(μ₀ + a), φ the
//! Siegert rate; the loser gets μ₀ − a − c and fires at r_lo: the spiking network has the Hopfield
//! network's attractors, and the pools' competition makes each pixel as decisive as a binary neuron.
//! The signed couplings stand for excitation and disynaptic inhibition through fast interneurons,
//! which are not simulated.

use rand::RngExt;

use super::SpikingError;
use super::network::{
    Connectivity, ExternalDrive, Network, NetworkParams, PopulationKind, PopulationParams, StdpParams,
    SynapseModel,
};
use super::neuron::NeuronParams;
use crate::analysis::lif_theory::siegert_rate_hz;
use crate::hopfield::{LearningRule, PatternSet, Weights};

/// Most synapses a memory network builds (pool² × pixels²).
const MAX_MEMORY_SYNAPSES: usize = 40_000_000;

/// What a person sets for a spiking memory.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MemoryParams {
    /// Neurons per pool (every pixel has an on pool and an off pool).
    pub pool_size: usize,
    /// Learning rule that makes the couplings from the patterns.
    pub rule: LearningRule,
    /// Mean input μ₀ of a pool with no field and a silent partner, in mV (threshold 20 mV).
    pub drive_mv: f64,
    /// Shift a of the mean input for a Hopfield field h = ±1, in mV: the coupling strength.
    pub coupling_mv: f64,
    /// Input c a pool loses while its partner fires at r_hi, in mV: the on/off competition.
    pub competition_mv: f64,
    /// White-noise strength σ of every neuron, in mV.
    pub noise_mv: f64,
    /// Cue current added to the pool a cue pixel asks for and taken from its partner, in mV.
    pub cue_mv: f64,
    /// How long a cue is delivered, in ms.
    pub cue_ms: f64,
    /// Time constant of the exponential filter that turns spikes into pool rates, in ms.
    pub filter_ms: f64,
}

impl Default for MemoryParams {
    fn default() -> Self {
        Self {
            pool_size: 4,
            rule: LearningRule::PseudoInverse,
            drive_mv: 18.0,
            coupling_mv: 6.0,
            competition_mv: 12.0,
            noise_mv: 4.0,
            cue_mv: 10.0,
            cue_ms: 100.0,
            filter_ms: 20.0,
        }
    }
}

impl MemoryParams {
    /// Checks ranges, with a reason for each refusal.
    pub fn validate(&self) -> Result<(), SpikingError> {
        let bad = |msg: String| Err(SpikingError::Params(msg));
        if self.pool_size == 0 || self.pool_size > 64 {
            return bad(format!(
                "neurons per pixel must be 1 to 64, not {}",
                self.pool_size
            ));
        }
        for (name, value, lo, hi) in [
            ("drive", self.drive_mv, -20.0, 40.0),
            ("coupling", self.coupling_mv, 0.0, 40.0),
            ("competition", self.competition_mv, 0.0, 60.0),
            ("noise σ", self.noise_mv, 0.0, 30.0),
            ("cue current", self.cue_mv, 0.0, 60.0),
        ] {
            if !(value.is_finite() && (lo..=hi).contains(&value)) {
                return bad(format!(
                    "the memory's {name} must be {lo} to {hi} mV, not {value}"
                ));
            }
        }
        if !(self.cue_ms.is_finite() && (1.0..=10_000.0).contains(&self.cue_ms)) {
            return bad(format!("a cue must last 1 to 10000 ms, not {}", self.cue_ms));
        }
        if !(self.filter_ms.is_finite() && (1.0..=1000.0).contains(&self.filter_ms)) {
            return bad(format!(
                "the rate filter must be 1 to 1000 ms, not {}",
                self.filter_ms
            ));
        }
        Ok(())
    }
}

/// The LIF neuron of the memory (Brunel's: θ 20 mV, V_r 10 mV, τ_m 20 ms, τ_ref 2 ms).
fn memory_neuron() -> NeuronParams {
    NeuronParams::default()
}

/// Readout of pool rates and overlaps from spikes, shared by both memories.
#[derive(Debug, Clone)]
pub struct PoolReadout {
    pool_size: usize,
    pixels: usize,
    /// Filtered rate of every pool, in Hz.
    rates_hz: Vec<f32>,
    decay: f32,
    increment: f32,
}

impl PoolReadout {
    fn new(pixels: usize, pool_size: usize, filter_ms: f64, dt_ms: f64) -> Self {
        Self {
            pool_size,
            pixels,
            rates_hz: vec![0.0; pixels],
            decay: (-dt_ms / filter_ms).exp() as f32,
            increment: (1000.0 / (filter_ms * pool_size as f64)) as f32,
        }
    }

    /// Takes in one step's spikes of neurons `0..pixels × pool_size` (others are ignored).
    fn observe(&mut self, spikes: &[u32]) {
        self.rates_hz.iter_mut().for_each(|r| *r *= self.decay);
        for &neuron in spikes {
            let pool = neuron as usize / self.pool_size;
            if pool < self.pixels {
                self.rates_hz[pool] += self.increment;
            }
        }
    }

    fn set_filter(&mut self, filter_ms: f64, dt_ms: f64) {
        self.decay = (-dt_ms / filter_ms).exp() as f32;
        self.increment = (1000.0 / (filter_ms * self.pool_size as f64)) as f32;
    }
}

/// Overlaps m^μ = Σ_i ξ_i^μ s_i / max(N, Σ_i |s_i|) of a rate state s with every ±1 pattern: the
/// Hopfield overlap (1/N) Σ ξ s while the state's mean magnitude stays within a stored pattern's
/// rate levels (|s_i| ≈ 1), and its alignment Σ ξ s / Σ |s| once a cue or strengthened synapses
/// drive pools beyond them (s_i up to 2–3, which made overlaps of 2.4 that no similarity can be).
/// Since |ξ_i| = 1, |Σ ξ s| ≤ Σ |s|, so m is always in [−1, 1]; the drive itself, mean |s_i|, is
/// [`SpikingMemory::drive`]. Averaging rather than clipping keeps the readout of a noisy state
/// (a 20 ms filter sees about one spike per neuron) unbiased.
fn overlaps_of(patterns: &PatternSet, state: &[f32]) -> Vec<f64> {
    let magnitude: f64 = state.iter().map(|&s| f64::from(s).abs()).sum();
    let norm = magnitude.max(state.len().max(1) as f64);
    patterns
        .patterns
        .iter()
        .map(|p| {
            p.iter()
                .zip(state)
                .map(|(&x, &s)| f64::from(x) * f64::from(s))
                .sum::<f64>()
                / norm
        })
        .collect()
}

/// The pattern with overlap ≥ 0.75 and at least 0.3 above every other, if any.
pub fn retrieved_of(overlaps: &[f64]) -> Option<usize> {
    let (best, &m) = overlaps.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    let runner_up = overlaps
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, &x)| x)
        .fold(f64::NEG_INFINITY, f64::max);
    (m >= 0.75 && m >= runner_up + 0.3).then_some(best)
}

/// "pattern A", "mixture of A, H" (two or more overlaps ≥ 0.5 and none singled out), or "no pattern".
pub fn describe_overlaps(overlaps: &[f64], labels: &[String]) -> String {
    let name = |i: usize| labels.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1));
    if let Some(i) = retrieved_of(overlaps) {
        return format!("pattern {}", name(i));
    }
    let parts: Vec<String> = (0..overlaps.len())
        .filter(|&i| overlaps[i] >= 0.5)
        .map(name)
        .collect();
    if parts.len() >= 2 {
        format!("mixture of {}", parts.join(", "))
    } else {
        "no pattern".into()
    }
}

/// A Hopfield memory made of spiking neurons (see the module docs).
#[derive(Debug, Clone)]
pub struct SpikingMemory {
    patterns: PatternSet,
    params: MemoryParams,
    weights: Weights,
    /// Weight of a pixel-to-pixel synapse per unit of J, in mV.
    gain_mv: f64,
    /// Weight of an on↔off competition synapse, in mV (negative).
    competition_weight_mv: f64,
    /// Rate of the winning and the losing pool of a pixel in a stored pattern, in Hz.
    rate_low_hz: f64,
    rate_high_hz: f64,
    cue: Option<Vec<i8>>,
    readout: PoolReadout,
    /// True when the pixel-to-pixel synapses start empty and are learned by STDP.
    plastic: bool,
}

impl SpikingMemory {
    /// Builds the network storing `patterns` and its memory readout; `seed` fixes initial state and noise.
    ///
    /// Neurons 0..N·K are the on pools (pixel i: i·K..(i+1)·K), N·K..2·N·K the off pools.
    pub fn build(
        patterns: PatternSet,
        params: MemoryParams,
        seed: u64,
    ) -> Result<(Network, SpikingMemory), SpikingError> {
        Self::build_with(patterns, params, seed, false)
    }

    /// Builds a memory that stores nothing yet: its pixel-to-pixel synapses start at zero and learn
    /// by STDP while patterns are presented (as cues); `patterns` are those the overlaps are read against.
    ///
    /// A synapse potentiated to its bound 1 between two pools that fired together carries 2G/(N K) mV;
    /// global inhibition takes G/(N K) mV from every neuron per spike. Together they make the Hebbian
    /// on/off coupling ±G J of the pattern the pools fired in (the mirror image is not learned: pools
    /// that were silent together stay unconnected).
    pub fn build_learning(
        patterns: PatternSet,
        params: MemoryParams,
        seed: u64,
    ) -> Result<(Network, SpikingMemory), SpikingError> {
        Self::build_with(patterns, params, seed, true)
    }

    fn build_with(
        patterns: PatternSet,
        params: MemoryParams,
        seed: u64,
        plastic: bool,
    ) -> Result<(Network, SpikingMemory), SpikingError> {
        params.validate()?;
        if patterns.is_empty() {
            return Err(SpikingError::Params(
                "a spiking memory needs at least one pattern".into(),
            ));
        }
        let pixels = patterns.n();
        let k = params.pool_size;
        let synapses = 4 * pixels * pixels * k * k;
        if synapses > MAX_MEMORY_SYNAPSES {
            return Err(SpikingError::Params(format!(
                "{pixels} pixels with two pools of {k} neurons need {synapses} synapses (about {:.1} GB); at most {MAX_MEMORY_SYNAPSES} are built — use fewer neurons per pool or a smaller grid",
                synapses as f64 * 20.0 / 1e9
            )));
        }
        let weights = Weights::learn(params.rule, &patterns.patterns, pixels)
            .map_err(|e| SpikingError::Params(e.to_string()))?;
        let drive = ExternalDrive {
            current_mv: params.drive_mv,
            noise_mv: params.noise_mv,
            ..ExternalDrive::default()
        };
        let pool = |name: &str| PopulationParams {
            name: name.into(),
            kind: PopulationKind::Excitatory,
            size: pixels * k,
            neuron: memory_neuron(),
            drive,
        };
        let network_params = NetworkParams {
            dt_ms: 0.1,
            delay_ms: 1.0,
            synapse: SynapseModel::Delta,
            j_exc_mv: 1.0,
            j_inh_mv: -1.0,
            global_inhibition_mv: 0.0,
            populations: vec![pool("on"), pool("off")],
        };
        let mut memory = SpikingMemory {
            readout: PoolReadout::new(2 * pixels, k, params.filter_ms, network_params.dt_ms),
            patterns,
            params,
            weights,
            gain_mv: 0.0,
            competition_weight_mv: 0.0,
            rate_low_hz: 0.0,
            rate_high_hz: 0.0,
            cue: None,
            plastic,
        };
        memory.derive_rates();
        let mut network_params = network_params;
        memory.adjust_network_params(&mut network_params);
        let mut network = Network::new(
            network_params,
            Connectivity::Explicit(memory.synapses()),
            |_, rng| 10.0 + 10.0 * rng.random::<f64>(),
            seed,
        )?;
        memory.apply_stimulus(&mut network);
        Ok((network, memory))
    }

    /// Recomputes r_lo, r_hi and the synaptic weights from the parameters.
    fn derive_rates(&mut self) {
        let theory = memory_neuron().lif_theory();
        let p = &self.params;
        let tau_s = theory.tau_m_ms / 1000.0;
        self.rate_high_hz = siegert_rate_hz(p.drive_mv + p.coupling_mv, p.noise_mv, &theory);
        self.rate_low_hz =
            siegert_rate_hz(p.drive_mv - p.coupling_mv - p.competition_mv, p.noise_mv, &theory);
        let span = (self.rate_high_hz - self.rate_low_hz).max(1e-6);
        // a = τ_m G (r_hi − r_lo) and c = τ_m w K r_hi, with τ_m in s and rates in Hz.
        self.gain_mv = p.coupling_mv / (tau_s * span);
        self.competition_weight_mv = -p.competition_mv / (tau_s * self.rate_high_hz.max(1e-6));
    }

    /// Drive, noise and (learning memory) the weight unit J_E and global inhibition in network parameters.
    fn adjust_network_params(&self, network_params: &mut NetworkParams) {
        let p = &self.params;
        for population in &mut network_params.populations {
            population.drive.current_mv = p.drive_mv;
            population.drive.noise_mv = p.noise_mv;
        }
        network_params.j_exc_mv = self.weight_unit_mv();
        network_params.global_inhibition_mv = if self.plastic {
            self.weight_unit_mv() / 2.0
        } else {
            0.0
        };
    }

    /// The mV a weight factor of 1 carries: 1 for the stored memory, 2G/(N K) for the learning one.
    fn weight_unit_mv(&self) -> f64 {
        if self.plastic {
            2.0 * self.gain_mv / (self.patterns.n() * self.params.pool_size) as f64
        } else {
            1.0
        }
    }

    /// Weight factor of an on↔off competition synapse (negative), in units of the weight unit.
    fn competition_factor(&self) -> f64 {
        self.competition_weight_mv / self.params.pool_size as f64 / self.weight_unit_mv()
    }

    /// The synapses (pre, post, weight factor): pixel-to-pixel couplings and on↔off competition.
    fn synapses(&self) -> Vec<(u32, u32, f32)> {
        let k = self.params.pool_size;
        let pixels = self.patterns.n();
        let off = pixels * k;
        let scale = self.gain_mv / k as f64;
        let mut synapses = Vec::with_capacity(4 * pixels * pixels * k * k);
        let mut connect = |pre_start: usize, post_start: usize, weight: f64| {
            for a in 0..k {
                for b in 0..k {
                    synapses.push(((pre_start + a) as u32, (post_start + b) as u32, weight as f32));
                }
            }
        };
        for pre in 0..pixels {
            for post in 0..pixels {
                if post == pre {
                    let w = self.competition_factor();
                    connect(pre * k, off + post * k, w);
                    connect(off + pre * k, post * k, w);
                    continue;
                }
                if self.plastic {
                    for (a, b) in [(0, 0), (0, off), (off, 0), (off, off)] {
                        connect(a + pre * k, b + post * k, 0.0);
                    }
                    continue;
                }
                let w = scale * f64::from(self.weights.get(post, pre));
                if w == 0.0 {
                    continue;
                }
                connect(pre * k, post * k, w);
                connect(pre * k, off + post * k, -w);
                connect(off + pre * k, post * k, -w);
                connect(off + pre * k, off + post * k, w);
            }
        }
        synapses
    }

    /// Cue current of every neuron, in mV.
    fn apply_stimulus(&self, network: &mut Network) {
        let k = self.params.pool_size;
        let pixels = self.patterns.n();
        let values: Vec<f32> = (0..2 * pixels * k)
            .map(|neuron| {
                let (pixel, sign) = if neuron < pixels * k {
                    (neuron / k, 1.0)
                } else {
                    ((neuron - pixels * k) / k, -1.0)
                };
                self.cue
                    .as_ref()
                    .map_or(0.0, |c| (sign * self.params.cue_mv * f64::from(c[pixel])) as f32)
            })
            .collect();
        network.set_stimulus_values(&values);
    }

    /// Takes in the spikes of the step the network just made.
    pub fn observe(&mut self, network: &Network) {
        self.readout.observe(network.last_spikes());
    }

    /// Starts delivering a cue (±1 per pixel) as stimulus current, or stops it (None).
    pub fn set_cue(&mut self, network: &mut Network, cue: Option<Vec<i8>>) -> Result<(), SpikingError> {
        if let Some(c) = &cue
            && c.len() != self.patterns.n()
        {
            return Err(SpikingError::Params(format!(
                "a cue has {} pixels, the memory {}",
                c.len(),
                self.patterns.n()
            )));
        }
        self.cue = cue;
        self.apply_stimulus(network);
        Ok(())
    }

    /// True for a memory that learns by STDP (`build_learning`).
    pub fn is_learning(&self) -> bool {
        self.plastic
    }

    /// The STDP parameters that make a learning memory store a presented pattern in about a second of
    /// presentation at r_hi: potentiation-dominated (A₊τ₊ > A₋τ₋), weight factors bounded by 1.
    pub fn learning_stdp() -> StdpParams {
        StdpParams {
            a_plus: 0.06,
            a_minus: 0.03,
            tau_plus_ms: 20.0,
            tau_minus_ms: 20.0,
            w_max: 1.0,
        }
    }

    /// True while a cue is delivered.
    pub fn cue_active(&self) -> bool {
        self.cue.is_some()
    }

    /// Changes drive, coupling, competition, noise, cue and filter (pool size and rule need a rebuild).
    pub fn set_params(&mut self, network: &mut Network, params: MemoryParams) -> Result<(), SpikingError> {
        params.validate()?;
        if params.pool_size != self.params.pool_size || params.rule != self.params.rule {
            return Err(SpikingError::Params(
                "neurons per pool and the learning rule change the structure: rebuild the memory".into(),
            ));
        }
        self.params = params;
        self.derive_rates();
        let mut network_params = network.params().clone();
        self.adjust_network_params(&mut network_params);
        network.set_params(network_params)?;
        if self.plastic {
            // Learned factors are fractions of the Hebbian weight and keep their meaning under the new
            // unit; the fixed competition synapses (the only negative ones) take their new factor.
            let competition = self.competition_factor() as f32;
            network.map_weights(|w| if w < 0.0 { competition } else { w });
        } else {
            network.replace_weights(&self.synapses())?;
        }
        self.readout.set_filter(params.filter_ms, network.dt_ms());
        self.apply_stimulus(network);
        Ok(())
    }

    /// The parameters in use.
    pub fn params(&self) -> &MemoryParams {
        &self.params
    }

    /// The stored patterns.
    pub fn patterns(&self) -> &PatternSet {
        &self.patterns
    }

    /// The Hopfield weights the couplings are made from.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Rate of the losing (r_lo) and the winning pool (r_hi) of a pixel in a stored pattern, in Hz (Siegert).
    pub fn rate_levels_hz(&self) -> (f64, f64) {
        (self.rate_low_hz, self.rate_high_hz)
    }

    /// Filtered rate of every pool, in Hz: the N on pools, then the N off pools.
    pub fn pool_rates_hz(&self) -> &[f32] {
        &self.readout.rates_hz
    }

    /// The state s_i = (r_on,i − r_off,i) / (r_hi − r_lo) of every pixel (±1 in a stored pattern).
    pub fn rate_state(&self) -> Vec<f32> {
        let pixels = self.patterns.n();
        let span = (self.rate_high_hz - self.rate_low_hz).max(1e-6) as f32;
        let (on, off) = self.readout.rates_hz.split_at(pixels);
        on.iter().zip(off).map(|(&a, &b)| (a - b) / span).collect()
    }

    /// Overlap of the rate state with every stored pattern, in [−1, 1] (see `overlaps_of`).
    pub fn overlaps(&self) -> Vec<f64> {
        overlaps_of(&self.patterns, &self.rate_state())
    }

    /// The drive of the rate state: mean |s_i|, 1 at a stored pattern's rate levels, above 1 while a
    /// cue or strengthened synapses push pools beyond them.
    pub fn drive(&self) -> f64 {
        let state = self.rate_state();
        state.iter().map(|&s| f64::from(s).abs()).sum::<f64>() / state.len().max(1) as f64
    }

    /// The pattern the network holds: overlap ≥ 0.75 and at least 0.3 above every other (filtered
    /// spikes are noisy, so the Hopfield engine's 0.9 would miss retrievals the eye sees).
    pub fn retrieved(&self) -> Option<usize> {
        retrieved_of(&self.overlaps())
    }

    /// A short description of the state: "pattern A", "mixture of A, H", or "no pattern".
    pub fn describe(&self) -> String {
        describe_overlaps(&self.overlaps(), &self.patterns.labels)
    }

    /// The mean-field fixed point reached from the state `start` (s per pixel, ±1): iterates the pool
    /// rates r = φ(μ) with the Siegert rate φ and the mean inputs of the module docs; returns its overlaps.
    pub fn mean_field_overlaps(&self, start: &[f32]) -> Vec<f64> {
        let p = &self.params;
        let span = (self.rate_high_hz - self.rate_low_hz).max(1e-6);
        let (high, low) = (self.rate_high_hz, self.rate_low_hz);
        let phi = RateTable::new(p.noise_mv);
        let mut on: Vec<f64> = start.iter().map(|&s| if s > 0.0 { high } else { low }).collect();
        let mut off: Vec<f64> = start.iter().map(|&s| if s > 0.0 { low } else { high }).collect();
        let state = |on: &[f64], off: &[f64]| -> Vec<f64> {
            on.iter().zip(off).map(|(a, b)| (a - b) / span).collect()
        };
        for _ in 0..500 {
            let s = state(&on, &off);
            let fields = self.weights.fields_of(&s);
            let mut change: f64 = 0.0;
            for i in 0..s.len() {
                let new_on =
                    phi.rate_hz(p.drive_mv + p.coupling_mv * fields[i] - p.competition_mv * off[i] / high);
                let new_off =
                    phi.rate_hz(p.drive_mv - p.coupling_mv * fields[i] - p.competition_mv * on[i] / high);
                // Damped iteration (the on/off pair oscillates under a plain one).
                change = change.max((new_on - on[i]).abs()).max((new_off - off[i]).abs());
                on[i] = 0.5 * (on[i] + new_on);
                off[i] = 0.5 * (off[i] + new_off);
            }
            if change < 1e-4 {
                break;
            }
        }
        let s: Vec<f32> = state(&on, &off).iter().map(|&x| x as f32).collect();
        overlaps_of(&self.patterns, &s)
    }
}

/// Everything a [`SpikingMemory`] needs besides its network to continue exactly where it was
/// (see [`SpikingMemory::save_state`]). Weights and rate levels are derived again on load.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpikingMemoryState {
    /// The stored patterns (or, while learning, those the overlaps are read against).
    pub patterns: PatternSet,
    /// The parameters in use.
    pub params: MemoryParams,
    /// The cue being delivered, ±1 per pixel.
    pub cue: Option<Vec<i8>>,
    /// Filtered rate of every pool, in Hz.
    #[serde(with = "crate::blob")]
    pub rates_hz: Vec<f32>,
    /// True for a memory that learns by STDP.
    pub learning: bool,
}

impl SpikingMemory {
    /// Captures the readout, cue and parameters (the network is saved on its own).
    pub fn save_state(&self) -> SpikingMemoryState {
        SpikingMemoryState {
            patterns: self.patterns.clone(),
            params: self.params,
            cue: self.cue.clone(),
            rates_hz: self.readout.rates_hz.clone(),
            learning: self.plastic,
        }
    }

    /// Rebuilds the memory that runs `network` from a captured state, checking that they fit together.
    pub fn from_state(state: SpikingMemoryState, network: &Network) -> Result<Self, SpikingError> {
        state.params.validate()?;
        let bad = |m: String| Err(SpikingError::Params(format!("saved memory: {m}")));
        let pixels = state.patterns.n();
        let k = state.params.pool_size;
        if state.patterns.is_empty() || state.patterns.patterns.iter().any(|p| p.len() != pixels) {
            return bad(format!("the patterns are not of {pixels} pixels"));
        }
        if network.n_neurons() != 2 * pixels * k {
            return bad(format!(
                "{pixels} pixels with pools of {k} need {} neurons, the network has {}",
                2 * pixels * k,
                network.n_neurons()
            ));
        }
        if state.cue.as_ref().is_some_and(|c| c.len() != pixels) {
            return bad(format!("the cue is not of {pixels} pixels"));
        }
        if state.rates_hz.len() != 2 * pixels || state.rates_hz.iter().any(|r| !r.is_finite()) {
            return bad(format!("the pool rates are not {} finite numbers", 2 * pixels));
        }
        let weights = Weights::learn(state.params.rule, &state.patterns.patterns, pixels)
            .map_err(|e| SpikingError::Params(e.to_string()))?;
        let mut readout = PoolReadout::new(2 * pixels, k, state.params.filter_ms, network.dt_ms());
        readout.rates_hz = state.rates_hz;
        let mut memory = SpikingMemory {
            patterns: state.patterns,
            params: state.params,
            weights,
            gain_mv: 0.0,
            competition_weight_mv: 0.0,
            rate_low_hz: 0.0,
            rate_high_hz: 0.0,
            cue: state.cue,
            readout,
            plastic: state.learning,
        };
        memory.derive_rates();
        Ok(memory)
    }
}

/// The Siegert rate of the memory's neuron tabulated over the mean input (0.1 mV steps), for
/// mean-field iterations that evaluate it millions of times.
struct RateTable {
    first_mv: f64,
    step_mv: f64,
    rates_hz: Vec<f64>,
}

impl RateTable {
    fn new(noise_mv: f64) -> Self {
        let theory = memory_neuron().lif_theory();
        let (first_mv, step_mv, count) = (-60.0, 0.1, 1401);
        let rates_hz = (0..count)
            .map(|k| siegert_rate_hz(first_mv + k as f64 * step_mv, noise_mv, &theory))
            .collect();
        Self {
            first_mv,
            step_mv,
            rates_hz,
        }
    }

    /// φ(μ) by linear interpolation (clamped to the table's range, −60 to 80 mV).
    fn rate_hz(&self, mu_mv: f64) -> f64 {
        let x = ((mu_mv - self.first_mv) / self.step_mv).clamp(0.0, (self.rates_hz.len() - 2) as f64);
        let k = x.floor() as usize;
        let frac = x - k as f64;
        self.rates_hz[k] * (1.0 - frac) + self.rates_hz[k + 1] * frac
    }
}
