//! The identity of a yearly template: which layout, document years and
//! report year it was made for, which parts of the table it holds, and
//! which data item and field each input cell belongs to.
//!
//! A template records it twice over, so that import never depends on row
//! positions or on what was typed in a label:
//!
//! - a hidden, protected sheet [`SHEET`] holds the identity and one row
//!   per input cell (its defined name, the cell it was written to, the
//!   kind of input, the item's id and the field below the item);
//! - every input cell carries a workbook-level defined name (`_shiryo_in_1`,
//!   …) that spreadsheet programs move along with the cell.
//!
//! An item is known by the value of its id field (the layout's
//! `template.item_id`), not by its position or a digest of the whole
//! data, so that a template stays importable when other items change.

use super::InputKind;
use crate::lang::tr;

/// The name of the hidden identity sheet.
pub const SHEET: &str = "_shiryo";

/// The tag in cell A1 of the identity sheet, with the format version in B1.
pub const TAG: &str = "shiryo-template";

/// The version of the identity sheet's format.
pub const VERSION: &str = "3";

/// Earlier versions still read: version 2 had no year column (every value
/// was the report year's).
const READ_VERSIONS: [&str; 2] = ["2", VERSION];

/// The header of the table of input cells.
const TABLE_HEADER: [&str; 7] = ["name", "cell", "kind", "item", "field", "label", "year"];

/// The rows of the identity sheet before the table of input cells.
const FIELDS: [&str; 6] = ["layout", "shape", "first_year", "last_year", "report_year", "parts"];

/// The kind of an input cell as the identity sheet writes it.
///
/// ```
/// use shiryo::yearly::{InputKind, identity::{kind_name, parse_kind}};
/// assert_eq!(kind_name(InputKind::Note), "note");
/// assert_eq!(parse_kind("text"), Some(InputKind::Text));
/// assert_eq!(parse_kind("label"), None);
/// ```
pub fn kind_name(k: InputKind) -> &'static str {
    match k {
        InputKind::Value => "value",
        InputKind::Note => "note",
        InputKind::Text => "text",
    }
}

/// Parses a kind written by [`kind_name`].
pub fn parse_kind(s: &str) -> Option<InputKind> {
    [InputKind::Value, InputKind::Note, InputKind::Text]
        .into_iter()
        .find(|k| kind_name(*k) == s)
}

/// The defined name of the `n`th input cell (from 1).
///
/// ```
/// assert_eq!(shiryo::yearly::identity::input_name(7), "_shiryo_in_7");
/// ```
pub fn input_name(n: usize) -> String {
    format!("_shiryo_in_{n}")
}

/// One input cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputCell {
    /// The workbook-level defined name pointing at the cell.
    pub name: String,
    /// The cell as written (`F3`), for people reading the sheet; import
    /// follows the defined name.
    pub cell: String,
    /// What the cell holds.
    pub kind: InputKind,
    /// The item's id.
    pub item_id: String,
    /// The field below the item, dotted (`values`, `reports.2025.actions`).
    pub field: String,
    /// A label for people reading the sheet; never read back.
    pub label: String,
    /// The fiscal year of a value (an earlier year's figure to confirm, or
    /// the report year); the report year for notes and texts.
    pub year: i32,
}

/// Everything a template records about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The format version of the identity sheet ([`VERSION`] when written;
    /// an earlier one when read from an older template).
    pub version: String,
    /// The layout's name.
    pub layout: String,
    /// The data's shape.
    pub shape: String,
    /// The document's first and last years.
    pub years: (i32, i32),
    /// The report year (fiscal year).
    pub report_year: i32,
    /// The parts of the table the template holds (values of the layout's
    /// `template.split.by`); empty for the whole table.
    pub parts: Vec<String>,
    /// The input cells.
    pub inputs: Vec<InputCell>,
}

impl Identity {
    /// The identity sheet's rows.
    ///
    /// ```
    /// use shiryo::yearly::identity::Identity;
    /// let id = Identity { version: "3".into(), layout: "l".into(), shape: "s".into(), years: (2022, 2028), report_year: 2025,
    ///                     parts: vec!["健康課".into()], inputs: vec![] };
    /// assert_eq!(Identity::from_rows(&id.to_rows()).unwrap(), id);
    /// ```
    pub fn to_rows(&self) -> Vec<Vec<String>> {
        let s = |t: &str| t.to_string();
        let mut rows = vec![
            vec![s(TAG), self.version.clone()],
            vec![s(FIELDS[0]), self.layout.clone()],
            vec![s(FIELDS[1]), self.shape.clone()],
            vec![s(FIELDS[2]), self.years.0.to_string()],
            vec![s(FIELDS[3]), self.years.1.to_string()],
            vec![s(FIELDS[4]), self.report_year.to_string()],
            std::iter::once(s(FIELDS[5]))
                .chain(self.parts.iter().cloned())
                .collect(),
            vec![],
            TABLE_HEADER.iter().map(|h| s(h)).collect(),
        ];
        for i in &self.inputs {
            rows.push(vec![
                i.name.clone(),
                i.cell.clone(),
                s(kind_name(i.kind)),
                i.item_id.clone(),
                i.field.clone(),
                i.label.clone(),
                i.year.to_string(),
            ]);
        }
        rows
    }

    /// Reads the identity sheet's rows back; the error names the cell.
    pub fn from_rows(rows: &[Vec<String>]) -> Result<Identity, String> {
        let cell = |r: usize, c: usize| rows.get(r).and_then(|row| row.get(c)).map_or("", |s| s.trim());
        let at = |r: usize, c: usize| format!("{SHEET}!{}", a1(r as u32, c as u16));
        if cell(0, 0) != TAG {
            return Err(tr!(
                "{cell}: expected {expected}, found {found}",
                cell = at(0, 0),
                expected = format!("{TAG:?}"),
                found = format!("{:?}", cell(0, 0)),
            ));
        }
        let version = cell(0, 1);
        if !READ_VERSIONS.contains(&version) {
            return Err(tr!(
                "{cell}: expected format version {version}, found {found} \
                 (make a new template with this version of shiryo)",
                cell = at(0, 1),
                version = VERSION,
                found = format!("{:?}", cell(0, 1)),
            ));
        }
        let field = |r: usize| -> Result<String, String> {
            let key = FIELDS[r - 1];
            if cell(r, 0) == key {
                Ok(cell(r, 1).to_string())
            } else {
                Err(tr!(
                    "{cell}: expected {expected}, found {found}",
                    cell = at(r, 0),
                    expected = format!("{key:?}"),
                    found = format!("{:?}", cell(r, 0)),
                ))
            }
        };
        let year = |r: usize| -> Result<i32, String> {
            let v = field(r)?;
            v.parse().map_err(|_| {
                tr!(
                    "{cell}: expected a fiscal year, found {found}",
                    cell = at(r, 1),
                    found = format!("{v:?}"),
                )
            })
        };
        let layout = field(1)?;
        let shape = field(2)?;
        let years = (year(3)?, year(4)?);
        let report_year = year(5)?;
        field(6)?;
        let parts: Vec<String> = rows[6][1..]
            .iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        let columns = if version == "2" { 6 } else { TABLE_HEADER.len() };
        for (c, h) in TABLE_HEADER.iter().take(columns).enumerate() {
            if cell(8, c) != *h {
                return Err(tr!(
                    "{cell}: expected {expected}, found {found}",
                    cell = at(8, c),
                    expected = format!("{h:?}"),
                    found = format!("{:?}", cell(8, c)),
                ));
            }
        }
        let mut inputs = Vec::new();
        for r in 9..rows.len() {
            if (0..5).all(|c| cell(r, c).is_empty()) {
                continue;
            }
            let kind = parse_kind(cell(r, 2)).ok_or_else(|| {
                tr!(
                    "{cell}: expected an input kind (value, note, text), found {found}",
                    cell = at(r, 2),
                    found = format!("{:?}", cell(r, 2)),
                )
            })?;
            for c in [0, 1, 3, 4] {
                if cell(r, c).is_empty() {
                    return Err(tr!(
                        "{cell}: expected the {column}, found nothing",
                        cell = at(r, c),
                        column = TABLE_HEADER[c],
                    ));
                }
            }
            let year = if columns == 6 {
                report_year
            } else {
                cell(r, 6).parse().map_err(|_| {
                    tr!(
                        "{cell}: expected a fiscal year, found {found}",
                        cell = at(r, 6),
                        found = format!("{:?}", cell(r, 6)),
                    )
                })?
            };
            inputs.push(InputCell {
                name: cell(r, 0).to_string(),
                cell: cell(r, 1).to_string(),
                kind,
                item_id: cell(r, 3).to_string(),
                field: cell(r, 4).to_string(),
                label: cell(r, 5).to_string(),
                year,
            });
        }
        Ok(Identity {
            version: version.to_string(),
            layout,
            shape,
            years,
            report_year,
            parts,
            inputs,
        })
    }
}

/// A cell reference in A1 notation from a zero-based row and column.
///
/// ```
/// assert_eq!(shiryo::yearly::identity::a1(2, 5), "F3");
/// assert_eq!(shiryo::yearly::identity::a1(0, 27), "AB1");
/// ```
pub fn a1(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

/// Parses an A1 reference (with or without `$`) into a zero-based row and
/// column inside a sheet's limits (1,048,576 rows, 16,384 columns).
///
/// ```
/// assert_eq!(shiryo::yearly::identity::parse_a1("$F$3"), Some((2, 5)));
/// assert_eq!(shiryo::yearly::identity::parse_a1("AB1"), Some((0, 27)));
/// assert_eq!(shiryo::yearly::identity::parse_a1("F3:G4"), None);
/// assert_eq!(shiryo::yearly::identity::parse_a1("XFE1"), None);
/// ```
pub fn parse_a1(s: &str) -> Option<(u32, u16)> {
    let s = s.replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    if row == 0 || col == 0 || col > 16_384 || row > 1_048_576 {
        return None;
    }
    Some((row - 1, (col - 1) as u16))
}
