#!/usr/bin/env python3
"""Run an engram network bundle with Brian2 (one machine: Brian2 does not distribute).

Written by engram's `export --to nest`, beside run_nest.py. Builds the same network from the same
arrays: one NeuronGroup per population in engram's order (Brian2 index = engram index), LIF in
engram's convention (tau_m dV/dt = V_rest - V + mu + I_syn, white noise sigma*sqrt(tau_m)*xi), delta
synapses (V jumps by the weight, lost during the refractory period) or current-based exponential
synapses (I jumps by the weight in mV), Poisson drive as PoissonInput, the synapse table with its
weights exactly as engram applies them, and the initial potentials. Records every spike to
brian2_out/spikes.csv (neuron,time_ms: `engram import` reads it) and writes run_brian2.json.
STDP is not mapped (the learned weights are exported as they are).
"""

import argparse
import json
import os
import time

import numpy as np
import brian2 as b2

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration-ms", type=float, default=None, help="simulated time (default: the bundle's)")
    parser.add_argument("--target", default="numpy", choices=["numpy", "cython"],
                        help="Brian2's code generation target (cython compiles once, then runs faster)")
    parser.add_argument("--out", default=os.path.join(HERE, "brian2_out"), help="directory of spikes.csv")
    args = parser.parse_args()

    with open(os.path.join(HERE, "network.json")) as f:
        net = json.load(f)
    if net.get("format") != "engram-network":
        raise SystemExit("network.json is not an engram-network bundle")
    duration = args.duration_ms if args.duration_ms is not None else net["duration_ms"]
    dt = net["dt_ms"]
    os.makedirs(args.out, exist_ok=True)

    b2.prefs.codegen.target = args.target
    b2.defaultclock.dt = dt * b2.ms
    b2.seed(int(net["seed"]))
    synapse = net["synapse"]
    exponential = synapse["model"] == "exponential"

    if exponential:
        equations = """
        dv/dt = (v_rest - v + mu + ge + gi) / tau_m + sigma * xi / sqrt(tau_m) : volt (unless refractory)
        dge/dt = -ge / tau_e : volt
        dgi/dt = -gi / tau_i : volt
        tau_m : second (constant)
        v_rest : volt (constant)
        v_th : volt (constant)
        v_reset : volt (constant)
        mu : volt (constant)
        sigma : volt (constant)
        tau_e : second (constant)
        tau_i : second (constant)
        """
    else:
        equations = """
        dv/dt = (v_rest - v + mu) / tau_m + sigma * xi / sqrt(tau_m) : volt (unless refractory)
        tau_m : second (constant)
        v_rest : volt (constant)
        v_th : volt (constant)
        v_reset : volt (constant)
        mu : volt (constant)
        sigma : volt (constant)
        """

    n = net["neurons"]
    groups = []
    for pop in net["populations"]:
        neuron = pop["neuron"]
        if neuron["model"] != "lif":
            raise SystemExit(f"population {pop['name']}: Brian2 runs LIF populations only")
        group = b2.NeuronGroup(pop["size"], equations, threshold="v > v_th", reset="v = v_reset",
                               refractory=neuron["tau_ref_ms"] * b2.ms, method="euler", name=f"pop_{pop['name']}")
        group.tau_m = neuron["tau_m_ms"] * b2.ms
        group.v_rest = neuron["v_rest_mv"] * b2.mV
        group.v_th = neuron["v_threshold_mv"] * b2.mV
        group.v_reset = neuron["v_reset_mv"] * b2.mV
        group.mu = pop["drive"]["current_mv"] * b2.mV
        group.sigma = pop["drive"]["noise_mv"] * b2.mV
        if exponential:
            group.tau_e = synapse["tau_e_ms"] * b2.ms
            group.tau_i = synapse["tau_i_ms"] * b2.ms
        groups.append(group)
    first = [pop["first"] for pop in net["populations"]]

    v0 = np.load(os.path.join(HERE, "initial_v_mv.npy")).astype(float)
    for pop, group in zip(net["populations"], groups):
        group.v = v0[pop["first"]:pop["first"] + pop["size"]] * b2.mV

    source = np.load(os.path.join(HERE, "synapses", "source.npy")).astype(np.int64)
    target = np.load(os.path.join(HERE, "synapses", "target.npy")).astype(np.int64)
    weight = np.load(os.path.join(HERE, "synapses", "weight_mv.npy")).astype(float)
    delay = max(net["delay_ms"], dt)
    started = time.time()
    synapse_groups = []
    bounds = np.array(first + [n])
    pre_of = np.searchsorted(bounds, source, side="right") - 1
    post_of = np.searchsorted(bounds, target, side="right") - 1
    for a, post in enumerate(groups):
        for b, pre in enumerate(groups):
            mask = (pre_of == b) & (post_of == a)
            if not mask.any():
                continue
            excitatory = net["populations"][b]["kind"] == "excitatory"
            if exponential:
                on_pre = "ge_post += w" if excitatory else "gi_post += w"
            else:
                on_pre = "v_post += w * int(not_refractory_post)"
            syn = b2.Synapses(pre, post, "w : volt (constant)", on_pre=on_pre, delay=delay * b2.ms,
                              name=f"syn_{net['populations'][b]['name']}_{net['populations'][a]['name']}")
            syn.connect(i=source[mask] - first[b], j=target[mask] - first[a])
            syn.w = weight[mask] * b2.mV
            synapse_groups.append(syn)
    inputs = []
    for pop, group in zip(net["populations"], groups):
        drive = pop["drive"]
        if drive["poisson_sources"] > 0 and drive["poisson_rate_hz"] > 0:
            variable = "ge" if exponential else "v"
            inputs.append(b2.PoissonInput(group, variable, N=drive["poisson_sources"],
                                          rate=drive["poisson_rate_hz"] * b2.Hz,
                                          weight=drive["poisson_weight_mv"] * b2.mV))
    monitors = [b2.SpikeMonitor(group) for group in groups]
    network = b2.Network(groups, synapse_groups, inputs, monitors)
    build_s = time.time() - started

    started = time.time()
    network.run(duration * b2.ms)
    simulate_s = time.time() - started

    neurons = np.concatenate([np.asarray(m.i) + f for m, f in zip(monitors, first)])
    times = np.concatenate([np.asarray(m.t / b2.ms) for m in monitors])
    order = np.argsort(times, kind="stable")
    # Brian2 stamps a spike at the start of its step, as engram does.
    with open(os.path.join(args.out, "spikes.csv"), "w") as f:
        f.write("neuron,time_ms\n")
        for i, t in zip(neurons[order], times[order]):
            f.write(f"{i},{t:.4f}\n")
    run = {
        "brian2_version": b2.__version__,
        "target": args.target,
        "duration_ms": duration,
        "dt_ms": dt,
        "synapses": int(len(source)),
        "build_s": build_s,
        "simulate_s": simulate_s,
        "spikes": int(len(neurons)),
    }
    with open(os.path.join(args.out, "run_brian2.json"), "w") as f:
        json.dump(run, f, indent=2)
    print(f"Brian2 {b2.__version__} ({args.target}): {duration} ms in {simulate_s:.2f} s, {len(neurons)} spikes; "
          f"spikes in {os.path.join(args.out, 'spikes.csv')}")


if __name__ == "__main__":
    main()
