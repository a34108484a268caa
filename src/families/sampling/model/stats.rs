//! What a chain visited: state counts, marginals, and the distance of the empirical distribution
//! from the exact one.

use serde::{Deserialize, Serialize};

use super::boltzmann::{Exact, MAX_EXACT_UNITS};

/// Counts of the states a chain visited (every state for N ≤ [`MAX_EXACT_UNITS`]) and of z_k = 1.
///
/// A chain often stays in one state for many samples (a neural sampler's state changes only when a
/// neuron spikes or its PSP ends), so repeats of the current state are counted as a run and added
/// to the table when the state changes: one access to a 2^N-entry table per change instead of per
/// sample. Every reader includes the pending run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCounts {
    /// Visits per state index, not counting the pending run (empty when N > [`MAX_EXACT_UNITS`]).
    counts: Vec<u64>,
    /// Samples with z_k = 1 per unit, not counting the pending run.
    ones: Vec<u64>,
    /// Samples counted, the pending run included.
    pub total: u64,
    /// The state of the pending run (index) and its length.
    run: Option<(usize, u64)>,
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
            run: None,
        }
    }

    /// Counts one sample.
    pub fn add(&mut self, z: &[u8]) {
        self.total += 1;
        if self.counts.is_empty() {
            for (o, &zk) in self.ones.iter_mut().zip(z) {
                *o += u64::from(zk);
            }
            return;
        }
        let index = super::boltzmann::state_index(z);
        match &mut self.run {
            Some((state, length)) if *state == index => *length += 1,
            _ => {
                self.flush();
                self.run = Some((index, 1));
            }
        }
    }

    /// Adds the pending run to the table.
    fn flush(&mut self) {
        if let Some((state, length)) = self.run.take() {
            self.counts[state] += length;
            // Only the units that are on: the set bits of the state, lowest first.
            let mut bits = state;
            while bits != 0 {
                self.ones[bits.trailing_zeros() as usize] += length;
                bits &= bits - 1;
            }
        }
    }

    /// Visits of a state, the pending run included.
    pub fn count(&self, state: usize) -> u64 {
        let pending = match self.run {
            Some((s, length)) if s == state => length,
            _ => 0,
        };
        self.counts.get(state).copied().unwrap_or(0) + pending
    }

    /// The empirical frequency of a state.
    pub fn frequency(&self, state: usize) -> f64 {
        if self.total == 0 || self.counts.is_empty() {
            return 0.0;
        }
        self.count(state) as f64 / self.total as f64
    }

    /// Empirical p(z_k = 1).
    pub fn marginals(&self) -> Vec<f64> {
        let t = self.total.max(1) as f64;
        self.ones
            .iter()
            .enumerate()
            .map(|(k, &o)| {
                let pending = match self.run {
                    Some((s, length)) if s >> k & 1 == 1 => length,
                    _ => 0,
                };
                (o + pending) as f64 / t
            })
            .collect()
    }

    /// Checks a restored count table: one entry per state of N units (or none above
    /// [`MAX_EXACT_UNITS`]), and sums that agree with the total.
    pub fn check(&self, units: usize) -> Result<(), String> {
        let states_ok = if units <= MAX_EXACT_UNITS {
            self.counts.len() == 1 << units
        } else {
            self.counts.is_empty()
        };
        if !states_ok || self.ones.len() != units {
            return Err(format!("the counts are not those of {units} units"));
        }
        if self.counts.is_empty() {
            return Ok(());
        }
        let pending = self.run.map_or(0, |(state, length)| {
            if state < self.counts.len() {
                length
            } else {
                u64::MAX
            }
        });
        let sum = self.counts.iter().try_fold(pending, |a, &c| a.checked_add(c));
        if sum != Some(self.total) {
            return Err(format!(
                "the counts add up to {sum:?}, not the total {}",
                self.total
            ));
        }
        Ok(())
    }

    /// KL(sampled ‖ exact) = Σ_z q(z) ln(q(z)/p(z)) in nats, over the visited states; infinite if a
    /// visited state has p = 0 (a clamp violated), `None` without counts or samples.
    pub fn kl_to(&self, exact: &Exact) -> Option<f64> {
        if self.total == 0 || self.counts.len() != exact.probs.len() {
            return None;
        }
        let t = self.total as f64;
        let mut kl = 0.0;
        for (state, &p) in exact.probs.iter().enumerate() {
            let c = self.count(state);
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
            0.5 * exact
                .probs
                .iter()
                .enumerate()
                .map(|(state, &p)| (self.count(state) as f64 / t - p).abs())
                .sum::<f64>(),
        )
    }
}
