//! Reading one filled template: its identity, then its answers.

use super::answer::{Rules, parse_entry, parse_note, parse_text};
use super::locate::locate;
use super::workbook::{self, Workbook};
use super::{Answer, Answers, Source, place};
use crate::diag::Problem;
use crate::edition::Edition;
use crate::lang::tr;
use crate::yearly::identity::{self, Identity};
use crate::yearly::{Expected, InputKind, inputs};
use calamine::{Data, Reader};
use std::collections::HashMap;
use std::path::Path;

/// Reads one file: its report year and answers, or every problem found.
/// `editions` caches the store's edition and expected inputs per year.
pub(super) fn read_file(
    file: &Path,
    store: &Edition,
    editions: &mut HashMap<i32, (Edition, Vec<Expected>)>,
    rules: &Rules,
    renames: &[(String, String)],
) -> Result<(i32, Answers, Vec<String>), Vec<Problem>> {
    let whole = |msg: String| vec![Problem::new(file, "", msg)];
    let mut wb = Workbook::open(file).map_err(whole)?;
    let id = read_identity(file, &mut wb)?;
    let l = &store.layout.layout;
    if id.layout != l.name || id.shape != store.shape.name {
        return Err(whole(tr!(
            "the file was made with the layout {layout} for data of the shape {shape}, \
             but the store {store} renders with {store_layout} ({store_shape})",
            layout = format!("{:?}", id.layout),
            shape = format!("{:?}", id.shape),
            store = store.data.path.display(),
            store_layout = format!("{:?}", l.name),
            store_shape = format!("{:?}", store.shape.name),
        )));
    }
    let ys = store.years;
    if id.years != (ys.first, ys.last) {
        return Err(whole(tr!(
            "the file was made for the years {first}–{last}, but the store's document runs {store_first}–{store_last}",
            first = id.years.0,
            last = id.years.1,
            store_first = ys.first,
            store_last = ys.last,
        )));
    }
    if !ys.contains(id.report_year) {
        return Err(whole(tr!(
            "the file is for the report year {year}, outside the document's years {first}–{last}",
            year = id.report_year,
            first = ys.first,
            last = ys.last,
        )));
    }
    let year = id.report_year;
    let expected = match editions.entry(year) {
        std::collections::hash_map::Entry::Occupied(o) => &o.into_mut().1,
        std::collections::hash_map::Entry::Vacant(v) => {
            let e = store.for_year(year).map_err(|p| p.0)?;
            let grid = crate::table::build(&e, &Default::default()).map_err(|p| p.0)?;
            let expected = inputs(&e, &grid).map_err(|p| p.0)?;
            &v.insert((e, expected)).1
        }
    };
    let cells = locate(file, &mut wb, &id, expected, renames)?;
    let mut skipped: Vec<String> = Vec::new();
    let sheet = cells.first().map(|c| c.sheet.clone()).unwrap_or_default();
    let range = wb.range(&sheet).map_err(whole)?;
    let formulas = if cells.is_empty() {
        Default::default()
    } else {
        wb.sheet_facts(&sheet).map_err(whole)?.formulas
    };
    let mut problems = Vec::new();
    let mut answers: Answers = Vec::new();
    let mut notes: Vec<(super::Key, String, String, &Expected)> = Vec::new();
    for c in &cells {
        let Some(e) = c.expected else {
            // An item the store no longer has: its answer is not taken.
            let note = tr!(
                "{file}: {label} (item {id}) is no longer in the store; its answers are skipped",
                file = file.display(),
                label = c.input.label,
                id = format!("{:?}", c.input.item_id),
            );
            if !skipped.contains(&note) {
                skipped.push(note);
            }
            continue;
        };
        let data = range
            .get_value((c.pos.0, u32::from(c.pos.1)))
            .cloned()
            .unwrap_or(Data::Empty);
        let at = identity::a1(c.pos.0, c.pos.1);
        let here = place(year, e, &at);
        let src = Source {
            file: file.to_path_buf(),
            cell: at.clone(),
        };
        let key = (e.item_id.clone(), e.kind, e.field_path(), e.year);
        if formulas.contains(&c.pos) && data == Data::Empty {
            problems.push(Problem::new(
                file,
                here,
                tr!("the cell holds a formula saved without its result; type the value itself"),
            ));
            continue;
        }
        match e.kind {
            InputKind::Value => {
                match parse_entry(&data, e.unit.as_deref().unwrap_or(""), e.unit_after.as_deref(), rules) {
                    Ok(Some(v)) => answers.push((key, Answer::Value(v), src)),
                    Ok(None) => {}
                    Err(msg) => problems.push(Problem::new(file, here, msg)),
                }
            }
            InputKind::Note => match parse_note(&data, rules) {
                Ok(Some(n)) => notes.push((key, n, at, e)),
                Ok(None) => {}
                Err(msg) => problems.push(Problem::new(file, here, msg)),
            },
            InputKind::Text => match parse_text(&data, rules) {
                Ok(Some(t)) => answers.push((key, Answer::Text(t), src)),
                Ok(None) => {}
                Err(msg) => problems.push(Problem::new(file, here, msg)),
            },
        }
    }
    for (key, note, at, e) in notes {
        match answers
            .iter_mut()
            .find(|(k, _, _)| k.0 == key.0 && k.1 == InputKind::Value && k.2 == key.2 && k.3 == key.3)
        {
            Some((_, Answer::Value(v), _)) => v.note = Some(note),
            _ => problems.push(Problem::new(
                file,
                place(year, e, &at),
                tr!(
                    "{note} marks a value, but the {year} value is blank: type the value or clear the note",
                    note = note,
                    year = crate::era::short(year),
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok((year, answers, skipped))
    } else {
        Err(problems)
    }
}

/// The identity a template file records: its layout, years, report year
/// and parts.
pub fn identity_of(file: &Path) -> Result<Identity, Vec<Problem>> {
    let mut wb = Workbook::open(file).map_err(|msg| vec![Problem::new(file, "", msg)])?;
    read_identity(file, &mut wb)
}

/// The identity sheet of a workbook.
fn read_identity(file: &Path, wb: &mut Workbook) -> Result<Identity, Vec<Problem>> {
    let whole = |msg: String| vec![Problem::new(file, "", msg)];
    if !wb.xlsx.sheet_names().iter().any(|s| s == identity::SHEET) {
        return Err(whole(tr!(
            "not a shiryo template: the workbook has no {sheet} sheet (make templates with `shiryo template`)",
            sheet = identity::SHEET,
        )));
    }
    let range = wb.range(identity::SHEET).map_err(whole)?;
    // The range starts at its first used cell: place cells where they are.
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (r, c, d) in range.used_cells() {
        let (r, c) = (r + r0 as usize, c + c0 as usize);
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, String::new());
        }
        rows[r][c] = workbook::cell_text(d);
    }
    Identity::from_rows(&rows).map_err(|e| whole(tr!("tampered identity: {problem}", problem = e)))
}
