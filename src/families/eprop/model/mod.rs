//! e-prop (Bellec et al. 2020, "A solution to the learning dilemma for recurrent networks of
//! spiking neurons"): a recurrent network of LIF or adaptive LIF neurons learns online, forward in
//! time, from eligibility traces e_ji^t (local to each synapse) times a learning signal L_j^t (what
//! the error tells neuron j now), never propagating anything backwards through time.
//!
//! **Dynamics** (steps of 1 ms, reset by subtraction, no refractory period, as in the paper's
//! tutorial and NEST's `eprop_iaf_bsshslm_2020`): v_j^t = α v_j^{t−1} + (1 − α)(Σ_i W^in_ji x_i^t +
//! Σ_i W^rec_ji z_i^{t−1}) − A_j z_j^{t−1},
//! z_j^t = H(v_j^t − A_j), α = e^{−dt/τ_m}, A_j = v_th (LIF) or v_th + β a_j with
//! a_j^t = ρ a_j^{t−1} + (1 − ρ) z_j^{t−1}, ρ = e^{−dt/τ_a} (ALIF, as in Bellec's LSNN code). Readout y_k^t = κ y_k^{t−1} + Σ_j W^out_kj z_j^t.
//!
//! **Pseudo-derivative** ψ_j^t = (γ/A_j) max(0, 1 − |v_j^t − A_j|/A_j), γ = 0.3 (dampening).
//!
//! **Eligibility** of synapse i → j: LIF e_ji^t = (1 − α) ψ_j^t z̄_i, with z̄_i the presynaptic spikes
//! (x_i^t, or z_i^{t−1} for recurrent synapses) low-passed with α. ALIF subtracts the adaptation's
//! own trace: e_ji^t = ψ_j^t ((1 − α) z̄_i − β ε_ji^t), ε_ji^{t+1} = ρ ε_ji^t + (1 − ρ) e_ji^t (the
//! threshold follows the spikes, which follow e).
//!
//! **Learning signals.** Pattern generation: E = ½ Σ_{t,k} (y_k^t − y*_k^t)², L_j^t = Σ_k B_jk (y_k^t −
//! y*_k^t) with B random (random e-prop) or W^outᵀ (symmetric e-prop); the gradient is
//! Σ_t L_j^t ē_ji^t with ē the eligibility low-passed with κ (the readout's filter). Rate and
//! variance: E = α (r − r0)² + β (σ − σ_r)² with r the population's mean rate over the trial and σ the
//! standard deviation over bins of its global rate R_b; its learning signal is the same for every
//! neuron, L^t = ∂E/∂z_j^t = 2α (r − r0)·1000/(N T) + 2β (σ − σ_r)(R_b(t) − R̄)/(σ n_b)·1000/(N Δ_b)
//! (T and Δ_b in ms, rates in Hz): positive when the rate is too high, and, for a too wide spread,
//! pushing down the bins above the mean and up those below. Since Σ_t L^t e_ji^t =
//! c₁ Σ_t e + c₂ (Σ_b R_b E_b − R̄ Σ_t e) with E_b the eligibility summed over bin b, it is
//! accumulated online in two sums and complete at the trial's end.
//!
//! **Regularisation** (pattern task, as in the paper): c_reg (ν_j − ν₀) mean_t e_ji^t pulls each
//! neuron's rate ν_j towards ν₀ = 10 Hz. Weights change once per trial (1 s), by Adam or plain
//! gradient descent; autapses stay zero. Deterministic for a seed.

// The step indexes several parallel arrays (weights, traces, gradients) by neuron and synapse.
#![allow(clippy::needless_range_loop)]

pub mod task;
#[cfg(test)]
mod tests;

pub use task::{Task, TaskParams};

use rand_distr::{Distribution, StandardNormal};

use crate::rng::{SimRng, substream};

/// Step of the dynamics, in ms.
pub const DT_MS: f64 = 1.0;
/// Largest recurrent population.
pub const MAX_NEURONS: usize = 1000;

/// How the error reaches the neurons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feedback {
    /// Fixed random weights B (random e-prop).
    Random,
    /// The readout weights themselves, B = W^outᵀ (symmetric e-prop).
    Symmetric,
}

/// How a gradient changes the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Optimizer {
    /// Adam (β₁ 0.9, β₂ 0.999).
    Adam,
    /// Plain gradient descent.
    Sgd,
}

/// What a person sets for an e-prop network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpropParams {
    /// Input channels.
    pub n_in: usize,
    /// Recurrent neurons.
    pub n_rec: usize,
    /// Rate of the frozen Poisson input, in Hz.
    pub input_hz: f64,
    /// Length of a trial, in ms (steps).
    pub trial_ms: usize,
    /// Membrane time constant, in ms.
    pub tau_m_ms: f64,
    /// Readout time constant, in ms.
    pub tau_out_ms: f64,
    /// Threshold v_th (the paper's units: 0.03).
    pub threshold: f64,
    /// Dampening γ of the pseudo-derivative.
    pub dampening: f64,
    /// Threshold adaptation β, in the threshold's units per unit of the adaptation's rate trace
    /// (0: LIF; the paper's ALIF uses 1.8 with τ_a of hundreds of ms).
    pub adaptation: f64,
    /// Adaptation time constant τ_a, in ms.
    pub tau_adapt_ms: f64,
    /// Learning rate.
    pub learning_rate: f64,
    /// Adam or gradient descent.
    pub optimizer: Optimizer,
    /// Random or symmetric feedback.
    pub feedback: Feedback,
    /// Strength c_reg of the rate regularisation.
    pub reg_strength: f64,
    /// Rate ν₀ the regularisation pulls towards, in Hz.
    pub reg_rate_hz: f64,
}

impl Default for EpropParams {
    /// The paper's tutorial: 100 inputs at 50 Hz, 100 LIF neurons, τ_m = τ_out = 30 ms, v_th 0.03,
    /// γ 0.3, c_reg 300 towards 10 Hz, random feedback; Adam at 0.01 instead of gradient descent at
    /// 10⁻⁴ (plain gradient descent at 10⁻⁴ diverges with this readout's unfiltered scale).
    fn default() -> Self {
        Self {
            n_in: 100,
            n_rec: 100,
            input_hz: 50.0,
            trial_ms: 1000,
            tau_m_ms: 30.0,
            tau_out_ms: 30.0,
            threshold: 0.03,
            dampening: 0.3,
            adaptation: 0.0,
            tau_adapt_ms: 200.0,
            learning_rate: 0.01,
            optimizer: Optimizer::Adam,
            feedback: Feedback::Random,
            reg_strength: 300.0,
            reg_rate_hz: 10.0,
        }
    }
}

impl EpropParams {
    /// Checks the values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=1000).contains(&self.n_in) {
            return Err(format!("inputs must be between 1 and 1000, not {}", self.n_in));
        }
        if !(2..=MAX_NEURONS).contains(&self.n_rec) {
            return Err(format!(
                "neurons must be between 2 and {MAX_NEURONS}, not {}",
                self.n_rec
            ));
        }
        if !(self.input_hz > 0.0 && self.input_hz <= 500.0) {
            return Err(format!(
                "the input rate must be in (0, 500] Hz, not {}",
                self.input_hz
            ));
        }
        if !(20..=10_000).contains(&self.trial_ms) {
            return Err(format!(
                "a trial must last 20 to 10,000 ms, not {}",
                self.trial_ms
            ));
        }
        for (name, value) in [
            ("τ_m", self.tau_m_ms),
            ("τ_out", self.tau_out_ms),
            ("τ_a", self.tau_adapt_ms),
        ] {
            if !(1.0..=10_000.0).contains(&value) {
                return Err(format!("{name} must be between 1 and 10,000 ms, not {value}"));
            }
        }
        if !(self.threshold > 0.0 && self.threshold.is_finite()) {
            return Err(format!("the threshold must be > 0, not {}", self.threshold));
        }
        if !(self.dampening > 0.0 && self.dampening <= 1.0) {
            return Err(format!(
                "the dampening γ must be in (0, 1], not {}",
                self.dampening
            ));
        }
        if !(self.adaptation >= 0.0 && self.adaptation <= 100.0) {
            return Err(format!(
                "the adaptation β must be in [0, 100], not {}",
                self.adaptation
            ));
        }
        if !(self.learning_rate >= 0.0 && self.learning_rate <= 1.0) {
            return Err(format!(
                "the learning rate must be in [0, 1], not {}",
                self.learning_rate
            ));
        }
        if !(self.reg_strength >= 0.0 && self.reg_strength.is_finite()) {
            return Err(format!("c_reg must be ≥ 0, not {}", self.reg_strength));
        }
        if !(self.reg_rate_hz >= 0.0 && self.reg_rate_hz <= 500.0) {
            return Err(format!("ν₀ must be in [0, 500] Hz, not {}", self.reg_rate_hz));
        }
        Ok(())
    }
}

/// Adam's moment estimates for one weight array.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Moments {
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Moments {
    fn new(len: usize) -> Self {
        Self {
            m: vec![0.0; len],
            v: vec![0.0; len],
        }
    }
}

/// The learned weights and the optimiser's state: everything that survives a trial.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpropWeights {
    /// W^in, row j: the inputs of neuron j (n_rec × n_in).
    pub w_in: Vec<f64>,
    /// W^rec, row j (n_rec × n_rec, zero diagonal).
    pub w_rec: Vec<f64>,
    /// W^out, row k (n_out × n_rec).
    pub w_out: Vec<f64>,
    /// Random feedback B, row j (n_rec × n_out).
    pub feedback: Vec<f64>,
    adam: [Moments; 3],
    /// Weight updates applied.
    pub updates: u64,
}

/// What one trial did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrialResult {
    /// Trial number (from 1).
    pub trial: u64,
    /// Normalised mean squared error of the readout (pattern task): MSE / variance of the target.
    pub nmse: Option<f64>,
    /// Mean rate of the recurrent neurons, in Hz.
    pub rate_hz: f64,
    /// Standard deviation of the global rate over the task's bins, in Hz (rate task).
    pub sigma_hz: Option<f64>,
    /// The task's loss (½ Σ error² for the pattern, α(r − r0)² + β(σ − σ_r)² for the rate).
    pub loss: f64,
    /// Branching ratio of the population's spike count per 1 ms step in the trial, by multistep
    /// regression over lags 1–20 ms (Wilting & Priesemann 2018); None when the exponential explains
    /// less than half of the slopes' variance.
    pub branching: Option<f64>,
}

/// The lowest NMSE of the last ten trials of `results` (None for the rate task): the "final" error
/// every report gives.
pub fn final_nmse(results: &[TrialResult]) -> Option<f64> {
    results
        .iter()
        .rev()
        .take(10)
        .filter_map(|r| r.nmse)
        .reduce(f64::min)
}

/// Lags of the trial's branching estimate, in ms.
const BRANCHING_LAGS: usize = 20;
/// Least R² of the branching fit for its m to be reported.
const BRANCHING_MIN_R2: f64 = 0.5;

/// A network being trained by e-prop, trial after trial, one 1 ms step at a time.
pub struct EpropNetwork {
    params: EpropParams,
    task: Task,
    weights: EpropWeights,
    n_out: usize,
    // Per-trial state.
    step: usize,
    v: Vec<f64>,
    z: Vec<f64>,
    adapt: Vec<f64>,
    /// Low-passed presynaptic spikes [x̄ (n_in); z̄ (n_rec)] (α).
    pre: Vec<f64>,
    /// Readout-filtered recurrent spikes (κ), for W^out's gradient.
    z_out: Vec<f64>,
    y: Vec<f64>,
    /// Eligibility filtered by κ, Σ_t e, ALIF's ε, and this bin's Σ e: n_rec × (n_in + n_rec) each.
    e_filtered: Vec<f64>,
    e_sum: Vec<f64>,
    e_adapt: Vec<f64>,
    e_bin: Vec<f64>,
    /// Σ_b R_b E_b (rate task).
    e_rate_weighted: Vec<f64>,
    grad_in_rec: Vec<f64>,
    grad_out: Vec<f64>,
    spikes_of: Vec<u32>,
    /// Per-step buffers: pseudo-derivatives, next spikes, learning signals.
    psi: Vec<f64>,
    z_next: Vec<f64>,
    signal: Vec<f64>,
    /// The trial ended: its outputs and spikes stay readable until the next step starts another.
    finished: bool,
    bin_spikes: u32,
    bin_rates_hz: Vec<f64>,
    squared_error: f64,
    /// Output of every output at every step of the current trial.
    pub outputs: Vec<Vec<f64>>,
    /// Spikes of the current trial: (step, neuron).
    pub spikes: Vec<(u32, u32)>,
    trials: u64,
}

fn gaussian(rng: &mut SimRng) -> f64 {
    StandardNormal.sample(rng)
}

impl EpropNetwork {
    /// A network with weights drawn as in the paper (N(0, 1)/√fan-in), its task drawn from `seed`.
    pub fn new(params: EpropParams, task: TaskParams, seed: u64) -> Result<Self, String> {
        params.validate()?;
        task.validate(params.trial_ms)?;
        let mut rng = substream(seed, 1);
        let task = Task::draw(
            task,
            params.n_in,
            params.input_hz,
            params.trial_ms,
            &mut substream(seed, 2),
        );
        let (n_in, n_rec, n_out) = (params.n_in, params.n_rec, task.params.outputs());
        let w_in = (0..n_rec * n_in)
            .map(|_| gaussian(&mut rng) / (n_in as f64).sqrt())
            .collect();
        let w_rec = (0..n_rec * n_rec)
            .map(|k| {
                let w = gaussian(&mut rng) / (n_rec as f64).sqrt();
                if k / n_rec == k % n_rec { 0.0 } else { w }
            })
            .collect();
        let w_out = (0..n_out * n_rec)
            .map(|_| gaussian(&mut rng) / (n_rec as f64).sqrt())
            .collect();
        let feedback = (0..n_rec * n_out)
            .map(|_| gaussian(&mut rng) / (n_rec as f64).sqrt())
            .collect();
        let synapses = n_rec * (n_in + n_rec);
        let weights = EpropWeights {
            w_in,
            w_rec,
            w_out,
            feedback,
            adam: [
                Moments::new(n_rec * n_in),
                Moments::new(n_rec * n_rec),
                Moments::new(n_out * n_rec),
            ],
            updates: 0,
        };
        let mut network = Self {
            params,
            task,
            weights,
            n_out,
            step: 0,
            v: vec![0.0; n_rec],
            z: vec![0.0; n_rec],
            adapt: vec![0.0; n_rec],
            pre: vec![0.0; n_in + n_rec],
            z_out: vec![0.0; n_rec],
            y: vec![0.0; n_out],
            e_filtered: vec![0.0; synapses],
            e_sum: vec![0.0; synapses],
            e_adapt: vec![0.0; synapses],
            e_bin: vec![0.0; synapses],
            e_rate_weighted: vec![0.0; synapses],
            grad_in_rec: vec![0.0; synapses],
            grad_out: vec![0.0; n_out * n_rec],
            spikes_of: vec![0; n_rec],
            psi: vec![0.0; n_rec],
            z_next: vec![0.0; n_rec],
            signal: vec![0.0; n_rec],
            finished: false,
            bin_spikes: 0,
            bin_rates_hz: Vec::new(),
            squared_error: 0.0,
            outputs: Vec::new(),
            spikes: Vec::new(),
            trials: 0,
        };
        network.start_trial();
        Ok(network)
    }

    /// Restores trained weights (validated against the sizes).
    pub fn set_weights(&mut self, weights: EpropWeights) -> Result<(), String> {
        let (n_in, n_rec, n_out) = (self.params.n_in, self.params.n_rec, self.n_out);
        let sizes = [
            (weights.w_in.len(), n_rec * n_in, "W_in"),
            (weights.w_rec.len(), n_rec * n_rec, "W_rec"),
            (weights.w_out.len(), n_out * n_rec, "W_out"),
            (weights.feedback.len(), n_rec * n_out, "B"),
        ];
        for (found, expected, name) in sizes {
            if found != expected {
                return Err(format!(
                    "{name} holds {found} weights, the network needs {expected}"
                ));
            }
        }
        if weights
            .w_in
            .iter()
            .chain(&weights.w_rec)
            .chain(&weights.w_out)
            .any(|w| !w.is_finite())
        {
            return Err("a saved weight is not finite".into());
        }
        self.weights = weights;
        self.start_trial();
        Ok(())
    }

    /// The weights and optimiser state.
    pub fn weights(&self) -> &EpropWeights {
        &self.weights
    }

    /// The parameters.
    pub fn params(&self) -> &EpropParams {
        &self.params
    }

    /// Changes the learning rate, optimiser, feedback and regularisation (the structure stays).
    pub fn set_learning(&mut self, params: EpropParams) -> Result<(), String> {
        params.validate()?;
        let structural = params.n_in != self.params.n_in
            || params.n_rec != self.params.n_rec
            || params.trial_ms != self.params.trial_ms
            || params.input_hz != self.params.input_hz;
        if structural {
            return Err(
                "inputs, neurons, input rate and trial length are set when the network is built".into(),
            );
        }
        self.params = params;
        Ok(())
    }

    /// The task.
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// Readout outputs.
    pub fn n_out(&self) -> usize {
        self.n_out
    }

    /// Steps done in the trial in progress (0 once a trial has ended).
    pub fn step_in_trial(&self) -> usize {
        if self.finished { 0 } else { self.step }
    }

    /// Trials completed.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    fn start_trial(&mut self) {
        self.step = 0;
        self.finished = false;
        for array in [
            &mut self.v,
            &mut self.z,
            &mut self.adapt,
            &mut self.pre,
            &mut self.z_out,
            &mut self.y,
            &mut self.e_filtered,
            &mut self.e_sum,
            &mut self.e_adapt,
            &mut self.e_bin,
            &mut self.e_rate_weighted,
            &mut self.grad_in_rec,
            &mut self.grad_out,
        ] {
            array.fill(0.0);
        }
        self.spikes_of.fill(0);
        self.bin_spikes = 0;
        self.bin_rates_hz.clear();
        self.squared_error = 0.0;
        self.outputs.clear();
        self.spikes.clear();
    }

    /// Advances one 1 ms step; at the end of a trial updates the weights and returns its result
    /// (the trial's outputs and spikes stay readable until the next step).
    pub fn step(&mut self) -> Option<TrialResult> {
        if self.finished {
            self.start_trial();
        }
        let p = self.params;
        let (n_in, n_rec, n_out) = (p.n_in, p.n_rec, self.n_out);
        let width = n_in + n_rec;
        let alpha = (-DT_MS / p.tau_m_ms).exp();
        let kappa = (-DT_MS / p.tau_out_ms).exp();
        let rho = (-DT_MS / p.tau_adapt_ms).exp();
        let t = self.step;
        // Presynaptic traces: inputs now, recurrent spikes of the previous step.
        for (i, trace) in self.pre.iter_mut().enumerate() {
            *trace *= alpha;
            if i >= n_in {
                *trace += self.z[i - n_in];
            }
        }
        for &i in &self.task.input[t] {
            self.pre[i as usize] += 1.0;
        }
        // Membrane: leak, input, recurrent spikes of the previous step, reset by subtraction.
        // Buffers kept between steps (no allocation in the step).
        let mut psi = std::mem::take(&mut self.psi);
        let mut new_z = std::mem::take(&mut self.z_next);
        let mut signal = std::mem::take(&mut self.signal);
        psi.resize(n_rec, 0.0);
        new_z.resize(n_rec, 0.0);
        signal.clear();
        signal.resize(n_rec, 0.0);
        for j in 0..n_rec {
            let threshold = p.threshold + p.adaptation * self.adapt[j];
            let mut input = 0.0;
            let row_in = &self.weights.w_in[j * n_in..(j + 1) * n_in];
            for &i in &self.task.input[t] {
                input += row_in[i as usize];
            }
            let row_rec = &self.weights.w_rec[j * n_rec..(j + 1) * n_rec];
            for (i, &zi) in self.z.iter().enumerate() {
                if zi != 0.0 {
                    input += row_rec[i];
                }
            }
            self.v[j] = alpha * self.v[j] + (1.0 - alpha) * input - threshold * self.z[j];
            let scaled = (self.v[j] - threshold) / threshold;
            psi[j] = p.dampening * (1.0 - scaled.abs()).max(0.0) / threshold;
            new_z[j] = if self.v[j] >= threshold { 1.0 } else { 0.0 };
        }
        // Adaptation follows the spikes of the previous step.
        for j in 0..n_rec {
            self.adapt[j] = rho * self.adapt[j] + (1.0 - rho) * self.z[j];
        }
        std::mem::swap(&mut self.z, &mut new_z);
        let mut step_spikes = 0u32;
        for (j, &zj) in self.z.iter().enumerate() {
            if zj != 0.0 {
                self.spikes_of[j] += 1;
                step_spikes += 1;
                self.spikes.push((t as u32, j as u32));
            }
        }
        // Readout and the learning signal.
        for (j, trace) in self.z_out.iter_mut().enumerate() {
            *trace = kappa * *trace + self.z[j];
        }
        let mut output_now = vec![0.0; n_out];
        if n_out > 0 {
            let target = &self.task.target[t];
            for k in 0..n_out {
                let row = &self.weights.w_out[k * n_rec..(k + 1) * n_rec];
                let current: f64 = row
                    .iter()
                    .zip(&self.z)
                    .filter(|(_, z)| **z != 0.0)
                    .map(|(w, _)| w)
                    .sum();
                self.y[k] = kappa * self.y[k] + current;
                output_now[k] = self.y[k];
                let error = self.y[k] - target[k];
                self.squared_error += error * error;
                for j in 0..n_rec {
                    let b = match p.feedback {
                        Feedback::Random => self.weights.feedback[j * n_out + k],
                        Feedback::Symmetric => self.weights.w_out[k * n_rec + j],
                    };
                    signal[j] += b * error;
                    self.grad_out[k * n_rec + j] += error * self.z_out[j];
                }
            }
        }
        self.outputs.push(output_now);
        // Eligibility traces, their filtered and summed forms, and the readout-task gradient.
        let beta = p.adaptation;
        for j in 0..n_rec {
            let psi_j = psi[j];
            let row = j * width..(j + 1) * width;
            let (filtered, sum) = (&mut self.e_filtered[row.clone()], &mut self.e_sum[row.clone()]);
            let (adapt, bin) = (&mut self.e_adapt[row.clone()], &mut self.e_bin[row.clone()]);
            let grad = &mut self.grad_in_rec[row];
            for i in 0..width {
                // ∂v/∂W: the input's factor 1 − α times the low-passed presynaptic spikes, less
                // β times the adaptation's own trace ε (ALIF).
                let pre = (1.0 - alpha) * self.pre[i];
                let e = if beta > 0.0 {
                    let e = psi_j * (pre - beta * adapt[i]);
                    adapt[i] = rho * adapt[i] + (1.0 - rho) * e;
                    e
                } else {
                    psi_j * pre
                };
                filtered[i] = kappa * filtered[i] + e;
                sum[i] += e;
                bin[i] += e;
                if n_out > 0 {
                    grad[i] += signal[j] * filtered[i];
                }
            }
        }
        self.psi = psi;
        self.z_next = new_z;
        self.signal = signal;
        // Global-rate bins of the rate task.
        if let TaskParams::Rate { bin_ms, .. } = self.task.params {
            self.bin_spikes += step_spikes;
            if (t + 1).is_multiple_of(bin_ms) {
                let rate = f64::from(self.bin_spikes) * 1000.0 / (n_rec as f64 * bin_ms as f64);
                self.bin_rates_hz.push(rate);
                for (weighted, bin) in self.e_rate_weighted.iter_mut().zip(self.e_bin.iter_mut()) {
                    *weighted += rate * *bin;
                    *bin = 0.0;
                }
                self.bin_spikes = 0;
            } else if t + 1 == p.trial_ms {
                // The last, partial bin takes no part.
                self.e_bin.fill(0.0);
            }
        }
        self.step += 1;
        if self.step < p.trial_ms {
            return None;
        }
        let result = self.finish_trial();
        self.finished = true;
        Some(result)
    }

    /// Completes the gradient, applies it and reports the trial.
    fn finish_trial(&mut self) -> TrialResult {
        let p = self.params;
        let (n_in, n_rec) = (p.n_in, p.n_rec);
        let width = n_in + n_rec;
        let steps = p.trial_ms as f64;
        let rates_hz: Vec<f64> = self
            .spikes_of
            .iter()
            .map(|&c| f64::from(c) * 1000.0 / steps)
            .collect();
        let rate_hz = rates_hz.iter().sum::<f64>() / n_rec as f64;
        let mut sigma = None;
        let loss = match self.task.params {
            TaskParams::Pattern { .. } => 0.5 * self.squared_error,
            TaskParams::Rate {
                target_hz,
                target_sigma_hz,
                bin_ms,
                alpha,
                beta,
            } => {
                let bins = self.bin_rates_hz.len().max(1) as f64;
                let mean = self.bin_rates_hz.iter().sum::<f64>() / bins;
                let s = (self.bin_rates_hz.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / bins).sqrt();
                sigma = Some(s);
                // L^t = c1 + c2 (R_b(t) − R̄): see the module's documentation.
                let c1 = 2.0 * alpha * (rate_hz - target_hz) * 1000.0 / (n_rec as f64 * steps);
                let c2 = if s > 1e-9 {
                    2.0 * beta * (s - target_sigma_hz) / (s * bins) * 1000.0 / (n_rec as f64 * bin_ms as f64)
                } else {
                    0.0
                };
                for k in 0..n_rec * width {
                    self.grad_in_rec[k] +=
                        c1 * self.e_sum[k] + c2 * (self.e_rate_weighted[k] - mean * self.e_sum[k]);
                }
                alpha * (rate_hz - target_hz).powi(2) + beta * (s - target_sigma_hz).powi(2)
            }
        };
        // Rate regularisation towards ν₀ (rates in spikes per ms, as the paper's c_reg expects); the
        // rate task sets the rate itself and goes without.
        let nu0 = p.reg_rate_hz / 1000.0;
        let regularise = self.n_out > 0;
        for j in (0..n_rec).filter(|_| regularise) {
            let pull = p.reg_strength * (rates_hz[j] / 1000.0 - nu0) / steps;
            for i in 0..width {
                self.grad_in_rec[j * width + i] += pull * self.e_sum[j * width + i];
            }
        }
        let (mut g_in, mut g_rec) = (vec![0.0; n_rec * n_in], vec![0.0; n_rec * n_rec]);
        for j in 0..n_rec {
            g_in[j * n_in..(j + 1) * n_in].copy_from_slice(&self.grad_in_rec[j * width..j * width + n_in]);
            g_rec[j * n_rec..(j + 1) * n_rec]
                .copy_from_slice(&self.grad_in_rec[j * width + n_in..(j + 1) * width]);
            g_rec[j * n_rec + j] = 0.0;
        }
        let grad_out = std::mem::take(&mut self.grad_out);
        self.weights.updates += 1;
        let step_count = self.weights.updates;
        let EpropWeights {
            w_in,
            w_rec,
            w_out,
            adam,
            ..
        } = &mut self.weights;
        let [m_in, m_rec, m_out] = adam;
        apply(&p, step_count, w_in, &g_in, m_in);
        apply(&p, step_count, w_rec, &g_rec, m_rec);
        apply(&p, step_count, w_out, &grad_out, m_out);
        self.grad_out = grad_out;
        for j in 0..n_rec {
            self.weights.w_rec[j * n_rec + j] = 0.0;
        }
        self.trials += 1;
        let mut activity = vec![0.0; p.trial_ms];
        for &(t, _) in &self.spikes {
            activity[t as usize] += 1.0;
        }
        let branching = crate::analysis::branching::estimate_branching(&activity, BRANCHING_LAGS)
            .filter(|e| e.fit_r2 >= BRANCHING_MIN_R2)
            .map(|e| e.m_mr);
        let variance = self.task.target_variance();
        TrialResult {
            trial: self.trials,
            nmse: (self.n_out > 0).then(|| self.squared_error / (steps * variance.max(1e-12))),
            rate_hz,
            sigma_hz: sigma,
            loss,
            branching,
        }
    }

    /// Sets the count of trials done (a restored session).
    pub fn set_trials(&mut self, trials: u64) {
        self.trials = trials;
    }

    /// The trial in progress (or just completed) as the views draw it.
    pub fn trial_view(&self) -> crate::families::eprop::TrialView {
        let n = self.params.n_rec;
        crate::families::eprop::TrialView {
            trial: self.trials + u64::from(!self.finished),
            steps: self.step,
            outputs: self.outputs.clone(),
            spikes: self.spikes.clone(),
            recurrent_weights: self
                .weights
                .w_rec
                .iter()
                .enumerate()
                .filter(|(k, _)| k / n != k % n)
                .map(|(_, &w)| w as f32)
                .collect(),
        }
    }

    /// Runs whole trials until `trials` more are done; returns their results.
    pub fn train(&mut self, trials: usize) -> Vec<TrialResult> {
        let mut results = Vec::with_capacity(trials);
        while results.len() < trials {
            if let Some(result) = self.step() {
                results.push(result);
            }
        }
        results
    }
}

/// One optimiser step on `weights` with gradient `grad`.
fn apply(p: &EpropParams, step: u64, weights: &mut [f64], grad: &[f64], moments: &mut Moments) {
    let eta = p.learning_rate;
    match p.optimizer {
        Optimizer::Sgd => {
            for (w, g) in weights.iter_mut().zip(grad) {
                *w -= eta * g;
            }
        }
        Optimizer::Adam => {
            let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
            let correction1 = 1.0 - b1.powi(step.min(100_000) as i32);
            let correction2 = 1.0 - b2.powi(step.min(100_000) as i32);
            for ((w, g), (m, v)) in weights
                .iter_mut()
                .zip(grad)
                .zip(moments.m.iter_mut().zip(moments.v.iter_mut()))
            {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + (1.0 - b2) * g * g;
                *w -= eta * (*m / correction1) / ((*v / correction2).sqrt() + eps);
            }
        }
    }
}
