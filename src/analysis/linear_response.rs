//! Correlations predicted from connectivity by linear response: linearly interacting Poisson
//! (Hawkes) units and the covariance of their spike counts over long windows,
//! C = (I − W)⁻¹ D (I − W)⁻ᵀ with D = diag(rates) and rates (I − W)⁻¹ μ (Hawkes 1971; Pernice et
//! al. 2011; Trousdale, Hu, Shea-Brown & Josić 2012). W_ij is the integral of the coupling kernel
//! from unit j to unit i: the spikes one spike of j adds to i on average. The formula is exact for
//! Hawkes units while every rate stays positive; it needs the spectral radius of W below 1 (else
//! the activity runs away). Dense linear algebra is faer's (an LU for the inverse and the
//! eigenvalues of W), not hand-written.

use faer::Mat;
use faer::linalg::solvers::DenseSolveCore;
use rand::RngExt;

use crate::rng::{SimRng, substream};

/// The coupling of a network of Hawkes units and its linear-response predictions.
#[derive(Debug, Clone)]
pub struct LinearResponse {
    /// Baseline rates μ, in Hz.
    pub baseline_hz: Vec<f64>,
    /// Couplings W (row i: the inputs of unit i), integrated over the kernel.
    pub coupling: Mat<f64>,
    /// Stationary rates r = (I − W)⁻¹ μ, in Hz.
    pub rates_hz: Vec<f64>,
    /// Count covariance per unit time, C = (I − W)⁻¹ diag(r) (I − W)⁻ᵀ, in Hz.
    pub covariance_hz: Mat<f64>,
    /// The largest |eigenvalue| of W: the distance to instability is 1 minus it.
    pub spectral_radius: f64,
    /// Eigenvalues of W (re, im).
    pub eigenvalues: Vec<(f64, f64)>,
}

impl LinearResponse {
    /// The predictions for couplings `coupling` (N×N) and baseline rates `baseline_hz`.
    pub fn new(coupling: Mat<f64>, baseline_hz: Vec<f64>) -> Result<Self, String> {
        let n = baseline_hz.len();
        if coupling.nrows() != n || coupling.ncols() != n || n == 0 {
            return Err(format!(
                "the coupling is {}×{} for {n} units",
                coupling.nrows(),
                coupling.ncols()
            ));
        }
        let eigenvalues = eigenvalues(&coupling)?;
        let spectral_radius = spectral_radius(&eigenvalues);
        if spectral_radius >= 1.0 {
            return Err(format!(
                "the spectral radius of W is {spectral_radius:.3} ≥ 1: the activity runs away and has no stationary rates"
            ));
        }
        let propagator = (Mat::<f64>::identity(n, n) - &coupling)
            .partial_piv_lu()
            .inverse();
        let baseline = Mat::<f64>::from_fn(n, 1, |i, _| baseline_hz[i]);
        let rates = &propagator * &baseline;
        let rates_hz: Vec<f64> = (0..n).map(|i| rates[(i, 0)]).collect();
        if let Some(i) = rates_hz.iter().position(|&r| r <= 0.0) {
            return Err(format!(
                "unit {i} has a stationary rate of {:.3} Hz ≤ 0: the linear theory needs positive rates (raise μ or weaken inhibition)",
                rates_hz[i]
            ));
        }
        let scaled = Mat::<f64>::from_fn(n, n, |i, j| propagator[(i, j)] * rates_hz[j]);
        let covariance_hz = &scaled * propagator.transpose();
        Ok(Self {
            baseline_hz,
            coupling,
            rates_hz,
            covariance_hz,
            spectral_radius,
            eigenvalues,
        })
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.baseline_hz.len()
    }
}

/// The eigenvalues (re, im) of a square matrix, by faer's dense eigensolver.
pub fn eigenvalues(matrix: &Mat<f64>) -> Result<Vec<(f64, f64)>, String> {
    Ok(matrix
        .eigenvalues()
        .map_err(|e| format!("the eigenvalues of W did not converge: {e:?}"))?
        .iter()
        .map(|z| (z.re, z.im))
        .collect())
}

/// The largest modulus among `eigenvalues`.
pub fn spectral_radius(eigenvalues: &[(f64, f64)]) -> f64 {
    eigenvalues
        .iter()
        .map(|&(re, im)| re.hypot(im))
        .fold(0.0, f64::max)
}

/// The block of rows and columns `sample` of the propagated covariance
/// (I − W)⁻¹ diag(intrinsic) (I − W)⁻ᵀ, by faer's LU (an N×N inverse, then |S|×N×|S| products).
pub fn propagated_covariance(
    coupling: &Mat<f64>,
    intrinsic: &[f64],
    sample: &[usize],
) -> Result<Mat<f64>, String> {
    let n = intrinsic.len();
    if coupling.nrows() != n || coupling.ncols() != n || sample.iter().any(|&i| i >= n) {
        return Err(format!(
            "the coupling is {}×{} for {n} units and a sample up to {}",
            coupling.nrows(),
            coupling.ncols(),
            sample.iter().max().copied().unwrap_or(0)
        ));
    }
    let propagator = (Mat::<f64>::identity(n, n) - coupling).partial_piv_lu().inverse();
    let rows = Mat::<f64>::from_fn(sample.len(), n, |a, j| propagator[(sample[a], j)]);
    let scaled = Mat::<f64>::from_fn(sample.len(), n, |a, j| rows[(a, j)] * intrinsic[j]);
    let covariance = &scaled * rows.transpose();
    if (0..sample.len()).any(|a| !covariance[(a, a)].is_finite()) {
        return Err(
            "I − W is singular: an eigenvalue of W sits at 1 (the network is at the edge of instability)"
                .into(),
        );
    }
    Ok(covariance)
}

/// Random couplings: each pair (i ≠ j) connected with probability `p`; a connection from one of
/// the first `n_exc` units weighs `w`, from the others −`g`·`w`.
pub fn random_coupling(n: usize, n_exc: usize, p: f64, w: f64, g: f64, seed: u64) -> Mat<f64> {
    let mut rng = substream(seed, 1);
    Mat::<f64>::from_fn(n, n, |i, j| {
        if i != j && rng.random::<f64>() < p {
            if j < n_exc { w } else { -g * w }
        } else {
            0.0
        }
    })
}

/// Simulates the Hawkes units of `theory` in steps of `dt_ms` with exponential kernels of time
/// constant `tau_ms` (each spike of j adds W_ij·e^{−t/τ}/τ to the rate of i), for `windows`
/// windows of `window_s` seconds, and returns the spike count of every unit in every window.
/// Rates are rectified at zero (the linear theory ignores that; with positive rates it is rare).
pub fn simulate_hawkes_counts(
    theory: &LinearResponse,
    tau_ms: f64,
    dt_ms: f64,
    window_s: f64,
    windows: usize,
    seed: u64,
) -> Vec<Vec<u32>> {
    let n = theory.n();
    let mut rng: SimRng = substream(seed, 2);
    let decay = (-dt_ms / tau_ms).exp();
    let dt_s = dt_ms / 1000.0;
    // Input to every unit from the others' filtered spike trains, in Hz.
    let mut input = vec![0.0f64; n];
    // Column j of W divided by τ (in s): the jump of the inputs when j spikes.
    let tau_s = tau_ms / 1000.0;
    let jumps: Vec<Vec<(usize, f64)>> = (0..n)
        .map(|j| {
            (0..n)
                .filter(|&i| theory.coupling[(i, j)] != 0.0)
                .map(|i| (i, theory.coupling[(i, j)] / tau_s))
                .collect()
        })
        .collect();
    let steps_per_window = (window_s * 1000.0 / dt_ms).round().max(1.0) as usize;
    let mut counts = vec![vec![0u32; n]; windows];
    let mut spiking = Vec::new();
    for window in counts.iter_mut() {
        for _ in 0..steps_per_window {
            spiking.clear();
            for i in 0..n {
                let mean = ((theory.baseline_hz[i] + input[i]).max(0.0)) * dt_s;
                let count = poisson_small(mean, &mut rng);
                if count > 0 {
                    window[i] += count;
                    spiking.push((i, count));
                }
            }
            input.iter_mut().for_each(|x| *x *= decay);
            for &(j, count) in &spiking {
                for &(i, jump) in &jumps[j] {
                    input[i] += jump * f64::from(count);
                }
            }
        }
    }
    counts
}

/// A Poisson count of small mean (a few hundredths per step) by inversion.
fn poisson_small(mean: f64, rng: &mut SimRng) -> u32 {
    let mut u: f64 = rng.random();
    let mut term = (-mean).exp();
    let mut k = 0;
    while u > term && k < 1000 {
        u -= term;
        k += 1;
        term *= mean / f64::from(k);
    }
    k
}

/// The covariance of the window counts per second of window (Hz), and the mean rates (Hz).
pub fn count_covariance_hz(counts: &[Vec<u32>], window_s: f64) -> (Mat<f64>, Vec<f64>) {
    let n = counts.first().map_or(0, Vec::len);
    let windows = counts.len() as f64;
    let means: Vec<f64> = (0..n)
        .map(|i| counts.iter().map(|w| f64::from(w[i])).sum::<f64>() / windows)
        .collect();
    let covariance = Mat::<f64>::from_fn(n, n, |i, j| {
        counts
            .iter()
            .map(|w| (f64::from(w[i]) - means[i]) * (f64::from(w[j]) - means[j]))
            .sum::<f64>()
            / (windows - 1.0)
            / window_s
    });
    (covariance, means.iter().map(|m| m / window_s).collect())
}

/// Pearson's correlation of the off-diagonal entries of two matrices (i < j).
pub fn off_diagonal_correlation(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    let n = a.nrows();
    let pairs: Vec<(f64, f64)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| (a[(i, j)], b[(i, j)]))
        .collect();
    pearson(&pairs)
}

/// Pearson's correlation coefficient of (x, y) pairs (NaN for fewer than two or no spread).
pub fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let len = pairs.len() as f64;
    let (mean_a, mean_b) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / len,
        pairs.iter().map(|p| p.1).sum::<f64>() / len,
    );
    let (mut cov, mut var_a, mut var_b) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        cov += (x - mean_a) * (y - mean_b);
        var_a += (x - mean_a).powi(2);
        var_b += (y - mean_b).powi(2);
    }
    cov / (var_a * var_b).sqrt()
}
