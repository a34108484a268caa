//! The Hopfield state as a grid: one texture, painted by clicking and dragging.

use egui::{Sense, Stroke, pos2};

use super::data::HopfieldData;
use crate::families::hopfield::HopfieldCommand as Command;
use crate::views::{CachedTexture, grid_image, key_of, textured_grid};

/// State of the grid view between frames.
#[derive(Default)]
pub struct GridView {
    texture: CachedTexture,
    /// Value being painted during a drag (the opposite of the first cell touched).
    painting: Option<i8>,
    /// Cells already painted in this drag.
    last_cell: Option<usize>,
}

impl GridView {
    /// Draws the grid filling `side` points; returns the paint commands of this frame.
    pub fn ui(&mut self, ui: &mut egui::Ui, data: &mut HopfieldData, side: f32, dark: bool) -> Vec<Command> {
        let (width, height) = (data.info.width, data.info.height);
        let key = key_of(&(&data.state, dark));
        let texture = self.texture.get(ui.ctx(), "hopfield-grid", key, || {
            grid_image(&data.state, width, height, dark)
        });
        let (response, painter) = textured_grid(
            ui,
            texture.id(),
            (width, height),
            side,
            Sense::click_and_drag(),
            (egui::Role::Canvas, "network state (paint with the mouse)"),
        );
        let rect = response.rect;
        // Thin cell borders help a class see individual neurons.
        let cell = rect.width() / width.max(1) as f32;
        if cell >= 8.0 {
            let stroke = Stroke::new(1.0, ui.visuals().window_fill.gamma_multiply(0.6));
            for x in 1..width {
                let px = rect.left() + x as f32 * cell;
                painter.line_segment([pos2(px, rect.top()), pos2(px, rect.bottom())], stroke);
            }
            for y in 1..height {
                let py = rect.top() + y as f32 * cell;
                painter.line_segment([pos2(rect.left(), py), pos2(rect.right(), py)], stroke);
            }
        }
        painter.rect_stroke(
            rect,
            0.0,
            ui.visuals().widgets.noninteractive.bg_stroke,
            egui::StrokeKind::Outside,
        );
        let mut commands = Vec::new();
        let pointer = response.interact_pointer_pos();
        if let Some(pos) = pointer.filter(|_| response.is_pointer_button_down_on()) {
            let cx = ((pos.x - rect.left()) / rect.width() * width as f32).floor();
            let cy = ((pos.y - rect.top()) / rect.height() * height as f32).floor();
            if cx >= 0.0 && cy >= 0.0 && (cx as usize) < width && (cy as usize) < height {
                let index = cy as usize * width + cx as usize;
                let value = *self
                    .painting
                    .get_or_insert(-data.state.get(index).copied().unwrap_or(-1));
                if self.last_cell != Some(index) {
                    self.last_cell = Some(index);
                    if data.state[index] != value {
                        // Show the stroke at once; the engine confirms it with the next snapshot.
                        data.state[index] = value;
                        data.state_changed = true;
                    }
                    commands.push(Command::Paint { index, value });
                }
            }
        } else {
            self.painting = None;
            self.last_cell = None;
        }
        response.on_hover_text("Click or drag to paint neurons: the first cell you touch decides on or off.");
        commands
    }
}
