//! The value cell kinds: year values, targets and quantities.

use super::Line;
use crate::value::{Quantity, Target, YearValue};
use std::collections::BTreeMap;

/// The lines of a year-value cell.
///
/// - a value: the number with thousands separators and the unit (as written
///   after a number), plus the note (`※速報値`) on its own line;
/// - not measured: `―` (or the layout's text);
/// - nothing reported yet: the unit alone, the blank a department fills in.
///
/// ```
/// use shiryo::table::format::year_value;
/// use shiryo::value::YearValue;
/// let v: YearValue = serde_json::from_str(r#"{"value":"82","note":"※速報値"}"#).unwrap();
/// let lines = year_value(Some(&v), Some("件"), 2023, 2022, 2023, &Default::default(), None);
/// assert_eq!(lines[0].text, "82件");
/// assert_eq!(lines[1].text, "※速報値");
/// ```
pub fn year_value(
    value: Option<&YearValue>,
    unit: Option<&str>,
    year: i32,
    first_year: i32,
    report_year: i32,
    unit_after_number: &BTreeMap<String, String>,
    not_measured: Option<&str>,
) -> Vec<Line> {
    let unit = unit.unwrap_or("");
    let entry = value.and_then(|v| v.as_of(year, first_year, report_year));
    match entry {
        Some(e) if e.not_measured => vec![Line::value(not_measured.unwrap_or("―"))],
        Some(e) => {
            let number = e.value.as_ref().map(|d| d.grouped()).unwrap_or_default();
            let mut lines = vec![Line::value(format!("{number}{}", unit_after(unit, unit_after_number)))];
            if let Some(note) = &e.note {
                lines.push(Line::value(note.clone()));
            }
            lines
        }
        None if unit.is_empty() => Vec::new(),
        None => vec![Line::value(unit)],
    }
}

/// The line of a target cell: `506人`, `40％以上`.
///
/// ```
/// use shiryo::table::format::target;
/// let t = serde_json::from_str(r#"{"value":"62.4","qualifier":"以上"}"#).unwrap();
/// assert_eq!(target(Some(&t), Some("％"), &Default::default())[0].text, "62.4％以上");
/// ```
pub fn target(target: Option<&Target>, unit: Option<&str>, unit_after_number: &BTreeMap<String, String>) -> Vec<Line> {
    let Some(t) = target else { return Vec::new() };
    let unit = unit_after(unit.unwrap_or(""), unit_after_number);
    let q = t.qualifier.map(|q| q.as_str()).unwrap_or("");
    vec![Line::value(format!("{}{unit}{q}", t.value.grouped()))]
}

/// The line of a quantity cell: `8,175人`.
///
/// ```
/// use shiryo::table::format::quantity;
/// let q = serde_json::from_str(r#"{"value":"8175","unit":"人"}"#).unwrap();
/// assert_eq!(quantity(Some(&q), &Default::default())[0].text, "8,175人");
/// ```
pub fn quantity(q: Option<&Quantity>, unit_after_number: &BTreeMap<String, String>) -> Vec<Line> {
    let Some(q) = q else { return Vec::new() };
    vec![Line::value(format!(
        "{}{}",
        q.value.grouped(),
        unit_after(&q.unit, unit_after_number)
    ))]
}

fn unit_after<'a>(unit: &'a str, map: &'a BTreeMap<String, String>) -> &'a str {
    map.get(unit).map(String::as_str).unwrap_or(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yv(json: &str) -> YearValue {
        serde_json::from_str(json).unwrap()
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    fn pct() -> BTreeMap<String, String> {
        [("％".to_string(), "%".to_string())].into()
    }

    #[test]
    fn thousands_separators_and_units() {
        let l = year_value(Some(&yv("\"20292\"")), Some("世帯"), 2022, 2022, 2024, &pct(), None);
        assert_eq!(texts(&l), ["20,292世帯"]);
        assert!(l[0].nobreak);
        let l = year_value(Some(&yv("1316637")), Some("人"), 2022, 2022, 2024, &pct(), None);
        assert_eq!(texts(&l), ["1,316,637人"]);
    }

    #[test]
    fn precision_is_kept_and_percent_written_after_numbers() {
        let l = year_value(Some(&yv("\"20.60\"")), Some("％"), 2022, 2022, 2024, &pct(), None);
        assert_eq!(texts(&l), ["20.60%"]);
    }

    #[test]
    fn unit_only_blank_for_years_not_reported() {
        let l = year_value(None, Some("％"), 2026, 2022, 2024, &pct(), None);
        assert_eq!(texts(&l), ["％"]);
        // A value of a later year is not shown in an earlier edition.
        let l = year_value(Some(&yv("\"442\"")), Some("人"), 2024, 2022, 2023, &pct(), None);
        assert_eq!(texts(&l), ["人"]);
    }

    #[test]
    fn not_measured_prints_a_bar() {
        let l = year_value(
            Some(&yv("\"not-measured\"")),
            Some("％"),
            2025,
            2022,
            2023,
            &pct(),
            None,
        );
        assert_eq!(texts(&l), ["―"]);
    }

    #[test]
    fn provisional_note_and_revision() {
        let v = yv(r#"[{"value":"82","note":"※速報値","reported_in":2023},{"value":"83","reported_in":2024}]"#);
        assert_eq!(
            texts(&year_value(Some(&v), Some("件"), 2023, 2022, 2023, &pct(), None)),
            ["82件", "※速報値"]
        );
        assert_eq!(
            texts(&year_value(Some(&v), Some("件"), 2023, 2022, 2024, &pct(), None)),
            ["83件"]
        );
    }

    #[test]
    fn targets_with_qualifiers() {
        let t: Target = serde_json::from_str(r#"{"value":"40","qualifier":"以上"}"#).unwrap();
        assert_eq!(texts(&target(Some(&t), Some("％"), &BTreeMap::new())), ["40％以上"]);
        let t: Target = serde_json::from_str(r#"{"value":"20292"}"#).unwrap();
        assert_eq!(texts(&target(Some(&t), Some("世帯"), &BTreeMap::new())), ["20,292世帯"]);
        assert!(serde_json::from_str::<Target>(r#"{"value":"5","qualifier":"未満"}"#).is_err());
    }
}
