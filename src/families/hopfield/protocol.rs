//! What defines, commands and shows a Hopfield scene: setup, cue, commands, info and frames.

use std::sync::Arc;

use super::model::{DenseUpdate, LearningRule};

/// Where the patterns of a Hopfield scene come from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PatternSource {
    /// A built-in set ("letters", "digits", "symbols"), keeping only the listed labels (all if empty).
    Builtin {
        /// Name of the built-in set.
        set: String,
        /// Labels to store; empty means every pattern of the set.
        labels: Vec<String>,
    },
    /// Random ±1 patterns on a square-ish grid.
    Random {
        /// Grid width (neurons per row).
        width: usize,
        /// Grid height (rows).
        height: usize,
        /// Number of patterns.
        count: usize,
    },
    /// Correlated patterns: children of one random parent, each differing in a fraction of bits.
    Correlated {
        /// Grid width (neurons per row).
        width: usize,
        /// Grid height (rows).
        height: usize,
        /// Number of patterns.
        count: usize,
        /// Fraction of bits in which a child differs from its parent.
        difference: f64,
    },
}

/// The update the Hopfield scene applies; in files "classical", "poly:K", "exp" or "softmax:BETA".
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum HopfieldUpdate {
    /// The classical network with the chosen learning rule.
    Classical,
    /// A modern (dense) Hopfield network.
    Dense(DenseUpdate),
}

impl std::fmt::Display for HopfieldUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HopfieldUpdate::Classical => write!(f, "classical"),
            HopfieldUpdate::Dense(DenseUpdate::Softmax { beta }) => write!(f, "softmax:{beta}"),
            HopfieldUpdate::Dense(dense) => write!(f, "{dense}"),
        }
    }
}

impl From<HopfieldUpdate> for String {
    fn from(update: HopfieldUpdate) -> String {
        update.to_string()
    }
}

impl TryFrom<String> for HopfieldUpdate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl std::str::FromStr for HopfieldUpdate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "classical" {
            return Ok(HopfieldUpdate::Classical);
        }
        if let Some(beta) = text.strip_prefix("softmax:") {
            let beta: f64 = beta
                .parse()
                .map_err(|_| format!("softmax:BETA needs a number, not `{beta}`"))?;
            return Ok(HopfieldUpdate::Dense(DenseUpdate::Softmax { beta }));
        }
        text.parse::<DenseUpdate>()
            .map(HopfieldUpdate::Dense)
            .map_err(|e| format!("unknown update `{text}` (classical, poly:K, exp or softmax:BETA): {e}"))
    }
}

/// Everything that defines a Hopfield scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HopfieldSetup {
    /// Stored patterns.
    pub patterns: PatternSource,
    /// Learning rule of the classical network.
    pub rule: LearningRule,
    /// Classical or dense update.
    pub update: HopfieldUpdate,
    /// Glauber temperature T (0 = deterministic).
    pub temperature: f64,
    /// Index of the pattern the first cue is made from.
    pub cue_pattern: usize,
    /// Fraction of bits flipped in the first cue.
    pub cue_flip: f64,
    /// Seed of every random choice in the scene.
    pub seed: u64,
    /// Side of a square grid for every pattern (16 to 128): built-in sets are drawn larger, random
    /// ones made at that size; absent, each set keeps its own size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<usize>,
}

/// Sides of the grid offered in the app (16,384 neurons at 128).
pub const GRID_SIDES: [usize; 4] = [16, 32, 64, 128];

/// Largest grid side a scene may ask for (a 256×256 grid has 65,536 neurons).
pub const MAX_GRID_SIDE: usize = 256;

impl Default for HopfieldSetup {
    fn default() -> Self {
        Self {
            patterns: PatternSource::Builtin {
                set: "letters".into(),
                labels: ["A", "H", "S"].map(String::from).to_vec(),
            },
            rule: LearningRule::Hebb,
            update: HopfieldUpdate::Classical,
            temperature: 0.0,
            cue_pattern: 0,
            cue_flip: 0.3,
            seed: 1,
            grid: None,
        }
    }
}

/// A cue applied to the Hopfield state.
#[derive(Debug, Clone, PartialEq)]
pub enum Cue {
    /// Stored pattern `pattern` with a fraction `flip` of its bits flipped.
    Corrupted {
        /// Index of the stored pattern.
        pattern: usize,
        /// Fraction of bits flipped, in [0, 1].
        flip: f64,
    },
    /// Stored pattern `pattern` with the rectangle (x0, y0, x1, y1) (cells, end exclusive) set to off.
    Masked {
        /// Index of the stored pattern.
        pattern: usize,
        /// The masked rectangle in grid cells: x0, y0, x1, y1 (end exclusive).
        rect: [usize; 4],
    },
    /// A uniformly random state.
    Random,
    /// An explicit state (±1 per neuron).
    State(Vec<i8>),
}

/// One recorded point of a Hopfield run.
#[derive(Debug, Clone, PartialEq)]
pub struct HopfieldSample {
    /// Time in sweeps (N single-neuron updates make one sweep).
    pub time_sweeps: f64,
    /// Energy of the state.
    pub energy: f64,
    /// Overlap with every stored pattern.
    pub overlaps: Vec<f32>,
}

/// The energy over a plane of states spanned by two stored patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct Landscape {
    /// The two patterns spanning the plane.
    pub axes: (usize, usize),
    /// Grid side: the map has `side × side` cells, m_a and m_b from -1 to 1.
    pub side: usize,
    /// Energy per cell (row-major, row = m_b from -1 up), NaN where no state has those overlaps.
    pub energy: Vec<f64>,
}

/// The weights between every `stride`-th neuron, row-major, `side` × `side`.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledWeights {
    /// Neurons between two drawn ones (1: every neuron).
    pub stride: usize,
    /// Rows (and columns) drawn.
    pub side: usize,
    /// J between the drawn neurons, row-major.
    pub values: Vec<f32>,
}

/// Most rows and columns of the weight matrix drawn: a 128×128 grid's 16,384² matrix is shown as
/// every 32nd neuron's 512² weights.
pub const WEIGHT_VIEW_MAX_SIDE: usize = 512;

/// What the app needs to draw a Hopfield scene; sent when the structure changes.
#[derive(Debug, Clone)]
pub struct HopfieldInfo {
    /// Grid width and height.
    pub width: usize,
    /// Grid height.
    pub height: usize,
    /// Labels of the stored patterns.
    pub labels: Vec<String>,
    /// The stored patterns (±1).
    pub patterns: Vec<Vec<i8>>,
    /// The weight matrix as drawn (None for dense networks): all of it for small networks, every
    /// `stride`-th neuron's for large ones.
    pub weights: Option<Arc<SampledWeights>>,
    /// Energy landscape over two patterns (None until computed).
    pub landscape: Option<Arc<Landscape>>,
    /// Setup the scene was built from, with its current rule, update and temperature.
    pub setup: HopfieldSetup,
    /// The pattern and corruption of the last cue of a stored pattern.
    pub last_cue: (usize, f64),
}

/// Hopfield data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct HopfieldFrame {
    /// The latest state (±1).
    pub state: Vec<i8>,
    /// Samples taken since the previous snapshot.
    pub samples: Vec<HopfieldSample>,
    /// A short description of the latest state ("stored A", "mixture", ...).
    pub classification: String,
}

/// What the app or a timeline asks of a running Hopfield scene.
#[derive(Debug, Clone, PartialEq)]
pub enum HopfieldCommand {
    /// Set neuron `index` of the state to `value` (±1): painting.
    Paint {
        /// Neuron index (row-major on the grid).
        index: usize,
        /// New state, ±1.
        value: i8,
    },
    /// Apply a cue to the state.
    Cue(Cue),
    /// Store the current state as a new pattern.
    StoreCurrentState,
    /// Store a pattern of the grid's size (±1) under a label: an own picture.
    StorePattern {
        /// Its label (the file's name).
        label: String,
        /// ±1 per neuron, row-major.
        pattern: Vec<i8>,
    },
    /// Change the learning rule (relearns the weights).
    SetRule(LearningRule),
    /// Change the update (classical or dense).
    SetUpdate(HopfieldUpdate),
    /// Change the Glauber temperature.
    SetTemperature(f64),
    /// Choose the two patterns spanning the energy landscape.
    SetLandscapeAxes(usize, usize),
}

/// What a Hopfield scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum HopfieldVerb {
    /// Cue stored pattern `pattern` (index) with a fraction `flip` of its bits flipped.
    Cue {
        /// Index of the stored pattern.
        pattern: usize,
        /// Fraction of bits flipped, in [0, 1].
        flip: f64,
    },
    /// Start from a random state.
    RandomState,
    /// Set the Glauber temperature.
    Temperature {
        /// The new temperature T.
        value: f64,
    },
    /// Change the learning rule.
    Rule {
        /// The new rule.
        rule: LearningRule,
    },
    /// Change the update (classical or dense).
    Update {
        /// The new update.
        update: HopfieldUpdate,
    },
    /// Store the current state as a new pattern.
    StoreState,
}

impl crate::families::TimelineVerb for HopfieldVerb {
    fn describe(&self) -> String {
        match self {
            Self::Cue { pattern, flip } => crate::families::action::describe_cue(*pattern, *flip),
            Self::RandomState => "random state".into(),
            Self::Temperature { value } => format!("temperature T = {value}"),
            Self::Rule { rule } => format!("learning rule {rule}"),
            Self::Update { update } => format!("update {update}"),
            Self::StoreState => "store the current state".into(),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Cue { flip, .. } => crate::families::action::check_flip(*flip),
            Self::Temperature { value } => crate::families::action::check_temperature(*value),
            Self::Update {
                update: HopfieldUpdate::Dense(dense),
            } => dense.validate().map_err(|e| format!("update {dense}: {e}")),
            _ => Ok(()),
        }
    }
}
