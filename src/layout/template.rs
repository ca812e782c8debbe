//! Text templates of layout files: literal text with `{path|filter|…}`
//! substitutions.
//!
//! A path starts with a binding (`goal`, `indicator`, `measure`, `item`), a
//! variable (`year`, `report_year`, `next_year`, `page`, `pages`) or a field
//! of the plan (`title`), and continues with `.field` or `[variable]`
//! (`indicator.reports[report_year].actions`). Filters:
//!
//! | filter | effect |
//! |---|---|
//! | `fw` | ASCII digits become full-width (`6` → `６`) |
//! | `fw_single` | a lone ASCII digit becomes full-width, longer numbers stay (`R6` → `R６`, `R10` stays) |
//! | `era` | fiscal year → `令和6`, `令和元`, `平成29` |
//! | `fy` | fiscal year → `令和6年度` |
//! | `era_short` | fiscal year → `R6`, `H29` |
//! | `map:k=v,k2=v2` | replaces a value by its mapping; an unmapped value becomes empty |
//! | `default:text` | an empty (or missing) value becomes `text` |
//!
//! `{{` and `}}` stand for literal braces.
//!
//! ```
//! use shiryo::layout::template::{Template, Scope};
//! let t: Template = "{report_year|fy|fw}の取組状況".parse().unwrap();
//! let plan = serde_json::json!({});
//! let mut scope = Scope::new(&plan);
//! scope.set_var("report_year", 2024);
//! assert_eq!(t.render(&scope), "令和６年度の取組状況");
//! ```

use crate::era;
use crate::lang::tr;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    source: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Expr(Expr),
}

/// One `{…}` substitution.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// The path's segments.
    pub path: Vec<Segment>,
    filters: Vec<Filter>,
}

/// A segment of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.name` (or the first name).
    Field(String),
    /// `[variable]`: the field named by the variable's value.
    Var(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    FullWidth,
    FullWidthSingle,
    Era,
    FiscalYear,
    EraShort,
    Map(Vec<(String, String)>),
    Default(String),
}

/// Why a template does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

impl FromStr for Template {
    type Err = TemplateError;

    fn from_str(s: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => inner.push(c),
                            None => {
                                return Err(TemplateError(tr!(
                                    "unclosed '{{' in template {template}",
                                    template = format!("{s:?}")
                                )));
                            }
                        }
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Expr(parse_expr(&inner).map_err(|e| {
                        TemplateError(tr!(
                            "{error} in template {template}",
                            error = e,
                            template = format!("{s:?}")
                        ))
                    })?));
                }
                '}' => {
                    return Err(TemplateError(tr!(
                        "unmatched '}}' in template {template} (write '}}}}' for a brace)",
                        template = format!("{s:?}")
                    )));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            parts,
            source: s.to_string(),
        })
    }
}

fn parse_expr(s: &str) -> Result<Expr, String> {
    let mut pieces = s.split('|');
    let path_src = pieces.next().unwrap_or("").trim();
    let mut path = Vec::new();
    let mut cur = String::new();
    let mut chars = path_src.chars();
    let flush = |cur: &mut String, path: &mut Vec<Segment>| -> Result<(), String> {
        if cur.is_empty() {
            return Err(tr!("empty name in path {path}", path = format!("{path_src:?}")));
        }
        path.push(Segment::Field(std::mem::take(cur)));
        Ok(())
    };
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !after_bracket {
                    flush(&mut cur, &mut path)?;
                }
                after_bracket = false;
            }
            '[' => {
                if !after_bracket {
                    flush(&mut cur, &mut path)?;
                }
                let var: String = chars.by_ref().take_while(|&c| c != ']').collect();
                if var.is_empty() {
                    return Err(tr!("empty [] in path {path}", path = format!("{path_src:?}")));
                }
                path.push(Segment::Var(var.trim().to_string()));
                after_bracket = true;
            }
            c if c.is_alphanumeric() || c == '_' || c == '-' => {
                if after_bracket {
                    return Err(tr!(
                        "expected '.' or '[' after ']' in path {path}",
                        path = format!("{path_src:?}")
                    ));
                }
                cur.push(c)
            }
            c => {
                return Err(tr!(
                    "unexpected {found} in path {path}",
                    found = format!("{c:?}"),
                    path = format!("{path_src:?}")
                ));
            }
        }
    }
    if !after_bracket {
        flush(&mut cur, &mut path)?;
    }
    let filters = pieces
        .map(|f| {
            let f = f.trim();
            match f {
                "fw" => Ok(Filter::FullWidth),
                "fw_single" => Ok(Filter::FullWidthSingle),
                "era" => Ok(Filter::Era),
                "fy" => Ok(Filter::FiscalYear),
                "era_short" => Ok(Filter::EraShort),
                f if f.starts_with("default:") => Ok(Filter::Default(f["default:".len()..].to_string())),
                f if f.starts_with("map:") => Ok(Filter::Map(
                    f[4..]
                        .split(',')
                        .filter(|kv| !kv.is_empty())
                        .map(|kv| {
                            kv.split_once('=')
                                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                                .ok_or_else(|| tr!("expected key=value in filter {filter}", filter = format!("{f:?}")))
                        })
                        .collect::<Result<_, _>>()?,
                )),
                f => Err(tr!(
                    "unknown filter {filter} (known: fw, fw_single, era, fy, era_short, map:k=v, default:text)",
                    filter = format!("{f:?}")
                )),
            }
        })
        .collect::<Result<_, String>>()?;
    Ok(Expr { path, filters })
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl<'de> serde::Deserialize<'de> for Template {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl schemars::JsonSchema for Template {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Template".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Text with {path|filter} substitutions; filters: fw, fw_single, era, fy, era_short, map:k=v, default:text. {{ and }} are literal braces."
        })
    }
}

/// What a template's paths resolve against: the plan, named bindings and
/// numeric variables.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    root: &'a Value,
    /// Top-level fields an edition states differently (its own label or
    /// title), looked up before the root's.
    overrides: Option<&'a Value>,
    /// (name, item, 1-based position in its list).
    bindings: Vec<(&'a str, &'a Value, usize)>,
    vars: Vec<(&'a str, Value)>,
}

impl<'a> Scope<'a> {
    /// A scope over the plan's JSON.
    pub fn new(root: &'a Value) -> Self {
        Scope {
            root,
            overrides: None,
            bindings: Vec::new(),
            vars: Vec::new(),
        }
    }

    /// Top-level fields of `object` (an edition's entry) stand for the
    /// root's fields of the same names.
    ///
    /// ```
    /// use shiryo::layout::template::{Scope, Template};
    /// let data = serde_json::json!({"label": "資料２", "editions": [{"year": 2025, "label": "資料３"}]});
    /// let mut s = Scope::new(&data);
    /// s.set_overrides(&data["editions"][0]);
    /// assert_eq!("{label}".parse::<Template>().unwrap().render(&s), "資料３");
    /// ```
    pub fn set_overrides(&mut self, object: &'a Value) {
        self.overrides = Some(object);
    }

    /// Binds `name` to an item of the data (`goal`, `indicator`, …).
    pub fn bind(&mut self, name: &'a str, value: &'a Value) {
        self.bind_at(name, value, 0);
    }

    /// Binds `name` to the item at 1-based position `index` of its list;
    /// `{NAME_index}` gives the position.
    pub fn bind_at(&mut self, name: &'a str, value: &'a Value, index: usize) {
        self.bindings.retain(|(n, _, _)| *n != name);
        self.bindings.push((name, value, index));
    }

    /// The value bound to `name`.
    pub fn binding(&self, name: &str) -> Option<&'a Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _, _)| *n == name)
            .map(|(_, v, _)| *v)
    }

    /// Sets a variable (`year`, `report_year`, …).
    pub fn set_var(&mut self, name: &'a str, value: impl Into<Value>) {
        self.vars.retain(|(n, _)| *n != name);
        self.vars.push((name, value.into()));
    }

    /// A variable's value; `NAME_index` is the position of the item bound
    /// to NAME.
    pub fn var(&self, name: &str) -> Option<std::borrow::Cow<'_, Value>> {
        if let Some((_, v)) = self.vars.iter().find(|(n, _)| *n == name) {
            return Some(std::borrow::Cow::Borrowed(v));
        }
        let group = name.strip_suffix("_index")?;
        self.bindings
            .iter()
            .rev()
            .find(|(n, _, i)| *n == group && *i > 0)
            .map(|(_, _, i)| std::borrow::Cow::Owned(Value::from(*i)))
    }

    /// Resolves a path that starts at a binding or a field of the plan to a
    /// reference into the data (a variable at the start resolves to `None`).
    pub fn resolve_ref(&self, path: &[Segment]) -> Option<&'a Value> {
        let (Segment::Field(name), rest) = path.split_first()? else {
            return None;
        };
        let start: &'a Value = match self.binding(name) {
            Some(v) => v,
            None => self
                .overrides
                // An edition's own year and date are not fields it restates.
                .filter(|_| name != "year" && name != "date")
                .and_then(|o| o.get(name))
                .or_else(|| self.root.get(name))?,
        };
        self.walk(start, rest)
    }

    /// Resolves a path to a JSON value (a path may also start at a variable).
    pub fn resolve(&self, path: &[Segment]) -> Option<Value> {
        if let Some(v) = self.resolve_ref(path) {
            return Some(v.clone());
        }
        let (Segment::Field(name), rest) = path.split_first()? else {
            return None;
        };
        if self.binding(name).is_some() {
            return None;
        }
        let start = self.var(name)?;
        self.walk(&start, rest).cloned()
    }

    /// Follows `.field` and `[variable]` segments from `start`.
    fn walk<'v>(&self, start: &'v Value, rest: &[Segment]) -> Option<&'v Value> {
        let mut cur = start;
        for seg in rest {
            let key = match seg {
                Segment::Field(f) => std::borrow::Cow::Borrowed(f.as_str()),
                Segment::Var(v) => std::borrow::Cow::Owned(value_text(
                    &self
                        .var(v)
                        .map(|c| c.into_owned())
                        .or_else(|| self.binding(v).cloned())?,
                )),
            };
            cur = match cur {
                Value::Object(m) => m.get(key.as_ref())?,
                Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// The text form of a JSON scalar (`null` and containers are empty).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

impl Template {
    /// The template's source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every substitution of the template.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.parts.iter().filter_map(|p| match p {
            Part::Expr(e) => Some(e),
            Part::Text(_) => None,
        })
    }

    /// Renders the template; a path that does not resolve renders empty.
    pub fn render(&self, scope: &Scope) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Expr(e) => out.push_str(&e.eval(scope)),
            }
        }
        out
    }

    /// The template's only substitution, when it is nothing else (no text
    /// around it, no filters).
    pub fn single_expr(&self) -> Option<&Expr> {
        match &self.parts[..] {
            [Part::Expr(e)] if e.filters.is_empty() => Some(e),
            _ => None,
        }
    }

    /// Whether every substitution resolved to a non-empty value (a template
    /// without substitutions counts as resolved).
    pub fn resolves(&self, scope: &Scope) -> bool {
        self.exprs().all(|e| !e.eval(scope).is_empty())
    }
}

impl Expr {
    /// The first segment's name.
    pub fn root_name(&self) -> &str {
        match self.path.first() {
            Some(Segment::Field(f)) => f,
            _ => "",
        }
    }

    /// Evaluates the substitution.
    pub fn eval(&self, scope: &Scope) -> String {
        let mut text = scope.resolve(&self.path).map(|v| value_text(&v)).unwrap_or_default();
        for f in &self.filters {
            text = match f {
                Filter::FullWidth => era::full_width_digits(&text),
                Filter::FullWidthSingle => era::full_width_single_digits(&text),
                Filter::Era => year_of(&text).map(era::era_year).unwrap_or(text),
                Filter::FiscalYear => year_of(&text).map(era::fiscal_year).unwrap_or(text),
                Filter::EraShort => year_of(&text).map(era::short).unwrap_or(text),
                Filter::Map(pairs) => pairs
                    .iter()
                    .find(|(k, _)| *k == text)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                Filter::Default(d) if text.is_empty() => d.clone(),
                Filter::Default(_) => text,
            };
        }
        text
    }
}

fn year_of(text: &str) -> Option<i32> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(t: &str, scope: &Scope) -> String {
        t.parse::<Template>().unwrap().render(scope)
    }

    #[test]
    fn paths_bindings_and_variables() {
        let plan = json!({"title": "T", "goals": [{"number": 1}]});
        let ind = json!({"reports": {"2024": {"actions": "A"}}, "direction": "decrease"});
        let goal = json!({"number": 3});
        let mut s = Scope::new(&plan);
        s.bind("indicator", &ind);
        s.bind("goal", &goal);
        s.set_var("report_year", 2024);
        assert_eq!(render("{title}", &s), "T");
        assert_eq!(render("基本目標{goal.number|fw}", &s), "基本目標３");
        assert_eq!(render("{indicator.reports[report_year].actions}", &s), "A");
        assert_eq!(
            render("x{indicator.direction|map:decrease=（減少目標）}", &s),
            "x（減少目標）"
        );
        assert_eq!(render("{missing.path}", &s), "");
        assert_eq!(render("{missing.path|default:．}", &s), "．");
        assert_eq!(render("{goal.number|default:．}", &s), "3");
        assert_eq!(render("{goal.number|map:9=x|default:－}", &s), "－");
        assert_eq!(render("{{literal}}", &s), "{literal}");
    }

    #[test]
    fn era_filters() {
        let plan = json!({});
        let mut s = Scope::new(&plan);
        s.set_var("year", 2019);
        assert_eq!(render("{year|fy}", &s), "令和元年度");
        assert_eq!(render("{year|era_short|fw}", &s), "R１");
        assert_eq!(render("{year|era_short|fw_single}", &s), "R１");
        s.set_var("year", 2028);
        assert_eq!(render("{year|era_short|fw}", &s), "R１０");
        assert_eq!(render("{year|era_short|fw_single}", &s), "R10");
        s.set_var("year", 2017);
        assert_eq!(render("{year|fy}（現状値）", &s), "平成29年度（現状値）");
    }

    #[test]
    fn syntax_errors_are_reported() {
        assert!("{unclosed".parse::<Template>().is_err());
        assert!("a}b".parse::<Template>().is_err());
        assert!("{x|nope}".parse::<Template>().is_err());
        assert!("{a..b}".parse::<Template>().is_err());
    }
}
