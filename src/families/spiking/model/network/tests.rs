use super::*;
use crate::spiking::Preset;

/// Two neurons, one explicit synapse 0 → 1 with factor 0.5: a spike of neuron 0 raises V_1 by
/// 0.5 · J after exactly the delay.
#[test]
fn an_explicit_synapse_delivers_its_weight_after_the_delay() {
    let neuron = NeuronParams::default();
    let quiet = ExternalDrive::default();
    let params = NetworkParams {
        dt_ms: 0.1,
        delay_ms: 1.0,
        synapse: SynapseModel::Delta,
        j_exc_mv: 4.0,
        j_inh_mv: 0.0,
        global_inhibition_mv: 0.0,
        populations: vec![PopulationParams {
            name: "E".into(),
            kind: PopulationKind::Excitatory,
            size: 2,
            neuron: NeuronParams {
                tau_m_ms: 1.0e6,
                ..neuron
            },
            drive: quiet,
        }],
    };
    let mut net = Network::new(
        params,
        Connectivity::Explicit(vec![(0, 1, 0.5)]),
        |i, _| if i == 0 { 25.0 } else { 0.0 },
        1,
    )
    .expect("builds");
    assert_eq!(net.synapses_of(0), vec![(1u32, 0.5f32)]);
    net.step();
    assert_eq!(net.last_spikes(), &[0]);
    for _ in 0..9 {
        net.step();
        assert!(net.v_mv()[1].abs() < 1e-3, "nothing arrives before the delay");
    }
    net.step();
    assert!((net.v_mv()[1] - 2.0).abs() < 1e-3, "V_1 = {}", net.v_mv()[1]);
}

/// Weight change of one pre/post pair at lag `lag_steps` (post − pre), with STDP on.
fn pair_change(lag_steps: i64) -> f64 {
    let params = NetworkParams {
        dt_ms: 0.1,
        delay_ms: 1.0,
        synapse: SynapseModel::Delta,
        j_exc_mv: 0.0,
        j_inh_mv: 0.0,
        global_inhibition_mv: 0.0,
        populations: vec![PopulationParams {
            name: "E".into(),
            kind: PopulationKind::Excitatory,
            size: 2,
            neuron: NeuronParams::default(),
            drive: ExternalDrive::default(),
        }],
    };
    let mut net =
        Network::new(params, Connectivity::Explicit(vec![(0, 1, 1.0)]), |_, _| 0.0, 1).expect("builds");
    net.set_stdp(Some(StdpParams::default())).expect("valid");
    let (first, second) = if lag_steps >= 0 { (0, 1) } else { (1, 0) };
    net.force_spike(first);
    net.step();
    for _ in 1..lag_steps.unsigned_abs() {
        net.step();
    }
    net.force_spike(second);
    net.step();
    f64::from(net.synapses_of(0)[0].1) - 1.0
}

#[test]
fn a_wiring_too_big_for_memory_is_refused_with_its_size() {
    let err = Network::from_preset(Preset::Cuba, Some(2_000_000), 1)
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(
        message.contains("GB") && message.contains("synapses"),
        "{message}"
    );
}

/// The STDP window: Δw = A+ exp(−Δt/τ+) for pre before post, −A− exp(Δt/τ−) for post before pre
/// (Bi & Poo 1998; Song et al. 2000), where the traces decay once per step before use.
#[test]
fn stdp_follows_the_exponential_window() {
    let p = StdpParams::default();
    for lag_steps in [10i64, 50, 200, -10, -50, -200] {
        let lag_ms = lag_steps.unsigned_abs() as f64 * 0.1;
        let expected = if lag_steps > 0 {
            p.a_plus * (-lag_ms / p.tau_plus_ms).exp()
        } else {
            -p.a_minus * (-lag_ms / p.tau_minus_ms).exp()
        };
        let measured = pair_change(lag_steps);
        assert!(
            (measured - expected).abs() < 1e-4 * p.a_plus + 1e-3 * expected.abs(),
            "lag {lag_steps}: {measured} vs {expected}"
        );
    }
}

/// The table's count equals the count by comparison with every threshold, at both edges of every
/// bucket and for random draws, and its probabilities are Poisson's to within the 2⁻³² of the
/// thresholds' rounding.
#[test]
fn poisson_table_counts_exactly_and_follows_poisson() {
    use rand::Rng as _;
    let mut rng = crate::rng::seeded(5);
    for lambda in [0.0, 0.3, 2.0, 7.5, 150.0] {
        let table = PoissonTable::new(lambda);
        let by_search = |u: u32| table.thresholds().partition_point(|&t| t <= u) as u32;
        let edges = (0u32..4096).flat_map(|b| [b << 20, (b << 20) | 0xF_FFFF]);
        let draws = (0..20_000).map(|_| rng.next_u32());
        for u in edges.chain(draws) {
            assert_eq!(table.count(u), by_search(u), "λ {lambda}, u {u}");
        }
        let mut previous = 0.0;
        let mut log_pmf = -lambda;
        for (k, &t) in table.thresholds().iter().enumerate() {
            let cdf = f64::from(t) / 2f64.powi(32);
            let expected = if lambda == 0.0 { 0.0 } else { log_pmf.exp() };
            assert!(
                (cdf - previous - expected).abs() < 1e-9,
                "λ {lambda}: P(K = {k}) = {} against {expected}",
                cdf - previous
            );
            previous = cdf;
            log_pmf += lambda.ln() - ((k + 1) as f64).ln();
        }
    }
}

/// Runs `network` on `threads` threads (a thread per 256 neurons allowed) for `steps` steps and
/// returns every spike as (step, neuron), the final potentials' bits and the weights' bits.
fn run_on_threads(mut network: Network, threads: usize, steps: u64) -> (Vec<(u64, u32)>, Vec<u32>, Vec<u32>) {
    network.workers = Workers::with_minimum(&network.synapses(), threads, NEURONS_PER_STREAM);
    assert_eq!(
        network.threads_active(),
        threads,
        "the test network must be shared out"
    );
    let mut spikes = Vec::new();
    for step in 0..steps {
        network.step();
        spikes.extend(network.last_spikes().iter().map(|&i| (step, i)));
    }
    let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect();
    (spikes, bits(&network.v), bits(&network.weights))
}

/// Same seed, same spikes, same potentials and weights to the bit on one, two and three threads:
/// CUBA (exponential synapses), Brunel (delta synapses, Poisson drive), the E/I network, noisy
/// independent neurons, and the E/I network learning by STDP.
#[test]
fn same_seed_same_spikes_whatever_the_thread_count() {
    let build = |preset: Preset, n: usize, stdp: bool| {
        let mut network = Network::from_preset(preset, Some(n), 3).expect("builds");
        if stdp {
            network.set_stdp(Some(StdpParams::default())).expect("valid");
        }
        network
    };
    for (preset, n, stdp) in [
        (Preset::Cuba, 4000, false),
        (Preset::BrunelAi, 3000, false),
        (Preset::Ei, 2000, false),
        (Preset::Neurons, 1000, false),
        (Preset::Ei, 2000, true),
    ] {
        let one = run_on_threads(build(preset, n, stdp), 1, 1500);
        assert!(one.0.len() > 100, "{preset}: only {} spikes", one.0.len());
        for threads in [2, 3] {
            let many = run_on_threads(build(preset, n, stdp), threads, 1500);
            assert!(
                one.0 == many.0,
                "{preset}, STDP {stdp}: the spikes differ on {threads} threads"
            );
            assert!(
                one.1 == many.1,
                "{preset}: the potentials differ on {threads} threads"
            );
            assert!(
                one.2 == many.2,
                "{preset}: the weights differ on {threads} threads"
            );
        }
    }
}

/// Two-byte target indices (networks up to 65,536 neurons) and four-byte ones give the same
/// run to the bit, on one thread and on two; and the two-byte ones take half the memory.
#[test]
fn narrow_and_wide_target_indices_give_the_same_run() {
    for (preset, n, stdp) in [
        (Preset::BrunelAi, 3000, false),
        (Preset::Cuba, 4000, false),
        (Preset::Ei, 2000, true),
    ] {
        let build = || {
            let mut network = Network::from_preset(preset, Some(n), 5).expect("builds");
            if stdp {
                network.set_stdp(Some(StdpParams::default())).expect("valid");
            }
            network
        };
        let widened = || {
            let mut network = build();
            network.targets = TargetIndices::Wide(network.targets.to_vec());
            network
        };
        let narrow = build();
        assert!(matches!(narrow.targets, TargetIndices::Narrow(_)), "{preset}");
        assert_eq!(widened().targets.bytes(), 2 * narrow.targets.bytes());
        for threads in [1, 2] {
            let a = run_on_threads(build(), threads, 1000);
            let b = run_on_threads(widened(), threads, 1000);
            assert!(a.0.len() > 100, "{preset}: only {} spikes", a.0.len());
            assert!(a == b, "{preset}, {threads} threads: the runs differ");
        }
    }
    let big = TargetIndices::new(vec![0, 65_535, 70_000], 70_001);
    assert!(matches!(big, TargetIndices::Wide(_)));
    assert_eq!((big.get(2), big.count_below(0..3, 65_536)), (70_000, 2));
    let small = TargetIndices::new(vec![3, 65_535], 65_536);
    assert!(matches!(small, TargetIndices::Narrow(_)));
    assert_eq!((small.get(1), small.to_vec()), (65_535, vec![3, 65_535]));
}

/// Delta synapses deliver both signs into one slot: the inhibitory slots stay empty, and
/// Brunel's network still fires at its rate.
#[test]
fn delta_synapses_share_one_slot() {
    let mut network = Network::from_preset(Preset::BrunelAi, None, 2).expect("builds");
    let mut spikes = 0;
    for _ in 0..2000 {
        network.step();
        spikes += network.last_spikes().len();
    }
    let stray = network.ring_inh.iter().position(|&x| x != 0.0);
    assert!(
        stray.is_none(),
        "{stray:?} {:?}",
        stray.map(|k| network.ring_inh[k])
    );
    // Brunel's mean-field rate for model A at g = 5, ν_ext/ν_thr = 2 is 38 Hz (engram's Siegert
    // solution, checked elsewhere); 0.2 s of 12,500 neurons scatters by a few Hz around it.
    let rate_hz = spikes as f64 / 12_500.0 / 0.2;
    assert!((33.0..43.0).contains(&rate_hz), "{rate_hz} Hz");
}

/// The spiking memory (explicit signed weights, white noise, a cue as stimulus current) recalls the
/// same way, spike for spike, on one and on three threads.
#[test]
fn the_spiking_memory_gives_the_same_spikes_on_three_threads() {
    use crate::spiking::{MemoryParams, SpikingMemory};
    let run = |threads: usize| {
        let letters = crate::hopfield::PatternSet::builtin("letters")
            .and_then(|set| set.select(&["A", "H"].map(String::from)))
            .expect("shipped letters");
        let (mut network, mut memory) =
            SpikingMemory::build(letters, MemoryParams::default(), 4).expect("builds");
        network.workers = Workers::with_minimum(&network.synapses(), threads, NEURONS_PER_STREAM);
        assert_eq!(network.threads_active(), threads);
        let cue = memory.patterns().patterns[1].clone();
        memory.set_cue(&mut network, Some(cue)).expect("cues");
        let mut spikes = Vec::new();
        for step in 0..1500u64 {
            if step == 500 {
                memory.set_cue(&mut network, None).expect("uncues");
            }
            network.step();
            memory.observe(&network);
            spikes.extend(network.last_spikes().iter().map(|&i| (step, i)));
        }
        (spikes, memory.overlaps().to_vec())
    };
    let (one, overlaps) = run(1);
    assert!(overlaps[1] > 0.5, "H recalled on one thread: {overlaps:?}");
    let (three, overlaps_three) = run(3);
    assert!(one == three, "the spikes differ on three threads");
    assert_eq!(overlaps, overlaps_three);
}

/// An AdEx population in the network is the neuron lab's AdEx in the network's units (potentials
/// from rest, currents times the membrane resistance): Naud et al.'s adapting neuron under 500 pA
/// (μ = 500/12 mV) spikes at the same steps over 500 ms (same Euler step, f32 against f64: within
/// one step of 0.05 ms), and adapts (the last interval over three times the first). A saved state
/// carries the adaptation: the reopened network continues with the same spikes.
#[test]
fn an_adex_population_spikes_like_the_neuron_labs_adex() {
    use crate::families::cell::model::{AdexNeuron, AdexPreset};
    let dt = 0.05;
    let build = || {
        let params = NetworkParams {
            dt_ms: dt,
            delay_ms: dt,
            synapse: SynapseModel::Delta,
            j_exc_mv: 0.0,
            j_inh_mv: 0.0,
            global_inhibition_mv: 0.0,
            populations: vec![PopulationParams {
                name: "AdEx".into(),
                kind: PopulationKind::Excitatory,
                size: 3,
                neuron: crate::families::spiking::model::neuron::NeuronParams::adex(),
                drive: ExternalDrive {
                    current_mv: 500.0 / 12.0,
                    ..ExternalDrive::default()
                },
            }],
        };
        Network::new(params, Connectivity::Probability(vec![vec![0.0]]), |_, _| 0.0, 1).expect("valid")
    };
    let (adex, current_pa) = AdexPreset::Adapting.params();
    let mut reference = AdexNeuron::at_rest(&adex);
    let mut network = build();
    let steps = (500.0 / dt) as u64;
    let (mut net_spikes, mut lab_spikes) = (Vec::new(), Vec::new());
    for step in 0..steps {
        network.try_step().expect("steps");
        if network.last_spikes().contains(&0) {
            net_spikes.push(step);
        }
        if reference.step(&adex, current_pa, dt) {
            lab_spikes.push(step);
        }
    }
    assert!(lab_spikes.len() >= 8, "{lab_spikes:?}");
    assert_eq!(
        net_spikes.len(),
        lab_spikes.len(),
        "{net_spikes:?} {lab_spikes:?}"
    );
    for (a, b) in net_spikes.iter().zip(&lab_spikes) {
        assert!(a.abs_diff(*b) <= 1, "network step {a}, neuron lab step {b}");
    }
    let intervals: Vec<u64> = net_spikes.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        intervals[intervals.len() - 1] > 3 * intervals[0],
        "adapts: {intervals:?}"
    );
    let mut original = build();
    for _ in 0..1234 {
        original.step();
    }
    let mut reopened = Network::from_state(original.save_state()).expect("reopens");
    for _ in 0..4000 {
        original.step();
        reopened.step();
        assert_eq!(reopened.last_spikes(), original.last_spikes());
    }
}
