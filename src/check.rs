//! `shiryo check`: every problem of a data file, a layout and a report
//! year, found at once. `render`, `archive` and `template` run the same
//! checks before they write anything.

use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::layout::template::Segment;
use crate::render::{self, Prepared};
use crate::table::{BuildOptions, Grid};

/// The most characters (UTF-16 units) a spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Problems of a layout against the data it renders: templates that name a
/// field no item of that group has, and columns too narrow for one
/// character.
pub fn layout_against_data(edition: &Edition, grid: &Grid) -> Vec<Problem> {
    let layout = &edition.layout;
    let l = &layout.layout;
    let data = &edition.data;
    let mut out = Vec::new();
    let known = edition.shape.all_names();
    let vars = [
        "report_year",
        "next_year",
        "first_year",
        "last_year",
        "year",
        "page",
        "pages",
        "item",
        "index",
    ];
    let mut groups = crate::layout::group_names(l);
    groups.push(crate::table::ROW.to_string());
    for (place, t) in crate::layout::templates(l) {
        for e in t.exprs() {
            if let Some(Segment::Field(root)) = e.path.first() {
                let known_name = groups.contains(root)
                    || vars.contains(&root.as_str())
                    || root
                        .strip_suffix("_index")
                        .is_some_and(|g| groups.iter().any(|n| n == g))
                    || data.json.get(root).is_some()
                    || known.contains(root.as_str());
                if !known_name {
                    out.push(Problem::new(
                        &layout.path,
                        place.clone(),
                        format!(
                            "{{{root}}} names nothing: expected a group name ({}), a variable ({}) or a field of the data",
                            groups.join(", "),
                            vars.join(", ")
                        ),
                    ));
                    continue;
                }
            }
            let (Some(Segment::Field(root)), Some(Segment::Field(field))) = (e.path.first(), e.path.get(1)) else {
                continue;
            };
            if let Some(fields) = grid.bound_fields.get(root)
                && !fields.contains(field)
                && !known.contains(field.as_str())
            {
                out.push(Problem::new(
                    &layout.path,
                    place.clone(),
                    format!(
                        "{{{root}.{field}}} names a field that no {root} in {} has and its shape {} does not declare (its fields: {})",
                        data.path.display(),
                        edition.shape.name,
                        fields.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
    }
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
    let grid = crate::table::build(edition, &BuildOptions::default())?;
    let problems = layout_against_data(edition, &grid);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
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
