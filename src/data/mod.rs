//! A data file: its bytes as read, and its JSON.
//!
//! A data file is plain JSON in its document's own vocabulary; its shape
//! is declared in a file (see [`crate::shape`]) named by the layout, so
//! this module knows nothing of any document: it reads the file, parses it
//! and answers the few questions every document has (which layout it
//! names, its years and editions, through the shape).

use crate::diag::{Problem, Problems};
use crate::lang::tr;
use crate::shape::Shape;
use crate::shape::check::Years;
use crate::value::Edition;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The largest data file read, in bytes: a plan's data is a few hundred
/// kilobytes; anything far larger is not a data file.
pub const MAX_BYTES: u64 = 32 << 20;

/// A data file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it was read from.
    pub path: PathBuf,
    /// The bytes read (what an archive records and hashes).
    pub source: Vec<u8>,
    /// The same file as JSON.
    pub json: Value,
    /// Whether it is the copy built into shiryo rather than a file.
    pub bundled: bool,
}

/// Reads and parses a data file.
pub fn load(path: &Path) -> Result<Document, Problems> {
    let bytes = read_limited(path)?;
    parse(path, bytes, false)
}

/// Reads a regular file of at most [`MAX_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::new(
            path,
            "",
            tr!("cannot read the file: {error}", error = crate::lang::io_error(&e)),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Problem::new(path, "", tr!("expected a regular file")));
    }
    if meta.len() > MAX_BYTES {
        return Err(Problem::new(
            path,
            "",
            tr!(
                "the file has {n} bytes; a data file has at most {max}",
                n = meta.len(),
                max = MAX_BYTES
            ),
        ));
    }
    std::fs::read(path).map_err(cannot)
}

/// Parses data bytes that came from `path`.
///
/// ```
/// let d = shiryo::data::parse(std::path::Path::new("d.json"), br#"{"layout": "x"}"#.to_vec(), false).unwrap();
/// assert_eq!(d.layout_name(), Some("x"));
/// ```
pub fn parse(path: &Path, source: Vec<u8>, bundled: bool) -> Result<Document, Problems> {
    let text = std::str::from_utf8(&source)
        .map_err(|e| Problem::new(path, "", tr!("expected UTF-8 text: {error}", error = e)))?;
    let json = crate::diag::parse_value(path, text)?;
    if !json.is_object() {
        return Err(Problem::new(path, "", tr!("expected a JSON object")).into());
    }
    Ok(Document {
        path: path.to_path_buf(),
        source,
        json,
        bundled,
    })
}

impl Document {
    /// The layout the data names (its top-level `layout` field).
    pub fn layout_name(&self) -> Option<&str> {
        self.json.get("layout").and_then(Value::as_str)
    }

    /// The editions the document lists, in year order: its shape's
    /// `years.editions` field, or for a single-edition document its first
    /// year with the date of `years.date`.
    pub fn editions(&self, shape: &Shape, years: Years) -> Vec<Edition> {
        let spec = &shape.years;
        let mut list: Vec<Edition> = match &spec.editions {
            Some(field) => self
                .json
                .get(field)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|e| serde_json::from_value(e.clone()).ok())
                        .collect()
                })
                .unwrap_or_default(),
            None => vec![Edition {
                year: years.first,
                date: spec
                    .date
                    .as_ref()
                    .and_then(|d| self.json.get(d))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| Some(format!("{:04}-04-01", years.first))),
                overrides: Default::default(),
            }],
        };
        list.sort_by_key(|e| e.year);
        list
    }

    /// The file's stem, for output names.
    pub fn stem(&self) -> &str {
        self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("shiryo")
    }
}
