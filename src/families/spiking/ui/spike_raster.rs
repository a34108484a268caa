//! The spike raster: the last second of spikes of every neuron, scrolling, as a ring texture.

use egui::{Rect, pos2};
use egui_plot::{PlotImage, PlotPoint};

use super::raster::Raster;

/// Draws the raster; returns a neuron the person clicked. `hover` says what a click does.
pub fn raster_ui(ui: &mut egui::Ui, raster: &mut Raster, height: f32, hover: &str) -> Option<u32> {
    let n = raster.n_neurons() as f64;
    let segments = raster.segments();
    let texture = raster.texture(ui.ctx()).id();
    let (start, end) = (segments[0].1.0, segments[1].1.1);
    let response = crate::views::plot("raster")
        .height(height)
        .x_axis_label("time (ms)")
        .y_axis_label("neuron")
        .default_x_bounds(start, end)
        .default_y_bounds(0.0, n)
        .auto_bounds([true, false])
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid(false)
        // The texture covers the whole plot area: a background under it would only cost fill.
        .show_background(false)
        .show(ui, |plot| {
            plot.set_plot_bounds_x(start..=end);
            plot.set_plot_bounds_y(0.0..=n);
            for ((u0, u1), (t0, t1)) in segments {
                if t1 - t0 <= 0.0 {
                    continue;
                }
                let centre = PlotPoint::new(0.5 * (t0 + t1), 0.5 * n);
                let size = [(t1 - t0) as f32, n as f32];
                // Texture row 0 is neuron 0; the plot's y axis grows upwards, so flip v.
                let uv = Rect::from_min_max(pos2(u0, 1.0), pos2(u1, 0.0));
                plot.image(PlotImage::new("spikes", texture, centre, size).uv(uv));
            }
            if plot.response().clicked() {
                plot.pointer_coordinate()
            } else {
                None
            }
        });
    let clicked = response.inner.map(|p| p.y.clamp(0.0, n - 1.0) as u32);
    crate::views::export::plot_context_menu(&response.response, "raster");
    response.response.on_hover_text(hover);
    clicked
}
