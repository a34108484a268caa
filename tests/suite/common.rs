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
