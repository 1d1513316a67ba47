//! Validation against published measurements (`biodist validate`): every
//! scenario in `scenarios/validation/` names the rows of
//! `data/biodistribution_measurements.csv` it reproduces, the arm and assay
//! (observation model) that stand for the experiment, and how the row is
//! compared ([`spec::Measure`]); [`verdict`] holds the fixed rules.

pub mod measurements;
pub mod spec;
pub mod verdict;

use std::fmt::Write;

use crate::output::tables::float;
use measurements::Measurement;
use spec::ValidationEntry;
use verdict::Outcome;

/// One compared row.
#[derive(Debug, Clone)]
pub struct Compared {
    /// Scenario name.
    pub scenario: String,
    /// The entry.
    pub entry: ValidationEntry,
    /// The row (and a range's max row).
    pub row: Measurement,
    /// A range's max row.
    pub high: Option<Measurement>,
    /// The model's side, or why it could not be computed.
    pub outcome: Result<Outcome, String>,
    /// `fitted` (a fit config names the row), `held out` (HELD_OUT.md
    /// names its dataset) or `other`.
    pub role: &'static str,
}

/// The measured side of `entry`: its row — for a fold change given as two
/// rows (`row_over`), that row with the ratio of the two as its value — and
/// a range's max row. `None` where a row named is not in `find`.
pub fn measured_rows(
    entry: &ValidationEntry,
    find: impl Fn(&str) -> Option<Measurement>,
) -> Option<(Measurement, Option<Measurement>)> {
    let mut row = find(&entry.row)?;
    if let Some(over) = &entry.row_over {
        let denominator = find(over)?;
        // The ratio's log-scale spread: the two rows' added in quadrature.
        let log_sd = match (row.log_sd(), denominator.log_sd()) {
            (Some(a), Some(b)) => (a * a + b * b).sqrt(),
            _ => f64::NAN,
        };
        row.value /= denominator.value;
        row.value_sd = row.value * (log_sd * log_sd).exp_m1().sqrt();
        row.unit = format!("ratio {} / {} ({})", row.id, denominator.id, row.unit);
    }
    let high = match &entry.row_high {
        Some(id) => Some(find(id)?),
        None => None,
    };
    Some((row, high))
}

/// The role of `row`: fitted if a fit config lists it, held out if
/// `held_out` (the text of HELD_OUT.md) names its dataset in a table row.
pub fn role_of(row: &Measurement, fitted_rows: &[String], held_out: &str) -> &'static str {
    if fitted_rows.contains(&row.id) {
        "fitted"
    } else if held_out
        .lines()
        .any(|l| l.starts_with(&format!("| {} ", row.dataset_id)))
    {
        "held out"
    } else {
        "other"
    }
}

impl Compared {
    /// The measured value as text (`70`, `1.3–2.6`, `flag 1`).
    pub fn measured(&self) -> String {
        match &self.high {
            Some(h) => format!("{}–{}", self.row.value, h.value),
            None => format!("{}", self.row.value),
        }
    }

    /// The row's SD as text (empty where it gives none).
    pub fn measured_sd(&self) -> String {
        if self.row.value_sd.is_finite() {
            short(self.row.value_sd)
        } else {
            String::new()
        }
    }

    /// `agrees`, `disagrees` or `error`.
    pub fn verdict(&self) -> &'static str {
        match &self.outcome {
            Ok(o) if o.agrees => "agrees",
            Ok(_) => "disagrees",
            Err(_) => "error",
        }
    }
}

/// `validation.csv`.
pub fn validation_csv(rows: &[Compared]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "dataset_id",
        "row",
        "scenario",
        "organ",
        "time_h",
        "measured",
        "measured_sd",
        "unit",
        "statistic",
        "role",
        "measure",
        "assay",
        "model",
        "model_se",
        "verdict",
        "note",
    ]);
    for c in rows {
        let (model, se, note) = match &c.outcome {
            Ok(o) => (float(o.model), float(o.model_se), c.entry.note.clone()),
            Err(e) => (String::new(), String::new(), e.clone()),
        };
        let _ = w.write_record([
            c.row.dataset_id.as_str(),
            c.row.id.as_str(),
            c.scenario.as_str(),
            c.row.organ.as_str(),
            c.row.time_h.as_str(),
            &c.measured(),
            &c.measured_sd(),
            c.row.unit.as_str(),
            c.row.statistic.as_str(),
            c.role,
            c.entry.measure.name(),
            c.entry.assay.as_str(),
            &model,
            &se,
            c.verdict(),
            &note,
        ]);
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

fn short(x: f64) -> String {
    if x.is_nan() {
        "–".to_string()
    } else if x.is_infinite() {
        "∞".to_string()
    } else {
        crate::output::html::three_digits(x)
    }
}

/// The row's organ, and the model's place read for it where the names
/// differ (a row naming several organs is read once per place).
fn organ_read(c: &Compared) -> String {
    let organ = c.row.organ.replace('|', "/");
    if organ == c.entry.location {
        organ
    } else {
        format!("{organ} (model: {})", c.entry.location)
    }
}

/// The validation table as Markdown (for the README) or plain text.
pub fn validation_table(rows: &[Compared]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| row | role | organ | time (h) | measured | unit | compared as | assay | model (± MC SE) | verdict |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    for c in rows {
        let model = match &c.outcome {
            Ok(o) if o.model_se.is_nan() => short(o.model),
            Ok(o) => format!("{} ± {}", short(o.model), short(o.model_se)),
            Err(e) => format!("error: {e}"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.row.id,
            c.role,
            organ_read(c),
            c.row.time_h,
            // A ratio of two rows is computed here: three digits; a row's
            // SD follows its value.
            match (c.entry.row_over.is_some(), c.measured_sd()) {
                (true, sd) if sd.is_empty() => short(c.row.value),
                (true, sd) => format!("{} ± {sd}", short(c.row.value)),
                (false, sd) if sd.is_empty() => c.measured(),
                (false, sd) => format!("{} ± {sd}", c.measured()),
            },
            c.row.unit,
            c.entry.measure.name(),
            c.entry.assay,
            model,
            c.verdict()
        );
    }
    let _ = writeln!(out);
    for role in ["fitted", "held out", "other"] {
        let mine: Vec<&Compared> = rows.iter().filter(|c| c.role == role).collect();
        let agree = mine.iter().filter(|c| c.verdict() == "agrees").count();
        let _ = writeln!(out, "- {role} rows: {agree} of {} agree", mine.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(toml_text: &str) -> ValidationEntry {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn a_fold_change_of_two_rows_is_their_ratio() {
        let rows = measurements::measurements().unwrap();
        let find = |id: &str| rows.iter().find(|r| r.id == id).cloned();
        let ratio = entry(
            r#"row = "D06_Schrepfer2007#4"
row_over = "D06_Schrepfer2007#3"
measure = "fold_change"
arm = "a"
assay = "particle_label"
location = "lung""#,
        );
        let (row, high) = measured_rows(&ratio, find).unwrap();
        assert!((row.value - 6.0 / 19.3).abs() < 1e-12, "{}", row.value);
        assert!(
            row.unit
                .starts_with("ratio D06_Schrepfer2007#4 / D06_Schrepfer2007#3")
        );
        assert!(high.is_none());
        // Its log-scale spread is the two rows' in quadrature.
        let log_sd = |v: f64, sd: f64| (1.0 + (sd / v).powi(2)).ln().sqrt();
        let expected = (log_sd(6.0, 1.6).powi(2) + log_sd(19.3, 11.1).powi(2)).sqrt();
        assert!((row.log_sd().unwrap() - expected).abs() < 1e-12);
        let missing = entry(
            r#"row = "D06_Schrepfer2007#4"
row_over = "D06_Schrepfer2007#99"
measure = "fold_change"
arm = "a"
assay = "particle_label"
location = "lung""#,
        );
        assert!(measured_rows(&missing, find).is_none());
    }
}
