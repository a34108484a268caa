//! The driven branching network against the branching process's theory, and the multistep-
//! regression estimator against the conventional one under subsampling (Wilting & Priesemann
//! 2018): sizes and step counts are chosen so that each check takes about a second and its
//! statistical error is a small fraction of its tolerance.

use engram::analysis::branching::{
    BranchingNetwork, avalanches, estimate_branching, power_law_exponent, random_subsample, record_activity,
};

/// 100,000 units with 10 targets each: collisions (two units activating the same target) lower
/// the effective m by about A/N, under 0.1 % here.
const UNITS: usize = 100_000;
const TARGETS: usize = 10;

/// Activity of all units and of a subsample over `steps` steps after 10,000 of settling.
fn activity(m: f64, h: f64, fraction: f64, steps: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut network = BranchingNetwork::new(UNITS, TARGETS, m, h, seed).expect("builds");
    record_activity(&mut network, &[], 10_000);
    record_activity(&mut network, &random_subsample(UNITS, fraction, seed), steps)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Below criticality the activity fluctuates around A* = h/(1 − m): m = 0.9, h = 2 gives 20 active
/// units per step. 100,000 steps at an autocorrelation time of ~10 steps pin the mean to ~1 %.
#[test]
fn the_activity_settles_at_h_over_one_minus_m() {
    let (full, _) = activity(0.9, 2.0, 1.0, 100_000, 1);
    let measured = mean(&full);
    assert!(
        (measured - 20.0).abs() < 0.6,
        "mean activity {measured}, theory 20"
    );
}

/// Observing 1 % of the units, multistep regression recovers m where the one-step slope is off by
/// an order of magnitude: r_1 = b·m with b = 0.04 (m = 0.9) and 0.18 (m = 0.98). Tolerances: over
/// five seeds at 200,000 steps the MR estimates scattered by ±0.008 (m = 0.9) and ±0.0015
/// (m = 0.98, whose collisions also lower the effective m by ~0.001).
#[test]
fn multistep_regression_recovers_m_from_one_percent_of_the_units() {
    for (m, tolerance, h) in [(0.9, 0.02, 2.0), (0.98, 0.005, 2.0)] {
        let (_, sampled) = activity(m, h, 0.01, 200_000, 2);
        let estimate = estimate_branching(&sampled, 100).expect("the activity varies");
        assert!(
            (estimate.m_mr - m).abs() < tolerance,
            "m = {m}: MR estimate {}",
            estimate.m_mr
        );
        assert!(
            estimate.m_conventional < m / 5.0,
            "m = {m}: the conventional estimate {} should be biased far below m",
            estimate.m_conventional
        );
        assert!(
            (estimate.m_conventional - estimate.b * estimate.m_mr).abs() < 0.02,
            "r_1 = b·m: {} vs {}",
            estimate.m_conventional,
            estimate.b * estimate.m_mr
        );
    }
}

/// With every unit observed the two estimates agree with m and b = 1.
#[test]
fn with_full_sampling_both_estimates_agree() {
    let (full, _) = activity(0.9, 2.0, 1.0, 100_000, 3);
    let estimate = estimate_branching(&full, 60).expect("the activity varies");
    assert!((estimate.m_mr - 0.9).abs() < 0.01, "{}", estimate.m_mr);
    assert!(
        (estimate.m_conventional - 0.9).abs() < 0.01,
        "{}",
        estimate.m_conventional
    );
    assert!((estimate.b - 1.0).abs() < 0.05, "b = {}", estimate.b);
    assert!(estimate.fit_r2 > 0.9, "R² {}", estimate.fit_r2);
}

/// Activity that oscillates (as Brunel's asynchronous state does at a few ms) is no branching
/// process: the exponential explains little of its slopes, which the app reports instead of an m.
#[test]
fn oscillating_activity_is_flagged_by_a_poor_fit() {
    let mut rng = engram::rng::seeded(8);
    let activity: Vec<f64> = (0..20_000)
        .map(|t| {
            use rand::RngExt;
            100.0 + 20.0 * (t as f64 * std::f64::consts::TAU / 12.0).sin() + 5.0 * rng.random::<f64>()
        })
        .collect();
    let estimate = estimate_branching(&activity, 40).expect("the activity varies");
    assert!(estimate.fit_r2 < 0.5, "R² {}", estimate.fit_r2);
}

/// At m = 1 avalanche sizes follow P(s) ∝ s^−3/2, and their durations follow the exact law of the
/// critical branching process (whose t^−2 tail is reached slowly: P(T > t) is checked against it).
/// 50,000 avalanches: the size exponent's fit scatters by ~0.01; P(T > 100) ≈ 0.021 is counted
/// about 1,000 times (3 % error), tolerance 10 %.
#[test]
fn critical_avalanches_follow_the_branching_process() {
    let mut network = BranchingNetwork::new(UNITS, TARGETS, 1.0, 0.0, 4).expect("builds");
    let found = avalanches(&mut network, 50_000, 10_000, 4);
    let sizes: Vec<u64> = found.iter().map(|a| a.size).collect();
    let exponent = power_law_exponent(&sizes, 10, 1000).expect("enough avalanches");
    assert!((exponent - 1.5).abs() < 0.05, "size exponent {exponent}");
    let exact = engram::analysis::branching::duration_survival(TARGETS, 1.0, 300);
    for t in [1usize, 3, 10, 30, 100] {
        let measured = found.iter().filter(|a| a.duration as usize > t).count() as f64 / found.len() as f64;
        assert!(
            (measured / exact[t] - 1.0).abs() < 0.1,
            "P(T > {t}) = {measured}, exact {}",
            exact[t]
        );
    }
    let durations: Vec<u64> = found.iter().map(|a| a.duration).collect();
    let duration_exponent = power_law_exponent(&durations, 5, 300).expect("enough avalanches");
    assert!(
        (duration_exponent - 1.80).abs() < 0.06,
        "duration exponent {duration_exponent} (the exact law's fit over 5–300 steps: 1.80)"
    );
}
