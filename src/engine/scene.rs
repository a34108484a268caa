//! A scene: the model the engine runs, with the probes that read it. Used by the simulation
//! thread and by headless scenario runs alike, so both give the same run for the same seed.

use super::hopfield_scene::{HopfieldScene, HopfieldSceneState};
use super::protocol::{Command, SceneFrame, SceneInfo, SceneSetup};
use super::spiking_scene::{SpikingScene, SpikingSceneState};

/// The model the engine runs.
pub enum Scene {
    /// A Hopfield network.
    Hopfield(Box<HopfieldScene>),
    /// A spiking network.
    Spiking(Box<SpikingScene>),
}

/// A scene captured for a session file: enough to continue the run exactly.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SceneState {
    /// A Hopfield scene.
    Hopfield(Box<HopfieldSceneState>),
    /// A spiking scene.
    Spiking(Box<SpikingSceneState>),
}

impl Scene {
    /// Builds the scene a setup describes.
    pub fn build(setup: &SceneSetup) -> Result<Self, String> {
        Ok(match setup {
            SceneSetup::Hopfield(h) => Scene::Hopfield(Box::new(HopfieldScene::build(h.clone())?)),
            SceneSetup::Spiking(s) => Scene::Spiking(Box::new(SpikingScene::build(s.clone())?)),
        })
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> SceneState {
        match self {
            Scene::Hopfield(h) => SceneState::Hopfield(Box::new(h.save_session())),
            Scene::Spiking(s) => SceneState::Spiking(Box::new(s.save_session())),
        }
    }

    /// Rebuilds a scene from a session's capture, checking every value; it continues the saved run exactly.
    pub fn restore_session(state: SceneState) -> Result<Self, String> {
        Ok(match state {
            SceneState::Hopfield(h) => Scene::Hopfield(Box::new(HopfieldScene::restore_session(*h)?)),
            SceneState::Spiking(s) => Scene::Spiking(Box::new(SpikingScene::restore_session(*s)?)),
        })
    }

    /// The setup a Reset rebuilds: the one the scene was built from, with its current live settings.
    pub fn setup(&self) -> SceneSetup {
        match self {
            Scene::Hopfield(h) => SceneSetup::Hopfield(h.setup().clone()),
            Scene::Spiking(s) => SceneSetup::Spiking(s.setup().clone()),
        }
    }

    /// Simulated time in the scene's unit.
    pub fn sim_time(&self) -> f64 {
        match self {
            Scene::Hopfield(h) => h.time_sweeps(),
            Scene::Spiking(s) => s.time_ms(),
        }
    }

    /// Unit of simulated time ("sweeps" or "ms").
    pub fn time_unit(&self) -> &'static str {
        match self {
            Scene::Hopfield(_) => "sweeps",
            Scene::Spiking(_) => "ms",
        }
    }

    /// Steps (single-neuron updates or dt steps) per unit of simulated time.
    pub fn steps_per_unit(&self) -> f64 {
        match self {
            Scene::Hopfield(h) => h.n() as f64,
            Scene::Spiking(s) => 1.0 / s.dt_ms(),
        }
    }

    /// Steps that make one press of "Step": one sweep, or 1 ms.
    pub fn single_step(&self) -> u64 {
        self.steps_per_unit().round().max(1.0) as u64
    }

    /// Advances by `steps` steps.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        match self {
            Scene::Hopfield(h) => {
                // Sixteen samples per sweep, fewer when running very fast.
                let sample_every = (h.n() / 16).max((steps / 64) as usize).max(1);
                h.advance(steps, sample_every);
                Ok(())
            }
            Scene::Spiking(s) => s.advance(steps),
        }
    }

    /// Applies a scene command.
    pub fn apply(&mut self, command: &Command) -> Result<Option<String>, String> {
        match self {
            Scene::Hopfield(h) => h.apply(command),
            Scene::Spiking(s) => s.apply(command),
        }
    }

    /// The scene description, if it changed.
    pub fn take_info(&mut self) -> Option<SceneInfo> {
        match self {
            Scene::Hopfield(h) => h.take_info().map(SceneInfo::Hopfield),
            Scene::Spiking(s) => s.take_info().map(|info| SceneInfo::Spiking(Box::new(info))),
        }
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> SceneFrame {
        match self {
            Scene::Hopfield(h) => SceneFrame::Hopfield(h.take_frame()),
            Scene::Spiking(s) => SceneFrame::Spiking(s.take_frame()),
        }
    }

    /// Spikes dropped because nobody read them.
    pub fn thinned_spikes(&self) -> u64 {
        match self {
            Scene::Hopfield(_) => 0,
            Scene::Spiking(s) => s.thinned_spikes(),
        }
    }
}
