//! Membrane potential traces of the recorded neurons, with threshold and reset marked.

use egui_plot::{HLine, Legend, Line, LineStyle, PlotPoints};

use super::data::SpikingData;
use super::raster::WINDOW_MS;
use crate::views::theme;

/// Draws the traces of the last [`WINDOW_MS`], in mV.
pub fn traces_ui(ui: &mut egui::Ui, data: &SpikingData, dark: bool, height: f32) {
    let end = data.time_ms.max(WINDOW_MS);
    let start = end - WINDOW_MS;
    let columns = ui.available_width().max(100.0) as usize;
    let threshold = data.info.populations.first().map_or(0.0, |p| p.threshold_mv);
    let reset = data.info.populations.first().map_or(0.0, |p| p.reset_mv);
    let plot_response = crate::views::plot("traces")
        .show_background(false)
        .height(height)
        .legend(Legend::default())
        .x_axis_label("time (ms)")
        .y_axis_label("V (mV)")
        .default_x_bounds(start, end)
        .auto_bounds([true, true])
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.set_plot_bounds_x(start..=end);
            plot.hline(
                HLine::new("threshold", threshold)
                    .color(theme::theory(dark))
                    .style(LineStyle::dashed_loose()),
            );
            plot.hline(
                HLine::new("reset", reset)
                    .color(theme::theory(dark))
                    .style(LineStyle::dotted_dense()),
            );
            for (k, (series, &neuron)) in data.traces.iter().zip(&data.info.recorded).enumerate() {
                let points = series.decimated(start, end, columns);
                let excitatory = data
                    .info
                    .populations
                    .iter()
                    .find(|p| (neuron as usize) < p.start + p.len)
                    .is_none_or(|p| p.excitatory);
                let base = if excitatory {
                    theme::excitatory(dark)
                } else {
                    theme::inhibitory(dark)
                };
                let colour = base.gamma_multiply(1.0 - 0.25 * (k % 3) as f32);
                plot.line(Line::new(format!("neuron {neuron}"), PlotPoints::from(points)).color(colour));
            }
        });
    crate::views::export::plot_context_menu(&plot_response.response, "traces");
}
