//! Current protocols: a step, a ramp, a train of pulses or a noisy current, repeated every cycle so a
//! live scene keeps showing responses. Noise is an Ornstein-Uhlenbeck current (exact update) drawn
//! from the scene's seed.

use rand_distr::{Distribution, StandardNormal};

use super::CellError;
use crate::rng::SimRng;

/// The shape of the input current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputShape {
    /// The amplitude all the time (on top of the baseline).
    Constant,
    /// The amplitude from the onset for the duration.
    #[default]
    Step,
    /// From 0 at the onset to the amplitude at the end of the duration.
    Ramp,
    /// Pulses of the amplitude, each `pulse_width_ms` long, every `pulse_period_ms`, within the window.
    Pulses,
    /// The amplitude as a mean with Ornstein-Uhlenbeck fluctuations of `noise_sd`, within the window.
    Noise,
    /// A current drawn by hand: `drawn` spread evenly over the window, linearly interpolated.
    Drawn,
}

impl InputShape {
    /// Every shape, in the order the menus show them.
    pub const ALL: [InputShape; 6] = [
        Self::Step,
        Self::Ramp,
        Self::Pulses,
        Self::Noise,
        Self::Drawn,
        Self::Constant,
    ];

    /// The shape's name as menus show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Constant => "constant",
            Self::Step => "step",
            Self::Ramp => "ramp",
            Self::Pulses => "pulses",
            Self::Noise => "noise",
            Self::Drawn => "drawn",
        }
    }
}

/// A current protocol (currents in the model's unit: µA/cm² for HH, pA otherwise).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stimulus {
    /// The shape.
    pub shape: InputShape,
    /// Current added at all times.
    #[serde(default)]
    pub baseline: f64,
    /// Height of the step, end of the ramp, height of the pulses, or mean of the noise.
    pub amplitude: f64,
    /// Start of the window within each cycle, in ms.
    pub onset_ms: f64,
    /// Length of the window, in ms.
    pub duration_ms: f64,
    /// Width of each pulse, in ms.
    #[serde(default = "default_pulse_width_ms")]
    pub pulse_width_ms: f64,
    /// Time from one pulse's start to the next, in ms.
    #[serde(default = "default_pulse_period_ms")]
    pub pulse_period_ms: f64,
    /// Standard deviation of the noise, in the current's unit.
    #[serde(default)]
    pub noise_sd: f64,
    /// Correlation time of the noise, in ms.
    #[serde(default = "default_noise_tau_ms")]
    pub noise_tau_ms: f64,
    /// The protocol repeats every cycle, in ms (0: it runs once).
    pub cycle_ms: f64,
    /// The drawn current (shape `drawn`): values spread evenly over the window, in the current's unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drawn: Vec<f64>,
}

fn default_pulse_width_ms() -> f64 {
    2.0
}

fn default_pulse_period_ms() -> f64 {
    20.0
}

fn default_noise_tau_ms() -> f64 {
    2.0
}

impl Default for Stimulus {
    /// A step of 10 µA/cm² from 50 to 350 ms, every 500 ms.
    fn default() -> Self {
        Self {
            shape: InputShape::Step,
            baseline: 0.0,
            amplitude: 10.0,
            onset_ms: 50.0,
            duration_ms: 300.0,
            pulse_width_ms: default_pulse_width_ms(),
            pulse_period_ms: default_pulse_period_ms(),
            noise_sd: 0.0,
            noise_tau_ms: default_noise_tau_ms(),
            cycle_ms: 500.0,
            drawn: Vec::new(),
        }
    }
}

impl Stimulus {
    /// A constant current.
    pub fn constant(current: f64) -> Self {
        Self {
            shape: InputShape::Constant,
            amplitude: current,
            cycle_ms: 0.0,
            ..Self::default()
        }
    }

    /// A step of `amplitude` from `onset_ms` for `duration_ms`, once.
    pub fn step(amplitude: f64, onset_ms: f64, duration_ms: f64) -> Self {
        Self {
            shape: InputShape::Step,
            amplitude,
            onset_ms,
            duration_ms,
            cycle_ms: 0.0,
            ..Self::default()
        }
    }

    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), CellError> {
        let finite = [
            ("baseline", self.baseline),
            ("amplitude", self.amplitude),
            ("noise_sd", self.noise_sd),
        ];
        for (name, value) in finite {
            if !(value.is_finite() && value.abs() <= 1e6) {
                return Err(CellError(format!(
                    "input {name} must be a number of at most 1e6, not {value}"
                )));
            }
        }
        if self.noise_sd < 0.0 {
            return Err(CellError(format!(
                "input noise_sd cannot be negative ({})",
                self.noise_sd
            )));
        }
        let times = [
            ("onset_ms", self.onset_ms),
            ("duration_ms", self.duration_ms),
            ("cycle_ms", self.cycle_ms),
        ];
        for (name, value) in times {
            if !(value.is_finite() && (0.0..=1e7).contains(&value)) {
                return Err(CellError(format!(
                    "input {name} must be between 0 and 1e7 ms, not {value}"
                )));
            }
        }
        let positive = [
            ("pulse_width_ms", self.pulse_width_ms),
            ("pulse_period_ms", self.pulse_period_ms),
            ("noise_tau_ms", self.noise_tau_ms),
        ];
        for (name, value) in positive {
            if !(value.is_finite() && value > 0.0 && value <= 1e7) {
                return Err(CellError(format!(
                    "input {name} must be between 0 and 1e7 ms, not {value}"
                )));
            }
        }
        if self.drawn.len() > MAX_DRAWN_POINTS
            || self.drawn.iter().any(|x| !(x.is_finite() && x.abs() <= 1e6))
        {
            return Err(CellError(format!(
                "a drawn input holds at most {MAX_DRAWN_POINTS} numbers of at most 1e6 each"
            )));
        }
        if self.shape == InputShape::Drawn && self.drawn.len() < 2 {
            return Err(CellError("a drawn input needs at least two points".into()));
        }
        if self.cycle_ms > 0.0 && self.onset_ms + self.duration_ms > self.cycle_ms {
            return Err(CellError(format!(
                "the input window ({} + {} ms) must fit in the cycle ({} ms)",
                self.onset_ms, self.duration_ms, self.cycle_ms
            )));
        }
        Ok(())
    }

    /// Time within the cycle, in ms.
    fn phase_ms(&self, t_ms: f64) -> f64 {
        if self.cycle_ms > 0.0 {
            t_ms.rem_euclid(self.cycle_ms)
        } else {
            t_ms
        }
    }

    /// True while the window is open at time `t_ms`.
    pub fn in_window(&self, t_ms: f64) -> bool {
        let s = self.phase_ms(t_ms);
        self.shape == InputShape::Constant || (s >= self.onset_ms && s < self.onset_ms + self.duration_ms)
    }

    /// The current without noise at time `t_ms`.
    pub fn mean_current(&self, t_ms: f64) -> f64 {
        let s = self.phase_ms(t_ms) - self.onset_ms;
        let inside = self.in_window(t_ms);
        self.baseline
            + match self.shape {
                InputShape::Constant => self.amplitude,
                _ if !inside => 0.0,
                InputShape::Step | InputShape::Noise => self.amplitude,
                InputShape::Ramp => self.amplitude * s / self.duration_ms.max(1e-12),
                InputShape::Drawn => interpolate(&self.drawn, s / self.duration_ms.max(1e-12)),
                InputShape::Pulses => {
                    if s.rem_euclid(self.pulse_period_ms) < self.pulse_width_ms {
                        self.amplitude
                    } else {
                        0.0
                    }
                }
            }
    }
}

/// Most points a drawn input may hold.
pub const MAX_DRAWN_POINTS: usize = 1000;
/// Points a freshly drawn input gets over its window.
pub const DRAWN_POINTS: usize = 100;

/// The value at fraction `x` (0..1) of `values` spread evenly over [0, 1], linearly interpolated.
fn interpolate(values: &[f64], x: f64) -> f64 {
    match values.len() {
        0 => 0.0,
        1 => values[0],
        n => {
            let position = x.clamp(0.0, 1.0) * (n - 1) as f64;
            let k = (position.floor() as usize).min(n - 2);
            let f = position - k as f64;
            values[k] * (1.0 - f) + values[k + 1] * f
        }
    }
}

impl Stimulus {
    /// The protocol's current over its window as [`DRAWN_POINTS`] values (without the baseline):
    /// where a drawing starts when the shape is switched to `drawn`.
    pub fn as_drawn(&self) -> Vec<f64> {
        let blank_drawing = self.shape == InputShape::Drawn && self.drawn.len() < 2;
        let shape = if self.shape == InputShape::Noise || blank_drawing {
            InputShape::Step
        } else {
            self.shape
        };
        let plain = Self {
            shape,
            baseline: 0.0,
            cycle_ms: 0.0,
            onset_ms: 0.0,
            ..self.clone()
        };
        (0..DRAWN_POINTS)
            .map(|k| {
                let t = self.duration_ms * k as f64 / (DRAWN_POINTS - 1) as f64;
                plain.mean_current(t.min(self.duration_ms * (1.0 - 1e-9)))
            })
            .collect()
    }
}

impl Stimulus {
    /// The drawn protocol after the pointer drew `current` at time `t_ms` (any cycle): the point of
    /// the drawing nearest that time of the window is set, and with `previous` (the stroke's last
    /// point) every point between is set on a straight line. None outside the window or without a
    /// drawing. Returns the new protocol and the index drawn.
    pub fn draw(&self, t_ms: f64, current: f64, previous: Option<usize>) -> Option<(Stimulus, usize)> {
        let n = self.drawn.len();
        let phase = self.phase_ms(t_ms);
        let fraction = (phase - self.onset_ms) / self.duration_ms.max(1e-9);
        if n < 2 || !(0.0..=1.0).contains(&fraction) || !current.is_finite() {
            return None;
        }
        let index = (fraction * (n - 1) as f64).round() as usize;
        let value = current - self.baseline;
        let previous = previous.filter(|&p| p < n).unwrap_or(index);
        let mut drawn = self.drawn.clone();
        let start = drawn[previous];
        let (from, to) = (previous.min(index), previous.max(index));
        for (k, x) in drawn.iter_mut().enumerate().take(to + 1).skip(from) {
            let f = if to == from {
                1.0
            } else {
                (k as f64 - previous as f64) / (index as f64 - previous as f64)
            };
            *x = start + (value - start) * f;
        }
        Some((
            Self {
                drawn,
                ..self.clone()
            },
            index,
        ))
    }
}

/// A stimulus being played: the protocol and the state of its noise.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StimulusPlayer {
    /// The noise current now.
    pub noise: f64,
}

impl StimulusPlayer {
    /// No noise yet.
    pub fn new() -> Self {
        Self { noise: 0.0 }
    }

    /// The current at time `t_ms`, advancing the noise by `dt_ms` (exact Ornstein-Uhlenbeck update).
    pub fn current(&mut self, stimulus: &Stimulus, t_ms: f64, dt_ms: f64, rng: &mut SimRng) -> f64 {
        let mean = stimulus.mean_current(t_ms);
        if stimulus.shape != InputShape::Noise || stimulus.noise_sd == 0.0 {
            self.noise = 0.0;
            return mean;
        }
        if !stimulus.in_window(t_ms) {
            self.noise = 0.0;
            return mean;
        }
        let decay = (-dt_ms / stimulus.noise_tau_ms).exp();
        let xi: f64 = StandardNormal.sample(rng);
        self.noise = self.noise * decay + stimulus.noise_sd * (1.0 - decay * decay).sqrt() * xi;
        mean + self.noise
    }
}

impl Default for StimulusPlayer {
    fn default() -> Self {
        Self::new()
    }
}
