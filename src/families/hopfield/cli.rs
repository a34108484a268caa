//! `engram hopfield ...`: capacity, basins, stability, temperature, dense recall, and one recall.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::sweeps::{self as hopfield_sweeps, RecallPoint, RecallSetup, TemperaturePoint};
use crate::analysis::hopfield_theory::{AGS_CRITICAL_LOAD, unstable_fraction};
use crate::hopfield::{DenseUpdate, HopfieldSim, LearningRule, PatternSet, UpdateMode};
use crate::output::{BarProgress, print_report, progress_bar};

const CONVENTIONS: &str = "Conventions: states are ±1; Hebbian weights J_ij = (1/N) Σ_μ ξ_i ξ_j with J_ii = 0; \
asynchronous sweeps visit every neuron once in a fresh random order; at T = 0 a neuron with h_i = 0 keeps its \
state and a run ends after a sweep with no flip (or 100 sweeps); a trial is retrieved when the final overlap with \
the cued pattern is ≥ 0.9; --cue-flip F flips exactly round(F·N) bits; Glauber dynamics: \
P(s_i = +1) = 1/(1 + exp(−2 h_i / T)), so T_c = 1.";

/// The Hopfield family's top-level subcommand.
#[derive(Debug, clap::Subcommand)]
pub enum HopfieldCli {
    /// Hopfield network experiments (capacity, stability, temperature, dense).
    #[command(subcommand)]
    Hopfield(HopfieldCommand),
}

impl crate::families::FamilyCli for super::Hopfield {
    type Cli = HopfieldCli;

    fn run_cli(command: HopfieldCli) -> anyhow::Result<()> {
        match command {
            HopfieldCli::Hopfield(command) => run(command),
        }
    }
}

/// Hopfield subcommands.
#[derive(Debug, Subcommand)]
pub enum HopfieldCommand {
    /// Retrieval versus load α = P/N (the capacity curve).
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Capacity(CapacityArgs),
    /// Retrieval versus cue corruption at a fixed load (basins of attraction).
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Basins(BasinArgs),
    /// Fraction of stored bits that one update would flip, against Φ(−1/√α).
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Stability(StabilityArgs),
    /// Time-averaged overlap versus Glauber temperature, against m = tanh(m/T).
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Temperature(TemperatureArgs),
    /// Recall by a modern (dense) Hopfield network.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Dense(DenseArgs),
    /// One recall of a built-in pattern, printed as grids.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Recall(RecallArgs),
}

/// Flags every Hopfield subcommand shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Seed of every random choice.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram hopfield capacity`.
#[derive(Debug, Args)]
pub struct CapacityArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 500)]
    pub n: usize,
    /// Loads α = P/N, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.05, 0.1, 0.12, 0.14, 0.16, 0.2, 0.3])]
    pub alphas: Vec<f64>,
    /// Independent pattern sets per load.
    #[arg(long, default_value_t = 10)]
    pub trials: usize,
    /// Fraction of bits flipped in the cue.
    #[arg(long, default_value_t = 0.1)]
    pub cue_flip: f64,
    /// Learning rule: hebb, storkey or pseudo-inverse.
    #[arg(long, default_value = "hebb")]
    pub rule: LearningRule,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Flags of `engram hopfield basins`.
#[derive(Debug, Args)]
pub struct BasinArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 500)]
    pub n: usize,
    /// Load α = P/N.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Cue corruptions (fraction of bits flipped), comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5])]
    pub flips: Vec<f64>,
    /// Independent pattern sets per point.
    #[arg(long, default_value_t = 10)]
    pub trials: usize,
    /// Learning rule: hebb, storkey or pseudo-inverse.
    #[arg(long, default_value = "hebb")]
    pub rule: LearningRule,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Flags of `engram hopfield stability`.
#[derive(Debug, Args)]
pub struct StabilityArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 1000)]
    pub n: usize,
    /// Load α = P/N.
    #[arg(long, default_value_t = 0.138)]
    pub alpha: f64,
    /// Learning rule: hebb, storkey or pseudo-inverse.
    #[arg(long, default_value = "hebb")]
    pub rule: LearningRule,
    /// Independent pattern sets.
    #[arg(long, default_value_t = 3)]
    pub trials: usize,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Flags of `engram hopfield temperature`.
#[derive(Debug, Args)]
pub struct TemperatureArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 1000)]
    pub n: usize,
    /// Number of stored patterns P (mean field assumes P ≪ N).
    #[arg(long, default_value_t = 1)]
    pub patterns: usize,
    /// Temperatures, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.3])]
    pub temperatures: Vec<f64>,
    /// Sweeps averaged per temperature.
    #[arg(long, default_value_t = 200)]
    pub sweeps: usize,
    /// Sweeps discarded before averaging.
    #[arg(long, default_value_t = 50)]
    pub burn_in: usize,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Flags of `engram hopfield dense`.
#[derive(Debug, Args)]
pub struct DenseArgs {
    /// Number of neurons N.
    #[arg(long, default_value_t = 100)]
    pub n: usize,
    /// Number of stored patterns P.
    #[arg(long, default_value_t = 1000)]
    pub patterns: usize,
    /// Fraction of bits flipped in the cue.
    #[arg(long, default_value_t = 0.1)]
    pub cue_flip: f64,
    /// Update: hebb, poly:K, exp or softmax.
    #[arg(long, default_value = "exp")]
    pub update: DenseUpdate,
    /// Inverse temperature β of the softmax update.
    #[arg(long, default_value_t = 1.0)]
    pub beta: f64,
    /// Trials (independent pattern sets).
    #[arg(long, default_value_t = 10)]
    pub trials: usize,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Flags of `engram hopfield recall`.
#[derive(Debug, Args)]
pub struct RecallArgs {
    /// Built-in set: letters, digits or symbols; or a pattern file (text grid or PNG).
    #[arg(long, default_value = "letters")]
    pub set: String,
    /// Labels to store, comma separated (default: A,H,S for letters, else all).
    #[arg(long, value_delimiter = ',')]
    pub store: Vec<String>,
    /// Label of the pattern to cue.
    #[arg(long, default_value = "A")]
    pub pattern: String,
    /// Fraction of bits flipped in the cue.
    #[arg(long, default_value_t = 0.3)]
    pub cue_flip: f64,
    /// Learning rule: hebb, storkey or pseudo-inverse.
    #[arg(long, default_value = "hebb")]
    pub rule: LearningRule,
    /// Glauber temperature (0: deterministic).
    #[arg(long, default_value_t = 0.0)]
    pub temperature: f64,
    /// Sweeps at most.
    #[arg(long, default_value_t = 50)]
    pub sweeps: usize,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonArgs,
}

/// Runs a Hopfield subcommand.
pub fn run(command: HopfieldCommand) -> anyhow::Result<()> {
    match command {
        HopfieldCommand::Capacity(args) => capacity(args),
        HopfieldCommand::Basins(args) => basins(args),
        HopfieldCommand::Stability(args) => stability(args),
        HopfieldCommand::Temperature(args) => temperature(args),
        HopfieldCommand::Dense(args) => dense(args),
        HopfieldCommand::Recall(args) => recall(args),
    }
}

fn check_n(n: usize) -> anyhow::Result<()> {
    if n == 0 {
        bail!("--n must be at least 1");
    }
    crate::hopfield::learning::check_fits(n)?;
    Ok(())
}

fn check_fraction(name: &str, f: f64) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&f) {
        bail!("{name} must be between 0 and 1, not {f}");
    }
    Ok(())
}

fn check_trials(trials: usize) -> anyhow::Result<()> {
    if trials == 0 {
        bail!("--trials must be at least 1");
    }
    Ok(())
}

fn check_rule_load(rule: LearningRule, patterns: usize, n: usize) -> anyhow::Result<()> {
    if rule == LearningRule::PseudoInverse && patterns > n {
        bail!("the pseudo-inverse rule stores at most N = {n} patterns, not {patterns} (α ≤ 1)");
    }
    Ok(())
}

#[derive(Serialize)]
struct CapacityReport {
    rule: LearningRule,
    n: usize,
    cue_flip: f64,
    seed: u64,
    critical_load_theory: f64,
    points: Vec<RecallPoint>,
}

fn recall_table(points: &[RecallPoint]) -> String {
    let mut out = String::from("  alpha  patterns  cue_flip  retrieved  mean_overlap\n");
    for p in points {
        out += &format!(
            "  {:5.3}  {:8}  {:8.2}  {:9.2}  {:12.3}\n",
            p.alpha, p.patterns, p.cue_flip, p.retrieved_fraction, p.mean_overlap
        );
    }
    out
}

fn capacity(args: CapacityArgs) -> anyhow::Result<()> {
    check_n(args.n)?;
    check_fraction("--cue-flip", args.cue_flip)?;
    check_trials(args.trials)?;
    if args.alphas.is_empty() || args.alphas.iter().any(|&a| !(a.is_finite() && a > 0.0)) {
        bail!("--alphas must be positive numbers, e.g. 0.05,0.1,0.2");
    }
    for &a in &args.alphas {
        check_rule_load(args.rule, hopfield_sweeps::patterns_at(a, args.n), args.n)?;
    }
    let setup = RecallSetup {
        n: args.n,
        rule: args.rule,
        update: UpdateMode::Classical,
        trials: args.trials,
        seed: args.common.seed,
    };
    let mut bar = BarProgress(progress_bar(args.alphas.len() * args.trials, "capacity"));
    let points = hopfield_sweeps::capacity_sweep(&setup, &args.alphas, args.cue_flip, &mut bar)?;
    bar.0.finish_and_clear();
    let report = CapacityReport {
        rule: args.rule,
        n: args.n,
        cue_flip: args.cue_flip,
        seed: args.common.seed,
        critical_load_theory: AGS_CRITICAL_LOAD,
        points,
    };
    print_report(args.common.json, &report, || {
        format!(
            "capacity of the {} rule, N = {}, cue flip {} (theory: Hebbian recall collapses near α = {AGS_CRITICAL_LOAD})\n{}",
            report.rule,
            report.n,
            report.cue_flip,
            recall_table(&report.points)
        )
    })
}

#[derive(Serialize)]
struct BasinReport {
    rule: LearningRule,
    n: usize,
    alpha: f64,
    seed: u64,
    points: Vec<RecallPoint>,
}

fn basins(args: BasinArgs) -> anyhow::Result<()> {
    check_n(args.n)?;
    check_trials(args.trials)?;
    if !(args.alpha.is_finite() && args.alpha > 0.0) {
        bail!("--alpha must be positive, not {}", args.alpha);
    }
    for &f in &args.flips {
        check_fraction("every --flips value", f)?;
    }
    check_rule_load(
        args.rule,
        hopfield_sweeps::patterns_at(args.alpha, args.n),
        args.n,
    )?;
    let setup = RecallSetup {
        n: args.n,
        rule: args.rule,
        update: UpdateMode::Classical,
        trials: args.trials,
        seed: args.common.seed,
    };
    let mut bar = BarProgress(progress_bar(args.flips.len() * args.trials, "basins"));
    let points = hopfield_sweeps::basin_sweep(&setup, args.alpha, &args.flips, &mut bar)?;
    bar.0.finish_and_clear();
    let report = BasinReport {
        rule: args.rule,
        n: args.n,
        alpha: args.alpha,
        seed: args.common.seed,
        points,
    };
    print_report(args.common.json, &report, || {
        format!(
            "basins of the {} rule, N = {}, α = {}\n{}",
            report.rule,
            report.n,
            report.alpha,
            recall_table(&report.points)
        )
    })
}

#[derive(Serialize)]
struct StabilityReport {
    rule: LearningRule,
    n: usize,
    alpha: f64,
    patterns: usize,
    trials: usize,
    seed: u64,
    unstable_fraction: f64,
    unstable_fraction_theory: f64,
}

fn stability(args: StabilityArgs) -> anyhow::Result<()> {
    check_n(args.n)?;
    check_trials(args.trials)?;
    if !(args.alpha.is_finite() && args.alpha > 0.0) {
        bail!("--alpha must be positive, not {}", args.alpha);
    }
    let patterns = hopfield_sweeps::patterns_at(args.alpha, args.n);
    check_rule_load(args.rule, patterns, args.n)?;
    let measured =
        hopfield_sweeps::unstable_fraction(args.n, args.alpha, args.rule, args.trials, args.common.seed)?;
    let report = StabilityReport {
        rule: args.rule,
        n: args.n,
        alpha: args.alpha,
        patterns,
        trials: args.trials,
        seed: args.common.seed,
        unstable_fraction: measured,
        unstable_fraction_theory: unstable_fraction(args.alpha),
    };
    print_report(args.common.json, &report, || {
        format!(
            "{} rule, N = {}, α = {} ({} patterns): {:.5} of stored bits would flip (Hebbian theory Φ(−1/√α) = {:.5})\n",
            report.rule,
            report.n,
            report.alpha,
            report.patterns,
            report.unstable_fraction,
            report.unstable_fraction_theory
        )
    })
}

#[derive(Serialize)]
struct TemperatureReport {
    n: usize,
    patterns: usize,
    sweeps: usize,
    burn_in: usize,
    seed: u64,
    points: Vec<TemperaturePoint>,
}

fn temperature(args: TemperatureArgs) -> anyhow::Result<()> {
    check_n(args.n)?;
    if args.patterns == 0 {
        bail!("--patterns must be at least 1");
    }
    if args.temperatures.is_empty() || args.temperatures.iter().any(|&t| !(t.is_finite() && t >= 0.0)) {
        bail!("--temperatures must be numbers ≥ 0, e.g. 0.5,1.0,1.5");
    }
    if args.sweeps == 0 {
        bail!("--sweeps must be at least 1");
    }
    let mut bar = BarProgress(progress_bar(args.temperatures.len(), "temperature"));
    let points = hopfield_sweeps::temperature_sweep(
        args.n,
        args.patterns,
        &args.temperatures,
        args.sweeps,
        args.burn_in,
        LearningRule::Hebb,
        args.common.seed,
        &mut bar,
    )?;
    bar.0.finish_and_clear();
    let report = TemperatureReport {
        n: args.n,
        patterns: args.patterns,
        sweeps: args.sweeps,
        burn_in: args.burn_in,
        seed: args.common.seed,
        points,
    };
    print_report(args.common.json, &report, || {
        let mut out = format!(
            "Glauber dynamics, N = {}, P = {}\n  T      overlap  mean-field m = tanh(m/T)\n",
            report.n, report.patterns
        );
        for p in &report.points {
            out += &format!(
                "  {:5.2}  {:7.3}  {:7.3}\n",
                p.temperature, p.overlap, p.mean_field
            );
        }
        out
    })
}

#[derive(Serialize)]
struct DenseReport {
    update: String,
    n: usize,
    patterns: usize,
    alpha: f64,
    cue_flip: f64,
    trials: usize,
    seed: u64,
    exact_recall_fraction: f64,
    retrieved_fraction: f64,
    mean_overlap: f64,
}

fn dense(args: DenseArgs) -> anyhow::Result<()> {
    check_n(args.n)?;
    check_fraction("--cue-flip", args.cue_flip)?;
    check_trials(args.trials)?;
    if args.patterns == 0 {
        bail!("--patterns must be at least 1");
    }
    let update = match args.update {
        DenseUpdate::Softmax { .. } => DenseUpdate::Softmax { beta: args.beta },
        other => other,
    };
    update.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut bar = BarProgress(progress_bar(args.trials, "dense recall"));
    let point = hopfield_sweeps::dense_recall(
        args.n,
        args.patterns,
        args.cue_flip,
        update,
        args.trials,
        args.common.seed,
        &mut bar,
    )?;
    bar.0.finish_and_clear();
    let report = DenseReport {
        update: update.to_string(),
        n: args.n,
        patterns: args.patterns,
        alpha: args.patterns as f64 / args.n as f64,
        cue_flip: args.cue_flip,
        trials: args.trials,
        seed: args.common.seed,
        exact_recall_fraction: point.exact_recall_fraction,
        retrieved_fraction: point.retrieved_fraction,
        mean_overlap: point.mean_overlap,
    };
    print_report(args.common.json, &report, || {
        format!(
            "dense network ({}), N = {}, P = {} (α = {}): exact recall {:.2}, retrieved {:.2}, mean overlap {:.3}\n",
            report.update,
            report.n,
            report.patterns,
            report.alpha,
            report.exact_recall_fraction,
            report.retrieved_fraction,
            report.mean_overlap
        )
    })
}

#[derive(Serialize)]
struct RecallReport {
    set: String,
    stored: Vec<String>,
    cued_pattern: String,
    rule: LearningRule,
    cue_flip: f64,
    temperature: f64,
    seed: u64,
    sweeps: usize,
    converged: bool,
    energy_start: f64,
    energy_end: f64,
    overlaps: Vec<f64>,
    classification: String,
    cue: Vec<String>,
    final_state: Vec<String>,
}

fn grid_rows(state: &[i8], width: usize) -> Vec<String> {
    state
        .chunks(width)
        .map(|row| row.iter().map(|&s| if s > 0 { '#' } else { '.' }).collect())
        .collect()
}

fn load_set(name: &str) -> anyhow::Result<PatternSet> {
    if PatternSet::builtin_names().contains(&name) {
        return Ok(PatternSet::builtin(name)?);
    }
    let bytes = std::fs::read(name)
        .with_context(|| format!("`{name}` is neither a built-in set nor a readable file"))?;
    if name.to_ascii_lowercase().ends_with(".png") {
        return Ok(PatternSet::from_png(&bytes, name)?);
    }
    let text = String::from_utf8(bytes).with_context(|| format!("{name} is not a text file"))?;
    Ok(PatternSet::parse(&text, name)?)
}

fn recall(args: RecallArgs) -> anyhow::Result<()> {
    check_fraction("--cue-flip", args.cue_flip)?;
    if !(args.temperature.is_finite() && args.temperature >= 0.0) {
        bail!("--temperature must be ≥ 0, not {}", args.temperature);
    }
    let full = load_set(&args.set)?;
    let store: Vec<String> = if !args.store.is_empty() {
        args.store.clone()
    } else if args.set == "letters" {
        ["A", "H", "S"].map(String::from).to_vec()
    } else {
        full.labels.clone()
    };
    let set = full.select(&store)?;
    let cued = set
        .labels
        .iter()
        .position(|l| *l == args.pattern)
        .with_context(|| {
            format!(
                "--pattern {} is not among the stored patterns ({})",
                args.pattern,
                set.labels.join(",")
            )
        })?;
    let width = set.width;
    let mut rng = crate::rng::substream(args.common.seed, 7);
    let cue = crate::hopfield::cue::flip_fraction(&set.patterns[cued], args.cue_flip, &mut rng)?;
    let mut sim = HopfieldSim::new(set, args.rule, args.common.seed)?;
    sim.set_state(&cue)?;
    sim.set_temperature(args.temperature);
    let energy_start = sim.energy();
    let (sweeps, converged) = if args.temperature > 0.0 {
        (0..args.sweeps).for_each(|_| {
            sim.sweep();
        });
        (args.sweeps, false)
    } else {
        sim.run_to_fixed_point(args.sweeps)
    };
    let report = RecallReport {
        set: args.set.clone(),
        stored: sim.patterns().labels.clone(),
        cued_pattern: args.pattern.clone(),
        rule: args.rule,
        cue_flip: args.cue_flip,
        temperature: args.temperature,
        seed: args.common.seed,
        sweeps,
        converged,
        energy_start,
        energy_end: sim.energy(),
        overlaps: sim.overlaps(),
        classification: sim.classify().describe(&sim.patterns().labels),
        cue: grid_rows(&cue, width),
        final_state: grid_rows(sim.state(), width),
    };
    print_report(args.common.json, &report, || {
        let mut out = format!(
            "cue: {} with {:.0} % of bits flipped        after {} sweeps: {}\n",
            report.cued_pattern,
            100.0 * report.cue_flip,
            report.sweeps,
            report.classification
        );
        for (a, b) in report.cue.iter().zip(&report.final_state) {
            out += &format!("  {a}    {b}\n");
        }
        out += &format!("energy {:.2} -> {:.2}\n", report.energy_start, report.energy_end);
        for (label, m) in report.stored.iter().zip(&report.overlaps) {
            out += &format!("  overlap with {label}: {m:+.3}\n");
        }
        out
    })
}
