//! Bad input gets a clear message: every file of the `tests/broken_files/` corpus (empty,
//! truncated, wrong types, huge numbers, NaN and infinity, wrong version, unknown names) is refused
//! with a message naming the file, the problem and, where the reader knows it, the line; and the
//! command line answers the same files and bad numeric flags with a non-zero exit and one line on
//! stderr, never a panic or a backtrace.

use std::path::PathBuf;
use std::process::Command;

use engram::families::Scene;
use engram::hopfield::PatternSet;
use engram::scenario::Scenario;

fn corpus(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken_files")
        .join(file)
}

fn read(file: &str) -> String {
    let bytes = std::fs::read(corpus(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The message for a scenario file: from the reader, or from building its scene if the reader
/// accepts it (what `engram run` and the app do next).
fn scenario_message(file: &str) -> String {
    match Scenario::parse(&read(file), file) {
        Err(e) => e.to_string(),
        Ok(scenario) => match Scene::build(&scenario.scene) {
            Err(e) => format!("{file}: {e}"),
            Ok(_) => panic!("{file} was accepted"),
        },
    }
}

/// (file, words the message must contain, line the message must name).
const SCENARIOS: &[(&str, &[&str], Option<usize>)] = &[
    ("empty.toml", &["missing field `format`"], None),
    ("truncated.toml", &["unclosed table"], Some(6)),
    ("truncated_string.toml", &["invalid basic string"], Some(2)),
    ("missing_scene.toml", &["missing field `scene`"], None),
    ("missing_format.toml", &["missing field `format`"], None),
    ("wrong_type_duration.toml", &["invalid type", "string"], Some(4)),
    ("wrong_type_seed.toml", &["invalid value"], Some(9)),
    ("huge_neurons.toml", &["invalid type", "floating point"], Some(6)),
    ("huge_neurons_integer.toml", &["at most 2,000,000"], None),
    ("zero_neurons.toml", &["at least 10 neurons"], None),
    (
        "huge_duration.toml",
        &["duration", "longer than engram runs"],
        None,
    ),
    (
        "nan_duration.toml",
        &["duration must be a positive number", "NaN"],
        None,
    ),
    (
        "inf_duration.toml",
        &["duration must be a positive number", "inf"],
        None,
    ),
    (
        "negative_duration.toml",
        &["duration must be a positive number", "-5"],
        None,
    ),
    ("wrong_version.toml", &["format 2 is not supported"], Some(1)),
    (
        "wrong_version_new_fields.toml",
        &["format 3 is not supported"],
        Some(1),
    ),
    ("unknown_field.toml", &["unknown field `colour`"], Some(10)),
    (
        "unknown_preset.toml",
        &["unknown variant `hodgkin-huxley`"],
        Some(8),
    ),
    ("unknown_model.toml", &["unknown variant `boltzmann`"], Some(7)),
    ("unknown_rule.toml", &["unknown variant `magic`"], Some(8)),
    (
        "unknown_action.toml",
        &["`explode` does not apply to a hopfield scene", "`store-state`"],
        Some(18),
    ),
    (
        "unknown_rule_in_action.toml",
        &["action `rule`", "unknown variant `hebbian-ish`", "`storkey`"],
        Some(18),
    ),
    (
        "unknown_field_in_action.toml",
        &["action `temperature`", "unknown field `colour`"],
        Some(18),
    ),
    ("unknown_update.toml", &["unknown update `quantum`"], Some(9)),
    (
        "nan_softmax_beta.toml",
        &["β must be a positive number", "NaN"],
        None,
    ),
    (
        "negative_softmax_beta.toml",
        &["timeline entry 1", "β must be a positive number"],
        None,
    ),
    ("nan_temperature.toml", &["temperature", "NaN"], None),
    (
        "inf_timeline_temperature.toml",
        &["timeline entry 1", "temperature", "inf"],
        None,
    ),
    (
        "nan_timeline_time.toml",
        &["timeline entry 1", "`at`", "NaN"],
        None,
    ),
    ("cue_flip_out_of_range.toml", &["cue_flip", "1.5"], None),
    ("cue_pattern_missing.toml", &["no stored pattern 7"], None),
    ("unknown_label.toml", &["no pattern labelled `Ω`"], None),
    (
        "unknown_pattern_set.toml",
        &["no built-in pattern set `hieroglyphs`"],
        None,
    ),
    ("huge_random_grid.toml", &["more than engram holds"], None),
    ("huge_pattern_count.toml", &["more than engram holds"], None),
    ("nan_correlation.toml", &["difference", "NaN"], None),
    ("binary_garbage.toml", &["line 3"], None),
    ("rate_unknown_param.toml", &["unknown field `gian`"], None),
    (
        "rate_huge_network.toml",
        &["synapses", "engram builds at most"],
        None,
    ),
    (
        "rate_flipped_cue.toml",
        &["timeline entry 1", "use flip = 0"],
        None,
    ),
    ("rate_nan_tau.toml", &["tau_ms", "NaN"], None),
    (
        "sampling_bad_clamp.toml",
        &["scene.clamp", "character 3", "`x`"],
        None,
    ),
    (
        "sampling_huge_units.toml",
        &["scene.units", "between 1 and 200"],
        None,
    ),
    (
        "sampling_zero_temperature.toml",
        &["temperature T must be in (0, 1000]"],
        None,
    ),
    (
        "sampling_asymmetric_weights.toml",
        &["W must be symmetric", "W_1,2 = 1"],
        None,
    ),
    (
        "sampling_cue_action.toml",
        &["timeline entry 1", "does not apply to a sampling scene"],
        None,
    ),
];

#[test]
fn every_broken_scenario_file_gets_a_clear_message() {
    for &(file, words, line) in SCENARIOS {
        let message = scenario_message(file);
        assert!(
            message.starts_with(file),
            "{file}: the message does not name the file: {message}"
        );
        for word in words {
            assert!(message.contains(word), "{file}: expected `{word}` in: {message}");
        }
        if let Some(line) = line {
            assert!(
                message.contains(&format!("line {line}:")),
                "{file}: expected line {line} in: {message}"
            );
        }
        assert!(
            !message.contains('\n'),
            "{file}: the message is one line: {message:?}"
        );
    }
}

#[test]
fn the_corpus_holds_no_scenario_the_test_forgets() {
    let mut listed: Vec<&str> = SCENARIOS.iter().map(|(file, _, _)| *file).collect();
    listed.extend(PATTERN_FILES.iter().map(|(file, _, _)| *file));
    listed.extend(IMAGES.iter().map(|(file, _)| *file));
    for entry in std::fs::read_dir(corpus("")).expect("the corpus folder") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            listed.contains(&name.as_str()),
            "{name} is in the corpus but not tested"
        );
    }
}

/// (file, words the message must contain, line the message must name).
const PATTERN_FILES: &[(&str, &[&str], usize)] = &[
    ("empty.txt", &["empty"], 1),
    ("comments_only.txt", &["empty"], 1),
    ("ragged_rows.txt", &["must have 4 characters", "has 3"], 6),
    ("bad_character.txt", &["unexpected character `x`"], 5),
    ("too_few_rows.txt", &["pattern `a` has 2 rows, expected 3"], 7),
    ("too_many_rows.txt", &["more than 2 rows"], 6),
    (
        "truncated_last_pattern.txt",
        &["pattern `b` has 1 rows, expected 3"],
        9,
    ),
    ("no_size.txt", &["must start with `size WxH`"], 1),
    ("size_twice.txt", &["`size` given twice"], 2),
    ("bad_size.txt", &["expected `size WIDTHxHEIGHT`"], 1),
    ("huge_size.txt", &["1 to 1024"], 1),
    ("zero_size.txt", &["1 to 1024"], 1),
    ("no_label.txt", &["needs a label"], 2),
    ("duplicate_label.txt", &["label `a` is used twice"], 5),
    ("row_before_label.txt", &["before the first `= label`"], 2),
    ("size_only.txt", &["no pattern"], 1),
];

#[test]
fn every_broken_pattern_file_gets_a_clear_message_with_its_line() {
    for &(file, words, line) in PATTERN_FILES {
        let message = PatternSet::parse(&read(file), file).expect_err(file).to_string();
        assert!(
            message.starts_with(&format!("{file}, line {line}: ")),
            "{file}: expected the file and line {line}: {message}"
        );
        for word in words {
            assert!(message.contains(word), "{file}: expected `{word}` in: {message}");
        }
    }
}

/// (file, words the message must contain).
const IMAGES: &[(&str, &[&str])] = &[
    ("empty.png", &["could not read the image"]),
    ("not_png.png", &["could not read the image"]),
    ("truncated.png", &["could not read the image"]),
    ("bad_crc.png", &["could not read the image"]),
    ("huge_header.png", &["could not read the image"]),
    ("too_wide.png", &["1 to 1024 pixels a side", "2000×2"]),
];

#[test]
fn broken_images_are_refused_with_the_reason() {
    for &(file, words) in IMAGES {
        let bytes = std::fs::read(corpus(file)).expect(file);
        let message = PatternSet::from_png(&bytes, file).expect_err(file).to_string();
        assert!(
            message.contains(file),
            "{file}: the message does not name the file: {message}"
        );
        for word in words {
            assert!(message.contains(word), "{file}: expected `{word}` in: {message}");
        }
    }
}

fn engram(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_engram"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs")
}

/// The command fails with exit code 1 and a single `error:` line (clap may add its "--help" hint),
/// never a panic or a backtrace. Returns that line.
fn fails_with_one_line(args: &[&str]) -> String {
    let out = engram(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded: {stderr}");
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{args:?} ended with {:?} (a crash?): {stderr}",
        out.status
    );
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(bad), "{args:?}: `{bad}` on stderr: {stderr}");
    }
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("error:")),
        "{args:?}: {stderr}"
    );
    assert!(
        lines[1..].iter().all(|l| l.contains("--help")),
        "{args:?}: more than one line: {stderr}"
    );
    lines[0].to_string()
}

#[test]
fn engram_run_refuses_every_broken_scenario_in_one_line_naming_the_file() {
    for &(file, words, _) in SCENARIOS {
        let path = corpus(file);
        let path = path.to_string_lossy();
        let line = fails_with_one_line(&["run", &path, "--duration", "1"]);
        assert!(line.contains(&*path), "{file}: the file is not named: {line}");
        // The reader's own words reach the command line (the binary file fails earlier, as text).
        if file != "binary_garbage.toml" {
            assert!(
                line.contains(words[0]),
                "{file}: expected `{}` in: {line}",
                words[0]
            );
        } else {
            assert!(line.contains("UTF-8"), "{file}: {line}");
        }
    }
}

#[test]
fn hopfield_recall_refuses_broken_pattern_files_in_one_line_naming_the_file() {
    let files = PATTERN_FILES.iter().map(|(file, _, _)| *file);
    for file in files.chain(IMAGES.iter().map(|(file, _)| *file)) {
        let path = corpus(file);
        let path = path.to_string_lossy();
        let line = fails_with_one_line(&["hopfield", "recall", "--set", &path]);
        assert!(line.contains(&*path), "{file}: the file is not named: {line}");
    }
}

#[test]
fn bad_numeric_flags_are_refused_with_the_reason() {
    let cases: &[(&[&str], &str)] = &[
        (&["neuron", "--tau-m-ms", "-5"], "membrane time constant"),
        (&["neuron", "--tau-m-ms", "NaN"], "finite"),
        (&["neuron", "--tau-m-ms", "inf"], "finite"),
        (&["neuron", "--mu", "nan"], "μ must be finite"),
        (&["neuron", "--sigma", "-1"], "σ ≥ 0"),
        (&["neuron", "--duration", "1e300"], "--duration"),
        (&["neuron", "--duration", "-1"], "--duration"),
        (&["neuron", "--dt-ms", "0"], "time step"),
        (&["neuron", "--dt-ms", "1e-300"], "steps, more than engram runs"),
        (
            &["neuron", "--reset-mv", "-70", "--threshold-mv", "-80"],
            "below threshold",
        ),
        (&["neuron", "--refractory-ms", "-2"], "refractory"),
        (&["neuron", "--bins", "0"], "--bins"),
        (&["neuron", "--bins", "99999999999999999999999"], "too large"),
        (&["neuron", "--model", "hh"], "unknown model"),
        (&["network", "--preset", "cuba", "--n", "0"], "--n"),
        (
            &["network", "--preset", "cuba", "--n", "5"],
            "at least 10 neurons",
        ),
        (
            &["network", "--preset", "cuba", "--n", "100000000000"],
            "at most 2,000,000",
        ),
        (
            &["network", "--preset", "cuba", "--n", "-3"],
            "invalid value '-3'",
        ),
        (
            &["network", "--preset", "cuba", "--duration", "nan"],
            "--duration",
        ),
        (
            &["network", "--preset", "cuba", "--duration", "1e300"],
            "--duration",
        ),
        (&["hopfield", "capacity", "--n", "100000000000"], "GiB"),
        (&["hopfield", "capacity", "--n", "18446744073709551615"], "GiB"),
        (
            &["hopfield", "capacity", "--n", "100", "--trials", "0"],
            "--trials",
        ),
        (
            &["hopfield", "capacity", "--n", "100", "--alphas", "nan"],
            "--alphas",
        ),
        (
            &["hopfield", "capacity", "--n", "100", "--alphas", "1e300"],
            "more than engram holds",
        ),
        (
            &["hopfield", "capacity", "--n", "100", "--cue-flip", "nan"],
            "--cue-flip",
        ),
        (
            &["hopfield", "stability", "--n", "100", "--alpha", "inf"],
            "--alpha",
        ),
        (&["hopfield", "stability", "--n", "100000000000"], "GiB"),
        (&["hopfield", "temperature", "--n", "100000000000"], "GiB"),
        (
            &["hopfield", "temperature", "--n", "100", "--temperatures", "nan"],
            "--temperatures",
        ),
        (
            &["hopfield", "temperature", "--n", "100", "--temperatures", "-1"],
            "--temperatures",
        ),
        (
            &["hopfield", "temperature", "--n", "100", "--patterns", "0"],
            "--patterns",
        ),
        (&["hopfield", "dense", "--n", "100000000000"], "GiB"),
        (
            &["hopfield", "dense", "--update", "softmax", "--beta", "nan"],
            "β",
        ),
        (&["hopfield", "dense", "--update", "softmax", "--beta", "-1"], "β"),
        (&["hopfield", "dense", "--update", "poly:1000"], "poly:K"),
        (
            &["hopfield", "dense", "--n", "100", "--patterns", "0"],
            "--patterns",
        ),
        (
            &["run", "pattern-completion", "--duration", "1e300"],
            "--duration",
        ),
        (&["run", "pattern-completion", "--duration", "nan"], "--duration"),
        (&["run", "pattern-completion", "--duration", "-1"], "--duration"),
        (
            &["run", "pattern-completion", "--seed", "-1"],
            "invalid value '-1'",
        ),
    ];
    for &(args, expected) in cases {
        let line = fails_with_one_line(args);
        assert!(
            line.contains(expected),
            "{args:?}: expected `{expected}` in: {line}"
        );
    }
}
