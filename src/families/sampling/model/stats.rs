//! What a chain visited: state counts, marginals, and the distance of the empirical distribution
//! from the exact one.

use serde::{Deserialize, Serialize};

use super::boltzmann::{Exact, MAX_EXACT_UNITS};

/// Counts of the states a chain visited (every state for N ≤ [`MAX_EXACT_UNITS`]) and of z_k = 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCounts {
    /// Visits per state index (empty when N > [`MAX_EXACT_UNITS`]).
    pub counts: Vec<u64>,
    /// Steps with z_k = 1, per unit.
    pub ones: Vec<u64>,
    /// Samples counted.
    pub total: u64,
}

impl StateCounts {
    /// Empty counts for N units.
    pub fn new(n: usize) -> Self {
        Self {
            counts: if n <= MAX_EXACT_UNITS {
                vec![0; 1 << n]
            } else {
                Vec::new()
            },
            ones: vec![0; n],
            total: 0,
        }
    }

    /// Counts one sample.
    pub fn add(&mut self, z: &[u8]) {
        if !self.counts.is_empty() {
            self.counts[super::boltzmann::state_index(z)] += 1;
        }
        for (o, &zk) in self.ones.iter_mut().zip(z) {
            *o += u64::from(zk);
        }
        self.total += 1;
    }

    /// The empirical frequency of a state.
    pub fn frequency(&self, state: usize) -> f64 {
        if self.total == 0 || self.counts.is_empty() {
            return 0.0;
        }
        self.counts[state] as f64 / self.total as f64
    }

    /// Empirical p(z_k = 1).
    pub fn marginals(&self) -> Vec<f64> {
        let t = self.total.max(1) as f64;
        self.ones.iter().map(|&o| o as f64 / t).collect()
    }

    /// KL(sampled ‖ exact) = Σ_z q(z) ln(q(z)/p(z)) in nats, over the visited states; infinite if a
    /// visited state has p = 0 (a clamp violated), `None` without counts or samples.
    pub fn kl_to(&self, exact: &Exact) -> Option<f64> {
        if self.total == 0 || self.counts.len() != exact.probs.len() {
            return None;
        }
        let t = self.total as f64;
        let mut kl = 0.0;
        for (&c, &p) in self.counts.iter().zip(&exact.probs) {
            if c > 0 {
                let q = c as f64 / t;
                kl += q * (q / p).ln();
            }
        }
        Some(kl.max(0.0))
    }

    /// Total variation ½ Σ_z |q(z) − p(z)|.
    pub fn tv_to(&self, exact: &Exact) -> Option<f64> {
        if self.total == 0 || self.counts.len() != exact.probs.len() {
            return None;
        }
        let t = self.total as f64;
        Some(
            0.5 * self
                .counts
                .iter()
                .zip(&exact.probs)
                .map(|(&c, &p)| (c as f64 / t - p).abs())
                .sum::<f64>(),
        )
    }
}
