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

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

use crate::engine::headless::RunObserver;
use crate::engine::{HopfieldFrame, HopfieldInfo, SceneFrame, SceneInfo, SpikingFrame, SpikingInfo};
use crate::scenario::Scenario;

/// Why a recording could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A file or directory could not be created or written.
    #[error("could not write {}: {error}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error (in the message, so not also a `source`).
        error: io::Error,
    },
    /// The target directory exists and holds files.
    #[error("{} exists and is not empty: record into a new or empty directory", .path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// The data does not fit the file being written.
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> RecordError + '_ {
    move |error| RecordError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// An element type a `.npy` file can hold.
pub trait NpyElement: Copy {
    /// NumPy's type descriptor ("<f8", "|i1", ...).
    const DESCR: &'static str;
    /// Writes the value in little-endian byte order.
    fn write_le(self, out: &mut impl Write) -> io::Result<()>;
}

macro_rules! npy_element {
    ($t:ty, $descr:expr) => {
        impl NpyElement for $t {
            const DESCR: &'static str = $descr;
            fn write_le(self, out: &mut impl Write) -> io::Result<()> {
                out.write_all(&self.to_le_bytes())
            }
        }
    };
}

npy_element!(i8, "|i1");
npy_element!(u32, "<u4");
npy_element!(f32, "<f4");
npy_element!(f64, "<f8");

/// A `.npy` file (format 1.0, C order) written row by row; `finish` puts the final row count in its header.
pub struct NpyWriter<T: NpyElement> {
    out: BufWriter<File>,
    path: PathBuf,
    row_shape: Vec<usize>,
    row_len: usize,
    rows: u64,
    header_len: usize,
    finished: bool,
    _element: PhantomData<T>,
}

impl<T: NpyElement> NpyWriter<T> {
    /// Creates `path` for an array of shape (rows, `row_shape`...); `row_shape` empty gives a 1-D array.
    pub fn create(path: impl Into<PathBuf>, row_shape: &[usize]) -> Result<Self, RecordError> {
        let path = path.into();
        // Room for the largest row count, so the header never has to grow.
        let header_len = npy_header::<T>(u64::MAX, row_shape, 0).len();
        let file = File::create(&path).map_err(io_error(&path))?;
        let mut out = BufWriter::new(file);
        out.write_all(&npy_header::<T>(0, row_shape, header_len))
            .map_err(io_error(&path))?;
        Ok(Self {
            out,
            row_len: row_shape.iter().product(),
            row_shape: row_shape.to_vec(),
            rows: 0,
            header_len,
            path,
            finished: false,
            _element: PhantomData,
        })
    }

    /// Appends one row; its length must be the product of the row shape.
    pub fn push_row(&mut self, row: &[T]) -> Result<(), RecordError> {
        if row.len() != self.row_len {
            return Err(RecordError::Invalid {
                path: self.path.clone(),
                message: format!("a row of {} values, expected {}", row.len(), self.row_len),
            });
        }
        for &value in row {
            value.write_le(&mut self.out).map_err(io_error(&self.path))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rewrites the header with the number of rows written, flushes and returns that number.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        self.finished = true;
        self.write_header()
    }

    fn write_header(&mut self) -> Result<u64, RecordError> {
        let header = npy_header::<T>(self.rows, &self.row_shape, self.header_len);
        let path = &self.path;
        self.out.seek(SeekFrom::Start(0)).map_err(io_error(path))?;
        self.out.write_all(&header).map_err(io_error(path))?;
        self.out.seek(SeekFrom::End(0)).map_err(io_error(path))?;
        self.out.flush().map_err(io_error(path))?;
        Ok(self.rows)
    }
}

impl<T: NpyElement> Drop for NpyWriter<T> {
    /// A writer dropped without `finish` (a run that failed) still leaves a valid file.
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.write_header();
        }
    }
}

/// A `.npy` 1.0 header for `rows` rows, padded with spaces to `len` bytes (to a multiple of 64 if 0).
fn npy_header<T: NpyElement>(rows: u64, row_shape: &[usize], len: usize) -> Vec<u8> {
    let shape = if row_shape.is_empty() {
        format!("({rows},)")
    } else {
        let rest: Vec<String> = row_shape.iter().map(|d| d.to_string()).collect();
        format!("({rows}, {})", rest.join(", "))
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}",
        T::DESCR
    );
    let needed = 10 + dict.len() + 1;
    let total = if len == 0 {
        needed.next_multiple_of(64)
    } else {
        len
    };
    debug_assert!(total >= needed && total % 64 == 0);
    let mut header = Vec::with_capacity(total);
    header.extend_from_slice(b"\x93NUMPY\x01\x00");
    header.extend_from_slice(&((total - 10) as u16).to_le_bytes());
    header.extend_from_slice(dict.as_bytes());
    header.resize(total - 1, b' ');
    header.push(b'\n');
    header
}

/// A CSV file written line by line.
struct Csv {
    out: BufWriter<File>,
    path: PathBuf,
    rows: u64,
}

impl Csv {
    fn create(path: PathBuf, header: &str) -> Result<Self, RecordError> {
        let file = File::create(&path).map_err(io_error(&path))?;
        let mut out = BufWriter::new(file);
        writeln!(out, "{header}").map_err(io_error(&path))?;
        Ok(Self { out, path, rows: 0 })
    }

    /// Writes `line` (without its newline) as one row.
    fn row(&mut self, line: &str) -> Result<(), RecordError> {
        self.out
            .write_all(line.as_bytes())
            .map_err(io_error(&self.path))?;
        self.out.write_all(b"\n").map_err(io_error(&self.path))?;
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<u64, RecordError> {
        self.out.flush().map_err(io_error(&self.path))?;
        Ok(self.rows)
    }
}

/// A CSV header field, quoted when needed.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

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
    files: BTreeMap<String, Value>,
    record: Option<SceneRecord>,
}

enum SceneRecord {
    Spiking(Box<SpikingRecord>),
    Hopfield(Box<HopfieldRecord>),
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
            files: BTreeMap::new(),
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
        let description = describe(info);
        if self.scene_at_start.is_none() {
            self.scene_at_start = Some(description.clone());
        }
        self.scene_at_end = Some(description);
        match (&mut self.record, info) {
            (None, SceneInfo::Spiking(info)) => {
                let record = SpikingRecord::create(&self.dir, info, &mut self.files)?;
                self.record = Some(SceneRecord::Spiking(Box::new(record)));
            }
            (None, SceneInfo::Hopfield(info)) => {
                let record = HopfieldRecord::create(&self.dir, info, &mut self.files)?;
                self.record = Some(SceneRecord::Hopfield(Box::new(record)));
            }
            (Some(SceneRecord::Spiking(record)), SceneInfo::Spiking(info)) => {
                record.info(&self.dir, info, &mut self.files)?;
            }
            (Some(SceneRecord::Hopfield(record)), SceneInfo::Hopfield(info)) => {
                record.info(&self.dir, info, &mut self.files)?;
            }
            _ => {
                return Err(RecordError::Invalid {
                    path: self.dir.clone(),
                    message: "the scene changed model during the recording; start a new recording".into(),
                });
            }
        }
        Ok(())
    }

    /// Takes the data produced since the previous frame; `sim_time` is the scene's time at its end.
    pub fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<(), RecordError> {
        match (&mut self.record, frame) {
            (Some(SceneRecord::Spiking(record)), SceneFrame::Spiking(frame)) => record.frame(frame),
            (Some(SceneRecord::Hopfield(record)), SceneFrame::Hopfield(frame)) => {
                record.frame(frame, sim_time)
            }
            (None, _) => Err(RecordError::Invalid {
                path: self.dir.clone(),
                message: "a frame arrived before the scene described itself".into(),
            }),
            _ => Err(RecordError::Invalid {
                path: self.dir.clone(),
                message: "a frame of another model arrived; start a new recording".into(),
            }),
        }
    }

    /// Flushes every file, fixes the `.npy` headers and completes `metadata.json`.
    pub fn finish(mut self, summary: &RecordSummary) -> Result<PathBuf, RecordError> {
        match self.record.take() {
            Some(SceneRecord::Spiking(record)) => record.finish(&self.dir, &mut self.files)?,
            Some(SceneRecord::Hopfield(record)) => record.finish(&self.dir, &mut self.files)?,
            None => {}
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

/// The scene setup as `metadata.json` shows it.
fn describe(info: &SceneInfo) -> Value {
    match info {
        SceneInfo::Spiking(info) => json!({
            "model": "spiking",
            "setup": info.setup,
            "n_neurons": info.n_neurons,
            "n_synapses": info.n_synapses,
            "dt_ms": info.dt_ms,
            "populations": info.populations.iter().map(|p| json!({
                "name": p.name,
                "excitatory": p.excitatory,
                "start": p.start,
                "len": p.len,
                "threshold_mv": p.threshold_mv,
                "reset_mv": p.reset_mv,
            })).collect::<Vec<_>>(),
            "params": info.params,
            "recorded_neurons": info.recorded,
            "stdp_enabled": info.stdp_enabled,
            "mean_exc_weight": info.mean_exc_weight,
        }),
        SceneInfo::Hopfield(info) => json!({
            "model": "hopfield",
            "setup": info.setup,
            "width": info.width,
            "height": info.height,
            "n_neurons": info.width * info.height,
            "labels": info.labels,
        }),
    }
}

/// Name of segment `segment` (1-based) of a table: `traces.csv`, `traces-2.csv`, ...
fn segment_name(stem: &str, segment: usize, ext: &str) -> String {
    if segment <= 1 {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}-{segment}.{ext}")
    }
}

/// Number of decimals that print multiples of `dt_ms` exactly.
fn decimals_of(dt_ms: f64) -> usize {
    (0..9)
        .find(|&d| {
            let scaled = dt_ms * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(9)
}

/// Simulated time in ms of a step, as the decimal number the step stands for.
fn step_ms(step: u64, dt_ms: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (step as f64 * dt_ms * scale).round() / scale
}

struct SpikingRecord {
    dt_ms: f64,
    decimals: usize,
    steps_per_bin: u64,
    population_sizes: Vec<usize>,
    spikes_csv: Csv,
    spike_neurons: NpyWriter<u32>,
    spike_times: NpyWriter<f64>,
    rates: Csv,
    /// The last population bin (first step, spike counts), kept until a later bin starts.
    pending_bin: Option<(u64, Vec<u64>)>,
    traces: Option<TraceFiles>,
    trace_segment: usize,
    line: String,
}

struct TraceFiles {
    neurons: Vec<u32>,
    csv: Csv,
    npy: NpyWriter<f32>,
}

impl SpikingRecord {
    fn create(
        dir: &Path,
        info: &SpikingInfo,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<Self, RecordError> {
        let spikes_csv = Csv::create(dir.join("spikes.csv"), "neuron,time_ms")?;
        files.insert(
            "spikes.csv".into(),
            json!({"what": "one row per spike, in time order", "columns": ["neuron", "time_ms"],
                   "units": {"neuron": "index", "time_ms": "ms"}}),
        );
        let spike_neurons = NpyWriter::create(dir.join("spike_neurons.npy"), &[])?;
        files.insert(
            "spike_neurons.npy".into(),
            json!({"what": "neuron of every spike (parallel to spike_times_ms.npy)", "dtype": "uint32",
                   "units": "index"}),
        );
        let spike_times = NpyWriter::create(dir.join("spike_times_ms.npy"), &[])?;
        files.insert(
            "spike_times_ms.npy".into(),
            json!({"what": "time of every spike (parallel to spike_neurons.npy)", "dtype": "float64",
                   "units": "ms"}),
        );
        let mut header = String::from("time_ms");
        let mut units = serde_json::Map::new();
        units.insert("time_ms".into(), json!("ms, start of the bin"));
        for p in &info.populations {
            let column = format!("{}_hz", p.name);
            header += ",";
            header += &csv_field(&column);
            units.insert(column, json!("Hz, mean rate per neuron"));
        }
        let rates = Csv::create(dir.join("rates.csv"), &header)?;
        let steps_per_bin = (1.0 / info.dt_ms).round().max(1.0) as u64;
        files.insert(
            "rates.csv".into(),
            json!({"what": "population rates in bins of 1 ms (the last bin may be partial)",
                   "bin_ms": steps_per_bin as f64 * info.dt_ms, "columns": header.split(',').collect::<Vec<_>>(),
                   "units": units}),
        );
        let mut record = Self {
            dt_ms: info.dt_ms,
            decimals: decimals_of(info.dt_ms),
            steps_per_bin,
            population_sizes: info.populations.iter().map(|p| p.len).collect(),
            spikes_csv,
            spike_neurons,
            spike_times,
            rates,
            pending_bin: None,
            traces: None,
            trace_segment: 0,
            line: String::new(),
        };
        record.open_traces(dir, &info.recorded, files)?;
        Ok(record)
    }

    /// Starts a new traces segment for `neurons` (none when no neuron is recorded).
    fn open_traces(
        &mut self,
        dir: &Path,
        neurons: &[u32],
        files: &mut BTreeMap<String, Value>,
    ) -> Result<(), RecordError> {
        if let Some(old) = self.traces.take() {
            finish_traces(old, self.trace_segment, files)?;
        }
        if neurons.is_empty() {
            return Ok(());
        }
        self.trace_segment += 1;
        let csv_name = segment_name("traces", self.trace_segment, "csv");
        let npy_name = segment_name("traces", self.trace_segment, "npy");
        let columns: Vec<String> = neurons.iter().map(|n| format!("v{n}_mv")).collect();
        let csv = Csv::create(dir.join(&csv_name), &format!("time_ms,{}", columns.join(",")))?;
        let mut csv_columns = vec!["time_ms".to_string()];
        csv_columns.extend(columns.iter().cloned());
        let npy = NpyWriter::create(dir.join(&npy_name), &[neurons.len()])?;
        files.insert(
            csv_name,
            json!({"what": "membrane potential of the recorded neurons", "neurons": neurons,
                   "columns": csv_columns,
                   "units": {"time_ms": "ms", "v*_mv": "mV"}}),
        );
        files.insert(
            npy_name,
            json!({"what": "membrane potential, samples × recorded neurons (rows match the CSV's)",
                   "neurons": neurons, "dtype": "float32", "units": "mV"}),
        );
        self.traces = Some(TraceFiles {
            neurons: neurons.to_vec(),
            csv,
            npy,
        });
        Ok(())
    }

    fn info(
        &mut self,
        dir: &Path,
        info: &SpikingInfo,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<(), RecordError> {
        let sizes: Vec<usize> = info.populations.iter().map(|p| p.len).collect();
        if sizes != self.population_sizes {
            return Err(RecordError::Invalid {
                path: dir.to_path_buf(),
                message: "the network was rebuilt with other populations; start a new recording".into(),
            });
        }
        let current: &[u32] = self.traces.as_ref().map_or(&[], |t| &t.neurons);
        if info.recorded != current {
            self.open_traces(dir, &info.recorded, files)?;
        }
        Ok(())
    }

    fn frame(&mut self, frame: &SpikingFrame) -> Result<(), RecordError> {
        let (dt_ms, decimals) = (self.dt_ms, self.decimals);
        let line = &mut self.line;
        for (&step, &neuron) in frame.spike_steps.iter().zip(&frame.spike_neurons) {
            let time_ms = step_ms(step, dt_ms, decimals);
            line.clear();
            use std::fmt::Write as _;
            let _ = write!(line, "{neuron},{time_ms:.decimals$}");
            self.spikes_csv.row(line)?;
            self.spike_neurons.push_row(&[neuron])?;
            self.spike_times.push_row(&[time_ms])?;
        }
        let bins = frame.population_counts.iter().map(Vec::len).max().unwrap_or(0);
        for bin in 0..bins {
            let start = frame.counts_first_step + bin as u64 * self.steps_per_bin;
            let counts = frame
                .population_counts
                .iter()
                .map(|c| u64::from(c.get(bin).copied().unwrap_or(0)));
            match &mut self.pending_bin {
                Some((pending_start, pending)) if *pending_start == start => {
                    for (total, c) in pending.iter_mut().zip(counts) {
                        *total += c;
                    }
                }
                _ => {
                    self.flush_bin()?;
                    self.pending_bin = Some((start, counts.collect()));
                }
            }
        }
        if let Some(traces) = &mut self.traces
            && frame.traces_mv.len() == traces.neurons.len()
        {
            let samples = frame.traces_mv.iter().map(Vec::len).min().unwrap_or(0);
            let mut row = vec![0f32; traces.neurons.len()];
            for i in 0..samples {
                let step = frame.first_step + i as u64 * frame.trace_every.max(1);
                self.line.clear();
                use std::fmt::Write as _;
                let _ = write!(self.line, "{:.*}", decimals, step_ms(step, dt_ms, decimals));
                for (value, trace) in row.iter_mut().zip(&frame.traces_mv) {
                    *value = trace[i];
                    let _ = write!(self.line, ",{}", trace[i]);
                }
                traces.csv.row(&self.line)?;
                traces.npy.push_row(&row)?;
            }
        }
        Ok(())
    }

    /// Writes the pending population bin as a row of rates.
    fn flush_bin(&mut self) -> Result<(), RecordError> {
        let Some((start, counts)) = self.pending_bin.take() else {
            return Ok(());
        };
        let bin_s = self.steps_per_bin as f64 * self.dt_ms / 1000.0;
        self.line.clear();
        use std::fmt::Write as _;
        let _ = write!(
            self.line,
            "{:.*}",
            self.decimals,
            step_ms(start, self.dt_ms, self.decimals)
        );
        for (&count, &size) in counts.iter().zip(&self.population_sizes) {
            let _ = write!(self.line, ",{}", count as f64 / size.max(1) as f64 / bin_s);
        }
        self.rates.row(&self.line)
    }

    fn finish(
        mut self: Box<Self>,
        _dir: &Path,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<(), RecordError> {
        self.flush_bin()?;
        let this = *self;
        set_rows(files, "spikes.csv", this.spikes_csv.finish()?);
        set_rows(files, "spike_neurons.npy", this.spike_neurons.finish()?);
        set_rows(files, "spike_times_ms.npy", this.spike_times.finish()?);
        set_rows(files, "rates.csv", this.rates.finish()?);
        if let Some(traces) = this.traces {
            finish_traces(traces, this.trace_segment, files)?;
        }
        Ok(())
    }
}

fn finish_traces(
    traces: TraceFiles,
    segment: usize,
    files: &mut BTreeMap<String, Value>,
) -> Result<(), RecordError> {
    set_rows(
        files,
        &segment_name("traces", segment, "csv"),
        traces.csv.finish()?,
    );
    set_rows(
        files,
        &segment_name("traces", segment, "npy"),
        traces.npy.finish()?,
    );
    Ok(())
}

/// Notes the final number of rows of a file in its description.
fn set_rows(files: &mut BTreeMap<String, Value>, name: &str, rows: u64) {
    if let Some(doc) = files.get_mut(name) {
        doc["rows"] = json!(rows);
    }
}

struct HopfieldRecord {
    n: usize,
    labels: Vec<String>,
    overlaps: Csv,
    overlaps_segment: usize,
    states: NpyWriter<i8>,
    state_times: NpyWriter<f64>,
    last_state_time: Option<f64>,
    patterns: Vec<Vec<i8>>,
    line: String,
}

impl HopfieldRecord {
    fn create(
        dir: &Path,
        info: &HopfieldInfo,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<Self, RecordError> {
        let n = info.width * info.height;
        let states = NpyWriter::create(dir.join("states.npy"), &[n])?;
        files.insert(
            "states.npy".into(),
            json!({"what": "the state at the end of every frame, samples × N (row-major on the grid)",
                   "dtype": "int8", "units": "±1", "width": info.width, "height": info.height}),
        );
        let state_times = NpyWriter::create(dir.join("state_times_sweeps.npy"), &[])?;
        files.insert(
            "state_times_sweeps.npy".into(),
            json!({"what": "time of each row of states.npy", "dtype": "float64", "units": "sweeps"}),
        );
        let overlaps = Self::open_overlaps(dir, 1, &info.labels, 0.0, files)?;
        Ok(Self {
            n,
            labels: info.labels.clone(),
            overlaps,
            overlaps_segment: 1,
            states,
            state_times,
            last_state_time: None,
            patterns: info.patterns.clone(),
            line: String::new(),
        })
    }

    fn open_overlaps(
        dir: &Path,
        segment: usize,
        labels: &[String],
        from_sweeps: f64,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<Csv, RecordError> {
        let name = segment_name("overlaps", segment, "csv");
        let mut columns = vec!["time_sweeps".to_string()];
        columns.extend(labels.iter().map(|l| format!("m_{l}")));
        columns.push("energy".into());
        let header: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
        let csv = Csv::create(dir.join(&name), &header.join(","))?;
        files.insert(
            name,
            json!({"what": "overlap with every stored pattern and the energy, sampled 16 times per sweep",
                   "labels": labels, "from_time_sweeps": from_sweeps, "columns": columns,
                   "units": {"time_sweeps": "sweeps (N single-neuron updates)", "m_*": "overlap in [-1, 1]",
                             "energy": "E = -1/2 Σ J_ij s_i s_j (classical) or the dense energy"}}),
        );
        Ok(csv)
    }

    fn info(
        &mut self,
        dir: &Path,
        info: &HopfieldInfo,
        files: &mut BTreeMap<String, Value>,
    ) -> Result<(), RecordError> {
        if info.width * info.height != self.n {
            return Err(RecordError::Invalid {
                path: dir.to_path_buf(),
                message: "the network was rebuilt with another size; start a new recording".into(),
            });
        }
        self.patterns = info.patterns.clone();
        if info.labels != self.labels {
            let from = self.last_state_time.unwrap_or(0.0);
            let old_name = segment_name("overlaps", self.overlaps_segment, "csv");
            self.overlaps_segment += 1;
            let csv = Self::open_overlaps(dir, self.overlaps_segment, &info.labels, from, files)?;
            let old = std::mem::replace(&mut self.overlaps, csv);
            set_rows(files, &old_name, old.finish()?);
            self.labels = info.labels.clone();
        }
        Ok(())
    }

    fn frame(&mut self, frame: &HopfieldFrame, sim_time_sweeps: f64) -> Result<(), RecordError> {
        use std::fmt::Write as _;
        for sample in &frame.samples {
            self.line.clear();
            let _ = write!(self.line, "{}", sample.time_sweeps);
            for k in 0..self.labels.len() {
                match sample.overlaps.get(k) {
                    Some(m) => {
                        let _ = write!(self.line, ",{m}");
                    }
                    None => self.line.push(','),
                }
            }
            let _ = write!(self.line, ",{}", sample.energy);
            self.overlaps.row(&self.line)?;
        }
        if frame.state.len() == self.n && self.last_state_time != Some(sim_time_sweeps) {
            self.states.push_row(&frame.state)?;
            self.state_times.push_row(&[sim_time_sweeps])?;
            self.last_state_time = Some(sim_time_sweeps);
        }
        Ok(())
    }

    fn finish(self: Box<Self>, dir: &Path, files: &mut BTreeMap<String, Value>) -> Result<(), RecordError> {
        let this = *self;
        set_rows(
            files,
            &segment_name("overlaps", this.overlaps_segment, "csv"),
            this.overlaps.finish()?,
        );
        set_rows(files, "states.npy", this.states.finish()?);
        set_rows(files, "state_times_sweeps.npy", this.state_times.finish()?);
        let mut patterns = NpyWriter::create(dir.join("patterns.npy"), &[this.n])?;
        for pattern in this.patterns.iter().filter(|p| p.len() == this.n) {
            patterns.push_row(pattern)?;
        }
        files.insert(
            "patterns.npy".into(),
            json!({"what": "the stored patterns at the end, patterns × N, in the order of the labels",
                   "labels": this.labels, "dtype": "int8", "units": "±1"}),
        );
        set_rows(files, "patterns.npy", patterns.finish()?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_writer_header_is_64_aligned_valid_and_rewritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.npy");
        let mut writer = NpyWriter::<f32>::create(&path, &[3]).expect("create");
        writer.push_row(&[1.0, 2.0, 3.0]).expect("row");
        writer.push_row(&[4.0, 5.0, 6.0]).expect("row");
        assert!(writer.push_row(&[1.0]).is_err(), "a short row is refused");
        assert_eq!(writer.finish().expect("finish"), 2);
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("ascii header");
        assert!(header.ends_with('\n'));
        assert!(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        let data = &bytes[10 + header_len..];
        assert_eq!(data.len(), 6 * 4);
        assert_eq!(f32::from_le_bytes(data[20..24].try_into().expect("4 bytes")), 6.0);

        let path = dir.path().join("dropped.npy");
        let mut writer = NpyWriter::<i8>::create(&path, &[2]).expect("create");
        writer.push_row(&[1, -1]).expect("row");
        drop(writer);
        let bytes = std::fs::read(&path).expect("read");
        let data_start = 10 + u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let header = std::str::from_utf8(&bytes[10..data_start]).expect("ascii");
        assert!(header.contains("'shape': (1, 2)"), "{header}");
        assert_eq!(&bytes[data_start..], &[1, 0xff]);

        let path = dir.path().join("b.npy");
        let writer = NpyWriter::<u32>::create(&path, &[]).expect("create");
        writer.finish().expect("finish");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(bytes.len() % 64, 0);
        assert!(
            std::str::from_utf8(&bytes[10..])
                .expect("ascii")
                .contains("'shape': (0,)")
        );
    }

    #[test]
    fn decimals_print_steps_exactly() {
        assert_eq!(decimals_of(0.1), 1);
        assert_eq!(decimals_of(1.0), 0);
        assert_eq!(decimals_of(0.05), 2);
        assert_eq!(step_ms(3, 0.1, 1), 0.3);
    }
}
