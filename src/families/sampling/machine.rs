//! A Boltzmann machine scene: the machine learns bars and stripes one exact epoch every few ms
//! while a Gibbs chain samples it (its dreams, shown as pixel grids, improve as it learns); then it
//! dreams freely, or completes a pattern whose top rows are clamped as evidence.

use serde::{Deserialize, Serialize};

use super::model::{
    Boltzmann, LearnParams, Learner, Sampler, SamplerKind, bars_and_stripes, is_bar_or_stripe,
};
use super::protocol::{LearnSetup, MachineFrame, MachineInfo};
use crate::rng::substream;

/// A dream is kept for the views every this many ms (Gibbs sweeps).
pub const DREAM_EVERY_MS: u64 = 50;

/// The learning machine, its dreaming chain and what the chain visited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// What the machine learns and how.
    pub setup: LearnSetup,
    /// The machine and its learning state.
    pub learner: Learner,
    /// The Gibbs chain that dreams (sampling the machine as it is now).
    pub dreamer: Sampler,
    /// Evidence on every unit (only visible units are ever clamped).
    pub clamp: Vec<Option<bool>>,
    /// Sweeps with v_k = 1 since the evidence last changed, per visible unit.
    pub visible_ones: Vec<u64>,
    /// Sweeps counted since the evidence last changed.
    pub samples: u64,
    /// Dreams kept and how many were bars or stripes, since the evidence last changed.
    pub dreams: (u64, u64),
    /// Milliseconds simulated.
    pub steps: u64,
    /// The mean log-likelihood of the data at the last epoch.
    pub log_likelihood: f64,
}

impl Machine {
    /// A machine with small random weights for the bars and stripes of `setup.side`.
    pub fn new(setup: &LearnSetup, seed: u64) -> Result<Self, String> {
        setup.validate()?;
        let params = LearnParams {
            hidden: setup.hidden,
            learning_rate: setup.learning_rate,
            momentum: setup.momentum,
            ..LearnParams::default()
        };
        let learner = Learner::new(bars_and_stripes(setup.side), params, seed).map_err(|e| e.to_string())?;
        let n = learner.n();
        let mut rng = substream(seed, 200);
        let model = learner.model();
        let z = model.random_state(&mut rng);
        let log_likelihood = learner.log_likelihood();
        Ok(Self {
            setup: setup.clone(),
            dreamer: Sampler::new(SamplerKind::Gibbs, z, 1, rng),
            clamp: vec![None; n],
            visible_ones: vec![0; learner.visible],
            samples: 0,
            dreams: (0, 0),
            steps: 0,
            log_likelihood,
            learner,
        })
    }

    /// Checks a restored machine against its setup.
    pub fn check(&mut self) -> Result<(), String> {
        let n = self.learner.n();
        if self.learner.visible != self.setup.side * self.setup.side
            || self.learner.params.hidden != self.setup.hidden
        {
            return Err("the saved machine does not match its setup".into());
        }
        if self.dreamer.z.len() != n
            || self.clamp.len() != n
            || self.visible_ones.len() != self.learner.visible
        {
            return Err(format!("the saved machine's chain does not have {n} units"));
        }
        if self.clamp[self.learner.visible..].iter().any(Option::is_some) {
            return Err("only visible units can be clamped".into());
        }
        self.dreamer.check_fields(&self.model());
        Ok(())
    }

    /// Whether the machine is still learning.
    pub fn learning(&self) -> bool {
        self.learner.epochs < self.setup.epochs
    }

    /// The machine as it is now.
    pub fn model(&self) -> Boltzmann {
        self.learner.model()
    }

    /// Advances by `steps` ms: an epoch every `epoch_ms` while learning, a Gibbs sweep of the
    /// dreamer every ms, a dream kept every [`DREAM_EVERY_MS`].
    pub fn advance(&mut self, steps: u64, frame: &mut MachineFrame) {
        let mut model = self.model();
        let visible = self.learner.visible;
        let mut spiked = Vec::new();
        for _ in 0..steps {
            if self.learning() && self.steps.is_multiple_of(self.setup.epoch_ms) {
                let before = self.learner.epoch();
                frame.epochs.push((self.learner.epochs - 1, before));
                model = self.model();
                self.dreamer.forget_fields();
                if !self.learning() {
                    self.log_likelihood = self.learner.log_likelihood();
                    frame.epochs.push((self.learner.epochs, self.log_likelihood));
                    frame.learned = true;
                } else {
                    self.log_likelihood = before;
                }
            }
            self.dreamer.step(&model, &self.clamp, &mut spiked);
            spiked.clear();
            self.steps += 1;
            self.samples += 1;
            for (o, &v) in self.visible_ones.iter_mut().zip(&self.dreamer.z[..visible]) {
                *o += u64::from(v);
            }
            if self.steps.is_multiple_of(DREAM_EVERY_MS) {
                let dream = self.dreamer.z[..visible].to_vec();
                self.dreams.0 += 1;
                self.dreams.1 += u64::from(is_bar_or_stripe(&dream, self.setup.side));
                frame.dreams.push(dream);
            }
        }
        frame.visible_marginals = self.visible_marginals();
        frame.valid_fraction = if self.dreams.0 == 0 {
            f64::NAN
        } else {
            self.dreams.1 as f64 / self.dreams.0 as f64
        };
        frame.epochs_done = self.learner.epochs;
    }

    /// Sampled p(v_k = 1) since the evidence last changed.
    pub fn visible_marginals(&self) -> Vec<f64> {
        let t = self.samples.max(1) as f64;
        self.visible_ones.iter().map(|&o| o as f64 / t).collect()
    }

    /// Clamps the top rows (⌊side/2⌋, at least one) of training pattern `pattern` and frees the
    /// rest: the dreamer then completes the pattern by sampling.
    pub fn complete_from_top(&mut self, pattern: usize) -> Result<String, String> {
        let data = &self.learner.data;
        let Some(v) = data.get(pattern) else {
            return Err(format!(
                "there is no training pattern {} (there are {})",
                pattern + 1,
                data.len()
            ));
        };
        let side = self.setup.side;
        let rows = (side / 2).max(1);
        let mut clamp = vec![None; self.learner.n()];
        for (k, c) in clamp.iter_mut().enumerate().take(rows * side) {
            *c = Some(v[k] == 1);
        }
        self.set_clamp(clamp);
        Ok(format!(
            "pattern {}: top {rows} row(s) clamped, the rest sampled",
            pattern + 1
        ))
    }

    /// New evidence (visible units only); the counts start again.
    pub fn set_clamp(&mut self, clamp: Vec<Option<bool>>) {
        self.clamp = clamp;
        self.dreamer.apply_clamp(&self.clamp);
        self.restart_counts();
    }

    /// Forgets what the dreamer visited.
    pub fn restart_counts(&mut self) {
        self.visible_ones.fill(0);
        self.samples = 0;
        self.dreams = (0, 0);
    }

    /// What the views need: the data, the best likelihood and, once learned, the exact posterior
    /// marginals of the visible units given the evidence.
    pub fn info(&self) -> MachineInfo {
        let visible = self.learner.visible;
        let exact_visible_marginals = (!self.learning()).then(|| {
            let model = self.model();
            model
                .exact_given(&self.clamp)
                .map(|e| e.marginals()[..visible].to_vec())
        });
        MachineInfo {
            setup: self.setup.clone(),
            visible,
            hidden: self.learner.params.hidden,
            data: self.learner.data.clone(),
            best_log_likelihood: -(self.learner.data.len() as f64).ln(),
            clamp: self.clamp[..visible].to_vec(),
            exact_visible_marginals: exact_visible_marginals.flatten(),
            epochs_done: self.learner.epochs,
            log_likelihood: self.log_likelihood,
        }
    }
}
