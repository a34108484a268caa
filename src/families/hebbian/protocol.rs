//! What defines, commands and shows a Hebbian-learning scene: setup, commands, info, frames, verbs.

use super::model::{DataParams, LearnParams};

/// Everything that defines a Hebbian scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HebbSetup {
    /// The data's distribution.
    #[serde(default)]
    pub data: DataParams,
    /// The learning rule's settings.
    #[serde(default)]
    pub learn: LearnParams,
    /// Seed of the samples, the axes (more than two dimensions) and the initial weights.
    pub seed: u64,
}

impl Default for HebbSetup {
    fn default() -> Self {
        Self {
            data: DataParams::default(),
            learn: LearnParams::default(),
            seed: 1,
        }
    }
}

/// What the app or a timeline asks of a running Hebbian scene.
#[derive(Debug, Clone, PartialEq)]
pub enum HebbCommand {
    /// A new distribution (the weights are kept while the dimension is).
    SetData(DataParams),
    /// New learning settings (new random weights when the number of components changes).
    SetLearn(LearnParams),
    /// Start again from new random weights.
    RandomizeWeights,
    /// Turn the data's first axis to this angle, in degrees (two dimensions).
    SetAngle(f64),
    /// Set the learning rate η.
    SetEta(f64),
}

/// What the views need of a Hebbian scene; sent when it is built or its settings change.
#[derive(Debug, Clone)]
pub struct HebbInfo {
    /// The setup with the current settings.
    pub setup: HebbSetup,
    /// The setup the scene was built with (restore marks).
    pub preset_setup: HebbSetup,
    /// Variances along the principal axes, largest first.
    pub eigenvalues: Vec<f64>,
    /// The principal axes, in the order of the eigenvalues.
    pub eigenvectors: Vec<Vec<f64>>,
    /// The two-standard-deviation ellipse (two dimensions only).
    pub ellipse: Vec<[f64; 2]>,
    /// Oja's time constant 1/(η(λ1 − λ2)), in samples.
    pub time_constant: f64,
}

/// Hebbian-scene data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct HebbFrame {
    /// Sample count at each record.
    pub samples: Vec<f64>,
    /// Angle (degrees) of each learned component to its eigenvector, per record.
    pub angles_deg: Vec<Vec<f32>>,
    /// Length of each learned component, per record.
    pub norms: Vec<Vec<f32>>,
    /// Angle (degrees) of plain Hebb's weights to the leading eigenvector, per record.
    pub hebb_angle_deg: Vec<f32>,
    /// log₁₀ of plain Hebb's |w|, per record.
    pub hebb_log10_norm: Vec<f32>,
    /// The latest data points (two dimensions only).
    pub points: Vec<[f32; 2]>,
    /// The latest weight vectors.
    pub weights: Vec<Vec<f64>>,
    /// The latest direction of plain Hebb's weights.
    pub hebb_direction: Vec<f64>,
}

/// What a Hebbian scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum HebbVerb {
    /// Turn the data's first axis to this angle (degrees; two dimensions).
    Angle {
        /// The new angle.
        value: f64,
    },
    /// Set the learning rate η.
    Eta {
        /// The new rate.
        value: f64,
    },
    /// New random weights.
    RandomWeights,
}

impl crate::families::TimelineVerb for HebbVerb {
    fn describe(&self) -> String {
        match self {
            Self::Angle { value } => format!("data turned to {value}°"),
            Self::Eta { value } => format!("learning rate η = {value}"),
            Self::RandomWeights => "new random weights".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Angle { value } if !value.is_finite() => {
                Err(format!("angle must be a number, not {value}"))
            }
            Self::Eta { value } if !(value.is_finite() && *value > 0.0 && *value <= 1.0) => {
                Err(format!("η must be between 0 and 1, not {value}"))
            }
            _ => Ok(()),
        }
    }
}
