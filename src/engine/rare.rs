//! Integer tallies of the rare-destination (expected-value) estimator.
//!
//! Each cell contributes, per (record time, watched row), its expected
//! occupancy and its expected first arrivals by then (see
//! [`super::journey::RareScratch`]). The per-cell values and their squares
//! are summed in fixed point (units of 2^-48), so that sums over threads are
//! exact integers and a result does not depend on the thread count; the
//! standard error comes from the spread over cells.

use super::journey::RareScratch;

/// Fixed-point unit of the sums: values are stored as round(v · 2^48).
const SCALE: f64 = 281_474_976_710_656.0; // 2^48

/// The estimator's sums over cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RareTally {
    records: usize,
    watched: usize,
    occupancy: Vec<i128>,
    occupancy_sq: Vec<i128>,
    ever: Vec<i128>,
    ever_sq: Vec<i128>,
    cells: u64,
}

/// Mean per cell and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean per simulated cell.
    pub mean: f64,
    /// Standard error of the mean.
    pub se: f64,
}

fn fixed(v: f64) -> i128 {
    (v * SCALE).round() as i128
}

impl RareTally {
    /// Empty sums for `records` record times and `watched` rows.
    pub fn new(records: usize, watched: usize) -> Self {
        let n = records * watched;
        Self {
            records,
            watched,
            occupancy: vec![0; n],
            occupancy_sq: vec![0; n],
            ever: vec![0; n],
            ever_sq: vec![0; n],
            cells: 0,
        }
    }

    /// Adds one cell's contributions.
    pub fn add_cell(&mut self, scratch: &RareScratch) {
        for (i, &v) in scratch.occupancy().iter().enumerate() {
            if v != 0.0 {
                self.occupancy[i] += fixed(v);
                self.occupancy_sq[i] += fixed(v * v);
            }
        }
        for (i, &v) in scratch.ever().iter().enumerate() {
            if v != 0.0 {
                self.ever[i] += fixed(v);
                self.ever_sq[i] += fixed(v * v);
            }
        }
        self.cells += 1;
    }

    /// Adds another tally (integer sums: any order gives the same result).
    pub fn merge(mut self, other: &RareTally) -> Self {
        for (a, b) in [
            (&mut self.occupancy, &other.occupancy),
            (&mut self.occupancy_sq, &other.occupancy_sq),
            (&mut self.ever, &other.ever),
            (&mut self.ever_sq, &other.ever_sq),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.cells += other.cells;
        self
    }

    fn estimate(&self, sum: &[i128], sum_sq: &[i128], record: usize, watched: usize) -> Estimate {
        let i = record * self.watched + watched;
        let n = self.cells.max(1) as f64;
        let mean = sum[i] as f64 / SCALE / n;
        let mean_sq = sum_sq[i] as f64 / SCALE / n;
        let variance = (mean_sq - mean * mean).max(0.0) * n / (n - 1.0).max(1.0);
        Estimate {
            mean,
            se: (variance / n).sqrt(),
        }
    }

    /// Expected cells per simulated cell in watched row `watched` at record `record`.
    pub fn occupancy(&self, record: usize, watched: usize) -> Estimate {
        self.estimate(&self.occupancy, &self.occupancy_sq, record, watched)
    }

    /// Expected cells per simulated cell that have entered row `watched` by record `record`.
    pub fn ever(&self, record: usize, watched: usize) -> Estimate {
        self.estimate(&self.ever, &self.ever_sq, record, watched)
    }

    /// Record times.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Watched rows.
    pub fn watched(&self) -> usize {
        self.watched
    }
}
