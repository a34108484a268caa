//! Population firing rates over time, one line per population.

use egui_plot::{Legend, Line, PlotPoints};

use super::raster::WINDOW_MS;
use crate::families::spiking::PopulationView;
use crate::views::history::Series;

/// Bins (1 ms each) averaged per drawn point, to show a rate rather than single spikes.
const SMOOTH_BINS: usize = 5;

/// Draws the population rates (1 ms bins, one series per population) of the [`WINDOW_MS`] that
/// ends at `time_ms`, in Hz.
pub fn rates_ui(
    ui: &mut egui::Ui,
    (populations, rates): (&[PopulationView], &[Series]),
    time_ms: f64,
    dark: bool,
    height: f32,
) {
    let end = time_ms.max(WINDOW_MS);
    let start = end - WINDOW_MS;
    let plot_response = crate::views::plot("rates")
        .show_background(false)
        .height(height)
        .legend(Legend::default())
        .x_axis_label("time (ms)")
        .y_axis_label("rate (Hz)")
        .default_x_bounds(start, end)
        .include_y(0.0)
        .auto_bounds([true, true])
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.set_plot_bounds_x(start..=end);
            for (index, (population, series)) in populations.iter().zip(rates).enumerate() {
                let points: Vec<[f64; 2]> = series.iter().filter(|p| p[0] >= start).copied().collect();
                let smoothed: Vec<[f64; 2]> = points
                    .chunks(SMOOTH_BINS)
                    .map(|c| [c[0][0], c.iter().map(|p| p[1]).sum::<f64>() / c.len() as f64])
                    .collect();
                let colour = super::data::population_colour(populations, index, dark);
                plot.line(Line::new(population.name.clone(), PlotPoints::from(smoothed)).color(colour));
            }
        });
    crate::views::export::plot_context_menu(&plot_response.response, "rates");
}
