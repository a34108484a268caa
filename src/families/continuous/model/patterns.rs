//! Continuous patterns: grey-level letters (the 16 × 16 glyphs of the Hopfield set blurred by a
//! Gaussian, values in [−1, 1]; letters that share strokes stay similar, which is what makes
//! metastable averages) and random Gaussian vectors.

use rand_distr::{Distribution, StandardNormal};

use super::MemoryError;
use crate::families::hopfield::model::PatternSet;

/// Which patterns a continuous memory stores.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ContinuousPatternSpec {
    /// Blurred 16 × 16 letters.
    Letters {
        /// The letters, e.g. "ABCO".
        letters: String,
        /// Standard deviation of the blur, in pixels (0: the sharp ±1 glyphs).
        blur_px: f64,
    },
    /// Vectors of independent standard normal entries.
    Gaussian {
        /// Dimension N.
        n: usize,
        /// Number of patterns P.
        count: usize,
    },
}

impl Default for ContinuousPatternSpec {
    fn default() -> Self {
        Self::Letters {
            letters: "ACGOQHS".into(),
            blur_px: 1.0,
        }
    }
}

/// Stored continuous patterns, each of `width × height` values (height 1 for vectors).
#[derive(Debug, Clone, PartialEq)]
pub struct ContinuousPatterns {
    /// Width of the image (N for vectors).
    pub width: usize,
    /// Height of the image (1 for vectors).
    pub height: usize,
    /// One label per pattern.
    pub labels: Vec<String>,
    /// The patterns.
    pub patterns: Vec<Vec<f64>>,
}

/// Most values per pattern.
pub const MAX_N: usize = 4096;
/// Most patterns.
pub const MAX_PATTERNS: usize = 2000;

impl ContinuousPatterns {
    /// The patterns a spec describes (Gaussian ones drawn from `seed`).
    pub fn new(spec: &ContinuousPatternSpec, seed: u64) -> Result<Self, MemoryError> {
        match spec {
            ContinuousPatternSpec::Letters { letters, blur_px } => {
                if !(blur_px.is_finite() && (0.0..=8.0).contains(blur_px)) {
                    return Err(MemoryError(format!(
                        "blur_px must be between 0 and 8, not {blur_px}"
                    )));
                }
                let labels: Vec<String> = letters
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(String::from)
                    .collect();
                if labels.is_empty() {
                    return Err(MemoryError("name at least one letter, e.g. \"ACGO\"".into()));
                }
                let set = PatternSet::builtin("letters")
                    .and_then(|s| s.select(&labels))
                    .map_err(|e| MemoryError(e.to_string()))?;
                let patterns = set
                    .patterns
                    .iter()
                    .map(|p| {
                        let values: Vec<f64> = p.iter().map(|&x| f64::from(x)).collect();
                        blur(&values, set.width, set.height, *blur_px)
                    })
                    .collect();
                Ok(Self {
                    width: set.width,
                    height: set.height,
                    labels: set.labels,
                    patterns,
                })
            }
            ContinuousPatternSpec::Gaussian { n, count } => {
                if !(2..=MAX_N).contains(n) {
                    return Err(MemoryError(format!("n must be between 2 and {MAX_N}, not {n}")));
                }
                if !(1..=MAX_PATTERNS).contains(count) {
                    return Err(MemoryError(format!(
                        "count must be between 1 and {MAX_PATTERNS}, not {count}"
                    )));
                }
                let mut rng = crate::rng::substream(seed, 31);
                let patterns = (0..*count)
                    .map(|_| (0..*n).map(|_| StandardNormal.sample(&mut rng)).collect())
                    .collect();
                Ok(Self {
                    width: *n,
                    height: 1,
                    labels: (1..=*count).map(|k| k.to_string()).collect(),
                    patterns,
                })
            }
        }
    }

    /// Values per pattern.
    pub fn n(&self) -> usize {
        self.width * self.height
    }
}

/// A Gaussian blur of standard deviation `sigma_px` (separable, kernel cut at 3σ, edges clamped),
/// rescaled so the largest magnitude stays that of the input.
pub fn blur(values: &[f64], width: usize, height: usize, sigma_px: f64) -> Vec<f64> {
    if sigma_px <= 0.0 {
        return values.to_vec();
    }
    let radius = (3.0 * sigma_px).ceil() as isize;
    let weights: Vec<f64> = (-radius..=radius)
        .map(|k| (-(k * k) as f64 / (2.0 * sigma_px * sigma_px)).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let pass = |input: &[f64], horizontal: bool| -> Vec<f64> {
        let mut out = vec![0.0; input.len()];
        for y in 0..height as isize {
            for x in 0..width as isize {
                let mut sum = 0.0;
                for (k, w) in (-radius..=radius).zip(&weights) {
                    let (sx, sy) = if horizontal { (x + k, y) } else { (x, y + k) };
                    let sx = sx.clamp(0, width as isize - 1) as usize;
                    let sy = sy.clamp(0, height as isize - 1) as usize;
                    sum += w * input[sy * width + sx];
                }
                out[y as usize * width + x as usize] = sum / total;
            }
        }
        out
    };
    let blurred = pass(&pass(values, true), false);
    let before = values.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let after = blurred.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-12);
    blurred.iter().map(|x| x * before / after).collect()
}
