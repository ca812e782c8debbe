//! Japanese era (和暦) labels for fiscal years.
//!
//! Fiscal year *N* runs from April *N* to March *N*+1. 平成 ends with fiscal
//! 2018 (平成30年度); fiscal 2019 is 令和元年度. Only the two eras a welfare
//! plan can reach are known: a year before 平成 is an error of the data, so it
//! is printed in Western form instead of inventing an era.
//!
//! ```
//! use shiryo::era;
//! assert_eq!(era::era_year(2019), "令和元");
//! assert_eq!(era::fiscal_year(2024), "令和6年度");
//! assert_eq!(era::short(2017), "H29");
//! assert_eq!(era::full_width_digits("令和6年度"), "令和６年度");
//! ```

use crate::lang::tr;

/// An era: its name, its initial for short labels, and its first fiscal year.
struct Era {
    /// Long name, e.g. `令和`.
    name: &'static str,
    /// Latin initial used in short labels, e.g. `R`.
    initial: &'static str,
    /// The first fiscal year counted in this era (year 1, 元年).
    first_fiscal_year: i32,
}

/// Known eras, newest first.
const ERAS: [Era; 2] = [
    Era {
        name: "令和",
        initial: "R",
        first_fiscal_year: 2019,
    },
    Era {
        name: "平成",
        initial: "H",
        first_fiscal_year: 1989,
    },
];

/// The forms `parse_year` accepts, for messages.
pub const YEAR_FORMS: &str = "2025, R7, Ｒ７, 令和7, 令和７年度, 令和元年度, H31, 平成31年度";

/// Reads a fiscal year as an office writes it: a Western year (`2025`), an
/// era initial and year (`R7`, `Ｒ７`, `H31`), or an era name and year with
/// or without 年度 (`令和7`, `令和７年度`, `令和元年度`, `平成31年度`).
/// Full-width letters and digits count as their ASCII forms.
///
/// ```
/// use shiryo::era::parse_year;
/// for s in ["2025", "R7", "Ｒ７", "r7", "令和7", "令和７年度", "令和7年"] {
///     assert_eq!(parse_year(s), Ok(2025), "{s}");
/// }
/// assert_eq!(parse_year("令和元年度"), Ok(2019));
/// assert_eq!(parse_year("H31"), Ok(2019));
/// assert_eq!(parse_year("平成29年度"), Ok(2017));
/// assert!(parse_year("R0").is_err());
/// assert!(parse_year("next year").unwrap_err().contains("令和７年度"));
/// ```
pub fn parse_year(text: &str) -> Result<i32, String> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    let bad = || {
        tr!(
            "{year} is not a fiscal year shiryo can read; write it as one of: {forms}",
            year = format!("{text:?}"),
            forms = YEAR_FORMS
        )
    };
    let rest = ascii
        .strip_suffix("年度")
        .or_else(|| ascii.strip_suffix('年'))
        .unwrap_or(&ascii);
    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
        return match rest.parse::<i32>() {
            Ok(y) if (1900..=9999).contains(&y) && rest == ascii => Ok(y),
            _ => Err(bad()),
        };
    }
    for era in &ERAS {
        let after = rest
            .strip_prefix(era.name)
            .or_else(|| rest.strip_prefix(era.initial))
            .or_else(|| rest.strip_prefix(era.initial.to_ascii_lowercase().as_str()));
        let Some(n) = after else { continue };
        let n = n.trim();
        let year = if n == "元" {
            1
        } else {
            n.parse::<i32>().map_err(|_| bad())?
        };
        if year < 1 {
            return Err(bad());
        }
        let fy = era.first_fiscal_year + year - 1;
        // An era ends where the next begins (平成31年度 is 令和元年度).
        let next = ERAS
            .iter()
            .filter(|e| e.first_fiscal_year > era.first_fiscal_year)
            .map(|e| e.first_fiscal_year)
            .min();
        if next.is_some_and(|n| fy > n) || fy > 9999 {
            return Err(bad());
        }
        return Ok(fy);
    }
    Err(bad())
}

/// The era and the year within it for a fiscal year, or `None` before 平成.
fn lookup(fiscal_year: i32) -> Option<(&'static Era, i32)> {
    ERAS.iter()
        .find(|era| fiscal_year >= era.first_fiscal_year)
        .map(|era| (era, fiscal_year - era.first_fiscal_year + 1))
}

/// The long era year without 年度: `令和元`, `令和6`, `平成29`.
///
/// ```
/// assert_eq!(shiryo::era::era_year(2018), "平成30");
/// ```
pub fn era_year(fiscal_year: i32) -> String {
    match lookup(fiscal_year) {
        Some((era, 1)) => format!("{}元", era.name),
        Some((era, n)) => format!("{}{}", era.name, n),
        None => fiscal_year.to_string(),
    }
}

/// The long fiscal-year label: `令和元年度`, `令和6年度`.
///
/// ```
/// assert_eq!(shiryo::era::fiscal_year(2019), "令和元年度");
/// ```
pub fn fiscal_year(fiscal_year: i32) -> String {
    format!("{}年度", era_year(fiscal_year))
}

/// The short label used in table headers: `R6`, `H29`; fiscal 2019 is `R1`.
///
/// ```
/// assert_eq!(shiryo::era::short(2019), "R1");
/// ```
pub fn short(fiscal_year: i32) -> String {
    match lookup(fiscal_year) {
        Some((era, n)) => format!("{}{}", era.initial, n),
        None => fiscal_year.to_string(),
    }
}

/// Replaces ASCII digits with full-width digits (`6` → `６`).
///
/// ```
/// assert_eq!(shiryo::era::full_width_digits("R10"), "R１０");
/// ```
pub fn full_width_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Full-width digits for numbers of one digit only, the usual rule of
/// Japanese documents: a lone ASCII digit becomes full-width, a run of two
/// or more stays half-width (`R6` → `R６`, `R10` → `R10`, `10．` stays).
///
/// ```
/// assert_eq!(shiryo::era::full_width_single_digits("R6 R10 令和5年2月20日"), "R６ R10 令和５年２月20日");
/// ```
pub fn full_width_single_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(char::is_ascii_digit);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c.is_ascii_digit() && !digit(i.checked_sub(1)) && !digit(Some(i + 1)) {
                char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reiwa_gannen_is_fiscal_2019() {
        assert_eq!(fiscal_year(2019), "令和元年度");
        assert_eq!(era_year(2019), "令和元");
        assert_eq!(short(2019), "R1");
    }

    #[test]
    fn heisei_ends_with_fiscal_2018() {
        assert_eq!(fiscal_year(2018), "平成30年度");
        assert_eq!(short(2017), "H29");
        assert_eq!(fiscal_year(1989), "平成元年度");
    }

    #[test]
    fn reiwa_years() {
        assert_eq!(fiscal_year(2024), "令和6年度");
        assert_eq!(short(2022), "R4");
        assert_eq!(short(2028), "R10");
    }

    #[test]
    fn full_width_forms() {
        assert_eq!(full_width_digits(&fiscal_year(2024)), "令和６年度");
        assert_eq!(full_width_digits(&short(2028)), "R１０");
        assert_eq!(full_width_digits("元年"), "元年");
    }

    #[test]
    fn before_heisei_is_printed_western() {
        assert_eq!(fiscal_year(1988), "1988年度");
    }
}
