//! `shiryo check`: every problem of a data file, a layout and a report
//! year, found at once. `render`, `archive` and `template` run the same
//! checks before they write anything.

use crate::cli::{self, InputArgs};
use crate::data::LoadedPlan;
use crate::diag::{Problem, Problems};
use crate::layout::LoadedLayout;
use crate::layout::template::Segment;
use crate::render::{self, Prepared};
use crate::table::{BuildOptions, Grid};

/// The most characters (UTF-16 units) a spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Problems of a layout against the data it renders: templates that name a
/// field no item of that group has, and columns too narrow for one
/// character.
pub fn layout_against_data(plan: &LoadedPlan, layout: &LoadedLayout, grid: &Grid) -> Vec<Problem> {
    let l = &layout.layout;
    let mut out = Vec::new();
    let kind = if plan.json.get("divisions").is_some() {
        crate::schema::Kind::Business
    } else {
        crate::schema::Kind::Progress
    };
    let known = crate::schema::known_fields(kind);
    let vars = ["report_year", "next_year", "year", "page", "pages", "item", "index"];
    let groups = crate::layout::group_names(l);
    for (place, t) in crate::layout::templates(l) {
        for e in t.exprs() {
            if let Some(Segment::Field(root)) = e.path.first() {
                let known_name = groups.contains(root)
                    || vars.contains(&root.as_str())
                    || root
                        .strip_suffix("_index")
                        .is_some_and(|g| groups.iter().any(|n| n == g))
                    || plan.json.get(root).is_some()
                    || known.contains(root);
                if !known_name {
                    out.push(Problem::new(
                        &layout.path,
                        place.clone(),
                        format!(
                            "{{{root}}} names nothing: expected a group name ({}), a variable ({}) or a field of the plan",
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
                && !known.contains(field)
            {
                out.push(Problem::new(
                    &layout.path,
                    place.clone(),
                    format!(
                        "{{{root}.{field}}} names a field that no {root} in {} has and the data format does not know (its fields: {})",
                        plan.path.display(),
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

/// Loads, checks and prepares an edition: every problem found, or the
/// prepared pages.
pub fn prepare(input: &InputArgs, template: bool) -> Result<(LoadedPlan, i32, Prepared), Problems> {
    let plan = cli::load_plan(input.data.as_deref());
    let layout = match (&plan, &input.layout) {
        (_, Some(path)) => Some(crate::layout::load(path)),
        (Ok(p), None) => Some(cli::load_layout(None, p)),
        (Err(_), None) => None,
    };
    let (plan, layout) = match (plan, layout) {
        (Ok(p), Some(Ok(l))) => (p, l),
        (p, l) => {
            let mut all = Vec::new();
            if let Err(e) = p {
                all.extend(e.0);
            }
            if let Some(Err(e)) = l {
                all.extend(e.0);
            }
            return Err(Problems(all));
        }
    };
    let year = cli::report_year(input.year, &plan).map_err(|e| Problem::new(&plan.path, "", e.to_string()))?;
    let opts = BuildOptions {
        report_year: year,
        template,
    };
    let grid = crate::table::build(&plan, &layout, &opts)?;
    let problems = layout_against_data(&plan, &layout, &grid);
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
                    &plan.path,
                    crate::measure::place_of(&grid, c.row, c.col),
                    format!("a text of {n} characters: a spreadsheet cell holds at most {MAX_CELL_CHARS}; shorten it or split it"),
                )
            })
        })
        .collect();
    if !too_long.is_empty() {
        return Err(Problems(too_long));
    }
    let fonts = crate::measure::font::Fonts::for_family(&layout.layout.font.family, &layout.path)?;
    let measured = crate::measure::measure(&grid, &fonts, crate::measure::Spacing::of(&layout.layout), &plan.path)?;
    let prepared = render::assemble(&plan, layout, fonts, grid, measured, &opts);
    Ok((plan, year, prepared))
}

/// `shiryo check`: `Ok` with a summary line, or every problem.
pub fn check(input: &InputArgs) -> Result<String, Problems> {
    let (plan, year, p) = prepare(input, false)?;
    Ok(format!(
        "{}: {} with {}: report year {year} ({}), {} rows, {} pages: no problems",
        plan.path.display(),
        plan.plan.title,
        p.layout.path.display(),
        crate::era::fiscal_year(year),
        p.grid.rows.len() - p.grid.header_rows,
        p.paged.pages.len()
    ))
}
