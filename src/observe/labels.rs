//! Radiolabels: physical half-life, efflux from live cells, release from
//! debris, and where free label goes — each number with its source
//! (docs/label_kinetics.md holds the literature notes, with what could not
//! be found). The values are parameters (`label.<name>.<quantity>`), shown
//! by `biodist presets` and open to `--set` and to fitting.

use crate::model::params::Scale::{Linear, Log};
use crate::model::params::Status::{Assumed, Derived, Fitted, Provisional, Sourced};
use crate::model::params::{Param, ParamSet, param};

/// The labels biodist models.
pub const LABELS: [&str; 4] = ["in111", "tc99m_hmpao", "f18_fdg", "cr51"];

/// A radiolabel's kinetics.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Name (`in111`, …).
    pub name: &'static str,
    /// Physical half-life (h).
    pub half_life_h: f64,
    /// Loss of label from a live cell (1/h).
    pub efflux_rate_per_h: f64,
    /// Release of label from debris outside the phagocytic organs (1/h).
    pub debris_release_rate_per_h: f64,
    /// Release of label from debris taken up by the phagocytes of liver,
    /// spleen, marrow and lymph nodes, and from what they have degraded
    /// (1/h): the label stays in the organ that ate the debris.
    pub phagocyte_release_rate_per_h: f64,
    /// Share of the injected activity bound to cells (the rest is injected
    /// free). Not the "labelling efficiency", which is the share of the
    /// activity added during labelling that bound.
    pub bound_fraction: f64,
    /// Where released label goes: (organ, fraction); the rest goes where no
    /// row reports it (blood pool, urine).
    pub free_to: Vec<(&'static str, f64)>,
}

/// The free-label organs of each label (parameter `label.<name>.free_to_<organ>`).
fn free_organs(name: &str) -> &'static [&'static str] {
    match name {
        "in111" => &["liver", "marrow", "spleen"],
        "tc99m_hmpao" => &["kidney", "gut"],
        "f18_fdg" => &["heart", "brain", "muscle"],
        _ => &[],
    }
}

/// The label parameters, with their sources.
pub fn label_parameters() -> Vec<Param> {
    vec![
        param("label.in111.half_life_h", 67.31, "h", Sourced, "knee_flow_doses_labels.md §4: 2.8047 d (ChemLin isotope data sheet)"),
        param("label.in111.efflux_rate_per_h", 0.031, "1/h", Provisional, "docs/label_kinetics.md §2: 43–52 % of In-111 oxine retained by viable cells at 24 h in vitro (cell lines and leukocytes; Charoenphun 2015 EJNMMI 42:278): −ln(0.475)/24 h = 0.031/h. Lymphoblasts 1.6–2 %/h. No MSC value found").range(0.005, 0.07, Log).invariant_time(),
        param("label.in111.debris_release_rate_per_h", 0.30, "1/h", Derived, "knee_flow_doses_labels.md §4: In-111 released from dead MSC cleared from canine myocardium with biological t½ 2.3 h: ln 2 / 2.3 h").range(0.03, 1.0, Log).invariant_time(),
        param("label.in111.phagocyte_release_rate_per_h", 8.4e-4, "1/h", Sourced, "knee_flow_doses_labels.md §4: In-111 elutes from the spleen after heat-damaged red cells are destroyed there at about 2 % of the initial activity per day (Peters 1982 J Clin Pathol 35:507, 14 subjects): -ln(0.98)/24 h").range(2.0e-4, 4.0e-3, Log).invariant_time(),
        param("label.in111.bound_fraction", 0.96, "1", Provisional, "docs/label_kinetics.md §10: share of the washed injectate bound to cells; no In-111 or MSC value found: taken from Tc-99m HMPAO leukocytes, 96 % cell-bound after one wash (Kelbæk 1988 Eur J Nucl Med 14:621). Not the labelling efficiency (25 % for In-111 oxine hMSC, Gildehaus 2011), which is the share of the added activity that bound").range(0.8, 1.0, Linear),
        param("label.in111.free_to_liver", 0.3, "1", Assumed, "docs/label_kinetics.md §6: free In-111 binds transferrin and goes to liver and marrow (dog); human organ fractions not found: assumed").range(0.1, 0.5, Linear),
        param("label.in111.free_to_marrow", 0.2, "1", Sourced, "docs/label_kinetics.md §6: up to 20 % of free In-111 (as citrate) to marrow").range(0.05, 0.3, Linear),
        param("label.in111.free_to_spleen", 0.05, "1", Assumed, "docs/label_kinetics.md §6: spleen takes free In-111-transferrin; fraction not found: assumed").range(0.0, 0.15, Linear),
        param("label.tc99m_hmpao.half_life_h", 6.0072, "h", Sourced, "knee_flow_doses_labels.md §4: 6.0072 h (NNDC NuDat 3, ENSDF)"),
        param("label.tc99m_hmpao.efflux_rate_per_h", 0.094, "1/h", Derived, "docs/label_kinetics.md §3: 9 ± 4 % released in the first hour from human mixed leucocytes (Danpure 1988 Nucl Med Commun 9:465): −ln(0.91) = 0.094/h; PMN 96 → 84 % over 3 h (Kelbæk 1988)").range(0.04, 0.14, Linear).invariant_time(),
        param("label.tc99m_hmpao.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h (no HMPAO value found)").range(0.03, 1.0, Log).invariant_time(),
        param("label.tc99m_hmpao.phagocyte_release_rate_per_h", 8.4e-4, "1/h", Assumed, "docs/label_kinetics.md §10: labelled leukocytes are retained in liver, spleen and marrow while Tc-99m elutes to urine and bowel (Peters 1994 Semin Nucl Med 24:110); no rate found: taken as In-111's 2 %/day from the spleen (Peters 1982)").range(2.0e-4, 2.0e-2, Log).invariant_time(),
        param("label.tc99m_hmpao.bound_fraction", 0.96, "1", Sourced, "docs/label_kinetics.md §10: 96 % of the activity cell-bound after one wash (labelling efficiency 56 %), human leukocytes (Kelbæk 1988 Eur J Nucl Med 14:621)").range(0.8, 1.0, Linear),
        param("label.tc99m_hmpao.free_to_kidney", 0.3, "1", Assumed, "docs/label_kinetics.md §6: HMPAO's secondary hydrophilic complex goes to kidneys and urine; fractions not found: assumed").range(0.1, 0.5, Linear),
        param("label.tc99m_hmpao.free_to_gut", 0.2, "1", Assumed, "docs/label_kinetics.md §6: gallbladder and bowel (colon activity at 24 h); fraction not found: assumed").range(0.05, 0.4, Linear),
        param("label.f18_fdg.half_life_h", 1.8295, "h", Sourced, "docs/label_kinetics.md §1: 109.771 min (ENSDF, as in Wikipedia 'Fluorine-18')"),
        param("label.f18_fdg.efflux_rate_per_h", 0.26, "1/h", Derived, "docs/label_kinetics.md §4: labelled leukocytes kept 77 % of FDG at 1 h and 59 % at 3 h (Moon 2011): −ln(0.77) = 0.26/h; progenitor cells 26.6 % at 4 h (0.33/h)").range(0.15, 0.4, Linear).invariant_time(),
        param("label.f18_fdg.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h").range(0.03, 1.0, Log).invariant_time(),
        param("label.f18_fdg.phagocyte_release_rate_per_h", 0.26, "1/h", Assumed, "FDG is not bound to debris: FDG-6-phosphate leaves a dead cell as it leaves a live one; taken equal to label.f18_fdg.efflux_rate_per_h").range(0.15, 0.4, Linear).invariant_time(),
        param("label.f18_fdg.bound_fraction", 0.96, "1", Assumed, "docs/label_kinetics.md §10: as washed Tc-99m HMPAO leukocytes (Kelbæk 1988); FDG leukocyte labelling efficiency 63-78 % (Forstrom 2000) is the share of added activity, not of the injectate").range(0.8, 1.0, Linear),
        param("label.f18_fdg.free_to_heart", 0.035, "1", Sourced, "docs/label_kinetics.md §6: free FDG, animal heart 3–4 % (Gallagher 1977)").range(0.02, 0.05, Linear),
        param("label.f18_fdg.free_to_brain", 0.025, "1", Sourced, "docs/label_kinetics.md §6: free FDG, animal brain 2–3 % (Gallagher 1977); human about 6.9 %").range(0.02, 0.07, Linear),
        param("label.f18_fdg.free_to_muscle", 0.2, "1", Assumed, "free FDG taken up by skeletal muscle by glucose metabolism; fraction not found: assumed (urine about 16 % at 60 min, Gallagher 1977, is not reported)").range(0.05, 0.4, Linear),
        param("label.cr51.half_life_h", 664.9, "h", Sourced, "docs/label_kinetics.md §1: 27.704 d (ChemLin); 27.7 d (DOE-HDBK-1106-97)"),
        param("label.cr51.efflux_rate_per_h", 5.0e-4, "1/h", Provisional, "docs/label_kinetics.md §5: red cells lose 0.62–2.27 %/day (Blood 1963), about 1.2 %/day = 5e-4/h; no leukocyte or MSC rate found").range(2.6e-4, 5.0e-3, Log).invariant_time(),
        param("label.cr51.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h; released chromium is excreted in urine (docs/label_kinetics.md §6)").range(0.03, 1.0, Log).invariant_time(),
        param("label.cr51.phagocyte_release_rate_per_h", 5.0e-4, "1/h", Provisional, "docs/label_kinetics.md §10: Cr-51 stays where labelled cells are destroyed (sequestration sites found by surface counting over spleen and liver; only a minor part of the urinary activity comes from loss from them, review of 96 cases); no rate found: taken as the red-cell elution rate, about 1.2 %/day (Blood 1963) = 5e-4/h").range(2.0e-4, 2.0e-2, Log).invariant_time(),
        param("label.cr51.bound_fraction", 0.97, "1", Derived, "docs/label_kinetics.md §10: about 3 % of the activity of PBS-washed Cr-51 red cells elutes at once (8.5-11.8 % with other preparations; Szymanski & Valeri 1970 Br J Haematol), taken as unbound: 1 - 0.03").range(0.8, 1.0, Linear),
        param("assay.human_dna.detection_limit_per_host_cell", 1.0e-5, "human genomes per host genome", Provisional, "docs/label_kinetics.md §7: Alu qPCR detects 1-10 human cells among 1e5 mouse cells (Del Real 2020); more sensitive protocols reach 0.1 in 1.5e6 (Creane 2017) and 1 in 1e8 (Funakoshi 2017). The detection limit in a place is this times the place's own cell count (host_cells.<organ>)").range(1.0e-8, 1.0e-4, Log),
        param("assay.flow_cytometry.labelled_fraction", 0.93, "1", Sourced, "docs/label_kinetics.md §10: quantum dots label 93 ± 3 % of rat MSC at 20 nmol/L (50 ± 15 % at 5 nmol/L; Muller-Borer 2007 J Nanobiotechnology 5:9)").range(0.5, 1.0, Linear),
        param("assay.flow_cytometry.detection_limit_cells", 10.0, "cells", Assumed, "fewest labelled cells in the whole place for flow cytometry of a sample of it to see them; depends on the share sampled and the events needed: assumed").range(1.0, 1000.0, Log),
        param("assay.culture.detection_limit_cells", 10.0, "cells", Assumed, "fewest live cells in a whole organ that grow out in ex-vivo culture (as D04_Eggenhofer2012's scenario assumes); colony-forming efficiency of MSC not applied: assumed").range(1.0, 100.0, Log),
        param("assay.particle_label.labelled_fraction", 0.95, "1", Sourced, "docs/label_kinetics.md §10: CM-DiI labels 95 ± 12 % of umbilical-cord MSC (Biotechnol Lett, PMID 25280731); ferumoxides with a transfection agent about 95 % of MSC (Jasmin 2011 J Nanobiotechnology 9:4); quantum dots 93 ± 3 % (Muller-Borer 2007)").range(0.5, 1.0, Linear),
        param("dna.dead_cell_half_life_h", 1.07, "h", Fitted, "FITTED by scenarios/fits/lung_death.toml (jointly with fate.lung.death_mean_h and debris.carriage_mean_h) to D04_Eggenhofer2012#1-4 and D02_Lee2009#1-2, D02b_Lee2009_meeting_abstract#1 at 200000 cells, seed 1: loss 186 -> 1.79; NOT identified: fit region 0.5-1.57 h reaches the low end of the range. No literature value found (docs/label_kinetics.md section 7)").range(0.5, 1.57, Log).invariant_time(),
    ]
}

impl Label {
    /// The label `name` from `params`; `None` for an unknown name.
    pub fn from_params(params: &ParamSet, name: &str) -> Option<Label> {
        let name: &'static str = LABELS.iter().find(|l| **l == name)?;
        let get = |q: &str| params.get(&format!("label.{name}.{q}"));
        Some(Label {
            name,
            half_life_h: get("half_life_h"),
            efflux_rate_per_h: get("efflux_rate_per_h"),
            debris_release_rate_per_h: get("debris_release_rate_per_h"),
            phagocyte_release_rate_per_h: get("phagocyte_release_rate_per_h"),
            bound_fraction: get("bound_fraction"),
            free_to: free_organs(name)
                .iter()
                .map(|organ| (*organ, get(&format!("free_to_{organ}"))))
                .collect(),
        })
    }
}

/// In-111 with the preset values.
pub fn in111() -> Label {
    Label::from_params(&ParamSet::new(label_parameters()), "in111").unwrap_or(Label {
        name: "in111",
        half_life_h: 67.31,
        efflux_rate_per_h: 0.0,
        debris_release_rate_per_h: 0.0,
        phagocyte_release_rate_per_h: 0.0,
        bound_fraction: 1.0,
        free_to: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_its_parameters_and_free_fractions_sum_below_one() {
        let params = ParamSet::new(label_parameters());
        for name in LABELS {
            let label = Label::from_params(&params, name).unwrap();
            assert!(label.half_life_h > 0.0, "{name}");
            for q in [
                "half_life_h",
                "efflux_rate_per_h",
                "debris_release_rate_per_h",
                "phagocyte_release_rate_per_h",
                "bound_fraction",
            ] {
                assert!(
                    params.param(&format!("label.{name}.{q}")).is_some(),
                    "{name}.{q}"
                );
            }
            let total: f64 = label.free_to.iter().map(|f| f.1).sum();
            assert!(total <= 1.0, "{name}: {total}");
            for organ in free_organs(name) {
                assert!(
                    params
                        .param(&format!("label.{name}.free_to_{organ}"))
                        .is_some()
                );
            }
        }
        assert!(Label::from_params(&params, "tritium").is_none());
    }
}
