//! What defines, commands and shows a continuous-memory scene: setup, commands, info, frames, verbs.

use std::sync::Arc;

use super::model::{ContinuousPatternSpec, KernelKind, MemoryParams};

/// How a cue is made from a stored pattern.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueParams {
    /// The pattern cued.
    pub pattern: usize,
    /// Gaussian noise added, as a fraction of the pattern's root-mean-square value.
    pub noise: f64,
    /// Blank the lower half (set it to 0).
    pub mask_half: bool,
}

impl Default for CueParams {
    fn default() -> Self {
        Self {
            pattern: 0,
            noise: 0.5,
            mask_half: true,
        }
    }
}

/// Everything that defines a continuous-memory scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContinuousSetup {
    /// The stored patterns.
    #[serde(default)]
    pub patterns: ContinuousPatternSpec,
    /// The kernel and its settings.
    #[serde(default)]
    pub memory: MemoryParams,
    /// The cue the scene starts from (and that Reset gives again).
    #[serde(default)]
    pub cue: CueParams,
    /// Seed of the Gaussian patterns and the cues' noise.
    pub seed: u64,
}

impl Default for ContinuousSetup {
    fn default() -> Self {
        Self {
            patterns: ContinuousPatternSpec::default(),
            memory: MemoryParams::default(),
            cue: CueParams::default(),
            seed: 1,
        }
    }
}

/// What the app or a timeline asks of a running continuous-memory scene.
#[derive(Debug, Clone, PartialEq)]
pub enum ContinuousCommand {
    /// New kernel settings (K⁻¹ computed again).
    SetMemory(MemoryParams),
    /// New patterns (the state starts again from the cue).
    SetPatterns(ContinuousPatternSpec),
    /// Set the state to a cue of a stored pattern.
    Cue(CueParams),
    /// Set β alone.
    SetBeta(f64),
    /// Set the kernel alone.
    SetKernel(KernelKind),
}

/// What the views need of a continuous-memory scene; sent when it is built or its settings change.
#[derive(Debug, Clone)]
pub struct ContinuousInfo {
    /// The setup with the current settings.
    pub setup: ContinuousSetup,
    /// The setup the scene was built with (restore marks).
    pub preset_setup: ContinuousSetup,
    /// Image width (a square layout for vectors).
    pub width: usize,
    /// Image height.
    pub height: usize,
    /// One label per pattern.
    pub labels: Vec<String>,
    /// The stored patterns.
    pub patterns: Arc<Vec<Vec<f64>>>,
    /// Largest magnitude of any pattern value (the colour scale's end).
    pub value_max: f64,
    /// The smallest separation Δ = ξᵀξ − ξᵀξ' over pairs: 1/Δ is the β scale where patterns separate.
    pub min_separation: f64,
}

/// Continuous-memory data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct ContinuousFrame {
    /// Update count at each record.
    pub updates: Vec<f64>,
    /// Cosine similarity of the state with every pattern, per record.
    pub cosines: Vec<Vec<f32>>,
    /// Energy (softmax only; NaN otherwise), per record.
    pub energies: Vec<f64>,
    /// Distance the last update moved the state, per record.
    pub moved: Vec<f64>,
    /// The latest state.
    pub state: Vec<f64>,
    /// The latest weights of the patterns in the update.
    pub weights: Vec<f64>,
}

/// What a continuous-memory scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ContinuousVerb {
    /// Cue a stored pattern with noise (its lower half blanked when `mask_half`).
    Cue {
        /// The pattern cued.
        pattern: usize,
        /// Noise as a fraction of the pattern's root-mean-square value.
        #[serde(default)]
        noise: f64,
        /// Blank the lower half.
        #[serde(default)]
        mask_half: bool,
    },
    /// Set β.
    Beta {
        /// The new inverse temperature.
        value: f64,
    },
    /// Switch the kernel.
    Kernel {
        /// "softmax", "gaussian", "polynomial", "linear" or "hebbian".
        kernel: KernelKind,
    },
}

impl crate::families::TimelineVerb for ContinuousVerb {
    fn describe(&self) -> String {
        match self {
            Self::Cue {
                pattern,
                noise,
                mask_half,
            } => format!(
                "cue pattern {} with {:.0} % noise{}",
                pattern + 1,
                noise * 100.0,
                if *mask_half { ", lower half blanked" } else { "" }
            ),
            Self::Beta { value } => format!("β = {value}"),
            Self::Kernel { kernel } => format!("kernel: {}", kernel.label()),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Cue { noise, .. } if !(noise.is_finite() && (0.0..=10.0).contains(noise)) => {
                Err(format!("noise must be between 0 and 10, not {noise}"))
            }
            Self::Beta { value } if !(value.is_finite() && (0.0..=1e4).contains(value)) => {
                Err(format!("β must be between 0 and 10000, not {value}"))
            }
            _ => Ok(()),
        }
    }
}
