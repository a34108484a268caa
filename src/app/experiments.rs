//! Live experiments: sweeps run on their own thread with a progress bar and a cancel button; the
//! results are drawn as they arrive, beside the theory they test (`experiment_results.rs`), and can be
//! saved as CSV or PNG.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded};

pub use crate::families::{ExperimentKind, ExperimentResult, ExperimentSettings, run_experiment};
use crate::progress::Progress;
use crate::views::export::PngExporter;
use crate::views::figure::FigureOptions;
use crate::views::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileKind};
use crate::views::kept_runs::KeptRun;
use crate::views::theme;

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

/// The experiments window's state.
pub struct ExperimentsPanel {
    /// Whether the window is open.
    pub open: bool,
    kind: ExperimentKind,
    /// What the user set.
    pub settings: ExperimentSettings,
    /// The experiment running, its updates and its cancel flag.
    running: Option<(ExperimentKind, Receiver<Update>, Arc<AtomicBool>)>,
    progress: (usize, usize),
    /// Each tab's latest result (partial while its experiment runs): a tab shows its own or none.
    results: Vec<(ExperimentKind, ExperimentResult)>,
    /// An error, and the tab it belongs to.
    message: Option<(ExperimentKind, String)>,
    /// The parameters of each tab's latest run, for its label and the figure's title.
    labels: Vec<(ExperimentKind, String)>,
    /// Earlier runs kept on each tab's plot.
    kept: Vec<(ExperimentKind, KeptRun)>,
    /// How "Save PNG…" draws the figure: resolution, background, title.
    pub figure: FigureSettings,
    /// The file dialog open for saving the selected tab's CSV or PNG.
    dialog: Option<FileDialog>,
    png: PngExporter,
}

/// How an experiment's figure is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSettings {
    /// Pixels per point (2: twice a standard screen's resolution).
    pub scale: f32,
    /// Light background for slides and paper.
    pub light: bool,
    /// The title line; empty: the experiment's name and parameters.
    pub title: String,
}

impl Default for FigureSettings {
    fn default() -> Self {
        Self {
            scale: 2.0,
            light: true,
            title: String::new(),
        }
    }
}

/// Resolutions offered for figures, in pixels per point.
const FIGURE_SCALES: [f32; 3] = [2.0, 3.0, 4.0];

impl Default for ExperimentsPanel {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExperimentKind::tabs()[0].0,
            settings: ExperimentSettings::default(),
            running: None,
            progress: (0, 0),
            results: Vec::new(),
            message: None,
            labels: Vec::new(),
            kept: Vec::new(),
            figure: FigureSettings::default(),
            dialog: None,
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

    /// The result of the selected tab's experiment, if it has one.
    pub fn result(&self) -> Option<&ExperimentResult> {
        self.result_of(self.kind)
    }

    /// The latest result of an experiment, if it ran.
    pub fn result_of(&self, kind: ExperimentKind) -> Option<&ExperimentResult> {
        self.results.iter().find(|(k, _)| *k == kind).map(|(_, r)| r)
    }

    fn set_result(&mut self, kind: ExperimentKind, result: ExperimentResult) {
        self.results.retain(|(k, _)| *k != kind);
        self.results.push((kind, result));
    }

    /// Earlier runs kept on the plot of `kind`'s tab.
    pub fn kept_runs(&self, kind: ExperimentKind) -> Vec<KeptRun> {
        self.kept
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// The parameters of the latest run of `kind`.
    fn label_of(&self, kind: ExperimentKind) -> String {
        self.labels
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or_else(String::new, |(_, l)| l.clone())
    }

    /// Keeps the selected tab's result on its plot, labelled with its parameters (a run with the
    /// same parameters replaces the one kept before).
    pub fn keep_result(&mut self) {
        let kind = self.kind;
        let Some(result) = self.result_of(kind) else {
            return;
        };
        let run = KeptRun {
            label: self.label_of(kind),
            series: result.series(),
        };
        self.kept.retain(|(k, r)| !(*k == kind && r.label == run.label));
        self.kept.push((kind, run));
    }

    /// Reads what the experiment and export threads sent.
    pub fn poll(&mut self) {
        self.png.poll();
        let Some((kind, rx, _)) = self.running.as_ref() else {
            return;
        };
        let kind = *kind;
        let updates: Vec<Update> = rx.try_iter().collect();
        for update in updates {
            match update {
                Update::Progress(done, total) => self.progress = (done, total),
                Update::Partial(result) => self.set_result(kind, result),
                Update::Done(result) => {
                    match result {
                        Ok(result) => {
                            self.set_result(kind, result);
                            self.message = None;
                        }
                        Err(e) => self.message = Some((kind, e)),
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
        let (kind, settings) = (self.kind, self.settings.clone());
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
                self.running = Some((kind, rx, cancel));
                self.progress = (0, 1);
                self.message = None;
                self.results.retain(|(k, _)| *k != kind);
                self.labels.retain(|(k, _)| *k != kind);
                self.labels.push((kind, kind.describe(&self.settings)));
            }
            Err(e) => self.message = Some((kind, format!("could not start the experiment: {e}"))),
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
            for (kind, name, tip) in ExperimentKind::tabs() {
                if ui
                    .selectable_label(self.kind == kind, name)
                    .on_hover_text(tip)
                    .clicked()
                {
                    self.kind = kind;
                }
            }
        });
        self.kind.settings_ui(ui, &mut self.settings);
        ui.horizontal(|ui| {
            if let Some((running, _, _)) = self.running.as_ref()
                && *running != self.kind
            {
                let name = tab_name(*running);
                ui.label(format!("“{name}” is running: one experiment at a time"));
            } else if let Some((_, _, cancel)) = self.running.as_ref() {
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
        if let Some((kind, message)) = &self.message
            && *kind == self.kind
        {
            ui.colored_label(theme::error(dark), message);
        }
        // The field itself (not `result_of`), so that the CSV path and message stay writable.
        let kind = self.kind;
        let Some(result) = self.results.iter().find(|(k, _)| *k == kind).map(|(_, r)| r) else {
            ui.weak("No result on this tab yet: set the parameters and run the experiment.");
            return;
        };
        let kept = crate::views::kept_runs::beside(&self.kept_runs(kind), &self.label_of(kind));
        let kept_count = self.kept.iter().filter(|(k, _)| *k == kind).count();
        let plot_rect = ui.scope(|ui| result.plot_ui(ui, &kept, dark)).response.rect;
        // Suggested names carry the experiment's name, so one experiment's file never replaces
        // another's unasked (and the dialog asks before replacing any).
        let stem = super::files::file_stem(tab_name(kind));
        let label = self.label_of(kind);
        let label = label.as_str();
        let mut keep = false;
        let mut clear = false;
        ui.horizontal_wrapped(|ui| {
            let tip = format!("Keep this run's curves on the plot, dashed and labelled \"{label}\", to compare the next run with");
            keep = ui.button("Keep on plot").on_hover_text(tip).clicked();
            if kept_count > 0 {
                clear = ui
                    .button(format!("Clear kept runs ({kept_count})"))
                    .on_hover_text("Remove the runs kept on this plot")
                    .clicked();
            }
            ui.separator();
            if ui
                .button("Save CSV…")
                .on_hover_text("Save the numbers behind the plot")
                .clicked()
            {
                self.dialog = Some(FileDialog::new(
                    ui.ctx(),
                    FileKind::Csv,
                    DialogMode::Save,
                    "Save the experiment's numbers as CSV",
                    &format!("{stem}.csv"),
                ));
            }
            if ui
                .button("Save PNG…")
                .on_hover_text("Save the plot, the kept runs and the caption as a figure at the resolution chosen beside")
                .clicked()
            {
                self.dialog = Some(FileDialog::new(
                    ui.ctx(),
                    FileKind::Png,
                    DialogMode::Save,
                    "Save the plot as PNG",
                    &format!("{stem}.png"),
                ));
            }
            figure_settings_ui(ui, &mut self.figure, &title_of(tab_name(kind), label));
        });
        if let Some(dialog) = self.dialog.as_mut() {
            match dialog.show(ui.ctx()) {
                DialogOutcome::Open => {}
                DialogOutcome::Cancelled => self.dialog = None,
                DialogOutcome::Chosen(path) => {
                    let kind_of_file = dialog.kind();
                    self.dialog = None;
                    let shown = path.display().to_string();
                    if kind_of_file == FileKind::Csv {
                        let message = match super::files::write_atomically(&path, result.csv().as_bytes()) {
                            Ok(()) => format!("saved {shown}"),
                            Err(e) => format!("could not save {shown}: {e}"),
                        };
                        self.message = Some((kind, message));
                    } else {
                        let title = if self.figure.title.trim().is_empty() {
                            title_of(tab_name(kind), label)
                        } else {
                            self.figure.title.clone()
                        };
                        let options = FigureOptions {
                            width_points: plot_rect.width().max(400.0),
                            scale: self.figure.scale,
                            light: self.figure.light,
                            title,
                        };
                        let (result, kept) = (result.clone(), kept.clone());
                        self.png.spawn(ui.ctx(), move || {
                            crate::views::figure::save(&options, &path, |ui, dark| {
                                result.plot_ui(ui, &kept, dark)
                            })
                        });
                    }
                }
            }
        }
        if keep {
            self.keep_result();
        }
        if clear {
            self.kept.retain(|(k, _)| *k != kind);
        }
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
}

/// The tab name of an experiment.
fn tab_name(kind: ExperimentKind) -> &'static str {
    ExperimentKind::tabs()
        .into_iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("experiment", |(_, name, _)| name)
}

/// A figure's automatic title: the experiment and its parameters.
fn title_of(name: &str, parameters: &str) -> String {
    if parameters.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {parameters}")
    }
}

/// The figure's resolution, background and title beside "Save PNG…".
fn figure_settings_ui(ui: &mut egui::Ui, figure: &mut FigureSettings, automatic_title: &str) {
    egui::ComboBox::from_id_salt("figure-scale")
        .selected_text(format!("{:.0}× resolution", figure.scale))
        .width(110.0)
        .show_ui(ui, |ui| {
            for scale in FIGURE_SCALES {
                ui.selectable_value(&mut figure.scale, scale, format!("{scale:.0}× the screen's"));
            }
        })
        .response
        .on_hover_text("Pixels of the saved figure per point on screen: 2× or more for slides");
    ui.checkbox(&mut figure.light, "light background")
        .on_hover_text("Draw the figure on white, as for a slide or paper, whatever the app's theme");
    let label = ui.label("title").id;
    ui.add(
        egui::TextEdit::singleline(&mut figure.title)
            .hint_text(automatic_title)
            .desired_width(220.0),
    )
    .labelled_by(label)
    .on_hover_text("The figure's title line; empty: the experiment and its parameters");
}
