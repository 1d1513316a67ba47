//! Pure serializers of the tidy CSV tables: `Results` in, bytes out.
//!
//! Numbers are written so that every reader gets the same value back: floats in
//! Rust's shortest round-trip form (`{:?}`: `0.08333333333333333`, `1.0`,
//! `2.5e-7`), integer counts as integers, and cell-hours in exact fixed point
//! from the integer tick tallies (nine decimals: one tick is 1e-9 h).

use crate::results::Results;

/// Live-cell state label of a graph state.
pub const ALIVE: &str = "alive";

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::new())
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // infallible: writing to a Vec<u8> cannot fail
    writer.into_inner().unwrap_or_default()
}

/// Formats a float in shortest round-trip form.
pub fn float(x: f64) -> String {
    format!("{x:?}")
}

/// Formats a number of ticks (1e-9 h each) as exact hours with nine decimals.
pub fn ticks_as_hours(ticks: u128) -> String {
    format!("{}.{:09}", ticks / 1_000_000_000, ticks % 1_000_000_000)
}

/// `counts.csv`: cells per (arm, record time, location, state), with the
/// fraction of the arm's simulated cells and its binomial standard error.
pub fn counts_csv(results: &Results) -> Vec<u8> {
    let mut w = writer();
    let header = [
        "arm",
        "route",
        "time_h",
        "location",
        "state",
        "cells",
        "fraction",
        "fraction_se",
        "dose_cells",
        "cells_of_dose",
    ];
    let _ = w.write_record(header);
    for arm in &results.arms {
        let n = arm.tally.cells() as f64;
        for (record, &time_h) in results.record_times_h.iter().enumerate() {
            for (row, location) in results.locations.iter().enumerate() {
                let cells = arm.tally.cells_at(record, row);
                let fraction = cells as f64 / n;
                let se = (fraction * (1.0 - fraction) / n).sqrt();
                let _ = w.write_record([
                    arm.arm.as_str(),
                    arm.route.as_str(),
                    &float(time_h),
                    location,
                    results.states[row],
                    &cells.to_string(),
                    &float(fraction),
                    &float(se),
                    &float(arm.dose_cells),
                    &float(fraction * arm.dose_cells),
                ]);
            }
        }
    }
    finish(w)
}

/// `exposure.csv`: cells that ever entered each location by each record time,
/// and the exact cell-hours spent there from time 0 up to it.
pub fn exposure_csv(results: &Results) -> Vec<u8> {
    let mut w = writer();
    let header = [
        "arm",
        "route",
        "time_h",
        "location",
        "state",
        "ever_entered",
        "cell_hours",
    ];
    let _ = w.write_record(header);
    for arm in &results.arms {
        for (record, &time_h) in results.record_times_h.iter().enumerate() {
            for (row, location) in results.locations.iter().enumerate() {
                let _ = w.write_record([
                    arm.arm.as_str(),
                    arm.route.as_str(),
                    &float(time_h),
                    location,
                    results.states[row],
                    &arm.tally.ever_entered(record, row).to_string(),
                    &ticks_as_hours(arm.tally.time_ticks(record, row)),
                ]);
            }
        }
    }
    finish(w)
}

/// `expected.csv`: exact expected fraction per (record time, location).
pub fn expected_csv(
    record_times_h: &[f64],
    locations: &[String],
    fractions: &[Vec<f64>],
) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["time_h", "location", "fraction"]);
    for (&time_h, row) in record_times_h.iter().zip(fractions) {
        for (location, &fraction) in locations.iter().zip(row) {
            let _ = w.write_record([&float(time_h), location.as_str(), &float(fraction)]);
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tally::{RecordClock, Tally, hours_to_ticks};
    use crate::results::ArmResult;

    fn tiny_results() -> Results {
        let clock = RecordClock::from_hours(&[0.5, 2.0]);
        let mut tally = Tally::new(2, &clock);
        // Cell 1: in "a" until 1 h, then "b". Cell 2: in "a" throughout.
        let one_hour = hours_to_ticks(1.0);
        let record = clock.records_before(one_hour);
        tally.add_entry(0, 0, 0, true);
        tally.add_exit(0, record, one_hour);
        tally.add_entry(1, record, one_hour, true);
        tally.add_cell(1);
        tally.add_entry(0, 0, 0, true);
        tally.add_cell(0);
        Results {
            record_times_h: vec![0.5, 2.0],
            locations: vec!["a".into(), "b".into()],
            states: vec![ALIVE, ALIVE],
            rare_rows: Vec::new(),
            arms: vec![ArmResult {
                arm: "tiny".into(),
                route: "graph".into(),
                dose_cells: 2.0,
                tally,
                rare: None,
                observed: None,
            }],
            pairs: None,
        }
    }

    #[test]
    fn counts_layout_is_stable() {
        let text = String::from_utf8(counts_csv(&tiny_results())).unwrap();
        assert_eq!(
            text,
            "arm,route,time_h,location,state,cells,fraction,fraction_se,dose_cells,cells_of_dose\n\
             tiny,graph,0.5,a,alive,2,1.0,0.0,2.0,2.0\n\
             tiny,graph,0.5,b,alive,0,0.0,0.0,2.0,0.0\n\
             tiny,graph,2.0,a,alive,1,0.5,0.3535533905932738,2.0,1.0\n\
             tiny,graph,2.0,b,alive,1,0.5,0.3535533905932738,2.0,1.0\n"
        );
    }

    #[test]
    fn exposure_layout_is_stable_and_exact() {
        let text = String::from_utf8(exposure_csv(&tiny_results())).unwrap();
        assert_eq!(
            text,
            "arm,route,time_h,location,state,ever_entered,cell_hours\n\
             tiny,graph,0.5,a,alive,2,1.000000000\n\
             tiny,graph,0.5,b,alive,0,0.000000000\n\
             tiny,graph,2.0,a,alive,2,3.000000000\n\
             tiny,graph,2.0,b,alive,1,1.000000000\n"
        );
    }

    #[test]
    fn expected_layout_is_stable() {
        let text =
            String::from_utf8(expected_csv(&[1.0 / 12.0], &["a".into()], &[vec![0.25]])).unwrap();
        assert_eq!(
            text,
            "time_h,location,fraction\n0.08333333333333333,a,0.25\n"
        );
    }
}
