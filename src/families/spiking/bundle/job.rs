//! An export started from the app: the network is captured on the simulation thread (which goes on
//! stepping) and written as a bundle on a background thread, whose progress the views show.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{BundleSource, BundleSummary, write_bundle_with_progress};
use crate::spiking::Network;

/// Where an export from the app stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportStatus {
    /// The bundle directory.
    pub dir: PathBuf,
    /// Fraction written, 0 to 1.
    pub fraction: f64,
    /// The outcome, once the bundle is written (or refused).
    pub done: Option<Result<BundleSummary, String>>,
}

/// A bundle being written on its own thread.
pub struct ExportJob {
    dir: PathBuf,
    fraction: Arc<AtomicU64>,
    handle: Option<std::thread::JoinHandle<Result<BundleSummary, String>>>,
    /// An outcome known at once (the folder exists, the thread could not start).
    refused: Option<String>,
}

impl ExportJob {
    /// Captures `network` now and writes it to `dir` in the background (an existing `dir` is
    /// refused unless `replace`); the first [`Self::poll`] after a refusal hands it out.
    pub fn start(network: &Network, from: BundleSource, dir: PathBuf, replace: bool) -> Self {
        let fraction = Arc::new(AtomicU64::new(0f64.to_bits()));
        let refused = |why: String| Self {
            dir: dir.clone(),
            fraction: Arc::clone(&fraction),
            handle: None,
            refused: Some(why),
        };
        if dir.exists() && !replace {
            return refused(format!(
                "{} exists: choose another folder or tick \"replace\"",
                dir.display()
            ));
        }
        let state = network.save_state();
        let shared = Arc::clone(&fraction);
        let target = dir.clone();
        let handle = std::thread::Builder::new()
            .name("engram-export".into())
            .spawn(move || {
                let network = Network::from_state(state).map_err(|e| e.to_string())?;
                let mut summary = write_bundle_with_progress(&network, &from, &target, replace, &mut |f| {
                    shared.store(f.to_bits(), Ordering::Relaxed);
                })?;
                // The full path, shown in one place after saving.
                summary.dir = std::fs::canonicalize(&summary.dir).unwrap_or(summary.dir);
                shared.store(1f64.to_bits(), Ordering::Relaxed);
                Ok(summary)
            })
            .map_err(|e| format!("could not start the export: {e}"));
        match handle {
            Ok(handle) => Self {
                dir,
                fraction,
                handle: Some(handle),
                refused: None,
            },
            Err(why) => refused(why),
        }
    }

    /// Progress now; the outcome once, when the thread has finished.
    pub fn poll(&mut self) -> ExportStatus {
        let done = if let Some(why) = self.refused.take() {
            Some(Err(why))
        } else if self.handle.as_ref().is_some_and(|h| h.is_finished()) {
            self.handle.take().map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the export panicked; nothing was written".into()))
            })
        } else {
            None
        };
        ExportStatus {
            dir: self.dir.clone(),
            fraction: f64::from_bits(self.fraction.load(Ordering::Relaxed)),
            done,
        }
    }

    /// True once the outcome was handed out.
    pub fn finished(&self) -> bool {
        self.handle.is_none() && self.refused.is_none()
    }
}
