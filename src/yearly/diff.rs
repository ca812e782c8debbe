//! `shiryo diff`: what changed between two editions of a document, as the
//! tables print them: every input cell of the later edition's table (a
//! year's value, a text) against the same item's cell in the earlier one.
//! A provisional figure confirmed later shows as a changed value of its
//! year; a text column shows the earlier edition's text against the later.

use super::import::store;
use super::report::{Change, Field};
use crate::diag::Problems;
use crate::edition::Edition;
use crate::table::{self, SourceKind};
use std::collections::{HashMap, HashSet};

/// A cell's key across editions: the item (its id, else its label), the
/// column and, for a year's value, the year.
type Key = (String, String, Option<i32>);

/// What one edition's table shows in one input cell.
struct Shown {
    part: Option<String>,
    item: String,
    year: i32,
    field: Field,
    content: Option<String>,
}

/// The changes from the edition `from` to the edition `to` of the same
/// document, in the later table's order (items only the earlier table
/// has come last, their contents going blank).
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::edition::{Edition, Inputs};
/// let r5 = Edition::load(&Inputs { year: Some(2023), ..Default::default() })?;
/// let r6 = r5.for_year(2024)?;
/// let changes = shiryo::yearly::diff::diff(&r5, &r6)?;
/// // 令和５年度's provisional figure, confirmed in the 令和６年度 edition.
/// assert!(changes.iter().any(|c| c.year == 2023 && c.old.as_deref() == Some("1,041,486人 ※速報値")));
/// // A figure the 令和５年度 table left blank, reported in the 令和６年度 one.
/// assert!(changes.iter().any(|c| c.year == 2024 && c.old.is_none() && c.new.as_deref() == Some("1,085,112人 ※速報値")));
/// // Nothing changes between an edition and itself.
/// assert!(shiryo::yearly::diff::diff(&r6, &r6)?.is_empty());
/// # Ok(()) }
/// ```
pub fn diff(from: &Edition, to: &Edition) -> Result<Vec<Change>, Problems> {
    let before = shown(from)?;
    let after = shown(to)?;
    let mut changes = Vec::new();
    let change = |s: &Shown, old: Option<String>, new: Option<String>| Change {
        part: s.part.clone(),
        item: s.item.clone(),
        year: s.year,
        field: s.field.clone(),
        old,
        new,
    };
    let earlier: HashMap<&Key, &Shown> = before.iter().map(|(k, s)| (k, s)).collect();
    let items: HashSet<&str> = after.iter().map(|(k, _)| k.0.as_str()).collect();
    for (key, s) in &after {
        let old = earlier.get(key).and_then(|b| b.content.clone());
        if old != s.content {
            changes.push(change(s, old, s.content.clone()));
        }
    }
    // An item the later table no longer has (a year column it no longer
    // shows is no change).
    for (key, b) in &before {
        if b.content.is_some() && !items.contains(key.0.as_str()) {
            changes.push(change(b, b.content.clone(), None));
        }
    }
    Ok(changes)
}

/// Every input cell of an edition's table with what it shows.
fn shown(edition: &Edition) -> Result<Vec<(Key, Shown)>, Problems> {
    let grid = table::build(edition, &Default::default())?;
    let id_field = &edition.layout.layout.template.item_id;
    let json = &edition.data.json;
    let ids = store::index(json, id_field);
    let mut out: Vec<(Key, Shown)> = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    for c in &grid.cells {
        let Some(s) = &c.source else { continue };
        let lines = c.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>();
        let (field, year, content) = match (s.kind, s.year) {
            (SourceKind::YearValue, Some(y)) => {
                // A figure and its note on one line: `1,085,112人 ※速報値`.
                let text = lines.join(" ");
                let reported = s.item_id.as_deref().is_some_and(|id| {
                    ids.get(id).and_then(|v| v.first()).is_some_and(|at| {
                        store::year_value(json, at, &s.field, y)
                            .is_some_and(|v| v.as_of(y, edition.years.first, edition.year).is_some())
                    })
                });
                (Field::Value, y, reported.then_some(text))
            }
            _ => {
                let text = lines.join("\n");
                let name = s.field.last().cloned().unwrap_or_default();
                let content = (!text.trim().is_empty()).then_some(text);
                (Field::Text(name), edition.year, content)
            }
        };
        let key = (
            s.item_id.clone().unwrap_or_else(|| s.label.clone()),
            grid.columns[c.col].id.clone(),
            s.year,
        );
        if !seen.insert(key.clone()) {
            continue;
        }
        out.push((
            key,
            Shown {
                part: s.split.clone(),
                item: s.label.clone(),
                year,
                field,
                content,
            },
        ));
    }
    Ok(out)
}
