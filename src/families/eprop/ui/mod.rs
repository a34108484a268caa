//! The e-prop family's views and controls: the learning curve, the readout against its target (or
//! the global rate against its targets), the raster of the trial in progress, the histogram of the
//! recurrent weights; learning-rate, optimiser and feedback controls; the feedback experiment.

pub mod controls;
pub mod experiment;
pub mod views;

use super::model::TrialResult;
use super::{Eprop, EpropFrame, EpropInfo, EpropSetup, TrialView};
use crate::families::{FamilyUi, SpeedScale, UiCx};

/// Trials kept in the learning curve.
const HISTORY: usize = 20_000;

/// What the app keeps of an e-prop scene.
pub struct EpropData {
    /// The latest scene description.
    pub info: EpropInfo,
    /// Every trial's result (the latest [`HISTORY`]).
    pub trials: Vec<TrialResult>,
    /// The trial in progress (or just completed).
    pub current: Option<TrialView>,
}

impl EpropData {
    /// Empty histories for a new scene.
    pub fn new(info: EpropInfo) -> Self {
        Self {
            info,
            trials: Vec::new(),
            current: None,
        }
    }

    /// Appends a frame; a trial numbered below the last one (a rebuild or reset) starts afresh.
    pub fn push(&mut self, frame: EpropFrame) {
        if let (Some(first), Some(last)) = (frame.trials.first(), self.trials.last())
            && first.trial <= last.trial
        {
            self.trials.clear();
        }
        self.trials.extend(frame.trials);
        if self.trials.len() > HISTORY {
            let excess = self.trials.len() - HISTORY;
            self.trials.drain(..excess);
        }
        if frame.current.is_some() {
            self.current = frame.current;
        }
    }
}

/// The e-prop controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct EpropControls {
    /// Why the last combination of values was refused (nothing changed).
    pub refused: Option<String>,
}

impl FamilyUi for Eprop {
    type Data = EpropData;
    type Controls = EpropControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 10.0,
        min: 0.05,
        max: 50.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: EpropInfo, _dark: bool) -> EpropData {
        EpropData::new(info)
    }

    fn set_info(data: &mut EpropData, info: EpropInfo, _dark: bool) {
        let reshaped = info.setup.params.n_rec != data.info.setup.params.n_rec
            || info.setup.task != data.info.setup.task
            || info.setup.seed != data.info.setup.seed;
        if reshaped {
            *data = EpropData::new(info);
        } else {
            data.info = info;
        }
    }

    fn push(data: &mut EpropData, frame: EpropFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(_data: &mut EpropData, _dark: bool) {}

    fn info(data: &EpropData) -> EpropInfo {
        data.info.clone()
    }

    fn live_setup(data: &EpropData) -> EpropSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &EpropSetup) -> EpropControls {
        EpropControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Eprop>,
        controls: &mut EpropControls,
        _setup: &EpropSetup,
        data: Option<&EpropData>,
    ) {
        if let Some(data) = data {
            controls::eprop_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Eprop>,
        _controls: &mut EpropControls,
        data: &mut EpropData,
    ) {
        views::eprop_views_ui(ui, data, cx.dark);
    }
}

impl crate::families::SceneData {
    /// The e-prop scene's histories, when the scene is one.
    pub fn eprop(&self) -> Option<&EpropData> {
        match self {
            crate::families::SceneData::Eprop(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
