//! The continuous-memory views and controls: the state as a grey-level image beside the stored
//! patterns (click one to cue it), the weight of every pattern in the update, the similarity to
//! every pattern and the energy over updates; kernel, β and pattern controls; the capacity
//! experiment.

pub mod controls;
pub mod experiment;
pub mod views;

use super::{Continuous, ContinuousFrame, ContinuousInfo, ContinuousSetup};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Records kept per curve.
const HISTORY: usize = 10_000;

/// What the app keeps of a continuous-memory scene.
pub struct ContinuousData {
    /// The latest scene description.
    pub info: ContinuousInfo,
    /// Cosine similarity with each pattern over updates.
    pub cosines: Vec<Series>,
    /// Energy over updates (softmax only).
    pub energy: Series,
    /// Distance moved by each update.
    pub moved: Series,
    /// The latest state.
    pub state: Vec<f64>,
    /// The latest weight of every pattern.
    pub weights: Vec<f64>,
    /// Updates so far.
    pub updates: f64,
    views: views::ContinuousViews,
}

impl ContinuousData {
    /// Empty histories for a new scene.
    pub fn new(info: ContinuousInfo) -> Self {
        Self {
            cosines: (0..info.patterns.len()).map(|_| Series::new(HISTORY)).collect(),
            energy: Series::new(HISTORY),
            moved: Series::new(HISTORY),
            state: Vec::new(),
            weights: Vec::new(),
            updates: 0.0,
            views: views::ContinuousViews::default(),
            info,
        }
    }

    /// Appends a frame; a cue (a record at the same or an earlier update) starts a new segment.
    pub fn push(&mut self, frame: ContinuousFrame) {
        if frame.updates.first().is_some_and(|&t| t < self.updates) {
            *self = Self::new(self.info.clone());
        }
        for (k, &t) in frame.updates.iter().enumerate() {
            if frame.cosines[k].len() != self.cosines.len() {
                continue;
            }
            for (series, &c) in self.cosines.iter_mut().zip(&frame.cosines[k]) {
                series.push(t, f64::from(c));
            }
            if frame.energies[k].is_finite() {
                self.energy.push(t, frame.energies[k]);
            }
            self.moved.push(t, frame.moved[k]);
            self.updates = t;
        }
        if !frame.state.is_empty() {
            self.state = frame.state;
            self.weights = frame.weights;
        }
    }
}

/// The continuous-memory controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct ContinuousControls {
    /// Why the last combination of values was refused (nothing changed).
    pub refused: Option<String>,
    /// The letters being typed (applied on Enter).
    pub letters: Option<String>,
}

impl FamilyUi for Continuous {
    type Data = ContinuousData;
    type Controls = ContinuousControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "updates/s",
        default: 2.0,
        min: 0.2,
        max: 100.0,
        engine_per_unit: 1.0,
    };

    fn data(info: ContinuousInfo, _dark: bool) -> ContinuousData {
        ContinuousData::new(info)
    }

    fn set_info(data: &mut ContinuousData, info: ContinuousInfo, _dark: bool) {
        if info.patterns.len() != data.info.patterns.len()
            || info.width * info.height != data.info.width * data.info.height
        {
            *data = ContinuousData::new(info);
        } else {
            data.info = info;
            data.views = views::ContinuousViews::default();
        }
    }

    fn push(data: &mut ContinuousData, frame: ContinuousFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(data: &mut ContinuousData, _dark: bool) {
        data.views = views::ContinuousViews::default();
    }

    fn info(data: &ContinuousData) -> ContinuousInfo {
        data.info.clone()
    }

    fn live_setup(data: &ContinuousData) -> ContinuousSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &ContinuousSetup) -> ContinuousControls {
        ContinuousControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Continuous>,
        controls: &mut ContinuousControls,
        _setup: &ContinuousSetup,
        data: Option<&ContinuousData>,
    ) {
        if let Some(data) = data {
            controls::continuous_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Continuous>,
        _controls: &mut ContinuousControls,
        data: &mut ContinuousData,
    ) {
        views::continuous_views_ui(ui, cx, data);
    }
}

impl crate::families::SceneData {
    /// The continuous-memory histories, when the scene is one.
    pub fn continuous(&self) -> Option<&ContinuousData> {
        match self {
            crate::families::SceneData::Continuous(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
