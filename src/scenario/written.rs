//! The scenario file as written: TOML keys, state *names*, unit-suffixed numbers.
//!
//! These types only mirror the file (serde, `deny_unknown_fields`, so a misspelt
//! key is an error); [`super::validate`] turns them into a checked model.
//! Serialized back (into the manifest), they are the resolved parameters of a run.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Short name; also the default output folder `output/<name>/`.
    pub name: String,
    /// One line for humans.
    #[serde(default)]
    pub description: String,
    /// How many cells, which seed, when to record.
    pub run: RunSection,
    /// The compartment graph.
    pub graph: GraphSection,
}

/// `[run]`: how many cells, which seed, when to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// Number of simulated cells.
    pub cells: CellCount,
    /// Seed of every random stream of the run (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Times (h) at which the state of every cell is recorded; increasing.
    pub record_times_h: Vec<f64>,
}

fn default_seed() -> u64 {
    1
}

/// `[graph]`: states, the start state and the timed transitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphSection {
    /// Every state once; output rows follow this order.
    pub states: Vec<String>,
    /// Where every cell is at t = 0.
    pub start: String,
    /// The timed transitions (`[[graph.transitions]]`).
    #[serde(default)]
    pub transitions: Vec<TransitionSpec>,
}

/// One `[[graph.transitions]]` entry: give either `rate_per_h` or `dwell`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    /// State left.
    pub from: String,
    /// State entered.
    pub to: String,
    /// Exponential time to event at this rate (1/h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_h: Option<f64>,
    /// Any other time-to-event law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell: Option<DwellSpec>,
}

/// `dwell = { law = "…", … }`: a time-to-event law with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "law", rename_all = "lowercase", deny_unknown_fields)]
pub enum DwellSpec {
    /// Exponential with the given mean.
    Exponential {
        /// Mean time (h).
        mean_h: f64,
    },
    /// Gamma with the given mean and shape.
    Gamma {
        /// Mean time (h).
        mean_h: f64,
        /// Shape (dimensionless).
        shape: f64,
    },
    /// Weibull with the given scale and shape.
    Weibull {
        /// Scale (h).
        scale_h: f64,
        /// Shape (dimensionless).
        shape: f64,
    },
    /// Log-normal with the given median and sigma of ln(time).
    Lognormal {
        /// Median time (h).
        median_h: f64,
        /// Standard deviation of ln(time).
        sigma: f64,
    },
    /// A fixed delay.
    Fixed {
        /// The delay (h).
        time_h: f64,
    },
}

/// A number of cells: a TOML integer (`1000000`) or a whole-valued float (`1e6`), ≥ 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCount(pub u64);

/// Largest float that still names a whole number of cells exactly (2^53).
const LARGEST_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

impl<'de> Deserialize<'de> for CellCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CellCountVisitor;
        impl Visitor<'_> for CellCountVisitor {
            type Value = CellCount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number of cells ≥ 1, such as 1000000 or 1e6")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellCount, E> {
                if v == 0 {
                    return Err(E::invalid_value(de::Unexpected::Unsigned(v), &self));
                }
                Ok(CellCount(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CellCount, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellCount, E> {
                let whole = v.is_finite() && v.fract() == 0.0;
                if whole && (1.0..=LARGEST_EXACT_FLOAT).contains(&v) {
                    Ok(CellCount(v as u64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(CellCountVisitor)
    }
}

impl Serialize for CellCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}
