//! What defines, commands and shows a sampling scene: setup, commands, info, frames.

use std::sync::Arc;

use super::model::{Exact, MAX_UNITS, SamplerKind};

/// Everything that defines a sampling scene when it is (re)built: a random Boltzmann distribution
/// and the evidence clamped, sampled by every sampler side by side.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingSetup {
    /// Units N (the exact reference is shown up to 20).
    #[serde(default = "default_units")]
    pub units: usize,
    /// Standard deviation of the couplings W_ij = W_ji.
    #[serde(default = "default_weight_scale")]
    pub weight_scale: f64,
    /// Mean of the biases b_k.
    #[serde(default = "default_bias_mean")]
    pub bias_mean: f64,
    /// Standard deviation of the biases.
    #[serde(default = "default_bias_scale")]
    pub bias_scale: f64,
    /// Temperature T: p ∝ exp(E/T).
    #[serde(default = "default_temperature")]
    pub temperature: f64,
    /// PSP length τ of the neural samplers, in 1 ms steps.
    #[serde(default = "default_tau")]
    pub tau_steps: u32,
    /// Seed of W, b and the samplers' streams.
    pub seed: u64,
    /// Evidence: one character per unit, `1` or `0` for a clamped unit, `?` (or nothing at all)
    /// for a free one.
    #[serde(default)]
    pub clamp: String,
    /// Couplings given explicitly, row by row (N × N, symmetric, zero diagonal) instead of drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<Vec<f64>>>,
    /// Biases given explicitly (N of them) instead of drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biases: Option<Vec<f64>>,
    /// A Boltzmann machine that learns bars and stripes instead (the distribution keys above are
    /// then unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learn: Option<LearnSetup>,
}

/// What a Boltzmann machine scene learns and how fast.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnSetup {
    /// What it learns: `"bars-stripes"` (a full machine, exact gradients) or `"letters:A,H,S"`
    /// (a restricted machine on the 16 × 16 letters, contrastive divergence).
    #[serde(default)]
    pub data: LearnData,
    /// Side S of the S × S bars-and-stripes grids (2 to 4; visible units S², hidden ≤ 20 − S²).
    #[serde(default = "default_side")]
    pub side: usize,
    /// Hidden units.
    #[serde(default = "default_hidden")]
    pub hidden: usize,
    /// Learning rate η.
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// Momentum (bars and stripes; contrastive divergence takes none).
    #[serde(default = "default_momentum")]
    pub momentum: f64,
    /// Full-batch epochs before the machine only dreams.
    #[serde(default = "default_epochs")]
    pub epochs: u64,
    /// Simulated ms per epoch (the dreamer sweeps once per ms meanwhile).
    #[serde(default = "default_epoch_ms")]
    pub epoch_ms: u64,
}

fn default_side() -> usize {
    3
}
fn default_hidden() -> usize {
    4
}
fn default_learning_rate() -> f64 {
    0.5
}
fn default_momentum() -> f64 {
    0.8
}
fn default_epochs() -> u64 {
    300
}
fn default_epoch_ms() -> u64 {
    10
}

/// Hidden units a restricted machine on the letters may have.
pub const MAX_LETTER_HIDDEN: usize = 100;

/// What a Boltzmann machine scene learns; in files `"bars-stripes"` or `"letters:A,H,S"`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum LearnData {
    /// Every bars-and-stripes pattern on S × S pixels: a full machine with exact gradients.
    #[default]
    BarsAndStripes,
    /// The 16 × 16 letters of the Hopfield set with these labels: a restricted machine trained by
    /// contrastive divergence (CD-1).
    Letters(Vec<String>),
}

impl std::str::FromStr for LearnData {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text == "bars-stripes" {
            return Ok(Self::BarsAndStripes);
        }
        match text.strip_prefix("letters:") {
            Some(labels) => Ok(Self::Letters(
                labels
                    .split(',')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect(),
            )),
            None => Err(format!(
                "unknown learning data `{text}`: expected bars-stripes or letters:A,H,S"
            )),
        }
    }
}

impl TryFrom<String> for LearnData {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl From<LearnData> for String {
    fn from(data: LearnData) -> String {
        match data {
            LearnData::BarsAndStripes => "bars-stripes".into(),
            LearnData::Letters(labels) => format!("letters:{}", labels.join(",")),
        }
    }
}

impl Default for LearnSetup {
    fn default() -> Self {
        Self {
            data: LearnData::default(),
            side: default_side(),
            hidden: default_hidden(),
            learning_rate: default_learning_rate(),
            momentum: default_momentum(),
            epochs: default_epochs(),
            epoch_ms: default_epoch_ms(),
        }
    }
}

impl LearnSetup {
    /// Checks every value, naming the key that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        match &self.data {
            LearnData::BarsAndStripes => {
                if !(2..=4).contains(&self.side) {
                    return Err(format!("scene.learn.side must be 2, 3 or 4, not {}", self.side));
                }
                let limit = super::model::MAX_EXACT_UNITS.saturating_sub(self.side * self.side);
                if self.hidden > limit {
                    return Err(format!(
                        "scene.learn.hidden = {}: with {} visible units at most {limit} hidden ones keep the expectations exact",
                        self.hidden,
                        self.side * self.side
                    ));
                }
            }
            LearnData::Letters(labels) => {
                super::model::letters(labels).map_err(|e| format!("scene.learn.data: {e}"))?;
                if !(1..=MAX_LETTER_HIDDEN).contains(&self.hidden) {
                    return Err(format!(
                        "scene.learn.hidden must be between 1 and {MAX_LETTER_HIDDEN} for letters, not {}",
                        self.hidden
                    ));
                }
                if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
                    return Err(format!(
                        "scene.learn.learning_rate must be in (0, 1] for contrastive divergence, not {}",
                        self.learning_rate
                    ));
                }
            }
        }
        if !(1..=100_000).contains(&self.epochs) {
            return Err(format!(
                "scene.learn.epochs must be between 1 and 100,000, not {}",
                self.epochs
            ));
        }
        if !(1..=10_000).contains(&self.epoch_ms) {
            return Err(format!(
                "scene.learn.epoch_ms must be between 1 and 10,000, not {}",
                self.epoch_ms
            ));
        }
        if !(self.learning_rate.is_finite() && (0.0..=10.0).contains(&self.learning_rate)) {
            return Err(format!(
                "scene.learn.learning_rate must be in [0, 10], not {}",
                self.learning_rate
            ));
        }
        if !(self.momentum.is_finite() && (0.0..=0.99).contains(&self.momentum)) {
            return Err(format!(
                "scene.learn.momentum must be in [0, 0.99], not {}",
                self.momentum
            ));
        }
        Ok(())
    }
}

fn default_units() -> usize {
    5
}
fn default_weight_scale() -> f64 {
    1.5
}
fn default_bias_mean() -> f64 {
    -0.5
}
fn default_bias_scale() -> f64 {
    1.0
}
fn default_temperature() -> f64 {
    1.0
}
fn default_tau() -> u32 {
    20
}

impl Default for SamplingSetup {
    fn default() -> Self {
        Self {
            units: default_units(),
            weight_scale: default_weight_scale(),
            bias_mean: default_bias_mean(),
            bias_scale: default_bias_scale(),
            temperature: default_temperature(),
            tau_steps: default_tau(),
            seed: 1,
            clamp: String::new(),
            weights: None,
            biases: None,
            learn: None,
        }
    }
}

/// Reads a clamp string of N characters (`1`, `0`, `?`); an empty string clamps nothing.
pub fn parse_clamp(text: &str, units: usize) -> Result<Vec<Option<bool>>, String> {
    if text.is_empty() {
        return Ok(vec![None; units]);
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != units {
        return Err(format!(
            "clamp \"{text}\" has {} characters; it needs one per unit ({units}): 1, 0 or ?",
            chars.len()
        ));
    }
    chars
        .iter()
        .enumerate()
        .map(|(k, c)| match c {
            '1' => Ok(Some(true)),
            '0' => Ok(Some(false)),
            '?' => Ok(None),
            other => Err(format!(
                "clamp \"{text}\": character {} is `{other}`; use 1 (on), 0 (off) or ? (free)",
                k + 1
            )),
        })
        .collect()
}

/// The clamp as a string of `1`, `0` and `?` (empty when nothing is clamped).
pub fn clamp_text(clamp: &[Option<bool>]) -> String {
    if clamp.iter().all(Option::is_none) {
        return String::new();
    }
    clamp
        .iter()
        .map(|c| match c {
            Some(true) => '1',
            Some(false) => '0',
            None => '?',
        })
        .collect()
}

impl SamplingSetup {
    /// Checks every value, naming the key that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(learn) = &self.learn {
            return learn.validate();
        }
        if !(1..=MAX_UNITS).contains(&self.units) {
            return Err(format!(
                "scene.units must be between 1 and {MAX_UNITS}, not {}",
                self.units
            ));
        }
        if !(1..=1000).contains(&self.tau_steps) {
            return Err(format!(
                "scene.tau_steps must be between 1 and 1000, not {}",
                self.tau_steps
            ));
        }
        parse_clamp(&self.clamp, self.units).map_err(|e| format!("scene.{e}"))?;
        // The scales, temperature and any couplings given by hand are checked where they are used.
        self.distribution().map(|_| ())
    }
}

impl SamplingSetup {
    /// The distribution the setup defines: W and b as given, or drawn from the seed (a missing
    /// one drawn, the other given), at temperature T.
    pub fn distribution(&self) -> Result<super::model::Boltzmann, String> {
        let drawn = super::model::Boltzmann::random(
            self.units,
            self.weight_scale,
            self.bias_mean,
            self.bias_scale,
            self.temperature,
            self.seed,
        )
        .map_err(|e| format!("scene: {e}"))?;
        if self.weights.is_none() && self.biases.is_none() {
            return Ok(drawn);
        }
        let n = self.units;
        let weights = match &self.weights {
            Some(rows) => {
                if rows.len() != n || rows.iter().any(|r| r.len() != n) {
                    return Err(format!(
                        "scene.weights must be {n} rows of {n} numbers (one per unit)"
                    ));
                }
                rows.concat()
            }
            None => drawn.weights().to_vec(),
        };
        let biases = match &self.biases {
            Some(b) if b.len() != n => {
                return Err(format!(
                    "scene.biases must have {n} numbers (one per unit), not {}",
                    b.len()
                ));
            }
            Some(b) => b.clone(),
            None => drawn.biases().to_vec(),
        };
        super::model::Boltzmann::new(weights, biases, self.temperature).map_err(|e| format!("scene: {e}"))
    }
}

/// What the app (or a timeline) asks of a running sampling scene.
#[derive(Debug, Clone, PartialEq)]
pub enum SamplingCommand {
    /// A new temperature (the target distribution changes: the counts start again).
    SetTemperature(f64),
    /// New evidence, one entry per unit, or none at all to free every unit (the counts start again).
    SetClamp(Vec<Option<bool>>),
    /// Forget what was sampled so far.
    ResetCounts,
    /// Every chain from a fresh random state (the counts start again).
    RandomStates,
    /// A Boltzmann machine completes training pattern μ from its top rows, clamped as evidence.
    CompleteFromTop(usize),
}

/// What the views need, sent when the scene is built or its target changes.
#[derive(Debug, Clone)]
pub struct SamplingInfo {
    /// The setup the scene was built from.
    pub setup: SamplingSetup,
    /// Units N.
    pub units: usize,
    /// The temperature now.
    pub temperature: f64,
    /// The evidence now.
    pub clamp: Vec<Option<bool>>,
    /// The samplers, in the order of every per-sampler vector in the frames.
    pub samplers: Vec<SamplerKind>,
    /// The exact (conditional) distribution, for N ≤ 20.
    pub exact: Option<Arc<Exact>>,
    /// Its marginals p(z_k = 1).
    pub exact_marginals: Option<Vec<f64>>,
    /// The states shown as bars: the 32 most probable (all up to N = 5) of those the evidence allows.
    pub shown_states: Vec<usize>,
    /// W, row-major.
    pub weights: Vec<f64>,
    /// b.
    pub biases: Vec<f64>,
    /// Simulated time when this info was made, in ms (the counts start here).
    pub since_ms: f64,
    /// The learning machine, in a Boltzmann machine scene.
    pub machine: Option<MachineInfo>,
}

/// What the views need of a learning Boltzmann machine.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineInfo {
    /// What it learns.
    pub setup: LearnSetup,
    /// Visible units (width × height).
    pub visible: usize,
    /// Pixels per row of a pattern.
    pub width: usize,
    /// Rows of a pattern.
    pub height: usize,
    /// Whether the machine is restricted (letters, CD-1): no exact likelihood, reconstruction error
    /// instead, and no exact posterior.
    pub restricted: bool,
    /// Hidden units.
    pub hidden: usize,
    /// The training patterns.
    pub data: Vec<Vec<u8>>,
    /// The best possible mean log-likelihood, −ln(patterns).
    pub best_log_likelihood: f64,
    /// What a valid dream is, for the views ("bars or stripes", "letter-like").
    pub valid_label: String,
    /// Evidence on the visible units.
    pub clamp: Vec<Option<bool>>,
    /// Exact p(v_k = 1 | evidence) once learning is over.
    pub exact_visible_marginals: Option<Vec<f64>>,
    /// Epochs done.
    pub epochs_done: u64,
    /// The learning curve's value at the last epoch: the mean log-likelihood of the data, or the
    /// reconstruction error of a restricted machine.
    pub log_likelihood: f64,
}

/// A learning machine's data since the previous snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MachineFrame {
    /// (epoch, mean log-likelihood of the data before it, or a restricted machine's reconstruction
    /// error in it), and after the last epoch the final one.
    pub epochs: Vec<(u64, f64)>,
    /// Dreams: the visible units every 50 ms.
    pub dreams: Vec<Vec<u8>>,
    /// Sampled p(v_k = 1) since the evidence last changed.
    pub visible_marginals: Vec<f64>,
    /// Fraction of dreams since the evidence last changed that are valid (bars or stripes, or
    /// letter-like).
    pub valid_fraction: f64,
    /// Epochs done.
    pub epochs_done: u64,
    /// Learning ended in this frame.
    pub learned: bool,
}

/// The distance of each sampler's histogram from the exact distribution after `samples` samples.
#[derive(Debug, Clone, PartialEq)]
pub struct DistancePoint {
    /// Samples counted (one per ms).
    pub samples: u64,
    /// KL(sampled ‖ exact) per sampler, nats.
    pub kl: Vec<f64>,
    /// Total variation per sampler.
    pub tv: Vec<f64>,
}

/// The samplers at the end of a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplersNow {
    /// Samples counted since the last reset.
    pub samples: u64,
    /// Each sampler's state z.
    pub states: Vec<Vec<u8>>,
    /// Each sampler's marginals p(z_k = 1).
    pub marginals: Vec<Vec<f64>>,
    /// Each sampler's frequency of the info's `shown_states`.
    pub frequencies: Vec<Vec<f64>>,
    /// Each sampler's KL to the exact distribution now (NaN without one).
    pub kl: Vec<f64>,
    /// Each sampler's spike rate per neuron, Hz (neural samplers; 0 otherwise).
    pub rate_hz: Vec<f64>,
}

/// A sampling scene's data since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct SamplingFrame {
    /// Distances at sample counts spaced evenly in log(samples), 20 a decade.
    pub distances: Vec<DistancePoint>,
    /// The samplers at the frame's end (none if no step was taken).
    pub now: Option<SamplersNow>,
    /// Spikes of the corrected neural sampler: (time in ms, neuron).
    pub spikes: Vec<(f64, u16)>,
    /// A learning machine's data.
    pub machine: Option<MachineFrame>,
}

/// What a sampling scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SamplingVerb {
    /// Set the temperature T (> 0).
    Temperature {
        /// The new temperature.
        value: f64,
    },
    /// Clamp units to evidence: one character per unit, `1`, `0` or `?` (free); an empty string
    /// frees every unit.
    Evidence {
        /// The clamp, e.g. `"1??0?"`.
        clamp: String,
    },
    /// Restart every chain from a random state.
    RandomState,
    /// A Boltzmann machine completes training pattern `pattern` (index) from its top rows, clamped.
    Complete {
        /// Index of the training pattern.
        pattern: usize,
    },
}

impl crate::families::TimelineVerb for SamplingVerb {
    fn describe(&self) -> String {
        match self {
            Self::Temperature { value } => format!("temperature T = {value}"),
            Self::Evidence { clamp } if clamp.is_empty() => "no evidence".into(),
            Self::Evidence { clamp } => format!("evidence {clamp}"),
            Self::RandomState => "random state".into(),
            Self::Complete { pattern } => {
                format!("complete training pattern {} from its top rows", pattern + 1)
            }
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Temperature { value } if !(value.is_finite() && *value > 0.0) => Err(format!(
                "a sampling scene needs a temperature above 0, not {value}"
            )),
            _ => Ok(()),
        }
    }
}
