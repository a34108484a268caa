//! The headless command line: one file per subcommand, readable text by default, one JSON
//! object on stdout with `--json`, progress on stderr.

pub mod hopfield;
pub mod network;
pub mod neuron;
pub mod rate;
pub mod run;
pub mod session;

use clap::{Parser, Subcommand};
use std::io::Write;

use serde::Serialize;

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
    Rate(rate::RateCommand),
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
        Command::Rate(cmd) => rate::run(cmd),
        Command::Run(args) => run::run(args),
        Command::Session(cmd) => session::run(cmd),
    }
}

/// Prints a report: one JSON object on stdout with `json`, otherwise the readable `text`.
pub fn print_report<R: Serialize>(
    json: bool,
    report: &R,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let out = if json {
        format!("{}\n", serde_json::to_string_pretty(report)?)
    } else {
        text()
    };
    print_text(&out)
}

/// Writes `text` to stdout; a reader that stopped early (`engram ... | head`) is not an error.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A progress bar on stderr for `total` units of work (hidden when stderr is not a terminal).
pub fn progress_bar(total: usize, message: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

/// Adapts an indicatif progress bar to the experiments' [`crate::experiments::Progress`].
pub struct BarProgress(pub indicatif::ProgressBar);

impl crate::experiments::Progress for BarProgress {
    fn advance(&mut self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }
}
