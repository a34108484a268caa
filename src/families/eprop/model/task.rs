//! What the network is trained to do: its frozen input spikes and its target.
//!
//! * **Pattern generation** (Bellec et al. 2020, Fig. 2 and the authors' tutorial): every input
//!   channel is a frozen Poisson train (the same in every trial); the readout must draw a sum of
//!   sines with periods 1000, 500, 333 and 200 ms, amplitudes drawn from [0.5, 2] and phases from
//!   [0, 2π), shifted to start at 0 and scaled to a largest |value| of 1.
//! * **Rate and variance**: no readout; the population's mean rate r should reach r0 and the
//!   standard deviation σ of its global rate (in bins) should reach σ_r.

use rand::RngExt;

use crate::rng::SimRng;

/// Periods of the target's sines, in ms (the paper's).
pub const SINE_PERIODS_MS: [f64; 4] = [1000.0, 500.0, 333.0, 200.0];

/// The task chosen.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum TaskParams {
    /// The readout draws a sum of sines.
    Pattern {
        /// Readout outputs (each its own target curve).
        outputs: usize,
    },
    /// The population's rate and the spread of its global rate reach targets.
    Rate {
        /// Target mean rate r0, in Hz.
        target_hz: f64,
        /// Target standard deviation σ_r of the global rate in bins, in Hz.
        target_sigma_hz: f64,
        /// Bin of the global rate, in ms.
        bin_ms: usize,
        /// Weight α of (r − r0)² (per Hz²).
        alpha: f64,
        /// Weight β of (σ − σ_r)² (per Hz²).
        beta: f64,
    },
}

impl Default for TaskParams {
    fn default() -> Self {
        TaskParams::Pattern { outputs: 1 }
    }
}

impl TaskParams {
    /// The default rate task: 20 Hz with a global-rate spread of 5 Hz in 10 ms bins.
    pub fn rate_default() -> Self {
        TaskParams::Rate {
            target_hz: 20.0,
            target_sigma_hz: 5.0,
            bin_ms: 10,
            alpha: 1.0,
            beta: 1.0,
        }
    }

    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self, trial_ms: usize) -> Result<(), String> {
        match *self {
            TaskParams::Pattern { outputs } => {
                if !(1..=8).contains(&outputs) {
                    return Err(format!("outputs must be between 1 and 8, not {outputs}"));
                }
            }
            TaskParams::Rate {
                target_hz,
                target_sigma_hz,
                bin_ms,
                alpha,
                beta,
            } => {
                if !(target_hz > 0.0 && target_hz <= 200.0) {
                    return Err(format!("the target rate must be in (0, 200] Hz, not {target_hz}"));
                }
                if !(0.0..=1000.0).contains(&target_sigma_hz) {
                    return Err(format!(
                        "the target σ must be in [0, 1000] Hz, not {target_sigma_hz}"
                    ));
                }
                if !(1..=trial_ms / 2).contains(&bin_ms) {
                    return Err(format!(
                        "the bin must be between 1 ms and half a trial, not {bin_ms} ms"
                    ));
                }
                if !(alpha.is_finite()
                    && beta.is_finite()
                    && alpha >= 0.0
                    && beta >= 0.0
                    && alpha + beta > 0.0)
                {
                    return Err(format!(
                        "α and β must be ≥ 0 and not both 0 (α {alpha}, β {beta})"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Number of readout outputs (0 for the rate task).
    pub fn outputs(&self) -> usize {
        match self {
            TaskParams::Pattern { outputs } => *outputs,
            TaskParams::Rate { .. } => 0,
        }
    }

    /// "pattern generation" or "rate 20 Hz, σ 5 Hz".
    pub fn describe(&self) -> String {
        match self {
            TaskParams::Pattern { .. } => "pattern generation".into(),
            TaskParams::Rate {
                target_hz,
                target_sigma_hz,
                ..
            } => format!("rate {target_hz} Hz, σ {target_sigma_hz} Hz"),
        }
    }
}

/// A trial's frozen input and target.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The task's parameters.
    pub params: TaskParams,
    /// Input channels spiking at each step (1 ms), the same every trial.
    pub input: Vec<Vec<u32>>,
    /// Target of each output at each step: `target[t][k]` (empty for the rate task).
    pub target: Vec<Vec<f64>>,
}

impl Task {
    /// Frozen Poisson input of `n_in` channels at `input_hz` for `trial_ms` steps of 1 ms, and the
    /// target, all drawn from `rng`.
    pub fn draw(params: TaskParams, n_in: usize, input_hz: f64, trial_ms: usize, rng: &mut SimRng) -> Self {
        let p = input_hz / 1000.0;
        let input = (0..trial_ms)
            .map(|_| (0..n_in as u32).filter(|_| rng.random::<f64>() < p).collect())
            .collect();
        let curves: Vec<Vec<f64>> = (0..params.outputs())
            .map(|_| sum_of_sines(trial_ms, rng))
            .collect();
        let target = (0..if curves.is_empty() { 0 } else { trial_ms })
            .map(|t| curves.iter().map(|c| c[t]).collect())
            .collect();
        Self {
            params,
            input,
            target,
        }
    }

    /// Steps in a trial.
    pub fn steps(&self) -> usize {
        self.input.len()
    }

    /// Variance of the target over time, summed over outputs: the normaliser of the MSE.
    pub fn target_variance(&self) -> f64 {
        let outputs = self.params.outputs();
        let steps = self.target.len().max(1) as f64;
        (0..outputs)
            .map(|k| {
                let mean = self.target.iter().map(|row| row[k]).sum::<f64>() / steps;
                self.target.iter().map(|row| (row[k] - mean).powi(2)).sum::<f64>() / steps
            })
            .sum()
    }
}

/// A sum of sines with the paper's periods, random amplitudes in [0.5, 2] and phases, shifted to
/// start at 0 and scaled so that the largest |value| is 1.
pub fn sum_of_sines(steps: usize, rng: &mut SimRng) -> Vec<f64> {
    let sines: Vec<(f64, f64, f64)> = SINE_PERIODS_MS
        .iter()
        .map(|&period| {
            let amplitude = 0.5 + 1.5 * rng.random::<f64>();
            let phase = std::f64::consts::TAU * rng.random::<f64>();
            (amplitude, phase, period)
        })
        .collect();
    let raw: Vec<f64> = (0..steps)
        .map(|t| {
            sines
                .iter()
                .map(|&(a, phase, period)| a * (phase + std::f64::consts::TAU * t as f64 / period).sin())
                .sum()
        })
        .collect();
    let start = raw.first().copied().unwrap_or(0.0);
    let largest = raw.iter().map(|v| (v - start).abs()).fold(1e-6, f64::max);
    raw.iter().map(|v| (v - start) / largest).collect()
}
