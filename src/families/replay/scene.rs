//! The replay scene: a playhead moving through a recorded run at the engine's speed, handing the
//! spikes it passes to the views with their population counts, interval statistics and synchrony.

use std::sync::Arc;

use super::protocol::{ReplayCommand, ReplayFrame, ReplayInfo, ReplaySetup};
use super::run::RecordedRun;
use crate::analysis::spike_stats::{IsiStats, SYNCHRONY_BIN_MS, SYNCHRONY_SAMPLE, synchrony};
use crate::families::FamilyScene;
use crate::families::spiking::IsiView;

/// The window of the synchrony measure, in ms.
const SYNCHRONY_WINDOW_MS: f64 = 1000.0;
/// Recorded time between two updates of the interval statistics and synchrony, in ms.
const STATS_EVERY_MS: f64 = 200.0;

/// A recorded run being replayed.
pub struct ReplayScene {
    setup: ReplaySetup,
    run: Arc<RecordedRun>,
    /// The playhead, in ms.
    time_ms: f64,
    /// Index of the next spike the playhead will pass.
    next: usize,
    /// Population of every neuron.
    population_of: Vec<u16>,
    isi: IsiStats,
    stats_at_ms: f64,
    frame: ReplayFrame,
    info_sent: bool,
}

/// What a session keeps of a replay: the run to open and the playhead.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReplaySceneState {
    /// The setup the replay was opened from.
    pub setup: ReplaySetup,
    /// The playhead, in ms.
    pub time_ms: f64,
    /// Neurons of the recorded network (what `engram session inspect` shows).
    #[serde(default)]
    pub neurons: usize,
}

impl ReplayScene {
    /// Opens the run a setup names, with the playhead at 0.
    pub fn build(mut setup: ReplaySetup) -> Result<Self, String> {
        let run = RecordedRun::open(&setup.run)?;
        // A saved scene or session names the run by its full path, so it opens from anywhere.
        if let Ok(full) = std::fs::canonicalize(&setup.run) {
            setup.run = full;
        }
        let mut population_of = vec![0u16; run.n_neurons];
        for (k, p) in run.populations.iter().enumerate() {
            population_of[p.start..(p.start + p.len).min(run.n_neurons)].fill(k as u16);
        }
        let mut scene = Self {
            setup,
            isi: IsiStats::new(run.n_neurons),
            run: Arc::new(run),
            time_ms: 0.0,
            next: 0,
            population_of,
            stats_at_ms: f64::NEG_INFINITY,
            frame: ReplayFrame::default(),
            info_sent: false,
        };
        scene.seek(0.0);
        Ok(scene)
    }

    /// Reopens a session's replay at its playhead.
    pub fn restore_session(saved: ReplaySceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup)?;
        if !(saved.time_ms.is_finite() && saved.time_ms >= 0.0) {
            return Err(format!(
                "the replay's playhead {} ms is not a time",
                saved.time_ms
            ));
        }
        scene.seek(saved.time_ms);
        Ok(scene)
    }

    /// The run being replayed.
    pub fn run(&self) -> &RecordedRun {
        &self.run
    }

    /// Moves the playhead (clamped to the recording); statistics restart from the spikes before it.
    fn seek(&mut self, time_ms: f64) {
        let time_ms = time_ms.clamp(0.0, self.run.duration_ms);
        self.time_ms = time_ms;
        self.next = self.run.first_at_or_after(time_ms);
        self.isi.clear();
        for k in 0..self.next {
            self.isi.push(self.run.neurons[k] as usize, self.run.times_ms[k]);
        }
        self.frame = self.empty_frame();
        self.stats_at_ms = f64::NEG_INFINITY;
        self.update_stats();
    }

    fn empty_frame(&self) -> ReplayFrame {
        ReplayFrame {
            from_ms: self.time_ms,
            to_ms: self.time_ms,
            counts_from_ms: self.time_ms.floor(),
            population_counts: vec![Vec::new(); self.run.populations.len()],
            ..ReplayFrame::default()
        }
    }

    /// Interval statistics and synchrony at the playhead, at most every [`STATS_EVERY_MS`].
    fn update_stats(&mut self) {
        let at_end = self.time_ms >= self.run.duration_ms;
        let end_not_counted = at_end && self.stats_at_ms < self.time_ms;
        if self.time_ms - self.stats_at_ms < STATS_EVERY_MS && !end_not_counted {
            return;
        }
        self.stats_at_ms = self.time_ms;
        self.frame.isi = Some(IsiView {
            summary: self.isi.summary(),
            since_ms: 0.0,
        });
        self.frame.synchrony = Some(self.synchrony_before(self.time_ms));
    }

    /// Synchrony χ of the last second before `time_ms`.
    fn synchrony_before(&self, time_ms: f64) -> f64 {
        let n = self.run.n_neurons.max(1);
        let sample = n.min(SYNCHRONY_SAMPLE);
        let stride = (n / sample).max(1);
        let start_ms = (time_ms - SYNCHRONY_WINDOW_MS).max(0.0);
        let bins = (((time_ms - start_ms) / SYNCHRONY_BIN_MS).ceil() as usize).max(1);
        let mut binned = vec![vec![0u32; bins]; sample];
        for k in self.run.first_at_or_after(start_ms)..self.next {
            let i = self.run.neurons[k] as usize;
            if i.is_multiple_of(stride) && i / stride < sample {
                let bin = ((self.run.times_ms[k] - start_ms) / SYNCHRONY_BIN_MS) as usize;
                binned[i / stride][bin.min(bins - 1)] += 1;
            }
        }
        synchrony(&binned)
    }
}

impl FamilyScene<super::Replay> for ReplayScene {
    fn setup(&self) -> ReplaySetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.time_ms
    }

    fn steps_per_unit(&self) -> f64 {
        1.0 / self.run.dt_ms
    }

    /// Advances the playhead; at the end of the recording it starts again from the beginning
    /// (Play after the end plays the run again).
    fn advance(&mut self, steps: u64) -> Result<(), String> {
        if self.finished() && steps > 0 {
            self.seek(0.0);
        }
        let target = (self.time_ms + steps as f64 * self.run.dt_ms).min(self.run.duration_ms);
        let run = Arc::clone(&self.run);
        let first_bin = self.frame.counts_from_ms;
        let bins = ((target - first_bin).floor() as usize + 1).max(1);
        for counts in &mut self.frame.population_counts {
            if counts.len() < bins {
                counts.resize(bins, 0);
            }
        }
        while self.next < run.times_ms.len() && run.times_ms[self.next] < target {
            let (neuron, time) = (run.neurons[self.next], run.times_ms[self.next]);
            self.isi.push(neuron as usize, time);
            self.frame.spike_neurons.push(neuron);
            self.frame.spike_times_ms.push(time);
            let bin = ((time - first_bin).floor() as usize).min(bins - 1);
            let population = self.population_of.get(neuron as usize).copied().unwrap_or(0) as usize;
            self.frame.population_counts[population][bin] += 1;
            self.next += 1;
        }
        self.time_ms = target;
        self.update_stats();
        Ok(())
    }

    fn apply(&mut self, command: &ReplayCommand) -> Result<Option<String>, String> {
        match command {
            ReplayCommand::Seek(time_ms) => {
                if !(time_ms.is_finite() && *time_ms >= 0.0) {
                    return Err(format!("cannot seek to {time_ms} ms"));
                }
                self.seek(*time_ms);
                Ok(None)
            }
        }
    }

    fn take_info(&mut self) -> Option<ReplayInfo> {
        if self.info_sent {
            return None;
        }
        self.info_sent = true;
        Some(ReplayInfo {
            setup: self.setup.clone(),
            header: self.run.header(),
            dir: self.run.dir.clone(),
            n_neurons: self.run.n_neurons,
            populations: self.run.populations.clone(),
            duration_ms: self.run.duration_ms,
            dt_ms: self.run.dt_ms,
            spikes: self.run.neurons.len() as u64,
        })
    }

    fn take_frame(&mut self) -> ReplayFrame {
        let empty = self.empty_frame();
        let mut frame = std::mem::replace(&mut self.frame, empty);
        frame.to_ms = self.time_ms;
        // Bins the playhead did not reach belong to the next frame.
        let bins = (self.time_ms - frame.counts_from_ms).ceil() as usize;
        for counts in &mut frame.population_counts {
            counts.truncate(bins);
        }
        frame
    }

    fn finished(&self) -> bool {
        self.time_ms >= self.run.duration_ms
    }

    fn save(&self) -> ReplaySceneState {
        ReplaySceneState {
            setup: self.setup.clone(),
            time_ms: self.time_ms,
            neurons: self.run.n_neurons,
        }
    }
}
