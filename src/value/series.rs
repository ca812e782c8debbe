//! Year series: a value per fiscal year, each a decimal kept as written,
//! "not measured", a figure the source lost, a provisional note
//! (`※速報値`), and revisions across editions.

use super::Decimal;
use crate::lang::tr;
use serde::{Deserialize, Serialize};

/// One stated value of a series for one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearEntry {
    /// The measured value; absent together with `not_measured` and `lost`
    /// for an entry that only records a remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// Not measured this year (prints `―`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_measured: bool,
    /// The edition printed a figure that its source lost (smudged, garbled
    /// or cut off): shown as the layout's mark for a lost figure, never as
    /// the unit alone, which is the blank of a figure not reported yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lost: bool,
    /// A note printed under the value, e.g. `※速報値`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The report year whose edition first showed this entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_in: Option<i32>,
    /// A provenance remark, never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// A year value as written in the data file: a decimal, `"not-measured"`,
/// an entry object, or the list of an entry's revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum YearValue {
    /// A list of entries, oldest first, when a figure was revised.
    Revisions(Vec<YearEntry>),
    /// One entry.
    Entry(YearEntry),
}

impl<'de> Deserialize<'de> for YearValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        YearValue::from_json(&v).map_err(serde::de::Error::custom)
    }
}

impl YearValue {
    /// Reads a year value from the data's JSON without copying it.
    ///
    /// ```
    /// let v = shiryo::value::YearValue::from_json(&serde_json::json!(["not-measured", "12.5"])).unwrap();
    /// assert_eq!(v.entries().len(), 2);
    /// ```
    pub fn from_json(v: &serde_json::Value) -> Result<YearValue, String> {
        use serde_json::Value;
        let plain = |value: Option<Decimal>, not_measured: bool| YearEntry {
            value,
            not_measured,
            lost: false,
            note: None,
            reported_in: None,
            remark: None,
        };
        let entry = |v: &Value| -> Result<YearEntry, String> {
            match v {
                Value::String(s) if s == "not-measured" => Ok(plain(None, true)),
                Value::String(s) => s
                    .parse::<Decimal>()
                    .map(|d| plain(Some(d), false))
                    .map_err(|e| tr!("{error}, or \"not-measured\"", error = e)),
                Value::Number(n) if n.is_u64() || n.is_i64() => Ok(plain(Some(Decimal(n.to_string())), false)),
                o @ Value::Object(_) => YearEntry::deserialize(o).map_err(|e| e.to_string()),
                other => Err(tr!(
                    "expected a decimal string, \"not-measured\", an entry object or a list of entries, found {found}",
                    found = other
                )),
            }
        };
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| entry(v).map_err(|e| tr!("entry {index}: {error}", index = i, error = e)))
                .collect::<Result<Vec<_>, _>>()
                .map(YearValue::Revisions),
            v => entry(v).map(YearValue::Entry),
        }
    }
}

impl YearValue {
    /// The entries, oldest first.
    pub fn entries(&self) -> &[YearEntry] {
        match self {
            YearValue::Revisions(v) => v,
            YearValue::Entry(e) => std::slice::from_ref(e),
        }
    }

    /// What the edition for `report_year` shows for fiscal `year`: the latest
    /// entry already reported by then (a value, not measured, or lost), or
    /// `None` (a blank to fill in).
    ///
    /// ```
    /// use shiryo::value::YearValue;
    /// let v: YearValue = serde_json::from_str(
    ///     r#"[{"value":"82","note":"※速報値","reported_in":2023},{"value":"83","reported_in":2024}]"#,
    /// ).unwrap();
    /// assert_eq!(v.as_of(2023, 2022, 2023).unwrap().note.as_deref(), Some("※速報値"));
    /// assert_eq!(v.as_of(2023, 2022, 2024).unwrap().value.as_ref().unwrap().as_str(), "83");
    /// ```
    pub fn as_of(&self, year: i32, first_year: i32, report_year: i32) -> Option<&YearEntry> {
        self.entries()
            .iter()
            .filter(|e| e.value.is_some() || e.not_measured || e.lost)
            .rfind(|e| e.reported_in(year, first_year) <= report_year)
    }
}

impl YearEntry {
    /// The report year that first showed this entry: as stated, else (for
    /// "not measured") the baseline year, else (a value, a lost figure) the
    /// value's own year.
    pub fn reported_in(&self, year: i32, first_year: i32) -> i32 {
        self.reported_in
            .unwrap_or(if self.not_measured { first_year } else { year })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_value_forms() {
        let v: YearValue = serde_json::from_str("\"not-measured\"").unwrap();
        assert!(v.entries()[0].not_measured);
        let v: YearValue = serde_json::from_str("431").unwrap();
        assert_eq!(v.entries()[0].value.as_ref().unwrap().as_str(), "431");
        assert!(serde_json::from_str::<YearValue>("20.6").is_err());
        assert!(serde_json::from_str::<YearValue>("\"20,6\"").is_err());
    }

    #[test]
    fn not_measured_is_known_from_the_first_year_unless_stated() {
        let v: YearValue = serde_json::from_str("\"not-measured\"").unwrap();
        assert!(v.as_of(2027, 2022, 2023).is_some());
        let v: YearValue = serde_json::from_str(r#"{"not_measured":true,"reported_in":2024}"#).unwrap();
        assert!(v.as_of(2024, 2022, 2023).is_none());
        assert!(v.as_of(2024, 2022, 2024).is_some());
    }

    #[test]
    fn a_lost_figure_is_shown_from_its_own_year() {
        let v: YearValue = serde_json::from_str(r#"{"lost":true,"remark":"smudged"}"#).unwrap();
        assert!(v.as_of(2024, 2022, 2023).is_none());
        let e = v.as_of(2024, 2022, 2024).unwrap();
        assert!(e.lost && e.value.is_none() && !e.not_measured);
        assert!(serde_json::from_str::<YearValue>(r#"{"lost":"yes"}"#).is_err());
    }
}
