//! Integration kernels: propagators for exact integration over one step, and one loop per
//! neuron/synapse combination.

use std::ops::Range;

use rand::Rng as _;

use super::*;

/// Propagators of one population for the current params and dt.
#[derive(Debug, Clone)]
pub(super) struct Propagators {
    /// e^{−dt/τ_m}.
    pub(super) decay_m: f32,
    /// Contribution of g_e and g_i (at the step's start) to V at its end (exponential synapses).
    pub(super) from_ge: f32,
    pub(super) from_gi: f32,
    /// V's resting target V_rest + μ.
    pub(super) target: f32,
    /// Standard deviation of the white-noise increment per step.
    pub(super) noise_sd: f32,
    pub(super) threshold: f32,
    pub(super) reset: f32,
    pub(super) refractory_steps: u16,
    /// The number of external Poisson spikes per step, drawn from a table.
    pub(super) poisson: PoissonTable,
    pub(super) poisson_weight: f32,
    pub(super) eif: Option<(f32, f32, f32)>,
    /// The AdEx's adaptation, when the population has one.
    pub(super) adex: Option<Adaptation>,
}

/// An AdEx population's adaptation for one step: w += dt/τ_w (a (V − V_rest) − w); w += b at a spike.
#[derive(Debug, Clone, Copy)]
pub(super) struct Adaptation {
    pub(super) a: f32,
    pub(super) dt_over_tau_w: f32,
    pub(super) b: f32,
    pub(super) v_rest: f32,
}

/// Builds a propagator from parameters.
pub(super) fn propagators(p: &PopulationParams, params: &NetworkParams) -> Propagators {
    let dt = params.dt_ms;
    let n = &p.neuron;
    let decay_m = (-dt / n.tau_m_ms).exp();
    let from_g = |tau_s: f64| {
        if (tau_s - n.tau_m_ms).abs() < 1e-9 {
            dt / n.tau_m_ms * decay_m
        } else {
            tau_s / (tau_s - n.tau_m_ms) * ((-dt / tau_s).exp() - decay_m)
        }
    };
    let (from_ge, from_gi) = match params.synapse {
        SynapseModel::Exponential { tau_e_ms, tau_i_ms } => (from_g(tau_e_ms), from_g(tau_i_ms)),
        SynapseModel::Delta => (0.0, 0.0),
    };
    let noise_sd = match n.model {
        NeuronModel::Lif => p.drive.noise_mv * (0.5 * (1.0 - decay_m * decay_m)).sqrt(),
        NeuronModel::Eif { .. } | NeuronModel::Adex { .. } => p.drive.noise_mv * (dt / n.tau_m_ms).sqrt(),
    };
    let lambda = p.drive.poisson_sources as f64 * p.drive.poisson_rate_hz * dt / 1000.0;
    let eif = n
        .model
        .exponential()
        .map(|(delta_t_mv, v_t_mv)| (delta_t_mv as f32, v_t_mv as f32, (dt / n.tau_m_ms) as f32));
    let adex = n.model.adaptation().map(|(a, tau_w_ms, b_mv)| Adaptation {
        a: a as f32,
        dt_over_tau_w: (dt / tau_w_ms) as f32,
        b: b_mv as f32,
        v_rest: n.v_rest_mv as f32,
    });
    Propagators {
        decay_m: decay_m as f32,
        from_ge: from_ge as f32,
        from_gi: from_gi as f32,
        target: (n.v_rest_mv + p.drive.current_mv) as f32,
        noise_sd: noise_sd as f32,
        threshold: n.v_threshold_mv as f32,
        reset: n.v_reset_mv as f32,
        refractory_steps: n.refractory_steps(dt).min(u16::MAX as u32) as u16,
        poisson: PoissonTable::new(lambda),
        poisson_weight: if lambda > 0.0 {
            p.drive.poisson_weight_mv as f32
        } else {
            0.0
        },
        eif,
        adex,
    }
}

/// The state of one population for one step: its neurons and the input arriving now.
pub(super) struct Slices<'a> {
    pub(super) v: &'a mut [f32],
    pub(super) g_exc: &'a mut [f32],
    pub(super) g_inh: &'a mut [f32],
    pub(super) refractory: &'a mut [u16],
    pub(super) input_e: &'a mut [f32],
    pub(super) input_i: &'a mut [f32],
    pub(super) stimulus: &'a [f32],
    /// Adaptation w of AdEx neurons, in mV (every neuron has one; only AdEx populations use it).
    pub(super) w: &'a mut [f32],
}

/// LIF with exponential synapses, no noise and no Poisson drive (CUBA): straight-line code the
/// compiler vectorises. Currents take the arriving input (`RING`: from the delay slot; else the
/// spikes were added to the currents directly), drive V exactly over the step, and decay.
/// `STIMULUS`: some neuron has a stimulus current (else the array is not read). Each array less
/// to stream matters here: the loop runs at the speed of the second-level cache.
#[inline(always)]
pub(super) fn integrate_exponential_lif<const RING: bool, const STIMULUS: bool>(
    s: Slices<'_>,
    p: &Propagators,
    decay_e: f32,
    decay_i: f32,
) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
        ..
    } = s;
    let n = v.len();
    let (g_exc, g_inh, refractory) = (&mut g_exc[..n], &mut g_inh[..n], &mut refractory[..n]);
    for i in 0..n {
        let (mut ge, mut gi) = (g_exc[i], g_inh[i]);
        if RING {
            ge += input_e[i];
            gi += input_i[i];
            input_e[i] = 0.0;
            input_i[i] = 0.0;
        }
        let target = if STIMULUS {
            p.target + stimulus[i]
        } else {
            p.target
        };
        let integrated = target + (v[i] - target) * p.decay_m + ge * p.from_ge + gi * p.from_gi;
        let active = refractory[i] == 0;
        v[i] = if active { integrated } else { v[i] };
        refractory[i] = refractory[i].saturating_sub(1);
        g_exc[i] = ge * decay_e;
        g_inh[i] = gi * decay_i;
    }
}

/// Bits of a uniform 32-bit draw that index [`PoissonTable`]'s shortcut.
const POISSON_SHORTCUT_BITS: u32 = 12;
/// Marks a shortcut bucket that a threshold cuts: the count is found by comparison.
const POISSON_SEARCH: u8 = u8::MAX;

/// Poisson counts by inversion of a uniform 32-bit draw u: the count is the number of thresholds
/// ⌊2³² P(K ≤ k)⌉ at or below u. The top 12 bits of u index a table that holds the count
/// whenever no threshold falls inside that bucket (all but ~10 of 4,096 at λ = 2), so almost
/// every draw costs one load; the rest compare against the thresholds. Exact: both paths give
/// the same count for every u (tested). rand_distr's Poisson spends ~40 ns per draw at λ ≈ 2
/// (it was 41 % of Brunel's step), this ~1 ns.
#[derive(Debug, Clone)]
pub(super) struct PoissonTable {
    /// ⌊2³² P(K ≤ k)⌉ for k = 0, 1, ... while below 2³².
    thresholds: Vec<u32>,
    /// The count of every bucket of u's top bits, or [`POISSON_SEARCH`].
    shortcut: Vec<u8>,
}

impl PoissonTable {
    /// The table for a mean of `lambda` counts per draw (no counts at λ = 0).
    pub(super) fn new(lambda: f64) -> Self {
        let mut thresholds = Vec::new();
        if lambda > 0.0 {
            // Sum the probabilities in log space so that large λ neither underflows nor overflows.
            // Sum the probabilities through their logarithms so that large λ does not underflow.
            let (mut k, mut cdf, mut log_p) = (0u32, 0.0f64, -lambda);
            let scale = 2f64.powi(32);
            loop {
                cdf += log_p.exp();
                let threshold = (cdf * scale).round();
                if threshold >= scale || (f64::from(k) > lambda && log_p < -40.0) {
                    break;
                }
                thresholds.push(threshold as u32);
                k += 1;
                log_p += lambda.ln() - f64::from(k).ln();
            }
        }
        let buckets = 1usize << POISSON_SHORTCUT_BITS;
        let shift = 32 - POISSON_SHORTCUT_BITS;
        let shortcut = (0..buckets)
            .map(|b| {
                let (low, high) = ((b as u32) << shift, ((b as u32) << shift) | ((1 << shift) - 1));
                let (at_low, at_high) = (count_below(&thresholds, low), count_below(&thresholds, high));
                if at_low == at_high && at_low < POISSON_SEARCH as usize {
                    at_low as u8
                } else {
                    POISSON_SEARCH
                }
            })
            .collect();
        Self { thresholds, shortcut }
    }

    /// ⌊2³² P(K ≤ k)⌉ for k = 0, 1, ... while below 2³².
    #[cfg(test)]
    pub(super) fn thresholds(&self) -> &[u32] {
        &self.thresholds
    }

    /// The count for the uniform draw `u`.
    #[inline]
    pub(super) fn count(&self, u: u32) -> u32 {
        let quick = self.shortcut[(u >> (32 - POISSON_SHORTCUT_BITS)) as usize];
        if quick != POISSON_SEARCH {
            u32::from(quick)
        } else {
            count_below(&self.thresholds, u) as u32
        }
    }
}

/// The number of thresholds at or below `u` (the thresholds ascend).
fn count_below(thresholds: &[u32], u: u32) -> usize {
    thresholds.partition_point(|&t| t <= u)
}

/// Draws the number of external Poisson spikes arriving in one step.
#[inline]
pub(super) fn poisson_count(p: &Propagators, rng: &mut SimRng) -> f32 {
    p.poisson.count(rng.next_u32()) as f32
}

/// LIF with delta synapses (Brunel): V jumps by the arriving input; input during refractoriness is lost.
#[inline(always)]
pub(super) fn integrate_delta_lif(s: Slices<'_>, p: &Propagators, rng: &mut SimRng) {
    let Slices {
        v,
        refractory,
        input_e,
        stimulus,
        ..
    } = s;
    let n = v.len();
    let (input_e, refractory, stimulus) = (&mut input_e[..n], &mut refractory[..n], &stimulus[..n]);
    // First the external drive of every neuron of the piece (a piece lies within one block):
    // the generator's multiply chain and the table run alone, one 64-bit draw serving two
    // neurons, so that the update below has no loop-carried chain and vectorises. Brunel's
    // integration phase fell from 0.44 to 0.24 s per biological second on one thread (one
    // loop, a draw per neuron, took 3.5 ns a neuron).
    let mut drive = [0.0f32; NEURONS_PER_STREAM];
    let drive = &mut drive[..n];
    if p.poisson_weight != 0.0 {
        for pair in drive.chunks_mut(2) {
            let bits = rng.next_u64();
            pair[0] = p.poisson.count(bits as u32) as f32 * p.poisson_weight;
            if let Some(second) = pair.get_mut(1) {
                *second = p.poisson.count((bits >> 32) as u32) as f32 * p.poisson_weight;
            }
        }
    }
    for i in 0..n {
        // Delta synapses: excitatory and inhibitory input share one slot (see `Network::send`).
        let input = input_e[i] + drive[i];
        input_e[i] = 0.0;
        // Branch-free: input during refractoriness is lost.
        let r = refractory[i];
        refractory[i] = r.saturating_sub(1);
        let target = p.target + stimulus[i];
        let integrated = target + (v[i] - target) * p.decay_m + input;
        v[i] = if r == 0 { integrated } else { v[i] };
    }
}

/// Every other combination: EIF, white noise, Poisson drive onto exponential synapses.
#[inline(always)]
pub(super) fn integrate_general(
    s: Slices<'_>,
    p: &Propagators,
    delta: bool,
    decay_e: f32,
    decay_i: f32,
    rng: &mut SimRng,
) {
    let Slices {
        v,
        g_exc,
        g_inh,
        refractory,
        input_e,
        input_i,
        stimulus,
        w,
    } = s;
    // Without a delay slot (spikes went to the currents directly) the input slices are empty;
    // with delta synapses all input arrives in the excitatory slot.
    let (ring, ring_i) = (!input_e.is_empty(), !input_i.is_empty());
    for i in 0..v.len() {
        let (mut arriving_e, mut arriving_i) = (0.0, 0.0);
        if ring {
            arriving_e = input_e[i];
            input_e[i] = 0.0;
        }
        if ring_i {
            arriving_i = input_i[i];
            input_i[i] = 0.0;
        }
        if p.poisson_weight != 0.0 {
            arriving_e += poisson_count(p, rng) * p.poisson_weight;
        }
        // AdEx: w advances from the step's start, as V does (forward Euler on both).
        let w_old = match &p.adex {
            Some(ad) => {
                let w_old = w[i];
                w[i] = w_old + ad.dt_over_tau_w * (ad.a * (v[i] - ad.v_rest) - w_old);
                w_old
            }
            None => 0.0,
        };
        if refractory[i] > 0 {
            refractory[i] -= 1;
            if !delta {
                g_exc[i] = (g_exc[i] + arriving_e) * decay_e;
                g_inh[i] = (g_inh[i] + arriving_i) * decay_i;
            }
            continue;
        }
        let target = p.target + stimulus[i];
        let mut x = v[i];
        if let Some((delta_t, v_t, dt_over_tau)) = p.eif {
            let spike_current = delta_t * ((x - v_t) / delta_t).min(50.0).exp();
            x += dt_over_tau * (target - x + spike_current - w_old);
            if !delta {
                x += dt_over_tau * (g_exc[i] + g_inh[i]);
            }
        } else {
            x = target + (x - target) * p.decay_m;
        }
        if delta {
            x += arriving_e + arriving_i;
        } else {
            let ge = g_exc[i] + arriving_e;
            let gi = g_inh[i] + arriving_i;
            if p.eif.is_none() {
                x += ge * p.from_ge + gi * p.from_gi;
            }
            g_exc[i] = ge * decay_e;
            g_inh[i] = gi * decay_i;
        }
        if p.noise_sd > 0.0 {
            let xi: f32 = StandardNormal.sample(rng);
            x += p.noise_sd * xi;
        }
        v[i] = x;
    }
}

/// One thread's neurons for one step: their state, their blocks' random streams and the spikes
/// they emit.
pub(super) struct NeuronRun<'a> {
    /// The neurons, whole blocks of [`NEURONS_PER_STREAM`] (the last may be shorter).
    pub(super) range: Range<usize>,
    pub(super) state: Slices<'a>,
    /// The random streams of the run's blocks, in order.
    pub(super) streams: &'a mut [SimRng],
    /// Spikes of the step, ascending.
    pub(super) spikes: &'a mut Vec<u32>,
    /// The input arrives through the delay slot (else spikes went to the currents directly and
    /// the input slices are empty).
    pub(super) ring: bool,
    /// Some neuron has a stimulus current.
    pub(super) stimulus: bool,
}

impl NeuronRun<'_> {
    /// Integrates, thresholds and resets the run's neurons, a piece (one population within one
    /// block) at a time, each piece drawing from its block's stream.
    pub(super) fn integrate(
        &mut self,
        populations: &[PopulationInfo],
        props: &[Propagators],
        delta: bool,
        decay_e: f32,
        decay_i: f32,
    ) {
        self.spikes.clear();
        let first_block = self.range.start / NEURONS_PER_STREAM;
        let mut at = self.range.start;
        while at < self.range.end {
            let pop = population_index(populations, at);
            let population = &populations[pop];
            let block = at / NEURONS_PER_STREAM;
            let end = self
                .range
                .end
                .min(population.start + population.len)
                .min((block + 1) * NEURONS_PER_STREAM);
            let local = at - self.range.start..end - self.range.start;
            let p = &props[pop];
            let rng = &mut self.streams[block - first_block];
            let s = &mut self.state;
            let input = if self.ring { local.clone() } else { 0..0 };
            let input_i = if self.ring && !delta { local.clone() } else { 0..0 };
            let piece = Slices {
                v: &mut s.v[local.clone()],
                g_exc: &mut s.g_exc[local.clone()],
                g_inh: &mut s.g_inh[local.clone()],
                refractory: &mut s.refractory[local.clone()],
                input_e: &mut s.input_e[input],
                input_i: &mut s.input_i[input_i],
                stimulus: &s.stimulus[local.clone()],
                w: &mut s.w[local.clone()],
            };
            let simple = p.eif.is_none() && p.noise_sd == 0.0;
            match (delta, simple) {
                (false, true) if p.poisson_weight == 0.0 => match (self.ring, self.stimulus) {
                    (true, true) => integrate_exponential_lif::<true, true>(piece, p, decay_e, decay_i),
                    (true, false) => integrate_exponential_lif::<true, false>(piece, p, decay_e, decay_i),
                    (false, true) => integrate_exponential_lif::<false, true>(piece, p, decay_e, decay_i),
                    (false, false) => integrate_exponential_lif::<false, false>(piece, p, decay_e, decay_i),
                },
                (true, true) => integrate_delta_lif(piece, p, rng),
                _ => integrate_general(piece, p, delta, decay_e, decay_i, rng),
            }
            threshold(
                &mut s.v[local.clone()],
                &mut s.refractory[local.clone()],
                &mut s.w[local],
                p,
                at,
                self.spikes,
            );
            at = end;
        }
    }
}

/// Neurons the threshold tests at once: a branch-free test of 16 lanes, then the scalar loop only
/// where one crossed (at CUBA's 5 Hz, one group in ~200 per step; the scalar loop alone was a
/// third of CUBA's step).
const THRESHOLD_GROUP: usize = 16;

/// Threshold, reset and refractoriness of neurons from `first` on: the ones at or above threshold
/// spike (refractory neurons sit at reset, below threshold).
#[inline(always)]
fn threshold(
    v: &mut [f32],
    refractory: &mut [u16],
    w: &mut [f32],
    p: &Propagators,
    first: usize,
    spikes: &mut Vec<u32>,
) {
    for (g, (v, refractory)) in v
        .chunks_mut(THRESHOLD_GROUP)
        .zip(refractory.chunks_mut(THRESHOLD_GROUP))
        .enumerate()
    {
        if !v.iter().fold(false, |any, &x| any | (x >= p.threshold)) {
            continue;
        }
        for (k, (v, r)) in v.iter_mut().zip(refractory.iter_mut()).enumerate() {
            if *v >= p.threshold {
                *v = p.reset;
                *r = p.refractory_steps;
                spikes.push((first + g * THRESHOLD_GROUP + k) as u32);
                if let Some(ad) = &p.adex {
                    w[g * THRESHOLD_GROUP + k] += ad.b;
                }
            }
        }
    }
}

/// One thread's share of a delay slot: the input of its neurons `range`.
pub(super) struct TargetRun<'a> {
    /// The thread's index.
    pub(super) index: usize,
    pub(super) range: Range<usize>,
    pub(super) exc: &'a mut [f32],
    pub(super) inh: &'a mut [f32],
}

/// The synapses in presynaptic compressed rows with ascending targets per row.
pub(super) struct Synapses<'a> {
    pub(super) row_start: &'a [u32],
    pub(super) targets: &'a TargetIndices,
    /// Weight factor per synapse; empty when every factor is 1.
    pub(super) weights: &'a [f32],
}

impl Synapses<'_> {
    /// Asks the cache for the synapses `part` of a row ahead of their delivery: the rows lie
    /// anywhere in tens of megabytes, and a row's first lines missed the cache on every spike
    /// (one thread delivered Brunel's spikes in 12 % less time with this, the same bits).
    #[inline]
    pub(super) fn prefetch(&self, part: Range<usize>) {
        match self.targets {
            TargetIndices::Narrow(t) => prefetch(&t[part.clone()]),
            TargetIndices::Wide(t) => prefetch(&t[part.clone()]),
        }
        if !self.weights.is_empty() {
            prefetch(&self.weights[part]);
        }
    }

    /// Adds `j` × weight to `ring` (the input of the neurons from `offset` on) for the synapses
    /// `part` of a row.
    #[inline]
    pub(super) fn deliver(&self, part: Range<usize>, offset: usize, ring: &mut [f32], j: f32) {
        let weights = if self.weights.is_empty() {
            &[][..]
        } else {
            &self.weights[part.clone()]
        };
        match self.targets {
            TargetIndices::Narrow(t) => scatter(&t[part], weights, offset, ring, j),
            TargetIndices::Wide(t) => scatter(&t[part], weights, offset, ring, j),
        }
    }
}

/// Adds `j` × weight to `ring[target − offset]` for every target (weights empty: all 1).
#[inline(always)]
fn scatter<T: TargetIndex>(targets: &[T], weights: &[f32], offset: usize, ring: &mut [f32], j: f32) {
    if weights.is_empty() {
        // Every factor is 1 (Brunel, CUBA): no weight to read (10–15 % of Brunel's step).
        for &t in targets {
            ring[t.index() - offset] += j;
        }
    } else {
        for (&t, &w) in targets.iter().zip(weights) {
            ring[t.index() - offset] += w * j;
        }
    }
}

/// Asks the first-level cache for `values`, a line (64 bytes) at a time. A hint: it changes no
/// value, and does nothing on processors other than x86_64.
#[inline]
fn prefetch<T>(values: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let per_line = (64 / std::mem::size_of::<T>().max(1)).max(1);
        for chunk in values.chunks(per_line) {
            // SAFETY: a prefetch reads nothing into the program and cannot fault; SSE, which
            // it needs, is part of every x86_64 processor.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(chunk.as_ptr().cast()) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = values;
}

/// One random stream per block of [`NEURONS_PER_STREAM`] neurons, from `seed`.
pub(super) fn block_streams(seed: u64, n: usize) -> Vec<SimRng> {
    let base = crate::rng::derive_seed(seed, 3);
    (0..n.div_ceil(NEURONS_PER_STREAM).max(1))
        .map(|block| substream(base, block as u64))
        .collect()
}

/// The blocks (indices into the streams) of each neuron range.
pub(super) fn stream_ranges(ranges: &[Range<usize>]) -> impl Iterator<Item = Range<usize>> + '_ {
    ranges
        .iter()
        .map(|r| r.start / NEURONS_PER_STREAM..r.end.div_ceil(NEURONS_PER_STREAM))
}
