//! Classical and modern Hopfield networks: patterns, learning rules, dynamics, energy, overlaps.
//!
//! Conventions (also in `engram hopfield --help`): states are ±1; Hebbian weights
//! J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ with J_ii = 0; asynchronous sweeps visit every neuron once in a
//! fresh random order; at T = 0 a neuron with h_i = 0 keeps its state; Glauber dynamics at
//! temperature T turn a neuron on with probability 1 / (1 + exp(−2 h_i / T)), so that T_c = 1;
//! a run ends after a sweep with no flip; a trial is retrieved when the final overlap is ≥ 0.9.

pub mod cue;
pub mod dense;
pub mod learning;
pub mod observables;
pub mod patterns;
pub mod sim;

pub use dense::DenseUpdate;
pub use learning::{LearningRule, Weights};
pub use observables::{StateClass, hamming, overlap};
pub use patterns::{PatternError, PatternSet};
pub use sim::{HopfieldSim, HopfieldState, UpdateMode};

/// Why a Hopfield network could not be built or changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HopfieldError {
    /// Sizes do not fit (N = 0, too large, mismatched lengths, too many patterns for a rule).
    #[error("{0}")]
    Size(String),
    /// A pattern set could not be made.
    #[error(transparent)]
    Pattern(#[from] PatternError),
}
