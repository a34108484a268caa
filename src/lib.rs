//! engram: a desktop lab where you watch memory happen.
//!
//! - [`hopfield`]: classical and modern Hopfield networks (patterns, learning rules, dynamics, energy).
//! - [`spiking`]: integrate-and-fire neurons, sparse E/I networks, STDP and a spiking attractor memory.
//! - [`analysis`]: spike statistics and theory (AGS capacity, mean field, Siegert, Fokker-Planck).
//! - [`experiments`]: sweeps shared by the command line and the app, with progress callbacks.
//! - [`engine`]: the simulation thread; it talks to the app only through bounded channels.
//! - [`app`]: the eframe desktop app; it sends commands and draws snapshots, never steps a model.
//! - [`cli`]: the headless subcommands (text by default, one JSON object with `--json`).
//! - [`session`]: a whole run (scenario, parameters, weights, state) saved as one file and reopened.
//!
//! The science modules know nothing of egui, threads or files and are deterministic for a seed
//! ([`rng::SimRng`]). See `ARCHITECTURE.md` for the code map and invariants.

pub mod analysis;
pub mod app;
mod blob;
pub mod cli;
pub mod engine;
pub mod experiments;
pub mod files;
pub mod hopfield;
pub mod recording;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod spiking;
