//! The Hopfield scene the simulation thread runs: a `HopfieldSim` plus what the views need.

use std::sync::Arc;

use super::model::{HopfieldSim, HopfieldState, PatternSet, UpdateMode};
use super::protocol::{
    Cue, HopfieldCommand as Command, HopfieldFrame, HopfieldInfo, HopfieldSample, HopfieldSetup,
    HopfieldUpdate, Landscape, PatternSource,
};
use crate::rng::{SimRng, substream};

/// Cells per side of the energy landscape map.
const LANDSCAPE_SIDE: usize = 41;

/// Most arithmetic a landscape may cost (states × operations per energy): a few tenths of a second.
/// Energies through the overlaps (O(NP)) always afford the full 41×41; a kept N×N matrix (O(N²) per
/// state) at N = 4,096 affords 3×3 fewer points per side, and the side shrinks to fit.
const LANDSCAPE_BUDGET: f64 = 3e8;

/// The side of a landscape whose energies cost `per_state` operations each (odd, 9 to 41).
fn landscape_side(per_state: usize) -> usize {
    let side = (LANDSCAPE_BUDGET / per_state.max(1) as f64).sqrt() as usize;
    let side = side.clamp(9, LANDSCAPE_SIDE);
    if side.is_multiple_of(2) { side - 1 } else { side }
}
/// Most samples kept between two snapshots; older ones are thinned by half when exceeded.
const MAX_PENDING_SAMPLES: usize = 8192;

/// A running Hopfield network with its pending frame.
pub struct HopfieldScene {
    sim: HopfieldSim,
    setup: HopfieldSetup,
    cue_rng: SimRng,
    landscape_axes: (usize, usize),
    landscape: Option<Arc<Landscape>>,
    /// The weights as drawn, made again only when the weights change (not at every info).
    weights_view: Option<Arc<super::protocol::SampledWeights>>,
    info_dirty: bool,
    samples: Vec<HopfieldSample>,
    updates_since_sample: usize,
    /// The pattern and corruption of the last cue of a stored pattern (what the user chose).
    last_cue: (usize, f64),
}

impl HopfieldScene {
    /// Builds the scene and applies its first cue.
    pub fn build(setup: HopfieldSetup) -> Result<Self, String> {
        let patterns = pattern_set(&sized_source(&setup.patterns, setup.grid), setup.seed)?;
        let patterns = on_grid(patterns, setup.grid)?;
        let mut sim = HopfieldSim::new(patterns, setup.rule, setup.seed).map_err(|e| e.to_string())?;
        sim.set_update(update_mode(setup.update));
        sim.set_temperature(setup.temperature);
        let mut scene = Self {
            sim,
            cue_rng: substream(setup.seed, 101),
            landscape_axes: (0, 1),
            landscape: None,
            weights_view: None,
            info_dirty: true,
            samples: Vec::new(),
            updates_since_sample: 0,
            last_cue: (setup.cue_pattern, setup.cue_flip),
            setup,
        };
        let first = Cue::Corrupted {
            pattern: scene.setup.cue_pattern,
            flip: scene.setup.cue_flip,
        };
        scene.apply_cue(&first)?;
        scene.refresh_landscape();
        scene.refresh_weights_view();
        Ok(scene)
    }

    /// Number of neurons.
    pub fn n(&self) -> usize {
        self.sim.n()
    }

    /// Simulated time in sweeps.
    pub fn time_sweeps(&self) -> f64 {
        self.sim.updates_done() as f64 / self.sim.n().max(1) as f64
    }

    /// Advances by `updates` single-neuron updates, sampling every `sample_every` updates.
    pub fn advance(&mut self, updates: u64, sample_every: usize) {
        let sample_every = sample_every.max(1);
        let mut left = updates as usize;
        while left > 0 {
            let chunk = left.min(sample_every - self.updates_since_sample.min(sample_every - 1));
            self.sim.update_neurons(chunk);
            left -= chunk;
            self.updates_since_sample += chunk;
            if self.updates_since_sample >= sample_every {
                self.updates_since_sample = 0;
                self.push_sample();
            }
        }
    }

    /// Applies a Hopfield command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &Command) -> Result<Option<String>, String> {
        match command {
            Command::Paint { index, value } if *index < self.sim.n() => {
                self.sim.set_neuron(*index, *value);
                self.push_sample();
            }
            Command::Cue(cue) => return self.apply_cue(cue).map(Some),
            Command::StoreCurrentState => {
                let label = format!("#{}", self.sim.patterns().patterns.len() + 1);
                self.sim
                    .add_pattern(label.clone(), self.sim.state().to_vec())
                    .map_err(|e| e.to_string())?;
                self.structure_changed();
                return Ok(Some(format!("stored the current state as pattern {label}")));
            }
            Command::StorePattern { label, pattern } => {
                if pattern.len() != self.sim.n() || pattern.iter().any(|&v| v != 1 && v != -1) {
                    return Err(format!(
                        "the picture {label} must be {} values of ±1 (the grid's size), not {}",
                        self.sim.n(),
                        pattern.len()
                    ));
                }
                self.sim
                    .add_pattern(label.clone(), pattern.clone())
                    .map_err(|e| e.to_string())?;
                self.structure_changed();
                return Ok(Some(format!("stored the picture {label} as a pattern")));
            }
            Command::SetRule(rule) => {
                self.sim.set_rule(*rule).map_err(|e| e.to_string())?;
                self.setup.rule = *rule;
                self.structure_changed();
            }
            Command::SetUpdate(update) => {
                self.sim.set_update(update_mode(*update));
                self.setup.update = *update;
                self.structure_changed();
            }
            Command::SetTemperature(t) => {
                if !(t.is_finite() && *t >= 0.0) {
                    return Err(format!("temperature must be a number ≥ 0, not {t}"));
                }
                self.sim.set_temperature(*t);
                self.setup.temperature = *t;
                self.info_dirty = true;
            }
            Command::SetLandscapeAxes(a, b) => {
                let count = self.sim.patterns().patterns.len();
                if *a < count && *b < count && a != b {
                    self.landscape_axes = (*a, *b);
                    self.refresh_landscape();
                    self.info_dirty = true;
                }
            }
            Command::Paint { .. } => {}
        }
        Ok(None)
    }

    /// Sets the state a cue describes; returns what was cued in the patterns' own labels
    /// ("cue S with 30 % flipped").
    fn apply_cue(&mut self, cue: &Cue) -> Result<String, String> {
        let set = self.sim.patterns();
        let pick = |index: usize| {
            set.patterns.get(index).cloned().ok_or_else(|| {
                format!(
                    "there is no stored pattern {index} (patterns are counted from 0; the network stores {})",
                    set.patterns.len()
                )
            })
        };
        let label = |index: usize| {
            set.labels
                .get(index)
                .cloned()
                .unwrap_or_else(|| format!("#{}", index + 1))
        };
        let (state, what) = match cue {
            Cue::Corrupted { pattern, flip } => {
                let state = crate::hopfield::cue::flip_fraction(&pick(*pattern)?, *flip, &mut self.cue_rng)
                    .map_err(|e| e.to_string())?;
                let what = if *flip == 0.0 {
                    format!("cue {}", label(*pattern))
                } else {
                    format!("cue {} with {:.0} % flipped", label(*pattern), flip * 100.0)
                };
                (state, what)
            }
            Cue::Masked { pattern, rect } => {
                let (width, height) = self.sim.grid_size();
                let state = crate::hopfield::cue::mask_region(&pick(*pattern)?, width, height, *rect)
                    .map_err(|e| e.to_string())?;
                (state, format!("cue {} with a region masked", label(*pattern)))
            }
            Cue::Random => (
                crate::hopfield::cue::random_state(self.sim.n(), &mut self.cue_rng),
                "random state".to_string(),
            ),
            Cue::State(state) => (state.clone(), "a drawn state".to_string()),
        };
        self.sim.set_state(&state).map_err(|e| e.to_string())?;
        let last_cue = match cue {
            Cue::Corrupted { pattern, flip } => (*pattern, *flip),
            Cue::Masked { pattern, .. } => (*pattern, self.last_cue.1),
            Cue::Random | Cue::State(_) => self.last_cue,
        };
        if last_cue != self.last_cue {
            self.last_cue = last_cue;
            // The app's "Save scene" and a reopened session's controls follow the last cue.
            self.info_dirty = true;
        }
        self.push_sample();
        Ok(what)
    }

    fn structure_changed(&mut self) {
        let count = self.sim.patterns().patterns.len();
        if self.landscape_axes.0 >= count || self.landscape_axes.1 >= count {
            self.landscape_axes = (0, 1);
        }
        self.refresh_landscape();
        self.refresh_weights_view();
        self.info_dirty = true;
        self.push_sample();
    }

    /// Samples the weights for the app's view (None for dense networks).
    fn refresh_weights_view(&mut self) {
        self.weights_view = self.sim.weights().map(|w| {
            let (stride, values) = w.sampled(super::protocol::WEIGHT_VIEW_MAX_SIDE);
            let side = self.sim.n().div_ceil(stride);
            Arc::new(super::protocol::SampledWeights { stride, side, values })
        });
    }

    fn refresh_landscape(&mut self) {
        let patterns = &self.sim.patterns().patterns;
        let (a, b) = self.landscape_axes;
        let side = landscape_side(self.sim.energy_cost());
        self.landscape = (patterns.len() >= 2).then(|| {
            let energy = crate::analysis::landscape::energy_landscape(
                &patterns[a],
                &patterns[b],
                side,
                self.setup.seed,
                |s| self.sim.energy_fast(s),
            );
            Arc::new(Landscape {
                axes: (a, b),
                side,
                energy,
            })
        });
    }

    fn push_sample(&mut self) {
        if self.samples.len() >= MAX_PENDING_SAMPLES {
            // The app is not reading: keep every other sample so memory stays bounded.
            let mut keep = false;
            self.samples.retain(|_| {
                keep = !keep;
                keep
            });
        }
        let overlaps = self.sim.overlaps().into_iter().map(|m| m as f32).collect();
        self.samples.push(HopfieldSample {
            time_sweeps: self.time_sweeps(),
            energy: self.sim.energy(),
            overlaps,
        });
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<HopfieldInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let (width, height) = self.sim.grid_size();
        let set = self.sim.patterns();
        Some(HopfieldInfo {
            width,
            height,
            labels: set.labels.clone(),
            patterns: set.patterns.clone(),
            weights: self.weights_view.clone(),
            landscape: self.landscape.clone(),
            setup: self.setup.clone(),
            last_cue: self.last_cue,
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> HopfieldFrame {
        let classification = self.sim.classify().describe(&self.sim.patterns().labels);
        HopfieldFrame {
            state: self.sim.state().to_vec(),
            samples: std::mem::take(&mut self.samples),
            classification,
        }
    }

    /// The setup with the current rule, update and temperature.
    pub fn setup(&self) -> &HopfieldSetup {
        &self.setup
    }
}

/// Everything a [`HopfieldScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HopfieldSceneState {
    /// The setup, with the current rule, update and temperature.
    pub setup: HopfieldSetup,
    /// The network: patterns (stored ones included), state, fields, random number generator.
    pub sim: HopfieldState,
    /// The cues' random number generator.
    pub cue_rng: SimRng,
    /// The two patterns spanning the energy landscape.
    pub landscape_axes: (usize, usize),
    /// Updates since the last sample.
    pub updates_since_sample: u64,
    /// The pattern and corruption of the last cue (absent in sessions from before it was kept).
    #[serde(default)]
    pub last_cue: Option<(usize, f64)>,
}

impl HopfieldScene {
    /// Captures the scene for a session file.
    pub fn save_session(&self) -> HopfieldSceneState {
        HopfieldSceneState {
            setup: self.setup.clone(),
            sim: self.sim.save_state(),
            cue_rng: self.cue_rng.clone(),
            landscape_axes: self.landscape_axes,
            updates_since_sample: self.updates_since_sample as u64,
            last_cue: Some(self.last_cue),
        }
    }

    /// Rebuilds a scene from a session's capture; it continues exactly as the saved one would have.
    pub fn restore_session(state: HopfieldSceneState) -> Result<Self, String> {
        let sim = HopfieldSim::from_state(state.sim).map_err(|e| format!("saved Hopfield network: {e}"))?;
        let count = sim.patterns().len();
        let (a, b) = state.landscape_axes;
        let landscape_axes = if a < count && b < count && a != b {
            (a, b)
        } else {
            (0, 1)
        };
        let last_cue = state
            .last_cue
            .filter(|&(pattern, flip)| pattern < count && (0.0..=1.0).contains(&flip))
            .unwrap_or((state.setup.cue_pattern, state.setup.cue_flip));
        let mut scene = Self {
            sim,
            last_cue,
            setup: state.setup,
            cue_rng: state.cue_rng,
            landscape_axes,
            landscape: None,
            weights_view: None,
            info_dirty: true,
            samples: Vec::new(),
            updates_since_sample: state.updates_since_sample as usize,
        };
        scene.refresh_landscape();
        scene.refresh_weights_view();
        scene.push_sample();
        Ok(scene)
    }
}

fn update_mode(update: HopfieldUpdate) -> UpdateMode {
    match update {
        HopfieldUpdate::Classical => UpdateMode::Classical,
        HopfieldUpdate::Dense(dense) => UpdateMode::Dense(dense),
    }
}

/// Builds the pattern set a setup names.
/// Random and correlated patterns are made at the grid's size (not scaled up from 16 × 16).
fn sized_source(source: &PatternSource, grid: Option<usize>) -> PatternSource {
    match (source, grid) {
        (PatternSource::Random { count, .. }, Some(side)) => PatternSource::Random {
            width: side,
            height: side,
            count: *count,
        },
        (
            PatternSource::Correlated {
                count, difference, ..
            },
            Some(side),
        ) => PatternSource::Correlated {
            width: side,
            height: side,
            count: *count,
            difference: *difference,
        },
        _ => source.clone(),
    }
}

/// The patterns on a side × side grid when one is asked for (see [`HopfieldSetup::grid`]).
pub fn on_grid(patterns: PatternSet, grid: Option<usize>) -> Result<PatternSet, String> {
    match grid {
        None => Ok(patterns),
        Some(side) if !(2..=super::protocol::MAX_GRID_SIDE).contains(&side) => Err(format!(
            "grid = {side}: a grid's side must be between 2 and {}",
            super::protocol::MAX_GRID_SIDE
        )),
        Some(side) if (patterns.width, patterns.height) == (side, side) => Ok(patterns),
        Some(side) => patterns.resized(side, side).map_err(|e| e.to_string()),
    }
}

/// The patterns a source describes.
pub fn pattern_set(source: &PatternSource, seed: u64) -> Result<PatternSet, String> {
    let mut rng = substream(seed, 100);
    match source {
        PatternSource::Builtin { set, labels } => {
            let full = PatternSet::builtin(set).map_err(|e| e.to_string())?;
            if labels.is_empty() {
                return Ok(full);
            }
            full.select(labels).map_err(|e| e.to_string())
        }
        PatternSource::Random { width, height, count } => {
            PatternSet::random(*width, *height, *count, 0.0, &mut rng).map_err(|e| e.to_string())
        }
        PatternSource::Correlated {
            width,
            height,
            count,
            difference,
        } => {
            PatternSet::correlated(*width, *height, *count, *difference, &mut rng).map_err(|e| e.to_string())
        }
    }
}

impl crate::families::FamilyScene<super::Hopfield> for HopfieldScene {
    fn setup(&self) -> HopfieldSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.time_sweeps()
    }

    fn steps_per_unit(&self) -> f64 {
        self.n() as f64
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        // Sixteen samples per sweep, fewer when running very fast.
        let sample_every = (self.n() / 16).max((steps / 64) as usize).max(1);
        HopfieldScene::advance(self, steps, sample_every);
        Ok(())
    }

    fn apply(&mut self, command: &Command) -> Result<Option<String>, String> {
        HopfieldScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<HopfieldInfo> {
        HopfieldScene::take_info(self)
    }

    fn take_frame(&mut self) -> HopfieldFrame {
        HopfieldScene::take_frame(self)
    }

    fn save(&self) -> HopfieldSceneState {
        self.save_session()
    }
}
