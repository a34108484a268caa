//! The Experiments window's experiments: one driven headless through the window (egui_kittest), and
//! their numbers checked against theory. Sizes are small and seeds fixed; nothing is timed.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use engram::app::experiments::{ExperimentKind, ExperimentResult, ExperimentSettings, run_experiment};
use engram::app::{EngramApp, Settings};
use engram::families::hopfield::sweeps::{RecallPoint, one_step_overlap};
use engram::families::hopfield::ui::experiments::{
    HopfieldExperiment, HopfieldExperimentSettings, HopfieldResult, basin_flips, capacity_alphas,
    recall_networks,
};
use engram::families::rate::ui::experiment::RateExperiment;
use engram::families::spiking::ui::experiments::{
    SpikingExperiment, SpikingExperimentSettings, SpikingResult,
};
use engram::progress::{NoProgress, Progress};

/// The Hopfield scene's histories, when the app shows one.
fn hopfield(app: &EngramApp) -> Option<&engram::families::hopfield::ui::HopfieldData> {
    app.scene_data.as_ref().and_then(|d| d.hopfield())
}

fn run(kind: ExperimentKind, settings: ExperimentSettings) -> ExperimentResult {
    run_experiment(kind, &settings, &mut NoProgress, &mut |_| {}).expect("runs")
}

fn curve<'a>(curves: &'a [(String, Vec<RecallPoint>)], name: &str) -> &'a [RecallPoint] {
    &curves.iter().find(|(n, _)| n == name).expect("the network ran").1
}

fn harness() -> Harness<'static, EngramApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| EngramApp::with_settings(cc.egui_ctx.clone(), Settings::default()))
}

/// Steps frames until `done` holds (the experiment runs on its own thread). The deadline only turns a
/// hang into a failure; no assertion depends on how long anything took.
fn step_until(harness: &mut Harness<'static, EngramApp>, what: &str, done: impl Fn(&EngramApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
}

#[test]
fn the_basins_experiment_runs_in_the_window_and_saves_its_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv_path = dir.path().join("basins.csv");
    let mut harness = harness();
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Experiments").click();
    // A new window takes a frame to measure itself before it shows.
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("basins").click();
    harness.step();
    harness
        .get_by_role_and_label(Role::Slider, "neurons N")
        .set_value_accesskit(50.0);
    harness.step();
    harness
        .get_by_role_and_label(Role::Slider, "trials")
        .set_value_accesskit(1.0);
    harness.step();
    harness.get_by_role_and_label(Role::Slider, "load α");
    harness.get_by_label("Run experiment").click();
    harness.step();
    step_until(&mut harness, "the basins to finish", |app| {
        !app.experiments.is_running() && app.experiments.result().is_some()
    });
    let settings = harness.state().experiments.settings.hopfield;
    assert_eq!((settings.n, settings.trials), (50, 1));
    let Some(ExperimentResult::Hopfield(HopfieldResult::Basins { curves, .. })) =
        harness.state().experiments.result()
    else {
        panic!("expected basins, got {:?}", harness.state().experiments.result());
    };
    assert_eq!(curves.len(), recall_networks().len());
    for (name, points) in curves {
        assert_eq!(points.len(), basin_flips().len(), "{name}");
        // An uncorrupted cue of 2 patterns on 50 neurons is a fixed point for every network.
        assert_eq!(points[0].retrieved_fraction, 1.0, "{name}: {:?}", points[0]);
    }
    harness.step();
    harness.get_by_label("Save PNG…");
    harness.get_by_label("Save CSV…").click();
    crate::common::choose_in_file_dialog(&mut harness, &csv_path, "Save");
    let text = std::fs::read_to_string(&csv_path).expect("saved");
    assert!(text.starts_with("network,alpha,cue_flip,"), "{text}");
    assert_eq!(
        text.lines().count(),
        1 + recall_networks().len() * basin_flips().len()
    );
    // Another tab shows its own result or none: never the basins plot, never their CSV.
    let other = ExperimentKind::tabs()
        .into_iter()
        .find(|(_, name, _)| *name != "basins")
        .expect("more than one tab");
    harness.get_by_label(other.1).click();
    harness.step();
    assert!(harness.state().experiments.result().is_none());
    assert!(harness.query_by_label("Save CSV…").is_none(), "{}", other.1);
    harness.get_by_label("basins").click();
    harness.step();
    assert!(harness.query_by_label("Save CSV…").is_some());

    // Kept on the plot, labelled with its parameters; a second run at another N is drawn over it.
    harness.get_by_label("Keep on plot").click();
    harness.step();
    let basins = ExperimentKind::tabs()
        .into_iter()
        .find(|(_, name, _)| *name == "basins")
        .map(|t| t.0)
        .expect("the basins tab");
    let kept = harness.state().experiments.kept_runs(basins);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].label, "N = 50, 1 trial, load α = 0.05, seed 1");
    assert_eq!(kept[0].series.len(), recall_networks().len());
    harness
        .get_by_role_and_label(Role::Slider, "neurons N")
        .set_value_accesskit(80.0);
    harness.step();
    harness.get_by_label("Run experiment").click();
    harness.step();
    step_until(&mut harness, "the second run", |app| {
        !app.experiments.is_running() && app.experiments.result().is_some()
    });
    harness.get_by_label("Keep on plot").click();
    harness.step();
    assert_eq!(harness.state().experiments.kept_runs(basins).len(), 2);
    harness.step();
    harness.get_by_label("Clear kept runs (2)");

    // A slide figure: twice the resolution, white, its title the experiment and its parameters.
    let png_path = dir.path().join("basins.png");
    harness.get_by_label("Save PNG…").click();
    crate::common::choose_in_file_dialog(&mut harness, &png_path, "Save");
    step_until(&mut harness, "the figure", |_| png_path.exists());
    let figure = image::open(&png_path).expect("a PNG").to_rgba8();
    assert!(
        figure.width() >= 800,
        "2× a plot at least 400 points wide: {}",
        figure.width()
    );
    assert!(figure.height() > 600, "{}", figure.height());
    let corner = figure.get_pixel(2, 2).0;
    assert!(
        corner[0] > 230 && corner[1] > 230 && corner[2] > 230,
        "light background: {corner:?}"
    );
    harness.get_by_label("Clear kept runs (2)").click();
    harness.step();
    assert!(harness.state().experiments.kept_runs(basins).is_empty());
}

#[test]
fn the_top_bar_offers_a_window_screenshot() {
    let mut harness = harness();
    step_until(&mut harness, "the Hopfield scene", |app| hopfield(app).is_some());
    harness.get_by_label("Screenshot").click();
    // A menu takes a frame to measure itself before it shows.
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Save window as PNG…").click();
    for _ in 0..3 {
        harness.step();
    }
    // The dialog suggests a name with the date and time, and Cancel closes it.
    let name = harness
        .get_by_role_and_label(Role::TextInput, "file name")
        .value()
        .unwrap_or_default();
    assert!(name.starts_with("engram-20") && name.ends_with(".png"), "{name}");
    harness.get_by_label("Cancel").click();
    for _ in 0..2 {
        harness.step();
    }
    assert!(harness.query_by_label("file name").is_none());
}

#[test]
fn results_arrive_point_by_point_and_the_last_partial_is_the_result() {
    let settings = ExperimentSettings {
        hopfield: HopfieldExperimentSettings {
            n: 60,
            trials: 1,
            ..Default::default()
        },
        ..ExperimentSettings::default()
    };
    let mut partials: Vec<ExperimentResult> = Vec::new();
    let result = run_experiment(
        ExperimentKind::Hopfield(HopfieldExperiment::Basins),
        &settings,
        &mut NoProgress,
        &mut |r| partials.push(r.clone()),
    )
    .expect("runs");
    assert_eq!(partials.len(), recall_networks().len() * basin_flips().len());
    let points = |r: &ExperimentResult| match r {
        ExperimentResult::Hopfield(HopfieldResult::Basins { curves, .. }) => {
            curves.iter().map(|c| c.1.len()).sum::<usize>()
        }
        _ => panic!("not basins"),
    };
    for (k, partial) in partials.iter().enumerate() {
        assert_eq!(points(partial), k + 1);
    }
    assert_eq!(partials[partials.len() - 1].csv(), result.csv());
}

/// Cancels after the first unit of work.
struct CancelAfterFirst(bool);

impl Progress for CancelAfterFirst {
    fn advance(&mut self, _done: usize, _total: usize) {
        self.0 = true;
    }
    fn cancelled(&self) -> bool {
        self.0
    }
}

#[test]
fn a_cancelled_experiment_returns_what_it_has() {
    let settings = ExperimentSettings {
        hopfield: HopfieldExperimentSettings {
            n: 60,
            trials: 1,
            ..Default::default()
        },
        spiking: SpikingExperimentSettings {
            neurons: 5,
            seconds: 0.5,
            ..Default::default()
        },
        ..ExperimentSettings::default()
    };
    for kind in [
        ExperimentKind::Hopfield(HopfieldExperiment::Capacity),
        ExperimentKind::Spiking(SpikingExperiment::MembraneHistogram),
    ] {
        let result =
            run_experiment(kind, &settings, &mut CancelAfterFirst(false), &mut |_| {}).expect("runs");
        match result {
            ExperimentResult::Hopfield(HopfieldResult::Capacity(curves)) => {
                assert_eq!(curves.len(), 1);
                assert_eq!(curves[0].1.len(), 1);
            }
            ExperimentResult::Spiking(SpikingResult::MembraneHistogram(h)) => {
                // One of 20 chunks: 5 neurons × 0.5 s / 20.
                assert!((h.neuron_seconds - 0.125).abs() < 1e-6, "{}", h.neuron_seconds);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn the_membrane_histogram_follows_the_fokker_planck_density() {
    // 100 neurons × 5 s = 500 neuron-seconds. V decorrelates over about τ_m / 2 = 10 ms, so there are
    // about n = 5·10⁴ independent samples; the expected L1 error of a 60-bin histogram is then about
    // √(2/π) Σ_bins √(p_k / n) ≤ 0.8 √(60 / n) ≈ 0.03 (measured: 0.023 at μ = 15 mV). Time steps of
    // 0.05 ms miss some threshold crossings between steps, a bias of order √(dt/τ_m) ≈ 5 % on the rate
    // and less on the density. Bound: 0.06, twice the sampling estimate.
    for (mu_mv, sigma_mv) in [(15.0, 5.0), (22.0, 3.0)] {
        let settings = ExperimentSettings {
            spiking: SpikingExperimentSettings {
                mu_mv,
                sigma_mv,
                ..Default::default()
            },
            ..ExperimentSettings::default()
        };
        let ExperimentResult::Spiking(SpikingResult::MembraneHistogram(h)) = run(
            ExperimentKind::Spiking(SpikingExperiment::MembraneHistogram),
            settings,
        ) else {
            panic!("expected a histogram");
        };
        let l1 = h.l1_distance();
        assert!(l1 < 0.06, "μ = {mu_mv}, σ = {sigma_mv}: L1 = {l1}");
        // Counting error √(ν T)/(ν T) ≈ 1.5 % at 9 Hz over 500 s, plus the time-step bias above.
        let relative = (h.rate_hz - h.theory_rate_hz).abs() / h.theory_rate_hz;
        assert!(
            relative < 0.08,
            "μ = {mu_mv}: {} Hz vs Siegert {} Hz",
            h.rate_hz,
            h.theory_rate_hz
        );
        // The refractory mass ν τ_ref is missing from both densities.
        let width = h.edges_mv[1] - h.edges_mv[0];
        let mass: f64 = h.density.iter().sum::<f64>() * width;
        let expected = 1.0 - h.theory_rate_hz / 1000.0 * 2.0;
        assert!((mass - expected).abs() < 0.02, "mass {mass} vs {expected}");
    }
}

/// Each rule is swept to where it fails, on one log axis (issue 16: at α ≤ 0.3 Storkey, the
/// pseudo-inverse and the dense network all sat at 1): Hebb retrieves below the AGS load and fails
/// above its finite-size band; Storkey fails by α = 0.6; the pseudo-inverse retrieves beyond Hebb's
/// failure and fails as P approaches N; the dense network retrieves at every load up to P = 4N.
#[test]
fn the_dense_network_recalls_at_loads_where_hebb_fails() {
    let ExperimentResult::Hopfield(HopfieldResult::Capacity(curves)) = run(
        ExperimentKind::Hopfield(HopfieldExperiment::Capacity),
        ExperimentSettings::default(),
    ) else {
        panic!("expected capacity curves");
    };
    assert_eq!(curves.len(), 4);
    let hebb = curve(&curves, "hebb");
    let dense = curve(&curves, "dense (exp)");
    assert_eq!(hebb.len(), capacity_alphas("hebb").len());
    for h in hebb {
        // AGS: Hebb retrieves below α_c = 0.138 and fails well above it. At N = 200 the transition is
        // smeared over about 0.13 to 0.23 (finite size), so test only outside that band.
        if h.alpha <= 0.1 {
            assert!(h.retrieved_fraction >= 0.8, "{h:?}");
        }
        if h.alpha >= 0.25 {
            assert!(h.retrieved_fraction <= 0.2, "{h:?}");
        }
    }
    // F(x) = exp(x) stores exponentially many patterns (Demircigil et al. 2017): every load here.
    assert_eq!(dense.last().map(|d| d.alpha), Some(4.0));
    for d in dense {
        assert!(d.retrieved_fraction >= 0.8, "{d:?}");
    }
    let at = |name: &str, alpha: f64| {
        curve(&curves, name)
            .iter()
            .min_by(|a, b| (a.alpha - alpha).abs().total_cmp(&(b.alpha - alpha).abs()))
            .expect("points")
            .retrieved_fraction
    };
    assert!(
        at("storkey", 0.6) <= 0.2,
        "Storkey at 0.6: {}",
        at("storkey", 0.6)
    );
    assert!(
        at("pseudo-inverse", 0.3) >= 0.8,
        "pseudo-inverse at 0.3: {}",
        at("pseudo-inverse", 0.3)
    );
    assert!(
        at("pseudo-inverse", 0.95) <= 0.2,
        "pseudo-inverse at 0.95: {}",
        at("pseudo-inverse", 0.95)
    );
}

#[test]
fn hebbian_basins_agree_with_the_one_step_estimate() {
    let settings = ExperimentSettings::default();
    let ExperimentResult::Hopfield(HopfieldResult::Basins { alpha, curves }) =
        run(ExperimentKind::Hopfield(HopfieldExperiment::Basins), settings)
    else {
        panic!("expected basins");
    };
    for p in curve(&curves, "hebb") {
        let one_step = one_step_overlap(alpha, p.cue_flip);
        // Where one parallel step already reaches m ≥ 0.9, the full dynamics retrieve the pattern.
        if one_step >= 0.9 {
            assert!(p.retrieved_fraction >= 0.8, "{p:?} one step {one_step}");
        }
        // Where one step gets only halfway (cue overlap 1 − 2F ≤ 0.15 at α = 0.05), most cues are
        // lost among the other patterns (measured: 20 % retrieved at F = 0.45): a network that
        // retrieves every cue fails here.
        if one_step < 0.5 {
            assert!(p.retrieved_fraction <= 0.5, "{p:?} one step {one_step}");
        }
        // A cue with half its bits flipped carries no information about the pattern.
        if p.cue_flip == 0.5 {
            assert!(p.mean_overlap.abs() < 0.3, "{p:?}");
        }
    }
}

/// The f-I experiment with the EIF: every simulated point, with and without noise, lies near the
/// first-passage theory drawn beside it. Five seconds per point give a counting error of about
/// √(5 r)/5 Hz; Euler steps of 0.02 ms bias the EIF by a few per cent: 10 % + 1 Hz covers both.
#[test]
fn the_eif_f_i_experiment_agrees_with_its_theory() {
    let settings = ExperimentSettings {
        spiking: SpikingExperimentSettings {
            fi_eif: true,
            ..Default::default()
        },
        ..ExperimentSettings::default()
    };
    let ExperimentResult::Spiking(SpikingResult::FiCurve(curves)) =
        run(ExperimentKind::Spiking(SpikingExperiment::FiCurve), settings)
    else {
        panic!("an f-I result")
    };
    assert_eq!(curves.len(), 3);
    for (sigma, points) in &curves {
        assert!(!points.is_empty());
        for p in points {
            let theory = p.theory_hz.expect("EIF theory is drawn");
            assert!(
                (p.rate_hz - theory).abs() < 0.1 * theory + 1.0,
                "σ {sigma}, μ {}: simulated {} Hz, theory {theory} Hz",
                p.mu_mv,
                p.rate_hz
            );
        }
    }
}

#[test]
fn the_rate_experiment_draws_the_mean_field_and_a_first_simulated_load() {
    // Cancelled after its first trial (α = 0.05, N = 5,000): the theory curves are complete, one
    // point is simulated, and it sits near the mean field (0.99 there; finite size lowers it).
    let settings = ExperimentSettings {
        rate: engram::families::rate::ui::experiment::RateLoadSettings {
            sparse: false,
            trials: 1,
        },
        ..ExperimentSettings::default()
    };
    let result = run_experiment(
        ExperimentKind::Rate(RateExperiment::Load),
        &settings,
        &mut CancelAfterFirst(false),
        &mut |_| {},
    )
    .expect("runs");
    let ExperimentResult::Rate(r) = result else {
        panic!("unexpected {result:?}");
    };
    assert!(
        (r.alpha_c - 0.56).abs() < 0.01 && (r.alpha_c_step - 0.50).abs() < 0.01,
        "{r:?}"
    );
    assert!(r.theory.len() > 10 && r.step_theory.len() > 10);
    for curve in [&r.theory, &r.step_theory] {
        assert!(curve.iter().flatten().all(|x| x.is_finite()), "{curve:?}");
        // Drawn left to right up to the end of the branch.
        assert!(curve.windows(2).all(|w| w[1][0] >= w[0][0]), "{curve:?}");
    }
    assert_eq!(r.points.len(), 1);
    let p = &r.points[0];
    assert!(
        (p.alpha - 0.05).abs() < 0.005 && p.retrieved_fraction == 1.0,
        "{p:?}"
    );
    assert!((p.mean_overlap - p.mean_field_overlap).abs() < 0.06, "{p:?}");
    let csv = ExperimentResult::Rate(r).csv();
    assert!(
        csv.starts_with("n,connection_prob,alpha,patterns,trials,mean_overlap"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

/// The sampling family's experiment, reached through the registry like every family's: the exact
/// samplers' mean KL falls by more than 20× from 1,000 to 100,000 samples (1/n predicts 100×; the
/// bound allows for the noise of two chains) and ends below the model tests' bounds (0.00078 for
/// Gibbs, 0.0031 for the neural sampler), while parallel Gibbs and the uncorrected sampler stay above
/// 0.1; the CSV carries the (K − 1)/(2n) line.
#[test]
fn the_sampling_convergence_experiment_separates_exact_and_biased_samplers() {
    use engram::families::sampling::model::SamplerKind;
    use engram::families::sampling::ui::experiment::{ConvergenceSettings, SamplingExperiment};
    let settings = ExperimentSettings {
        sampling: ConvergenceSettings { units: 5, chains: 2 },
        seed: 4,
        ..ExperimentSettings::default()
    };
    assert!(
        ExperimentKind::tabs()
            .iter()
            .any(|(k, _, _)| *k == ExperimentKind::Sampling(SamplingExperiment::Convergence)),
        "the tab comes from the registry"
    );
    let ExperimentResult::Sampling(r) = run(
        ExperimentKind::Sampling(SamplingExperiment::Convergence),
        settings,
    ) else {
        panic!("a sampling result")
    };
    let at = |kind: SamplerKind, n: u64| {
        let s = SamplerKind::ALL.iter().position(|&k| k == kind).expect("sampler");
        let i = r.samples.iter().position(|&m| m == n).expect("count");
        r.mean_kl[s][i]
    };
    for (kind, bound) in [(SamplerKind::Gibbs, 0.00078), (SamplerKind::Neural, 0.0031)] {
        assert!(at(kind, 100_000) < bound, "{kind:?}: {}", at(kind, 100_000));
        assert!(
            at(kind, 1_000) > 20.0 * at(kind, 100_000),
            "{kind:?} does not fall like 1/n"
        );
    }
    for kind in [SamplerKind::GibbsParallel, SamplerKind::NeuralUncorrected] {
        assert!(at(kind, 100_000) > 0.1, "{kind:?}: {}", at(kind, 100_000));
    }
    let csv = ExperimentResult::Sampling(r).csv();
    assert!(csv.starts_with("sampler,samples,mean_kl_nats,independent_theory_nats\n"));
    assert_eq!(csv.lines().count(), 1 + 4 * 9);
}

/// The neuron lab's f-I experiment puts the four models on one plot: Hodgkin-Huxley jumps to over
/// 40 Hz just above its rheobase (type II), the LIF starts below 30 Hz (type I), and the CSV has
/// every point.
#[test]
fn the_neuron_lab_f_i_experiment_separates_type_one_and_type_two() {
    use engram::families::cell::model::CellKind;
    use engram::families::cell::ui::experiment::CellExperiment;
    let result = run(
        ExperimentKind::NeuronLab(CellExperiment::FiCurves),
        ExperimentSettings::default(),
    );
    let ExperimentResult::NeuronLab(r) = &result else {
        panic!("a neuron-lab result")
    };
    assert_eq!(r.curves.len(), 4);
    let onset = |kind: CellKind| {
        let curve = r.curves.iter().find(|c| c.kind == kind).expect("curve");
        curve
            .points
            .iter()
            .find(|p| p.relative_current > 1.0)
            .expect("above")
            .rate_hz
    };
    assert!(onset(CellKind::HodgkinHuxley) > 40.0);
    assert!(onset(CellKind::Lif) < 30.0);
    assert_eq!(result.csv().lines().count(), 1 + 4 * 17);
}

/// The Oja convergence experiment: at the rates where the rule's jitter stays well below the 20°
/// finish (η ≤ 0.002) the mean time agrees with τ ln(tan 70°/tan 20°) within 10 %.
#[test]
fn the_oja_convergence_experiment_follows_the_averaged_dynamics() {
    use engram::families::hebbian::ui::experiment::HebbExperiment;
    let ExperimentResult::Hebbian(r) = run(
        ExperimentKind::Hebbian(HebbExperiment::Convergence),
        ExperimentSettings::default(),
    ) else {
        panic!("a Hebbian result")
    };
    assert_eq!(r.points.len(), 5);
    for p in r.points.iter().filter(|p| p.eta <= 0.002) {
        assert!((p.mean - p.theory).abs() < 0.1 * p.theory, "{p:?}");
    }
}

/// The kernel-memory experiments: on continuous patterns the Gaussian kernel recalls 128 = 4N where
/// the linear kernel cannot hold 64 (its limit, N = 32, is drawn); on binary patterns the exponential
/// kernel recalls all of 64 = 2N and the pseudo-inverse none of 64.
#[test]
fn the_kernel_memory_experiments_separate_linear_and_nonlinear_kernels() {
    use engram::families::continuous::ui::experiment::ContinuousExperiment;
    type Rows = [(String, Vec<(usize, Option<f64>)>)];
    let at = |rows: &Rows, prefix: &str, p: usize| {
        let row = rows.iter().find(|(n, _)| n.starts_with(prefix)).expect("kernel");
        row.1.iter().find(|(count, _)| *count == p).expect("count").1
    };
    let ExperimentResult::Continuous(r) = run(
        ExperimentKind::Continuous(ContinuousExperiment::Capacity),
        ExperimentSettings::default(),
    ) else {
        panic!("a continuous result")
    };
    assert!(at(&r.rows, "Gaussian", 128).is_some_and(|f| f >= 0.95), "{r:?}");
    assert_eq!(at(&r.rows, "linear", 64), None);
    assert!(r.limits.iter().any(|(_, l)| *l == 32.0));
    let ExperimentResult::Continuous(r) = run(
        ExperimentKind::Continuous(ContinuousExperiment::Binary),
        ExperimentSettings::default(),
    ) else {
        panic!("a continuous result")
    };
    assert_eq!(at(&r.rows, "exponential", 64), Some(1.0), "{r:?}");
    assert_eq!(at(&r.rows, "pseudo-inverse", 64), None);
}

/// The e-prop feedback experiment, from the registry: random and symmetric feedback each give one
/// NMSE per trial and both learn (measured with 100 trials of 40 neurons, seed 1: random 5.7 →
/// 0.79, symmetric 5.7 → 0.078 at best over the last ten), and the CSV has every trial.
#[test]
fn the_eprop_feedback_experiment_draws_both_learning_curves() {
    use engram::families::eprop::ui::experiment::{EpropExperiment, FeedbackSettings};
    let settings = ExperimentSettings {
        eprop: FeedbackSettings {
            trials: 100,
            neurons: 40,
        },
        ..ExperimentSettings::default()
    };
    let result = run(ExperimentKind::Eprop(EpropExperiment::Feedback), settings);
    let ExperimentResult::Eprop(r) = &result else {
        panic!("an e-prop result")
    };
    assert_eq!(r.curves.len(), 2);
    for (name, curve) in &r.curves {
        assert_eq!(curve.len(), 100, "{name}");
        let best_late = curve[90..].iter().copied().fold(f64::INFINITY, f64::min);
        eprintln!("{name}: {} → {best_late}", curve[0]);
        assert!(best_late < curve[0] / 5.0, "{name}: {} → {best_late}", curve[0]);
    }
    assert_eq!(result.csv().lines().count(), 1 + 2 * 100);
}
