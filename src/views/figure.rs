//! Slide-ready figures: any view drawn by egui again, off screen, at a chosen resolution, on a light or
//! dark background, under a title line, and rasterised on the CPU into a PNG.
//!
//! A screenshot can only hold the pixels on screen; a figure for a slide needs two or three times
//! more. So the view is laid out in a context of its own at `scale` pixels per point and its
//! triangles are filled here: egui tessellates everything (text is textured quads from its font
//! atlas, lines are feathered strips), so filling premultiplied triangles with bilinear texture
//! lookups reproduces what the GPU draws. Hand-written because the one CPU renderer for egui
//! (`egui_software_backend` 0.0.3) is built for egui 0.34 and engram uses 0.37.

use std::collections::HashMap;

use egui::{Color32, ColorImage, Pos2, Rect, TextureId, Vec2};

/// What a figure looks like: its width in points, its resolution, its background and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// Width of the layout in points (as on screen); the height is what the content takes.
    pub width_points: f32,
    /// Pixels per point: 2 gives twice the resolution of a standard screen.
    pub scale: f32,
    /// Light background (a slide or paper) instead of dark.
    pub light: bool,
    /// The title line over the content (the parameters of what is shown); empty for none.
    pub title: String,
}

/// Most points a figure's content may take in height (a view that asks for more is cut).
const MAX_HEIGHT_POINTS: f32 = 2_000.0;

/// Frames laid out before the one rasterised: plots size their axes from the frame before.
const LAYOUT_FRAMES: usize = 3;

/// Lays out `content` (given whether the background is dark) under the title and rasterises it.
pub fn render(
    options: &FigureOptions,
    mut content: impl FnMut(&mut egui::Ui, bool),
) -> Result<ColorImage, String> {
    let scale = options.scale;
    if !(scale.is_finite() && (0.5..=8.0).contains(&scale)) {
        return Err(format!("a figure's scale must be between 0.5 and 8, not {scale}"));
    }
    if !(options.width_points.is_finite() && (50.0..=4_000.0).contains(&options.width_points)) {
        return Err(format!(
            "a figure's width must be between 50 and 4000 points, not {}",
            options.width_points
        ));
    }
    let ctx = egui::Context::default();
    let dark = !options.light;
    ctx.set_visuals(if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    });
    let screen = Rect::from_min_size(Pos2::ZERO, Vec2::new(options.width_points, MAX_HEIGHT_POINTS));
    let mut textures: HashMap<TextureId, ColorImage> = HashMap::new();
    let mut used_height = MAX_HEIGHT_POINTS;
    let mut last = None;
    for _ in 0..LAYOUT_FRAMES {
        let mut input = egui::RawInput {
            screen_rect: Some(screen),
            max_texture_side: Some(8192),
            ..Default::default()
        };
        input
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(scale);
        let output = ctx.run_ui(input, |ui| {
            let frame = egui::Frame::central_panel(ui.style()).fill(ui.visuals().panel_fill);
            let response = frame.show(ui, |ui| {
                ui.set_width(options.width_points - 16.0);
                if !options.title.is_empty() {
                    ui.label(egui::RichText::new(&options.title).strong().size(15.0));
                }
                content(ui, dark);
            });
            used_height = response.response.rect.bottom().min(MAX_HEIGHT_POINTS);
        });
        for (id, deltas) in &output.textures_delta.set {
            for delta in deltas {
                apply_delta(&mut textures, *id, delta);
            }
        }
        last = Some(output);
    }
    let output = last.ok_or("nothing was laid out")?;
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let width = (options.width_points * scale).round() as usize;
    let height = ((used_height * scale).round() as usize).max(1);
    let background = ctx.global_style().visuals.panel_fill;
    let mut canvas = Canvas::new(width, height, background);
    for clipped in &primitives {
        if let egui::epaint::Primitive::Mesh(mesh) = &clipped.primitive {
            canvas.fill_mesh(mesh, clipped.clip_rect, scale, textures.get(&mesh.texture_id));
        }
    }
    Ok(canvas.into_image())
}

/// Applies one texture update (a whole image or a patch of one).
fn apply_delta(
    textures: &mut HashMap<TextureId, ColorImage>,
    id: TextureId,
    delta: &egui::epaint::ImageDelta,
) {
    let egui::ImageData::Color(image) = &delta.image;
    match delta.pos {
        None => {
            textures.insert(id, (**image).clone());
        }
        Some([x0, y0]) => {
            if let Some(texture) = textures.get_mut(&id) {
                let [w, h] = image.size;
                for y in 0..h {
                    for x in 0..w {
                        if x0 + x < texture.size[0] && y0 + y < texture.size[1] {
                            texture.pixels[(y0 + y) * texture.size[0] + x0 + x] = image.pixels[y * w + x];
                        }
                    }
                }
            }
        }
    }
}

/// Premultiplied RGBA pixels being painted.
struct Canvas {
    width: usize,
    height: usize,
    /// Premultiplied colour, 0..=1 per channel (gamma space, as egui blends on screen).
    pixels: Vec<[f32; 4]>,
}

impl Canvas {
    fn new(width: usize, height: usize, background: Color32) -> Self {
        let fill = rgba(background);
        Self {
            width,
            height,
            pixels: vec![fill; width * height],
        }
    }

    /// Fills every triangle of `mesh` inside `clip` (both in points).
    fn fill_mesh(&mut self, mesh: &egui::Mesh, clip: Rect, scale: f32, texture: Option<&ColorImage>) {
        let clip_x0 = ((clip.min.x * scale).floor().max(0.0) as usize).min(self.width);
        let clip_y0 = ((clip.min.y * scale).floor().max(0.0) as usize).min(self.height);
        let clip_x1 = ((clip.max.x * scale).ceil().max(0.0) as usize).min(self.width);
        let clip_y1 = ((clip.max.y * scale).ceil().max(0.0) as usize).min(self.height);
        for triangle in mesh.indices.chunks_exact(3) {
            let vertices = [
                &mesh.vertices[triangle[0] as usize],
                &mesh.vertices[triangle[1] as usize],
                &mesh.vertices[triangle[2] as usize],
            ];
            self.fill_triangle(vertices, scale, texture, [clip_x0, clip_y0, clip_x1, clip_y1]);
        }
    }

    /// Fills one triangle: colours and texture coordinates interpolated, the texture looked up
    /// bilinearly, premultiplied "over" blending. Pixel centres on a shared edge belong to one
    /// triangle only (the top-left rule), so a strip's inner edges are not painted twice.
    fn fill_triangle(
        &mut self,
        v: [&egui::epaint::Vertex; 3],
        scale: f32,
        texture: Option<&ColorImage>,
        [clip_x0, clip_y0, clip_x1, clip_y1]: [usize; 4],
    ) {
        let p: [[f32; 2]; 3] = [0, 1, 2].map(|k| [v[k].pos.x * scale, v[k].pos.y * scale]);
        let area = edge(p[0], p[1], p[2]);
        if area.abs() < 1e-12 {
            return;
        }
        let min_x = p.iter().map(|q| q[0]).fold(f32::INFINITY, f32::min);
        let max_x = p.iter().map(|q| q[0]).fold(f32::NEG_INFINITY, f32::max);
        let min_y = p.iter().map(|q| q[1]).fold(f32::INFINITY, f32::min);
        let max_y = p.iter().map(|q| q[1]).fold(f32::NEG_INFINITY, f32::max);
        let x0 = (min_x.floor().max(0.0) as usize).max(clip_x0);
        let x1 = ((max_x.ceil().max(0.0)) as usize).min(clip_x1);
        let y0 = (min_y.floor().max(0.0) as usize).max(clip_y0);
        let y1 = ((max_y.ceil().max(0.0)) as usize).min(clip_y1);
        let colours = [0, 1, 2].map(|k| rgba(v[k].color));
        let uvs = [0, 1, 2].map(|k| [v[k].uv.x, v[k].uv.y]);
        // Orient so that inside means all three edge functions are positive.
        let sign = area.signum();
        let owns = |a: [f32; 2], b: [f32; 2]| {
            // A top edge (horizontal, others below) or a left edge owns the pixel centres on it.
            let (dx, dy) = ((b[0] - a[0]) * sign, (b[1] - a[1]) * sign);
            (dy == 0.0 && dx < 0.0) || dy > 0.0
        };
        let own = [owns(p[1], p[2]), owns(p[2], p[0]), owns(p[0], p[1])];
        for y in y0..y1 {
            let py = y as f32 + 0.5;
            for x in x0..x1 {
                let point = [x as f32 + 0.5, py];
                let w = [
                    edge(p[1], p[2], point) * sign,
                    edge(p[2], p[0], point) * sign,
                    edge(p[0], p[1], point) * sign,
                ];
                if (0..3).any(|k| w[k] < 0.0 || (w[k] == 0.0 && !own[k])) {
                    continue;
                }
                let total = w[0] + w[1] + w[2];
                let b = [w[0] / total, w[1] / total, w[2] / total];
                let mut colour = [0.0f32; 4];
                for (c, channel) in colour.iter_mut().enumerate() {
                    *channel = b[0] * colours[0][c] + b[1] * colours[1][c] + b[2] * colours[2][c];
                }
                if let Some(texture) = texture {
                    let u = b[0] * uvs[0][0] + b[1] * uvs[1][0] + b[2] * uvs[2][0];
                    let t = b[0] * uvs[0][1] + b[1] * uvs[1][1] + b[2] * uvs[2][1];
                    let texel = bilinear(texture, u, t);
                    for c in 0..4 {
                        colour[c] *= texel[c];
                    }
                }
                let pixel = &mut self.pixels[y * self.width + x];
                let keep = 1.0 - colour[3];
                for c in 0..4 {
                    pixel[c] = colour[c] + pixel[c] * keep;
                }
            }
        }
    }

    fn into_image(self) -> ColorImage {
        let pixels = self
            .pixels
            .iter()
            .map(|p| {
                let to_u8 = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                Color32::from_rgba_premultiplied(to_u8(p[0]), to_u8(p[1]), to_u8(p[2]), to_u8(p[3]))
            })
            .collect();
        ColorImage::new([self.width, self.height], pixels)
    }
}

/// Twice the signed area of (a, b, c): positive when c is to one side of a→b.
fn edge(a: [f32; 2], b: [f32; 2], c: [f32; 2]) -> f32 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

/// A premultiplied colour as four channels in 0..=1.
fn rgba(c: Color32) -> [f32; 4] {
    let [r, g, b, a] = c.to_array();
    [r, g, b, a].map(|v| f32::from(v) / 255.0)
}

/// The texture at normalised coordinates (u, v), interpolated between the four nearest texels.
fn bilinear(texture: &ColorImage, u: f32, v: f32) -> [f32; 4] {
    let [w, h] = texture.size;
    if w == 0 || h == 0 {
        return [1.0; 4];
    }
    let x = (u * w as f32 - 0.5).clamp(0.0, (w - 1) as f32);
    let y = (v * h as f32 - 0.5).clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |xx: usize, yy: usize| rgba(texture.pixels[yy * w + xx]);
    let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mut out = [0.0; 4];
    for k in 0..4 {
        let top = a[k] + (b[k] - a[k]) * fx;
        let bottom = c[k] + (d[k] - c[k]) * fx;
        out[k] = top + (bottom - top) * fy;
    }
    out
}

/// Renders `content` as a figure and writes it atomically as a PNG; a message naming the file and
/// its size in pixels.
pub fn save(
    options: &FigureOptions,
    path: &std::path::Path,
    content: impl FnMut(&mut egui::Ui, bool),
) -> Result<String, String> {
    let image = render(options, content)?;
    let bytes = super::export::encode_png(&image)?;
    crate::files::write_atomically(path, &bytes)
        .map_err(|e| format!("could not save {}: {e}", path.display()))?;
    Ok(format!(
        "saved {} ({}×{} pixels)",
        path.display(),
        image.width(),
        image.height()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(light: bool, scale: f32) -> FigureOptions {
        FigureOptions {
            width_points: 300.0,
            scale,
            light,
            title: "A title, N = 200".into(),
        }
    }

    /// A plot with one thick horizontal line at y = 0.5 and text: the figure has the requested
    /// width, a background of the chosen theme, dark text on a light one and the line's colour.
    #[test]
    fn a_plot_renders_at_the_requested_resolution_and_background() {
        let draw = |ui: &mut egui::Ui, _dark: bool| {
            egui_plot::Plot::new("test plot")
                .height(150.0)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    plot.line(
                        egui_plot::Line::new("line", vec![[0.0, 0.5], [1.0, 0.5]])
                            .color(Color32::from_rgb(255, 0, 0))
                            .width(4.0),
                    );
                });
        };
        let light = render(&options(true, 2.0), draw).expect("renders");
        assert_eq!(light.width(), 600, "300 points at 2 pixels per point");
        assert!(light.height() > 300 && light.height() < 500, "{}", light.height());
        let corner = light.pixels[0];
        assert!(
            corner.r() > 200 && corner.g() > 200 && corner.b() > 200,
            "light: {corner:?}"
        );
        let red = light
            .pixels
            .iter()
            .filter(|c| c.r() > 200 && c.g() < 60 && c.b() < 60)
            .count();
        assert!(red > 1_000, "the line is drawn: {red} red pixels");
        // The title's glyphs: dark pixels in the top rows of a light figure.
        let title_rows = &light.pixels[..light.width() * 40];
        let ink = title_rows.iter().filter(|c| c.r() < 100).count();
        assert!(ink > 200, "the title is drawn: {ink} dark pixels");
        let dark = render(&options(false, 3.0), draw).expect("renders");
        assert_eq!(dark.width(), 900);
        assert!(dark.pixels[0].r() < 60, "dark: {:?}", dark.pixels[0]);
    }

    #[test]
    fn absurd_sizes_are_refused_in_words() {
        let mut bad = options(true, 20.0);
        assert!(render(&bad, |_, _| {}).is_err_and(|e| e.contains("scale")));
        bad.scale = 2.0;
        bad.width_points = 1e9;
        assert!(render(&bad, |_, _| {}).is_err_and(|e| e.contains("width")));
    }

    #[test]
    fn a_shared_edge_is_painted_once() {
        // Two half-transparent triangles making a square: every pixel has alpha 0.5 over black,
        // none 0.75 (painted twice) on the diagonal.
        let mut mesh = egui::Mesh::default();
        let colour = Color32::from_rgba_premultiplied(128, 128, 128, 128);
        mesh.colored_vertex(Pos2::new(0.0, 0.0), colour);
        mesh.colored_vertex(Pos2::new(10.0, 0.0), colour);
        mesh.colored_vertex(Pos2::new(10.0, 10.0), colour);
        mesh.colored_vertex(Pos2::new(0.0, 10.0), colour);
        mesh.add_triangle(0, 1, 2);
        mesh.add_triangle(0, 2, 3);
        let mut canvas = Canvas::new(10, 10, Color32::BLACK);
        canvas.fill_mesh(&mesh, Rect::EVERYTHING, 1.0, None);
        let image = canvas.into_image();
        assert!(image.pixels.iter().all(|c| c.r() == 128), "{:?}", image.pixels);
    }
}
