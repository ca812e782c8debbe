//! The value cell kinds: year values, targets and quantities.

use super::Line;
use crate::layout::Separators;
use crate::value::{Decimal, Quantity, Target, YearValue};
use std::collections::BTreeMap;

/// How a value cell writes its numbers and the cases without one: the
/// options a layout gives a value cell kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style<'a> {
    /// How a unit is written right after a number (`％` → `%`).
    pub unit_after_number: Option<&'a BTreeMap<String, String>>,
    /// Where numbers get thousands separators.
    pub separators: Separators,
    /// The text of a year not measured (default `―`).
    pub not_measured: Option<&'a str>,
    /// The text of a figure the source lost (default: none).
    pub lost: Option<&'a str>,
}

impl Style<'_> {
    /// A number as this style prints it: as stored, or grouped.
    ///
    /// ```
    /// use shiryo::layout::Separators;
    /// use shiryo::table::format::Style;
    /// let d = "8175".parse().unwrap();
    /// assert_eq!(Style::default().number(&d), "8175");
    /// assert_eq!(Style { separators: Separators::Always, ..Default::default() }.number(&d), "8,175");
    /// ```
    pub fn number(&self, d: &Decimal) -> String {
        match self.separators {
            Separators::AsStored => d.as_str().to_string(),
            Separators::Always => d.grouped(),
        }
    }

    fn unit_after<'u>(&'u self, unit: &'u str) -> &'u str {
        self.unit_after_number
            .and_then(|m| m.get(unit))
            .map(String::as_str)
            .unwrap_or(unit)
    }
}

/// The lines of a year-value cell.
///
/// - a value: the number as stored (or grouped, as the style says) and the
///   unit (as written after a number), plus the note (`※速報値`) on its own
///   line;
/// - not measured: `―` (or the layout's text);
/// - lost in the source: the layout's text for it, else nothing;
/// - nothing reported yet: the unit alone, the blank a department fills in.
///
/// ```
/// use shiryo::table::format::year_value;
/// use shiryo::value::YearValue;
/// let v: YearValue = serde_json::from_str(r#"{"value":"82","note":"※速報値"}"#).unwrap();
/// let lines = year_value(Some(&v), Some("件"), 2023, 2022, 2023, &Default::default());
/// assert_eq!(lines[0].text, "82件");
/// assert_eq!(lines[1].text, "※速報値");
/// ```
pub fn year_value(
    value: Option<&YearValue>,
    unit: Option<&str>,
    year: i32,
    first_year: i32,
    report_year: i32,
    style: &Style,
) -> Vec<Line> {
    let unit = unit.unwrap_or("");
    let entry = value.and_then(|v| v.as_of(year, first_year, report_year));
    match entry {
        Some(e) if e.not_measured => vec![Line::value(style.not_measured.unwrap_or("―"))],
        Some(e) if e.lost => style
            .lost
            .filter(|t| !t.is_empty())
            .map(Line::value)
            .into_iter()
            .collect(),
        Some(e) => {
            let number = e.value.as_ref().map(|d| style.number(d)).unwrap_or_default();
            let mut lines = vec![Line::value(format!("{number}{}", style.unit_after(unit)))];
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
pub fn target(target: Option<&Target>, unit: Option<&str>, style: &Style) -> Vec<Line> {
    let Some(t) = target else { return Vec::new() };
    let unit = style.unit_after(unit.unwrap_or(""));
    let q = t.qualifier.map(|q| q.as_str()).unwrap_or("");
    vec![Line::value(format!("{}{unit}{q}", style.number(&t.value)))]
}

/// The line of a quantity cell: `8175人`, or `8,175人` with separators
/// always.
///
/// ```
/// use shiryo::table::format::quantity;
/// let q = serde_json::from_str(r#"{"value":"8175","unit":"人"}"#).unwrap();
/// assert_eq!(quantity(Some(&q), &Default::default())[0].text, "8175人");
/// ```
pub fn quantity(q: Option<&Quantity>, style: &Style) -> Vec<Line> {
    let Some(q) = q else { return Vec::new() };
    vec![Line::value(format!(
        "{}{}",
        style.number(&q.value),
        style.unit_after(&q.unit)
    ))]
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

    fn cell(json: &str, unit: &str, year: i32, report: i32, style: &Style) -> Vec<String> {
        year_value(Some(&yv(json)), Some(unit), year, 2022, report, style)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn figures_print_as_stored() {
        let map = pct();
        let style = Style {
            unit_after_number: Some(&map),
            ..Default::default()
        };
        // The 資料２ originals print 20,292世帯 and 1,316,637人 with
        // separators, but 8175人 and 1512回 without.
        assert_eq!(cell("\"20,292\"", "世帯", 2022, 2024, &style), ["20,292世帯"]);
        assert_eq!(cell("\"1,316,637\"", "人", 2022, 2024, &style), ["1,316,637人"]);
        assert_eq!(cell("\"8175\"", "人", 2023, 2024, &style), ["8175人"]);
        assert_eq!(cell("1512", "回", 2023, 2024, &style), ["1512回"]);
        let l = year_value(Some(&yv("\"20,292\"")), Some("世帯"), 2022, 2022, 2024, &style);
        assert!(l[0].nobreak);
    }

    #[test]
    fn separators_always_groups_every_figure() {
        let style = Style {
            separators: Separators::Always,
            ..Default::default()
        };
        assert_eq!(cell("\"8175\"", "人", 2023, 2024, &style), ["8,175人"]);
        assert_eq!(cell("\"20,292\"", "世帯", 2022, 2024, &style), ["20,292世帯"]);
        assert_eq!(cell("1316637", "人", 2022, 2024, &style), ["1,316,637人"]);
    }

    #[test]
    fn precision_is_kept_and_percent_written_after_numbers() {
        let map = pct();
        let style = Style {
            unit_after_number: Some(&map),
            separators: Separators::Always,
            ..Default::default()
        };
        assert_eq!(cell("\"20.60\"", "％", 2022, 2024, &style), ["20.60%"]);
    }

    #[test]
    fn unit_only_blank_for_years_not_reported() {
        let map = pct();
        let style = Style {
            unit_after_number: Some(&map),
            ..Default::default()
        };
        let l = year_value(None, Some("％"), 2026, 2022, 2024, &style);
        assert_eq!(texts(&l), ["％"]);
        // A value of a later year is not shown in an earlier edition.
        assert_eq!(cell("\"442\"", "人", 2024, 2023, &style), ["人"]);
    }

    #[test]
    fn a_lost_figure_prints_the_layouts_mark_not_the_unit() {
        let lost = r#"{"lost":true}"#;
        assert!(cell(lost, "回", 2024, 2024, &Style::default()).is_empty());
        let marked = Style {
            lost: Some("＊"),
            ..Default::default()
        };
        assert_eq!(cell(lost, "組織", 2020, 2024, &marked), ["＊"]);
        // Before its own year's edition, the year is still a blank.
        assert_eq!(cell(lost, "回", 2024, 2023, &marked), ["回"]);
    }

    #[test]
    fn not_measured_prints_a_bar() {
        assert_eq!(cell("\"not-measured\"", "％", 2025, 2023, &Style::default()), ["―"]);
    }

    #[test]
    fn provisional_note_and_revision() {
        let v = r#"[{"value":"82","note":"※速報値","reported_in":2023},{"value":"83","reported_in":2024}]"#;
        assert_eq!(cell(v, "件", 2023, 2023, &Style::default()), ["82件", "※速報値"]);
        assert_eq!(cell(v, "件", 2023, 2024, &Style::default()), ["83件"]);
    }

    #[test]
    fn targets_with_qualifiers() {
        let style = Style::default();
        let t: Target = serde_json::from_str(r#"{"value":"40","qualifier":"以上"}"#).unwrap();
        assert_eq!(texts(&target(Some(&t), Some("％"), &style)), ["40％以上"]);
        let t: Target = serde_json::from_str(r#"{"value":"20,292"}"#).unwrap();
        assert_eq!(texts(&target(Some(&t), Some("世帯"), &style)), ["20,292世帯"]);
        // Full-width digits where the source has them.
        let t: Target = serde_json::from_str(r#"{"value":"５","qualifier":"以下"}"#).unwrap();
        assert_eq!(texts(&target(Some(&t), Some("％"), &style)), ["５％以下"]);
        assert!(serde_json::from_str::<Target>(r#"{"value":"5","qualifier":"未満"}"#).is_err());
    }
}
