//! Bounded histories the views draw from, and min/max decimation for dense series.

use std::collections::VecDeque;

/// A time series that keeps at most `capacity` points, dropping the oldest (O(1) per point).
#[derive(Debug, Clone)]
pub struct Series {
    points: VecDeque<[f64; 2]>,
    capacity: usize,
}

impl Series {
    /// An empty series holding at most `capacity` points.
    pub fn new(capacity: usize) -> Self {
        Self {
            points: VecDeque::with_capacity(capacity.min(1 << 16)),
            capacity: capacity.max(1),
        }
    }

    /// Appends a point, dropping the oldest when full.
    pub fn push(&mut self, x: f64, y: f64) {
        if self.points.len() == self.capacity {
            self.points.pop_front();
        }
        self.points.push_back([x, y]);
    }

    /// Adds `dy` to the y value of the most recent point.
    pub fn add_to_last(&mut self, dy: f64) {
        if let Some(last) = self.points.back_mut() {
            last[1] += dy;
        }
    }

    /// Removes every point.
    pub fn clear(&mut self) {
        self.points.clear();
    }

    /// Number of points held.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True when no point is held.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The most recent point.
    pub fn last(&self) -> Option<[f64; 2]> {
        self.points.back().copied()
    }

    /// The points in time order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[f64; 2]> {
        self.points.iter()
    }

    /// The points with x in `[x_min, x_max]`, reduced to at most two per column of `columns`:
    /// the minimum and maximum, in time order, so that no peak is lost when drawing.
    pub fn decimated(&self, x_min: f64, x_max: f64, columns: usize) -> Vec<[f64; 2]> {
        decimate_min_max(
            self.points
                .iter()
                .copied()
                .filter(|p| p[0] >= x_min && p[0] <= x_max),
            x_min,
            x_max,
            columns,
        )
    }
}

/// Reduces points sorted by x to the minimum and maximum per column of `columns` between
/// `x_min` and `x_max`; series with fewer than 2 × `columns` points pass through unchanged.
pub fn decimate_min_max(
    points: impl Iterator<Item = [f64; 2]>,
    x_min: f64,
    x_max: f64,
    columns: usize,
) -> Vec<[f64; 2]> {
    let points: Vec<[f64; 2]> = points.collect();
    let columns = columns.max(1);
    if points.len() <= 2 * columns || x_max <= x_min {
        return points;
    }
    let width = (x_max - x_min) / columns as f64;
    let mut out = Vec::with_capacity(2 * columns + 2);
    let mut column = None;
    let (mut lo, mut hi) = ([0.0, f64::INFINITY], [0.0, f64::NEG_INFINITY]);
    let flush = |out: &mut Vec<[f64; 2]>, lo: [f64; 2], hi: [f64; 2]| {
        if lo[0] <= hi[0] {
            out.push(lo);
            out.push(hi);
        } else {
            out.push(hi);
            out.push(lo);
        }
    };
    for p in points {
        let c = ((p[0] - x_min) / width) as i64;
        if column != Some(c) {
            if column.is_some() {
                flush(&mut out, lo, hi);
            }
            column = Some(c);
            lo = p;
            hi = p;
        } else {
            if p[1] < lo[1] {
                lo = p;
            }
            if p[1] > hi[1] {
                hi = p;
            }
        }
    }
    if column.is_some() {
        flush(&mut out, lo, hi);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_keeps_only_the_newest_points() {
        let mut s = Series::new(3);
        for i in 0..10 {
            s.push(f64::from(i), 0.0);
        }
        assert_eq!(s.len(), 3);
        assert_eq!(s.iter().next(), Some(&[7.0, 0.0]));
    }

    #[test]
    fn decimation_keeps_every_peak() {
        let points: Vec<[f64; 2]> = (0..10_000)
            .map(|i| {
                [
                    f64::from(i),
                    if i % 997 == 0 {
                        5.0
                    } else {
                        (f64::from(i) * 0.01).sin()
                    },
                ]
            })
            .collect();
        let out = decimate_min_max(points.iter().copied(), 0.0, 10_000.0, 100);
        assert!(out.len() <= 2 * 101);
        let peaks = out.iter().filter(|p| p[1] == 5.0).count();
        assert_eq!(peaks, points.iter().filter(|p| p[1] == 5.0).count());
        assert!(out.windows(2).all(|w| w[0][0] <= w[1][0]), "time order is kept");
    }
}
