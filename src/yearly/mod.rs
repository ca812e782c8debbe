//! The yearly cycle's wing: the templates each part of the office fills
//! in ([`template`]), the identity they carry ([`identity`]), and the import
//! of filled templates back into the data ([`import`]).
//!
//! It stands beside the pipeline, not inside it: the table stage marks the
//! data field each cell of an input column shows ([`crate::table::Source`]),
//! and the workbook renderer takes this wing's additions through
//! [`crate::render::xlsx::Hook`]. Which columns take input, which field
//! identifies an item and how templates are split are the layout's words
//! (`input`, `template.item_id`, `template.split`).

pub mod diff;
pub mod identity;
pub mod import;
pub mod report;
mod sheet;
pub mod status;
pub mod template;

use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::table::{Grid, SourceKind};

/// The longest text that may be typed into a text cell, in characters.
pub const MAX_TEXT_CHARS: u32 = 1000;

/// The kinds of input cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    /// The report year's entry of a year series.
    Value,
    /// The note of that entry (`※速報値`), from the layout's
    /// `template.note_column`.
    Note,
    /// A text field.
    Text,
}

/// One input the edition's table asks for: the item, its field, and what
/// the messages call it. The one map of items that templates and import
/// both use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// What kind of input.
    pub kind: InputKind,
    /// The item's id.
    pub item_id: String,
    /// The field below the item.
    pub field: Vec<String>,
    /// The row's label (`ほっとネット推進員登録者数`).
    pub label: String,
    /// The part of the table the item is in (its `template.split.by`
    /// value), if the layout splits templates.
    pub part: Option<String>,
    /// The unit of a value.
    pub unit: Option<String>,
    /// How the unit is written right after a number.
    pub unit_after: Option<String>,
    /// The grid cell that shows it (for a note, the value's cell).
    pub cell: usize,
    /// The fiscal year of a value: the report year, or an earlier year
    /// whose figure the report year's template may confirm; the report
    /// year for a text.
    pub year: i32,
}

impl Expected {
    /// `地域共生課/ほっとネット推進員登録者数`: the part and the label.
    pub fn name(&self) -> String {
        match &self.part {
            Some(p) if !p.is_empty() => format!("{p}/{}", self.label),
            _ => self.label.clone(),
        }
    }

    /// The field as written in the identity sheet.
    pub fn field_path(&self) -> String {
        self.field.join(".")
    }

    /// A year's entry of this input as the change report and status show
    /// it: the figure with its unit (`1085112人`) and note, or ― for not
    /// measured.
    pub fn show(&self, value: Option<&crate::value::Decimal>, not_measured: bool, note: Option<&str>) -> String {
        if not_measured {
            return "―".to_string();
        }
        let unit = self.unit.as_deref().unwrap_or("");
        let after = self.unit_after.as_deref().unwrap_or(unit);
        let mut s = value.map_or(String::new(), |v| format!("{}{after}", v.as_str()));
        if let Some(n) = note {
            s.push(' ');
            s.push_str(n);
        }
        s
    }

    /// What a change report calls this input's field.
    pub fn field_of_report(&self) -> report::Field {
        match self.kind {
            InputKind::Value | InputKind::Note => report::Field::Value,
            InputKind::Text => report::Field::Text(self.field.last().cloned().unwrap_or_default()),
        }
    }

    /// What the messages call this input, in the run's language: `value`,
    /// `note`, or the text field's own name (`actions`).
    pub fn what(&self) -> String {
        match self.kind {
            InputKind::Value => crate::lang::tr!("value"),
            InputKind::Note => crate::lang::tr!("note"),
            InputKind::Text => self.field.last().cloned().unwrap_or_else(|| crate::lang::tr!("text")),
        }
    }
}

/// The inputs a grid of `edition` may ask for, in grid order: every cell
/// of an input column that shows a text field, the report year's entry of
/// a year series (with its note where the layout has a note column), and
/// the entries of earlier years (a template asks for those only while
/// they are provisional, to confirm them: [`confirmable`]). Every item
/// must carry the layout's id field.
pub fn inputs(edition: &Edition, grid: &Grid) -> Result<Vec<Expected>, Problems> {
    let l = &edition.layout.layout;
    let notes = l.template.note_column.is_some();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, c) in grid.cells.iter().enumerate() {
        let Some(s) = &c.source else { continue };
        let (kind, year) = match (s.kind, s.year) {
            (SourceKind::Text, _) => (InputKind::Text, edition.year),
            (SourceKind::YearValue, Some(y)) if y <= edition.year => (InputKind::Value, y),
            (SourceKind::YearValue, _) => continue,
        };
        let Some(item_id) = s.item_id.clone() else {
            problems.push(Problem::new(
                &edition.layout.path,
                "template.item_id",
                crate::lang::tr!(
                    "the item of {label} (row {row}) has no field {field} to identify it when its template comes back: \
                     give the items an id field and name it in template.item_id",
                    label = format!("{:?}", s.label),
                    row = c.row - grid.header_rows + 1,
                    field = format!("{:?}", l.template.item_id),
                ),
            ));
            continue;
        };
        let e = Expected {
            kind,
            item_id,
            field: s.field.clone(),
            label: s.label.clone(),
            part: s.split.clone(),
            unit: s.unit.clone(),
            unit_after: s.unit_after.clone(),
            cell: i,
            year,
        };
        if kind == InputKind::Value && notes && year == edition.year {
            let note = Expected {
                kind: InputKind::Note,
                ..e.clone()
            };
            out.push(e);
            out.push(note);
        } else {
            out.push(e);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.truncate(20);
        Err(Problems(problems))
    }
}

/// What the data holds for the inputs of an edition: each item found once
/// by its id.
pub struct Stored<'e> {
    /// The edition.
    edition: &'e Edition,
    /// The JSON pointers of the items, by id.
    ids: std::collections::HashMap<String, Vec<String>>,
}

impl<'e> Stored<'e> {
    /// The data of `edition`, indexed by the layout's item id.
    pub fn new(edition: &'e Edition) -> Stored<'e> {
        let ids = import::store::index(&edition.data.json, &edition.layout.layout.template.item_id);
        Stored { edition, ids }
    }

    /// The JSON pointer of an input's item.
    pub fn item(&self, e: &Expected) -> Option<&str> {
        self.ids.get(&e.item_id).and_then(|v| v.first()).map(String::as_str)
    }

    /// What the edition shows for a value input: the entry of its year as
    /// of the report year.
    pub fn entry(&self, e: &Expected) -> Option<crate::value::YearEntry> {
        let json = &self.edition.data.json;
        let v = import::store::year_value(json, self.item(e)?, &e.field, e.year)?;
        v.as_of(e.year, self.edition.years.first, self.edition.year).cloned()
    }

    /// The stored text of a text input.
    pub fn text(&self, e: &Expected) -> Option<String> {
        import::store::text(&self.edition.data.json, self.item(e)?, &e.field)
    }

    /// Whether a template of the report year asks for this input: every
    /// input of the report year, and an earlier year's value while the
    /// edition still shows it provisional (with a note), to confirm it.
    pub fn asked(&self, e: &Expected) -> bool {
        e.year == self.edition.year
            || (e.kind == InputKind::Value
                && self
                    .entry(e)
                    .is_some_and(|x| x.note.is_some() && !x.not_measured && x.value.is_some()))
    }
}
