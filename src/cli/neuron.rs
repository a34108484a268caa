//! `engram neuron`: one integrate-and-fire neuron driven by white noise.

/// Flags of `engram neuron`.
#[derive(Debug, clap::Args)]
pub struct NeuronArgs {}

/// Runs `engram neuron`.
pub fn run(_args: NeuronArgs) -> anyhow::Result<()> {
    anyhow::bail!("the neuron command is being built (issue 3)")
}
