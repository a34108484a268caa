//! The spiking family's views and controls: the spike raster (click a row to record a neuron),
//! population rates, membrane traces, potential and ISI distributions, the EIF's dV/dt, and for the
//! spiking memory its pixel grid, overlaps from spikes and clickable patterns.

pub mod controls;
pub mod correlations;
pub mod data;
pub mod distributions;
pub mod experiments;
pub mod memory;
pub mod phase;
pub mod raster;
pub mod rates;
pub mod spike_raster;
pub mod traces;

pub use data::{MemoryData, SpikingData};

use super::{Spiking, SpikingCommand, SpikingFrame, SpikingInfo, SpikingSetup};
use crate::families::hopfield::Cue;
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::patterns::{PatternsView, Thumbnails, latest_values};

/// The spiking controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct SpikingControls {
    /// Seed typed for the next rebuild (None: the scene's own).
    pub spiking_seed: Option<u64>,
    /// Why the last combination of slider values was refused (the values stay as they were).
    pub refused: Option<String>,
    /// Pattern of a spiking memory last cued.
    pub cue_pattern: usize,
    /// The correlations tab is open instead of the activity views.
    pub show_correlations: bool,
    /// The dialog naming the folder of an export to NEST, while it is open.
    pub export_dialog: Option<crate::views::file_dialog::FileDialog>,
}

/// The views' own state between frames (textures).
#[derive(Default)]
pub struct SpikingViews {
    memory_patterns: PatternsView,
    memory_grid: memory::RateGridView,
    correlations: correlations::CorrelationTextures,
}

/// A spiking scene as the app keeps it: raster, histories and the views' state.
pub struct SpikingUiData {
    /// Raster, histories and the latest description.
    pub data: SpikingData,
    views: SpikingViews,
}

impl std::ops::Deref for SpikingUiData {
    type Target = SpikingData;

    fn deref(&self) -> &SpikingData {
        &self.data
    }
}

impl FamilyUi for Spiking {
    type Data = SpikingUiData;
    type Controls = SpikingControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 1.0,
        min: 0.01,
        max: 10.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: SpikingInfo, dark: bool) -> SpikingUiData {
        SpikingUiData {
            data: SpikingData::new(info, dark),
            views: SpikingViews::default(),
        }
    }

    fn set_info(data: &mut SpikingUiData, info: SpikingInfo, dark: bool) {
        data.data.set_info(info, dark);
    }

    fn push(data: &mut SpikingUiData, frame: SpikingFrame, dark: bool) {
        data.data.push(frame, dark);
    }

    fn restyle(data: &mut SpikingUiData, dark: bool) {
        // Raster colours depend on the theme.
        data.data = SpikingData::new(data.data.info.clone(), dark);
    }

    fn info(data: &SpikingUiData) -> SpikingInfo {
        data.data.info.clone()
    }

    fn live_setup(data: &SpikingUiData) -> SpikingSetup {
        data.data.info.setup.clone()
    }

    fn controls(setup: &SpikingSetup) -> SpikingControls {
        SpikingControls {
            show_correlations: setup.view == super::SpikingView::Correlations,
            cue_pattern: setup.memory.as_ref().map_or(0, |m| m.cue_pattern),
            ..SpikingControls::default()
        }
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Spiking>,
        controls: &mut SpikingControls,
        _setup: &SpikingSetup,
        data: Option<&SpikingUiData>,
    ) {
        controls::spiking_controls_ui(ui, cx, controls, data.map(|d| &d.data));
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Spiking>,
        controls: &mut SpikingControls,
        data: &mut SpikingUiData,
    ) {
        let dark = cx.dark;
        let SpikingUiData { data, views } = data;
        if data.memory.is_none() {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut controls.show_correlations, false, "Activity");
                ui.selectable_value(&mut controls.show_correlations, true, "Correlations")
                    .on_hover_text(
                        "The covariance of spike counts measured beside the one predicted from the wiring",
                    );
            });
            if data.correlations_told != Some(controls.show_correlations) {
                data.correlations_told = Some(controls.show_correlations);
                cx.commands
                    .push(SpikingCommand::ShowCorrelations(controls.show_correlations));
            }
            if controls.show_correlations {
                correlations::correlations_ui(ui, data.correlations.as_ref(), &mut views.correlations, dark);
                return;
            }
        }
        if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
            let height = crate::views::maximise::height(ui);
            let mut clicked = None;
            match name.as_str() {
                "raster" => clicked = spike_raster::raster_ui(ui, &mut data.raster, height, RASTER_HOVER),
                "rates" => rates::rates_ui(
                    ui,
                    (&data.info.populations, &data.rates),
                    data.time_ms,
                    dark,
                    height,
                ),
                "traces" => traces::traces_ui(ui, data, dark, height),
                "v-histogram" => distributions::v_histogram_ui(ui, data, dark, height),
                "isi-histogram" => distributions::isi_histogram_ui(ui, data.isi.as_ref(), dark, height),
                "eif-phase" => phase::eif_phase_ui(ui, data, dark, height),
                "memory-overlaps" => {
                    if let (Some(info), Some(memory)) = (data.info.memory.as_ref(), data.memory.as_ref()) {
                        memory::memory_overlaps_ui(ui, info, memory, controls.cue_pattern, height);
                    }
                }
                _ => return Self::all_views_ui(ui, cx, controls, data, views),
            }
            return record_clicked(cx, data, clicked);
        }
        Self::all_views_ui(ui, cx, controls, data, views);
    }
}

/// What a hover over the raster says.
const RASTER_HOVER: &str = "Each dot is a spike. Click a row to record that neuron's membrane potential.";

/// Asks the scene to record the membrane potential of a clicked raster row (the last six kept).
fn record_clicked(cx: &mut UiCx<'_, Spiking>, data: &SpikingData, clicked: Option<u32>) {
    if let Some(neuron) = clicked {
        let mut recorded = data.info.recorded.clone();
        if !recorded.contains(&neuron) {
            recorded.push(neuron);
            if recorded.len() > 6 {
                recorded.remove(0);
            }
        }
        cx.commands.push(SpikingCommand::RecordNeurons(recorded));
    }
}

impl Spiking {
    /// Every view of the activity: the memory's grid and overlaps, the raster, rates, traces and
    /// distributions.
    fn all_views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Spiking>,
        controls: &mut SpikingControls,
        data: &mut SpikingData,
        views: &mut SpikingViews,
    ) {
        let dark = cx.dark;
        let height = ui.available_height();
        if let (Some(info), Some(memory)) = (data.info.memory.as_ref(), data.memory.as_ref()) {
            let cued = controls.cue_pattern;
            let full = ui.available_width();
            let grid_side = (full * 0.25).clamp(160.0, 300.0);
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.strong("Pixels, from spike rates").on_hover_text(
                        "Every pixel is an on pool and an off pool of neurons that silence each other",
                    );
                    views.memory_grid.ui(ui, info, memory, grid_side, dark);
                    ui.label(format!("now: {}", memory.classification));
                });
                ui.vertical(|ui| {
                    ui.strong("Overlap with each pattern, from spikes");
                    memory::memory_overlaps_ui(ui, info, memory, cued, grid_side - 10.0);
                });
            });
            let title = if info.learning {
                "Patterns to present (click: deliver it as input; with STDP on, it is learned)"
            } else {
                "Stored patterns (click one to cue it)"
            };
            ui.strong(title);
            let thumbnails = Thumbnails {
                width: info.patterns.width,
                height: info.patterns.height,
                patterns: &info.patterns.patterns,
                labels: &info.patterns.labels,
                overlaps: latest_values(&memory.overlaps),
            };
            if let Some(index) = views.memory_patterns.ui(ui, &thumbnails, cued, dark) {
                controls.cue_pattern = index;
                cx.commands.push(SpikingCommand::Cue(Cue::Corrupted {
                    pattern: index,
                    flip: *cx.cue_flip,
                }));
            }
            ui.separator();
        }
        let height = if data.memory.is_some() {
            height * 0.6
        } else {
            height
        };
        ui.strong(format!(
            "Spike raster: {} neurons, {} synapses ({} neurons per row)",
            data.info.n_neurons,
            data.info.n_synapses,
            format_neurons_per_row(data.raster.neurons_per_row())
        ));
        let clicked = spike_raster::raster_ui(ui, &mut data.raster, (height * 0.42).max(200.0), RASTER_HOVER);
        let plot_height = ((height * 0.5 - 60.0) / 2.0).max(110.0);
        ui.columns(2, |columns| {
            columns[0].horizontal(|ui| {
                ui.strong("Population rate");
                branching_label(ui, data);
            });
            rates::rates_ui(
                &mut columns[0],
                (&data.info.populations, &data.rates),
                data.time_ms,
                dark,
                plot_height,
            );
            columns[0].strong("Membrane potential (click the raster to add a neuron)");
            traces::traces_ui(&mut columns[0], data, dark, plot_height);
            // With an EIF population a third plot (dV/dt) shares the right column.
            let eif = data
                .info
                .params
                .populations
                .iter()
                .any(|p| matches!(p.neuron.model, super::model::NeuronModel::Eif { .. }));
            let right_height = if eif { plot_height * 2.0 / 3.0 } else { plot_height };
            columns[1].strong("Membrane potential distribution");
            distributions::v_histogram_ui(&mut columns[1], data, dark, right_height);
            distributions::isi_histogram_ui(&mut columns[1], data.isi.as_ref(), dark, right_height - 20.0);
            phase::eif_phase_ui(&mut columns[1], data, dark, right_height - 20.0);
        });
        record_clicked(cx, data, clicked);
    }
}

/// "4" or "2.5" neurons per raster row.
pub fn format_neurons_per_row(value: f64) -> String {
    if (value - value.round()).abs() < 0.01 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

impl crate::families::SceneData {
    /// The spiking scene's raster and histories, when the scene is one.
    pub fn spiking(&self) -> Option<&SpikingData> {
        match self {
            crate::families::SceneData::Spiking(data) => Some(&data.data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

impl crate::families::SceneControls {
    /// The spiking controls' state, when the controls are a spiking scene's.
    pub fn spiking(&self) -> Option<&SpikingControls> {
        match self {
            crate::families::SceneControls::Spiking(controls) => Some(controls),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The spiking controls' state to change, when the controls are a spiking scene's.
    pub fn spiking_mut(&mut self) -> Option<&mut SpikingControls> {
        match self {
            crate::families::SceneControls::Spiking(controls) => Some(controls),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// Least share of the slopes' variance the exponential must explain for its m to be shown.
const MIN_BRANCHING_R2: f64 = 0.5;

/// The branching ratio of the network's activity, estimated live from the last 10 s (1 ms bins).
fn branching_label(ui: &mut egui::Ui, data: &data::SpikingData) {
    let Some(estimate) = &data.branching else {
        return;
    };
    let text = if estimate.fit_r2 >= MIN_BRANCHING_R2 {
        format!("· branching ratio ≈ {:.3} (1 ms bins)", estimate.m_mr)
    } else {
        format!(
            "· branching: activity not decaying exponentially (R² {:.2})",
            estimate.fit_r2
        )
    };
    ui.label(text).on_hover_text(format!(
        "The branching ratio of the whole network's spike count per 1 ms bin over the last {:.0} s, by \
         multistep regression: the slopes r_k of the count k ms later against the count now, for k = 1 to \
         {} ms, fitted by b·m^k (Wilting & Priesemann 2018): fit m = {:.3}, b = {:.3}, R² = {:.2} (shown when \
         R² ≥ {MIN_BRANCHING_R2}). One-step slope r_1 = {:.3}; autocorrelation time {:.1} ms. The estimate \
         depends on the bin width; near 1 the activity propagates almost undamped (critical), well below 1 \
         it dies out quickly; fast oscillations (Brunel's asynchronous state) are not a branching process.",
        data.activity.len() as f64 / 1000.0,
        data::BRANCHING_K_MAX,
        estimate.m_mr,
        estimate.b,
        estimate.fit_r2,
        estimate.m_conventional,
        estimate.tau_steps
    ));
}
