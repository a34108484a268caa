//! The stored patterns as thumbnails; clicking one cues the network with a corrupted copy.

use egui::{Sense, Stroke, vec2};

use super::{CachedTexture, grid_image, key_of};
use crate::app::scene_data::HopfieldData;

/// State of the pattern thumbnails between frames.
#[derive(Default)]
pub struct PatternsView {
    textures: Vec<CachedTexture>,
}

impl PatternsView {
    /// Draws the thumbnails; returns the index of a clicked pattern.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &HopfieldData,
        selected: usize,
        dark: bool,
    ) -> Option<usize> {
        let (width, height) = (data.info.width, data.info.height);
        self.textures
            .resize_with(data.info.patterns.len(), CachedTexture::default);
        let mut clicked = None;
        let thumb = 44.0;
        ui.horizontal_wrapped(|ui| {
            for (index, (pattern, label)) in data.info.patterns.iter().zip(&data.info.labels).enumerate() {
                let overlap = data
                    .overlaps
                    .get(index)
                    .and_then(|s| s.last())
                    .map_or(0.0, |p| p[1]);
                ui.vertical(|ui| {
                    let texture =
                        self.textures[index].get(ui.ctx(), "pattern", key_of(&(pattern, dark)), || {
                            grid_image(pattern, width, height, dark)
                        });
                    let size = vec2(thumb, thumb * height as f32 / width.max(1) as f32);
                    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("cue pattern {label}"))
                    });
                    ui.painter().image(
                        texture.id(),
                        rect,
                        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                        egui::Color32::WHITE,
                    );
                    let colour = crate::app::theme::pattern(index);
                    let width = if index == selected { 3.0 } else { 1.0 };
                    ui.painter().rect_stroke(
                        rect,
                        2.0,
                        Stroke::new(width, colour),
                        egui::StrokeKind::Outside,
                    );
                    ui.label(
                        egui::RichText::new(format!("{label}  m={overlap:+.2}"))
                            .small()
                            .color(colour),
                    );
                    if response
                        .on_hover_text("Click: cue the network with this pattern, corrupted")
                        .clicked()
                    {
                        clicked = Some(index);
                    }
                });
            }
        });
        clicked
    }
}
