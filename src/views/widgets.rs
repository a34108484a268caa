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
    let mut changed = false;
    let error_id = ui.make_persistent_id(("refused", label));
    ui.horizontal(|ui| {
        let differs = preset.is_some_and(|p| (p - *value).abs() > 1e-9 * p.abs().max(1.0));
        let text = if differs {
            format!("{label} •")
        } else {
            label.to_string()
        };
        let label_id = ui.label(text).on_hover_text(tooltip).id;
        let before = *value;
        // Dragging stays inside the range; a typed value is checked below instead of clamped.
        let slider = egui::Slider::new(value, range.clone())
            .suffix(format!(" {unit}"))
            .clamping(egui::SliderClamping::Never);
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
