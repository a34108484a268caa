//! `engram neuron`: one integrate-and-fire neuron driven by white noise.

use anyhow::bail;
use serde::Serialize;

use crate::analysis::lif_theory::{fokker_planck_density, lif_rate_hz, siegert_cv, siegert_rate_hz};
use crate::analysis::spike_stats::{CV_MIN_INTERVALS, IsiStats};
use crate::output::print_report;
use crate::spiking::{NeuronParams, NoisyNeuron};

/// The most steps one run may take (10,000 s at dt = 0.001 ms).
const MAX_STEPS: f64 = 1.0e10;

/// Flags of `engram neuron`.
#[derive(Debug, clap::Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Convention: τ_m dV/dt = −V + μ + σ √τ_m ξ(t) (Brunel 2000; V from rest, in mV), \
τ_m = 20 ms, threshold 20 mV, reset 10 mV, refractory 2 ms unless flags say otherwise. EIF adds \
Δ_T exp((V − V_T)/Δ_T) with V_T = 20 mV, Δ_T = 1 mV and a spike cut-off at 30 mV. LIF is integrated \
exactly (Ornstein-Uhlenbeck update), EIF with Euler-Maruyama."
)]
pub struct NeuronArgs {
    /// Neuron model: lif or eif.
    #[arg(long, default_value = "lif")]
    pub model: String,
    /// Mean input μ, in mV.
    #[arg(long, default_value_t = 15.0)]
    pub mu: f64,
    /// Noise strength σ, in mV.
    #[arg(long, default_value_t = 5.0)]
    pub sigma: f64,
    /// Simulated time: `2s`, `500ms`, or a bare number of seconds.
    #[arg(long, default_value = "10")]
    pub duration: crate::cli::duration::DurationArg,
    /// Time step, in ms.
    #[arg(long, default_value_t = 0.01)]
    pub dt_ms: f64,
    /// Membrane time constant, in ms.
    #[arg(long, default_value_t = 20.0)]
    pub tau_m_ms: f64,
    /// Threshold (LIF) or cut-off (EIF), in mV.
    #[arg(long)]
    pub threshold_mv: Option<f64>,
    /// Reset, in mV.
    #[arg(long, default_value_t = 10.0)]
    pub reset_mv: f64,
    /// Refractory period, in ms.
    #[arg(long, default_value_t = 2.0)]
    pub refractory_ms: f64,
    /// Bins of the membrane-potential histogram.
    #[arg(long, default_value_t = 40)]
    pub bins: usize,
    /// Seed of the noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct VDensity {
    edges_mv: Vec<f64>,
    density: Vec<f64>,
    theory_density: Option<Vec<f64>>,
}

#[derive(Serialize)]
struct NeuronReport {
    model: String,
    mu_mv: f64,
    sigma_mv: f64,
    duration_s: f64,
    dt_ms: f64,
    seed: u64,
    spikes: u64,
    rate_hz: f64,
    cv_isi: f64,
    rate_theory_hz: Option<f64>,
    rate_deterministic_hz: Option<f64>,
    cv_theory: Option<f64>,
    v_density: VDensity,
    wall_s: f64,
}

/// Runs `engram neuron`.
pub fn run(args: NeuronArgs) -> anyhow::Result<()> {
    let mut params = match args.model.as_str() {
        "lif" => NeuronParams::default(),
        "eif" => NeuronParams::eif(),
        other => bail!("unknown model `{other}` (choose lif or eif)"),
    };
    params.tau_m_ms = args.tau_m_ms;
    params.v_reset_mv = args.reset_mv;
    params.tau_ref_ms = args.refractory_ms;
    if let Some(threshold) = args.threshold_mv {
        params.v_threshold_mv = threshold;
    }
    let duration = args.duration.in_seconds().map_err(|e| anyhow::anyhow!(e))?;
    if !(duration.is_finite() && duration > 0.0 && duration <= 1.0e4) {
        bail!("--duration must be between 0 and 10000 s, not {duration}");
    }
    if args.bins == 0 || args.bins > 10_000 {
        bail!("--bins must be 1 to 10000");
    }
    let mut neuron = NoisyNeuron::new(params, args.mu, args.sigma, args.dt_ms)?;
    let mut rng = crate::rng::seeded(args.seed);
    let steps = (duration * 1000.0 / args.dt_ms).round();
    if steps > MAX_STEPS {
        bail!(
            "--duration {} s at --dt-ms {} is {steps:e} steps, more than engram runs ({MAX_STEPS:e})",
            duration,
            args.dt_ms
        );
    }
    let steps = steps as u64;
    let v_min = params.v_reset_mv - 2.0 * (params.v_threshold_mv - params.v_reset_mv).max(args.sigma);
    let v_max = params.v_threshold_mv;
    let width = (v_max - v_min) / args.bins as f64;
    let mut counts = vec![0u64; args.bins];
    let mut isi = IsiStats::new(1);
    let mut spikes = 0u64;
    let started = std::time::Instant::now();
    for step in 0..steps {
        if neuron.step(&mut rng) {
            spikes += 1;
            isi.push(0, step as f64 * args.dt_ms);
        }
        let bin = ((neuron.v_mv - v_min) / width).floor();
        if bin >= 0.0 && (bin as usize) < args.bins {
            counts[bin as usize] += 1;
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    let density: Vec<f64> = counts.iter().map(|&c| c as f64 / steps as f64 / width).collect();
    let lif = args.model == "lif";
    let theory = params.lif_theory();
    let theory_density = (lif && args.sigma > 0.0).then(|| {
        // Bin averages of the Fokker-Planck density, 8 sub-points per bin.
        let fine = fokker_planck_density(args.mu, args.sigma, &theory, v_min, args.bins * 8);
        fine.density
            .chunks(8)
            .map(|c| c.iter().sum::<f64>() / c.len() as f64)
            .collect()
    });
    let report = NeuronReport {
        model: args.model.clone(),
        mu_mv: args.mu,
        sigma_mv: args.sigma,
        duration_s: duration,
        dt_ms: args.dt_ms,
        seed: args.seed,
        spikes,
        rate_hz: spikes as f64 / duration,
        cv_isi: isi.mean_cv(CV_MIN_INTERVALS),
        rate_theory_hz: lif.then(|| siegert_rate_hz(args.mu, args.sigma, &theory)),
        rate_deterministic_hz: lif.then(|| lif_rate_hz(args.mu, &theory)),
        cv_theory: lif.then(|| siegert_cv(args.mu, args.sigma, &theory)),
        v_density: VDensity {
            edges_mv: (0..=args.bins).map(|k| v_min + k as f64 * width).collect(),
            density,
            theory_density,
        },
        wall_s,
    };
    print_report(args.json, &report, || {
        let mut out = format!(
            "{} neuron, μ = {} mV, σ = {} mV, {} s: {} spikes, rate {:.2} Hz, ISI CV {:.3}\n",
            report.model,
            report.mu_mv,
            report.sigma_mv,
            report.duration_s,
            report.spikes,
            report.rate_hz,
            report.cv_isi
        );
        if let Some(theory) = report.rate_theory_hz {
            out += &format!(
                "theory: Siegert rate {theory:.2} Hz, ISI CV {:.3} (deterministic f-I: {:.2} Hz)\n",
                report.cv_theory.unwrap_or(f64::NAN),
                report.rate_deterministic_hz.unwrap_or(0.0)
            );
        }
        out
    })
}
