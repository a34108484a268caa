//! A family's experiments for the app's Experiments window: parameter sweeps beside the theory they
//! test, each with its settings, a run on the experiment thread, a plot and a CSV. The window lists
//! every family's experiments through the registry, so a new family's sweeps need no line in `app/`.

use std::fmt::Debug;

use crate::progress::Progress;

/// One tab of the Experiments window: which experiment, its short name and what it shows.
pub type ExperimentTab<K> = (K, &'static str, &'static str);

/// The experiments a family offers in the app.
pub trait FamilyExperiments {
    /// Which of the family's experiments (a small enum).
    type Kind: Copy + PartialEq + Debug + Send + 'static;
    /// What the user set for the family's experiments.
    type Settings: Clone + Debug + Default + Send + 'static;
    /// A result, partial while the experiment runs.
    type Result: Clone + Debug + Send + 'static;
    /// The family's tabs, in the order the window shows them (empty for none).
    const TABS: &'static [ExperimentTab<Self::Kind>];

    /// The parameters of a run in a line, for a figure's title and an overlaid run's label
    /// ("N = 200, 20 trials").
    fn describe(kind: Self::Kind, settings: &Self::Settings) -> String;
    /// The controls of one experiment's settings.
    fn settings_ui(ui: &mut egui::Ui, kind: Self::Kind, settings: &mut Self::Settings);
    /// Runs an experiment to the end (or until `progress` says cancel), handing the results so far
    /// to `on_partial` after every point. Runs on the experiment thread, never the UI's.
    fn run(
        kind: Self::Kind,
        settings: &Self::Settings,
        seed: u64,
        progress: &mut dyn Progress,
        on_partial: &mut dyn FnMut(&Self::Result),
    ) -> Result<Self::Result, String>;
    /// Draws a result beside its theory, with a caption, and the kept runs' curves on its plot.
    fn plot_ui(
        ui: &mut egui::Ui,
        result: &Self::Result,
        kept: &[crate::views::kept_runs::KeptRun],
        dark: bool,
    );
    /// The measured curves of a result in its plot's coordinates, to keep them on the plot.
    fn series(result: &Self::Result) -> Vec<crate::views::kept_runs::Series>;
    /// The numbers behind the plot as CSV text with a header line.
    fn csv(result: &Self::Result) -> String;
}

/// Generates the Experiments window's enums and dispatch from the registry list.
macro_rules! registry_experiments {
    ($( $(#[$doc:meta])* $variant:ident => $module:ident :: $family:ident ),* $(,)?) => {
        /// Which experiment the Experiments window runs: one of a family's.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum ExperimentKind {
            $( $(#[$doc])* $variant(<$module::$family as FamilyExperiments>::Kind), )*
        }

        /// A finished, cancelled or partial experiment's result.
        #[derive(Debug, Clone)]
        pub enum ExperimentResult {
            $( $(#[$doc])* $variant(<$module::$family as FamilyExperiments>::Result), )*
        }

        /// What the user set for every family's experiments, and the seed they share.
        #[derive(Debug, Clone)]
        pub struct ExperimentSettings {
            /// Seed of every random choice.
            pub seed: u64,
            $( $(#[$doc])* pub $module: <$module::$family as FamilyExperiments>::Settings, )*
        }

        impl Default for ExperimentSettings {
            fn default() -> Self {
                Self { seed: 1, $( $module: Default::default(), )* }
            }
        }

        impl ExperimentKind {
            /// Every family's tabs, in registry order: kind, name, tooltip.
            pub fn tabs() -> Vec<(ExperimentKind, &'static str, &'static str)> {
                let mut tabs = Vec::new();
                $(
                    for (kind, name, tip) in <$module::$family as FamilyExperiments>::TABS {
                        tabs.push((ExperimentKind::$variant(*kind), *name, *tip));
                    }
                )*
                tabs
            }

            /// The parameters of a run with these settings in a line, with the seed.
            pub fn describe(self, settings: &ExperimentSettings) -> String {
                let parameters = match self {
                    $( ExperimentKind::$variant(kind) => <$module::$family as FamilyExperiments>::describe(kind, &settings.$module), )*
                };
                format!("{parameters}, seed {}", settings.seed)
            }

            /// The controls of this experiment's settings.
            pub fn settings_ui(self, ui: &mut egui::Ui, settings: &mut ExperimentSettings) {
                match self {
                    $( ExperimentKind::$variant(kind) => <$module::$family as FamilyExperiments>::settings_ui(ui, kind, &mut settings.$module), )*
                }
            }
        }

        /// Runs one experiment to the end (or until `progress` says cancel) on the caller's thread,
        /// handing the results so far to `on_partial` after every point. The app runs this on its
        /// experiment thread; tests call it directly.
        pub fn run_experiment(
            kind: ExperimentKind,
            settings: &ExperimentSettings,
            progress: &mut dyn crate::progress::Progress,
            on_partial: &mut dyn FnMut(&ExperimentResult),
        ) -> Result<ExperimentResult, String> {
            match kind {
                $(
                    ExperimentKind::$variant(kind) => <$module::$family as FamilyExperiments>::run(
                        kind,
                        &settings.$module,
                        settings.seed,
                        progress,
                        &mut |r| on_partial(&ExperimentResult::$variant(r.clone())),
                    )
                    .map(ExperimentResult::$variant),
                )*
            }
        }

        impl ExperimentResult {
            /// Draws the result beside its theory, with the kept runs' curves.
            pub fn plot_ui(&self, ui: &mut egui::Ui, kept: &[crate::views::kept_runs::KeptRun], dark: bool) {
                match self { $( ExperimentResult::$variant(r) => <$module::$family as FamilyExperiments>::plot_ui(ui, r, kept, dark), )* }
            }

            /// The measured curves in the plot's coordinates.
            pub fn series(&self) -> Vec<crate::views::kept_runs::Series> {
                match self { $( ExperimentResult::$variant(r) => <$module::$family as FamilyExperiments>::series(r), )* }
            }

            /// The numbers behind the plot as CSV text.
            pub fn csv(&self) -> String {
                match self { $( ExperimentResult::$variant(r) => <$module::$family as FamilyExperiments>::csv(r), )* }
            }
        }
    };
}
