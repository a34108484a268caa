//! Modern (dense) Hopfield networks: energies and local fields computed through the pattern
//! overlaps o_μ = Σ_j ξ^μ_j s_j, so that one update costs O(P) instead of O(N).
//!
//! Each model has an energy E(s); a neuron's local field is h_i = [E(s_i = −1) − E(s_i = +1)] / 2,
//! exactly as in the classical network (where it equals Σ_j J_ij s_j). At T = 0 a neuron takes the
//! sign of h_i; with Glauber dynamics it is on with probability 1 / (1 + exp(−2 h_i / T)).

/// The energy function of a dense network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenseUpdate {
    /// The classical Hebbian energy written through overlaps: E = −(1/2N) Σ_μ o_μ² (self-couplings included).
    Hebb,
    /// Krotov & Hopfield (2016): E = −N Σ_μ (o_μ / N)^n, F(x) = x^n. Capacity grows like N^(n−1).
    Poly(u32),
    /// Demircigil et al. (2017): F(x) = exp(x). The energy −Σ exp(o_μ) overflows, so engram uses the
    /// monotone equivalent E = −log Σ_μ exp(o_μ), which gives the same updates at T = 0.
    Exp,
    /// Ramsauer et al. (2020): E = −(1/β) log Σ_μ exp(β o_μ); large β recalls one pattern, small β
    /// settles on averages of similar patterns (metastable states).
    Softmax {
        /// Inverse temperature β of the softmax, per unit of o_μ (which runs from −N to N).
        beta: f64,
    },
}

impl std::fmt::Display for DenseUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DenseUpdate::Hebb => write!(f, "hebb"),
            DenseUpdate::Poly(n) => write!(f, "poly:{n}"),
            DenseUpdate::Exp => write!(f, "exp"),
            DenseUpdate::Softmax { beta } => write!(f, "softmax (β = {beta})"),
        }
    }
}

impl std::str::FromStr for DenseUpdate {
    type Err = String;

    /// Parses hebb, poly:K, exp or softmax (β = 1; set it separately).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "hebb" => Ok(DenseUpdate::Hebb),
            "exp" => Ok(DenseUpdate::Exp),
            "softmax" => Ok(DenseUpdate::Softmax { beta: 1.0 }),
            _ => {
                if let Some(k) = s.strip_prefix("poly:") {
                    match k.parse::<u32>() {
                        Ok(k) if (2..=30).contains(&k) => Ok(DenseUpdate::Poly(k)),
                        _ => Err(format!("poly:K needs a whole K from 2 to 30, not `{k}`")),
                    }
                } else {
                    Err(format!(
                        "unknown dense update `{s}` (choose hebb, poly:K, exp or softmax)"
                    ))
                }
            }
        }
    }
}

impl DenseUpdate {
    /// Checks the parameters (β > 0 and finite).
    pub fn validate(&self) -> Result<(), String> {
        match self {
            DenseUpdate::Softmax { beta } if !(beta.is_finite() && *beta > 0.0) => {
                Err(format!("β must be a positive number, not {beta}"))
            }
            DenseUpdate::Poly(k) if !(2..=30).contains(k) => {
                Err(format!("the degree must be 2 to 30, not {k}"))
            }
            _ => Ok(()),
        }
    }

    /// Energy of a state with overlaps `dots` (o_μ, unnormalised) on `n` neurons.
    pub fn energy(&self, dots: &[i64], n: usize) -> f64 {
        let n = n as f64;
        match *self {
            DenseUpdate::Hebb => -dots.iter().map(|&o| (o as f64).powi(2)).sum::<f64>() / (2.0 * n),
            DenseUpdate::Poly(k) => -n * dots.iter().map(|&o| (o as f64 / n).powi(k as i32)).sum::<f64>(),
            DenseUpdate::Exp => -log_sum_exp(dots.iter().map(|&o| o as f64)),
            DenseUpdate::Softmax { beta } => -log_sum_exp(dots.iter().map(|&o| beta * o as f64)) / beta,
        }
    }

    /// Local field of neuron i: `column` holds ξ^μ_i for every μ, `dots` the overlaps o_μ,
    /// `s_i` the neuron's current state.
    pub fn field(&self, column: &[i8], dots: &[i64], s_i: i8, n: usize) -> f64 {
        let n_f = n as f64;
        // x_μ = o_μ − ξ^μ_i s_i: the overlap without neuron i.
        let without = |mu: usize| (dots[mu] - i64::from(column[mu] * s_i)) as f64;
        match *self {
            DenseUpdate::Hebb => {
                (0..dots.len())
                    .map(|mu| f64::from(column[mu]) * without(mu))
                    .sum::<f64>()
                    / n_f
            }
            DenseUpdate::Poly(k) => {
                let k = k as i32;
                0.5 * n_f
                    * (0..dots.len())
                        .map(|mu| {
                            let (x, xi) = (without(mu), f64::from(column[mu]));
                            ((x + xi) / n_f).powi(k) - ((x - xi) / n_f).powi(k)
                        })
                        .sum::<f64>()
            }
            DenseUpdate::Exp => lse_difference(column, dots.len(), without, 1.0),
            DenseUpdate::Softmax { beta } => lse_difference(column, dots.len(), without, beta),
        }
    }
}

/// [E(−1) − E(+1)] / 2 for E(σ) = −(1/β) log Σ_μ exp(β (x_μ + ξ^μ σ)), computed stably.
fn lse_difference(column: &[i8], count: usize, without: impl Fn(usize) -> f64, beta: f64) -> f64 {
    let plus = log_sum_exp((0..count).map(|mu| beta * (without(mu) + f64::from(column[mu]))));
    let minus = log_sum_exp((0..count).map(|mu| beta * (without(mu) - f64::from(column[mu]))));
    (plus - minus) / (2.0 * beta)
}

/// log Σ exp(a_k), without overflow.
pub fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + values.map(|a| (a - max).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field must equal half the energy difference of flipping the neuron, for every model.
    #[test]
    fn field_is_half_the_energy_difference() {
        let mut rng = crate::rng::seeded(9);
        let n = 40;
        let patterns: Vec<Vec<i8>> = (0..6)
            .map(|_| crate::hopfield::cue::random_state(n, &mut rng))
            .collect();
        let mut state = crate::hopfield::cue::random_state(n, &mut rng);
        let dots_of = |s: &[i8]| -> Vec<i64> {
            patterns
                .iter()
                .map(|p| p.iter().zip(s).map(|(&a, &b)| i64::from(a * b)).sum())
                .collect()
        };
        for model in [
            DenseUpdate::Hebb,
            DenseUpdate::Poly(3),
            DenseUpdate::Exp,
            DenseUpdate::Softmax { beta: 0.3 },
        ] {
            for i in [0, 7, 39] {
                let column: Vec<i8> = patterns.iter().map(|p| p[i]).collect();
                let field = model.field(&column, &dots_of(&state), state[i], n);
                state[i] = -1;
                let e_minus = model.energy(&dots_of(&state), n);
                state[i] = 1;
                let e_plus = model.energy(&dots_of(&state), n);
                assert!(
                    (field - 0.5 * (e_minus - e_plus)).abs() < 1e-9 * (1.0 + field.abs()),
                    "{model} i={i}"
                );
            }
        }
    }

    #[test]
    fn parses_the_command_line_forms() {
        assert_eq!("poly:3".parse::<DenseUpdate>(), Ok(DenseUpdate::Poly(3)));
        assert_eq!("exp".parse::<DenseUpdate>(), Ok(DenseUpdate::Exp));
        assert!("poly:x".parse::<DenseUpdate>().is_err());
        assert!("magic".parse::<DenseUpdate>().is_err());
    }
}
