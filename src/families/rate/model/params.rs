//! What the user sets ([`RateParams`]), the transfer function and the learning rule derived from it.
//!
//! The defaults are the medians of the fits to inferior-temporal-cortex recordings in Pereira &
//! Brunel (Neuron 2018, 99:227). The paper's figures are made by the authors' code
//! (github.com/ulisespereira/AttractorDynamics), which reads the 14 fitted values of every
//! parameter from `Dynamics/numeric/parametersFit.p` and takes `np.median` of each
//! (`Dynamics/numeric/mft_curves/main.py`, lines 14–27): `paramfit[0][0..3]` are r_max, β, h0 of
//! the transfer function and `paramfit[1][0..4]` are A, q_f, β_f, x_f of the learning rule; the
//! post-synaptic and pre-synaptic rules share the slope and threshold (`paramLR =
//! [xf,xf,bf_median,bf_median,qf,amp_median]`, line 31). The constants below are those medians to
//! full double precision (read from the pickle; each is the mean of the 7th and 8th of 14 values).
//! Note that the code's fixed-point scripts use `A = np.median(...)` (`Capacity_vs_g/.../main.py`
//! line 23, the capacity figure) while the chaotic-retrieval figure multiplies it by 3
//! (`Dynamics/numeric/mft_curves/main.py` line 24); engram's default is the median itself.

use serde::{Deserialize, Serialize};

use super::RateError;

/// Median maximal rate r_max of the fitted transfer functions, in Hz (`paramfit[0][0]`).
pub const PAPER_R_MAX_HZ: f64 = 76.217_829_398_769_42;
/// Median gain β of the fitted transfer functions, per unit of input current (`paramfit[0][1]`).
pub const PAPER_GAIN: f64 = 0.823_561_365_719_483_1;
/// Median threshold h0 of the fitted transfer functions, in units of input current (`paramfit[0][2]`).
pub const PAPER_THRESHOLD: f64 = 2.462_551_994_076_426;
/// Median amplitude A of the fitted learning rules (`paramfit[1][0]`).
pub const PAPER_AMPLITUDE: f64 = 3.550_593_784_374_690_6;
/// Median q_f of the fitted post-synaptic rule (`paramfit[1][1]`).
pub const PAPER_Q_F: f64 = 0.827_488_280_791_248_5;
/// Median slope β_f = β_g of the fitted rules, per Hz (`paramfit[1][2]`).
pub const PAPER_BETA_F_PER_HZ: f64 = 0.281_823_955_130_437_8;
/// Median threshold x_f = x_g of the fitted rules, in Hz (`paramfit[1][3]`).
pub const PAPER_X_F_HZ: f64 = 26.594_968_159_566_278;
/// Time constant of the rate dynamics in the authors' code, in ms (`network_dynamics.py`, `tau=20.`).
pub const PAPER_TAU_MS: f64 = 20.0;

/// Most synapses engram builds (8 bytes each: a u32 index and an f32 weight, about 3.2 GB).
pub const MAX_SYNAPSES: f64 = 400e6;
/// Most stored pattern entries P·N (three f32 copies: currents, f and g of the rates).
pub const MAX_PATTERN_ENTRIES: f64 = 200e6;

/// What the user sets. Currents (ξ, h0, the cue) are dimensionless: in units of the standard
/// deviation of the stored input patterns, as in the paper.
/// A scenario may give only the parameters it changes: the others keep their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateParams {
    /// Number of neurons N.
    pub n: usize,
    /// Connection probability c (c_ij ~ Bernoulli(c), no self-coupling).
    pub connection_prob: f64,
    /// Number of stored patterns P; the load is α = P/(cN).
    pub patterns: usize,
    /// Time constant τ of the rates, in ms.
    pub tau_ms: f64,
    /// Integration step, in ms.
    pub dt_ms: f64,
    /// Maximal rate r_max of φ, in Hz.
    pub r_max_hz: f64,
    /// Gain β of φ(h) = r_max / (1 + exp(−β (h − h0))), per unit of current.
    pub gain: f64,
    /// Threshold h0 of φ, in units of current.
    pub threshold: f64,
    /// Learning-rule amplitude A (W_ij = A c_ij/(cN) Σ_μ f(r_i^μ) g(r_j^μ)).
    pub amplitude: f64,
    /// q_f of the post-synaptic rule f(r) = (2 q_f − 1 + tanh(β_f (r − x_f)))/2.
    pub q_f: f64,
    /// Slope β_f of the post-synaptic rule, per Hz.
    pub beta_f_per_hz: f64,
    /// Threshold x_f of the post-synaptic rule, in Hz.
    pub x_f_hz: f64,
    /// Slope β_g of the pre-synaptic rule g(r) = (2 q_g − 1 + tanh(β_g (r − x_g)))/2, per Hz
    /// (q_g is derived: it makes E[g(φ(ξ))] = 0).
    pub beta_g_per_hz: f64,
    /// Threshold x_g of the pre-synaptic rule, in Hz.
    pub x_g_hz: f64,
    /// Default strength s of a cue, the input current I_i = s ξ_i^μ (the authors' code uses 1).
    pub cue_strength: f64,
}

impl Default for RateParams {
    /// The paper's medians, N = 5000, c = 0.05 (K = cN = 250 inputs, the paper's K) and P = 25
    /// (α = 0.1, well below the mean-field capacity ≈ 0.55), dt = 0.5 ms as the authors' code.
    fn default() -> Self {
        Self {
            n: 5000,
            connection_prob: 0.05,
            patterns: 25,
            tau_ms: PAPER_TAU_MS,
            dt_ms: 0.5,
            r_max_hz: PAPER_R_MAX_HZ,
            gain: PAPER_GAIN,
            threshold: PAPER_THRESHOLD,
            amplitude: PAPER_AMPLITUDE,
            q_f: PAPER_Q_F,
            beta_f_per_hz: PAPER_BETA_F_PER_HZ,
            x_f_hz: PAPER_X_F_HZ,
            beta_g_per_hz: PAPER_BETA_F_PER_HZ,
            x_g_hz: PAPER_X_F_HZ,
            cue_strength: 1.0,
        }
    }
}

fn bad(message: String) -> Result<(), RateError> {
    Err(RateError::Params(message))
}

fn check_range(name: &str, value: f64, low: f64, high: f64, unit: &str) -> Result<(), RateError> {
    if !(value.is_finite() && value >= low && value <= high) {
        return bad(format!(
            "{name} must be between {low} and {high}{unit}, not {value}"
        ));
    }
    Ok(())
}

fn check_positive(name: &str, value: f64, high: f64, unit: &str) -> Result<(), RateError> {
    if !(value.is_finite() && value > 0.0 && value <= high) {
        return bad(format!(
            "{name} must be above 0 and at most {high}{unit}, not {value}"
        ));
    }
    Ok(())
}

impl RateParams {
    /// The load α = P/(cN).
    pub fn load(&self) -> f64 {
        self.patterns as f64 / (self.connection_prob * self.n as f64)
    }

    /// The number of patterns closest to load `alpha` (at least 1).
    pub fn patterns_at(&self, alpha: f64) -> usize {
        ((alpha * self.connection_prob * self.n as f64).round() as usize).max(1)
    }

    /// Expected number of synapses c N (N − 1).
    pub fn expected_synapses(&self) -> f64 {
        self.connection_prob * self.n as f64 * (self.n as f64 - 1.0).max(0.0)
    }

    /// Checks every parameter; the message names the parameter and its allowed range.
    pub fn validate(&self) -> Result<(), RateError> {
        if self.n < 2 || self.n > 1_000_000 {
            return bad(format!("n must be between 2 and 1000000 neurons, not {}", self.n));
        }
        check_positive("connection_prob", self.connection_prob, 1.0, "")?;
        if self.patterns == 0 {
            return bad("patterns must be at least 1".into());
        }
        check_positive("tau_ms", self.tau_ms, 1e4, " ms")?;
        check_positive("dt_ms", self.dt_ms, 1e3, " ms")?;
        if self.dt_ms > self.tau_ms {
            return bad(format!(
                "dt_ms ({}) must not exceed tau_ms ({}): the step would skip the dynamics",
                self.dt_ms, self.tau_ms
            ));
        }
        check_positive("r_max_hz", self.r_max_hz, 1e4, " Hz")?;
        check_positive("gain", self.gain, 1e3, "")?;
        check_range("threshold", self.threshold, -1e3, 1e3, "")?;
        check_range("amplitude", self.amplitude, 0.0, 1e4, "")?;
        check_range("q_f", self.q_f, 0.0, 1.0, "")?;
        check_positive("beta_f_per_hz", self.beta_f_per_hz, 1e3, " /Hz")?;
        check_positive("beta_g_per_hz", self.beta_g_per_hz, 1e3, " /Hz")?;
        check_range("x_f_hz", self.x_f_hz, 0.0, self.r_max_hz, " Hz (r_max_hz)")?;
        check_range("x_g_hz", self.x_g_hz, 0.0, self.r_max_hz, " Hz (r_max_hz)")?;
        check_range("cue_strength", self.cue_strength, -1e3, 1e3, "")?;
        let synapses = self.expected_synapses();
        if synapses > MAX_SYNAPSES {
            return bad(format!(
                "n = {} with connection_prob = {} makes about {synapses:.2e} synapses, which would need about {:.1} GB; engram builds at most {MAX_SYNAPSES:.0e}: use fewer neurons or a lower connection_prob",
                self.n,
                self.connection_prob,
                synapses * 8.0 / 1e9
            ));
        }
        let entries = self.patterns as f64 * self.n as f64;
        if entries > MAX_PATTERN_ENTRIES {
            return bad(format!(
                "patterns = {} at n = {} stores {entries:.2e} pattern entries; engram stores at most {MAX_PATTERN_ENTRIES:.0e}: use fewer patterns",
                self.patterns, self.n
            ));
        }
        Ok(())
    }

    /// True when going from `self` to `new` changes the couplings W (N, c, P, A, φ, f or g).
    pub fn changes_structure(&self, new: &RateParams) -> bool {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        self.n != new.n
            || self.patterns != new.patterns
            || !same(self.connection_prob, new.connection_prob)
            || !same(self.r_max_hz, new.r_max_hz)
            || !same(self.gain, new.gain)
            || !same(self.threshold, new.threshold)
            || !same(self.amplitude, new.amplitude)
            || !same(self.q_f, new.q_f)
            || !same(self.beta_f_per_hz, new.beta_f_per_hz)
            || !same(self.x_f_hz, new.x_f_hz)
            || !same(self.beta_g_per_hz, new.beta_g_per_hz)
            || !same(self.x_g_hz, new.x_g_hz)
    }

    /// The transfer function φ.
    pub fn transfer(&self) -> Transfer {
        Transfer {
            r_max_hz: self.r_max_hz,
            gain: self.gain,
            threshold: self.threshold,
        }
    }

    /// The learning rule, with q_g derived so that E[g(φ(ξ))] = 0 for ξ ~ N(0, 1).
    pub fn rule(&self) -> Rule {
        Rule::new(
            &self.transfer(),
            self.amplitude,
            self.q_f,
            self.beta_f_per_hz,
            self.x_f_hz,
            self.beta_g_per_hz,
            self.x_g_hz,
        )
    }
}

/// The transfer function φ(h) = r_max / (1 + exp(−β (h − h0))).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    /// r_max, in Hz.
    pub r_max_hz: f64,
    /// β, per unit of current.
    pub gain: f64,
    /// h0, in units of current.
    pub threshold: f64,
}

impl Transfer {
    /// The current h at which φ(h) = `rate_hz` (for 0 < rate < r_max).
    pub fn inverse(&self, rate_hz: f64) -> f64 {
        self.threshold + (rate_hz / (self.r_max_hz - rate_hz)).ln() / self.gain
    }
}

/// φ(h) = r_max / (1 + exp(−β (h − h0))), in Hz.
pub fn phi(h: f64, transfer: &Transfer) -> f64 {
    transfer.r_max_hz / (1.0 + (-transfer.gain * (h - transfer.threshold)).exp())
}

/// The separable learning rule W_ij ∝ f(r_i) g(r_j) of the paper, with q_g derived.
///
/// A slope of `f64::INFINITY` is the step-function limit: f(r) = q_f above x_f and q_f − 1 below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Amplitude A.
    pub amplitude: f64,
    /// q_f.
    pub q_f: f64,
    /// β_f, per Hz (infinite: step).
    pub beta_f_per_hz: f64,
    /// x_f, in Hz.
    pub x_f_hz: f64,
    /// q_g, derived.
    pub q_g: f64,
    /// β_g, per Hz (infinite: step).
    pub beta_g_per_hz: f64,
    /// x_g, in Hz.
    pub x_g_hz: f64,
}

impl Rule {
    /// A rule with q_g solved from E[g(φ(ξ))] = 0.
    ///
    /// g is affine in q_g with slope 1: E[g] = q_g − ½ + ½ E[tanh(β_g (φ(ξ) − x_g))], so the root
    /// is q_g = ½ (1 − E[tanh(β_g (φ(ξ) − x_g))]) exactly, with no bisection (the authors' code
    /// finds the same root with `brentq`, `learning_rule.py` line 45). The expectation uses
    /// engram's Gaussian quadrature ([`super::quadrature`]), split at the threshold x_g.
    /// In the step limit E[sign(φ(ξ) − x_g)] = 1 − 2Φ(ξ*), so q_g = Φ(ξ*) with φ(ξ*) = x_g.
    pub fn new(
        transfer: &Transfer,
        amplitude: f64,
        q_f: f64,
        beta_f_per_hz: f64,
        x_f_hz: f64,
        beta_g_per_hz: f64,
        x_g_hz: f64,
    ) -> Self {
        let mut rule = Self {
            amplitude,
            q_f,
            beta_f_per_hz,
            x_f_hz,
            q_g: 0.5,
            beta_g_per_hz,
            x_g_hz,
        };
        let mean_tanh = super::quadrature::gaussian_mean(&rule.breakpoints(transfer), |xi| {
            step_tanh(beta_g_per_hz, phi(xi, transfer) - x_g_hz)
        });
        rule.q_g = 0.5 * (1.0 - mean_tanh);
        rule
    }

    /// The same rule in the step-function limit β_f, β_g → ∞ (q_g solved again).
    pub fn step_limit(&self, transfer: &Transfer) -> Self {
        Self::new(
            transfer,
            self.amplitude,
            self.q_f,
            f64::INFINITY,
            self.x_f_hz,
            f64::INFINITY,
            self.x_g_hz,
        )
    }

    /// Input currents ξ at which f or g change fastest (their thresholds), for quadratures.
    pub fn breakpoints(&self, transfer: &Transfer) -> Vec<f64> {
        [self.x_f_hz, self.x_g_hz]
            .iter()
            .filter(|&&x| x > 0.0 && x < transfer.r_max_hz)
            .map(|&x| transfer.inverse(x))
            .collect()
    }
}

/// tanh(β x), with β = ∞ meaning sign(x) (and 0 at x = 0).
fn step_tanh(beta: f64, x: f64) -> f64 {
    if beta.is_infinite() {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            0.0
        }
    } else {
        (beta * x).tanh()
    }
}

/// Post-synaptic rule f(r) = (2 q_f − 1 + tanh(β_f (r − x_f)))/2 (`learning_rule.py` line 39).
pub fn f_rule(rate_hz: f64, rule: &Rule) -> f64 {
    0.5 * (2.0 * rule.q_f - 1.0 + step_tanh(rule.beta_f_per_hz, rate_hz - rule.x_f_hz))
}

/// Pre-synaptic rule g(r) = (2 q_g − 1 + tanh(β_g (r − x_g)))/2 (`learning_rule.py` line 42).
pub fn g_rule(rate_hz: f64, rule: &Rule) -> f64 {
    0.5 * (2.0 * rule.q_g - 1.0 + step_tanh(rule.beta_g_per_hz, rate_hz - rule.x_g_hz))
}
