//! Hopfield sweeps: capacity, basins of attraction, temperature, stability, dense recall.
//! Each trial draws fresh random patterns from its own seeded sub-stream.

use serde::Serialize;

use crate::hopfield::cue::flip_fraction;
use crate::hopfield::observables::RETRIEVED_OVERLAP;
use crate::hopfield::{DenseUpdate, HopfieldError, HopfieldSim, LearningRule, PatternSet, UpdateMode};
use crate::progress::Progress;
use crate::rng::substream;

/// Most sweeps a recall runs before it is stopped without converging.
pub const MAX_SWEEPS: usize = 100;

/// One point of a capacity or basin curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecallPoint {
    /// Load α = P/N.
    pub alpha: f64,
    /// Number of stored patterns.
    pub patterns: usize,
    /// Fraction of bits flipped in the cue.
    pub cue_flip: f64,
    /// Trials run.
    pub trials: usize,
    /// Fraction of trials whose final overlap with the cued pattern is ≥ 0.9.
    pub retrieved_fraction: f64,
    /// Mean final overlap with the cued pattern.
    pub mean_overlap: f64,
    /// Fraction of trials that ended exactly on the cued pattern.
    pub exact_recall_fraction: f64,
}

/// Settings shared by recall experiments.
#[derive(Debug, Clone, Copy)]
pub struct RecallSetup {
    /// Number of neurons.
    pub n: usize,
    /// Learning rule (classical update).
    pub rule: LearningRule,
    /// Classical or dense update.
    pub update: UpdateMode,
    /// Trials per point.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
}

/// Recall of one cued pattern from `patterns` random patterns, averaged over trials.
pub fn recall_point(
    setup: &RecallSetup,
    patterns: usize,
    cue_flip: f64,
    stream: u64,
    progress: &mut dyn FnMut(),
) -> Result<RecallPoint, HopfieldError> {
    if setup.n == 0 || setup.trials == 0 || patterns == 0 {
        return Err(HopfieldError::Size(
            "N, the number of patterns and trials must be at least 1".into(),
        ));
    }
    let (mut retrieved, mut exact, mut overlap_sum) = (0usize, 0usize, 0.0);
    for trial in 0..setup.trials {
        let mut rng = substream(setup.seed, stream * 1_000_003 + trial as u64);
        let set = PatternSet::random(setup.n, 1, patterns, 0.0, &mut rng)?;
        let target = set.patterns[0].clone();
        let mut sim = HopfieldSim::new(set, setup.rule, rng_seed(setup.seed, stream, trial))?;
        sim.set_update(setup.update);
        sim.set_state(&flip_fraction(&target, cue_flip, &mut rng)?)?;
        sim.run_to_fixed_point(MAX_SWEEPS);
        let m = sim.overlaps()[0];
        overlap_sum += m;
        retrieved += usize::from(m >= RETRIEVED_OVERLAP);
        exact += usize::from(sim.state() == target.as_slice());
        progress();
    }
    let trials = setup.trials as f64;
    Ok(RecallPoint {
        alpha: patterns as f64 / setup.n as f64,
        patterns,
        cue_flip,
        trials: setup.trials,
        retrieved_fraction: retrieved as f64 / trials,
        mean_overlap: overlap_sum / trials,
        exact_recall_fraction: exact as f64 / trials,
    })
}

fn rng_seed(seed: u64, stream: u64, trial: usize) -> u64 {
    seed.wrapping_mul(0x9E37_79B9)
        .wrapping_add(stream << 20)
        .wrapping_add(trial as u64)
}

/// Patterns stored at load α on N neurons (at least 1).
pub fn patterns_at(alpha: f64, n: usize) -> usize {
    ((alpha * n as f64).round() as usize).max(1)
}

/// Recall points for each (number of patterns, cue flip) pair, with shared progress; each point goes to
/// `on_point` as soon as it is measured.
fn recall_sweep(
    setup: &RecallSetup,
    points: &[(usize, f64)],
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&RecallPoint),
) -> Result<Vec<RecallPoint>, HopfieldError> {
    let total = points.len() * setup.trials;
    let mut done = 0;
    let mut out = Vec::new();
    for (k, &(patterns, flip)) in points.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        let mut tick = || {
            done += 1;
            progress.advance(done, total);
        };
        let point = recall_point(setup, patterns, flip, k as u64, &mut tick)?;
        on_point(&point);
        out.push(point);
    }
    Ok(out)
}

/// Retrieval versus load: one point per α, cue corrupted by `cue_flip`.
pub fn capacity_sweep(
    setup: &RecallSetup,
    alphas: &[f64],
    cue_flip: f64,
    progress: &mut dyn Progress,
) -> Result<Vec<RecallPoint>, HopfieldError> {
    capacity_sweep_live(setup, alphas, cue_flip, progress, &mut |_| {})
}

/// [`capacity_sweep`], handing each point to `on_point` as soon as it is measured (same numbers).
pub fn capacity_sweep_live(
    setup: &RecallSetup,
    alphas: &[f64],
    cue_flip: f64,
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&RecallPoint),
) -> Result<Vec<RecallPoint>, HopfieldError> {
    let points: Vec<(usize, f64)> = alphas
        .iter()
        .map(|&a| (patterns_at(a, setup.n), cue_flip))
        .collect();
    recall_sweep(setup, &points, progress, on_point)
}

/// Retrieval versus cue corruption at a fixed load α.
pub fn basin_sweep(
    setup: &RecallSetup,
    alpha: f64,
    flips: &[f64],
    progress: &mut dyn Progress,
) -> Result<Vec<RecallPoint>, HopfieldError> {
    basin_sweep_live(setup, alpha, flips, progress, &mut |_| {})
}

/// [`basin_sweep`], handing each point to `on_point` as soon as it is measured (same numbers).
pub fn basin_sweep_live(
    setup: &RecallSetup,
    alpha: f64,
    flips: &[f64],
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&RecallPoint),
) -> Result<Vec<RecallPoint>, HopfieldError> {
    let points: Vec<(usize, f64)> = flips.iter().map(|&f| (patterns_at(alpha, setup.n), f)).collect();
    recall_sweep(setup, &points, progress, on_point)
}

/// One-step signal-to-noise estimate for Hebbian recall (Amari & Maginu 1988): a cue with overlap
/// m₀ = 1 − 2F at load α has overlap m₁ = erf(m₀ / √(2α)) after one parallel update.
pub fn one_step_overlap(alpha: f64, cue_flip: f64) -> f64 {
    let m0 = 1.0 - 2.0 * cue_flip;
    if alpha <= 0.0 {
        return m0.signum();
    }
    crate::analysis::special::erf(m0 / (2.0 * alpha).sqrt())
}

/// Fraction of the bits of stored patterns that one update would flip, over `trials` pattern sets.
pub fn unstable_fraction(
    n: usize,
    alpha: f64,
    rule: LearningRule,
    trials: usize,
    seed: u64,
) -> Result<f64, HopfieldError> {
    let patterns = patterns_at(alpha, n);
    let (mut unstable, mut bits) = (0usize, 0usize);
    for trial in 0..trials.max(1) {
        let mut rng = substream(seed, trial as u64);
        let set = PatternSet::random(n, 1, patterns, 0.0, &mut rng)?;
        let weights = crate::hopfield::Weights::learn(rule, &set.patterns, n)?;
        for pattern in &set.patterns {
            let fields = weights.fields(pattern);
            unstable += fields
                .iter()
                .zip(pattern)
                .filter(|&(&h, &s)| h * f64::from(s) < 0.0)
                .count();
            bits += n;
        }
    }
    Ok(unstable as f64 / bits as f64)
}

/// One point of the overlap-versus-temperature curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TemperaturePoint {
    /// Glauber temperature T.
    pub temperature: f64,
    /// Time-averaged |m| with the cued pattern after burn-in.
    pub overlap: f64,
    /// Mean-field prediction for P ≪ N: the largest root of m = tanh(m/T).
    pub mean_field: f64,
}

/// Overlap versus temperature: start on pattern 0, burn in, then average |m| over `sweeps` sweeps.
#[allow(clippy::too_many_arguments)]
pub fn temperature_sweep(
    n: usize,
    patterns: usize,
    temperatures: &[f64],
    sweeps: usize,
    burn_in: usize,
    rule: LearningRule,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Vec<TemperaturePoint>, HopfieldError> {
    temperature_sweep_live(
        n,
        patterns,
        temperatures,
        sweeps,
        burn_in,
        rule,
        seed,
        progress,
        &mut |_| {},
    )
}

/// [`temperature_sweep`], handing each point to `on_point` as soon as it is measured (same numbers).
#[allow(clippy::too_many_arguments)]
pub fn temperature_sweep_live(
    n: usize,
    patterns: usize,
    temperatures: &[f64],
    sweeps: usize,
    burn_in: usize,
    rule: LearningRule,
    seed: u64,
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&TemperaturePoint),
) -> Result<Vec<TemperaturePoint>, HopfieldError> {
    let mut points = Vec::new();
    for (k, &temperature) in temperatures.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        if !(temperature.is_finite() && temperature >= 0.0) {
            return Err(HopfieldError::Size(format!(
                "temperatures must be ≥ 0, not {temperature}"
            )));
        }
        let mut rng = substream(seed, k as u64);
        let set = PatternSet::random(n, 1, patterns.max(1), 0.0, &mut rng)?;
        let start = set.patterns[0].clone();
        let mut sim = HopfieldSim::new(set, rule, rng_seed(seed, k as u64, 0))?;
        sim.set_state(&start)?;
        sim.set_temperature(temperature);
        for _ in 0..burn_in {
            sim.sweep();
        }
        let mut sum = 0.0;
        for _ in 0..sweeps.max(1) {
            sim.sweep();
            sum += sim.overlaps()[0].abs();
        }
        points.push(TemperaturePoint {
            temperature,
            overlap: sum / sweeps.max(1) as f64,
            mean_field: crate::analysis::hopfield_theory::mean_field_overlap(temperature),
        });
        on_point(&points[points.len() - 1]);
        progress.advance(k + 1, temperatures.len());
    }
    Ok(points)
}

/// Recall by a dense network: `trials` sets of `patterns` random patterns on N neurons.
pub fn dense_recall(
    n: usize,
    patterns: usize,
    cue_flip: f64,
    update: DenseUpdate,
    trials: usize,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<RecallPoint, HopfieldError> {
    update.validate().map_err(HopfieldError::Size)?;
    let setup = RecallSetup {
        n,
        rule: LearningRule::Hebb,
        update: UpdateMode::Dense(update),
        trials,
        seed,
    };
    let mut done = 0;
    recall_point(&setup, patterns, cue_flip, 0, &mut || {
        done += 1;
        progress.advance(done, trials);
    })
}
