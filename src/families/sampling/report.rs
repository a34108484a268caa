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
        }
    }
}

/// The report as readable lines.
pub fn report_text(r: &SamplingReport) -> String {
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
