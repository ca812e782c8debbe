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
/// error, and the JSON path of a key an object names twice (the later one
/// would silently win).
///
/// ```
/// use std::path::Path;
/// let e = shiryo::diag::parse_value(Path::new("d.json"), r#"{"a": [{"b": 1, "b": 2}]}"#).unwrap_err();
/// assert_eq!(e.to_string(), "d.json: a[0].b: duplicate key \"b\": an object names each key once");
/// ```
pub fn parse_value(path: &Path, text: &str) -> Result<serde_json::Value, Problem> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(dups::Walk(String::new()), &mut de).and_then(|v| {
        de.end()?;
        Ok(v)
    });
    parsed.map_err(|e| match dups::found(&e) {
        Some((place, key)) => Problem::new(
            path,
            place,
            crate::lang::tr!(
                "duplicate key {key}: an object names each key once",
                key = format!("{key:?}")
            ),
        ),
        None => Problem::new(
            path,
            format!("{}:{}", e.line(), e.column()),
            crate::lang::tr!("invalid JSON: {error}", error = e),
        ),
    })
}

/// Reading JSON in one pass, finding a key named twice in one object.
mod dups {
    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::Value;
    use std::fmt;

    /// The marker an error carries when a duplicate was found.
    const MARK: &str = "\u{1}duplicate\u{1}";

    /// The (JSON path, key) of a duplicate, from the walk's error.
    pub fn found(e: &serde_json::Error) -> Option<(String, String)> {
        let text = e.to_string();
        let rest = text.strip_prefix(MARK)?;
        let (place, rest) = rest.split_once('\u{1}')?;
        let key = rest.split(" at line").next()?.to_string();
        Some((place.to_string(), key))
    }

    /// Reads a JSON value found at a path (for messages).
    pub struct Walk(pub String);

    impl<'de> DeserializeSeed<'de> for Walk {
        type Value = Value;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk {
        type Value = Value;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some(k) = m.next_key::<String>()? {
                let place = if self.0.is_empty() {
                    k.clone()
                } else {
                    format!("{}.{k}", self.0)
                };
                if out.contains_key(&k) {
                    return Err(de::Error::custom(format!("{MARK}{place}\u{1}{k}")));
                }
                let v = m.next_value_seed(Walk(place))?;
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = s.next_element_seed(Walk(format!("{}[{}]", self.0, out.len())))? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
            Ok(Value::from(n))
        }
        fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
            Ok(Value::from(n))
        }
        fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
            Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
        }
        fn visit_str<E>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_string()))
        }
        fn visit_string<E>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    }
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
