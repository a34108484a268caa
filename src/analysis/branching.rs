//! Criticality from activity: a driven branching network, its branching ratio m estimated the way
//! an experimenter must, from a subsample of its units, by multistep regression (Wilting &
//! Priesemann 2018, Nat Commun 9:2325) beside the conventional one-step estimate, and the
//! avalanches of its activity with their size and duration exponents.
//!
//! The network: N binary units, each with K random targets (no self-connections). A unit active
//! at step t activates each of its targets at t + 1 with probability m/K, and every unit is also
//! activated from outside with probability h/N per step, so that A_{t+1} has the mean m·A_t + h
//! (less the rare collisions, of order A/N). Below m = 1 the activity fluctuates around
//! A* = h/(1 − m) with autocorrelation time −1/ln m steps; at m = 1 it is critical.

use rand::RngExt;
use rand_distr::{Binomial, Distribution, Poisson};

use crate::rng::{SimRng, substream};

/// A driven branching network of binary units.
pub struct BranchingNetwork {
    /// Targets of unit i: `targets[i·K .. (i+1)·K]`.
    targets: Vec<u32>,
    out_degree: usize,
    /// Offspring count per active unit: Binomial(K, m/K).
    offspring: Binomial,
    /// External activations per step: Poisson(h).
    external: Option<Poisson<f64>>,
    m: f64,
    h: f64,
    active: Vec<u32>,
    next: Vec<u32>,
    /// The step at which each unit was last activated (marks units active in the step being built).
    stamp: Vec<u64>,
    /// Positions chosen in a row this step (scratch).
    chosen: Vec<usize>,
    steps: u64,
    rng: SimRng,
}

/// What continues a branching network's run exactly.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BranchingState {
    /// Units active in the current step.
    pub active: Vec<u32>,
    /// Steps taken.
    pub steps: u64,
    /// The generator of the offspring and the drive.
    pub rng: SimRng,
    /// Branching ratio.
    pub m: f64,
    /// External drive.
    pub h: f64,
}

/// Most units a branching network may have.
pub const MAX_UNITS: usize = 10_000_000;

impl BranchingNetwork {
    /// A network of `n` units with `k` random targets each, branching ratio `m` and external drive
    /// `h` (expected external activations per step); `seed` fixes the wiring and the activity.
    pub fn new(n: usize, k: usize, m: f64, h: f64, seed: u64) -> Result<Self, String> {
        if !(2..=MAX_UNITS).contains(&n) {
            return Err(format!("the network needs 2 to {MAX_UNITS} units, not {n}"));
        }
        if k == 0 || k >= n || k > 10_000 {
            return Err(format!(
                "each unit needs 1 to {} targets (fewer than the {n} units), not {k}",
                10_000.min(n - 1)
            ));
        }
        let mut wiring = substream(seed, 1);
        // Target s of unit i = s / K: any unit but i.
        let targets = (0..n * k)
            .map(|s| {
                let t = wiring.random_range(0..n - 1);
                (if t >= s / k { t + 1 } else { t }) as u32
            })
            .collect();
        let mut network = Self {
            targets,
            out_degree: k,
            offspring: Binomial::new(k as u64, 0.0).map_err(|e| e.to_string())?,
            external: None,
            m: 0.0,
            h: 0.0,
            active: Vec::new(),
            next: Vec::new(),
            stamp: vec![u64::MAX; n],
            chosen: Vec::new(),
            steps: 0,
            rng: substream(seed, 2),
        };
        network.set_m(m)?;
        network.set_h(h)?;
        Ok(network)
    }

    /// Sets the branching ratio (0 ≤ m ≤ K, the expected number of units one activates).
    pub fn set_m(&mut self, m: f64) -> Result<(), String> {
        let k = self.out_degree as f64;
        if !(m.is_finite() && (0.0..=k).contains(&m)) {
            return Err(format!(
                "the branching ratio m must be between 0 and K = {k}, not {m}"
            ));
        }
        self.offspring = Binomial::new(self.out_degree as u64, m / k).map_err(|e| e.to_string())?;
        self.m = m;
        Ok(())
    }

    /// Sets the external drive: expected external activations per step (h ≥ 0).
    pub fn set_h(&mut self, h: f64) -> Result<(), String> {
        if !(h.is_finite() && h >= 0.0 && h <= self.stamp.len() as f64) {
            return Err(format!(
                "the drive h must be between 0 and N = {} activations per step, not {h}",
                self.stamp.len()
            ));
        }
        self.external = if h > 0.0 {
            Some(Poisson::new(h).map_err(|e| e.to_string())?)
        } else {
            None
        };
        self.h = h;
        Ok(())
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.stamp.len()
    }

    /// The branching ratio.
    pub fn m(&self) -> f64 {
        self.m
    }

    /// The external drive, in activations per step.
    pub fn h(&self) -> f64 {
        self.h
    }

    /// Units active in the current step.
    pub fn active(&self) -> &[u32] {
        &self.active
    }

    /// Makes `unit` active in the current step (seeding an avalanche).
    pub fn activate(&mut self, unit: u32) {
        let i = unit as usize;
        if i < self.stamp.len() && self.stamp[i] != self.steps {
            self.stamp[i] = self.steps;
            self.active.push(unit);
        }
    }

    /// Advances one step: the active units' offspring and the external activations become active.
    pub fn step(&mut self) -> &[u32] {
        let next_step = self.steps + 1;
        self.next.clear();
        let k = self.out_degree;
        for &unit in &self.active {
            let count = self.offspring.sample(&mut self.rng) as usize;
            let row = &self.targets[unit as usize * k..(unit as usize + 1) * k];
            // `count` distinct targets of the row, by rejection of positions already chosen
            // (the count is about m, so a repeat is rare).
            self.chosen.clear();
            for _ in 0..count {
                let pick = loop {
                    let p = self.rng.random_range(0..k);
                    if !self.chosen.contains(&p) {
                        break p;
                    }
                };
                self.chosen.push(pick);
                let target = row[pick];
                if self.stamp[target as usize] != next_step {
                    self.stamp[target as usize] = next_step;
                    self.next.push(target);
                }
            }
        }
        if let Some(external) = &self.external {
            let count = external.sample(&mut self.rng) as usize;
            let n = self.stamp.len();
            for _ in 0..count {
                let unit = self.rng.random_range(0..n) as u32;
                if self.stamp[unit as usize] != next_step {
                    self.stamp[unit as usize] = next_step;
                    self.next.push(unit);
                }
            }
        }
        std::mem::swap(&mut self.active, &mut self.next);
        self.steps = next_step;
        &self.active
    }

    /// Captures what continues the run exactly (the wiring comes again from N, K and the seed).
    pub fn save(&self) -> BranchingState {
        BranchingState {
            active: self.active.clone(),
            steps: self.steps,
            rng: self.rng.clone(),
            m: self.m,
            h: self.h,
        }
    }

    /// The network of `n`, `k` and `seed` continuing from a saved state.
    pub fn restore(n: usize, k: usize, seed: u64, state: BranchingState) -> Result<Self, String> {
        let mut network = Self::new(n, k, state.m, state.h, seed)?;
        if state.active.iter().any(|&u| u as usize >= n) {
            return Err(format!("an active unit lies beyond the {n} units"));
        }
        for &u in &state.active {
            network.stamp[u as usize] = state.steps;
        }
        network.active = state.active;
        network.steps = state.steps;
        network.rng = state.rng;
        Ok(network)
    }

    /// Ends all activity (the next step has only external activations).
    pub fn silence(&mut self) {
        self.active.clear();
    }

    /// Steps taken.
    pub fn steps_done(&self) -> u64 {
        self.steps
    }
}

/// A branching ratio estimated from an activity time series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BranchingEstimate {
    /// The multistep-regression estimate: m of the fit r_k = b·m^k over k = 1..k_max.
    pub m_mr: f64,
    /// The fit's amplitude b (1 for full sampling, smaller under subsampling).
    pub b: f64,
    /// The conventional estimate: the slope r_1 of A_{t+1} against A_t (biased by subsampling).
    pub m_conventional: f64,
    /// The autocorrelation time −1/ln m̂ of the MR estimate, in steps (infinite at m̂ ≥ 1).
    pub tau_steps: f64,
    /// How much of the slopes' variance over k the exponential explains (R²): near 1 for a
    /// branching process, low when the activity oscillates or does not decay exponentially.
    pub fit_r2: f64,
    /// The regression slopes r_k, k = 1..k_max.
    pub slopes: Vec<f64>,
}

/// Slope of the linear regression of `a[t + k]` on `a[t]`, for k = 1..=k_max.
pub fn regression_slopes(activity: &[f64], k_max: usize) -> Vec<f64> {
    (1..=k_max)
        .map(|k| {
            if activity.len() <= k + 1 {
                return f64::NAN;
            }
            let x = &activity[..activity.len() - k];
            let y = &activity[k..];
            let len = x.len() as f64;
            let (mean_x, mean_y) = (x.iter().sum::<f64>() / len, y.iter().sum::<f64>() / len);
            let (mut cov, mut var) = (0.0, 0.0);
            for (&a, &b) in x.iter().zip(y) {
                cov += (a - mean_x) * (b - mean_y);
                var += (a - mean_x) * (a - mean_x);
            }
            if var > 0.0 { cov / var } else { f64::NAN }
        })
        .collect()
}

/// The multistep-regression estimate of the branching ratio from an activity series (of the whole
/// network or of a subsample), over lags 1..=k_max; None when the activity does not vary.
///
/// Subsampling multiplies every slope by the same factor b (Wilting & Priesemann 2018, eq. 4), so
/// the exponential's rate m is unbiased where r_1 = b·m is not. The fit minimises
/// Σ_k (r_k − b·m^k)² with b in closed form for each m, scanning m over (0, 1.2) and refining by
/// golden-section search.
pub fn estimate_branching(activity: &[f64], k_max: usize) -> Option<BranchingEstimate> {
    let slopes = regression_slopes(activity, k_max.max(2));
    if slopes.iter().any(|r| !r.is_finite()) {
        return None;
    }
    // The residual up to a constant (Σ r_k² is left out) of the best b for a given m.
    let residual = |m: f64| -best_amplitude(&slopes, m).1;
    let grid = 1200;
    let (mut best, mut best_m) = (f64::INFINITY, 0.5);
    for g in 1..grid {
        let m = 1.2 * g as f64 / grid as f64;
        let value = residual(m);
        if value < best {
            (best, best_m) = (value, m);
        }
    }
    let step = 1.2 / grid as f64;
    let m = golden_section_minimum(residual, (best_m - step).max(1e-9), best_m + step);
    let b = best_amplitude(&slopes, m).0;
    let mean_slope = slopes.iter().sum::<f64>() / slopes.len() as f64;
    let (mut residual_ss, mut total_ss, mut power) = (0.0, 0.0, 1.0);
    for &r in &slopes {
        power *= m;
        residual_ss += (r - b * power).powi(2);
        total_ss += (r - mean_slope).powi(2);
    }
    Some(BranchingEstimate {
        m_mr: m,
        b,
        fit_r2: if total_ss > 0.0 {
            1.0 - residual_ss / total_ss
        } else {
            0.0
        },
        m_conventional: slopes[0],
        tau_steps: if m < 1.0 { -1.0 / m.ln() } else { f64::INFINITY },
        slopes,
    })
}

/// For a fixed m, the amplitude b minimising Σ_k (r_k − b·m^k)², and (Σ_k r_k m^k)² / Σ_k m^2k, by
/// which that minimum lies below Σ_k r_k².
fn best_amplitude(slopes: &[f64], m: f64) -> (f64, f64) {
    let (mut rm, mut mm, mut power) = (0.0, 0.0, 1.0);
    for &r in slopes {
        power *= m;
        rm += r * power;
        mm += power * power;
    }
    if mm > 0.0 {
        (rm / mm, rm * rm / mm)
    } else {
        (0.0, 0.0)
    }
}

/// `steps` steps of `network`: the active units of the whole network and among `observed` (a
/// subsample) in each step.
pub fn record_activity(
    network: &mut BranchingNetwork,
    observed: &[u32],
    steps: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut watched = vec![false; network.n_units()];
    for &u in observed {
        watched[u as usize] = true;
    }
    (0..steps)
        .map(|_| {
            let active = network.step();
            let seen = active.iter().filter(|&&u| watched[u as usize]).count();
            (active.len() as f64, seen as f64)
        })
        .unzip()
}

/// A random subsample of `fraction` of the network's units (at least one).
pub fn random_subsample(n: usize, fraction: f64, seed: u64) -> Vec<u32> {
    let count = ((n as f64 * fraction.clamp(0.0, 1.0)).round() as usize).clamp(1, n);
    let mut rng = substream(seed, 3);
    rand::seq::index::sample(&mut rng, n, count)
        .into_iter()
        .map(|i| i as u32)
        .collect()
}

/// One avalanche: the activity between two silent steps.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Avalanche {
    /// Activations in all its steps.
    pub size: u64,
    /// Steps it lasted.
    pub duration: u64,
}

/// `count` avalanches of an undriven network (separation of time scales, h → 0): each starts from
/// one random unit when the network is silent and runs until it dies out or reaches `max_steps`.
pub fn avalanches(network: &mut BranchingNetwork, count: usize, max_steps: u64, seed: u64) -> Vec<Avalanche> {
    let mut rng = substream(seed, 4);
    let n = network.n_units();
    (0..count)
        .map(|_| {
            network.activate(rng.random_range(0..n) as u32);
            let (mut size, mut duration) = (network.active().len() as u64, 1u64);
            while duration < max_steps {
                let active = network.step().len() as u64;
                if active == 0 {
                    break;
                }
                size += active;
                duration += 1;
            }
            // A capped avalanche is dropped before the next one starts.
            network.silence();
            Avalanche { size, duration }
        })
        .collect()
}

/// The exponent α of P(x) ∝ x^−α fitted to `values` between `x_min` and `x_max` by maximum
/// likelihood for a discrete power law truncated to that range (Clauset, Shalizi & Newman 2009,
/// with the normalisation summed over the range); None with fewer than 10 values in range.
pub fn power_law_exponent(values: &[u64], x_min: u64, x_max: u64) -> Option<f64> {
    let inside: Vec<f64> = values
        .iter()
        .filter(|&&x| x >= x_min && x <= x_max)
        .map(|&x| x as f64)
        .collect();
    if inside.len() < 10 || x_min == 0 || x_max <= x_min {
        return None;
    }
    let mean_log = inside.iter().map(|x| x.ln()).sum::<f64>() / inside.len() as f64;
    // −log-likelihood per value: α·mean ln x + ln Σ_{x=x_min}^{x_max} x^−α.
    let nll = |alpha: f64| {
        let z: f64 = (x_min..=x_max).map(|x| (x as f64).powf(-alpha)).sum();
        alpha * mean_log + z.ln()
    };
    Some(golden_section_minimum(nll, 0.5, 4.0))
}

/// The minimum of a unimodal `f` on [lo, hi] by golden-section search, to ~1e-12 of the interval.
fn golden_section_minimum(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let golden = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let (a, b) = (hi - golden * (hi - lo), lo + golden * (hi - lo));
        if f(a) < f(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    0.5 * (lo + hi)
}

/// P(T > t), t = 0..=t_max, for the duration T (in steps) of an avalanche started by one unit of a
/// branching process whose units each activate Binomial(K, m/K) others: with the offspring's
/// generating function f(s) = (1 − p + p·s)^K, p = m/K, the chance to have died out within t steps is
/// q_t = f(q_{t−1}), q_0 = 0 (Harris 1963). At m = 1, t·P(T > t) → 2/σ² (σ² = m(1 − p) the offspring
/// variance), so P(T = t) ∝ t^−2 only asymptotically: fitted between 5 and 300 steps the exact
/// law gives an exponent of 1.80 at K = 10.
pub fn duration_survival(k: usize, m: f64, t_max: usize) -> Vec<f64> {
    let p = m / k as f64;
    let generating = |s: f64| (1.0 - p + p * s).powi(k as i32);
    let mut died = 0.0;
    let mut survival = Vec::with_capacity(t_max + 1);
    survival.push(1.0);
    for _ in 0..t_max {
        died = generating(died);
        survival.push(1.0 - died);
    }
    survival
}
