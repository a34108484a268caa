//! The continuous-memory views: the state and the stored patterns as grey-level images with a colour
//! scale, the pattern weights, the similarity to every pattern and the energy over updates.

use egui_plot::{Bar, BarChart, Corner, Legend, Line, PlotPoints};

use super::ContinuousData;
use crate::families::UiCx;
use crate::families::continuous::{Continuous, ContinuousCommand, CueParams};
use crate::views::{CachedTexture, key_of, textured_grid, theme};

/// The views' own state between frames: the state's and the patterns' textures.
#[derive(Default)]
pub struct ContinuousViews {
    state: CachedTexture,
    patterns: Vec<CachedTexture>,
}

/// An image of `values` (missing cells in the background colour), coloured on [−max, max].
fn image(values: &[f64], width: usize, height: usize, max: f64, dark: bool) -> egui::ColorImage {
    let background = theme::raster_background(dark);
    let pixels = (0..width * height)
        .map(|i| {
            values.get(i).map_or(background, |&v| {
                theme::diverging((v / max.max(1e-12)) as f32, dark)
            })
        })
        .collect();
    egui::ColorImage::new([width, height], pixels)
}

/// Every view of the scene.
pub fn continuous_views_ui(ui: &mut egui::Ui, cx: &mut UiCx<'_, Continuous>, data: &mut ContinuousData) {
    let dark = cx.dark;
    if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
        let height = crate::views::maximise::height(ui);
        match name.as_str() {
            "continuous-weights" => return weights_ui(ui, data, dark, height),
            "continuous-cosines" => return cosines_ui(ui, data, height),
            "continuous-energy" => return energy_ui(ui, data, dark, height),
            _ => {}
        }
    }
    let info = data.info.clone();
    let memory = &info.setup.memory;
    ui.horizontal_wrapped(|ui| {
        ui.strong(memory.kernel.label());
        ui.label(format!(
            "· {} patterns of {} values · β = {} · smallest separation Δ = {:.1} (1/Δ = {:.3}) · {:.0} updates",
            info.patterns.len(),
            info.patterns.first().map_or(0, Vec::len),
            memory.beta,
            info.min_separation,
            1.0 / info.min_separation,
            data.updates
        ));
    });
    let full = ui.available_width();
    let height = ui.available_height().max(420.0);
    let side = (full * 0.3).min(height * 0.5).max(180.0);
    let (width, grid_height) = (info.width, info.height);
    let max = info.value_max;
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.strong("State")
                .on_hover_text("Every neuron's value, on the colour scale beside it");
            let key = key_of(&data.state.iter().map(|v| (v * 1000.0) as i64).collect::<Vec<_>>());
            let texture = data.views.state.get(ui.ctx(), "continuous-state", key, || {
                image(&data.state, width, grid_height, max, dark)
            });
            ui.horizontal(|ui| {
                textured_grid(
                    ui,
                    texture.id(),
                    (width, grid_height),
                    side,
                    egui::Sense::hover(),
                    (egui::Role::Image, "state"),
                );
                crate::views::widgets::colour_scale(ui, side, (-max, max), "", |t| {
                    theme::diverging(2.0 * t - 1.0, dark)
                });
            });
            let best = data
                .cosines
                .iter()
                .enumerate()
                .filter_map(|(mu, s)| s.last().map(|p| (mu, p[1])))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((mu, c)) = best {
                ui.label(format!("closest: {} (cosine {c:.3})", info.labels[mu]));
            }
        });
        ui.vertical(|ui| {
            ui.strong("Weight of each pattern in the update").on_hover_text(
                "softmax: the probabilities softmax(β X^T x); kernel memories: K⁻¹ k(x); Hebbian: X^T x/N. \
                 The new state is Σ weight × pattern.",
            );
            weights_ui(ui, data, dark, side * 0.5);
            ui.strong("Cosine similarity with each pattern");
            cosines_ui(ui, data, side * 0.5);
        });
    });
    ui.separator();
    ui.strong("Stored patterns (click one to cue it: noise and a blanked half as set on the left)");
    if data.views.patterns.len() != info.patterns.len() {
        data.views.patterns = (0..info.patterns.len())
            .map(|_| CachedTexture::default())
            .collect();
    }
    let thumb = ((full - 20.0) / info.patterns.len().max(1) as f32 - 8.0).clamp(28.0, 72.0);
    ui.horizontal_wrapped(|ui| {
        for (mu, pattern) in info.patterns.iter().enumerate() {
            let texture =
                data.views.patterns[mu].get(ui.ctx(), &format!("continuous-pattern-{mu}"), mu as u64, || {
                    image(pattern, width, grid_height, max, dark)
                });
            ui.vertical(|ui| {
                let label = format!("cue pattern {}", info.labels[mu]);
                let (response, _) = textured_grid(
                    ui,
                    texture.id(),
                    (width, grid_height),
                    thumb,
                    egui::Sense::click(),
                    (egui::Role::Button, &label),
                );
                if response.on_hover_text(&label).clicked() {
                    cx.commands.push(ContinuousCommand::Cue(CueParams {
                        pattern: mu,
                        ..info.setup.cue
                    }));
                }
                ui.small(&info.labels[mu]);
            });
        }
    });
    if memory.kernel == crate::families::continuous::model::KernelKind::Softmax {
        ui.strong("Energy E = −lse(β, X^T x) + ½x^T x");
        energy_ui(ui, data, dark, (ui.available_height() - 10.0).clamp(80.0, 200.0));
    }
}

fn weights_ui(ui: &mut egui::Ui, data: &ContinuousData, dark: bool, height: f32) {
    let bars: Vec<Bar> = data
        .weights
        .iter()
        .enumerate()
        .map(|(mu, &w)| {
            Bar::new(mu as f64 + 1.0, w)
                .width(0.7)
                .fill(theme::pattern(mu))
                .name(data.info.labels[mu].clone())
        })
        .collect();
    let response = crate::views::plot("continuous-weights")
        .height(height)
        .x_axis_label("pattern")
        .y_axis_label("weight")
        .include_y(0.0)
        .include_y(1.0)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("weights", bars).color(theme::theory(dark)));
        });
    crate::views::export::plot_context_menu(&response.response, "continuous-weights");
}

fn cosines_ui(ui: &mut egui::Ui, data: &ContinuousData, height: f32) {
    let end = data.updates.max(10.0);
    let response = crate::views::plot("continuous-cosines")
        .height(height)
        .legend(Legend::default().position(Corner::RightBottom))
        .x_axis_label("updates")
        .y_axis_label("cosine")
        .include_x(0.0)
        .include_x(end)
        .include_y(-0.2)
        .include_y(1.0)
        .show(ui, |plot| {
            for (mu, series) in data.cosines.iter().enumerate() {
                let points: Vec<[f64; 2]> = series.iter().copied().collect();
                plot.line(
                    Line::new(data.info.labels[mu].clone(), PlotPoints::from(points))
                        .color(theme::pattern(mu))
                        .width(2.0),
                );
            }
        });
    crate::views::export::plot_context_menu(&response.response, "continuous-cosines");
}

fn energy_ui(ui: &mut egui::Ui, data: &ContinuousData, dark: bool, height: f32) {
    let points: Vec<[f64; 2]> = data.energy.iter().copied().collect();
    let response = crate::views::plot("continuous-energy")
        .height(height)
        .x_axis_label("updates")
        .y_axis_label("E")
        .include_x(0.0)
        .include_x(data.updates.max(10.0))
        .show(ui, |plot| {
            plot.line(
                Line::new("energy", PlotPoints::from(points))
                    .color(theme::theory(dark))
                    .width(2.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "continuous-energy");
}
