//! `engram eprop train`: a recurrent spiking network trained by e-prop, trial after trial, with
//! the learning curve and the speed in synapse updates per second.

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::model::{EpropNetwork, EpropParams, Feedback, Optimizer, TaskParams, TrialResult};
use crate::output::print_report;

const CONVENTIONS: &str = "Conventions (Bellec et al. 2020 and the authors' tutorial): LIF neurons (ALIF with \
--adaptation > 0) in steps of 1 ms, τ_m = τ_out = 30 ms, threshold 0.03, reset by subtraction, frozen Poisson \
input; trials of 1 s, the weights changed after each by Adam (or gradient descent). Pattern task: the readout \
draws a sum of sines (periods 1000, 500, 333, 200 ms); NMSE = mean squared error / variance of the target. Rate \
task: the mean rate reaches --target-hz and the standard deviation of the global rate in 10 ms bins reaches \
--target-sigma-hz.";

/// The e-prop family's top-level subcommand.
#[derive(Debug, Subcommand)]
pub enum EpropCli {
    /// e-prop: a recurrent spiking network trained online to a target (Bellec et al. 2020).
    #[command(subcommand)]
    Eprop(EpropCommandLine),
}

/// `engram eprop ...`.
#[derive(Debug, Subcommand)]
pub enum EpropCommandLine {
    /// Train for a number of trials: the learning curve, the final error and the speed.
    #[command(after_help = CONVENTIONS)]
    Train(TrainArgs),
}

/// The task on the command line.
#[derive(Debug, Clone, Copy)]
pub enum TaskArg {
    /// The readout draws a sum of sines.
    Pattern,
    /// The population's rate and its spread reach targets.
    Rate,
}

/// Flags of `engram eprop train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The task.
    #[arg(long, default_value = "pattern", value_parser = parse_task)]
    pub task: TaskArg,
    /// Trials (of 1 s each).
    #[arg(long, default_value_t = 200)]
    pub trials: usize,
    /// Recurrent neurons.
    #[arg(long, default_value_t = 100)]
    pub neurons: usize,
    /// Input channels.
    #[arg(long, default_value_t = 100)]
    pub inputs: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.01)]
    pub learning_rate: f64,
    /// Adam or plain gradient descent.
    #[arg(long, default_value = "adam", value_parser = parse_optimizer)]
    pub optimizer: OptimizerArg,
    /// Random (random e-prop) or symmetric (B = W_outᵀ) feedback.
    #[arg(long, default_value = "random", value_parser = parse_feedback)]
    pub feedback: FeedbackArg,
    /// Threshold adaptation β (0: LIF).
    #[arg(long, default_value_t = 0.0)]
    pub adaptation: f64,
    /// Rate task: target mean rate, in Hz.
    #[arg(long, default_value_t = 20.0)]
    pub target_hz: f64,
    /// Rate task: target standard deviation of the global rate (10 ms bins), in Hz.
    #[arg(long, default_value_t = 5.0)]
    pub target_sigma_hz: f64,
    /// Learning-curve points: one every this many trials.
    #[arg(long, default_value_t = 10)]
    pub every: usize,
    /// Seed of the weights, the input and the target.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Optimiser on the command line.
#[derive(Debug, Clone, Copy)]
pub enum OptimizerArg {
    /// Adam.
    Adam,
    /// Plain gradient descent.
    Sgd,
}

/// Feedback on the command line.
#[derive(Debug, Clone, Copy)]
pub enum FeedbackArg {
    /// Fixed random weights.
    Random,
    /// The readout weights.
    Symmetric,
}

/// Reads a task name.
fn parse_task(text: &str) -> Result<TaskArg, String> {
    match text {
        "pattern" => Ok(TaskArg::Pattern),
        "rate" => Ok(TaskArg::Rate),
        other => Err(format!("unknown task `{other}` (choose pattern or rate)")),
    }
}

/// Reads an optimiser name.
fn parse_optimizer(text: &str) -> Result<OptimizerArg, String> {
    match text {
        "adam" => Ok(OptimizerArg::Adam),
        "sgd" => Ok(OptimizerArg::Sgd),
        other => Err(format!("unknown optimiser `{other}` (choose adam or sgd)")),
    }
}

/// Reads a feedback name.
fn parse_feedback(text: &str) -> Result<FeedbackArg, String> {
    match text {
        "random" => Ok(FeedbackArg::Random),
        "symmetric" => Ok(FeedbackArg::Symmetric),
        other => Err(format!("unknown feedback `{other}` (choose random or symmetric)")),
    }
}

impl crate::families::FamilyCli for super::Eprop {
    type Cli = EpropCli;

    fn run_cli(command: EpropCli) -> anyhow::Result<()> {
        match command {
            EpropCli::Eprop(EpropCommandLine::Train(args)) => train(args),
        }
    }
}

/// What `engram eprop train` reports.
#[derive(Debug, Serialize)]
struct TrainReport {
    task: String,
    neurons: usize,
    inputs: usize,
    trials: usize,
    /// Every --every trials, and the last.
    curve: Vec<TrialResult>,
    first_nmse: Option<f64>,
    /// Lowest NMSE over the last ten trials.
    final_nmse: Option<f64>,
    final_rate_hz: f64,
    final_sigma_hz: Option<f64>,
    wall_s: f64,
    trials_per_s: f64,
    /// Synapses × steps per second of wall time (each a trace update and a gradient term).
    synapse_updates_per_s: f64,
}

fn train(args: TrainArgs) -> anyhow::Result<()> {
    if !(1..=100_000).contains(&args.trials) {
        bail!("--trials must be between 1 and 100,000, not {}", args.trials);
    }
    if args.every == 0 {
        bail!("--every must be at least 1");
    }
    let params = EpropParams {
        n_in: args.inputs,
        n_rec: args.neurons,
        learning_rate: args.learning_rate,
        adaptation: args.adaptation,
        optimizer: match args.optimizer {
            OptimizerArg::Adam => Optimizer::Adam,
            OptimizerArg::Sgd => Optimizer::Sgd,
        },
        feedback: match args.feedback {
            FeedbackArg::Random => Feedback::Random,
            FeedbackArg::Symmetric => Feedback::Symmetric,
        },
        ..EpropParams::default()
    };
    let task = match args.task {
        TaskArg::Pattern => TaskParams::default(),
        TaskArg::Rate => TaskParams::Rate {
            target_hz: args.target_hz,
            target_sigma_hz: args.target_sigma_hz,
            bin_ms: 10,
            alpha: 1.0,
            beta: 1.0,
        },
    };
    let started = std::time::Instant::now();
    let mut network = EpropNetwork::new(params, task, args.seed).map_err(anyhow::Error::msg)?;
    let results = network.train(args.trials);
    let wall_s = started.elapsed().as_secs_f64();
    if let Some(bad) = results.iter().find(|r| !r.loss.is_finite()) {
        bail!(
            "the loss diverged at trial {}: lower --learning-rate (now {})",
            bad.trial,
            args.learning_rate
        );
    }
    let last = results.last().expect("at least one trial");
    let synapses = (params.n_rec * (params.n_in + params.n_rec)) as f64;
    let report = TrainReport {
        task: task.describe(),
        neurons: params.n_rec,
        inputs: params.n_in,
        trials: args.trials,
        curve: results
            .iter()
            .enumerate()
            .filter(|(k, _)| k % args.every == 0 || k + 1 == results.len())
            .map(|(_, r)| r.clone())
            .collect(),
        first_nmse: results[0].nmse,
        final_nmse: super::model::final_nmse(&results),
        final_rate_hz: last.rate_hz,
        final_sigma_hz: last.sigma_hz,
        wall_s,
        trials_per_s: args.trials as f64 / wall_s,
        synapse_updates_per_s: synapses * (params.trial_ms * args.trials) as f64 / wall_s,
    };
    print_report(args.json, &report, || {
        let mut text = format!(
            "e-prop, {} neurons, {} inputs, {}: {} trials in {:.1} s ({:.1} trials/s, {:.2e} synapse updates/s)\n",
            report.neurons,
            report.inputs,
            report.task,
            report.trials,
            report.wall_s,
            report.trials_per_s,
            report.synapse_updates_per_s
        );
        for r in &report.curve {
            let detail = match (r.nmse, r.sigma_hz) {
                (Some(nmse), _) => format!("NMSE {nmse:.3}"),
                (None, Some(sigma)) => format!(
                    "σ {sigma:.2} Hz{}",
                    r.branching
                        .map_or(String::new(), |m| format!(", branching ratio {m:.3}"))
                ),
                _ => String::new(),
            };
            text.push_str(&format!(
                "trial {:>5}: loss {:.4}, {detail}, rate {:.1} Hz\n",
                r.trial, r.loss, r.rate_hz
            ));
        }
        text
    })
}
