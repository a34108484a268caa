//! The e-prop experiment for the Experiments window: learning curves of random and symmetric
//! feedback on the pattern task, side by side (the paper: symmetric feedback learns faster and
//! lower, random feedback still learns).

use egui_plot::{Corner, Line, PlotPoints};

use crate::families::eprop::Eprop;
use crate::families::eprop::model::{EpropNetwork, EpropParams, Feedback, TaskParams};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::theme;

/// The e-prop experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpropExperiment {
    /// Random against symmetric feedback.
    Feedback,
}

/// What the user set for the feedback experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackSettings {
    /// Trials per run.
    pub trials: usize,
    /// Recurrent neurons.
    pub neurons: usize,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            trials: 300,
            neurons: 100,
        }
    }
}

/// The learning curves measured so far: NMSE per trial for each feedback.
#[derive(Debug, Clone, Default)]
pub struct FeedbackResult {
    /// (feedback name, NMSE of trial 1, 2, …).
    pub curves: Vec<(String, Vec<f64>)>,
}

fn run(
    settings: &FeedbackSettings,
    seed: u64,
    progress: &mut dyn Progress,
    on_partial: &mut dyn FnMut(&FeedbackResult),
) -> Result<FeedbackResult, String> {
    if !(10..=5_000).contains(&settings.trials) {
        return Err(format!("trials must be 10 to 5,000, not {}", settings.trials));
    }
    let mut result = FeedbackResult::default();
    let runs = [
        (Feedback::Random, "random e-prop"),
        (Feedback::Symmetric, "symmetric e-prop"),
    ];
    let total = runs.len() * settings.trials;
    for (r, (feedback, name)) in runs.into_iter().enumerate() {
        let params = EpropParams {
            n_rec: settings.neurons,
            feedback,
            ..EpropParams::default()
        };
        let mut network = EpropNetwork::new(params, TaskParams::default(), seed)?;
        result.curves.push((name.to_string(), Vec::new()));
        while result.curves[r].1.len() < settings.trials {
            if progress.cancelled() {
                return Ok(result);
            }
            for trial in network.train(10.min(settings.trials - result.curves[r].1.len())) {
                result.curves[r].1.push(trial.nmse.unwrap_or(f64::NAN));
            }
            progress.advance(r * settings.trials + result.curves[r].1.len(), total);
            on_partial(&result);
        }
    }
    Ok(result)
}

impl FamilyExperiments for Eprop {
    type Kind = EpropExperiment;
    type Settings = FeedbackSettings;
    type Result = FeedbackResult;
    const TABS: &'static [ExperimentTab<EpropExperiment>] = &[(
        EpropExperiment::Feedback,
        "random vs symmetric feedback",
        "e-prop: the pattern-generation error per trial with random feedback weights B and with B = W_out^T",
    )];

    fn describe(_kind: EpropExperiment, s: &FeedbackSettings) -> String {
        format!(
            "{} recurrent neurons, {}",
            s.neurons,
            crate::output::counted(s.trials as u64, "trial")
        )
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: EpropExperiment, settings: &mut FeedbackSettings) {
        ui.horizontal(|ui| {
            ui.label("trials");
            ui.add(egui::DragValue::new(&mut settings.trials).range(10..=5_000));
            ui.label("neurons");
            ui.add(egui::DragValue::new(&mut settings.neurons).range(10..=1_000));
        });
    }

    fn run(
        _kind: EpropExperiment,
        settings: &FeedbackSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&FeedbackResult),
    ) -> Result<FeedbackResult, String> {
        run(settings, seed, progress, on_partial)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &FeedbackResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        crate::views::experiment_plot("eprop-feedback", Corner::RightTop)
            .x_axis_label("trial")
            .y_axis_label("log₁₀ NMSE")
            .show(ui, |plot| {
                crate::views::kept_runs::draw(plot, kept);
                for (k, (name, curve)) in result.curves.iter().enumerate() {
                    let points: PlotPoints = curve
                        .iter()
                        .enumerate()
                        .map(|(t, nmse)| [(t + 1) as f64, nmse.max(1e-6).log10()])
                        .collect();
                    let colour = if k == 0 {
                        theme::excitatory(dark)
                    } else {
                        theme::pattern(1)
                    };
                    plot.line(Line::new(name.as_str(), points).color(colour).width(2.0));
                }
            });
        ui.label(
            "Both learn from the same frozen input towards the same sum of sines; the error reaches each neuron \
             through fixed random weights (random e-prop) or through the readout weights (symmetric e-prop). \
             Bellec et al. (2020) report both approaching backpropagation through time, symmetric feedback closer.",
        );
    }

    fn series(result: &FeedbackResult) -> Vec<crate::views::kept_runs::Series> {
        result
            .curves
            .iter()
            .map(|(name, curve)| {
                let xy = curve
                    .iter()
                    .enumerate()
                    .map(|(t, nmse)| [(t + 1) as f64, nmse.max(1e-6).log10()])
                    .collect();
                (name.clone(), xy)
            })
            .collect()
    }

    fn csv(result: &FeedbackResult) -> String {
        let mut out = String::from("feedback,trial,nmse\n");
        for (name, curve) in &result.curves {
            for (t, nmse) in curve.iter().enumerate() {
                out += &format!("{name},{},{nmse}\n", t + 1);
            }
        }
        out
    }
}
