//! What persists between runs: theme, speeds, the open scene, cue corruption, threads and zoom.

use std::collections::BTreeMap;

use super::presets;
use crate::engine::Speed;
use crate::families::{SceneSetup, speed_scale};

/// What persists between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dark theme.
    pub dark: bool,
    /// Speed of each family's scenes, by `model` key, in the unit of its slider (sweeps/s, × real time).
    pub speeds: BTreeMap<String, f64>,
    /// Run as fast as possible instead.
    pub unlimited: bool,
    /// The scene that was open.
    pub scene: SceneSetup,
    /// Index of the preset the scene came from (found again by `preset_name` when that is set).
    pub preset: usize,
    /// Name of the preset the scene came from: adding a scenario shifts the indices, not the names.
    pub preset_name: String,
    /// Fraction of bits a cue flips.
    pub cue_flip: f64,
    /// Threads a spiking network steps on; 0: every core but one, which the window keeps.
    pub threads: usize,
    /// Size of everything on screen (1 = 100 %): Ctrl + and Ctrl − change it, Ctrl 0 resets it.
    pub zoom: f32,
    /// The first-start hint ("press Space or Play") was dismissed by playing once.
    pub played_once: bool,
    /// Anti-aliased (feathered) edges on lines and shapes; unset: on, unless a software renderer
    /// draws the window (see [`super::EngramApp::smooth_lines`]).
    pub smooth_lines: Option<bool>,
}

/// Zoom steps offered in the top bar (a presentation at the back of a room wants 150 % or more).
pub const ZOOM_STEPS: [f32; 6] = [1.0, 1.25, 1.5, 1.75, 2.0, 2.5];

impl Default for Settings {
    fn default() -> Self {
        Self {
            dark: true,
            speeds: BTreeMap::new(),
            unlimited: false,
            scene: presets::all()
                .first()
                .cloned()
                .map_or_else(|| SceneSetup::Hopfield(Default::default()), |p| p.setup),
            preset: 0,
            preset_name: String::new(),
            cue_flip: 0.3,
            threads: 0,
            zoom: 1.0,
            played_once: false,
            smooth_lines: None,
        }
    }
}

impl Settings {
    /// The preset index from its name when the name is known (a scenario added since the settings
    /// were saved shifts the indices), else the stored index.
    pub fn resolve_preset(&mut self) {
        if let Some(index) = presets::all().iter().position(|p| p.name == self.preset_name) {
            self.preset = index;
        }
    }

    /// Threads the simulation may use: the setting, or every core but the window's.
    pub fn simulation_threads(&self) -> usize {
        if self.threads == 0 {
            crate::families::available_cores().saturating_sub(1).max(1)
        } else {
            self.threads
        }
    }

    /// The engine speed for the current scene.
    pub fn speed(&self) -> Speed {
        if self.unlimited {
            return Speed::Unlimited;
        }
        let scale = speed_scale(&self.scene);
        Speed::Rate(self.slider_speed() * scale.engine_per_unit)
    }

    /// The speed of the current scene's family in its slider's unit.
    pub fn slider_speed(&self) -> f64 {
        let scale = speed_scale(&self.scene);
        self.speeds
            .get(self.scene.family_id())
            .copied()
            .filter(|v| v.is_finite() && (scale.min..=scale.max).contains(v))
            .unwrap_or(scale.default)
    }
}
