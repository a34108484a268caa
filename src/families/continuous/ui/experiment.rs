//! The continuous-memory experiment for the Experiments window: the fraction of Gaussian patterns
//! recalled from noisy cues against their number, for every kernel on the same patterns.

use egui_plot::{Corner, Line, PlotPoints, Points, VLine};

use crate::families::continuous::Continuous;
use crate::families::continuous::model::{KernelKind, MemoryParams, recall_fraction};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// The continuous-memory experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContinuousExperiment {
    /// Recall against the number of patterns.
    Capacity,
}

/// What the user set for the capacity experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySettings {
    /// Neurons N.
    pub n: usize,
    /// Cue noise per value.
    pub noise: f64,
    /// β of the softmax and Gaussian kernels.
    pub beta: f64,
    /// Degree of the polynomial kernel.
    pub degree: u32,
}

impl Default for CapacitySettings {
    fn default() -> Self {
        Self {
            n: 32,
            noise: 0.3,
            beta: 0.1,
            degree: 3,
        }
    }
}

/// Numbers of patterns tried.
pub const COUNTS: [usize; 7] = [4, 8, 16, 32, 64, 128, 256];

/// Patterns stored, and the fraction recalled (None: the memory cannot hold them).
pub type RecallPoint = (usize, Option<f64>);

/// The recall measured so far, per kernel: (P, fraction or None when the memory cannot hold them).
#[derive(Debug, Clone, Default)]
pub struct CapacityResult {
    /// Neurons N.
    pub n: usize,
    /// One row per kernel.
    pub rows: Vec<(KernelKind, Vec<RecallPoint>)>,
}

fn run(
    settings: &CapacitySettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&CapacityResult),
) -> Result<CapacityResult, String> {
    let mut result = CapacityResult {
        n: settings.n,
        rows: Vec::new(),
    };
    let total = KernelKind::ALL.len() * COUNTS.len();
    for (k, kernel) in KernelKind::ALL.into_iter().enumerate() {
        result.rows.push((kernel, Vec::new()));
        for (c, &count) in COUNTS.iter().enumerate() {
            if progress.cancelled() {
                return Ok(result);
            }
            let params = MemoryParams {
                kernel,
                beta: settings.beta,
                degree: settings.degree,
            };
            let recall = recall_fraction(params, settings.n, count, settings.noise, 20, seed)
                .map_err(|e| e.to_string())?;
            if let Some(row) = result.rows.last_mut() {
                row.1.push((count, recall.fraction));
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
    const TABS: &'static [ExperimentTab<ContinuousExperiment>] = &[(
        ContinuousExperiment::Capacity,
        "kernel memory capacity",
        "Continuous memories: the fraction of Gaussian patterns recalled from noisy cues against P, every kernel on the same patterns",
    )];

    fn settings_ui(ui: &mut egui::Ui, _kind: ContinuousExperiment, settings: &mut CapacitySettings) {
        ui.horizontal(|ui| {
            ui.label("N");
            ui.add(egui::DragValue::new(&mut settings.n).range(4..=256));
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
            ui.label("degree");
            ui.add(egui::DragValue::new(&mut settings.degree).range(1..=10));
        });
    }

    fn run(
        _kind: ContinuousExperiment,
        settings: &CapacitySettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&CapacityResult),
    ) -> Result<CapacityResult, String> {
        run(settings, seed, progress, on_partial)
    }

    fn plot_ui(ui: &mut egui::Ui, result: &CapacityResult, dark: bool) {
        crate::views::experiment_plot("continuous-capacity", Corner::RightTop)
            .x_axis_label("log₂ P (patterns)")
            .y_axis_label("fraction recalled")
            .include_y(0.0)
            .include_y(1.05)
            .show(ui, |plot| {
                for (k, (kernel, points)) in result.rows.iter().enumerate() {
                    let line: Vec<[f64; 2]> = points
                        .iter()
                        .filter_map(|(p, f)| f.map(|f| [(*p as f64).log2(), f]))
                        .collect();
                    plot.line(
                        Line::new(kernel.label(), PlotPoints::from(line.clone()))
                            .color(theme::pattern(k))
                            .width(2.0),
                    );
                    plot.points(
                        Points::new(kernel.label(), line)
                            .color(theme::pattern(k))
                            .radius(3.0),
                    );
                }
                plot.vline(VLine::new("P = N", (result.n as f64).log2()).color(theme::theory(dark)));
            });
        ui.label(
            "The interpolating kernels hold every pattern as a fixed point while their kernel matrix is invertible: \
             the linear one only up to P = N (beyond, it cannot be built) and without basins; the Gaussian one far \
             beyond N. The softmax network recalls while β Δ ≫ 1; the Hebbian one only at small loads.",
        );
    }

    fn csv(result: &CapacityResult) -> String {
        let mut out = String::from("kernel,n,patterns,fraction_recalled\n");
        for (kernel, points) in &result.rows {
            for (p, f) in points {
                let f = f.map_or(String::new(), |f| f.to_string());
                out += &format!("{},{},{p},{f}\n", kernel.label(), result.n);
            }
        }
        out
    }
}
