//! The e-prop controls: learning rate, optimiser, feedback, regularisation and adaptation, with
//! restore marks; a refused value changes nothing. The network's size and task are the setup's.

use super::{EpropControls, EpropData};
use crate::families::UiCx;
use crate::families::eprop::model::{Feedback, Optimizer};
use crate::families::eprop::{Eprop, EpropCommand};
use crate::views::widgets::{log_param_slider, param_slider};

/// The e-prop control panel.
pub fn eprop_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Eprop>,
    controls: &mut EpropControls,
    data: &EpropData,
) {
    let setup = &data.info.setup;
    let marks = &data.info.preset_setup.params;
    let p0 = setup.params;
    ui.heading("Network");
    ui.label(format!(
        "{} {} neurons, {} inputs at {:.0} Hz (frozen), trials of {} ms; task: {}",
        p0.n_rec,
        if p0.adaptation > 0.0 { "ALIF" } else { "LIF" },
        p0.n_in,
        p0.input_hz,
        p0.trial_ms,
        setup.task.describe()
    ));
    ui.separator();
    ui.heading("Learning");
    let mut p = p0;
    let mut changed = false;
    let tip =
        "Step size of the weight change after each trial (0 freezes the network: watch what it has learned)";
    changed |= log_param_slider(
        ui,
        &mut p.learning_rate,
        1e-5..=0.1,
        "learning rate",
        "",
        tip,
        Some(marks.learning_rate),
    );
    ui.horizontal(|ui| {
        ui.label("optimiser");
        changed |= ui
            .selectable_value(&mut p.optimizer, Optimizer::Adam, "Adam")
            .changed();
        changed |= ui
            .selectable_value(&mut p.optimizer, Optimizer::Sgd, "gradient descent")
            .on_hover_text("Plain gradient descent needs a rate near 10⁻⁵ here")
            .changed();
    });
    ui.horizontal(|ui| {
        ui.label("feedback");
        changed |= ui
            .selectable_value(&mut p.feedback, Feedback::Random, "random")
            .on_hover_text("Random e-prop: the error reaches neuron j through fixed random weights B_jk")
            .changed();
        changed |= ui
            .selectable_value(&mut p.feedback, Feedback::Symmetric, "symmetric")
            .on_hover_text("Symmetric e-prop: through the readout weights themselves, B = W_out^T")
            .changed();
    });
    if setup.task.outputs() > 0 {
        let tip = "c_reg: how strongly each neuron's rate is pulled towards ν₀ (the rate task sets the rate itself)";
        changed |= param_slider(
            ui,
            &mut p.reg_strength,
            0.0..=1000.0,
            "c_reg",
            "",
            tip,
            Some(marks.reg_strength),
        );
        let tip = "The rate the regularisation pulls towards";
        changed |= param_slider(
            ui,
            &mut p.reg_rate_hz,
            0.0..=50.0,
            "ν₀",
            "Hz",
            tip,
            Some(marks.reg_rate_hz),
        );
    }
    let tip = "Threshold adaptation β: 0 is LIF; above, each spike raises the threshold for τ_a (ALIF)";
    changed |= param_slider(
        ui,
        &mut p.adaptation,
        0.0..=2.0,
        "adaptation β",
        "",
        tip,
        Some(marks.adaptation),
    );
    if changed {
        match p.validate() {
            Ok(()) => {
                controls.refused = None;
                cx.commands.push(EpropCommand::SetParams(p));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    if ui
        .button("Initial weights again")
        .on_hover_text("Start learning again from the network's initial random weights (same seed)")
        .clicked()
    {
        cx.commands.push(EpropCommand::ResetWeights);
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}
