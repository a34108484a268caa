//! The Hebbian scene the simulation thread runs: samples drawn one per step, the learners updated,
//! angles and lengths recorded.

use super::model::{Gaussian, LearnParams, Learner, angle_deg, norm, oja_time_constant};
use super::protocol::{HebbCommand, HebbFrame, HebbInfo, HebbSetup};
use crate::rng::SimRng;

/// Most records kept between two snapshots; later ones are dropped beyond it.
const MAX_PENDING_RECORDS: usize = 200_000;
/// Data points kept for the scatter plot.
pub const SCATTER_POINTS: usize = 400;

/// A running Hebbian learner with its data and pending frame.
pub struct HebbScene {
    data: Gaussian,
    learner: Learner,
    rng: SimRng,
    setup: HebbSetup,
    preset_setup: HebbSetup,
    x: Vec<f64>,
    /// The latest samples for the scatter plot (two dimensions), oldest first.
    points: std::collections::VecDeque<[f32; 2]>,
    frame: HebbFrame,
    info_dirty: bool,
}

/// Everything a [`HebbScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HebbSceneState {
    /// The setup with the current settings.
    pub setup: HebbSetup,
    /// The setup the scene was built with.
    pub preset_setup: HebbSetup,
    /// The weights.
    pub learner: Learner,
    /// The sample generator.
    pub rng: SimRng,
}

impl HebbScene {
    /// Builds the scene of a setup.
    pub fn build(setup: HebbSetup) -> Result<Self, String> {
        let data = Gaussian::new(&setup.data, setup.seed).map_err(|e| e.to_string())?;
        setup.learn.validate(data.dim()).map_err(|e| e.to_string())?;
        let mut rng = crate::rng::seeded(setup.seed);
        let learner = Learner::new(data.dim(), &setup.learn, &mut rng);
        let mut scene = Self {
            x: vec![0.0; data.dim()],
            points: std::collections::VecDeque::with_capacity(SCATTER_POINTS),
            data,
            learner,
            rng,
            preset_setup: setup.clone(),
            setup,
            frame: HebbFrame::default(),
            info_dirty: true,
        };
        scene.record();
        Ok(scene)
    }

    /// Rebuilds a scene from a session's capture, checking it against the setup.
    pub fn restore_session(saved: HebbSceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup).map_err(|e| format!("saved Hebbian scene: {e}"))?;
        let dim = scene.data.dim();
        let learner = saved.learner;
        let shapes_match = learner.weights.len() == scene.setup.learn.components
            && learner.weights.iter().all(|w| w.len() == dim)
            && learner.hebb_direction.len() == dim;
        if !shapes_match {
            return Err(format!(
                "saved Hebbian scene: the weights do not fit {} component(s) of {dim} dimensions",
                scene.setup.learn.components
            ));
        }
        if !learner.is_finite() {
            return Err("saved Hebbian scene: a weight is not a number".into());
        }
        scene.learner = learner;
        scene.rng = saved.rng;
        scene.preset_setup = saved.preset_setup;
        scene.frame = HebbFrame::default();
        scene.record();
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> HebbSceneState {
        HebbSceneState {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            learner: self.learner.clone(),
            rng: self.rng.clone(),
        }
    }

    /// The learners.
    pub fn learner(&self) -> &Learner {
        &self.learner
    }

    /// The data's distribution.
    pub fn data(&self) -> &Gaussian {
        &self.data
    }

    /// Learns from `steps` samples, one per step.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        for _ in 0..steps {
            self.data.sample(&mut self.rng, &mut self.x);
            self.learner.learn(&self.x, self.setup.learn.eta);
            if !self.learner.is_finite() {
                return Err(format!(
                    "the weights diverged after {} samples: lower η (now {})",
                    self.learner.steps, self.setup.learn.eta
                ));
            }
            if self.data.dim() == 2 {
                if self.points.len() >= SCATTER_POINTS {
                    self.points.pop_front();
                }
                self.points.push_back([self.x[0] as f32, self.x[1] as f32]);
            }
            self.record();
        }
        Ok(())
    }

    fn record(&mut self) {
        if self.frame.samples.len() >= MAX_PENDING_RECORDS {
            return;
        }
        let l = &self.learner;
        self.frame.samples.push(l.steps as f64);
        self.frame.angles_deg.push(
            l.weights
                .iter()
                .zip(&self.data.eigenvectors)
                .map(|(w, e)| angle_deg(w, e) as f32)
                .collect(),
        );
        self.frame
            .norms
            .push(l.weights.iter().map(|w| norm(w) as f32).collect());
        self.frame
            .hebb_angle_deg
            .push(angle_deg(&l.hebb_direction, &self.data.eigenvectors[0]) as f32);
        self.frame.hebb_log10_norm.push(l.hebb_log10_norm() as f32);
    }

    fn new_weights(&mut self) {
        self.learner = Learner::new(self.data.dim(), &self.setup.learn, &mut self.rng);
        self.record();
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &HebbCommand) -> Result<Option<String>, String> {
        match command {
            HebbCommand::SetData(params) => {
                let data = Gaussian::new(params, self.setup.seed).map_err(|e| e.to_string())?;
                self.setup.learn.validate(data.dim()).map_err(|e| e.to_string())?;
                let same_dim = data.dim() == self.data.dim();
                self.data = data;
                self.setup.data = *params;
                self.x = vec![0.0; self.data.dim()];
                self.points.clear();
                self.info_dirty = true;
                if !same_dim {
                    self.new_weights();
                    return Ok(Some(format!("{} dimensions: new random weights", params.dim)));
                }
                Ok(None)
            }
            HebbCommand::SetLearn(params) => {
                params.validate(self.data.dim()).map_err(|e| e.to_string())?;
                let new_components = params.components != self.setup.learn.components;
                self.setup.learn = *params;
                self.info_dirty = true;
                if new_components {
                    self.new_weights();
                    return Ok(Some(format!("{}: new random weights", params.rule_name())));
                }
                Ok(None)
            }
            HebbCommand::SetAngle(angle) => {
                let data = super::model::DataParams {
                    angle_deg: *angle,
                    ..self.setup.data
                };
                self.apply(&HebbCommand::SetData(data))
            }
            HebbCommand::SetEta(eta) => {
                let learn = LearnParams {
                    eta: *eta,
                    ..self.setup.learn
                };
                self.apply(&HebbCommand::SetLearn(learn))
            }
            HebbCommand::RandomizeWeights => {
                self.new_weights();
                Ok(Some("new random weights".into()))
            }
        }
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<HebbInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let LearnParams { eta, .. } = self.setup.learn;
        let l = &self.data.eigenvalues;
        Some(HebbInfo {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            eigenvalues: l.clone(),
            eigenvectors: self.data.eigenvectors.clone(),
            ellipse: self.data.ellipse(2.0),
            time_constant: oja_time_constant(eta, l[0], l[1]),
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> HebbFrame {
        let mut frame = std::mem::take(&mut self.frame);
        frame.weights = self.learner.weights.clone();
        frame.hebb_direction = self.learner.hebb_direction.clone();
        frame.points = self.points.iter().copied().collect();
        frame
    }
}

impl crate::families::FamilyScene<super::Hebbian> for HebbScene {
    fn setup(&self) -> HebbSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.learner.steps as f64
    }

    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        HebbScene::advance(self, steps)
    }

    fn apply(&mut self, command: &HebbCommand) -> Result<Option<String>, String> {
        HebbScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<HebbInfo> {
        HebbScene::take_info(self)
    }

    fn take_frame(&mut self) -> HebbFrame {
        HebbScene::take_frame(self)
    }

    fn save(&self) -> HebbSceneState {
        self.save_session()
    }
}
