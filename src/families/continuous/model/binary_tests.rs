//! Binary kernel memories against the classical results they contain.

use super::binary::*;

/// Φ(x), the standard normal distribution function.
fn normal_cdf(x: f64) -> f64 {
    0.5 * crate::analysis::special::erfc(-x / std::f64::consts::SQRT_2)
}

/// The linear kernel without the inverse is the Hebbian network W = ΞΞᵀ/N with its self-coupling:
/// one update from a stored pattern flips each bit with probability Φ(−(1 + α)/√α) (signal 1 + α
/// with the self-coupling, crosstalk of variance α). At N = 500 and α = 0.5 and 1 the measured
/// fraction over all bits of all patterns agrees within 10 % (about 4,000 and 11,000 flips: the
/// sampling error is 2 %, the rest is the Gaussian approximation at finite N).
#[test]
fn the_hebbian_kernel_flips_bits_as_the_crosstalk_law_says() {
    let n = 500;
    for alpha in [0.5, 1.0] {
        let count = (alpha * n as f64) as usize;
        let patterns = random_binary(n, count, 1);
        let memory = BinaryMemory::new(patterns.clone(), BinaryKernel::Hebbian).expect("valid");
        let flipped: usize = patterns
            .iter()
            .map(|p| memory.update(p).iter().zip(p).filter(|(a, b)| a != b).count())
            .sum();
        let measured = flipped as f64 / (n * count) as f64;
        let theory = normal_cdf(-(1.0 + alpha) / alpha.sqrt());
        assert!(
            (measured - theory).abs() < 0.1 * theory,
            "α {alpha}: {measured} vs {theory}"
        );
    }
}

/// With the inverse, the linear kernel is the projection rule: every pattern is a fixed point while
/// P < N (here 90 of 100), and more than N patterns cannot be held at all.
#[test]
fn the_pseudo_inverse_kernel_holds_every_pattern_below_n() {
    let patterns = random_binary(100, 90, 2);
    let memory = BinaryMemory::new(patterns.clone(), BinaryKernel::PseudoInverse).expect("valid");
    for p in &patterns {
        assert_eq!(&memory.update(p), p);
    }
    assert_eq!(
        binary_recall_fraction(BinaryKernel::PseudoInverse, 100, 101, 0.0, 1, 2).expect("runs"),
        None
    );
}

/// The SDM kernel is the number of addresses within Hamming radius r of both states over those
/// within r of one: checked against enumerating all 2¹⁰ addresses for every distance (exactly), 1 at
/// distance 0 and 0 beyond 2r.
#[test]
fn the_sdm_kernel_counts_the_shared_addresses() {
    let (n, r) = (10usize, 3usize);
    let ball = (0..=r).map(|j| binomial(n, j)).sum::<f64>();
    for d in 0..=n {
        // a = 0…0, b = 1 in its first d bits.
        let both = (0u32..1 << n)
            .filter(|z| z.count_ones() as usize <= r && (z ^ ((1u32 << d) - 1)).count_ones() as usize <= r)
            .count();
        assert_eq!(sdm_kernel(n, d, r), both as f64 / ball, "d = {d}");
    }
    assert_eq!(sdm_kernel(n, 0, r), 1.0);
    assert_eq!(sdm_kernel(n, 2 * r + 1, r), 0.0);
}

/// Nonlinear kernels hold more than the linear ones: at N = 64 and cues with 10 % of bits flipped,
/// the Hebbian network recalls 4 patterns and fails at 32 (α = 0.5 is far above 0.138); the
/// polynomial (degree 3), exponential and SDM memories recall every one of 64 = N patterns, which the
/// pseudo-inverse holds as fixed points but no longer recalls from the cue (its basins shrink to
/// nothing as P approaches N).
#[test]
fn nonlinear_kernels_recall_more_patterns_than_neurons_can_hold_linearly() {
    let recall = |kernel, count| {
        binary_recall_fraction(kernel, 64, count, 0.1, 20, 3)
            .expect("runs")
            .unwrap_or(0.0)
    };
    assert_eq!(recall(BinaryKernel::Hebbian, 4), 1.0);
    assert!(recall(BinaryKernel::Hebbian, 32) < 0.2);
    assert!(recall(BinaryKernel::PseudoInverse, 63) < 0.2);
    for kernel in [
        BinaryKernel::Polynomial { degree: 3 },
        BinaryKernel::Exponential { beta: 0.2 },
        BinaryKernel::Sdm { radius: 24 },
    ] {
        assert_eq!(recall(kernel, 64), 1.0, "{}", kernel.label());
    }
}

/// A kernel holds as many patterns as its feature space has dimensions: (1 + s)² on 8 bits has
/// Σ_{k≤2} C(8, k) = 37 multilinear monomials, so 30 distinct patterns are fixed points and 38 cannot
/// be held; the exponential kernel's feature space is the whole hypercube: all 2⁸ = 256 states are
/// fixed points at once (an exponential number).
#[test]
fn a_kernel_holds_as_many_patterns_as_its_feature_space_has_dimensions() {
    let polynomial = BinaryKernel::Polynomial { degree: 2 };
    assert_eq!(rank_limit(polynomial, 8), Some(37.0));
    let few = distinct_binary(8, 30, 1).expect("exist");
    let memory = BinaryMemory::new(few.clone(), polynomial).expect("holds 30");
    for p in &few {
        assert_eq!(&memory.update(p), p);
    }
    let too_many = distinct_binary(8, 38, 1).expect("exist");
    assert!(BinaryMemory::new(too_many, polynomial).is_err_and(|e| e.0.contains("singular")));
    let all = distinct_binary(8, 256, 2).expect("exist");
    let memory = BinaryMemory::new(all.clone(), BinaryKernel::Exponential { beta: 0.5 }).expect("holds all");
    for p in &all {
        assert_eq!(&memory.update(p), p);
    }
}
