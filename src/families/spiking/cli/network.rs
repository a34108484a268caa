//! `engram network`: a recurrent spiking network preset.

use anyhow::bail;
use serde::Serialize;

use crate::analysis::spike_stats::{
    CV_MIN_INTERVALS, IsiStats, SYNCHRONY_BIN_MS, SYNCHRONY_SAMPLE, synchrony,
};
use crate::output::print_report;
use crate::spiking::{Network, PopulationKind, Preset};

/// Flags of `engram network`.
#[derive(Debug, clap::Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Presets: cuba is the Vogels & Abbott (2005) benchmark as Brian2's example \
(4000 neurons, p = 0.02, τ_e 5 ms, τ_i 10 ms, w_e 1.62 mV, w_i −9 mV, dt 0.1 ms); brunel-ai and \
brunel-sr are Brunel (2000) model A with g = 5 and g = 3, ν_ext/ν_thr = 2 (J 0.1 mV, D 1.5 ms, fixed \
in-degree C = 0.1 N per population, N = 12500 by default); ei has p_EE 0.16, p_EI 0.244, p_IE 0.318, \
p_II 0.343 (p_post,pre). wall_s is the simulation loop only."
)]
pub struct NetworkArgs {
    /// Preset: cuba, brunel-ai, brunel-sr, ei, memory or stdp-memory.
    #[arg(long, default_value = "cuba")]
    pub preset: String,
    /// Simulated time: `2s`, `500ms`, or a bare number of seconds (default 1 s; stdp-memory 3 s,
    /// for its four presentations).
    #[arg(long)]
    pub duration: Option<crate::cli::duration::DurationArg>,
    /// Number of neurons (default: the preset's). Alone it keeps the preset's connection
    /// probabilities, so the inputs per neuron grow with N; with --k they stay K.
    #[arg(long)]
    pub n: Option<usize>,
    /// Recurrent inputs per excitatory neuron (the in-degree K), kept whatever --n is: the
    /// probabilities and the drive that depends on them are rescaled (default: the preset's at this N).
    #[arg(long)]
    pub k: Option<usize>,
    /// Seed of the wiring, initial state and noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Threads that step the network (default: every core; a network of fewer than 4,096
    /// neurons per thread uses fewer). Same seed, same spikes, whatever the count.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// memory / stdp-memory: the stored patterns, SET[:LABEL,LABEL,...] of a built-in set.
    #[arg(long, default_value = "letters:A,H,S")]
    pub patterns: String,
    /// memory: the learning rule that makes the couplings (hebb, storkey, pseudo-inverse).
    #[arg(long)]
    pub rule: Option<String>,
    /// memory / stdp-memory: label of the pattern cued (and, for stdp-memory, presented first).
    #[arg(long)]
    pub cue: Option<String>,
    /// memory / stdp-memory: fraction of the cue's pixels flipped.
    #[arg(long, default_value_t = 0.2)]
    pub flip: f64,
    /// memory / stdp-memory: neurons per on or off pool.
    #[arg(long)]
    pub pool: Option<usize>,
}

#[derive(Serialize)]
struct NetworkReport {
    preset: String,
    seed: u64,
    duration_s: f64,
    neurons: usize,
    synapses: usize,
    /// Mean recurrent inputs per neuron of the first (excitatory) population.
    in_degree: f64,
    spikes: u64,
    rate_hz: f64,
    rate_e_hz: f64,
    rate_i_hz: f64,
    cv_isi: f64,
    synchrony: f64,
    wall_s: f64,
    build_s: f64,
    /// Threads asked for and threads at work.
    threads: usize,
    threads_active: usize,
    /// Wall time per phase of the steps.
    phase_s: crate::spiking::PhaseTimes,
    /// Memory of the synapses (targets, weights, indices), in bytes per synapse.
    bytes_per_synapse: f64,
    steps: u64,
    steps_per_s: f64,
    synaptic_events: u64,
    synaptic_events_per_s: f64,
    wall_s_per_bio_s: f64,
}

/// Runs `engram network`.
pub fn run(args: NetworkArgs) -> anyhow::Result<()> {
    let preset: Preset = args.preset.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    let duration = match args.duration {
        Some(d) => d.in_seconds().map_err(|e| anyhow::anyhow!(e))?,
        None if preset == Preset::StdpMemory => 3.0,
        None => 1.0,
    };
    let args = NetworkArgs {
        duration: Some(crate::cli::duration::DurationArg::seconds(duration)),
        ..args
    };
    if !(duration.is_finite() && duration > 0.0 && duration <= 3600.0) {
        bail!("--duration must be between 0 and 3600 s, not {duration}");
    }
    if preset.is_memory() {
        return run_memory(preset, &args, duration);
    }
    if args.n == Some(0) {
        bail!("--n must be at least 1");
    }
    let build_started = std::time::Instant::now();
    let mut network = Network::from_preset_scaled(preset, args.n, args.k, args.seed)?;
    let build_s = build_started.elapsed().as_secs_f64();
    network.set_threads(thread_count(args.threads)?);
    network.time_phases(true);
    let n = network.n_neurons();
    let dt = network.dt_ms();
    let steps = (duration * 1000.0 / dt).round() as u64;
    let sample = n.min(SYNCHRONY_SAMPLE);
    let stride = (n / sample).max(1);
    let bins = ((duration * 1000.0 / SYNCHRONY_BIN_MS).ceil() as usize).max(1);
    let mut binned = vec![vec![0u32; bins]; sample];
    let mut isi = IsiStats::new(n);
    let mut per_population = vec![0u64; network.populations().len()];
    let mut spikes = 0u64;
    let started = std::time::Instant::now();
    for step in 0..steps {
        network.try_step()?;
        let t = step as f64 * dt;
        for &i in network.last_spikes() {
            let i = i as usize;
            isi.push(i, t);
            if i.is_multiple_of(stride) && i / stride < sample {
                binned[i / stride][((t / SYNCHRONY_BIN_MS) as usize).min(bins - 1)] += 1;
            }
            let pop = network
                .populations()
                .iter()
                .position(|p| i < p.start + p.len)
                .unwrap_or(0);
            per_population[pop] += 1;
        }
        spikes += network.last_spikes().len() as u64;
    }
    let wall_s = started.elapsed().as_secs_f64();
    let rate_of = |kind: PopulationKind| {
        let (count, size) = network
            .populations()
            .iter()
            .zip(&per_population)
            .filter(|(p, _)| p.kind == kind)
            .fold((0u64, 0usize), |(c, s), (p, &k)| (c + k, s + p.len));
        if size == 0 {
            0.0
        } else {
            count as f64 / size as f64 / duration
        }
    };
    let report = NetworkReport {
        preset: preset.to_string(),
        seed: args.seed,
        duration_s: duration,
        neurons: n,
        synapses: network.n_synapses(),
        in_degree: network
            .mean_in_degree()
            .first()
            .map_or(0.0, |row| row.iter().sum()),
        spikes,
        rate_hz: spikes as f64 / n as f64 / duration,
        rate_e_hz: rate_of(PopulationKind::Excitatory),
        rate_i_hz: rate_of(PopulationKind::Inhibitory),
        cv_isi: isi.mean_cv(CV_MIN_INTERVALS),
        synchrony: synchrony(&binned),
        wall_s,
        build_s,
        threads: network.threads_requested(),
        threads_active: network.threads_active(),
        phase_s: network.phase_times().unwrap_or_default(),
        bytes_per_synapse: network.synapse_bytes() as f64 / network.n_synapses().max(1) as f64,
        steps,
        steps_per_s: steps as f64 / wall_s.max(1e-12),
        synaptic_events: network.synaptic_events(),
        synaptic_events_per_s: network.synaptic_events() as f64 / wall_s.max(1e-12),
        wall_s_per_bio_s: wall_s / duration,
    };
    print_report(args.json, &report, || {
        format!(
            "{}: {} neurons, {} synapses ({:.0} inputs per E neuron), {} s simulated in {:.3} s ({:.3} s per biological second)\n\
             rate {:.2} Hz (E {:.2}, I {:.2}), ISI CV {:.2}, synchrony χ {:.3}, {:.3e} synaptic events/s\n",
            report.preset,
            report.neurons,
            report.synapses,
            report.in_degree,
            report.duration_s,
            report.wall_s,
            report.wall_s_per_bio_s,
            report.rate_hz,
            report.rate_e_hz,
            report.rate_i_hz,
            report.cv_isi,
            report.synchrony,
            report.synaptic_events_per_s
        )
    })
}

/// The thread count asked for with `--threads`, or every core.
pub fn thread_count(threads: Option<usize>) -> anyhow::Result<usize> {
    match threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(t) if t > crate::spiking::MAX_THREADS => {
            bail!(
                "--threads must be at most {}, not {t}",
                crate::spiking::MAX_THREADS
            )
        }
        Some(t) => Ok(t),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// How long a stdp-memory run presents its pattern, and rests between presentations, in ms.
const PRESENTATION_MS: f64 = 250.0;
/// Number of presentations of the pattern a stdp-memory run learns.
const PRESENTATIONS: usize = 4;

#[derive(Serialize)]
struct MemoryRunReport {
    preset: String,
    seed: u64,
    duration_s: f64,
    neurons: usize,
    synapses: usize,
    rule: String,
    labels: Vec<String>,
    cue: String,
    flip: f64,
    cue_at_ms: f64,
    cue_ms: f64,
    presentations: usize,
    overlaps: Vec<f64>,
    retrieved_pattern: Option<usize>,
    retrieved_label: Option<String>,
    classification: String,
    rate_levels_hz: (f64, f64),
    /// Overlaps every 10 ms: [t_ms, m_1, m_2, ...].
    overlap_trace: Vec<Vec<f64>>,
    spikes: u64,
    rate_hz: f64,
    wall_s: f64,
    build_s: f64,
    /// Threads asked for and threads at work.
    threads: usize,
    threads_active: usize,
    steps: u64,
    steps_per_s: f64,
    synaptic_events: u64,
    synaptic_events_per_s: f64,
    wall_s_per_bio_s: f64,
}

/// Runs `engram network --preset memory|stdp-memory`: (stdp-memory: presents the cued pattern with
/// STDP on, then switches it off;) cues the pattern corrupted, lets the network run on, and reports
/// the overlaps and which pattern was retrieved.
fn run_memory(preset: Preset, args: &NetworkArgs, duration: f64) -> anyhow::Result<()> {
    use crate::families::spiking::MemoryReport;
    use crate::spiking::{MemoryParams, SpikingMemory};
    if args.k.is_some() {
        bail!(
            "--k does not apply to {preset}: a spiking memory's wiring follows from its patterns and pools"
        );
    }
    if !(0.0..=1.0).contains(&args.flip) {
        bail!("--flip must be between 0 and 1, not {}", args.flip);
    }
    let (set, labels) = match args.patterns.split_once(':') {
        Some((set, labels)) => (set, labels.split(',').map(|l| l.trim().to_string()).collect()),
        None => (args.patterns.as_str(), Vec::new()),
    };
    let patterns = crate::hopfield::PatternSet::builtin(set)?.select(&labels)?;
    let mut params = MemoryParams::default();
    if let Some(rule) = &args.rule {
        params.rule = rule.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    }
    if let Some(pool) = args.pool {
        params.pool_size = pool;
    }
    let cue_index = match &args.cue {
        Some(label) => patterns.labels.iter().position(|l| l == label).ok_or_else(|| {
            anyhow::anyhow!(
                "--cue {label}: no such pattern (the memory has {})",
                patterns.labels.join(", ")
            )
        })?,
        None => 0,
    };
    let build_started = std::time::Instant::now();
    let learning = preset == Preset::StdpMemory;
    let (mut network, mut memory) = if learning {
        SpikingMemory::build_learning(patterns, params, args.seed)?
    } else {
        SpikingMemory::build(patterns, params, args.seed)?
    };
    let build_s = build_started.elapsed().as_secs_f64();
    network.set_threads(thread_count(args.threads)?);
    let dt = network.dt_ms();
    let total_steps = (duration * 1000.0 / dt).round() as u64;
    let steps_of = |ms: f64| (ms / dt).round() as u64;
    let target = memory.patterns().patterns[cue_index].clone();
    let presentations = if learning { PRESENTATIONS } else { 0 };
    // Timeline: 100 ms of spontaneous activity, the presentations (pattern on, then rest), the cue.
    let learn_start = steps_of(100.0);
    let learn_end = learn_start + presentations as u64 * 2 * steps_of(PRESENTATION_MS);
    let cue_start = learn_end + steps_of(if learning { 200.0 } else { 0.0 });
    let cue_end = cue_start + steps_of(memory.params().cue_ms);
    if cue_end + steps_of(50.0) > total_steps {
        bail!(
            "--duration {} s is too short: the cue ends at {:.2} s; give at least {:.2} s",
            duration,
            cue_end as f64 * dt / 1000.0,
            (cue_end + steps_of(200.0)) as f64 * dt / 1000.0
        );
    }
    let mut rng = crate::rng::substream(args.seed, 77);
    let cue = crate::hopfield::cue::flip_fraction(&target, args.flip, &mut rng)?;
    let mut overlap_trace = Vec::new();
    let mut spikes = 0u64;
    let started = std::time::Instant::now();
    for step in 0..total_steps {
        if learning && step == learn_start {
            network.set_stdp(Some(SpikingMemory::learning_stdp()))?;
        }
        if step >= learn_start && step < learn_end {
            let phase = (step - learn_start) / steps_of(PRESENTATION_MS);
            let phase_start = (step - learn_start) % steps_of(PRESENTATION_MS) == 0;
            if phase_start {
                let on = phase % 2 == 0;
                memory.set_cue(&mut network, on.then(|| target.clone()))?;
            }
        }
        if learning && step == learn_end {
            memory.set_cue(&mut network, None)?;
            network.set_stdp(None)?;
        }
        if step == cue_start {
            memory.set_cue(&mut network, Some(cue.clone()))?;
        }
        if step == cue_end {
            memory.set_cue(&mut network, None)?;
        }
        network.try_step()?;
        memory.observe(&network);
        spikes += network.last_spikes().len() as u64;
        if (step + 1) % steps_of(10.0) == 0 {
            let mut row = vec![(step + 1) as f64 * dt];
            row.extend(memory.overlaps());
            overlap_trace.push(row);
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    let readout = MemoryReport::of(&memory);
    let report = MemoryRunReport {
        preset: preset.to_string(),
        seed: args.seed,
        duration_s: duration,
        neurons: network.n_neurons(),
        synapses: network.n_synapses(),
        rule: if learning {
            "stdp".into()
        } else {
            memory.params().rule.to_string()
        },
        labels: readout.labels,
        cue: memory.patterns().labels[cue_index].clone(),
        flip: args.flip,
        cue_at_ms: cue_start as f64 * dt,
        cue_ms: memory.params().cue_ms,
        presentations,
        overlaps: readout.overlaps,
        retrieved_pattern: readout.retrieved_pattern,
        retrieved_label: readout.retrieved_label,
        classification: readout.classification,
        rate_levels_hz: readout.rate_levels_hz,
        overlap_trace,
        spikes,
        rate_hz: spikes as f64 / network.n_neurons() as f64 / duration,
        wall_s,
        build_s,
        threads: network.threads_requested(),
        threads_active: network.threads_active(),
        steps: total_steps,
        steps_per_s: total_steps as f64 / wall_s.max(1e-12),
        synaptic_events: network.synaptic_events(),
        synaptic_events_per_s: network.synaptic_events() as f64 / wall_s.max(1e-12),
        wall_s_per_bio_s: wall_s / duration,
    };
    print_report(args.json, &report, || {
        let overlaps: Vec<String> = report
            .labels
            .iter()
            .zip(&report.overlaps)
            .map(|(l, m)| format!("{l} {m:+.2}"))
            .collect();
        format!(
            "{}: {} neurons, {} synapses; cued {} with {:.0} % flipped at {:.0} ms{}\n\
             overlaps at {} s: {} -> {} ({}); {:.3} s per biological second\n",
            report.preset,
            report.neurons,
            report.synapses,
            report.cue,
            report.flip * 100.0,
            report.cue_at_ms,
            if learning {
                format!(" after {} presentations with STDP", report.presentations)
            } else {
                String::new()
            },
            report.duration_s,
            overlaps.join(", "),
            report.retrieved_label.as_deref().unwrap_or("nothing retrieved"),
            report.classification,
            report.wall_s_per_bio_s
        )
    })
}
