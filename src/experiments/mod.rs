//! Parameter sweeps shared by the command line and the app, each with a progress callback.

pub mod hopfield_sweeps;
pub mod neuron_sweeps;

pub use crate::progress::{NoProgress, Progress};
