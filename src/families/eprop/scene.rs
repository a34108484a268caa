//! The e-prop scene the simulation thread runs: the network stepped 1 ms at a time, its weights
//! changed at the end of every trial, the trial in progress sent for the views.

use super::model::{EpropNetwork, EpropParams, EpropWeights};
use super::protocol::{EpropCommand, EpropFrame, EpropInfo, EpropSetup, TrialView};

/// Most trial results kept between two snapshots.
const MAX_PENDING_TRIALS: usize = 100_000;

/// A network being trained, with its pending frame.
pub struct EpropScene {
    network: EpropNetwork,
    setup: EpropSetup,
    preset_setup: EpropSetup,
    frame: EpropFrame,
    /// The last completed trial, not yet sent (the views keep showing the one they have).
    last_trial: Option<TrialView>,
    info_dirty: bool,
}

/// Everything an [`EpropScene`] needs to continue (a session's scene). A scene saved mid-trial
/// continues from the start of that trial: weights change only between trials.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpropSceneState {
    /// The setup with the current settings.
    pub setup: EpropSetup,
    /// The setup the scene was built with.
    pub preset_setup: EpropSetup,
    /// Weights and the optimiser's state.
    pub weights: EpropWeights,
    /// Trials completed.
    pub trials: u64,
}

impl EpropScene {
    /// Builds the scene of a setup.
    pub fn build(setup: EpropSetup) -> Result<Self, String> {
        let network = EpropNetwork::new(setup.params, setup.task, setup.seed)?;
        Ok(Self {
            network,
            preset_setup: setup.clone(),
            setup,
            frame: EpropFrame::default(),
            last_trial: None,
            info_dirty: true,
        })
    }

    /// Rebuilds a scene from a session's capture.
    pub fn restore_session(saved: EpropSceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup).map_err(|e| format!("saved e-prop scene: {e}"))?;
        scene
            .network
            .set_weights(saved.weights)
            .map_err(|e| format!("saved e-prop scene: {e}"))?;
        scene.network.set_trials(saved.trials);
        scene.preset_setup = saved.preset_setup;
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> EpropSceneState {
        EpropSceneState {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            weights: self.network.weights().clone(),
            trials: self.network.trials(),
        }
    }

    /// The network.
    pub fn network(&self) -> &EpropNetwork {
        &self.network
    }

    /// Advances by `steps` steps of 1 ms.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        for _ in 0..steps {
            if let Some(result) = self.network.step() {
                let view = self.network.trial_view();
                if !(result.loss.is_finite()) {
                    return Err(format!(
                        "the loss diverged at trial {}: lower the learning rate (now {})",
                        result.trial, self.setup.params.learning_rate
                    ));
                }
                if self.frame.trials.len() < MAX_PENDING_TRIALS {
                    self.frame.trials.push(result);
                }
                self.last_trial = Some(view);
            }
        }
        Ok(())
    }

    fn set_params(&mut self, params: EpropParams) -> Result<(), String> {
        self.network.set_learning(params)?;
        self.setup.params = params;
        self.info_dirty = true;
        Ok(())
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &EpropCommand) -> Result<Option<String>, String> {
        match command {
            EpropCommand::SetParams(params) => {
                self.set_params(*params)?;
                Ok(None)
            }
            EpropCommand::SetLearningRate(rate) => {
                let params = EpropParams {
                    learning_rate: *rate,
                    ..self.setup.params
                };
                self.set_params(params)?;
                Ok(Some(format!("learning rate {rate}")))
            }
            EpropCommand::ResetWeights => {
                let trials = self.network.trials();
                self.network = EpropNetwork::new(self.setup.params, self.setup.task, self.setup.seed)?;
                self.network.set_trials(trials);
                self.last_trial = None;
                Ok(Some("initial weights again".into()))
            }
        }
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<EpropInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let task = self.network.task();
        let input_spikes = task
            .input
            .iter()
            .enumerate()
            .flat_map(|(t, channels)| channels.iter().map(move |&c| (t as u32, c)))
            .collect();
        Some(EpropInfo {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            target: task.target.clone(),
            input_spikes,
        })
    }

    /// The data produced since the last call: the trials completed and the last completed trial
    /// (the first trial while it runs), so the views show whole trials at any speed.
    pub fn take_frame(&mut self) -> EpropFrame {
        let mut frame = std::mem::take(&mut self.frame);
        // A completed trial is sent once; the first trial while it runs, every frame.
        frame.current = match self.last_trial.take() {
            Some(view) => Some(view),
            None if self.network.trials() == 0 => Some(self.network.trial_view()),
            None => None,
        };
        frame
    }
}

impl crate::families::FamilyScene<super::Eprop> for EpropScene {
    fn setup(&self) -> EpropSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.network.trials() as f64 * self.setup.params.trial_ms as f64 + self.network.step_in_trial() as f64
    }

    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        EpropScene::advance(self, steps)
    }

    fn apply(&mut self, command: &EpropCommand) -> Result<Option<String>, String> {
        EpropScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<EpropInfo> {
        EpropScene::take_info(self)
    }

    fn take_frame(&mut self) -> EpropFrame {
        EpropScene::take_frame(self)
    }

    fn save(&self) -> EpropSceneState {
        self.save_session()
    }
}
