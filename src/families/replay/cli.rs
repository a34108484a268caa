//! `engram replay RUN`: a recorded run's spikes played through once, headless: where it came from,
//! its rate, ISI CV and synchrony, the numbers the replay scene shows.

use crate::families::FamilyScene;

/// The replay family's top-level subcommand.
#[derive(Debug, clap::Subcommand)]
pub enum ReplayCli {
    /// A recorded run (engram's recording, an import, NEST's spike files or a CSV) played through:
    /// rate, ISI CV and synchrony, as the replay scene shows them.
    Replay(ReplayArgs),
}

impl crate::families::FamilyCli for super::Replay {
    type Cli = ReplayCli;

    fn run_cli(command: ReplayCli) -> anyhow::Result<()> {
        match command {
            ReplayCli::Replay(args) => run(args),
        }
    }
}

/// Flags of `engram replay`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "RUN is a recording directory (engram run --record, or engram import), a NEST output \
directory or a spike CSV (imported beside it first), or builtin:nest-cuba. In the app: Files → Open run… \
in the controls, or a scenario with model = \"replay\"."
)]
pub struct ReplayArgs {
    /// The run to play.
    pub run: std::path::PathBuf,
    /// Start of the part played, in ms.
    #[arg(long, default_value_t = 0.0)]
    pub from_ms: f64,
    /// End of the part played, in ms (default: the end of the recording).
    #[arg(long)]
    pub to_ms: Option<f64>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

fn run(args: ReplayArgs) -> anyhow::Result<()> {
    let setup = super::ReplaySetup { run: args.run };
    let mut scene = super::ReplayScene::build(setup).map_err(anyhow::Error::msg)?;
    let duration_ms = scene.run().duration_ms;
    let to_ms = args.to_ms.unwrap_or(duration_ms).min(duration_ms);
    if !(args.from_ms >= 0.0 && args.from_ms < to_ms) {
        anyhow::bail!(
            "--from-ms {} must be ≥ 0 and before --to-ms {to_ms} (the recording lasts {duration_ms} ms)",
            args.from_ms
        );
    }
    scene
        .apply(&super::ReplayCommand::Seek(args.from_ms))
        .map_err(anyhow::Error::msg)?;
    let info = scene.take_info().expect("a new scene describes itself");
    let mut summary = super::ReplaySummary::default();
    summary.take(&scene.take_frame());
    let steps = ((to_ms - args.from_ms) / info.dt_ms).round() as u64;
    scene.advance(steps).map_err(anyhow::Error::msg)?;
    summary.take(&scene.take_frame());
    let report = summary.report(&info);
    crate::output::print_report(args.json, &report, || {
        format!(
            "{}\nreplayed {:.0}–{:.0} ms: {} spikes, rate {:.2} Hz, ISI CV {:.2}, synchrony χ {}\n",
            report.source,
            args.from_ms,
            to_ms,
            report.spikes,
            report.rate_hz,
            report.cv_isi,
            report.synchrony.map_or("–".into(), |s| format!("{s:.3}"))
        )
    })
}
