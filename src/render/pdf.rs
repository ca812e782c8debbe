//! The PDF: the paginated grid drawn with krilla in the layout's font,
//! embedded as a subset with a ToUnicode map, so the text is searchable.

use super::{Meta, Prepared};
use crate::font::Face;
use crate::layout::{HAlign, VAlign, mm_to_pt};
use crate::paginate::Fragment;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::graphic::Graphic;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::num::NonZeroU32;

/// Border width in points.
const BORDER: f32 = 0.5;

/// The archival standard to validate against, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// A plain PDF.
    None,
    /// PDF/A-1b.
    A1b,
    /// PDF/A-2b.
    A2b,
}

/// Renders the prepared table as a PDF into memory.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let prepared = shiryo::render::prepare(&edition)?;
/// let pdf = shiryo::render::pdf::render(&prepared, shiryo::render::pdf::Archive::None)?;
/// assert!(pdf.starts_with(b"%PDF-"));
/// # Ok(()) }
/// ```
pub fn render(p: &Prepared, archive: Archive) -> anyhow::Result<Vec<u8>> {
    let mut settings = SerializeSettings {
        compress_content_streams: true,
        ..Default::default()
    };
    use krilla::configure::{Archival, ConfigurationBuilder};
    let builder = ConfigurationBuilder::new();
    let builder = match archive {
        Archive::None => builder,
        Archive::A1b => builder.with_archival_validator(Archival::A1_B),
        Archive::A2b => builder.with_archival_validator(Archival::A2_B),
    };
    settings.configuration = builder
        .finish()
        .map_err(|e| anyhow::anyhow!("PDF configuration: {e:?}"))?;
    let mut doc = Document::new_with(settings);
    let regular = font_of(&p.edition.fonts.regular)?;
    let fonts = Fonts {
        bold: match &p.edition.fonts.bold {
            Some(b) => Some(font_of(b)?),
            None => None,
        },
        regular,
    };
    let l = &p.edition.layout.layout;
    let (pw, ph) = l.page.size_pt();
    let s = p.paged.scale;
    let (ml, mt) = (mm_to_pt(l.page.margins_mm.left), mm_to_pt(l.page.margins_mm.top));
    let n = p.paged.pages.len();
    let mut row_top_on_page = vec![None; p.grid.rows.len()];
    let mut header: Option<Graphic> = None;
    for (pi, page) in p.paged.pages.iter().enumerate() {
        let mut settings = PageSettings::from_wh(pw, ph).ok_or_else(|| anyhow::anyhow!("invalid page size"))?;
        if pi == 0 {
            settings = settings.with_page_label(PageLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(1)));
        }
        let mut page_obj = doc.start_page_with(settings);
        let mut sf = page_obj.surface();
        sf.push_transform(&Transform::from_row(s, 0.0, 0.0, s, ml, mt));
        let mut y = 0.0;
        let title = page
            .title
            .map(|t| &p.grid.titles[t])
            .or(if pi == 0 { p.grid.title.as_ref() } else { None });
        if let Some(t) = title {
            // Lines centred in the title's height; the right text on the first line.
            let lines: Vec<&str> = t.left.split('\n').collect();
            let pitch = t.size * 1.3;
            let top = y + (t.height_pt - pitch * lines.len() as f32) / 2.0 + (pitch - t.size) / 2.0;
            let base = |i: usize| top + i as f32 * pitch + baseline_offset(&p.edition.fonts.regular, t.size);
            for (i, line) in lines.iter().enumerate() {
                fonts.draw(&mut sf, p, line, t.bold, t.size, 0.0, base(i));
            }
            if !t.right.is_empty() {
                let w = p.edition.fonts.face(t.bold).width(&t.right, t.size);
                fonts.draw(&mut sf, p, &t.right, t.bold, t.size, p.grid.width_pt() - w, base(0));
            }
            y += t.height_pt;
        }
        // The header rows: drawn once as a graphic that every page reuses.
        let header_h: f32 = p.measured.row_heights[..p.grid.header_rows].iter().sum();
        let graphic = match &header {
            _ if p.grid.header_rows == 0 => None,
            Some(g) => Some(g.clone()),
            None => {
                let mut sb = sf.stream_builder();
                let mut hs = sb.surface();
                let mut tops = vec![0.0f32; p.grid.header_rows + 1];
                for r in 0..p.grid.header_rows {
                    tops[r + 1] = tops[r] + p.measured.row_heights[r];
                }
                let frags: Vec<&Fragment> = p.paged.header.iter().collect();
                draw_fragments(&mut hs, p, &fonts, &frags, &tops, &p.measured.row_heights);
                hs.finish();
                let g = Graphic::new(sb.finish(), false);
                header = Some(g.clone());
                Some(g)
            }
        };
        if let Some(graphic) = graphic {
            sf.push_transform(&Transform::from_translate(0.0, y));
            sf.draw_graphic(graphic);
            sf.pop();
            y += header_h;
        }
        // A continued table's header row, again.
        let mut tops = vec![0.0f32; p.grid.rows.len() + 1];
        let mut heights = p.measured.row_heights.clone();
        for &r in &page.repeat {
            tops[r] = y;
            y += heights[r];
        }
        let frags: Vec<&Fragment> = page.repeat_fragments.iter().collect();
        draw_fragments(&mut sf, p, &fonts, &frags, &tops, &heights);
        // Row tops and heights of the page's body rows.
        for (r, h) in page.rows.clone().zip(&page.heights) {
            tops[r] = y;
            heights[r] = *h;
            if row_top_on_page[r].is_none() {
                row_top_on_page[r] = Some((pi, y * s + mt));
            }
            y += h;
        }
        let frags: Vec<&Fragment> = page.fragments.iter().collect();
        draw_fragments(&mut sf, p, &fonts, &frags, &tops, &heights);
        sf.pop();
        // Footer, unscaled, at the layout's footer position.
        let fsize = p.grid.footer_size;
        let base = ph - mm_to_pt(l.page.footer_mm);
        for (i, part) in p.grid.footer.iter().enumerate() {
            let Some(part) = part else { continue };
            let text = part.for_page(pi + 1, n);
            let w = p.edition.fonts.regular.width(&text, fsize);
            let x = match i {
                0 => ml,
                1 => (pw - w) / 2.0,
                _ => pw - mm_to_pt(l.page.margins_mm.right) - w,
            };
            fonts.draw(&mut sf, p, &text, false, fsize, x, base);
        }
        sf.finish();
        page_obj.finish();
    }
    let mut outline = Outline::new();
    for (text, row) in &p.outline {
        if let Some((page, y)) = row_top_on_page[*row] {
            outline.push_child(OutlineNode::new(
                text.clone(),
                XyzDestination::new(page, Point::from_xy(ml, y)),
            ));
        }
    }
    doc.set_outline(outline);
    doc.set_metadata(metadata(&p.meta));
    let bytes = doc
        .finish()
        .map_err(|e| anyhow::anyhow!("the PDF could not be written: {e:?}"))?;
    super::object_streams::pack(super::outline_fix::inline_destinations(bytes)?)
}

/// The krilla fonts of the layout's faces.
struct Fonts {
    regular: Font,
    bold: Option<Font>,
}

impl Fonts {
    /// Draws one line of text with its baseline at `baseline`, bold text in
    /// the bold face; only a family without one has its bold drawn by also
    /// stroking the regular outlines.
    #[allow(clippy::too_many_arguments)]
    fn draw(&self, sf: &mut Surface, p: &Prepared, text: &str, bold: bool, size: f32, x: f32, baseline: f32) {
        if text.is_empty() {
            return;
        }
        let face = p.edition.fonts.face(bold);
        let (font, synthetic) = match (&self.bold, bold) {
            (Some(b), true) => (b, false),
            (None, true) => (&self.regular, true),
            _ => (&self.regular, false),
        };
        let mut glyphs = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let Some((id, adv)) = face.glyph(c) else { continue };
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(u32::from(id)),
                adv,
                0.0,
                0.0,
                0.0,
                i..i + c.len_utf8(),
                None,
            ));
        }
        sf.set_fill(Some(Fill::default()));
        sf.set_stroke(synthetic.then(|| Stroke {
            width: size * SYNTHETIC_BOLD,
            ..Default::default()
        }));
        // Positions on a quarter-point grid: invisible in print, and short
        // numbers keep the content streams small.
        let q = |v: f32| (v * 4.0).round() / 4.0;
        sf.draw_glyphs(
            Point::from_xy(q(x), q(baseline)),
            &glyphs,
            font.clone(),
            text,
            size,
            false,
        );
    }
}

/// Stroke width of synthetic bold, as a fraction of the font size.
const SYNTHETIC_BOLD: f32 = 0.03;

/// The face for embedding: without hinting when it is a TrueType font
/// (the bundled faces come without it already).
fn font_of(face: &Face) -> anyhow::Result<Font> {
    let bundled = crate::font::bundled_file(face).is_some();
    let plain = if bundled || face.index != 0 {
        None
    } else {
        super::dehint::dehint(face.data)
    };
    let data: krilla::Data = match plain {
        Some(plain) => std::sync::Arc::new(plain).into(),
        None => face.data.into(),
    };
    Font::new(data, face.index).ok_or_else(|| anyhow::anyhow!("krilla cannot use the font {}", face.family))
}

fn metadata(m: &Meta) -> Metadata {
    let [y, mo, d, h, mi, s] = m.created;
    let date = DateTime::new(y as u16)
        .month(mo as u8)
        .day(d as u8)
        .hour(h as u8)
        .minute(mi as u8)
        .second(s as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(m.title.clone())
        .description(m.subject.clone())
        .language("ja".to_string())
        .creator(m.creator.clone())
        .producer(m.creator.clone())
        .creation_date(date)
}

/// Distance from the top of a line box of height `size` to the baseline.
fn baseline_offset(face: &Face, size: f32) -> f32 {
    let asc = face.ascender();
    let desc = -face.descender();
    // Centre the font's ascender–descender box on the em box.
    size / 2.0 + (asc - desc) / 2.0 * size
}

/// Draws fragments: fills, then every border once as one path, then the text.
fn draw_fragments(sf: &mut Surface, p: &Prepared, fonts: &Fonts, frags: &[&Fragment], tops: &[f32], heights: &[f32]) {
    let boxes: Vec<[f32; 4]> = frags.iter().map(|f| fragment_box(p, f, tops, heights)).collect();
    for (f, b) in frags.iter().zip(&boxes) {
        if let Some([r, g, bl]) = p.grid.cells[f.cell].style.fill {
            fill_rect(sf, *b, rgb::Color::new(r, g, bl));
        }
    }
    let framed: Vec<[f32; 4]> = frags
        .iter()
        .zip(&boxes)
        .filter(|(f, _)| p.grid.cells[f.cell].border)
        .map(|(_, b)| *b)
        .collect();
    stroke_borders(sf, &framed);
    for (f, b) in frags.iter().zip(&boxes) {
        draw_text(sf, p, fonts, f, *b);
    }
}

/// A fragment's box on the page: x, y, width, height.
fn fragment_box(p: &Prepared, f: &Fragment, tops: &[f32], heights: &[f32]) -> [f32; 4] {
    let cell = &p.grid.cells[f.cell];
    let x: f32 = p.grid.columns[..cell.col].iter().map(|c| c.width_pt()).sum();
    let w: f32 = p.grid.columns[cell.col..cell.col + cell.colspan]
        .iter()
        .map(|c| c.width_pt())
        .sum();
    let h: f32 = heights[f.rows.clone()].iter().sum();
    [x, tops[f.rows.start], w, h]
}

fn fill_rect(sf: &mut Surface, [x, y, w, h]: [f32; 4], color: rgb::Color) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    let Some(path) = pb.finish() else { return };
    sf.set_stroke(None);
    sf.set_fill(Some(Fill {
        paint: color.into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    sf.draw_path(&path);
}

/// Strokes the edges of all boxes as one path, each edge once: shared
/// edges of neighbouring cells are merged into continuous lines.
fn stroke_borders(sf: &mut Surface, boxes: &[[f32; 4]]) {
    // Edges keyed by their fixed coordinate (in 1/100 pt), as spans.
    let key = |v: f32| (v * 100.0).round() as i64;
    let mut horizontal: std::collections::BTreeMap<i64, Vec<(i64, i64)>> = Default::default();
    let mut vertical: std::collections::BTreeMap<i64, Vec<(i64, i64)>> = Default::default();
    for &[x, y, w, h] in boxes {
        for yy in [y, y + h] {
            horizontal.entry(key(yy)).or_default().push((key(x), key(x + w)));
        }
        for xx in [x, x + w] {
            vertical.entry(key(xx)).or_default().push((key(y), key(y + h)));
        }
    }
    let mut pb = PathBuilder::new();
    let f = |v: i64| v as f32 / 100.0;
    for (horizontal_edge, map) in [(true, horizontal), (false, vertical)] {
        for (at, mut spans) in map {
            spans.sort();
            let mut merged: Vec<(i64, i64)> = Vec::new();
            for (a, b) in spans {
                match merged.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            for (a, b) in merged {
                if horizontal_edge {
                    pb.move_to(f(a), f(at));
                    pb.line_to(f(b), f(at));
                } else {
                    pb.move_to(f(at), f(a));
                    pb.line_to(f(at), f(b));
                }
            }
        }
    }
    let Some(path) = pb.finish() else { return };
    sf.set_fill(None);
    sf.set_stroke(Some(Stroke {
        paint: rgb::Color::black().into(),
        width: BORDER,
        ..Default::default()
    }));
    sf.draw_path(&path);
}

fn draw_text(sf: &mut Surface, p: &Prepared, fonts: &Fonts, f: &Fragment, [x, y, w, h]: [f32; 4]) {
    let cell = &p.grid.cells[f.cell];
    let m = &p.measured;
    // A row taller than a sheet row: each stacked part's lines at the top
    // of the part, where the workbook's sheet row shows them.
    if let Some(parts) = super::divide(p, f, h) {
        let mut top = y;
        for (part_h, lines) in parts {
            let lines = &m.cell_lines[f.cell][lines];
            draw_lines(sf, p, fonts, cell, lines, VAlign::Top, [x, top, w, part_h]);
            top += part_h;
        }
        return;
    }
    // A label printed again with its marks: its lines broken anew, marks
    // included, as many as the fragment holds.
    let lines = match (super::repeat_marks(p, f), m.marked.get(&f.cell)) {
        (Some(_), Some(marked)) => &marked[..marked.len().min(m.capacity(h).max(f.lines.len()))],
        _ => &m.cell_lines[f.cell][f.lines.clone()],
    };
    draw_lines(sf, p, fonts, cell, lines, f.valign, [x, y, w, h]);
}

/// Draws `lines` of `cell` in the box x, y, width, height.
fn draw_lines(
    sf: &mut Surface,
    p: &Prepared,
    fonts: &Fonts,
    cell: &crate::table::Cell,
    lines: &[crate::measure::LaidLine],
    valign: VAlign,
    [x, y, w, h]: [f32; 4],
) {
    let m = &p.measured;
    if lines.is_empty() {
        return;
    }
    let size = cell.style.size.unwrap_or(m.font_size);
    let pitch = m.line_pitch * size / m.font_size;
    let face = p.edition.fonts.face(cell.style.bold);
    let pad = m.spacing;
    let content_h = lines.len() as f32 * pitch;
    let free = (h - 2.0 * pad.pad_y - content_h).max(0.0);
    let top = y
        + pad.pad_y
        + match valign {
            VAlign::Top => 0.0,
            VAlign::Center => free / 2.0,
            VAlign::Bottom => free,
        };
    for (i, line) in lines.iter().enumerate() {
        let (text, width) = (line.text.as_str(), line.width);
        let lx = match cell.style.align {
            HAlign::Left => x + pad.pad_x + line.indent,
            HAlign::Center => x + (w - width) / 2.0,
            HAlign::Right => x + w - pad.pad_x - width,
        };
        let line_top = top + i as f32 * pitch + (pitch - size) / 2.0;
        fonts.draw(
            sf,
            p,
            text,
            cell.style.bold,
            size,
            lx,
            line_top + baseline_offset(face, size),
        );
    }
}
