//! The firing-rate attractor network of Pereira & Brunel (Neuron 2018, "Attractor dynamics in
//! networks with learning rules inferred from in vivo data"), as pure code: parameters, the
//! network and its integration, and the static mean-field theory. No egui, threads or files;
//! deterministic for a seed.
//!
//! τ dr_i/dt = −r_i + φ(I_i + Σ_j W_ij r_j), φ(h) = r_max/(1 + exp(−β(h − h0))), Gaussian patterns
//! ξ_i^μ ~ N(0, 1) stored as rates φ(ξ_i^μ) by W_ij = A c_ij/(cN) Σ_μ f(φ(ξ_i^μ)) g(φ(ξ_j^μ)).

pub mod network;
pub mod params;
pub mod quadrature;
pub mod theory;

pub use network::{
    InputSource, RETRIEVED_OVERLAP, RateNetwork, RateState, Rebuild, novel_currents, overlap, retrieved,
};
pub use params::{RateParams, Rule, Transfer, f_rule, g_rule, phi};
pub use theory::{MeanField, MeanFieldPoint};

/// Why a rate network could not be built, changed, restored or run on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateError {
    /// A parameter is out of range; the message names it.
    #[error("{0}")]
    Params(String),
    /// The rates became non-finite; the message names the step.
    #[error("the simulation diverged: {0}")]
    Diverged(String),
    /// A saved state does not match the network its seed rebuilds.
    #[error("the saved state does not match: {0}")]
    State(String),
}

#[cfg(test)]
mod tests;
