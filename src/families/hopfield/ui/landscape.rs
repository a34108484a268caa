//! The energy landscape over the overlaps with two stored patterns, with the live trajectory.

use egui::{Color32, ColorImage};
use egui_plot::{Line, PlotImage, PlotPoint, PlotPoints, Points};

use super::data::HopfieldData;
use crate::views::theme;
use crate::views::{CachedTexture, key_of};

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
        let plot_response = crate::views::plot("landscape")
            .show_background(false)
            .width(side)
            .height(side)
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
        plot_response.response.on_hover_text(format!(
            "Energy of states with these two overlaps: dark = low ({lo:.1}), bright = high ({hi:.1}). \
             The white line is the path the network took; the red dot is now."
        ));
        (axes != (a, b) && axes.0 != axes.1).then_some(axes)
    }
}
