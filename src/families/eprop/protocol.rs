//! What defines, commands and shows an e-prop scene: setup, commands, info, frames, verbs.

use super::model::{EpropParams, TaskParams, TrialResult};

/// Everything that defines an e-prop scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpropSetup {
    /// Network, neurons and learning.
    #[serde(default)]
    pub params: EpropParams,
    /// The task.
    #[serde(default)]
    pub task: TaskParams,
    /// Seed of the weights, the frozen input and the target.
    pub seed: u64,
}

impl Default for EpropSetup {
    fn default() -> Self {
        Self {
            params: EpropParams::default(),
            task: TaskParams::default(),
            seed: 1,
        }
    }
}

/// What the app or a timeline asks of a running e-prop scene.
#[derive(Debug, Clone, PartialEq)]
pub enum EpropCommand {
    /// New learning settings (learning rate, optimiser, feedback, regularisation, adaptation); the
    /// network's size, input and task stay.
    SetParams(EpropParams),
    /// Set the learning rate.
    SetLearningRate(f64),
    /// Start again from the initial random weights (same seed).
    ResetWeights,
}

/// What the views need of an e-prop scene; sent when it is built or its settings change.
#[derive(Debug, Clone)]
pub struct EpropInfo {
    /// The setup with the current settings.
    pub setup: EpropSetup,
    /// The setup the scene was built with (restore marks).
    pub preset_setup: EpropSetup,
    /// The target of every output at every step (pattern task), `target[t][k]`.
    pub target: Vec<Vec<f64>>,
    /// Input spikes per channel over one trial, for the input raster: (step, channel).
    pub input_spikes: Vec<(u32, u32)>,
}

/// e-prop data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct EpropFrame {
    /// Every trial completed since the last frame.
    pub trials: Vec<TrialResult>,
    /// The last completed trial (the first one while it runs).
    pub current: Option<TrialView>,
}

/// One trial as the views draw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrialView {
    /// Trial number (from 1).
    pub trial: u64,
    /// Steps done in it.
    pub steps: usize,
    /// Output of every output at every step so far: `outputs[t][k]`.
    pub outputs: Vec<Vec<f64>>,
    /// Spikes so far: (step, neuron).
    pub spikes: Vec<(u32, u32)>,
    /// Recurrent weights (without the zero diagonal), for their histogram.
    pub recurrent_weights: Vec<f32>,
}

/// What an e-prop scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EpropVerb {
    /// Set the learning rate (0 freezes the weights).
    LearningRate {
        /// The new rate.
        value: f64,
    },
    /// Start again from the initial weights.
    ResetWeights,
}

impl crate::families::TimelineVerb for EpropVerb {
    fn describe(&self) -> String {
        match self {
            Self::LearningRate { value } => format!("learning rate {value}"),
            Self::ResetWeights => "initial weights again".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::LearningRate { value } if !(0.0..=1.0).contains(value) => {
                Err(format!("the learning rate must be in [0, 1], not {value}"))
            }
            _ => Ok(()),
        }
    }
}
