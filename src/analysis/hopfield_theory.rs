//! Hopfield theory: AGS capacity, mean-field overlap m = tanh(m/T), unstable-bit fraction.
