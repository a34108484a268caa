//! Every shipped scenario loads, runs headless and shows what its text promises; broken files are
//! reported with the file and line.

use crate::common::shipped;
use engram::engine::headless::run_scenario;
use engram::scenario::{Scenario, builtin_texts};

#[test]
fn every_shipped_scenario_parses() {
    for (name, text) in builtin_texts() {
        Scenario::parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(engram::scenario::builtin().len(), builtin_texts().len());
}

#[test]
fn every_shipped_scenario_runs_briefly() {
    for (name, scenario) in engram::scenario::builtin() {
        // A few sweeps, or 20 ms: every family, from the registry.
        let short = if scenario.scene.time_unit() == "sweeps" {
            3.0
        } else {
            20.0
        };
        let report =
            run_scenario(&scenario, Some(short), |_, _| {}).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.steps > 0, "{name}");
    }
}

#[test]
fn pattern_completion_ends_on_the_cued_letter() {
    let scenario = shipped("pattern-completion");
    let report = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    let hopfield = report.observables.hopfield().expect("a Hopfield report");
    assert_eq!(hopfield.retrieved_pattern, Some(0), "{hopfield:?}");
    assert!(
        hopfield
            .energy_trace
            .windows(2)
            .all(|w| w[1][1] <= w[0][1] + 1e-9),
        "energy falls"
    );
}

#[test]
fn temperature_scenario_melts_the_memory_after_the_timeline_raises_t() {
    let scenario = shipped("temperature");
    let mut seen = HopfieldOverlaps::default();
    let report = engram::engine::headless::run_scenario_observed(&scenario, None, |_, _| {}, Some(&mut seen))
        .expect("runs");
    assert!(
        report.actions.iter().any(|a| a.contains("temperature")),
        "{:?}",
        report.actions
    );
    // |m| averaged over sweeps 15–30 (T = 1.3 from sweep 10). Above T_c = 1 the mean field has m = 0,
    // and a 256-neuron paramagnet fluctuates with var(m) ≈ T / (N (T − 1)), so ⟨|m|⟩ ≈ 0.1; below it
    // (T = 0.5 before sweep 10) m = tanh(m/T) = 0.96. The bound 0.25 fails a model whose T_c were 1.5
    // (m ≈ 0.46 at T = 1.3).
    let mean_abs = |from: f64, to: f64| {
        let window: Vec<f64> = seen
            .samples
            .iter()
            .filter(|(t, _)| *t >= from && *t <= to)
            .map(|(_, m)| m.abs())
            .collect();
        assert!(
            window.len() >= 10,
            "samples between {from} and {to}: {}",
            window.len()
        );
        window.iter().sum::<f64>() / window.len() as f64
    };
    let cold = mean_abs(3.0, 10.0);
    let hot = mean_abs(15.0, 30.0);
    assert!(
        (cold - 0.96).abs() < 0.05,
        "at T = 0.5 ⟨|m|⟩ = {cold}, mean field 0.96"
    );
    assert!(hot < 0.25, "melted at T = 1.3: ⟨|m|⟩ = {hot}");
}

/// Collects a Hopfield scene's overlap with the first pattern at every sample of a headless run.
#[derive(Default)]
struct HopfieldOverlaps {
    samples: Vec<(f64, f64)>,
}

impl engram::engine::headless::RunObserver for HopfieldOverlaps {
    fn info(&mut self, _info: &engram::families::SceneInfo) -> Result<(), String> {
        Ok(())
    }

    fn frame(&mut self, frame: &engram::families::SceneFrame, _sim_time: f64) -> Result<(), String> {
        if let engram::families::SceneFrame::Hopfield(f) = frame {
            self.samples.extend(
                f.samples
                    .iter()
                    .map(|s| (s.time_sweeps, f64::from(s.overlaps[0]))),
            );
        }
        Ok(())
    }
}

#[test]
fn broken_scenarios_name_the_file_and_line() {
    let cases = [
        ("", "missing field"),
        (
            "format = 1\nname = \"x\"\ndescription = \"y\"\n[scene]\nmodel = \"hopfield\"\nrule = 5\n",
            "line 6",
        ),
        (
            "format = 2\nname = \"x\"\ndescription = \"y\"\n[scene]\nmodel = \"spiking\"\npreset = \"cuba\"\nseed = 1\n",
            "format 2",
        ),
        (
            "format = 1\nname = \"x\"\ndescription = \"y\"\nduration = -3.0\n[scene]\nmodel = \"spiking\"\npreset = \"cuba\"\nseed = 1\n",
            "duration",
        ),
        (
            "format = 1\nname = \"x\"\ndescription = \"y\"\n[scene]\nmodel = \"spiking\"\npreset = \"nope\"\nseed = 1\n",
            "line 6",
        ),
    ];
    for (text, expected) in cases {
        let message = Scenario::parse(text, "bad.toml").expect_err(text).to_string();
        assert!(
            message.contains("bad.toml") && message.contains(expected),
            "{text:?}: {message}"
        );
    }
}

#[test]
fn a_timeline_switches_stdp_on_and_the_weights_move() {
    let text = "format = 1\nname = \"stdp\"\ndescription = \"d\"\nduration = 300.0\n\
        [scene]\nmodel = \"spiking\"\npreset = \"cuba\"\nseed = 2\n\
        [[timeline]]\nat = 10.0\naction = { do = \"stdp\", on = true }\n";
    let scenario = Scenario::parse(text, "stdp.toml").expect("valid");
    let report = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    assert!(
        report.actions.iter().any(|a| a == "at 10 ms: STDP on"),
        "{:?}",
        report.actions
    );
    let weight = report
        .observables
        .spiking()
        .expect("spiking report")
        .mean_exc_weight;
    assert!(
        (weight - 1.0).abs() > 1e-6,
        "STDP changed the mean E→E weight: {weight}"
    );
}

/// The spiking-memory scenario switches letters at each cue: at the end of each 600 ms slot the
/// network holds the letter last cued.
#[test]
fn spiking_memory_scenario_holds_each_cued_letter() {
    let scenario = shipped("spiking-memory");
    for (until_ms, letter) in [(750.0, "A"), (1350.0, "H"), (1950.0, "S"), (2400.0, "A")] {
        let report = run_scenario(&scenario, Some(until_ms), |_, _| {}).expect("runs");
        let memory = report
            .observables
            .spiking()
            .and_then(|s| s.memory.clone())
            .expect("a memory report");
        assert_eq!(
            memory.retrieved_label.as_deref(),
            Some(letter),
            "at {until_ms} ms: {memory:?}"
        );
    }
}

/// The STDP scenario: the early cue fades (nothing stored), the presentations strengthen synapses,
/// and at the end the corrupted cue has been completed to A.
#[test]
fn stdp_scenario_learns_the_presented_letter() {
    let scenario = shipped("stdp-learning");
    let before = run_scenario(&scenario, Some(650.0), |_, _| {}).expect("runs");
    let before = before.observables.spiking().cloned().expect("spiking");
    let memory = before.memory.as_ref().expect("memory");
    assert_eq!(
        memory.retrieved_pattern, None,
        "a trace before learning: {memory:?}"
    );
    let after = run_scenario(&scenario, None, |_, _| {})
        .expect("runs")
        .observables
        .spiking()
        .cloned()
        .expect("spiking");
    assert!(
        after.mean_exc_weight > before.mean_exc_weight + 0.1,
        "weights grew from {} to {}",
        before.mean_exc_weight,
        after.mean_exc_weight
    );
    let memory = after.memory.expect("memory");
    assert_eq!(memory.retrieved_label.as_deref(), Some("A"), "{memory:?}");
}

/// Collects a rate scene's overlap samples (one per ms) from a headless run.
#[derive(Default)]
struct RateOverlaps {
    times_ms: Vec<f64>,
    overlaps: Vec<Vec<f32>>,
}

impl engram::engine::headless::RunObserver for RateOverlaps {
    fn info(&mut self, _info: &engram::families::SceneInfo) -> Result<(), String> {
        Ok(())
    }

    fn frame(&mut self, frame: &engram::families::SceneFrame, _sim_time: f64) -> Result<(), String> {
        if let engram::families::SceneFrame::Rate(f) = frame {
            self.times_ms.extend(&f.times_ms);
            self.overlaps.extend(f.overlaps.iter().cloned());
        }
        Ok(())
    }
}

/// The rate scene's text promises: each cued pattern is retrieved and held (overlap above 0.9 and
/// the strongest) from 300 ms after its cue until the next action, and after the novel input the
/// network is back in a stored memory. Checked for the shipped seed and two others (the claim
/// must not hang on one draw of the patterns).
#[test]
fn rate_attractor_holds_each_cued_pattern_until_the_next_action() {
    let (_, shipped) = engram::scenario::builtin()
        .into_iter()
        .find(|(n, _)| n == "rate-attractor")
        .expect("shipped");
    let mut times: Vec<(f64, Option<usize>)> = shipped
        .timeline
        .iter()
        .map(|t| match t.action.read("rate") {
            Ok(engram::families::rate::RateVerb::Cue { pattern, .. }) => (t.at, Some(pattern)),
            _ => (t.at, None),
        })
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let end_ms = shipped.duration.expect("a duration");
    assert!(times.iter().filter(|t| t.1.is_some()).count() >= 3, "{times:?}");
    assert!(
        times.iter().any(|t| t.1.is_none()),
        "a novel input in the timeline"
    );
    for seed in [1, 2, 3] {
        let mut scenario = shipped.clone();
        scenario.scene.set_seed(seed);
        let mut seen = RateOverlaps::default();
        let report =
            engram::engine::headless::run_scenario_observed(&scenario, None, |_, _| {}, Some(&mut seen))
                .expect("runs");
        assert_eq!(report.actions.len(), times.len(), "{:?}", report.actions);
        for (k, &(at, cued)) in times.iter().enumerate() {
            let until = times.get(k + 1).map_or(end_ms, |t| t.0);
            let window = seen
                .times_ms
                .iter()
                .zip(&seen.overlaps)
                .filter(|(t, _)| **t >= at + 300.0 && **t <= until);
            let mut samples = 0;
            for (t, m) in window {
                samples += 1;
                let m: Vec<f64> = m.iter().map(|&x| f64::from(x)).collect();
                let best = engram::families::rate::model::retrieved(&m);
                match cued {
                    Some(mu) => {
                        assert!(
                            m[mu] > 0.9 && best == Some(mu),
                            "seed {seed}: at {t} ms pattern {} has m = {:.3} (strongest {best:?})",
                            mu + 1,
                            m[mu]
                        );
                    }
                    // After a novel input the network must be in some stored memory by the next
                    // cue (it may wander before: the novel input pushed it out of the last one).
                    None if *t >= until - 1.0 => {
                        assert!(
                            best.is_some_and(|b| m[b] > 0.9),
                            "seed {seed}: at {t} ms no memory: {m:?}"
                        )
                    }
                    None => {}
                }
            }
            assert!(
                samples as f64 >= (until - at - 300.0) - 2.0,
                "seed {seed}: {samples} samples after {at} ms"
            );
        }
    }
}

/// The sampling scenario's promise, read from its report at 39.9 s (evidence 1??0?, 19,900 samples
/// of the posterior) and at its end (no evidence, T = 2, 20,000 samples): sequential Gibbs and the
/// corrected neural sampler are close to the exact distribution, parallel Gibbs and the uncorrected
/// sampler are not. Bounds from E[KL] ≈ (K − 1)/(2 n_eff) with K the states with p > 0 (8 of the
/// posterior's, 32 of the prior's): n_eff ≥ n/5 for Gibbs, n/τ = n/20 for the neural sampler
/// (the model tests' assumptions), so Gibbs < 7/(2·3,980) = 0.0009 and neural < 7/(2·995) = 0.0035
/// on the posterior; Gibbs < 31/(2·4,000) = 0.0039 and neural < 31/(2·1,000) = 0.0155 at the end.
#[test]
fn sampling_inference_samples_the_posterior_then_the_hot_prior() {
    let scenario = shipped("sampling-inference");
    for (duration, clamp, gibbs_bound, neural_bound) in [
        (39_900.0, "1??0?", 0.0009, 0.0035),
        (60_000.0, "", 0.0039, 0.0155),
    ] {
        let report = run_scenario(&scenario, Some(duration), |_, _| {}).expect("runs");
        let engram::families::SceneReport::Sampling(sampling) = &report.observables else {
            panic!("a sampling report");
        };
        assert_eq!(sampling.clamp, clamp);
        let kl = |key: &str| {
            let s = sampling
                .samplers
                .iter()
                .find(|s| s.sampler == key)
                .expect("every sampler");
            s.kl.expect("exact reference at 5 units")
        };
        assert!(
            kl("gibbs") < gibbs_bound,
            "{duration} ms: Gibbs KL {}",
            kl("gibbs")
        );
        assert!(
            kl("neural") < neural_bound,
            "{duration} ms: neural KL {}",
            kl("neural")
        );
        assert!(
            kl("gibbs-parallel") > 0.1,
            "{duration} ms: parallel KL {}",
            kl("gibbs-parallel")
        );
        assert!(
            kl("neural-uncorrected") > 0.1,
            "{duration} ms: uncorrected KL {}",
            kl("neural-uncorrected")
        );
        if !clamp.is_empty() {
            let m = sampling.exact_marginals.as_ref().expect("exact");
            assert!(
                (m[0] - 1.0).abs() < 1e-12 && m[3] == 0.0,
                "the clamped units are certain: {m:?}"
            );
        }
    }
}

/// The Boltzmann machine scenario's promise: by 3 s (300 epochs) the mean log-likelihood of the
/// data is within 0.05 nats of its best, −ln 14 (the model test measures −2.670 against −2.639);
/// with the top row of a bar pattern clamped (1 0 1), the only completion is that bar pattern, so
/// the exact posterior puts pixels 4–9 at 1 0 1 1 0 1 with probability above 0.9 each, the dreams'
/// frequencies agree with it within 0.1 (2,900 Gibbs sweeps, strongly correlated: a loose bound),
/// and more than 90 % of the dreams are bars or stripes.
#[test]
fn the_boltzmann_machine_learns_then_completes_a_bar_from_its_top_row() {
    let scenario = shipped("boltzmann-dreams");
    let report = run_scenario(&scenario, Some(7_900.0), |_, _| {}).expect("runs");
    let engram::families::SceneReport::Sampling(sampling) = &report.observables else {
        panic!("a sampling report");
    };
    let machine = sampling.machine.as_ref().expect("a machine report");
    assert_eq!(machine.epochs, 300);
    assert!(
        machine.log_likelihood > machine.best_log_likelihood - 0.05,
        "{} vs {}",
        machine.log_likelihood,
        machine.best_log_likelihood
    );
    assert_eq!(machine.clamp, "101??????");
    let exact = machine
        .exact_visible_marginals
        .as_ref()
        .expect("learning is over");
    let bar = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    for (k, &want) in bar.iter().enumerate() {
        let pixel = k + 3;
        assert!(
            (exact[pixel] - want).abs() < 0.1,
            "pixel {pixel}: exact {}",
            exact[pixel]
        );
        let sampled = machine.visible_marginals[pixel];
        assert!(
            (sampled - exact[pixel]).abs() < 0.1,
            "pixel {pixel}: sampled {sampled}, exact {}",
            exact[pixel]
        );
    }
    assert!(
        machine.valid_dream_fraction > 0.9,
        "{}",
        machine.valid_dream_fraction
    );
}

/// The letters scenario's promise: by 3 s (300 epochs of CD-1) the reconstruction error is below
/// 0.01 (the command line measures 0.0008 from 0.25); with the top half of H clamped (at 5 s) the
/// sampled bottom half is H's: every pixel's frequency since the clamp is on the letter's side of
/// 0.5 and, averaged, within 0.1 of it (2,900 sweeps of a chain that holds a letter strongly); the
/// same for S at 8 s; and more than 90 % of the dreams share at least 90 % of their pixels with a
/// letter. A restricted machine reports no exact likelihood or posterior.
#[test]
fn the_restricted_machine_learns_letters_then_completes_h_and_s() {
    let scenario = shipped("letter-dreams");
    let (data, _, _) =
        engram::families::sampling::model::letters(&["A".into(), "H".into(), "S".into()]).expect("letters");
    for (until_ms, letter) in [(7_900.0, 1), (10_900.0, 2)] {
        let report = run_scenario(&scenario, Some(until_ms), |_, _| {}).expect("runs");
        let engram::families::SceneReport::Sampling(sampling) = &report.observables else {
            panic!("a sampling report");
        };
        let machine = sampling.machine.as_ref().expect("a machine report");
        assert_eq!(machine.epochs, 300);
        let error = machine.reconstruction_error.expect("a restricted machine");
        assert!(error < 0.01, "reconstruction error {error}");
        assert!(machine.log_likelihood.is_nan() && machine.exact_visible_marginals.is_none());
        let want = &data[letter];
        assert_eq!(machine.clamp.chars().filter(|&c| c != '?').count(), 128);
        let bottom = 128..256;
        let mut total_gap = 0.0;
        for pixel in bottom.clone() {
            let sampled = machine.visible_marginals[pixel];
            let target = f64::from(want[pixel]);
            assert!(
                (sampled - target).abs() < 0.5,
                "letter {letter}, pixel {pixel}: sampled {sampled}, letter {target}"
            );
            total_gap += (sampled - target).abs();
        }
        let mean_gap = total_gap / bottom.len() as f64;
        assert!(mean_gap < 0.1, "letter {letter}: mean gap {mean_gap}");
        assert!(
            machine.valid_dream_fraction > 0.9,
            "{}",
            machine.valid_dream_fraction
        );
    }
}

/// Couplings and biases written in a scenario are the distribution sampled: two units with
/// W_12 = 1, b = (0, −1) give log-weights 0, 0, −1, 0 for z = 00, 10, 01, 11, so
/// p(00) = 1/(3 + e^{−1}); and the report's exact marginal of unit 1 is (1 + 1)/(3 + e^{−1}).
#[test]
fn a_scenario_can_give_the_couplings_by_hand() {
    let text = r#"
format = 1
name = "Two units"
description = "W and b by hand."
duration = 1000.0

[scene]
model = "sampling"
units = 2
seed = 3
weights = [[0.0, 1.0], [1.0, 0.0]]
biases = [0.0, -1.0]
"#;
    let scenario = Scenario::parse(text, "two-units.toml").expect("valid");
    let report = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    let engram::families::SceneReport::Sampling(sampling) = &report.observables else {
        panic!("a sampling report");
    };
    let z = 3.0 + (-1.0f64).exp();
    let marginals = sampling.exact_marginals.as_ref().expect("exact");
    assert!((marginals[0] - 2.0 / z).abs() < 1e-12, "{marginals:?}");
    assert!(
        (marginals[1] - (1.0 + (-1.0f64).exp()) / z).abs() < 1e-12,
        "{marginals:?}"
    );
}

/// The neuron-lab scenario: the squid axon fires only inside the 10 µA/cm² windows (50–350 and
/// 550–850 ms), repetitively (about 68 Hz: 20 spikes per window, 18–23 allowed for the onset),
/// spikes peaking near +40 mV with an after-hyperpolarisation near −75 mV.
#[test]
fn neuron_lab_scenario_fires_inside_the_current_windows() {
    let scenario = shipped("neuron-lab");
    let report = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    let cell = report.observables.neuron_lab().expect("a neuron-lab report");
    for (from, to) in [(50.0, 350.0), (550.0, 850.0)] {
        let inside = cell
            .spikes_ms
            .iter()
            .filter(|&&t| t >= from && t < to + 1.0)
            .count();
        assert!(
            (18..=23).contains(&inside),
            "{inside} spikes in {from}..{to}: {:?}",
            cell.spikes_ms
        );
    }
    let outside = cell
        .spikes_ms
        .iter()
        .filter(|&&t| !((50.0..351.0).contains(&t) || (550.0..851.0).contains(&t)))
        .count();
    assert_eq!(outside, 0, "{:?}", cell.spikes_ms);
    assert!(
        (35.0..45.0).contains(&cell.peak_mv) && (-78.0..-72.0).contains(&cell.lowest_mv),
        "{cell:?}"
    );
    assert!(
        cell.rheobase.is_some_and(|r| (r - 6.26).abs() < 0.03),
        "{:?}",
        cell.rheobase
    );
}

/// The Oja scenario: within 10° of the leading axis well before the turn at 4,000 samples (τ = 67
/// samples), and again after the data turn to 100° (70° away: 2.8 τ by the averaged dynamics, so
/// within 10° by 4,500), with |w| within 2 % of 1, while plain Hebb's |w| has passed 10³⁰.
#[test]
fn oja_scenario_finds_and_follows_the_principal_axis() {
    let scenario = shipped("oja-pca");
    let before = run_scenario(&scenario, Some(3900.0), |_, _| {}).expect("runs");
    let early = before.observables.hebbian().expect("a Hebbian report");
    assert!(early.samples_to_10_deg.is_some_and(|s| s < 1000.0), "{early:?}");
    assert!(early.angles_deg[0] < 10.0, "{early:?}");
    let after = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    let late = after.observables.hebbian().expect("a Hebbian report");
    assert!(
        late.angles_deg[0] < 10.0 && (late.norms[0] - 1.0).abs() < 0.02,
        "{late:?}"
    );
    assert!(late.hebb_log10_norm > 30.0, "{late:?}");
}

/// The continuous-memory scenario: O retrieved from its noisy upper half by update 4 (β = 0.5), a
/// blend of the similar letters while β = 0.02 (no cosine reaches 0.95), one letter again once β is
/// back at 0.5.
#[test]
fn continuous_memory_scenario_retrieves_melts_and_falls_into_a_letter() {
    let scenario = shipped("continuous-memory");
    let at = |updates: f64| {
        let report = run_scenario(&scenario, Some(updates), |_, _| {}).expect("runs");
        report
            .observables
            .continuous()
            .expect("a continuous report")
            .clone()
    };
    assert_eq!(at(4.0).retrieved, Some(0), "O");
    let melted = at(8.0);
    assert!(
        melted.retrieved.is_none() && melted.cosines.iter().all(|&c| c < 0.95),
        "{melted:?}"
    );
    assert!(at(12.0).retrieved.is_some());
}

/// The AdEx population adapts: its rate over the first 100 ms is more than twice its rate over the
/// whole second (about 50 Hz at first against 17 Hz; the neuron lab's intervals, 11 ms growing to 76 ms).
#[test]
fn adex_population_scenario_adapts() {
    let scenario = shipped("adex-population");
    let rate = |ms: f64| {
        let report = run_scenario(&scenario, Some(ms), |_, _| {}).expect("runs");
        report.observables.spiking().expect("a spiking report").rate_hz
    };
    let (early, whole) = (rate(100.0), rate(1000.0));
    assert!(
        early > 2.0 * whole && whole > 5.0,
        "{early} Hz at first, {whole} Hz over 1 s"
    );
}

/// The criticality scenario: at m = 0.98 the activity sits at h/(1 − m) = 100 (within 5 %), the
/// multistep-regression estimate from 1 % of the units finds m within 0.01 while the conventional
/// one says about 0.17; after the switch to 0.995 the estimate follows (above 0.985), and the
/// avalanches of the undriven network have a size exponent near 3/2 and a duration exponent near
/// the exact law's 1.80 (fitted over 5–300 steps; see `duration_survival`).
#[test]
fn criticality_scenario_estimates_m_from_a_subsample_and_measures_avalanches() {
    let scenario = shipped("criticality");
    let report = run_scenario(&scenario, Some(20_000.0), |_, _| {}).expect("runs");
    let r = report
        .observables
        .branching()
        .expect("a branching report")
        .clone();
    assert!((r.mean_activity - 100.0).abs() < 5.0, "{r:?}");
    assert!(r.m_mr.is_some_and(|m| (m - 0.98).abs() < 0.01), "{r:?}");
    assert!(r.m_conventional.is_some_and(|m| m < 0.3), "{r:?}");
    let report = run_scenario(&scenario, None, |_, _| {}).expect("runs");
    let r = report
        .observables
        .branching()
        .expect("a branching report")
        .clone();
    assert!(r.m_mr.is_some_and(|m| m > 0.985), "{r:?}");
    assert!(r.size_exponent.is_some_and(|a| (a - 1.5).abs() < 0.1), "{r:?}");
    assert!(
        r.duration_exponent.is_some_and(|a| (a - 1.8).abs() < 0.1),
        "{r:?}"
    );
}
