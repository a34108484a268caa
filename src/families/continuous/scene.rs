//! The continuous-memory scene the simulation thread runs: one synchronous update of every neuron
//! per step, from a cue, with the state's similarity to every pattern, the energy and the step size
//! recorded.

use std::sync::Arc;

use rand_distr::{Distribution, StandardNormal};

use super::model::{ContinuousPatterns, KernelMemory, MemoryParams, cosine, distance, dot};
use super::protocol::{ContinuousCommand, ContinuousFrame, ContinuousInfo, ContinuousSetup, CueParams};
use crate::rng::SimRng;

/// Most records kept between two snapshots; later ones are dropped beyond it.
const MAX_PENDING_RECORDS: usize = 100_000;

/// A running continuous memory with its state and pending frame.
pub struct ContinuousScene {
    patterns: ContinuousPatterns,
    memory: KernelMemory,
    state: Vec<f64>,
    weights: Vec<f64>,
    updates: u64,
    rng: SimRng,
    setup: ContinuousSetup,
    preset_setup: ContinuousSetup,
    frame: ContinuousFrame,
    info_dirty: bool,
}

/// Everything a [`ContinuousScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContinuousSceneState {
    /// The setup with the current settings.
    pub setup: ContinuousSetup,
    /// The setup the scene was built with.
    pub preset_setup: ContinuousSetup,
    /// The state.
    pub state: Vec<f64>,
    /// Updates so far.
    pub updates: u64,
    /// The cues' noise generator.
    pub rng: SimRng,
}

impl ContinuousScene {
    /// Builds the scene of a setup, its state at the setup's cue.
    pub fn build(setup: ContinuousSetup) -> Result<Self, String> {
        let patterns = ContinuousPatterns::new(&setup.patterns, setup.seed).map_err(|e| e.to_string())?;
        let memory = KernelMemory::new(patterns.patterns.clone(), setup.memory).map_err(|e| e.to_string())?;
        let mut scene = Self {
            state: vec![0.0; patterns.n()],
            weights: Vec::new(),
            patterns,
            memory,
            updates: 0,
            rng: crate::rng::substream(setup.seed, 5),
            preset_setup: setup.clone(),
            setup,
            frame: ContinuousFrame::default(),
            info_dirty: true,
        };
        scene.cue(scene.setup.cue)?;
        Ok(scene)
    }

    /// Rebuilds a scene from a session's capture.
    pub fn restore_session(saved: ContinuousSceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup).map_err(|e| format!("saved continuous memory: {e}"))?;
        if saved.state.len() != scene.patterns.n() || saved.state.iter().any(|x| !x.is_finite()) {
            return Err(format!(
                "saved continuous memory: the state must hold {} numbers",
                scene.patterns.n()
            ));
        }
        scene.state = saved.state;
        scene.updates = saved.updates;
        scene.rng = saved.rng;
        scene.preset_setup = saved.preset_setup;
        scene.frame = ContinuousFrame::default();
        scene.weights = scene.memory.weights(&scene.state);
        scene.record(0.0);
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> ContinuousSceneState {
        ContinuousSceneState {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            state: self.state.clone(),
            updates: self.updates,
            rng: self.rng.clone(),
        }
    }

    /// The state.
    pub fn state(&self) -> &[f64] {
        &self.state
    }

    /// The memory.
    pub fn memory(&self) -> &KernelMemory {
        &self.memory
    }

    fn cue(&mut self, cue: CueParams) -> Result<(), String> {
        let count = self.patterns.patterns.len();
        if cue.pattern >= count {
            return Err(format!(
                "pattern {} does not exist: there are {count}",
                cue.pattern + 1
            ));
        }
        if !(cue.noise.is_finite() && (0.0..=10.0).contains(&cue.noise)) {
            return Err(format!("cue noise must be between 0 and 10, not {}", cue.noise));
        }
        let xi = &self.patterns.patterns[cue.pattern];
        let rms = (dot(xi, xi) / xi.len() as f64).sqrt();
        let (width, height) = (self.patterns.width, self.patterns.height);
        self.state = xi
            .iter()
            .enumerate()
            .map(|(k, &v)| {
                let z: f64 = StandardNormal.sample(&mut self.rng);
                let lower = if height > 1 {
                    k / width >= height / 2
                } else {
                    k >= xi.len() / 2
                };
                if cue.mask_half && lower {
                    0.0
                } else {
                    v + cue.noise * rms * z
                }
            })
            .collect();
        self.setup.cue = cue;
        self.weights = self.memory.weights(&self.state);
        self.record(0.0);
        Ok(())
    }

    /// Performs `steps` synchronous updates.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        for _ in 0..steps {
            let (next, weights) = self.memory.update(&self.state);
            if next.iter().any(|x| !x.is_finite()) {
                return Err(
                    "the state diverged (a value is not a number): lower β or change the kernel".into(),
                );
            }
            let moved = distance(&next, &self.state);
            self.state = next;
            self.weights = weights;
            self.updates += 1;
            self.record(moved);
        }
        Ok(())
    }

    fn record(&mut self, moved: f64) {
        if self.frame.updates.len() >= MAX_PENDING_RECORDS {
            return;
        }
        self.frame.updates.push(self.updates as f64);
        self.frame.cosines.push(
            self.patterns
                .patterns
                .iter()
                .map(|p| cosine(&self.state, p) as f32)
                .collect(),
        );
        self.frame
            .energies
            .push(self.memory.energy(&self.state).unwrap_or(f64::NAN));
        self.frame.moved.push(moved);
    }

    fn rebuild_memory(&mut self, params: MemoryParams) -> Result<(), String> {
        self.memory = KernelMemory::new(self.patterns.patterns.clone(), params).map_err(|e| e.to_string())?;
        self.setup.memory = params;
        self.weights = self.memory.weights(&self.state);
        self.info_dirty = true;
        Ok(())
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &ContinuousCommand) -> Result<Option<String>, String> {
        match command {
            ContinuousCommand::SetMemory(params) => {
                self.rebuild_memory(*params)?;
                Ok(None)
            }
            ContinuousCommand::SetBeta(beta) => {
                let params = MemoryParams {
                    beta: *beta,
                    ..self.setup.memory
                };
                self.rebuild_memory(params)?;
                Ok(None)
            }
            ContinuousCommand::SetKernel(kernel) => {
                let params = MemoryParams {
                    kernel: *kernel,
                    ..self.setup.memory
                };
                self.rebuild_memory(params)?;
                Ok(Some(kernel.label().to_string()))
            }
            ContinuousCommand::SetPatterns(spec) => {
                let patterns = ContinuousPatterns::new(spec, self.setup.seed).map_err(|e| e.to_string())?;
                let memory = KernelMemory::new(patterns.patterns.clone(), self.setup.memory)
                    .map_err(|e| e.to_string())?;
                self.patterns = patterns;
                self.memory = memory;
                self.setup.patterns = spec.clone();
                self.info_dirty = true;
                let cue = CueParams {
                    pattern: self.setup.cue.pattern.min(self.patterns.patterns.len() - 1),
                    ..self.setup.cue
                };
                self.frame = ContinuousFrame::default();
                self.cue(cue)?;
                Ok(Some(format!(
                    "{} patterns of {} values",
                    self.patterns.patterns.len(),
                    self.patterns.n()
                )))
            }
            ContinuousCommand::Cue(cue) => {
                self.cue(*cue)?;
                Ok(Some(format!(
                    "cued pattern {}",
                    self.patterns.labels[cue.pattern]
                )))
            }
        }
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<ContinuousInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let p = &self.patterns.patterns;
        let mut min_separation = f64::INFINITY;
        for (i, a) in p.iter().enumerate() {
            for (j, b) in p.iter().enumerate() {
                if i != j {
                    min_separation = min_separation.min(dot(a, a) - dot(a, b));
                }
            }
        }
        let (width, height) = if self.patterns.height == 1 {
            let side = (self.patterns.n() as f64).sqrt().ceil() as usize;
            (side, self.patterns.n().div_ceil(side))
        } else {
            (self.patterns.width, self.patterns.height)
        };
        Some(ContinuousInfo {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            width,
            height,
            labels: self.patterns.labels.clone(),
            value_max: p.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs())),
            patterns: Arc::new(p.clone()),
            min_separation,
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> ContinuousFrame {
        let mut frame = std::mem::take(&mut self.frame);
        frame.state = self.state.clone();
        frame.weights = self.weights.clone();
        frame
    }
}

impl crate::families::FamilyScene<super::Continuous> for ContinuousScene {
    fn setup(&self) -> ContinuousSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.updates as f64
    }

    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        ContinuousScene::advance(self, steps)
    }

    fn apply(&mut self, command: &ContinuousCommand) -> Result<Option<String>, String> {
        ContinuousScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<ContinuousInfo> {
        ContinuousScene::take_info(self)
    }

    fn take_frame(&mut self) -> ContinuousFrame {
        ContinuousScene::take_frame(self)
    }

    fn save(&self) -> ContinuousSceneState {
        self.save_session()
    }
}
