//! Running a scenario without a window: the same scenes and commands as the app, on this thread.

use std::time::Instant;

use serde::Serialize;

use crate::families::{Scene, SceneFrame, SceneInfo, SceneReport, SceneSummary};
use crate::scenario::Scenario;

/// Steps taken between two looks at the timeline.
const CHUNK_STEPS: u64 = 1000;

/// What a headless run of a scenario observed.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Scenario name.
    pub scenario: String,
    /// The family's `model` key ("hopfield", "spiking", ...).
    pub model: &'static str,
    /// Seed of the run.
    pub seed: u64,
    /// Simulated time reached, in `time_unit`.
    pub sim_time: f64,
    /// "sweeps" or "ms".
    pub time_unit: &'static str,
    /// Steps taken (single-neuron updates or dt steps).
    pub steps: u64,
    /// Wall time of the simulation loop, in s.
    pub wall_s: f64,
    /// Steps per wall second.
    pub steps_per_s: f64,
    /// Timeline actions carried out, in order, with the time they happened.
    pub actions: Vec<String>,
    /// The family's observables, under its `model` key (`"hopfield": {...}`, `"spiking": {...}`).
    #[serde(flatten)]
    pub observables: SceneReport,
}

/// Receives everything a headless run produces, in order: scene descriptions and frames.
pub trait RunObserver {
    /// A new scene description; the first comes before any frame.
    fn info(&mut self, info: &SceneInfo) -> Result<(), String>;
    /// The data produced since the previous frame; `sim_time` is the scene's time at its end.
    fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<(), String>;
}

/// Runs `scenario` for `duration` (its own when None) and reports what happened.
pub fn run_scenario(
    scenario: &Scenario,
    duration: Option<f64>,
    progress: impl FnMut(f64, f64),
) -> Result<RunReport, String> {
    run_scenario_observed(scenario, duration, progress, None)
}

/// Like [`run_scenario`], also handing every scene description and frame to `observer` (e.g. a
/// `recording::Recorder`); an observer error ends the run. Time spent in the observer is not counted
/// in `wall_s`.
pub fn run_scenario_observed(
    scenario: &Scenario,
    duration: Option<f64>,
    mut progress: impl FnMut(f64, f64),
    mut observer: Option<&mut dyn RunObserver>,
) -> Result<RunReport, String> {
    let mut scene = Scene::build(&scenario.scene)?;
    let duration = duration
        .or(scenario.duration)
        .unwrap_or_else(|| scenario.scene.default_duration());
    if !(duration.is_finite() && duration > 0.0) {
        return Err(format!("the duration must be a positive number, not {duration}"));
    }
    let mut timeline: Vec<_> = scenario.timeline.iter().collect();
    timeline.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut next_action = 0;
    let mut actions = Vec::new();
    let steps_per_unit = scene.steps_per_unit();
    let total_steps = (duration * steps_per_unit).round() as u64;
    let mut info = scene.take_info();
    let mut summary = SceneSummary::for_scene(&scene);
    let started = Instant::now();
    let mut observer_s = 0.0;
    if let (Some(observer), Some(info)) = (observer.as_deref_mut(), &info) {
        let t = Instant::now();
        observer.info(info)?;
        // The starting point (a Hopfield scene's cue) as a frame of its own; probes only read.
        let frame = scene.take_frame();
        observer.frame(&frame, scene.sim_time())?;
        summary.take(&frame);
        observer_s += t.elapsed().as_secs_f64();
    }
    let mut steps_done = 0;
    loop {
        // Actions due now are applied before the next step.
        while let Some(step) = timeline.get(next_action) {
            if (step.at * steps_per_unit).round() as u64 > steps_done {
                break;
            }
            let notice = scene.apply_action(&step.action)?;
            actions.push(format!(
                "at {} {}: {}",
                step.at,
                scene.time_unit(),
                notice.unwrap_or_else(|| scene.describe_action(&step.action))
            ));
            next_action += 1;
        }
        if steps_done >= total_steps {
            break;
        }
        let until_action = timeline.get(next_action).map_or(u64::MAX, |s| {
            ((s.at * steps_per_unit).round() as u64).max(steps_done + 1)
        });
        let chunk = CHUNK_STEPS
            .min(total_steps - steps_done)
            .min(until_action - steps_done);
        scene.advance(chunk)?;
        steps_done += chunk;
        if let Some(new_info) = scene.take_info() {
            if let Some(observer) = observer.as_deref_mut() {
                let t = Instant::now();
                observer.info(&new_info)?;
                observer_s += t.elapsed().as_secs_f64();
            }
            info = Some(new_info);
        }
        let frame = scene.take_frame();
        if let Some(observer) = observer.as_deref_mut() {
            let t = Instant::now();
            observer.frame(&frame, scene.sim_time())?;
            observer_s += t.elapsed().as_secs_f64();
        }
        summary.take(&frame);
        progress(steps_done as f64 / steps_per_unit, duration);
        if scene.finished() {
            // A replay at the end of its recording: nothing more to run.
            break;
        }
    }
    let wall_s = (started.elapsed().as_secs_f64() - observer_s).max(0.0);
    let frame = scene.take_frame();
    if let Some(observer) = observer {
        observer.frame(&frame, scene.sim_time())?;
    }
    summary.take(&frame);
    let info = info.ok_or("the scene did not describe itself")?;
    let observables = summary.report(&info, &scene)?;
    let seed = scenario.scene.seed();
    Ok(RunReport {
        scenario: scenario.name.clone(),
        model: scene.family_id(),
        seed,
        sim_time: scene.sim_time(),
        time_unit: scene.time_unit(),
        steps: steps_done,
        wall_s,
        steps_per_s: steps_done as f64 / wall_s.max(1e-12),
        actions,
        observables,
    })
}
