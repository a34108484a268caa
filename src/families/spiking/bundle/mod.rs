//! A network bundle: a spiking network written out for another simulator (NEST) and read back.
//!
//! Layout of a bundle directory:
//! - `network.json`: format `engram-network`, its version, engram's version, the scenario, seed,
//!   step, duration, delay, synapse model and time constants, the populations with their neuron
//!   parameters, drive and NEST mapping, the wiring rule and synapse count, STDP, and under
//!   `engram` the exact parameters engram rebuilds from;
//! - `synapses/source.npy`, `synapses/target.npy` (u32, engram indices from 0: NEST id = index + 1),
//!   `synapses/weight_mv.npy` (f32, signed, exactly as engram applies them: the jump of V for delta
//!   synapses, of g for exponential ones), `synapses/weight_factor.npy` (f32, engram's own factor,
//!   for an exact rebuild), `synapses/plastic.npy` (u8, 1 where STDP acts);
//! - `initial_v_mv.npy` (f32): the membrane potentials to start from;
//! - `run_nest.py` (see [`nest`]) and `README.txt` with the commands.
//!
//! The bundle starts from the network's current potentials and weights; synaptic currents,
//! refractory counters and spikes in flight are not carried (a fresh network has none).
//! Written into a temporary directory and renamed into place, so a failed export leaves nothing.

pub mod job;
pub mod nest;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::model::{
    Connectivity, Network, NetworkParams, NeuronModel, PopulationKind, StdpParams, SynapseModel,
};
use crate::recording::io::{read_npy_1d, write_npy_1d};

/// The format name in `network.json`.
pub const FORMAT: &str = "engram-network";
/// The format version this engram writes and reads.
pub const VERSION: u64 = 1;
/// Membrane capacitance given to NEST neurons, in pF (engram's units cancel it; any value works).
pub const NEST_C_M_PF: f64 = 250.0;

/// Where a bundle's network came from.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleSource {
    /// Scenario name or file, or session file.
    pub scenario: String,
    /// Seed of the network.
    pub seed: u64,
    /// Simulated time to run, in ms.
    pub duration_ms: f64,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BundleSummary {
    /// The bundle directory.
    pub dir: PathBuf,
    /// Neurons.
    pub neurons: usize,
    /// Synapses.
    pub synapses: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// The NEST model of a population, or why it has none.
fn nest_model(params: &NetworkParams, model: NeuronModel, population: &str) -> Result<&'static str, String> {
    match (model, params.synapse) {
        (NeuronModel::Lif, SynapseModel::Delta) => Ok("iaf_psc_delta"),
        (NeuronModel::Lif, SynapseModel::Exponential { .. }) => Ok("iaf_psc_exp"),
        (NeuronModel::Eif { .. }, _) | (NeuronModel::Adex { .. }, _) => Err(format!(
            "population {population} is EIF/AdEx: engram's exponential neurons use the network's units \
             (V jumps, no capacitance) and are not exported to NEST; only LIF populations are"
        )),
    }
}

/// pA of NEST current per mV of engram's g (exponential synapses) or constant input, for a neuron
/// of membrane time `tau_m_ms`: engram's τ_m dV/dt = … + g is NEST's C_m dV/dt = … + I with
/// I = g C_m/τ_m.
fn pa_per_mv(tau_m_ms: f64) -> f64 {
    NEST_C_M_PF / tau_m_ms
}

/// The populations as `network.json` describes them, with their NEST models and parameters.
fn populations_json(network: &Network) -> Result<Vec<Value>, String> {
    let params = network.params();
    network
        .populations()
        .iter()
        .zip(&params.populations)
        .map(|(info, p)| {
            let n = &p.neuron;
            let model = nest_model(params, n.model, &p.name)?;
            let mut nest_params = json!({
                "C_m": NEST_C_M_PF,
                "tau_m": n.tau_m_ms,
                "E_L": n.v_rest_mv,
                "V_th": n.v_threshold_mv,
                "V_reset": n.v_reset_mv,
                "t_ref": n.tau_ref_ms,
                "I_e": p.drive.current_mv * pa_per_mv(n.tau_m_ms),
            });
            if let SynapseModel::Exponential { tau_e_ms, tau_i_ms } = params.synapse {
                nest_params["tau_syn_ex"] = json!(tau_e_ms);
                nest_params["tau_syn_in"] = json!(tau_i_ms);
            }
            // Poisson drive: K sources at rate ν are one Poisson source at K ν.
            let poisson_weight = match params.synapse {
                SynapseModel::Delta => p.drive.poisson_weight_mv,
                SynapseModel::Exponential { .. } => p.drive.poisson_weight_mv * pa_per_mv(n.tau_m_ms),
            };
            Ok(json!({
                "name": p.name,
                "kind": match p.kind { PopulationKind::Excitatory => "excitatory", PopulationKind::Inhibitory => "inhibitory" },
                "first": info.start,
                "size": info.len,
                "neuron": {
                    "model": "lif",
                    "tau_m_ms": n.tau_m_ms,
                    "v_rest_mv": n.v_rest_mv,
                    "v_threshold_mv": n.v_threshold_mv,
                    "v_reset_mv": n.v_reset_mv,
                    "tau_ref_ms": n.tau_ref_ms,
                },
                "drive": {
                    "current_mv": p.drive.current_mv,
                    "noise_mv": p.drive.noise_mv,
                    "poisson_sources": p.drive.poisson_sources,
                    "poisson_rate_hz": p.drive.poisson_rate_hz,
                    "poisson_weight_mv": p.drive.poisson_weight_mv,
                },
                "nest_model": model,
                "nest_params": nest_params,
                "nest_drive": {
                    "poisson_rate_hz": p.drive.poisson_sources as f64 * p.drive.poisson_rate_hz,
                    "poisson_weight": poisson_weight,
                    // White noise σ (Brunel's convention) as a piecewise-constant current of standard
                    // deviation C_m σ / √(τ_m dt), redrawn every step.
                    "noise_std_pa": p.drive.noise_mv * NEST_C_M_PF / (n.tau_m_ms * params.dt_ms).sqrt(),
                    "weight_pa_per_mv": match params.synapse {
                        SynapseModel::Delta => 1.0,
                        SynapseModel::Exponential { .. } => pa_per_mv(n.tau_m_ms),
                    },
                },
            }))
        })
        .collect()
}

/// The synapse table in engram's row order: (source, target, weight factor).
fn synapse_table(network: &Network) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
    let n = network.n_neurons();
    let mut source = Vec::with_capacity(network.n_synapses());
    let mut target = Vec::with_capacity(network.n_synapses());
    let mut factor = Vec::with_capacity(network.n_synapses());
    for i in 0..n {
        for (t, w) in network.synapses_of(i) {
            source.push(i as u32);
            target.push(t);
            factor.push(w);
        }
    }
    (source, target, factor)
}

/// Writes the bundle of `network` into `dir` (which must not exist, unless `replace`).
pub fn write_bundle(
    network: &Network,
    from: &BundleSource,
    dir: &Path,
    replace: bool,
) -> Result<BundleSummary, String> {
    write_bundle_with_progress(network, from, dir, replace, &mut |_| {})
}

/// [`write_bundle`], telling `progress` the fraction written (0 to 1) as each table is done.
pub fn write_bundle_with_progress(
    network: &Network,
    from: &BundleSource,
    dir: &Path,
    replace: bool,
    progress: &mut dyn FnMut(f64),
) -> Result<BundleSummary, String> {
    if dir.exists() && !replace {
        return Err(format!(
            "{} exists: choose another directory or pass --force to replace it",
            dir.display()
        ));
    }
    let params = network.params();
    if params.global_inhibition_mv != 0.0 {
        return Err(
            "this network has global inhibition (a spiking memory), which NEST has no synapse for".into(),
        );
    }
    let populations = populations_json(network)?;
    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    let result = write_into(network, from, &partial, populations, progress);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(e);
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("could not replace {}: {e}", dir.display()))?;
    }
    std::fs::rename(&partial, dir)
        .map_err(|e| format!("could not move the bundle to {}: {e}", dir.display()))?;
    Ok(BundleSummary {
        dir: dir.to_path_buf(),
        neurons: network.n_neurons(),
        synapses: network.n_synapses(),
        bytes: directory_bytes(dir),
    })
}

fn directory_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        directory_bytes(&path)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn write_into(
    network: &Network,
    from: &BundleSource,
    dir: &Path,
    populations: Vec<Value>,
    progress: &mut dyn FnMut(f64),
) -> Result<(), String> {
    let params = network.params();
    let synapses_dir = dir.join("synapses");
    std::fs::create_dir_all(&synapses_dir)
        .map_err(|e| format!("could not create {}: {e}", synapses_dir.display()))?;
    progress(0.0);
    let (source, target, factor) = synapse_table(network);
    progress(0.2);
    let kinds: Vec<PopulationKind> = network
        .populations()
        .iter()
        .flat_map(|p| std::iter::repeat_n(p.kind, p.len))
        .collect();
    let weight_mv: Vec<f32> = source
        .iter()
        .zip(&factor)
        .map(|(&s, &f)| {
            let j = match kinds[s as usize] {
                PopulationKind::Excitatory => params.j_exc_mv as f32,
                PopulationKind::Inhibitory => params.j_inh_mv as f32,
            };
            j * f
        })
        .collect();
    let stdp = network.stdp_params();
    let plastic: Vec<u8> = source
        .iter()
        .zip(&target)
        .map(|(&s, &t)| {
            u8::from(
                stdp.is_some()
                    && kinds[s as usize] == PopulationKind::Excitatory
                    && kinds[t as usize] == PopulationKind::Excitatory,
            )
        })
        .collect();
    let write_err = |e: crate::recording::io::RecordError| e.to_string();
    progress(0.3);
    write_npy_1d(&synapses_dir.join("source.npy"), &source).map_err(write_err)?;
    progress(0.45);
    write_npy_1d(&synapses_dir.join("target.npy"), &target).map_err(write_err)?;
    progress(0.6);
    write_npy_1d(&synapses_dir.join("weight_mv.npy"), &weight_mv).map_err(write_err)?;
    progress(0.75);
    write_npy_1d(&synapses_dir.join("weight_factor.npy"), &factor).map_err(write_err)?;
    progress(0.9);
    write_npy_1d(&synapses_dir.join("plastic.npy"), &plastic).map_err(write_err)?;
    write_npy_1d(&dir.join("initial_v_mv.npy"), network.v_mv()).map_err(write_err)?;
    progress(0.97);
    let connectivity = match network.connectivity() {
        Connectivity::Probability(p) => json!({"rule": "probability", "p_post_pre": p}),
        Connectivity::FixedInDegree(k) => json!({"rule": "fixed_in_degree", "k_post_pre": k}),
        Connectivity::Explicit(_) => json!({"rule": "explicit"}),
    };
    let synapse = match params.synapse {
        SynapseModel::Delta => json!({"model": "delta"}),
        SynapseModel::Exponential { tau_e_ms, tau_i_ms } => {
            json!({"model": "exponential", "tau_e_ms": tau_e_ms, "tau_i_ms": tau_i_ms})
        }
    };
    let description = json!({
        "format": FORMAT,
        "version": VERSION,
        "engram_version": env!("CARGO_PKG_VERSION"),
        "scenario": from.scenario,
        "seed": from.seed,
        "dt_ms": params.dt_ms,
        "duration_ms": from.duration_ms,
        "delay_ms": params.delay_ms,
        "synapse": synapse,
        "j_exc_mv": params.j_exc_mv,
        "j_inh_mv": params.j_inh_mv,
        "neurons": network.n_neurons(),
        "populations": populations,
        "connectivity": connectivity,
        "synapses": {
            "count": source.len(),
            "files": ["synapses/source.npy", "synapses/target.npy", "synapses/weight_mv.npy", "synapses/weight_factor.npy", "synapses/plastic.npy"],
            "weight_mv": "signed, as engram applies it: the jump of V (delta synapses) or of g (exponential synapses, NEST pA = mV × C_m/τ_m of the target)",
        },
        "stdp": stdp.map(|s| json!({
            "a_plus": s.a_plus, "a_minus": s.a_minus, "tau_plus_ms": s.tau_plus_ms,
            "tau_minus_ms": s.tau_minus_ms, "w_max_factor": s.w_max,
            "nest": "stdp_synapse, additive (mu_plus = mu_minus = 0), lambda = a_plus / w_max, alpha = a_minus / a_plus, Wmax = w_max × J_E; approximate: engram's traces saturate differently",
        })),
        "nest_mapping": "LIF with delta synapses → iaf_psc_delta (V jumps by the weight in mV; input during the refractory period is lost in both); current-based exponential synapses → iaf_psc_exp (weights in pA = mV × C_m/τ_m); Poisson drive → one poisson_generator per population at K·ν; white noise → noise_generator; EIF/AdEx populations are not exported. NEST id = engram index + 1.",
        "engram": {
            "params": params,
            "stdp": stdp,
        },
    });
    let text = serde_json::to_string_pretty(&description).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("network.json"), text)
        .map_err(|e| format!("could not write network.json: {e}"))?;
    std::fs::write(dir.join("run_nest.py"), nest::RUN_NEST_PY)
        .map_err(|e| format!("could not write run_nest.py: {e}"))?;
    std::fs::write(dir.join("run_brian2.py"), nest::RUN_BRIAN2_PY)
        .map_err(|e| format!("could not write run_brian2.py: {e}"))?;
    std::fs::write(
        dir.join("README.txt"),
        nest::readme(from, network.n_neurons(), source.len()),
    )
    .map_err(|e| format!("could not write README.txt: {e}"))?;
    Ok(())
}

/// What a bundle says about itself besides the network.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleInfo {
    /// Scenario or session it came from.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Duration to run, in ms.
    pub duration_ms: f64,
}

/// Rebuilds engram's network from a bundle: the exact parameters, the synapse table with engram's
/// weight factors, the initial potentials and the seed (so the drive's random streams are the
/// original's and the spikes identical).
pub fn read_bundle(dir: &Path) -> Result<(Network, BundleInfo), String> {
    let path = dir.join("network.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if value["format"] != FORMAT {
        return Err(format!(
            "{}: not an {FORMAT} file (format {})",
            path.display(),
            value["format"]
        ));
    }
    if value["version"].as_u64() != Some(VERSION) {
        return Err(format!(
            "{}: version {} is not the {VERSION} this engram reads",
            path.display(),
            value["version"]
        ));
    }
    let params: NetworkParams = serde_json::from_value(value["engram"]["params"].clone())
        .map_err(|e| format!("{}: engram.params: {e}", path.display()))?;
    let stdp: Option<StdpParams> = serde_json::from_value(value["engram"]["stdp"].clone())
        .map_err(|e| format!("{}: engram.stdp: {e}", path.display()))?;
    let seed = value["seed"]
        .as_u64()
        .ok_or_else(|| format!("{}: no seed", path.display()))?;
    let info = BundleInfo {
        scenario: value["scenario"].as_str().unwrap_or("").to_string(),
        seed,
        duration_ms: value["duration_ms"].as_f64().unwrap_or(1000.0),
    };
    let synapses = dir.join("synapses");
    let source: Vec<u32> = read_npy_1d(&synapses.join("source.npy"))?;
    let target: Vec<u32> = read_npy_1d(&synapses.join("target.npy"))?;
    let factor: Vec<f32> = read_npy_1d(&synapses.join("weight_factor.npy"))?;
    if source.len() != target.len() || source.len() != factor.len() {
        return Err(format!(
            "{}: source, target and weight_factor hold {}, {} and {} synapses",
            synapses.display(),
            source.len(),
            target.len(),
            factor.len()
        ));
    }
    let v0: Vec<f32> = read_npy_1d(&dir.join("initial_v_mv.npy"))?;
    let n = params.n_neurons();
    if v0.len() != n {
        return Err(format!(
            "{}: {} potentials for {n} neurons",
            dir.join("initial_v_mv.npy").display(),
            v0.len()
        ));
    }
    if let Some(bad) = factor.iter().position(|w| !w.is_finite()) {
        return Err(format!(
            "{}: weight factor {bad} is not a number",
            synapses.display()
        ));
    }
    let list = source
        .into_iter()
        .zip(target)
        .zip(factor)
        .map(|((s, t), w)| (s, t, w))
        .collect();
    let mut network = Network::new(
        params,
        Connectivity::Explicit(list),
        |i, _| f64::from(v0[i]),
        seed,
    )
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    if stdp.is_some() {
        network
            .set_stdp(stdp)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok((network, info))
}
