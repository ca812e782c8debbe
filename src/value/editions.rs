//! Editions: the report years a yearly document was published for, each
//! with its date and what it printed differently.

use serde::{Deserialize, Serialize};

/// One edition of a yearly document.
///
/// ```
/// let e: shiryo::value::Edition = serde_json::from_str(r#"{"year": 2024, "date": "2025-04-01"}"#).unwrap();
/// assert_eq!(e.year, 2024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Edition {
    /// The fiscal year reported on.
    pub year: i32,
    /// The document date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Top-level text fields this edition printed differently (its label
    /// `資料３`, its title): each names a text field of the shape's top level.
    #[serde(flatten)]
    pub overrides: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Whether `s` is a real calendar date `YYYY-MM-DD` from 1900 to 9999.
///
/// ```
/// use shiryo::value::is_iso_date;
/// assert!(is_iso_date("2024-02-29"));
/// assert!(!is_iso_date("2023-02-29"));
/// assert!(!is_iso_date("2024-02-31"));
/// assert!(!is_iso_date("0000-01-01"));
/// assert!(!is_iso_date("2025/04/01"));
/// ```
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    if !b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=9999).contains(&y) && (1..=days).contains(&d)
}
