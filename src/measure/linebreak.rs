//! Japanese line breaking: UAX #14 break opportunities (unicode-linebreak)
//! narrowed by 禁則 (kinsoku) rules and by number–unit glue, then greedy
//! filling to a width.

use crate::font::Face;

/// Characters that never start a line (行頭禁則).
pub const NO_START: &str = "、。，．,.）)」』】〕〉》］]｝}ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ・：；？！‼⁇⁈⁉ー―～…‥’”％%";
/// Characters that never end a line (行末禁則).
pub const NO_END: &str = "（(「『【〔〈《［[｛{‘“";

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
    matches!(c, '％' | '%' | '‰') || ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{30A0}'..='\u{30FF}').contains(&c)
}

/// Whether the line may break between `before` (the text so far) and the
/// character `after`.
fn allowed(before: &str, after: char) -> bool {
    let Some(last) = before.chars().next_back() else {
        return false;
    };
    if no_start(after) || no_end(last) {
        return false;
    }
    // Number–unit glue: a number stays with the unit that follows it, up to
    // three unit characters (`20,292世帯`, `62.4％以上`).
    if after.is_whitespace() {
        return true;
    }
    if is_digit(last) {
        return false;
    }
    if is_unit_char(after) {
        let tail: Vec<char> = before.chars().rev().take(4).collect();
        let units = tail.iter().take_while(|c| is_unit_char(**c)).count();
        if units < 3 && tail.get(units).is_some_and(|c| is_digit(*c)) {
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
        .filter(|&i| text[i..].chars().next().is_some_and(|c| allowed(&text[..i], c)))
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
    if text.is_empty() {
        return vec![String::new()];
    }
    let w = |s: &str| face.width(s, size);
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
        if acc + w(seg.trim_end()) <= width {
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
                let cut = char_cut(text, start, end, width, size, face);
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
            "、", "。", "，", "．", "）", "」", "』", "】", "〕", "ー", "々", "ゃ", "っ", "ャ", "ッ",
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
        for c in ["（", "「", "『", "【"] {
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
