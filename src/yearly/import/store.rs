//! Writing answers into the data's JSON, leaving everything else as it was.
//!
//! The store is edited as JSON (object keys keep their order), so that
//! fields and forms the answers do not touch stay exactly as written. An
//! item is found by the value of its id field, wherever it sits.

use crate::value::{Decimal, YearValue};
use serde_json::{Map, Value, json};

/// An answer for one year of a measured row: a value and its note, or
/// "not measured" (―).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The value; `None` for not measured.
    pub value: Option<Decimal>,
    /// The note printed under it (`※速報値`).
    pub note: Option<String>,
}

impl Entry {
    /// The entry as the data file writes it when no other edition showed
    /// the year: `"431"`, `{"value": "431", "note": "※速報値"}`, or for not
    /// measured `{"not_measured": true, "reported_in": 2025}` (it would
    /// otherwise count from the baseline).
    ///
    /// ```
    /// use shiryo::yearly::import::store::Entry;
    /// let e = Entry { value: Some("82".parse().unwrap()), note: Some("※速報値".into()) };
    /// assert_eq!(e.to_json(2025).to_string(), r#"{"value":"82","note":"※速報値"}"#);
    /// let e = Entry { value: None, note: None };
    /// assert_eq!(e.to_json(2025).to_string(), r#"{"not_measured":true,"reported_in":2025}"#);
    /// ```
    pub fn to_json(&self, edition: i32) -> Value {
        match (&self.value, &self.note) {
            (None, _) => json!({ "not_measured": true, "reported_in": edition }),
            (Some(v), None) => Value::String(v.to_string()),
            (Some(v), Some(n)) => json!({ "value": v.to_string(), "note": n }),
        }
    }

    /// Whether the entry says what `shown` (an entry of the data) says: the
    /// same figure (in any written form, `8175` or `8,175`) and note, or
    /// not measured.
    pub fn same_as(&self, shown: &crate::value::YearEntry) -> bool {
        match &self.value {
            None => shown.not_measured,
            Some(v) => {
                !shown.not_measured && shown.value.as_ref().is_some_and(|s| s.same_figure(v)) && shown.note == self.note
            }
        }
    }
}

/// The JSON pointers of the objects whose field `id_field` is `id`.
///
/// ```
/// let store = serde_json::json!({"a": [{"id": "x"}, {"b": {"id": "y"}}]});
/// assert_eq!(shiryo::yearly::import::store::find(&store, "id", "y"), ["/a/1/b"]);
/// ```
pub fn find(store: &Value, id_field: &str, id: &str) -> Vec<String> {
    index(store, id_field).remove(id).unwrap_or_default()
}

/// The JSON pointers of the objects that have the field `id_field`, by
/// its value: [`find`] for every id in one walk.
///
/// ```
/// let store = serde_json::json!({"a": [{"id": "x"}, {"id": 7}]});
/// let ids = shiryo::yearly::import::store::index(&store, "id");
/// assert_eq!((ids["x"][0].as_str(), ids["7"][0].as_str()), ("/a/0", "/a/1"));
/// ```
pub fn index(store: &Value, id_field: &str) -> std::collections::HashMap<String, Vec<String>> {
    fn walk(v: &Value, at: &mut String, id_field: &str, out: &mut std::collections::HashMap<String, Vec<String>>) {
        match v {
            Value::Object(m) => {
                if let Some(x) = m.get(id_field) {
                    out.entry(crate::layout::template::value_text(x))
                        .or_default()
                        .push(at.clone());
                }
                for (k, x) in m {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(x, at, id_field, out);
                    at.truncate(len);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    walk(x, at, id_field, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = std::collections::HashMap::new();
    walk(store, &mut String::new(), id_field, &mut out);
    out
}

/// The year series entry of fiscal `year` at `field` below the item at the
/// JSON pointer `at`, if the store has one.
///
/// ```
/// let store = serde_json::json!({"a": [{"values": {"2024": {"value": "442", "note": "※速報値"}}}]});
/// let v = shiryo::yearly::import::store::year_value(&store, "/a/0", &["values".into()], 2024).unwrap();
/// assert_eq!(v.as_of(2024, 2022, 2024).unwrap().note.as_deref(), Some("※速報値"));
/// ```
pub fn year_value(store: &Value, at: &str, field: &[String], year: i32) -> Option<crate::value::YearValue> {
    let mut v = store.pointer(at)?;
    for k in field {
        v = v.get(k)?;
    }
    crate::value::YearValue::from_json(v.get(year.to_string())?).ok()
}

/// The text at `field` below the item at the JSON pointer `at`, if any.
pub fn text(store: &Value, at: &str, field: &[String]) -> Option<String> {
    let mut v = store.pointer(at)?;
    for k in field {
        v = v.get(k)?;
    }
    v.as_str().filter(|t| !t.trim().is_empty()).map(str::to_string)
}

/// The object at `item` (a JSON pointer), then down `field`, creating the
/// objects on the way.
fn field_mut<'a>(store: &'a mut Value, item: &str, field: &[String]) -> Option<&'a mut Map<String, Value>> {
    let mut cur = store.pointer_mut(item)?.as_object_mut()?;
    for k in field {
        cur = cur
            .entry(k.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()?;
    }
    Some(cur)
}

/// The value of fiscal `year` after the edition of the same year answered
/// `entry`: entries shown by other editions (a "not measured" known from
/// the baseline, say) are kept as revisions; an entry of this edition is
/// replaced.
fn with_answer(old: Option<&Value>, year: i32, edition: i32, first: i32, entry: &Entry) -> Value {
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
            .filter(|(e, _)| keep(e.reported_in(year, first), edition))
            .map(|(_, w)| w.clone())
            .collect()
    };
    let (earlier, later) = (others(|r, y| r < y), others(|r, y| r > y));
    if earlier.is_empty() && later.is_empty() && edition == year {
        return entry.to_json(edition);
    }
    let mut new = match &entry.value {
        Some(v) => json!({ "value": v.to_string() }),
        None => json!({ "not_measured": true }),
    };
    if let Some(n) = &entry.note {
        new["note"] = json!(n);
    }
    new["reported_in"] = json!(edition);
    if earlier.is_empty() && later.is_empty() {
        return new;
    }
    let mut list = earlier;
    list.push(new);
    list.extend(later);
    Value::Array(list)
}

/// Where an answer for one year goes: the item (a JSON pointer), the year
/// series field below it, the fiscal year, the edition answering (the
/// report year) and the document's first year.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The item's JSON pointer.
    pub item: &'a str,
    /// The year series field below the item.
    pub field: &'a [String],
    /// The fiscal year the entry is for.
    pub year: i32,
    /// The report year of the edition that answers (the year itself, or a
    /// later one confirming an earlier figure).
    pub edition: i32,
    /// The document's first year.
    pub first: i32,
}

/// Sets the entry of fiscal `at.year` of the year series at `at.field`
/// below the item at `at.item`, as answered by the edition `at.edition`:
/// entries earlier or later editions showed stay as revisions, so every
/// edition still prints what it printed. Returns the old JSON value when
/// something changed (`Value::Null` for none).
///
/// ```
/// use shiryo::yearly::import::store::{At, Entry, set_value};
/// let mut store = serde_json::json!({"goals": [{"indicators": [
///     {"id": "a", "values": {"2024": {"value": "442", "note": "※速報値"}}}]}]});
/// let e = Entry { value: Some("450".parse().unwrap()), note: None };
/// let values = ["values".to_string()];
/// let at = At { item: "/goals/0/indicators/0", field: &values, year: 2025, edition: 2025, first: 2022 };
/// assert_eq!(set_value(&mut store, &at, &e), Some(serde_json::Value::Null));
/// assert_eq!(store["goals"][0]["indicators"][0]["values"]["2025"], "450");
/// assert_eq!(set_value(&mut store, &at, &e), None);
/// // 令和６年度's provisional figure confirmed by the 令和７年度 edition: the
/// // 令和６年度 edition still prints what it published.
/// let confirmed = Entry { value: Some("445".parse().unwrap()), note: None };
/// set_value(&mut store, &At { year: 2024, ..at }, &confirmed);
/// assert_eq!(
///     store["goals"][0]["indicators"][0]["values"]["2024"],
///     serde_json::json!([{"value": "442", "note": "※速報値"}, {"value": "445", "reported_in": 2025}])
/// );
/// ```
pub fn set_value(store: &mut Value, at: &At, entry: &Entry) -> Option<Value> {
    let values = field_mut(store, at.item, at.field)?;
    let key = at.year.to_string();
    let old = values.get(&key).cloned();
    let new = with_answer(old.as_ref(), at.year, at.edition, at.first, entry);
    if old.as_ref() == Some(&new) {
        return None;
    }
    values.insert(key, new);
    sort_years(values);
    Some(old.unwrap_or(Value::Null))
}

/// Sets the text at `field` below the item at `item`. Returns the old
/// text when something changed (`None` inside for no text before).
/// Objects keyed by fiscal year on the way stay in year order.
pub fn set_text(store: &mut Value, item: &str, field: &[String], text: &str) -> Option<Option<String>> {
    let (last, parents) = field.split_last()?;
    let parent = field_mut(store, item, parents)?;
    let old = parent.get(last).and_then(Value::as_str).map(str::to_string);
    if old.as_deref() == Some(text) {
        return None;
    }
    parent.insert(last.clone(), Value::String(text.to_string()));
    // Keep any year-keyed map on the way in year order.
    for depth in 0..parents.len() {
        let upto = &parents[..depth];
        let is_year = parents[depth].len() == 4 && parents[depth].bytes().all(|b| b.is_ascii_digit());
        if is_year && let Some(map) = field_mut(store, item, upto) {
            sort_years(map);
        }
    }
    Some(old)
}

/// Adds an edition for `year` to the list at the top-level field
/// `editions` unless there is one; editions stay in year order. Returns
/// whether one was added.
///
/// ```
/// let mut store = serde_json::json!({"editions": [{"year": 2023}, {"year": 2024}]});
/// assert!(shiryo::yearly::import::store::add_edition(&mut store, "editions", 2025));
/// assert!(!shiryo::yearly::import::store::add_edition(&mut store, "editions", 2025));
/// assert_eq!(store["editions"][2]["year"], 2025);
/// ```
pub fn add_edition(store: &mut Value, editions: &str, year: i32) -> bool {
    let Some(obj) = store.as_object_mut() else {
        return false;
    };
    let editions = obj.entry(editions).or_insert_with(|| Value::Array(Vec::new()));
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

/// The store's JSON written in the form of the file it was read from: the
/// same indentation (spaces or tabs, as many as the file's first indented
/// line), the same line ends and the same final line end, keys in their
/// order, so that a version-controlled data file shows the answers alone.
///
/// ```
/// let old = b"{\r\n    \"a\": 1\r\n}";
/// let text = shiryo::yearly::import::store::in_the_form_of(&serde_json::json!({"a": 2}), old).unwrap();
/// assert_eq!(text, "{\r\n    \"a\": 2\r\n}");
/// ```
pub fn in_the_form_of(json: &Value, original: &[u8]) -> Result<String, serde_json::Error> {
    let text = String::from_utf8_lossy(original);
    let indent: String = text
        .lines()
        .skip(1)
        .find(|l| l.starts_with([' ', '\t']))
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').collect())
        .unwrap_or_else(|| "  ".to_string());
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    serde::Serialize::serialize(json, &mut ser)?;
    let mut s = String::from_utf8(out).unwrap_or_default();
    let crlf = text.contains("\r\n");
    if crlf {
        s = s.replace('\n', "\r\n");
    }
    if text.ends_with('\n') {
        s.push_str(if crlf { "\r\n" } else { "\n" });
    }
    Ok(s)
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

    fn at(year: i32) -> At<'static> {
        static VALUES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(values);
        At {
            item: AT,
            field: &VALUES,
            year,
            edition: year,
            first: 2022,
        }
    }

    fn entry(v: &str, note: Option<&str>) -> Entry {
        Entry {
            value: Some(v.parse().unwrap()),
            note: note.map(str::to_string),
        }
    }

    fn store(values: Value) -> Value {
        json!({"goals": [{"indicators": [{"id": "x", "values": values}]}]})
    }

    const AT: &str = "/goals/0/indicators/0";

    fn values() -> Vec<String> {
        vec!["values".to_string()]
    }

    #[test]
    fn a_provisional_value_is_stored_with_its_note() {
        let mut s = store(json!({"2024": "1"}));
        set_value(&mut s, &at(2025), &entry("82", Some("※速報値"))).unwrap();
        assert_eq!(
            s["goals"][0]["indicators"][0]["values"]["2025"],
            json!({"value": "82", "note": "※速報値"})
        );
    }

    #[test]
    fn an_entry_of_the_same_edition_is_replaced() {
        let mut s = store(json!({"2025": {"value": "82", "note": "※速報値"}}));
        let old = set_value(&mut s, &at(2025), &entry("83", None)).unwrap();
        assert_eq!(old, json!({"value": "82", "note": "※速報値"}));
        assert_eq!(s["goals"][0]["indicators"][0]["values"]["2025"], json!("83"));
    }

    #[test]
    fn an_earlier_editions_not_measured_is_kept_as_history() {
        let mut s = store(json!({"2025": "not-measured"}));
        set_value(&mut s, &at(2025), &entry("12.5", None)).unwrap();
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
    fn not_measured_counts_from_its_edition() {
        let mut s = store(json!({}));
        let none = Entry {
            value: None,
            note: None,
        };
        set_value(&mut s, &at(2025), &none).unwrap();
        let v = &s["goals"][0]["indicators"][0]["values"]["2025"];
        assert_eq!(*v, json!({"not_measured": true, "reported_in": 2025}));
        let parsed: YearValue = serde_json::from_value(v.clone()).unwrap();
        assert!(parsed.as_of(2025, 2022, 2024).is_none());
        assert!(parsed.as_of(2025, 2022, 2025).unwrap().not_measured);
    }

    #[test]
    fn an_answer_replaces_a_lost_figure_and_the_same_figure_is_no_change() {
        let mut s = store(json!({"2025": {"lost": true, "remark": "smudged"}}));
        let lost: YearValue = serde_json::from_value(s["goals"][0]["indicators"][0]["values"]["2025"].clone()).unwrap();
        let shown = lost.as_of(2025, 2022, 2025).unwrap();
        assert!(!entry("450", None).same_as(shown));
        set_value(&mut s, &at(2025), &entry("450", None)).unwrap();
        assert_eq!(s["goals"][0]["indicators"][0]["values"]["2025"], json!("450"));
        // 8175 answered where the data says "8,175" is the same figure.
        let stored: YearValue = serde_json::from_value(json!("8,175")).unwrap();
        assert!(entry("8175", None).same_as(stored.as_of(2025, 2022, 2025).unwrap()));
        assert!(!entry("8176", None).same_as(stored.as_of(2025, 2022, 2025).unwrap()));
    }

    #[test]
    fn years_stay_in_order() {
        let mut s = store(json!({"2022": "1", "2024": "3"}));
        set_value(&mut s, &at(2023), &entry("2", None)).unwrap();
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
        let f: Vec<String> = ["reports", "2025", "actions"].map(String::from).to_vec();
        assert_eq!(set_text(&mut s, AT, &f, "a"), Some(None));
        assert_eq!(set_text(&mut s, AT, &f, "a"), None);
        assert_eq!(set_text(&mut s, AT, &f, "b"), Some(Some("a".into())));
        assert_eq!(s["goals"][0]["indicators"][0]["reports"]["2025"]["actions"], "b");
        assert_eq!(set_text(&mut s, "/nope", &f, "b"), None);
        let f24: Vec<String> = ["reports", "2024", "actions"].map(String::from).to_vec();
        set_text(&mut s, AT, &f24, "c");
        let keys: Vec<&String> = s["goals"][0]["indicators"][0]["reports"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["2024", "2025"]);
    }
}
