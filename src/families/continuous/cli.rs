//! `engram continuous ...`: one retrieval of a continuous memory from a cue, and the recall of every
//! kernel on the same Gaussian patterns as their number grows.

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::model::{
    ContinuousPatternSpec, KernelKind, KernelMemory, MemoryParams, Recall, cosine, recall_fraction,
};
use super::protocol::CueParams;
use super::scene::ContinuousScene;
use crate::output::print_report;

const CONVENTIONS: &str = "Conventions: patterns are blurred 16 × 16 letters (values in [−1, 1]) or vectors of \
standard normal values. softmax: ξ ← Ξ softmax(β Ξᵀξ) (Ramsauer et al. 2020) with energy E = −β⁻¹ ln Σ_μ \
e^{β ξ_μᵀξ} + ½ξᵀξ; the kernel memories interpolate with minimum norm, ξ ← Ξ K⁻¹ k(ξ) with K_μν = k(ξ^μ, ξ^ν) \
(Iatropoulos, Brea & Gerstner 2022): gaussian k = exp(−β‖a − b‖²/2), polynomial (1 + aᵀb/N)^degree, linear \
aᵀb/N (the pseudo-inverse rule); hebbian is the linear kernel without K⁻¹, (1/N)ΞΞᵀξ. All neurons update at \
once. A cue is a pattern plus Gaussian noise of --noise times its root-mean-square value, its lower half blanked \
with --mask. In `capacity` a cue is recalled when the state ends within 5 % of the pattern's length; a memory \
whose kernel matrix is singular cannot hold the patterns at all (shown as -).";

/// The continuous-memory family's top-level subcommand.
#[derive(Debug, Subcommand)]
pub enum ContinuousCli {
    /// Continuous and kernel memories: modern Hopfield with continuous states, kernel memory networks.
    #[command(subcommand)]
    Continuous(ContinuousCommandLine),
}

/// `engram continuous ...`.
#[derive(Debug, Subcommand)]
pub enum ContinuousCommandLine {
    /// Cue a stored pattern and follow the state's similarity to every pattern.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Retrieve(RetrieveArgs),
    /// Recalled fraction against the number of patterns, for every kernel on the same patterns.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Capacity(CapacityArgs),
    /// Binary (±1) kernel memories: exact recall from flipped cues against the number of patterns.
    #[command(after_help = BINARY_CONVENTIONS, allow_negative_numbers = true)]
    Binary(BinaryArgs),
}

const BINARY_CONVENTIONS: &str = "Conventions: random ±1 patterns; x_i := sign(Σ_μ c_μ ξ_i^μ) for every neuron at once, \
with c = K⁻¹ k(x) (minimum-norm interpolation) or c = k(x) for the Hebbian network; k is a function of the overlap \
s = ξᵀx/N: Hebbian and pseudo-inverse s, polynomial (1 + s)^degree, exponential exp(β N (s − 1)), SDM the number of \
addresses within Hamming radius r of both states over those within r of one (Kanerva's memory with a location at \
every address). A cue has a fraction --flip of its bits flipped; recalled means equal to the pattern after at most \
--updates updates. - : the kernel matrix is singular (the memory cannot hold that many).";

/// Flags of `engram continuous binary`.
#[derive(Debug, Args)]
pub struct BinaryArgs {
    /// Neurons N.
    #[arg(long, default_value_t = 64)]
    pub n: usize,
    /// Numbers of patterns, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "4,8,16,32,64,128,256")]
    pub counts: Vec<usize>,
    /// Fraction of bits flipped in a cue.
    #[arg(long, default_value_t = 0.1)]
    pub flip: f64,
    /// Degree of the polynomial kernel.
    #[arg(long, default_value_t = 3)]
    pub degree: u32,
    /// β of the exponential kernel (per neuron).
    #[arg(long, default_value_t = 0.2)]
    pub beta: f64,
    /// Hamming radius of the SDM kernel (default: 3/8 of N).
    #[arg(long)]
    pub radius: Option<usize>,
    /// Updates per cue.
    #[arg(long, default_value_t = 20)]
    pub updates: usize,
    /// Seed of the patterns and the cues.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Reads a kernel name.
pub fn parse_kernel(text: &str) -> Result<KernelKind, String> {
    match text {
        "softmax" => Ok(KernelKind::Softmax),
        "gaussian" => Ok(KernelKind::Gaussian),
        "polynomial" => Ok(KernelKind::Polynomial),
        "linear" => Ok(KernelKind::Linear),
        "hebbian" => Ok(KernelKind::Hebbian),
        _ => Err(format!(
            "unknown kernel \"{text}\" (softmax, gaussian, polynomial, linear or hebbian)"
        )),
    }
}

/// Flags of `engram continuous retrieve`.
#[derive(Debug, Args)]
pub struct RetrieveArgs {
    /// Kernel: softmax, gaussian, polynomial, linear or hebbian.
    #[arg(long, default_value = "softmax", value_parser = parse_kernel)]
    pub kernel: KernelKind,
    /// Inverse temperature β (softmax, gaussian).
    #[arg(long, default_value_t = 0.05)]
    pub beta: f64,
    /// Degree of the polynomial kernel.
    #[arg(long, default_value_t = 3)]
    pub degree: u32,
    /// Letters to store (blurred glyphs).
    #[arg(long, default_value = "ACGOQHS")]
    pub letters: String,
    /// Blur of the letters, in pixels.
    #[arg(long, default_value_t = 1.0)]
    pub blur_px: f64,
    /// The pattern cued (1-based).
    #[arg(long, default_value_t = 1)]
    pub cue: usize,
    /// Noise of the cue, as a fraction of the pattern's root-mean-square value.
    #[arg(long, default_value_t = 0.5)]
    pub noise: f64,
    /// Blank the lower half of the cue.
    #[arg(long)]
    pub mask: bool,
    /// Updates to make.
    #[arg(long, default_value_t = 10)]
    pub updates: u64,
    /// Seed of the cue's noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram continuous capacity`.
#[derive(Debug, Args)]
pub struct CapacityArgs {
    /// Neurons (values per pattern) N.
    #[arg(long, default_value_t = 32)]
    pub n: usize,
    /// Numbers of patterns, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "4,8,16,32,64,128,256")]
    pub counts: Vec<usize>,
    /// Noise of the cues, per value (the patterns' values have unit variance).
    #[arg(long, default_value_t = 0.3)]
    pub noise: f64,
    /// β of the softmax and Gaussian kernels.
    #[arg(long, default_value_t = 0.1)]
    pub beta: f64,
    /// Degree of the polynomial kernel.
    #[arg(long, default_value_t = 3)]
    pub degree: u32,
    /// Updates per cue.
    #[arg(long, default_value_t = 20)]
    pub updates: usize,
    /// Seed of the patterns and the cues.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

impl crate::families::FamilyCli for super::Continuous {
    type Cli = ContinuousCli;

    fn run_cli(command: ContinuousCli) -> anyhow::Result<()> {
        match command {
            ContinuousCli::Continuous(ContinuousCommandLine::Retrieve(args)) => retrieve(args),
            ContinuousCli::Continuous(ContinuousCommandLine::Capacity(args)) => capacity(args),
            ContinuousCli::Continuous(ContinuousCommandLine::Binary(args)) => binary(args),
        }
    }
}

/// What `engram continuous retrieve` reports.
#[derive(Debug, Serialize)]
struct RetrieveReport {
    kernel: &'static str,
    beta: f64,
    labels: Vec<String>,
    /// Cosine similarity with every pattern after each update (the cue first).
    cosines: Vec<Vec<f64>>,
    /// Energy after each update (softmax only).
    energies: Vec<f64>,
    /// The pattern the state ends on (cosine ≥ 0.99), if any.
    retrieved: Option<String>,
}

fn retrieve(args: RetrieveArgs) -> anyhow::Result<()> {
    let setup = super::ContinuousSetup {
        patterns: ContinuousPatternSpec::Letters {
            letters: args.letters.clone(),
            blur_px: args.blur_px,
        },
        memory: MemoryParams {
            kernel: args.kernel,
            beta: args.beta,
            degree: args.degree,
        },
        cue: CueParams {
            pattern: args
                .cue
                .checked_sub(1)
                .ok_or_else(|| anyhow!("--cue counts from 1"))?,
            noise: args.noise,
            mask_half: args.mask,
        },
        seed: args.seed,
    };
    if args.updates > 100_000 {
        bail!("--updates must be at most 100000, not {}", args.updates);
    }
    let mut scene = ContinuousScene::build(setup).map_err(|e| anyhow!("{e}"))?;
    // The scene's own description holds its patterns and labels: no second copy built here.
    let patterns = scene
        .take_info()
        .ok_or_else(|| anyhow!("the scene did not describe itself"))?;
    let memory: &KernelMemory = scene.memory();
    let mut cosines = vec![
        patterns
            .patterns
            .iter()
            .map(|p| cosine(scene.state(), p))
            .collect::<Vec<_>>(),
    ];
    let mut energies: Vec<f64> = memory.energy(scene.state()).into_iter().collect();
    for _ in 0..args.updates {
        scene.advance(1).map_err(|e| anyhow!("{e}"))?;
        cosines.push(
            patterns
                .patterns
                .iter()
                .map(|p| cosine(scene.state(), p))
                .collect(),
        );
        if let Some(e) = scene.memory().energy(scene.state()) {
            energies.push(e);
        }
    }
    let last = cosines.last().cloned().unwrap_or_default();
    let retrieved = last
        .iter()
        .enumerate()
        .filter(|(_, c)| **c >= super::report::RETRIEVED_COSINE)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(mu, _)| patterns.labels[mu].clone());
    let report = RetrieveReport {
        kernel: args.kernel.label(),
        beta: args.beta,
        labels: patterns.labels.clone(),
        cosines,
        energies,
        retrieved,
    };
    print_report(args.json, &report, || {
        let mut text = format!(
            "{} with β = {}, cue {} ({} % noise{}):\nupdate",
            report.kernel,
            report.beta,
            report.labels[args.cue - 1],
            args.noise * 100.0,
            if args.mask { ", lower half blanked" } else { "" }
        );
        for l in &report.labels {
            text += &format!("  {l:>6}");
        }
        text += "\n";
        for (k, row) in report.cosines.iter().enumerate() {
            text += &format!("{k:>6}");
            for c in row {
                text += &format!("  {c:>6.3}");
            }
            text += "\n";
        }
        text += &match &report.retrieved {
            Some(l) => format!("ends on {l}\n"),
            None => "ends on no single pattern (cosine < 0.99 with every one)\n".into(),
        };
        text
    })
}

/// One kernel's row in `engram continuous capacity`.
#[derive(Debug, Serialize)]
struct KernelRecall {
    kernel: &'static str,
    recall: Vec<Recall>,
}

fn capacity(args: CapacityArgs) -> anyhow::Result<()> {
    if !(2..=1024).contains(&args.n) {
        bail!("--n must be between 2 and 1024, not {}", args.n);
    }
    if args.counts.is_empty() || args.counts.iter().any(|&c| !(1..=2000).contains(&c)) {
        bail!("--counts must be between 1 and 2000, not {:?}", args.counts);
    }
    if !(args.noise.is_finite() && (0.0..=10.0).contains(&args.noise)) {
        bail!("--noise must be between 0 and 10, not {}", args.noise);
    }
    let mut rows = Vec::new();
    for kernel in KernelKind::ALL {
        let params = MemoryParams {
            kernel,
            beta: args.beta,
            degree: args.degree,
        };
        let recall = args
            .counts
            .iter()
            .map(|&count| recall_fraction(params, args.n, count, args.noise, args.updates, args.seed))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("--{e}"))?;
        rows.push(KernelRecall {
            kernel: kernel.label(),
            recall,
        });
    }
    print_report(args.json, &rows, || {
        let mut text = format!(
            "N = {}, cue noise {} per value: fraction recalled\n{:<32}",
            args.n, args.noise, "patterns P"
        );
        for c in &args.counts {
            text += &format!("{c:>7}");
        }
        text += "\n";
        for row in &rows {
            text += &format!("{:<32}", row.kernel);
            for r in &row.recall {
                text += &match r.fraction {
                    Some(f) => format!("{f:>7.2}"),
                    None => format!("{:>7}", "-"),
                };
            }
            text += "\n";
        }
        text
    })
}

/// One binary kernel's row in `engram continuous binary`.
#[derive(Debug, Serialize)]
struct BinaryRow {
    kernel: String,
    /// (patterns, fraction recalled or null when the memory cannot hold them).
    recall: Vec<(usize, Option<f64>)>,
}

/// The kernels `engram continuous binary` and the Experiments window compare.
pub fn binary_kernels(
    n: usize,
    degree: u32,
    beta: f64,
    radius: Option<usize>,
) -> Vec<super::model::binary::BinaryKernel> {
    use super::model::binary::BinaryKernel;
    vec![
        BinaryKernel::Hebbian,
        BinaryKernel::PseudoInverse,
        BinaryKernel::Polynomial { degree },
        BinaryKernel::Exponential { beta },
        BinaryKernel::Sdm {
            radius: radius.unwrap_or(3 * n / 8),
        },
    ]
}

fn binary(args: BinaryArgs) -> anyhow::Result<()> {
    if !(4..=1000).contains(&args.n) {
        bail!("--n must be between 4 and 1000, not {}", args.n);
    }
    if args.counts.is_empty() || args.counts.iter().any(|&c| !(1..=2000).contains(&c)) {
        bail!("--counts must be between 1 and 2000, not {:?}", args.counts);
    }
    if !(args.flip.is_finite() && (0.0..=0.5).contains(&args.flip)) {
        bail!("--flip must be between 0 and 0.5, not {}", args.flip);
    }
    if !((1..=10).contains(&args.degree) && args.beta.is_finite() && args.beta > 0.0) {
        bail!(
            "--degree must be 1 to 10 and --beta positive (got {} and {})",
            args.degree,
            args.beta
        );
    }
    if args.radius.is_some_and(|r| r > args.n) {
        bail!("--radius must be at most --n ({})", args.n);
    }
    let mut rows = Vec::new();
    for kernel in binary_kernels(args.n, args.degree, args.beta, args.radius) {
        let recall = args
            .counts
            .iter()
            .map(|&count| {
                super::model::binary::binary_recall_fraction(
                    kernel,
                    args.n,
                    count,
                    args.flip,
                    args.updates,
                    args.seed,
                )
                .map(|f| (count, f))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("{e}"))?;
        rows.push(BinaryRow {
            kernel: kernel.label(),
            recall,
        });
    }
    print_report(args.json, &rows, || {
        let mut text = format!(
            "N = {}, {} % of bits flipped: fraction recalled exactly\n{:<32}",
            args.n,
            args.flip * 100.0,
            "patterns P"
        );
        for c in &args.counts {
            text += &format!("{c:>7}");
        }
        text += "\n";
        for row in &rows {
            text += &format!("{:<32}", row.kernel);
            for (_, f) in &row.recall {
                text += &match f {
                    Some(f) => format!("{f:>7.2}"),
                    None => format!("{:>7}", "-"),
                };
            }
            text += "\n";
        }
        text
    })
}
