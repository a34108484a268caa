//! A Boltzmann machine scene: the machine learns one epoch every few ms (bars and stripes by the
//! exact rule, or letters by contrastive divergence in a restricted machine) while a Gibbs chain
//! samples it (its dreams, shown as pixel grids, improve as it learns); then it dreams freely, or
//! completes a pattern whose top rows are clamped as evidence.

use serde::{Deserialize, Serialize};

use super::model::{
    Boltzmann, LETTER_LIKE, LearnParams, Learner, Rbm, Sampler, SamplerKind, bars_and_stripes,
    cd_learning_rate, is_bar_or_stripe, letters, max_agreement,
};
use super::protocol::{LearnData, LearnSetup, MachineFrame, MachineInfo};
use crate::rng::substream;

/// What learns: a full machine with exact expectations, or a restricted one trained by CD-1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trainer {
    /// Bars and stripes: every expectation enumerated (V + H ≤ 20).
    Exact(Learner),
    /// Letters: a restricted machine, contrastive divergence.
    Restricted(Restricted),
}

/// A restricted machine learning the 16 × 16 letters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restricted {
    /// The machine, its random stream and epochs.
    pub rbm: Rbm,
    /// The letters as 0/1 pixel rows.
    pub data: Vec<Vec<u8>>,
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// The CD-1 step ([`cd_learning_rate`] of the setup's η).
    pub learning_rate: f64,
}

impl Trainer {
    /// The learner `setup` asks for, with small random weights drawn from `seed`.
    fn new(setup: &LearnSetup, seed: u64) -> Result<Self, String> {
        match &setup.data {
            LearnData::BarsAndStripes => {
                let params = LearnParams {
                    hidden: setup.hidden,
                    learning_rate: setup.learning_rate,
                    momentum: setup.momentum,
                    ..LearnParams::default()
                };
                let learner =
                    Learner::new(bars_and_stripes(setup.side), params, seed).map_err(|e| e.to_string())?;
                Ok(Self::Exact(learner))
            }
            LearnData::Letters(labels) => {
                let (data, width, height) = letters(labels)?;
                let rbm = Rbm::new(width * height, setup.hidden, seed).map_err(|e| e.to_string())?;
                Ok(Self::Restricted(Restricted {
                    rbm,
                    data,
                    width,
                    height,
                    learning_rate: cd_learning_rate(setup.learning_rate),
                }))
            }
        }
    }

    /// Visible units.
    pub fn visible(&self) -> usize {
        match self {
            Self::Exact(l) => l.visible,
            Self::Restricted(r) => r.rbm.visible,
        }
    }

    /// Hidden units.
    pub fn hidden(&self) -> usize {
        match self {
            Self::Exact(l) => l.params.hidden,
            Self::Restricted(r) => r.rbm.hidden,
        }
    }

    /// Units V + H.
    pub fn n(&self) -> usize {
        self.visible() + self.hidden()
    }

    /// Pixels per row and rows of a pattern.
    pub fn grid(&self) -> (usize, usize) {
        match self {
            Self::Exact(l) => {
                let side = (l.visible as f64).sqrt().round() as usize;
                (side, side)
            }
            Self::Restricted(r) => (r.width, r.height),
        }
    }

    /// The training patterns.
    pub fn data(&self) -> &[Vec<u8>] {
        match self {
            Self::Exact(l) => &l.data,
            Self::Restricted(r) => &r.data,
        }
    }

    /// Epochs done.
    pub fn epochs(&self) -> u64 {
        match self {
            Self::Exact(l) => l.epochs,
            Self::Restricted(r) => r.rbm.epochs,
        }
    }

    /// The machine as a Boltzmann distribution over (v, h), visible units first.
    pub fn model(&self) -> Boltzmann {
        match self {
            Self::Exact(l) => l.model(),
            Self::Restricted(r) => r
                .rbm
                .model()
                .expect("a restricted machine within MAX_MACHINE_UNITS with finite weights"),
        }
    }

    /// One epoch; returns the learning curve's value for it: the exact mean log-likelihood of the
    /// data before it, or the mean reconstruction error of a restricted machine during it.
    fn epoch(&mut self) -> f64 {
        match self {
            Self::Exact(l) => l.epoch(),
            Self::Restricted(r) => r.rbm.epoch(&r.data, r.learning_rate, 1),
        }
    }

    /// The learning curve's value now, where it can be computed without learning (the exact
    /// log-likelihood; a reconstruction error needs an epoch).
    fn curve_now(&self) -> Option<f64> {
        match self {
            Self::Exact(l) => Some(l.log_likelihood()),
            Self::Restricted(_) => None,
        }
    }

    /// Whether a dream is valid: a bar or a stripe, or a letter-like image (sharing at least
    /// [`LETTER_LIKE`] of its pixels with a letter).
    pub fn is_valid(&self, dream: &[u8]) -> bool {
        match self {
            Self::Exact(_) => is_bar_or_stripe(dream, self.grid().0),
            Self::Restricted(r) => max_agreement(dream, &r.data) >= LETTER_LIKE,
        }
    }

    /// What a valid dream is, in words.
    pub fn valid_label(&self) -> &'static str {
        match self {
            Self::Exact(_) => "bars or stripes",
            Self::Restricted(_) => "letter-like (≥ 90 % of pixels shared with a letter)",
        }
    }
}

/// A dream is kept for the views every this many ms (Gibbs sweeps).
pub const DREAM_EVERY_MS: u64 = 50;

/// The learning machine, its dreaming chain and what the chain visited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// What the machine learns and how.
    pub setup: LearnSetup,
    /// The machine and its learning state.
    pub trainer: Trainer,
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
    /// The learning curve's value at the last epoch: the mean log-likelihood of the data, or a
    /// restricted machine's reconstruction error (NaN before its first epoch).
    pub log_likelihood: f64,
}

impl Machine {
    /// A machine with small random weights for the data of `setup`.
    pub fn new(setup: &LearnSetup, seed: u64) -> Result<Self, String> {
        setup.validate()?;
        let trainer = Trainer::new(setup, seed)?;
        let n = trainer.n();
        let mut rng = substream(seed, 200);
        let model = trainer.model();
        let z = model.random_state(&mut rng);
        let log_likelihood = trainer.curve_now().unwrap_or(f64::NAN);
        Ok(Self {
            setup: setup.clone(),
            dreamer: Sampler::new(SamplerKind::Gibbs, z, 1, rng),
            clamp: vec![None; n],
            visible_ones: vec![0; trainer.visible()],
            samples: 0,
            dreams: (0, 0),
            steps: 0,
            log_likelihood,
            trainer,
        })
    }

    /// Checks a restored machine against its setup.
    pub fn check(&mut self) -> Result<(), String> {
        let n = self.trainer.n();
        let expected = Trainer::new(&self.setup, 0)?;
        if std::mem::discriminant(&expected) != std::mem::discriminant(&self.trainer)
            || self.trainer.visible() != expected.visible()
            || self.trainer.hidden() != self.setup.hidden
            || self.trainer.data() != expected.data()
        {
            return Err("the saved machine does not match its setup".into());
        }
        if self.dreamer.z.len() != n
            || self.clamp.len() != n
            || self.visible_ones.len() != self.trainer.visible()
        {
            return Err(format!("the saved machine's chain does not have {n} units"));
        }
        if self.clamp[self.trainer.visible()..].iter().any(Option::is_some) {
            return Err("only visible units can be clamped".into());
        }
        self.dreamer.check_fields(&self.model());
        Ok(())
    }

    /// Whether the machine is still learning.
    pub fn learning(&self) -> bool {
        self.trainer.epochs() < self.setup.epochs
    }

    /// The machine as it is now.
    pub fn model(&self) -> Boltzmann {
        self.trainer.model()
    }

    /// Advances by `steps` ms: an epoch every `epoch_ms` while learning, a Gibbs sweep of the
    /// dreamer every ms, a dream kept every [`DREAM_EVERY_MS`]. `model` is the machine as it is
    /// ([`Self::model`]), kept by the caller and updated here after every epoch rather than built
    /// afresh for every call (an N² copy and check, N = 286 for the letters).
    pub fn advance(&mut self, steps: u64, frame: &mut MachineFrame, model: &mut Boltzmann) {
        let visible = self.trainer.visible();
        let mut spiked = Vec::new();
        for _ in 0..steps {
            if self.learning() && self.steps.is_multiple_of(self.setup.epoch_ms) {
                let value = self.trainer.epoch();
                frame.epochs.push((self.trainer.epochs() - 1, value));
                *model = self.model();
                self.dreamer.forget_fields();
                self.log_likelihood = value;
                if !self.learning() {
                    if let Some(now) = self.trainer.curve_now() {
                        self.log_likelihood = now;
                        frame.epochs.push((self.trainer.epochs(), now));
                    }
                    frame.learned = true;
                }
            }
            self.dreamer.step(model, &self.clamp, &mut spiked);
            spiked.clear();
            self.steps += 1;
            self.samples += 1;
            for (o, &v) in self.visible_ones.iter_mut().zip(&self.dreamer.z[..visible]) {
                *o += u64::from(v);
            }
            if self.steps.is_multiple_of(DREAM_EVERY_MS) {
                let dream = self.dreamer.z[..visible].to_vec();
                self.dreams.0 += 1;
                self.dreams.1 += u64::from(self.trainer.is_valid(&dream));
                frame.dreams.push(dream);
            }
        }
        frame.visible_marginals = self.visible_marginals();
        frame.valid_fraction = if self.dreams.0 == 0 {
            f64::NAN
        } else {
            self.dreams.1 as f64 / self.dreams.0 as f64
        };
        frame.epochs_done = self.trainer.epochs();
    }

    /// Sampled p(v_k = 1) since the evidence last changed.
    pub fn visible_marginals(&self) -> Vec<f64> {
        let t = self.samples.max(1) as f64;
        self.visible_ones.iter().map(|&o| o as f64 / t).collect()
    }

    /// Clamps the top rows (half of them, at least one) of training pattern `pattern` and frees the
    /// rest: the dreamer then completes the pattern by sampling.
    pub fn complete_from_top(&mut self, pattern: usize) -> Result<String, String> {
        let data = self.trainer.data();
        let Some(v) = data.get(pattern) else {
            return Err(format!(
                "there is no training pattern {} (there are {})",
                pattern + 1,
                data.len()
            ));
        };
        let (width, height) = self.trainer.grid();
        let rows = (height / 2).max(1);
        let mut clamp = vec![None; self.trainer.n()];
        for (k, c) in clamp.iter_mut().enumerate().take(rows * width) {
            *c = Some(v[k] == 1);
        }
        // The rest starts afresh, from a random state, rather than from the previous completion.
        let z = self.model().random_state(&mut self.dreamer.rng);
        self.dreamer.z = z;
        self.dreamer.forget_fields();
        self.set_clamp(clamp);
        Ok(format!(
            "pattern {}: top {rows} row(s) clamped, the rest sampled from a random start",
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
        let visible = self.trainer.visible();
        let restricted = matches!(self.trainer, Trainer::Restricted(_));
        let exact_visible_marginals = (!self.learning() && !restricted).then(|| {
            let model = self.model();
            model
                .exact_given(&self.clamp)
                .map(|e| e.marginals()[..visible].to_vec())
        });
        let (width, height) = self.trainer.grid();
        let data = self.trainer.data().to_vec();
        MachineInfo {
            setup: self.setup.clone(),
            visible,
            width,
            height,
            restricted,
            hidden: self.trainer.hidden(),
            best_log_likelihood: -(data.len() as f64).ln(),
            valid_label: self.trainer.valid_label().into(),
            data,
            clamp: self.clamp[..visible].to_vec(),
            exact_visible_marginals: exact_visible_marginals.flatten(),
            epochs_done: self.trainer.epochs(),
            log_likelihood: self.log_likelihood,
        }
    }
}
