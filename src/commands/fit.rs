//! `biodist fit CONFIG`: fits a config's parameters to its rows and writes
//! the fitted values, the residuals and the profiles.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use crate::cli::FitArgs;
use crate::error::Error;
use crate::fit::{Problem, fit, read_config};
use crate::output::tables::float;
use crate::output::write_folder;
use crate::validate::measurements::measurements;

/// Four significant digits (a leak of 1.25e-4 must not print as 0.0001).
fn four_digits(x: f64) -> String {
    if x != 0.0 && (x.abs() < 0.01 || x.abs() >= 1e5) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

/// `biodist fit`.
pub fn run_fit(args: &FitArgs) -> Result<(), Error> {
    let config = read_config(&args.config)?;
    let base = args.config.parent().map(PathBuf::from).unwrap_or_default();
    let table = measurements().map_err(|message| Error::Plot { message })?;
    for (i, row) in config.rows.iter().enumerate() {
        if !table.iter().any(|m| m.id == *row) {
            return Err(Error::Usage {
                key: format!("{}: rows[{i}]", args.config.display()),
                expected: "a row of data/biodistribution_measurements.csv (<dataset_id>#<n>)"
                    .to_string(),
                found: format!("\"{row}\""),
            });
        }
    }
    let problem = Problem {
        scenarios: config.scenarios.iter().map(|s| base.join(s)).collect(),
        rows: config.rows.clone(),
        measurements: table,
        parameters: config.parameters.clone(),
        cells: config.cells,
        seed: config.seed,
    };
    let fitted = fit(
        &problem,
        config.max_iterations,
        config.profile_points,
        config.region_delta_loss,
    )
    .map_err(|e| match e {
        Error::Usage {
            key,
            expected,
            found,
        } => Error::Usage {
            key: format!("{}: {key}", args.config.display()),
            expected,
            found,
        },
        other => other,
    })?;
    let mut fit_csv =
        String::from("key,start,fitted,low,high,scale,region_low,region_high,identified\n");
    for (i, p) in config.parameters.iter().enumerate() {
        let (rl, rh, identified) = fitted.regions[i];
        let _ = writeln!(
            fit_csv,
            "{},{},{},{},{},{},{},{},{}",
            p.key,
            float(p.start_value()),
            float(fitted.values[i]),
            float(p.low),
            float(p.high),
            p.scale,
            float(rl),
            float(rh),
            if identified { "yes" } else { "no" }
        );
    }
    let mut residuals = String::from("row,model,residual,verdict\n");
    for r in &fitted.residuals {
        let _ = writeln!(
            residuals,
            "{},{},{},{}",
            r.row,
            float(r.model),
            float(r.residual),
            if r.agrees { "agrees" } else { "disagrees" }
        );
    }
    let mut profile = String::from("key,value,loss\n");
    for (i, p) in config.parameters.iter().enumerate() {
        for (v, l) in &fitted.profiles[i] {
            let _ = writeln!(profile, "{},{},{}", p.key, float(*v), float(*l));
        }
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("fits").join(&config.name));
    let manifest = serde_json::to_vec_pretty(&serde_json::json!({
        "command": "fit",
        "config": args.config.display().to_string(),
        "rows": config.rows,
        "cells": config.cells,
        "seed": config.seed,
        "start_loss": fitted.start_loss,
        "loss": fitted.loss,
        "iterations": fitted.iterations,
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .unwrap_or_default(); // infallible: plain data
    write_folder(
        &dir,
        args.force,
        &[
            ("fit.csv", fit_csv.into_bytes()),
            ("residuals.csv", residuals.into_bytes()),
            ("profile.csv", profile.into_bytes()),
            ("manifest.json", manifest),
        ],
    )?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}: loss {:.3} → {:.3} in {} iterations ({} rows, {} cells, seed {})",
        config.name,
        fitted.start_loss,
        fitted.loss,
        fitted.iterations,
        fitted.residuals.len(),
        config.cells,
        config.seed
    );
    for (i, p) in config.parameters.iter().enumerate() {
        let (rl, rh, identified) = fitted.regions[i];
        let _ = writeln!(
            out,
            "  {} = {} (fit region {}–{} within Δloss {}; {})",
            p.key,
            four_digits(fitted.values[i]),
            four_digits(rl),
            four_digits(rh),
            config.region_delta_loss,
            if identified {
                "identified".to_string()
            } else {
                format!("NOT identified within {}–{}", p.low, p.high)
            }
        );
    }
    for r in &fitted.residuals {
        let _ = writeln!(
            out,
            "  {:<34} model {:>12.4}  residual {:>7.3}  {}",
            r.row,
            r.model,
            r.residual,
            if r.agrees { "agrees" } else { "disagrees" }
        );
    }
    let _ = writeln!(
        out,
        "wrote {}/ (fit.csv, residuals.csv, profile.csv)",
        dir.display()
    );
    Ok(())
}
