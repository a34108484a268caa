//! Connectivity: drawing the synapses and storing them in presynaptic compressed rows.

use std::ops::Range;

use super::*;

/// Synapses in presynaptic compressed rows.
pub(super) struct Wiring {
    pub(super) row_start: Vec<u32>,
    pub(super) targets: Vec<u32>,
    /// Weight factor per synapse; empty when every factor is 1.
    pub(super) weights: Vec<f32>,
}

/// The target of every synapse, in the rows' order: two bytes each while the network has at most
/// 65,536 neurons, else four. The delivery streams these indices from memory for every spike, and
/// that stream, not the additions, sets its pace: Brunel's 15.6 M targets take 31 MB instead of
/// 62 MB (the third-level cache here is 32 MB), and one thread delivered its spikes in 0.48 s per
/// biological second instead of 0.62. Cutting the slot into cache-sized parts instead made it
/// slower (each part walks every row again).
#[derive(Debug, Clone)]
pub(super) enum TargetIndices {
    /// Networks of at most 65,536 neurons.
    Narrow(Vec<u16>),
    /// Larger networks.
    Wide(Vec<u32>),
}

/// A neuron index as the synapse rows store it.
pub(super) trait TargetIndex: Copy {
    /// The index as a `usize`.
    fn index(self) -> usize;
}

impl TargetIndex for u16 {
    #[inline(always)]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl TargetIndex for u32 {
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
}

impl TargetIndices {
    /// Stores `targets` (every one below `n`) in the narrowest type that holds them.
    pub(super) fn new(targets: Vec<u32>, n: usize) -> Self {
        if n <= 1 << 16 {
            Self::Narrow(targets.iter().map(|&t| t as u16).collect())
        } else {
            Self::Wide(targets)
        }
    }

    /// The number of synapses.
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Narrow(t) => t.len(),
            Self::Wide(t) => t.len(),
        }
    }

    /// The target of synapse `s`.
    #[inline]
    pub(super) fn get(&self, s: usize) -> u32 {
        match self {
            Self::Narrow(t) => u32::from(t[s]),
            Self::Wide(t) => t[s],
        }
    }

    /// Every target, four bytes each (as states are saved).
    pub(super) fn to_vec(&self) -> Vec<u32> {
        match self {
            Self::Narrow(t) => t.iter().map(|&x| u32::from(x)).collect(),
            Self::Wide(t) => t.clone(),
        }
    }

    /// Bytes the indices take.
    pub(super) fn bytes(&self) -> usize {
        match self {
            Self::Narrow(t) => 2 * t.len(),
            Self::Wide(t) => 4 * t.len(),
        }
    }

    /// How many of the synapses `row` (ascending targets) target neurons below `first`.
    pub(super) fn count_below(&self, row: Range<usize>, first: usize) -> usize {
        match self {
            Self::Narrow(t) => t[row].partition_point(|&x| usize::from(x) < first),
            Self::Wide(t) => t[row].partition_point(|&x| (x as usize) < first),
        }
    }
}

/// Draws the synapses and stores them in presynaptic compressed rows.
/// Most synapses engram builds: about 6 GB while wiring (a (pre, post) pair, a target and a weight each).
pub const MAX_SYNAPSES: f64 = 400e6;

/// Bytes per synapse while the network is wired (pair list, then target and weight).
pub(super) const BYTES_PER_SYNAPSE: f64 = 16.0;

/// Refuses a wiring whose expected number of synapses would not fit, with the memory it would need.
pub(super) fn check_synapse_budget(
    populations: &[PopulationInfo],
    connectivity: &Connectivity,
) -> Result<(), SpikingError> {
    let expected: f64 = match connectivity {
        Connectivity::Probability(p) => populations
            .iter()
            .enumerate()
            .map(|(a, post)| {
                populations
                    .iter()
                    .enumerate()
                    .map(|(b, pre)| {
                        let prob = p.get(a).and_then(|row| row.get(b)).copied().unwrap_or(0.0);
                        prob.clamp(0.0, 1.0) * post.len as f64 * pre.len as f64
                    })
                    .sum::<f64>()
            })
            .sum(),
        Connectivity::FixedInDegree(k) => populations
            .iter()
            .enumerate()
            .map(|(a, post)| {
                let in_degree: usize = k.get(a).map_or(0, |row| row.iter().sum());
                in_degree as f64 * post.len as f64
            })
            .sum(),
        Connectivity::Explicit(list) => list.len() as f64,
    };
    if expected > MAX_SYNAPSES {
        return Err(SpikingError::Params(format!(
            "this wiring makes about {:.2e} synapses, which would need about {:.0} GB of memory; engram builds at most {:.0e} ({:.0} GB): use fewer neurons or a lower connection probability",
            expected,
            expected * BYTES_PER_SYNAPSE / 1e9,
            MAX_SYNAPSES,
            MAX_SYNAPSES * BYTES_PER_SYNAPSE / 1e9
        )));
    }
    Ok(())
}

pub(super) fn wire(
    populations: &[PopulationInfo],
    connectivity: &Connectivity,
    rng: &mut SimRng,
) -> Result<Wiring, SpikingError> {
    let n: usize = populations.iter().map(|p| p.len).sum();
    let count = populations.len();
    let check = |rows: usize, cols: &[usize]| {
        if rows != count || cols.iter().any(|&c| c != count) {
            Err(SpikingError::Params(format!(
                "connectivity must be {count}×{count} (one entry per population pair)"
            )))
        } else {
            Ok(())
        }
    };
    check_synapse_budget(populations, connectivity)?;
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut explicit_weights: Option<Vec<f32>> = None;
    match connectivity {
        Connectivity::Probability(p) => {
            check(p.len(), &p.iter().map(Vec::len).collect::<Vec<_>>())?;
            for (a, post) in populations.iter().enumerate() {
                for (b, pre) in populations.iter().enumerate() {
                    let prob = p[a][b];
                    if !(0.0..=1.0).contains(&prob) {
                        return Err(SpikingError::Params(format!(
                            "connection probability {prob} is not in [0, 1]"
                        )));
                    }
                    if prob == 0.0 {
                        continue;
                    }
                    let expected = (post.len as f64 * pre.len as f64 * prob) as usize;
                    pairs.reserve(expected + expected / 10);
                    // Geometric skipping over the post × pre grid: one draw per synapse.
                    let total = (post.len * pre.len) as u64;
                    let log_q = (1.0 - prob).ln();
                    let mut k: u64 = 0;
                    loop {
                        if prob < 1.0 {
                            let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
                            k += (u.ln() / log_q).floor() as u64;
                        }
                        if k >= total {
                            break;
                        }
                        let (i_post, i_pre) = (
                            post.start + (k / pre.len as u64) as usize,
                            pre.start + (k % pre.len as u64) as usize,
                        );
                        if i_post != i_pre {
                            pairs.push((i_pre as u32, i_post as u32));
                        }
                        k += 1;
                    }
                }
            }
        }
        Connectivity::Explicit(_) => {}
        Connectivity::FixedInDegree(k) => {
            check(k.len(), &k.iter().map(Vec::len).collect::<Vec<_>>())?;
            for (a, post) in populations.iter().enumerate() {
                for (b, pre) in populations.iter().enumerate() {
                    let in_degree = k[a][b];
                    if in_degree == 0 {
                        continue;
                    }
                    if pre.len < 2 {
                        return Err(SpikingError::Params(format!(
                            "population {} is too small to draw inputs from",
                            pre.name
                        )));
                    }
                    pairs.reserve(post.len * in_degree);
                    for i_post in post.start..post.start + post.len {
                        for _ in 0..in_degree {
                            let mut i_pre = pre.start + rng.random_range(0..pre.len);
                            while i_pre == i_post {
                                i_pre = pre.start + rng.random_range(0..pre.len);
                            }
                            pairs.push((i_pre as u32, i_post as u32));
                        }
                    }
                }
            }
        }
    }
    if let Connectivity::Explicit(synapses) = connectivity {
        if let Some(&(pre, post, _)) = synapses
            .iter()
            .find(|&&(pre, post, _)| pre as usize >= n || post as usize >= n)
        {
            return Err(SpikingError::Params(format!(
                "synapse {pre} → {post} names a neuron beyond the {n} of the network"
            )));
        }
        pairs = synapses.iter().map(|&(pre, post, _)| (pre, post)).collect();
        explicit_weights = Some(synapses.iter().map(|&(_, _, w)| w).collect());
    }
    if pairs.len() > u32::MAX as usize {
        return Err(SpikingError::Params(format!(
            "{} synapses are more than engram can index",
            pairs.len()
        )));
    }
    // Counting sort by presynaptic neuron.
    let mut row_start = vec![0u32; n + 1];
    for &(pre, _) in &pairs {
        row_start[pre as usize + 1] += 1;
    }
    for i in 0..n {
        row_start[i + 1] += row_start[i];
    }
    let mut fill = row_start.clone();
    let Some(explicit_weights) = explicit_weights else {
        // Every factor is 1: the rows hold targets only (four bytes a synapse, not eight).
        let mut targets = vec![0u32; pairs.len()];
        for &(pre, post) in &pairs {
            targets[fill[pre as usize] as usize] = post;
            fill[pre as usize] += 1;
        }
        drop(pairs);
        // Ascending targets per row make the scatter in `step` friendlier to the cache, and
        // let each thread find its part of a row.
        for i in 0..n {
            targets[row_start[i] as usize..row_start[i + 1] as usize].sort_unstable();
        }
        return Ok(Wiring {
            row_start,
            targets,
            weights: Vec::new(),
        });
    };
    let mut synapses = vec![(0u32, 1.0f32); pairs.len()];
    for (k, &(pre, post)) in pairs.iter().enumerate() {
        synapses[fill[pre as usize] as usize] = (post, explicit_weights[k]);
        fill[pre as usize] += 1;
    }
    for i in 0..n {
        synapses[row_start[i] as usize..row_start[i + 1] as usize].sort_unstable_by_key(|&(t, _)| t);
    }
    let (targets, weights) = synapses.into_iter().unzip();
    Ok(Wiring {
        row_start,
        targets,
        weights,
    })
}
