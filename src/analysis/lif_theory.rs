//! Integrate-and-fire theory: f-I curves, the Siegert rate and CV, the Fokker-Planck density.
