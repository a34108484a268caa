//! The Hopfield scene's time plots: overlap curves m^μ(t) and the energy E(t).

use egui_plot::{Line, PlotPoints};

use super::data::HopfieldData;
use crate::views::history::Series;
use crate::views::overlaps::{OverlapCurves, overlap_curves_ui};
use crate::views::theme;

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

/// Draws the energy over time.
pub fn energy_ui(ui: &mut egui::Ui, data: &HopfieldData, dark: bool, height: f32) {
    let (start, end) = time_range(&data.energy);
    let columns = ui.available_width().max(100.0) as usize;
    let points = data.energy.decimated(start, end, columns);
    let plot_response = crate::views::plot("energy")
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
    crate::views::export::plot_context_menu(&plot_response.response, "energy");
}
