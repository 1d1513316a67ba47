//! `biodist validate [DIR]`: runs every validation scenario, compares each
//! of its rows through the observation model, prints the table and writes
//! `validation.csv` and the model-against-measured plot.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::error::Error;
use crate::output::write_folder;
use crate::run::DEFAULT_BATCH_CELLS;
use crate::scenario::{self, AnyScenario};
use crate::validate::measurements::measurements;
use crate::validate::verdict::evaluate;
use crate::validate::{Compared, validation_csv, validation_table};

/// Runs the validation scenarios of `args.dir` and compares their rows.
pub fn compare_all(args: &ValidateArgs) -> Result<Vec<Compared>, Error> {
    let rows = measurements().map_err(|message| Error::Plot { message })?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| Error::Usage {
            key: args.dir.display().to_string(),
            expected: "a folder of validation scenarios (*.toml)".to_string(),
            found: e.to_string(),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut assignments = Vec::new();
    if let Some(cells) = &args.cells {
        assignments.push(format!("run.cells={cells}"));
    }
    if let Some(seed) = &args.seed {
        assignments.push(format!("run.seed={seed}"));
    }
    // Which rows a fit uses (../fits/*.toml next to the folder) and which
    // datasets are held out (HELD_OUT.md in it).
    let held_out = std::fs::read_to_string(args.dir.join("HELD_OUT.md")).unwrap_or_default();
    let mut fitted_rows: Vec<String> = Vec::new();
    let fits = args
        .dir
        .parent()
        .map(|p| p.join("fits"))
        .unwrap_or_default();
    if let Ok(entries) = std::fs::read_dir(&fits) {
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|x| x == "toml")
                && let Ok(config) = crate::fit::read_config(&entry.path())
            {
                fitted_rows.extend(config.rows);
            }
        }
    }
    // Run every scenario first: an entry may compare with another one.
    let mut runs = Vec::new();
    for path in files {
        let scenario = match scenario::load_any(&path, &assignments)? {
            AnyScenario::Body(body) => body,
            AnyScenario::Graph(_) => {
                return Err(Error::WrongForm {
                    path,
                    expected: "a physiological scenario with [[validation]] entries",
                    found: "a graph scenario",
                });
            }
        };
        let (results, _) = super::simulate_body(&scenario, None, DEFAULT_BATCH_CELLS, &|_| {})?;
        runs.push((path, scenario, results));
    }
    let others = |name: &str| {
        runs.iter()
            .find(|(_, s, _)| s.name() == name)
            .map(|(_, _, r)| r)
    };
    let mut compared = Vec::new();
    for (path, scenario, results) in &runs {
        for (i, entry) in scenario.resolved.validation.iter().enumerate() {
            let find = |id: &str| rows.iter().find(|r| r.id == id).cloned();
            let Some((row, high)) = crate::validate::measured_rows(entry, find) else {
                continue; // checked when the scenario was loaded
            };
            // An entry the model cannot be read for is the scenario's error,
            // not a row of the table.
            let outcome =
                evaluate(entry, &row, high.as_ref(), results, &others).map_err(|message| {
                    Error::Model {
                        path: path.clone(),
                        message: format!("validation[{i}] (row {}): {message}", entry.row),
                    }
                })?;
            let role = crate::validate::role_of(&row, &fitted_rows, &held_out);
            compared.push(Compared {
                role,
                scenario: scenario.name().to_string(),
                entry: entry.clone(),
                row,
                high,
                outcome: Ok(outcome),
            });
        }
    }
    Ok(compared)
}

/// `biodist validate`.
pub fn validate(args: &ValidateArgs) -> Result<(), Error> {
    let compared = compare_all(args)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("validation"));
    let drawn = crate::plot::validation::draw(&compared).map_err(|e| Error::Plot {
        message: e.to_string(),
    })?;
    let files = vec![
        ("validation.csv", validation_csv(&compared)),
        ("validation.png", drawn.png),
        ("validation.svg", drawn.svg.into_bytes()),
        (
            "manifest.json",
            serde_json::to_vec_pretty(&serde_json::json!({
                "command": "validate",
                "scenarios": args.dir.display().to_string(),
                "cells": args.cells,
                "seed": args.seed,
                "version": env!("CARGO_PKG_VERSION"),
            }))
            .unwrap_or_default(), // infallible: plain data
        ),
    ];
    write_folder(&dir, args.force, &files)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ValidateFormat::Csv => {
            let _ = out.write_all(&validation_csv(&compared));
        }
        ValidateFormat::Md => {
            let _ = write!(out, "{}", validation_table(&compared));
        }
        ValidateFormat::Table => {
            let _ = write!(out, "{}", validation_table(&compared));
            let agree = compared.iter().filter(|c| c.verdict() == "agrees").count();
            let _ = writeln!(
                out,
                "\n{agree} of {} rows agree; wrote {}/ (validation.csv, validation.png/.svg)",
                compared.len(),
                dir.display()
            );
        }
    }
    Ok(())
}
