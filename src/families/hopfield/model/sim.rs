//! `HopfieldSim`: a classical or dense Hopfield network with its state, stepped one neuron at a time.

use rand::RngExt;
use rand::seq::SliceRandom;

use super::HopfieldError;
use super::dense::DenseUpdate;
use super::learning::{LearningRule, Weights, check_fits};
use super::observables::StateClass;
use super::patterns::PatternSet;
use crate::rng::{SimRng, seeded};

/// Which energy the network descends.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum UpdateMode {
    /// The classical pairwise network with weights from the learning rule.
    Classical,
    /// A modern (dense) network on the same patterns.
    Dense(DenseUpdate),
}

/// A Hopfield network with its patterns, weights, state and random number generator.
///
/// Conventions: states are ±1; asynchronous updates visit every neuron once per sweep in a fresh
/// random order; at T = 0 a neuron takes the sign of its local field h_i and keeps its state when
/// h_i = 0; at T > 0 (Glauber) it is on with probability 1 / (1 + exp(−2 h_i / T)), so T_c = 1.
/// Local fields (classical) and overlaps (all modes) are kept up to date on each flip, O(N) and
/// O(P) per flip, never recomputed from scratch during a run.
#[derive(Debug, Clone)]
pub struct HopfieldSim {
    patterns: PatternSet,
    /// ξ^μ_i stored neuron-major: the P values of neuron i are contiguous.
    columns: Vec<i8>,
    rule: LearningRule,
    update: UpdateMode,
    weights: Weights,
    state: Vec<i8>,
    /// Local fields, kept up to date when the weight matrix is kept (empty for factored weights).
    fields: Vec<f64>,
    dots: Vec<i64>,
    /// (1/N) A d for factored weights: the fields follow from it in O(P) (empty otherwise).
    projected: Vec<f64>,
    temperature: f64,
    rng: SimRng,
    order: Vec<u32>,
    cursor: usize,
    updates_done: u64,
}

impl HopfieldSim {
    /// A network storing `patterns` with `rule`, starting in the first pattern's mirror-free random state.
    pub fn new(patterns: PatternSet, rule: LearningRule, seed: u64) -> Result<Self, HopfieldError> {
        let n = patterns.n();
        check_fits(n)?;
        let weights = Weights::learn(rule, &patterns.patterns, n)?;
        let mut rng = seeded(seed);
        let state = super::cue::random_state(n, &mut rng);
        let mut sim = Self {
            columns: Vec::new(),
            patterns,
            rule,
            update: UpdateMode::Classical,
            weights,
            fields: Vec::new(),
            dots: Vec::new(),
            projected: Vec::new(),
            state,
            temperature: 0.0,
            rng,
            order: (0..n as u32).collect(),
            cursor: n,
            updates_done: 0,
        };
        sim.rebuild_columns();
        sim.recompute();
        Ok(sim)
    }

    fn rebuild_columns(&mut self) {
        let (n, p) = (self.patterns.n(), self.patterns.len());
        self.columns = vec![0; n * p];
        for (mu, pattern) in self.patterns.patterns.iter().enumerate() {
            for (i, &x) in pattern.iter().enumerate() {
                self.columns[i * p + mu] = x;
            }
        }
    }

    /// Recomputes fields and overlaps from scratch (after the state or the weights changed wholesale).
    fn recompute(&mut self) {
        self.dots = self.dots_of(&self.state);
        if self.weights.factors().is_some() {
            self.fields = Vec::new();
        } else {
            self.fields = self.weights.fields(&self.state);
        }
        self.project();
    }

    /// ξ^μ · s for every stored pattern μ.
    fn dots_of(&self, state: &[i8]) -> Vec<i64> {
        self.patterns
            .patterns
            .iter()
            .map(|p| p.iter().zip(state).map(|(&a, &b)| i64::from(a * b)).sum())
            .collect()
    }

    /// Brings (1/N) A d up to date with the overlaps (factored weights only).
    fn project(&mut self) {
        self.projected = match self.weights.factors() {
            Some(f) => f.projected_overlaps(&self.dots),
            None => Vec::new(),
        };
    }

    /// Number of neurons.
    pub fn n(&self) -> usize {
        self.state.len()
    }

    /// Grid (width, height) of the patterns.
    pub fn grid_size(&self) -> (usize, usize) {
        (self.patterns.width, self.patterns.height)
    }

    /// The stored patterns.
    pub fn patterns(&self) -> &PatternSet {
        &self.patterns
    }

    /// The learning rule of the classical weights.
    pub fn rule(&self) -> LearningRule {
        self.rule
    }

    /// Classical or dense.
    pub fn update(&self) -> UpdateMode {
        self.update
    }

    /// Glauber temperature (0 = deterministic).
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// The current state (±1 per neuron).
    pub fn state(&self) -> &[i8] {
        &self.state
    }

    /// Replaces the state.
    pub fn set_state(&mut self, state: &[i8]) -> Result<(), HopfieldError> {
        if state.len() != self.n() {
            return Err(HopfieldError::Size(format!(
                "a state of {} neurons for a network of {}",
                state.len(),
                self.n()
            )));
        }
        if let Some(bad) = state.iter().find(|&&s| s != 1 && s != -1) {
            return Err(HopfieldError::Size(format!("states are ±1, not {bad}")));
        }
        self.state.copy_from_slice(state);
        self.recompute();
        self.cursor = self.n();
        Ok(())
    }

    /// Sets one neuron to `value` (±1; painting). Fields and overlaps stay up to date.
    pub fn set_neuron(&mut self, i: usize, value: i8) {
        let value = if value >= 0 { 1 } else { -1 };
        if i < self.n() && self.state[i] != value {
            self.flip(i);
        }
    }

    /// Changes the learning rule; the state is kept.
    pub fn set_rule(&mut self, rule: LearningRule) -> Result<(), HopfieldError> {
        self.weights = Weights::learn(rule, &self.patterns.patterns, self.n())?;
        self.rule = rule;
        self.recompute();
        Ok(())
    }

    /// Replaces the stored patterns (relearning); the state is kept if N is unchanged, else randomised.
    pub fn set_patterns(&mut self, patterns: PatternSet) -> Result<(), HopfieldError> {
        let n = patterns.n();
        check_fits(n)?;
        self.weights = Weights::learn(self.rule, &patterns.patterns, n)?;
        if n != self.n() {
            self.state = super::cue::random_state(n, &mut self.rng);
            self.order = (0..n as u32).collect();
        }
        self.patterns = patterns;
        self.cursor = n;
        self.rebuild_columns();
        self.recompute();
        Ok(())
    }

    /// Stores one more pattern (relearning); the state is kept.
    pub fn add_pattern(&mut self, label: String, pattern: Vec<i8>) -> Result<(), HopfieldError> {
        if pattern.len() != self.n() {
            return Err(HopfieldError::Size(format!(
                "a pattern of {} neurons for a network of {}",
                pattern.len(),
                self.n()
            )));
        }
        let mut patterns = self.patterns.clone();
        patterns.labels.push(label);
        patterns.patterns.push(pattern);
        self.set_patterns(patterns)
    }

    /// Switches between the classical and a dense energy; the state is kept.
    pub fn set_update(&mut self, update: UpdateMode) {
        self.update = update;
    }

    /// Sets the Glauber temperature (negative or non-finite values count as 0).
    pub fn set_temperature(&mut self, t: f64) {
        self.temperature = if t.is_finite() && t > 0.0 { t } else { 0.0 };
    }

    /// Local field of neuron i under the current update.
    pub fn field(&self, i: usize) -> f64 {
        match self.update {
            UpdateMode::Classical => match self.weights.factors() {
                Some(f) => f.field(i, &self.projected, f64::from(self.state[i])),
                None => self.fields[i],
            },
            UpdateMode::Dense(dense) => {
                let p = self.patterns.len();
                dense.field(
                    &self.columns[i * p..(i + 1) * p],
                    &self.dots,
                    self.state[i],
                    self.n(),
                )
            }
        }
    }

    fn flip(&mut self, i: usize) {
        let new = -self.state[i];
        self.state[i] = new;
        let delta = 2.0 * f64::from(new);
        // J is symmetric: column i equals row i.
        if let Some(row) = self.weights.row(i) {
            for (h, &w) in self.fields.iter_mut().zip(row) {
                *h += delta * f64::from(w);
            }
        }
        let p = self.patterns.len();
        for (o, &x) in self.dots.iter_mut().zip(&self.columns[i * p..(i + 1) * p]) {
            *o += 2 * i64::from(x * new);
        }
        if !self.projected.is_empty() {
            self.project();
        }
    }

    /// Updates neuron i once (T = 0 sign rule or Glauber); true if it flipped.
    pub fn update_neuron(&mut self, i: usize) -> bool {
        let h = self.field(i);
        let current = self.state[i];
        let next = if self.temperature > 0.0 {
            let p_on = 1.0 / (1.0 + (-2.0 * h / self.temperature).exp());
            if self.rng.random::<f64>() < p_on { 1 } else { -1 }
        } else if h > 0.0 {
            1
        } else if h < 0.0 {
            -1
        } else {
            current
        };
        self.updates_done += 1;
        if next != current {
            self.flip(i);
            true
        } else {
            false
        }
    }

    /// `count` asynchronous updates, continuing the current random-order sweep; returns the flips.
    pub fn update_neurons(&mut self, count: usize) -> usize {
        let mut flips = 0;
        for _ in 0..count {
            if self.cursor >= self.order.len() {
                self.order.shuffle(&mut self.rng);
                self.cursor = 0;
            }
            let i = self.order[self.cursor] as usize;
            self.cursor += 1;
            flips += usize::from(self.update_neuron(i));
        }
        flips
    }

    /// One asynchronous sweep (every neuron once, random order); returns the flips.
    pub fn sweep(&mut self) -> usize {
        // Finish a started sweep first so that sweeps stay aligned with the random order.
        let left = self.order.len() - self.cursor.min(self.order.len());
        let count = if left == 0 { self.n() } else { left };
        self.update_neurons(count)
    }

    /// One synchronous step: every neuron takes the sign of its current field at once; returns the flips.
    pub fn step_sync(&mut self) -> usize {
        let next: Vec<i8> = (0..self.n())
            .map(|i| {
                let h = self.field(i);
                if self.temperature > 0.0 {
                    let p_on = 1.0 / (1.0 + (-2.0 * h / self.temperature).exp());
                    if self.rng.random::<f64>() < p_on { 1 } else { -1 }
                } else if h > 0.0 {
                    1
                } else if h < 0.0 {
                    -1
                } else {
                    self.state[i]
                }
            })
            .collect();
        self.updates_done += self.n() as u64;
        let mut flips = 0;
        for (i, &s) in next.iter().enumerate() {
            if s != self.state[i] {
                self.flip(i);
                flips += 1;
            }
        }
        flips
    }

    /// Sweeps until a sweep flips nothing (a fixed point) or `max_sweeps`; returns (sweeps, converged).
    pub fn run_to_fixed_point(&mut self, max_sweeps: usize) -> (usize, bool) {
        for sweep in 1..=max_sweeps {
            if self.sweep() == 0 {
                return (sweep, true);
            }
        }
        (max_sweeps, false)
    }

    /// True when no single update would flip a neuron (at T = 0).
    pub fn is_fixed_point(&self) -> bool {
        (0..self.n()).all(|i| {
            let h = self.field(i);
            h == 0.0 || (h > 0.0) == (self.state[i] > 0)
        })
    }

    /// Single-neuron updates done so far (N make one sweep).
    pub fn updates_done(&self) -> u64 {
        self.updates_done
    }

    /// Energy of the current state under the current update.
    pub fn energy(&self) -> f64 {
        match self.update {
            UpdateMode::Classical => match self.weights.factors() {
                Some(f) => f.energy(&self.dots, &self.projected),
                None => {
                    -0.5 * self
                        .state
                        .iter()
                        .zip(&self.fields)
                        .map(|(&s, &h)| f64::from(s) * h)
                        .sum::<f64>()
                }
            },
            UpdateMode::Dense(dense) => dense.energy(&self.dots, self.n()),
        }
    }

    /// Energy any state would have in this network (for landscapes); O(N²) classical with the
    /// matrix kept, O(NP) with factored weights and dense.
    pub fn energy_of(&self, state: &[i8]) -> f64 {
        match self.update {
            UpdateMode::Classical if self.weights.factors().is_some() => {
                let dots = self.dots_of(state);
                let f = self.weights.factors().expect("factored");
                f.energy(&dots, &f.projected_overlaps(&dots))
            }
            UpdateMode::Classical => {
                let fields = self.weights.fields(state);
                -0.5 * state
                    .iter()
                    .zip(&fields)
                    .map(|(&s, &h)| f64::from(s) * h)
                    .sum::<f64>()
            }
            UpdateMode::Dense(dense) => dense.energy(&self.dots_of(state), self.n()),
        }
    }

    /// The energy of `state` in O(N·P) when it can be had from the overlaps (the Hebbian rule with
    /// the classical update: J = (1/N) Σ_μ ξ^μ ξ^μᵀ with J_ii = 0 gives
    /// E = −½ Σ_ij J_ij s_i s_j = −(1/(2N)) Σ_μ (ξ^μ · s)² + P/2), else [`Self::energy_of`]'s O(N²).
    /// The same energy up to the f32 rounding of the stored weights; the energy landscape uses it,
    /// 1,681 states at a time.
    pub fn energy_fast(&self, state: &[i8]) -> f64 {
        if !(self.rule == LearningRule::Hebb && matches!(self.update, UpdateMode::Classical)) {
            return self.energy_of(state);
        }
        let n = state.len().max(1) as f64;
        let patterns = &self.patterns.patterns;
        let squares: f64 = patterns
            .iter()
            .map(|p| {
                let dot: i64 = p.iter().zip(state).map(|(&a, &b)| i64::from(a * b)).sum();
                (dot * dot) as f64
            })
            .sum();
        -squares / (2.0 * n) + patterns.len() as f64 / 2.0
    }

    /// Operations [`Self::energy_fast`] takes for one state: N·P through the overlaps, N² with the
    /// weight matrix.
    pub fn energy_cost(&self) -> usize {
        let (n, p) = (self.n(), self.patterns.len().max(1));
        let through_overlaps = matches!(self.update, UpdateMode::Dense(_))
            || self.rule == LearningRule::Hebb
            || self.weights.factors().is_some();
        if through_overlaps { n * p } else { n * n }
    }

    /// Overlap m^μ = (1/N) Σ ξ^μ_i s_i with every stored pattern.
    pub fn overlaps(&self) -> Vec<f64> {
        let n = self.n() as f64;
        self.dots.iter().map(|&o| o as f64 / n).collect()
    }

    /// What kind of state the network is in.
    pub fn classify(&self) -> StateClass {
        StateClass::from_overlaps(&self.overlaps())
    }

    /// The classical weights (drawn by the app; used also by the dense modes' classical fallback).
    pub fn weights(&self) -> Option<&Weights> {
        match self.update {
            UpdateMode::Classical => Some(&self.weights),
            UpdateMode::Dense(_) => None,
        }
    }
}

/// Everything a [`HopfieldSim`] needs to continue exactly where it was (see [`HopfieldSim::save_state`]).
///
/// The weights are not stored: they are relearned from the patterns with the rule, which gives the
/// same values. Fields are stored as they were kept up to date, so a restored run matches bit for bit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HopfieldState {
    /// The stored patterns.
    pub patterns: PatternSet,
    /// The learning rule of the classical weights.
    pub rule: LearningRule,
    /// Classical or dense.
    pub update: UpdateMode,
    /// The state, ±1 per neuron.
    #[serde(with = "crate::blob")]
    pub state: Vec<i8>,
    /// The local fields as kept up to date during the run.
    #[serde(with = "crate::blob")]
    pub fields: Vec<f64>,
    /// Σ_i ξ^μ_i s_i for every pattern.
    #[serde(with = "crate::blob")]
    pub dots: Vec<i64>,
    /// Glauber temperature.
    pub temperature: f64,
    /// The random number generator.
    pub rng: SimRng,
    /// The random order of the current sweep and the position in it.
    #[serde(with = "crate::blob")]
    pub order: Vec<u32>,
    /// Position in `order`.
    pub cursor: u64,
    /// Single-neuron updates done so far.
    pub updates_done: u64,
}

impl HopfieldSim {
    /// Captures everything needed to continue this run exactly.
    pub fn save_state(&self) -> HopfieldState {
        HopfieldState {
            patterns: self.patterns.clone(),
            rule: self.rule,
            update: self.update,
            state: self.state.clone(),
            fields: self.fields.clone(),
            dots: self.dots.clone(),
            temperature: self.temperature,
            rng: self.rng.clone(),
            order: self.order.clone(),
            cursor: self.cursor as u64,
            updates_done: self.updates_done,
        }
    }

    /// Rebuilds a network from a captured state (relearning its weights), checking every length and value.
    pub fn from_state(s: HopfieldState) -> Result<Self, HopfieldError> {
        let bad = |m: String| Err(HopfieldError::Size(m));
        let n = s.patterns.width * s.patterns.height;
        let p = s.patterns.patterns.len();
        check_fits(n)?;
        if s.patterns.labels.len() != p {
            return bad(format!("{} labels for {p} patterns", s.patterns.labels.len()));
        }
        let pm = |v: &[i8]| v.iter().all(|&x| x == 1 || x == -1);
        if let Some(k) = s.patterns.patterns.iter().position(|q| q.len() != n || !pm(q)) {
            return bad(format!("pattern {} is not {n} values ±1", k + 1));
        }
        if s.state.len() != n || !pm(&s.state) {
            return bad(format!("the state is not {n} values ±1"));
        }
        // Factored weights (large networks) keep no fields: they follow from the overlaps.
        let weights = Weights::learn(s.rule, &s.patterns.patterns, n)?;
        let field_count = if weights.factors().is_some() { 0 } else { n };
        if s.fields.len() != field_count || s.fields.iter().any(|h| !h.is_finite()) {
            return bad(format!("the fields are not {field_count} finite numbers"));
        }
        if s.dots.len() != p || s.dots.iter().any(|d| d.unsigned_abs() > n as u64) {
            return bad(format!("the overlaps are not {p} values within ±{n}"));
        }
        let mut seen = vec![false; n];
        for &i in &s.order {
            match seen.get_mut(i as usize) {
                Some(slot) if !*slot => *slot = true,
                _ => return bad("the sweep order is not a permutation of the neurons".into()),
            }
        }
        if s.order.len() != n || s.cursor > n as u64 {
            return bad("the sweep order is not a permutation of the neurons".into());
        }
        if !(s.temperature.is_finite() && s.temperature >= 0.0) {
            return bad(format!("temperature {} is not a number ≥ 0", s.temperature));
        }
        if let UpdateMode::Dense(dense) = s.update {
            dense.validate().map_err(HopfieldError::Size)?;
        }
        let mut sim = Self {
            patterns: s.patterns,
            columns: Vec::new(),
            rule: s.rule,
            update: s.update,
            weights,
            state: s.state,
            fields: s.fields,
            dots: s.dots,
            projected: Vec::new(),
            temperature: s.temperature,
            rng: s.rng,
            order: s.order,
            cursor: s.cursor as usize,
            updates_done: s.updates_done,
        };
        sim.rebuild_columns();
        sim.project();
        Ok(sim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Hebbian energy from the overlaps equals the sum over the f32 weights, to their rounding.
    #[test]
    fn the_hebbian_energy_from_overlaps_is_the_energy() {
        let sim = sim(7, 12, LearningRule::Hebb, 4);
        for k in 0..20u64 {
            let state = crate::hopfield::cue::random_state(sim.n(), &mut crate::rng::seeded(k));
            let (fast, full) = (sim.energy_fast(&state), sim.energy_of(&state));
            assert!(
                (fast - full).abs() < 1e-4 * (1.0 + full.abs()),
                "{fast} vs {full}"
            );
        }
    }
    use crate::hopfield::cue::flip_fraction;

    fn sim(p: usize, n_side: usize, rule: LearningRule, seed: u64) -> HopfieldSim {
        let mut rng = crate::rng::seeded(seed);
        let set = PatternSet::random(n_side, n_side, p, 0.0, &mut rng).expect("valid");
        HopfieldSim::new(set, rule, seed).expect("valid")
    }

    #[test]
    fn incremental_fields_match_a_fresh_computation() {
        let mut s = sim(5, 10, LearningRule::Hebb, 1);
        s.set_temperature(0.8);
        for _ in 0..20 {
            s.sweep();
        }
        let fresh = s.weights.fields(&s.state);
        for (a, b) in s.fields.iter().zip(&fresh) {
            assert!((a - b).abs() < 1e-9);
        }
        let dots: Vec<f64> = s
            .patterns
            .patterns
            .iter()
            .map(|p| super::super::observables::overlap(p, &s.state))
            .collect();
        assert_eq!(dots, s.overlaps());
    }

    #[test]
    fn a_corrupted_pattern_is_completed() {
        let mut s = sim(3, 16, LearningRule::Hebb, 2);
        let mut rng = crate::rng::seeded(3);
        let cue = flip_fraction(&s.patterns().patterns[1], 0.2, &mut rng).expect("valid");
        s.set_state(&cue).expect("valid");
        let (_, converged) = s.run_to_fixed_point(50);
        assert!(converged && s.is_fixed_point());
        assert_eq!(s.classify(), StateClass::Stored(1));
    }

    #[test]
    fn sync_step_of_a_stored_pattern_changes_nothing() {
        let mut s = sim(3, 16, LearningRule::Storkey, 4);
        let p = s.patterns().patterns[0].clone();
        s.set_state(&p).expect("valid");
        assert_eq!(s.step_sync(), 0);
    }
}
