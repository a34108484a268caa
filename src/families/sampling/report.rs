//! What a headless run of a sampling scene reports: each sampler's distance from the exact
//! distribution, its marginals and rate, beside the exact marginals.

use serde::Serialize;

use super::protocol::{SamplingFrame, SamplingInfo};
use super::scene::SamplingScene;

/// One sampler at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct SamplerReport {
    /// The sampler's key (gibbs, gibbs-parallel, neural, neural-uncorrected).
    pub sampler: String,
    /// Samples counted (one per ms since the last change of target).
    pub samples: u64,
    /// KL(sampled ‖ exact) in nats (None above 20 units).
    pub kl: Option<f64>,
    /// Total variation to the exact distribution.
    pub tv: Option<f64>,
    /// Sampled p(z_k = 1).
    pub marginals: Vec<f64>,
    /// Spikes per neuron per second (neural samplers; 0 otherwise).
    pub rate_hz: f64,
}

/// Sampling observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct SamplingReport {
    /// Units N.
    pub units: usize,
    /// Temperature T at the end.
    pub temperature: f64,
    /// Evidence at the end (`1`/`0`/`?` per unit; empty for none).
    pub clamp: String,
    /// Exact marginals p(z_k = 1 | evidence) (None above 20 units).
    pub exact_marginals: Option<Vec<f64>>,
    /// Each sampler.
    pub samplers: Vec<SamplerReport>,
    /// (samples, KL per sampler) at log-spaced sample counts since the last change of target.
    pub kl_trace: Vec<(u64, Vec<f64>)>,
    /// The learning machine, in a Boltzmann machine scene.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<MachineReport>,
}

/// A learning Boltzmann machine at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct MachineReport {
    /// Epochs done.
    pub epochs: u64,
    /// Mean log-likelihood of the data now, nats (NaN for a restricted machine: not computable).
    pub log_likelihood: f64,
    /// The best possible, −ln(patterns).
    pub best_log_likelihood: f64,
    /// A restricted machine's mean reconstruction error at its last epoch (None for a full one).
    pub reconstruction_error: Option<f64>,
    /// What a valid dream is ("bars or stripes", "letter-like ...").
    pub valid: String,
    /// Evidence on the visible units (`1`/`0`/`?`; empty for none).
    pub clamp: String,
    /// Fraction of the dreams since the evidence last changed that are valid.
    pub valid_dream_fraction: f64,
    /// Sampled p(v_k = 1) since the evidence last changed.
    pub visible_marginals: Vec<f64>,
    /// Exact p(v_k = 1 | evidence) (once learning is over).
    pub exact_visible_marginals: Option<Vec<f64>>,
}

/// What a headless run gathers from a sampling scene's frames.
#[derive(Debug, Default)]
pub struct SamplingSummary {
    kl_trace: Vec<(u64, Vec<f64>)>,
}

impl SamplingSummary {
    /// Adds a frame (a distance trace that starts again after a change of target replaces the old one).
    pub fn take(&mut self, frame: &SamplingFrame) {
        for point in &frame.distances {
            if self.kl_trace.last().is_some_and(|(s, _)| point.samples <= *s) {
                self.kl_trace.clear();
            }
            self.kl_trace.push((point.samples, point.kl.clone()));
        }
    }

    /// The report of a run that ended with this scene.
    pub fn report(self, info: &SamplingInfo, scene: &SamplingScene) -> SamplingReport {
        let exact = scene.exact();
        SamplingReport {
            units: info.units,
            temperature: scene.model().temperature(),
            clamp: scene.setup().clamp,
            exact_marginals: exact.map(|e| e.marginals()),
            samplers: scene
                .samplers()
                .iter()
                .zip(scene.counts())
                .enumerate()
                .map(|(k, (s, c))| SamplerReport {
                    sampler: s.kind.key().into(),
                    samples: c.total,
                    kl: exact.and_then(|e| c.kl_to(e)),
                    tv: exact.and_then(|e| c.tv_to(e)),
                    marginals: c.marginals(),
                    rate_hz: scene.rate_hz(k),
                })
                .collect(),
            kl_trace: self.kl_trace,
            machine: scene.machine().map(|m| {
                let info = m.info();
                MachineReport {
                    epochs: m.trainer.epochs(),
                    log_likelihood: if info.restricted {
                        f64::NAN
                    } else {
                        m.log_likelihood
                    },
                    best_log_likelihood: info.best_log_likelihood,
                    reconstruction_error: info.restricted.then_some(m.log_likelihood),
                    valid: info.valid_label.clone(),
                    clamp: super::protocol::clamp_text(&info.clamp),
                    valid_dream_fraction: if m.dreams.0 == 0 {
                        f64::NAN
                    } else {
                        m.dreams.1 as f64 / m.dreams.0 as f64
                    },
                    visible_marginals: m.visible_marginals(),
                    exact_visible_marginals: info.exact_visible_marginals,
                }
            }),
        }
    }
}

/// The report as readable lines.
pub fn report_text(r: &SamplingReport) -> String {
    if let Some(m) = &r.machine {
        let learned = match m.reconstruction_error {
            Some(error) => format!("reconstruction error {error:.4} (restricted, CD-1)"),
            None => format!(
                "log-likelihood {:.4} nats (best {:.4})",
                m.log_likelihood, m.best_log_likelihood
            ),
        };
        return format!(
            "Boltzmann machine, {} units: {} epochs, {learned}; evidence {}; {:.1} % of dreams are {}\n",
            r.units,
            m.epochs,
            if m.clamp.is_empty() { "none" } else { &m.clamp },
            100.0 * m.valid_dream_fraction,
            m.valid
        );
    }
    let mut out = format!(
        "{} units, T = {}, evidence {}\n",
        r.units,
        r.temperature,
        if r.clamp.is_empty() { "none" } else { &r.clamp }
    );
    for s in &r.samplers {
        let kl = s.kl.map_or("n/a".to_string(), |k| format!("{k:.5}"));
        let tv = s.tv.map_or("n/a".to_string(), |t| format!("{t:.4}"));
        out += &format!("  {:<19} {} samples, KL {kl} nats, TV {tv}", s.sampler, s.samples);
        if s.rate_hz > 0.0 {
            out += &format!(", {:.1} Hz", s.rate_hz);
        }
        out += "\n";
    }
    out
}
