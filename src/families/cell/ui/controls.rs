//! The neuron lab's controls: the model, the AdEx firing-pattern presets, the current protocol and
//! the model's parameters, with units, tooltips and restore marks; a refused value changes nothing.

use super::{CellControls, CellData};
use crate::families::UiCx;
use crate::families::cell::model::{AdexPreset, CellKind, CellParams, InputShape, Stimulus};
use crate::families::cell::{CellCommand, NeuronLab};
use crate::views::widgets::param_slider;

/// The neuron-lab control panel.
pub fn cell_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, NeuronLab>,
    controls: &mut CellControls,
    data: &CellData,
) {
    let setup = &data.info.setup;
    let preset = &data.info.preset_setup;
    let mut params = setup.params;
    ui.heading("Neuron");
    let mut kind = params.kind;
    egui::ComboBox::from_label("model")
        .selected_text(kind.label())
        .show_ui(ui, |ui| {
            for k in CellKind::ALL {
                ui.selectable_value(&mut kind, k, k.label());
            }
        })
        .response
        .on_hover_text("Hodgkin-Huxley's squid axon, or the integrate-and-fire family: AdEx, EIF (no adaptation), LIF (no exponential)");
    if kind != params.kind {
        cx.commands.push(CellCommand::SetKind(kind));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("AdEx patterns:").on_hover_text(
            "Parameter sets and step currents of Naud et al. (2008, Table 1); each switches to the AdEx",
        );
        for p in AdexPreset::ALL {
            if ui.button(p.label()).clicked() {
                cx.commands.push(CellCommand::Preset(p));
            }
        }
    });
    if ui
        .button("Back to rest")
        .on_hover_text("Put the neuron at its resting state (time goes on)")
        .clicked()
    {
        cx.commands.push(CellCommand::Rest);
    }
    ui.separator();
    stimulus_ui(ui, cx, controls, data);
    ui.separator();
    let changed = match params.kind {
        CellKind::HodgkinHuxley => hh_params_ui(ui, &mut params, &preset.params),
        _ => if_params_ui(ui, &mut params, &preset.params),
    };
    if changed {
        match params.validate() {
            Ok(()) => {
                controls.refused = None;
                cx.commands.push(CellCommand::SetParams(Box::new(params)));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(cx.dark), reason);
    }
}

fn stimulus_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, NeuronLab>,
    controls: &mut CellControls,
    data: &CellData,
) {
    let setup = &data.info.setup;
    let kind = setup.params.kind;
    let unit = kind.current_unit();
    let mut s: Stimulus = setup.stimulus.clone();
    let marks = &data.info.preset_setup.stimulus;
    let same_unit = data.info.preset_setup.params.kind.current_unit() == unit;
    let mark = |x: f64| same_unit.then_some(x);
    ui.heading("Input current");
    let mut changed = false;
    egui::ComboBox::from_label("shape")
        .selected_text(s.shape.label())
        .show_ui(ui, |ui| {
            for shape in InputShape::ALL {
                changed |= ui.selectable_value(&mut s.shape, shape, shape.label()).changed();
            }
        })
        .response
        .on_hover_text("Step, ramp, pulse train or noisy current within the window; constant: all the time");
    let range = if kind == CellKind::HodgkinHuxley {
        -10.0..=40.0
    } else {
        -300.0..=1500.0
    };
    let tip = "Height of the step or pulses, end of the ramp, mean of the noise";
    changed |= param_slider(
        ui,
        &mut s.amplitude,
        range.clone(),
        "amplitude",
        unit,
        tip,
        mark(marks.amplitude),
    );
    let tip = "Current added at all times (a holding current)";
    changed |= param_slider(
        ui,
        &mut s.baseline,
        range,
        "baseline",
        unit,
        tip,
        mark(marks.baseline),
    );
    if s.shape != InputShape::Constant {
        let tip = "The protocol repeats every cycle";
        changed |= param_slider(
            ui,
            &mut s.cycle_ms,
            100.0..=2000.0,
            "cycle",
            "ms",
            tip,
            Some(marks.cycle_ms),
        );
        let tip = "Start of the window within each cycle";
        changed |= param_slider(
            ui,
            &mut s.onset_ms,
            0.0..=s.cycle_ms,
            "onset",
            "ms",
            tip,
            Some(marks.onset_ms),
        );
        let tip = "Length of the window";
        changed |= param_slider(
            ui,
            &mut s.duration_ms,
            1.0..=s.cycle_ms,
            "window",
            "ms",
            tip,
            Some(marks.duration_ms),
        );
    }
    if s.shape == InputShape::Pulses {
        let tip = "Length of each pulse";
        changed |= param_slider(
            ui,
            &mut s.pulse_width_ms,
            0.1..=50.0,
            "pulse width",
            "ms",
            tip,
            Some(marks.pulse_width_ms),
        );
        let tip = "From the start of one pulse to the next";
        changed |= param_slider(
            ui,
            &mut s.pulse_period_ms,
            1.0..=200.0,
            "pulse period",
            "ms",
            tip,
            Some(marks.pulse_period_ms),
        );
    }
    if s.shape == InputShape::Noise {
        let range = if kind == CellKind::HodgkinHuxley {
            0.0..=20.0
        } else {
            0.0..=500.0
        };
        let tip = "Standard deviation of the Ornstein-Uhlenbeck fluctuations around the amplitude";
        changed |= param_slider(
            ui,
            &mut s.noise_sd,
            range,
            "noise σ",
            unit,
            tip,
            mark(marks.noise_sd),
        );
        let tip = "Correlation time of the fluctuations";
        changed |= param_slider(
            ui,
            &mut s.noise_tau_ms,
            0.1..=50.0,
            "noise τ",
            "ms",
            tip,
            Some(marks.noise_tau_ms),
        );
    }
    if s.shape == InputShape::Drawn {
        ui.label("Draw the current on the input plot (drag across it); the drawing spans the window.");
        if ui
            .button("Start again from a step")
            .on_hover_text("Replace the drawing by a step of the amplitude")
            .clicked()
        {
            s.drawn = Stimulus {
                shape: InputShape::Step,
                ..s.clone()
            }
            .as_drawn();
            changed = true;
        }
    }
    if changed && s.shape == InputShape::Drawn && s.drawn.len() < 2 {
        s.drawn = s.as_drawn();
    }
    if changed {
        // Keep the window inside the cycle when the cycle shrinks.
        s.onset_ms = s.onset_ms.min(s.cycle_ms);
        s.duration_ms = s.duration_ms.min(s.cycle_ms - s.onset_ms).max(0.0);
        match s.validate() {
            Ok(()) => {
                controls.refused = None;
                cx.commands.push(CellCommand::SetStimulus(s));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
}

fn hh_params_ui(ui: &mut egui::Ui, params: &mut CellParams, preset: &CellParams) -> bool {
    let (p, m) = (&mut params.hh, &preset.hh);
    ui.heading("Hodgkin-Huxley membrane");
    let mut changed = false;
    let tip = "Maximal sodium conductance: without it there is no spike";
    changed |= param_slider(
        ui,
        &mut p.g_na_ms_cm2,
        0.0..=240.0,
        "g_Na",
        "mS/cm²",
        tip,
        Some(m.g_na_ms_cm2),
    );
    let tip = "Maximal potassium conductance: it repolarises the membrane";
    changed |= param_slider(
        ui,
        &mut p.g_k_ms_cm2,
        0.0..=72.0,
        "g_K",
        "mS/cm²",
        tip,
        Some(m.g_k_ms_cm2),
    );
    let tip = "Leak conductance";
    changed |= param_slider(
        ui,
        &mut p.g_l_ms_cm2,
        0.01..=3.0,
        "g_L",
        "mS/cm²",
        tip,
        Some(m.g_l_ms_cm2),
    );
    let tip = "Leak reversal potential (−54.387 mV puts rest at −65 mV)";
    changed |= param_slider(ui, &mut p.e_l_mv, -80.0..=-40.0, "E_L", "mV", tip, Some(m.e_l_mv));
    let tip = "Temperature: every gate rate is multiplied by 3^((T − 6.3 °C)/10)";
    changed |= param_slider(
        ui,
        &mut p.temperature_c,
        0.0..=30.0,
        "temperature",
        "°C",
        tip,
        Some(m.temperature_c),
    );
    changed
}

fn if_params_ui(ui: &mut egui::Ui, params: &mut CellParams, preset: &CellParams) -> bool {
    let kind = params.kind;
    let (p, m) = (&mut params.adex, &preset.adex);
    ui.heading(format!("{} membrane", kind.label()));
    let mut changed = false;
    let tip = "Membrane capacitance";
    changed |= param_slider(ui, &mut p.c_pf, 20.0..=500.0, "C", "pF", tip, Some(m.c_pf));
    let tip = "Leak conductance (τ_m = C/g_L)";
    changed |= param_slider(ui, &mut p.g_l_ns, 1.0..=50.0, "g_L", "nS", tip, Some(m.g_l_ns));
    let tip = "Leak reversal (resting) potential";
    changed |= param_slider(ui, &mut p.e_l_mv, -80.0..=-50.0, "E_L", "mV", tip, Some(m.e_l_mv));
    let tip = "Threshold: soft for EIF and AdEx, hard for the LIF";
    changed |= param_slider(ui, &mut p.v_t_mv, -65.0..=-35.0, "V_T", "mV", tip, Some(m.v_t_mv));
    let tip = "Reset potential after a spike";
    changed |= param_slider(
        ui,
        &mut p.v_reset_mv,
        -80.0..=-40.0,
        "V_r",
        "mV",
        tip,
        Some(m.v_reset_mv),
    );
    if kind != CellKind::Lif {
        let tip = "Sharpness of spike initiation (the exponential's slope factor)";
        changed |= param_slider(
            ui,
            &mut p.delta_t_mv,
            0.1..=10.0,
            "Δ_T",
            "mV",
            tip,
            Some(m.delta_t_mv),
        );
    }
    if kind == CellKind::Adex {
        let tip = "Subthreshold adaptation: w follows a(V − E_L); negative values make the neuron accelerate";
        changed |= param_slider(ui, &mut p.a_ns, -20.0..=20.0, "a", "nS", tip, Some(m.a_ns));
        let tip = "Adaptation time constant";
        changed |= param_slider(
            ui,
            &mut p.tau_w_ms,
            5.0..=500.0,
            "τ_w",
            "ms",
            tip,
            Some(m.tau_w_ms),
        );
        let tip = "Spike-triggered adaptation: w jumps by b at every spike";
        changed |= param_slider(ui, &mut p.b_pa, 0.0..=300.0, "b", "pA", tip, Some(m.b_pa));
    }
    changed
}
