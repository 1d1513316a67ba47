//! The published measurements (`data/biodistribution_measurements.csv`, a
//! copy of the project's shared data table, compiled into the binary), each
//! row named `<dataset_id>#<n>`: the n-th row of that dataset in file order.

/// The measurement table, as shipped.
pub const MEASUREMENTS_CSV: &str = include_str!("../../data/biodistribution_measurements.csv");

/// One published row (the columns validation uses).
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// `<dataset_id>#<n>`.
    pub id: String,
    /// Dataset id.
    pub dataset_id: String,
    /// Species.
    pub species: String,
    /// Cell type.
    pub cell_type: String,
    /// Label or assay.
    pub label_method: String,
    /// Route.
    pub route: String,
    /// Time as written (`24`, `0.083-1`, or empty).
    pub time_h: String,
    /// Organ as written.
    pub organ: String,
    /// Value.
    pub value: f64,
    /// The row's standard deviation (NaN where it gives none).
    pub value_sd: f64,
    /// Unit as written.
    pub unit: String,
    /// Statistic as written.
    pub statistic: String,
    /// Citation.
    pub citation: String,
}

impl Measurement {
    /// The row's spread on the log scale, from its mean and SD as a
    /// log-normal's: √ln(1 + (SD/mean)²); `None` where it gives no SD.
    pub fn log_sd(&self) -> Option<f64> {
        (self.value_sd > 0.0 && self.value > 0.0)
            .then(|| (1.0 + (self.value_sd / self.value).powi(2)).ln().sqrt())
    }

    /// The row's time: `(from, to)` hours (equal for a single time), or
    /// `None` where the table gives none.
    pub fn time_window_h(&self) -> Option<(f64, f64)> {
        let text = self.time_h.trim();
        if text.is_empty() {
            return None;
        }
        match text.split_once('-') {
            Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
            None => text.parse().ok().map(|t| (t, t)),
        }
    }
}

/// Every row of the shipped table.
pub fn measurements() -> Result<Vec<Measurement>, String> {
    let mut reader = csv::Reader::from_reader(MEASUREMENTS_CSV.as_bytes());
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or(format!(
            "biodistribution_measurements.csv: no column {name:?}"
        ))
    };
    let [
        dataset,
        species,
        cell,
        label,
        route,
        time,
        organ,
        value,
        value_sd,
        unit,
        statistic,
        citation,
    ] = [
        "dataset_id",
        "species",
        "cell_type",
        "label_method",
        "route",
        "time_h",
        "organ",
        "value",
        "value_sd",
        "unit",
        "statistic",
        "citation",
    ]
    .map(column);
    let (dataset, species, cell, label, route, time, organ, value, value_sd) = (
        dataset?, species?, cell?, label?, route?, time?, organ?, value?, value_sd?,
    );
    let (unit, statistic, citation) = (unit?, statistic?, citation?);
    let mut rows: Vec<Measurement> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| format!("biodistribution_measurements.csv line {}: {e}", i + 2))?;
        let text = |k: usize| record.get(k).unwrap_or("").to_string();
        let dataset_id = text(dataset);
        let n = rows.iter().filter(|r| r.dataset_id == dataset_id).count() + 1;
        rows.push(Measurement {
            id: format!("{dataset_id}#{n}"),
            dataset_id,
            species: text(species),
            cell_type: text(cell),
            label_method: text(label),
            route: text(route),
            time_h: text(time),
            organ: text(organ),
            value: text(value).trim().parse().unwrap_or(f64::NAN),
            value_sd: text(value_sd).trim().parse().unwrap_or(f64::NAN),
            unit: text(unit),
            statistic: text(statistic),
            citation: text(citation),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_by_dataset_and_order() {
        let rows = measurements().unwrap();
        assert!(rows.len() > 60);
        let d04: Vec<&Measurement> = rows
            .iter()
            .filter(|r| r.dataset_id == "D04_Eggenhofer2012")
            .collect();
        assert_eq!(d04[0].id, "D04_Eggenhofer2012#1");
        assert_eq!(d04[0].organ, "lung");
        assert_eq!(d04[0].time_window_h(), Some((1.0, 1.0)));
        assert_eq!(d04[4].time_window_h(), Some((0.083, 72.0)));
    }
}
