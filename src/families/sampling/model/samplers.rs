//! Samplers of a Boltzmann distribution, each a Markov chain over the states z ∈ {0, 1}^N:
//!
//! - **Gibbs** (Glauber dynamics): one step is a sweep over the free units in a fresh random order,
//!   each set to 1 with probability σ(u_k), u_k = (b_k + Σ_i W_ki z_i)/T, from the current state.
//!   It leaves p invariant (each single-unit update does).
//! - **Parallel Gibbs**: every free unit updated at once from the previous state. Its stationary
//!   distribution is not p (for W ≠ 0): the lesson that the update order matters.
//! - **Neural sampling** (Buesing, Bill, Nessler & Maass 2011, PLoS Comput Biol, discrete time):
//!   each neuron k has a refractory clock ζ_k ∈ {0, …, τ} and z_k = 1 exactly while ζ_k ≥ 1, i.e.
//!   for τ steps after a spike (a rectangular PSP of length τ). In a step the neurons are visited
//!   in order k = 1 … N; a neuron with ζ_k ≤ 1 spikes with probability σ(u_k − ln τ) (then ζ_k = τ)
//!   or else sets ζ_k = 0; a refractory neuron (ζ_k > 1) counts down. The − ln τ is the correction
//!   that makes p(z_k = 1 | rest) = σ(u_k): for fixed u the chain spends τ·s/(1 − s) = e^u times as
//!   long in z = 1 as in z = 0, with s = σ(u − ln τ). Each neuron's update leaves the joint
//!   distribution of (z, ζ) invariant with p(z) as its marginal (the paper's theorem for this
//!   order of updates). dt = 1 ms, τ = 20 steps by default.
//! - **Neural sampling without the correction**: spikes with probability σ(u_k); it samples
//!   odds τ·e^{u} instead of e^{u}, the wrong distribution.
//!
//! Clamped units keep their value and are never updated (inference: the chain then samples the
//! conditional distribution of the free units).

use rand::RngExt;
use serde::{Deserialize, Serialize};

use std::sync::LazyLock;

use super::boltzmann::{Boltzmann, sigmoid};
use crate::rng::SimRng;

/// Which sampler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SamplerKind {
    /// Sequential Gibbs: a sweep in random order per step.
    Gibbs,
    /// Every unit at once from the previous state (samples the wrong distribution).
    GibbsParallel,
    /// Buesing et al.'s neural sampler with the − ln τ correction.
    Neural,
    /// The neural sampler without the − ln τ correction (samples the wrong distribution).
    NeuralUncorrected,
}

impl SamplerKind {
    /// Every sampler, in the order the views show them.
    pub const ALL: [SamplerKind; 4] = [
        SamplerKind::Gibbs,
        SamplerKind::GibbsParallel,
        SamplerKind::Neural,
        SamplerKind::NeuralUncorrected,
    ];

    /// A short name for legends and reports.
    pub fn label(self) -> &'static str {
        match self {
            SamplerKind::Gibbs => "Gibbs",
            SamplerKind::GibbsParallel => "parallel Gibbs",
            SamplerKind::Neural => "neural (−ln τ)",
            SamplerKind::NeuralUncorrected => "neural, no correction",
        }
    }

    /// The key used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            SamplerKind::Gibbs => "gibbs",
            SamplerKind::GibbsParallel => "gibbs-parallel",
            SamplerKind::Neural => "neural",
            SamplerKind::NeuralUncorrected => "neural-uncorrected",
        }
    }

    /// The sampler a key names ("gibbs", "gibbs-parallel", "neural", "neural-uncorrected").
    pub fn from_key(key: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|k| k.key() == key).ok_or_else(|| {
            format!("unknown sampler `{key}`; expected gibbs, gibbs-parallel, neural or neural-uncorrected")
        })
    }

    /// Whether the sampler spikes (the neural ones).
    pub fn spikes(self) -> bool {
        matches!(self, SamplerKind::Neural | SamplerKind::NeuralUncorrected)
    }
}

/// One Markov chain: its state, refractory clocks and random stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sampler {
    /// Which sampler.
    pub kind: SamplerKind,
    /// The current state z.
    pub z: Vec<u8>,
    /// Refractory clocks ζ (neural samplers; zeros otherwise).
    pub clock: Vec<u32>,
    /// PSP length τ in steps (neural samplers).
    pub tau: u32,
    /// Its own random stream.
    pub rng: SimRng,
    /// Steps taken.
    pub steps: u64,
    /// Spikes emitted (neural samplers).
    pub spikes: u64,
    order: Vec<usize>,
    next: Vec<u8>,
    #[serde(default)]
    fields: FieldCache,
}

/// b_k + Σ_i W_ki z_i for every unit, kept up to date as units flip (O(N) per flip instead of per
/// update), or empty when it must be recomputed (a new chain, a clamp, new couplings). It is saved
/// with the chain so that a reopened session continues bit for bit (sums kept up to date round
/// differently from sums computed afresh); it follows from the rest of the chain, so it never
/// makes two chains unequal.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
struct FieldCache(Vec<f64>);

impl PartialEq for FieldCache {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Sampler {
    /// A chain of `kind` from state `z` (clamped units are set to their values), with PSP length τ
    /// (≥ 1) for the neural samplers, drawing from `rng`.
    pub fn new(kind: SamplerKind, z: Vec<u8>, tau: u32, rng: SimRng) -> Self {
        let n = z.len();
        let clock = if kind.spikes() {
            z.iter().map(|&zk| u32::from(zk) * tau.max(1)).collect()
        } else {
            vec![0; n]
        };
        Self {
            kind,
            z,
            clock,
            tau: tau.max(1),
            rng,
            steps: 0,
            spikes: 0,
            order: (0..n).collect(),
            next: vec![0; n],
            fields: FieldCache::default(),
        }
    }

    /// The couplings or biases changed (a learning machine): the fields are computed afresh.
    pub fn forget_fields(&mut self) {
        self.fields.0.clear();
    }

    /// Checks the saved fields of a restored chain against the model: fields that are not those of
    /// its state (beyond rounding) are recomputed rather than trusted.
    pub fn check_fields(&mut self, model: &Boltzmann) {
        let n = self.z.len();
        if self.fields.0.is_empty() {
            return;
        }
        let fresh: Vec<f64> = (0..n)
            .map(|k| model.field(k, &self.z) * model.temperature())
            .collect();
        let close = self.fields.0.len() == n
            && self
                .fields
                .0
                .iter()
                .zip(&fresh)
                .all(|(a, b)| a.is_finite() && (a - b).abs() <= 1e-9 * (1.0 + b.abs()));
        if !close {
            self.fields.0.clear();
        }
    }

    /// Chain number `chain` of a sampler on `model`: a uniformly random start drawn from its own
    /// stream of `seed` (the same chain in the app, `engram sample` and the experiments), with the
    /// clamped units set.
    pub fn start(
        kind: SamplerKind,
        model: &Boltzmann,
        seed: u64,
        chain: u64,
        tau: u32,
        clamp: &[Option<bool>],
    ) -> Self {
        let index = SamplerKind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u64;
        let mut rng = crate::rng::substream(seed, 100 + index + 1000 * chain);
        let z = model.random_state(&mut rng);
        let mut sampler = Self::new(kind, z, tau, rng);
        sampler.apply_clamp(clamp);
        sampler
    }

    /// Sets the clamped units to their values (and their clocks to match).
    pub fn apply_clamp(&mut self, clamp: &[Option<bool>]) {
        self.fields.0.clear();
        for (k, c) in clamp.iter().enumerate() {
            if let Some(v) = c {
                self.z[k] = u8::from(*v);
                self.clock[k] = if self.kind.spikes() {
                    u32::from(*v) * self.tau
                } else {
                    0
                };
            }
        }
    }

    /// One step (a sweep, a parallel update, or 1 ms of the neural sampler); the neurons that
    /// spiked are appended to `spiked`.
    #[allow(clippy::needless_range_loop)] // k indexes z, the clamp, the clocks and W's rows together
    pub fn step(&mut self, model: &Boltzmann, clamp: &[Option<bool>], spiked: &mut Vec<u16>) {
        let n = self.z.len();
        if self.fields.0.len() != n {
            self.fields.0 = (0..n)
                .map(|k| model.field(k, &self.z) * model.temperature())
                .collect();
        }
        let inverse_t = 1.0 / model.temperature();
        let table = &*SIGMOID_TABLE;
        // One length check here rather than one per unit below.
        assert!(
            clamp.len() == n && self.clock.len() == n && self.next.len() == n,
            "one clamp, clock and next value per unit"
        );
        match self.kind {
            SamplerKind::Gibbs => {
                for i in (1..n).rev() {
                    let j = self.rng.random_range(0..=i);
                    self.order.swap(i, j);
                }
                for idx in 0..n {
                    let k = self.order[idx];
                    if clamp[k].is_some() {
                        continue;
                    }
                    let u = self.rng.random::<f64>();
                    let value = u8::from(below_sigmoid_in(table, u, self.fields.0[k] * inverse_t));
                    self.set(model, k, value);
                }
            }
            SamplerKind::GibbsParallel => {
                for k in 0..n {
                    self.next[k] = match clamp[k] {
                        Some(v) => u8::from(v),
                        None => {
                            let u = self.rng.random::<f64>();
                            u8::from(below_sigmoid_in(table, u, self.fields.0[k] * inverse_t))
                        }
                    };
                }
                for k in 0..n {
                    let value = self.next[k];
                    self.set(model, k, value);
                }
            }
            SamplerKind::Neural | SamplerKind::NeuralUncorrected => {
                let shift = if self.kind == SamplerKind::Neural {
                    f64::from(self.tau).ln()
                } else {
                    0.0
                };
                for k in 0..n {
                    if clamp[k].is_some() {
                        continue;
                    }
                    if self.clock[k] <= 1 {
                        let u = self.rng.random::<f64>();
                        if below_sigmoid_in(table, u, self.fields.0[k] * inverse_t - shift) {
                            self.clock[k] = self.tau;
                            self.spikes += 1;
                            spiked.push(k as u16);
                        } else {
                            self.clock[k] = 0;
                        }
                    } else {
                        self.clock[k] -= 1;
                    }
                    let value = u8::from(self.clock[k] >= 1);
                    self.set(model, k, value);
                }
            }
        }
        self.steps += 1;
    }

    /// Sets z_k, updating every unit's field if it changed.
    fn set(&mut self, model: &Boltzmann, k: usize, value: u8) {
        if self.z[k] == value {
            return;
        }
        self.z[k] = value;
        let n = self.z.len();
        let column = &model.weights()[k * n..(k + 1) * n];
        if value == 1 {
            for (f, w) in self.fields.0.iter_mut().zip(column) {
                *f += w;
            }
        } else {
            for (f, w) in self.fields.0.iter_mut().zip(column) {
                *f -= w;
            }
        }
    }
}

/// Half-width of the table of σ: it covers x ∈ [−16, 16] (σ(−16) ≈ 1.1e-7).
const TABLE_X_MAX: f64 = 16.0;
/// Table points per unit of x: σ changes by at most σ'(0)/64 ≈ 0.004 between two points.
const TABLE_POINTS_PER_UNIT: f64 = 64.0;
/// Number of table points, both ends included.
const TABLE_LEN: usize = 2 * 16 * 64 + 1;

/// σ at x = −16, −16 + 1/64, ..., 16.
static SIGMOID_TABLE: LazyLock<Vec<f64>> = LazyLock::new(|| {
    (0..TABLE_LEN)
        .map(|i| sigmoid(-TABLE_X_MAX + i as f64 / TABLE_POINTS_PER_UNIT))
        .collect()
});

/// Whether a uniform draw u ∈ [0, 1) falls below σ(x) = 1/(1 + e^{−x}): the Bernoulli(σ(x))
/// decision of every sampler. Exact, but the exponential is rarely taken: σ is increasing, so
/// between two points of a table σ(x_i) ≤ σ(x) ≤ σ(x_i+1), and u below the lower or above the
/// upper bound decides; only a draw between them (probability ≤ 0.004) computes σ(x). Measured
/// with `engram sample --sampler neural --n 20`: about 8,000× real time with σ computed each time,
/// 8,300–9,000× with an f32 exponential, and see the bench for this one.
pub fn below_sigmoid(u: f64, x: f64) -> bool {
    below_sigmoid_in(&SIGMOID_TABLE, u, x)
}

/// [`below_sigmoid`] with the table at hand (taken once per step, not per unit).
#[inline(always)]
fn below_sigmoid_in(table: &[f64], u: f64, x: f64) -> bool {
    let t = (x + TABLE_X_MAX) * TABLE_POINTS_PER_UNIT;
    if t >= 0.0 && t < (TABLE_LEN - 1) as f64 {
        let i = t as usize;
        if u < table[i] {
            return true;
        }
        if u >= table[i + 1] {
            return false;
        }
    } else if t < 0.0 && u >= table[0] {
        return false;
    } else if t >= (TABLE_LEN - 1) as f64 && u < table[TABLE_LEN - 1] {
        return true;
    }
    u < sigmoid(x)
}
