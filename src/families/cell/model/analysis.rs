//! What the neuron lab measures: runs under a protocol, the rate at a constant current, the
//! rheobase, f-I curves, firing patterns, and the phase plane (nullclines, fixed points and their
//! stability).

use super::hh::{GateRates, reduced_dv_dt, scan_roots, steady};
use super::stimulus::StimulusPlayer;
use super::{Cell, CellError, CellKind, CellParams, Stimulus};

/// A run: samples of time, potential, slow variable and current, and every spike time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Sample times, in ms.
    pub times_ms: Vec<f64>,
    /// Membrane potential at each sample, in mV.
    pub v_mv: Vec<f64>,
    /// Slow variable at each sample (n for HH, w in pA otherwise).
    pub slow: Vec<f64>,
    /// Input current at each sample.
    pub current: Vec<f64>,
    /// Spike times, in ms.
    pub spikes_ms: Vec<f64>,
}

/// Runs a neuron from rest under `stimulus` for `duration_ms`, keeping every `sample_every`-th step.
pub fn simulate(
    params: CellParams,
    stimulus: &Stimulus,
    dt_ms: f64,
    duration_ms: f64,
    sample_every: usize,
    seed: u64,
) -> Result<Trace, CellError> {
    stimulus.validate()?;
    let mut cell = Cell::new(params, dt_ms)?;
    let mut player = StimulusPlayer::new();
    let mut rng = crate::rng::seeded(seed);
    let steps = (duration_ms / dt_ms).round() as u64;
    let mut trace = Trace::default();
    let every = sample_every.max(1) as u64;
    for k in 0..steps {
        let t = cell.time_ms();
        let current = player.current(stimulus, t, dt_ms, &mut rng);
        if let Some(spike) = cell.step(current) {
            trace.spikes_ms.push(spike);
        }
        if !cell.is_finite() {
            return Err(CellError(format!("the neuron diverged at t = {t:.3} ms")));
        }
        if (k + 1) % every == 0 {
            trace.times_ms.push(cell.time_ms());
            trace.v_mv.push(cell.v_mv());
            trace.slow.push(cell.slow());
            trace.current.push(current);
        }
    }
    Ok(trace)
}

/// Rate (Hz) under a constant `current` switched on at rest, counted over the second half of
/// `duration_ms` (after the onset transient and most of the adaptation).
pub fn steady_rate_hz(
    params: CellParams,
    current: f64,
    dt_ms: f64,
    duration_ms: f64,
) -> Result<f64, CellError> {
    let mut cell = Cell::new(params, dt_ms)?;
    let steps = (duration_ms / dt_ms).round() as u64;
    let half_ms = duration_ms / 2.0;
    let mut count = 0u32;
    for _ in 0..steps {
        if cell.step(current).is_some_and(|t| t >= half_ms) {
            count += 1;
        }
        if !cell.is_finite() {
            return Err(CellError(format!(
                "the neuron diverged at {current} {}",
                params.kind.current_unit()
            )));
        }
    }
    Ok(f64::from(count) / (half_ms / 1000.0))
}

/// The smallest constant current (to `tolerance`) that makes the neuron fire repetitively from rest:
/// at least two spikes in the second half of `duration_ms`. Bisection between `low` (silent) and
/// `high` (firing), which are checked.
pub fn rheobase(
    params: CellParams,
    dt_ms: f64,
    duration_ms: f64,
    (mut low, mut high): (f64, f64),
    tolerance: f64,
) -> Result<f64, CellError> {
    let min_rate_hz = 2.0 / (duration_ms / 2000.0);
    let fires = |current: f64| steady_rate_hz(params, current, dt_ms, duration_ms).map(|r| r >= min_rate_hz);
    if fires(low)? {
        return Err(CellError(format!("the neuron already fires at {low}")));
    }
    if !fires(high)? {
        return Err(CellError(format!("the neuron does not fire even at {high}")));
    }
    while high - low > tolerance {
        let mid = 0.5 * (low + high);
        if fires(mid)? {
            high = mid;
        } else {
            low = mid;
        }
    }
    Ok(0.5 * (low + high))
}

/// One point of an f-I curve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FiPoint {
    /// Constant current, in the model's unit.
    pub current: f64,
    /// The current over the model's rheobase.
    pub relative_current: f64,
    /// Steady rate, in Hz.
    pub rate_hz: f64,
}

/// The f-I curve of a model at `relative` multiples of its `rheobase`.
pub fn fi_curve(
    params: CellParams,
    rheobase: f64,
    relative: &[f64],
    dt_ms: f64,
    duration_ms: f64,
) -> Result<Vec<FiPoint>, CellError> {
    relative
        .iter()
        .map(|&x| {
            let current = x * rheobase;
            Ok(FiPoint {
                current,
                relative_current: x,
                rate_hz: steady_rate_hz(params, current, dt_ms, duration_ms)?,
            })
        })
        .collect()
}

/// How a neuron fires during a step (after Naud et al. 2008).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FiringPattern {
    /// Fewer than four spikes.
    Silent,
    /// Intervals equal from the first on (last/first within 20 %).
    Tonic,
    /// Intervals that lengthen gradually.
    Adapting,
    /// A burst of short intervals at the onset, then none.
    InitialBurst,
    /// Short intervals that come back after long ones.
    Bursting,
}

impl FiringPattern {
    /// The pattern's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Silent => "silent",
            Self::Tonic => "tonic",
            Self::Adapting => "adapting",
            Self::InitialBurst => "initial burst",
            Self::Bursting => "regular bursting",
        }
    }
}

/// A burst interval is shorter than the long ones by at least this factor.
const BURST_GAP: f64 = 3.0;

/// Classifies the spikes of one step: intervals split into short and long where sorted neighbours
/// differ by more than [`BURST_GAP`]; short ones only before the first long one are an initial burst,
/// short ones after a long one are bursting; without such a gap, intervals lengthening by more than
/// 20 % from first to last are adapting, else tonic.
pub fn classify_firing(spikes_ms: &[f64]) -> FiringPattern {
    if spikes_ms.len() < 4 {
        return FiringPattern::Silent;
    }
    let isis: Vec<f64> = spikes_ms.windows(2).map(|w| w[1] - w[0]).collect();
    let mut sorted = isis.clone();
    sorted.sort_by(f64::total_cmp);
    let split = sorted
        .windows(2)
        .filter(|w| w[1] > BURST_GAP * w[0])
        .map(|w| (w[0] * w[1]).sqrt())
        .next_back();
    if let Some(threshold) = split {
        let first_long = isis.iter().position(|&i| i > threshold).unwrap_or(isis.len());
        let short_later = isis[first_long..].iter().any(|&i| i <= threshold);
        return if short_later {
            FiringPattern::Bursting
        } else {
            FiringPattern::InitialBurst
        };
    }
    let (first, last) = (isis[0], isis[isis.len() - 1]);
    if last > 1.2 * first {
        FiringPattern::Adapting
    } else {
        FiringPattern::Tonic
    }
}

/// A fixed point of the phase plane.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FixedPoint {
    /// Potential, in mV.
    pub v_mv: f64,
    /// Slow variable (n, or w in pA).
    pub slow: f64,
    /// Both eigenvalues of the Jacobian have negative real parts.
    pub stable: bool,
    /// "stable node", "stable focus", "unstable focus", "unstable node" or "saddle".
    pub kind: &'static str,
}

/// The phase plane of a model at one current: the nullclines as point sets, the fixed points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhasePlane {
    /// Points (V, slow) where dV/dt = 0.
    pub v_nullcline: Vec<[f64; 2]>,
    /// Points (V, slow) where the slow variable stands still.
    pub slow_nullcline: Vec<[f64; 2]>,
    /// Where they cross.
    pub fixed_points: Vec<FixedPoint>,
    /// Potential range shown, in mV.
    pub v_range_mv: (f64, f64),
}

/// Sample points of the nullclines over the potential axis.
const PHASE_POINTS: usize = 600;

/// The phase plane at a constant `current`: the (V, w) plane of the integrate-and-fire models, and
/// the (V, n) plane of Rinzel's reduced Hodgkin-Huxley model (m = m_∞(V), h = 0.89 − 1.1 n).
pub fn phase_plane(params: &CellParams, current: f64) -> PhasePlane {
    match params.integrate_and_fire() {
        None => hh_phase_plane(params, current),
        Some(p) => {
            let from = p.e_l_mv.min(p.v_reset_mv) - 15.0;
            let to = if p.delta_t_mv > 0.0 {
                (p.v_t_mv + 4.0 * p.delta_t_mv).min(p.v_peak_mv)
            } else {
                p.v_t_mv
            };
            let grid = (0..=PHASE_POINTS).map(|k| from + (to - from) * k as f64 / PHASE_POINTS as f64);
            let v_nullcline = grid.clone().map(|v| [v, p.v_nullcline_pa(v, current)]).collect();
            let slow_nullcline = grid.map(|v| [v, p.w_nullcline_pa(v)]).collect();
            let crossing = |v: f64| p.v_nullcline_pa(v, current) - p.w_nullcline_pa(v);
            let fixed_points = scan_roots(crossing, from, to, 2000)
                .into_iter()
                .map(|v| {
                    let w = p.w_nullcline_pa(v);
                    let field = |v: f64, w: f64| {
                        [
                            (current - p.membrane_current(v) - w) / p.c_pf,
                            (p.a_ns * (v - p.e_l_mv) - w) / p.tau_w_ms,
                        ]
                    };
                    classify_fixed_point(v, w, field, 1e-4, 1e-3)
                })
                .collect();
            PhasePlane {
                v_nullcline,
                slow_nullcline,
                fixed_points,
                v_range_mv: (from, to),
            }
        }
    }
}

fn hh_phase_plane(params: &CellParams, current: f64) -> PhasePlane {
    let hh = params.hh;
    let phi = hh.phi();
    let (from, to) = (-90.0, 50.0);
    let mut v_nullcline = Vec::new();
    let mut slow_nullcline = Vec::new();
    for k in 0..=PHASE_POINTS {
        let v = from + (to - from) * k as f64 / PHASE_POINTS as f64;
        for n in scan_roots(|n| reduced_dv_dt(&hh, v, n, current), 0.0, 1.0, 200) {
            v_nullcline.push([v, n]);
        }
        slow_nullcline.push([v, steady(GateRates::at(v, phi).n)]);
    }
    let crossing = |v: f64| reduced_dv_dt(&hh, v, steady(GateRates::at(v, phi).n), current);
    let field = |v: f64, n: f64| {
        let (a, b) = GateRates::at(v, phi).n;
        [reduced_dv_dt(&hh, v, n, current), a * (1.0 - n) - b * n]
    };
    let fixed_points = scan_roots(crossing, from, to, 2800)
        .into_iter()
        .map(|v| classify_fixed_point(v, steady(GateRates::at(v, phi).n), field, 1e-4, 1e-6))
        .collect();
    PhasePlane {
        v_nullcline,
        slow_nullcline,
        fixed_points,
        v_range_mv: (from, to),
    }
}

/// Stability of a fixed point of a planar field, from the Jacobian by central differences (steps
/// `dv` and `ds`): trace and determinant decide node, focus or saddle.
fn classify_fixed_point(
    v: f64,
    s: f64,
    field: impl Fn(f64, f64) -> [f64; 2],
    dv: f64,
    ds: f64,
) -> FixedPoint {
    let (fvp, fvm) = (field(v + dv, s), field(v - dv, s));
    let (fsp, fsm) = (field(v, s + ds), field(v, s - ds));
    let j = [
        [(fvp[0] - fvm[0]) / (2.0 * dv), (fsp[0] - fsm[0]) / (2.0 * ds)],
        [(fvp[1] - fvm[1]) / (2.0 * dv), (fsp[1] - fsm[1]) / (2.0 * ds)],
    ];
    let trace = j[0][0] + j[1][1];
    let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    let focus = trace * trace < 4.0 * det;
    let (stable, kind) = if det < 0.0 {
        (false, "saddle")
    } else if trace < 0.0 {
        (true, if focus { "stable focus" } else { "stable node" })
    } else {
        (false, if focus { "unstable focus" } else { "unstable node" })
    };
    FixedPoint {
        v_mv: v,
        slow: s,
        stable,
        kind,
    }
}

/// The rheobase search range and tolerance for a model: HH in µA/cm², the others in pA.
pub fn rheobase_search(kind: CellKind) -> ((f64, f64), f64) {
    match kind {
        CellKind::HodgkinHuxley => ((0.0, 40.0), 0.005),
        _ => ((0.0, 5000.0), 0.05),
    }
}
