//! Model families, one folder each, registered in one list (the `families!` macro below).
//!
//! A family folder holds everything of its model: `model/` (pure: no egui, threads or files),
//! `protocol.rs` (setup, commands, info, frames), `scene.rs` (model + probes → frames, session
//! state), `record.rs` (the files a recording writes), `report.rs` or a `Report` type (what a headless
//! run reports) and `ui/` (its views and controls, the only egui code in the folder). `mod.rs` implements
//! [`Family`] and [`FamilyUi`].
//!
//! The registry turns the list into the enums everything else uses: [`SceneSetup`] (the `[scene]` of a
//! scenario file, tagged by `model`), [`SceneCommand`], [`SceneInfo`], [`SceneFrame`], [`SceneState`]
//! (a session's scene), [`SceneReport`], [`Scene`] (what the engine runs) and, for the app,
//! `SceneData`. A command for another family's scene is an error naming both.

pub mod action;
pub mod family;
#[macro_use]
pub mod family_cli;
#[macro_use]
pub mod family_experiments;
pub mod family_ui;
#[macro_use]
mod registry;

pub mod branching;
pub mod cell;
pub mod continuous;
pub mod eprop;
pub mod hebbian;
pub mod hopfield;
pub mod rate;
pub mod replay;
pub mod sampling;
pub mod spiking;

pub use action::{Action, TimelineVerb};
pub use family::{EngineLimits, Family, FamilyRecord, FamilyScene, SavedSummary, available_cores};
pub use family_cli::FamilyCli;
pub use family_experiments::{ExperimentTab, FamilyExperiments};
pub use family_ui::{FamilyUi, SpeedScale, UiCx};

/// The registry: one line per family. Adding a family is a folder and a line in this list.
macro_rules! families {
    ($callback:ident) => {
        $callback! {
            /// A classical or modern Hopfield network.
            Hopfield => hopfield::Hopfield,
            /// A recurrent spiking network (integrate-and-fire populations, STDP, the spiking memory).
            Spiking => spiking::Spiking,
            /// A firing-rate attractor network with a learning rule inferred from data.
            Rate => rate::Rate,
            /// Boltzmann distributions sampled by Gibbs chains and spiking neurons; inference and learning.
            Sampling => sampling::Sampling,
            /// One neuron at a time: Hodgkin-Huxley, AdEx, EIF and LIF under a current protocol.
            NeuronLab => cell::NeuronLab,
            /// A linear neuron learning principal components by Oja's and Sanger's rules, beside plain Hebb.
            Hebbian => hebbian::Hebbian,
            /// Continuous-state memories: the modern Hopfield network and kernel memory networks.
            Continuous => continuous::Continuous,
            /// A driven branching network: criticality, its branching ratio from a subsample, avalanches.
            Branching => branching::Branching,
            /// A recurrent spiking network trained online to a target by e-prop.
            Eprop => eprop::Eprop,
            /// A recorded run (engram's, or NEST's imported) played back with the views of a live one.
            Replay => replay::Replay,
        }
    };
}

families!(registry);
families!(registry_ui);
families!(registry_cli);
families!(registry_experiments);
