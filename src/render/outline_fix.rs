//! Writes outline destinations inline.
//!
//! krilla writes each outline entry's destination as a separate array
//! object (`/Dest 16 0 R`). ISO 32000-1 allows that, but Apache PDFBox 2.0
//! (whose Preflight many archives validate PDF/A-1b with) cannot follow the
//! reference and rejects the file. This pass copies each such array into
//! the entry (`/Dest [28 0 R /XYZ …]`) and rewrites the cross-reference
//! table; nothing else in the file changes.

use super::bytes::{Xref, classic_xref, find, number};
use anyhow::Result;
use std::collections::HashMap;

/// The PDF with outline destinations inline. A file without indirect
/// destinations comes back unchanged.
pub fn inline_destinations(pdf: Vec<u8>) -> Result<Vec<u8>> {
    // A cross-reference stream: not what krilla writes for these files.
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
    let objects = xref.objects()?;
    let body = |k: usize| -> &[u8] {
        let end = objects.get(k + 1).map_or(xref_at, |(_, off)| *off);
        &pdf[objects[k].1..end]
    };
    // Destination arrays: `N 0 obj\n[P 0 R/XYZ x y z]\nendobj`.
    let mut dests: HashMap<usize, Vec<u8>> = HashMap::new();
    for (k, (num, _)) in objects.iter().enumerate() {
        let b = body(k);
        let Some(open) = find(b, b"obj\n[", 0) else { continue };
        let Some(close) = find(b, b"]\nendobj", open) else {
            continue;
        };
        let array = &b[open + 4..=close];
        if find(array, b"/XYZ", 0).is_some() && !array[1..array.len() - 1].contains(&b'[') {
            dests.insert(*num, array.to_vec());
        }
    }
    if dests.is_empty() {
        return Ok(pdf);
    }
    let mut out = pdf[..objects[0].1].to_vec();
    let mut offsets = vec![None; count];
    for (k, (num, _)) in objects.iter().enumerate() {
        offsets[*num] = Some(out.len());
        let b = body(k);
        if find(b, b"stream", 0).is_some() || find(b, b"/Dest ", 0).is_none() {
            out.extend_from_slice(b);
            continue;
        }
        let mut i = 0;
        while let Some(at) = find(b, b"/Dest ", i) {
            out.extend_from_slice(&b[i..at + 5]);
            let rest = &b[at + 6..];
            let r = find(rest, b" 0 R", 0).filter(|&r| r <= 10);
            match r.and_then(|r| number(&rest[..r]).map(|n| (n, r))) {
                Some((n, r)) if dests.contains_key(&n) => {
                    out.extend_from_slice(&dests[&n]);
                    i = at + 6 + r + 4;
                }
                _ => {
                    out.push(b' ');
                    i = at + 6;
                }
            }
        }
        out.extend_from_slice(&b[i..]);
    }
    let new_xref = out.len();
    out.extend_from_slice(format!("xref\n0 {count}\n").as_bytes());
    for (i, off) in offsets.iter().enumerate() {
        let line = match off {
            Some(o) => format!("{o:010} 00000 n\r\n"),
            None => String::from_utf8_lossy(&table[20 * i..20 * i + 20]).into_owned(),
        };
        out.extend_from_slice(line.as_bytes());
    }
    out.extend_from_slice(&pdf[trailer_at..sx]);
    out.extend_from_slice(format!("startxref\n{new_xref}\n%%EOF\n").as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_archive_pdf_has_its_outline_destinations_inline() {
        let edition = crate::edition::Edition::load(&Default::default()).unwrap();
        let p = crate::render::prepare(&edition).unwrap();
        let pdf = crate::render::pdf::render(&p, crate::archive::Level::A1b.settings()).unwrap();
        // `/Dest[31 0 R /XYZ …]`, whatever the page object's number.
        assert!(
            pdf.windows(7)
                .any(|w| (w.starts_with(b"/Dest[") && w[6].is_ascii_digit()) || w == b"/Dest [")
        );
    }
}
