//! Hopfield sweeps: capacity, basins of attraction, temperature, stability.
