//! The command-line side of a family: its top-level subcommands (`engram hopfield ...`,
//! `engram neuron`, `engram network`, `engram rate ...`), flattened into `engram`'s own by the
//! registry so that a new family's commands need no line in `src/cli/`.

/// A family's headless subcommands.
pub trait FamilyCli {
    /// The family's top-level subcommands, a clap `Subcommand` enum (flattened into `engram`'s).
    type Cli: clap::Subcommand + std::fmt::Debug;

    /// Runs one of them: readable text by default, one JSON object on stdout with `--json`,
    /// progress on stderr.
    fn run_cli(command: Self::Cli) -> anyhow::Result<()>;
}

/// Generates the enum of every family's subcommands and its dispatch from the registry list.
macro_rules! registry_cli {
    ($( $(#[$doc:meta])* $variant:ident => $module:ident :: $family:ident ),* $(,)?) => {
        /// Every family's headless subcommands, flattened into `engram`'s.
        #[derive(Debug, clap::Subcommand)]
        pub enum FamilyCommand {
            $( #[command(flatten)] $variant(<$module::$family as FamilyCli>::Cli), )*
        }

        impl FamilyCommand {
            /// Runs the subcommand with the family it belongs to.
            pub fn run(self) -> anyhow::Result<()> {
                match self { $( FamilyCommand::$variant(c) => <$module::$family as FamilyCli>::run_cli(c), )* }
            }
        }
    };
}
