//! Finding a template's input cells: through their defined names, cross-
//! checked against the identity sheet, the sheet's locked cells and the
//! inputs the store's table asks for. Any inconsistency is a tampered
//! identity.

use super::workbook::{self, Workbook};
use crate::diag::Problem;
use crate::lang::tr;
use crate::yearly::identity::{self, Identity, InputCell};
use crate::yearly::{Expected, InputKind};
use calamine::Reader;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// An input cell found in the workbook, with what the store expects there.
pub struct Located<'a> {
    /// The identity sheet's row.
    pub input: &'a InputCell,
    /// What the store's table asks for there; `None` for an item the store
    /// no longer has (its answer is skipped).
    pub expected: Option<&'a Expected>,
    /// The sheet the cell is on.
    pub sheet: String,
    /// The cell (zero-based row, column).
    pub pos: (u32, u16),
}

/// Finds every input cell of the identity `id` in the workbook `wb`
/// (read from `file`), checked against `expected`, the inputs of the
/// store's table for the file's report year. `renames` maps parts the
/// file names to what the store calls them now (`--rename 旧=新`).
///
/// The plan may have changed since the template was made: an item the
/// store no longer has is located (its cell stays an input cell) but
/// skipped; an item the store has gained is simply not in the file. An
/// item that is in the file must have all its inputs there.
pub fn locate<'a>(
    file: &Path,
    wb: &mut Workbook,
    id: &'a Identity,
    expected: &'a [Expected],
    renames: &[(String, String)],
) -> Result<Vec<Located<'a>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad = |place: String, msg: String| {
        problems.push(Problem::new(
            file,
            place,
            tr!("tampered identity: {problem}", problem = msg),
        ))
    };
    let names: HashMap<String, String> = wb
        .xlsx
        .defined_names()
        .iter()
        .map(|(n, f)| (n.clone(), f.clone()))
        .collect();
    let by_key: HashMap<(&str, InputKind, String, i32), &Expected> = expected
        .iter()
        .map(|e| ((e.item_id.as_str(), e.kind, e.field_path(), e.year), e))
        .collect();
    let parts: HashSet<&str> = expected.iter().filter_map(|e| e.part.as_deref()).collect();
    let file_parts: Vec<String> = id
        .parts
        .iter()
        .map(|d| {
            renames
                .iter()
                .find(|(old, _)| old == d)
                .map_or_else(|| d.clone(), |(_, new)| new.clone())
        })
        .collect();
    for d in &file_parts {
        if !parts.contains(d.as_str()) {
            let mut known: Vec<&str> = parts.iter().copied().collect();
            known.sort_unstable();
            bad(
                identity::SHEET.into(),
                tr!(
                    "the file names the part {part}, which no row of the store has (parts: {known}); \
                     if it was renamed, give --rename {name}=NEW",
                    part = format!("{d:?}"),
                    known = known.join(", "),
                    name = d,
                ),
            );
        }
    }
    if id.inputs.is_empty() {
        bad(identity::SHEET.into(), tr!("the identity sheet lists no input cell"));
    }
    let in_file = |e: &Expected| file_parts.is_empty() || e.part.as_ref().is_some_and(|p| file_parts.contains(p));
    let known_items: HashSet<&str> = expected.iter().map(|e| e.item_id.as_str()).collect();
    let mut located = Vec::new();
    let mut seen = HashSet::new();
    let mut seen_cells = HashMap::new();
    for input in &id.inputs {
        let place = tr!("{sheet} row of {name}", sheet = identity::SHEET, name = input.name);
        let e = by_key
            .get(&(input.item_id.as_str(), input.kind, input.field.clone(), input.year))
            .copied();
        if e.is_none() && known_items.contains(input.item_id.as_str()) {
            bad(
                place.clone(),
                tr!(
                    "the store's table asks for no {kind} {field} of an item {id}",
                    kind = identity::kind_name(input.kind),
                    field = format!("{:?}", input.field),
                    id = format!("{:?}", input.item_id),
                ),
            );
            continue;
        }
        if let Some(e) = e
            && !in_file(e)
        {
            bad(
                place.clone(),
                tr!(
                    "{item} belongs to {part}, not to the file's part(s) {parts}",
                    item = e.name(),
                    part = e.part.as_deref().unwrap_or_default(),
                    parts = file_parts.join(", "),
                ),
            );
        }
        if !seen.insert((input.item_id.as_str(), input.kind, input.field.as_str(), input.year)) {
            bad(
                place.clone(),
                tr!(
                    "the {kind} of {label} is listed twice",
                    kind = identity::kind_name(input.kind),
                    label = input.label,
                ),
            );
        }
        let Some(formula) = names.get(&input.name) else {
            bad(place, tr!("the workbook has no defined name {name}", name = input.name));
            continue;
        };
        let Some((sheet, pos)) = workbook::parse_reference(formula) else {
            bad(
                place,
                tr!(
                    "the name {name} refers to {target}, not to one cell",
                    name = input.name,
                    target = format!("{formula:?}"),
                ),
            );
            continue;
        };
        if let Some(other) = seen_cells.insert((sheet.clone(), pos), input.name.clone()) {
            bad(
                place.clone(),
                tr!(
                    "{name} and {other} name the same cell {cell}",
                    name = input.name,
                    other = other,
                    cell = identity::a1(pos.0, pos.1),
                ),
            );
        }
        located.push(Located {
            input,
            expected: e,
            sheet,
            pos,
        });
    }
    // Every input of an item in the file has its cell (an item the store
    // gained since the template was made is not in the file at all).
    let kinds: HashSet<InputKind> = id.inputs.iter().map(|i| i.kind).collect();
    let in_the_file: HashSet<&str> = located
        .iter()
        .filter(|l| l.expected.is_some())
        .map(|l| l.input.item_id.as_str())
        .collect();
    let mut missing: Vec<(String, String)> = expected
        .iter()
        // Earlier years' figures are asked only while provisional.
        .filter(|e| e.year == id.report_year)
        .filter(|e| in_file(e) && kinds.contains(&e.kind) && in_the_file.contains(e.item_id.as_str()))
        .filter(|e| !seen.contains(&(e.item_id.as_str(), e.kind, e.field_path().as_str(), e.year)))
        .map(|e| (e.name(), e.what()))
        .collect();
    missing.sort();
    for (name, what) in missing {
        bad(
            identity::SHEET.into(),
            tr!(
                "the {what} of {item} has no input cell, though the file holds the rows of its part",
                what = what,
                item = name,
            ),
        );
    }
    let sheets: HashSet<&str> = located.iter().map(|l| l.sheet.as_str()).collect();
    if sheets.len() > 1 || sheets.contains(identity::SHEET) {
        let mut list: Vec<&str> = sheets.iter().copied().collect();
        list.sort_unstable();
        bad(
            String::new(),
            tr!(
                "the input cells are expected on one table sheet, found on {sheets}",
                sheets = format!("{list:?}"),
            ),
        );
    }
    // The sheet's unlocked cells, checked even when the identity is already
    // inconsistent, so that every problem is named at once.
    let one_sheet = sheets.len() == 1 && !sheets.contains(identity::SHEET);
    if one_sheet
        && let Some(sheet) = located.first().map(|l| l.sheet.clone())
        && let Err(mut more) = unlocked_match(file, wb, &sheet, id.report_year, &located)
    {
        problems.append(&mut more);
    }
    if problems.is_empty() {
        Ok(located)
    } else {
        Err(problems)
    }
}

/// The sheet's unlocked cells are exactly the located input cells (and the
/// other cells of a merged input cell).
fn unlocked_match(file: &Path, wb: &Workbook, sheet: &str, year: i32, located: &[Located]) -> Result<(), Vec<Problem>> {
    let facts = wb.sheet_facts(sheet).map_err(|e| vec![Problem::new(file, "", e)])?;
    let mut problems = Vec::new();
    let mut bad = |place: String, msg: String| {
        problems.push(Problem::new(
            file,
            place,
            tr!("tampered identity: {problem}", problem = msg),
        ))
    };
    for l in located {
        if !facts.unlocked.contains(&l.pos) {
            let at = identity::a1(l.pos.0, l.pos.1);
            bad(
                match l.expected {
                    Some(e) => super::place(year, e, &at),
                    None => tr!("{label} at {cell}", label = l.input.label, cell = at),
                },
                tr!("the cell is locked: it is not an input cell of the template"),
            );
        }
    }
    let named: HashSet<(u32, u16)> = located.iter().map(|l| l.pos).collect();
    let mut stray: Vec<(u32, u16)> = facts
        .unlocked
        .iter()
        .filter(|p| !named.contains(p))
        .filter(|(r, c)| {
            // The other cells of a merged input cell share its format.
            !facts
                .merged
                .iter()
                .any(|&(r0, c0, r1, c1)| (r0..=r1).contains(r) && (c0..=c1).contains(c) && named.contains(&(r0, c0)))
        })
        .copied()
        .collect();
    stray.sort_unstable();
    for (r, c) in stray {
        bad(
            format!("{sheet}!{}", identity::a1(r, c)),
            tr!("the cell is unlocked, but the identity sheet lists no input there"),
        );
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}
