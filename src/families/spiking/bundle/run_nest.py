#!/usr/bin/env python3
"""Run an engram network bundle with NEST (PyNEST 3).

Written by engram's `export --to nest`. Creates the populations in engram's order (NEST id =
engram index + 1), sets V_m from initial_v_mv.npy, connects the synapse table (or draws the
wiring by NEST's own rules with --connect rules), drives each population with one Poisson
generator (and a noise generator where engram has white noise), records every spike to ASCII
files and writes run.json. Works under `mpirun -np R python3 run_nest.py`: each rank sets only
the nodes it owns and the counts in run.json are summed over ranks.
"""

import argparse
import json
import os
import time

import numpy as np
import nest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="threads per process")
    parser.add_argument("--duration-ms", type=float, default=None, help="simulated time (default: the bundle's)")
    parser.add_argument("--connect", choices=["arrays", "rules"], default="arrays",
                        help="arrays: exactly engram's synapses; rules: NEST draws the wiring in parallel (huge networks)")
    parser.add_argument("--chunk", type=int, default=5_000_000, help="synapses connected per call")
    parser.add_argument("--out", default=os.path.join(HERE, "nest_out"), help="directory of the spike files and run.json")
    args = parser.parse_args()

    with open(os.path.join(HERE, "network.json")) as f:
        net = json.load(f)
    if net.get("format") != "engram-network":
        raise SystemExit("network.json is not an engram-network bundle")
    duration = args.duration_ms if args.duration_ms is not None else net["duration_ms"]
    dt = net["dt_ms"]
    os.makedirs(args.out, exist_ok=True)

    nest.ResetKernel()
    nest.SetKernelStatus({
        "resolution": dt,
        "local_num_threads": args.threads,
        "rng_seed": int(net["seed"]) % (2**31 - 1) + 1,
        "data_path": args.out,
        "overwrite_files": True,
    })

    populations = []
    for pop in net["populations"]:
        nodes = nest.Create(pop["nest_model"], pop["size"], params=pop["nest_params"])
        populations.append(nodes)
    everything = populations[0]
    for nodes in populations[1:]:
        everything = everything + nodes

    # Each rank may set only the nodes it owns.
    v0 = np.load(os.path.join(HERE, "initial_v_mv.npy"))
    local = nest.GetLocalNodeCollection(everything)
    if len(local) > 0:
        ids = np.array(local.tolist()) - 1
        local.set({"V_m": v0[ids].astype(float).tolist()})

    delay = max(net["delay_ms"], dt)
    # Weight conversion per target neuron (pA per mV for exponential synapses, 1 for delta).
    factor = np.concatenate([np.full(p["size"], p["nest_drive"]["weight_pa_per_mv"]) for p in net["populations"]])
    started = time.time()
    if args.connect == "arrays":
        source = np.load(os.path.join(HERE, "synapses", "source.npy"))
        target = np.load(os.path.join(HERE, "synapses", "target.npy"))
        weight = np.load(os.path.join(HERE, "synapses", "weight_mv.npy")).astype(float)
        plastic = np.load(os.path.join(HERE, "synapses", "plastic.npy")).astype(bool)
        weight = weight * factor[target]
        stdp = net.get("stdp")
        for start in range(0, len(source), args.chunk):
            end = min(start + args.chunk, len(source))
            for mask, model in ((~plastic[start:end], "static_synapse"), (plastic[start:end], "stdp_synapse")):
                if not mask.any():
                    continue
                syn = {"synapse_model": model, "weight": weight[start:end][mask], "delay": np.full(mask.sum(), delay)}
                if model == "stdp_synapse":
                    j_e = net["j_exc_mv"] * factor[target[start:end][mask]].max()
                    syn.update({
                        "tau_plus": stdp["tau_plus_ms"],
                        "lambda": stdp["a_plus"] / stdp["w_max_factor"],
                        "alpha": stdp["a_minus"] / stdp["a_plus"],
                        "mu_plus": 0.0,
                        "mu_minus": 0.0,
                        "Wmax": stdp["w_max_factor"] * j_e,
                    })
                nest.Connect(source[start:end][mask] + 1, target[start:end][mask] + 1,
                             conn_spec="one_to_one", syn_spec=syn)
    else:
        rule = net["connectivity"]
        for a, post in enumerate(populations):
            for b, pre in enumerate(populations):
                kind = net["populations"][b]["kind"]
                j = net["j_exc_mv"] if kind == "excitatory" else net["j_inh_mv"]
                w = j * net["populations"][a]["nest_drive"]["weight_pa_per_mv"]
                if rule["rule"] == "probability":
                    p = rule["p_post_pre"][a][b]
                    if p > 0:
                        nest.Connect(pre, post, {"rule": "pairwise_bernoulli", "p": p, "allow_autapses": False},
                                     {"weight": w, "delay": delay})
                elif rule["rule"] == "fixed_in_degree":
                    k = rule["k_post_pre"][a][b]
                    if k > 0:
                        nest.Connect(pre, post, {"rule": "fixed_indegree", "indegree": k, "allow_autapses": False},
                                     {"weight": w, "delay": delay})
                else:
                    raise SystemExit("an explicit wiring has no rule: use --connect arrays")
    connect_s = time.time() - started

    for pop, nodes in zip(net["populations"], populations):
        drive = pop["nest_drive"]
        if drive["poisson_rate_hz"] > 0 and drive["poisson_weight"] != 0:
            generator = nest.Create("poisson_generator", params={"rate": drive["poisson_rate_hz"]})
            nest.Connect(generator, nodes, syn_spec={"weight": drive["poisson_weight"], "delay": dt})
        if drive["noise_std_pa"] > 0:
            noise = nest.Create("noise_generator", params={"mean": 0.0, "std": drive["noise_std_pa"], "dt": dt})
            nest.Connect(noise, nodes, syn_spec={"delay": dt})

    recorder = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "spikes"})
    nest.Connect(everything, recorder)

    started = time.time()
    nest.Simulate(duration)
    simulate_s = time.time() - started

    status = nest.GetKernelStatus()
    local_connections = status.get("local_num_connections", status.get("num_connections", 0))
    processes = nest.NumProcesses()
    connections = local_connections
    if processes > 1:
        try:
            from mpi4py import MPI
            connections = MPI.COMM_WORLD.allreduce(local_connections)
        except ImportError:
            connections = None
    if nest.Rank() == 0:
        run = {
            "nest_version": nest.__version__,
            "processes": processes,
            "threads": args.threads,
            "virtual_processes": status["total_num_virtual_procs"],
            "duration_ms": duration,
            "dt_ms": dt,
            "connect": args.connect,
            "n_connections": connections,
            "connect_s": connect_s,
            "simulate_s": simulate_s,
            "spike_files": "spikes-*.dat, one per virtual process",
        }
        with open(os.path.join(args.out, "run.json"), "w") as f:
            json.dump(run, f, indent=2)
        print(f"NEST {nest.__version__}: {duration} ms in {simulate_s:.2f} s on {processes} process{'' if processes == 1 else 'es'} × {args.threads} thread{'' if args.threads == 1 else 's'}; spikes in {args.out}")


if __name__ == "__main__":
    main()
