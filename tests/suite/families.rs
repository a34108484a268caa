//! The registry walked as a whole (egui's demo-test habit): every family has a unique id, builds
//! from a small setup, advances, saves and reopens to continue identically, reports headless, and
//! refuses commands and timeline actions that are not its own with a message naming both.

use engram::families::hopfield::{HopfieldCommand, HopfieldVerb};
use engram::families::rate::{RateCommand, RateVerb};
use engram::families::{Action, FAMILY_IDS, Scene, SceneCommand, SceneSetup};

/// A small setup of every registered family, from the registry: a new family is covered by
/// every test here without an edit.
fn small_setups() -> Vec<SceneSetup> {
    SceneSetup::examples()
}

#[test]
fn family_ids_are_unique_and_every_family_has_a_small_setup() {
    let mut ids = FAMILY_IDS.to_vec();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), FAMILY_IDS.len(), "{FAMILY_IDS:?}");
    let covered: Vec<&str> = small_setups().iter().map(SceneSetup::family_id).collect();
    assert_eq!(
        covered, FAMILY_IDS,
        "one small setup per registered family, in registry order"
    );
}

#[test]
fn every_family_builds_advances_and_continues_identically_after_save_and_restore() {
    for setup in small_setups() {
        let id = setup.family_id();
        let mut scene = Scene::build(&setup).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(scene.take_info().is_some(), "{id}: a new scene describes itself");
        let steps = scene.single_step() * 20;
        scene.advance(steps).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(scene.sim_time() > 0.0, "{id}: time advanced");
        let saved = scene.save_session();
        let mut restored = Scene::restore_session(saved.clone()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(
            restored.save_session(),
            saved,
            "{id}: the restored scene holds the saved state"
        );
        scene.advance(steps).expect("steps");
        restored.advance(steps).expect("steps");
        assert_eq!(
            restored.save_session(),
            scene.save_session(),
            "{id}: the reopened run continues exactly as the original"
        );
        assert_eq!(restored.setup(), scene.setup(), "{id}: same setup");
    }
}

#[test]
fn a_command_for_another_family_is_an_error_naming_both() {
    let mut rate = Scene::build(&small_setups()[2]).expect("builds");
    let error = rate
        .apply(&SceneCommand::Hopfield(HopfieldCommand::SetTemperature(1.0)))
        .expect_err("refused");
    assert!(error.contains("hopfield") && error.contains("rate"), "{error}");
    let mut hopfield = Scene::build(&small_setups()[0]).expect("builds");
    let error = hopfield
        .apply(&SceneCommand::Rate(RateCommand::Novel))
        .expect_err("refused");
    assert!(error.contains("hopfield") && error.contains("rate"), "{error}");
}

#[test]
fn a_timeline_action_a_family_does_not_know_is_refused_by_name() {
    let mut rate = Scene::build(&small_setups()[2]).expect("builds");
    let error = rate
        .apply_action(&Action::new(&HopfieldVerb::Temperature { value: 1.0 }))
        .expect_err("refused");
    assert!(error.contains("temperature") && error.contains("rate"), "{error}");
    let error = rate
        .apply_action(&Action::new(&RateVerb::Cue {
            pattern: 0,
            flip: 0.2,
        }))
        .expect_err("a rate cue has no flip");
    assert!(error.contains("flip"), "{error}");
    assert!(
        rate.apply_action(&Action::new(&RateVerb::Cue {
            pattern: 0,
            flip: 0.0
        }))
        .is_ok()
    );
}

/// A rate session saved while a cue is on, written to a file and reopened, ends the cue at the
/// same step and continues exactly as the run that was never saved; likewise mid novel input.
#[test]
fn a_rate_session_saved_mid_cue_and_reopened_continues_identically() {
    for command in [RateCommand::Cue { pattern: 3 }, RateCommand::Novel] {
        let mut scene = Scene::build(&small_setups()[2]).expect("builds");
        let per_ms = scene.single_step();
        scene.advance(30 * per_ms).expect("steps");
        scene
            .apply(&SceneCommand::Rate(command.clone()))
            .expect("input on");
        // 20 ms into the 50 ms input.
        scene.advance(20 * per_ms).expect("steps");
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("mid-cue.engram");
        engram::session::Session::capture(&scene, None)
            .save(&path)
            .expect("saves");
        let (mut reopened, _) = engram::session::open_scene(&path).expect("reopens");
        // Past the end of the input and on: both runs must drop it at the same step.
        scene.advance(200 * per_ms).expect("steps");
        reopened.advance(200 * per_ms).expect("steps");
        assert_eq!(
            reopened.save_session(),
            scene.save_session(),
            "{command:?}: the reopened run continues exactly as the original"
        );
    }
}

/// A Boltzmann machine saved mid-learning with evidence clamped, through a session file, continues
/// exactly: the same epochs, weights, dreams and counts; for the full machine on bars and stripes
/// (evidence on two pixels) and the restricted one on letters (a training letter's top half).
#[test]
fn a_boltzmann_machine_saved_mid_learning_continues_identically() {
    use engram::families::sampling::SamplingCommand;
    let bars =
        SamplingCommand::SetClamp(engram::families::sampling::parse_clamp("1?1??????", 9).expect("valid"));
    for (name, evidence) in [
        ("boltzmann-dreams", bars),
        ("letter-dreams", SamplingCommand::CompleteFromTop(1)),
    ] {
        let scenario = crate::common::shipped(name);
        let mut scene = Scene::build(&scenario.scene).expect("builds");
        scene.advance(1_234).expect("steps");
        scene.apply(&SceneCommand::Sampling(evidence)).expect("evidence");
        scene.advance(100).expect("steps");
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("machine.engram");
        engram::session::Session::capture(&scene, None)
            .save(&path)
            .expect("saves");
        let (mut reopened, _) = engram::session::open_scene(&path).expect("reopens");
        scene.advance(2_500).expect("steps");
        reopened.advance(2_500).expect("steps");
        assert_eq!(reopened.save_session(), scene.save_session(), "{name}");
    }
}
