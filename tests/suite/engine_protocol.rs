//! The engine's protocol: commands apply at the next step, play/pause/step, bad scenes keep the
//! last good state, memory stays bounded when nobody reads, and the thread shuts down cleanly.

use crate::common;
use common::wait_for;
use std::time::Duration;

use engram::engine::{Command, EngineHandle, EngineLimits, SceneFrame, SceneInfo, SceneSetup, Speed};
use engram::families::hopfield::{HopfieldCommand, HopfieldSetup, PatternSource};
use engram::families::spiking::SpikingSetup;
use engram::spiking::Preset;

fn spawn(setup: SceneSetup, speed: Speed) -> EngineHandle {
    EngineHandle::spawn(setup, speed, || {}).expect("the thread starts")
}

fn hopfield() -> SceneSetup {
    SceneSetup::Hopfield(HopfieldSetup::default())
}

#[test]
fn a_new_engine_reports_its_scene_paused() {
    let engine = spawn(hopfield(), Speed::Rate(10.0));
    let snapshot = wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    assert!(!snapshot.status.playing);
    let Some(SceneInfo::Hopfield(info)) = snapshot.info else {
        panic!("a Hopfield scene")
    };
    assert_eq!(info.labels, ["A", "H", "S"]);
    assert_eq!(info.patterns.len(), 3);
    assert_eq!(info.width * info.height, info.patterns[0].len());
    engine.shutdown();
}

#[test]
fn a_parameter_change_applies_at_the_next_step_without_reset() {
    let engine = spawn(hopfield(), Speed::Rate(10.0));
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    assert!(engine.send(Command::Step));
    let before = wait_for(&engine, "a step", |s| s.status.sim_time >= 1.0)
        .status
        .sim_time;
    assert!(engine.send(Command::scene(HopfieldCommand::SetTemperature(0.7))));
    assert!(engine.send(Command::Step));
    let snapshot = wait_for(
        &engine,
        "the new temperature",
        |s| matches!(&s.info, Some(SceneInfo::Hopfield(info)) if info.setup.temperature == 0.7),
    );
    // The state was not reset: the step after the change takes time from 1 to 2 sweeps (a reset
    // would have started again from 0, and the step would end at 1).
    let generation = snapshot.status.scene_generation;
    let after = if snapshot.status.sim_time > before {
        snapshot.status
    } else {
        wait_for(&engine, "the step after the change", |s| {
            s.status.sim_time > before
        })
        .status
    };
    assert_eq!(after.sim_time, before + 1.0);
    assert_eq!(
        after.scene_generation, generation,
        "the same scene, not a rebuilt one"
    );
    engine.shutdown();
}

#[test]
fn play_runs_and_pause_stops_time() {
    let engine = spawn(hopfield(), Speed::Rate(50.0));
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    engine.send(Command::Play);
    wait_for(&engine, "time to pass", |s| {
        s.status.playing && s.status.sim_time > 2.0
    });
    engine.send(Command::Pause);
    let paused = wait_for(&engine, "the pause", |s| !s.status.playing)
        .status
        .sim_time;
    std::thread::sleep(Duration::from_millis(200));
    engine.send(Command::Step);
    let after = wait_for(&engine, "one step", |s| s.status.sim_time > paused)
        .status
        .sim_time;
    assert!(
        (after - paused - 1.0).abs() < 1e-9,
        "one step is one sweep: {paused} -> {after}"
    );
    engine.shutdown();
}

#[test]
fn the_cued_letter_is_completed_and_energy_never_rises() {
    let engine = spawn(hopfield(), Speed::Unlimited);
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    engine.send(Command::Play);
    let mut energies = Vec::new();
    let mut last_overlap = 0.0;
    wait_for(&engine, "completion", |s| {
        if let Some(SceneFrame::Hopfield(frame)) = &s.frame {
            for sample in &frame.samples {
                energies.push(sample.energy);
                last_overlap = sample.overlaps[0];
            }
        }
        s.status.sim_time > 10.0
    });
    assert!(
        last_overlap > 0.99,
        "the cued letter A is recalled: m = {last_overlap}"
    );
    assert!(
        energies.windows(2).all(|w| w[1] <= w[0] + 1e-9),
        "energy never rises at T = 0"
    );
    engine.shutdown();
}

#[test]
fn a_bad_scene_is_reported_and_the_last_good_scene_keeps_running() {
    let engine = spawn(hopfield(), Speed::Rate(10.0));
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    let bad = HopfieldSetup {
        patterns: PatternSource::Builtin {
            set: "no-such-set".into(),
            labels: vec![],
        },
        ..HopfieldSetup::default()
    };
    engine.send(Command::Load(SceneSetup::Hopfield(bad)));
    let snapshot = wait_for(&engine, "the error", |s| s.status.error.is_some());
    let error = snapshot.status.error.unwrap_or_default();
    assert!(
        error.contains("no-such-set"),
        "the message names the problem: {error}"
    );
    engine.send(Command::Step);
    wait_for(&engine, "the old scene to step", |s| s.status.sim_time >= 1.0);
    engine.shutdown();
}

/// Resident memory of this process in bytes (Linux).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Runs [`engine_memory_alone`] in a process of its own: the suite is one test binary whose other
/// tests allocate in parallel threads, so this process's resident memory would measure them too.
#[test]
fn memory_stays_bounded_when_nobody_reads() {
    let exe = std::env::current_exe().expect("the test binary");
    let output = std::process::Command::new(exe)
        .args([
            "engine_protocol::engine_memory_alone",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .output()
        .expect("the test binary runs again");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && text.contains("1 passed"),
        "the engine's memory test failed in its own process:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The engine's memory while nobody reads its snapshots. Ignored in the suite's own run because it
/// measures the whole process: [`memory_stays_bounded_when_nobody_reads`] runs it alone.
#[test]
#[ignore = "run alone in its own process by memory_stays_bounded_when_nobody_reads"]
fn engine_memory_alone() {
    let setup = SceneSetup::Spiking(SpikingSetup {
        preset: Preset::Cuba,
        n_neurons: None,
        in_degree: None,
        seed: 3,
        memory: None,
        view: Default::default(),
    });
    // A small budget so that the cap is reached within the test however slow the machine is.
    let limits = EngineLimits {
        max_pending_spikes: 50_000,
        ..EngineLimits::default()
    };
    let engine = EngineHandle::spawn_with_limits(setup, Speed::Unlimited, || {}, limits).expect("thread");
    engine.send(Command::Play);
    // Let the snapshot queue fill and stay full, then measure growth over a further stretch.
    std::thread::sleep(Duration::from_secs(2));
    let before = resident_bytes();
    std::thread::sleep(Duration::from_secs(5));
    let growth = resident_bytes().saturating_sub(before);
    assert!(
        growth < 150 << 20,
        "memory grew by {} MiB while nobody read",
        growth >> 20
    );
    // The data kept coming: the next snapshots still hold spikes, and time moved on.
    let snapshot = wait_for(
        &engine,
        "a snapshot with spikes",
        |s| matches!(&s.frame, Some(SceneFrame::Spiking(frame)) if !frame.spike_neurons.is_empty()),
    );
    assert!(snapshot.status.sim_time > 0.0);
    // What could not be kept was counted, not silently lost.
    // (the queued snapshots predate the stall; a later one carries the count)
    let thinned = wait_for(&engine, "a thinned count", |s| s.status.thinned_spikes > 0)
        .status
        .thinned_spikes;
    assert!(thinned > 0, "the pending spike buffer is capped and says so");
    engine.shutdown();
}

#[test]
fn shutdown_stops_the_thread_even_with_a_full_queue() {
    let engine = spawn(hopfield(), Speed::Unlimited);
    engine.send(Command::Play);
    std::thread::sleep(Duration::from_millis(300));
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);
    std::thread::Builder::new()
        .name("shutdown-test".into())
        .spawn(move || {
            engine.shutdown();
            let _ = done_tx.send(());
        })
        .expect("thread");
    assert!(
        done_rx.recv_timeout(Duration::from_secs(20)).is_ok(),
        "shutdown returned"
    );
}

#[test]
fn a_scenario_timeline_runs_in_the_engine_as_it_does_headless() {
    let (_, scenario) = engram::scenario::builtin()
        .into_iter()
        .find(|(name, _)| name == "temperature")
        .expect("shipped");
    let engine = spawn(hopfield(), Speed::Unlimited);
    engine.send(Command::LoadScenario(Box::new(scenario.clone())));
    engine.send(Command::Play);
    let mut raised = false;
    let mut live: Vec<(f64, Vec<f32>)> = Vec::new();
    wait_for(&engine, "the timeline to raise T and 20 sweeps", |s| {
        raised |= matches!(&s.info, Some(SceneInfo::Hopfield(info)) if info.setup.temperature == 1.3);
        if let Some(SceneFrame::Hopfield(f)) = &s.frame {
            live.extend(f.samples.iter().map(|x| (x.time_sweeps, x.overlaps.clone())));
        }
        raised && s.status.sim_time >= 20.0
    });
    // The action happened exactly at its time (10 sweeps), not at the end of a stepping chunk: the
    // Glauber trajectory, drawn from the same seed, matches the headless run's sample for sample
    // after it too (an action one sweep late would change every later draw at the new T).
    let mut headless = HopfieldSamples::default();
    engram::engine::headless::run_scenario_observed(&scenario, Some(20.0), |_, _| {}, Some(&mut headless))
        .expect("runs headless");
    let live: Vec<_> = live.into_iter().filter(|(t, _)| *t > 0.0 && *t <= 20.0).collect();
    assert!(
        live.iter().filter(|(t, _)| *t > 10.0).count() >= 10,
        "{} samples",
        live.len()
    );
    for (t, m) in &live {
        let twin = headless.0.iter().find(|(u, _)| u == t);
        assert_eq!(twin.map(|x| &x.1), Some(m), "at {t} sweeps");
    }
    engine.send(Command::Pause);
    engine.send(Command::Reset);
    wait_for(
        &engine,
        "reset to the scenario's own temperature",
        |s| matches!(&s.info, Some(SceneInfo::Hopfield(info)) if info.setup.temperature == 0.5),
    );
    engine.shutdown();
}

/// A headless run's Hopfield samples: (time in sweeps, overlaps).
#[derive(Default)]
struct HopfieldSamples(Vec<(f64, Vec<f32>)>);

impl engram::engine::headless::RunObserver for HopfieldSamples {
    fn info(&mut self, _info: &SceneInfo) -> Result<(), String> {
        Ok(())
    }

    fn frame(&mut self, frame: &SceneFrame, _sim_time: f64) -> Result<(), String> {
        if let SceneFrame::Hopfield(f) = frame {
            self.0
                .extend(f.samples.iter().map(|x| (x.time_sweeps, x.overlaps.clone())));
        }
        Ok(())
    }
}

/// Regression: a scene whose speed asks for fewer than 10 steps per second (a continuous memory at
/// 2 updates/s) used to stand still, because the catch-up budget was capped below one step.
#[test]
fn a_slow_speed_still_steps() {
    let setup = SceneSetup::Continuous(engram::families::continuous::ContinuousSetup::default());
    let engine = spawn(setup, Speed::Rate(4.0));
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    engine.send(Command::Play);
    wait_for(&engine, "two updates", |s| s.status.sim_time >= 2.0);
    engine.shutdown();
}

/// A lesson's timeline: the engine lists its steps in the family's words, sends a step's sentence
/// for the class once when it happens, holds the steps while the timeline is off (the step due at
/// 5 sweeps does not happen at 8), and "Next step" carries out the next one at once (which has no
/// sentence, so it ends the first one's).
#[test]
fn the_timeline_is_listed_held_stepped_and_narrated() {
    let mut scenario = crate::common::shipped("temperature");
    scenario.timeline = vec![
        engram::scenario::TimedAction {
            at: 2.0,
            action: engram::scenario::Action::new(&engram::families::hopfield::HopfieldVerb::Temperature {
                value: 0.5,
            }),
            say: Some("a little warmer".into()),
        },
        engram::scenario::TimedAction {
            at: 5.0,
            action: engram::scenario::Action::new(&engram::families::hopfield::HopfieldVerb::Temperature {
                value: 1.5,
            }),
            say: None,
        },
    ];
    let engine = spawn(hopfield(), Speed::Rate(200.0));
    wait_for(&engine, "the first snapshot", |s| s.info.is_some());
    assert!(engine.send(Command::LoadScenario(Box::new(scenario))));
    let listed = wait_for(&engine, "the timeline", |s| s.status.timeline.is_some());
    let steps = listed.status.timeline.expect("listed");
    assert_eq!(steps.len(), 2);
    assert!(steps[0].what.contains("0.5"), "{:?}", steps[0]);
    assert_eq!(steps[0].say.as_deref(), Some("a little warmer"));
    assert!(engine.send(Command::Play));
    let told = wait_for(&engine, "the first step's sentence", |s| {
        s.status.narrative.is_some()
    });
    assert_eq!(told.status.narrative.as_deref(), Some("a little warmer"));
    assert_eq!(told.status.timeline_next, 1);
    assert!(engine.send(Command::SetTimelineOn(false)));
    let held = wait_for(&engine, "8 sweeps with the timeline off", |s| {
        !s.status.timeline_on && s.status.sim_time >= 8.0
    });
    assert_eq!(held.status.timeline_next, 1, "the step due at 5 sweeps waited");
    assert!(engine.send(Command::Pause));
    assert!(engine.send(Command::TimelineNext));
    let stepped = wait_for(&engine, "the next step, carried out by hand", |s| {
        s.status.timeline_next == 2
    });
    assert_eq!(
        stepped.status.narrative.as_deref(),
        Some(""),
        "a step without a sentence ends the last one"
    );
    engine.shutdown();
}
