//! The weight matrix J_ij as a texture (red positive, blue negative) beside its colour scale, with
//! the value under the cursor.

use super::data::HopfieldData;
use crate::views::theme;
use crate::views::{CachedTexture, key_of};

/// State of the weight view between frames.
#[derive(Default)]
pub struct WeightsView {
    texture: CachedTexture,
}

impl WeightsView {
    /// Draws the N×N weight matrix in a square of `side` points.
    pub fn ui(&mut self, ui: &mut egui::Ui, data: &HopfieldData, side: f32, dark: bool) {
        let Some(weights) = data.info.weights.as_ref() else {
            ui.label("Dense (modern) networks have no pairwise weight matrix.");
            return;
        };
        let n = weights.side;
        let stride = weights.stride;
        let weights = &weights.values;
        if weights.len() != n * n || n == 0 {
            return;
        }
        let key = key_of(&(weights.as_ptr() as usize, dark));
        let scale = weights.iter().fold(0.0f32, |m, w| m.max(w.abs())).max(1e-12);
        let texture = self.texture.get(ui.ctx(), "weights", key, || {
            let pixels = weights
                .iter()
                .map(|&w| theme::diverging(w / scale, dark))
                .collect();
            egui::ColorImage::new([n, n], pixels)
        });
        // The colour bar beside the matrix takes its share of the square.
        let matrix_side = (side - 80.0).max(120.0);
        ui.horizontal_top(|ui| {
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(matrix_side, matrix_side), egui::Sense::hover());
            ui.painter().image(
                texture.id(),
                rect,
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                egui::Color32::WHITE,
            );
            if let Some(pos) = response.hover_pos() {
                let i = (((pos.y - rect.top()) / rect.height()) * n as f32) as usize;
                let j = (((pos.x - rect.left()) / rect.width()) * n as f32) as usize;
                if i < n && j < n {
                    let (a, b) = (i * stride, j * stride);
                    let sampled = if stride > 1 {
                        format!("\n(every {stride}th neuron of {} is drawn)", data.state.len())
                    } else {
                        String::new()
                    };
                    response.on_hover_text(format!("J[{a},{b}] = {:+.4}{sampled}", weights[i * n + j]));
                }
            }
            let scale = f64::from(scale);
            crate::views::widgets::colour_scale(ui, matrix_side * 0.8, (-scale, scale), "", |t| {
                theme::diverging(2.0 * t - 1.0, dark)
            });
        });
    }
}
