//! The macro that turns the list of families into the enums the engine, sessions, recordings,
//! scenarios, headless runs and the app use. Each enum has one variant per family, named like it;
//! the variant names are also the keys of session files (format 1), so they never change.

/// Generates the family enums and their dispatch from `Variant => path::Family` lines.
macro_rules! registry {
    ($( $(#[$doc:meta])* $variant:ident => $module:ident :: $family:ident ),* $(,)?) => {
        // The family paths are passed on as `ty` fragments: serde's derives lose the module of a
        // path pasted from two `ident` fragments.
        registry!(@types $( $(#[$doc])* $variant => $module::$family ),*);
    };
    (@types $( $(#[$doc:meta])* $variant:ident => $family:ty ),*) => {
        /// A scene the engine can run: the setup of one family (the `[scene]` table of a scenario,
        /// tagged by `model`).
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "model", rename_all = "kebab-case")]
        pub enum SceneSetup {
            $( $(#[$doc])* $variant(<$family as Family>::Setup), )*
        }

        /// A command for the running scene, addressed to its family.
        #[derive(Debug, Clone)]
        pub enum SceneCommand {
            $( $(#[$doc])* $variant(<$family as Family>::Command), )*
        }

        $(
            impl From<<$family as Family>::Command> for SceneCommand {
                fn from(command: <$family as Family>::Command) -> Self {
                    SceneCommand::$variant(command)
                }
            }
        )*

        /// A scene's description, sent when it is (re)built or changes structure.
        #[derive(Debug, Clone)]
        pub enum SceneInfo {
            $( $(#[$doc])* $variant(Box<<$family as Family>::Info>), )*
        }

        /// A scene's data since the previous snapshot.
        #[derive(Debug, Clone)]
        pub enum SceneFrame {
            $( $(#[$doc])* $variant(<$family as Family>::Frame), )*
        }

        /// A scene captured for a session file: enough to continue the run exactly.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum SceneState {
            $( $(#[$doc])* $variant(Box<<$family as Family>::Saved>), )*
        }

        /// What a headless run of a scene reports (serialised as `{"hopfield": {...}}` and so on).
        #[derive(Debug, Clone, serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum SceneReport {
            $( $(#[$doc])* $variant(<$family as Family>::Report), )*
        }

        /// The model the engine runs, with its probes.
        pub enum Scene {
            $( $(#[$doc])* $variant(Box<<$family as Family>::Scene>), )*
        }

        /// What a headless run accumulates from the frames of a scene.
        pub enum SceneSummary {
            $( $(#[$doc])* $variant(<$family as Family>::Summary), )*
        }

        /// The files a recording of a scene writes.
        pub enum SceneRecord {
            $( $(#[$doc])* $variant(Box<<$family as Family>::Record>), )*
        }

        /// The `model` keys of every family, in registry order.
        pub const FAMILY_IDS: &[&str] = &[$( <$family as Family>::ID, )*];

        /// The scenarios every family ships, `(name, TOML text)`, in registry order.
        pub fn builtin_scenario_texts() -> Vec<(&'static str, &'static str)> {
            let mut texts = Vec::new();
            $( texts.extend_from_slice(<$family as Family>::SCENARIOS); )*
            texts
        }

        impl SceneSetup {
            /// Every family's small example setup, in registry order ([`Family::example_setup`]).
            pub fn examples() -> Vec<SceneSetup> {
                vec![$( SceneSetup::$variant(<$family as Family>::example_setup()), )*]
            }

            /// Checks the setup's values (the family names the key that is wrong).
            pub fn validate(&self) -> Result<(), String> {
                match self { $( SceneSetup::$variant(s) => <$family as Family>::validate_setup(s), )* }
            }

            /// The family's `model` key.
            pub fn family_id(&self) -> &'static str {
                match self { $( SceneSetup::$variant(_) => <$family as Family>::ID, )* }
            }

            /// Whether the family carries out a timeline action (checked when a scenario is read,
            /// so that a wrong action is refused before the run rather than at its time).
            pub fn check_action(&self, action: &Action) -> Result<(), String> {
                match self { $( SceneSetup::$variant(_) => <$family as Family>::action(&action.read::<<$family as Family>::Verb>(<$family as Family>::ID)?).map(|_| ()), )* }
            }

            /// A timeline action described in the family's words (as written if it has no such action).
            pub fn describe_action(&self, action: &Action) -> String {
                match self { $( SceneSetup::$variant(_) => action.describe_as::<<$family as Family>::Verb>(), )* }
            }

            /// The seed of every random choice in the scene.
            pub fn seed(&self) -> u64 {
                match self { $( SceneSetup::$variant(s) => <$family as Family>::seed(s), )* }
            }

            /// Replaces the seed.
            pub fn set_seed(&mut self, seed: u64) {
                match self { $( SceneSetup::$variant(s) => <$family as Family>::set_seed(s, seed), )* }
            }

            /// Unit of simulated time ("sweeps", "ms").
            pub fn time_unit(&self) -> &'static str {
                match self { $( SceneSetup::$variant(_) => <$family as Family>::TIME_UNIT, )* }
            }

            /// How long a headless run lasts when nothing says otherwise, in [`Self::time_unit`].
            pub fn default_duration(&self) -> f64 {
                match self { $( SceneSetup::$variant(_) => <$family as Family>::DEFAULT_DURATION, )* }
            }
        }

        impl SceneReport {
            /// The report as readable lines.
            pub fn text(&self) -> String {
                match self { $( SceneReport::$variant(r) => <$family as Family>::report_text(r), )* }
            }
        }

        impl SceneCommand {
            /// False for commands that only change what is shown.
            pub fn changes_the_run(&self) -> bool {
                match self { $( SceneCommand::$variant(c) => <$family as Family>::changes_the_run(c), )* }
            }

            /// The `model` key of the family the command is for.
            pub fn family_id(&self) -> &'static str {
                match self { $( SceneCommand::$variant(_) => <$family as Family>::ID, )* }
            }
        }

        impl SceneInfo {
            /// The `model` key of the family described.
            pub fn family_id(&self) -> &'static str {
                match self { $( SceneInfo::$variant(_) => <$family as Family>::ID, )* }
            }
        }

        impl SceneState {
            /// The `model` key of the saved scene's family.
            pub fn family_id(&self) -> &'static str {
                match self { $( SceneState::$variant(_) => <$family as Family>::ID, )* }
            }

            /// Seed, size, patterns and plasticity of the saved scene.
            pub fn summary(&self) -> SavedSummary {
                match self { $( SceneState::$variant(s) => <$family as Family>::saved_summary(s), )* }
            }

            /// Simulated time of the saved scene and its unit.
            pub fn time(&self) -> (f64, &'static str) {
                match self {
                    $( SceneState::$variant(s) => (<$family as Family>::saved_time(s), <$family as Family>::TIME_UNIT), )*
                }
            }
        }

        impl Scene {
            /// Builds the scene a setup describes.
            pub fn build(setup: &SceneSetup) -> Result<Self, String> {
                Self::build_with_limits(setup, &EngineLimits::default())
            }

            /// Builds the scene a setup describes, within the engine's memory budgets.
            pub fn build_with_limits(setup: &SceneSetup, limits: &EngineLimits) -> Result<Self, String> {
                Ok(match setup {
                    $( SceneSetup::$variant(s) => Scene::$variant(Box::new(<$family as Family>::build(s, limits)?)), )*
                })
            }

            /// Rebuilds a scene from a session's capture, checking every value; it continues the saved run exactly.
            pub fn restore_session(state: SceneState) -> Result<Self, String> {
                Self::restore_with_limits(state, &EngineLimits::default())
            }

            /// Like [`Self::restore_session`], within the engine's memory budgets.
            pub fn restore_with_limits(state: SceneState, limits: &EngineLimits) -> Result<Self, String> {
                Ok(match state {
                    $( SceneState::$variant(s) => Scene::$variant(Box::new(<$family as Family>::restore(*s, limits)?)), )*
                })
            }

            /// Captures the scene for a session file.
            pub fn save_session(&self) -> SceneState {
                match self { $( Scene::$variant(s) => SceneState::$variant(Box::new(<<$family as Family>::Scene as FamilyScene<$family>>::save(s))), )* }
            }

            /// The `model` key of the scene's family.
            pub fn family_id(&self) -> &'static str {
                match self { $( Scene::$variant(_) => <$family as Family>::ID, )* }
            }

            /// The setup a Reset rebuilds: the one the scene was built from, with its current live settings.
            pub fn setup(&self) -> SceneSetup {
                match self { $( Scene::$variant(s) => SceneSetup::$variant(<<$family as Family>::Scene as FamilyScene<$family>>::setup(s)), )* }
            }

            /// Simulated time in the scene's unit.
            pub fn sim_time(&self) -> f64 {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::sim_time(s), )* }
            }

            /// Unit of simulated time ("sweeps", "ms").
            pub fn time_unit(&self) -> &'static str {
                match self { $( Scene::$variant(_) => <$family as Family>::TIME_UNIT, )* }
            }

            /// Steps (single-neuron updates or dt steps) per unit of simulated time.
            pub fn steps_per_unit(&self) -> f64 {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::steps_per_unit(s), )* }
            }

            /// Steps that make one press of "Step": one unit of simulated time (a sweep, 1 ms).
            pub fn single_step(&self) -> u64 {
                self.steps_per_unit().round().max(1.0) as u64
            }

            /// Advances by `steps` steps.
            pub fn advance(&mut self, steps: u64) -> Result<(), String> {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::advance(s, steps), )* }
            }

            /// Applies a command; a command for another family is an error naming both.
            pub fn apply(&mut self, command: &SceneCommand) -> Result<Option<String>, String> {
                match (self, command) {
                    $( (Scene::$variant(s), SceneCommand::$variant(c)) => <<$family as Family>::Scene as FamilyScene<$family>>::apply(s, c), )*
                    #[allow(unreachable_patterns)]
                    (scene, command) => Err(format!(
                        "a {} command cannot change a {} scene",
                        command.family_id(),
                        scene.family_id()
                    )),
                }
            }

            /// Carries out a timeline action, or says why the scene's family cannot.
            pub fn apply_action(&mut self, action: &Action) -> Result<Option<String>, String> {
                match self {
                    $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::apply(s, &<$family as Family>::action(&action.read::<<$family as Family>::Verb>(<$family as Family>::ID)?)?), )*
                }
            }

            /// A timeline action described in the family's words (as written if it has no such action).
            pub fn describe_action(&self, action: &Action) -> String {
                match self { $( Scene::$variant(_) => action.describe_as::<<$family as Family>::Verb>(), )* }
            }

            /// The scene description, if it changed.
            pub fn take_info(&mut self) -> Option<SceneInfo> {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::take_info(s).map(|i| SceneInfo::$variant(Box::new(i))), )* }
            }

            /// The data produced since the last call.
            pub fn take_frame(&mut self) -> SceneFrame {
                match self { $( Scene::$variant(s) => SceneFrame::$variant(<<$family as Family>::Scene as FamilyScene<$family>>::take_frame(s)), )* }
            }

            /// Spikes dropped because nobody read them.
            pub fn thinned_spikes(&self) -> u64 {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::thinned_spikes(s), )* }
            }

            /// Lets the scene step on up to `threads` threads.
            pub fn set_threads(&mut self, threads: usize) {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::set_threads(s, threads), )* }
            }

            /// True while the scene works on its own thread (an export).
            pub fn working_in_background(&self) -> bool {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::working_in_background(s), )* }
            }

            /// True when the scene cannot go on (a replay at its end).
            pub fn finished(&self) -> bool {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::finished(s), )* }
            }

            /// Threads the scene steps on.
            pub fn threads_active(&self) -> usize {
                match self { $( Scene::$variant(s) => <<$family as Family>::Scene as FamilyScene<$family>>::threads_active(s), )* }
            }
        }

        impl SceneSummary {
            /// An empty summary for a scene of this family.
            pub fn for_scene(scene: &Scene) -> Self {
                match scene { $( Scene::$variant(_) => SceneSummary::$variant(Default::default()), )* }
            }

            /// Adds a frame (frames of another family are ignored: they cannot arrive in one run).
            pub fn take(&mut self, frame: &SceneFrame) {
                match (self, frame) {
                    $( (SceneSummary::$variant(summary), SceneFrame::$variant(f)) => <$family as Family>::summarize(summary, f), )*
                    #[allow(unreachable_patterns)]
                    _ => {}
                }
            }

            /// The report of a run that ended with `info` and `scene`.
            pub fn report(self, info: &SceneInfo, scene: &Scene) -> Result<SceneReport, String> {
                match (self, info, scene) {
                    $( (SceneSummary::$variant(summary), SceneInfo::$variant(info), Scene::$variant(scene)) =>
                        Ok(SceneReport::$variant(<$family as Family>::report(summary, info, scene))), )*
                    #[allow(unreachable_patterns)]
                    _ => Err("the scene changed family during the run".into()),
                }
            }
        }

        impl SceneRecord {
            /// Opens the files for the scene `info` describes.
            pub fn create(
                dir: &std::path::Path,
                info: &SceneInfo,
                files: &mut crate::recording::io::FileIndex,
            ) -> Result<Self, crate::recording::io::RecordError> {
                Ok(match info {
                    $( SceneInfo::$variant(info) => SceneRecord::$variant(Box::new(
                        <<$family as Family>::Record as FamilyRecord<$family>>::create(dir, info, files)?,
                    )), )*
                })
            }

            /// A new description of the same scene; false when it belongs to another family.
            pub fn info(
                &mut self,
                dir: &std::path::Path,
                info: &SceneInfo,
                files: &mut crate::recording::io::FileIndex,
            ) -> Result<bool, crate::recording::io::RecordError> {
                match (self, info) {
                    $( (SceneRecord::$variant(record), SceneInfo::$variant(info)) => {
                        record.info(dir, info, files)?;
                        Ok(true)
                    } )*
                    #[allow(unreachable_patterns)]
                    _ => Ok(false),
                }
            }

            /// Appends a frame; false when it belongs to another family.
            pub fn frame(&mut self, frame: &SceneFrame, sim_time: f64) -> Result<bool, crate::recording::io::RecordError> {
                match (self, frame) {
                    $( (SceneRecord::$variant(record), SceneFrame::$variant(frame)) => {
                        record.frame(frame, sim_time)?;
                        Ok(true)
                    } )*
                    #[allow(unreachable_patterns)]
                    _ => Ok(false),
                }
            }

            /// Closes the files.
            pub fn finish(
                self,
                dir: &std::path::Path,
                files: &mut crate::recording::io::FileIndex,
            ) -> Result<(), crate::recording::io::RecordError> {
                match self { $( SceneRecord::$variant(record) => (*record).finish(dir, files), )* }
            }

            /// The scene as `metadata.json` describes it.
            pub fn describe(info: &SceneInfo) -> serde_json::Value {
                match info {
                    $( SceneInfo::$variant(info) =>
                        <<$family as Family>::Record as FamilyRecord<$family>>::describe(info), )*
                }
            }
        }
    };
}

/// Generates the app-side enums (`SceneData`, `SceneControls`) and their dispatch from the same list.
macro_rules! registry_ui {
    ($( $(#[$doc:meta])* $variant:ident => $module:ident :: $family:ident ),* $(,)?) => {
        /// What the app keeps of the running scene: histories and the views' state.
        pub enum SceneData {
            $( $(#[$doc])* $variant(Box<<$module::$family as FamilyUi>::Data>), )*
        }

        /// The controls' own state for the scene in the app's settings.
        pub enum SceneControls {
            $( $(#[$doc])* $variant(Box<<$module::$family as FamilyUi>::Controls>), )*
        }

        /// What a frame of views and controls asks of the app shell.
        #[derive(Default)]
        pub struct UiRequests {
            /// Commands for the running scene.
            pub commands: Vec<SceneCommand>,
            /// A new setup to build.
            pub load: Option<SceneSetup>,
            /// A notice for the status bar.
            pub notice: Option<String>,
        }

        impl UiRequests {
            fn take<F: Family>(cx: UiCx<'_, F>, wrap_command: impl Fn(F::Command) -> SceneCommand, wrap_setup: impl Fn(F::Setup) -> SceneSetup) -> Self {
                Self {
                    commands: cx.commands.into_iter().map(wrap_command).collect(),
                    load: cx.load.map(wrap_setup),
                    notice: cx.notice,
                }
            }
        }

        impl SceneData {
            /// Empty histories for the scene `info` describes.
            pub fn new(info: SceneInfo, dark: bool) -> Self {
                match info {
                    $( SceneInfo::$variant(info) => SceneData::$variant(Box::new(<$module::$family as FamilyUi>::data(*info, dark))), )*
                }
            }

            /// A new description: the same family keeps what still fits, another family starts afresh.
            pub fn set_info(&mut self, info: SceneInfo, dark: bool) {
                match (&mut *self, info) {
                    $( (SceneData::$variant(data), SceneInfo::$variant(info)) => <$module::$family as FamilyUi>::set_info(data, *info, dark), )*
                    #[allow(unreachable_patterns)]
                    (_, info) => *self = Self::new(info, dark),
                }
            }

            /// Appends a frame of the same family (others are ignored: a new info comes first).
            pub fn push(&mut self, frame: SceneFrame, dark: bool) {
                match (self, frame) {
                    $( (SceneData::$variant(data), SceneFrame::$variant(frame)) => <$module::$family as FamilyUi>::push(data, frame, dark), )*
                    #[allow(unreachable_patterns)]
                    _ => {}
                }
            }

            /// The theme changed.
            pub fn restyle(&mut self, dark: bool) {
                match self { $( SceneData::$variant(data) => <$module::$family as FamilyUi>::restyle(data, dark), )* }
            }

            /// The latest description of the scene.
            pub fn info(&self) -> SceneInfo {
                match self { $( SceneData::$variant(data) => SceneInfo::$variant(Box::new(<$module::$family as FamilyUi>::info(data))), )* }
            }

            /// The setup the scene runs now.
            pub fn live_setup(&self) -> SceneSetup {
                match self { $( SceneData::$variant(data) => SceneSetup::$variant(<$module::$family as FamilyUi>::live_setup(data)), )* }
            }

            /// The `model` key of the scene's family.
            pub fn family_id(&self) -> &'static str {
                match self { $( SceneData::$variant(_) => <$module::$family as Family>::ID, )* }
            }
        }

        impl SceneControls {
            /// Controls for a scene built from `setup`.
            pub fn new(setup: &SceneSetup) -> Self {
                match setup {
                    $( SceneSetup::$variant(s) => SceneControls::$variant(Box::new(<$module::$family as FamilyUi>::controls(s))), )*
                }
            }

            /// The control panel; `data` is the running scene's, if it is of the same family.
            pub fn controls_ui(
                &mut self,
                ui: &mut egui::Ui,
                setup: &SceneSetup,
                data: Option<&SceneData>,
                dark: bool,
                cue_flip: &mut f64,
            ) -> UiRequests {
                if !self.fits(setup) {
                    *self = Self::new(setup);
                }
                match (self, setup) {
                    $( (SceneControls::$variant(controls), SceneSetup::$variant(setup)) => {
                        let data = match data {
                            Some(SceneData::$variant(data)) => Some(&**data),
                            _ => None,
                        };
                        let mut cx = UiCx::<$module::$family>::new(dark, cue_flip);
                        <$module::$family as FamilyUi>::controls_ui(ui, &mut cx, controls, setup, data);
                        UiRequests::take(cx, SceneCommand::$variant, SceneSetup::$variant)
                    } )*
                    #[allow(unreachable_patterns)]
                    _ => UiRequests::default(),
                }
            }

            /// The central views of the running scene (nothing when `data` is of another family).
            pub fn views_ui(&mut self, ui: &mut egui::Ui, data: &mut SceneData, dark: bool, cue_flip: &mut f64) -> UiRequests {
                match (self, data) {
                    $( (SceneControls::$variant(controls), SceneData::$variant(data)) => {
                        let mut cx = UiCx::<$module::$family>::new(dark, cue_flip);
                        <$module::$family as FamilyUi>::views_ui(ui, &mut cx, controls, data);
                        UiRequests::take(cx, SceneCommand::$variant, SceneSetup::$variant)
                    } )*
                    #[allow(unreachable_patterns)]
                    _ => UiRequests::default(),
                }
            }

            /// True when these controls are of the setup's family.
            pub fn fits(&self, setup: &SceneSetup) -> bool {
                match (self, setup) {
                    $( (SceneControls::$variant(_), SceneSetup::$variant(_)) => true, )*
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }
        }

        /// The cue corruption a preset sets for the app's shared cue slider, if it sets one.
        pub fn preset_cue_flip(setup: &SceneSetup) -> Option<f64> {
            match setup { $( SceneSetup::$variant(s) => <$module::$family as FamilyUi>::preset_cue_flip(s), )* }
        }

        /// The speed slider of the setup's family.
        pub fn speed_scale(setup: &SceneSetup) -> SpeedScale {
            match setup { $( SceneSetup::$variant(_) => <$module::$family as FamilyUi>::SPEED, )* }
        }
    };
}
