//! The short table a physiological run prints in the terminal: for each arm,
//! the cells of the dose alive in lung, liver, spleen, the whole knee and
//! cartilage at 1 h, 24 h, 7 d and 30 d, and where the rest are.

use std::fmt::Write;

use crate::model::conditional_on_label;
use crate::model::locations::{ALIVE, in_whole_knee, organ_of};
use crate::results::{ArmResult, Results};
use crate::stats::clopper_pearson;
use crate::uncertainty::files::SetTable;

/// Times the table reports (h), with their labels.
pub const TABLE_TIMES_H: [(f64, &str); 4] = [
    (1.0, "1 h"),
    (24.0, "24 h"),
    (168.0, "7 d"),
    (720.0, "30 d"),
];

/// What the table sums, per record time, for one arm.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ArmSnapshot {
    /// Live cells of the dose in the lung (capillary and tissue).
    pub lung: f64,
    /// In the liver.
    pub liver: f64,
    /// In the spleen.
    pub spleen: f64,
    /// In the whole knee (synovium, bone, periarticular, fluid, cartilage).
    pub whole_knee: f64,
    /// In cartilage.
    pub cartilage: f64,
    /// In blood.
    pub blood: f64,
    /// Alive anywhere else.
    pub elsewhere: f64,
    /// Dead (debris) or cleared.
    pub dead_or_cleared: f64,
    /// Not (yet) injected.
    pub not_injected: f64,
}

/// Live cells of the dose by group at record `record` of `arm`.
pub fn snapshot(results: &Results, arm: &ArmResult, record: usize) -> ArmSnapshot {
    let n = arm.tally.cells() as f64;
    let mut s = ArmSnapshot::default();
    for (row, location) in results.locations.iter().enumerate() {
        let cells = arm.tally.cells_at(record, row) as f64 / n * arm.dose_cells;
        if results.states[row] != ALIVE {
            s.dead_or_cleared += cells;
            continue;
        }
        let organ = organ_of(location);
        if location == "not_yet_injected" {
            s.not_injected += cells;
        } else if location.ends_with("_blood") {
            s.blood += cells;
        } else if organ == "lung" {
            s.lung += cells;
        } else if organ == "liver" {
            s.liver += cells;
        } else if organ == "spleen" {
            s.spleen += cells;
        } else if in_whole_knee(location) {
            s.whole_knee += cells;
        } else {
            s.elsewhere += cells;
        }
        if location.ends_with("/cartilage") {
            s.cartilage += cells;
        }
    }
    s
}

/// A count of cells for the table: whole numbers up to 10^5, then 3 significant digits.
pub fn cells_label(cells: f64) -> String {
    if cells == 0.0 {
        "0".to_string()
    } else if cells < 0.01 {
        format!("{cells:.1e}")
    } else if cells < 100_000.0 {
        if cells < 10.0 {
            format!("{cells:.2}")
        } else {
            format!("{cells:.0}")
        }
    } else {
        format!("{cells:.2e}")
    }
}

/// The low and high values of the whole knee and cartilage for an arm, at the
/// table's times, over the documented range of the parameters they hang on.
#[derive(Debug, Clone, PartialEq)]
pub struct KneeRange {
    /// Arm name.
    pub arm: String,
    /// (whole knee low, high, cartilage low, high) per table time (None if not recorded).
    pub at: Vec<Option<(f64, f64, f64, f64)>>,
    /// The parameters varied.
    pub parameters: Vec<String>,
}

/// The record index of time `time_h`, if it was recorded.
pub fn record_at(results: &Results, time_h: f64) -> Option<usize> {
    results
        .record_times_h
        .iter()
        .position(|&t| (t - time_h).abs() <= 1e-9 * time_h.max(1.0))
}

/// Formats the terminal table.
pub fn table(
    results: &Results,
    ranges: &[KneeRange],
    simulated_cells: u64,
    bands: Option<&SetTable>,
) -> String {
    let mut out = String::new();
    let columns = [
        "lung",
        "liver",
        "spleen",
        "whole knee",
        "cartilage",
        "blood",
        "other organs",
        "not injected",
        "dead/cleared",
    ];
    for arm in &results.arms {
        let one_cell = arm.dose_cells / simulated_cells as f64;
        let _ = writeln!(
            out,
            "\narm {} (route {}), dose {:.3e} cells: cells of the dose alive in each place, then dead or cleared",
            arm.arm, arm.route, arm.dose_cells
        );
        let _ = write!(out, "  {:<6}", "time");
        for c in columns {
            let _ = write!(out, "{c:>13}");
        }
        let _ = writeln!(out);
        let range = ranges.iter().find(|r| r.arm == arm.arm);
        let mut behind_knee = Vec::new();
        let mut small_counts = Vec::new();
        for (i, (time_h, label)) in TABLE_TIMES_H.iter().enumerate() {
            let Some(record) = record_at(results, *time_h) else {
                continue;
            };
            let s = snapshot(results, arm, record);
            let _ = write!(out, "  {label:<6}");
            for v in [
                s.lung,
                s.liver,
                s.spleen,
                s.whole_knee,
                s.cartilage,
                s.blood,
                s.elsewhere,
                s.not_injected,
                s.dead_or_cleared,
            ] {
                let _ = write!(out, "{:>13}", cells_label(v));
            }
            let _ = writeln!(out);
            let interval = |cells_of_dose: f64| {
                let k = (cells_of_dose / one_cell).round() as u64;
                let (low, high) = clopper_pearson(k, simulated_cells, 0.05);
                format!(
                    "{k} ({}–{})",
                    cells_label(low * arm.dose_cells),
                    cells_label(high * arm.dose_cells)
                )
            };
            behind_knee.push(format!(
                "{label}: {}, {}",
                interval(s.whole_knee),
                interval(s.cartilage)
            ));
            for (name, cells) in [
                ("lung", s.lung),
                ("liver", s.liver),
                ("spleen", s.spleen),
                ("blood", s.blood),
                ("other organs", s.elsewhere),
            ] {
                let k = (cells / one_cell).round() as u64;
                if (1..10).contains(&k) {
                    small_counts.push(format!("{name} {label} {}", interval(cells)));
                }
            }
            if let Some((knee_low, knee_high, cart_low, cart_high)) =
                range.and_then(|r| r.at.get(i).copied().flatten())
            {
                let _ = writeln!(
                    out,
                    "  {:<6}{:>13}{:>13}{:>13}{:>13}{:>13}   low–high over the parameters below",
                    "",
                    "",
                    "",
                    "",
                    // A leading space keeps two full-width ranges apart.
                    format!(" {}–{}", cells_label(knee_low), cells_label(knee_high)),
                    format!(" {}–{}", cells_label(cart_low), cells_label(cart_high)),
                );
            }
        }
        if let Some(r) = range {
            let why = if arm.route == "intra_articular" {
                "rest on joint parameters calibrated in mice and carried to this body by a stated rule (adhesion times × body mass^0.25)"
            } else {
                "hang on parameters unmeasured in humans (assumed, or fitted only in animals)"
            };
            let _ = writeln!(
                out,
                "  whole knee and cartilage {why}: {}; low–high reruns the arm with each at the low, then the high end of its documented range (docs/presets.md).",
                r.parameters.join(", ")
            );
        }
        if let Some(rare) = &arm.rare
            && matches!(arm.route.as_str(), "iv" | "intra_arterial")
        {
            let mut parts = Vec::new();
            for (time_h, label) in TABLE_TIMES_H.iter() {
                let Some(record) = record_at(results, *time_h) else {
                    continue;
                };
                for (w, &row) in results.rare_rows.iter().enumerate() {
                    if results.locations[row].ends_with("/cartilage") {
                        let e = rare.occupancy(record, w);
                        parts.push(if e.mean > 0.0 {
                            format!(
                                "{label} {} ± {}",
                                cells_label(e.mean * arm.dose_cells),
                                cells_label(e.se * arm.dose_cells)
                            )
                        } else {
                            // No simulated cell had a path there: not a
                            // measured zero.
                            format!("{label} none sampled")
                        });
                    }
                }
            }
            let last = results.record_times_h.len().saturating_sub(1);
            let entered: Vec<String> = results
                .rare_rows
                .iter()
                .enumerate()
                .filter(|(_, row)| results.locations[**row].ends_with("/cartilage"))
                .map(|(w, _)| {
                    let entered = rare.ever(last, w);
                    let at_least_one = |p: f64| {
                        let p = p.clamp(0.0, 1.0);
                        -(arm.dose_cells * (-p).ln_1p()).exp_m1()
                    };
                    if entered.mean > 0.0 {
                        // With the estimate's 95 % Monte Carlo interval
                        // (mean ± 1.96 SE, carried through 1 − (1 − p)^dose).
                        format!(
                            "{:.3} (95 %: {:.3}–{:.3})",
                            at_least_one(entered.mean),
                            at_least_one(entered.mean - 1.96 * entered.se),
                            at_least_one(entered.mean + 1.96 * entered.se)
                        )
                    } else {
                        "not estimable: no simulated cell had a path there".to_string()
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "  expected-value estimate (rare.csv) of live cells of the dose in cartilage: {}; probability that at least one cell of the dose ever enters cartilage (by {} h): {}; conditional on {}.",
                parts.join(", "),
                results.record_times_h[last],
                entered.join(", "),
                conditional_on_label()
            );
        }
        if !small_counts.is_empty() {
            let _ = writeln!(
                out,
                "  small counts (fewer than 10 simulated cells; exact 95 % interval in cells of the dose): {}.",
                small_counts.join("; ")
            );
        }
        if let Some(sets) = bands {
            let _ = write!(out, "{}", band_lines(results, arm, sets));
        }
        let _ = writeln!(
            out,
            "  Monte Carlo: {simulated_cells} cells simulated, one stands for {} cells of the dose (fewer show as 0); simulated cells behind whole knee, cartilage, with the exact 95 % interval in cells of the dose: {}.",
            cells_label(one_cell),
            behind_knee.join("; ")
        );
    }
    out
}

/// The parameter-uncertainty lines of one arm: median and 5–95 % over the
/// parameter sets of the whole knee and cartilage at the table's times, and
/// (arms given into the blood) of the probability that at least one cell of
/// the dose ever enters cartilage.
fn band_lines(results: &Results, arm: &ArmResult, sets: &SetTable) -> String {
    let mut out = String::new();
    let quantiles = |q: [f64; 3]| {
        format!(
            "{} ({}–{})",
            cells_label(q[1]),
            cells_label(q[0]),
            cells_label(q[2])
        )
    };
    for (what, pick) in [
        (
            "whole knee",
            Box::new(in_whole_knee) as Box<dyn Fn(&str) -> bool>,
        ),
        ("cartilage", Box::new(|l: &str| l.ends_with("/cartilage"))),
    ] {
        let parts: Vec<String> = TABLE_TIMES_H
            .iter()
            .filter(|(t, _)| record_at(results, *t).is_some())
            .filter_map(|(t, label)| {
                let time_h = results.record_times_h[record_at(results, *t)?];
                let q = sets.best_band(&arm.arm, time_h, &pick)?;
                Some(format!("{label} {}", quantiles(q)))
            })
            .collect();
        let _ = writeln!(
            out,
            "  parameter uncertainty, {what}: median (5–95 %) over {} parameter sets{}: {}",
            sets.sets,
            if sets.has_expected(&arm.arm) {
                " (expected-value estimates)"
            } else {
                ""
            },
            parts.join(", ")
        );
    }
    if crate::model::route_into_blood(&arm.route)
        && let Some(&last_h) = results.record_times_h.last()
    {
        for &row in &results.rare_rows {
            let location = &results.locations[row];
            if !location.ends_with("/cartilage") {
                continue;
            }
            if let Some((_, p)) = sets.rare_band(&arm.arm, location, last_h) {
                let _ = writeln!(
                    out,
                    "  probability that at least one cell of the dose ever enters {location} by {last_h} h, over the parameter sets: median {:.3} (5–95 %: {:.3}–{:.3})",
                    p[1], p[0], p[2]
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_and_exact_for_small_counts() {
        assert_eq!(cells_label(0.0), "0");
        assert_eq!(cells_label(3.456), "3.46");
        assert_eq!(cells_label(1234.4), "1234");
        assert_eq!(cells_label(1.4e8), "1.40e8");
        assert_eq!(cells_label(0.001), "1.0e-3");
    }
}
