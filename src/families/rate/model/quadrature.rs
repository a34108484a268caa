//! Gaussian expectations by composite Gauss–Legendre quadrature.
//!
//! Hand-written (about 40 lines) rather than a crate: the integrands of the mean-field theory are
//! smooth but become steep (a sigmoid of width 1/β seen through a noise of standard deviation
//! √Δ0 ≫ 1/β) or even discontinuous (the step-function rules), which a global Gauss–Hermite
//! rule resolves poorly. Short Gauss–Legendre panels with breakpoints at the known kinks converge
//! fast on every one of them, and the nodes are a few Newton iterations on Legendre polynomials.

use std::f64::consts::PI;

/// Points per Gauss–Legendre panel.
pub const PANEL_POINTS: usize = 8;
/// Half-width of the Gaussian integration range, in standard deviations (tail mass ≈ 1e-17).
pub const GAUSS_RANGE: f64 = 8.5;
/// Widest panel of the outer (pattern) integral, in standard deviations.
pub const PANEL_WIDTH: f64 = 0.5;

/// Gauss–Legendre nodes and weights on [−1, 1] (n ≥ 2).
pub fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut nodes = vec![0.0; n];
    let mut weights = vec![0.0; n];
    for i in 0..n.div_ceil(2) {
        let mut x = (PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
        let mut derivative = 1.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, x);
            for k in 2..=n {
                let p2 = ((2 * k - 1) as f64 * x * p1 - (k - 1) as f64 * p0) / k as f64;
                p0 = p1;
                p1 = p2;
            }
            derivative = n as f64 * (x * p1 - p0) / (x * x - 1.0);
            let dx = p1 / derivative;
            x -= dx;
            if dx.abs() < 1e-15 {
                break;
            }
        }
        nodes[i] = -x;
        nodes[n - 1 - i] = x;
        let w = 2.0 / ((1.0 - x * x) * derivative * derivative);
        weights[i] = w;
        weights[n - 1 - i] = w;
    }
    (nodes, weights)
}

/// Nodes and weights of ∫ F(x) dx over [`low`, `high`] cut at `breaks` into panels no wider than `width`.
pub fn composite(low: f64, high: f64, breaks: &[f64], width: f64) -> Vec<(f64, f64)> {
    let (nodes, weights) = gauss_legendre(PANEL_POINTS);
    let mut cuts: Vec<f64> = vec![low, high];
    cuts.extend(breaks.iter().copied().filter(|&b| b > low && b < high));
    cuts.sort_by(f64::total_cmp);
    let mut out = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let panels = ((b - a) / width).ceil().max(1.0) as usize;
        let h = (b - a) / panels as f64;
        for p in 0..panels {
            let mid = a + (p as f64 + 0.5) * h;
            for (x, w) in nodes.iter().zip(&weights) {
                out.push((mid + 0.5 * h * x, 0.5 * h * w));
            }
        }
    }
    out
}

/// Standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// Standard normal distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Nodes ξ and weights w with Σ w F(ξ) ≈ E[F(ξ)] for ξ ~ N(0, 1), panels cut at `breaks`.
pub fn gaussian_nodes(breaks: &[f64]) -> Vec<(f64, f64)> {
    composite(-GAUSS_RANGE, GAUSS_RANGE, breaks, PANEL_WIDTH)
        .into_iter()
        .map(|(x, w)| (x, w * normal_pdf(x)))
        .collect()
}

/// E[F(ξ)] for ξ ~ N(0, 1), panels cut at `breaks` (where F has kinks or steps).
pub fn gaussian_mean(breaks: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    gaussian_nodes(breaks).iter().map(|&(x, w)| w * f(x)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legendre_integrates_polynomials_exactly() {
        let (x, w) = gauss_legendre(PANEL_POINTS);
        let integral: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(14)).sum();
        assert!((integral - 2.0 / 15.0).abs() < 1e-14, "{integral}");
    }

    #[test]
    fn gaussian_moments() {
        assert!((gaussian_mean(&[], |_| 1.0) - 1.0).abs() < 1e-13);
        assert!((gaussian_mean(&[], |x| x * x) - 1.0).abs() < 1e-13);
        assert!((gaussian_mean(&[0.3], |x| f64::from(u8::from(x > 0.3))) - normal_cdf(-0.3)).abs() < 1e-13);
    }
}
