//! `observed.csv`: what each arm's assays see (scenario key `observe`), per
//! assay, record time and place:
//! `arm,route,assay,time_h,location,signal,signal_se,unit,detection_limit,detected`.
//! A radiolabel's signal is the percent of the injected activity there; the
//! other assays' are in cells of the dose (live cells, or cell equivalents
//! of DNA, or labelled cells and debris). Exact in expectation along the
//! simulated histories; `signal_se` is the Monte Carlo standard error over
//! cells (see `crate::observe`).

use super::tables::float;
use crate::observe::Assay;
use crate::results::Results;

/// Serializes `observed.csv`; `None` when no arm is observed.
pub fn observed_csv(results: &Results) -> Option<Vec<u8>> {
    if results.arms.iter().all(|a| a.observed.is_none()) {
        return None;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "arm",
        "route",
        "assay",
        "time_h",
        "location",
        "signal",
        "signal_se",
        "unit",
        "detection_limit",
        "detected",
    ]);
    for arm in &results.arms {
        let Some(observed) = &arm.observed else {
            continue;
        };
        let width = observed.groups.len();
        for (a, (name, assay)) in observed.assays.iter().enumerate() {
            let scale = match assay {
                Assay::Radiolabel { .. } => 100.0,
                _ => arm.dose_cells,
            };
            let limits = observed.detection_limits.get(a);
            for (r, &time_h) in results.record_times_h.iter().enumerate() {
                for (g, group) in observed.groups.iter().enumerate() {
                    let m = observed.tally.mean(r, a * width + g);
                    let limit = limits.and_then(|l| l.get(g).copied().flatten());
                    let signal = m.mean * scale;
                    let _ = w.write_record([
                        arm.arm.as_str(),
                        arm.route.as_str(),
                        name.as_str(),
                        &float(time_h),
                        group.as_str(),
                        &float(signal),
                        &float(m.se * scale),
                        assay.unit(),
                        &limit.map(float).unwrap_or_default(),
                        match limit {
                            Some(l) if signal >= l => "yes",
                            Some(_) => "no",
                            None => "",
                        },
                    ]);
                }
            }
        }
    }
    Some(w.into_inner().unwrap_or_default()) // infallible: writing to a Vec<u8>
}
