//! Property tests of the file readers and the parameter validators: arbitrary text, arbitrary
//! mutations of the shipped scenarios, arbitrary bytes and arbitrary numbers (NaN, infinities,
//! negatives, huge values) are either accepted or refused with a message, never a panic; and what
//! is accepted can be built and stepped.

use proptest::prelude::*;
use proptest::test_runner::Config;

use engram::engine::SceneSetup;
use engram::families::Scene;
use engram::families::hopfield::{HopfieldSetup, HopfieldUpdate, PatternSource};
use engram::hopfield::{DenseUpdate, LearningRule, PatternSet};
use engram::scenario::{Scenario, builtin_texts};
use engram::spiking::{
    Connectivity, Network, NetworkParams, NeuronModel, NeuronParams, NoisyNeuron, Preset, SynapseModel,
};

/// Any f64, with the awkward ones (NaN, ±inf, 0, −0, huge, tiny) drawn often.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => proptest::num::f64::ANY,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(1e308),
        1 => Just(-1e308),
        1 => Just(1e-300),
        1 => Just(f64::MIN_POSITIVE),
        4 => -100.0..100.0f64,
    ]
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn arbitrary_text_never_panics_the_scenario_reader(text in "\\PC*") {
        let _ = Scenario::parse(&text, "any.toml");
    }

    #[test]
    fn toml_like_text_never_panics_the_scenario_reader(
        text in "(format|name|duration|scene|model|preset|seed|\\[scene\\]|\\[\\[timeline\\]\\]|at|action|do|=|\"|\\{|\\}|nan|inf|-|1e308|[0-9]{1,25}|\\.|\n| )*"
    ) {
        if let Err(e) = Scenario::parse(&text, "any.toml") {
            prop_assert!(e.to_string().starts_with("any.toml"));
        }
    }

    #[test]
    fn mutated_shipped_scenarios_are_read_or_refused_with_the_file_name(
        which in 0..builtin_texts().len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, "\\PC{0,6}"), 1..4),
    ) {
        let mut text = builtin_texts()[which].1.to_string();
        for (at, kind, insert) in edits {
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            match kind {
                // Truncate.
                0 => text.truncate(cut),
                // Insert.
                1 => text.insert_str(cut, &insert),
                // Delete a few characters.
                2 => {
                    let mut end = (cut + insert.len().max(1)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(cut..end, "");
                }
                // Replace the number at the cut, if any, by an extreme one.
                _ => {
                    let end = text[cut..]
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .map_or(text.len(), |e| cut + e);
                    text.replace_range(cut..end, ["nan", "-inf", "1e308", "-1", "99999999999999999999"][insert.len() % 5]);
                }
            }
        }
        match Scenario::parse(&text, "mutated.toml") {
            Ok(scenario) => {
                // What the reader accepts is in range.
                if let Some(d) = scenario.duration {
                    prop_assert!(d.is_finite() && d > 0.0);
                }
                if let SceneSetup::Hopfield(h) = &scenario.scene {
                    prop_assert!(h.temperature.is_finite() && h.temperature >= 0.0);
                    prop_assert!((0.0..=1.0).contains(&h.cue_flip));
                }
                // And it round-trips.
                let again = Scenario::parse(&scenario.to_toml(), "again.toml");
                prop_assert!(again.is_ok(), "{:?}", again.err());
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(message.starts_with("mutated.toml"), "{}", message);
                prop_assert!(!message.contains('\n'), "{}", message);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_pattern_readers(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = PatternSet::parse(&text, "any.txt");
        let _ = PatternSet::from_png(&bytes, "any.png");
    }

    #[test]
    fn pattern_like_text_is_read_consistently_or_refused_with_a_line(
        text in "(size [0-9]{1,4}x[0-9]{1,4}\n|= [a-c]\n|[#.]{0,5}\n|// c\n|\n|x)*"
    ) {
        match PatternSet::parse(&text, "any.txt") {
            Ok(set) => {
                prop_assert!(!set.is_empty());
                prop_assert_eq!(set.labels.len(), set.patterns.len());
                for p in &set.patterns {
                    prop_assert_eq!(p.len(), set.width * set.height);
                    prop_assert!(p.iter().all(|&s| s == 1 || s == -1));
                }
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(message.starts_with("any.txt, line "), "{}", message);
            }
        }
    }

    #[test]
    fn png_bytes_with_a_valid_signature_never_panic(tail in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.extend(tail);
        let _ = PatternSet::from_png(&bytes, "any.png");
    }
}

fn neuron_params() -> impl Strategy<Value = NeuronParams> {
    (
        any::<bool>(),
        any_f64(),
        any_f64(),
        any_f64(),
        any_f64(),
        any_f64(),
        any_f64(),
        any_f64(),
    )
        .prop_map(
            |(eif, delta_t, v_t, tau_m, rest, threshold, reset, tau_ref)| NeuronParams {
                model: if eif {
                    NeuronModel::Eif {
                        delta_t_mv: delta_t,
                        v_t_mv: v_t,
                    }
                } else {
                    NeuronModel::Lif
                },
                tau_m_ms: tau_m,
                v_rest_mv: rest,
                v_threshold_mv: threshold,
                v_reset_mv: reset,
                tau_ref_ms: tau_ref,
            },
        )
}

/// A small valid network's parameters with one value replaced by an arbitrary number.
fn network_params() -> impl Strategy<Value = NetworkParams> {
    (0..16usize, any_f64(), any::<bool>()).prop_map(|(field, value, brunel)| {
        let preset = if brunel { Preset::BrunelAi } else { Preset::Cuba };
        let mut params = Network::from_preset(preset, Some(50), 1)
            .expect("a small preset")
            .params()
            .clone();
        let population = &mut params.populations[field % 2];
        match field {
            0 => params.dt_ms = value,
            1 => params.delay_ms = value,
            2 => params.j_exc_mv = value,
            3 => params.j_inh_mv = value,
            4 => {
                params.synapse = SynapseModel::Exponential {
                    tau_e_ms: value,
                    tau_i_ms: 10.0,
                }
            }
            5 => {
                params.synapse = SynapseModel::Exponential {
                    tau_e_ms: 5.0,
                    tau_i_ms: value,
                }
            }
            6 | 7 => population.drive.current_mv = value,
            8 | 9 => population.drive.noise_mv = value,
            10 | 11 => population.drive.poisson_rate_hz = value,
            12 => population.drive.poisson_weight_mv = value,
            13 => population.neuron.tau_m_ms = value,
            14 => population.neuron.v_threshold_mv = value,
            _ => population.neuron.tau_ref_ms = value,
        }
        params
    })
}

fn dense_update() -> impl Strategy<Value = HopfieldUpdate> {
    prop_oneof![
        Just(HopfieldUpdate::Classical),
        Just(HopfieldUpdate::Dense(DenseUpdate::Hebb)),
        Just(HopfieldUpdate::Dense(DenseUpdate::Exp)),
        (0..40u32).prop_map(|k| HopfieldUpdate::Dense(DenseUpdate::Poly(k))),
        any_f64().prop_map(|beta| HopfieldUpdate::Dense(DenseUpdate::Softmax { beta })),
    ]
}

fn hopfield_setup() -> impl Strategy<Value = HopfieldSetup> {
    let patterns = prop_oneof![
        (0..20usize, 0..20usize, 0..12usize).prop_map(|(width, height, count)| PatternSource::Random {
            width,
            height,
            count
        }),
        (0..20usize, 0..20usize, 0..12usize, any_f64()).prop_map(|(width, height, count, difference)| {
            PatternSource::Correlated {
                width,
                height,
                count,
                difference,
            }
        }),
        (0..4usize, prop::collection::vec("[A-Z0-9]", 0..4)).prop_map(|(set, labels)| {
            PatternSource::Builtin {
                set: ["letters", "digits", "symbols", "nope"][set].into(),
                labels,
            }
        }),
    ];
    let rule = prop_oneof![
        Just(LearningRule::Hebb),
        Just(LearningRule::Storkey),
        Just(LearningRule::PseudoInverse)
    ];
    (
        patterns,
        rule,
        dense_update(),
        any_f64(),
        0..15usize,
        any_f64(),
        any::<u64>(),
    )
        .prop_map(
            |(patterns, rule, update, temperature, cue_pattern, cue_flip, seed)| HopfieldSetup {
                patterns,
                rule,
                update,
                temperature,
                cue_pattern,
                cue_flip,
                seed,
                grid: None,
            },
        )
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn neuron_params_are_validated_or_refused_never_panic(
        params in neuron_params(),
        dt in any_f64(),
        mu in any_f64(),
        sigma in any_f64(),
        seed in any::<u64>(),
    ) {
        match NoisyNeuron::new(params, mu, sigma, dt) {
            Ok(mut neuron) => {
                prop_assert!(params.validate(dt).is_ok());
                let mut rng = engram::rng::seeded(seed);
                for _ in 0..100 {
                    neuron.step(&mut rng);
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn network_params_are_validated_or_refused_never_panic(params in network_params(), seed in any::<u64>()) {
        match params.validate() {
            Ok(()) => {
                let connectivity = Connectivity::Probability(vec![vec![0.1; 2]; 2]);
                let mut network = Network::new(params.clone(), connectivity, |_, _| 0.0, seed)
                    .expect("validated parameters build");
                for _ in 0..20 {
                    // A divergence is an error, not a panic.
                    if network.try_step().is_err() {
                        break;
                    }
                }
                // A running network takes the same parameters as a change, too.
                let _ = network.set_params(params);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn hopfield_setups_are_built_or_refused_never_panic(setup in hopfield_setup()) {
        // Through the scenario reader, as a file would bring it.
        let scenario = Scenario {
            format: engram::scenario::FORMAT,
            name: "p".into(),
            description: "d".into(),
            duration: Some(2.0),
            scene: SceneSetup::Hopfield(setup.clone()),
            timeline: Vec::new(),
        };
        let read = Scenario::parse(&scenario.to_toml(), "p.toml");
        if let Err(e) = &read {
            prop_assert!(e.to_string().starts_with("p.toml"));
        }
        // And straight into the engine's scene, as the app's controls would.
        if let Ok(mut scene) = Scene::build(&SceneSetup::Hopfield(setup)) {
            scene.advance(200).expect("a Hopfield scene steps");
            let _ = scene.take_frame();
        }
    }
}
