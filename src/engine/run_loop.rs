//! The simulation thread's loop: apply commands, step paced to the speed, send batched snapshots.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};

use super::protocol::{Command, EngineStatus, Snapshot, Speed};
use crate::families::Scene;
use crate::families::SceneSetup;

/// Wall time between two snapshots while running.
const SNAPSHOT_INTERVAL: Duration = Duration::from_millis(16);
/// Longest a paused engine waits for a command before looking again.
const IDLE_WAIT: Duration = Duration::from_millis(100);
/// Most simulated time the pacing catches up after falling behind, in wall seconds.
const MAX_CATCH_UP_S: f64 = 0.1;
/// Wall time spent stepping before the loop looks at commands again.
const SLICE: Duration = Duration::from_millis(8);

/// Measures achieved speed over a sliding second.
struct RateMeter {
    window_start: Instant,
    sim_at_start: f64,
    steps: u64,
    sim_rate: f64,
    steps_per_s: f64,
}

impl RateMeter {
    fn new(sim_time: f64) -> Self {
        Self {
            window_start: Instant::now(),
            sim_at_start: sim_time,
            steps: 0,
            sim_rate: 0.0,
            steps_per_s: 0.0,
        }
    }

    fn record(&mut self, steps: u64, sim_time: f64, playing: bool) {
        self.steps += steps;
        let elapsed = self.window_start.elapsed().as_secs_f64();
        if elapsed >= 0.5 {
            self.sim_rate = if playing {
                (sim_time - self.sim_at_start) / elapsed
            } else {
                0.0
            };
            self.steps_per_s = if playing { self.steps as f64 / elapsed } else { 0.0 };
            *self = Self {
                sim_rate: self.sim_rate,
                steps_per_s: self.steps_per_s,
                ..Self::new(sim_time)
            };
        }
    }
}

/// The state of the simulation thread.
pub(super) struct RunLoop {
    setup: SceneSetup,
    scene: Option<Scene>,
    commands: Receiver<Command>,
    snapshots: Sender<Snapshot>,
    wake: Box<dyn Fn() + Send>,
    playing: bool,
    speed: Speed,
    /// Steps owed to the pacing schedule.
    step_budget: f64,
    last_pace: Instant,
    last_snapshot: Instant,
    meter: RateMeter,
    error: Option<String>,
    notice: Option<String>,
    dirty: bool,
    /// The scene works in the background (an export): while paused, snapshots still follow it.
    background: bool,
    limits: crate::families::EngineLimits,
    /// The loaded scenario's timeline, sorted by time, and the next action to carry out.
    timeline: Vec<crate::scenario::TimedAction>,
    next_action: usize,
    /// False while the timeline is held (the teacher switched it off).
    timeline_on: bool,
    /// The timeline as the app lists it; None when it must be described again.
    timeline_view: Option<std::sync::Arc<Vec<super::TimelineStep>>>,
    /// A step's sentence for the class, to send once.
    narrative: Option<String>,
    /// The scenario's own scene, which Reset returns to when there is a timeline.
    scenario_setup: Option<SceneSetup>,
    /// The loaded scenario (timeline sorted), kept for session files.
    scenario: Option<Box<crate::scenario::Scenario>>,
    /// Scenes built or opened so far.
    scene_generation: u64,
}

impl RunLoop {
    pub(super) fn new(
        setup: SceneSetup,
        speed: Speed,
        commands: Receiver<Command>,
        snapshots: Sender<Snapshot>,
        wake: Box<dyn Fn() + Send>,
        limits: crate::families::EngineLimits,
    ) -> Self {
        let mut run = Self {
            setup: setup.clone(),
            scene: None,
            commands,
            snapshots,
            wake,
            playing: false,
            speed,
            step_budget: 0.0,
            last_pace: Instant::now(),
            last_snapshot: Instant::now(),
            meter: RateMeter::new(0.0),
            error: None,
            notice: None,
            dirty: true,
            background: false,
            limits,
            timeline: Vec::new(),
            next_action: 0,
            timeline_on: true,
            timeline_view: None,
            narrative: None,
            scenario_setup: None,
            scenario: None,
            scene_generation: 0,
        };
        run.load(setup);
        run
    }

    /// Runs until `Quit` arrives or the app drops its end of the command channel.
    pub(super) fn run(mut self) {
        loop {
            if !self.receive_commands() {
                return;
            }
            if self.playing {
                self.step_paced();
            }
            self.maybe_send_snapshot();
        }
    }

    /// Applies waiting commands; false when the engine should stop.
    fn receive_commands(&mut self) -> bool {
        if !self.playing && !self.dirty {
            let wait = if self.background {
                SNAPSHOT_INTERVAL
            } else {
                IDLE_WAIT
            };
            match self.commands.recv_timeout(wait) {
                Ok(command) => {
                    if !self.handle(command) {
                        return false;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Background work may have news for the views.
                    self.dirty = self.background;
                    return true;
                }
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
        loop {
            match self.commands.try_recv() {
                Ok(command) => {
                    if !self.handle(command) {
                        return false;
                    }
                }
                Err(TryRecvError::Empty) => return true,
                Err(TryRecvError::Disconnected) => return false,
            }
        }
    }

    fn load(&mut self, setup: SceneSetup) {
        match catch_unwind(AssertUnwindSafe(|| {
            Scene::build_with_limits(&setup, &self.limits)
        })) {
            Ok(Ok(scene)) => {
                self.meter = RateMeter::new(scene.sim_time());
                self.scene = Some(scene);
                self.setup = setup;
                self.error = None;
                self.scene_generation += 1;
            }
            Ok(Err(message)) => self.error = Some(format!("could not build the scene: {message}")),
            Err(panic) => self.error = Some(format!("building the scene panicked: {}", panic_text(&panic))),
        }
        self.step_budget = 0.0;
        self.dirty = true;
    }

    /// Applies one command; false for `Quit`.
    fn handle(&mut self, command: Command) -> bool {
        self.dirty = true;
        match command {
            Command::Quit => return false,
            Command::Play => {
                self.playing = self.scene.is_some();
                self.last_pace = Instant::now();
                self.step_budget = 0.0;
            }
            Command::Pause => self.playing = false,
            Command::Step => {
                self.playing = false;
                if let Some(steps) = self.scene.as_ref().map(Scene::single_step) {
                    self.advance_guarded(steps);
                }
            }
            Command::Reset => {
                let setup = match &self.scenario_setup {
                    Some(setup) if !self.timeline.is_empty() => setup.clone(),
                    _ => self.current_setup(),
                };
                self.next_action = 0;
                self.load(setup);
            }
            Command::SetSpeed(speed) => {
                self.speed = speed;
                self.step_budget = 0.0;
            }
            Command::SetThreads(threads) => {
                self.limits.threads = threads.max(1);
                if let Some(scene) = self.scene.as_mut() {
                    scene.set_threads(self.limits.threads);
                }
            }
            Command::Load(setup) => {
                self.playing = false;
                self.replace_timeline(Vec::new(), 0);
                self.scenario_setup = None;
                self.scenario = None;
                self.load(setup);
            }
            Command::LoadScenario(scenario) => {
                self.playing = false;
                let mut timeline = scenario.timeline.clone();
                timeline.sort_by(|a, b| a.at.total_cmp(&b.at));
                self.replace_timeline(timeline.clone(), 0);
                self.timeline_on = true;
                self.scenario_setup = Some(scenario.scene.clone());
                self.scenario = Some(Box::new(crate::scenario::Scenario {
                    timeline,
                    ..(*scenario).clone()
                }));
                self.load(scenario.scene);
                self.apply_due_actions();
            }
            Command::SetTimelineOn(on) => {
                self.timeline_on = on;
                if on {
                    // Steps whose time passed while the timeline was held are skipped, not fired at once.
                    let now = self.scene.as_ref().map_or(0.0, Scene::sim_time);
                    while self.timeline.get(self.next_action).is_some_and(|a| a.at < now) {
                        self.next_action += 1;
                    }
                }
                self.dirty = true;
            }
            Command::TimelineNext => {
                if self.next_action < self.timeline.len() {
                    self.apply_action_now();
                }
            }
            Command::SaveSession(path) => self.save_session(&path),
            Command::OpenSession(path) => self.open_session(&path),
            Command::Scene(command) => {
                if let Some(scene) = self.scene.as_mut() {
                    match catch_unwind(AssertUnwindSafe(|| scene.apply(&command))) {
                        Ok(Ok(notice)) => {
                            if notice.is_some() {
                                self.notice = notice;
                            }
                        }
                        Ok(Err(message)) => self.error = Some(message),
                        Err(panic) => self.fail(format!("the simulation panicked: {}", panic_text(&panic))),
                    }
                }
            }
        }
        true
    }

    /// Writes the scene and the scenario's progress to a session file; reports in notice or error.
    fn save_session(&mut self, path: &std::path::Path) {
        let Some(scene) = self.scene.as_ref() else {
            self.error = Some("there is no scene to save".into());
            return;
        };
        let scenario = self
            .scenario
            .as_ref()
            .map(|scenario| crate::session::ScenarioProgress {
                scenario: (**scenario).clone(),
                next_action: self.next_action,
            });
        let session = crate::session::Session::capture(scene, scenario);
        match session.save(path) {
            Ok(bytes) => {
                self.notice = Some(format!(
                    "saved the session to {} ({})",
                    path.display(),
                    crate::output::byte_size(bytes)
                ))
            }
            Err(e) => self.error = Some(format!("could not save the session: {e}")),
        }
    }

    /// Replaces the scene by a session's, paused; on failure keeps the current one (and whether it
    /// plays) and reports why.
    fn open_session(&mut self, path: &std::path::Path) {
        let (scene, progress) = match crate::session::open_scene_with_limits(path, &self.limits) {
            Ok(opened) => opened,
            Err(e) => {
                self.error = Some(format!("could not open the session: {e}"));
                return;
            }
        };
        match progress {
            Some(progress) => {
                let mut timeline = progress.scenario.timeline.clone();
                timeline.sort_by(|a, b| a.at.total_cmp(&b.at));
                self.replace_timeline(timeline, progress.next_action);
                self.scenario_setup = Some(progress.scenario.scene.clone());
                self.scenario = Some(Box::new(progress.scenario));
            }
            None => {
                self.replace_timeline(Vec::new(), 0);
                self.scenario_setup = None;
                self.scenario = None;
            }
        }
        self.setup = scene.setup();
        self.meter = RateMeter::new(scene.sim_time());
        self.scene = Some(scene);
        self.playing = false;
        self.scene_generation += 1;
        self.step_budget = 0.0;
        self.error = None;
        self.notice = Some(format!("opened the session {}", path.display()));
    }

    /// The setup a Reset rebuilds: the loaded one with the current live settings.
    fn current_setup(&self) -> SceneSetup {
        self.scene
            .as_ref()
            .map_or_else(|| self.setup.clone(), Scene::setup)
    }

    fn fail(&mut self, message: String) {
        self.error = Some(format!(
            "{message}. The last good state is shown; press Reset to start again."
        ));
        self.playing = false;
        self.scene = None;
    }

    /// Steps as many steps as the pacing owes, for at most one slice of wall time.
    fn step_paced(&mut self) {
        let Some(steps_per_unit) = self.scene.as_ref().map(Scene::steps_per_unit) else {
            self.playing = false;
            return;
        };
        let now = Instant::now();
        let wall_s = now.duration_since(self.last_pace).as_secs_f64();
        self.last_pace = now;
        let slice_start = Instant::now();
        match self.speed {
            Speed::Rate(rate) => {
                let steps_per_s = rate.max(0.0) * steps_per_unit;
                self.step_budget =
                    (self.step_budget + wall_s * steps_per_s).min((steps_per_s * MAX_CATCH_UP_S).max(1.0));
                // Step in chunks so commands stay responsive even at high speed.
                let chunk = (steps_per_s * 0.002).max(1.0) as u64;
                while self.step_budget >= 1.0 && slice_start.elapsed() < SLICE && self.playing {
                    let steps = chunk.min(self.step_budget as u64);
                    self.advance_guarded(steps);
                    self.step_budget -= steps as f64;
                }
                if self.step_budget < 1.0 {
                    // Ahead of schedule: wait a little rather than spin.
                    let until_next = (1.0 - self.step_budget) / steps_per_s.max(1e-9);
                    std::thread::sleep(Duration::from_secs_f64(until_next.clamp(0.0, 0.004)));
                }
            }
            Speed::Unlimited => {
                let chunk = (steps_per_unit.ceil() as u64).max(1);
                while slice_start.elapsed() < SLICE && self.playing {
                    self.advance_guarded(chunk);
                }
            }
        }
    }

    /// Advances the scene, turning an error or a panic into a message and a paused engine.
    fn advance_guarded(&mut self, steps: u64) {
        let mut left = steps;
        while left > 0 && self.scene.is_some() {
            // Stop exactly where the next timeline action is due.
            let chunk = self
                .steps_until_next_action()
                .filter(|&k| k > 0 && k < left)
                .unwrap_or(left);
            let before_error = self.error.is_some();
            self.advance_raw(chunk);
            left -= chunk;
            self.apply_due_actions();
            if self.error.is_some() && !before_error {
                break;
            }
        }
    }

    /// A new timeline (sorted), continuing at step `next`; the app's list of it is described anew.
    fn replace_timeline(&mut self, timeline: Vec<crate::scenario::TimedAction>, next: usize) {
        self.next_action = next.min(timeline.len());
        self.timeline = timeline;
        self.timeline_view = None;
    }

    /// Steps from now until the next timeline action is due, if there is one (none while held).
    fn steps_until_next_action(&self) -> Option<u64> {
        if !self.timeline_on {
            return None;
        }
        let scene = self.scene.as_ref()?;
        let action = self.timeline.get(self.next_action)?;
        let per_unit = scene.steps_per_unit();
        let now = (scene.sim_time() * per_unit).round();
        let due = (action.at * per_unit).round();
        Some((due - now).max(0.0) as u64)
    }

    /// Carries out every timeline action whose time has come.
    fn apply_due_actions(&mut self) {
        while self.steps_until_next_action() == Some(0) {
            self.apply_action_now();
        }
    }

    /// Carries out the next timeline action (its sentence for the class goes with the next snapshot).
    fn apply_action_now(&mut self) {
        let Some(action) = self.timeline.get(self.next_action).cloned() else {
            return;
        };
        self.next_action += 1;
        let unit = self.scene.as_ref().map_or("", Scene::time_unit);
        self.dirty = true;
        let Some(scene) = self.scene.as_mut() else { return };
        match catch_unwind(AssertUnwindSafe(|| scene.apply_action(&action.action))) {
            Ok(Ok(notice)) => {
                // The scene's own words when it has them (a cue names its pattern's label).
                let what = notice.unwrap_or_else(|| scene.describe_action(&action.action));
                self.notice = Some(format!("timeline: at {} {unit}, {what}", action.at));
                // A step without a sentence ends the last one: it no longer says what is on screen.
                self.narrative = Some(action.say.unwrap_or_default());
            }
            Ok(Err(message)) => self.error = Some(message),
            Err(panic) => self.fail(format!("the simulation panicked: {}", panic_text(&panic))),
        }
    }

    fn advance_raw(&mut self, steps: u64) {
        let Some(scene) = self.scene.as_mut() else { return };
        match catch_unwind(AssertUnwindSafe(|| scene.advance(steps))) {
            Ok(Ok(())) => {
                let sim_time = scene.sim_time();
                self.meter.record(steps, sim_time, self.playing);
                if scene.finished() && self.playing {
                    self.playing = false;
                    self.notice = Some("the end: paused (Play starts again from the beginning)".into());
                }
            }
            Ok(Err(message)) => {
                self.error = Some(format!("{message}. Paused; change a parameter or press Reset."));
                self.playing = false;
            }
            Err(panic) => self.fail(format!("the simulation panicked: {}", panic_text(&panic))),
        }
        self.dirty = true;
    }

    /// Sends a snapshot when one is due and the channel has room; otherwise data keeps coalescing.
    fn maybe_send_snapshot(&mut self) {
        let due = self.last_snapshot.elapsed() >= SNAPSHOT_INTERVAL || !self.playing;
        if !due || !self.dirty || self.snapshots.is_full() {
            if self.snapshots.is_full() && !self.playing {
                // Nobody is reading; do not spin.
                std::thread::sleep(Duration::from_millis(5));
            }
            return;
        }
        if let Some(scene) = self.scene.as_ref() {
            self.meter.record(0, scene.sim_time(), self.playing);
        }
        if self.timeline_view.is_none()
            && !self.timeline.is_empty()
            && let Some(scene) = self.scene.as_ref()
        {
            let steps = self
                .timeline
                .iter()
                .map(|a| super::TimelineStep {
                    at: a.at,
                    what: scene.describe_action(&a.action),
                    say: a.say.clone(),
                })
                .collect();
            self.timeline_view = Some(std::sync::Arc::new(steps));
        }
        let status = EngineStatus {
            playing: self.playing,
            sim_time: self.scene.as_ref().map_or(0.0, Scene::sim_time),
            time_unit: self.scene.as_ref().map_or("", Scene::time_unit),
            achieved_rate: self.meter.sim_rate,
            steps_per_s: self.meter.steps_per_s,
            thinned_spikes: self.scene.as_ref().map_or(0, Scene::thinned_spikes),
            threads: self.scene.as_ref().map_or(0, Scene::threads_active),
            error: self.error.clone(),
            notice: self.notice.take(),
            scene_generation: self.scene_generation,
            timeline: self.timeline_view.clone(),
            timeline_next: self.next_action,
            timeline_on: self.timeline_on,
            narrative: self.narrative.take(),
        };
        let (info, frame) = match self.scene.as_mut() {
            Some(scene) => (scene.take_info(), Some(scene.take_frame())),
            None => (None, None),
        };
        if self.snapshots.try_send(Snapshot { status, info, frame }).is_ok() {
            (self.wake)();
        }
        self.last_snapshot = Instant::now();
        self.dirty = self.playing;
        self.background = self.scene.as_ref().is_some_and(Scene::working_in_background);
    }
}

/// The message of a caught panic.
fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "unknown panic".to_string()
    }
}
