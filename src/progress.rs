//! Progress of long computations (sweeps, experiments), shared by the families, the command line
//! and the app, so that a family's sweeps need not import the experiments module.

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
