//! Live experiments: sweeps run on their own thread with a progress bar and a cancel button; the
//! results are drawn as they arrive, beside the theory they test (`experiment_results.rs`), and can be
//! saved as CSV or PNG.

pub use super::experiment_results::csv;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded};

use crate::experiments::Progress;
use crate::experiments::hopfield_sweeps::{self, RecallPoint, RecallSetup, TemperaturePoint};
use crate::experiments::neuron_sweeps::{self, FiPoint, VHistogram, VHistogramSetup};
use crate::families::rate::ui::experiment::{self as rate_experiment, RateLoadResult, RateLoadSettings};
use crate::hopfield::{DenseUpdate, LearningRule, UpdateMode};
use crate::spiking::NeuronParams;
use crate::views::export::PngExporter;
use crate::views::theme;

/// Which experiment the panel runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExperimentKind {
    /// Retrieval versus load, per learning rule and for a dense network, with the AGS line.
    Capacity,
    /// Retrieval versus cue corruption at a fixed load (basins of attraction).
    Basins,
    /// Overlap versus temperature with the mean-field curve.
    Temperature,
    /// LIF rate versus input with the Siegert curve.
    FiCurve,
    /// Membrane-potential histogram of noisy LIF neurons with the Fokker-Planck density.
    MembraneHistogram,
    /// Rate network: final overlap versus load with the mean field.
    RateLoad,
}

/// A finished, cancelled or partial experiment's results.
#[derive(Debug, Clone)]
pub enum ExperimentResult {
    /// Capacity curves, one per network (classical rules and a dense network).
    Capacity(Vec<(String, Vec<RecallPoint>)>),
    /// Basin curves at load `alpha`, one per network.
    Basins {
        /// Load α = P/N.
        alpha: f64,
        /// One curve per network.
        curves: Vec<(String, Vec<RecallPoint>)>,
    },
    /// Overlap versus temperature.
    Temperature(Vec<TemperaturePoint>),
    /// f-I curves with and without noise.
    FiCurve(Vec<(f64, Vec<FiPoint>)>),
    /// Membrane-potential histogram beside the Fokker-Planck density.
    MembraneHistogram(VHistogram),
    /// Rate network: overlap versus load beside the mean field.
    RateLoad(RateLoadResult),
}

/// What the user set for the experiments.
#[derive(Debug, Clone, Copy)]
pub struct ExperimentSettings {
    /// Hopfield network size N.
    pub n: usize,
    /// Independent pattern sets per point.
    pub trials: usize,
    /// Load α of the basins experiment.
    pub basin_alpha: f64,
    /// Mean input μ of the histogram experiment, in mV.
    pub mu_mv: f64,
    /// Noise σ of the histogram experiment, in mV.
    pub sigma_mv: f64,
    /// Unconnected neurons in the histogram experiment.
    pub neurons: usize,
    /// Seconds simulated per neuron in the histogram experiment.
    pub seconds: f64,
    /// The f-I experiment uses the exponential integrate-and-fire neuron instead of the LIF.
    pub fi_eif: bool,
    /// The rate experiment's network and trials.
    pub rate: RateLoadSettings,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for ExperimentSettings {
    fn default() -> Self {
        Self {
            n: 200,
            trials: 5,
            basin_alpha: 0.05,
            mu_mv: 15.0,
            sigma_mv: 5.0,
            neurons: 100,
            seconds: 5.0,
            fi_eif: false,
            rate: RateLoadSettings::default(),
            seed: 1,
        }
    }
}

/// Loads of the capacity experiment.
pub fn capacity_alphas() -> Vec<f64> {
    (1..=12).map(|k| k as f64 / 40.0).collect()
}

/// Cue corruptions of the basins experiment: 0 to 0.5 in steps of 0.05.
pub fn basin_flips() -> Vec<f64> {
    (0..=10).map(|k| k as f64 / 20.0).collect()
}

/// The networks the recall experiments compare: name, learning rule, update.
pub fn recall_networks() -> [(&'static str, LearningRule, UpdateMode); 4] {
    [
        ("hebb", LearningRule::Hebb, UpdateMode::Classical),
        ("storkey", LearningRule::Storkey, UpdateMode::Classical),
        (
            "pseudo-inverse",
            LearningRule::PseudoInverse,
            UpdateMode::Classical,
        ),
        (
            "dense (exp)",
            LearningRule::Hebb,
            UpdateMode::Dense(DenseUpdate::Exp),
        ),
    ]
}

/// Messages from the experiment thread.
enum Update {
    Progress(usize, usize),
    Partial(ExperimentResult),
    Done(Result<ExperimentResult, String>),
}

/// Sends progress without blocking and reads the cancel flag.
struct ChannelProgress {
    tx: Sender<Update>,
    cancel: Arc<AtomicBool>,
}

impl Progress for ChannelProgress {
    fn advance(&mut self, done: usize, total: usize) {
        // A full queue only means the UI has not drawn the last update yet.
        let _ = self.tx.try_send(Update::Progress(done, total));
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Progress of one part of an experiment, reported as part of the whole.
struct Offset<'a> {
    inner: &'a mut dyn Progress,
    offset: usize,
    total: usize,
}

impl Progress for Offset<'_> {
    fn advance(&mut self, done: usize, _total: usize) {
        self.inner.advance(self.offset + done, self.total);
    }

    fn cancelled(&self) -> bool {
        self.inner.cancelled()
    }
}

/// Runs one experiment to the end (or until `progress` says cancel) on the caller's thread, handing the
/// results so far to `on_partial` after every point. The app runs this on its experiment thread.
pub fn run_experiment(
    kind: ExperimentKind,
    settings: &ExperimentSettings,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&ExperimentResult),
) -> Result<ExperimentResult, String> {
    let s = *settings;
    match kind {
        ExperimentKind::Capacity | ExperimentKind::Basins => {
            let networks = recall_networks();
            let xs = if kind == ExperimentKind::Capacity {
                capacity_alphas()
            } else {
                basin_flips()
            };
            let per_network = xs.len() * s.trials;
            let total = networks.len() * per_network;
            let wrap = |curves: &Vec<(String, Vec<RecallPoint>)>| match kind {
                ExperimentKind::Capacity => ExperimentResult::Capacity(curves.clone()),
                _ => ExperimentResult::Basins {
                    alpha: s.basin_alpha,
                    curves: curves.clone(),
                },
            };
            let mut curves: Vec<(String, Vec<RecallPoint>)> = Vec::new();
            for (k, (name, rule, update)) in networks.into_iter().enumerate() {
                if progress.cancelled() {
                    break;
                }
                let setup = RecallSetup {
                    n: s.n,
                    rule,
                    update,
                    trials: s.trials,
                    seed: s.seed,
                };
                curves.push((name.to_string(), Vec::new()));
                let mut p = Offset {
                    inner: &mut *progress,
                    offset: k * per_network,
                    total,
                };
                let mut on_point = |point: &RecallPoint| {
                    curves[k].1.push(point.clone());
                    on_partial(&wrap(&curves));
                };
                let swept = if kind == ExperimentKind::Capacity {
                    hopfield_sweeps::capacity_sweep_live(&setup, &xs, 0.1, &mut p, &mut on_point)
                } else {
                    hopfield_sweeps::basin_sweep_live(&setup, s.basin_alpha, &xs, &mut p, &mut on_point)
                };
                swept.map_err(|e| e.to_string())?;
            }
            Ok(wrap(&curves))
        }
        ExperimentKind::Temperature => {
            let temperatures: Vec<f64> = (1..=15).map(|k| 0.1 * k as f64).collect();
            let mut points = Vec::new();
            hopfield_sweeps::temperature_sweep_live(
                s.n,
                1,
                &temperatures,
                100,
                20,
                LearningRule::Hebb,
                s.seed,
                progress,
                &mut |point| {
                    points.push(point.clone());
                    on_partial(&ExperimentResult::Temperature(points.clone()));
                },
            )
            .map(ExperimentResult::Temperature)
            .map_err(|e| e.to_string())
        }
        ExperimentKind::FiCurve => {
            let mus: Vec<f64> = (0..=16).map(|k| 10.0 + 1.25 * k as f64).collect();
            let sigmas = [0.0, 2.0, 5.0];
            let mut curves: Vec<(f64, Vec<FiPoint>)> = Vec::new();
            for (k, sigma) in sigmas.into_iter().enumerate() {
                if progress.cancelled() {
                    break;
                }
                curves.push((sigma, Vec::new()));
                let mut p = Offset {
                    inner: &mut *progress,
                    offset: k * mus.len(),
                    total: sigmas.len() * mus.len(),
                };
                // The EIF is integrated by Euler steps: finer ones keep its upstroke accurate.
                let (neuron, dt_ms) = if s.fi_eif {
                    (NeuronParams::eif(), 0.02)
                } else {
                    (NeuronParams::default(), 0.05)
                };
                neuron_sweeps::fi_curve_live(neuron, &mus, sigma, 5.0, dt_ms, s.seed, &mut p, &mut |point| {
                    curves[k].1.push(point.clone());
                    on_partial(&ExperimentResult::FiCurve(curves.clone()));
                })
                .map_err(|e| e.to_string())?;
            }
            Ok(ExperimentResult::FiCurve(curves))
        }
        ExperimentKind::MembraneHistogram => {
            let setup = VHistogramSetup {
                mu_mv: s.mu_mv,
                sigma_mv: s.sigma_mv,
                neurons: s.neurons,
                seconds: s.seconds,
                seed: s.seed,
                ..VHistogramSetup::default()
            };
            neuron_sweeps::v_histogram(&setup, progress, &mut |h| {
                on_partial(&ExperimentResult::MembraneHistogram(h.clone()))
            })
            .map(ExperimentResult::MembraneHistogram)
            .map_err(|e| e.to_string())
        }
        ExperimentKind::RateLoad => rate_experiment::run(&s.rate, s.seed, progress, &mut |r| {
            on_partial(&ExperimentResult::RateLoad(r.clone()))
        })
        .map(ExperimentResult::RateLoad),
    }
}

/// The experiments window's state.
pub struct ExperimentsPanel {
    /// Whether the window is open.
    pub open: bool,
    kind: ExperimentKind,
    /// What the user set.
    pub settings: ExperimentSettings,
    running: Option<(Receiver<Update>, Arc<AtomicBool>)>,
    progress: (usize, usize),
    /// The latest result (partial while an experiment runs).
    pub result: Option<ExperimentResult>,
    message: Option<String>,
    /// Where "Save CSV" writes.
    pub csv_path: String,
    /// Where "Save PNG" writes.
    pub png_path: String,
    png: PngExporter,
}

impl Default for ExperimentsPanel {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExperimentKind::Capacity,
            settings: ExperimentSettings::default(),
            running: None,
            progress: (0, 0),
            result: None,
            message: None,
            csv_path: "engram-experiment.csv".into(),
            png_path: "engram-experiment.png".into(),
            png: PngExporter::default(),
        }
    }
}

impl ExperimentsPanel {
    /// True while an experiment runs (the app keeps repainting for its progress). A plot being saved
    /// needs no repaints: the export thread wakes the UI when it is done.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Reads what the experiment and export threads sent.
    pub fn poll(&mut self) {
        self.png.poll();
        let Some((rx, _)) = self.running.as_ref() else {
            return;
        };
        while let Ok(update) = rx.try_recv() {
            match update {
                Update::Progress(done, total) => self.progress = (done, total),
                Update::Partial(result) => self.result = Some(result),
                Update::Done(result) => {
                    match result {
                        Ok(result) => {
                            self.result = Some(result);
                            self.message = None;
                        }
                        Err(e) => self.message = Some(e),
                    }
                    self.running = None;
                    return;
                }
            }
        }
    }

    /// Starts the selected experiment on its own thread.
    pub fn start(&mut self) {
        let (tx, rx) = bounded(64);
        let cancel = Arc::new(AtomicBool::new(false));
        let (kind, settings) = (self.kind, self.settings);
        let flag = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("engram-experiment".into())
            .spawn(move || {
                let mut progress = ChannelProgress {
                    tx: tx.clone(),
                    cancel: flag,
                };
                let result = run_experiment(kind, &settings, &mut progress, &mut |partial| {
                    // Dropped if the queue is full: the next partial result supersedes it.
                    let _ = tx.try_send(Update::Partial(partial.clone()));
                });
                // Blocking is fine here: this thread has nothing else to do, and the UI drains the queue.
                let _ = tx.send(Update::Done(result));
            });
        match spawned {
            Ok(_) => {
                self.running = Some((rx, cancel));
                self.progress = (0, 1);
                self.message = None;
                self.result = None;
            }
            Err(e) => self.message = Some(format!("could not start the experiment: {e}")),
        }
    }

    /// Draws the window.
    pub fn ui(&mut self, ctx: &egui::Context, dark: bool) {
        let mut open = self.open;
        egui::Window::new("Experiments")
            .open(&mut open)
            .default_pos([760.0, 60.0])
            .default_size([640.0, 520.0])
            .show(ctx, |ui| {
                self.contents_ui(ui, dark);
            });
        self.open = open;
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui, dark: bool) {
        ui.horizontal_wrapped(|ui| {
            for (kind, name, tip) in [
                (
                    ExperimentKind::Capacity,
                    "capacity",
                    "Retrieval versus load α = P/N for each learning rule and a dense network",
                ),
                (
                    ExperimentKind::Basins,
                    "basins",
                    "Retrieval versus cue corruption at a fixed load: how far a cue may be from a memory",
                ),
                (
                    ExperimentKind::Temperature,
                    "temperature",
                    "Overlap versus Glauber temperature, with m = tanh(m/T)",
                ),
                (
                    ExperimentKind::FiCurve,
                    "f-I curve",
                    "LIF firing rate versus input, with and without noise",
                ),
                (
                    ExperimentKind::MembraneHistogram,
                    "membrane potential",
                    "Histogram of V in noisy LIF neurons, with the Fokker-Planck density",
                ),
                (
                    ExperimentKind::RateLoad,
                    "rate network load",
                    "Rate network (Pereira & Brunel): overlap versus load beside the mean field",
                ),
            ] {
                if ui
                    .selectable_label(self.kind == kind, name)
                    .on_hover_text(tip)
                    .clicked()
                {
                    self.kind = kind;
                }
            }
        });
        self.settings_ui(ui);
        ui.horizontal(|ui| {
            if let Some((_, cancel)) = self.running.as_ref() {
                let (done, total) = self.progress;
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .desired_width(300.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    cancel.store(true, Ordering::Relaxed);
                }
            } else if ui.button("Run experiment").clicked() {
                self.start();
            }
        });
        if let Some(message) = &self.message {
            ui.colored_label(theme::error(dark), message);
        }
        let Some(result) = &self.result else {
            return;
        };
        let plot_rect = ui
            .scope(|ui| super::experiment_results::result_plot_ui(ui, result, dark))
            .response
            .rect;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("CSV file").id;
            ui.add(egui::TextEdit::singleline(&mut self.csv_path).desired_width(160.0))
                .labelled_by(label);
            if ui
                .button("Save CSV")
                .on_hover_text("Save the numbers behind the plot")
                .clicked()
            {
                self.message = Some(
                    match super::files::write_atomically(&self.csv_path, csv(result).as_bytes()) {
                        Ok(()) => format!("saved {}", self.csv_path),
                        Err(e) => format!("could not save {}: {e}", self.csv_path),
                    },
                );
            }
            ui.separator();
            let label = ui.label("PNG file").id;
            ui.add(egui::TextEdit::singleline(&mut self.png_path).desired_width(160.0))
                .labelled_by(label);
            if ui
                .button("Save PNG")
                .on_hover_text("Save the plot, as drawn in the next frame, as an image")
                .clicked()
            {
                self.png.request(ui.ctx(), &self.png_path, Some(plot_rect));
            }
        });
        match &self.png.message {
            Some(Ok(message)) => {
                ui.weak(message);
            }
            Some(Err(message)) => {
                ui.colored_label(theme::error(dark), message);
            }
            None => {}
        }
    }

    fn settings_ui(&mut self, ui: &mut egui::Ui) {
        let s = &mut self.settings;
        let slider = crate::views::widgets::param_slider;
        match self.kind {
            ExperimentKind::Capacity | ExperimentKind::Basins | ExperimentKind::Temperature => {
                let mut n = s.n as f64;
                let tip = "Number of neurons; larger is closer to theory and slower";
                if slider(ui, &mut n, 50.0..=1000.0, "neurons N", "", tip, Some(200.0)) {
                    s.n = n.round() as usize;
                }
                if self.kind != ExperimentKind::Temperature {
                    let mut trials = s.trials as f64;
                    let tip = "Independent pattern sets per point";
                    if slider(ui, &mut trials, 1.0..=20.0, "trials", "", tip, Some(5.0)) {
                        s.trials = trials.round() as usize;
                    }
                }
                if self.kind == ExperimentKind::Basins {
                    let tip = "Stored patterns per neuron, P/N";
                    slider(ui, &mut s.basin_alpha, 0.01..=0.3, "load α", "", tip, Some(0.05));
                }
            }
            ExperimentKind::FiCurve => {
                ui.horizontal(|ui| {
                    let label = ui.label("neuron").id;
                    ui.selectable_value(&mut s.fi_eif, false, "LIF")
                        .labelled_by(label)
                        .on_hover_text(
                            "Leaky integrate-and-fire: closed-form f-I curve and the Siegert rate",
                        );
                    ui.selectable_value(&mut s.fi_eif, true, "EIF")
                        .labelled_by(label)
                        .on_hover_text(
                            "Exponential integrate-and-fire: rates from the first-passage time of its drift",
                        );
                });
            }
            ExperimentKind::MembraneHistogram => {
                let tip = "Mean input μ (threshold 20 mV, reset 10 mV)";
                slider(ui, &mut s.mu_mv, 0.0..=30.0, "input μ", "mV", tip, Some(15.0));
                let tip = "Noise amplitude σ of the white-noise input";
                slider(ui, &mut s.sigma_mv, 0.5..=10.0, "noise σ", "mV", tip, Some(5.0));
                let mut neurons = s.neurons as f64;
                let tip = "Unconnected neurons simulated side by side; more is smoother";
                if slider(ui, &mut neurons, 1.0..=500.0, "neurons", "", tip, Some(100.0)) {
                    s.neurons = neurons.round() as usize;
                }
                let tip = "Biological time per neuron, after 100 ms of burn-in";
                slider(ui, &mut s.seconds, 0.5..=20.0, "duration", "s", tip, Some(5.0));
            }
            ExperimentKind::RateLoad => rate_experiment::settings_ui(ui, &mut s.rate),
        }
    }
}
