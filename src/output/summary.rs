//! `summary.csv`: per arm, place and record time:
//!
//! - the live cells of the dose and their fraction, with the simulated
//!   counts behind them and an exact (Clopper–Pearson) 95 % interval;
//! - the place's peak and time of peak;
//! - the live cell-hours of the dose up to that time, from the exact tick
//!   tallies (not a trapezoid), and the mean residence time: those
//!   cell-hours per injected cell (`mean_residence_per_injected_cell_h`, the compartmental mean residence time of
//!   the place, up to that time);
//! - for a knee compartment of an arm given into the blood, the
//!   rare-destination estimate of `rare.csv` (expected live cells, its SE,
//!   the probability that at least one cell of the dose has entered);
//! - where `--uncertainty` ran, the 5 %, 50 % and 95 % quantiles over the
//!   parameter sets of the cells of the dose (and of that probability);
//! - `conditional_on`: the unmeasured parameters the value hangs on (knee
//!   places of arms given into the blood), empty otherwise.
//!
//! Places are those of [`OrganGroups`]: organs, `whole_knee` and each knee
//! compartment.

use super::tables::float;
use crate::engine::tally::HOURS_PER_TICK;
use crate::model::groups::OrganGroups;
use crate::model::{conditional_on_label, route_into_blood};
use crate::results::{ArmResult, Results};
use crate::stats::clopper_pearson;
use crate::uncertainty::files::SetTable;

/// The columns of `summary.csv`, in order.
pub const SUMMARY_COLUMNS: [&str; 28] = [
    "arm",
    "route",
    "organ",
    "time_h",
    "dose_cells",
    "simulated_cells",
    "simulated_cells_here",
    "cells_of_dose",
    "fraction",
    "fraction_ci95_low",
    "fraction_ci95_high",
    "cells_of_dose_ci95_low",
    "cells_of_dose_ci95_high",
    "peak_cells_of_dose",
    "peak_time_h",
    "cell_hours_of_dose",
    "mean_residence_per_injected_cell_h",
    "expected_cells_of_dose",
    "expected_cells_se",
    "expected_entered_cells_of_dose",
    "prob_at_least_one_entered",
    "parameter_sets",
    "param_q05_cells_of_dose",
    "param_median_cells_of_dose",
    "param_q95_cells_of_dose",
    "param_q05_prob_at_least_one",
    "param_median_prob_at_least_one",
    "param_q95_prob_at_least_one",
];

fn cells(arm: &ArmResult, record: usize, rows: &[usize]) -> u64 {
    rows.iter()
        .map(|&row| arm.tally.cells_at(record, row))
        .sum()
}

/// Whether `place` is the knee or part of it.
fn in_knee(place: &str) -> bool {
    place == "whole_knee" || crate::model::locations::organ_of(place).ends_with("knee")
}

/// Serializes `summary.csv`; `bands` are the parameter sets' numbers where
/// `--uncertainty` ran.
pub fn summary_csv(results: &Results, bands: Option<&SetTable>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<&str> = SUMMARY_COLUMNS.to_vec();
    header.push("conditional_on");
    let _ = w.write_record(&header);
    let groups = OrganGroups::of_rows(&results.locations, &results.states);
    let conditional = conditional_on_label();
    for arm in &results.arms {
        let n = arm.tally.cells();
        let scale = arm.dose_cells / n.max(1) as f64;
        let into_blood = route_into_blood(&arm.route);
        for (organ, rows) in groups.names.iter().zip(&groups.rows) {
            let counts: Vec<u64> = (0..results.record_times_h.len())
                .map(|r| cells(arm, r, rows))
                .collect();
            // First record time of the largest count.
            let (peak_record, peak) =
                counts.iter().enumerate().fold(
                    (0, 0),
                    |best, (r, &k)| if k > best.1 { (r, k) } else { best },
                );
            let rare_index = match rows[..] {
                [row] if into_blood => results.rare_rows.iter().position(|&w| w == row),
                _ => None,
            };
            let locations: Vec<&str> = rows
                .iter()
                .map(|&r| results.locations[r].as_str())
                .collect();
            for (r, &time_h) in results.record_times_h.iter().enumerate() {
                let k = counts[r];
                let (low, high) = clopper_pearson(k, n, 0.05);
                let ticks: u128 = rows.iter().map(|&row| arm.tally.time_ticks(r, row)).sum();
                let cell_hours = ticks as f64 * HOURS_PER_TICK * scale;
                let mut rare_columns = vec![String::new(); 4];
                if let (Some(watched), Some(rare)) = (rare_index, &arm.rare) {
                    let here = rare.occupancy(r, watched);
                    let entered = rare.ever(r, watched);
                    let p = entered.mean.clamp(0.0, 1.0);
                    rare_columns = vec![
                        float(here.mean * arm.dose_cells),
                        float(here.se * arm.dose_cells),
                        float(entered.mean * arm.dose_cells),
                        float(-(arm.dose_cells * (-p).ln_1p()).exp_m1()),
                    ];
                }
                let mut band_columns = vec![String::new(); 7];
                if let Some(sets) = bands {
                    band_columns[0] = sets.sets.to_string();
                    let pick = |l: &str| locations.contains(&l);
                    let q = if into_blood && in_knee(organ) {
                        sets.best_band(&arm.arm, time_h, pick)
                    } else {
                        sets.band(&arm.arm, time_h, pick)
                    };
                    if let Some(q) = q {
                        for i in 0..3 {
                            band_columns[1 + i] = float(q[i]);
                        }
                    }
                    if let [location] = locations[..]
                        && let Some((_, p)) = sets.rare_band(&arm.arm, location, time_h)
                    {
                        for i in 0..3 {
                            band_columns[4 + i] = float(p[i]);
                        }
                    }
                }
                let mut record = vec![
                    arm.arm.clone(),
                    arm.route.clone(),
                    organ.clone(),
                    float(time_h),
                    float(arm.dose_cells),
                    n.to_string(),
                    k.to_string(),
                    float(k as f64 * scale),
                    float(k as f64 / n.max(1) as f64),
                    float(low),
                    float(high),
                    float(low * arm.dose_cells),
                    float(high * arm.dose_cells),
                    float(peak as f64 * scale),
                    float(results.record_times_h[peak_record]),
                    float(cell_hours),
                    float(cell_hours / arm.dose_cells),
                ];
                record.extend(rare_columns);
                record.extend(band_columns);
                record.push(if into_blood && in_knee(organ) {
                    conditional.clone()
                } else {
                    String::new()
                });
                let _ = w.write_record(&record);
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
    use crate::model::locations::ALIVE;

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
                observed: None,
            }],
            pairs: None,
        };
        let text = String::from_utf8(summary_csv(&results, None)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // lung: 2 cells at 0.5 h (fraction 1, 10 of the dose, 0.5 h × 2 cells ×
        // 5 = 5 cell-hours of the dose), 1 at 2 h (1 h + 2 h = 3 cell-hours ×
        // 5 = 15); peak 10 at 0.5 h. liver: 0 then 1 (1 h × 5 = 5).
        // Then 12 empty columns: no rare estimate, no parameter band, not
        // conditional. Mean residence = cell-hours / dose.
        let empty = ",".repeat(12);
        let (l0, h0) = clopper_pearson(2, 2, 0.05);
        assert_eq!(
            lines[1],
            format!(
                "a,iv,lung,0.5,10.0,2,2,10.0,1.0,{l0:?},{h0:?},{:?},{:?},10.0,0.5,5.0,0.5{empty}",
                l0 * 10.0,
                h0 * 10.0
            )
        );
        let (l1, h1) = clopper_pearson(1, 2, 0.05);
        assert_eq!(
            lines[2],
            format!(
                "a,iv,lung,2.0,10.0,2,1,5.0,0.5,{l1:?},{h1:?},{:?},{:?},10.0,0.5,15.0,1.5{empty}",
                l1 * 10.0,
                h1 * 10.0
            )
        );
        let (l2, h2) = clopper_pearson(0, 2, 0.05);
        assert_eq!(
            lines[3],
            format!(
                "a,iv,liver,0.5,10.0,2,0,0.0,0.0,{l2:?},{h2:?},{:?},{:?},5.0,2.0,0.0,0.0{empty}",
                l2 * 10.0,
                h2 * 10.0
            )
        );
        assert_eq!(
            lines[4],
            format!(
                "a,iv,liver,2.0,10.0,2,1,5.0,0.5,{l1:?},{h1:?},{:?},{:?},5.0,2.0,5.0,0.5{empty}",
                l1 * 10.0,
                h1 * 10.0
            )
        );
        assert_eq!(lines.len(), 5);
    }
}
