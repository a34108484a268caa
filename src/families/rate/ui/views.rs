//! The rate scene's views: the rate grid with its colour scale, overlap and mean-rate curves, the
//! rate distribution, and the inferred transfer function and learning rule.

use egui_plot::{Bar, BarChart, Legend, Line, PlotPoints, VLine};

use super::RateData;
use crate::views::overlaps::{OverlapCurves, overlap_curves_ui};
use crate::views::{CachedTexture, key_of, textured_grid, theme};

/// Milliseconds of history shown in the time plots.
pub const TIME_WINDOW_MS: f64 = 3000.0;

/// The views' own state between frames (the rate grid's texture).
#[derive(Default)]
pub struct RateViews {
    grid: CachedTexture,
}

/// Width and height of the grid the neurons are laid out on (as square as N allows).
pub fn grid_shape(n: usize) -> (usize, usize) {
    let width = (n as f64).sqrt().ceil().max(1.0) as usize;
    (width, n.div_ceil(width).max(1))
}

impl RateViews {
    /// Draws every neuron's rate as a square of colour, with the colour scale beside it.
    pub fn rate_grid_ui(
        &mut self,
        ui: &mut egui::Ui,
        rates_hz: &[f32],
        rate_max_hz: f64,
        side: f32,
        dark: bool,
    ) {
        let (width, height) = grid_shape(rates_hz.len().max(1));
        let quantised: Vec<u8> = rates_hz
            .iter()
            .map(|&r| ((f64::from(r) / rate_max_hz).clamp(0.0, 1.0) * 255.0) as u8)
            .collect();
        let background = theme::raster_background(dark);
        let texture = self.grid.get(ui.ctx(), "rate-grid", key_of(&quantised), || {
            let pixels = (0..width * height)
                .map(|i| {
                    quantised
                        .get(i)
                        .map_or(background, |&q| theme::sequential(f32::from(q) / 255.0))
                })
                .collect();
            egui::ColorImage::new([width, height], pixels)
        });
        ui.horizontal(|ui| {
            textured_grid(
                ui,
                texture.id(),
                (width, height),
                side,
                egui::Sense::hover(),
                (egui::Role::Image, "rate grid"),
            );
            colour_bar_ui(ui, rate_max_hz, side);
        });
    }
}

/// A vertical colour bar from 0 Hz (bottom) to `max_hz` (top) with labelled ticks.
fn colour_bar_ui(ui: &mut egui::Ui, max_hz: f64, height: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(64.0, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let bar = egui::Rect::from_min_size(rect.min, egui::vec2(14.0, height));
    let steps = 48;
    for k in 0..steps {
        let t0 = k as f32 / steps as f32;
        let t1 = (k + 1) as f32 / steps as f32;
        let y0 = bar.bottom() - t1 * bar.height();
        let y1 = bar.bottom() - t0 * bar.height();
        painter.rect_filled(
            egui::Rect::from_x_y_ranges(bar.x_range(), y0..=y1),
            0.0,
            theme::sequential((t0 + t1) / 2.0),
        );
    }
    let text = ui.visuals().text_color();
    for k in 0..=4 {
        let t = k as f32 / 4.0;
        let y = bar.bottom() - t * bar.height();
        painter.text(
            egui::pos2(bar.right() + 4.0, y),
            egui::Align2::LEFT_CENTER,
            format!("{:.0}", max_hz * f64::from(t)),
            egui::FontId::proportional(12.0),
            text,
        );
    }
    painter.text(
        egui::pos2(bar.right() + 4.0, rect.top() - 2.0),
        egui::Align2::LEFT_BOTTOM,
        "Hz",
        egui::FontId::proportional(12.0),
        text,
    );
}

/// Time range shown: the last [`TIME_WINDOW_MS`] up to the latest sample.
fn time_range(data: &RateData) -> (f64, f64) {
    let end = data.time_ms.max(TIME_WINDOW_MS);
    (end - TIME_WINDOW_MS, end)
}

/// Overlap curves with every stored pattern, the cued one thicker.
pub fn overlaps_ui(ui: &mut egui::Ui, data: &RateData, cued: usize, height: f32) {
    let labels: Vec<String> = (1..=data.info.n_patterns).map(|mu| mu.to_string()).collect();
    let curves = OverlapCurves {
        id: "rate-overlaps",
        labels: &labels,
        series: &data.overlaps,
        x_label: "time (ms)",
        range: time_range(data),
        auto_y: false,
    };
    overlap_curves_ui(ui, &curves, cued, height);
}

/// The mean rate over neurons.
pub fn mean_rate_ui(ui: &mut egui::Ui, data: &RateData, dark: bool, height: f32) {
    let (start, end) = time_range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let points = data.mean_rate.decimated(start, end, columns);
    let response = crate::views::plot("rate-mean")
        .show_background(false)
        .height(height)
        .x_axis_label("time (ms)")
        .y_axis_label("rate (Hz)")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("mean rate", PlotPoints::from(points))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "rate-mean");
}

/// The distribution of the network's rates now, beside the rates the stored patterns' inputs evoke
/// through φ alone (what a stimulus gives before recurrence: the paper's novel-stimulus distribution).
pub fn distribution_ui(ui: &mut egui::Ui, data: &RateData, dark: bool, height: f32) {
    let bins = data.rate_density.len().max(1);
    let width = data.info.rate_max_hz / bins as f64;
    let bars: Vec<Bar> = data
        .rate_density
        .iter()
        .enumerate()
        .map(|(k, &d)| Bar::new((k as f64 + 0.5) * width, d).width(width * 0.95))
        .collect();
    let familiar: Vec<[f64; 2]> = data
        .info
        .familiar_density
        .iter()
        .enumerate()
        .map(|(k, &d)| [(k as f64 + 0.5) * width, d])
        .collect();
    let x_f = data.info.params.x_f_hz;
    let response = crate::views::plot("rate-distribution")
        .show_background(false)
        .height(height)
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .x_axis_label("rate (Hz)")
        .y_axis_label("density (1/Hz)")
        .include_x(0.0)
        .include_x(data.info.rate_max_hz)
        .include_y(0.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("network now", bars).color(theme::excitatory(dark)));
            plot.line(
                Line::new("φ(ξ): a stimulus without recurrence", PlotPoints::from(familiar))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
            plot.vline(VLine::new("threshold x_f", x_f).color(theme::pattern(3)));
        });
    crate::views::export::plot_context_menu(&response.response, "rate-distribution");
}

/// φ(h), the transfer function.
pub fn transfer_ui(ui: &mut egui::Ui, data: &RateData, dark: bool, height: f32) {
    let response = crate::views::plot("rate-transfer")
        .show_background(false)
        .height(height)
        .x_axis_label("input h")
        .y_axis_label("φ(h) (Hz)")
        .include_y(0.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("φ", PlotPoints::from(data.info.transfer.clone()))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "rate-transfer");
}

/// f(r) and g(r), the post- and presynaptic factors of the learning rule.
pub fn rule_ui(ui: &mut egui::Ui, data: &RateData, dark: bool, height: f32) {
    let response = crate::views::plot("rate-rule")
        .show_background(false)
        .height(height)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_label("rate r (Hz)")
        .y_axis_label("f, g")
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("f (postsynaptic)", PlotPoints::from(data.info.rule_f.clone()))
                    .color(theme::excitatory(dark))
                    .width(2.0),
            );
            plot.line(
                Line::new("g (presynaptic)", PlotPoints::from(data.info.rule_g.clone()))
                    .color(theme::inhibitory(dark))
                    .width(2.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "rate-rule");
}
