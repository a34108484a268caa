//! The Boltzmann machine's views: the learning curve (against the best possible likelihood, or a
//! restricted machine's reconstruction error), the training patterns (click one to complete it from
//! its top rows), the dreams as pixel grids, and the completion: sampled and exact
//! p(pixel on | evidence) side by side.

use egui_plot::{HLine, Line, LineStyle, PlotPoints};

use super::SamplingData;
use crate::families::UiCx;
use crate::families::sampling::{MachineInfo, Sampling, SamplingCommand};
use crate::views::theme;

/// Draws a grid of `grid` = (width, height) values in [0, 1] (0 off, 1 on, between: blended), `size`
/// points wide, with clamped pixels outlined; returns the response for clicks and hover.
pub fn pixel_grid(
    ui: &mut egui::Ui,
    values: &[f64],
    grid: (usize, usize),
    size: f32,
    clamp: Option<&[Option<bool>]>,
    dark: bool,
) -> egui::Response {
    let (width, height) = (grid.0.max(1), grid.1.max(1));
    let cell = size / width as f32;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(size, cell * height as f32), egui::Sense::click());
    let painter = ui.painter_at(rect);
    let (on, off) = (theme::neuron_on(dark), theme::neuron_off(dark));
    // Small pixels touch (a gap would stripe the image) and carry a thin outline, or none below
    // 5 points, where it would hide the pixel.
    let (gap, outline) = match cell {
        c if c >= 12.0 => (0.5, 2.0),
        c if c >= 5.0 => (0.0, 1.0),
        _ => (0.0, 0.0),
    };
    let colour = |v: f64| off.lerp_to_gamma(on, v.clamp(0.0, 1.0) as f32);
    let cells = values.len().min(width * height);
    // Touching pixels of one colour along a row are filled as one rectangle: 24 dreamed letters
    // are 6,144 pixels, which as single rectangles held a software renderer under 30 fps.
    let mut k = 0;
    while k < cells {
        let (r, c) = (k / width, k % width);
        let mut run = 1;
        while gap == 0.0 && c + run < width && k + run < cells && colour(values[k + run]) == colour(values[k])
        {
            run += 1;
        }
        let min = rect.min + egui::vec2(c as f32 * cell, r as f32 * cell);
        let block = egui::Rect::from_min_size(min, egui::vec2(cell * run as f32, cell)).shrink(gap);
        painter.rect_filled(block, 0.0, colour(values[k]));
        k += run;
    }
    for k in 0..cells {
        let (r, c) = (k / width, k % width);
        let min = rect.min + egui::vec2(c as f32 * cell, r as f32 * cell);
        let pixel = egui::Rect::from_min_size(min, egui::vec2(cell, cell)).shrink(gap);
        if outline > 0.0 && clamp.and_then(|c| c.get(k).copied().flatten()).is_some() {
            painter.rect_stroke(
                pixel.shrink(outline / 2.0),
                0.0,
                egui::Stroke::new(outline, theme::error(dark)),
                egui::StrokeKind::Inside,
            );
        }
    }
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, ui.visuals().weak_text_color()),
        egui::StrokeKind::Inside,
    );
    response
}

/// The machine scene's central views.
pub fn machine_views_ui(ui: &mut egui::Ui, cx: &mut UiCx<'_, Sampling>, data: &SamplingData) {
    let dark = cx.dark;
    let Some(info) = data.info.machine.clone() else {
        return;
    };
    let grid = (info.width, info.height);
    // A pattern drawn at least 4 points per pixel.
    let small = (4.0 * info.width as f32).max(44.0);
    // The completion at 10 points per pixel (120 points for the small grids).
    let large = (10.0 * info.width as f32).max(120.0);
    let width = ui.available_width();
    let half = ((width - 20.0) / 2.0).max(200.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(half);
            if info.restricted {
                reconstruction_plot(ui, &info, data, dark);
            } else {
                likelihood_plot(ui, &info, data, dark);
            }
            // The info is sent only when learning ends: the frames carry the progress.
            let value = data.learning.last().map_or(info.log_likelihood, |p| p[1]);
            let measure = if info.restricted {
                format!("reconstruction error {value:.4}")
            } else {
                format!("<ln p(v)> = {value:.3} nats")
            };
            ui.label(format!(
                "{} visible + {} hidden units, epoch {} of {}: {measure}",
                info.visible,
                info.hidden,
                data.epochs_done.max(info.epochs_done),
                info.setup.epochs
            ));
        });
        ui.vertical(|ui| {
            ui.set_width(half);
            ui.strong(format!(
                "The {} training patterns (click one: complete it from its top rows)",
                info.data.len()
            ));
            ui.horizontal_wrapped(|ui| {
                for (mu, v) in info.data.iter().enumerate() {
                    let values: Vec<f64> = v.iter().map(|&x| f64::from(x)).collect();
                    let r = pixel_grid(ui, &values, grid, small, None, dark)
                        .on_hover_text("Clamp this pattern's top row(s) and let the machine sample the rest");
                    if r.clicked() {
                        cx.commands.push(SamplingCommand::CompleteFromTop(mu));
                    }
                }
            });
            ui.horizontal(|ui| {
                if ui
                    .button("Dream freely")
                    .on_hover_text("Free every pixel: the machine samples its own distribution")
                    .clicked()
                {
                    cx.commands.push(SamplingCommand::SetClamp(Vec::new()));
                }
                if ui
                    .button("Random state")
                    .on_hover_text("The dreaming chain jumps to a random state")
                    .clicked()
                {
                    cx.commands.push(SamplingCommand::RandomStates);
                }
            });
        });
    });
    ui.separator();
    let valid = if data.valid_fraction.is_finite() {
        format!("{:.0} %", 100.0 * data.valid_fraction)
    } else {
        "—".into()
    };
    ui.strong(format!(
        "Dreams: the visible units every 50 ms of Gibbs sampling ({valid} are {})",
        info.valid_label
    ));
    ui.horizontal_wrapped(|ui| {
        for dream in data.dreams.iter().rev() {
            let values: Vec<f64> = dream.iter().map(|&x| f64::from(x)).collect();
            pixel_grid(ui, &values, grid, small, Some(&info.clamp), dark);
        }
    });
    ui.separator();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.strong("Sampled p(pixel on | evidence)");
            pixel_grid(ui, &data.visible_marginals, grid, large, Some(&info.clamp), dark)
                .on_hover_text("How often each pixel was on in the dreams since the evidence last changed (red: clamped)");
        });
        ui.vertical(|ui| {
            ui.strong("Exact p(pixel on | evidence)");
            match &info.exact_visible_marginals {
                Some(exact) => {
                    pixel_grid(ui, exact, grid, large, Some(&info.clamp), dark)
                        .on_hover_text("Enumerated over every state of the learned machine");
                }
                None if info.restricted => {
                    ui.label(format!(
                        "none: 2^{} states are too many to enumerate",
                        info.visible + info.hidden
                    ));
                }
                None => {
                    ui.label("after learning");
                }
            }
        });
        ui.vertical(|ui| {
            ui.label("p");
            let (on, off) = (theme::neuron_on(dark), theme::neuron_off(dark));
            crate::views::widgets::colour_scale(ui, large, (0.0, 1.0), "", |t| off.lerp_to_gamma(on, t));
        });
        ui.vertical(|ui| {
            ui.label(if info.restricted {
                "Clicking a letter clamps its top half (red outline): the machine fills in the bottom half by \
                 sampling. Its 2^256 visible states cannot be enumerated, so there is no exact posterior here: \
                 the completed half is judged against the letter itself."
            } else {
                "Clicking a training pattern clamps its top row(s) (red outline): the machine fills in the rest by \
                 sampling, and the sampled probabilities approach the exact posterior of the learned machine. A \
                 top row like 1 0 1 can only continue as bars; 1 1 1 leaves a stripe or the all-on grid open."
            });
        });
    });
}

/// The exact learning curve: the mean log-likelihood of the data per epoch, with the best possible
/// (−ln of the number of patterns) and the uniform distribution as references.
fn likelihood_plot(ui: &mut egui::Ui, info: &MachineInfo, data: &SamplingData, dark: bool) {
    ui.strong("Learning: mean log-likelihood of the data (exact)");
    let uniform = -((info.visible as f64) * std::f64::consts::LN_2);
    crate::views::plot("machine-learning")
        .height(230.0)
        .legend(
            egui_plot::Legend::default()
                .position(egui_plot::Corner::RightBottom)
                .follow_insertion_order(true),
        )
        .x_axis_label("epoch")
        .y_axis_label("<ln p(v)> over the data (nats)")
        .include_x(0.0)
        .include_x(info.setup.epochs as f64)
        .include_y(uniform)
        .include_y(0.0)
        .show(ui, |plot| {
            plot.hline(
                HLine::new(
                    format!("best: −ln {} = {:.3}", info.data.len(), info.best_log_likelihood),
                    info.best_log_likelihood,
                )
                .color(theme::theory(dark))
                .style(LineStyle::dashed_loose()),
            );
            plot.hline(
                HLine::new(format!("uniform over 2^{}: {uniform:.2}", info.visible), uniform)
                    .color(theme::theory(dark))
                    .style(LineStyle::dotted_dense()),
            );
            plot.line(
                Line::new("the machine", PlotPoints::from(data.learning.clone()))
                    .color(theme::pattern(0))
                    .width(2.0),
            );
        });
}

/// A restricted machine's learning curve: the mean squared difference between each letter and its
/// one-step reconstruction p(v | h ~ p(h | letter)), per epoch (its likelihood cannot be computed).
fn reconstruction_plot(ui: &mut egui::Ui, info: &MachineInfo, data: &SamplingData, _dark: bool) {
    ui.strong("Learning (CD-1): reconstruction error of the letters");
    crate::views::plot("machine-learning")
        .height(230.0)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightTop))
        .x_axis_label("epoch")
        .y_axis_label("mean squared error per pixel")
        .include_x(0.0)
        .include_x(info.setup.epochs as f64)
        .include_y(0.0)
        .show(ui, |plot| {
            plot.line(
                Line::new("the machine", PlotPoints::from(data.learning.clone()))
                    .color(theme::pattern(0))
                    .width(2.0),
            );
        });
}
