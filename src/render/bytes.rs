//! Byte searches for the passes that rewrite a finished PDF.

/// The first position of `needle` in `hay` at or after `from`.
///
/// Scans for the needle's first byte and compares only there: a finished
/// PDF is megabytes long and these searches run over all of it.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut i = from;
    loop {
        let at = i + hay.get(i..)?.iter().position(|&b| b == first)?;
        if hay.get(at..at + needle.len())? == needle {
            return Some(at);
        }
        i = at + 1;
    }
}

/// The last position of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut end = hay.len();
    loop {
        let at = hay[..end].iter().rposition(|&b| b == first)?;
        if hay.get(at..at + needle.len()) == Some(needle) {
            return Some(at);
        }
        end = at;
    }
}

/// A decimal number, surrounding white space allowed.
pub fn number(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_and_the_last_match() {
        let hay = b"1 0 obj\n<<>>\nendobj\n2 0 obj\nendobj\n";
        assert_eq!(find(hay, b"obj", 0), Some(4));
        assert_eq!(find(hay, b"obj", 5), Some(16));
        assert_eq!(find(hay, b"endobj", 17), Some(28));
        assert_eq!(find(hay, b"xref", 0), None);
        assert_eq!(find(hay, b"obj", hay.len() + 3), None);
        assert_eq!(rfind(hay, b"endobj"), Some(28));
        assert_eq!(rfind(hay, b"1 0"), Some(0));
        assert_eq!(rfind(hay, b"\nendobj\n2"), Some(12));
        assert_eq!(rfind(hay, b"trailer"), None);
        // A needle cut off by the end is no match.
        assert_eq!(find(b"abcab", b"abc", 1), None);
        assert_eq!(rfind(b"abcab", b"abx"), None);
        assert_eq!(number(b" 42\n"), Some(42));
    }
}
