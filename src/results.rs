//! One `Results` value that every writer (and, later, every plot) reads.

use crate::engine::Tally;
use crate::engine::pairs::PairTally;
use crate::engine::rare::RareTally;

/// The outcome of one arm: which route, and its integer tallies.
#[derive(Debug, Clone)]
pub struct ArmResult {
    /// Arm name (for a graph scenario, the scenario's name).
    pub arm: String,
    /// Route of administration (`graph` for a graph scenario).
    pub route: String,
    /// The patient's dose (cells); for a graph scenario, the simulated cells.
    pub dose_cells: f64,
    /// What the arm's cells did.
    pub tally: Tally,
    /// The rare-destination estimator's sums (physiological arms).
    pub rare: Option<RareTally>,
    /// What the arm's assays saw, where it has any.
    pub observed: Option<ArmObserved>,
}

/// The signals of an arm's assays.
#[derive(Debug, Clone)]
pub struct ArmObserved {
    /// (assay name, assay) in the arm's order; each has one column per group.
    pub assays: Vec<(String, crate::observe::Assay)>,
    /// The reported places (groups), in column order within an assay.
    pub groups: Vec<String>,
    /// Per assay, per group: the assay's detection limit there in cells
    /// (`None`: none, or the place's own cell count is unknown).
    pub detection_limits: Vec<Vec<Option<f64>>>,
    /// Per-cell signal sums, columns assay-major.
    pub tally: crate::engine::path::MeanTally,
}

/// Everything a run produced, in output order.
#[derive(Debug, Clone)]
pub struct Results {
    /// Record times (h).
    pub record_times_h: Vec<f64>,
    /// Location of each output row, in output order (a graph's states in
    /// `graph.states` order); the arms' tally slots follow the rows.
    pub locations: Vec<String>,
    /// State of each output row (`alive` or `dead`), parallel to `locations`.
    pub states: Vec<&'static str>,
    /// The rows the rare-destination estimator reports (indices into `locations`).
    pub rare_rows: Vec<usize>,
    /// Arms, in output order.
    pub arms: Vec<ArmResult>,
    /// Joint tallies of the arms' paired cells, per [`crate::model::groups::OrganGroups`]
    /// of the rows (physiological runs with two arms or more).
    pub pairs: Option<PairTally>,
}

impl Results {
    /// Total transitions simulated over all arms.
    pub fn events(&self) -> u64 {
        self.arms.iter().map(|a| a.tally.events()).sum()
    }

    /// Total cells simulated over all arms.
    pub fn cells(&self) -> u64 {
        self.arms.iter().map(|a| a.tally.cells()).sum()
    }
}
