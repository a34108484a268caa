//! The published networks engram ships: CUBA, Brunel's asynchronous-irregular and
//! synchronous-regular states, and an E/I network with cell-type-specific connection probabilities.

use rand::RngExt;

use super::SpikingError;
use super::network::{
    Connectivity, ExternalDrive, Network, NetworkParams, PopulationKind, PopulationParams, SynapseModel,
};
use super::neuron::NeuronParams;

/// A network preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// Vogels & Abbott (2005) CUBA benchmark, as Brian2's example: 4000 neurons, p = 0.02.
    Cuba,
    /// Brunel (2000) model A, g = 5, ν_ext/ν_thr = 2: asynchronous irregular.
    BrunelAi,
    /// Brunel (2000) model A, g = 3, ν_ext/ν_thr = 2: synchronous regular.
    BrunelSr,
    /// E/I network with p_EE 0.16, p_EI 0.244, p_IE 0.318, p_II 0.343 (p_post,pre: p_EI is I → E).
    Ei,
    /// Unconnected neurons driven by white noise: half LIF, half EIF (the single-neuron scene).
    Neurons,
    /// Unconnected AdEx neurons (Naud et al.'s adapting cell) under a constant drive and weak noise.
    Adex,
    /// A spiking attractor memory storing patterns through the Hopfield weights (letters A, H, S by default).
    Memory,
    /// A spiking memory that stores nothing yet and learns presented patterns by STDP.
    StdpMemory,
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Preset::Cuba => "cuba",
            Preset::BrunelAi => "brunel-ai",
            Preset::BrunelSr => "brunel-sr",
            Preset::Ei => "ei",
            Preset::Neurons => "neurons",
            Preset::Adex => "adex",
            Preset::Memory => "memory",
            Preset::StdpMemory => "stdp-memory",
        })
    }
}

impl std::str::FromStr for Preset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cuba" => Ok(Preset::Cuba),
            "brunel-ai" => Ok(Preset::BrunelAi),
            "brunel-sr" => Ok(Preset::BrunelSr),
            "ei" => Ok(Preset::Ei),
            "neurons" => Ok(Preset::Neurons),
            "adex" => Ok(Preset::Adex),
            "memory" => Ok(Preset::Memory),
            "stdp-memory" => Ok(Preset::StdpMemory),
            other => Err(format!(
                "unknown preset `{other}` (choose cuba, brunel-ai, brunel-sr, ei, neurons, adex, memory or stdp-memory)"
            )),
        }
    }
}

impl Preset {
    /// The preset's default number of neurons.
    pub fn default_size(&self) -> usize {
        match self {
            Preset::Cuba => 4000,
            Preset::BrunelAi | Preset::BrunelSr => 12_500,
            Preset::Ei => 2000,
            Preset::Neurons => 200,
            Preset::Adex => 100,
            // 16 × 16 letters, an on and an off pool of 4 neurons per pixel.
            Preset::Memory | Preset::StdpMemory => 2048,
        }
    }

    /// The recurrent inputs per excitatory neuron of this preset at `n` neurons with its own
    /// probabilities (None when it has no random recurrent wiring).
    pub fn natural_in_degree(&self, n: usize) -> Option<f64> {
        let (n_e, n_i) = split(n);
        preset_in_degree(*self, n_e, n_i)
    }

    /// True for the spiking memories, whose size follows from their patterns.
    pub fn is_memory(&self) -> bool {
        matches!(self, Preset::Memory | Preset::StdpMemory)
    }
}

/// CUBA's connection probability (Vogels & Abbott 2005): 80 inputs per neuron at N = 4,000.
const CUBA_P: f64 = 0.02;
/// Brunel's connection fraction ε: each neuron has C = ε N_pop inputs from every population.
const BRUNEL_EPSILON: f64 = 0.1;
/// The E/I preset's connection probabilities (post, pre): E←E, E←I; I←E, I←I.
#[allow(clippy::approx_constant)] // 0.318 is a measured probability, not 1/π.
const EI_P: [[f64; 2]; 2] = [[0.16, 0.244], [0.318, 0.343]];

/// The recurrent inputs per excitatory neuron of a preset's wiring at N_E + N_I neurons
/// (None for presets without random recurrent wiring).
fn preset_in_degree(preset: Preset, n_e: usize, n_i: usize) -> Option<f64> {
    let (n_e, n_i) = (n_e as f64, n_i as f64);
    match preset {
        Preset::Cuba => Some(CUBA_P * (n_e + n_i)),
        Preset::BrunelAi | Preset::BrunelSr => Some(BRUNEL_EPSILON * (n_e + n_i)),
        Preset::Ei => Some(EI_P[0][0] * n_e + EI_P[0][1] * n_i),
        Preset::Neurons | Preset::Adex | Preset::Memory | Preset::StdpMemory => None,
    }
}

/// The factor that takes a preset's probabilities at this size to `in_degree` inputs per
/// excitatory neuron (1 without one); an in-degree the populations cannot give is refused.
fn in_degree_scale(
    preset: Preset,
    n_e: usize,
    n_i: usize,
    in_degree: Option<usize>,
) -> Result<f64, SpikingError> {
    let Some(k) = in_degree else { return Ok(1.0) };
    let Some(natural) = preset_in_degree(preset, n_e, n_i) else {
        return Err(SpikingError::Params(format!(
            "the {preset} preset has no random recurrent wiring, so an in-degree (--k) does not apply to it"
        )));
    };
    if k == 0 {
        return Err(SpikingError::Params("the in-degree K must be at least 1".into()));
    }
    let scale = k as f64 / natural;
    let largest_p = match preset {
        Preset::Cuba => CUBA_P,
        Preset::Ei => EI_P.iter().flatten().copied().fold(0.0, f64::max),
        _ => BRUNEL_EPSILON,
    } * scale;
    if largest_p > 1.0 {
        return Err(SpikingError::Params(format!(
            "an in-degree of {k} is more than {} neurons can give the {preset} preset (it would need a connection probability of {largest_p:.2}); use more neurons or a smaller K",
            n_e + n_i
        )));
    }
    Ok(scale)
}

/// Brunel (2000) model A constants.
const BRUNEL_J_MV: f64 = 0.1;
const BRUNEL_THETA_MV: f64 = 20.0;
const BRUNEL_TAU_MS: f64 = 20.0;

/// Brunel's model-A populations: LIF neurons (θ 20 mV, V_r 10 mV, τ_m 20 ms, 2 ms refractory),
/// delta synapses J and −gJ with a 1.5 ms delay, and Poisson drive from `c_ext` sources each at
/// η × ν_thr, where ν_thr = θ / (J c_ext τ_m) is the rate that brings the mean input to threshold.
fn model_a(n_e: usize, n_i: usize, j_mv: f64, g: f64, c_ext: f64, eta: f64) -> NetworkParams {
    let nu_thr_hz = BRUNEL_THETA_MV / (j_mv * c_ext * BRUNEL_TAU_MS) * 1000.0;
    let drive = ExternalDrive {
        poisson_sources: c_ext.round() as usize,
        poisson_rate_hz: eta * nu_thr_hz,
        poisson_weight_mv: j_mv,
        ..ExternalDrive::default()
    };
    let neuron = NeuronParams::default();
    NetworkParams {
        dt_ms: 0.1,
        delay_ms: 1.5,
        synapse: SynapseModel::Delta,
        j_exc_mv: j_mv,
        j_inh_mv: -g * j_mv,
        global_inhibition_mv: 0.0,
        populations: vec![
            population("E", PopulationKind::Excitatory, n_e, neuron, drive),
            population("I", PopulationKind::Inhibitory, n_i, neuron, drive),
        ],
    }
}

fn split(n: usize) -> (usize, usize) {
    let n_e = (n as f64 * 0.8).round() as usize;
    (n_e, n - n_e)
}

fn population(
    name: &str,
    kind: PopulationKind,
    size: usize,
    neuron: NeuronParams,
    drive: ExternalDrive,
) -> PopulationParams {
    PopulationParams {
        name: name.into(),
        kind,
        size,
        neuron,
        drive,
    }
}

impl Network {
    /// Builds a preset with `n_neurons` (None: the preset's size), seeded. Its connection
    /// probabilities stay the preset's, so the in-degree grows with N (see [`Network::from_preset_scaled`]).
    pub fn from_preset(preset: Preset, n_neurons: Option<usize>, seed: u64) -> Result<Network, SpikingError> {
        Network::from_preset_scaled(preset, n_neurons, None, seed)
    }

    /// Builds a preset with `n_neurons` and, when `in_degree` is given, that many recurrent inputs
    /// per excitatory neuron (K): probabilities (or Brunel's fixed in-degrees) and the external drive
    /// that depends on them are rescaled so that every neuron sees the inputs of the preset at K, whatever N.
    pub fn from_preset_scaled(
        preset: Preset,
        n_neurons: Option<usize>,
        in_degree: Option<usize>,
        seed: u64,
    ) -> Result<Network, SpikingError> {
        let n = n_neurons.unwrap_or_else(|| preset.default_size());
        if n < 10 {
            return Err(SpikingError::Params(format!(
                "a network preset needs at least 10 neurons, not {n}"
            )));
        }
        if n > 2_000_000 {
            return Err(SpikingError::Params(format!(
                "{n} neurons is more than engram builds (at most 2,000,000)"
            )));
        }
        let (n_e, n_i) = split(n);
        let scale = in_degree_scale(preset, n_e, n_i, in_degree)?;
        match preset {
            Preset::Memory | Preset::StdpMemory => {
                let letters = crate::hopfield::PatternSet::builtin("letters")
                    .and_then(|set| set.select(&["A", "H", "S"].map(String::from)))
                    .map_err(|e| SpikingError::Params(e.to_string()))?;
                let params = super::MemoryParams::default();
                let built = if preset == Preset::Memory {
                    super::SpikingMemory::build(letters, params, seed)
                } else {
                    super::SpikingMemory::build_learning(letters, params, seed)
                };
                built.map(|(network, _)| network)
            }
            Preset::Cuba => {
                let neuron = NeuronParams {
                    tau_m_ms: 20.0,
                    v_rest_mv: -49.0,
                    v_threshold_mv: -50.0,
                    v_reset_mv: -60.0,
                    tau_ref_ms: 5.0,
                    ..NeuronParams::default()
                };
                let params = NetworkParams {
                    dt_ms: 0.1,
                    delay_ms: 0.1,
                    synapse: SynapseModel::Exponential {
                        tau_e_ms: 5.0,
                        tau_i_ms: 10.0,
                    },
                    j_exc_mv: 1.62,
                    j_inh_mv: -9.0,
                    global_inhibition_mv: 0.0,
                    populations: vec![
                        population(
                            "E",
                            PopulationKind::Excitatory,
                            n_e,
                            neuron,
                            ExternalDrive::default(),
                        ),
                        population(
                            "I",
                            PopulationKind::Inhibitory,
                            n_i,
                            neuron,
                            ExternalDrive::default(),
                        ),
                    ],
                };
                let p = vec![vec![CUBA_P * scale; 2]; 2];
                Network::new(
                    params,
                    Connectivity::Probability(p),
                    |_, rng| -60.0 + 10.0 * rng.random::<f64>(),
                    seed,
                )
            }
            Preset::BrunelAi | Preset::BrunelSr => {
                let g = if preset == Preset::BrunelAi { 5.0 } else { 3.0 };
                let eta = 2.0;
                let c_e = ((BRUNEL_EPSILON * scale * n_e as f64).round() as usize).max(1);
                let c_i = ((BRUNEL_EPSILON * scale * n_i as f64).round() as usize).max(1);
                let params = model_a(n_e, n_i, BRUNEL_J_MV, g, c_e as f64, eta);
                let k = vec![vec![c_e, c_i], vec![c_e, c_i]];
                Network::new(
                    params,
                    Connectivity::FixedInDegree(k),
                    |_, rng| BRUNEL_THETA_MV * rng.random::<f64>(),
                    seed,
                )
            }
            Preset::Neurons => {
                // Two unconnected populations with the design doc's LIF and EIF and the same drive:
                // μ = 18 mV (below threshold) and σ = 4 mV, so noise alone makes them fire.
                let drive = ExternalDrive {
                    current_mv: 18.0,
                    noise_mv: 4.0,
                    ..ExternalDrive::default()
                };
                let half = n / 2;
                let params = NetworkParams {
                    dt_ms: 0.05,
                    delay_ms: 0.05,
                    synapse: SynapseModel::Delta,
                    j_exc_mv: 0.0,
                    j_inh_mv: 0.0,
                    global_inhibition_mv: 0.0,
                    populations: vec![
                        population(
                            "LIF",
                            PopulationKind::Excitatory,
                            half,
                            NeuronParams::default(),
                            drive,
                        ),
                        population(
                            "EIF",
                            PopulationKind::Excitatory,
                            n - half,
                            NeuronParams::eif(),
                            drive,
                        ),
                    ],
                };
                let none = vec![vec![0.0; 2]; 2];
                Network::new(
                    params,
                    Connectivity::Probability(none),
                    |_, rng| 10.0 * rng.random::<f64>(),
                    seed,
                )
            }
            Preset::Adex => {
                // Naud et al.'s adapting neuron in the network's units, under their 500 pA step
                // (μ = 500 pA / 12 nS) with weak noise (σ = 2 mV) that spreads the neurons apart.
                let drive = ExternalDrive {
                    current_mv: 500.0 / 12.0,
                    noise_mv: 2.0,
                    ..ExternalDrive::default()
                };
                let params = NetworkParams {
                    dt_ms: 0.05,
                    delay_ms: 0.05,
                    synapse: SynapseModel::Delta,
                    j_exc_mv: 0.0,
                    j_inh_mv: 0.0,
                    global_inhibition_mv: 0.0,
                    populations: vec![population(
                        "AdEx",
                        PopulationKind::Excitatory,
                        n,
                        NeuronParams::adex(),
                        drive,
                    )],
                };
                Network::new(
                    params,
                    Connectivity::Probability(vec![vec![0.0]]),
                    |_, _| 0.0,
                    seed,
                )
            }
            Preset::Ei => {
                // Brunel-style delta synapses with the given probabilities (post, pre): E←E 0.16,
                // E←I 0.244, I←E 0.318, I←I 0.343; Poisson drive at twice the threshold rate of the E→E input.
                let params = model_a(n_e, n_i, 0.2, 4.0, EI_P[0][0] * scale * n_e as f64, 2.0);
                let p = EI_P
                    .iter()
                    .map(|row| row.iter().map(|p| p * scale).collect())
                    .collect();
                Network::new(
                    params,
                    Connectivity::Probability(p),
                    |_, rng| BRUNEL_THETA_MV * rng.random::<f64>(),
                    seed,
                )
            }
        }
    }
}
