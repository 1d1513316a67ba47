//! `biodist compare`: paired differences of a run's arms (joint tallies in
//! `pairs.csv`), conservative differences of separate runs, the paired
//! standard error against the spread over seeds, and its errors.

mod common;

use std::fs;

use common::workspace::*;

/// A mouse IV scenario with two arms: `a`, and `b` (the same, or with a
/// vasodilator).
fn two_arms(b_interventions: &str) -> String {
    format!(
        r#"
name = "pair"
[run]
cells = 4000
seed = 1
record_times_h = [0.5, 1.0, 24.0]
[body]
preset = "mouse"
[product]
cell = "msc_bone_marrow"
host = "autologous"
[[arms]]
name = "a"
route = "iv"
dose_cells = 5e5
[[arms]]
name = "b"
route = "iv"
dose_cells = 5e5
interventions = [{b_interventions}]
"#
    )
}

#[test]
fn an_arm_paired_with_its_copy_differs_by_exactly_zero() {
    let ws = Workspace::new(&two_arms(""));
    ws.biodist(&["run", "scenario.toml", "--out", "run"])
        .success();
    let pairs = read_csv(&ws.path("run/pairs.csv"));
    assert!(!pairs.is_empty());
    for r in &pairs {
        // Same streams, same model: every cell is in the same place in both.
        assert_eq!(r["cells_a"], r["cells_b"], "{r:?}");
        assert_eq!(r["cells_in_both"], r["cells_a"], "{r:?}");
    }
    let assert = ws.biodist(&["compare", "run", "--out", "cmp"]).success();
    let stdout = stdout_of(&assert);
    assert!(
        stdout.contains("paired (common random numbers)"),
        "{stdout}"
    );
    let rows = read_csv(&ws.path("cmp/compare.csv"));
    assert!(
        rows.iter()
            .any(|r| r["organ"] == "lung" && r["cells_of_dose_a"] != "0.0")
    );
    for r in &rows {
        assert_eq!(r["difference_cells_of_dose"], "0.0", "{r:?}");
        assert!(
            r["se_difference"].parse::<f64>().unwrap().abs() < 1e-6,
            "{r:?}"
        );
        assert_eq!(r["standard_error"], "paired");
    }
    for file in ["compare.png", "compare.svg", "manifest.json"] {
        assert!(ws.path(&format!("cmp/{file}")).is_file(), "{file}");
    }
}

#[test]
fn the_paired_standard_error_matches_the_spread_over_seeds() {
    // Lung at 1 h, arm a − arm b (vasodilator), over 40 seeds at 4000
    // cells. The sample SD of 40 differences has a relative standard error
    // of about 1/√(2·39) ≈ 11 %; allow a factor 0.55–1.45 (about 4 of
    // those). The unpaired SE must be clearly larger: the arms' cells are
    // the same cells, so the paired SE is what a comparison should use.
    let ws = Workspace::new(&two_arms("\"vasodilator\""));
    let mut differences = Vec::new();
    let mut paired_se = Vec::new();
    let mut unpaired_se = Vec::new();
    for seed in 1..=40 {
        let out = format!("run{seed}");
        let seed = seed.to_string();
        ws.biodist(&["run", "scenario.toml", "--seed", &seed, "--out", &out])
            .success();
        ws.biodist(&["compare", &out, "--out", &format!("{out}_cmp")])
            .success();
        let rows = read_csv(&ws.path(&format!("{out}_cmp/compare.csv")));
        let lung = rows
            .iter()
            .find(|r| r["organ"] == "lung" && r["time_h"] == "1.0")
            .unwrap();
        differences.push(lung["difference_cells_of_dose"].parse::<f64>().unwrap());
        paired_se.push(lung["se_difference"].parse::<f64>().unwrap());
        let summary = read_csv(&ws.path(&format!("{out}/summary.csv")));
        let se = |arm: &str| {
            let r = summary
                .iter()
                .find(|r| r["arm"] == arm && r["organ"] == "lung" && r["time_h"] == "1.0")
                .unwrap();
            let n: f64 = r["simulated_cells"].parse().unwrap();
            let p: f64 = r["fraction"].parse().unwrap();
            r["dose_cells"].parse::<f64>().unwrap() * (p * (1.0 - p) / n).sqrt()
        };
        unpaired_se.push((se("a").powi(2) + se("b").powi(2)).sqrt());
    }
    let n = differences.len() as f64;
    let mean = differences.iter().sum::<f64>() / n;
    let sd = (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let reported = paired_se.iter().sum::<f64>() / n;
    let unpaired = unpaired_se.iter().sum::<f64>() / n;
    eprintln!("spread over seeds {sd:.1}, paired SE {reported:.1}, unpaired SE {unpaired:.1}");
    assert!(
        (0.55..1.45).contains(&(sd / reported)),
        "spread over seeds {sd}, reported paired SE {reported}"
    );
    assert!(
        unpaired > 1.5 * reported,
        "unpaired {unpaired} against paired {reported}"
    );
}

#[test]
fn separate_runs_get_the_conservative_sum_of_standard_errors() {
    let ws = Workspace::new(&two_arms(""));
    ws.biodist(&["run", "scenario.toml", "--out", "first"])
        .success();
    ws.biodist(&["run", "scenario.toml", "--seed", "2", "--out", "second"])
        .success();
    let assert = ws
        .biodist(&["compare", "first", "second", "--out", "cmp"])
        .success();
    assert!(stdout_of(&assert).contains("conservative"));
    let rows = read_csv(&ws.path("cmp/compare.csv"));
    let first = read_csv(&ws.path("first/summary.csv"));
    let second = read_csv(&ws.path("second/summary.csv"));
    let se = |summary: &[std::collections::BTreeMap<String, String>], arm: &str| {
        let r = summary
            .iter()
            .find(|r| r["arm"] == arm && r["organ"] == "lung" && r["time_h"] == "24.0")
            .unwrap();
        let n: f64 = r["simulated_cells"].parse().unwrap();
        let p: f64 = r["fraction"].parse().unwrap();
        r["dose_cells"].parse::<f64>().unwrap() * (n * p * (1.0 - p)).sqrt() / n
    };
    let lung = rows
        .iter()
        .find(|r| r["arm_a"] == "first/a" && r["organ"] == "lung" && r["time_h"] == "24.0")
        .expect("same-named arms are compared");
    let want = se(&first, "a") + se(&second, "a");
    let got: f64 = lung["se_difference"].parse().unwrap();
    assert!((got - want).abs() <= 1e-9 * want, "{got} against {want}");
    assert_eq!(lung["standard_error"], "conservative");
    assert_eq!(lung["arm_b"], "second/a");
}

#[test]
fn compare_names_missing_files_and_unknown_arms() {
    let ws = Workspace::new(&two_arms(""));
    fs::create_dir(ws.path("empty")).unwrap();
    let assert = ws.biodist(&["compare", "empty"]).code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("summary.csv") && stderr.contains("expected a run folder"),
        "{stderr}"
    );
    ws.biodist(&["run", "scenario.toml", "--out", "run"])
        .success();
    let assert = ws.biodist(&["compare", "run", "--arms", "a,c"]).code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("--arms") && stderr.contains("(a, b)") && stderr.contains("found c"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    for (args, needles) in [
        (
            vec!["compare", "run", "--arms", "a,a"],
            vec!["--arms", "two different arms", "found a,a"],
        ),
        (
            vec!["compare", "run", "run"],
            vec!["a second, different run folder", "run again"],
        ),
    ] {
        let stderr = stderr_of(&ws.biodist(&args).code(2));
        for needle in needles {
            assert!(stderr.contains(needle), "{args:?}: {stderr}");
        }
    }
    // A run with one arm has nothing to pair.
    let one_arm = Workspace::new(&two_arms("").replace(
        "[[arms]]\nname = \"b\"\nroute = \"iv\"\ndose_cells = 5e5\ninterventions = []\n",
        "",
    ));
    one_arm
        .biodist(&["run", "scenario.toml", "--out", "run"])
        .success();
    let stderr = stderr_of(&one_arm.biodist(&["compare", "run"]).code(2));
    assert!(
        stderr.contains("a run with two arms or more") && stderr.contains("found one arm (a)"),
        "{stderr}"
    );
}

#[test]
fn joint_tallies_do_not_depend_on_threads_and_leave_each_arm_alone() {
    let ws = Workspace::new(&two_arms("\"vasodilator\""));
    ws.biodist(&["run", "scenario.toml", "--threads", "1", "--out", "one"])
        .success();
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--threads",
        "2",
        "--batch-cells",
        "777",
        "--out",
        "two",
    ])
    .success();
    for file in ["pairs.csv", "counts.csv", "summary.csv", "rare.csv"] {
        assert!(
            fs::read(ws.path(&format!("one/{file}"))).unwrap()
                == fs::read(ws.path(&format!("two/{file}"))).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }
    // Arm a alone gives the same counts as arm a beside arm b.
    let alone = two_arms("").replace(
        "[[arms]]\nname = \"b\"\nroute = \"iv\"\ndose_cells = 5e5\ninterventions = []\n",
        "",
    );
    assert!(!alone.contains("name = \"b\""));
    let ws_alone = Workspace::new(&alone);
    ws_alone
        .biodist(&["run", "scenario.toml", "--out", "alone"])
        .success();
    let arm_a = |rows: Vec<std::collections::BTreeMap<String, String>>| -> Vec<_> {
        rows.into_iter().filter(|r| r["arm"] == "a").collect()
    };
    assert_eq!(
        arm_a(read_csv(&ws.path("one/counts.csv"))),
        arm_a(read_csv(&ws_alone.path("alone/counts.csv")))
    );
}
