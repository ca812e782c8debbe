//! Japanese line breaking: UAX #14 break opportunities (unicode-linebreak)
//! narrowed by 禁則 (kinsoku) rules and by glue that keeps an era name with
//! its year and a number with its unit, then greedy filling to a width.
//!
//! The rules are the tables below; the code only applies them.

use crate::font::Face;

/// Characters that never start a line (行頭禁則); `＞` closes a bracketed
/// span as `〉` does (`＜平成31年度～令和５年度＞`).
pub const NO_START: &str = "、。，．,.）)」』】〕〉》＞］]｝}ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ・：；？！‼⁇⁈⁉ー―～…‥’”％%";
/// Characters that never end a line (行末禁則); `＜` opens a bracketed span.
pub const NO_END: &str = "（(「『【〔〈《＜［[｛{‘“";
/// Era names, in full and as the letters of the short forms, that are
/// never split and stay on the line of the year after them (`令和７年度`,
/// `平成31年`, `Ｒ７`, `R7`, `令和元年度`).
pub const ERA_NAMES: &[&str] = &[
    "令和", "平成", "昭和", "大正", "明治", "Ｒ", "Ｈ", "Ｓ", "Ｔ", "Ｍ", "R", "H", "S", "T", "M",
];
/// Words that stand for the number of a year right after an era name
/// (`元` in `令和元年`); they stay with the era name and with the unit
/// after them as a number does.
pub const ERA_YEAR_WORDS: &[&str] = &["元"];
/// Signs that, besides kanji and katakana, may belong to a unit written
/// after a number (`62.4％以上`).
pub const UNIT_SIGNS: &str = "％%‰";
/// How many unit characters after a number stay with it (`20,292世帯`,
/// `62.4％以上`, `７年度`); hiragana (`の`, `まで`) never count.
pub const UNIT_GLUE: usize = 3;
/// The punctuation after a number that makes it a list number (`１．`,
/// `1.`, `２、`, `3)`, `４）`) when no digit follows it (`20.6%` is not
/// one).
pub const NUMBER_ENDS: &str = "．.、)）";
/// Brackets around a list number (`(1)`, `（２）`): opening, closing.
pub const NUMBER_BRACKETS: &[(char, char)] = &[('(', ')'), ('（', '）')];
/// Characters that are list numbers by themselves (`①`…`⑳`, `⑴`…`⒇`).
pub const NUMBER_SIGNS: &[std::ops::RangeInclusive<char>] = &['\u{2460}'..='\u{2473}', '\u{2474}'..='\u{2487}'];

/// The list prefix of a paragraph: its leading spaces, its list mark (one
/// of `marks`, or with `numbers` a list number) and the spaces after it;
/// `None` when the paragraph is not a list line or is only its mark.
///
/// ```
/// use shiryo::measure::linebreak::list_prefix;
/// let marks = ["・".to_string()];
/// assert_eq!(list_prefix("　・福祉教育の充実", &marks, true), Some("　・"));
/// assert_eq!(list_prefix("１．地域共生社会の実現", &marks, true), Some("１．"));
/// assert_eq!(list_prefix("(2)事務局長会の実施", &marks, true), Some("(2)"));
/// assert_eq!(list_prefix("2024年度の実施", &marks, true), None);
/// assert_eq!(list_prefix("20.6%に増加", &marks, true), None);
/// assert_eq!(list_prefix("１．地域共生社会の実現", &marks, false), None);
/// ```
pub fn list_prefix<'a>(text: &'a str, marks: &[String], numbers: bool) -> Option<&'a str> {
    let rest = text.trim_start();
    let lead = text.len() - rest.len();
    let mark = marks
        .iter()
        .filter(|m| !m.is_empty() && rest.starts_with(m.as_str()))
        .map(String::len)
        .max()
        .or_else(|| numbers.then(|| number_mark(rest)).flatten())?;
    let after = &rest[mark..];
    let end = lead + mark + (after.len() - after.trim_start().len());
    (end < text.len()).then(|| &text[..end])
}

/// The length of the list number `text` starts with, if any.
fn number_mark(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if NUMBER_SIGNS.iter().any(|r| r.contains(&first)) {
        return Some(first.len_utf8());
    }
    let (close, body) = match NUMBER_BRACKETS.iter().find(|(open, _)| *open == first) {
        Some((open, close)) => (Some(*close), &text[open.len_utf8()..]),
        None => (None, text),
    };
    let digits: usize = body
        .chars()
        .take_while(|c| is_digit(*c))
        .take(3)
        .map(char::len_utf8)
        .sum();
    if digits == 0 {
        return None;
    }
    let next = body[digits..].chars().next()?;
    let ends = match close {
        Some(c) => next == c,
        None => NUMBER_ENDS.contains(next),
    };
    let end = text.len() - body.len() + digits + next.len_utf8();
    let then_digit = text[end..].chars().next().is_some_and(is_digit);
    (ends && !then_digit).then_some(end)
}

/// Whether `c` may not start a line.
fn no_start(c: char) -> bool {
    !c.is_ascii_alphanumeric() && !('\u{4E00}'..='\u{9FFF}').contains(&c) && NO_START.contains(c)
}

/// Whether `c` may not end a line.
fn no_end(c: char) -> bool {
    !c.is_ascii_alphanumeric() && !('\u{4E00}'..='\u{9FFF}').contains(&c) && NO_END.contains(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A character that may belong to a unit written after a number
/// (`世帯`, `団体`, `％以上`); hiragana particles (`の`, `まで`) do not.
fn is_unit_char(c: char) -> bool {
    UNIT_SIGNS.contains(c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{30A0}'..='\u{30FF}').contains(&c)
}

/// Whether `before` ends with an era name (of [`ERA_NAMES`]).
fn ends_with_era(before: &str) -> bool {
    ERA_NAMES.iter().any(|e| before.ends_with(e))
}

/// Whether `text` starts with a year's number: a digit, or one of
/// [`ERA_YEAR_WORDS`].
fn starts_year(text: &str) -> bool {
    text.chars().next().is_some_and(is_digit) || ERA_YEAR_WORDS.iter().any(|w| text.starts_with(w))
}

/// Whether `before` ends with a number: a digit, or a year word right
/// after an era name (`令和元`).
fn ends_with_number(before: &str) -> bool {
    if before.chars().next_back().is_some_and(is_digit) {
        return true;
    }
    ERA_YEAR_WORDS
        .iter()
        .any(|w| before.strip_suffix(w).is_some_and(ends_with_era))
}

/// Whether a break between `before` and `after` would split an era name.
fn splits_era(before: &str, after: &str) -> bool {
    ERA_NAMES.iter().any(|e| {
        e.char_indices()
            .skip(1)
            .any(|(i, _)| before.ends_with(&e[..i]) && after.starts_with(&e[i..]))
    })
}

/// Whether the line may break between `before` (the text so far) and
/// `after` (the rest of the text).
fn allowed(before: &str, after: &str) -> bool {
    let (Some(last), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    if no_start(next) || no_end(last) {
        return false;
    }
    // Era glue: 令和 stays whole and with its year (令和７年度, 令和元年).
    if splits_era(before, after) || (ends_with_era(before) && starts_year(after)) {
        return false;
    }
    // Number–unit glue: a number stays with the unit that follows it, up to
    // UNIT_GLUE unit characters (`20,292世帯`, `62.4％以上`).
    if next.is_whitespace() {
        return true;
    }
    if ends_with_number(before) {
        return false;
    }
    if !is_unit_char(next) {
        return true;
    }
    // `next` continues a unit of fewer than UNIT_GLUE characters so far.
    let mut head = before;
    for _ in 1..UNIT_GLUE {
        match head.chars().next_back() {
            Some(c) if is_unit_char(c) => head = &head[..head.len() - c.len_utf8()],
            _ => break,
        }
        if ends_with_number(head) {
            return false;
        }
    }
    true
}

/// Byte offsets where `text` may break, in order (never 0 or the end).
pub fn break_points(text: &str) -> Vec<usize> {
    unicode_linebreak::linebreaks(text)
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && i < text.len())
        .filter(|&i| allowed(&text[..i], &text[i..]))
        .collect()
}

/// Breaks one paragraph into lines no wider than `width` points at `size`.
/// With `nobreak` the paragraph is kept whole unless it cannot fit at all,
/// in which case it is broken between characters rather than clipped.
///
/// ```
/// use shiryo::{font::Fonts, measure::linebreak::break_paragraph};
/// let fonts = Fonts::bundled();
/// // 10 pt, room for 4 full-width characters.
/// let lines = break_paragraph("福祉サービスの質", 40.5, 10.0, &fonts.regular, false);
/// assert_eq!(lines, ["福祉サー", "ビスの質"]);
/// ```
pub fn break_paragraph(text: &str, width: f32, size: f32, face: &Face, nobreak: bool) -> Vec<String> {
    break_hanging(text, width, 0.0, size, face, nobreak)
}

/// Breaks one paragraph like [`break_paragraph`], its lines after the first
/// `indent` points narrower (a list line's hanging indent).
///
/// ```
/// use shiryo::{font::Fonts, measure::linebreak::break_hanging};
/// let fonts = Fonts::bundled();
/// // 10 pt, room for 5 characters; lines after the first 2 characters in.
/// let lines = break_hanging("・地域福祉の推進体制", 50.5, 10.0, 10.0, &fonts.regular, false);
/// assert_eq!(lines, ["・地域福祉", "の推進体", "制"]);
/// ```
pub fn break_hanging(text: &str, width: f32, indent: f32, size: f32, face: &Face, nobreak: bool) -> Vec<String> {
    if text.is_empty() {
        return vec![String::new()];
    }
    let w = |s: &str| face.width(s, size);
    let limit = |lines: &Vec<String>| if lines.is_empty() { width } else { width - indent };
    if nobreak && w(text) <= width {
        return vec![text.to_string()];
    }
    let points = if nobreak { Vec::new() } else { break_points(text) };
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_ok: Option<usize> = None;
    // Width of text[start..last_ok]: each segment is measured once.
    let mut acc = 0.0;
    let mut pi = 0;
    // Walk the break points; when a segment overflows, break at the last
    // point that fitted, or inside the segment when none did.
    let ends: Vec<usize> = points.iter().copied().chain([text.len()]).collect();
    while pi < ends.len() {
        let end = ends[pi];
        let seg_start = last_ok.unwrap_or(start).max(start);
        let seg = &text[seg_start..end];
        if acc + w(seg.trim_end()) <= limit(&lines) {
            acc += w(seg);
            last_ok = Some(end);
            pi += 1;
            continue;
        }
        match last_ok {
            Some(b) if b > start => {
                lines.push(text[start..b].trim_end().to_string());
                start = skip_spaces(text, b);
            }
            _ => {
                // A single segment wider than the line: cut between characters,
                // still keeping prohibited characters off the line start.
                let cut = char_cut(text, start, end, limit(&lines), size, face);
                lines.push(text[start..cut].to_string());
                start = cut;
            }
        }
        last_ok = None;
        acc = 0.0;
        if start >= text.len() {
            break;
        }
    }
    if start < text.len() {
        lines.push(text[start..].trim_end().to_string());
    }
    lines
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if c == ' ' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// The byte offset (after `start`, before `end`) at which to cut a segment
/// that does not fit, at least one character in.
fn char_cut(text: &str, start: usize, end: usize, width: f32, size: f32, face: &Face) -> usize {
    let mut cut = start;
    let mut acc = 0.0;
    for (i, c) in text[start..end].char_indices() {
        let cw = face.width(&c.to_string(), size);
        if acc + cw > width && cut > start {
            break;
        }
        acc += cw;
        cut = start + i + c.len_utf8();
    }
    // Do not start the next line with a prohibited character.
    while cut < end && cut > start {
        let next = text[cut..].chars().next().unwrap_or(' ');
        if !no_start(next) {
            break;
        }
        let prev = text[..cut].chars().next_back().map_or(0, char::len_utf8);
        if cut - prev <= start {
            break;
        }
        cut -= prev;
    }
    cut.max(start + text[start..].chars().next().map_or(1, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::Fonts;

    fn fonts() -> Fonts {
        Fonts::bundled()
    }

    /// Width of `n` full-width characters at 10 pt, with a little room.
    fn cols(n: usize) -> f32 {
        n as f32 * 10.0 + 0.5
    }

    fn lines(text: &str, n: usize) -> Vec<String> {
        break_paragraph(text, cols(n), 10.0, &fonts().regular, false)
    }

    #[test]
    fn prohibited_line_starts() {
        for c in [
            "、", "。", "，", "．", "）", "」", "』", "】", "〕", "＞", "ー", "々", "ゃ", "っ", "ャ", "ッ",
        ] {
            let text = format!("あいう{c}えお");
            let ls = lines(&text, 3);
            for l in &ls[1..] {
                assert!(!l.starts_with(c), "{text:?} broke as {ls:?}");
            }
            assert_eq!(ls.concat(), text);
        }
    }

    #[test]
    fn prohibited_line_ends() {
        for c in ["（", "「", "『", "【", "＜"] {
            let text = format!("あい{c}うえお");
            let ls = lines(&text, 3);
            for l in &ls {
                assert!(!l.ends_with(c), "{text:?} broke as {ls:?}");
            }
            assert_eq!(ls.concat(), text);
        }
    }

    #[test]
    fn numbers_stay_with_their_units() {
        // Wherever the line ends, a value that fits on a line (5 full-width
        // columns) is never split.
        let text = "加入世帯数は20,292世帯です";
        for n in 5..12 {
            let ls = lines(text, n);
            assert!(ls.iter().any(|l| l.contains("20,292世帯")), "{n}: {ls:?}");
        }
        let text = "目標は62.4％以上とする";
        for n in 5..10 {
            let ls = lines(text, n);
            assert!(ls.iter().any(|l| l.contains("62.4％以上")), "{n}: {ls:?}");
        }
    }

    #[test]
    fn an_era_name_stays_whole_and_with_its_year() {
        // Each text has a break opportunity on either side of the era and
        // year, and none inside it, wherever the line would end.
        for (text, whole) in [
            ("取組を務める。令和７年度には地域で", "令和７年度"),
            ("施設を新設し、令和2年10月1日より", "令和2年"),
            ("福祉計画」＜平成31（2019）年度", "＜平成31"),
            ("あいうえおＲ７年度まで", "Ｒ７年度"),
            ("あいうえおR7年度まで", "R7年度"),
            ("あいうえお令和元年度から", "令和元年度"),
            ("あいうえお昭和64年まで", "昭和64年"),
        ] {
            let start = text.find(whole).unwrap();
            let end = start + whole.len();
            let points = break_points(text);
            assert!(
                points.iter().all(|&p| p <= start || p >= end),
                "{text:?} may break inside {whole:?}: {points:?}"
            );
            for n in 3..14 {
                let ls = lines(text, n);
                assert_eq!(ls.concat(), text);
                let w = fonts().regular.width(whole, 10.0);
                if w <= cols(n) {
                    assert!(ls.iter().any(|l| l.contains(whole)), "{n}: {ls:?}");
                }
            }
        }
        // Kanji around an era name still break as before.
        assert!(break_points("地域令和").contains(&"地域".len()));
        assert!(break_points("令和の時代").contains(&"令和".len()));
    }

    #[test]
    fn the_glue_rules_are_tables() {
        assert!(ERA_NAMES.contains(&"令和") && ERA_NAMES.contains(&"平成"));
        assert!(ERA_YEAR_WORDS.contains(&"元"));
        assert_eq!(UNIT_GLUE, 3);
        // A unit of more than UNIT_GLUE characters may break after them.
        let points = break_points("5世帯数比較値");
        assert!(points.contains(&"5世帯数".len()), "{points:?}");
        assert!(!points.contains(&"5世帯".len()), "{points:?}");
    }

    #[test]
    fn particles_after_numbers_may_break() {
        let pts = break_points("20日まで");
        assert!(pts.contains(&"20日".len()));
    }

    #[test]
    fn nobreak_values_stay_whole_when_they_fit() {
        let f = fonts();
        assert_eq!(
            break_paragraph("1,316,637人", 60.0, 10.0, &f.regular, true),
            ["1,316,637人"]
        );
        // Too narrow: broken rather than clipped, and nothing is lost.
        let ls = break_paragraph("1,316,637人", 20.0, 10.0, &f.regular, true);
        assert_eq!(ls.concat(), "1,316,637人");
        assert!(ls.len() > 1);
    }

    #[test]
    fn long_text_keeps_every_character() {
        let text = "市民のボランティア活動を活性化させるため、ボランティアに係るコーディネート等を行い、ボランティア登録者数を増やします。";
        let ls = lines(text, 13);
        assert_eq!(ls.concat(), text);
        assert!(ls.iter().all(|l| fonts().regular.width(l, 10.0) <= cols(13)));
    }
}
