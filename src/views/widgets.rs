//! Widgets shared by every family's controls.

/// A slider with unit, tooltip, a mark when it differs from `preset` and a restore button;
/// true when the value changed. A value typed into its field outside `range` is refused, and the
/// reason stays next to the field until the next accepted change.
pub fn param_slider(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
    tooltip: &str,
    preset: Option<f64>,
) -> bool {
    slider_row(
        ui,
        value,
        range,
        label,
        unit,
        tooltip,
        preset,
        SliderScale::Linear,
    )
}

/// [`param_slider`] on a logarithmic scale (rates that span decades).
pub fn log_param_slider(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
    tooltip: &str,
    preset: Option<f64>,
) -> bool {
    slider_row(
        ui,
        value,
        range,
        label,
        unit,
        tooltip,
        preset,
        SliderScale::Logarithmic,
    )
}

/// [`param_slider`] for a count (patterns, trials, neurons, units): whole numbers only, shown
/// without decimals.
pub fn count_slider(
    ui: &mut egui::Ui,
    value: &mut usize,
    range: std::ops::RangeInclusive<usize>,
    label: &str,
    tooltip: &str,
    preset: Option<usize>,
) -> bool {
    let mut x = *value as f64;
    let range = *range.start() as f64..=*range.end() as f64;
    let changed = slider_row(
        ui,
        &mut x,
        range,
        label,
        "",
        tooltip,
        preset.map(|p| p as f64),
        SliderScale::Integer,
    );
    if changed {
        *value = x.round().max(0.0) as usize;
    }
    changed
}

/// How a slider maps its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SliderScale {
    /// Evenly.
    Linear,
    /// Evenly in the logarithm.
    Logarithmic,
    /// Whole numbers only.
    Integer,
}

/// The row every slider draws.
#[allow(clippy::too_many_arguments)] // the two public sliders' arguments, passed through
fn slider_row(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
    tooltip: &str,
    preset: Option<f64>,
    scale: SliderScale,
) -> bool {
    let mut changed = false;
    let error_id = ui.make_persistent_id(("refused", label));
    ui.horizontal(|ui| {
        let differs = preset.is_some_and(|p| (p - *value).abs() > 1e-9 * p.abs().max(1.0));
        let label_id = ui.label(label).on_hover_text(tooltip).id;
        // The mark has a cell of its own whether shown or not, so the slider never moves under
        // the cursor when a value leaves or returns to the preset.
        let mark_size = egui::vec2(10.0, ui.spacing().interact_size.y);
        ui.add_sized(mark_size, egui::Label::new(if differs { "•" } else { "" }))
            .on_hover_text("differs from the preset");
        let before = *value;
        // Dragging stays inside the range; a typed value is checked below instead of clamped.
        let slider = egui::Slider::new(value, range.clone())
            .suffix(format!(" {unit}"))
            .clamping(egui::SliderClamping::Never);
        let slider = match scale {
            SliderScale::Linear => slider,
            SliderScale::Logarithmic => slider.logarithmic(true),
            SliderScale::Integer => slider.integer(),
        };
        changed |= ui
            .add(slider)
            .labelled_by(label_id)
            .on_hover_text(tooltip)
            .changed();
        if changed {
            if let Some(reason) = out_of_range(*value, &range, label, unit) {
                *value = before;
                changed = false;
                ui.data_mut(|d| d.insert_temp(error_id, reason));
            } else {
                ui.data_mut(|d| d.remove::<String>(error_id));
            }
        }
        if let (true, Some(p)) = (differs, preset)
            && ui
                .small_button("restore")
                .on_hover_text(format!("Restore the preset value {p}"))
                .clicked()
        {
            *value = p;
            changed = true;
            ui.data_mut(|d| d.remove::<String>(error_id));
        }
    });
    if let Some(reason) = ui.data(|d| d.get_temp::<String>(error_id)) {
        ui.colored_label(ui.visuals().error_fg_color, reason);
    }
    changed
}

/// Why a typed value is refused, if it is: outside the slider's range, or not a number.
pub fn out_of_range(
    value: f64,
    range: &std::ops::RangeInclusive<f64>,
    label: &str,
    unit: &str,
) -> Option<String> {
    if value.is_finite() && range.contains(&value) {
        return None;
    }
    Some(format!(
        "{label}: {value} {unit} refused; it must be between {} and {} {unit}",
        range.start(),
        range.end()
    ))
}

/// A vertical colour bar `height` points tall: `colour(t)` from t = 0 at the bottom to t = 1 at the
/// top, labelled with the values `low` and `high` at its ends and their middle, in `unit`.
pub fn colour_scale(
    ui: &mut egui::Ui,
    height: f32,
    (low, high): (f64, f64),
    unit: &str,
    colour: impl Fn(f32) -> egui::Color32,
) {
    // Room above and below the bar for the end labels.
    let pad = 7.0;
    // Three significant digits, whatever the magnitude.
    let label = |v: f64| {
        let text = match v.abs() {
            0.0 => "0".to_string(),
            a if !(1e-3..1e4).contains(&a) => format!("{v:.2e}"),
            a if a >= 100.0 => format!("{v:.0}"),
            a if a >= 10.0 => format!("{v:.1}"),
            a if a >= 1.0 => format!("{v:.2}"),
            _ => format!("{v:.3}"),
        };
        if unit.is_empty() {
            text
        } else {
            format!("{text} {unit}")
        }
    };
    let labels = [
        (1.0f32, label(high)),
        (0.5, label(0.5 * (low + high))),
        (0.0, label(low)),
    ];
    let font = egui::FontId::proportional(11.0);
    let text_width = labels
        .iter()
        .map(|(_, text)| {
            ui.ctx().fonts_mut(|f| {
                f.layout_no_wrap(text.clone(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            })
        })
        .fold(0.0f32, f32::max);
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(18.0 + text_width, height + 2.0 * pad),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let bar = egui::Rect::from_min_size(rect.min + egui::vec2(0.0, pad), egui::vec2(12.0, height));
    let steps = 48;
    for k in 0..steps {
        let top = bar.top() + height * k as f32 / steps as f32;
        let band = egui::Rect::from_min_max(
            egui::pos2(bar.left(), top),
            egui::pos2(bar.right(), top + height / steps as f32 + 0.5),
        );
        painter.rect_filled(band, 0.0, colour(1.0 - (k as f32 + 0.5) / steps as f32));
    }
    painter.rect_stroke(
        bar,
        0.0,
        egui::Stroke::new(1.0, ui.visuals().weak_text_color()),
        egui::StrokeKind::Inside,
    );
    let text_colour = ui.visuals().text_color();
    for (t, text) in labels {
        painter.text(
            egui::pos2(bar.right() + 4.0, bar.bottom() - height * t),
            egui::Align2::LEFT_CENTER,
            text,
            font.clone(),
            text_colour,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::out_of_range;

    #[test]
    fn typed_values_outside_the_range_are_refused_with_the_range() {
        assert_eq!(out_of_range(20.0, &(2.0..=50.0), "τ_m", "ms"), None);
        let reason = out_of_range(-5.0, &(2.0..=50.0), "τ_m", "ms").expect("refused");
        assert!(reason.contains("between 2 and 50 ms"), "{reason}");
        assert!(out_of_range(f64::NAN, &(0.0..=1.0), "flip", "").is_some());
    }
}
