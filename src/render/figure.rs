//! Figures as numbers: the number format that prints a value cell's text
//! exactly, so that the workbook holds `20292` (which a spreadsheet can
//! sum and chart) and still prints `20,292世帯`.
//!
//! The format is derived from the text the cell prints and the number it
//! stores, never from what a layout or a value kind means: the text must
//! show the stored number once, as written or with thousands separators,
//! and everything around it becomes quoted literal text. A text no number
//! format can print exactly stays text.

use crate::value::Decimal;

/// The most significant digits a spreadsheet keeps exactly.
const DIGITS: usize = 15;

/// The longest number format a spreadsheet accepts, in characters.
const FORMAT_MAX: usize = 255;

/// The number to write, and the number format that prints `text` for it,
/// when `text` shows `figure` exactly once (as stored, `1316637`, or with
/// thousands separators, `1,316,637`) and the rest of it can be quoted.
///
/// ```
/// use shiryo::render::figure::number_format;
/// let d = |s: &str| s.parse::<shiryo::value::Decimal>().unwrap();
/// assert_eq!(number_format(&d("20292"), "20,292世帯"), Some((20292.0, r#"#,##0"世帯""#.to_string())));
/// assert_eq!(number_format(&d("20292"), "20292世帯"), Some((20292.0, r#"0"世帯""#.to_string())));
/// assert_eq!(number_format(&d("30.6"), "30.6%"), Some((30.6, r#"0.0"%""#.to_string())));
/// assert_eq!(number_format(&d("20.60"), "20.60%"), Some((20.6, r#"0.00"%""#.to_string())));
/// assert_eq!(number_format(&d("62.4"), "62.4％以上"), Some((62.4, r#"0.0"％以上""#.to_string())));
/// assert_eq!(
///     number_format(&d("82"), "82件\n※速報値"),
///     Some((82.0, "0\"件\n※速報値\"".to_string()))
/// );
/// // Padding spaces are literal text too.
/// assert_eq!(number_format(&d("431"), "431人 "), Some((431.0, r#"0"人 ""#.to_string())));
/// // Stored as printed, with separators: the same number, the same format.
/// assert_eq!(number_format(&d("20,292"), "20,292世帯"), Some((20292.0, r#"#,##0"世帯""#.to_string())));
/// // No format prints what does not show the stored number once.
/// assert_eq!(number_format(&d("82"), "83件"), None);
/// assert_eq!(number_format(&d("5"), "5人（5人）"), None);
/// assert_eq!(number_format(&d("7"), "約\"7\"人"), None);
/// ```
pub fn number_format(figure: &Decimal, text: &str) -> Option<(f64, String)> {
    // The figure in plain digits, whatever form it is stored in.
    let plain = figure.plain();
    let digits = plain.as_str();
    let (negative, magnitude) = match digits.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, digits),
    };
    let (int, frac) = magnitude.split_once('.').unwrap_or((magnitude, ""));
    let plain_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !plain_digits(int) || (magnitude.contains('.') && !plain_digits(frac)) || (int.len() > 1 && int.starts_with('0'))
    {
        return None;
    }
    let significant = format!("{int}{frac}").trim_start_matches('0').len();
    let value: f64 = digits.parse().ok()?;
    if significant > DIGITS || (negative && value == 0.0) {
        return None;
    }
    let decimals = if frac.is_empty() {
        String::new()
    } else {
        format!(".{}", "0".repeat(frac.len()))
    };
    let sign = if negative { "-" } else { "" };
    let grouped = format!("{sign}{}{}", group(int), if frac.is_empty() { "" } else { "." }) + frac;
    // The number as printed: with thousands separators, or as stored (a
    // number below 1,000 reads the same either way, and keeps none).
    let mut found: Vec<(usize, &str, &str)> = occurrences(text, digits)
        .into_iter()
        .map(|i| (i, digits, "0"))
        .collect();
    if grouped != digits {
        found.extend(
            occurrences(text, &grouped)
                .into_iter()
                .map(|i| (i, grouped.as_str(), "#,##0")),
        );
    }
    let [(at, form, code)] = found[..] else {
        return None;
    };
    let (before, after) = (&text[..at], &text[at + form.len()..]);
    if before.contains('"') || after.contains('"') {
        return None;
    }
    let quote = |s: &str| {
        if s.is_empty() {
            String::new()
        } else {
            format!("\"{s}\"")
        }
    };
    let format = format!("{}{code}{decimals}{}", quote(before), quote(after));
    (format.chars().count() <= FORMAT_MAX).then_some((value, format))
}

/// The integer digits with thousands separators.
fn group(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where `form` occurs in `text` as a whole number: not next to another
/// digit, separator or sign.
fn occurrences(text: &str, form: &str) -> Vec<usize> {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    text.match_indices(form)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let mut after = text[i + form.len()..].chars();
            let (next, then) = (after.next(), after.next());
            let glued_before = before.is_some_and(|c| digit(c) || matches!(c, ',' | '.' | '-'));
            let glued_after =
                next.is_some_and(digit) || (next.is_some_and(|c| matches!(c, ',' | '.')) && then.is_some_and(digit));
            !glued_before && !glued_after
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// What a spreadsheet prints for `value` in `format`, for the formats
    /// [`number_format`] makes: quoted literals around one number code.
    fn print(value: f64, format: &str) -> String {
        let mut out = String::new();
        let mut rest = format;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('"') {
                let end = r.find('"').unwrap();
                out.push_str(&r[..end]);
                rest = &r[end + 1..];
                continue;
            }
            let end = rest.find('"').unwrap_or(rest.len());
            let code = &rest[..end];
            let decimals = code.split_once('.').map_or(0, |(_, f)| f.len());
            let s = format!("{:.*}", decimals, value.abs());
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            if value < 0.0 {
                out.push('-');
            }
            out.push_str(&if code.contains(',') {
                group(int)
            } else {
                int.to_string()
            });
            if !frac.is_empty() {
                out.push('.');
                out.push_str(frac);
            }
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn the_format_prints_the_text_it_was_made_from() {
        for (figure, text) in [
            ("1316637", "1,316,637人"),
            ("1316637", "1316637人"),
            ("0", "0件"),
            ("0.0", "0.0%"),
            ("-12.5", "-12.5ポイント"),
            ("1041486", "1,041,486人\n※速報値"),
            ("40", "40％以上"),
            ("431", " 431人 "),
            ("5", "第5位"),
            ("999", "999"),
            ("1234.5678", "1,234.5678 t"),
        ] {
            let (value, format) = number_format(&d(figure), text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(print(value, &format), text, "{format}");
        }
    }

    #[test]
    fn texts_no_format_prints_stay_text() {
        for (figure, text) in [
            ("82", "82.5件"),
            ("82", "182件"),
            ("1234", "1,2345"),
            ("12", "12件（12件）"),
            ("3", "―"),
            ("1234567890123456", "1234567890123456"),
            ("12", "\"12\""),
        ] {
            assert_eq!(number_format(&d(figure), text), None, "{text:?}");
        }
    }
}
