//! The sampling scene's controls: the distribution (units, coupling and bias scales, seed, τ),
//! the temperature, and the chains; the numbers each sampler reached so far.

use super::{SamplingControls, SamplingData};
use crate::families::UiCx;
use crate::families::sampling::model::SamplerKind;
use crate::families::sampling::{
    LearnData, LearnSetup, MAX_LETTER_HIDDEN, Sampling, SamplingCommand, SamplingSetup,
};
use crate::views::widgets::param_slider;

/// The sampling control panel.
pub fn sampling_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Sampling>,
    controls: &mut SamplingControls,
    data: &SamplingData,
) {
    let info = &data.info;
    let preset = controls.preset.clone();
    if let (Some(learn), Some(preset_learn)) = (&info.setup.learn, &preset.learn) {
        machine_controls_ui(ui, cx, &info.setup, learn, preset_learn);
        return;
    }
    let mut setup = SamplingSetup {
        temperature: info.temperature,
        clamp: String::new(),
        ..info.setup.clone()
    };
    ui.heading("Distribution");
    ui.label(format!(
        "p(z) = exp((½ z·Wz + b·z)/T) / Z over {} binary units: {} states",
        info.units,
        if info.units <= 20 {
            format!("{}", 1u64 << info.units)
        } else {
            "too many to list".into()
        }
    ));
    let mut rebuild = false;
    rebuild |= crate::views::widgets::count_slider(
        ui,
        &mut setup.units,
        1..=20,
        "units N",
        "Binary units; up to 20 the exact distribution is enumerated (2^N states)",
        Some(preset.units),
    );
    rebuild |= param_slider(
        ui,
        &mut setup.weight_scale,
        0.0..=4.0,
        "coupling scale",
        "",
        "Standard deviation of the random couplings W_ij = W_ji: larger is more structured (and harder to sample)",
        Some(preset.weight_scale),
    );
    rebuild |= param_slider(
        ui,
        &mut setup.bias_mean,
        -3.0..=3.0,
        "bias mean",
        "",
        "Mean of the biases b_k: negative makes units mostly off",
        Some(preset.bias_mean),
    );
    rebuild |= param_slider(
        ui,
        &mut setup.bias_scale,
        0.0..=3.0,
        "bias spread",
        "",
        "Standard deviation of the biases",
        Some(preset.bias_scale),
    );
    let mut tau = f64::from(setup.tau_steps);
    if param_slider(
        ui,
        &mut tau,
        1.0..=100.0,
        "PSP length τ",
        "ms",
        "How long a neural-sampler neuron stays in state 1 after it spikes (and cannot spike again)",
        Some(f64::from(preset.tau_steps)),
    ) {
        setup.tau_steps = tau.round() as u32;
        rebuild = true;
    }
    ui.horizontal(|ui| {
        if ui
            .button("New couplings")
            .on_hover_text("Draw W and b again from the next seed")
            .clicked()
        {
            setup.seed += 1;
            setup.weights = None;
            setup.biases = None;
            rebuild = true;
        }
        ui.label(format!("seed {}", setup.seed));
    });
    if let Some((weights, biases)) = weights_editor_ui(ui, info) {
        setup.weights = Some(weights);
        setup.biases = Some(biases);
        rebuild = true;
    } else if rebuild
        && (setup.units != info.setup.units
            || setup.weight_scale != info.setup.weight_scale
            || setup.bias_mean != info.setup.bias_mean
            || setup.bias_scale != info.setup.bias_scale)
    {
        // A slider of the random draw: draw again rather than keep edited values.
        setup.weights = None;
        setup.biases = None;
    }
    if rebuild {
        setup.clamp = String::new();
        match setup.validate() {
            Ok(()) => cx.load = Some(setup.clone()),
            Err(e) => cx.notice = Some(e),
        }
    }
    ui.separator();
    ui.heading("Temperature");
    let mut t = info.temperature;
    if param_slider(
        ui,
        &mut t,
        0.1..=5.0,
        "temperature T",
        "",
        "p(z) grows as exp(E/T): high T flattens the distribution toward uniform, low T concentrates it on the best states",
        Some(preset.temperature),
    ) && t > 0.0
    {
        cx.commands.push(SamplingCommand::SetTemperature(t));
    }
    ui.separator();
    ui.heading("Chains");
    ui.horizontal(|ui| {
        if ui
            .button("Reset counts")
            .on_hover_text("Forget what was sampled; the KL curves start again")
            .clicked()
        {
            cx.commands.push(SamplingCommand::ResetCounts);
        }
        if ui
            .button("Random states")
            .on_hover_text("Every chain jumps to a random state and counts again")
            .clicked()
        {
            cx.commands.push(SamplingCommand::RandomStates);
        }
    });
    if let Some(now) = &data.now {
        ui.label(format!("{} samples since the target last changed", now.samples));
        egui::Grid::new("sampling-numbers").striped(true).show(ui, |ui| {
            ui.strong("sampler");
            ui.strong("KL (nats)");
            ui.strong("rate");
            ui.end_row();
            for (k, kind) in SamplerKind::ALL.iter().enumerate() {
                ui.label(kind.label());
                let kl = now.kl.get(k).copied().unwrap_or(f64::NAN);
                ui.label(if kl.is_finite() {
                    format!("{kl:.4}")
                } else {
                    "—".into()
                })
                .on_hover_text("KL(sampled || exact) = Σ q ln(q/p) over the visited states");
                let rate = now.rate_hz.get(k).copied().unwrap_or(0.0);
                ui.label(if kind.spikes() {
                    format!("{rate:.1} Hz")
                } else {
                    "—".into()
                });
                ui.end_row();
            }
        });
    }
}

/// The Boltzmann machine's controls: what it learns and how fast; a change learns again.
fn machine_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Sampling>,
    setup: &SamplingSetup,
    learn: &LearnSetup,
    preset: &LearnSetup,
) {
    let mut next = learn.clone();
    ui.heading("Boltzmann machine");
    let mut changed = false;
    ui.horizontal(|ui| {
        let label = ui.label("data").id;
        let bars = matches!(next.data, LearnData::BarsAndStripes);
        if ui
            .selectable_label(bars, "bars and stripes")
            .labelled_by(label)
            .on_hover_text("Every bar and stripe pattern on a small grid: a full machine, exact gradients")
            .clicked()
            && !bars
        {
            next.data = LearnData::BarsAndStripes;
            next.hidden = next.hidden.min(20 - next.side * next.side);
            changed = true;
        }
        if ui
            .selectable_label(!bars, "letters")
            .labelled_by(label)
            .on_hover_text(
                "16 × 16 letters: a restricted machine (no hidden-hidden or visible-visible couplings), CD-1",
            )
            .clicked()
            && bars
        {
            next.data = match &preset.data {
                LearnData::Letters(labels) => LearnData::Letters(labels.clone()),
                LearnData::BarsAndStripes => LearnData::Letters(vec!["A".into(), "H".into(), "S".into()]),
            };
            next.hidden = LETTER_HIDDEN;
            next.learning_rate = next.learning_rate.min(1.0);
            changed = true;
        }
    });
    let (most, least) = match &mut next.data {
        LearnData::BarsAndStripes => {
            ui.label(
                "Visible units show a pixel grid, hidden units are free to explain it. Every epoch changes each \
                 weight by η (<z_i z_j> with the data clamped − <z_i z_j> of the free machine), both exact.",
            );
            ui.horizontal(|ui| {
                let label = ui.label("grid").id;
                for side in 2..=4 {
                    if ui
                        .selectable_label(next.side == side, format!("{side} × {side}"))
                        .labelled_by(label)
                        .on_hover_text("Bars and stripes on this grid (4 × 4 leaves 4 hidden units)")
                        .clicked()
                    {
                        next.side = side;
                        next.hidden = next.hidden.min(20 - side * side);
                        changed = true;
                    }
                }
            });
            (20 - next.side * next.side, 0)
        }
        LearnData::Letters(labels) => {
            ui.label(
                "A restricted machine: 256 visible pixels, hidden units, couplings only between the two layers. \
                 Contrastive divergence (CD-1) replaces the model's expectations, which 2^256 states put out of \
                 reach, by one step of sampling from the data. Click letters to learn:",
            );
            changed |= letter_picker(ui, labels);
            (MAX_LETTER_HIDDEN, 1)
        }
    };
    changed |= crate::views::widgets::count_slider(
        ui,
        &mut next.hidden,
        least..=most,
        "hidden units",
        "Hidden units: without any the machine can only learn pairwise statistics",
        Some(preset.hidden),
    );
    let most_rate = if matches!(next.data, LearnData::Letters(_)) {
        1.0
    } else {
        2.0
    };
    changed |= param_slider(
        ui,
        &mut next.learning_rate,
        0.01..=most_rate,
        "learning rate η",
        "",
        "Step size of every weight change",
        Some(preset.learning_rate),
    );
    let mut epochs = next.epochs as usize;
    if crate::views::widgets::count_slider(
        ui,
        &mut epochs,
        10..=2000,
        "epochs",
        "Full-batch epochs before the machine only dreams",
        Some(preset.epochs as usize),
    ) {
        next.epochs = epochs as u64;
        changed = true;
    }
    let mut new_seed = setup.seed;
    if ui
        .button("Learn again")
        .on_hover_text("New initial weights (the next seed), learning from the start")
        .clicked()
    {
        new_seed += 1;
        changed = true;
    }
    if changed {
        let rebuilt = SamplingSetup {
            learn: Some(next),
            seed: new_seed,
            ..setup.clone()
        };
        match rebuilt.validate() {
            Ok(()) => cx.load = Some(rebuilt),
            Err(e) => cx.notice = Some(e),
        }
    }
}

/// Hidden units a restricted machine gets when the letters are chosen (30 learn three letters).
const LETTER_HIDDEN: usize = 30;

/// Toggles for the 26 letters; at least one stays chosen. Returns whether the choice changed.
fn letter_picker(ui: &mut egui::Ui, labels: &mut Vec<String>) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        for letter in 'A'..='Z' {
            let name = letter.to_string();
            let on = labels.contains(&name);
            if ui.selectable_label(on, &name).clicked() && !(on && labels.len() == 1) {
                if on {
                    labels.retain(|l| *l != name);
                } else {
                    labels.push(name);
                    labels.sort();
                }
                changed = true;
            }
        }
    });
    changed
}

/// Largest N whose couplings are shown as an editable table.
const EDITABLE_UNITS: usize = 8;

/// The couplings W (upper triangle; the lower mirrors it) and biases b as numbers to drag; returns
/// the edited W (rows) and b when a value changed.
#[allow(clippy::needless_range_loop)] // i and j index W symmetrically (W_ij and W_ji together)
fn weights_editor_ui(
    ui: &mut egui::Ui,
    info: &crate::families::sampling::SamplingInfo,
) -> Option<(Vec<Vec<f64>>, Vec<f64>)> {
    let n = info.units;
    if n > EDITABLE_UNITS {
        return None;
    }
    let mut weights: Vec<Vec<f64>> = info.weights.chunks(n).map(<[f64]>::to_vec).collect();
    let mut biases = info.biases.clone();
    let mut changed = false;
    egui::CollapsingHeader::new("Edit W and b")
        .id_salt("sampling-weights")
        .show(ui, |ui| {
            ui.label("Drag a number (the lower triangle mirrors the upper one; the counts start again).");
            egui::Grid::new("sampling-weight-table")
                .striped(true)
                .show(ui, |ui| {
                    ui.label("");
                    ui.strong("b");
                    for j in 0..n {
                        ui.strong(format!("W·{}", j + 1));
                    }
                    ui.end_row();
                    for i in 0..n {
                        ui.strong(format!("{}", i + 1));
                        let bias = ui
                            .add(
                                egui::DragValue::new(&mut biases[i])
                                    .speed(0.05)
                                    .range(-10.0..=10.0)
                                    .max_decimals(2),
                            )
                            .on_hover_text(format!("bias b_{}", i + 1));
                        // An accessible name, so that the table can be driven by name.
                        bias.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::accesskit::Role::SpinButton,
                                true,
                                format!("bias b_{}", i + 1),
                            )
                        });
                        changed |= bias.changed();
                        for j in 0..n {
                            if j > i {
                                let mut w = weights[i][j];
                                if ui
                                    .add(
                                        egui::DragValue::new(&mut w)
                                            .speed(0.05)
                                            .range(-10.0..=10.0)
                                            .max_decimals(2),
                                    )
                                    .on_hover_text(format!("W_{},{} = W_{},{}", i + 1, j + 1, j + 1, i + 1))
                                    .changed()
                                {
                                    weights[i][j] = w;
                                    weights[j][i] = w;
                                    changed = true;
                                }
                            } else if j < i {
                                ui.weak(format!("{:.2}", weights[i][j]));
                            } else {
                                ui.weak("·");
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    changed.then_some((weights, biases))
}
