//! Spikes recorded elsewhere, read into engram's recording layout: NEST's ASCII spike files (one per
//! virtual process, merged by time) or a two-column CSV (`senders,times` as NEST Desktop writes it,
//! or `neuron,time_ms`).
//!
//! Reading streams line by line and merges the files with a heap, so a run of 5·10⁷ spikes is never
//! held as text; what is written is `spike_neurons.npy` (u32, from 0: NEST id − 1),
//! `spike_times_ms.npy` (f64) and `metadata.json` beside the input, each written under a temporary
//! name and renamed, so a failed import leaves nothing half-written. NEST stamps a spike at the end
//! of the step in which it happened; engram at its start: one step is subtracted.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::io::NpyWriter;
use crate::analysis::spike_stats::{CV_MIN_INTERVALS, IsiStats};

/// What an import found and wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportSummary {
    /// Where the recording was written.
    pub dir: PathBuf,
    /// The files read.
    pub files: Vec<String>,
    /// "NEST 3.10" or "CSV".
    pub source: String,
    /// Spikes.
    pub spikes: u64,
    /// Highest neuron index + 1 (or the network's size when known).
    pub neurons: usize,
    /// Time of the last spike, in ms (the run's duration from run.json when present).
    pub duration_ms: f64,
    /// NEST processes and threads, from run.json.
    pub processes: Option<u64>,
    /// Threads per process, from run.json.
    pub threads: Option<u64>,
    /// Mean rate over neurons and time, in Hz.
    pub mean_rate_hz: f64,
    /// Mean ISI coefficient of variation, engram's one definition ([`IsiStats`]).
    pub mean_cv: f64,
}

/// "1 process × 2 threads": how a NEST run was distributed, in words.
pub fn processes_and_threads(processes: u64, threads: u64) -> String {
    format!(
        "{processes} process{} × {threads} thread{}",
        if processes == 1 { "" } else { "es" },
        if threads == 1 { "" } else { "s" }
    )
}

/// How to read an import.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ImportOptions {
    /// Step of the run, in ms (else run.json's `dt_ms`).
    pub dt_ms: Option<f64>,
    /// Neurons of the network (senders above it are errors).
    pub neurons: Option<usize>,
}

/// One spike file being read.
struct SpikeFile {
    path: PathBuf,
    lines: std::io::Lines<std::io::BufReader<std::fs::File>>,
    line: usize,
    /// Columns: time in ms, or step and offset.
    in_steps: bool,
    last_time: f64,
    dt_ms: f64,
    /// Subtracted from every time: one step for NEST's end-of-step stamps, 0 for `neuron,time_ms`.
    shift_ms: f64,
    /// NEST ids (from 1) rather than engram indices (from 0, the `neuron,time_ms` CSV).
    one_based: bool,
    neurons: Option<usize>,
    csv: bool,
}

impl SpikeFile {
    fn open(
        path: &Path,
        dt_ms: Option<f64>,
        neurons: Option<usize>,
        csv: bool,
    ) -> Result<(Self, Option<String>), String> {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut lines = std::io::BufReader::new(file).lines();
        let mut line = 0;
        let mut version = None;
        // The header: NEST's `#` lines, then the column names.
        let columns = loop {
            line += 1;
            let Some(text) = lines.next() else {
                return Err(format!("{}: empty file (no header)", path.display()));
            };
            let text = text.map_err(|e| format!("{}:{line}: {e}", path.display()))?;
            if let Some(comment) = text.strip_prefix('#') {
                if let Some(v) = comment.trim().strip_prefix("NEST version:") {
                    version = Some(v.trim().to_string());
                }
                continue;
            }
            break text;
        };
        if !csv && version.is_none() {
            return Err(format!(
                "{}:{line}: no `# NEST version` header: not a NEST ASCII spike file",
                path.display()
            ));
        }
        let names: Vec<String> = columns
            .split(['\t', ','])
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        let (in_steps, nest_stamps) = match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["sender", "time_ms"] | ["senders", "times"] => (false, true),
            ["neuron", "time_ms"] => (false, false),
            ["sender", "time_step", "time_offset"] => (true, true),
            _ => {
                return Err(format!(
                    "{}:{line}: expected the columns `sender, time_ms` (or `senders,times`, `neuron,time_ms`, `sender, time_step, time_offset`), found `{columns}`",
                    path.display()
                ));
            }
        };
        let dt_ms = match (dt_ms, nest_stamps) {
            (Some(dt), _) => dt,
            (None, false) => 0.0,
            (None, true) => {
                return Err(format!(
                    "{}: name the run's step with --dt-ms (NEST stamps spikes at the end of a step; the run.json of engram's run_nest.py says it)",
                    path.display()
                ));
            }
        };
        Ok((
            Self {
                path: path.to_path_buf(),
                lines,
                line,
                in_steps,
                last_time: f64::NEG_INFINITY,
                dt_ms,
                shift_ms: if nest_stamps { dt_ms } else { 0.0 },
                one_based: nest_stamps,
                neurons,
                csv,
            },
            version,
        ))
    }

    /// The next spike as (time in ms as NEST stamps it, engram neuron index), or None at the end.
    fn next_spike(&mut self) -> Result<Option<(f64, u32)>, String> {
        loop {
            self.line += 1;
            let Some(text) = self.lines.next() else {
                return Ok(None);
            };
            let text = text.map_err(|e| format!("{}:{}: {e}", self.path.display(), self.line))?;
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let at = |what: String| format!("{}:{}: {what}", self.path.display(), self.line);
            let fields: Vec<&str> = text.split(['\t', ',', ' ']).filter(|f| !f.is_empty()).collect();
            let expected = if self.in_steps { 3 } else { 2 };
            if fields.len() != expected {
                return Err(at(format!(
                    "{} fields where {expected} belong (a truncated line?): `{text}`",
                    fields.len()
                )));
            }
            let sender: u64 = fields[0]
                .parse()
                .map_err(|_| at(format!("the sender `{}` is not a neuron id", fields[0])))?;
            if self.one_based && sender == 0 {
                return Err(at("sender 0: NEST ids start at 1".into()));
            }
            let index = if self.one_based { sender - 1 } else { sender };
            if index > u64::from(u32::MAX - 1) {
                return Err(at(format!("neuron {sender} is beyond what engram can index")));
            }
            if let Some(n) = self.neurons
                && index as usize >= n
            {
                return Err(at(format!(
                    "sender {sender} is beyond the {n} neurons of the network"
                )));
            }
            let time = if self.in_steps {
                let step: f64 = fields[1]
                    .parse()
                    .map_err(|_| at(format!("the step `{}` is not a number", fields[1])))?;
                let offset: f64 = fields[2]
                    .parse()
                    .map_err(|_| at(format!("the offset `{}` is not a number", fields[2])))?;
                step * self.dt_ms - offset
            } else {
                fields[1]
                    .parse()
                    .map_err(|_| at(format!("the time `{}` is not a number", fields[1])))?
            };
            if !time.is_finite() {
                return Err(at(format!("the time {time} is not finite")));
            }
            // NEST writes each virtual process's spikes in time order; a CSV may come in any order
            // only if it is one file (it is then sorted by the merge of one stream: refused too).
            if time < self.last_time {
                return Err(at(format!(
                    "time {time} ms comes after {} ms: the file mixes runs or is not in time order{}",
                    self.last_time,
                    if self.csv { " (sort it by time)" } else { "" }
                )));
            }
            self.last_time = time;
            return Ok(Some((time - self.shift_ms, index as u32)));
        }
    }
}

/// The spike files of a NEST output directory (`*.dat`, `*.gdf`), sorted by name, checked against
/// run.json's count of virtual processes when there is one.
fn nest_files(dir: &Path, run: Option<&Value>) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dat" || e == "gdf"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no NEST spike files (*.dat) here", dir.display()));
    }
    if let Some(expected) = run.and_then(|r| r["virtual_processes"].as_u64())
        && files.len() as u64 != expected
    {
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap_or_default().to_string_lossy().into_owned())
            .collect();
        return Err(format!(
            "{}: run.json says {expected} virtual processes, so {expected} spike files, but there are {} ({}): a stale file from an earlier run, or one missing",
            dir.display(),
            files.len(),
            names.join(", ")
        ));
    }
    Ok(files)
}

/// Reads NEST's spike files in `dir` (or the CSV file `path`) and writes engram's recording layout
/// beside them.
pub fn import_spikes(path: &Path, options: ImportOptions) -> Result<ImportSummary, String> {
    let csv = path.is_file();
    let dir = if csv {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        path.to_path_buf()
    };
    let run: Option<Value> = if csv {
        None
    } else {
        let run_path = dir.join("run.json");
        match std::fs::read_to_string(&run_path) {
            Ok(text) => {
                Some(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", run_path.display()))?)
            }
            Err(_) => None,
        }
    };
    let dt_ms = options
        .dt_ms
        .or_else(|| run.as_ref().and_then(|r| r["dt_ms"].as_f64()));
    if let Some(dt) = dt_ms
        && !(dt > 0.0 && dt.is_finite())
    {
        return Err(format!("the step must be > 0 ms, not {dt}"));
    }
    let paths = if csv {
        vec![path.to_path_buf()]
    } else {
        nest_files(&dir, run.as_ref())?
    };
    let mut files = Vec::with_capacity(paths.len());
    let mut versions = Vec::new();
    for p in &paths {
        let (file, version) = SpikeFile::open(p, dt_ms, options.neurons, csv)?;
        if let Some(v) = version {
            versions.push(v);
        }
        files.push(file);
    }
    versions.dedup();
    if versions.len() > 1 {
        return Err(format!(
            "{}: the files come from different NEST versions ({}): mixed runs",
            dir.display(),
            versions.join(", ")
        ));
    }
    let partial = |name: &str| dir.join(format!("{name}.partial"));
    let result = merge_into(
        &mut files,
        &partial("spike_neurons.npy"),
        &partial("spike_times_ms.npy"),
    );
    let (spikes, neurons_seen, last_time, mean_cv) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(partial("spike_neurons.npy"));
            let _ = std::fs::remove_file(partial("spike_times_ms.npy"));
            return Err(e);
        }
    };
    let neurons = options.neurons.unwrap_or(neurons_seen);
    let duration_ms = run
        .as_ref()
        .and_then(|r| r["duration_ms"].as_f64())
        .unwrap_or(last_time + dt_ms.unwrap_or(0.0));
    let source = match versions.first() {
        Some(v) => format!("NEST {v}"),
        None => "CSV".into(),
    };
    let summary = ImportSummary {
        dir: dir.clone(),
        files: paths
            .iter()
            .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned())
            .collect(),
        source,
        spikes,
        neurons,
        duration_ms,
        processes: run.as_ref().and_then(|r| r["processes"].as_u64()),
        threads: run.as_ref().and_then(|r| r["threads"].as_u64()),
        mean_rate_hz: spikes as f64 / neurons.max(1) as f64 / (duration_ms / 1000.0).max(1e-12),
        mean_cv,
    };
    let metadata = json!({
        "format": "engram-recording",
        "format_version": 1,
        "engram_version": env!("CARGO_PKG_VERSION"),
        "imported_from": summary.source,
        "source_files": summary.files,
        "run": run,
        "dt_ms": dt_ms,
        "neurons": neurons,
        "duration_ms": duration_ms,
        "files": {
            "spike_neurons.npy": {"what": "neuron of every spike (NEST id − 1)", "dtype": "uint32"},
            "spike_times_ms.npy": {"what": "time of every spike, at the start of its step (NEST's stamp − dt)", "dtype": "float64", "units": "ms"},
        },
        "spikes": spikes,
        "complete": true,
    });
    for name in ["spike_neurons.npy", "spike_times_ms.npy"] {
        std::fs::rename(partial(name), dir.join(name))
            .map_err(|e| format!("{}: {e}", dir.join(name).display()))?;
    }
    let text = serde_json::to_string_pretty(&metadata).map_err(|e| e.to_string())?;
    std::fs::write(partial("metadata.json"), text + "\n").map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::rename(partial("metadata.json"), dir.join("metadata.json"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(summary)
}

/// A time in a heap: ordered by `total_cmp`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Time(f64);

impl Eq for Time {}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Merges the files by time into the two arrays; returns (spikes, neurons seen, last time, mean CV).
fn merge_into(
    files: &mut [SpikeFile],
    neurons_path: &Path,
    times_path: &Path,
) -> Result<(u64, usize, f64, f64), String> {
    let err = |e: super::RecordError| e.to_string();
    let mut neurons_out = NpyWriter::<u32>::create(neurons_path, &[]).map_err(err)?;
    let mut times_out = NpyWriter::<f64>::create(times_path, &[]).map_err(err)?;
    let mut heap = BinaryHeap::new();
    for (k, file) in files.iter_mut().enumerate() {
        if let Some((t, n)) = file.next_spike()? {
            heap.push(Reverse((Time(t), k, n)));
        }
    }
    let (mut spikes, mut highest, mut last) = (0u64, 0usize, 0.0f64);
    let mut isi = IsiStats::new(0);
    while let Some(Reverse((Time(time), k, n))) = heap.pop() {
        neurons_out.push_row(&[n]).map_err(err)?;
        times_out.push_row(&[time]).map_err(err)?;
        spikes += 1;
        highest = highest.max(n as usize + 1);
        last = last.max(time);
        isi.grow_to(n as usize + 1);
        isi.push(n as usize, time);
        if let Some((t, n)) = files[k].next_spike()? {
            heap.push(Reverse((Time(t), k, n)));
        }
    }
    neurons_out.finish().map_err(err)?;
    times_out.finish().map_err(err)?;
    let mean_cv = isi.mean_cv(CV_MIN_INTERVALS);
    Ok((spikes, highest, last, mean_cv))
}
