//! Spike-train statistics: rates, ISI CV, and a synchrony measure.

/// A neuron's ISI CV counts once it has this many intervals (fewer give a CV dominated by chance).
pub const CV_MIN_INTERVALS: u32 = 3;
/// Width of a bin of the ISI histogram, ms.
pub const ISI_BIN_MS: f64 = 4.0;
/// Bins of the ISI histogram (0 to 200 ms; longer intervals are counted apart).
pub const ISI_BINS: usize = 50;
/// Width of a bin of the histogram of per-neuron CVs.
pub const CV_BIN: f64 = 0.05;
/// Bins of the histogram of per-neuron CVs (0 to 2.5; larger CVs go in the last bin).
pub const CV_BINS: usize = 50;

/// Running inter-spike-interval statistics per neuron, filled one spike at a time: the one
/// definition of the ISI CV in engram (the app, `engram run` and `engram network` all read it
/// here), and the histogram of every interval.
#[derive(Debug, Clone)]
pub struct IsiStats {
    last_ms: Vec<f64>,
    count: Vec<u32>,
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
    /// Intervals per bin of [`ISI_BIN_MS`], then one bin for every longer interval.
    histogram: Vec<u64>,
}

/// What [`IsiStats`] holds, summarised for a view or a report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IsiSummary {
    /// Mean over neurons with at least [`CV_MIN_INTERVALS`] intervals of CV = std(ISI)/mean(ISI)
    /// (NaN if none).
    pub mean_cv: f64,
    /// The neurons that mean counts.
    pub neurons_counted: usize,
    /// Per-neuron CVs in bins of [`CV_BIN`] (the last bin holds every larger CV).
    pub cv_histogram: Vec<u32>,
    /// Every interval in bins of [`ISI_BIN_MS`], the last bin holding the longer ones.
    pub isi_histogram: Vec<u64>,
    /// Intervals counted.
    pub intervals: u64,
}

impl IsiStats {
    /// Empty statistics for `n` neurons.
    pub fn new(n: usize) -> Self {
        Self {
            last_ms: vec![f64::NAN; n],
            count: vec![0; n],
            sum: vec![0.0; n],
            sum_sq: vec![0.0; n],
            histogram: vec![0; ISI_BINS + 1],
        }
    }

    /// Makes room for neurons up to index `n − 1` (a stream whose size is not known ahead).
    pub fn grow_to(&mut self, n: usize) {
        if n > self.last_ms.len() {
            self.last_ms.resize(n, f64::NAN);
            self.count.resize(n, 0);
            self.sum.resize(n, 0.0);
            self.sum_sq.resize(n, 0.0);
        }
    }

    /// Records a spike of `neuron` at `time_ms`.
    pub fn push(&mut self, neuron: usize, time_ms: f64) {
        let last = self.last_ms[neuron];
        if last.is_finite() {
            let isi = time_ms - last;
            self.count[neuron] += 1;
            self.sum[neuron] += isi;
            self.sum_sq[neuron] += isi * isi;
            self.histogram[((isi / ISI_BIN_MS) as usize).min(ISI_BINS)] += 1;
        }
        self.last_ms[neuron] = time_ms;
    }

    /// Forgets every interval (the network changed); the next spike of each neuron starts anew.
    pub fn clear(&mut self) {
        let n = self.last_ms.len();
        *self = Self::new(n);
    }

    /// CV = std(ISI)/mean(ISI) of every neuron with at least `min_intervals` (≥ 2) intervals.
    pub fn cvs(&self, min_intervals: u32) -> impl Iterator<Item = f64> + '_ {
        (0..self.count.len()).filter_map(move |i| {
            let k = self.count[i];
            (k >= min_intervals.max(2)).then(|| {
                let mean = self.sum[i] / f64::from(k);
                let var = (self.sum_sq[i] / f64::from(k) - mean * mean).max(0.0);
                var.sqrt() / mean
            })
        })
    }

    /// Mean over neurons with at least `min_intervals` ISIs of CV = std(ISI)/mean(ISI); NaN if none.
    pub fn mean_cv(&self, min_intervals: u32) -> f64 {
        let (total, neurons) = self
            .cvs(min_intervals)
            .fold((0.0, 0usize), |(t, k), cv| (t + cv, k + 1));
        if neurons == 0 {
            f64::NAN
        } else {
            total / neurons as f64
        }
    }

    /// The mean CV (neurons with at least [`CV_MIN_INTERVALS`] intervals), the distribution of
    /// per-neuron CVs and the ISI histogram.
    pub fn summary(&self) -> IsiSummary {
        let mut cv_histogram = vec![0u32; CV_BINS];
        let (mut total, mut neurons) = (0.0, 0usize);
        for cv in self.cvs(CV_MIN_INTERVALS) {
            total += cv;
            neurons += 1;
            cv_histogram[((cv / CV_BIN) as usize).min(CV_BINS - 1)] += 1;
        }
        IsiSummary {
            mean_cv: if neurons == 0 {
                f64::NAN
            } else {
                total / neurons as f64
            },
            neurons_counted: neurons,
            cv_histogram,
            intervals: self.histogram.iter().sum(),
            isi_histogram: self.histogram.clone(),
        }
    }
}

/// Most neurons whose binned counts enter engram's synchrony measure (every N/1000-th neuron).
pub const SYNCHRONY_SAMPLE: usize = 1000;
/// Bin width of engram's synchrony measure, in ms.
pub const SYNCHRONY_BIN_MS: f64 = 5.0;

/// Synchrony χ (Golomb 2007) from spike counts binned per neuron: the variance of the population
/// average over the mean variance of single neurons, square-rooted. χ ≈ 1 for a fully synchronous
/// population and ≈ 1/√N for independent neurons. `counts[i][b]` is neuron i's count in bin b.
pub fn synchrony(counts: &[Vec<u32>]) -> f64 {
    let n = counts.len();
    let bins = counts.first().map_or(0, Vec::len);
    if n == 0 || bins < 2 {
        return f64::NAN;
    }
    let variance = |xs: &mut dyn Iterator<Item = f64>| {
        let (mut s, mut s2, mut k) = (0.0, 0.0, 0.0);
        for x in xs {
            s += x;
            s2 += x * x;
            k += 1.0;
        }
        (s2 / k - (s / k).powi(2)).max(0.0)
    };
    let mean_single = counts
        .iter()
        .map(|c| variance(&mut c.iter().map(|&x| f64::from(x))))
        .sum::<f64>()
        / n as f64;
    if mean_single == 0.0 {
        return f64::NAN;
    }
    let population =
        variance(&mut (0..bins).map(|b| counts.iter().map(|c| f64::from(c[b])).sum::<f64>() / n as f64));
    (population / mean_single).sqrt()
}

/// Fano factor of spike counts: variance over mean, pooled over neurons (1 for Poisson processes).
/// `counts[i][b]` is neuron i's count in window b.
pub fn fano_factor(counts: &[Vec<u32>]) -> f64 {
    let (mut total, mut neurons) = (0.0, 0usize);
    for c in counts.iter().filter(|c| c.len() >= 2) {
        let n = c.len() as f64;
        let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        if mean > 0.0 {
            let var = c.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / (n - 1.0);
            total += var / mean;
            neurons += 1;
        }
    }
    if neurons == 0 {
        f64::NAN
    } else {
        total / neurons as f64
    }
}

/// Mean Pearson correlation of spike counts over every pair of the given neurons (skipping silent ones).
pub fn mean_pairwise_correlation(counts: &[Vec<u32>]) -> f64 {
    let standardised: Vec<Vec<f64>> = counts
        .iter()
        .filter_map(|c| {
            let n = c.len() as f64;
            let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
            let sd = (c.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / n).sqrt();
            (sd > 0.0).then(|| c.iter().map(|&x| (f64::from(x) - mean) / sd).collect())
        })
        .collect();
    let (mut total, mut pairs) = (0.0, 0usize);
    for a in 0..standardised.len() {
        for b in a + 1..standardised.len() {
            let n = standardised[a].len() as f64;
            total += standardised[a]
                .iter()
                .zip(&standardised[b])
                .map(|(x, y)| x * y)
                .sum::<f64>()
                / n;
            pairs += 1;
        }
    }
    if pairs == 0 {
        f64::NAN
    } else {
        total / pairs as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn poisson_trains_have_cv_one_and_regular_trains_zero() {
        let mut only_poisson = IsiStats::new(1);
        let mut only_regular = IsiStats::new(1);
        let mut t = 0.0;
        let mut rng = crate::rng::seeded(2);
        for _ in 0..20_000 {
            t += -(1.0 - rng.random::<f64>()).ln() * 10.0;
            only_poisson.push(0, t);
        }
        for k in 0..100 {
            only_regular.push(0, f64::from(k) * 5.0);
        }
        assert!((only_poisson.mean_cv(2) - 1.0).abs() < 0.03);
        assert!(only_regular.mean_cv(2) < 1e-9);
    }

    #[test]
    fn poisson_counts_have_fano_one_and_no_correlation() {
        let mut rng = crate::rng::seeded(5);
        let counts: Vec<Vec<u32>> = (0..40)
            .map(|_| {
                (0..2000)
                    .map(|_| {
                        rand_distr::Distribution::sample(&rand_distr::Poisson::new(3.0).expect("λ"), &mut rng)
                            as u32
                    })
                    .collect()
            })
            .collect();
        assert!(
            (fano_factor(&counts) - 1.0).abs() < 0.05,
            "{}",
            fano_factor(&counts)
        );
        assert!(mean_pairwise_correlation(&counts).abs() < 0.01);
        let shared = counts[0].clone();
        let identical = vec![shared; 5];
        assert!((mean_pairwise_correlation(&identical) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn synchrony_separates_synchronous_from_independent_populations() {
        let mut rng = crate::rng::seeded(3);
        let bins = 2000;
        let shared: Vec<u32> = (0..bins).map(|_| u32::from(rng.random_bool(0.1))).collect();
        let synchronous: Vec<Vec<u32>> = (0..100).map(|_| shared.clone()).collect();
        let independent: Vec<Vec<u32>> = (0..100)
            .map(|_| (0..bins).map(|_| u32::from(rng.random_bool(0.1))).collect())
            .collect();
        assert!((synchrony(&synchronous) - 1.0).abs() < 1e-9);
        let chi = synchrony(&independent);
        assert!(
            (chi - 0.1).abs() < 0.03,
            "independent: χ = {chi}, expected ≈ 1/√100"
        );
    }
}
