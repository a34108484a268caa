//! Spiking engine speed: the CUBA benchmark, a 100,000-neuron network with 100 synapses per
//! neuron, Brunel's network and the spiking memory. Each iteration simulates a fixed stretch of
//! biological time; criterion reports the wall time, so wall time per biological second = reported
//! time × (1000 ms / simulated ms).

use criterion::{Criterion, criterion_group, criterion_main};
use engram::hopfield::PatternSet;
use engram::spiking::{MemoryParams, Network, Preset, SpikingMemory};

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
    // The spiking memory holding a letter (2048 neurons, 4.2 M synapses), readout included.
    let letters = PatternSet::builtin("letters")
        .and_then(|set| set.select(&["A", "H", "S"].map(String::from)))
        .expect("shipped letters");
    let (mut memory_net, mut memory) =
        SpikingMemory::build(letters, MemoryParams::default(), 1).expect("builds");
    let steps = (100.0 / memory_net.dt_ms()).round() as u64;
    group.bench_function("memory 2048 neurons (letters A, H, S), 100 ms biological", |b| {
        b.iter(|| {
            for _ in 0..steps {
                memory_net.step();
                memory.observe(&memory_net);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, spiking);
criterion_main!(benches);
