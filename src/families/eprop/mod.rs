//! e-prop: a recurrent network of LIF (or adaptive LIF) neurons trained online to a target by
//! eligibility traces times learning signals (Bellec et al. 2020): the readout learns to draw a sum
//! of sines, or the population learns a target rate and spread of its global rate.
//!
//! `model/` is the pure network, the rule and the tasks; `scene.rs` steps it 1 ms at a time and
//! changes the weights after every trial; `protocol.rs` holds the setup, commands, info and frames;
//! `record.rs` its recording columns; `report.rs` what `engram run` reports; `cli.rs` `engram eprop
//! train`; `ui/` its views, controls and the feedback experiment.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{EpropReport, EpropSummary};
pub use scene::{EpropScene, EpropSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The e-prop family's entry in the registry.
pub struct Eprop;

impl Family for Eprop {
    const ID: &'static str = "eprop";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[
        (
            "eprop-pattern",
            include_str!("../../../assets/scenarios/eprop-pattern.toml"),
        ),
        (
            "eprop-rate",
            include_str!("../../../assets/scenarios/eprop-rate.toml"),
        ),
    ];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 200_000.0;
    type Setup = EpropSetup;
    type Command = EpropCommand;
    type Verb = EpropVerb;
    type Info = EpropInfo;
    type Frame = EpropFrame;
    type Saved = EpropSceneState;
    type Scene = EpropScene;
    type Summary = EpropSummary;
    type Report = EpropReport;
    type Record = record::EpropRecord;

    fn example_setup() -> EpropSetup {
        EpropSetup {
            params: model::EpropParams {
                n_in: 20,
                n_rec: 30,
                trial_ms: 200,
                ..model::EpropParams::default()
            },
            ..EpropSetup::default()
        }
    }

    fn validate_setup(setup: &EpropSetup) -> Result<(), String> {
        setup
            .params
            .validate()
            .map_err(|e| format!("[scene.params] {e}"))?;
        setup
            .task
            .validate(setup.params.trial_ms)
            .map_err(|e| format!("[scene.task] {e}"))
    }

    fn build(setup: &EpropSetup, _limits: &EngineLimits) -> Result<EpropScene, String> {
        EpropScene::build(setup.clone())
    }

    fn restore(saved: EpropSceneState, _limits: &EngineLimits) -> Result<EpropScene, String> {
        EpropScene::restore_session(saved)
    }

    fn seed(setup: &EpropSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut EpropSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `learning-rate` sets the rate (0 freezes the weights), `reset-weights` starts again.
    fn action(verb: &EpropVerb) -> Result<EpropCommand, String> {
        Ok(match verb {
            EpropVerb::LearningRate { value } => EpropCommand::SetLearningRate(*value),
            EpropVerb::ResetWeights => EpropCommand::ResetWeights,
        })
    }

    fn saved_summary(saved: &EpropSceneState) -> SavedSummary {
        let p = &saved.setup.params;
        SavedSummary {
            seed: saved.setup.seed,
            neurons: p.n_rec,
            synapses: Some(p.n_rec * (p.n_in + p.n_rec) + saved.setup.task.outputs() * p.n_rec),
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &EpropSceneState) -> f64 {
        saved.trials as f64 * saved.setup.params.trial_ms as f64
    }

    fn report_text(r: &EpropReport) -> String {
        let nmse = match (r.first_nmse, r.final_nmse) {
            (Some(first), Some(last)) => format!("NMSE {first:.3} → {last:.3}; "),
            _ => String::new(),
        };
        let sigma = r
            .final_sigma_hz
            .map_or(String::new(), |s| format!(", σ {s:.2} Hz"));
        format!(
            "e-prop, {} neurons, {}: {} trials; {nmse}rate {:.1} Hz{sigma}; loss {:.4}\n",
            r.neurons, r.task, r.trials, r.final_rate_hz, r.final_loss
        )
    }

    fn summarize(summary: &mut EpropSummary, frame: &EpropFrame) {
        summary.take(frame);
    }

    fn report(summary: EpropSummary, info: &EpropInfo, _scene: &EpropScene) -> EpropReport {
        summary.report(info)
    }
}
