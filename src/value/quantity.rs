//! Quantities: a number with its own unit (`{"value": "8175", "unit": "人"}`).

use super::Decimal;
use serde::{Deserialize, Serialize};

/// A number with its unit.
///
/// ```
/// let q: shiryo::value::Quantity = serde_json::from_str(r#"{"value":"8175","unit":"人"}"#).unwrap();
/// assert_eq!(q.to_string(), "8175人");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// The number, kept as written.
    pub value: Decimal,
    /// The unit printed after it.
    #[serde(default)]
    pub unit: String,
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.value, self.unit)
    }
}
