//! `pairs.csv`: what a paired comparison of a run's arms needs. Per pair of
//! arms (A before B in file order), place and record time: the simulated
//! cells (the same N in both arms), the simulated cells of each arm in the
//! place, and the cells whose copies in both arms were there (common random
//! numbers make arm A's cell i and arm B's cell i a pair). `biodist compare`
//! turns these into differences with paired standard errors.

use super::tables::float;
use crate::model::groups::OrganGroups;
use crate::results::Results;

/// Serializes `pairs.csv` (`None` when the run has no joint tallies).
pub fn pairs_csv(results: &Results) -> Option<Vec<u8>> {
    let pairs = results.pairs.as_ref()?;
    let groups = OrganGroups::of_rows(&results.locations, &results.states);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "arm_a",
        "arm_b",
        "organ",
        "time_h",
        "simulated_cells",
        "cells_a",
        "cells_b",
        "cells_in_both",
    ]);
    let arms = &results.arms;
    for a in 0..arms.len() {
        for b in a + 1..arms.len() {
            for (g, (organ, rows)) in groups.names.iter().zip(&groups.rows).enumerate() {
                for (r, &time_h) in results.record_times_h.iter().enumerate() {
                    let count = |arm: usize| -> u64 {
                        rows.iter()
                            .map(|&row| arms[arm].tally.cells_at(r, row))
                            .sum()
                    };
                    let _ = w.write_record([
                        arms[a].arm.as_str(),
                        arms[b].arm.as_str(),
                        organ.as_str(),
                        &float(time_h),
                        &arms[a].tally.cells().to_string(),
                        &count(a).to_string(),
                        &count(b).to_string(),
                        &pairs.both(a, b, r, g).to_string(),
                    ]);
                }
            }
        }
    }
    Some(w.into_inner().unwrap_or_default()) // infallible: writing to a Vec<u8>
}
