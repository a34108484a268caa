//! The e-prop views: the learning curve, the readout against its target (pattern task) or the
//! global rate against its targets (rate task), the raster of the trial, the weight histogram.

use egui_plot::{Bar, BarChart, HLine, Line, LineStyle, PlotPoints, Points};

use super::EpropData;
use crate::families::eprop::model::TaskParams;
use crate::views::{plot, theme};

/// Bins of the weight histogram.
const WEIGHT_BINS: usize = 41;

/// Every view of the scene, sized to the space the window leaves.
pub fn eprop_views_ui(ui: &mut egui::Ui, data: &EpropData, dark: bool) {
    let setup = &data.info.setup;
    let last = data.trials.last();
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("e-prop · {}", setup.task.describe()));
        let result = match last {
            Some(r) => match (r.nmse, r.sigma_hz) {
                (Some(nmse), _) => format!(" · trial {}: NMSE {nmse:.3}, rate {:.1} Hz", r.trial, r.rate_hz),
                (None, Some(sigma)) => format!(
                    " · trial {}: rate {:.1} Hz, σ {sigma:.2} Hz, loss {:.3}{}",
                    r.trial,
                    r.rate_hz,
                    r.loss,
                    r.branching
                        .map_or(String::new(), |m| format!(", branching ratio {m:.3} (1 ms bins)"))
                ),
                _ => String::new(),
            },
            None => {
                let steps = data.current.as_ref().map_or(0, |c| c.steps);
                format!(" · the first trial is at {steps} ms (press Play)")
            }
        };
        ui.label(result);
    });
    let height = (ui.available_height() - 50.0).max(300.0);
    let plot_height = height / 2.0 - 24.0;
    ui.columns(2, |columns| {
        learning_curve_ui(&mut columns[0], data, plot_height);
        match setup.task {
            TaskParams::Pattern { .. } => output_ui(&mut columns[0], data, plot_height),
            TaskParams::Rate { .. } => global_rate_ui(&mut columns[0], data, plot_height, dark),
        }
        raster_ui(&mut columns[1], data, plot_height, dark);
        weights_ui(&mut columns[1], data, plot_height);
    });
}

/// Loss per trial on a log₁₀ axis (NMSE for the pattern task, the loss for the rate task).
fn learning_curve_ui(ui: &mut egui::Ui, data: &EpropData, height: f32) {
    let pattern = matches!(data.info.setup.task, TaskParams::Pattern { .. });
    let (title, tip) = if pattern {
        (
            "Error per trial: NMSE (log scale)",
            "Mean squared error of the readout over the trial divided by the variance of the target: 1 is no better than its mean",
        )
    } else {
        (
            "Loss per trial: α(r − r0)² + β(σ − σ_r)² (log scale)",
            "r: the population's mean rate; σ: the standard deviation of its global rate in bins",
        )
    };
    ui.strong(title).on_hover_text(tip);
    let points: PlotPoints = data
        .trials
        .iter()
        .map(|r| [r.trial as f64, r.nmse.unwrap_or(r.loss).max(1e-6).log10()])
        .collect();
    plot("eprop-learning-curve")
        .height(height)
        .x_axis_label("trial")
        .y_axis_label(if pattern { "NMSE" } else { "loss" })
        .y_axis_formatter(|mark, _| power_of_ten(mark.value))
        .show(ui, |plot_ui| {
            plot_ui.line(Line::new("error", points).color(theme::pattern(0)));
        });
}

/// "10", "1", "0.1", or "10^-4" for a log₁₀ tick.
fn power_of_ten(exponent: f64) -> String {
    if (exponent - exponent.round()).abs() > 1e-6 {
        return String::new();
    }
    let e = exponent.round() as i32;
    match e {
        -3..=3 => {
            let value = 10f64.powi(e);
            if e < 0 {
                format!("{value:.*}", (-e) as usize)
            } else {
                format!("{value:.0}")
            }
        }
        _ => format!("1e{e}"),
    }
}

/// The readout against its target over the trial.
fn output_ui(ui: &mut egui::Ui, data: &EpropData, height: f32) {
    ui.strong("Readout (solid, the spikes filtered with τ_out) against the target (dashed)");
    let target = &data.info.target;
    let outputs = data.current.as_ref().map(|c| &c.outputs);
    plot("eprop-output")
        .height(height)
        .x_axis_label("time in trial (ms)")
        .y_axis_label("output")
        .include_y(-1.2)
        .include_y(1.2)
        .include_x(0.0)
        .include_x(target.len() as f64)
        .show(ui, |plot_ui| {
            let k_outputs = target.first().map_or(0, Vec::len);
            for k in 0..k_outputs {
                let colour = theme::pattern(k);
                let t_points: PlotPoints = target
                    .iter()
                    .enumerate()
                    .map(|(t, row)| [t as f64, row[k]])
                    .collect();
                plot_ui.line(
                    Line::new(format!("target {}", k + 1), t_points)
                        .color(colour)
                        .style(LineStyle::dashed_loose()),
                );
                if let Some(outputs) = outputs {
                    let o_points: PlotPoints = outputs
                        .iter()
                        .enumerate()
                        .filter_map(|(t, row)| row.get(k).map(|&y| [t as f64, y]))
                        .collect();
                    plot_ui.line(
                        Line::new(format!("output {}", k + 1), o_points)
                            .color(colour)
                            .width(2.0),
                    );
                }
            }
        });
}

/// The global rate in the task's bins against r0 and r0 ± σ_r.
fn global_rate_ui(ui: &mut egui::Ui, data: &EpropData, height: f32, dark: bool) {
    let TaskParams::Rate {
        target_hz,
        target_sigma_hz,
        bin_ms,
        ..
    } = data.info.setup.task
    else {
        return;
    };
    ui.strong(format!("Global rate in {bin_ms} ms bins against r0 and r0 ± σ_r"));
    let n = data.info.setup.params.n_rec as f64;
    let mut counts = vec![0u32; data.info.setup.params.trial_ms.div_ceil(bin_ms)];
    if let Some(current) = &data.current {
        for &(t, _) in &current.spikes {
            if let Some(c) = counts.get_mut(t as usize / bin_ms) {
                *c += 1;
            }
        }
    }
    let done = data.current.as_ref().map_or(0, |c| c.steps) / bin_ms;
    let points: PlotPoints = counts
        .iter()
        .take(done)
        .enumerate()
        .map(|(b, &c)| [(b * bin_ms) as f64, f64::from(c) * 1000.0 / (n * bin_ms as f64)])
        .collect();
    plot("eprop-global-rate")
        .height(height)
        .x_axis_label("time in trial (ms)")
        .y_axis_label("rate (Hz)")
        .include_y(0.0)
        .include_y(target_hz + 3.0 * target_sigma_hz)
        .show(ui, |plot_ui| {
            plot_ui.line(Line::new("global rate", points).color(theme::pattern(0)));
            plot_ui.hline(HLine::new("r0", target_hz).color(theme::theory(dark)));
            for edge in [target_hz - target_sigma_hz, target_hz + target_sigma_hz] {
                plot_ui.hline(
                    HLine::new("r0 ± σ_r", edge)
                        .color(theme::theory(dark))
                        .style(LineStyle::dashed_loose()),
                );
            }
        });
}

/// The recurrent neurons' spikes in the trial.
fn raster_ui(ui: &mut egui::Ui, data: &EpropData, height: f32, dark: bool) {
    let n = data.info.setup.params.n_rec;
    ui.strong(format!("Spikes of the {n} recurrent neurons in the trial"));
    let points: PlotPoints = data
        .current
        .as_ref()
        .map(|c| {
            c.spikes
                .iter()
                .map(|&(t, j)| [f64::from(t), f64::from(j)])
                .collect()
        })
        .unwrap_or_default();
    plot("eprop-raster")
        .height(height)
        .x_axis_label("time in trial (ms)")
        .y_axis_label("neuron")
        .include_x(0.0)
        .include_x(data.info.setup.params.trial_ms as f64)
        .include_y(0.0)
        .include_y(n as f64)
        .show(ui, |plot_ui| {
            plot_ui.points(
                Points::new("spikes", points)
                    .radius(1.2)
                    .color(theme::excitatory(dark)),
            );
        });
}

/// Histogram of the recurrent weights.
fn weights_ui(ui: &mut egui::Ui, data: &EpropData, height: f32) {
    ui.strong("Recurrent weights W_rec").on_hover_text(
        "Drawn from N(0, 1/N) at the start; e-prop reshapes them trial by trial (0 on the diagonal left out)",
    );
    let weights = data.current.as_ref().map(|c| &c.recurrent_weights);
    let bars = weights.map_or_else(Vec::new, |w| histogram(w));
    plot("eprop-weights")
        .height(height)
        .x_axis_label("weight")
        .y_axis_label("synapses")
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(BarChart::new("W_rec", bars).color(theme::pattern(2)));
        });
}

/// Bars over the weights' range, symmetric about 0.
fn histogram(weights: &[f32]) -> Vec<Bar> {
    let largest = weights.iter().fold(1e-6f32, |m, w| m.max(w.abs())) as f64;
    let width = 2.0 * largest / WEIGHT_BINS as f64;
    let mut counts = [0u32; WEIGHT_BINS];
    for &w in weights {
        let bin = ((f64::from(w) + largest) / width) as usize;
        counts[bin.min(WEIGHT_BINS - 1)] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(b, &c)| Bar::new(-largest + (b as f64 + 0.5) * width, f64::from(c)).width(width))
        .collect()
}
