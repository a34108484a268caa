//! Integrate-and-fire theory: the deterministic f-I curve, the Siegert rate for white-noise input,
//! and the stationary membrane-potential density from the Fokker-Planck equation.
//!
//! Convention (Brunel 2000): τ_m dV/dt = −V + μ + σ √τ_m ξ(t), V measured from rest, in mV.

use super::special::erfc;

/// LIF parameters the theory needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifParams {
    /// Membrane time constant, in ms.
    pub tau_m_ms: f64,
    /// Threshold, in mV above rest.
    pub theta_mv: f64,
    /// Reset, in mV above rest.
    pub v_reset_mv: f64,
    /// Refractory period, in ms.
    pub tau_ref_ms: f64,
}

impl Default for LifParams {
    /// τ_m 20 ms, θ 20 mV, V_r 10 mV, τ_ref 2 ms.
    fn default() -> Self {
        Self {
            tau_m_ms: 20.0,
            theta_mv: 20.0,
            v_reset_mv: 10.0,
            tau_ref_ms: 2.0,
        }
    }
}

/// Rate of a noiseless LIF with constant input μ: 1 / (τ_ref + τ_m ln((μ − V_r)/(μ − θ))), 0 if μ ≤ θ.
pub fn lif_rate_hz(mu_mv: f64, p: &LifParams) -> f64 {
    if mu_mv <= p.theta_mv {
        return 0.0;
    }
    1000.0 / (p.tau_ref_ms + p.tau_m_ms * ((mu_mv - p.v_reset_mv) / (mu_mv - p.theta_mv)).ln())
}

/// e^{u²} (1 + erf u) = erfcx(−u), accurate for every u (asymptotic series where erfc underflows).
fn siegert_integrand(u: f64) -> f64 {
    if u > -5.0 {
        (u * u).exp() * erfc(-u)
    } else {
        let x = -u;
        let x2 = x * x;
        (1.0 - 0.5 / x2 + 0.75 / (x2 * x2) - 1.875 / (x2 * x2 * x2)) / (x * std::f64::consts::PI.sqrt())
    }
}

/// Simpson's rule with `intervals` (even) intervals.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, intervals: usize) -> f64 {
    let m = intervals.max(2) / 2 * 2;
    let h = (b - a) / m as f64;
    let mut sum = f(a) + f(b);
    for k in 1..m {
        sum += f(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

/// The Siegert (Ricciardi) mean first-passage rate of a white-noise LIF, in Hz:
/// 1 / (τ_ref + τ_m √π ∫_{(V_r−μ)/σ}^{(θ−μ)/σ} e^{u²}(1 + erf u) du).
pub fn siegert_rate_hz(mu_mv: f64, sigma_mv: f64, p: &LifParams) -> f64 {
    if sigma_mv <= 0.0 {
        return lif_rate_hz(mu_mv, p);
    }
    let lower = (p.v_reset_mv - mu_mv) / sigma_mv;
    let upper = (p.theta_mv - mu_mv) / sigma_mv;
    if upper > 26.0 {
        return 0.0;
    }
    let integral = simpson(siegert_integrand, lower, upper, 4000);
    1000.0 / (p.tau_ref_ms + p.tau_m_ms * std::f64::consts::PI.sqrt() * integral)
}

/// Coefficient of variation of the inter-spike intervals of the white-noise LIF (Brunel 2000, eq. A.23):
/// CV² = 2π (ν τ_m)² ∫_{y_r}^{y_θ} e^{x²} dx ∫_{−∞}^{x} e^{y²} (1 + erf y)² dy, with ν the Siegert rate.
pub fn siegert_cv(mu_mv: f64, sigma_mv: f64, p: &LifParams) -> f64 {
    let nu_per_ms = siegert_rate_hz(mu_mv, sigma_mv, p) / 1000.0;
    if sigma_mv.is_nan() || sigma_mv <= 0.0 || nu_per_ms <= 0.0 {
        return if sigma_mv > 0.0 { 1.0 } else { 0.0 };
    }
    let y_r = (p.v_reset_mv - mu_mv) / sigma_mv;
    let y_theta = (p.theta_mv - mu_mv) / sigma_mv;
    // With g(y) = erfcx(−y)² the inner integrand is g(y) e^{−y²}. The product
    // S(x) = e^{x²} ∫_{−∞}^{x} g(y) e^{−y²} dy stays finite where each factor overflows, and obeys
    // S(x + h) = e^{2xh + h²} S(x) + ∫_x^{x+h} g(y) e^{(x+h)² − y²} dy (trapezoid rule below).
    let g = |y: f64| siegert_integrand(y).powi(2);
    let start = y_r.min(y_theta) - 12.0;
    let steps = 20_000;
    let h = (y_theta - start) / steps as f64;
    let (mut scaled_inner, mut outer, mut previous_outer) = (0.0f64, 0.0, 0.0);
    for k in 0..steps {
        let x = start + k as f64 * h;
        let growth = (2.0 * x * h + h * h).exp();
        scaled_inner = growth * scaled_inner + 0.5 * h * (growth * g(x) + g(x + h));
        let outer_integrand = if x + h >= y_r { scaled_inner } else { 0.0 };
        outer += 0.5 * h * (previous_outer + outer_integrand);
        previous_outer = outer_integrand;
    }
    (2.0 * std::f64::consts::PI * (nu_per_ms * p.tau_m_ms).powi(2) * outer).sqrt()
}

/// A probability density on a grid of membrane potentials.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Density {
    /// Bin centres, in mV.
    pub v_mv: Vec<f64>,
    /// Probability density, per mV.
    pub density: Vec<f64>,
}

/// Stationary membrane-potential density of the white-noise LIF with reset (Brunel & Hakim 1999):
/// P(V) = (2ντ_m/σ) exp(−(V−μ)²/σ²) ∫_{(V−μ)/σ}^{(θ−μ)/σ} Θ(u − (V_r−μ)/σ) e^{u²} du, for V < θ.
/// It integrates to 1 − ν τ_ref (the rest of the probability is in the refractory state).
pub fn fokker_planck_density(
    mu_mv: f64,
    sigma_mv: f64,
    p: &LifParams,
    v_min_mv: f64,
    bins: usize,
) -> Density {
    let nu_per_ms = siegert_rate_hz(mu_mv, sigma_mv, p) / 1000.0;
    let y_theta = (p.theta_mv - mu_mv) / sigma_mv;
    let y_reset = (p.v_reset_mv - mu_mv) / sigma_mv;
    let width = (p.theta_mv - v_min_mv) / bins.max(1) as f64;
    let mut v_mv = Vec::with_capacity(bins);
    let mut density = Vec::with_capacity(bins);
    for k in 0..bins {
        let v = v_min_mv + (k as f64 + 0.5) * width;
        let y = (v - mu_mv) / sigma_mv;
        let from = y.max(y_reset);
        // e^{−y²} ∫ e^{u²} du, with the exponent combined to avoid overflow.
        let integral = if from < y_theta {
            simpson(|u| (u * u - y * y).exp(), from, y_theta, 400)
        } else {
            0.0
        };
        v_mv.push(v);
        density.push(2.0 * nu_per_ms * p.tau_m_ms / sigma_mv * integral);
    }
    Density { v_mv, density }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siegert_tends_to_the_deterministic_rate_for_small_noise() {
        let p = LifParams::default();
        for mu in [22.0, 25.0, 30.0] {
            let det = lif_rate_hz(mu, &p);
            let noisy = siegert_rate_hz(mu, 0.05, &p);
            assert!((noisy - det).abs() / det < 0.02, "μ = {mu}: {noisy} vs {det}");
        }
    }

    #[test]
    fn siegert_matches_an_independently_computed_value() {
        // μ = θ = 20 mV, σ = 5 mV, V_r = 10 mV, τ_m = 20 ms, τ_ref = 2 ms: the integral of
        // e^{u²}(1 + erf u) over [(V_r − μ)/σ, (θ − μ)/σ] = [−2, 0] is 0.975362087 and
        // ν = 1000 / (2 + 20 √π · 0.975362087) = 27.34057 Hz, computed outside engram (Python's
        // math.erf, a midpoint rule with 2·10⁶ points, converged to 10 digits). Simpson with 4000
        // points is far more accurate than the 1e-6 asked here, so a wrong integrand, limit or
        // prefactor fails.
        let p = LifParams::default();
        let nu = siegert_rate_hz(20.0, 5.0, &p);
        assert!((nu - 27.340_567).abs() < 1e-6 * 27.34, "{nu}");
    }

    #[test]
    fn siegert_cv_spans_poisson_to_clock() {
        let p = LifParams {
            tau_ref_ms: 0.0,
            ..LifParams::default()
        };
        // Far below threshold escapes are rare and independent: CV → 1.
        assert!(
            (siegert_cv(0.0, 4.0, &p) - 1.0).abs() < 0.05,
            "{}",
            siegert_cv(0.0, 4.0, &p)
        );
        // Far above threshold with little noise the neuron is a clock: CV → 0.
        assert!(siegert_cv(40.0, 1.0, &p) < 0.1, "{}", siegert_cv(40.0, 1.0, &p));
    }

    #[test]
    fn density_integrates_to_one_minus_refractory_mass() {
        let p = LifParams::default();
        for (mu, sigma) in [(15.0, 5.0), (22.0, 3.0), (10.0, 8.0)] {
            let d = fokker_planck_density(mu, sigma, &p, mu - 6.0 * sigma, 3000);
            let width = d.v_mv[1] - d.v_mv[0];
            let mass: f64 = d.density.iter().sum::<f64>() * width;
            let nu = siegert_rate_hz(mu, sigma, &p) / 1000.0;
            assert!(
                (mass - (1.0 - nu * p.tau_ref_ms)).abs() < 5e-3,
                "μ={mu} σ={sigma}: {mass}"
            );
            assert!(
                d.density.last().copied().unwrap_or(1.0)
                    < 0.01 * d.density.iter().cloned().fold(0.0, f64::max)
            );
        }
    }
}
