//! `engram correlations`: linearly interacting Poisson (Hawkes) units on random E/I couplings; the
//! covariance of their spike counts measured over long windows beside the linear-response
//! prediction C = (I − W)⁻¹ D (I − W)⁻ᵀ; with `--network`, a spiking network's measured count
//! covariance beside the prediction from its effective couplings (see
//! [`crate::families::spiking::correlations`]).

use anyhow::bail;
use serde::Serialize;

use crate::analysis::linear_response::{
    LinearResponse, count_covariance_hz, off_diagonal_correlation, random_coupling, simulate_hawkes_counts,
};

/// Flags of `engram correlations`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "W_ij (the spikes one spike of j adds to i) is w for a connection from one of the first \
80 % of the units (excitatory) and −g·w from the others, each pair connected with probability p. \
Every unit fires at μ plus its filtered inputs (exponential kernels of τ). Counts are taken in windows \
of --window-s; their covariance per second is compared with the prediction pair by pair. \
With --network ei|cuba (or another LIF preset) a spiking network runs instead: after 0.5 s of settling, \
--sample neurons are counted in windows of --window-s for --duration-s, and their covariance is compared \
with (I − W_eff)⁻¹ D (I − W_eff)⁻ᵀ, W_eff = J τ_m ∂ν/∂μ from the Siegert rate at the measured operating point."
)]
pub struct CorrelationsArgs {
    /// Number of units (Hawkes: default 50; --network: the preset's size).
    #[arg(long)]
    pub n: Option<usize>,
    /// Run this spiking preset (ei, cuba, …) instead of Hawkes units.
    #[arg(long)]
    pub network: Option<crate::spiking::Preset>,
    /// Neurons of the spiking network whose counts are recorded.
    #[arg(long, default_value_t = crate::families::spiking::correlations::DEFAULT_SAMPLE)]
    pub sample: usize,
    /// Connection probability.
    #[arg(long, default_value_t = 0.2)]
    pub p: f64,
    /// Excitatory coupling w (spikes added per spike).
    #[arg(long, default_value_t = 0.08)]
    pub w: f64,
    /// Relative strength g of inhibition.
    #[arg(long, default_value_t = 1.5)]
    pub g: f64,
    /// Baseline rate μ of every unit, in Hz.
    #[arg(long, default_value_t = 20.0)]
    pub mu_hz: f64,
    /// Time constant of the coupling kernels, in ms.
    #[arg(long, default_value_t = 20.0)]
    pub tau_ms: f64,
    /// Length of a counting window, in s (long against τ; default 1, with --network 0.5).
    #[arg(long)]
    pub window_s: Option<f64>,
    /// Simulated time, in s (default 2000, with --network 100).
    #[arg(long)]
    pub duration_s: Option<f64>,
    /// Seed of the couplings and the spikes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `engram correlations` reports.
#[derive(Debug, Serialize)]
struct CorrelationsReport {
    n: usize,
    spectral_radius: f64,
    mean_rate_predicted_hz: f64,
    mean_rate_measured_hz: f64,
    /// Pearson correlation of predicted and measured covariances over all pairs i < j.
    pair_correlation: f64,
    averages: Vec<PairAverage>,
    windows: usize,
    wall_s: f64,
}

/// Runs `engram correlations`.
pub fn run(args: CorrelationsArgs) -> anyhow::Result<()> {
    if let Some(preset) = args.network {
        return run_network(preset, &args);
    }
    let n = args.n.unwrap_or(50);
    let (window_s, duration_s) = (args.window_s.unwrap_or(1.0), args.duration_s.unwrap_or(2000.0));
    if !(2..=2000).contains(&n) {
        bail!("--n must be between 2 and 2000, not {n}");
    }
    if !(0.0..=1.0).contains(&args.p) || !args.w.is_finite() || !args.g.is_finite() || args.g < 0.0 {
        bail!("--p must be in [0, 1], --w finite and --g ≥ 0");
    }
    if !(args.mu_hz > 0.0 && args.tau_ms > 0.0 && window_s > 0.0 && duration_s.is_finite()) {
        bail!("--mu-hz, --tau-ms and --window-s must be > 0");
    }
    let windows = (duration_s / window_s).floor() as usize;
    if !(10..=1_000_000).contains(&windows) {
        bail!("--duration-s must hold 10 to 1,000,000 windows of --window-s, not {windows}");
    }
    let started = std::time::Instant::now();
    let n_exc = (0.8 * n as f64).round() as usize;
    let coupling = random_coupling(n, n_exc, args.p, args.w, args.g, args.seed);
    let theory = LinearResponse::new(coupling, vec![args.mu_hz; n]).map_err(anyhow::Error::msg)?;
    let counts = simulate_hawkes_counts(&theory, args.tau_ms, 0.5, window_s, windows, args.seed);
    let (measured, rates) = count_covariance_hz(&counts, window_s);
    let average = |name: &str, a: std::ops::Range<usize>, b: std::ops::Range<usize>| {
        let (mut predicted, mut found, mut count) = (0.0, 0.0, 0usize);
        for i in a.clone() {
            for j in b.clone() {
                if i != j {
                    predicted += theory.covariance_hz[(i, j)];
                    found += measured[(i, j)];
                    count += 1;
                }
            }
        }
        PairAverage {
            pairs: name.to_string(),
            predicted_hz: predicted / count.max(1) as f64,
            measured_hz: found / count.max(1) as f64,
        }
    };
    let report = CorrelationsReport {
        n,
        spectral_radius: theory.spectral_radius,
        mean_rate_predicted_hz: theory.rates_hz.iter().sum::<f64>() / n as f64,
        mean_rate_measured_hz: rates.iter().sum::<f64>() / n as f64,
        pair_correlation: off_diagonal_correlation(&theory.covariance_hz, &measured),
        averages: vec![
            average("E-E", 0..n_exc, 0..n_exc),
            average("E-I", 0..n_exc, n_exc..n),
            average("I-I", n_exc..n, n_exc..n),
        ],
        windows,
        wall_s: started.elapsed().as_secs_f64(),
    };
    crate::cli::print_report(args.json, &report, || {
        let mut text = format!(
            "{} Hawkes units, spectral radius of W {:.3}: rate {:.2} Hz (predicted {:.2}); predicted and measured \
             covariances of {} pairs correlate at {:.3} ({} windows)\n",
            report.n,
            report.spectral_radius,
            report.mean_rate_measured_hz,
            report.mean_rate_predicted_hz,
            report.n * (report.n - 1) / 2,
            report.pair_correlation,
            report.windows
        );
        for a in &report.averages {
            text.push_str(&format!(
                "{}: predicted {:+.3} Hz, measured {:+.3} Hz\n",
                a.pairs, a.predicted_hz, a.measured_hz
            ));
        }
        text
    })
}

/// What `engram correlations --network` reports.
#[derive(Debug, Serialize)]
pub struct NetworkCorrelationsReport {
    /// The preset.
    pub network: String,
    /// Neurons in the network.
    pub n: usize,
    /// Neurons whose counts were recorded.
    pub sample: usize,
    /// Counting window, in ms.
    pub window_ms: f64,
    /// Windows counted.
    pub windows: u64,
    /// The operating point of every population.
    pub points: Vec<crate::families::spiking::correlations::OperatingPoint>,
    /// Largest |λ| of W_eff.
    pub spectral_radius: f64,
    /// Largest Re λ of W_eff (instability at 1).
    pub max_real_eigenvalue: f64,
    /// Pearson correlation of predicted and measured covariances over the sampled pairs.
    pub pair_correlation: f64,
    /// Averages per kind of pair, in Hz.
    pub averages: Vec<PairAverage>,
    /// Wall time, in s.
    pub wall_s: f64,
}

/// Predicted and measured averages of one kind of pair, in Hz (covariance of counts per second).
#[derive(Debug, Serialize)]
pub struct PairAverage {
    /// "E-E", "E-I", "I-I".
    pub pairs: String,
    /// Predicted.
    pub predicted_hz: f64,
    /// Measured.
    pub measured_hz: f64,
}

/// Settling time before the counting starts, in ms.
const SETTLE_MS: f64 = 500.0;

/// Runs a spiking preset, counts a sample and compares with linear response.
pub fn network_correlations(
    preset: crate::spiking::Preset,
    n: Option<usize>,
    sample: usize,
    window_ms: f64,
    duration_s: f64,
    seed: u64,
) -> anyhow::Result<NetworkCorrelationsReport> {
    use crate::families::spiking::correlations as corr;
    let started = std::time::Instant::now();
    let mut network = crate::spiking::Network::from_preset(preset, n, seed)?;
    // Refuse what cannot be predicted (too large, not LIF) before simulating it.
    corr::effective_coupling(&network, &vec![0.0; network.populations().len()])
        .map_err(anyhow::Error::msg)?;
    let dt_ms = network.dt_ms();
    let steps = |ms: f64| (ms / dt_ms).round() as u64;
    for _ in 0..steps(SETTLE_MS) {
        network.try_step()?;
    }
    let chosen = corr::sample_neurons(&network, sample);
    let mut counter = corr::CountCovariance::new(network.n_neurons(), chosen, network.dt_ms(), window_ms);
    for _ in 0..steps(duration_s * 1000.0) {
        network.try_step()?;
        counter.observe(network.last_spikes());
    }
    let Some((measured, fano)) = counter.covariance_hz() else {
        bail!("--duration-s holds fewer than two windows of {window_ms} ms");
    };
    let rates = counter.rates_hz();
    let population_rates = corr::population_means(&network, &rates);
    let coupling = corr::effective_coupling(&network, &population_rates).map_err(anyhow::Error::msg)?;
    let intrinsic = corr::intrinsic_hz(&network, &rates, counter.sample(), &fano);
    let prediction = corr::predict(&coupling, &intrinsic, counter.sample()).map_err(anyhow::Error::msg)?;
    let spectrum = corr::spectrum(&coupling).map_err(anyhow::Error::msg)?;
    let s = counter.sample().len();
    let ranges = corr::sample_ranges(&network, counter.sample());
    let mut averages = Vec::new();
    for a in 0..ranges.len() {
        for b in a..ranges.len() {
            averages.push(PairAverage {
                pairs: format!("{}-{}", ranges[a].0, ranges[b].0),
                predicted_hz: corr::block_mean(
                    &prediction.covariance_hz,
                    s,
                    ranges[a].1.clone(),
                    ranges[b].1.clone(),
                ),
                measured_hz: corr::block_mean(&measured, s, ranges[a].1.clone(), ranges[b].1.clone()),
            });
        }
    }
    Ok(NetworkCorrelationsReport {
        network: preset.to_string(),
        n: network.n_neurons(),
        sample: s,
        window_ms: counter.window_ms(),
        windows: counter.windows(),
        points: coupling.points,
        spectral_radius: spectrum.spectral_radius,
        max_real_eigenvalue: spectrum.max_real,
        pair_correlation: corr::pair_correlation(&prediction.covariance_hz, &measured, s),
        averages,
        wall_s: started.elapsed().as_secs_f64(),
    })
}

fn run_network(preset: crate::spiking::Preset, args: &CorrelationsArgs) -> anyhow::Result<()> {
    if !(2..=2000).contains(&args.sample) {
        bail!("--sample must be between 2 and 2000, not {}", args.sample);
    }
    let (window_s, duration_s) = (args.window_s.unwrap_or(0.5), args.duration_s.unwrap_or(100.0));
    if !(window_s > 0.0 && duration_s.is_finite() && duration_s >= 2.0 * window_s && duration_s <= 100_000.0)
    {
        bail!("--window-s must be > 0 and --duration-s at least two windows and at most 100,000 s");
    }
    let report = network_correlations(
        preset,
        args.n,
        args.sample,
        window_s * 1000.0,
        duration_s,
        args.seed,
    )?;
    crate::cli::print_report(args.json, &report, || {
        let mut text = format!(
            "{} ({} neurons): {} sampled, {} windows of {:.0} ms; W_eff spectral radius {:.3}, largest Re λ {:.3}; \
             predicted and measured covariances of the sampled pairs correlate at {:.3}\n",
            report.network,
            report.n,
            report.sample,
            report.windows,
            report.window_ms,
            report.spectral_radius,
            report.max_real_eigenvalue,
            report.pair_correlation
        );
        for p in &report.points {
            text.push_str(&format!(
                "{}: {:.2} Hz measured, Siegert {:.2} Hz at μ {:.2} mV, σ {:.2} mV; matched at μ {:.2} mV, gain {:.3} Hz/mV\n",
                p.name, p.rate_hz, p.siegert_rate_hz, p.mu_mv, p.sigma_mv, p.matched_mu_mv, p.gain_hz_per_mv
            ));
        }
        for a in &report.averages {
            text.push_str(&format!(
                "{}: predicted {:+.4} Hz, measured {:+.4} Hz\n",
                a.pairs, a.predicted_hz, a.measured_hz
            ));
        }
        text
    })
}
