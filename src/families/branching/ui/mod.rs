//! The branching family's views and controls: the activity of the whole network and of the observed
//! subsample, the regression slopes r_k with the multistep fit, the estimates beside the true m, and
//! the avalanche size and duration distributions on log-log axes with their power laws; m, h and
//! subsample controls; the subsampling experiment.

pub mod controls;
pub mod experiment;
pub mod views;

use super::{AvalancheResult, Branching, BranchingFrame, BranchingInfo, BranchingSetup, LiveEstimate};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Steps of activity kept for the trace.
const HISTORY: usize = 20_000;

/// What the app keeps of a branching scene.
pub struct BranchingData {
    /// The latest scene description.
    pub info: BranchingInfo,
    /// Active units of the whole network over steps.
    pub activity: Series,
    /// Active observed units over steps.
    pub observed: Series,
    /// The latest estimate and its regression slopes.
    pub estimate: Option<(LiveEstimate, Vec<f64>)>,
    /// The latest avalanches.
    pub avalanches: Option<AvalancheResult>,
    /// Steps so far.
    pub steps: f64,
}

impl BranchingData {
    /// Empty histories for a new scene.
    pub fn new(info: BranchingInfo) -> Self {
        Self {
            info,
            activity: Series::new(HISTORY),
            observed: Series::new(HISTORY),
            estimate: None,
            avalanches: None,
            steps: 0.0,
        }
    }

    /// Appends a frame; one that starts before the histories end (a rebuild) starts them afresh.
    pub fn push(&mut self, frame: BranchingFrame) {
        if frame.steps.first().is_some_and(|&t| t < self.steps) {
            let avalanches = self.avalanches.take();
            *self = Self::new(self.info.clone());
            self.avalanches = avalanches;
        }
        for (k, &t) in frame.steps.iter().enumerate() {
            self.activity.push(t, f64::from(frame.activity[k]));
            self.observed.push(t, f64::from(frame.observed[k]));
            self.steps = t;
        }
        if frame.estimate.is_some() {
            self.estimate = frame.estimate;
        }
        if frame.avalanches.is_some() {
            self.avalanches = frame.avalanches;
        }
    }
}

/// The branching controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct BranchingControls {
    /// Why the last value was refused (nothing changed).
    pub refused: Option<String>,
}

impl FamilyUi for Branching {
    type Data = BranchingData;
    type Controls = BranchingControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "steps/s",
        default: 1000.0,
        min: 10.0,
        max: 100_000.0,
        engine_per_unit: 1.0,
    };

    fn data(info: BranchingInfo, _dark: bool) -> BranchingData {
        BranchingData::new(info)
    }

    fn set_info(data: &mut BranchingData, info: BranchingInfo, _dark: bool) {
        if info.setup.n != data.info.setup.n {
            *data = BranchingData::new(info);
        } else {
            data.info = info;
            data.estimate = None;
        }
    }

    fn push(data: &mut BranchingData, frame: BranchingFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(_data: &mut BranchingData, _dark: bool) {}

    fn info(data: &BranchingData) -> BranchingInfo {
        data.info.clone()
    }

    fn live_setup(data: &BranchingData) -> BranchingSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &BranchingSetup) -> BranchingControls {
        BranchingControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Branching>,
        controls: &mut BranchingControls,
        _setup: &BranchingSetup,
        data: Option<&BranchingData>,
    ) {
        if let Some(data) = data {
            controls::branching_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Branching>,
        _controls: &mut BranchingControls,
        data: &mut BranchingData,
    ) {
        views::branching_views_ui(ui, data, cx.dark);
    }
}

impl crate::families::SceneData {
    /// The branching scene's histories, when the scene is one.
    pub fn branching(&self) -> Option<&BranchingData> {
        match self {
            crate::families::SceneData::Branching(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
