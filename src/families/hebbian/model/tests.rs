//! Oja's, Sanger's and Hebb's rules against the theory of the averaged dynamics.

use super::*;

fn two_d(sigma1: f64, sigma2: f64) -> Gaussian {
    let params = DataParams {
        sigma1,
        sigma2,
        ..DataParams::default()
    };
    Gaussian::new(&params, 1).expect("valid")
}

/// Runs `learner` for `steps` samples of `data`, returning the angle to e1 and |w| of the first
/// component after every sample.
fn run(learner: &mut Learner, data: &Gaussian, eta: f64, steps: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = crate::rng::seeded(seed);
    let mut x = vec![0.0; data.dim()];
    (0..steps)
        .map(|_| {
            data.sample(&mut rng, &mut x);
            learner.learn(&x, eta);
            let w = &learner.weights[0];
            (angle_deg(w, &data.eigenvectors[0]), norm(w))
        })
        .collect()
}

/// Oja's rule finds the leading eigenvector with |w| → 1: at η = 0.0005 on variances 4 and 1 the
/// stationary jitter of the angle is about √(η λ1 λ2 / (2(λ1 − λ2))) = 1.05°, so after 15 time
/// constants the mean angle over the last 2,000 samples is below 2° and the mean |w| within 1 % of 1.
#[test]
fn oja_finds_the_principal_component_with_unit_length() {
    let data = two_d(2.0, 1.0);
    let params = LearnParams {
        eta: 0.0005,
        ..LearnParams::default()
    };
    let mut learner = Learner::new(2, &params, &mut crate::rng::seeded(4));
    let trace = run(&mut learner, &data, params.eta, 10_000, 5);
    let tail = &trace[8000..];
    let angle = tail.iter().map(|p| p.0).sum::<f64>() / tail.len() as f64;
    let length = tail.iter().map(|p| p.1).sum::<f64>() / tail.len() as f64;
    assert!(angle < 2.0, "mean angle {angle}°");
    assert!((length - 1.0).abs() < 0.01, "mean |w| {length}");
}

/// The averaged Oja dynamics on the unit circle gives tan φ(t) = tan φ(0) e^{−η(λ1−λ2)t}: from 70° to
/// 20° takes τ ln(tan 70°/tan 20°) = 2.02 τ with τ = 1/(η(λ1 − λ2)). Over a fourfold range of τ
/// (two rates, two eigenvalue gaps) the mean time over 20 runs agrees within 10 % (the runs'
/// spread, about 10 % each, averages down to 2–3 %; the rest is the O(η) effect of sampling).
#[test]
fn oja_converges_in_the_time_theory_gives() {
    for (eta, sigma2) in [(0.0005, 1.0), (0.001, 1.0), (0.0005, 1.5811), (0.001, 1.5811)] {
        let data = two_d(2.0, sigma2);
        let (l1, l2) = (data.eigenvalues[0], data.eigenvalues[1]);
        let theory = convergence_samples_theory(eta, l1, l2, CONVERGENCE_ANGLES_DEG);
        let total: u64 = (0..20)
            .map(|seed| {
                convergence_samples(&data, eta, CONVERGENCE_ANGLES_DEG, 100 + seed, 20 * theory as u64)
                    .expect("converges")
            })
            .sum();
        let measured = total as f64 / 20.0;
        assert!(
            (measured - theory).abs() < 0.1 * theory,
            "η {eta}, λ {l1} {l2}: {measured} samples against {theory}"
        );
    }
}

/// Plain Hebb turns to the same direction but its length grows as e^{η λ1 t}: log|w| gains
/// η λ1 = 0.004 per sample (within 5 %), while Oja's |w| stays at 1.
#[test]
fn plain_hebb_grows_without_bound() {
    let data = two_d(2.0, 1.0);
    let eta = 0.001;
    let mut learner = Learner::new(
        2,
        &LearnParams {
            eta,
            ..LearnParams::default()
        },
        &mut crate::rng::seeded(1),
    );
    run(&mut learner, &data, eta, 5000, 2);
    let before = learner.hebb_log_norm;
    run(&mut learner, &data, eta, 20_000, 3);
    let slope = (learner.hebb_log_norm - before) / 20_000.0;
    assert!((slope - eta * 4.0).abs() < 0.05 * eta * 4.0, "{slope}");
    assert!(angle_deg(&learner.hebb_direction, &data.eigenvectors[0]) < 5.0);
    assert!(learner.hebb_log10_norm() > 30.0, "{}", learner.hebb_log10_norm());
}

/// Sanger's rule learns the first three principal components of 10-dimensional data in order
/// (angles below 6°: the stationary jitter of the third is about 2.6°), orthogonal and of unit length.
#[test]
fn sanger_learns_the_leading_components_in_order() {
    let params = DataParams {
        dim: 10,
        sigma1: 2.0,
        sigma2: 1.5,
        decay: 0.6,
        ..DataParams::default()
    };
    let data = Gaussian::new(&params, 3).expect("valid");
    let learn = LearnParams {
        eta: 0.002,
        components: 3,
        ..LearnParams::default()
    };
    let mut learner = Learner::new(10, &learn, &mut crate::rng::seeded(6));
    run(&mut learner, &data, learn.eta, 30_000, 7);
    for (i, w) in learner.weights.iter().enumerate() {
        let angle = angle_deg(w, &data.eigenvectors[i]);
        assert!(angle < 6.0, "component {}: {angle}°", i + 1);
        assert!(
            (norm(w) - 1.0).abs() < 0.03,
            "component {}: |w| {}",
            i + 1,
            norm(w)
        );
        for v in &learner.weights[..i] {
            assert!(dot(w, v).abs() < 0.06, "components not orthogonal");
        }
    }
}

/// The samples have the covariance the parameters describe (10 dimensions, 40,000 samples: each
/// entry within 0.1 of Σ_k λ_k e_k e_kᵀ, whose largest entry is about 4; the standard error of an
/// entry is about √(2·4·4/40,000) = 0.03).
#[test]
fn samples_have_the_described_covariance() {
    let params = DataParams {
        dim: 10,
        ..DataParams::default()
    };
    let data = Gaussian::new(&params, 9).expect("valid");
    let expected = data.covariance();
    let mut rng = crate::rng::seeded(10);
    let mut x = vec![0.0; 10];
    let mut sum = vec![vec![0.0; 10]; 10];
    let n = 40_000;
    for _ in 0..n {
        data.sample(&mut rng, &mut x);
        for i in 0..10 {
            for j in 0..10 {
                sum[i][j] += x[i] * x[j];
            }
        }
    }
    for i in 0..10 {
        for j in 0..10 {
            let measured = sum[i][j] / f64::from(n);
            assert!(
                (measured - expected[i][j]).abs() < 0.1,
                "({i}, {j}): {measured} vs {}",
                expected[i][j]
            );
        }
    }
    for (k, e) in data.eigenvectors.iter().enumerate() {
        assert!((norm(e) - 1.0).abs() < 1e-12);
        for f in &data.eigenvectors[..k] {
            assert!(dot(e, f).abs() < 1e-12);
        }
    }
}
