//! Rates of the exponential integrate-and-fire neuron (Fourcaud-Trocmé et al. 2003), with and
//! without white noise, from the first-passage time of a general one-dimensional integrate-and-fire
//! neuron τ_m dV/dt = F(V) + σ √τ_m ξ(t) (Brunel's convention, V from rest, in mV).

/// EIF parameters the theory needs (potentials in mV above rest).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EifParams {
    /// Membrane time constant, in ms.
    pub tau_m_ms: f64,
    /// Slope factor Δ_T, in mV.
    pub delta_t_mv: f64,
    /// Soft threshold V_T, in mV.
    pub v_t_mv: f64,
    /// Reset, in mV.
    pub v_reset_mv: f64,
    /// Cut-off at which a spike is counted, in mV.
    pub v_cut_mv: f64,
    /// Refractory period, in ms.
    pub tau_ref_ms: f64,
}

impl Default for EifParams {
    /// The EIF of `NeuronParams::eif()` from rest: τ_m 20 ms, Δ_T 1 mV, V_T 20 mV, V_r 10 mV, cut-off
    /// 30 mV, τ_ref 2 ms.
    fn default() -> Self {
        Self {
            tau_m_ms: 20.0,
            delta_t_mv: 1.0,
            v_t_mv: 20.0,
            v_reset_mv: 10.0,
            v_cut_mv: 30.0,
            tau_ref_ms: 2.0,
        }
    }
}

impl EifParams {
    /// The drift F(V) = −V + μ + Δ_T e^{(V − V_T)/Δ_T}.
    pub fn drift_mv(&self, v_mv: f64, mu_mv: f64) -> f64 {
        -v_mv + mu_mv + self.delta_t_mv * ((v_mv - self.v_t_mv) / self.delta_t_mv).exp()
    }

    /// The input below which the noiseless EIF is silent: μ = V_T − Δ_T.
    pub fn rheobase_mv(&self) -> f64 {
        self.v_t_mv - self.delta_t_mv
    }
}

/// Firing rate of the EIF with mean input μ and white-noise strength σ, in Hz. Without noise the
/// period is τ_m ∫ dV / F(V) from reset to cut-off; with noise it is the mean first-passage time
/// T = (2τ_m/σ²) ∫_{V_r}^{V_cut} dx e^{−ψ(x)} ∫_{−∞}^{x} e^{ψ(y)} dy, ψ = (2/σ²) ∫ F, which for the
/// LIF drift is the Siegert formula.
pub fn eif_rate_hz(mu_mv: f64, sigma_mv: f64, p: &EifParams) -> f64 {
    if sigma_mv <= 0.0 {
        return deterministic_rate_hz(
            |v| p.drift_mv(v, mu_mv),
            p.v_reset_mv,
            p.v_cut_mv,
            p.tau_m_ms,
            p.tau_ref_ms,
        );
    }
    noisy_rate_hz(
        |v| p.drift_mv(v, mu_mv),
        mu_mv,
        sigma_mv,
        p.v_reset_mv,
        p.v_cut_mv,
        p.tau_m_ms,
        p.tau_ref_ms,
    )
}

/// 1 / (τ_ref + τ_m ∫_{V_r}^{V_cut} dV / F(V)), 0 if F has a zero on the way (a stable rest state).
fn deterministic_rate_hz(
    drift: impl Fn(f64) -> f64,
    reset: f64,
    cut: f64,
    tau_ms: f64,
    tau_ref_ms: f64,
) -> f64 {
    // Midpoint rule on a fine grid: near the rheobase F is small and the integrand peaked.
    let steps = 200_000;
    let h = (cut - reset) / steps as f64;
    let mut period = 0.0;
    for k in 0..steps {
        let f = drift(reset + (k as f64 + 0.5) * h);
        if f <= 0.0 {
            return 0.0;
        }
        period += h / f;
    }
    1000.0 / (tau_ref_ms + tau_ms * period)
}

/// Mean first-passage rate of τ dV/dt = F(V) + σ√τ ξ from `reset` to `cut`, by a cumulative scheme
/// that carries J(x) = e^{−ψ(x)} ∫_{lo}^{x} e^{ψ(y)} dy from step to step (no overflow).
fn noisy_rate_hz(
    drift: impl Fn(f64) -> f64,
    mu: f64,
    sigma: f64,
    reset: f64,
    cut: f64,
    tau_ms: f64,
    tau_ref_ms: f64,
) -> f64 {
    // Below min(reset, μ) − 8σ the density is negligible (e^{−64}).
    let lo = reset.min(mu) - 8.0 * sigma;
    let steps = 400_000;
    let h = (cut - lo) / steps as f64;
    let scale = 2.0 / (sigma * sigma);
    let mut inner = 0.0; // J(x)
    let mut outer = 0.0; // ∫_{V_r}^{x} J
    let mut f_prev = drift(lo);
    for k in 0..steps {
        let x = lo + k as f64 * h;
        let f_next = drift(x + h);
        // ψ(x + h) − ψ(x) by the trapezoid rule.
        let dpsi = scale * 0.5 * (f_prev + f_next) * h;
        let decay = (-dpsi).exp();
        // J(x+h) = e^{−Δψ} J(x) + ∫_x^{x+h} e^{ψ(y) − ψ(x+h)} dy ≈ e^{−Δψ} J(x) + h (1 + e^{−Δψ}) / 2.
        let next = decay * inner + 0.5 * h * (1.0 + decay);
        if x >= reset {
            outer += 0.5 * (inner + next) * h;
        } else if x + h > reset {
            let part = x + h - reset;
            outer += 0.5 * (inner + next) * part;
        }
        inner = next;
        f_prev = f_next;
    }
    let period = tau_ms * scale * outer;
    1000.0 / (tau_ref_ms + period)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lif_theory::{LifParams, lif_rate_hz, siegert_rate_hz};

    /// The general first-passage scheme with the LIF drift reproduces the Siegert formula and the
    /// noiseless LIF rate.
    #[test]
    fn first_passage_scheme_reproduces_siegert_for_the_lif_drift() {
        let lif = LifParams::default();
        for (mu, sigma) in [(15.0, 5.0), (20.0, 3.0), (25.0, 5.0), (10.0, 8.0)] {
            let general = noisy_rate_hz(|v| -v + mu, mu, sigma, 10.0, 20.0, 20.0, 2.0);
            let siegert = siegert_rate_hz(mu, sigma, &lif);
            assert!(
                (general - siegert).abs() < 1e-3 * siegert.max(1.0),
                "μ {mu} σ {sigma}: {general} vs {siegert}"
            );
        }
        let general = deterministic_rate_hz(|v| -v + 25.0, 10.0, 20.0, 20.0, 2.0);
        assert!((general - lif_rate_hz(25.0, &lif)).abs() < 1e-3);
    }

    #[test]
    fn noise_makes_a_subthreshold_eif_fire_and_the_rate_grows_with_it() {
        let p = EifParams::default();
        assert_eq!(eif_rate_hz(18.0, 0.0, &p), 0.0);
        let (low, high) = (eif_rate_hz(18.0, 2.0, &p), eif_rate_hz(18.0, 5.0, &p));
        assert!(0.0 < low && low < high, "{low} {high}");
        // Far above rheobase, weak noise hardly matters.
        let (quiet, noisy) = (eif_rate_hz(30.0, 0.0, &p), eif_rate_hz(30.0, 0.5, &p));
        assert!((quiet - noisy).abs() < 0.02 * quiet, "{quiet} {noisy}");
    }
}
