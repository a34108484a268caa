//! Observables: overlaps, Hamming distance, and what kind of state a network ended in.

/// Overlap m = (1/N) Σ ξ_i s_i between a pattern and a state.
pub fn overlap(pattern: &[i8], state: &[i8]) -> f64 {
    let dot: i64 = pattern.iter().zip(state).map(|(&a, &b)| i64::from(a * b)).sum();
    dot as f64 / pattern.len().max(1) as f64
}

/// Number of positions where two states differ.
pub fn hamming(a: &[i8], b: &[i8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Overlap at or above which a state counts as a retrieved pattern.
pub const RETRIEVED_OVERLAP: f64 = 0.9;
/// Overlap magnitude at or above which a pattern counts as a component of a mixture.
pub const MIXTURE_COMPONENT_OVERLAP: f64 = 0.3;

/// What kind of state a network is in, judged by its overlaps with the stored patterns.
#[derive(Debug, Clone, PartialEq)]
pub enum StateClass {
    /// Overlap ≥ 0.9 with this stored pattern.
    Stored(usize),
    /// Overlap ≤ −0.9 with this stored pattern: its mirror image, also a minimum.
    Mirror(usize),
    /// Two or more patterns with |overlap| ≥ 0.3 (e.g. the symmetric 3-mixture has m = ½ each):
    /// (pattern, sign) of each component.
    Mixture(Vec<(usize, i8)>),
    /// None of the above: a spurious state (or a state still on its way).
    Spurious,
}

impl StateClass {
    /// Classifies a state from its overlaps with every stored pattern.
    pub fn from_overlaps(overlaps: &[f64]) -> Self {
        let best = overlaps
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        if let Some((index, &m)) = best {
            if m >= RETRIEVED_OVERLAP {
                return StateClass::Stored(index);
            }
            if m <= -RETRIEVED_OVERLAP {
                return StateClass::Mirror(index);
            }
        }
        let components: Vec<(usize, i8)> = overlaps
            .iter()
            .enumerate()
            .filter(|(_, m)| m.abs() >= MIXTURE_COMPONENT_OVERLAP)
            .map(|(i, &m)| (i, if m > 0.0 { 1 } else { -1 }))
            .collect();
        if components.len() >= 2 {
            StateClass::Mixture(components)
        } else {
            StateClass::Spurious
        }
    }

    /// A short description with pattern labels ("stored A", "mixture of A, −E, H").
    pub fn describe(&self, labels: &[String]) -> String {
        let name = |i: usize| labels.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1));
        match self {
            StateClass::Stored(i) => format!("stored pattern {}", name(*i)),
            StateClass::Mirror(i) => format!("mirror image of {}", name(*i)),
            StateClass::Mixture(parts) => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|&(i, s)| format!("{}{}", if s < 0 { "−" } else { "" }, name(i)))
                    .collect();
                format!("mixture of {}", parts.join(", "))
            }
            StateClass::Spurious => "spurious state (no stored pattern)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_overlaps() {
        assert_eq!(StateClass::from_overlaps(&[0.1, 0.95]), StateClass::Stored(1));
        assert_eq!(StateClass::from_overlaps(&[-0.97, 0.1]), StateClass::Mirror(0));
        assert_eq!(
            StateClass::from_overlaps(&[0.5, -0.5, 0.5]),
            StateClass::Mixture(vec![(0, 1), (1, -1), (2, 1)])
        );
        assert_eq!(StateClass::from_overlaps(&[0.1, 0.05]), StateClass::Spurious);
    }

    #[test]
    fn symmetric_three_mixture_has_overlap_one_half() {
        // sign(ξ1 + ξ2 + ξ3) agrees with each ξ on 3/4 of the bits: m = 1/2 (Amit et al. 1985).
        let mut rng = crate::rng::seeded(4);
        let p: Vec<Vec<i8>> = (0..3)
            .map(|_| super::super::cue::random_state(20_000, &mut rng))
            .collect();
        let mix: Vec<i8> = (0..20_000)
            .map(|i| (p[0][i] + p[1][i] + p[2][i]).signum())
            .collect();
        for pattern in &p {
            assert!((overlap(pattern, &mix) - 0.5).abs() < 0.02);
        }
    }
}
