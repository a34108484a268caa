//! The neuron lab's views and controls: the membrane potential with the gates (HH) or the
//! adaptation current (AdEx), the input current, the phase plane with nullclines, fixed points and
//! the live trajectory, and the f-I curves of the four models; model, preset, protocol and
//! parameter controls; the f-I experiment for the Experiments window.

pub mod controls;
pub mod experiment;
pub mod views;

use super::{CellFrame, CellInfo, CellSetup, NeuronLab};
use crate::families::{FamilyUi, SpeedScale, UiCx};
use crate::views::history::Series;

/// Samples kept per trace (4 s at one sample per 0.05 ms, plus spike samples).
const TRACE_HISTORY: usize = 82_000;

/// What the app keeps of a neuron-lab scene: the latest description and bounded traces.
pub struct CellData {
    /// The latest scene description.
    pub info: CellInfo,
    /// Membrane potential over time (ms), in mV.
    pub v_mv: Series,
    /// Slow variable over time: n (HH) or w in pA.
    pub slow: Series,
    /// Gates m, h, n over time (HH only).
    pub gates: [Series; 3],
    /// Input current over time.
    pub current: Series,
    /// Spike times of the last few seconds, in ms.
    pub spikes_ms: std::collections::VecDeque<f64>,
    /// Latest simulated time, in ms.
    pub time_ms: f64,
}

impl CellData {
    /// Empty traces for a new scene.
    pub fn new(info: CellInfo) -> Self {
        Self {
            info,
            v_mv: Series::new(TRACE_HISTORY),
            slow: Series::new(TRACE_HISTORY),
            gates: std::array::from_fn(|_| Series::new(TRACE_HISTORY)),
            current: Series::new(TRACE_HISTORY),
            spikes_ms: std::collections::VecDeque::new(),
            time_ms: 0.0,
        }
    }

    /// Appends a frame; one that starts before the traces end (a rebuild) starts them afresh.
    pub fn push(&mut self, frame: CellFrame) {
        if frame.times_ms.first().is_some_and(|&t| t < self.time_ms - 1e-9) {
            *self = Self::new(self.info.clone());
        }
        for (k, &t) in frame.times_ms.iter().enumerate() {
            self.v_mv.push(t, f64::from(frame.v_mv[k]));
            self.slow.push(t, f64::from(frame.slow[k]));
            self.current.push(t, f64::from(frame.current[k]));
            if let Some(g) = frame.gates.get(k) {
                for (series, &x) in self.gates.iter_mut().zip(g) {
                    series.push(t, f64::from(x));
                }
            }
            self.time_ms = t;
        }
        self.spikes_ms.extend(&frame.spikes_ms);
        while self
            .spikes_ms
            .front()
            .is_some_and(|&t| t < self.time_ms - views::SPIKE_MEMORY_MS)
        {
            self.spikes_ms.pop_front();
        }
    }

    /// Rate over the last second of simulated time, in Hz.
    pub fn recent_rate_hz(&self) -> f64 {
        let from = self.time_ms - 1000.0;
        let count = self.spikes_ms.iter().filter(|&&t| t >= from).count();
        count as f64 / (self.time_ms.min(1000.0) / 1000.0).max(1e-3)
    }
}

/// The neuron-lab controls' own state between frames.
#[derive(Debug, Clone, Default)]
pub struct CellControls {
    /// Why the last combination of values was refused (nothing changed).
    pub refused: Option<String>,
}

impl FamilyUi for NeuronLab {
    type Data = CellData;
    type Controls = CellControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 0.25,
        min: 0.01,
        max: 4.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: CellInfo, _dark: bool) -> CellData {
        CellData::new(info)
    }

    fn set_info(data: &mut CellData, info: CellInfo, _dark: bool) {
        if info.setup.params.kind != data.info.setup.params.kind {
            let time_ms = data.time_ms;
            *data = CellData::new(info);
            data.time_ms = time_ms;
        } else {
            data.info = info;
        }
    }

    fn push(data: &mut CellData, frame: CellFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(_data: &mut CellData, _dark: bool) {}

    fn info(data: &CellData) -> CellInfo {
        data.info.clone()
    }

    fn live_setup(data: &CellData) -> CellSetup {
        data.info.setup.clone()
    }

    fn controls(_setup: &CellSetup) -> CellControls {
        CellControls::default()
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, NeuronLab>,
        controls: &mut CellControls,
        _setup: &CellSetup,
        data: Option<&CellData>,
    ) {
        if let Some(data) = data {
            controls::cell_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, NeuronLab>,
        _controls: &mut CellControls,
        data: &mut CellData,
    ) {
        views::cell_views_ui(ui, cx, data);
    }
}

impl crate::families::SceneData {
    /// The neuron lab's traces, when the scene is one.
    pub fn neuron_lab(&self) -> Option<&CellData> {
        match self {
            crate::families::SceneData::NeuronLab(data) => Some(data),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
