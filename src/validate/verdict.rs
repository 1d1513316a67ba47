//! The verdict rules, fixed before any fitting (README, "How well biodist
//! agrees with data"):
//!
//! - a **single value** agrees when the model is within a factor 2 of it;
//! - a **range** (a min row and a max row of one dataset, organ and time,
//!   paired by the `statistic` column) agrees when the model is inside it;
//! - a **fold change** agrees within a factor 1.5;
//! - an **upper or lower bound** agrees when the model satisfies it;
//! - a **flag** (detected, dominant organ, direction) agrees when the model
//!   satisfies it, a detection against the stated detection limit;
//! - a **half-life, time of peak or duration** is a single value (factor 2).
//!
//! Where a row's time is a window (`0.083-1`), the model is read at every
//! record time inside it: a bound or an absence ("not detected", "never
//! dominant") must hold at all of them, anything else at one of them at
//! least. The model value reported is the one closest to the measurement.

use super::measurements::Measurement;
use super::spec::{Measure, ModelUnit, ValidationEntry};
use crate::observe::Assay;
use crate::results::Results;

/// The model's side of one comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Model value in the row's terms (NaN for a flag with no number).
    pub model: f64,
    /// Its Monte Carlo standard error (NaN where not available).
    pub model_se: f64,
    /// Whether the rule holds.
    pub agrees: bool,
    /// How far the model is from the row, for fitting: for a value or fold
    /// change the log of the ratio to the measured value in units of the
    /// row's own log-scale spread where it gives an SD, else of the rule's
    /// tolerance (ln 2 for a factor 2, ln 1.5 for a fold change); for a
    /// range a hinge: 0 inside, outside the log-distance to it in units of
    /// half the range's log-width; for a bound or flag a hinge in units of
    /// ln 2.
    pub residual: f64,
}

const LN2: f64 = std::f64::consts::LN_2;

/// ln(a / b) guarded against zeros (a floor of 1e-12 of the larger).
fn log_ratio(a: f64, b: f64) -> f64 {
    let floor = 1e-12 * a.abs().max(b.abs()).max(1e-300);
    (a.max(floor) / b.max(floor)).ln()
}

/// The unit of a value's or fold change's residual: the row's own spread
/// on the log scale where it gives an SD (at least 0.05, so that a very
/// precise row cannot swamp the others), else the rule's tolerance.
fn value_unit(row: &Measurement, tolerance: f64) -> f64 {
    row.log_sd().map_or(tolerance, |s| s.max(0.05))
}

/// A derived single value (half-life, time of peak, duration) against the
/// row's `v`: agrees within a factor 2; a model value that never comes
/// (infinite) is 10 tolerance units off.
fn within_factor_2(model: f64, v: f64) -> Outcome {
    Outcome {
        model,
        model_se: f64::NAN,
        agrees: model >= v / 2.0 && model <= v * 2.0,
        residual: if model.is_finite() {
            log_ratio(model, v) / LN2
        } else {
            10.0
        },
    }
}

/// One reported place of one assay of one arm, at every record time.
struct Series {
    times_h: Vec<f64>,
    values: Vec<f64>,
    se: Vec<f64>,
    /// The assay's own detection limit in this place, in the series' unit.
    detection_limit: Option<f64>,
}

fn series(
    results: &Results,
    arm: &str,
    assay: &str,
    location: &str,
    unit: ModelUnit,
) -> Result<Series, String> {
    let arm_result = results
        .arms
        .iter()
        .find(|a| a.arm == arm)
        .ok_or(format!("no arm {arm:?}"))?;
    let observed = arm_result
        .observed
        .as_ref()
        .ok_or(format!("arm {arm:?} observes no assay (add `observe`)"))?;
    let a = observed
        .assays
        .iter()
        .position(|(name, _)| name == assay)
        .ok_or(format!("arm {arm:?} does not observe {assay:?}"))?;
    let g = observed
        .groups
        .iter()
        .position(|n| n == location)
        .ok_or(format!(
            "location: expected a reported place ({}), found {location:?}",
            observed.groups.join(", ")
        ))?;
    let width = observed.groups.len();
    let scale = match (&observed.assays[a].1, unit) {
        (Assay::Radiolabel { .. }, _) => 100.0,
        (_, ModelUnit::AsObserved) => arm_result.dose_cells,
        (_, ModelUnit::PercentOfDose) => 100.0,
    };
    let (values, se) = (0..results.record_times_h.len())
        .map(|r| {
            let m = observed.tally.mean(r, a * width + g);
            (m.mean * scale, m.se * scale)
        })
        .unzip();
    // Limits are in cells in the whole place; a percent of the dose
    // scales them as the signal.
    let detection_limit = observed
        .detection_limits
        .get(a)
        .and_then(|l| l.get(g).copied().flatten())
        .map(|cells| cells / arm_result.dose_cells * scale);
    Ok(Series {
        times_h: results.record_times_h.clone(),
        values,
        se,
        detection_limit,
    })
}

/// log-distance between a model value and a target (∞ for non-positive).
fn log_distance(model: f64, target: f64) -> f64 {
    if model > 0.0 && target > 0.0 {
        (model / target).ln().abs()
    } else if model.to_bits() == target.to_bits() {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Other scenarios' results, by scenario name (for `against.scenario`).
pub type OtherScenarios<'a> = &'a dyn Fn(&str) -> Option<&'a Results>;

/// Evaluates `entry` for `row` (and `high`, a range's max row) on `results`;
/// `others` finds the results of the scenario an `against` names.
pub fn evaluate(
    entry: &ValidationEntry,
    row: &Measurement,
    high: Option<&Measurement>,
    results: &Results,
    others: OtherScenarios,
) -> Result<Outcome, String> {
    let main = series(
        results,
        &entry.arm,
        &entry.assay,
        &entry.location,
        entry.model_unit,
    )?;
    let window = match entry.time_h {
        Some(t) => (t, t),
        None => match row.time_window_h() {
            Some(w) => w,
            None if matches!(
                entry.measure,
                Measure::HalfLife | Measure::TimeOfPeak | Measure::DurationDetectable
            ) =>
            {
                (0.0, f64::INFINITY)
            }
            None => return Err(format!("row {} gives no time: set time_h", row.id)),
        },
    };
    let tolerance = |t: f64| 1e-6 * t.abs().max(1e-3);
    let in_window: Vec<usize> = (0..main.times_h.len())
        .filter(|&r| {
            let t = main.times_h[r];
            t >= window.0 - tolerance(window.0) && t <= window.1 + tolerance(window.1)
        })
        .collect();
    if in_window.is_empty() {
        return Err(format!(
            "no record time in {}–{} h for row {}: add one to run.record_times_h",
            window.0, window.1, row.id
        ));
    }
    let other = |r: usize| -> Result<f64, String> {
        let against = entry.against.as_ref().ok_or(format!(
            "against: expected the other side of a {} (arm, location or scenario), found none",
            entry.measure.name()
        ))?;
        let their_results = match &against.scenario {
            None => results,
            Some(name) => {
                let theirs = others(name).ok_or(format!(
                    "against.scenario: no validation scenario named {name:?} was run with this one"
                ))?;
                if theirs.record_times_h != results.record_times_h {
                    return Err(format!(
                        "against.scenario {name:?}: expected the same record_times_h as this scenario"
                    ));
                }
                theirs
            }
        };
        let s = series(
            their_results,
            against.arm.as_deref().unwrap_or(&entry.arm),
            &entry.assay,
            against.location.as_deref().unwrap_or(&entry.location),
            entry.model_unit,
        )?;
        Ok(s.values[r])
    };
    let v = row.value;
    let closest = |candidates: Vec<(usize, f64)>, target: f64| {
        candidates
            .into_iter()
            .min_by(|a, b| log_distance(a.1, target).total_cmp(&log_distance(b.1, target)))
    };
    let number = |r: usize| (main.values[r], main.se[r]);
    let outcome = match entry.measure {
        Measure::Value => {
            let (r, m) = closest(in_window.iter().map(|&r| (r, main.values[r])).collect(), v)
                .unwrap_or((in_window[0], f64::NAN));
            Outcome {
                model: m,
                model_se: main.se[r],
                agrees: m >= v / 2.0 && m <= v * 2.0,
                residual: log_ratio(m, v) / value_unit(row, LN2),
            }
        }
        Measure::Range => {
            let high = high.ok_or(format!("range row {} needs row_high", row.id))?;
            let (low, top) = (v.min(high.value), v.max(high.value));
            let middle = (low * top).sqrt();
            let (r, m) = closest(
                in_window.iter().map(|&r| (r, main.values[r])).collect(),
                middle,
            )
            .unwrap_or((in_window[0], f64::NAN));
            let agrees = in_window
                .iter()
                .any(|&r| main.values[r] >= low && main.values[r] <= top);
            // The range's own spread: half its width on the log scale.
            let unit = if top > low && low > 0.0 {
                0.5 * (top / low).ln()
            } else {
                LN2
            };
            let residual = if agrees {
                0.0
            } else if m < low {
                log_ratio(m, low) / unit
            } else {
                log_ratio(m, top) / unit
            };
            Outcome {
                model: m,
                model_se: main.se[r],
                agrees,
                residual,
            }
        }
        Measure::UpperBound | Measure::LowerBound => {
            let upper = entry.measure == Measure::UpperBound;
            // The worst value over the window.
            let r = *in_window
                .iter()
                .max_by(|&&a, &&b| {
                    let (x, y) = (main.values[a], main.values[b]);
                    if upper {
                        x.total_cmp(&y)
                    } else {
                        y.total_cmp(&x)
                    }
                })
                .unwrap_or(&in_window[0]);
            let (m, se) = number(r);
            let agrees = if upper { m <= v } else { m >= v };
            Outcome {
                model: m,
                model_se: se,
                agrees,
                residual: if agrees { 0.0 } else { log_ratio(m, v) / LN2 },
            }
        }
        Measure::Detected => {
            let limit = entry.detection_limit.or(main.detection_limit).ok_or(
                "detected needs detection_limit: the assay has none for this place".to_string(),
            )?;
            let r = *in_window
                .iter()
                .max_by(|&&a, &&b| main.values[a].total_cmp(&main.values[b]))
                .unwrap_or(&in_window[0]);
            let (m, se) = number(r);
            let detected = m >= limit;
            let agrees = if v > 0.5 { detected } else { !detected };
            Outcome {
                model: m,
                model_se: se,
                agrees,
                residual: if agrees {
                    0.0
                } else {
                    log_ratio(m, limit) / LN2
                },
            }
        }
        Measure::Dominant => {
            let leads = |r: usize| -> Result<bool, String> {
                let mine = main.values[r];
                for place in &entry.among {
                    let s = series(results, &entry.arm, &entry.assay, place, entry.model_unit)?;
                    if s.values[r] > mine {
                        return Ok(false);
                    }
                }
                Ok(true)
            };
            let mut any = false;
            // How far the place is from leading: ln(largest other / mine).
            let mut gap = f64::INFINITY;
            for &r in &in_window {
                any |= leads(r)?;
                let mut largest: f64 = 0.0;
                for place in &entry.among {
                    let s = series(results, &entry.arm, &entry.assay, place, entry.model_unit)?;
                    largest = largest.max(s.values[r]);
                }
                gap = gap.min(log_ratio(largest, main.values[r]));
            }
            let (m, se) = number(in_window[0]);
            let agrees = if v > 0.5 { any } else { !any };
            Outcome {
                model: m,
                model_se: se,
                agrees,
                residual: if agrees { 0.0 } else { gap.abs() / LN2 },
            }
        }
        Measure::FoldChange | Measure::Direction => {
            let mut best: Option<f64> = None;
            let mut agrees = false;
            let mut residual = f64::INFINITY;
            for &r in &in_window {
                let (mine, theirs) = (main.values[r], other(r)?);
                let (value, holds) = if entry.measure == Measure::FoldChange {
                    let ratio = mine / theirs;
                    residual =
                        residual.min(log_ratio(ratio, v).abs() / value_unit(row, 1.5f64.ln()));
                    (ratio, ratio >= v / 1.5 && ratio <= v * 1.5)
                } else {
                    // Relative difference the wrong way (0 when right).
                    let wrong =
                        -(mine - theirs) * v.signum() / mine.abs().max(theirs.abs()).max(1e-300);
                    residual = residual.min(wrong.max(0.0) / LN2);
                    let sign = (mine - theirs).signum();
                    let differs = (mine - theirs).abs() > 0.0;
                    (mine - theirs, differs && (sign > 0.0) == (v > 0.0))
                };
                agrees |= holds;
                if best.is_none_or(|b| {
                    entry.measure == Measure::Direction
                        || log_distance(value, v) < log_distance(b, v)
                }) {
                    best = Some(value);
                }
            }
            let residual = if agrees && entry.measure == Measure::Direction {
                0.0
            } else {
                residual
            };
            Outcome {
                model: best.unwrap_or(f64::NAN),
                model_se: f64::NAN,
                agrees,
                residual,
            }
        }
        Measure::HalfLife => {
            let from = entry.from_h.unwrap_or(main.times_h[0]);
            let start = main
                .times_h
                .iter()
                .position(|&t| (t - from).abs() <= tolerance(from))
                .ok_or(format!("half_life: from_h {from} is not a record time"))?;
            let half = main.values[start] / 2.0;
            let mut model = f64::INFINITY;
            for r in start + 1..main.times_h.len() {
                if main.values[r] <= half {
                    // Log-linear between the records around the crossing.
                    let (t0, t1) = (main.times_h[r - 1], main.times_h[r]);
                    let (y0, y1) = (main.values[r - 1], main.values[r]);
                    let t = if y1 > 0.0 && y0 > 0.0 && (y0 - y1).abs() > 0.0 {
                        t0 + (t1 - t0) * (y0 / half).ln() / (y0 / y1).ln()
                    } else {
                        t1
                    };
                    model = t - from;
                    break;
                }
            }
            within_factor_2(model, v)
        }
        Measure::TimeOfPeak => {
            let r = (0..main.times_h.len())
                .max_by(|&a, &b| main.values[a].total_cmp(&main.values[b]))
                .unwrap_or(0);
            let model = main.times_h[r];
            within_factor_2(model, v)
        }
        Measure::DurationDetectable => {
            let limit = entry.detection_limit.or(main.detection_limit).ok_or(
                "duration_detectable needs detection_limit: the assay has none for this place"
                    .to_string(),
            )?;
            let model = (0..main.times_h.len())
                .filter(|&r| main.values[r] >= limit)
                .map(|r| main.times_h[r])
                .fold(0.0, f64::max);
            within_factor_2(model, v)
        }
    };
    Ok(outcome)
}
