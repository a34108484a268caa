//! Live experiments: sweeps run on their own thread with a progress bar and a cancel button; the
//! results are drawn as they arrive, beside the theory they test, and can be saved as CSV or PNG.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded};
use egui_plot::{
    Bar, BarChart, Corner, HLine, Legend, Line, LineStyle, MarkerShape, PlotPoints, Points, VLine,
};

use crate::analysis::hopfield_theory::AGS_CRITICAL_LOAD;
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
        let plot_rect = ui.scope(|ui| result_plot_ui(ui, result, dark)).response.rect;
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

/// Draws one curve per network. Curves often coincide (every network retrieves at low load), so each
/// has its own marker and the earlier ones are drawn wider, leaving every curve visible under the next.
fn recall_curves(
    plot: &mut egui_plot::PlotUi<'_>,
    curves: &[(String, Vec<RecallPoint>)],
    xy: fn(&RecallPoint) -> [f64; 2],
) {
    const SHAPES: [MarkerShape; 4] = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::Up,
    ];
    let count = curves.len() as f32;
    for (k, (name, points)) in curves.iter().enumerate() {
        let layer = count - k as f32;
        let xy: Vec<[f64; 2]> = points.iter().map(xy).collect();
        plot.line(
            Line::new(name.as_str(), PlotPoints::from(xy.clone()))
                .color(theme::pattern(k))
                .width(1.2 + 0.9 * (layer - 1.0)),
        );
        plot.points(
            Points::new(name.as_str(), PlotPoints::from(xy))
                .color(theme::pattern(k))
                .shape(SHAPES[k % SHAPES.len()])
                .filled(true)
                .radius(2.0 + layer),
        );
    }
}

/// Draws a result with its theory.
fn result_plot_ui(ui: &mut egui::Ui, result: &ExperimentResult, dark: bool) {
    // Each plot puts its legend in a corner its data leaves empty.
    let plot = |id: &str, corner: Corner| {
        crate::views::plot(("experiment-result", id))
            .height(300.0)
            .legend(Legend::default().position(corner).follow_insertion_order(true))
            .allow_scroll(false)
    };
    match result {
        ExperimentResult::RateLoad(r) => rate_experiment::plot_ui(ui, r, dark),
        ExperimentResult::Capacity(curves) => {
            plot("capacity", Corner::LeftBottom)
                .x_axis_label("load α = P/N")
                .y_axis_label("fraction retrieved (m ≥ 0.9)")
                .include_x(0.0)
                .include_x(0.3)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    recall_curves(plot, curves, |p| [p.alpha, p.retrieved_fraction]);
                    plot.vline(VLine::new("AGS α_c = 0.138", AGS_CRITICAL_LOAD).color(theme::theory(dark)));
                });
            ui.label(
                "Hebb fails near the AGS load α_c = 0.138 (later at small N); Storkey and the pseudo-inverse \
                 store more; the dense network with F(x) = exp(x) stores exponentially many patterns. Cues \
                 have 10 % of their bits flipped.",
            );
        }
        ExperimentResult::Basins { alpha, curves } => {
            let alpha = *alpha;
            plot("basins", Corner::LeftBottom)
                .x_axis_label("cue corruption F (fraction of bits flipped)")
                .y_axis_label("final overlap m with the cued pattern")
                .include_x(0.0)
                .include_x(0.5)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    recall_curves(plot, curves, |p| [p.cue_flip, p.mean_overlap]);
                    plot.hline(
                        HLine::new(
                            "retrieved: m ≥ 0.9",
                            crate::hopfield::observables::RETRIEVED_OVERLAP,
                        )
                        .color(theme::theory(dark))
                        .width(0.5),
                    );
                    let one_step: Vec<[f64; 2]> = (0..=100)
                        .map(|k| {
                            let f = 0.005 * k as f64;
                            [f, hopfield_sweeps::one_step_overlap(alpha, f)]
                        })
                        .collect();
                    plot.line(
                        Line::new("theory: overlap after one step, Hebb", PlotPoints::from(one_step))
                            .color(theme::theory(dark))
                            .style(LineStyle::dashed_loose()),
                    );
                    let cue: Vec<[f64; 2]> = vec![[0.0, 1.0], [0.5, 0.0]];
                    plot.line(
                        Line::new("cue overlap 1 - 2F", PlotPoints::from(cue))
                            .color(theme::theory(dark))
                            .style(LineStyle::dotted_dense()),
                    );
                });
            ui.label(format!(
                "Load α = {alpha}; mean final overlap over the trials (the CSV also has the fraction \
                 retrieved). The basin is the range of corruptions the network corrects. Dashed: Hebbian \
                 overlap after one parallel step, erf((1 - 2F) / sqrt(2α)); dotted: the cue itself."
            ));
        }
        ExperimentResult::Temperature(points) => {
            plot("temperature", Corner::RightTop)
                .x_axis_label("temperature T")
                .y_axis_label("overlap |m|")
                .show(ui, |plot| {
                    let theory: Vec<[f64; 2]> = (0..=150)
                        .map(|k| {
                            let t = 0.01 * k as f64;
                            [t, crate::analysis::hopfield_theory::mean_field_overlap(t)]
                        })
                        .collect();
                    plot.line(
                        Line::new("mean field m = tanh(m/T)", PlotPoints::from(theory))
                            .color(theme::theory(dark)),
                    );
                    let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.temperature, p.overlap]).collect();
                    plot.points(
                        Points::new("simulation", PlotPoints::from(xy))
                            .color(theme::pattern(0))
                            .radius(4.0),
                    );
                });
        }
        ExperimentResult::FiCurve(curves) => {
            plot("fi", Corner::LeftTop)
                .x_axis_label("input μ (mV)")
                .y_axis_label("rate (Hz)")
                .show(ui, |plot| {
                    for (k, (sigma, points)) in curves.iter().enumerate() {
                        let theory: Vec<[f64; 2]> = points
                            .iter()
                            .filter_map(|p| p.theory_hz.map(|t| [p.mu_mv, t]))
                            .collect();
                        let name = if *sigma == 0.0 {
                            "theory, no noise".to_string()
                        } else {
                            format!("theory (first passage), σ = {sigma} mV")
                        };
                        plot.line(Line::new(name, PlotPoints::from(theory)).color(theme::pattern(k)));
                        let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.mu_mv, p.rate_hz]).collect();
                        plot.points(
                            Points::new(format!("simulation, σ = {sigma} mV"), PlotPoints::from(xy))
                                .color(theme::pattern(k))
                                .radius(3.0),
                        );
                    }
                });
        }
        ExperimentResult::MembraneHistogram(h) => {
            let width = h.edges_mv[1] - h.edges_mv[0];
            let centre = |k: usize| h.edges_mv[k] + 0.5 * width;
            let peak = h
                .theory_density
                .iter()
                .chain(&h.density)
                .fold(0.0f64, |a, &b| a.max(b));
            plot("membrane", Corner::LeftTop)
                .x_axis_label("membrane potential V (mV from rest)")
                .y_axis_label("density (1/mV)")
                .include_y(0.0)
                .include_y(1.1 * peak)
                .show(ui, |plot| {
                    let bars = h
                        .density
                        .iter()
                        .enumerate()
                        .map(|(k, &d)| Bar::new(centre(k), d).width(width).fill(theme::pattern(0)))
                        .collect();
                    plot.bar_chart(BarChart::new("simulation", bars).color(theme::pattern(0)));
                    let theory: Vec<[f64; 2]> = h
                        .theory_density
                        .iter()
                        .enumerate()
                        .map(|(k, &d)| [centre(k), d])
                        .collect();
                    plot.line(
                        Line::new("Fokker-Planck density", PlotPoints::from(theory))
                            .color(theme::theory(dark))
                            .width(2.0),
                    );
                    let threshold = h.edges_mv[h.edges_mv.len() - 1];
                    plot.vline(
                        VLine::new("threshold", threshold)
                            .color(theme::theory(dark))
                            .style(LineStyle::dashed_loose()),
                    );
                });
            ui.label(format!(
                "μ = {} mV, σ = {} mV, {:.0} neuron-seconds: rate {:.2} Hz (Siegert {:.2} Hz), \
                 L1 distance to the density {:.3}.",
                h.mu_mv,
                h.sigma_mv,
                h.neuron_seconds,
                h.rate_hz,
                h.theory_rate_hz,
                h.l1_distance()
            ));
        }
    }
}

/// The result as CSV text.
pub fn csv(result: &ExperimentResult) -> String {
    let mut out = String::new();
    match result {
        ExperimentResult::RateLoad(r) => out += &rate_experiment::csv(r),
        ExperimentResult::Capacity(curves) => {
            out += "network,alpha,patterns,trials,retrieved_fraction,mean_overlap\n";
            for (name, points) in curves {
                for p in points {
                    out += &format!(
                        "{name},{},{},{},{},{}\n",
                        p.alpha, p.patterns, p.trials, p.retrieved_fraction, p.mean_overlap
                    );
                }
            }
        }
        ExperimentResult::Basins { alpha, curves } => {
            out += "network,alpha,cue_flip,patterns,trials,retrieved_fraction,mean_overlap,\
                    exact_recall_fraction,one_step_theory_hebb\n";
            for (name, points) in curves {
                for p in points {
                    out += &format!(
                        "{name},{alpha},{},{},{},{},{},{},{}\n",
                        p.cue_flip,
                        p.patterns,
                        p.trials,
                        p.retrieved_fraction,
                        p.mean_overlap,
                        p.exact_recall_fraction,
                        hopfield_sweeps::one_step_overlap(*alpha, p.cue_flip)
                    );
                }
            }
        }
        ExperimentResult::Temperature(points) => {
            out += "temperature,overlap,mean_field\n";
            for p in points {
                out += &format!("{},{},{}\n", p.temperature, p.overlap, p.mean_field);
            }
        }
        ExperimentResult::FiCurve(curves) => {
            out += "sigma_mv,mu_mv,rate_hz,theory_hz\n";
            for (sigma, points) in curves {
                for p in points {
                    let theory = p.theory_hz.map_or(String::new(), |t| t.to_string());
                    out += &format!("{sigma},{},{},{theory}\n", p.mu_mv, p.rate_hz);
                }
            }
        }
        ExperimentResult::MembraneHistogram(h) => {
            out += "v_low_mv,v_high_mv,density_per_mv,fokker_planck_per_mv\n";
            for (k, (d, t)) in h.density.iter().zip(&h.theory_density).enumerate() {
                out += &format!("{},{},{d},{t}\n", h.edges_mv[k], h.edges_mv[k + 1]);
            }
        }
    }
    out
}
