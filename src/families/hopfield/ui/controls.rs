//! The Hopfield scene's controls: every parameter live, with its unit, tooltip and restore mark.

use super::HopfieldControls;
use super::data::HopfieldData;
use crate::families::UiCx;
use crate::families::hopfield::model::{DenseUpdate, LearningRule};
use crate::families::hopfield::{
    Cue, Hopfield, HopfieldCommand as Command, HopfieldSetup, HopfieldUpdate, PatternSource,
};
use crate::views::widgets::param_slider;

/// The Hopfield control panel: rule, update, temperature, cue, patterns and seed.
pub fn hopfield_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Hopfield>,
    controls: &mut HopfieldControls,
    mut setup: HopfieldSetup,
    data: Option<&HopfieldData>,
) {
    let commands = &mut cx.commands;
    let preset = controls.preset.clone();
    let live = data.map(|d| d.info.setup.clone());
    let current = live.unwrap_or_else(|| setup.clone());

    ui.heading("Memory");
    ui.horizontal(|ui| {
        ui.label("learning rule")
            .on_hover_text("How the stored patterns become synaptic weights");
        for (rule, name, tip) in [
            (
                LearningRule::Hebb,
                "Hebb",
                "J_ij = (1/N) Σ ξ_i ξ_j: simple, holds about 0.138 N random patterns",
            ),
            (
                LearningRule::Storkey,
                "Storkey",
                "An incremental rule that also subtracts local fields: more capacity",
            ),
            (
                LearningRule::PseudoInverse,
                "pseudo-inverse",
                "Projects onto the patterns: recalls up to N correlated patterns",
            ),
        ] {
            if ui
                .selectable_label(current.rule == rule, name)
                .on_hover_text(tip)
                .clicked()
                && current.rule != rule
            {
                commands.push(Command::SetRule(rule));
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label("update")
            .on_hover_text("Classical pairwise network, or a modern dense one");
        let classical = current.update == HopfieldUpdate::Classical;
        if ui
            .selectable_label(classical, "classical")
            .on_hover_text("Sign of the local field h_i = Σ J_ij s_j")
            .clicked()
        {
            commands.push(Command::SetUpdate(HopfieldUpdate::Classical));
        }
        let poly = matches!(current.update, HopfieldUpdate::Dense(DenseUpdate::Poly(_)));
        if ui
            .selectable_label(poly, "polynomial")
            .on_hover_text("Dense network with F(x) = x^n (Krotov & Hopfield 2016)")
            .clicked()
        {
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Poly(
                controls.poly_degree,
            ))));
        }
        let exp = matches!(current.update, HopfieldUpdate::Dense(DenseUpdate::Exp));
        if ui
            .selectable_label(exp, "exponential")
            .on_hover_text("F(x) = exp(x) (Demircigil et al. 2017): exponential capacity")
            .clicked()
        {
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Exp)));
        }
        let softmax = matches!(current.update, HopfieldUpdate::Dense(DenseUpdate::Softmax { .. }));
        if ui
            .selectable_label(softmax, "softmax")
            .on_hover_text("Attention-like update with inverse temperature β (Ramsauer et al. 2020)")
            .clicked()
        {
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Softmax {
                beta: controls.beta,
            })));
        }
    });
    if let HopfieldUpdate::Dense(DenseUpdate::Poly(_)) = current.update {
        let mut degree = f64::from(controls.poly_degree);
        if param_slider(
            ui,
            &mut degree,
            2.0..=10.0,
            "degree n",
            "",
            "Higher n: sharper valleys, more capacity",
            Some(3.0),
        ) {
            controls.poly_degree = degree.round() as u32;
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Poly(
                controls.poly_degree,
            ))));
        }
    }
    if let HopfieldUpdate::Dense(DenseUpdate::Softmax { .. }) = current.update {
        let preset_beta = match preset.as_ref().map(|p| p.update) {
            Some(HopfieldUpdate::Dense(DenseUpdate::Softmax { beta })) => Some(beta),
            _ => None,
        };
        let tip = "Inverse temperature: large β retrieves one pattern, small β averages many";
        if param_slider(ui, &mut controls.beta, 0.005..=5.0, "β", "", tip, preset_beta) {
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Softmax {
                beta: controls.beta,
            })));
        }
    }
    let mut temperature = current.temperature;
    let tip = "Glauber noise: P(s=+1) = 1/(1+exp(−2h/T)); memories melt above T = 1";
    if param_slider(
        ui,
        &mut temperature,
        0.0..=2.0,
        "temperature T",
        "",
        tip,
        preset.as_ref().map(|p| p.temperature),
    ) {
        commands.push(Command::SetTemperature(temperature));
    }

    ui.separator();
    ui.heading("Cue");
    let tip = "Fraction of the pattern's neurons flipped when you cue it";
    param_slider(
        ui,
        cx.cue_flip,
        0.0..=0.5,
        "corruption",
        "",
        tip,
        preset.as_ref().map(|p| p.cue_flip),
    );
    let count = data.map_or(0, |d| d.info.patterns.len());
    let labels = data.map(|d| d.info.labels.clone()).unwrap_or_default();
    ui.horizontal(|ui| {
        egui::ComboBox::from_label("pattern to cue")
            .selected_text(labels.get(controls.cue_pattern).cloned().unwrap_or_default())
            .show_ui(ui, |ui| {
                for (i, label) in labels.iter().enumerate() {
                    ui.selectable_value(&mut controls.cue_pattern, i, label);
                }
            });
    });
    let pattern = controls.cue_pattern.min(count.saturating_sub(1));
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Corrupt")
            .on_hover_text("Start from the pattern with a fraction of neurons flipped")
            .clicked()
        {
            commands.push(Command::Cue(Cue::Corrupted {
                pattern,
                flip: *cx.cue_flip,
            }));
        }
        if ui
            .button("Mask half")
            .on_hover_text("Start from the pattern with its lower half blanked")
            .clicked()
        {
            let (w, h) = data.map_or((0, 0), |d| (d.info.width, d.info.height));
            commands.push(Command::Cue(Cue::Masked {
                pattern,
                rect: [0, h / 2, w, h],
            }));
        }
        if ui
            .button("Random")
            .on_hover_text("Start from a random state")
            .clicked()
        {
            commands.push(Command::Cue(Cue::Random));
        }
        if ui
            .button("Store state")
            .on_hover_text("Add the current state to the stored patterns")
            .clicked()
        {
            commands.push(Command::StoreCurrentState);
        }
    });
    if let Some(data) = data {
        super::picture::picture_row_ui(ui, cx, controls, (data.info.width, data.info.height));
    }

    ui.separator();
    ui.heading("Patterns");
    let mut rebuild = false;
    let set_name = match &setup.patterns {
        PatternSource::Builtin { set, .. } => set.clone(),
        PatternSource::Random { .. } => "random".into(),
        PatternSource::Correlated { .. } => "correlated".into(),
    };
    ui.horizontal(|ui| {
        ui.label("set");
        for name in ["letters", "digits", "symbols", "random", "correlated"] {
            if ui.selectable_label(set_name == name, name).clicked() && set_name != name {
                setup.patterns = match name {
                    "random" => PatternSource::Random {
                        width: 16,
                        height: 16,
                        count: controls.random_count,
                    },
                    "correlated" => PatternSource::Correlated {
                        width: 16,
                        height: 16,
                        count: controls.random_count,
                        difference: 0.2,
                    },
                    builtin => {
                        controls.labels_text.clear();
                        PatternSource::Builtin {
                            set: builtin.into(),
                            labels: Vec::new(),
                        }
                    }
                };
                rebuild = true;
            }
        }
    });
    ui.horizontal(|ui| {
        let own = setup.grid.is_none();
        let shown = setup
            .grid
            .map_or_else(|| "the set's own".to_string(), |s| format!("{s} × {s}"));
        let label = ui.label("grid").id;
        egui::ComboBox::from_id_salt("hopfield-grid-side")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui.selectable_label(own, "the set's own").clicked() && !own {
                    setup.grid = None;
                    rebuild = true;
                }
                for side in crate::families::hopfield::GRID_SIDES {
                    let text = format!("{side} × {side} = {} neurons", side * side);
                    if ui.selectable_label(setup.grid == Some(side), text).clicked()
                        && setup.grid != Some(side)
                    {
                        setup.grid = Some(side);
                        rebuild = true;
                    }
                }
            })
            .response
            .labelled_by(label)
            .on_hover_text(
                "Neurons per side: built-in patterns are drawn larger, random ones made at that size. Above \
                 64 × 64 the weights are kept through the patterns (Storkey's rule stops at 8,192 neurons)",
            );
    });
    match &mut setup.patterns {
        PatternSource::Builtin { labels, .. } => {
            ui.horizontal(|ui| {
                let label = ui
                    .label("store")
                    .on_hover_text("Which patterns of the set to store, e.g. AEHKS (empty: all)")
                    .id;
                let response = ui
                    .text_edit_singleline(&mut controls.labels_text)
                    .labelled_by(label);
                if response.lost_focus() {
                    *labels = controls
                        .labels_text
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .map(String::from)
                        .collect();
                    rebuild = true;
                }
            });
        }
        PatternSource::Random { count, .. } | PatternSource::Correlated { count, .. } => {
            let tip = "How many random patterns to store (the classical limit is about 0.138 N = 35)";
            if crate::views::widgets::count_slider(ui, count, 1..=80, "patterns", tip, None) {
                controls.random_count = *count;
                rebuild = true;
            }
        }
    }
    let mut seed = setup.seed as f64;
    if param_slider(
        ui,
        &mut seed,
        0.0..=999.0,
        "seed",
        "",
        "Seed of patterns, cues and noise: same seed, same run",
        None,
    ) {
        setup.seed = seed.round() as u64;
        rebuild = true;
    }
    if rebuild {
        setup.rule = current.rule;
        setup.update = current.update;
        setup.temperature = current.temperature;
        setup.cue_flip = *cx.cue_flip;
        setup.cue_pattern = 0;
        controls.cue_pattern = 0;
        cx.load = Some(setup);
        cx.notice = Some("network rebuilt: the stored patterns changed".into());
    }
}
