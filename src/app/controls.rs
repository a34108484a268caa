//! The control panel's shell: the scene's name and text, the family's controls (every parameter
//! live, with unit, tooltip, preset mark and restore), and the scenario and session files.

use super::{EngramApp, presets};
use crate::engine::Command;

/// The shell's part of the control panel between frames (each family keeps its own controls).
#[derive(Debug, Clone, Default)]
pub struct ControlsState {
    /// The latest notice from the engine or a family's controls.
    pub notice: Option<String>,
    /// The session file this run was last saved to or opened from (full path): "Save session"
    /// writes it again; before there is one it asks where.
    pub session_file: Option<std::path::PathBuf>,
    /// The file dialog open, and what it is for.
    pub dialog: Option<(super::files::FileAction, crate::views::file_dialog::FileDialog)>,
    /// What waits for the session to be saved (the unsaved-changes dialog's "Save first").
    pub after_save: Option<super::Pending>,
    /// The outcome of the last save or open, with the full path.
    pub file_message: Option<(bool, String)>,
}

/// Draws the controls for the current scene; returns the commands to send.
pub fn controls_ui(ui: &mut egui::Ui, app: &mut EngramApp) -> Vec<Command> {
    let mut commands = Vec::new();
    // The scene's description at the body size, so that zooming enlarges it for the back of the room.
    if let Some((name, text)) = &app.opened {
        ui.strong(name);
        ui.label(text);
        ui.separator();
    } else if let Some(preset) = presets::all().get(app.settings.preset) {
        ui.strong(&preset.name);
        ui.label(&preset.text);
        ui.separator();
    }
    lesson_ui(ui, app, &mut commands);
    let setup = app.settings.scene.clone();
    let requests = app.scene_controls.controls_ui(
        ui,
        &setup,
        app.scene_data.as_ref(),
        app.settings.dark,
        &mut app.settings.cue_flip,
    );
    app.take_requests(requests, &mut commands);
    ui.separator();
    files_ui(ui, app);
    commands
}

/// The scenario's timeline as a lesson: every step with the next one marked, a switch that holds
/// it (the teacher's clicks then stay), and "Next step" to carry out the next one now.
fn lesson_ui(ui: &mut egui::Ui, app: &mut EngramApp, commands: &mut Vec<Command>) {
    let Some(steps) = app.status.timeline.clone() else {
        return;
    };
    let unit = app.status.time_unit;
    let count = match steps.len() {
        1 => "1 timeline step".to_string(),
        n => format!("{n} timeline steps"),
    };
    egui::CollapsingHeader::new(format!("Lesson: {count}"))
        .default_open(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let mut on = app.status.timeline_on;
                let tip = "Off: the scenario's steps wait and nothing overrides your own clicks; on again, \
                           steps whose time has passed are skipped";
                if ui.checkbox(&mut on, "timeline on").on_hover_text(tip).changed() {
                    commands.push(Command::SetTimelineOn(on));
                    app.status.timeline_on = on;
                }
                let more = app.status.timeline_next < steps.len();
                if ui
                    .add_enabled(more, egui::Button::new("Next step"))
                    .on_hover_text("Carry out the next step now, whatever its time")
                    .clicked()
                {
                    commands.push(Command::TimelineNext);
                }
            });
            for (k, step) in steps.iter().enumerate() {
                let text = format!("at {} {unit}: {}", step.at, step.what);
                let label = match k.cmp(&app.status.timeline_next) {
                    std::cmp::Ordering::Less => egui::RichText::new(format!("done: {text}")).weak(),
                    std::cmp::Ordering::Equal => egui::RichText::new(format!("next: {text}")).strong(),
                    std::cmp::Ordering::Greater => egui::RichText::new(text),
                };
                let response = ui.label(label);
                if let Some(say) = &step.say {
                    response.on_hover_text(say);
                }
            }
        });
    ui.separator();
}

/// Scenario, session and run files, each behind a file dialog, and where recordings go.
fn files_ui(ui: &mut egui::Ui, app: &mut EngramApp) {
    use super::files::FileAction;
    ui.heading("Files");
    ui.horizontal_wrapped(|ui| {
        let tip = "Write the current scene (its parameters, patterns, seed) as a TOML scenario file";
        if ui.button("Save scene…").on_hover_text(tip).clicked() {
            app.open_file_dialog(FileAction::SaveScenario);
        }
        let tip = "Load a scenario file; a broken file is reported and changes nothing";
        if ui.button("Open scenario…").on_hover_text(tip).clicked() {
            app.open_file_dialog(FileAction::OpenScenario);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let tip = match &app.controls.session_file {
            Some(file) => format!(
                "Save everything (scenario and its progress, parameters, patterns, learned weights, network \
                 state) to {}, so that opening it continues the same run",
                file.display()
            ),
            None => {
                "Save everything (scenario and its progress, parameters, patterns, learned weights, network \
                     state) to a session file, so that opening it continues the same run"
                    .to_string()
            }
        };
        if ui.button("Save session").on_hover_text(tip).clicked() {
            if app.controls.session_file.is_some() {
                app.save_session();
            } else {
                app.open_file_dialog(FileAction::SaveSession);
            }
        }
        if ui
            .button("Save session as…")
            .on_hover_text("Save the session to a new file")
            .clicked()
        {
            app.open_file_dialog(FileAction::SaveSession);
        }
        let tip = "Continue a saved run; a broken file is reported and the running scene is kept";
        if ui.button("Open session…").on_hover_text(tip).clicked() {
            app.open_file_dialog(FileAction::OpenSession);
        }
    });
    let tip = "Replay a recorded run: a folder from engram run --record or a recording, NEST's output folder \
               (spikes-*.dat with run.json; converted beside them on first open) or a spike CSV";
    if ui.button("Open run…").on_hover_text(tip).clicked() {
        app.open_file_dialog(FileAction::OpenRun);
    }
    ui.horizontal_wrapped(|ui| {
        let folder = std::path::absolute(&app.recordings_dir).unwrap_or_else(|_| app.recordings_dir.clone());
        ui.label(format!("Recordings go into {}", folder.display()));
        if ui
            .button("Change…")
            .on_hover_text("Choose the folder that Record writes its new folders into")
            .clicked()
        {
            app.open_file_dialog(FileAction::RecordingsFolder);
        }
    });
    if let Some((ok, message)) = &app.controls.file_message {
        let colour = if *ok {
            ui.visuals().text_color()
        } else {
            crate::views::theme::error(app.settings.dark)
        };
        ui.colored_label(colour, message);
    }
}
