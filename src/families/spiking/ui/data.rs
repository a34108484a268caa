//! What the app keeps of a spiking scene: the latest description, the raster and bounded histories.

use super::raster::Raster;
use crate::families::spiking::{SpikingFrame, SpikingInfo};
use crate::views::history::Series;
use crate::views::theme;

/// Population-rate bins kept (1 ms each).
const RATE_HISTORY: usize = 10_000;
/// Trace samples kept per recorded neuron.
const TRACE_HISTORY: usize = 20_000;
/// Overlap samples kept per pattern of a spiking memory.
const MEMORY_HISTORY: usize = 20_000;
/// How often the branching ratio of the activity is estimated again, in ms of simulated time.
const BRANCHING_EVERY_MS: f64 = 500.0;
/// Largest lag of the branching estimate's regression, in 1 ms bins.
pub const BRANCHING_K_MAX: usize = 40;
/// Fewest bins of activity before a branching ratio is estimated.
const BRANCHING_MIN_BINS: usize = 2_000;

/// Membrane-potential histogram: bins and range in mV relative to threshold and reset.
pub const V_BINS: usize = 80;

/// Spiking scene data.
pub struct SpikingData {
    /// The latest scene description.
    pub info: SpikingInfo,
    /// The scrolling raster.
    pub raster: Raster,
    /// Population rate (Hz) per population over time (ms), 1 ms bins.
    pub rates: Vec<Series>,
    /// Spikes of the whole network per 1 ms bin over time (ms): the activity the branching
    /// ratio is estimated from.
    pub activity: Series,
    /// The branching ratio of `activity` by multistep regression (lags 1..BRANCHING_K_MAX ms),
    /// refreshed every half second of simulated time.
    pub branching: Option<crate::analysis::branching::BranchingEstimate>,
    /// When `branching` was last estimated, in ms.
    branching_at_ms: f64,
    /// Membrane potential (mV) of each recorded neuron over time (ms).
    pub traces: Vec<Series>,
    /// Histogram of membrane potentials, decaying so it follows the present.
    pub v_histogram: Vec<f64>,
    /// Lower edge of the potential histogram (mV).
    pub v_min_mv: f64,
    /// Upper edge of the potential histogram (mV).
    pub v_max_mv: f64,
    /// The ISI statistics of every spike since the network last changed, from the engine.
    pub isi: Option<crate::families::spiking::IsiView>,
    /// Latest simulated time (ms).
    pub time_ms: f64,
    /// Spikes received in total.
    pub spikes_received: u64,
    /// The spiking memory's readout, when the scene is one.
    pub memory: Option<MemoryData>,
    /// The latest measured and predicted covariances (while the correlations tab is open).
    pub correlations: Option<crate::families::spiking::CorrelationView>,
    /// The latest export to NEST: its progress, then its outcome.
    pub export: Option<crate::families::spiking::bundle::job::ExportStatus>,
    /// What the scene was last told about showing correlations (None: not since its last
    /// description, which a rebuilt scene sends, so the view is asked for again).
    pub correlations_told: Option<bool>,
}

/// Overlap histories and the latest rate state of a spiking memory.
pub struct MemoryData {
    /// Overlap with each pattern over time (ms).
    pub overlaps: Vec<Series>,
    /// The latest rate state s_i of every pixel (±1 in a stored pattern).
    pub rate_state: Vec<f32>,
    /// True while a cue is delivered.
    pub cue_active: bool,
    /// Classification of the latest state.
    pub classification: String,
}

impl MemoryData {
    fn new(patterns: usize, pixels: usize) -> Self {
        Self {
            overlaps: (0..patterns).map(|_| Series::new(MEMORY_HISTORY)).collect(),
            rate_state: vec![0.0; pixels],
            cue_active: false,
            classification: String::new(),
        }
    }
}

impl SpikingData {
    /// Empty histories for a new scene.
    pub fn new(info: SpikingInfo, dark: bool) -> Self {
        let raster = population_raster(info.n_neurons, &info.populations, dark);
        let threshold = info
            .populations
            .iter()
            .map(|p| p.threshold_mv)
            .fold(f64::NEG_INFINITY, f64::max);
        let reset = info
            .populations
            .iter()
            .map(|p| p.reset_mv)
            .fold(f64::INFINITY, f64::min);
        let span = (threshold - reset).abs().max(1.0);
        Self {
            rates: info
                .populations
                .iter()
                .map(|_| Series::new(RATE_HISTORY))
                .collect(),
            traces: info.recorded.iter().map(|_| Series::new(TRACE_HISTORY)).collect(),
            activity: Series::new(RATE_HISTORY),
            branching: None,
            branching_at_ms: 0.0,
            v_histogram: vec![0.0; V_BINS],
            v_min_mv: reset - 1.5 * span,
            v_max_mv: threshold + 0.1 * span,
            isi: None,
            time_ms: 0.0,
            spikes_received: 0,
            memory: info
                .memory
                .as_ref()
                .map(|m| MemoryData::new(m.patterns.len(), m.patterns.n())),
            correlations: None,
            correlations_told: None,
            export: None,
            raster,
            info,
        }
    }

    /// Takes a new description; the raster and histories restart if the structure changed.
    pub fn set_info(&mut self, info: SpikingInfo, dark: bool) {
        let same_structure = info.n_neurons == self.info.n_neurons
            && info.populations == self.info.populations
            && info.memory.as_ref().map(|m| &m.patterns) == self.info.memory.as_ref().map(|m| &m.patterns);
        if !same_structure {
            *self = Self::new(info, dark);
            return;
        }
        self.correlations_told = None;
        if info.recorded != self.info.recorded {
            self.traces = info.recorded.iter().map(|_| Series::new(TRACE_HISTORY)).collect();
        }
        self.info = info;
    }

    /// Appends a frame; a frame that starts before the data's time (the scene was rebuilt) starts
    /// the raster and histories afresh.
    pub fn push(&mut self, frame: SpikingFrame, dark: bool) {
        let dt = self.info.dt_ms;
        if (frame.first_step as f64) * dt < self.time_ms - 1e-9 {
            *self = Self::new(self.info.clone(), dark);
        }
        for (&step, &neuron) in frame.spike_steps.iter().zip(&frame.spike_neurons) {
            self.raster.add_spike(neuron, step as f64 * dt);
        }
        if frame.isi.is_some() {
            self.isi = frame.isi;
        }
        if let Some(view) = frame.correlations {
            self.correlations = Some(*view);
        }
        if frame.export.is_some() {
            self.export = frame.export;
        }
        self.spikes_received += frame.spike_neurons.len() as u64;
        for (population, counts) in frame.population_counts.iter().enumerate() {
            let size = self.info.populations.get(population).map_or(1, |p| p.len.max(1)) as f64;
            let bin_ms = (1.0 / dt).round().max(1.0) * dt;
            for (bin, &count) in counts.iter().enumerate() {
                let t = (frame.counts_first_step as f64) * dt + bin as f64 * bin_ms;
                let rate_hz = f64::from(count) / size / (bin_ms / 1000.0);
                if let Some(series) = self.rates.get_mut(population) {
                    push_rate_bin(series, t, rate_hz);
                }
            }
        }
        let bins = frame.population_counts.iter().map(Vec::len).max().unwrap_or(0);
        let bin_ms = (1.0 / dt).round().max(1.0) * dt;
        for bin in 0..bins {
            let t = (frame.counts_first_step as f64) * dt + bin as f64 * bin_ms;
            let total: f64 = frame
                .population_counts
                .iter()
                .map(|counts| counts.get(bin).map_or(0.0, |&c| f64::from(c)))
                .sum();
            if self.activity.last().is_some_and(|p| p[0] >= t) {
                self.activity.add_to_last(total);
            } else {
                self.activity.push(t, total);
            }
        }
        for (series, trace) in self.traces.iter_mut().zip(&frame.traces_mv) {
            for (k, &v) in trace.iter().enumerate() {
                let t = (frame.first_step + k as u64 * frame.trace_every) as f64 * dt;
                series.push(t, f64::from(v));
            }
        }
        if !frame.v_sample_mv.is_empty() {
            // Each snapshot decays the old histogram a little, so it follows parameter changes.
            self.v_histogram.iter_mut().for_each(|c| *c *= 0.97);
            let width = (self.v_max_mv - self.v_min_mv) / V_BINS as f64;
            for &v in &frame.v_sample_mv {
                let bin = ((f64::from(v) - self.v_min_mv) / width).floor();
                if bin >= 0.0 && (bin as usize) < V_BINS {
                    self.v_histogram[bin as usize] += 1.0;
                }
            }
        }
        if let (Some(data), Some(readout)) = (self.memory.as_mut(), frame.memory) {
            for (t, overlaps) in readout.times_ms.iter().zip(&readout.overlaps) {
                for (series, &m) in data.overlaps.iter_mut().zip(overlaps) {
                    series.push(*t, f64::from(m));
                }
            }
            if readout.rate_state.len() == data.rate_state.len() {
                data.rate_state = readout.rate_state;
                data.cue_active = readout.cue_active;
                data.classification = readout.classification;
            }
        }
        self.time_ms = (frame.first_step + frame.steps) as f64 * dt;
        self.raster.advance_to(self.time_ms);
        if self.time_ms - self.branching_at_ms >= BRANCHING_EVERY_MS
            && self.activity.len() >= BRANCHING_MIN_BINS
        {
            self.branching_at_ms = self.time_ms;
            // The last bin may still be filling: leave it out.
            let counts: Vec<f64> = self.activity.iter().map(|p| p[1]).collect();
            self.branching =
                crate::analysis::branching::estimate_branching(&counts[..counts.len() - 1], BRANCHING_K_MAX);
        }
    }
}

/// An empty raster whose rows take their population's colour.
pub fn population_raster(
    n_neurons: usize,
    populations: &[crate::families::spiking::PopulationView],
    dark: bool,
) -> Raster {
    let populations = populations.to_vec();
    let colour_of = move |neuron: usize| {
        let index = populations
            .iter()
            .position(|p| neuron < p.start + p.len)
            .unwrap_or(0);
        population_colour(&populations, index, dark)
    };
    Raster::new(n_neurons, colour_of, theme::raster_background(dark))
}

/// Adds a bin's rate at time `t` (ms) to a rate history: the first bin of a frame may continue the
/// last bin of the previous frame, and then adds to it.
pub fn push_rate_bin(series: &mut Series, t: f64, rate_hz: f64) {
    if series.last().is_some_and(|p| p[0] >= t) {
        series.add_to_last(rate_hz);
    } else {
        series.push(t, rate_hz);
    }
}

/// The colour of population `index` in every view (raster rows, rate lines): the first excitatory
/// population blue and the first inhibitory red; further populations of a kind (a spiking memory's
/// "off" pools beside its "on" pools) get palette colours, so that no two share one.
pub fn population_colour(
    populations: &[crate::families::spiking::PopulationView],
    index: usize,
    dark: bool,
) -> egui::Color32 {
    let Some(population) = populations.get(index) else {
        return theme::excitatory(dark);
    };
    let same_kind_before = populations[..index]
        .iter()
        .filter(|p| p.excitatory == population.excitatory)
        .count();
    match (population.excitatory, same_kind_before) {
        (true, 0) => theme::excitatory(dark),
        (false, 0) => theme::inhibitory(dark),
        (_, k) => theme::pattern(k + 1),
    }
}
