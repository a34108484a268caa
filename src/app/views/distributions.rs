//! Distributions: the membrane-potential histogram and the inter-spike-interval histogram with its CV.

use egui_plot::{Bar, BarChart, Plot, VLine};

use crate::app::scene_data::{SpikingData, V_BINS};
use crate::app::theme;

/// ISI histogram range and bins.
const ISI_MAX_MS: f64 = 200.0;
const ISI_BINS: usize = 50;

/// Draws the membrane-potential histogram (a probability density, per mV).
pub fn v_histogram_ui(ui: &mut egui::Ui, data: &SpikingData, dark: bool, height: f32) {
    let width = (data.v_max_mv - data.v_min_mv) / V_BINS as f64;
    let total: f64 = data.v_histogram.iter().sum::<f64>().max(1e-12);
    let bars = data
        .v_histogram
        .iter()
        .enumerate()
        .map(|(i, &c)| Bar::new(data.v_min_mv + (i as f64 + 0.5) * width, c / total / width).width(width))
        .collect();
    let threshold = data.info.populations.first().map_or(0.0, |p| p.threshold_mv);
    Plot::new("v-histogram")
        .height(height)
        .x_axis_label("V (mV)")
        .y_axis_label("density (1/mV)")
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("P(V)", bars).color(theme::excitatory(dark)));
            plot.vline(VLine::new("threshold", threshold).color(theme::theory(dark)));
        });
}

/// Draws the ISI histogram and prints the coefficient of variation.
pub fn isi_histogram_ui(ui: &mut egui::Ui, data: &SpikingData, dark: bool, height: f32) {
    let width = ISI_MAX_MS / ISI_BINS as f64;
    let mut counts = [0u32; ISI_BINS];
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    for &isi in &data.isis_ms {
        let isi = f64::from(isi);
        sum += isi;
        sum_sq += isi * isi;
        let bin = (isi / width) as usize;
        if bin < ISI_BINS {
            counts[bin] += 1;
        }
    }
    let n = data.isis_ms.len() as f64;
    let cv = if n > 1.0 {
        let mean = sum / n;
        ((sum_sq / n - mean * mean).max(0.0)).sqrt() / mean
    } else {
        f64::NAN
    };
    ui.label(format!(
        "ISI: {} intervals, CV = {cv:.2} (1 = Poisson-like irregular, 0 = clock-like)",
        data.isis_ms.len()
    ));
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| Bar::new((i as f64 + 0.5) * width, f64::from(c)).width(width))
        .collect();
    Plot::new("isi-histogram")
        .height(height)
        .x_axis_label("inter-spike interval (ms)")
        .y_axis_label("count")
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("ISI", bars).color(theme::inhibitory(dark)));
        });
}
