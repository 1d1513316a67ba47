//! Plots of physiological runs: valid PNG and SVG for every shipped
//! scenario, the knee plot's contents, and `biodist plot DIR` redrawing the
//! same bytes.

mod common;

use std::fs;
use std::path::Path;

use common::workspace::*;

const PLOTS: [&str; 4] = ["organs_over_time", "knee", "fate", "lung_filter"];

/// PNG signature, and the IHDR width and height (big-endian at bytes 16..24).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

/// A small well-formedness check: one root <svg> element and every opened
/// tag closed in order (declarations, comments and self-closing tags skipped).
fn assert_well_formed_svg(text: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    let mut roots = 0;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("unclosed tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
        } else {
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            if stack.is_empty() {
                roots += 1;
                assert_eq!(name, "svg", "root element");
            }
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
}

#[test]
fn every_physiological_scenario_draws_valid_png_and_svg() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let ws = Workspace::new(&fs::read_to_string(&path).unwrap());
        ws.biodist(&["run", "scenario.toml", "--cells", "3000", "--out", "run"])
            .success();
        for plot in PLOTS {
            let png = fs::read(ws.path(&format!("run/{plot}.png"))).unwrap();
            assert_eq!(
                png_size(&png),
                (1200, 700),
                "{}: {plot}.png",
                path.display()
            );
            let svg = fs::read_to_string(ws.path(&format!("run/{plot}.svg"))).unwrap();
            assert_well_formed_svg(&svg);
        }
        checked += 1;
    }
    assert!(checked >= 6, "physiological scenarios checked: {checked}");
}

#[test]
fn knee_plot_names_its_series_units_dose_and_bounds() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/knee_iv_vs_ia.toml"),
    )
    .unwrap();
    let ws = Workspace::new(&text);
    ws.biodist(&["run", "scenario.toml", "--cells", "3000", "--out", "run"])
        .success();
    let svg = fs::read_to_string(ws.path("run/knee.svg")).unwrap();
    for needle in [
        "iv — whole knee",
        "intra_articular — whole knee",
        "intra_articular — cartilage",
        "time after injection (h)",
        "live cells of the dose",
        "iv 1.40e8",
        "intra_articular 1.00e8",
        // With 3000 simulated cells no IV cell reaches cartilage: the
        // 95 % upper bound is drawn dashed, never a line at zero.
        "iv — cartilage: one-sided upper 95 % bound where no simulated cell is there",
    ] {
        assert!(svg.contains(needle), "knee.svg lacks {needle:?}");
    }
    // The dashed bound is drawn as many short segments in the IV arm's
    // colour (the first series colour, #1F77B4), each 6 px long.
    let dashes = svg
        .split("<polyline")
        .filter(|p| {
            p.contains(r##"stroke="#1F77B4""##)
                && p.split("points=\"")
                    .nth(1)
                    .and_then(|pts| pts.split('"').next())
                    .is_some_and(|pts| pts.split_whitespace().count() == 2)
        })
        .count();
    assert!(dashes > 50, "dashed IV bound segments: {dashes}");
}

#[test]
fn plot_redraws_a_run_folder_byte_for_byte() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/vasodilator.toml"),
    )
    .unwrap();
    let ws = Workspace::new(&text);
    ws.biodist(&["run", "scenario.toml", "--cells", "2000", "--out", "run"])
        .success();
    let before: Vec<Vec<u8>> = PLOTS
        .iter()
        .flat_map(|p| {
            ["png", "svg"].map(|ext| fs::read(ws.path(&format!("run/{p}.{ext}"))).unwrap())
        })
        .collect();
    for p in PLOTS {
        fs::remove_file(ws.path(&format!("run/{p}.png"))).unwrap();
    }
    ws.biodist(&["plot", "run"]).success();
    let after: Vec<Vec<u8>> = PLOTS
        .iter()
        .flat_map(|p| {
            ["png", "svg"].map(|ext| fs::read(ws.path(&format!("run/{p}.{ext}"))).unwrap())
        })
        .collect();
    assert!(before == after, "redrawn plots differ");
    // The lung filter of a scenario with a vasodilator arm shows both curves.
    let svg = fs::read_to_string(ws.path("run/lung_filter.svg")).unwrap();
    assert!(svg.contains("passage, vasodilator") && svg.contains("passage, no intervention"));
}

#[test]
fn plot_on_a_folder_without_a_run_names_what_is_missing() {
    let ws = Workspace::new("");
    fs::create_dir(ws.path("empty")).unwrap();
    let assert = ws.biodist(&["plot", "empty"]).code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("counts.csv") && stderr.contains("expected a run folder"),
        "{stderr}"
    );
}
