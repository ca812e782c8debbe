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
            InputKind::Value => crate::tr!("value"),
            InputKind::Note => crate::tr!("note"),
            InputKind::Text => self.field.last().cloned().unwrap_or_else(|| crate::tr!("text")),
        }
    }
}

/// The inputs a grid of `edition` asks for, in grid order: every cell of
/// an input column that shows a text field, or the report year's entry of
/// a year series (with its note where the layout has a note column).
/// Every item must carry the layout's id field.
pub fn inputs(edition: &Edition, grid: &Grid) -> Result<Vec<Expected>, Problems> {
    let l = &edition.layout.layout;
    let notes = l.template.note_column.is_some();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, c) in grid.cells.iter().enumerate() {
        let Some(s) = &c.source else { continue };
        let kind = match s.kind {
            SourceKind::Text => InputKind::Text,
            SourceKind::YearValue if s.year == Some(edition.year) => InputKind::Value,
            SourceKind::YearValue => continue,
        };
        let Some(item_id) = s.item_id.clone() else {
            problems.push(Problem::new(
                &edition.layout.path,
                "template.item_id",
                crate::tr!(
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
        };
        if kind == InputKind::Value && notes {
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
