//! The spiking memory: the pattern grid coloured by rates, overlap curves from spikes, and the
//! patterns to cue.

use egui::{Color32, Sense};

use super::data::MemoryData;
use crate::families::spiking::MemoryInfo;
use crate::views::overlaps::{OverlapCurves, overlap_curves_ui};
use crate::views::theme;
use crate::views::{CachedTexture, key_of, textured_grid};

/// Milliseconds of history shown in the overlap plot.
pub const TIME_WINDOW_MS: f64 = 3000.0;

/// The rate state as an image: s = −1 (off pool winning) to +1 (on pool winning), blended.
pub fn rate_image(state: &[f32], width: usize, height: usize, dark: bool) -> egui::ColorImage {
    let (on, off) = (theme::neuron_on(dark), theme::neuron_off(dark));
    let pixels = (0..width * height)
        .map(|i| {
            let s = state.get(i).copied().unwrap_or(-1.0);
            let t = ((s + 1.0) / 2.0).clamp(0.0, 1.0);
            blend(off, on, t)
        })
        .collect();
    egui::ColorImage::new([width, height], pixels)
}

fn blend(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (f32::from(x) * (1.0 - t) + f32::from(y) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// State of the rate grid between frames.
#[derive(Default)]
pub struct RateGridView {
    texture: CachedTexture,
}

impl RateGridView {
    /// Draws the pixels' rate state filling `side` points.
    pub fn ui(&mut self, ui: &mut egui::Ui, info: &MemoryInfo, data: &MemoryData, side: f32, dark: bool) {
        let (width, height) = (info.patterns.width, info.patterns.height);
        // Quantised so that the texture is re-uploaded only when the picture changes visibly.
        let quantised: Vec<i8> = data
            .rate_state
            .iter()
            .map(|&s| (s.clamp(-1.5, 1.5) * 40.0) as i8)
            .collect();
        let texture = self
            .texture
            .get(ui.ctx(), "memory-grid", key_of(&(&quantised, dark)), || {
                rate_image(&data.rate_state, width, height, dark)
            });
        let (response, painter) = textured_grid(
            ui,
            texture.id(),
            (width, height),
            side,
            Sense::hover(),
            (egui::Role::Image, "pixel states from spike rates"),
        );
        let rect = response.rect;
        let stroke = if data.cue_active {
            egui::Stroke::new(3.0, theme::pattern(0))
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        };
        painter.rect_stroke(rect, 0.0, stroke, egui::StrokeKind::Outside);
        response.on_hover_text(
            "Each square is a pixel: its on pool's rate minus its off pool's, filtered over a few tens of ms. \
             A coloured frame means a cue is being delivered.",
        );
    }
}

/// Draws the overlap curves computed from spikes.
pub fn memory_overlaps_ui(ui: &mut egui::Ui, info: &MemoryInfo, data: &MemoryData, cued: usize, height: f32) {
    let end = data
        .overlaps
        .first()
        .and_then(|s| s.last())
        .map_or(1.0, |p| p[0])
        .max(1.0);
    let start = (end - TIME_WINDOW_MS).max(0.0);
    let curves = OverlapCurves {
        id: "memory-overlaps",
        labels: &info.patterns.labels,
        series: &data.overlaps,
        x_label: "time (ms)",
        range: (start, end),
        auto_y: true,
    };
    overlap_curves_ui(ui, &curves, cued, height);
}
