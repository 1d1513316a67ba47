//! Named model parameters, each with its unit, its source and its status.
//!
//! Every number of a preset is a [`Param`]: a key a researcher can override
//! (`[parameters]` in a scenario, or `--set parameters."lung.shunt"=0.01`),
//! a value, a unit, where it comes from (a `dataset_id` of
//! `shared/data`, a paper, or a derivation written out), a status, and for
//! uncertain ones a documented low–high range with its scale. Time parameters
//! say whether they scale with body weight.

use std::collections::BTreeMap;

/// How a value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Read in the cited source.
    Sourced,
    /// Arithmetic on sourced numbers (the derivation is in the source text).
    Derived,
    /// Not measured anywhere we could read; the source text says why this value.
    Assumed,
    /// Calibrated or chosen to agree with data, to be refitted (issue 6).
    Provisional,
    /// Fitted by `biodist fit` (the source names the config and the rows);
    /// the range is the fit region (loss within the config's threshold of
    /// the minimum along the parameter's profile).
    Fitted,
    /// Set by the scenario (`[parameters]` or `--set`), replacing the preset.
    Scenario,
}

impl Status {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sourced => "sourced",
            Self::Derived => "derived",
            Self::Assumed => "assumed",
            Self::Provisional => "provisional",
            Self::Fitted => "fitted",
            Self::Scenario => "set by the scenario",
        }
    }
}

/// The scale of a documented range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Values spread evenly between low and high.
    Linear,
    /// Values spread evenly in log between low and high (both > 0).
    Log,
}

impl Scale {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::Log => "log",
        }
    }
}

/// A documented range of plausible values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lowest plausible value.
    pub low: f64,
    /// Highest plausible value.
    pub high: f64,
    /// How values spread between them.
    pub scale: Scale,
}

/// Whether a time parameter changes with body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeScaling {
    /// Not a time.
    NotATime,
    /// The same in every species (a property of the cell, not the body).
    Invariant,
    /// Measured in a body of `reference_mass_kg`; scales as (body mass /
    /// reference)^0.25 (allometric time, Lindstedt & Calder 1981).
    QuarterPower {
        /// Body mass (kg) of the species the value was measured in.
        reference_mass_kg: f64,
    },
}

/// One named parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Key, e.g. `lung.shunt`.
    pub key: String,
    /// Value in `unit`.
    pub value: f64,
    /// Unit (`1` for a fraction or a ratio).
    pub unit: &'static str,
    /// Where the value comes from: dataset id, paper, or derivation.
    pub source: &'static str,
    /// How it was obtained.
    pub status: Status,
    /// Plausible range, for uncertain values.
    pub range: Option<Range>,
    /// Body-size scaling of a time.
    pub time_scaling: TimeScaling,
}

/// Starts a parameter: `param("lung.shunt", 0.0, "1", Status::Sourced, "…")`.
pub fn param(
    key: &str,
    value: f64,
    unit: &'static str,
    status: Status,
    source: &'static str,
) -> Param {
    Param {
        key: key.to_string(),
        value,
        unit,
        source,
        status,
        range: None,
        time_scaling: TimeScaling::NotATime,
    }
}

impl Param {
    /// Adds a documented range.
    pub fn range(mut self, low: f64, high: f64, scale: Scale) -> Self {
        self.range = Some(Range { low, high, scale });
        self
    }

    /// Marks a time that is the same in every species.
    pub fn invariant_time(mut self) -> Self {
        self.time_scaling = TimeScaling::Invariant;
        self
    }

    /// Marks a time measured in a body of `reference_mass_kg` that scales as mass^0.25.
    pub fn quarter_power_time(mut self, reference_mass_kg: f64) -> Self {
        self.time_scaling = TimeScaling::QuarterPower { reference_mass_kg };
        self
    }
}

/// An ordered set of parameters with unique keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamSet {
    params: Vec<Param>,
    index: BTreeMap<String, usize>,
}

impl ParamSet {
    /// Builds a set; a later parameter with the same key replaces an earlier one.
    pub fn new(params: impl IntoIterator<Item = Param>) -> Self {
        let mut set = Self::default();
        for p in params {
            set.insert(p);
        }
        set
    }

    /// Adds or replaces a parameter.
    pub fn insert(&mut self, p: Param) {
        if let Some(&i) = self.index.get(&p.key) {
            self.params[i] = p;
        } else {
            self.index.insert(p.key.clone(), self.params.len());
            self.params.push(p);
        }
    }

    /// The parameter called `key`.
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.index.get(key).map(|&i| &self.params[i])
    }

    /// The value of `key`; 0 for a missing key (every key the model reads is
    /// in every preset, which a test checks).
    pub fn get(&self, key: &str) -> f64 {
        self.param(key).map_or(0.0, |p| p.value)
    }

    /// Sets the value of an existing key, marking it as set by the scenario.
    /// Returns false if there is no such key.
    pub fn set(&mut self, key: &str, value: f64) -> bool {
        match self.index.get(key) {
            Some(&i) => {
                self.params[i].value = value;
                self.params[i].status = Status::Scenario;
                self.params[i].source = "set by the scenario";
                true
            }
            None => false,
        }
    }

    /// Every parameter, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Param> {
        self.params.iter()
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|p| p.key.as_str())
    }

    /// The key closest to `key` (edit distance), for "did you mean" messages.
    pub fn nearest_key(&self, key: &str) -> Option<&str> {
        self.keys().min_by_key(|k| edit_distance(k, key))
    }
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_parameters_replace_earlier_ones_and_set_marks_the_source() {
        let mut set = ParamSet::new([
            param("a", 1.0, "1", Status::Sourced, "x"),
            param("b", 2.0, "1", Status::Sourced, "y"),
            param("a", 3.0, "1", Status::Derived, "z"),
        ]);
        assert_eq!(set.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(set.get("a").to_bits(), 3f64.to_bits());
        assert!(set.set("b", 5.0));
        assert_eq!(
            set.param("b").map(|p| p.source),
            Some("set by the scenario")
        );
        assert!(!set.set("c", 1.0));
        assert_eq!(set.nearest_key("lb"), Some("b"));
    }
}
