//! The files a spiking scene records: spikes, population rates and membrane traces.

use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{SpikingFrame, SpikingInfo};
use crate::families::FamilyRecord;
use crate::recording::io::{
    Csv, FileIndex, NpyWriter, RecordError, csv_field, decimals_of, segment_name, set_rows, step_ms,
};

/// The open files of a spiking recording.
pub struct SpikingRecord {
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
    fn create_files(dir: &Path, info: &SpikingInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
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
    fn open_traces(&mut self, dir: &Path, neurons: &[u32], files: &mut FileIndex) -> Result<(), RecordError> {
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

    fn change_info(
        &mut self,
        dir: &Path,
        info: &SpikingInfo,
        files: &mut FileIndex,
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

    fn write_frame(&mut self, frame: &SpikingFrame) -> Result<(), RecordError> {
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

    fn finish_files(mut self, files: &mut FileIndex) -> Result<(), RecordError> {
        self.flush_bin()?;
        let this = self;
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

fn finish_traces(traces: TraceFiles, segment: usize, files: &mut FileIndex) -> Result<(), RecordError> {
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

impl FamilyRecord<super::Spiking> for SpikingRecord {
    fn create(dir: &Path, info: &SpikingInfo, files: &mut FileIndex) -> Result<Self, RecordError> {
        Self::create_files(dir, info, files)
    }

    fn info(&mut self, dir: &Path, info: &SpikingInfo, files: &mut FileIndex) -> Result<(), RecordError> {
        self.change_info(dir, info, files)
    }

    fn frame(&mut self, frame: &SpikingFrame, _sim_time: f64) -> Result<(), RecordError> {
        self.write_frame(frame)
    }

    fn finish(self, _dir: &Path, files: &mut FileIndex) -> Result<(), RecordError> {
        self.finish_files(files)
    }

    fn describe(info: &SpikingInfo) -> Value {
        json!({
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
        })
    }
}
