//! Hopfield speed: full asynchronous sweeps with incrementally updated fields, and the dense update.

use criterion::{Criterion, criterion_group, criterion_main};
use engram::hopfield::cue::flip_fraction;
use engram::hopfield::{DenseUpdate, HopfieldSim, LearningRule, PatternSet, UpdateMode};

fn sim(n: usize, p: usize, seed: u64) -> HopfieldSim {
    let mut rng = engram::rng::seeded(seed);
    let set = PatternSet::random(n, 1, p, 0.0, &mut rng).expect("valid");
    HopfieldSim::new(set, LearningRule::Hebb, seed).expect("valid")
}

fn sweeps(c: &mut Criterion) {
    let mut group = c.benchmark_group("hopfield");
    group.sample_size(10);
    for n in [1000, 10_000] {
        let mut s = sim(n, n / 10, 1);
        let pattern = s.patterns().patterns[0].clone();
        let mut rng = engram::rng::seeded(2);
        let cue = flip_fraction(&pattern, 0.4, &mut rng).expect("valid");
        // From a cue: many flips, each updating N fields (set_state itself costs O(N²)).
        group.bench_function(
            format!("set 40% cue + async sweep, N = {n}, P = {}", n / 10),
            |b| {
                b.iter(|| {
                    s.set_state(&cue).expect("valid");
                    s.sweep()
                })
            },
        );
        // At a fixed point: no flips, each update reads one field.
        s.set_state(&pattern).expect("valid");
        group.bench_function(
            format!("async sweep at a fixed point, N = {n}, P = {}", n / 10),
            |b| b.iter(|| s.sweep()),
        );
    }
    let mut dense = sim(100, 1000, 3);
    dense.set_update(UpdateMode::Dense(DenseUpdate::Softmax { beta: 1.0 }));
    group.bench_function("dense softmax sweep, N = 100, P = 1000", |b| {
        b.iter(|| dense.sweep())
    });
    group.finish();
}

criterion_group!(benches, sweeps);
criterion_main!(benches);
