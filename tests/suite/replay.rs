//! The replay family: a recorded run (engram's own, or NEST's imported) played back gives the
//! numbers of the run itself, frames join without gaps, seeking restarts the views, and bad runs
//! are refused in one line naming the file.

use engram::families::FamilyScene;
use engram::families::replay::ui::ReplayData;
use engram::families::replay::{ReplayCommand, ReplayScene, ReplaySetup};

fn builtin() -> ReplayScene {
    ReplayScene::build(ReplaySetup {
        run: "builtin:nest-cuba".into(),
    })
    .expect("the shipped run opens")
}

#[test]
fn frames_join_into_continuous_views_and_a_seek_restarts_them() {
    let mut scene = builtin();
    let info = scene.take_info().expect("describes itself");
    let mut data = ReplayData::new(info, true);
    data.push(scene.take_frame(), true);
    // 1.6 ms per frame for 600 frames: 960 ms in uneven chunks.
    for k in 0..600u64 {
        scene.advance(16 + k % 3).expect("advances");
        data.push(scene.take_frame(), true);
    }
    let played = data.time_ms;
    assert!(played > 900.0, "played to {played} ms");
    let spikes_before = scene.run().first_at_or_after(played) as u64;
    assert_eq!(
        data.spikes_received, spikes_before,
        "every spike before the playhead reached the views"
    );
    let bins: usize = data.rates[0].len();
    assert!(
        bins as f64 >= played.floor() - 1.0,
        "{bins} rate bins for {played} ms"
    );
    scene.apply(&ReplayCommand::Seek(1500.0)).expect("seeks");
    data.push(scene.take_frame(), true);
    assert_eq!(data.spikes_received, 0, "after a seek the views start afresh");
    assert_eq!(data.time_ms, 1500.0);
}

fn engram(args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// A replay of engram's own recording gives the recorded run's numbers: the same spikes, and the
/// rate and ISI CV of engram's one definition (the same function over the same spikes).
#[test]
fn a_recording_replays_with_the_numbers_of_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recording = dir.path().join("cuba");
    let run = engram(&[
        "run",
        "cuba",
        "--duration",
        "500ms",
        "--json",
        "--record",
        recording.to_str().expect("utf-8"),
    ]);
    let replay = engram(&["replay", recording.to_str().expect("utf-8"), "--json"]);
    assert_eq!(replay["spikes"], run["spiking"]["spikes"], "{replay}");
    // Equal up to rounding: the recording stores each spike's time in ms, the run used steps × dt.
    let cv = (
        replay["cv_isi"].as_f64().expect("cv"),
        run["spiking"]["cv_isi"].as_f64().expect("cv"),
    );
    assert!((cv.0 - cv.1).abs() < 1e-9, "{cv:?}");
    let rate = replay["rate_hz"].as_f64().expect("rate");
    assert!((rate - run["spiking"]["rate_hz"].as_f64().expect("rate")).abs() < 1e-9);
    assert!(
        replay["source"]
            .as_str()
            .expect("source")
            .starts_with("engram, CUBA network (seed 1)")
    );
    // The scene knows the populations of the recording.
    let scene = ReplayScene::build(ReplaySetup { run: recording }).expect("opens");
    let names: Vec<&str> = scene.run().populations.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["E", "I"]);
}

/// NEST's spike files open directly: they are imported beside themselves on the first open (the
/// second open reads the arrays), and the header says where they came from.
#[test]
fn nest_spike_files_open_as_a_replay_with_their_origin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let header = "# NEST version: 3.10\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";
    std::fs::write(
        dir.path().join("spikes-4001-0.dat"),
        format!("{header}1\t0.5\n3\t1.2\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("spikes-4001-1.dat"),
        format!("{header}2\t0.7\n4\t2.0\n"),
    )
    .expect("write");
    let run = serde_json::json!({"nest_version": "3.10", "processes": 2, "threads": 1,
        "virtual_processes": 2, "duration_ms": 10.0, "dt_ms": 0.1});
    std::fs::write(dir.path().join("run.json"), run.to_string()).expect("write");
    let scene = ReplayScene::build(ReplaySetup {
        run: dir.path().into(),
    })
    .expect("opens");
    assert!(
        dir.path().join("spike_neurons.npy").exists(),
        "imported beside the files"
    );
    let header = scene.run().header();
    assert!(
        header.starts_with("NEST 3.10, 2 processes × 1 thread, 0.0 s"),
        "{header}"
    );
    assert_eq!(scene.run().neurons, [0, 1, 2, 3]);
    // A second open reads the arrays (the spike files may be gone by then).
    for vp in 0..2 {
        std::fs::remove_file(dir.path().join(format!("spikes-4001-{vp}.dat"))).expect("remove");
    }
    let again = ReplayScene::build(ReplaySetup {
        run: dir.path().into(),
    })
    .expect("opens again");
    assert_eq!(again.run().times_ms, scene.run().times_ms);
}

/// The shipped NEST run replays with NEST's statistics (measured when it was made: 5.51 Hz, mean
/// ISI CV 0.62, as `engram import` reported), and the end of the recording is the end.
#[test]
fn the_shipped_nest_run_plays_to_its_end() {
    let mut scene = builtin();
    assert!(
        scene
            .run()
            .header()
            .starts_with("NEST 3.10.0, 1 process × 2 threads, exported from engram's cuba, 2.0 s")
    );
    scene.advance(30_000).expect("advances");
    assert!(scene.finished(), "stops at the end of the recording");
    let frame = scene.take_frame();
    assert_eq!(frame.to_ms, 2000.0);
    let cv = frame.isi.expect("statistics at the end").summary.mean_cv;
    assert!((cv - 0.62).abs() < 0.005, "ISI CV {cv}");
    let rate = frame.spike_neurons.len() as f64 / 4000.0 / 2.0;
    assert!((rate - 5.51).abs() < 0.005, "{rate} Hz");
    // Play after the end starts again from the beginning.
    scene.advance(10).expect("advances");
    assert!(scene.sim_time() <= 1.0 + 1e-9);
}

/// Bad runs: one line naming the file, nothing built.
#[test]
fn a_bad_run_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let open = |path: &std::path::Path| {
        ReplayScene::build(ReplaySetup { run: path.into() })
            .err()
            .expect("refused")
    };
    let missing = dir.path().join("nowhere");
    assert!(
        open(&missing).contains("nowhere: no such file"),
        "{}",
        open(&missing)
    );
    let write_arrays = |name: &str, neurons: &[u32], times: &[f64]| {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).expect("dir");
        engram::recording::io::write_npy_1d(&d.join("spike_neurons.npy"), neurons).expect("write");
        engram::recording::io::write_npy_1d(&d.join("spike_times_ms.npy"), times).expect("write");
        d
    };
    let backwards = write_arrays("backwards", &[0, 1], &[5.0, 1.0]);
    assert!(
        open(&backwards).contains("spike_times_ms.npy: spike 1 at 1 ms comes before"),
        "{}",
        open(&backwards)
    );
    let short = write_arrays("short", &[0, 1, 2], &[1.0, 2.0]);
    assert!(
        open(&short).contains("2 spike times for 3 neurons"),
        "{}",
        open(&short)
    );
    let beyond = write_arrays("beyond", &[0, 9], &[1.0, 2.0]);
    std::fs::write(
        beyond.join("metadata.json"),
        r#"{"imported_from": "CSV", "neurons": 5}"#,
    )
    .expect("write");
    assert!(
        open(&beyond).contains("a spike of neuron 9 in a network of 5 neurons"),
        "{}",
        open(&beyond)
    );
    let hopfield = write_arrays("hopfield", &[0], &[1.0]);
    std::fs::write(
        hopfield.join("metadata.json"),
        r#"{"scene": {"model": "hopfield"}}"#,
    )
    .expect("write");
    assert!(
        open(&hopfield).contains("a recording of a hopfield scene"),
        "{}",
        open(&hopfield)
    );
    let unknown = ReplayScene::build(ReplaySetup {
        run: "builtin:nothing".into(),
    })
    .err()
    .expect("refused");
    assert!(unknown.contains("builtin:nest-cuba"), "{unknown}");
}
