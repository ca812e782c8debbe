//! The PDF: the paginated grid drawn with krilla in the layout's font,
//! embedded as a subset with a ToUnicode map, so the text is searchable.

use super::{Meta, Prepared};
use crate::layout::{HAlign, VAlign, mm_to_pt};
use crate::measure::font::Face;
use crate::paginate::Fragment;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

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
/// let plan = shiryo::data::load(std::path::Path::new("data/dai5ki.json"))?;
/// let layout = shiryo::layout::bundled("shiryo2-dai5ki").unwrap();
/// let opts = shiryo::table::BuildOptions { report_year: 2024, template: false };
/// let prepared = shiryo::render::prepare(&plan, layout, &opts)?;
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
    let fonts = Fonts {
        regular: font_of(&p.fonts.regular)?,
        bold: font_of(&p.fonts.bold)?,
    };
    let l = &p.layout.layout;
    let (pw, ph) = l.page.size_pt();
    let s = p.paged.scale;
    let (ml, mt) = (mm_to_pt(l.page.margins_mm.left), mm_to_pt(l.page.margins_mm.top));
    let n = p.paged.pages.len();
    let mut row_top_on_page = vec![(0usize, 0.0f32); p.grid.rows.len()];
    for (pi, page) in p.paged.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(pw, ph)
            .ok_or_else(|| anyhow::anyhow!("invalid page size"))?
            .with_page_label(PageLabel::new(
                Some(NumberingStyle::Arabic),
                None,
                std::num::NonZeroU32::new(1),
            ));
        let mut page_obj = doc.start_page_with(settings);
        let mut sf = page_obj.surface();
        sf.push_transform(&Transform::from_row(s, 0.0, 0.0, s, ml, mt));
        let mut y = 0.0;
        if pi == 0
            && let Some(t) = &p.grid.title
        {
            let face = p.fonts.face(t.bold);
            let font = fonts.get(t.bold);
            let base = y + (t.height_pt - t.size) / 2.0 + baseline_offset(face, t.size);
            draw_line(&mut sf, face, font, &t.left, t.size, 0.0, base);
            if !t.right.is_empty() {
                let w = face.width(&t.right, t.size);
                draw_line(&mut sf, face, font, &t.right, t.size, p.grid.width_pt() - w, base);
            }
            y += t.height_pt;
        }
        // Row tops on this page: header rows, then the page's body rows.
        let mut tops = vec![0.0f32; p.grid.rows.len() + 1];
        for (top, h) in tops.iter_mut().zip(&p.measured.row_heights).take(p.grid.header_rows) {
            *top = y;
            y += h;
        }
        for r in page.rows.clone() {
            tops[r] = y;
            row_top_on_page[r] = (pi, y * s + mt);
            y += p.measured.row_heights[r];
        }
        for f in p.paged.header.iter().chain(&page.fragments) {
            draw_fragment(&mut sf, p, &fonts, f, &tops);
        }
        sf.pop();
        // Footer, unscaled, at the layout's footer position.
        let fsize = p.grid.footer_size;
        let base = ph - mm_to_pt(l.page.footer_mm);
        let face = &p.fonts.regular;
        for (i, part) in p.grid.footer.iter().enumerate() {
            let Some(part) = part else { continue };
            let text = part.for_page(pi + 1, n);
            let w = face.width(&text, fsize);
            let x = match i {
                0 => ml,
                1 => (pw - w) / 2.0,
                _ => pw - mm_to_pt(l.page.margins_mm.right) - w,
            };
            draw_line(&mut sf, face, &fonts.regular, &text, fsize, x, base);
        }
        sf.finish();
        page_obj.finish();
    }
    let mut outline = Outline::new();
    for (text, row) in &p.outline {
        let (page, y) = row_top_on_page[*row];
        outline.push_child(OutlineNode::new(
            text.clone(),
            XyzDestination::new(page, Point::from_xy(ml, y)),
        ));
    }
    doc.set_outline(outline);
    doc.set_metadata(metadata(&p.meta));
    doc.finish()
        .map_err(|e| anyhow::anyhow!("the PDF could not be written: {e:?}"))
}

struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    fn get(&self, bold: bool) -> &Font {
        if bold { &self.bold } else { &self.regular }
    }
}

fn font_of(face: &Face) -> anyhow::Result<Font> {
    Font::new(face.data.into(), face.index).ok_or_else(|| anyhow::anyhow!("krilla cannot use the font {}", face.family))
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

fn draw_line(sf: &mut Surface, face: &Face, font: &Font, text: &str, size: f32, x: f32, baseline: f32) {
    if text.is_empty() {
        return;
    }
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
    sf.set_stroke(None);
    sf.draw_glyphs(Point::from_xy(x, baseline), &glyphs, font.clone(), text, size, false);
}

fn draw_fragment(sf: &mut Surface, p: &Prepared, fonts: &Fonts, f: &Fragment, tops: &[f32]) {
    let cell = &p.grid.cells[f.cell];
    let x: f32 = p.grid.columns[..cell.col].iter().map(|c| c.width_pt()).sum();
    let w: f32 = p.grid.columns[cell.col..cell.col + cell.colspan]
        .iter()
        .map(|c| c.width_pt())
        .sum();
    let y = tops[f.rows.start];
    let h: f32 = p.measured.row_heights[f.rows.clone()].iter().sum();
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    let Some(path) = pb.finish() else { return };
    if let Some([r, g, b]) = cell.style.fill {
        sf.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        sf.set_stroke(None);
        sf.draw_path(&path);
    }
    sf.set_fill(None);
    sf.set_stroke(Some(Stroke {
        paint: rgb::Color::black().into(),
        width: BORDER,
        ..Default::default()
    }));
    sf.draw_path(&path);

    let m = &p.measured;
    let lines = &m.cell_lines[f.cell][f.lines.clone()];
    if lines.is_empty() {
        return;
    }
    let size = m.font_size;
    let face = p.fonts.face(cell.style.bold);
    let font = fonts.get(cell.style.bold);
    let pad = m.spacing;
    let content_h = lines.len() as f32 * m.line_pitch;
    let free = (h - 2.0 * pad.pad_y - content_h).max(0.0);
    let top = y
        + pad.pad_y
        + match f.valign {
            VAlign::Top => 0.0,
            VAlign::Center => free / 2.0,
            VAlign::Bottom => free,
        };
    for (i, line) in lines.iter().enumerate() {
        let lx = match cell.style.align {
            HAlign::Left => x + pad.pad_x,
            HAlign::Center => x + (w - line.width) / 2.0,
            HAlign::Right => x + w - pad.pad_x - line.width,
        };
        let line_top = top + i as f32 * m.line_pitch + (m.line_pitch - size) / 2.0;
        draw_line(
            sf,
            face,
            font,
            &line.text,
            size,
            lx,
            line_top + baseline_offset(face, size),
        );
    }
}
