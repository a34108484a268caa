//! e-prop: a recurrent spiking network trained online to a target (Bellec et al. 2020).

pub mod model;
