//! The spiking family: leaky and exponential integrate-and-fire populations with sparse coupling
//! (CUBA, Brunel's model A, an E/I network, unconnected neurons), pair-based STDP, and the spiking
//! attractor memory that stores (or learns by STDP) the Hopfield letters.
//!
//! `model/` is the pure network; `scene.rs` wraps it with the probes the views and recordings
//! read; `protocol.rs` holds its setup, commands, info and frames; `record.rs` its recording
//! columns; `report.rs` what `engram run` reports; `ui/` its views and controls.

pub mod bundle;
pub mod cli;
pub mod correlations;
pub mod model;
pub mod protocol;
pub mod record;
pub mod report;
pub mod scene;
pub mod sweeps;
pub mod ui;

pub use protocol::*;
pub use report::{MemoryReport, SpikingReport, SpikingSummary};
pub use scene::{MemorySceneState, SpikingScene, SpikingSceneState};

use super::{EngineLimits, Family, SavedSummary};
use crate::families::hopfield::Cue;

/// The spiking family's entry in the registry.
pub struct Spiking;

impl Family for Spiking {
    const ID: &'static str = "spiking";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[
        (
            "single-neuron",
            include_str!("../../../assets/scenarios/single-neuron.toml"),
        ),
        ("cuba", include_str!("../../../assets/scenarios/cuba.toml")),
        (
            "spiking-memory",
            include_str!("../../../assets/scenarios/spiking-memory.toml"),
        ),
        (
            "stdp-learning",
            include_str!("../../../assets/scenarios/stdp-learning.toml"),
        ),
        (
            "brunel-ai",
            include_str!("../../../assets/scenarios/brunel-ai.toml"),
        ),
        (
            "brunel-sr",
            include_str!("../../../assets/scenarios/brunel-sr.toml"),
        ),
        (
            "ei-network",
            include_str!("../../../assets/scenarios/ei-network.toml"),
        ),
        (
            "correlations",
            include_str!("../../../assets/scenarios/correlations.toml"),
        ),
    ];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 1000.0;
    type Setup = SpikingSetup;
    type Command = SpikingCommand;
    type Verb = SpikingVerb;
    type Info = SpikingInfo;
    type Frame = SpikingFrame;
    type Saved = SpikingSceneState;
    type Scene = SpikingScene;
    type Summary = SpikingSummary;
    type Report = SpikingReport;
    type Record = record::SpikingRecord;

    fn example_setup() -> SpikingSetup {
        SpikingSetup {
            preset: model::Preset::Cuba,
            n_neurons: Some(400),
            in_degree: None,
            seed: 2,
            memory: None,
            view: Default::default(),
        }
    }

    fn build(setup: &SpikingSetup, limits: &EngineLimits) -> Result<SpikingScene, String> {
        let mut scene = SpikingScene::build(setup.clone())?;
        scene.set_max_pending_spikes(limits.max_pending_spikes);
        scene.set_threads(limits.threads);
        Ok(scene)
    }

    fn restore(saved: SpikingSceneState, limits: &EngineLimits) -> Result<SpikingScene, String> {
        let mut scene = SpikingScene::restore_session(saved)?;
        scene.set_max_pending_spikes(limits.max_pending_spikes);
        scene.set_threads(limits.threads);
        Ok(scene)
    }

    fn seed(setup: &SpikingSetup) -> u64 {
        setup.seed
    }

    fn set_seed(setup: &mut SpikingSetup, seed: u64) {
        setup.seed = seed;
    }

    fn action(verb: &SpikingVerb) -> Result<SpikingCommand, String> {
        Ok(match verb {
            SpikingVerb::Cue { pattern, flip } => SpikingCommand::Cue(Cue::Corrupted {
                pattern: *pattern,
                flip: *flip,
            }),
            SpikingVerb::RandomState => SpikingCommand::Cue(Cue::Random),
            SpikingVerb::Stdp { on, params } => {
                SpikingCommand::SetStdp(on.then(|| params.unwrap_or_default()))
            }
        })
    }

    fn changes_the_run(command: &SpikingCommand) -> bool {
        !matches!(
            command,
            SpikingCommand::RecordNeurons(_)
                | SpikingCommand::ShowCorrelations(_)
                | SpikingCommand::Export { .. }
        )
    }

    fn saved_summary(saved: &SpikingSceneState) -> SavedSummary {
        SavedSummary {
            seed: saved.setup.seed,
            neurons: saved.network.v.len(),
            synapses: Some(saved.network.targets.len()),
            patterns: saved.memory.as_ref().map(|m| m.memory.patterns.len()),
            stdp: Some(saved.network.stdp.is_some()),
        }
    }

    fn saved_time(saved: &SpikingSceneState) -> f64 {
        saved.network.steps as f64 * saved.network.params.dt_ms
    }

    fn report_text(s: &SpikingReport) -> String {
        let mut out = format!(
            "{} neurons, {} synapses, {} spikes, {:.2} Hz, ISI CV {:.2} (mean of per-neuron CVs)\n",
            s.neurons, s.synapses, s.spikes, s.rate_hz, s.cv_isi
        );
        for (name, rate) in &s.population_rates_hz {
            out += &format!("  {name}: {rate:.2} Hz\n");
        }
        out
    }

    fn summarize(summary: &mut SpikingSummary, frame: &SpikingFrame) {
        summary.take(frame);
    }

    fn report(summary: SpikingSummary, info: &SpikingInfo, scene: &SpikingScene) -> SpikingReport {
        summary.report(info, scene)
    }
}
