//! The pictures of a physiological run, in PNG and SVG, drawn with plotters
//! and the bundled DejaVu Sans font (assets/fonts; no system font library).
//!
//! - `organs_over_time`: live cells of the dose per organ against time, one
//!   panel per arm, log–log, with the Monte Carlo 95 % band;
//! - `knee`: live cells of the dose in the whole knee and in cartilage, all
//!   arms on one panel; where an arm has no simulated cell there, the 95 %
//!   upper bound (rule of three, 3/N of the dose) is drawn dashed instead of
//!   a line at zero;
//! - `fate`: where the dose is at a few times, stacked bars per arm;
//! - `lung_filter`: the lung's passage against diameter, with the product's
//!   diameters as a histogram.

pub mod compare;
pub mod data;
pub mod validation;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::model::locations::{ALIVE, in_whole_knee, organ_of};
use crate::report;
use data::{ArmCounts, CountsTable, PlotInputs};

/// The bundled font (DejaVu Sans, see assets/fonts/LICENSE-DejaVu.txt).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 700;
/// Height of the footnote strip under a chart (three lines of text).
const FOOTER: u32 = 48;

/// A plot that could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("plot {name}: {message}")]
pub struct PlotError {
    /// Which plot.
    pub name: &'static str,
    /// What failed.
    pub message: String,
}

fn font_ready() -> Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, FONT)
                .map_err(|_| "the bundled font did not load".to_string())
        })
        .clone()
}

/// Colours for series, distinct on screen and in print.
const COLOURS: [RGBColor; 12] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(0, 0, 0),
    RGBColor(255, 187, 120),
];

/// The organ groups drawn, in legend order.
const GROUPS: [&str; 12] = [
    "blood",
    "lung",
    "liver",
    "spleen",
    "kidney",
    "marrow",
    "muscle",
    "gut",
    "heart",
    "brain",
    "whole knee",
    "other organs",
];

/// The group of `location` in [`GROUPS`] (`None`: not drawn, such as cells
/// not yet injected, debris cleared, or the knee's lymph node).
fn group_of(location: &str) -> Option<usize> {
    if location.ends_with("_blood") {
        return Some(0);
    }
    if in_whole_knee(location) {
        return Some(10);
    }
    if location.ends_with("/lymph_node") || !location.contains('/') {
        return None;
    }
    let organ = organ_of(location);
    Some(
        GROUPS[1..10]
            .iter()
            .position(|g| *g == organ)
            .map_or(11, |i| i + 1),
    )
}

fn title(inputs: &PlotInputs, what: &str) -> String {
    format!(
        "{what} — {} ({} body, {})",
        inputs.scenario, inputs.body, inputs.product
    )
}

/// [`title`] with every arm's dose.
fn title_with_doses(inputs: &PlotInputs, table: &CountsTable, what: &str) -> String {
    let doses: Vec<String> = table
        .arms
        .iter()
        .map(|a| format!("{} {:.2e}", a.arm, a.dose_cells))
        .collect();
    format!("{} — dose: {}", title(inputs, what), doses.join(", "))
}

fn to_error(name: &'static str) -> impl Fn(String) -> PlotError {
    move |message| PlotError { name, message }
}

fn dose_label(arm: &ArmCounts) -> String {
    format!(
        "{} ({}, dose {:.2e} cells)",
        arm.arm, arm.route, arm.dose_cells
    )
}

fn draw_organs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &CountsTable,
    inputs: &PlotInputs,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(
            &title_with_doses(inputs, table, "Live cells per organ"),
            (FAMILY, 20),
        )
        .map_err(e)?;
    let (main, footer) = root.split_vertically(root.dim_in_pixel().1.saturating_sub(FOOTER));
    let panels = main.split_evenly((1, table.arms.len().max(1)));
    let (t_min, t_max) = time_range(table);
    let y_max = table.arms.iter().map(|a| a.dose_cells).fold(1.0, f64::max) * 2.0;
    for (arm, panel) in table.arms.iter().zip(panels.iter()) {
        let mut chart = ChartBuilder::on(panel)
            .caption(dose_label(arm), (FAMILY, 16))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d((t_min..t_max).log_scale(), (1.0..y_max).log_scale())
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("time after injection (h)")
            .y_desc("live cells of the dose")
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .label_style((FAMILY, 13))
            .draw()
            .map_err(e)?;
        for (i, label) in GROUPS.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut points = Vec::new();
            let mut band_low = Vec::new();
            let mut band_high = Vec::new();
            for (r, &t) in table.record_times_h.iter().enumerate() {
                let k = arm.sum(r, |l, s| s == ALIVE && group_of(l) == Some(i));
                if k > 0 && t > 0.0 {
                    // The exact (Clopper–Pearson) 95 % interval, as in the tables.
                    let (low, high) = crate::stats::clopper_pearson(k, arm.simulated, 0.05);
                    points.push((t, arm.of_dose(k)));
                    band_low.push((t, (low * arm.dose_cells).max(1.0)));
                    band_high.push((t, (high * arm.dose_cells).max(1.0)));
                }
            }
            // The parameter band first (it may exist where the central run
            // has no cell).
            if let Some(sets) = &table.parameter_sets {
                let pick = |l: &str| group_of(l) == Some(i);
                draw_parameter_band(&mut chart, &table.record_times_h, 1.0, colour, |t| {
                    sets.band(&arm.arm, t, pick)
                })
                .map_err(e)?;
            }
            if points.iter().all(|p| p.1 < 1.0) {
                continue;
            }
            let band: Vec<(f64, f64)> = band_low
                .iter()
                .copied()
                .chain(band_high.iter().rev().copied())
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, colour.mix(0.2))))
                .map_err(e)?;
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(e)?
                .label(*label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FAMILY, 13))
            .draw()
            .map_err(e)?;
    }
    footnote(&footer, &band_note(table, true)).map_err(e)?;
    root.present().map_err(e)
}

/// What the shaded bands are, for a plot's footnote.
fn band_note(table: &CountsTable, monte_carlo_band: bool) -> String {
    let mut note = if monte_carlo_band {
        "Shaded: Monte Carlo 95 % interval (exact, Clopper–Pearson).".to_string()
    } else {
        String::new()
    };
    if let Some(sets) = &table.parameter_sets {
        note.push_str(&format!(" {}", sets.band_caption()));
    }
    note
}

/// Writes `text` at the bottom left of `area`, wrapped at word boundaries.
fn footnote<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    const LINE_CHARS: usize = 175;
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LINE_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    let (_, height) = area.dim_in_pixel();
    let count = lines.len() as i32;
    for (i, line) in lines.into_iter().enumerate() {
        area.draw(&Text::new(
            line,
            (10, height as i32 - 4 - 14 * (count - i as i32)),
            (FAMILY, 12).into_font().color(&BLACK.mix(0.8)),
        ))?;
    }
    Ok(())
}

/// Draws a parameter-uncertainty band (5 %–95 % over parameter sets, from
/// `band_at(time_h)`) as a light fill between dashed edges, clipped below at
/// `floor` (the log axis' bottom).
fn draw_parameter_band<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    record_times_h: &[f64],
    floor: f64,
    colour: RGBColor,
    band_at: impl Fn(f64) -> Option<[f64; 3]>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
    DB::ErrorType: 'static,
{
    let mut low = Vec::new();
    let mut high = Vec::new();
    for &t in record_times_h.iter().filter(|&&t| t > 0.0) {
        if let Some(q) = band_at(t).filter(|q| q[2] >= floor) {
            low.push((t, q[0].max(floor)));
            high.push((t, q[2]));
        }
    }
    if low.is_empty() {
        return Ok(());
    }
    let polygon: Vec<(f64, f64)> = low.iter().chain(high.iter().rev()).copied().collect();
    chart.draw_series(std::iter::once(Polygon::new(polygon, colour.mix(0.08))))?;
    for edge in [low, high] {
        chart.draw_series(DashedLineSeries::new(
            edge,
            4,
            4,
            colour.mix(0.6).stroke_width(1),
        ))?;
    }
    Ok(())
}

fn time_range(table: &CountsTable) -> (f64, f64) {
    let positive: Vec<f64> = table
        .record_times_h
        .iter()
        .copied()
        .filter(|&t| t > 0.0)
        .collect();
    let low = positive.iter().copied().fold(f64::INFINITY, f64::min);
    let high = positive.iter().copied().fold(0.0, f64::max);
    if positive.is_empty() {
        (0.01, 1.0)
    } else {
        (low / 1.5, high * 1.5)
    }
}

fn draw_knee<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &CountsTable,
    inputs: &PlotInputs,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (t_min, t_max) = time_range(table);
    let y_max = table.arms.iter().map(|a| a.dose_cells).fold(1.0, f64::max) * 2.0;
    let doses: Vec<String> = table
        .arms
        .iter()
        .map(|a| format!("{} {:.2e}", a.arm, a.dose_cells))
        .collect();
    let (main, footer) = root.split_vertically(root.dim_in_pixel().1.saturating_sub(FOOTER));
    let mut chart = ChartBuilder::on(&main)
        .caption(
            format!(
                "{} — dose: {}",
                title(inputs, "Live cells in the knee"),
                doses.join(", ")
            ),
            (FAMILY, 20),
        )
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d((t_min..t_max).log_scale(), (0.01..y_max).log_scale())
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("time after injection (h)")
        .y_desc("live cells of the dose")
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .label_style((FAMILY, 14))
        .draw()
        .map_err(e)?;
    for (i, arm) in table.arms.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        for (part, pick, width) in [
            (
                "whole knee",
                Box::new(|l: &str| in_whole_knee(l)) as Box<dyn Fn(&str) -> bool>,
                3,
            ),
            (
                "cartilage",
                Box::new(|l: &str| l.ends_with("/cartilage")),
                1,
            ),
        ] {
            let mut counted = Vec::new();
            let mut bounded = Vec::new();
            let mut estimated = Vec::new();
            let estimate_at = |r: usize| {
                arm.expected.get(r).and_then(|rows| {
                    let picked: Vec<(f64, f64)> = rows
                        .iter()
                        .filter(|(l, _)| pick(l))
                        .map(|(_, &v)| v)
                        .collect();
                    (!picked.is_empty()).then(|| {
                        let mean: f64 = picked.iter().map(|v| v.0).sum();
                        // The rows' estimates come from the same cells, so
                        // they are correlated: the sum of their SEs bounds
                        // the SE of their sum (Cauchy–Schwarz).
                        let se: f64 = picked.iter().map(|v| v.1).sum();
                        (mean, se)
                    })
                })
            };
            if let Some(sets) = &table.parameter_sets {
                let pick_location = |l: &str| pick(l);
                draw_parameter_band(&mut chart, &table.record_times_h, 0.01, colour, |t| {
                    sets.best_band(&arm.arm, t, pick_location)
                })
                .map_err(e)?;
            }
            // The estimator informs only if some cell contributed to it.
            let informative =
                (0..table.record_times_h.len()).any(|r| estimate_at(r).is_some_and(|e| e.0 > 0.0));
            for (r, &t) in table.record_times_h.iter().enumerate() {
                if t <= 0.0 {
                    continue;
                }
                let k = arm.sum(r, |l, s| s == ALIVE && pick(l));
                if informative {
                    // The expected-value estimate (rare.csv) is the line at
                    // every time, with its upper 95 % bound, mean + 1.96 SE:
                    // it is far more precise than counting a handful of
                    // simulated cells (an estimate of 0 has nothing to draw
                    // on a log axis). Simulated counts are shown as points.
                    if let Some((mean, se)) = estimate_at(r).filter(|e| e.0 > 0.0) {
                        estimated.push((t, mean));
                        bounded.push((t, mean + 1.96 * se));
                    }
                    if k > 0 {
                        counted.push((t, arm.of_dose(k)));
                    }
                } else if k > 0 {
                    counted.push((t, arm.of_dose(k)));
                } else {
                    // Nothing to estimate from: the exact 95 % upper bound on
                    // the fraction after 0 of N is 1 − 0.05^(1/N) ≈ 3/N.
                    let n = arm.simulated.max(1) as f64;
                    bounded.push((t, (1.0 - 0.05f64.powf(1.0 / n)) * arm.dose_cells));
                }
            }
            if !estimated.is_empty() {
                chart
                    .draw_series(DashedLineSeries::new(
                        estimated.clone(),
                        10,
                        5,
                        colour.stroke_width(width + 1),
                    ))
                    .map_err(e)?
                    .label(format!("{} — {part}: expected-value estimate", arm.arm))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 10, y)], colour.stroke_width(width + 1))
                    });
                chart
                    .draw_series(
                        estimated
                            .iter()
                            .map(|&p| Cross::new(p, 5, colour.stroke_width(2))),
                    )
                    .map_err(e)?;
            }
            if !counted.is_empty() && informative {
                let one = arm.of_dose(1);
                chart
                    .draw_series(
                        counted
                            .iter()
                            .map(|&p| Circle::new(p, 4, colour.stroke_width(1))),
                    )
                    .map_err(e)?
                    .label(format!(
                        "{} — {part}: simulated cells counted (1 = {} cells of the dose)",
                        arm.arm,
                        report::cells_label(one)
                    ))
                    .legend(move |(x, y)| Circle::new((x + 5, y), 4, colour.stroke_width(1)));
            } else if !counted.is_empty() {
                chart
                    .draw_series(LineSeries::new(counted.clone(), colour.stroke_width(width)))
                    .map_err(e)?
                    .label(format!("{} — {part}", arm.arm))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(width))
                    });
                chart
                    .draw_series(counted.iter().map(|&p| Circle::new(p, 4, colour.filled())))
                    .map_err(e)?;
            }
            if !bounded.is_empty() {
                chart
                    .draw_series(DashedLineSeries::new(
                        bounded.clone(),
                        6,
                        4,
                        colour.stroke_width(width),
                    ))
                    .map_err(e)?
                    .label(if informative {
                        format!("{} — {part}: upper 95 % bound of the estimate", arm.arm)
                    } else {
                        format!(
                            "{} — {part}: one-sided upper 95 % bound where no simulated cell is there",
                            arm.arm
                        )
                    })
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 8, y)], colour.stroke_width(width))
                    });
                chart
                    .draw_series(bounded.iter().map(|&p| TriangleMarker::new(p, 5, colour)))
                    .map_err(e)?;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 13))
        .draw()
        .map_err(e)?;
    let mut note = band_note(table, false);
    if table
        .arms
        .iter()
        .any(|a| crate::model::route_into_blood(&a.route))
    {
        note = format!(
            "Knee values of arms given into the blood are conditional on unmeasured {}. {note}",
            crate::model::conditional_on_label()
        );
    }
    footnote(&footer, &note).map_err(e)?;
    root.present().map_err(e)
}

/// Fate categories of the `fate` plot, in stacking order.
const FATES: [&str; 8] = [
    "circulating",
    "lung",
    "liver",
    "spleen",
    "knee",
    "rest alive",
    "not injected",
    "dead or cleared",
];

fn fate_of(location: &str, state: &str) -> usize {
    if state != ALIVE {
        return 7;
    }
    match organ_of(location) {
        _ if location.ends_with("_blood") => 0,
        "lung" => 1,
        "liver" => 2,
        "spleen" => 3,
        _ if in_whole_knee(location) => 4,
        "not_yet_injected" => 6,
        _ => 5,
    }
}

fn draw_fate<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &CountsTable,
    inputs: &PlotInputs,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let chosen: Vec<usize> = crate::report::TABLE_TIMES_H
        .iter()
        .filter_map(|(t, _)| {
            table
                .record_times_h
                .iter()
                .position(|&r| (r - t).abs() < 1e-9 * t)
        })
        .collect();
    let times: Vec<usize> = if chosen.is_empty() {
        (0..table.record_times_h.len()).collect()
    } else {
        chosen
    };
    let bars: Vec<(String, &ArmCounts, usize)> = table
        .arms
        .iter()
        .flat_map(|a| {
            times.iter().map(move |&r| {
                (
                    format!("{} {}", a.arm, hours_label(table.record_times_h[r])),
                    a,
                    r,
                )
            })
        })
        .collect();
    let mut chart = ChartBuilder::on(root)
        .caption(
            title_with_doses(inputs, table, "Where the dose is"),
            (FAMILY, 20),
        )
        .margin(15)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..(bars.len() as f64), 0.0..100.0)
        .map_err(e)?;
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bars.len().max(1) * 2 + 1)
        .x_label_formatter(&|x| {
            let i = (x - 0.5).round();
            if (x - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("share of the dose (%)")
        .label_style((FAMILY, 12))
        .draw()
        .map_err(e)?;
    for (f, name) in FATES.iter().enumerate() {
        let colour = COLOURS[f % COLOURS.len()];
        let mut rects = Vec::new();
        for (i, (_, arm, r)) in bars.iter().enumerate() {
            let below: u64 = (0..f).map(|g| arm.sum(*r, |l, s| fate_of(l, s) == g)).sum();
            let here = arm.sum(*r, |l, s| fate_of(l, s) == f);
            let n = arm.simulated.max(1) as f64;
            let (y0, y1) = (below as f64 / n * 100.0, (below + here) as f64 / n * 100.0);
            if here > 0 {
                rects.push(Rectangle::new(
                    [(i as f64 + 0.15, y0), (i as f64 + 0.85, y1)],
                    colour.filled(),
                ));
            }
        }
        chart
            .draw_series(rects)
            .map_err(e)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FAMILY, 12))
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

fn hours_label(t: f64) -> String {
    if t < 1.0 {
        format!("{:.0} min", t * 60.0)
    } else if t < 48.0 {
        format!("{t:.0} h")
    } else {
        format!("{:.0} d", t / 24.0)
    }
}

fn draw_lung_filter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &CountsTable,
    inputs: &PlotInputs,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(
            &title_with_doses(inputs, table, "The lung filter"),
            (FAMILY, 20),
        )
        .map_err(e)?;
    let (upper, lower) = root.split_vertically((HEIGHT as f64 * 0.6) as u32);
    let d_max = 40.0;
    let mut chart = ChartBuilder::on(&upper)
        .margin(12)
        .x_label_area_size(35)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..d_max, 0.0..1.0)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("cell diameter (µm)")
        .y_desc("probability per pass")
        .label_style((FAMILY, 13))
        .draw()
        .map_err(e)?;
    for (i, curve) in inputs.lung_filter.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(
                curve.points.clone(),
                colour.stroke_width(3),
            ))
            .map_err(e)?
            .label(format!("passage, {}", curve.label))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
        let trap: Vec<(f64, f64)> = curve.points.iter().map(|&(d, p)| (d, 1.0 - p)).collect();
        chart
            .draw_series(DashedLineSeries::new(trap, 8, 5, colour.stroke_width(2)))
            .map_err(e)?
            .label(format!("trap_probability, {}", curve.label))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 8, y)], colour.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 13))
        .draw()
        .map_err(e)?;
    // The product's diameters.
    let bin_um = 1.0;
    let bins = (d_max / bin_um) as usize;
    let mut counts = vec![0u64; bins];
    for &d in &inputs.diameters_um {
        let b = (d / bin_um).floor();
        if b >= 0.0 && (b as usize) < bins {
            counts[b as usize] += 1;
        }
    }
    let total = inputs.diameters_um.len().max(1) as f64;
    let top = counts
        .iter()
        .map(|&c| c as f64 / total * 100.0)
        .fold(1.0, f64::max)
        * 1.1;
    let mut hist = ChartBuilder::on(&lower)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..d_max, 0.0..top)
        .map_err(e)?;
    hist.configure_mesh()
        .x_desc(format!(
            "diameter (µm) of {} cells of {}",
            inputs.diameters_um.len(),
            inputs.product
        ))
        .y_desc("cells (%)")
        .label_style((FAMILY, 13))
        .draw()
        .map_err(e)?;
    hist.draw_series(
        counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(b, &c)| {
                let x0 = b as f64 * bin_um;
                Rectangle::new(
                    [
                        (x0 + 0.05, 0.0),
                        (x0 + bin_um - 0.05, c as f64 / total * 100.0),
                    ],
                    COLOURS[7].filled(),
                )
            }),
    )
    .map_err(e)?;
    lower.present().map_err(e)?;
    upper.present().map_err(e)
}

/// One drawn plot in both formats.
pub struct Drawn {
    /// File stem (`knee` gives knee.png and knee.svg).
    pub name: &'static str,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// SVG text.
    pub svg: String,
}

fn both(
    name: &'static str,
    draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
    draw_bitmap: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> Result<Drawn, PlotError> {
    font_ready().map_err(to_error(name))?;
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT));
        draw(&backend.into_drawing_area()).map_err(to_error(name))?;
    }
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let backend = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT));
        draw_bitmap(&backend.into_drawing_area()).map_err(to_error(name))?;
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|x| to_error(name)(x.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|x| to_error(name)(x.to_string()))?;
    }
    Ok(Drawn { name, png, svg })
}

/// Draws every plot of a run from its counts and plot inputs.
pub fn draw_all(table: &CountsTable, inputs: &PlotInputs) -> Result<Vec<Drawn>, PlotError> {
    Ok(vec![
        both(
            "organs_over_time",
            |a| draw_organs(a, table, inputs),
            |a| draw_organs(a, table, inputs),
        )?,
        both(
            "knee",
            |a| draw_knee(a, table, inputs),
            |a| draw_knee(a, table, inputs),
        )?,
        both(
            "fate",
            |a| draw_fate(a, table, inputs),
            |a| draw_fate(a, table, inputs),
        )?,
        both(
            "lung_filter",
            |a| draw_lung_filter(a, table, inputs),
            |a| draw_lung_filter(a, table, inputs),
        )?,
    ])
}
