//! The Hebbian family's pure model: a linear neuron y = wᵀx on zero-mean Gaussian data learns the
//! principal component by Oja's rule Δw = η y (x − y w) (Oja 1982), the first k components by
//! Sanger's generalised Hebbian algorithm Δw_i = η y_i (x − Σ_{j≤i} y_j w_j) (Sanger 1989), while
//! plain Hebb Δw = η y x runs beside it on the same samples and grows without bound. No egui, threads
//! or files; deterministic for a seed.

pub mod data;
#[cfg(test)]
mod tests;

pub use data::{DataParams, Gaussian};

use rand_distr::{Distribution, StandardNormal};

use crate::rng::SimRng;

/// A value or combination the Hebbian family refuses, in words naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HebbError(pub String);

impl std::fmt::Display for HebbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HebbError {}

/// Most components Sanger's rule may learn.
pub const MAX_COMPONENTS: usize = 8;

/// What a person sets for learning.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnParams {
    /// Learning rate η.
    pub eta: f64,
    /// Components learned: 1 is Oja's rule, more is Sanger's.
    pub components: usize,
    /// Length of the initial weight vectors (random directions).
    pub initial_norm: f64,
}

impl Default for LearnParams {
    /// η = 0.005, Oja's rule (one component), starting at |w| = 0.3.
    fn default() -> Self {
        Self {
            eta: 0.005,
            components: 1,
            initial_norm: 0.3,
        }
    }
}

impl LearnParams {
    /// Checks the values for data of `dim` dimensions, naming the one that is wrong.
    pub fn validate(&self, dim: usize) -> Result<(), HebbError> {
        if !(self.eta.is_finite() && self.eta > 0.0 && self.eta <= 1.0) {
            return Err(HebbError(format!("η must be between 0 and 1, not {}", self.eta)));
        }
        let most = dim.min(MAX_COMPONENTS);
        if !(1..=most).contains(&self.components) {
            return Err(HebbError(format!(
                "components must be between 1 and {most} for {dim}-dimensional data, not {}",
                self.components
            )));
        }
        if !(self.initial_norm.is_finite() && self.initial_norm > 0.0 && self.initial_norm <= 100.0) {
            return Err(HebbError(format!(
                "the initial |w| must be between 0 and 100, not {}",
                self.initial_norm
            )));
        }
        Ok(())
    }

    /// "Oja" or "Sanger (k = 3)".
    pub fn rule_name(&self) -> String {
        if self.components == 1 {
            "Oja".into()
        } else {
            format!("Sanger (k = {})", self.components)
        }
    }
}

/// The learners: the k weight vectors of Oja's or Sanger's rule, and plain Hebb beside them, kept
/// as a unit direction and the logarithm of its length (its length passes 10³⁰⁸ within minutes).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Learner {
    /// Weight vectors of Oja's (k = 1) or Sanger's rule, one per component.
    pub weights: Vec<Vec<f64>>,
    /// Direction of plain Hebb's weight vector.
    pub hebb_direction: Vec<f64>,
    /// Natural logarithm of the length of plain Hebb's weight vector.
    pub hebb_log_norm: f64,
    /// Samples learned from.
    pub steps: u64,
    ys: Vec<f64>,
    delta: Vec<f64>,
}

impl Learner {
    /// Random initial directions (drawn from `rng`) of length `params.initial_norm`; Hebb starts
    /// where the first component starts.
    pub fn new(dim: usize, params: &LearnParams, rng: &mut SimRng) -> Self {
        let weights: Vec<Vec<f64>> = (0..params.components)
            .map(|_| {
                let v: Vec<f64> = (0..dim).map(|_| StandardNormal.sample(rng)).collect();
                let norm = norm(&v).max(1e-12);
                v.iter().map(|x| x / norm * params.initial_norm).collect()
            })
            .collect();
        let hebb_direction = weights[0].iter().map(|x| x / params.initial_norm).collect();
        Self {
            hebb_log_norm: params.initial_norm.ln(),
            hebb_direction,
            weights,
            steps: 0,
            ys: Vec::new(),
            delta: vec![0.0; dim],
        }
    }

    /// Learns from one sample `x` at rate `eta`.
    pub fn learn(&mut self, x: &[f64], eta: f64) {
        self.ys.clear();
        self.ys.extend(self.weights.iter().map(|w| dot(w, x)));
        // Sanger: w_i += η y_i (x − Σ_{j≤i} y_j w_j), every term from the weights before the step.
        let mut residual = x.to_vec();
        let updates: Vec<Vec<f64>> = self
            .weights
            .iter()
            .zip(&self.ys)
            .map(|(w, &y)| {
                for (r, wk) in residual.iter_mut().zip(w) {
                    *r -= y * wk;
                }
                residual.iter().map(|r| eta * y * r).collect()
            })
            .collect();
        for (w, u) in self.weights.iter_mut().zip(updates) {
            for (wk, uk) in w.iter_mut().zip(u) {
                *wk += uk;
            }
        }
        // Plain Hebb on the direction u with |w| = e^L: w + η (w·x) x = e^L (u + η (u·x) x).
        let y = dot(&self.hebb_direction, x);
        for ((d, u), xk) in self.delta.iter_mut().zip(&self.hebb_direction).zip(x) {
            *d = u + eta * y * xk;
        }
        let n = norm(&self.delta).max(1e-300);
        self.hebb_log_norm += n.ln();
        for (u, d) in self.hebb_direction.iter_mut().zip(&self.delta) {
            *u = d / n;
        }
        self.steps += 1;
    }

    /// True when every weight is a finite number.
    pub fn is_finite(&self) -> bool {
        self.weights.iter().flatten().all(|x| x.is_finite())
            && self.hebb_direction.iter().all(|x| x.is_finite())
            && self.hebb_log_norm.is_finite()
    }

    /// log₁₀ of plain Hebb's |w|.
    pub fn hebb_log10_norm(&self) -> f64 {
        self.hebb_log_norm / std::f64::consts::LN_10
    }
}

/// Σ a_k b_k.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Euclidean length.
pub fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// The angle (degrees, 0–90) between the lines of `w` and `e`: a weight vector that points along
/// −e has found the component as well.
pub fn angle_deg(w: &[f64], e: &[f64]) -> f64 {
    let c = dot(w, e).abs() / (norm(w) * norm(e)).max(1e-300);
    c.clamp(0.0, 1.0).acos().to_degrees()
}

/// The time constant of Oja's rule near convergence, in samples: 1/(η (λ1 − λ2)).
pub fn oja_time_constant(eta: f64, lambda1: f64, lambda2: f64) -> f64 {
    1.0 / (eta * (lambda1 - lambda2))
}

/// The angle (degrees) to the leading eigenvector after `t` samples of the averaged Oja equation
/// on the unit circle of a two-dimensional input, from `angle0_deg`:
/// tan φ(t) = tan φ(0) exp(−η (λ1 − λ2) t) (exact for the averaged dynamics in the (e1, e2) plane).
pub fn oja_angle_theory_deg(angle0_deg: f64, t: f64, eta: f64, lambda1: f64, lambda2: f64) -> f64 {
    (angle0_deg.to_radians().tan() * (-t / oja_time_constant(eta, lambda1, lambda2)).exp())
        .atan()
        .to_degrees()
}

/// From where to where the convergence time is measured, in degrees: the end (20°) lies well above
/// the rule's stationary jitter √(η λ1 λ2 / (2(λ1 − λ2))) (3.3° at η = 0.001 with λ 4 and 2.5), so
/// the first passage is set by the drift, not by the noise.
pub const CONVERGENCE_ANGLES_DEG: (f64, f64) = (70.0, 20.0);

/// Samples Oja's rule takes to turn a unit weight vector from `from_deg` to within `to_deg` of the
/// leading eigenvector (started in the plane of the first two axes), or None within `max_samples`.
pub fn convergence_samples(
    data: &Gaussian,
    eta: f64,
    (from_deg, to_deg): (f64, f64),
    seed: u64,
    max_samples: u64,
) -> Option<u64> {
    let (e1, e2) = (&data.eigenvectors[0], &data.eigenvectors[1]);
    let (s, c) = from_deg.to_radians().sin_cos();
    let params = LearnParams {
        eta,
        initial_norm: 1.0,
        components: 1,
    };
    let mut rng = crate::rng::seeded(seed);
    let mut learner = Learner::new(data.dim(), &params, &mut rng);
    learner.weights[0] = e1.iter().zip(e2).map(|(a, b)| c * a + s * b).collect();
    let mut x = vec![0.0; data.dim()];
    for step in 1..=max_samples {
        data.sample(&mut rng, &mut x);
        learner.learn(&x, eta);
        if angle_deg(&learner.weights[0], e1) < to_deg {
            return Some(step);
        }
    }
    None
}

/// The averaged dynamics' time from `from_deg` to `to_deg`: τ ln(tan φ0 / tan φ1).
pub fn convergence_samples_theory(
    eta: f64,
    lambda1: f64,
    lambda2: f64,
    (from_deg, to_deg): (f64, f64),
) -> f64 {
    oja_time_constant(eta, lambda1, lambda2) * (from_deg.to_radians().tan() / to_deg.to_radians().tan()).ln()
}
