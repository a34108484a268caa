//! The Hebbian family's views and controls: the data cloud with its ellipse and eigenvectors and the
//! weight vectors as arrows (two dimensions) or the weights beside the eigenvector (more), the angle
//! to the eigenvectors over time with the theory's curve, |w| → 1 for Oja and log |w| for plain Hebb;
//! data, rule and rate controls; the convergence-time experiment.

pub mod controls;
pub mod experiment;
pub mod views;

use super::{HebbFrame, HebbInfo, HebbSetup, Hebbian};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Records kept per curve.
const HISTORY: usize = 50_000;

/// What the app keeps of a Hebbian scene: the latest description and bounded histories.
pub struct HebbData {
    /// The latest scene description.
    pub info: HebbInfo,
    /// Angle of each component to its eigenvector over samples, in degrees.
    pub angles: Vec<Series>,
    /// Length of each component over samples.
    pub norms: Vec<Series>,
    /// Angle of plain Hebb's weights to the leading eigenvector, in degrees.
    pub hebb_angle: Series,
    /// log₁₀ of plain Hebb's |w|.
    pub hebb_log10_norm: Series,
    /// The latest data points (two dimensions).
    pub points: Vec<[f32; 2]>,
    /// The latest weight vectors.
    pub weights: Vec<Vec<f64>>,
    /// The latest direction of plain Hebb's weights.
    pub hebb_direction: Vec<f64>,
    /// Samples learned from.
    pub samples: f64,
    /// Where the theory's angle curve starts: the first record, or the last jump (new weights).
    pub theory_start: Option<[f64; 2]>,
}

impl HebbData {
    /// Empty histories for a new scene.
    pub fn new(info: HebbInfo) -> Self {
        let k = info.setup.learn.components;
        Self {
            info,
            angles: (0..k).map(|_| Series::new(HISTORY)).collect(),
            norms: (0..k).map(|_| Series::new(HISTORY)).collect(),
            hebb_angle: Series::new(HISTORY),
            hebb_log10_norm: Series::new(HISTORY),
            points: Vec::new(),
            weights: Vec::new(),
            hebb_direction: Vec::new(),
            samples: 0.0,
            theory_start: None,
        }
    }

    /// Appends a frame; one that starts before the histories end (a rebuild) starts them afresh.
    pub fn push(&mut self, frame: HebbFrame) {
        if frame.samples.first().is_some_and(|&t| t < self.samples) {
            *self = Self::new(self.info.clone());
        }
        for (k, &t) in frame.samples.iter().enumerate() {
            let angles = &frame.angles_deg[k];
            if angles.len() != self.angles.len() {
                continue;
            }
            let first = f64::from(angles[0]);
            let jumped = self.angles[0].last().is_some_and(|p| first > p[1] + 20.0);
            if self.theory_start.is_none() || jumped {
                self.theory_start = Some([t, first]);
            }
            for (series, &a) in self.angles.iter_mut().zip(angles) {
                series.push(t, f64::from(a));
            }
            for (series, &n) in self.norms.iter_mut().zip(&frame.norms[k]) {
                series.push(t, f64::from(n));
            }
            self.hebb_angle.push(t, f64::from(frame.hebb_angle_deg[k]));
            self.hebb_log10_norm.push(t, f64::from(frame.hebb_log10_norm[k]));
            self.samples = t;
        }
        if !frame.weights.is_empty() {
            self.points = frame.points;
            self.weights = frame.weights;
            self.hebb_direction = frame.hebb_direction;
        }
    }
}

/// The Hebbian controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct HebbControls {
    /// Why the last combination of values was refused (nothing changed).
    pub refused: Option<String>,
}

impl FamilyUi for Hebbian {
    type Data = HebbData;
    type Controls = HebbControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "samples/s",
        default: 300.0,
        min: 10.0,
        max: 20_000.0,
        engine_per_unit: 1.0,
    };

    fn data(info: HebbInfo, _dark: bool) -> HebbData {
        HebbData::new(info)
    }

    fn set_info(data: &mut HebbData, info: HebbInfo, _dark: bool) {
        let reshaped = info.setup.learn.components != data.info.setup.learn.components
            || info.setup.data.dim != data.info.setup.data.dim;
        if reshaped {
            let samples = data.samples;
            *data = HebbData::new(info);
            data.samples = samples;
        } else {
            data.info = info;
        }
    }

    fn push(data: &mut HebbData, frame: HebbFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(_data: &mut HebbData, _dark: bool) {}

    fn info(data: &HebbData) -> HebbInfo {
        data.info.clone()
    }

    fn live_setup(data: &HebbData) -> HebbSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &HebbSetup) -> HebbControls {
        HebbControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Hebbian>,
        controls: &mut HebbControls,
        _setup: &HebbSetup,
        data: Option<&HebbData>,
    ) {
        if let Some(data) = data {
            controls::hebb_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Hebbian>,
        _controls: &mut HebbControls,
        data: &mut HebbData,
    ) {
        views::hebb_views_ui(ui, data, cx.dark);
    }
}

impl crate::families::SceneData {
    /// The Hebbian scene's histories, when the scene is one.
    pub fn hebbian(&self) -> Option<&HebbData> {
        match self {
            crate::families::SceneData::Hebbian(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
