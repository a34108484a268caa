//! The control panel's shell: the scene's name and text, the family's controls (every parameter
//! live, with unit, tooltip, preset mark and restore), and the scenario and session files.

use super::{EngramApp, presets};
use crate::engine::Command;
use crate::families::SceneData;

/// The shell's part of the control panel between frames (each family keeps its own controls).
#[derive(Debug, Clone)]
pub struct ControlsState {
    /// The latest notice from the engine or a family's controls.
    pub notice: Option<String>,
    /// Path of the scenario file to save or open.
    pub scenario_path: String,
    /// Path of the session file to save or open.
    pub session_path: String,
    /// Path of a recorded run to replay.
    pub run_path: String,
    /// The outcome of the last save or open, shown next to the field.
    pub file_message: Option<(bool, String)>,
}

impl Default for ControlsState {
    fn default() -> Self {
        Self {
            notice: None,
            scenario_path: "my-scene.toml".into(),
            session_path: "my-session.engram".into(),
            run_path: "nest_out".into(),
            file_message: None,
        }
    }
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

/// Scenario and session files: save the current scene or the whole run, or open one.
fn files_ui(ui: &mut egui::Ui, app: &mut EngramApp) {
    ui.heading("Scenario file");
    ui.horizontal(|ui| {
        let label = ui.label("file").id;
        ui.text_edit_singleline(&mut app.controls.scenario_path)
            .labelled_by(label);
    });
    ui.horizontal(|ui| {
        let tip = "Write the current scene (patterns, rule, update, temperature, seed) as a TOML scenario";
        if ui.button("Save scene").on_hover_text(tip).clicked() {
            let scene = app
                .scene_data
                .as_ref()
                .map_or_else(|| app.settings.scene.clone(), SceneData::live_setup);
            let scenario = crate::scenario::Scenario {
                format: crate::scenario::FORMAT,
                name: "Saved scene".into(),
                description: "A scene saved from engram.".into(),
                duration: None,
                scene,
                timeline: Vec::new(),
            };
            let path = app.controls.scenario_path.clone();
            app.controls.file_message = Some(
                match super::files::write_atomically(&path, scenario.to_toml().as_bytes()) {
                    Ok(()) => (true, format!("saved {path}")),
                    Err(e) => (false, format!("could not save {path}: {e}")),
                },
            );
        }
        if ui
            .button("Open")
            .on_hover_text("Load a scenario file; a broken file is reported and changes nothing")
            .clicked()
        {
            app.request(super::Pending::OpenScenario(app.controls.scenario_path.clone()));
        }
    });
    ui.heading("Session file");
    ui.horizontal(|ui| {
        let label = ui.label("file").id;
        ui.text_edit_singleline(&mut app.controls.session_path)
            .labelled_by(label);
    });
    ui.horizontal(|ui| {
        let tip = "Save everything (scenario and its progress, parameters, patterns, weights including learned ones, \
                   network state) so that opening it continues the same run";
        if ui.button("Save session").on_hover_text(tip).clicked() {
            app.save_session();
        }
        let tip = "Continue a saved run; a broken file is reported and the running scene is kept";
        if ui.button("Open session").on_hover_text(tip).clicked() {
            app.request(super::Pending::OpenSession(app.controls.session_path.clone()));
        }
    });
    ui.heading("Run file");
    ui.horizontal(|ui| {
        let label = ui.label("run").id;
        ui.text_edit_singleline(&mut app.controls.run_path)
            .labelled_by(label);
    });
    let tip = "Replay a recorded run: a folder from engram run --record or a recording, NEST's spike files \
               (spikes-*.dat with run.json; converted beside them on first open) or a spike CSV";
    if ui.button("Open run").on_hover_text(tip).clicked() {
        app.request(super::Pending::OpenRun(app.controls.run_path.clone()));
    }
    if let Some((ok, message)) = &app.controls.file_message {
        let colour = if *ok {
            ui.visuals().text_color()
        } else {
            crate::views::theme::error(app.settings.dark)
        };
        ui.colored_label(colour, message);
    }
}
