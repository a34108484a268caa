//! The branching experiment for the Experiments window: the branching ratio estimated from ever
//! smaller subsamples, by multistep regression and conventionally, beside the true m.

use egui_plot::{Corner, HLine, Line, PlotPoints, Points};

use crate::analysis::branching::{BranchingNetwork, estimate_branching, random_subsample, record_activity};
use crate::families::branching::Branching;
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// The branching experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BranchingExperiment {
    /// Estimates against the observed fraction.
    Subsampling,
}

/// What the user set for the subsampling experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct SubsamplingSettings {
    /// The true branching ratio.
    pub m: f64,
    /// Units N.
    pub n: usize,
    /// Steps recorded per fraction.
    pub steps: usize,
}

impl Default for SubsamplingSettings {
    fn default() -> Self {
        Self {
            m: 0.98,
            n: 10_000,
            steps: 50_000,
        }
    }
}

/// Observed fractions tried.
pub const FRACTIONS: [f64; 6] = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003];

/// One fraction's estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubsamplingPoint {
    /// Fraction observed.
    pub fraction: f64,
    /// Multistep-regression estimate.
    pub m_mr: f64,
    /// Conventional estimate r₁.
    pub m_conventional: f64,
}

/// The estimates measured so far.
#[derive(Debug, Clone, Default)]
pub struct SubsamplingResult {
    /// The true m.
    pub m: f64,
    /// One point per fraction.
    pub points: Vec<SubsamplingPoint>,
}

fn run(
    settings: &SubsamplingSettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&SubsamplingResult),
) -> Result<SubsamplingResult, String> {
    if !(1_000..=1_000_000).contains(&settings.n) || !(5_000..=2_000_000).contains(&settings.steps) {
        return Err(format!(
            "N must be 1,000 to 1,000,000 and the steps 5,000 to 2,000,000 (got {} and {})",
            settings.n, settings.steps
        ));
    }
    let mut result = SubsamplingResult {
        m: settings.m,
        points: Vec::new(),
    };
    let mut network = BranchingNetwork::new(settings.n, 10, settings.m, 2.0, seed)?;
    record_activity(&mut network, &[], 10_000);
    for (i, &fraction) in FRACTIONS.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        let observed = random_subsample(settings.n, fraction, seed + i as u64);
        let (_, seen) = record_activity(&mut network, &observed, settings.steps);
        if let Some(e) = estimate_branching(&seen, 40) {
            result.points.push(SubsamplingPoint {
                fraction,
                m_mr: e.m_mr,
                m_conventional: e.m_conventional,
            });
        }
        progress.advance(i + 1, FRACTIONS.len());
        on_partial(&result);
    }
    Ok(result)
}

impl FamilyExperiments for Branching {
    type Kind = BranchingExperiment;
    type Settings = SubsamplingSettings;
    type Result = SubsamplingResult;
    const TABS: &'static [ExperimentTab<BranchingExperiment>] = &[(
        BranchingExperiment::Subsampling,
        "branching ratio from subsamples",
        "Criticality: the branching ratio estimated from ever smaller subsamples, by multistep regression and conventionally",
    )];

    fn describe(_kind: BranchingExperiment, s: &SubsamplingSettings) -> String {
        format!(
            "m = {}, N = {}, {}",
            s.m,
            s.n,
            crate::output::counted(s.steps as u64, "step")
        )
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: BranchingExperiment, settings: &mut SubsamplingSettings) {
        ui.horizontal(|ui| {
            ui.label("m");
            ui.add(
                egui::DragValue::new(&mut settings.m)
                    .range(0.5..=0.999)
                    .speed(0.001),
            );
            ui.label("N");
            ui.add(egui::DragValue::new(&mut settings.n).range(1_000..=1_000_000));
            ui.label("steps per fraction");
            ui.add(egui::DragValue::new(&mut settings.steps).range(5_000..=2_000_000));
        });
    }

    fn run(
        _kind: BranchingExperiment,
        settings: &SubsamplingSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&SubsamplingResult),
    ) -> Result<SubsamplingResult, String> {
        run(settings, seed, progress, on_partial)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &SubsamplingResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        let mr: Vec<[f64; 2]> = result
            .points
            .iter()
            .map(|p| [p.fraction.log10(), p.m_mr])
            .collect();
        let conventional: Vec<[f64; 2]> = result
            .points
            .iter()
            .map(|p| [p.fraction.log10(), p.m_conventional])
            .collect();
        crate::views::experiment_plot("branching-subsampling", Corner::LeftBottom)
            .x_axis_label("log₁₀ fraction observed")
            .y_axis_label("estimated m")
            .include_y(0.0)
            .include_y(1.0)
            .show(ui, |plot| {
                crate::views::kept_runs::draw(plot, kept);
                plot.hline(HLine::new(format!("true m = {}", result.m), result.m).color(theme::theory(dark)));
                plot.line(
                    Line::new("multistep regression", PlotPoints::from(mr.clone()))
                        .color(theme::excitatory(dark))
                        .width(2.0),
                );
                plot.points(
                    Points::new("multistep regression", mr)
                        .color(theme::excitatory(dark))
                        .radius(3.0),
                );
                plot.line(
                    Line::new("conventional r₁", PlotPoints::from(conventional.clone()))
                        .color(theme::pattern(1))
                        .width(2.0),
                );
                plot.points(
                    Points::new("conventional r₁", conventional)
                        .color(theme::pattern(1))
                        .radius(3.0),
                );
            });
        ui.label(
            "Subsampling multiplies every regression slope by the same factor b, so r₁ = b·m falls with the observed \
             fraction while the fit of r_k = b·m^k over the lags recovers m (Wilting & Priesemann 2018).",
        );
    }

    fn series(result: &SubsamplingResult) -> Vec<crate::views::kept_runs::Series> {
        let curve = |m: fn(&SubsamplingPoint) -> f64| {
            result.points.iter().map(|p| [p.fraction.log10(), m(p)]).collect()
        };
        vec![
            ("multistep regression".to_string(), curve(|p| p.m_mr)),
            ("conventional r₁".to_string(), curve(|p| p.m_conventional)),
        ]
    }

    fn csv(result: &SubsamplingResult) -> String {
        let mut out = String::from("true_m,fraction,m_mr,m_conventional\n");
        for p in &result.points {
            out += &format!("{},{},{},{}\n", result.m, p.fraction, p.m_mr, p.m_conventional);
        }
        out
    }
}
