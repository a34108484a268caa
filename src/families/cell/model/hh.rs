//! The Hodgkin-Huxley (1952) squid-axon neuron in the modern convention (rest ≈ −65 mV), with the rate
//! functions of Dayan & Abbott (2001, ch. 5) at 6.3 °C: C dV/dt = I − g_Na m³h (V − E_Na) − g_K n⁴ (V − E_K)
//! − g_L (V − E_L), dx/dt = α_x(V)(1 − x) − β_x(V) x for x = m, h, n. Currents in µA/cm², conductances in
//! mS/cm², C in µF/cm², time in ms.
//!
//! Stepped by exponential Euler (Dayan & Abbott §5.6): each gate relaxes exactly towards x_∞(V) with
//! τ_x(V) over the step, then V relaxes exactly towards V_∞ with τ_V = C / g_total at the new gates.
//! Unlike forward Euler it cannot overshoot a gate past 0 or 1, and it is stable at dt = 0.025 ms;
//! [`HhNeuron::step_rk4`] is the reference the tests compare it with.

use super::CellError;

/// Parameters of the Hodgkin-Huxley membrane.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HhParams {
    /// Membrane capacitance, in µF/cm².
    pub c_uf_cm2: f64,
    /// Maximal sodium conductance, in mS/cm².
    pub g_na_ms_cm2: f64,
    /// Maximal potassium conductance, in mS/cm².
    pub g_k_ms_cm2: f64,
    /// Leak conductance, in mS/cm².
    pub g_l_ms_cm2: f64,
    /// Sodium reversal potential, in mV.
    pub e_na_mv: f64,
    /// Potassium reversal potential, in mV.
    pub e_k_mv: f64,
    /// Leak reversal potential, in mV.
    pub e_l_mv: f64,
    /// Temperature, in °C: every rate is multiplied by 3^((T − 6.3)/10) (Q10 = 3).
    pub temperature_c: f64,
}

impl Default for HhParams {
    /// The squid axon: g_Na 120, g_K 36, g_L 0.3 mS/cm², E_Na 50, E_K −77, E_L −54.387 mV, 1 µF/cm², 6.3 °C.
    fn default() -> Self {
        Self {
            c_uf_cm2: 1.0,
            g_na_ms_cm2: 120.0,
            g_k_ms_cm2: 36.0,
            g_l_ms_cm2: 0.3,
            e_na_mv: 50.0,
            e_k_mv: -77.0,
            e_l_mv: -54.387,
            temperature_c: 6.3,
        }
    }
}

/// x / (1 − exp(−x/k)), continuous at x = 0 (where it is k): the form of α_m and α_n.
fn linear_over_exp(x: f64, k: f64) -> f64 {
    if x.abs() < 1e-7 * k {
        k + x / 2.0
    } else {
        x / (1.0 - (-x / k).exp())
    }
}

/// Opening and closing rates (per ms) of the three gates at one potential.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateRates {
    /// α_m, β_m.
    pub m: (f64, f64),
    /// α_h, β_h.
    pub h: (f64, f64),
    /// α_n, β_n.
    pub n: (f64, f64),
}

impl GateRates {
    /// The rates at `v_mv` and temperature factor `phi`.
    pub fn at(v_mv: f64, phi: f64) -> Self {
        Self {
            m: (
                phi * 0.1 * linear_over_exp(v_mv + 40.0, 10.0),
                phi * 4.0 * (-(v_mv + 65.0) / 18.0).exp(),
            ),
            h: (
                phi * 0.07 * (-(v_mv + 65.0) / 20.0).exp(),
                phi / (1.0 + (-(v_mv + 35.0) / 10.0).exp()),
            ),
            n: (
                phi * 0.01 * linear_over_exp(v_mv + 55.0, 10.0),
                phi * 0.125 * (-(v_mv + 65.0) / 80.0).exp(),
            ),
        }
    }
}

/// Steady state α/(α + β) of a gate.
pub fn steady((alpha, beta): (f64, f64)) -> f64 {
    alpha / (alpha + beta)
}

impl HhParams {
    /// The temperature factor 3^((T − 6.3)/10).
    pub fn phi(&self) -> f64 {
        3f64.powf((self.temperature_c - 6.3) / 10.0)
    }

    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), CellError> {
        let named = [
            ("c_uf_cm2", self.c_uf_cm2),
            ("g_na_ms_cm2", self.g_na_ms_cm2),
            ("g_k_ms_cm2", self.g_k_ms_cm2),
            ("g_l_ms_cm2", self.g_l_ms_cm2),
        ];
        for (name, value) in named {
            if !(value.is_finite() && (0.0..=10_000.0).contains(&value)) {
                return Err(CellError(format!(
                    "{name} must be between 0 and 10000, not {value}"
                )));
            }
        }
        if self.c_uf_cm2 <= 0.0 || self.g_l_ms_cm2 <= 0.0 {
            return Err(CellError(format!(
                "the capacitance and the leak must be positive (c_uf_cm2 = {}, g_l_ms_cm2 = {})",
                self.c_uf_cm2, self.g_l_ms_cm2
            )));
        }
        for (name, value) in [
            ("e_na_mv", self.e_na_mv),
            ("e_k_mv", self.e_k_mv),
            ("e_l_mv", self.e_l_mv),
        ] {
            if !(value.is_finite() && value.abs() <= 200.0) {
                return Err(CellError(format!(
                    "{name} must be between −200 and 200 mV, not {value}"
                )));
            }
        }
        if !(self.temperature_c.is_finite() && (-10.0..=45.0).contains(&self.temperature_c)) {
            return Err(CellError(format!(
                "temperature_c must be between −10 and 45 °C, not {}",
                self.temperature_c
            )));
        }
        Ok(())
    }

    /// The ionic current out of the membrane (µA/cm²) at `v_mv` with gates `m`, `h`, `n`.
    pub fn ionic_current(&self, v_mv: f64, m: f64, h: f64, n: f64) -> f64 {
        self.g_na_ms_cm2 * m * m * m * h * (v_mv - self.e_na_mv)
            + self.g_k_ms_cm2 * n.powi(4) * (v_mv - self.e_k_mv)
            + self.g_l_ms_cm2 * (v_mv - self.e_l_mv)
    }

    /// dV/dt (mV/ms) of the full model.
    pub fn dv_dt(&self, v_mv: f64, m: f64, h: f64, n: f64, current: f64) -> f64 {
        (current - self.ionic_current(v_mv, m, h, n)) / self.c_uf_cm2
    }

    /// The potential at which the membrane with every gate at steady state carries `current`
    /// (every fixed point of the full model), found by scanning −100..+60 mV.
    pub fn fixed_points_mv(&self, current: f64) -> Vec<f64> {
        let phi = self.phi();
        let net = |v: f64| {
            let r = GateRates::at(v, phi);
            current - self.ionic_current(v, steady(r.m), steady(r.h), steady(r.n))
        };
        scan_roots(net, -100.0, 60.0, 1600)
    }
}

/// Roots of `f` on [from, to], by sign changes on `steps` intervals refined by bisection.
pub fn scan_roots(f: impl Fn(f64) -> f64, from: f64, to: f64, steps: usize) -> Vec<f64> {
    let mut roots = Vec::new();
    let width = (to - from) / steps as f64;
    let mut previous = (from, f(from));
    for k in 1..=steps {
        let x = from + width * k as f64;
        let y = f(x);
        if previous.1 == 0.0 {
            roots.push(previous.0);
        } else if previous.1 * y < 0.0 {
            let (mut lo, mut hi, mut f_lo) = (previous.0, x, previous.1);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                let f_mid = f(mid);
                if f_mid * f_lo > 0.0 {
                    lo = mid;
                    f_lo = f_mid;
                } else {
                    hi = mid;
                }
            }
            roots.push(0.5 * (lo + hi));
        }
        previous = (x, y);
    }
    roots
}

/// One Hodgkin-Huxley neuron: potential and gates.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HhNeuron {
    /// Membrane potential, in mV.
    pub v_mv: f64,
    /// Sodium activation m.
    pub m: f64,
    /// Sodium inactivation h.
    pub h: f64,
    /// Potassium activation n.
    pub n: f64,
}

impl HhNeuron {
    /// At rest without input: the fixed point of the full model for zero current, gates at steady state.
    pub fn at_rest(params: &HhParams) -> Self {
        let v = params
            .fixed_points_mv(0.0)
            .first()
            .copied()
            .unwrap_or(params.e_l_mv);
        Self::at(params, v)
    }

    /// At potential `v_mv` with every gate at its steady state there.
    pub fn at(params: &HhParams, v_mv: f64) -> Self {
        let r = GateRates::at(v_mv, params.phi());
        Self {
            v_mv,
            m: steady(r.m),
            h: steady(r.h),
            n: steady(r.n),
        }
    }

    /// One exponential-Euler step of `dt_ms` with input `current` (µA/cm²).
    pub fn step(&mut self, params: &HhParams, current: f64, dt_ms: f64) {
        let r = GateRates::at(self.v_mv, params.phi());
        let relax = |x: f64, rates: (f64, f64)| {
            let total = rates.0 + rates.1;
            let inf = rates.0 / total;
            inf + (x - inf) * (-dt_ms * total).exp()
        };
        self.m = relax(self.m, r.m);
        self.h = relax(self.h, r.h);
        self.n = relax(self.n, r.n);
        let g_na = params.g_na_ms_cm2 * self.m * self.m * self.m * self.h;
        let g_k = params.g_k_ms_cm2 * self.n.powi(4);
        let g_total = g_na + g_k + params.g_l_ms_cm2;
        let v_inf =
            (g_na * params.e_na_mv + g_k * params.e_k_mv + params.g_l_ms_cm2 * params.e_l_mv + current)
                / g_total;
        self.v_mv = v_inf + (self.v_mv - v_inf) * (-dt_ms * g_total / params.c_uf_cm2).exp();
    }

    /// The derivatives (dV, dm, dh, dn)/dt of the full model.
    fn derivatives(&self, params: &HhParams, current: f64) -> [f64; 4] {
        let r = GateRates::at(self.v_mv, params.phi());
        let gate = |x: f64, (a, b): (f64, f64)| a * (1.0 - x) - b * x;
        [
            params.dv_dt(self.v_mv, self.m, self.h, self.n, current),
            gate(self.m, r.m),
            gate(self.h, r.h),
            gate(self.n, r.n),
        ]
    }

    /// One classical fourth-order Runge-Kutta step (the reference integration of the tests; at
    /// dt = 0.001 ms it agrees with itself at half the step to better than 10⁻⁶ mV).
    pub fn step_rk4(&mut self, params: &HhParams, current: f64, dt_ms: f64) {
        let shifted = |s: &Self, d: [f64; 4], f: f64| Self {
            v_mv: s.v_mv + f * d[0],
            m: s.m + f * d[1],
            h: s.h + f * d[2],
            n: s.n + f * d[3],
        };
        let k1 = self.derivatives(params, current);
        let k2 = shifted(self, k1, dt_ms / 2.0).derivatives(params, current);
        let k3 = shifted(self, k2, dt_ms / 2.0).derivatives(params, current);
        let k4 = shifted(self, k3, dt_ms).derivatives(params, current);
        let mix = |i: usize| dt_ms / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        *self = Self {
            v_mv: self.v_mv + mix(0),
            m: self.m + mix(1),
            h: self.h + mix(2),
            n: self.n + mix(3),
        };
    }

    /// True when every value is a finite number.
    pub fn is_finite(&self) -> bool {
        [self.v_mv, self.m, self.h, self.n].iter().all(|x| x.is_finite())
    }
}

/// h in Rinzel's reduction of Hodgkin-Huxley to two variables: h ≈ 0.89 − 1.1 n along the spike
/// (m is taken at its steady state m_∞(V)).
pub fn reduced_h(n: f64) -> f64 {
    (0.89 - 1.1 * n).clamp(0.0, 1.0)
}

/// dV/dt of the reduced (V, n) model.
pub fn reduced_dv_dt(params: &HhParams, v_mv: f64, n: f64, current: f64) -> f64 {
    let m = steady(GateRates::at(v_mv, params.phi()).m);
    params.dv_dt(v_mv, m, reduced_h(n), n, current)
}

/// The largest real part (per ms) of the eigenvalues of the full four-variable model's Jacobian at
/// its resting fixed point for `current` (central differences; eigenvalues by faer): negative while
/// rest is stable, positive past the Hopf bifurcation (≈ 9.78 µA/cm² for the squid axon).
pub fn rest_growth_rate_per_ms(params: &HhParams, current: f64) -> Option<f64> {
    let v = *params.fixed_points_mv(current).first()?;
    let rest = HhNeuron::at(params, v);
    let as_array = |s: &HhNeuron| [s.v_mv, s.m, s.h, s.n];
    let from_array = |x: [f64; 4]| HhNeuron {
        v_mv: x[0],
        m: x[1],
        h: x[2],
        n: x[3],
    };
    let steps = [1e-5, 1e-7, 1e-7, 1e-7];
    let mut jacobian = faer::Mat::<f64>::zeros(4, 4);
    for (col, step) in steps.iter().enumerate() {
        let mut plus = as_array(&rest);
        let mut minus = as_array(&rest);
        plus[col] += step;
        minus[col] -= step;
        let fp = from_array(plus).derivatives(params, current);
        let fm = from_array(minus).derivatives(params, current);
        for row in 0..4 {
            jacobian[(row, col)] = (fp[row] - fm[row]) / (2.0 * step);
        }
    }
    let eigenvalues = jacobian.eigenvalues().ok()?;
    eigenvalues.iter().map(|z| z.re).max_by(f64::total_cmp)
}
