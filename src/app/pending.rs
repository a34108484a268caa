//! What would lose the current run (quit, open a file, switch scenes), asked about first when the
//! run has unsaved changes, and carried out.

use super::{EngramApp, presets};
use crate::engine::Command;
use crate::families::{SceneControls, SceneSetup};

/// Something that would lose the current run, held while the unsaved-changes dialog asks.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Quit the app.
    Quit,
    /// Open a scenario file.
    OpenScenario(String),
    /// Open a session file.
    OpenSession(String),
    /// Switch to scene `index` of the menu (by the menu or a number key).
    SwitchScene(usize),
    /// Replay a recorded run (a recording directory, NEST's spike files or a spike CSV).
    OpenRun(String),
}

impl EngramApp {
    /// Carries out `action` now, or first asks about unsaved changes.
    pub fn request(&mut self, action: Pending) {
        if self.unsaved {
            self.pending = Some(action);
        } else {
            self.carry_out(action);
        }
    }

    pub(super) fn carry_out(&mut self, action: Pending) {
        match action {
            Pending::Quit => {
                self.allow_close = true;
                self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Pending::OpenScenario(path) => {
                let loaded = std::fs::read_to_string(&path)
                    .map_err(|e| format!("could not read {path}: {e}"))
                    .and_then(|text| {
                        crate::scenario::Scenario::parse(&text, &path).map_err(|e| e.to_string())
                    });
                self.controls.file_message = Some(match loaded {
                    Ok(scenario) => {
                        self.settings.scene = scenario.scene.clone();
                        self.opened = Some((scenario.name.clone(), scenario.description.clone()));
                        let message = format!("opened {}", scenario.name);
                        self.send(Command::LoadScenario(Box::new(scenario)));
                        self.unsaved = false;
                        (true, message)
                    }
                    Err(message) => (false, message),
                });
            }
            Pending::SwitchScene(index) => self.load_preset(index),
            Pending::OpenRun(path) => {
                let setup = SceneSetup::Replay(crate::families::replay::ReplaySetup {
                    run: path.clone().into(),
                });
                self.opened = Some((
                    format!("Replay of {path}"),
                    "A recorded run played back: drag the time slider to seek, Play and Pause as for a live run."
                        .into(),
                ));
                self.scene_controls = SceneControls::new(&setup);
                self.settings.scene = setup.clone();
                self.send(Command::Load(setup));
                self.unsaved = false;
                self.controls.file_message = Some((true, format!("opening the run {path}")));
            }
            Pending::OpenSession(path) => match crate::session::read_header(std::path::Path::new(&path)) {
                Ok(header) => {
                    self.controls.file_message =
                        Some((true, format!("opening {path} ({} scene)", header.model)));
                    self.send(Command::OpenSession(path.into()));
                }
                Err(e) => self.controls.file_message = Some((false, e.to_string())),
            },
        }
    }

    /// Saves the running session to its file (the engine writes it atomically); without one yet,
    /// asks where first.
    pub fn save_session(&mut self) {
        let Some(path) = self.controls.session_file.clone() else {
            self.open_file_dialog(super::files::FileAction::SaveSession);
            return;
        };
        self.controls.file_message = Some((true, format!("saving {}", path.display())));
        self.send(Command::SaveSession(path));
    }

    /// The unsaved-changes dialog, while something waits for its answer.
    pub(super) fn unsaved_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let what = match &pending {
            Pending::Quit => "Quit".to_string(),
            Pending::OpenScenario(path) | Pending::OpenSession(path) | Pending::OpenRun(path) => {
                format!("Open {path}")
            }
            Pending::SwitchScene(index) => format!(
                "Switch to \"{}\"",
                presets::all()
                    .get(*index)
                    .map_or("another scene".to_string(), |p| p.name.clone())
            ),
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "The running session has changed since it was last saved. {what} anyway?"
            ));
            ui.horizontal(|ui| {
                let save = match &self.controls.session_file {
                    Some(file) => format!("Save session to {} first", file.display()),
                    None => "Save session first…".to_string(),
                };
                if ui.button(save).clicked() {
                    answer = Some("save");
                }
                if ui.button("Discard changes").clicked() {
                    answer = Some("discard");
                }
                if ui.button("Cancel").clicked() {
                    answer = Some("cancel");
                }
            });
        });
        match answer {
            Some("save") if self.controls.session_file.is_none() => {
                // Ask where; what waits is carried out once the session is saved.
                self.pending = None;
                self.controls.after_save = Some(pending);
                self.open_file_dialog(super::files::FileAction::SaveSession);
            }
            Some("save") => {
                self.pending = None;
                self.save_session();
                if pending == Pending::Quit {
                    self.quit_after_save = true;
                } else {
                    // The engine saves before it opens: commands apply in order.
                    self.carry_out(pending);
                }
            }
            Some("discard") => {
                self.pending = None;
                self.carry_out(pending);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }
}
