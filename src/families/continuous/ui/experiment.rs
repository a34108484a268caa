//! The continuous-memory experiments for the Experiments window: the fraction of Gaussian patterns
//! recalled from noisy cues against their number for every continuous kernel, and the exact recall of
//! binary patterns from flipped cues for the binary kernels (Hebbian, pseudo-inverse, polynomial,
//! exponential, SDM), each on the same patterns.

use egui_plot::{Corner, Line, PlotPoints, Points, VLine};

use crate::families::continuous::Continuous;
use crate::families::continuous::model::binary::{binary_recall_fraction, binomial, rank_limit};
use crate::families::continuous::model::{KernelKind, MemoryParams, recall_fraction};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// The continuous-memory experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContinuousExperiment {
    /// Recall of continuous patterns against their number.
    Capacity,
    /// Exact recall of binary patterns against their number.
    Binary,
}

/// What the user set for the capacity experiments.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySettings {
    /// Neurons N.
    pub n: usize,
    /// Cue noise per value (continuous).
    pub noise: f64,
    /// β of the softmax and Gaussian kernels (continuous).
    pub beta: f64,
    /// Degree of the polynomial kernels.
    pub degree: u32,
    /// Fraction of bits flipped in a binary cue.
    pub flip: f64,
    /// β of the binary exponential kernel (per neuron).
    pub binary_beta: f64,
}

impl Default for CapacitySettings {
    fn default() -> Self {
        Self {
            n: 32,
            noise: 0.3,
            beta: 0.2,
            degree: 3,
            flip: 0.1,
            binary_beta: 0.2,
        }
    }
}

/// Numbers of patterns tried.
pub const COUNTS: [usize; 7] = [4, 8, 16, 32, 64, 128, 256];

/// Patterns stored, and the fraction recalled (None: the memory cannot hold them).
pub type RecallPoint = (usize, Option<f64>);

/// The recall measured so far, per kernel.
#[derive(Debug, Clone, Default)]
pub struct CapacityResult {
    /// Neurons N.
    pub n: usize,
    /// One row per kernel: its name and its points.
    pub rows: Vec<(String, Vec<RecallPoint>)>,
    /// The most patterns each limited kernel can hold as fixed points (its feature space's
    /// dimension), by name.
    pub limits: Vec<(String, f64)>,
}

/// Runs `measure` for every kernel (named by `labels`) and every count, reporting each point.
fn sweep(
    n: usize,
    labels: Vec<String>,
    limits: Vec<(String, f64)>,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&CapacityResult),
    mut measure: impl FnMut(usize, usize) -> Result<Option<f64>, String>,
) -> Result<CapacityResult, String> {
    let mut result = CapacityResult {
        n,
        rows: Vec::new(),
        limits,
    };
    let total = labels.len() * COUNTS.len();
    for (k, label) in labels.into_iter().enumerate() {
        result.rows.push((label, Vec::new()));
        for (c, &count) in COUNTS.iter().enumerate() {
            if progress.cancelled() {
                return Ok(result);
            }
            let fraction = measure(k, count)?;
            if let Some(row) = result.rows.last_mut() {
                row.1.push((count, fraction));
            }
            progress.advance(k * COUNTS.len() + c + 1, total);
            on_partial(&result);
        }
    }
    Ok(result)
}

impl FamilyExperiments for Continuous {
    type Kind = ContinuousExperiment;
    type Settings = CapacitySettings;
    type Result = CapacityResult;
    const TABS: &'static [ExperimentTab<ContinuousExperiment>] = &[
        (
            ContinuousExperiment::Capacity,
            "kernel memory capacity",
            "Continuous memories: the fraction of Gaussian patterns recalled from noisy cues against P, every kernel on the same patterns",
        ),
        (
            ContinuousExperiment::Binary,
            "binary kernel memories",
            "Binary kernel memories: Hebbian, pseudo-inverse, polynomial, exponential and SDM kernels, exact recall from flipped cues against P",
        ),
    ];

    fn describe(kind: ContinuousExperiment, s: &CapacitySettings) -> String {
        match kind {
            ContinuousExperiment::Capacity => {
                format!(
                    "N = {}, cue noise {}, β = {}, degree {}",
                    s.n, s.noise, s.beta, s.degree
                )
            }
            ContinuousExperiment::Binary => format!(
                "N = {}, {} of the bits flipped, β = {}, degree {}",
                s.n, s.flip, s.binary_beta, s.degree
            ),
        }
    }

    fn settings_ui(ui: &mut egui::Ui, kind: ContinuousExperiment, settings: &mut CapacitySettings) {
        ui.horizontal(|ui| {
            ui.label("N");
            ui.add(egui::DragValue::new(&mut settings.n).range(4..=256));
            if kind == ContinuousExperiment::Capacity {
                ui.label("cue noise");
                ui.add(
                    egui::DragValue::new(&mut settings.noise)
                        .range(0.0..=2.0)
                        .speed(0.01),
                );
                ui.label("β");
                ui.add(
                    egui::DragValue::new(&mut settings.beta)
                        .range(0.001..=10.0)
                        .speed(0.005),
                );
            } else {
                ui.label("bits flipped");
                ui.add(
                    egui::DragValue::new(&mut settings.flip)
                        .range(0.0..=0.5)
                        .speed(0.005),
                );
                ui.label("β per neuron");
                ui.add(
                    egui::DragValue::new(&mut settings.binary_beta)
                        .range(0.001..=10.0)
                        .speed(0.005),
                );
            }
            ui.label("degree");
            ui.add(egui::DragValue::new(&mut settings.degree).range(1..=10));
        });
    }

    fn run(
        kind: ContinuousExperiment,
        settings: &CapacitySettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&CapacityResult),
    ) -> Result<CapacityResult, String> {
        let n = settings.n;
        let d = settings.degree as usize;
        match kind {
            ContinuousExperiment::Capacity => {
                let labels = KernelKind::ALL.iter().map(|k| k.label().to_string()).collect();
                // Continuous inputs: every monomial of degree ≤ d, C(N + d, d) of them.
                let limits = vec![
                    ("linear kernel".to_string(), n as f64),
                    (format!("polynomial kernel, degree {d}"), binomial(n + d, d)),
                ];
                sweep(n, labels, limits, progress, on_partial, |k, count| {
                    let params = MemoryParams {
                        kernel: KernelKind::ALL[k],
                        beta: settings.beta,
                        degree: settings.degree,
                    };
                    recall_fraction(params, n, count, settings.noise, 20, seed)
                        .map(|r| r.fraction)
                        .map_err(|e| e.to_string())
                })
            }
            ContinuousExperiment::Binary => {
                if !(4..=1000).contains(&n) {
                    return Err(format!("N must be between 4 and 1000, not {n}"));
                }
                let kernels = crate::families::continuous::cli::binary_kernels(
                    n,
                    settings.degree,
                    settings.binary_beta,
                    None,
                );
                let labels = kernels.iter().map(|k| k.label()).collect();
                let limits = kernels
                    .iter()
                    .skip(1)
                    .filter_map(|k| rank_limit(*k, n).map(|l| (k.label(), l)))
                    .collect();
                sweep(n, labels, limits, progress, on_partial, |k, count| {
                    binary_recall_fraction(kernels[k], n, count, settings.flip, 20, seed)
                        .map_err(|e| e.to_string())
                })
            }
        }
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &CapacityResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        crate::views::experiment_plot("continuous-capacity", Corner::RightTop)
            .x_axis_label("log₂ P (patterns)")
            .y_axis_label("fraction recalled")
            .include_y(0.0)
            .include_y(1.05)
            .show(ui, |plot| {
                crate::views::kept_runs::draw(plot, kept);
                for (k, (kernel, points)) in result.rows.iter().enumerate() {
                    let line: Vec<[f64; 2]> = points
                        .iter()
                        .filter_map(|(p, f)| f.map(|f| [(*p as f64).log2(), f]))
                        .collect();
                    plot.line(
                        Line::new(kernel.clone(), PlotPoints::from(line.clone()))
                            .color(theme::pattern(k))
                            .width(2.0),
                    );
                    plot.points(
                        Points::new(kernel.clone(), line)
                            .color(theme::pattern(k))
                            .radius(3.0),
                    );
                }
                let end = (*COUNTS.last().unwrap_or(&1) as f64).log2();
                for (name, limit) in &result.limits {
                    if limit.log2() <= end {
                        plot.vline(
                            VLine::new(format!("most the {name} can hold: {limit:.0}"), limit.log2())
                                .color(theme::theory(dark))
                                .style(egui_plot::LineStyle::dashed_loose()),
                        );
                    }
                }
            });
        if !result.limits.is_empty() {
            let limits: Vec<String> = result
                .limits
                .iter()
                .map(|(n, l)| format!("{n}: {l:.0}"))
                .collect();
            ui.label(format!(
                "Theory: a kernel memory holds at most as many patterns as its feature space has dimensions \
                 ({}); the Gaussian, exponential and SDM kernels' spaces hold every distinct pattern.",
                limits.join(", ")
            ));
        }
        ui.label(
            "The interpolating kernels hold every pattern as a fixed point while their kernel matrix is invertible: \
             the linear one (pseudo-inverse) only up to P = N, with basins that shrink to nothing on the way; the \
             nonlinear ones (Gaussian, polynomial, exponential, SDM) far beyond. The softmax network recalls while \
             β Δ ≫ 1; the Hebbian one only at small loads (0.138 N for binary states). Missing points: the kernel \
             matrix is singular.",
        );
    }

    fn series(result: &CapacityResult) -> Vec<crate::views::kept_runs::Series> {
        result
            .rows
            .iter()
            .map(|(kernel, points)| {
                let xy = points
                    .iter()
                    .filter_map(|(p, f)| f.map(|f| [(*p as f64).log2(), f]))
                    .collect();
                (kernel.clone(), xy)
            })
            .collect()
    }

    fn csv(result: &CapacityResult) -> String {
        let mut out = String::from("kernel,n,patterns,fraction_recalled\n");
        for (kernel, points) in &result.rows {
            for (p, f) in points {
                let f = f.map_or(String::new(), |f| f.to_string());
                out += &format!("{kernel},{},{p},{f}\n", result.n);
            }
        }
        out
    }
}
