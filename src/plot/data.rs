//! What the plots draw, read back from a run folder: `counts.csv` for the
//! numbers and `plot_inputs.json` for the rest (titles, the lung filter's
//! curves, the product's diameters). `biodist run` draws from the same bytes
//! it writes, so `biodist plot DIR` redraws identical files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One arm's counts: cells per (record, location, state), as simulated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArmCounts {
    /// Arm name.
    pub arm: String,
    /// Route label.
    pub route: String,
    /// The patient's dose.
    pub dose_cells: f64,
    /// Simulated cells.
    pub simulated: u64,
    /// Per record time: (location, state) → simulated cells.
    pub cells: Vec<BTreeMap<(String, String), u64>>,
    /// Per record time: live location → (expected cells of the dose, SE) from
    /// the rare-destination estimator (`rare.csv`), where it ran.
    pub expected: Vec<BTreeMap<String, (f64, f64)>>,
}

impl ArmCounts {
    /// Simulated cells at record `r` in the rows that `pick(location, state)` selects.
    pub fn sum(&self, r: usize, pick: impl Fn(&str, &str) -> bool) -> u64 {
        self.cells[r]
            .iter()
            .filter(|((l, s), _)| pick(l, s))
            .map(|(_, &c)| c)
            .sum()
    }

    /// Cells of the dose for `k` simulated cells.
    pub fn of_dose(&self, k: u64) -> f64 {
        k as f64 / self.simulated.max(1) as f64 * self.dose_cells
    }
}

/// Every arm's counts at every record time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountsTable {
    /// Record times (h).
    pub record_times_h: Vec<f64>,
    /// Arms in file order.
    pub arms: Vec<ArmCounts>,
    /// The parameter sets' numbers, where `--uncertainty` ran.
    pub parameter_sets: Option<crate::uncertainty::files::SetTable>,
}

/// Parses `counts.csv` (its own format; errors name the line).
pub fn parse_counts(text: &str) -> Result<CountsTable, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut table = CountsTable::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("counts.csv line {line}: {e}"))?;
        let field = |k: usize| {
            record
                .get(k)
                .ok_or(format!("counts.csv line {line}: missing column {k}"))
        };
        let number = |k: usize| -> Result<f64, String> {
            field(k)?
                .parse::<f64>()
                .map_err(|e| format!("counts.csv line {line}: column {k}: {e}"))
        };
        let (arm, route, time_h) = (field(0)?, field(1)?, number(2)?);
        let (location, state) = (field(3)?.to_string(), field(4)?.to_string());
        let cells = field(5)?
            .parse::<u64>()
            .map_err(|e| format!("counts.csv line {line}: cells: {e}"))?;
        let dose = number(8)?;
        if !table
            .record_times_h
            .iter()
            .any(|t| t.to_bits() == time_h.to_bits())
        {
            table.record_times_h.push(time_h);
        }
        let r = table
            .record_times_h
            .iter()
            .position(|t| t.to_bits() == time_h.to_bits())
            .unwrap_or(0);
        if table.arms.last().is_none_or(|a| a.arm != arm) {
            table.arms.push(ArmCounts {
                arm: arm.to_string(),
                route: route.to_string(),
                dose_cells: dose,
                ..ArmCounts::default()
            });
        }
        let current = table.arms.len() - 1;
        let a = &mut table.arms[current];
        while a.cells.len() <= r {
            a.cells.push(BTreeMap::new());
        }
        a.cells[r].insert((location, state), cells);
    }
    for a in &mut table.arms {
        a.simulated = a.cells.first().map_or(0, |m| m.values().sum());
    }
    Ok(table)
}

/// Adds the rare-destination estimates of `rare.csv` to `table`.
pub fn add_rare(table: &mut CountsTable, text: &str) -> Result<(), String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("rare.csv line {line}: {e}"))?;
        let field = |k: usize| {
            record
                .get(k)
                .ok_or(format!("rare.csv line {line}: missing column {k}"))
        };
        let number = |k: usize| -> Result<f64, String> {
            field(k)?
                .parse::<f64>()
                .map_err(|e| format!("rare.csv line {line}: column {k}: {e}"))
        };
        let (arm, location, time_h) = (field(0)?, field(2)?, number(3)?);
        let Some(r) = table
            .record_times_h
            .iter()
            .position(|t| t.to_bits() == time_h.to_bits())
        else {
            return Err(format!(
                "rare.csv line {line}: time {time_h} is not a record time of counts.csv"
            ));
        };
        let Some(a) = table.arms.iter_mut().find(|a| a.arm == arm) else {
            return Err(format!(
                "rare.csv line {line}: arm {arm} is not in counts.csv"
            ));
        };
        while a.expected.len() <= r {
            a.expected.push(BTreeMap::new());
        }
        a.expected[r].insert(location.to_string(), (number(4)?, number(5)?));
    }
    Ok(())
}

/// One curve of the lung-filter plot: passage against diameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterCurve {
    /// Legend label.
    pub label: String,
    /// (diameter µm, passage) points.
    pub points: Vec<(f64, f64)>,
}

/// What the plots need besides the counts (written as `plot_inputs.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotInputs {
    /// Scenario name.
    pub scenario: String,
    /// Body preset.
    pub body: String,
    /// Cell preset.
    pub product: String,
    /// Lung-filter curves (without, and with a vasodilator where an arm has one).
    pub lung_filter: Vec<FilterCurve>,
    /// Diameters of a sample of the product's cells (µm).
    pub diameters_um: Vec<f64>,
}
