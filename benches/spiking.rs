//! Spiking engine speed: the CUBA benchmark, CUBA scaled to 80,000 neurons at a fixed in-degree of
//! 80, Brunel's network and the spiking memory, on one and two threads. Each iteration simulates a
//! fixed stretch of biological time; criterion reports the wall time, so wall time per biological
//! second = reported time × (1000 ms / simulated ms). Before the timings, each network's time per
//! phase (integration, serial part, delivery) is printed from 200 ms of simulation, and the scaling
//! from one to two threads from alternating runs in this process.
//! `benches/compare_c.sh` runs the bare C loop of `benches/c/cuba.c` beside engram.

use criterion::{Criterion, criterion_group, criterion_main};
use engram::hopfield::PatternSet;
use engram::spiking::{MemoryParams, Network, Preset, SpikingMemory};

/// Builds one of the networks benchmarked on one and on two threads.
type Build = fn() -> Network;

fn run(network: &mut Network, ms: f64) {
    let steps = (ms / network.dt_ms()).round() as u64;
    for _ in 0..steps {
        network.step();
    }
}

/// Prints the time per phase over 200 ms of `network`, per biological second.
fn report_phases(name: &str, network: &mut Network) {
    network.time_phases(true);
    run(network, 200.0);
    if let Some(t) = network.phase_times() {
        eprintln!(
            "{name} on {} thread(s), per biological second: integrate {:.3} s, serial {:.4} s, deliver {:.3} s; {:.1} bytes per synapse",
            network.threads_active(),
            t.integrate_s * 5.0,
            t.serial_s * 5.0,
            t.deliver_s * 5.0,
            network.synapse_bytes() as f64 / network.n_synapses().max(1) as f64
        );
    }
    network.time_phases(false);
}

/// One and two threads side by side in one process: six rounds of 200 ms biological each,
/// alternating, so that a machine that slows down or speeds up during the run (a shared host) does
/// not tilt the comparison; prints the medians per biological second and the efficiency
/// t₁ / (2 t₂).
fn report_scaling(name: &str, build: Build) {
    let mut one = build();
    one.set_threads(1);
    let mut two = build();
    two.set_threads(2);
    run(&mut one, 50.0);
    run(&mut two, 50.0);
    let (mut t1, mut t2) = (Vec::new(), Vec::new());
    for _ in 0..6 {
        for (network, times) in [(&mut one, &mut t1), (&mut two, &mut t2)] {
            let started = std::time::Instant::now();
            run(network, 200.0);
            times.push(started.elapsed().as_secs_f64() * 5.0);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2])
    };
    let (m1, m2) = (median(&mut t1), median(&mut t2));
    eprintln!(
        "{name}, alternating 1 and 2 threads (6 rounds of 200 ms): {m1:.3} s and {m2:.3} s per biological second, efficiency {:.0} % (2 threads: {})",
        100.0 * m1 / (2.0 * m2),
        t2.iter()
            .map(|t| format!("{t:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn spiking(c: &mut Criterion) {
    let mut group = c.benchmark_group("spiking");
    group.sample_size(10);
    let mut cuba = Network::from_preset(Preset::Cuba, None, 1).expect("builds");
    cuba.set_threads(1);
    report_phases("cuba 4000", &mut cuba);
    group.bench_function("cuba 4000 neurons, 1 thread, 1 s biological", |b| {
        b.iter(|| run(&mut cuba, 1000.0))
    });
    let builds: [(&str, Build); 2] = [
        ("cuba-like 80k neurons x 80 synapses", || {
            Network::from_preset_scaled(Preset::Cuba, Some(80_000), Some(80), 1).expect("builds")
        }),
        ("brunel-ai 12500 neurons", || {
            Network::from_preset(Preset::BrunelAi, None, 1).expect("builds")
        }),
    ];
    for (name, build) in builds {
        report_scaling(name, build);
        for threads in [1, 2] {
            let mut network = build();
            network.set_threads(threads);
            run(&mut network, 50.0);
            report_phases(name, &mut network);
            group.bench_function(format!("{name}, {threads} thread(s), 100 ms biological"), |b| {
                b.iter(|| run(&mut network, 100.0))
            });
        }
    }
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
