//! A scrolling spike raster kept as a ring texture: one column per time bin, one row per group of
//! neurons. Only the columns that changed are uploaded, and the ring is drawn as two quads, so the
//! cost per frame does not depend on how many spikes are visible.

use egui::{Color32, ColorImage, TextureHandle, TextureOptions};

/// The time window shown, in ms.
pub const WINDOW_MS: f64 = 1000.0;
/// Most texture rows; larger networks put several neurons in one row.
pub const MAX_ROWS: usize = 1000;

/// Spike counts per (row, time bin) for the last [`WINDOW_MS`], and the texture showing them.
pub struct Raster {
    n_neurons: usize,
    rows: usize,
    columns: usize,
    ms_per_column: f64,
    counts: Vec<u16>,
    row_colour: Vec<Color32>,
    background: Color32,
    /// Latest time bin written; bins latest−columns+1 ..= latest are shown.
    latest_bin: i64,
    /// Columns to upload: (first, count) in ring order, so that the window's wrap from the last
    /// column to the first uploads two narrow patches, not the whole texture (4 MB once a second).
    dirty: Option<(usize, usize)>,
    texture: Option<TextureHandle>,
    /// Spikes that reached the raster (for the status bar and tests).
    pub spikes_seen: u64,
}

impl Raster {
    /// An empty raster for `n_neurons`, rows coloured by `colour_of(neuron)`.
    pub fn new(n_neurons: usize, colour_of: impl Fn(usize) -> Color32, background: Color32) -> Self {
        let rows = n_neurons.clamp(1, MAX_ROWS);
        let columns = 1000;
        let row_colour = (0..rows)
            .map(|r| colour_of(r * n_neurons.max(1) / rows))
            .collect();
        Self {
            n_neurons: n_neurons.max(1),
            rows,
            columns,
            ms_per_column: WINDOW_MS / columns as f64,
            counts: vec![0; rows * columns],
            row_colour,
            background,
            latest_bin: -1,
            dirty: Some((0, columns)),
            texture: None,
            spikes_seen: 0,
        }
    }

    /// Number of neurons per texture row (1 when every neuron has its own row).
    pub fn neurons_per_row(&self) -> f64 {
        self.n_neurons as f64 / self.rows as f64
    }

    /// Moves the window forward so that it ends at `time_ms`, clearing the columns it enters.
    pub fn advance_to(&mut self, time_ms: f64) {
        let bin = (time_ms / self.ms_per_column).floor() as i64;
        if bin <= self.latest_bin {
            return;
        }
        let first_new = (self.latest_bin + 1).max(bin - self.columns as i64 + 1);
        for b in first_new..=bin {
            let column = b.rem_euclid(self.columns as i64) as usize;
            for row in 0..self.rows {
                self.counts[row * self.columns + column] = 0;
            }
            self.mark_dirty(column);
        }
        self.latest_bin = bin;
    }

    /// Adds one spike of `neuron` at `time_ms` (ignored if it is outside the window).
    pub fn add_spike(&mut self, neuron: u32, time_ms: f64) {
        let bin = (time_ms / self.ms_per_column).floor() as i64;
        if bin > self.latest_bin {
            self.advance_to(time_ms);
        }
        if bin <= self.latest_bin - self.columns as i64 || neuron as usize >= self.n_neurons {
            return;
        }
        let column = bin.rem_euclid(self.columns as i64) as usize;
        let row = neuron as usize * self.rows / self.n_neurons;
        let cell = &mut self.counts[row * self.columns + column];
        *cell = cell.saturating_add(1);
        self.spikes_seen += 1;
        self.mark_dirty(column);
    }

    /// Adds `column` to the columns to upload, growing the ring interval the shorter way.
    fn mark_dirty(&mut self, column: usize) {
        let c = self.columns;
        self.dirty = Some(match self.dirty {
            None => (column, 1),
            Some((first, count)) => {
                let ahead = (column + c - first) % c;
                if ahead < count {
                    (first, count)
                } else if ahead < count + (c - ahead) {
                    (first, ahead + 1)
                } else {
                    (column, (count + c - ahead).min(c))
                }
            }
        });
    }

    /// The column ranges to upload (the second is empty unless the interval wraps), and
    /// forgets them.
    fn take_dirty(&mut self) -> [std::ops::Range<usize>; 2] {
        let c = self.columns;
        match self.dirty.take() {
            None => [0..0, 0..0],
            Some((first, count)) if first + count <= c => [first..first + count, 0..0],
            Some((first, count)) => [first..c, 0..first + count - c],
        }
    }

    /// The colour of one pixel: the row's colour, stronger with more spikes in the cell.
    fn pixel(&self, row: usize, column: usize) -> Color32 {
        let count = self.counts[row * self.columns + column];
        if count == 0 {
            return self.background;
        }
        // One spike of one neuron is clearly visible (70 % of the row's colour: at 45 % single spikes
        // were too dim to see on a projector's dark theme); a full row group saturates.
        let saturate = self.neurons_per_row().max(1.0) as f32 * 0.5;
        let t = (0.7 + 0.3 * (f32::from(count) / saturate).min(1.0)).min(1.0);
        lerp(self.background, self.row_colour[row], t)
    }

    /// Uploads what changed and returns the texture.
    pub fn texture(&mut self, ctx: &egui::Context) -> &TextureHandle {
        let options = TextureOptions::NEAREST;
        if self.texture.is_none() {
            let image = ColorImage::filled([self.columns, self.rows], self.background);
            self.texture = Some(ctx.load_texture("spike-raster", image, options));
            self.dirty = Some((0, self.columns));
        }
        for columns in self.take_dirty().into_iter().filter(|r| !r.is_empty()) {
            let (start, end) = (columns.start, columns.end);
            let width = end - start;
            let mut pixels = Vec::with_capacity(width * self.rows);
            for row in 0..self.rows {
                for column in start..end {
                    pixels.push(self.pixel(row, column));
                }
            }
            let patch = ColorImage::new([width, self.rows], pixels);
            if let Some(texture) = self.texture.as_mut() {
                texture.set_partial([start, 0], patch, options);
            }
        }
        self.texture.as_ref().expect("texture created above")
    }

    /// The two parts of the ring in display order: (u range of the texture, time range in ms).
    pub fn segments(&self) -> [((f32, f32), (f64, f64)); 2] {
        let c = self.columns as i64;
        let end_time = (self.latest_bin + 1) as f64 * self.ms_per_column;
        let start_time = end_time - WINDOW_MS;
        let split = (self.latest_bin + 1).rem_euclid(c) as f32 / c as f32;
        let split_time = start_time + f64::from(1.0 - split) * WINDOW_MS;
        [
            ((split, 1.0), (start_time, split_time)),
            ((0.0, split), (split_time, end_time)),
        ]
    }

    /// Number of texture rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.n_neurons
    }
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t) as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spikes_land_in_their_row_and_column_and_scroll_out() {
        let mut raster = Raster::new(10, |_| Color32::RED, Color32::WHITE);
        raster.add_spike(3, 5.2);
        assert_eq!(raster.counts[3 * raster.columns + 5], 1);
        raster.advance_to(5.9 + WINDOW_MS);
        assert_eq!(raster.counts[3 * raster.columns + 5], 0, "the column was reused");
    }

    /// Crossing from the last column to the first uploads the few new columns on either side,
    /// not the whole texture; a late spike in an older column widens the interval backwards.
    #[test]
    fn the_wrap_uploads_only_the_new_columns() {
        let mut raster = Raster::new(10, |_| Color32::RED, Color32::WHITE);
        assert_eq!(raster.take_dirty(), [0..1000, 0..0]);
        raster.advance_to(997.5);
        raster.take_dirty();
        raster.add_spike(2, 998.2);
        raster.advance_to(1002.5);
        assert_eq!(raster.take_dirty(), [998..1000, 0..3]);
        raster.advance_to(1004.5);
        raster.add_spike(1, 1001.5);
        assert_eq!(raster.take_dirty(), [1..5, 0..0]);
    }

    #[test]
    fn segments_cover_the_window_in_order() {
        let mut raster = Raster::new(10, |_| Color32::RED, Color32::WHITE);
        raster.advance_to(1234.5);
        let [(u1, t1), (u2, t2)] = raster.segments();
        assert!((t1.0 - (1235.0 - WINDOW_MS)).abs() < 1e-9 && (t2.1 - 1235.0).abs() < 1e-9);
        assert!((t1.1 - t2.0).abs() < 1e-9);
        let width = |(a, b): (f32, f32)| f64::from(b - a) * WINDOW_MS;
        assert!((width(u1) - (t1.1 - t1.0)).abs() < 1e-3 && (width(u2) - (t2.1 - t2.0)).abs() < 1e-3);
    }
}
