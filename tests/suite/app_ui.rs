//! The app driven headless with egui_kittest: controls are found by label, commands reach the
//! engine, views show what the engine sent, and a paused app settles.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use engram::app::{EngramApp, Settings};
use engram::engine::SceneSetup;

use crate::common::choose_in_file_dialog;

/// The Hopfield scene's histories, when the app shows one.
pub(crate) fn hopfield(app: &EngramApp) -> Option<&engram::families::hopfield::ui::HopfieldData> {
    app.scene_data.as_ref().and_then(|d| d.hopfield())
}

/// The spiking scene's raster and histories, when the app shows one.
fn spiking(app: &EngramApp) -> Option<&engram::families::spiking::ui::SpikingData> {
    app.scene_data.as_ref().and_then(|d| d.spiking())
}

pub(crate) fn harness(settings: Settings) -> Harness<'static, EngramApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| EngramApp::with_settings(cc.egui_ctx.clone(), settings))
}

/// The app opened on a shipped scenario, as choosing it from the menu does.
fn shipped_harness(name: &str) -> Harness<'static, EngramApp> {
    let (index, scenario) = crate::common::shipped_with_index(name);
    harness(Settings {
        scene: scenario.scene,
        preset: index,
        ..Settings::default()
    })
}

/// Steps frames until `done` holds (the engine runs on its own thread), failing after a deadline.
pub(crate) fn step_until(
    harness: &mut Harness<'static, EngramApp>,
    what: &str,
    done: impl Fn(&EngramApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
}

#[test]
fn the_pattern_completion_scene_shows_its_patterns_and_controls() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.step();
    harness.get_by_label("cue pattern A");
    harness.get_by_label("Play");
    harness.get_by_role_and_label(Role::Slider, "temperature T");
    let data = hopfield(harness.state()).expect("scene");
    assert_eq!(data.info.labels, ["A", "H", "S"]);
}

#[test]
fn play_and_pause_reach_the_engine() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Play").click();
    harness.step();
    step_until(&mut harness, "the engine to run", |app| {
        app.status.playing && app.status.sim_time > 0.5
    });
    harness.get_by_label("Pause").click();
    harness.step();
    step_until(&mut harness, "the engine to pause", |app| !app.status.playing);
    assert_eq!(harness.state().last_command.as_deref(), Some("Pause"));
}

#[test]
fn moving_the_temperature_slider_changes_the_simulation() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .set_value_accesskit(1.5);
    harness.step();
    step_until(&mut harness, "the engine to take T = 1.5", |app| {
        hopfield(app)
            .as_ref()
            .is_some_and(|d| (d.info.setup.temperature - 1.5).abs() < 1e-9)
    });
}

#[test]
fn clicking_a_pattern_cues_the_network_with_it() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("cue pattern H").click();
    harness.step();
    assert!(
        harness
            .state()
            .last_command
            .as_deref()
            .is_some_and(|c| c.contains("pattern: 1"))
    );
    // With 30 % of bits flipped the overlap with H is about 0.4.
    step_until(&mut harness, "the cue to arrive", |app| {
        hopfield(app)
            .as_ref()
            .and_then(|d| d.overlaps[1].last())
            .is_some_and(|p| (p[1] - 0.4).abs() < 0.1)
    });
}

#[test]
fn a_paused_app_settles() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    std::thread::sleep(Duration::from_millis(300));
    // `run` fails if the app asks for a repaint every frame.
    harness.run();
}

#[test]
fn the_spiking_scene_fills_the_raster() {
    let settings = Settings {
        scene: SceneSetup::Spiking(Default::default()),
        preset: 5,
        ..Settings::default()
    };
    let mut harness = harness(settings);
    step_until(&mut harness, "the spiking scene", |app| spiking(app).is_some());
    harness.get_by_label("Play").click();
    step_until(&mut harness, "spikes in the raster", |app| {
        spiking(app).as_ref().is_some_and(|d| d.raster.spikes_seen > 1000)
    });
    let data = spiking(harness.state()).expect("scene");
    assert_eq!(data.info.n_neurons, 4000);
    assert!(data.rates.iter().any(|r| !r.is_empty()));
}

#[test]
fn an_experiment_runs_in_the_background_and_shows_theory_beside_it() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Experiments").click();
    // A new window takes a frame to measure itself before it shows.
    harness.step();
    harness.step();
    harness.step();
    harness.get_by_label("temperature").click();
    harness.step();
    harness
        .get_by_role_and_label(Role::Slider, "neurons N")
        .set_value_accesskit(100.0);
    harness.step();
    harness.get_by_label("Run experiment").click();
    harness.step();
    step_until(
        &mut harness,
        "the experiment's result",
        |app| matches!(app.experiments.result(), Some(engram::app::experiments::ExperimentResult::Hopfield(engram::families::hopfield::ui::experiments::HopfieldResult::Temperature(p))) if p.len() == 15),
    );
    harness.step();
    harness.get_by_label("Save CSV…");
    // The theory is drawn beside the points: its legend entry is on screen, and every point
    // carries the mean-field root of m = tanh(m/T) (0.96 at T = 0.5, 0 from T_c = 1 on).
    harness.get_by_label("mean field m = tanh(m/T)");
    let Some(engram::app::experiments::ExperimentResult::Hopfield(
        engram::families::hopfield::ui::experiments::HopfieldResult::Temperature(points),
    )) = harness.state().experiments.result()
    else {
        panic!("a temperature result")
    };
    for p in points {
        let expected = engram::analysis::hopfield_theory::mean_field_overlap(p.temperature);
        assert!((p.mean_field - expected).abs() < 1e-9, "{p:?}");
    }
    let at = |t: f64| {
        points
            .iter()
            .find(|p| (p.temperature - t).abs() < 1e-9)
            .expect("sampled")
    };
    assert!((at(0.5).mean_field - 0.9575).abs() < 0.001 && at(1.2).mean_field == 0.0);
}

#[test]
fn the_scene_saves_as_a_scenario_and_a_broken_file_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("scene.toml");
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "format = 1\nname = \"x\"\n[scene\n").expect("write");
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Save scene…").click();
    choose_in_file_dialog(&mut harness, &good, "Save");
    let full_path = good.display().to_string();
    let message = harness.state().controls.file_message.clone().expect("a message");
    assert!(
        message.0 && message.1.contains(&full_path),
        "the full path: {message:?}"
    );
    // Saving again under the same name asks first, and replaces only when told to.
    harness.get_by_label("Save scene…").click();
    choose_in_file_dialog(&mut harness, &good, "Save");
    harness.get_by_label("Replace");
    harness.get_by_label("Replace").click();
    for _ in 0..2 {
        harness.step();
    }
    assert!(harness.state().controls.dialog.is_none(), "replaced and closed");
    let text = std::fs::read_to_string(&good).expect("saved");
    let saved = engram::scenario::Scenario::parse(&text, "scene.toml").expect("a valid scenario");
    assert!(matches!(saved.scene, SceneSetup::Hopfield(ref h) if h.cue_flip == 0.3));
    let commands_before = harness.state().commands_sent;
    harness.get_by_label("Open scenario…").click();
    choose_in_file_dialog(&mut harness, &broken, "Open");
    let message = harness.state().controls.file_message.clone().expect("a message");
    assert!(
        !message.0 && message.1.contains("broken.toml") && message.1.contains("line"),
        "{message:?}"
    );
    assert_eq!(
        harness.state().commands_sent,
        commands_before,
        "nothing was sent to the engine"
    );
    // The good file opens, and the panel and the scene menu name what was loaded.
    harness.get_by_label("Open scenario…").click();
    choose_in_file_dialog(&mut harness, &good, "Open");
    let opened = harness.state().opened.clone().expect("named");
    assert_eq!(opened.0, "Saved: Pattern completion");
    harness
        .get_all_by_label("Saved: Pattern completion")
        .next()
        .expect("the name is shown");
}

#[test]
fn the_spiking_memory_scene_completes_a_clicked_letter() {
    let mut harness = shipped_harness("spiking-memory");
    step_until(&mut harness, "the memory scene", |app| {
        spiking(app).as_ref().is_some_and(|d| d.memory.is_some())
    });
    harness.step();
    harness.get_by_label("pixel states from spike rates");
    harness.get_by_role_and_label(Role::Slider, "coupling a");
    harness.get_by_label("Play").click();
    harness.step();
    // First hold A, so that reaching H below is the click's doing.
    harness.get_by_label("cue pattern A").click();
    harness.step();
    step_until(&mut harness, "the letter A to be completed", |app| {
        let memory = spiking(app).as_ref().and_then(|d| d.memory.as_ref());
        memory.is_some_and(|m| m.classification == "pattern A")
    });
    harness.get_by_label("cue pattern H").click();
    harness.step();
    let last = harness.state().last_command.clone().unwrap_or_default();
    assert!(last.contains("Cue") && last.contains("pattern: 1"), "{last}");
    step_until(&mut harness, "the letter H to be completed", |app| {
        let memory = spiking(app).as_ref().and_then(|d| d.memory.as_ref());
        memory.is_some_and(|m| m.classification == "pattern H")
    });
    let data = spiking(harness.state()).expect("scene");
    let overlaps = &data.memory.as_ref().expect("memory").overlaps;
    assert!(overlaps[1].last().is_some_and(|p| p[1] > 0.75), "m_H");
}

#[test]
fn the_record_button_writes_a_recording_of_the_running_scene() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(Settings::default());
    harness.state_mut().recordings_dir = dir.path().to_path_buf();
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Record").click();
    harness.step();
    assert!(
        harness.state().recording.is_some(),
        "{:?}",
        harness.state().controls.notice
    );
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a few sweeps", |app| app.status.sim_time > 3.0);
    harness.get_by_label("Stop recording").click();
    harness.step();
    let notice = harness.state().controls.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("recorded to"), "{notice}");
    let folder = std::fs::read_dir(dir.path())
        .expect("listed")
        .next()
        .expect("one folder")
        .expect("entry");
    let overlaps = std::fs::read_to_string(folder.path().join("overlaps.csv")).expect("overlaps.csv");
    assert!(
        overlaps.starts_with("time_sweeps,m_A,m_H,m_S,energy"),
        "{overlaps}"
    );
    assert!(overlaps.lines().count() > 10);
    let metadata = std::fs::read_to_string(folder.path().join("metadata.json")).expect("metadata");
    assert!(metadata.contains("\"seed\""));
}

#[test]
fn a_session_saves_and_opening_another_file_with_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("run.engram");
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a few sweeps", |app| app.status.sim_time > 2.0);
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |app| !app.status.playing);
    assert!(harness.state().unsaved);
    // Opening a file now asks first; Cancel keeps everything.
    let other = dir.path().join("other.engram");
    std::fs::write(&other, "not read unless opened").expect("write");
    harness.get_by_label("Open session…").click();
    choose_in_file_dialog(&mut harness, &other, "Open");
    assert!(harness.state().pending.is_some());
    harness.step();
    harness.get_by_label("Cancel").click();
    harness.step();
    assert!(harness.state().pending.is_none());
    // Saving (the first time: where?) clears the mark; the file is there.
    harness.get_by_label("Save session").click();
    choose_in_file_dialog(&mut harness, &path, "Save");
    step_until(&mut harness, "the save", |app| !app.unsaved);
    assert!(path.exists());
    assert_eq!(
        harness.state().controls.session_file.as_deref(),
        Some(path.as_path())
    );
    let saved_time = harness.state().status.sim_time;
    // Run on, then open the saved session: no question (the dialog's Discard is not needed) once saved...
    harness.get_by_label("Play").click();
    step_until(&mut harness, "more sweeps", |app| {
        app.status.sim_time > saved_time + 2.0
    });
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |app| !app.status.playing);
    // ...but now the run changed again, so the dialog asks; Discard opens the file.
    harness.get_by_label("Open session…").click();
    choose_in_file_dialog(&mut harness, &path, "Open");
    harness.get_by_label("Discard changes").click();
    step_until(&mut harness, "the session to reopen", |app| {
        (app.status.sim_time - saved_time).abs() < 1e-9 && !app.unsaved
    });
    // Opened from earlier in time than the saved one (after a reset), the histories start afresh at
    // the saved time: no line from the discarded run's t = 0 to it (issue 16).
    harness.get_by_label("Reset").click();
    step_until(&mut harness, "the reset", |app| app.status.sim_time < 1e-9);
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a sweep", |app| app.status.sim_time > 1.0);
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |app| !app.status.playing);
    assert!(harness.state().status.sim_time < saved_time);
    harness.get_by_label("Open session…").click();
    choose_in_file_dialog(&mut harness, &path, "Open");
    if harness.query_by_label("Discard changes").is_some() {
        harness.get_by_label("Discard changes").click();
    }
    step_until(&mut harness, "the session to reopen again", |app| {
        (app.status.sim_time - saved_time).abs() < 1e-9
    });
    harness.get_by_label("Play").click();
    step_until(&mut harness, "sweeps after the reopening", |app| {
        app.status.sim_time > saved_time + 1.0
    });
    let energy = &hopfield(harness.state()).expect("the Hopfield scene").energy;
    assert!(!energy.is_empty());
    let first = energy.iter().next().expect("a point")[0];
    assert!(
        first >= saved_time - 1e-9,
        "the energy curve starts at {first}, before {saved_time}"
    );
}

#[test]
fn a_reset_above_threshold_is_refused_with_its_reason_and_nothing_changes() {
    let settings = Settings {
        scene: SceneSetup::Spiking(Default::default()),
        ..Settings::default()
    };
    let mut harness = harness(settings);
    step_until(&mut harness, "the spiking scene", |app| spiking(app).is_some());
    harness.step();
    harness
        .get_all_by_role_and_label(Role::Slider, "reset")
        .next()
        .expect("a reset slider")
        .set_value_accesskit(-45.0);
    harness.step();
    harness.step();
    let refused = harness
        .state()
        .scene_controls
        .spiking()
        .and_then(|c| c.refused.clone())
        .expect("refused");
    assert!(
        refused.contains("reset") && refused.contains("threshold"),
        "{refused}"
    );
    let data = spiking(harness.state()).expect("scene");
    assert_eq!(data.info.params.populations[0].neuron.v_reset_mv, -60.0);
}

/// The sampling scene's histories, when the app shows one.
fn sampling(app: &EngramApp) -> Option<&engram::families::sampling::ui::SamplingData> {
    match app.scene_data.as_ref()? {
        engram::families::SceneData::Sampling(data) => Some(data),
        _ => None,
    }
}

/// Clicking a unit of the evidence row clamps it (the exact bars become the posterior), and a
/// bias edited in the "Edit W and b" table rebuilds the distribution with it.
#[test]
fn the_sampling_scene_takes_evidence_and_edited_couplings() {
    let mut harness = shipped_harness("sampling-inference");
    step_until(&mut harness, "the sampling scene", |app| sampling(app).is_some());
    harness.step();
    harness.get_by_label("1 ?").click();
    step_until(&mut harness, "unit 1 clamped on", |app| {
        sampling(app).is_some_and(|d| d.info.clamp.first() == Some(&Some(true)))
    });
    let marginal = sampling(harness.state())
        .and_then(|d| d.info.exact_marginals.as_ref())
        .map(|m| m[0]);
    assert!(marginal.is_some_and(|m| (m - 1.0).abs() < 1e-12), "{marginal:?}");

    harness.get_by_label("Edit W and b").click();
    harness.step();
    harness
        .get_by_role_and_label(Role::SpinButton, "bias b_1")
        .set_value_accesskit(2.5);
    step_until(&mut harness, "the edited bias", |app| {
        sampling(app).is_some_and(|d| d.info.setup.biases.as_ref().is_some_and(|b| b[0] == 2.5))
    });
    let data = sampling(harness.state()).expect("scene");
    assert_eq!(data.info.biases[0], 2.5);
}

fn neuron_lab(app: &EngramApp) -> Option<&engram::families::cell::ui::CellData> {
    app.scene_data.as_ref().and_then(|d| d.neuron_lab())
}

/// The neuron lab opens on Hodgkin-Huxley with its f-I curves of all four models; the "regular
/// bursting" button loads Naud et al.'s AdEx with its 210 pA step, and once running it spikes.
#[test]
fn the_neuron_lab_loads_an_adex_pattern_and_fires() {
    let mut harness = shipped_harness("neuron-lab");
    step_until(&mut harness, "the neuron lab", |app| neuron_lab(app).is_some());
    let data = neuron_lab(harness.state()).expect("scene");
    assert_eq!(data.info.fi_curves.len(), 4, "every model's f-I curve");
    harness.get_by_label("regular bursting").click();
    step_until(&mut harness, "the bursting AdEx", |app| {
        neuron_lab(app).is_some_and(|d| {
            let setup = &d.info.setup;
            setup.params.kind == engram::families::cell::model::CellKind::Adex
                && setup.params.adex.b_pa == 100.0
                && setup.stimulus.amplitude == 210.0
        })
    });
    harness.get_by_label("Play").click();
    step_until(&mut harness, "spikes", |app| {
        neuron_lab(app).is_some_and(|d| !d.spikes_ms.is_empty())
    });
}

fn hebbian(app: &EngramApp) -> Option<&engram::families::hebbian::ui::HebbData> {
    app.scene_data.as_ref().and_then(|d| d.hebbian())
}

/// The Oja scene learns while it runs (the angle to e1 falls below 10°), and "New random weights"
/// starts it again.
#[test]
fn the_oja_scene_learns_and_starts_again_from_new_weights() {
    let mut harness = shipped_harness("oja-pca");
    step_until(&mut harness, "the Hebbian scene", |app| hebbian(app).is_some());
    harness.get_by_label("Play").click();
    step_until(&mut harness, "w to reach e1", |app| {
        hebbian(app).is_some_and(|d| d.angles[0].last().is_some_and(|p| p[1] < 10.0))
    });
    harness.get_by_label("New random weights").click();
    step_until(&mut harness, "new weights", |app| {
        hebbian(app).is_some_and(|d| d.norms[0].last().is_some_and(|p| p[1] < 0.5))
    });
}

fn continuous(app: &EngramApp) -> Option<&engram::families::continuous::ui::ContinuousData> {
    app.scene_data.as_ref().and_then(|d| d.continuous())
}

/// Clicking a stored letter cues the continuous memory with its noisy upper half, and at β = 0.5
/// the running network restores it.
#[test]
fn clicking_a_letter_cues_the_continuous_memory_and_it_is_restored() {
    let mut harness = shipped_harness("continuous-memory");
    step_until(&mut harness, "the continuous scene", |app| {
        continuous(app).is_some()
    });
    harness.step();
    let h = continuous(harness.state())
        .and_then(|d| d.info.labels.iter().position(|l| l == "H"))
        .expect("H is stored");
    harness.get_by_label("cue pattern H").click();
    harness.step();
    harness.get_by_label("Play").click();
    step_until(&mut harness, "H restored", |app| {
        continuous(app).is_some_and(|d| d.cosines[h].last().is_some_and(|p| p[1] > 0.99))
    });
}

fn branching(app: &EngramApp) -> Option<&engram::families::branching::ui::BranchingData> {
    app.scene_data.as_ref().and_then(|d| d.branching())
}

/// The criticality scene estimates m live once running, and "Measure avalanches" draws their
/// distributions.
#[test]
fn the_criticality_scene_estimates_m_and_measures_avalanches() {
    let mut harness = shipped_harness("criticality");
    step_until(&mut harness, "the branching scene", |app| {
        branching(app).is_some()
    });
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a live estimate", |app| {
        branching(app).is_some_and(|d| d.estimate.is_some())
    });
    harness.get_by_label("Measure avalanches").click();
    step_until(&mut harness, "avalanches", |app| {
        branching(app).is_some_and(|d| d.avalanches.as_ref().is_some_and(|a| a.avalanches.len() == 5000))
    });
}

/// Settings keep the open scene's name as well as its index: a scenario added since they were saved
/// shifts the indices, and the name finds the scene again (issue 17); an unknown name keeps the index.
#[test]
fn the_open_scene_is_found_again_by_name_after_scenarios_were_added() {
    let (index, scenario) = crate::common::shipped_with_index("criticality");
    let mut settings = Settings {
        preset: 0,
        preset_name: scenario.name.clone(),
        ..Settings::default()
    };
    settings.resolve_preset();
    assert_eq!(settings.preset, index);
    let mut unknown = Settings {
        preset: 2,
        preset_name: "a scenario that no longer ships".into(),
        ..Settings::default()
    };
    unknown.resolve_preset();
    assert_eq!(unknown.preset, 2);
}

/// The correlations tab of a spiking scene: opening it asks the engine for the covariances, which
/// arrive measured and then predicted from the wiring, with the matrices and the spectrum drawn.
#[test]
fn the_correlations_tab_shows_measured_and_predicted_covariances() {
    use engram::families::spiking::SpikingSetup;
    let settings = Settings {
        scene: SceneSetup::Spiking(SpikingSetup {
            preset: engram::spiking::Preset::Ei,
            n_neurons: Some(500),
            ..SpikingSetup::default()
        }),
        preset: 5,
        ..Settings::default()
    };
    let mut harness = harness(settings);
    step_until(&mut harness, "the spiking scene", |app| spiking(app).is_some());
    harness.get_by_label("Correlations").click();
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a prediction", |app| {
        spiking(app)
            .and_then(|d| d.correlations.as_ref())
            .is_some_and(|c| c.theory.is_some() && !c.measured_hz.is_empty())
    });
    harness.step();
    harness.get_by_role_and_label(Role::Image, "Measured covariance");
    harness.get_by_role_and_label(Role::Image, "Predicted from the wiring");
    let view = spiking(harness.state())
        .and_then(|d| d.correlations.clone())
        .expect("view");
    let theory = view.theory.expect("prediction");
    assert_eq!(theory.spectrum.eigenvalues.len(), 500);
    assert_eq!(view.ranges.len(), 2, "E and I in the sample");
}

fn eprop(app: &EngramApp) -> Option<&engram::families::eprop::ui::EpropData> {
    app.scene_data.as_ref().and_then(|d| d.eprop())
}

/// The e-prop scene learns in the app: trials arrive with falling error, and "Initial weights
/// again" reaches the engine (the error is back up).
#[test]
fn the_eprop_scene_learns_and_starts_again_from_its_initial_weights() {
    let mut harness = shipped_harness("eprop-pattern");
    step_until(&mut harness, "the e-prop scene", |app| eprop(app).is_some());
    harness.get_by_label("Play").click();
    step_until(&mut harness, "30 trials", |app| {
        eprop(app).is_some_and(|d| d.trials.len() >= 30)
    });
    let data = eprop(harness.state()).expect("scene");
    let first = data.trials[0].nmse.expect("pattern task");
    let best = data
        .trials
        .iter()
        .filter_map(|r| r.nmse)
        .fold(f64::INFINITY, f64::min);
    assert!(best < first / 5.0, "NMSE {first} → {best}");
    harness.get_by_label("Initial weights again").click();
    step_until(&mut harness, "the initial weights' error again", |app| {
        eprop(app).is_some_and(|d| {
            d.trials
                .last()
                .and_then(|r| r.nmse)
                .is_some_and(|e| e > first / 2.0)
        })
    });
}

/// Switching scenes by a number key with unsaved changes asks first, like Open and Quit (issue 17):
/// Cancel keeps the scene, Discard switches.
#[test]
fn switching_scenes_with_unsaved_changes_asks_first() {
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Play").click();
    step_until(&mut harness, "a few sweeps", |app| app.status.sim_time > 2.0);
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |app| !app.status.playing);
    assert!(harness.state().unsaved);
    let before = harness.state().settings.preset;
    let other = if before == 1 { 2 } else { 1 };
    let key = if other == 1 {
        egui::Key::Num2
    } else {
        egui::Key::Num3
    };
    harness.key_press(key);
    for _ in 0..3 {
        harness.step();
    }
    assert_eq!(
        harness.state().pending,
        Some(engram::app::Pending::SwitchScene(other))
    );
    harness.get_by_label("Cancel").click();
    // Keys act again once the dialog is gone (the frame after the one that closed it).
    harness.step();
    harness.step();
    assert_eq!(harness.state().settings.preset, before, "Cancel keeps the scene");
    harness.key_press(key);
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Discard changes").click();
    harness.step();
    assert_eq!(harness.state().settings.preset, other, "Discard switches");
    assert!(!harness.state().unsaved);
}

fn replay(app: &EngramApp) -> Option<&engram::families::replay::ui::ReplayData> {
    app.scene_data.as_ref().and_then(|d| d.replay())
}

/// Files → Open run…: a recording chosen in the file dialog opens as a replay scene whose header
/// says where it came from, and it plays.
#[test]
fn a_recorded_run_opens_as_a_replay_and_plays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recording = dir.path().join("cuba");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_engram"))
        .args([
            "run",
            "cuba",
            "--duration",
            "300ms",
            "--record",
            recording.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Open run…").click();
    choose_in_file_dialog(&mut harness, &recording, "Open");
    step_until(&mut harness, "the replay", |app| replay(app).is_some());
    let header = replay(harness.state()).expect("replay").info.header.clone();
    assert!(
        header.starts_with("engram, CUBA network (seed 1), 0.3 s, 4000 neurons"),
        "{header}"
    );
    harness.get_by_label("Play").click();
    step_until(&mut harness, "spikes replayed", |app| {
        replay(app).is_some_and(|d| d.spikes_received > 100)
    });
    assert!(
        harness
            .state()
            .opened
            .as_ref()
            .is_some_and(|(name, _)| name.starts_with("Replay of"))
    );
}

/// Export from the app: the running CUBA network is written as a NEST bundle in the background,
/// the panel shows the outcome with the full path, and naming an existing folder asks before
/// replacing it (nothing is overwritten without asking).
#[test]
fn the_running_network_exports_to_nest_from_the_controls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundle = dir.path().join("cuba-bundle");
    let settings = Settings {
        scene: SceneSetup::Spiking(Default::default()),
        preset: 5,
        ..Settings::default()
    };
    let mut harness = harness(settings);
    step_until(&mut harness, "the spiking scene", |app| spiking(app).is_some());
    harness.get_by_label("Export to NEST…").click();
    choose_in_file_dialog(&mut harness, &bundle, "Save");
    let outcome = |app: &EngramApp| {
        spiking(app)
            .and_then(|d| d.export.as_ref())
            .and_then(|e| e.done.clone())
    };
    step_until(&mut harness, "the export", |app| outcome(app).is_some());
    let summary = outcome(harness.state()).expect("done").expect("written");
    assert_eq!(summary.neurons, 4000);
    assert!(
        summary.dir.is_absolute(),
        "the full path is shown: {}",
        summary.dir.display()
    );
    assert!(bundle.join("synapses/source.npy").exists() && bundle.join("run_nest.py").exists());
    let (network, _) = engram::families::spiking::bundle::read_bundle(&bundle).expect("a valid bundle");
    assert_eq!(network.n_synapses(), summary.synapses);
    // Again to the same folder: the dialog asks, and Cancel leaves the bundle untouched.
    let before = std::fs::metadata(bundle.join("network.json"))
        .expect("written")
        .modified()
        .expect("time");
    harness.get_by_label("Export to NEST…").click();
    choose_in_file_dialog(&mut harness, &bundle, "Save");
    harness.get_by_label("Replace");
    harness.get_by_label("Cancel").click();
    for _ in 0..3 {
        harness.step();
    }
    let after = std::fs::metadata(bundle.join("network.json"))
        .expect("still there")
        .modified()
        .expect("time");
    assert_eq!(before, after);
}
