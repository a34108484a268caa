//! The spiking family's subcommands: `engram neuron` (one noisy neuron against its theory) and
//! `engram network` (a recurrent network preset).

pub mod network;
pub mod neuron;

/// The spiking family's top-level subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SpikingCli {
    /// Simulate one integrate-and-fire neuron driven by white noise.
    Neuron(neuron::NeuronArgs),
    /// Simulate a recurrent spiking network preset.
    Network(network::NetworkArgs),
}

impl crate::families::FamilyCli for super::Spiking {
    type Cli = SpikingCli;

    fn run_cli(command: SpikingCli) -> anyhow::Result<()> {
        match command {
            SpikingCli::Neuron(args) => neuron::run(args),
            SpikingCli::Network(args) => network::run(args),
        }
    }
}
