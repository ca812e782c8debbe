//! Decimal numbers kept exactly as written: their digits, the digits after
//! the point, and the thousands separators and digit width of the printed
//! figure (`20,292`, `8175`, `５`).

use crate::lang::tr;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A decimal number kept exactly as written, so that `20.60` stays `20.60`,
/// `20,292` keeps its separator, `8175` stays without one and `５` stays
/// full-width: a table prints a figure as its source printed it.
///
/// ```
/// use shiryo::value::Decimal;
/// let d: Decimal = "1,316,637".parse().unwrap();
/// assert_eq!((d.as_str(), d.plain().as_str()), ("1,316,637", "1316637"));
/// let d: Decimal = "8175".parse().unwrap();
/// assert_eq!((d.as_str(), d.grouped().as_str()), ("8175", "8,175"));
/// let r: Decimal = "20.60".parse().unwrap();
/// assert_eq!(r.grouped(), "20.60");
/// let w: Decimal = "５".parse().unwrap();
/// assert_eq!((w.as_str(), w.plain().as_str()), ("５", "5"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct Decimal(pub(crate) String);

impl Decimal {
    /// The number as written: its separators and digit width included
    /// (`1,316,637`, `8175`, `20.60`, `５`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number in ASCII digits without separators (`1316637`, `20.60`,
    /// `5`): the same figure, whatever form it is written in.
    pub fn plain(&self) -> String {
        self.0
            .chars()
            .filter(|c| !matches!(c, ',' | '，'))
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                c => c,
            })
            .collect()
    }

    /// Whether `other` is the same figure, written in the same or another
    /// form (`8175` and `8,175`; not `20.6` and `20.60`, which print
    /// differently).
    pub fn same_figure(&self, other: &Decimal) -> bool {
        self.plain() == other.plain()
    }

    /// The number with thousands separators in its integer part (`20,292`),
    /// in the digit width it is written in (`１，２３４` for `１２３４`).
    pub fn grouped(&self) -> String {
        // A valid number has digits of one width only.
        let wide = !self.0.chars().any(|c| c.is_ascii_digit());
        let plain = self.plain();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
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
        if wide { to_wide(&out) } else { out }
    }

    /// The value as a float, for validation and spreadsheet input cells.
    pub fn to_f64(&self) -> f64 {
        self.plain().parse().unwrap_or(0.0)
    }
}

/// ASCII digits, separators and point in their full-width forms.
fn to_wide(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            ',' => '，',
            '.' => '．',
            c => c,
        })
        .collect()
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
        f.write_str(&tr!(
            "expected a decimal number written as printed, without unit: digits, thousands separators only between groups of three digits, and at most one '.' (e.g. \"20,292\", \"8175\" or \"20.60\"), found {found}",
            found = format!("{:?}", self.0)
        ))
    }
}

impl std::error::Error for DecimalError {}

impl std::str::FromStr for Decimal {
    type Err = DecimalError;

    /// Digits of one width, ASCII (`20,292.5`) or full-width (`２０，２９２．５`);
    /// a separator only between groups of three digits of the integer part.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wide = s.chars().any(|c| matches!(c, '０'..='９'));
        let (sep, point, digit): (char, char, fn(char) -> bool) = if wide {
            ('，', '．', |c| matches!(c, '０'..='９'))
        } else {
            (',', '.', |c| c.is_ascii_digit())
        };
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = match body.split_once(point) {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |p: &str| !p.is_empty() && p.chars().all(digit);
        let groups: Vec<&str> = int.split(sep).collect();
        let grouped = match groups.split_first() {
            Some((head, [])) => digits(head),
            Some((head, tail)) => {
                digits(head) && head.chars().count() <= 3 && tail.iter().all(|g| digits(g) && g.chars().count() == 3)
            }
            None => false,
        };
        if grouped && frac.is_none_or(digits) {
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
                f.write_str(&tr!("a decimal number as a string (\"20.60\") or an integer"))
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
                Err(E::custom(tr!(
                    "write {value} as a string so that its printed precision is kept (e.g. \"20.60\")",
                    value = v
                )))
            }
        }
        d.deserialize_any(V)
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
    fn decimal_keeps_its_written_form() {
        for written in [
            "20,292",
            "8175",
            "1,316,637",
            "20.60",
            "1,234.5",
            "５",
            "１２",
            "１，２３４",
            "-1,000",
        ] {
            assert_eq!(written.parse::<Decimal>().unwrap().as_str(), written);
        }
        let d: Decimal = "20,292".parse().unwrap();
        assert_eq!((d.plain(), d.to_f64()), ("20292".to_string(), 20292.0));
        assert!(d.same_figure(&"20292".parse().unwrap()));
        assert!(
            !"20.6"
                .parse::<Decimal>()
                .unwrap()
                .same_figure(&"20.60".parse().unwrap())
        );
        assert_eq!("１２３４".parse::<Decimal>().unwrap().grouped(), "１，２３４");
        assert_eq!("１２．５".parse::<Decimal>().unwrap().plain(), "12.5");
    }

    #[test]
    fn decimal_rejects_units_and_misplaced_separators() {
        for bad in [
            "2,0292",
            "20292,",
            ",292",
            "1,2345",
            "1234,567",
            "431人",
            "",
            ".5",
            "5.",
            "1.2.3",
            "８5",
            "1，234",
            "1,234.5,6",
        ] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
    }
}
