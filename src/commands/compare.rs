//! `biodist compare DIR [DIR_B]`: differences between arms, as a table on
//! the terminal and `compare.csv` and `compare.png`/`.svg` in a folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::CompareArgs;
use crate::compare::{
    Difference, PlaceCount, compare_csv, paired_differences, parse_pairs, parse_summary,
    separate_differences,
};
use crate::error::Error;
use crate::output::write_folder;
use crate::report::{TABLE_TIMES_H, cells_label};

fn read(dir: &Path, name: &str) -> Result<String, Error> {
    let path = dir.join(name);
    std::fs::read(&path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| Error::Usage {
            key: path.display().to_string(),
            expected: format!(
                "a run folder of a physiological scenario written by biodist run (with {name})"
            ),
            found: e.to_string(),
        })
}

fn bad_file(dir: &Path, name: &str) -> impl Fn(String) -> Error {
    let path = dir.join(name);
    move |message| Error::Usage {
        key: path.display().to_string(),
        expected: "a file written by biodist run".to_string(),
        found: message,
    }
}

fn arms_of(rows: &[PlaceCount]) -> Vec<String> {
    let mut arms: Vec<String> = Vec::new();
    for r in rows {
        if !arms.contains(&r.arm) {
            arms.push(r.arm.clone());
        }
    }
    arms
}

fn check_arm(arms: &[String], arm: &str, dir: &Path) -> Result<(), Error> {
    if arms.iter().any(|a| a == arm) {
        Ok(())
    } else {
        Err(Error::Usage {
            key: "--arms".to_string(),
            expected: format!(
                "arms of {} ({})",
                dir.join("summary.csv").display(),
                arms.join(", ")
            ),
            found: arm.to_string(),
        })
    }
}

fn run_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".to_string())
}

/// The differences `args` asks for.
fn differences(args: &CompareArgs) -> Result<(Vec<Difference>, String), Error> {
    if let Some(arms) = &args.arms
        && arms.len() != 2
    {
        return Err(Error::Usage {
            key: "--arms".to_string(),
            expected: "two arm names, as A,B".to_string(),
            found: arms.join(","),
        });
    }
    let dir_a = &args.dirs[0];
    let rows_a = parse_summary(&read(dir_a, "summary.csv")?, "summary.csv")
        .map_err(bad_file(dir_a, "summary.csv"))?;
    let arms_a = arms_of(&rows_a);
    match args.dirs.get(1) {
        None => {
            if let Some(two) = &args.arms
                && two[0] == two[1]
            {
                return Err(Error::Usage {
                    key: "--arms".to_string(),
                    expected: "two different arms of the run".to_string(),
                    found: two.join(","),
                });
            }
            if arms_a.len() < 2 {
                return Err(Error::Usage {
                    key: dir_a.display().to_string(),
                    expected: "a run with two arms or more (or two run folders)".to_string(),
                    found: format!("one arm ({})", arms_a.join(", ")),
                });
            }
            let joint = parse_pairs(&read(dir_a, "pairs.csv")?, "pairs.csv")
                .map_err(bad_file(dir_a, "pairs.csv"))?;
            let pairs: Vec<(String, String)> = match &args.arms {
                Some(two) => {
                    for arm in two {
                        check_arm(&arms_a, arm, dir_a)?;
                    }
                    vec![(two[0].clone(), two[1].clone())]
                }
                None => (0..arms_a.len())
                    .flat_map(|i| {
                        (i + 1..arms_a.len()).map({
                            let arms = &arms_a;
                            move |j| (arms[i].clone(), arms[j].clone())
                        })
                    })
                    .collect(),
            };
            let mut out = Vec::new();
            for (a, b) in &pairs {
                out.extend(
                    paired_differences(&rows_a, &joint, a, b)
                        .map_err(bad_file(dir_a, "pairs.csv"))?,
                );
            }
            let title = format!(
                "{}: arms of one run, paired (common random numbers)",
                run_name(dir_a)
            );
            Ok((out, title))
        }
        Some(dir_b) => {
            let same = match (dir_a.canonicalize(), dir_b.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if same {
                return Err(Error::Usage {
                    key: dir_b.display().to_string(),
                    expected:
                        "a second, different run folder (for the arms of one run, give it once)"
                            .to_string(),
                    found: format!("{} again", dir_a.display()),
                });
            }
            let rows_b = parse_summary(&read(dir_b, "summary.csv")?, "summary.csv")
                .map_err(bad_file(dir_b, "summary.csv"))?;
            let arms_b = arms_of(&rows_b);
            let (name_a, name_b) = (run_name(dir_a), run_name(dir_b));
            let pairs: Vec<(String, String)> = match &args.arms {
                Some(two) => {
                    check_arm(&arms_a, &two[0], dir_a)?;
                    check_arm(&arms_b, &two[1], dir_b)?;
                    vec![(two[0].clone(), two[1].clone())]
                }
                None => arms_a
                    .iter()
                    .filter(|a| arms_b.contains(a))
                    .map(|a| (a.clone(), a.clone()))
                    .collect(),
            };
            if pairs.is_empty() {
                return Err(Error::Usage {
                    key: "--arms".to_string(),
                    expected: format!(
                        "an arm of {} and one of {} to compare (no arm name is in both: {} against {})",
                        dir_a.display(),
                        dir_b.display(),
                        arms_a.join(", "),
                        arms_b.join(", ")
                    ),
                    found: "no --arms".to_string(),
                });
            }
            let mut out = Vec::new();
            for (a, b) in &pairs {
                out.extend(separate_differences(
                    &rows_a,
                    &rows_b,
                    (a, &format!("{name_a}/{a}")),
                    (b, &format!("{name_b}/{b}")),
                ));
            }
            let title = format!(
                "{name_a} against {name_b}: separate runs, conservative standard errors (SE_A + SE_B)"
            );
            Ok((out, title))
        }
    }
}

/// The places the terminal table and the plot show.
pub const SHOWN: [&str; 5] = ["lung", "liver", "spleen", "whole_knee", "knee/cartilage"];

/// `biodist compare`.
pub fn compare(args: &CompareArgs) -> Result<(), Error> {
    let (rows, title) = differences(args)?;
    if rows.is_empty() {
        return Err(Error::Usage {
            key: args.dirs[0].display().to_string(),
            expected: "runs with places and record times in common".to_string(),
            found: "none".to_string(),
        });
    }
    let default_name = match args.dirs.get(1) {
        None => format!("compare_{}", run_name(&args.dirs[0])),
        Some(b) => format!("compare_{}_vs_{}", run_name(&args.dirs[0]), run_name(b)),
    };
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(default_name));
    let drawn = crate::plot::compare::draw(&rows, &title, &SHOWN).map_err(|e| Error::Plot {
        message: e.to_string(),
    })?;
    let manifest = serde_json::to_vec_pretty(&serde_json::json!({
        "command": "compare",
        "inputs": args.dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
        "title": title,
        "files": ["compare.csv", "compare.png", "compare.svg", "manifest.json"],
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .unwrap_or_default(); // infallible: plain data
    let files = vec![
        ("compare.csv", compare_csv(&rows)),
        ("compare.png", drawn.png),
        ("compare.svg", drawn.svg.into_bytes()),
        ("manifest.json", manifest),
    ];
    write_folder(&dir, args.force, &files)?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{title}");
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for d in &rows {
        if !pairs.contains(&(d.arm_a.as_str(), d.arm_b.as_str())) {
            pairs.push((&d.arm_a, &d.arm_b));
        }
    }
    for (a, b) in pairs {
        let _ = writeln!(
            out,
            "\n{a} − {b}: live cells of the dose ({})",
            rows.first().map_or("", |d| d.pairing.label())
        );
        let _ = writeln!(
            out,
            "  {:<16}{:<6}{:>12}{:>12}{:>12}{:>12}   95 % interval of A − B",
            "place", "time", "A", "B", "A − B", "SE"
        );
        for place in SHOWN {
            for (time_h, label) in TABLE_TIMES_H {
                let Some(d) = rows.iter().find(|d| {
                    d.arm_a == a
                        && d.arm_b == b
                        && d.organ == place
                        && (d.time_h - time_h).abs() <= 1e-9 * time_h
                }) else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "  {place:<16}{label:<6}{:>12}{:>12}{:>12}{:>12}   {} to {}{}",
                    cells_label(d.cells_a),
                    cells_label(d.cells_b),
                    signed(d.difference()),
                    cells_label(d.se),
                    signed(d.difference() - 1.96 * d.se),
                    signed(d.difference() + 1.96 * d.se),
                    if d.small_count { "  *" } else { "" }
                );
            }
        }
    }
    if rows.iter().any(|d| d.small_count) {
        let _ = writeln!(
            out,
            "* fewer than {} simulated cells in an arm: the standard error is a normal approximation and unreliable (0 where neither arm has a cell); see the exact intervals in summary.csv",
            crate::compare::SMALL_COUNT
        );
    }
    let _ = writeln!(
        out,
        "wrote {}/ (compare.csv: every place and record time; compare.png, compare.svg)",
        dir.display()
    );
    Ok(())
}

fn signed(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", cells_label(-x))
    } else {
        cells_label(x)
    }
}
