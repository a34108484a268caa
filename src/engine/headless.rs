//! Running a scenario without a window: the same scenes and commands as the app, on this thread.

use std::time::Instant;

use serde::Serialize;

use super::protocol::{SceneFrame, SceneInfo};
use super::scene::Scene;
use crate::scenario::Scenario;

/// Steps taken between two looks at the timeline.
const CHUNK_STEPS: u64 = 1000;

/// What a headless run of a scenario observed.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Scenario name.
    pub scenario: String,
    /// "hopfield" or "spiking".
    pub model: &'static str,
    /// Seed of the run.
    pub seed: u64,
    /// Simulated time reached, in `time_unit`.
    pub sim_time: f64,
    /// "sweeps" or "ms".
    pub time_unit: &'static str,
    /// Steps taken (single-neuron updates or dt steps).
    pub steps: u64,
    /// Wall time of the simulation loop, in s.
    pub wall_s: f64,
    /// Steps per wall second.
    pub steps_per_s: f64,
    /// Timeline actions carried out, in order, with the time they happened.
    pub actions: Vec<String>,
    /// Hopfield observables (None for spiking scenes).
    pub hopfield: Option<HopfieldReport>,
    /// Spiking observables (None for Hopfield scenes).
    pub spiking: Option<SpikingReport>,
}

/// Hopfield observables at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct HopfieldReport {
    /// Labels of the stored patterns.
    pub labels: Vec<String>,
    /// Final overlap with every stored pattern.
    pub overlaps: Vec<f64>,
    /// Final energy.
    pub energy: f64,
    /// Final state classification ("stored A", "mixture", ...).
    pub classification: String,
    /// Index of the stored pattern with overlap ≥ 0.9, if any.
    pub retrieved_pattern: Option<usize>,
    /// Energy sampled over the run: (time in sweeps, energy).
    pub energy_trace: Vec<[f64; 2]>,
}

/// Spiking observables over a run.
#[derive(Debug, Clone, Serialize)]
pub struct SpikingReport {
    /// Number of neurons.
    pub neurons: usize,
    /// Number of synapses.
    pub synapses: usize,
    /// Spikes in the run.
    pub spikes: u64,
    /// Mean rate per neuron, in Hz.
    pub rate_hz: f64,
    /// Mean rate per neuron of each population, in Hz.
    pub population_rates_hz: Vec<(String, f64)>,
    /// Mean weight factor of E→E synapses at the end (1 unless STDP changed them).
    pub mean_exc_weight: f64,
    /// The spiking memory's readout at the end, when the scene is one.
    pub memory: Option<MemoryReport>,
}

/// What a spiking memory holds at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryReport {
    /// Labels of the patterns.
    pub labels: Vec<String>,
    /// Overlap of the rate state with every pattern (from spikes filtered over `filter_ms`).
    pub overlaps: Vec<f64>,
    /// Index of the retrieved pattern (overlap ≥ 0.75 and 0.3 above every other), if any.
    pub retrieved_pattern: Option<usize>,
    /// Label of the retrieved pattern, if any.
    pub retrieved_label: Option<String>,
    /// Classification of the final state ("pattern A", "mixture of A, H", "no pattern").
    pub classification: String,
    /// Rates of a pixel's losing and winning pool in a stored pattern (Siegert), in Hz.
    pub rate_levels_hz: (f64, f64),
}

impl MemoryReport {
    /// The readout of a spiking memory now.
    pub fn of(memory: &crate::spiking::SpikingMemory) -> Self {
        let overlaps = memory.overlaps();
        let labels = memory.patterns().labels.clone();
        let retrieved_pattern = memory.retrieved();
        Self {
            classification: memory.describe(),
            retrieved_label: retrieved_pattern.map(|i| labels[i].clone()),
            retrieved_pattern,
            labels,
            overlaps,
            rate_levels_hz: memory.rate_levels_hz(),
        }
    }
}

/// Receives everything a headless run produces, in order: scene descriptions and frames.
pub trait RunObserver {
    /// A new scene description; the first comes before any frame.
    fn info(&mut self, info: &SceneInfo) -> Result<(), String>;
    /// The data produced since the previous frame; `sim_time` is the scene's time at its end.
    fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<(), String>;
}

/// Runs `scenario` for `duration` (its own when None) and reports what happened.
pub fn run_scenario(
    scenario: &Scenario,
    duration: Option<f64>,
    progress: impl FnMut(f64, f64),
) -> Result<RunReport, String> {
    run_scenario_observed(scenario, duration, progress, None)
}

/// Like [`run_scenario`], also handing every scene description and frame to `observer` (e.g. a
/// `recording::Recorder`); an observer error ends the run. Time spent in the observer is not counted
/// in `wall_s`.
pub fn run_scenario_observed(
    scenario: &Scenario,
    duration: Option<f64>,
    mut progress: impl FnMut(f64, f64),
    mut observer: Option<&mut dyn RunObserver>,
) -> Result<RunReport, String> {
    let mut scene = Scene::build(&scenario.scene)?;
    let duration = duration.or(scenario.duration).unwrap_or(match scenario.scene {
        super::SceneSetup::Hopfield(_) => 20.0,
        super::SceneSetup::Spiking(_) => 1000.0,
    });
    if !(duration.is_finite() && duration > 0.0) {
        return Err(format!("the duration must be a positive number, not {duration}"));
    }
    let mut timeline: Vec<_> = scenario.timeline.iter().collect();
    timeline.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut next_action = 0;
    let mut actions = Vec::new();
    let steps_per_unit = scene.steps_per_unit();
    let total_steps = (duration * steps_per_unit).round() as u64;
    let mut info = scene.take_info();
    let mut collector = Collector::default();
    let started = Instant::now();
    let mut observer_s = 0.0;
    if let (Some(observer), Some(info)) = (observer.as_deref_mut(), &info) {
        let t = Instant::now();
        observer.info(info)?;
        // The starting point (a Hopfield scene's cue) as a frame of its own; probes only read.
        let frame = scene.take_frame();
        observer.frame(&frame, scene.sim_time())?;
        collector.take(frame);
        observer_s += t.elapsed().as_secs_f64();
    }
    let mut steps_done = 0;
    loop {
        // Actions due now are applied before the next step.
        while let Some(step) = timeline.get(next_action) {
            if (step.at * steps_per_unit).round() as u64 > steps_done {
                break;
            }
            let notice = scene.apply(&step.action.command())?;
            actions.push(format!(
                "at {} {}: {}",
                step.at,
                scene.time_unit(),
                notice.unwrap_or_else(|| step.action.describe())
            ));
            next_action += 1;
        }
        if steps_done >= total_steps {
            break;
        }
        let until_action = timeline.get(next_action).map_or(u64::MAX, |s| {
            ((s.at * steps_per_unit).round() as u64).max(steps_done + 1)
        });
        let chunk = CHUNK_STEPS
            .min(total_steps - steps_done)
            .min(until_action - steps_done);
        scene.advance(chunk)?;
        steps_done += chunk;
        if let Some(new_info) = scene.take_info() {
            if let Some(observer) = observer.as_deref_mut() {
                let t = Instant::now();
                observer.info(&new_info)?;
                observer_s += t.elapsed().as_secs_f64();
            }
            info = Some(new_info);
        }
        let frame = scene.take_frame();
        if let Some(observer) = observer.as_deref_mut() {
            let t = Instant::now();
            observer.frame(&frame, scene.sim_time())?;
            observer_s += t.elapsed().as_secs_f64();
        }
        collector.take(frame);
        progress(steps_done as f64 / steps_per_unit, duration);
    }
    let wall_s = (started.elapsed().as_secs_f64() - observer_s).max(0.0);
    let frame = scene.take_frame();
    if let Some(observer) = observer {
        observer.frame(&frame, scene.sim_time())?;
    }
    collector.take(frame);
    let (model, hopfield, spiking) = match info {
        Some(SceneInfo::Hopfield(info)) => {
            let overlaps = collector
                .last_overlaps
                .iter()
                .map(|&m| f64::from(m))
                .collect::<Vec<_>>();
            let retrieved = overlaps.iter().position(|&m| m >= 0.9);
            let report = HopfieldReport {
                labels: info.labels,
                retrieved_pattern: retrieved,
                overlaps,
                energy: collector.energy_trace.last().map_or(f64::NAN, |p| p[1]),
                classification: collector.classification,
                energy_trace: collector.energy_trace,
            };
            ("hopfield", Some(report), None)
        }
        Some(SceneInfo::Spiking(info)) => {
            let seconds = scene.sim_time() / 1000.0;
            let population_rates_hz = info
                .populations
                .iter()
                .zip(&collector.population_spikes)
                .map(|(p, &count)| {
                    (
                        p.name.clone(),
                        count as f64 / p.len.max(1) as f64 / seconds.max(1e-12),
                    )
                })
                .collect();
            let report = SpikingReport {
                neurons: info.n_neurons,
                synapses: info.n_synapses,
                spikes: collector.spikes,
                rate_hz: collector.spikes as f64 / info.n_neurons.max(1) as f64 / seconds.max(1e-12),
                population_rates_hz,
                mean_exc_weight: info.mean_exc_weight,
                memory: match &scene {
                    Scene::Spiking(s) => s.memory().map(MemoryReport::of),
                    Scene::Hopfield(_) => None,
                },
            };
            ("spiking", None, Some(report))
        }
        None => return Err("the scene did not describe itself".into()),
    };
    let seed = match &scenario.scene {
        super::SceneSetup::Hopfield(h) => h.seed,
        super::SceneSetup::Spiking(s) => s.seed,
    };
    Ok(RunReport {
        scenario: scenario.name.clone(),
        model,
        seed,
        sim_time: scene.sim_time(),
        time_unit: scene.time_unit(),
        steps: steps_done,
        wall_s,
        steps_per_s: steps_done as f64 / wall_s.max(1e-12),
        actions,
        hopfield,
        spiking,
    })
}

/// Accumulates what the frames of a headless run carry.
#[derive(Default)]
struct Collector {
    last_overlaps: Vec<f32>,
    energy_trace: Vec<[f64; 2]>,
    classification: String,
    spikes: u64,
    population_spikes: Vec<u64>,
}

impl Collector {
    fn take(&mut self, frame: SceneFrame) {
        match frame {
            SceneFrame::Hopfield(frame) => {
                for sample in frame.samples {
                    self.energy_trace.push([sample.time_sweeps, sample.energy]);
                    self.last_overlaps = sample.overlaps;
                }
                self.classification = frame.classification;
            }
            SceneFrame::Spiking(frame) => {
                self.spikes += frame.spike_neurons.len() as u64;
                self.population_spikes.resize(frame.population_counts.len(), 0);
                for (total, counts) in self.population_spikes.iter_mut().zip(&frame.population_counts) {
                    *total += counts.iter().map(|&c| u64::from(c)).sum::<u64>();
                }
            }
        }
    }
}
