//! Classical and modern Hopfield networks: patterns, learning rules, dynamics, energy, overlaps.
