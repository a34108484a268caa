//! Firing-rate attractor network (Pereira & Brunel 2018): one cued retrieval, and the overlap
//! versus load sweep with the mean-field curve beside the simulation. Each trial draws its own
//! network from a seeded sub-stream.

use serde::Serialize;

use crate::families::rate::model::{MeanField, RateError, RateNetwork, RateParams};
use crate::progress::Progress;

/// How a pattern is cued: input I = strength · ξ^μ for `cue_ms`, then no input until `duration_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CueProtocol {
    /// Index μ of the cued pattern.
    pub pattern: usize,
    /// Strength s of the input current s ξ^μ.
    pub strength: f64,
    /// How long the cue is on, from t = 0, in ms.
    pub cue_ms: f64,
    /// Total simulated time, in ms (the cue included).
    pub duration_ms: f64,
    /// Interval between samples of the overlap trace, in ms.
    pub sample_ms: f64,
}

impl Default for CueProtocol {
    fn default() -> Self {
        Self {
            pattern: 0,
            strength: 1.0,
            cue_ms: 300.0,
            duration_ms: 1500.0,
            sample_ms: 10.0,
        }
    }
}

impl CueProtocol {
    /// Checks the protocol against a network of `patterns` stored patterns.
    pub fn validate(&self, patterns: usize) -> Result<(), RateError> {
        let bad = |m: String| Err(RateError::Params(m));
        if self.pattern >= patterns {
            return bad(format!(
                "pattern {} does not exist: the network stores {patterns} (0 to {})",
                self.pattern,
                patterns.saturating_sub(1)
            ));
        }
        if !(self.cue_ms.is_finite() && self.cue_ms >= 0.0) {
            return bad(format!("cue_ms must be at least 0, not {}", self.cue_ms));
        }
        if !(self.duration_ms.is_finite() && self.duration_ms > 0.0 && self.duration_ms <= 3.6e6) {
            return bad(format!(
                "duration_ms must be above 0 and at most 3600000 ms, not {}",
                self.duration_ms
            ));
        }
        if self.cue_ms > self.duration_ms {
            return bad(format!(
                "cue_ms ({}) must not exceed duration_ms ({})",
                self.cue_ms, self.duration_ms
            ));
        }
        if !(self.sample_ms.is_finite() && self.sample_ms > 0.0) {
            return bad(format!("sample_ms must be above 0, not {}", self.sample_ms));
        }
        Ok(())
    }
}

/// What one cued retrieval did.
#[derive(Debug, Clone, Serialize)]
pub struct CueRun {
    /// Sample times, in ms.
    pub times_ms: Vec<f64>,
    /// Overlap with the cued pattern at each sample time.
    pub cued_overlap: Vec<f64>,
    /// Largest overlap with any other stored pattern at each sample time.
    pub best_other_overlap: Vec<f64>,
    /// Overlaps with every stored pattern at the end.
    pub final_overlaps: Vec<f64>,
    /// Overlap with the cued pattern at the end of the cue.
    pub overlap_at_cue_end: f64,
    /// Smallest overlap with the cued pattern after the cue was removed.
    pub min_overlap_after_cue: f64,
    /// True when the final overlap with the cued pattern is ≥ [`crate::families::rate::model::RETRIEVED_OVERLAP`] and the largest.
    pub retrieved: bool,
    /// Mean final rate, in Hz.
    pub mean_rate_hz: f64,
    /// Standard deviation of the final rates over neurons, in Hz.
    pub std_rate_hz: f64,
    /// Largest final rate, in Hz.
    pub max_rate_hz: f64,
    /// Steps simulated.
    pub steps: u64,
    /// Wall time of the simulation loop (overlap samples included), in s.
    pub wall_s: f64,
}

fn steps_for(ms: f64, dt_ms: f64) -> u64 {
    (ms / dt_ms).round() as u64
}

/// Cues a pattern of `network` by `protocol` from its current state and records the overlaps.
pub fn cued_run(network: &mut RateNetwork, protocol: &CueProtocol) -> Result<CueRun, RateError> {
    protocol.validate(network.n_patterns())?;
    let dt = network.params().dt_ms;
    let cue_steps = steps_for(protocol.cue_ms, dt);
    let total = steps_for(protocol.duration_ms, dt).max(cue_steps);
    let every = steps_for(protocol.sample_ms, dt).max(1);
    let mu = protocol.pattern;
    let (mut times_ms, mut cued, mut other) = (Vec::new(), Vec::new(), Vec::new());
    let mut sample = |net: &RateNetwork, k: u64| {
        let overlaps = net.overlaps();
        let best = overlaps
            .iter()
            .enumerate()
            .filter(|&(nu, _)| nu != mu)
            .map(|(_, &m)| m)
            .fold(f64::NEG_INFINITY, f64::max);
        times_ms.push(k as f64 * dt);
        cued.push(overlaps[mu]);
        other.push(if best.is_finite() { best } else { 0.0 });
        overlaps[mu]
    };
    let started = std::time::Instant::now();
    let mut at_cue_end = sample(network, 0);
    let mut min_after = f64::INFINITY;
    if cue_steps > 0 {
        network.set_input_pattern(Some((mu, protocol.strength)))?;
    }
    for k in 1..=total {
        network.try_step()?;
        if k == cue_steps {
            network.set_input_pattern(None)?;
            at_cue_end = network.overlaps()[mu];
        }
        if k % every == 0 || k == total {
            let m = sample(network, k);
            if k > cue_steps {
                min_after = min_after.min(m);
            }
        }
    }
    network.set_input_pattern(None)?;
    let wall_s = started.elapsed().as_secs_f64();
    let final_overlaps = network.overlaps();
    let m = final_overlaps[mu];
    let retrieved = crate::families::rate::model::retrieved(&final_overlaps) == Some(mu);
    let (mean, std, max) = rate_stats(network.rates());
    Ok(CueRun {
        times_ms,
        cued_overlap: cued,
        best_other_overlap: other,
        final_overlaps,
        overlap_at_cue_end: at_cue_end,
        min_overlap_after_cue: if min_after.is_finite() { min_after } else { m },
        retrieved,
        mean_rate_hz: mean,
        std_rate_hz: std,
        max_rate_hz: max,
        steps: total,
        wall_s,
    })
}

/// Mean, standard deviation and maximum of rates, in Hz.
pub fn rate_stats(rates: &[f32]) -> (f64, f64, f64) {
    let n = rates.len().max(1) as f64;
    let mean = rates.iter().map(|&r| f64::from(r)).sum::<f64>() / n;
    let var = rates.iter().map(|&r| (f64::from(r) - mean).powi(2)).sum::<f64>() / n;
    let max = rates.iter().map(|&r| f64::from(r)).fold(0.0, f64::max);
    (mean, var.sqrt(), max)
}

/// One point of the overlap-versus-load curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LoadPoint {
    /// Load α = P/(cN) actually simulated.
    pub alpha: f64,
    /// Stored patterns P.
    pub patterns: usize,
    /// Trials run (independent networks).
    pub trials: usize,
    /// Mean final overlap with the cued pattern.
    pub mean_overlap: f64,
    /// Standard deviation of the final overlap over trials.
    pub std_overlap: f64,
    /// Fraction of trials retrieved (see [`crate::families::rate::model::RETRIEVED_OVERLAP`]).
    pub retrieved_fraction: f64,
    /// Mean-field overlap at this load (0 beyond capacity).
    pub mean_field_overlap: f64,
    /// Mean-field mean rate at this load, in Hz.
    pub mean_field_rate_hz: f64,
}

/// Settings of the load sweep.
#[derive(Debug, Clone)]
pub struct LoadSetup {
    /// Network parameters; `patterns` is replaced by each load's.
    pub params: RateParams,
    /// Cue protocol of every trial.
    pub protocol: CueProtocol,
    /// Trials per load.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
}

/// Result of the load sweep.
#[derive(Debug, Clone, Serialize)]
pub struct LoadSweep {
    /// Mean-field capacity α_c for these parameters.
    pub alpha_c_theory: f64,
    /// One point per load.
    pub points: Vec<LoadPoint>,
}

/// Overlap versus load: for each α, `trials` networks with P = round(α c N) patterns, each cued
/// by the protocol; the mean-field overlap beside. Progress counts trials.
pub fn load_sweep(
    setup: &LoadSetup,
    alphas: &[f64],
    progress: &mut dyn Progress,
) -> Result<LoadSweep, RateError> {
    load_sweep_live(setup, alphas, progress, &mut |_| {})
}

/// [`load_sweep`], handing each point to `on_point` as soon as it is measured (same numbers).
pub fn load_sweep_live(
    setup: &LoadSetup,
    alphas: &[f64],
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&LoadPoint),
) -> Result<LoadSweep, RateError> {
    if setup.trials == 0 {
        return Err(RateError::Params("trials must be at least 1".into()));
    }
    if let Some(a) = alphas.iter().find(|a| !(a.is_finite() && **a > 0.0)) {
        return Err(RateError::Params(format!(
            "every load alpha must be above 0, not {a}"
        )));
    }
    setup.params.validate()?;
    let theory = MeanField::new(&setup.params.transfer(), &setup.params.rule());
    let branch = theory.branch();
    let alpha_c_theory = branch.iter().map(|p| p.alpha).fold(0.0, f64::max);
    let total = alphas.len() * setup.trials;
    let mut done = 0;
    let mut points = Vec::new();
    for (k, &alpha) in alphas.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        let params = RateParams {
            patterns: setup.params.patterns_at(alpha),
            ..setup.params.clone()
        };
        params.validate()?;
        let actual = params.load();
        let mut overlaps = Vec::with_capacity(setup.trials);
        let mut retrieved = 0usize;
        for trial in 0..setup.trials {
            let seed = trial_seed(setup.seed, k, trial);
            let mut network = RateNetwork::new(&params, seed)?;
            let run = cued_run(&mut network, &setup.protocol)?;
            overlaps.push(run.final_overlaps[setup.protocol.pattern]);
            retrieved += usize::from(run.retrieved);
            done += 1;
            progress.advance(done, total);
        }
        let trials = setup.trials as f64;
        let mean = overlaps.iter().sum::<f64>() / trials;
        let var = overlaps.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / trials;
        let mf = theory.solve_on(&branch, actual);
        let point = LoadPoint {
            alpha: actual,
            patterns: params.patterns,
            trials: setup.trials,
            mean_overlap: mean,
            std_overlap: var.sqrt(),
            retrieved_fraction: retrieved as f64 / trials,
            mean_field_overlap: mf.overlap,
            mean_field_rate_hz: mf.mean_rate_hz,
        };
        on_point(&point);
        points.push(point);
    }
    Ok(LoadSweep {
        alpha_c_theory,
        points,
    })
}

/// The seed of trial `trial` at load index `k`.
pub fn trial_seed(seed: u64, k: usize, trial: usize) -> u64 {
    seed.wrapping_mul(0x9E37_79B9)
        .wrapping_add((k as u64) << 20)
        .wrapping_add(trial as u64)
}
