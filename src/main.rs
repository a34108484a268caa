//! The engram binary: the desktop app without a subcommand, a headless run with one.

use clap::Parser;
use engram::cli::{self, Cli};

fn main() -> std::process::ExitCode {
    let launched = std::time::Instant::now();
    let parsed = Cli::parse();
    let result = match parsed.command {
        Some(command) => cli::run(command),
        None => engram::app::run(engram::app::Launch {
            scene: parsed.scene,
            play: parsed.play,
            experiments: parsed.experiments,
            threads: parsed.threads,
            launched,
        }),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
