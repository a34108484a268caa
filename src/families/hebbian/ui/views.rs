//! The Hebbian views: the data plane with the weight arrows (two dimensions) or the weights beside
//! the leading eigenvector (more), angles over samples with the theory's curve, |w| and log |w|.

use egui_plot::{Bar, BarChart, Corner, HLine, Legend, Line, LineStyle, PlotPoints, Points};

use super::HebbData;
use crate::families::hebbian::model::oja_angle_theory_deg;
use crate::views::theme;

/// Colour of component `i`.
fn component_colour(i: usize) -> egui::Color32 {
    theme::pattern(i)
}

/// Colour of plain Hebb.
fn hebb_colour() -> egui::Color32 {
    theme::pattern(3)
}

/// Every view of the scene, sized to the space the window leaves.
pub fn hebb_views_ui(ui: &mut egui::Ui, data: &HebbData, dark: bool) {
    if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
        let height = crate::views::maximise::height(ui);
        match name.as_str() {
            "hebb-plane" => return plane_ui(ui, data, dark, height.min(ui.available_width())),
            "hebb-weights" => return weights_ui(ui, data, dark, height.min(ui.available_width())),
            "hebb-angles" => return angles_ui(ui, data, dark, height),
            "hebb-norms" => return norms_ui(ui, data, dark, height),
            "hebb-growth" => return hebb_norm_ui(ui, data, dark, height),
            _ => {}
        }
    }
    let info = &data.info;
    let l = &info.eigenvalues;
    let norms: Vec<String> = data
        .norms
        .iter()
        .map(|s| s.last().map_or(0.0, |p| p[1]))
        .map(|n| format!("{n:.3}"))
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.strong(info.setup.learn.rule_name());
        ui.label(format!(
            "· {:.0} samples · λ = {} · τ = 1/(η(λ1 − λ2)) = {:.0} samples · |w| = {} · plain Hebb |w| = 10^{:.1}",
            data.samples,
            l.iter().take(4).map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(", "),
            info.time_constant,
            norms.join(", "),
            data.hebb_log10_norm.last().map_or(0.0, |p| p[1])
        ));
    });
    let full = ui.available_width();
    let height = ui.available_height().max(400.0);
    let side = (full * 0.42).min(height - 30.0).max(260.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(side);
            if info.setup.data.dim == 2 {
                ui.strong("Data, eigenvectors and weights").on_hover_text(
                    "Grey: the latest samples x; the ellipse spans two standard deviations; dashed: the \
                     eigenvectors e1, e2 of the covariance; arrows: the weight vectors of Oja's (or Sanger's) \
                     rule, which turn to the eigenvectors and settle at length 1 (the dotted unit circle); red: \
                     plain Hebb's direction (its length is off the chart).",
                );
                plane_ui(ui, data, dark, side);
            } else {
                ui.strong("Weights of component 1 beside the leading eigenvector").on_hover_text(
                    "Each pair of bars is one input: the weight w_1k and e1_k (sign-matched: −e1 is as good)",
                );
                weights_ui(ui, data, dark, side);
            }
        });
        ui.vertical(|ui| {
            let plot_height = (height - 90.0) / 3.0;
            ui.strong("Angle to the eigenvector (degrees)");
            angles_ui(ui, data, dark, plot_height);
            ui.strong("|w| of each component: Oja's rule keeps it at 1");
            norms_ui(ui, data, dark, plot_height);
            ui.strong("log₁₀ |w| of plain Hebb: it grows without bound, by η λ1 / ln 10 per sample");
            hebb_norm_ui(ui, data, dark, plot_height);
        });
    });
}

fn arrow(
    plot: &mut egui_plot::PlotUi<'_>,
    name: &str,
    w: &[f64],
    colour: egui::Color32,
    style: LineStyle,
    width: f32,
) {
    let (x, y) = (w[0], w[1]);
    let length = (x * x + y * y).sqrt().max(1e-12);
    let (ux, uy) = (x / length, y / length);
    let head = 0.15_f64.min(length * 0.4);
    let left = [x - head * (ux - 0.5 * uy), y - head * (uy + 0.5 * ux)];
    let right = [x - head * (ux + 0.5 * uy), y - head * (uy - 0.5 * ux)];
    plot.line(
        Line::new(name, PlotPoints::from(vec![[0.0, 0.0], [x, y]]))
            .color(colour)
            .width(width)
            .style(style),
    );
    plot.line(
        Line::new(name, PlotPoints::from(vec![left, [x, y], right]))
            .color(colour)
            .width(width),
    );
}

fn plane_ui(ui: &mut egui::Ui, data: &HebbData, dark: bool, side: f32) {
    let info = &data.info;
    let extent = 2.5 * info.eigenvalues[0].sqrt();
    let response = crate::views::plot("hebb-plane")
        .width(side)
        .height(side - 20.0)
        .data_aspect(1.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_label("x₁")
        .y_axis_label("x₂")
        .include_x(-extent)
        .include_x(extent)
        .include_y(-extent)
        .include_y(extent)
        .show(ui, |plot| {
            let points: Vec<[f64; 2]> = data
                .points
                .iter()
                .map(|p| [f64::from(p[0]), f64::from(p[1])])
                .collect();
            let grey = if dark {
                egui::Color32::from_gray(110)
            } else {
                egui::Color32::from_gray(170)
            };
            plot.points(Points::new("samples", points).color(grey).radius(1.5));
            plot.line(
                Line::new("2 s.d. ellipse", PlotPoints::from(info.ellipse.clone()))
                    .color(theme::theory(dark))
                    .width(1.0),
            );
            for (k, e) in info.eigenvectors.iter().take(2).enumerate() {
                let r = 2.0 * info.eigenvalues[k].sqrt();
                plot.line(
                    Line::new(
                        format!("e{}", k + 1),
                        PlotPoints::from(vec![[-r * e[0], -r * e[1]], [r * e[0], r * e[1]]]),
                    )
                    .color(theme::theory(dark))
                    .style(LineStyle::dashed_loose())
                    .width(1.0),
                );
            }
            let circle: Vec<[f64; 2]> = (0..=100)
                .map(|k| {
                    let t = std::f64::consts::TAU * f64::from(k) / 100.0;
                    [t.cos(), t.sin()]
                })
                .collect();
            plot.line(
                Line::new("|w| = 1", PlotPoints::from(circle))
                    .color(theme::theory(dark))
                    .style(LineStyle::dotted_dense()),
            );
            if data.hebb_direction.len() == 2 {
                let d = &data.hebb_direction;
                let tip = [d[0] * extent * 0.9, d[1] * extent * 0.9];
                arrow(
                    plot,
                    "plain Hebb (direction)",
                    &tip,
                    hebb_colour(),
                    LineStyle::dashed_dense(),
                    1.5,
                );
            }
            let rule = if data.weights.len() == 1 { "Oja" } else { "Sanger" };
            for (i, w) in data.weights.iter().enumerate() {
                arrow(
                    plot,
                    &format!("w{} ({rule})", i + 1),
                    w,
                    component_colour(i),
                    LineStyle::Solid,
                    3.5,
                );
            }
        });
    crate::views::export::plot_context_menu(&response.response, "hebb-plane");
}

fn weights_ui(ui: &mut egui::Ui, data: &HebbData, dark: bool, side: f32) {
    let Some(w) = data.weights.first() else {
        return;
    };
    let e = &data.info.eigenvectors[0];
    let sign = if w.iter().zip(e).map(|(a, b)| a * b).sum::<f64>() < 0.0 {
        -1.0
    } else {
        1.0
    };
    let bars_w: Vec<Bar> = w
        .iter()
        .enumerate()
        .map(|(k, &x)| Bar::new(k as f64 + 0.8, x).width(0.35))
        .collect();
    let bars_e: Vec<Bar> = e
        .iter()
        .enumerate()
        .map(|(k, &x)| Bar::new(k as f64 + 1.2, sign * x).width(0.35))
        .collect();
    let response = crate::views::plot("hebb-weights")
        .width(side)
        .height(side - 20.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_label("input k")
        .y_axis_label("weight")
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("w₁ (learned)", bars_w).color(component_colour(0)));
            plot.bar_chart(BarChart::new("e₁ (eigenvector)", bars_e).color(theme::theory(dark)));
        });
    crate::views::export::plot_context_menu(&response.response, "hebb-weights");
}

fn range(data: &HebbData) -> (f64, f64) {
    let window = (20.0 * data.info.time_constant).clamp(500.0, 50_000.0);
    let end = data.samples.max(window);
    (end - window, end)
}

fn angles_ui(ui: &mut egui::Ui, data: &HebbData, dark: bool, height: f32) {
    let (start, end) = range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let info = &data.info;
    let (eta, l) = (info.setup.learn.eta, &info.eigenvalues);
    let response = crate::views::plot("hebb-angles")
        .height(height)
        .legend(Legend::default().position(Corner::RightTop))
        .y_axis_label("degrees")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .include_y(90.0)
        .auto_bounds([true, false])
        .show(ui, |plot| {
            for (i, series) in data.angles.iter().enumerate() {
                let name = format!("w{} to e{}", i + 1, i + 1);
                plot.line(
                    Line::new(name, PlotPoints::from(series.decimated(start, end, columns)))
                        .color(component_colour(i))
                        .width(2.0),
                );
            }
            plot.line(
                Line::new(
                    "plain Hebb to e1",
                    PlotPoints::from(data.hebb_angle.decimated(start, end, columns)),
                )
                .color(hebb_colour())
                .width(1.0),
            );
            if let Some([t0, a0]) = data.theory_start {
                let theory: Vec<[f64; 2]> = (0..=200)
                    .map(|k| {
                        let t = t0.max(start) + (end - t0.max(start)) * f64::from(k) / 200.0;
                        [t, oja_angle_theory_deg(a0, t - t0, eta, l[0], l[1])]
                    })
                    .collect();
                plot.line(
                    Line::new("theory: tan φ = tan φ₀ e^(−t/τ)", PlotPoints::from(theory))
                        .color(theme::theory(dark))
                        .style(LineStyle::dashed_loose()),
                );
            }
        });
    crate::views::export::plot_context_menu(&response.response, "hebb-angles");
}

fn norms_ui(ui: &mut egui::Ui, data: &HebbData, dark: bool, height: f32) {
    let (start, end) = range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let response = crate::views::plot("hebb-norms")
        .height(height)
        .y_axis_label("|w|")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .include_y(1.2)
        .auto_bounds([true, true])
        .show(ui, |plot| {
            for (i, series) in data.norms.iter().enumerate() {
                plot.line(
                    Line::new(
                        format!("|w{}|", i + 1),
                        PlotPoints::from(series.decimated(start, end, columns)),
                    )
                    .color(component_colour(i))
                    .width(2.0),
                );
            }
            plot.hline(
                HLine::new("1", 1.0)
                    .color(theme::theory(dark))
                    .style(LineStyle::dashed_loose()),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "hebb-norms");
}

fn hebb_norm_ui(ui: &mut egui::Ui, data: &HebbData, _dark: bool, height: f32) {
    let (start, end) = range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let response = crate::views::plot("hebb-growth")
        .height(height)
        .x_axis_label("samples")
        .y_axis_label("log₁₀ |w|")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .show(ui, |plot| {
            plot.line(
                Line::new(
                    "plain Hebb",
                    PlotPoints::from(data.hebb_log10_norm.decimated(start, end, columns)),
                )
                .color(hebb_colour())
                .width(2.0),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "hebb-growth");
}
