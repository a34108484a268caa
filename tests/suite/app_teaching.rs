//! The app as a teacher uses it, driven headless with egui_kittest: presentation (zoom, keys, steady
//! controls), own pictures, a plot shown alone, a reopened session's controls, and every scene at
//! three window sizes.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use engram::app::{EngramApp, Settings};
use engram::engine::SceneSetup;

use crate::app_ui::{harness, hopfield, step_until};
use crate::common::choose_in_file_dialog;

/// Presentation: the zoom chosen (or set with Ctrl + / Ctrl −) is the window's and is kept in the
/// settings; `?` opens the shortcut list and Esc closes it; a first start says how the plots fill;
/// the Play button keeps its width as it turns into Pause; a slider does not move when its value
/// leaves the preset (the mark has its own cell).
#[test]
fn presentation_zoom_shortcuts_and_steady_controls() {
    let settings = Settings {
        zoom: 1.5,
        ..Settings::default()
    };
    let mut harness = harness(settings);
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.step();
    assert_eq!(harness.ctx.zoom_factor(), 1.5);
    harness.get_by_label_contains("Press Space or Play");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    harness.step();
    let zoom = harness.state().settings.zoom;
    assert!(
        zoom < 1.5,
        "Ctrl − makes everything smaller and the setting follows: {zoom}"
    );
    harness.key_press(egui::Key::Questionmark);
    harness.step();
    harness.step();
    assert!(harness.state().show_shortcuts, "? opens the shortcuts");
    harness.get_by_label("Keyboard shortcuts");
    harness.key_press(egui::Key::Escape);
    harness.step();
    assert!(!harness.state().show_shortcuts, "Esc closes them");
    // Ctrl O opens a session through the file dialog; Esc closes the dialog.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Open a session");
    // Keys do not act behind the dialog: Space does not start the run.
    let playing = harness.state().status.playing;
    harness.key_press(egui::Key::Space);
    harness.step();
    assert_eq!(harness.state().status.playing, playing, "Space behind a dialog");
    harness.key_press(egui::Key::Escape);
    for _ in 0..2 {
        harness.step();
    }
    assert!(harness.state().controls.dialog.is_none(), "Esc closes the dialog");
    // Nor behind a scene's own dialog (the picture to store).
    harness.get_by_label("Store picture…").click();
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Store a picture as a pattern");
    harness.key_press(egui::Key::Space);
    harness.step();
    assert_eq!(
        harness.state().status.playing,
        playing,
        "Space behind the picture dialog"
    );
    harness.key_press(egui::Key::Escape);
    for _ in 0..2 {
        harness.step();
    }
    assert!(harness.query_by_label("Store a picture as a pattern").is_none());

    let play = harness.get_by_label("Play").rect();
    let slider_before = harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .rect();
    harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .set_value_accesskit(1.7);
    harness.get_by_label("Play").click();
    step_until(&mut harness, "playing", |app| app.status.playing);
    harness.step();
    let pause = harness.get_by_label("Pause").rect();
    assert_eq!(play.width(), pause.width(), "Play and Pause are one width");
    let slider_after = harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .rect();
    assert_eq!(
        slider_before.left(),
        slider_after.left(),
        "the slider stays where it was"
    );
    assert!(
        harness.query_by_label_contains("Press Space or Play").is_none(),
        "the hint goes once played"
    );
}

/// An own picture becomes a pattern: a PNG named in the controls is scaled to the 16×16 grid,
/// thresholded (dark is on) and stored under its file's name; a JPEG too; a file that is not a
/// picture is reported and nothing is stored.
/// Smooth lines: on by default with a graphics card, off when a software renderer draws the
/// window (where they cost a fifth of each frame), and the zoom menu's tick box turns them on or
/// off and keeps the choice in the settings.
#[test]
fn smooth_lines_follow_the_renderer_and_the_setting() {
    assert!(engram::app::is_software_renderer(
        "llvmpipe (LLVM 15.0.6, 256 bits)"
    ));
    assert!(!engram::app::is_software_renderer(
        "AMD Radeon Graphics (radeonsi, gfx1103)"
    ));
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    let feathering = |h: &Harness<'_, EngramApp>| h.ctx.tessellation_options(|o| o.feathering);
    assert!(feathering(&harness), "on with a graphics card");
    harness.state_mut().software_renderer = true;
    harness.state().apply_smooth_lines();
    harness.step();
    assert!(!feathering(&harness), "off on a software renderer");
    harness
        .get_by_role_and_label(Role::ComboBox, "Size of everything on screen, for a projector (Ctrl + / Ctrl − / Ctrl 0; F11: full screen; ?: shortcuts)")
        .click();
    for _ in 0..2 {
        harness.step();
    }
    harness.get_by_label("smooth lines").click();
    for _ in 0..2 {
        harness.step();
    }
    assert!(feathering(&harness), "the tick box turns them on");
    assert_eq!(harness.state().settings.smooth_lines, Some(true));
}

#[test]
fn an_own_picture_is_stored_as_a_pattern() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 64×64: left half black, right half white.
    let png = dir.path().join("half.png");
    let image = image::GrayImage::from_fn(64, 64, |x, _| image::Luma([if x < 32 { 0 } else { 255 }]));
    image.save(&png).expect("png");
    let jpeg = dir.path().join("photo.jpg");
    image::DynamicImage::ImageLuma8(image)
        .to_rgb8()
        .save(&jpeg)
        .expect("jpeg");
    let broken = dir.path().join("notes.png");
    std::fs::write(&broken, "not a picture").expect("write");

    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    let store = |harness: &mut Harness<'static, EngramApp>, path: &std::path::Path| {
        harness.get_by_label("Store picture…").click();
        choose_in_file_dialog(harness, path, "Open");
    };
    store(&mut harness, &png);
    step_until(&mut harness, "the picture stored", |app| {
        hopfield(app).is_some_and(|d| d.info.labels.last().is_some_and(|l| l == "half"))
    });
    let info = &hopfield(harness.state()).expect("scene").info;
    let stored = info.patterns.last().expect("stored");
    assert_eq!(stored.len(), 256);
    for (k, &v) in stored.iter().enumerate() {
        let x = k % 16;
        assert_eq!(
            v,
            if x < 8 { 1 } else { -1 },
            "pixel {k}: dark is on, light is off"
        );
    }
    store(&mut harness, &jpeg);
    step_until(&mut harness, "the JPEG stored", |app| {
        hopfield(app).is_some_and(|d| d.info.labels.last().is_some_and(|l| l == "photo"))
    });
    let count = hopfield(harness.state()).expect("scene").info.labels.len();
    store(&mut harness, &broken);
    harness.step();
    let notice = harness.state().controls.notice.clone().unwrap_or_default();
    assert!(notice.contains("notes.png"), "{notice}");
    assert_eq!(
        hopfield(harness.state()).expect("scene").info.labels.len(),
        count,
        "nothing stored"
    );
}

/// Double-clicking a plot shows it alone, as large as the view; double-clicking it again, Esc or
/// "All views" brings every view back.
#[test]
fn a_double_clicked_plot_is_shown_alone_and_back() {
    // Frames a sixtieth of a second apart, so that two clicks in a row are a double-click.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(|cc| EngramApp::with_settings(cc.egui_ctx.clone(), Settings::default()));
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.step();
    let double_click = |harness: &mut Harness<'static, EngramApp>, pos: egui::Pos2| {
        harness.event(egui::Event::PointerMoved(pos));
        harness.step();
        // Two clicks in consecutive frames.
        for _ in 0..2 {
            for pressed in [true, false] {
                harness.event(egui::Event::PointerButton {
                    pos,
                    button: egui::PointerButton::Primary,
                    pressed,
                    modifiers: egui::Modifiers::NONE,
                });
            }
            harness.step();
        }
        harness.step();
    };
    let label = harness.get_by_label("Energy").rect();
    let inside = label.left_bottom() + egui::vec2(200.0, 60.0);
    double_click(&mut harness, inside);
    assert_eq!(
        engram::views::maximise::maximised(&harness.ctx).as_deref(),
        Some("energy")
    );
    // Alone: the other plots and the grid are gone, the energy plot fills the view.
    assert!(harness.query_by_label("Network state").is_none());
    harness.get_by_label_contains("alone");
    harness.key_press(egui::Key::Escape);
    harness.step();
    harness.step();
    assert_eq!(engram::views::maximise::maximised(&harness.ctx), None);
    harness.get_by_label("Network state");
    // "All views" returns too.
    engram::views::maximise::set_maximised(&harness.ctx, Some("overlaps"));
    harness.step();
    harness.step();
    assert!(harness.query_by_label("Network state").is_none());
    harness.get_by_label("All views").click();
    harness.step();
    harness.step();
    harness.get_by_label("Network state");
    // A name no view draws alone is forgotten at once.
    engram::views::maximise::set_maximised(&harness.ctx, Some("no such plot"));
    harness.step();
    harness.step();
    assert_eq!(engram::views::maximise::maximised(&harness.ctx), None);
}

/// A reopened session restores what the user set: the temperature and the pattern (and corruption)
/// of the last cue come back in the controls and the settings of a freshly started app.
#[test]
fn a_reopened_session_restores_the_cue_pattern_and_the_temperature() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lesson.engram");
    let mut harness = harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("cue pattern S").click();
    harness.step();
    harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .set_value_accesskit(0.35);
    harness.step();
    step_until(&mut harness, "the scene to take both", |app| {
        hopfield(app).is_some_and(|d| d.info.last_cue.0 == 2 && d.info.setup.temperature == 0.35)
    });
    harness.get_by_label("Save session").click();
    choose_in_file_dialog(&mut harness, &path, "Save");
    step_until(&mut harness, "the save", |app| !app.unsaved && path.exists());

    // A new app (the default scene: pattern A, T = 0) opens the session.
    drop(harness);
    let mut harness = self::harness(Settings::default());
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    assert_eq!(harness.state().scene_controls_cue_pattern(), Some(0));
    harness.get_by_label("Open session…").click();
    choose_in_file_dialog(&mut harness, &path, "Open");
    step_until(&mut harness, "the session", |app| {
        app.controls.session_file.is_some() && app.scene_controls_cue_pattern() == Some(2)
    });
    harness.step();
    let temperature = harness
        .get_by_role_and_label(Role::Slider, "temperature T")
        .accesskit_node()
        .numeric_value();
    assert_eq!(temperature, Some(0.35), "the slider shows the session's T");
    match &harness.state().settings.scene {
        SceneSetup::Hopfield(setup) => assert_eq!((setup.cue_pattern, setup.temperature), (2, 0.35)),
        other => panic!("a Hopfield scene, not {other:?}"),
    }
}

/// Every shipped scene opens at a projector's 1280×720 and 1366×768 and at 1920×1080 with the top
/// bar on one row (Play and Record side by side, so no control is pushed onto a second row or off
/// the window); in the scenes whose first view is the network's state, a raster or the rate grid
/// (Hopfield, spiking, replay, rate), that view starts right under the bar. `scripts/render-scenes.sh`
/// saves the same scenes as pictures to look at.
#[test]
fn every_scene_fits_the_three_sizes() {
    let mut views_checked = 0;
    for (index, (name, scenario)) in engram::scenario::builtin().into_iter().enumerate() {
        for (width, height) in [(1280.0, 720.0), (1366.0, 768.0), (1920.0, 1080.0)] {
            let settings = Settings {
                scene: scenario.scene.clone(),
                preset: index,
                ..Settings::default()
            };
            let mut harness = Harness::builder()
                .with_size(egui::vec2(width, height))
                .build_eframe(move |cc| EngramApp::with_settings(cc.egui_ctx.clone(), settings));
            step_until(&mut harness, "the scene", |app| app.scene_data.is_some());
            harness.step();
            let (play, record) = (
                harness.get_by_label("Play").rect(),
                harness.get_by_label("Record").rect(),
            );
            assert!(
                (play.center().y - record.center().y).abs() < 2.0 && record.right() <= width,
                "{name} at {width}×{height}: the top bar wraps (Play {play:?}, Record {record:?})"
            );
            let bottom_of_bar = record.bottom();
            // The scene's first view starts right under the top bar, inside the window.
            let first_view = [
                "Network state",
                "Spike raster",
                "Rate of every neuron",
                "Pixels, from spike rates",
            ]
            .into_iter()
            .filter_map(|label| harness.query_by_label_contains(label).map(|n| n.rect().top()))
            .reduce(f32::min);
            if let Some(top) = first_view {
                views_checked += 1;
                assert!(
                    top >= bottom_of_bar && top < height * 0.3,
                    "{name} at {width}×{height}: the first view starts at {top}"
                );
            }
        }
    }
    // 15 scenes (Hopfield, spiking but the correlations scene, which opens on its tab, rate,
    // replay) at three sizes each: 45 measured.
    assert!(views_checked >= 45, "first views checked: {views_checked}");
}
