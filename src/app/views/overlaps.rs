//! Overlap curves m^μ(t) with every stored pattern, and the energy E(t).

use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::app::history::Series;
use crate::app::scene_data::HopfieldData;
use crate::app::theme;

/// Sweeps of history shown in the time plots.
pub const TIME_WINDOW_SWEEPS: f64 = 30.0;

/// Time range shown: the last [`TIME_WINDOW_SWEEPS`] sweeps up to the latest sample.
fn time_range(series: &Series) -> (f64, f64) {
    let end = series.last().map_or(1.0, |p| p[0]).max(1.0);
    ((end - TIME_WINDOW_SWEEPS).max(0.0), end)
}

/// Draws the overlap curves, the cued pattern thicker.
pub fn overlaps_ui(ui: &mut egui::Ui, data: &HopfieldData, cued: usize, height: f32) {
    let (start, end) = time_range(&data.energy);
    let curves = OverlapCurves {
        id: "overlaps",
        labels: &data.info.labels,
        series: &data.overlaps,
        x_label: "time (sweeps)",
        range: (start, end),
        auto_y: false,
    };
    overlap_curves_ui(ui, &curves, cued, height);
}

/// Overlap curves to draw: one series per pattern over a time range.
pub struct OverlapCurves<'a> {
    /// Plot id.
    pub id: &'a str,
    /// One label per pattern.
    pub labels: &'a [String],
    /// One series per pattern: (time, overlap).
    pub series: &'a [Series],
    /// Label of the time axis, with its unit.
    pub x_label: &'a str,
    /// Time range shown.
    pub range: (f64, f64),
    /// Fit the overlap axis to the data (rate-based overlaps can exceed 1) instead of [−1, 1].
    pub auto_y: bool,
}

/// Draws overlap curves m^μ(t), the cued pattern thicker.
pub fn overlap_curves_ui(ui: &mut egui::Ui, curves: &OverlapCurves<'_>, cued: usize, height: f32) {
    let (start, end) = curves.range;
    let columns = ui.available_width().max(100.0) as usize;
    let plot_response = Plot::new(curves.id)
        .show_background(false)
        .height(height)
        .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
        .x_axis_label(curves.x_label)
        .y_axis_label("overlap m")
        .include_y(-1.05)
        .include_y(1.05)
        .default_x_bounds(start, end)
        .auto_bounds([true, curves.auto_y])
        .allow_scroll(false)
        .show(ui, |plot| {
            for (index, series) in curves.series.iter().enumerate() {
                let label = curves.labels.get(index).map_or("?", String::as_str);
                let points = series.decimated(start, end, columns);
                let width = if index == cued { 3.0 } else { 1.5 };
                plot.line(
                    Line::new(format!("m {label}"), PlotPoints::from(points))
                        .color(theme::pattern(index))
                        .width(width),
                );
            }
        });
    crate::app::export::plot_context_menu(&plot_response.response, curves.id);
}

/// Draws the energy over time.
pub fn energy_ui(ui: &mut egui::Ui, data: &HopfieldData, dark: bool, height: f32) {
    let (start, end) = time_range(&data.energy);
    let columns = ui.available_width().max(100.0) as usize;
    let points = data.energy.decimated(start, end, columns);
    let plot_response = Plot::new("energy")
        .show_background(false)
        .height(height)
        .x_axis_label("time (sweeps)")
        .y_axis_label("energy E")
        .default_x_bounds(start, end)
        .auto_bounds([true, true])
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("E", PlotPoints::from(points))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
        });
    crate::app::export::plot_context_menu(&plot_response.response, "energy");
}
