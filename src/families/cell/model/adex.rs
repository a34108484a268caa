//! The adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), which holds the EIF
//! (a = b = 0) and the LIF (Δ_T = 0 as well: a hard threshold at V_T) as special cases:
//! C dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T) − w + I, τ_w dw/dt = a (V − E_L) − w; when V
//! reaches V_peak: V → V_r, w → w + b. Currents in pA, conductances in nS, C in pF, time in ms.
//!
//! Stepped by forward Euler with the exponential capped at V_peak, as Brian2 and Naud et al. (2008)
//! do; at dt = 0.01 ms the tests find its spike times within 0.1 ms of a run at a tenth of the step.

use super::CellError;

/// The firing patterns of Naud et al. (2008, Table 1), as presets of the AdEx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdexPreset {
    /// Regular spikes from the first one on.
    Tonic,
    /// Inter-spike intervals that lengthen to a steady rate.
    Adapting,
    /// A burst at the onset, then regular spikes.
    InitialBurst,
    /// Bursts that repeat.
    Bursting,
}

impl AdexPreset {
    /// Every preset, in the order the menus show them.
    pub const ALL: [AdexPreset; 4] = [Self::Tonic, Self::Adapting, Self::InitialBurst, Self::Bursting];

    /// The preset's name as menus and reports show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tonic => "tonic",
            Self::Adapting => "adapting",
            Self::InitialBurst => "initial burst",
            Self::Bursting => "regular bursting",
        }
    }

    /// The preset's parameters and the step current (pA) of Naud et al. (2008, Table 1).
    pub fn params(self) -> (AdexParams, f64) {
        let base = AdexParams::default();
        match self {
            Self::Tonic => (
                AdexParams {
                    c_pf: 200.0,
                    g_l_ns: 10.0,
                    e_l_mv: -70.0,
                    a_ns: 2.0,
                    tau_w_ms: 30.0,
                    b_pa: 0.0,
                    v_reset_mv: -58.0,
                    ..base
                },
                500.0,
            ),
            Self::Adapting => (
                AdexParams {
                    c_pf: 200.0,
                    g_l_ns: 12.0,
                    e_l_mv: -70.0,
                    a_ns: 2.0,
                    tau_w_ms: 300.0,
                    b_pa: 60.0,
                    v_reset_mv: -58.0,
                    ..base
                },
                500.0,
            ),
            Self::InitialBurst => (
                AdexParams {
                    c_pf: 130.0,
                    g_l_ns: 18.0,
                    e_l_mv: -58.0,
                    a_ns: 4.0,
                    tau_w_ms: 150.0,
                    b_pa: 120.0,
                    v_reset_mv: -50.0,
                    ..base
                },
                400.0,
            ),
            Self::Bursting => (
                AdexParams {
                    c_pf: 200.0,
                    g_l_ns: 10.0,
                    e_l_mv: -58.0,
                    a_ns: 2.0,
                    tau_w_ms: 120.0,
                    b_pa: 100.0,
                    v_reset_mv: -46.0,
                    ..base
                },
                210.0,
            ),
        }
    }
}

/// Parameters of an AdEx (EIF when a = b = 0, LIF when also Δ_T = 0).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdexParams {
    /// Membrane capacitance, in pF.
    pub c_pf: f64,
    /// Leak conductance, in nS.
    pub g_l_ns: f64,
    /// Leak reversal potential, in mV.
    pub e_l_mv: f64,
    /// Soft threshold V_T (the hard threshold of the LIF), in mV.
    pub v_t_mv: f64,
    /// Slope factor Δ_T, in mV (0: the LIF's hard threshold).
    pub delta_t_mv: f64,
    /// Subthreshold adaptation a, in nS.
    pub a_ns: f64,
    /// Adaptation time constant τ_w, in ms.
    pub tau_w_ms: f64,
    /// Spike-triggered adaptation b, in pA.
    pub b_pa: f64,
    /// Reset potential V_r, in mV.
    pub v_reset_mv: f64,
    /// Spike cut-off V_peak, in mV (the potential drawn at a spike).
    pub v_peak_mv: f64,
}

impl Default for AdexParams {
    /// The adapting neuron of Naud et al. (2008): C 200 pF, g_L 12 nS, E_L −70 mV, V_T −50 mV,
    /// Δ_T 2 mV, a 2 nS, τ_w 300 ms, b 60 pA, V_r −58 mV, V_peak 0 mV (its EIF and LIF drop a and b,
    /// and the exponential).
    fn default() -> Self {
        Self {
            c_pf: 200.0,
            g_l_ns: 12.0,
            e_l_mv: -70.0,
            v_t_mv: -50.0,
            delta_t_mv: 2.0,
            a_ns: 2.0,
            tau_w_ms: 300.0,
            b_pa: 60.0,
            v_reset_mv: -58.0,
            v_peak_mv: 0.0,
        }
    }
}

impl AdexParams {
    /// The LIF of the same membrane: no exponential, no adaptation, threshold V_T.
    pub fn lif(self) -> Self {
        Self {
            delta_t_mv: 0.0,
            a_ns: 0.0,
            b_pa: 0.0,
            ..self
        }
    }

    /// The EIF of the same membrane: no adaptation.
    pub fn eif(self) -> Self {
        Self {
            a_ns: 0.0,
            b_pa: 0.0,
            ..self
        }
    }

    /// "LIF", "EIF" or "AdEx", from the values.
    pub fn flavour(&self) -> &'static str {
        if self.delta_t_mv == 0.0 {
            if self.a_ns == 0.0 && self.b_pa == 0.0 {
                "LIF"
            } else {
                "adaptive LIF"
            }
        } else if self.a_ns == 0.0 && self.b_pa == 0.0 {
            "EIF"
        } else {
            "AdEx"
        }
    }

    /// The membrane time constant C/g_L, in ms.
    pub fn tau_m_ms(&self) -> f64 {
        self.c_pf / self.g_l_ns
    }

    /// Where a spike is registered: V_peak, or V_T for the LIF.
    pub fn spike_at_mv(&self) -> f64 {
        if self.delta_t_mv == 0.0 {
            self.v_t_mv
        } else {
            self.v_peak_mv
        }
    }

    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), CellError> {
        let positive = [
            ("c_pf", self.c_pf),
            ("g_l_ns", self.g_l_ns),
            ("tau_w_ms", self.tau_w_ms),
        ];
        for (name, value) in positive {
            if !(value.is_finite() && value > 0.0 && value <= 1e6) {
                return Err(CellError(format!(
                    "{name} must be positive and at most 1e6, not {value}"
                )));
            }
        }
        let potentials = [
            ("e_l_mv", self.e_l_mv),
            ("v_t_mv", self.v_t_mv),
            ("v_reset_mv", self.v_reset_mv),
            ("v_peak_mv", self.v_peak_mv),
        ];
        for (name, value) in potentials {
            if !(value.is_finite() && value.abs() <= 200.0) {
                return Err(CellError(format!(
                    "{name} must be between −200 and 200 mV, not {value}"
                )));
            }
        }
        if !(self.delta_t_mv.is_finite() && (0.0..=20.0).contains(&self.delta_t_mv)) {
            return Err(CellError(format!(
                "delta_t_mv must be between 0 and 20 mV, not {}",
                self.delta_t_mv
            )));
        }
        for (name, value) in [("a_ns", self.a_ns), ("b_pa", self.b_pa)] {
            if !(value.is_finite() && value.abs() <= 1e5) {
                return Err(CellError(format!(
                    "{name} must be a number of at most 1e5, not {value}"
                )));
            }
        }
        if self.v_reset_mv >= self.spike_at_mv() {
            return Err(CellError(format!(
                "the reset ({} mV) must be below where a spike is registered ({} mV)",
                self.v_reset_mv,
                self.spike_at_mv()
            )));
        }
        if self.delta_t_mv > 0.0 && self.v_peak_mv <= self.v_t_mv {
            return Err(CellError(format!(
                "v_peak_mv ({} mV) must be above v_t_mv ({} mV)",
                self.v_peak_mv, self.v_t_mv
            )));
        }
        Ok(())
    }

    /// The current (pA) the membrane draws at `v_mv` without adaptation: g_L(V − E_L) − g_L Δ_T exp(…).
    pub fn membrane_current(&self, v_mv: f64) -> f64 {
        let spike = if self.delta_t_mv > 0.0 {
            self.g_l_ns * self.delta_t_mv * ((v_mv - self.v_t_mv) / self.delta_t_mv).min(50.0).exp()
        } else {
            0.0
        };
        self.g_l_ns * (v_mv - self.e_l_mv) - spike
    }

    /// The V-nullcline: w = I − g_L(V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T), in pA.
    pub fn v_nullcline_pa(&self, v_mv: f64, current_pa: f64) -> f64 {
        current_pa - self.membrane_current(v_mv)
    }

    /// The w-nullcline: w = a (V − E_L), in pA.
    pub fn w_nullcline_pa(&self, v_mv: f64) -> f64 {
        self.a_ns * (v_mv - self.e_l_mv)
    }

    /// The rheobase for a constant current, in pA: the largest current with a resting state.
    /// With a ≥ 0 the fixed points meet at V* = V_T + Δ_T ln(1 + a/g_L), where
    /// I_rh = (g_L + a)(V* − E_L − Δ_T) (Touboul & Brette 2008); the LIF's is (g_L + a)(V_T − E_L).
    /// Adaptation that destabilises the resting state first (a Hopf bifurcation, a/g_L > τ_m/τ_w)
    /// lowers the true rheobase: this is the saddle-node value, an upper bound then.
    pub fn saddle_node_rheobase_pa(&self) -> f64 {
        let g = self.g_l_ns + self.a_ns.max(0.0);
        if self.delta_t_mv == 0.0 {
            return g * (self.v_t_mv - self.e_l_mv);
        }
        let v_star = self.v_t_mv + self.delta_t_mv * (g / self.g_l_ns).ln();
        g * (v_star - self.e_l_mv - self.delta_t_mv)
    }
}

/// One AdEx neuron: potential and adaptation current.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdexNeuron {
    /// Membrane potential, in mV.
    pub v_mv: f64,
    /// Adaptation current w, in pA.
    pub w_pa: f64,
}

impl AdexNeuron {
    /// At rest: V = E_L, w = 0.
    pub fn at_rest(params: &AdexParams) -> Self {
        Self {
            v_mv: params.e_l_mv,
            w_pa: 0.0,
        }
    }

    /// One Euler step of `dt_ms` with input `current_pa`; true if the neuron spiked (and was reset).
    pub fn step(&mut self, p: &AdexParams, current_pa: f64, dt_ms: f64) -> bool {
        let dv = (current_pa - p.membrane_current(self.v_mv) - self.w_pa) / p.c_pf;
        let dw = (p.a_ns * (self.v_mv - p.e_l_mv) - self.w_pa) / p.tau_w_ms;
        self.v_mv += dt_ms * dv;
        self.w_pa += dt_ms * dw;
        if self.v_mv >= p.spike_at_mv() {
            self.v_mv = p.v_reset_mv;
            self.w_pa += p.b_pa;
            return true;
        }
        false
    }

    /// True when every value is a finite number.
    pub fn is_finite(&self) -> bool {
        self.v_mv.is_finite() && self.w_pa.is_finite()
    }
}
