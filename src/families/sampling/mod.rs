//! The sampling family: Boltzmann machines and spiking neurons that sample a distribution.
pub mod model;
