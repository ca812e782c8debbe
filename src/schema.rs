//! JSON Schemas of the data and layout files (from their types, with
//! schemars), and validation against them that reports every problem of a
//! file at once, each at its JSON path.

use crate::data::Plan;
use crate::data::business::BusinessPlan;
use crate::diag::Problem;
use crate::layout::Layout;
use schemars::JsonSchema;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// A data file: a progress survey or a business plan.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum DataFile {
    /// A progress survey: goals → indicators → measures.
    Progress(Plan),
    /// A business plan: divisions → units → sections → items.
    Business(BusinessPlan),
}

/// The JSON Schema of plan data files (either kind).
///
/// ```
/// let s = shiryo::schema::data();
/// assert!(s["anyOf"].is_array());
/// ```
pub fn data() -> Value {
    serde_json::to_value(schemars::schema_for!(DataFile)).expect("a schema is JSON")
}

/// The JSON Schema of layout files.
pub fn layout() -> Value {
    serde_json::to_value(schemars::schema_for!(Layout)).expect("a schema is JSON")
}

/// The schema a file is validated against: optional objects accept the
/// object only (files omit an absent one rather than writing `null`), so
/// that a wrong value is reported from inside its type.
fn strict(mut schema: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(any)) = map.get("anyOf")
                    && any.len() == 2
                    && any.iter().any(|s| s == &serde_json::json!({"type": "null"}))
                {
                    let other = any.iter().find(|s| *s != &serde_json::json!({"type": "null"})).cloned();
                    if let Some(Value::Object(o)) = other {
                        map.remove("anyOf");
                        for (k, val) in o {
                            map.entry(k).or_insert(val);
                        }
                    }
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}

fn schema_of(kind: Kind) -> Value {
    strict(match kind {
        Kind::Progress => serde_json::to_value(schemars::schema_for!(Plan)).expect("JSON"),
        Kind::Business => serde_json::to_value(schemars::schema_for!(BusinessPlan)).expect("JSON"),
        Kind::Layout => layout(),
    })
}

/// The kinds of file shiryo reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A progress survey's data.
    Progress,
    /// A business plan's data.
    Business,
    /// A layout.
    Layout,
}

/// Every field name any object of a data kind's schema has: a template may
/// name one that no item happens to carry (an optional field), but not one
/// the format does not know.
pub fn known_fields(kind: Kind) -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    out.extend(props.keys().cloned());
                }
                m.values().for_each(|c| walk(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(&schema_of(kind), &mut out);
    out
}

/// Every place where `value` (read from `path`) breaks the schema of
/// `kind`, as problems naming the JSON path.
pub fn problems(path: &Path, value: &Value, kind: Kind) -> Vec<Problem> {
    // Each kind's schema is compiled once, when first needed.
    static CACHE: [OnceLock<(Value, jsonschema::Validator)>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (schema, v) = CACHE[kind as usize].get_or_init(|| {
        let s = schema_of(kind);
        let v = jsonschema::validator_for(&s).expect("the generated schema compiles");
        (s, v)
    });
    v.iter_errors(value)
        .map(|e| {
            let found = e.instance().to_string();
            let found = if found.chars().count() > 80 {
                format!("{}…", found.chars().take(80).collect::<String>())
            } else {
                found
            };
            let node = schema.pointer(
                e.schema_path()
                    .as_str()
                    .trim_end_matches("/anyOf")
                    .trim_end_matches("/oneOf"),
            );
            let consts: Vec<String> = node
                .and_then(|n| n.get("oneOf").or_else(|| n.get("anyOf")))
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|o| o.get("const")).map(Value::to_string).collect())
                .unwrap_or_default();
            let described = if consts.is_empty() {
                node.and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .map(|d| d.trim_end_matches('.').to_string())
            } else {
                Some(format!("one of {}", consts.join(", ")))
            };
            let msg = message(&e.to_string(), &found, described);
            Problem::new(path, pointer_to_path(e.instance_path().as_str()), msg)
        })
        .collect()
}

/// `/goals/0/indicators/2/unit` → `goals[0].indicators[2].unit`.
///
/// ```
/// assert_eq!(shiryo::schema::pointer_to_path("/goals/0/values/2024"), "goals[0].values.2024");
/// ```
pub fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let is_index = !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) && seg.len() < 6;
        if is_index && !out.is_empty() && !out.ends_with("values") && !out.ends_with("reports") {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// Says what was expected, and what was found.
fn message(m: &str, found: &str, described: Option<String>) -> String {
    if let Some(rest) = m.strip_prefix("Additional properties are not allowed (") {
        let names: Vec<String> = rest
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(|n| format!("\"{n}\""))
            .collect();
        return format!(
            "unknown field {} (see `shiryo schema` for the fields allowed here)",
            names.join(", ")
        );
    }
    if let Some((name, _)) = m.split_once(" is a required property") {
        return format!("missing field {name}");
    }
    if let Some((_, t)) = m.split_once(" is not of type ") {
        let t = t.replace('"', "");
        let what = match t.as_str() {
            "integer" => "an integer".to_string(),
            "number" => "a number".to_string(),
            "string" => "a string".to_string(),
            "array" => "a list".to_string(),
            "object" => "an object".to_string(),
            "boolean" => "true or false".to_string(),
            other => other.to_string(),
        };
        return format!("expected {what}, found {found}");
    }
    if let Some((_, options)) = m.split_once(" is not one of ") {
        return format!("expected {options}, found {found}");
    }
    if m.contains("'anyOf'") || m.contains("'oneOf'") {
        return match described {
            Some(d) => format!("expected {}, found {found}", d.to_lowercase_first()),
            None => format!("found {found}, which is none of the forms allowed here (see `shiryo schema`)"),
        };
    }
    if m.contains("does not match") {
        return format!("{}; found {found}", described.unwrap_or_else(|| m.to_string()));
    }
    m.to_string()
}

trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for String {
    fn to_lowercase_first(&self) -> String {
        let mut c = self.chars();
        match c.next() {
            Some(f) if f.is_ascii_uppercase() => f.to_ascii_lowercase().to_string() + c.as_str(),
            Some(f) => f.to_string() + c.as_str(),
            None => String::new(),
        }
    }
}
