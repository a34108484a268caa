//! The sampling family's experiment for the Experiments window: how fast each sampler's KL distance
//! from the exact distribution falls with the number of samples, averaged over independent chains,
//! beside (K − 1)/(2n), the distance of n independent samples.

use egui_plot::{Corner, Line, LineStyle, MarkerShape, PlotPoints, Points};

use crate::families::sampling::Sampling;
use crate::families::sampling::model::{Boltzmann, Sampler, SamplerKind, StateCounts};
use crate::families::{ExperimentTab, FamilyExperiments};
use crate::progress::Progress;
use crate::views::{experiment_plot, theme};

/// The sampling experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SamplingExperiment {
    /// Mean KL versus samples for every sampler.
    Convergence,
}

/// What the user set for the convergence experiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvergenceSettings {
    /// Units N of the random distribution (W ~ N(0, 1.5²), b ~ N(−0.5, 1), drawn from the seed).
    pub units: usize,
    /// Independent chains per sampler (each its own stream).
    pub chains: usize,
}

impl Default for ConvergenceSettings {
    fn default() -> Self {
        Self { units: 5, chains: 4 }
    }
}

/// Mean KL of each sampler at each sample count.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergenceResult {
    /// Units N.
    pub units: usize,
    /// States with p > 0 (K).
    pub states: usize,
    /// Chains averaged.
    pub chains: usize,
    /// The sample counts.
    pub samples: Vec<u64>,
    /// Per sampler (in `SamplerKind::ALL` order) the mean KL at each sample count reached so far.
    pub mean_kl: Vec<Vec<f64>>,
}

/// The sample counts of the experiment: 10 to 100,000, three a decade.
pub fn sample_counts() -> Vec<u64> {
    vec![10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000]
}

impl FamilyExperiments for Sampling {
    type Kind = SamplingExperiment;
    type Settings = ConvergenceSettings;
    type Result = ConvergenceResult;
    const TABS: &'static [ExperimentTab<SamplingExperiment>] = &[(
        SamplingExperiment::Convergence,
        "sampler convergence",
        "KL distance from the exact distribution versus samples, per sampler, beside (K−1)/(2n)",
    )];

    fn describe(_kind: SamplingExperiment, s: &ConvergenceSettings) -> String {
        format!(
            "{} units, {} per sampler",
            s.units,
            crate::output::counted(s.chains as u64, "chain")
        )
    }

    fn settings_ui(ui: &mut egui::Ui, _kind: SamplingExperiment, s: &mut ConvergenceSettings) {
        let slider = crate::views::widgets::param_slider;
        let mut units = s.units as f64;
        if slider(
            ui,
            &mut units,
            2.0..=12.0,
            "units N",
            "",
            "Units of the random distribution",
            Some(5.0),
        ) {
            s.units = units.round() as usize;
        }
        let mut chains = s.chains as f64;
        if slider(
            ui,
            &mut chains,
            1.0..=16.0,
            "chains",
            "",
            "Independent chains averaged per sampler",
            Some(4.0),
        ) {
            s.chains = chains.round() as usize;
        }
    }

    fn run(
        _kind: SamplingExperiment,
        s: &ConvergenceSettings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&ConvergenceResult),
    ) -> Result<ConvergenceResult, String> {
        let model = Boltzmann::random(s.units, 1.5, -0.5, 1.0, 1.0, seed).map_err(|e| e.to_string())?;
        let exact = model
            .exact()
            .ok_or("at most 20 units have an exact distribution")?;
        let counts = sample_counts();
        let chains = s.chains.max(1);
        let mut result = ConvergenceResult {
            units: s.units,
            states: exact.probs.iter().filter(|&&p| p > 0.0).count(),
            chains,
            samples: counts.clone(),
            mean_kl: Vec::new(),
        };
        let free = vec![None; s.units];
        let total = SamplerKind::ALL.len() * chains;
        for (k, kind) in SamplerKind::ALL.into_iter().enumerate() {
            let mut sums = vec![0.0; counts.len()];
            for chain in 0..chains {
                if progress.cancelled() {
                    return Ok(result);
                }
                let mut sampler = Sampler::start(kind, &model, seed, chain as u64 + 1, 20, &free);
                let mut seen = StateCounts::new(s.units);
                let mut spiked = Vec::new();
                let mut next = 0;
                for n in 1..=counts[counts.len() - 1] {
                    spiked.clear();
                    sampler.step(&model, &free, &mut spiked);
                    seen.add(&sampler.z);
                    if n == counts[next] {
                        sums[next] += seen.kl_to(&exact).unwrap_or(f64::NAN);
                        next += 1;
                    }
                }
                progress.advance(k * chains + chain + 1, total);
            }
            result
                .mean_kl
                .push(sums.iter().map(|s| s / chains as f64).collect());
            on_partial(&result);
        }
        Ok(result)
    }

    fn plot_ui(
        ui: &mut egui::Ui,
        r: &ConvergenceResult,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    ) {
        let log_label = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
            let v = mark.value;
            if (v - v.round()).abs() > 1e-6 {
                String::new()
            } else {
                format!("1e{}", v.round() as i32)
            }
        };
        experiment_plot("sampling-convergence", Corner::LeftBottom)
            .x_axis_label("samples n (one per ms), log scale")
            .y_axis_label("mean KL(sampled || exact), nats, log scale")
            .x_grid_spacer(egui_plot::log_grid_spacer(10))
            .y_grid_spacer(egui_plot::log_grid_spacer(10))
            .x_axis_formatter(log_label)
            .y_axis_formatter(log_label)
            .show(ui, |plot| {
                crate::views::kept_runs::draw(plot, kept);
                let k = (r.states.max(2) - 1) as f64;
                let line: Vec<[f64; 2]> = r
                    .samples
                    .iter()
                    .map(|&n| [(n as f64).log10(), (k / (2.0 * n as f64)).log10()])
                    .collect();
                plot.line(
                    Line::new("(K−1)/(2n): independent samples", PlotPoints::from(line))
                        .color(theme::theory(dark))
                        .style(LineStyle::dashed_loose()),
                );
                for (s, (_, xy)) in Self::series(r).into_iter().enumerate() {
                    let name = SamplerKind::ALL[s].label();
                    plot.line(
                        Line::new(name, PlotPoints::from(xy.clone()))
                            .color(super::views::sampler_colour(s))
                            .width(1.5),
                    );
                    plot.points(
                        Points::new(name, PlotPoints::from(xy))
                            .color(super::views::sampler_colour(s))
                            .shape(MarkerShape::Circle)
                            .filled(true)
                            .radius(3.0),
                    );
                }
            });
        ui.label(format!(
            "{} units ({} states), mean over {} chains. The exact samplers follow the 1/n line shifted up by their \
             correlation time (a neural sample stays the same for up to τ = 20 ms); parallel Gibbs and neurons \
             without the − ln τ correction level off at their bias.",
            r.units, r.states, r.chains
        ));
    }

    fn series(r: &ConvergenceResult) -> Vec<crate::views::kept_runs::Series> {
        r.mean_kl
            .iter()
            .enumerate()
            .map(|(s, kl)| {
                let xy = r
                    .samples
                    .iter()
                    .zip(kl)
                    .filter(|(_, d)| **d > 0.0 && d.is_finite())
                    .map(|(&n, &d)| [(n as f64).log10(), d.log10()])
                    .collect();
                (SamplerKind::ALL[s].label().to_string(), xy)
            })
            .collect()
    }

    fn csv(r: &ConvergenceResult) -> String {
        let mut out = String::from("sampler,samples,mean_kl_nats,independent_theory_nats\n");
        let k = (r.states.max(2) - 1) as f64;
        for (s, kl) in r.mean_kl.iter().enumerate() {
            for (&n, &d) in r.samples.iter().zip(kl) {
                out += &format!("{},{n},{d},{}\n", SamplerKind::ALL[s].key(), k / (2.0 * n as f64));
            }
        }
        out
    }
}
