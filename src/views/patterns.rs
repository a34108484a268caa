//! The stored patterns as thumbnails; clicking one cues the network with a corrupted copy.

use egui::{Sense, Stroke, vec2};

use super::{CachedTexture, grid_image, key_of};

/// What the thumbnails show: a pattern set on its grid and the latest overlap with each pattern.
pub struct Thumbnails<'a> {
    /// Grid width.
    pub width: usize,
    /// Grid height.
    pub height: usize,
    /// The patterns (±1).
    pub patterns: &'a [Vec<i8>],
    /// One label per pattern.
    pub labels: &'a [String],
    /// The latest overlap with each pattern.
    pub overlaps: Vec<f64>,
}

/// The latest value of every series (0 for an empty one).
pub fn latest_values(series: &[super::history::Series]) -> Vec<f64> {
    series.iter().map(|s| s.last().map_or(0.0, |p| p[1])).collect()
}

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
        data: &Thumbnails<'_>,
        selected: usize,
        dark: bool,
    ) -> Option<usize> {
        let (width, height) = (data.width, data.height);
        self.textures
            .resize_with(data.patterns.len(), CachedTexture::default);
        let mut clicked = None;
        let thumb = 44.0;
        let thumb_height = thumb * height as f32 / width.max(1) as f32;
        // Each thumbnail and its label as one box of a known size, so that the row wraps (a
        // `vertical` child of a wrapping row never wraps: 26 letters ran off the screen).
        let cell = vec2(thumb + 22.0, thumb_height + 18.0);
        ui.horizontal_wrapped(|ui| {
            for (index, (pattern, label)) in data.patterns.iter().zip(data.labels).enumerate() {
                let overlap = data.overlaps.get(index).copied().unwrap_or(0.0);
                ui.allocate_ui_with_layout(cell, egui::Layout::top_down(egui::Align::Min), |ui| {
                    let texture =
                        self.textures[index].get(ui.ctx(), "pattern", key_of(&(pattern, dark)), || {
                            grid_image(pattern, width, height, dark)
                        });
                    let size = vec2(thumb, thumb_height);
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
                    let colour = super::theme::pattern(index);
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
