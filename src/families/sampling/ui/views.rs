//! The sampling plots: state probabilities, KL versus samples (log-log), marginals, the neural
//! sampler's raster, and the evidence row (click a unit to clamp it on, off, or free it).

use egui_plot::{Bar, BarChart, Corner, Line, LineStyle, MarkerShape, PlotPoints, Points};

use super::{SamplingControls, SamplingData};
use crate::families::UiCx;
use crate::families::sampling::model::SamplerKind;
use crate::families::sampling::{Sampling, SamplingCommand};
use crate::views::theme;

/// The marker of each sampler in the plots.
const SHAPES: [MarkerShape; 4] = [
    MarkerShape::Circle,
    MarkerShape::Square,
    MarkerShape::Diamond,
    MarkerShape::Up,
];

/// The colour of sampler `k` (in `SamplerKind::ALL` order).
pub fn sampler_colour(k: usize) -> egui::Color32 {
    theme::pattern([0, 3, 1, 5][k % 4])
}

/// A state index as its bits, unit 1 first ("10110").
pub fn state_label(state: usize, units: usize) -> String {
    (0..units)
        .map(|k| if state >> k & 1 == 1 { '1' } else { '0' })
        .collect()
}

/// One marker per bar for each shown sampler (`values[sampler][bar]`), set side by side within
/// the bar so that coinciding values stay visible.
fn sampler_markers(plot: &mut egui_plot::PlotUi<'_>, values: &[Vec<f64>], shown: &[bool; 4]) {
    for (k, column) in values.iter().enumerate() {
        if !shown.get(k).copied().unwrap_or(false) {
            continue;
        }
        let offset = -0.3 + 0.2 * k as f64;
        let xy: Vec<[f64; 2]> = column
            .iter()
            .enumerate()
            .map(|(i, &v)| [i as f64 + offset, v])
            .collect();
        plot.points(
            Points::new(SamplerKind::ALL[k].label(), PlotPoints::from(xy))
                .color(sampler_colour(k))
                .shape(SHAPES[k])
                .filled(true)
                .radius(3.5),
        );
    }
}

/// The central views of a sampling scene.
pub fn sampling_views_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Sampling>,
    controls: &mut SamplingControls,
    data: &mut SamplingData,
) {
    if data.info.machine.is_some() {
        super::machine::machine_views_ui(ui, cx, data);
        return;
    }
    let dark = cx.dark;
    let width = ui.available_width();
    let half = ((width - 20.0) / 2.0).max(200.0);
    let height = ((ui.available_height() - 150.0) / 2.0).clamp(150.0, 320.0);
    ui.horizontal(|ui| {
        for (k, kind) in SamplerKind::ALL.iter().enumerate() {
            let text = egui::RichText::new(kind.label()).color(sampler_colour(k));
            ui.checkbox(&mut controls.shown[k], text).on_hover_text(match kind {
                SamplerKind::Gibbs => "Sequential Gibbs: a sweep over the units in random order per ms; samples p exactly",
                SamplerKind::GibbsParallel => "Every unit updated at once from the previous state: samples a different, wrong distribution",
                SamplerKind::Neural => "Spiking neurons (Buesing et al. 2011): fire with probability σ(u − ln τ), on for τ ms after a spike; samples p",
                SamplerKind::NeuralUncorrected => "The same neurons firing with σ(u): on τ e^u times as long as off, the wrong distribution",
            });
        }
    });
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(half);
            ui.strong("Probability of each state (exact: bars; samplers: markers)");
            states_ui(ui, data, &controls.shown, dark, height);
        });
        ui.vertical(|ui| {
            ui.set_width(half);
            ui.horizontal(|ui| {
                let label = if controls.show_tv {
                    "Total variation ½ Σ|q − p| versus samples"
                } else {
                    "KL(sampled || exact) versus samples"
                };
                ui.strong(label);
                ui.selectable_value(&mut controls.show_tv, false, "KL")
                    .on_hover_text("KL(q || p) = Σ q ln(q/p): falls like 1/t for a sampler that converges");
                ui.selectable_value(&mut controls.show_tv, true, "TV")
                    .on_hover_text(
                        "Total variation ½ Σ|q − p|: falls like 1/√t for a sampler that converges",
                    );
            });
            distances_ui(ui, data, &controls.shown, controls.show_tv, dark, height);
        });
    });
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(half);
            ui.strong("Marginals p(z_k = 1)");
            marginals_ui(ui, data, &controls.shown, dark, height * 0.8);
        });
        ui.vertical(|ui| {
            ui.set_width(half);
            ui.strong("Neural sampler: spikes and their τ-long \"on\" windows");
            raster_ui(ui, data, dark, height * 0.8);
        });
    });
    evidence_ui(ui, cx, data);
}

fn states_ui(ui: &mut egui::Ui, data: &SamplingData, shown: &[bool; 4], dark: bool, height: f32) {
    let units = data.info.units;
    let Some(exact) = data.info.exact.as_deref() else {
        ui.label("No exact reference above 20 units: the marginals below still compare the samplers.");
        return;
    };
    let states = data.info.shown_states.clone();
    let labels = states.clone();
    crate::views::plot("sampling-states")
        .height(height)
        .legend(
            egui_plot::Legend::default()
                .position(Corner::RightTop)
                .follow_insertion_order(true),
        )
        .x_axis_label(if states.len() < exact.probs.len() {
            format!(
                "the {} most probable of {} states, by rank",
                states.len(),
                exact.probs.len()
            )
        } else {
            "state z (unit 1 first), most probable first".to_string()
        })
        .y_axis_label("probability")
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 || i as usize >= labels.len() {
                return String::new();
            }
            if units <= 6 {
                state_label(labels[i as usize], units)
            } else {
                format!("{}", i as usize + 1)
            }
        })
        .label_formatter(|hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name, position, ..
            } => Some(format!("{plot_name}\np = {:.4}", position.y)),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            let bars = states
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    Bar::new(i as f64, exact.probs[s])
                        .width(0.8)
                        .name(state_label(s, units))
                        .fill(theme::theory(dark).gamma_multiply(0.5))
                })
                .collect();
            plot.bar_chart(BarChart::new("exact", bars).color(theme::theory(dark)));
            if let Some(now) = &data.now {
                sampler_markers(plot, &now.frequencies, shown);
            }
        });
}

fn distances_ui(
    ui: &mut egui::Ui,
    data: &SamplingData,
    shown: &[bool; 4],
    tv: bool,
    dark: bool,
    height: f32,
) {
    let Some(exact) = data.info.exact.as_deref() else {
        ui.label("No exact reference above 20 units.");
        return;
    };
    let support = exact.probs.iter().filter(|&&p| p > 0.0).count();
    let log_label = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let v = mark.value;
        if (v - v.round()).abs() > 1e-6 {
            return String::new();
        }
        match v.round() as i32 {
            0 => "1".into(),
            1 => "10".into(),
            e => format!("1e{e}"),
        }
    };
    crate::views::plot("sampling-kl")
        .height(height)
        .legend(
            egui_plot::Legend::default()
                .position(Corner::LeftBottom)
                .follow_insertion_order(true),
        )
        .x_axis_label("samples (ms), log scale")
        .y_axis_label(if tv {
            "TV, log scale"
        } else {
            "KL (nats), log scale"
        })
        .x_grid_spacer(egui_plot::log_grid_spacer(10))
        .y_grid_spacer(egui_plot::log_grid_spacer(10))
        .x_axis_formatter(log_label)
        .y_axis_formatter(log_label)
        .include_x(0.0)
        .include_x(3.0)
        .include_y(-4.0)
        .include_y(0.5)
        .label_formatter(|hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name, position, ..
            } => Some(format!(
                "{plot_name}\n{:.0} samples, {} {:.2e}",
                10f64.powf(position.x),
                if tv { "TV" } else { "KL" },
                10f64.powf(position.y)
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            let last = data
                .distances
                .last()
                .map_or(1000.0, |p| p.samples as f64)
                .max(1000.0);
            // E[KL] of n independent samples from K states: (K − 1)/(2n), the χ² limit; E[TV]:
            // Σ_z E|q − p|/2 with q − p ≈ N(0, p(1 − p)/n), i.e. Σ_z √(p(1 − p)/(2πn)).
            let k = (support.max(2) - 1) as f64;
            let spread: f64 = exact.probs.iter().map(|p| (p * (1.0 - p)).sqrt()).sum::<f64>()
                / (2.0 * std::f64::consts::PI).sqrt();
            let expected = |n: f64| if tv { spread / n.sqrt() } else { k / (2.0 * n) };
            let reference: Vec<[f64; 2]> = (0..=40)
                .map(|i| {
                    let x = f64::from(i) / 40.0 * last.log10();
                    [x, expected(10f64.powf(x)).log10()]
                })
                .filter(|p| p[1] < 1.0)
                .collect();
            let name = if tv {
                "Σ√(p(1−p)/(2πt)): independent samples"
            } else {
                "(K−1)/(2t): independent samples"
            };
            plot.line(
                Line::new(name, PlotPoints::from(reference))
                    .color(theme::theory(dark))
                    .style(LineStyle::dashed_loose()),
            );
            for (s, kind) in SamplerKind::ALL.iter().enumerate() {
                if !shown[s] {
                    continue;
                }
                let xy: Vec<[f64; 2]> = data
                    .distances
                    .iter()
                    .filter_map(|p| {
                        let d = *if tv { p.tv.get(s) } else { p.kl.get(s) }?;
                        (d > 0.0 && d.is_finite()).then(|| [(p.samples as f64).log10(), d.log10()])
                    })
                    .collect();
                plot.line(
                    Line::new(kind.label(), PlotPoints::from(xy))
                        .color(sampler_colour(s))
                        .width(2.0),
                );
            }
        });
}

fn marginals_ui(ui: &mut egui::Ui, data: &SamplingData, shown: &[bool; 4], dark: bool, height: f32) {
    let units = data.info.units;
    crate::views::plot("sampling-marginals")
        .height(height)
        .x_axis_label("unit k")
        .y_axis_label("p(z_k = 1)")
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(unit_label(units))
        .show(ui, |plot| {
            if let Some(exact) = &data.info.exact_marginals {
                let bars = exact
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| {
                        let clamped = data.info.clamp.get(k).copied().flatten().is_some();
                        let fill = if clamped {
                            theme::error(dark)
                        } else {
                            theme::theory(dark)
                        };
                        Bar::new(k as f64, p).width(0.8).fill(fill.gamma_multiply(0.5))
                    })
                    .collect();
                plot.bar_chart(BarChart::new("exact (red: clamped)", bars).color(theme::theory(dark)));
            }
            if let Some(now) = &data.now {
                sampler_markers(plot, &now.marginals, shown);
            }
        });
}

fn raster_ui(ui: &mut egui::Ui, data: &SamplingData, dark: bool, height: f32) {
    let units = data.info.units;
    let tau = f64::from(data.info.setup.tau_steps);
    let end = data.time_ms;
    let start = (end - 500.0).max(0.0);
    let neural = SamplerKind::ALL
        .iter()
        .position(|&k| k == SamplerKind::Neural)
        .unwrap_or(2);
    crate::views::plot("sampling-raster")
        .height(height)
        .x_axis_label("time (ms)")
        .y_axis_label("neuron")
        .include_x(start)
        .include_x(end.max(start + 100.0))
        .include_y(-0.6)
        .include_y(units as f64 - 0.4)
        .auto_bounds(egui::Vec2b::new(true, false))
        .y_axis_formatter(unit_label(units))
        .show(ui, |plot| {
            let recent: Vec<(f64, u16)> = data
                .spikes
                .iter()
                .copied()
                .filter(|&(t, _)| t >= start - tau)
                .collect();
            let windows = recent
                .iter()
                .map(|&(t, k)| {
                    Bar::new(f64::from(k), tau)
                        .base_offset(t)
                        .width(0.7)
                        .horizontal()
                        .fill(sampler_colour(neural).gamma_multiply(0.35))
                })
                .collect();
            plot.bar_chart(
                BarChart::new("z_k = 1 (τ after a spike)", windows)
                    .color(sampler_colour(neural))
                    .allow_hover(false),
            );
            // Clamped units do not spike: an observed 1 is drawn as a band across the window, an
            // observed 0 as a thin line.
            let right = end.max(start + 100.0);
            let clamped: Vec<Bar> = data
                .info
                .clamp
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    let height = match c {
                        Some(true) => 0.7,
                        Some(false) => 0.08,
                        None => return None,
                    };
                    Some(
                        Bar::new(k as f64, right - start)
                            .base_offset(start)
                            .width(height)
                            .horizontal()
                            .fill(theme::error(dark).gamma_multiply(0.35)),
                    )
                })
                .collect();
            if !clamped.is_empty() {
                plot.bar_chart(
                    BarChart::new("clamped (evidence)", clamped)
                        .color(theme::error(dark))
                        .allow_hover(false),
                );
            }
            let xy: Vec<[f64; 2]> = recent.iter().map(|&(t, k)| [t, f64::from(k)]).collect();
            plot.points(
                Points::new("spikes", PlotPoints::from(xy))
                    .color(theme::neuron_on(dark))
                    .shape(MarkerShape::Circle)
                    .filled(true)
                    .radius(2.5),
            );
        });
}

/// One button per unit: free → on → off → free; the chains then sample the posterior.
fn evidence_ui(ui: &mut egui::Ui, cx: &mut UiCx<'_, Sampling>, data: &SamplingData) {
    ui.horizontal_wrapped(|ui| {
        ui.label("evidence (click a unit):").on_hover_text(
            "Clamp units to observed values; the chains then sample the posterior p(free | evidence)",
        );
        let mut clamp = data.info.clamp.clone();
        let mut changed = false;
        for (k, unit) in clamp.iter_mut().enumerate() {
            let text = match unit {
                None => format!("{} ?", k + 1),
                Some(true) => format!("{} = 1", k + 1),
                Some(false) => format!("{} = 0", k + 1),
            };
            let button = egui::Button::new(text).selected(unit.is_some());
            if ui
                .add(button)
                .on_hover_text("free → clamped on → clamped off → free")
                .clicked()
            {
                *unit = match unit {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                changed = true;
            }
        }
        if ui
            .button("clear")
            .on_hover_text("Free every unit: sample the prior")
            .clicked()
        {
            clamp.fill(None);
            changed = true;
        }
        if changed {
            cx.commands.push(SamplingCommand::SetClamp(clamp));
        }
    });
}

/// Axis labels 1..=`units` at the integer marks (unit k drawn at k − 1), none elsewhere.
fn unit_label(units: usize) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let i = mark.value.round();
        if (mark.value - i).abs() > 1e-6 || i < 0.0 || i as usize >= units {
            String::new()
        } else {
            format!("{}", i as usize + 1)
        }
    }
}
