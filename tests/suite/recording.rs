//! Recording a run to a directory: the files agree with the run's report and with each other, the
//! `.npy` headers are valid NumPy, the same seed gives the same bytes, and a used directory is refused.

use std::path::Path;
use std::process::Command;

use crate::common::shipped as builtin;
use engram::engine::headless::{RunObserver, RunReport, run_scenario_observed};
use engram::recording::{RecordError, RecordMetadata, RecordSummary, Recorder};
use engram::scenario::Scenario;

/// Runs `scenario` for `duration` while recording into `dir`.
fn record(scenario: &Scenario, duration: f64, dir: &Path) -> RunReport {
    let seed = scenario.scene.seed();
    let metadata = RecordMetadata {
        scenario: Some(scenario.clone()),
        seed,
        duration: Some(duration),
        command_line: vec!["test".into()],
    };
    let mut recorder = Recorder::create(dir, &metadata).expect("recorder");
    let report = run_scenario_observed(
        scenario,
        Some(duration),
        |_, _| {},
        Some(&mut recorder as &mut dyn RunObserver),
    )
    .expect("runs");
    let summary = RecordSummary {
        sim_time: report.sim_time,
        time_unit: report.time_unit.into(),
        report: serde_json::to_value(&report).ok(),
    };
    recorder.finish(&summary).expect("finishes");
    report
}

/// A `.npy` file read back: dtype descriptor, shape and the data bytes.
struct Npy {
    descr: String,
    shape: Vec<usize>,
    data: Vec<u8>,
}

fn read_npy(path: &Path) -> Npy {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        &bytes[..8],
        b"\x93NUMPY\x01\x00",
        "{}: magic and version 1.0",
        path.display()
    );
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    assert_eq!(
        (10 + header_len) % 64,
        0,
        "{}: header aligned to 64",
        path.display()
    );
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("ASCII header");
    assert!(header.ends_with('\n'));
    assert!(header.contains("'fortran_order': False"));
    let descr = header
        .split("'descr': '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("descr")
        .to_string();
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("shape");
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a dimension"))
        .collect();
    let data = bytes[10 + header_len..].to_vec();
    let item = match descr.as_str() {
        "|i1" => 1,
        "<u4" | "<f4" => 4,
        "<f8" => 8,
        other => panic!("unexpected dtype {other}"),
    };
    assert_eq!(
        data.len(),
        shape.iter().product::<usize>() * item,
        "{}: data length matches shape {shape:?}",
        path.display()
    );
    Npy { descr, shape, data }
}

/// CSV header and rows (split on commas; engram's files have no quoted fields here).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("a header")
        .split(',')
        .map(String::from)
        .collect();
    let rows = lines.map(|l| l.split(',').map(String::from).collect()).collect();
    (header, rows)
}

fn metadata(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("metadata.json")).expect("metadata.json");
    serde_json::from_str(&text).expect("metadata.json is JSON")
}

#[test]
fn spiking_recording_matches_the_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("cuba");
    let report = record(&builtin("cuba"), 200.0, &dir);
    let spiking = report.observables.spiking().expect("a spiking report");
    assert!(spiking.spikes > 100, "CUBA fires: {}", spiking.spikes);

    let (header, spikes) = read_csv(&dir.join("spikes.csv"));
    assert_eq!(header, ["neuron", "time_ms"]);
    assert_eq!(spikes.len() as u64, spiking.spikes);
    let times: Vec<f64> = spikes.iter().map(|r| r[1].parse().expect("a time")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "spikes in time order");
    assert!(times.iter().all(|&t| (0.0..200.0).contains(&t)));

    let neurons = read_npy(&dir.join("spike_neurons.npy"));
    assert_eq!(neurons.descr, "<u4");
    assert_eq!(neurons.shape, [spikes.len()]);
    let first_neuron = u32::from_le_bytes(neurons.data[..4].try_into().expect("4 bytes"));
    assert_eq!(first_neuron.to_string(), spikes[0][0]);
    let spike_times = read_npy(&dir.join("spike_times_ms.npy"));
    assert_eq!(spike_times.descr, "<f8");
    assert_eq!(spike_times.shape, [spikes.len()]);
    let last_time = f64::from_le_bytes(
        spike_times.data[spike_times.data.len() - 8..]
            .try_into()
            .expect("8"),
    );
    assert_eq!(last_time, times[times.len() - 1]);

    let (header, rates) = read_csv(&dir.join("rates.csv"));
    assert_eq!(header, ["time_ms", "E_hz", "I_hz"]);
    assert_eq!(rates.len(), 200, "one row per ms");
    assert_eq!(rates[0][0], "0.0");
    assert_eq!(rates[199][0], "199.0");
    // Rates times population sizes give back the spike count.
    let sizes = [3200.0, 800.0];
    let from_rates: f64 = rates
        .iter()
        .map(|r| {
            (1..3)
                .map(|k| r[k].parse::<f64>().expect("a rate") * sizes[k - 1] * 1e-3)
                .sum::<f64>()
        })
        .sum();
    assert!((from_rates - spiking.spikes as f64).abs() < 1e-6 * spiking.spikes as f64);

    let (header, traces) = read_csv(&dir.join("traces.csv"));
    assert_eq!(header[0], "time_ms");
    assert!(
        header.len() > 1
            && header[1..]
                .iter()
                .all(|h| h.starts_with('v') && h.ends_with("_mv"))
    );
    assert_eq!(traces.len(), 2000, "one sample per 0.1 ms step");
    let trace_npy = read_npy(&dir.join("traces.npy"));
    assert_eq!(trace_npy.descr, "<f4");
    assert_eq!(trace_npy.shape, [traces.len(), header.len() - 1]);
    let v0 = f32::from_le_bytes(trace_npy.data[..4].try_into().expect("4 bytes"));
    assert_eq!(v0.to_string(), traces[0][1]);

    let meta = metadata(&dir);
    assert_eq!(meta["seed"], 1);
    assert_eq!(meta["complete"], true);
    assert_eq!(meta["engram_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(meta["time_unit"], "ms");
    assert!((meta["sim_time"].as_f64().expect("sim_time") - 200.0).abs() < 1e-9);
    assert!(meta["wall_s"].as_f64().expect("wall_s") > 0.0);
    assert_eq!(meta["scene"]["model"], "spiking");
    assert_eq!(meta["files"]["spikes.csv"]["rows"], spiking.spikes);
    assert_eq!(meta["files"]["rates.csv"]["rows"], 200);
    assert!(
        meta["scenario_toml"]
            .as_str()
            .expect("toml")
            .contains("preset = \"cuba\"")
    );
    let again = Scenario::parse(
        &std::fs::read_to_string(dir.join("scenario.toml")).expect("scenario.toml"),
        "scenario.toml",
    )
    .expect("scenario.toml parses");
    assert_eq!(again, builtin("cuba"));
}

#[test]
fn hopfield_recording_matches_the_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("completion");
    let report = record(&builtin("pattern-completion"), 20.0, &dir);
    let hopfield = report.observables.hopfield().expect("a Hopfield report");

    let (header, rows) = read_csv(&dir.join("overlaps.csv"));
    assert_eq!(header, ["time_sweeps", "m_A", "m_H", "m_S", "energy"]);
    assert_eq!(rows.len(), hopfield.energy_trace.len(), "one row per sample");
    let last = rows.last().expect("rows");
    let m_a: f64 = last[1].parse().expect("an overlap");
    assert!((m_a - hopfield.overlaps[0]).abs() < 1e-6);
    let energy: f64 = last[4].parse().expect("an energy");
    assert_eq!(energy, hopfield.energy);

    let states = read_npy(&dir.join("states.npy"));
    assert_eq!(states.descr, "|i1");
    assert_eq!(states.shape.len(), 2);
    assert!(states.shape[0] >= 2, "several states: {:?}", states.shape);
    assert_eq!(states.shape[1], 256, "16 × 16 letters");
    assert!(states.data.iter().all(|&b| b == 1 || b == 0xff), "states are ±1");
    let times = read_npy(&dir.join("state_times_sweeps.npy"));
    assert_eq!(times.descr, "<f8");
    assert_eq!(times.shape, [states.shape[0]]);
    let first_time = f64::from_le_bytes(times.data[..8].try_into().expect("8 bytes"));
    assert_eq!(first_time, 0.0, "the cue is the first state");
    let patterns = read_npy(&dir.join("patterns.npy"));
    assert_eq!(patterns.shape, [3, 256]);
    // The network completed the pattern: the last state is (nearly) stored pattern A.
    let last_state = &states.data[states.data.len() - 256..];
    let agree = last_state
        .iter()
        .zip(&patterns.data[..256])
        .filter(|(a, b)| a == b)
        .count();
    let overlap = (2.0 * agree as f64 - 256.0) / 256.0;
    assert!(
        (overlap - hopfield.overlaps[0]).abs() < 1e-6,
        "{overlap} vs {:?}",
        hopfield.overlaps
    );

    let meta = metadata(&dir);
    assert_eq!(meta["seed"], 1);
    assert_eq!(meta["time_unit"], "sweeps");
    assert_eq!(meta["scene"]["labels"], serde_json::json!(["A", "H", "S"]));
    assert_eq!(meta["files"]["states.npy"]["rows"], states.shape[0]);
}

#[test]
fn storing_a_pattern_continues_the_overlaps_in_a_new_file() {
    let mut scenario = builtin("pattern-completion");
    scenario.timeline.push(engram::scenario::TimedAction {
        at: 10.0,
        action: engram::scenario::Action::new(&engram::families::hopfield::HopfieldVerb::StoreState),
        say: None,
    });
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("stored");
    record(&scenario, 15.0, &dir);
    let (first, _) = read_csv(&dir.join("overlaps.csv"));
    let (second, rows) = read_csv(&dir.join("overlaps-2.csv"));
    assert_eq!(first.len() + 1, second.len(), "{first:?} then {second:?}");
    assert!(!rows.is_empty() && rows.iter().all(|r| r.len() == second.len()));
    assert_eq!(read_npy(&dir.join("patterns.npy")).shape, [4, 256]);
}

#[test]
fn same_seed_records_byte_identical_spikes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = builtin("cuba");
    record(&scenario, 100.0, &tmp.path().join("a"));
    record(&scenario, 100.0, &tmp.path().join("b"));
    for file in ["spikes.csv", "rates.csv", "spike_times_ms.npy", "traces.npy"] {
        let a = std::fs::read(tmp.path().join("a").join(file)).expect("a");
        let b = std::fs::read(tmp.path().join("b").join(file)).expect("b");
        assert!(a == b, "{file} differs between two runs with the same seed");
    }
}

#[test]
fn recording_into_a_non_empty_directory_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("precious.txt"), "keep me").expect("write");
    let refused = Recorder::create(tmp.path(), &RecordMetadata::default());
    assert!(matches!(refused, Err(RecordError::NotEmpty { .. })));
    let message = refused.err().expect("an error").to_string();
    assert!(message.contains("not empty"), "{message}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("precious.txt")).expect("kept"),
        "keep me"
    );

    // An existing empty directory is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    Recorder::create(&empty, &RecordMetadata::default()).expect("an empty directory is accepted");

    let output = Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(["run", "cuba", "--duration", "5", "--record"])
        .arg(tmp.path())
        .output()
        .expect("engram runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "a one-line error: {stderr}");

    // A directory that cannot be created is a one-line error naming it.
    let output = Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(["run", "cuba", "--duration", "5", "--record", "/dev/null/run"])
        .output()
        .expect("engram runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/dev/null/run"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "a one-line error: {stderr}");
}

#[test]
fn cli_records_with_json_on_stdout() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("run");
    let output = Command::new(env!("CARGO_BIN_EXE_engram"))
        .args([
            "run",
            "cuba",
            "--duration",
            "20",
            "--seed",
            "7",
            "--json",
            "--record",
        ])
        .arg(&dir)
        .output()
        .expect("engram runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let meta = metadata(&dir);
    assert_eq!(meta["seed"], 7);
    assert_eq!(meta["report"]["spiking"]["spikes"], report["spiking"]["spikes"]);
    let command_line: Vec<String> =
        serde_json::from_value(meta["command_line"].clone()).expect("a list of arguments");
    assert!(command_line.iter().any(|a| a == "--record"));
    let (_, rates) = read_csv(&dir.join("rates.csv"));
    assert_eq!(rates.len(), 20);
}
