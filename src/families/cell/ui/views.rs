//! The neuron lab's views: membrane potential, gates or adaptation, input current, phase plane and
//! the f-I curves of the four models.

use egui_plot::{Corner, Legend, Line, MarkerShape, PlotPoints, Points, VLine};

use super::CellData;
use crate::families::UiCx;
use crate::families::cell::model::{CellKind, PhasePlane};
use crate::families::cell::model::{InputShape, Stimulus};
use crate::families::cell::protocol::FiCurve;
use crate::families::cell::{CellCommand, NeuronLab};
use crate::views::theme;

/// Spike times are kept this long for the rate shown, in ms.
pub const SPIKE_MEMORY_MS: f64 = 4000.0;
/// The trajectory drawn in the phase plane covers this much of the recent past, in ms.
const TRAJECTORY_MS: f64 = 150.0;

/// Colour of one model in the f-I plot (the same in the scene and the Experiments window).
pub fn model_colour(kind: CellKind, dark: bool) -> egui::Color32 {
    match kind {
        CellKind::HodgkinHuxley => theme::excitatory(dark),
        CellKind::Adex => theme::pattern(1),
        CellKind::Eif => theme::pattern(2),
        CellKind::Lif => theme::pattern(4),
    }
}

/// Time shown by the traces: one cycle of the protocol (at least 200 ms, at most 2 s).
fn time_range(data: &CellData) -> (f64, f64) {
    let cycle = data.info.setup.stimulus.cycle_ms;
    let window = if cycle > 0.0 {
        cycle.clamp(200.0, 2000.0)
    } else {
        1000.0
    };
    let end = data.time_ms.max(window);
    (end - window, end)
}

/// Every view of the scene, sized to the space the window leaves.
pub fn cell_views_ui(ui: &mut egui::Ui, cx: &mut UiCx<'_, NeuronLab>, data: &CellData) {
    let dark = cx.dark;
    let kind = data.info.setup.params.kind;
    if let Some(name) = crate::views::maximise::maximised(ui.ctx()) {
        let height = crate::views::maximise::height(ui);
        match name.as_str() {
            "cell-v" => return potential_ui(ui, data, dark, height),
            "cell-slow" => return slow_ui(ui, data, dark, height),
            "cell-current" => {
                if let Some(stimulus) = current_ui(ui, data, height) {
                    cx.commands.push(CellCommand::SetStimulus(stimulus));
                }
                return;
            }
            "cell-phase" => return phase_plane_ui(ui, data, dark, height.min(ui.available_width())),
            "cell-fi" => {
                return fi_plot_ui(
                    ui,
                    "cell-fi",
                    &data.info.fi_curves,
                    Some(kind),
                    (&[], dark),
                    height,
                );
            }
            _ => {}
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{} neuron", kind.label()));
        ui.label(format!(
            "· {:.1} Hz over the last second · input {} {} ({}) · phase plane at {} {}",
            data.recent_rate_hz(),
            data.current.last().map_or(0.0, |p| p[1]).round(),
            kind.current_unit(),
            data.info.setup.stimulus.shape.label(),
            data.info.phase_current,
            kind.current_unit()
        ));
    });
    let full = ui.available_width();
    let height = ui.available_height().max(420.0);
    let top = (height * 0.62).clamp(250.0, 560.0);
    let side = (full * 0.36).min(top).max(220.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width((full - side - 16.0).max(200.0));
            let v_height = top * 0.46;
            potential_ui(ui, data, dark, v_height);
            slow_ui(ui, data, dark, top * 0.27);
            if let Some(stimulus) = current_ui(ui, data, top * 0.17) {
                cx.commands.push(CellCommand::SetStimulus(stimulus));
            }
        });
        ui.vertical(|ui| {
            ui.set_width(side);
            phase_plane_ui(ui, data, dark, side.min(top));
        });
    });
    ui.separator();
    ui.strong("f-I curves of the four models (each current over its own rheobase)")
        .on_hover_text(
            "Constant current from rest; the rate is counted over the second half of 1 s. Hodgkin-Huxley \
             jumps to a finite rate at its rheobase (type II); the integrate-and-fire neurons start from zero \
             (type I). The curves follow the parameters set on the left.",
        );
    let fi_height = (ui.available_height() - 8.0).clamp(140.0, 320.0);
    fi_plot_ui(
        ui,
        "cell-fi",
        &data.info.fi_curves,
        Some(kind),
        (&[], dark),
        fi_height,
    );
}

fn potential_ui(ui: &mut egui::Ui, data: &CellData, dark: bool, height: f32) {
    let (start, end) = time_range(data);
    let columns = (ui.available_width().max(100.0) * 2.0) as usize;
    let v = data.v_mv.decimated(start, end, columns);
    let response = crate::views::plot("cell-v")
        .height(height)
        .y_axis_label("V (mV)")
        .default_x_bounds(start, end)
        .include_y(-80.0)
        .include_y(40.0)
        .auto_bounds([true, true])
        .show(ui, |plot| {
            plot.line(
                Line::new("V", PlotPoints::from(v))
                    .color(theme::theory(dark))
                    .width(1.5),
            );
        });
    crate::views::export::plot_context_menu(&response.response, "cell-v");
}

fn slow_ui(ui: &mut egui::Ui, data: &CellData, dark: bool, height: f32) {
    let (start, end) = time_range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let hh = data.info.setup.params.kind == CellKind::HodgkinHuxley;
    let response = crate::views::plot("cell-slow")
        .height(height)
        .y_axis_label(if hh { "gates" } else { "w (pA)" })
        .include_y(if hh { 1.0 } else { 0.0 })
        .legend(Legend::default().position(Corner::RightTop))
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .show(ui, |plot| {
            if hh {
                let names = ["m (Na)", "h (Na inact.)", "n (K)"];
                let colours = [
                    theme::excitatory(dark),
                    theme::pattern(2),
                    theme::inhibitory(dark),
                ];
                for ((series, name), colour) in data.gates.iter().zip(names).zip(colours) {
                    let points = series.decimated(start, end, columns);
                    plot.line(Line::new(name, PlotPoints::from(points)).color(colour).width(1.5));
                }
            } else {
                let points = data.slow.decimated(start, end, columns);
                plot.line(
                    Line::new("w (adaptation)", PlotPoints::from(points))
                        .color(theme::inhibitory(dark))
                        .width(1.5),
                );
            }
        });
    crate::views::export::plot_context_menu(&response.response, "cell-slow");
}

/// The input current, with the protocol's own shape dashed over it. With a drawn protocol, dragging
/// across the plot redraws the current at those times of the cycle: the new protocol is returned.
fn current_ui(ui: &mut egui::Ui, data: &CellData, height: f32) -> Option<Stimulus> {
    let (start, end) = time_range(data);
    let columns = ui.available_width().max(100.0) as usize;
    let unit = data.info.setup.params.kind.current_unit();
    let stimulus = &data.info.setup.stimulus;
    let drawing = stimulus.shape == InputShape::Drawn;
    let dark = ui.visuals().dark_mode;
    let points = data.current.decimated(start, end, columns);
    let protocol: Vec<[f64; 2]> = (0..=columns)
        .map(|k| {
            let t = start + (end - start) * k as f64 / columns as f64;
            [t, stimulus.mean_current(t)]
        })
        .collect();
    let response = crate::views::plot("cell-current")
        .height(height)
        .x_axis_label("time (ms)")
        .y_axis_label(format!("I ({unit})"))
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .allow_drag(!drawing)
        .show(ui, |plot| {
            plot.line(
                Line::new("input", PlotPoints::from(points))
                    .color(theme::pattern(4))
                    .width(1.5),
            );
            plot.line(
                Line::new("protocol", PlotPoints::from(protocol))
                    .color(theme::theory(dark))
                    .style(egui_plot::LineStyle::dashed_dense())
                    .width(1.0),
            );
            let dragging = plot.response().dragged() || plot.response().drag_started();
            dragging.then(|| plot.pointer_coordinate()).flatten()
        });
    crate::views::export::plot_context_menu(&response.response, "cell-current");
    let stroke_id = response.response.id.with("stroke");
    let Some(point) = response.inner.filter(|_| drawing) else {
        ui.data_mut(|d| d.remove::<usize>(stroke_id));
        return None;
    };
    let previous = ui.data(|d| d.get_temp::<usize>(stroke_id));
    let (drawn, index) = stimulus.draw(point.x, point.y, previous)?;
    ui.data_mut(|d| d.insert_temp(stroke_id, index));
    Some(drawn)
}

/// The recent (V, slow) path, split where an integrate-and-fire reset jumps back.
fn trajectory(data: &CellData, phase: &PhasePlane) -> Vec<Vec<[f64; 2]>> {
    let from = data.time_ms - TRAJECTORY_MS;
    let mut pieces: Vec<Vec<[f64; 2]>> = vec![Vec::new()];
    let v: Vec<[f64; 2]> = data
        .v_mv
        .iter()
        .rev()
        .take_while(|p| p[0] >= from)
        .copied()
        .collect();
    let s: Vec<[f64; 2]> = data.slow.iter().rev().take(v.len()).copied().collect();
    let mut previous_v = f64::NAN;
    for (pv, ps) in v.iter().rev().zip(s.iter().rev()) {
        let x = pv[1].min(phase.v_range_mv.1 + 20.0);
        if previous_v - x > 15.0 {
            pieces.push(Vec::new());
        }
        previous_v = x;
        if let Some(last) = pieces.last_mut() {
            last.push([x, ps[1]]);
        }
    }
    pieces
}

fn phase_plane_ui(ui: &mut egui::Ui, data: &CellData, dark: bool, side: f32) {
    let kind = data.info.setup.params.kind;
    let phase = &data.info.phase;
    let hh = kind == CellKind::HodgkinHuxley;
    ui.strong(if hh {
        "Phase plane (V, n)"
    } else {
        "Phase plane (V, w)"
    })
    .on_hover_text(if hh {
        "Rinzel's reduction of Hodgkin-Huxley: m at its steady state m∞(V), h = 0.89 − 1.1 n. The \
         nullclines and fixed points are the reduced model's at the plateau current; the path is the full \
         model's last 150 ms."
    } else {
        "The V-nullcline w = I − g_L(V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T) and the w-nullcline \
         w = a(V − E_L) at the plateau current; filled circles are stable fixed points, open ones unstable. \
         The path is the last 150 ms (a reset jumps back to V_r)."
    });
    let pieces = trajectory(data, phase);
    let (v_lo, v_hi) = phase.v_range_mv;
    let slow_range = slow_range(data, phase, hh);
    let response = crate::views::plot("cell-phase")
        .width(side)
        .height(side - 24.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_label("V (mV)")
        .y_axis_label(if hh { "n" } else { "w (pA)" })
        .include_x(v_lo)
        .include_x(v_hi)
        .include_y(slow_range.0)
        .include_y(slow_range.1)
        .show(ui, |plot| {
            let v_null = Points::new("dV/dt = 0", PlotPoints::from(phase.v_nullcline.clone()))
                .color(theme::excitatory(dark))
                .radius(1.2);
            plot.points(v_null);
            let slow_null: Vec<[f64; 2]> = phase
                .slow_nullcline
                .iter()
                .copied()
                .filter(|p| p[1] >= slow_range.0 && p[1] <= slow_range.1)
                .collect();
            let name = if hh { "dn/dt = 0" } else { "dw/dt = 0" };
            plot.line(
                Line::new(name, PlotPoints::from(slow_null))
                    .color(theme::inhibitory(dark))
                    .width(2.0),
            );
            for piece in pieces {
                plot.line(
                    Line::new("trajectory", PlotPoints::from(piece))
                        .color(theme::theory(dark))
                        .width(1.5),
                );
            }
            for f in &phase.fixed_points {
                let marker = Points::new(format!("{} at {:.1} mV", f.kind, f.v_mv), vec![[f.v_mv, f.slow]])
                    .shape(MarkerShape::Circle)
                    .filled(f.stable)
                    .radius(6.0)
                    .color(theme::pattern(4));
                plot.points(marker);
            }
        });
    crate::views::export::plot_context_menu(&response.response, "cell-phase");
    if let Some(growth) = data.info.hh_growth_per_ms {
        ui.small(if growth < 0.0 {
            "full model: rest is stable at this current (Hopf at 9.78 µA/cm²)"
        } else {
            "full model: rest is unstable at this current (past the Hopf at 9.78 µA/cm²)"
        });
    }
}

/// The slow variable's range the phase plane shows: n in [0, 1]; w around its nullcline and path.
fn slow_range(data: &CellData, phase: &PhasePlane, hh: bool) -> (f64, f64) {
    if hh {
        return (0.2, 0.8);
    }
    let from = data.time_ms - TRAJECTORY_MS;
    let recent = data.slow.iter().rev().take_while(|p| p[0] >= from).map(|p| p[1]);
    let fixed = phase.fixed_points.iter().map(|f| f.slow);
    let (lo, hi) = recent
        .chain(fixed)
        .chain([0.0])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), w| {
            (lo.min(w), hi.max(w))
        });
    let pad = ((hi - lo) * 0.2).max(50.0);
    (lo - pad, hi + pad)
}

/// The f-I curves of the four models against current over rheobase; `running` is drawn thicker.
pub fn fi_plot_ui(
    ui: &mut egui::Ui,
    id: &str,
    curves: &[FiCurve],
    running: Option<CellKind>,
    (kept, dark): (&[crate::views::kept_runs::KeptRun], bool),
    height: f32,
) {
    let response = crate::views::plot(id)
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_label("current / rheobase")
        .y_axis_label("rate (Hz)")
        .include_x(0.0)
        .include_y(0.0)
        .show(ui, |plot| {
            crate::views::kept_runs::draw(plot, kept);
            for curve in curves {
                let points: Vec<[f64; 2]> = curve
                    .points
                    .iter()
                    .map(|p| [p.relative_current, p.rate_hz])
                    .collect();
                let width = if running == Some(curve.kind) { 3.0 } else { 1.5 };
                let name = format!(
                    "{} (rheobase {:.2} {})",
                    curve.kind.label(),
                    curve.rheobase,
                    curve.kind.current_unit()
                );
                plot.line(
                    Line::new(name.clone(), PlotPoints::from(points.clone()))
                        .color(model_colour(curve.kind, dark))
                        .width(width),
                );
                plot.points(
                    Points::new(name, points)
                        .color(model_colour(curve.kind, dark))
                        .radius(2.5),
                );
            }
            plot.vline(
                VLine::new("rheobase", 1.0)
                    .color(theme::theory(dark))
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
        });
    crate::views::export::plot_context_menu(&response.response, id);
}
