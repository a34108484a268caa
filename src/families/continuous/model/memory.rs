//! Memories of continuous patterns as kernel machines. Every neuron i outputs f_i(x) = Σ_μ c_iμ k(ξ^μ, x):
//! - the modern Hopfield network (Ramsauer et al. 2020) weighs the patterns by a softmax,
//!   f(x) = Ξ softmax(β Ξᵀx), a kernel smoother with the exponential kernel, no inverse;
//! - kernel memory networks (Iatropoulos, Brea & Gerstner 2022) interpolate with minimum weight norm:
//!   f(x) = Ξ K⁻¹ k(x), K_μν = k(ξ^μ, ξ^ν), so that every stored pattern is exactly a fixed point while
//!   K is invertible. The Gaussian kernel exp(−β‖a − b‖²/2) stores P ≫ N patterns with finite basins;
//!   the polynomial (1 + aᵀb/N)^d stores up to the number of monomials; the linear kernel aᵀb/N is
//!   the projection (pseudo-inverse) rule, which cannot hold more than N patterns;
//! - the classical Hebbian network is the linear kernel without the inverse: f(x) = (1/N) Ξ Ξᵀ x.
//!
//! K⁻¹ is faer's LU inverse, computed once per pattern set; the update is P kernel values and an
//! N × P product.

use faer::Mat;
use faer::linalg::solvers::DenseSolveCore;

use super::MemoryError;

/// How a memory reads its patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KernelKind {
    /// Modern Hopfield: Ξ softmax(β Ξᵀx).
    #[default]
    Softmax,
    /// Gaussian kernel interpolation: Ξ K⁻¹ k(x) with k(a, b) = exp(−β‖a − b‖²/2).
    Gaussian,
    /// Polynomial kernel interpolation: k(a, b) = (1 + aᵀb/N)^degree.
    Polynomial,
    /// Linear kernel interpolation (the projection or pseudo-inverse rule): k(a, b) = aᵀb/N.
    Linear,
    /// Classical Hebbian: the linear kernel without the inverse, (1/N) Ξ Ξᵀ x.
    Hebbian,
}

impl KernelKind {
    /// Every kernel, in the order the menus show them.
    pub const ALL: [KernelKind; 5] = [
        Self::Softmax,
        Self::Gaussian,
        Self::Polynomial,
        Self::Linear,
        Self::Hebbian,
    ];

    /// The kernel's name in menus and reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Softmax => "softmax (modern Hopfield)",
            Self::Gaussian => "Gaussian kernel memory",
            Self::Polynomial => "polynomial kernel memory",
            Self::Linear => "linear kernel (pseudo-inverse)",
            Self::Hebbian => "Hebbian (classical)",
        }
    }

    /// True for the kernels that use β.
    pub fn uses_beta(self) -> bool {
        matches!(self, Self::Softmax | Self::Gaussian)
    }

    /// True for the interpolating kernels (K⁻¹).
    pub fn interpolates(self) -> bool {
        matches!(self, Self::Gaussian | Self::Polynomial | Self::Linear)
    }
}

/// A memory's settings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryParams {
    /// The kernel.
    pub kernel: KernelKind,
    /// Inverse temperature β (softmax, Gaussian).
    pub beta: f64,
    /// Degree of the polynomial kernel.
    pub degree: u32,
}

impl Default for MemoryParams {
    fn default() -> Self {
        Self {
            kernel: KernelKind::Softmax,
            beta: 0.05,
            degree: 3,
        }
    }
}

impl MemoryParams {
    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), MemoryError> {
        if !(self.beta.is_finite() && self.beta >= 0.0 && self.beta <= 1e4) {
            return Err(MemoryError(format!(
                "β must be between 0 and 10000, not {}",
                self.beta
            )));
        }
        if !(1..=10).contains(&self.degree) {
            return Err(MemoryError(format!(
                "the degree must be between 1 and 10, not {}",
                self.degree
            )));
        }
        Ok(())
    }
}

/// Stored patterns with their kernel and, for the interpolating kernels, K⁻¹.
#[derive(Debug, Clone)]
pub struct KernelMemory {
    params: MemoryParams,
    patterns: Vec<Vec<f64>>,
    norms_sq: Vec<f64>,
    n: usize,
    inverse: Option<Mat<f64>>,
}

impl KernelMemory {
    /// A memory of `patterns` (all of one length) read by `params`.
    pub fn new(patterns: Vec<Vec<f64>>, params: MemoryParams) -> Result<Self, MemoryError> {
        params.validate()?;
        let n = patterns.first().map_or(0, Vec::len);
        if n == 0 || patterns.iter().any(|p| p.len() != n) {
            return Err(MemoryError(
                "the patterns must be non-empty and of one length".into(),
            ));
        }
        let norms_sq = patterns.iter().map(|p| dot(p, p)).collect();
        let mut memory = Self {
            params,
            patterns,
            norms_sq,
            n,
            inverse: None,
        };
        if params.kernel.interpolates() {
            let p = memory.patterns.len();
            let gram = Mat::<f64>::from_fn(p, p, |a, b| {
                memory.kernel(&memory.patterns[a], memory.norms_sq[a], b)
            });
            let inverse = checked_inverse(&gram).ok_or_else(|| {
                MemoryError(format!(
                    "the {} cannot hold these {p} patterns: their kernel matrix is singular",
                    params.kernel.label()
                ))
            })?;
            memory.inverse = Some(inverse);
        }
        Ok(memory)
    }

    /// The settings.
    pub fn params(&self) -> &MemoryParams {
        &self.params
    }

    /// The stored patterns.
    pub fn patterns(&self) -> &[Vec<f64>] {
        &self.patterns
    }

    /// Values per pattern.
    pub fn n(&self) -> usize {
        self.n
    }

    /// k(x, ξ^μ) for a state `x` with ‖x‖² = `x_norm_sq`.
    fn kernel(&self, x: &[f64], x_norm_sq: f64, mu: usize) -> f64 {
        let s = dot(x, &self.patterns[mu]);
        let n = self.n as f64;
        match self.params.kernel {
            KernelKind::Gaussian => {
                (-0.5 * self.params.beta * (x_norm_sq - 2.0 * s + self.norms_sq[mu])).exp()
            }
            KernelKind::Polynomial => (1.0 + s / n).powi(self.params.degree as i32),
            KernelKind::Linear | KernelKind::Hebbian => s / n,
            KernelKind::Softmax => s,
        }
    }

    /// The weight of every pattern in the output for state `x`: softmax(β Ξᵀx) for the modern
    /// network, K⁻¹ k(x) for the interpolating kernels, Ξᵀx/N for Hebbian.
    pub fn weights(&self, x: &[f64]) -> Vec<f64> {
        let x_norm_sq = dot(x, x);
        let k: Vec<f64> = (0..self.patterns.len())
            .map(|mu| self.kernel(x, x_norm_sq, mu))
            .collect();
        match (&self.inverse, self.params.kernel) {
            (Some(inverse), _) => (0..k.len())
                .map(|a| (0..k.len()).map(|b| inverse[(a, b)] * k[b]).sum())
                .collect(),
            (None, KernelKind::Softmax) => softmax(&k, self.params.beta),
            (None, _) => k,
        }
    }

    /// One update of every neuron: f(x) = Σ_μ weight_μ ξ^μ; also returns the weights.
    pub fn update(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let weights = self.weights(x);
        let mut out = vec![0.0; self.n];
        for (w, p) in weights.iter().zip(&self.patterns) {
            for (o, v) in out.iter_mut().zip(p) {
                *o += w * v;
            }
        }
        (out, weights)
    }

    /// The modern network's energy E = −lse(β, Ξᵀx) + ½ xᵀx with lse(β, z) = β⁻¹ ln Σ_μ e^{β z_μ}
    /// (at β = 0 the limit max z is taken out: −(max z + ln P/β) would diverge). For the other
    /// kernels: None (they descend no such energy).
    pub fn energy(&self, x: &[f64]) -> Option<f64> {
        if self.params.kernel != KernelKind::Softmax {
            return None;
        }
        let z: Vec<f64> = self.patterns.iter().map(|p| dot(p, x)).collect();
        let beta = self.params.beta;
        let lse = if beta > 0.0 {
            log_sum_exp(&z, beta) / beta
        } else {
            z.iter().sum::<f64>() / z.len() as f64
        };
        Some(-lse + 0.5 * dot(x, x))
    }
}

/// K⁻¹ by faer's LU, or None when K is (numerically) singular: K K⁻¹ must be the identity within 10⁻⁶.
pub fn checked_inverse(gram: &Mat<f64>) -> Option<Mat<f64>> {
    let p = gram.nrows();
    let inverse = gram.partial_piv_lu().inverse();
    let product = gram * &inverse;
    let worst = (0..p)
        .flat_map(|a| (0..p).map(move |b| (a, b)))
        .map(|(a, b)| (product[(a, b)] - f64::from(u8::from(a == b))).abs())
        .fold(
            0.0f64,
            |m, x| if x.is_finite() { m.max(x) } else { f64::INFINITY },
        );
    (worst <= 1e-6).then_some(inverse)
}

/// Σ a_k b_k.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// ln Σ exp(β z), shifted by the largest term so it never overflows.
pub fn log_sum_exp(z: &[f64], beta: f64) -> f64 {
    let m = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(beta * v));
    m + z.iter().map(|&v| (beta * v - m).exp()).sum::<f64>().ln()
}

/// softmax(β z).
pub fn softmax(z: &[f64], beta: f64) -> Vec<f64> {
    let lse = log_sum_exp(z, beta);
    z.iter().map(|&v| (beta * v - lse).exp()).collect()
}

/// Cosine similarity of two vectors (the overlap of continuous states).
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    dot(a, b) / (dot(a, a) * dot(b, b)).sqrt().max(1e-300)
}

/// Euclidean distance.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}
