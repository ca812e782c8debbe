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

/// A finished PDF's classic cross-reference table, as krilla writes it:
/// one subsection from object 0, 20 bytes an entry, then the trailer.
pub struct Xref<'a> {
    /// Where the `startxref` keyword stands.
    pub startxref: usize,
    /// Where the table (`xref`) starts.
    pub at: usize,
    /// Where the trailer (`trailer`) starts.
    pub trailer: usize,
    /// How many objects the table lists.
    pub count: usize,
    /// The table's entries.
    pub table: &'a [u8],
}

impl Xref<'_> {
    /// (object number, offset) of the objects in use, in file order.
    pub fn objects(&self) -> anyhow::Result<Vec<(usize, usize)>> {
        use anyhow::Context;
        let mut objects: Vec<(usize, usize)> = (0..self.count)
            .filter(|i| self.table[20 * i + 17] == b'n')
            .map(|i| number(&self.table[20 * i..20 * i + 10]).map(|off| (i, off)))
            .collect::<Option<_>>()
            .context("bad xref entry")?;
        objects.sort_by_key(|(_, off)| *off);
        Ok(objects)
    }
}

/// The classic cross-reference table `startxref` points at; `None` for a
/// cross-reference stream, a table with several subsections or one not
/// written 20 bytes an entry (not what krilla writes).
pub fn classic_xref(pdf: &[u8]) -> anyhow::Result<Option<Xref<'_>>> {
    use anyhow::{Context, anyhow};
    let sx = rfind(pdf, b"startxref").context("no startxref")?;
    let at = number(pdf[sx + 9..].split(|b| *b == b'%').next().unwrap_or_default()).context("bad startxref")?;
    if pdf.get(at..at + 4) != Some(b"xref") {
        return Ok(None);
    }
    let line_end = |i: usize| {
        find(pdf, b"\n", i)
            .map(|e| e + 1)
            .ok_or_else(|| anyhow!("truncated xref"))
    };
    let sub = line_end(at)?;
    let entries_at = line_end(sub)?;
    let mut parts = std::str::from_utf8(&pdf[sub..entries_at])?.split_whitespace();
    let (first, count): (usize, usize) = (
        parts.next().and_then(|v| v.parse().ok()).context("bad xref")?,
        parts.next().and_then(|v| v.parse().ok()).context("bad xref")?,
    );
    if first != 0 {
        return Ok(None);
    }
    let trailer = find(pdf, b"trailer", entries_at).context("no trailer")?;
    let table = &pdf[entries_at..trailer];
    if table.len() != 20 * count {
        return Ok(None);
    }
    Ok(Some(Xref {
        startxref: sx,
        at,
        trailer,
        count,
        table,
    }))
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
