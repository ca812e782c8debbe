//! Year values: decimals that keep their printed precision, "not measured",
//! provisional notes and revisions across editions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A decimal number kept exactly as written, so that `20.60` stays `20.60`.
///
/// ```
/// use shiryo::data::Decimal;
/// let d: Decimal = "1316637".parse().unwrap();
/// assert_eq!(d.grouped(), "1,316,637");
/// let r: Decimal = "20.60".parse().unwrap();
/// assert_eq!(r.grouped(), "20.60");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct Decimal(String);

impl Decimal {
    /// The digits as stored, without grouping (`1316637`, `20.60`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with thousands separators in its integer part (`20,292`).
    pub fn grouped(&self) -> String {
        let (sign, rest) = match self.0.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", self.0.as_str()),
        };
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (rest, None),
        };
        let mut out = String::from(sign);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        out
    }

    /// The value as a float, for validation and spreadsheet input cells.
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(0.0)
    }
}

impl From<Decimal> for String {
    fn from(d: Decimal) -> String {
        d.0
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not a [`Decimal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalError(String);

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a decimal number written with digits and at most one '.', without thousands separators or unit (e.g. \"20292\" or \"20.60\"), found {:?}",
            self.0
        )
    }
}

impl std::error::Error for DecimalError {}

impl std::str::FromStr for Decimal {
    type Err = DecimalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if digits(int) && frac.is_none_or(digits) {
            Ok(Decimal(s.to_string()))
        } else {
            Err(DecimalError(s.to_string()))
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number as a string (\"20.60\") or an integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                Err(E::custom(format!(
                    "write {v} as a string so that its printed precision is kept (e.g. \"20.60\")"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A decimal number kept as printed: a string of digits with at most one '.', or a JSON integer.",
            "anyOf": [
                {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                {"type": "integer"}
            ]
        })
    }
}

/// One stated value of an indicator for one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearEntry {
    /// The measured value; absent together with `not_measured` for an entry
    /// that only records a remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// The indicator is not measured this year (prints `―`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_measured: bool,
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

impl JsonSchema for YearValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YearValue".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let entry = g.subschema_for::<YearEntry>();
        let one = schemars::json_schema!({
            "anyOf": [
                {"type": "string", "pattern": "^(-?[0-9]+(\\.[0-9]+)?|not-measured)$"},
                {"type": "integer"},
                entry
            ]
        });
        schemars::json_schema!({
            "description": "A decimal string (\"20.60\"), an integer, \"not-measured\", an entry object, or a list of entries (revisions, oldest first).",
            "anyOf": [one, {"type": "array", "items": one}]
        })
    }
}

impl<'de> Deserialize<'de> for YearValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = serde_json::Value::deserialize(d)?;
        let entry = |v: serde_json::Value| -> Result<YearEntry, String> {
            match v {
                serde_json::Value::String(s) if s == "not-measured" => Ok(YearEntry {
                    value: None,
                    not_measured: true,
                    note: None,
                    reported_in: None,
                    remark: None,
                }),
                serde_json::Value::String(s) => s
                    .parse::<Decimal>()
                    .map(|d| YearEntry {
                        value: Some(d),
                        not_measured: false,
                        note: None,
                        reported_in: None,
                        remark: None,
                    })
                    .map_err(|e| format!("{e}, or \"not-measured\"")),
                serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Ok(YearEntry {
                    value: Some(Decimal(n.to_string())),
                    not_measured: false,
                    note: None,
                    reported_in: None,
                    remark: None,
                }),
                o @ serde_json::Value::Object(_) => serde_json::from_value::<YearEntry>(o).map_err(|e| e.to_string()),
                other => Err(format!(
                    "expected a decimal string, \"not-measured\", an entry object or a list of entries, found {other}"
                )),
            }
        };
        match v {
            serde_json::Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| entry(v).map_err(|e| D::Error::custom(format!("entry {i}: {e}"))))
                .collect::<Result<Vec<_>, _>>()
                .map(YearValue::Revisions),
            v => entry(v).map(YearValue::Entry).map_err(D::Error::custom),
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
    /// entry already reported by then, or `None` (a blank to fill in).
    ///
    /// ```
    /// use shiryo::data::YearValue;
    /// let v: YearValue = serde_json::from_str(
    ///     r#"[{"value":"82","note":"※速報値","reported_in":2023},{"value":"83","reported_in":2024}]"#,
    /// ).unwrap();
    /// assert_eq!(v.as_of(2023, 2022, 2023).unwrap().note.as_deref(), Some("※速報値"));
    /// assert_eq!(v.as_of(2023, 2022, 2024).unwrap().value.as_ref().unwrap().as_str(), "83");
    /// ```
    pub fn as_of(&self, year: i32, baseline_year: i32, report_year: i32) -> Option<&YearEntry> {
        self.entries()
            .iter()
            .filter(|e| e.value.is_some() || e.not_measured)
            .rfind(|e| e.reported_in(year, baseline_year) <= report_year)
    }
}

impl YearEntry {
    /// The report year that first showed this entry: as stated, else the
    /// value's own year, else (for "not measured") the baseline year.
    pub fn reported_in(&self, year: i32, baseline_year: i32) -> i32 {
        self.reported_in
            .unwrap_or(if self.not_measured { baseline_year } else { year })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_keeps_precision_and_groups() {
        let d: Decimal = "20.60".parse().unwrap();
        assert_eq!(d.grouped(), "20.60");
        assert_eq!("20292".parse::<Decimal>().unwrap().grouped(), "20,292");
        assert_eq!("972658".parse::<Decimal>().unwrap().grouped(), "972,658");
        assert_eq!("1316637".parse::<Decimal>().unwrap().grouped(), "1,316,637");
        assert_eq!("999".parse::<Decimal>().unwrap().grouped(), "999");
        assert_eq!("1234.5".parse::<Decimal>().unwrap().grouped(), "1,234.5");
    }

    #[test]
    fn decimal_rejects_units_and_separators() {
        for bad in ["20,292", "431人", "", ".5", "5.", "1.2.3", "８"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
    }

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
    fn not_measured_is_known_from_baseline_unless_stated() {
        let v: YearValue = serde_json::from_str("\"not-measured\"").unwrap();
        assert!(v.as_of(2027, 2022, 2023).is_some());
        let v: YearValue = serde_json::from_str(r#"{"not_measured":true,"reported_in":2024}"#).unwrap();
        assert!(v.as_of(2024, 2022, 2023).is_none());
        assert!(v.as_of(2024, 2022, 2024).is_some());
    }
}
