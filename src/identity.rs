//! The identity of a yearly template: which plan and report year it was
//! made for, which departments' rows it holds, and which data item each
//! input cell belongs to.
//!
//! A template records it twice over, so that import never depends on row
//! positions or on what a department typed in a label:
//!
//! - a hidden, protected sheet [`SHEET`] holds the plan's identity, the
//!   report year, the departments and one row per input cell (its defined
//!   name, the cell it was written to, the kind of input and the item id);
//! - every input cell carries a workbook-level defined name (`_shiryo_in_1`,
//!   …) that spreadsheet programs move along with the cell.
//!
//! Import finds each input cell through its defined name and cross-checks
//! the rest (see `import`): the named cell must be an unlocked cell of the
//! main sheet, the item must exist in the store and belong to one of the
//! file's departments, and no item or cell may appear twice.

use crate::data::Plan;
use crate::layout::InputKind;
use sha2::{Digest, Sha256};

/// The name of the hidden identity sheet.
pub const SHEET: &str = "_shiryo";

/// The tag in cell A1 of the identity sheet, with the format version in B1.
pub const TAG: &str = "shiryo-template";

/// The version of the identity sheet's format.
pub const VERSION: &str = "1";

/// The header of the table of input cells.
const TABLE_HEADER: [&str; 5] = ["name", "cell", "kind", "item", "label"];

/// What identifies a plan: its names, its years and a fingerprint of its
/// indicator and measure ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanId {
    /// The plan's `title`.
    pub title: String,
    /// The plan's `plan` name.
    pub plan: String,
    /// The baseline year.
    pub baseline_year: i32,
    /// The target year, if any.
    pub target_year: Option<i32>,
    /// SHA-256 (hex) of the ids of every indicator and measure, in order,
    /// one per line.
    pub fingerprint: String,
}

impl PlanId {
    /// The identity of `plan`.
    ///
    /// ```
    /// let plan = shiryo::cli::load_plan(None).unwrap();
    /// let id = shiryo::identity::PlanId::of(&plan.plan);
    /// assert_eq!(id.baseline_year, 2022);
    /// assert_eq!(id.fingerprint.len(), 64);
    /// ```
    pub fn of(plan: &Plan) -> PlanId {
        let mut ids = String::new();
        for goal in &plan.goals {
            for ind in &goal.indicators {
                ids.push_str(&ind.id);
                ids.push('\n');
                for m in &ind.measures {
                    ids.push_str(&m.id);
                    ids.push('\n');
                }
            }
        }
        let digest = Sha256::digest(ids.as_bytes());
        PlanId {
            title: plan.title.clone(),
            plan: plan.plan.clone(),
            baseline_year: plan.baseline_year,
            target_year: plan.target_year,
            fingerprint: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    /// Where `self` (a file's plan) differs from `store`, as a message.
    pub fn mismatch(&self, store: &PlanId) -> Option<String> {
        let year = |y: Option<i32>| y.map_or("none".to_string(), |y| y.to_string());
        if self.title != store.title || self.plan != store.plan {
            Some(format!(
                "the file was made for the plan {:?} ({}), but the store holds {:?} ({})",
                self.plan, self.title, store.plan, store.title
            ))
        } else if self.baseline_year != store.baseline_year || self.target_year != store.target_year {
            Some(format!(
                "the file was made for years {}–{}, but the store's plan runs {}–{}",
                self.baseline_year,
                year(self.target_year),
                store.baseline_year,
                year(store.target_year)
            ))
        } else if self.fingerprint != store.fingerprint {
            Some(
                "the file was made for another version of the plan: its indicators differ from the store's \
                 (make a new template from the current store)"
                    .to_string(),
            )
        } else {
            None
        }
    }
}

/// The kind of an input cell as the identity sheet writes it.
///
/// ```
/// use shiryo::identity::{kind_name, parse_kind};
/// use shiryo::layout::InputKind;
/// assert_eq!(kind_name(InputKind::Note), "note");
/// assert_eq!(parse_kind("outlook"), Some(InputKind::Outlook));
/// assert_eq!(parse_kind("label"), None);
/// ```
pub fn kind_name(k: InputKind) -> &'static str {
    match k {
        InputKind::Value => "value",
        InputKind::Note => "note",
        InputKind::Actions => "actions",
        InputKind::Outlook => "outlook",
    }
}

/// Parses a kind written by [`kind_name`].
pub fn parse_kind(s: &str) -> Option<InputKind> {
    [
        InputKind::Value,
        InputKind::Note,
        InputKind::Actions,
        InputKind::Outlook,
    ]
    .into_iter()
    .find(|k| kind_name(*k) == s)
}

/// The defined name of the `n`th input cell (from 1).
///
/// ```
/// assert_eq!(shiryo::identity::input_name(7), "_shiryo_in_7");
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
    /// The indicator's id (texts) or the measured row's id (values, notes).
    pub item_id: String,
    /// A label for people reading the sheet; never read back.
    pub label: String,
}

/// Everything a template records about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The plan the template was made from.
    pub plan: PlanId,
    /// The report year (fiscal year).
    pub report_year: i32,
    /// The departments whose rows the template holds.
    pub departments: Vec<String>,
    /// The input cells.
    pub inputs: Vec<InputCell>,
}

impl Identity {
    /// The identity sheet's rows.
    ///
    /// ```
    /// use shiryo::identity::{Identity, PlanId};
    /// let plan = shiryo::cli::load_plan(None).unwrap();
    /// let id = Identity { plan: PlanId::of(&plan.plan), report_year: 2025,
    ///                     departments: vec!["健康課".into()], inputs: vec![] };
    /// let rows = id.to_rows();
    /// assert_eq!(Identity::from_rows(&rows).unwrap(), id);
    /// ```
    pub fn to_rows(&self) -> Vec<Vec<String>> {
        let s = |t: &str| t.to_string();
        let p = &self.plan;
        let mut rows = vec![
            vec![s(TAG), s(VERSION)],
            vec![s("title"), p.title.clone()],
            vec![s("plan"), p.plan.clone()],
            vec![s("baseline_year"), p.baseline_year.to_string()],
            vec![
                s("target_year"),
                p.target_year.map(|y| y.to_string()).unwrap_or_default(),
            ],
            vec![s("fingerprint"), p.fingerprint.clone()],
            vec![s("report_year"), self.report_year.to_string()],
            std::iter::once(s("departments"))
                .chain(self.departments.iter().cloned())
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
                i.label.clone(),
            ]);
        }
        rows
    }

    /// Reads the identity sheet's rows back; the error names the cell.
    pub fn from_rows(rows: &[Vec<String>]) -> Result<Identity, String> {
        let cell = |r: usize, c: usize| rows.get(r).and_then(|row| row.get(c)).map_or("", |s| s.trim());
        let at = |r: usize, c: usize| format!("{SHEET}!{}", a1(r as u32, c as u16));
        if cell(0, 0) != TAG {
            return Err(format!("{}: expected {TAG:?}, found {:?}", at(0, 0), cell(0, 0)));
        }
        if cell(0, 1) != VERSION {
            return Err(format!(
                "{}: expected format version {VERSION}, found {:?}",
                at(0, 1),
                cell(0, 1)
            ));
        }
        let field = |r: usize, key: &str| -> Result<String, String> {
            if cell(r, 0) == key {
                Ok(cell(r, 1).to_string())
            } else {
                Err(format!("{}: expected {key:?}, found {:?}", at(r, 0), cell(r, 0)))
            }
        };
        let year = |r: usize, key: &str| -> Result<i32, String> {
            let v = field(r, key)?;
            v.parse()
                .map_err(|_| format!("{}: expected a fiscal year, found {v:?}", at(r, 1)))
        };
        let target = field(4, "target_year")?;
        let plan = PlanId {
            title: field(1, "title")?,
            plan: field(2, "plan")?,
            baseline_year: year(3, "baseline_year")?,
            target_year: if target.is_empty() {
                None
            } else {
                Some(year(4, "target_year")?)
            },
            fingerprint: field(5, "fingerprint")?,
        };
        let report_year = year(6, "report_year")?;
        field(7, "departments")?;
        let departments: Vec<String> = rows[7][1..]
            .iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        for (c, h) in TABLE_HEADER.iter().enumerate() {
            if cell(9, c) != *h {
                return Err(format!("{}: expected {h:?}, found {:?}", at(9, c), cell(9, c)));
            }
        }
        let mut inputs = Vec::new();
        for r in 10..rows.len() {
            if (0..4).all(|c| cell(r, c).is_empty()) {
                continue;
            }
            let kind = parse_kind(cell(r, 2)).ok_or_else(|| {
                format!(
                    "{}: expected an input kind (value, note, actions, outlook), found {:?}",
                    at(r, 2),
                    cell(r, 2)
                )
            })?;
            for c in [0, 1, 3] {
                if cell(r, c).is_empty() {
                    return Err(format!("{}: expected the {}, found nothing", at(r, c), TABLE_HEADER[c]));
                }
            }
            inputs.push(InputCell {
                name: cell(r, 0).to_string(),
                cell: cell(r, 1).to_string(),
                kind,
                item_id: cell(r, 3).to_string(),
                label: cell(r, 4).to_string(),
            });
        }
        Ok(Identity {
            plan,
            report_year,
            departments,
            inputs,
        })
    }
}

/// A cell reference in A1 notation from a zero-based row and column.
///
/// ```
/// assert_eq!(shiryo::identity::a1(2, 5), "F3");
/// assert_eq!(shiryo::identity::a1(0, 27), "AB1");
/// ```
pub fn a1(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
}

/// Parses an A1 reference (with or without `$`) into a zero-based row and
/// column.
///
/// ```
/// assert_eq!(shiryo::identity::parse_a1("$F$3"), Some((2, 5)));
/// assert_eq!(shiryo::identity::parse_a1("AB1"), Some((0, 27)));
/// assert_eq!(shiryo::identity::parse_a1("F3:G4"), None);
/// ```
pub fn parse_a1(s: &str) -> Option<(u32, u16)> {
    let s = s.replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    if row == 0 || col == 0 || col > 16_384 || row > 1_048_576 {
        return None;
    }
    Some((row - 1, (col - 1) as u16))
}
