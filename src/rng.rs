//! The one seeded, portable random number generator used by every model.
//!
//! `Pcg64Mcg` gives the same stream on every platform and every release of `rand_pcg`,
//! so a seed reproduces a run exactly, in the app and headless.

use rand::SeedableRng;

/// The seeded random number generator every model and experiment uses.
pub type SimRng = rand_pcg::Pcg64Mcg;

/// A generator seeded from `seed`.
pub fn seeded(seed: u64) -> SimRng {
    SimRng::seed_from_u64(seed)
}

/// An independent generator for sub-stream `stream` of `seed` (one per trial, population, ...).
pub fn substream(seed: u64, stream: u64) -> SimRng {
    SimRng::seed_from_u64(derive_seed(seed, stream))
}

/// The seed of sub-stream `stream` of `seed`, for models that take a seed rather than a generator.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    // SplitMix64 finaliser decorrelates neighbouring (seed, stream) pairs.
    let mut z = seed ^ stream.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_seed_gives_same_stream() {
        let (mut a, mut b) = (seeded(7), seeded(7));
        for _ in 0..8 {
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }

    #[test]
    fn substreams_differ() {
        assert_ne!(substream(1, 0).random::<u64>(), substream(1, 1).random::<u64>());
    }
}
