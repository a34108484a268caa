//! The branching views: activity over steps, the regression slopes with the multistep fit, and the
//! avalanche distributions on log-log axes beside their power laws.

use egui_plot::{Corner, Legend, Line, LineStyle, PlotPoints, Points};

use super::BranchingData;
use crate::views::theme;

/// Steps shown by the activity trace.
const TRACE_STEPS: f64 = 2_000.0;

/// Every view of the scene.
pub fn branching_views_ui(ui: &mut egui::Ui, data: &BranchingData, dark: bool) {
    if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
        let height = crate::views::maximise::height(ui);
        match name.as_str() {
            "branching-activity" => return activity_ui(ui, data, dark, height),
            "branching-slopes" => return slopes_ui(ui, data, dark, height),
            "branching-sizes" => return sizes_ui(ui, data, dark, height),
            "branching-durations" => return durations_ui(ui, data, dark, height),
            _ => {}
        }
    }
    let info = &data.info;
    let s = &info.setup;
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("m = {}", s.m));
        match &data.estimate {
            Some((e, _)) => {
                ui.label(format!(
                    "· from {} observed units (last {} steps): multistep-regression m̂ = {:.3} (bias b = {:.3}, R² {:.2}) · \
                     conventional r₁ = {:.3} · r₁ of the whole network = {:.3}",
                    info.observed_units, e.steps, e.m_mr, e.b, e.fit_r2, e.m_conventional, e.m_whole
                ));
            }
            None => {
                ui.label("· the estimate waits for 2,000 steps of activity");
            }
        }
    });
    let full = ui.available_width();
    let height = ui.available_height().max(420.0);
    let top = (height * 0.45).clamp(180.0, 360.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(full * 0.58);
            ui.strong("Activity: active units per step");
            activity_ui(ui, data, dark, top);
        });
        ui.vertical(|ui| {
            ui.strong("Regression slopes r_k of the observed activity");
            slopes_ui(ui, data, dark, top);
        });
    });
    ui.separator();
    let bottom = (ui.available_height() - 30.0).clamp(150.0, 360.0);
    match &data.avalanches {
        Some(a) => {
            ui.strong(format!(
                "{} avalanches without drive at m = {} (size exponent {}, duration exponent {})",
                a.avalanches.len(),
                a.m,
                a.size_exponent.map_or("–".into(), |e| format!("{e:.2}")),
                a.duration_exponent.map_or("–".into(), |e| format!("{e:.2}"))
            ));
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(full * 0.49);
                    sizes_ui(ui, data, dark, bottom);
                });
                ui.vertical(|ui| {
                    durations_ui(ui, data, dark, bottom);
                });
            });
        }
        None => {
            ui.label("Press \"Measure avalanches\" on the left: avalanches of the same network without drive, each from one unit.");
        }
    }
}

fn activity_ui(ui: &mut egui::Ui, data: &BranchingData, dark: bool, height: f32) {
    let end = data.steps.max(TRACE_STEPS);
    let start = end - TRACE_STEPS;
    let columns = ui.available_width().max(100.0) as usize;
    let scale = 1.0 / data.info.setup.subsample;
    let whole = data.activity.decimated(start, end, columns);
    let observed: Vec<[f64; 2]> = data
        .observed
        .decimated(start, end, columns)
        .into_iter()
        .map(|[t, a]| [t, a * scale])
        .collect();
    let response = crate::views::plot("branching-activity")
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_label("step")
        .y_axis_label("active units")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .show(ui, |plot| {
            plot.line(
                Line::new(
                    "observed × N/n (what a subsample suggests)",
                    PlotPoints::from(observed),
                )
                .color(theme::excitatory(dark).gamma_multiply(0.6))
                .width(1.0),
            );
            plot.line(
                Line::new("whole network", PlotPoints::from(whole))
                    .color(theme::theory(dark))
                    .width(1.5),
            );
            if let Some(mean) = data.info.theory_mean_activity {
                plot.hline(
                    egui_plot::HLine::new(format!("h/(1 − m) = {mean:.0}"), mean)
                        .color(theme::pattern(1))
                        .style(LineStyle::dashed_loose()),
                );
            }
        });
    crate::views::export::plot_context_menu(&response.response, "branching-activity");
}

fn slopes_ui(ui: &mut egui::Ui, data: &BranchingData, dark: bool, height: f32) {
    let response = crate::views::plot("branching-slopes")
        .height(height)
        .legend(Legend::default().position(Corner::RightTop))
        .x_axis_label("lag k (steps)")
        .y_axis_label("log₁₀ r_k")
        .show(ui, |plot| {
            let Some((e, slopes)) = &data.estimate else {
                return;
            };
            let points: Vec<[f64; 2]> = slopes
                .iter()
                .enumerate()
                .filter(|(_, r)| **r > 0.0)
                .map(|(k, r)| [(k + 1) as f64, r.log10()])
                .collect();
            plot.points(
                Points::new("r_k measured", points)
                    .color(theme::excitatory(dark))
                    .radius(2.5),
            );
            let fit: Vec<[f64; 2]> = (1..=slopes.len())
                .map(|k| [k as f64, (e.b * e.m_mr.powi(k as i32)).log10()])
                .collect();
            plot.line(
                Line::new(format!("fit b·m̂^k, m̂ = {:.3}", e.m_mr), PlotPoints::from(fit))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
            let m = data.info.setup.m;
            let truth: Vec<[f64; 2]> = (1..=slopes.len())
                .map(|k| [k as f64, (e.b * m.powi(k as i32)).log10()])
                .collect();
            plot.line(
                Line::new(format!("b·m^k with the true m = {m}"), PlotPoints::from(truth))
                    .color(theme::pattern(1))
                    .style(LineStyle::dashed_loose()),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "branching-slopes");
}

/// Log-binned density of `values` (bins of a factor √2): (log₁₀ x, log₁₀ density).
fn log_density(values: impl Iterator<Item = u64>, count: usize) -> Vec<[f64; 2]> {
    let mut bins = vec![0usize; 64];
    for v in values {
        let b = (2.0 * (v.max(1) as f64).log2()).floor() as usize;
        if b < bins.len() {
            bins[b] += 1;
        }
    }
    bins.iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(b, &c)| {
            let lo = 2f64.powf(b as f64 / 2.0).ceil();
            let hi = 2f64.powf((b + 1) as f64 / 2.0).ceil();
            let width = (hi - lo).max(1.0);
            let centre = (lo * hi).sqrt();
            [centre.log10(), (c as f64 / (width * count as f64)).log10()]
        })
        .collect()
}

/// A power law x^−α through the first point of `points`, over their range.
fn reference_line(points: &[[f64; 2]], alpha: f64) -> Vec<[f64; 2]> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    vec![*first, [last[0], first[1] - alpha * (last[0] - first[0])]]
}

fn sizes_ui(ui: &mut egui::Ui, data: &BranchingData, dark: bool, height: f32) {
    let Some(a) = &data.avalanches else { return };
    let points = log_density(a.avalanches.iter().map(|x| x.0), a.avalanches.len());
    let response = crate::views::plot("branching-sizes")
        .height(height)
        .legend(Legend::default().position(Corner::RightTop))
        .x_axis_label("log₁₀ size (activations)")
        .y_axis_label("log₁₀ P(size)")
        .show(ui, |plot| {
            plot.line(
                Line::new(
                    "s^−3/2 (critical branching)",
                    PlotPoints::from(reference_line(&points, 1.5)),
                )
                .color(theme::theory(dark))
                .style(LineStyle::dashed_loose()),
            );
            plot.points(
                Points::new("measured", points)
                    .color(theme::excitatory(dark))
                    .radius(3.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "branching-sizes");
}

fn durations_ui(ui: &mut egui::Ui, data: &BranchingData, dark: bool, height: f32) {
    let Some(a) = &data.avalanches else { return };
    let points = log_density(a.avalanches.iter().map(|x| x.1), a.avalanches.len());
    // P(T = t) = P(T > t − 1) − P(T > t) of the exact branching process.
    let exact: Vec<[f64; 2]> = a
        .duration_survival
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] - w[1] > 0.0)
        .map(|(t, w)| [((t + 1) as f64).log10(), (w[0] - w[1]).log10()])
        .collect();
    let response = crate::views::plot("branching-durations")
        .height(height)
        .legend(Legend::default().position(Corner::RightTop))
        .x_axis_label("log₁₀ duration (steps)")
        .y_axis_label("log₁₀ P(duration)")
        .show(ui, |plot| {
            plot.line(
                Line::new("t^−2 (asymptote)", PlotPoints::from(reference_line(&points, 2.0)))
                    .color(theme::theory(dark))
                    .style(LineStyle::dashed_loose()),
            );
            plot.line(
                Line::new("exact law at this m (Harris)", PlotPoints::from(exact))
                    .color(theme::pattern(1))
                    .width(2.0),
            );
            plot.points(
                Points::new("measured", points)
                    .color(theme::excitatory(dark))
                    .radius(3.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "branching-durations");
}
