//! Packs a PDF's small objects into compressed object streams.
//!
//! krilla writes every object on its own, uncompressed, listed in a classic
//! cross-reference table. Many of them are small and alike: an outline
//! entry per group of rows, and in a tagged PDF an element of its
//! structure per table cell, heading and paragraph, which alone would make
//! the file a third larger. This pass moves every object that is not a
//! stream into object streams (ISO 32000-1, 7.5.7), compressed with the
//! same deflate as the content streams, and replaces the table with a
//! cross-reference stream (7.5.8). Streams are copied as they are, every
//! object keeps its number, and the same input gives the same bytes.
//!
//! Object streams need PDF 1.5: a file of an earlier version (PDF/A-1)
//! comes back unchanged, as does one not written the way krilla writes.

use super::bytes::{Xref, classic_xref, find, rfind};
use anyhow::{Context, Result};
use std::io::Write;

/// The most objects one object stream holds: enough to compress well,
/// few enough that a reader looking up one object inflates little.
const PER_STREAM: usize = 1000;

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data)?;
    Ok(e.finish()?)
}

/// The PDF with its objects other than streams in object streams and a
/// cross-reference stream, when it is PDF 1.5 or later with a classic
/// cross-reference table; else the PDF as it is.
pub fn pack(pdf: Vec<u8>) -> Result<Vec<u8>> {
    let version = pdf.get(5..8).and_then(|v| std::str::from_utf8(v).ok());
    if !matches!(version, Some(v) if v >= "1.5" && v.as_bytes()[1] == b'.') {
        return Ok(pdf);
    }
    let Some(xref) = classic_xref(&pdf)? else {
        return Ok(pdf);
    };
    let Xref {
        startxref: sx,
        at: xref_at,
        trailer: trailer_at,
        count,
        table,
    } = xref;
    if pdf.get(xref_at + 4) != Some(&b'\n') {
        return Ok(pdf);
    }
    // The trailer's entries but /Size, for the cross-reference stream.
    let trailer = std::str::from_utf8(&pdf[trailer_at + 7..sx])?.trim();
    let Some(entries) = trailer.strip_prefix("<<").and_then(|t| t.strip_suffix(">>")) else {
        return Ok(pdf);
    };
    let size_at = entries.find("/Size").context("trailer without /Size")?;
    let size_end = entries[size_at + 5..]
        .find(['/', '>'])
        .map_or(entries.len(), |e| size_at + 5 + e);
    let kept = format!("{}{}", &entries[..size_at], &entries[size_end..]);

    let objects = xref.objects()?;
    let Some(&(_, body_start)) = objects.first() else {
        return Ok(pdf);
    };
    if table[..20].get(17) != Some(&b'f') || objects.iter().any(|&(_, off)| off >= xref_at) {
        return Ok(pdf);
    }

    /// Where an object ends up.
    #[derive(Clone, Copy)]
    enum Place {
        /// Free.
        Free,
        /// At this offset of the file.
        At(usize),
        /// In object stream number `0`, at index `1`.
        In(usize, usize),
    }
    let mut places = vec![Place::Free; count];
    let mut out = pdf[..body_start].to_vec();
    // The objects to pack: number and content.
    let mut packed: Vec<(usize, &[u8])> = Vec::new();
    for (k, &(num, off)) in objects.iter().enumerate() {
        let end = objects.get(k + 1).map_or(xref_at, |&(_, o)| o);
        let slice = &pdf[off..end];
        let open = find(slice, b" obj", 0)
            .filter(|&o| o < 24)
            .with_context(|| format!("object {num} has no header"))?;
        let close = rfind(slice, b"endobj").with_context(|| format!("object {num} has no end"))?;
        let content = slice[open + 4..close].trim_ascii();
        if content.ends_with(b"endstream") || slice[..open].trim_ascii() != format!("{num} 0").as_bytes() {
            places[num] = Place::At(out.len());
            out.extend_from_slice(slice);
        } else {
            packed.push((num, content));
        }
    }
    let mut next = count;
    for chunk in packed.chunks(PER_STREAM) {
        let stream_num = next;
        next += 1;
        let mut index = String::new();
        let mut data: Vec<u8> = Vec::new();
        for (i, (num, content)) in chunk.iter().enumerate() {
            index.push_str(&format!("{num} {} ", data.len()));
            places[*num] = Place::In(stream_num, i);
            data.extend_from_slice(content);
            data.push(b'\n');
        }
        let mut plain = index.into_bytes();
        let first = plain.len();
        plain.extend_from_slice(&data);
        let compressed = deflate(&plain)?;
        places.push(Place::At(out.len()));
        out.extend_from_slice(
            format!(
                "{stream_num} 0 obj\n<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
                chunk.len(),
                compressed.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&compressed);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    // The cross-reference stream, the last object: 1 byte of type, 4 of
    // offset or object stream, 2 of generation or index.
    let xref_num = next;
    let xref_offset = out.len();
    places.push(Place::At(xref_offset));
    let mut rows: Vec<u8> = Vec::with_capacity(7 * places.len());
    for (num, place) in places.iter().enumerate() {
        let (kind, a, b) = match *place {
            Place::Free => (0u8, 0usize, if num == 0 { 65535 } else { 0 }),
            Place::At(off) => (1, off, 0),
            Place::In(stream, i) => (2, stream, i),
        };
        let a = u32::try_from(a).context("the PDF is larger than 4 GiB")?;
        let b = u16::try_from(b).context("too many objects in one stream")?;
        rows.push(kind);
        rows.extend_from_slice(&a.to_be_bytes());
        rows.extend_from_slice(&b.to_be_bytes());
    }
    // Each row as its difference to the row above (PNG's Up predictor):
    // neighbouring rows differ in a byte or two, which deflates well.
    let mut predicted = Vec::with_capacity(rows.len() / 7 * 8);
    for (i, row) in rows.chunks(7).enumerate() {
        predicted.push(2);
        for (j, byte) in row.iter().enumerate() {
            let above = if i == 0 { 0 } else { rows[7 * (i - 1) + j] };
            predicted.push(byte.wrapping_sub(above));
        }
    }
    let compressed = deflate(&predicted)?;
    out.extend_from_slice(
        format!(
            "{xref_num} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]{kept}/Filter/FlateDecode\
             /DecodeParms<</Columns 7/Predictor 12>>/Length {}>>\nstream\n",
            places.len(),
            compressed.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&compressed);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_offset}\n%%EOF\n").as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small PDF as krilla writes them: objects, a classic table, a trailer.
    fn sample(version: &str) -> Vec<u8> {
        let objects = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Count 1/Kids[3 0 R]>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>",
            "<</Length 3>>\nstream\nabc\nendstream",
        ];
        let mut pdf = format!("%PDF-{version}\n%\u{80}\n\n").into_bytes();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f\r\n");
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(format!("trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        pdf
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    /// The bytes of the stream of the object starting at `at`.
    fn stream_at(pdf: &[u8], at: usize) -> (String, Vec<u8>) {
        let s = find(pdf, b"stream\n", at).unwrap() + 7;
        let e = find(pdf, b"\nendstream", s).unwrap();
        let dict = String::from_utf8_lossy(&pdf[at..s]).into_owned();
        (dict, inflate(&pdf[s..e]))
    }

    #[test]
    fn objects_move_into_an_object_stream_and_streams_stay() {
        let pdf = pack(sample("1.7")).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("4 0 obj\n<</Length 3>>\nstream\nabc\nendstream"),
            "{text}"
        );
        assert!(!text.contains("/Type/Catalog"), "the catalog is packed: {text}");
        let at = find(&pdf, b"5 0 obj", 0).unwrap();
        let (dict, data) = stream_at(&pdf, at);
        assert!(dict.contains("/Type/ObjStm/N 3/First 14"), "{dict}");
        let data = String::from_utf8(data).unwrap();
        assert!(data.starts_with("1 0 2 30 3 66 "), "{data}");
        assert_eq!(&data[14 + 30..14 + 65], "<</Type/Pages/Count 1/Kids[3 0 R]>>");
        // The cross-reference stream finds every object.
        let sx = rfind(&pdf, b"startxref").unwrap();
        let xref_at = crate::render::bytes::number(pdf[sx + 9..].split(|b| *b == b'%').next().unwrap()).unwrap();
        let (dict, data) = stream_at(&pdf, xref_at);
        assert!(dict.contains("/DecodeParms<</Columns 7/Predictor 12>>"), "{dict}");
        let mut rows: Vec<u8> = Vec::new();
        for (i, line) in data.chunks(8).enumerate() {
            assert_eq!(line[0], 2, "the Up predictor");
            for j in 0..7 {
                let above = if i == 0 { 0 } else { rows[7 * (i - 1) + j] };
                rows.push(line[1 + j].wrapping_add(above));
            }
        }
        assert!(
            dict.starts_with("6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Filter"),
            "{dict}"
        );
        let row = |n: usize| &rows[7 * n..7 * n + 7];
        assert_eq!(row(0), [0, 0, 0, 0, 0, 255, 255]);
        assert_eq!(row(2), [2, 0, 0, 0, 5, 0, 1]);
        let four = u32::from_be_bytes(row(4)[1..5].try_into().unwrap()) as usize;
        assert!(pdf[four..].starts_with(b"4 0 obj"));
        assert_eq!(row(6)[0], 1);
    }

    #[test]
    fn a_pdf_before_1_5_or_of_another_form_is_unchanged() {
        let old = sample("1.4");
        assert_eq!(pack(old.clone()).unwrap(), old);
        let mut odd = sample("1.7");
        let at = rfind(&odd, b"trailer").unwrap();
        odd.truncate(at);
        odd.extend_from_slice(b"startxref\n0\n%%EOF\n");
        assert_eq!(pack(odd.clone()).unwrap(), odd);
    }
}
