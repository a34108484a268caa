//! `engram sample`: every sampler (or the chosen ones) on a random Boltzmann distribution against
//! its exact enumeration; `engram sample learn`: a Boltzmann machine learning bars and stripes.

use std::time::Instant;

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::model::{
    Boltzmann, LearnParams, Learner, MAX_EXACT_UNITS, Sampler, SamplerKind, StateCounts, bars_and_stripes,
    is_bar_or_stripe,
};
use super::protocol::parse_clamp;
use crate::output::print_report;
use crate::rng::substream;

const CONVENTIONS: &str = "Conventions: p(z) ∝ exp((½ zᵀWz + bᵀz)/T) over z ∈ {0,1}^N, W symmetric with zero diagonal, \
W_ij ~ N(0, scale²), b_k ~ N(mean, bias-scale²), drawn from --seed. One sample per step of 1 ms: a Gibbs step is a \
sweep over the free units in random order; parallel Gibbs updates every unit from the previous state; the neural \
sampler (Buesing et al. 2011) spikes with probability σ(u_k − ln τ), u_k = (b_k + Σ_i W_ki z_i)/T, when not \
refractory, and z_k = 1 for τ steps after a spike; without the correction it uses σ(u_k). KL(sampled ‖ exact) in nats \
over the visited states, TV = ½ Σ|q − p|; exact values by enumeration for N ≤ 20. --clamp takes one character per \
unit: 1, 0 or ? (free). wall_s is the sampling loop only.";

/// The sampling family's top-level subcommand.
#[derive(Debug, Subcommand)]
pub enum SamplingCli {
    /// Sample a Boltzmann distribution by Gibbs, parallel Gibbs and neural sampling, against the exact one.
    #[command(args_conflicts_with_subcommands = true, after_help = CONVENTIONS, allow_negative_numbers = true)]
    Sample(SampleCommand),
}

/// `engram sample [learn]`.
#[derive(Debug, Args)]
pub struct SampleCommand {
    /// `learn`: a Boltzmann machine learns a data set.
    #[command(subcommand)]
    pub learn: Option<SampleSub>,
    /// Flags of the sampling run.
    #[command(flatten)]
    pub run: SampleArgs,
}

/// The subcommands under `engram sample`.
#[derive(Debug, Subcommand)]
pub enum SampleSub {
    /// Learn a data set with hidden units by the Boltzmann learning rule (exact expectations).
    Learn(LearnArgs),
}

/// Flags of `engram sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Sampler to run (repeat for several; default: all four).
    #[arg(long = "sampler", value_parser = SamplerKind::from_key)]
    pub samplers: Vec<SamplerKind>,
    /// Units N.
    #[arg(long, default_value_t = 5)]
    pub n: usize,
    /// Simulated time (one sample per ms): `2s`, `500ms`, or a bare number of seconds.
    #[arg(long, default_value = "100")]
    pub duration: crate::cli::duration::DurationArg,
    /// Standard deviation of the couplings.
    #[arg(long, default_value_t = 1.5)]
    pub weight_scale: f64,
    /// Mean of the biases.
    #[arg(long, default_value_t = -0.5)]
    pub bias_mean: f64,
    /// Standard deviation of the biases.
    #[arg(long, default_value_t = 1.0)]
    pub bias_scale: f64,
    /// Temperature T.
    #[arg(long, default_value_t = 1.0)]
    pub temperature: f64,
    /// PSP length τ of the neural samplers, in ms.
    #[arg(long, default_value_t = 20)]
    pub tau: u32,
    /// Evidence: one of 1, 0, ? per unit (e.g. 1??0?).
    #[arg(long, default_value = "")]
    pub clamp: String,
    /// Seed of W, b and the chains.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram sample learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The data: `bars-stripes:S` (every bars-and-stripes pattern on S × S pixels, S = 2 to 4;
    /// a full Boltzmann machine with exact gradients), or `letters:A,H,S` (16 × 16 letters of the
    /// Hopfield set; a restricted machine trained by contrastive divergence, CD-1).
    #[arg(long, default_value = "bars-stripes:3")]
    pub data: String,
    /// Hidden units.
    #[arg(long, default_value_t = 4)]
    pub hidden: usize,
    /// Full-batch epochs.
    #[arg(long, default_value_t = 300)]
    pub epochs: usize,
    /// Learning rate η.
    #[arg(long, default_value_t = 0.5)]
    pub learning_rate: f64,
    /// Momentum.
    #[arg(long, default_value_t = 0.8)]
    pub momentum: f64,
    /// Dream samples after learning (Gibbs sweeps of the free-running machine).
    #[arg(long, default_value_t = 1000)]
    pub dreams: usize,
    /// Seed of the initial weights and the dreams.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

impl crate::families::FamilyCli for super::Sampling {
    type Cli = SamplingCli;

    fn run_cli(command: SamplingCli) -> anyhow::Result<()> {
        match command {
            SamplingCli::Sample(SampleCommand {
                learn: Some(SampleSub::Learn(args)),
                ..
            }) => learn(args),
            SamplingCli::Sample(SampleCommand { learn: None, run }) => sample(run),
        }
    }
}

/// One sampler's result.
#[derive(Debug, Serialize)]
struct SamplerResult {
    sampler: &'static str,
    samples: u64,
    kl: Option<f64>,
    tv: Option<f64>,
    marginals: Vec<f64>,
    rate_hz: f64,
    /// Empirical probability of every state (N ≤ 10) or of the 32 most probable.
    distribution: Vec<f64>,
    wall_s: f64,
    steps_per_s: f64,
    /// Simulated time per wall time.
    speed_x_real_time: f64,
}

/// What `engram sample` reports.
#[derive(Debug, Serialize)]
struct SampleReport {
    n: usize,
    temperature: f64,
    clamp: String,
    seed: u64,
    duration_s: f64,
    /// The state index of each distribution entry (bit k = z_k).
    states: Vec<usize>,
    /// Exact probabilities of those states (N ≤ 20).
    exact: Option<Vec<f64>>,
    exact_marginals: Option<Vec<f64>>,
    samplers: Vec<SamplerResult>,
}

fn sample(args: SampleArgs) -> anyhow::Result<()> {
    let duration = args.duration.in_seconds().map_err(|e| anyhow::anyhow!(e))?;
    if !(duration.is_finite() && duration > 0.0 && duration <= 1e6) {
        bail!("--duration must be between 0 and 1,000,000 s, not {duration}");
    }
    if !(1..=1000).contains(&args.tau) {
        bail!("--tau must be between 1 and 1000 ms, not {}", args.tau);
    }
    let model = Boltzmann::random(
        args.n,
        args.weight_scale,
        args.bias_mean,
        args.bias_scale,
        args.temperature,
        args.seed,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let clamp = parse_clamp(&args.clamp, args.n).map_err(|e| anyhow::anyhow!("--{e}"))?;
    let exact = model.exact_given(&clamp);
    let states: Vec<usize> = match &exact {
        Some(e) if args.n <= 10 => (0..e.probs.len()).collect(),
        Some(e) => e.top_states(32),
        None => Vec::new(),
    };
    let kinds = if args.samplers.is_empty() {
        SamplerKind::ALL.to_vec()
    } else {
        args.samplers.clone()
    };
    let steps = (duration * 1000.0).round().max(1.0) as u64;
    let mut results = Vec::new();
    for kind in kinds {
        let mut sampler = Sampler::start(kind, &model, args.seed, 0, args.tau, &clamp);
        let mut counts = StateCounts::new(args.n);
        let mut spiked = Vec::new();
        let start = Instant::now();
        for _ in 0..steps {
            spiked.clear();
            sampler.step(&model, &clamp, &mut spiked);
            counts.add(&sampler.z);
        }
        let wall_s = start.elapsed().as_secs_f64();
        let seconds = steps as f64 / 1000.0;
        results.push(SamplerResult {
            sampler: kind.key(),
            samples: counts.total,
            kl: exact.as_ref().and_then(|e| counts.kl_to(e)),
            tv: exact.as_ref().and_then(|e| counts.tv_to(e)),
            marginals: counts.marginals(),
            rate_hz: sampler.spikes as f64 / (seconds * args.n as f64),
            distribution: states.iter().map(|&s| counts.frequency(s)).collect(),
            wall_s,
            steps_per_s: steps as f64 / wall_s.max(1e-12),
            speed_x_real_time: seconds / wall_s.max(1e-12),
        });
    }
    let report = SampleReport {
        n: args.n,
        temperature: args.temperature,
        clamp: args.clamp.clone(),
        seed: args.seed,
        duration_s: duration,
        exact: exact
            .as_ref()
            .map(|e| states.iter().map(|&s| e.probs[s]).collect()),
        exact_marginals: exact.as_ref().map(|e| e.marginals()),
        states,
        samplers: results,
    };
    print_report(args.json, &report, || {
        let mut out = format!(
            "{} units, T = {}, evidence {}, {} s simulated (one sample per ms)\n",
            report.n,
            report.temperature,
            if report.clamp.is_empty() {
                "none"
            } else {
                &report.clamp
            },
            report.duration_s
        );
        if report.n > MAX_EXACT_UNITS {
            out += "no exact reference above 20 units: marginals only\n";
        }
        for s in &report.samplers {
            let kl = s.kl.map_or("n/a".into(), |k| format!("{k:.5}"));
            let tv = s.tv.map_or("n/a".into(), |t| format!("{t:.4}"));
            out += &format!(
                "{:<19} KL {kl} nats, TV {tv}, {:.0}× real time",
                s.sampler, s.speed_x_real_time
            );
            if s.rate_hz > 0.0 {
                out += &format!(", {:.1} Hz per neuron", s.rate_hz);
            }
            out += "\n";
        }
        out
    })
}

/// What `engram sample learn` reports.
#[derive(Debug, Serialize)]
struct LearnReport {
    data: String,
    patterns: usize,
    visible: usize,
    hidden: usize,
    epochs: usize,
    /// Mean log-likelihood of the data before each epoch, nats.
    log_likelihood: Vec<f64>,
    final_log_likelihood: f64,
    /// The best possible mean log-likelihood, −ln(patterns).
    best_log_likelihood: f64,
    /// Exact probability mass the machine puts on valid patterns.
    mass_on_valid_patterns: f64,
    /// Fraction of dreams (free-running Gibbs samples of the visible units) that are valid patterns.
    valid_dream_fraction: f64,
    /// Twenty dreams spread over the run, as 0/1 rows.
    dreams: Vec<Vec<u8>>,
    wall_s: f64,
}

fn learn(args: LearnArgs) -> anyhow::Result<()> {
    if args.data.starts_with("letters:") {
        return learn_letters(&args);
    }
    let side: usize = match args.data.strip_prefix("bars-stripes:").map(str::parse) {
        Some(Ok(s)) if (2..=4).contains(&s) => s,
        _ => bail!("--data {}: expected bars-stripes:S with S = 2, 3 or 4", args.data),
    };
    if !(1..=100_000).contains(&args.epochs) {
        bail!("--epochs must be between 1 and 100,000, not {}", args.epochs);
    }
    if args.dreams > 1_000_000 {
        bail!("--dreams must be at most 1,000,000, not {}", args.dreams);
    }
    let data = bars_and_stripes(side);
    let patterns = data.len();
    let params = LearnParams {
        hidden: args.hidden,
        learning_rate: args.learning_rate,
        momentum: args.momentum,
        ..LearnParams::default()
    };
    let start = Instant::now();
    let mut learner = Learner::new(data, params, args.seed).map_err(|e| anyhow::anyhow!("{e}"))?;
    let log_likelihood: Vec<f64> = (0..args.epochs).map(|_| learner.epoch()).collect();
    let visible = learner.visible;
    let model = learner.model();
    let mut rng = substream(args.seed, 2);
    let z = model.random_state(&mut rng);
    let mut dreamer = Sampler::new(SamplerKind::Gibbs, z, 1, rng);
    let free = vec![None; learner.n()];
    let mut spiked = Vec::new();
    let (mut valid, mut dreams) = (0usize, Vec::new());
    for _ in 0..100 {
        dreamer.step(&model, &free, &mut spiked);
    }
    // Twenty dreams spread over the run (consecutive sweeps are correlated).
    let spacing = (args.dreams / 20).max(1);
    for k in 0..args.dreams {
        dreamer.step(&model, &free, &mut spiked);
        let v = &dreamer.z[..visible];
        valid += usize::from(is_bar_or_stripe(v, side));
        if k % spacing == spacing - 1 {
            dreams.push(v.to_vec());
        }
    }
    let mass: f64 = learner
        .visible_distribution()
        .iter()
        .enumerate()
        .filter(|(s, _)| {
            let v: Vec<u8> = (0..visible).map(|k| (s >> k & 1) as u8).collect();
            is_bar_or_stripe(&v, side)
        })
        .map(|(_, p)| p)
        .sum();
    let report = LearnReport {
        data: args.data.clone(),
        patterns,
        visible,
        hidden: args.hidden,
        epochs: args.epochs,
        final_log_likelihood: learner.log_likelihood(),
        best_log_likelihood: -(patterns as f64).ln(),
        log_likelihood,
        mass_on_valid_patterns: mass,
        valid_dream_fraction: if args.dreams == 0 {
            0.0
        } else {
            valid as f64 / args.dreams as f64
        },
        dreams,
        wall_s: start.elapsed().as_secs_f64(),
    };
    print_report(args.json, &report, || {
        let mut out = format!(
            "{} ({} patterns, {} visible + {} hidden units), {} epochs: log-likelihood {:.4} nats (best {:.4}); \
             {:.1} % of the machine's mass and {:.1} % of {} dreams are bars or stripes\n",
            report.data,
            report.patterns,
            report.visible,
            report.hidden,
            report.epochs,
            report.final_log_likelihood,
            report.best_log_likelihood,
            100.0 * report.mass_on_valid_patterns,
            100.0 * report.valid_dream_fraction,
            args.dreams
        );
        for d in report.dreams.iter().rev().take(5) {
            for r in 0..side {
                let row: String = d[r * side..(r + 1) * side]
                    .iter()
                    .map(|&x| if x == 1 { '█' } else { '·' })
                    .collect();
                out += &format!("  {row}");
            }
            out += "\n";
        }
        out
    })
}

/// What `engram sample learn --data letters:...` reports.
#[derive(Debug, Serialize)]
struct LettersReport {
    data: String,
    patterns: usize,
    visible: usize,
    hidden: usize,
    epochs: usize,
    /// Mean squared difference between each pattern and its one-step reconstruction, per epoch.
    reconstruction_error: Vec<f64>,
    /// For each dream (200 block Gibbs sweeps from random pixels), the fraction of pixels it shares
    /// with the nearest letter.
    dream_agreement: Vec<f64>,
    /// Fraction of dreams sharing at least 90 % of their pixels with a letter.
    letter_like_dreams: f64,
    /// Per letter: the fraction of the bottom half completed right with the top half clamped.
    completion_agreement: Vec<f64>,
    wall_s: f64,
}

fn learn_letters(args: &LearnArgs) -> anyhow::Result<()> {
    use super::model::{LETTER_LIKE, Rbm, agreement, cd_learning_rate, letters, max_agreement};
    let labels = match args.data.parse::<super::protocol::LearnData>() {
        Ok(super::protocol::LearnData::Letters(labels)) => labels,
        _ => bail!("--data {}: expected letters:A,H,S", args.data),
    };
    if !(1..=100_000).contains(&args.epochs) {
        bail!("--epochs must be between 1 and 100,000, not {}", args.epochs);
    }
    if !(1..=1000).contains(&args.hidden) {
        bail!(
            "--hidden must be between 1 and 1000 for letters, not {}",
            args.hidden
        );
    }
    if !(args.learning_rate.is_finite() && args.learning_rate > 0.0 && args.learning_rate <= 1.0) {
        bail!(
            "--learning-rate must be in (0, 1] for contrastive divergence, not {}",
            args.learning_rate
        );
    }
    let (data, width, height) = letters(&labels).map_err(|e| anyhow::anyhow!("--data {}: {e}", args.data))?;
    let visible = width * height;
    let start = Instant::now();
    let mut rbm = Rbm::new(visible, args.hidden, args.seed).map_err(|e| anyhow::anyhow!("{e}"))?;
    let reconstruction_error: Vec<f64> = (0..args.epochs)
        .map(|_| rbm.epoch(&data, cd_learning_rate(args.learning_rate), 1))
        .collect();
    let dreams = args.dreams.clamp(1, 1000);
    let mut dream_agreement = Vec::with_capacity(dreams);
    let mut shown = Vec::new();
    for k in 0..dreams {
        let from = rbm.random_visible();
        let (dream, _) = rbm.sample_from(&from, &vec![None; visible], 200);
        dream_agreement.push(max_agreement(&dream, &data));
        if k < 3 {
            shown.push(dream);
        }
    }
    let half = visible / 2;
    let completion_agreement = data
        .iter()
        .map(|d| {
            let clamp: Vec<Option<bool>> = (0..visible).map(|i| (i < half).then_some(d[i] == 1)).collect();
            let from = rbm.random_visible();
            let (_, marginals) = rbm.sample_from(&from, &clamp, 200);
            let completed: Vec<u8> = marginals.iter().map(|&m| u8::from(m > 0.5)).collect();
            agreement(&completed[half..], &d[half..])
        })
        .collect();
    let report = LettersReport {
        data: args.data.clone(),
        patterns: data.len(),
        visible,
        hidden: args.hidden,
        epochs: args.epochs,
        letter_like_dreams: dream_agreement.iter().filter(|&&a| a >= LETTER_LIKE).count() as f64
            / dreams as f64,
        reconstruction_error,
        dream_agreement,
        completion_agreement,
        wall_s: start.elapsed().as_secs_f64(),
    };
    print_report(args.json, &report, || {
        let mut out = format!(
            "{} ({} letters, {} visible + {} hidden units, restricted, CD-1), {} epochs: reconstruction error {:.4}; \
             {:.0} % of {} dreams share ≥ 90 % of their pixels with a letter; bottom halves completed from the top: {}\n",
            report.data,
            report.patterns,
            report.visible,
            report.hidden,
            report.epochs,
            report.reconstruction_error.last().copied().unwrap_or(f64::NAN),
            100.0 * report.letter_like_dreams,
            dreams,
            report
                .completion_agreement
                .iter()
                .zip(&labels)
                .map(|(a, l)| format!("{l} {:.0} %", 100.0 * a))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for row in 0..height {
            for dream in &shown {
                let line: String = dream[row * width..(row + 1) * width]
                    .iter()
                    .map(|&x| if x == 1 { '█' } else { '·' })
                    .collect();
                out += &format!("  {line}");
            }
            out += "\n";
        }
        out
    })
}
