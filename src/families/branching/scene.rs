//! The branching-network scene the simulation thread runs: the driven network one step at a time,
//! the activity of the whole and of the observed subsample, the branching ratio estimated live from
//! the subsample, and avalanches of the undriven network on demand.

use std::collections::VecDeque;

use crate::analysis::branching::{
    BranchingNetwork, BranchingState, avalanches, duration_survival, estimate_branching, power_law_exponent,
    random_subsample, regression_slopes,
};

use super::protocol::{
    AvalancheResult, BranchingCommand, BranchingFrame, BranchingInfo, BranchingSetup, LiveEstimate,
};

/// Steps of activity the live estimate uses.
pub const ESTIMATE_WINDOW: usize = 20_000;
/// Largest lag of the regression, in steps.
pub const K_MAX: usize = 40;
/// The estimate waits for this many steps.
const MIN_ESTIMATE_STEPS: usize = 2_000;
/// Steps between two live estimates sent with the frames (each fits 40 lags over the window).
const ESTIMATE_EVERY_STEPS: u64 = 500;
/// Most records kept between two snapshots.
const MAX_PENDING_RECORDS: usize = 200_000;
/// Avalanches per measurement.
pub const AVALANCHES: usize = 5_000;
/// Longest avalanche followed, in steps.
pub const MAX_AVALANCHE_STEPS: u64 = 1_000;

/// A running branching network with its observed subsample and pending frame.
pub struct BranchingScene {
    net: BranchingNetwork,
    setup: BranchingSetup,
    preset_setup: BranchingSetup,
    watched: Vec<bool>,
    observed_units: usize,
    subsamples_drawn: u64,
    window: VecDeque<(f64, f64)>,
    frame: BranchingFrame,
    info_dirty: bool,
    /// Step of the last estimate sent (None: one is due as soon as the window is long enough).
    estimated_at: Option<u64>,
}

/// Everything a [`BranchingScene`] needs to continue exactly where it was (a session's scene).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BranchingSceneState {
    /// The setup with the current settings.
    pub setup: BranchingSetup,
    /// The setup the scene was built with.
    pub preset_setup: BranchingSetup,
    /// The network's activity and generator.
    pub network: BranchingState,
    /// Subsamples drawn so far (each draws its units from the seed and this count).
    pub subsamples_drawn: u64,
}

impl BranchingScene {
    /// Builds the scene of a setup.
    pub fn build(setup: BranchingSetup) -> Result<Self, String> {
        setup.validate()?;
        let net = BranchingNetwork::new(setup.n, setup.k, setup.m, setup.h, setup.seed)?;
        let mut scene = Self {
            net,
            watched: Vec::new(),
            observed_units: 0,
            subsamples_drawn: 0,
            preset_setup: setup.clone(),
            setup,
            window: VecDeque::new(),
            frame: BranchingFrame::default(),
            info_dirty: true,
            estimated_at: None,
        };
        scene.draw_subsample();
        Ok(scene)
    }

    /// Rebuilds a scene from a session's capture.
    pub fn restore_session(saved: BranchingSceneState) -> Result<Self, String> {
        let mut scene = Self::build(saved.setup).map_err(|e| format!("saved branching network: {e}"))?;
        let s = &scene.setup;
        scene.net = BranchingNetwork::restore(s.n, s.k, s.seed, saved.network)
            .map_err(|e| format!("saved branching network: {e}"))?;
        scene.subsamples_drawn = saved.subsamples_drawn;
        scene.draw_subsample_numbered();
        scene.preset_setup = saved.preset_setup;
        Ok(scene)
    }

    /// Captures the scene for a session file.
    pub fn save_session(&self) -> BranchingSceneState {
        BranchingSceneState {
            setup: self.setup.clone(),
            preset_setup: self.preset_setup.clone(),
            network: self.net.save(),
            subsamples_drawn: self.subsamples_drawn,
        }
    }

    fn draw_subsample(&mut self) {
        self.subsamples_drawn += 1;
        self.draw_subsample_numbered();
    }

    fn draw_subsample_numbered(&mut self) {
        let seed = crate::rng::derive_seed(self.setup.seed, 100 + self.subsamples_drawn);
        let units = random_subsample(self.setup.n, self.setup.subsample, seed);
        self.watched = vec![false; self.setup.n];
        for &u in &units {
            self.watched[u as usize] = true;
        }
        self.observed_units = units.len();
        self.window.clear();
        self.info_dirty = true;
    }

    /// The network.
    pub fn network(&self) -> &BranchingNetwork {
        &self.net
    }

    /// Advances by `steps` steps.
    pub fn advance(&mut self, steps: u64) -> Result<(), String> {
        for _ in 0..steps {
            let active = self.net.step();
            let whole = active.len() as f64;
            let seen = active.iter().filter(|&&u| self.watched[u as usize]).count() as f64;
            if self.window.len() == ESTIMATE_WINDOW {
                self.window.pop_front();
            }
            self.window.push_back((whole, seen));
            if self.frame.steps.len() < MAX_PENDING_RECORDS {
                self.frame.steps.push(self.net.steps_done() as f64);
                self.frame.activity.push(whole as f32);
                self.frame.observed.push(seen as f32);
            }
            if whole as usize == self.setup.n && self.setup.m > 1.0 {
                return Err(format!(
                    "every unit is active: at m = {} the activity ran away; lower m",
                    self.setup.m
                ));
            }
        }
        Ok(())
    }

    /// The estimate over the recent window, with the subsample's regression slopes.
    pub fn estimate(&self) -> Option<(LiveEstimate, Vec<f64>)> {
        if self.window.len() < MIN_ESTIMATE_STEPS {
            return None;
        }
        let (whole, observed): (Vec<f64>, Vec<f64>) = self.window.iter().copied().unzip();
        let e = estimate_branching(&observed, K_MAX)?;
        let m_whole = regression_slopes(&whole, 1).first().copied().unwrap_or(f64::NAN);
        Some((
            LiveEstimate {
                m_mr: e.m_mr,
                b: e.b,
                m_conventional: e.m_conventional,
                m_whole,
                fit_r2: e.fit_r2,
                steps: self.window.len(),
            },
            e.slopes,
        ))
    }

    fn measure_avalanches(&self) -> Result<AvalancheResult, String> {
        let s = &self.setup;
        let mut undriven =
            BranchingNetwork::new(s.n, s.k, s.m.min(1.0), 0.0, crate::rng::derive_seed(s.seed, 7))?;
        let list = avalanches(&mut undriven, AVALANCHES, MAX_AVALANCHE_STEPS, s.seed);
        let sizes: Vec<u64> = list.iter().map(|a| a.size).collect();
        let durations: Vec<u64> = list.iter().map(|a| a.duration).collect();
        Ok(AvalancheResult {
            m: s.m.min(1.0),
            size_exponent: power_law_exponent(&sizes, 10, 1000),
            duration_exponent: power_law_exponent(&durations, 5, 300),
            duration_survival: duration_survival(s.k, s.m.min(1.0), 300),
            avalanches: list.iter().map(|a| (a.size, a.duration)).collect(),
        })
    }

    /// Applies a command; returns a notice for the status bar if there is one.
    pub fn apply(&mut self, command: &BranchingCommand) -> Result<Option<String>, String> {
        match command {
            BranchingCommand::SetM(m) => {
                let next = BranchingSetup {
                    m: *m,
                    ..self.setup.clone()
                };
                next.validate()?;
                self.net.set_m(*m)?;
                self.setup = next;
                self.window.clear();
                self.info_dirty = true;
                Ok(None)
            }
            BranchingCommand::SetH(h) => {
                let next = BranchingSetup {
                    h: *h,
                    ..self.setup.clone()
                };
                next.validate()?;
                self.net.set_h(*h)?;
                self.setup = next;
                self.window.clear();
                self.info_dirty = true;
                Ok(None)
            }
            BranchingCommand::SetSubsample(fraction) => {
                let next = BranchingSetup {
                    subsample: *fraction,
                    ..self.setup.clone()
                };
                next.validate()?;
                self.setup = next;
                self.draw_subsample();
                Ok(Some(format!(
                    "observing {} of {} units",
                    self.observed_units, self.setup.n
                )))
            }
            BranchingCommand::MeasureAvalanches => {
                let result = self.measure_avalanches()?;
                let notice = format!(
                    "{} avalanches at m = {}: size exponent {}, duration exponent {}",
                    result.avalanches.len(),
                    result.m,
                    result.size_exponent.map_or("–".into(), |e| format!("{e:.2}")),
                    result.duration_exponent.map_or("–".into(), |e| format!("{e:.2}")),
                );
                self.frame.avalanches = Some(result);
                Ok(Some(notice))
            }
        }
    }

    /// The scene description, if it changed since the last call.
    pub fn take_info(&mut self) -> Option<BranchingInfo> {
        if !std::mem::take(&mut self.info_dirty) {
            return None;
        }
        let s = &self.setup;
        Some(BranchingInfo {
            setup: s.clone(),
            preset_setup: self.preset_setup.clone(),
            observed_units: self.observed_units,
            theory_mean_activity: (s.m < 1.0).then(|| s.h / (1.0 - s.m)),
        })
    }

    /// The data produced since the last call, with a fresh estimate every
    /// [`ESTIMATE_EVERY_STEPS`] steps (the views keep the last one in between).
    pub fn take_frame(&mut self) -> BranchingFrame {
        let mut frame = std::mem::take(&mut self.frame);
        let now = self.net.steps_done();
        if self.window.len() < MIN_ESTIMATE_STEPS {
            self.estimated_at = None;
        } else if self
            .estimated_at
            .is_none_or(|at| now >= at + ESTIMATE_EVERY_STEPS)
        {
            frame.estimate = self.estimate();
            self.estimated_at = Some(now);
        }
        frame
    }
}

impl crate::families::FamilyScene<super::Branching> for BranchingScene {
    fn setup(&self) -> BranchingSetup {
        self.setup.clone()
    }

    fn sim_time(&self) -> f64 {
        self.net.steps_done() as f64
    }

    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    fn advance(&mut self, steps: u64) -> Result<(), String> {
        BranchingScene::advance(self, steps)
    }

    fn apply(&mut self, command: &BranchingCommand) -> Result<Option<String>, String> {
        BranchingScene::apply(self, command)
    }

    fn take_info(&mut self) -> Option<BranchingInfo> {
        BranchingScene::take_info(self)
    }

    fn take_frame(&mut self) -> BranchingFrame {
        BranchingScene::take_frame(self)
    }

    fn save(&self) -> BranchingSceneState {
        self.save_session()
    }
}
