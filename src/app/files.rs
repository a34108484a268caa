//! The app's files: the dialogs behind Save scene, Open scenario, Save session, Open session,
//! Open run and the recordings folder, and what a chosen path does. Writes are atomic
//! ([`crate::files`]); every message names the full path.

use std::path::PathBuf;

pub use crate::files::write_atomically;
use crate::views::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileKind};

use super::{EngramApp, Pending};
use crate::families::SceneData;

/// What the app's file dialog is open for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Write the current scene as a scenario file.
    SaveScenario,
    /// Load a scenario file.
    OpenScenario,
    /// Write the whole run as a session file.
    SaveSession,
    /// Continue a saved session.
    OpenSession,
    /// Replay a recorded run.
    OpenRun,
    /// Choose where new recordings go.
    RecordingsFolder,
}

impl FileAction {
    /// The dialog's kind, mode and title.
    fn dialog(self) -> (FileKind, DialogMode, &'static str) {
        match self {
            Self::SaveScenario => (
                FileKind::Scenario,
                DialogMode::Save,
                "Save the scene as a scenario",
            ),
            Self::OpenScenario => (FileKind::Scenario, DialogMode::Open, "Open a scenario"),
            Self::SaveSession => (FileKind::Session, DialogMode::Save, "Save the session"),
            Self::OpenSession => (FileKind::Session, DialogMode::Open, "Open a session"),
            Self::OpenRun => (
                FileKind::Run,
                DialogMode::Open,
                "Open a run (a recording or NEST output folder, or a spike CSV)",
            ),
            Self::RecordingsFolder => (
                FileKind::RecordingsFolder,
                DialogMode::Open,
                "Folder for new recordings",
            ),
        }
    }
}

/// A name for a new file from a scene's name: lower case, words joined by '-'.
pub fn file_stem(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        "engram".to_string()
    } else {
        words.join("-")
    }
}

impl EngramApp {
    /// The name of what is open (the file opened, else the menu's scene), for the scene menu and
    /// suggested file names.
    pub(super) fn open_scene_name(&self) -> String {
        match &self.opened {
            Some((name, _)) => name.clone(),
            None => super::presets::all()
                .get(self.settings.preset)
                .map_or_else(|| "scene".to_string(), |p| p.name.clone()),
        }
    }

    /// Opens the file dialog for `action`, with a suggested name when it saves.
    pub fn open_file_dialog(&mut self, action: FileAction) {
        let (kind, mode, title) = action.dialog();
        let suggested = match action {
            FileAction::SaveScenario => format!("{}.toml", file_stem(&self.open_scene_name())),
            FileAction::SaveSession => self
                .controls
                .session_file
                .as_ref()
                .and_then(|p| p.file_name())
                .map_or_else(
                    || format!("{}.engram", file_stem(&self.open_scene_name())),
                    |n| n.to_string_lossy().into_owned(),
                ),
            _ => String::new(),
        };
        let dialog = match (action, &self.controls.session_file) {
            (FileAction::SaveSession, Some(file)) if file.parent().is_some_and(|p| p.is_dir()) => {
                FileDialog::in_folder(kind, mode, title, file.parent().unwrap_or(file), &suggested)
            }
            (FileAction::RecordingsFolder, _) => {
                let base =
                    std::path::absolute(&self.recordings_dir).unwrap_or_else(|_| self.recordings_dir.clone());
                let parent = base.parent().filter(|p| p.is_dir()).map(PathBuf::from);
                match parent {
                    Some(parent) => FileDialog::in_folder(
                        kind,
                        mode,
                        title,
                        &parent,
                        &base
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ),
                    None => FileDialog::new(&self.ctx, kind, mode, title, &suggested),
                }
            }
            _ => FileDialog::new(&self.ctx, kind, mode, title, &suggested),
        };
        self.controls.dialog = Some((action, dialog));
    }

    /// Draws the open file dialog and carries out what was chosen.
    pub(super) fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some((action, dialog)) = self.controls.dialog.as_mut() else {
            return;
        };
        let action = *action;
        match dialog.show(ctx) {
            DialogOutcome::Open => {}
            DialogOutcome::Cancelled => {
                self.controls.dialog = None;
                self.controls.after_save = None;
            }
            DialogOutcome::Chosen(path) => {
                self.controls.dialog = None;
                self.file_chosen(action, path);
            }
        }
    }

    /// Carries out `action` on the chosen `path`.
    fn file_chosen(&mut self, action: FileAction, path: PathBuf) {
        let text = path.display().to_string();
        match action {
            FileAction::SaveScenario => self.save_scenario(&path),
            FileAction::OpenScenario => self.request(Pending::OpenScenario(text)),
            FileAction::OpenSession => self.request(Pending::OpenSession(text)),
            FileAction::OpenRun => self.request(Pending::OpenRun(text)),
            FileAction::SaveSession => {
                self.controls.session_file = Some(path);
                self.save_session();
                match self.controls.after_save.take() {
                    Some(Pending::Quit) => self.quit_after_save = true,
                    // The engine saves before it opens: commands apply in order.
                    Some(pending) => self.carry_out(pending),
                    None => {}
                }
            }
            FileAction::RecordingsFolder => {
                let created = std::fs::create_dir_all(&path);
                self.controls.file_message = Some(match created {
                    Ok(()) => {
                        self.recordings_dir = path;
                        (true, format!("new recordings go into {text}"))
                    }
                    Err(e) => (false, format!("cannot use {text} for recordings: {e}")),
                });
            }
        }
    }

    /// Writes the current scene (its live parameters) as a scenario file.
    fn save_scenario(&mut self, path: &std::path::Path) {
        let scene = self
            .scene_data
            .as_ref()
            .map_or_else(|| self.settings.scene.clone(), SceneData::live_setup);
        let scenario = crate::scenario::Scenario {
            format: crate::scenario::FORMAT,
            name: format!("Saved: {}", self.open_scene_name().trim_start_matches("Saved: ")),
            description: "A scene saved from engram.".into(),
            duration: None,
            scene,
            timeline: Vec::new(),
        };
        let shown = path.display();
        self.controls.file_message = Some(match write_atomically(path, scenario.to_toml().as_bytes()) {
            Ok(()) => (true, format!("saved {shown}")),
            Err(e) => (false, format!("could not save {shown}: {e}")),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_lower_case_words() {
        assert_eq!(file_stem("Pattern completion"), "pattern-completion");
        assert_eq!(file_stem("  Brunel (AI) — 12,500 "), "brunel-ai-12-500");
        assert_eq!(file_stem("—"), "engram");
    }
}
