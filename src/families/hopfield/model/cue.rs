//! Cues: corrupted, masked, mixed or random starting states.

use rand::RngExt;
use rand::seq::SliceRandom;

use super::patterns::PatternError;
use crate::rng::SimRng;

/// The pattern with exactly round(`fraction` · N) bits flipped, chosen at random.
pub fn flip_fraction(pattern: &[i8], fraction: f64, rng: &mut SimRng) -> Result<Vec<i8>, PatternError> {
    if !(0.0..=1.0).contains(&fraction) {
        return Err(PatternError::Invalid(format!(
            "the flip fraction must be in [0, 1], not {fraction}"
        )));
    }
    let count = (fraction * pattern.len() as f64).round() as usize;
    let mut order: Vec<usize> = (0..pattern.len()).collect();
    order.shuffle(rng);
    let mut cue = pattern.to_vec();
    for &i in &order[..count] {
        cue[i] = -cue[i];
    }
    Ok(cue)
}

/// The pattern with the rectangle `[x0, y0, x1, y1)` (grid cells) switched off.
pub fn mask_region(
    pattern: &[i8],
    width: usize,
    height: usize,
    rect: [usize; 4],
) -> Result<Vec<i8>, PatternError> {
    if pattern.len() != width * height {
        return Err(PatternError::Invalid(format!(
            "a {width}×{height} grid needs {} values",
            width * height
        )));
    }
    let [x0, y0, x1, y1] = rect;
    let mut cue = pattern.to_vec();
    for y in y0.min(height)..y1.min(height) {
        for x in x0.min(width)..x1.min(width) {
            cue[y * width + x] = -1;
        }
    }
    Ok(cue)
}

/// Pattern `a` on each bit with probability 1 − `fraction_b`, otherwise pattern `b`.
pub fn mix(a: &[i8], b: &[i8], fraction_b: f64, rng: &mut SimRng) -> Result<Vec<i8>, PatternError> {
    if a.len() != b.len() || !(0.0..=1.0).contains(&fraction_b) {
        return Err(PatternError::Invalid(
            "mixing needs two patterns of one size and a fraction in [0, 1]".into(),
        ));
    }
    Ok(a.iter()
        .zip(b)
        .map(|(&x, &y)| if rng.random_bool(fraction_b) { y } else { x })
        .collect())
}

/// A uniformly random ±1 state of `n` neurons.
pub fn random_state(n: usize, rng: &mut SimRng) -> Vec<i8> {
    (0..n)
        .map(|_| if rng.random_bool(0.5) { 1 } else { -1 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flips_exactly_the_requested_number_of_bits() {
        let pattern = vec![1i8; 101];
        let cue = flip_fraction(&pattern, 0.3, &mut crate::rng::seeded(2)).expect("valid");
        assert_eq!(cue.iter().filter(|&&s| s == -1).count(), 30);
        assert!(flip_fraction(&pattern, 1.5, &mut crate::rng::seeded(2)).is_err());
    }

    #[test]
    fn masks_only_the_rectangle() {
        let cue = mask_region(&[1; 12], 4, 3, [1, 1, 3, 3]).expect("valid");
        assert_eq!(cue, [1, 1, 1, 1, 1, -1, -1, 1, 1, -1, -1, 1]);
    }
}
