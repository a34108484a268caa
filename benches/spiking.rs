//! Spiking engine speed: the CUBA benchmark and a 100,000-neuron network with 100 synapses per
//! neuron. Each iteration simulates a fixed stretch of biological time; criterion reports the wall
//! time, so wall time per biological second = reported time × (1000 ms / simulated ms).

use criterion::{Criterion, criterion_group, criterion_main};
use engram::spiking::{Network, Preset};

fn run(network: &mut Network, ms: f64) {
    let steps = (ms / network.dt_ms()).round() as u64;
    for _ in 0..steps {
        network.step();
    }
}

fn spiking(c: &mut Criterion) {
    let mut group = c.benchmark_group("spiking");
    group.sample_size(10);
    let mut network = Network::from_preset(Preset::Cuba, None, 1).expect("builds");
    run(&mut network, 200.0);
    group.bench_function("cuba 4000 neurons, 1 s biological", |b| {
        b.iter(|| run(&mut network, 1000.0))
    });
    let mut big = Network::cuba(100_000, 100.0 / 100_000.0, 1).expect("builds");
    run(&mut big, 50.0);
    group.bench_function("cuba-like 100k neurons x 100 synapses, 100 ms biological", |b| {
        b.iter(|| run(&mut big, 100.0))
    });
    let mut brunel = Network::from_preset(Preset::BrunelAi, None, 1).expect("builds");
    run(&mut brunel, 50.0);
    group.bench_function("brunel-ai 12500 neurons, 100 ms biological", |b| {
        b.iter(|| run(&mut brunel, 100.0))
    });
    group.finish();
}

criterion_group!(benches, spiking);
criterion_main!(benches);
