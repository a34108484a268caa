//! The neuron lab: one neuron at a time, Hodgkin-Huxley (1952) beside the integrate-and-fire family
//! (LIF, EIF, AdEx of Brette & Gerstner 2005 with the firing patterns of Naud et al. 2008), under a
//! step, ramp, pulses or noise: its potential with the gates or the adaptation current, its phase
//! plane with nullclines, fixed points and the live trajectory, and the f-I curves of all four.
//!
//! `model/` is the pure neuron models and what is measured of them; `scene.rs` runs one neuron
//! under its protocol; `protocol.rs` holds the setup, commands, info and frames; `record.rs` its
//! recording columns; `report.rs` what `engram run` reports; `cli.rs` the `engram cell ...`
//! subcommands; `ui/` its views and controls.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{CellReport, CellSummary};
pub use scene::{CellScene, CellSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The neuron lab's entry in the registry.
pub struct NeuronLab;

impl Family for NeuronLab {
    const ID: &'static str = "neuron-lab";
    /// The neuron lab, and the same AdEx as a population of the spiking networks.
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[
        (
            "neuron-lab",
            include_str!("../../../assets/scenarios/neuron-lab.toml"),
        ),
        (
            "adex-population",
            include_str!("../../../assets/scenarios/adex-population.toml"),
        ),
    ];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 1000.0;
    type Setup = CellSetup;
    type Command = CellCommand;
    type Verb = CellVerb;
    type Info = CellInfo;
    type Frame = CellFrame;
    type Saved = CellSceneState;
    type Scene = CellScene;
    type Summary = CellSummary;
    type Report = CellReport;
    type Record = record::CellRecord;

    fn example_setup() -> CellSetup {
        CellSetup::default()
    }

    fn validate_setup(setup: &CellSetup) -> Result<(), String> {
        setup
            .params
            .validate()
            .map_err(|e| format!("[scene.params] {e}"))?;
        setup
            .stimulus
            .validate()
            .map_err(|e| format!("[scene.stimulus] {e}"))?;
        if !(setup.dt_ms.is_finite() && setup.dt_ms > 0.0 && setup.dt_ms <= model::MAX_DT_MS) {
            return Err(format!(
                "dt_ms must be between 0 and {} ms, not {}",
                model::MAX_DT_MS,
                setup.dt_ms
            ));
        }
        Ok(())
    }

    fn build(setup: &CellSetup, _limits: &EngineLimits) -> Result<CellScene, String> {
        CellScene::build(setup.clone())
    }

    fn restore(saved: CellSceneState, _limits: &EngineLimits) -> Result<CellScene, String> {
        CellScene::restore_session(saved)
    }

    fn seed(setup: &CellSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut CellSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `amplitude` sets the stimulus amplitude, `model` switches the neuron model, `preset` loads
    /// an AdEx firing pattern with its current, `rest` puts the neuron back at rest.
    fn action(verb: &CellVerb) -> Result<CellCommand, String> {
        Ok(match verb {
            CellVerb::Amplitude { value } => CellCommand::SetAmplitude(*value),
            CellVerb::Model { kind } => CellCommand::SetKind(*kind),
            CellVerb::Preset { preset } => CellCommand::Preset(*preset),
            CellVerb::Rest => CellCommand::Rest,
        })
    }

    fn saved_summary(saved: &CellSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: 1,
            synapses: None,
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &CellSceneState) -> f64 {
        saved.steps as f64 * saved.setup.dt_ms
    }

    fn report_text(r: &CellReport) -> String {
        let rheobase = r
            .rheobase
            .map_or(String::new(), |x| format!(", rheobase {x:.3} {}", r.current_unit));
        format!(
            "{} neuron: {} spikes in {:.0} ms ({:.2} Hz), {}; V from {:.2} to {:.2} mV{rheobase}\n",
            r.model,
            r.spikes_ms.len(),
            r.duration_ms,
            r.rate_hz,
            r.pattern.label(),
            r.lowest_mv,
            r.peak_mv
        )
    }

    fn summarize(summary: &mut CellSummary, frame: &CellFrame) {
        summary.take(frame);
    }

    fn report(summary: CellSummary, info: &CellInfo, scene: &CellScene) -> CellReport {
        summary.report(info, scene.cell().time_ms())
    }
}
