//! `engram hopfield ...`: capacity, stability, temperature and dense-network experiments.

use clap::Subcommand;

/// Hopfield subcommands.
#[derive(Debug, Subcommand)]
pub enum HopfieldCommand {
    /// Retrieval versus load alpha = P/N.
    Capacity,
}

/// Runs a Hopfield subcommand.
pub fn run(_command: HopfieldCommand) -> anyhow::Result<()> {
    anyhow::bail!("the Hopfield commands are being built (issue 2)")
}
