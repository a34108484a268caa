//! A scenario run by the app's engine thread and by `engram run` gives the same run: the same
//! Hopfield states and the same spikes, step for step (issue 5: "the same seed and file give the same
//! run, in the app and headless").

use std::time::{Duration, Instant};

use crate::common::shipped;
use engram::engine::headless::{RunObserver, run_scenario, run_scenario_observed};
use engram::engine::{Command, EngineHandle, SceneFrame, SceneInfo, Snapshot, Speed};
use engram::scenario::Scenario;

/// Starts the engine on a scenario (as the app's preset menu does) and waits for its description.
fn engine_on(scenario: &Scenario) -> EngineHandle {
    let engine = EngineHandle::spawn(scenario.scene.clone(), Speed::Unlimited, || {}).expect("starts");
    assert!(engine.send(Command::LoadScenario(Box::new(scenario.clone()))));
    engine
}

/// Receives snapshots, handing each to `take`, until `done` holds for one.
fn drain_until(engine: &EngineHandle, mut take: impl FnMut(&Snapshot), done: impl Fn(&Snapshot) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "timed out");
        if let Some(snapshot) = engine.recv_timeout(Duration::from_millis(100)) {
            take(&snapshot);
            if done(&snapshot) {
                return;
            }
        }
    }
}

#[test]
fn pattern_completion_gives_the_same_states_in_the_app_and_headless() {
    let scenario = shipped("pattern-completion");
    let sweeps = 12;
    let engine = engine_on(&scenario);
    let mut state = Vec::new();
    drain_until(
        &engine,
        |_| {},
        |s| matches!(s.info, Some(SceneInfo::Hopfield(_))),
    );
    for k in 1..=sweeps {
        assert!(engine.send(Command::Step));
        drain_until(
            &engine,
            |s| {
                if let Some(SceneFrame::Hopfield(frame)) = &s.frame
                    && !frame.state.is_empty()
                {
                    state = frame.state.clone();
                }
            },
            |s| s.status.sim_time >= k as f64 && !s.status.playing,
        );
    }
    engine.shutdown();

    struct LastState(Vec<i8>);
    impl RunObserver for LastState {
        fn info(&mut self, _: &SceneInfo) -> Result<(), String> {
            Ok(())
        }
        fn frame(&mut self, frame: &SceneFrame, _: f64) -> Result<(), String> {
            if let SceneFrame::Hopfield(f) = frame
                && !f.state.is_empty()
            {
                self.0 = f.state.clone();
            }
            Ok(())
        }
    }
    let mut headless = LastState(Vec::new());
    let report =
        run_scenario_observed(&scenario, Some(sweeps as f64), |_, _| {}, Some(&mut headless)).expect("runs");
    assert_eq!(report.sim_time, sweeps as f64);
    assert_eq!(state.len(), 256);
    assert_eq!(
        state, headless.0,
        "the app's engine and the headless run differ after {sweeps} sweeps"
    );
}

/// Spikes as (step, neuron), in order.
#[derive(Default)]
struct Spikes(Vec<(u64, u32)>);

impl Spikes {
    fn take(&mut self, frame: &SceneFrame) {
        if let SceneFrame::Spiking(f) = frame {
            self.0
                .extend(f.spike_steps.iter().copied().zip(f.spike_neurons.iter().copied()));
        }
    }
}

impl RunObserver for Spikes {
    fn info(&mut self, _: &SceneInfo) -> Result<(), String> {
        Ok(())
    }
    fn frame(&mut self, frame: &SceneFrame, _: f64) -> Result<(), String> {
        self.take(frame);
        Ok(())
    }
}

#[test]
fn the_spiking_memory_scenario_gives_the_same_spikes_in_the_app_and_headless() {
    // Past the first cue (at 200 ms, 100 ms long): timeline actions and cue timing must agree too.
    let scenario = shipped("spiking-memory");
    let until_ms = 450.0;
    let engine = engine_on(&scenario);
    let mut app = Spikes::default();
    drain_until(&engine, |_| {}, |s| matches!(s.info, Some(SceneInfo::Spiking(_))));
    assert!(engine.send(Command::Play));
    drain_until(
        &engine,
        |s| {
            if let Some(frame) = &s.frame {
                app.take(frame);
            }
        },
        |s| s.status.sim_time >= until_ms,
    );
    engine.shutdown();
    let mut headless = Spikes::default();
    run_scenario_observed(&scenario, Some(until_ms), |_, _| {}, Some(&mut headless)).expect("runs");
    let steps = (until_ms / 0.1) as u64;
    let app: Vec<_> = app.0.into_iter().filter(|&(step, _)| step < steps).collect();
    let headless: Vec<_> = headless.0.into_iter().filter(|&(step, _)| step < steps).collect();
    assert!(headless.len() > 10_000, "{} spikes", headless.len());
    assert_eq!(app.len(), headless.len(), "spike counts differ");
    assert!(app == headless, "the spikes differ");
    // And the headless report agrees with itself on a second run (same seed, same file).
    let a = run_scenario(&scenario, Some(until_ms), |_, _| {}).expect("runs");
    let b = run_scenario(&scenario, Some(until_ms), |_, _| {}).expect("runs");
    assert_eq!(
        a.observables.spiking().map(|s| s.spikes),
        b.observables.spiking().map(|s| s.spikes)
    );
}
