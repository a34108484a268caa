//! The building blocks every family's views are made of: colours, bounded histories, textures,
//! overlap curves, pattern thumbnails, sliders with restore marks, PNG export and the file dialog. Nothing here
//! knows a family; each family's `ui/` folder composes these into its views.

pub mod export;
pub mod figure;
pub mod file_dialog;
pub mod history;
pub mod kept_runs;
pub mod maximise;
pub mod overlaps;
pub mod patterns;
pub mod theme;
pub mod widgets;

/// A texture cached by the value it was made from, re-uploaded only when that value changes.
#[derive(Default)]
pub struct CachedTexture {
    key: u64,
    handle: Option<egui::TextureHandle>,
}

impl CachedTexture {
    /// The texture for `key`, made by `make` when the key changed or nothing is cached yet.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        key: u64,
        make: impl FnOnce() -> egui::ColorImage,
    ) -> &egui::TextureHandle {
        if self.handle.is_none() || self.key != key {
            let image = make();
            match self.handle.as_mut() {
                Some(handle) => handle.set(image, egui::TextureOptions::NEAREST),
                None => self.handle = Some(ctx.load_texture(name, image, egui::TextureOptions::NEAREST)),
            }
            self.key = key;
        }
        self.handle.as_ref().expect("texture created above")
    }
}

/// A hash of anything hashable, for texture cache keys.
pub fn key_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A ±1 grid as an image.
pub fn grid_image(state: &[i8], width: usize, height: usize, dark: bool) -> egui::ColorImage {
    let on = theme::neuron_on(dark);
    let off = theme::neuron_off(dark);
    let pixels = (0..width * height)
        .map(|i| if state.get(i) == Some(&1) { on } else { off })
        .collect();
    egui::ColorImage::new([width, height], pixels)
}

/// Allocates a `width × height` grid fitting in `side` points and paints `texture` over it; returns
/// the response (labelled `label` with `role` for accessibility and tests) and a painter for overlays.
pub fn textured_grid(
    ui: &mut egui::Ui,
    texture: egui::TextureId,
    (width, height): (usize, usize),
    side: f32,
    sense: egui::Sense,
    (role, label): (egui::Role, &str),
) -> (egui::Response, egui::Painter) {
    let aspect = width as f32 / height.max(1) as f32;
    let size = if aspect >= 1.0 {
        egui::vec2(side, side / aspect)
    } else {
        egui::vec2(side * aspect, side)
    };
    let (response, painter) = ui.allocate_painter(size, sense);
    response.widget_info(|| egui::WidgetInfo::labeled(role, true, label));
    painter.image(
        texture,
        response.rect,
        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        egui::Color32::WHITE,
    );
    (response, painter)
}

/// A plot with engram's defaults: no background (fill is a software renderer's cost), no scroll
/// zoom, and axis ticks on 1-2-5 steps chosen so that every axis shows several numbered ticks.
pub fn plot<'a>(id: impl std::hash::Hash + std::fmt::Debug) -> egui_plot::Plot<'a> {
    egui_plot::Plot::new(id)
        .show_background(false)
        .allow_scroll(false)
        .x_grid_spacer(nice_grid_spacer(X_LABEL_SPACING_PX))
        .y_grid_spacer(nice_grid_spacer(Y_LABEL_SPACING_PX))
        .x_axis_formatter(|mark, _| tick_label(mark.value, mark.step_size))
        .y_axis_formatter(|mark, _| tick_label(mark.value, mark.step_size))
}

/// The plot of an Experiments-window result: 300 px high, its legend in the corner its data leaves
/// empty, curves in insertion order.
pub fn experiment_plot<'a>(id: &str, legend_corner: egui_plot::Corner) -> egui_plot::Plot<'a> {
    plot(("experiment-result", id.to_string())).height(300.0).legend(
        egui_plot::Legend::default()
            .position(legend_corner)
            .follow_insertion_order(true),
    )
}

/// A tick's number with as many decimals as its step needs (0.05 steps: "0.05", "0.10").
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    // "-0" and "-0.00" read as a different number than 0.
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// egui_plot labels the x ticks that are at least this far apart (and the grid's thinnest lines 8).
const X_LABEL_SPACING_PX: f64 = 64.0;
/// egui_plot labels the y ticks that are at least this far apart.
const Y_LABEL_SPACING_PX: f64 = 22.0;
/// egui_plot's smallest grid spacing, in points (what `GridInput::base_step_size` is measured in).
const GRID_MIN_SPACING_PX: f64 = 8.0;

/// The smallest of 1, 2, 5 × 10^k that is ≥ `value`.
pub fn nice_step(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let decade = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|&s| s >= value * (1.0 - 1e-12))
        .unwrap_or(10.0 * decade)
}

/// Grid lines on 1-2-5 steps whose widest level is spaced just enough for egui_plot to label it.
fn nice_grid_spacer(
    label_spacing_px: f64,
) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> + 'static {
    egui_plot::uniform_grid_spacer(move |input| {
        let per_px = input.base_step_size / GRID_MIN_SPACING_PX;
        let labelled = nice_step(per_px * label_spacing_px);
        let lead = (labelled / 10f64.powf(labelled.log10().floor())).round();
        let middle = if lead == 5.0 {
            labelled / 5.0
        } else {
            labelled / 2.0
        };
        [labelled / 10.0, middle, labelled]
    })
}

#[cfg(test)]
mod tests {
    use super::{nice_step, tick_label};

    #[test]
    fn tick_labels_carry_the_decimals_of_their_step() {
        assert_eq!(tick_label(0.05, 0.05), "0.05");
        assert_eq!(tick_label(0.1, 0.05), "0.10");
        assert_eq!(tick_label(-0.0, 0.5), "0.0");
        assert_eq!(tick_label(-0.5, 0.5), "-0.5");
        assert_eq!(tick_label(1500.0, 500.0), "1500");
    }

    #[test]
    fn nice_steps_are_one_two_five() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(17.0), 20.0);
        assert_eq!(nice_step(50.0), 50.0);
    }
}
