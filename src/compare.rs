//! Differences between arms, per place and record time, with their standard
//! errors (`biodist compare`).
//!
//! Each arm's value is X = s·k, k of its N simulated cells in the place and
//! s = dose / N cells of the dose per simulated cell, so
//! Var(X) = s²·N·p(1 − p) with p = k / N (binomial).
//!
//! - **Paired** (two arms of one run): cell i of both arms drew from the
//!   same streams (common random numbers), so the per-cell difference
//!   d_i = s_A·a_i − s_B·b_i has
//!   Var(d) = s_A²·p_A(1 − p_A) + s_B²·p_B(1 − p_B) − 2·s_A·s_B·(p_AB − p_A·p_B),
//!   p_AB the fraction of cells whose copies were in the place in both arms
//!   (`pairs.csv`), and Var(D) = N·Var(d). (Computed as E[d²] − E[d]² over
//!   the four kinds of cell — in both, in A only, in B only, in neither — so
//!   that an arm against its own copy gives exactly 0.)
//! - **Conservative** (two separate runs): their covariance is unknown
//!   (runs with the same seed share streams), so the standard error is
//!   SE_A + SE_B, the largest that any correlation allows
//!   (Cauchy–Schwarz), never an understatement.
//!
//! Where either arm has fewer than 10 simulated cells in the place, the SE
//! (a normal approximation) is unreliable — 0 where neither has any — and
//! the row is flagged `small_count`: see `summary.csv`'s exact intervals.

use std::collections::BTreeMap;

use crate::output::tables::float;

/// One place and time of one arm, from `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceCount {
    /// Arm name.
    pub arm: String,
    /// Place (`lung`, `whole_knee`, `knee/cartilage`, …).
    pub organ: String,
    /// Record time (h).
    pub time_h: f64,
    /// The arm's dose.
    pub dose_cells: f64,
    /// Simulated cells of the arm.
    pub simulated_cells: u64,
    /// Simulated cells in the place.
    pub here: u64,
}

impl PlaceCount {
    fn scale(&self) -> f64 {
        self.dose_cells / self.simulated_cells.max(1) as f64
    }

    fn p(&self) -> f64 {
        self.here as f64 / self.simulated_cells.max(1) as f64
    }

    /// Live cells of the dose in the place.
    pub fn cells_of_dose(&self) -> f64 {
        self.here as f64 * self.scale()
    }

    /// Binomial standard error of [`Self::cells_of_dose`].
    pub fn se(&self) -> f64 {
        let n = self.simulated_cells as f64;
        self.scale() * (n * self.p() * (1.0 - self.p())).sqrt()
    }
}

/// How a difference's standard error was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairing {
    /// Arms of one run, paired cell by cell.
    Paired,
    /// Separate runs: SE_A + SE_B.
    Conservative,
}

impl Pairing {
    /// Label in tables and plots.
    pub fn label(self) -> &'static str {
        match self {
            Self::Paired => "paired",
            Self::Conservative => "conservative",
        }
    }
}

/// A − B for one place and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Arm A (for two runs, `run/arm`).
    pub arm_a: String,
    /// Arm B.
    pub arm_b: String,
    /// Place.
    pub organ: String,
    /// Record time (h).
    pub time_h: f64,
    /// Live cells of the dose, arm A.
    pub cells_a: f64,
    /// Live cells of the dose, arm B.
    pub cells_b: f64,
    /// Standard error of A − B.
    pub se: f64,
    /// Paired or conservative.
    pub pairing: Pairing,
    /// Whether either arm has fewer than [`SMALL_COUNT`] simulated cells in
    /// the place: the standard error (a normal approximation) is then
    /// unreliable, and 0 where both have none.
    pub small_count: bool,
}

/// Below this many simulated cells in a place (in either arm), a
/// difference's standard error is flagged as unreliable.
pub const SMALL_COUNT: u64 = 10;

impl Difference {
    /// A − B.
    pub fn difference(&self) -> f64 {
        self.cells_a - self.cells_b
    }
}

/// The paired difference of two arms of one run; `both` is the number of
/// cells whose copies were in the place in both arms.
pub fn paired(a: &PlaceCount, b: &PlaceCount, both: u64) -> (f64, f64) {
    let n = a.simulated_cells.max(1) as f64;
    let (sa, sb) = (a.scale(), b.scale());
    // Cells in the place in both arms, in A only, in B only; each kind's
    // per-cell difference is sa − sb, sa and −sb (0 for the rest).
    let only_a = a.here.saturating_sub(both) as f64;
    let only_b = b.here.saturating_sub(both) as f64;
    let both = both as f64;
    let mean = (both * (sa - sb) + only_a * sa - only_b * sb) / n;
    let square = (both * (sa - sb).powi(2) + only_a * sa * sa + only_b * sb * sb) / n;
    (
        a.cells_of_dose() - b.cells_of_dose(),
        (n * (square - mean * mean).max(0.0)).sqrt(),
    )
}

/// The conservative difference of two separate runs.
pub fn conservative(a: &PlaceCount, b: &PlaceCount) -> (f64, f64) {
    (a.cells_of_dose() - b.cells_of_dose(), a.se() + b.se())
}

/// The header of a CSV written by `biodist run` and the positions of the
/// columns `names`; an error names the file, the missing column and the
/// columns found.
fn columns<const N: usize>(
    reader: &mut csv::Reader<&[u8]>,
    file: &str,
    names: [&str; N],
) -> Result<(csv::StringRecord, [usize; N]), String> {
    let header = reader
        .headers()
        .map_err(|e| format!("{file}: {e}"))?
        .clone();
    let mut positions = [0; N];
    for (slot, name) in positions.iter_mut().zip(names) {
        *slot = header.iter().position(|h| h == name).ok_or(format!(
            "{file}: expected a column {name:?} (a {file} written by biodist run), found columns {}",
            header.iter().collect::<Vec<_>>().join(",")
        ))?;
    }
    Ok((header, positions))
}

/// Reads the columns biodist compare needs from a `summary.csv` text, by
/// column name.
pub fn parse_summary(text: &str, file: &str) -> Result<Vec<PlaceCount>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let (header, [arm, organ, time, dose, n, here]) = columns(
        &mut reader,
        file,
        [
            "arm",
            "organ",
            "time_h",
            "dose_cells",
            "simulated_cells",
            "simulated_cells_here",
        ],
    )?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("{file} line {line}: {e}"))?;
        let text = |k: usize| record.get(k).unwrap_or("");
        let number = |k: usize| {
            text(k).parse::<f64>().map_err(|_| {
                format!(
                    "{file} line {line}: column {} should be a number, found {:?}",
                    header.get(k).unwrap_or("?"),
                    text(k)
                )
            })
        };
        let whole = |k: usize| {
            text(k).parse::<u64>().map_err(|_| {
                format!(
                    "{file} line {line}: column {} should be a whole number, found {:?}",
                    header.get(k).unwrap_or("?"),
                    text(k)
                )
            })
        };
        rows.push(PlaceCount {
            arm: text(arm).to_string(),
            organ: text(organ).to_string(),
            time_h: number(time)?,
            dose_cells: number(dose)?,
            simulated_cells: whole(n)?,
            here: whole(here)?,
        });
    }
    Ok(rows)
}

/// (arm A, arm B, place, time bits) → cells in both, from `pairs.csv`.
pub type JointCounts = BTreeMap<(String, String, String, u64), u64>;

/// Reads `pairs.csv`, by column name.
pub fn parse_pairs(text: &str, file: &str) -> Result<JointCounts, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let (_, [arm_a, arm_b, organ, time, both]) = columns(
        &mut reader,
        file,
        ["arm_a", "arm_b", "organ", "time_h", "cells_in_both"],
    )?;
    let mut joint = JointCounts::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("{file} line {line}: {e}"))?;
        let text = |k: usize| record.get(k).unwrap_or("");
        let time_h: f64 = text(time).parse().map_err(|_| {
            format!(
                "{file} line {line}: time_h should be a number, found {:?}",
                text(time)
            )
        })?;
        let count: u64 = text(both).parse().map_err(|_| {
            format!(
                "{file} line {line}: cells_in_both should be a whole number, found {:?}",
                text(both)
            )
        })?;
        joint.insert(
            (
                text(arm_a).to_string(),
                text(arm_b).to_string(),
                text(organ).to_string(),
                time_h.to_bits(),
            ),
            count,
        );
    }
    Ok(joint)
}

/// The paired differences of arms `a` and `b` of one run.
pub fn paired_differences(
    rows: &[PlaceCount],
    joint: &JointCounts,
    a: &str,
    b: &str,
) -> Result<Vec<Difference>, String> {
    let mut out = Vec::new();
    for row_a in rows.iter().filter(|r| r.arm == a) {
        let Some(row_b) = rows.iter().find(|r| {
            r.arm == b && r.organ == row_a.organ && r.time_h.to_bits() == row_a.time_h.to_bits()
        }) else {
            continue;
        };
        let key = |x: &str, y: &str| {
            (
                x.to_string(),
                y.to_string(),
                row_a.organ.clone(),
                row_a.time_h.to_bits(),
            )
        };
        let Some(&both) = joint.get(&key(a, b)).or_else(|| joint.get(&key(b, a))) else {
            return Err(format!(
                "pairs.csv: expected a row for arms {a} and {b}, {} at {} h (as summary.csv has), found none",
                row_a.organ, row_a.time_h
            ));
        };
        let (_, se) = paired(row_a, row_b, both);
        out.push(Difference {
            arm_a: a.to_string(),
            arm_b: b.to_string(),
            organ: row_a.organ.clone(),
            time_h: row_a.time_h,
            cells_a: row_a.cells_of_dose(),
            cells_b: row_b.cells_of_dose(),
            se,
            pairing: Pairing::Paired,
            small_count: row_a.here.min(row_b.here) < SMALL_COUNT,
        });
    }
    Ok(out)
}

/// The conservative differences of arm `a` of one run and arm `b` of
/// another, labelled `label_a` and `label_b`.
pub fn separate_differences(
    rows_a: &[PlaceCount],
    rows_b: &[PlaceCount],
    (a, label_a): (&str, &str),
    (b, label_b): (&str, &str),
) -> Vec<Difference> {
    let mut out = Vec::new();
    for row_a in rows_a.iter().filter(|r| r.arm == a) {
        let Some(row_b) = rows_b.iter().find(|r| {
            r.arm == b && r.organ == row_a.organ && r.time_h.to_bits() == row_a.time_h.to_bits()
        }) else {
            continue;
        };
        let (_, se) = conservative(row_a, row_b);
        out.push(Difference {
            arm_a: label_a.to_string(),
            arm_b: label_b.to_string(),
            organ: row_a.organ.clone(),
            time_h: row_a.time_h,
            cells_a: row_a.cells_of_dose(),
            cells_b: row_b.cells_of_dose(),
            se,
            pairing: Pairing::Conservative,
            small_count: row_a.here.min(row_b.here) < SMALL_COUNT,
        });
    }
    out
}

/// Serializes `compare.csv`.
pub fn compare_csv(rows: &[Difference]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "arm_a",
        "arm_b",
        "organ",
        "time_h",
        "cells_of_dose_a",
        "cells_of_dose_b",
        "difference_cells_of_dose",
        "se_difference",
        "ci95_low",
        "ci95_high",
        "standard_error",
        "small_count",
    ]);
    for d in rows {
        let _ = w.write_record([
            d.arm_a.as_str(),
            d.arm_b.as_str(),
            d.organ.as_str(),
            &float(d.time_h),
            &float(d.cells_a),
            &float(d.cells_b),
            &float(d.difference()),
            &float(d.se),
            &float(d.difference() - 1.96 * d.se),
            &float(d.difference() + 1.96 * d.se),
            d.pairing.label(),
            if d.small_count { "yes" } else { "no" },
        ]);
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(arm: &str, dose: f64, n: u64, here: u64) -> PlaceCount {
        PlaceCount {
            arm: arm.into(),
            organ: "lung".into(),
            time_h: 1.0,
            dose_cells: dose,
            simulated_cells: n,
            here,
        }
    }

    #[test]
    fn an_arm_against_itself_differs_by_exactly_zero_when_paired() {
        let a = place("a", 100.0, 10, 4);
        let (d, se) = paired(&a, &a, 4);
        assert!(d.abs() < 1e-12);
        assert!(se.abs() < 1e-12);
        // Conservative: twice the binomial SE, 10 × √(10 × 0.4 × 0.6).
        let (_, se) = conservative(&a, &a);
        assert!((se - 2.0 * 10.0 * (2.4f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn paired_variance_by_hand() {
        // N = 4 cells, dose 4 in both (s = 1). A: cells 0,1 in the place;
        // B: cells 1,2. d = (1, 0, −1, 0): mean 0, population variance 1/2,
        // so Var(D) = 4 × 1/2 = 2.
        let a = place("a", 4.0, 4, 2);
        let b = place("b", 4.0, 4, 2);
        let (d, se) = paired(&a, &b, 1);
        assert!(d.abs() < 1e-12);
        assert!((se - 2f64.sqrt()).abs() < 1e-12);
        // Disjoint: d = (1, 1, −1, −1), variance 1, Var(D) = 4.
        let (_, se) = paired(&a, &b, 0);
        assert!((se - 2.0).abs() < 1e-12);
    }
}
