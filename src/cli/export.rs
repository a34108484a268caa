//! `engram export SCENE-OR-SESSION --to nest DIR`: a spiking network as a bundle NEST runs (see
//! [`crate::families::spiking::bundle`]).

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::engine::SceneSetup;
use crate::families::Scene;
use crate::families::spiking::SpikingScene;
use crate::families::spiking::bundle::{BundleSource, write_bundle};

/// Flags of `engram export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "SOURCE is a built-in spiking scenario (engram run --list), a scenario file or a session file \
(.engram: the network as it was saved, learned weights included). The bundle holds network.json, the synapse \
table as .npy, the initial potentials, run_nest.py and a README with the commands: \
python3 DIR/run_nest.py --threads 4, or mpirun -np 2 python3 DIR/run_nest.py."
)]
pub struct ExportArgs {
    /// Built-in scenario, scenario file or session file.
    pub source: PathBuf,
    /// The simulator to export for (nest).
    #[arg(long, value_parser = parse_target)]
    pub to: Target,
    /// The bundle directory to write (must not exist, unless --force).
    pub dir: PathBuf,
    /// Replace an existing directory.
    #[arg(long)]
    pub force: bool,
    /// Seed of the network (a scenario's own by default; a session keeps its network).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of neurons (a scenario's preset scaled; default: the scenario's).
    #[arg(long)]
    pub n: Option<usize>,
    /// Recurrent inputs per excitatory neuron, kept whatever --n is (see `engram network --help`).
    #[arg(long)]
    pub k: Option<usize>,
    /// Simulated time the bundle runs, in ms (default: the scenario's).
    #[arg(long)]
    pub duration_ms: Option<f64>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// A simulator engram exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// NEST 3 (PyNEST).
    Nest,
}

fn parse_target(text: &str) -> Result<Target, String> {
    match text {
        "nest" => Ok(Target::Nest),
        other => Err(format!("cannot export to `{other}` (engram exports to nest)")),
    }
}

/// Runs `engram export`.
pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let Target::Nest = args.to;
    let is_session = args.source.extension().is_some_and(|e| e == "engram");
    let (scene, label, duration_ms) = if is_session {
        if args.seed.is_some() || args.n.is_some() || args.k.is_some() {
            bail!("--seed, --n and --k apply to scenarios; a session keeps the network it saved");
        }
        let (scene, _) = crate::session::open_scene(&args.source)?;
        let Scene::Spiking(scene) = scene else {
            bail!(
                "{} holds a {} scene; only spiking networks export to NEST",
                args.source.display(),
                scene.family_id()
            );
        };
        (*scene, args.source.display().to_string(), 1000.0)
    } else {
        let mut scenario = super::run::load(&args.source)?;
        if let Some(seed) = args.seed {
            scenario.scene.set_seed(seed);
        }
        let SceneSetup::Spiking(setup) = &mut scenario.scene else {
            bail!(
                "{} is a {} scenario; only spiking networks export to NEST",
                args.source.display(),
                scenario.scene.family_id()
            );
        };
        if args.n.is_some() {
            setup.n_neurons = args.n;
        }
        if args.k.is_some() {
            setup.in_degree = args.k;
        }
        let scene = SpikingScene::build(setup.clone()).map_err(anyhow::Error::msg)?;
        (
            scene,
            args.source.display().to_string(),
            scenario.duration.unwrap_or(1000.0),
        )
    };
    let duration_ms = args.duration_ms.unwrap_or(duration_ms);
    if !(duration_ms > 0.0 && duration_ms.is_finite()) {
        bail!("--duration-ms must be > 0, not {duration_ms}");
    }
    let network = scene.network();
    let from = BundleSource {
        scenario: label,
        seed: scene.setup().seed,
        duration_ms,
    };
    let summary = write_bundle(network, &from, &args.dir, args.force)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("export to {}", args.dir.display()))?;
    crate::cli::print_report(args.json, &summary, || {
        format!(
            "wrote {} ({} neurons, {} synapses, {}): run it with python3 {}/run_nest.py --threads 4\n",
            summary.dir.display(),
            summary.neurons,
            summary.synapses,
            crate::output::byte_size(summary.bytes),
            summary.dir.display()
        )
    })
}
