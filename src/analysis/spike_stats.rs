//! Spike-train statistics: rates, ISI CV, Fano factor, correlations, synchrony.
