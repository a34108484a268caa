//! Integrate-and-fire neurons, sparse excitatory/inhibitory networks, STDP and a spiking memory.
