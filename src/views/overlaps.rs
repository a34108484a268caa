//! Overlap curves m^μ(t) with every stored pattern (Hopfield scenes, the spiking and rate memories).

use egui_plot::{Legend, Line, PlotPoints};

use super::history::{Series, decimate_min_max};
use super::theme;

/// Overlap curves to draw: one series per pattern over a time range.
pub struct OverlapCurves<'a> {
    /// Plot id.
    pub id: &'a str,
    /// One label per pattern.
    pub labels: &'a [String],
    /// One series per pattern: (time, overlap).
    pub series: &'a [Series],
    /// Label of the time axis, with its unit.
    pub x_label: &'a str,
    /// Time range shown.
    pub range: (f64, f64),
    /// Fit the overlap axis to the data (rate-based overlaps can exceed 1) instead of [−1, 1].
    pub auto_y: bool,
}

/// Draws overlap curves m^μ(t), the cued pattern thicker.
pub fn overlap_curves_ui(ui: &mut egui::Ui, curves: &OverlapCurves<'_>, cued: usize, height: f32) {
    let (start, end) = curves.range;
    let columns = ui.available_width().max(100.0) as usize;
    let plot_response = crate::views::plot(curves.id)
        .show_background(false)
        .height(height)
        .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
        .x_axis_label(curves.x_label)
        .y_axis_label("overlap m")
        .include_y(-1.05)
        .include_y(1.05)
        .default_x_bounds(start, end)
        .auto_bounds([true, curves.auto_y])
        .allow_scroll(false)
        .show(ui, |plot| {
            let named = named_patterns(curves.series, cued, (start, end));
            for &index in &named {
                let series = &curves.series[index];
                let label = curves.labels.get(index).map_or("?", String::as_str);
                let points = series.decimated(start, end, columns);
                let width = if index == cued { 3.0 } else { 1.5 };
                plot.line(
                    Line::new(format!("m {label}"), PlotPoints::from(points))
                        .color(theme::pattern(index))
                        .width(width),
                );
            }
            let others = curves.series.len() - named.len();
            if others > 0 {
                let points = max_abs_of_others(curves.series, &named, start, end, columns);
                plot.line(
                    Line::new(format!("max |m| of the other {others}"), PlotPoints::from(points))
                        .color(egui::Color32::GRAY)
                        .style(egui_plot::LineStyle::dashed_loose())
                        .width(1.5),
                );
            }
        });
    super::export::plot_context_menu(&plot_response.response, curves.id);
}

/// Most curves drawn (and named in the legend) one by one; the rest are summarised.
pub const MAX_NAMED_CURVES: usize = 6;

/// The patterns drawn one by one: all of them when few, else the cued one and those with the
/// largest |m| anywhere in the time range shown (a pattern a timeline cued and held a second ago
/// keeps its name after the network has moved on).
pub fn named_patterns(series: &[Series], cued: usize, range: (f64, f64)) -> Vec<usize> {
    if series.len() <= MAX_NAMED_CURVES {
        return (0..series.len()).collect();
    }
    let mut order: Vec<usize> = (0..series.len()).filter(|&i| i != cued).collect();
    let peak: Vec<f64> = series
        .iter()
        .map(|s| {
            s.iter()
                .filter(|p| p[0] >= range.0 && p[0] <= range.1)
                .fold(0.0f64, |m, p| m.max(p[1].abs()))
        })
        .collect();
    order.sort_by(|&a, &b| peak[b].total_cmp(&peak[a]));
    let mut named: Vec<usize> = std::iter::once(cued)
        .filter(|&c| c < series.len())
        .chain(order)
        .take(MAX_NAMED_CURVES - 1)
        .collect();
    named.sort_unstable();
    named
}

/// max over the other patterns of |m| at each sample time in [start, end], decimated. The series of
/// one scene are sampled together, so their points line up.
fn max_abs_of_others(
    series: &[Series],
    named: &[usize],
    start: f64,
    end: f64,
    columns: usize,
) -> Vec<[f64; 2]> {
    let mut max: Vec<[f64; 2]> = Vec::new();
    for (index, s) in series.iter().enumerate() {
        if named.contains(&index) {
            continue;
        }
        let points = s.iter().filter(|p| p[0] >= start && p[0] <= end);
        if max.is_empty() {
            max = points.map(|p| [p[0], p[1].abs()]).collect();
        } else {
            for (m, p) in max.iter_mut().zip(points) {
                m[1] = m[1].max(p[1].abs());
            }
        }
    }
    decimate_min_max(max.into_iter(), start, end, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_patterns_name_the_cued_one_and_the_strongest() {
        let series: Vec<Series> = (0..30)
            .map(|i| {
                let mut s = Series::new(10);
                s.push(0.0, if i == 17 { 0.9 } else { 0.01 * i as f64 });
                // Pattern 5 was held earlier in the range and has fallen since.
                s.push(1.0, if i == 5 { 0.95 } else { 0.0 });
                s.push(2.0, if i == 17 { 0.9 } else { 0.0 });
                s
            })
            .collect();
        let named = named_patterns(&series, 3, (0.0, 2.0));
        assert_eq!(named.len(), MAX_NAMED_CURVES - 1);
        assert!(
            named.contains(&3) && named.contains(&17) && named.contains(&5),
            "{named:?}"
        );
        // Out of the range shown, the earlier peak does not count.
        let later = named_patterns(&series, 3, (1.5, 2.0));
        assert!(later.contains(&17), "{later:?}");
        let few = named_patterns(&series[..4], 0, (0.0, 2.0));
        assert_eq!(few, vec![0, 1, 2, 3]);
    }
}
