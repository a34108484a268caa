//! Replay: a recorded run played back in the app with the views of a live spiking run (raster,
//! population rates, ISI and CV, synchrony) and play, pause and seek over its time. The run is
//! engram's own recording, an import of NEST's spike files or a CSV (converted on first open), or the
//! run engram ships (`builtin:nest-cuba`); the header says where it came from.
//!
//! `run.rs` reads a run; `scene.rs` moves the playhead; `protocol.rs` holds the setup, commands, info
//! and frames; `record.rs` and `report.rs` what a recording and `engram run` take from it; `cli.rs`
//! is `engram replay`; `ui/` the views.

pub mod cli;
pub mod protocol;
pub mod record;
pub mod report;
pub mod run;
pub mod scene;
pub mod ui;

pub use protocol::*;
pub use report::{ReplayReport, ReplaySummary};
pub use run::RecordedRun;
pub use scene::{ReplayScene, ReplaySceneState};

use super::{EngineLimits, Family, SavedSummary};

/// The replay family's entry in the registry.
pub struct Replay;

impl Family for Replay {
    const ID: &'static str = "replay";
    const SCENARIOS: &'static [(&'static str, &'static str)] = &[(
        "nest-replay",
        include_str!("../../../assets/scenarios/nest-replay.toml"),
    )];
    const TIME_UNIT: &'static str = "ms";
    const DEFAULT_DURATION: f64 = 1000.0;
    type Setup = ReplaySetup;
    type Command = ReplayCommand;
    type Verb = ReplayVerb;
    type Info = ReplayInfo;
    type Frame = ReplayFrame;
    type Saved = ReplaySceneState;
    type Scene = ReplayScene;
    type Summary = ReplaySummary;
    type Report = ReplayReport;
    type Record = record::ReplayRecord;

    fn example_setup() -> ReplaySetup {
        ReplaySetup {
            run: "builtin:nest-cuba".into(),
        }
    }

    fn build(setup: &ReplaySetup, _limits: &EngineLimits) -> Result<ReplayScene, String> {
        ReplayScene::build(setup.clone())
    }

    fn restore(saved: ReplaySceneState, _limits: &EngineLimits) -> Result<ReplayScene, String> {
        ReplayScene::restore_session(saved)
    }

    /// A replay has no randomness: its seed is always 0.
    fn seed(_setup: &ReplaySetup) -> u64 {
        0
    }

    fn set_seed(_setup: &mut ReplaySetup, _seed: u64) {}

    fn action(verb: &ReplayVerb) -> Result<ReplayCommand, String> {
        Ok(match verb {
            ReplayVerb::Seek { to_ms } => ReplayCommand::Seek(*to_ms),
        })
    }

    fn saved_summary(saved: &ReplaySceneState) -> SavedSummary {
        SavedSummary {
            seed: 0,
            neurons: saved.neurons,
            synapses: None,
            patterns: None,
            stdp: None,
        }
    }

    fn saved_time(saved: &ReplaySceneState) -> f64 {
        saved.time_ms
    }

    /// Seeking only moves the playhead: the recording itself never changes.
    fn changes_the_run(_command: &ReplayCommand) -> bool {
        false
    }

    fn report_text(r: &ReplayReport) -> String {
        format!(
            "{}\nreplayed {:.0} ms: {} spikes, rate {:.2} Hz, ISI CV {:.2}, synchrony χ {}\n",
            r.source,
            r.replayed_ms,
            r.spikes,
            r.rate_hz,
            r.cv_isi,
            r.synchrony.map_or("–".into(), |s| format!("{s:.3}"))
        )
    }

    fn summarize(summary: &mut ReplaySummary, frame: &ReplayFrame) {
        summary.take(frame);
    }

    fn report(summary: ReplaySummary, info: &ReplayInfo, _scene: &ReplayScene) -> ReplayReport {
        summary.report(info)
    }
}
