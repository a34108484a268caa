//! The messages between the app and the simulation thread: `Command`s in, `Snapshot`s out.

use std::sync::Arc;

use crate::hopfield::{DenseUpdate, LearningRule};
use crate::spiking::Preset;

/// How fast the simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// Simulated time per wall second: spiking ms per s, Hopfield sweeps per s.
    Rate(f64),
    /// As fast as the machine allows.
    Unlimited,
}

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
}

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
        }
    }
}

/// Everything that defines a spiking scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikingSetup {
    /// The network preset.
    pub preset: Preset,
    /// Number of neurons (None = the preset's default; a memory's size follows from its patterns).
    pub n_neurons: Option<usize>,
    /// Seed of the connectivity, initial state and noise.
    pub seed: u64,
    /// Patterns and parameters of the `memory` and `stdp-memory` presets (None: their defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemorySetup>,
}

impl Default for SpikingSetup {
    fn default() -> Self {
        Self {
            preset: Preset::Cuba,
            n_neurons: None,
            seed: 1,
            memory: None,
        }
    }
}

/// The patterns a spiking memory stores (or reads its overlaps against, while learning) and its parameters.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemorySetup {
    /// The patterns.
    pub patterns: PatternSource,
    /// Pool size, learning rule, drive, coupling, competition, noise, cue and filter.
    #[serde(default)]
    pub params: crate::spiking::MemoryParams,
}

impl Default for MemorySetup {
    fn default() -> Self {
        Self {
            patterns: PatternSource::Builtin {
                set: "letters".into(),
                labels: ["A", "H", "S"].map(String::from).to_vec(),
            },
            params: crate::spiking::MemoryParams::default(),
        }
    }
}

/// A scene the engine can run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "model", rename_all = "kebab-case")]
pub enum SceneSetup {
    /// A classical or modern Hopfield network.
    Hopfield(HopfieldSetup),
    /// A recurrent spiking network.
    Spiking(SpikingSetup),
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

/// Commands the app sends to the simulation thread; each applies before the next step.
#[derive(Debug, Clone)]
pub enum Command {
    /// Run continuously at the set speed.
    Play,
    /// Stop stepping (state is kept).
    Pause,
    /// Advance by one step (Hopfield: one sweep; spiking: 1 ms) and pause.
    Step,
    /// Rebuild the current scene from its setup (same seed: same run).
    Reset,
    /// Set the speed.
    SetSpeed(Speed),
    /// Replace the scene by a new one.
    Load(SceneSetup),
    /// Replace the scene by a scenario's, whose timeline then runs as simulated time passes.
    LoadScenario(Box<crate::scenario::Scenario>),
    /// Set neuron `index` of the Hopfield state to `value` (±1): painting.
    Paint {
        /// Neuron index (row-major on the grid).
        index: usize,
        /// New state, ±1.
        value: i8,
    },
    /// Apply a cue to the Hopfield state.
    Cue(Cue),
    /// Store the current Hopfield state as a new pattern.
    StoreCurrentState,
    /// Change the Hopfield learning rule (relearns the weights).
    SetRule(LearningRule),
    /// Change the Hopfield update (classical or dense).
    SetUpdate(HopfieldUpdate),
    /// Change the Glauber temperature.
    SetTemperature(f64),
    /// Choose the two patterns spanning the energy landscape.
    SetLandscapeAxes(usize, usize),
    /// Change the spiking network's parameters (validated; state kept).
    SetNetworkParams(Box<crate::spiking::NetworkParams>),
    /// Choose the neurons whose membrane potential is recorded.
    RecordNeurons(Vec<u32>),
    /// Switch STDP on E→E synapses on (with these parameters) or off; learned weights are kept.
    SetStdp(Option<crate::spiking::StdpParams>),
    /// Change the spiking memory's parameters (drive, coupling, competition, noise, cue, filter).
    SetMemoryParams(crate::spiking::MemoryParams),
    /// Save the scene, its scenario and timeline position as a session file (atomically, on the
    /// engine's thread); success is reported in `EngineStatus::notice`, failure in `error`.
    SaveSession(std::path::PathBuf),
    /// Replace the scene by the one a session file holds, paused, continuing its run and timeline;
    /// on failure the current scene keeps running untouched and `EngineStatus::error` says why.
    OpenSession(std::path::PathBuf),
    /// Stop the thread.
    Quit,
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
    /// Weight matrix, N×N row-major (None for dense networks).
    pub weights: Option<Arc<Vec<f32>>>,
    /// Energy landscape over two patterns (None until computed).
    pub landscape: Option<Arc<Landscape>>,
    /// Setup the scene was built from, with its current rule, update and temperature.
    pub setup: HopfieldSetup,
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

/// A population as the views draw it.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationView {
    /// Name ("E", "I").
    pub name: String,
    /// True for excitatory.
    pub excitatory: bool,
    /// First neuron index.
    pub start: usize,
    /// Number of neurons.
    pub len: usize,
    /// Threshold in mV.
    pub threshold_mv: f64,
    /// Reset in mV.
    pub reset_mv: f64,
}

/// What the app needs to draw a spiking scene; sent when the structure changes.
#[derive(Debug, Clone)]
pub struct SpikingInfo {
    /// Number of neurons.
    pub n_neurons: usize,
    /// Number of synapses.
    pub n_synapses: usize,
    /// Step size in ms.
    pub dt_ms: f64,
    /// The populations.
    pub populations: Vec<PopulationView>,
    /// Parameters in use.
    pub params: crate::spiking::NetworkParams,
    /// Parameters the scene was built with (for restore marks).
    pub preset_params: crate::spiking::NetworkParams,
    /// Setup the scene was built from.
    pub setup: SpikingSetup,
    /// Neurons whose membrane potential is recorded.
    pub recorded: Vec<u32>,
    /// Mean number of synapses a neuron of population a receives from population b: `[a][b]`.
    pub mean_in_degree: Vec<Vec<f64>>,
    /// True while STDP is on.
    pub stdp_enabled: bool,
    /// Mean weight factor of E→E synapses (1 before any learning).
    pub mean_exc_weight: f64,
    /// The spiking memory, when the scene is one.
    pub memory: Option<Box<MemoryInfo>>,
}

/// What the app needs to draw a spiking memory.
#[derive(Debug, Clone)]
pub struct MemoryInfo {
    /// The stored (or to-be-learned) patterns.
    pub patterns: crate::hopfield::PatternSet,
    /// Parameters in use.
    pub params: crate::spiking::MemoryParams,
    /// Parameters the scene was built with (for restore marks).
    pub preset_params: crate::spiking::MemoryParams,
    /// Rate of a pixel's losing and winning pool in a stored pattern, in Hz.
    pub rate_levels_hz: (f64, f64),
    /// True when the couplings are learned by STDP.
    pub learning: bool,
}

/// Spiking-memory readout since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct MemoryFrame {
    /// Sample times, in ms (one per ms).
    pub times_ms: Vec<f64>,
    /// Overlap with every pattern at each sample time.
    pub overlaps: Vec<Vec<f32>>,
    /// The latest rate state s_i = (r_on − r_off) / (r_hi − r_lo) of every pixel.
    pub rate_state: Vec<f32>,
    /// True while a cue is delivered.
    pub cue_active: bool,
    /// Classification of the latest state ("stored pattern A", "mixture", ...).
    pub classification: String,
}

/// Spiking data produced since the previous snapshot.
#[derive(Debug, Clone, Default)]
pub struct SpikingFrame {
    /// First step covered by this frame.
    pub first_step: u64,
    /// Number of steps covered.
    pub steps: u64,
    /// Step of every spike (parallel to `spike_neurons`).
    pub spike_steps: Vec<u64>,
    /// Neuron of every spike.
    pub spike_neurons: Vec<u32>,
    /// Membrane potential (mV) of each recorded neuron at every `trace_every` steps.
    pub traces_mv: Vec<Vec<f32>>,
    /// Steps between two trace samples.
    pub trace_every: u64,
    /// Spikes per population in every 1 ms bin, one Vec per population.
    pub population_counts: Vec<Vec<u32>>,
    /// First step of the first population bin.
    pub counts_first_step: u64,
    /// Membrane potentials of a sample of the first population's neurons (mV), for the V histogram.
    pub v_sample_mv: Vec<f32>,
    /// The spiking memory's readout, when the scene is one.
    pub memory: Option<MemoryFrame>,
}

/// Scene-specific description, sent when the scene is (re)built or changes structure.
#[derive(Debug, Clone)]
pub enum SceneInfo {
    /// A Hopfield scene.
    Hopfield(HopfieldInfo),
    /// A spiking scene.
    Spiking(Box<SpikingInfo>),
}

/// Scene-specific data since the previous snapshot.
#[derive(Debug, Clone)]
pub enum SceneFrame {
    /// Hopfield data.
    Hopfield(HopfieldFrame),
    /// Spiking data.
    Spiking(SpikingFrame),
}

/// The engine's status, repeated in every snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EngineStatus {
    /// True while running continuously.
    pub playing: bool,
    /// Simulated time: sweeps for Hopfield, ms for spiking.
    pub sim_time: f64,
    /// Unit of `sim_time` ("sweeps" or "ms").
    pub time_unit: &'static str,
    /// Simulated time per wall second, measured over the last second.
    pub achieved_rate: f64,
    /// Steps per wall second, measured over the last second.
    pub steps_per_s: f64,
    /// Spikes dropped because the app did not read fast enough (0 normally).
    pub thinned_spikes: u64,
    /// The last error (a failed command, a divergence, a panic), if any.
    pub error: Option<String>,
    /// A short notice (e.g. "network rebuilt: N changed").
    pub notice: Option<String>,
    /// Counts scene replacements (load, reset, an opened session): when it changes, the scene's
    /// histories start afresh even if time did not go backwards.
    pub scene_generation: u64,
}

/// A batch from the simulation thread: status, optional new scene description, and new data.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Engine status.
    pub status: EngineStatus,
    /// New scene description, when the structure changed.
    pub info: Option<SceneInfo>,
    /// Data produced since the previous snapshot.
    pub frame: Option<SceneFrame>,
}
