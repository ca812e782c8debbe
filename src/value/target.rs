//! Targets: a figure with an optional qualifier, `以上` (a floor) or `以下`
//! (a ceiling), printed after the unit (`40％以上`).

use super::Decimal;
use serde::{Deserialize, Serialize};

/// A target value with its qualifier.
///
/// ```
/// let t: shiryo::value::Target = serde_json::from_str(r#"{"value":"40","qualifier":"以上"}"#).unwrap();
/// assert_eq!(t.qualifier.unwrap().as_str(), "以上");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The target figure.
    pub value: Decimal,
    /// `以上` or `以下`, printed after the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

/// The qualifiers a target may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Qualifier {
    /// At least (a floor).
    #[serde(rename = "以上")]
    AtLeast,
    /// At most (a ceiling).
    #[serde(rename = "以下")]
    AtMost,
}

impl Qualifier {
    /// Every qualifier's printed form.
    pub const ALL: [&'static str; 2] = ["以上", "以下"];

    /// The printed form.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "以上",
            Qualifier::AtMost => "以下",
        }
    }
}
