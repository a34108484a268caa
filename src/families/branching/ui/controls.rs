//! The branching controls: m, h and the observed fraction, with restore marks; avalanches on demand.

use super::{BranchingControls, BranchingData};
use crate::families::UiCx;
use crate::families::branching::{Branching, BranchingCommand};
use crate::views::widgets::{log_param_slider, param_slider};

/// The branching control panel.
pub fn branching_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Branching>,
    controls: &mut BranchingControls,
    data: &BranchingData,
) {
    let setup = &data.info.setup;
    let marks = &data.info.preset_setup;
    ui.heading("Network");
    ui.label(format!("{} units, {} targets each", setup.n, setup.k));
    let mut m = setup.m;
    let tip = "Branching ratio: the units one active unit activates on average. Below 1 activity dies out \
               without drive; at 1 the network is critical";
    if param_slider(
        ui,
        &mut m,
        0.5..=1.02,
        "branching ratio m",
        "",
        tip,
        Some(marks.m),
    ) {
        cx.commands.push(BranchingCommand::SetM(m));
    }
    let mut h = setup.h;
    let tip = "External drive: units activated from outside per step, on average";
    if param_slider(ui, &mut h, 0.0..=20.0, "drive h", "per step", tip, Some(marks.h)) {
        cx.commands.push(BranchingCommand::SetH(h));
    }
    ui.separator();
    ui.heading("Observation");
    let mut fraction = setup.subsample;
    let tip = "The fraction of units an experimenter sees (a new random subsample)";
    if log_param_slider(
        ui,
        &mut fraction,
        0.001..=1.0,
        "observed fraction",
        "",
        tip,
        Some(marks.subsample),
    ) {
        cx.commands.push(BranchingCommand::SetSubsample(fraction));
    }
    ui.label(format!("{} units observed", data.info.observed_units));
    ui.separator();
    if ui
        .button("Measure avalanches")
        .on_hover_text("5,000 avalanches of the same network without drive, each from one unit, at the current m (at most 1)")
        .clicked()
    {
        cx.commands.push(BranchingCommand::MeasureAvalanches);
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}
