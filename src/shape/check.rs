//! Checking a data file against its shape: every problem at once, each at
//! its JSON path with what was expected and what was found.

use super::{Field, Kind, Node, Shape};
use crate::diag::Problem;
use crate::lang::tr;
use crate::value::{Decimal, Edition, Qualifier, Quantity, Target, YearValue, is_iso_date};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The fiscal years a document covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// The first fiscal year.
    pub first: i32,
    /// The last fiscal year.
    pub last: i32,
}

impl Years {
    /// Whether `year` is inside.
    pub fn contains(&self, year: i32) -> bool {
        (self.first..=self.last).contains(&year)
    }
}

/// The most years a document may span: a plan runs a few years, never a
/// century, and columns are made per year.
pub const MAX_SPAN: i32 = 100;

/// The years of a document as its shape declares them, with the problems
/// of the year fields themselves.
///
/// ```
/// let shape = shiryo::shape::bundled("progress-survey").unwrap();
/// let data = serde_json::json!({"baseline_year": 2022, "target_year": 2028});
/// let (years, problems) = shiryo::shape::check::years(&shape, &data, std::path::Path::new("d.json"));
/// assert_eq!(years.unwrap().last, 2028);
/// assert!(problems.is_empty());
/// ```
pub fn years(shape: &Shape, data: &Value, file: &Path) -> (Option<Years>, Vec<Problem>) {
    let mut problems = Vec::new();
    let spec = &shape.years;
    let year_at = |name: &str| data.get(name).and_then(Value::as_i64).map(|y| y as i32);
    let Some(first) = year_at(&spec.first) else {
        // The field's own check names what is wrong.
        return (None, problems);
    };
    let latest = spec
        .editions
        .as_ref()
        .and_then(|e| data.get(e))
        .and_then(Value::as_array)
        .and_then(|list| list.iter().filter_map(|e| e.get("year")?.as_i64()).max())
        .map(|y| y as i32);
    let last = match spec.last.as_deref().and_then(year_at) {
        Some(l) => {
            let name = spec.last.as_deref().unwrap_or_default();
            if l <= first && spec.last.as_deref() != Some(spec.first.as_str()) {
                problems.push(Problem::new(
                    file,
                    name,
                    tr!(
                        "expected a fiscal year after {field} ({first}), found {found}",
                        field = spec.first,
                        first = first,
                        found = l
                    ),
                ));
                return (None, problems);
            }
            l
        }
        None => latest.unwrap_or(first).max(first),
    };
    if last - first > MAX_SPAN {
        problems.push(Problem::new(
            file,
            spec.last.as_deref().unwrap_or(spec.first.as_str()),
            tr!(
                "the document would span {n} years ({first}–{last}); expected at most {max}",
                n = last - first + 1,
                first = first,
                last = last,
                max = MAX_SPAN
            ),
        ));
        return (None, problems);
    }
    (Some(Years { first, last }), problems)
}

/// Every place where `data` (read from `file`) breaks `shape`.
///
/// ```
/// let shape = shiryo::shape::bundled("business-plan").unwrap();
/// let data = serde_json::json!({"title": "事業計画", "organization": "x", "fiscal_year": 2020,
///                               "divisions": [{"name": "総務課", "units": [], "colour": 1}]});
/// let p = shiryo::shape::check::check(&shape, &data, std::path::Path::new("d.json"));
/// let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
/// assert!(text.iter().any(|t| t.contains("divisions[0]: unknown field \"colour\"")), "{text:?}");
/// assert!(text.iter().any(|t| t.contains("divisions[0].units: expected at least 1 item")), "{text:?}");
/// ```
pub fn check(shape: &Shape, data: &Value, file: &Path) -> Vec<Problem> {
    let (years, mut problems) = years(shape, data, file);
    let mut c = Checker {
        file,
        top: &shape.fields,
        years,
        problems: Vec::new(),
        ids: HashMap::new(),
    };
    match data.as_object() {
        Some(o) => c.object(&shape.fields, o, "", true),
        None => c.push("", tr!("expected an object, found {found}", found = short(data))),
    }
    problems.append(&mut c.problems);
    problems
}

/// Walks the data beside its shape.
struct Checker<'a> {
    /// The data file, for problems.
    file: &'a Path,
    /// The shape's top-level fields (what an edition may state anew).
    top: &'a [Field],
    /// The document's years, when its year fields are sound.
    years: Option<Years>,
    /// What was found.
    problems: Vec<Problem>,
    /// Ids seen so far, with where.
    ids: HashMap<String, String>,
}

/// Whether a character of a text can be printed: not a control character
/// (but the line break), not a noncharacter (U+FDD0–U+FDEF, U+xFFFE/FFFF).
///
/// ```
/// use shiryo::shape::check::printable;
/// assert!(printable('あ') && printable('\n'));
/// assert!(!printable('\t') && !printable('\u{0}') && !printable('\u{FFFF}'));
/// ```
pub fn printable(c: char) -> bool {
    let n = c as u32;
    c == '\n' || !(c.is_control() || (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE)
}

/// `found` text: the value, cut to 80 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

fn join(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_string()
    } else {
        format!("{place}.{key}")
    }
}

fn empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

impl Checker<'_> {
    fn push(&mut self, place: &str, msg: String) {
        self.problems.push(Problem::new(self.file, place, msg));
    }

    fn object(&mut self, fields: &[Field], o: &Map<String, Value>, place: &str, top: bool) {
        for k in o.keys() {
            // A data file may name its layout and an editor's schema.
            if top && (k == "layout" || k == "$schema") {
                if !o[k].is_string() {
                    self.push(
                        &join(place, k),
                        tr!("expected a string, found {found}", found = short(&o[k])),
                    );
                }
                continue;
            }
            if !fields.iter().any(|f| f.name == *k) {
                let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                self.push(
                    place,
                    tr!(
                        "unknown field {key} (fields here: {fields}; see `shiryo schema data`)",
                        key = format!("{k:?}"),
                        fields = known.join(", ")
                    ),
                );
            }
        }
        for f in fields {
            let v = o.get(&f.name);
            let at = join(place, &f.name);
            if let Some(s) = &f.absent_with
                && !empty(o.get(s))
                && v.is_some()
            {
                self.push(
                    &at,
                    tr!(
                        "expected no {field} here: with {sibling} it belongs to those items",
                        field = format!("{:?}", f.name),
                        sibling = format!("{s:?}")
                    ),
                );
                continue;
            }
            match v {
                None | Some(Value::Null) if f.required_without.as_ref().is_some_and(|s| empty(o.get(s))) => {
                    let s = f.required_without.as_deref().unwrap_or_default();
                    self.push(
                        place,
                        tr!(
                            "missing field {field} (needed when there is no {sibling})",
                            field = format!("{:?}", f.name),
                            sibling = format!("{s:?}")
                        ),
                    );
                }
                None if !f.optional => self.push(place, tr!("missing field {field}", field = format!("{:?}", f.name))),
                None => {}
                Some(Value::Null) if f.nullable || f.optional && f.required_without.is_some() => {}
                Some(v) => self.node(&f.node, v, &at),
            }
        }
    }

    fn node(&mut self, node: &Node, v: &Value, place: &str) {
        match node {
            Node::Kind(k) => self.kind(*k, v, place),
            Node::Object(fields) => match v.as_object() {
                Some(o) => self.object(fields, o, place, false),
                None => self.push(place, tr!("expected an object, found {found}", found = short(v))),
            },
            Node::List { item, min } => {
                let Some(a) = v.as_array() else {
                    self.push(place, tr!("expected a list, found {found}", found = short(v)));
                    return;
                };
                if a.len() < *min {
                    let _s = crate::lang::plural(*min);
                    self.push(
                        place,
                        if a.is_empty() {
                            tr!("expected at least {min} item{_s}, found none", min = min, _s = _s)
                        } else {
                            tr!(
                                "expected at least {min} item{_s}, found {n}",
                                min = min,
                                _s = _s,
                                n = a.len()
                            )
                        },
                    );
                }
                for (i, x) in a.iter().enumerate() {
                    self.node(item, x, &format!("{place}[{i}]"));
                }
                // Fields whose values must differ between the items.
                if let Node::Object(fields) = item.as_ref() {
                    for f in fields.iter().filter(|f| f.unique) {
                        let mut seen: HashMap<String, usize> = HashMap::new();
                        for (i, x) in a.iter().enumerate() {
                            let Some(val) = x.get(&f.name) else { continue };
                            if let Some(first) = seen.insert(val.to_string(), i) {
                                self.push(
                                    &format!("{place}[{i}].{}", f.name),
                                    tr!(
                                        "duplicate {field} {value} (also {place})",
                                        field = f.name,
                                        value = val,
                                        place = format!("{place}[{first}]")
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            Node::ByYear(item) => {
                let Some(o) = v.as_object() else {
                    self.push(
                        place,
                        tr!(
                            "expected an object keyed by fiscal year, found {found}",
                            found = short(v)
                        ),
                    );
                    return;
                };
                for (k, x) in o {
                    let at = join(place, k);
                    if self.year_key(k, &at) {
                        self.node(item, x, &at);
                    }
                }
            }
            Node::Enum { values, .. } => match v.as_str() {
                Some(s) if values.iter().any(|x| x == s) => {}
                _ => self.push(
                    place,
                    tr!(
                        "expected one of {values}, found {found}",
                        values = values.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", "),
                        found = short(v)
                    ),
                ),
            },
        }
    }

    /// Whether a key is a fiscal year inside the document's years.
    fn year_key(&mut self, k: &str, at: &str) -> bool {
        match (k.parse::<i32>(), self.years) {
            (Ok(y), Some(ys)) if ys.contains(y) => true,
            (Ok(_), None) => true,
            (Ok(y), Some(ys)) => {
                self.push(
                    at,
                    tr!(
                        "expected a fiscal year from {first} to {last}, found {year}",
                        first = ys.first,
                        last = ys.last,
                        year = y
                    ),
                );
                false
            }
            (Err(_), _) => {
                self.push(
                    at,
                    tr!(
                        "expected a fiscal year such as \"2024\" as key, found {key}",
                        key = format!("{k:?}")
                    ),
                );
                false
            }
        }
    }

    fn kind(&mut self, k: Kind, v: &Value, place: &str) {
        let found = short(v);
        match k {
            Kind::Text => match v.as_str() {
                None => self.push(place, tr!("expected a string, found {found}", found = found)),
                Some(t) => {
                    if let Some((i, c)) = t.chars().enumerate().find(|(_, c)| !printable(*c)) {
                        self.push(
                            place,
                            tr!(
                                "character {n} is U+{code}, which cannot be printed ({what}); only line breaks \\n may stand between the characters of a text",
                                n = i + 1,
                                code = format!("{:04X}", c as u32),
                                what = if c.is_control() {
                                    tr!("a control character such as a tab or carriage return")
                                } else {
                                    tr!("a noncharacter")
                                }
                            ),
                        );
                    }
                }
            },
            Kind::Boolean => {
                if !v.is_boolean() {
                    self.push(place, tr!("expected true or false, found {found}", found = found));
                }
            }
            Kind::Integer => {
                if !(v.is_i64() || v.is_u64()) {
                    self.push(place, tr!("expected an integer, found {found}", found = found));
                }
            }
            Kind::FiscalYear => match v.as_i64() {
                Some(y) if (1900..=9999).contains(&y) => {}
                _ => self.push(
                    place,
                    tr!("expected a fiscal year such as 2024, found {found}", found = found),
                ),
            },
            Kind::Date => match v.as_str() {
                Some(s) if is_iso_date(s) => {}
                _ => self.push(place, tr!("expected a date YYYY-MM-DD, found {found}", found = found)),
            },
            Kind::Decimal => {
                if let Err(e) = Decimal::deserialize(v) {
                    self.push(place, e.to_string());
                }
            }
            Kind::Id => match v.as_str() {
                Some(id)
                    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
                {
                    match self.ids.get(id) {
                        Some(first) => {
                            let first = first.trim_end_matches(".id").to_string();
                            self.push(
                                place,
                                tr!(
                                    "duplicate id {id}: already used at {place}",
                                    id = format!("{id:?}"),
                                    place = first
                                ),
                            );
                        }
                        None => {
                            self.ids.insert(id.to_string(), place.to_string());
                        }
                    }
                }
                _ => self.push(
                    place,
                    tr!(
                        "expected an id of ASCII letters, digits, '-' or '_', found {found}",
                        found = found
                    ),
                ),
            },
            Kind::YearSeries => self.series(v, place),
            Kind::Target => {
                if let Some(o) = v.as_object()
                    && let Some(q) = o.get("qualifier")
                    && !q.as_str().is_some_and(|q| Qualifier::ALL.contains(&q))
                {
                    self.push(
                        &join(place, "qualifier"),
                        tr!(
                            "expected one of {values}, found {found}",
                            values = Qualifier::ALL.map(|q| format!("{q:?}")).join(", "),
                            found = short(q)
                        ),
                    );
                    return;
                }
                if let Err(e) = Target::deserialize(v) {
                    self.push(
                        place,
                        tr!(
                            "expected a target {{\"value\": \"40\", \"qualifier\": \"以上\"}}: {error}",
                            error = e
                        ),
                    );
                }
            }
            Kind::Quantity => {
                if let Err(e) = Quantity::deserialize(v) {
                    self.push(
                        place,
                        tr!(
                            "expected a quantity {{\"value\": \"8175\", \"unit\": \"人\"}}: {error}",
                            error = e
                        ),
                    );
                }
            }
            Kind::Editions => {
                let Some(list) = v.as_array() else {
                    self.push(place, tr!("expected a list of editions, found {found}", found = found));
                    return;
                };
                let mut seen = HashMap::new();
                for (i, e) in list.iter().enumerate() {
                    let at = format!("{place}[{i}]");
                    match Edition::deserialize(e) {
                        Err(err) => self.push(
                            &at,
                            tr!(
                                "expected {{\"year\": 2024, \"date\": \"2025-04-01\"}}: {error}",
                                error = err
                            ),
                        ),
                        Ok(ed) => {
                            if let Some(ys) = self.years
                                && !ys.contains(ed.year)
                            {
                                self.push(
                                    &format!("{at}.year"),
                                    tr!(
                                        "expected a report year from {first} to {last}, found {year}",
                                        first = ys.first,
                                        last = ys.last,
                                        year = ed.year
                                    ),
                                );
                            }
                            if let Some(d) = &ed.date
                                && !is_iso_date(d)
                            {
                                self.push(
                                    &format!("{at}.date"),
                                    tr!("expected a date YYYY-MM-DD, found {found}", found = format!("{d:?}")),
                                );
                            }
                            for (k, v) in &ed.overrides {
                                let text_field = self
                                    .top
                                    .iter()
                                    .any(|f| f.name == *k && f.node == Node::Kind(Kind::Text));
                                if !text_field {
                                    let texts: Vec<&str> = self
                                        .top
                                        .iter()
                                        .filter(|f| f.node == Node::Kind(Kind::Text))
                                        .map(|f| f.name.as_str())
                                        .collect();
                                    self.push(
                                        &format!("{at}.{k}"),
                                        tr!(
                                            "unknown field {key}: an edition states year, date, or its own value of a top-level text ({fields})",
                                            key = format!("{k:?}"),
                                            fields = texts.join(", ")
                                        ),
                                    );
                                } else if !v.is_string() {
                                    self.push(
                                        &format!("{at}.{k}"),
                                        tr!("expected a string, found {found}", found = short(v)),
                                    );
                                }
                            }
                            if let Some(j) = seen.insert(ed.year, i) {
                                self.push(
                                    &format!("{at}.year"),
                                    tr!(
                                        "duplicate edition {year} (also {place})",
                                        year = ed.year,
                                        place = format!("{place}[{j}]")
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    fn series(&mut self, v: &Value, place: &str) {
        let Some(o) = v.as_object() else {
            self.push(
                place,
                tr!(
                    "expected an object of values keyed by fiscal year, found {found}",
                    found = short(v)
                ),
            );
            return;
        };
        for (k, x) in o {
            let at = join(place, k);
            if !self.year_key(k, &at) {
                continue;
            }
            let value = match YearValue::from_json(x) {
                Ok(value) => value,
                Err(e) => {
                    let msg = match x {
                        Value::String(_) | Value::Number(_) => tr!(
                            "expected a decimal string written as printed, such as \"20,292\", \"8175\" or \"20.60\" \
                             (digits, thousands separators only between groups of three digits, at most one '.', \
                             no unit), an integer or \"not-measured\", found {found}",
                            found = short(x)
                        ),
                        _ => tr!("{error}, found {found}", error = e, found = short(x)),
                    };
                    self.push(&at, msg);
                    continue;
                }
            };
            for (j, e) in value.entries().iter().enumerate() {
                if let (Some(r), Some(ys)) = (e.reported_in, self.years)
                    && !ys.contains(r)
                {
                    self.push(
                        &format!("{at}[{j}].reported_in"),
                        tr!(
                            "expected a report year from {first} to {last}, found {year}",
                            first = ys.first,
                            last = ys.last,
                            year = r
                        ),
                    );
                }
                if e.value.is_some() && e.not_measured {
                    self.push(&at, tr!("an entry cannot have a value and be not_measured"));
                }
                if e.lost && (e.value.is_some() || e.not_measured || e.note.is_some()) {
                    self.push(
                        &at,
                        tr!("a lost entry has no value, not_measured or note: the source's figure cannot be read"),
                    );
                }
            }
        }
    }
}
