//! A recurrent network of integrate-and-fire populations with sparse synapses in compressed rows,
//! a homogeneous transmission delay through a ring buffer, and external drive.

//!
//! Split along NEST's lines: [`params`] (parameters and validation), [`connectivity`] (compressed
//! rows), [`kernels`] (integration), [`plasticity`] (STDP), [`state`] (save/restore).

mod connectivity;
mod kernels;
mod params;
mod plasticity;
mod state;
#[cfg(test)]
mod tests;
mod threads;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use super::SpikingError;
use super::neuron::{NeuronModel, NeuronParams};
use crate::rng::{SimRng, substream};

use connectivity::*;
use kernels::*;
pub use params::*;
pub use plasticity::*;
pub use state::*;
pub use threads::{MAX_THREADS, NEURONS_PER_STREAM, effective_threads};
use threads::{Workers, split_by};

/// One step in this many is timed by [`Network::time_phases`].
const PHASE_SAMPLE: u64 = 8;

/// Wall time spent in the phases of the steps, in seconds, estimated from every eighth step.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct PhaseTimes {
    /// Integration, threshold and reset of every neuron, with the external drive (on the threads).
    pub integrate_s: f64,
    /// Gathering the threads' spikes, forced spikes and STDP (on the calling thread).
    pub serial_s: f64,
    /// Delivering the spikes to their targets' input (on the threads).
    pub deliver_s: f64,
}

/// A network of integrate-and-fire populations.
///
/// One step, in this order: (1) deliver the input arriving now from the delay ring buffer and the
/// external Poisson drive; (2) integrate every non-refractory neuron exactly over dt (EIF: Euler);
/// exponential synaptic currents decay; (3) threshold: neurons at or above threshold spike;
/// (4) reset them and start their refractory period; (5) forced spikes join, STDP updates;
/// (6) send the spikes into the ring buffer slot `delay` steps ahead. Phases 1–4 and 6 run on
/// several threads when asked (see [`threads`]: same seed, same spikes, whatever the count).
pub struct Network {
    params: NetworkParams,
    connectivity: Connectivity,
    populations: Vec<PopulationInfo>,
    props: Vec<Propagators>,
    /// Presynaptic compressed rows: synapses of neuron i are row_start[i]..row_start[i + 1].
    row_start: Vec<u32>,
    targets: TargetIndices,
    /// Per-synapse weight factor (plastic under STDP); empty while every factor is 1, so that
    /// a uniform network reads no weights (see [`Network::own_weights`]).
    weights: Vec<f32>,
    /// Membrane potentials, in mV.
    v: Vec<f32>,
    g_exc: Vec<f32>,
    g_inh: Vec<f32>,
    refractory: Vec<u16>,
    /// Adaptation w of every neuron, in mV (only AdEx populations change it).
    adaptation: Vec<f32>,
    /// Input per delay slot, excitatory and inhibitory: `slots × N`.
    ring_exc: Vec<f32>,
    ring_inh: Vec<f32>,
    slots: usize,
    stimulus_mv: Vec<f32>,
    /// Some neuron has a non-zero stimulus (else the kernels skip the array).
    stimulus_active: bool,
    spikes: Vec<u32>,
    steps: u64,
    synaptic_events: u64,
    /// One random stream per block of [`NEURONS_PER_STREAM`] neurons (noise, Poisson drive).
    streams: Vec<SimRng>,
    /// The threads and the neurons each owns.
    workers: Workers,
    /// Spikes of each thread's neurons in this step (kept to reuse their memory).
    thread_spikes: Vec<Vec<u32>>,
    /// Wall time per phase, when asked for.
    phase_times: Option<PhaseTimes>,
    recent_spikes: u64,
    recent_window_start: u64,
    forced: Vec<u32>,
    stdp: Option<Plasticity>,
}

impl Network {
    /// Builds a network from params and connectivity; `seed` fixes wiring, initial state and noise.
    pub fn new(
        params: NetworkParams,
        connectivity: Connectivity,
        initial_v: impl Fn(usize, &mut SimRng) -> f64,
        seed: u64,
    ) -> Result<Self, SpikingError> {
        params.validate()?;
        let n = params.n_neurons();
        let populations = population_infos(&params);
        let Wiring {
            row_start,
            targets,
            weights,
        } = wire(&populations, &connectivity, &mut substream(seed, 1))?;
        let targets = TargetIndices::new(targets, n);
        let mut init_rng = substream(seed, 2);
        let v = (0..n).map(|i| initial_v(i, &mut init_rng) as f32).collect();
        let slots = params.delay_steps() + 1;
        let props = params
            .populations
            .iter()
            .map(|p| propagators(p, &params))
            .collect();
        Ok(Self {
            props,
            params,
            connectivity,
            populations,
            row_start,
            targets,
            weights,
            v,
            g_exc: vec![0.0; n],
            g_inh: vec![0.0; n],
            refractory: vec![0; n],
            adaptation: vec![0.0; n],
            ring_exc: vec![0.0; slots * n],
            ring_inh: vec![0.0; slots * n],
            slots,
            stimulus_mv: vec![0.0; n],
            stimulus_active: false,
            spikes: Vec::new(),
            steps: 0,
            synaptic_events: 0,
            streams: block_streams(seed, n),
            workers: Workers::single(n),
            thread_spikes: Vec::new(),
            phase_times: None,
            recent_spikes: 0,
            recent_window_start: 0,
            forced: Vec::new(),
            stdp: None,
        })
    }

    /// Advances one step (see the type's doc for the order); errors if the network diverged.
    pub fn try_step(&mut self) -> Result<(), SpikingError> {
        self.step();
        self.check_divergence()
    }

    /// Advances one step without the divergence check.
    pub fn step(&mut self) {
        let n = self.v.len();
        let slot = (self.steps % self.slots as u64) as usize;
        let write_slot = ((self.steps + self.params.delay_steps() as u64) % self.slots as u64) as usize;
        // Every PHASE_SAMPLE-th step is timed (reading the clock costs ~2 % of a CUBA step).
        let timed = self.phase_times.is_some() && self.steps.is_multiple_of(PHASE_SAMPLE);
        let clock = timed.then(std::time::Instant::now);
        self.integrate_and_threshold(slot);
        let integrated = clock.map(|c| c.elapsed());
        // Forced spikes (a stimulation electrode) join the neurons that are not refractory.
        for i in std::mem::take(&mut self.forced) {
            let k = i as usize;
            if self.refractory[k] == 0 && !self.spikes.contains(&i) {
                let props = &self.props[self.population_of(k)];
                self.v[k] = props.reset;
                self.refractory[k] = props.refractory_steps;
                if let Some(ad) = &props.adex {
                    self.adaptation[k] += ad.b;
                }
                self.spikes.push(i);
            }
        }
        self.apply_stdp();
        let serial = clock.map(|c| c.elapsed());
        self.send(write_slot * n);
        if let (Some(times), Some(clock), Some(integrated), Some(serial)) =
            (self.phase_times.as_mut(), clock, integrated, serial)
        {
            let scale = PHASE_SAMPLE as f64;
            times.integrate_s += scale * integrated.as_secs_f64();
            times.serial_s += scale * (serial - integrated).as_secs_f64();
            times.deliver_s += scale * (clock.elapsed() - serial).as_secs_f64();
        }
        self.recent_spikes += self.spikes.len() as u64;
        self.steps += 1;
    }

    /// Starts (or stops) timing the phases of each step; the times restart from zero.
    pub fn time_phases(&mut self, on: bool) {
        self.phase_times = on.then(PhaseTimes::default);
    }

    /// Wall time spent in each phase since [`Network::time_phases`] was switched on.
    pub fn phase_times(&self) -> Option<PhaseTimes> {
        self.phase_times
    }

    /// Phases 1–4 on every thread's neurons: the spikes of the step, ascending, in `self.spikes`.
    fn integrate_and_threshold(&mut self, slot: usize) {
        let n = self.v.len();
        let delta = matches!(self.params.synapse, SynapseModel::Delta);
        let (decay_e, decay_i) = match self.params.synapse {
            SynapseModel::Exponential { tau_e_ms, tau_i_ms } => (
                (-self.params.dt_ms / tau_e_ms).exp() as f32,
                (-self.params.dt_ms / tau_i_ms).exp() as f32,
            ),
            SynapseModel::Delta => (0.0, 0.0),
        };
        let ranges = &self.workers.ranges;
        self.thread_spikes.resize_with(ranges.len(), Vec::new);
        let base = slot * n;
        let (direct, stimulus) = (self.direct_delivery(), self.stimulus_active);
        let runs = split_by(&mut self.v, ranges.iter().cloned())
            .zip(split_by(&mut self.g_exc, ranges.iter().cloned()))
            .zip(split_by(&mut self.g_inh, ranges.iter().cloned()))
            .zip(split_by(&mut self.refractory, ranges.iter().cloned()))
            .zip(split_by(
                &mut self.ring_exc[base..base + n],
                ranges.iter().cloned(),
            ))
            .zip(split_by(
                &mut self.ring_inh[base..base + n],
                ranges.iter().cloned(),
            ))
            .zip(split_by(&mut self.streams, stream_ranges(ranges)))
            .zip(self.thread_spikes.iter_mut())
            .zip(split_by(&mut self.adaptation, ranges.iter().cloned()))
            .zip(ranges)
            .map(
                |(
                    ((((((((v, g_exc), g_inh), refractory), input_e), input_i), streams), spikes), w),
                    range,
                )| {
                    NeuronRun {
                        range: range.clone(),
                        state: Slices {
                            v,
                            g_exc,
                            g_inh,
                            refractory,
                            input_e,
                            input_i,
                            stimulus: &self.stimulus_mv[range.clone()],
                            w,
                        },
                        streams,
                        spikes,
                        ring: !direct,
                        stimulus,
                    }
                },
            );
        let (populations, props) = (&self.populations, &self.props);
        self.workers.for_each(runs, |run| {
            run.integrate(populations, props, delta, decay_e, decay_i)
        });
        self.spikes.clear();
        for spikes in &self.thread_spikes {
            self.spikes.extend_from_slice(spikes);
        }
    }

    /// Exponential synapses with a delay of one step take the spikes of a step straight into
    /// their currents, as Brian2 does, rather than through a delay slot read and cleared in the
    /// next step: two arrays fewer to stream per neuron and step (CUBA's case).
    fn direct_delivery(&self) -> bool {
        matches!(self.params.synapse, SynapseModel::Exponential { .. }) && self.params.delay_steps() == 1
    }

    /// Phase 6: every thread adds the step's spikes to its own neurons' slot at `write_offset`.
    fn send(&mut self, write_offset: usize) {
        let n = self.v.len();
        let mut inhibition_drop = 0.0f32;
        if self.params.global_inhibition_mv > 0.0 {
            let excitatory_spikes = self
                .spikes
                .iter()
                .filter(|&&i| {
                    self.populations[self.population_of(i as usize)].kind == PopulationKind::Excitatory
                })
                .count();
            inhibition_drop = (self.params.global_inhibition_mv * excitatory_spikes as f64) as f32;
        }
        for &i in &self.spikes {
            let i = i as usize;
            self.synaptic_events += u64::from(self.row_start[i + 1] - self.row_start[i]);
        }
        if self.spikes.is_empty() && inhibition_drop == 0.0 {
            return;
        }
        let (j_exc, j_inh) = (self.params.j_exc_mv as f32, self.params.j_inh_mv as f32);
        let ranges = &self.workers.ranges;
        // Input arriving next step goes straight into the currents (see `direct_delivery`).
        let (exc, inh) = if self.direct_delivery() {
            (&mut self.g_exc[..], &mut self.g_inh[..])
        } else {
            (
                &mut self.ring_exc[write_offset..write_offset + n],
                &mut self.ring_inh[write_offset..write_offset + n],
            )
        };
        let runs = split_by(exc, ranges.iter().cloned())
            .zip(split_by(inh, ranges.iter().cloned()))
            .zip(ranges)
            .enumerate()
            .map(|(index, ((exc, inh), range))| TargetRun {
                index,
                range: range.clone(),
                exc,
                inh,
            });
        let synapses = Synapses {
            row_start: &self.row_start,
            targets: &self.targets,
            weights: &self.weights,
        };
        let (spikes, populations, workers) = (&self.spikes, &self.populations, &self.workers);
        // Delta synapses add to V whatever their sign: one slot for both keeps the slot the spikes
        // scatter into at 50 KB in Brunel's network instead of two such (the scatter runs at the
        // speed of the first-level cache), and the integration reads one array fewer.
        let one_slot = matches!(self.params.synapse, SynapseModel::Delta);
        self.workers.for_each(runs, |run| {
            if inhibition_drop != 0.0 {
                let inh = if one_slot { &mut *run.exc } else { &mut *run.inh };
                inh.iter_mut().for_each(|x| *x -= inhibition_drop);
            }
            for (s, &i) in spikes.iter().enumerate() {
                let i = i as usize;
                if let Some(&next) = spikes.get(s + 1) {
                    synapses.prefetch(workers.row_part(&synapses, next as usize, run.index));
                }
                let excitatory =
                    populations[population_index(populations, i)].kind == PopulationKind::Excitatory;
                let (ring, j) = match (excitatory, one_slot) {
                    (true, _) => (&mut *run.exc, j_exc),
                    (false, true) => (&mut *run.exc, j_inh),
                    (false, false) => (&mut *run.inh, j_inh),
                };
                synapses.deliver(
                    workers.row_part(&synapses, i, run.index),
                    run.range.start,
                    ring,
                    j,
                );
            }
        });
    }

    /// The synapses as the kernels read them.
    fn synapses(&self) -> Synapses<'_> {
        Synapses {
            row_start: &self.row_start,
            targets: &self.targets,
            weights: &self.weights,
        }
    }

    /// Index of the population neuron `i` belongs to.
    fn population_of(&self, i: usize) -> usize {
        population_index(&self.populations, i)
    }

    /// Makes `neuron` spike in the next step unless it is refractory (a stimulation electrode).
    pub fn force_spike(&mut self, neuron: u32) {
        if (neuron as usize) < self.v.len() {
            self.forced.push(neuron);
        }
    }

    /// Errors when V is not finite or the network fires near its maximal rate (a runaway).
    fn check_divergence(&mut self) -> Result<(), SpikingError> {
        let window = ((50.0 / self.params.dt_ms) as u64).max(1);
        if self.steps - self.recent_window_start < window {
            return Ok(());
        }
        let seconds = (self.steps - self.recent_window_start) as f64 * self.params.dt_ms / 1000.0;
        let rate = self.recent_spikes as f64 / self.v.len().max(1) as f64 / seconds;
        self.recent_spikes = 0;
        self.recent_window_start = self.steps;
        if let Some(i) = self.v.iter().position(|v| !v.is_finite()) {
            return Err(SpikingError::Diverged(format!(
                "the membrane potential of neuron {i} became {} at t = {:.1} ms",
                self.v[i],
                self.steps as f64 * self.params.dt_ms
            )));
        }
        let max_ref = self
            .params
            .populations
            .iter()
            .map(|p| p.neuron.tau_ref_ms)
            .fold(0.0, f64::max)
            .max(self.params.dt_ms);
        // Every neuron firing at (almost) every chance it has: nothing but a runaway does that.
        let ceiling = 0.98 * 1000.0 / (max_ref + self.params.dt_ms);
        if rate > ceiling {
            return Err(SpikingError::Diverged(format!(
                "runaway activity: the mean rate reached {rate:.0} Hz (near the refractory limit of {:.0} Hz) at t = {:.1} ms",
                1000.0 / max_ref,
                self.steps as f64 * self.params.dt_ms
            )));
        }
        Ok(())
    }

    /// Steps the network on up to `threads` threads from the next step on (at least one, at most
    /// [`MAX_THREADS`]; a small network uses fewer, see [`effective_threads`]). The spikes are the
    /// same whatever the count.
    pub fn set_threads(&mut self, threads: usize) {
        if threads.clamp(1, MAX_THREADS) != self.workers.requested() {
            self.workers = Workers::new(&self.synapses(), threads);
        }
    }

    /// Threads asked for with [`Network::set_threads`].
    pub fn threads_requested(&self) -> usize {
        self.workers.requested()
    }

    /// Threads at work on each step.
    pub fn threads_active(&self) -> usize {
        self.workers.active()
    }

    /// Neurons that spiked in the last step.
    pub fn last_spikes(&self) -> &[u32] {
        &self.spikes
    }

    /// Steps taken.
    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// Step size, in ms.
    pub fn dt_ms(&self) -> f64 {
        self.params.dt_ms
    }

    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.v.len()
    }

    /// Number of synapses.
    pub fn n_synapses(&self) -> usize {
        self.targets.len()
    }

    /// Spikes delivered to synapses so far (spikes × out-degree).
    pub fn synaptic_events(&self) -> u64 {
        self.synaptic_events
    }

    /// The populations.
    pub fn populations(&self) -> &[PopulationInfo] {
        &self.populations
    }

    /// Membrane potential of every neuron, in mV.
    pub fn v_mv(&self) -> &[f32] {
        &self.v
    }

    /// The parameters in use.
    pub fn params(&self) -> &NetworkParams {
        &self.params
    }

    /// The wiring rule.
    pub fn connectivity(&self) -> &Connectivity {
        &self.connectivity
    }

    /// Mean in-degree per (post, pre) population pair, from the wiring rule (explicit
    /// wiring: counted from the synapse table).
    pub fn mean_in_degree(&self) -> Vec<Vec<f64>> {
        let pops = &self.populations;
        match &self.connectivity {
            Connectivity::Probability(p) => (0..pops.len())
                .map(|a| (0..pops.len()).map(|b| p[a][b] * pops[b].len as f64).collect())
                .collect(),
            Connectivity::FixedInDegree(k) => k
                .iter()
                .map(|row| row.iter().map(|&c| c as f64).collect())
                .collect(),
            Connectivity::Explicit(list) => {
                let mut counts = vec![vec![0.0; pops.len()]; pops.len()];
                for &(pre, post, _) in list {
                    counts[params::population_index(pops, post as usize)]
                        [params::population_index(pops, pre as usize)] += 1.0;
                }
                for (row, post) in counts.iter_mut().zip(pops) {
                    row.iter_mut().for_each(|c| *c /= post.len.max(1) as f64);
                }
                counts
            }
        }
    }

    /// Changes parameters from the next step on, keeping the state; structural changes are refused.
    pub fn set_params(&mut self, params: NetworkParams) -> Result<(), SpikingError> {
        params.validate()?;
        let structural = params.dt_ms != self.params.dt_ms
            || params.delay_steps() != self.params.delay_steps()
            || params.populations.len() != self.params.populations.len()
            || params
                .populations
                .iter()
                .zip(&self.params.populations)
                .any(|(a, b)| a.size != b.size || a.kind != b.kind)
            || std::mem::discriminant(&params.synapse) != std::mem::discriminant(&self.params.synapse);
        if structural {
            return Err(SpikingError::Params(
                "dt, delay, population sizes and the synapse model change the structure: rebuild the network"
                    .into(),
            ));
        }
        self.props = params
            .populations
            .iter()
            .map(|p| propagators(p, &params))
            .collect();
        for (info, p) in self.populations.iter_mut().zip(&params.populations) {
            info.threshold_mv = p.neuron.v_threshold_mv;
            info.reset_mv = p.neuron.v_reset_mv;
            info.rest_mv = p.neuron.v_rest_mv;
        }
        self.params = params;
        Ok(())
    }

    /// Injects a constant input of `current_mv` (shifting V's target) into `neurons`, until cleared.
    pub fn set_stimulus(&mut self, neurons: &[u32], current_mv: f64) {
        for &i in neurons {
            if let Some(s) = self.stimulus_mv.get_mut(i as usize) {
                *s = current_mv as f32;
            }
        }
        self.stimulus_active = self.stimulus_mv.iter().any(|&s| s != 0.0);
    }

    /// Removes every stimulus.
    /// Sets the stimulus current of every neuron at once (mV, one value per neuron; extra values are ignored).
    pub fn set_stimulus_values(&mut self, values_mv: &[f32]) {
        for (s, &v) in self.stimulus_mv.iter_mut().zip(values_mv) {
            *s = v;
        }
        self.stimulus_active = self.stimulus_mv.iter().any(|&s| s != 0.0);
    }

    /// Applies `f` to every synaptic weight factor.
    pub fn map_weights(&mut self, mut f: impl FnMut(f32) -> f32) {
        self.own_weights();
        self.weights.iter_mut().for_each(|w| *w = f(*w));
    }

    /// Gives every synapse a weight factor of its own (1 where none was stored), before they change.
    pub(super) fn own_weights(&mut self) {
        if self.weights.is_empty() {
            self.weights = vec![1.0; self.targets.len()];
        }
    }

    /// Bytes the synapses take: targets, weight factors, STDP's indices and the threads' row splits.
    pub fn synapse_bytes(&self) -> usize {
        let stdp = self
            .stdp
            .as_ref()
            .map_or(0, |p| p.in_synapses.len() + p.sources.len() + p.in_start.len());
        self.targets.bytes()
            + 4 * (self.weights.len() + self.row_start.len() + stdp)
            + self.workers.row_split_bytes()
    }

    /// Replaces the weights of an explicitly wired network by those of the same synapses (pre, post,
    /// weight) in the same order; refuses a list that names other synapses.
    pub fn replace_weights(&mut self, synapses: &[(u32, u32, f32)]) -> Result<(), SpikingError> {
        let Connectivity::Explicit(current) = &mut self.connectivity else {
            return Err(SpikingError::Params(
                "only explicitly wired networks take new weights".into(),
            ));
        };
        if current.len() != synapses.len()
            || current
                .iter()
                .zip(synapses)
                .any(|(a, b)| (a.0, a.1) != (b.0, b.1))
        {
            return Err(SpikingError::Params("the new weights name other synapses".into()));
        }
        current.copy_from_slice(synapses);
        let wiring = wire(&self.populations, &self.connectivity, &mut substream(0, 1))?;
        self.weights = wiring.weights;
        Ok(())
    }

    pub fn clear_stimulus(&mut self) {
        self.stimulus_mv.fill(0.0);
        self.stimulus_active = false;
    }

    /// Outgoing synapses of neuron i: (target, weight factor) in ascending order of target.
    pub fn synapses_of(&self, i: usize) -> Vec<(u32, f32)> {
        let (a, b) = (self.row_start[i] as usize, self.row_start[i + 1] as usize);
        (a..b)
            .map(|s| (self.targets.get(s), self.weights.get(s).copied().unwrap_or(1.0)))
            .collect()
    }
}
