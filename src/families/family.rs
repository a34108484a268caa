//! The traits every model family implements: what the engine, sessions, recordings, scenarios and
//! headless runs know of a family. No egui, threads or files here (a family's views implement
//! [`crate::families::FamilyUi`] in its own `ui` module).

use std::fmt::Debug;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::action::TimelineVerb;
use crate::recording::io::{FileIndex, RecordError};

/// Spikes that may wait for the app by default (12 bytes each: 12 MB); beyond it new spikes are
/// dropped and counted as thinned.
pub const MAX_PENDING_SPIKES: usize = 1_000_000;

/// Memory budgets of a scene on the simulation thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineLimits {
    /// Spikes that may wait for the app; beyond it new spikes are dropped and counted as thinned.
    pub max_pending_spikes: usize,
    /// Most threads a scene may step on (its results do not depend on it).
    pub threads: usize,
}

impl Default for EngineLimits {
    fn default() -> Self {
        Self {
            max_pending_spikes: MAX_PENDING_SPIKES,
            threads: available_cores(),
        }
    }
}

/// The cores this machine offers the process (1 if it cannot tell).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What `engram session inspect` shows of a saved scene.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedSummary {
    /// Seed of the scene.
    pub seed: u64,
    /// Number of neurons (or units).
    pub neurons: usize,
    /// Number of synapses, where the family counts them.
    pub synapses: Option<usize>,
    /// Number of stored patterns, where the scene has them.
    pub patterns: Option<usize>,
    /// Whether STDP is on, where the family has it.
    pub stdp: Option<bool>,
}

/// A model family: its types and how a scene of it is built, restored and reported.
///
/// One implementation per folder under `src/families/`, named in the registry list of
/// `families/mod.rs`; everything outside the folder reaches it through this trait.
pub trait Family: Sized + 'static {
    /// The `model` key in scenario and session files ("hopfield", "spiking", "rate").
    const ID: &'static str;
    /// Unit of simulated time ("sweeps", "ms").
    const TIME_UNIT: &'static str;
    /// Simulated time a headless run lasts when neither the scenario nor the command line says.
    const DEFAULT_DURATION: f64;
    /// The scenarios the family ships, as `(name, TOML text)` (`include_str!` of
    /// `assets/scenarios/NAME.toml`); the app's scene menu lists them in registry order.
    const SCENARIOS: &'static [(&'static str, &'static str)];
    /// Everything that defines a scene when it is (re)built.
    type Setup: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + 'static;
    /// What the app (or a timeline) asks of a running scene.
    type Command: Clone + Debug + Send + 'static;
    /// The family's timeline verbs (`do = "..."` in a scenario's timeline).
    type Verb: TimelineVerb;
    /// What the views need, sent when the structure changes.
    type Info: Clone + Debug + Send + 'static;
    /// Data produced since the previous snapshot.
    type Frame: Clone + Debug + Default + Send + 'static;
    /// A scene captured whole for a session file.
    type Saved: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + 'static;
    /// The model with its probes.
    type Scene: FamilyScene<Self>;
    /// What a headless run accumulates from the frames it sees.
    type Summary: Default;
    /// The observables a headless run reports (the `hopfield`, `spiking`, ... key of `engram run --json`).
    type Report: Clone + Debug + Serialize;
    /// The columns a recording writes for this family.
    type Record: FamilyRecord<Self>;

    /// Builds the scene a setup describes.
    fn build(setup: &Self::Setup, limits: &EngineLimits) -> Result<Self::Scene, String>;
    /// Rebuilds a scene from a session's capture, checking every value.
    fn restore(saved: Self::Saved, limits: &EngineLimits) -> Result<Self::Scene, String>;
    /// The seed of a setup.
    fn seed(setup: &Self::Setup) -> u64;
    /// Replaces the seed of a setup.
    fn set_seed(setup: &mut Self::Setup, seed: u64);
    /// A small setup that builds and steps in milliseconds: the registry-wide tests (build, save,
    /// reopen, report, refuse other families' commands) walk every family's example.
    fn example_setup() -> Self::Setup;
    /// Checks the values of a setup read from a scenario file (before anything is built), naming the
    /// key that is wrong.
    fn validate_setup(_setup: &Self::Setup) -> Result<(), String> {
        Ok(())
    }
    /// The command that carries out a timeline verb (its values already checked), or why it cannot.
    fn action(verb: &Self::Verb) -> Result<Self::Command, String>;
    /// What a session's inspection shows of a saved scene.
    fn saved_summary(saved: &Self::Saved) -> SavedSummary;
    /// Simulated time of a saved scene, in [`Family::TIME_UNIT`].
    fn saved_time(saved: &Self::Saved) -> f64;
    /// False for commands that only change what is shown (which neurons are traced, landscape axes):
    /// they do not mark the run as changed since it was saved.
    fn changes_the_run(_command: &Self::Command) -> bool {
        true
    }
    /// The report as readable lines for `engram run` (after the header and the actions).
    fn report_text(report: &Self::Report) -> String;
    /// Adds a frame to a headless run's summary.
    fn summarize(summary: &mut Self::Summary, frame: &Self::Frame);
    /// The report of a headless run that ended with this info and scene.
    fn report(summary: Self::Summary, info: &Self::Info, scene: &Self::Scene) -> Self::Report;
}

/// A running scene of family `F`: the model plus the probes that read it.
pub trait FamilyScene<F: Family>: Send {
    /// The setup a Reset rebuilds: the one the scene was built from, with its live settings.
    fn setup(&self) -> F::Setup;
    /// Simulated time in [`Family::TIME_UNIT`].
    fn sim_time(&self) -> f64;
    /// Steps (single-neuron updates, dt steps) per unit of simulated time.
    fn steps_per_unit(&self) -> f64;
    /// Advances by `steps` steps.
    fn advance(&mut self, steps: u64) -> Result<(), String>;
    /// Applies a command; returns a notice for the status bar if there is one.
    fn apply(&mut self, command: &F::Command) -> Result<Option<String>, String>;
    /// The scene description, if it changed since the last call.
    fn take_info(&mut self) -> Option<F::Info>;
    /// The data produced since the last call.
    fn take_frame(&mut self) -> F::Frame;
    /// Captures the scene for a session file.
    fn save(&self) -> F::Saved;
    /// Spikes dropped because nobody read them.
    fn thinned_spikes(&self) -> u64 {
        0
    }
    /// Lets the scene step on up to `threads` threads (its results do not change).
    fn set_threads(&mut self, _threads: usize) {}
    /// Threads the scene steps on.
    fn threads_active(&self) -> usize {
        1
    }
    /// True while the scene works on its own thread (an export) and its frames will bring news even
    /// when paused.
    fn working_in_background(&self) -> bool {
        false
    }
    /// True when the scene cannot go on (a replay at the end of its recording): the engine pauses.
    fn finished(&self) -> bool {
        false
    }
}

/// The files a recording of family `F` writes; `recording.rs` decides where and when.
pub trait FamilyRecord<F: Family>: Sized {
    /// Opens the files for a scene described by `info`.
    fn create(dir: &Path, info: &F::Info, files: &mut FileIndex) -> Result<Self, RecordError>;
    /// The scene's structure changed (a stored pattern, new parameters): continue or start new files.
    fn info(&mut self, dir: &Path, info: &F::Info, files: &mut FileIndex) -> Result<(), RecordError>;
    /// Appends a frame that ends at simulated time `sim_time`.
    fn frame(&mut self, frame: &F::Frame, sim_time: f64) -> Result<(), RecordError>;
    /// Closes the files (rewriting streamed headers).
    fn finish(self, dir: &Path, files: &mut FileIndex) -> Result<(), RecordError>;
    /// The scene's setup as `metadata.json` describes it.
    fn describe(info: &F::Info) -> serde_json::Value;
}
