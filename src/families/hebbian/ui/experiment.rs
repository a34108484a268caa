//! The Hebbian experiment for the Experiments window: how long Oja's rule takes from 70° to 20°
//! over learning rates, beside τ ln(tan 70°/tan 20°) with τ = 1/(η(λ1 − λ2)).

use egui_plot::{Corner, Line, PlotPoints, Points};

use crate::families::hebbian::Hebbian;
use crate::families::hebbian::model::{
    CONVERGENCE_ANGLES_DEG, DataParams, Gaussian, convergence_samples, convergence_samples_theory,
};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// The Hebbian experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HebbExperiment {
    /// Convergence time over learning rates.
    Convergence,
}

/// What the user set for the convergence experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergenceSettings {
    /// Standard deviation along the first axis.
    pub sigma1: f64,
    /// Standard deviation along the second axis.
    pub sigma2: f64,
    /// Runs per learning rate.
    pub runs: u64,
}

impl Default for ConvergenceSettings {
    fn default() -> Self {
        Self {
            sigma1: 2.0,
            sigma2: 1.0,
            runs: 20,
        }
    }
}

/// Learning rates the experiment tries.
pub const ETAS: [f64; 5] = [0.0005, 0.001, 0.002, 0.004, 0.008];

/// One learning rate's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergencePoint {
    /// Learning rate η.
    pub eta: f64,
    /// The averaged dynamics' time, in samples.
    pub theory: f64,
    /// Mean over runs, in samples.
    pub mean: f64,
    /// Standard deviation over runs, in samples.
    pub std: f64,
}

/// The points measured so far.
#[derive(Debug, Clone, Default)]
pub struct ConvergenceResult {
    /// One per learning rate.
    pub points: Vec<ConvergencePoint>,
    /// λ1, λ2.
    pub eigenvalues: (f64, f64),
}

/// Measures every rate, handing each new point to `on_partial`.
pub fn run(
    settings: &ConvergenceSettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&ConvergenceResult),
) -> Result<ConvergenceResult, String> {
    let params = DataParams {
        sigma1: settings.sigma1,
        sigma2: settings.sigma2,
        ..DataParams::default()
    };
    let data = Gaussian::new(&params, seed).map_err(|e| e.to_string())?;
    let (l1, l2) = (data.eigenvalues[0], data.eigenvalues[1]);
    if l1 - l2 < 0.05 * l1 {
        return Err(
            "σ₁ and σ₂ must differ by more than 5 % in variance: otherwise there is nothing to find".into(),
        );
    }
    if !(1..=1000).contains(&settings.runs) {
        return Err(format!("runs must be between 1 and 1000, not {}", settings.runs));
    }
    let mut result = ConvergenceResult {
        points: Vec::new(),
        eigenvalues: (l1, l2),
    };
    for (i, &eta) in ETAS.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        let theory = convergence_samples_theory(eta, l1, l2, CONVERGENCE_ANGLES_DEG);
        let times: Vec<f64> = (0..settings.runs)
            .map(|r| {
                convergence_samples(
                    &data,
                    eta,
                    CONVERGENCE_ANGLES_DEG,
                    seed + r,
                    (50.0 * theory) as u64,
                )
                .map_or(f64::NAN, |s| s as f64)
            })
            .collect();
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let std = (times.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / times.len() as f64).sqrt();
        result.points.push(ConvergencePoint {
            eta,
            theory,
            mean,
            std,
        });
        progress.advance(i + 1, ETAS.len());
        on_partial(&result);
    }
    Ok(result)
}

impl FamilyExperiments for Hebbian {
    type Kind = HebbExperiment;
    type Settings = ConvergenceSettings;
    type Result = ConvergenceResult;
    const TABS: &'static [ExperimentTab<HebbExperiment>] = &[(
        HebbExperiment::Convergence,
        "Oja convergence",
        "Hebbian learning: samples Oja's rule takes from 70° to 20° over η, beside τ ln(tan 70°/tan 20°)",
    )];

    fn describe(_kind: HebbExperiment, s: &ConvergenceSettings) -> String {
        format!(
            "σ₁ = {}, σ₂ = {}, {}",
            s.sigma1,
            s.sigma2,
            crate::output::counted(s.runs, "run")
        )
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: HebbExperiment, settings: &mut ConvergenceSettings) {
        ui.horizontal(|ui| {
            ui.label("σ₁");
            ui.add(
                egui::DragValue::new(&mut settings.sigma1)
                    .range(0.1..=10.0)
                    .speed(0.05),
            );
            ui.label("σ₂");
            ui.add(
                egui::DragValue::new(&mut settings.sigma2)
                    .range(0.1..=10.0)
                    .speed(0.05),
            );
            ui.label("runs per η");
            ui.add(egui::DragValue::new(&mut settings.runs).range(1..=1000));
        });
    }

    fn run(
        _kind: HebbExperiment,
        settings: &ConvergenceSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&ConvergenceResult),
    ) -> Result<ConvergenceResult, String> {
        run(settings, seed, progress, on_partial)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &ConvergenceResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        let theory: Vec<[f64; 2]> = result.points.iter().map(|p| [1.0 / p.eta, p.theory]).collect();
        let measured: Vec<[f64; 2]> = result.points.iter().map(|p| [1.0 / p.eta, p.mean]).collect();
        let bars: Vec<[f64; 2]> = result
            .points
            .iter()
            .flat_map(|p| [[1.0 / p.eta, p.mean - p.std], [1.0 / p.eta, p.mean + p.std]])
            .collect();
        crate::views::experiment_plot("hebb-convergence", Corner::LeftTop)
            .x_axis_label("1/η")
            .y_axis_label("samples from 70° to 20°")
            .include_y(0.0)
            .show(ui, |plot| {
                crate::views::kept_runs::draw(plot, kept);
                plot.line(
                    Line::new("theory τ ln(tan 70°/tan 20°)", PlotPoints::from(theory))
                        .color(theme::theory(dark))
                        .width(2.0),
                );
                plot.points(
                    Points::new("measured (mean)", measured)
                        .color(theme::excitatory(dark))
                        .radius(4.0),
                );
                for pair in bars.chunks(2) {
                    plot.line(
                        Line::new("± 1 s.d.", PlotPoints::from(pair.to_vec())).color(theme::excitatory(dark)),
                    );
                }
            });
        ui.label(format!(
            "λ1 = {:.2}, λ2 = {:.2}: the time grows as 1/(η(λ1 − λ2)), a straight line through the origin in 1/η.",
            result.eigenvalues.0, result.eigenvalues.1
        ));
    }

    fn series(result: &ConvergenceResult) -> Vec<crate::views::kept_runs::Series> {
        let xy = result.points.iter().map(|p| [1.0 / p.eta, p.mean]).collect();
        vec![("measured (mean)".to_string(), xy)]
    }

    fn csv(result: &ConvergenceResult) -> String {
        let mut out = String::from("eta,lambda1,lambda2,theory_samples,mean_samples,std_samples\n");
        for p in &result.points {
            out += &format!(
                "{},{},{},{},{},{}\n",
                p.eta, result.eigenvalues.0, result.eigenvalues.1, p.theory, p.mean, p.std
            );
        }
        out
    }
}
