//! Data shapes: what a document's data file holds, declared in a file.
//!
//! A data file is plain JSON in its document's own vocabulary. Its shape
//! is declared in a shape file (`layouts/shapes/NAME.json`, or a file next
//! to the layout that names it): the fields of every object, each with one
//! of a small set of value kinds ([`Kind`]), lists, objects and maps keyed
//! by fiscal year, and which fields give the document's years. shiryo
//! knows no document's words: the shape and the layout bring them.
//!
//! ```json
//! {
//!   "name": "evaluation-sheet",
//!   "description": "…",
//!   "years": { "first": "fiscal_year", "last": "fiscal_year" },
//!   "fields": {
//!     "fiscal_year": "fiscal_year",
//!     "policies": { "list": { "object": {
//!       "name": "text",
//!       "rating": { "enum": ["A", "B", "C", "D"], "legend": { "A": "順調" } }
//!     } } }
//!   }
//! }
//! ```
//!
//! [`check`] validates a data file against its shape, reporting every
//! problem with its JSON path; [`schema`] turns a shape into the JSON
//! Schema that `shiryo schema data` prints.

pub mod check;
pub mod schema;

use crate::diag::{Problem, Problems};
use crate::lang::tr;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A declared shape of data files.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The shape's name.
    pub name: String,
    /// One line saying what documents have this shape.
    pub description: String,
    /// Which fields give the document's fiscal years.
    pub years: YearsSpec,
    /// The fields of the file's top-level object.
    pub fields: Vec<Field>,
    /// Where the shape was read from.
    pub path: PathBuf,
    /// The shape file's text.
    pub source: String,
    /// Whether it is one of the shapes built into shiryo.
    pub bundled: bool,
}

/// Where a document's years come from: paths of fields of its top-level
/// object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearsSpec {
    /// The field holding the first fiscal year the document covers.
    pub first: String,
    /// The field holding the last fiscal year (when absent or empty, the
    /// latest edition's year, else the first year).
    pub last: Option<String>,
    /// The field holding the editions (a field of kind `editions`); without
    /// one the document has a single edition, its first year.
    pub editions: Option<String>,
    /// The field holding the document date of a single-edition document.
    pub date: Option<String>,
}

/// One field of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name (the JSON key).
    pub name: String,
    /// What it holds.
    pub node: Node,
    /// Whether the field may be left out.
    pub optional: bool,
    /// Whether the field may be `null` (read as absent).
    pub nullable: bool,
    /// What the field means, for `shiryo schema` and editors.
    pub doc: Option<String>,
    /// The field is required when this sibling is absent or empty.
    pub required_without: Option<String>,
    /// The field must be absent when this sibling is present and not empty.
    pub absent_with: Option<String>,
    /// Values must differ between the items of the enclosing list.
    pub unique: bool,
}

/// What a value holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A value of one of the named kinds.
    Kind(Kind),
    /// A list of items.
    List {
        /// Each item's shape.
        item: Box<Node>,
        /// The least number of items.
        min: usize,
    },
    /// An object with declared fields; other fields are errors.
    Object(Vec<Field>),
    /// An object keyed by fiscal years (`"2024"`) inside the document's years.
    ByYear(Box<Node>),
    /// One of a fixed set of strings, with what each means.
    Enum {
        /// The allowed values, in order.
        values: Vec<String>,
        /// The legend: (value, meaning), printed where a layout asks.
        legend: Vec<(String, String)>,
    },
}

/// The value kinds a shape can give a field (see `docs/layouts.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number kept as written (`"20.60"`), or an integer.
    Decimal,
    /// A fiscal year (`2024` = 令和６年度), printed with the era filters.
    FiscalYear,
    /// A date `YYYY-MM-DD`.
    Date,
    /// An identifier of ASCII letters, digits, `-` and `_`, unique in the file.
    Id,
    /// `true` or `false`.
    Boolean,
    /// Values per fiscal year: a decimal kept as written, `"not-measured"`,
    /// an entry with a note (`※速報値`), or revisions per edition.
    YearSeries,
    /// A target: `{"value": "40", "qualifier": "以上"}`.
    Target,
    /// A number with its unit: `{"value": "8175", "unit": "人"}`.
    Quantity,
    /// The list of editions: `[{"year": 2024, "date": "2025-04-01"}]`.
    Editions,
}

impl Kind {
    /// Every kind with its name in shape files.
    pub const ALL: [(Kind, &'static str); 11] = [
        (Kind::Text, "text"),
        (Kind::Integer, "integer"),
        (Kind::Decimal, "decimal"),
        (Kind::FiscalYear, "fiscal_year"),
        (Kind::Date, "date"),
        (Kind::Id, "id"),
        (Kind::Boolean, "boolean"),
        (Kind::YearSeries, "year_series"),
        (Kind::Target, "target"),
        (Kind::Quantity, "quantity"),
        (Kind::Editions, "editions"),
    ];

    /// The kind's name in shape files.
    ///
    /// ```
    /// use shiryo::shape::Kind;
    /// assert_eq!(Kind::YearSeries.name(), "year_series");
    /// assert_eq!(Kind::from_name("fiscal_year"), Some(Kind::FiscalYear));
    /// ```
    pub fn name(self) -> &'static str {
        Kind::ALL.iter().find(|(k, _)| *k == self).map_or("", |(_, n)| n)
    }

    /// The kind of a name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }
}

/// The keys a field declaration may have besides what it holds.
const OPTION_KEYS: [&str; 8] = [
    "optional",
    "nullable",
    "doc",
    "required_without",
    "absent_with",
    "unique",
    "min",
    "legend",
];
/// The keys that say what a field holds; a declaration has exactly one.
const NODE_KEYS: [&str; 5] = ["kind", "list", "object", "by_year", "enum"];

/// The shapes bundled in the binary: (name, source).
pub const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_shapes.rs"));

/// A bundled shape by name.
///
/// ```
/// let s = shiryo::shape::bundled("progress-survey").unwrap();
/// assert_eq!(s.years.first, "baseline_year");
/// ```
pub fn bundled(name: &str) -> Option<Shape> {
    let (_, src) = BUNDLED.iter().find(|(n, _)| *n == name)?;
    let mut s = parse(&PathBuf::from(format!("layouts/shapes/{name}.json")), src).ok()?;
    s.bundled = true;
    Some(s)
}

/// Reads a shape file.
pub fn load(path: &Path) -> Result<Shape, Problems> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::new(
            path,
            "",
            tr!("cannot read the shape file: {error}", error = crate::lang::io_error(&e)),
        )
    })?;
    parse(path, &text)
}

/// Parses a shape from its text, reporting every problem of the file.
pub fn parse(path: &Path, text: &str) -> Result<Shape, Problems> {
    let json = crate::diag::parse_value(path, text)?;
    let mut problems = Vec::new();
    let mut p = |place: &str, msg: String| problems.push(Problem::new(path, place, msg));
    let Some(root) = json.as_object() else {
        p("", tr!("expected an object with name, description, years and fields"));
        return Err(Problems(problems));
    };
    for k in root.keys() {
        if !["$schema", "name", "description", "years", "fields"].contains(&k.as_str()) {
            p(
                k,
                tr!(
                    "unknown field {key} (a shape has name, description, years and fields)",
                    key = format!("{k:?}")
                ),
            );
        }
    }
    let text_of = |k: &str, p: &mut dyn FnMut(&str, String)| match root.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            p(k, tr!("expected a string, found {found}", found = other));
            String::new()
        }
        None => {
            p(k, tr!("missing field {field}", field = format!("{k:?}")));
            String::new()
        }
    };
    let name = text_of("name", &mut p);
    let description = text_of("description", &mut p);
    let years = match root.get("years") {
        Some(Value::Object(y)) => {
            let mut field = |k: &str, required: bool| match y.get(k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                None if !required => None,
                Some(other) => {
                    p(
                        &format!("years.{k}"),
                        tr!("expected the name of a top-level field, found {found}", found = other),
                    );
                    None
                }
                None => {
                    p(
                        &format!("years.{k}"),
                        tr!("expected the name of a top-level field, found nothing"),
                    );
                    None
                }
            };
            let spec = YearsSpec {
                first: field("first", true).unwrap_or_default(),
                last: field("last", false),
                editions: field("editions", false),
                date: field("date", false),
            };
            for k in y.keys() {
                if !["first", "last", "editions", "date"].contains(&k.as_str()) {
                    p(
                        &format!("years.{k}"),
                        tr!(
                            "unknown field {key} (years has first, last, editions and date)",
                            key = format!("{k:?}")
                        ),
                    );
                }
            }
            spec
        }
        _ => {
            p(
                "years",
                tr!("expected an object naming the fields of the document's years: {{\"first\": …, \"last\": …}}"),
            );
            YearsSpec {
                first: String::new(),
                last: None,
                editions: None,
                date: None,
            }
        }
    };
    let fields = match root.get("fields") {
        Some(v) => object_fields(v, "fields", &mut p),
        None => {
            p("fields", tr!("missing field {field}", field = "\"fields\""));
            Vec::new()
        }
    };
    // The years' fields must be declared at the top level with their kinds.
    let top = |name: &str| fields.iter().find(|f| f.name == name);
    for (k, want, name) in [
        ("first", Kind::FiscalYear, Some(&years.first)),
        ("last", Kind::FiscalYear, years.last.as_ref()),
        ("editions", Kind::Editions, years.editions.as_ref()),
        ("date", Kind::Date, years.date.as_ref()),
    ] {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            continue;
        };
        match top(name) {
            Some(f) if f.node == Node::Kind(want) => {}
            Some(_) => p(
                &format!("years.{k}"),
                tr!(
                    "the field {field} must have the kind {kind}",
                    field = format!("{name:?}"),
                    kind = want.name()
                ),
            ),
            None => p(
                &format!("years.{k}"),
                tr!(
                    "names {field}, which is not a field of the top level",
                    field = format!("{name:?}")
                ),
            ),
        }
    }
    if problems.is_empty() {
        Ok(Shape {
            name,
            description,
            years,
            fields,
            path: path.to_path_buf(),
            source: text.to_string(),
            bundled: false,
        })
    } else {
        Err(Problems(problems))
    }
}

/// The fields of an `object` declaration.
fn object_fields(v: &Value, place: &str, p: &mut dyn FnMut(&str, String)) -> Vec<Field> {
    let Some(map) = v.as_object() else {
        p(
            place,
            tr!("expected an object of field declarations, found {found}", found = v),
        );
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (name, decl) in map {
        if name.is_empty() || name.contains(['.', '[', ']', '{', '}', '|']) {
            p(
                &format!("{place}.{name}"),
                tr!("expected a field name without . [ ] {{ }} |"),
            );
            continue;
        }
        if let Some(f) = field(name, decl, &format!("{place}.{name}"), p) {
            fields.push(f);
        }
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for f in &fields {
        for (k, sibling) in [
            ("required_without", &f.required_without),
            ("absent_with", &f.absent_with),
        ] {
            if let Some(s) = sibling
                && !names.contains(&s.as_str())
            {
                p(
                    &format!("{place}.{}.{k}", f.name),
                    tr!(
                        "expected the name of a field beside it ({fields}), found {found}",
                        fields = names.join(", "),
                        found = format!("{s:?}")
                    ),
                );
            }
        }
    }
    fields
}

/// A field declaration: a kind name, or an object with one of `kind`,
/// `list`, `object`, `by_year`, `enum` and options.
fn field(name: &str, decl: &Value, place: &str, p: &mut dyn FnMut(&str, String)) -> Option<Field> {
    let node = node(decl, place, p)?;
    let mut f = Field {
        name: name.to_string(),
        node,
        optional: false,
        nullable: false,
        doc: None,
        required_without: None,
        absent_with: None,
        unique: false,
    };
    if let Some(o) = decl.as_object() {
        let flag = |k: &str, p: &mut dyn FnMut(&str, String)| match o.get(k) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                p(
                    &format!("{place}.{k}"),
                    tr!("expected true or false, found {found}", found = v),
                );
                false
            }
        };
        f.optional = flag("optional", p);
        f.nullable = flag("nullable", p);
        f.unique = flag("unique", p);
        let text = |k: &str, p: &mut dyn FnMut(&str, String)| match o.get(k) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                p(
                    &format!("{place}.{k}"),
                    tr!("expected a string, found {found}", found = v),
                );
                None
            }
        };
        f.doc = text("doc", p);
        f.required_without = text("required_without", p);
        f.absent_with = text("absent_with", p);
        if f.required_without.is_some() && !f.optional {
            // Required only without the sibling: optional otherwise.
            f.optional = true;
        }
    }
    Some(f)
}

/// What a declaration holds.
fn node(decl: &Value, place: &str, p: &mut dyn FnMut(&str, String)) -> Option<Node> {
    let kinds = || Kind::ALL.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ");
    match decl {
        Value::String(s) => match Kind::from_name(s) {
            Some(k) => Some(Node::Kind(k)),
            None => {
                p(
                    place,
                    tr!(
                        "unknown kind {kind} (kinds: {kinds})",
                        kind = format!("{s:?}"),
                        kinds = kinds()
                    ),
                );
                None
            }
        },
        Value::Object(o) => {
            let given: Vec<&str> = NODE_KEYS.iter().copied().filter(|k| o.contains_key(*k)).collect();
            for k in o.keys() {
                if !NODE_KEYS.contains(&k.as_str()) && !OPTION_KEYS.contains(&k.as_str()) {
                    p(
                        &format!("{place}.{k}"),
                        tr!(
                            "unknown key {key} (a declaration has one of {keys} and options {options})",
                            key = format!("{k:?}"),
                            keys = NODE_KEYS.join(", "),
                            options = OPTION_KEYS.join(", ")
                        ),
                    );
                }
            }
            if given.len() != 1 {
                let keys = NODE_KEYS.join(", ");
                p(
                    place,
                    if given.is_empty() {
                        tr!(
                            "expected exactly one of {keys} in a declaration, found none",
                            keys = keys
                        )
                    } else {
                        tr!(
                            "expected exactly one of {keys} in a declaration, found {found}",
                            keys = keys,
                            found = given.join(", ")
                        )
                    },
                );
                return None;
            }
            let key = given[0];
            let inner = &o[key];
            let at = format!("{place}.{key}");
            if o.contains_key("min") && key != "list" {
                p(&format!("{place}.min"), tr!("min applies to lists only"));
            }
            if o.contains_key("legend") && key != "enum" {
                p(&format!("{place}.legend"), tr!("legend applies to enums only"));
            }
            match key {
                "kind" => node(inner, &at, p),
                "list" => {
                    let min = match o.get("min") {
                        None => 0,
                        Some(v) => match v.as_u64() {
                            Some(n) if n <= 1000 => n as usize,
                            _ => {
                                p(
                                    &format!("{place}.min"),
                                    tr!("expected a count from 0 to 1000, found {found}", found = v),
                                );
                                0
                            }
                        },
                    };
                    let item = node(inner, &at, p)?;
                    Some(Node::List {
                        item: Box::new(item),
                        min,
                    })
                }
                "object" => Some(Node::Object(object_fields(inner, &at, p))),
                "by_year" => Some(Node::ByYear(Box::new(node(inner, &at, p)?))),
                _ => {
                    let values: Vec<String> = match inner.as_array() {
                        Some(a) if !a.is_empty() && a.iter().all(Value::is_string) => {
                            a.iter().filter_map(Value::as_str).map(str::to_string).collect()
                        }
                        _ => {
                            p(
                                &at,
                                tr!("expected a list of the allowed strings, found {found}", found = inner),
                            );
                            return None;
                        }
                    };
                    let mut legend = Vec::new();
                    match o.get("legend") {
                        None => {}
                        Some(Value::Object(l)) => {
                            for (k, v) in l {
                                match v.as_str() {
                                    Some(t) if values.contains(k) => legend.push((k.clone(), t.to_string())),
                                    Some(_) => p(
                                        &format!("{place}.legend.{k}"),
                                        tr!(
                                            "{value} is not one of the values {values}",
                                            value = format!("{k:?}"),
                                            values = format!("{values:?}")
                                        ),
                                    ),
                                    None => p(
                                        &format!("{place}.legend.{k}"),
                                        tr!("expected a string, found {found}", found = v),
                                    ),
                                }
                            }
                        }
                        Some(v) => p(
                            &format!("{place}.legend"),
                            tr!("expected an object of value → meaning, found {found}", found = v),
                        ),
                    }
                    Some(Node::Enum { values, legend })
                }
            }
        }
        other => {
            p(
                place,
                tr!(
                    "expected a kind name ({kinds}) or a declaration object, found {found}",
                    kinds = kinds(),
                    found = other
                ),
            );
            None
        }
    }
}

impl Shape {
    /// The field declared at a path of object keys from the top level
    /// (list items and year keys are stepped through), if any.
    ///
    /// ```
    /// let s = shiryo::shape::bundled("progress-survey").unwrap();
    /// let f = s.field(&["goals", "indicators", "values"]).unwrap();
    /// assert_eq!(f.node, shiryo::shape::Node::Kind(shiryo::shape::Kind::YearSeries));
    /// ```
    pub fn field(&self, keys: &[&str]) -> Option<&Field> {
        let mut fields = &self.fields;
        let mut found: Option<&Field> = None;
        for k in keys {
            let f = fields.iter().find(|f| f.name == *k)?;
            found = Some(f);
            fields = match object_of(&f.node) {
                Some(fs) => fs,
                None => &EMPTY,
            };
        }
        found
    }

    /// Every field name declared anywhere in the shape.
    pub fn all_names(&self) -> std::collections::BTreeSet<&str> {
        fn walk<'a>(fields: &'a [Field], out: &mut std::collections::BTreeSet<&'a str>) {
            for f in fields {
                out.insert(&f.name);
                if let Some(fs) = object_of(&f.node) {
                    walk(fs, out);
                }
            }
        }
        let mut out = std::collections::BTreeSet::new();
        walk(&self.fields, &mut out);
        out
    }
}

static EMPTY: Vec<Field> = Vec::new();

/// The fields of the objects a node holds (through lists and year maps).
pub fn object_of(node: &Node) -> Option<&Vec<Field>> {
    match node {
        Node::Object(fs) => Some(fs),
        Node::List { item, .. } | Node::ByYear(item) => object_of(item),
        Node::Kind(_) | Node::Enum { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        parse(Path::new("s.json"), src)
            .err()
            .map(|p| p.0.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn bundled_shapes_parse() {
        for (name, _) in BUNDLED {
            assert!(bundled(name).is_some(), "{name}");
        }
    }

    #[test]
    fn declarations_are_checked() {
        let base = r#"{"name":"x","description":"d","years":{"first":"fy"},"fields":{"fy":"fiscal_year",FIELD}}"#;
        let with = |f: &str| problems(&base.replace("FIELD", f));
        assert!(with(r#""a":"text""#).is_empty());
        assert!(with(r#""a":"txt""#)[0].contains("unknown kind \"txt\""));
        assert!(with(r#""a":{"list":"text","object":{}}"#)[0].contains("exactly one of"));
        assert!(with(r#""a":{"kind":"text","optinal":true}"#)[0].contains("unknown key \"optinal\""));
        assert!(with(r#""a":{"enum":["A"],"legend":{"B":"b"}}"#)[0].contains("not one of the values"));
        assert!(with(r#""a":{"kind":"text","absent_with":"zz"}"#)[0].contains("beside it"));
        let bad_years = problems(r#"{"name":"x","description":"d","years":{"first":"t"},"fields":{"t":"text"}}"#);
        assert!(bad_years[0].contains("must have the kind fiscal_year"), "{bad_years:?}");
    }
}
