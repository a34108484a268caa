//! The continuous-memory controls: kernel, β and degree; the patterns; the cue.

use super::{ContinuousControls, ContinuousData};
use crate::families::UiCx;
use crate::families::continuous::model::{ContinuousPatternSpec, KernelKind};
use crate::families::continuous::{Continuous, ContinuousCommand};
use crate::views::widgets::{log_param_slider, param_slider};

/// The continuous-memory control panel.
pub fn continuous_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Continuous>,
    controls: &mut ContinuousControls,
    data: &ContinuousData,
) {
    let setup = &data.info.setup;
    let marks = &data.info.preset_setup;
    ui.heading("Memory");
    let mut memory = setup.memory;
    let mut changed = false;
    egui::ComboBox::from_label("kernel")
        .selected_text(memory.kernel.label())
        .show_ui(ui, |ui| {
            for k in KernelKind::ALL {
                changed |= ui.selectable_value(&mut memory.kernel, k, k.label()).changed();
            }
        })
        .response
        .on_hover_text("softmax: the modern Hopfield network; the kernel memories interpolate (X K⁻¹ k(x)); Hebbian: the classical rule");
    if memory.kernel.uses_beta() {
        let tip = "Inverse temperature: above about 1/Δ patterns separate and one update retrieves; below, similar patterns merge into averages";
        changed |= log_param_slider(
            ui,
            &mut memory.beta,
            0.001..=10.0,
            "β",
            "",
            tip,
            Some(marks.memory.beta),
        );
    }
    if memory.kernel == KernelKind::Polynomial {
        let mut degree = f64::from(memory.degree);
        let tip = "Degree d of the kernel (1 + a^T b/N)^d";
        if param_slider(
            ui,
            &mut degree,
            1.0..=10.0,
            "degree",
            "",
            tip,
            Some(f64::from(marks.memory.degree)),
        ) {
            memory.degree = degree.round() as u32;
            changed = true;
        }
    }
    if changed {
        controls.refused = None;
        cx.commands.push(ContinuousCommand::SetMemory(memory));
    }
    ui.separator();
    ui.heading("Patterns");
    match &setup.patterns {
        ContinuousPatternSpec::Letters { letters, blur_px } => {
            let text = controls.letters.get_or_insert_with(|| letters.clone());
            let response = ui
                .horizontal(|ui| {
                    ui.label("letters");
                    ui.text_edit_singleline(text)
                })
                .inner
                .on_hover_text(
                    "The letters to store (press Enter); similar ones (O, Q, C, G) merge at small β",
                );
            let mut blur = *blur_px;
            let tip = "Blur of the glyphs: grey levels, and more similar letters";
            let blurred = param_slider(ui, &mut blur, 0.0..=4.0, "blur", "px", tip, None);
            if (response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))) || blurred {
                cx.commands
                    .push(ContinuousCommand::SetPatterns(ContinuousPatternSpec::Letters {
                        letters: text.clone(),
                        blur_px: blur,
                    }));
            }
        }
        ContinuousPatternSpec::Gaussian { n, count } => {
            ui.label(format!("{count} Gaussian vectors of {n} values"));
        }
    }
    ui.horizontal(|ui| {
        if ui
            .button("Letters")
            .on_hover_text("Blurred letters A C G O Q H S")
            .clicked()
        {
            controls.letters = None;
            cx.commands
                .push(ContinuousCommand::SetPatterns(ContinuousPatternSpec::default()));
        }
        if ui
            .button("Random vectors")
            .on_hover_text("64 Gaussian vectors of 64 values: as many patterns as neurons")
            .clicked()
        {
            cx.commands
                .push(ContinuousCommand::SetPatterns(ContinuousPatternSpec::Gaussian {
                    n: 64,
                    count: 64,
                }));
        }
    });
    ui.separator();
    ui.heading("Cue");
    let mut cue = setup.cue;
    let tip = "Gaussian noise added to the cued pattern, relative to its root-mean-square value";
    let mut cue_changed = param_slider(
        ui,
        &mut cue.noise,
        0.0..=3.0,
        "noise",
        "",
        tip,
        Some(marks.cue.noise),
    );
    cue_changed |= ui
        .checkbox(&mut cue.mask_half, "blank the lower half")
        .on_hover_text("The cue shows only the upper half of the pattern")
        .changed();
    if cue_changed
        || ui
            .button("Cue again")
            .on_hover_text("The same pattern with fresh noise")
            .clicked()
    {
        cx.commands.push(ContinuousCommand::Cue(cue));
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}
