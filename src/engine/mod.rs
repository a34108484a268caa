//! The simulation thread: commands in, snapshots out, over bounded channels.
//!
//! The app sends [`Command`]s with `try_send` and drains [`Snapshot`]s with `try_recv`; it never
//! blocks and never steps a model. The thread applies commands between steps, steps paced to the
//! speed, and batches everything it produced into one snapshot per ~16 ms, followed by one call of
//! the wake-up callback. When the app does not read, data coalesces in the scene (bounded, with
//! anything dropped counted in [`EngineStatus::thinned_spikes`]). A panic or divergence in a model
//! becomes [`EngineStatus::error`] and a paused engine; the thread itself keeps running.

pub mod headless;
mod protocol;
mod run_loop;

pub use crate::families::{EngineLimits, SceneCommand, SceneFrame, SceneInfo, SceneSetup};
pub use protocol::*;

use crossbeam_channel::{Receiver, Sender, TrySendError, bounded};

/// Commands waiting at most; a full queue refuses further commands rather than block the UI.
pub const COMMAND_CAPACITY: usize = 256;
/// Snapshots waiting at most; while full, the engine coalesces new data into the next one.
pub const SNAPSHOT_CAPACITY: usize = 4;

/// The app's end of a running simulation thread.
pub struct EngineHandle {
    commands: Sender<Command>,
    snapshots: Receiver<Snapshot>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EngineHandle {
    /// Starts the simulation thread on `setup`, paused; `wake` is called once per snapshot sent.
    pub fn spawn(setup: SceneSetup, speed: Speed, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        Self::spawn_with_limits(setup, speed, wake, EngineLimits::default())
    }

    /// Starts the simulation thread with explicit memory budgets.
    pub fn spawn_with_limits(
        setup: SceneSetup,
        speed: Speed,
        wake: impl Fn() + Send + 'static,
        limits: EngineLimits,
    ) -> std::io::Result<Self> {
        let (command_tx, command_rx) = bounded(COMMAND_CAPACITY);
        let (snapshot_tx, snapshot_rx) = bounded(SNAPSHOT_CAPACITY);
        let thread = std::thread::Builder::new()
            .name("engram-sim".into())
            .spawn(move || {
                run_loop::RunLoop::new(setup, speed, command_rx, snapshot_tx, Box::new(wake), limits).run();
            })?;
        Ok(Self {
            commands: command_tx,
            snapshots: snapshot_rx,
            thread: Some(thread),
        })
    }

    /// Queues a command without blocking; false if the queue is full or the thread has stopped.
    pub fn send(&self, command: Command) -> bool {
        match self.commands.try_send(command) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        }
    }

    /// The next waiting snapshot, if any, without blocking.
    pub fn try_recv(&self) -> Option<Snapshot> {
        self.snapshots.try_recv().ok()
    }

    /// Waits up to `timeout` for a snapshot (for tests and headless use, never in the UI).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Snapshot> {
        self.snapshots.recv_timeout(timeout).ok()
    }

    /// True while the simulation thread is alive.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Asks the thread to stop and waits for it.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Quit may not fit a full queue; dropping the sender below also stops the loop.
        let _ = self.commands.try_send(Command::Quit);
        let (dead_tx, _) = bounded(1);
        drop(std::mem::replace(&mut self.commands, dead_tx));
        // Drain so a thread blocked on nothing but a full queue sees the disconnect promptly.
        while self.snapshots.try_recv().is_ok() {}
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
