//! `validation.png`/`.svg`: model against measured on log axes, with the
//! identity line and the factor-2 band; rows compared as numbers only
//! (flags and directions have no point), agreeing ones filled.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLOURS, Drawn, FAMILY, PlotError, both};
use crate::validate::Compared;
use crate::validate::spec::Measure;

fn points(rows: &[Compared]) -> Vec<(f64, f64, bool, String)> {
    rows.iter()
        .filter(|c| {
            !matches!(
                c.entry.measure,
                Measure::Detected | Measure::Dominant | Measure::Direction
            )
        })
        .filter_map(|c| {
            let o = c.outcome.as_ref().ok()?;
            let measured = match &c.high {
                Some(h) => (c.row.value * h.value).sqrt(),
                None => c.row.value,
            };
            (measured > 0.0 && o.model > 0.0 && o.model.is_finite())
                .then(|| (measured, o.model, o.agrees, c.row.dataset_id.clone()))
        })
        .collect()
}

fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[Compared],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (_, height) = root.dim_in_pixel();
    let (root, footer) = root.split_vertically(height.saturating_sub(24));
    super::footnote(
        &footer,
        "Filled: agrees; open: disagrees (verdict rules in the README). Dashed: a factor 2 either way. \
         A range is drawn at its geometric midpoint; flags and directions have no point.",
    )
    .map_err(e)?;
    let root = &root;
    let pts = points(rows);
    let low = pts
        .iter()
        .flat_map(|p| [p.0, p.1])
        .fold(f64::INFINITY, f64::min)
        .min(1.0)
        / 3.0;
    let high = pts
        .iter()
        .flat_map(|p| [p.0, p.1])
        .fold(0.0, f64::max)
        .max(10.0)
        * 3.0;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "biodist against published measurements (through each assay's observation model)",
            (FAMILY, 18),
        )
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((low..high).log_scale(), (low..high).log_scale())
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("measured (the row's own unit)")
        .y_desc("model, same unit")
        .label_style((FAMILY, 13))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(vec![(low, low), (high, high)], BLACK))
        .map_err(e)?
        .label("model = measured")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    for factor in [2.0, 0.5] {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(low, low * factor), (high, high * factor)],
                6,
                4,
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(e)?;
    }
    let mut datasets: Vec<String> = pts.iter().map(|p| p.3.clone()).collect();
    datasets.dedup();
    for (i, dataset) in datasets.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let mine: Vec<&(f64, f64, bool, String)> = pts.iter().filter(|p| p.3 == *dataset).collect();
        chart
            .draw_series(mine.iter().map(|p| {
                let style = if p.2 {
                    colour.filled()
                } else {
                    colour.stroke_width(2)
                };
                Circle::new((p.0, p.1), 6, style)
            }))
            .map_err(e)?
            .label(dataset.clone())
            .legend(move |(x, y)| Circle::new((x + 5, y), 5, colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 12))
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

/// Draws the model-against-measured plot (filled: agrees; open: disagrees;
/// dashed: factor 2).
pub fn draw(rows: &[Compared]) -> Result<Drawn, PlotError> {
    both(
        "validation",
        |a| draw_panel(a, rows),
        |a| draw_panel(a, rows),
    )
}
