//! The neuron-lab scene the simulation thread runs: one neuron under its protocol, sampled for the
//! traces, with the phase plane and the f-I curves of the four models in its description.

use super::model::analysis::rheobase_search;
use super::model::stimulus::StimulusPlayer;
use super::model::{
    Cell, CellKind, CellParams, CellState, PhasePlane, Stimulus, fi_curve, hh, phase_plane, rheobase,
};
use super::protocol::{CellCommand, CellFrame, CellInfo, CellSetup, FiCurve};
use crate::rng::SimRng;

/// The squid axon's rheobase for repetitive firing from rest, in µA/cm² (measured: see the tests).
const HH_RHEOBASE_UA_CM2: f64 = 6.26;
/// Time between two samples of the traces, in ms.
pub const SAMPLE_MS: f64 = 0.05;
/// Most samples kept between two snapshots (about 10 s of simulated time); later ones are dropped.
const MAX_PENDING_SAMPLES: usize = 200_000;
/// Multiples of the rheobase at which the f-I curves are measured.
pub const FI_RELATIVE: [f64; 17] = [
    0.5, 0.8, 0.9, 0.95, 0.99, 1.01, 1.05, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0,
];
/// The step (ms) and run length (ms) of every f-I point: the rate is counted over the second half.
pub const FI_DT_MS: f64 = 0.025;
/// Length of each f-I run, in ms.
pub const FI_DURATION_MS: f64 = 1000.0;

/// A running neuron with its protocol and pending frame.
pub struct CellScene {
    cell: Cell,
    setup: CellSetup,
    preset_setup: CellSetup,
    player: StimulusPlayer,
    rng: SimRng,
    frame: CellFrame,
    info_dirty: bool,
    fi_curves: Option<(CellParams, Vec<FiCurve>)>,
    sample_steps: u64,
}

/// Everything a [`CellScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CellSceneState {
    /// The setup with the current settings.
    pub setup: CellSetup,
    /// The setup the scene was built with.
    pub preset_setup: CellSetup,
    /// The neuron's state.
    pub state: CellState,
    /// Steps taken.
    pub steps: u64,
    /// The noise current now.
    pub noise: f64,
    /// The noise generator.
    pub rng: SimRng,
}

impl CellScene {
    /// Builds the scene of a setup.
    pub fn build(setup: CellSetup) -> Result<Self, String> {
        setup.stimulus.validate().map_err(|e| e.to_string())?;
        let cell = Cell::new(setup.params, setup.dt_ms).map_err(|e| e.to_string())?;
        Ok(Self {
            sample_steps: (SAMPLE_MS / setup.dt_ms).round().max(1.0) as u64,
            rng: crate::rng::seeded(setup.seed),
            cell,
            preset_setup: setup.clone(),
            setup,
            player: StimulusPlayer::new(),
            frame: CellFrame::default(),
            info_dirty: true,
            fi_curves: None,
        })
    }

    /// Rebuilds a scene from a session's capture, checking every value.
    pub fn restore_session(saved: CellSceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup).map_err(|e| format!("saved neuron lab: {e}"))?;
        scene.cell = Cell::restore(scene.setup.params, scene.setup.dt_ms, saved.state, saved.steps)
            .map_err(|e| format!("saved neuron lab: {e}"))?;
        if !saved.noise.is_finite() {
            return Err("saved neuron lab: the noise current is not a number".into());
        }
        scene.player.noise = saved.noise;
        scene.rng = saved.rng;
        scene.preset_setup = saved.preset_setup;
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> CellSceneState {
        CellSceneState {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            state: *self.cell.state(),
            steps: self.cell.steps(),
            noise: self.player.noise,
            rng: self.rng.clone(),
        }
    }

    /// The neuron.
    pub fn cell(&self) -> &Cell {
        &self.cell
    }

    /// Advances by `steps` steps, sampling every [`SAMPLE_MS`].
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        let spike_at = self.cell.params().integrate_and_fire().map(|p| p.spike_at_mv());
        for _ in 0..steps {
            let t = self.cell.time_ms();
            let current = self
                .player
                .current(&self.setup.stimulus, t, self.setup.dt_ms, &mut self.rng);
            let spike = self.cell.step(current);
            if !self.cell.is_finite() {
                self.cell.rest();
                return Err(format!(
                    "the neuron diverged at t = {t:.2} ms; it was put back at rest"
                ));
            }
            let room = self.frame.times_ms.len() < MAX_PENDING_SAMPLES;
            if let Some(time) = spike {
                self.frame.spikes_ms.push(time);
                if let (Some(peak), true) = (spike_at, room) {
                    self.push_sample(time, peak, current);
                }
            }
            if room && self.cell.steps().is_multiple_of(self.sample_steps) {
                self.push_sample(self.cell.time_ms(), self.cell.v_mv(), current);
            }
        }
        Ok(())
    }

    fn push_sample(&mut self, time_ms: f64, v_mv: f64, current: f64) {
        self.frame.times_ms.push(time_ms);
        self.frame.v_mv.push(v_mv as f32);
        self.frame.slow.push(self.cell.slow() as f32);
        self.frame.current.push(current as f32);
        if let Some([m, h, n]) = self.cell.gates() {
            self.frame.gates.push([m as f32, h as f32, n as f32]);
        }
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &CellCommand) -> Result<Option<String>, String> {
        match command {
            CellCommand::SetParams(params) => {
                let kind_changed = params.kind != self.setup.params.kind;
                self.cell.set_params(**params).map_err(|e| e.to_string())?;
                self.setup.params = **params;
                self.info_dirty = true;
                Ok(kind_changed.then(|| format!("{} neuron, at rest", params.kind.label())))
            }
            CellCommand::SetStimulus(stimulus) => {
                stimulus.validate().map_err(|e| e.to_string())?;
                self.setup.stimulus = stimulus.clone();
                self.info_dirty = true;
                Ok(None)
            }
            CellCommand::SetAmplitude(amplitude) => {
                let stimulus = Stimulus {
                    amplitude: *amplitude,
                    ..self.setup.stimulus.clone()
                };
                self.apply(&CellCommand::SetStimulus(stimulus))
            }
            CellCommand::SetKind(kind) => {
                let params = self.setup.params.with_kind(*kind);
                let before = self.setup.params.kind;
                if before.current_unit() != kind.current_unit() {
                    // Another unit: keep the input at the same multiple of the rheobase.
                    let scale =
                        self.approximate_rheobase(params) / self.approximate_rheobase(self.setup.params);
                    let s = self.setup.stimulus.clone();
                    let stimulus = Stimulus {
                        amplitude: (s.amplitude * scale).round(),
                        baseline: (s.baseline * scale).round(),
                        noise_sd: (s.noise_sd * scale).round(),
                        drawn: s
                            .drawn
                            .iter()
                            .map(|x| (x * scale * 100.0).round() / 100.0)
                            .collect(),
                        ..s
                    };
                    self.apply(&CellCommand::SetStimulus(stimulus))?;
                }
                self.apply(&CellCommand::SetParams(Box::new(params)))
            }
            CellCommand::Preset(preset) => {
                let (adex, current) = preset.params();
                let params = CellParams {
                    kind: CellKind::Adex,
                    adex,
                    ..self.setup.params
                };
                let stimulus = Stimulus {
                    amplitude: current,
                    baseline: 0.0,
                    shape: super::model::InputShape::Step,
                    noise_sd: 0.0,
                    ..self.setup.stimulus.clone()
                };
                stimulus.validate().map_err(|e| e.to_string())?;
                self.cell.set_params(params).map_err(|e| e.to_string())?;
                self.cell.rest();
                self.setup.params = params;
                self.setup.stimulus = stimulus;
                self.info_dirty = true;
                Ok(Some(format!(
                    "AdEx \"{}\" (Naud et al. 2008): a {current} pA step",
                    preset.label()
                )))
            }
            CellCommand::Rest => {
                self.cell.rest();
                self.player.noise = 0.0;
                Ok(Some("the neuron is back at rest".into()))
            }
        }
    }

    /// The rheobase of a model: measured with the f-I curves when they are of these parameters, else
    /// the saddle-node value (integrate-and-fire) or the squid axon's 6.26 µA/cm².
    fn approximate_rheobase(&self, params: CellParams) -> f64 {
        let measured = self.fi_curves.as_ref().and_then(|(cached, curves)| {
            (cached.with_kind(params.kind) == params)
                .then(|| curves.iter().find(|c| c.kind == params.kind).map(|c| c.rheobase))
                .flatten()
        });
        measured.unwrap_or_else(|| {
            params
                .integrate_and_fire()
                .map_or(HH_RHEOBASE_UA_CM2, |p| p.saddle_node_rheobase_pa())
        })
    }

    /// The f-I curves of the four models with the current parameters (measured once per parameter set).
    fn fi_curves(&mut self) -> Vec<FiCurve> {
        let params = self.setup.params;
        if let Some((cached, curves)) = &self.fi_curves
            && *cached == params
        {
            return curves.clone();
        }
        let curves: Vec<FiCurve> = CellKind::ALL
            .iter()
            .filter_map(|&kind| {
                let model = params.with_kind(kind);
                let (range, tolerance) = rheobase_search(kind);
                let rheo = rheobase(model, FI_DT_MS, FI_DURATION_MS, range, tolerance).ok()?;
                let points = fi_curve(model, rheo, &FI_RELATIVE, FI_DT_MS, FI_DURATION_MS).ok()?;
                Some(FiCurve {
                    kind,
                    rheobase: rheo,
                    points,
                })
            })
            .collect();
        self.fi_curves = Some((params, curves.clone()));
        curves
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<CellInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let s = &self.setup.stimulus;
        let phase_current = s.baseline + s.amplitude;
        let phase: PhasePlane = phase_plane(&self.setup.params, phase_current);
        let hh_growth_per_ms = (self.setup.params.kind == CellKind::HodgkinHuxley)
            .then(|| hh::rest_growth_rate_per_ms(&self.setup.params.hh, phase_current))
            .flatten();
        Some(CellInfo {
            fi_curves: self.fi_curves(),
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            phase,
            phase_current,
            hh_growth_per_ms,
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> CellFrame {
        std::mem::take(&mut self.frame)
    }
}

impl crate::families::FamilyScene<super::NeuronLab> for CellScene {
    fn setup(&self) -> CellSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.cell.time_ms()
    }

    fn steps_per_unit(&self) -> f64 {
        1.0 / self.setup.dt_ms
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        CellScene::advance(self, steps)
    }

    fn apply(&mut self, command: &CellCommand) -> Result<Option<String>, String> {
        CellScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<CellInfo> {
        CellScene::take_info(self)
    }

    fn take_frame(&mut self) -> CellFrame {
        CellScene::take_frame(self)
    }

    fn save(&self) -> CellSceneState {
        self.save_session()
    }
}
