//! Learning rules that turn stored patterns into a symmetric weight matrix with zero diagonal.

use ndarray::Array2;

use super::HopfieldError;

/// Largest number of weights (N²) engram allocates: 1 G weights = 4 GiB of f32.
pub const MAX_WEIGHTS: usize = 1 << 30;

/// Above this many neurons the Hebbian weights, and the pseudo-inverse's while P² ≤ N, are kept as
/// their factors J = (1/N) Ξᵀ A Ξ (A = 1 or C⁻¹, P×P) instead of the N×N matrix: at N = 16,384 (a
/// 128×128 grid) the matrix would be 1 GiB, the factors are N·P values, and a flip costs O(P) (Hebb)
/// or O(P²) (the pseudo-inverse) instead of O(N). At or below it (64×64 and smaller, 64 MiB) the
/// matrix is kept, as before; so is the pseudo-inverse's when P² > N, where the matrix is cheaper.
pub const DENSE_MAX_NEURONS: usize = 4096;

/// Most neurons Storkey's rule learns for: it needs the full matrix while learning (the local fields
/// h_ij exclude i and j, which no P×P factor carries), in f64 twice over: 1 GiB at N = 8,192.
pub const STORKEY_MAX_NEURONS: usize = 8192;

/// How stored patterns become weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LearningRule {
    /// Hebb: J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0. Capacity ≈ 0.138 N random patterns.
    Hebb,
    /// Storkey (1997), the incremental rule with local fields h_ij = Σ_{k≠i,j} J_ik ξ_k:
    /// ΔJ_ij = (1/N)(ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j), pattern by pattern; the diagonal is kept at 0.
    Storkey,
    /// Pseudo-inverse (projection): J = (1/N) Ξ C⁻¹ Ξᵀ with C_μν = (1/N) ξ^μ·ξ^ν, diagonal set to 0.
    /// Every linearly independent pattern is a fixed point for P < N (self-coupling removed, which
    /// keeps patterns stable while J_ii ≈ P/N < 1).
    PseudoInverse,
}

impl std::fmt::Display for LearningRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LearningRule::Hebb => "hebb",
            LearningRule::Storkey => "storkey",
            LearningRule::PseudoInverse => "pseudo-inverse",
        })
    }
}

impl std::str::FromStr for LearningRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hebb" | "hebbian" => Ok(LearningRule::Hebb),
            "storkey" => Ok(LearningRule::Storkey),
            "pseudo-inverse" | "pseudoinverse" | "projection" => Ok(LearningRule::PseudoInverse),
            other => Err(format!(
                "unknown learning rule `{other}` (choose hebb, storkey or pseudo-inverse)"
            )),
        }
    }
}

/// A symmetric N×N weight matrix with zero diagonal: row-major f32, or for large Hebbian and
/// pseudo-inverse networks its factors (see [`DENSE_MAX_NEURONS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    n: usize,
    data: Vec<f32>,
    factors: Option<Factors>,
}

/// J_ij = (1/N) ξ_iᵀ A ξ_j for i ≠ j and 0 on the diagonal, with ξ_i the P values of neuron i.
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    /// Patterns P.
    p: usize,
    /// ξ^μ_i neuron-major: the P values of neuron i are contiguous.
    columns: Vec<i8>,
    /// A, P×P row-major (the identity for Hebb, C⁻¹ for the pseudo-inverse).
    a: Vec<f64>,
    /// A is the identity (Hebb): q = d/N in O(P).
    identity: bool,
    /// (1/N) ξ_iᵀ A ξ_i: what the factors would put on the diagonal, taken off again.
    self_coupling: Vec<f64>,
}

impl Factors {
    /// q = (1/N) A d from the overlaps' integer sums d_μ = ξ^μ · s: the fields are then
    /// h_i = ξ_i · q − (self coupling)_i s_i. Computed afresh from integers, so the same state
    /// always gives the same bits.
    pub fn projected_overlaps(&self, dots: &[i64]) -> Vec<f64> {
        // |d| ≤ N < 2⁵³: the conversion is exact.
        let dots: Vec<f64> = dots.iter().map(|&d| d as f64).collect();
        self.project(&dots)
    }

    /// q = (1/N) A d for real sums d (a graded state's).
    fn project(&self, dots: &[f64]) -> Vec<f64> {
        let n = self.self_coupling.len() as f64;
        if self.identity {
            return dots.iter().map(|&d| d / n).collect();
        }
        (0..self.p)
            .map(|mu| {
                self.a[mu * self.p..(mu + 1) * self.p]
                    .iter()
                    .zip(dots)
                    .map(|(&a, &d)| a * d)
                    .sum::<f64>()
                    / n
            })
            .collect()
    }

    /// Field of neuron i in state `s_i` given [`Self::projected_overlaps`] `q`.
    pub fn field(&self, i: usize, q: &[f64], s_i: f64) -> f64 {
        let xi = &self.columns[i * self.p..(i + 1) * self.p];
        xi.iter().zip(q).map(|(&x, &q)| f64::from(x) * q).sum::<f64>() - self.self_coupling[i] * s_i
    }

    /// The energy −½ Σ_ij J_ij s_i s_j = −½ Σ_μ q_μ d_μ + ½ Σ_i (self coupling)_i, O(P).
    pub fn energy(&self, dots: &[i64], q: &[f64]) -> f64 {
        let pairs: f64 = q.iter().zip(dots).map(|(&q, &d)| q * d as f64).sum();
        -0.5 * pairs + 0.5 * self.self_coupling.iter().sum::<f64>()
    }

    /// (1/N) ξ_iᵀ A ξ_j in a network of `n` neurons, O(P²): J_ij off the diagonal, and for
    /// i = j the self coupling the diagonal takes off.
    fn coupling(&self, i: usize, j: usize, n: usize) -> f64 {
        let (xi, xj) = (
            &self.columns[i * self.p..(i + 1) * self.p],
            &self.columns[j * self.p..(j + 1) * self.p],
        );
        let mut sum = 0.0;
        for (mu, &x) in xi.iter().enumerate() {
            for (nu, &y) in xj.iter().enumerate() {
                sum += f64::from(x) * self.a[mu * self.p + nu] * f64::from(y);
            }
        }
        sum / n as f64
    }

    /// ξ^μ · s for every pattern.
    pub fn dots(&self, state: &[f64]) -> Vec<f64> {
        let mut dots = vec![0.0; self.p];
        for (i, &s) in state.iter().enumerate() {
            for (d, &x) in dots.iter_mut().zip(&self.columns[i * self.p..(i + 1) * self.p]) {
                *d += f64::from(x) * s;
            }
        }
        dots
    }
}

impl Weights {
    /// Learns weights for `patterns` (each of length `n`) with `rule`.
    pub fn learn(rule: LearningRule, patterns: &[Vec<i8>], n: usize) -> Result<Self, HopfieldError> {
        check_fits(n)?;
        if let Some(bad) = patterns.iter().find(|p| p.len() != n) {
            return Err(HopfieldError::Size(format!(
                "a pattern has {} neurons, the network {n}",
                bad.len()
            )));
        }
        if rule == LearningRule::Storkey && n > STORKEY_MAX_NEURONS {
            return Self::learn_factored(rule, patterns, n);
        }
        let p = patterns.len();
        let factored = n > DENSE_MAX_NEURONS
            && match rule {
                LearningRule::Hebb => true,
                LearningRule::PseudoInverse => p * p <= n,
                LearningRule::Storkey => false,
            };
        if factored {
            return Self::learn_factored(rule, patterns, n);
        }
        let data = match rule {
            LearningRule::Hebb => hebb(patterns, n),
            LearningRule::Storkey => storkey(patterns, n),
            LearningRule::PseudoInverse => pseudo_inverse(patterns, n)?,
        };
        Ok(Self {
            n,
            data,
            factors: None,
        })
    }

    /// Learns the weights as their factors whatever N (what [`Self::learn`] does above
    /// [`DENSE_MAX_NEURONS`]; tests compare the two at small N).
    pub fn learn_factored(rule: LearningRule, patterns: &[Vec<i8>], n: usize) -> Result<Self, HopfieldError> {
        if let Some(bad) = patterns.iter().find(|p| p.len() != n) {
            return Err(HopfieldError::Size(format!(
                "a pattern has {} neurons, the network {n}",
                bad.len()
            )));
        }
        match rule {
            LearningRule::Hebb => Ok(Self::factored(patterns, n, identity(patterns.len()))),
            LearningRule::PseudoInverse => {
                let a = correlation_inverse(patterns, n)?;
                Ok(Self::factored(patterns, n, a))
            }
            LearningRule::Storkey => Err(HopfieldError::Size(format!(
                "Storkey's rule learns the full weight matrix, so it stops at N = {STORKEY_MAX_NEURONS}; \
                 N = {n} is too many: choose Hebb or the pseudo-inverse, which go through the patterns"
            ))),
        }
    }

    /// The weights kept as their factors with coefficient matrix `a` (P×P).
    fn factored(patterns: &[Vec<i8>], n: usize, a: Vec<f64>) -> Self {
        let p = patterns.len();
        let mut columns = vec![0i8; n * p];
        for (mu, pattern) in patterns.iter().enumerate() {
            for (i, &x) in pattern.iter().enumerate() {
                columns[i * p + mu] = x;
            }
        }
        let mut factors = Factors {
            identity: a == identity(p),
            p,
            columns,
            a,
            self_coupling: Vec::new(),
        };
        factors.self_coupling = (0..n).map(|i| factors.coupling(i, i, n)).collect();
        Self {
            n,
            data: Vec::new(),
            factors: Some(factors),
        }
    }

    /// The factors, when the weights are kept as factors (large Hebbian and pseudo-inverse networks).
    pub fn factors(&self) -> Option<&Factors> {
        self.factors.as_ref()
    }

    /// Number of neurons.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Row i: the weights onto neuron i (and, by symmetry, from it), when the matrix is kept
    /// (None for factored weights).
    pub fn row(&self, i: usize) -> Option<&[f32]> {
        self.factors
            .is_none()
            .then(|| &self.data[i * self.n..(i + 1) * self.n])
    }

    /// J_ij.
    pub fn get(&self, i: usize, j: usize) -> f32 {
        match &self.factors {
            None => self.data[i * self.n + j],
            Some(_) if i == j => 0.0,
            Some(f) => f.coupling(i, j, self.n) as f32,
        }
    }

    /// The weights between every `stride`-th neuron (row-major, side ⌈N/stride⌉), stride the
    /// smallest that keeps the side at most `max_side`: the whole matrix for small networks, a
    /// sample of it for large ones (an average of a block of ±J would wash out to grey).
    pub fn sampled(&self, max_side: usize) -> (usize, Vec<f32>) {
        let stride = self.n.div_ceil(max_side.max(1)).max(1);
        let picked: Vec<usize> = (0..self.n).step_by(stride).collect();
        let Some(f) = &self.factors else {
            let values = picked
                .iter()
                .flat_map(|&i| picked.iter().map(move |&j| self.get(i, j)))
                .collect();
            return (stride, values);
        };
        // g_j = A ξ_j / N once per drawn neuron, then J_ij = ξ_i · g_j in O(P) (not O(P²) each).
        let g: Vec<Vec<f64>> = picked
            .iter()
            .map(|&j| {
                let xj: Vec<f64> = f.columns[j * f.p..(j + 1) * f.p]
                    .iter()
                    .map(|&x| f64::from(x))
                    .collect();
                f.project(&xj)
            })
            .collect();
        let values = picked
            .iter()
            .flat_map(|&i| {
                picked.iter().zip(&g).map(move |(&j, g_j)| {
                    if i == j {
                        0.0
                    } else {
                        let xi = &f.columns[i * f.p..(i + 1) * f.p];
                        xi.iter().zip(g_j).map(|(&x, &g)| f64::from(x) * g).sum::<f64>() as f32
                    }
                })
            })
            .collect();
        (stride, values)
    }

    /// Local fields h_i = Σ_j J_ij s_j of a graded state (s real, e.g. rates mapped to [−1, 1]).
    pub fn fields_of(&self, state: &[f64]) -> Vec<f64> {
        if let Some(f) = &self.factors {
            // q = (1/N) A (Ξ s) once, then O(P) per neuron.
            let q = f.project(&f.dots(state));
            return (0..self.n).map(|i| f.field(i, &q, state[i])).collect();
        }
        (0..self.n)
            .map(|i| {
                self.data[i * self.n..(i + 1) * self.n]
                    .iter()
                    .zip(state)
                    .map(|(&w, &s)| f64::from(w) * s)
                    .sum()
            })
            .collect()
    }

    /// Local fields h_i = Σ_j J_ij s_j of a state.
    pub fn fields(&self, state: &[i8]) -> Vec<f64> {
        if self.factors.is_some() {
            let graded: Vec<f64> = state.iter().map(|&s| f64::from(s)).collect();
            return self.fields_of(&graded);
        }
        (0..self.n)
            .map(|i| {
                self.data[i * self.n..(i + 1) * self.n]
                    .iter()
                    .zip(state)
                    .map(|(&w, &s)| f64::from(w) * f64::from(s))
                    .sum()
            })
            .collect()
    }
}

/// Refuses sizes whose N×N weights would not fit, with the memory they would need.
pub fn check_fits(n: usize) -> Result<(), HopfieldError> {
    if n == 0 {
        return Err(HopfieldError::Size("a network needs at least one neuron".into()));
    }
    if n.checked_mul(n).is_none_or(|w| w > MAX_WEIGHTS) {
        let gib = (n as f64).powi(2) * 4.0 / (1u64 << 30) as f64;
        return Err(HopfieldError::Size(format!(
            "N = {n} needs {gib:.1} GiB for its weight matrix; engram allows at most N = {} (4 GiB)",
            (MAX_WEIGHTS as f64).sqrt() as usize
        )));
    }
    Ok(())
}

/// The P×P identity (Hebb's factor), row-major.
fn identity(p: usize) -> Vec<f64> {
    (0..p * p)
        .map(|k| if k / p == k % p { 1.0 } else { 0.0 })
        .collect()
}

/// The patterns as a P×N matrix Ξ and the Cholesky factor of their correlation C = ΞΞᵀ/N, by faer
/// (Par::Seq: the same bits on every machine). More patterns than neurons, or linearly dependent
/// ones (a pivot below 10⁻¹⁰ of C's diagonal), are refused.
fn correlation_cholesky(
    patterns: &[Vec<i8>],
    n: usize,
) -> Result<(faer::Mat<f64>, faer::linalg::solvers::Llt<f64>), HopfieldError> {
    use faer::linalg::matmul::matmul;
    use faer::{Accum, Mat, Par, Side};
    let p = patterns.len();
    if p > n {
        return Err(HopfieldError::Size(format!(
            "the pseudo-inverse rule needs at most N = {n} patterns, not {p} (their correlation matrix is singular)"
        )));
    }
    let dependent = || {
        HopfieldError::Size("the patterns are linearly dependent (a pattern repeats or is a combination of others): the pseudo-inverse rule cannot store them".into())
    };
    let xi = Mat::<f64>::from_fn(p, n, |mu, i| f64::from(patterns[mu][i]));
    let mut c = Mat::<f64>::zeros(p, p);
    matmul(
        c.as_mut(),
        Accum::Replace,
        xi.as_ref(),
        xi.transpose(),
        1.0 / n as f64,
        Par::Seq,
    );
    let llt = c.llt(Side::Lower).map_err(|_| dependent())?;
    let l = llt.L();
    if (0..p).any(|k| l[(k, k)] * l[(k, k)] <= 1e-10 * c[(k, k)].abs().max(1e-300)) {
        return Err(dependent());
    }
    Ok((xi, llt))
}

/// C⁻¹ for C = ΞΞᵀ/N (the pseudo-inverse's factor), row-major.
fn correlation_inverse(patterns: &[Vec<i8>], n: usize) -> Result<Vec<f64>, HopfieldError> {
    use faer::linalg::solvers::Solve;
    let p = patterns.len();
    let (_, llt) = correlation_cholesky(patterns, n)?;
    let mut inverse = faer::Mat::<f64>::identity(p, p);
    llt.solve_in_place(inverse.as_mut());
    Ok((0..p * p).map(|k| inverse[(k / p, k % p)]).collect())
}

/// The patterns as a P×N matrix of ±1 f32.
fn pattern_matrix(patterns: &[Vec<i8>], n: usize) -> Array2<f32> {
    Array2::from_shape_fn((patterns.len(), n), |(mu, i)| f32::from(patterns[mu][i]))
}

fn hebb(patterns: &[Vec<i8>], n: usize) -> Vec<f32> {
    let xi = pattern_matrix(patterns, n);
    let mut j = xi.t().dot(&xi) / n as f32;
    j.diag_mut().fill(0.0);
    j.into_raw_vec_and_offset().0
}

fn storkey(patterns: &[Vec<i8>], n: usize) -> Vec<f32> {
    let mut w = vec![0f64; n * n];
    let inv_n = 1.0 / n as f64;
    let mut h = vec![0f64; n];
    for pattern in patterns {
        let xi: Vec<f64> = pattern.iter().map(|&s| f64::from(s)).collect();
        // Full fields h_i = Σ_k w_ik ξ_k (w_ii = 0); then h_ij = h_i − w_ij ξ_j.
        for i in 0..n {
            h[i] = w[i * n..(i + 1) * n].iter().zip(&xi).map(|(a, b)| a * b).sum();
        }
        let old = w.clone();
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let h_ij = h[i] - old[i * n + j] * xi[j];
                let h_ji = h[j] - old[j * n + i] * xi[i];
                w[i * n + j] += inv_n * (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]);
            }
        }
    }
    w.into_iter().map(|x| x as f32).collect()
}

/// J = (1/N) Ξᵀ C⁻¹ Ξ with C = ΞΞᵀ/N (the projection rule), by faer: C's Cholesky factor solves for
/// C⁻¹Ξ, and the two products run on one thread (Par::Seq) so the weights are the same bits on every
/// machine. Linearly dependent patterns (a pivot below 10⁻¹⁰ of C's diagonal) are refused.
fn pseudo_inverse(patterns: &[Vec<i8>], n: usize) -> Result<Vec<f32>, HopfieldError> {
    use faer::linalg::matmul::matmul;
    use faer::linalg::solvers::Solve;
    use faer::{Accum, Mat, Par};
    if patterns.is_empty() {
        return Ok(vec![0.0; n * n]);
    }
    let (xi, llt) = correlation_cholesky(patterns, n)?;
    let mut b = xi.clone();
    llt.solve_in_place(b.as_mut());
    let mut j = Mat::<f64>::zeros(n, n);
    matmul(
        j.as_mut(),
        Accum::Replace,
        xi.transpose(),
        b.as_ref(),
        1.0 / n as f64,
        Par::Seq,
    );
    Ok((0..n * n)
        .map(|k| {
            let (row, col) = (k / n, k % n);
            if row == col { 0.0 } else { j[(row, col)] as f32 }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hopfield::cue::random_state;

    fn patterns(p: usize, n: usize, seed: u64) -> Vec<Vec<i8>> {
        let mut rng = crate::rng::seeded(seed);
        (0..p).map(|_| random_state(n, &mut rng)).collect()
    }

    #[test]
    fn weights_are_symmetric_with_zero_diagonal() {
        let pats = patterns(8, 60, 1);
        for rule in [
            LearningRule::Hebb,
            LearningRule::Storkey,
            LearningRule::PseudoInverse,
        ] {
            let w = Weights::learn(rule, &pats, 60).expect("learns");
            for i in 0..60 {
                assert_eq!(w.get(i, i), 0.0, "{rule}");
                for j in 0..60 {
                    assert!((w.get(i, j) - w.get(j, i)).abs() < 1e-5, "{rule} ({i},{j})");
                }
            }
        }
    }

    #[test]
    fn hebb_matches_the_definition() {
        let pats = patterns(3, 20, 2);
        let w = Weights::learn(LearningRule::Hebb, &pats, 20).expect("learns");
        let expected: f32 = pats.iter().map(|p| f32::from(p[3] * p[7])).sum::<f32>() / 20.0;
        assert!((w.get(3, 7) - expected).abs() < 1e-6);
    }

    #[test]
    fn pseudo_inverse_projects_each_pattern_onto_itself() {
        let n = 80;
        let pats = patterns(20, n, 3);
        let w = Weights::learn(LearningRule::PseudoInverse, &pats, n).expect("learns");
        // With the diagonal removed, h = (1 − J_ii) ξ: same sign as ξ on every neuron.
        for p in &pats {
            let h = w.fields(p);
            assert!(h.iter().zip(p).all(|(&h, &s)| h * f64::from(s) > 0.0));
        }
    }

    /// The factors give the matrix's weights, fields and energy (to f32 rounding of the matrix).
    #[test]
    fn factored_weights_are_the_matrix() {
        let n = 300;
        let pats = patterns(12, n, 5);
        let state = random_state(n, &mut crate::rng::seeded(9));
        for rule in [LearningRule::Hebb, LearningRule::PseudoInverse] {
            let dense = Weights::learn(rule, &pats, n).expect("learns");
            let factored = Weights::learn_factored(rule, &pats, n).expect("learns");
            assert!(dense.factors().is_none() && factored.factors().is_some());
            for (i, j) in [(0, 1), (7, 250), (299, 3), (42, 42)] {
                assert!(
                    (dense.get(i, j) - factored.get(i, j)).abs() < 1e-6,
                    "{rule} J[{i},{j}]"
                );
            }
            let ((stride_d, drawn_d), (stride_f, drawn_f)) = (dense.sampled(100), factored.sampled(100));
            assert_eq!((stride_d, stride_f, drawn_d.len()), (3, 3, 100 * 100));
            let drawn_worst = drawn_d
                .iter()
                .zip(&drawn_f)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f32::max);
            assert!(
                drawn_worst < 1e-6,
                "{rule}: the drawn weights differ by {drawn_worst}"
            );
            let (a, b) = (dense.fields(&state), factored.fields(&state));
            let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(worst < 1e-4, "{rule}: fields differ by {worst}");
        }
        assert!(
            Weights::learn_factored(LearningRule::Storkey, &pats, n)
                .is_err_and(|e| e.to_string().contains("Storkey"))
        );
    }

    #[test]
    fn refuses_dependent_patterns_and_huge_networks() {
        let mut pats = patterns(2, 30, 4);
        pats.push(pats[0].clone());
        assert!(Weights::learn(LearningRule::PseudoInverse, &pats, 30).is_err());
        let message = check_fits(1_000_000).expect_err("too big").to_string();
        assert!(message.contains("GiB"), "{message}");
    }
}
