//! The spiking scene's controls: network and memory parameters live, with units, tooltips and
//! restore marks; a refused combination shows its reason and changes nothing.

use super::SpikingControls;
use super::data::SpikingData;
use crate::families::UiCx;
use crate::families::spiking::{MemoryInfo, Spiking, SpikingCommand as Command};
use crate::views::widgets::param_slider;

/// The spiking control panel: seed, STDP, weights, and each population's neuron and drive.
pub fn spiking_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Spiking>,
    controls: &mut SpikingControls,
    data: Option<&SpikingData>,
) {
    let Some(data) = data else { return };
    let commands = &mut cx.commands;
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
        let seed = controls.spiking_seed.get_or_insert(current_seed);
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
        let setup = crate::families::spiking::SpikingSetup {
            seed,
            ..data.info.setup.clone()
        };
        cx.load = Some(setup);
        cx.notice = Some(format!("network rebuilt with seed {seed}"));
        return;
    }
    if let Some(memory) = data.info.memory.clone() {
        let stdp_enabled = data.info.stdp_enabled;
        let mean_weight = data.info.mean_exc_weight;
        memory_controls_ui(ui, cx, controls, &memory, (stdp_enabled, mean_weight));
        return;
    }
    let mut stdp = data.info.stdp_enabled;
    let tip = "Spike-timing-dependent plasticity on E→E synapses: pre-before-post strengthens, post-before-pre weakens";
    if ui
        .checkbox(&mut stdp, "STDP (pair-based, τ = 20 ms)")
        .on_hover_text(tip)
        .changed()
    {
        commands.push(Command::SetStdp(
            stdp.then(crate::families::spiking::model::StdpParams::default),
        ));
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
        let preset_adaptation = pn.and_then(|p| p.model.adaptation());
        if let crate::families::spiking::model::NeuronModel::Adex {
            a, tau_w_ms, b_mv, ..
        } = &mut neuron.model
        {
            let tip = "Subthreshold adaptation a/g_L: w follows a (V − V_rest); negative values make the neuron accelerate";
            changed |= param_slider(
                ui,
                a,
                -2.0..=2.0,
                "adaptation a",
                "",
                tip,
                preset_adaptation.map(|m| m.0),
            );
            let tip = "Time constant of the adaptation w";
            changed |= param_slider(
                ui,
                tau_w_ms,
                5.0..=1000.0,
                "τ_w",
                "ms",
                tip,
                preset_adaptation.map(|m| m.1),
            );
            let tip =
                "Jump of w at every spike (b/g_L): the larger, the stronger the spike-frequency adaptation";
            changed |= param_slider(
                ui,
                b_mv,
                0.0..=30.0,
                "jump b",
                "mV",
                tip,
                preset_adaptation.map(|m| m.2),
            );
        }
        let drive = &mut population.drive;
        let pd = preset_pop.as_ref().map(|p| p.drive);
        let tip = "Constant input μ added to every neuron: raises the mean membrane potential";
        changed |= param_slider(
            ui,
            &mut drive.current_mv,
            -20.0..=60.0,
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
                controls.refused = None;
                commands.push(Command::SetNetworkParams(Box::new(params)));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    refused_ui(ui, controls, cx.dark);
    ui.separator();
    export_ui(ui, cx, controls, data);
}

/// Export to NEST: the network as it is now (learned weights included) written as a bundle in the
/// background, with a progress bar, the outcome and the command that runs it.
fn export_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Spiking>,
    controls: &mut SpikingControls,
    data: &SpikingData,
) {
    use crate::views::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileKind};
    ui.heading("Export to NEST");
    let writing = data.export.as_ref().is_some_and(|e| e.done.is_none());
    let tip = "Write the network as it is now (synapses with learned weights, potentials, parameters) as a \
               bundle folder that NEST runs: network.json, synapses/*.npy, run_nest.py and a README";
    if ui
        .add_enabled(!writing, egui::Button::new("Export to NEST…"))
        .on_hover_text(tip)
        .clicked()
    {
        controls.export_dialog = Some(FileDialog::new(
            ui.ctx(),
            FileKind::Bundle,
            DialogMode::Save,
            "Export the network to NEST: name the bundle's folder",
            "nest-bundle",
        ));
    }
    if let Some(dialog) = controls.export_dialog.as_mut() {
        match dialog.show(ui.ctx()) {
            DialogOutcome::Open => {}
            DialogOutcome::Cancelled => controls.export_dialog = None,
            DialogOutcome::Chosen(dir) => {
                controls.export_dialog = None;
                // The dialog asked before naming an existing folder.
                let replace = dir.exists();
                cx.commands.push(Command::Export { dir, replace });
            }
        }
    }
    let Some(status) = data.export.as_ref() else {
        return;
    };
    match &status.done {
        None => {
            ui.add(egui::ProgressBar::new(status.fraction as f32).text(format!(
                "writing {} ({:.0} %)",
                status.dir.display(),
                100.0 * status.fraction
            )));
        }
        Some(Ok(summary)) => {
            ui.label(format!(
                "wrote {} ({} neurons, {} synapses, {}): run it with python3 {}/run_nest.py --threads 4",
                summary.dir.display(),
                summary.neurons,
                summary.synapses,
                crate::output::byte_size(summary.bytes),
                summary.dir.display()
            ));
        }
        Some(Err(e)) => {
            ui.colored_label(crate::views::theme::error(cx.dark), format!("not exported: {e}"));
        }
    }
}

/// The reason the last combination of values was refused, under the sliders that made it.
fn refused_ui(ui: &mut egui::Ui, controls: &SpikingControls, dark: bool) {
    if let Some(reason) = &controls.refused {
        ui.colored_label(crate::views::theme::error(dark), reason);
    }
}

/// Controls of a spiking memory: cue strength and length, the pools' drive, coupling, competition and
/// noise, the readout filter, and (learning memory) STDP.
fn memory_controls_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Spiking>,
    controls: &mut SpikingControls,
    memory: &MemoryInfo,
    (stdp_enabled, mean_weight): (bool, f64),
) {
    let commands = &mut cx.commands;
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
                stdp.then(crate::families::spiking::model::SpikingMemory::learning_stdp),
            ));
        }
        ui.label(format!("mean weight factor {mean_weight:.3} (all synapses)"));
    }
    ui.separator();
    ui.strong("Cue");
    let tip = "Fraction of the pattern's pixels flipped in the cue";
    param_slider(ui, cx.cue_flip, 0.0..=0.5, "flip", "", tip, None);
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
                controls.refused = None;
                commands.push(Command::SetMemoryParams(params));
            }
            Err(e) => controls.refused = Some(format!("not applied: {e}")),
        }
    }
    refused_ui(ui, controls, cx.dark);
}
