//! The spreadsheet: the paginated grid as an `.xlsx` that prints page for
//! page like the PDF (same column widths in pixels, same row heights in
//! points, manual page breaks at the same rows, an explicit print scale).

use super::{Prepared, fragment_text};
use crate::layout::{HAlign, VAlign};
use crate::paginate::Fragment;
use crate::table::{FooterPiece, FooterText};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Extra options of a yearly template.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// Sheet protection password (none by default).
    pub password: Option<String>,
}

/// Writes the prepared table as an xlsx workbook into memory.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let plan = shiryo::data::load(std::path::Path::new("data/dai5ki.json"))?;
/// let layout = shiryo::layout::bundled("shiryo2-dai5ki").unwrap();
/// let opts = shiryo::table::BuildOptions { report_year: 2024, template: false };
/// let prepared = shiryo::render::prepare(&plan, layout, &opts)?;
/// let bytes = shiryo::render::xlsx::render(&prepared)?;
/// assert_eq!(&bytes[..2], b"PK");
/// # Ok(()) }
/// ```
pub fn render(p: &Prepared) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let font_name = p
        .layout
        .layout
        .font
        .xlsx_name
        .clone()
        .unwrap_or_else(|| p.layout.layout.font.family.clone());
    // 10.5 pt: the digit of a half-width font is then exactly 7 px at 96 dpi, the
    // width unit column widths are stored in, so Excel and LibreOffice give the
    // columns the same pixel widths as the PDF.
    let default = Format::new()
        .set_font_name(&font_name)
        .set_font_size(10.5)
        .set_font_charset(128);
    wb.set_default_format(&default, 18, 64)?;
    let m = &p.meta;
    let [y, mo, d, h, mi, s] = m.created;
    let created = ExcelDateTime::from_ymd(y as u16, mo as u8, d as u8)?.and_hms(h as u16, mi as u8, s as f64)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&m.title)
            .set_subject(&m.subject)
            .set_author(&m.creator)
            .set_comment(&m.subject)
            .set_creation_datetime(&created),
    );
    let sheet = wb.add_worksheet();
    sheet.set_name("調査票")?;
    draw(p, sheet, &font_name)?;
    wb.save_to_buffer()
}

fn draw(p: &Prepared, ws: &mut Worksheet, font: &str) -> Result<(), XlsxError> {
    let g = &p.grid;
    let l = &p.layout.layout;
    for (i, c) in g.columns.iter().enumerate() {
        ws.set_column_width_pixels(i as u16, c.width_px)?;
    }
    let size = g.font_size;
    // Sheet rows are laid out page by page: a page's title, the header rows
    // (once, as print titles) or a continued table's header row (copied),
    // then the page's rows. A row cut across pages stays one sheet row.
    let mut next: u32 = 0;
    let mut at: Vec<Option<u32>> = vec![None; g.rows.len()];
    let mut breaks = Vec::new();
    let mut header_first = None;
    // Fragments of a row cut across pages become one cell again.
    let mut parts: Vec<Fragment> = Vec::new();
    let mut seen: std::collections::HashMap<(usize, usize, usize), usize> = Default::default();
    for (pi, page) in p.paged.pages.iter().enumerate() {
        let starts_new_row = page.rows.start >= g.rows.len() || at[page.rows.start].is_none();
        if pi > 0 && starts_new_row {
            breaks.push(next);
        }
        let title = page
            .title
            .map(|t| &g.titles[t])
            .or(if pi == 0 { g.title.as_ref() } else { None });
        if let Some(t) = title {
            write_title(ws, next, t, g.columns.len(), font)?;
            next += 1;
        }
        if pi == 0 && g.header_rows > 0 {
            header_first = Some(next);
            for (slot, h) in at.iter_mut().zip(&p.measured.row_heights).take(g.header_rows) {
                *slot = Some(next);
                ws.set_row_height(next, *h)?;
                next += 1;
            }
            for f in &p.paged.header {
                write_fragment(p, ws, f, font, size, &at)?;
            }
        }
        if !page.repeat.is_empty() {
            let mut copy = at.clone();
            for &r in &page.repeat {
                copy[r] = Some(next);
                ws.set_row_height(next, p.measured.row_heights[r])?;
                next += 1;
            }
            for f in &page.repeat_fragments {
                write_fragment(p, ws, f, font, size, &copy)?;
            }
        }
        for r in page.rows.clone() {
            if at[r].is_none() {
                at[r] = Some(next);
                // The tallest row a spreadsheet keeps is 409.5 pt.
                ws.set_row_height(next, p.measured.row_heights[r].min(409.5))?;
                next += 1;
            }
        }
        for f in &page.fragments {
            match seen.get(&(f.cell, f.rows.start, f.rows.end)) {
                Some(&k) => {
                    parts[k].lines = parts[k].lines.start.min(f.lines.start)..parts[k].lines.end.max(f.lines.end)
                }
                None => {
                    seen.insert((f.cell, f.rows.start, f.rows.end), parts.len());
                    parts.push(f.clone());
                }
            }
        }
    }
    for f in &parts {
        write_fragment(p, ws, f, font, size, &at)?;
    }
    // Page setup: the same pages as the PDF.
    let (pw, ph) = l.page.size.mm();
    let _ = (pw, ph);
    ws.set_paper_size(l.page.size.xlsx_code());
    if l.page.orientation == crate::layout::Orientation::Landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    let mg = &l.page.margins_mm;
    let inch = |mm: f32| f64::from(mm) / 25.4;
    ws.set_margins(
        inch(mg.left),
        inch(mg.right),
        inch(mg.top),
        inch(mg.bottom),
        inch(mg.top / 2.0),
        inch(l.page.footer_mm),
    );
    ws.set_print_scale((p.paged.scale * 100.0).round() as u16);
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    if let Some(first) = header_first {
        let last = first + g.header_rows as u32 - 1;
        ws.set_repeat_rows(first, last)?;
        ws.set_freeze_panes(last + 1, 0)?;
    }
    ws.set_print_area(0, 0, next.saturating_sub(1), (g.columns.len() - 1) as u16)?;
    ws.set_footer(footer(g.footer.clone(), g.footer_size, font));
    ws.set_header("");
    Ok(())
}

/// Writes a title row: the left text across all columns but the last, the
/// right text in the last.
fn write_title(
    ws: &mut Worksheet,
    row: u32,
    t: &crate::table::Title,
    columns: usize,
    font: &str,
) -> Result<(), XlsxError> {
    let f = Format::new()
        .set_font_name(font)
        .set_font_size(t.size)
        .set_font_charset(128)
        .set_bold_if(t.bold)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    ws.set_row_height(row, t.height_pt)?;
    let last = (columns - 1) as u16;
    let left_end = if t.right.is_empty() {
        last
    } else {
        last.saturating_sub(1)
    };
    if left_end > 0 {
        ws.merge_range(row, 0, row, left_end, &t.left, &f)?;
    } else {
        ws.write_string_with_format(row, 0, &t.left, &f)?;
    }
    if !t.right.is_empty() {
        ws.write_string_with_format(row, last, &t.right, &f.clone().set_align(FormatAlign::Right))?;
    }
    Ok(())
}

fn write_fragment(
    p: &Prepared,
    ws: &mut Worksheet,
    f: &Fragment,
    font: &str,
    size: f32,
    at: &[Option<u32>],
) -> Result<(), XlsxError> {
    let cell = &p.grid.cells[f.cell];
    let mut fmt = Format::new()
        .set_font_name(font)
        .set_font_size(size)
        .set_font_charset(128)
        .set_text_wrap()
        .set_border(if cell.border {
            FormatBorder::Thin
        } else {
            FormatBorder::None
        })
        .set_bold_if(cell.style.bold)
        .set_align(match cell.style.align {
            HAlign::Left => FormatAlign::Left,
            HAlign::Center => FormatAlign::Center,
            HAlign::Right => FormatAlign::Right,
        })
        .set_align(match f.valign {
            VAlign::Top => FormatAlign::Top,
            VAlign::Center => FormatAlign::VerticalCenter,
            VAlign::Bottom => FormatAlign::Bottom,
        });
    if let Some([r, g, b]) = cell.style.fill {
        fmt = fmt.set_background_color(rust_xlsxwriter::Color::RGB(
            u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b),
        ));
    }
    let text = fragment_text(p, f.cell, &f.lines);
    let (Some(r0), Some(r1)) = (at[f.rows.start], at[f.rows.end - 1]) else {
        return Ok(());
    };
    let (c0, c1) = (cell.col as u16, (cell.col + cell.colspan - 1) as u16);
    if r0 != r1 || c0 != c1 {
        ws.merge_range(r0, c0, r1, c1, &text, &fmt)?;
    } else if text.is_empty() {
        ws.write_blank(r0, c0, &fmt)?;
    } else {
        ws.write_string_with_format(r0, c0, &text, &fmt)?;
    }
    Ok(())
}

/// The page footer in the spreadsheet's header/footer code: `&L`, `&C`,
/// `&R` sections, `&P` and `&N` for page numbers, `&&` for `&`.
fn footer(parts: [Option<FooterText>; 3], size: f32, font: &str) -> String {
    let mut out = String::new();
    for (code, part) in ["&L", "&C", "&R"].into_iter().zip(parts) {
        let Some(part) = part else { continue };
        out.push_str(code);
        out.push_str(&format!("&\"{font},Regular\"&{}", size.round() as u32));
        for piece in part.0 {
            match piece {
                FooterPiece::Text(t) => out.push_str(&t.replace('&', "&&")),
                FooterPiece::Page => out.push_str("&P"),
                FooterPiece::Pages => out.push_str("&N"),
            }
        }
    }
    out
}

trait BoldIf {
    fn set_bold_if(self, bold: bool) -> Self;
}

impl BoldIf for Format {
    fn set_bold_if(self, bold: bool) -> Format {
        if bold { self.set_bold() } else { self }
    }
}
