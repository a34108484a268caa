//! The rate family: a firing-rate attractor network with a learning rule inferred from in vivo
//! data (Pereira & Brunel, Neuron 2018). τ dr/dt = −r + φ(I + W r), W_ij = (A c_ij / cN) Σ_μ
//! f(φ(ξ_i^μ)) g(φ(ξ_j^μ)) with Gaussian patterns ξ and sigmoidal f, g fitted to the rates of
//! inferior-temporal neurons for novel and familiar images.
//!
//! `model/` is the pure network and its mean-field theory; `scene.rs` wraps it with probes;
//! `protocol.rs` holds its setup, commands, info and frames; `record.rs` its recording columns;
//! `report.rs` what `engram run` reports; `sweeps.rs` the cued retrieval and load sweep;
//! `cli.rs` the `engram rate ...` subcommands; `ui/` its views, controls and Experiments-window
//! experiment.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod sweeps;
pub mod ui;

pub use protocol::*;
pub use report::{RateReport, RateSummary};
pub use scene::{RateScene, RateSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The rate family's entry in the registry.
pub struct Rate;

impl Family for Rate {
    const ID: &'static str = "rate";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[(
        "rate-attractor",
        include_str!("../../../assets/scenarios/rate-attractor.toml"),
    )];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 1000.0;
    type Setup = RateSetup;
    type Command = RateCommand;
    type Verb = RateVerb;
    type Info = RateInfo;
    type Frame = RateFrame;
    type Saved = RateSceneState;
    type Scene = RateScene;
    type Summary = RateSummary;
    type Report = RateReport;
    type Record = record::RateRecord;

    fn example_setup() -> RateSetup {
        RateSetup {
            params: model::RateParams {
                n: 800,
                connection_prob: 0.2,
                patterns: 8,
                ..model::RateParams::default()
            },
            seed: 2,
            cue_ms: 50.0,
            start: RateStart::Random,
        }
    }

    fn build(setup: &RateSetup, _limits: &EngineLimits) -> Result<RateScene, String> {
        RateScene::build(setup.clone())
    }

    fn restore(saved: RateSceneState, _limits: &EngineLimits) -> Result<RateScene, String> {
        RateScene::restore_session(saved)
    }

    fn seed(setup: &RateSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut RateSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `cue` gives the stored pattern's input current for the cue length, `random-state` sets
    /// random rates, `quiet-state` every rate to φ(0), `novel` gives a novel input for the cue length.
    fn action(verb: &RateVerb) -> Result<RateCommand, String> {
        Ok(match verb {
            RateVerb::Cue { pattern, .. } => RateCommand::Cue { pattern: *pattern },
            RateVerb::RandomState => RateCommand::RandomRates,
            RateVerb::QuietState => RateCommand::QuietRates,
            RateVerb::Novel => RateCommand::Novel,
        })
    }

    fn changes_the_run(_command: &RateCommand) -> bool {
        true
    }

    fn saved_summary(saved: &RateSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.network.rates.len(),
            synapses: Some(saved.network.synapses),
            patterns: Some(saved.network.params.patterns),
            stdp: None,
        }
    }

    fn saved_time(saved: &RateSceneState) -> f64 {
        saved.network.time_ms
    }

    fn report_text(r: &RateReport) -> String {
        let best = r
            .overlaps
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(String::new(), |(mu, m)| {
                format!(", largest overlap m_{} = {m:+.3}", mu + 1)
            });
        format!(
            "{} neurons, {} synapses, {} patterns (α = {:.3}); final state: {}{best}; mean rate {:.2} Hz\n",
            r.neurons, r.synapses, r.patterns, r.load, r.classification, r.mean_rate_hz
        )
    }

    fn summarize(summary: &mut RateSummary, frame: &RateFrame) {
        summary.take(frame);
    }

    fn report(summary: RateSummary, info: &RateInfo, _scene: &RateScene) -> RateReport {
        summary.report(info)
    }
}
