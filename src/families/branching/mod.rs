//! Criticality live: a driven branching network (N binary units, K targets each, branching ratio m,
//! external drive h), its activity, the branching ratio estimated from a subsample of its units by
//! multistep regression beside the conventional one-step estimate (Wilting & Priesemann 2018), and
//! the avalanches of the undriven network with their size and duration laws. The network and the
//! estimators are `crate::analysis::branching`; this folder makes them a scene.
//!
//! `scene.rs` steps the network and estimates; `protocol.rs` holds the setup, commands, info and
//! frames; `record.rs` its recording columns; `report.rs` what `engram run` reports; `cli.rs` the
//! `engram branching` command; `ui/` its views, controls and the subsampling experiment.

pub mod cli;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{BranchingReport, BranchingSummary};
pub use scene::{BranchingScene, BranchingSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The branching family's entry in the registry.
pub struct Branching;

impl Family for Branching {
    const ID: &'static str = "branching";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[(
        "criticality",
        include_str!("../../../assets/scenarios/criticality.toml"),
    )];
    const TIME_UNIT: &'static str = "steps";
    const DEFAULT_DURATION: f64 = 20_000.0;
    type Setup = BranchingSetup;
    type Command = BranchingCommand;
    type Verb = BranchingVerb;
    type Info = BranchingInfo;
    type Frame = BranchingFrame;
    type Saved = BranchingSceneState;
    type Scene = BranchingScene;
    type Summary = BranchingSummary;
    type Report = BranchingReport;
    type Record = record::BranchingRecord;

    fn example_setup() -> BranchingSetup {
        BranchingSetup::default()
    }

    fn validate_setup(setup: &BranchingSetup) -> Result<(), String> {
        setup.validate()
    }

    fn build(setup: &BranchingSetup, _limits: &EngineLimits) -> Result<BranchingScene, String> {
        BranchingScene::build(setup.clone())
    }

    fn restore(saved: BranchingSceneState, _limits: &EngineLimits) -> Result<BranchingScene, String> {
        BranchingScene::restore_session(saved)
    }

    fn seed(setup: &BranchingSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut BranchingSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `m` sets the branching ratio, `h` the drive, `avalanches` measures avalanches at the current m.
    fn action(verb: &BranchingVerb) -> Result<BranchingCommand, String> {
        Ok(match verb {
            BranchingVerb::M { value } => BranchingCommand::SetM(*value),
            BranchingVerb::H { value } => BranchingCommand::SetH(*value),
            BranchingVerb::Avalanches => BranchingCommand::MeasureAvalanches,
        })
    }

    fn saved_summary(saved: &BranchingSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.setup.n,
            synapses: Some(saved.setup.n * saved.setup.k),
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &BranchingSceneState) -> f64 {
        saved.network.steps as f64
    }

    fn report_text(r: &BranchingReport) -> String {
        let estimate = match (r.m_mr, r.m_conventional, r.m_whole) {
            (Some(mr), Some(conventional), Some(whole)) => format!(
                "MR estimate from {} observed units m̂ = {mr:.4}, conventional r₁ = {conventional:.4} (whole network {whole:.4})",
                r.observed_units
            ),
            _ => "no estimate (too few steps or no variation)".into(),
        };
        let theory = r
            .theory_mean_activity
            .map_or(String::new(), |a| format!(" (theory {a:.1})"));
        format!(
            "m = {}, h = {}: mean activity {:.2}{theory} units per step; {estimate}\n",
            r.m, r.h, r.mean_activity
        )
    }

    fn summarize(summary: &mut BranchingSummary, frame: &BranchingFrame) {
        summary.take(frame);
    }

    fn report(summary: BranchingSummary, info: &BranchingInfo, _scene: &BranchingScene) -> BranchingReport {
        summary.report(info)
    }
}
