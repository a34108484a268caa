//! The energy landscape over the overlaps with two stored patterns, with the live trajectory.

use egui::{Color32, ColorImage};
use egui_plot::{Line, PlotImage, PlotPoint, PlotPoints, Points};

use super::data::HopfieldData;
use crate::views::theme;
use crate::views::{CachedTexture, key_of};

/// Width the colour bar and its labels take beside the map, in points.
const SCALE_WIDTH: f32 = 80.0;

/// State of the landscape view between frames.
#[derive(Default)]
pub struct LandscapeView {
    texture: CachedTexture,
}

impl LandscapeView {
    /// Draws the map and trajectory; returns new axes if the person picked other patterns.
    pub fn ui(&mut self, ui: &mut egui::Ui, data: &HopfieldData, side: f32) -> Option<(usize, usize)> {
        let Some(landscape) = data.info.landscape.as_ref() else {
            ui.label("The landscape needs at least two stored patterns.");
            return None;
        };
        let (a, b) = landscape.axes;
        let label = |i: usize| data.info.labels.get(i).cloned().unwrap_or_else(|| i.to_string());
        let mut axes = (a, b);
        ui.horizontal(|ui| {
            for (which, slot) in [("x axis", &mut axes.0), ("y axis", &mut axes.1)] {
                egui::ComboBox::from_label(which)
                    .selected_text(format!("m {}", label(*slot)))
                    .show_ui(ui, |ui| {
                        for i in 0..data.info.labels.len() {
                            ui.selectable_value(slot, i, format!("m {}", label(i)));
                        }
                    });
            }
        });
        let finite = landscape.energy.iter().copied().filter(|e| e.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
            (lo.min(e), hi.max(e))
        });
        let n = landscape.side;
        let texture = self.texture.get(
            ui.ctx(),
            "landscape",
            key_of(&(a, b, n, lo.to_bits(), hi.to_bits())),
            || {
                // Image rows run top-down; the map's rows run from m_b = −1 upwards.
                let pixels = (0..n * n)
                    .map(|i| {
                        let (row, col) = (n - 1 - i / n, i % n);
                        let e = landscape.energy[row * n + col];
                        if e.is_finite() {
                            theme::sequential(((e - lo) / (hi - lo).max(1e-12)) as f32)
                        } else {
                            Color32::TRANSPARENT
                        }
                    })
                    .collect();
                ColorImage::new([n, n], pixels)
            },
        );
        let trajectory: Vec<[f64; 2]> = data.trajectory.iter().copied().collect();
        let current = trajectory.last().copied();
        // The colour bar beside the map takes its share of the square.
        let plot_side = (side - SCALE_WIDTH).max(120.0);
        ui.horizontal_top(|ui| {
            let plot_response = crate::views::plot("landscape")
                .show_background(false)
                .width(plot_side)
                .height(plot_side)
                .data_aspect(1.0)
                .x_axis_label(format!("overlap with {}", label(a)))
                .y_axis_label(format!("overlap with {}", label(b)))
                .include_x(-1.0)
                .include_x(1.0)
                .include_y(-1.0)
                .include_y(1.0)
                .allow_scroll(false)
                .show(ui, |plot| {
                    plot.image(PlotImage::new(
                        "energy",
                        texture.id(),
                        PlotPoint::new(0.0, 0.0),
                        [2.0, 2.0],
                    ));
                    plot.line(
                        Line::new("trajectory", PlotPoints::from(trajectory))
                            .color(Color32::WHITE)
                            .width(1.5),
                    );
                    if let Some(p) = current {
                        plot.points(
                            Points::new("now", PlotPoints::from(vec![p]))
                                .radius(5.0)
                                .color(Color32::RED),
                        );
                    }
                });
            crate::views::export::plot_context_menu(&plot_response.response, "landscape");
            // The energy under the cursor: the map's cell at those two overlaps.
            let under_cursor = plot_response.response.hover_pos().and_then(|pos| {
                let at = plot_response.transform.value_from_position(pos);
                let cell = |m: f64| ((m + 1.0) / 2.0 * n as f64).floor();
                let (col, row) = (cell(at.x), cell(at.y));
                ((0.0..n as f64).contains(&col) && (0.0..n as f64).contains(&row)).then(|| {
                    let e = landscape.energy[row as usize * n + col as usize];
                    (at.x, at.y, e)
                })
            });
            let hover = match under_cursor {
                Some((ma, mb, e)) if e.is_finite() => format!(
                    "m {} = {ma:+.2}, m {} = {mb:+.2}: energy {e:.2}. ",
                    label(a),
                    label(b)
                ),
                Some(_) => "No ±1 state has these two overlaps. ".to_string(),
                None => String::new(),
            };
            plot_response.response.on_hover_text(format!(
                "{hover}Energy of states with these two overlaps: dark = low, bright = high. The white line is \
                 the path the network took; the red dot is now."
            ));
            crate::views::widgets::colour_scale(ui, plot_side * 0.8, (lo, hi), "", |t| {
                theme::sequential(t)
            });
        });
        (axes != (a, b) && axes.0 != axes.1).then_some(axes)
    }
}
