//! The messages between the app and the simulation thread: `Command`s in, `Snapshot`s out.

use crate::families::{SceneCommand, SceneFrame, SceneInfo, SceneSetup};

/// How fast the simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// Simulated time per wall second: spiking ms per s, Hopfield sweeps per s.
    Rate(f64),
    /// As fast as the machine allows.
    Unlimited,
}

/// Commands the app sends to the simulation thread; each applies before the next step.
#[derive(Debug, Clone)]
pub enum Command {
    /// Run continuously at the set speed.
    Play,
    /// Stop stepping (state is kept).
    Pause,
    /// Advance by one step (Hopfield: one sweep; spiking: 1 ms) and pause.
    Step,
    /// Rebuild the current scene from its setup (same seed: same run).
    Reset,
    /// Set the speed.
    SetSpeed(Speed),
    /// Let scenes step on up to this many threads (this scene and the ones loaded later).
    SetThreads(usize),
    /// Replace the scene by a new one.
    Load(SceneSetup),
    /// Replace the scene by a scenario's, whose timeline then runs as simulated time passes.
    LoadScenario(Box<crate::scenario::Scenario>),
    /// A command for the running scene's family (an error if the scene is of another family).
    Scene(SceneCommand),
    /// Save the scene, its scenario and timeline position as a session file (atomically, on the
    /// engine's thread); success is reported in `EngineStatus::notice`, failure in `error`.
    SaveSession(std::path::PathBuf),
    /// Replace the scene by the one a session file holds, paused, continuing its run and timeline;
    /// on failure the current scene keeps running untouched and `EngineStatus::error` says why.
    OpenSession(std::path::PathBuf),
    /// Let the scenario's timeline act (on) or hold it (off); switched on again, steps whose time
    /// has passed are skipped, not fired at once.
    SetTimelineOn(bool),
    /// Carry out the next timeline step now, whatever its time.
    TimelineNext,
    /// Stop the thread.
    Quit,
}

/// The engine's status, repeated in every snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EngineStatus {
    /// True while running continuously.
    pub playing: bool,
    /// Simulated time: sweeps for Hopfield, ms for spiking.
    pub sim_time: f64,
    /// Unit of `sim_time` ("sweeps" or "ms").
    pub time_unit: &'static str,
    /// Simulated time per wall second, measured over the last second.
    pub achieved_rate: f64,
    /// Steps per wall second, measured over the last second.
    pub steps_per_s: f64,
    /// Spikes dropped because the app did not read fast enough (0 normally).
    pub thinned_spikes: u64,
    /// Threads the scene steps on.
    pub threads: usize,
    /// The last error (a failed command, a divergence, a panic), if any.
    pub error: Option<String>,
    /// A short notice (e.g. "network rebuilt: N changed").
    pub notice: Option<String>,
    /// Counts scene replacements (load, reset, an opened session): when it changes, the scene's
    /// histories start afresh even if time did not go backwards.
    pub scene_generation: u64,
    /// The loaded scenario's timeline as the lesson panel lists it (shared, not copied per snapshot).
    pub timeline: Option<std::sync::Arc<Vec<TimelineStep>>>,
    /// Index of the next timeline step (= its length when every step has happened).
    pub timeline_next: usize,
    /// False while the teacher has switched the timeline off.
    pub timeline_on: bool,
    /// A step's sentence for the class, sent once when the step happens; empty when the step has
    /// none (the sentence before it ends then).
    pub narrative: Option<String>,
}

/// One step of a scenario's timeline as the app shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineStep {
    /// When, in the scene's time unit.
    pub at: f64,
    /// What happens, in the family's words.
    pub what: String,
    /// Its sentence for the class, if it has one.
    pub say: Option<String>,
}

/// A batch from the simulation thread: status, optional new scene description, and new data.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Engine status.
    pub status: EngineStatus,
    /// New scene description, when the structure changed.
    pub info: Option<SceneInfo>,
    /// Data produced since the previous snapshot.
    pub frame: Option<SceneFrame>,
}

impl Command {
    /// A command for the running scene (a `HopfieldCommand`, `SpikingCommand`, ...).
    pub fn scene(command: impl Into<SceneCommand>) -> Self {
        Command::Scene(command.into())
    }
}
