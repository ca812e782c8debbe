//! The JSON Schema of layout files (from their types, with schemars), and
//! validation against it that reports every problem of a file at once,
//! each at its JSON path.

use super::Layout;
use crate::diag::Problem;
use crate::lang::tr;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

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

/// Every place where `value` (read from `path`) breaks the layout schema,
/// as problems naming the JSON path.
pub fn problems(path: &Path, value: &Value) -> Vec<Problem> {
    // The schema is compiled once, when first needed.
    static CACHE: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    let (schema, v) = CACHE.get_or_init(|| {
        let s = strict(layout());
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
                Some(tr!("one of {values}", values = consts.join(", ")))
            };
            let msg = message(&e.to_string(), &found, described);
            Problem::new(path, pointer_to_path(e.instance_path().as_str()), msg)
        })
        .collect()
}

/// `/columns/0/content/text/2` → `columns[0].content.text[2]`.
///
/// ```
/// assert_eq!(shiryo::layout::schema::pointer_to_path("/columns/3/width_mm"), "columns[3].width_mm");
/// ```
pub fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let is_index = !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) && seg.len() < 6;
        if is_index && !out.is_empty() {
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
        return tr!(
            "unknown field {key} (see `shiryo schema` for the fields allowed here)",
            key = names.join(", ")
        );
    }
    if let Some((name, _)) = m.split_once(" is a required property") {
        return tr!("missing field {field}", field = name);
    }
    if let Some((_, t)) = m.split_once(" is not of type ") {
        let t = t.replace('"', "");
        let what = match t.as_str() {
            "integer" => tr!("an integer"),
            "number" => tr!("a number"),
            "string" => tr!("a string"),
            "array" => tr!("a list"),
            "object" => tr!("an object"),
            "boolean" => tr!("true or false"),
            other => other.to_string(),
        };
        return tr!("expected {what}, found {found}", what = what, found = found);
    }
    if let Some((_, options)) = m.split_once(" is not one of ") {
        return tr!("expected {options}, found {found}", options = options, found = found);
    }
    if m.contains("'anyOf'") || m.contains("'oneOf'") {
        return match described {
            Some(d) => tr!(
                "expected {what}, found {found}",
                what = d.to_lowercase_first(),
                found = found
            ),
            None => tr!(
                "found {found}, which is none of the forms allowed here (see `shiryo schema`)",
                found = found
            ),
        };
    }
    if m.contains("does not match") {
        return tr!(
            "{what}; found {found}",
            what = described.unwrap_or_else(|| m.to_string()),
            found = found
        );
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
