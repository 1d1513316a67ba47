//! Location ids and the rows of the output tables (location × alive/dead).
//!
//! A reported organ is everything before the `/`. "The whole knee" is
//! `knee/synovium`, `knee/bone`, `knee/periarticular`, `knee/synovial_fluid`
//! and `knee/cartilage` (not the lymph node).

use super::BodyOptions;
use super::presets::{NO_TISSUE, SYSTEMIC_ORGANS};

/// Cells still to be infused (or left in the line).
pub const NOT_YET_INJECTED: &str = "not_yet_injected";
/// Venous blood.
pub const VENOUS_BLOOD: &str = "venous_blood";
/// Arterial blood.
pub const ARTERIAL_BLOOD: &str = "arterial_blood";
/// Debris that has been degraded or excreted.
pub const CLEARED: &str = "cleared";
/// Live-cell state label.
pub const ALIVE: &str = "alive";
/// Debris state label.
pub const DEAD: &str = "dead";

/// Knee compartments, in output order.
pub const KNEE_PARTS: [&str; 6] = [
    "synovium",
    "bone",
    "periarticular",
    "synovial_fluid",
    "cartilage",
    "lymph_node",
];

/// The parts that make up "the whole knee".
pub const WHOLE_KNEE: [&str; 5] = [
    "synovium",
    "bone",
    "periarticular",
    "synovial_fluid",
    "cartilage",
];

/// Location prefix of knee `k` of `knees`.
pub fn knee_prefix(knees: usize, k: usize) -> &'static str {
    match (knees, k) {
        (1, _) => "knee",
        (_, 0) => "left_knee",
        _ => "right_knee",
    }
}

/// Whether `organ` has an extravasated (`/tissue`) location.
pub fn has_tissue(organ: &str) -> bool {
    !NO_TISSUE.contains(&organ)
}

/// Every location of a body, in output order.
pub fn locations(body: &BodyOptions) -> Vec<String> {
    let mut all = vec![
        NOT_YET_INJECTED.to_string(),
        VENOUS_BLOOD.to_string(),
        ARTERIAL_BLOOD.to_string(),
    ];
    let organs = std::iter::once(("lung".to_string(), true))
        .chain(
            SYSTEMIC_ORGANS
                .iter()
                .map(|o| (o.to_string(), has_tissue(o))),
        )
        .chain(
            body.extra_organs
                .iter()
                .map(|o| (o.name.clone(), o.has_tissue)),
        );
    for (organ, tissue) in organs {
        all.push(format!("{organ}/capillary"));
        if tissue {
            all.push(format!("{organ}/tissue"));
        }
    }
    for k in 0..body.knees {
        let prefix = knee_prefix(body.knees, k);
        for part in KNEE_PARTS {
            all.push(format!("{prefix}/{part}"));
        }
    }
    all.push(CLEARED.to_string());
    all
}

/// The organ of a location: everything before the `/`.
pub fn organ_of(location: &str) -> &str {
    location.split('/').next().unwrap_or(location)
}

/// Whether `location` is part of a whole knee.
pub fn in_whole_knee(location: &str) -> bool {
    match location.split_once('/') {
        Some((organ, part)) => organ.ends_with("knee") && WHOLE_KNEE.contains(&part),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_knee_body_has_the_issue_s_location_ids() {
        let all = locations(&BodyOptions::default());
        for id in [
            "not_yet_injected",
            "venous_blood",
            "arterial_blood",
            "cleared",
            "lung/capillary",
            "liver/tissue",
            "rest/capillary",
            "brain/capillary",
            "knee/synovium",
            "knee/bone",
            "knee/periarticular",
            "knee/synovial_fluid",
            "knee/cartilage",
            "knee/lymph_node",
        ] {
            assert!(all.iter().any(|l| l == id), "{id} missing from {all:?}");
        }
        assert!(!all.iter().any(|l| l == "brain/tissue"));
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "ids are unique");
    }

    #[test]
    fn two_knees_are_left_and_right_and_the_whole_knee_excludes_the_node() {
        let body = BodyOptions {
            knees: 2,
            ..BodyOptions::default()
        };
        let all = locations(&body);
        assert!(all.iter().any(|l| l == "left_knee/cartilage"));
        assert!(all.iter().any(|l| l == "right_knee/synovium"));
        assert!(in_whole_knee("right_knee/cartilage"));
        assert!(!in_whole_knee("knee/lymph_node"));
        assert!(!in_whole_knee("lung/capillary"));
        assert_eq!(organ_of("knee/bone"), "knee");
    }
}
