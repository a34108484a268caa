//! The Hopfield family's experiments for the Experiments window: retrieval versus load (with the
//! AGS capacity), versus cue corruption (with the one-step theory), and the overlap versus Glauber
//! temperature (with m = tanh(m/T)).

use egui_plot::{Corner, HLine, Line, LineStyle, MarkerShape, PlotPoints, Points, VLine};

use crate::analysis::hopfield_theory::AGS_CRITICAL_LOAD;
use crate::families::hopfield::Hopfield;
use crate::families::hopfield::model::{DenseUpdate, LearningRule, UpdateMode};
use crate::families::hopfield::sweeps::{self, RecallPoint, RecallSetup, TemperaturePoint};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::{Offset, Progress};
use crate::views::{experiment_plot, theme};

/// The Hopfield experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HopfieldExperiment {
    /// Retrieval versus load, per learning rule and for a dense network, with the AGS line.
    Capacity,
    /// Retrieval versus cue corruption at a fixed load (basins of attraction).
    Basins,
    /// Overlap versus temperature with the mean-field curve.
    Temperature,
}

/// What the user set for the Hopfield experiments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HopfieldExperimentSettings {
    /// Network size N.
    pub n: usize,
    /// Independent pattern sets per point.
    pub trials: usize,
    /// Load α of the basins experiment.
    pub basin_alpha: f64,
}

impl Default for HopfieldExperimentSettings {
    fn default() -> Self {
        Self {
            n: 200,
            trials: 20,
            basin_alpha: 0.05,
        }
    }
}

/// A Hopfield experiment's result, partial while it runs.
#[derive(Debug, Clone)]
pub enum HopfieldResult {
    /// Capacity curves, one per network (classical rules and a dense network).
    Capacity(Vec<(String, Vec<RecallPoint>)>),
    /// Basin curves at load `alpha`, one per network.
    Basins {
        /// Load α = P/N.
        alpha: f64,
        /// One curve per network.
        curves: Vec<(String, Vec<RecallPoint>)>,
    },
    /// Overlap versus temperature.
    Temperature(Vec<TemperaturePoint>),
}

/// Loads of the capacity experiment for one network (a name of [`recall_networks`]): 14 loads
/// spaced evenly in log α from 0.02 to where that network surely fails, so that each rule's failure
/// shows on one log axis: Hebb 0.4 (AGS: 0.138), Storkey 0.6, the pseudo-inverse 0.95 (P < N), the
/// dense network with F = exp 4 (P = 4N; its capacity grows exponentially with N).
pub fn capacity_alphas(network: &str) -> Vec<f64> {
    let last = match network {
        "hebb" => 0.4,
        "storkey" => 0.6,
        "pseudo-inverse" => 0.95,
        _ => 4.0,
    };
    let first: f64 = 0.02;
    (0..CAPACITY_LOADS)
        .map(|k| first * (last / first).powf(k as f64 / (CAPACITY_LOADS - 1) as f64))
        .collect()
}

/// Loads per network in the capacity experiment.
const CAPACITY_LOADS: usize = 14;

/// Cue corruptions of the basins experiment: 0 to 0.5 in steps of 0.05.
pub fn basin_flips() -> Vec<f64> {
    (0..=10).map(|k| k as f64 / 20.0).collect()
}

/// The networks the recall experiments compare: name, learning rule, update.
pub fn recall_networks() -> [(&'static str, LearningRule, UpdateMode); 4] {
    [
        ("hebb", LearningRule::Hebb, UpdateMode::Classical),
        ("storkey", LearningRule::Storkey, UpdateMode::Classical),
        (
            "pseudo-inverse",
            LearningRule::PseudoInverse,
            UpdateMode::Classical,
        ),
        (
            "dense (exp)",
            LearningRule::Hebb,
            UpdateMode::Dense(DenseUpdate::Exp),
        ),
    ]
}

impl FamilyExperiments for Hopfield {
    type Kind = HopfieldExperiment;
    type Settings = HopfieldExperimentSettings;
    type Result = HopfieldResult;
    const TABS: &'static [ExperimentTab<HopfieldExperiment>] = &[
        (
            HopfieldExperiment::Capacity,
            "capacity",
            "Retrieval versus load α = P/N for each learning rule and a dense network",
        ),
        (
            HopfieldExperiment::Basins,
            "basins",
            "Retrieval versus cue corruption at a fixed load: how far a cue may be from a memory",
        ),
        (
            HopfieldExperiment::Temperature,
            "temperature",
            "Overlap versus Glauber temperature, with m = tanh(m/T)",
        ),
    ];

    fn describe(kind: HopfieldExperiment, s: &HopfieldExperimentSettings) -> String {
        match kind {
            HopfieldExperiment::Basins => format!(
                "N = {}, {}, load α = {}",
                s.n,
                crate::output::counted(s.trials as u64, "trial"),
                s.basin_alpha
            ),
            // The temperature sweep follows one network through the temperatures: no trials.
            HopfieldExperiment::Temperature => format!("N = {}", s.n),
            HopfieldExperiment::Capacity => {
                format!(
                    "N = {}, {}",
                    s.n,
                    crate::output::counted(s.trials as u64, "trial")
                )
            }
        }
    }

    fn settings_ui(ui: &mut egui::Ui, kind: HopfieldExperiment, s: &mut HopfieldExperimentSettings) {
        let slider = crate::views::widgets::param_slider;
        let count = crate::views::widgets::count_slider;
        let tip = "Number of neurons; larger is closer to theory and slower";
        count(ui, &mut s.n, 50..=1000, "neurons N", tip, Some(200));
        if kind != HopfieldExperiment::Temperature {
            let tip = "Independent pattern sets per point";
            count(ui, &mut s.trials, 1..=50, "trials", tip, Some(20));
        }
        if kind == HopfieldExperiment::Basins {
            let tip = "Stored patterns per neuron, P/N";
            slider(ui, &mut s.basin_alpha, 0.01..=0.3, "load α", "", tip, Some(0.05));
        }
    }

    fn run(
        kind: HopfieldExperiment,
        settings: &HopfieldExperimentSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&HopfieldResult),
    ) -> Result<HopfieldResult, String> {
        run_hopfield(kind, settings, seed, progress, on_partial)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &HopfieldResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        match result {
            HopfieldResult::Capacity(curves) => {
                let alpha_label = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
                    let alpha = 10f64.powf(mark.value);
                    if alpha >= 1.0 {
                        format!("{alpha:.0}")
                    } else {
                        format!("{alpha:.2}")
                    }
                };
                experiment_plot("capacity", Corner::LeftBottom)
                    .x_axis_label("load α = P/N (log scale)")
                    .y_axis_label("fraction retrieved (m ≥ 0.9)")
                    .x_grid_spacer(egui_plot::log_grid_spacer(10))
                    .x_axis_formatter(alpha_label)
                    .include_x(0.02f64.log10())
                    .include_x(4f64.log10())
                    .include_y(0.0)
                    .include_y(1.0)
                    .label_formatter(|hover| match hover {
                        egui_plot::HoverPosition::NearDataPoint {
                            plot_name, position, ..
                        } => Some(format!(
                            "{plot_name}\nα = {:.3}: {:.2} retrieved",
                            10f64.powf(position.x),
                            position.y
                        )),
                        _ => None,
                    })
                    .show(ui, |plot| {
                        crate::views::kept_runs::draw(plot, kept);
                        recall_curves(plot, curves, |p| [p.alpha.log10(), p.retrieved_fraction]);
                        plot.vline(
                            VLine::new("AGS α_c = 0.138", AGS_CRITICAL_LOAD.log10())
                                .color(theme::theory(dark)),
                        );
                    });
                ui.label(
                    "Hebb fails near the AGS load α_c = 0.138 (later at small N), Storkey near 0.3 and the \
                 pseudo-inverse, which decorrelates the patterns, near 0.5 (a 10 %-flipped cue leaves its \
                 shrinking basins well before P reaches N); the dense network with F(x) = exp(x) still \
                 retrieves at P = 4N (its capacity grows exponentially with N). Each rule is swept to where \
                 it fails, 20 trials a load.",
                );
            }
            HopfieldResult::Basins { alpha, curves } => {
                let alpha = *alpha;
                experiment_plot("basins", Corner::LeftBottom)
                    .x_axis_label("cue corruption F (fraction of bits flipped)")
                    .y_axis_label("final overlap m with the cued pattern")
                    .include_x(0.0)
                    .include_x(0.5)
                    .include_y(0.0)
                    .include_y(1.0)
                    .show(ui, |plot| {
                        crate::views::kept_runs::draw(plot, kept);
                        recall_curves(plot, curves, |p| [p.cue_flip, p.mean_overlap]);
                        plot.hline(
                            HLine::new(
                                "retrieved: m ≥ 0.9",
                                crate::families::hopfield::model::observables::RETRIEVED_OVERLAP,
                            )
                            .color(theme::theory(dark))
                            .width(0.5),
                        );
                        let one_step: Vec<[f64; 2]> = (0..=100)
                            .map(|k| {
                                let f = 0.005 * k as f64;
                                [f, sweeps::one_step_overlap(alpha, f)]
                            })
                            .collect();
                        plot.line(
                            Line::new("theory: overlap after one step, Hebb", PlotPoints::from(one_step))
                                .color(theme::theory(dark))
                                .style(LineStyle::dashed_loose()),
                        );
                        let cue: Vec<[f64; 2]> = vec![[0.0, 1.0], [0.5, 0.0]];
                        plot.line(
                            Line::new("cue overlap 1 - 2F", PlotPoints::from(cue))
                                .color(theme::theory(dark))
                                .style(LineStyle::dotted_dense()),
                        );
                    });
                ui.label(format!(
                    "Load α = {alpha}; mean final overlap over the trials (the CSV also has the fraction \
                 retrieved). The basin is the range of corruptions the network corrects. Dashed: Hebbian \
                 overlap after one parallel step, erf((1 - 2F) / sqrt(2α)); dotted: the cue itself."
                ));
            }
            HopfieldResult::Temperature(points) => {
                experiment_plot("temperature", Corner::RightTop)
                    .x_axis_label("temperature T")
                    .y_axis_label("overlap |m|")
                    .show(ui, |plot| {
                        crate::views::kept_runs::draw(plot, kept);
                        let theory: Vec<[f64; 2]> = (0..=150)
                            .map(|k| {
                                let t = 0.01 * k as f64;
                                [t, crate::analysis::hopfield_theory::mean_field_overlap(t)]
                            })
                            .collect();
                        plot.line(
                            Line::new("mean field m = tanh(m/T)", PlotPoints::from(theory))
                                .color(theme::theory(dark)),
                        );
                        let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.temperature, p.overlap]).collect();
                        plot.points(
                            Points::new("simulation", PlotPoints::from(xy))
                                .color(theme::pattern(0))
                                .radius(4.0),
                        );
                    });
            }
        }
    }

    fn series(result: &HopfieldResult) -> Vec<crate::views::kept_runs::Series> {
        let curves = |curves: &[(String, Vec<RecallPoint>)], xy: fn(&RecallPoint) -> [f64; 2]| {
            curves
                .iter()
                .map(|(name, points)| (name.clone(), points.iter().map(xy).collect()))
                .collect()
        };
        match result {
            HopfieldResult::Capacity(c) => curves(c, |p| [p.alpha.log10(), p.retrieved_fraction]),
            HopfieldResult::Basins { curves: c, .. } => curves(c, |p| [p.cue_flip, p.mean_overlap]),
            HopfieldResult::Temperature(points) => vec![(
                "simulation".to_string(),
                points.iter().map(|p| [p.temperature, p.overlap]).collect(),
            )],
        }
    }

    fn csv(result: &HopfieldResult) -> String {
        let mut out = String::new();
        match result {
            HopfieldResult::Capacity(curves) => {
                out += "network,alpha,patterns,trials,retrieved_fraction,mean_overlap\n";
                for (name, points) in curves {
                    for p in points {
                        out += &format!(
                            "{name},{},{},{},{},{}\n",
                            p.alpha, p.patterns, p.trials, p.retrieved_fraction, p.mean_overlap
                        );
                    }
                }
            }
            HopfieldResult::Basins { alpha, curves } => {
                out += "network,alpha,cue_flip,patterns,trials,retrieved_fraction,mean_overlap,\
                    exact_recall_fraction,one_step_theory_hebb\n";
                for (name, points) in curves {
                    for p in points {
                        out += &format!(
                            "{name},{alpha},{},{},{},{},{},{},{}\n",
                            p.cue_flip,
                            p.patterns,
                            p.trials,
                            p.retrieved_fraction,
                            p.mean_overlap,
                            p.exact_recall_fraction,
                            sweeps::one_step_overlap(*alpha, p.cue_flip)
                        );
                    }
                }
            }
            HopfieldResult::Temperature(points) => {
                out += "temperature,overlap,mean_field\n";
                for p in points {
                    out += &format!("{},{},{}\n", p.temperature, p.overlap, p.mean_field);
                }
            }
        }
        out
    }
}

/// Runs one Hopfield experiment (see [`FamilyExperiments::run`]).
fn run_hopfield(
    kind: HopfieldExperiment,
    s: &HopfieldExperimentSettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&HopfieldResult),
) -> Result<HopfieldResult, String> {
    match kind {
        HopfieldExperiment::Capacity | HopfieldExperiment::Basins => {
            let networks = recall_networks();
            let capacity = kind == HopfieldExperiment::Capacity;
            let xs_of = |name: &str| {
                if capacity {
                    capacity_alphas(name)
                } else {
                    basin_flips()
                }
            };
            let per_network = xs_of("hebb").len() * s.trials;
            let total = networks.len() * per_network;
            let wrap = |curves: &Vec<(String, Vec<RecallPoint>)>| {
                if capacity {
                    HopfieldResult::Capacity(curves.clone())
                } else {
                    HopfieldResult::Basins {
                        alpha: s.basin_alpha,
                        curves: curves.clone(),
                    }
                }
            };
            let mut curves: Vec<(String, Vec<RecallPoint>)> = Vec::new();
            for (k, (name, rule, update)) in networks.into_iter().enumerate() {
                if progress.cancelled() {
                    break;
                }
                let setup = RecallSetup {
                    n: s.n,
                    rule,
                    update,
                    trials: s.trials,
                    seed,
                };
                curves.push((name.to_string(), Vec::new()));
                let mut p = Offset {
                    inner: &mut *progress,
                    offset: k * per_network,
                    total,
                };
                let mut on_point = |point: &RecallPoint| {
                    curves[k].1.push(point.clone());
                    on_partial(&wrap(&curves));
                };
                let swept = if capacity {
                    sweeps::capacity_sweep_live(&setup, &xs_of(name), 0.1, &mut p, &mut on_point)
                } else {
                    sweeps::basin_sweep_live(&setup, s.basin_alpha, &xs_of(name), &mut p, &mut on_point)
                };
                swept.map_err(|e| e.to_string())?;
            }
            Ok(wrap(&curves))
        }
        HopfieldExperiment::Temperature => {
            let temperatures: Vec<f64> = (1..=15).map(|k| 0.1 * k as f64).collect();
            let mut points = Vec::new();
            sweeps::temperature_sweep_live(
                s.n,
                1,
                &temperatures,
                100,
                20,
                LearningRule::Hebb,
                seed,
                progress,
                &mut |point| {
                    points.push(point.clone());
                    on_partial(&HopfieldResult::Temperature(points.clone()));
                },
            )
            .map(HopfieldResult::Temperature)
            .map_err(|e| e.to_string())
        }
    }
}

/// Draws one curve per network. Curves often coincide (every network retrieves at low load), so each
/// has its own marker and the earlier ones are drawn wider, leaving every curve visible under the next.
fn recall_curves(
    plot: &mut egui_plot::PlotUi<'_>,
    curves: &[(String, Vec<RecallPoint>)],
    xy: fn(&RecallPoint) -> [f64; 2],
) {
    const SHAPES: [MarkerShape; 4] = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::Up,
    ];
    let count = curves.len() as f32;
    for (k, (name, points)) in curves.iter().enumerate() {
        let layer = count - k as f32;
        let xy: Vec<[f64; 2]> = points.iter().map(xy).collect();
        plot.line(
            Line::new(name.as_str(), PlotPoints::from(xy.clone()))
                .color(theme::pattern(k))
                .width(1.2 + 0.9 * (layer - 1.0)),
        );
        plot.points(
            Points::new(name.as_str(), PlotPoints::from(xy))
                .color(theme::pattern(k))
                .shape(SHAPES[k % SHAPES.len()])
                .filled(true)
                .radius(2.0 + layer),
        );
    }
}
