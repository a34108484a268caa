//! Soak: the engine runs a spiking network at full speed while the consumer stalls. Memory stays
//! bounded, no more snapshots wait than the channel holds, nothing is lost without being counted,
//! and the engine still answers commands and shuts down cleanly.
//!
//! The test reruns itself in a process of its own, so that the resident memory it measures is its
//! own and not that of the suite's other tests running beside it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use engram::engine::{
    Command, EngineHandle, EngineLimits, SNAPSHOT_CAPACITY, SceneFrame, SceneSetup, Snapshot, Speed,
};
use engram::families::spiking::SpikingSetup;
use engram::spiking::Preset;

/// Resident memory of this process in bytes, from `VmRSS` in /proc/self/status (Linux).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a VmRSS line");
    kib * 1024
}

/// Spikes that may wait for the consumer: small, so that a stall of a few seconds surely fills it.
const MAX_PENDING_SPIKES: usize = 20_000;

/// The most resident memory may grow while the consumer stalls. What the engine may hold:
/// the pending frame plus the `SNAPSHOT_CAPACITY` (4) queued ones, 5 frames, each with at most
/// `MAX_PENDING_SPIKES` spikes at 12 bytes (u64 step + u32 neuron) = 0.24 MB, at most 200,000 trace
/// samples for 4 recorded neurons at 4 bytes = 3.2 MB, 2 population counts per ms of simulated time
/// (8 bytes/ms, < 1 MB for the ~100 s a stall of a few seconds simulates at most) and 2000 sampled
/// potentials. With Vec doubling (×2) that is 5 × 2 × ~4.5 MB ≈ 45 MB; 64 MiB leaves room for the
/// allocator. A buffer without a cap would grow by 12 bytes per spike and 16 bytes per step forever;
/// at the speed of a debug build that is only tens of MiB in a few seconds, so the exact checks are
/// the per-frame cap and the spike accounting below, and this bound is the backstop.
const MAX_GROWTH: u64 = 64 << 20;

/// How long the consumer reads nothing.
const STALL: Duration = Duration::from_secs(4);

/// Generous deadline for anything the test waits for (a failure, not a timing measurement).
const DEADLINE: Duration = Duration::from_secs(60);

fn spiking_frame(snapshot: &Snapshot) -> Option<&engram::families::spiking::SpikingFrame> {
    match &snapshot.frame {
        Some(SceneFrame::Spiking(frame)) => Some(frame),
        _ => None,
    }
}

/// Everything the consumer has received, checked frame by frame.
#[derive(Default)]
struct Tally {
    snapshots: u64,
    spikes_kept: u64,
    spikes_counted: u64,
    next_step: Option<u64>,
}

impl Tally {
    fn take(&mut self, snapshot: &Snapshot) {
        self.snapshots += 1;
        let Some(frame) = spiking_frame(snapshot) else {
            return;
        };
        // Frames join without a gap: nothing between two snapshots is skipped.
        if let Some(expected) = self.next_step {
            assert_eq!(frame.first_step, expected, "a gap between frames");
        }
        self.next_step = Some(frame.first_step + frame.steps);
        assert!(
            frame.spike_neurons.len() <= MAX_PENDING_SPIKES,
            "a frame holds {} spikes, more than the cap {MAX_PENDING_SPIKES}",
            frame.spike_neurons.len()
        );
        assert_eq!(frame.spike_neurons.len(), frame.spike_steps.len());
        self.spikes_kept += frame.spike_neurons.len() as u64;
        self.spikes_counted += frame
            .population_counts
            .iter()
            .flatten()
            .map(|&c| u64::from(c))
            .sum::<u64>();
    }
}

fn receive(
    engine: &EngineHandle,
    tally: &mut Tally,
    what: &str,
    done: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        if let Some(snapshot) = engine.recv_timeout(Duration::from_millis(200)) {
            tally.take(&snapshot);
            if done(&snapshot) {
                return snapshot;
            }
        }
    }
    panic!("timed out waiting for {what}");
}

/// Set in the child process that runs the soak itself.
const CHILD: &str = "ENGRAM_SOAK_CHILD";

#[test]
fn a_stalled_consumer_keeps_memory_bounded_and_loses_nothing_uncounted() {
    if std::env::var_os(CHILD).is_none() {
        let exe = std::env::current_exe().expect("the test binary");
        let output = std::process::Command::new(exe)
            .args([
                "--exact",
                "soak::a_stalled_consumer_keeps_memory_bounded_and_loses_nothing_uncounted",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .output()
            .expect("the soak runs in a process of its own");
        let said = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "the soak failed:\n{said}");
        assert!(said.contains("1 passed"), "the soak did not run:\n{said}");
        return;
    }
    let sent = Arc::new(AtomicU64::new(0));
    let wake = {
        let sent = Arc::clone(&sent);
        // Called by the engine once per snapshot it managed to queue.
        move || {
            sent.fetch_add(1, Ordering::SeqCst);
        }
    };
    let setup = SceneSetup::Spiking(SpikingSetup {
        preset: Preset::Cuba,
        n_neurons: None,
        in_degree: None,
        seed: 5,
        memory: None,
        view: Default::default(),
    });
    let limits = EngineLimits {
        max_pending_spikes: MAX_PENDING_SPIKES,
        ..EngineLimits::default()
    };
    let engine = EngineHandle::spawn_with_limits(setup, Speed::Unlimited, wake, limits).expect("the thread");
    let mut tally = Tally::default();
    receive(&engine, &mut tally, "the scene", |s| s.info.is_some());
    let before = resident_bytes();

    // Full speed, and the consumer reads nothing.
    assert!(engine.send(Command::Play));
    let stall_end = Instant::now() + STALL;
    let mut most_waiting = 0;
    while Instant::now() < stall_end {
        std::thread::sleep(Duration::from_millis(50));
        // `sent` lags the queue by at most the snapshot being sent, so this never overstates it.
        let waiting = sent.load(Ordering::SeqCst).saturating_sub(tally.snapshots);
        assert!(
            waiting <= SNAPSHOT_CAPACITY as u64,
            "{waiting} snapshots wait, more than the channel's {SNAPSHOT_CAPACITY}"
        );
        most_waiting = most_waiting.max(waiting);
    }
    let after = resident_bytes();
    let growth = after.saturating_sub(before);

    // Read once: what waited, then the rest up to a pause, so every step is accounted for.
    while let Some(snapshot) = engine.try_recv() {
        tally.take(&snapshot);
    }
    assert!(
        engine.send(Command::Pause),
        "the engine takes commands after the stall"
    );
    let paused = receive(&engine, &mut tally, "the pause", |s| !s.status.playing);
    let thinned = paused.status.thinned_spikes;
    let steps = tally.next_step.expect("frames arrived");
    let uncapped_mib = (tally.spikes_counted * 12 + steps * 16) as f64 / f64::from(1 << 20);
    assert!(
        growth < MAX_GROWTH,
        "resident memory grew by {:.1} MiB during the stall (bound {} MiB; {steps} steps, {} spikes, \
         ~{uncapped_mib:.0} MiB uncapped)",
        growth as f64 / f64::from(1 << 20),
        MAX_GROWTH >> 20,
        tally.spikes_counted
    );
    assert!(steps > 0 && tally.spikes_counted > 0, "the network ran and fired");
    // Every spike the population counts saw was either delivered or counted as thinned.
    assert_eq!(
        tally.spikes_kept + thinned,
        tally.spikes_counted,
        "delivered {} + thinned {thinned} ≠ fired {}",
        tally.spikes_kept,
        tally.spikes_counted
    );
    if tally.spikes_kept < tally.spikes_counted {
        assert!(thinned > 0, "spikes were dropped without being counted");
    }
    eprintln!(
        "soak: {steps} steps, {} spikes, {thinned} thinned, at most {most_waiting} snapshots waiting, \
         memory +{:.1} MiB (uncapped ~{uncapped_mib:.0} MiB)",
        tally.spikes_counted,
        growth as f64 / f64::from(1 << 20)
    );

    // Still answering: one step of 1 ms moves time on.
    let time = paused.status.sim_time;
    assert!(engine.send(Command::Step));
    receive(&engine, &mut tally, "a step after the stall", |s| {
        s.status.sim_time > time
    });

    // And it shuts down cleanly (on another thread, so a hang fails instead of blocking the run).
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);
    std::thread::Builder::new()
        .name("soak-shutdown".into())
        .spawn(move || {
            engine.shutdown();
            let _ = done_tx.send(());
        })
        .expect("thread");
    assert!(done_rx.recv_timeout(DEADLINE).is_ok(), "shutdown returned");
}
