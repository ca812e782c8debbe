//! Decimal numbers kept exactly as written.

use crate::lang::tr;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A decimal number kept exactly as written, so that `20.60` stays `20.60`.
///
/// ```
/// use shiryo::value::Decimal;
/// let d: Decimal = "1316637".parse().unwrap();
/// assert_eq!(d.grouped(), "1,316,637");
/// let r: Decimal = "20.60".parse().unwrap();
/// assert_eq!(r.grouped(), "20.60");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct Decimal(pub(crate) String);

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
        f.write_str(&tr!(
            "expected a decimal number written with digits and at most one '.', without thousands separators or unit (e.g. \"20292\" or \"20.60\"), found {found}",
            found = format!("{:?}", self.0)
        ))
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
    fn decimal_rejects_units_and_separators() {
        for bad in ["20,292", "431人", "", ".5", "5.", "1.2.3", "８"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
    }
}
