//! The Hopfield family: classical (Hebb, Storkey, pseudo-inverse) and modern (dense) networks of
//! ±1 neurons, with asynchronous, synchronous and Glauber dynamics.
//!
//! `model/` is the pure network; `scene.rs` wraps it with the probes the views and recordings
//! read; `protocol.rs` holds its setup, commands, info and frames; `record.rs` its recording
//! columns; `report.rs` what `engram run` reports; `ui/` its views and controls.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod sweeps;
pub mod ui;

pub use protocol::*;
pub use report::{HopfieldReport, HopfieldSummary};
pub use scene::{HopfieldScene, HopfieldSceneState, pattern_set};

use super::{EngineLimits, Family, SavedSummary};

/// The Hopfield family's entry in the registry.
pub struct Hopfield;

impl Family for Hopfield {
    const ID: &'static str = "hopfield";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[
        (
            "pattern-completion",
            include_str!("../../../assets/scenarios/pattern-completion.toml"),
        ),
        (
            "capacity",
            include_str!("../../../assets/scenarios/capacity.toml"),
        ),
        (
            "temperature",
            include_str!("../../../assets/scenarios/temperature.toml"),
        ),
        (
            "modern-hopfield",
            include_str!("../../../assets/scenarios/modern-hopfield.toml"),
        ),
        (
            "learning-rules",
            include_str!("../../../assets/scenarios/learning-rules.toml"),
        ),
    ];
    const TIME_UNIT: &'static str = "sweeps";
    const DEFAULT_DURATION: f64 = 20.0;
    type Setup = HopfieldSetup;
    type Command = HopfieldCommand;
    type Verb = HopfieldVerb;
    type Info = HopfieldInfo;
    type Frame = HopfieldFrame;
    type Saved = HopfieldSceneState;
    type Scene = HopfieldScene;
    type Summary = HopfieldSummary;
    type Report = HopfieldReport;
    type Record = record::HopfieldRecord;

    fn example_setup() -> HopfieldSetup {
        HopfieldSetup::default()
    }

    fn build(setup: &HopfieldSetup, _limits: &EngineLimits) -> Result<HopfieldScene, String> {
        HopfieldScene::build(setup.clone())
    }

    fn restore(saved: HopfieldSceneState, _limits: &EngineLimits) -> Result<HopfieldScene, String> {
        HopfieldScene::restore_session(saved)
    }

    fn seed(setup: &HopfieldSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut HopfieldSetup, seed: u64) {
        setup.seed = seed;
    }

    fn validate_setup(h: &HopfieldSetup) -> Result<(), String> {
        if !(0.0..=1.0).contains(&h.cue_flip) {
            return Err(format!("scene.cue_flip must be in [0, 1], not {}", h.cue_flip));
        }
        if !(h.temperature.is_finite() && h.temperature >= 0.0) {
            return Err(format!("scene.temperature must be ≥ 0, not {}", h.temperature));
        }
        if let HopfieldUpdate::Dense(dense) = h.update {
            dense
                .validate()
                .map_err(|e| format!("scene.update {dense}: {e}"))?;
        }
        Ok(())
    }

    fn action(verb: &HopfieldVerb) -> Result<HopfieldCommand, String> {
        Ok(match verb {
            HopfieldVerb::Cue { pattern, flip } => HopfieldCommand::Cue(Cue::Corrupted {
                pattern: *pattern,
                flip: *flip,
            }),
            HopfieldVerb::RandomState => HopfieldCommand::Cue(Cue::Random),
            HopfieldVerb::Temperature { value } => HopfieldCommand::SetTemperature(*value),
            HopfieldVerb::Rule { rule } => HopfieldCommand::SetRule(*rule),
            HopfieldVerb::Update { update } => HopfieldCommand::SetUpdate(*update),
            HopfieldVerb::StoreState => HopfieldCommand::StoreCurrentState,
        })
    }

    fn changes_the_run(command: &HopfieldCommand) -> bool {
        !matches!(command, HopfieldCommand::SetLandscapeAxes(..))
    }

    fn saved_summary(saved: &HopfieldSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.sim.state.len(),
            synapses: None,
            patterns: Some(saved.sim.patterns.len()),
            stdp: None,
        }
    }

    fn saved_time(saved: &HopfieldSceneState) -> f64 {
        let n = (saved.sim.patterns.width * saved.sim.patterns.height).max(1);
        saved.sim.updates_done as f64 / n as f64
    }

    fn report_text(h: &HopfieldReport) -> String {
        let mut out = format!("final state: {} (energy {:.2})\n", h.classification, h.energy);
        for (label, m) in h.labels.iter().zip(&h.overlaps) {
            out += &format!("  overlap with {label:>4}: {m:+.3}\n");
        }
        out
    }

    fn summarize(summary: &mut HopfieldSummary, frame: &HopfieldFrame) {
        summary.take(frame);
    }

    fn report(summary: HopfieldSummary, info: &HopfieldInfo, _scene: &HopfieldScene) -> HopfieldReport {
        summary.report(info)
    }
}
