//! Applying checked answers to the store's JSON, reporting each change.

use super::store;
use super::{Answer, Answers, Outcome, Source};
use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::lang::tr;
use crate::yearly::report::{Change, Field};
use crate::yearly::{Expected, InputKind};
use std::collections::HashMap;

/// Merges the answers of all files (equal answers agree, different ones
/// conflict) and applies them in the table's order.
pub(super) fn apply(edition: &Edition, expected: &[Expected], all: Answers) -> Result<Outcome, Problems> {
    let year = edition.year;
    let mut problems = Vec::new();
    let find = |key: &super::Key| {
        expected
            .iter()
            .find(|e| e.item_id == key.0 && e.kind == key.1 && e.field_path() == key.2)
    };
    let mut merged: HashMap<super::Key, (Answer, Source)> = HashMap::new();
    for (key, answer, src) in all {
        match merged.get(&key) {
            Some((a, first)) if *a != answer => {
                let Some(e) = find(&key) else { continue };
                problems.push(Problem::new(
                    &src.file,
                    super::place(year, e, &src.cell),
                    tr!(
                        "{answer} but {other} at {cell} gives {other_answer}: the files disagree; correct one of them",
                        answer = show_answer(&answer, e),
                        other = first.file.display(),
                        cell = first.cell,
                        other_answer = show_answer(a, e),
                    ),
                ));
            }
            Some(_) => {}
            None => {
                merged.insert(key, (answer, src));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let id_field = &edition.layout.layout.template.item_id;
    let first = edition.years.first;
    let mut json = edition.data.json.clone();
    let ids = store::index(&json, id_field);
    let mut changes = Vec::new();
    for e in expected.iter().filter(|e| e.kind != InputKind::Note) {
        let key = (e.item_id.clone(), e.kind, e.field_path(), e.year);
        let Some((answer, src)) = merged.get(&key) else {
            continue;
        };
        let at = match ids.get(&e.item_id).map_or(&[][..], |v| &v[..]) {
            [one] => one.clone(),
            found => {
                problems.push(Problem::new(
                    &edition.data.path,
                    "",
                    tr!(
                        "the answer at {file} {cell} is for the item {key} = {id}, which {n} items of the data have; \
                         ids must be unique",
                        file = src.file.display(),
                        cell = src.cell,
                        key = id_field,
                        id = format!("{:?}", e.item_id),
                        n = found.len(),
                    ),
                ));
                continue;
            }
        };
        match answer {
            Answer::Value(entry) => {
                // What the edition shows now; an answer repeating it (a
                // provisional figure left as it was) changes nothing.
                let shows =
                    store::year_value(&json, &at, &e.field, e.year).and_then(|v| v.as_of(e.year, first, year).cloned());
                if shows.as_ref().is_some_and(|x| entry.same_as(x)) {
                    continue;
                }
                let to = store::At {
                    item: &at,
                    field: &e.field,
                    year: e.year,
                    edition: year,
                    first,
                };
                if store::set_value(&mut json, &to, entry).is_some() {
                    let shown = shows.map(|x| {
                        if x.lost {
                            tr!("(lost in the source)")
                        } else {
                            e.show(x.value.as_ref(), x.not_measured, x.note.as_deref())
                        }
                    });
                    changes.push(Change {
                        part: e.part.clone(),
                        item: e.label.clone(),
                        year: e.year,
                        field: e.field_of_report(),
                        old: shown,
                        new: Some(show_answer(answer, e)),
                    });
                }
            }
            Answer::Text(t) => {
                if let Some(old) = store::set_text(&mut json, &at, &e.field, t) {
                    changes.push(Change {
                        part: e.part.clone(),
                        item: e.label.clone(),
                        year,
                        field: e.field_of_report(),
                        old,
                        new: Some(t.clone()),
                    });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    if changes.is_empty() {
        return Ok(Outcome {
            year,
            changes,
            store: None,
            skipped: Vec::new(),
            refused: Vec::new(),
        });
    }
    if let Some(field) = &edition.shape.years.editions
        && store::add_edition(&mut json, field, year)
    {
        changes.push(Change {
            part: None,
            item: String::new(),
            year,
            field: Field::Edition,
            old: None,
            new: Some(crate::era::full_width_digits(&crate::era::fiscal_year(year))),
        });
    }
    let text = store::in_the_form_of(&json, &edition.data.source)
        .map_err(|e| Problem::new(&edition.data.path, "", e.to_string()))?;
    // The new store must pass the checks the old one passed.
    let problems = crate::shape::check::check(&edition.shape, &json, &edition.data.path);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(Outcome {
        year,
        changes,
        store: Some(text),
        skipped: Vec::new(),
        refused: Vec::new(),
    })
}

fn show_answer(a: &Answer, e: &Expected) -> String {
    match a {
        Answer::Value(x) => e.show(x.value.as_ref(), x.value.is_none(), x.note.as_deref()),
        Answer::Text(t) => format!("{t:?}"),
    }
}
