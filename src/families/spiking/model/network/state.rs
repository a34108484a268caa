//! Save and restore: everything a network needs to continue exactly where it was.

use super::*;

/// The wiring rule in a saved network state; explicit synapses as three parallel arrays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ConnectivityState {
    /// See [`Connectivity::Probability`].
    Probability(Vec<Vec<f64>>),
    /// See [`Connectivity::FixedInDegree`].
    FixedInDegree(Vec<Vec<usize>>),
    /// See [`Connectivity::Explicit`]: presynaptic neurons, postsynaptic neurons and weight factors.
    Explicit {
        /// Presynaptic neuron of every synapse.
        #[serde(with = "crate::blob")]
        pre: Vec<u32>,
        /// Postsynaptic neuron of every synapse.
        #[serde(with = "crate::blob")]
        post: Vec<u32>,
        /// Weight factor of every synapse.
        #[serde(with = "crate::blob")]
        weight: Vec<f32>,
    },
}

/// STDP in a saved network state: its parameters and traces.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StdpState {
    /// The STDP parameters.
    pub params: StdpParams,
    /// Presynaptic trace of every neuron.
    #[serde(with = "crate::blob")]
    pub pre_trace: Vec<f32>,
    /// Postsynaptic trace of every neuron.
    #[serde(with = "crate::blob")]
    pub post_trace: Vec<f32>,
}

/// Everything a [`Network`] needs to continue exactly where it was, learned weights included
/// (see [`Network::save_state`]). Propagators and STDP's postsynaptic index are derived again on load.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkState {
    /// The parameters in use.
    pub params: NetworkParams,
    /// The wiring rule the synapses were drawn with.
    pub connectivity: ConnectivityState,
    /// Compressed rows: synapses of neuron i are `row_start[i]..row_start[i + 1]`.
    #[serde(with = "crate::blob")]
    pub row_start: Vec<u32>,
    /// Postsynaptic neuron of every synapse.
    #[serde(with = "crate::blob")]
    pub targets: Vec<u32>,
    /// Weight factor of every synapse (learned ones under STDP); none when every factor is 1.
    #[serde(with = "crate::blob")]
    pub weights: Vec<f32>,
    /// Membrane potentials, in mV.
    #[serde(with = "crate::blob")]
    pub v: Vec<f32>,
    /// Excitatory synaptic currents.
    #[serde(with = "crate::blob")]
    pub g_exc: Vec<f32>,
    /// Inhibitory synaptic currents.
    #[serde(with = "crate::blob")]
    pub g_inh: Vec<f32>,
    /// Refractory steps left per neuron.
    #[serde(with = "crate::blob")]
    pub refractory: Vec<u16>,
    /// Adaptation w of every neuron, in mV (empty in a state saved before AdEx: all zero).
    #[serde(default, with = "crate::blob")]
    pub adaptation: Vec<f32>,
    /// Excitatory input per delay slot (`slots × N`).
    #[serde(with = "crate::blob")]
    pub ring_exc: Vec<f32>,
    /// Inhibitory input per delay slot (`slots × N`).
    #[serde(with = "crate::blob")]
    pub ring_inh: Vec<f32>,
    /// Stimulus current per neuron, in mV.
    #[serde(with = "crate::blob")]
    pub stimulus_mv: Vec<f32>,
    /// Neurons that spiked in the last step.
    #[serde(with = "crate::blob")]
    pub last_spikes: Vec<u32>,
    /// Forced spikes waiting for the next step.
    #[serde(with = "crate::blob")]
    pub forced: Vec<u32>,
    /// Steps taken.
    pub steps: u64,
    /// Synaptic events so far.
    pub synaptic_events: u64,
    /// Spikes since the divergence check's window started.
    pub recent_spikes: u64,
    /// Step at which the divergence check's window started.
    pub recent_window_start: u64,
    /// The random streams of the noise and the Poisson drive, one per block of
    /// [`NEURONS_PER_STREAM`] neurons (a state saved before streams were per block has none: it
    /// continues with fresh streams).
    #[serde(default)]
    pub streams: Vec<SimRng>,
    /// STDP, when it is on.
    pub stdp: Option<StdpState>,
}

impl Network {
    /// Captures everything needed to continue this run exactly, learned weights included.
    pub fn save_state(&self) -> NetworkState {
        let connectivity = match &self.connectivity {
            Connectivity::Probability(p) => ConnectivityState::Probability(p.clone()),
            Connectivity::FixedInDegree(k) => ConnectivityState::FixedInDegree(k.clone()),
            Connectivity::Explicit(list) => ConnectivityState::Explicit {
                pre: list.iter().map(|s| s.0).collect(),
                post: list.iter().map(|s| s.1).collect(),
                weight: list.iter().map(|s| s.2).collect(),
            },
        };
        NetworkState {
            params: self.params.clone(),
            connectivity,
            row_start: self.row_start.clone(),
            targets: self.targets.to_vec(),
            weights: self.weights.clone(),
            v: self.v.clone(),
            g_exc: self.g_exc.clone(),
            g_inh: self.g_inh.clone(),
            refractory: self.refractory.clone(),
            adaptation: self.adaptation.clone(),
            ring_exc: self.ring_exc.clone(),
            ring_inh: self.ring_inh.clone(),
            stimulus_mv: self.stimulus_mv.clone(),
            last_spikes: self.spikes.clone(),
            forced: self.forced.clone(),
            steps: self.steps,
            synaptic_events: self.synaptic_events,
            recent_spikes: self.recent_spikes,
            recent_window_start: self.recent_window_start,
            streams: self.streams.clone(),
            stdp: self.stdp.as_ref().map(|p| StdpState {
                params: p.params,
                pre_trace: p.pre_trace.clone(),
                post_trace: p.post_trace.clone(),
            }),
        }
    }

    /// Rebuilds a network from a captured state, checking that every length fits and every value is finite.
    pub fn from_state(s: NetworkState) -> Result<Self, SpikingError> {
        s.params.validate()?;
        let bad = |m: String| Err(SpikingError::Params(format!("saved network: {m}")));
        let n = s.params.n_neurons();
        let slots = s.params.delay_steps() + 1;
        let populations = population_infos(&s.params);
        let count = populations.len();
        let connectivity = match s.connectivity {
            ConnectivityState::Probability(p) => Connectivity::Probability(p),
            ConnectivityState::FixedInDegree(k) => Connectivity::FixedInDegree(k),
            ConnectivityState::Explicit { pre, post, weight } => {
                if pre.len() != post.len() || pre.len() != weight.len() {
                    return bad("the explicit synapse lists differ in length".into());
                }
                if pre.iter().chain(&post).any(|&i| i as usize >= n) {
                    return bad(format!("an explicit synapse names a neuron beyond {n}"));
                }
                Connectivity::Explicit(
                    pre.into_iter()
                        .zip(post)
                        .zip(weight)
                        .map(|((a, b), w)| (a, b, w))
                        .collect(),
                )
            }
        };
        match &connectivity {
            Connectivity::Probability(p) if p.len() != count || p.iter().any(|r| r.len() != count) => {
                return bad(format!("the connection probabilities are not {count}×{count}"));
            }
            Connectivity::FixedInDegree(k) if k.len() != count || k.iter().any(|r| r.len() != count) => {
                return bad(format!("the in-degrees are not {count}×{count}"));
            }
            _ => {}
        }
        let synapses = s.targets.len();
        if s.row_start.len() != n + 1
            || s.row_start.first() != Some(&0)
            || s.row_start.windows(2).any(|w| w[0] > w[1])
            || s.row_start.last().map(|&x| x as usize) != Some(synapses)
        {
            return bad(format!(
                "the synapse rows do not describe {n} neurons and {synapses} synapses"
            ));
        }
        if !s.weights.is_empty() && s.weights.len() != synapses {
            return bad(format!("{} weights for {synapses} synapses", s.weights.len()));
        }
        if s.targets.iter().any(|&t| t as usize >= n) {
            return bad(format!("a synapse targets a neuron beyond {n}"));
        }
        if let Some(pre) = (0..n).find(|&i| {
            s.targets[s.row_start[i] as usize..s.row_start[i + 1] as usize]
                .windows(2)
                .any(|w| w[0] > w[1])
        }) {
            return bad(format!(
                "the synapses of neuron {pre} are not in ascending order of their targets"
            ));
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        if !finite(&s.weights) {
            return bad("a synaptic weight is not a finite number".into());
        }
        for (name, values, len) in [
            ("membrane potentials", &s.v, n),
            ("excitatory currents", &s.g_exc, n),
            ("inhibitory currents", &s.g_inh, n),
            ("stimulus currents", &s.stimulus_mv, n),
            ("excitatory delay buffer", &s.ring_exc, slots * n),
            ("inhibitory delay buffer", &s.ring_inh, slots * n),
        ] {
            if values.len() != len {
                return bad(format!("{} {name} for {len} slots", values.len()));
            }
            if !finite(values) {
                return bad(format!("the {name} hold a value that is not a finite number"));
            }
        }
        let adaptation = if s.adaptation.is_empty() {
            vec![0.0; n]
        } else {
            s.adaptation
        };
        if adaptation.len() != n || !finite(&adaptation) {
            return bad(format!(
                "{} adaptation values for {n} neurons, or one not finite",
                adaptation.len()
            ));
        }
        if s.refractory.len() != n {
            return bad(format!(
                "{} refractory counters for {n} neurons",
                s.refractory.len()
            ));
        }
        if s.last_spikes.iter().chain(&s.forced).any(|&i| i as usize >= n) {
            return bad(format!("a spike names a neuron beyond {n}"));
        }
        if s.recent_window_start > s.steps {
            return bad("the divergence window starts after the last step".into());
        }
        let blocks = n.div_ceil(NEURONS_PER_STREAM).max(1);
        let streams = match s.streams.len() {
            // Saved before the streams were per block: it continues with fresh ones.
            0 => block_streams(s.steps, n),
            len if len == blocks => s.streams,
            len => return bad(format!("{len} random streams for {blocks} blocks of neurons")),
        };
        let props = s
            .params
            .populations
            .iter()
            .map(|p| propagators(p, &s.params))
            .collect();
        let mut network = Self {
            props,
            params: s.params,
            connectivity,
            populations,
            row_start: s.row_start,
            targets: TargetIndices::new(s.targets, n),
            weights: s.weights,
            v: s.v,
            g_exc: s.g_exc,
            g_inh: s.g_inh,
            refractory: s.refractory,
            adaptation,
            ring_exc: s.ring_exc,
            ring_inh: s.ring_inh,
            slots,
            stimulus_active: s.stimulus_mv.iter().any(|&x| x != 0.0),
            stimulus_mv: s.stimulus_mv,
            spikes: s.last_spikes,
            steps: s.steps,
            synaptic_events: s.synaptic_events,
            streams,
            workers: Workers::single(n),
            thread_spikes: Vec::new(),
            phase_times: None,
            recent_spikes: s.recent_spikes,
            recent_window_start: s.recent_window_start,
            forced: s.forced,
            stdp: None,
        };
        if matches!(network.params.synapse, SynapseModel::Delta) {
            // Delta synapses read one slot for both signs; a state saved before that held
            // inhibitory input apart.
            let (exc, inh) = (&mut network.ring_exc, &mut network.ring_inh);
            for (e, i) in exc.iter_mut().zip(inh.iter_mut()) {
                *e += std::mem::take(i);
            }
        }
        if let Some(stdp) = s.stdp {
            if stdp.pre_trace.len() != n || stdp.post_trace.len() != n {
                return bad(format!("the STDP traces are not {n} values"));
            }
            if !finite(&stdp.pre_trace) || !finite(&stdp.post_trace) {
                return bad("an STDP trace is not a finite number".into());
            }
            network.set_stdp(Some(stdp.params))?;
            if let Some(plasticity) = network.stdp.as_mut() {
                plasticity.pre_trace = stdp.pre_trace;
                plasticity.post_trace = stdp.post_trace;
            }
        }
        Ok(network)
    }
}
