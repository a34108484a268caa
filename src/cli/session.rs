//! `engram session inspect FILE`: what a session file holds, checked as if it were opened.

use std::path::PathBuf;

use serde::Serialize;

use crate::session::{Session, read_header};

/// Session subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SessionCommand {
    /// Describe a session file (saved from the app) after checking that it opens.
    Inspect(InspectArgs),
}

/// Flags of `engram session inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The session file.
    pub file: PathBuf,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `engram session inspect` reports.
#[derive(Debug, Clone, Serialize)]
pub struct InspectReport {
    /// The file.
    pub file: String,
    /// Its size, in bytes.
    pub bytes: u64,
    /// Session format version.
    pub format: u32,
    /// The engram version that wrote it.
    pub engram: String,
    /// "hopfield" or "spiking".
    pub model: String,
    /// Name of the scenario that was loaded, if any.
    pub scenario: Option<String>,
    /// The next timeline action and its time, if any is left.
    pub next_action: Option<String>,
    /// Simulated time reached, in `time_unit`.
    pub sim_time: f64,
    /// "sweeps" or "ms".
    pub time_unit: String,
    /// Seed of the scene.
    pub seed: u64,
    /// Neurons.
    pub neurons: usize,
    /// Synapses (spiking) or stored patterns (Hopfield).
    pub synapses: Option<usize>,
    /// Stored patterns (Hopfield, spiking memory).
    pub patterns: Option<usize>,
    /// True when STDP is on (spiking).
    pub stdp: Option<bool>,
}

/// Runs a session subcommand.
pub fn run(command: SessionCommand) -> anyhow::Result<()> {
    let SessionCommand::Inspect(args) = command;
    let header = read_header(&args.file)?;
    let session = Session::open(&args.file)?;
    let file = args.file.display().to_string();
    let next_action = session.scenario.as_ref().and_then(|progress| {
        progress.scenario.timeline.get(progress.next_action).map(|a| {
            format!(
                "at {} {}: {}",
                a.at,
                header.time_unit,
                progress.scenario.scene.describe_action(&a.action)
            )
        })
    });
    let crate::families::SavedSummary {
        seed,
        neurons,
        synapses,
        patterns,
        stdp,
    } = session.scene.summary();
    // Restoring checks every length and value, as opening in the app would.
    session.restore(&file)?;
    let report = InspectReport {
        bytes: std::fs::metadata(&args.file).map_or(0, |m| m.len()),
        file,
        format: header.format,
        engram: header.engram,
        model: header.model,
        scenario: header.scenario,
        next_action,
        sim_time: header.sim_time,
        time_unit: header.time_unit,
        seed,
        neurons,
        synapses,
        patterns,
        stdp,
    };
    super::print_report(args.json, &report, || {
        let mut text = format!(
            "{}: engram session, format {} (written by engram {}), {}\n",
            report.file,
            report.format,
            report.engram,
            crate::output::byte_size(report.bytes)
        );
        text += &format!(
            "{} scene, seed {}, {} neurons",
            report.model, report.seed, report.neurons
        );
        if let Some(s) = report.synapses {
            text += &format!(", {s} synapses");
        }
        if let Some(p) = report.patterns {
            text += &format!(", {p} patterns");
        }
        if let Some(on) = report.stdp {
            text += if on { ", STDP on" } else { ", STDP off" };
        }
        text += &format!("\ntime: {} {}\n", report.sim_time, report.time_unit);
        if let Some(name) = &report.scenario {
            text += &format!(
                "scenario: {name}; next: {}\n",
                report
                    .next_action
                    .as_deref()
                    .unwrap_or("nothing left on the timeline")
            );
        }
        text
    })
}
