//! A shape as JSON Schema (draft 2020-12), for `shiryo schema data` and
//! editors that complete and check data files as they are typed.

use super::{Field, Kind, Node, Shape};
use serde_json::{Map, Value, json};

/// The JSON Schema of data files of `shape`.
///
/// ```
/// let s = shiryo::shape::bundled("progress-survey").unwrap();
/// let schema = shiryo::shape::schema::json_schema(&s);
/// assert_eq!(schema["properties"]["goals"]["type"], "array");
/// assert_eq!(schema["additionalProperties"], false);
/// ```
pub fn json_schema(shape: &Shape) -> Value {
    let mut root = object(&shape.fields);
    if let Some(props) = root.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert(
            "layout".into(),
            json!({"type": "string", "description": "The name of the bundled layout this data renders with by default."}),
        );
        props.insert("$schema".into(), json!({"type": "string"}));
    }
    let mut out = Map::new();
    out.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    out.insert("title".into(), json!(shape.name));
    out.insert("description".into(), json!(shape.description));
    if let Value::Object(o) = root {
        out.extend(o);
    }
    out.insert("$defs".into(), defs());
    Value::Object(out)
}

fn object(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let mut s = node(&f.node);
        if let (Some(doc), Value::Object(o)) = (&f.doc, &mut s) {
            o.insert("description".into(), json!(doc));
        }
        if f.nullable {
            s = json!({"anyOf": [s, {"type": "null"}]});
        }
        if !f.optional {
            required.push(json!(f.name));
        }
        props.insert(f.name.clone(), s);
    }
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn node(n: &Node) -> Value {
    match n {
        Node::Kind(k) => kind(*k),
        Node::Object(fields) => object(fields),
        Node::List { item, min } => json!({"type": "array", "items": node(item), "minItems": min}),
        Node::ByYear(item) => json!({
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]{4}$"},
            "additionalProperties": node(item)
        }),
        Node::Enum { values, legend } => {
            let mut s = json!({"enum": values});
            if !legend.is_empty() {
                let text: Vec<String> = legend.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                s["description"] = json!(text.join("; "));
            }
            s
        }
    }
}

fn kind(k: Kind) -> Value {
    match k {
        Kind::Text => json!({"type": "string"}),
        Kind::Integer => json!({"type": "integer"}),
        Kind::Boolean => json!({"type": "boolean"}),
        Kind::FiscalYear => json!({"type": "integer", "minimum": 1900, "maximum": 9999}),
        Kind::Date => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        Kind::Id => json!({"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}),
        Kind::Decimal => json!({"$ref": "#/$defs/decimal"}),
        Kind::YearSeries => json!({"$ref": "#/$defs/year_series"}),
        Kind::Target => json!({"$ref": "#/$defs/target"}),
        Kind::Quantity => json!({"$ref": "#/$defs/quantity"}),
        Kind::Editions => json!({"$ref": "#/$defs/editions"}),
    }
}

/// A decimal as printed: ASCII digits with `,` and `.`, or full-width
/// digits with `，` and `．`; separators between groups of three digits.
const DECIMAL: &str =
    "^-?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?|([０-９]{1,3}(，[０-９]{3})+|[０-９]+)(．[０-９]+)?)$";

/// The definitions of the structured kinds.
fn defs() -> Value {
    json!({
        "decimal": {
            "description": "A decimal number kept as printed: a string of digits (ASCII or full-width), thousands separators only between groups of three digits, at most one '.'; or a JSON integer.",
            "anyOf": [{"type": "string", "pattern": DECIMAL}, {"type": "integer"}]
        },
        "year_entry": {
            "anyOf": [
                {"type": "string", "pattern": DECIMAL},
                {"const": "not-measured"},
                {"type": "integer"},
                {"type": "object", "additionalProperties": false, "properties": {
                    "value": {"$ref": "#/$defs/decimal"},
                    "not_measured": {"type": "boolean"},
                    "lost": {"type": "boolean", "description": "The source's figure is lost (smudged, garbled, cut off); the layout says how it prints."},
                    "note": {"type": "string"},
                    "reported_in": {"type": "integer"},
                    "remark": {"type": "string"}
                }}
            ]
        },
        "year_series": {
            "description": "Values by fiscal year: a decimal string (\"20.60\"), an integer, \"not-measured\", an entry object, or a list of entries (revisions, oldest first).",
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]{4}$"},
            "additionalProperties": {"anyOf": [
                {"$ref": "#/$defs/year_entry"},
                {"type": "array", "items": {"$ref": "#/$defs/year_entry"}}
            ]}
        },
        "target": {
            "type": "object", "additionalProperties": false, "required": ["value"],
            "properties": {"value": {"$ref": "#/$defs/decimal"}, "qualifier": {"enum": ["以上", "以下"]}}
        },
        "quantity": {
            "type": "object", "additionalProperties": false, "required": ["value"],
            "properties": {"value": {"$ref": "#/$defs/decimal"}, "unit": {"type": "string"}}
        },
        "editions": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["year"], "properties": {
                "year": {"type": "integer"},
                "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
            }}
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_data_validates_against_its_schema() {
        for (shape, data) in [
            ("progress-survey", "data/dai5ki.json"),
            ("progress-survey", "data/dai4ki.json"),
            ("business-plan", "data/jigyo-keikaku-r2.json"),
        ] {
            let s = super::json_schema(&crate::shape::bundled(shape).unwrap());
            let v = jsonschema::validator_for(&s).unwrap();
            let d: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data).unwrap()).unwrap();
            let errors: Vec<String> = v.iter_errors(&d).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{data}: {errors:?}");
        }
    }
}
