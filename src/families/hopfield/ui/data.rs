//! What the app keeps of a Hopfield scene: the latest description and bounded histories.

use crate::families::hopfield::{HopfieldFrame, HopfieldInfo};
use crate::views::history::Series;

/// Most Hopfield samples kept per curve.
const HOPFIELD_HISTORY: usize = 20_000;

/// Hopfield scene data.
pub struct HopfieldData {
    /// The latest scene description.
    pub info: HopfieldInfo,
    /// The latest state (±1).
    pub state: Vec<i8>,
    /// Energy over time (sweeps).
    pub energy: Series,
    /// Overlap with every stored pattern over time (sweeps).
    pub overlaps: Vec<Series>,
    /// Overlaps with the two landscape axes over time.
    pub trajectory: Series,
    /// Description of the latest state.
    pub classification: String,
    /// Set when the state changed, so the grid texture is re-uploaded.
    pub state_changed: bool,
}

impl HopfieldData {
    /// Empty histories for a new scene.
    pub fn new(info: HopfieldInfo) -> Self {
        let n = info.width * info.height;
        let overlaps = (0..info.patterns.len())
            .map(|_| Series::new(HOPFIELD_HISTORY))
            .collect();
        Self {
            info,
            state: vec![-1; n],
            energy: Series::new(HOPFIELD_HISTORY),
            overlaps,
            trajectory: Series::new(HOPFIELD_HISTORY),
            classification: String::new(),
            state_changed: true,
        }
    }

    /// Takes a new description (patterns added, rule changed, ...), keeping the histories that still fit.
    pub fn set_info(&mut self, info: HopfieldInfo) {
        let n = info.width * info.height;
        if n != self.state.len() {
            *self = Self::new(info);
            return;
        }
        self.overlaps
            .resize_with(info.patterns.len(), || Series::new(HOPFIELD_HISTORY));
        let axes_changed =
            info.landscape.as_ref().map(|l| l.axes) != self.info.landscape.as_ref().map(|l| l.axes);
        if axes_changed {
            self.trajectory.clear();
        }
        self.info = info;
    }

    /// Appends a frame; a frame that starts before the curves end (the scene was rebuilt) starts
    /// them afresh.
    pub fn push(&mut self, frame: HopfieldFrame) {
        if frame
            .samples
            .first()
            .zip(self.energy.last())
            .is_some_and(|(s, l)| s.time_sweeps < l[0])
        {
            self.clear_history();
        }
        if frame.state.len() == self.state.len() && frame.state != self.state {
            self.state = frame.state;
            self.state_changed = true;
        }
        self.classification = frame.classification;
        let axes = self.info.landscape.as_ref().map(|l| l.axes);
        for sample in frame.samples {
            self.energy.push(sample.time_sweeps, sample.energy);
            for (series, &m) in self.overlaps.iter_mut().zip(&sample.overlaps) {
                series.push(sample.time_sweeps, f64::from(m));
            }
            if let Some((a, b)) = axes
                && let (Some(&ma), Some(&mb)) = (sample.overlaps.get(a), sample.overlaps.get(b))
            {
                self.trajectory.push(f64::from(ma), f64::from(mb));
            }
        }
    }

    /// Clears the curves (after a reset).
    pub fn clear_history(&mut self) {
        self.energy.clear();
        self.trajectory.clear();
        self.overlaps.iter_mut().for_each(Series::clear);
    }
}
