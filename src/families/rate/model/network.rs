//! The network: stored patterns, couplings in compressed rows, rates and their integration.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::RateError;
use super::params::{RateParams, Rule, f_rule, g_rule, phi};
use crate::rng::{SimRng, substream};

/// Sub-stream of the seed that draws the stored patterns ξ^μ.
const PATTERN_STREAM: u64 = 0;
/// Sub-stream of the seed that draws the connectivity c_ij.
const WIRING_STREAM: u64 = 1;
/// Sub-stream of the seed that draws the initial rates.
const START_STREAM: u64 = 2;
/// Sub-stream (of the input's own seed) that draws a novel input pattern.
const NOVEL_STREAM: u64 = 3;

/// What the structure-changing part of [`RateNetwork::set_params`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rebuild {
    /// Only τ, dt or the cue changed: the rates and couplings were kept.
    Kept,
    /// N, c, P, A, φ, f or g changed: patterns and couplings were drawn again from the seed
    /// (the rates and time are kept when N is unchanged).
    Rebuilt,
}

/// The external input current I_i.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum InputSource {
    /// I_i = strength · ξ_i^μ, a stored pattern (the paper's cue of a familiar stimulus).
    Pattern {
        /// Index μ of the stored pattern.
        mu: usize,
        /// Strength s.
        strength: f64,
    },
    /// I_i = strength · ζ_i with ζ_i ~ N(0, 1) drawn from `seed`: a novel stimulus, stored nowhere.
    Novel {
        /// Seed of ζ.
        seed: u64,
        /// Strength s.
        strength: f64,
    },
}

impl InputSource {
    fn strength(&self) -> f64 {
        match *self {
            Self::Pattern { strength, .. } | Self::Novel { strength, .. } => strength,
        }
    }

    fn with_strength(self, s: f64) -> Self {
        match self {
            Self::Pattern { mu, .. } => Self::Pattern { mu, strength: s },
            Self::Novel { seed, .. } => Self::Novel { seed, strength: s },
        }
    }
}

/// Everything needed to restore a network: the couplings are drawn again from `seed` and
/// checked against `weights_checksum`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateState {
    /// The parameters.
    pub params: RateParams,
    /// The seed of patterns, wiring and initial rates.
    pub seed: u64,
    /// Rates r_i, in Hz.
    pub rates: Vec<f32>,
    /// Steps taken.
    pub steps: u64,
    /// Simulated time, in ms (dt may have changed along the way).
    pub time_ms: f64,
    /// The input current, if any.
    pub input: Option<InputSource>,
    /// Number of synapses of the saved network.
    pub synapses: usize,
    /// Sum of all weights (f64) of the saved network.
    pub weights_checksum: f64,
}

/// A firing-rate network τ dr_i/dt = −r_i + φ(I_i + Σ_j W_ij r_j) storing Gaussian patterns with
/// the learning rule of Pereira & Brunel (2018).
#[derive(Debug, Clone)]
pub struct RateNetwork {
    params: RateParams,
    seed: u64,
    rule: Rule,
    /// Input currents ξ^μ_i, pattern-major (P × N).
    patterns: Vec<f32>,
    /// g(φ(ξ^μ_i)), pattern-major (P × N): what the overlap correlates the rates with.
    pattern_g: Vec<f32>,
    /// Compressed rows by post-synaptic neuron: synapses of i are `row_start[i]..row_start[i + 1]`.
    row_start: Vec<usize>,
    pre: PreIndices,
    weight: Vec<f32>,
    weights_checksum: f64,
    /// exp(−dt/τ) (derived).
    decay: f32,
    rates: Vec<f32>,
    next: Vec<f32>,
    input: Vec<f32>,
    input_source: Option<InputSource>,
    steps: u64,
    time_mark_ms: f64,
    steps_mark: u64,
}

/// Rows per parallel task: about 64 k synapses at cN = 250, large enough that scheduling costs
/// little, small enough that two to a few dozen cores share the rows evenly.
const ROWS_PER_TASK: usize = 256;
/// Below this many synapses a step runs on the calling thread (the pool's wake-up would cost more).
const PARALLEL_SYNAPSES: usize = 200_000;

/// The pre-synaptic index of every synapse, row after row: two bytes each while N ≤ 65,536 (a
/// quarter less wiring to stream per step: at N = 5,000, c = 0.05 one core went from 1.02 to
/// 0.9 s per biological second), four bytes above.
#[derive(Debug, Clone)]
enum PreIndices {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl PreIndices {
    /// Narrow when every index fits in two bytes.
    fn new(indices: Vec<u32>, n: usize) -> Self {
        if n <= usize::from(u16::MAX) + 1 {
            Self::Narrow(indices.iter().map(|&j| j as u16).collect())
        } else {
            Self::Wide(indices)
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Narrow(v) => v.len(),
            Self::Wide(v) => v.len(),
        }
    }
}

/// Σ_j w_j r_pre(j) over one row. Hand-written rather than a sparse-matrix crate's product: the
/// row is a gather of rates through indices that never change, and the order of the sum is fixed so
/// that results are the same on every machine.
///
/// # Safety
/// Every index in `pre` must be below `rates.len()`. [`RateNetwork`] guarantees it: its wiring is
/// built only in [`RateNetwork::new`], with every index below N, never changed afterwards, and its
/// rate vectors always have N entries (`step` asserts it).
unsafe fn row_field<I: Copy + Into<u32>>(pre: &[I], w: &[f32], rates: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above); the indices are the caller's promise.
        return unsafe { row_field_avx2(pre, w, rates) };
    }
    // SAFETY: the caller's promise.
    unsafe { row_field_any_cpu(pre, w, rates) }
}

/// [`row_field_any_cpu`] compiled for AVX2, where LLVM turns the eight lanes into one gather
/// (measured at N = 5,000, c = 0.05 on one core, `engram rate retrieve`, old and new binaries
/// alternated: 1.04–1.15 s per biological second, against 1.18–1.36 s for the checked four-lane
/// loop it replaced; without AVX2 the unchecked loop took 1.2–1.5 s). With two-byte indices and
/// no pool for one thread: 0.85–0.89 s on an AMD EPYC (Zen 4) core, where a 16-lane AVX-512 gather
/// was slower (1.4 s in a micro-benchmark) and plain scalar loads no faster.
///
/// # Safety
/// The CPU has AVX2, and every index in `pre` is below `rates.len()`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn row_field_avx2<I: Copy + Into<u32>>(pre: &[I], w: &[f32], rates: &[f32]) -> f32 {
    // SAFETY: the caller's promise.
    unsafe { row_field_any_cpu(pre, w, rates) }
}

/// The sum in eight interleaved partial sums (lane k adds synapses k, k + 8, ...), then added
/// pairwise: the same order with or without AVX2, so the result is bit for bit the same on every
/// machine. The gather is unchecked because a bounds check per synapse keeps LLVM from using one
/// gather instruction for the eight lanes.
///
/// # Safety
/// Every index in `pre` is below `rates.len()`.
#[inline(always)]
unsafe fn row_field_any_cpu<I: Copy + Into<u32>>(pre: &[I], w: &[f32], rates: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let mut pre_chunks = pre.chunks_exact(8);
    let mut w_chunks = w.chunks_exact(8);
    for (p8, w8) in (&mut pre_chunks).zip(&mut w_chunks) {
        for k in 0..8 {
            // SAFETY: the caller's promise that every index is below rates.len().
            acc[k] += w8[k] * unsafe { *rates.get_unchecked(p8[k].into() as usize) };
        }
    }
    for (k, (&j, &wj)) in pre_chunks
        .remainder()
        .iter()
        .zip(w_chunks.remainder())
        .enumerate()
    {
        acc[k] += wj * rates[j.into() as usize];
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// What one step reads besides the wiring indices.
struct Rows<'a> {
    row_start: &'a [usize],
    weight: &'a [f32],
    input: &'a [f32],
    rates: &'a [f32],
    decay: f32,
    r_max: f32,
    beta: f32,
    h0: f32,
}

impl Rows<'_> {
    /// The next rates of every neuron into `next`, on the calling thread when `serial`, else in
    /// blocks of [`ROWS_PER_TASK`] on rayon's pool.
    fn compute<I: Copy + Into<u32> + Sync>(&self, pre: &[I], next: &mut [f32], serial: bool) {
        if serial {
            self.block(pre, 0, next);
        } else {
            next.par_chunks_mut(ROWS_PER_TASK)
                .enumerate()
                .for_each(|(b, out)| self.block(pre, b * ROWS_PER_TASK, out));
        }
    }

    /// Rows `first..first + out.len()`.
    fn block<I: Copy + Into<u32>>(&self, pre: &[I], first: usize, out: &mut [f32]) {
        let gain = 1.0 - self.decay;
        for (k, out) in out.iter_mut().enumerate() {
            let i = first + k;
            let range = self.row_start[i]..self.row_start[i + 1];
            // SAFETY: every index in `pre` is below N = rates.len() (asserted in `step`).
            let h =
                self.input[i] + unsafe { row_field(&pre[range.clone()], &self.weight[range], self.rates) };
            let target = self.r_max / (1.0 + (-self.beta * (h - self.h0)).exp());
            *out = self.decay * self.rates[i] + gain * target;
        }
    }
}

fn gaussians(rng: &mut SimRng, count: usize) -> Vec<f32> {
    (0..count)
        .map(|_| {
            let x: f64 = StandardNormal.sample(rng);
            x as f32
        })
        .collect()
}

impl RateNetwork {
    /// Draws P patterns ξ^μ_i ~ N(0, 1), the wiring c_ij ~ Bernoulli(c) (i ≠ j) and the couplings
    /// W_ij = A c_ij/(cN) Σ_μ f(φ(ξ_i^μ)) g(φ(ξ_j^μ)) from `seed`; the rates start at φ(ζ_i) for a
    /// fresh Gaussian ζ (a novel pattern), with no input.
    pub fn new(params: &RateParams, seed: u64) -> Result<Self, RateError> {
        params.validate()?;
        let n = params.n;
        let p = params.patterns;
        let transfer = params.transfer();
        let rule = params.rule();
        let patterns = gaussians(&mut substream(seed, PATTERN_STREAM), p * n);
        let stored: Vec<f64> = patterns.iter().map(|&x| phi(f64::from(x), &transfer)).collect();
        let pattern_g: Vec<f32> = stored.iter().map(|&r| g_rule(r, &rule) as f32).collect();
        // Neuron-major copies so that each synapse's Σ_μ reads two contiguous rows.
        let mut f_by_neuron = vec![0.0f32; n * p];
        let mut g_by_neuron = vec![0.0f32; n * p];
        for mu in 0..p {
            for i in 0..n {
                f_by_neuron[i * p + mu] = f_rule(stored[mu * n + i], &rule) as f32;
                g_by_neuron[i * p + mu] = pattern_g[mu * n + i];
            }
        }
        let scale = params.amplitude / (params.connection_prob * n as f64);
        let mut rng = substream(seed, WIRING_STREAM);
        let c = params.connection_prob;
        let log_miss = (1.0 - c).ln();
        let capacity = (params.expected_synapses() * 1.01 + 64.0) as usize;
        let mut row_start = Vec::with_capacity(n + 1);
        let mut pre = Vec::with_capacity(capacity);
        let mut weight = Vec::with_capacity(capacity);
        let mut checksum = 0.0f64;
        row_start.push(0);
        for i in 0..n {
            let fi = &f_by_neuron[i * p..(i + 1) * p];
            // Geometric gaps between successive pre-synaptic partners: Bernoulli(c) per pair.
            let mut j: usize = 0;
            loop {
                if c < 1.0 {
                    let u: f64 = 1.0 - rng.random::<f64>();
                    j += (u.ln() / log_miss).floor() as usize;
                }
                if j >= n {
                    break;
                }
                if j != i {
                    let gj = &g_by_neuron[j * p..(j + 1) * p];
                    let dot: f64 = fi
                        .iter()
                        .zip(gj)
                        .map(|(&a, &b)| f64::from(a) * f64::from(b))
                        .sum();
                    let w = (scale * dot) as f32;
                    checksum += f64::from(w);
                    pre.push(j as u32);
                    weight.push(w);
                }
                j += 1;
            }
            row_start.push(pre.len());
        }
        let start = gaussians(&mut substream(seed, START_STREAM), n);
        let rates: Vec<f32> = start
            .iter()
            .map(|&x| phi(f64::from(x), &transfer) as f32)
            .collect();
        Ok(Self {
            params: params.clone(),
            seed,
            rule,
            patterns,
            pattern_g,
            row_start,
            pre: PreIndices::new(pre, n),
            weight,
            weights_checksum: checksum,
            decay: (-params.dt_ms / params.tau_ms).exp() as f32,
            next: vec![0.0; n],
            rates,
            input: vec![0.0; n],
            input_source: None,
            steps: 0,
            time_mark_ms: 0.0,
            steps_mark: 0,
        })
    }

    /// Advances one step of dt by the exponential Euler rule
    /// r_i ← e^{−dt/τ} r_i + (1 − e^{−dt/τ}) φ(I_i + Σ_j W_ij r_j),
    /// exact when the field is constant over the step (the authors' code uses forward Euler,
    /// r += dt/τ (−r + φ), with the same fixed points). All neurons update from the same old
    /// rates (synchronous). No allocation.
    ///
    /// Rows are computed in blocks of `ROWS_PER_TASK` on rayon's pool (all cores, or
    /// `RAYON_NUM_THREADS`): each row's sum is the same whichever thread computes it, so the result
    /// is bit for bit the same for any thread count. The inner loop reads three numbers per
    /// synapse (index, weight, rate), so one core is bound by its load ports, not by memory.
    pub fn step(&mut self) {
        // The promise `row_field` relies on: every wiring index (below N by construction) is a
        // valid index into the rates.
        assert_eq!(self.rates.len(), self.params.n, "one rate per neuron");
        let rows = Rows {
            row_start: &self.row_start,
            weight: &self.weight,
            input: &self.input,
            rates: &self.rates,
            decay: self.decay,
            r_max: self.params.r_max_hz as f32,
            beta: self.params.gain as f32,
            h0: self.params.threshold as f32,
        };
        // One thread computes every row itself: handing each step to a one-thread pool and
        // waiting for it cost about 5 % of a step in scheduler wake-ups.
        let serial = self.weight.len() < PARALLEL_SYNAPSES || rayon::current_num_threads() == 1;
        match &self.pre {
            PreIndices::Narrow(pre) => rows.compute(pre, &mut self.next, serial),
            PreIndices::Wide(pre) => rows.compute(pre, &mut self.next, serial),
        }
        std::mem::swap(&mut self.rates, &mut self.next);
        self.steps += 1;
    }

    /// One [`step`](Self::step), then the divergence check: a non-finite rate is an error naming
    /// the step and the neuron.
    pub fn try_step(&mut self) -> Result<(), RateError> {
        self.step();
        if let Some(i) = self.rates.iter().position(|r| !r.is_finite()) {
            return Err(RateError::Diverged(format!(
                "rate of neuron {i} is {} at step {} (t = {} ms)",
                self.rates[i],
                self.steps,
                self.time_ms()
            )));
        }
        Ok(())
    }

    /// Cues stored pattern μ with I_i = strength · ξ_i^μ, or removes the input (`None`).
    pub fn set_input_pattern(&mut self, cue: Option<(usize, f64)>) -> Result<(), RateError> {
        match cue {
            None => self.apply_input(None),
            Some((mu, strength)) => self.apply_input(Some(InputSource::Pattern { mu, strength })),
        }
    }

    /// A novel input I_i = strength · ζ_i, ζ_i ~ N(0, 1) drawn from `input_seed` (never a stored pattern).
    pub fn set_input_random(&mut self, input_seed: u64, strength: f64) -> Result<(), RateError> {
        self.apply_input(Some(InputSource::Novel {
            seed: input_seed,
            strength,
        }))
    }

    fn apply_input(&mut self, source: Option<InputSource>) -> Result<(), RateError> {
        let n = self.params.n;
        match source {
            None => self.input.fill(0.0),
            Some(s) => {
                let strength = s.strength();
                if !(strength.is_finite() && strength.abs() <= 1e3) {
                    return Err(RateError::Params(format!(
                        "the input strength must be between -1000 and 1000, not {strength}"
                    )));
                }
                match s {
                    InputSource::Pattern { mu, .. } => {
                        if mu >= self.params.patterns {
                            return Err(RateError::Params(format!(
                                "pattern {mu} does not exist: the network stores {} (0 to {})",
                                self.params.patterns,
                                self.params.patterns - 1
                            )));
                        }
                        for (dst, &x) in self.input.iter_mut().zip(&self.patterns[mu * n..(mu + 1) * n]) {
                            *dst = strength as f32 * x;
                        }
                    }
                    InputSource::Novel { seed, .. } => {
                        let zeta = novel_currents(seed, n);
                        for (dst, x) in self.input.iter_mut().zip(zeta) {
                            *dst = strength as f32 * x;
                        }
                    }
                }
            }
        }
        self.input_source = source;
        Ok(())
    }

    /// The current input, if any.
    pub fn input(&self) -> Option<InputSource> {
        self.input_source
    }

    /// Replaces the rates (in Hz; one per neuron, finite).
    pub fn set_rates(&mut self, rates: &[f32]) -> Result<(), RateError> {
        if rates.len() != self.params.n || rates.iter().any(|r| !r.is_finite()) {
            return Err(RateError::Params(format!(
                "rates must be {} finite numbers, got {}",
                self.params.n,
                rates.len()
            )));
        }
        self.rates.copy_from_slice(rates);
        Ok(())
    }

    /// Sets the rates to φ(ζ_i) for a fresh Gaussian ζ drawn from `start_seed`: a random start
    /// with the statistics of a pattern, correlated with none.
    pub fn randomize_rates(&mut self, start_seed: u64) {
        let transfer = self.params.transfer();
        let zeta = gaussians(&mut substream(start_seed, START_STREAM), self.params.n);
        for (r, z) in self.rates.iter_mut().zip(zeta) {
            *r = phi(f64::from(z), &transfer) as f32;
        }
    }

    /// Sets every rate to φ(0), the rate of a neuron without input: a quiet start, whose overlap
    /// with every stored pattern is zero up to the sampling noise of the patterns' mean g.
    pub fn quiet_rates(&mut self) {
        let quiet = phi(0.0, &self.params.transfer()) as f32;
        self.rates.fill(quiet);
    }

    /// Validates `new` and commits it. N, c, P, A, φ, f or g rebuild patterns and couplings from
    /// the seed (rates and time kept when N is unchanged); τ, dt and the cue strength take effect
    /// at the next step. A new `cue_strength` also rescales the active input, if any.
    pub fn set_params(&mut self, new: &RateParams) -> Result<Rebuild, RateError> {
        new.validate()?;
        if self.params.changes_structure(new) {
            let mut rebuilt = Self::new(new, self.seed)?;
            if new.n == self.params.n {
                rebuilt.rates.copy_from_slice(&self.rates);
                rebuilt.steps = self.steps;
                rebuilt.steps_mark = self.steps;
                rebuilt.time_mark_ms = self.time_ms();
            }
            let input = self
                .input_source
                .filter(|s| !matches!(s, InputSource::Pattern { mu, .. } if *mu >= new.patterns));
            let input = input.map(|s| {
                if new.cue_strength == self.params.cue_strength {
                    s
                } else {
                    s.with_strength(new.cue_strength)
                }
            });
            rebuilt.apply_input(input)?;
            *self = rebuilt;
            return Ok(Rebuild::Rebuilt);
        }
        if new.dt_ms != self.params.dt_ms {
            self.time_mark_ms = self.time_ms();
            self.steps_mark = self.steps;
        }
        let cue_changed = new.cue_strength != self.params.cue_strength;
        self.params = new.clone();
        self.decay = (-new.dt_ms / new.tau_ms).exp() as f32;
        if cue_changed && let Some(s) = self.input_source {
            self.apply_input(Some(s.with_strength(new.cue_strength)))?;
        }
        Ok(Rebuild::Kept)
    }

    /// The state to save; W is not saved but drawn again from the seed by [`Self::from_state`].
    pub fn save_state(&self) -> RateState {
        RateState {
            params: self.params.clone(),
            seed: self.seed,
            rates: self.rates.clone(),
            steps: self.steps,
            time_ms: self.time_ms(),
            input: self.input_source,
            synapses: self.n_synapses(),
            weights_checksum: self.weights_checksum,
        }
    }

    /// Rebuilds a saved network; refuses it if the couplings drawn again differ from the saved ones.
    pub fn from_state(state: &RateState) -> Result<Self, RateError> {
        let mut net = Self::new(&state.params, state.seed)?;
        if net.n_synapses() != state.synapses || net.weights_checksum != state.weights_checksum {
            return Err(RateError::State(format!(
                "the couplings drawn again from seed {} ({} synapses, weight sum {}) differ from the saved ones ({} synapses, weight sum {})",
                state.seed,
                net.n_synapses(),
                net.weights_checksum,
                state.synapses,
                state.weights_checksum
            )));
        }
        net.set_rates(&state.rates)
            .map_err(|e| RateError::State(format!("saved rates: {e}")))?;
        if !(state.time_ms.is_finite() && state.time_ms >= 0.0) {
            return Err(RateError::State(format!(
                "saved time {} ms is not valid",
                state.time_ms
            )));
        }
        net.steps = state.steps;
        net.steps_mark = state.steps;
        net.time_mark_ms = state.time_ms;
        net.apply_input(state.input)
            .map_err(|e| RateError::State(format!("saved input: {e}")))?;
        Ok(net)
    }

    /// Overlap m_μ of the rates with every stored pattern (see [`overlap`]).
    pub fn overlaps(&self) -> Vec<f64> {
        let n = self.params.n;
        (0..self.params.patterns)
            .map(|mu| overlap(&self.rates, &self.pattern_g[mu * n..(mu + 1) * n]))
            .collect()
    }

    /// The stored rate pattern φ(ξ^μ), in Hz.
    pub fn stored_rates(&self, mu: usize) -> Vec<f32> {
        let n = self.params.n;
        let transfer = self.params.transfer();
        self.patterns[mu * n..(mu + 1) * n]
            .iter()
            .map(|&x| phi(f64::from(x), &transfer) as f32)
            .collect()
    }

    /// The stored input currents ξ^μ.
    pub fn stored_currents(&self, mu: usize) -> &[f32] {
        let n = self.params.n;
        &self.patterns[mu * n..(mu + 1) * n]
    }

    /// g(φ(ξ^μ)), the vector the overlap with pattern μ correlates the rates with.
    pub fn pattern_g(&self, mu: usize) -> &[f32] {
        let n = self.params.n;
        &self.pattern_g[mu * n..(mu + 1) * n]
    }

    /// Rates r_i, in Hz.
    pub fn rates(&self) -> &[f32] {
        &self.rates
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Simulated time, in ms.
    pub fn time_ms(&self) -> f64 {
        self.time_mark_ms + (self.steps - self.steps_mark) as f64 * self.params.dt_ms
    }

    /// Number of neurons N.
    pub fn n(&self) -> usize {
        self.params.n
    }

    /// Number of stored patterns P.
    pub fn n_patterns(&self) -> usize {
        self.params.patterns
    }

    /// Number of synapses (non-zero c_ij).
    pub fn n_synapses(&self) -> usize {
        self.pre.len()
    }

    /// The parameters in use.
    pub fn params(&self) -> &RateParams {
        &self.params
    }

    /// The seed of patterns, wiring and initial rates.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The learning rule in use (with its derived q_g).
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Sum of all weights, the fingerprint of the couplings.
    pub fn weights_checksum(&self) -> f64 {
        self.weights_checksum
    }
}

/// The currents ζ_i ~ N(0, 1) of the novel input drawn from `seed` for `n` neurons (what
/// [`RateNetwork::set_input_random`] gives, before its strength).
pub fn novel_currents(seed: u64, n: usize) -> Vec<f32> {
    gaussians(&mut substream(seed, NOVEL_STREAM), n)
}

/// Overlap from which a state counts as a pattern retrieved: the one definition used by the
/// scene's classification, the command line and the sweeps. A quiet network's overlaps are a few
/// hundredths at N = 5,000; a retrieved pattern's are above 0.9 below capacity (mean field).
pub const RETRIEVED_OVERLAP: f64 = 0.5;

/// The stored pattern retrieved by a state with these overlaps: the largest overlap, when it
/// reaches [`RETRIEVED_OVERLAP`].
pub fn retrieved(overlaps: &[f64]) -> Option<usize> {
    overlaps
        .iter()
        .enumerate()
        .filter(|(_, m)| **m >= RETRIEVED_OVERLAP)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(mu, _)| mu)
}

/// The overlap of rates `r` with pattern vector `g` = g(φ(ξ^μ)): their Pearson correlation over
/// neurons, Σ (g_i − ḡ)(r_i − r̄) / √(Σ (g_i − ḡ)² Σ (r_i − r̄)²); 0 when either is constant.
///
/// The authors' code (`network_dynamics.py` lines 38–41) divides mean(g r) by √E[g²] · std(r) with
/// the theoretical E[g²] and without subtracting the sample mean of g (E[g] = 0 only on average);
/// the two agree to O(1/√N). The mean-field m is the same correlation for N → ∞.
pub fn overlap(r: &[f32], g: &[f32]) -> f64 {
    let n = r.len().min(g.len());
    if n == 0 {
        return 0.0;
    }
    let mean_r = r[..n].iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
    let mean_g = g[..n].iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
    let (mut cov, mut var_r, mut var_g) = (0.0, 0.0, 0.0);
    for (&ri, &gi) in r.iter().zip(g) {
        let (dr, dg) = (f64::from(ri) - mean_r, f64::from(gi) - mean_g);
        cov += dr * dg;
        var_r += dr * dr;
        var_g += dg * dg;
    }
    if var_r > 0.0 && var_g > 0.0 {
        cov / (var_r * var_g).sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod row_field_tests {
    use super::*;

    /// The AVX2 build of the row sum and the portable one add in the same order, so a machine
    /// without AVX2 reproduces a run exactly; and both agree with a plain f64 sum to f32 rounding.
    #[test]
    fn the_row_sum_is_the_same_with_and_without_avx2() {
        let mut rng = substream(7, 0);
        let n = 1000;
        let rates: Vec<f32> = (0..n).map(|_| 80.0 * rng.random::<f32>()).collect();
        for len in [0, 1, 7, 8, 9, 250, 1000] {
            let pre: Vec<u32> = (0..len).map(|_| rng.random_range(0..n as u32)).collect();
            let w: Vec<f32> = (0..len).map(|_| rng.random::<f32>() - 0.5).collect();
            // SAFETY: every index is below n = rates.len().
            let portable = unsafe { row_field_any_cpu(&pre, &w, &rates) };
            let exact: f64 = pre
                .iter()
                .zip(&w)
                .map(|(&j, &wj)| f64::from(wj) * f64::from(rates[j as usize]))
                .sum();
            assert!(
                (f64::from(portable) - exact).abs() < 1e-4 * (1.0 + exact.abs()),
                "{len}: {portable} vs {exact}"
            );
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present and every index is below n.
                let avx2 = unsafe { row_field_avx2(&pre, &w, &rates) };
                assert_eq!(avx2.to_bits(), portable.to_bits(), "{len} synapses");
            }
            // Two-byte indices read the same rates in the same order.
            let PreIndices::Narrow(narrow) = PreIndices::new(pre.clone(), n) else {
                panic!("indices below 1,000 fit in two bytes");
            };
            // SAFETY: every index is below n.
            let from_narrow = unsafe { row_field(&narrow, &w, &rates) };
            assert_eq!(from_narrow.to_bits(), portable.to_bits(), "{len} synapses");
        }
    }
}
