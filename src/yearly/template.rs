//! Yearly templates: the committee table of a report year as a workbook a
//! part of the office fills in.
//!
//! A template has the layout of the committee xlsx, past years filled, and
//! the inputs of the report year (see [`super::inputs`]) left empty for
//! input. On top of the table:
//!
//! - the layout's `template.note_column` adds a column right after the
//!   report year's values, in which a value is marked as provisional
//!   (`※速報値`);
//! - input text cells get room for at least `template.text_lines` lines;
//! - the sheet is protected with only input cells unlocked, and input
//!   cells carry data validation (see `sheet`);
//! - the workbook records its [`Identity`] in a hidden sheet and defined
//!   names, which `shiryo import` reads back.
//!
//! A part's template (`--only`, `--split`) is built from the rows of that
//! part alone, so merges and page breaks are those of a table of its own.

use super::identity::{self, Identity, InputCell};
use super::sheet::Prefill;
use super::{Expected, InputKind, MAX_TEXT_CHARS, Stored, inputs};
use crate::diag::Problems;
use crate::edition::Edition;
use crate::lang::tr;
use crate::measure::{self, Measured};
use crate::render::{self, Prepared, xlsx};
use crate::table::{self, BuildOptions, Cell, Column, Grid, Line};
use anyhow::{Context, Result, bail};
use std::path::{Component, Path, PathBuf};

/// The parts of the table templates are split into (values of the
/// layout's `template.split.by`), in order of first appearance.
///
/// ```
/// let e = shiryo::edition::Edition::load(&Default::default()).unwrap();
/// let parts = shiryo::yearly::template::parts(&e).unwrap();
/// assert_eq!(parts[0], "地域共生課");
/// assert!(parts.contains(&"交通課".to_string()));
/// ```
pub fn parts(edition: &Edition) -> Result<Vec<String>, Problems> {
    let grid = table::build(edition, &BuildOptions::default())?;
    let mut out: Vec<String> = Vec::new();
    for e in inputs(edition, &grid)? {
        if let Some(p) = e.part
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    Ok(out)
}

/// A name made safe as a file name: path separators, the characters
/// Windows forbids and control characters become `_`, leading dots and
/// trailing dots and spaces are dropped, and the result is never empty,
/// `.` or `..`.
///
/// ```
/// use shiryo::yearly::template::safe_file_name;
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
/// use shiryo::yearly::template::path_in;
/// assert!(path_in(Path::new("out"), "a.xlsx").is_ok());
/// assert!(path_in(Path::new("out"), "../a.xlsx").is_err());
/// assert!(path_in(Path::new("out"), "a/b.xlsx").is_err());
/// ```
pub fn path_in(dir: &Path, file_name: &str) -> Result<PathBuf> {
    let mut comps = Path::new(file_name).components();
    match (comps.next(), comps.next()) {
        (Some(Component::Normal(n)), None) if n == file_name && !file_name.contains(['/', '\\']) => {}
        _ => bail!(
            "{}",
            tr!(
                "refusing the file name {name}: it is not a plain name inside {folder}",
                name = format!("{file_name:?}"),
                folder = dir.display(),
            )
        ),
    }
    let path = dir.join(file_name);
    if path.parent() != Some(dir) {
        bail!(
            "{}",
            tr!(
                "refusing {file}: it is not inside {folder}",
                file = path.display(),
                folder = dir.display(),
            )
        );
    }
    Ok(path)
}

/// A template built in memory.
#[derive(Debug)]
pub struct Built {
    /// The workbook.
    pub bytes: Vec<u8>,
    /// What it records about itself.
    pub identity: Identity,
}

/// Builds the template of the edition's report year: of the whole table,
/// or with `only` of one part of it.
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::edition::{Edition, Inputs};
/// let e = Edition::load(&Inputs { year: Some(2025), ..Default::default() })?;
/// let t = shiryo::yearly::template::build(&e, Some("交通課"), None)?;
/// assert_eq!(&t.bytes[..2], b"PK");
/// // One indicator: its value, note and the two texts, and its 令和６年度
/// // figure, still provisional, to confirm.
/// assert_eq!(t.identity.inputs.len(), 5);
/// assert_eq!(t.identity.inputs.iter().filter(|i| i.year == 2024).count(), 1);
/// # Ok(()) }
/// ```
pub fn build(edition: &Edition, only: Option<&str>, password: Option<&str>) -> Result<Built> {
    let l = &edition.layout.layout;
    if !l.columns.iter().any(|c| c.input) {
        bail!(
            "{}",
            tr!(
                "{file}: the layout {layout} has no input column, so a template would ask for nothing \
                 (mark the columns to fill in with \"input\": true)",
                file = edition.layout.path.display(),
                layout = l.name,
            )
        );
    }
    let split = match (only, &l.template.split) {
        (Some(v), Some(s)) => Some((&s.by, v)),
        (Some(_), None) => bail!(
            "{}",
            tr!(
                "{file}: the layout does not split templates (it has no template.split), so there is no part to choose",
                file = edition.layout.path.display(),
            )
        ),
        (None, _) => None,
    };
    if let Some(v) = only {
        let all = parts(edition)?;
        if !all.iter().any(|p| p == v) {
            let name = l.template.split.as_ref().map_or("part", |s| s.name.as_str());
            bail!(
                "{}",
                tr!(
                    "--only {value}: no row of {file} has this {name} ({name}: {known})",
                    value = format!("{v:?}"),
                    file = edition.data.path.display(),
                    name = name,
                    known = all.join(", "),
                )
            );
        }
    }
    let (prepared, expected, prefilled) = prepare(edition, BuildOptions { only: split })?;
    if expected.is_empty() {
        bail!(
            "{}",
            tr!(
                "{file}: the table of {year} asks for no input (no row has a cell of an input column for this year)",
                file = edition.layout.path.display(),
                year = crate::era::fiscal_year(edition.year),
            )
        );
    }
    let rows = xlsx::sheet_rows(&prepared);
    let mut cells = Vec::new();
    let mut names = Vec::new();
    for e in &expected {
        let grid_cell = match e.kind {
            InputKind::Note => note_cell(&prepared.grid, e.cell),
            _ => Some(e.cell),
        };
        let Some(i) = grid_cell else { continue };
        let (r, c) = xlsx::sheet_cell(&rows, &prepared.grid.cells[i]);
        let name = identity::input_name(cells.len() + 1);
        names.push((name.clone(), i, e.clone()));
        cells.push(InputCell {
            name,
            cell: identity::a1(r, c),
            kind: e.kind,
            item_id: e.item_id.clone(),
            field: e.field_path(),
            label: e.name(),
            year: e.year,
        });
    }
    let mut parts: Vec<String> = Vec::new();
    for e in &expected {
        if let Some(p) = &e.part
            && !parts.contains(p)
        {
            parts.push(p.clone());
        }
    }
    let identity = Identity {
        version: identity::VERSION.to_string(),
        layout: l.name.clone(),
        shape: edition.shape.name.clone(),
        years: (edition.years.first, edition.years.last),
        report_year: edition.year,
        parts,
        inputs: cells,
    };
    let hook = super::sheet::TemplateSheet {
        password: password.map(str::to_string),
        note_choices: l
            .template
            .note_column
            .as_ref()
            .map(|n| n.choices.clone())
            .unwrap_or_default(),
        max_text_chars: MAX_TEXT_CHARS,
        input_fill: l.template.input_fill.as_deref().and_then(crate::layout::parse_color),
        inputs: names,
        identity: identity.to_rows(),
        prefilled,
        report_year: edition.year,
    };
    let bytes = xlsx::render_with(&prepared, Some(&hook)).with_context(|| tr!("writing the template"))?;
    Ok(Built { bytes, identity })
}

/// The note cell beside the value cell `value` (the note column's cell of
/// the same row).
fn note_cell(grid: &Grid, value: usize) -> Option<usize> {
    let v = &grid.cells[value];
    grid.cells
        .iter()
        .position(|c| c.row == v.row && c.col == v.col + 1 && c.source.is_none())
}

/// The template's pipeline: build the grid, keep the inputs it asks for,
/// add the note column, fill the inputs with the answers the data already
/// holds (else blank), measure, give input text cells room, paginate.
/// Returns the prepared table, its inputs and the prefilled cells.
#[allow(clippy::type_complexity)]
fn prepare<'e>(
    edition: &'e Edition,
    opts: BuildOptions,
) -> Result<(Prepared<'e>, Vec<Expected>, std::collections::HashMap<usize, Prefill>), Problems> {
    let l = &edition.layout.layout;
    let mut grid = table::build(edition, &opts)?;
    let stored = Stored::new(edition);
    let asked = |grid: &Grid| -> Result<Vec<Expected>, Problems> {
        Ok(inputs(edition, grid)?.into_iter().filter(|e| stored.asked(e)).collect())
    };
    // Cells of input columns that take no input this year are plain cells.
    let is_input: std::collections::HashSet<usize> = asked(&grid)?.iter().map(|e| e.cell).collect();
    for (i, c) in grid.cells.iter_mut().enumerate() {
        if !is_input.contains(&i) {
            c.source = None;
        }
    }
    if let Some(spec) = &l.template.note_column {
        let mut scope = table::root_scope(edition);
        scope.set_var("year", edition.year);
        add_note_column(
            &mut grid,
            &spec.header.render(&scope),
            table::mm_to_px(spec.width_mm),
            edition.year,
        );
    }
    let expected = asked(&grid)?;
    // Inputs start blank (a value cell shows its unit, as the official
    // blank does), or with what the data already holds, marked.
    let mut prefilled = std::collections::HashMap::new();
    for e in &expected {
        let (lines, fill) = match e.kind {
            InputKind::Value => match stored.entry(e) {
                Some(x) if e.year < edition.year => {
                    // A provisional figure to confirm: the figure and its note as text.
                    let note = x.note.clone().unwrap_or_default();
                    let text = format!("{} {note}", x.value.as_ref().map(|v| v.as_str()).unwrap_or(""));
                    (vec![Line::value(text)], Some(Prefill::Confirm(note)))
                }
                Some(x) if x.not_measured => (vec![Line::value("―")], Some(Prefill::Answered)),
                Some(x) => match &x.value {
                    Some(v) => {
                        let after = e.unit_after.as_deref().or(e.unit.as_deref()).unwrap_or("");
                        let shown = format!("{}{after}", v.as_str());
                        let number = v.plain().parse::<f64>().ok();
                        (vec![Line::value(shown)], number.map(Prefill::Number))
                    }
                    None => (e.unit.iter().map(Line::value).collect(), None),
                },
                None => (e.unit.iter().map(Line::value).collect(), None),
            },
            InputKind::Note => {
                let note = stored.entry(e).and_then(|x| x.note);
                if let (Some(n), Some(i)) = (note, note_cell(&grid, e.cell)) {
                    grid.cells[i].lines = vec![Line::value(n)];
                    prefilled.insert(i, Prefill::Answered);
                }
                continue;
            }
            InputKind::Text => match stored.text(e) {
                Some(t) => (
                    t.lines().map(|l| Line::text(l.to_string())).collect(),
                    Some(Prefill::Answered),
                ),
                None => (Vec::new(), None),
            },
        };
        grid.cells[e.cell].lines = lines;
        if let Some(f) = fill {
            prefilled.insert(e.cell, f);
        }
    }
    let mut measured = render::measure(edition, &grid)?;
    let text_cells: Vec<usize> = expected
        .iter()
        .filter(|e| e.kind == InputKind::Text)
        .map(|e| e.cell)
        .collect();
    reserve_text_room(&grid, &mut measured, &text_cells, l.template.text_lines);
    let mut prepared = render::assemble(edition, grid, measured)?;
    prepared.meta.subject.push_str(" 入力用");
    Ok((prepared, expected, prefilled))
}

/// Inserts the note column right after the column of the report year's
/// value inputs: one blank note cell beside each value input.
fn add_note_column(grid: &mut Grid, header: &str, width_px: u32, year: i32) {
    let is_value = |c: &Cell| {
        c.source
            .as_ref()
            .is_some_and(|s| s.kind == crate::table::SourceKind::YearValue && s.year == Some(year))
    };
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
            lines: header.split('\n').map(Line::text).collect(),
            source: None,
            ..h.clone()
        });
    }
    let mut covered = vec![false; grid.rows.len()];
    for c in grid.cells.iter().filter(|c| c.col == k && c.row >= grid.header_rows) {
        covered[c.row..c.row + c.rowspan].fill(true);
        added.push(Cell {
            col: at,
            colspan: 1,
            lines: Vec::new(),
            repeat: false,
            source: None,
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
                source: None,
                marks: None,
                figure: None,
            });
        }
    }
    grid.cells.extend(added);
    grid.cells.sort_by_key(|c| (c.row, c.col));
}

/// Enlarges rows so that every input text cell has room for `lines` lines.
fn reserve_text_room(grid: &Grid, m: &mut Measured, cells: &[usize], lines: u16) {
    let need = measure::to_px_pt(m.needed(usize::from(lines)));
    for &i in cells {
        let c = &grid.cells[i];
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
    use crate::edition::Inputs;

    fn example(year: i32) -> Edition {
        Edition::load(&Inputs {
            year: Some(year),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn every_measured_row_gets_a_value_and_a_note_and_every_indicator_its_texts() {
        let e = example(2025);
        let t = build(&e, None, None).unwrap();
        let count = |k: InputKind| t.identity.inputs.iter().filter(|i| i.kind == k).count();
        let json = &e.data.json;
        let mut rows = 0;
        let mut indicators = 0;
        for g in json["goals"].as_array().unwrap() {
            for i in g["indicators"].as_array().unwrap() {
                indicators += 1;
                rows += i.get("measures").and_then(|m| m.as_array()).map_or(1, |m| m.len());
            }
        }
        let this_year = |k: InputKind| {
            t.identity
                .inputs
                .iter()
                .filter(|i| i.kind == k && i.year == 2025)
                .count()
        };
        assert_eq!(this_year(InputKind::Value), rows);
        assert_eq!(count(InputKind::Note), rows);
        // And every earlier figure still provisional, to confirm: 令和６年度's
        // はなバス (the 令和５年度 one was confirmed in the 令和６年度 edition).
        let earlier: Vec<(i32, &str)> = t
            .identity
            .inputs
            .iter()
            .filter(|i| i.year != 2025)
            .map(|i| (i.year, i.item_id.as_str()))
            .collect();
        assert!(earlier.contains(&(2024, "hanabus-ridership")), "{earlier:?}");
        assert!(!earlier.iter().any(|(y, _)| *y == 2023), "{earlier:?}");
        assert_eq!(count(InputKind::Value), rows + earlier.len());
        assert_eq!(count(InputKind::Text), 2 * indicators);
    }

    #[test]
    fn the_note_column_sits_right_after_the_report_years_values() {
        let e = example(2025);
        let (p, expected, _) = prepare(&e, BuildOptions::default()).unwrap();
        let g = &p.grid;
        let value_col = g.columns.iter().position(|c| c.year == Some(2025)).unwrap();
        assert_eq!(g.columns[value_col + 1].id, "year-note");
        assert_eq!(g.columns[value_col + 2].year, Some(2026));
        let header: Vec<String> = g.cells.iter().filter(|c| c.row == 0).map(Cell::joined).collect();
        assert!(header.contains(&"R７\n速報値".to_string()), "{header:?}");
        for e in expected.iter().filter(|e| e.kind == InputKind::Note) {
            let c = note_cell(g, e.cell).unwrap();
            assert_eq!(g.cells[c].col, value_col + 1);
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
        let e = example(2025);
        let lines = e.layout.layout.template.text_lines;
        let (p, expected, _) = prepare(&e, BuildOptions::default()).unwrap();
        let need = p.measured.needed(usize::from(lines));
        for x in expected.iter().filter(|x| x.kind == InputKind::Text) {
            let c = &p.grid.cells[x.cell];
            let h: f32 = p.measured.row_heights[c.row..c.row + c.rowspan].iter().sum();
            assert!(h + 0.01 >= need, "row {}: {h} < {need}", c.row);
        }
    }

    #[test]
    fn unknown_part_is_refused_naming_the_known_ones() {
        let e = example(2025);
        let err = build(&e, Some("総務課"), None).unwrap_err().to_string();
        assert!(err.contains("総務課") && err.contains("地域共生課"), "{err}");
    }

    #[test]
    fn a_layout_without_inputs_is_refused() {
        let e = Edition::load(&Inputs {
            data: Some("data/jigyo-keikaku-r2.json".into()),
            ..Default::default()
        })
        .unwrap();
        let err = build(&e, None, None).unwrap_err().to_string();
        assert!(err.contains("no input column"), "{err}");
    }
}
