//! Integrate-and-fire neurons, sparse excitatory/inhibitory networks and their presets.

pub mod memory;
pub mod network;
pub mod neuron;
pub mod presets;

pub use memory::{MemoryParams, SpikingMemory, SpikingMemoryState};
pub use network::{
    Connectivity, ConnectivityState, ExternalDrive, MAX_THREADS, NEURONS_PER_STREAM, Network, NetworkParams,
    NetworkState, PhaseTimes, PopulationInfo, PopulationKind, PopulationParams, StdpParams, StdpState,
    SynapseModel,
};
pub use neuron::{NeuronModel, NeuronParams, NoisyNeuron};
pub use presets::Preset;

/// Why a spiking network could not be built, changed or run on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpikingError {
    /// A parameter is out of range or inconsistent with another.
    #[error("{0}")]
    Params(String),
    /// The simulation diverged (NaN or runaway activity).
    #[error("the simulation diverged: {0}")]
    Diverged(String),
}
