//! Single-neuron sweeps: the f-I curve of a white-noise-driven LIF or EIF neuron and the membrane-potential
//! histogram of noisy LIF neurons, beside theory.

use crate::analysis::eif_theory::eif_rate_hz;
use serde::Serialize;

use crate::analysis::lif_theory::{fokker_planck_density, lif_rate_hz, siegert_rate_hz};
use crate::progress::Progress;
use crate::spiking::{NeuronModel, NeuronParams, NoisyNeuron, SpikingError};

/// One point of an f-I curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FiPoint {
    /// Mean input μ, in mV.
    pub mu_mv: f64,
    /// Measured rate, in Hz.
    pub rate_hz: f64,
    /// Theory: LIF Siegert rate (with noise) or closed form (without); EIF first-passage rate.
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
    fi_curve_live(params, mus, sigma_mv, seconds, dt_ms, seed, progress, &mut |_| {})
}

/// [`fi_curve`], handing each point to `on_point` as soon as it is measured (same numbers).
#[allow(clippy::too_many_arguments)]
pub fn fi_curve_live(
    params: NeuronParams,
    mus: &[f64],
    sigma_mv: f64,
    seconds: f64,
    dt_ms: f64,
    seed: u64,
    progress: &mut dyn Progress,
    on_point: &mut dyn FnMut(&FiPoint),
) -> Result<Vec<FiPoint>, SpikingError> {
    let theory = params.lif_theory();
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
            NeuronModel::Eif { .. } => params.eif_theory().map(|eif| eif_rate_hz(mu, sigma_mv, &eif)),
            // No closed form with adaptation.
            NeuronModel::Adex { .. } => None,
        };
        points.push(FiPoint {
            mu_mv: mu,
            rate_hz: spikes as f64 / seconds,
            theory_hz,
        });
        on_point(&points[points.len() - 1]);
        progress.advance(k + 1, mus.len());
    }
    Ok(points)
}

/// Settings of the membrane-potential histogram experiment.
#[derive(Debug, Clone, Copy)]
pub struct VHistogramSetup {
    /// Neuron parameters (LIF: the theory is for LIF only).
    pub params: NeuronParams,
    /// Mean input μ, in mV.
    pub mu_mv: f64,
    /// Noise σ, in mV (> 0).
    pub sigma_mv: f64,
    /// Independent, unconnected neurons simulated side by side.
    pub neurons: usize,
    /// Simulated time per neuron after the burn-in, in s.
    pub seconds: f64,
    /// Time step, in ms.
    pub dt_ms: f64,
    /// Histogram bins between the lower edge and threshold.
    pub bins: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for VHistogramSetup {
    fn default() -> Self {
        Self {
            params: NeuronParams::default(),
            mu_mv: 15.0,
            sigma_mv: 5.0,
            neurons: 100,
            seconds: 5.0,
            dt_ms: 0.05,
            bins: 60,
            seed: 1,
        }
    }
}

/// Burn-in per neuron before samples count (5 τ_m at the default τ_m = 20 ms).
pub const V_HISTOGRAM_BURN_IN_MS: f64 = 100.0;

/// Chunks a histogram run is split into; a partial histogram is reported after each.
pub const V_HISTOGRAM_CHUNKS: usize = 20;

/// A membrane-potential histogram of noisy LIF neurons beside the Fokker-Planck density.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VHistogram {
    /// Mean input μ, in mV.
    pub mu_mv: f64,
    /// Noise σ, in mV.
    pub sigma_mv: f64,
    /// Bin edges of V measured from rest, in mV (bins + 1 values; the last is the threshold).
    pub edges_mv: Vec<f64>,
    /// Measured density per mV: counts / (all samples × bin width). Refractory samples are left out, so
    /// like the theory it integrates to 1 − ν τ_ref (less any mass below the lowest edge).
    pub density: Vec<f64>,
    /// The Fokker-Planck density averaged over each bin.
    pub theory_density: Vec<f64>,
    /// Neuron-seconds sampled so far.
    pub neuron_seconds: f64,
    /// Measured rate, in Hz.
    pub rate_hz: f64,
    /// Siegert rate, in Hz.
    pub theory_rate_hz: f64,
}

impl VHistogram {
    /// L1 distance ∫ |measured − theory| dV between the two densities (0 to 2).
    pub fn l1_distance(&self) -> f64 {
        let width = self.edges_mv[1] - self.edges_mv[0];
        self.density
            .iter()
            .zip(&self.theory_density)
            .map(|(a, b)| (a - b).abs() * width)
            .sum()
    }
}

/// Simulates `neurons` unconnected noisy LIF neurons and histograms V (measured from rest) after a
/// burn-in, in [`V_HISTOGRAM_CHUNKS`] chunks: after each chunk the histogram so far goes to `on_partial`.
pub fn v_histogram(
    setup: &VHistogramSetup,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&VHistogram),
) -> Result<VHistogram, SpikingError> {
    let p = setup.params;
    if !matches!(p.model, NeuronModel::Lif) {
        return Err(SpikingError::Params(
            "the membrane-potential histogram needs a LIF neuron (the theory is for LIF)".into(),
        ));
    }
    if !(setup.sigma_mv > 0.0 && setup.sigma_mv.is_finite()) {
        return Err(SpikingError::Params(format!(
            "the density needs noise: σ must be > 0, not {}",
            setup.sigma_mv
        )));
    }
    if setup.neurons == 0 || setup.bins < 2 || !(setup.seconds > 0.0 && setup.seconds.is_finite()) {
        return Err(SpikingError::Params(
            "the histogram needs at least one neuron, two bins and a positive duration".into(),
        ));
    }
    let theory = p.lif_theory();
    let v_min = theory.v_reset_mv - 2.0 * (theory.theta_mv - theory.v_reset_mv).max(setup.sigma_mv);
    let width = (theory.theta_mv - v_min) / setup.bins as f64;
    // Bin averages of the Fokker-Planck density, 8 sub-points per bin (as `engram neuron`).
    let fine = fokker_planck_density(setup.mu_mv, setup.sigma_mv, &theory, v_min, setup.bins * 8);
    let theory_density: Vec<f64> = fine
        .density
        .chunks(8)
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    let mut neurons = Vec::with_capacity(setup.neurons);
    let mut rngs = Vec::with_capacity(setup.neurons);
    for k in 0..setup.neurons {
        neurons.push(NoisyNeuron::new(p, setup.mu_mv, setup.sigma_mv, setup.dt_ms)?);
        rngs.push(crate::rng::substream(setup.seed, k as u64));
    }
    let burn_in = (V_HISTOGRAM_BURN_IN_MS / setup.dt_ms).round() as u64;
    for (neuron, rng) in neurons.iter_mut().zip(&mut rngs) {
        for _ in 0..burn_in {
            neuron.step(rng);
        }
    }
    let steps = (setup.seconds * 1000.0 / setup.dt_ms).round().max(1.0) as u64;
    let mut counts = vec![0u64; setup.bins];
    let (mut samples, mut spikes, mut done_steps) = (0u64, 0u64, 0u64);
    let mut histogram = VHistogram {
        mu_mv: setup.mu_mv,
        sigma_mv: setup.sigma_mv,
        edges_mv: (0..=setup.bins).map(|k| v_min + k as f64 * width).collect(),
        density: vec![0.0; setup.bins],
        theory_density,
        neuron_seconds: 0.0,
        rate_hz: 0.0,
        theory_rate_hz: siegert_rate_hz(setup.mu_mv, setup.sigma_mv, &theory),
    };
    for chunk in 0..V_HISTOGRAM_CHUNKS {
        if progress.cancelled() {
            break;
        }
        let until = steps * (chunk as u64 + 1) / V_HISTOGRAM_CHUNKS as u64;
        let chunk_steps = until - done_steps;
        for (neuron, rng) in neurons.iter_mut().zip(&mut rngs) {
            for _ in 0..chunk_steps {
                spikes += u64::from(neuron.step(rng));
                samples += 1;
                if neuron.is_refractory() {
                    continue;
                }
                let bin = ((neuron.v_mv - p.v_rest_mv - v_min) / width).floor();
                if bin >= 0.0 && (bin as usize) < setup.bins {
                    counts[bin as usize] += 1;
                }
            }
        }
        done_steps = until;
        let neuron_seconds = samples as f64 * setup.dt_ms / 1000.0;
        for (d, &c) in histogram.density.iter_mut().zip(&counts) {
            *d = c as f64 / samples.max(1) as f64 / width;
        }
        histogram.neuron_seconds = neuron_seconds;
        histogram.rate_hz = spikes as f64 / neuron_seconds.max(f64::MIN_POSITIVE);
        on_partial(&histogram);
        progress.advance(chunk + 1, V_HISTOGRAM_CHUNKS);
    }
    Ok(histogram)
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
            &mut crate::progress::NoProgress,
        )
        .expect("valid");
        for p in points {
            let theory = p.theory_hz.expect("LIF has theory");
            // 20 s at these rates: the counting error is below ~5 % where the rate exceeds 5 Hz.
            assert!((p.rate_hz - theory).abs() < 0.08 * theory + 0.5, "{p:?}");
        }
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;

    #[test]
    fn histogram_reports_each_chunk_and_rejects_eif() {
        let setup = VHistogramSetup {
            neurons: 4,
            seconds: 0.2,
            ..VHistogramSetup::default()
        };
        let mut partials = 0;
        let h = v_histogram(&setup, &mut crate::progress::NoProgress, &mut |_| partials += 1).expect("valid");
        assert_eq!(partials, V_HISTOGRAM_CHUNKS);
        assert_eq!(h.edges_mv.len(), setup.bins + 1);
        assert!((h.edges_mv[setup.bins] - 20.0).abs() < 1e-9);
        let eif = VHistogramSetup {
            params: NeuronParams::eif(),
            ..setup
        };
        assert!(v_histogram(&eif, &mut crate::progress::NoProgress, &mut |_| {}).is_err());
    }
}
