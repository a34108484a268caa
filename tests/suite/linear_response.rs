//! Correlations predicted from connectivity: Hawkes units on random E/I couplings against the
//! linear-response covariance C = (I − W)⁻¹ D (I − W)⁻ᵀ, which is exact for them while rates stay
//! positive. The setting: 50 units (40 E, 10 I), p = 0.2, w = 0.08, g = 1.5, μ = 20 Hz, kernels of
//! 20 ms, counts in 1 s windows over 2,000 s. The estimation noise of a covariance from 2,000 windows
//! is about 2 % of a variance; over five seeds at 1,000 s the pair correlation was 0.88–0.93.

use engram::analysis::linear_response::{
    LinearResponse, count_covariance_hz, off_diagonal_correlation, random_coupling, simulate_hawkes_counts,
};
use faer::Mat;

/// Two units, 1 → 0 only: the closed forms r_0 = μ_0 + w μ_1, C_00 = r_0 + w² r_1, C_01 = w r_1.
#[test]
fn two_units_match_the_closed_form() {
    let w = 0.5;
    let coupling = Mat::<f64>::from_fn(2, 2, |i, j| if (i, j) == (0, 1) { w } else { 0.0 });
    let theory = LinearResponse::new(coupling, vec![10.0, 20.0]).expect("stable");
    let r0 = 10.0 + w * 20.0;
    assert!((theory.rates_hz[0] - r0).abs() < 1e-12);
    assert!((theory.covariance_hz[(0, 0)] - (r0 + w * w * 20.0)).abs() < 1e-12);
    assert!((theory.covariance_hz[(0, 1)] - w * 20.0).abs() < 1e-12);
    assert!((theory.covariance_hz[(1, 1)] - 20.0).abs() < 1e-12);
    assert_eq!(theory.spectral_radius, 0.0);
}

/// An unstable or negative-rate coupling is refused with its reason.
#[test]
fn unstable_couplings_are_refused() {
    let runaway = Mat::<f64>::from_fn(2, 2, |i, j| if i != j { 1.2 } else { 0.0 });
    let err = LinearResponse::new(runaway, vec![1.0, 1.0]).unwrap_err();
    assert!(err.contains("spectral radius"), "{err}");
    let silenced = Mat::<f64>::from_fn(2, 2, |i, j| if (i, j) == (0, 1) { -0.9 } else { 0.0 });
    let err = LinearResponse::new(silenced, vec![1.0, 5.0]).unwrap_err();
    assert!(err.contains("≤ 0"), "{err}");
}

#[test]
fn simulated_covariances_follow_linear_response() {
    let (n, n_exc) = (50, 40);
    let coupling = random_coupling(n, n_exc, 0.2, 0.08, 1.5, 3);
    let theory = LinearResponse::new(coupling, vec![20.0; n]).expect("stable, positive rates");
    let counts = simulate_hawkes_counts(&theory, 20.0, 0.5, 1.0, 2000, 3);
    let (measured, rates) = count_covariance_hz(&counts, 1.0);
    for (i, (&r, &predicted)) in rates.iter().zip(&theory.rates_hz).enumerate() {
        // A rate from 2,000 s of ~30 Hz with variance ≤ 3× Poisson is known to ~1 %; 6 % leaves room
        // for the rare rectified (negative) rate the theory ignores.
        assert!(
            (r / predicted - 1.0).abs() < 0.06,
            "unit {i}: {r} Hz vs {predicted} Hz"
        );
    }
    let correlation = off_diagonal_correlation(&theory.covariance_hz, &measured);
    assert!(correlation > 0.9, "pair correlation {correlation}");
    // Population averages: the same sign and within 25 % (measured at 1,000 s: 3–26 %).
    let average = |m: &Mat<f64>, a: std::ops::Range<usize>, b: std::ops::Range<usize>| {
        let pairs: Vec<f64> = a
            .flat_map(|i| b.clone().filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[(i, j)])
            .collect();
        pairs.iter().sum::<f64>() / pairs.len() as f64
    };
    for (name, a, b) in [
        ("E-E", 0..n_exc, 0..n_exc),
        ("E-I", 0..n_exc, n_exc..n),
        ("I-I", n_exc..n, n_exc..n),
    ] {
        let (p, m) = (
            average(&theory.covariance_hz, a.clone(), b.clone()),
            average(&measured, a, b),
        );
        assert!(
            p * m > 0.0 && (m / p - 1.0).abs() < 0.25,
            "{name}: predicted {p}, measured {m}"
        );
    }
}

// --- Spiking networks: the prediction from the effective coupling -----------------------------

use engram::families::spiking::correlations::CountCovariance;

/// Counting: two neurons driven by one shared and two private Poisson trains (rates a, b, c)
/// have count covariance per second equal to the shared rate (with long windows, exactly).
#[test]
fn count_covariance_measures_a_shared_source() {
    use rand::RngExt;
    let mut rng = engram::rng::substream(5, 1);
    let (shared, own) = (10.0, 20.0);
    let dt_ms = 1.0;
    let mut counter = CountCovariance::new(3, vec![0, 2], dt_ms, 1000.0);
    for _ in 0..2_000_000 {
        let mut spikes = Vec::new();
        let common = rng.random::<f64>() < shared * dt_ms / 1000.0;
        for neuron in [0u32, 2] {
            if common || rng.random::<f64>() < own * dt_ms / 1000.0 {
                spikes.push(neuron);
            }
        }
        counter.observe(&spikes);
    }
    let (c, fano) = counter.covariance_hz().expect("2,000 windows");
    // 2,000 windows: the covariance estimate's standard error is about 0.1 Hz here.
    assert!(
        (c[1] - shared).abs() < 0.6,
        "covariance {} Hz, shared {shared} Hz",
        c[1]
    );
    assert!((c[0] - (shared + own)).abs() < 1.5, "variance {} Hz", c[0]);
    // Bernoulli per 1 ms step: Fano 1 − p ≈ 0.97.
    assert!((fano[0] - 0.97).abs() < 0.08, "Fano {}", fano[0]);
    let rates = counter.rates_hz();
    assert!((rates[0] - 29.85).abs() < 0.5 && rates[1] == 0.0, "{rates:?}");
}

/// The E/I network (1,000 LIF neurons, the scene's scenario) against linear response over 100 s
/// in 500 ms windows, pooled over seeds 1–4: one seed's 200 windows leave a counting noise about
/// the size of the averages themselves (seed by seed, E-E ran from −0.0006 to +0.024 Hz against
/// +0.014 predicted, and I-I changed sign between seeds), so a check on one seed held or failed
/// with the random streams. Measured (pooled): E-E +0.0176 (predicted +0.0142), E-I +0.0201
/// (+0.0197), I-I −0.015 (−0.045) Hz. E-E and E-I: the predicted sign and within a factor of 2.
/// I-I: linear response overpredicts the inhibitory anticorrelation here (strong inhibitory
/// feedback and fast oscillations; at 2,000 neurons over 300 s it was −0.0014 against −0.064), so
/// the check is that the prediction is negative and overestimates the measured anticorrelation,
/// |measured| < |predicted|.
#[test]
fn ei_network_covariances_have_the_predicted_sign_and_size() {
    let seeds = 1..=4u64;
    let mut pooled: Vec<(String, f64, f64)> = Vec::new();
    for seed in seeds.clone() {
        let report = engram::cli::correlations::network_correlations(
            engram::spiking::Preset::Ei,
            Some(1000),
            200,
            500.0,
            100.0,
            seed,
        )
        .expect("runs");
        assert_eq!(report.averages.len(), 3);
        if pooled.is_empty() {
            pooled = report
                .averages
                .iter()
                .map(|a| (a.pairs.clone(), 0.0, 0.0))
                .collect();
        }
        for (sum, a) in pooled.iter_mut().zip(&report.averages) {
            assert_eq!(sum.0, a.pairs);
            sum.1 += a.predicted_hz / 4.0;
            sum.2 += a.measured_hz / 4.0;
        }
        assert!(
            report.pair_correlation > 0.2,
            "seed {seed}: pair correlation {}",
            report.pair_correlation
        );
        // The operating point: the Siegert rate at the diffusion approximation's μ is within 20 %
        // of the measured rate (measured 30.5 vs 33.6 Hz for E, seed 1).
        for p in &report.points {
            assert!(
                (p.siegert_rate_hz / p.rate_hz - 1.0).abs() < 0.2,
                "seed {seed}: {p:?}"
            );
        }
        assert!(
            report.max_real_eigenvalue < 1.0,
            "seed {seed}: stable: {}",
            report.max_real_eigenvalue
        );
    }
    println!("pooled (pairs, predicted Hz, measured Hz): {pooled:?}");
    for (pairs, predicted, measured) in &pooled {
        if pairs == "I-I" {
            assert!(
                *predicted < 0.0 && measured.abs() < predicted.abs(),
                "I-I: predicted {predicted} Hz, measured {measured} Hz"
            );
        } else {
            let ratio = measured / predicted;
            assert!(
                (0.5..2.0).contains(&ratio),
                "{pairs}: predicted {predicted} Hz, measured {measured} Hz"
            );
        }
    }
}

/// The live view: shown, a scene sends the measured covariance about once a simulated second and a
/// prediction from the background; a slider's new J gives a new spectrum at once (from the rates
/// before the change), and a prediction from the new rates once they settled.
#[test]
fn a_scene_predicts_in_the_background_and_follows_a_new_coupling() {
    use engram::families::spiking::{CorrelationTheory, SpikingCommand, SpikingScene, SpikingSetup};
    use std::sync::Arc;
    let mut scene = SpikingScene::build(SpikingSetup {
        preset: engram::spiking::Preset::Ei,
        n_neurons: Some(500),
        seed: 2,
        ..SpikingSetup::default()
    })
    .expect("builds");
    scene
        .apply(&SpikingCommand::ShowCorrelations(true))
        .expect("applies");
    // Steps of 100 ms until `accept` holds for the latest theory (at most 60 s simulated; the
    // background thread gets wall time while the scene steps).
    let run_until =
        |scene: &mut SpikingScene, accept: &dyn Fn(&CorrelationTheory) -> bool| -> Arc<CorrelationTheory> {
            for _ in 0..600 {
                scene.advance(1000).expect("steps");
                if let Some(view) = scene.take_frame().correlations {
                    assert!(view.refused.is_none(), "{:?}", view.refused);
                    if let Some(theory) = view.theory.filter(|t| accept(t)) {
                        assert_eq!(view.measured_hz.len(), view.sample.len().pow(2));
                        return theory;
                    }
                }
            }
            panic!("no prediction within 60 s simulated");
        };
    let first = run_until(&mut scene, &|t| t.measured_ms >= 5000.0);
    assert_eq!(first.spectrum.eigenvalues.len(), 500);
    assert!(first.spectrum.max_real < 1.0);
    let s = (first.prediction.covariance_hz.len() as f64).sqrt() as usize;
    assert_eq!(s * s, first.prediction.covariance_hz.len());
    // A stronger excitatory coupling: the spectrum follows before the new rates are known.
    let mut params = scene.network_params().clone();
    params.j_exc_mv *= 1.5;
    scene
        .apply(&SpikingCommand::SetNetworkParams(Box::new(params)))
        .expect("valid");
    let moved = run_until(&mut scene, &|t| (t.j_mv.0 - first.j_mv.0 * 1.5).abs() < 1e-9);
    assert_eq!(moved.measured_ms, 0.0, "first from the rates before the change");
    assert!(moved.spectrum.spectral_radius != first.spectrum.spectral_radius);
    let settled = run_until(&mut scene, &|t| t.j_mv == moved.j_mv && t.measured_ms >= 5000.0);
    assert!(settled.spectrum.max_real.is_finite());
}
