//! Writing answers into the plan's JSON, leaving everything else as it was.
//!
//! The store is edited as JSON (object keys keep their order), not through
//! the typed plan, so that fields and forms the answers do not touch stay
//! exactly as written.

use crate::data::{Decimal, YearValue};
use serde_json::{Map, Value, json};

/// The report year's answer for one measured row: a value and its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The value.
    pub value: Decimal,
    /// The note printed under it (`※速報値`).
    pub note: Option<String>,
}

impl Entry {
    /// The entry as the data file writes it: `"431"`, or
    /// `{"value": "431", "note": "※速報値"}`.
    ///
    /// ```
    /// use shiryo::import::store::Entry;
    /// let e = Entry { value: "82".parse().unwrap(), note: Some("※速報値".into()) };
    /// assert_eq!(e.to_json().to_string(), r#"{"value":"82","note":"※速報値"}"#);
    /// ```
    pub fn to_json(&self) -> Value {
        match &self.note {
            None => Value::String(self.value.to_string()),
            Some(n) => json!({ "value": self.value.to_string(), "note": n }),
        }
    }
}

/// The indicator or measure with `id`.
fn item_mut<'a>(store: &'a mut Value, id: &str) -> Option<&'a mut Map<String, Value>> {
    let goals = store.get_mut("goals")?.as_array_mut()?;
    for goal in goals {
        let Some(inds) = goal.get_mut("indicators").and_then(Value::as_array_mut) else {
            continue;
        };
        for ind in inds {
            if ind.get("id").and_then(Value::as_str) == Some(id) {
                return ind.as_object_mut();
            }
            if let Some(ms) = ind.get_mut("measures").and_then(Value::as_array_mut) {
                for m in ms {
                    if m.get("id").and_then(Value::as_str) == Some(id) {
                        return m.as_object_mut();
                    }
                }
            }
        }
    }
    None
}

/// The value of fiscal `year` after the edition of the same year answered
/// `entry`: entries shown by other editions (a "not measured" known from
/// the baseline, say) are kept as revisions; an entry of this edition is
/// replaced.
fn with_answer(old: Option<&Value>, year: i32, baseline: i32, entry: &Entry) -> Value {
    // Each entry with its JSON as written, so kept entries keep their form.
    let written: Vec<Value> = match old {
        Some(Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    let parsed: Option<YearValue> = old.and_then(|v| serde_json::from_value(v.clone()).ok());
    let entries = parsed.as_ref().map_or(&[][..], |v| v.entries());
    let others = |keep: fn(i32, i32) -> bool| -> Vec<Value> {
        entries
            .iter()
            .zip(&written)
            .filter(|(e, _)| keep(e.reported_in(year, baseline), year))
            .map(|(_, w)| w.clone())
            .collect()
    };
    let (earlier, later) = (others(|r, y| r < y), others(|r, y| r > y));
    if earlier.is_empty() && later.is_empty() {
        return entry.to_json();
    }
    let mut new = json!({ "value": entry.value.to_string() });
    if let Some(n) = &entry.note {
        new["note"] = json!(n);
    }
    new["reported_in"] = json!(year);
    let mut list = earlier;
    list.push(new);
    list.extend(later);
    Value::Array(list)
}

/// Sets the report year's value of the measured row `id`. Returns the old
/// JSON value when something changed (`Value::Null` for none).
///
/// ```
/// use shiryo::import::store::{Entry, set_value};
/// let mut store = serde_json::json!({"goals": [{"indicators": [
///     {"id": "a", "values": {"2024": "442"}}]}]});
/// let e = Entry { value: "450".parse().unwrap(), note: None };
/// assert_eq!(set_value(&mut store, "a", 2025, 2022, &e), Some(serde_json::Value::Null));
/// assert_eq!(store["goals"][0]["indicators"][0]["values"]["2025"], "450");
/// assert_eq!(set_value(&mut store, "a", 2025, 2022, &e), None);
/// ```
pub fn set_value(store: &mut Value, id: &str, year: i32, baseline: i32, entry: &Entry) -> Option<Value> {
    let item = item_mut(store, id)?;
    let values = item
        .entry("values")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let key = year.to_string();
    let old = values.get(&key).cloned();
    let new = with_answer(old.as_ref(), year, baseline, entry);
    if old.as_ref() == Some(&new) {
        return None;
    }
    values.insert(key, new);
    sort_years(values);
    Some(old.unwrap_or(Value::Null))
}

/// Sets the report year's text `field` (`actions` or `outlook`) of the
/// indicator `id`. Returns the old text when something changed (`None`
/// inside for no text before).
pub fn set_text(store: &mut Value, id: &str, year: i32, field: &str, text: &str) -> Option<Option<String>> {
    let item = item_mut(store, id)?;
    let reports = item
        .entry("reports")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let key = year.to_string();
    let report = reports
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let old = report.get(field).and_then(Value::as_str).map(str::to_string);
    if old.as_deref() == Some(text) {
        return None;
    }
    report.insert(field.to_string(), Value::String(text.to_string()));
    sort_years(reports);
    Some(old)
}

/// Adds an edition for `year` unless there is one; editions stay in year
/// order. Returns whether one was added.
///
/// ```
/// let mut store = serde_json::json!({"editions": [{"year": 2023}, {"year": 2024}]});
/// assert!(shiryo::import::store::add_edition(&mut store, 2025));
/// assert!(!shiryo::import::store::add_edition(&mut store, 2025));
/// assert_eq!(store["editions"][2]["year"], 2025);
/// ```
pub fn add_edition(store: &mut Value, year: i32) -> bool {
    let Some(obj) = store.as_object_mut() else {
        return false;
    };
    let editions = obj.entry("editions").or_insert_with(|| Value::Array(Vec::new()));
    let Some(list) = editions.as_array_mut() else {
        return false;
    };
    let year_of = |e: &Value| e.get("year").and_then(Value::as_i64).unwrap_or(i64::MIN);
    if list.iter().any(|e| year_of(e) == i64::from(year)) {
        return false;
    }
    let at = list
        .iter()
        .position(|e| year_of(e) > i64::from(year))
        .unwrap_or(list.len());
    list.insert(at, json!({ "year": year }));
    true
}

/// Keeps a map keyed by fiscal years in year order after an insertion.
fn sort_years(map: &mut Map<String, Value>) {
    let year = |k: &str| k.parse::<i64>().unwrap_or(i64::MAX);
    let keys: Vec<&String> = map.keys().collect();
    if keys.windows(2).all(|w| year(w[0]) <= year(w[1])) {
        return;
    }
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    entries.sort_by_key(|(k, _)| year(k));
    map.extend(entries);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: &str, note: Option<&str>) -> Entry {
        Entry {
            value: v.parse().unwrap(),
            note: note.map(str::to_string),
        }
    }

    fn store(values: Value) -> Value {
        json!({"goals": [{"indicators": [{"id": "x", "values": values}]}]})
    }

    #[test]
    fn a_provisional_value_is_stored_with_its_note() {
        let mut s = store(json!({"2024": "1"}));
        set_value(&mut s, "x", 2025, 2022, &entry("82", Some("※速報値"))).unwrap();
        assert_eq!(
            s["goals"][0]["indicators"][0]["values"]["2025"],
            json!({"value": "82", "note": "※速報値"})
        );
    }

    #[test]
    fn an_entry_of_the_same_edition_is_replaced() {
        let mut s = store(json!({"2025": {"value": "82", "note": "※速報値"}}));
        let old = set_value(&mut s, "x", 2025, 2022, &entry("83", None)).unwrap();
        assert_eq!(old, json!({"value": "82", "note": "※速報値"}));
        assert_eq!(s["goals"][0]["indicators"][0]["values"]["2025"], json!("83"));
    }

    #[test]
    fn an_earlier_editions_not_measured_is_kept_as_history() {
        let mut s = store(json!({"2025": "not-measured"}));
        set_value(&mut s, "x", 2025, 2022, &entry("12.5", None)).unwrap();
        let v = &s["goals"][0]["indicators"][0]["values"]["2025"];
        assert_eq!(*v, json!(["not-measured", {"value": "12.5", "reported_in": 2025}]));
        let parsed: YearValue = serde_json::from_value(v.clone()).unwrap();
        assert!(parsed.as_of(2025, 2022, 2024).unwrap().not_measured);
        assert_eq!(
            parsed.as_of(2025, 2022, 2025).unwrap().value.as_ref().unwrap().as_str(),
            "12.5"
        );
    }

    #[test]
    fn years_stay_in_order() {
        let mut s = store(json!({"2022": "1", "2024": "3"}));
        set_value(&mut s, "x", 2023, 2022, &entry("2", None)).unwrap();
        let keys: Vec<&String> = s["goals"][0]["indicators"][0]["values"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["2022", "2023", "2024"]);
    }

    #[test]
    fn texts_create_the_report_and_report_changes_only() {
        let mut s = store(json!({}));
        assert_eq!(set_text(&mut s, "x", 2025, "actions", "a"), Some(None));
        assert_eq!(set_text(&mut s, "x", 2025, "actions", "a"), None);
        assert_eq!(set_text(&mut s, "x", 2025, "actions", "b"), Some(Some("a".into())));
        assert_eq!(s["goals"][0]["indicators"][0]["reports"]["2025"]["actions"], "b");
        assert_eq!(set_text(&mut s, "nope", 2025, "actions", "b"), None);
    }
}
