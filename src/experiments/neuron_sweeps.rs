//! Single-neuron sweeps: the f-I curve of a white-noise-driven LIF or EIF neuron, beside theory.

use crate::analysis::eif_theory::{EifParams, eif_rate_hz};
use serde::Serialize;

use super::Progress;
use crate::analysis::lif_theory::{LifParams, lif_rate_hz, siegert_rate_hz};
use crate::spiking::{NeuronModel, NeuronParams, NoisyNeuron, SpikingError};

/// One point of an f-I curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FiPoint {
    /// Mean input μ, in mV.
    pub mu_mv: f64,
    /// Measured rate, in Hz.
    pub rate_hz: f64,
    /// Theory: the Siegert rate (LIF with noise) or the deterministic rate (LIF without); None for EIF.
    pub theory_hz: Option<f64>,
}

/// Rates of one neuron for each μ in `mus`, simulated for `seconds` each.
pub fn fi_curve(
    params: NeuronParams,
    mus: &[f64],
    sigma_mv: f64,
    seconds: f64,
    dt_ms: f64,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Vec<FiPoint>, SpikingError> {
    let theory = LifParams {
        tau_m_ms: params.tau_m_ms,
        theta_mv: params.v_threshold_mv - params.v_rest_mv,
        v_reset_mv: params.v_reset_mv - params.v_rest_mv,
        tau_ref_ms: params.tau_ref_ms,
    };
    let steps = (seconds * 1000.0 / dt_ms).round() as u64;
    let mut points = Vec::new();
    for (k, &mu) in mus.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        let mut neuron = NoisyNeuron::new(params, mu, sigma_mv, dt_ms)?;
        let mut rng = crate::rng::substream(seed, k as u64);
        let spikes = (0..steps).filter(|_| neuron.step(&mut rng)).count();
        let theory_hz = match params.model {
            NeuronModel::Lif if sigma_mv > 0.0 => Some(siegert_rate_hz(mu, sigma_mv, &theory)),
            NeuronModel::Lif => Some(lif_rate_hz(mu, &theory)),
            NeuronModel::Eif { delta_t_mv, v_t_mv } => {
                let rest = params.v_rest_mv;
                let eif = EifParams {
                    tau_m_ms: params.tau_m_ms,
                    delta_t_mv,
                    v_t_mv: v_t_mv - rest,
                    v_reset_mv: params.v_reset_mv - rest,
                    v_cut_mv: params.v_threshold_mv - rest,
                    tau_ref_ms: params.tau_ref_ms,
                };
                Some(eif_rate_hz(mu, sigma_mv, &eif))
            }
        };
        points.push(FiPoint {
            mu_mv: mu,
            rate_hz: spikes as f64 / seconds,
            theory_hz,
        });
        progress.advance(k + 1, mus.len());
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_lif_curve_follows_siegert() {
        let mus = [10.0, 15.0, 20.0, 25.0];
        let points = fi_curve(
            NeuronParams::default(),
            &mus,
            5.0,
            20.0,
            0.02,
            1,
            &mut super::super::NoProgress,
        )
        .expect("valid");
        for p in points {
            let theory = p.theory_hz.expect("LIF has theory");
            // 20 s at these rates: the counting error is below ~5 % where the rate exceeds 5 Hz.
            assert!((p.rate_hz - theory).abs() < 0.08 * theory + 0.5, "{p:?}");
        }
    }
}
