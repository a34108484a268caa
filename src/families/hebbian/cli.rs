//! `engram hebb ...`: Oja's (or Sanger's) rule beside plain Hebb on Gaussian data, and the time
//! Oja's rule takes to converge against 1/(η(λ1 − λ2)).

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::model::{
    CONVERGENCE_ANGLES_DEG, DataParams, Gaussian, LearnParams, Learner, angle_deg, convergence_samples,
    convergence_samples_theory, norm,
};
use crate::output::print_report;

const CONVENTIONS: &str = "Conventions: zero-mean Gaussian data; in two dimensions the standard deviations \
along the principal axes are --sigma1 and --sigma2 and the first axis lies at --angle-deg; in more, the top two \
variances are sigma1² and sigma2², each further one --decay times the one before, on random orthonormal axes \
from --seed. One sample per step. Oja: Δw = η y (x − y w); Sanger (--components k > 1): Δw_i = η y_i (x − \
Σ_{j≤i} y_j w_j); plain Hebb Δw = η y x runs beside on the same samples, kept as a direction and log |w|. \
Angles are between lines (0–90°). τ = 1/(η(λ1 − λ2)); the averaged Oja dynamics gives tan φ(t) = tan φ(0) \
e^{−t/τ}.";

/// The Hebbian family's top-level subcommand.
#[derive(Debug, Subcommand)]
pub enum HebbCli {
    /// Hebbian learning of principal components: Oja's and Sanger's rules beside plain Hebb.
    #[command(subcommand)]
    Hebb(HebbCommandLine),
}

/// `engram hebb ...`.
#[derive(Debug, Subcommand)]
pub enum HebbCommandLine {
    /// Learn from samples: angles to the eigenvectors, |w|, and plain Hebb's growth.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Learn(LearnArgs),
    /// Samples from 70° to 20° against τ ln(tan 70°/tan 20°), over learning rates.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Convergence(ConvergenceArgs),
}

/// The data's flags.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Input dimensions.
    #[arg(long, default_value_t = 2)]
    pub dim: usize,
    /// Standard deviation along the first principal axis.
    #[arg(long, default_value_t = 2.0)]
    pub sigma1: f64,
    /// Standard deviation along the second principal axis.
    #[arg(long, default_value_t = 1.0)]
    pub sigma2: f64,
    /// Angle of the first axis, in degrees (two dimensions).
    #[arg(long, default_value_t = 30.0)]
    pub angle_deg: f64,
    /// Ratio of each further variance to the one before (more than two dimensions).
    #[arg(long, default_value_t = 0.7)]
    pub decay: f64,
    /// Seed of the samples, the axes and the initial weights.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl DataArgs {
    fn params(&self) -> DataParams {
        DataParams {
            dim: self.dim,
            sigma1: self.sigma1,
            sigma2: self.sigma2,
            angle_deg: self.angle_deg,
            decay: self.decay,
        }
    }
}

/// Flags of `engram hebb learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Learning rate η.
    #[arg(long, default_value_t = 0.005)]
    pub eta: f64,
    /// Components: 1 is Oja's rule, more is Sanger's.
    #[arg(long, default_value_t = 1)]
    pub components: usize,
    /// Samples to learn from.
    #[arg(long, default_value_t = 5000)]
    pub samples: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram hebb convergence`.
#[derive(Debug, Args)]
pub struct ConvergenceArgs {
    /// The data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Learning rates, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0.0005,0.001,0.002,0.004")]
    pub etas: Vec<f64>,
    /// Runs per rate (seeds seed, seed + 1, ...).
    #[arg(long, default_value_t = 20)]
    pub runs: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

impl crate::families::FamilyCli for super::Hebbian {
    type Cli = HebbCli;

    fn run_cli(command: HebbCli) -> anyhow::Result<()> {
        match command {
            HebbCli::Hebb(HebbCommandLine::Learn(args)) => learn(args),
            HebbCli::Hebb(HebbCommandLine::Convergence(args)) => convergence(args),
        }
    }
}

/// What `engram hebb learn` reports.
#[derive(Debug, Serialize)]
struct LearnReport {
    rule: String,
    dim: usize,
    samples: u64,
    eigenvalues: Vec<f64>,
    time_constant_samples: f64,
    angles_deg: Vec<f64>,
    norms: Vec<f64>,
    hebb_angle_deg: f64,
    hebb_log10_norm: f64,
    /// The theory's growth of log10 |w| for plain Hebb: η λ1 / ln 10 per sample.
    hebb_log10_growth_theory: f64,
    wall_s: f64,
}

fn learn(args: LearnArgs) -> anyhow::Result<()> {
    let params = args.data.params();
    let data = Gaussian::new(&params, args.data.seed).map_err(|e| anyhow!("{e}"))?;
    let learn = LearnParams {
        eta: args.eta,
        components: args.components,
        ..LearnParams::default()
    };
    learn.validate(data.dim()).map_err(|e| anyhow!("--{e}"))?;
    if args.samples == 0 || args.samples > 1_000_000_000 {
        bail!("--samples must be between 1 and 1000000000, not {}", args.samples);
    }
    let start = std::time::Instant::now();
    let mut rng = crate::rng::seeded(args.data.seed);
    let mut learner = Learner::new(data.dim(), &learn, &mut rng);
    let mut x = vec![0.0; data.dim()];
    for _ in 0..args.samples {
        data.sample(&mut rng, &mut x);
        learner.learn(&x, args.eta);
    }
    if !learner.is_finite() {
        bail!("the weights diverged: lower --eta (now {})", args.eta);
    }
    let l = &data.eigenvalues;
    let report = LearnReport {
        rule: learn.rule_name(),
        dim: data.dim(),
        samples: args.samples,
        time_constant_samples: super::model::oja_time_constant(args.eta, l[0], l[1]),
        angles_deg: learner
            .weights
            .iter()
            .zip(&data.eigenvectors)
            .map(|(w, e)| angle_deg(w, e))
            .collect(),
        norms: learner.weights.iter().map(|w| norm(w)).collect(),
        hebb_angle_deg: angle_deg(&learner.hebb_direction, &data.eigenvectors[0]),
        hebb_log10_norm: learner.hebb_log10_norm(),
        hebb_log10_growth_theory: args.eta * l[0] / std::f64::consts::LN_10,
        eigenvalues: l.clone(),
        wall_s: start.elapsed().as_secs_f64(),
    };
    print_report(args.json, &report, || {
        let angles: Vec<String> = report.angles_deg.iter().map(|a| format!("{a:.2}°")).collect();
        let norms: Vec<String> = report.norms.iter().map(|n| format!("{n:.4}")).collect();
        format!(
            "{} on {}-dimensional data, {} samples (τ = {:.0}): angles to the eigenvectors {}, |w| {}\n\
             plain Hebb: {:.2}° from e1, log10 |w| = {:.1} ({:.5} per sample in theory)\n",
            report.rule,
            report.dim,
            report.samples,
            report.time_constant_samples,
            angles.join(", "),
            norms.join(", "),
            report.hebb_angle_deg,
            report.hebb_log10_norm,
            report.hebb_log10_growth_theory
        )
    })
}

/// One rate's convergence in `engram hebb convergence`.
#[derive(Debug, Serialize)]
struct ConvergencePoint {
    eta: f64,
    time_constant_samples: f64,
    theory_samples: f64,
    mean_samples: f64,
    std_samples: f64,
}

fn convergence(args: ConvergenceArgs) -> anyhow::Result<()> {
    let params = args.data.params();
    let data = Gaussian::new(&params, args.data.seed).map_err(|e| anyhow!("{e}"))?;
    if args.etas.is_empty() || args.etas.iter().any(|&e| !(e.is_finite() && e > 0.0 && e <= 0.1)) {
        bail!("--etas must be rates between 0 and 0.1, not {:?}", args.etas);
    }
    if !(1..=10_000).contains(&args.runs) {
        bail!("--runs must be between 1 and 10000, not {}", args.runs);
    }
    let (l1, l2) = (data.eigenvalues[0], data.eigenvalues[1]);
    if l1 - l2 < 1e-9 {
        bail!("the first two variances are equal: there is no leading eigenvector to find");
    }
    let mut points = Vec::new();
    for &eta in &args.etas {
        let theory = convergence_samples_theory(eta, l1, l2, CONVERGENCE_ANGLES_DEG);
        let times: Vec<f64> = (0..args.runs)
            .map(|r| {
                convergence_samples(
                    &data,
                    eta,
                    CONVERGENCE_ANGLES_DEG,
                    args.data.seed + r,
                    (50.0 * theory) as u64,
                )
                .map_or(f64::NAN, |s| s as f64)
            })
            .collect();
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let std = (times.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / times.len() as f64).sqrt();
        points.push(ConvergencePoint {
            eta,
            time_constant_samples: super::model::oja_time_constant(eta, l1, l2),
            theory_samples: theory,
            mean_samples: mean,
            std_samples: std,
        });
    }
    print_report(args.json, &points, || {
        let mut text = format!(
            "λ1 = {l1:.3}, λ2 = {l2:.3}: samples from 70° to 20°\n     η      τ   theory   measured (± s.d.)\n"
        );
        for p in &points {
            text += &format!(
                "{:>6} {:>6.0} {:>8.0} {:>10.0} ± {:.0}\n",
                p.eta, p.time_constant_samples, p.theory_samples, p.mean_samples, p.std_samples
            );
        }
        text
    })
}
