//! Correlations of a spiking network predicted from its wiring by linear response (Trousdale, Hu,
//! Shea-Brown & Josić 2012; Helias, Tetzlaff & Diesmann 2013), beside the covariance measured from
//! its spikes.
//!
//! **The approximation.** Every neuron is linearised around the network's operating point: its
//! population's mean input μ and white-noise strength σ follow from the measured population rates
//! (diffusion approximation, Brunel 2000: μ = μ_ext + τ_m Σ K J ν, σ² = σ_ext² + τ_m Σ K J² ν), and
//! its rate responds to a change of μ with the slope ∂ν/∂μ of the Siegert formula there. One
//! spike of j moves neuron i's mean input by J_ij over τ_m (a jump of V by J_ij), so it adds
//! W_eff,ij = J_ij τ_m ∂ν_i/∂μ spikes of i on average. Over long counting windows the count
//! covariance per unit time is then C = (I − W_eff)⁻¹ D (I − W_eff)⁻ᵀ with D = diag(ν_i F_i), the
//! neurons' own rates times their Fano factors (measured, which counts the network's part of the
//! variance once more: a second-order error). Current-based exponential synapses (CUBA) enter as a
//! jump of J τ_s/τ_m (the same charge); their filtering of the noise is ignored.
//!
//! **Where it fails.** Strong coupling (the rates no longer respond linearly to one input spike),
//! synchrony and oscillations (Brunel's synchronous states: the zero-frequency response says
//! nothing about a shared rhythm), mean-driven neurons with little noise (CUBA: the Siegert slope
//! of an almost deterministic neuron is steep and the white-noise σ is only an estimate), input
//! lost during refractoriness, and windows short against the correlation time. The eigenvalues of
//! W_eff tell how close the linearised dynamics is to instability: it is lost when an eigenvalue's
//! real part reaches 1.
//!
//! Dense linear algebra is faer's (the N×N inverse and the eigenvalues); a network of more than
//! [`MAX_PREDICTED_NEURONS`] is refused rather than allocated.

use faer::Mat;

use super::model::{Network, NeuronModel, PopulationKind, SynapseModel};
use crate::analysis::lif_theory::{LifParams, siegert_rate_hz};
use crate::analysis::linear_response::{eigenvalues, propagated_covariance, spectral_radius};

/// Largest network whose covariance is predicted (a dense N×N matrix of f64: 128 MB at 4,000).
pub const MAX_PREDICTED_NEURONS: usize = 4000;
/// Neurons whose spike counts are recorded by default (spread over the populations by size).
pub const DEFAULT_SAMPLE: usize = 200;
/// Default counting window, in ms: long against the membrane and synaptic time constants, so
/// that the zero-frequency theory applies.
pub const DEFAULT_WINDOW_MS: f64 = 500.0;
/// Step of μ for the slope of the Siegert rate, in mV.
const GAIN_STEP_MV: f64 = 0.05;

/// `count` neurons spread over the populations in proportion to their sizes, evenly strided
/// within each (sorted, so the matrices read population by population).
pub fn sample_neurons(network: &Network, count: usize) -> Vec<u32> {
    let n = network.n_neurons();
    let count = count.min(n);
    let mut sample = Vec::with_capacity(count);
    for population in network.populations() {
        let share = ((population.len as f64 / n as f64) * count as f64)
            .round()
            .max(1.0) as usize;
        let share = share.min(population.len);
        let stride = population.len as f64 / share as f64;
        sample.extend((0..share).map(|k| (population.start + (k as f64 * stride) as usize) as u32));
    }
    sample
}

/// Spike counts of a sample of neurons in consecutive windows, accumulated into sums and products
/// (no window is kept), and every neuron's spike count for its rate.
#[derive(Debug, Clone)]
pub struct CountCovariance {
    sample: Vec<u32>,
    /// Position of each neuron in `sample` (u32::MAX: not sampled).
    slot_of: Vec<u32>,
    window_steps: u64,
    dt_ms: f64,
    steps_in_window: u64,
    window: Vec<u32>,
    sums: Vec<f64>,
    /// Σ c_a c_b over windows, |S|×|S| row-major (both halves, for simplicity of reading).
    products: Vec<f64>,
    windows: u64,
    /// Spikes of every neuron since the measurement began.
    spikes_of: Vec<u64>,
    steps: u64,
}

impl CountCovariance {
    /// Counts `sample` out of `n_neurons` in windows of `window_ms`, steps of `dt_ms`.
    pub fn new(n_neurons: usize, sample: Vec<u32>, dt_ms: f64, window_ms: f64) -> Self {
        let mut slot_of = vec![u32::MAX; n_neurons];
        for (slot, &neuron) in sample.iter().enumerate() {
            slot_of[neuron as usize] = slot as u32;
        }
        let s = sample.len();
        Self {
            window_steps: (window_ms / dt_ms).round().max(1.0) as u64,
            dt_ms,
            steps_in_window: 0,
            window: vec![0; s],
            sums: vec![0.0; s],
            products: vec![0.0; s * s],
            windows: 0,
            spikes_of: vec![0; n_neurons],
            steps: 0,
            slot_of,
            sample,
        }
    }

    /// Starts afresh (new parameters: a new operating point).
    pub fn restart(&mut self) {
        *self = Self::new(
            self.slot_of.len(),
            std::mem::take(&mut self.sample),
            self.dt_ms,
            self.window_ms(),
        );
    }

    /// Takes the spikes of one step.
    pub fn observe(&mut self, spikes: &[u32]) {
        for &neuron in spikes {
            let neuron = neuron as usize;
            if let Some(count) = self.spikes_of.get_mut(neuron) {
                *count += 1;
                let slot = self.slot_of[neuron];
                if slot != u32::MAX {
                    self.window[slot as usize] += 1;
                }
            }
        }
        self.steps += 1;
        self.steps_in_window += 1;
        if self.steps_in_window == self.window_steps {
            self.close_window();
        }
    }

    fn close_window(&mut self) {
        let s = self.sample.len();
        for a in 0..s {
            let ca = f64::from(self.window[a]);
            self.sums[a] += ca;
            if ca == 0.0 {
                continue;
            }
            let row = &mut self.products[a * s..(a + 1) * s];
            for (product, &cb) in row.iter_mut().zip(&self.window) {
                *product += ca * f64::from(cb);
            }
        }
        self.window.fill(0);
        self.steps_in_window = 0;
        self.windows += 1;
    }

    /// The recorded neurons.
    pub fn sample(&self) -> &[u32] {
        &self.sample
    }

    /// Completed windows.
    pub fn windows(&self) -> u64 {
        self.windows
    }

    /// Length of a window, in ms.
    pub fn window_ms(&self) -> f64 {
        self.window_steps as f64 * self.dt_ms
    }

    /// Time measured, in ms.
    pub fn measured_ms(&self) -> f64 {
        self.steps as f64 * self.dt_ms
    }

    /// Every neuron's rate since the measurement began, in Hz.
    pub fn rates_hz(&self) -> Vec<f64> {
        let seconds = (self.measured_ms() / 1000.0).max(1e-9);
        self.spikes_of.iter().map(|&c| c as f64 / seconds).collect()
    }

    /// The covariance of the sample's window counts per second of window (Hz), |S|×|S| row-major,
    /// and each sampled neuron's Fano factor (NaN without spikes); None before two windows.
    pub fn covariance_hz(&self) -> Option<(Vec<f64>, Vec<f64>)> {
        if self.windows < 2 {
            return None;
        }
        let s = self.sample.len();
        let w = self.windows as f64;
        let window_s = self.window_ms() / 1000.0;
        let means: Vec<f64> = self.sums.iter().map(|x| x / w).collect();
        let mut covariance = vec![0.0; s * s];
        for a in 0..s {
            for b in 0..s {
                covariance[a * s + b] =
                    (self.products[a * s + b] - w * means[a] * means[b]) / (w - 1.0) / window_s;
            }
        }
        let fano = (0..s)
            .map(|a| covariance[a * s + a] * window_s / means[a])
            .collect();
        Some((covariance, fano))
    }
}

/// The mean of a per-neuron quantity over each population.
pub fn population_means(network: &Network, per_neuron: &[f64]) -> Vec<f64> {
    network
        .populations()
        .iter()
        .map(|p| per_neuron[p.start..p.start + p.len].iter().sum::<f64>() / p.len.max(1) as f64)
        .collect()
}

/// A population's operating point: the diffusion approximation of its input and the slope of
/// its rate there.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OperatingPoint {
    /// Population name.
    pub name: String,
    /// Measured rate, in Hz.
    pub rate_hz: f64,
    /// Mean input μ above rest, in mV.
    pub mu_mv: f64,
    /// Noise strength σ, in mV (Brunel's convention).
    pub sigma_mv: f64,
    /// The Siegert rate at (μ, σ): a check of the operating point against the measured rate, in Hz.
    pub siegert_rate_hz: f64,
    /// The μ at which the Siegert rate (with σ) equals the measured rate, in mV.
    pub matched_mu_mv: f64,
    /// ∂ν/∂μ of the Siegert rate at (matched μ, σ), in Hz per mV.
    pub gain_hz_per_mv: f64,
}

/// The linearised network: effective couplings and the operating point they were taken at.
#[derive(Debug, Clone)]
pub struct EffectiveCoupling {
    /// W_eff (row i: the spikes of i one spike of each j adds), N×N.
    pub w: Mat<f64>,
    /// Per population.
    pub points: Vec<OperatingPoint>,
}

/// The charge of one input from a population of `kind` (or of the Poisson drive, excitatory)
/// as an equivalent jump of V, in mV per mV of weight, onto a neuron of membrane time `tau_m_ms`.
fn charge_factor(synapse: SynapseModel, kind: PopulationKind, tau_m_ms: f64) -> f64 {
    match (synapse, kind) {
        (SynapseModel::Delta, _) => 1.0,
        (SynapseModel::Exponential { tau_e_ms, .. }, PopulationKind::Excitatory) => tau_e_ms / tau_m_ms,
        (SynapseModel::Exponential { tau_i_ms, .. }, PopulationKind::Inhibitory) => tau_i_ms / tau_m_ms,
    }
}

/// Linearises `network` around the population rates `population_rates_hz` (measured): the operating
/// point of every population and W_eff. Refuses networks the Siegert formula does not describe
/// (EIF/AdEx populations, global inhibition) and networks above [`MAX_PREDICTED_NEURONS`].
pub fn effective_coupling(
    network: &Network,
    population_rates_hz: &[f64],
) -> Result<EffectiveCoupling, String> {
    let n = network.n_neurons();
    if n > MAX_PREDICTED_NEURONS {
        return Err(format!(
            "the prediction needs a dense {n}×{n} matrix: networks up to {MAX_PREDICTED_NEURONS} neurons"
        ));
    }
    let params = network.params();
    if params.global_inhibition_mv != 0.0 {
        return Err("global inhibition is not part of the linear-response prediction".into());
    }
    let pops = network.populations();
    if population_rates_hz.len() != pops.len() {
        return Err(format!(
            "{} rates for {} populations",
            population_rates_hz.len(),
            pops.len()
        ));
    }
    for (pop, par) in pops.iter().zip(&params.populations) {
        if !matches!(par.neuron.model, NeuronModel::Lif) {
            return Err(format!(
                "population {} is not LIF: the prediction uses the LIF's Siegert rate",
                pop.name
            ));
        }
    }
    let population_of: Vec<usize> = pops
        .iter()
        .enumerate()
        .flat_map(|(k, p)| std::iter::repeat_n(k, p.len))
        .collect();
    // Σ over synapses of the jump J and J², per (target population, source population).
    let m = pops.len();
    let mut sum_j = vec![vec![0.0; m]; m];
    let mut sum_j2 = vec![vec![0.0; m]; m];
    // jumps[a][b]: the jump onto population a per synapse from population b, at weight factor 1.
    let jumps: Vec<Vec<f64>> = params
        .populations
        .iter()
        .map(|target| {
            pops.iter()
                .map(|source| {
                    let weight = match source.kind {
                        PopulationKind::Excitatory => params.j_exc_mv,
                        PopulationKind::Inhibitory => params.j_inh_mv,
                    };
                    weight * charge_factor(params.synapse, source.kind, target.neuron.tau_m_ms)
                })
                .collect()
        })
        .collect();
    let mut w = Mat::<f64>::zeros(n, n);
    for (j, &b) in population_of.iter().enumerate() {
        for (target, factor) in network.synapses_of(j) {
            let i = target as usize;
            let a = population_of[i];
            let jump = jumps[a][b] * f64::from(factor);
            sum_j[a][b] += jump;
            sum_j2[a][b] += jump * jump;
            w[(i, j)] += jump;
        }
    }
    let mut points = Vec::with_capacity(m);
    let mut scale = Vec::with_capacity(m);
    for (a, (pop, par)) in pops.iter().zip(&params.populations).enumerate() {
        let neuron = &par.neuron;
        let tau_m = neuron.tau_m_ms;
        let size = pop.len.max(1) as f64;
        let drive = &par.drive;
        let poisson_jump =
            drive.poisson_weight_mv * charge_factor(params.synapse, PopulationKind::Excitatory, tau_m);
        let poisson_rate_khz = drive.poisson_sources as f64 * drive.poisson_rate_hz / 1000.0;
        let mut mu = drive.current_mv + tau_m * poisson_jump * poisson_rate_khz;
        let mut variance =
            drive.noise_mv * drive.noise_mv + tau_m * poisson_jump * poisson_jump * poisson_rate_khz;
        for b in 0..m {
            let rate_khz = population_rates_hz[b] / 1000.0;
            mu += tau_m * sum_j[a][b] / size * rate_khz;
            variance += tau_m * sum_j2[a][b] / size * rate_khz;
        }
        let lif = LifParams {
            tau_m_ms: tau_m,
            theta_mv: neuron.v_threshold_mv - neuron.v_rest_mv,
            v_reset_mv: neuron.v_reset_mv - neuron.v_rest_mv,
            tau_ref_ms: neuron.tau_ref_ms,
        };
        let sigma = variance.max(0.0).sqrt();
        // The slope is taken where the Siegert rate equals the measured one (μ shifted to match):
        // the diffusion approximation's μ misses the measured rate by tens of percent with large
        // jumps, and the slope at the true rate is what the linear response needs.
        let matched = matched_mu_mv(population_rates_hz[a], mu, sigma, &lif);
        let gain = (siegert_rate_hz(matched + GAIN_STEP_MV, sigma, &lif)
            - siegert_rate_hz(matched - GAIN_STEP_MV, sigma, &lif))
            / (2.0 * GAIN_STEP_MV);
        // W_eff,ij = J_ij τ_m ∂ν_i/∂μ (τ_m in s, ν in Hz).
        scale.push(tau_m / 1000.0 * gain);
        points.push(OperatingPoint {
            name: pop.name.clone(),
            rate_hz: population_rates_hz[a],
            mu_mv: mu,
            sigma_mv: sigma,
            siegert_rate_hz: siegert_rate_hz(mu, sigma, &lif),
            matched_mu_mv: matched,
            gain_hz_per_mv: gain,
        });
    }
    for i in 0..n {
        let factor = scale[population_of[i]];
        for j in 0..n {
            w[(i, j)] *= factor;
        }
    }
    Ok(EffectiveCoupling { w, points })
}

/// The mean input at which the Siegert rate with noise `sigma_mv` equals `rate_hz`, by bisection
/// within 60 mV of `mu_mv` (the rate grows with μ); `mu_mv` itself for a silent population.
fn matched_mu_mv(rate_hz: f64, mu_mv: f64, sigma_mv: f64, lif: &LifParams) -> f64 {
    if rate_hz <= 0.0 || sigma_mv <= 0.0 {
        return mu_mv;
    }
    let (mut low, mut high) = (mu_mv - 60.0, mu_mv + 60.0);
    for _ in 0..50 {
        let mid = 0.5 * (low + high);
        if siegert_rate_hz(mid, sigma_mv, lif) < rate_hz {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// What linear response predicts for a sample of a network.
#[derive(Debug, Clone)]
pub struct Prediction {
    /// Predicted count covariance of the sample per unit time, |S|×|S| row-major, in Hz.
    pub covariance_hz: Vec<f64>,
    /// Operating points per population.
    pub points: Vec<OperatingPoint>,
}

/// The predicted covariance of `sample` given the linearised network and every neuron's intrinsic
/// variance `intrinsic_hz` (rate × Fano factor).
pub fn predict(
    coupling: &EffectiveCoupling,
    intrinsic_hz: &[f64],
    sample: &[u32],
) -> Result<Prediction, String> {
    let rows: Vec<usize> = sample.iter().map(|&i| i as usize).collect();
    let c = propagated_covariance(&coupling.w, intrinsic_hz, &rows)?;
    let s = rows.len();
    let covariance_hz = (0..s * s).map(|k| c[(k / s, k % s)]).collect();
    Ok(Prediction {
        covariance_hz,
        points: coupling.points.clone(),
    })
}

/// The eigenvalues of W_eff, their largest modulus and largest real part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spectrum {
    /// (re, im) of every eigenvalue.
    pub eigenvalues: Vec<(f64, f64)>,
    /// Largest |λ|.
    pub spectral_radius: f64,
    /// Largest Re λ: the linearised activity is unstable once it reaches 1.
    pub max_real: f64,
}

/// The spectrum of W_eff.
pub fn spectrum(coupling: &EffectiveCoupling) -> Result<Spectrum, String> {
    let eigenvalues = eigenvalues(&coupling.w)?;
    Ok(Spectrum {
        spectral_radius: spectral_radius(&eigenvalues),
        max_real: eigenvalues.iter().map(|z| z.0).fold(f64::NEG_INFINITY, f64::max),
        eigenvalues,
    })
}

/// The intrinsic variance per unit time of every neuron: its rate times a Fano factor (each
/// sampled neuron its own, the others their population's mean over the sample; 1 where unknown).
pub fn intrinsic_hz(network: &Network, rates_hz: &[f64], sample: &[u32], fano: &[f64]) -> Vec<f64> {
    let pops = network.populations();
    let mean_fano: Vec<f64> = pops
        .iter()
        .map(|p| {
            let values: Vec<f64> = sample
                .iter()
                .zip(fano)
                .filter(|(i, f)| (p.start..p.start + p.len).contains(&(**i as usize)) && f.is_finite())
                .map(|(_, &f)| f)
                .collect();
            if values.is_empty() {
                1.0
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        })
        .collect();
    let mut fano_of: Vec<f64> = pops
        .iter()
        .zip(&mean_fano)
        .flat_map(|(p, &f)| std::iter::repeat_n(f, p.len))
        .collect();
    for (&i, &f) in sample.iter().zip(fano) {
        if f.is_finite() {
            fano_of[i as usize] = f;
        }
    }
    rates_hz.iter().zip(&fano_of).map(|(r, f)| r * f).collect()
}

/// Mean of the off-diagonal entries of a |S|×|S| matrix over pairs drawn from two populations'
/// ranges of the sample.
pub fn block_mean(
    matrix: &[f64],
    s: usize,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for a in rows {
        for b in cols.clone() {
            if a != b {
                sum += matrix[a * s + b];
                count += 1;
            }
        }
    }
    sum / count.max(1) as f64
}

/// Pearson's correlation of the pairs a < b of two |S|×|S| matrices.
pub fn pair_correlation(a: &[f64], b: &[f64], s: usize) -> f64 {
    let pairs: Vec<(f64, f64)> = (0..s)
        .flat_map(|i| (i + 1..s).map(move |j| i * s + j))
        .map(|k| (a[k], b[k]))
        .collect();
    crate::analysis::linear_response::pearson(&pairs)
}

/// The populations' names and their ranges of positions in a sorted sample.
pub fn sample_ranges(network: &Network, sample: &[u32]) -> Vec<(String, std::ops::Range<usize>)> {
    network
        .populations()
        .iter()
        .map(|p| {
            let first = sample.partition_point(|&i| (i as usize) < p.start);
            let end = sample.partition_point(|&i| (i as usize) < p.start + p.len);
            (p.name.clone(), first..end)
        })
        .collect()
}

/// Measured time after a change before the prediction is made again from the new rates, in ms.
const SETTLE_BEFORE_PREDICTING_MS: f64 = 5_000.0;
/// Measured time between later predictions (the rates and Fano factors sharpen), in ms.
const PREDICT_EVERY_MS: f64 = 30_000.0;
/// Simulated time between two views sent to the app, in ms.
const SEND_EVERY_MS: f64 = 1_000.0;

type TheoryJob = std::thread::JoinHandle<Result<super::CorrelationTheory, String>>;

/// The live correlation analysis of a spiking scene: counting always (cheap), predicting in a
/// background thread while the view is shown, so the simulation never waits for the N×N algebra.
pub struct LiveCorrelations {
    counter: CountCovariance,
    shown: bool,
    job: Option<TheoryJob>,
    theory: Option<std::sync::Arc<super::CorrelationTheory>>,
    refused: Option<String>,
    /// Measured time of the last prediction started (None: a prediction is due now).
    predicted_at_ms: Option<f64>,
    /// Population rates and sampled Fano factors from before the last change.
    previous: Option<(Vec<f64>, Vec<f64>)>,
    sent_at_ms: f64,
}

impl LiveCorrelations {
    /// Counts [`DEFAULT_SAMPLE`] neurons of `network` in windows of [`DEFAULT_WINDOW_MS`].
    pub fn new(network: &Network) -> Self {
        Self {
            counter: CountCovariance::new(
                network.n_neurons(),
                sample_neurons(network, DEFAULT_SAMPLE),
                network.dt_ms(),
                DEFAULT_WINDOW_MS,
            ),
            shown: false,
            job: None,
            theory: None,
            refused: None,
            predicted_at_ms: None,
            previous: None,
            sent_at_ms: f64::NEG_INFINITY,
        }
    }

    /// Takes one step's spikes.
    pub fn observe(&mut self, spikes: &[u32]) {
        self.counter.observe(spikes);
    }

    /// Shows (predicts and sends) or stops.
    pub fn show(&mut self, on: bool) {
        self.shown = on;
        self.sent_at_ms = f64::NEG_INFINITY;
    }

    /// The parameters changed: count afresh and predict at once from the rates before the change
    /// (the spectrum follows the sliders), then again from the new rates once they settled.
    pub fn parameters_changed(&mut self, network: &Network) {
        if self.counter.windows() >= 2 {
            self.previous = Some(self.rates_and_fano(network));
        }
        self.counter.restart();
        self.predicted_at_ms = None;
        self.sent_at_ms = f64::NEG_INFINITY;
    }

    fn rates_and_fano(&self, network: &Network) -> (Vec<f64>, Vec<f64>) {
        let population_rates = population_means(network, &self.counter.rates_hz());
        let fano = self
            .counter
            .covariance_hz()
            .map_or_else(|| vec![1.0; self.counter.sample().len()], |(_, fano)| fano);
        (population_rates, fano)
    }

    /// Starts a prediction when one is due and none is running; collects a finished one.
    fn tend(&mut self, network: &Network) {
        if self.job.as_ref().is_some_and(|job| job.is_finished()) {
            match self.job.take().map(|job| job.join()) {
                Some(Ok(Ok(theory))) => {
                    self.theory = Some(std::sync::Arc::new(theory));
                    self.refused = None;
                }
                Some(Ok(Err(reason))) => self.refused = Some(reason),
                Some(Err(_)) => self.refused = Some("the prediction panicked".into()),
                None => {}
            }
        }
        if !self.shown || self.job.is_some() {
            return;
        }
        let measured = self.counter.measured_ms();
        let due = match self.predicted_at_ms {
            None => true,
            Some(at) if at < SETTLE_BEFORE_PREDICTING_MS => measured >= SETTLE_BEFORE_PREDICTING_MS,
            Some(at) => measured >= at + PREDICT_EVERY_MS,
        };
        if !due {
            return;
        }
        // Right after a change the new rates are not known yet: use those from before it.
        let fresh = self.counter.windows() >= 2 && measured >= SETTLE_BEFORE_PREDICTING_MS.min(1_000.0);
        let (population_rates, fano) = if fresh {
            self.rates_and_fano(network)
        } else if let Some(previous) = &self.previous {
            previous.clone()
        } else {
            return; // Nothing measured yet: wait for the first windows.
        };
        self.predicted_at_ms = Some(if fresh { measured } else { 0.0 });
        let coupling = match effective_coupling(network, &population_rates) {
            Ok(coupling) => coupling,
            Err(reason) => {
                self.refused = Some(reason);
                self.predicted_at_ms = Some(f64::INFINITY);
                return;
            }
        };
        let rates: Vec<f64> = network
            .populations()
            .iter()
            .zip(&population_rates)
            .flat_map(|(p, &r)| std::iter::repeat_n(r, p.len))
            .collect();
        let rates = if fresh { self.counter.rates_hz() } else { rates };
        let intrinsic = intrinsic_hz(network, &rates, self.counter.sample(), &fano);
        let sample = self.counter.sample().to_vec();
        let j_mv = (network.params().j_exc_mv, network.params().j_inh_mv);
        let measured_ms = if fresh { measured } else { 0.0 };
        let job = std::thread::Builder::new()
            .name("correlation-prediction".into())
            .spawn(move || {
                let prediction = predict(&coupling, &intrinsic, &sample)?;
                let spectrum = spectrum(&coupling)?;
                Ok(super::CorrelationTheory {
                    prediction,
                    spectrum,
                    measured_ms,
                    j_mv,
                })
            });
        match job {
            Ok(job) => self.job = Some(job),
            Err(e) => self.refused = Some(format!("no thread for the prediction: {e}")),
        }
    }

    /// The view to send with this frame, about once a simulated second while shown.
    pub fn take_view(&mut self, network: &Network, time_ms: f64) -> Option<Box<super::CorrelationView>> {
        self.tend(network);
        if !self.shown || time_ms < self.sent_at_ms + SEND_EVERY_MS {
            return None;
        }
        self.sent_at_ms = time_ms;
        let measured_hz = self.counter.covariance_hz().map(|(c, _)| c).unwrap_or_default();
        Some(Box::new(super::CorrelationView {
            sample: self.counter.sample().to_vec(),
            ranges: sample_ranges(network, self.counter.sample()),
            measured_hz,
            windows: self.counter.windows(),
            window_ms: self.counter.window_ms(),
            measured_ms: self.counter.measured_ms(),
            theory: self.theory.clone(),
            computing: self.job.is_some(),
            refused: self.refused.clone(),
        }))
    }
}
