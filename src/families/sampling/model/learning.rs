//! A Boltzmann machine with visible and hidden units that learns a data set by the classic rule
//! (Ackley, Hinton & Sejnowski 1985): ΔW_ij = η (⟨z_i z_j⟩_data − ⟨z_i z_j⟩_model),
//! Δb_i = η (⟨z_i⟩_data − ⟨z_i⟩_model), with both expectations exact by enumeration (the machine's
//! 2^(V+H) states, and for each data vector the 2^H hidden states given it), full batch, with
//! momentum. Units 0..V are visible, V..V+H hidden; T = 1.
//!
//! Data: bars and stripes on a side × side grid (MacKay 2003): every pattern whose rows are all
//! equal (stripes) or whose columns are all equal (bars); the all-off and all-on grids are both, so
//! a 3 × 3 grid has 2·2³ − 2 = 14 distinct patterns and the best possible mean log-likelihood of
//! the data is −ln 14 ≈ −2.64 nats (all probability on the data, evenly).

use serde::{Deserialize, Serialize};

use super::boltzmann::{Boltzmann, MAX_EXACT_UNITS, SamplingError};
use crate::rng::substream;

/// The distinct bars-and-stripes patterns on a side × side grid, row-major, bars first.
pub fn bars_and_stripes(side: usize) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for mask in 0..(1usize << side) {
        // Bars: column c is on when bit c of the mask is set.
        let bars: Vec<u8> = (0..side * side).map(|p| (mask >> (p % side) & 1) as u8).collect();
        // Stripes: row r is on when bit r is set.
        let stripes: Vec<u8> = (0..side * side).map(|p| (mask >> (p / side) & 1) as u8).collect();
        for pattern in [bars, stripes] {
            if !out.contains(&pattern) {
                out.push(pattern);
            }
        }
    }
    out.sort_by_key(|p| {
        let is_bar = (0..side).all(|r| p[r * side..(r + 1) * side] == p[..side]);
        (!is_bar, p.clone())
    });
    out
}

/// Whether a grid is a bar or a stripe pattern.
pub fn is_bar_or_stripe(v: &[u8], side: usize) -> bool {
    let rows_equal = (0..side).all(|r| v[r * side..(r + 1) * side] == v[..side]);
    let columns_equal = (0..side).all(|r| (0..side).all(|c| v[r * side + c] == v[r * side]));
    rows_equal || columns_equal
}

/// The learning settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnParams {
    /// Hidden units H.
    pub hidden: usize,
    /// Learning rate η.
    pub learning_rate: f64,
    /// Momentum (the previous update's weight in this one).
    pub momentum: f64,
    /// Standard deviation of the initial weights.
    pub init_scale: f64,
}

impl Default for LearnParams {
    fn default() -> Self {
        Self {
            hidden: 4,
            learning_rate: 0.5,
            momentum: 0.8,
            init_scale: 0.1,
        }
    }
}

/// A Boltzmann machine learning a data set: its parameters, the data and the learning state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learner {
    /// Visible units V.
    pub visible: usize,
    /// The settings.
    pub params: LearnParams,
    /// The data vectors (V values each).
    pub data: Vec<Vec<u8>>,
    weights: Vec<f64>,
    biases: Vec<f64>,
    weight_velocity: Vec<f64>,
    bias_velocity: Vec<f64>,
    /// Epochs (full-batch updates) done.
    pub epochs: u64,
}

/// Σ p(z) z_i z_j (upper triangle and diagonal as ⟨z_i⟩) accumulated into `pair` and `single`.
fn accumulate(probs: &[f64], n: usize, weight: f64, pair: &mut [f64], single: &mut [f64]) {
    let mut on = Vec::with_capacity(n);
    for (s, &p) in probs.iter().enumerate() {
        if p == 0.0 {
            continue;
        }
        let p = p * weight;
        on.clear();
        on.extend((0..n).filter(|&k| s >> k & 1 == 1));
        for (a, &i) in on.iter().enumerate() {
            single[i] += p;
            for &j in &on[a + 1..] {
                pair[i * n + j] += p;
            }
        }
    }
}

impl Learner {
    /// A machine with `params.hidden` hidden units for data of V = `data[0].len()` units, initial
    /// weights N(0, init_scale²) from `seed`, zero biases; V + H ≤ [`MAX_EXACT_UNITS`] so that the
    /// expectations are exact.
    pub fn new(data: Vec<Vec<u8>>, params: LearnParams, seed: u64) -> Result<Self, SamplingError> {
        let visible = data.first().map_or(0, Vec::len);
        if visible == 0 || data.iter().any(|v| v.len() != visible) {
            return Err(SamplingError::Params(
                "the data must be one or more vectors of equal, non-zero length".into(),
            ));
        }
        let n = visible + params.hidden;
        if n > MAX_EXACT_UNITS {
            return Err(SamplingError::Params(format!(
                "visible + hidden units = {n}: at most {MAX_EXACT_UNITS} can be learned with exact expectations"
            )));
        }
        for (name, v, max) in [
            ("learning rate", params.learning_rate, 10.0),
            ("momentum", params.momentum, 0.99),
            ("initial weight scale", params.init_scale, 10.0),
        ] {
            if !(v.is_finite() && (0.0..=max).contains(&v)) {
                return Err(SamplingError::Params(format!(
                    "{name} must be in [0, {max}], not {v}"
                )));
            }
        }
        let weights = super::boltzmann::symmetric_gaussian(n, params.init_scale, &mut substream(seed, 1));
        Ok(Self {
            visible,
            params,
            data,
            weight_velocity: vec![0.0; n * n],
            bias_velocity: vec![0.0; n],
            weights,
            biases: vec![0.0; n],
            epochs: 0,
        })
    }

    /// Units V + H.
    pub fn n(&self) -> usize {
        self.visible + self.params.hidden
    }

    /// The machine as a Boltzmann distribution (T = 1).
    pub fn model(&self) -> Boltzmann {
        Boltzmann::new(self.weights.clone(), self.biases.clone(), 1.0).expect("learned parameters stay valid")
    }

    /// The clamp that fixes the visible units to `v` and leaves the hidden ones free.
    fn clamp_visible(&self, v: &[u8]) -> Vec<Option<bool>> {
        let mut clamp: Vec<Option<bool>> = v.iter().map(|&x| Some(x != 0)).collect();
        clamp.resize(self.n(), None);
        clamp
    }

    /// Mean log-likelihood of the data, (1/|D|) Σ_v ln p(v) in nats, exactly.
    pub fn log_likelihood(&self) -> f64 {
        let model = self.model();
        let log_z = model.exact().expect("at most MAX_EXACT_UNITS units").log_z;
        let total: f64 = self
            .data
            .iter()
            .map(|v| model.exact_given(&self.clamp_visible(v)).expect("small").log_z - log_z)
            .sum();
        total / self.data.len() as f64
    }

    /// The exact probability of each visible pattern (index bit k = v_k), summed over the hidden.
    pub fn visible_distribution(&self) -> Vec<f64> {
        let exact = self.model().exact().expect("small");
        let mut out = vec![0.0; 1 << self.visible];
        let mask = (1usize << self.visible) - 1;
        for (s, &p) in exact.probs.iter().enumerate() {
            out[s & mask] += p;
        }
        out
    }

    /// One full-batch update; returns the mean log-likelihood of the data before it.
    pub fn epoch(&mut self) -> f64 {
        let n = self.n();
        let model = self.model();
        let exact = model.exact().expect("small");
        let (mut data_pair, mut data_single) = (vec![0.0; n * n], vec![0.0; n]);
        let mut log_likelihood = 0.0;
        let share = 1.0 / self.data.len() as f64;
        for v in &self.data {
            let given = model.exact_given(&self.clamp_visible(v)).expect("small");
            log_likelihood += share * (given.log_z - exact.log_z);
            accumulate(&given.probs, n, share, &mut data_pair, &mut data_single);
        }
        let (mut model_pair, mut model_single) = (vec![0.0; n * n], vec![0.0; n]);
        accumulate(&exact.probs, n, 1.0, &mut model_pair, &mut model_single);
        let (eta, mu) = (self.params.learning_rate, self.params.momentum);
        for i in 0..n {
            for j in i + 1..n {
                let g = data_pair[i * n + j] - model_pair[i * n + j];
                let v = mu * self.weight_velocity[i * n + j] + eta * g;
                self.weight_velocity[i * n + j] = v;
                self.weights[i * n + j] += v;
                self.weights[j * n + i] = self.weights[i * n + j];
            }
            let g = data_single[i] - model_single[i];
            self.bias_velocity[i] = mu * self.bias_velocity[i] + eta * g;
            self.biases[i] += self.bias_velocity[i];
        }
        self.epochs += 1;
        log_likelihood
    }
}
