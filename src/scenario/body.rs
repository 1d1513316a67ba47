//! The physiological scenario form: a body, a cell product, arms with routes
//! and doses, and parameter overrides. Checked here into the model's inputs.
//!
//! ```toml
//! name = "knee_iv_vs_ia"
//! [run]
//! cells = 200000
//! record_times_h = [1.0, 24.0]
//! [body]
//! preset = "human"
//! [product]
//! cell = "msc_bone_marrow"
//! host = "autologous"
//! [[arms]]
//! name = "iv"
//! route = "iv"
//! dose_cells_per_kg = 2e6
//! [parameters]
//! "lung.shunt" = 0.0
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Value;

use super::error::Problem;
use super::validate::{check_name, check_record_times};
use super::written::RunSection;
use crate::model::{
    ArmSpec, BodyOptions, CompiledArm, ExtraOrgan, HostMatch, Intervention, ParamSet, Route,
    compile_arm, presets,
};

/// A physiological scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyScenarioFile {
    /// Short name; also the default output folder `output/<name>/`.
    pub name: String,
    /// One line for humans.
    #[serde(default)]
    pub description: String,
    /// How many cells, which seed, when to record.
    pub run: RunSection,
    /// The body.
    pub body: BodySection,
    /// The cell product.
    pub product: ProductSection,
    /// The arms (`[[arms]]`), in output order.
    pub arms: Vec<ArmSection>,
    /// Overrides of preset parameters, by key (`"lung.shunt" = 0.01`, or
    /// nested tables, which are read as dotted keys).
    #[serde(default)]
    pub parameters: toml::Table,
    /// Published rows this scenario reproduces (`[[validation]]`), for
    /// `biodist validate`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation: Vec<crate::validate::spec::ValidationEntry>,
}

/// `[body]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySection {
    /// `human`, `mouse` or `rat`.
    pub preset: String,
    /// Knees modelled: 1 (`knee/…`) or 2 (`left_knee/…`, `right_knee/…`).
    #[serde(default = "one")]
    pub knees: u8,
    /// Multiplier on knee synovium and bone flows (1 = rest).
    #[serde(default = "unit")]
    pub exercise: f64,
    /// Multiplier on knee synovium flow (1 = no synovitis).
    #[serde(default = "unit")]
    pub synovitis: f64,
    /// Whether the knee is osteoarthritic (opens the bone → cartilage path).
    #[serde(default)]
    pub osteoarthritis: bool,
    /// Organs added by the scenario (`[[body.organs]]`).
    #[serde(default)]
    pub organs: Vec<OrganSection>,
}

fn one() -> u8 {
    1
}

fn unit() -> f64 {
    1.0
}

/// `[[body.organs]]`: an organ added as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganSection {
    /// Location prefix (letters, digits, `_`).
    pub name: String,
    /// Share of cardiac output, taken out of `rest`.
    pub flow_fraction: f64,
    /// Whether cells can extravasate into it (default true).
    #[serde(default = "yes")]
    pub tissue: bool,
}

fn yes() -> bool {
    true
}

/// `[product]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSection {
    /// Cell preset.
    pub cell: String,
    /// Immune match of cells and host.
    #[serde(default = "autologous")]
    pub host: String,
    /// Share of cells alive at infusion (overrides `product.viability`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viability: Option<f64>,
    /// Share of the dose lost in the line (overrides `product.line_loss`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_loss: Option<f64>,
}

fn autologous() -> String {
    "autologous".to_string()
}

/// `[[arms]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmSection {
    /// Unique arm name.
    pub name: String,
    /// `iv`, `intra_arterial`, `intra_articular` or a location id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Dose in cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_cells: Option<f64>,
    /// Dose in cells per kg of body weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_cells_per_kg: Option<f64>,
    /// IV infusion time (min); 0 or absent for a bolus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<f64>,
    /// For `intra_articular` with two knees: `left` or `right`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knee: Option<String>,
    /// Interventions applied to this arm.
    #[serde(default)]
    pub interventions: Vec<String>,
    /// Assays that observe this arm (`observed.csv`): in111,
    /// in111_decay_corrected, tc99m_hmpao, …, human_dna, bioluminescence,
    /// live_cells, particle_label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observe: Vec<String>,
}

/// A checked physiological scenario: its parameters and compiled arms.
pub struct CheckedBody {
    /// Resolved parameters (presets plus overrides).
    pub params: ParamSet,
    /// Body options.
    pub body: BodyOptions,
    /// Immune match.
    pub host: HostMatch,
    /// The arms as the model sees them.
    pub arms: Vec<ArmSpec>,
    /// The compiled arms, in the same order.
    pub compiled: Vec<CompiledArm>,
}

/// Flattens nested tables into dotted keys.
fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, Value>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Table(inner) => flatten(&full, inner, out),
            other => {
                out.insert(full, other.clone());
            }
        }
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// Checks a physiological scenario and compiles its arms, or lists every problem.
pub fn check(file: &BodyScenarioFile) -> Result<CheckedBody, Vec<Problem>> {
    let mut problems = Vec::new();
    check_name(&file.name, &mut problems);
    check_record_times(&file.run.record_times_h, &mut problems);

    let body_params = presets::body(&file.body.preset);
    if body_params.is_none() {
        problems.push(Problem::new(
            "body.preset",
            format!("one of {}", presets::BODIES.join(", ")),
            format!("\"{}\"", file.body.preset),
        ));
    }
    let cell_params = presets::cell(&file.product.cell);
    if cell_params.is_none() {
        problems.push(Problem::new(
            "product.cell",
            format!("one of {}", presets::CELLS.join(", ")),
            format!("\"{}\"", file.product.cell),
        ));
    }
    let host = HostMatch::ALL
        .iter()
        .find(|(name, _)| *name == file.product.host)
        .map(|(_, h)| *h);
    if host.is_none() {
        let names: Vec<&str> = HostMatch::ALL.iter().map(|(n, _)| *n).collect();
        problems.push(Problem::new(
            "product.host",
            format!("one of {}", names.join(", ")),
            format!("\"{}\"", file.product.host),
        ));
    }
    if !matches!(file.body.knees, 1 | 2) {
        problems.push(Problem::new(
            "body.knees",
            "1 or 2",
            file.body.knees.to_string(),
        ));
    }
    for (key, value) in [
        ("body.exercise", file.body.exercise),
        ("body.synovitis", file.body.synovitis),
    ] {
        if !(value.is_finite() && value > 0.0) {
            problems.push(Problem::new(key, "a multiplier > 0", format!("{value:?}")));
        }
    }
    let mut extra_organs = Vec::new();
    for (i, organ) in file.body.organs.iter().enumerate() {
        let key = format!("body.organs[{i}]");
        let known = crate::model::locations::locations(&BodyOptions::default());
        let valid_name = !organ.name.is_empty()
            && organ
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !known
                .iter()
                .any(|l| crate::model::locations::organ_of(l) == organ.name)
            && !organ.name.ends_with("knee");
        if !valid_name {
            problems.push(Problem::new(
                format!("{key}.name"),
                "a new organ name of letters, digits and '_' (not an existing organ or a knee)",
                format!("\"{}\"", organ.name),
            ));
        }
        if !(0.0..1.0).contains(&organ.flow_fraction) {
            problems.push(Problem::new(
                format!("{key}.flow_fraction"),
                "a share of cardiac output from 0 to 1",
                format!("{:?}", organ.flow_fraction),
            ));
        }
        extra_organs.push(ExtraOrgan {
            name: organ.name.clone(),
            flow_fraction: organ.flow_fraction,
            has_tissue: organ.tissue,
        });
    }

    // Parameters: presets, then [product] shortcuts, then [parameters].
    let mut params = ParamSet::new(
        presets::common()
            .into_iter()
            .chain(body_params.unwrap_or_default())
            .chain(cell_params.clone().unwrap_or_default()),
    );
    for (key, value) in [
        ("product.viability", file.product.viability),
        ("product.line_loss", file.product.line_loss),
    ] {
        if let Some(v) = value {
            if !(0.0..=1.0).contains(&v) {
                problems.push(Problem::new(key, "a share from 0 to 1", format!("{v:?}")));
            }
            params.set(key, v);
        }
    }
    let mut overrides = BTreeMap::new();
    flatten("", &file.parameters, &mut overrides);
    let presets_known = body_params_ok(&file.body.preset) && cell_params.is_some();
    for (key, value) in &overrides {
        let at = format!("parameters.{key}");
        let Some(x) = number(value) else {
            problems.push(Problem::new(at, "a number", value.to_string()));
            continue;
        };
        if !x.is_finite() {
            problems.push(Problem::new(at, "a finite number", format!("{x:?}")));
            continue;
        }
        if !params.set(key, x) && presets_known {
            let hint = params
                .nearest_key(key)
                .map(|k| format!(" (did you mean \"{k}\"?)"))
                .unwrap_or_default();
            problems.push(Problem::new(
                at,
                format!("a parameter of these presets; `biodist presets` lists them{hint}"),
                format!("an unknown key \"{key}\""),
            ));
        } else if key.ends_with("diameter_median_um") && x <= 0.0 {
            problems.push(Problem::new(at, "a diameter > 0 µm", format!("{x:?}")));
        } else if (x < 0.0) && !key.starts_with("flow.") {
            problems.push(Problem::new(at, "a value ≥ 0", format!("{x:?}")));
        }
    }

    let body = BodyOptions {
        knees: usize::from(file.body.knees.clamp(1, 2)),
        exercise: file.body.exercise,
        synovitis: file.body.synovitis,
        osteoarthritis: file.body.osteoarthritis,
        extra_organs,
    };

    // Arms.
    if file.arms.is_empty() {
        problems.push(Problem::new("arms", "at least one [[arms]] entry", "none"));
    }
    let mass_kg = params.get("body.mass_kg");
    let mut arms = Vec::new();
    for (i, arm) in file.arms.iter().enumerate() {
        let key = format!("arms[{i}]");
        check_name(&arm.name, &mut problems);
        if let Some(problem) = problems.last_mut().filter(|p| p.key == "name") {
            problem.key = format!("{key}.name");
        }
        if file.arms[..i].iter().any(|a| a.name == arm.name) {
            problems.push(Problem::new(
                format!("{key}.name"),
                "a name not used by another arm",
                format!("\"{}\" (twice)", arm.name),
            ));
        }
        if arm.name.eq_ignore_ascii_case("ia") {
            problems.push(Problem::new(
                format!("{key}.name"),
                "a name that says which route: intra_articular or intra_arterial (\"IA\" means both in the literature)",
                format!("\"{}\"", arm.name),
            ));
        }
        let knee = match arm.knee.as_deref() {
            None | Some("left") => 0,
            Some("right") if body.knees == 2 => 1,
            Some(other) => {
                problems.push(Problem::new(
                    format!("{key}.knee"),
                    if body.knees == 2 {
                        "left or right"
                    } else {
                        "left (one knee is modelled; set body.knees = 2 for right)"
                    },
                    format!("\"{other}\""),
                ));
                0
            }
        };
        let duration_min = arm.duration_min.unwrap_or(0.0);
        if !(duration_min.is_finite() && duration_min >= 0.0) {
            problems.push(Problem::new(
                format!("{key}.duration_min"),
                "an infusion time ≥ 0 min",
                format!("{duration_min:?}"),
            ));
        }
        let route = match arm.route.as_deref() {
            None => {
                problems.push(Problem::new(
                    format!("{key}.route"),
                    "a route: iv, intra_arterial, intra_articular or a location id",
                    "no route",
                ));
                None
            }
            Some("iv") => Some(Route::Iv { duration_min }),
            Some("intra_arterial") => Some(Route::IntraArterial),
            Some("intra_articular") => Some(Route::IntraArticular { knee }),
            Some(location) => {
                let known = crate::model::locations::locations(&body);
                if known.iter().any(|l| l == location) {
                    Some(Route::Location(location.to_string()))
                } else {
                    problems.push(Problem::new(
                        format!("{key}.route"),
                        "iv, intra_arterial, intra_articular or a location of this body (knee/synovial_fluid, muscle/tissue, …)",
                        format!("\"{location}\""),
                    ));
                    None
                }
            }
        };
        if arm.duration_min.is_some_and(|d| d > 0.0) && !matches!(route, Some(Route::Iv { .. })) {
            problems.push(Problem::new(
                format!("{key}.duration_min"),
                "an infusion time only on an iv arm",
                format!("{duration_min:?}"),
            ));
        }
        let dose_cells = match (arm.dose_cells, arm.dose_cells_per_kg) {
            (Some(d), None) => Some(d),
            (None, Some(per_kg)) => Some(per_kg * mass_kg),
            (None, None) => {
                problems.push(Problem::new(
                    key.to_string(),
                    "a dose: dose_cells or dose_cells_per_kg",
                    "neither",
                ));
                None
            }
            (Some(_), Some(_)) => {
                problems.push(Problem::new(
                    key.to_string(),
                    "one dose: dose_cells or dose_cells_per_kg, not both",
                    "both",
                ));
                None
            }
        };
        if let Some(d) = dose_cells.filter(|d| !(d.is_finite() && *d > 0.0)) {
            let which = if arm.dose_cells.is_some() {
                "dose_cells"
            } else {
                "dose_cells_per_kg"
            };
            problems.push(Problem::new(
                format!("{key}.{which}"),
                "a dose > 0",
                format!("{d:?}"),
            ));
        }
        let mut interventions = Vec::new();
        for (j, name) in arm.interventions.iter().enumerate() {
            match Intervention::ALL.iter().find(|(n, _)| n == name) {
                Some((_, i)) => interventions.push(*i),
                None => {
                    let names: Vec<&str> = Intervention::ALL.iter().map(|(n, _)| *n).collect();
                    problems.push(Problem::new(
                        format!("{key}.interventions[{j}]"),
                        format!("one of {}", names.join(", ")),
                        format!("\"{name}\""),
                    ));
                }
            }
        }
        for (j, name) in arm.observe.iter().enumerate() {
            if !crate::observe::ASSAY_NAMES.contains(&name.as_str()) {
                problems.push(Problem::new(
                    format!("{key}.observe[{j}]"),
                    format!("one of {}", crate::observe::ASSAY_NAMES.join(", ")),
                    format!("\"{name}\""),
                ));
            }
        }
        if let (Some(route), Some(dose_cells)) = (route, dose_cells) {
            arms.push(ArmSpec {
                name: arm.name.clone(),
                route,
                dose_cells,
                interventions,
                observe: arm.observe.clone(),
            });
        }
    }
    check_validation(file, &arms, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let host = host.unwrap_or(HostMatch::Autologous); // infallible: reported above
    let mut compiled = Vec::new();
    for arm in &arms {
        match compile_arm(&params, &body, host, arm) {
            Ok(c) => compiled.push(c),
            Err(e) => problems.push(Problem::new(e.key, e.expected, e.found)),
        }
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(problems);
    }
    Ok(CheckedBody {
        params,
        body,
        host,
        arms,
        compiled,
    })
}

fn body_params_ok(name: &str) -> bool {
    presets::body(name).is_some()
}

/// Checks the `[[validation]]` entries: known rows, arms and assays.
fn check_validation(file: &BodyScenarioFile, arms: &[ArmSpec], problems: &mut Vec<Problem>) {
    if file.validation.is_empty() {
        return;
    }
    let rows = crate::validate::measurements::measurements().unwrap_or_default();
    for (i, entry) in file.validation.iter().enumerate() {
        let key = format!("validation[{i}]");
        for (field, id) in [
            ("row", Some(&entry.row)),
            ("row_high", entry.row_high.as_ref()),
            ("row_over", entry.row_over.as_ref()),
        ] {
            if let Some(id) = id
                && !rows.iter().any(|r| r.id == *id)
            {
                problems.push(Problem::new(
                    format!("{key}.{field}"),
                    "a row of data/biodistribution_measurements.csv, named <dataset_id>#<n> (the n-th row of that dataset)",
                    format!("\"{id}\""),
                ));
            }
        }
        // A range pairs a min row with the max row of the same dataset,
        // organ and time, by the `statistic` column.
        let find = |id: &String| rows.iter().find(|r| r.id == *id);
        if let (Some(low), Some(high)) = (find(&entry.row), entry.row_high.as_ref().and_then(find))
            && (low.dataset_id != high.dataset_id
                || low.organ != high.organ
                || low.time_h != high.time_h
                || !low.statistic.starts_with("min")
                || !high.statistic.starts_with("max"))
        {
            problems.push(Problem::new(
                format!("{key}.row_high"),
                format!(
                    "the max row paired with {}: same dataset, organ and time, statistic max_… against min_…",
                    low.id
                ),
                format!(
                    "{} ({}, {}, {} h, {})",
                    high.id, high.dataset_id, high.organ, high.time_h, high.statistic
                ),
            ));
        }
        match arms.iter().find(|a| a.name == entry.arm) {
            None => problems.push(Problem::new(
                format!("{key}.arm"),
                format!(
                    "an arm of this scenario ({})",
                    arms.iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("\"{}\"", entry.arm),
            )),
            Some(arm) if !arm.observe.contains(&entry.assay) => problems.push(Problem::new(
                format!("{key}.assay"),
                format!(
                    "an assay that arm {} observes ({})",
                    arm.name,
                    arm.observe.join(", ")
                ),
                format!("\"{}\"", entry.assay),
            )),
            Some(_) => {}
        }
    }
}
