//! The rate scene the simulation thread runs: a `RateNetwork` plus probes that only read it.

use std::sync::Arc;

use super::model::{InputSource, RateNetwork, RateParams, RateState, Rebuild, f_rule, g_rule, phi};
use super::protocol::{Curve, RateCommand, RateFrame, RateInfo, RateSetup, RateStart};

/// Bins of the rate histograms, from 0 to r_max.
pub const RATE_BINS: usize = 40;
/// Most overlap samples kept between two snapshots (1 per ms); older ones are dropped beyond it.
const MAX_PENDING_SAMPLES: usize = 100_000;

/// A running rate network with its pending frame.
pub struct RateScene {
    net: RateNetwork,
    setup: RateSetup,
    preset_params: RateParams,
    cue_until_step: Option<u64>,
    input_label: String,
    novel_inputs: u64,
    info_dirty: bool,
    frame: RateFrame,
}

/// Everything a [`RateScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RateSceneState {
    /// The setup with the current parameters.
    pub setup: RateSetup,
    /// Parameters the scene was built with (restore marks).
    pub preset_params: RateParams,
    /// The network: parameters, seed, rates, time, input (couplings are drawn again from the seed).
    pub network: RateState,
    /// Step at which the current input ends.
    pub cue_until_step: Option<u64>,
    /// What drives the network now.
    pub input_label: String,
    /// Novel inputs given so far (each draws its own pattern).
    pub novel_inputs: u64,
}

impl RateScene {
    /// Builds the network of a setup.
    pub fn build(setup: RateSetup) -> Result<Self, String> {
        if !(setup.cue_ms.is_finite() && setup.cue_ms > 0.0 && setup.cue_ms <= 100_000.0) {
            return Err(format!(
                "cue_ms must be between 0 and 100000 ms, not {}",
                setup.cue_ms
            ));
        }
        let mut net = RateNetwork::new(&setup.params, setup.seed).map_err(|e| e.to_string())?;
        if setup.start == RateStart::Quiet {
            net.quiet_rates();
        }
        let mut scene = Self {
            net,
            preset_params: setup.params.clone(),
            setup,
            cue_until_step: None,
            input_label: String::new(),
            novel_inputs: 0,
            info_dirty: true,
            frame: RateFrame::default(),
        };
        scene.sample();
        Ok(scene)
    }

    /// Rebuilds a scene from a session's capture.
    pub fn restore_session(state: RateSceneState) -> Result<Self, String> {
        let net = RateNetwork::from_state(&state.network).map_err(|e| format!("saved rate network: {e}"))?;
        let mut scene = Self {
            net,
            setup: state.setup,
            preset_params: state.preset_params,
            cue_until_step: state.cue_until_step,
            input_label: state.input_label,
            novel_inputs: state.novel_inputs,
            info_dirty: true,
            frame: RateFrame::default(),
        };
        scene.sample();
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> RateSceneState {
        RateSceneState {
            setup: self.setup.clone(),
            preset_params: self.preset_params.clone(),
            network: self.net.save_state(),
            cue_until_step: self.cue_until_step,
            input_label: self.input_label.clone(),
            novel_inputs: self.novel_inputs,
        }
    }

    /// The network.
    pub fn network(&self) -> &RateNetwork {
        &self.net
    }

    /// Steps per ms of simulated time.
    fn steps_per_ms(&self) -> u64 {
        (1.0 / self.net.params().dt_ms).round().max(1.0) as u64
    }

    /// Advances by `steps` Euler steps, sampling the overlaps every ms and ending a cue on time.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        let per_ms = self.steps_per_ms();
        for _ in 0..steps {
            if self.cue_until_step.is_some_and(|end| self.net.steps() >= end) {
                self.end_input();
            }
            self.net.try_step().map_err(|e| e.to_string())?;
            if self.net.steps().is_multiple_of(per_ms) {
                self.sample();
            }
        }
        Ok(())
    }

    fn end_input(&mut self) {
        self.cue_until_step = None;
        // Switching the input off cannot fail.
        let _ = self.net.set_input_pattern(None);
        self.input_label.clear();
    }

    fn sample(&mut self) {
        if self.frame.times_ms.len() >= MAX_PENDING_SAMPLES {
            return;
        }
        let overlaps = self.net.overlaps();
        let rates = self.net.rates();
        let mean = rates.iter().map(|&r| f64::from(r)).sum::<f64>() / rates.len().max(1) as f64;
        self.frame.times_ms.push(self.net.time_ms());
        self.frame
            .overlaps
            .push(overlaps.iter().map(|&m| m as f32).collect());
        self.frame.mean_rate_hz.push(mean as f32);
    }

    fn cue_steps(&self) -> u64 {
        (self.setup.cue_ms / self.net.params().dt_ms).round().max(1.0) as u64
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &RateCommand) -> Result<Option<String>, String> {
        match command {
            RateCommand::Cue { pattern } => {
                let strength = self.net.params().cue_strength;
                self.net
                    .set_input_pattern(Some((*pattern, strength)))
                    .map_err(|e| e.to_string())?;
                self.cue_until_step = Some(self.net.steps() + self.cue_steps());
                self.input_label = format!("cue {}", pattern + 1);
                Ok(Some(format!(
                    "input ξ of pattern {} for {} ms",
                    pattern + 1,
                    self.setup.cue_ms
                )))
            }
            RateCommand::Novel => {
                self.novel_inputs += 1;
                let seed = crate::rng::derive_seed(self.setup.seed, 1000 + self.novel_inputs);
                let strength = self.net.params().cue_strength;
                self.net
                    .set_input_random(seed, strength)
                    .map_err(|e| e.to_string())?;
                self.cue_until_step = Some(self.net.steps() + self.cue_steps());
                self.input_label = "novel input".into();
                Ok(Some(format!("a novel input for {} ms", self.setup.cue_ms)))
            }
            RateCommand::InputOff => {
                self.end_input();
                Ok(None)
            }
            RateCommand::RandomRates => {
                self.novel_inputs += 1;
                let seed = crate::rng::derive_seed(self.setup.seed, 5000 + self.novel_inputs);
                self.net.randomize_rates(seed);
                self.sample();
                Ok(Some("rates set to a random state".into()))
            }
            RateCommand::QuietRates => {
                self.net.quiet_rates();
                self.sample();
                Ok(Some("rates set to the quiet state φ(0)".into()))
            }
            RateCommand::SetParams(params) => {
                let rebuild = self.net.set_params(params).map_err(|e| e.to_string())?;
                self.setup.params = (**params).clone();
                self.info_dirty = true;
                if self.net.input().is_none() {
                    self.input_label.clear();
                }
                Ok(match rebuild {
                    Rebuild::Kept => None,
                    Rebuild::Rebuilt => Some(format!(
                        "network rebuilt: {} patterns in {} neurons, {} synapses (load α = {:.3})",
                        self.net.n_patterns(),
                        self.net.n(),
                        self.net.n_synapses(),
                        self.net.params().load()
                    )),
                })
            }
            RateCommand::SetCueMs(ms) => {
                if !(ms.is_finite() && *ms > 0.0 && *ms <= 100_000.0) {
                    return Err(format!("cue length must be between 0 and 100000 ms, not {ms}"));
                }
                self.setup.cue_ms = *ms;
                self.info_dirty = true;
                Ok(None)
            }
        }
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<RateInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let params = self.net.params().clone();
        let transfer = params.transfer();
        let rule = *self.net.rule();
        let rate_max_hz = params.r_max_hz;
        let sample = |from: f64, to: f64, f: &dyn Fn(f64) -> f64| -> Curve {
            (0..=200)
                .map(|k| {
                    let x = from + (to - from) * k as f64 / 200.0;
                    [x, f(x)]
                })
                .collect()
        };
        let h0 = transfer.threshold;
        let span = 6.0 / transfer.gain.max(1e-3);
        let familiar: Vec<f32> = (0..self.net.n_patterns())
            .flat_map(|mu| self.net.stored_rates(mu))
            .collect();
        Some(RateInfo {
            transfer: sample(h0 - span, h0 + span, &|h| phi(h, &transfer)),
            rule_f: sample(0.0, rate_max_hz, &|r| f_rule(r, &rule)),
            rule_g: sample(0.0, rate_max_hz, &|r| g_rule(r, &rule)),
            familiar_density: Arc::new(rate_density(&familiar, rate_max_hz)),
            rate_max_hz,
            n_neurons: self.net.n(),
            n_patterns: self.net.n_patterns(),
            n_synapses: self.net.n_synapses(),
            preset_params: self.preset_params.clone(),
            setup: self.setup.clone(),
            params,
        })
    }

    /// The data produced since the last call.
    pub fn take_frame(&mut self) -> RateFrame {
        let rates = self.net.rates().to_vec();
        let overlaps = self.net.overlaps();
        let mut frame = std::mem::take(&mut self.frame);
        frame.rate_density = rate_density(&rates, self.net.params().r_max_hz);
        frame.rates_hz = rates;
        frame.input = self.input_label.clone();
        frame.classification = classify(&overlaps);
        frame
    }

    /// The setup with the current parameters.
    pub fn setup(&self) -> &RateSetup {
        &self.setup
    }

    /// What drives the network now (None: it runs on its own).
    pub fn input(&self) -> Option<InputSource> {
        self.net.input()
    }
}

/// "pattern 3 (m = 0.78)" when one overlap reaches [`super::model::RETRIEVED_OVERLAP`], else "no pattern".
pub fn classify(overlaps: &[f64]) -> String {
    match super::model::retrieved(overlaps) {
        Some(mu) => format!("pattern {} (m = {:.2})", mu + 1, overlaps[mu]),
        None => "no pattern (background state)".into(),
    }
}

/// Histogram of rates over [0, r_max] in [`RATE_BINS`] bins, as a density (integrates to 1 over Hz).
pub fn rate_density(rates: &[f32], rate_max_hz: f64) -> Vec<f64> {
    let mut counts = vec![0.0; RATE_BINS];
    let width = rate_max_hz / RATE_BINS as f64;
    for &r in rates {
        let bin = ((f64::from(r) / width).floor().max(0.0) as usize).min(RATE_BINS - 1);
        counts[bin] += 1.0;
    }
    let total = rates.len().max(1) as f64 * width;
    counts.iter_mut().for_each(|c| *c /= total);
    counts
}

impl crate::families::FamilyScene<super::Rate> for RateScene {
    fn setup(&self) -> RateSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.net.time_ms()
    }

    fn steps_per_unit(&self) -> f64 {
        1.0 / self.net.params().dt_ms
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        RateScene::advance(self, steps)
    }

    fn apply(&mut self, command: &RateCommand) -> Result<Option<String>, String> {
        RateScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<RateInfo> {
        RateScene::take_info(self)
    }

    fn take_frame(&mut self) -> RateFrame {
        RateScene::take_frame(self)
    }

    fn save(&self) -> RateSceneState {
        self.save_session()
    }
}
