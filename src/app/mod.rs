//! The eframe desktop app: sends commands to the engine and draws its snapshots.
//!
//! `App::logic` drains snapshots (for at most a few ms) into bounded histories; `App::ui` draws
//! them. The app never steps a model and never blocks on the engine.

mod bars;
pub mod controls;
pub mod experiments;
pub mod files;
mod keys;
mod pending;
pub mod presets;
pub mod recording;
mod settings;

pub use keys::SHORTCUTS;
pub use pending::Pending;
pub use settings::{Settings, ZOOM_STEPS};

use std::time::{Duration, Instant};

use crate::engine::{Command, EngineHandle, EngineStatus};
use crate::families::{SceneControls, SceneData, SceneSetup, UiRequests, speed_scale};
use crate::views::{export, theme};

/// Key under which settings persist between runs.
const SETTINGS_KEY: &str = "engram-settings";
/// Time between frames while the simulation runs (60 fps).
const FRAME_INTERVAL: Duration = Duration::from_micros(16_667);
/// Longest `logic` spends draining snapshots per frame.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);

/// How long a timeline step's sentence stays on screen.
const NARRATIVE_SHOWN: Duration = Duration::from_secs(12);

/// How the app starts: optionally on a named scene, optionally running.
#[derive(Debug, Clone)]
pub struct Launch {
    /// A built-in scenario name to open instead of the last scene.
    pub scene: Option<String>,
    /// Start running instead of paused.
    pub play: bool,
    /// Open the experiments window.
    pub experiments: bool,
    /// Threads for spiking networks, instead of the setting.
    pub threads: Option<usize>,
    /// When the process started: with `ENGRAM_TIMING` set, the time to the first frame and to the
    /// first frame showing the scene are printed on stderr.
    pub launched: Instant,
}

/// Opens the desktop window and runs until it is closed.
pub fn run(launch: Launch) -> anyhow::Result<()> {
    if let Some(threads) = launch.threads
        && !(1..=crate::spiking::MAX_THREADS).contains(&threads)
    {
        anyhow::bail!(
            "--threads must be between 1 and {}, not {threads}",
            crate::spiking::MAX_THREADS
        );
    }
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
        // Dithering costs a software renderer a tenth of its time per frame (measured: 101 %
        // against 90 % of a core for CUBA's scene at 60 fps), and egui draws few gradients.
        dithering: false,
        ..Default::default()
    };
    eframe::run_native(
        "engram",
        options,
        Box::new(move |cc| {
            let mut app = EngramApp::new(cc);
            if let Some(gl) = cc.gl.as_ref() {
                use eframe::glow::HasContext as _;
                // SAFETY: a query of the context eframe just made current on this thread, with a
                // valid enum; it changes no state.
                let renderer = unsafe { gl.get_parameter_string(eframe::glow::RENDERER) };
                app.software_renderer = is_software_renderer(&renderer);
                app.apply_smooth_lines();
            }
            if std::env::var_os("ENGRAM_TIMING").is_some() {
                app.startup_clock = Some((launch.launched, false));
                app.pace_report = Some(PaceReport {
                    since: Instant::now(),
                    frames: 0,
                    sim_start: 0.0,
                });
            }
            if let Some(threads) = launch.threads {
                app.settings.threads = threads;
                app.send(Command::SetThreads(threads));
            }
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

/// With `ENGRAM_TIMING` set, the app prints every [`PACE_REPORT`] the frames drawn and the
/// simulated time reached over that span: the measured speed of the app as a whole.
struct PaceReport {
    since: Instant,
    frames: u64,
    sim_start: f64,
}

/// How often [`PaceReport`] prints.
const PACE_REPORT: Duration = Duration::from_secs(10);

impl PaceReport {
    /// Counts a frame; prints and starts again once [`PACE_REPORT`] has passed.
    fn frame(&mut self, status: &EngineStatus) {
        self.frames += 1;
        let wall_s = self.since.elapsed().as_secs_f64();
        if wall_s < PACE_REPORT.as_secs_f64() {
            return;
        }
        let simulated = status.sim_time - self.sim_start;
        let speed = if status.time_unit == "ms" {
            format!("{:.2}× real time", simulated / 1000.0 / wall_s)
        } else {
            format!("{:.0} {} per second", simulated / wall_s, status.time_unit)
        };
        eprintln!(
            "engram: over {wall_s:.1} s: {} frames ({:.1} fps), simulated {simulated:.0} {} ({speed})",
            self.frames,
            self.frames as f64 / wall_s,
            status.time_unit
        );
        *self = Self {
            since: Instant::now(),
            frames: 0,
            sim_start: status.sim_time,
        };
    }
}

/// Whether the OpenGL renderer named `name` draws on the processor (Mesa's llvmpipe, softpipe).
pub fn is_software_renderer(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["llvmpipe", "softpipe", "swrast", "software"]
        .iter()
        .any(|s| name.contains(s))
}

/// The engram desktop app.
pub struct EngramApp {
    engine: Option<EngineHandle>,
    /// The launch time while the start-up is being timed (`ENGRAM_TIMING`), and whether the
    /// first frame was reported.
    startup_clock: Option<(Instant, bool)>,
    /// The frames and simulated time since the last report (`ENGRAM_TIMING`).
    pace_report: Option<PaceReport>,
    /// The window is drawn by a software renderer (smooth lines are then off unless asked for).
    pub software_renderer: bool,
    ctx: egui::Context,
    /// Persisted settings.
    pub settings: Settings,
    /// The latest engine status.
    pub status: EngineStatus,
    /// What the app keeps of the running scene (histories, the views' state), once it described itself.
    pub scene_data: Option<SceneData>,
    /// The family's controls' own state (chosen pattern, pending edits, preset values).
    pub scene_controls: SceneControls,
    /// The shell's controls (notice, file paths).
    pub controls: controls::ControlsState,
    frames: FrameStats,
    /// Commands sent to the engine so far (for the status bar and tests).
    pub commands_sent: u64,
    /// Commands the engine's full queue refused.
    pub commands_refused: u64,
    /// Snapshots received so far.
    pub snapshots_received: u64,
    /// The engine's scene generation the histories belong to: a new one (a load, a reset, an opened
    /// session) starts them afresh, so no curve joins the old run to the new one.
    scene_generation: u64,
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
    /// The latest timeline sentence for the class and when it arrived.
    pub narrative: Option<(String, Instant)>,
    /// The keyboard shortcuts overlay is open (`?`).
    pub show_shortcuts: bool,
    /// Name and description of what was opened from a file (a scenario file or a recorded run),
    /// shown instead of the menu scene's until a menu scene is chosen again.
    pub opened: Option<(String, String)>,
    /// Close the window once the session save asked for by the dialog has finished.
    quit_after_save: bool,
    /// The window may close (the user answered the dialog).
    allow_close: bool,
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
    pub fn with_settings(ctx: egui::Context, mut settings: Settings) -> Self {
        settings.resolve_preset();
        if !(settings.zoom.is_finite() && (0.5..=3.0).contains(&settings.zoom)) {
            settings.zoom = 1.0;
        }
        ctx.set_zoom_factor(settings.zoom);
        ctx.set_visuals(if settings.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        let mut app = Self {
            engine: None,
            startup_clock: None,
            pace_report: None,
            software_renderer: false,
            ctx,
            status: EngineStatus::default(),
            scene_data: None,
            scene_controls: SceneControls::new(&settings.scene),
            controls: controls::ControlsState::default(),
            settings,
            frames: FrameStats::default(),
            commands_sent: 0,
            commands_refused: 0,
            snapshots_received: 0,
            scene_generation: 0,
            last_command: None,
            experiments: experiments::ExperimentsPanel::default(),
            recording: None,
            recordings_dir: "recordings".into(),
            unsaved: false,
            pending: None,
            opened: None,
            show_shortcuts: false,
            narrative: None,
            quit_after_save: false,
            allow_close: false,
        };
        app.apply_smooth_lines();
        app.start_engine();
        app
    }

    /// Starts (or restarts) the simulation thread on the current scene.
    fn start_engine(&mut self) {
        let ctx = self.ctx.clone();
        let wake = move || ctx.request_repaint_after(Duration::from_millis(5));
        let limits = crate::families::EngineLimits {
            threads: self.settings.simulation_threads(),
            ..Default::default()
        };
        match EngineHandle::spawn_with_limits(
            self.settings.scene.clone(),
            self.settings.speed(),
            wake,
            limits,
        ) {
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
        let changes_the_run = match &command {
            Command::Play
            | Command::Pause
            | Command::SetSpeed(_)
            | Command::SetThreads(_)
            | Command::SaveSession(_)
            | Command::Quit => false,
            Command::Scene(scene) => scene.changes_the_run(),
            _ => true,
        };
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
            self.settings.preset_name = preset.name.clone();
            self.opened = None;
            if let Some(flip) = crate::families::preset_cue_flip(&preset.setup) {
                self.settings.cue_flip = flip;
            }
            self.scene_controls = SceneControls::new(&preset.setup);
            self.settings.scene = preset.setup.clone();
            self.send(Command::LoadScenario(Box::new(preset.scenario)));
            self.send(Command::SetSpeed(self.settings.speed()));
            self.unsaved = false;
        }
    }

    /// Drains waiting snapshots into the histories, for at most [`DRAIN_BUDGET`].
    /// With `ENGRAM_TIMING` set: prints the time from launch to the first frame, then to the first
    /// frame that shows the scene.
    fn report_startup(&mut self) {
        let Some((launched, first_reported)) = self.startup_clock.as_mut() else {
            return;
        };
        let ms = launched.elapsed().as_secs_f64() * 1000.0;
        if !*first_reported {
            eprintln!("engram: first frame {ms:.0} ms after launch");
            *first_reported = true;
        }
        if self.scene_data.is_some() {
            eprintln!("engram: first frame with the scene {ms:.0} ms after launch");
            self.startup_clock = None;
        }
    }

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
            let new_scene = snapshot.status.scene_generation != self.scene_generation;
            self.scene_generation = snapshot.status.scene_generation;
            match (snapshot.info, self.scene_data.as_mut()) {
                (Some(info), Some(data)) if !new_scene => data.set_info(info, dark),
                (Some(info), _) => self.scene_data = Some(SceneData::new(info, dark)),
                (None, Some(data)) if new_scene => {
                    let info = data.info();
                    self.scene_data = Some(SceneData::new(info, dark));
                }
                (None, _) => {}
            }
            if let (Some(data), Some(frame)) = (self.scene_data.as_mut(), snapshot.frame) {
                data.push(frame, dark);
            }
            if let Some(notice) = &snapshot.status.notice {
                if let Some(path) = notice.strip_prefix("opened the session ") {
                    self.controls.session_file = Some(path.into());
                    self.controls_from_opened_scene();
                }
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
            if let Some(text) = &snapshot.status.narrative {
                self.narrative = (!text.is_empty()).then(|| (text.clone(), Instant::now()));
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

    /// After a session opened: the controls, the settings' scene and the cue corruption follow what
    /// the session holds (its temperature, rule, the pattern and corruption of its last cue), not
    /// what was open before.
    fn controls_from_opened_scene(&mut self) {
        let Some(data) = self.scene_data.as_ref() else {
            return;
        };
        let setup = data.live_setup();
        if let Some(flip) = crate::families::preset_cue_flip(&setup) {
            self.settings.cue_flip = flip;
        }
        self.scene_controls = SceneControls::new(&setup);
        self.settings.scene = setup;
    }

    /// The pattern the Hopfield controls would cue (None for other scenes).
    pub fn scene_controls_cue_pattern(&self) -> Option<usize> {
        match &self.scene_controls {
            SceneControls::Hopfield(controls) => Some(controls.cue_pattern),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Plays when paused, pauses when playing.
    pub fn toggle_play(&mut self) {
        self.settings.played_once = true;
        let command = if self.status.playing {
            Command::Pause
        } else {
            Command::Play
        };
        // Show the new state at once; the engine confirms it with the next snapshot.
        self.status.playing = !self.status.playing;
        self.send(command);
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
        let Some(info) = self.scene_data.as_ref().map(SceneData::info) else {
            self.controls.notice = Some("nothing to record yet".into());
            return;
        };
        let preset = presets::all().get(self.settings.preset).cloned();
        let scenario = preset
            .filter(|p| p.setup == self.settings.scene)
            .map(|p| p.scenario);
        let seed = self.settings.scene.seed();
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

    /// Sends what a frame of the family's views and controls asked for.
    pub fn take_requests(&mut self, requests: UiRequests, commands: &mut Vec<Command>) {
        commands.extend(requests.commands.into_iter().map(Command::Scene));
        if let Some(setup) = requests.load {
            self.settings.scene = setup.clone();
            commands.push(Command::Load(setup));
        }
        if let Some(notice) = requests.notice {
            self.controls.notice = Some(notice);
        }
    }

    fn scene_ui(&mut self, ui: &mut egui::Ui) {
        let Some(data) = self.scene_data.as_mut() else {
            ui.label("Building the network…");
            return;
        };
        if !self.scene_controls.fits(&self.settings.scene) {
            self.scene_controls = SceneControls::new(&self.settings.scene);
        }
        if let Some((text, since)) = &self.narrative {
            if since.elapsed() < NARRATIVE_SHOWN {
                ui.label(
                    egui::RichText::new(text)
                        .size(22.0)
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                );
            } else {
                self.narrative = None;
            }
        }
        if !self.settings.played_once && !self.status.playing && self.status.sim_time == 0.0 {
            // A first start shows empty plots: say how they fill.
            ui.label(
                egui::RichText::new("Press Space or Play to start the simulation  ·  ? lists the keys")
                    .size(18.0)
                    .color(ui.visuals().warn_fg_color),
            );
        }
        if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
            ui.horizontal(|ui| {
                ui.label(format!("Showing the plot \u{201c}{name}\u{201d} alone: double-click it or press Esc for every view"));
                if ui.button("All views").clicked() {
                    crate::views::maximise::set_maximised(ui.ctx(), None);
                }
            });
        }
        let requests =
            self.scene_controls
                .views_ui(ui, data, self.settings.dark, &mut self.settings.cue_flip);
        // A maximised plot the scene's views could not draw alone is forgotten.
        crate::views::maximise::settle(ui.ctx());
        let mut commands = Vec::new();
        self.take_requests(requests, &mut commands);
        for command in commands {
            self.send(command);
        }
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
        self.file_dialog_ui(&ctx);
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
            egui::ScrollArea::vertical().show(ui, |ui| self.scene_ui(ui));
        });
        let dark = self.settings.dark;
        self.experiments.ui(&ui.ctx().clone(), dark);
        self.shortcuts_ui(&ctx);
        if self.status.playing {
            // Draw at 60 fps while running, whatever the rhythm of the engine's snapshots; a paused
            // app repaints only when something arrives or the user acts.
            ui.ctx()
                .request_repaint_after(FRAME_INTERVAL.saturating_sub(started.elapsed()));
        }
        self.frames.record(started.elapsed());
        self.report_startup();
        if let Some(report) = self.pace_report.as_mut() {
            report.frame(&self.status);
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
