//! Helpers shared by the integration tests that drive the engine thread.

use std::time::{Duration, Instant};

use engram::engine::{EngineHandle, Snapshot};

/// Receives snapshots until `done` says so, failing after a generous deadline.
pub fn wait_for(engine: &EngineHandle, what: &str, mut done: impl FnMut(&Snapshot) -> bool) -> Snapshot {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last_status = None;
    while Instant::now() < deadline {
        if let Some(snapshot) = engine.recv_timeout(Duration::from_millis(200)) {
            if done(&snapshot) {
                return snapshot;
            }
            last_status = Some(snapshot.status);
        }
    }
    panic!("timed out waiting for {what}; the last status was {last_status:?}");
}

/// A shipped scenario by name.
pub fn shipped(name: &str) -> engram::scenario::Scenario {
    shipped_with_index(name).1
}

/// A shipped scenario by name, with its place in the scene menu (the app's preset index).
pub fn shipped_with_index(name: &str) -> (usize, engram::scenario::Scenario) {
    engram::scenario::builtin()
        .into_iter()
        .enumerate()
        .find(|(_, (n, _))| n == name)
        .map(|(index, (_, scenario))| (index, scenario))
        .unwrap_or_else(|| panic!("{name} is shipped"))
}

/// Chooses `path` in the app's open file dialog as a user does: types it into the dialog's name
/// field and presses `button` ("Save", "Open", "Choose"; "Replace" when it asks).
pub fn choose_in_file_dialog(
    harness: &mut egui_kittest::Harness<'static, engram::app::EngramApp>,
    path: &std::path::Path,
    button: &str,
) {
    use egui_kittest::kittest::Queryable;
    // A modal window measures itself in its first frame.
    for _ in 0..3 {
        harness.step();
    }
    let field = ["file name", "folder name"]
        .into_iter()
        .find(|label| harness.query_by_label(label).is_some())
        .expect("a file dialog is open");
    harness
        .get_by_label(field)
        .set_text_value_accesskit(&path.display().to_string());
    harness.step();
    harness.get_by_label(button).click();
    for _ in 0..2 {
        harness.step();
    }
}
