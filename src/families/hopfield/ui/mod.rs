//! The Hopfield family's views and controls: the state grid (paint it), overlap and energy curves,
//! the stored patterns (click to cue), the energy landscape and the weight matrix.

pub mod controls;
pub mod data;
pub mod experiments;
pub mod grid;
pub mod landscape;
pub mod picture;
pub mod plots;
pub mod weights;

pub use data::HopfieldData;

use super::model::DenseUpdate;
use super::{
    Cue, Hopfield, HopfieldCommand, HopfieldFrame, HopfieldInfo, HopfieldSetup, HopfieldUpdate, PatternSource,
};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::patterns::{PatternsView, Thumbnails, latest_values};

/// The Hopfield controls' own state between frames.
#[derive(Debug, Clone)]
pub struct HopfieldControls {
    /// Pattern the cue buttons use.
    pub cue_pattern: usize,
    /// Labels typed for a built-in set ("AEHKS").
    pub labels_text: String,
    /// Pattern count for random sets.
    pub random_count: usize,
    /// Exponent of the polynomial dense update.
    pub poly_degree: u32,
    /// Inverse temperature of the softmax update.
    pub beta: f64,
    /// The setup as the preset defined it (for restore marks).
    pub preset: Option<HopfieldSetup>,
    /// The dialog choosing an own picture (PNG or JPEG) to store as a pattern, while it is open.
    pub picture_dialog: Option<crate::views::file_dialog::FileDialog>,
    /// Dither pictures (shades as the density of on pixels) instead of thresholding them.
    pub dither: bool,
}

/// The views' own state between frames (textures, drags).
#[derive(Default)]
pub struct HopfieldViews {
    grid: grid::GridView,
    patterns: PatternsView,
    landscape: landscape::LandscapeView,
    weights: weights::WeightsView,
}

/// A Hopfield scene as the app keeps it: histories and the views' state.
pub struct HopfieldUiData {
    /// Histories and the latest description.
    pub data: HopfieldData,
    views: HopfieldViews,
}

impl std::ops::Deref for HopfieldUiData {
    type Target = HopfieldData;

    fn deref(&self) -> &HopfieldData {
        &self.data
    }
}

impl FamilyUi for Hopfield {
    type Data = HopfieldUiData;
    type Controls = HopfieldControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "sweeps/s",
        default: 2.0,
        min: 0.05,
        max: 200.0,
        engine_per_unit: 1.0,
    };

    fn data(info: HopfieldInfo, _dark: bool) -> HopfieldUiData {
        HopfieldUiData {
            data: HopfieldData::new(info),
            views: HopfieldViews::default(),
        }
    }

    fn set_info(data: &mut HopfieldUiData, info: HopfieldInfo, _dark: bool) {
        data.data.set_info(info);
    }

    fn push(data: &mut HopfieldUiData, frame: HopfieldFrame, _dark: bool) {
        data.data.push(frame);
    }

    fn restyle(_data: &mut HopfieldUiData, _dark: bool) {}

    fn info(data: &HopfieldUiData) -> HopfieldInfo {
        data.data.info.clone()
    }

    fn preset_cue_flip(setup: &HopfieldSetup) -> Option<f64> {
        Some(setup.cue_flip)
    }

    /// The setup as it runs, with the pattern and corruption of the last cue as the first cue.
    fn live_setup(data: &HopfieldUiData) -> HopfieldSetup {
        let info = &data.data.info;
        HopfieldSetup {
            cue_pattern: info.last_cue.0,
            cue_flip: info.last_cue.1,
            ..info.setup.clone()
        }
    }

    fn controls(setup: &HopfieldSetup) -> HopfieldControls {
        let labels_text = match &setup.patterns {
            PatternSource::Builtin { labels, .. } => labels.concat(),
            _ => String::new(),
        };
        let random_count = match &setup.patterns {
            PatternSource::Random { count, .. } | PatternSource::Correlated { count, .. } => *count,
            PatternSource::Builtin { .. } => 20,
        };
        let beta = match setup.update {
            HopfieldUpdate::Dense(DenseUpdate::Softmax { beta }) => beta,
            _ => 0.5,
        };
        HopfieldControls {
            cue_pattern: setup.cue_pattern,
            labels_text,
            random_count,
            poly_degree: 3,
            beta,
            preset: Some(setup.clone()),
            picture_dialog: None,
            dither: false,
        }
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Hopfield>,
        controls: &mut HopfieldControls,
        setup: &HopfieldSetup,
        data: Option<&HopfieldUiData>,
    ) {
        controls::hopfield_controls_ui(ui, cx, controls, setup.clone(), data.map(|d| &d.data));
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Hopfield>,
        controls: &mut HopfieldControls,
        data: &mut HopfieldUiData,
    ) {
        let dark = cx.dark;
        let HopfieldUiData { data, views } = data;
        picture::dropped_pictures(ui, cx, controls, (data.info.width, data.info.height));
        let cued = controls.cue_pattern;
        if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
            let height = crate::views::maximise::height(ui);
            match name.as_str() {
                "overlaps" => return plots::overlaps_ui(ui, data, cued, height),
                "energy" => return plots::energy_ui(ui, data, dark, height),
                _ => {}
            }
        }
        let full = ui.available_width();
        let grid_side = (full * 0.34).clamp(220.0, 420.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Network state")
                    .on_hover_text("Each square is a neuron: on (+1) or off (−1)");
                cx.commands.extend(views.grid.ui(ui, data, grid_side, dark));
                ui.label(format!("now: {}", data.classification));
            });
            ui.vertical(|ui| {
                ui.strong("Overlap with each stored pattern");
                plots::overlaps_ui(ui, data, cued, 250.0);
                ui.strong("Energy");
                plots::energy_ui(ui, data, dark, 150.0);
            });
        });
        ui.separator();
        ui.strong("Stored patterns (click one to cue it)");
        let thumbnails = Thumbnails {
            width: data.info.width,
            height: data.info.height,
            patterns: &data.info.patterns,
            labels: &data.info.labels,
            overlaps: latest_values(&data.overlaps),
        };
        if let Some(index) = views.patterns.ui(ui, &thumbnails, cued, dark) {
            controls.cue_pattern = index;
            cx.commands.push(HopfieldCommand::Cue(Cue::Corrupted {
                pattern: index,
                flip: *cx.cue_flip,
            }));
        }
        ui.separator();
        let side = ((full - 40.0) / 2.0).clamp(200.0, 330.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Energy landscape");
                if let Some((a, b)) = views.landscape.ui(ui, data, side) {
                    cx.commands.push(HopfieldCommand::SetLandscapeAxes(a, b));
                }
            });
            ui.vertical(|ui| {
                ui.strong("Weights J_ij")
                    .on_hover_text("Row i, column j: red excitatory, blue inhibitory");
                views.weights.ui(ui, data, side, dark);
            });
        });
    }
}

impl crate::families::SceneData {
    /// The Hopfield scene's histories, when the scene is one.
    pub fn hopfield(&self) -> Option<&HopfieldData> {
        match self {
            crate::families::SceneData::Hopfield(data) => Some(&data.data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
