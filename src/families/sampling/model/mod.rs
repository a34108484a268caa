//! The sampling family's pure model: Boltzmann distributions and their exact enumeration, the
//! samplers (Gibbs, parallel Gibbs, neural sampling with and without the − ln τ correction), the
//! statistics of what they visited, a Boltzmann machine that learns bars and stripes, and a
//! restricted one that learns letters. No egui,
//! threads or files; deterministic for a seed.

pub mod boltzmann;
pub mod learning;
pub mod rbm;
pub mod samplers;
pub mod stats;
#[cfg(test)]
mod tests;

pub use boltzmann::{
    Boltzmann, Exact, MAX_EXACT_UNITS, MAX_MACHINE_UNITS, MAX_UNITS, SamplingError, sigmoid, state_index,
};
pub use learning::{LearnParams, Learner, bars_and_stripes, is_bar_or_stripe};
pub use rbm::{LETTER_LIKE, Rbm, agreement, cd_learning_rate, letters, max_agreement};
pub use samplers::{Sampler, SamplerKind, below_sigmoid};
pub use stats::StateCounts;
