//! Removes TrueType hinting from a font before it is embedded in a PDF.
//!
//! Hinting instructions only steer rasterisation at small pixel sizes on
//! screens; PDF viewers and printers render outlines unhinted. BIZ UDGothic
//! carries instructions in nearly every glyph, a fifth of a subset's size.
//! The outlines, glyph ids and advances stay exactly as they are.

use std::collections::BTreeMap;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(i)?,
        *b.get(i + 1)?,
        *b.get(i + 2)?,
        *b.get(i + 3)?,
    ]))
}

/// Tables that only serve hinting, dropped with the instructions.
const HINTING_TABLES: [&[u8; 4]; 6] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"];

/// The font without hinting, or `None` when it is not a plain TrueType
/// font this function understands (the caller then embeds it as it is).
pub fn dehint(font: &[u8]) -> Option<Vec<u8>> {
    let version = u32_at(font, 0)?;
    if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
        return None;
    }
    let num_tables = u16_at(font, 4)? as usize;
    let mut tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for t in 0..num_tables {
        let rec = 12 + 16 * t;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        tables.insert(tag, font.get(off..off.checked_add(len)?)?.to_vec());
    }
    let head = tables.get(b"head")?;
    let long_loca = u16_at(head, 50)? == 1;
    let num_glyphs = u16_at(tables.get(b"maxp")?, 4)? as usize;
    let loca = tables.get(b"loca")?;
    let glyf = tables.get(b"glyf")?;
    let offset = |g: usize| -> Option<usize> {
        if long_loca {
            u32_at(loca, 4 * g).map(|v| v as usize)
        } else {
            u16_at(loca, 2 * g).map(|v| 2 * v as usize)
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(4 * (num_glyphs + 1));
    for g in 0..num_glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let (a, b) = (offset(g)?, offset(g + 1)?);
        if b > a {
            strip_glyph(glyf.get(a..b)?, &mut new_glyf)?;
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables.insert(*b"glyf", new_glyf);
    tables.insert(*b"loca", new_loca);
    let head = tables.get_mut(b"head")?;
    head[50..52].copy_from_slice(&1u16.to_be_bytes());
    head[8..12].copy_from_slice(&[0; 4]);
    for t in HINTING_TABLES {
        tables.remove(t);
    }
    tables.remove(b"DSIG");
    if let Some(maxp) = tables.get_mut(b"maxp")
        && maxp.len() >= 32
    {
        // maxSizeOfInstructions
        maxp[26..28].copy_from_slice(&0u16.to_be_bytes());
    }
    Some(assemble(version, &tables))
}

/// Copies one glyph without its instructions.
fn strip_glyph(glyph: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let instr_at = 10 + 2 * n;
        let instr_len = u16_at(glyph, instr_at)? as usize;
        out.extend_from_slice(glyph.get(..instr_at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(instr_at + 2 + instr_len..)?);
        return Some(());
    }
    // A composite glyph: copy its components without WE_HAVE_INSTRUCTIONS.
    out.extend_from_slice(glyph.get(..10)?);
    let mut i = 10;
    loop {
        let flags = u16_at(glyph, i)?;
        let mut len = 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        len += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        out.extend_from_slice(&(flags & !0x0100).to_be_bytes());
        out.extend_from_slice(glyph.get(i + 2..i + len)?);
        i += len;
        if flags & 0x0020 == 0 {
            return Some(());
        }
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// Writes the table directory and the tables, 4-byte aligned, with their
/// checksums and the head table's checksum adjustment.
fn assemble(version: u32, tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(n * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = 0;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = offset;
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/BIZUDGothic-Regular.ttf")).unwrap()
    }

    struct Outline(Vec<String>);
    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x},{y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x},{y}"));
        }
        fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
            self.0.push(format!("Q{a},{b},{x},{y}"));
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0.push(format!("C{a},{b},{c},{d},{x},{y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    #[test]
    fn outlines_and_advances_are_unchanged() {
        let font = original();
        let plain = dehint(&font).unwrap();
        let a = ttf_parser::Face::parse(&font, 0).unwrap();
        let b = ttf_parser::Face::parse(&plain, 0).unwrap();
        assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
        for c in "基本目標１地域共生課20,292世帯％（）、。ーぁAg".chars() {
            let ga = a.glyph_index(c).unwrap();
            assert_eq!(Some(ga), b.glyph_index(c));
            assert_eq!(a.glyph_hor_advance(ga), b.glyph_hor_advance(ga));
            let (mut oa, mut ob) = (Outline(vec![]), Outline(vec![]));
            a.outline_glyph(ga, &mut oa);
            b.outline_glyph(ga, &mut ob);
            assert_eq!(oa.0, ob.0, "{c}");
        }
        assert!(plain.len() * 10 < font.len() * 9, "{} vs {}", plain.len(), font.len());
        assert_eq!(checksum(&plain), 0xB1B0_AFBA, "whole-font checksum");
    }

    #[test]
    fn not_truetype_is_left_alone() {
        assert!(dehint(b"OTTO\0\0\0\0").is_none());
        assert!(dehint(b"").is_none());
    }
}
