//! Every default number of the physiological model, with its source.
//!
//! Three kinds of preset: a body (`human`, `mouse`, `rat`), a cell product
//! (`msc_bone_marrow`, …) and the fate, knee, debris, route and intervention
//! parameters shared by all (`common`). Sources name a row of
//! `shared/data/biodistribution_measurements.csv` (`D07_Toma2009`), a section
//! of `shared/data/parameters.md` or `knee_flow_doses_labels.md`, or a paper;
//! a derived number shows its arithmetic; an assumed one says why.
//! `biodist presets --format md` prints all of them.

use super::params::{Param, Scale, Status, param};

/// Names of the body presets.
pub const BODIES: [&str; 3] = ["human", "mouse", "rat"];

/// Names of the cell presets.
pub const CELLS: [&str; 8] = [
    "msc_bone_marrow",
    "msc_adipose",
    "adipose_svf",
    "bone_marrow_mononuclear",
    "neural_stem_cell",
    "microsphere_4um",
    "microsphere_10um",
    "microsphere_15um",
];

/// Organs with a capillary bed fed by arterial blood (the lung is fed by all
/// venous return), in output order. `rest` closes the flow balance.
pub const SYSTEMIC_ORGANS: [&str; 11] = [
    "liver", "spleen", "gut", "kidney", "heart", "brain", "muscle", "skin", "adipose", "marrow",
    "rest",
];

/// Organs whose venous blood drains through the portal vein into the liver.
pub const PORTAL_ORGANS: [&str; 2] = ["gut", "spleen"];

/// Organs without an extravasated (`/tissue`) location: the brain, behind
/// its blood–brain barrier (assumed: no data on MSC crossing it).
pub const NO_TISSUE: [&str; 1] = ["brain"];

use Scale::{Linear, Log};
use Status::{Assumed, Derived, Fitted, Provisional, Sourced};

/// The parameters of body preset `name` (`None` for an unknown name).
pub fn body(name: &str) -> Option<Vec<Param>> {
    match name {
        "human" => Some(human()),
        "mouse" => Some(mouse()),
        "rat" => Some(rat()),
        _ => None,
    }
}

fn knee_flows(per_knee_from: &'static str) -> Vec<Param> {
    vec![
        param(
            "flow.knee_synovium",
            0.00073,
            "fraction of cardiac output, per knee",
            Derived,
            per_knee_from,
        )
        .range(0.00026, 0.0015, Log),
        param(
            "flow.knee_bone",
            0.0017,
            "fraction of cardiac output, per knee",
            Derived,
            "knee_flow_doses_labels.md §1a: human bone flow 5.5–6.5 mL/100 mL/min (Dayan, SPECT/CT plethysmography) × epiphyseal + subchondral bone volume of distal femur and proximal tibia ASSUMED 150 mL per knee (not found, lit search 2026-11: no volume published) = 9 mL/min; / 5200 mL/min = 0.0017. Cross-check: dog femoral condyle 130 and tibial plateau 182 µL/min/g vs synovium 26 µL/min/g (Simkin 1990), bone 5–7× synovium per gram. Taken out of the bone share of `rest`",
        )
        .range(0.0008, 0.0035, Log),
    ]
}

fn lung_filter() -> Vec<Param> {
    vec![
        param(
            "lung.lumen_median_um",
            7.0,
            "µm",
            Provisional,
            "calibrated on D06_Schrepfer2007 (mouse): 4 µm spheres 'nearly no' trapping, 10 and 15 µm spheres lodge; with gsd 1.35 a rigid 4 µm sphere passes 97 %, 15 µm 0.6 %. Human average lung capillary lumen 'roughly 6 µm' (parameters.md §2, Short 1996, secondary). Same functional filter assumed in rat and human",
        )
        .range(5.0, 9.0, Log),
        param(
            "lung.lumen_gsd",
            1.35,
            "1 (geometric SD)",
            Provisional,
            "calibrated with lung.lumen_median_um on D06_Schrepfer2007 (see there)",
        )
        .range(1.2, 1.6, Log),
    ]
}

fn systemic_and_liver_filters() -> Vec<Param> {
    vec![
        param(
            "systemic.lumen_median_um",
            10.0,
            "µm",
            Provisional,
            "DERIVED: knee_flow_doses_labels.md §2: 'microspheres of 9–10 µm or less pass through peripheral tissues' (Triffitt & Gregg 1990), so half of rigid 10 µm spheres pass",
        )
        .range(8.0, 12.0, Log),
        param(
            "systemic.lumen_gsd",
            1.2,
            "1 (geometric SD)",
            Provisional,
            "ASSUMED: 15 µm spheres (the standard blood-flow microsphere) are then 98.7 % trapped, 4 µm pass; no morphometric spread found (knee_flow_doses_labels.md §2 NOT FOUND)",
        )
        .range(1.1, 1.4, Log),
        param(
            "systemic.shunt",
            0.08,
            "1",
            Provisional,
            "DERIVED: D07_Toma2009: 92 ± 7 % of intra-arterial MSC (23 µm) arrest on first pass in a systemic bed (cremaster), so 8 % pass whatever their size",
        )
        .range(0.01, 0.15, Linear),
        param(
            "liver.lumen_median_um",
            7.4,
            "µm",
            Provisional,
            "DERIVED: parameters.md §2: rat and mouse sinusoid radius 2.95–4.6 µm (J Anat 2017 Table 1), diameter 5.9–9.2 µm, geometric midpoint 7.4",
        )
        .range(5.9, 9.2, Log),
        param(
            "liver.lumen_gsd",
            1.12,
            "1 (geometric SD)",
            Provisional,
            "DERIVED: parameters.md §2: 5.9–9.2 µm taken as ±2 geometric SD: exp(ln(9.2/5.9)/4) = 1.12",
        )
        .range(1.05, 1.25, Log),
        param(
            "liver.shunt",
            0.0,
            "1",
            Provisional,
            "ASSUMED: no size-independent bypass of the sinusoids is documented",
        )
        .range(0.0, 0.05, Linear),
    ]
}

fn human() -> Vec<Param> {
    let mut p = vec![
        param("body.mass_kg", 70.0, "kg", Sourced, "Brown 1997 reference man (parameters.md §1); issue 4"),
        param("body.cardiac_output_ml_per_min", 5200.0, "mL/min", Sourced, "Brown 1997 Table 22 (parameters.md §1.1)"),
        param("body.blood_volume_ml", 5530.0, "mL", Derived, "Brown 1997 Table 21: blood 7.9 % of body weight × 70 kg (1 g/mL) = 5530 mL; circulation time 5530 / 5200 = 1.06 min (parameters.md §1.5)"),
        param("flow.liver_artery", 0.046, "fraction of cardiac output", Derived, "Brown 1997 Table 23 human: liver total 22.7 % − portal vein 18.1 % = 4.6 % (hepatic artery alone; portal flow is routed through gut and spleen). ICRP 89 Table 2.40 gives 6.5 %").range(0.03, 0.065, Linear),
        param("flow.spleen", 0.03, "fraction of cardiac output", Sourced, "ICRP Publication 89 (2002) Table 2.40, adult male (secondary transcription, lorendw7/PerfusionUDE.jl; same in Leggett & Williams 1995 via NRC 1999 Table A-1)"),
        param("flow.gut", 0.151, "fraction of cardiac output", Derived, "Brown 1997 portal vein 18.1 % − spleen 3.0 % (ICRP 89) = 15.1 %; ICRP 89 gives 16.0 % for stomach, intestines and pancreas"),
        param("flow.kidney", 0.175, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human"),
        param("flow.heart", 0.040, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human"),
        param("flow.brain", 0.114, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human"),
        param("flow.muscle", 0.191, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human (the modelled knees' synovium share is taken out of it)"),
        param("flow.skin", 0.058, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human"),
        param("flow.adipose", 0.052, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, human"),
        param("flow.marrow", 0.03, "fraction of cardiac output", Sourced, "ICRP 89 Table 2.40: red marrow 3.0 % (skeleton 5.0 %); Brown's bone row (4.2 %) less marrow leaves 1.2 % for bone in `rest`"),
        param("lung.shunt", 0.0, "1", Provisional, "SOURCED: Eldridge 2004 J Appl Physiol 97:797: no intrapulmonary shunting at rest in 0/23 healthy humans; Stickland 2007: no 25 µm spheres passed resting dog lungs (0/8)").range(0.0, 0.013, Linear),
        param("exercise.lung_shunt", 0.013, "1", Sourced, "Lovering 2009 J Appl Physiol 106:1986: 1.2–1.3 % transpulmonary passage of 99mTc-MAA in maximal exercise; Stickland 2007: 1.4 ± 0.8 % of cardiac output in exercising dogs. Added to lung.shunt when [body] exercise > 1").range(0.004, 0.022, Linear),
        param("debris.to_liver", 0.7, "1", Assumed, "assumed split of monocyte-carried debris: D04_Eggenhofer2012 (Cr-51 mainly in liver at 24 h), D19_Kraitchman2005 (liver, kidney, spleen at 24–48 h); de Witte 2018 (monocytes carry MSC debris from lung)").range(0.5, 0.9, Linear),
        param("debris.to_spleen", 0.2, "1", Assumed, "see debris.to_liver").range(0.05, 0.4, Linear),
        param("debris.to_marrow", 0.1, "1", Assumed, "see debris.to_liver; D20_Makela2015 reports bone uptake for small cells").range(0.0, 0.2, Linear),
    ];
    p.extend(knee_flows("knee_flow_doses_labels.md §1a: iodide clearance from human OA knee effusions 2.19 mL/min of plasma (Wallis 1985), blood = plasma / (1 − Hct 0.42 ASSUMED) = 3.8 mL/min; / 5200 mL/min = 0.00073 per knee. Range from the RA range 0.79–3.22 mL/min and DESIGN §1 (0.03–0.15 %). Not from the dog microsphere flow (26 µL/min/g, Simkin 1990): that needs the synovium mass, NOT FOUND for humans (knee_flow_doses_labels.md §1b; a 2026-11 search found only 52–267 mL of inflamed synovium in chronic synovitis). Taken out of the muscle and skin rows in proportion to their flows (the synovial membrane is limb soft tissue, which Brown lumps into those rows)"));
    p.extend(lung_filter());
    p.extend(systemic_and_liver_filters());
    p
}

fn mouse() -> Vec<Param> {
    let mut p = vec![
        param("body.mass_kg", 0.025, "kg", Sourced, "issue 4 (25 g); parameters.md §1.5"),
        param("body.cardiac_output_ml_per_min", 13.98, "mL/min", Sourced, "Brown 1997 Table 22 (parameters.md §1.1)"),
        param("body.blood_volume_ml", 1.225, "mL", Derived, "Brown 1997 Table 21: blood 4.9 % of 25 g = 1.225 mL; circulation 1.225 / 13.98 = 0.088 min ≈ 5 s (parameters.md §1.5)"),
        param("flow.liver_artery", 0.020, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse hepatic artery"),
        param("flow.spleen", 0.011, "fraction of cardiac output", Sourced, "Davies & Morris 1993 Table III via Lin-group PBPK code (secondary, parameters.md §1.2); Shah & Betts 2012 give 2.2 %").range(0.011, 0.022, Linear),
        param("flow.gut", 0.130, "fraction of cardiac output", Derived, "Brown 1997 mouse portal vein 14.1 % − spleen 1.1 % = 13.0 %"),
        param("flow.kidney", 0.091, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse"),
        param("flow.heart", 0.066, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse"),
        param("flow.brain", 0.033, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse"),
        param("flow.muscle", 0.159, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse"),
        param("flow.skin", 0.058, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, mouse"),
        param("flow.adipose", 0.07, "fraction of cardiac output", Assumed, "secondary: Brown 1997 as transcribed in a mouse PBPK model (Lee 2020; possibly Brown's rat value, not verified); Shah & Betts 2012 Table 1 plasma flows give 3.6 %").range(0.036, 0.07, Linear),
        param("flow.marrow", 0.025, "fraction of cardiac output", Derived, "bone 4.1 % (Shah & Betts 2012 Table 1 plasma flow 15.2 of 373 mL/h) × marrow share of skeletal flow 3.0/5.0 (ICRP 89) = 2.5 %; Brown's mouse bone value was not found").range(0.015, 0.04, Linear),
        param("lung.shunt", 0.0, "1", Provisional, "SOURCED: DESIGN §2.3 (≈ 0 in mice); D06_Schrepfer2007: the 'vast majority' of MSC and 10–15 µm spheres lodge").range(0.0, 0.01, Linear),
        param("exercise.lung_shunt", 0.0, "1", Assumed, "no exercise data in mice"),
        param("debris.to_liver", 0.7, "1", Assumed, "D04_Eggenhofer2012: Cr-51 mainly in liver at 24 h (flag); split assumed").range(0.5, 0.9, Linear),
        param("debris.to_spleen", 0.2, "1", Assumed, "see debris.to_liver").range(0.05, 0.4, Linear),
        param("debris.to_marrow", 0.1, "1", Assumed, "see debris.to_liver").range(0.0, 0.2, Linear),
    ];
    p.extend(knee_flows("assumed: the human per-knee share of cardiac output (derived from Wallis 1985, see the human preset); no mouse knee flow found"));
    p.extend(lung_filter());
    p.extend(systemic_and_liver_filters());
    // The host's own cells per organ (rodent hosts only: human-DNA qPCR).
    p.extend([
        param("host_cells.lung", 3.448e+07, "cells", Assumed, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): lung 0.007 of 0.025 kg = 0.175 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 3.45e+07 cells. For detection limits relative to the organ (human-DNA qPCR)").range(1.149e+07, 1.034e+08, Log),
        param("host_cells.liver", 2.709e+08, "cells", Derived, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): liver 0.055 of 0.025 kg = 1.375 g; x 197e6 cells per g of all kinds (adult rat liver, range 126-277e6; \"Some aspects of the chemical and cellular composition of adult rat liver\", authors not read) = 2.71e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(9.029e+07, 8.126e+08, Log),
        param("host_cells.spleen", 2.5e+08, "cells", Derived, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): spleen 0.005 of 0.025 kg = 0.125 g; x 2.0e6 nucleated cells per mg (rat spleen, Everett 1964, BioNumbers 113198) = 2.5e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(8.333e+07, 7.5e+08, Log),
        param("host_cells.kidney", 8.373e+07, "cells", Assumed, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): kidney 0.017 of 0.025 kg = 0.425 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 8.37e+07 cells. For detection limits relative to the organ (human-DNA qPCR)").range(2.791e+07, 2.512e+08, Log),
        param("host_cells.heart", 2.462e+07, "cells", Assumed, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): heart 0.005 of 0.025 kg = 0.125 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 2.46e+07 cells. For detection limits relative to the organ (human-DNA qPCR)").range(8.208e+06, 7.388e+07, Log),
        param("host_cells.brain", 8.373e+07, "cells", Assumed, "Brown 1997 mouse organ mass share of body mass (secondary, a mouse PBPK table; spleen Davies & Morris 1993): brain 0.017 of 0.025 kg = 0.425 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 8.37e+07 cells. For detection limits relative to the organ (human-DNA qPCR)").range(2.791e+07, 2.512e+08, Log),
    ]);
    p
}

fn rat() -> Vec<Param> {
    let mut p = vec![
        param("body.mass_kg", 0.25, "kg", Sourced, "issue 4 (250 g); parameters.md §1.5"),
        param("body.cardiac_output_ml_per_min", 110.4, "mL/min", Sourced, "Brown 1997 Table 22 (parameters.md §1.1)"),
        param("body.blood_volume_ml", 18.5, "mL", Derived, "Brown 1997 Table 21: blood 7.4 % of 250 g = 18.5 mL; circulation 0.17 min (parameters.md §1.5)"),
        param("flow.liver_artery", 0.021, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat hepatic artery 2.1 %. The printed liver total 18.3 % ≠ 2.1 + 15.3 = 17.4 %: the model routes arterial and portal flow separately, so it uses the two parts and leaves the 0.9 % difference in `rest`"),
        param("flow.spleen", 0.012, "fraction of cardiac output", Assumed, "not in Brown 1997; mouse ratio spleen / portal (1.1 / 14.1, Davies & Morris 1993) × rat portal 15.3 % = 1.2 %").range(0.006, 0.025, Linear),
        param("flow.gut", 0.141, "fraction of cardiac output", Derived, "Brown 1997 rat portal vein 15.3 % − spleen 1.2 % = 14.1 %"),
        param("flow.kidney", 0.141, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.heart", 0.051, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.brain", 0.020, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.muscle", 0.278, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.skin", 0.058, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.adipose", 0.070, "fraction of cardiac output", Sourced, "Brown 1997 Table 23, rat"),
        param("flow.marrow", 0.073, "fraction of cardiac output", Derived, "Brown 1997 rat bone 12.2 % × marrow share of skeletal flow 3.0 / 5.0 (ICRP 89) = 7.3 %; the other 4.9 % is in `rest`").range(0.03, 0.10, Linear),
        param("lung.shunt", 0.0144, "1", Fitted, "FITTED by scenarios/fits/rat_lung_passage.toml (jointly with cell.adhesion_lung) to D05_Fischer2009#1, #3 and #4 at 1000000 cells, seed 1: loss 0.95 -> 0.11; NOT identified: fit region 0.0085-0.02 reaches the top of the range; the hand value was 0.0105. Size-independent passage: D05's ratios cannot be met by size alone; not identified as an anatomical shunt").range(0.0085, 0.02, Linear),
        param("exercise.lung_shunt", 0.0, "1", Assumed, "no exercise data in rats"),
        param("debris.to_liver", 0.7, "1", Assumed, "as mouse (D04_Eggenhofer2012, flag)").range(0.5, 0.9, Linear),
        param("debris.to_spleen", 0.2, "1", Assumed, "see debris.to_liver").range(0.05, 0.4, Linear),
        param("debris.to_marrow", 0.1, "1", Assumed, "see debris.to_liver").range(0.0, 0.2, Linear),
    ];
    p.extend(knee_flows("assumed: the human per-knee share of cardiac output (derived from Wallis 1985, see the human preset); no rat knee flow found"));
    // The host's own cells per organ (rodent hosts only: human-DNA qPCR).
    p.extend([
        param("host_cells.lung", 2.462e+08, "cells", Assumed, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): lung 0.005 of 0.25 kg = 1.25 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 2.46e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(8.208e+07, 7.388e+08, Log),
        param("host_cells.liver", 1.822e+09, "cells", Derived, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): liver 0.037 of 0.25 kg = 9.25 g; x 197e6 cells per g of all kinds (adult rat liver, range 126-277e6; \"Some aspects of the chemical and cellular composition of adult rat liver\", authors not read) = 1.82e+09 cells. For detection limits relative to the organ (human-DNA qPCR)").range(6.074e+08, 5.467e+09, Log),
        param("host_cells.spleen", 1e+09, "cells", Derived, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): spleen 0.002 of 0.25 kg = 0.5 g; x 2.0e6 nucleated cells per mg (rat spleen, Everett 1964, BioNumbers 113198) = 1e+09 cells. For detection limits relative to the organ (human-DNA qPCR)").range(3.333e+08, 3e+09, Log),
        param("host_cells.kidney", 3.595e+08, "cells", Assumed, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): kidney 0.0073 of 0.25 kg = 1.825 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 3.6e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(1.198e+08, 1.079e+09, Log),
        param("host_cells.heart", 1.625e+08, "cells", Assumed, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): heart 0.0033 of 0.25 kg = 0.825 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 1.63e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(5.418e+07, 4.876e+08, Log),
        param("host_cells.brain", 2.955e+08, "cells", Assumed, "Brown 1997 rat organ mass share of body mass (secondary, a 250 g rat PBPK table): brain 0.006 of 0.25 kg = 1.5 g; x 197e6 cells per g, the adult rat liver count, ASSUMED for this organ (no count found) = 2.96e+08 cells. For detection limits relative to the organ (human-DNA qPCR)").range(9.85e+07, 8.865e+08, Log),
    ]);
    p.extend(lung_filter());
    p.extend(systemic_and_liver_filters());
    p
}

/// A cell population of a product: its share and log-normal diameter.
pub fn component(
    name: &str,
    fraction: (f64, Status, &'static str),
    median_um: (f64, Status, &'static str),
    gsd: (f64, Status, &'static str),
) -> Vec<Param> {
    vec![
        param(
            &format!("cell.{name}.fraction"),
            fraction.0,
            "1",
            fraction.1,
            fraction.2,
        ),
        param(
            &format!("cell.{name}.diameter_median_um"),
            median_um.0,
            "µm",
            median_um.1,
            median_um.2,
        ),
        param(
            &format!("cell.{name}.diameter_gsd"),
            gsd.0,
            "1 (geometric SD)",
            gsd.1,
            gsd.2,
        ),
    ]
}

fn living_cell(adhesion_lung_source: &'static str) -> Vec<Param> {
    vec![
        param("cell.living", 1.0, "1 (1 living, 0 inert)", Sourced, "a cell (dies, leaves debris)"),
        param("cell.squeeze_ratio", 1.0, "1", Provisional,
            "ASSUMED: narrowest lumen a cell passes, relative to its suspension diameter; 1 (as a rigid sphere) because D05's ratios cannot be met with deformation (calibration, see lung.shunt of the rat); rat MSC are as deformable as leukocytes (Toma 2009 cortical tension)").range(0.6, 1.0, Linear),
        param("cell.adhesion_lung", 0.286, "1", Fitted, adhesion_lung_source).range(0.052, 0.516, Linear),
        param("cell.adhesion_systemic", 0.0, "1", Provisional,
            "ASSUMED: D07_Toma2009 finds arrest at the precapillary level (size), not by rolling or adhesion").range(0.0, 0.3, Linear),
    ]
}

/// The source text of `cell.adhesion_lung`: the fit, then `$remark` on the
/// product.
macro_rules! adhesion_fit {
    ($remark:literal) => {
        concat!(
            "FITTED by scenarios/fits/rat_lung_passage.toml (jointly with the rat lung.shunt) to D05_Fischer2009#1, #3 and #4 at 1000000 cells, seed 1: loss 0.95 -> 0.11, all three agree; identified, fit region (loss within 2 of the minimum) 0.052-0.516; the hand value was 0.25. One value for the living products the fit ran (MSC, NSC, BMMC). ",
            $remark
        )
    };
}

const MSC_ADHESION: &str = adhesion_fit!(
    "Anti-CD49d raises MSC passage, so adhesion is > 0 (D05); Masterson 2021: arrest at bifurcations by size"
);

/// The parameters of cell preset `name` (`None` for an unknown name).
pub fn cell(name: &str) -> Option<Vec<Param>> {
    let mut p = match name {
        "msc_bone_marrow" => {
            let mut p = living_cell(MSC_ADHESION);
            p.extend(component(
                "msc",
                (1.0, Sourced, "single population"),
                (21.2, Derived, "parameters.md §3: suspended MSC 15–19 µm (D06_Schrepfer2007), 23 µm (D07_Toma2009), 26.5 µm (Ge 2014); geometric midpoint of 15–30 µm"),
                (1.19, Derived, "15–30 µm taken as ±2 geometric SD: exp(ln 2 / 4)"),
            ));
            p
        }
        "msc_adipose" => {
            let mut p = living_cell(MSC_ADHESION);
            p.extend(component(
                "adsc",
                (1.0, Sourced, "single population"),
                (15.8, Derived, "parameters.md §3: ADSC ~10–25 µm (Bora & Majumdar 2017 Table 1); geometric midpoint"),
                (1.26, Derived, "10–25 µm taken as ±2 geometric SD: exp(ln 2.5 / 4)"),
            ));
            p
        }
        "adipose_svf" => {
            let mut p = living_cell(adhesion_fit!(
                "SVF: assumed equal to MSC (no SVF adhesion data)"
            ));
            let share = "ASSUMED share of the SVF (composition varies by donor and isolation; not in parameters.md)";
            let table = "parameters.md §3, Bora & Majumdar 2017 Table 1";
            p.extend(component(
                "adipose_stromal",
                (0.30, Assumed, share),
                (
                    15.8,
                    Derived,
                    "ADSC ~10–25 µm (Bora 2017), geometric midpoint",
                ),
                (1.26, Derived, table),
            ));
            p.extend(component(
                "endothelial",
                (0.15, Assumed, share),
                (
                    17.3,
                    Derived,
                    "endothelial cells ~10–30 µm (Bora 2017), geometric midpoint",
                ),
                (1.32, Derived, table),
            ));
            p.extend(component(
                "endothelial_progenitor",
                (0.05, Assumed, share),
                (7.5, Derived, "EPC ~7–8 µm (Bora 2017)"),
                (1.03, Derived, table),
            ));
            p.extend(component(
                "t_regulatory",
                (0.20, Assumed, share),
                (
                    9.2,
                    Derived,
                    "Treg ~7–12 µm (Bora 2017), geometric midpoint",
                ),
                (1.14, Derived, table),
            ));
            p.extend(component(
                "macrophage",
                (0.15, Assumed, share),
                (20.0, Sourced, "macrophages ~20 µm (Bora 2017)"),
                (1.1, Assumed, "no range given"),
            ));
            p.extend(component(
                "preadipocyte",
                (0.15, Assumed, share),
                (10.0, Sourced, "pre-adipocytes ~10 µm (Bora 2017)"),
                (1.1, Assumed, "no range given"),
            ));
            p
        }
        "bone_marrow_mononuclear" => {
            let mut p = living_cell(adhesion_fit!("BMMC: no adhesion data of their own"));
            p.extend(component(
                "bmmc",
                (1.0, Sourced, "single population"),
                (7.4, Derived, "lymphocyte volume 210 µm³ (Segel 1981 Blood 57:894) as a sphere: (6V/π)^(1/3) = 7.4 µm; suspended lymphocytes 6.05 µm, monocytes 8.13 µm (Downey 1990 J Appl Physiol 69:1767). No BMMC measurement found"),
                (1.15, Assumed, "spread between lymphocytes 6 µm and monocytes 8–9 µm (Downey 1990)"),
            ));
            p
        }
        "neural_stem_cell" => {
            let mut p = living_cell(adhesion_fit!("NSC: no adhesion data of their own"));
            p.extend(component(
                "nsc",
                (1.0, Sourced, "single population"),
                (15.0, Sourced, "glial-restricted neural precursors 15 µm against MSC 25 µm (Janowski 2013 J Cereb Blood Flow Metab 33:921); Fischer 2009's NSC diameters not readable"),
                (1.19, Assumed, "assumed equal to the MSC spread (msc_bone_marrow)"),
            ));
            p
        }
        "microsphere_4um" | "microsphere_10um" | "microsphere_15um" => {
            let diameter = match name {
                "microsphere_4um" => 4.0,
                "microsphere_10um" => 10.0,
                _ => 15.0,
            };
            let mut p = vec![
                param(
                    "cell.living",
                    0.0,
                    "1 (1 living, 0 inert)",
                    Sourced,
                    "inert polymer sphere: never dies, leaves no debris",
                ),
                param("cell.squeeze_ratio", 1.0, "1", Sourced, "rigid sphere"),
                param(
                    "cell.adhesion_lung",
                    0.0,
                    "1",
                    Assumed,
                    "inert sphere: arrest by size only (D06_Schrepfer2007)",
                ),
                param(
                    "cell.adhesion_systemic",
                    0.0,
                    "1",
                    Assumed,
                    "inert sphere: arrest by size only",
                ),
            ];
            p.extend(component(
                "sphere",
                (1.0, Sourced, "single population"),
                (
                    diameter,
                    Sourced,
                    "nominal diameter (D06_Schrepfer2007 used 4, 10 and 15 µm spheres)",
                ),
                (
                    1.0,
                    Assumed,
                    "monodisperse (calibration spheres are within a few %)",
                ),
            ));
            p
        }
        _ => return None,
    };
    p.push(param(
        "product.viability",
        0.95,
        "1",
        Assumed,
        "share of cells alive at infusion (release criteria of MSC products are typically ≥ 70–90 %); dead cells start as debris",
    )
    .range(0.7, 1.0, Linear));
    p.push(param(
        "product.line_loss",
        0.0,
        "1",
        Assumed,
        "share of the dose left in the syringe and line (never injected); set it for your device",
    )
    .range(0.0, 0.3, Linear));
    Some(p)
}

/// Fate, knee, debris, immune, route and intervention parameters.
pub fn common() -> Vec<Param> {
    vec![
        // Fates in capillary beds, for an autologous or syngeneic host.
        param("fate.lung.death_mean_h", 10.56, "h", Fitted, "FITTED by scenarios/fits/lung_death.toml (jointly with debris.carriage_mean_h and dna.dead_cell_half_life_h) to D04_Eggenhofer2012#1-4 and D02_Lee2009#1-2, D02b_Lee2009_meeting_abstract#1 at 200000 cells, seed 1: loss 186 -> 1.79; identified, fit region (loss within 2 of the minimum) 6.4-11.0 h, bounded above by D04#4 (no viable lung cells at 72 h); the hand value was 24 h. Gamma law, shape fate.lung.death_shape. D02's 24 h lung-DNA half-life disagrees (README, How well biodist agrees with data)").range(6.37, 10.98, Log).invariant_time(),
        param("fate.lung.death_shape", 2.0, "1", Provisional, "see fate.lung.death_mean_h").range(1.0, 4.0, Linear),
        param("fate.lung.release_rate_per_h", 0.0, "1/h", Sourced, "default 0: no data show intact cells leaving the lung (D04_Eggenhofer2012: no viable MSC outside the lung at any time). Upper bound: at most 1 % of lung-arrested cells released during their life, 0.01 / 24 h = 4.2e-4 /h").range(0.0, 4.2e-4, Linear).invariant_time(),
        param("fate.lung.extravasation_rate_per_h", 0.0, "1/h", Assumed, "no evidence of MSC leaving lung capillaries into the interstitium in the readable data; bound assumed").range(0.0, 1e-3, Linear).invariant_time(),
        param("fate.systemic.death_mean_h", 36.65, "h", Fitted, "FITTED by scenarios/fits/systemic_death.toml to D07_Toma2009#2 at 200000 cells, seed 1 (14 % of arrested MSC left at 72 h in a systemic bed, dying in situ; the derived value 72 / ln(1/0.14) = 36.6 h was the start): loss 0.000; identified, fit region (loss within 2 of the minimum, one row in units of a factor 2) 26-66 h").range(26.2, 66.0, Log).invariant_time(),
        param("fate.systemic.release_rate_per_h", 0.0, "1/h", Sourced, "default 0 (D04_Eggenhofer2012: no viable MSC outside the lung); bound as for the lung: 1 % of a 36.6 h life").range(0.0, 2.7e-4, Linear).invariant_time(),
        param("fate.systemic.extravasation_rate_per_h", 1e-3, "1/h", Assumed, "rare (DESIGN §2.3): about 3.5 % of arrested cells before death at the systemic death rate; no readable measurement").range(0.0, 0.01, Linear).invariant_time(),
        param("fate.tissue.death_mean_h", 72.0, "h", Assumed, "extravasated cells outlive arrested ones (assumed twice the systemic mean)").range(24.0, 720.0, Log).invariant_time(),
        // The knee.
        param("knee.fluid.adhesion_synovium_mean_h", 49.8, "h", Fitted, "FITTED by scenarios/fits/knee_retention.toml (jointly with knee.adhered.death_median_h and route.intra_articular.leak_venous) to D11_Toupet2013#1-2, D14_Satue2019#1-3 and D15_Kehoe2014#1-2 at 200000 cells, seed 1: loss 35.5 -> 0.48, all 8 comparisons agree; NOT identified: the loss stays within 2 of its minimum over the whole 2-200 h searched, so the range is that. Mouse knee (D15: cells in the synovial lining at 48 h); the hand value was 24 h. Transfer rule: scales with body mass^0.25 (a larger joint, a longer path to the lining)").range(2.0, 200.0, Log).quarter_power_time(0.025),
        param("knee.fluid.adhesion_cartilage_mean_h", 120.0, "h", Provisional, "IA cells found in the cartilage lesion (D14_Satue2019) and in cartilage samples (Li 2016); slower than lining adhesion (assumed factor 5)").range(24.0, 720.0, Log).quarter_power_time(0.025),
        param("knee.fluid.death_mean_h", 48.0, "h", Provisional, "cells that do not adhere die in the fluid; with the adhesion means, 29 % of IA cells die unattached; see knee.fluid.adhesion_synovium_mean_h").range(12.0, 168.0, Log).invariant_time(),
        param("knee.adhered.death_median_h", 126.7, "h", Fitted, "FITTED by scenarios/fits/knee_retention.toml (jointly with knee.fluid.adhesion_synovium_mean_h and route.intra_articular.leak_venous) to D11_Toupet2013#1-2, D14_Satue2019#1-3 and D15_Kehoe2014#1-2 at 200000 cells, seed 1: loss 35.5 -> 0.48, all 8 comparisons agree; identified, fit region (loss within 2 of the minimum) 73-273 h; the hand value was 120 h. Log-normal life of cells adhered to lining or cartilage (D11: 15 % of human DNA in the joint during the first month, 1.5 % at 6 months)").range(72.5, 273.3, Log).invariant_time(),
        param("knee.adhered.death_sigma", 2.0, "1 (SD of ln time)", Provisional, "see knee.adhered.death_median_h: the long tail of D11").range(1.0, 3.0, Linear),
        param("knee.transmigration_rate_per_h", 0.0, "1/h", Assumed, "default 0: synovial fenestrae are tens of nm, a cell 20 µm (DESIGN §1; Knight & Levick 1984); upper bound assumed: 10 % of synovium-arrested cells before death").range(0.0, 3e-3, Linear).invariant_time(),
        param("knee.oa.bone_to_cartilage_rate_per_h", 1e-3, "1/h", Assumed, "UNMEASURED. In osteoarthritis, vessels from subchondral bone invade calcified cartilage and full-thickness lesions open onto marrow (DESIGN §1); no rate found. Central value small but not zero (3.5 % of bone-arrested cells before death), range down to zero").range(0.0, 0.01, Linear).invariant_time(),
        param("knee.periarticular.death_mean_h", 48.0, "h", Assumed, "cells misplaced into fat pad and capsule die like unattached cells (knee.fluid.death_mean_h)").range(12.0, 168.0, Log).invariant_time(),
        param("knee.debris.to_lymph_node", 0.3, "1", Assumed, "joint debris goes to synovial macrophages (degraded in place) and regional lymph nodes (DESIGN §2.3; knee_flow_doses_labels.md §5: large particles retained in nodes); split assumed").range(0.05, 0.6, Linear),
        // Debris.
        param("debris.local_degradation_mean_h", 48.0, "h", Assumed, "debris degraded in place by resident macrophages; no rate found in readable sources. Against the fitted carriage (debris.carriage_mean_h 40.7 h) about half of lung debris is degraded in the lung: (1/40.7) / (1/40.7 + 1/48) = 0.54 carried").range(12.0, 168.0, Log).invariant_time(),
        param("debris.carriage_mean_h", 40.7, "h", Fitted, "FITTED by scenarios/fits/lung_death.toml (jointly with fate.lung.death_mean_h and dna.dead_cell_half_life_h) to D04_Eggenhofer2012#1-4 and D02_Lee2009#1-2, D02b_Lee2009_meeting_abstract#1 at 200000 cells, seed 1: loss 186 -> 1.79; NOT identified: fit region 16-48 h reaches the top of the range. de Witte 2018: monocytes carry MSC debris. Scales with body mass^0.25").range(16.2, 48.0, Log).quarter_power_time(0.025),
        param("debris.organ_clearance_mean_h", 72.0, "h", Assumed, "debris in liver, spleen, marrow and lymph nodes degraded (no rate found in readable sources)").range(24.0, 336.0, Log).invariant_time(),
        param("debris.blood_clearance_mean_h", 0.06, "h", Derived, "dead cells in blood are removed by liver and spleen macrophages; proxy: hyaluronan removal from blood t½ 2–5 min (Fraser 1997, parameters.md §8), mean 3.5 min / ln 2 ≈ 0.06 h").range(0.02, 0.5, Log).invariant_time(),
        param("debris.blood_to_liver", 0.8, "1", Assumed, "blood debris split liver / spleen by their macrophage mass (assumed)").range(0.6, 0.95, Linear),
        // Immune match: multiplies every death hazard (divides death times).
        param("immune.allogeneic_factor", 1.5, "1", Assumed, "allogeneic MSC are cleared faster than autologous ones (direction only, no readable rate)").range(1.0, 3.0, Linear),
        param("immune.xenogeneic_immunocompetent_factor", 4.0, "1", Assumed, "human cells in an immunocompetent rodent (D13_Li2016) are rejected; no rate found").range(1.5, 10.0, Log),
        param("immune.xenogeneic_immunodeficient_factor", 1.0, "1", Assumed, "human cells in SCID or nude mice (D11_Toupet2013, D12_Shim2015) taken as unrejected").range(1.0, 2.0, Linear),
        // Routes.
        param("route.intra_articular.leak_periarticular", 0.05, "1", Assumed, "share of an IA dose placed outside the joint space (fat pad, capsule); no readable measurement").range(0.0, 0.2, Linear),
        param("route.intra_articular.leak_venous", 1.25e-4, "1", Fitted, "FITTED by scenarios/fits/knee_retention.toml (jointly with knee.fluid.adhesion_synovium_mean_h and knee.adhered.death_median_h) to D11_Toupet2013#1-2, D14_Satue2019#1-3 and D15_Kehoe2014#1-2 at 200000 cells, seed 1: loss 35.5 -> 0.48, all 8 comparisons agree; identified, fit region 3.6e-5-7.1e-4: enough for 'a few' donor cells in one rat's lung at day 1 (D14#1) and too few for dye in mouse lungs or liver at 48 h (D15#2); the assumed value was 0.01. Share of an IA dose entering a vein at the needle").range(3.59e-5, 7.07e-4, Log),
        // Interventions.
        param("vasodilator.lumen_factor", 1.859, "1", Fitted, "FITTED by scenarios/fits/vasodilator.toml to D06_Schrepfer2007#4 over #3 and #6 over #5 at 200000 cells, seed 1: loss 0.20 -> 0.011 (residuals in units of the rows' SDs), both agree; identified, fit region (loss within 2 of the minimum) 1.47-2.16 (searched on a log scale); the hand value was 1.75. Sodium nitroprusside cut lodged 10 µm spheres 19.3 -> 6.0 per field and 15 µm 34.9 -> 25.6; counts per field are not fractions of the dose, so their ratio between conditions (same protocol, same fields) is read as the ratio of spheres lodged").range(1.47, 2.16, Log),
        param("heparin.adhesion_factor", 0.5, "1", Assumed, "heparin decreased MSC lung embolism (Liao 2017, parameters.md §7); size of effect assumed").range(0.2, 0.9, Linear),
        param("anti_cd49d.adhesion_factor", 0.2, "1", Assumed, "anti-CD49d increased MSC pulmonary passage (D05_Fischer2009, flag); size assumed").range(0.05, 0.8, Linear),
        param("pronase_detachment.adhesion_factor", 0.5, "1", Assumed, "pronase instead of trypsin decreased pulmonary trapping (Nystedt 2013, figure only); size assumed").range(0.2, 0.9, Linear),
        param("cryopreserved.adhesion_factor", 1.5, "1", Assumed, "thawed MSC trigger more coagulation (IBMIR, Moll 2012, parameters.md §6); size assumed").range(1.0, 2.5, Linear),
        param("patent_foramen_ovale.shunt", 0.005, "1", Assumed, "a PFO is found in 27.3 % of adults at autopsy (Hagen 1984 Mayo Clin Proc 59:17); the resting right-to-left flow is below blood-gas detection in 31/34 PFO patients (Devuyst 2004), so ≤ 1 %: half of that").range(0.0, 0.01, Linear),
    ]
    .into_iter()
    // What assays see: radiolabel kinetics and DNA persistence.
    .chain(crate::observe::labels::label_parameters())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parameter_has_a_source_unit_and_a_sane_range() {
        let mut all: Vec<Param> = common();
        for b in BODIES {
            all.extend(body(b).unwrap());
        }
        for c in CELLS {
            all.extend(cell(c).unwrap());
        }
        for p in &all {
            assert!(
                p.source.len() >= 10,
                "{}: source too short: {:?}",
                p.key,
                p.source
            );
            assert!(!p.unit.is_empty(), "{}: no unit", p.key);
            assert!(p.value.is_finite(), "{}", p.key);
            if let Some(r) = p.range {
                assert!(r.low <= r.high, "{}: range {} > {}", p.key, r.low, r.high);
                assert!(
                    r.low <= p.value && p.value <= r.high,
                    "{}: value {} outside its range {}–{}",
                    p.key,
                    p.value,
                    r.low,
                    r.high
                );
                if r.scale == Scale::Log {
                    assert!(r.low > 0.0, "{}: a log range needs low > 0", p.key);
                }
            }
        }
    }

    #[test]
    fn bodies_share_keys_and_their_flows_leave_room_for_the_rest() {
        let keys = |b| {
            // Host cell counts are for rodent hosts only (human-DNA assays).
            let mut k: Vec<String> = body(b)
                .unwrap()
                .into_iter()
                .map(|p| p.key)
                .filter(|k| !k.starts_with("host_cells."))
                .collect();
            k.sort();
            k
        };
        assert_eq!(keys("human"), keys("mouse"));
        assert_eq!(keys("human"), keys("rat"));
        for b in BODIES {
            let flows: f64 = body(b)
                .unwrap()
                .iter()
                .filter(|p| p.key.starts_with("flow.") && !p.key.starts_with("flow.knee"))
                .map(|p| p.value)
                .sum();
            assert!(
                flows < 1.0,
                "{b}: named organ flows {flows} leave nothing for rest"
            );
        }
    }

    #[test]
    fn component_fractions_of_every_cell_preset_sum_to_one() {
        for c in CELLS {
            let total: f64 = cell(c)
                .unwrap()
                .iter()
                .filter(|p| p.key.ends_with(".fraction"))
                .map(|p| p.value)
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "{c}: {total}");
        }
    }
}
