//! A sampling scene: one Boltzmann distribution, every sampler on it side by side, the counts of
//! what each visited, and the exact distribution they are compared with.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::machine::Machine;
use super::model::{Boltzmann, Exact, Sampler, SamplerKind, StateCounts};
use super::protocol::{
    DistancePoint, SamplersNow, SamplingCommand, SamplingFrame, SamplingInfo, SamplingSetup, parse_clamp,
};

/// Most spikes kept for the app between two snapshots (N ≤ 200 neurons at most 1 spike per ms).
const MAX_FRAME_SPIKES: usize = 200_000;
/// Distance points per decade of samples.
const MARKS_PER_DECADE: f64 = 20.0;
/// Largest N whose distances are also computed at every frame's end (2^12 states per sampler).
const LIVE_DISTANCE_UNITS: usize = 12;

/// A running sampling scene.
pub struct SamplingScene {
    setup: SamplingSetup,
    model: Boltzmann,
    clamp: Vec<Option<bool>>,
    samplers: Vec<Sampler>,
    counts: Vec<StateCounts>,
    spike_counts: Vec<u64>,
    exact: Option<Arc<Exact>>,
    /// The states the bar chart shows, chosen when the exact distribution changes.
    shown: Vec<usize>,
    steps: u64,
    since_step: u64,
    next_mark: u32,
    info_dirty: bool,
    frame: SamplingFrame,
    spiked: Vec<u16>,
    machine: Option<Machine>,
}

/// A sampling scene captured for a session file: enough to continue exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplingSceneState {
    /// The setup it was built from.
    pub setup: SamplingSetup,
    /// Temperature now.
    pub temperature: f64,
    /// Evidence now, as `1`/`0`/`?` characters.
    pub clamp: String,
    /// Every chain, with its random stream.
    pub samplers: Vec<Sampler>,
    /// What each chain visited since `since_step`.
    pub counts: Vec<StateCounts>,
    /// Spikes of each chain since `since_step`.
    pub spike_counts: Vec<u64>,
    /// Steps (ms) simulated.
    pub steps: u64,
    /// Step at which the counts started.
    pub since_step: u64,
    /// Index of the next distance mark.
    pub next_mark: u32,
    /// The learning machine, in a Boltzmann machine scene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
}

/// The k-th distance mark: the sample count 10^(k/20), rounded up, made strictly increasing.
fn mark(k: u32) -> u64 {
    let m = 10f64.powf(f64::from(k) / MARKS_PER_DECADE).ceil() as u64;
    m.max(u64::from(k) + 1)
}

impl SamplingScene {
    /// Builds the distribution, its exact reference and one chain per sampler from random states.
    pub fn build(setup: SamplingSetup) -> Result<Self, String> {
        setup.validate()?;
        if let Some(learn) = &setup.learn {
            let machine = Machine::new(learn, setup.seed)?;
            let (model, n) = (machine.model(), machine.trainer.n());
            return Ok(Self::assemble(
                setup,
                model,
                vec![None; n],
                Vec::new(),
                Some(machine),
            ));
        }
        let model = setup.distribution()?;
        let clamp = parse_clamp(&setup.clamp, setup.units)?;
        let samplers = SamplerKind::ALL
            .iter()
            .map(|&kind| Sampler::start(kind, &model, setup.seed, 0, setup.tau_steps, &clamp))
            .collect();
        let mut scene = Self::assemble(setup, model, clamp, samplers, None);
        scene.refresh_exact();
        Ok(scene)
    }

    /// A scene at step 0 with empty counts for its chains (none for a learning machine).
    fn assemble(
        setup: SamplingSetup,
        model: Boltzmann,
        clamp: Vec<Option<bool>>,
        samplers: Vec<Sampler>,
        machine: Option<Machine>,
    ) -> Self {
        Self {
            counts: vec![StateCounts::new(setup.units); samplers.len()],
            spike_counts: vec![0; samplers.len()],
            setup,
            model,
            clamp,
            samplers,
            exact: None,
            shown: Vec::new(),
            steps: 0,
            since_step: 0,
            next_mark: 0,
            info_dirty: true,
            frame: SamplingFrame::default(),
            spiked: Vec::new(),
            machine,
        }
    }

    /// Rebuilds a scene from a session's capture, checking every value.
    pub fn restore_session(state: SamplingSceneState) -> Result<Self, String> {
        let mut scene = Self::build(state.setup.clone())?;
        if scene.machine.is_some() {
            let mut machine = state
                .machine
                .ok_or("a Boltzmann machine scene was saved without its machine")?;
            if machine.setup
                != *scene
                    .setup
                    .learn
                    .as_ref()
                    .expect("a machine scene has a learn setup")
            {
                return Err("the saved machine does not match the scene's setup".into());
            }
            machine.check()?;
            scene.model = machine.model();
            scene.steps = state.steps;
            scene.machine = Some(machine);
            return Ok(scene);
        }
        let n = scene.setup.units;
        let kinds: Vec<SamplerKind> = state.samplers.iter().map(|s| s.kind).collect();
        if kinds != SamplerKind::ALL
            || state.counts.len() != kinds.len()
            || state.spike_counts.len() != kinds.len()
        {
            return Err(format!(
                "saved samplers {kinds:?} are not the scene's {:?}",
                SamplerKind::ALL
            ));
        }
        for (s, c) in state.samplers.iter().zip(&state.counts) {
            if s.z.len() != n || s.clock.len() != n {
                return Err(format!("saved {} sampler does not have {n} units", s.kind.key()));
            }
            c.check(n)
                .map_err(|e| format!("saved {} sampler: {e}", s.kind.key()))?;
            if s.z.iter().any(|&z| z > 1) || s.clock.iter().any(|&t| t > s.tau) {
                return Err(format!(
                    "saved {} sampler has a state outside 0/1 or a clock beyond τ",
                    s.kind.key()
                ));
            }
        }
        if state.since_step > state.steps {
            return Err(format!(
                "counts start at step {} after the saved time {}",
                state.since_step, state.steps
            ));
        }
        scene.model = scene
            .model
            .with_temperature(state.temperature)
            .map_err(|e| e.to_string())?;
        scene.clamp = parse_clamp(&state.clamp, n)?;
        scene.samplers = state.samplers;
        for s in &mut scene.samplers {
            s.check_fields(&scene.model);
        }
        scene.counts = state.counts;
        scene.spike_counts = state.spike_counts;
        scene.steps = state.steps;
        scene.since_step = state.since_step;
        scene.next_mark = state.next_mark;
        scene.refresh_exact();
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> SamplingSceneState {
        SamplingSceneState {
            setup: self.setup.clone(),
            temperature: self.model.temperature(),
            clamp: super::protocol::clamp_text(&self.clamp),
            samplers: self.samplers.clone(),
            counts: self.counts.clone(),
            spike_counts: self.spike_counts.clone(),
            steps: self.steps,
            since_step: self.since_step,
            next_mark: self.next_mark,
            machine: self.machine.clone(),
        }
    }

    fn refresh_exact(&mut self) {
        self.exact = self.model.exact_given(&self.clamp).map(Arc::new);
        self.shown = match self.exact.as_deref() {
            Some(exact) => exact
                .top_states(32)
                .into_iter()
                .filter(|&s| exact.probs[s] > 0.0)
                .collect(),
            None => Vec::new(),
        };
        self.info_dirty = true;
    }

    fn restart_counts(&mut self) {
        for c in &mut self.counts {
            *c = StateCounts::new(self.setup.units);
        }
        self.spike_counts.fill(0);
        self.since_step = self.steps;
        self.next_mark = 0;
        self.info_dirty = true;
    }

    /// The learning machine, in a Boltzmann machine scene.
    pub fn machine(&self) -> Option<&Machine> {
        self.machine.as_ref()
    }

    /// The setup a Reset rebuilds, with the live temperature and evidence.
    pub fn setup(&self) -> SamplingSetup {
        SamplingSetup {
            temperature: self.model.temperature(),
            clamp: super::protocol::clamp_text(&self.clamp),
            ..self.setup.clone()
        }
    }

    /// Simulated time in ms (one step of every sampler per ms).
    pub fn time_ms(&self) -> f64 {
        self.steps as f64
    }

    /// The distribution sampled.
    pub fn model(&self) -> &Boltzmann {
        &self.model
    }

    /// The exact (conditional) distribution, for N ≤ 20.
    pub fn exact(&self) -> Option<&Exact> {
        self.exact.as_deref()
    }

    /// What each sampler visited, in [`SamplerKind::ALL`] order.
    pub fn counts(&self) -> &[StateCounts] {
        &self.counts
    }

    /// The chains, in [`SamplerKind::ALL`] order.
    pub fn samplers(&self) -> &[Sampler] {
        &self.samplers
    }

    /// Spike rate per neuron of a chain since the counts started, in Hz.
    pub fn rate_hz(&self, k: usize) -> f64 {
        let seconds = (self.steps - self.since_step) as f64 / 1000.0;
        if seconds <= 0.0 || !self.samplers[k].kind.spikes() {
            return 0.0;
        }
        self.spike_counts[k] as f64 / (seconds * self.setup.units as f64)
    }

    /// Advances every chain by `steps` ms, counting each sample.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        if let Some(machine) = &mut self.machine {
            let frame = self.frame.machine.get_or_insert_default();
            machine.advance(steps, frame, &mut self.model);
            if frame.learned {
                self.info_dirty = true;
            }
            self.steps += steps;
            return Ok(());
        }
        let neural = SamplerKind::ALL.iter().position(|&k| k == SamplerKind::Neural);
        for _ in 0..steps {
            for (k, (sampler, counts)) in self.samplers.iter_mut().zip(&mut self.counts).enumerate() {
                self.spiked.clear();
                sampler.step(&self.model, &self.clamp, &mut self.spiked);
                counts.add(&sampler.z);
                self.spike_counts[k] += self.spiked.len() as u64;
                if Some(k) == neural && self.frame.spikes.len() + self.spiked.len() <= MAX_FRAME_SPIKES {
                    let t = (self.steps + 1) as f64;
                    self.frame.spikes.extend(self.spiked.iter().map(|&i| (t, i)));
                }
            }
            self.steps += 1;
            let samples = self.steps - self.since_step;
            if samples >= mark(self.next_mark) {
                while samples >= mark(self.next_mark) {
                    self.next_mark += 1;
                }
                if let Some(point) = self.distances(samples) {
                    self.frame.distances.push(point);
                }
            }
        }
        if steps > 0 {
            self.frame.now = Some(self.now());
        }
        Ok(())
    }

    fn distances(&self, samples: u64) -> Option<DistancePoint> {
        let exact = self.exact.as_deref()?;
        Some(DistancePoint {
            samples,
            kl: self
                .counts
                .iter()
                .map(|c| c.kl_to(exact).unwrap_or(f64::NAN))
                .collect(),
            tv: self
                .counts
                .iter()
                .map(|c| c.tv_to(exact).unwrap_or(f64::NAN))
                .collect(),
        })
    }

    /// The states the bar chart shows: the 32 most probable (all of them up to N = 5) of those the
    /// evidence allows.
    pub fn shown_states(&self) -> &[usize] {
        &self.shown
    }

    fn now(&self) -> SamplersNow {
        let shown = &self.shown;
        let live = self.setup.units <= LIVE_DISTANCE_UNITS;
        SamplersNow {
            samples: self.steps - self.since_step,
            states: self.samplers.iter().map(|s| s.z.clone()).collect(),
            marginals: self.counts.iter().map(StateCounts::marginals).collect(),
            frequencies: self
                .counts
                .iter()
                .map(|c| shown.iter().map(|&s| c.frequency(s)).collect())
                .collect(),
            kl: self
                .counts
                .iter()
                .map(|c| match (&self.exact, live) {
                    (Some(exact), true) => c.kl_to(exact).unwrap_or(f64::NAN),
                    _ => f64::NAN,
                })
                .collect(),
            rate_hz: (0..self.samplers.len()).map(|k| self.rate_hz(k)).collect(),
        }
    }

    /// Applies a command; returns a notice for the status bar.
    pub fn apply(&mut self, command: &SamplingCommand) -> Result<Option<String>, String> {
        if let Some(machine) = &mut self.machine {
            self.info_dirty = true;
            return match command {
                SamplingCommand::CompleteFromTop(pattern) => machine.complete_from_top(*pattern).map(Some),
                SamplingCommand::SetClamp(clamp) => {
                    let n = machine.trainer.n();
                    let visible = machine.trainer.visible();
                    // Empty frees every unit; the visible units alone may be given.
                    let mut clamp = if clamp.is_empty() {
                        vec![None; n]
                    } else {
                        clamp.clone()
                    };
                    if clamp.len() == visible {
                        clamp.resize(n, None);
                    }
                    if clamp.len() != n || clamp[visible..].iter().any(Option::is_some) {
                        return Err(format!(
                            "the evidence must give the {visible} visible units (or all {n} units with the hidden ones free)"
                        ));
                    }
                    machine.set_clamp(clamp);
                    Ok(Some("the machine dreams with the new evidence".into()))
                }
                SamplingCommand::ResetCounts => {
                    machine.restart_counts();
                    Ok(None)
                }
                SamplingCommand::RandomStates => {
                    let model = machine.model();
                    let z = model.random_state(&mut machine.dreamer.rng);
                    let rng = machine.dreamer.rng.clone();
                    machine.dreamer = Sampler::new(SamplerKind::Gibbs, z, 1, rng);
                    machine.dreamer.apply_clamp(&machine.clamp);
                    machine.restart_counts();
                    Ok(Some("the dreamer starts from a random state".into()))
                }
                SamplingCommand::SetTemperature(_) => {
                    Err("a Boltzmann machine learns and dreams at T = 1".into())
                }
            };
        }
        match command {
            SamplingCommand::CompleteFromTop(_) => {
                Err("only a Boltzmann machine scene completes training patterns".into())
            }
            SamplingCommand::SetTemperature(t) => {
                self.model = self.model.with_temperature(*t).map_err(|e| e.to_string())?;
                self.refresh_exact();
                self.restart_counts();
                Ok(Some(format!("temperature T = {t}: counting again")))
            }
            SamplingCommand::SetClamp(clamp) => {
                let clamp = if clamp.is_empty() {
                    &vec![None; self.setup.units]
                } else {
                    clamp
                };
                if clamp.len() != self.setup.units {
                    return Err(format!(
                        "the evidence needs {} entries, not {}",
                        self.setup.units,
                        clamp.len()
                    ));
                }
                self.clamp.clone_from(clamp);
                for s in &mut self.samplers {
                    s.apply_clamp(&self.clamp);
                }
                self.refresh_exact();
                self.restart_counts();
                let text = super::protocol::clamp_text(clamp);
                Ok(Some(if text.is_empty() {
                    "no evidence: sampling the prior".into()
                } else {
                    format!("evidence {text}: sampling the posterior")
                }))
            }
            SamplingCommand::ResetCounts => {
                self.restart_counts();
                Ok(None)
            }
            SamplingCommand::RandomStates => {
                for s in &mut self.samplers {
                    let z = self.model.random_state(&mut s.rng);
                    let fresh = Sampler::new(s.kind, z, s.tau, s.rng.clone());
                    *s = fresh;
                    s.apply_clamp(&self.clamp);
                }
                self.restart_counts();
                Ok(Some("every chain from a random state".into()))
            }
        }
    }

    /// The description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<SamplingInfo> {
        if !self.info_dirty {
            return None;
        }
        self.info_dirty = false;
        Some(SamplingInfo {
            setup: self.setup.clone(),
            units: self.model.n(),
            temperature: self.model.temperature(),
            clamp: self.clamp.clone(),
            samplers: SamplerKind::ALL.to_vec(),
            exact_marginals: self.exact.as_deref().map(Exact::marginals),
            shown_states: self.shown.clone(),
            exact: self.exact.clone(),
            weights: self.model.weights().to_vec(),
            biases: self.model.biases().to_vec(),
            since_ms: self.since_step as f64,
            machine: self.machine.as_ref().map(Machine::info),
        })
    }

    /// The data since the last call.
    pub fn take_frame(&mut self) -> SamplingFrame {
        std::mem::take(&mut self.frame)
    }
}

impl crate::families::FamilyScene<super::Sampling> for SamplingScene {
    fn setup(&self) -> SamplingSetup {
        SamplingScene::setup(self)
    }

    fn sim_time(&self) -> f64 {
        self.time_ms()
    }

    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        SamplingScene::advance(self, steps)
    }

    fn apply(&mut self, command: &SamplingCommand) -> Result<Option<String>, String> {
        SamplingScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<SamplingInfo> {
        SamplingScene::take_info(self)
    }

    fn take_frame(&mut self) -> SamplingFrame {
        SamplingScene::take_frame(self)
    }

    fn save(&self) -> SamplingSceneState {
        self.save_session()
    }
}
