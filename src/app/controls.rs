//! The control panel: every parameter that matters, live, with its unit, a one-sentence tooltip,
//! a mark when it differs from the preset, and a one-click restore.

use super::{EngramApp, Settings, presets};
use crate::engine::{Command, Cue, HopfieldSetup, HopfieldUpdate, PatternSource, SceneSetup};
use crate::hopfield::{DenseUpdate, LearningRule};

/// The controls' own state between frames.
#[derive(Debug, Clone)]
pub struct ControlsState {
    /// Pattern the cue buttons use.
    pub cue_pattern: usize,
    /// Labels typed for a built-in set ("AEHKS").
    pub labels_text: String,
    /// Pattern count for random sets.
    pub random_count: usize,
    /// Exponent of the polynomial dense update.
    pub poly_degree: u32,
    /// Inverse temperature of the softmax update.
    pub beta: f64,
    /// The Hopfield setup as the preset defined it (for restore marks).
    pub hopfield_preset: Option<HopfieldSetup>,
    /// The latest notice from the engine.
    pub notice: Option<String>,
    /// Seed typed for the next rebuild of a spiking scene (None: the scene's own).
    pub spiking_seed: Option<u64>,
    /// Path of the scenario file to save or open.
    pub scenario_path: String,
    /// Path of the session file to save or open.
    pub session_path: String,
    /// Why the last combination of slider values was refused (the values stay as they were).
    pub refused: Option<String>,
    /// The outcome of the last save or open, shown next to the field.
    pub file_message: Option<(bool, String)>,
}

impl ControlsState {
    /// Controls for the scene in `settings`.
    pub fn new(settings: &Settings) -> Self {
        let hopfield = match &settings.scene {
            SceneSetup::Hopfield(h) => Some(h.clone()),
            SceneSetup::Spiking(_) => None,
        };
        let labels_text = match hopfield.as_ref().map(|h| &h.patterns) {
            Some(PatternSource::Builtin { labels, .. }) => labels.concat(),
            _ => String::new(),
        };
        let random_count = match hopfield.as_ref().map(|h| &h.patterns) {
            Some(PatternSource::Random { count, .. } | PatternSource::Correlated { count, .. }) => *count,
            _ => 20,
        };
        let beta = match hopfield.as_ref().map(|h| h.update) {
            Some(HopfieldUpdate::Dense(DenseUpdate::Softmax { beta })) => beta,
            _ => 0.5,
        };
        Self {
            cue_pattern: hopfield.as_ref().map_or(0, |h| h.cue_pattern),
            labels_text,
            random_count,
            poly_degree: 3,
            beta,
            hopfield_preset: hopfield,
            notice: None,
            spiking_seed: None,
            scenario_path: "my-scene.toml".into(),
            session_path: "my-session.engram".into(),
            refused: None,
            file_message: None,
        }
    }
}

/// A slider with unit, tooltip, a mark when it differs from `preset` and a restore button;
/// true when the value changed. A value typed into its field outside `range` is refused, and the
/// reason stays next to the field until the next accepted change.
pub fn param_slider(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
    tooltip: &str,
    preset: Option<f64>,
) -> bool {
    let mut changed = false;
    let error_id = ui.make_persistent_id(("refused", label));
    ui.horizontal(|ui| {
        let differs = preset.is_some_and(|p| (p - *value).abs() > 1e-9 * p.abs().max(1.0));
        let text = if differs {
            format!("{label} •")
        } else {
            label.to_string()
        };
        let label_id = ui.label(text).on_hover_text(tooltip).id;
        let before = *value;
        // Dragging stays inside the range; a typed value is checked below instead of clamped.
        let slider = egui::Slider::new(value, range.clone())
            .suffix(format!(" {unit}"))
            .clamping(egui::SliderClamping::Never);
        changed |= ui
            .add(slider)
            .labelled_by(label_id)
            .on_hover_text(tooltip)
            .changed();
        if changed {
            if let Some(reason) = out_of_range(*value, &range, label, unit) {
                *value = before;
                changed = false;
                ui.data_mut(|d| d.insert_temp(error_id, reason));
            } else {
                ui.data_mut(|d| d.remove::<String>(error_id));
            }
        }
        if let (true, Some(p)) = (differs, preset)
            && ui
                .small_button("restore")
                .on_hover_text(format!("Restore the preset value {p}"))
                .clicked()
        {
            *value = p;
            changed = true;
            ui.data_mut(|d| d.remove::<String>(error_id));
        }
    });
    if let Some(reason) = ui.data(|d| d.get_temp::<String>(error_id)) {
        ui.colored_label(ui.visuals().error_fg_color, reason);
    }
    changed
}

/// Why a typed value is refused, if it is: outside the slider's range, or not a number.
pub fn out_of_range(
    value: f64,
    range: &std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
) -> Option<String> {
    if value.is_finite() && range.contains(&value) {
        return None;
    }
    Some(format!(
        "{label}: {value} {unit} refused; it must be between {} and {} {unit}",
        range.start(),
        range.end()
    ))
}

/// Draws the controls for the current scene; returns the commands to send.
pub fn controls_ui(ui: &mut egui::Ui, app: &mut EngramApp) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(preset) = presets::all().get(app.settings.preset) {
        ui.strong(&preset.name);
        ui.label(egui::RichText::new(&preset.text).small());
        ui.separator();
    }
    match app.settings.scene.clone() {
        SceneSetup::Hopfield(setup) => hopfield_controls_ui(ui, app, setup, &mut commands),
        SceneSetup::Spiking(_) => spiking_controls_ui(ui, app, &mut commands),
    }
    ui.separator();
    files_ui(ui, app);
    commands
}

/// Scenario and session files: save the current scene or the whole run, or open one.
fn files_ui(ui: &mut egui::Ui, app: &mut EngramApp) {
    ui.heading("Scenario file");
    ui.horizontal(|ui| {
        let label = ui.label("file").id;
        ui.text_edit_singleline(&mut app.controls.scenario_path)
            .labelled_by(label);
    });
    ui.horizontal(|ui| {
        let tip = "Write the current scene (patterns, rule, update, temperature, seed) as a TOML scenario";
        if ui.button("Save scene").on_hover_text(tip).clicked() {
            let scene = match (&app.hopfield, &app.spiking) {
                (Some(h), _) => SceneSetup::Hopfield(h.info.setup.clone()),
                (_, Some(s)) => SceneSetup::Spiking(s.info.setup.clone()),
                _ => app.settings.scene.clone(),
            };
            let scenario = crate::scenario::Scenario {
                format: crate::scenario::FORMAT,
                name: "Saved scene".into(),
                description: "A scene saved from engram.".into(),
                duration: None,
                scene,
                timeline: Vec::new(),
            };
            let path = app.controls.scenario_path.clone();
            app.controls.file_message = Some(
                match super::files::write_atomically(&path, scenario.to_toml().as_bytes()) {
                    Ok(()) => (true, format!("saved {path}")),
                    Err(e) => (false, format!("could not save {path}: {e}")),
                },
            );
        }
        if ui
            .button("Open")
            .on_hover_text("Load a scenario file; a broken file is reported and changes nothing")
            .clicked()
        {
            app.request(super::Pending::OpenScenario(app.controls.scenario_path.clone()));
        }
    });
    ui.heading("Session file");
    ui.horizontal(|ui| {
        let label = ui.label("file").id;
        ui.text_edit_singleline(&mut app.controls.session_path)
            .labelled_by(label);
    });
    ui.horizontal(|ui| {
        let tip = "Save everything (scenario and its progress, parameters, patterns, weights including learned ones, \
                   network state) so that opening it continues the same run";
        if ui.button("Save session").on_hover_text(tip).clicked() {
            app.save_session();
        }
        let tip = "Continue a saved run; a broken file is reported and the running scene is kept";
        if ui.button("Open session").on_hover_text(tip).clicked() {
            app.request(super::Pending::OpenSession(app.controls.session_path.clone()));
        }
    });
    if let Some((ok, message)) = &app.controls.file_message {
        let colour = if *ok {
            ui.visuals().text_color()
        } else {
            super::theme::error(app.settings.dark)
        };
        ui.colored_label(colour, message);
    }
}

fn hopfield_controls_ui(
    ui: &mut egui::Ui,
    app: &mut EngramApp,
    mut setup: HopfieldSetup,
    commands: &mut Vec<Command>,
) {
    let preset = app.controls.hopfield_preset.clone();
    let live = app.hopfield.as_ref().map(|d| d.info.setup.clone());
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
                app.controls.poly_degree,
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
                beta: app.controls.beta,
            })));
        }
    });
    if let HopfieldUpdate::Dense(DenseUpdate::Poly(_)) = current.update {
        let mut degree = f64::from(app.controls.poly_degree);
        if param_slider(
            ui,
            &mut degree,
            2.0..=10.0,
            "degree n",
            "",
            "Higher n: sharper valleys, more capacity",
            Some(3.0),
        ) {
            app.controls.poly_degree = degree.round() as u32;
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Poly(
                app.controls.poly_degree,
            ))));
        }
    }
    if let HopfieldUpdate::Dense(DenseUpdate::Softmax { .. }) = current.update {
        let preset_beta = match preset.as_ref().map(|p| p.update) {
            Some(HopfieldUpdate::Dense(DenseUpdate::Softmax { beta })) => Some(beta),
            _ => None,
        };
        let tip = "Inverse temperature: large β retrieves one pattern, small β averages many";
        if param_slider(ui, &mut app.controls.beta, 0.005..=5.0, "β", "", tip, preset_beta) {
            commands.push(Command::SetUpdate(HopfieldUpdate::Dense(DenseUpdate::Softmax {
                beta: app.controls.beta,
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
        &mut app.settings.cue_flip,
        0.0..=0.5,
        "corruption",
        "",
        tip,
        preset.as_ref().map(|p| p.cue_flip),
    );
    let count = app.hopfield.as_ref().map_or(0, |d| d.info.patterns.len());
    let labels = app
        .hopfield
        .as_ref()
        .map(|d| d.info.labels.clone())
        .unwrap_or_default();
    ui.horizontal(|ui| {
        egui::ComboBox::from_label("pattern to cue")
            .selected_text(labels.get(app.controls.cue_pattern).cloned().unwrap_or_default())
            .show_ui(ui, |ui| {
                for (i, label) in labels.iter().enumerate() {
                    ui.selectable_value(&mut app.controls.cue_pattern, i, label);
                }
            });
    });
    let pattern = app.controls.cue_pattern.min(count.saturating_sub(1));
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Corrupt")
            .on_hover_text("Start from the pattern with a fraction of neurons flipped")
            .clicked()
        {
            commands.push(Command::Cue(Cue::Corrupted {
                pattern,
                flip: app.settings.cue_flip,
            }));
        }
        if ui
            .button("Mask half")
            .on_hover_text("Start from the pattern with its lower half blanked")
            .clicked()
        {
            let (w, h) = app
                .hopfield
                .as_ref()
                .map_or((0, 0), |d| (d.info.width, d.info.height));
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
                        count: app.controls.random_count,
                    },
                    "correlated" => PatternSource::Correlated {
                        width: 16,
                        height: 16,
                        count: app.controls.random_count,
                        difference: 0.2,
                    },
                    builtin => {
                        app.controls.labels_text.clear();
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
    match &mut setup.patterns {
        PatternSource::Builtin { labels, .. } => {
            ui.horizontal(|ui| {
                let label = ui
                    .label("store")
                    .on_hover_text("Which patterns of the set to store, e.g. AEHKS (empty: all)")
                    .id;
                let response = ui
                    .text_edit_singleline(&mut app.controls.labels_text)
                    .labelled_by(label);
                if response.lost_focus() {
                    *labels = app
                        .controls
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
            let mut value = *count as f64;
            let tip = "How many random patterns to store (the classical limit is about 0.138 N = 35)";
            if param_slider(ui, &mut value, 1.0..=80.0, "patterns", "", tip, None) {
                *count = value.round() as usize;
                app.controls.random_count = *count;
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
        setup.cue_flip = app.settings.cue_flip;
        setup.cue_pattern = 0;
        app.controls.cue_pattern = 0;
        app.settings.scene = SceneSetup::Hopfield(setup.clone());
        commands.push(Command::Load(SceneSetup::Hopfield(setup)));
        app.controls.notice = Some("network rebuilt: the stored patterns changed".into());
    }
}

fn spiking_controls_ui(ui: &mut egui::Ui, app: &mut EngramApp, commands: &mut Vec<Command>) {
    let Some(data) = app.spiking.as_ref() else { return };
    let mut params = data.info.params.clone();
    let preset = Some(data.info.preset_params.clone());
    ui.heading("Network");
    ui.label(format!(
        "{} neurons, {} synapses, dt = {} ms, delay = {} ms",
        data.info.n_neurons, data.info.n_synapses, params.dt_ms, params.delay_ms
    ));
    let current_seed = data.info.setup.seed;
    let mut rebuild = None;
    ui.horizontal(|ui| {
        let tip = "Seed of the wiring, the initial state and the noise: same seed, same spikes";
        let label = ui.label("seed").on_hover_text(tip).id;
        let seed = app.controls.spiking_seed.get_or_insert(current_seed);
        ui.add(egui::DragValue::new(seed).range(0..=1_000_000))
            .labelled_by(label)
            .on_hover_text(tip);
        if ui
            .add_enabled(*seed != current_seed, egui::Button::new("Rebuild"))
            .clicked()
        {
            rebuild = Some(*seed);
        }
    });
    if let Some(seed) = rebuild {
        let setup = crate::engine::SpikingSetup {
            seed,
            ..data.info.setup.clone()
        };
        app.settings.scene = SceneSetup::Spiking(setup.clone());
        commands.push(Command::Load(SceneSetup::Spiking(setup)));
        app.controls.notice = Some(format!("network rebuilt with seed {seed}"));
        return;
    }
    if let Some(memory) = data.info.memory.clone() {
        let stdp_enabled = data.info.stdp_enabled;
        let mean_weight = data.info.mean_exc_weight;
        memory_controls_ui(ui, app, &memory, (stdp_enabled, mean_weight), commands);
        return;
    }
    let mut stdp = data.info.stdp_enabled;
    let tip = "Spike-timing-dependent plasticity on E→E synapses: pre-before-post strengthens, post-before-pre weakens";
    if ui
        .checkbox(&mut stdp, "STDP (pair-based, τ = 20 ms)")
        .on_hover_text(tip)
        .changed()
    {
        commands.push(Command::SetStdp(stdp.then(crate::spiking::StdpParams::default)));
    }
    if data.info.stdp_enabled || (data.info.mean_exc_weight - 1.0).abs() > 1e-6 {
        ui.label(format!("mean E→E weight factor {:.3}", data.info.mean_exc_weight));
    }
    let mut changed = false;
    let tip = "Jump of the target's membrane potential (or current) per excitatory spike";
    changed |= param_slider(
        ui,
        &mut params.j_exc_mv,
        0.0..=5.0,
        "J excitatory",
        "mV",
        tip,
        preset.as_ref().map(|p| p.j_exc_mv),
    );
    let tip = "Effect of an inhibitory spike (negative); stronger inhibition calms the network";
    changed |= param_slider(
        ui,
        &mut params.j_inh_mv,
        -20.0..=0.0,
        "J inhibitory",
        "mV",
        tip,
        preset.as_ref().map(|p| p.j_inh_mv),
    );
    for (k, population) in params.populations.iter_mut().enumerate() {
        let preset_pop = preset.as_ref().and_then(|p| p.populations.get(k).cloned());
        ui.separator();
        ui.strong(format!(
            "Population {} ({} neurons)",
            population.name, population.size
        ));
        let neuron = &mut population.neuron;
        let pn = preset_pop.as_ref().map(|p| p.neuron);
        let tip = "Membrane time constant: how long the neuron remembers its input";
        changed |= param_slider(
            ui,
            &mut neuron.tau_m_ms,
            2.0..=50.0,
            "τ_m",
            "ms",
            tip,
            pn.map(|p| p.tau_m_ms),
        );
        let (lo, hi) = (
            neuron.v_rest_mv.min(neuron.v_reset_mv) - 20.0,
            neuron.v_threshold_mv + 20.0,
        );
        let tip = "Membrane potential at which the neuron spikes";
        changed |= param_slider(
            ui,
            &mut neuron.v_threshold_mv,
            lo..=hi,
            "threshold",
            "mV",
            tip,
            pn.map(|p| p.v_threshold_mv),
        );
        let tip = "Membrane potential right after a spike (must stay below threshold)";
        changed |= param_slider(
            ui,
            &mut neuron.v_reset_mv,
            lo..=hi,
            "reset",
            "mV",
            tip,
            pn.map(|p| p.v_reset_mv),
        );
        let tip = "Time after a spike during which the neuron cannot fire";
        changed |= param_slider(
            ui,
            &mut neuron.tau_ref_ms,
            0.1..=10.0,
            "refractory",
            "ms",
            tip,
            pn.map(|p| p.tau_ref_ms),
        );
        let drive = &mut population.drive;
        let pd = preset_pop.as_ref().map(|p| p.drive);
        let tip = "Constant input μ added to every neuron: raises the mean membrane potential";
        changed |= param_slider(
            ui,
            &mut drive.current_mv,
            -20.0..=40.0,
            "input μ",
            "mV",
            tip,
            pd.map(|d| d.current_mv),
        );
        let tip = "White-noise strength σ: makes silent neurons fire irregularly";
        changed |= param_slider(
            ui,
            &mut drive.noise_mv,
            0.0..=20.0,
            "noise σ",
            "mV",
            tip,
            pd.map(|d| d.noise_mv),
        );
        if drive.poisson_sources > 0 {
            let tip = "Rate of each external Poisson input (Brunel's ν_ext)";
            changed |= param_slider(
                ui,
                &mut drive.poisson_rate_hz,
                0.0..=200.0,
                "external rate",
                "Hz",
                tip,
                pd.map(|d| d.poisson_rate_hz),
            );
        }
    }
    if changed {
        match params.validate() {
            Ok(()) => {
                app.controls.refused = None;
                commands.push(Command::SetNetworkParams(Box::new(params)));
            }
            Err(e) => app.controls.refused = Some(format!("not applied: {e}")),
        }
    }
    refused_ui(ui, app);
}

/// The reason the last combination of values was refused, under the sliders that made it.
fn refused_ui(ui: &mut egui::Ui, app: &EngramApp) {
    if let Some(reason) = &app.controls.refused {
        ui.colored_label(super::theme::error(app.settings.dark), reason);
    }
}

/// Controls of a spiking memory: cue strength and length, the pools' drive, coupling, competition and
/// noise, the readout filter, and (learning memory) STDP.
fn memory_controls_ui(
    ui: &mut egui::Ui,
    app: &mut EngramApp,
    memory: &crate::engine::MemoryInfo,
    (stdp_enabled, mean_weight): (bool, f64),
    commands: &mut Vec<Command>,
) {
    let mut params = memory.params;
    let preset = memory.preset_params;
    let (low, high) = memory.rate_levels_hz;
    ui.label(format!(
        "{} patterns of {}×{} pixels; {} neurons per pool; rule: {}",
        memory.patterns.len(),
        memory.patterns.width,
        memory.patterns.height,
        params.pool_size,
        if memory.learning {
            "STDP".to_string()
        } else {
            params.rule.to_string()
        }
    ));
    ui.label(format!(
        "winning pool {high:.0} Hz, losing pool {low:.1} Hz (Siegert)"
    ));
    if memory.learning {
        let mut stdp = stdp_enabled;
        let tip = "While on, synapses between pools that fire together grow (pre-before-post pairs, τ = 20 ms, bound 1)";
        if ui
            .checkbox(&mut stdp, "STDP learning")
            .on_hover_text(tip)
            .changed()
        {
            commands.push(Command::SetStdp(
                stdp.then(crate::spiking::SpikingMemory::learning_stdp),
            ));
        }
        ui.label(format!("mean weight factor {mean_weight:.3} (all synapses)"));
    }
    ui.separator();
    ui.strong("Cue");
    let tip = "Fraction of the pattern's pixels flipped in the cue";
    param_slider(ui, &mut app.settings.cue_flip, 0.0..=0.5, "flip", "", tip, None);
    let mut changed = false;
    let tip = "Input current the cue adds to the pool it asks for (and takes from its partner)";
    changed |= param_slider(
        ui,
        &mut params.cue_mv,
        0.0..=30.0,
        "cue current",
        "mV",
        tip,
        Some(preset.cue_mv),
    );
    let tip = "How long a cue is delivered before the network is on its own";
    changed |= param_slider(
        ui,
        &mut params.cue_ms,
        10.0..=1000.0,
        "cue length",
        "ms",
        tip,
        Some(preset.cue_ms),
    );
    ui.separator();
    ui.strong("Pools");
    let tip = "Mean input of every neuron before coupling: higher makes winning pools fire faster";
    changed |= param_slider(
        ui,
        &mut params.drive_mv,
        5.0..=30.0,
        "drive μ",
        "mV",
        tip,
        Some(preset.drive_mv),
    );
    let tip = "How strongly the Hopfield field moves a pool's input: weak coupling forgets, strong coupling locks in";
    changed |= param_slider(
        ui,
        &mut params.coupling_mv,
        0.0..=15.0,
        "coupling a",
        "mV",
        tip,
        Some(preset.coupling_mv),
    );
    let tip = "How much a firing pool silences its partner: makes every pixel decide on or off";
    changed |= param_slider(
        ui,
        &mut params.competition_mv,
        0.0..=30.0,
        "competition c",
        "mV",
        tip,
        Some(preset.competition_mv),
    );
    let tip = "White-noise strength: more noise makes the memory less reliable (like temperature)";
    changed |= param_slider(
        ui,
        &mut params.noise_mv,
        0.0..=15.0,
        "noise σ",
        "mV",
        tip,
        Some(preset.noise_mv),
    );
    let tip = "Time constant of the filter that turns spikes into the rates shown and the overlaps";
    changed |= param_slider(
        ui,
        &mut params.filter_ms,
        2.0..=200.0,
        "rate filter",
        "ms",
        tip,
        Some(preset.filter_ms),
    );
    if changed {
        match params.validate() {
            Ok(()) => {
                app.controls.refused = None;
                commands.push(Command::SetMemoryParams(params));
            }
            Err(e) => app.controls.refused = Some(format!("not applied: {e}")),
        }
    }
    refused_ui(ui, app);
}

#[cfg(test)]
mod tests {
    use super::out_of_range;

    #[test]
    fn typed_values_outside_the_range_are_refused_with_the_range() {
        assert_eq!(out_of_range(20.0, &(2.0..=50.0), "τ_m", "ms"), None);
        let reason = out_of_range(-5.0, &(2.0..=50.0), "τ_m", "ms").expect("refused");
        assert!(reason.contains("between 2 and 50 ms"), "{reason}");
        assert!(out_of_range(f64::NAN, &(0.0..=1.0), "flip", "").is_some());
    }
}
