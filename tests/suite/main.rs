//! The integration tests, one binary (each area a module): one link of the crate and egui instead of one per file.

mod app_experiments;
mod app_matches_headless;
mod app_teaching;
mod app_ui;
mod atomic_save;
mod bad_input;
mod branching_theory;
mod bundle;
mod cli_contract;
mod common;
mod engine_protocol;
mod eprop;
mod families;
mod hopfield_theory;
mod linear_response;
mod nest_import;
mod properties;
mod recording;
mod replay;
mod scenarios;
mod sessions;
mod soak;
mod spiking_memory;
mod spiking_theory;
