//! A restricted Boltzmann machine (couplings only between visible and hidden units) trained by
//! contrastive divergence (Hinton 2002), for data too large to enumerate, such as the 16 × 16
//! letters of the Hopfield sets: 256 visible units have 2^256 states, so neither the likelihood
//! nor the model's expectations can be computed exactly.
//!
//! p(v, h) ∝ exp(aᵀv + cᵀh + vᵀWh). Given v the hidden units are independent with
//! p(h_j = 1 | v) = σ(c_j + Σ_i v_i W_ij), and given h the visible ones with
//! p(v_i = 1 | h) = σ(a_i + Σ_j W_ij h_j), so Gibbs sampling alternates whole layers. CD-k replaces
//! ⟨v_i h_j⟩_model by the statistics after k such alternations started at the data:
//! ΔW_ij = η (⟨v_i p(h_j | v)⟩_data − ⟨v_i p(h_j | v)⟩_k), likewise for the biases.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::boltzmann::{Boltzmann, SamplingError, sigmoid};
use crate::rng::{SimRng, substream};

/// A restricted Boltzmann machine and its random stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rbm {
    /// Visible units V.
    pub visible: usize,
    /// Hidden units H.
    pub hidden: usize,
    /// W, V rows of H.
    weights: Vec<f64>,
    /// Visible biases a.
    visible_bias: Vec<f64>,
    /// Hidden biases c.
    hidden_bias: Vec<f64>,
    rng: SimRng,
    /// Epochs trained.
    pub epochs: u64,
}

impl Rbm {
    /// A machine with weights N(0, 0.01²) and zero biases, drawn from `seed`.
    pub fn new(visible: usize, hidden: usize, seed: u64) -> Result<Self, SamplingError> {
        if !(1..=4096).contains(&visible) || !(1..=4096).contains(&hidden) {
            return Err(SamplingError::Params(format!(
                "visible and hidden units must be between 1 and 4096, not {visible} and {hidden}"
            )));
        }
        let mut rng = substream(seed, 3);
        let weights = (0..visible * hidden)
            .map(|_| {
                let x: f64 = StandardNormal.sample(&mut rng);
                0.01 * x
            })
            .collect();
        Ok(Self {
            visible,
            hidden,
            weights,
            visible_bias: vec![0.0; visible],
            hidden_bias: vec![0.0; hidden],
            rng,
            epochs: 0,
        })
    }

    /// p(h_j = 1 | v) for every hidden unit.
    pub fn hidden_probs(&self, v: &[f64]) -> Vec<f64> {
        let mut field = self.hidden_bias.clone();
        for (i, &vi) in v.iter().enumerate() {
            if vi != 0.0 {
                for (f, w) in field
                    .iter_mut()
                    .zip(&self.weights[i * self.hidden..(i + 1) * self.hidden])
                {
                    *f += vi * w;
                }
            }
        }
        field.into_iter().map(sigmoid).collect()
    }

    /// p(v_i = 1 | h) for every visible unit.
    pub fn visible_probs(&self, h: &[f64]) -> Vec<f64> {
        (0..self.visible)
            .map(|i| {
                let row = &self.weights[i * self.hidden..(i + 1) * self.hidden];
                sigmoid(self.visible_bias[i] + row.iter().zip(h).map(|(w, hj)| w * hj).sum::<f64>())
            })
            .collect()
    }

    fn sample(&mut self, probs: &[f64]) -> Vec<f64> {
        probs
            .iter()
            .map(|&p| f64::from(u8::from(self.rng.random::<f64>() < p)))
            .collect()
    }

    /// One epoch of CD-k over the data (one update per pattern, in order); returns the mean squared
    /// difference between each pattern and its one-step reconstruction p(v | h ~ p(h | data)).
    pub fn epoch(&mut self, data: &[Vec<u8>], learning_rate: f64, k: usize) -> f64 {
        let (nv, nh) = (self.visible, self.hidden);
        let mut error = 0.0;
        for pattern in data {
            let v0: Vec<f64> = pattern.iter().map(|&x| f64::from(x)).collect();
            let h0 = self.hidden_probs(&v0);
            let mut h = self.sample(&h0);
            let mut vk = Vec::new();
            for step in 0..k.max(1) {
                let pv = self.visible_probs(&h);
                if step == 0 {
                    error += pv.iter().zip(&v0).map(|(p, v)| (p - v) * (p - v)).sum::<f64>() / nv as f64;
                }
                vk = self.sample(&pv);
                let ph = self.hidden_probs(&vk);
                h = self.sample(&ph);
            }
            let hk = self.hidden_probs(&vk);
            for i in 0..nv {
                let row = &mut self.weights[i * nh..(i + 1) * nh];
                for j in 0..nh {
                    row[j] += learning_rate * (v0[i] * h0[j] - vk[i] * hk[j]);
                }
                self.visible_bias[i] += learning_rate * (v0[i] - vk[i]);
            }
            for j in 0..nh {
                self.hidden_bias[j] += learning_rate * (h0[j] - hk[j]);
            }
        }
        self.epochs += 1;
        error / data.len().max(1) as f64
    }

    /// Runs `sweeps` alternations of block Gibbs sampling from `v` with the units where `clamp` is
    /// `Some` held at their values, and returns the last visible state and the mean of
    /// p(v_i = 1 | h) over the sweeps (the marginals of the completion).
    pub fn sample_from(&mut self, v: &[u8], clamp: &[Option<bool>], sweeps: usize) -> (Vec<u8>, Vec<f64>) {
        let mut state: Vec<f64> = v.iter().map(|&x| f64::from(x)).collect();
        let mut mean = vec![0.0; self.visible];
        for _ in 0..sweeps.max(1) {
            let ph = self.hidden_probs(&state);
            let h = self.sample(&ph);
            let pv = self.visible_probs(&h);
            state = self.sample(&pv);
            for (i, c) in clamp.iter().enumerate() {
                if let Some(on) = c {
                    state[i] = f64::from(u8::from(*on));
                }
            }
            for (m, (p, c)) in mean.iter_mut().zip(pv.iter().zip(clamp)) {
                *m += match c {
                    Some(on) => f64::from(u8::from(*on)),
                    None => *p,
                };
            }
        }
        let sweeps = sweeps.max(1) as f64;
        (
            state.iter().map(|&x| x as u8).collect(),
            mean.into_iter().map(|m| m / sweeps).collect(),
        )
    }

    /// The machine as a Boltzmann distribution over (v, h), visible units first (T = 1): couplings
    /// W between the layers, none within one; biases a then c.
    pub fn model(&self) -> Result<Boltzmann, SamplingError> {
        let (nv, nh) = (self.visible, self.hidden);
        let n = nv + nh;
        let mut weights = vec![0.0; n * n];
        for i in 0..nv {
            for j in 0..nh {
                let w = self.weights[i * nh + j];
                weights[i * n + nv + j] = w;
                weights[(nv + j) * n + i] = w;
            }
        }
        let biases = self
            .visible_bias
            .iter()
            .chain(&self.hidden_bias)
            .copied()
            .collect();
        Boltzmann::new(weights, biases, 1.0)
    }

    /// A uniformly random visible state from the machine's stream.
    pub fn random_visible(&mut self) -> Vec<u8> {
        (0..self.visible)
            .map(|_| u8::from(self.rng.random_bool(0.5)))
            .collect()
    }
}

/// The fraction of pixels two 0/1 images share.
pub fn agreement(a: &[u8], b: &[u8]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

/// A dream is "letter-like" when it shares at least this fraction of its pixels with a letter.
pub const LETTER_LIKE: f64 = 0.9;

/// The largest fraction of pixels `dream` shares with any of `data`.
pub fn max_agreement(dream: &[u8], data: &[Vec<u8>]) -> f64 {
    data.iter().map(|d| agreement(dream, d)).fold(0.0, f64::max)
}

/// The contrastive-divergence step for a learning rate η given as for the exact rule: CD-1's
/// gradient is noisier, so it takes a tenth of it (the same in `engram sample learn` and the scene).
pub fn cd_learning_rate(learning_rate: f64) -> f64 {
    0.1 * learning_rate
}

/// The 16 × 16 letters of the Hopfield set with these labels as 0/1 pixel rows, with their width and
/// height.
pub fn letters(labels: &[String]) -> Result<(Vec<Vec<u8>>, usize, usize), String> {
    if labels.is_empty() {
        return Err("name at least one letter, e.g. letters:A,H,S".into());
    }
    let set = crate::families::hopfield::model::PatternSet::builtin("letters")
        .and_then(|s| s.select(labels))
        .map_err(|e| e.to_string())?;
    let data = set
        .patterns
        .iter()
        .map(|p| p.iter().map(|&x| u8::from(x > 0)).collect())
        .collect();
    Ok((data, set.width, set.height))
}
