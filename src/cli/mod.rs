//! The headless command line: one file per subcommand, readable text by default, one JSON
//! object on stdout with `--json`, progress on stderr.

pub mod correlations;
pub mod duration;
pub mod export;
pub mod import;
pub mod run;
pub mod session;

use clap::{Parser, Subcommand};

/// engram: watch memory happen. Without a subcommand the desktop app opens.
#[derive(Debug, Parser)]
#[command(name = "engram", version, about, long_about = None)]
pub struct Cli {
    /// A headless subcommand; without one the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the app on this scene (a built-in scenario name, see `engram run --list`).
    #[arg(long, global = false)]
    pub scene: Option<String>,
    /// Start the simulation running instead of paused.
    #[arg(long)]
    pub play: bool,
    /// Open the experiments window at start.
    #[arg(long)]
    pub experiments: bool,
    /// Threads that step spiking networks in the app (default: the setting, automatically every
    /// core but one).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The families' subcommands (`hopfield`, `neuron`, `network`, `rate`, ...).
    #[command(flatten)]
    Family(crate::families::FamilyCommand),
    /// Run a scenario file (or a built-in scenario) headless.
    Run(run::RunArgs),
    /// Hawkes units on random couplings: count covariances measured beside linear response.
    Correlations(correlations::CorrelationsArgs),
    /// Write a spiking network as a bundle NEST runs (network.json, synapse arrays, run_nest.py).
    Export(export::ExportArgs),
    /// Read NEST's spike files (or a spike CSV) into engram's recording layout.
    Import(import::ImportArgs),
    /// Session files saved from the app.
    #[command(subcommand)]
    Session(session::SessionCommand),
}

/// Runs one headless subcommand.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Family(cmd) => cmd.run(),
        Command::Run(args) => run::run(args),
        Command::Correlations(args) => correlations::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Session(cmd) => session::run(cmd),
    }
}

pub use crate::output::{BarProgress, print_report, print_text, progress_bar};
