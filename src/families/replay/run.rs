//! A recorded run read back: the spikes of an engram recording or of an import (NEST's spike files
//! or a CSV, converted by [`crate::recording::import`] on first open so that a second open reads the
//! arrays at once), with where it came from and its populations.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::families::spiking::PopulationView;
use crate::recording::import::{ImportOptions, import_spikes, processes_and_threads};
use crate::recording::io::{parse_npy_1d, read_npy_1d};

/// The runs engram ships: name, then spike_neurons.npy, spike_times_ms.npy, metadata.json, network.json.
const BUILTIN_RUNS: &[(&str, [&[u8]; 4])] = &[(
    "nest-cuba",
    [
        include_bytes!("../../../assets/runs/nest-cuba/spike_neurons.npy"),
        include_bytes!("../../../assets/runs/nest-cuba/spike_times_ms.npy"),
        include_bytes!("../../../assets/runs/nest-cuba/metadata.json"),
        include_bytes!("../../../assets/runs/nest-cuba/network.json"),
    ],
)];

/// Step assumed when a recording does not say (NEST's default resolution), in ms.
const DEFAULT_DT_MS: f64 = 0.1;

/// The spikes of a recorded run, in time order, and what is known of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRun {
    /// Neuron of every spike (from 0).
    pub neurons: Vec<u32>,
    /// Time of every spike, in ms, non-decreasing.
    pub times_ms: Vec<f64>,
    /// Neurons of the network.
    pub n_neurons: usize,
    /// Recorded time, in ms.
    pub duration_ms: f64,
    /// Step of the run, in ms.
    pub dt_ms: f64,
    /// The populations (from the recording, the bundle's network.json, or one "all").
    pub populations: Vec<PopulationView>,
    /// Where it came from: "NEST 3.10, 1 process × 2 threads" or "engram, CUBA network (seed 1)".
    pub source: String,
    /// The directory holding the arrays.
    pub dir: PathBuf,
}

impl RecordedRun {
    /// Opens a recording directory, a NEST output directory or a spike CSV (imported first, beside
    /// it, when it has no arrays yet). Every problem is one message naming the file.
    pub fn open(path: &Path) -> Result<Self, String> {
        if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("builtin:")) {
            return Self::builtin(name);
        }
        if !path.exists() {
            return Err(format!("{}: no such file or directory", path.display()));
        }
        let dir = if path.is_dir() {
            path.to_path_buf()
        } else if path.file_name().is_some_and(|n| n == "metadata.json")
            || path.extension().is_some_and(|e| e == "npy")
        {
            path.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            // A CSV of spikes: its arrays go beside it.
            import_spikes(path, ImportOptions::default())?.dir
        };
        let has_arrays = dir.join("spike_neurons.npy").exists() && dir.join("spike_times_ms.npy").exists();
        let dir = if has_arrays {
            dir
        } else {
            import_spikes(&dir, ImportOptions::default())?.dir
        };
        Self::read(&dir)
    }

    /// A run engram ships (`builtin:nest-cuba`: CUBA exported from engram, 2 s in NEST 3.10 on
    /// 2 threads, imported), so that the replay can be shown without NEST.
    pub fn builtin(name: &str) -> Result<Self, String> {
        let Some((_, [neurons, times, metadata, network])) = BUILTIN_RUNS.iter().find(|(n, _)| *n == name)
        else {
            let names: Vec<String> = BUILTIN_RUNS.iter().map(|(n, _)| format!("builtin:{n}")).collect();
            return Err(format!(
                "builtin:{name}: no such run (engram ships {})",
                names.join(", ")
            ));
        };
        let dir = PathBuf::from(format!("builtin:{name}"));
        let json =
            |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).map_err(|e| format!("builtin:{name}: {e}"));
        Self::from_parts(
            &dir,
            parse_npy_1d(neurons, &format!("builtin:{name}/spike_neurons.npy"))?,
            parse_npy_1d(times, &format!("builtin:{name}/spike_times_ms.npy"))?,
            json(metadata)?,
            Some(json(network)?),
        )
    }

    /// Reads the arrays and `metadata.json` of a directory in engram's recording layout.
    fn read(dir: &Path) -> Result<Self, String> {
        let neurons: Vec<u32> = read_npy_1d(&dir.join("spike_neurons.npy"))?;
        let times_ms: Vec<f64> = read_npy_1d(&dir.join("spike_times_ms.npy"))?;
        let metadata_path = dir.join("metadata.json");
        let metadata: Value = match std::fs::read_to_string(&metadata_path) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", metadata_path.display()))?
            }
            Err(_) => Value::Null,
        };
        // A bundle's network.json sits beside the spike files or one level up (nest_out/).
        let network = [dir.join("network.json"), dir.join("../network.json")]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        Self::from_parts(dir, neurons, times_ms, metadata, network)
    }

    /// Checks the arrays against each other and the metadata.
    fn from_parts(
        dir: &Path,
        neurons: Vec<u32>,
        times_ms: Vec<f64>,
        metadata: Value,
        network: Option<Value>,
    ) -> Result<Self, String> {
        let times_name = dir.join("spike_times_ms.npy");
        if neurons.len() != times_ms.len() {
            return Err(format!(
                "{}: {} spike times for {} neurons in spike_neurons.npy",
                times_name.display(),
                times_ms.len(),
                neurons.len()
            ));
        }
        if let Some(k) = (1..times_ms.len()).find(|&k| times_ms[k] < times_ms[k - 1] || times_ms[k].is_nan())
        {
            return Err(format!(
                "{}: spike {k} at {} ms comes before the one at {} ms (spikes must be in time order)",
                times_name.display(),
                times_ms[k],
                times_ms[k - 1]
            ));
        }
        let metadata_path = dir.join("metadata.json");
        let highest = neurons.iter().max().map_or(0, |&n| n as usize + 1);
        let last_ms = times_ms.last().copied().unwrap_or(0.0);
        let described = describe(&metadata, network.as_ref());
        if let Some(model) = &described.foreign_model {
            return Err(format!(
                "{}: a recording of a {model} scene; a replay shows spikes (spiking recordings and imports)",
                metadata_path.display()
            ));
        }
        let n_neurons = described.n_neurons.unwrap_or(highest).max(highest);
        if let Some(n) = described.n_neurons
            && highest > n
        {
            return Err(format!(
                "{}: a spike of neuron {} in a network of {n} neurons",
                dir.join("spike_neurons.npy").display(),
                highest - 1
            ));
        }
        let dt_ms = described
            .dt_ms
            .filter(|d| *d > 0.0 && d.is_finite())
            .unwrap_or(DEFAULT_DT_MS);
        let duration_ms = described
            .duration_ms
            .unwrap_or(last_ms + dt_ms)
            .max(last_ms + dt_ms);
        let populations = described
            .populations
            .filter(|p| p.iter().map(|p| p.start + p.len).max() == Some(n_neurons))
            .unwrap_or_else(|| vec![whole_network(n_neurons)]);
        Ok(Self {
            neurons,
            times_ms,
            n_neurons,
            duration_ms,
            dt_ms,
            populations,
            source: described.source,
            dir: dir.to_path_buf(),
        })
    }

    /// "NEST 3.10, 1 process × 2 threads, 1.0 s, 4,000 neurons, 22,391 spikes".
    pub fn header(&self) -> String {
        format!(
            "{}, {:.1} s, {} neurons, {} spikes",
            self.source,
            self.duration_ms / 1000.0,
            self.n_neurons,
            self.neurons.len()
        )
    }

    /// Index of the first spike at or after `time_ms`.
    pub fn first_at_or_after(&self, time_ms: f64) -> usize {
        self.times_ms.partition_point(|&t| t < time_ms)
    }
}

/// What `metadata.json` (and a bundle's `network.json`) say of a recording.
struct Described {
    source: String,
    n_neurons: Option<usize>,
    dt_ms: Option<f64>,
    duration_ms: Option<f64>,
    populations: Option<Vec<PopulationView>>,
    foreign_model: Option<String>,
}

fn describe(metadata: &Value, network: Option<&Value>) -> Described {
    if let Some(imported) = metadata["imported_from"].as_str() {
        let run = &metadata["run"];
        let source = match (run["processes"].as_u64(), run["threads"].as_u64()) {
            (Some(p), Some(t)) => format!("{imported}, {}", processes_and_threads(p, t)),
            _ => imported.to_string(),
        };
        let source = match network.and_then(|n| n["scenario"].as_str()) {
            Some(scenario) => format!("{source}, exported from engram's {scenario}"),
            None => source,
        };
        return Described {
            source,
            n_neurons: metadata["neurons"].as_u64().map(|n| n as usize),
            dt_ms: metadata["dt_ms"].as_f64(),
            duration_ms: metadata["duration_ms"].as_f64(),
            populations: network.and_then(bundle_populations),
            foreign_model: None,
        };
    }
    let scene = &metadata["scene"];
    if let Some(model) = scene["model"].as_str()
        && model != "spiking"
    {
        return Described {
            source: String::new(),
            n_neurons: None,
            dt_ms: None,
            duration_ms: None,
            populations: None,
            foreign_model: Some(model.to_string()),
        };
    }
    let name = metadata["scenario"]["name"].as_str().unwrap_or("a spiking scene");
    let seed = metadata["seed"]
        .as_u64()
        .map_or(String::new(), |s| format!(" (seed {s})"));
    let incomplete = if metadata["complete"].as_bool() == Some(false) {
        ", incomplete"
    } else {
        ""
    };
    let source = if metadata.is_null() {
        "spike arrays without metadata.json".to_string()
    } else {
        format!("engram, {name}{seed}{incomplete}")
    };
    let populations = scene["populations"].as_array().map(|list| {
        list.iter()
            .map(|p| PopulationView {
                name: p["name"].as_str().unwrap_or("?").to_string(),
                excitatory: p["excitatory"].as_bool().unwrap_or(true),
                start: p["start"].as_u64().unwrap_or(0) as usize,
                len: p["len"].as_u64().unwrap_or(0) as usize,
                threshold_mv: p["threshold_mv"].as_f64().unwrap_or(0.0),
                reset_mv: p["reset_mv"].as_f64().unwrap_or(0.0),
            })
            .collect()
    });
    Described {
        source,
        n_neurons: scene["n_neurons"].as_u64().map(|n| n as usize),
        dt_ms: scene["dt_ms"].as_f64(),
        duration_ms: metadata["sim_time"].as_f64(),
        populations,
        foreign_model: None,
    }
}

/// The populations of a bundle's `network.json`.
fn bundle_populations(network: &Value) -> Option<Vec<PopulationView>> {
    network["populations"].as_array().map(|list| {
        list.iter()
            .map(|p| PopulationView {
                name: p["name"].as_str().unwrap_or("?").to_string(),
                excitatory: p["kind"].as_str() != Some("inhibitory"),
                start: p["first"].as_u64().unwrap_or(0) as usize,
                len: p["size"].as_u64().unwrap_or(0) as usize,
                threshold_mv: p["nest_params"]["V_th"].as_f64().unwrap_or(0.0),
                reset_mv: p["nest_params"]["V_reset"].as_f64().unwrap_or(0.0),
            })
            .collect()
    })
}

/// One population holding every neuron, when nothing says more.
fn whole_network(n: usize) -> PopulationView {
    PopulationView {
        name: "all".into(),
        excitatory: true,
        start: 0,
        len: n,
        threshold_mv: 0.0,
        reset_mv: 0.0,
    }
}
