//! The headless command line as scripts use it: JSON keys from the contract, plausible values,
//! and bad input answered by one line on stderr and a non-zero exit, never a panic.

use std::process::Command;

use serde_json::Value;

fn engram(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = engram(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not one JSON object: {e}"))
}

fn has_keys(value: &Value, keys: &[&str]) {
    for key in keys {
        assert!(value.get(key).is_some(), "missing `{key}` in {value}");
    }
}

#[test]
fn hopfield_capacity_reports_the_contract_keys() {
    let v = json(&[
        "hopfield",
        "capacity",
        "--n",
        "100",
        "--alphas",
        "0.05,0.3",
        "--trials",
        "3",
        "--cue-flip",
        "0.1",
        "--rule",
        "hebb",
        "--json",
    ]);
    has_keys(&v, &["rule", "n", "points"]);
    let points = v["points"].as_array().expect("points");
    assert_eq!(points.len(), 2);
    for p in points {
        has_keys(
            p,
            &[
                "alpha",
                "patterns",
                "trials",
                "retrieved_fraction",
                "mean_overlap",
            ],
        );
    }
    assert!(points[0]["retrieved_fraction"].as_f64() > points[1]["retrieved_fraction"].as_f64());
}

#[test]
fn hopfield_stability_temperature_and_dense_report_their_keys() {
    let v = json(&[
        "hopfield",
        "stability",
        "--n",
        "300",
        "--alpha",
        "0.2",
        "--rule",
        "storkey",
        "--json",
    ]);
    has_keys(&v, &["unstable_fraction"]);
    let v = json(&[
        "hopfield",
        "temperature",
        "--n",
        "300",
        "--patterns",
        "1",
        "--temperatures",
        "0.5,1.5",
        "--sweeps",
        "20",
        "--burn-in",
        "5",
        "--json",
    ]);
    let points = v["points"].as_array().expect("points");
    has_keys(&points[0], &["temperature", "overlap"]);
    assert!(points[0]["overlap"].as_f64() > points[1]["overlap"].as_f64());
    let v = json(&[
        "hopfield",
        "dense",
        "--n",
        "50",
        "--patterns",
        "200",
        "--cue-flip",
        "0.1",
        "--update",
        "softmax",
        "--beta",
        "1",
        "--trials",
        "3",
        "--json",
    ]);
    has_keys(&v, &["exact_recall_fraction", "mean_overlap"]);
}

#[test]
fn neuron_reports_rate_cv_and_density() {
    let v = json(&[
        "neuron",
        "--model",
        "lif",
        "--mu",
        "15",
        "--sigma",
        "5",
        "--duration",
        "2",
        "--dt-ms",
        "0.05",
        "--json",
    ]);
    has_keys(&v, &["rate_hz", "cv_isi", "spikes", "v_density"]);
    has_keys(&v["v_density"], &["edges_mv", "density"]);
    let edges = v["v_density"]["edges_mv"].as_array().expect("edges").len();
    assert_eq!(
        edges,
        v["v_density"]["density"].as_array().expect("density").len() + 1
    );
    let v = json(&[
        "neuron",
        "--model",
        "eif",
        "--mu",
        "25",
        "--sigma",
        "0",
        "--duration",
        "1",
        "--json",
    ]);
    assert!(v["rate_hz"].as_f64().expect("rate") > 10.0);
}

#[test]
fn network_reports_the_contract_keys() {
    let v = json(&["network", "--preset", "cuba", "--duration", "0.2", "--json"]);
    has_keys(
        &v,
        &[
            "neurons",
            "synapses",
            "spikes",
            "rate_hz",
            "rate_e_hz",
            "rate_i_hz",
            "cv_isi",
            "synchrony",
            "wall_s",
            "synaptic_events",
        ],
    );
    assert_eq!(v["neurons"].as_u64(), Some(4000));
    let v = json(&[
        "network",
        "--preset",
        "brunel-ai",
        "--n",
        "2000",
        "--duration",
        "0.1",
        "--json",
    ]);
    assert_eq!(v["neurons"].as_u64(), Some(2000));
    // The thread count changes nothing but the speed.
    let on = |threads: &str| {
        json(&[
            "network",
            "--preset",
            "brunel-ai",
            "--duration",
            "0.1",
            "--threads",
            threads,
            "--json",
        ])
    };
    let (one, two) = (on("1"), on("2"));
    assert_eq!(one["spikes"], two["spikes"]);
    assert_eq!(two["threads"].as_u64(), Some(2));
    has_keys(&two, &["threads_active", "phase_s", "bytes_per_synapse"]);
}

#[test]
fn correlations_report_the_contract_keys() {
    let v = json(&["correlations", "--duration-s", "200", "--json"]);
    has_keys(
        &v,
        &[
            "spectral_radius",
            "mean_rate_predicted_hz",
            "mean_rate_measured_hz",
            "pair_correlation",
            "averages",
            "windows",
        ],
    );
    assert_eq!(v["averages"].as_array().map(Vec::len), Some(3));
}

#[test]
fn network_correlations_report_the_contract_keys() {
    let v = json(&[
        "correlations",
        "--network",
        "ei",
        "--n",
        "400",
        "--duration-s",
        "5",
        "--window-s",
        "0.5",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "points",
            "averages",
            "pair_correlation",
            "spectral_radius",
            "max_real_eigenvalue",
            "windows",
            "window_ms",
        ],
    );
    assert_eq!(v["windows"].as_u64(), Some(10));
    assert_eq!(v["averages"].as_array().map(Vec::len), Some(3));
}

#[test]
fn eprop_reports_the_contract_keys() {
    let v = json(&[
        "eprop",
        "train",
        "--trials",
        "3",
        "--neurons",
        "20",
        "--inputs",
        "20",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "task",
            "curve",
            "first_nmse",
            "final_nmse",
            "final_rate_hz",
            "wall_s",
            "trials_per_s",
            "synapse_updates_per_s",
        ],
    );
    assert_eq!(v["curve"].as_array().map(Vec::len), Some(2));
    let rate = json(&[
        "eprop",
        "train",
        "--task",
        "rate",
        "--trials",
        "2",
        "--neurons",
        "20",
        "--json",
    ]);
    assert!(rate["final_sigma_hz"].as_f64().is_some());
    assert!(rate["final_nmse"].is_null());
}

#[test]
fn export_writes_a_bundle_and_reports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundle = dir.path().join("cuba");
    let path = bundle.to_str().expect("utf-8");
    let v = json(&["export", "cuba", "--to", "nest", path, "--json"]);
    has_keys(&v, &["dir", "neurons", "synapses", "bytes"]);
    assert_eq!(v["neurons"].as_u64(), Some(4000));
    assert!(bundle.join("run_nest.py").exists() && bundle.join("synapses/weight_mv.npy").exists());
    // A second export to the same directory is refused in one line and leaves it as it was.
    let out = engram(&["export", "cuba", "--to", "nest", path]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    // Scaled at fixed in-degree: 20,000 neurons with 80 inputs each (1.6 M synapses, not 8 M).
    let scaled = dir.path().join("cuba-20k");
    let v = json(&[
        "export",
        "cuba",
        "--to",
        "nest",
        scaled.to_str().expect("utf-8"),
        "--n",
        "20000",
        "--k",
        "80",
        "--json",
    ]);
    assert_eq!(v["neurons"].as_u64(), Some(20_000));
    let synapses = v["synapses"].as_f64().expect("count");
    assert!((synapses / 20_000.0 - 80.0).abs() < 1.0, "{synapses} synapses");
    let network = json(&[
        "network",
        "--preset",
        "brunel-ai",
        "--n",
        "8000",
        "--k",
        "400",
        "--duration",
        "0.05",
        "--json",
    ]);
    assert_eq!(network["in_degree"].as_f64(), Some(400.0));
}

#[test]
fn import_reads_a_spike_csv_and_reports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("spikes.csv");
    std::fs::write(&csv, "neuron,time_ms\n0,1.0\n1,2.0\n0,11.0\n0,31.0\n").expect("write");
    let v = json(&["import", csv.to_str().expect("utf-8"), "--json"]);
    has_keys(
        &v,
        &[
            "dir",
            "files",
            "source",
            "spikes",
            "neurons",
            "duration_ms",
            "mean_rate_hz",
            "mean_cv",
        ],
    );
    assert_eq!(v["spikes"].as_u64(), Some(4));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "neuron,time_ms\nseven,1.0\n").expect("write");
    let out = engram(&["import", bad.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv:2"));
}

#[test]
fn branching_reports_the_contract_keys() {
    let v = json(&[
        "branching",
        "--m",
        "0.9",
        "--steps",
        "50000",
        "--subsample",
        "0.1",
        "--avalanches",
        "2000",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "m_mr",
            "b",
            "m_conventional",
            "tau_steps",
            "mean_activity",
            "theory_mean_activity",
            "observed_units",
            "size_exponent",
            "duration_exponent",
        ],
    );
    let m_mr = v["m_mr"].as_f64().expect("an estimate");
    assert!((m_mr - 0.9).abs() < 0.03, "{v}");
}

#[test]
fn network_memory_retrieves_the_cued_letter() {
    let v = json(&[
        "network",
        "--preset",
        "memory",
        "--pool",
        "2",
        "--cue",
        "H",
        "--duration",
        "0.5",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "overlaps",
            "retrieved_pattern",
            "retrieved_label",
            "classification",
            "wall_s",
        ],
    );
    assert_eq!(v["retrieved_label"].as_str(), Some("H"), "{v}");
    assert_eq!(v["labels"].as_array().map(Vec::len), Some(3));
}

#[test]
fn scenario_runs_headless() {
    let v = json(&["run", "pattern-completion", "--duration", "10", "--json"]);
    assert_eq!(v["hopfield"]["retrieved_pattern"].as_u64(), Some(0), "{v}");
}

#[test]
fn rate_commands_report_the_contract_keys() {
    // A small network (N 1000, cN 250) keeps this to a fraction of a second.
    let small = [
        "--n",
        "1000",
        "--c",
        "0.25",
        "--cue-ms",
        "100",
        "--duration-ms",
        "400",
    ];
    let mut args = vec!["rate", "retrieve", "--patterns", "5", "--json"];
    args.extend(small);
    let v = json(&args);
    has_keys(
        &v,
        &[
            "final_overlap",
            "final_overlaps",
            "retrieved",
            "persists",
            "overlap_trace",
            "best_other_trace",
            "times_ms",
            "mean_field_overlap",
            "mean_field_rate_hz",
            "alpha_c_theory",
            "mean_rate_hz",
            "wall_s",
            "steps_per_s",
            "synaptic_events_per_s",
            "wall_s_per_bio_s",
        ],
    );
    assert_eq!(v["final_overlaps"].as_array().map(Vec::len), Some(5), "{v}");
    // At load 0.02 the cued pattern is retrieved, as the mean field (0.99) says.
    assert_eq!(v["retrieved"], true, "{v}");
    let m = v["final_overlap"].as_f64().expect("a number");
    assert!(m > 0.8 && m <= 1.0, "{v}");

    let mut args = vec![
        "rate", "capacity", "--alphas", "0.02,2", "--trials", "1", "--json",
    ];
    args.extend(small);
    let v = json(&args);
    has_keys(&v, &["alpha_c_theory", "points"]);
    let points = v["points"].as_array().expect("points");
    assert_eq!(points.len(), 2);
    for p in points {
        has_keys(
            p,
            &[
                "alpha",
                "patterns",
                "mean_overlap",
                "std_overlap",
                "retrieved_fraction",
                "mean_field_overlap",
                "mean_field_rate_hz",
            ],
        );
    }
    // Far beyond capacity (α = 2 against α_c ≈ 0.56) nothing is retrieved, in theory or simulation.
    assert_eq!(points[1]["retrieved_fraction"], 0.0, "{v}");
    assert_eq!(points[1]["mean_field_overlap"], 0.0, "{v}");

    let v = json(&["rate", "theory", "--alphas", "0.1", "--json"]);
    has_keys(
        &v,
        &[
            "q_g",
            "gamma",
            "alpha_c",
            "alpha_c_step_limit",
            "points",
            "step_limit_points",
        ],
    );
    let alpha_c = v["alpha_c"].as_f64().expect("a number");
    assert!((alpha_c - 0.56).abs() < 0.01, "{v}");
}

#[test]
fn cell_commands_report_the_contract_keys() {
    let v = json(&["cell", "run", "--model", "hh", "--amplitude", "10", "--json"]);
    has_keys(
        &v,
        &[
            "model",
            "current_unit",
            "spikes_ms",
            "rate_in_input_hz",
            "peak_mv",
            "lowest_mv",
            "pattern",
            "fixed_points_at_amplitude",
            "wall_s",
        ],
    );
    // 10 µA/cm² for 500 ms: repetitive firing at about 68 Hz, spikes peaking near +40 mV.
    let rate = v["rate_in_input_hz"].as_f64().expect("rate");
    assert!((55.0..80.0).contains(&rate), "{rate}");
    let v = json(&["cell", "run", "--preset", "bursting", "--json"]);
    assert_eq!(v["pattern"], "bursting");
    let v = json(&["cell", "patterns", "--json"]);
    assert_eq!(v.as_array().map(Vec::len), Some(4));
    let v = json(&["cell", "fi", "--run-ms", "400", "--json"]);
    let models = v["models"].as_array().expect("models");
    assert_eq!(models.len(), 4);
    has_keys(&models[0], &["model", "rheobase", "onset_rate_hz", "points"]);
}

#[test]
fn hebb_commands_report_the_contract_keys() {
    let v = json(&["hebb", "learn", "--json"]);
    has_keys(
        &v,
        &[
            "rule",
            "dim",
            "samples",
            "eigenvalues",
            "time_constant_samples",
            "angles_deg",
            "norms",
            "hebb_log10_norm",
        ],
    );
    assert!(v["angles_deg"][0].as_f64().is_some_and(|a| a < 10.0), "{v}");
    let v = json(&["hebb", "convergence", "--etas", "0.001", "--runs", "5", "--json"]);
    let points = v.as_array().expect("points");
    has_keys(
        &points[0],
        &["eta", "theory_samples", "mean_samples", "std_samples"],
    );
}

#[test]
fn continuous_commands_report_the_contract_keys() {
    let v = json(&["continuous", "retrieve", "--beta", "0.5", "--mask", "--json"]);
    has_keys(
        &v,
        &["kernel", "beta", "labels", "cosines", "energies", "retrieved"],
    );
    assert_eq!(v["retrieved"], "A", "the first letter, cued, is retrieved: {v}");
    let v = json(&["continuous", "capacity", "--counts", "8,64", "--json"]);
    let rows = v.as_array().expect("rows");
    assert_eq!(rows.len(), 5);
    has_keys(&rows[0], &["kernel", "recall"]);
    assert!(
        rows[3]["recall"][1]["fraction"].is_null(),
        "the linear kernel cannot hold 64 > 32 patterns: {v}"
    );
    let v = json(&["continuous", "binary", "--counts", "8,128", "--json"]);
    let rows = v.as_array().expect("rows");
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["recall"][0][1], 1.0, "Hebbian holds 8 of 64: {v}");
    assert!(
        rows[1]["recall"][1][1].is_null(),
        "the pseudo-inverse cannot hold 128 > 64: {v}"
    );
    assert_eq!(
        rows[3]["recall"][1][1], 1.0,
        "the exponential kernel recalls 128 = 2N: {v}"
    );
}

#[test]
fn bad_input_gets_one_line_and_a_non_zero_exit() {
    let cases: &[&[&str]] = &[
        &["hopfield", "capacity", "--n", "0"],
        &["hopfield", "capacity", "--alphas=-0.1"],
        &["hopfield", "capacity", "--alphas", "0,0.1"],
        &["hopfield", "capacity", "--cue-flip", "1.5"],
        &["hopfield", "capacity", "--rule", "magic"],
        &["hopfield", "dense", "--update", "poly:x"],
        &["hopfield", "stability", "--n", "100000000"],
        &["neuron", "--tau-m-ms=-3"],
        &["neuron", "--reset-mv", "25"],
        &["neuron", "--dt-ms", "5"],
        &["network", "--preset", "nonsense"],
        &["network", "--n", "0"],
        &["network", "--preset", "memory", "--cue", "Z"],
        &["network", "--preset", "memory", "--flip", "2"],
        &["network", "--preset", "stdp-memory", "--duration", "0.5"],
        &["network", "--preset", "memory", "--pool", "0"],
        &["run", "/no/such/file.toml"],
        &["rate", "retrieve", "--n", "1"],
        &["rate", "retrieve", "--c", "2"],
        &["rate", "retrieve", "--patterns", "5", "--pattern", "7"],
        &["rate", "retrieve", "--cue-ms", "900", "--duration-ms", "100"],
        &["rate", "capacity", "--alphas=-0.1"],
        &["rate", "capacity", "--trials", "0"],
        &["rate", "theory", "--amplitude=-1"],
        &["sample", "--n", "0"],
        &["sample", "--n", "500"],
        &["sample", "--sampler", "metropolis"],
        &["sample", "--temperature", "0"],
        &["sample", "--clamp", "1x?"],
        &["sample", "--n", "3", "--clamp", "1?"],
        &["sample", "--duration=-1"],
        &["sample", "--tau", "0"],
        &["sample", "learn", "--data", "mnist"],
        &["sample", "learn", "--hidden", "30"],
        &["sample", "learn", "--epochs", "0"],
        &["sample", "learn", "--data", "letters:"],
        &["sample", "learn", "--data", "letters:Ω"],
        &["network", "--threads", "0"],
        &["network", "--threads", "1000"],
        &["branching", "--m", "20"],
        &["branching", "--subsample", "0"],
        &["branching", "--n", "1"],
        &["branching", "--h", "0"],
        &["branching", "--k-max", "1"],
        &["correlations", "--n", "1"],
        &["correlations", "--w", "0.5"],
        &["correlations", "--window-s", "0"],
        &["correlations", "--network", "brunel-ai"],
        &["correlations", "--network", "adex"],
        &["correlations", "--network", "nonsense"],
        &["export", "cuba", "--to", "brian", "/tmp/engram-never-written"],
        &[
            "export",
            "pattern-completion",
            "--to",
            "nest",
            "/tmp/engram-never-written",
        ],
        &[
            "export",
            "no-such-scenario",
            "--to",
            "nest",
            "/tmp/engram-never-written",
        ],
        &["eprop", "train", "--trials", "0"],
        &["eprop", "train", "--neurons", "1"],
        &["eprop", "train", "--learning-rate", "5"],
        &["eprop", "train", "--task", "rate", "--target-hz", "0"],
        &["eprop", "train", "--task", "sine"],
        &["cell", "run", "--model", "izhikevich"],
        &["cell", "run", "--dt-ms", "1"],
        &["cell", "run", "--input-ms=-5"],
        &["cell", "run", "--duration-ms", "0"],
        &["cell", "run", "--preset", "chattering"],
        &["cell", "run", "--input", "sine"],
        &["cell", "fi", "--run-ms", "10"],
        &["hebb", "learn", "--dim", "1"],
        &["hebb", "learn", "--eta", "2"],
        &["hebb", "learn", "--components", "3"],
        &["hebb", "learn", "--sigma1=-1"],
        &["hebb", "convergence", "--sigma2", "2"],
        &["hebb", "convergence", "--etas=-0.1"],
        &["continuous", "retrieve", "--kernel", "cosine"],
        &["continuous", "retrieve", "--beta=-1"],
        &["continuous", "retrieve", "--letters", "A", "--cue", "3"],
        &["continuous", "retrieve", "--letters", "Ω"],
        &["continuous", "capacity", "--n", "1"],
        &["continuous", "capacity", "--counts", "0"],
        &["continuous", "binary", "--flip", "0.9"],
        &["continuous", "binary", "--n", "2"],
        &["continuous", "binary", "--radius", "500"],
    ];
    for args in cases {
        let out = engram(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        // One line saying what is wrong; clap adds its standard "try '--help'" hint.
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(
            lines.first().is_some_and(|l| l.starts_with("error:")),
            "{args:?}: {stderr}"
        );
        assert!(
            lines[1..].iter().all(|l| l.contains("--help")),
            "{args:?}: more than one line: {stderr}"
        );
    }
}

#[test]
fn a_reader_that_stops_early_is_not_a_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(["run", "--list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    // Close our end of stdout at once, as `| head -0` would.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    let status = child.wait().expect("exits");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.success(), "{status:?}: {stderr}");
}

/// `engram sample` and `engram sample learn` report the contract's keys with values theory
/// bounds: every state's exact probability sums to 1 (N = 4: 16 states), the exact samplers end
/// closer to it than the wrong ones, the neural sampler fires, and learning bars and stripes ends
/// near −ln 14 with most dreams valid.
#[test]
fn sample_commands_report_the_contract_keys() {
    let v = json(&[
        "sample",
        "--n",
        "4",
        "--duration",
        "20",
        "--clamp",
        "?1??",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "n",
            "temperature",
            "clamp",
            "states",
            "exact",
            "exact_marginals",
            "samplers",
        ],
    );
    let exact: Vec<f64> = v["exact"]
        .as_array()
        .expect("exact")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(exact.len(), 16);
    assert!((exact.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert_eq!(
        v["exact_marginals"][1].as_f64(),
        Some(1.0),
        "unit 2 is clamped on"
    );
    let samplers = v["samplers"].as_array().expect("samplers");
    assert_eq!(samplers.len(), 4);
    let kl = |key: &str| {
        let s = samplers
            .iter()
            .find(|s| s["sampler"] == key)
            .expect("every sampler");
        has_keys(
            s,
            &[
                "samples",
                "kl",
                "tv",
                "marginals",
                "rate_hz",
                "distribution",
                "wall_s",
                "steps_per_s",
                "speed_x_real_time",
            ],
        );
        assert_eq!(s["samples"].as_u64(), Some(20_000));
        s["kl"].as_f64().expect("kl")
    };
    assert!(kl("gibbs") < kl("gibbs-parallel"));
    assert!(kl("neural") < kl("neural-uncorrected"));
    let neural = samplers
        .iter()
        .find(|s| s["sampler"] == "neural")
        .expect("neural");
    assert!(neural["rate_hz"].as_f64().expect("rate") > 1.0);

    let v = json(&["sample", "learn", "--epochs", "100", "--dreams", "200", "--json"]);
    has_keys(
        &v,
        &[
            "data",
            "patterns",
            "visible",
            "hidden",
            "log_likelihood",
            "final_log_likelihood",
            "best_log_likelihood",
            "mass_on_valid_patterns",
            "valid_dream_fraction",
            "dreams",
        ],
    );
    assert_eq!(v["patterns"].as_u64(), Some(14));
    assert_eq!(v["log_likelihood"].as_array().map(Vec::len), Some(100));
    let (last, best) = (
        v["final_log_likelihood"].as_f64().expect("ll"),
        v["best_log_likelihood"].as_f64().expect("best"),
    );
    assert!(last > best - 0.2 && last <= best + 1e-9, "{last} vs {best}");
    assert!(v["valid_dream_fraction"].as_f64().expect("dreams") > 0.8);

    let v = json(&[
        "sample",
        "learn",
        "--data",
        "letters:A,H",
        "--hidden",
        "20",
        "--epochs",
        "200",
        "--dreams",
        "10",
        "--json",
    ]);
    has_keys(
        &v,
        &[
            "patterns",
            "visible",
            "hidden",
            "reconstruction_error",
            "dream_agreement",
            "letter_like_dreams",
            "completion_agreement",
        ],
    );
    assert_eq!(
        (v["patterns"].as_u64(), v["visible"].as_u64()),
        (Some(2), Some(256))
    );
    let errors = v["reconstruction_error"].as_array().expect("per epoch");
    assert_eq!(errors.len(), 200);
    assert!(
        errors[199].as_f64() < errors[0].as_f64(),
        "learning lowers the reconstruction error"
    );
}

/// A duration carries its unit where one is written (issue 16: `engram network --duration 1` ran 1 s
/// and `engram run cuba --duration 1` 1 ms): `1s` is 1,000 ms in a spiking scene, `500ms` is 0.5 s
/// for `engram network`, a bare number keeps each command's unit, and a unit the scene does not run
/// in is refused in one line naming the scene's.
#[test]
fn durations_take_their_unit() {
    let spiking = json(&["run", "cuba", "--duration", "0.2s", "--json"]);
    assert_eq!(spiking["sim_time"].as_f64(), Some(200.0), "{spiking}");
    assert_eq!(spiking["time_unit"].as_str(), Some("ms"));
    let bare = json(&["run", "cuba", "--duration", "200", "--json"]);
    assert_eq!(bare["sim_time"], spiking["sim_time"]);
    assert_eq!(bare["spiking"]["spikes"], spiking["spiking"]["spikes"]);
    let network = json(&[
        "network",
        "--preset",
        "cuba",
        "--n",
        "400",
        "--duration",
        "200ms",
        "--json",
    ]);
    assert_eq!(network["duration_s"].as_f64(), Some(0.2), "{network}");
    let hopfield = json(&["run", "pattern-completion", "--duration", "5sweeps", "--json"]);
    assert_eq!(hopfield["sim_time"].as_f64(), Some(5.0), "{hopfield}");
    let refused = engram(&["run", "pattern-completion", "--duration", "2s"]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("in sweeps") && message.lines().count() == 1,
        "{message}"
    );
    let unknown = engram(&["network", "--duration", "2h"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown unit `h`"));
}
