//! `engram network`: a recurrent spiking network preset.

/// Flags of `engram network`.
#[derive(Debug, clap::Args)]
pub struct NetworkArgs {}

/// Runs `engram network`.
pub fn run(_args: NetworkArgs) -> anyhow::Result<()> {
    anyhow::bail!("the network command is being built (issue 3)")
}
