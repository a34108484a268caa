//! How each experiment's result is drawn beside its theory, and written as CSV.

use egui_plot::{
    Bar, BarChart, Corner, HLine, Legend, Line, LineStyle, MarkerShape, PlotPoints, Points, VLine,
};

use super::experiments::ExperimentResult;
use crate::analysis::hopfield_theory::AGS_CRITICAL_LOAD;
use crate::experiments::hopfield_sweeps::{self, RecallPoint};
use crate::families::rate::ui::experiment as rate_experiment;
use crate::views::theme;

/// Draws one curve per network. Curves often coincide (every network retrieves at low load), so each
/// has its own marker and the earlier ones are drawn wider, leaving every curve visible under the next.
fn recall_curves(
    plot: &mut egui_plot::PlotUi<'_>,
    curves: &[(String, Vec<RecallPoint>)],
    xy: fn(&RecallPoint) -> [f64; 2],
) {
    const SHAPES: [MarkerShape; 4] = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::Up,
    ];
    let count = curves.len() as f32;
    for (k, (name, points)) in curves.iter().enumerate() {
        let layer = count - k as f32;
        let xy: Vec<[f64; 2]> = points.iter().map(xy).collect();
        plot.line(
            Line::new(name.as_str(), PlotPoints::from(xy.clone()))
                .color(theme::pattern(k))
                .width(1.2 + 0.9 * (layer - 1.0)),
        );
        plot.points(
            Points::new(name.as_str(), PlotPoints::from(xy))
                .color(theme::pattern(k))
                .shape(SHAPES[k % SHAPES.len()])
                .filled(true)
                .radius(2.0 + layer),
        );
    }
}

/// Draws a result with its theory.
pub fn result_plot_ui(ui: &mut egui::Ui, result: &ExperimentResult, dark: bool) {
    // Each plot puts its legend in a corner its data leaves empty.
    let plot = |id: &str, corner: Corner| {
        crate::views::plot(("experiment-result", id))
            .height(300.0)
            .legend(Legend::default().position(corner).follow_insertion_order(true))
            .allow_scroll(false)
    };
    match result {
        ExperimentResult::RateLoad(r) => rate_experiment::plot_ui(ui, r, dark),
        ExperimentResult::Capacity(curves) => {
            plot("capacity", Corner::LeftBottom)
                .x_axis_label("load α = P/N")
                .y_axis_label("fraction retrieved (m ≥ 0.9)")
                .include_x(0.0)
                .include_x(0.3)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    recall_curves(plot, curves, |p| [p.alpha, p.retrieved_fraction]);
                    plot.vline(VLine::new("AGS α_c = 0.138", AGS_CRITICAL_LOAD).color(theme::theory(dark)));
                });
            ui.label(
                "Hebb fails near the AGS load α_c = 0.138 (later at small N); Storkey and the pseudo-inverse \
                 store more; the dense network with F(x) = exp(x) stores exponentially many patterns. Cues \
                 have 10 % of their bits flipped.",
            );
        }
        ExperimentResult::Basins { alpha, curves } => {
            let alpha = *alpha;
            plot("basins", Corner::LeftBottom)
                .x_axis_label("cue corruption F (fraction of bits flipped)")
                .y_axis_label("final overlap m with the cued pattern")
                .include_x(0.0)
                .include_x(0.5)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    recall_curves(plot, curves, |p| [p.cue_flip, p.mean_overlap]);
                    plot.hline(
                        HLine::new(
                            "retrieved: m ≥ 0.9",
                            crate::hopfield::observables::RETRIEVED_OVERLAP,
                        )
                        .color(theme::theory(dark))
                        .width(0.5),
                    );
                    let one_step: Vec<[f64; 2]> = (0..=100)
                        .map(|k| {
                            let f = 0.005 * k as f64;
                            [f, hopfield_sweeps::one_step_overlap(alpha, f)]
                        })
                        .collect();
                    plot.line(
                        Line::new("theory: overlap after one step, Hebb", PlotPoints::from(one_step))
                            .color(theme::theory(dark))
                            .style(LineStyle::dashed_loose()),
                    );
                    let cue: Vec<[f64; 2]> = vec![[0.0, 1.0], [0.5, 0.0]];
                    plot.line(
                        Line::new("cue overlap 1 - 2F", PlotPoints::from(cue))
                            .color(theme::theory(dark))
                            .style(LineStyle::dotted_dense()),
                    );
                });
            ui.label(format!(
                "Load α = {alpha}; mean final overlap over the trials (the CSV also has the fraction \
                 retrieved). The basin is the range of corruptions the network corrects. Dashed: Hebbian \
                 overlap after one parallel step, erf((1 - 2F) / sqrt(2α)); dotted: the cue itself."
            ));
        }
        ExperimentResult::Temperature(points) => {
            plot("temperature", Corner::RightTop)
                .x_axis_label("temperature T")
                .y_axis_label("overlap |m|")
                .show(ui, |plot| {
                    let theory: Vec<[f64; 2]> = (0..=150)
                        .map(|k| {
                            let t = 0.01 * k as f64;
                            [t, crate::analysis::hopfield_theory::mean_field_overlap(t)]
                        })
                        .collect();
                    plot.line(
                        Line::new("mean field m = tanh(m/T)", PlotPoints::from(theory))
                            .color(theme::theory(dark)),
                    );
                    let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.temperature, p.overlap]).collect();
                    plot.points(
                        Points::new("simulation", PlotPoints::from(xy))
                            .color(theme::pattern(0))
                            .radius(4.0),
                    );
                });
        }
        ExperimentResult::FiCurve(curves) => {
            plot("fi", Corner::LeftTop)
                .x_axis_label("input μ (mV)")
                .y_axis_label("rate (Hz)")
                .show(ui, |plot| {
                    for (k, (sigma, points)) in curves.iter().enumerate() {
                        let theory: Vec<[f64; 2]> = points
                            .iter()
                            .filter_map(|p| p.theory_hz.map(|t| [p.mu_mv, t]))
                            .collect();
                        let name = if *sigma == 0.0 {
                            "theory, no noise".to_string()
                        } else {
                            format!("theory (first passage), σ = {sigma} mV")
                        };
                        plot.line(Line::new(name, PlotPoints::from(theory)).color(theme::pattern(k)));
                        let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.mu_mv, p.rate_hz]).collect();
                        plot.points(
                            Points::new(format!("simulation, σ = {sigma} mV"), PlotPoints::from(xy))
                                .color(theme::pattern(k))
                                .radius(3.0),
                        );
                    }
                });
        }
        ExperimentResult::MembraneHistogram(h) => {
            let width = h.edges_mv[1] - h.edges_mv[0];
            let centre = |k: usize| h.edges_mv[k] + 0.5 * width;
            let peak = h
                .theory_density
                .iter()
                .chain(&h.density)
                .fold(0.0f64, |a, &b| a.max(b));
            plot("membrane", Corner::LeftTop)
                .x_axis_label("membrane potential V (mV from rest)")
                .y_axis_label("density (1/mV)")
                .include_y(0.0)
                .include_y(1.1 * peak)
                .show(ui, |plot| {
                    let bars = h
                        .density
                        .iter()
                        .enumerate()
                        .map(|(k, &d)| Bar::new(centre(k), d).width(width).fill(theme::pattern(0)))
                        .collect();
                    plot.bar_chart(BarChart::new("simulation", bars).color(theme::pattern(0)));
                    let theory: Vec<[f64; 2]> = h
                        .theory_density
                        .iter()
                        .enumerate()
                        .map(|(k, &d)| [centre(k), d])
                        .collect();
                    plot.line(
                        Line::new("Fokker-Planck density", PlotPoints::from(theory))
                            .color(theme::theory(dark))
                            .width(2.0),
                    );
                    let threshold = h.edges_mv[h.edges_mv.len() - 1];
                    plot.vline(
                        VLine::new("threshold", threshold)
                            .color(theme::theory(dark))
                            .style(LineStyle::dashed_loose()),
                    );
                });
            ui.label(format!(
                "μ = {} mV, σ = {} mV, {:.0} neuron-seconds: rate {:.2} Hz (Siegert {:.2} Hz), \
                 L1 distance to the density {:.3}.",
                h.mu_mv,
                h.sigma_mv,
                h.neuron_seconds,
                h.rate_hz,
                h.theory_rate_hz,
                h.l1_distance()
            ));
        }
    }
}

/// The result as CSV text.
pub fn csv(result: &ExperimentResult) -> String {
    let mut out = String::new();
    match result {
        ExperimentResult::RateLoad(r) => out += &rate_experiment::csv(r),
        ExperimentResult::Capacity(curves) => {
            out += "network,alpha,patterns,trials,retrieved_fraction,mean_overlap\n";
            for (name, points) in curves {
                for p in points {
                    out += &format!(
                        "{name},{},{},{},{},{}\n",
                        p.alpha, p.patterns, p.trials, p.retrieved_fraction, p.mean_overlap
                    );
                }
            }
        }
        ExperimentResult::Basins { alpha, curves } => {
            out += "network,alpha,cue_flip,patterns,trials,retrieved_fraction,mean_overlap,\
                    exact_recall_fraction,one_step_theory_hebb\n";
            for (name, points) in curves {
                for p in points {
                    out += &format!(
                        "{name},{alpha},{},{},{},{},{},{},{}\n",
                        p.cue_flip,
                        p.patterns,
                        p.trials,
                        p.retrieved_fraction,
                        p.mean_overlap,
                        p.exact_recall_fraction,
                        hopfield_sweeps::one_step_overlap(*alpha, p.cue_flip)
                    );
                }
            }
        }
        ExperimentResult::Temperature(points) => {
            out += "temperature,overlap,mean_field\n";
            for p in points {
                out += &format!("{},{},{}\n", p.temperature, p.overlap, p.mean_field);
            }
        }
        ExperimentResult::FiCurve(curves) => {
            out += "sigma_mv,mu_mv,rate_hz,theory_hz\n";
            for (sigma, points) in curves {
                for p in points {
                    let theory = p.theory_hz.map_or(String::new(), |t| t.to_string());
                    out += &format!("{sigma},{},{},{theory}\n", p.mu_mv, p.rate_hz);
                }
            }
        }
        ExperimentResult::MembraneHistogram(h) => {
            out += "v_low_mv,v_high_mv,density_per_mv,fokker_planck_per_mv\n";
            for (k, (d, t)) in h.density.iter().zip(&h.theory_density).enumerate() {
                out += &format!("{},{},{d},{t}\n", h.edges_mv[k], h.edges_mv[k + 1]);
            }
        }
    }
    out
}
