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
