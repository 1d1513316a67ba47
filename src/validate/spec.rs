//! How a validation scenario pairs a published row with the model
//! (`[[validation]]` entries of a scenario in `scenarios/validation/`).

use serde::{Deserialize, Serialize};

/// How a row is compared (see the verdict rules in `crate::validate::verdict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A single value: agrees within a factor 2.
    Value,
    /// A min row and a max row (`row`, `row_high`): agrees inside them.
    Range,
    /// A ratio of two model values: agrees within a factor 1.5.
    FoldChange,
    /// Model ≤ the row's value.
    UpperBound,
    /// Model ≥ the row's value.
    LowerBound,
    /// Flag 1: the model's signal reaches the detection limit; flag 0: it
    /// stays below.
    Detected,
    /// Flag 1: the location has the largest signal among `among`.
    Dominant,
    /// Flag ±1: the sign of (model − model of `against`).
    Direction,
    /// Time for the signal to halve from its value at `from_h`: factor 2.
    HalfLife,
    /// Record time of the largest signal: factor 2.
    TimeOfPeak,
    /// Last record time at or above the detection limit: factor 2.
    DurationDetectable,
}

impl Measure {
    /// The name a scenario writes (`fold_change`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Value => "value",
            Self::Range => "range",
            Self::FoldChange => "fold_change",
            Self::UpperBound => "upper_bound",
            Self::LowerBound => "lower_bound",
            Self::Detected => "detected",
            Self::Dominant => "dominant",
            Self::Direction => "direction",
            Self::HalfLife => "half_life",
            Self::TimeOfPeak => "time_of_peak",
            Self::DurationDetectable => "duration_detectable",
        }
    }
}

/// The other side of a fold change or a direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Against {
    /// Another validation scenario, by its `name`, run alongside (the same
    /// record times): for an experiment whose groups differ in what the
    /// scenario fixes once, such as the cell product. Default: this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Arm (default: the entry's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arm: Option<String>,
    /// Location (default: the entry's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Units the model's value is expressed in, to match the row's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelUnit {
    /// The assay's own unit (percent of injected activity, cells of the dose).
    #[default]
    AsObserved,
    /// Percent of the dose (cell-based assays).
    PercentOfDose,
}

/// One `[[validation]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationEntry {
    /// The row, `<dataset_id>#<n>`.
    pub row: String,
    /// The max row of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_high: Option<String>,
    /// For a `fold_change` reported as two rows of one experiment (treated
    /// and control, in any unit such as counts per microscope field): the
    /// denominator row; the measured fold change is `row` / `row_over`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_over: Option<String>,
    /// How to compare.
    pub measure: Measure,
    /// Arm.
    pub arm: String,
    /// Assay (one of the arm's `observe`).
    pub assay: String,
    /// Reported place (`lung`, `whole_knee`, `knee/synovium`, …).
    pub location: String,
    /// When to read the model, if not the row's time (or its window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_h: Option<f64>,
    /// Unit of the model's value.
    #[serde(default)]
    pub model_unit: ModelUnit,
    /// Places among which `location` must lead (`dominant`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub among: Vec<String>,
    /// The other side of a `fold_change` or `direction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<Against>,
    /// Detection limit in the model's unit (`detected`, `duration_detectable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection_limit: Option<f64>,
    /// Start of a `half_life` (h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_h: Option<f64>,
    /// Why the row is read this way.
    #[serde(default)]
    pub note: String,
}
