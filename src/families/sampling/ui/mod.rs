//! The sampling family's views and controls: the probability of every state, exact beside each
//! sampler; the KL distance from the exact distribution on log-log axes with the 1/t line; the
//! marginals; the neural sampler's raster with each spike's τ-long "on" window; and controls for
//! the distribution, the temperature and the evidence.

pub mod controls;
pub mod experiment;
pub mod machine;
pub mod views;

use std::collections::VecDeque;

use super::{DistancePoint, SamplersNow, Sampling, SamplingFrame, SamplingInfo, SamplingSetup};
use crate::families::{FamilyUi, SpeedScale, UiCx};

/// Spikes of the raster kept: the last two seconds.
const RASTER_KEEP_MS: f64 = 2000.0;
/// Dreams kept for the strip of grids.
const MAX_DREAMS: usize = 24;
/// Distance points kept (20 a decade: 200 cover 10 decades).
const MAX_DISTANCES: usize = 400;

/// What the app keeps of a sampling scene.
pub struct SamplingData {
    /// The latest scene description.
    pub info: SamplingInfo,
    /// Distances from the exact distribution since the target last changed.
    pub distances: Vec<DistancePoint>,
    /// The samplers at the latest frame.
    pub now: Option<SamplersNow>,
    /// Recent spikes of the neural sampler: (time in ms, neuron).
    pub spikes: VecDeque<(f64, u16)>,
    /// Latest simulated time, in ms.
    pub time_ms: f64,
    /// A learning machine: (epoch, mean log-likelihood of the data).
    pub learning: Vec<[f64; 2]>,
    /// A learning machine's latest dreams (visible units), oldest first.
    pub dreams: VecDeque<Vec<u8>>,
    /// A learning machine's sampled p(v_k = 1) since the evidence last changed.
    pub visible_marginals: Vec<f64>,
    /// Fraction of its dreams that are bars or stripes.
    pub valid_fraction: f64,
    /// Epochs the machine has learned.
    pub epochs_done: u64,
}

impl SamplingData {
    /// Empty histories for a scene described by `info`.
    pub fn new(info: SamplingInfo) -> Self {
        Self {
            time_ms: info.since_ms,
            info,
            distances: Vec::new(),
            now: None,
            spikes: VecDeque::new(),
            learning: Vec::new(),
            dreams: VecDeque::new(),
            visible_marginals: Vec::new(),
            valid_fraction: f64::NAN,
            epochs_done: 0,
        }
    }

    /// Appends a frame.
    pub fn push(&mut self, frame: SamplingFrame) {
        if let Some(machine) = frame.machine {
            for (epoch, ll) in machine.epochs {
                // A machine learning again (a rebuild) starts the curve afresh.
                if self.learning.last().is_some_and(|p| epoch as f64 <= p[0]) {
                    self.learning.clear();
                }
                self.learning.push([epoch as f64, ll]);
            }
            self.epochs_done = machine.epochs_done;
            self.dreams.extend(machine.dreams);
            while self.dreams.len() > MAX_DREAMS {
                self.dreams.pop_front();
            }
            self.visible_marginals = machine.visible_marginals;
            self.valid_fraction = machine.valid_fraction;
        }
        for p in frame.distances {
            if self
                .distances
                .last()
                .is_some_and(|last| p.samples <= last.samples)
            {
                self.distances.clear();
            }
            if self.distances.len() < MAX_DISTANCES {
                self.distances.push(p);
            }
        }
        if let Some(&(t, _)) = frame.spikes.first()
            && self.spikes.back().is_some_and(|&(last, _)| t < last)
        {
            self.spikes.clear();
        }
        self.spikes.extend(frame.spikes);
        if let Some(now) = frame.now {
            self.time_ms = self.info.since_ms + now.samples as f64;
            self.now = Some(now);
        }
        while self
            .spikes
            .front()
            .is_some_and(|&(t, _)| t < self.time_ms - RASTER_KEEP_MS)
        {
            self.spikes.pop_front();
        }
    }
}

/// The controls' own state between frames.
#[derive(Debug, Clone)]
pub struct SamplingControls {
    /// Which samplers the plots show (in `SamplerKind::ALL` order).
    pub shown: [bool; 4],
    /// The distance plot shows total variation instead of KL.
    pub show_tv: bool,
    /// The setup the scene was built from (the preset marks of the sliders).
    pub preset: SamplingSetup,
}

impl FamilyUi for Sampling {
    type Data = SamplingData;
    type Controls = SamplingControls;
    const SPEED: SpeedScale = SpeedScale {
        unit: "× real time",
        default: 1.0,
        min: 0.1,
        max: 100.0,
        engine_per_unit: 1000.0,
    };

    fn data(info: SamplingInfo, _dark: bool) -> SamplingData {
        SamplingData::new(info)
    }

    fn set_info(data: &mut SamplingData, info: SamplingInfo, _dark: bool) {
        if info.machine.is_some() && info.setup == data.info.setup {
            // The same machine: new evidence or the end of learning keeps the learning curve.
            let learning = std::mem::take(&mut data.learning);
            let dreams = std::mem::take(&mut data.dreams);
            *data = SamplingData::new(info);
            data.learning = learning;
            data.dreams = dreams;
            data.epochs_done = data.info.machine.as_ref().map_or(0, |m| m.epochs_done);
            return;
        }
        let keep_spikes = info.units == data.info.units && info.setup.seed == data.info.setup.seed;
        let spikes = std::mem::take(&mut data.spikes);
        *data = SamplingData::new(info);
        if keep_spikes {
            data.spikes = spikes;
        }
    }

    fn push(data: &mut SamplingData, frame: SamplingFrame, _dark: bool) {
        data.push(frame);
    }

    fn restyle(_data: &mut SamplingData, _dark: bool) {}

    fn info(data: &SamplingData) -> SamplingInfo {
        data.info.clone()
    }

    fn live_setup(data: &SamplingData) -> SamplingSetup {
        SamplingSetup {
            temperature: data.info.temperature,
            clamp: super::clamp_text(&data.info.clamp),
            ..data.info.setup.clone()
        }
    }

    fn controls(setup: &SamplingSetup) -> SamplingControls {
        SamplingControls {
            shown: [true; 4],
            show_tv: false,
            preset: setup.clone(),
        }
    }

    fn controls_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Sampling>,
        controls: &mut SamplingControls,
        _setup: &SamplingSetup,
        data: Option<&SamplingData>,
    ) {
        if let Some(data) = data {
            controls::sampling_controls_ui(ui, cx, controls, data);
        }
    }

    fn views_ui(
        ui: &mut egui::Ui,
        cx: &mut UiCx<'_, Sampling>,
        controls: &mut SamplingControls,
        data: &mut SamplingData,
    ) {
        views::sampling_views_ui(ui, cx, controls, data);
    }
}
