//! Integrate-and-fire neuron parameters and the single white-noise-driven neuron.
//!
//! Convention (Brunel 2000): τ_m dV/dt = −(V − V_rest) + μ + σ √τ_m ξ(t), V in mV. The free membrane
//! potential then has mean V_rest + μ and standard deviation σ/√2. LIF integrates the linear part
//! exactly (exact Ornstein-Uhlenbeck update, noise included); EIF adds Δ_T exp((V − V_T)/Δ_T) and is
//! integrated with Euler-Maruyama.

use rand_distr::{Distribution, StandardNormal};

use super::SpikingError;
use crate::rng::SimRng;

/// Leaky or exponential integrate-and-fire.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum NeuronModel {
    /// Leaky integrate-and-fire: spike when V crosses the threshold.
    Lif,
    /// Exponential integrate-and-fire (Fourcaud-Trocmé et al. 2003): spike when V reaches the cut-off.
    Eif {
        /// Sharpness Δ_T of spike initiation, in mV.
        delta_t_mv: f64,
        /// Soft threshold V_T, in mV.
        v_t_mv: f64,
    },
    /// Adaptive exponential integrate-and-fire (Brette & Gerstner 2005) in the network's units:
    /// τ_m dV/dt = −(V − V_rest) + Δ_T e^{(V − V_T)/Δ_T} + μ − w, τ_w dw/dt = a (V − V_rest) − w, and
    /// w += b at every spike; w is the adaptation current times the membrane resistance (mV), a the
    /// subthreshold coupling over the leak conductance.
    Adex {
        /// Sharpness Δ_T of spike initiation, in mV.
        delta_t_mv: f64,
        /// Soft threshold V_T, in mV.
        v_t_mv: f64,
        /// Subthreshold adaptation a/g_L (dimensionless).
        a: f64,
        /// Adaptation time constant τ_w, in ms.
        tau_w_ms: f64,
        /// Spike-triggered adaptation b/g_L, in mV.
        b_mv: f64,
    },
}

impl NeuronModel {
    /// Δ_T and V_T of the exponential models (EIF, AdEx).
    pub fn exponential(&self) -> Option<(f64, f64)> {
        match *self {
            NeuronModel::Lif => None,
            NeuronModel::Eif { delta_t_mv, v_t_mv }
            | NeuronModel::Adex {
                delta_t_mv, v_t_mv, ..
            } => Some((delta_t_mv, v_t_mv)),
        }
    }

    /// a, τ_w and b of the AdEx.
    pub fn adaptation(&self) -> Option<(f64, f64, f64)> {
        match *self {
            NeuronModel::Adex {
                a, tau_w_ms, b_mv, ..
            } => Some((a, tau_w_ms, b_mv)),
            _ => None,
        }
    }
}

/// What a person sets for one population of neurons.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NeuronParams {
    /// LIF or EIF.
    pub model: NeuronModel,
    /// Membrane time constant τ_m, in ms.
    pub tau_m_ms: f64,
    /// Resting potential V_rest (E_l), in mV.
    pub v_rest_mv: f64,
    /// Spike threshold (LIF) or spike cut-off (EIF), in mV.
    pub v_threshold_mv: f64,
    /// Reset potential after a spike, in mV.
    pub v_reset_mv: f64,
    /// Refractory period, in ms (V is held at reset).
    pub tau_ref_ms: f64,
}

impl Default for NeuronParams {
    /// The design-doc neuron: τ_m 20 ms, threshold 20 mV, reset 10 mV, refractory 2 ms, V from rest.
    fn default() -> Self {
        Self {
            model: NeuronModel::Lif,
            tau_m_ms: 20.0,
            v_rest_mv: 0.0,
            v_threshold_mv: 20.0,
            v_reset_mv: 10.0,
            tau_ref_ms: 2.0,
        }
    }
}

impl NeuronParams {
    /// The LIF theory's view of these parameters (potentials measured from rest).
    pub fn lif_theory(&self) -> crate::analysis::lif_theory::LifParams {
        crate::analysis::lif_theory::LifParams {
            tau_m_ms: self.tau_m_ms,
            theta_mv: self.v_threshold_mv - self.v_rest_mv,
            v_reset_mv: self.v_reset_mv - self.v_rest_mv,
            tau_ref_ms: self.tau_ref_ms,
        }
    }

    /// The EIF theory's view of these parameters (from rest; the threshold is the cut-off), if EIF.
    pub fn eif_theory(&self) -> Option<crate::analysis::eif_theory::EifParams> {
        let NeuronModel::Eif { delta_t_mv, v_t_mv } = self.model else {
            return None;
        };
        Some(crate::analysis::eif_theory::EifParams {
            tau_m_ms: self.tau_m_ms,
            delta_t_mv,
            v_t_mv: v_t_mv - self.v_rest_mv,
            v_reset_mv: self.v_reset_mv - self.v_rest_mv,
            v_cut_mv: self.v_threshold_mv - self.v_rest_mv,
            tau_ref_ms: self.tau_ref_ms,
        })
    }

    /// The EIF of the design doc: Δ_T 1 mV, V_T 20 mV, cut-off 30 mV.
    pub fn eif() -> Self {
        Self {
            model: NeuronModel::Eif {
                delta_t_mv: 1.0,
                v_t_mv: 20.0,
            },
            v_threshold_mv: 30.0,
            ..Self::default()
        }
    }

    /// The adapting neuron of Naud et al. (2008) in the network's units (potentials from rest):
    /// τ_m = C/g_L = 16.7 ms, V_T 20 mV, Δ_T 2 mV, cut-off 70 mV, reset 12 mV, a = 2/12, τ_w 300 ms,
    /// b = 60 pA/12 nS = 5 mV, no refractory period.
    pub fn adex() -> Self {
        Self {
            model: NeuronModel::Adex {
                delta_t_mv: 2.0,
                v_t_mv: 20.0,
                a: 2.0 / 12.0,
                tau_w_ms: 300.0,
                b_mv: 5.0,
            },
            tau_m_ms: 200.0 / 12.0,
            v_rest_mv: 0.0,
            v_threshold_mv: 70.0,
            v_reset_mv: 12.0,
            tau_ref_ms: 0.0,
        }
    }

    /// Checks the values against each other and the step `dt_ms`, with messages a person can act on.
    pub fn validate(&self, dt_ms: f64) -> Result<(), SpikingError> {
        let bad = |m: String| Err(SpikingError::Params(m));
        let finite = [
            self.tau_m_ms,
            self.v_rest_mv,
            self.v_threshold_mv,
            self.v_reset_mv,
            self.tau_ref_ms,
        ];
        if finite.iter().any(|v| !v.is_finite()) {
            return bad("neuron parameters must be finite numbers".into());
        }
        if self.tau_m_ms <= 0.0 {
            return bad(format!(
                "the membrane time constant must be positive, not {} ms",
                self.tau_m_ms
            ));
        }
        if self.v_reset_mv >= self.v_threshold_mv {
            return bad(format!(
                "reset ({} mV) must be below threshold ({} mV)",
                self.v_reset_mv, self.v_threshold_mv
            ));
        }
        if self.tau_ref_ms < 0.0 {
            return bad(format!(
                "the refractory period cannot be negative ({} ms)",
                self.tau_ref_ms
            ));
        }
        if !(dt_ms.is_finite() && dt_ms > 0.0) {
            return bad(format!("the time step must be positive, not {dt_ms} ms"));
        }
        if self.tau_ref_ms > 0.0 && dt_ms > self.tau_ref_ms {
            return bad(format!(
                "dt ({dt_ms} ms) must not exceed the refractory period ({} ms)",
                self.tau_ref_ms
            ));
        }
        if dt_ms > 0.5 * self.tau_m_ms {
            return bad(format!(
                "dt ({dt_ms} ms) is too large for τ_m = {} ms (use at most τ_m / 2)",
                self.tau_m_ms
            ));
        }
        if let NeuronModel::Adex {
            a, tau_w_ms, b_mv, ..
        } = self.model
        {
            if !(a.is_finite() && a.abs() <= 1000.0) {
                return bad(format!(
                    "the AdEx coupling a must be a number of at most 1000, not {a}"
                ));
            }
            if !(tau_w_ms.is_finite() && tau_w_ms >= dt_ms) {
                return bad(format!("τ_w must be at least dt ({dt_ms} ms), not {tau_w_ms} ms"));
            }
            if !(b_mv.is_finite() && b_mv.abs() <= 1000.0) {
                return bad(format!(
                    "the AdEx jump b must be a number of at most 1000 mV, not {b_mv}"
                ));
            }
        }
        if let Some((delta_t_mv, v_t_mv)) = self.model.exponential() {
            if delta_t_mv.is_nan() || delta_t_mv <= 0.0 {
                return bad(format!("Δ_T must be positive, not {delta_t_mv} mV"));
            }
            if v_t_mv >= self.v_threshold_mv {
                return bad(format!(
                    "the EIF cut-off ({} mV) must be above V_T ({v_t_mv} mV)",
                    self.v_threshold_mv
                ));
            }
        }
        Ok(())
    }

    /// Whole steps of refractoriness for step `dt_ms`.
    pub fn refractory_steps(&self, dt_ms: f64) -> u32 {
        (self.tau_ref_ms / dt_ms).round() as u32
    }
}

/// One neuron driven by a constant input μ and white noise σ (both in mV), for the f-I and
/// membrane-density experiments.
#[derive(Debug, Clone)]
pub struct NoisyNeuron {
    params: NeuronParams,
    dt_ms: f64,
    mu_mv: f64,
    sigma_mv: f64,
    decay: f64,
    noise_sd: f64,
    refractory_steps: u32,
    /// Membrane potential, in mV.
    pub v_mv: f64,
    /// Adaptation w of an AdEx, in mV (0 otherwise).
    pub w_mv: f64,
    refractory_left: u32,
}

impl NoisyNeuron {
    /// A neuron at rest with validated parameters.
    pub fn new(params: NeuronParams, mu_mv: f64, sigma_mv: f64, dt_ms: f64) -> Result<Self, SpikingError> {
        params.validate(dt_ms)?;
        if !(mu_mv.is_finite() && sigma_mv.is_finite() && sigma_mv >= 0.0) {
            return Err(SpikingError::Params(format!(
                "μ must be finite and σ ≥ 0 (got μ = {mu_mv}, σ = {sigma_mv})"
            )));
        }
        let decay = (-dt_ms / params.tau_m_ms).exp();
        // Exact OU: the variance added over one step is (σ²/2)(1 − e^{−2 dt/τ}).
        let noise_sd = match params.model {
            NeuronModel::Lif => sigma_mv * (0.5 * (1.0 - decay * decay)).sqrt(),
            NeuronModel::Eif { .. } | NeuronModel::Adex { .. } => sigma_mv * (dt_ms / params.tau_m_ms).sqrt(),
        };
        Ok(Self {
            refractory_steps: params.refractory_steps(dt_ms),
            params,
            dt_ms,
            mu_mv,
            sigma_mv,
            decay,
            noise_sd,
            v_mv: params.v_rest_mv,
            w_mv: 0.0,
            refractory_left: 0,
        })
    }

    /// True while the neuron is refractory (V held at reset).
    pub fn is_refractory(&self) -> bool {
        self.refractory_left > 0
    }

    /// The input μ, in mV.
    pub fn mu_mv(&self) -> f64 {
        self.mu_mv
    }

    /// The noise σ, in mV.
    pub fn sigma_mv(&self) -> f64 {
        self.sigma_mv
    }

    /// Advances one step; true if the neuron spiked.
    pub fn step(&mut self, rng: &mut SimRng) -> bool {
        let adaptation = self.params.model.adaptation();
        // The adaptation advances from the step's start, as V does (forward Euler on both).
        let w_old = self.w_mv;
        if let Some((a, tau_w_ms, _)) = adaptation {
            self.w_mv += self.dt_ms / tau_w_ms * (a * (self.v_mv - self.params.v_rest_mv) - w_old);
        }
        if self.refractory_left > 0 {
            self.refractory_left -= 1;
            self.v_mv = self.params.v_reset_mv;
            return false;
        }
        let p = &self.params;
        let xi: f64 = if self.sigma_mv > 0.0 {
            StandardNormal.sample(rng)
        } else {
            0.0
        };
        let target = p.v_rest_mv + self.mu_mv;
        self.v_mv = match p.model {
            NeuronModel::Lif => target + (self.v_mv - target) * self.decay + self.noise_sd * xi,
            NeuronModel::Eif { delta_t_mv, v_t_mv }
            | NeuronModel::Adex {
                delta_t_mv, v_t_mv, ..
            } => {
                let spike_current = delta_t_mv * ((self.v_mv - v_t_mv) / delta_t_mv).min(50.0).exp();
                self.v_mv
                    + self.dt_ms / p.tau_m_ms * (target - self.v_mv + spike_current - w_old)
                    + self.noise_sd * xi
            }
        };
        if self.v_mv >= p.v_threshold_mv {
            self.v_mv = p.v_reset_mv;
            self.refractory_left = self.refractory_steps;
            if let Some((_, _, b_mv)) = adaptation {
                self.w_mv += b_mv;
            }
            return true;
        }
        false
    }
}
