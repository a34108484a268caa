//! For EIF neurons: dV/dt against V with its fixed points (stable rest, unstable threshold).

use egui_plot::{HLine, Legend, Line, PlotPoints, Points};

use super::data::SpikingData;
use crate::families::spiking::model::NeuronModel;
use crate::views::theme;

/// Draws dV/dt(V) = (−(V − V_rest) + μ + Δ_T exp((V − V_T)/Δ_T)) / τ_m of the first EIF population.
pub fn eif_phase_ui(ui: &mut egui::Ui, data: &SpikingData, dark: bool, height: f32) {
    let Some(population) = data
        .info
        .params
        .populations
        .iter()
        .find(|p| matches!(p.neuron.model, NeuronModel::Eif { .. }))
    else {
        return;
    };
    let NeuronModel::Eif { delta_t_mv, v_t_mv } = population.neuron.model else {
        return;
    };
    let n = &population.neuron;
    let mu = population.drive.current_mv;
    let f = |v: f64| (-(v - n.v_rest_mv) + mu + delta_t_mv * ((v - v_t_mv) / delta_t_mv).exp()) / n.tau_m_ms;
    // Up to a few Δ_T above V_T: beyond it the exponential dwarfs everything else.
    let (lo, hi) = (
        n.v_reset_mv - 10.0,
        n.v_threshold_mv.min(v_t_mv + 4.0 * delta_t_mv),
    );
    let samples = 400;
    let curve: Vec<[f64; 2]> = (0..=samples)
        .map(|k| lo + (hi - lo) * k as f64 / samples as f64)
        .map(|v| [v, f(v)])
        .collect();
    // Fixed points: sign changes of dV/dt, refined by bisection.
    let mut fixed = Vec::new();
    for w in curve.windows(2) {
        if w[0][1].signum() != w[1][1].signum() {
            let (mut a, mut b) = (w[0][0], w[1][0]);
            for _ in 0..50 {
                let m = 0.5 * (a + b);
                if f(a).signum() == f(m).signum() {
                    a = m
                } else {
                    b = m
                }
            }
            fixed.push([0.5 * (a + b), 0.0]);
        }
    }
    ui.label(match fixed.len() {
        0 => "EIF dV/dt: no fixed point, the neuron fires even without noise (μ above rheobase)".to_string(),
        _ => format!(
            "EIF dV/dt: stable rest at {:.2} mV, unstable threshold at {:.2} mV",
            fixed[0][0],
            fixed.get(1).map_or(f64::NAN, |p| p[0])
        ),
    });
    let plot_response = crate::views::plot("eif-phase")
        .show_background(false)
        .height(height)
        .legend(Legend::default())
        .x_axis_label("V (mV)")
        // The unit alone: a longer rotated label overruns this short plot into the line above.
        .y_axis_label("mV/ms")
        .include_y(-1.0)
        .include_y(1.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.hline(HLine::new("dV/dt = 0", 0.0).color(theme::theory(dark)));
            plot.line(
                Line::new(format!("μ = {mu} mV"), PlotPoints::from(curve))
                    .color(theme::excitatory(dark))
                    .width(2.0),
            );
            plot.points(
                Points::new("fixed points", PlotPoints::from(fixed))
                    .color(theme::inhibitory(dark))
                    .radius(5.0),
            );
        });
    crate::views::export::plot_context_menu(&plot_response.response, "eif-phase");
}
