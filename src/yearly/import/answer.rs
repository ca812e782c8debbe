//! Reading one answer from a cell: a value, a note or a text, each checked
//! against what the layout allows.

use crate::font::Fonts;
use crate::lang::tr;
use crate::value::Decimal;
use calamine::Data;

/// What the layout says about answers: the notes offered (none without a
/// note column) and the font texts must print in.
pub struct Rules {
    /// The notes a note cell may hold.
    pub notes: Vec<String>,
    /// The layout's fonts, when they could be loaded.
    pub fonts: Option<std::sync::Arc<Fonts>>,
}

/// The forms of a unit that may be left in or typed after a number.
fn unit_forms(unit: &str, after: Option<&str>) -> Vec<String> {
    let mut forms = vec![unit.to_string()];
    if let Some(a) = after {
        forms.push(a.to_string());
    }
    forms
}

/// What a department may type for "not measured", printed ―.
pub const NOT_MEASURED: [&str; 6] = ["―", "－", "-", "ー", "—", "未測定"];

/// A year's answer: `None` for a blank; ― (or 未測定) for not measured;
/// else a number as [`parse_value`] reads it. A figure given to confirm an
/// earlier year may keep its note (`1085112 ※速報値`, as the template shows
/// a figure still provisional).
///
/// ```
/// use calamine::Data;
/// use shiryo::yearly::import::answer::{parse_entry, Rules};
/// let rules = Rules { notes: vec!["※速報値".into()], fonts: None };
/// let e = |s: &str| parse_entry(&Data::String(s.into()), "人", None, &rules).unwrap().unwrap();
/// assert_eq!(e("―").value, None);
/// assert_eq!(e("未測定").value, None);
/// let kept = e("1,085,112 ※速報値");
/// assert_eq!((kept.value.unwrap().as_str(), kept.note.as_deref()), ("1,085,112", Some("※速報値")));
/// assert_eq!(parse_entry(&Data::Float(4500.0), "人", None, &rules).unwrap().unwrap().value.unwrap().as_str(), "4,500");
/// ```
pub fn parse_entry(
    d: &Data,
    unit: &str,
    after: Option<&str>,
    rules: &Rules,
) -> Result<Option<super::store::Entry>, String> {
    use super::store::Entry;
    if let Data::String(s) = d {
        let t = s.trim();
        if NOT_MEASURED.contains(&t) {
            return Ok(Some(Entry {
                value: None,
                note: None,
            }));
        }
        for n in &rules.notes {
            if let Some(num) = t.strip_suffix(n.as_str()) {
                let v = parse_value(&Data::String(num.trim().to_string()), unit, after)?;
                return Ok(v.map(|v| Entry {
                    value: Some(v),
                    note: Some(n.clone()),
                }));
            }
        }
    }
    Ok(parse_value(d, unit, after)?.map(|v| Entry {
        value: Some(v),
        note: None,
    }))
}

/// A value answer: `None` for a blank (or the unit left alone, as in the
/// template), else a decimal ≥ 0 written without unit.
///
/// Numbers typed into the spreadsheet arrive as floats and are written in
/// their shortest form, with thousands separators as the tables usually
/// print figures (`20.6`, `1,350,000`). A number entered as text is kept as
/// typed (`"20.60"`, `"8175"`, `"8,175"`), in half-width digits.
pub fn parse_value(d: &Data, unit: &str, after: Option<&str>) -> Result<Option<Decimal>, String> {
    let forms = unit_forms(unit, after);
    let negative = |shown: &str| tr!("expected a number ≥ 0, found {found}", found = shown);
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) if *i < 0 => Err(negative(&i.to_string())),
        Data::Int(i) => Ok(Some(grouped(&i.to_string())?)),
        Data::Float(f) if !f.is_finite() => Err(negative(&f.to_string())),
        Data::Float(f) if *f < 0.0 => Err(negative(&f.to_string())),
        Data::Float(f) => {
            let s = if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            };
            Ok(Some(grouped(&s)?))
        }
        Data::String(s) => {
            let t: String = s
                .trim()
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                    '．' => '.',
                    '，' => ',',
                    c => c,
                })
                .collect();
            if t.is_empty() || forms.contains(&t) {
                return Ok(None);
            }
            if let Ok(v) = t.parse::<Decimal>() {
                return if t.starts_with('-') {
                    Err(negative(&format!("{s:?}")))
                } else {
                    Ok(Some(v))
                };
            }
            for f in &forms {
                if let Some(num) = t.strip_suffix(f.as_str())
                    && num.trim().replace(',', "").parse::<Decimal>().is_ok()
                {
                    return Err(tr!(
                        "expected the number alone, found {found}: the unit {unit} is typed into the number; \
                         type {number} (the cell shows the unit)",
                        found = format!("{s:?}"),
                        unit = unit,
                        number = num.trim().replace(',', ""),
                    ));
                }
            }
            if t.contains(',') && t.replace(',', "").parse::<Decimal>().is_ok() {
                return Err(tr!(
                    "expected a number with a separator only between groups of three digits, found {found}; type {number}",
                    found = format!("{s:?}"),
                    number = t.replace(',', ""),
                ));
            }
            Err(tr!(
                "expected a number ≥ 0 (unit {unit}), found the text {found}",
                unit = unit,
                found = format!("{s:?}"),
            ))
        }
        Data::Bool(b) => Err(tr!("expected a number ≥ 0, found the truth value {found}", found = b)),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err(tr!("expected a number ≥ 0, found a date or time ({found})", found = d))
        }
        Data::Error(e) => Err(tr!("expected a number ≥ 0, found the error {found}", found = e)),
    }
}

/// A note answer: `None` for a blank, else one of the layout's notes.
pub fn parse_note(d: &Data, rules: &Rules) -> Result<Option<String>, String> {
    let text = match d {
        Data::Empty => return Ok(None),
        Data::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if rules.notes.contains(&text) {
        Ok(Some(text))
    } else {
        let or = match crate::lang::current() {
            crate::lang::Lang::En => " or ",
            crate::lang::Lang::Ja => "、",
        };
        Err(tr!(
            "expected {choices} or a blank, found {found}",
            choices = rules.notes.join(or),
            found = format!("{text:?}"),
        ))
    }
}

/// A text answer: `None` for a blank, else the text with its line breaks
/// as `\n`, within the length limit and printable in the layout's font.
pub fn parse_text(d: &Data, rules: &Rules) -> Result<Option<String>, String> {
    let raw = match d {
        Data::Empty => return Ok(None),
        Data::String(s) => s.clone(),
        Data::Float(_) | Data::Int(_) => super::workbook::cell_text(d),
        other => return Err(tr!("expected text, found {found}", found = other)),
    };
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        return Err(tr!(
            "expected text without control characters, found {code}",
            code = format!("U+{:04X}", c as u32),
        ));
    }
    let n = text.chars().count();
    let max = crate::yearly::MAX_TEXT_CHARS as usize;
    if n > max {
        return Err(tr!("expected at most {max} characters, found {n}", max = max, n = n));
    }
    if let Some(fonts) = &rules.fonts {
        for line in text.lines() {
            let face = fonts.face(false);
            if let Some(c) = face.missing(line) {
                return Err(tr!(
                    "the font {font} has no glyph for {character} ({code}), so the tables could not print it; \
                     write it another way",
                    font = format!("{:?}", face.family),
                    character = format!("{c:?}"),
                    code = format!("U+{:04X}", c as u32),
                ));
            }
        }
    }
    Ok(Some(text.to_string()))
}

/// A typed number in its grouped form (`1,350,000`).
fn grouped(digits: &str) -> Result<Decimal, String> {
    let d: Decimal = digits.parse().map_err(|e| format!("{e}"))?;
    d.grouped().parse().map_err(|e| format!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            notes: vec!["※速報値".into()],
            fonts: None,
        }
    }

    #[test]
    fn values_are_numbers_without_unit() {
        let v = |d: Data| parse_value(&d, "人", None);
        assert_eq!(v(Data::Float(450.0)).unwrap().unwrap().as_str(), "450");
        assert_eq!(v(Data::Float(20.6)).unwrap().unwrap().as_str(), "20.6");
        assert_eq!(v(Data::Int(7)).unwrap().unwrap().as_str(), "7");
        assert_eq!(v(Data::String("20.60".into())).unwrap().unwrap().as_str(), "20.60");
        assert_eq!(v(Data::String("４５０".into())).unwrap().unwrap().as_str(), "450");
        assert_eq!(v(Data::String("人".into())).unwrap(), None);
        assert_eq!(v(Data::Empty).unwrap(), None);
        let e = v(Data::String("450人".into())).unwrap_err();
        assert!(
            e.contains("unit 人 is typed into the number") && e.contains("type 450"),
            "{e}"
        );
        assert!(v(Data::Float(-1.0)).unwrap_err().contains("≥ 0"));
        assert!(v(Data::String("-3".into())).unwrap_err().contains("≥ 0"));
        assert!(
            v(Data::String("たくさん".into()))
                .unwrap_err()
                .contains("expected a number")
        );
        // Text keeps its form; typed numbers get separators.
        assert_eq!(v(Data::String("8175".into())).unwrap().unwrap().as_str(), "8175");
        assert_eq!(v(Data::String("8,175".into())).unwrap().unwrap().as_str(), "8,175");
        assert_eq!(v(Data::String("８，１７５".into())).unwrap().unwrap().as_str(), "8,175");
        assert_eq!(v(Data::Float(8175.0)).unwrap().unwrap().as_str(), "8,175");
        assert_eq!(v(Data::Int(1350000)).unwrap().unwrap().as_str(), "1,350,000");
        assert!(v(Data::String("12,34".into())).unwrap_err().contains("type 1234"));
        assert!(v(Data::Bool(true)).is_err());
        let pct = parse_value(&Data::String("30.6%".into()), "％", Some("%")).unwrap_err();
        assert!(pct.contains("type 30.6"), "{pct}");
        assert_eq!(parse_value(&Data::String("％".into()), "％", Some("%")).unwrap(), None);
    }

    #[test]
    fn notes_are_one_of_the_choices() {
        let r = rules();
        assert_eq!(
            parse_note(&Data::String("※速報値".into()), &r).unwrap().as_deref(),
            Some("※速報値")
        );
        assert_eq!(parse_note(&Data::String(" ".into()), &r).unwrap(), None);
        assert!(
            parse_note(&Data::String("速報".into()), &r)
                .unwrap_err()
                .contains("※速報値")
        );
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        let r = rules();
        assert_eq!(
            parse_text(&Data::String(" a\r\nb ".into()), &r).unwrap().as_deref(),
            Some("a\nb")
        );
        let long = "あ".repeat(crate::yearly::MAX_TEXT_CHARS as usize + 1);
        assert!(parse_text(&Data::String(long), &r).unwrap_err().contains("at most"));
        assert!(parse_text(&Data::String("a\u{7}".into()), &r).is_err());
    }
}
