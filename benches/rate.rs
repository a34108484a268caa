//! Rate-network speed: 1 s of biological time (2000 exponential-Euler steps of 0.5 ms) of the
//! Pereira & Brunel (2018) network at N = 5000, c = 0.05 (1.25 M synapses) and N = 20000,
//! c = 0.0125 (5 M synapses), both K = cN = 250 inputs per neuron, α = 0.1, after a cue has put
//! them in a retrieval state. Criterion reports wall time per biological second; real-time
//! factor = 1 s / reported time.

use criterion::{Criterion, criterion_group, criterion_main};
use engram::families::rate::model::{RateNetwork, RateParams};

fn run(network: &mut RateNetwork, ms: f64) {
    let steps = (ms / network.params().dt_ms).round() as u64;
    for _ in 0..steps {
        network.step();
    }
}

fn cued(n: usize, c: f64) -> RateNetwork {
    let params = RateParams {
        n,
        connection_prob: c,
        ..RateParams::default()
    };
    let params = RateParams {
        patterns: params.patterns_at(0.1),
        ..params
    };
    let mut network = RateNetwork::new(&params, 1).expect("builds");
    network
        .set_input_pattern(Some((0, 1.0)))
        .expect("pattern 0 exists");
    run(&mut network, 100.0);
    network.set_input_pattern(None).expect("no input");
    network
}

fn rate(c: &mut Criterion) {
    let mut group = c.benchmark_group("rate");
    group.sample_size(10);
    let mut small = cued(5000, 0.05);
    group.bench_function("N 5000, c 0.05, 1 s biological", |b| {
        b.iter(|| run(&mut small, 1000.0))
    });
    let mut big = cued(20_000, 0.0125);
    group.bench_function("N 20000, c 0.0125, 1 s biological", |b| {
        b.iter(|| run(&mut big, 1000.0))
    });
    group.finish();
}

criterion_group!(benches, rate);
criterion_main!(benches);
