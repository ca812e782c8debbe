//! `shiryo check`: every problem of a data file, a layout and a report
//! year, found at once. `render`, `archive` and `template` run the same
//! checks before they write anything.

use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::render::{self, Prepared};
use crate::table::BuildOptions;

/// The most characters (UTF-16 units) a spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

pub mod paths;

/// Problems of a layout against the data it renders: paths the shape does
/// not declare (see [`paths`]), and columns too narrow for one character.
pub fn layout_against_data(edition: &Edition) -> Vec<Problem> {
    let layout = &edition.layout;
    let l = &layout.layout;
    let mut out = paths::check(layout, &edition.shape);
    let pad = l.padding_mm.x;
    let em_mm = l.font.size / 72.0 * 25.4;
    for (i, c) in l.columns.iter().enumerate() {
        let inner = c.width_mm - 2.0 * pad;
        if inner < em_mm {
            out.push(Problem::new(
                &layout.path,
                format!("columns[{i}].width_mm"),
                format!(
                    "column {} is {} mm wide: less its padding ({pad} mm each side) it cannot hold one {} pt character ({:.1} mm); expected at least {:.1} mm",
                    c.id,
                    c.width_mm,
                    l.font.size,
                    em_mm,
                    em_mm + 2.0 * pad
                ),
            ));
        }
    }
    out
}

/// Checks an edition as far as rendering it: every problem found, or the
/// prepared pages.
pub fn prepared(edition: &Edition) -> Result<Prepared<'_>, Problems> {
    let problems = layout_against_data(edition);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let grid = crate::table::build(edition, &BuildOptions::default())?;
    let too_long: Vec<Problem> = grid
        .cells
        .iter()
        .filter_map(|c| {
            let n = c.joined().encode_utf16().count();
            (n > MAX_CELL_CHARS).then(|| {
                Problem::new(
                    &edition.data.path,
                    crate::measure::place_of(&grid, c.row, c.col),
                    format!("a text of {n} characters: a spreadsheet cell holds at most {MAX_CELL_CHARS}; shorten it or split it"),
                )
            })
        })
        .collect();
    if !too_long.is_empty() {
        return Err(Problems(too_long));
    }
    let measured = render::measure(edition, &grid)?;
    render::assemble(edition, grid, measured)
}

/// `shiryo check`: `Ok` with a summary line, or every problem.
pub fn check(edition: &Edition) -> Result<String, Problems> {
    let p = prepared(edition)?;
    Ok(format!(
        "{}: {} with {}: report year {} ({}), {} rows, {} pages: no problems",
        edition.data.path.display(),
        p.meta.title,
        edition.layout.path.display(),
        edition.year,
        crate::era::fiscal_year(edition.year),
        p.grid.rows.len() - p.grid.header_rows,
        p.paged.pages.len()
    ))
}
