//! The app's two bars: the top bar (scene menu, run controls, speed, windows, theme, recording)
//! and the status bar (time, speed achieved, frame rate, notices and errors).

use super::*;

impl EngramApp {
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("engram");
            ui.separator();
            let presets = presets::all();
            let current = self.open_scene_name();
            let current = current.as_str();
            let mut chosen = None;
            // A long name ("Balanced: asynchronous irregular") ends in "…" instead of pushing the
            // bar onto a second row at 1280 pixels; the menu and the panel show it whole.
            const SHOWN_CHARS: usize = 24;
            let shown = if current.chars().count() > SHOWN_CHARS {
                format!("{}…", current.chars().take(SHOWN_CHARS - 1).collect::<String>().trim_end())
            } else {
                current.to_string()
            };
            egui::ComboBox::from_label("scene")
                .selected_text(shown)
                .width(200.0)
                .show_ui(ui, |ui| {
                    for (index, preset) in presets.iter().enumerate() {
                        let label = format!("{}  {}", index + 1, preset.name);
                        if ui
                            .selectable_label(index == self.settings.preset, label)
                            .on_hover_text(&preset.text)
                            .clicked()
                        {
                            chosen = Some(index);
                        }
                    }
                });
            if let Some(index) = chosen {
                self.request(Pending::SwitchScene(index));
            }
            ui.separator();
            let play_label = if self.status.playing { "Pause" } else { "Play" };
            // One width for both words, so the buttons after it do not move when it changes.
            let width = 56.0;
            if ui
                .add(egui::Button::new(play_label).min_size(egui::vec2(width, 0.0)))
                .on_hover_text("Run or pause the simulation (Space)")
                .clicked()
            {
                self.toggle_play();
            }
            if ui
                .button("Step")
                .on_hover_text("Advance one sweep or 1 ms, then pause (S)")
                .clicked()
            {
                self.send(Command::Step);
            }
            if ui
                .button("Reset")
                .on_hover_text("Rebuild the scene with the same seed (R)")
                .clicked()
            {
                self.send(Command::Reset);
            }
            ui.separator();
            if self.speed_ui(ui) {
                self.send(Command::SetSpeed(self.settings.speed()));
            }
            ui.separator();
            if ui
                .selectable_label(self.experiments.open, "Experiments")
                .on_hover_text("Run capacity, temperature and f-I sweeps with theory drawn beside them")
                .clicked()
            {
                self.experiments.open = !self.experiments.open;
            }
            export::screenshot_menu_ui(ui);
            let theme_label = if self.settings.dark {
                "Light theme"
            } else {
                "Dark theme"
            };
            if ui
                .button(theme_label)
                .on_hover_text("Switch between light and dark theme")
                .clicked()
            {
                self.settings.dark = !self.settings.dark;
                let visuals = if self.settings.dark {
                    egui::Visuals::dark()
                } else {
                    egui::Visuals::light()
                };
                ui.ctx().set_visuals(visuals);
                // Textures and colours depend on the theme.
                if let Some(data) = self.scene_data.as_mut() {
                    data.restyle(self.settings.dark);
                }
            }
            let record_label = if self.recording.is_some() {
                "Stop recording"
            } else {
                "Record"
            };
            if ui
                .selectable_label(self.recording.is_some(), record_label)
                .on_hover_text(
                    "Record spikes, rates, traces (spiking) or states, overlaps and energy (Hopfield) as CSV and \
                     .npy into a new folder under recordings/, with the scenario and seed to reproduce the run",
                )
                .clicked()
            {
                self.toggle_recording();
            }
            if self.engine.is_none() && ui.button("Restart engine").clicked() {
                self.start_engine();
            }
        });
    }

    /// The speed slider; true when it changed.
    pub(super) fn speed_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let mut changed = ui
            .checkbox(&mut self.settings.unlimited, "max speed")
            .on_hover_text("Run as fast as the machine allows instead of at the set speed")
            .changed();
        ui.add_enabled_ui(!self.settings.unlimited, |ui| {
            let scale = speed_scale(&self.settings.scene);
            let mut speed = self.settings.slider_speed();
            let slider = egui::Slider::new(&mut speed, scale.min..=scale.max)
                .logarithmic(true)
                .text(format!("speed ({})", scale.unit));
            if ui
                .add(slider)
                .on_hover_text("How much simulated time passes per second of wall time")
                .changed()
            {
                self.settings
                    .speeds
                    .insert(self.settings.scene.family_id().to_string(), speed);
                changed = true;
            }
            let achieved = self.status.achieved_rate / scale.engine_per_unit;
            if self.status.playing
                && let Some(reached) = speed_shortfall(speed, achieved)
            {
                ui.colored_label(theme::error(self.settings.dark), format!("≈{reached:.2}"))
                    .on_hover_text(
                        "This machine cannot simulate the scene this fast: it runs as fast as it can, and \
                         simulated time stays exact (only slower than asked)",
                    );
            }
        });
        changed
    }

    /// The thread count of spiking networks; true when it changed.
    fn threads_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let cores = crate::families::available_cores();
        let label = |threads: usize| match threads {
            0 => format!("threads: auto ({})", cores.saturating_sub(1).max(1)),
            1 => "1 thread".to_string(),
            t => format!("{t} threads"),
        };
        let before = self.settings.threads;
        egui::ComboBox::from_id_salt("threads")
            .selected_text(label(self.settings.threads))
            .show_ui(ui, |ui| {
                for threads in 0..=cores {
                    ui.selectable_value(&mut self.settings.threads, threads, label(threads));
                }
            })
            .response
            .on_hover_text(
                "Threads that step the spiking network (auto: every core but the one the window draws \
                 on). The spikes are the same whatever the count; a small network uses fewer.",
            );
        self.settings.threads != before
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            if let Some(recording) = &self.recording {
                ui.colored_label(theme::error(self.settings.dark), "REC")
                    .on_hover_text(format!("recording to {}", recording.dir().display()));
                if recording.dropped_frames > 0 {
                    ui.label(format!("{} frames not recorded", recording.dropped_frames));
                }
                ui.separator();
            }
            let s = &self.status;
            let state = if s.playing { "running" } else { "paused" };
            ui.label(format!("{state} · t = {:.1} {}", s.sim_time, s.time_unit));
            ui.separator();
            let scale = speed_scale(&self.settings.scene);
            if s.playing {
                let rate = s.achieved_rate / scale.engine_per_unit;
                let threads = match s.threads {
                    _ if !matches!(self.settings.scene, SceneSetup::Spiking(_)) => String::new(),
                    0 | 1 => " on 1 thread".to_string(),
                    t => format!(" on {t} threads"),
                };
                ui.label(format!(
                    "speed {rate:.2} {} · {:.0} steps/s{threads}",
                    scale.unit, s.steps_per_s
                ));
            } else {
                ui.label("speed: paused");
            }
            // Beside the speed it changes, and out of the top bar, which must fit a projector.
            if matches!(self.settings.scene, SceneSetup::Spiking(_)) && self.threads_ui(ui) {
                self.send(Command::SetThreads(self.settings.simulation_threads()));
            }
            ui.separator();
            ui.label(format!(
                "{:.0} fps · frame {:.1} ms",
                self.frames.fps, self.frames.ui_ms
            ));
            ui.separator();
            self.zoom_ui(ui);
            let s = &self.status;
            if s.thinned_spikes > 0 {
                ui.separator();
                ui.label(format!("thinned {} spikes", s.thinned_spikes))
                    .on_hover_text(
                        "Spikes the window could not keep up with; the simulation itself is unaffected",
                    );
            }
            if self.commands_refused > 0 {
                ui.separator();
                ui.label(format!(
                    "{} commands refused (engine busy)",
                    self.commands_refused
                ));
            }
            if let Some(error) = &s.error {
                ui.separator();
                ui.colored_label(theme::error(self.settings.dark), format!("Error: {error}"));
            } else if let Some(notice) = &self.controls.notice {
                ui.separator();
                ui.label(notice);
            }
        });
    }
}

/// The speed reached when it falls short of the speed asked for (below 85 % of it, so that the
/// ordinary wobble of a measured speed is not flagged), else None.
pub(crate) fn speed_shortfall(requested: f64, achieved: f64) -> Option<f64> {
    (achieved.is_finite() && requested > 0.0 && achieved < 0.85 * requested).then_some(achieved)
}

#[cfg(test)]
mod tests {
    use super::speed_shortfall;

    /// Brunel's network asked for 1× and reaching 0.13× is flagged; 0.95× is not.
    #[test]
    fn a_speed_the_machine_cannot_reach_is_flagged() {
        assert_eq!(speed_shortfall(1.0, 0.13), Some(0.13));
        assert_eq!(speed_shortfall(1.0, 0.95), None);
        assert_eq!(speed_shortfall(1.0, f64::NAN), None);
    }
}
