//! The scenes in the preset menu, each with a short explanation for a class.

use crate::engine::{HopfieldSetup, HopfieldUpdate, PatternSource, SceneSetup, SpikingSetup};
use crate::hopfield::{DenseUpdate, LearningRule};
use crate::spiking::Preset as NetworkPreset;

/// A scene in the preset menu.
pub struct ScenePreset {
    /// Menu name.
    pub name: &'static str,
    /// Two or three sentences shown under the menu.
    pub text: &'static str,
    /// The scene it loads.
    pub setup: SceneSetup,
}

fn letters(labels: &[&str]) -> PatternSource {
    PatternSource::Builtin { set: "letters".into(), labels: labels.iter().map(|s| s.to_string()).collect() }
}

/// Every preset, in menu order (keys 1–9 load them).
pub fn all() -> Vec<ScenePreset> {
    vec![
        ScenePreset {
            name: "Pattern completion",
            text: "Five letters are stored with the Hebbian rule. The network starts from a smudged copy of \
                   one of them and, flipping one neuron at a time, slides down the energy until the letter is \
                   clean again. Paint on the grid to make your own smudge.",
            setup: SceneSetup::Hopfield(HopfieldSetup::default()),
        },
        ScenePreset {
            name: "Capacity",
            text: "Random patterns on 256 neurons. Below about 0.138 N patterns (35 here) every memory is a \
                   stable valley; store more with 'Store current state' or rebuild with more patterns and \
                   watch recall collapse into spurious mixtures.",
            setup: SceneSetup::Hopfield(HopfieldSetup {
                patterns: PatternSource::Random { width: 16, height: 16, count: 30 },
                cue_flip: 0.2,
                ..HopfieldSetup::default()
            }),
        },
        ScenePreset {
            name: "Temperature",
            text: "Glauber dynamics: each neuron is on with probability 1/(1+exp(-2h/T)). Below T = 1 the \
                   memory survives the noise with overlap m solving m = tanh(m/T); drag T above 1 and watch \
                   the memory melt.",
            setup: SceneSetup::Hopfield(HopfieldSetup {
                patterns: letters(&["A", "E", "H"]),
                temperature: 0.5,
                cue_flip: 0.1,
                ..HopfieldSetup::default()
            }),
        },
        ScenePreset {
            name: "Modern Hopfield",
            text: "All 26 letters on 256 neurons: far beyond the classical limit of about 35 random patterns, \
                   and letters are strongly correlated. The dense (softmax) update still recalls them; lower \
                   beta and the network settles on averages of similar letters.",
            setup: SceneSetup::Hopfield(HopfieldSetup {
                patterns: letters(&[]),
                update: HopfieldUpdate::Dense(DenseUpdate::Softmax { beta: 0.5 }),
                cue_flip: 0.25,
                ..HopfieldSetup::default()
            }),
        },
        ScenePreset {
            name: "Learning rules",
            text: "Ten letters overload the Hebbian rule: letters share many pixels, so their memories merge. \
                   Switch the rule to Storkey or pseudo-inverse and the same cue recalls the right letter.",
            setup: SceneSetup::Hopfield(HopfieldSetup {
                patterns: letters(&["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]),
                rule: LearningRule::Hebb,
                cue_flip: 0.15,
                ..HopfieldSetup::default()
            }),
        },
        ScenePreset {
            name: "CUBA network",
            text: "The Vogels-Abbott benchmark: 3200 excitatory and 800 inhibitory integrate-and-fire neurons, \
                   2% random connections, current-based synapses. Inhibition balances excitation and the \
                   network fires irregularly at a few spikes per second.",
            setup: SceneSetup::Spiking(SpikingSetup::default()),
        },
        ScenePreset {
            name: "Balanced: asynchronous irregular",
            text: "Brunel's model A with strong inhibition (g = 5) and external drive twice threshold: neurons \
                   fire irregularly (CV near 1) and the population rate is flat. 5000 neurons.",
            setup: SceneSetup::Spiking(SpikingSetup {
                preset: NetworkPreset::BrunelAi,
                n_neurons: Some(5000),
                seed: 1,
            }),
        },
        ScenePreset {
            name: "Balanced: synchronous regular",
            text: "The same network with weak inhibition (g = 3): excitation wins, neurons fire fast and \
                   regularly, and the population rate oscillates. Compare the raster with the previous scene.",
            setup: SceneSetup::Spiking(SpikingSetup {
                preset: NetworkPreset::BrunelSr,
                n_neurons: Some(5000),
                seed: 1,
            }),
        },
        ScenePreset {
            name: "E/I network",
            text: "Excitatory and inhibitory populations with dense, cell-type-specific connection \
                   probabilities (p_EE 0.16, p_EI 0.244, p_IE 0.318, p_II 0.343).",
            setup: SceneSetup::Spiking(SpikingSetup { preset: NetworkPreset::Ei, n_neurons: None, seed: 1 }),
        },
    ]
}
