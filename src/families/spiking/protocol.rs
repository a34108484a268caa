//! What defines, commands and shows a spiking scene: setup, commands, info and frames.

use super::model::Preset;
use crate::families::hopfield::PatternSource;

/// Everything that defines a spiking scene when it is (re)built.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikingSetup {
    /// The network preset.
    pub preset: Preset,
    /// Number of neurons (None = the preset's default; a memory's size follows from its patterns).
    pub n_neurons: Option<usize>,
    /// Recurrent inputs per excitatory neuron K (None = the preset's probabilities at this size):
    /// `neurons` and `in_degree` together scale a preset at fixed in-degree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_degree: Option<usize>,
    /// Seed of the connectivity, initial state and noise.
    pub seed: u64,
    /// Patterns and parameters of the `memory` and `stdp-memory` presets (None: their defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemorySetup>,
    /// The views the app opens on (`view = "correlations"` in a scenario file).
    #[serde(default, skip_serializing_if = "SpikingView::is_activity")]
    pub view: SpikingView,
}

/// The views a spiking scene opens on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpikingView {
    /// Raster, rates, traces and distributions.
    #[default]
    Activity,
    /// Measured and predicted covariances, eigenvalues of the effective coupling.
    Correlations,
}

impl SpikingView {
    /// True for the default view (not written to files).
    pub fn is_activity(&self) -> bool {
        *self == SpikingView::Activity
    }
}

impl Default for SpikingSetup {
    fn default() -> Self {
        Self {
            preset: Preset::Cuba,
            n_neurons: None,
            in_degree: None,
            seed: 1,
            memory: None,
            view: SpikingView::Activity,
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
    /// The pattern last cued (an index into the patterns): a reopened session's controls start on it.
    #[serde(default)]
    pub cue_pattern: usize,
}

impl Default for MemorySetup {
    fn default() -> Self {
        Self {
            patterns: PatternSource::Builtin {
                set: "letters".into(),
                labels: ["A", "H", "S"].map(String::from).to_vec(),
            },
            params: crate::spiking::MemoryParams::default(),
            cue_pattern: 0,
        }
    }
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
    /// The interval statistics of every spike since the network last changed (set as the frame
    /// is taken).
    pub isi: Option<IsiView>,
    /// Measured and predicted covariances, about once a simulated second while they are shown.
    pub correlations: Option<Box<CorrelationView>>,
    /// An export to NEST in progress, or its outcome (sent once).
    pub export: Option<super::bundle::job::ExportStatus>,
}

/// The measured count covariance of a sample of neurons and what linear response predicts.
#[derive(Debug, Clone, Default)]
pub struct CorrelationView {
    /// The sampled neurons, sorted.
    pub sample: Vec<u32>,
    /// Each population's name and its positions in the sample.
    pub ranges: Vec<(String, std::ops::Range<usize>)>,
    /// Measured covariance per unit time, |S|×|S| row-major, in Hz (empty before two windows).
    pub measured_hz: Vec<f64>,
    /// Windows counted since the parameters last changed.
    pub windows: u64,
    /// Counting window, in ms.
    pub window_ms: f64,
    /// Time measured since the parameters last changed, in ms.
    pub measured_ms: f64,
    /// The latest prediction (shared: sent again without copying).
    pub theory: Option<std::sync::Arc<CorrelationTheory>>,
    /// True while a prediction is being computed.
    pub computing: bool,
    /// Why there is no prediction, if so.
    pub refused: Option<String>,
}

/// A prediction from the wiring: covariance of the sample and the spectrum of W_eff.
#[derive(Debug, Clone)]
pub struct CorrelationTheory {
    /// Covariance and operating points.
    pub prediction: super::correlations::Prediction,
    /// Eigenvalues of W_eff.
    pub spectrum: super::correlations::Spectrum,
    /// Measured time its rates and Fano factors came from, in ms (0: rates from before the last change).
    pub measured_ms: f64,
    /// Couplings it was made for (E and I), in mV.
    pub j_mv: (f64, f64),
}

/// The ISI statistics a frame carries: computed on the simulation thread from every spike, so the
/// same whatever the speed or how many spikes the window was sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IsiView {
    /// Mean per-neuron CV, its distribution, and the interval histogram.
    pub summary: crate::analysis::spike_stats::IsiSummary,
    /// Simulated time when the statistics started, in ms.
    pub since_ms: f64,
}

/// What the app or a timeline asks of a running spiking scene.
#[derive(Debug, Clone, PartialEq)]
pub enum SpikingCommand {
    /// Change the network's parameters (validated; state kept).
    SetNetworkParams(Box<super::model::NetworkParams>),
    /// Choose the neurons whose membrane potential is recorded.
    RecordNeurons(Vec<u32>),
    /// Switch STDP on E→E synapses on (with these parameters) or off; learned weights are kept.
    SetStdp(Option<super::model::StdpParams>),
    /// Change the spiking memory's parameters (drive, coupling, competition, noise, cue, filter).
    SetMemoryParams(super::model::MemoryParams),
    /// Cue the spiking memory: a corrupted pattern or a random input as stimulus current.
    Cue(crate::families::hopfield::Cue),
    /// Send the measured covariance of a sample of neurons with frames, and predict it from the
    /// wiring (in the background), while on; off stops both (the counting goes on).
    ShowCorrelations(bool),
    /// Write the network as it is now as a NEST bundle into this folder (in the background;
    /// progress and outcome arrive with frames); `replace` allows an existing folder.
    Export {
        /// The bundle folder.
        dir: std::path::PathBuf,
        /// Replace the folder if it exists.
        replace: bool,
    },
}

/// What a spiking scenario's timeline may do (`do = "..."`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SpikingVerb {
    /// Cue stored pattern `pattern` (index) with a fraction `flip` of its bits flipped (memory scenes).
    Cue {
        /// Index of the stored pattern.
        pattern: usize,
        /// Fraction of bits flipped, in [0, 1].
        flip: f64,
    },
    /// Start from a random state (memory scenes).
    RandomState,
    /// Switch STDP on or off.
    Stdp {
        /// On or off.
        on: bool,
        /// Amplitudes, time constants and bound (default: `StdpParams::default()`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<super::model::StdpParams>,
    },
}

impl crate::families::TimelineVerb for SpikingVerb {
    fn describe(&self) -> String {
        match self {
            Self::Cue { pattern, flip } => crate::families::action::describe_cue(*pattern, *flip),
            Self::RandomState => "random state".into(),
            Self::Stdp { on, .. } => format!("STDP {}", if *on { "on" } else { "off" }),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Self::Cue { flip, .. } => crate::families::action::check_flip(*flip),
            _ => Ok(()),
        }
    }
}
