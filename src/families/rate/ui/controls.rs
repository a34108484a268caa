//! The rate scene's controls: the learning rule's amplitude and thresholds, connectivity and load,
//! the cue, with units, tooltips and restore marks; a refused combination changes nothing.

use super::{RateControls, RateData};
use crate::families::UiCx;
use crate::families::rate::{Rate, RateCommand};
use crate::views::widgets::param_slider;

/// The rate control panel.
pub fn rate_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Rate>,
    controls: &mut RateControls,
    data: &RateData,
) {
    let info = &data.info;
    let mut params = info.params.clone();
    let preset = &info.preset_params;
    ui.heading("Network");
    ui.label(format!(
        "{} neurons, {} synapses, {} patterns: load α = P/(cN) = {:.3}",
        info.n_neurons,
        info.n_synapses,
        info.n_patterns,
        params.load()
    ));
    let mut changed = false;
    let tip = "Number of stored patterns P; the load α = P/(cN) grows with it until memory collapses";
    changed |= crate::views::widgets::count_slider(
        ui,
        &mut params.patterns,
        1..=200,
        "patterns P",
        tip,
        Some(preset.patterns),
    );
    let tip = "Connection probability c: each synapse exists with probability c (rebuilds the couplings)";
    changed |= param_slider(
        ui,
        &mut params.connection_prob,
        0.005..=1.0,
        "connectivity c",
        "",
        tip,
        Some(preset.connection_prob),
    );
    let tip = "Time constant τ of the rates";
    changed |= param_slider(
        ui,
        &mut params.tau_ms,
        2.0..=100.0,
        "τ",
        "ms",
        tip,
        Some(preset.tau_ms),
    );
    ui.separator();
    ui.heading("Learning rule");
    let tip = "Amplitude A of the couplings: weak coupling forgets, strong coupling holds the pattern";
    changed |= param_slider(
        ui,
        &mut params.amplitude,
        0.0..=10.0,
        "A",
        "",
        tip,
        Some(preset.amplitude),
    );
    let tip = "Rate above which the postsynaptic factor f turns potentiating";
    changed |= param_slider(
        ui,
        &mut params.x_f_hz,
        0.0..=params.r_max_hz,
        "x_f",
        "Hz",
        tip,
        Some(preset.x_f_hz),
    );
    let tip = "Rate above which the presynaptic factor g turns positive (q_g follows so that E[g] = 0)";
    changed |= param_slider(
        ui,
        &mut params.x_g_hz,
        0.0..=params.r_max_hz,
        "x_g",
        "Hz",
        tip,
        Some(preset.x_g_hz),
    );
    let tip = "Offset of f: the fraction of depression versus potentiation";
    changed |= param_slider(ui, &mut params.q_f, 0.0..=1.0, "q_f", "", tip, Some(preset.q_f));
    let tip = "Steepness of f and g: large values give the step-function limit";
    let mut beta = params.beta_f_per_hz;
    if param_slider(
        ui,
        &mut beta,
        0.01..=5.0,
        "β_f = β_g",
        "/Hz",
        tip,
        Some(preset.beta_f_per_hz),
    ) {
        params.beta_f_per_hz = beta;
        params.beta_g_per_hz = beta;
        changed = true;
    }
    ui.separator();
    ui.heading("Cue");
    let tip = "Input current of a cue: strength × ξ^μ (or × a novel Gaussian pattern)";
    changed |= param_slider(
        ui,
        &mut params.cue_strength,
        0.0..=5.0,
        "cue strength",
        "",
        tip,
        Some(preset.cue_strength),
    );
    let mut cue_ms = info.setup.cue_ms;
    let tip = "How long a cue's input lasts before the network is on its own";
    if param_slider(ui, &mut cue_ms, 10.0..=2000.0, "cue length", "ms", tip, None) {
        cx.commands.push(RateCommand::SetCueMs(cue_ms));
    }
    if changed {
        match params.validate() {
            Ok(()) => {
                controls.refused = None;
                cx.commands.push(RateCommand::SetParams(Box::new(params)));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}
