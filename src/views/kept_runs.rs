//! Runs kept on an experiment's plot: the measured curves of earlier runs (capacity at N = 200 and
//! N = 1000, say) drawn dashed under the current one, each labelled with its parameters.

use egui_plot::{Line, LineStyle, PlotPoints};

/// One curve in a plot's coordinates: its name and points.
pub type Series = (String, Vec<[f64; 2]>);

/// An earlier run kept on the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptRun {
    /// The run's parameters ("N = 200, 20 trials, seed 1").
    pub label: String,
    /// Its measured curves, in the plot's coordinates.
    pub series: Vec<Series>,
}

/// Draws the kept runs' curves, dashed and named "curve (parameters)"; the plot picks the colours.
pub fn draw(plot: &mut egui_plot::PlotUi<'_>, kept: &[KeptRun]) {
    for run in kept {
        for (name, points) in &run.series {
            plot.line(
                Line::new(
                    format!("{name} ({})", run.label),
                    PlotPoints::from(points.clone()),
                )
                .style(LineStyle::dashed_dense())
                .width(1.5),
            );
        }
    }
}

/// The kept runs to draw beside the current run (labelled `current`): those with other parameters,
/// each labelled by only the parameters that differ ("N = 50" beside a run at N = 80), so that the
/// legend stays short. A kept run with the current parameters is the current run: it is not repeated.
pub fn beside(kept: &[KeptRun], current: &str) -> Vec<KeptRun> {
    let now: Vec<&str> = current.split(", ").collect();
    kept.iter()
        .filter(|run| run.label != current)
        .map(|run| {
            let differing: Vec<&str> = run.label.split(", ").filter(|part| !now.contains(part)).collect();
            KeptRun {
                label: if differing.is_empty() {
                    run.label.clone()
                } else {
                    differing.join(", ")
                },
                series: run.series.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_runs_are_labelled_by_what_differs_and_the_current_one_is_not_repeated() {
        let run = |label: &str| KeptRun {
            label: label.into(),
            series: vec![("hebb".into(), vec![[0.0, 1.0]])],
        };
        let kept = [
            run("N = 50, 1 trial, seed 1"),
            run("N = 80, 1 trial, seed 1"),
            run("N = 80, 5 trials, seed 2"),
        ];
        let shown = beside(&kept, "N = 80, 1 trial, seed 1");
        let labels: Vec<&str> = shown.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["N = 50", "5 trials, seed 2"]);
    }
}
