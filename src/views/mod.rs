//! The building blocks every family's views are made of: colours, bounded histories, textures,
//! overlap curves, pattern thumbnails, sliders with restore marks, and PNG export. Nothing here
//! knows a family; each family's `ui/` folder composes these into its views.

pub mod export;
pub mod history;
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
