//! Own pictures as patterns: a PNG or JPEG dropped on the window (or chosen in the controls) is
//! scaled to the grid, thresholded or dithered, and stored; a bad file is reported, nothing stored.

use super::HopfieldControls;
use crate::families::UiCx;
use crate::families::hopfield::{Hopfield, HopfieldCommand};
use crate::hopfield::PatternSet;

/// The label of a picture: its file name without the extension.
fn label_of(name: &str) -> String {
    std::path::Path::new(name)
        .file_stem()
        .map_or_else(|| "picture".to_string(), |s| s.to_string_lossy().into_owned())
}

/// Converts a picture's bytes and asks the scene to store it; a notice says what happened.
pub fn store_picture(
    cx: &mut UiCx<'_, Hopfield>,
    name: &str,
    bytes: &[u8],
    grid: (usize, usize),
    dither: bool,
) {
    let label = label_of(name);
    match PatternSet::picture(bytes, name, grid, dither) {
        Ok(pattern) => cx.commands.push(HopfieldCommand::StorePattern { label, pattern }),
        Err(e) => cx.notice = Some(format!("not stored: {e}")),
    }
}

/// The row in the controls: threshold or dither, and "Store picture…" (a file dialog).
pub fn picture_row_ui(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Hopfield>,
    controls: &mut HopfieldControls,
    grid: (usize, usize),
) {
    use crate::views::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileKind};
    ui.horizontal(|ui| {
        ui.checkbox(&mut controls.dither, "dither").on_hover_text(
            "Dither: shades become the density of on pixels; off: dark pixels (below the mean grey) are on",
        );
        let tip = format!(
            "Choose a PNG or JPEG, scale it to the {}×{} grid and store it as a pattern (or drop one on the window)",
            grid.0, grid.1
        );
        if ui.button("Store picture…").on_hover_text(tip).clicked() {
            controls.picture_dialog = Some(FileDialog::new(
                ui.ctx(),
                FileKind::Picture,
                DialogMode::Open,
                "Store a picture as a pattern",
                "",
            ));
        }
    });
    if let Some(dialog) = controls.picture_dialog.as_mut() {
        match dialog.show(ui.ctx()) {
            DialogOutcome::Open => {}
            DialogOutcome::Cancelled => controls.picture_dialog = None,
            DialogOutcome::Chosen(path) => {
                controls.picture_dialog = None;
                let name = path.display().to_string();
                match std::fs::read(&path) {
                    Ok(bytes) => store_picture(cx, &name, &bytes, grid, controls.dither),
                    Err(e) => cx.notice = Some(format!("not stored: {name}: {e}")),
                }
            }
        }
    }
}

/// Pictures dropped on the window are stored; while files hover, the window says what a drop does.
pub fn dropped_pictures(
    ui: &mut egui::Ui,
    cx: &mut UiCx<'_, Hopfield>,
    controls: &HopfieldControls,
    grid: (usize, usize),
) {
    let (hovering, dropped) = ui
        .ctx()
        .input(|i| (!i.raw.hovered_files.is_empty(), i.raw.dropped_files.clone()));
    if hovering {
        ui.label(
            egui::RichText::new("Drop the picture to store it as a pattern")
                .size(18.0)
                .color(ui.visuals().warn_fg_color),
        );
    }
    for file in dropped {
        let name = file.path().display().to_string();
        match file.bytes().map_err(|e| format!("{name}: {e}")) {
            Ok(bytes) => store_picture(cx, &name, &bytes, grid, controls.dither),
            Err(e) => cx.notice = Some(format!("not stored: {e}")),
        }
    }
}
