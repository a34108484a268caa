//! What defines, commands and shows a firing-rate attractor scene: setup, commands, info, frames.

use std::sync::Arc;

use super::model::RateParams;

/// Everything that defines a rate scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateSetup {
    /// Network, transfer function, learning rule and cue parameters.
    #[serde(default)]
    pub params: RateParams,
    /// Seed of the patterns, the connectivity and the novel inputs.
    pub seed: u64,
    /// How long a cue's input current lasts, in ms.
    #[serde(default = "default_cue_ms")]
    pub cue_ms: f64,
    /// How the rates start (and start again on reset).
    #[serde(default)]
    pub start: RateStart,
}

/// The rates a rate scene starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateStart {
    /// Every rate at φ(0), the rate without input: the background state of the mean-field theory.
    #[default]
    Quiet,
    /// Rates φ(ζ_i) for a fresh Gaussian ζ (the authors' code): a large perturbation from which a
    /// finite network may fall into a stored pattern.
    Random,
}

fn default_cue_ms() -> f64 {
    100.0
}

impl Default for RateSetup {
    fn default() -> Self {
        Self {
            params: RateParams::default(),
            seed: 1,
            cue_ms: default_cue_ms(),
            start: RateStart::default(),
        }
    }
}

/// What the app or a timeline asks of a running rate scene.
#[derive(Debug, Clone, PartialEq)]
pub enum RateCommand {
    /// Input current strength × ξ^μ of stored pattern `pattern` for the setup's cue length.
    Cue {
        /// Index of the stored pattern.
        pattern: usize,
    },
    /// A novel input (a fresh Gaussian pattern, not stored) for the cue length.
    Novel,
    /// Switch the input off now.
    InputOff,
    /// Set every rate to a random value (a random start, no input).
    RandomRates,
    /// Set every rate to φ(0), the rate without input (a quiet start, no input).
    QuietRates,
    /// New parameters (structure changes rebuild the weights and say so).
    SetParams(Box<RateParams>),
    /// New cue length, in ms.
    SetCueMs(f64),
}

/// A curve sampled for the views: (x, y) points.
pub type Curve = Vec<[f64; 2]>;

/// What the views need of a rate scene; sent when it is built or its parameters change.
#[derive(Debug, Clone)]
pub struct RateInfo {
    /// Parameters in use.
    pub params: RateParams,
    /// Parameters the scene was built with (for restore marks).
    pub preset_params: RateParams,
    /// Setup with the current parameters.
    pub setup: RateSetup,
    /// Number of neurons.
    pub n_neurons: usize,
    /// Number of stored patterns.
    pub n_patterns: usize,
    /// Number of synapses.
    pub n_synapses: usize,
    /// φ(h) in Hz over the input range.
    pub transfer: Curve,
    /// f(r) and g(r) over the rate range (the inferred learning rule).
    pub rule_f: Curve,
    /// g(r) over the rate range.
    pub rule_g: Curve,
    /// Density of the stored (familiar) rates φ(ξ) over neurons and patterns, per Hz bin.
    pub familiar_density: Arc<Vec<f64>>,
    /// Upper edge of the rate histograms, in Hz (bins of equal width from 0).
    pub rate_max_hz: f64,
}

/// Rate-scene data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct RateFrame {
    /// Sample times, in ms.
    pub times_ms: Vec<f64>,
    /// Overlap with every stored pattern at each sample time.
    pub overlaps: Vec<Vec<f32>>,
    /// Mean rate over neurons at each sample time, in Hz.
    pub mean_rate_hz: Vec<f32>,
    /// The latest rates of every neuron, in Hz.
    pub rates_hz: Vec<f32>,
    /// Histogram of the latest rates (same bins as `RateInfo::familiar_density`), as a density.
    pub rate_density: Vec<f64>,
    /// What drives the network now ("cue A", "novel input", or empty when free).
    pub input: String,
    /// Classification of the latest state ("pattern 3", "no pattern").
    pub classification: String,
}

/// What a rate scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RateVerb {
    /// The stored pattern's input current for the scene's cue length; the cue is the pattern itself,
    /// so `flip` (kept for the vocabulary the other families share) must be 0.
    Cue {
        /// Index of the stored pattern.
        pattern: usize,
        /// Must be 0.
        #[serde(default)]
        flip: f64,
    },
    /// Random rates.
    RandomState,
    /// Every rate at φ(0), without input (a quiet network).
    QuietState,
    /// A novel input, stored nowhere, for the scene's cue length.
    Novel,
}

impl crate::families::TimelineVerb for RateVerb {
    fn describe(&self) -> String {
        match self {
            Self::Cue { pattern, flip } => crate::families::action::describe_cue(*pattern, *flip),
            Self::RandomState => "random state".into(),
            Self::QuietState => "quiet state".into(),
            Self::Novel => "novel input".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Cue { flip, .. } if *flip != 0.0 => {
                Err("a rate scene's cue is the stored pattern as input current: use flip = 0".into())
            }
            _ => Ok(()),
        }
    }
}
