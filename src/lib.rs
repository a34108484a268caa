//! engram: a desktop lab where you watch memory happen.
//!
//! - [`families`]: one folder per model family (model, scene, protocol, recording columns, report,
//!   views), registered in one list; [`hopfield`] and [`spiking`] name the two families' models.
//! - [`analysis`]: spike statistics and theory (AGS capacity, mean field, Siegert, Fokker-Planck).
//! - [`progress`]: how a long sweep reports progress and hears a cancel.
//! - [`engine`]: the simulation thread; it talks to the app only through bounded channels.
//! - [`app`]: the eframe desktop app; it sends commands and draws snapshots, never steps a model.
//! - [`cli`]: the headless shell (`run`, `session`; each family's subcommands come from the registry).
//! - [`session`]: a whole run (scenario, parameters, weights, state) saved as one file and reopened.
//!
//! The science modules know nothing of egui, threads or files and are deterministic for a seed
//! ([`rng::SimRng`]). See `ARCHITECTURE.md` for the code map and invariants.

pub mod analysis;
pub mod app;
mod blob;
pub mod cli;
pub mod engine;
pub mod families;
pub mod files;
pub mod output;
pub mod progress;
pub mod recording;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod views;

/// The Hopfield family's model (classical and modern networks), at its short path.
pub use families::hopfield::model as hopfield;
/// The spiking family's model (integrate-and-fire networks, STDP, the spiking memory), at its short path.
pub use families::spiking::model as spiking;
