//! The rate family's views and controls: overlap curves with every stored pattern, the rate of
//! every neuron as a coloured grid, the distribution of rates (the network now beside the rates a
//! stimulus evokes through φ alone), the inferred φ, f and g, and buttons that cue a stored
//! pattern, give a novel input or start from random rates.

pub mod controls;
pub mod experiment;
pub mod views;

use super::{Rate, RateCommand, RateFrame, RateInfo, RateSetup};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Overlap samples kept per pattern (1 per ms).
const OVERLAP_HISTORY: usize = 20_000;

/// What the app keeps of a rate scene: the latest description and bounded histories.
pub struct RateData {
    /// The latest scene description.
    pub info: RateInfo,
    /// Overlap with each stored pattern over time (ms).
    pub overlaps: Vec<Series>,
    /// Mean rate over neurons over time (ms), in Hz.
    pub mean_rate: Series,
    /// The latest rate of every neuron, in Hz.
    pub rates_hz: Vec<f32>,
    /// Density of the latest rates over the histogram bins.
    pub rate_density: Vec<f64>,
    /// What drives the network now.
    pub input: String,
    /// Classification of the latest state.
    pub classification: String,
    /// Latest simulated time, in ms.
    pub time_ms: f64,
    views: views::RateViews,
}

impl RateData {
    /// Empty histories for a new scene.
    pub fn new(info: RateInfo) -> Self {
        Self {
            overlaps: (0..info.n_patterns)
                .map(|_| Series::new(OVERLAP_HISTORY))
                .collect(),
            mean_rate: Series::new(OVERLAP_HISTORY),
            rates_hz: Vec::new(),
            rate_density: Vec::new(),
            input: String::new(),
            classification: String::new(),
            time_ms: 0.0,
            views: views::RateViews::default(),
            info,
        }
    }

    /// Appends a frame; one that starts before the histories end (a rebuild) starts them afresh.
    pub fn push(&mut self, frame: RateFrame) {
        if frame.times_ms.first().is_some_and(|&t| t < self.time_ms - 1e-9) {
            *self = Self::new(self.info.clone());
        }
        for ((t, overlaps), mean) in frame
            .times_ms
            .iter()
            .zip(&frame.overlaps)
            .zip(&frame.mean_rate_hz)
        {
            for (series, &m) in self.overlaps.iter_mut().zip(overlaps) {
                series.push(*t, f64::from(m));
            }
            self.mean_rate.push(*t, f64::from(*mean));
            self.time_ms = *t;
        }
        if !frame.rates_hz.is_empty() {
            self.rates_hz = frame.rates_hz;
            self.rate_density = frame.rate_density;
            self.input = frame.input;
            self.classification = frame.classification;
        }
    }
}

/// The rate controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct RateControls {
    /// The pattern last cued.
    pub cue_pattern: usize,
    /// Why the last combination of values was refused (nothing changed).
    pub refused: Option<String>,
}

impl FamilyUi for Rate {
    type Data = RateData;
    type Controls = RateControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 1.0,
        min: 0.01,
        max: 10.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: RateInfo, _dark: bool) -> RateData {
        RateData::new(info)
    }

    fn set_info(data: &mut RateData, info: RateInfo, _dark: bool) {
        if info.n_patterns != data.info.n_patterns || info.n_neurons != data.info.n_neurons {
            *data = RateData::new(info);
        } else {
            data.info = info;
        }
    }

    fn push(data: &mut RateData, frame: RateFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(data: &mut RateData, _dark: bool) {
        data.views = views::RateViews::default();
    }

    fn info(data: &RateData) -> RateInfo {
        data.info.clone()
    }

    fn live_setup(data: &RateData) -> RateSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &RateSetup) -> RateControls {
        RateControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Rate>,
        controls: &mut RateControls,
        _setup: &RateSetup,
        data: Option<&RateData>,
    ) {
        if let Some(data) = data {
            controls::rate_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Rate>,
        controls: &mut RateControls,
        data: &mut RateData,
    ) {
        let dark = cx.dark;
        if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
            let height = crate::views::maximise::height(ui);
            match name.as_str() {
                "rate-overlaps" => return views::overlaps_ui(ui, data, controls.cue_pattern, height),
                "rate-mean" => return views::mean_rate_ui(ui, data, dark, height),
                "rate-distribution" => return views::distribution_ui(ui, data, dark, height),
                "rate-transfer" => return views::transfer_ui(ui, data, dark, height),
                "rate-rule" => return views::rule_ui(ui, data, dark, height),
                _ => {}
            }
        }
        let full = ui.available_width();
        let side = (full * 0.3).clamp(200.0, 380.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Rate of every neuron").on_hover_text(
                    "Each square is a neuron (row-major, first neurons top left), coloured by its rate",
                );
                let RateData {
                    views,
                    rates_hz,
                    info,
                    ..
                } = data;
                views.rate_grid_ui(ui, rates_hz, info.rate_max_hz, side, dark);
                let input = if data.input.is_empty() {
                    "no input".to_string()
                } else {
                    data.input.clone()
                };
                ui.label(format!("now: {} · {input}", data.classification));
            });
            ui.vertical(|ui| {
                ui.strong("Overlap with each stored pattern (correlation of r with g(φ(ξ)))");
                views::overlaps_ui(ui, data, controls.cue_pattern, side * 0.62);
                ui.strong("Mean rate");
                views::mean_rate_ui(ui, data, dark, side * 0.3);
            });
        });
        ui.separator();
        ui.strong("Stored patterns (click one to give it as input for the cue length)");
        ui.horizontal_wrapped(|ui| {
            for mu in 0..data.info.n_patterns {
                let m = data.overlaps[mu].last().map_or(0.0, |p| p[1]);
                let label = egui::RichText::new(format!("{} ({m:+.2})", mu + 1))
                    .color(crate::views::theme::pattern(mu));
                if ui
                    .selectable_label(controls.cue_pattern == mu, label)
                    .on_hover_text(format!("Input current ξ^{} for the cue length", mu + 1))
                    .clicked()
                {
                    controls.cue_pattern = mu;
                    cx.commands.push(RateCommand::Cue { pattern: mu });
                }
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button("Novel input")
                .on_hover_text("A fresh Gaussian input that is stored nowhere, for the cue length")
                .clicked()
            {
                cx.commands.push(RateCommand::Novel);
            }
            if ui
                .button("Input off")
                .on_hover_text("Let the network run on its own")
                .clicked()
            {
                cx.commands.push(RateCommand::InputOff);
            }
            if ui
                .button("Random rates")
                .on_hover_text("Start from random rates without input: does the network fall into a pattern?")
                .clicked()
            {
                cx.commands.push(RateCommand::RandomRates);
            }
        });
        ui.separator();
        let plot_width = (full - 30.0) / 3.0;
        let height = 200.0;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(plot_width);
                ui.strong("Distribution of rates");
                views::distribution_ui(ui, data, dark, height);
            });
            ui.vertical(|ui| {
                ui.set_width(plot_width);
                ui.strong("Transfer function φ(h)");
                views::transfer_ui(ui, data, dark, height);
            });
            ui.vertical(|ui| {
                ui.set_width(plot_width);
                ui.strong("Learning rule f(r), g(r)");
                views::rule_ui(ui, data, dark, height);
            });
        });
    }
}

impl crate::families::SceneData {
    /// The rate scene's histories, when the scene is one.
    pub fn rate(&self) -> Option<&RateData> {
        match self {
            crate::families::SceneData::Rate(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
