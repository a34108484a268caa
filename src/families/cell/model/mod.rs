//! The neuron lab's pure model: one neuron at a time, Hodgkin-Huxley or an integrate-and-fire neuron
//! (LIF, EIF, AdEx), under a current protocol; spike detection, f-I curves, rheobases, firing
//! patterns and phase planes. No egui, threads or files; deterministic for a seed.

pub mod adex;
pub mod analysis;
pub mod hh;
pub mod stimulus;
#[cfg(test)]
mod tests;

pub use adex::{AdexNeuron, AdexParams, AdexPreset};
pub use analysis::{
    FiPoint, FiringPattern, FixedPoint, PhasePlane, Trace, classify_firing, fi_curve, phase_plane, rheobase,
    simulate, steady_rate_hz,
};
pub use hh::{HhNeuron, HhParams};
pub use stimulus::{InputShape, Stimulus};

/// A value or combination the neuron lab refuses, in words naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError(pub String);

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

/// Where an upward crossing counts as a Hodgkin-Huxley spike, in mV.
pub const HH_SPIKE_DETECT_MV: f64 = 0.0;

/// Which neuron model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellKind {
    /// Hodgkin-Huxley (type II: a jump to a finite rate at the onset of repetitive firing).
    #[default]
    HodgkinHuxley,
    /// Adaptive exponential integrate-and-fire.
    Adex,
    /// Exponential integrate-and-fire (the AdEx without adaptation).
    Eif,
    /// Leaky integrate-and-fire (no exponential, no adaptation).
    Lif,
}

impl CellKind {
    /// Every model, in the order the menus and the f-I plot show them.
    pub const ALL: [CellKind; 4] = [Self::HodgkinHuxley, Self::Adex, Self::Eif, Self::Lif];

    /// The model's short name.
    pub fn label(self) -> &'static str {
        match self {
            Self::HodgkinHuxley => "Hodgkin-Huxley",
            Self::Adex => "AdEx",
            Self::Eif => "EIF",
            Self::Lif => "LIF",
        }
    }

    /// The unit of the input current.
    pub fn current_unit(self) -> &'static str {
        match self {
            Self::HodgkinHuxley => "µA/cm²",
            _ => "pA",
        }
    }
}

/// Parameters of every model; `kind` says which one runs (EIF and LIF are the AdEx's membrane
/// without adaptation, and without the exponential).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellParams {
    /// The model that runs.
    pub kind: CellKind,
    /// The Hodgkin-Huxley membrane.
    #[serde(default)]
    pub hh: HhParams,
    /// The AdEx (whose membrane the EIF and LIF share).
    #[serde(default)]
    pub adex: AdexParams,
}

impl CellParams {
    /// The parameters of `kind` with everything else from `self`.
    pub fn with_kind(self, kind: CellKind) -> Self {
        Self { kind, ..self }
    }

    /// The integrate-and-fire parameters the model runs with (None for Hodgkin-Huxley).
    pub fn integrate_and_fire(&self) -> Option<AdexParams> {
        match self.kind {
            CellKind::HodgkinHuxley => None,
            CellKind::Adex => Some(self.adex),
            CellKind::Eif => Some(self.adex.eif()),
            CellKind::Lif => Some(self.adex.lif()),
        }
    }

    /// Checks the running model's values, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), CellError> {
        match self.integrate_and_fire() {
            None => self.hh.validate(),
            Some(p) => p.validate(),
        }
    }
}

/// The state of one neuron of either kind.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CellState {
    /// Potential and the three gates.
    HodgkinHuxley(HhNeuron),
    /// Potential and adaptation current.
    IntegrateAndFire(AdexNeuron),
}

/// One neuron stepping in time: parameters, state, step, and the spike detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    params: CellParams,
    if_params: Option<AdexParams>,
    state: CellState,
    dt_ms: f64,
    steps: u64,
}

/// The largest step a run may take, in ms (HH's fast sodium gate needs ≤ 0.05 ms).
pub const MAX_DT_MS: f64 = 0.05;

impl Cell {
    /// A neuron at rest, with checked parameters and step.
    pub fn new(params: CellParams, dt_ms: f64) -> Result<Self, CellError> {
        params.validate()?;
        if !(dt_ms.is_finite() && dt_ms > 0.0 && dt_ms <= MAX_DT_MS) {
            return Err(CellError(format!(
                "dt must be between 0 and {MAX_DT_MS} ms, not {dt_ms}"
            )));
        }
        let if_params = params.integrate_and_fire();
        let state = match if_params {
            None => CellState::HodgkinHuxley(HhNeuron::at_rest(&params.hh)),
            Some(p) => CellState::IntegrateAndFire(AdexNeuron::at_rest(&p)),
        };
        Ok(Self {
            params,
            if_params,
            state,
            dt_ms,
            steps: 0,
        })
    }

    /// A neuron continuing from a saved state (checked against the model).
    pub fn restore(params: CellParams, dt_ms: f64, state: CellState, steps: u64) -> Result<Self, CellError> {
        let mut cell = Self::new(params, dt_ms)?;
        let matches = matches!(
            (&cell.state, &state),
            (CellState::HodgkinHuxley(_), CellState::HodgkinHuxley(_))
                | (CellState::IntegrateAndFire(_), CellState::IntegrateAndFire(_))
        );
        if !matches {
            return Err(CellError(format!(
                "the saved state is not one of a {} neuron",
                params.kind.label()
            )));
        }
        cell.state = state;
        cell.steps = steps;
        if !cell.is_finite() {
            return Err(CellError(
                "the saved state holds a value that is not a number".into(),
            ));
        }
        Ok(cell)
    }

    /// The parameters.
    pub fn params(&self) -> &CellParams {
        &self.params
    }

    /// The state.
    pub fn state(&self) -> &CellState {
        &self.state
    }

    /// The step, in ms.
    pub fn dt_ms(&self) -> f64 {
        self.dt_ms
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Simulated time, in ms.
    pub fn time_ms(&self) -> f64 {
        self.steps as f64 * self.dt_ms
    }

    /// Membrane potential, in mV.
    pub fn v_mv(&self) -> f64 {
        match &self.state {
            CellState::HodgkinHuxley(n) => n.v_mv,
            CellState::IntegrateAndFire(n) => n.v_mv,
        }
    }

    /// The slow variable of the phase plane: n (HH) or w in pA.
    pub fn slow(&self) -> f64 {
        match &self.state {
            CellState::HodgkinHuxley(n) => n.n,
            CellState::IntegrateAndFire(n) => n.w_pa,
        }
    }

    /// The gates m, h, n of a Hodgkin-Huxley neuron.
    pub fn gates(&self) -> Option<[f64; 3]> {
        match &self.state {
            CellState::HodgkinHuxley(n) => Some([n.m, n.h, n.n]),
            CellState::IntegrateAndFire(_) => None,
        }
    }

    /// True when every state value is a finite number.
    pub fn is_finite(&self) -> bool {
        match &self.state {
            CellState::HodgkinHuxley(n) => n.is_finite(),
            CellState::IntegrateAndFire(n) => n.is_finite(),
        }
    }

    /// Advances one step with input `current` (µA/cm² for HH, pA otherwise). Returns the time of a
    /// spike in this step, in ms: the interpolated upward crossing of 0 mV (HH), or the end of the
    /// step at which V reached the cut-off (integrate-and-fire).
    pub fn step(&mut self, current: f64) -> Option<f64> {
        let t0 = self.time_ms();
        self.steps += 1;
        match (&mut self.state, &self.if_params) {
            (CellState::HodgkinHuxley(n), _) => {
                let before = n.v_mv;
                n.step(&self.params.hh, current, self.dt_ms);
                (before < HH_SPIKE_DETECT_MV && n.v_mv >= HH_SPIKE_DETECT_MV)
                    .then(|| t0 + self.dt_ms * (HH_SPIKE_DETECT_MV - before) / (n.v_mv - before))
            }
            (CellState::IntegrateAndFire(n), Some(p)) => {
                let end = (self.steps as f64) * self.dt_ms;
                n.step(p, current, self.dt_ms).then_some(end)
            }
            (CellState::IntegrateAndFire(_), None) => None,
        }
    }

    /// Puts the neuron back at rest (time goes on).
    pub fn rest(&mut self) {
        self.state = match self.if_params {
            None => CellState::HodgkinHuxley(HhNeuron::at_rest(&self.params.hh)),
            Some(p) => CellState::IntegrateAndFire(AdexNeuron::at_rest(&p)),
        };
    }

    /// New parameters of the same kind keep the state; another kind starts at rest.
    pub fn set_params(&mut self, params: CellParams) -> Result<(), CellError> {
        params.validate()?;
        let same_kind = params.kind == self.params.kind;
        self.params = params;
        self.if_params = params.integrate_and_fire();
        if !same_kind {
            self.rest();
        } else if let (CellState::IntegrateAndFire(n), Some(p)) = (&mut self.state, self.if_params)
            && n.v_mv >= p.spike_at_mv()
        {
            n.v_mv = p.v_reset_mv;
        }
        Ok(())
    }
}
