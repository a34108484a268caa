//! Distributions: the membrane-potential histogram and the inter-spike-interval histogram with its CV.

use egui_plot::{Bar, BarChart, Legend, Line, PlotPoints, VLine};

use crate::analysis::lif_theory::fokker_planck_density;
use crate::analysis::spike_stats::{CV_BIN, CV_MIN_INTERVALS, ISI_BIN_MS, ISI_BINS};
use crate::families::spiking::model::{NeuronModel, SynapseModel};

use super::data::{SpikingData, V_BINS};
use crate::views::theme;

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
    let theory = mean_field_density(data);
    let plot_response = crate::views::plot("v-histogram")
        .show_background(false)
        .height(height)
        .legend(Legend::default())
        .x_axis_label("V (mV)")
        .y_axis_label("density (1/mV)")
        .allow_scroll(false)
        .show(ui, |plot| {
            let name = format!(
                "P(V), population {}",
                data.info.populations.first().map_or("", |p| p.name.as_str())
            );
            plot.bar_chart(BarChart::new(name, bars).color(theme::excitatory(dark)));
            plot.vline(VLine::new("threshold", threshold).color(theme::theory(dark)));
            if let Some(points) = theory {
                plot.line(
                    Line::new("Fokker-Planck (mean field)", PlotPoints::from(points))
                        .color(theme::theory(dark))
                        .width(2.0),
                );
            }
        });
    crate::views::export::plot_context_menu(&plot_response.response, "v-histogram");
}

/// The stationary density of the excitatory population predicted from the measured rates (delta
/// synapses and LIF only): μ and σ² sum the recurrent and external inputs (Brunel 2000), and the
/// density is normalised like the histogram (refractory neurons sit at reset in the histogram).
fn mean_field_density(data: &SpikingData) -> Option<Vec<[f64; 2]>> {
    let params = &data.info.params;
    // A memory's pools receive pattern-specific input that no population mean describes.
    if params.synapse != SynapseModel::Delta || data.info.memory.is_some() {
        return None;
    }
    let post = params.populations.first()?;
    if post.neuron.model != NeuronModel::Lif {
        return None;
    }
    let tau_s = post.neuron.tau_m_ms / 1000.0;
    let (mut mu, mut var) = (
        post.neuron.v_rest_mv + post.drive.current_mv,
        post.drive.noise_mv.powi(2),
    );
    for (b, pre) in params.populations.iter().enumerate() {
        let rates = data.rates.get(b)?;
        let recent: Vec<f64> = rates.iter().rev().take(500).map(|p| p[1]).collect();
        if recent.len() < 100 {
            return None;
        }
        let nu = recent.iter().sum::<f64>() / recent.len() as f64;
        let j = match pre.kind {
            crate::families::spiking::model::PopulationKind::Excitatory => params.j_exc_mv,
            crate::families::spiking::model::PopulationKind::Inhibitory => params.j_inh_mv,
        };
        let c = *data.info.mean_in_degree.first()?.get(b)?;
        mu += tau_s * c * j * nu;
        var += tau_s * c * j * j * nu;
    }
    let d = &post.drive;
    mu += tau_s * d.poisson_sources as f64 * d.poisson_weight_mv * d.poisson_rate_hz;
    var += tau_s * d.poisson_sources as f64 * d.poisson_weight_mv.powi(2) * d.poisson_rate_hz;
    // Brunel's convention τ dV/dt = −V + μ + σ√τ ξ: σ² = σ_noise² + τ Σ C J² ν (the variance of the
    // free membrane potential is σ²/2).
    let sigma = var.sqrt();
    if !(sigma > 0.0 && mu.is_finite()) {
        return None;
    }
    let rest = post.neuron.v_rest_mv;
    let lif = post.neuron.lif_theory();
    let v_min = data.v_min_mv - rest;
    let density = fokker_planck_density(mu - rest, sigma, &lif, v_min, 200);
    Some(
        density
            .v_mv
            .iter()
            .zip(&density.density)
            .map(|(&v, &p)| [v + rest, p])
            .collect(),
    )
}

/// Draws the engine's ISI statistics: the histogram of every interval, or (toggled) the
/// distribution of per-neuron CVs, with the mean CV and what it means.
pub fn isi_histogram_ui(
    ui: &mut egui::Ui,
    isi: Option<&crate::families::spiking::IsiView>,
    dark: bool,
    height: f32,
) {
    let Some(isi) = isi else {
        ui.label("ISI: waiting for spikes");
        return;
    };
    let summary = &isi.summary;
    let id = egui::Id::unique("isi-shows-cvs");
    let mut show_cvs = ui.data(|d| d.get_temp::<bool>(id).unwrap_or(false));
    ui.horizontal(|ui| {
        ui.label(format!("ISI CV = {:.2}", summary.mean_cv))
            .on_hover_text(format!(
                "The mean over {} neurons (each with at least {CV_MIN_INTERVALS} intervals) of each neuron's \
             std(ISI)/mean(ISI), from every spike since {:.0} ms (when the network last changed): 1 is \
             Poisson-like irregular, 0 clock-like. engram run and engram network report the same number.",
                summary.neurons_counted, isi.since_ms
            ));
        ui.selectable_value(&mut show_cvs, false, "intervals");
        ui.selectable_value(&mut show_cvs, true, "CV per neuron");
    });
    ui.data_mut(|d| d.insert_temp(id, show_cvs));
    let (bars, x_label, y_label, name) = if show_cvs {
        let bars = summary
            .cv_histogram
            .iter()
            .enumerate()
            .map(|(i, &c)| Bar::new((i as f64 + 0.5) * CV_BIN, f64::from(c)).width(CV_BIN))
            .collect();
        (bars, "CV of one neuron's intervals", "neurons", "CV per neuron")
    } else {
        let bars = summary.isi_histogram[..ISI_BINS]
            .iter()
            .enumerate()
            .map(|(i, &c)| Bar::new((i as f64 + 0.5) * ISI_BIN_MS, c as f64).width(ISI_BIN_MS))
            .collect();
        (bars, "inter-spike interval (ms)", "intervals", "ISI")
    };
    let plot_response = crate::views::plot("isi-histogram")
        .show_background(false)
        .height(height)
        .x_axis_label(x_label)
        .y_axis_label(y_label)
        .include_y(0.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(name, bars).color(theme::excitatory(dark)));
        });
    crate::views::export::plot_context_menu(&plot_response.response, "isi-histogram");
}
