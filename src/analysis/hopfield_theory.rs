//! Hopfield theory: AGS capacity, mean-field overlap m = tanh(m/T), unstable-bit fraction.

use super::special::normal_cdf;

/// Critical load α_c ≈ 0.138 of the Hebbian network at T = 0 (Amit, Gutfreund & Sompolinsky 1985).
pub const AGS_CRITICAL_LOAD: f64 = 0.138;

/// Fraction of the bits of stored patterns that one update would flip at load α = P/N: the crosstalk
/// of P − 1 other patterns is Gaussian with variance α, so P(ξ_i h_i < 0) = Φ(−1/√α).
pub fn unstable_fraction(alpha: f64) -> f64 {
    if alpha <= 0.0 {
        0.0
    } else {
        normal_cdf(-1.0 / alpha.sqrt())
    }
}

/// The stable overlap of one stored pattern under Glauber dynamics at temperature T (mean field,
/// P ≪ N): the largest root of m = tanh(m/T); 0 at and above T_c = 1.
pub fn mean_field_overlap(temperature: f64) -> f64 {
    if temperature <= 0.0 {
        return 1.0;
    }
    if temperature >= 1.0 {
        return 0.0;
    }
    // Fixed-point iteration from m = 1 converges monotonically to the largest root.
    let mut m = 1.0f64;
    for _ in 0..10_000 {
        let next = (m / temperature).tanh();
        if (next - m).abs() < 1e-14 {
            return next;
        }
        m = next;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_field_overlap_solves_the_equation() {
        for t in [0.1, 0.5, 0.8, 0.95] {
            let m = mean_field_overlap(t);
            assert!((m - (m / t).tanh()).abs() < 1e-10 && m > 0.0, "T = {t}");
        }
        assert_eq!(mean_field_overlap(1.2), 0.0);
        // Near T_c, m ≈ √(3(1 − T)).
        assert!((mean_field_overlap(0.99) - (3.0f64 * 0.01).sqrt()).abs() < 0.01);
    }

    #[test]
    fn unstable_fraction_at_the_critical_load_is_about_0_36_percent() {
        // Φ(−1/√0.138) = Φ(−2.69) ≈ 0.0036 (Hertz, Krogh & Palmer, table 2.1).
        assert!((unstable_fraction(AGS_CRITICAL_LOAD) - 0.0036).abs() < 0.0002);
    }
}
