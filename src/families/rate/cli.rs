//! `engram rate ...`: the firing-rate attractor network of Pereira & Brunel (2018): one cued
//! retrieval, overlap versus load beside mean-field theory, and the mean-field curve alone.

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::families::rate::model::{MeanField, MeanFieldPoint, RETRIEVED_OVERLAP, RateNetwork, RateParams};
use crate::families::rate::sweeps::{self as rate_sweeps, CueProtocol, LoadPoint, LoadSetup};
use crate::output::{BarProgress, print_report, progress_bar};

const CONVENTIONS: &str = "Conventions (Pereira & Brunel, Neuron 2018): τ dr_i/dt = −r_i + φ(I_i + Σ_j W_ij r_j), \
τ = 20 ms, φ(h) = r_max/(1 + exp(−β(h − h0))); patterns ξ_i^μ ~ N(0,1) are input currents, stored as rates \
φ(ξ); W_ij = A c_ij/(cN) Σ_μ f(φ(ξ_i^μ)) g(φ(ξ_j^μ)), c_ij ~ Bernoulli(c), no self-coupling; \
f(r) = (2q_f − 1 + tanh(β_f(r − x_f)))/2, g likewise with q_g set by E[g(φ(ξ))] = 0; the paper's medians \
r_max 76.2 Hz, β 0.824, h0 2.46, A 3.55, q_f 0.827, β_f = β_g 0.282 /Hz, x_f = x_g 26.6 Hz. Load α = P/(cN). \
The overlap is the Pearson correlation over neurons of the rates with g(φ(ξ^μ)). A cue is the input \
I = s·ξ^μ from t = 0 to --cue-ms, then none; the initial rates are φ(ζ) for a fresh Gaussian ζ. \
A trial is retrieved when its final overlap with the cued pattern is ≥ 0.5 and above every other; \
the pattern persists when, in addition, the overlap never fell below 0.5 after the cue. Exponential \
Euler, dt 0.5 ms. Mean field: sparse-connectivity static theory (see `engram rate theory`). \
wall_s is the simulation loop only.";

/// The rate family's top-level subcommand.
#[derive(Debug, clap::Subcommand)]
pub enum RateCli {
    /// Firing-rate attractor network (Pereira & Brunel 2018): retrieval, capacity, mean field.
    #[command(subcommand)]
    Rate(RateCommand),
}

impl crate::families::FamilyCli for super::Rate {
    type Cli = RateCli;

    fn run_cli(command: RateCli) -> anyhow::Result<()> {
        match command {
            RateCli::Rate(command) => run(command),
        }
    }
}

/// Rate-network subcommands.
#[derive(Debug, Subcommand)]
pub enum RateCommand {
    /// Cue a stored pattern, remove the cue, and follow the overlaps.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Retrieve(RetrieveArgs),
    /// Final overlap versus load α = P/(cN), simulation beside mean-field theory.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Capacity(CapacityArgs),
    /// The mean-field overlap curve and capacity alone (sigmoidal rules and their step limit).
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Theory(TheoryArgs),
}

/// Network flags shared by the simulating subcommands.
#[derive(Debug, Args)]
pub struct NetArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 5000)]
    pub n: usize,
    /// Connection probability c.
    #[arg(long, default_value_t = 0.05)]
    pub c: f64,
    /// Learning-rule amplitude A (default: the paper's median 3.55).
    #[arg(long)]
    pub amplitude: Option<f64>,
    /// How long the cue is on, from t = 0, in ms.
    #[arg(long, default_value_t = 300.0)]
    pub cue_ms: f64,
    /// Total simulated time (cue included), in ms.
    #[arg(long, default_value_t = 1500.0)]
    pub duration_ms: f64,
    /// Strength s of the cue current s·ξ^μ.
    #[arg(long, default_value_t = 1.0)]
    pub strength: f64,
    /// Seed of the patterns, wiring and initial rates.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram rate retrieve`.
#[derive(Debug, Args)]
pub struct RetrieveArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub net: NetArgs,
    /// Number of stored patterns P (default: the load --alpha, else 25).
    #[arg(long, conflicts_with = "alpha")]
    pub patterns: Option<usize>,
    /// Load α = P/(cN); P = round(α c N).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Index μ of the cued pattern.
    #[arg(long, default_value_t = 0)]
    pub pattern: usize,
}

/// Flags of `engram rate capacity`.
#[derive(Debug, Args)]
pub struct CapacityArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub net: NetArgs,
    /// Loads α = P/(cN), comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.1, 0.3, 0.5, 0.7, 0.9])]
    pub alphas: Vec<f64>,
    /// Independent networks per load.
    #[arg(long, default_value_t = 2)]
    pub trials: usize,
}

/// Flags of `engram rate theory`.
#[derive(Debug, Args)]
pub struct TheoryArgs {
    /// Loads α at which to print the overlap, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5])]
    pub alphas: Vec<f64>,
    /// Learning-rule amplitude A (default: the paper's median 3.55).
    #[arg(long)]
    pub amplitude: Option<f64>,
    /// Accepted for uniformity; the theory uses no randomness.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Runs one rate subcommand.
pub fn run(command: RateCommand) -> anyhow::Result<()> {
    match command {
        RateCommand::Retrieve(args) => retrieve(args),
        RateCommand::Capacity(args) => capacity(args),
        RateCommand::Theory(args) => theory(args),
    }
}

fn check_amplitude(amplitude: Option<f64>) -> anyhow::Result<()> {
    if let Some(a) = amplitude
        && !(a.is_finite() && (0.0..=1e4).contains(&a))
    {
        bail!("--amplitude must be between 0 and 10000, not {a}");
    }
    Ok(())
}

fn params_from(net: &NetArgs) -> anyhow::Result<RateParams> {
    if net.n < 2 {
        bail!("--n must be at least 2, not {}", net.n);
    }
    if !(net.c.is_finite() && net.c > 0.0 && net.c <= 1.0) {
        bail!("--c must be above 0 and at most 1, not {}", net.c);
    }
    check_amplitude(net.amplitude)?;
    if !(net.cue_ms.is_finite() && net.cue_ms >= 0.0) {
        bail!("--cue-ms must be at least 0, not {}", net.cue_ms);
    }
    if !(net.duration_ms.is_finite() && net.duration_ms > 0.0 && net.duration_ms <= 3.6e6) {
        bail!(
            "--duration-ms must be above 0 and at most 3600000, not {}",
            net.duration_ms
        );
    }
    if net.cue_ms > net.duration_ms {
        bail!(
            "--cue-ms ({}) must not exceed --duration-ms ({})",
            net.cue_ms,
            net.duration_ms
        );
    }
    if !(net.strength.is_finite() && net.strength.abs() <= 1e3) {
        bail!("--strength must be between -1000 and 1000, not {}", net.strength);
    }
    let defaults = RateParams::default();
    let params = RateParams {
        n: net.n,
        connection_prob: net.c,
        amplitude: net.amplitude.unwrap_or(defaults.amplitude),
        cue_strength: net.strength,
        ..defaults
    };
    // Size limits (synapse budget) are the model's; say which flags to change.
    if let Err(e) = (RateParams {
        patterns: 1,
        ..params.clone()
    })
    .validate()
    {
        bail!("--n/--c: {e}");
    }
    Ok(params)
}

fn protocol_from(net: &NetArgs, pattern: usize) -> CueProtocol {
    CueProtocol {
        pattern,
        strength: net.strength,
        cue_ms: net.cue_ms,
        duration_ms: net.duration_ms,
        sample_ms: 10.0,
    }
}

#[derive(Serialize)]
struct RetrieveReport {
    n: usize,
    c: f64,
    patterns: usize,
    alpha: f64,
    amplitude: f64,
    q_g: f64,
    seed: u64,
    pattern: usize,
    strength: f64,
    cue_ms: f64,
    duration_ms: f64,
    synapses: usize,
    times_ms: Vec<f64>,
    overlap_trace: Vec<f64>,
    best_other_trace: Vec<f64>,
    overlap_at_cue_end: f64,
    min_overlap_after_cue: f64,
    final_overlap: f64,
    final_overlaps: Vec<f64>,
    retrieved: bool,
    persists: bool,
    mean_field_overlap: f64,
    mean_field_rate_hz: f64,
    alpha_c_theory: f64,
    mean_rate_hz: f64,
    std_rate_hz: f64,
    max_rate_hz: f64,
    build_s: f64,
    wall_s: f64,
    steps: u64,
    steps_per_s: f64,
    synaptic_events_per_s: f64,
    wall_s_per_bio_s: f64,
}

fn retrieve(args: RetrieveArgs) -> anyhow::Result<()> {
    let mut params = params_from(&args.net)?;
    params.patterns = match (args.patterns, args.alpha) {
        (Some(0), _) => bail!("--patterns must be at least 1"),
        (Some(p), _) => p,
        (None, Some(a)) if !(a.is_finite() && a > 0.0) => bail!("--alpha must be above 0, not {a}"),
        (None, Some(a)) => params.patterns_at(a),
        (None, None) => RateParams::default().patterns,
    };
    if let Err(e) = params.validate() {
        bail!("--patterns/--alpha: {e}");
    }
    if args.pattern >= params.patterns {
        bail!(
            "--pattern must be below the number of stored patterns ({}), not {}",
            params.patterns,
            args.pattern
        );
    }
    let protocol = protocol_from(&args.net, args.pattern);
    let build_started = std::time::Instant::now();
    let mut network = RateNetwork::new(&params, args.net.seed)?;
    let build_s = build_started.elapsed().as_secs_f64();
    let run = rate_sweeps::cued_run(&mut network, &protocol)?;
    let theory = MeanField::new(&params.transfer(), network.rule());
    let branch = theory.branch();
    let mf = theory.solve_on(&branch, params.load());
    let final_overlap = run.final_overlaps[args.pattern];
    let persists = run.retrieved && run.min_overlap_after_cue >= RETRIEVED_OVERLAP;
    let report = RetrieveReport {
        n: params.n,
        c: params.connection_prob,
        patterns: params.patterns,
        alpha: params.load(),
        amplitude: params.amplitude,
        q_g: network.rule().q_g,
        seed: args.net.seed,
        pattern: args.pattern,
        strength: protocol.strength,
        cue_ms: protocol.cue_ms,
        duration_ms: protocol.duration_ms,
        synapses: network.n_synapses(),
        times_ms: run.times_ms.clone(),
        overlap_trace: run.cued_overlap.clone(),
        best_other_trace: run.best_other_overlap.clone(),
        overlap_at_cue_end: run.overlap_at_cue_end,
        min_overlap_after_cue: run.min_overlap_after_cue,
        final_overlap,
        final_overlaps: run.final_overlaps.clone(),
        retrieved: run.retrieved,
        persists,
        mean_field_overlap: mf.overlap,
        mean_field_rate_hz: mf.mean_rate_hz,
        alpha_c_theory: branch.iter().map(|p| p.alpha).fold(0.0, f64::max),
        mean_rate_hz: run.mean_rate_hz,
        std_rate_hz: run.std_rate_hz,
        max_rate_hz: run.max_rate_hz,
        build_s,
        wall_s: run.wall_s,
        steps: run.steps,
        steps_per_s: run.steps as f64 / run.wall_s.max(1e-12),
        synaptic_events_per_s: run.steps as f64 * network.n_synapses() as f64 / run.wall_s.max(1e-12),
        wall_s_per_bio_s: run.wall_s / (protocol.duration_ms / 1000.0),
    };
    print_report(args.net.json, &report, || retrieve_text(&report))
}

fn retrieve_text(r: &RetrieveReport) -> String {
    let mut out = format!(
        "rate network: N = {}, c = {}, P = {} (α = {:.4}), A = {:.4}, q_g = {:.4}, {} synapses, seed {}\n\
         cue: pattern {} at strength {} for {} ms of {} ms\n\
         t (ms)   overlap  best other\n",
        r.n,
        r.c,
        r.patterns,
        r.alpha,
        r.amplitude,
        r.q_g,
        r.synapses,
        r.seed,
        r.pattern,
        r.strength,
        r.cue_ms,
        r.duration_ms
    );
    let stride = (r.times_ms.len() / 15).max(1);
    for k in (0..r.times_ms.len()).filter(|k| k % stride == 0 || *k + 1 == r.times_ms.len()) {
        out += &format!(
            "{:7.0}  {:7.4}  {:9.4}\n",
            r.times_ms[k], r.overlap_trace[k], r.best_other_trace[k]
        );
    }
    out += &format!(
        "overlap at cue end {:.4}, lowest after cue {:.4}, final {:.4} (mean field {:.4}; α_c = {:.4})\n\
         retrieved: {}, persists: {}\n\
         rates: mean {:.2} Hz (mean field {:.2}), sd {:.2} Hz, max {:.2} Hz\n\
         {} steps in {:.3} s ({:.0} steps/s, {:.3e} synaptic events/s, {:.3} s per biological s); build {:.3} s\n",
        r.overlap_at_cue_end,
        r.min_overlap_after_cue,
        r.final_overlap,
        r.mean_field_overlap,
        r.alpha_c_theory,
        r.retrieved,
        r.persists,
        r.mean_rate_hz,
        r.mean_field_rate_hz,
        r.std_rate_hz,
        r.max_rate_hz,
        r.steps,
        r.wall_s,
        r.steps_per_s,
        r.synaptic_events_per_s,
        r.wall_s_per_bio_s,
        r.build_s
    );
    out
}

#[derive(Serialize)]
struct CapacityReport {
    n: usize,
    c: f64,
    amplitude: f64,
    seed: u64,
    trials: usize,
    cue_ms: f64,
    duration_ms: f64,
    strength: f64,
    alpha_c_theory: f64,
    points: Vec<LoadPoint>,
}

fn capacity(args: CapacityArgs) -> anyhow::Result<()> {
    let params = params_from(&args.net)?;
    if args.trials == 0 {
        bail!("--trials must be at least 1");
    }
    if args.alphas.is_empty() || args.alphas.iter().any(|&a| !(a.is_finite() && a > 0.0)) {
        bail!("--alphas must be positive numbers, e.g. 0.1,0.3,0.5");
    }
    for &a in &args.alphas {
        if let Err(e) = (RateParams {
            patterns: params.patterns_at(a),
            ..params.clone()
        })
        .validate()
        {
            bail!("--alphas: at α = {a}: {e}");
        }
    }
    let setup = LoadSetup {
        params: params.clone(),
        protocol: protocol_from(&args.net, 0),
        trials: args.trials,
        seed: args.net.seed,
    };
    let mut bar = BarProgress(progress_bar(args.alphas.len() * args.trials, "capacity"));
    let sweep = rate_sweeps::load_sweep(&setup, &args.alphas, &mut bar)?;
    bar.0.finish_and_clear();
    let report = CapacityReport {
        n: params.n,
        c: params.connection_prob,
        amplitude: params.amplitude,
        seed: args.net.seed,
        trials: args.trials,
        cue_ms: args.net.cue_ms,
        duration_ms: args.net.duration_ms,
        strength: args.net.strength,
        alpha_c_theory: sweep.alpha_c_theory,
        points: sweep.points,
    };
    print_report(args.net.json, &report, || {
        let mut out = format!(
            "overlap versus load, N = {}, c = {}, A = {:.4}, {} trials per load (mean-field α_c = {:.4})\n\
             alpha    P   overlap (sd)       retrieved  mean field\n",
            report.n, report.c, report.amplitude, report.trials, report.alpha_c_theory
        );
        for p in &report.points {
            out += &format!(
                "{:6.3} {:4}   {:7.4} ({:6.4})   {:8.2}   {:8.4}\n",
                p.alpha,
                p.patterns,
                p.mean_overlap,
                p.std_overlap,
                p.retrieved_fraction,
                p.mean_field_overlap
            );
        }
        out
    })
}

#[derive(Serialize)]
struct TheoryReport {
    amplitude: f64,
    q_g: f64,
    gamma: f64,
    alpha_c: f64,
    alpha_c_step_limit: f64,
    q_g_step_limit: f64,
    points: Vec<MeanFieldPoint>,
    step_limit_points: Vec<MeanFieldPoint>,
}

fn theory(args: TheoryArgs) -> anyhow::Result<()> {
    check_amplitude(args.amplitude)?;
    if args.alphas.is_empty() || args.alphas.iter().any(|&a| !(a.is_finite() && a > 0.0)) {
        bail!("--alphas must be positive numbers, e.g. 0.1,0.3,0.5");
    }
    let defaults = RateParams::default();
    let params = RateParams {
        amplitude: args.amplitude.unwrap_or(defaults.amplitude),
        ..defaults
    };
    let transfer = params.transfer();
    let rule = params.rule();
    let step = rule.step_limit(&transfer);
    let smooth = MeanField::new(&transfer, &rule);
    let stepped = MeanField::new(&transfer, &step);
    let (branch, step_branch) = (smooth.branch(), stepped.branch());
    let max_alpha = |b: &[MeanFieldPoint]| b.iter().map(|p| p.alpha).fold(0.0, f64::max);
    let report = TheoryReport {
        amplitude: params.amplitude,
        q_g: rule.q_g,
        gamma: smooth.gamma(),
        alpha_c: max_alpha(&branch),
        alpha_c_step_limit: max_alpha(&step_branch),
        q_g_step_limit: step.q_g,
        points: args.alphas.iter().map(|&a| smooth.solve_on(&branch, a)).collect(),
        step_limit_points: args
            .alphas
            .iter()
            .map(|&a| stepped.solve_on(&step_branch, a))
            .collect(),
    };
    print_report(args.json, &report, || {
        let mut out = format!(
            "static mean field, A = {:.4}: q_g = {:.6}, γ = A²E[f²]E[g²] = {:.4}, α_c = {:.4}; step-function rules: q_g = {:.6}, α_c = {:.4}\n\
             alpha   overlap  rate (Hz)  Δ0        | step: overlap  rate (Hz)\n",
            report.amplitude,
            report.q_g,
            report.gamma,
            report.alpha_c,
            report.q_g_step_limit,
            report.alpha_c_step_limit
        );
        for (p, s) in report.points.iter().zip(&report.step_limit_points) {
            out += &format!(
                "{:6.3}  {:7.4}  {:9.3}  {:9.3} |       {:7.4}  {:9.3}\n",
                p.alpha, p.overlap, p.mean_rate_hz, p.delta0, s.overlap, s.mean_rate_hz
            );
        }
        out
    })
}
