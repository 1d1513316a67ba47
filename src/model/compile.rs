//! Compiles one arm of a physiological scenario into an engine body graph and
//! a cell source.
//!
//! States are (location, alive/dead) pairs, with a few locations split into
//! several states that differ only in their fate (a synovial cell arrested from
//! the blood, or adhered from the joint fluid); each state is tallied in its
//! location's row. The blood is crossed in aggregate by the engine; the arrest
//! odds of each cell come from its own diameter through the arrest function.

use rand_distr::{Distribution, StandardNormal};

use super::locations::{
    self, ALIVE, ARTERIAL_BLOOD, CLEARED, DEAD, NOT_YET_INJECTED, VENOUS_BLOOD, knee_prefix,
};
use super::params::{ParamSet, TimeScaling};
use super::passage::{BedFilter, CellInBed, passage};
use super::presets::{PORTAL_ORGANS, SYSTEMIC_ORGANS};
use super::{ArmSpec, BodyOptions, HostMatch, Intervention, Route};
use crate::engine::circulation::{ArrestOdds, Circulation};
use crate::engine::journey::{BodyGraph, CellSource};
use crate::engine::law::uniform;
use crate::engine::stream::CellRng;
use crate::engine::{DwellLaw, Exit, Graph, LawError};

/// A model that cannot be compiled: names the parameter or option at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{key}: expected {expected}, found {found}")]
pub struct ModelError {
    /// The parameter key or scenario key.
    pub key: String,
    /// What it must be.
    pub expected: String,
    /// What was found.
    pub found: String,
}

fn model_error(key: &str, expected: &str, found: impl ToString) -> ModelError {
    ModelError {
        key: key.to_string(),
        expected: expected.to_string(),
        found: found.to_string(),
    }
}

/// One output row: a location and a state (`alive` or `dead`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Location id.
    pub location: String,
    /// `alive` or `dead`.
    pub state: &'static str,
}

/// The rows of a body's tables: every location, alive then dead.
pub fn rows(body: &BodyOptions) -> Vec<Row> {
    locations::locations(body)
        .into_iter()
        .flat_map(|location| {
            [ALIVE, DEAD].map(|state| Row {
                location: location.clone(),
                state,
            })
        })
        .collect()
}

/// One arm, ready to run.
pub struct CompiledArm {
    /// The engine's graph.
    pub body: BodyGraph,
    /// Draws each cell.
    pub source: ModelCellSource,
    /// Output rows (the body graph's tally slots).
    pub rows: Vec<Row>,
    /// Engine state names, for messages and tests (`knee/synovium alive (lining)`).
    pub state_names: Vec<String>,
}

/// Builds the engine states and exits.
struct Builder<'a> {
    rows: &'a [Row],
    names: Vec<String>,
    slots: Vec<usize>,
    exits: Vec<Exit>,
}

impl Builder<'_> {
    fn state(&mut self, location: &str, state: &'static str, note: &str) -> usize {
        let slot = self
            .rows
            .iter()
            .position(|r| r.location == location && r.state == state)
            .unwrap_or(0); // infallible: every location used here is in `rows`
        self.slots.push(slot);
        let name = if note.is_empty() {
            format!("{location} {state}")
        } else {
            format!("{location} {state} ({note})")
        };
        self.names.push(name);
        self.slots.len() - 1
    }

    fn exit(
        &mut self,
        from: usize,
        to: usize,
        law: Result<DwellLaw, LawError>,
        key: &str,
    ) -> Result<(), ModelError> {
        let law = law.map_err(|e| model_error(key, e.expected, e.found))?;
        self.exits.push(Exit { from, to, law });
        Ok(())
    }

    /// An exponential exit at `rate_per_h` (skipped at rate 0).
    fn rate(
        &mut self,
        from: usize,
        to: usize,
        rate_per_h: f64,
        key: &str,
    ) -> Result<(), ModelError> {
        if rate_per_h == 0.0 {
            return Ok(());
        }
        self.exit(from, to, DwellLaw::exponential_rate(rate_per_h), key)
    }
}

/// Parameters resolved for one body and host: times scaled to the body's
/// mass, death times divided by the immune factor.
struct Resolved<'a> {
    params: &'a ParamSet,
    mass_kg: f64,
    hazard_factor: f64,
}

impl Resolved<'_> {
    fn get(&self, key: &str) -> f64 {
        self.params.get(key)
    }

    /// A time parameter in this body (h).
    fn time_h(&self, key: &str) -> f64 {
        let value = self.get(key);
        match self.params.param(key).map(|p| p.time_scaling) {
            Some(TimeScaling::QuarterPower { reference_mass_kg }) => {
                value * (self.mass_kg / reference_mass_kg).powf(0.25)
            }
            _ => value,
        }
    }

    /// A death time (h) for this host.
    fn death_h(&self, key: &str) -> f64 {
        self.time_h(key) / self.hazard_factor
    }

    fn rate_per_h(&self, key: &str) -> f64 {
        self.get(key)
    }
}

/// The states of one organ.
#[derive(Debug, Clone, Copy)]
struct OrganStates {
    capillary_alive: usize,
    capillary_dead: usize,
    tissue: Option<(usize, usize)>,
}

/// The states of one knee.
#[derive(Debug, Clone, Copy)]
struct KneeStates {
    synovium_arrested: usize,
    synovium_lining: usize,
    synovium_dead: usize,
    bone_alive: usize,
    bone_dead: usize,
    periarticular_alive: usize,
    periarticular_dead: usize,
    fluid_alive: usize,
    fluid_dead: usize,
    cartilage_alive: usize,
    cartilage_dead: usize,
    lymph_node_dead: usize,
}

/// Which filter a bed uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Systemic,
    Liver,
}

/// A systemic bed as the cell source sees it.
#[derive(Debug, Clone, Copy)]
struct Bed {
    /// Share of cardiac output.
    flow: f64,
    filter: FilterKind,
    /// Arrest state.
    target: usize,
    /// Portal organs: a passing cell meets the liver next.
    portal: bool,
}

/// A product's cell population.
#[derive(Debug, Clone)]
struct Component {
    cumulative_fraction: f64,
    ln_median_um: f64,
    ln_gsd: f64,
}

/// Where a cell starts, by viability.
#[derive(Debug, Clone)]
struct Start {
    /// (cumulative probability, state) for live cells.
    alive: Vec<(f64, usize)>,
    /// State of cells dead at infusion.
    dead: usize,
    /// States of cells lost in the line (alive, dead).
    lost: (usize, usize),
}

/// Draws one arm's cells: diameter, viability, start state and arrest odds.
#[derive(Debug, Clone)]
pub struct ModelCellSource {
    components: Vec<Component>,
    squeeze_ratio: f64,
    adhesion_lung: f64,
    adhesion_systemic: f64,
    lung: BedFilter,
    systemic: BedFilter,
    liver: BedFilter,
    lung_target: usize,
    liver_target: usize,
    beds: Vec<Bed>,
    viability: f64,
    line_loss: f64,
    start: Start,
}

impl ModelCellSource {
    /// E[d³] of the product's diameters (µm³): for a mixture of log-normals
    /// with medians m and geometric SDs g, Σ fraction · m³ · exp(9 (ln g)² / 2).
    pub fn mean_cubed_diameter_um3(&self) -> f64 {
        let mut below = 0.0;
        self.components
            .iter()
            .map(|c| {
                let fraction = c.cumulative_fraction - below;
                below = c.cumulative_fraction;
                fraction * (3.0 * c.ln_median_um + 4.5 * c.ln_gsd * c.ln_gsd).exp()
            })
            .sum()
    }

    /// Draws a diameter (µm) from the product's mixture.
    pub fn draw_diameter_um(&self, attributes: &mut CellRng) -> f64 {
        let pick = uniform(attributes);
        let component = self
            .components
            .iter()
            .find(|c| pick < c.cumulative_fraction)
            .or(self.components.last());
        let z: f64 = StandardNormal.sample(attributes);
        component.map_or(0.0, |c| (c.ln_median_um + c.ln_gsd * z).exp())
    }

    /// The per-pass passage probability of a cell of `diameter_um` through
    /// the lung, a systemic bed and the liver.
    pub fn passages(&self, diameter_um: f64) -> [f64; 3] {
        let lung = CellInBed {
            diameter_um,
            squeeze_ratio: self.squeeze_ratio,
            adhesion: self.adhesion_lung,
        };
        let systemic = CellInBed {
            adhesion: self.adhesion_systemic,
            ..lung
        };
        [
            passage(&self.lung, &lung).passage,
            passage(&self.systemic, &systemic).passage,
            passage(&self.liver, &systemic).passage,
        ]
    }

    /// Fills the arrest odds of a cell of `diameter_um`.
    pub fn fill_odds(&self, diameter_um: f64, odds: &mut ArrestOdds) {
        odds.diameter_um = diameter_um;
        let [lung_pass, systemic_pass, liver_pass] = self.passages(diameter_um);
        odds.after_venous.push((self.lung_target, 1.0 - lung_pass));
        let mut liver_arrest = 0.0;
        for bed in &self.beds {
            let pass = match bed.filter {
                FilterKind::Systemic => systemic_pass,
                FilterKind::Liver => liver_pass,
            };
            if bed.target == self.liver_target {
                liver_arrest += bed.flow * (1.0 - pass);
            } else {
                odds.after_arterial
                    .push((bed.target, bed.flow * (1.0 - pass)));
            }
            if bed.portal {
                liver_arrest += bed.flow * pass * (1.0 - liver_pass);
            }
        }
        odds.after_arterial.push((self.liver_target, liver_arrest));
    }
}

impl CellSource for ModelCellSource {
    fn prepare_cell(
        &self,
        attributes: &mut CellRng,
        fate: &mut CellRng,
        odds: &mut ArrestOdds,
    ) -> usize {
        let diameter_um = self.draw_diameter_um(attributes);
        let viable = uniform(attributes) < self.viability;
        let lost = uniform(fate) < self.line_loss;
        self.fill_odds(diameter_um, odds);
        match (lost, viable) {
            (true, true) => self.start.lost.0,
            (true, false) => self.start.lost.1,
            (false, false) => self.start.dead,
            (false, true) => {
                let pick = uniform(fate);
                self.start
                    .alive
                    .iter()
                    .find(|(c, _)| pick < *c)
                    .or(self.start.alive.last())
                    .map_or(self.start.dead, |&(_, s)| s)
            }
        }
    }
}

fn fraction(params: &ParamSet, key: &str) -> Result<f64, ModelError> {
    let value = params.get(key);
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(model_error(
            &format!("parameters.{key}"),
            "a fraction from 0 to 1",
            value,
        ))
    }
}

fn positive(params: &ParamSet, key: &str) -> Result<f64, ModelError> {
    let value = params.get(key);
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(model_error(
            &format!("parameters.{key}"),
            "a number > 0",
            value,
        ))
    }
}

/// The three filters of a body and a product's squeeze and adhesion, with
/// the interventions applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Filters {
    /// The lung.
    pub lung: BedFilter,
    /// Every systemic bed (knee synovium and bone included).
    pub systemic: BedFilter,
    /// The liver sinusoids.
    pub liver: BedFilter,
    /// The product's squeeze ratio.
    pub squeeze_ratio: f64,
    /// Adhesion arrest probability in the lung.
    pub adhesion_lung: f64,
    /// Adhesion arrest probability in systemic beds and the liver.
    pub adhesion_systemic: f64,
}

/// Builds the filters from `params` with `interventions` applied; `exercise`
/// above 1 opens the lung's exercise shunt.
pub fn filters(
    params: &ParamSet,
    interventions: &[Intervention],
    exercise: f64,
) -> Result<Filters, ModelError> {
    let has = |i: Intervention| interventions.contains(&i);
    let mut lung = BedFilter {
        lumen_median_um: positive(params, "lung.lumen_median_um")?,
        lumen_gsd: positive(params, "lung.lumen_gsd")?,
        shunt: fraction(params, "lung.shunt")?,
    };
    if has(Intervention::Vasodilator) {
        lung.lumen_median_um *= positive(params, "vasodilator.lumen_factor")?;
    }
    if has(Intervention::PatentForamenOvale) {
        lung.shunt += fraction(params, "patent_foramen_ovale.shunt")?;
    }
    if exercise > 1.0 {
        lung.shunt += fraction(params, "exercise.lung_shunt")?;
    }
    lung.shunt = lung.shunt.min(1.0);
    let mut adhesion_factor = 1.0;
    for (intervention, key) in [
        (Intervention::Heparin, "heparin.adhesion_factor"),
        (Intervention::AntiCd49d, "anti_cd49d.adhesion_factor"),
        (
            Intervention::PronaseDetachment,
            "pronase_detachment.adhesion_factor",
        ),
        (Intervention::Cryopreserved, "cryopreserved.adhesion_factor"),
    ] {
        if has(intervention) {
            adhesion_factor *= params.get(key);
        }
    }
    Ok(Filters {
        lung,
        systemic: BedFilter {
            lumen_median_um: positive(params, "systemic.lumen_median_um")?,
            lumen_gsd: positive(params, "systemic.lumen_gsd")?,
            shunt: fraction(params, "systemic.shunt")?,
        },
        liver: BedFilter {
            lumen_median_um: positive(params, "liver.lumen_median_um")?,
            lumen_gsd: positive(params, "liver.lumen_gsd")?,
            shunt: fraction(params, "liver.shunt")?,
        },
        squeeze_ratio: params.get("cell.squeeze_ratio"),
        adhesion_lung: (params.get("cell.adhesion_lung") * adhesion_factor).clamp(0.0, 1.0),
        adhesion_systemic: (params.get("cell.adhesion_systemic") * adhesion_factor).clamp(0.0, 1.0),
    })
}

/// The parameters of a body and a cell preset, with the common ones.
pub fn preset_params(body: &str, cell: &str) -> Option<ParamSet> {
    let body = super::presets::body(body)?;
    let cell = super::presets::cell(cell)?;
    Some(ParamSet::new(
        super::presets::common().into_iter().chain(body).chain(cell),
    ))
}

/// Compiles one arm. `params` are the resolved parameters (presets plus the
/// scenario's overrides).
pub fn compile_arm(
    params: &ParamSet,
    body: &BodyOptions,
    host: HostMatch,
    arm: &ArmSpec,
) -> Result<CompiledArm, ModelError> {
    let rows = rows(body);
    let resolved = Resolved {
        params,
        mass_kg: positive(params, "body.mass_kg")?,
        hazard_factor: host.hazard_factor(params),
    };
    let living = params.get("cell.living") > 0.5;
    let mut b = Builder {
        rows: &rows,
        names: Vec::new(),
        slots: Vec::new(),
        exits: Vec::new(),
    };

    // Blood, infusion line, cleared.
    let venous = b.state(VENOUS_BLOOD, ALIVE, "");
    let arterial = b.state(ARTERIAL_BLOOD, ALIVE, "");
    let venous_debris = b.state(VENOUS_BLOOD, DEAD, "");
    let waiting_alive = b.state(NOT_YET_INJECTED, ALIVE, "");
    let waiting_dead = b.state(NOT_YET_INJECTED, DEAD, "");
    let lost_alive = b.state(NOT_YET_INJECTED, ALIVE, "lost in the line");
    let lost_dead = b.state(NOT_YET_INJECTED, DEAD, "lost in the line");
    let cleared = b.state(CLEARED, DEAD, "");

    // Organs.
    let mut organs: Vec<(String, OrganStates)> = Vec::new();
    let organ_names: Vec<(String, bool)> = std::iter::once(("lung".to_string(), true))
        .chain(
            SYSTEMIC_ORGANS
                .iter()
                .map(|o| (o.to_string(), locations::has_tissue(o))),
        )
        .chain(
            body.extra_organs
                .iter()
                .map(|o| (o.name.clone(), o.has_tissue)),
        )
        .collect();
    for (organ, tissue) in &organ_names {
        let capillary = format!("{organ}/capillary");
        let capillary_alive = b.state(&capillary, ALIVE, "");
        let capillary_dead = b.state(&capillary, DEAD, "");
        let tissue = tissue.then(|| {
            let location = format!("{organ}/tissue");
            (b.state(&location, ALIVE, ""), b.state(&location, DEAD, ""))
        });
        organs.push((
            organ.clone(),
            OrganStates {
                capillary_alive,
                capillary_dead,
                tissue,
            },
        ));
    }
    let organ = |name: &str| organs.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
    let (lung, liver, spleen, marrow) = match (
        organ("lung"),
        organ("liver"),
        organ("spleen"),
        organ("marrow"),
    ) {
        (Some(l), Some(v), Some(s), Some(m)) => (l, v, s, m),
        _ => {
            return Err(model_error(
                "body",
                "lung, liver, spleen and marrow",
                "a body without them",
            ));
        }
    };
    // Where monocytes carry debris: the tissue of liver, spleen and marrow.
    let carried_to = |o: OrganStates| o.tissue.map_or(o.capillary_dead, |t| t.1);

    // Knees.
    let mut knees = Vec::new();
    for k in 0..body.knees {
        let prefix = knee_prefix(body.knees, k);
        let at = |part: &str| format!("{prefix}/{part}");
        knees.push(KneeStates {
            synovium_arrested: b.state(&at("synovium"), ALIVE, "arrested from blood"),
            synovium_lining: b.state(&at("synovium"), ALIVE, "adhered to the lining"),
            synovium_dead: b.state(&at("synovium"), DEAD, ""),
            bone_alive: b.state(&at("bone"), ALIVE, ""),
            bone_dead: b.state(&at("bone"), DEAD, ""),
            periarticular_alive: b.state(&at("periarticular"), ALIVE, ""),
            periarticular_dead: b.state(&at("periarticular"), DEAD, ""),
            fluid_alive: b.state(&at("synovial_fluid"), ALIVE, ""),
            fluid_dead: b.state(&at("synovial_fluid"), DEAD, ""),
            cartilage_alive: b.state(&at("cartilage"), ALIVE, ""),
            cartilage_dead: b.state(&at("cartilage"), DEAD, ""),
            lymph_node_dead: b.state(&at("lymph_node"), DEAD, ""),
        });
    }

    // Debris in blood goes to liver and spleen macrophages.
    let blood_clearance = 1.0 / positive(params, "debris.blood_clearance_mean_h")?;
    let to_liver = fraction(params, "debris.blood_to_liver")?;
    b.rate(
        venous_debris,
        liver.capillary_dead,
        blood_clearance * to_liver,
        "debris.blood_clearance_mean_h",
    )?;
    b.rate(
        venous_debris,
        spleen.capillary_dead,
        blood_clearance * (1.0 - to_liver),
        "debris.blood_clearance_mean_h",
    )?;

    // Debris in organs: degraded in place, or carried to liver, spleen, marrow.
    let degradation = 1.0 / positive(params, "debris.local_degradation_mean_h")?;
    let carriage = 1.0 / resolved.time_h("debris.carriage_mean_h").max(1e-9);
    let organ_clearance = 1.0 / positive(params, "debris.organ_clearance_mean_h")?;
    let split = [
        (carried_to(liver), fraction(params, "debris.to_liver")?),
        (carried_to(spleen), fraction(params, "debris.to_spleen")?),
        (carried_to(marrow), fraction(params, "debris.to_marrow")?),
    ];
    let split_total: f64 = split.iter().map(|s| s.1).sum();
    if (split_total - 1.0).abs() > 1e-6 {
        return Err(model_error(
            "parameters.debris.to_liver + debris.to_spleen + debris.to_marrow",
            "a sum of 1",
            split_total,
        ));
    }
    for (name, states) in &organs {
        let deads = std::iter::once(states.capillary_dead).chain(states.tissue.map(|t| t.1));
        for dead in deads.collect::<Vec<_>>() {
            if ["liver", "spleen", "marrow"].contains(&name.as_str()) {
                b.rate(
                    dead,
                    cleared,
                    organ_clearance,
                    "debris.organ_clearance_mean_h",
                )?;
            } else {
                b.rate(
                    dead,
                    cleared,
                    degradation,
                    "debris.local_degradation_mean_h",
                )?;
                for &(to, share) in &split {
                    b.rate(dead, to, carriage * share, "debris.carriage_mean_h")?;
                }
            }
        }
    }

    // Live cells in organ beds.
    if living {
        for (name, states) in &organs {
            let (death_key, release_key, extravasation_key) = if name == "lung" {
                (
                    "fate.lung.death_mean_h",
                    "fate.lung.release_rate_per_h",
                    "fate.lung.extravasation_rate_per_h",
                )
            } else {
                (
                    "fate.systemic.death_mean_h",
                    "fate.systemic.release_rate_per_h",
                    "fate.systemic.extravasation_rate_per_h",
                )
            };
            let death = if name == "lung" {
                DwellLaw::gamma(
                    resolved.death_h(death_key),
                    params.get("fate.lung.death_shape"),
                )
            } else {
                DwellLaw::exponential_mean(resolved.death_h(death_key))
            };
            b.exit(
                states.capillary_alive,
                states.capillary_dead,
                death,
                death_key,
            )?;
            let release_to = if name == "lung" {
                arterial
            } else if PORTAL_ORGANS.contains(&name.as_str()) {
                liver.capillary_alive
            } else {
                venous
            };
            b.rate(
                states.capillary_alive,
                release_to,
                resolved.rate_per_h(release_key),
                release_key,
            )?;
            if let Some((tissue_alive, tissue_dead)) = states.tissue {
                b.rate(
                    states.capillary_alive,
                    tissue_alive,
                    resolved.rate_per_h(extravasation_key),
                    extravasation_key,
                )?;
                b.exit(
                    tissue_alive,
                    tissue_dead,
                    DwellLaw::exponential_mean(resolved.death_h("fate.tissue.death_mean_h")),
                    "fate.tissue.death_mean_h",
                )?;
            }
        }
    }

    // The knees.
    let lymph_share = fraction(params, "knee.debris.to_lymph_node")?;
    for knee in &knees {
        if living {
            let systemic_death =
                || DwellLaw::exponential_mean(resolved.death_h("fate.systemic.death_mean_h"));
            b.exit(
                knee.synovium_arrested,
                knee.synovium_dead,
                systemic_death(),
                "fate.systemic.death_mean_h",
            )?;
            b.rate(
                knee.synovium_arrested,
                knee.fluid_alive,
                params.get("knee.transmigration_rate_per_h"),
                "knee.transmigration_rate_per_h",
            )?;
            b.rate(
                knee.synovium_arrested,
                venous,
                params.get("fate.systemic.release_rate_per_h"),
                "fate.systemic.release_rate_per_h",
            )?;
            b.exit(
                knee.bone_alive,
                knee.bone_dead,
                systemic_death(),
                "fate.systemic.death_mean_h",
            )?;
            b.rate(
                knee.bone_alive,
                venous,
                params.get("fate.systemic.release_rate_per_h"),
                "fate.systemic.release_rate_per_h",
            )?;
            if body.osteoarthritis {
                b.rate(
                    knee.bone_alive,
                    knee.cartilage_alive,
                    params.get("knee.oa.bone_to_cartilage_rate_per_h"),
                    "knee.oa.bone_to_cartilage_rate_per_h",
                )?;
            }
            b.exit(
                knee.fluid_alive,
                knee.synovium_lining,
                DwellLaw::exponential_mean(resolved.time_h("knee.fluid.adhesion_synovium_mean_h")),
                "knee.fluid.adhesion_synovium_mean_h",
            )?;
            b.exit(
                knee.fluid_alive,
                knee.cartilage_alive,
                DwellLaw::exponential_mean(resolved.time_h("knee.fluid.adhesion_cartilage_mean_h")),
                "knee.fluid.adhesion_cartilage_mean_h",
            )?;
            b.exit(
                knee.fluid_alive,
                knee.fluid_dead,
                DwellLaw::exponential_mean(resolved.death_h("knee.fluid.death_mean_h")),
                "knee.fluid.death_mean_h",
            )?;
            let adhered_death = || {
                DwellLaw::lognormal(
                    resolved.death_h("knee.adhered.death_median_h"),
                    params.get("knee.adhered.death_sigma"),
                )
            };
            b.exit(
                knee.synovium_lining,
                knee.synovium_dead,
                adhered_death(),
                "knee.adhered.death_median_h",
            )?;
            b.exit(
                knee.cartilage_alive,
                knee.cartilage_dead,
                adhered_death(),
                "knee.adhered.death_median_h",
            )?;
            b.exit(
                knee.periarticular_alive,
                knee.periarticular_dead,
                DwellLaw::exponential_mean(resolved.death_h("knee.periarticular.death_mean_h")),
                "knee.periarticular.death_mean_h",
            )?;
        }
        for dead in [
            knee.synovium_dead,
            knee.bone_dead,
            knee.periarticular_dead,
            knee.fluid_dead,
            knee.cartilage_dead,
        ] {
            b.rate(
                dead,
                knee.lymph_node_dead,
                degradation * lymph_share,
                "debris.local_degradation_mean_h",
            )?;
            b.rate(
                dead,
                cleared,
                degradation * (1.0 - lymph_share),
                "debris.local_degradation_mean_h",
            )?;
        }
        b.rate(
            knee.lymph_node_dead,
            cleared,
            organ_clearance,
            "debris.organ_clearance_mean_h",
        )?;
    }

    // Infusion.
    let infusion_min = match arm.route {
        Route::Iv { duration_min } => duration_min,
        _ => 0.0,
    };
    if infusion_min > 0.0 {
        let key = &format!("arms.{}.duration_min", arm.name);
        b.exit(
            waiting_alive,
            venous,
            DwellLaw::uniform(infusion_min / 60.0),
            key,
        )?;
        b.exit(
            waiting_dead,
            venous_debris,
            DwellLaw::uniform(infusion_min / 60.0),
            key,
        )?;
    }

    // Flows: the knees' shares come out of muscle (synovium) and rest (bone).
    let cardiac_output = positive(params, "body.cardiac_output_ml_per_min")?;
    let blood_volume = positive(params, "body.blood_volume_ml")?;
    let exercise = body.exercise;
    let synovium_flow = fraction(params, "flow.knee_synovium")? * exercise * body.synovitis;
    let bone_flow = fraction(params, "flow.knee_bone")? * exercise;
    let knees_count = body.knees as f64;
    let mut named = 0.0;
    let mut beds = Vec::new();
    let flow_of = |organ: &str| format!("flow.{organ}");
    for organ_name in SYSTEMIC_ORGANS.iter().filter(|&&o| o != "rest") {
        let key = if *organ_name == "liver" {
            "flow.liver_artery".to_string()
        } else {
            flow_of(organ_name)
        };
        let mut flow = fraction(params, &key)?;
        named += flow;
        if matches!(*organ_name, "muscle" | "skin") {
            // The knees' synovium comes out of the muscle and skin rows in
            // proportion to their flows.
            let soft_tissue = params.get("flow.muscle") + params.get("flow.skin");
            flow -= knees_count * synovium_flow * flow / soft_tissue.max(f64::MIN_POSITIVE);
            if flow < 0.0 {
                return Err(model_error(
                    &format!("parameters.{key}"),
                    "muscle and skin flows larger than the knees' synovium flow taken out of them",
                    params.get(&key),
                ));
            }
        }
        let states = organ(organ_name).unwrap_or(liver);
        beds.push(Bed {
            flow,
            filter: if *organ_name == "liver" {
                FilterKind::Liver
            } else {
                FilterKind::Systemic
            },
            target: states.capillary_alive,
            portal: PORTAL_ORGANS.contains(organ_name),
        });
    }
    let extra: f64 = body.extra_organs.iter().map(|o| o.flow_fraction).sum();
    let rest = 1.0 - named - knees_count * bone_flow - extra;
    if rest < 0.0 {
        return Err(model_error(
            "parameters.flow.* and body.organs",
            "organ flows that sum to at most 1 of cardiac output (what is left is `rest`)",
            format!("a sum of {:.4}", 1.0 - rest),
        ));
    }
    if let Some(states) = organ("rest") {
        beds.push(Bed {
            flow: rest,
            filter: FilterKind::Systemic,
            target: states.capillary_alive,
            portal: false,
        });
    }
    for o in &body.extra_organs {
        if let Some(states) = organ(&o.name) {
            beds.push(Bed {
                flow: o.flow_fraction,
                filter: FilterKind::Systemic,
                target: states.capillary_alive,
                portal: false,
            });
        }
    }
    for knee in &knees {
        beds.push(Bed {
            flow: synovium_flow,
            filter: FilterKind::Systemic,
            target: knee.synovium_arrested,
            portal: false,
        });
        beds.push(Bed {
            flow: bone_flow,
            filter: FilterKind::Systemic,
            target: knee.bone_alive,
            portal: false,
        });
    }

    let filters = filters(params, &arm.interventions, exercise)?;

    // The product.
    let mut components = Vec::new();
    let mut cumulative = 0.0;
    let component_names: Vec<String> = params
        .keys()
        .filter_map(|k| {
            k.strip_prefix("cell.")
                .and_then(|r| r.strip_suffix(".fraction"))
                .map(str::to_string)
        })
        .collect();
    for name in &component_names {
        let key = |field: &str| format!("cell.{name}.{field}");
        cumulative += fraction(params, &key("fraction"))?;
        let median = positive(params, &key("diameter_median_um"))?;
        let gsd = params.get(&key("diameter_gsd"));
        if !(gsd >= 1.0 && gsd.is_finite()) {
            return Err(model_error(
                &format!("parameters.{}", key("diameter_gsd")),
                "a geometric SD ≥ 1",
                gsd,
            ));
        }
        components.push(Component {
            cumulative_fraction: cumulative,
            ln_median_um: median.ln(),
            ln_gsd: gsd.ln(),
        });
    }
    if components.is_empty() || (cumulative - 1.0).abs() > 1e-6 {
        return Err(model_error(
            "parameters.cell.*.fraction",
            "component fractions summing to 1",
            cumulative,
        ));
    }

    // Where cells start.
    let lost = (lost_alive, lost_dead);
    let waiting_or = |state| {
        if infusion_min > 0.0 {
            waiting_alive
        } else {
            state
        }
    };
    let start = match &arm.route {
        Route::Iv { .. } => Start {
            alive: vec![(1.0, waiting_or(venous))],
            dead: if infusion_min > 0.0 {
                waiting_dead
            } else {
                venous_debris
            },
            lost,
        },
        Route::IntraArterial => Start {
            alive: vec![(1.0, arterial)],
            dead: venous_debris,
            lost,
        },
        Route::IntraArticular { knee } => {
            let Some(k) = knees.get(*knee) else {
                return Err(model_error(
                    &format!("arms.{}.knee", arm.name),
                    "a modelled knee",
                    knee + 1,
                ));
            };
            let peri = fraction(params, "route.intra_articular.leak_periarticular")?;
            let vein = fraction(params, "route.intra_articular.leak_venous")?;
            if peri + vein > 1.0 {
                return Err(model_error(
                    "parameters.route.intra_articular.leak_*",
                    "leaks summing to at most 1",
                    peri + vein,
                ));
            }
            Start {
                alive: vec![
                    (peri, k.periarticular_alive),
                    (peri + vein, venous),
                    (1.0, k.fluid_alive),
                ],
                dead: k.fluid_dead,
                lost,
            }
        }
        Route::Location(location) => {
            let alive = b.names.iter().position(|n| {
                n == &format!("{location} {ALIVE}")
                    || n.starts_with(&format!("{location} {ALIVE} ("))
            });
            let dead = b
                .names
                .iter()
                .position(|n| n == &format!("{location} {DEAD}"));
            match (alive, dead) {
                (Some(a), d) => Start {
                    alive: vec![(1.0, a)],
                    dead: d.unwrap_or(venous_debris),
                    lost,
                },
                _ => {
                    return Err(model_error(
                        &format!("arms.{}.route", arm.name),
                        "iv, intra_arterial, intra_articular or a location of this body (see counts.csv's location column)",
                        location,
                    ));
                }
            }
        }
    };

    let Builder {
        names,
        slots,
        exits,
        ..
    } = b;
    let graph = Graph::new(slots.len(), venous, exits)
        .map_err(|e| model_error("graph", "a valid compiled graph", format!("{e:?}")))?;
    let circulation = Circulation {
        venous_state: venous,
        arterial_state: arterial,
        // Two phases per circulation time (blood volume / cardiac output).
        phase_rate_per_h: 2.0 * cardiac_output / blood_volume * 60.0,
    };
    let source = ModelCellSource {
        components,
        squeeze_ratio: filters.squeeze_ratio,
        adhesion_lung: filters.adhesion_lung,
        adhesion_systemic: filters.adhesion_systemic,
        lung: filters.lung,
        systemic: filters.systemic,
        liver: filters.liver,
        lung_target: lung.capillary_alive,
        liver_target: liver.capillary_alive,
        beds,
        viability: if living {
            fraction(params, "product.viability")?
        } else {
            1.0
        },
        line_loss: fraction(params, "product.line_loss")?,
        start,
    };
    let slot_count = rows.len();
    // The rare-destination estimator: arrests from the blood in a knee's
    // synovium or bone are scored, and every live knee row is reported.
    let rare_triggers: Vec<usize> = knees
        .iter()
        .flat_map(|k| [k.synovium_arrested, k.bone_alive])
        .collect();
    let rare_watched: Vec<usize> = knees
        .iter()
        .flat_map(|k| {
            [
                k.synovium_arrested,
                k.bone_alive,
                k.periarticular_alive,
                k.fluid_alive,
                k.cartilage_alive,
            ]
        })
        .map(|state| slots[state])
        .collect();
    Ok(CompiledArm {
        body: BodyGraph {
            graph,
            circulation,
            slots,
            slot_count,
            rare_triggers,
            rare_watched,
        },
        source,
        rows,
        state_names: names,
    })
}

/// Draws `n` cells' attributes for a test or a plot: the diameters of a product.
pub fn sample_diameters_um(source: &ModelCellSource, seed: u64, n: u64) -> Vec<f64> {
    use crate::engine::stream::{StreamPurpose, cell_stream};
    (0..n)
        .map(|i| {
            let mut rng = cell_stream(seed, StreamPurpose::Attributes, i);
            source.draw_diameter_um(&mut rng)
        })
        .collect()
}
