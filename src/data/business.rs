//! The business plan (事業計画) of a social welfare council: divisions (課)
//! → units (係) with their policies and numbered sections, each with a
//! policy block and a table of items and numbered sub-items.

use super::{Edition, Plan};
use crate::diag::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A business plan (the root of its data file).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessPlan {
    /// The `$schema` reference editors use; ignored.
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Name of the bundled layout this plan renders with by default.
    pub layout: String,
    /// The document's title (`事業計画`).
    pub title: String,
    /// The organisation whose plan it is.
    pub organization: String,
    /// The fiscal year planned for.
    pub fiscal_year: i32,
    /// The document date, `YYYY-MM-DD` (default: 1 April of the fiscal year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The divisions (課), in order.
    pub divisions: Vec<Division>,
    /// Provenance notes, never printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcription_notes: Vec<String>,
}

/// A division (課).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Division {
    /// Its name (`総務課`).
    pub name: String,
    /// Its units (係).
    pub units: Vec<Unit>,
}

/// A unit (係) and its plan.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Its name (`法人運営係`).
    pub name: String,
    /// 係の方針: paragraphs, numbered when printed.
    #[serde(default)]
    pub policies: Vec<String>,
    /// The numbered sections.
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// A numbered section of a unit's plan.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Its number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// The 方針 block: one element per printed paragraph.
    #[serde(default)]
    pub policy: Vec<String>,
    /// The table's 項目 groups.
    #[serde(default)]
    pub items: Vec<Item>,
}

/// A 項目 group of a section's table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The group's name (may be empty when a sub-item stands alone).
    pub name: String,
    /// The numbered sub-items.
    pub subitems: Vec<SubItem>,
}

/// A numbered sub-item: `(1)三役会` with its 内容 and 目標値.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubItem {
    /// Its name, without the number.
    pub name: String,
    /// 内容.
    #[serde(default)]
    pub content: String,
    /// 目標値.
    #[serde(default)]
    pub target: String,
}

impl BusinessPlan {
    /// The document header the pipeline works with: title, layout and the
    /// one fiscal year the plan is for, as its only edition.
    pub fn header(&self) -> Plan {
        Plan {
            schema: None,
            layout: self.layout.clone(),
            title: self.title.clone(),
            label: String::new(),
            plan: format!("{} {}", self.organization, self.title),
            baseline_year: self.fiscal_year,
            target_year: None,
            footnote: String::new(),
            editions: vec![Edition {
                year: self.fiscal_year,
                date: Some(
                    self.date
                        .clone()
                        .unwrap_or_else(|| format!("{:04}-04-01", self.fiscal_year)),
                ),
            }],
            goals: Vec::new(),
            transcription_notes: Vec::new(),
        }
    }
}

/// Checks what the types cannot.
pub fn validate(path: &Path, b: &BusinessPlan) -> Vec<Problem> {
    let mut out = Vec::new();
    if b.divisions.is_empty() {
        out.push(Problem::new(
            path,
            "divisions",
            "expected at least one division; the plan is empty",
        ));
    }
    if let Some(d) = &b.date
        && !super::is_iso_date(d)
    {
        out.push(Problem::new(
            path,
            "date",
            format!("expected a date YYYY-MM-DD, found {d:?}"),
        ));
    }
    for (i, d) in b.divisions.iter().enumerate() {
        if d.units.is_empty() {
            out.push(Problem::new(
                path,
                format!("divisions[{i}].units"),
                "expected at least one unit",
            ));
        }
        for (j, u) in d.units.iter().enumerate() {
            let mut seen = std::collections::HashMap::new();
            for (k, s) in u.sections.iter().enumerate() {
                let place = format!("divisions[{i}].units[{j}].sections[{k}].number");
                if let Some(first) = seen.insert(s.number, k) {
                    out.push(Problem::new(
                        path,
                        place,
                        format!("duplicate section number {} (also sections[{first}])", s.number),
                    ));
                }
                for (m, item) in s.items.iter().enumerate() {
                    if item.subitems.is_empty() {
                        out.push(Problem::new(
                            path,
                            format!("divisions[{i}].units[{j}].sections[{k}].items[{m}].subitems"),
                            "expected at least one sub-item",
                        ));
                    }
                }
            }
        }
    }
    out
}
