//! `engram cell ...`: one neuron under a current protocol, the f-I curves of the four models beside
//! each other, and the AdEx firing patterns of Naud et al. (2008).

use std::time::Instant;

use anyhow::anyhow;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::model::analysis::rheobase_search;
use super::model::{
    AdexPreset, CellKind, CellParams, FiPoint, FiringPattern, InputShape, Stimulus, classify_firing,
    fi_curve, hh, phase_plane, rheobase, simulate,
};
use super::scene::{FI_DT_MS, FI_DURATION_MS, FI_RELATIVE};
use crate::output::print_report;

const CONVENTIONS: &str = "Conventions: Hodgkin-Huxley (1952) in the modern convention with the rate functions of \
Dayan & Abbott (2001) at 6.3 °C: g_Na 120, g_K 36, g_L 0.3 mS/cm², E_Na 50, E_K −77, E_L −54.387 mV, C 1 µF/cm², \
currents in µA/cm², exponential Euler; a spike is an upward crossing of 0 mV. AdEx (Brette & Gerstner 2005): \
C dV/dt = −g_L(V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T) − w + I, τ_w dw/dt = a(V − E_L) − w, at V_peak = 0 mV: \
V → V_r, w → w + b; currents in pA, forward Euler; the EIF is the AdEx without adaptation (a = b = 0), the LIF \
also without the exponential (threshold V_T). Default AdEx (Naud et al.'s adapting neuron) C 200 pF, g_L 12 nS, E_L −70, V_T −50, \
Δ_T 2, V_r −58 mV, a 2 nS, τ_w 300 ms, b 60 pA. The rheobase is the smallest constant current that makes the neuron fire at least twice in the \
second half of a 1 s run from rest; the steady rate counts spikes over that half. Firing patterns after Naud \
et al. (2008): intervals split by a gap of 3× into short and long (initial burst: short ones only at the onset; \
bursting: short ones again later), else adapting when the last interval exceeds the first by 20 %, else tonic.";

/// The neuron lab's top-level subcommand.
#[derive(Debug, Subcommand)]
pub enum CellCli {
    /// Neuron lab: Hodgkin-Huxley, AdEx, EIF and LIF neurons under a current protocol.
    #[command(subcommand)]
    Cell(CellCommandLine),
}

/// `engram cell ...`.
#[derive(Debug, Subcommand)]
pub enum CellCommandLine {
    /// One neuron under a current protocol: spikes, rate, peak, lowest potential, firing pattern.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Run(RunArgs),
    /// The f-I curves of Hodgkin-Huxley, AdEx, EIF and LIF, each relative to its own rheobase.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Fi(FiArgs),
    /// The AdEx firing patterns of Naud et al. (2008): each preset under its step current, classified.
    #[command(after_help = CONVENTIONS, allow_negative_numbers = true)]
    Patterns(PatternArgs),
}

/// Flags of `engram cell run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Model: hodgkin-huxley (hh), adex, eif or lif.
    #[arg(long, default_value = "hh", value_parser = parse_kind)]
    pub model: CellKind,
    /// An AdEx preset (tonic, adapting, initial-burst, bursting) with its step current; sets --model adex.
    #[arg(long, value_parser = parse_preset)]
    pub preset: Option<AdexPreset>,
    /// Input shape: step, ramp, pulses, noise or constant.
    #[arg(long, default_value = "step", value_parser = parse_shape)]
    pub input: InputShape,
    /// Amplitude (µA/cm² for HH, pA otherwise; default 10 µA/cm² or 300 pA, or the preset's).
    #[arg(long)]
    pub amplitude: Option<f64>,
    /// Start of the input, in ms.
    #[arg(long, default_value_t = 50.0)]
    pub onset_ms: f64,
    /// Length of the input, in ms.
    #[arg(long, default_value_t = 500.0)]
    pub input_ms: f64,
    /// Standard deviation of the noise (with --input noise).
    #[arg(long, default_value_t = 0.0)]
    pub noise_sd: f64,
    /// Simulated time, in ms.
    #[arg(long, default_value_t = 600.0)]
    pub duration_ms: f64,
    /// Integration step, in ms.
    #[arg(long, default_value_t = 0.01)]
    pub dt_ms: f64,
    /// Seed of the noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram cell fi`.
#[derive(Debug, Args)]
pub struct FiArgs {
    /// Integration step of every run, in ms.
    #[arg(long, default_value_t = FI_DT_MS)]
    pub dt_ms: f64,
    /// Length of every run, in ms (the rate counts the second half).
    #[arg(long, default_value_t = FI_DURATION_MS)]
    pub run_ms: f64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `engram cell patterns`.
#[derive(Debug, Args)]
pub struct PatternArgs {
    /// Length of each step, in ms.
    #[arg(long, default_value_t = 500.0)]
    pub step_ms: f64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Reads a model name.
pub fn parse_kind(text: &str) -> Result<CellKind, String> {
    match text {
        "hh" | "hodgkin-huxley" => Ok(CellKind::HodgkinHuxley),
        "adex" => Ok(CellKind::Adex),
        "eif" => Ok(CellKind::Eif),
        "lif" => Ok(CellKind::Lif),
        _ => Err(format!("unknown model \"{text}\" (hh, adex, eif or lif)")),
    }
}

fn parse_preset(text: &str) -> Result<AdexPreset, String> {
    AdexPreset::ALL
        .into_iter()
        .find(|p| p.label().replace(' ', "-") == text || (text == "bursting" && *p == AdexPreset::Bursting))
        .ok_or_else(|| format!("unknown preset \"{text}\" (tonic, adapting, initial-burst or bursting)"))
}

fn parse_shape(text: &str) -> Result<InputShape, String> {
    InputShape::ALL
        .into_iter()
        .find(|s| s.label() == text)
        .ok_or_else(|| format!("unknown input \"{text}\" (step, ramp, pulses, noise or constant)"))
}

impl crate::families::FamilyCli for super::NeuronLab {
    type Cli = CellCli;

    fn run_cli(command: CellCli) -> anyhow::Result<()> {
        match command {
            CellCli::Cell(CellCommandLine::Run(args)) => run(args),
            CellCli::Cell(CellCommandLine::Fi(args)) => fi(args),
            CellCli::Cell(CellCommandLine::Patterns(args)) => patterns(args),
        }
    }
}

/// What `engram cell run` reports.
#[derive(Debug, Serialize)]
struct RunReport {
    model: &'static str,
    current_unit: &'static str,
    input: &'static str,
    amplitude: f64,
    spikes_ms: Vec<f64>,
    rate_in_input_hz: f64,
    peak_mv: f64,
    lowest_mv: f64,
    pattern: FiringPattern,
    fixed_points_at_amplitude: Vec<super::model::FixedPoint>,
    /// Hodgkin-Huxley only: the largest real part of the resting state's eigenvalues at the amplitude.
    rest_growth_per_ms: Option<f64>,
    wall_s: f64,
    steps_per_s: f64,
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut params = CellParams::default().with_kind(args.model);
    let mut amplitude = args.amplitude.unwrap_or(match args.model {
        CellKind::HodgkinHuxley => 10.0,
        _ => 300.0,
    });
    if let Some(preset) = args.preset {
        let (adex, current) = preset.params();
        params = CellParams {
            kind: CellKind::Adex,
            adex,
            ..params
        };
        amplitude = args.amplitude.unwrap_or(current);
    }
    let stimulus = Stimulus {
        shape: args.input,
        amplitude,
        onset_ms: args.onset_ms,
        duration_ms: args.input_ms,
        noise_sd: args.noise_sd,
        cycle_ms: 0.0,
        ..Stimulus::default()
    };
    if !(args.duration_ms.is_finite() && (1.0..=1e7).contains(&args.duration_ms)) {
        anyhow::bail!(
            "--duration-ms must be between 1 and 10000000 ms, not {}",
            args.duration_ms
        );
    }
    let start = Instant::now();
    let trace = simulate(params, &stimulus, args.dt_ms, args.duration_ms, 1, args.seed)
        .map_err(|e| anyhow!("{e}"))?;
    let wall_s = start.elapsed().as_secs_f64();
    let in_input: Vec<f64> = trace
        .spikes_ms
        .iter()
        .copied()
        .filter(|&t| t >= args.onset_ms && t < args.onset_ms + args.input_ms)
        .collect();
    let input_window_ms = args.input_ms.min(args.duration_ms - args.onset_ms).max(1e-9);
    let report = RunReport {
        model: params.kind.label(),
        current_unit: params.kind.current_unit(),
        input: args.input.label(),
        amplitude,
        rate_in_input_hz: in_input.len() as f64 / (input_window_ms / 1000.0),
        pattern: classify_firing(&in_input),
        peak_mv: trace.v_mv.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        lowest_mv: trace.v_mv.iter().copied().fold(f64::INFINITY, f64::min),
        fixed_points_at_amplitude: phase_plane(&params, amplitude).fixed_points,
        rest_growth_per_ms: (params.kind == CellKind::HodgkinHuxley)
            .then(|| hh::rest_growth_rate_per_ms(&params.hh, amplitude))
            .flatten(),
        spikes_ms: trace.spikes_ms,
        steps_per_s: args.duration_ms / args.dt_ms / wall_s.max(1e-12),
        wall_s,
    };
    print_report(args.json, &report, || {
        let fixed: Vec<String> = report
            .fixed_points_at_amplitude
            .iter()
            .map(|f| format!("{} at {:.2} mV", f.kind, f.v_mv))
            .collect();
        format!(
            "{} neuron, {} input of {} {}: {} spikes, {:.2} Hz during the input ({}); V from {:.2} to {:.2} mV\n\
             phase plane at the amplitude{}: {}{}\n{:.0} steps/s\n",
            report.model,
            report.input,
            report.amplitude,
            report.current_unit,
            report.spikes_ms.len(),
            report.rate_in_input_hz,
            report.pattern.label(),
            report.lowest_mv,
            report.peak_mv,
            if report.rest_growth_per_ms.is_some() {
                " (Rinzel's reduced V-n model)"
            } else {
                ""
            },
            if fixed.is_empty() {
                "no fixed point".to_string()
            } else {
                fixed.join(", ")
            },
            match report.rest_growth_per_ms {
                Some(g) if g < 0.0 => "; the full model's rest is stable",
                Some(_) => "; the full model's rest is unstable (past the Hopf bifurcation)",
                None => "",
            },
            report.steps_per_s
        )
    })
}

/// One model's f-I curve in `engram cell fi`.
#[derive(Debug, Serialize)]
struct FiModel {
    model: &'static str,
    current_unit: &'static str,
    rheobase: f64,
    /// Rate at 1 % above the rheobase: a finite jump for type II, near zero for type I.
    onset_rate_hz: f64,
    points: Vec<FiPoint>,
}

fn fi(args: FiArgs) -> anyhow::Result<()> {
    if !(args.run_ms.is_finite() && (100.0..=100_000.0).contains(&args.run_ms)) {
        anyhow::bail!("--run-ms must be between 100 and 100000 ms, not {}", args.run_ms);
    }
    let start = Instant::now();
    let mut models = Vec::new();
    for kind in CellKind::ALL {
        let params = CellParams::default().with_kind(kind);
        let (range, tolerance) = rheobase_search(kind);
        let rheo = rheobase(params, args.dt_ms, args.run_ms, range, tolerance)
            .map_err(|e| anyhow!("{}: {e}", kind.label()))?;
        let points =
            fi_curve(params, rheo, &FI_RELATIVE, args.dt_ms, args.run_ms).map_err(|e| anyhow!("{e}"))?;
        let onset_rate_hz = points
            .iter()
            .find(|p| p.relative_current > 1.0)
            .map_or(0.0, |p| p.rate_hz);
        models.push(FiModel {
            model: kind.label(),
            current_unit: kind.current_unit(),
            rheobase: rheo,
            onset_rate_hz,
            points,
        });
    }
    #[derive(Serialize)]
    struct Report {
        models: Vec<FiModel>,
        wall_s: f64,
    }
    let report = Report {
        models,
        wall_s: start.elapsed().as_secs_f64(),
    };
    print_report(args.json, &report, || {
        let mut text =
            String::from("model            rheobase          rate at 1.01× rheobase   2× rheobase\n");
        for m in &report.models {
            let at2 = m
                .points
                .iter()
                .find(|p| (p.relative_current - 2.0).abs() < 1e-9)
                .map_or(0.0, |p| p.rate_hz);
            text += &format!(
                "{:<16} {:>8.3} {:<8} {:>8.1} Hz {:>20.1} Hz\n",
                m.model, m.rheobase, m.current_unit, m.onset_rate_hz, at2
            );
        }
        text += "Hodgkin-Huxley jumps to a finite rate at its rheobase (type II); the integrate-and-fire models start from zero (type I).\n";
        text
    })
}

fn patterns(args: PatternArgs) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct PatternResult {
        preset: &'static str,
        current_pa: f64,
        pattern: FiringPattern,
        spikes_ms: Vec<f64>,
        intervals_ms: Vec<f64>,
    }
    let mut results = Vec::new();
    for preset in AdexPreset::ALL {
        let (adex, current) = preset.params();
        let params = CellParams {
            kind: CellKind::Adex,
            adex,
            ..CellParams::default()
        };
        let trace = simulate(
            params,
            &Stimulus::step(current, 0.0, args.step_ms),
            0.01,
            args.step_ms,
            1000,
            1,
        )
        .map_err(|e| anyhow!("{e}"))?;
        results.push(PatternResult {
            preset: preset.label(),
            current_pa: current,
            pattern: classify_firing(&trace.spikes_ms),
            intervals_ms: trace.spikes_ms.windows(2).map(|w| w[1] - w[0]).collect(),
            spikes_ms: trace.spikes_ms,
        });
    }
    print_report(args.json, &results, || {
        let mut text = String::new();
        for r in &results {
            let isis: Vec<String> = r
                .intervals_ms
                .iter()
                .take(10)
                .map(|i| format!("{i:.1}"))
                .collect();
            text += &format!(
                "{:<18} {:>5} pA: {:<18} {} spikes; intervals {} ms\n",
                r.preset,
                r.current_pa,
                r.pattern.label(),
                r.spikes_ms.len(),
                isis.join(", ")
            );
        }
        text
    })
}
