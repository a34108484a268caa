//! The replay's views: where the run came from, a time slider to seek, the spike raster, population
//! rates, the ISI histogram and CV, and synchrony: the views of a live spiking run, drawn by the
//! spiking family's widgets from the recorded spikes.

use super::{Replay, ReplayCommand, ReplayFrame, ReplayInfo, ReplaySetup};
use crate::families::spiking::IsiView;
use crate::families::spiking::ui::data::{population_raster, push_rate_bin};
use crate::families::spiking::ui::{distributions, raster::Raster, rates, spike_raster};
use crate::families::{FamilyExperiments, FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Population-rate bins kept (1 ms each).
const RATE_HISTORY: usize = 10_000;

/// What the app keeps of a replay.
pub struct ReplayData {
    /// The run's description.
    pub info: ReplayInfo,
    /// The scrolling raster of the last second before the playhead.
    pub raster: Raster,
    /// Population rate (Hz) per population over time (ms), 1 ms bins.
    pub rates: Vec<Series>,
    /// Interval statistics from the start to the playhead.
    pub isi: Option<IsiView>,
    /// Synchrony χ of the last second.
    pub synchrony: Option<f64>,
    /// The playhead, in ms.
    pub time_ms: f64,
    /// Spikes received since the views last started afresh.
    pub spikes_received: u64,
}

impl ReplayData {
    /// Empty views for a run.
    pub fn new(info: ReplayInfo, dark: bool) -> Self {
        Self {
            raster: population_raster(info.n_neurons, &info.populations, dark),
            rates: info
                .populations
                .iter()
                .map(|_| Series::new(RATE_HISTORY))
                .collect(),
            isi: None,
            synchrony: None,
            time_ms: 0.0,
            spikes_received: 0,
            info,
        }
    }

    /// Appends a frame; one that does not continue where the last ended (a seek) starts afresh.
    pub fn push(&mut self, frame: ReplayFrame, dark: bool) {
        if (frame.from_ms - self.time_ms).abs() > 1e-9 {
            let (isi, synchrony) = (self.isi.take(), self.synchrony.take());
            *self = Self::new(self.info.clone(), dark);
            (self.isi, self.synchrony) = (isi, synchrony);
            self.time_ms = frame.from_ms;
            self.raster.advance_to(frame.from_ms);
        }
        for (&neuron, &time) in frame.spike_neurons.iter().zip(&frame.spike_times_ms) {
            self.raster.add_spike(neuron, time);
        }
        self.spikes_received += frame.spike_neurons.len() as u64;
        for ((population, counts), series) in self
            .info
            .populations
            .iter()
            .zip(&frame.population_counts)
            .zip(&mut self.rates)
        {
            let size = population.len.max(1) as f64;
            for (bin, &count) in counts.iter().enumerate() {
                let t = frame.counts_from_ms + bin as f64;
                let rate_hz = f64::from(count) / size / 1e-3;
                push_rate_bin(series, t, rate_hz);
            }
        }
        if frame.isi.is_some() {
            self.isi = frame.isi;
        }
        if frame.synchrony.is_some() {
            self.synchrony = frame.synchrony;
        }
        self.time_ms = frame.to_ms;
        self.raster.advance_to(self.time_ms);
    }
}

/// The replay controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct ReplayControls {
    /// Where the time slider's handle is held, while it is dragged (ms).
    pub seeking_to: Option<f64>,
}

impl FamilyUi for Replay {
    type Data = ReplayData;
    type Controls = ReplayControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 1.0,
        min: 0.01,
        max: 10.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: ReplayInfo, dark: bool) -> ReplayData {
        ReplayData::new(info, dark)
    }

    fn set_info(data: &mut ReplayData, info: ReplayInfo, dark: bool) {
        *data = ReplayData::new(info, dark);
    }

    fn push(data: &mut ReplayData, frame: ReplayFrame, dark: bool) {
        data.push(frame, dark);
    }

    fn restyle(data: &mut ReplayData, dark: bool) {
        let (isi, synchrony, time_ms) = (data.isi.take(), data.synchrony, data.time_ms);
        *data = ReplayData::new(data.info.clone(), dark);
        (data.isi, data.synchrony, data.time_ms) = (isi, synchrony, time_ms);
    }

    fn info(data: &ReplayData) -> ReplayInfo {
        data.info.clone()
    }

    fn live_setup(data: &ReplayData) -> ReplaySetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &ReplaySetup) -> ReplayControls {
        ReplayControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Replay>,
        _controls: &mut ReplayControls,
        _setup: &ReplaySetup,
        data: Option<&ReplayData>,
    ) {
        let Some(data) = data else {
            ui.label("opening the run…");
            return;
        };
        ui.heading("Recorded run");
        ui.label(&data.info.header);
        ui.label(format!("from {}", data.info.dir.display()));
        ui.label(format!("step {} ms", data.info.dt_ms));
        for p in &data.info.populations {
            ui.label(format!(
                "{} {}: neurons {}–{}",
                if p.excitatory { "excitatory" } else { "inhibitory" },
                p.name,
                p.start,
                p.start + p.len.saturating_sub(1)
            ));
        }
        ui.horizontal(|ui| {
            if ui
                .button("Start")
                .on_hover_text("Back to the beginning of the recording")
                .clicked()
            {
                cx.commands.push(ReplayCommand::Seek(0.0));
            }
            if ui.button("−1 s").clicked() {
                cx.commands
                    .push(ReplayCommand::Seek((data.time_ms - 1000.0).max(0.0)));
            }
            if ui.button("+1 s").clicked() {
                cx.commands.push(ReplayCommand::Seek(data.time_ms + 1000.0));
            }
        });
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Replay>,
        controls: &mut ReplayControls,
        data: &mut ReplayData,
    ) {
        let dark = cx.dark;
        ui.strong(&data.info.header);
        ui.horizontal(|ui| {
            // While the handle is held it shows where it is; the playhead moves when it is let go.
            let mut at = controls.seeking_to.unwrap_or(data.time_ms);
            ui.label("time");
            let width = (ui.available_width() - 260.0).max(120.0);
            ui.spacing_mut().slider_width = width;
            let slider = egui::Slider::new(&mut at, 0.0..=data.info.duration_ms).show_value(false);
            let response = ui
                .add(slider)
                .on_hover_text("Drag or click to seek; Play and Pause as for a live run");
            if response.dragged() {
                controls.seeking_to = Some(at);
            } else if response.drag_stopped() || response.changed() {
                controls.seeking_to = None;
                cx.commands.push(ReplayCommand::Seek(at));
            }
            ui.label(format!("{at:.0} of {:.0} ms", data.info.duration_ms));
            if data.time_ms >= data.info.duration_ms {
                ui.label("· end of the recording");
            }
        });
        if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
            let height = crate::views::maximise::height(ui);
            match name.as_str() {
                "raster" => {
                    spike_raster::raster_ui(ui, &mut data.raster, height, "Each dot is a recorded spike");
                    return;
                }
                "rates" => {
                    let rates = (&data.info.populations[..], &data.rates[..]);
                    return rates::rates_ui(ui, rates, data.time_ms, dark, height);
                }
                "isi-histogram" => {
                    return distributions::isi_histogram_ui(ui, data.isi.as_ref(), dark, height);
                }
                _ => {}
            }
        }
        let height = ui.available_height();
        ui.strong(format!(
            "Spike raster: {} neurons ({} per row)",
            data.info.n_neurons,
            crate::families::spiking::ui::format_neurons_per_row(data.raster.neurons_per_row())
        ));
        spike_raster::raster_ui(
            ui,
            &mut data.raster,
            (height * 0.45).max(200.0),
            "Each dot is a recorded spike",
        );
        let plot_height = (height * 0.5 - 70.0).max(110.0);
        ui.columns(2, |columns| {
            columns[0].horizontal(|ui| {
                ui.strong("Population rate");
                if let Some(chi) = data.synchrony {
                    ui.label(format!("· synchrony χ = {chi:.3}")).on_hover_text(
                        "Synchrony of the last second: the variance of the population's mean count over the \
                         mean of the single neurons' variances (5 ms bins, up to 1,000 neurons); 0 is \
                         asynchronous, 1 fully synchronous. engram network reports the same measure.",
                    );
                }
            });
            rates::rates_ui(
                &mut columns[0],
                (&data.info.populations, &data.rates),
                data.time_ms,
                dark,
                plot_height,
            );
            distributions::isi_histogram_ui(&mut columns[1], data.isi.as_ref(), dark, plot_height);
        });
    }
}

/// A replay has no experiments of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReplayExperiment {}

impl FamilyExperiments for Replay {
    type Kind = ReplayExperiment;
    type Settings = ();
    type Result = ();
    const TABS: &'static [crate::families::ExperimentTab<ReplayExperiment>] = &[];

    fn describe(kind: ReplayExperiment, _settings: &()) -> String {
        match kind {}
    }

    fn settings_ui(_ui: &mut egui::Ui, kind: ReplayExperiment, _settings: &mut ()) {
        match kind {}
    }

    fn run(
        kind: ReplayExperiment,
        _settings: &(),
        _seed: u64,
        _progress: &mut dyn crate::progress::Progress,
        _on_partial: &mut dyn FnMut(&()),
    ) -> Result<(), String> {
        match kind {}
    }

    fn plot_ui(_ui: &mut egui::Ui, _result: &(), _kept: &[crate::views::kept_runs::KeptRun], _dark: bool) {}

    fn series(_result: &()) -> Vec<crate::views::kept_runs::Series> {
        Vec::new()
    }

    fn csv(_result: &()) -> String {
        String::new()
    }
}

impl crate::families::SceneData {
    /// The replay's views, when the scene is one.
    pub fn replay(&self) -> Option<&ReplayData> {
        match self {
            crate::families::SceneData::Replay(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
