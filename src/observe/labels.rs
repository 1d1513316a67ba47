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
    /// Release of label from debris (1/h).
    pub debris_release_rate_per_h: f64,
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
        param("label.in111.free_to_liver", 0.3, "1", Assumed, "docs/label_kinetics.md §6: free In-111 binds transferrin and goes to liver and marrow (dog); human organ fractions not found: assumed").range(0.1, 0.5, Linear),
        param("label.in111.free_to_marrow", 0.2, "1", Sourced, "docs/label_kinetics.md §6: up to 20 % of free In-111 (as citrate) to marrow").range(0.05, 0.3, Linear),
        param("label.in111.free_to_spleen", 0.05, "1", Assumed, "docs/label_kinetics.md §6: spleen takes free In-111-transferrin; fraction not found: assumed").range(0.0, 0.15, Linear),
        param("label.tc99m_hmpao.half_life_h", 6.0072, "h", Sourced, "knee_flow_doses_labels.md §4: 6.0072 h (NNDC NuDat 3, ENSDF)"),
        param("label.tc99m_hmpao.efflux_rate_per_h", 0.094, "1/h", Derived, "docs/label_kinetics.md §3: 9 ± 4 % released in the first hour from human mixed leucocytes (Danpure 1988 Nucl Med Commun 9:465): −ln(0.91) = 0.094/h; PMN 96 → 84 % over 3 h (Kelbæk 1988)").range(0.04, 0.14, Linear).invariant_time(),
        param("label.tc99m_hmpao.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h (no HMPAO value found)").range(0.03, 1.0, Log).invariant_time(),
        param("label.tc99m_hmpao.free_to_kidney", 0.3, "1", Assumed, "docs/label_kinetics.md §6: HMPAO's secondary hydrophilic complex goes to kidneys and urine; fractions not found: assumed").range(0.1, 0.5, Linear),
        param("label.tc99m_hmpao.free_to_gut", 0.2, "1", Assumed, "docs/label_kinetics.md §6: gallbladder and bowel (colon activity at 24 h); fraction not found: assumed").range(0.05, 0.4, Linear),
        param("label.f18_fdg.half_life_h", 1.8295, "h", Sourced, "docs/label_kinetics.md §1: 109.771 min (ENSDF, as in Wikipedia 'Fluorine-18')"),
        param("label.f18_fdg.efflux_rate_per_h", 0.26, "1/h", Derived, "docs/label_kinetics.md §4: labelled leukocytes kept 77 % of FDG at 1 h and 59 % at 3 h (Moon 2011): −ln(0.77) = 0.26/h; progenitor cells 26.6 % at 4 h (0.33/h)").range(0.15, 0.4, Linear).invariant_time(),
        param("label.f18_fdg.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h").range(0.03, 1.0, Log).invariant_time(),
        param("label.f18_fdg.free_to_heart", 0.035, "1", Sourced, "docs/label_kinetics.md §6: free FDG, animal heart 3–4 % (Gallagher 1977)").range(0.02, 0.05, Linear),
        param("label.f18_fdg.free_to_brain", 0.025, "1", Sourced, "docs/label_kinetics.md §6: free FDG, animal brain 2–3 % (Gallagher 1977); human about 6.9 %").range(0.02, 0.07, Linear),
        param("label.f18_fdg.free_to_muscle", 0.2, "1", Assumed, "free FDG taken up by skeletal muscle by glucose metabolism; fraction not found: assumed (urine about 16 % at 60 min, Gallagher 1977, is not reported)").range(0.05, 0.4, Linear),
        param("label.cr51.half_life_h", 664.9, "h", Sourced, "docs/label_kinetics.md §1: 27.704 d (ChemLin); 27.7 d (DOE-HDBK-1106-97)"),
        param("label.cr51.efflux_rate_per_h", 5.0e-4, "1/h", Provisional, "docs/label_kinetics.md §5: red cells lose 0.62–2.27 %/day (Blood 1963), about 1.2 %/day = 5e-4/h; no leukocyte or MSC rate found").range(2.6e-4, 5.0e-3, Log).invariant_time(),
        param("label.cr51.debris_release_rate_per_h", 0.30, "1/h", Assumed, "as label.in111.debris_release_rate_per_h; released chromium is excreted in urine (docs/label_kinetics.md §6)").range(0.03, 1.0, Log).invariant_time(),
        param("dna.dead_cell_half_life_h", 1.03, "h", Fitted, "FITTED by scenarios/fits/lung_death.toml (jointly with debris.carriage_mean_h and dna.dead_cell_half_life_h) to D04_Eggenhofer2012#1-4 and D02_Lee2009#1-2, D02b_Lee2009_meeting_abstract#1 at 20000 cells, seed 1: loss 211 -> 4.2; NOT identified: fit region 0.5-1.2 h reaches the low end of the range. No literature value found (docs/label_kinetics.md section 7)").range(0.5, 1.18, Log).invariant_time(),
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
