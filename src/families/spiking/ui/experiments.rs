//! The spiking family's experiments for the Experiments window: the f-I curve of an LIF or EIF
//! neuron with and without noise (with the closed form and the first-passage rates), and the
//! membrane-potential histogram of noisy LIF neurons (with the Fokker-Planck density).

use egui_plot::{Bar, BarChart, Corner, Line, LineStyle, PlotPoints, Points, VLine};

use crate::families::spiking::Spiking;
use crate::families::spiking::model::NeuronParams;
use crate::families::spiking::sweeps::{self, FiPoint, VHistogram, VHistogramSetup};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::{Offset, Progress};
use crate::views::{experiment_plot, theme};

/// The spiking experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpikingExperiment {
    /// Rate versus input with the Siegert (or first-passage) curve.
    FiCurve,
    /// Membrane-potential histogram of noisy LIF neurons with the Fokker-Planck density.
    MembraneHistogram,
}

/// What the user set for the spiking experiments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikingExperimentSettings {
    /// Mean input μ of the histogram experiment, in mV.
    pub mu_mv: f64,
    /// Noise σ of the histogram experiment, in mV.
    pub sigma_mv: f64,
    /// Unconnected neurons in the histogram experiment.
    pub neurons: usize,
    /// Seconds simulated per neuron in the histogram experiment.
    pub seconds: f64,
    /// The f-I experiment uses the exponential integrate-and-fire neuron instead of the LIF.
    pub fi_eif: bool,
}

impl Default for SpikingExperimentSettings {
    fn default() -> Self {
        Self {
            mu_mv: 15.0,
            sigma_mv: 5.0,
            neurons: 100,
            seconds: 5.0,
            fi_eif: false,
        }
    }
}

/// A spiking experiment's result, partial while it runs.
#[derive(Debug, Clone)]
pub enum SpikingResult {
    /// f-I curves with and without noise: (σ in mV, points).
    FiCurve(Vec<(f64, Vec<FiPoint>)>),
    /// Membrane-potential histogram beside the Fokker-Planck density.
    MembraneHistogram(VHistogram),
}

impl FamilyExperiments for Spiking {
    type Kind = SpikingExperiment;
    type Settings = SpikingExperimentSettings;
    type Result = SpikingResult;
    const TABS: &'static [ExperimentTab<SpikingExperiment>] = &[
        (
            SpikingExperiment::FiCurve,
            "f-I curve",
            "LIF firing rate versus input, with and without noise",
        ),
        (
            SpikingExperiment::MembraneHistogram,
            "membrane potential",
            "Histogram of V in noisy LIF neurons, with the Fokker-Planck density",
        ),
    ];

    fn describe(kind: SpikingExperiment, s: &SpikingExperimentSettings) -> String {
        match kind {
            SpikingExperiment::FiCurve => (if s.fi_eif { "EIF neuron" } else { "LIF neuron" }).to_string(),
            SpikingExperiment::MembraneHistogram => format!(
                "μ = {} mV, σ = {} mV, {} neurons × {} s",
                s.mu_mv, s.sigma_mv, s.neurons, s.seconds
            ),
        }
    }

    fn settings_ui(ui: &mut egui::Ui, kind: SpikingExperiment, s: &mut SpikingExperimentSettings) {
        let slider = crate::views::widgets::param_slider;
        match kind {
            SpikingExperiment::FiCurve => {
                ui.horizontal(|ui| {
                    let label = ui.label("neuron").id;
                    ui.selectable_value(&mut s.fi_eif, false, "LIF")
                        .labelled_by(label)
                        .on_hover_text(
                            "Leaky integrate-and-fire: closed-form f-I curve and the Siegert rate",
                        );
                    ui.selectable_value(&mut s.fi_eif, true, "EIF")
                        .labelled_by(label)
                        .on_hover_text(
                            "Exponential integrate-and-fire: rates from the first-passage time of its drift",
                        );
                });
            }
            SpikingExperiment::MembraneHistogram => {
                let tip = "Mean input μ (threshold 20 mV, reset 10 mV)";
                slider(ui, &mut s.mu_mv, 0.0..=30.0, "input μ", "mV", tip, Some(15.0));
                let tip = "Noise amplitude σ of the white-noise input";
                slider(ui, &mut s.sigma_mv, 0.5..=10.0, "noise σ", "mV", tip, Some(5.0));
                let tip = "Unconnected neurons simulated side by side; more is smoother";
                crate::views::widgets::count_slider(ui, &mut s.neurons, 1..=500, "neurons", tip, Some(100));
                let tip = "Biological time per neuron, after 100 ms of burn-in";
                slider(ui, &mut s.seconds, 0.5..=20.0, "duration", "s", tip, Some(5.0));
            }
        }
    }

    fn run(
        kind: SpikingExperiment,
        s: &SpikingExperimentSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&SpikingResult),
    ) -> Result<SpikingResult, String> {
        match kind {
            SpikingExperiment::FiCurve => {
                let mus: Vec<f64> = (0..=16).map(|k| 10.0 + 1.25 * k as f64).collect();
                let sigmas = [0.0, 2.0, 5.0];
                let mut curves: Vec<(f64, Vec<FiPoint>)> = Vec::new();
                for (k, sigma) in sigmas.into_iter().enumerate() {
                    if progress.cancelled() {
                        break;
                    }
                    curves.push((sigma, Vec::new()));
                    let mut p = Offset {
                        inner: &mut *progress,
                        offset: k * mus.len(),
                        total: sigmas.len() * mus.len(),
                    };
                    // The EIF is integrated by Euler steps: finer ones keep its upstroke accurate.
                    let (neuron, dt_ms) = if s.fi_eif {
                        (NeuronParams::eif(), 0.02)
                    } else {
                        (NeuronParams::default(), 0.05)
                    };
                    sweeps::fi_curve_live(neuron, &mus, sigma, 5.0, dt_ms, seed, &mut p, &mut |point| {
                        curves[k].1.push(point.clone());
                        on_partial(&SpikingResult::FiCurve(curves.clone()));
                    })
                    .map_err(|e| e.to_string())?;
                }
                Ok(SpikingResult::FiCurve(curves))
            }
            SpikingExperiment::MembraneHistogram => {
                let setup = VHistogramSetup {
                    mu_mv: s.mu_mv,
                    sigma_mv: s.sigma_mv,
                    neurons: s.neurons,
                    seconds: s.seconds,
                    seed,
                    ..VHistogramSetup::default()
                };
                sweeps::v_histogram(&setup, progress, &mut |h| {
                    on_partial(&SpikingResult::MembraneHistogram(h.clone()))
                })
                .map(SpikingResult::MembraneHistogram)
                .map_err(|e| e.to_string())
            }
        }
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        result: &SpikingResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        match result {
            SpikingResult::FiCurve(curves) => {
                experiment_plot("fi", Corner::LeftTop)
                    .x_axis_label("input μ (mV)")
                    .y_axis_label("rate (Hz)")
                    .show(ui, |plot| {
                        crate::views::kept_runs::draw(plot, kept);
                        for (k, (sigma, points)) in curves.iter().enumerate() {
                            let theory: Vec<[f64; 2]> = points
                                .iter()
                                .filter_map(|p| p.theory_hz.map(|t| [p.mu_mv, t]))
                                .collect();
                            let name = if *sigma == 0.0 {
                                "theory, no noise".to_string()
                            } else {
                                format!("theory (first passage), σ = {sigma} mV")
                            };
                            plot.line(Line::new(name, PlotPoints::from(theory)).color(theme::pattern(k)));
                            let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.mu_mv, p.rate_hz]).collect();
                            plot.points(
                                Points::new(format!("simulation, σ = {sigma} mV"), PlotPoints::from(xy))
                                    .color(theme::pattern(k))
                                    .radius(3.0),
                            );
                        }
                    });
            }
            SpikingResult::MembraneHistogram(h) => {
                let width = h.edges_mv[1] - h.edges_mv[0];
                let centre = |k: usize| h.edges_mv[k] + 0.5 * width;
                let peak = h
                    .theory_density
                    .iter()
                    .chain(&h.density)
                    .fold(0.0f64, |a, &b| a.max(b));
                experiment_plot("membrane", Corner::LeftTop)
                    .x_axis_label("membrane potential V (mV from rest)")
                    .y_axis_label("density (1/mV)")
                    .include_y(0.0)
                    .include_y(1.1 * peak)
                    .show(ui, |plot| {
                        crate::views::kept_runs::draw(plot, kept);
                        let bars = h
                            .density
                            .iter()
                            .enumerate()
                            .map(|(k, &d)| Bar::new(centre(k), d).width(width).fill(theme::pattern(0)))
                            .collect();
                        plot.bar_chart(BarChart::new("simulation", bars).color(theme::pattern(0)));
                        let theory: Vec<[f64; 2]> = h
                            .theory_density
                            .iter()
                            .enumerate()
                            .map(|(k, &d)| [centre(k), d])
                            .collect();
                        plot.line(
                            Line::new("Fokker-Planck density", PlotPoints::from(theory))
                                .color(theme::theory(dark))
                                .width(2.0),
                        );
                        let threshold = h.edges_mv[h.edges_mv.len() - 1];
                        plot.vline(
                            VLine::new("threshold", threshold)
                                .color(theme::theory(dark))
                                .style(LineStyle::dashed_loose()),
                        );
                    });
                ui.label(format!(
                    "μ = {} mV, σ = {} mV, {:.0} neuron-seconds: rate {:.2} Hz (Siegert {:.2} Hz), \
                 L1 distance to the density {:.3}.",
                    h.mu_mv,
                    h.sigma_mv,
                    h.neuron_seconds,
                    h.rate_hz,
                    h.theory_rate_hz,
                    h.l1_distance()
                ));
            }
        }
    }

    fn series(result: &SpikingResult) -> Vec<crate::views::kept_runs::Series> {
        match result {
            SpikingResult::FiCurve(curves) => curves
                .iter()
                .map(|(sigma, points)| {
                    let xy = points.iter().map(|p| [p.mu_mv, p.rate_hz]).collect();
                    (format!("simulation, σ = {sigma} mV"), xy)
                })
                .collect(),
            SpikingResult::MembraneHistogram(h) => {
                let width = h
                    .edges_mv
                    .get(1)
                    .zip(h.edges_mv.first())
                    .map_or(0.0, |(b, a)| b - a);
                let xy = h
                    .density
                    .iter()
                    .enumerate()
                    .map(|(k, &d)| [h.edges_mv[k] + 0.5 * width, d])
                    .collect();
                vec![("simulated density".to_string(), xy)]
            }
        }
    }

    fn csv(result: &SpikingResult) -> String {
        let mut out = String::new();
        match result {
            SpikingResult::FiCurve(curves) => {
                out += "sigma_mv,mu_mv,rate_hz,theory_hz\n";
                for (sigma, points) in curves {
                    for p in points {
                        let theory = p.theory_hz.map_or(String::new(), |t| t.to_string());
                        out += &format!("{sigma},{},{},{theory}\n", p.mu_mv, p.rate_hz);
                    }
                }
            }
            SpikingResult::MembraneHistogram(h) => {
                out += "v_low_mv,v_high_mv,density_per_mv,fokker_planck_per_mv\n";
                for (k, (d, t)) in h.density.iter().zip(&h.theory_density).enumerate() {
                    out += &format!("{},{},{d},{t}\n", h.edges_mv[k], h.edges_mv[k + 1]);
                }
            }
        }
        out
    }
}
