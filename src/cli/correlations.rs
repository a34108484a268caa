//! `engram correlations`: linearly interacting Poisson (Hawkes) units on random E/I couplings; the
//! covariance of their spike counts measured over long windows beside the linear-response
//! prediction C = (I − W)⁻¹ D (I − W)⁻ᵀ.

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
of --window-s; their covariance per second is compared with the prediction pair by pair."
)]
pub struct CorrelationsArgs {
    /// Number of units.
    #[arg(long, default_value_t = 50)]
    pub n: usize,
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
    /// Length of a counting window, in s (long against τ).
    #[arg(long, default_value_t = 1.0)]
    pub window_s: f64,
    /// Simulated time, in s.
    #[arg(long, default_value_t = 2000.0)]
    pub duration_s: f64,
    /// Seed of the couplings and the spikes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Predicted and measured averages of one kind of pair.
#[derive(Debug, Serialize)]
struct PairAverage {
    pairs: String,
    predicted_hz: f64,
    measured_hz: f64,
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
    if !(2..=2000).contains(&args.n) {
        bail!("--n must be between 2 and 2000, not {}", args.n);
    }
    if !(0.0..=1.0).contains(&args.p) || !args.w.is_finite() || !args.g.is_finite() || args.g < 0.0 {
        bail!("--p must be in [0, 1], --w finite and --g ≥ 0");
    }
    if !(args.mu_hz > 0.0 && args.tau_ms > 0.0 && args.window_s > 0.0 && args.duration_s.is_finite()) {
        bail!("--mu-hz, --tau-ms and --window-s must be > 0");
    }
    let windows = (args.duration_s / args.window_s).floor() as usize;
    if !(10..=1_000_000).contains(&windows) {
        bail!("--duration-s must hold 10 to 1,000,000 windows of --window-s, not {windows}");
    }
    let started = std::time::Instant::now();
    let n_exc = (0.8 * args.n as f64).round() as usize;
    let coupling = random_coupling(args.n, n_exc, args.p, args.w, args.g, args.seed);
    let theory = LinearResponse::new(coupling, vec![args.mu_hz; args.n]).map_err(anyhow::Error::msg)?;
    let counts = simulate_hawkes_counts(&theory, args.tau_ms, 0.5, args.window_s, windows, args.seed);
    let (measured, rates) = count_covariance_hz(&counts, args.window_s);
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
        n: args.n,
        spectral_radius: theory.spectral_radius,
        mean_rate_predicted_hz: theory.rates_hz.iter().sum::<f64>() / args.n as f64,
        mean_rate_measured_hz: rates.iter().sum::<f64>() / args.n as f64,
        pair_correlation: off_diagonal_correlation(&theory.covariance_hz, &measured),
        averages: vec![
            average("E-E", 0..n_exc, 0..n_exc),
            average("E-I", 0..n_exc, n_exc..args.n),
            average("I-I", n_exc..args.n, n_exc..args.n),
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
