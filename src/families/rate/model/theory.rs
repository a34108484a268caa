//! Static mean-field theory of the network's fixed points, after Pereira & Brunel (2018), STAR
//! Methods, as implemented in the authors' code (`Capacity_vs_g/numerical/mft_curves/classes/`
//! `gaussian_integral.py`, `critical_del0_m.py`, `mft_curves.py`).
//!
//! For a sparsely connected network (c ≪ 1) retrieving pattern 1, with η = φ(ξ), ξ, z ~ N(0, 1)
//! independent, the field on a neuron is h = A f(η) q + √Δ0 z and
//!
//! ```text
//!   q  = E_ξ,z[ g(η) φ(A f(η) q + √Δ0 z) ]                      (signal: un-normalised overlap, Hz)
//!   Δ0 = α A² E[f(η)²] E[g(η)²] E_ξ,z[ φ(A f(η) q + √Δ0 z)² ]   (cross-talk noise of the P − 1 others)
//!   m  = q / √(E[g(η)²] Var(r)),  Var(r) = E[φ²] − E[φ]²         (the Pearson overlap, as the code)
//! ```
//!
//! with α = P/(cN). Along the retrieval branch the code fixes Δ0 and finds q by iteration, so
//! α(Δ0) = Δ0 / (γ E[φ²]) with γ = A² E[f²] E[g²]; the branch ends where the largest root q of the
//! first equation vanishes (a saddle-node in q), and the capacity α_c is α at that end
//! (`capacity_static_MFT`). engram does the same with a bracketing root finder for q (the
//! largest root, searched downwards) and a bisection on Δ0 for the end of the branch.
//!
//! Checked against the authors' own output (curves pickled in the repository): at the paper's
//! medians (A = 3.55) `Capacity_vs_g/.../bg_vs_cap.p` gives α_c ≈ 0.552 at β_g = β_f, and with
//! A = 3 × 3.55 (the chaotic-retrieval figure) `Dynamics/numeric/mft_curves/curves/overlap_mft.p`
//! gives m(α = 0.1) = 0.934 and a branch ending between α = 0.290 and 0.295.

use serde::Serialize;

use super::params::{Rule, Transfer, f_rule, g_rule, phi};
use super::quadrature::{self, composite, normal_cdf};

/// Below this fraction of its largest possible value, the signal q counts as zero (no retrieval).
const Q_FLOOR_FRACTION: f64 = 1e-3;
/// Relative step of the downward search for the largest root q.
const Q_SCAN_STEP: f64 = 0.02;
/// Relative growth of Δ0 between samples of the branch.
const DELTA_GROWTH: f64 = 1.2;
/// First Δ0 sampled.
const DELTA_START: f64 = 1e-3;
/// Bisections of Δ0 at the end of the branch and at a requested load.
const BISECTIONS: usize = 48;

/// One solution of the mean-field equations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanFieldPoint {
    /// Load α = P/(cN).
    pub alpha: f64,
    /// Cross-talk noise variance Δ0 of the field.
    pub delta0: f64,
    /// Un-normalised overlap q = E[g(η) r], in Hz.
    pub q_hz: f64,
    /// Overlap m (Pearson correlation of the rates with g(η)).
    pub overlap: f64,
    /// Mean rate E[r], in Hz.
    pub mean_rate_hz: f64,
    /// Second moment E[r²], in Hz².
    pub second_moment_hz2: f64,
    /// True on the retrieval branch, false for the background (q = 0) solution.
    pub retrieval: bool,
}

/// The mean-field equations for one transfer function and learning rule.
#[derive(Debug, Clone)]
pub struct MeanField {
    transfer: Transfer,
    amplitude: f64,
    /// Outer (pattern) quadrature: weight, A f(η), g(η) at each node ξ.
    nodes: Vec<(f64, f64, f64)>,
    /// Inner quadrature in z for moderate noise: node, weight (standard normal included).
    z_nodes: Vec<(f64, f64)>,
    /// Inner quadrature in x = β(h − h0) for strong noise: node, weight.
    x_nodes: Vec<(f64, f64)>,
    e_g2: f64,
    gamma: f64,
    q_max: f64,
}

impl MeanField {
    /// The equations for `transfer` and `rule` (which may be the step-function limit).
    pub fn new(transfer: &Transfer, rule: &Rule) -> Self {
        let outer = quadrature::gaussian_nodes(&rule.breakpoints(transfer));
        let nodes: Vec<(f64, f64, f64)> = outer
            .iter()
            .map(|&(xi, w)| {
                let eta = phi(xi, transfer);
                (w, rule.amplitude * f_rule(eta, rule), g_rule(eta, rule))
            })
            .collect();
        let e_f2: f64 = outer
            .iter()
            .map(|&(xi, w)| w * f_rule(phi(xi, transfer), rule).powi(2))
            .sum();
        let e_g2: f64 = nodes.iter().map(|&(w, _, g)| w * g * g).sum();
        let e_abs_g: f64 = nodes.iter().map(|&(w, _, g)| w * g.abs()).sum();
        let z_nodes = composite(-quadrature::GAUSS_RANGE, quadrature::GAUSS_RANGE, &[], 1.0)
            .into_iter()
            .map(|(z, w)| (z, w * quadrature::normal_pdf(z)))
            .collect();
        let x_nodes = composite(-24.0, 24.0, &[0.0], 3.0);
        Self {
            transfer: *transfer,
            amplitude: rule.amplitude,
            nodes,
            z_nodes,
            x_nodes,
            e_g2,
            gamma: rule.amplitude.powi(2) * e_f2 * e_g2,
            q_max: e_abs_g * transfer.r_max_hz,
        }
    }

    /// γ = A² E[f²] E[g²], so that Δ0 = α γ E[r²].
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// E[g(η)²].
    pub fn e_g2(&self) -> f64 {
        self.e_g2
    }

    /// (E_z[φ(a + σ z)], E_z[φ(a + σ z)²]) for z ~ N(0, 1).
    ///
    /// With β σ < 4 the logistic is smooth on the scale of z and a composite rule in z is used;
    /// beyond, φ is split into a step, whose Gaussian average is Φ((a − h0)/σ) exactly, and a
    /// remainder that decays like e^{−|x|} around x = β(h − h0) = 0, integrated in x.
    fn inner(&self, a: f64, sigma: f64) -> (f64, f64) {
        let t = &self.transfer;
        if t.gain * sigma < 4.0 {
            let (mut m1, mut m2) = (0.0, 0.0);
            for &(z, w) in &self.z_nodes {
                let r = phi(a + sigma * z, t);
                m1 += w * r;
                m2 += w * r * r;
            }
            return (m1, m2);
        }
        let sx = t.gain * sigma;
        let mx = t.gain * (a - t.threshold);
        let above = normal_cdf(mx / sx);
        let (mut r1, mut r2) = (0.0, 0.0);
        for &(x, w) in &self.x_nodes {
            let density = quadrature::normal_pdf((x - mx) / sx) / sx;
            if density == 0.0 {
                continue;
            }
            let l = 1.0 / (1.0 + (-x).exp());
            let (d1, d2) = if x > 0.0 {
                let tail = -1.0 / (1.0 + x.exp());
                (tail, tail * (l + 1.0))
            } else {
                (l, l * l)
            };
            r1 += w * density * d1;
            r2 += w * density * d2;
        }
        (t.r_max_hz * (above + r1), t.r_max_hz.powi(2) * (above + r2))
    }

    /// G(q) = E[g(η) φ(A f(η) q + √Δ0 z)].
    fn signal(&self, q: f64, delta0: f64) -> f64 {
        let sigma = delta0.sqrt();
        self.nodes
            .iter()
            .map(|&(w, af, g)| w * g * self.inner(af * q, sigma).0)
            .sum()
    }

    /// (q, E[r], E[r²], m) at signal `q` and noise `delta0`.
    fn moments(&self, q: f64, delta0: f64) -> (f64, f64, f64, f64) {
        let sigma = delta0.sqrt();
        let (mut gq, mut m1, mut m2) = (0.0, 0.0, 0.0);
        for &(w, af, g) in &self.nodes {
            let (r1, r2) = self.inner(af * q, sigma);
            gq += w * g * r1;
            m1 += w * r1;
            m2 += w * r2;
        }
        let var = (m2 - m1 * m1).max(0.0);
        let overlap = if var > 0.0 && self.e_g2 > 0.0 {
            gq / (self.e_g2 * var).sqrt()
        } else {
            0.0
        };
        (gq, m1, m2, overlap)
    }

    /// The largest root q of G(q) = q at noise `delta0`, searched downwards from `q_start`;
    /// `None` when none lies above the floor (only the background q = 0 remains).
    pub fn retrieval_q(&self, delta0: f64, q_start: f64) -> Option<f64> {
        let floor = Q_FLOOR_FRACTION * self.q_max;
        let excess = |q: f64| self.signal(q, delta0) - q;
        let mut hi = q_start.clamp(floor, self.q_max);
        let mut e_hi = excess(hi);
        while e_hi > 0.0 && hi < self.q_max {
            hi = (hi * 1.5).min(self.q_max);
            e_hi = excess(hi);
        }
        if e_hi > 0.0 {
            return Some(hi);
        }
        let step = Q_SCAN_STEP * hi;
        let (mut lo, mut e_lo);
        loop {
            lo = hi - step;
            if lo < floor {
                return None;
            }
            e_lo = excess(lo);
            if e_lo >= 0.0 {
                break;
            }
            hi = lo;
            e_hi = e_lo;
        }
        // Illinois regula falsi on [lo, hi], excess(lo) ≥ 0 ≥ excess(hi).
        let mut side = 0;
        for _ in 0..100 {
            if (hi - lo) <= 1e-12 * self.q_max {
                break;
            }
            let mid = (lo * e_hi - hi * e_lo) / (e_hi - e_lo);
            let mid = if mid.is_finite() && mid > lo && mid < hi {
                mid
            } else {
                0.5 * (lo + hi)
            };
            let e_mid = excess(mid);
            if e_mid >= 0.0 {
                lo = mid;
                e_lo = e_mid;
                if side == -1 {
                    e_hi *= 0.5;
                }
                side = -1;
            } else {
                hi = mid;
                e_hi = e_mid;
                if side == 1 {
                    e_lo *= 0.5;
                }
                side = 1;
            }
        }
        Some(0.5 * (lo + hi))
    }

    fn point(&self, q: f64, delta0: f64, retrieval: bool) -> MeanFieldPoint {
        let (q, mean, second, overlap) = self.moments(q, delta0);
        MeanFieldPoint {
            alpha: if self.gamma > 0.0 && second > 0.0 {
                delta0 / (self.gamma * second)
            } else {
                0.0
            },
            delta0,
            q_hz: q,
            overlap,
            mean_rate_hz: mean,
            second_moment_hz2: second,
            retrieval,
        }
    }

    /// The retrieval branch sampled along Δ0, ending at its last point (the capacity).
    /// Empty when even a noiseless network has no retrieval state.
    pub fn branch(&self) -> Vec<MeanFieldPoint> {
        let mut out = Vec::new();
        let mut q = self.q_max;
        let mut delta0 = DELTA_START;
        while delta0 < 1e3 * self.transfer.r_max_hz.powi(2) {
            match self.retrieval_q(delta0, q) {
                Some(found) => {
                    q = found;
                    out.push(self.point(q, delta0, true));
                    delta0 *= DELTA_GROWTH;
                }
                None => {
                    let (mut good, mut bad) = (delta0 / DELTA_GROWTH, delta0);
                    if out.is_empty() {
                        return out;
                    }
                    let mut q_good = q;
                    for _ in 0..BISECTIONS {
                        let mid = 0.5 * (good + bad);
                        match self.retrieval_q(mid, q_good) {
                            Some(found) => {
                                good = mid;
                                q_good = found;
                            }
                            None => bad = mid,
                        }
                    }
                    out.push(self.point(q_good, good, true));
                    return out;
                }
            }
        }
        out
    }

    /// The capacity α_c: the largest load of the retrieval branch (0 if there is none).
    pub fn capacity(&self) -> f64 {
        self.branch().iter().map(|p| p.alpha).fold(0.0, f64::max)
    }

    /// The background solution q = 0 at load `alpha`: Δ0 = α γ E[φ(√Δ0 z)²].
    pub fn background(&self, alpha: f64) -> MeanFieldPoint {
        let excess = |d: f64| alpha * self.gamma * self.inner(0.0, d.sqrt()).1 - d;
        let (mut lo, mut hi) = (0.0, alpha * self.gamma * self.transfer.r_max_hz.powi(2) + 1e-12);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if excess(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-12 * hi.max(1e-300) {
                break;
            }
        }
        let mut p = self.point(0.0, 0.5 * (lo + hi), false);
        p.alpha = alpha;
        p.overlap = 0.0;
        p.q_hz = 0.0;
        p
    }

    /// The retrieval solution at load `alpha` from a sampled `branch` (see [`MeanField::branch`]),
    /// or the background when `alpha` lies beyond the branch's end.
    pub fn solve_on(&self, branch: &[MeanFieldPoint], alpha: f64) -> MeanFieldPoint {
        let Some(k) = branch.iter().position(|p| p.alpha >= alpha) else {
            return self.background(alpha);
        };
        let (mut good, mut q_good) = if k == 0 {
            (0.0, self.q_max)
        } else {
            (branch[k - 1].delta0, branch[k - 1].q_hz)
        };
        let mut hi = branch[k].delta0;
        let mut best = branch[k];
        for _ in 0..BISECTIONS {
            let mid = 0.5 * (good + hi);
            let Some(q) = self.retrieval_q(mid, q_good) else {
                hi = mid;
                continue;
            };
            let p = self.point(q, mid, true);
            if p.alpha < alpha {
                good = mid;
                q_good = q;
            } else {
                hi = mid;
                best = p;
            }
        }
        best
    }

    /// The retrieval solution at load `alpha` (the background beyond capacity).
    pub fn solve(&self, alpha: f64) -> MeanFieldPoint {
        self.solve_on(&self.branch(), alpha)
    }

    /// The overlap curve at each load of `alphas` (one branch computation for all).
    pub fn curve(&self, alphas: &[f64]) -> Vec<MeanFieldPoint> {
        let branch = self.branch();
        alphas.iter().map(|&a| self.solve_on(&branch, a)).collect()
    }

    /// The amplitude A.
    pub fn amplitude(&self) -> f64 {
        self.amplitude
    }
}
