//! The physiology: bodies, cell products, the capillary filter, cell fates,
//! the knee and the routes (DESIGN.md §1–2). The only place organ names live.
//!
//! A physiological scenario resolves to a [`ParamSet`] (presets plus the
//! scenario's overrides) and, for each arm, [`compile::compile_arm`] turns it
//! into an engine [`crate::engine::journey::BodyGraph`] and a cell source that
//! draws each cell's diameter and arrest odds.

pub mod compile;
pub mod groups;
pub mod locations;
pub mod params;
pub mod passage;
pub mod presets;
pub mod tables;

pub use compile::{CompiledArm, ModelError, compile_arm};
pub use params::{Param, ParamSet, Scale, Status};

/// The unmeasured parameters that the knee numbers of an arm given into the
/// blood hang on (key, words): every table, plot and report that shows
/// those numbers says they are conditional on them.
pub const UNMEASURED_KNEE_PATHS: [(&str, &str); 3] = [
    ("knee.transmigration_rate_per_h", "synovial transmigration"),
    (
        "knee.oa.bone_to_cartilage_rate_per_h",
        "the osteoarthritis bone-to-cartilage path",
    ),
    ("lung.shunt", "the lung shunt"),
];

/// "synovial transmigration (knee.transmigration_rate_per_h), …": the
/// words of [`UNMEASURED_KNEE_PATHS`] with their keys.
pub fn conditional_on_label() -> String {
    UNMEASURED_KNEE_PATHS
        .iter()
        .map(|(key, words)| format!("{words} ({key})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `route` (a route label) gives cells into the blood, so that the
/// knee's numbers hang on [`UNMEASURED_KNEE_PATHS`].
pub fn route_into_blood(route: &str) -> bool {
    matches!(route, "iv" | "intra_arterial")
}

/// How the cells and the host match, which scales every death hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostMatch {
    /// The patient's own cells (or a syngeneic animal): the reference.
    Autologous,
    /// Cells of another individual of the same species.
    Allogeneic,
    /// Cells of another species in a host with a working immune system.
    XenogeneicImmunocompetent,
    /// Cells of another species in an immunodeficient host (SCID, nude).
    XenogeneicImmunodeficient,
}

impl HostMatch {
    /// Every match, with its scenario name.
    pub const ALL: [(&'static str, HostMatch); 4] = [
        ("autologous", HostMatch::Autologous),
        ("allogeneic", HostMatch::Allogeneic),
        (
            "xenogeneic_immunocompetent",
            HostMatch::XenogeneicImmunocompetent,
        ),
        (
            "xenogeneic_immunodeficient",
            HostMatch::XenogeneicImmunodeficient,
        ),
    ];

    /// The factor on death hazards (1 for autologous).
    pub fn hazard_factor(self, params: &ParamSet) -> f64 {
        match self {
            Self::Autologous => 1.0,
            Self::Allogeneic => params.get("immune.allogeneic_factor"),
            Self::XenogeneicImmunocompetent => {
                params.get("immune.xenogeneic_immunocompetent_factor")
            }
            Self::XenogeneicImmunodeficient => {
                params.get("immune.xenogeneic_immunodeficient_factor")
            }
        }
    }
}

/// Options of the body that are not preset numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyOptions {
    /// Number of knees modelled: 1 (`knee/…`) or 2 (`left_knee/…`, `right_knee/…`).
    pub knees: usize,
    /// Multiplier on the knees' synovium and bone flows (exercise / rest; Simkin
    /// 1990 measured 1.44–7.25 in dogs); above 1 it also opens the lung's
    /// exercise shunt.
    pub exercise: f64,
    /// Multiplier on the synovium's flow (inflamed synovium).
    pub synovitis: f64,
    /// Whether the osteoarthritic path from `knee/bone` into `knee/cartilage` is on.
    pub osteoarthritis: bool,
    /// Organs added by the scenario (a tumour, an injured heart).
    pub extra_organs: Vec<ExtraOrgan>,
}

impl Default for BodyOptions {
    fn default() -> Self {
        Self {
            knees: 1,
            exercise: 1.0,
            synovitis: 1.0,
            osteoarthritis: false,
            extra_organs: Vec::new(),
        }
    }
}

/// An organ added by a scenario: its flow is taken out of `rest`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraOrgan {
    /// Location prefix (`tumour` gives `tumour/capillary`, `tumour/tissue`).
    pub name: String,
    /// Share of cardiac output.
    pub flow_fraction: f64,
    /// Whether cells can extravasate into it.
    pub has_tissue: bool,
}

/// How an arm's cells are given.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Into a vein: a bolus (`duration_min` 0) or an infusion.
    Iv {
        /// Infusion time (min); cells wait in `not_yet_injected` until their turn.
        duration_min: f64,
    },
    /// Into arterial blood (never "IA").
    IntraArterial,
    /// Into the synovial fluid of knee `knee` (0-based), minus leaks.
    IntraArticular {
        /// Which knee (0 for `knee/…` or `left_knee/…`, 1 for `right_knee/…`).
        knee: usize,
    },
    /// Directly into a named location (alive).
    Location(String),
}

impl Route {
    /// The route's label in output tables.
    pub fn label(&self) -> String {
        match self {
            Self::Iv { .. } => "iv".to_string(),
            Self::IntraArterial => "intra_arterial".to_string(),
            Self::IntraArticular { .. } => "intra_articular".to_string(),
            Self::Location(name) => name.clone(),
        }
    }
}

/// An intervention that changes the arrest function's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intervention {
    /// Widens the lung's lumen (`vasodilator.lumen_factor`).
    Vasodilator,
    /// Lowers adhesion (`heparin.adhesion_factor`).
    Heparin,
    /// Lowers adhesion (`anti_cd49d.adhesion_factor`).
    AntiCd49d,
    /// Lowers adhesion (`pronase_detachment.adhesion_factor`).
    PronaseDetachment,
    /// Raises adhesion (`cryopreserved.adhesion_factor`).
    Cryopreserved,
    /// Adds a right-to-left shunt to the lung (`patent_foramen_ovale.shunt`).
    PatentForamenOvale,
}

impl Intervention {
    /// Every intervention, with its scenario name.
    pub const ALL: [(&'static str, Intervention); 6] = [
        ("vasodilator", Intervention::Vasodilator),
        ("heparin", Intervention::Heparin),
        ("anti_cd49d", Intervention::AntiCd49d),
        ("pronase_detachment", Intervention::PronaseDetachment),
        ("cryopreserved", Intervention::Cryopreserved),
        ("patent_foramen_ovale", Intervention::PatentForamenOvale),
    ];
}

/// One arm as the model needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmSpec {
    /// Unique name (`iv`, `intra_articular`, …).
    pub name: String,
    /// How the cells are given.
    pub route: Route,
    /// The patient's dose (cells).
    pub dose_cells: f64,
    /// Interventions applied to this arm.
    pub interventions: Vec<Intervention>,
    /// Assays that observe it (names from `crate::observe::ASSAY_NAMES`).
    pub observe: Vec<String>,
}
