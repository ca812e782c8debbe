//! The spreadsheet: the paginated grid as an `.xlsx` that prints page for
//! page like the PDF (same column widths in pixels, same row heights in
//! points, manual page breaks at the same rows, an explicit print scale).

use super::{Prepared, fragment_text};
use crate::layout::{HAlign, VAlign};
use crate::paginate::Fragment;
use crate::table::{Cell, FooterPiece, FooterText};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// What a workflow adds to the workbook of the table (the yearly templates
/// unlock, validate and name their input cells): it sees the first part of
/// every body cell as it is written, and the finished workbook.
pub trait Hook {
    /// The format of grid cell `cell`, whose first part is written at the
    /// zero-based sheet `row` and `col` of `ws`; it may add to the sheet
    /// there (a data validation, say).
    fn cell(
        &self,
        p: &Prepared,
        cell: usize,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        fmt: Format,
    ) -> Result<Format, XlsxError>;

    /// A number to write into grid cell `cell` instead of its text (an
    /// answer already given, so that it reads back as the number it is).
    fn number(&self, _p: &Prepared, _cell: usize) -> Option<f64> {
        None
    }

    /// After the table's sheet (the workbook's first) is written; `at`
    /// holds the sheet row of each grid row.
    fn finish(&self, p: &Prepared, wb: &mut Workbook, at: &[Option<u32>]) -> Result<(), XlsxError>;
}

/// Writes the prepared table as an xlsx workbook into memory.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let prepared = shiryo::render::prepare(&edition)?;
/// let bytes = shiryo::render::xlsx::render(&prepared)?;
/// assert_eq!(&bytes[..2], b"PK");
/// # Ok(()) }
/// ```
pub fn render(p: &Prepared) -> Result<Vec<u8>, XlsxError> {
    render_with(p, None)
}

/// Writes the prepared table with a workflow's [`Hook`].
pub fn render_with(p: &Prepared, hook: Option<&dyn Hook>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let font_name = font_name(&p.edition.layout.layout);
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
    sheet.set_name(&p.sheet)?;
    let at = draw(p, sheet, &font_name, hook)?;
    if let Some(h) = hook {
        h.finish(p, &mut wb, &at)?;
    }
    Ok(same_on_every_system(wb.save_to_buffer()?))
}

/// The workbook's zip with the fields that name the writing system set
/// alike: each central directory entry's "version made by" system (MS-DOS)
/// and its external attributes (none), so that the same inputs give the
/// same bytes on Linux and on Windows. The parts themselves are untouched.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::Edition::load(&Default::default())?;
/// let bytes = shiryo::render::xlsx::render(&shiryo::render::prepare(&edition)?)?;
/// let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
/// assert_eq!(zip.by_index(0)?.unix_mode(), None);
/// # Ok(()) }
/// ```
fn same_on_every_system(mut zip: Vec<u8>) -> Vec<u8> {
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]));
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]));
    // The end of central directory record: the last signature PK\x05\x06.
    let Some(end) = zip.windows(4).rposition(|w| w == b"PK\x05\x06") else {
        return zip;
    };
    let (Some(entries), Some(start)) = (u16_at(&zip, end + 10), u32_at(&zip, end + 16)) else {
        return zip;
    };
    let mut at = start as usize;
    for _ in 0..entries {
        if zip.get(at..at + 4) != Some(b"PK\x01\x02") {
            break;
        }
        let (Some(name), Some(extra), Some(comment)) =
            (u16_at(&zip, at + 28), u16_at(&zip, at + 30), u16_at(&zip, at + 32))
        else {
            break;
        };
        zip[at + 5] = 0; // made by: MS-DOS (the low byte keeps the zip version)
        zip[at + 38..at + 42].fill(0); // external attributes
        at += 46 + usize::from(name) + usize::from(extra) + usize::from(comment);
    }
    zip
}

/// The sheet cell (zero-based row and column) of a grid cell's top-left
/// corner, given the sheet rows of [`sheet_rows`]: where its text, or a
/// workflow's input, goes.
pub fn sheet_cell(rows: &[Option<u32>], cell: &Cell) -> (u32, u16) {
    (rows[cell.row].unwrap_or(0), cell.col as u16)
}

/// Where each grid row goes in the sheet. Sheet rows are laid out page by
/// page: a page's title, the header rows (once, as print titles) or a
/// continued table's header row (copied), then the page's rows; a row cut
/// across pages stays one sheet row.
pub fn sheet_rows(p: &Prepared) -> Vec<Option<u32>> {
    sheet_plan(p).at
}

/// The sheet's rows, page by page.
struct SheetPlan<'a> {
    /// The sheet row of each grid row (its first appearance).
    at: Vec<Option<u32>>,
    /// The height of each grid row's sheet row: its height on its page
    /// (where a continued label makes it taller), or for a row cut across
    /// pages its whole height.
    heights: Vec<f32>,
    /// Titles and the sheet row they go in.
    titles: Vec<(u32, &'a crate::table::Title)>,
    /// The first sheet row of the header rows.
    header_first: Option<u32>,
    /// Per page, the copies of a continued table's header rows.
    repeats: Vec<Vec<u32>>,
    /// Sheet rows before which a page begins.
    breaks: Vec<u32>,
    /// The number of sheet rows.
    rows: u32,
}

fn sheet_plan<'a>(p: &'a Prepared) -> SheetPlan<'a> {
    let g = &p.grid;
    let mut plan = SheetPlan {
        at: vec![None; g.rows.len()],
        heights: p.measured.row_heights.clone(),
        titles: Vec::new(),
        header_first: None,
        repeats: Vec::new(),
        breaks: Vec::new(),
        rows: 0,
    };
    let mut next: u32 = 0;
    for (pi, page) in p.paged.pages.iter().enumerate() {
        let starts_new_row = page.rows.start >= g.rows.len() || plan.at[page.rows.start].is_none();
        if pi > 0 && starts_new_row {
            plan.breaks.push(next);
        }
        let title = page
            .title
            .map(|t| &g.titles[t])
            .or(if pi == 0 { g.title.as_ref() } else { None });
        if let Some(t) = title {
            plan.titles.push((next, t));
            next += 1;
        }
        if pi == 0 && g.header_rows > 0 {
            plan.header_first = Some(next);
            for slot in plan.at.iter_mut().take(g.header_rows) {
                *slot = Some(next);
                next += 1;
            }
        }
        let copies: Vec<u32> = page
            .repeat
            .iter()
            .map(|_| {
                next += 1;
                next - 1
            })
            .collect();
        plan.repeats.push(copies);
        for (r, h) in page.rows.clone().zip(&page.heights) {
            if plan.at[r].is_none() {
                plan.at[r] = Some(next);
                next += 1;
                plan.heights[r] = *h;
            } else {
                plan.heights[r] = p.measured.row_heights[r];
            }
        }
    }
    plan.rows = next;
    plan
}

/// Writes the table; returns the sheet row of each grid row.
fn draw(p: &Prepared, ws: &mut Worksheet, font: &str, t: Option<&dyn Hook>) -> Result<Vec<Option<u32>>, XlsxError> {
    let g = &p.grid;
    let l = &p.edition.layout.layout;
    for (i, c) in g.columns.iter().enumerate() {
        ws.set_column_width_pixels(i as u16, c.width_px)?;
    }
    let size = g.font_size;
    let plan = sheet_plan(p);
    let at = &plan.at;
    for (r, slot) in at.iter().enumerate() {
        if let Some(row) = slot {
            // The tallest row a spreadsheet keeps is 409.5 pt.
            ws.set_row_height(*row, plan.heights[r].min(409.5))?;
        }
    }
    for (row, title) in &plan.titles {
        write_title(ws, *row, title, g.columns.len(), font)?;
    }
    for f in &p.paged.header {
        write_fragment(p, ws, f, font, size, at, t)?;
    }
    // Fragments of a row cut across pages become one cell again.
    let mut parts: Vec<Fragment> = Vec::new();
    let mut seen: std::collections::HashMap<(usize, usize, usize), usize> = Default::default();
    for (page, copies) in p.paged.pages.iter().zip(&plan.repeats) {
        if !copies.is_empty() {
            let mut copy = at.clone();
            for (&r, &row) in page.repeat.iter().zip(copies) {
                copy[r] = Some(row);
                ws.set_row_height(row, p.measured.row_heights[r])?;
            }
            for f in &page.repeat_fragments {
                write_fragment(p, ws, f, font, size, &copy, None)?;
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
        write_fragment(p, ws, f, font, size, at, t)?;
    }
    let (breaks, header_first, next) = (plan.breaks.clone(), plan.header_first, plan.rows);
    // Page setup: the same pages as the PDF.
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
    Ok(plan.at)
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
    t: Option<&dyn Hook>,
) -> Result<(), XlsxError> {
    let cell = &p.grid.cells[f.cell];
    let mut fmt = Format::new()
        .set_font_name(font)
        .set_font_size(cell.style.size.unwrap_or(size))
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
    let mut text = fragment_text(p, f.cell, &f.lines);
    if let Some((before, after)) = super::repeat_marks(p, f) {
        text = format!("{before}{text}{after}");
    }
    let (Some(r0), Some(r1)) = (at[f.rows.start], at[f.rows.end - 1]) else {
        return Ok(());
    };
    let (c0, c1) = (cell.col as u16, (cell.col + cell.colspan - 1) as u16);
    // A hook sees the first part of a body cell cut by a page break.
    let mut number = None;
    if let Some(h) = t
        && f.rows.start == cell.row
        && cell.row >= p.grid.header_rows
    {
        fmt = h.cell(p, f.cell, ws, r0, c0, fmt)?;
        number = h.number(p, f.cell);
    }
    if let Some(n) = number {
        if r0 != r1 || c0 != c1 {
            ws.merge_range(r0, c0, r1, c1, "", &fmt)?;
        }
        ws.write_number_with_format(r0, c0, n, &fmt)?;
        return Ok(());
    }

    if r0 != r1 || c0 != c1 {
        ws.merge_range(r0, c0, r1, c1, &text, &fmt)?;
    } else if text.is_empty() {
        ws.write_blank(r0, c0, &fmt)?;
    } else {
        ws.write_string_with_format(r0, c0, &text, &fmt)?;
    }
    Ok(())
}

/// The font name the workbook names.
pub(crate) fn font_name(l: &crate::layout::Layout) -> String {
    l.font.xlsx_name.clone().unwrap_or_else(|| l.font.family.clone())
}

/// The page footer in the spreadsheet's header/footer code: `&L`, `&C`,
/// `&R` sections, `&P` and `&N` for page numbers, `&&` for `&`.
pub(crate) fn footer(parts: [Option<FooterText>; 3], size: f32, font: &str) -> String {
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
