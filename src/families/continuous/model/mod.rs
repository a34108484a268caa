//! The continuous-memory family's pure model: grey-level and Gaussian patterns, the modern Hopfield
//! network with continuous states, and kernel memory networks. No egui, threads or files;
//! deterministic for a seed.

pub mod binary;
#[cfg(test)]
mod binary_tests;
pub mod capacity;
pub mod memory;
pub mod patterns;
#[cfg(test)]
mod tests;

pub use capacity::{RECALL_TOLERANCE, Recall, recall_fraction};
pub use memory::{KernelKind, KernelMemory, MemoryParams, cosine, distance, dot, log_sum_exp, softmax};
pub use patterns::{ContinuousPatternSpec, ContinuousPatterns, blur};

/// A value or combination the continuous-memory family refuses, in words naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryError(pub String);

impl std::fmt::Display for MemoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MemoryError {}
