//! The PDF: the paginated grid drawn with krilla in the layout's font,
//! embedded as a subset with a ToUnicode map, so the text is searchable.
//!
//! By default the PDF is tagged (see [`tags`]) and declares PDF/UA-1, which
//! krilla validates: a screen reader reads the table as a table, in its
//! logical order, and skips the page furniture.

mod tags;

use super::{Meta, Prepared};
use crate::font::Face;
use crate::lang::tr;
use crate::layout::{HAlign, VAlign, mm_to_pt};
use crate::paginate::Fragment;
use crate::table::RowRole;
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
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::num::NonZeroU32;
use tags::{Role, Tags};

/// Border width in points.
const BORDER: f32 = 0.5;

/// The archival standard to validate against, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// A plain PDF.
    None,
    /// PDF/A-1b (PDF 1.4, which cannot carry the tags: untagged only).
    A1b,
    /// PDF/A-2b.
    A2b,
    /// PDF/A-2a: PDF/A-2b whose structure is tagged (tagged only).
    A2a,
}

/// How a PDF is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Tagged for screen readers and declared PDF/UA-1 (the default); an
    /// untagged file is smaller.
    pub tagged: bool,
    /// The archival standard to validate against, if any.
    pub archive: Archive,
}

impl Default for Settings {
    /// Tagged, no archival standard.
    fn default() -> Self {
        Settings {
            tagged: true,
            archive: Archive::None,
        }
    }
}

/// Renders the prepared table as a PDF into memory.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let prepared = shiryo::render::prepare(&edition)?;
/// let pdf = shiryo::render::pdf::render(&prepared, Default::default())?;
/// assert!(pdf.starts_with(b"%PDF-"));
/// # Ok(()) }
/// ```
pub fn render(p: &Prepared, settings: Settings) -> anyhow::Result<Vec<u8>> {
    use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
    let tagged = settings.tagged;
    let builder = ConfigurationBuilder::new();
    let builder = match (settings.archive, tagged) {
        (Archive::A1b, true) => {
            anyhow::bail!(
                "{}",
                tr!("PDF/A-1b is PDF 1.4, which cannot carry the tags of PDF/UA-1: write it untagged")
            )
        }
        (Archive::A2a, false) => anyhow::bail!("{}", tr!("PDF/A-2a is a tagged PDF: it cannot be written untagged")),
        (Archive::None, _) => builder,
        (Archive::A1b, _) => builder.with_archival_validator(Archival::A1_B),
        (Archive::A2b, _) => builder.with_archival_validator(Archival::A2_B),
        (Archive::A2a, _) => builder.with_archival_validator(Archival::A2_A),
    };
    let builder = if tagged {
        builder.with_accessibility_validator(Accessibility::UA1)
    } else {
        builder
    };
    let serialize = SerializeSettings {
        compress_content_streams: true,
        enable_tagging: tagged,
        configuration: builder
            .finish()
            .map_err(|e| anyhow::anyhow!("PDF configuration: {e:?}"))?,
        ..Default::default()
    };
    let mut doc = Document::new_with(serialize);
    let mut tags = Tags::new(p.grid.cells.len());
    // The titles printed so far: a title heads the first page printing it.
    let mut titles_printed = std::collections::BTreeSet::new();
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
            let first = titles_printed.insert(page.title);
            // A heading needs words: an empty title is only furniture.
            let role = if t.heads && first && !t.left.trim().is_empty() {
                None
            } else {
                Some(ArtifactType::Header)
            };
            // Lines centred in the title's height; the right text on the first line.
            let lines: Vec<&str> = t.left.split('\n').collect();
            let pitch = t.size * 1.3;
            let top = y + (t.height_pt - pitch * lines.len() as f32) / 2.0 + (pitch - t.size) / 2.0;
            let base = |i: usize| top + i as f32 * pitch + baseline_offset(&p.edition.fonts.regular, t.size);
            let left = marked(&mut sf, content_tag(role), |sf| {
                for (i, line) in lines.iter().enumerate() {
                    fonts.draw(sf, p, line, t.bold, t.size, 0.0, base(i));
                }
            });
            let right = (!t.right.is_empty()).then(|| {
                let w = p.edition.fonts.face(t.bold).width(&t.right, t.size);
                marked(&mut sf, content_tag(role), |sf| {
                    fonts.draw(sf, p, &t.right, t.bold, t.size, p.grid.width_pt() - w, base(0));
                })
            });
            if role.is_none() {
                tags.title(page.rows.start, lines.join(" "), left, right);
            }
            y += t.height_pt;
        }
        // The header rows: tagged on the first page of a tagged PDF, else
        // drawn once as a graphic that every page reuses; on the first page
        // only when they do not repeat.
        let header_h: f32 = p.measured.row_heights[..p.grid.header_rows].iter().sum();
        if p.grid.header_rows > 0 && (pi == 0 || p.grid.header_repeat) {
            let mut tops = vec![0.0f32; p.grid.header_rows + 1];
            for r in 0..p.grid.header_rows {
                tops[r + 1] = tops[r] + p.measured.row_heights[r];
            }
            let frags: Vec<&Fragment> = p.paged.header.iter().collect();
            sf.push_transform(&Transform::from_translate(0.0, y));
            if tagged && pi == 0 {
                draw_fragments(
                    &mut sf,
                    p,
                    &fonts,
                    &frags,
                    &tops,
                    &p.measured.row_heights,
                    None,
                    &mut tags,
                );
            } else {
                let graphic = match &header {
                    Some(g) => g.clone(),
                    None => {
                        let mut sb = sf.stream_builder();
                        let mut hs = sb.surface();
                        let heights = &p.measured.row_heights;
                        // Furniture wherever it is drawn: nothing in it is marked.
                        let again = Some(ArtifactType::PaginationOther);
                        draw_fragments(&mut hs, p, &fonts, &frags, &tops, heights, again, &mut tags);
                        hs.finish();
                        let g = Graphic::new(sb.finish(), false);
                        header = Some(g.clone());
                        g
                    }
                };
                marked(&mut sf, content_tag(Some(ArtifactType::PaginationOther)), |sf| {
                    sf.draw_graphic(graphic)
                });
            }
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
        let again = Some(ArtifactType::PaginationOther);
        draw_fragments(&mut sf, p, &fonts, &frags, &tops, &heights, again, &mut tags);
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
        draw_fragments(&mut sf, p, &fonts, &frags, &tops, &heights, None, &mut tags);
        sf.pop();
        // Footer, unscaled, at the layout's footer position.
        let fsize = p.grid.footer_size;
        let base = ph - mm_to_pt(l.page.footer_mm);
        for (i, part) in p.grid.footer.iter().enumerate() {
            let Some(part) = part.as_ref().filter(|_| pi == 0 || !p.grid.footer_first_page_only) else {
                continue;
            };
            let text = part.for_page(pi + 1, n);
            let w = p.edition.fonts.regular.width(&text, fsize);
            let x = match i {
                0 => ml,
                1 => (pw - w) / 2.0,
                _ => pw - mm_to_pt(l.page.margins_mm.right) - w,
            };
            marked(&mut sf, content_tag(Some(ArtifactType::Footer)), |sf| {
                fonts.draw(sf, p, &text, false, fsize, x, base)
            });
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
    if tagged {
        doc.set_tag_tree(tags.tree(&p.grid));
    }
    let bytes = doc
        .finish()
        .map_err(|e| anyhow::anyhow!(tr!("the PDF could not be written: {error}", error = format!("{e:?}"))))?;
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
    Font::new(data, face.index)
        .ok_or_else(|| anyhow::anyhow!(tr!("the PDF writer cannot use the font {family}", family = face.family)))
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

/// The content tag of text drawn as page furniture of a kind, or (`None`)
/// as a piece of the document's text.
fn content_tag(artifact: Option<ArtifactType>) -> ContentTag<'static> {
    match artifact {
        Some(kind) => ContentTag::Artifact(Artifact::with_kind(kind)),
        None => ContentTag::Span(SpanTag::empty()),
    }
}

/// Draws with the content marked by `tag`; returns its identifier (a
/// placeholder for an artifact, and for everything in an untagged PDF).
fn marked(sf: &mut Surface, tag: ContentTag, draw: impl FnOnce(&mut Surface)) -> Identifier {
    let id = sf.start_tagged(tag);
    draw(sf);
    sf.end_tagged();
    id
}

/// Draws fragments: fills, then every border once as one path (marked as
/// layout), then the text: cells' own text, or page furniture of the kind
/// `furniture` says (header rows printed again); labels printed again are
/// always furniture.
#[allow(clippy::too_many_arguments)]
fn draw_fragments(
    sf: &mut Surface,
    p: &Prepared,
    fonts: &Fonts,
    frags: &[&Fragment],
    tops: &[f32],
    heights: &[f32],
    furniture: Option<ArtifactType>,
    tags: &mut Tags,
) {
    let boxes: Vec<[f32; 4]> = frags.iter().map(|f| fragment_box(p, f, tops, heights)).collect();
    let framed: Vec<[f32; 4]> = frags
        .iter()
        .zip(&boxes)
        .filter(|(f, _)| p.grid.cells[f.cell].border)
        .map(|(_, b)| *b)
        .collect();
    let filled = frags.iter().any(|f| p.grid.cells[f.cell].style.fill.is_some());
    if filled || !framed.is_empty() {
        marked(sf, content_tag(Some(ArtifactType::Layout)), |sf| {
            for (f, b) in frags.iter().zip(&boxes) {
                if let Some([r, g, bl]) = p.grid.cells[f.cell].style.fill {
                    fill_rect(sf, *b, rgb::Color::new(r, g, bl));
                }
            }
            stroke_borders(sf, &framed);
        });
    }
    for (f, b) in frags.iter().zip(&boxes) {
        let role = match furniture {
            Some(kind) => Role::Artifact(kind),
            None if f.repeated() => Role::Artifact(ArtifactType::PaginationOther),
            None => Role::Cell(f.cell),
        };
        draw_text(sf, p, fonts, f, *b, role, tags);
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

/// Draws a fragment's lines: as furniture, or as pieces of its cell's text
/// (one per paragraph in a row of running text, else one) kept in `tags`.
#[allow(clippy::too_many_arguments)]
fn draw_text(
    sf: &mut Surface,
    p: &Prepared,
    fonts: &Fonts,
    f: &Fragment,
    [x, y, w, h]: [f32; 4],
    role: Role,
    tags: &mut Tags,
) {
    let m = &p.measured;
    let text = Text { p, fonts, f, role };
    // A row taller than a sheet row: each stacked part's lines at the top
    // of the part, where the workbook's sheet row shows them.
    if let Some(parts) = super::divide(p, f, h) {
        let mut top = y;
        for (part_h, range) in parts {
            let lines = &m.cell_lines[f.cell][range.clone()];
            text.draw(sf, lines, range.start, 0, VAlign::Top, [x, top, w, part_h], tags);
            top += part_h;
        }
        return;
    }
    // A label printed again with its marks: its lines broken anew, marks
    // included, as many as the fragment holds.
    let lines = super::drawn_lines(p, f, h);
    let own_lines = super::repeat_marks(p, f).is_none() || !m.marked.contains_key(&f.cell);
    // Lines printed again at the top of a continuation page (a label
    // printed whole once more) are furniture; the rest is the cell's text.
    // A label re-broken with its marks is furniture only when all of it
    // was printed before.
    let again = if own_lines {
        f.repeated_lines.min(lines.len())
    } else {
        0
    };
    text.draw(sf, lines, f.lines.start, again, f.valign, [x, y, w, h], tags);
}

/// What draws one fragment's text: the fragment and its role.
struct Text<'a> {
    /// The prepared table.
    p: &'a Prepared<'a>,
    /// The fonts.
    fonts: &'a Fonts,
    /// The fragment.
    f: &'a Fragment,
    /// Furniture of a kind, or the cell's own text.
    role: Role,
}

impl Text<'_> {
    /// Draws `lines` (the cell's lines from index `first`) in the box, the
    /// first `again` of them as furniture, the rest as the role says.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        sf: &mut Surface,
        lines: &[crate::measure::LaidLine],
        first: usize,
        again: usize,
        valign: VAlign,
        bx: [f32; 4],
        tags: &mut Tags,
    ) {
        let (p, fonts) = (self.p, self.fonts);
        let cell = &p.grid.cells[self.f.cell];
        let m = &p.measured;
        let run =
            |sf: &mut Surface, from: usize, to: usize| draw_lines(sf, p, fonts, cell, lines, from..to, valign, bx);
        let i = match self.role {
            Role::Artifact(kind) => {
                marked(sf, content_tag(Some(kind)), |sf| run(sf, 0, lines.len()));
                return;
            }
            Role::Cell(i) => i,
        };
        if again > 0 {
            marked(sf, content_tag(Some(ArtifactType::PaginationOther)), |sf| {
                run(sf, 0, again)
            });
        }
        // The runs of lines marked as one piece, with their paragraph.
        let by_paragraph = p.grid.rows[cell.row].role == RowRole::Text;
        let mut paragraph = m.cell_lines[i][..(first + again).min(m.cell_lines[i].len())]
            .iter()
            .filter(|l| l.para_end)
            .count();
        let mut start = again;
        for end in again + 1..=lines.len() {
            if end < lines.len() && !(by_paragraph && lines[end - 1].para_end) {
                continue;
            }
            if lines[start..end].iter().any(|l| !l.text.is_empty()) {
                let id = marked(sf, content_tag(None), |sf| run(sf, start, end));
                tags.cell(i, paragraph, id);
            }
            paragraph += 1;
            start = end;
        }
    }
}

/// Draws the lines `range` of `lines` of `cell`, laid out in the box x, y,
/// width, height with all of `lines`.
#[allow(clippy::too_many_arguments)]
fn draw_lines(
    sf: &mut Surface,
    p: &Prepared,
    fonts: &Fonts,
    cell: &crate::table::Cell,
    lines: &[crate::measure::LaidLine],
    range: std::ops::Range<usize>,
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
    for (i, line) in lines.iter().enumerate().take(range.end).skip(range.start) {
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
