//! `compare.png`/`.svg`: A − B in live cells of the dose against time, one
//! panel per place, a line per compared pair with its 95 % band
//! (difference ± 1.96 SE; paired or conservative, as the title says).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLOURS, Drawn, FAMILY, PlotError, both};
use crate::compare::Difference;

fn draw_panels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[Difference],
    title: &str,
    places: &[&str],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for d in rows {
        let pair = (d.arm_a.clone(), d.arm_b.clone());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    // One pair: named in the title, no legend over the data.
    let named = match &pairs[..] {
        [(a, b)] => format!("A = {a}, B = {b}; band: 95 %"),
        _ => "band: 95 %".to_string(),
    };
    let root = root
        .titled(
            &format!("Live cells of the dose, A − B ({named}) — {title}"),
            (FAMILY, 16),
        )
        .map_err(e)?;
    let shown: Vec<&str> = places
        .iter()
        .copied()
        .filter(|p| rows.iter().any(|d| d.organ == *p))
        .collect();
    let panels = root.split_evenly((2, shown.len().div_ceil(2).max(1)));
    let times: Vec<f64> = rows.iter().map(|d| d.time_h).filter(|&t| t > 0.0).collect();
    let t_min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let t_max = times.iter().copied().fold(0.0, f64::max);
    let (t_min, t_max) = if times.is_empty() {
        (0.01, 1.0)
    } else {
        (t_min / 1.5, t_max * 1.5)
    };
    for (place, panel) in shown.iter().zip(panels.iter()) {
        let here: Vec<&Difference> = rows
            .iter()
            .filter(|d| d.organ == *place && d.time_h > 0.0)
            .collect();
        let low = here
            .iter()
            .map(|d| d.difference() - 1.96 * d.se)
            .fold(0.0, f64::min);
        let high = here
            .iter()
            .map(|d| d.difference() + 1.96 * d.se)
            .fold(0.0, f64::max);
        let pad = ((high - low) * 0.08).max(1.0);
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("{place}: A − B"), (FAMILY, 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(75)
            .build_cartesian_2d((t_min..t_max).log_scale(), (low - pad)..(high + pad))
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("time after injection (h)")
            .y_desc("difference (cells of the dose)")
            .y_label_formatter(&|y| format!("{y:.2e}"))
            .label_style((FAMILY, 12))
            .draw()
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(
                vec![(t_min, 0.0), (t_max, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(e)?;
        for (i, (a, b)) in pairs.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut series: Vec<&&Difference> = here
                .iter()
                .filter(|d| d.arm_a == *a && d.arm_b == *b)
                .collect();
            series.sort_by(|x, y| x.time_h.total_cmp(&y.time_h));
            if series.is_empty() {
                continue;
            }
            let band: Vec<(f64, f64)> = series
                .iter()
                .map(|d| (d.time_h, d.difference() - 1.96 * d.se))
                .chain(
                    series
                        .iter()
                        .rev()
                        .map(|d| (d.time_h, d.difference() + 1.96 * d.se)),
                )
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, colour.mix(0.2))))
                .map_err(e)?;
            let points: Vec<(f64, f64)> =
                series.iter().map(|d| (d.time_h, d.difference())).collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(e)?
                .label(format!("{a} − {b} (band: 95 %)"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))
                .map_err(e)?;
        }
        if pairs.len() < 2 {
            continue;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FAMILY, 12))
            .draw()
            .map_err(e)?;
    }
    root.present().map_err(e)
}

/// Draws the comparison of `rows` for `places`.
pub fn draw(rows: &[Difference], title: &str, places: &[&str]) -> Result<Drawn, PlotError> {
    both(
        "compare",
        |a| draw_panels(a, rows, title, places),
        |a| draw_panels(a, rows, title, places),
    )
}
