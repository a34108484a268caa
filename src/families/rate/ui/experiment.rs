//! The rate network's experiment for the Experiments window: final overlap versus load α = P/(cN),
//! simulated beside the static mean field and its step-function limit of f and g (the same sweep as
//! `engram rate capacity`).

use egui_plot::{Corner, Line, LineStyle, MarkerShape, PlotPoints, Points, VLine};

use crate::families::rate::Rate;
use crate::families::rate::model::{MeanField, RETRIEVED_OVERLAP, RateParams};
use crate::families::rate::sweeps::{self, CueProtocol, LoadPoint, LoadSetup};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// What the user sets for the rate experiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLoadSettings {
    /// The larger, sparser network (N = 20,000, c = 0.0125) instead of N = 5,000, c = 0.05; both
    /// have cN = 250 inputs per neuron, as in the paper.
    pub sparse: bool,
    /// Independent networks per load.
    pub trials: usize,
}

impl Default for RateLoadSettings {
    fn default() -> Self {
        Self {
            sparse: false,
            trials: 2,
        }
    }
}

impl RateLoadSettings {
    /// Network size N and connection probability c.
    pub fn network(&self) -> (usize, f64) {
        if self.sparse {
            (20_000, 0.0125)
        } else {
            (5_000, 0.05)
        }
    }
}

/// The loads simulated: 0.05 to 0.6 in steps of 0.05 (the mean-field capacity is about 0.56).
pub fn loads() -> Vec<f64> {
    (1..=12).map(|k| 0.05 * k as f64).collect()
}

/// The sweep so far, with the mean-field curves it is drawn against.
#[derive(Debug, Clone)]
pub struct RateLoadResult {
    /// Neurons N.
    pub n: usize,
    /// Connection probability c.
    pub connection_prob: f64,
    /// Simulated points (mean final overlap with the cued pattern over the trials).
    pub points: Vec<LoadPoint>,
    /// Mean-field capacity with the fitted (sigmoidal) rules.
    pub alpha_c: f64,
    /// Mean-field capacity with step-function rules.
    pub alpha_c_step: f64,
    /// Mean-field overlap versus load, fitted rules: (α, m).
    pub theory: Vec<[f64; 2]>,
    /// Mean-field overlap versus load, step-function rules: (α, m).
    pub step_theory: Vec<[f64; 2]>,
}

/// Runs the sweep, handing the result so far to `on_partial` after every load.
pub fn run(
    settings: &RateLoadSettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&RateLoadResult),
) -> Result<RateLoadResult, String> {
    let (n, c) = settings.network();
    let params = RateParams {
        n,
        connection_prob: c,
        ..RateParams::default()
    };
    let transfer = params.transfer();
    let smooth = MeanField::new(&transfer, &params.rule());
    let step = MeanField::new(&transfer, &params.rule().step_limit(&transfer));
    // The stable part of the retrieval branch, in the order the theory samples it (growing
    // cross-talk Δ0), up to its largest load: the saddle-node where retrieval disappears (beyond
    // it only the background, m = 0, remains; the plot marks α_c). Past that point the branch
    // turns back: the unstable solutions, not drawn.
    let curve = |theory: &MeanField| -> Vec<[f64; 2]> {
        let points: Vec<[f64; 2]> = theory
            .branch()
            .iter()
            .filter(|p| p.alpha.is_finite() && p.overlap.is_finite())
            .map(|p| [p.alpha, p.overlap])
            .collect();
        let end = (0..points.len()).max_by(|&a, &b| points[a][0].total_cmp(&points[b][0]));
        points[..end.map_or(0, |k| k + 1)].to_vec()
    };
    let mut result = RateLoadResult {
        n,
        connection_prob: c,
        points: Vec::new(),
        alpha_c: smooth.capacity(),
        alpha_c_step: step.capacity(),
        theory: curve(&smooth),
        step_theory: curve(&step),
    };
    on_partial(&result);
    let setup = LoadSetup {
        params,
        protocol: CueProtocol::default(),
        trials: settings.trials.max(1),
        seed,
    };
    sweeps::load_sweep_live(&setup, &loads(), progress, &mut |point| {
        result.points.push(point.clone());
        on_partial(&result);
    })
    .map_err(|e| e.to_string())?;
    Ok(result)
}

/// The experiment's settings: which network, and trials per load.
pub fn settings_ui(ui: &mut egui::Ui, settings: &mut RateLoadSettings) {
    ui.horizontal(|ui| {
        let label = ui.label("network").id;
        ui.selectable_value(&mut settings.sparse, false, "N 5,000, c 0.05")
            .labelled_by(label)
            .on_hover_text("1.25 M synapses: about 20 s for two trials per load on 2 cores");
        ui.selectable_value(&mut settings.sparse, true, "N 20,000, c 0.0125")
            .labelled_by(label)
            .on_hover_text(
                "Sparser, closer to the mean field's limit of vanishing c: 5 M synapses, about 3 minutes on 2 cores",
            );
    });
    let tip = "Independent networks (patterns and wiring) per load";
    crate::views::widgets::count_slider(ui, &mut settings.trials, 1..=10, "trials", tip, Some(2));
}

/// Draws the simulated overlaps beside the two mean-field curves, and says why they differ.
pub fn plot_ui(
    ui: &mut egui::Ui,
    result: &RateLoadResult,
    kept: &[crate::views::kept_runs::KeptRun],
    dark: bool,
) {
    crate::views::experiment_plot("rate-load", Corner::LeftBottom)
        .x_axis_label("load α = P/(cN)")
        .y_axis_label("final overlap m with the cued pattern")
        .include_x(0.0)
        .include_x(0.7)
        .include_y(0.0)
        .include_y(1.0)
        .show(ui, |plot| {
            crate::views::kept_runs::draw(plot, kept);
            plot.line(
                Line::new(
                    "mean field, fitted f and g",
                    PlotPoints::from(result.theory.clone()),
                )
                .color(theme::theory(dark))
                .width(2.0),
            );
            plot.line(
                Line::new(
                    "mean field, step-function f and g",
                    PlotPoints::from(result.step_theory.clone()),
                )
                .color(theme::theory(dark))
                .style(LineStyle::dashed_loose()),
            );
            plot.vline(
                VLine::new("mean-field α_c", result.alpha_c)
                    .color(theme::theory(dark))
                    .width(0.5),
            );
            let xy: Vec<[f64; 2]> = result.points.iter().map(|p| [p.alpha, p.mean_overlap]).collect();
            let name = format!("simulation, N = {}, c = {}", result.n, result.connection_prob);
            plot.line(Line::new(name.clone(), PlotPoints::from(xy.clone())).color(theme::pattern(0)));
            plot.points(
                Points::new(name, PlotPoints::from(xy))
                    .color(theme::pattern(0))
                    .shape(MarkerShape::Circle)
                    .filled(true)
                    .radius(4.0),
            );
        });
    ui.label(format!(
        "Mean-field capacity α_c = {:.3} (step-function rules {:.3}). Each trial cues a pattern with its \
         currents for 300 ms from a random start and reads the overlap 1.2 s after the cue ends; a trial \
         counts as retrieved at m ≥ {RETRIEVED_OVERLAP} (the CSV has the fraction). The mean field is the \
         limit of infinite N and vanishing c, where the cross-talk of the other patterns is independent \
         Gaussian noise; a network of a few thousand neurons is far from that limit: its memory fails at \
         a lower load, and near capacity one network retrieves where the next does not (raise the \
         trials). Measured with engram rate capacity (2 networks per load, seed 1): at N = 5,000 some \
         networks already fail at α = 0.3 to 0.4 while others retrieve up to 0.45; at N = 20,000 every \
         network retrieved up to α = 0.4 (m = 0.83, mean field 0.86) and none at 0.5.",
        result.alpha_c, result.alpha_c_step
    ));
}

/// The result as CSV text.
pub fn csv(result: &RateLoadResult) -> String {
    let mut out = String::from(
        "n,connection_prob,alpha,patterns,trials,mean_overlap,std_overlap,retrieved_fraction,\
         mean_field_overlap,mean_field_rate_hz\n",
    );
    for p in &result.points {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            result.n,
            result.connection_prob,
            p.alpha,
            p.patterns,
            p.trials,
            p.mean_overlap,
            p.std_overlap,
            p.retrieved_fraction,
            p.mean_field_overlap,
            p.mean_field_rate_hz
        );
    }
    out
}

/// The rate family's experiments (one so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateExperiment {
    /// Final overlap versus load beside the mean field.
    Load,
}

impl FamilyExperiments for Rate {
    type Kind = RateExperiment;
    type Settings = RateLoadSettings;
    type Result = RateLoadResult;
    const TABS: &'static [ExperimentTab<RateExperiment>] = &[(
        RateExperiment::Load,
        "rate network load",
        "Rate network (Pereira & Brunel): overlap versus load beside the mean field",
    )];

    fn describe(_kind: RateExperiment, s: &RateLoadSettings) -> String {
        let network = if s.sparse {
            "N = 20,000, c = 0.0125"
        } else {
            "N = 5,000, c = 0.05"
        };
        format!("{network}, {}", crate::output::counted(s.trials as u64, "trial"))
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: RateExperiment, settings: &mut RateLoadSettings) {
        settings_ui(ui, settings);
    }

    fn run(
        _kind: RateExperiment,
        settings: &RateLoadSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&RateLoadResult),
    ) -> Result<RateLoadResult, String> {
        run(settings, seed, progress, on_partial)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &RateLoadResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        plot_ui(ui, result, kept, dark);
    }

    fn series(result: &RateLoadResult) -> Vec<crate::views::kept_runs::Series> {
        let xy = result.points.iter().map(|p| [p.alpha, p.mean_overlap]).collect();
        vec![(
            format!("simulation, N = {}, c = {}", result.n, result.connection_prob),
            xy,
        )]
    }

    fn csv(result: &RateLoadResult) -> String {
        csv(result)
    }
}
