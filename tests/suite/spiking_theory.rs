//! The spiking engine against theory: f-I curves, the Siegert rate, the Fokker-Planck density,
//! the CUBA benchmark's published regime, and Brunel's mean-field rate.

use engram::analysis::eif_theory::{EifParams, eif_rate_hz};
use engram::analysis::lif_theory::{
    LifParams, fokker_planck_density, lif_rate_hz, siegert_cv, siegert_rate_hz,
};
use engram::analysis::spike_stats::{IsiStats, synchrony};
use engram::spiking::{Network, NeuronParams, NoisyNeuron, Preset};

/// Rate (Hz) and ISI CV of one neuron over `seconds`.
/// The rate is 1 / mean ISI, so the first passage from rest does not bias it.
fn simulate(params: NeuronParams, mu: f64, sigma: f64, dt_ms: f64, seconds: f64, seed: u64) -> (f64, f64) {
    let mut neuron = NoisyNeuron::new(params, mu, sigma, dt_ms).expect("valid");
    let mut rng = engram::rng::seeded(seed);
    let steps = (seconds * 1000.0 / dt_ms) as u64;
    let mut isi = IsiStats::new(1);
    let (mut first, mut last, mut spikes) = (0.0, 0.0, 0u64);
    for step in 0..steps {
        if neuron.step(&mut rng) {
            let t = step as f64 * dt_ms;
            if spikes == 0 {
                first = t;
            }
            last = t;
            spikes += 1;
            isi.push(0, t);
        }
    }
    let rate = if spikes < 2 {
        spikes as f64 / seconds
    } else {
        1000.0 * (spikes - 1) as f64 / (last - first)
    };
    (rate, isi.mean_cv(2))
}

#[test]
fn deterministic_lif_follows_the_closed_form_f_i_curve() {
    let theory = LifParams::default();
    for dt in [0.01, 0.1] {
        for mu in [21.0, 25.0, 30.0, 40.0] {
            let (rate, _) = simulate(NeuronParams::default(), mu, 0.0, dt, 5.0, 1);
            let expected = lif_rate_hz(mu, &theory);
            // A threshold checked once per step delays each spike by up to one step.
            let isi_expected = 1000.0 / expected;
            let tolerance = expected * (dt / isi_expected) * 1.01;
            assert!(
                (rate - expected).abs() <= tolerance + 1e-9,
                "dt {dt}, μ {mu}: {rate} vs {expected}"
            );
        }
        let (silent, _) = simulate(NeuronParams::default(), 19.5, 0.0, dt, 2.0, 1);
        assert_eq!(silent, 0.0, "below threshold a noiseless LIF is silent");
    }
}

/// The EIF of `NeuronParams::eif()` as the theory sees it.
fn eif_theory() -> EifParams {
    EifParams::default()
}

#[test]
fn deterministic_eif_follows_its_quadrature_f_i_curve() {
    // Rheobase of this EIF: μ + V_T − Δ_T... the silent/firing boundary is μ = V_T − Δ_T = 19 mV.
    for mu in [19.5, 21.0, 25.0] {
        let expected = eif_rate_hz(mu, 0.0, &eif_theory());
        let (rate, _) = simulate(NeuronParams::eif(), mu, 0.0, 0.01, 5.0, 1);
        assert!(
            (rate - expected).abs() < 0.03 * expected + 0.4,
            "μ {mu}: {rate} vs {expected}"
        );
    }
    let (silent, _) = simulate(NeuronParams::eif(), 18.5, 0.0, 0.01, 2.0, 1);
    assert_eq!(silent, 0.0);
}

/// White noise makes a subthreshold EIF fire; its rate follows the first-passage theory. Euler steps
/// of 0.01 ms and a discretely checked cut-off bias the simulation by a few per cent; 8 % + 0.3 Hz
/// covers that and the Poisson counting error of 20 s of spikes.
#[test]
fn noisy_eif_rate_matches_first_passage_theory() {
    for (mu, sigma) in [(18.0, 4.0), (15.0, 6.0), (22.0, 3.0)] {
        let expected = eif_rate_hz(mu, sigma, &eif_theory());
        let (rate, _) = simulate(NeuronParams::eif(), mu, sigma, 0.01, 20.0, 4);
        assert!(
            (rate - expected).abs() < 0.08 * expected + 0.3,
            "μ {mu} σ {sigma}: {rate} Hz vs theory {expected} Hz"
        );
    }
}

#[test]
fn noisy_lif_rate_and_irregularity_match_siegert() {
    // dt = 0.01 ms keeps the upward bias of a discretely checked threshold below ~2 %; 100 s of
    // spikes at these rates give > 1000 intervals, a relative error of a few percent.
    let theory = LifParams::default();
    for (mu, sigma) in [(15.0, 6.0), (20.0, 4.0), (12.0, 8.0)] {
        let (rate, cv) = simulate(NeuronParams::default(), mu, sigma, 0.01, 100.0, 3);
        let expected = siegert_rate_hz(mu, sigma, &theory);
        assert!(
            (rate - expected).abs() < 0.07 * expected,
            "μ {mu} σ {sigma}: {rate} vs {expected}"
        );
        // The CV of > 1000 intervals has a standard error of a few percent.
        let expected_cv = siegert_cv(mu, sigma, &theory);
        assert!(
            (cv - expected_cv).abs() < 0.08 * expected_cv,
            "μ {mu} σ {sigma}: CV {cv} vs {expected_cv}"
        );
    }
    // Far below threshold, firing is a rare Poisson-like escape: CV → 1.
    let (_, cv) = simulate(NeuronParams::default(), 8.0, 6.0, 0.05, 200.0, 4);
    assert!((cv - 1.0).abs() < 0.15, "CV {cv}");
}

#[test]
fn membrane_density_matches_the_fokker_planck_solution() {
    let (mu, sigma, dt) = (15.0, 5.0, 0.01);
    let theory = LifParams::default();
    let mut neuron = NoisyNeuron::new(NeuronParams::default(), mu, sigma, dt).expect("valid");
    let mut rng = engram::rng::seeded(5);
    let (v_min, bins) = (0.0, 20);
    let width = (20.0 - v_min) / bins as f64;
    let mut counts = vec![0u64; bins];
    let steps = 5_000_000;
    for _ in 0..steps {
        neuron.step(&mut rng);
        // The density describes neurons outside their refractory period.
        if neuron.is_refractory() {
            continue;
        }
        let b = ((neuron.v_mv - v_min) / width).floor();
        if b >= 0.0 && (b as usize) < bins {
            counts[b as usize] += 1;
        }
    }
    let fine = fokker_planck_density(mu, sigma, &theory, v_min, bins * 10);
    for (b, &c) in counts.iter().enumerate() {
        let measured = c as f64 / steps as f64 / width;
        // Normalised like the theory: the refractory mass ν τ_ref is excluded from both.
        let expected = fine.density[b * 10..(b + 1) * 10].iter().sum::<f64>() / 10.0;
        assert!(
            (measured - expected).abs() < 0.006 + 0.08 * expected,
            "bin {b}: {measured} vs {expected}"
        );
    }
}

/// Mean rate (Hz), mean ISI CV and synchrony of a preset over `seconds` after `warmup` seconds.
fn network_stats(preset: Preset, n: Option<usize>, seconds: f64, warmup: f64, seed: u64) -> (f64, f64, f64) {
    scaled_network_stats(preset, n, None, seconds, warmup, seed)
}

/// [`network_stats`] of a preset scaled to `n` neurons at in-degree `k`.
fn scaled_network_stats(
    preset: Preset,
    n: Option<usize>,
    k: Option<usize>,
    seconds: f64,
    warmup: f64,
    seed: u64,
) -> (f64, f64, f64) {
    let mut net = Network::from_preset_scaled(preset, n, k, seed).expect("builds");
    let dt = net.dt_ms();
    for _ in 0..(warmup * 1000.0 / dt) as u64 {
        net.try_step().expect("stable");
    }
    let n = net.n_neurons();
    let sample = n.min(500);
    let bins = (seconds * 1000.0 / 5.0) as usize;
    let mut counts = vec![vec![0u32; bins]; sample];
    let mut isi = IsiStats::new(n);
    let mut spikes = 0u64;
    let steps = (seconds * 1000.0 / dt) as u64;
    for step in 0..steps {
        net.try_step().expect("stable");
        let t = step as f64 * dt;
        for &i in net.last_spikes() {
            isi.push(i as usize, t);
            if (i as usize) < sample {
                counts[i as usize][((t / 5.0) as usize).min(bins - 1)] += 1;
            }
        }
        spikes += net.last_spikes().len() as u64;
    }
    (
        spikes as f64 / n as f64 / seconds,
        isi.mean_cv(3),
        synchrony(&counts),
    )
}

#[test]
fn cuba_fires_sparsely_and_irregularly_as_published() {
    // Vogels & Abbott (2005) as in Brian2's CUBA example: measured on this machine over 10 s, Brian2
    // standalone, NEST and a bare C loop all give 5.4–5.9 Hz (ARCHITECTURE/README). engram over 2 s
    // gives 5.45–5.73 Hz for seeds 1–5; the band allows that seed-to-seed spread beyond the
    // published one. A 15 Hz network (wrong inhibition) fails.
    let (rate, cv, chi) = network_stats(Preset::Cuba, None, 2.0, 0.2, 1);
    assert!(rate > 4.9 && rate < 6.4, "rate {rate} Hz");
    // Irregular: the 10 s CV is 0.72–0.74 in all three simulators; 1.8 s windows cut the longest
    // intervals short (0.61–0.63 here), so only the lower side is pinned.
    assert!(cv > 0.5, "CV {cv}");
    assert!(chi < 0.3, "asynchronous: χ {chi}");
}

/// Brunel (2000) model A mean field: the self-consistent rate ν = φ(μ(ν), σ(ν)) of the AI state.
fn brunel_mean_field_hz(g: f64, eta: f64, c_e: f64) -> f64 {
    let (j, tau_ms, gamma) = (0.1, 20.0, 0.25);
    let theory = LifParams::default();
    let nu_thr = 20.0 / (j * c_e * tau_ms) * 1000.0;
    let nu_ext = eta * nu_thr;
    let tau_s = tau_ms / 1000.0;
    let phi = |nu: f64| {
        let mu = c_e * j * tau_s * (nu_ext + nu * (1.0 - gamma * g));
        let sigma = (j * j * c_e * tau_s * (nu_ext + nu * (1.0 + gamma * g * g))).sqrt();
        siegert_rate_hz(mu, sigma, &theory)
    };
    let (mut lo, mut hi) = (0.0, 500.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if phi(mid) > mid { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

#[test]
fn brunel_asynchronous_state_sits_near_its_mean_field_rate() {
    // Full size (C_E = 1000), as in the paper; 0.3 s after a 0.1 s transient.
    let expected = brunel_mean_field_hz(5.0, 2.0, 1000.0);
    let (rate, cv, _) = network_stats(Preset::BrunelAi, None, 0.3, 0.1, 2);
    assert!(
        (rate - expected).abs() < 0.15 * expected,
        "rate {rate} Hz vs mean field {expected} Hz"
    );
    assert!(cv > 0.3, "irregular firing: CV {cv}");
}

#[test]
fn brunel_synchronous_state_fires_far_above_the_asynchronous_one() {
    let (ai, cv_ai, _) = network_stats(Preset::BrunelAi, Some(5000), 0.3, 0.1, 3);
    let (sr, cv_sr, _) = network_stats(Preset::BrunelSr, Some(5000), 0.3, 0.1, 3);
    assert!(sr > 2.0 * ai, "SR {sr} Hz vs AI {ai} Hz");
    assert!(
        cv_sr < 0.3 && cv_sr < cv_ai,
        "regular firing: CV {cv_sr} (AI: {cv_ai})"
    );
}

#[test]
fn same_seed_same_spikes() {
    let run = |seed| {
        let mut net = Network::from_preset(Preset::Cuba, Some(1000), seed).expect("builds");
        let mut spikes = Vec::new();
        for _ in 0..2000 {
            net.step();
            spikes.extend(net.last_spikes().iter().map(|&i| (net.steps_done(), i)));
        }
        spikes
    };
    assert_eq!(run(4), run(4));
    assert_ne!(run(4), run(5));
}

#[test]
fn bad_parameters_are_refused_with_a_reason() {
    let p = NeuronParams {
        v_reset_mv: 25.0,
        ..NeuronParams::default()
    };
    let message = NoisyNeuron::new(p, 10.0, 1.0, 0.1)
        .expect_err("reset above threshold")
        .to_string();
    assert!(
        message.contains("reset") && message.contains("threshold"),
        "{message}"
    );
    let p = NeuronParams {
        tau_m_ms: -5.0,
        ..NeuronParams::default()
    };
    assert!(NoisyNeuron::new(p, 10.0, 1.0, 0.1).is_err());
    let message = NoisyNeuron::new(NeuronParams::default(), 10.0, 1.0, 3.0)
        .expect_err("dt > ref")
        .to_string();
    assert!(message.contains("refractory"), "{message}");
}

/// The ISI CV has one definition (issue 16: the app showed 0.96–4.2 for CUBA depending on the speed,
/// `engram network` 0.52–0.70): the scene computes it on the simulation thread from every spike, so
/// a scene whose frames are thinned to 10 spikes and that is advanced in uneven chunks shows the
/// same statistics as one never thinned; both equal `IsiStats` fed every spike of the same network
/// stepped directly, as `engram network` does. (That CUBA's CV is where Brian2, NEST and NEURON put
/// it is `cuba_fires_sparsely_and_irregularly_as_published`; at 1,000 neurons over 0.3 s it is about
/// 0.2.)
#[test]
fn the_isi_cv_is_the_same_whatever_the_thinning_or_the_chunking() {
    use engram::analysis::spike_stats::CV_MIN_INTERVALS;
    use engram::families::spiking::{SpikingScene, SpikingSetup};
    let setup = SpikingSetup {
        preset: Preset::Cuba,
        n_neurons: Some(1000),
        in_degree: None,
        seed: 3,
        memory: None,
        view: Default::default(),
    };
    let steps = 3000u64;
    let mut whole = SpikingScene::build(setup.clone()).expect("builds");
    whole.advance(steps).expect("steps");
    let whole_isi = whole.take_frame().isi.expect("statistics");
    let mut thinned = SpikingScene::build(setup.clone()).expect("builds");
    thinned.set_max_pending_spikes(10);
    let mut last = None;
    let mut done = 0;
    for chunk in [1u64, 7, 50, 3, 400].iter().cycle() {
        let chunk = (*chunk).min(steps - done);
        thinned.advance(chunk).expect("steps");
        done += chunk;
        last = thinned.take_frame().isi;
        if done == steps {
            break;
        }
    }
    assert!(thinned.thinned_spikes() > 0, "the frames were thinned");
    assert_eq!(last.expect("statistics"), whole_isi);

    let mut network = Network::from_preset(Preset::Cuba, Some(1000), 3).expect("builds");
    let mut direct = IsiStats::new(network.n_neurons());
    for step in 0..steps {
        network.try_step().expect("steps");
        for &i in network.last_spikes() {
            direct.push(i as usize, step as f64 * network.dt_ms());
        }
    }
    let cv = direct.mean_cv(CV_MIN_INTERVALS);
    assert_eq!(cv.to_bits(), whole_isi.summary.mean_cv.to_bits());
    assert!(cv.is_finite() && cv > 0.0, "CUBA's ISI CV {cv}");
    // At 11 Hz over 0.3 s about 40 % of the neurons have the 3 intervals a CV needs.
    assert!(
        whole_isi.summary.neurons_counted > 300,
        "{}",
        whole_isi.summary.neurons_counted
    );
    let counted: u32 = whole_isi.summary.cv_histogram.iter().sum();
    assert_eq!(counted as usize, whole_isi.summary.neurons_counted);
}

/// `--n N --k K`: a preset scaled at fixed in-degree keeps its inputs per neuron, so its
/// mean-field state (rate, irregularity) stays, where scaling at fixed probability changes it.
/// Measured by this test: CUBA (seed 1, 1 s after 0.2 s) 5.49 Hz at 4,000 and 5.43 Hz at
/// 20,000 × 80 inputs, 1.93 Hz at 20,000 with p = 0.02 (400 inputs); Brunel AI (seed 2, 0.2 s after
/// 0.1 s) 60.66 Hz at 5,000 and 60.61 Hz at 20,000 × 500 inputs. Tolerances: 10 % on the rate
/// (across sizes and seeds the CLI measured up to 2.5 %), and the fixed-p network must fall below
/// 60 % of it.
#[test]
fn a_preset_scaled_at_fixed_in_degree_keeps_its_state() {
    let (small, cv_small, _) = scaled_network_stats(Preset::Cuba, None, None, 1.0, 0.2, 1);
    let (scaled, cv_scaled, _) = scaled_network_stats(Preset::Cuba, Some(20_000), Some(80), 1.0, 0.2, 1);
    let (dense, _, _) = scaled_network_stats(Preset::Cuba, Some(20_000), None, 1.0, 0.2, 1);
    println!(
        "CUBA {small:.2} Hz at 4,000, {scaled:.2} Hz at 20,000 × 80, {dense:.2} Hz at 20,000 with p = 0.02"
    );
    assert!(
        (scaled / small - 1.0).abs() < 0.1,
        "CUBA {small} Hz at 4,000, {scaled} Hz at 20,000 × 80"
    );
    assert!(
        (cv_scaled - cv_small).abs() < 0.1,
        "ISI CV {cv_small} vs {cv_scaled}"
    );
    assert!(
        dense < 0.6 * small,
        "at fixed p the 20,000 network should slow down: {dense} Hz"
    );

    let (brunel, _, _) = scaled_network_stats(Preset::BrunelAi, Some(5000), None, 0.2, 0.1, 2);
    let (brunel_scaled, _, _) = scaled_network_stats(Preset::BrunelAi, Some(20_000), Some(500), 0.2, 0.1, 2);
    println!("Brunel AI {brunel:.2} Hz at 5,000, {brunel_scaled:.2} Hz at 20,000 × 500");
    assert!(
        (brunel_scaled / brunel - 1.0).abs() < 0.1,
        "Brunel {brunel} Hz at 5,000, {brunel_scaled} Hz at 20,000 × 500"
    );

    // The wiring has the asked in-degree into every population's E neurons (the E/I preset
    // keeps its four probabilities' ratios).
    for (preset, n, k) in [
        (Preset::Cuba, 10_000, 80),
        (Preset::BrunelSr, 10_000, 400),
        (Preset::Ei, 8_000, 354),
    ] {
        let network = Network::from_preset_scaled(preset, Some(n), Some(k), 1).expect("builds");
        let into_e: f64 = network.mean_in_degree()[0].iter().sum();
        assert!(
            (into_e - k as f64).abs() < 0.01 * k as f64,
            "{preset}: {into_e} inputs, asked {k}"
        );
    }
    let ei = Network::from_preset_scaled(Preset::Ei, Some(8_000), Some(354), 1).expect("builds");
    let degrees = ei.mean_in_degree();
    #[allow(clippy::approx_constant)] // 0.318 is the preset's measured p_IE, not 1/π.
    let p_ie_over_p_ee = 0.318 / 0.16;
    let ratio = (degrees[1][0] / degrees[0][0], p_ie_over_p_ee);
    assert!((ratio.0 - ratio.1).abs() < 1e-9, "E/I keeps p_IE/p_EE: {ratio:?}");

    for (preset, n, k, says) in [
        (Preset::Neurons, None, 10, "no random recurrent wiring"),
        (Preset::Cuba, Some(1000), 2000, "more than 1000 neurons can give"),
        (Preset::BrunelAi, Some(1000), 0, "at least 1"),
    ] {
        let err = Network::from_preset_scaled(preset, n, Some(k), 1)
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains(says), "{preset} K = {k}: {err}");
    }
}
