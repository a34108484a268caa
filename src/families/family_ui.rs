//! What a family's views implement: the app shell reaches every family's histories, views and
//! controls through [`FamilyUi`] and the `SceneData`/`SceneControls` enums the registry generates.

use super::Family;

/// How the speed slider of a family reads: its unit, range and how it maps to the engine's speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedScale {
    /// Unit shown on the slider ("sweeps/s", "× real time").
    pub unit: &'static str,
    /// Value when nothing was chosen yet.
    pub default: f64,
    /// Slider range.
    pub min: f64,
    /// Slider range.
    pub max: f64,
    /// Engine speed (simulated time units per wall second) for a slider value of 1.
    pub engine_per_unit: f64,
}

/// What the views and controls of a family hand back to the app shell.
pub struct UiCx<'a, F: Family> {
    /// Dark theme.
    pub dark: bool,
    /// Fraction of a pattern flipped by a cue (one setting shared by every scene that cues patterns).
    pub cue_flip: &'a mut f64,
    /// Commands for the running scene, sent by the shell after the frame.
    pub commands: Vec<F::Command>,
    /// A new setup to build instead of the running scene (the shell sends it and remembers it).
    pub load: Option<F::Setup>,
    /// A notice for the status bar.
    pub notice: Option<String>,
}

impl<'a, F: Family> UiCx<'a, F> {
    /// A context with nothing asked yet.
    pub fn new(dark: bool, cue_flip: &'a mut f64) -> Self {
        Self {
            dark,
            cue_flip,
            commands: Vec::new(),
            load: None,
            notice: None,
        }
    }
}

/// The views and controls of a family (the only egui code of a family folder lives behind this).
pub trait FamilyUi: Family {
    /// Bounded histories and the views' own state (textures, drags), made from the first info.
    type Data;
    /// The controls' own state between frames (pending edits, the chosen pattern, preset values).
    type Controls;
    /// The speed slider.
    const SPEED: SpeedScale;

    /// Empty histories for a scene described by `info`.
    fn data(info: Self::Info, dark: bool) -> Self::Data;
    /// A new description of the scene (histories that still fit are kept).
    fn set_info(data: &mut Self::Data, info: Self::Info, dark: bool);
    /// Appends a frame (one that starts before the histories end, after a rebuild, starts them afresh).
    fn push(data: &mut Self::Data, frame: Self::Frame, dark: bool);
    /// The theme changed: rebuild colours and textures.
    fn restyle(data: &mut Self::Data, dark: bool);
    /// The latest description (for a recording started from the app).
    fn info(data: &Self::Data) -> Self::Info;
    /// The cue corruption a preset sets for the app's shared cue slider, if it sets one.
    fn preset_cue_flip(_setup: &Self::Setup) -> Option<f64> {
        None
    }
    /// The setup the scene runs now (for "Save scene").
    fn live_setup(data: &Self::Data) -> Self::Setup;
    /// Controls for a scene built from `setup` (its values are the preset marks).
    fn controls(setup: &Self::Setup) -> Self::Controls;
    /// The control panel of the scene.
    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Self>,
        controls: &mut Self::Controls,
        setup: &Self::Setup,
        data: Option<&Self::Data>,
    );
    /// The central views of the scene.
    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Self>,
        controls: &mut Self::Controls,
        data: &mut Self::Data,
    );
}
