//! `shiryo import`: filled yearly templates back into the data file.
//!
//! Every file is read and checked before anything is written, in three
//! steps:
//!
//! 1. [`read`]: the file is a workbook of sane size ([`workbook`]); its
//!    identity names the store's layout, shape and years, and one report
//!    year shared by every file;
//! 2. [`locate`]: every input cell is found through its defined name, is an
//!    unlocked cell of the table's sheet, and is an input the store's table
//!    asks for in one of the file's parts; every unlocked cell is an input
//!    cell; nothing is listed twice;
//! 3. [`read`] again: every answer is valid ([`answer`]): values are numbers
//!    ≥ 0 without unit, notes are one of the layout's choices and go with
//!    a value, texts fit the length limit and the font; no two files give
//!    different answers for the same cell;
//!
//! then [`apply`] writes the answers into the store's JSON ([`store`]) and
//! the caller writes it atomically. Any problem refuses the whole import,
//! naming file and cell.

pub mod answer;
mod apply;
pub mod locate;
mod read;
pub mod store;
pub mod workbook;

use super::{Expected, InputKind};
use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::lang::tr;
use std::collections::HashMap;
use std::path::PathBuf;
use store::Entry;

pub use crate::yearly::report::Change;
pub use read::identity_of;

/// The result of reading and applying a set of filled templates.
#[derive(Debug)]
pub struct Outcome {
    /// The report year of the files.
    pub year: i32,
    /// The changes, in the table's order.
    pub changes: Vec<Change>,
    /// The new store (pretty-printed JSON), when anything changed.
    pub store: Option<String>,
    /// Answers not taken because their item is no longer in the store.
    pub skipped: Vec<String>,
    /// With [`Options::skip_refused`]: the problems of the files refused.
    pub refused: Vec<Problem>,
}

/// How an import treats what does not match the store.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The report year every file must be for.
    pub year: Option<i32>,
    /// Parts renamed since the templates were made: (old, new).
    pub renames: Vec<(String, String)>,
    /// Import the files that pass and list the refused ones, instead of
    /// refusing the whole import.
    pub skip_refused: bool,
}

/// An answer read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Value(Entry),
    Text(String),
}

/// Where an answer came from.
#[derive(Debug, Clone)]
struct Source {
    file: PathBuf,
    cell: String,
}

/// An answer's key: the item, the kind of input and the field.
type Key = (String, InputKind, String, i32);

/// The answers of one file.
type Answers = Vec<(Key, Answer, Source)>;

/// `R7 value of 地域共生課/ほっとネット推進員登録者数 at F3`.
fn place(year: i32, e: &Expected, cell: &str) -> String {
    tr!(
        "{year} {what} of {item} at {cell}",
        year = crate::era::short(year),
        what = e.what(),
        item = e.name(),
        cell = cell,
    )
}

/// Reads, checks and applies filled templates to the data of `store`. The
/// data file itself is not touched: the caller writes [`Outcome::store`].
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::edition::{Edition, Inputs};
/// let e = Edition::load(&Inputs { year: Some(2025), ..Default::default() })?;
/// let dir = tempfile::tempdir()?;
/// let blank = dir.path().join("blank.xlsx");
/// std::fs::write(&blank, shiryo::yearly::template::build(&e, None, None)?.bytes)?;
/// // A template returned blank changes nothing.
/// let outcome = shiryo::yearly::import::import(&e, &[blank], &Default::default()).unwrap();
/// assert_eq!((outcome.year, outcome.changes.len(), outcome.store), (2025, 0, None));
/// // A file that is not a workbook is refused, naming it.
/// let notes = dir.path().join("notes.xlsx");
/// std::fs::write(&notes, "450人")?;
/// let err = shiryo::yearly::import::import(&e, &[notes], &Default::default()).unwrap_err();
/// assert!(err.to_string().contains("notes.xlsx: not an xlsx workbook"));
/// # Ok(()) }
/// ```
pub fn import(store: &Edition, files: &[PathBuf], opts: &Options) -> Result<Outcome, Problems> {
    let mut problems = Vec::new();
    let mut refused = Vec::new();
    let mut skipped = Vec::new();
    let mut first_year: Option<(i32, PathBuf)> = opts.year.map(|y| (y, PathBuf::from("--year")));
    let mut editions: HashMap<i32, (Edition, Vec<Expected>)> = HashMap::new();
    let mut all: Answers = Vec::new();
    let rules = answer::Rules {
        notes: store
            .layout
            .layout
            .template
            .note_column
            .as_ref()
            .map(|n| n.choices.clone())
            .unwrap_or_default(),
        fonts: Some(store.fonts.clone()),
    };
    for file in files {
        match read::read_file(file, store, &mut editions, &rules, &opts.renames) {
            Ok((y, answers, mut skips)) => match &first_year {
                Some((fy, from)) if *fy != y => {
                    (if opts.skip_refused { &mut refused } else { &mut problems }).push(Problem::new(
                        file,
                        "",
                        tr!(
                            "the file is for the report year {year} ({number}), but {other} is for {other_year} \
                             ({other_number}); import one report year at a time",
                            year = crate::era::short(y),
                            number = y,
                            other = from.display(),
                            other_year = crate::era::short(*fy),
                            other_number = fy,
                        ),
                    ))
                }
                Some(_) => {
                    all.extend(answers);
                    skipped.append(&mut skips);
                }
                None => {
                    first_year = Some((y, file.clone()));
                    all.extend(answers);
                    skipped.append(&mut skips);
                }
            },
            Err(mut p) if opts.skip_refused => refused.append(&mut p),
            Err(mut p) => problems.append(&mut p),
        }
    }
    let Some((year, _)) = first_year else {
        problems.append(&mut refused);
        if problems.is_empty() {
            problems.push(Problem::new("import", "", tr!("no file to import was given")));
        }
        return Err(Problems(problems));
    };
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let edition = match editions.remove(&year) {
        Some(e) => e,
        None => {
            let e = store.for_year(year)?;
            let grid = crate::table::build(&e, &Default::default())?;
            let expected = super::inputs(&e, &grid)?;
            (e, expected)
        }
    };
    let mut outcome = apply::apply(&edition.0, &edition.1, all)?;
    outcome.skipped = skipped;
    outcome.refused = refused;
    Ok(outcome)
}
