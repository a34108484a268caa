//! Kernel memory networks of binary (±1) neurons (Iatropoulos, Brea & Gerstner 2022): neuron i sets
//! x_i = sign(Σ_μ c_μ(x) ξ_i^μ) with c = K⁻¹ k(x) (minimum-norm interpolation) or c = k(x) (no
//! inverse), k(x)_μ = k(ξ^μ, x) a function of the overlap s = ξ^μᵀx/N. Special cases:
//! - the linear kernel s without the inverse is the classical Hebbian network with W = ΞΞᵀ/N (its
//!   self-coupling included): one update from a stored pattern flips each bit with probability
//!   Φ(−(1 + α)/√α), α = P/N;
//! - the linear kernel with the inverse is the projection (pseudo-inverse) rule: every pattern is a
//!   fixed point while P < N;
//! - the polynomial kernel (1 + s)^d is a dense associative memory;
//! - Kanerva's sparse distributed memory with hard locations everywhere is the kernel whose value is
//!   the number of addresses within Hamming radius r of both states, over those within r of one.

use faer::Mat;
use rand::RngExt;

use super::MemoryError;

/// How a binary kernel memory reads its patterns.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BinaryKernel {
    /// The classical Hebbian network: k = s, no inverse.
    Hebbian,
    /// The projection rule: k = s with K⁻¹.
    PseudoInverse,
    /// k = (1 + s)^degree with K⁻¹.
    Polynomial {
        /// The degree.
        degree: u32,
    },
    /// k = exp(β N (s − 1)) with K⁻¹.
    Exponential {
        /// Inverse temperature per neuron.
        beta: f64,
    },
    /// Kanerva's sparse distributed memory: k = |B_r(ξ) ∩ B_r(x)| / |B_r| with K⁻¹.
    Sdm {
        /// Hamming radius r of the activated locations.
        radius: usize,
    },
}

impl BinaryKernel {
    /// The kernel's name in reports.
    pub fn label(&self) -> String {
        match self {
            Self::Hebbian => "Hebbian (linear, no inverse)".into(),
            Self::PseudoInverse => "pseudo-inverse (linear)".into(),
            Self::Polynomial { degree } => format!("polynomial (1 + s)^{degree}"),
            Self::Exponential { beta } => format!("exponential, β = {beta}"),
            Self::Sdm { radius } => format!("SDM, radius {radius}"),
        }
    }
}

/// C(n, k) as a float (exact for the sizes used here; n ≤ 1000 stays below 10³⁰⁸).
pub fn binomial(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    let k = k.min(n - k);
    (0..k).fold(1.0, |acc, j| acc * (n - j) as f64 / (j + 1) as f64)
}

/// The sparse-distributed-memory kernel for two states at Hamming distance `d` among `n` bits:
/// addresses within `radius` of both over those within `radius` of one (1 at d = 0, 0 beyond 2r).
pub fn sdm_kernel(n: usize, d: usize, radius: usize) -> f64 {
    let ball: f64 = (0..=radius.min(n)).map(|j| binomial(n, j)).sum();
    let mut both = 0.0;
    // k of the d differing bits flipped from a (so agreeing with b), l of the n − d shared bits flipped.
    for k in 0..=d {
        for l in 0..=(n - d) {
            if k + l <= radius && d - k + l <= radius {
                both += binomial(d, k) * binomial(n - d, l);
            }
        }
    }
    both / ball
}

/// A kernel memory of ±1 patterns.
#[derive(Debug, Clone)]
pub struct BinaryMemory {
    kernel: BinaryKernel,
    patterns: Vec<Vec<i8>>,
    n: usize,
    inverse: Option<Mat<f64>>,
    /// SDM kernel values by Hamming distance.
    sdm_table: Vec<f64>,
}

impl BinaryMemory {
    /// A memory of `patterns` (±1, all of one length) read by `kernel`.
    pub fn new(patterns: Vec<Vec<i8>>, kernel: BinaryKernel) -> Result<Self, MemoryError> {
        let n = patterns.first().map_or(0, Vec::len);
        if n == 0 || patterns.iter().any(|p| p.len() != n) {
            return Err(MemoryError(
                "the patterns must be non-empty and of one length".into(),
            ));
        }
        if n > 1000 {
            return Err(MemoryError(format!("at most 1000 neurons, not {n}")));
        }
        let sdm_table = match kernel {
            BinaryKernel::Sdm { radius } => (0..=n).map(|d| sdm_kernel(n, d, radius)).collect(),
            _ => Vec::new(),
        };
        let mut memory = Self {
            kernel,
            patterns,
            n,
            inverse: None,
            sdm_table,
        };
        if kernel != BinaryKernel::Hebbian {
            let p = memory.patterns.len();
            let gram = Mat::<f64>::from_fn(p, p, |a, b| memory.kernel_value(&memory.patterns[a], b));
            let inverse = super::memory::checked_inverse(&gram).ok_or_else(|| {
                MemoryError(format!(
                    "the {} kernel cannot hold these {p} patterns: their kernel matrix is singular",
                    kernel.label()
                ))
            })?;
            memory.inverse = Some(inverse);
        }
        Ok(memory)
    }

    fn kernel_value(&self, x: &[i8], mu: usize) -> f64 {
        let agree: i64 = x
            .iter()
            .zip(&self.patterns[mu])
            .map(|(&a, &b)| i64::from(a) * i64::from(b))
            .sum();
        let s = agree as f64 / self.n as f64;
        match self.kernel {
            BinaryKernel::Hebbian | BinaryKernel::PseudoInverse => s,
            BinaryKernel::Polynomial { degree } => (1.0 + s).powi(degree as i32),
            BinaryKernel::Exponential { beta } => (beta * self.n as f64 * (s - 1.0)).exp(),
            BinaryKernel::Sdm { .. } => {
                let d = ((self.n as i64 - agree) / 2) as usize;
                self.sdm_table[d]
            }
        }
    }

    /// One synchronous update of every neuron (a zero field keeps the neuron's state).
    pub fn update(&self, x: &[i8]) -> Vec<i8> {
        let p = self.patterns.len();
        let k: Vec<f64> = (0..p).map(|mu| self.kernel_value(x, mu)).collect();
        let c: Vec<f64> = match &self.inverse {
            Some(inverse) => (0..p)
                .map(|a| (0..p).map(|b| inverse[(a, b)] * k[b]).sum())
                .collect(),
            None => k,
        };
        (0..self.n)
            .map(|i| {
                let h: f64 = c
                    .iter()
                    .zip(&self.patterns)
                    .map(|(c, p)| c * f64::from(p[i]))
                    .sum();
                if h > 0.0 {
                    1
                } else if h < 0.0 {
                    -1
                } else {
                    x[i]
                }
            })
            .collect()
    }
}

/// `count` random ±1 patterns of `n` bits from `seed`.
pub fn random_binary(n: usize, count: usize, seed: u64) -> Vec<Vec<i8>> {
    let mut rng = crate::rng::substream(seed, 41);
    (0..count)
        .map(|_| {
            (0..n)
                .map(|_| if rng.random::<bool>() { 1 } else { -1 })
                .collect()
        })
        .collect()
}

/// The overlap m = ξᵀx/N.
pub fn overlap(a: &[i8], b: &[i8]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum::<f64>()
        / a.len() as f64
}

/// The fraction of `count` random patterns of `n` bits recalled exactly (overlap 1) after `updates`
/// synchronous updates from cues with a fraction `flip` of their bits flipped; None when the memory
/// cannot hold them.
pub fn binary_recall_fraction(
    kernel: BinaryKernel,
    n: usize,
    count: usize,
    flip: f64,
    updates: usize,
    seed: u64,
) -> Result<Option<f64>, MemoryError> {
    let patterns = random_binary(n, count, seed);
    let memory = match BinaryMemory::new(patterns.clone(), kernel) {
        Ok(m) => m,
        Err(e) if e.0.contains("singular") => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut rng = crate::rng::substream(seed, 43);
    let flips = (flip * n as f64).round() as usize;
    let mut recalled = 0;
    for xi in &patterns {
        let mut x = xi.clone();
        let mut order: Vec<usize> = (0..n).collect();
        for k in 0..flips {
            let j = rng.random_range(k..n);
            order.swap(k, j);
            x[order[k]] = -x[order[k]];
        }
        for _ in 0..updates {
            let next = memory.update(&x);
            if next == x {
                break;
            }
            x = next;
        }
        if overlap(&x, xi) == 1.0 {
            recalled += 1;
        }
    }
    Ok(Some(f64::from(recalled) / count as f64))
}

/// `count` distinct ±1 patterns of `n` bits (a shuffled prefix of the whole hypercube), from `seed`.
pub fn distinct_binary(n: usize, count: usize, seed: u64) -> Result<Vec<Vec<i8>>, MemoryError> {
    if n > 20 || count > 1usize << n {
        return Err(MemoryError(format!(
            "{count} distinct patterns of {n} bits do not exist (or n > 20)"
        )));
    }
    let mut rng = crate::rng::substream(seed, 47);
    let mut states: Vec<u32> = (0..1u32 << n).collect();
    for k in 0..count {
        let j = rng.random_range(k..states.len());
        states.swap(k, j);
    }
    Ok(states[..count]
        .iter()
        .map(|&z| (0..n).map(|b| if z >> b & 1 == 1 { 1 } else { -1 }).collect())
        .collect())
}

/// The most patterns a kernel can hold as fixed points: the dimension of its feature space on the
/// hypercube, N for the linear kernel and Σ_{k≤d} C(N, k) for (1 + s)^d (the multilinear monomials
/// of degree ≤ d); None when every distinct pattern (2^N) can be held (exponential, SDM with r ≥ 1
/// … on distinct patterns the kernel matrix stays invertible).
pub fn rank_limit(kernel: BinaryKernel, n: usize) -> Option<f64> {
    match kernel {
        BinaryKernel::Hebbian | BinaryKernel::PseudoInverse => Some(n as f64),
        BinaryKernel::Polynomial { degree } => Some((0..=degree as usize).map(|k| binomial(n, k)).sum()),
        BinaryKernel::Exponential { .. } | BinaryKernel::Sdm { .. } => None,
    }
}
