//! A cell's whole path, for observation models (what an assay would see of
//! it), and the sums that turn per-cell signals into a mean with its
//! standard error.
//!
//! An assay's signal from one cell at a record time is a function of the
//! cell's path up to then (where it is, how long it lived, how long ago it
//! died) and of its size. A [`PathScorer`] computes that signal per (record,
//! column) from a [`CellPath`]; a [`MeanTally`] adds the per-cell values
//! and their squares in fixed point (units of 2^-48), so the result does not
//! depend on the thread count and the standard error is exact over cells
//! (the cells are independent).

/// One cell's path: where it started (tally slot), every move (time, slot)
/// in order, and its diameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellPath {
    /// Slot at t = 0.
    pub start_slot: usize,
    /// Moves: (time h, slot entered), in time order.
    pub moves: Vec<(f64, usize)>,
    /// The cell's diameter (µm).
    pub diameter_um: f64,
}

impl CellPath {
    /// Starts a new cell.
    pub fn start(&mut self, slot: usize, diameter_um: f64) {
        self.start_slot = slot;
        self.moves.clear();
        self.diameter_um = diameter_um;
    }

    /// The slot at `time_h` (a move at exactly `time_h` counts, as in the
    /// tallies).
    pub fn slot_at(&self, time_h: f64) -> usize {
        self.moves
            .iter()
            .take_while(|(t, _)| *t <= time_h)
            .last()
            .map_or(self.start_slot, |&(_, s)| s)
    }

    /// The slot the cell was in just before it entered the slot it is in
    /// at `time_h` (its start slot if it has not moved).
    pub fn previous_slot_at(&self, time_h: f64) -> usize {
        let moved: Vec<usize> = self
            .moves
            .iter()
            .take_while(|(t, _)| *t <= time_h)
            .map(|&(_, s)| s)
            .collect();
        match moved.len() {
            0 | 1 => self.start_slot,
            n => moved[n - 2],
        }
    }

    /// The first time the cell entered a slot for which `dead(slot)` holds
    /// (0 if it started in one); `None` if it never did.
    pub fn death_time_h(&self, dead: impl Fn(usize) -> bool) -> Option<f64> {
        if dead(self.start_slot) {
            return Some(0.0);
        }
        self.moves.iter().find(|(_, s)| dead(*s)).map(|&(t, _)| t)
    }
}

/// Computes what an assay sees of one cell.
pub trait PathScorer: Sync {
    /// Columns per record time.
    fn columns(&self) -> usize;

    /// Adds the cell's signal at each of `record_times_h` to
    /// `out[record * columns + column]` (`out` starts at zero).
    fn score(&self, path: &CellPath, record_times_h: &[f64], out: &mut [f64]);
}

/// Fixed-point unit of the sums.
const SCALE: f64 = 281_474_976_710_656.0; // 2^48

fn fixed(v: f64) -> i128 {
    (v * SCALE).round() as i128
}

/// Sums over cells of per-cell values and their squares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeanTally {
    columns: usize,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
    cells: u64,
}

/// A mean per cell and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    /// Mean per simulated cell.
    pub mean: f64,
    /// Its standard error.
    pub se: f64,
}

impl MeanTally {
    /// Empty sums for `records` × `columns` values.
    pub fn new(records: usize, columns: usize) -> Self {
        Self {
            columns,
            sum: vec![0; records * columns],
            sum_sq: vec![0; records * columns],
            cells: 0,
        }
    }

    /// Adds one cell's values (`values[record * columns + column]`).
    pub fn add_cell(&mut self, values: &[f64]) {
        for (i, &v) in values.iter().enumerate() {
            if v != 0.0 {
                self.sum[i] += fixed(v);
                self.sum_sq[i] += fixed(v * v);
            }
        }
        self.cells += 1;
    }

    /// Adds another tally of the same shape (integer sums: any order).
    pub fn merge(mut self, other: &MeanTally) -> Self {
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&other.sum_sq) {
            *a += b;
        }
        self.cells += other.cells;
        self
    }

    /// The mean per cell of (record, column) and its standard error.
    pub fn mean(&self, record: usize, column: usize) -> Mean {
        let i = record * self.columns + column;
        let n = self.cells.max(1) as f64;
        let mean = self.sum[i] as f64 / SCALE / n;
        let mean_sq = self.sum_sq[i] as f64 / SCALE / n;
        let variance = (mean_sq - mean * mean).max(0.0) * n / (n - 1.0).max(1.0);
        Mean {
            mean,
            se: (variance / n).sqrt(),
        }
    }

    /// Cells added.
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// Columns per record.
    pub fn columns(&self) -> usize {
        self.columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_knows_where_the_cell_was_and_when_it_died() {
        let path = CellPath {
            start_slot: 0,
            moves: vec![(1.0, 1), (2.0, 5), (3.0, 6)],
            diameter_um: 20.0,
        };
        assert_eq!(path.slot_at(0.5), 0);
        assert_eq!(path.slot_at(1.0), 1);
        assert_eq!(path.slot_at(2.5), 5);
        assert_eq!(path.slot_at(10.0), 6);
        assert_eq!(path.previous_slot_at(10.0), 5);
        assert_eq!(path.previous_slot_at(1.5), 0);
        assert_eq!(path.death_time_h(|s| s >= 5), Some(2.0));
        assert_eq!(path.death_time_h(|s| s >= 9), None);
        assert_eq!(path.death_time_h(|s| s == 0), Some(0.0));
    }

    #[test]
    fn mean_and_standard_error_over_cells() {
        let mut tally = MeanTally::new(1, 2);
        for v in [1.0, 2.0, 3.0, 4.0] {
            tally.add_cell(&[v, 0.5]);
        }
        let m = tally.mean(0, 0);
        assert!((m.mean - 2.5).abs() < 1e-12);
        // Sample variance 5/3, SE = √(5/3 / 4).
        assert!((m.se - (5.0f64 / 12.0).sqrt()).abs() < 1e-12);
        let constant = tally.mean(0, 1);
        assert!((constant.mean - 0.5).abs() < 1e-12 && constant.se < 1e-9);
        let doubled = tally.clone().merge(&tally);
        assert_eq!(doubled.cells(), 8);
        assert!((doubled.mean(0, 0).mean - 2.5).abs() < 1e-12);
    }
}
