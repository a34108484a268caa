//! Parameter sweeps shared by the command line and the app, each with a progress callback.

pub mod hopfield_sweeps;
pub mod neuron_sweeps;

/// The rate family's sweeps, where they used to live.
pub use crate::families::rate::sweeps as rate_sweeps;
pub use crate::progress::{NoProgress, Progress};
