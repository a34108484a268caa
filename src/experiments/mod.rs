//! Parameter sweeps shared by the command line and the app, each with a progress callback.

pub mod hopfield_sweeps;
pub mod neuron_sweeps;
pub mod rate_sweeps;

/// Receives progress of a long experiment: `done` of `total` units of work finished.
pub trait Progress {
    /// Called after each unit of work.
    fn advance(&mut self, done: usize, total: usize);
    /// True when the caller wants the experiment to stop early.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A progress sink that ignores progress and never cancels.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&mut self, _done: usize, _total: usize) {}
}
