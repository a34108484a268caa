//! The correlations tab of a spiking scene: the measured count covariance of a sample of neurons
//! beside the one linear response predicts from the wiring, a scatter of the pairs, population
//! averages and the eigenvalues of the effective coupling with the unit circle.

use egui_plot::{Line, PlotPoints, Points, VLine};

use crate::families::spiking::CorrelationView;
use crate::families::spiking::correlations::{block_mean, pair_correlation};
use crate::views::{CachedTexture, key_of, plot, textured_grid, theme, widgets};

/// Most pairs drawn in the scatter (every pair enters the correlation coefficient).
const MAX_SCATTER_POINTS: usize = 4000;

/// The tab's textures between frames.
#[derive(Default)]
pub struct CorrelationTextures {
    measured: CachedMatrix,
    predicted: CachedMatrix,
}

/// A matrix's texture and colour-scale end, made again only when its key changes (a new view
/// arrives about once a simulated second; frames come 60 times a second).
#[derive(Default)]
struct CachedMatrix {
    texture: CachedTexture,
    key: Option<u64>,
    limit: f64,
}

/// The 98th percentile of |off-diagonal entries|: the colour scale's end (a few strong pairs do
/// not wash out the rest).
fn colour_limit(matrix: &[f64], s: usize) -> f64 {
    let mut values: Vec<f64> = (0..s * s)
        .filter(|k| k / s != k % s)
        .map(|k| matrix[k].abs())
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return 1.0;
    }
    let rank = ((values.len() - 1) as f64 * 0.98) as usize;
    let (_, limit, _) = values.select_nth_unstable_by(rank, f64::total_cmp);
    limit.max(1e-12)
}

/// The matrix as an image: off-diagonal entries on the diverging map scaled by `limit`, the
/// diagonal (the variances, far larger) grey.
fn matrix_image(matrix: &[f64], s: usize, limit: f64, dark: bool) -> egui::ColorImage {
    let pixels = (0..s * s)
        .map(|k| {
            if k / s == k % s {
                egui::Color32::GRAY
            } else {
                theme::diverging((matrix[k] / limit) as f32, dark)
            }
        })
        .collect();
    egui::ColorImage::new([s, s], pixels)
}

/// One matrix with its title, population boundaries and colour bar.
fn matrix_ui(
    ui: &mut egui::Ui,
    cached: &mut CachedMatrix,
    (title, name): (&str, &str),
    (matrix, key): (&[f64], u64),
    view: &CorrelationView,
    side: f32,
    dark: bool,
) {
    let s = view.sample.len();
    ui.vertical(|ui| {
        ui.strong(title);
        if matrix.len() != s * s || s == 0 {
            ui.allocate_space(egui::vec2(side, side));
            return;
        }
        let key = key_of(&(key, dark));
        if cached.key != Some(key) {
            cached.key = Some(key);
            cached.limit = colour_limit(matrix, s);
        }
        let limit = cached.limit;
        let handle = cached
            .texture
            .get(ui.ctx(), name, key, || matrix_image(matrix, s, limit, dark));
        ui.horizontal(|ui| {
            let (response, painter) = textured_grid(
                ui,
                handle.id(),
                (s, s),
                side,
                egui::Sense::hover(),
                (egui::Role::Image, title),
            );
            // Population boundaries.
            let rect = response.rect;
            let stroke = egui::Stroke::new(1.0, ui.visuals().text_color());
            for (_, range) in view.ranges.iter().skip(1) {
                let t = range.start as f32 / s as f32;
                painter.vline(rect.left() + t * rect.width(), rect.y_range(), stroke);
                painter.hline(rect.x_range(), rect.top() + t * rect.height(), stroke);
            }
            for (name, range) in &view.ranges {
                let t = (range.start + range.end) as f32 * 0.5 / s as f32;
                painter.text(
                    egui::pos2(rect.left() + t * rect.width(), rect.top() - 1.0),
                    egui::Align2::CENTER_BOTTOM,
                    name,
                    egui::FontId::proportional(11.0),
                    ui.visuals().text_color(),
                );
            }
            widgets::colour_scale(ui, side, (-limit, limit), "Hz", |t| {
                theme::diverging(2.0 * t - 1.0, dark)
            });
        });
    });
}

/// The correlations tab.
pub fn correlations_ui(
    ui: &mut egui::Ui,
    view: Option<&CorrelationView>,
    textures: &mut CorrelationTextures,
    dark: bool,
) {
    let Some(view) = view else {
        ui.label("Counting spikes… the first covariance arrives after a simulated second (press Play).");
        return;
    };
    let s = view.sample.len();
    let composition: Vec<String> = view
        .ranges
        .iter()
        .map(|(name, range)| format!("{} {name}", range.len()))
        .collect();
    ui.label(format!(
        "{} sampled neurons ({}), spikes counted in {:.0} ms windows for {:.1} s since the last change ({} windows). \
         Covariance of the counts per second of window, in Hz; the diagonal (variances) is grey.",
        s,
        composition.join(", "),
        view.window_ms,
        view.measured_ms / 1000.0,
        view.windows
    ));
    let theory = view.theory.as_deref();
    let status = match (theory, view.computing, &view.refused) {
        (_, _, Some(reason)) => format!("No prediction: {reason}."),
        (None, true, _) => {
            "Predicting from the wiring (an N×N inverse and eigenvalues, in the background)…".into()
        }
        (None, false, _) => "The prediction starts once the rates are measured.".into(),
        (Some(t), computing, _) => format!(
            "Predicted as C = (I − W_eff)^-1 D (I − W_eff)^-T with W_eff,ij = J_ij τ_m ∂ν_i/∂μ from {} (J_E {:.2} mV, J_I {:.2} mV){}.",
            if t.measured_ms > 0.0 {
                format!("the rates of the first {:.0} s", t.measured_ms / 1000.0)
            } else {
                "the rates before the last change (the new ones are being measured)".into()
            },
            t.j_mv.0,
            t.j_mv.1,
            if computing { "; updating…" } else { "" }
        ),
    };
    ui.label(status).on_hover_text(
        "Linear response (Trousdale et al. 2012; Helias et al. 2013): each neuron's rate responds to its \
         mean input with the slope of the Siegert rate at the measured rate; D = rate × Fano factor. It holds \
         for weak coupling and asynchronous activity with windows long against the correlation time; it fails \
         with synchrony and oscillations, strong coupling and mean-driven neurons with little noise.",
    );
    let full = ui.available_width();
    let side = ((full - 3.0 * 90.0) / 3.0).clamp(140.0, ui.available_height() * 0.42);
    ui.horizontal_top(|ui| {
        matrix_ui(
            ui,
            &mut textures.measured,
            ("Measured covariance", "measured-covariance"),
            (
                &view.measured_hz,
                key_of(&(view.windows, view.measured_ms.to_bits())),
            ),
            view,
            side,
            dark,
        );
        let empty = Vec::new();
        let predicted = theory.map_or(&empty, |t| &t.prediction.covariance_hz);
        // A prediction is one Arc: its address names it.
        let predicted_key = view
            .theory
            .as_ref()
            .map_or(0, |t| std::sync::Arc::as_ptr(t) as usize as u64);
        matrix_ui(
            ui,
            &mut textures.predicted,
            ("Predicted from the wiring", "predicted-covariance"),
            (predicted, predicted_key),
            view,
            side,
            dark,
        );
        ui.vertical(|ui| eigenvalues_ui(ui, theory, side, dark));
    });
    let height = (ui.available_height() - 30.0).max(140.0);
    ui.columns(2, |columns| {
        scatter_ui(&mut columns[0], view, theory, height, dark);
        averages_ui(&mut columns[1], view, theory);
    });
}

/// Eigenvalues of W_eff in the complex plane with the unit circle and the line Re λ = 1.
fn eigenvalues_ui(
    ui: &mut egui::Ui,
    theory: Option<&crate::families::spiking::CorrelationTheory>,
    side: f32,
    dark: bool,
) {
    let title = theory.map_or("Eigenvalues of W_eff".to_string(), |t| {
        format!(
            "Eigenvalues of W_eff: radius {:.2}, largest Re {:.2}",
            t.spectrum.spectral_radius, t.spectrum.max_real
        )
    });
    ui.strong(title).on_hover_text(
        "The linearised network loses its stable asynchronous state when an eigenvalue's real part reaches 1 \
         (dashed line): the distance to instability, i.e. to criticality. A large negative eigenvalue is the \
         population's inhibitory feedback.",
    );
    let text_colour = ui.visuals().strong_text_color();
    plot("spiking-eigenvalues")
        .width(side + 40.0)
        .height(side)
        .data_aspect(1.0)
        .x_axis_label("Re λ")
        .y_axis_label("Im λ")
        .show(ui, |plot_ui| {
            let circle: PlotPoints = (0..=128)
                .map(|k| {
                    let a = k as f64 / 128.0 * std::f64::consts::TAU;
                    [a.cos(), a.sin()]
                })
                .collect();
            plot_ui.line(Line::new("unit circle", circle).color(theme::theory(dark)));
            plot_ui.vline(
                VLine::new("Re λ = 1", 1.0)
                    .color(theme::error(dark))
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
            if let Some(t) = theory {
                let points: PlotPoints = t.spectrum.eigenvalues.iter().map(|&(re, im)| [re, im]).collect();
                plot_ui.points(Points::new("eigenvalues", points).radius(1.5).color(text_colour));
            }
        });
}

/// Predicted against measured covariance, one point per pair, coloured by its populations.
fn scatter_ui(
    ui: &mut egui::Ui,
    view: &CorrelationView,
    theory: Option<&crate::families::spiking::CorrelationTheory>,
    height: f32,
    dark: bool,
) {
    let s = view.sample.len();
    let ready =
        theory.filter(|t| t.prediction.covariance_hz.len() == s * s && view.measured_hz.len() == s * s);
    let Some(t) = ready else {
        ui.strong("Predicted against measured, pair by pair");
        ui.label("(waiting for both matrices)");
        return;
    };
    let predicted = &t.prediction.covariance_hz;
    let r = pair_correlation(predicted, &view.measured_hz, s);
    ui.strong(format!("Predicted against measured, pair by pair: r = {r:.2}"))
        .on_hover_text("Pearson's correlation over every sampled pair; the dashed line is equality. The measured values scatter by the counting noise, which shrinks as windows accumulate.");
    let pairs = s * (s - 1) / 2;
    let stride = pairs.div_ceil(MAX_SCATTER_POINTS).max(1);
    let kinds = pair_kinds(view);
    let mut groups: Vec<Vec<[f64; 2]>> = vec![Vec::new(); kinds.len()];
    let mut k = 0usize;
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for a in 0..s {
        for b in a + 1..s {
            k += 1;
            if !k.is_multiple_of(stride) {
                continue;
            }
            let (x, y) = (predicted[a * s + b], view.measured_hz[a * s + b]);
            low = low.min(x.min(y));
            high = high.max(x.max(y));
            let kind = kinds
                .iter()
                .position(|kind| kind.1.contains(&a) && kind.2.contains(&b))
                .unwrap_or(0);
            groups[kind].push([x, y]);
        }
    }
    plot("spiking-covariance-scatter")
        .height(height)
        .x_axis_label("predicted (Hz)")
        .y_axis_label("measured (Hz)")
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
        .show(ui, |plot_ui| {
            if low.is_finite() {
                plot_ui.line(
                    Line::new("equality", vec![[low, low], [high, high]])
                        .color(theme::theory(dark))
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
            for ((name, _, _), (points, colour)) in
                kinds.iter().zip(groups.into_iter().zip(pair_colours(dark)))
            {
                plot_ui.points(Points::new(name.as_str(), points).radius(1.5).color(colour));
            }
        });
}

/// Kinds of pair: name and the sample positions of the first and second member (E-E, E-I, I-I).
fn pair_kinds(view: &CorrelationView) -> Vec<(String, std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut kinds = Vec::new();
    for (i, (a, ra)) in view.ranges.iter().enumerate() {
        for (b, rb) in view.ranges.iter().skip(i) {
            kinds.push((format!("{a}-{b}"), ra.clone(), rb.clone()));
        }
    }
    kinds
}

fn pair_colours(dark: bool) -> impl Iterator<Item = egui::Color32> {
    let purple = egui::Color32::from_rgb(150, 90, 190);
    [theme::excitatory(dark), purple, theme::inhibitory(dark)]
        .into_iter()
        .chain(std::iter::repeat(egui::Color32::GRAY))
}

/// Population averages of predicted and measured covariances and the operating points.
fn averages_ui(
    ui: &mut egui::Ui,
    view: &CorrelationView,
    theory: Option<&crate::families::spiking::CorrelationTheory>,
) {
    let s = view.sample.len();
    ui.strong("Population averages (Hz)");
    egui::Grid::new("covariance-averages")
        .striped(true)
        .show(ui, |ui| {
            ui.label("pairs");
            ui.label("measured");
            ui.label("predicted");
            ui.end_row();
            for (name, ra, rb) in pair_kinds(view) {
                ui.label(name);
                let measured = (view.measured_hz.len() == s * s)
                    .then(|| block_mean(&view.measured_hz, s, ra.clone(), rb.clone()));
                let predicted = theory
                    .filter(|t| t.prediction.covariance_hz.len() == s * s)
                    .map(|t| block_mean(&t.prediction.covariance_hz, s, ra.clone(), rb.clone()));
                for value in [measured, predicted] {
                    ui.label(value.map_or("–".into(), |v| format!("{v:+.4}")));
                }
                ui.end_row();
            }
        });
    if let Some(t) = theory {
        ui.add_space(6.0);
        ui.strong("Operating point (diffusion approximation)");
        egui::Grid::new("covariance-operating-points").striped(true).show(ui, |ui| {
            for text in ["", "rate", "μ", "σ", "Siegert at μ", "gain ∂ν/∂μ"] {
                ui.label(text);
            }
            ui.end_row();
            for p in &t.prediction.points {
                ui.label(&p.name);
                ui.label(format!("{:.1} Hz", p.rate_hz));
                ui.label(format!("{:.1} mV", p.mu_mv));
                ui.label(format!("{:.1} mV", p.sigma_mv));
                ui.label(format!("{:.1} Hz", p.siegert_rate_hz));
                ui.label(format!("{:.2} Hz/mV", p.gain_hz_per_mv));
                ui.end_row();
            }
        })
        .response
        .on_hover_text("μ and σ of each population's input from the measured rates; the gain is the Siegert slope where its rate equals the measured one.");
    }
}
