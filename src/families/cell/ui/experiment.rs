//! The neuron lab's experiment for the Experiments window: the f-I curves of Hodgkin-Huxley, AdEx,
//! EIF and LIF with their default parameters on one plot, each current over its own rheobase.

use crate::families::cell::NeuronLab;
use crate::families::cell::model::analysis::rheobase_search;
use crate::families::cell::model::{CellKind, CellParams, FiPoint, rheobase, steady_rate_hz};
use crate::families::cell::protocol::FiCurve;
use crate::families::cell::scene::{FI_DT_MS, FI_DURATION_MS, FI_RELATIVE};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;

/// The neuron lab's experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellExperiment {
    /// f-I curves of the four models.
    FiCurves,
}

/// What the user set for the f-I experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct FiSettings {
    /// Integration step, in ms.
    pub dt_ms: f64,
    /// Length of every run, in ms (the rate counts the second half).
    pub run_ms: f64,
}

impl Default for FiSettings {
    fn default() -> Self {
        Self {
            dt_ms: FI_DT_MS,
            run_ms: FI_DURATION_MS,
        }
    }
}

/// The f-I curves measured so far.
#[derive(Debug, Clone, Default)]
pub struct FiResult {
    /// One curve per model finished or under way.
    pub curves: Vec<FiCurve>,
}

/// Measures the four curves, handing each new point to `on_partial`.
pub fn run(
    settings: &FiSettings,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&FiResult),
) -> Result<FiResult, String> {
    if !(settings.dt_ms > 0.0 && settings.dt_ms <= crate::families::cell::model::MAX_DT_MS) {
        return Err(format!(
            "dt must be between 0 and 0.05 ms, not {}",
            settings.dt_ms
        ));
    }
    if !(100.0..=100_000.0).contains(&settings.run_ms) {
        return Err(format!(
            "the run length must be between 100 and 100000 ms, not {}",
            settings.run_ms
        ));
    }
    let total = CellKind::ALL.len() * (FI_RELATIVE.len() + 1);
    let mut result = FiResult::default();
    let mut done = 0;
    for kind in CellKind::ALL {
        let params = CellParams::default().with_kind(kind);
        let (range, tolerance) = rheobase_search(kind);
        let rheo =
            rheobase(params, settings.dt_ms, settings.run_ms, range, tolerance).map_err(|e| e.to_string())?;
        done += 1;
        progress.advance(done, total);
        result.curves.push(FiCurve {
            kind,
            rheobase: rheo,
            points: Vec::new(),
        });
        for &x in &FI_RELATIVE {
            if progress.cancelled() {
                return Ok(result);
            }
            let rate_hz = steady_rate_hz(params, x * rheo, settings.dt_ms, settings.run_ms)
                .map_err(|e| e.to_string())?;
            if let Some(curve) = result.curves.last_mut() {
                curve.points.push(FiPoint {
                    current: x * rheo,
                    relative_current: x,
                    rate_hz,
                });
            }
            done += 1;
            progress.advance(done, total);
            on_partial(&result);
        }
    }
    Ok(result)
}

impl FamilyExperiments for NeuronLab {
    type Kind = CellExperiment;
    type Settings = FiSettings;
    type Result = FiResult;
    const TABS: &'static [ExperimentTab<CellExperiment>] = &[(
        CellExperiment::FiCurves,
        "f-I of four neurons",
        "Neuron lab: the f-I curves of Hodgkin-Huxley (type II), AdEx, EIF and LIF (type I) on one plot",
    )];

    fn describe(_kind: CellExperiment, s: &FiSettings) -> String {
        format!("dt = {} ms, {} ms per current", s.dt_ms, s.run_ms)
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: CellExperiment, settings: &mut FiSettings) {
        ui.horizontal(|ui| {
            ui.label("dt (ms)");
            ui.add(
                egui::DragValue::new(&mut settings.dt_ms)
                    .range(0.001..=0.05)
                    .speed(0.001),
            );
            ui.label("run per point (ms)");
            ui.add(
                egui::DragValue::new(&mut settings.run_ms)
                    .range(100.0..=10_000.0)
                    .speed(10.0),
            );
        });
    }

    fn run(
        _kind: CellExperiment,
        settings: &FiSettings,
        _seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&FiResult),
    ) -> Result<FiResult, String> {
        run(settings, progress, on_partial)
    }

    fn plot_ui(ui: &mut egui::Ui, result: &FiResult, kept: &[crate::views::kept_runs::KeptRun], dark: bool) {
        super::views::fi_plot_ui(
            ui,
            "cell-fi-experiment",
            &result.curves,
            None,
            (kept, dark),
            300.0,
        );
        ui.label(
            "Hodgkin-Huxley jumps to about 50 Hz at its rheobase (type II, a subcritical Hopf bifurcation \
             with a coexisting limit cycle); the LIF, EIF and AdEx start from 0 Hz (type I, a saddle-node).",
        );
    }

    fn series(result: &FiResult) -> Vec<crate::views::kept_runs::Series> {
        result
            .curves
            .iter()
            .map(|curve| {
                let points = curve
                    .points
                    .iter()
                    .map(|p| [p.relative_current, p.rate_hz])
                    .collect();
                (curve.kind.label().to_string(), points)
            })
            .collect()
    }

    fn csv(result: &FiResult) -> String {
        let mut out = String::from("model,current_unit,rheobase,current,current_over_rheobase,rate_hz\n");
        for curve in &result.curves {
            for p in &curve.points {
                out += &format!(
                    "{},{},{},{},{},{}\n",
                    curve.kind.label(),
                    curve.kind.current_unit(),
                    curve.rheobase,
                    p.current,
                    p.relative_current,
                    p.rate_hz
                );
            }
        }
        out
    }
}
