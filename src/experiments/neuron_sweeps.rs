//! Single-neuron sweeps: f-I curves with and without noise, membrane-potential histograms.
