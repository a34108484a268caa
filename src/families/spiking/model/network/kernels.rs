//! Integration kernels: propagators for exact integration over one step, and one loop per
//! neuron/synapse combination.

use super::*;

/// Propagators of one population for the current params and dt.
#[derive(Debug, Clone, Copy)]
pub(super) struct Propagators {
    /// e^{−dt/τ_m}.
    pub(super) decay_m: f32,
    /// Contribution of g_e and g_i (at the step's start) to V at its end (exponential synapses).
    pub(super) from_ge: f32,
    pub(super) from_gi: f32,
    /// V's resting target V_rest + μ.
    pub(super) target: f32,
    /// Standard deviation of the white-noise increment per step.
    pub(super) noise_sd: f32,
    pub(super) threshold: f32,
    pub(super) reset: f32,
    pub(super) refractory_steps: u16,
    /// Cumulative Poisson probabilities of 0, 1, 2, ... external spikes per step.
    pub(super) poisson_cdf: [f32; 24],
    pub(super) poisson_weight: f32,
    pub(super) eif: Option<(f32, f32, f32)>,
}

/// Builds a propagator from parameters.
pub(super) fn propagators(p: &PopulationParams, params: &NetworkParams) -> Propagators {
    let dt = params.dt_ms;
    let n = &p.neuron;
    let decay_m = (-dt / n.tau_m_ms).exp();
    let from_g = |tau_s: f64| {
        if (tau_s - n.tau_m_ms).abs() < 1e-9 {
            dt / n.tau_m_ms * decay_m
        } else {
            tau_s / (tau_s - n.tau_m_ms) * ((-dt / tau_s).exp() - decay_m)
        }
    };
    let (from_ge, from_gi) = match params.synapse {
        SynapseModel::Exponential { tau_e_ms, tau_i_ms } => (from_g(tau_e_ms), from_g(tau_i_ms)),
        SynapseModel::Delta => (0.0, 0.0),
    };
    let noise_sd = match n.model {
        NeuronModel::Lif => p.drive.noise_mv * (0.5 * (1.0 - decay_m * decay_m)).sqrt(),
        NeuronModel::Eif { .. } => p.drive.noise_mv * (dt / n.tau_m_ms).sqrt(),
    };
    let lambda = p.drive.poisson_sources as f64 * p.drive.poisson_rate_hz * dt / 1000.0;
    let mut poisson_cdf = [1.0f32; 24];
    if lambda > 0.0 {
        let (mut term, mut sum) = ((-lambda).exp(), 0.0);
        for (k, slot) in poisson_cdf.iter_mut().enumerate() {
            sum += term;
            *slot = sum as f32;
            term *= lambda / (k + 1) as f64;
        }
        poisson_cdf[23] = 1.0;
    }
    let eif = match n.model {
        NeuronModel::Eif { delta_t_mv, v_t_mv } => {
            Some((delta_t_mv as f32, v_t_mv as f32, (dt / n.tau_m_ms) as f32))
        }
        NeuronModel::Lif => None,
    };
    Propagators {
        decay_m: decay_m as f32,
        from_ge: from_ge as f32,
        from_gi: from_gi as f32,
        target: (n.v_rest_mv + p.drive.current_mv) as f32,
        noise_sd: noise_sd as f32,
        threshold: n.v_threshold_mv as f32,
        reset: n.v_reset_mv as f32,
        refractory_steps: n.refractory_steps(dt).min(u16::MAX as u32) as u16,
        poisson_cdf,
        poisson_weight: if lambda > 0.0 {
            p.drive.poisson_weight_mv as f32
        } else {
            0.0
        },
        eif,
    }
}

/// The state of one population for one step: its neurons and the input arriving now.
pub(super) struct Slices<'a> {
    pub(super) v: &'a mut [f32],
    pub(super) g_exc: &'a mut [f32],
    pub(super) g_inh: &'a mut [f32],
    pub(super) refractory: &'a mut [u16],
    pub(super) input_e: &'a mut [f32],
    pub(super) input_i: &'a mut [f32],
    pub(super) stimulus: &'a [f32],
}

/// LIF with exponential synapses, no noise and no Poisson drive (CUBA): straight-line code the
/// compiler vectorises. Currents take the arriving input, drive V exactly over the step, and decay.
pub(super) fn integrate_exponential_lif(s: Slices<'_>, p: &Propagators, decay_e: f32, decay_i: f32) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
    } = s;
    for i in 0..v.len() {
        let ge = g_exc[i] + input_e[i];
        let gi = g_inh[i] + input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        let target = p.target + stimulus[i];
        let integrated = target + (v[i] - target) * p.decay_m + ge * p.from_ge + gi * p.from_gi;
        let active = refractory[i] == 0;
        v[i] = if active { integrated } else { v[i] };
        refractory[i] = refractory[i].saturating_sub(1);
        g_exc[i] = ge * decay_e;
        g_inh[i] = gi * decay_i;
    }
}

/// Draws the number of external Poisson spikes arriving in one step from the tabulated CDF.
pub(super) fn poisson_count(p: &Propagators, rng: &mut SimRng) -> f32 {
    let u: f32 = rng.random();
    p.poisson_cdf.iter().position(|&c| u < c).unwrap_or(23) as f32
}

/// LIF with delta synapses (Brunel): V jumps by the arriving input; input during refractoriness is lost.
pub(super) fn integrate_delta_lif(s: Slices<'_>, p: &Propagators, rng: &mut SimRng) {
    let Slices {
        v,
        refractory,
        input_e,
        input_i,
        stimulus,
        ..
    } = s;
    let poisson = p.poisson_weight != 0.0;
    for i in 0..v.len() {
        let mut input = input_e[i] + input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        if poisson {
            input += poisson_count(p, rng) * p.poisson_weight;
        }
        if refractory[i] > 0 {
            refractory[i] -= 1;
            continue;
        }
        let target = p.target + stimulus[i];
        v[i] = target + (v[i] - target) * p.decay_m + input;
    }
}

/// Every other combination: EIF, white noise, Poisson drive onto exponential synapses.
pub(super) fn integrate_general(
    s: Slices<'_>,
    p: &Propagators,
    delta: bool,
    decay_e: f32,
    decay_i: f32,
    rng: &mut SimRng,
) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
    } = s;
    for i in 0..v.len() {
        let mut arriving_e = input_e[i];
        let arriving_i = input_i[i];
        input_e[i] = 0.0;
        input_i[i] = 0.0;
        if p.poisson_weight != 0.0 {
            arriving_e += poisson_count(p, rng) * p.poisson_weight;
        }
        if refractory[i] > 0 {
            refractory[i] -= 1;
            if !delta {
                g_exc[i] = (g_exc[i] + arriving_e) * decay_e;
                g_inh[i] = (g_inh[i] + arriving_i) * decay_i;
            }
            continue;
        }
        let target = p.target + stimulus[i];
        let mut x = v[i];
        if let Some((delta_t, v_t, dt_over_tau)) = p.eif {
            let spike_current = delta_t * ((x - v_t) / delta_t).min(50.0).exp();
            x += dt_over_tau * (target - x + spike_current);
            if !delta {
                x += dt_over_tau * (g_exc[i] + g_inh[i]);
            }
        } else {
            x = target + (x - target) * p.decay_m;
        }
        if delta {
            x += arriving_e + arriving_i;
        } else {
            let ge = g_exc[i] + arriving_e;
            let gi = g_inh[i] + arriving_i;
            if p.eif.is_none() {
                x += ge * p.from_ge + gi * p.from_gi;
            }
            g_exc[i] = ge * decay_e;
            g_inh[i] = gi * decay_i;
        }
        if p.noise_sd > 0.0 {
            let xi: f32 = StandardNormal.sample(rng);
            x += p.noise_sd * xi;
        }
        v[i] = x;
    }
}
