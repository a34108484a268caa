use super::*;

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
    assert_eq!(net.synapses_of(0), (&[1u32][..], &[0.5f32][..]));
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
    f64::from(net.synapses_of(0).1[0]) - 1.0
}

#[test]
fn a_wiring_too_big_for_memory_is_refused_with_its_size() {
    let err = Network::cuba(2_000_000, 0.02, 1).err().expect("refused");
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
