//! The sampling family: inference as sampling. A Boltzmann distribution p(z) ∝ exp((½ zᵀWz +
//! bᵀz)/T) over binary units, sampled side by side by sequential Gibbs, parallel Gibbs and spiking
//! neurons (Buesing, Bill, Nessler & Maass 2011, with and without the − ln τ correction), against
//! its exact enumeration; evidence clamps units so the chains sample the posterior; a Boltzmann
//! machine with hidden units learns bars and stripes and dreams them.
//!
//! `model/` is pure (distribution, samplers, counts, learning); `scene.rs` runs every sampler on
//! the same distribution; `protocol.rs` holds its setup, commands, info and frames; `record.rs`
//! its recording columns; `report.rs` what `engram run` reports; `cli.rs` `engram sample`; `ui/`
//! its views and controls.

pub mod cli;
pub mod machine;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{SamplingReport, SamplingSummary};
pub use scene::{SamplingScene, SamplingSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The sampling family's entry in the registry.
pub struct Sampling;

impl Family for Sampling {
    const ID: &'static str = "sampling";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[
        (
            "sampling-inference",
            include_str!("../../../assets/scenarios/sampling-inference.toml"),
        ),
        (
            "boltzmann-dreams",
            include_str!("../../../assets/scenarios/boltzmann-dreams.toml"),
        ),
        (
            "letter-dreams",
            include_str!("../../../assets/scenarios/letter-dreams.toml"),
        ),
    ];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 10_000.0;
    type Setup = SamplingSetup;
    type Command = SamplingCommand;
    type Verb = SamplingVerb;
    type Info = SamplingInfo;
    type Frame = SamplingFrame;
    type Saved = SamplingSceneState;
    type Scene = SamplingScene;
    type Summary = SamplingSummary;
    type Report = SamplingReport;
    type Record = record::SamplingRecord;

    fn example_setup() -> SamplingSetup {
        SamplingSetup {
            clamp: "1???".into(),
            units: 4,
            ..SamplingSetup::default()
        }
    }

    fn validate_setup(setup: &SamplingSetup) -> Result<(), String> {
        setup.validate()
    }

    fn build(setup: &SamplingSetup, _limits: &EngineLimits) -> Result<SamplingScene, String> {
        SamplingScene::build(setup.clone())
    }

    fn restore(saved: SamplingSceneState, _limits: &EngineLimits) -> Result<SamplingScene, String> {
        SamplingScene::restore_session(saved)
    }

    fn seed(setup: &SamplingSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut SamplingSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `temperature` sets T, `evidence` clamps units, `random-state` restarts every chain from a
    /// random state, `complete` clamps a training pattern's top rows (machine scenes); each starts
    /// the counts again.
    fn action(verb: &SamplingVerb) -> Result<SamplingCommand, String> {
        Ok(match verb {
            SamplingVerb::Temperature { value } => SamplingCommand::SetTemperature(*value),
            SamplingVerb::Evidence { clamp } => {
                // The number of units is checked when the command reaches the scene.
                SamplingCommand::SetClamp(parse_clamp(clamp, clamp.chars().count())?)
            }
            SamplingVerb::RandomState => SamplingCommand::RandomStates,
            SamplingVerb::Complete { pattern } => SamplingCommand::CompleteFromTop(*pattern),
        })
    }

    fn saved_summary(saved: &SamplingSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.setup.units,
            synapses: Some(saved.setup.units * saved.setup.units.saturating_sub(1) / 2),
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &SamplingSceneState) -> f64 {
        saved.steps as f64
    }

    fn report_text(report: &SamplingReport) -> String {
        report::report_text(report)
    }

    fn summarize(summary: &mut SamplingSummary, frame: &SamplingFrame) {
        summary.take(frame);
    }

    fn report(summary: SamplingSummary, info: &SamplingInfo, scene: &SamplingScene) -> SamplingReport {
        summary.report(info, scene)
    }
}
