//! `engram branching`: a driven branching network, its branching ratio estimated from a subsample
//! of its units by multistep regression beside the conventional estimate, and (with
//! `--avalanches`) the avalanche size and duration exponents of the undriven network.

use anyhow::bail;
use serde::Serialize;

use crate::analysis::branching::{
    Avalanche, BranchingNetwork, avalanches, estimate_branching, power_law_exponent, random_subsample,
    record_activity,
};

/// The branching family's top-level subcommand.
#[derive(Debug, clap::Subcommand)]
pub enum BranchingCli {
    /// A driven branching network: its branching ratio estimated from a subsample of units, and
    /// its avalanches.
    Branching(BranchingArgs),
}

impl crate::families::FamilyCli for super::Branching {
    type Cli = BranchingCli;

    fn run_cli(command: BranchingCli) -> anyhow::Result<()> {
        match command {
            BranchingCli::Branching(args) => run(args),
        }
    }
}

/// Flags of `engram branching`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The network: N binary units with K random targets each; an active unit activates each \
target in the next step with probability m/K, and h units per step (on average) are activated from \
outside, so the activity fluctuates around h/(1 − m). The MR estimate fits r_k = b·m^k to the slopes r_k \
of the regression of a(t + k) on a(t) (Wilting & Priesemann 2018); the conventional estimate is r_1, \
which subsampling biases by the factor b."
)]
pub struct BranchingArgs {
    /// Branching ratio m (expected units one active unit activates).
    #[arg(long, default_value_t = 0.98)]
    pub m: f64,
    /// External drive h: expected external activations per step.
    #[arg(long, default_value_t = 2.0)]
    pub h: f64,
    /// Number of units N.
    #[arg(long, default_value_t = 100_000)]
    pub n: usize,
    /// Targets per unit K.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Steps simulated for the estimate (after 10,000 steps of settling).
    #[arg(long, default_value_t = 200_000)]
    pub steps: usize,
    /// Fraction of the units observed (1 = all).
    #[arg(long, default_value_t = 0.01)]
    pub subsample: f64,
    /// Largest lag k of the regression, in steps.
    #[arg(long, default_value_t = 100)]
    pub k_max: usize,
    /// Also run this many avalanches of the undriven network (h = 0), each from one unit.
    #[arg(long, default_value_t = 0)]
    pub avalanches: usize,
    /// Seed of the wiring, the activity and the subsample.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `engram branching` reports.
#[derive(Debug, Serialize)]
struct BranchingReport {
    m: f64,
    h: f64,
    n: usize,
    k: usize,
    steps: usize,
    subsample: f64,
    observed_units: usize,
    k_max: usize,
    /// Mean activity of the whole network and of the subsample, per step.
    mean_activity: f64,
    mean_observed_activity: f64,
    /// h/(1 − m): the stationary mean activity of the branching process.
    theory_mean_activity: Option<f64>,
    /// The estimates (none when the observed activity never varied, e.g. without drive).
    m_mr: Option<f64>,
    b: Option<f64>,
    m_conventional: Option<f64>,
    tau_steps: Option<f64>,
    /// Avalanches of the undriven network, when asked for.
    avalanche_count: usize,
    size_exponent: Option<f64>,
    duration_exponent: Option<f64>,
    wall_s: f64,
}

/// Steps the driven network runs before it is recorded.
const SETTLING_STEPS: usize = 10_000;

/// Longest avalanche followed, in steps.
const MAX_AVALANCHE_STEPS: u64 = 10_000;

/// Runs `engram branching`.
pub fn run(args: BranchingArgs) -> anyhow::Result<()> {
    if !(args.subsample > 0.0 && args.subsample <= 1.0) {
        bail!("--subsample must be in (0, 1], not {}", args.subsample);
    }
    if !(2..=100_000_000).contains(&args.steps) || args.k_max < 2 || args.k_max >= args.steps / 2 {
        bail!(
            "--steps must be 2 to 100,000,000 and --k-max between 2 and half of it (got {} and {})",
            args.steps,
            args.k_max
        );
    }
    let started = std::time::Instant::now();
    let mut network =
        BranchingNetwork::new(args.n, args.k, args.m, args.h, args.seed).map_err(anyhow::Error::msg)?;
    record_activity(&mut network, &[], SETTLING_STEPS);
    let observed = random_subsample(args.n, args.subsample, args.seed);
    let (full, sampled) = record_activity(&mut network, &observed, args.steps);
    let estimate = estimate_branching(&sampled, args.k_max);
    if estimate.is_none() && args.avalanches == 0 {
        bail!(
            "the observed activity never varied in {} steps: observe more units or drive the network harder (--h)",
            args.steps
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mut found: Vec<Avalanche> = Vec::new();
    if args.avalanches > 0 {
        let mut undriven =
            BranchingNetwork::new(args.n, args.k, args.m, 0.0, args.seed).map_err(anyhow::Error::msg)?;
        found = avalanches(&mut undriven, args.avalanches, MAX_AVALANCHE_STEPS, args.seed);
    }
    let sizes: Vec<u64> = found.iter().map(|a| a.size).collect();
    let durations: Vec<u64> = found.iter().map(|a| a.duration).collect();
    let report = BranchingReport {
        m: args.m,
        h: args.h,
        n: args.n,
        k: args.k,
        steps: args.steps,
        subsample: args.subsample,
        observed_units: observed.len(),
        k_max: args.k_max,
        mean_activity: mean(&full),
        mean_observed_activity: mean(&sampled),
        theory_mean_activity: (args.m < 1.0).then(|| args.h / (1.0 - args.m)),
        m_mr: estimate.as_ref().map(|e| e.m_mr),
        b: estimate.as_ref().map(|e| e.b),
        m_conventional: estimate.as_ref().map(|e| e.m_conventional),
        tau_steps: estimate.as_ref().map(|e| e.tau_steps),
        avalanche_count: found.len(),
        size_exponent: power_law_exponent(&sizes, 10, 1000),
        duration_exponent: power_law_exponent(&durations, 5, 300),
        wall_s: started.elapsed().as_secs_f64(),
    };
    crate::cli::print_report(args.json, &report, || {
        let mut text = format!(
            "m = {}, h = {}: mean activity {:.2} per step (theory {}), observed {} of {} units\n",
            report.m,
            report.h,
            report.mean_activity,
            report
                .theory_mean_activity
                .map_or("none at m ≥ 1".to_string(), |a| format!("{a:.2}")),
            report.observed_units,
            report.n,
        );
        match &estimate {
            Some(e) => text.push_str(&format!(
                "MR estimate m = {:.4} (b = {:.3}, τ = {:.1} steps); conventional r_1 = {:.4}\n",
                e.m_mr, e.b, e.tau_steps, e.m_conventional
            )),
            None => text.push_str("no estimate: the observed activity never varied\n"),
        }
        if report.avalanche_count > 0 {
            let show = |x: Option<f64>| x.map_or("too few".to_string(), |a| format!("{a:.2}"));
            text.push_str(&format!(
                "{} avalanches: size exponent {} (critical 3/2), duration exponent {} (critical 2)\n",
                report.avalanche_count,
                show(report.size_exponent),
                show(report.duration_exponent)
            ));
        }
        text
    })
}
