//! Sampler speed: 10 s of simulated time (10,000 samples, one per ms) of each sampler on a random
//! Boltzmann distribution of N = 20 units (W ~ N(0, 1.5²), b ~ N(−0.5, 1)), counting every
//! sample into the 2^20-state table as `engram sample` does. Real-time factor = 10 s / reported
//! time (the goal for the neural sampler: 10,000×, i.e. 1 ms per iteration; measured
//! 0.93 ms, 10,750×, on one AMD EPYC Zen 4 core).

use criterion::{Criterion, criterion_group, criterion_main};
use engram::families::sampling::model::{Boltzmann, Sampler, SamplerKind, StateCounts};
use engram::rng::substream;

fn sampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("sampling");
    group.sample_size(20);
    let model = Boltzmann::random(20, 1.5, -0.5, 1.0, 1.0, 1).expect("valid");
    let free = vec![None; 20];
    for kind in [SamplerKind::Neural, SamplerKind::Gibbs] {
        let mut rng = substream(1, 100);
        let z = model.random_state(&mut rng);
        let mut sampler = Sampler::new(kind, z, 20, rng);
        let mut counts = StateCounts::new(20);
        let mut spiked = Vec::new();
        group.bench_function(format!("{} N 20, 10 s simulated", kind.key()), |b| {
            b.iter(|| {
                for _ in 0..10_000 {
                    spiked.clear();
                    sampler.step(&model, &free, &mut spiked);
                    counts.add(&sampler.z);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sampling);
criterion_main!(benches);
