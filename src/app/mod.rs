//! The eframe desktop app: sends commands to the engine and draws its snapshots.
//!
//! `App::logic` drains snapshots (for at most a few ms) into bounded histories; `App::ui` draws
//! them. The app never steps a model and never blocks on the engine.

pub mod controls;
pub mod experiments;
pub mod export;
pub mod files;
pub mod history;
pub mod presets;
pub mod raster;
pub mod recording;
pub mod scene_data;
pub mod theme;
pub mod views;

use std::time::{Duration, Instant};

use crate::engine::{Command, EngineHandle, EngineStatus, SceneFrame, SceneInfo, SceneSetup, Speed};
use scene_data::{HopfieldData, SpikingData};

/// Key under which settings persist between runs.
const SETTINGS_KEY: &str = "engram-settings";
/// Time between frames while the simulation runs (60 fps).
const FRAME_INTERVAL: Duration = Duration::from_micros(16_667);
/// Longest `logic` spends draining snapshots per frame.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);

/// How the app starts: optionally on a named scene, optionally running.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// A built-in scenario name to open instead of the last scene.
    pub scene: Option<String>,
    /// Start running instead of paused.
    pub play: bool,
    /// Open the experiments window.
    pub experiments: bool,
}

/// Opens the desktop window and runs until it is closed.
pub fn run(launch: Launch) -> anyhow::Result<()> {
    let preset = match &launch.scene {
        Some(name) => Some(
            crate::scenario::builtin()
                .iter()
                .position(|(file, _)| file == name)
                .ok_or_else(|| {
                    anyhow::anyhow!("no built-in scene `{name}` (engram run --list shows them)")
                })?,
        ),
        None => None,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("engram: watch memory happen")
            .with_inner_size([1560.0, 960.0])
            .with_min_inner_size([900.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "engram",
        options,
        Box::new(move |cc| {
            let mut app = EngramApp::new(cc);
            if let Some(index) = preset {
                app.load_preset(index);
            }
            if launch.play {
                app.toggle_play();
            }
            app.experiments.open = launch.experiments;
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// What persists between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dark theme.
    pub dark: bool,
    /// Hopfield speed in sweeps per second.
    pub hopfield_sweeps_per_s: f64,
    /// Spiking speed as simulated ms per wall ms.
    pub spiking_realtime_factor: f64,
    /// Run as fast as possible instead.
    pub unlimited: bool,
    /// The scene that was open.
    pub scene: SceneSetup,
    /// Index of the preset the scene came from.
    pub preset: usize,
    /// Fraction of bits a cue flips.
    pub cue_flip: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            dark: true,
            hopfield_sweeps_per_s: 2.0,
            spiking_realtime_factor: 0.25,
            unlimited: false,
            scene: presets::all()
                .first()
                .cloned()
                .map_or_else(|| SceneSetup::Hopfield(Default::default()), |p| p.setup),
            preset: 0,
            cue_flip: 0.3,
        }
    }
}

impl Settings {
    /// The engine speed for the current scene.
    pub fn speed(&self) -> Speed {
        if self.unlimited {
            return Speed::Unlimited;
        }
        match self.scene {
            SceneSetup::Hopfield(_) => Speed::Rate(self.hopfield_sweeps_per_s),
            // The engine counts spiking time in ms: ms per wall second.
            SceneSetup::Spiking(_) => Speed::Rate(self.spiking_realtime_factor * 1000.0),
        }
    }
}

/// Frame timing for the status bar.
#[derive(Default)]
struct FrameStats {
    last_frame: Option<Instant>,
    fps: f64,
    ui_ms: f64,
}

impl FrameStats {
    fn record(&mut self, ui_time: Duration) {
        let now = Instant::now();
        if let Some(last) = self.last_frame {
            let dt = now.duration_since(last).as_secs_f64();
            if dt > 0.0 && dt < 1.0 {
                self.fps = 0.9 * self.fps + 0.1 / dt;
            }
        }
        self.last_frame = Some(now);
        self.ui_ms = 0.9 * self.ui_ms + 0.1 * ui_time.as_secs_f64() * 1000.0;
    }
}

/// The views' own state between frames.
#[derive(Default)]
struct Views {
    grid: views::grid::GridView,
    patterns: views::patterns::PatternsView,
    memory_patterns: views::patterns::PatternsView,
    memory_grid: views::memory::RateGridView,
    landscape: views::landscape::LandscapeView,
    weights: views::weights::WeightsView,
}

/// The engram desktop app.
pub struct EngramApp {
    engine: Option<EngineHandle>,
    ctx: egui::Context,
    /// Persisted settings.
    pub settings: Settings,
    /// The latest engine status.
    pub status: EngineStatus,
    /// Data of a Hopfield scene.
    pub hopfield: Option<HopfieldData>,
    /// Data of a spiking scene.
    pub spiking: Option<SpikingData>,
    views: Views,
    /// Controls' own state (selected pattern, pending edits).
    pub controls: controls::ControlsState,
    frames: FrameStats,
    /// Commands sent to the engine so far (for the status bar and tests).
    pub commands_sent: u64,
    /// Commands the engine's full queue refused.
    pub commands_refused: u64,
    /// Snapshots received so far.
    pub snapshots_received: u64,
    /// The last command sent, for tests.
    pub last_command: Option<String>,
    /// The experiments window.
    pub experiments: experiments::ExperimentsPanel,
    /// The recording in progress, if any.
    pub recording: Option<recording::AppRecording>,
    /// Where recordings go (a new folder each), `recordings/` in the working directory by default.
    pub recordings_dir: std::path::PathBuf,
    /// True when the run changed since it was last saved or opened.
    pub unsaved: bool,
    /// What waits for the unsaved-changes dialog's answer.
    pub pending: Option<Pending>,
    /// Close the window once the session save asked for by the dialog has finished.
    quit_after_save: bool,
    /// The window may close (the user answered the dialog).
    allow_close: bool,
}

/// Something that would lose the current run, held while the unsaved-changes dialog asks.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Quit the app.
    Quit,
    /// Open a scenario file.
    OpenScenario(String),
    /// Open a session file.
    OpenSession(String),
}

impl EngramApp {
    /// Builds the app, restoring persisted settings and starting the engine.
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
            .unwrap_or_default();
        Self::with_settings(cc.egui_ctx.clone(), settings)
    }

    /// Builds the app with the given settings (tests use this to start from a known state).
    pub fn with_settings(ctx: egui::Context, settings: Settings) -> Self {
        ctx.set_visuals(if settings.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        let mut app = Self {
            engine: None,
            ctx,
            status: EngineStatus::default(),
            hopfield: None,
            spiking: None,
            views: Views::default(),
            controls: controls::ControlsState::new(&settings),
            settings,
            frames: FrameStats::default(),
            commands_sent: 0,
            commands_refused: 0,
            snapshots_received: 0,
            last_command: None,
            experiments: experiments::ExperimentsPanel::default(),
            recording: None,
            recordings_dir: "recordings".into(),
            unsaved: false,
            pending: None,
            quit_after_save: false,
            allow_close: false,
        };
        app.start_engine();
        app
    }

    /// Starts (or restarts) the simulation thread on the current scene.
    fn start_engine(&mut self) {
        let ctx = self.ctx.clone();
        let wake = move || ctx.request_repaint_after(Duration::from_millis(5));
        match EngineHandle::spawn(self.settings.scene.clone(), self.settings.speed(), wake) {
            Ok(engine) => {
                self.engine = Some(engine);
                self.status.error = None;
            }
            Err(e) => self.status.error = Some(format!("could not start the simulation thread: {e}")),
        }
    }

    /// Sends a command to the engine without blocking.
    pub fn send(&mut self, command: Command) {
        self.last_command = Some(format!("{command:?}"));
        let changes_the_run = !matches!(
            command,
            Command::Play
                | Command::Pause
                | Command::SetSpeed(_)
                | Command::RecordNeurons(_)
                | Command::SetLandscapeAxes(..)
                | Command::SaveSession(_)
                | Command::Quit
        );
        if changes_the_run {
            self.unsaved = true;
        }
        let accepted = self.engine.as_ref().is_some_and(|e| e.send(command));
        if accepted {
            self.commands_sent += 1;
        } else {
            self.commands_refused += 1;
        }
    }

    /// Loads a new scene, remembering it in the settings.
    pub fn load_scene(&mut self, setup: SceneSetup) {
        self.settings.scene = setup.clone();
        self.send(Command::Load(setup));
        self.send(Command::SetSpeed(self.settings.speed()));
    }

    /// Loads preset `index` of the menu.
    pub fn load_preset(&mut self, index: usize) {
        if let Some(preset) = presets::all().get(index).cloned() {
            self.settings.preset = index;
            if let SceneSetup::Hopfield(h) = &preset.setup {
                self.settings.cue_flip = h.cue_flip;
            }
            self.controls = controls::ControlsState::new(&Settings {
                scene: preset.setup.clone(),
                ..self.settings.clone()
            });
            self.settings.scene = preset.setup.clone();
            self.send(Command::LoadScenario(Box::new(preset.scenario)));
            self.send(Command::SetSpeed(self.settings.speed()));
            self.unsaved = false;
        }
    }

    /// Carries out `action` now, or first asks about unsaved changes.
    pub fn request(&mut self, action: Pending) {
        if self.unsaved {
            self.pending = Some(action);
        } else {
            self.carry_out(action);
        }
    }

    fn carry_out(&mut self, action: Pending) {
        match action {
            Pending::Quit => {
                self.allow_close = true;
                self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Pending::OpenScenario(path) => {
                let loaded = std::fs::read_to_string(&path)
                    .map_err(|e| format!("could not read {path}: {e}"))
                    .and_then(|text| {
                        crate::scenario::Scenario::parse(&text, &path).map_err(|e| e.to_string())
                    });
                self.controls.file_message = Some(match loaded {
                    Ok(scenario) => {
                        self.settings.scene = scenario.scene.clone();
                        let message = format!("opened {}", scenario.name);
                        self.send(Command::LoadScenario(Box::new(scenario)));
                        self.unsaved = false;
                        (true, message)
                    }
                    Err(message) => (false, message),
                });
            }
            Pending::OpenSession(path) => match crate::session::read_header(std::path::Path::new(&path)) {
                Ok(header) => {
                    self.controls.file_message =
                        Some((true, format!("opening {path} ({} scene)", header.model)));
                    self.send(Command::OpenSession(path.into()));
                }
                Err(e) => self.controls.file_message = Some((false, e.to_string())),
            },
        }
    }

    /// Saves the running session to the session path (the engine writes it atomically).
    pub fn save_session(&mut self) {
        let path = self.controls.session_path.clone();
        self.controls.file_message = Some((true, format!("saving {path}")));
        self.send(Command::SaveSession(path.into()));
    }

    /// The unsaved-changes dialog, while something waits for its answer.
    fn unsaved_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let what = match &pending {
            Pending::Quit => "Quit".to_string(),
            Pending::OpenScenario(path) | Pending::OpenSession(path) => format!("Open {path}"),
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "The running session has changed since it was last saved. {what} anyway?"
            ));
            ui.horizontal(|ui| {
                let save = format!("Save session to {} first", self.controls.session_path);
                if ui.button(save).clicked() {
                    answer = Some("save");
                }
                if ui.button("Discard changes").clicked() {
                    answer = Some("discard");
                }
                if ui.button("Cancel").clicked() {
                    answer = Some("cancel");
                }
            });
        });
        match answer {
            Some("save") => {
                self.pending = None;
                self.save_session();
                if pending == Pending::Quit {
                    self.quit_after_save = true;
                } else {
                    // The engine saves before it opens: commands apply in order.
                    self.carry_out(pending);
                }
            }
            Some("discard") => {
                self.pending = None;
                self.carry_out(pending);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    /// Drains waiting snapshots into the histories, for at most [`DRAIN_BUDGET`].
    fn drain_snapshots(&mut self) {
        let start = Instant::now();
        while start.elapsed() < DRAIN_BUDGET {
            let Some(snapshot) = self.engine.as_ref().and_then(EngineHandle::try_recv) else {
                break;
            };
            self.snapshots_received += 1;
            let dark = self.settings.dark;
            if let Some(recording) = self.recording.as_mut() {
                if let Some(info) = &snapshot.info {
                    recording.info(info);
                }
                if let Some(frame) = &snapshot.frame {
                    recording.frame(frame, snapshot.status.sim_time);
                }
            }
            if let Some(info) = snapshot.info {
                match info {
                    SceneInfo::Hopfield(info) => {
                        self.spiking = None;
                        match self.hopfield.as_mut() {
                            Some(data) => data.set_info(info),
                            None => self.hopfield = Some(HopfieldData::new(info)),
                        }
                    }
                    SceneInfo::Spiking(info) => {
                        self.hopfield = None;
                        match self.spiking.as_mut() {
                            Some(data) => data.set_info(*info, dark),
                            None => self.spiking = Some(SpikingData::new(*info, dark)),
                        }
                    }
                }
            }
            match snapshot.frame {
                Some(SceneFrame::Hopfield(frame)) => {
                    if let Some(data) = self.hopfield.as_mut() {
                        // Time going backwards means the scene was rebuilt: start the curves afresh.
                        if frame
                            .samples
                            .first()
                            .zip(data.energy.last())
                            .is_some_and(|(s, l)| s.time_sweeps < l[0])
                        {
                            data.clear_history();
                        }
                        data.push(frame);
                    }
                }
                Some(SceneFrame::Spiking(frame)) => {
                    if let Some(data) = self.spiking.as_mut() {
                        if (frame.first_step as f64) * data.info.dt_ms < data.time_ms - 1e-9 {
                            *data = SpikingData::new(data.info.clone(), dark);
                        }
                        data.push(frame);
                    }
                }
                None => {}
            }
            if let Some(notice) = &snapshot.status.notice {
                if notice.starts_with("saved the session") || notice.starts_with("opened the session") {
                    self.unsaved = false;
                    if std::mem::take(&mut self.quit_after_save) {
                        self.allow_close = true;
                        self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                self.controls.notice = Some(notice.clone());
            }
            if snapshot.status.error.is_some() && self.quit_after_save {
                // The save failed: stay open so that nothing is lost.
                self.quit_after_save = false;
            }
            if snapshot.status.playing {
                self.unsaved = true;
            }
            self.status = snapshot.status;
        }
        if self.engine.as_ref().is_some_and(|e| !e.is_running()) {
            self.engine = None;
            self.status.playing = false;
            self.status.error =
                Some("the simulation thread stopped unexpectedly; press 'Restart engine'".to_string());
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.memory(|m| m.focused().is_some()) {
            return;
        }
        let pressed = |key| ctx.input(|i| i.key_pressed(key));
        if pressed(egui::Key::Space) {
            self.toggle_play();
        }
        if pressed(egui::Key::S) {
            self.send(Command::Step);
        }
        if pressed(egui::Key::R) {
            self.send(Command::Reset);
        }
        let digits = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        for (index, key) in digits.into_iter().enumerate() {
            if pressed(key) {
                self.load_preset(index);
            }
        }
    }

    /// Plays when paused, pauses when playing.
    pub fn toggle_play(&mut self) {
        let command = if self.status.playing {
            Command::Pause
        } else {
            Command::Play
        };
        // Show the new state at once; the engine confirms it with the next snapshot.
        self.status.playing = !self.status.playing;
        self.send(command);
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("engram");
            ui.separator();
            let presets = presets::all();
            let current = presets
                .get(self.settings.preset)
                .map_or("scene", |p| p.name.as_str());
            let mut chosen = None;
            egui::ComboBox::from_label("scene")
                .selected_text(current)
                .width(230.0)
                .show_ui(ui, |ui| {
                    for (index, preset) in presets.iter().enumerate() {
                        let label = format!("{}  {}", index + 1, preset.name);
                        if ui
                            .selectable_label(index == self.settings.preset, label)
                            .on_hover_text(&preset.text)
                            .clicked()
                        {
                            chosen = Some(index);
                        }
                    }
                });
            if let Some(index) = chosen {
                self.load_preset(index);
            }
            ui.separator();
            let play_label = if self.status.playing { "Pause" } else { "Play" };
            if ui
                .button(play_label)
                .on_hover_text("Run or pause the simulation (Space)")
                .clicked()
            {
                self.toggle_play();
            }
            if ui
                .button("Step")
                .on_hover_text("Advance one sweep or 1 ms, then pause (S)")
                .clicked()
            {
                self.send(Command::Step);
            }
            if ui
                .button("Reset")
                .on_hover_text("Rebuild the scene with the same seed (R)")
                .clicked()
            {
                self.send(Command::Reset);
            }
            ui.separator();
            if self.speed_ui(ui) {
                self.send(Command::SetSpeed(self.settings.speed()));
            }
            ui.separator();
            if ui
                .selectable_label(self.experiments.open, "Experiments")
                .on_hover_text("Run capacity, temperature and f-I sweeps with theory drawn beside them")
                .clicked()
            {
                self.experiments.open = !self.experiments.open;
            }
            export::screenshot_menu_ui(ui);
            let theme_label = if self.settings.dark {
                "Light theme"
            } else {
                "Dark theme"
            };
            if ui
                .button(theme_label)
                .on_hover_text("Switch between light and dark theme")
                .clicked()
            {
                self.settings.dark = !self.settings.dark;
                let visuals = if self.settings.dark {
                    egui::Visuals::dark()
                } else {
                    egui::Visuals::light()
                };
                ui.ctx().set_visuals(visuals);
                // Textures and colours depend on the theme: rebuild the spiking raster colours.
                if let Some(data) = self.spiking.take() {
                    self.spiking = Some(SpikingData::new(data.info, self.settings.dark));
                }
            }
            let record_label = if self.recording.is_some() {
                "Stop recording"
            } else {
                "Record"
            };
            if ui
                .selectable_label(self.recording.is_some(), record_label)
                .on_hover_text(
                    "Record spikes, rates, traces (spiking) or states, overlaps and energy (Hopfield) as CSV and \
                     .npy into a new folder under recordings/, with the scenario and seed to reproduce the run",
                )
                .clicked()
            {
                self.toggle_recording();
            }
            if self.engine.is_none() && ui.button("Restart engine").clicked() {
                self.start_engine();
            }
        });
    }

    /// The speed slider; true when it changed.
    fn speed_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let mut changed = ui
            .checkbox(&mut self.settings.unlimited, "max speed")
            .on_hover_text("Run as fast as the machine allows instead of at the set speed")
            .changed();
        ui.add_enabled_ui(!self.settings.unlimited, |ui| {
            let slider = match self.settings.scene {
                SceneSetup::Hopfield(_) => {
                    egui::Slider::new(&mut self.settings.hopfield_sweeps_per_s, 0.05..=200.0)
                        .logarithmic(true)
                        .text("speed (sweeps/s)")
                }
                SceneSetup::Spiking(_) => {
                    egui::Slider::new(&mut self.settings.spiking_realtime_factor, 0.01..=10.0)
                        .logarithmic(true)
                        .text("speed (× real time)")
                }
            };
            changed |= ui
                .add(slider)
                .on_hover_text("How much simulated time passes per second of wall time")
                .changed();
        });
        changed
    }

    /// Starts recording the running scene into a new folder, or stops and closes the files.
    pub fn toggle_recording(&mut self) {
        if let Some(recording) = self.recording.take() {
            self.controls.notice = Some(
                match recording.finish(self.status.sim_time, self.status.time_unit) {
                    Ok(dir) => format!("recorded to {}", dir.display()),
                    Err(e) => format!("recording failed: {e}"),
                },
            );
            return;
        }
        let info = match (&self.hopfield, &self.spiking) {
            (Some(data), _) => SceneInfo::Hopfield(data.info.clone()),
            (_, Some(data)) => SceneInfo::Spiking(Box::new(data.info.clone())),
            _ => {
                self.controls.notice = Some("nothing to record yet".into());
                return;
            }
        };
        let preset = presets::all().get(self.settings.preset).cloned();
        let scenario = preset
            .filter(|p| p.setup == self.settings.scene)
            .map(|p| p.scenario);
        let seed = match &self.settings.scene {
            SceneSetup::Hopfield(h) => h.seed,
            SceneSetup::Spiking(s) => s.seed,
        };
        let name = scenario.as_ref().map_or("scene", |s| s.name.as_str());
        let dir = recording::new_dir(&self.recordings_dir, name);
        let metadata = crate::recording::RecordMetadata {
            scenario,
            seed,
            duration: None,
            command_line: std::env::args().collect(),
        };
        match recording::AppRecording::start(dir, metadata, info) {
            Ok(recording) => {
                self.controls.notice = Some(format!("recording to {}", recording.dir().display()));
                self.recording = Some(recording);
            }
            Err(e) => self.controls.notice = Some(format!("could not record: {e}")),
        }
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            if let Some(recording) = &self.recording {
                ui.colored_label(theme::error(self.settings.dark), "REC")
                    .on_hover_text(format!("recording to {}", recording.dir().display()));
                if recording.dropped_frames > 0 {
                    ui.label(format!("{} frames not recorded", recording.dropped_frames));
                }
                ui.separator();
            }
            let s = &self.status;
            let state = if s.playing { "running" } else { "paused" };
            ui.label(format!("{state} · t = {:.1} {}", s.sim_time, s.time_unit));
            ui.separator();
            let rate_unit = if s.time_unit == "ms" {
                "× real time"
            } else {
                "sweeps/s"
            };
            let rate = if s.time_unit == "ms" {
                s.achieved_rate / 1000.0
            } else {
                s.achieved_rate
            };
            ui.label(format!(
                "speed {rate:.2} {rate_unit} · {:.0} steps/s",
                s.steps_per_s
            ));
            ui.separator();
            ui.label(format!(
                "{:.0} fps · frame {:.1} ms",
                self.frames.fps, self.frames.ui_ms
            ));
            if s.thinned_spikes > 0 {
                ui.separator();
                ui.label(format!("thinned {} spikes", s.thinned_spikes))
                    .on_hover_text(
                        "Spikes the window could not keep up with; the simulation itself is unaffected",
                    );
            }
            if self.commands_refused > 0 {
                ui.separator();
                ui.label(format!(
                    "{} commands refused (engine busy)",
                    self.commands_refused
                ));
            }
            if let Some(error) = &s.error {
                ui.separator();
                ui.colored_label(theme::error(self.settings.dark), format!("Error: {error}"));
            } else if let Some(notice) = &self.controls.notice {
                ui.separator();
                ui.label(notice);
            }
        });
    }

    fn hopfield_ui(&mut self, ui: &mut egui::Ui) {
        let dark = self.settings.dark;
        let Some(data) = self.hopfield.as_mut() else {
            ui.label("Building the network…");
            return;
        };
        let mut commands = Vec::new();
        let cued = self.controls.cue_pattern;
        let full = ui.available_width();
        let grid_side = (full * 0.34).clamp(220.0, 420.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Network state")
                    .on_hover_text("Each square is a neuron: on (+1) or off (−1)");
                commands.extend(self.views.grid.ui(ui, data, grid_side, dark));
                ui.label(format!("now: {}", data.classification));
            });
            ui.vertical(|ui| {
                ui.strong("Overlap with each stored pattern");
                views::overlaps::overlaps_ui(ui, data, cued, 250.0);
                ui.strong("Energy");
                views::overlaps::energy_ui(ui, data, dark, 150.0);
            });
        });
        ui.separator();
        ui.strong("Stored patterns (click one to cue it)");
        let thumbnails = views::patterns::Thumbnails::of_hopfield(data);
        if let Some(index) = self.views.patterns.ui(ui, &thumbnails, cued, dark) {
            self.controls.cue_pattern = index;
            commands.push(Command::Cue(crate::engine::Cue::Corrupted {
                pattern: index,
                flip: self.settings.cue_flip,
            }));
        }
        ui.separator();
        let side = ((full - 40.0) / 2.0).clamp(200.0, 330.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Energy landscape");
                if let Some((a, b)) = self.views.landscape.ui(ui, data, side) {
                    commands.push(Command::SetLandscapeAxes(a, b));
                }
            });
            ui.vertical(|ui| {
                ui.strong("Weights J_ij")
                    .on_hover_text("Row i, column j: red excitatory, blue inhibitory");
                self.views.weights.ui(ui, data, side, dark);
            });
        });
        for command in commands {
            self.send(command);
        }
    }

    fn spiking_ui(&mut self, ui: &mut egui::Ui) {
        let dark = self.settings.dark;
        let Some(data) = self.spiking.as_mut() else {
            ui.label("Building the network…");
            return;
        };
        let height = ui.available_height();
        let mut cue = None;
        if let (Some(info), Some(memory)) = (data.info.memory.as_ref(), data.memory.as_ref()) {
            let cued = self.controls.cue_pattern;
            let full = ui.available_width();
            let grid_side = (full * 0.25).clamp(160.0, 300.0);
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.strong("Pixels, from spike rates").on_hover_text(
                        "Every pixel is an on pool and an off pool of neurons that silence each other",
                    );
                    self.views.memory_grid.ui(ui, info, memory, grid_side, dark);
                    ui.label(format!("now: {}", memory.classification));
                });
                ui.vertical(|ui| {
                    ui.strong("Overlap with each pattern, from spikes");
                    views::memory::memory_overlaps_ui(ui, info, memory, cued, grid_side - 10.0);
                });
            });
            let title = if info.learning {
                "Patterns to present (click: deliver it as input; with STDP on, it is learned)"
            } else {
                "Stored patterns (click one to cue it)"
            };
            ui.strong(title);
            let thumbnails = views::patterns::Thumbnails {
                width: info.patterns.width,
                height: info.patterns.height,
                patterns: &info.patterns.patterns,
                labels: &info.patterns.labels,
                overlaps: views::patterns::latest_values(&memory.overlaps),
            };
            if let Some(index) = self.views.memory_patterns.ui(ui, &thumbnails, cued, dark) {
                self.controls.cue_pattern = index;
                cue = Some(Command::Cue(crate::engine::Cue::Corrupted {
                    pattern: index,
                    flip: self.settings.cue_flip,
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
        let clicked = views::spike_raster::raster_ui(ui, data, (height * 0.42).max(200.0));
        let plot_height = ((height * 0.5 - 60.0) / 2.0).max(110.0);
        ui.columns(2, |columns| {
            columns[0].strong("Population rate");
            views::rates::rates_ui(&mut columns[0], data, dark, plot_height);
            columns[0].strong("Membrane potential (click the raster to add a neuron)");
            views::traces::traces_ui(&mut columns[0], data, dark, plot_height);
            // With an EIF population a third plot (dV/dt) shares the right column.
            let eif = data
                .info
                .params
                .populations
                .iter()
                .any(|p| matches!(p.neuron.model, crate::spiking::NeuronModel::Eif { .. }));
            let right_height = if eif { plot_height * 2.0 / 3.0 } else { plot_height };
            columns[1].strong("Membrane potential distribution");
            views::distributions::v_histogram_ui(&mut columns[1], data, dark, right_height);
            views::distributions::isi_histogram_ui(&mut columns[1], data, dark, right_height - 20.0);
            views::phase::eif_phase_ui(&mut columns[1], data, dark, right_height - 20.0);
        });
        if let Some(neuron) = clicked {
            let mut recorded = data.info.recorded.clone();
            if !recorded.contains(&neuron) {
                recorded.push(neuron);
                if recorded.len() > 6 {
                    recorded.remove(0);
                }
            }
            self.send(Command::RecordNeurons(recorded));
        }
        if let Some(command) = cue {
            self.send(command);
        }
    }
}

fn format_neurons_per_row(value: f64) -> String {
    if (value - value.round()).abs() < 0.01 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

impl eframe::App for EngramApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_snapshots();
        self.experiments.poll();
        if self.experiments.is_running() {
            // Progress arrives on a channel without waking the UI: look again soon.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested()) && self.unsaved && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
        self.unsaved_dialog_ui(&ctx);
        self.keyboard(&ui.ctx().clone());
        // Panels are not filled: the window is cleared to the panel colour instead (see
        // `clear_color`), which spares a software renderer a full-window blended quad per frame.
        let style = ui.style().clone();
        let side = egui::Frame::side_top_panel(&style).fill(egui::Color32::TRANSPARENT);
        let central = egui::Frame::central_panel(&style).fill(egui::Color32::TRANSPARENT);
        egui::Panel::top("top-bar")
            .frame(side)
            .show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("status-bar")
            .frame(side)
            .show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("controls")
            .frame(side)
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let commands = controls::controls_ui(ui, self);
                    for command in commands {
                        self.send(command);
                    }
                });
            });
        egui::CentralPanel::default().frame(central).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| match self.settings.scene {
                SceneSetup::Hopfield(_) => self.hopfield_ui(ui),
                SceneSetup::Spiking(_) => self.spiking_ui(ui),
            });
        });
        let dark = self.settings.dark;
        self.experiments.ui(&ui.ctx().clone(), dark);
        if self.status.playing {
            // Draw at 60 fps while running, whatever the rhythm of the engine's snapshots; a paused
            // app repaints only when something arrives or the user acts.
            ui.ctx()
                .request_repaint_after(FRAME_INTERVAL.saturating_sub(started.elapsed()));
        }
        self.frames.record(started.elapsed());
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
