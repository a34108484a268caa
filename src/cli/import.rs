//! `engram import PATH`: NEST's spike files (a directory) or a two-column CSV read into engram's
//! recording layout beside them (see [`crate::recording::import`]).

use std::path::PathBuf;

use crate::recording::import::{ImportOptions, import_spikes};

/// Flags of `engram import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "PATH is a directory of NEST ASCII spike files (spikes-*.dat, one per virtual process, with \
run.json from engram's run_nest.py: exactly its virtual_processes files are required) or a CSV file with the \
columns senders,times (NEST Desktop) or neuron,time_ms. Spikes are merged by time and written as \
spike_neurons.npy (NEST id − 1), spike_times_ms.npy and metadata.json beside the input; NEST's end-of-step \
stamps are moved to the start of the step."
)]
pub struct ImportArgs {
    /// A NEST output directory or a CSV file.
    pub path: PathBuf,
    /// The run's step, in ms (else run.json's).
    #[arg(long)]
    pub dt_ms: Option<f64>,
    /// Neurons of the network: a sender beyond them is an error.
    #[arg(long)]
    pub neurons: Option<usize>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Runs `engram import`.
pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let summary = import_spikes(
        &args.path,
        ImportOptions {
            dt_ms: args.dt_ms,
            neurons: args.neurons,
        },
    )
    .map_err(anyhow::Error::msg)?;
    crate::cli::print_report(args.json, &summary, || {
        let run = match (summary.processes, summary.threads) {
            (Some(p), Some(t)) => format!(", {}", crate::recording::import::processes_and_threads(p, t)),
            _ => String::new(),
        };
        format!(
            "{}{run}: {} spikes of {} neurons over {:.1} ms from {} file(s); mean rate {:.2} Hz, mean ISI CV {:.2}; written to {}\n",
            summary.source,
            summary.spikes,
            summary.neurons,
            summary.duration_ms,
            summary.files.len(),
            summary.mean_rate_hz,
            summary.mean_cv,
            summary.dir.display()
        )
    })
}
