//! The headless command line: one file per subcommand, readable text by default, one JSON
//! object on stdout with `--json`, progress on stderr.

pub mod hopfield;
pub mod network;
pub mod neuron;
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
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Hopfield network experiments (capacity, stability, temperature, dense).
    #[command(subcommand)]
    Hopfield(hopfield::HopfieldCommand),
    /// Simulate one integrate-and-fire neuron driven by white noise.
    Neuron(neuron::NeuronArgs),
    /// Simulate a recurrent spiking network preset.
    Network(network::NetworkArgs),
    /// Firing-rate attractor network (Pereira & Brunel 2018): retrieval, capacity, mean field.
    #[command(subcommand)]
    Rate(crate::families::rate::cli::RateCommand),
    /// Run a scenario file (or a built-in scenario) headless.
    Run(run::RunArgs),
    /// Session files saved from the app.
    #[command(subcommand)]
    Session(session::SessionCommand),
}

/// Runs one headless subcommand.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Hopfield(cmd) => hopfield::run(cmd),
        Command::Neuron(args) => neuron::run(args),
        Command::Network(args) => network::run(args),
        Command::Rate(cmd) => crate::families::rate::cli::run(cmd),
        Command::Run(args) => run::run(args),
        Command::Session(cmd) => session::run(cmd),
    }
}

pub use crate::output::{BarProgress, print_report, print_text, progress_bar};
