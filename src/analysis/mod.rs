//! Spike statistics and the theory that measurements are compared with.

pub mod branching;
pub mod eif_theory;
pub mod hopfield_theory;
pub mod landscape;
pub mod lif_theory;
pub mod linear_response;
pub mod special;
pub mod spike_stats;
