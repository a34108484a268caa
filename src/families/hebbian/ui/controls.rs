//! The Hebbian controls: the data's shape, the rule and its rate, with units, tooltips and restore
//! marks; a refused value changes nothing.

use super::{HebbControls, HebbData};
use crate::families::UiCx;
use crate::families::hebbian::model::MAX_COMPONENTS;
use crate::families::hebbian::{HebbCommand, Hebbian};
use crate::views::widgets::{count_slider, log_param_slider, param_slider};

/// The Hebbian control panel.
pub fn hebb_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Hebbian>,
    controls: &mut HebbControls,
    data: &HebbData,
) {
    let setup = &data.info.setup;
    let marks = &data.info.preset_setup;
    ui.heading("Data");
    let mut d = setup.data;
    let mut changed = false;
    let tip = "Input dimensions: 2 shows the data cloud; more learn from random axes";
    changed |= count_slider(ui, &mut d.dim, 2..=20, "dimensions", tip, Some(marks.data.dim));
    let tip = "Standard deviation along the first principal axis";
    changed |= param_slider(
        ui,
        &mut d.sigma1,
        0.1..=5.0,
        "σ₁",
        "",
        tip,
        Some(marks.data.sigma1),
    );
    let tip = "Standard deviation along the second axis: the closer to σ₁, the slower Oja's rule decides";
    changed |= param_slider(
        ui,
        &mut d.sigma2,
        0.1..=5.0,
        "σ₂",
        "",
        tip,
        Some(marks.data.sigma2),
    );
    if d.dim == 2 {
        let tip = "Direction of the first principal axis: turn it and watch w follow";
        changed |= param_slider(
            ui,
            &mut d.angle_deg,
            -90.0..=90.0,
            "angle",
            "°",
            tip,
            Some(marks.data.angle_deg),
        );
    } else {
        let tip = "Each further variance is this fraction of the one before";
        changed |= param_slider(
            ui,
            &mut d.decay,
            0.1..=1.0,
            "decay",
            "",
            tip,
            Some(marks.data.decay),
        );
    }
    if changed {
        match d.validate().map_err(|e| e.to_string()).and_then(|()| {
            let mut learn = setup.learn;
            learn.components = learn.components.min(d.dim.min(MAX_COMPONENTS));
            learn.validate(d.dim).map(|()| learn).map_err(|e| e.to_string())
        }) {
            Ok(learn) => {
                controls.refused = None;
                if learn != setup.learn {
                    cx.commands.push(HebbCommand::SetLearn(learn));
                }
                cx.commands.push(HebbCommand::SetData(d));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    ui.separator();
    ui.heading("Learning");
    let mut l = setup.learn;
    let mut changed = false;
    let tip = "Learning rate η: larger learns faster (τ = 1/(η(λ1 − λ2))) but jitters more";
    changed |= log_param_slider(ui, &mut l.eta, 0.0001..=0.1, "η", "", tip, Some(marks.learn.eta));
    let most = setup.data.dim.min(MAX_COMPONENTS);
    let tip =
        "1: Oja's rule finds the first principal component; k > 1: Sanger's rule finds the first k in order";
    changed |= count_slider(
        ui,
        &mut l.components,
        1..=most,
        "components k",
        tip,
        Some(marks.learn.components.min(most)),
    );
    let tip = "Length of the random initial weight vectors";
    changed |= param_slider(
        ui,
        &mut l.initial_norm,
        0.05..=3.0,
        "initial |w|",
        "",
        tip,
        Some(marks.learn.initial_norm),
    );
    if changed {
        match l.validate(setup.data.dim) {
            Ok(()) => {
                controls.refused = None;
                cx.commands.push(HebbCommand::SetLearn(l));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    if ui
        .button("New random weights")
        .on_hover_text("Start every learner again from a random direction (plain Hebb too)")
        .clicked()
    {
        cx.commands.push(HebbCommand::RandomizeWeights);
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}
