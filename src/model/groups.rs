//! The places a run reports: which live output rows make up each organ.
//!
//! An organ is everything before the `/` of a location (`lung/capillary`
//! and `lung/tissue` are `lung`); `whole_knee` adds up the knee's
//! compartments without its lymph node; and each knee compartment
//! (`knee/cartilage`, …) is reported on its own too, because the knee is
//! what the question is about. Only live rows count: debris is not cells.

use super::locations::{ALIVE, in_whole_knee, organ_of};

/// Named groups of output rows, in output order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganGroups {
    /// Group names (`lung`, `whole_knee`, `knee/cartilage`, …).
    pub names: Vec<String>,
    /// The rows each group adds up.
    pub rows: Vec<Vec<usize>>,
}

impl OrganGroups {
    /// The groups of a run's rows (`locations` and `states` in output order).
    pub fn of_rows(locations: &[String], states: &[&str]) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<usize>> = Vec::new();
        let alive = |row: usize| states[row] == ALIVE;
        for (row, location) in locations.iter().enumerate() {
            if !alive(row) {
                continue;
            }
            let organ = organ_of(location);
            match names.iter().position(|name| name == organ) {
                Some(g) => rows[g].push(row),
                None => {
                    names.push(organ.to_string());
                    rows.push(vec![row]);
                }
            }
        }
        let knee: Vec<usize> = (0..locations.len())
            .filter(|&r| alive(r) && in_whole_knee(&locations[r]))
            .collect();
        if !knee.is_empty() {
            names.push("whole_knee".to_string());
            rows.push(knee);
        }
        for (row, location) in locations.iter().enumerate() {
            if alive(row) && organ_of(location).ends_with("knee") && location.contains('/') {
                names.push(location.clone());
                rows.push(vec![row]);
            }
        }
        Self { names, rows }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of group `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// For each of `row_count` rows, a bit mask of the groups it is in (bit
    /// g for group g); `None` when there are more than 64 groups.
    pub fn membership(&self, row_count: usize) -> Option<Vec<u64>> {
        if self.len() > 64 {
            return None;
        }
        let mut masks = vec![0u64; row_count];
        for (g, rows) in self.rows.iter().enumerate() {
            for &row in rows {
                masks[row] |= 1 << g;
            }
        }
        Some(masks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organs_whole_knee_and_knee_parts() {
        let locations: Vec<String> = [
            "lung/capillary",
            "lung/capillary",
            "lung/tissue",
            "knee/synovium",
            "knee/cartilage",
            "knee/lymph_node",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let states = ["alive", "dead", "alive", "alive", "alive", "alive"];
        let groups = OrganGroups::of_rows(&locations, &states);
        assert_eq!(
            groups.names,
            [
                "lung",
                "knee",
                "whole_knee",
                "knee/synovium",
                "knee/cartilage",
                "knee/lymph_node"
            ]
        );
        assert_eq!(groups.rows[0], [0, 2]);
        assert_eq!(groups.rows[1], [3, 4, 5]);
        assert_eq!(groups.rows[2], [3, 4]);
        assert_eq!(groups.rows[4], [4]);
        let masks = groups.membership(6).unwrap();
        assert_eq!(masks[1], 0);
        assert_eq!(masks[4], 0b010110);
    }
}
