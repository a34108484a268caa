//! The spiking scene the simulation thread runs: a `Network` plus probes that only read it.

use super::model::{MemoryParams, Network, PopulationKind, SpikingMemory};
use super::protocol::SpikingCommand as Command;
use super::protocol::{
    IsiView, MemoryFrame, MemoryInfo, MemorySetup, PopulationView, SpikingFrame, SpikingInfo, SpikingSetup,
};
use crate::analysis::spike_stats::IsiStats;
use crate::families::hopfield::Cue;
use crate::rng::{SimRng, substream};

/// Most spikes kept between two snapshots by default; beyond it spikes are dropped and counted as thinned.
pub use crate::families::family::MAX_PENDING_SPIKES;
/// Most neurons whose membrane potential is sent for the potential histogram.
const V_SAMPLE_NEURONS: usize = 2000;
/// Most trace samples kept per recorded neuron between two snapshots.
const MAX_PENDING_TRACE: usize = 200_000;

/// A running spiking network with its pending frame.
pub struct SpikingScene {
    network: Network,
    setup: SpikingSetup,
    recorded: Vec<u32>,
    info_dirty: bool,
    frame: SpikingFrame,
    steps_per_bin: u64,
    thinned_spikes: u64,
    max_pending_spikes: usize,
    preset_params: super::model::NetworkParams,
    memory: Option<MemoryState>,
    /// Every spike's interval since the network last changed (never thinned): the ISI CV.
    isi: IsiStats,
    /// When `isi` started, in ms.
    isi_since_ms: f64,
    /// Count covariances of a sample and their prediction from the wiring (not for memories).
    correlations: Option<super::correlations::LiveCorrelations>,
    /// A NEST bundle being written from the app.
    export: Option<super::bundle::job::ExportJob>,
}

/// A spiking memory's readout and cue timing.
struct MemoryState {
    memory: SpikingMemory,
    preset_params: MemoryParams,
    /// Step at which the current cue ends.
    cue_until_step: Option<u64>,
    /// Cues' random choices (corrupted copies).
    rng: SimRng,
}

impl SpikingScene {
    /// Builds the network of a setup.
    pub fn build(setup: SpikingSetup) -> Result<Self, String> {
        let (network, memory) = if setup.preset.is_memory() {
            let memory_setup = setup.memory.clone().unwrap_or_default();
            let patterns = crate::families::hopfield::pattern_set(&memory_setup.patterns, setup.seed)?;
            if memory_setup.cue_pattern >= patterns.len() {
                return Err(format!(
                    "cue_pattern is {}, but the memory has {} patterns (0 to {})",
                    memory_setup.cue_pattern,
                    patterns.len(),
                    patterns.len().saturating_sub(1)
                ));
            }
            let build = if setup.preset == super::model::Preset::Memory {
                SpikingMemory::build
            } else {
                SpikingMemory::build_learning
            };
            let (network, memory) =
                build(patterns, memory_setup.params, setup.seed).map_err(|e| e.to_string())?;
            let state = MemoryState {
                memory,
                preset_params: memory_setup.params,
                cue_until_step: None,
                rng: substream(setup.seed, 77),
            };
            (network, Some(state))
        } else {
            let network =
                Network::from_preset_scaled(setup.preset, setup.n_neurons, setup.in_degree, setup.seed)
                    .map_err(|e| e.to_string())?;
            (network, None)
        };
        let steps_per_bin = (1.0 / network.dt_ms()).round().max(1.0) as u64;
        let recorded = default_recorded(&network);
        let network_params = network.params().clone();
        let correlations = memory
            .is_none()
            .then(|| super::correlations::LiveCorrelations::new(&network));
        let mut scene = Self {
            correlations,
            frame: SpikingFrame::default(),
            network,
            setup,
            recorded,
            info_dirty: true,
            steps_per_bin,
            thinned_spikes: 0,
            max_pending_spikes: MAX_PENDING_SPIKES,
            preset_params: network_params,
            memory,
            isi: IsiStats::new(0),
            isi_since_ms: 0.0,
            export: None,
        };
        scene.restart_isi();
        scene.reset_frame();
        Ok(scene)
    }

    /// Step size in ms.
    pub fn dt_ms(&self) -> f64 {
        self.network.dt_ms()
    }

    /// Simulated time in ms.
    pub fn time_ms(&self) -> f64 {
        self.network.steps_done() as f64 * self.network.dt_ms()
    }

    /// Sets how many spikes may wait for the app before new ones are dropped (and counted).
    pub fn set_max_pending_spikes(&mut self, limit: usize) {
        self.max_pending_spikes = limit;
    }

    /// Steps the network on up to `threads` threads (same spikes whatever the count).
    pub fn set_threads(&mut self, threads: usize) {
        self.network.set_threads(threads);
    }

    /// Spikes dropped so far because the app did not read them.
    pub fn thinned_spikes(&self) -> u64 {
        self.thinned_spikes
    }

    /// Advances by `steps` steps, recording spikes, traces and population counts.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        for _ in 0..steps {
            self.network.try_step().map_err(|e| e.to_string())?;
            let step = self.network.steps_done() - 1;
            self.record(step);
            if let Some(correlations) = self.correlations.as_mut() {
                correlations.observe(self.network.last_spikes());
            }
            if let Some(state) = self.memory.as_mut() {
                state.memory.observe(&self.network);
                if state.cue_until_step.is_some_and(|end| step + 1 >= end) {
                    state.cue_until_step = None;
                    state
                        .memory
                        .set_cue(&mut self.network, None)
                        .map_err(|e| e.to_string())?;
                }
                if (step + 1).is_multiple_of(self.steps_per_bin) {
                    let frame = self.frame.memory.get_or_insert_with(MemoryFrame::default);
                    frame.times_ms.push((step + 1) as f64 * self.network.dt_ms());
                    frame
                        .overlaps
                        .push(state.memory.overlaps().iter().map(|&m| m as f32).collect());
                }
            }
        }
        Ok(())
    }

    /// Delivers a cue to the spiking memory for its cue duration.
    fn cue_memory(&mut self, cue: &Cue) -> Result<Option<String>, String> {
        let Some(state) = self.memory.as_mut() else {
            return Ok(None);
        };
        let patterns = state.memory.patterns();
        let pattern = |index: usize| {
            patterns.patterns.get(index).cloned().ok_or_else(|| {
                format!(
                    "there is no pattern {} (the memory has {})",
                    index + 1,
                    patterns.len()
                )
            })
        };
        let (values, what) = match cue {
            Cue::Corrupted { pattern: index, flip } => {
                let p = pattern(*index)?;
                let cue = crate::hopfield::cue::flip_fraction(&p, *flip, &mut state.rng)
                    .map_err(|e| e.to_string())?;
                (
                    cue,
                    format!(
                        "cue {} with {:.0} % flipped",
                        patterns.labels[*index],
                        flip * 100.0
                    ),
                )
            }
            Cue::Masked { pattern: index, rect } => {
                let p = pattern(*index)?;
                let cue = crate::hopfield::cue::mask_region(&p, patterns.width, patterns.height, *rect)
                    .map_err(|e| e.to_string())?;
                (
                    cue,
                    format!("cue {} with a region masked", patterns.labels[*index]),
                )
            }
            Cue::Random => (
                crate::hopfield::cue::random_state(patterns.n(), &mut state.rng),
                "random cue".to_string(),
            ),
            Cue::State(values) => (values.clone(), "cue the painted state".to_string()),
        };
        let duration_ms = state.memory.params().cue_ms;
        state
            .memory
            .set_cue(&mut self.network, Some(values))
            .map_err(|e| e.to_string())?;
        let steps = (duration_ms / self.network.dt_ms()).round() as u64;
        state.cue_until_step = Some(self.network.steps_done() + steps.max(1));
        // The setup remembers the pattern cued, so that a saved session reopens on it.
        if let Cue::Corrupted { pattern, .. } | Cue::Masked { pattern, .. } = cue {
            let memory = self.setup.memory.get_or_insert_with(MemorySetup::default);
            if memory.cue_pattern != *pattern {
                memory.cue_pattern = *pattern;
                self.info_dirty = true;
            }
        }
        Ok(Some(format!("{what} for {duration_ms:.0} ms")))
    }

    fn record(&mut self, step: u64) {
        let frame = &mut self.frame;
        let spikes = self.network.last_spikes();
        let time_ms = step as f64 * self.network.dt_ms();
        for &neuron in spikes {
            self.isi.push(neuron as usize, time_ms);
        }
        let bin = ((step - frame.counts_first_step) / self.steps_per_bin) as usize;
        for counts in frame.population_counts.iter_mut() {
            if counts.len() <= bin {
                counts.resize(bin + 1, 0);
            }
        }
        let populations = self.network.populations();
        for &neuron in spikes {
            let population = populations
                .iter()
                .position(|p| (neuron as usize) < p.start + p.len)
                .unwrap_or(0);
            frame.population_counts[population][bin] += 1;
        }
        if frame.spike_neurons.len() + spikes.len() <= self.max_pending_spikes {
            frame.spike_neurons.extend_from_slice(spikes);
            frame.spike_steps.extend(std::iter::repeat_n(step, spikes.len()));
        } else {
            self.thinned_spikes += spikes.len() as u64;
        }
        if frame
            .traces_mv
            .first()
            .is_some_and(|t| t.len() < MAX_PENDING_TRACE)
        {
            let v = self.network.v_mv();
            for (trace, &neuron) in frame.traces_mv.iter_mut().zip(&self.recorded) {
                trace.push(v[neuron as usize]);
            }
        }
        frame.steps += 1;
    }

    /// Applies a spiking command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &Command) -> Result<Option<String>, String> {
        match command {
            Command::SetNetworkParams(params) => {
                self.network
                    .set_params((**params).clone())
                    .map_err(|e| e.to_string())?;
                self.restart_isi();
                if let Some(correlations) = self.correlations.as_mut() {
                    correlations.parameters_changed(&self.network);
                }
                self.info_dirty = true;
            }
            Command::ShowCorrelations(on) => {
                if let Some(correlations) = self.correlations.as_mut() {
                    correlations.show(*on);
                }
            }
            Command::Export { dir, replace } => {
                if self.export.as_ref().is_some_and(|job| !job.finished()) {
                    return Err("an export is still being written; wait for it to finish".into());
                }
                let from = super::bundle::BundleSource {
                    scenario: format!(
                        "{} (exported from the app at {:.0} ms)",
                        self.setup.preset,
                        self.time_ms()
                    ),
                    seed: self.setup.seed,
                    duration_ms: 1000.0,
                };
                self.export = Some(super::bundle::job::ExportJob::start(
                    &self.network,
                    from,
                    dir.clone(),
                    *replace,
                ));
                return Ok(Some(format!("exporting to {}", dir.display())));
            }
            Command::Cue(cue) => return self.cue_memory(cue),
            Command::SetMemoryParams(params) => {
                let Some(state) = self.memory.as_mut() else {
                    return Err("this scene has no spiking memory".into());
                };
                state
                    .memory
                    .set_params(&mut self.network, *params)
                    .map_err(|e| e.to_string())?;
                self.info_dirty = true;
            }
            Command::SetStdp(stdp) => {
                if let Some(state) = &self.memory
                    && !state.memory.is_learning()
                    && stdp.is_some()
                {
                    return Err(
                        "this memory's couplings come from its learning rule; STDP acts in the stdp-memory preset"
                            .into(),
                    );
                }
                self.network.set_stdp(*stdp).map_err(|e| e.to_string())?;
                self.info_dirty = true;
                let state = if stdp.is_some() { "on" } else { "off" };
                return Ok(Some(format!("STDP {state}")));
            }
            Command::RecordNeurons(neurons) => {
                let n = self.network.n_neurons() as u32;
                self.recorded = neurons.iter().copied().filter(|&i| i < n).take(16).collect();
                self.info_dirty = true;
                self.reset_frame();
            }
        }
        Ok(None)
    }

    fn reset_frame(&mut self) {
        let first = self.network.steps_done();
        // Population bins are aligned to whole ms so that consecutive frames join seamlessly.
        let aligned = first - first % self.steps_per_bin;
        self.frame = SpikingFrame {
            first_step: first,
            steps: 0,
            spike_steps: Vec::new(),
            spike_neurons: Vec::new(),
            traces_mv: vec![Vec::new(); self.recorded.len()],
            trace_every: 1,
            population_counts: vec![Vec::new(); self.network.populations().len()],
            counts_first_step: aligned,
            v_sample_mv: Vec::new(),
            memory: None,
            isi: None,
            correlations: None,
            export: None,
        };
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<SpikingInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let populations = self
            .network
            .populations()
            .iter()
            .map(|p| PopulationView {
                name: p.name.clone(),
                excitatory: p.kind == PopulationKind::Excitatory,
                start: p.start,
                len: p.len,
                threshold_mv: p.threshold_mv,
                reset_mv: p.reset_mv,
            })
            .collect();
        Some(SpikingInfo {
            n_neurons: self.network.n_neurons(),
            n_synapses: self.network.n_synapses(),
            dt_ms: self.network.dt_ms(),
            populations,
            params: self.network.params().clone(),
            preset_params: self.preset_params.clone(),
            setup: self.setup.clone(),
            recorded: self.recorded.clone(),
            mean_in_degree: self.network.mean_in_degree(),
            stdp_enabled: self.network.stdp_enabled(),
            mean_exc_weight: self.network.mean_exc_weight(),
            memory: self.memory.as_ref().map(|state| {
                Box::new(MemoryInfo {
                    patterns: state.memory.patterns().clone(),
                    params: *state.memory.params(),
                    preset_params: state.preset_params,
                    rate_levels_hz: state.memory.rate_levels_hz(),
                    learning: state.memory.is_learning(),
                })
            }),
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> SpikingFrame {
        // The potential histogram describes the first population (E), the one theory is drawn for.
        let first = self
            .network
            .populations()
            .first()
            .map_or(0..0, |p| p.start..p.start + p.len);
        let v = &self.network.v_mv()[first];
        let stride = (v.len() / V_SAMPLE_NEURONS).max(1);
        // While STDP changes the weights, refresh the description (mean weight) about 4 times a second.
        if self.network.stdp_enabled() && self.network.steps_done() / 2500 != self.frame.first_step / 2500 {
            self.info_dirty = true;
        }
        let mut frame = std::mem::take(&mut self.frame);
        frame.v_sample_mv = v.iter().step_by(stride).copied().collect();
        frame.isi = Some(IsiView {
            summary: self.isi.summary(),
            since_ms: self.isi_since_ms,
        });
        let time_ms = self.time_ms();
        if let Some(correlations) = self.correlations.as_mut() {
            frame.correlations = correlations.take_view(&self.network, time_ms);
        }
        if let Some(job) = self.export.as_mut() {
            frame.export = Some(job.poll());
            if job.finished() {
                self.export = None;
            }
        }
        if let Some(state) = &self.memory {
            let readout = frame.memory.get_or_insert_with(MemoryFrame::default);
            readout.rate_state = state.memory.rate_state();
            readout.cue_active = state.memory.cue_active();
            readout.classification = state.memory.describe();
        }
        self.reset_frame();
        frame
    }

    /// Starts the interval statistics afresh from now (a new network or new parameters).
    fn restart_isi(&mut self) {
        self.isi = IsiStats::new(self.network.n_neurons());
        self.isi_since_ms = self.time_ms();
    }

    /// The interval statistics of every spike since the network last changed.
    pub fn isi(&self) -> &IsiStats {
        &self.isi
    }

    /// The spiking memory, when the scene is one.
    pub fn memory(&self) -> Option<&SpikingMemory> {
        self.memory.as_ref().map(|state| &state.memory)
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The network's parameters in use.
    pub fn network_params(&self) -> &super::model::NetworkParams {
        self.network.params()
    }

    /// The setup the scene was built from.
    pub fn setup(&self) -> &SpikingSetup {
        &self.setup
    }
}

/// Two excitatory and two inhibitory neurons (or the first four) are recorded by default.
fn default_recorded(network: &Network) -> Vec<u32> {
    let mut recorded = Vec::new();
    for population in network.populations() {
        recorded.extend((population.start..population.start + population.len.min(2)).map(|i| i as u32));
    }
    recorded.truncate(4);
    recorded
}

/// Everything a [`SpikingScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpikingSceneState {
    /// The setup the scene was built from.
    pub setup: SpikingSetup,
    /// The network: parameters, synapses with their (learned) weights, state, random number generator.
    pub network: super::model::NetworkState,
    /// Neurons whose membrane potential is recorded.
    pub recorded: Vec<u32>,
    /// Parameters the scene was built with (for restore marks).
    pub preset_params: super::model::NetworkParams,
    /// The spiking memory, when the scene is one.
    pub memory: Option<MemorySceneState>,
}

/// A spiking memory's part of a session: readout, cue and cue timing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MemorySceneState {
    /// Readout, cue and parameters.
    pub memory: super::model::SpikingMemoryState,
    /// Parameters the scene was built with.
    pub preset_params: MemoryParams,
    /// Step at which the current cue ends.
    pub cue_until_step: Option<u64>,
    /// The cues' random number generator.
    pub rng: SimRng,
}

impl SpikingScene {
    /// Captures the scene for a session file.
    pub fn save_session(&self) -> SpikingSceneState {
        SpikingSceneState {
            setup: self.setup.clone(),
            network: self.network.save_state(),
            recorded: self.recorded.clone(),
            preset_params: self.preset_params.clone(),
            memory: self.memory.as_ref().map(|m| MemorySceneState {
                memory: m.memory.save_state(),
                preset_params: m.preset_params,
                cue_until_step: m.cue_until_step,
                rng: m.rng.clone(),
            }),
        }
    }

    /// Rebuilds a scene from a session's capture; it continues exactly as the saved one would have.
    pub fn restore_session(state: SpikingSceneState) -> Result<Self, String> {
        let network = Network::from_state(state.network).map_err(|e| e.to_string())?;
        let memory = match state.memory {
            Some(m) => Some(MemoryState {
                memory: SpikingMemory::from_state(m.memory, &network).map_err(|e| e.to_string())?,
                preset_params: m.preset_params,
                cue_until_step: m.cue_until_step,
                rng: m.rng,
            }),
            None => None,
        };
        let n = network.n_neurons() as u32;
        if let Some(bad) = state.recorded.iter().find(|&&i| i >= n) {
            return Err(format!(
                "saved scene: recorded neuron {bad} is beyond the {n} of the network"
            ));
        }
        let correlations = memory
            .is_none()
            .then(|| super::correlations::LiveCorrelations::new(&network));
        let mut scene = Self {
            correlations,
            frame: SpikingFrame::default(),
            steps_per_bin: (1.0 / network.dt_ms()).round().max(1.0) as u64,
            network,
            setup: state.setup,
            recorded: state.recorded,
            info_dirty: true,
            thinned_spikes: 0,
            max_pending_spikes: MAX_PENDING_SPIKES,
            preset_params: state.preset_params,
            memory,
            isi: IsiStats::new(0),
            isi_since_ms: 0.0,
            export: None,
        };
        scene.restart_isi();
        scene.reset_frame();
        Ok(scene)
    }
}

impl crate::families::FamilyScene<super::Spiking> for SpikingScene {
    fn setup(&self) -> SpikingSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.time_ms()
    }

    fn steps_per_unit(&self) -> f64 {
        1.0 / self.dt_ms()
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        SpikingScene::advance(self, steps)
    }

    fn apply(&mut self, command: &Command) -> Result<Option<String>, String> {
        SpikingScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<SpikingInfo> {
        SpikingScene::take_info(self)
    }

    fn take_frame(&mut self) -> SpikingFrame {
        SpikingScene::take_frame(self)
    }

    fn working_in_background(&self) -> bool {
        self.export.is_some()
    }

    fn save(&self) -> SpikingSceneState {
        self.save_session()
    }

    fn thinned_spikes(&self) -> u64 {
        SpikingScene::thinned_spikes(self)
    }

    fn set_threads(&mut self, threads: usize) {
        SpikingScene::set_threads(self, threads)
    }

    fn threads_active(&self) -> usize {
        self.network.threads_active()
    }
}
