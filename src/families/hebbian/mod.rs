//! Hebbian learning of principal components: a linear neuron y = wᵀx on Gaussian data whose
//! covariance the user shapes learns the leading eigenvector by Oja's rule (|w| → 1), the first k by
//! Sanger's rule, while plain Hebb on the same samples turns the same way and grows without bound.
//!
//! `model/` is the pure data and rules with their theory; `scene.rs` draws one sample per step;
//! `protocol.rs` holds the setup, commands, info and frames; `record.rs` its recording columns;
//! `report.rs` what `engram run` reports; `cli.rs` the `engram hebb ...` subcommands; `ui/` its views,
//! controls and the convergence-time experiment.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{HebbReport, HebbSummary};
pub use scene::{HebbScene, HebbSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The Hebbian family's entry in the registry.
pub struct Hebbian;

impl Family for Hebbian {
    const ID: &'static str = "hebbian";
    const SCENARIOS: &'static [(&'static str, &'static str)] =
        &[("oja-pca", include_str!("../../../assets/scenarios/oja-pca.toml"))];
    const TIME_UNIT: &'static str = "samples";
    const DEFAULT_DURATION: f64 = 5000.0;
    type Setup = HebbSetup;
    type Command = HebbCommand;
    type Verb = HebbVerb;
    type Info = HebbInfo;
    type Frame = HebbFrame;
    type Saved = HebbSceneState;
    type Scene = HebbScene;
    type Summary = HebbSummary;
    type Report = HebbReport;
    type Record = record::HebbRecord;

    fn example_setup() -> HebbSetup {
        HebbSetup::default()
    }

    fn validate_setup(setup: &HebbSetup) -> Result<(), String> {
        setup.data.validate().map_err(|e| format!("[scene.data] {e}"))?;
        setup
            .learn
            .validate(setup.data.dim)
            .map_err(|e| format!("[scene.learn] {e}"))
    }

    fn build(setup: &HebbSetup, _limits: &EngineLimits) -> Result<HebbScene, String> {
        HebbScene::build(setup.clone())
    }

    fn restore(saved: HebbSceneState, _limits: &EngineLimits) -> Result<HebbScene, String> {
        HebbScene::restore_session(saved)
    }

    fn seed(setup: &HebbSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut HebbSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `angle` turns the data (two dimensions), `eta` sets the learning rate, `random-weights` starts
    /// the learners again from new random weights.
    fn action(verb: &HebbVerb) -> Result<HebbCommand, String> {
        Ok(match verb {
            HebbVerb::Angle { value } => HebbCommand::SetAngle(*value),
            HebbVerb::Eta { value } => HebbCommand::SetEta(*value),
            HebbVerb::RandomWeights => HebbCommand::RandomizeWeights,
        })
    }

    fn saved_summary(saved: &HebbSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.setup.learn.components,
            synapses: Some(saved.setup.learn.components * saved.setup.data.dim),
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &HebbSceneState) -> f64 {
        saved.learner.steps as f64
    }

    fn report_text(r: &HebbReport) -> String {
        let angles: Vec<String> = r.angles_deg.iter().map(|a| format!("{a:.2}°")).collect();
        let norms: Vec<String> = r.norms.iter().map(|n| format!("{n:.3}")).collect();
        let reached = r
            .samples_to_10_deg
            .map_or("never".to_string(), |s| format!("after {s:.0} samples"));
        format!(
            "{} on {}-dimensional data (λ = {}), {:.0} samples: angle to the eigenvectors {}, |w| {}; within 10° {reached} (τ = 1/(η(λ1 − λ2)) = {:.0} samples); plain Hebb at {:.2}° with log10 |w| = {:.1}\n",
            r.rule,
            r.dim,
            r.eigenvalues
                .iter()
                .take(4)
                .map(|l| format!("{l:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            r.samples,
            angles.join(", "),
            norms.join(", "),
            r.time_constant_samples,
            r.hebb_angle_deg,
            r.hebb_log10_norm
        )
    }

    fn summarize(summary: &mut HebbSummary, frame: &HebbFrame) {
        summary.take(frame);
    }

    fn report(summary: HebbSummary, info: &HebbInfo, _scene: &HebbScene) -> HebbReport {
        summary.report(info)
    }
}
