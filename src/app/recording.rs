//! Recording from the app: the snapshots the app receives are handed to a `Recorder` on its own
//! "engram-recorder" thread over a bounded channel, so that disk writes never block drawing.

use std::path::PathBuf;

use crossbeam_channel::{Receiver, Sender, TrySendError, bounded};

use crate::families::{SceneFrame, SceneInfo};
use crate::recording::{RecordMetadata, RecordSummary, Recorder};

/// Messages waiting for the recorder thread before new frames are dropped (and counted).
const QUEUE: usize = 512;

enum Message {
    Info(SceneInfo),
    Frame(Box<SceneFrame>, f64),
    Finish(f64, &'static str),
}

/// A recording in progress.
pub struct AppRecording {
    dir: PathBuf,
    sender: Sender<Message>,
    done: Receiver<Result<PathBuf, String>>,
    /// Frames dropped because the recorder fell behind (0 normally).
    pub dropped_frames: u64,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl AppRecording {
    /// Starts recording into `dir` (new or empty), beginning with the scene description `info`.
    pub fn start(dir: PathBuf, metadata: RecordMetadata, info: SceneInfo) -> Result<Self, String> {
        let mut recorder = Recorder::create(&dir, &metadata).map_err(|e| e.to_string())?;
        recorder.info(&info).map_err(|e| e.to_string())?;
        let (sender, receiver) = bounded::<Message>(QUEUE);
        let (done_sender, done) = bounded(1);
        let thread = std::thread::Builder::new()
            .name("engram-recorder".into())
            .spawn(move || {
                let mut failed = None;
                for message in receiver {
                    if failed.is_some() && !matches!(message, Message::Finish(..)) {
                        continue;
                    }
                    match message {
                        Message::Info(info) => failed = recorder.info(&info).err().map(|e| e.to_string()),
                        Message::Frame(frame, t) => {
                            failed = recorder.frame(&frame, t).err().map(|e| e.to_string())
                        }
                        Message::Finish(sim_time, unit) => {
                            let result = match failed.take() {
                                Some(e) => Err(e),
                                None => recorder
                                    .finish(&RecordSummary {
                                        sim_time,
                                        time_unit: unit.to_string(),
                                        report: None,
                                    })
                                    .map_err(|e| e.to_string()),
                            };
                            let _ = done_sender.try_send(result);
                            return;
                        }
                    }
                }
            })
            .map_err(|e| format!("could not start the recorder thread: {e}"))?;
        Ok(Self {
            dir,
            sender,
            done,
            dropped_frames: 0,
            thread: Some(thread),
        })
    }

    /// The directory being written.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Hands a new scene description to the recorder.
    pub fn info(&mut self, info: &SceneInfo) {
        if self.sender.try_send(Message::Info(info.clone())).is_err() {
            self.dropped_frames += 1;
        }
    }

    /// Hands a frame to the recorder; counts it as dropped if the recorder is behind.
    pub fn frame(&mut self, frame: &SceneFrame, sim_time: f64) {
        match self
            .sender
            .try_send(Message::Frame(Box::new(frame.clone()), sim_time))
        {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => self.dropped_frames += 1,
        }
    }

    /// Stops recording and waits for the files to be closed; returns the directory or the error.
    pub fn finish(mut self, sim_time: f64, time_unit: &'static str) -> Result<PathBuf, String> {
        // Finishing may wait behind queued frames; the queue is bounded, so this is short.
        self.sender
            .send(Message::Finish(sim_time, time_unit))
            .map_err(|_| "the recorder stopped early".to_string())?;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let result = self
            .done
            .try_recv()
            .unwrap_or_else(|_| Err("the recorder stopped without closing its files".into()));
        match (result, self.dropped_frames) {
            (Ok(dir), 0) => Ok(dir),
            (Ok(dir), n) => Err(format!(
                "recorded to {} but {n} frames were dropped because the disk was too slow",
                dir.display()
            )),
            (Err(e), _) => Err(e),
        }
    }
}

/// A new directory for a scene's recording, named by the scene and the date and time (UTC):
/// `BASE/pattern-completion-2026-12-06_14-05-09`.
pub fn new_dir(base: &std::path::Path, name: &str) -> PathBuf {
    let stem = super::files::file_stem(name);
    let stamp = crate::views::file_dialog::timestamp_now();
    let dir = base.join(format!("{stem}-{stamp}"));
    // Two recordings started in the same second get "-2", "-3", …
    (2..)
        .map(|k| base.join(format!("{stem}-{stamp}-{k}")))
        .take(1000)
        .fold(dir, |chosen, next| if chosen.exists() { next } else { chosen })
}
