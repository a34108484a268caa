//! Recording a run to a directory as it happens: CSV tables, NumPy `.npy` arrays and `metadata.json`.
//!
//! A [`Recorder`] is fed the same [`SceneInfo`]s and [`SceneFrame`]s the app receives and streams them
//! to files opened once; nothing of the run accumulates in memory.
//!
//! - Spiking scenes: `spikes.csv` (`neuron,time_ms`), `spike_neurons.npy` (uint32) and
//!   `spike_times_ms.npy` (float64) with one entry per spike, `rates.csv` (`time_ms` = start of a 1 ms
//!   bin, then one rate in Hz per population), `traces.csv` (`time_ms`, then the membrane potential in
//!   mV of each recorded neuron) and `traces.npy` (float32, samples × recorded neurons).
//! - Hopfield scenes: `overlaps.csv` (`time_sweeps`, one overlap `m_LABEL` per stored pattern,
//!   `energy`), `states.npy` (int8 ±1, samples × N: the state at the end of every frame),
//!   `state_times_sweeps.npy` (float64, the time of each row of `states.npy`) and `patterns.npy`
//!   (int8 ±1, patterns × N, the stored patterns at the end).
//! - `metadata.json`: scenario, seed, engram version, command line, scene setup, the units of every
//!   file and, once finished, the simulated and wall time reached. `scenario.toml`: the scenario run.
//!
//! When the columns of a table change during a run (a pattern is stored, other neurons are recorded),
//! the table continues in a new file with a numbered suffix (`overlaps-2.csv`, `traces-2.npy`, ...),
//! listed in `metadata.json` with the time it starts.

pub mod import;
pub mod io;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

use crate::engine::headless::RunObserver;
use crate::families::{SceneFrame, SceneInfo, SceneRecord};
use crate::scenario::Scenario;
use io::{FileIndex, io_error};
pub use io::{NpyElement, NpyWriter, RecordError};

/// How a run was started, written to `metadata.json`.
#[derive(Debug, Clone, Default)]
pub struct RecordMetadata {
    /// The scenario run, if the run came from one.
    pub scenario: Option<Scenario>,
    /// Seed of the run.
    pub seed: u64,
    /// Requested duration in the scene's time unit (None: the scenario's own).
    pub duration: Option<f64>,
    /// The command line that started the run.
    pub command_line: Vec<String>,
}

/// How a run ended, written to `metadata.json` by [`Recorder::finish`].
#[derive(Debug, Clone, Default)]
pub struct RecordSummary {
    /// Simulated time reached, in `time_unit`.
    pub sim_time: f64,
    /// "sweeps" or "ms".
    pub time_unit: String,
    /// The run's own report (e.g. a serialised `RunReport`), if any.
    pub report: Option<Value>,
}

/// Streams a run to a directory: feed it every `SceneInfo` and `SceneFrame`, then `finish` it.
pub struct Recorder {
    dir: PathBuf,
    metadata: RecordMetadata,
    started: Instant,
    scene_at_start: Option<Value>,
    scene_at_end: Option<Value>,
    files: FileIndex,
    record: Option<SceneRecord>,
}

impl Recorder {
    /// Creates `dir` (it may exist if empty) and writes a first `metadata.json`.
    pub fn create(dir: impl Into<PathBuf>, metadata: &RecordMetadata) -> Result<Self, RecordError> {
        let dir = dir.into();
        if dir.exists() {
            let mut entries = std::fs::read_dir(&dir).map_err(io_error(&dir))?;
            if entries.next().is_some() {
                return Err(RecordError::NotEmpty { path: dir });
            }
        }
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        if let Some(scenario) = &metadata.scenario {
            let path = dir.join("scenario.toml");
            std::fs::write(&path, scenario.to_toml()).map_err(io_error(&path))?;
        }
        let recorder = Self {
            dir,
            metadata: metadata.clone(),
            started: Instant::now(),
            scene_at_start: None,
            scene_at_end: None,
            files: FileIndex::new(),
            record: None,
        };
        recorder.write_metadata(None)?;
        Ok(recorder)
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes a scene description: the first opens the files, later ones may start new table segments.
    pub fn info(&mut self, info: &SceneInfo) -> Result<(), RecordError> {
        let description = SceneRecord::describe(info);
        if self.scene_at_start.is_none() {
            self.scene_at_start = Some(description.clone());
        }
        self.scene_at_end = Some(description);
        let same_model = match &mut self.record {
            None => {
                self.record = Some(SceneRecord::create(&self.dir, info, &mut self.files)?);
                true
            }
            Some(record) => record.info(&self.dir, info, &mut self.files)?,
        };
        if !same_model {
            return Err(RecordError::Invalid {
                path: self.dir.clone(),
                message: "the scene changed model during the recording; start a new recording".into(),
            });
        }
        Ok(())
    }

    /// Takes the data produced since the previous frame; `sim_time` is the scene's time at its end.
    pub fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<(), RecordError> {
        match &mut self.record {
            Some(record) => {
                if record.frame(frame, sim_time)? {
                    Ok(())
                } else {
                    Err(RecordError::Invalid {
                        path: self.dir.clone(),
                        message: "a frame of another model arrived; start a new recording".into(),
                    })
                }
            }
            None => Err(RecordError::Invalid {
                path: self.dir.clone(),
                message: "a frame arrived before the scene described itself".into(),
            }),
        }
    }

    /// Flushes every file, fixes the `.npy` headers and completes `metadata.json`.
    pub fn finish(mut self, summary: &RecordSummary) -> Result<PathBuf, RecordError> {
        if let Some(record) = self.record.take() {
            record.finish(&self.dir, &mut self.files)?;
        }
        self.write_metadata(Some(summary))?;
        Ok(self.dir)
    }

    fn write_metadata(&self, summary: Option<&RecordSummary>) -> Result<(), RecordError> {
        let scenario = self.metadata.scenario.as_ref();
        let mut doc = json!({
            "format": "engram-recording",
            "format_version": 1,
            "engram_version": env!("CARGO_PKG_VERSION"),
            "command_line": self.metadata.command_line,
            "seed": self.metadata.seed,
            "duration": self.metadata.duration,
            "scenario": scenario.and_then(|s| serde_json::to_value(s).ok()),
            "scenario_toml": scenario.map(Scenario::to_toml),
            "scene": self.scene_at_start,
            "scene_at_end": self.scene_at_end,
            "files": self.files,
            "complete": summary.is_some(),
        });
        if let Some(summary) = summary {
            doc["sim_time"] = json!(summary.sim_time);
            doc["time_unit"] = json!(summary.time_unit);
            doc["wall_s"] = json!(self.started.elapsed().as_secs_f64());
            doc["report"] = summary.report.clone().unwrap_or(Value::Null);
        }
        let path = self.dir.join("metadata.json");
        let text = serde_json::to_string_pretty(&doc).map_err(|e| RecordError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // Written beside and renamed, so a reader never sees half a file.
        let partial = self.dir.join("metadata.json.partial");
        std::fs::write(&partial, text + "\n").map_err(io_error(&partial))?;
        std::fs::rename(&partial, &path).map_err(io_error(&path))
    }
}

impl RunObserver for Recorder {
    fn info(&mut self, info: &SceneInfo) -> Result<(), String> {
        Recorder::info(self, info).map_err(|e| e.to_string())
    }

    fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<(), String> {
        Recorder::frame(self, frame, sim_time).map_err(|e| e.to_string())
    }
}
