//! Progress of long computations (sweeps, experiments), shared by the families, the command line
//! and the app.

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

/// Progress of one part of a longer computation, reported as part of the whole: the part's `done`
/// becomes `offset + done` of `total`.
pub struct Offset<'a> {
    /// Where the whole's progress goes.
    pub inner: &'a mut dyn Progress,
    /// Units of the whole finished before this part.
    pub offset: usize,
    /// Units of the whole.
    pub total: usize,
}

impl Progress for Offset<'_> {
    fn advance(&mut self, done: usize, _total: usize) {
        self.inner.advance(self.offset + done, self.total);
    }

    fn cancelled(&self) -> bool {
        self.inner.cancelled()
    }
}
