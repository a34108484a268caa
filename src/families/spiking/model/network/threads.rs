//! Sharing a step among threads without changing a single bit of the result.
//!
//! Neurons come in fixed blocks of [`NEURONS_PER_STREAM`], each block with its own random stream,
//! so a neuron's noise and Poisson drive do not depend on which thread integrates it. A thread owns
//! a contiguous run of whole blocks: it integrates those neurons and, when spikes are delivered, adds
//! every spike's weight to the targets in its run only (target-partitioned delivery, as NEST does).
//! A target therefore receives its inputs in the same order (spike by spike, synapse by synapse)
//! whatever the thread count, and its f32 sums are the same bits.

use std::ops::Range;

use super::kernels::Synapses;

/// Neurons per random stream: the unit that threads share out.
pub const NEURONS_PER_STREAM: usize = 256;

/// Fewest neurons a thread is given. Waking a second thread costs a few microseconds per step;
/// CUBA's 4,000 neurons take ~4 µs per step on one thread, so a network needs several thousand
/// neurons before a thread of its own pays for itself.
pub const MIN_NEURONS_PER_THREAD: usize = 4_096;

/// Most worker threads a network uses.
pub const MAX_THREADS: usize = 64;

/// The threads that step one network and the neurons each one owns.
pub(super) struct Workers {
    /// Threads asked for (the effective count may be lower for a small network).
    requested: usize,
    /// Neuron ranges, one per thread, whole blocks each, in ascending order.
    pub(super) ranges: Vec<Range<usize>>,
    /// For every row, the first synapse onto each thread's neurons after the first:
    /// `row_splits[pre × (threads − 1) + k − 1]` for thread k.
    row_splits: Vec<u32>,
    /// The threads the ranges after the first run on (the first runs on the calling thread).
    pool: Option<SpinPool>,
}

impl Workers {
    /// One thread (the caller's) for `n` neurons.
    pub(super) fn single(n: usize) -> Self {
        Self {
            requested: 1,
            ranges: split_blocks(n, 1),
            row_splits: Vec::new(),
            pool: None,
        }
    }

    /// Workers for the network of `synapses` on up to `requested` threads.
    pub(super) fn new(synapses: &Synapses<'_>, requested: usize) -> Self {
        Self::with_minimum(synapses, requested, MIN_NEURONS_PER_THREAD)
    }

    /// Workers that give a thread as few as `min_neurons` (tests share small networks out).
    pub(super) fn with_minimum(synapses: &Synapses<'_>, requested: usize, min_neurons: usize) -> Self {
        let n = synapses.row_start.len() - 1;
        let requested = requested.clamp(1, MAX_THREADS);
        let threads = threads_for(n, requested, min_neurons);
        let pool = (threads > 1).then(|| SpinPool::new(threads - 1)).flatten();
        let ranges = split_blocks(n, if pool.is_some() { threads } else { 1 });
        // Where each row crosses from one thread's targets to the next. Found once here: a
        // bisection per spike and thread in the step missed the cache on every probe (the rows
        // are 60 MB in Brunel's network) and doubled the delivery's time.
        let inner = ranges.len() - 1;
        let mut row_splits = Vec::with_capacity(n * inner);
        for pre in 0..n {
            let (a, b) = (
                synapses.row_start[pre] as usize,
                synapses.row_start[pre + 1] as usize,
            );
            for range in &ranges[1..] {
                let at = synapses.targets.count_below(a..b, range.start);
                row_splits.push((a + at) as u32);
            }
        }
        Self {
            requested,
            ranges,
            row_splits,
            pool,
        }
    }

    /// The synapses of `pre` onto the neurons of thread `k`: a range of synapse indices.
    #[inline]
    pub(super) fn row_part(&self, synapses: &Synapses<'_>, pre: usize, k: usize) -> Range<usize> {
        let inner = self.ranges.len() - 1;
        let start = if k == 0 {
            synapses.row_start[pre]
        } else {
            self.row_splits[pre * inner + k - 1]
        };
        let end = if k == inner {
            synapses.row_start[pre + 1]
        } else {
            self.row_splits[pre * inner + k]
        };
        start as usize..end as usize
    }

    /// Memory of the per-row split points.
    pub(super) fn row_split_bytes(&self) -> usize {
        4 * self.row_splits.len()
    }

    /// Threads asked for.
    pub(super) fn requested(&self) -> usize {
        self.requested
    }

    /// Threads at work (one per range).
    pub(super) fn active(&self) -> usize {
        self.ranges.len()
    }

    /// Runs `work` on every item (one per range) and returns when all are done. The calling
    /// thread and the workers claim items one by one, so a worker the system has not scheduled
    /// does not hold the step up: the caller does its item too.
    pub(super) fn for_each<T: Send>(&self, items: impl Iterator<Item = T>, work: impl Fn(&mut T) + Sync) {
        match &self.pool {
            Some(pool) => {
                let mut items: Vec<T> = items.collect();
                // Each index is claimed by exactly one thread, so each item is borrowed once.
                let cells: Vec<std::sync::Mutex<&mut T>> =
                    items.iter_mut().map(std::sync::Mutex::new).collect();
                pool.run(cells.len(), &|k| {
                    let mut item = cells[k].lock().unwrap_or_else(|e| e.into_inner());
                    work(&mut item)
                });
            }
            // One thread: no list to build (a step of CUBA is a few microseconds).
            None => items.for_each(|mut item| work(&mut item)),
        }
    }
}

/// Persistent threads that wait for a job by spinning, then by parking.
///
/// A step of Brunel's network takes ~100 µs, and rayon's workers (and any pool that sleeps on a
/// condition variable) fall asleep between steps: waking them cost ~40 µs per parallel phase
/// (measured: 2 threads ran at 2.0 s per biological second against 1.26 s on one). These workers
/// spin for [`SPIN_BEFORE_PARK`] before parking, so back-to-back steps hand over in well under a
/// microsecond; an idle network (the app paused) parks them. Items are claimed, not assigned:
/// when the machine has fewer free cores than threads (the window drawing beside two threads on
/// two cores), the caller does the work of a worker that has not woken, instead of waiting.
struct SpinPool {
    shared: std::sync::Arc<Shared>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

/// How long a worker spins for the next job before it parks.
const SPIN_BEFORE_PARK: std::time::Duration = std::time::Duration::from_micros(50);

/// How long the caller spins for a claimed item to finish before it yields its core.
const SPIN_BEFORE_YIELD: std::time::Duration = std::time::Duration::from_micros(20);

/// A job: called once with each item index.
type Job<'a> = &'a (dyn Fn(usize) + Sync);

/// The job in hand and how far it got.
struct JobState {
    /// The current job, valid while `Some` (until every claimed item has finished).
    job: Option<Job<'static>>,
    /// Items of the current job.
    items: usize,
    /// Items claimed so far.
    claimed: usize,
}

/// What the caller and the workers share.
struct Shared {
    /// Bumped once per job; a worker looks for items when it sees a new value.
    epoch: std::sync::atomic::AtomicU64,
    /// Items of the current job that have finished.
    finished: std::sync::atomic::AtomicUsize,
    /// Set when a worker's item panicked.
    panicked: std::sync::atomic::AtomicBool,
    /// Set when the pool is dropped.
    quit: std::sync::atomic::AtomicBool,
    /// The job; an item is claimed and the job read under one lock, so a worker never runs
    /// a job that has been taken back.
    state: std::sync::Mutex<JobState>,
}

impl Shared {
    /// Claims the next item of the current job: the job and the item's index.
    fn claim(&self) -> Option<(Job<'static>, usize)> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let job = state.job?;
        if state.claimed >= state.items {
            return None;
        }
        state.claimed += 1;
        Some((job, state.claimed - 1))
    }
}

impl SpinPool {
    /// Starts `workers` threads (none if the system refuses one).
    fn new(workers: usize) -> Option<Self> {
        use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
        let shared = std::sync::Arc::new(Shared {
            epoch: AtomicU64::new(0),
            finished: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
            quit: AtomicBool::new(false),
            state: std::sync::Mutex::new(JobState {
                job: None,
                items: 0,
                claimed: 0,
            }),
        });
        let mut handles = Vec::with_capacity(workers);
        for k in 0..workers {
            let shared = shared.clone();
            let handle = std::thread::Builder::new()
                .name(format!("engram-spiking-{}", k + 1))
                .spawn(move || work_loop(&shared))
                .ok()?;
            handles.push(handle);
        }
        Some(Self { shared, handles })
    }

    /// Runs `job(k)` for every k below `items`, here and on the workers, returning when every
    /// call has returned; a panic in a worker's call is raised here.
    fn run(&self, items: usize, job: Job<'_>) {
        use std::sync::atomic::Ordering;
        // SAFETY: the job is reachable through `state` only until every claimed item has
        // finished: this function takes it back out before returning, and does not return (nor
        // unwind: its own items run under catch_unwind) before `finished` reaches `items`.
        // Workers read the job and claim an item under the same lock, so none can call it after
        // it is taken back. The reference therefore never outlives the borrow it was made from.
        let job_static: Job<'static> = unsafe { std::mem::transmute::<Job<'_>, Job<'static>>(job) };
        // No job is out (the last run took its job back), so no worker can count a finished item
        // before this reset.
        self.shared.finished.store(0, Ordering::Release);
        {
            let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
            *state = JobState {
                job: Some(job_static),
                items,
                claimed: 0,
            };
        }
        self.shared.epoch.fetch_add(1, Ordering::AcqRel);
        for handle in &self.handles {
            handle.thread().unpark();
        }
        let mut own_panic = None;
        while let Some((job, k)) = self.shared.claim() {
            if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(k))) {
                own_panic = Some(panic);
            }
            self.shared.finished.fetch_add(1, Ordering::AcqRel);
        }
        let started = std::time::Instant::now();
        let mut spins = 0u32;
        let mut patient = true;
        while self.shared.finished.load(Ordering::Acquire) < items {
            spins = spins.wrapping_add(1);
            // Reading the clock on every spin cost 2 % of a two-thread step: every 64th will do.
            if patient && spins.is_multiple_of(64) {
                patient = started.elapsed() < SPIN_BEFORE_YIELD;
            }
            if patient {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).job = None;
        if let Some(panic) = own_panic {
            std::panic::resume_unwind(panic);
        }
        if self.shared.panicked.swap(false, Ordering::AcqRel) {
            panic!("a spiking worker thread panicked");
        }
    }
}

/// A worker: waits for each new epoch, claims and runs items until none is left.
fn work_loop(shared: &Shared) {
    use std::sync::atomic::Ordering;
    let mut seen = 0;
    loop {
        let started = std::time::Instant::now();
        let mut spins = 0u32;
        loop {
            if shared.quit.load(Ordering::Acquire) {
                return;
            }
            let epoch = shared.epoch.load(Ordering::Acquire);
            if epoch != seen {
                seen = epoch;
                break;
            }
            spins = spins.wrapping_add(1);
            // Checking the clock every 64 spins keeps its cost out of the hand-over.
            if spins.is_multiple_of(64) && started.elapsed() > SPIN_BEFORE_PARK {
                std::thread::park();
            } else {
                std::hint::spin_loop();
            }
        }
        while let Some((job, k)) = shared.claim() {
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(k))).is_err() {
                shared.panicked.store(true, Ordering::Release);
            }
            shared.finished.fetch_add(1, Ordering::AcqRel);
        }
    }
}

impl Drop for SpinPool {
    fn drop(&mut self) {
        self.shared.quit.store(true, std::sync::atomic::Ordering::Release);
        for handle in self.handles.drain(..) {
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

/// Threads worth using for `n` neurons when `requested` are allowed.
pub fn effective_threads(n: usize, requested: usize) -> usize {
    threads_for(n, requested, MIN_NEURONS_PER_THREAD)
}

/// Threads for `n` neurons, `requested` at most, each with at least `min_neurons`.
fn threads_for(n: usize, requested: usize, min_neurons: usize) -> usize {
    requested
        .clamp(1, MAX_THREADS)
        .min((n / min_neurons.max(1)).max(1))
        .min(n.div_ceil(NEURONS_PER_STREAM).max(1))
}

/// Splits `n` neurons into `threads` contiguous runs of whole blocks, as even as blocks allow.
fn split_blocks(n: usize, threads: usize) -> Vec<Range<usize>> {
    let blocks = n.div_ceil(NEURONS_PER_STREAM).max(1);
    let threads = threads.clamp(1, blocks);
    (0..threads)
        .map(|k| {
            let (a, b) = (blocks * k / threads, blocks * (k + 1) / threads);
            (a * NEURONS_PER_STREAM).min(n)..(b * NEURONS_PER_STREAM).min(n)
        })
        .collect()
}

/// Splits `slice` at the ends of `ranges` (which start at 0 and follow each other), lazily.
pub(super) fn split_by<T>(
    mut slice: &mut [T],
    ranges: impl IntoIterator<Item = Range<usize>>,
) -> impl Iterator<Item = &mut [T]> {
    let mut at = 0;
    ranges.into_iter().map(move |range| {
        let (part, rest) = std::mem::take(&mut slice).split_at_mut(range.end - at);
        slice = rest;
        at = range.end;
        part
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_shared_out_whole_and_cover_every_neuron() {
        for (n, threads) in [(1, 3), (255, 2), (4000, 2), (12_500, 2), (12_500, 3), (80_000, 7)] {
            let ranges = split_blocks(n, threads);
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(n));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(pair[0].end % NEURONS_PER_STREAM, 0, "n {n}, {threads} threads");
            }
        }
    }

    #[test]
    fn small_networks_stay_on_one_thread() {
        assert_eq!(effective_threads(4000, 8), 1);
        assert_eq!(effective_threads(12_500, 2), 2);
        assert_eq!(effective_threads(12_500, 8), 3);
        assert_eq!(effective_threads(80_000, 0), 1);
    }
}
