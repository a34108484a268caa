//! The energy landscape over the plane of states spanned by two stored patterns.
//!
//! For a target pair of overlaps (m_a, m_b) the state is built exactly: on the neurons where the two
//! patterns agree (set A, a fraction c_A of N) a fraction x takes the pattern's value, on the neurons
//! where they differ (set D) a fraction y takes pattern a's value. Then
//! m_a = c_A(2x − 1) + c_D(2y − 1) and m_b = c_A(2x − 1) − c_D(2y − 1), so every reachable pair of
//! overlaps is realised by one state, chosen by a fixed seeded order of the neurons so that
//! neighbouring cells differ in few bits. Pairs outside the reachable diamond are NaN.

use rand::seq::SliceRandom;

/// The energy of every cell of a `side × side` map over (m_a, m_b) ∈ [−1, 1]², row-major with
/// rows running from m_b = −1 upwards; NaN where no state has those overlaps.
pub fn energy_landscape(
    pattern_a: &[i8],
    pattern_b: &[i8],
    side: usize,
    seed: u64,
    energy_of: impl Fn(&[i8]) -> f64,
) -> Vec<f64> {
    let n = pattern_a.len().min(pattern_b.len());
    let mut rng = crate::rng::seeded(seed);
    let mut agree: Vec<usize> = (0..n).filter(|&i| pattern_a[i] == pattern_b[i]).collect();
    let mut differ: Vec<usize> = (0..n).filter(|&i| pattern_a[i] != pattern_b[i]).collect();
    agree.shuffle(&mut rng);
    differ.shuffle(&mut rng);
    let c_agree = agree.len() as f64 / n.max(1) as f64;
    let c_differ = differ.len() as f64 / n.max(1) as f64;
    let mut state = vec![0i8; n];
    let mut energy = Vec::with_capacity(side * side);
    for row in 0..side {
        let m_b = cell_centre(row, side);
        for col in 0..side {
            let m_a = cell_centre(col, side);
            let x = fraction_for(0.5 * (m_a + m_b), c_agree);
            let y = fraction_for(0.5 * (m_a - m_b), c_differ);
            match (x, y) {
                (Some(x), Some(y)) => {
                    fill_fraction(&mut state, &agree, pattern_a, x);
                    fill_fraction(&mut state, &differ, pattern_a, y);
                    energy.push(energy_of(&state));
                }
                _ => energy.push(f64::NAN),
            }
        }
    }
    energy
}

/// Overlap value at the centre of cell `index` of `side` cells spanning [−1, 1].
pub fn cell_centre(index: usize, side: usize) -> f64 {
    -1.0 + (2.0 * index as f64 + 1.0) / side as f64
}

/// The fraction x of a set (of relative size `c`) that must agree so that c(2x − 1) = `target`.
fn fraction_for(target: f64, c: f64) -> Option<f64> {
    if c == 0.0 {
        return (target.abs() < 1e-9).then_some(0.5);
    }
    let x = 0.5 * (target / c + 1.0);
    (-1e-9..=1.0 + 1e-9).contains(&x).then(|| x.clamp(0.0, 1.0))
}

/// Sets the first round(x·len) neurons of `order` to the pattern's value and the rest to its opposite.
fn fill_fraction(state: &mut [i8], order: &[usize], pattern: &[i8], x: f64) {
    let keep = (x * order.len() as f64).round() as usize;
    for (rank, &i) in order.iter().enumerate() {
        state[i] = if rank < keep { pattern[i] } else { -pattern[i] };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: &[i8], b: &[i8]) -> f64 {
        a.iter().zip(b).map(|(&x, &y)| f64::from(x * y)).sum::<f64>() / a.len() as f64
    }

    #[test]
    fn cells_hold_states_with_the_cell_overlaps() {
        let mut rng = crate::rng::seeded(3);
        let random = |rng: &mut crate::rng::SimRng| -> Vec<i8> {
            use rand::RngExt;
            (0..400)
                .map(|_| if rng.random_bool(0.5) { 1 } else { -1 })
                .collect()
        };
        let (a, b) = (random(&mut rng), random(&mut rng));
        let side = 9;
        // Report the overlaps through the energy callback: energy = m_a + 10 m_b.
        let map = energy_landscape(&a, &b, side, 1, |s| overlap(s, &a) + 10.0 * overlap(s, &b));
        let mut reachable = 0;
        for row in 0..side {
            for col in 0..side {
                let value = map[row * side + col];
                if value.is_nan() {
                    continue;
                }
                reachable += 1;
                let expected = cell_centre(col, side) + 10.0 * cell_centre(row, side);
                // Rounding to whole neurons moves an overlap by at most 2/N per set.
                assert!(
                    (value - expected).abs() < 11.0 * 4.0 / 400.0,
                    "cell ({col},{row})"
                );
            }
        }
        // The reachable diamond covers about half of the square.
        assert!(
            reachable > side * side / 3 && reachable < side * side,
            "{reachable}"
        );
    }

    #[test]
    fn hebbian_energy_is_lowest_at_the_patterns() {
        // With Hebbian weights and two orthogonal-ish patterns, E = −N/2 (m_a² + m_b²) + const:
        // the corners (±1, ±1) are unreachable, the deepest cells are near m_a = ±1 or m_b = ±1.
        let mut rng = crate::rng::seeded(5);
        use rand::RngExt;
        let pats: Vec<Vec<i8>> = (0..2)
            .map(|_| {
                (0..300)
                    .map(|_| if rng.random_bool(0.5) { 1 } else { -1 })
                    .collect()
            })
            .collect();
        let energy = |s: &[i8]| -> f64 {
            -0.5 * pats.iter().map(|p| overlap(s, p).powi(2)).sum::<f64>() * s.len() as f64
        };
        let side = 21;
        let map = energy_landscape(&pats[0], &pats[1], side, 2, energy);
        let (best, _) =
            map.iter()
                .enumerate()
                .filter(|(_, e)| !e.is_nan())
                .fold(
                    (0, f64::INFINITY),
                    |acc, (i, &e)| if e < acc.1 { (i, e) } else { acc },
                );
        let (col, row) = (best % side, best / side);
        let (m_a, m_b) = (cell_centre(col, side), cell_centre(row, side));
        assert!(m_a.abs() > 0.8 || m_b.abs() > 0.8, "minimum at ({m_a}, {m_b})");
    }
}
