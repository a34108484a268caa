//! The PyNEST script a bundle carries and its README.

use super::BundleSource;

/// `run_nest.py`: runs the bundle with NEST 3 (threads, MPI ranks, arrays or rules).
pub const RUN_NEST_PY: &str = include_str!("run_nest.py");

/// `run_brian2.py`: runs the bundle with Brian2 on one machine, from the same arrays.
pub const RUN_BRIAN2_PY: &str = include_str!("run_brian2.py");

/// The bundle's README.txt: what it holds and the three commands.
pub fn readme(from: &BundleSource, neurons: usize, synapses: usize) -> String {
    format!(
        "engram network bundle ({format} version {version}), from {scenario} (seed {seed})\n\
         {neurons} neurons, {synapses} synapses, {duration} ms to run.\n\n\
         network.json        parameters, populations, their NEST models and the mapping\n\
         synapses/*.npy      source, target (engram index; NEST id = index + 1), weight_mv, weight_factor, plastic\n\
         initial_v_mv.npy    membrane potentials to start from\n\
         run_nest.py         runs it with NEST 3\n\
         run_brian2.py       runs it with Brian2 (one machine)\n\n\
         Install NEST: pip install nest-simulator (MPI needs a NEST built with -Dwith-mpi=ON).\n\n\
         Run with NEST (threads, or MPI ranks):\n\
         \x20   python3 run_nest.py --threads 4\n\
         \x20   mpirun -np 2 python3 run_nest.py --threads 2\n\
         Open the spikes in engram:\n\
         \x20   engram import nest_out\n\
         Or with Brian2 (pip install brian2), whose spikes engram opens the same way:\n\
         \x20   python3 run_brian2.py && engram import brian2_out/spikes.csv\n",
        format = super::FORMAT,
        version = super::VERSION,
        scenario = from.scenario,
        seed = from.seed,
        duration = from.duration_ms,
    )
}
