//! Observation models (DESIGN.md §2.4): what an assay reports of the
//! simulated cells, which is not the live-cell count.
//!
//! Each assay is a [`PathScorer`]: from one cell's path (where it was, when
//! it died, its diameter) it computes the cell's signal in every reported
//! place at every record time. The run adds these per-cell signals and
//! their squares ([`crate::engine::path::MeanTally`]), so the signal is
//! **exact in expectation** — the label kinetics are integrated in closed
//! form along each simulated history instead of being sampled — with a
//! standard error over the independent cells. This was chosen over label
//! quanta drawn per cell because it has no extra sampling noise and costs
//! one pass over each cell's few moves per record time.
//!
//! - **Radiolabel** (In-111 oxine, Tc-99m HMPAO, F-18 FDG, Cr-51): a cell
//!   carries activity proportional to its volume (d³ / E[d³] of the
//!   product, so the mean is 1); a share `bound_fraction` of the injected
//!   activity is on cells, the rest free from the start. Live cells lose
//!   label at the efflux rate; at death the debris keeps it and releases it
//!   at the debris rate; cleared debris has released all of it. Released
//!   label goes to the label's free-label organs (fractions per organ, the
//!   rest to places no row reports: blood pool, urine). Signal: percent of
//!   the injected activity, decay-corrected or not.
//! - **Human DNA (qPCR)**: live cells, plus dead cells' DNA where the debris
//!   is, decaying with the DNA's half-life; cleared debris has none.
//! - **Bioluminescence**, **flow cytometry or culture** (live cells only).
//! - **Particle labels** (membrane dyes, quantum dots, iron): live cells and
//!   debris alike, since the label passes to the macrophages that eat the
//!   cells; it stays where the debris was degraded.

pub mod labels;

use crate::engine::path::{CellPath, PathScorer};
use crate::model::locations::{ALIVE, CLEARED, NOT_YET_INJECTED};
use labels::Label;

/// The assays a scenario arm can name in `observe`. Radiolabels are as
/// imaged (not decay-corrected) unless the name ends `_decay_corrected`
/// (ex-vivo counting against standards).
pub const ASSAY_NAMES: [&str; 12] = [
    "in111",
    "in111_decay_corrected",
    "tc99m_hmpao",
    "tc99m_hmpao_decay_corrected",
    "f18_fdg",
    "f18_fdg_decay_corrected",
    "cr51",
    "cr51_decay_corrected",
    "human_dna",
    "bioluminescence",
    "live_cells",
    "particle_label",
];

/// The assay called `name` (one of [`ASSAY_NAMES`]) with the values of
/// `params`.
pub fn assay_named(name: &str, params: &crate::model::ParamSet) -> Option<Assay> {
    let (label, decay_corrected) = match name.strip_suffix("_decay_corrected") {
        Some(label) => (label, true),
        None => (name, false),
    };
    if let Some(label) = labels::Label::from_params(params, label) {
        return Some(Assay::Radiolabel {
            label,
            decay_corrected,
            bound_fraction: 1.0,
        });
    }
    match name {
        "human_dna" => Some(Assay::HumanDna {
            dead_cell_dna_half_life_h: params.get("dna.dead_cell_half_life_h"),
        }),
        "bioluminescence" => Some(Assay::Bioluminescence),
        "live_cells" => Some(Assay::LiveCells),
        "particle_label" => Some(Assay::ParticleLabel),
        _ => None,
    }
}

/// Several assays of one arm, side by side (their columns concatenated).
#[derive(Debug, Clone)]
pub struct Observers {
    /// (assay name, observer), in the arm's order.
    pub observers: Vec<(String, Observer)>,
}

impl PathScorer for Observers {
    fn columns(&self) -> usize {
        self.observers.iter().map(|(_, o)| o.columns()).sum()
    }

    fn score(&self, path: &CellPath, record_times_h: &[f64], out: &mut [f64]) {
        let total = self.columns();
        let mut own = Vec::new();
        let mut first = 0;
        for (_, o) in &self.observers {
            let width = o.columns();
            own.clear();
            own.resize(record_times_h.len() * width, 0.0);
            o.score(path, record_times_h, &mut own);
            for r in 0..record_times_h.len() {
                for c in 0..width {
                    out[r * total + first + c] += own[r * width + c];
                }
            }
            first += width;
        }
    }
}

/// An assay.
#[derive(Debug, Clone, PartialEq)]
pub enum Assay {
    /// A radiolabel with its kinetics.
    Radiolabel {
        /// The label.
        label: Label,
        /// Whether the signal is corrected for physical decay (ex-vivo
        /// counting against standards is, by construction).
        decay_corrected: bool,
        /// Share of the injected activity bound to cells.
        bound_fraction: f64,
    },
    /// Human-DNA qPCR (Alu and similar).
    HumanDna {
        /// Half-life of a dead cell's DNA where its debris is (h).
        dead_cell_dna_half_life_h: f64,
    },
    /// Bioluminescence: live cells only.
    Bioluminescence,
    /// Flow cytometry or ex-vivo culture: live cells only.
    LiveCells,
    /// Membrane dye, quantum dots or iron particles: live cells and debris.
    ParticleLabel,
}

impl Assay {
    /// Unit of the signal.
    pub fn unit(&self) -> &'static str {
        match self {
            Self::Radiolabel { .. } => "percent_injected_activity",
            Self::HumanDna { .. } => "cell_equivalents_of_dose",
            Self::Bioluminescence | Self::LiveCells => "live_cells_of_dose",
            Self::ParticleLabel => "labelled_cells_and_debris_of_dose",
        }
    }

    /// Name in tables.
    pub fn name(&self) -> String {
        match self {
            Self::Radiolabel {
                label,
                decay_corrected,
                ..
            } => format!(
                "radiolabel {}{}",
                label.name,
                if *decay_corrected {
                    ", decay-corrected"
                } else {
                    ""
                }
            ),
            Self::HumanDna { .. } => "human DNA qPCR".to_string(),
            Self::Bioluminescence => "bioluminescence".to_string(),
            Self::LiveCells => "live cells (flow cytometry or culture)".to_string(),
            Self::ParticleLabel => "particle label (dye, quantum dots, iron)".to_string(),
        }
    }
}

/// An assay applied to one body's rows, reporting per group of rows.
#[derive(Debug, Clone)]
pub struct Observer {
    assay: Assay,
    columns: usize,
    /// For each slot (row): the groups it is in.
    slot_groups: Vec<Vec<usize>>,
    slot_dead: Vec<bool>,
    slot_cleared: Vec<bool>,
    slot_not_injected: Vec<bool>,
    /// Where free label goes: (group, fraction of the released label).
    free_groups: Vec<(usize, f64)>,
    /// E[d³] of the product (µm³), for the label per cell.
    mean_cubed_diameter_um3: f64,
}

/// What an [`Observer`] needs to know of a body's rows.
#[derive(Debug, Clone)]
pub struct RowsForObserver<'a> {
    /// Location of each row.
    pub locations: &'a [String],
    /// State of each row (`alive` or `dead`).
    pub states: &'a [&'a str],
    /// The reported groups: their rows.
    pub group_rows: &'a [Vec<usize>],
    /// The reported groups: their names.
    pub group_names: &'a [String],
}

impl Observer {
    /// An observer of `assay` on `rows`, for a product whose E[d³] is
    /// `mean_cubed_diameter_um3`.
    pub fn new(assay: Assay, rows: &RowsForObserver, mean_cubed_diameter_um3: f64) -> Self {
        let n = rows.locations.len();
        // A group reports its locations whatever the state: an assay sees
        // debris where it lies (the groups list live rows only).
        let mut slot_groups = vec![Vec::new(); n];
        for (g, members) in rows.group_rows.iter().enumerate() {
            for (slot, location) in rows.locations.iter().enumerate() {
                if members.iter().any(|&m| rows.locations[m] == *location) {
                    slot_groups[slot].push(g);
                }
            }
        }
        let free_groups = match &assay {
            Assay::Radiolabel { label, .. } => label
                .free_to
                .iter()
                .filter_map(|(organ, fraction)| {
                    rows.group_names
                        .iter()
                        .position(|g| g == organ)
                        .map(|g| (g, *fraction))
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            assay,
            columns: rows.group_rows.len(),
            slot_groups,
            slot_dead: rows.states.iter().map(|s| *s != ALIVE).collect(),
            slot_cleared: rows.locations.iter().map(|l| l == CLEARED).collect(),
            slot_not_injected: rows
                .locations
                .iter()
                .map(|l| l == NOT_YET_INJECTED)
                .collect(),
            free_groups,
            mean_cubed_diameter_um3,
        }
    }

    /// The assay.
    pub fn assay(&self) -> &Assay {
        &self.assay
    }

    fn add(&self, out: &mut [f64], record: usize, slot: usize, value: f64) {
        for &g in &self.slot_groups[slot] {
            out[record * self.columns + g] += value;
        }
    }
}

impl PathScorer for Observer {
    fn columns(&self) -> usize {
        self.columns
    }

    fn score(&self, path: &CellPath, record_times_h: &[f64], out: &mut [f64]) {
        let death_h = path.death_time_h(|s| self.slot_dead[s]);
        for (r, &t) in record_times_h.iter().enumerate() {
            let slot = path.slot_at(t);
            if self.slot_not_injected[slot] {
                continue;
            }
            let dead_for_h = death_h.filter(|&d| d <= t).map(|d| t - d);
            let alive_h = death_h.map_or(t, |d| d.min(t));
            match &self.assay {
                Assay::Radiolabel {
                    label,
                    decay_corrected,
                    bound_fraction,
                } => {
                    let weight = if self.mean_cubed_diameter_um3 > 0.0 {
                        path.diameter_um.powi(3) / self.mean_cubed_diameter_um3
                    } else {
                        1.0
                    };
                    let on_cells = weight * bound_fraction;
                    let mut bound = on_cells * (-label.efflux_rate_per_h * alive_h).exp();
                    if let Some(dead_h) = dead_for_h {
                        bound *= (-label.debris_release_rate_per_h * dead_h).exp();
                    }
                    if self.slot_cleared[slot] {
                        bound = 0.0;
                    }
                    // Label released by this cell, plus its share of the
                    // activity injected unbound.
                    let free = (on_cells - bound) + weight * (1.0 - bound_fraction);
                    let decay = if *decay_corrected {
                        1.0
                    } else {
                        (-std::f64::consts::LN_2 * t / label.half_life_h).exp()
                    };
                    self.add(out, r, slot, bound * decay);
                    for &(g, fraction) in &self.free_groups {
                        out[r * self.columns + g] += free * fraction * decay;
                    }
                }
                Assay::HumanDna {
                    dead_cell_dna_half_life_h,
                } => {
                    let dna = match dead_for_h {
                        None => 1.0,
                        Some(_) if self.slot_cleared[slot] => 0.0,
                        Some(dead_h) => {
                            (-std::f64::consts::LN_2 * dead_h / dead_cell_dna_half_life_h).exp()
                        }
                    };
                    self.add(out, r, slot, dna);
                }
                Assay::Bioluminescence | Assay::LiveCells => {
                    if dead_for_h.is_none() {
                        self.add(out, r, slot, 1.0);
                    }
                }
                Assay::ParticleLabel => {
                    // Degraded debris leaves its label in the macrophages
                    // that ate it, where it was (docs/label_kinetics.md §9:
                    // iron in cardiac macrophages, Amsalem 2007; dead and
                    // live iron-labelled cells alike on MRI for 6 weeks,
                    // Winter 2010).
                    let place = if self.slot_cleared[slot] {
                        path.previous_slot_at(t)
                    } else {
                        slot
                    };
                    self.add(out, r, place, 1.0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows: 0 not injected, 1 lung alive, 2 liver alive, 3 lung dead,
    /// 4 liver dead, 5 cleared; groups (live rows) lung {1}, liver {2},
    /// marrow {}: the dead rows of the same locations belong to them too.
    fn observer(assay: Assay) -> Observer {
        let locations: Vec<String> = [
            "not_yet_injected",
            "lung/capillary",
            "liver/capillary",
            "lung/capillary",
            "liver/capillary",
            "cleared",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let states = ["alive", "alive", "alive", "dead", "dead", "dead"];
        let group_rows = vec![vec![1], vec![2], vec![]];
        let group_names: Vec<String> = ["lung", "liver", "marrow"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        Observer::new(
            assay,
            &RowsForObserver {
                locations: &locations,
                states: &states,
                group_rows: &group_rows,
                group_names: &group_names,
            },
            8000.0, // a 20 µm cell has weight 1
        )
    }

    fn signal(o: &Observer, path: &CellPath, times: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; times.len() * o.columns()];
        o.score(path, times, &mut out);
        out
    }

    fn in_lung_for_ever() -> CellPath {
        CellPath {
            start_slot: 1,
            moves: Vec::new(),
            diameter_um: 20.0,
        }
    }

    #[test]
    fn in111_with_no_biology_halves_every_67_3_hours() {
        let mut label = labels::in111();
        label.efflux_rate_per_h = 0.0;
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: false,
            bound_fraction: 1.0,
        });
        let times = [0.0, 67.31, 2.0 * 67.31];
        let s = signal(&o, &in_lung_for_ever(), &times);
        // Columns lung, liver, marrow per record.
        assert!((s[0] - 1.0).abs() < 1e-12);
        assert!((s[3] - 0.5).abs() < 1e-12);
        assert!((s[6] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn leakage_alone_is_an_exponential_and_the_label_goes_where_free_label_goes() {
        let label = labels::in111();
        let k = label.efflux_rate_per_h;
        let to_marrow = label
            .free_to
            .iter()
            .find(|(o, _)| *o == "marrow")
            .map(|f| f.1)
            .unwrap();
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: true,
            bound_fraction: 1.0,
        });
        let times = [10.0, 50.0];
        let s = signal(&o, &in_lung_for_ever(), &times);
        for (r, &t) in times.iter().enumerate() {
            let kept = (-k * t).exp();
            assert!((s[r * 3] - kept).abs() < 1e-12, "lung at {t}");
            assert!((s[r * 3 + 2] - (1.0 - kept) * to_marrow).abs() < 1e-12);
        }
    }

    #[test]
    fn label_scales_with_volume_and_unbound_activity_is_free_from_the_start() {
        let mut label = labels::in111();
        label.efflux_rate_per_h = 0.0;
        let to_liver = label
            .free_to
            .iter()
            .find(|(o, _)| *o == "liver")
            .map(|f| f.1)
            .unwrap();
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: true,
            bound_fraction: 0.8,
        });
        let mut big = in_lung_for_ever();
        big.diameter_um = 40.0; // 8 × the mean volume
        let s = signal(&o, &big, &[1.0]);
        assert!((s[0] - 8.0 * 0.8).abs() < 1e-12);
        assert!((s[1] - 8.0 * 0.2 * to_liver).abs() < 1e-12);
    }

    #[test]
    fn dna_outlives_its_cell_and_live_assays_do_not() {
        // Alive in the lung, dies at 10 h (lung debris), carried to the
        // liver at 30 h, cleared at 100 h.
        let path = CellPath {
            start_slot: 1,
            moves: vec![(10.0, 3), (30.0, 4), (100.0, 5)],
            diameter_um: 20.0,
        };
        let times = [5.0, 20.0, 40.0, 200.0];
        let dna = observer(Assay::HumanDna {
            dead_cell_dna_half_life_h: 10.0,
        });
        let s = signal(&dna, &path, &times);
        assert!((s[0] - 1.0).abs() < 1e-12); // alive in lung
        assert!((s[3] - 0.5).abs() < 1e-12); // lung, dead 10 h
        assert!((s[7] - 0.125).abs() < 1e-12); // liver, dead 30 h
        assert!(s[9..].iter().all(|&v| v == 0.0)); // cleared
        let bli = observer(Assay::Bioluminescence);
        let s = signal(&bli, &path, &times);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let dye = observer(Assay::ParticleLabel);
        let s = signal(&dye, &path, &times);
        // Cleared in the liver at 100 h: the dye stays in the liver.
        assert_eq!((s[0], s[3], s[7], s[10]), (1.0, 1.0, 1.0, 1.0));
    }

    #[test]
    fn nothing_is_seen_before_injection() {
        let path = CellPath {
            start_slot: 0,
            moves: vec![(0.5, 1)],
            diameter_um: 20.0,
        };
        let s = signal(&observer(Assay::LiveCells), &path, &[0.25, 1.0]);
        assert_eq!(s, vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }
}
