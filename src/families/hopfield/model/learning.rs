//! Learning rules that turn stored patterns into a symmetric weight matrix with zero diagonal.

use ndarray::Array2;

use super::HopfieldError;

/// Largest number of weights (N²) engram allocates: 1 G weights = 4 GiB of f32.
pub const MAX_WEIGHTS: usize = 1 << 30;

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

/// A symmetric N×N weight matrix, row-major f32.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    n: usize,
    data: Vec<f32>,
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
        let data = match rule {
            LearningRule::Hebb => hebb(patterns, n),
            LearningRule::Storkey => storkey(patterns, n),
            LearningRule::PseudoInverse => pseudo_inverse(patterns, n)?,
        };
        Ok(Self { n, data })
    }

    /// Number of neurons.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Row i: the weights onto neuron i (and, by symmetry, from it).
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.n..(i + 1) * self.n]
    }

    /// J_ij.
    pub fn get(&self, i: usize, j: usize) -> f32 {
        self.data[i * self.n + j]
    }

    /// All weights, row-major.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// A copy of all weights, row-major (for drawing).
    pub fn as_f32_vec(&self) -> Vec<f32> {
        self.data.clone()
    }

    /// Local fields h_i = Σ_j J_ij s_j of a graded state (s real, e.g. rates mapped to [−1, 1]).
    pub fn fields_of(&self, state: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                self.row(i)
                    .iter()
                    .zip(state)
                    .map(|(&w, &s)| f64::from(w) * s)
                    .sum()
            })
            .collect()
    }

    /// Local fields h_i = Σ_j J_ij s_j of a state.
    pub fn fields(&self, state: &[i8]) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                self.row(i)
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
    use faer::{Accum, Mat, Par, Side};
    let p = patterns.len();
    if p == 0 {
        return Ok(vec![0.0; n * n]);
    }
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

    #[test]
    fn refuses_dependent_patterns_and_huge_networks() {
        let mut pats = patterns(2, 30, 4);
        pats.push(pats[0].clone());
        assert!(Weights::learn(LearningRule::PseudoInverse, &pats, 30).is_err());
        let message = check_fits(1_000_000).expect_err("too big").to_string();
        assert!(message.contains("GiB"), "{message}");
    }
}
