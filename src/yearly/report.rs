//! The change report: what `import` (and `import --dry-run`) changes in
//! the store, and what `diff` finds between two editions, per part of the
//! table, item by item, old → new; as a table a committee secretary can
//! read, or as JSON.

use crate::lang::tr;
use serde::Serialize;
use std::fmt;

/// What changed in an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A year's value (with its note).
    Value,
    /// A text field, by the name the layout's column gives it (`actions`).
    Text(String),
    /// The document gained an edition (the report year).
    Edition,
}

impl Field {
    /// Its name in JSON: `value`, the text field's name, or `edition`.
    pub fn key(&self) -> &str {
        match self {
            Field::Value => "value",
            Field::Text(name) => name,
            Field::Edition => "edition",
        }
    }

    /// Its name in the run's language.
    pub fn shown(&self) -> String {
        match self {
            Field::Value => tr!("value"),
            Field::Text(name) => name.clone(),
            Field::Edition => tr!("edition"),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// One change.
///
/// ```
/// use shiryo::yearly::report::{Change, Field};
/// let c = Change {
///     part: Some("交通課".into()),
///     item: "はなバスの輸送人員（年間）".into(),
///     year: 2025,
///     field: Field::Value,
///     old: None,
///     new: Some("1,350,000人 ※速報値".into()),
/// };
/// assert_eq!(c.to_string(), "交通課/はなバスの輸送人員（年間） R7 value: blank → 1,350,000人 ※速報値");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The part of the table the item is in (its `template.split` value).
    pub part: Option<String>,
    /// The item's row label; empty for a change of the whole document.
    pub item: String,
    /// The fiscal year the value or text is for.
    pub year: i32,
    /// What changed.
    pub field: Field,
    /// The old content as printed; `None` for a blank.
    pub old: Option<String>,
    /// The new content as printed; `None` for a blank.
    pub new: Option<String>,
}

impl Change {
    /// `交通課/はなバスの輸送人員（年間）`: the part and the item.
    pub fn name(&self) -> String {
        match (&self.part, self.item.is_empty()) {
            (_, true) => String::new(),
            (Some(p), false) if !p.is_empty() => format!("{p}/{}", self.item),
            _ => self.item.clone(),
        }
    }
}

/// Content as printed, or "blank".
fn shown(content: &Option<String>) -> String {
    content.clone().unwrap_or_else(|| tr!("blank"))
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        if !name.is_empty() {
            write!(f, "{name} ")?;
        }
        write!(
            f,
            "{} {}: {} → {}",
            crate::era::short(self.year),
            self.field.shown(),
            shown(&self.old),
            shown(&self.new)
        )
    }
}

/// The width of text in a terminal's columns (East Asian wide characters
/// take two).
pub(crate) fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns.
pub(crate) fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// The changes as a table: a heading per part (in the order the parts
/// first appear), each item's name once, then one line per change: year,
/// field, old → new. A text is shown as its old and new forms on lines of
/// their own, each line of a text indented below its first.
///
/// ```
/// use shiryo::yearly::report::{table, Change, Field};
/// let c = |item: &str, field, old: Option<&str>, new: &str| Change {
///     part: Some("地域共生課".into()),
///     item: item.into(),
///     year: 2025,
///     field,
///     old: old.map(str::to_string),
///     new: Some(new.into()),
/// };
/// let t = table(&[
///     c("登録者数", Field::Value, None, "450人"),
///     c("登録者数", Field::Text("actions".into()), Some("講座を開いた。"), "講座を増やした。\n名簿を作った。"),
/// ]);
/// assert_eq!(
///     t,
///     "■ 地域共生課\n  登録者数\n    R7  value    blank → 450人\n    R7  actions  before: 講座を開いた。\n                 after:  講座を増やした。\n                         名簿を作った。\n"
/// );
/// ```
pub fn table(changes: &[Change]) -> String {
    // Parts in the order they first appear, each part's changes in order.
    let mut parts: Vec<&Option<String>> = Vec::new();
    for c in changes {
        if !parts.contains(&&c.part) {
            parts.push(&c.part);
        }
    }
    let field_w = changes.iter().map(|c| width(&c.field.shown())).max().unwrap_or(0);
    let (before, after) = (tr!("before:"), tr!("after:"));
    let label_w = width(&before).max(width(&after));
    let mut out = String::new();
    for part in parts {
        if let Some(p) = part.as_deref().filter(|p| !p.is_empty()) {
            out.push_str(&format!("■ {p}\n"));
        }
        let mut item: Option<&str> = None;
        for c in changes.iter().filter(|c| &c.part == part) {
            let indent = if c.item.is_empty() {
                "  "
            } else {
                if item != Some(&c.item) {
                    out.push_str(&format!("  {}\n", c.item));
                }
                "    "
            };
            item = Some(&c.item);
            let head = format!(
                "{indent}{}  {}  ",
                crate::era::short(c.year),
                pad(&c.field.shown(), field_w)
            );
            if !matches!(c.field, Field::Text(_)) {
                out.push_str(&format!("{head}{} → {}\n", shown(&c.old), shown(&c.new)));
                continue;
            }
            let margin = " ".repeat(width(&head));
            for (n, (label, content)) in [(&before, &c.old), (&after, &c.new)].into_iter().enumerate() {
                let text = shown(content);
                let mut lines = text.lines();
                let first = lines.next().unwrap_or("");
                let lead = if n == 0 { head.clone() } else { margin.clone() };
                out.push_str(&format!("{lead}{} {first}\n", pad(label, label_w)));
                for l in lines {
                    out.push_str(&format!("{margin}{} {l}\n", " ".repeat(label_w)));
                }
            }
        }
    }
    out
}

/// The changes as JSON: a list of objects with `part`, `item`, `year`,
/// `field` (`value`, a text field's name, or `edition`), `old` and `new`
/// (`null` for a blank).
pub fn json(changes: &[Change]) -> String {
    serde_json::to_string_pretty(changes).expect("changes are JSON")
}
