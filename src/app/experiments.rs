//! Live experiments: sweeps run on their own thread with a progress bar and a cancel button; the
//! results are drawn beside the theory they test and can be saved as CSV.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points, VLine};

use super::theme;
use crate::analysis::hopfield_theory::AGS_CRITICAL_LOAD;
use crate::experiments::Progress;
use crate::experiments::hopfield_sweeps::{self, RecallPoint, RecallSetup, TemperaturePoint};
use crate::experiments::neuron_sweeps::{self, FiPoint};
use crate::hopfield::{LearningRule, UpdateMode};
use crate::spiking::NeuronParams;

/// Which experiment the panel runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExperimentKind {
    /// Retrieval versus load, per learning rule, with the AGS line.
    Capacity,
    /// Overlap versus temperature with the mean-field curve.
    Temperature,
    /// LIF rate versus input with the Siegert curve.
    FiCurve,
}

/// A finished (or cancelled) experiment's results.
#[derive(Debug, Clone)]
pub enum ExperimentResult {
    /// Capacity curves, one per rule.
    Capacity(Vec<(LearningRule, Vec<RecallPoint>)>),
    /// Overlap versus temperature.
    Temperature(Vec<TemperaturePoint>),
    /// f-I curves with and without noise.
    FiCurve(Vec<(f64, Vec<FiPoint>)>),
}

/// Messages from the experiment thread.
enum Update {
    Progress(usize, usize),
    Done(Result<ExperimentResult, String>),
}

/// Sends progress without blocking and reads the cancel flag.
struct ChannelProgress {
    tx: Sender<Update>,
    cancel: Arc<AtomicBool>,
    offset: usize,
    total: usize,
}

impl Progress for ChannelProgress {
    fn advance(&mut self, done: usize, _total: usize) {
        // A full queue only means the UI has not drawn the last update yet.
        let _ = self.tx.try_send(Update::Progress(self.offset + done, self.total));
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The experiments window's state.
pub struct ExperimentsPanel {
    /// Whether the window is open.
    pub open: bool,
    kind: ExperimentKind,
    n: usize,
    trials: usize,
    running: Option<(Receiver<Update>, Arc<AtomicBool>)>,
    progress: (usize, usize),
    /// The latest result.
    pub result: Option<ExperimentResult>,
    message: Option<String>,
    csv_path: String,
}

impl Default for ExperimentsPanel {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExperimentKind::Capacity,
            n: 200,
            trials: 5,
            running: None,
            progress: (0, 0),
            result: None,
            message: None,
            csv_path: "engram-experiment.csv".into(),
        }
    }
}

impl ExperimentsPanel {
    /// True while an experiment runs (the app keeps repainting for its progress).
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Reads what the experiment thread sent.
    pub fn poll(&mut self) {
        let Some((rx, _)) = self.running.as_ref() else {
            return;
        };
        while let Ok(update) = rx.try_recv() {
            match update {
                Update::Progress(done, total) => self.progress = (done, total),
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
        let (kind, n, trials) = (self.kind, self.n, self.trials);
        let flag = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("engram-experiment".into())
            .spawn(move || {
                let result = run(kind, n, trials, &tx, &flag);
                // Blocking is fine here: this thread has nothing else to do, and the UI drains the queue.
                let _ = tx.send(Update::Done(result));
            });
        match spawned {
            Ok(_) => {
                self.running = Some((rx, cancel));
                self.progress = (0, 1);
                self.message = None;
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
            .default_size([620.0, 480.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    for (kind, name, tip) in [
                        (
                            ExperimentKind::Capacity,
                            "capacity",
                            "Retrieval versus load α = P/N for each learning rule",
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
                if self.kind != ExperimentKind::FiCurve {
                    let mut n = self.n as f64;
                    let tip = "Number of neurons; larger is closer to theory and slower";
                    if super::controls::param_slider(
                        ui,
                        &mut n,
                        50.0..=1000.0,
                        "neurons N",
                        "",
                        tip,
                        Some(200.0),
                    ) {
                        self.n = n.round() as usize;
                    }
                    let mut trials = self.trials as f64;
                    let tip = "Independent pattern sets per point";
                    if super::controls::param_slider(
                        ui,
                        &mut trials,
                        1.0..=20.0,
                        "trials",
                        "",
                        tip,
                        Some(5.0),
                    ) {
                        self.trials = trials.round() as usize;
                    }
                }
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
                if let Some(result) = &self.result {
                    result_plot_ui(ui, result, dark);
                    ui.horizontal(|ui| {
                        let label = ui.label("CSV file").id;
                        ui.text_edit_singleline(&mut self.csv_path).labelled_by(label);
                        if ui.button("Save CSV").clicked() {
                            self.message = Some(
                                match crate::app::files::write_atomically(
                                    &self.csv_path,
                                    csv(result).as_bytes(),
                                ) {
                                    Ok(()) => format!("saved {}", self.csv_path),
                                    Err(e) => format!("could not save {}: {e}", self.csv_path),
                                },
                            );
                        }
                    });
                }
            });
        self.open = open;
    }
}

fn run(
    kind: ExperimentKind,
    n: usize,
    trials: usize,
    tx: &Sender<Update>,
    cancel: &Arc<AtomicBool>,
) -> Result<ExperimentResult, String> {
    let progress = |offset, total| ChannelProgress {
        tx: tx.clone(),
        cancel: cancel.clone(),
        offset,
        total,
    };
    match kind {
        ExperimentKind::Capacity => {
            let alphas: Vec<f64> = (1..=12).map(|k| 0.025 * k as f64).collect();
            let rules = [
                LearningRule::Hebb,
                LearningRule::Storkey,
                LearningRule::PseudoInverse,
            ];
            let per_rule = alphas.len() * trials;
            let mut curves = Vec::new();
            for (k, rule) in rules.into_iter().enumerate() {
                let setup = RecallSetup {
                    n,
                    rule,
                    update: UpdateMode::Classical,
                    trials,
                    seed: 1,
                };
                let mut p = progress(k * per_rule, rules.len() * per_rule);
                let points = hopfield_sweeps::capacity_sweep(&setup, &alphas, 0.1, &mut p)
                    .map_err(|e| e.to_string())?;
                curves.push((rule, points));
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
            }
            Ok(ExperimentResult::Capacity(curves))
        }
        ExperimentKind::Temperature => {
            let temperatures: Vec<f64> = (1..=15).map(|k| 0.1 * k as f64).collect();
            let mut p = progress(0, temperatures.len());
            hopfield_sweeps::temperature_sweep(n, 1, &temperatures, 100, 20, LearningRule::Hebb, 1, &mut p)
                .map(ExperimentResult::Temperature)
                .map_err(|e| e.to_string())
        }
        ExperimentKind::FiCurve => {
            let mus: Vec<f64> = (0..=16).map(|k| 10.0 + 1.25 * k as f64).collect();
            let mut curves = Vec::new();
            for (k, sigma) in [0.0, 2.0, 5.0].into_iter().enumerate() {
                let mut p = progress(k * mus.len(), 3 * mus.len());
                let points =
                    neuron_sweeps::fi_curve(NeuronParams::default(), &mus, sigma, 5.0, 0.05, 1, &mut p)
                        .map_err(|e| e.to_string())?;
                curves.push((sigma, points));
            }
            Ok(ExperimentResult::FiCurve(curves))
        }
    }
}

/// Draws a result with its theory.
fn result_plot_ui(ui: &mut egui::Ui, result: &ExperimentResult, dark: bool) {
    let plot = Plot::new("experiment-result")
        .height(300.0)
        .legend(Legend::default())
        .allow_scroll(false);
    match result {
        ExperimentResult::Capacity(curves) => {
            plot.x_axis_label("load α = P/N")
                .y_axis_label("fraction retrieved (m ≥ 0.9)")
                .show(ui, |plot| {
                    for (k, (rule, points)) in curves.iter().enumerate() {
                        let xy: Vec<[f64; 2]> =
                            points.iter().map(|p| [p.alpha, p.retrieved_fraction]).collect();
                        plot.line(
                            Line::new(rule.to_string(), PlotPoints::from(xy.clone()))
                                .color(theme::pattern(k)),
                        );
                        plot.points(
                            Points::new(rule.to_string(), PlotPoints::from(xy))
                                .color(theme::pattern(k))
                                .radius(3.0),
                        );
                    }
                    plot.vline(VLine::new("AGS α_c = 0.138", AGS_CRITICAL_LOAD).color(theme::theory(dark)));
                });
        }
        ExperimentResult::Temperature(points) => {
            plot.x_axis_label("temperature T")
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
            plot.x_axis_label("input μ (mV)")
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
                            format!("Siegert, σ = {sigma} mV")
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
    }
}

/// The result as CSV text.
pub fn csv(result: &ExperimentResult) -> String {
    let mut out = String::new();
    match result {
        ExperimentResult::Capacity(curves) => {
            out += "rule,alpha,patterns,trials,retrieved_fraction,mean_overlap\n";
            for (rule, points) in curves {
                for p in points {
                    out += &format!(
                        "{rule},{},{},{},{},{}\n",
                        p.alpha, p.patterns, p.trials, p.retrieved_fraction, p.mean_overlap
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
    }
    out
}
