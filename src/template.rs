//! Yearly templates: the committee table of a report year as a workbook a
//! department fills in.
//!
//! A template has the layout of the committee xlsx, past years filled, and
//! the report year's value cells and the two text columns left for input
//! (the table stage marks them, see [`BuildOptions::template`]). On top of
//! the table:
//!
//! - the layout's `template.note_column` adds a column right after the
//!   report year's values, in which a department marks a value as
//!   provisional (`※速報値`);
//! - input text cells get room for at least `template.text_lines` lines;
//! - the sheet is protected with only input cells unlocked, input cells
//!   carry data validation (see [`crate::render::xlsx::render_template`]);
//! - the workbook records its [`Identity`] in a hidden sheet and defined
//!   names, which `shiryo import` reads back.
//!
//! A department's template is built from a copy of the plan holding only
//! that department's indicators (goals left empty dropped), so merges and
//! page breaks are those of a table of its own.

use crate::data::LoadedPlan;
use crate::diag::Problems;
use crate::identity::{self, Identity, InputCell, PlanId};
use crate::layout::template::Scope;
use crate::layout::{InputKind, LoadedLayout};
use crate::measure::{self, Measured, Spacing, font::Fonts};
use crate::render::{self, xlsx};
use crate::table::{self, BuildOptions, Cell, Column, Grid, InputRef};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// The longest text a department may type into a text cell, in characters.
pub const MAX_TEXT_CHARS: u32 = 1000;

/// The departments of a plan, in order of first appearance.
///
/// ```
/// let plan = shiryo::cli::load_plan(None).unwrap();
/// let d = shiryo::template::departments(&plan);
/// assert_eq!(d[0], "地域共生課");
/// assert!(d.contains(&"交通課".to_string()));
/// ```
pub fn departments(plan: &LoadedPlan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for goal in &plan.plan.goals {
        for ind in &goal.indicators {
            if !out.contains(&ind.department) {
                out.push(ind.department.clone());
            }
        }
    }
    out
}

/// A copy of the plan holding only the indicators of `department`; goals
/// left without indicators are dropped.
///
/// ```
/// let plan = shiryo::cli::load_plan(None).unwrap();
/// let only = shiryo::template::for_department(&plan, "交通課").unwrap();
/// assert_eq!(only.plan.goals.len(), 1);
/// assert_eq!(only.plan.goals[0].number, 6);
/// ```
pub fn for_department(plan: &LoadedPlan, department: &str) -> Result<LoadedPlan> {
    let mut json = plan.json.clone();
    if let Some(goals) = json.get_mut("goals").and_then(Value::as_array_mut) {
        for goal in goals.iter_mut() {
            if let Some(inds) = goal.get_mut("indicators").and_then(Value::as_array_mut) {
                inds.retain(|i| i.get("department").and_then(Value::as_str) == Some(department));
            }
        }
        goals.retain(|g| {
            g.get("indicators")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        });
    }
    let typed: crate::data::Plan = serde_json::from_value(json.clone())
        .with_context(|| format!("{}: cannot select the rows of {department}", plan.path.display()))?;
    if typed.goals.is_empty() {
        bail!(
            "{}: no indicator has the department {department:?} (departments: {})",
            plan.path.display(),
            departments(plan).join(", ")
        );
    }
    Ok(LoadedPlan {
        path: plan.path.clone(),
        plan: typed,
        json,
    })
}

/// A department's name made safe as a file name: path separators, the
/// characters Windows forbids and control characters become `_`, leading
/// dots and trailing dots and spaces are dropped, and the result is never
/// empty, `.` or `..`.
///
/// ```
/// use shiryo::template::safe_file_name;
/// assert_eq!(safe_file_name("地域共生課"), "地域共生課");
/// assert_eq!(safe_file_name("../x"), "_x");
/// assert_eq!(safe_file_name("a/b"), "a_b");
/// assert_eq!(safe_file_name(".."), "_");
/// assert_eq!(safe_file_name("C:\\tmp"), "C__tmp");
/// ```
pub fn safe_file_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    let s = if trimmed.is_empty() { "_".to_string() } else { trimmed };
    // Keep names well below the usual 255-byte limit of a file name.
    let mut out = String::new();
    for c in s.chars() {
        if out.len() + c.len_utf8() > 120 {
            break;
        }
        out.push(c);
    }
    out
}

/// The path of `file_name` in `dir`, refusing any name that is not one
/// plain component (so that nothing is written outside `dir`).
///
/// ```
/// use std::path::Path;
/// use shiryo::template::path_in;
/// assert!(path_in(Path::new("out"), "a.xlsx").is_ok());
/// assert!(path_in(Path::new("out"), "../a.xlsx").is_err());
/// assert!(path_in(Path::new("out"), "a/b.xlsx").is_err());
/// ```
pub fn path_in(dir: &Path, file_name: &str) -> Result<PathBuf> {
    let mut comps = Path::new(file_name).components();
    match (comps.next(), comps.next()) {
        (Some(Component::Normal(n)), None) if n == file_name && !file_name.contains(['/', '\\']) => {}
        _ => bail!(
            "refusing the file name {file_name:?}: it is not a plain name inside {}",
            dir.display()
        ),
    }
    let path = dir.join(file_name);
    if path.parent() != Some(dir) {
        bail!("refusing {}: it is not inside {}", path.display(), dir.display());
    }
    Ok(path)
}

/// Which rows a template holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    /// Every department's.
    All,
    /// One department's.
    Department(String),
}

/// A template built in memory.
#[derive(Debug)]
pub struct Built {
    /// The workbook.
    pub bytes: Vec<u8>,
    /// What it records about itself.
    pub identity: Identity,
}

/// Builds the template of `rows` for `report_year`.
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::template::{build, Rows};
/// let plan = shiryo::cli::load_plan(None)?;
/// let layout = shiryo::cli::load_layout(None, &plan)?;
/// let t = build(&plan, &layout, 2025, &Rows::Department("交通課".into()), None)?;
/// assert_eq!(&t.bytes[..2], b"PK");
/// // One indicator: its value, note and the two texts.
/// assert_eq!(t.identity.inputs.len(), 4);
/// # Ok(()) }
/// ```
pub fn build(
    plan: &LoadedPlan,
    layout: &LoadedLayout,
    report_year: i32,
    rows: &Rows,
    password: Option<&str>,
) -> Result<Built> {
    let selected = match rows {
        Rows::All => plan.clone(),
        Rows::Department(d) => for_department(plan, d)?,
    };
    let opts = BuildOptions {
        report_year,
        template: true,
    };
    let prepared = prepare(&selected, layout.clone(), &opts)?;
    let mut inputs = Vec::new();
    let mut names = Vec::new();
    let rows = xlsx::sheet_rows(&prepared);
    for (i, cell) in prepared.grid.cells.iter().enumerate() {
        let Some(input) = &cell.input else { continue };
        let (r, c) = xlsx::sheet_cell(&rows, cell);
        let name = identity::input_name(inputs.len() + 1);
        names.push((name.clone(), i));
        inputs.push(InputCell {
            name,
            cell: identity::a1(r, c),
            kind: input.kind,
            item_id: input.item_id.clone(),
            label: input.label.clone(),
        });
    }
    let identity = Identity {
        plan: PlanId::of(&plan.plan),
        report_year,
        departments: departments(&selected),
        inputs,
    };
    let note_choices = layout
        .layout
        .template
        .note_column
        .as_ref()
        .map(|n| n.choices.clone())
        .unwrap_or_default();
    let bytes = xlsx::render_template(
        &prepared,
        &xlsx::TemplateOptions {
            password: password.map(str::to_string),
            note_choices,
            max_text_chars: MAX_TEXT_CHARS,
            names,
            identity: (identity::SHEET.to_string(), identity.to_rows()),
        },
    )
    .context("writing the template")?;
    Ok(Built { bytes, identity })
}

/// The template's pipeline: build the grid, add the note column, measure,
/// give input text cells room, paginate.
fn prepare(plan: &LoadedPlan, layout: LoadedLayout, opts: &BuildOptions) -> Result<render::Prepared, Problems> {
    let fonts = Fonts::for_family(&layout.layout.font.family, &layout.path)?;
    let mut grid = table::build(plan, &layout, opts)?;
    if let Some(spec) = &layout.layout.template.note_column {
        let mut scope = Scope::new(&plan.json);
        scope.set_var("year", opts.report_year);
        scope.set_var("report_year", opts.report_year);
        scope.set_var("next_year", opts.report_year + 1);
        add_note_column(&mut grid, &spec.header.render(&scope), table::mm_to_px(spec.width_mm));
    }
    let mut measured = measure::measure(&grid, &fonts, Spacing::of(&layout.layout), &plan.path)?;
    reserve_text_room(&grid, &mut measured, layout.layout.template.text_lines);
    Ok(render::assemble(plan, layout, fonts, grid, measured, opts))
}

/// Inserts the note column right after the column of the report year's
/// value inputs: one note input beside each value input.
fn add_note_column(grid: &mut Grid, header: &str, width_px: u32) {
    let is_value = |c: &Cell| c.input.as_ref().is_some_and(|i| i.kind == InputKind::Value);
    let Some(k) = grid.cells.iter().find(|c| is_value(c)).map(|c| c.col) else {
        return;
    };
    let at = k + 1;
    for c in &mut grid.cells {
        if c.col >= at {
            c.col += 1;
        } else if c.col + c.colspan > at {
            c.colspan += 1;
        }
    }
    let id = format!("{}-note", grid.columns[k].id);
    grid.columns.insert(
        at,
        Column {
            id,
            width_px,
            year: None,
        },
    );
    let mut added = Vec::new();
    if let Some(h) = grid.cells.iter().find(|c| c.row == 0 && c.col == k) {
        added.push(Cell {
            col: at,
            rowspan: grid.header_rows,
            colspan: 1,
            lines: header.split('\n').map(table::Line::text).collect(),
            input: None,
            ..h.clone()
        });
    }
    let mut covered = vec![false; grid.rows.len()];
    for c in grid.cells.iter().filter(|c| c.col == k && c.row >= grid.header_rows) {
        let input = c
            .input
            .as_ref()
            .filter(|i| i.kind == InputKind::Value)
            .map(|i| InputRef {
                kind: InputKind::Note,
                ..i.clone()
            });
        covered[c.row..c.row + c.rowspan].fill(true);
        added.push(Cell {
            col: at,
            colspan: 1,
            lines: Vec::new(),
            repeat: false,
            input,
            ..c.clone()
        });
    }
    // A row without a cell in the value column still gets its blank.
    if let Some(style) = grid
        .cells
        .iter()
        .find(|c| c.col == k && c.row >= grid.header_rows)
        .map(|c| c.style)
    {
        for (r, _) in covered.iter().enumerate().skip(grid.header_rows).filter(|(_, c)| !**c) {
            added.push(Cell {
                row: r,
                col: at,
                rowspan: 1,
                colspan: 1,
                lines: Vec::new(),
                style,
                border: true,
                repeat: false,
                input: None,
            });
        }
    }
    grid.cells.extend(added);
    grid.cells.sort_by_key(|c| (c.row, c.col));
}

/// Enlarges rows so that every input text cell has room for `lines` lines.
fn reserve_text_room(grid: &Grid, m: &mut Measured, lines: u16) {
    let need = measure::to_px_pt(m.needed(usize::from(lines)));
    for c in &grid.cells {
        if !c
            .input
            .as_ref()
            .is_some_and(|i| matches!(i.kind, InputKind::Actions | InputKind::Outlook))
        {
            continue;
        }
        let rows = c.row..c.row + c.rowspan;
        let have: f32 = m.row_heights[rows.clone()].iter().sum();
        if need > have + 1e-3 {
            let extra = measure::to_px_pt((need - have) / c.rowspan as f32);
            for h in &mut m.row_heights[rows] {
                *h += extra;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> (LoadedPlan, LoadedLayout) {
        let plan = crate::cli::load_plan(None).unwrap();
        let layout = crate::cli::load_layout(None, &plan).unwrap();
        (plan, layout)
    }

    #[test]
    fn every_measured_row_gets_a_value_and_a_note_and_every_indicator_its_texts() {
        let (plan, layout) = example();
        let t = build(&plan, &layout, 2025, &Rows::All, None).unwrap();
        let rows = plan.plan.rows();
        let count = |k: InputKind| t.identity.inputs.iter().filter(|i| i.kind == k).count();
        let indicators: usize = plan.plan.goals.iter().map(|g| g.indicators.len()).sum();
        assert_eq!(count(InputKind::Value), rows.len());
        assert_eq!(count(InputKind::Note), rows.len());
        assert_eq!(count(InputKind::Actions), indicators);
        assert_eq!(count(InputKind::Outlook), indicators);
        let values: Vec<&str> = t
            .identity
            .inputs
            .iter()
            .filter(|i| i.kind == InputKind::Value)
            .map(|i| i.item_id.as_str())
            .collect();
        let ids: Vec<&str> = rows.iter().map(|r| r.id()).collect();
        assert_eq!(values, ids);
    }

    #[test]
    fn the_note_column_sits_right_after_the_report_years_values() {
        let (plan, layout) = example();
        let opts = BuildOptions {
            report_year: 2025,
            template: true,
        };
        let p = prepare(&plan, layout, &opts).unwrap();
        let g = &p.grid;
        let value_col = g.columns.iter().position(|c| c.year == Some(2025)).unwrap();
        assert_eq!(g.columns[value_col + 1].id, "year-note");
        assert_eq!(g.columns[value_col + 2].year, Some(2026));
        let header: Vec<String> = g.cells.iter().filter(|c| c.row == 0).map(Cell::joined).collect();
        assert!(header.contains(&"R７\n速報値".to_string()), "{header:?}");
        for (_, c) in g.body_cells().filter(|(_, c)| c.col == value_col + 1) {
            assert_eq!(c.input.as_ref().unwrap().kind, InputKind::Note);
        }
        // Every body row is covered once in every column.
        for r in g.header_rows..g.rows.len() {
            for col in 0..g.columns.len() {
                let n = g
                    .cells
                    .iter()
                    .filter(|c| (c.row..c.row + c.rowspan).contains(&r) && (c.col..c.col + c.colspan).contains(&col))
                    .count();
                assert_eq!(n, 1, "row {r}, column {col}");
            }
        }
    }

    #[test]
    fn input_text_cells_have_room() {
        let (plan, layout) = example();
        let lines = layout.layout.template.text_lines;
        let opts = BuildOptions {
            report_year: 2025,
            template: true,
        };
        let p = prepare(&plan, layout, &opts).unwrap();
        let need = p.measured.needed(usize::from(lines));
        for c in p
            .grid
            .cells
            .iter()
            .filter(|c| c.input.as_ref().is_some_and(|i| i.kind == InputKind::Actions))
        {
            let h: f32 = p.measured.row_heights[c.row..c.row + c.rowspan].iter().sum();
            assert!(h + 0.01 >= need, "row {}: {h} < {need}", c.row);
        }
    }

    #[test]
    fn unknown_department_is_refused_naming_the_known_ones() {
        let (plan, _) = example();
        let e = for_department(&plan, "総務課").unwrap_err().to_string();
        assert!(e.contains("総務課") && e.contains("地域共生課"), "{e}");
    }
}
