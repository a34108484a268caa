//! Overlap curves m^μ(t) with every stored pattern (Hopfield scenes, the spiking and rate memories).

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::history::Series;
use super::theme;

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
    super::export::plot_context_menu(&plot_response.response, curves.id);
}
