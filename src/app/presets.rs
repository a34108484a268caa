//! The scenes in the preset menu: the shipped scenario files, each with its explanation.

use crate::families::SceneSetup;

/// A scene in the preset menu.
#[derive(Debug, Clone)]
pub struct ScenePreset {
    /// Menu name.
    pub name: String,
    /// Two or three sentences shown under the menu.
    pub text: String,
    /// The scene it loads.
    pub setup: SceneSetup,
    /// The whole scenario, timeline included.
    pub scenario: crate::scenario::Scenario,
}

/// Every preset, in menu order (keys 1–9 load them); parsed once, then shared.
pub fn all() -> &'static [ScenePreset] {
    static PRESETS: std::sync::OnceLock<Vec<ScenePreset>> = std::sync::OnceLock::new();
    PRESETS.get_or_init(parse_all)
}

fn parse_all() -> Vec<ScenePreset> {
    crate::scenario::builtin()
        .into_iter()
        .map(|(_, scenario)| ScenePreset {
            name: scenario.name.clone(),
            text: scenario
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            setup: scenario.scene.clone(),
            scenario,
        })
        .collect()
}
