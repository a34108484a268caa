//! Continuous and kernel memories: the modern Hopfield network with continuous states (Ramsauer et
//! al. 2020: ξ ← Ξ softmax(β Ξᵀξ), energy −lse(β, Ξᵀξ) + ½ξᵀξ) on grey-level letters or Gaussian
//! vectors, one-step retrieval at large β and metastable averages at small β; and kernel memory
//! networks (Iatropoulos, Brea & Gerstner 2022), ξ ← Ξ K⁻¹ k(ξ), whose linear kernel is the
//! pseudo-inverse rule, whose Hebbian limit is the classical network, and whose Gaussian kernel holds
//! far more continuous patterns than neurons.
//!
//! `model/` is the pure patterns, memories and the recall measurement; `scene.rs` updates the state
//! once per step; `protocol.rs` holds the setup, commands, info and frames; `record.rs` its
//! recording columns; `report.rs` what `engram run` reports; `cli.rs` the `engram continuous ...`
//! subcommands; `ui/` its views, controls and the capacity experiment.

pub mod cli;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{ContinuousReport, ContinuousSummary};
pub use scene::{ContinuousScene, ContinuousSceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The continuous-memory family's entry in the registry.
pub struct Continuous;

impl Family for Continuous {
    const ID: &'static str = "continuous";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[(
        "continuous-memory",
        include_str!("../../../assets/scenarios/continuous-memory.toml"),
    )];
    const TIME_UNIT: &'static str = "updates";
    const DEFAULT_DURATION: f64 = 20.0;
    type Setup = ContinuousSetup;
    type Command = ContinuousCommand;
    type Verb = ContinuousVerb;
    type Info = ContinuousInfo;
    type Frame = ContinuousFrame;
    type Saved = ContinuousSceneState;
    type Scene = ContinuousScene;
    type Summary = ContinuousSummary;
    type Report = ContinuousReport;
    type Record = record::ContinuousRecord;

    fn example_setup() -> ContinuousSetup {
        ContinuousSetup::default()
    }

    fn validate_setup(setup: &ContinuousSetup) -> Result<(), String> {
        setup
            .memory
            .validate()
            .map_err(|e| format!("[scene.memory] {e}"))?;
        model::ContinuousPatterns::new(&setup.patterns, setup.seed)
            .map(|_| ())
            .map_err(|e| format!("[scene.patterns] {e}"))
    }

    fn build(setup: &ContinuousSetup, _limits: &EngineLimits) -> Result<ContinuousScene, String> {
        ContinuousScene::build(setup.clone())
    }

    fn restore(saved: ContinuousSceneState, _limits: &EngineLimits) -> Result<ContinuousScene, String> {
        ContinuousScene::restore_session(saved)
    }

    fn seed(setup: &ContinuousSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut ContinuousSetup, seed: u64) {
        setup.seed = seed;
    }

    /// `cue` sets the state to a noisy (or half-blanked) stored pattern, `beta` sets β, `kernel`
    /// switches the kernel.
    fn action(verb: &ContinuousVerb) -> Result<ContinuousCommand, String> {
        Ok(match verb {
            ContinuousVerb::Cue {
                pattern,
                noise,
                mask_half,
            } => ContinuousCommand::Cue(CueParams {
                pattern: *pattern,
                noise: *noise,
                mask_half: *mask_half,
            }),
            ContinuousVerb::Beta { value } => ContinuousCommand::SetBeta(*value),
            ContinuousVerb::Kernel { kernel } => ContinuousCommand::SetKernel(*kernel),
        })
    }

    fn saved_summary(saved: &ContinuousSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.state.len(),
            synapses: None,
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &ContinuousSceneState) -> f64 {
        saved.updates as f64
    }

    fn report_text(r: &ContinuousReport) -> String {
        let best = r
            .cosines
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(String::new(), |(mu, c)| {
                format!("closest to pattern {} (cosine {c:.4})", mu + 1)
            });
        let energy = r
            .energy_trace
            .last()
            .map_or(String::new(), |e| format!(", energy {:.3}", e[1]));
        format!(
            "{}, {} patterns of {} values, β = {}: after {:.0} updates {best}{}; last step moved {:.2e}{energy}\n",
            r.kernel,
            r.patterns,
            r.n,
            r.beta,
            r.updates,
            match r.retrieved {
                Some(mu) => format!(" = pattern {}", mu + 1),
                None => " (no single pattern)".into(),
            },
            r.last_move
        )
    }

    fn summarize(summary: &mut ContinuousSummary, frame: &ContinuousFrame) {
        summary.take(frame);
    }

    fn report(
        summary: ContinuousSummary,
        info: &ContinuousInfo,
        _scene: &ContinuousScene,
    ) -> ContinuousReport {
        summary.report(info)
    }
}
