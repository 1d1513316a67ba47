//! The files of `biodist run --uncertainty K`, and reading them back:
//!
//! - `parameter_sets.csv`: `set,key,value,low,high,scale,central`, the
//!   drawn value of every varied parameter in every set, with its range and
//!   the value the run itself used;
//! - `uncertainty.csv`: `set,arm,time_h,location,cells_of_dose`, each set's
//!   live cells of the dose per location and record time (rows with none
//!   left out);
//! - `uncertainty_rare.csv`: `set,` then the columns of `rare.csv`, each
//!   set's rare-destination estimates.
//!
//! Plots, `summary.csv` and the report compute their bands from these bytes
//! (so `biodist plot DIR` redraws the same band), summing whatever rows a
//! place is made of within each set before taking quantiles over sets.

use std::collections::BTreeMap;

use super::{Varied, band};
use crate::model::locations::ALIVE;
use crate::output::summary::rare_csv;
use crate::output::tables::float;
use crate::results::Results;

/// Serializes `parameter_sets.csv`.
pub fn parameter_sets_csv(varied: &[Varied], sets: &[Vec<f64>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["set", "key", "value", "low", "high", "scale", "central"]);
    for (s, values) in sets.iter().enumerate() {
        for (v, value) in varied.iter().zip(values) {
            let _ = w.write_record([
                &s.to_string(),
                v.key.as_str(),
                &float(*value),
                &float(v.low),
                &float(v.high),
                v.scale.label(),
                &float(v.central),
            ]);
        }
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

/// Serializes `uncertainty.csv` from each set's results.
pub fn set_counts_csv(per_set: &[Results]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["set", "arm", "time_h", "location", "cells_of_dose"]);
    for (s, results) in per_set.iter().enumerate() {
        for arm in &results.arms {
            let n = arm.tally.cells().max(1) as f64;
            for (r, &time_h) in results.record_times_h.iter().enumerate() {
                for (row, location) in results.locations.iter().enumerate() {
                    let k = arm.tally.cells_at(r, row);
                    if results.states[row] != ALIVE || k == 0 {
                        continue;
                    }
                    let _ = w.write_record([
                        &s.to_string(),
                        arm.arm.as_str(),
                        &float(time_h),
                        location.as_str(),
                        &float(k as f64 / n * arm.dose_cells),
                    ]);
                }
            }
        }
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

/// Serializes `uncertainty_rare.csv`: `rare.csv` of each set, with its set.
pub fn set_rare_csv(per_set: &[Results]) -> Vec<u8> {
    let mut out = Vec::new();
    for (s, results) in per_set.iter().enumerate() {
        let text = String::from_utf8(rare_csv(results)).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if i == 0 {
                if s == 0 {
                    out.extend_from_slice(format!("set,{line}\n").as_bytes());
                }
                continue;
            }
            out.extend_from_slice(format!("{s},{line}\n").as_bytes());
        }
    }
    if out.is_empty() {
        let header = String::from_utf8(rare_csv(&Results {
            record_times_h: Vec::new(),
            locations: Vec::new(),
            states: Vec::new(),
            rare_rows: Vec::new(),
            arms: Vec::new(),
            pairs: None,
        }))
        .unwrap_or_default();
        out.extend_from_slice(format!("set,{header}").as_bytes());
    }
    out
}

/// Each parameter set's numbers, read back from the files above.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetTable {
    /// Number of parameter sets.
    pub sets: usize,
    /// Varied parameters (keys), in file order.
    pub keys: Vec<String>,
    /// Varied parameters whose value in the run itself is an end of their
    /// range (`key = value (low–high)`): the band can then lie to one side
    /// of the run's own numbers.
    pub at_range_end: Vec<String>,
    /// (arm, time_h bits) → per set, location → live cells of the dose.
    cells: BTreeMap<(String, u64), Vec<BTreeMap<String, f64>>>,
    /// (arm, location, time_h bits) → per set (expected live cells of the
    /// dose, probability that at least one has entered).
    rare: BTreeMap<(String, String, u64), Vec<(f64, f64)>>,
}

fn records(text: &str, file: &str) -> Result<Vec<(usize, csv::StringRecord)>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            r.map(|r| (i + 2, r))
                .map_err(|e| format!("{file} line {}: {e}", i + 2))
        })
        .collect()
}

fn field<'a>(
    record: &'a csv::StringRecord,
    k: usize,
    file: &str,
    line: usize,
) -> Result<&'a str, String> {
    record
        .get(k)
        .ok_or(format!("{file} line {line}: missing column {}", k + 1))
}

fn number(record: &csv::StringRecord, k: usize, file: &str, line: usize) -> Result<f64, String> {
    let text = field(record, k, file, line)?;
    text.parse::<f64>().map_err(|_| {
        format!(
            "{file} line {line}: column {} should be a number, found {text:?}",
            k + 1
        )
    })
}

fn set_index(
    record: &csv::StringRecord,
    file: &str,
    line: usize,
    sets: usize,
) -> Result<usize, String> {
    let text = field(record, 0, file, line)?;
    match text.parse::<usize>() {
        Ok(s) if s < sets => Ok(s),
        _ => Err(format!(
            "{file} line {line}: set should be 0 to {}, found {text:?}",
            sets.saturating_sub(1)
        )),
    }
}

impl SetTable {
    /// Reads the three files' texts.
    pub fn parse(parameter_sets: &str, counts: &str, rare: &str) -> Result<Self, String> {
        let mut table = SetTable::default();
        for (line, record) in records(parameter_sets, "parameter_sets.csv")? {
            let text = field(&record, 0, "parameter_sets.csv", line)?;
            let s: usize = text.parse().map_err(|_| {
                format!(
                    "parameter_sets.csv line {line}: set should be a whole number, found {text:?}"
                )
            })?;
            table.sets = table.sets.max(s + 1);
            let key = field(&record, 1, "parameter_sets.csv", line)?;
            if !table.keys.iter().any(|k| k == key) {
                table.keys.push(key.to_string());
                let [low, high, central] =
                    [3, 4, 6].map(|k| number(&record, k, "parameter_sets.csv", line));
                let (low, high, central) = (low?, high?, central?);
                // Exact: the three are printed from the same f64 values.
                if central.to_bits() == low.to_bits() || central.to_bits() == high.to_bits() {
                    table
                        .at_range_end
                        .push(format!("{key} = {central} ({low}–{high})"));
                }
            }
        }
        let sets = table.sets;
        for (line, record) in records(counts, "uncertainty.csv")? {
            let s = set_index(&record, "uncertainty.csv", line, sets)?;
            let arm = field(&record, 1, "uncertainty.csv", line)?.to_string();
            let time_h = number(&record, 2, "uncertainty.csv", line)?;
            let location = field(&record, 3, "uncertainty.csv", line)?.to_string();
            let cells = number(&record, 4, "uncertainty.csv", line)?;
            table
                .cells
                .entry((arm, time_h.to_bits()))
                .or_insert_with(|| vec![BTreeMap::new(); sets])[s]
                .insert(location, cells);
        }
        for (line, record) in records(rare, "uncertainty_rare.csv")? {
            let s = set_index(&record, "uncertainty_rare.csv", line, sets)?;
            let arm = field(&record, 1, "uncertainty_rare.csv", line)?.to_string();
            let location = field(&record, 3, "uncertainty_rare.csv", line)?.to_string();
            let time_h = number(&record, 4, "uncertainty_rare.csv", line)?;
            let expected = number(&record, 5, "uncertainty_rare.csv", line)?;
            let at_least_one = number(&record, 9, "uncertainty_rare.csv", line)?;
            table
                .rare
                .entry((arm, location, time_h.to_bits()))
                .or_insert_with(|| vec![(0.0, 0.0); sets])[s] = (expected, at_least_one);
        }
        Ok(table)
    }

    /// What a parameter band is, for captions and notes: the number of
    /// sets, that only provisional parameters vary (assumed ones, such as
    /// synovial transmigration and the osteoarthritis path, keep their
    /// values), that each set carries its own Monte Carlo noise, and which
    /// run values sit at an end of their range.
    pub fn band_caption(&self) -> String {
        let mut text = format!(
            "Light shade between dashed edges: parameter uncertainty, 5–95 % over {} parameter sets drawn from the ranges of the provisional parameters and the fit regions of the fitted ones (assumed ones keep their values); each set's value includes its own Monte Carlo noise.",
            self.sets
        );
        if self.sets < 20 {
            text.push_str(&format!(
                " With {} sets the 5–95 % band is close to the range of the sets.",
                self.sets
            ));
        }
        if !self.at_range_end.is_empty() {
            text.push_str(&format!(
                " The run's own values sit at an end of the range for {}, so the band can lie to one side of the run's line.",
                self.at_range_end.join(", ")
            ));
        }
        text
    }

    /// Live cells of the dose of `arm` at `time_h` in the locations `pick`
    /// selects, one value per set (0 where a set had none).
    pub fn per_set(&self, arm: &str, time_h: f64, pick: impl Fn(&str) -> bool) -> Vec<f64> {
        match self.cells.get(&(arm.to_string(), time_h.to_bits())) {
            Some(per_set) => per_set
                .iter()
                .map(|m| m.iter().filter(|(l, _)| pick(l)).map(|(_, &c)| c).sum())
                .collect(),
            None => vec![0.0; self.sets],
        }
    }

    /// The 5 %, 50 % and 95 % quantiles over sets of [`Self::per_set`].
    pub fn band(&self, arm: &str, time_h: f64, pick: impl Fn(&str) -> bool) -> Option<[f64; 3]> {
        band(&self.per_set(arm, time_h, pick))
    }

    /// The 5 %, 50 % and 95 % quantiles over sets of the expected-value
    /// (rare-destination) estimate of live cells of the dose of `arm` at
    /// `time_h`, summed over the estimator's locations that `pick` selects;
    /// `None` where the estimator did not run there.
    pub fn expected_band(
        &self,
        arm: &str,
        time_h: f64,
        pick: impl Fn(&str) -> bool,
    ) -> Option<[f64; 3]> {
        let mut per_set = vec![0.0; self.sets];
        let mut found = false;
        for ((a, location, t), values) in &self.rare {
            if a == arm && *t == time_h.to_bits() && pick(location) {
                found = true;
                for (sum, v) in per_set.iter_mut().zip(values) {
                    *sum += v.0;
                }
            }
        }
        if found { band(&per_set) } else { None }
    }

    /// Whether the rare-destination estimator ran for `arm`.
    pub fn has_expected(&self, arm: &str) -> bool {
        self.rare.keys().any(|(a, _, _)| a == arm)
    }

    /// The band for `arm` at `time_h` over the locations `pick` selects:
    /// from the expected-value estimates where the estimator ran for the arm
    /// and covers them (knee places of arms given into the blood, where
    /// counts are mostly 0), otherwise from the counts.
    pub fn best_band(
        &self,
        arm: &str,
        time_h: f64,
        pick: impl Fn(&str) -> bool + Copy,
    ) -> Option<[f64; 3]> {
        self.expected_band(arm, time_h, pick)
            .or_else(|| self.band(arm, time_h, pick))
    }

    /// Quantiles over sets of the rare-destination estimates of `location`
    /// for `arm` at `time_h`: (expected live cells of the dose, probability
    /// that at least one cell of the dose has entered); `None` where the
    /// estimator did not run.
    pub fn rare_band(
        &self,
        arm: &str,
        location: &str,
        time_h: f64,
    ) -> Option<([f64; 3], [f64; 3])> {
        let per_set = self
            .rare
            .get(&(arm.to_string(), location.to_string(), time_h.to_bits()))?;
        let expected: Vec<f64> = per_set.iter().map(|v| v.0).collect();
        let at_least_one: Vec<f64> = per_set.iter().map(|v| v.1).collect();
        Some((band(&expected)?, band(&at_least_one)?))
    }
}
