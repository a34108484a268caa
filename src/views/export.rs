//! PNG export: screenshots of the whole window or of one plot.
//!
//! egui takes a screenshot through a viewport command whose callback receives the next painted frame;
//! the callback hands the image to a named "engram-export" thread that crops, encodes and writes it
//! atomically, then reports back over a bounded channel, so the UI thread never waits on the disk.

use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender, bounded};
use egui::{ColorImage, Rect};

use super::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileKind};

/// Encodes an image as PNG bytes (8-bit RGBA, unmultiplied colour).
pub fn encode_png(image: &ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, rgba)
        .ok_or_else(|| format!("an image of {width}×{height} pixels has the wrong number of pixels"))?;
    let mut bytes = Vec::new();
    buffer
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .map_err(|e| format!("could not encode the PNG: {e}"))?;
    Ok(bytes)
}

/// The part of `image` under `rect` (in points, scaled by `pixels_per_point`), clamped to the image.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> ColorImage {
    let [width, height] = image.size;
    let to_px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (to_px(rect.min.x, width), to_px(rect.max.x, width));
    let (y0, y1) = (to_px(rect.min.y, height), to_px(rect.max.y, height));
    image.region_by_pixels([x0, y0], [x1.saturating_sub(x0), y1.saturating_sub(y0)])
}

/// Crops (if asked), encodes and atomically writes `image` to `path`; a message saying what happened.
pub fn save_png(image: &ColorImage, crop_to: Option<(Rect, f32)>, path: &str) -> Result<String, String> {
    let cropped;
    let image = match crop_to {
        Some((rect, pixels_per_point)) => {
            cropped = crop(image, rect, pixels_per_point);
            &cropped
        }
        None => image,
    };
    if image.width() == 0 || image.height() == 0 {
        return Err(format!("nothing to save in {path}: the region is empty"));
    }
    let bytes = encode_png(image)?;
    crate::files::write_atomically(path, &bytes).map_err(|e| format!("could not save {path}: {e}"))?;
    Ok(format!(
        "saved {path} ({}×{} pixels)",
        image.width(),
        image.height()
    ))
}

/// Where the app keeps whether the screen draws smooth lines (see [`set_smooth_lines`]).
fn smooth_lines_id() -> egui::Id {
    egui::Id::unique("engram-smooth-lines")
}

/// Draws lines and shapes with anti-aliased (feathered) edges on screen, or not, from the next
/// frame on; a screenshot's frame has them whatever this says (a picture is for a slide).
pub fn set_smooth_lines(ctx: &egui::Context, smooth: bool) {
    ctx.data_mut(|d| d.insert_temp(smooth_lines_id(), smooth));
    ctx.tessellation_options_mut(|o| o.feathering = smooth);
}

/// Asks egui for screenshots and collects what the export thread reports.
#[derive(Clone)]
pub struct PngExporter {
    tx: Sender<Result<String, String>>,
    rx: Receiver<Result<String, String>>,
    pending: usize,
    /// The last outcome: `Ok` names the saved file, `Err` says what went wrong.
    pub message: Option<Result<String, String>>,
}

impl Default for PngExporter {
    fn default() -> Self {
        let (tx, rx) = bounded(8);
        Self {
            tx,
            rx,
            pending: 0,
            message: None,
        }
    }
}

impl PngExporter {
    /// Requests a screenshot of the next frame, saved to `path`, cropped to `crop_to` (in points) if given.
    pub fn request(&mut self, ctx: &egui::Context, path: &str, crop_to: Option<Rect>) {
        // A small margin keeps axis labels drawn at the very edge of the region whole.
        let crop_to = crop_to.map(|r| (r.expand(4.0), ctx.pixels_per_point()));
        let job = self.job(ctx, path, crop_to);
        // The captured frame draws smooth lines even where the screen goes without them (a
        // software renderer); `ExportJob::finish` gives the screen its own setting back.
        ctx.tessellation_options_mut(|o| o.feathering = true);
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
            move |image| job.finish(image),
        )));
        self.pending += 1;
        // No "saving" message: it would show in the very frame being captured.
        self.message = None;
    }

    /// What to do with the image once it arrives (public so tests can hand it an image directly).
    pub fn job(&self, ctx: &egui::Context, path: &str, crop_to: Option<(Rect, f32)>) -> ExportJob {
        ExportJob {
            path: path.to_owned(),
            crop_to,
            tx: self.tx.clone(),
            ctx: ctx.clone(),
        }
    }

    /// Runs `save` (which renders and writes a file, returning what happened) on an "engram-export"
    /// thread and reports its outcome like a screenshot's.
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        save: impl FnOnce() -> Result<String, String> + Send + 'static,
    ) {
        self.pending += 1;
        self.message = None;
        save_on_export_thread(self.tx.clone(), ctx.clone(), save);
    }

    /// True while a requested screenshot has not been saved (or failed) yet.
    pub fn is_pending(&self) -> bool {
        self.pending > 0
    }

    /// Takes what the export thread reported; call once a frame.
    pub fn poll(&mut self) {
        while let Ok(outcome) = self.rx.try_recv() {
            self.pending = self.pending.saturating_sub(1);
            self.message = Some(outcome);
        }
    }
}

/// One requested export: where it goes and which part of the frame.
pub struct ExportJob {
    path: String,
    crop_to: Option<(Rect, f32)>,
    tx: Sender<Result<String, String>>,
    ctx: egui::Context,
}

impl ExportJob {
    /// Saves `image` on an "engram-export" thread and reports the outcome to the exporter; the
    /// screen draws lines as [`set_smooth_lines`] said again.
    pub fn finish(self, image: Arc<ColorImage>) {
        let ExportJob {
            path,
            crop_to,
            tx,
            ctx,
        } = self;
        let smooth = ctx
            .data(|d| d.get_temp::<bool>(smooth_lines_id()))
            .unwrap_or(true);
        ctx.tessellation_options_mut(|o| o.feathering = smooth);
        save_on_export_thread(tx, ctx, move || save_png(&image, crop_to, &path));
    }
}

/// Runs `save` on a named "engram-export" thread, sends its outcome to `tx` and wakes the UI.
fn save_on_export_thread(
    tx: Sender<Result<String, String>>,
    ctx: egui::Context,
    save: impl FnOnce() -> Result<String, String> + Send + 'static,
) {
    let report = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("engram-export".into())
        .spawn(move || {
            // Blocking is fine on this thread; the UI drains the queue every frame.
            let _ = tx.send(save());
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        let _ = report.try_send(Err(format!("could not start saving: {e}")));
    }
}

/// State of the window-screenshot menu, kept in egui's memory so the app needs only one call.
#[derive(Clone, Default)]
struct ScreenshotState {
    exporter: PngExporter,
    /// The dialog naming the PNG, and the part of the window to keep (None: all of it).
    dialog: Option<(FileDialog, Option<Rect>)>,
}

/// Where the screenshot state lives in egui's memory.
fn screenshot_id() -> egui::Id {
    egui::Id::unique("engram-window-screenshot")
}

/// A "Screenshot" menu for the top bar: saves the whole window as a PNG file chosen in a dialog
/// (and draws that dialog, and the one a plot's "Save plot as PNG…" opened).
pub fn screenshot_menu_ui(ui: &mut egui::Ui) {
    let id = screenshot_id();
    let mut state: ScreenshotState =
        ui.data_mut(|d| d.get_temp_mut_or_default::<ScreenshotState>(id).clone());
    state.exporter.poll();
    ui.menu_button("Screenshot", |ui| {
        if ui
            .button("Save window as PNG…")
            .on_hover_text("Save the whole window, as drawn once the dialog closes, as a PNG file")
            .clicked()
        {
            let name = format!("engram-{}.png", super::file_dialog::timestamp_now());
            state.dialog = Some((
                FileDialog::new(
                    ui.ctx(),
                    FileKind::Png,
                    DialogMode::Save,
                    "Save the window as PNG",
                    &name,
                ),
                None,
            ));
            ui.close();
        }
    })
    .response
    .on_hover_text("Save a screenshot of the whole window as a PNG file");
    if let Some((dialog, region)) = state.dialog.as_mut() {
        match dialog.show(ui.ctx()) {
            DialogOutcome::Open => {}
            DialogOutcome::Cancelled => state.dialog = None,
            DialogOutcome::Chosen(path) => {
                let region = *region;
                state.dialog = None;
                state
                    .exporter
                    .request(ui.ctx(), &path.display().to_string(), region);
            }
        }
    }
    match &state.exporter.message {
        Some(Ok(message)) => {
            ui.weak(message);
        }
        Some(Err(message)) => {
            ui.colored_label(super::theme::error(ui.visuals().dark_mode), message);
        }
        None => {}
    }
    ui.data_mut(|d| d.insert_temp(id, state));
}

/// A right-click menu on a plot: "Save plot as PNG…" asks for a file (suggesting `NAME.png`) and
/// saves the plot's part of the window (the outcome shows next to the Screenshot menu); "Show alone"
/// maximises it, as a double-click does ([`super::maximise`]).
pub fn plot_context_menu(response: &egui::Response, name: &str) {
    super::maximise::handle(response, name);
    let alone = super::maximise::maximised(&response.ctx).as_deref() == Some(name);
    response.context_menu(|ui| {
        let label = if alone {
            "Back to all views (double-click, Esc)"
        } else {
            "Show alone (double-click)"
        };
        if ui.button(label).clicked() {
            super::maximise::show_alone(ui.ctx(), (!alone).then_some(name));
            ui.close();
        }
        if ui.button("Save plot as PNG…").clicked() {
            let id = screenshot_id();
            let mut state: ScreenshotState =
                ui.data_mut(|d| d.get_temp_mut_or_default::<ScreenshotState>(id).clone());
            state.dialog = Some((
                FileDialog::new(
                    ui.ctx(),
                    FileKind::Png,
                    DialogMode::Save,
                    "Save the plot as PNG",
                    &format!("{name}.png"),
                ),
                Some(response.rect),
            ));
            ui.data_mut(|d| d.insert_temp(id, state));
            ui.close();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: usize, height: usize) -> ColorImage {
        let pixels = (0..width * height)
            .map(|k| egui::Color32::from_rgb((k % width) as u8, (k / width) as u8, 200))
            .collect();
        ColorImage::new([width, height], pixels)
    }

    #[test]
    fn encodes_a_valid_png_of_the_right_size() {
        let image = gradient(37, 21);
        let bytes = encode_png(&image).expect("encodes");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
            .expect("decodes")
            .to_rgba8();
        assert_eq!(decoded.dimensions(), (37, 21));
        assert_eq!(decoded.get_pixel(5, 7).0, [5, 7, 200, 255]);
    }

    #[test]
    fn crops_by_points_times_pixels_per_point_and_clamps() {
        let image = gradient(100, 80);
        let part = crop(
            &image,
            Rect::from_min_max([10.0, 5.0].into(), [30.0, 25.0].into()),
            2.0,
        );
        assert_eq!(part.size, [40, 40]);
        assert_eq!(part.pixels[0], egui::Color32::from_rgb(20, 10, 200));
        let clamped = crop(
            &image,
            Rect::from_min_max([90.0, 70.0].into(), [200.0, 200.0].into()),
            1.0,
        );
        assert_eq!(clamped.size, [10, 10]);
    }

    /// A screenshot's frame draws smooth lines; once it is taken the screen's own setting is back.
    #[test]
    fn a_screenshot_has_smooth_lines_and_the_screen_gets_its_setting_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("window.png");
        let mut exporter = PngExporter::default();
        let ctx = egui::Context::default();
        let feathering = || ctx.tessellation_options(|o| o.feathering);
        set_smooth_lines(&ctx, false);
        assert!(!feathering());
        exporter.request(&ctx, &path.display().to_string(), None);
        assert!(feathering(), "the captured frame is smooth");
        exporter
            .job(&ctx, &path.display().to_string(), None)
            .finish(Arc::new(gradient(8, 8)));
        assert!(!feathering(), "the screen's setting is back");
        assert!(exporter.rx.recv().expect("a report").is_ok());
    }

    #[test]
    fn an_export_job_writes_the_cropped_png() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("plot.png");
        let exporter = PngExporter::default();
        let ctx = egui::Context::default();
        let rect = Rect::from_min_max([4.0, 4.0].into(), [24.0, 14.0].into());
        exporter
            .job(&ctx, &path.display().to_string(), Some((rect, 1.5)))
            .finish(Arc::new(gradient(60, 40)));
        // The export thread reports once the file is in place; waiting on the channel is not timed.
        let outcome = exporter.rx.recv().expect("a report");
        assert!(outcome.is_ok(), "{outcome:?}");
        let decoded = image::open(&path).expect("a PNG").to_rgba8();
        assert_eq!(decoded.dimensions(), (30, 15));
    }
}
