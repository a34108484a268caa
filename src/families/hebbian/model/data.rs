//! Zero-mean Gaussian data with a covariance the user shapes: in two dimensions by the two standard
//! deviations along the principal axes and the angle of the first; in more, by the top two
//! variances, a geometric decay for the rest and random orthonormal axes from the seed (faer's QR).

use rand_distr::{Distribution, StandardNormal};

use super::HebbError;
use crate::rng::SimRng;

/// Most input dimensions.
pub const MAX_DIM: usize = 50;

/// What a person sets for the data.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataParams {
    /// Number of input dimensions.
    pub dim: usize,
    /// Standard deviation along the first principal axis.
    pub sigma1: f64,
    /// Standard deviation along the second principal axis.
    pub sigma2: f64,
    /// Angle of the first axis to the x axis, in degrees (two dimensions).
    pub angle_deg: f64,
    /// Each further variance is this fraction of the one before (more than two dimensions).
    pub decay: f64,
}

impl Default for DataParams {
    /// Two dimensions, standard deviations 2 and 1 (variances 4 and 1), the first axis at 30°.
    fn default() -> Self {
        Self {
            dim: 2,
            sigma1: 2.0,
            sigma2: 1.0,
            angle_deg: 30.0,
            decay: 0.7,
        }
    }
}

impl DataParams {
    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), HebbError> {
        if !(2..=MAX_DIM).contains(&self.dim) {
            return Err(HebbError(format!(
                "the data need between 2 and {MAX_DIM} dimensions, not {}",
                self.dim
            )));
        }
        for (name, value) in [("sigma1", self.sigma1), ("sigma2", self.sigma2)] {
            if !(value.is_finite() && value > 0.0 && value <= 100.0) {
                return Err(HebbError(format!(
                    "{name} must be between 0 and 100, not {value}"
                )));
            }
        }
        if !self.angle_deg.is_finite() {
            return Err(HebbError(format!(
                "the angle must be a number, not {}",
                self.angle_deg
            )));
        }
        if !(self.decay.is_finite() && self.decay > 0.0 && self.decay <= 1.0) {
            return Err(HebbError(format!(
                "decay must be between 0 and 1, not {}",
                self.decay
            )));
        }
        Ok(())
    }
}

/// A zero-mean Gaussian with known eigenvalues and eigenvectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Gaussian {
    /// Variances along the principal axes, largest first.
    pub eigenvalues: Vec<f64>,
    /// The principal axes (unit vectors), in the order of `eigenvalues`.
    pub eigenvectors: Vec<Vec<f64>>,
}

impl Gaussian {
    /// The distribution the parameters describe (axes of more than two dimensions drawn from `seed`).
    pub fn new(params: &DataParams, seed: u64) -> Result<Self, HebbError> {
        params.validate()?;
        let dim = params.dim;
        let mut pairs: Vec<(f64, Vec<f64>)> = if dim == 2 {
            let (s, c) = params.angle_deg.to_radians().sin_cos();
            vec![
                (params.sigma1 * params.sigma1, vec![c, s]),
                (params.sigma2 * params.sigma2, vec![-s, c]),
            ]
        } else {
            let mut rng = crate::rng::substream(seed, 77);
            let a = faer::Mat::<f64>::from_fn(dim, dim, |_, _| StandardNormal.sample(&mut rng));
            let q = a.qr().compute_Q();
            (0..dim)
                .map(|k| {
                    let variance = if k == 0 {
                        params.sigma1 * params.sigma1
                    } else {
                        params.sigma2 * params.sigma2 * params.decay.powi(k as i32 - 1)
                    };
                    (variance, (0..dim).map(|r| q[(r, k)]).collect())
                })
                .collect()
        };
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(Self {
            eigenvalues: pairs.iter().map(|p| p.0).collect(),
            eigenvectors: pairs.into_iter().map(|p| p.1).collect(),
        })
    }

    /// Number of dimensions.
    pub fn dim(&self) -> usize {
        self.eigenvalues.len()
    }

    /// One sample x = Σ_k √λ_k z_k e_k with z standard normal, written into `out`.
    pub fn sample(&self, rng: &mut SimRng, out: &mut [f64]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        for (lambda, e) in self.eigenvalues.iter().zip(&self.eigenvectors) {
            let z: f64 = StandardNormal.sample(rng);
            let a = lambda.sqrt() * z;
            for (x, ek) in out.iter_mut().zip(e) {
                *x += a * ek;
            }
        }
    }

    /// The covariance matrix Σ_k λ_k e_k e_kᵀ, row by row.
    pub fn covariance(&self) -> Vec<Vec<f64>> {
        let n = self.dim();
        let mut c = vec![vec![0.0; n]; n];
        for (lambda, e) in self.eigenvalues.iter().zip(&self.eigenvectors) {
            for i in 0..n {
                for j in 0..n {
                    c[i][j] += lambda * e[i] * e[j];
                }
            }
        }
        c
    }

    /// The two-standard-deviation ellipse of a two-dimensional distribution, as 101 points.
    pub fn ellipse(&self, standard_deviations: f64) -> Vec<[f64; 2]> {
        if self.dim() != 2 {
            return Vec::new();
        }
        let (a, b) = (self.eigenvalues[0].sqrt(), self.eigenvalues[1].sqrt());
        let (e1, e2) = (&self.eigenvectors[0], &self.eigenvectors[1]);
        (0..=100)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / 100.0;
                let (u, v) = (
                    standard_deviations * a * t.cos(),
                    standard_deviations * b * t.sin(),
                );
                [u * e1[0] + v * e2[0], u * e1[1] + v * e2[1]]
            })
            .collect()
    }
}
