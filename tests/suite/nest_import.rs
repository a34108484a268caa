//! Importing NEST's spike files: an engram run written out as NEST would write it (two virtual
//! processes, end-of-step stamps) comes back spike for spike, and a corpus of broken files is
//! answered with one error naming the file and line, with nothing written.

use std::path::Path;

use engram::recording::import::{ImportOptions, import_spikes};
use engram::recording::io::read_npy_1d;
use engram::spiking::{Network, Preset};

const HEADER: &str = "# NEST version: 3.10\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";

/// Writes NEST-style files for `spikes` (time ms, engram index): neurons split over `vps` files by
/// index, times stamped one step late, ids from 1; and run.json.
fn write_nest(dir: &Path, spikes: &[(f64, u32)], vps: usize, dt_ms: f64) {
    for vp in 0..vps {
        let mut text = String::from(HEADER);
        for &(t, n) in spikes.iter().filter(|s| s.1 as usize % vps == vp) {
            text += &format!("{}\t{:.3}\n", n + 1, t + dt_ms);
        }
        std::fs::write(dir.join(format!("spikes-4001-{vp}.dat")), text).expect("write");
    }
    let run = serde_json::json!({"nest_version": "3.10", "processes": 1, "threads": vps,
        "virtual_processes": vps, "duration_ms": 1000.0, "dt_ms": dt_ms});
    std::fs::write(dir.join("run.json"), run.to_string()).expect("write");
}

#[test]
fn nest_files_of_two_virtual_processes_merge_back_to_the_run() {
    let mut network = Network::from_preset(Preset::Cuba, Some(400), 1).expect("builds");
    let dt = network.dt_ms();
    let mut spikes = Vec::new();
    for step in 0..10_000u64 {
        network.step();
        spikes.extend(network.last_spikes().iter().map(|&n| (step as f64 * dt, n)));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    write_nest(dir.path(), &spikes, 2, dt);
    let summary = import_spikes(
        dir.path(),
        ImportOptions {
            neurons: Some(400),
            ..ImportOptions::default()
        },
    )
    .expect("imports");
    assert_eq!(summary.source, "NEST 3.10");
    assert_eq!(summary.files.len(), 2);
    assert_eq!(summary.spikes, spikes.len() as u64);
    let neurons: Vec<u32> = read_npy_1d(&dir.path().join("spike_neurons.npy")).expect("neurons");
    let times: Vec<f64> = read_npy_1d(&dir.path().join("spike_times_ms.npy")).expect("times");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "merged in time order");
    let mut back: Vec<(i64, u32)> = times
        .iter()
        .zip(&neurons)
        .map(|(&t, &n)| ((t / dt).round() as i64, n))
        .collect();
    let mut original: Vec<(i64, u32)> = spikes
        .iter()
        .map(|&(t, n)| ((t / dt).round() as i64, n))
        .collect();
    back.sort_unstable();
    original.sort_unstable();
    assert_eq!(back, original, "the same spikes at the same steps");
    let rate = spikes.len() as f64 / 400.0;
    assert!(
        (summary.mean_rate_hz - rate).abs() < 1e-9,
        "{} vs {rate}",
        summary.mean_rate_hz
    );
    assert!(
        summary.mean_cv > 0.1 && summary.mean_cv < 2.0,
        "CV {}",
        summary.mean_cv
    );
    assert!(dir.path().join("metadata.json").exists());
}

/// One broken input: the error names `file` (and the line when there is one), nothing is written.
fn refused(setup: impl FnOnce(&Path), file: &str, line: Option<usize>, neurons: Option<usize>) {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(dir.path());
    let err = import_spikes(
        dir.path(),
        ImportOptions {
            neurons,
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    assert!(!err.contains('\n'), "one line: {err}");
    assert!(err.contains(file), "names {file}: {err}");
    if let Some(line) = line {
        assert!(
            err.contains(&format!("{file}:{line}")),
            "names line {line}: {err}"
        );
    }
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with("spike_") && !name.ends_with(".partial") && name != "metadata.json",
            "{name} was written for: {err}"
        );
    }
}

#[test]
fn broken_spike_files_are_refused_by_file_and_line() {
    let good = |dir: &Path| write_nest(dir, &[(1.0, 0), (2.0, 1), (3.0, 2)], 2, 0.1);
    // Missing header.
    refused(
        |d| {
            good(d);
            std::fs::write(d.join("spikes-4001-0.dat"), "sender\ttime_ms\n1\t1.1\n").unwrap();
        },
        "spikes-4001-0.dat",
        Some(1),
        None,
    );
    // A sender that is text.
    refused(
        |d| {
            good(d);
            std::fs::write(
                d.join("spikes-4001-1.dat"),
                format!("{HEADER}2\t2.1\nneuron\t3.1\n"),
            )
            .unwrap();
        },
        "spikes-4001-1.dat",
        Some(5),
        None,
    );
    // A sender beyond the network.
    refused(
        |d| {
            good(d);
            std::fs::write(d.join("spikes-4001-0.dat"), format!("{HEADER}1\t1.1\n900\t3.1\n")).unwrap();
        },
        "spikes-4001-0.dat",
        Some(5),
        Some(400),
    );
    // A truncated last line.
    refused(
        |d| {
            good(d);
            std::fs::write(d.join("spikes-4001-0.dat"), format!("{HEADER}1\t1.1\n3\t")).unwrap();
        },
        "spikes-4001-0.dat",
        Some(5),
        None,
    );
    // Mixed runs: time going backwards in one file.
    refused(
        |d| {
            good(d);
            std::fs::write(d.join("spikes-4001-0.dat"), format!("{HEADER}1\t5.1\n3\t1.1\n")).unwrap();
        },
        "spikes-4001-0.dat",
        Some(5),
        None,
    );
    // A stale file from an earlier run beside the two run.json announces.
    refused(
        |d| {
            good(d);
            std::fs::write(d.join("spikes-3001-0.dat"), format!("{HEADER}1\t1.1\n")).unwrap();
        },
        "spikes-3001-0.dat",
        None,
        None,
    );
    // No run.json and no step.
    refused(
        |d| {
            good(d);
            std::fs::remove_file(d.join("run.json")).unwrap();
        },
        "--dt-ms",
        None,
        None,
    );
}

#[test]
fn a_csv_of_senders_and_times_imports_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("spikes.csv");
    std::fs::write(&csv, "senders,times\n3,1.5\n1,2.5\n2,2.5\n").expect("write");
    let summary = import_spikes(
        &csv,
        ImportOptions {
            dt_ms: Some(0.5),
            ..ImportOptions::default()
        },
    )
    .expect("imports");
    assert_eq!(
        (summary.spikes, summary.neurons, summary.source.as_str()),
        (3, 3, "CSV")
    );
    let times: Vec<f64> = read_npy_1d(&dir.path().join("spike_times_ms.npy")).expect("times");
    assert_eq!(times, [1.0, 2.0, 2.0]);
}
