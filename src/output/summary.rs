//! `summary.csv`: per arm, organ and record time, the live cells of the dose
//! and their fraction with an exact (Clopper–Pearson) 95 % interval, the
//! organ's peak and time of peak, and the live cell-hours up to that time
//! from the exact tick tallies (not a trapezoid).
//!
//! An organ is everything before the `/` of a location; `whole_knee` adds
//! up `knee/synovium`, `knee/bone`, `knee/periarticular`,
//! `knee/synovial_fluid` and `knee/cartilage` (without the lymph node).

use super::tables::float;
use crate::engine::tally::HOURS_PER_TICK;
use crate::model::locations::{ALIVE, in_whole_knee, organ_of};
use crate::results::{ArmResult, Results};
use crate::stats::clopper_pearson;

/// Organ names in output order, each with the rows it sums.
fn organs(results: &Results) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (row, location) in results.locations.iter().enumerate() {
        if results.states[row] != ALIVE {
            continue;
        }
        let organ = organ_of(location).to_string();
        match groups.iter_mut().find(|(name, _)| *name == organ) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((organ, vec![row])),
        }
    }
    let knee: Vec<usize> = (0..results.locations.len())
        .filter(|&r| results.states[r] == ALIVE && in_whole_knee(&results.locations[r]))
        .collect();
    if !knee.is_empty() {
        groups.push(("whole_knee".to_string(), knee));
    }
    groups
}

fn cells(arm: &ArmResult, record: usize, rows: &[usize]) -> u64 {
    rows.iter()
        .map(|&row| arm.tally.cells_at(record, row))
        .sum()
}

/// Serializes `summary.csv`.
pub fn summary_csv(results: &Results) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "arm",
        "route",
        "organ",
        "time_h",
        "cells_of_dose",
        "fraction",
        "fraction_ci95_low",
        "fraction_ci95_high",
        "peak_cells_of_dose",
        "peak_time_h",
        "cell_hours_of_dose",
    ]);
    let groups = organs(results);
    for arm in &results.arms {
        let n = arm.tally.cells();
        let scale = arm.dose_cells / n.max(1) as f64;
        for (organ, rows) in &groups {
            let counts: Vec<u64> = (0..results.record_times_h.len())
                .map(|r| cells(arm, r, rows))
                .collect();
            // First record time of the largest count.
            let (peak_record, peak) =
                counts.iter().enumerate().fold(
                    (0, 0),
                    |best, (r, &k)| if k > best.1 { (r, k) } else { best },
                );
            for (r, &time_h) in results.record_times_h.iter().enumerate() {
                let k = counts[r];
                let (low, high) = clopper_pearson(k, n, 0.05);
                let ticks: u128 = rows.iter().map(|&row| arm.tally.time_ticks(r, row)).sum();
                let cell_hours = ticks as f64 * HOURS_PER_TICK * scale;
                let _ = w.write_record([
                    arm.arm.as_str(),
                    arm.route.as_str(),
                    organ.as_str(),
                    &float(time_h),
                    &float(k as f64 * scale),
                    &float(k as f64 / n.max(1) as f64),
                    &float(low),
                    &float(high),
                    &float(peak as f64 * scale),
                    &float(results.record_times_h[peak_record]),
                    &float(cell_hours),
                ]);
            }
        }
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

/// `rare.csv`: the expected-value (next-event) estimator for the knee rows of
/// blood-borne arms (`iv`, `intra_arterial`), per arm, location and record time: expected live cells of the dose there
/// and their standard error, expected cells of the dose that have entered by
/// then and theirs, and the probability that at least one cell of the dose
/// has entered (1 − (1 − p)^dose, p the expected entries per cell).
pub fn rare_csv(results: &Results) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "arm",
        "route",
        "location",
        "time_h",
        "expected_cells_of_dose",
        "se_cells_of_dose",
        "expected_entered_cells_of_dose",
        "se_entered_cells_of_dose",
        "prob_at_least_one_entered",
    ]);
    for arm in &results.arms {
        // Only for arms whose cells reach the knee through the blood: there
        // every way into a knee row starts with an arrest from arterial
        // blood, which the estimator scores. (After an intra-articular
        // injection the knee rows are reached directly and counting works.)
        let Some(rare) = arm
            .rare
            .as_ref()
            .filter(|_| matches!(arm.route.as_str(), "iv" | "intra_arterial"))
        else {
            continue;
        };
        for (watched, &row) in results.rare_rows.iter().enumerate() {
            for (r, &time_h) in results.record_times_h.iter().enumerate() {
                let here = rare.occupancy(r, watched);
                let entered = rare.ever(r, watched);
                let p = entered.mean.clamp(0.0, 1.0);
                let at_least_one = -(arm.dose_cells * (-p).ln_1p()).exp_m1();
                let _ = w.write_record([
                    arm.arm.as_str(),
                    arm.route.as_str(),
                    results.locations[row].as_str(),
                    &float(time_h),
                    &float(here.mean * arm.dose_cells),
                    &float(here.se * arm.dose_cells),
                    &float(entered.mean * arm.dose_cells),
                    &float(entered.se * arm.dose_cells),
                    &float(at_least_one),
                ]);
            }
        }
    }
    w.into_inner().unwrap_or_default() // infallible: writing to a Vec<u8>
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tally::{RecordClock, Tally, hours_to_ticks};

    #[test]
    fn hand_computed_summary_of_a_tiny_run() {
        // Two cells, dose 10: both in "lung/capillary" from 0; one moves to
        // "liver/capillary" at 1 h. Records at 0.5 h and 2 h.
        let clock = RecordClock::from_hours(&[0.5, 2.0]);
        let mut tally = Tally::new(2, &clock);
        let one_hour = hours_to_ticks(1.0);
        let record = clock.records_before(one_hour);
        tally.add_entry(0, 0, 0, true);
        tally.add_exit(0, record, one_hour);
        tally.add_entry(1, record, one_hour, true);
        tally.add_cell(1);
        tally.add_entry(0, 0, 0, true);
        tally.add_cell(0);
        let results = Results {
            record_times_h: vec![0.5, 2.0],
            locations: vec!["lung/capillary".into(), "liver/capillary".into()],
            states: vec![ALIVE, ALIVE],
            rare_rows: Vec::new(),
            arms: vec![ArmResult {
                arm: "a".into(),
                route: "iv".into(),
                dose_cells: 10.0,
                tally,
                rare: None,
            }],
        };
        let text = String::from_utf8(summary_csv(&results)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // lung: 2 cells at 0.5 h (fraction 1, 10 of the dose, 0.5 h × 2 cells ×
        // 5 = 5 cell-hours of the dose), 1 at 2 h (1 h + 2 h = 3 cell-hours ×
        // 5 = 15); peak 10 at 0.5 h. liver: 0 then 1 (1 h × 5 = 5).
        let (l0, h0) = clopper_pearson(2, 2, 0.05);
        assert_eq!(
            lines[1],
            format!("a,iv,lung,0.5,10.0,1.0,{l0:?},{h0:?},10.0,0.5,5.0")
        );
        let (l1, h1) = clopper_pearson(1, 2, 0.05);
        assert_eq!(
            lines[2],
            format!("a,iv,lung,2.0,5.0,0.5,{l1:?},{h1:?},10.0,0.5,15.0")
        );
        let (l2, h2) = clopper_pearson(0, 2, 0.05);
        assert_eq!(
            lines[3],
            format!("a,iv,liver,0.5,0.0,0.0,{l2:?},{h2:?},5.0,2.0,0.0")
        );
        assert_eq!(
            lines[4],
            format!("a,iv,liver,2.0,5.0,0.5,{l1:?},{h1:?},5.0,2.0,5.0")
        );
        assert_eq!(lines.len(), 5);
    }
}
