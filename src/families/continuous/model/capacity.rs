//! How many continuous patterns a memory recalls: the fraction of stored Gaussian patterns that a
//! noisy cue returns to, for every kernel on the same patterns.

use rand_distr::{Distribution, StandardNormal};

use super::{
    ContinuousPatternSpec, ContinuousPatterns, KernelMemory, MemoryError, MemoryParams, distance, dot,
};

/// A cue counts as recalled when the state ends within this fraction of the pattern's length.
pub const RECALL_TOLERANCE: f64 = 0.05;

/// One memory's recall on one pattern set.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Recall {
    /// Patterns stored.
    pub patterns: usize,
    /// Fraction of them recalled from a noisy cue (None: the memory cannot hold them at all).
    pub fraction: Option<f64>,
}

/// Stores `count` Gaussian patterns of dimension `n` (from `seed`) in a memory read by `params`,
/// cues each with Gaussian noise of relative size `noise` per value, runs `updates` updates and
/// counts the states that end within [`RECALL_TOLERANCE`] of their pattern.
pub fn recall_fraction(
    params: MemoryParams,
    n: usize,
    count: usize,
    noise: f64,
    updates: usize,
    seed: u64,
) -> Result<Recall, MemoryError> {
    let patterns = ContinuousPatterns::new(&ContinuousPatternSpec::Gaussian { n, count }, seed)?.patterns;
    let memory = match KernelMemory::new(patterns.clone(), params) {
        Ok(memory) => memory,
        Err(e) if e.0.contains("singular") => {
            return Ok(Recall {
                patterns: count,
                fraction: None,
            });
        }
        Err(e) => return Err(e),
    };
    let mut rng = crate::rng::substream(seed, 9);
    let mut recalled = 0usize;
    for xi in &patterns {
        let mut x: Vec<f64> = xi
            .iter()
            .map(|v| {
                let z: f64 = StandardNormal.sample(&mut rng);
                v + noise * z
            })
            .collect();
        for _ in 0..updates {
            x = memory.update(&x).0;
        }
        if distance(&x, xi) < RECALL_TOLERANCE * dot(xi, xi).sqrt() {
            recalled += 1;
        }
    }
    Ok(Recall {
        patterns: count,
        fraction: Some(recalled as f64 / count as f64),
    })
}
