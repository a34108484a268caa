//! The keyboard and presentation: play, step, reset, scenes by number, full screen, the zoom (menu
//! and Ctrl +/−/0, kept in the settings) and the `?` overlay that lists every shortcut.

use super::{EngramApp, Pending};
use crate::engine::Command;

/// The keyboard shortcuts the `?` overlay lists (keys, what they do).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play or pause"),
    (
        "S",
        "one step (a sweep, or 1 ms of a spiking network), then pause",
    ),
    ("R", "reset the scene with the same seed"),
    ("1 – 9", "the first nine scenes of the menu"),
    (
        "Ctrl +  /  Ctrl −",
        "everything larger / smaller (kept across restarts)",
    ),
    ("Ctrl 0", "back to 100 %"),
    ("Ctrl S", "save the session (asks where the first time)"),
    ("Ctrl O", "open a session"),
    ("F11", "full screen on and off"),
    (
        "double-click a plot",
        "show it alone, as large as the window; again or Esc: every view",
    ),
    ("?", "this list; Esc closes it"),
];

impl EngramApp {
    /// Carries out the keys pressed this frame (none but F11 while a text field has the focus).
    pub(super) fn keyboard(&mut self, ctx: &egui::Context) {
        // Ctrl + / Ctrl − / Ctrl 0 are egui's own zoom keys: keep what they set.
        self.settings.zoom = ctx.zoom_factor();
        let pressed = |key| ctx.input(|i| i.key_pressed(key));
        if pressed(egui::Key::F11) {
            let fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!fullscreen));
        }
        // No shortcut acts behind a dialog (any modal window: files, unsaved changes).
        let modal_open = ctx.memory(|m| m.top_modal_layer().is_some());
        if ctx.memory(|m| m.focused().is_some())
            || modal_open
            || self.controls.dialog.is_some()
            || self.pending.is_some()
        {
            return;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
            self.save_session();
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::O)) {
            self.open_file_dialog(super::files::FileAction::OpenSession);
        }
        if pressed(egui::Key::Questionmark)
            || ctx.input(|i| i.events.iter().any(|e| *e == egui::Event::Text("?".into())))
        {
            self.show_shortcuts = !self.show_shortcuts;
        }
        if pressed(egui::Key::Escape) {
            self.show_shortcuts = false;
            crate::views::maximise::set_maximised(ctx, None);
        }
        if pressed(egui::Key::Space) {
            self.toggle_play();
        }
        if pressed(egui::Key::S) {
            self.send(Command::Step);
        }
        if pressed(egui::Key::R) {
            self.send(Command::Reset);
        }
        let digits = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        for (index, key) in digits.into_iter().enumerate() {
            if pressed(key) {
                self.request(Pending::SwitchScene(index));
            }
        }
    }

    /// The keyboard shortcuts, in a window that `?` opens and closes.
    pub(super) fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        if !self.show_shortcuts {
            return;
        }
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.strong(*keys);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        self.show_shortcuts = open;
    }

    /// Whether lines and shapes are drawn with anti-aliased edges: the setting, or on unless a
    /// software renderer draws the window.
    pub fn smooth_lines(&self) -> bool {
        self.settings.smooth_lines.unwrap_or(!self.software_renderer)
    }

    /// Draws lines and shapes as [`EngramApp::smooth_lines`] says from the next frame on.
    pub fn apply_smooth_lines(&self) {
        crate::views::export::set_smooth_lines(&self.ctx, self.smooth_lines());
    }

    /// The zoom menu: the size of everything on screen, kept across restarts (in the status bar,
    /// so that the top bar fits a 1280-pixel projector).
    pub(super) fn zoom_ui(&mut self, ui: &mut egui::Ui) {
        let zoom = self.settings.zoom;
        egui::ComboBox::from_id_salt("zoom")
            .selected_text(format!("zoom {:.0} %", zoom * 100.0))
            .width(90.0)
            .show_ui(ui, |ui| {
                for step in crate::app::ZOOM_STEPS {
                    let label = format!("{:.0} %", step * 100.0);
                    if ui.selectable_label((step - zoom).abs() < 0.01, label).clicked() {
                        self.settings.zoom = step;
                        ui.ctx().set_zoom_factor(step);
                    }
                }
                ui.separator();
                let mut smooth = self.smooth_lines();
                if ui
                    .checkbox(&mut smooth, "smooth lines")
                    .on_hover_text(
                        "Anti-aliased edges. A machine without a graphics card draws the window on \
                         its processor, where they cost a fifth of each frame (Brunel's network: \
                         40 fps with them, 60 without), so they start off there.",
                    )
                    .changed()
                {
                    self.settings.smooth_lines = Some(smooth);
                    self.apply_smooth_lines();
                }
            })
            .response
            .on_hover_text(
                "Size of everything on screen, for a projector (Ctrl + / Ctrl − / Ctrl 0; F11: full screen; ?: shortcuts)",
            );
    }
}
