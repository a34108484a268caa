//! `engram run SCENARIO`: runs a scenario file (or a built-in one by name) headless.

use std::path::PathBuf;

use anyhow::Context;

use crate::engine::headless::{RunObserver, RunReport, run_scenario_observed};
use crate::recording::{RecordMetadata, RecordSummary, Recorder};
use crate::scenario::Scenario;

/// Flags of `engram run`.
#[derive(Debug, clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct RunArgs {
    /// A scenario file (TOML), or the name of a built-in scenario (see --list).
    pub scenario: Option<PathBuf>,
    /// How long to run: `2s`, `500ms` or `30sweeps`; a bare number is in the scene's time unit
    /// (sweeps for Hopfield scenes, ms for the others).
    #[arg(long)]
    pub duration: Option<super::duration::DurationArg>,
    /// Seed; overrides the scenario's own.
    #[arg(long)]
    pub seed: Option<u64>,
    /// List the built-in scenarios and exit.
    #[arg(long)]
    pub list: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Record the run into this directory (new or empty): spikes, rates, traces or overlaps and
    /// states as CSV and NumPy .npy files, plus metadata.json to reproduce it.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
}

/// Runs `engram run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    if args.list {
        let list: String = crate::scenario::builtin()
            .iter()
            .map(|(name, scenario)| format!("{name:24} {}\n", scenario.name))
            .collect();
        return super::print_text(&list);
    }
    let Some(path) = args.scenario else {
        anyhow::bail!("name a scenario file or a built-in scenario (engram run --list shows them)");
    };
    let mut scenario = load(&path)?;
    let duration = args
        .duration
        .map(|d| d.in_scene_unit(scenario.scene.time_unit()))
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    if let Some(duration) = duration {
        crate::scenario::check_duration(duration).map_err(|e| anyhow::anyhow!("--{e}"))?;
    }
    if let Some(seed) = args.seed {
        scenario.scene.set_seed(seed);
    }
    let mut recorder = match &args.record {
        Some(dir) => {
            let seed = scenario.scene.seed();
            let metadata = RecordMetadata {
                scenario: Some(scenario.clone()),
                seed,
                duration,
                command_line: std::env::args().collect(),
            };
            Some(Recorder::create(dir, &metadata)?)
        }
        None => None,
    };
    let bar = super::progress_bar(100, &scenario.name);
    let observer = recorder.as_mut().map(|r| r as &mut dyn RunObserver);
    let report = run_scenario_observed(
        &scenario,
        duration,
        |done, total| {
            bar.set_position((100.0 * done / total.max(1e-12)) as u64);
        },
        observer,
    );
    bar.finish_and_clear();
    let report = report.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let recorded = match recorder {
        Some(recorder) => {
            let mut report_json = serde_json::to_value(&report).ok();
            // The energy trace is already in overlaps.csv, sample by sample.
            if let Some(hopfield) = report_json
                .as_mut()
                .and_then(|r| r.get_mut("hopfield"))
                .and_then(|h| h.as_object_mut())
            {
                hopfield.remove("energy_trace");
            }
            let summary = RecordSummary {
                sim_time: report.sim_time,
                time_unit: report.time_unit.to_string(),
                report: report_json,
            };
            Some(recorder.finish(&summary)?)
        }
        None => None,
    };
    super::print_report(args.json, &report, || text(&report))?;
    if let Some(dir) = recorded {
        // On stderr, so that --json keeps one object on stdout.
        eprintln!("recorded to {}", dir.display());
    }
    Ok(())
}

/// Reads a scenario from a file, or a built-in one by name.
pub(crate) fn load(path: &PathBuf) -> anyhow::Result<Scenario> {
    if !path.exists()
        && let Some((_, scenario)) = crate::scenario::builtin()
            .into_iter()
            .find(|(name, _)| path.as_os_str() == name.as_str())
    {
        return Ok(scenario);
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    Ok(Scenario::parse(&text, &path.display().to_string())?)
}

fn text(report: &RunReport) -> String {
    let mut out = format!(
        "{} ({}, seed {}): {:.1} {} in {:.3} s of wall time ({:.0} steps/s)\n",
        report.scenario,
        report.model,
        report.seed,
        report.sim_time,
        report.time_unit,
        report.wall_s,
        report.steps_per_s
    );
    for action in &report.actions {
        out += &format!("  {action}\n");
    }
    out += &report.observables.text();
    out
}
