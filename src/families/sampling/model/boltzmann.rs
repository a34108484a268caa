//! The Boltzmann distribution over binary units and its exact enumeration.
//!
//! p(z) = exp(E(z)/T) / Z with the log-weight E(z) = ½ zᵀWz + bᵀz, z ∈ {0, 1}^N, W symmetric with a
//! zero diagonal (Buesing et al. 2011 write the same form). The ±1 (Ising) form of the same
//! distribution, s = 2z − 1: E = ½ sᵀJs + hᵀs + const with J = W/4 and h_k = b_k/2 + ¼ Σ_i W_ki
//! ([`Boltzmann::ising`]).

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use crate::rng::substream;

/// Largest N whose 2^N states are enumerated for the exact reference (2^20 ≈ 10^6 states).
pub const MAX_EXACT_UNITS: usize = 20;
/// Largest N of a sampling scene's random or written distribution.
pub const MAX_UNITS: usize = 200;
/// Largest N of any Boltzmann distribution: a restricted machine on the 16 × 16 letters has 256
/// visible units and up to 100 hidden ones.
pub const MAX_MACHINE_UNITS: usize = 512;

/// Why a distribution or sampler could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SamplingError {
    /// A parameter is out of range; the message names it.
    #[error("{0}")]
    Params(String),
}

/// A Boltzmann distribution over N binary units at temperature T.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Boltzmann {
    n: usize,
    /// W, row-major N×N, symmetric, zero diagonal.
    weights: Vec<f64>,
    /// b, one per unit.
    biases: Vec<f64>,
    /// T > 0: p ∝ exp(E/T).
    temperature: f64,
}

/// The exact distribution of up to [`MAX_EXACT_UNITS`] units: one probability per state, the state
/// index's bit k being z_k.
#[derive(Debug, Clone, PartialEq)]
pub struct Exact {
    /// Units N.
    pub n: usize,
    /// p(state) for the 2^N states (zero for states that contradict a clamp).
    pub probs: Vec<f64>,
    /// log Z of the (conditional) distribution, from log-sum-exp.
    pub log_z: f64,
}

/// The logistic function σ(x) = 1/(1 + e^{−x}), computed without overflow for any x.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The state index of z (bit k = z_k).
pub fn state_index(z: &[u8]) -> usize {
    // Eight units at a time: with one 0/1 value per byte, multiplying by 0x0102040810204080 adds
    // byte k's value into bit 56 + k, so the top byte holds the eight bits (a chain counts its
    // state every step, and this was a tenth of a neural sampler's time at N = 20).
    let mut chunks = z.chunks_exact(8);
    let mut index = 0usize;
    let mut shift = 0;
    for chunk in &mut chunks {
        let bytes = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) & 0x0101_0101_0101_0101;
        index |= ((bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) as usize) << shift;
        shift += 8;
    }
    for (k, &zk) in chunks.remainder().iter().enumerate() {
        index |= usize::from(zk & 1) << (shift + k);
    }
    index
}

/// A symmetric N × N matrix (row-major) with a zero diagonal and W_ij = W_ji ~ N(0, scale²), drawn
/// row by row over the upper triangle.
pub fn symmetric_gaussian(n: usize, scale: f64, rng: &mut crate::rng::SimRng) -> Vec<f64> {
    let mut weights = vec![0.0; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let x: f64 = StandardNormal.sample(rng);
            weights[i * n + j] = scale * x;
            weights[j * n + i] = scale * x;
        }
    }
    weights
}

impl Boltzmann {
    /// A distribution with the given couplings (row-major N×N), biases and temperature; W must be
    /// symmetric with a zero diagonal, every number finite, 1 ≤ N ≤ [`MAX_MACHINE_UNITS`], T > 0.
    pub fn new(weights: Vec<f64>, biases: Vec<f64>, temperature: f64) -> Result<Self, SamplingError> {
        let n = biases.len();
        if !(1..=MAX_MACHINE_UNITS).contains(&n) {
            return Err(SamplingError::Params(format!(
                "units N must be between 1 and {MAX_MACHINE_UNITS}, not {n}"
            )));
        }
        if weights.len() != n * n {
            return Err(SamplingError::Params(format!(
                "the weight matrix must have N × N = {} entries, not {}",
                n * n,
                weights.len()
            )));
        }
        if !(temperature.is_finite() && temperature > 0.0 && temperature <= 1e3) {
            return Err(SamplingError::Params(format!(
                "temperature T must be in (0, 1000], not {temperature}"
            )));
        }
        for i in 0..n {
            if !biases[i].is_finite() || biases[i].abs() > 1e3 {
                return Err(SamplingError::Params(format!(
                    "bias b_{} = {} must be finite and at most 1000 in size",
                    i + 1,
                    biases[i]
                )));
            }
            if weights[i * n + i] != 0.0 {
                return Err(SamplingError::Params(format!(
                    "W_{0}{0} = {1}: the diagonal must be zero (a unit does not couple to itself)",
                    i + 1,
                    weights[i * n + i]
                )));
            }
            for j in 0..n {
                let w = weights[i * n + j];
                if !w.is_finite() || w.abs() > 1e3 {
                    return Err(SamplingError::Params(format!(
                        "W_{},{} = {w} must be finite and at most 1000 in size",
                        i + 1,
                        j + 1
                    )));
                }
                if w != weights[j * n + i] {
                    return Err(SamplingError::Params(format!(
                        "W must be symmetric: W_{},{} = {w} but W_{},{} = {}",
                        i + 1,
                        j + 1,
                        j + 1,
                        i + 1,
                        weights[j * n + i]
                    )));
                }
            }
        }
        Ok(Self {
            n,
            weights,
            biases,
            temperature,
        })
    }

    /// Random couplings W_ij = W_ji ~ N(0, weight_scale²) (i < j) and biases b_k ~ N(bias_mean,
    /// bias_scale²), drawn from `seed`, at temperature T.
    pub fn random(
        n: usize,
        weight_scale: f64,
        bias_mean: f64,
        bias_scale: f64,
        temperature: f64,
        seed: u64,
    ) -> Result<Self, SamplingError> {
        if !(1..=MAX_UNITS).contains(&n) {
            return Err(SamplingError::Params(format!(
                "units N must be between 1 and {MAX_UNITS}, not {n}"
            )));
        }
        for (name, v) in [
            ("weight scale", weight_scale),
            ("bias mean", bias_mean),
            ("bias scale", bias_scale),
        ] {
            if !(v.is_finite() && v.abs() <= 100.0) {
                return Err(SamplingError::Params(format!(
                    "{name} must be between -100 and 100, not {v}"
                )));
            }
        }
        let mut rng = substream(seed, 0);
        let weights = symmetric_gaussian(n, weight_scale, &mut rng);
        let biases = (0..n)
            .map(|_| {
                let x: f64 = StandardNormal.sample(&mut rng);
                bias_mean + bias_scale * x
            })
            .collect();
        Self::new(weights, biases, temperature)
    }

    /// Units N.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Temperature T.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// W_ij.
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        self.weights[i * self.n + j]
    }

    /// The couplings, row-major.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The biases.
    pub fn biases(&self) -> &[f64] {
        &self.biases
    }

    /// A copy at another temperature.
    pub fn with_temperature(&self, temperature: f64) -> Result<Self, SamplingError> {
        Self::new(self.weights.clone(), self.biases.clone(), temperature)
    }

    /// The membrane potential of the neural sampler and the Gibbs log-odds of unit k given the
    /// others: u_k = (b_k + Σ_i W_ki z_i) / T, so that p(z_k = 1 | z_rest) = σ(u_k).
    pub fn field(&self, k: usize, z: &[u8]) -> f64 {
        let row = &self.weights[k * self.n..(k + 1) * self.n];
        let sum: f64 = row
            .iter()
            .zip(z)
            .filter(|(_, zi)| **zi != 0)
            .map(|(w, _)| w)
            .sum();
        (self.biases[k] + sum) / self.temperature
    }

    /// log p(z) + log Z = (½ zᵀWz + bᵀz) / T.
    #[allow(clippy::needless_range_loop)] // i and j index z, b and W together
    pub fn log_weight(&self, z: &[u8]) -> f64 {
        let mut e = 0.0;
        for i in 0..self.n {
            if z[i] == 0 {
                continue;
            }
            e += self.biases[i];
            for j in 0..i {
                if z[j] != 0 {
                    e += self.weights[i * self.n + j];
                }
            }
        }
        e / self.temperature
    }

    /// The Ising form of the same distribution: s = 2z − 1 ∈ {−1, +1}^N and
    /// (½ zᵀWz + bᵀz) = ½ sᵀJs + hᵀs + c with J = W/4, h_k = b_k/2 + ¼ Σ_i W_ki and
    /// c = ½ Σ_k b_k + ⅛ Σ_ij W_ij. Returns (J row-major, h, c), all before dividing by T.
    pub fn ising(&self) -> (Vec<f64>, Vec<f64>, f64) {
        let n = self.n;
        let j: Vec<f64> = self.weights.iter().map(|w| w / 4.0).collect();
        let h: Vec<f64> = (0..n)
            .map(|k| self.biases[k] / 2.0 + self.weights[k * n..(k + 1) * n].iter().sum::<f64>() / 4.0)
            .collect();
        let c = self.biases.iter().sum::<f64>() / 2.0 + self.weights.iter().sum::<f64>() / 8.0;
        (j, h, c)
    }

    /// The exact distribution by enumeration of the 2^N states (N ≤ [`MAX_EXACT_UNITS`]), or `None`.
    pub fn exact(&self) -> Option<Exact> {
        self.exact_given(&vec![None; self.n])
    }

    /// The exact conditional distribution given clamped units (`Some(value)`), by enumeration:
    /// states that contradict a clamp get probability zero. Walks the states in Gray-code order, so
    /// each state's log-weight is the previous one's plus one unit's field (O(N) per state), and
    /// normalises by log-sum-exp (no overflow for any W, b or T).
    pub fn exact_given(&self, clamp: &[Option<bool>]) -> Option<Exact> {
        let n = self.n;
        if n > MAX_EXACT_UNITS || clamp.len() != n {
            return None;
        }
        let states = 1usize << n;
        let mut log_w = vec![f64::NEG_INFINITY; states];
        let mut z = vec![0u8; n];
        // fields[k] = b_k + Σ_i W_ki z_i (before dividing by T).
        let mut fields: Vec<f64> = self.biases.clone();
        let mut current = 0.0f64;
        let consistent = |z: &[u8]| {
            clamp
                .iter()
                .zip(z)
                .all(|(c, &zk)| c.is_none_or(|v| v == (zk != 0)))
        };
        let mut index = 0usize;
        for step in 0..states {
            if step > 0 {
                let k = step.trailing_zeros() as usize;
                if z[k] == 0 {
                    current += fields[k];
                    z[k] = 1;
                    index |= 1 << k;
                    for (i, f) in fields.iter_mut().enumerate() {
                        *f += self.weights[i * n + k];
                    }
                } else {
                    z[k] = 0;
                    index &= !(1 << k);
                    for (i, f) in fields.iter_mut().enumerate() {
                        *f -= self.weights[i * n + k];
                    }
                    current -= fields[k];
                }
            }
            if consistent(&z) {
                log_w[index] = current / self.temperature;
            }
        }
        let max = log_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            return None;
        }
        let sum: f64 = log_w.iter().map(|&l| (l - max).exp()).sum();
        let log_z = max + sum.ln();
        let probs = log_w.iter().map(|&l| (l - log_z).exp()).collect();
        Some(Exact { n, probs, log_z })
    }

    /// A uniformly random state.
    pub fn random_state(&self, rng: &mut impl RngExt) -> Vec<u8> {
        (0..self.n).map(|_| u8::from(rng.random_bool(0.5))).collect()
    }
}

impl Exact {
    /// p(z_k = 1) for every unit (rounding in the sum is kept from taking one above 1).
    pub fn marginals(&self) -> Vec<f64> {
        let mut m = vec![0.0; self.n];
        for (s, &p) in self.probs.iter().enumerate() {
            if p == 0.0 {
                continue;
            }
            for (k, mk) in m.iter_mut().enumerate() {
                if s >> k & 1 == 1 {
                    *mk += p;
                }
            }
        }
        m.iter_mut().for_each(|mk| *mk = mk.min(1.0));
        m
    }

    /// The states in order of decreasing probability (ties by index), at most `count`.
    pub fn top_states(&self, count: usize) -> Vec<usize> {
        let by_probability = |a: &usize, b: &usize| self.probs[*b].total_cmp(&self.probs[*a]).then(a.cmp(b));
        let mut order: Vec<usize> = (0..self.probs.len()).collect();
        if count < order.len() {
            // Only the first `count` need sorting: partition around the count-th (O(2^N)).
            order.select_nth_unstable_by(count, by_probability);
            order.truncate(count);
        }
        order.sort_by(by_probability);
        order
    }
}
