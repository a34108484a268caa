//! What defines, commands and shows a branching-network scene: setup, commands, info, frames, verbs.

/// Everything that defines a branching-network scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchingSetup {
    /// Number of units N.
    pub n: usize,
    /// Targets per unit K.
    pub k: usize,
    /// Branching ratio m.
    pub m: f64,
    /// External drive h: expected external activations per step.
    pub h: f64,
    /// Fraction of the units observed.
    pub subsample: f64,
    /// Seed of the wiring, the activity and the subsample.
    pub seed: u64,
}

impl Default for BranchingSetup {
    /// 10,000 units with 10 targets each, m = 0.98, h = 2, 1 % observed.
    fn default() -> Self {
        Self {
            n: 10_000,
            k: 10,
            m: 0.98,
            h: 2.0,
            subsample: 0.01,
            seed: 1,
        }
    }
}

impl BranchingSetup {
    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(100..=1_000_000).contains(&self.n) {
            return Err(format!("n must be between 100 and 1000000 units, not {}", self.n));
        }
        if !(1..=100).contains(&self.k) || self.k >= self.n {
            return Err(format!("k must be between 1 and 100 targets, not {}", self.k));
        }
        if !(self.m.is_finite() && (0.0..=1.5).contains(&self.m)) {
            return Err(format!("m must be between 0 and 1.5, not {}", self.m));
        }
        if !(self.h.is_finite() && (0.0..=1000.0).contains(&self.h)) {
            return Err(format!("h must be between 0 and 1000, not {}", self.h));
        }
        if !(self.subsample.is_finite() && self.subsample > 0.0 && self.subsample <= 1.0) {
            return Err(format!(
                "subsample must be between 0 and 1, not {}",
                self.subsample
            ));
        }
        Ok(())
    }
}

/// What the app or a timeline asks of a running branching network.
#[derive(Debug, Clone, PartialEq)]
pub enum BranchingCommand {
    /// A new branching ratio.
    SetM(f64),
    /// A new external drive.
    SetH(f64),
    /// Observe another fraction of the units (a new random subsample).
    SetSubsample(f64),
    /// Run avalanches of the undriven network at the current m, each from one unit.
    MeasureAvalanches,
}

/// What the views need of a branching scene; sent when it is built or its settings change.
#[derive(Debug, Clone)]
pub struct BranchingInfo {
    /// The setup with the current settings.
    pub setup: BranchingSetup,
    /// The setup the scene was built with (restore marks).
    pub preset_setup: BranchingSetup,
    /// Units observed.
    pub observed_units: usize,
    /// h/(1 − m): the stationary mean activity (None at m ≥ 1).
    pub theory_mean_activity: Option<f64>,
}

/// The branching ratio estimated from the recent activity.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LiveEstimate {
    /// Multistep-regression estimate from the subsample.
    pub m_mr: f64,
    /// Its bias factor b.
    pub b: f64,
    /// The conventional estimate r_1 from the subsample.
    pub m_conventional: f64,
    /// The conventional estimate from the whole network (what full observation gives).
    pub m_whole: f64,
    /// Share of the slopes' variance the exponential explains.
    pub fit_r2: f64,
    /// Steps the estimate used.
    pub steps: usize,
}

/// Avalanches measured at one m.
#[derive(Debug, Clone, PartialEq)]
pub struct AvalancheResult {
    /// The branching ratio they ran at.
    pub m: f64,
    /// (size, duration) of each.
    pub avalanches: Vec<(u64, u64)>,
    /// Fitted size exponent (10 to 1,000 activations).
    pub size_exponent: Option<f64>,
    /// Fitted duration exponent (5 to 300 steps).
    pub duration_exponent: Option<f64>,
    /// P(T > t) of the exact branching process at this m, t = 0..=300.
    pub duration_survival: Vec<f64>,
}

/// Branching-scene data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct BranchingFrame {
    /// Step of each record.
    pub steps: Vec<f64>,
    /// Active units of the whole network, per step.
    pub activity: Vec<f32>,
    /// Active observed units, per step.
    pub observed: Vec<f32>,
    /// The estimate over the recent window, with its regression slopes r_k.
    pub estimate: Option<(LiveEstimate, Vec<f64>)>,
    /// Avalanches measured since the last snapshot.
    pub avalanches: Option<AvalancheResult>,
}

/// What a branching scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum BranchingVerb {
    /// Set the branching ratio.
    M {
        /// The new m.
        value: f64,
    },
    /// Set the external drive.
    H {
        /// The new h.
        value: f64,
    },
    /// Measure avalanches at the current m.
    Avalanches,
}

impl crate::families::TimelineVerb for BranchingVerb {
    fn describe(&self) -> String {
        match self {
            Self::M { value } => format!("branching ratio m = {value}"),
            Self::H { value } => format!("external drive h = {value}"),
            Self::Avalanches => "avalanches measured".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::M { value } if !(value.is_finite() && (0.0..=1.5).contains(value)) => {
                Err(format!("m must be between 0 and 1.5, not {value}"))
            }
            Self::H { value } if !(value.is_finite() && (0.0..=1000.0).contains(value)) => {
                Err(format!("h must be between 0 and 1000, not {value}"))
            }
            _ => Ok(()),
        }
    }
}
