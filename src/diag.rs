//! Problems found in input files, each naming the file, the place in it and
//! what was expected. A leaf: every stage reports through it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file.
///
/// ```
/// use shiryo::diag::Problem;
/// let p = Problem::new("data/plan.json", "goals[0].number", "expected an integer");
/// assert_eq!(p.to_string(), "data/plan.json: goals[0].number: expected an integer");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file: a JSON path (`goals[0].indicators[2].unit`), a
    /// `line:column` for syntax errors, or a cell reference for workbooks.
    pub place: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem at `place` in `file`.
    pub fn new(file: impl AsRef<Path>, place: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}: {}: {}", self.file.display(), self.place, self.message)
        }
    }
}

/// Every problem found in a set of inputs: the error `render` and `check`
/// stop on, so that a user sees all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems(vec![p])
    }
}

/// Parses JSON text from `path`, naming the line and column of a syntax
/// error.
pub fn parse_value(path: &Path, text: &str) -> Result<serde_json::Value, Problem> {
    serde_json::from_str(text).map_err(|e| {
        Problem::new(
            path,
            format!("{}:{}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })
}

/// Reads parsed JSON from `path` into `T`, naming the JSON path of the
/// first type error.
pub fn deserialize<T: serde::de::DeserializeOwned>(path: &Path, value: &serde_json::Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let place = e.path().to_string();
        let place = if place == "." { String::new() } else { place };
        Problem::new(path, place, e.inner().to_string())
    })
}
