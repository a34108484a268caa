//! `engram network`: a recurrent spiking network preset.

use anyhow::bail;
use serde::Serialize;

use super::print_report;
use crate::analysis::spike_stats::{IsiStats, synchrony};
use crate::spiking::{Network, PopulationKind, Preset};

/// Neurons whose binned counts enter the synchrony measure.
const SYNCHRONY_SAMPLE: usize = 1000;
/// Bin width of the synchrony measure, in ms.
const SYNCHRONY_BIN_MS: f64 = 5.0;

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
    /// Preset: cuba, brunel-ai, brunel-sr or ei.
    #[arg(long, default_value = "cuba")]
    pub preset: String,
    /// Simulated time, in s.
    #[arg(long, default_value_t = 1.0)]
    pub duration: f64,
    /// Number of neurons (default: the preset's).
    #[arg(long)]
    pub n: Option<usize>,
    /// Seed of the wiring, initial state and noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct NetworkReport {
    preset: String,
    seed: u64,
    duration_s: f64,
    neurons: usize,
    synapses: usize,
    spikes: u64,
    rate_hz: f64,
    rate_e_hz: f64,
    rate_i_hz: f64,
    cv_isi: f64,
    synchrony: f64,
    wall_s: f64,
    build_s: f64,
    steps: u64,
    steps_per_s: f64,
    synaptic_events: u64,
    synaptic_events_per_s: f64,
    wall_s_per_bio_s: f64,
}

/// Runs `engram network`.
pub fn run(args: NetworkArgs) -> anyhow::Result<()> {
    if args.preset == "memory" {
        bail!("the spiking memory preset is not available yet");
    }
    let preset: Preset = args.preset.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    if !(args.duration.is_finite() && args.duration > 0.0 && args.duration <= 3600.0) {
        bail!("--duration must be between 0 and 3600 s, not {}", args.duration);
    }
    if args.n == Some(0) {
        bail!("--n must be at least 1");
    }
    let build_started = std::time::Instant::now();
    let mut network = Network::from_preset(preset, args.n, args.seed)?;
    let build_s = build_started.elapsed().as_secs_f64();
    let n = network.n_neurons();
    let dt = network.dt_ms();
    let steps = (args.duration * 1000.0 / dt).round() as u64;
    let sample = n.min(SYNCHRONY_SAMPLE);
    let stride = (n / sample).max(1);
    let bins = ((args.duration * 1000.0 / SYNCHRONY_BIN_MS).ceil() as usize).max(1);
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
            count as f64 / size as f64 / args.duration
        }
    };
    let report = NetworkReport {
        preset: preset.to_string(),
        seed: args.seed,
        duration_s: args.duration,
        neurons: n,
        synapses: network.n_synapses(),
        spikes,
        rate_hz: spikes as f64 / n as f64 / args.duration,
        rate_e_hz: rate_of(PopulationKind::Excitatory),
        rate_i_hz: rate_of(PopulationKind::Inhibitory),
        cv_isi: isi.mean_cv(3),
        synchrony: synchrony(&binned),
        wall_s,
        build_s,
        steps,
        steps_per_s: steps as f64 / wall_s.max(1e-12),
        synaptic_events: network.synaptic_events(),
        synaptic_events_per_s: network.synaptic_events() as f64 / wall_s.max(1e-12),
        wall_s_per_bio_s: wall_s / args.duration,
    };
    print_report(args.json, &report, || {
        format!(
            "{}: {} neurons, {} synapses, {} s simulated in {:.3} s ({:.3} s per biological second)\n\
             rate {:.2} Hz (E {:.2}, I {:.2}), ISI CV {:.2}, synchrony χ {:.3}, {:.3e} synaptic events/s\n",
            report.preset,
            report.neurons,
            report.synapses,
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
