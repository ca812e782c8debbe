//! The spreadsheet: the paginated grid as an `.xlsx` that prints page for
//! page like the PDF (same column widths in pixels, same row heights in
//! points, manual page breaks at the same rows, an explicit print scale).

use super::{Prepared, fragment_text};
use crate::layout::{Figures, HAlign, LineBreaks, VAlign};
use crate::measure::SHEET_ROW_MAX_PT;
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

    /// Whether grid cell `cell` is one a user fills in: written as its
    /// text (or the hook's number) in the format the hook gives it, never
    /// with the layout's `workbook` line breaks or figure formats.
    fn input(&self, _p: &Prepared, _cell: usize) -> bool {
        false
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
    let mut bytes = wb.save_to_buffer()?;
    if p.grid.footer_first_page_only {
        bytes = footer_on_first_page_only(bytes)?;
    }
    Ok(same_on_every_system(bytes))
}

/// The workbook with its sheet's footer printed on the first page only:
/// the footer the sheet has for every page becomes the spreadsheet's
/// footer of a different first page (`differentFirst`), which
/// rust_xlsxwriter does not write. The other parts are copied as they are.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::io::Read;
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let bytes = shiryo::render::xlsx::render(&shiryo::render::prepare(&edition)?)?;
/// let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
/// let mut sheet = String::new();
/// zip.by_name("xl/worksheets/sheet1.xml")?.read_to_string(&mut sheet)?;
/// assert!(sheet.contains(r#"<headerFooter differentFirst="1"><firstFooter>"#));
/// assert!(!sheet.contains("<oddFooter>"));
/// # Ok(()) }
/// ```
fn footer_on_first_page_only(bytes: Vec<u8>) -> Result<Vec<u8>, XlsxError> {
    use std::io::{Cursor, Read, Write};
    const SHEET: &str = "xl/worksheets/sheet1.xml";
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let file = zip.by_index(i)?;
        if file.name()? != SHEET {
            out.raw_copy_file(file)?;
            continue;
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(file.compression())
            .last_modified_time(file.last_modified().unwrap_or_default());
        let mut xml = String::new();
        let mut file = file;
        file.read_to_string(&mut xml)?;
        let xml = xml
            .replacen("<headerFooter>", r#"<headerFooter differentFirst="1">"#, 1)
            .replacen("<oddFooter>", "<firstFooter>", 1)
            .replacen("</oddFooter>", "</firstFooter>", 1);
        out.start_file(SHEET, options)?;
        out.write_all(xml.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
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
/// continued table's header row (copied), then the page's rows. A row cut
/// across pages has sheet rows on each of its pages, and a row (or part of
/// one) taller than a sheet row holds is a stack of sheet rows (see
/// [`crate::measure::Measured::split_height`]). The sheet row given for a
/// grid row is the first of its first page.
pub fn sheet_rows(p: &Prepared) -> Vec<Option<u32>> {
    sheet_plan(p).at
}

/// The sheet's rows, page by page.
struct SheetPlan<'a> {
    /// The first sheet row of each grid row (on its first page).
    at: Vec<Option<u32>>,
    /// Per page, for each of its body rows, its first sheet row and the
    /// heights of its stacked sheet rows.
    pages: Vec<Vec<(u32, Vec<f32>)>>,
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

impl SheetPlan<'_> {
    /// The sheet rows of a fragment's grid rows on page `page`.
    fn span(&self, p: &Prepared, page: usize, f: &Fragment) -> (u32, u32) {
        let start = p.paged.pages[page].rows.start;
        let rows = &self.pages[page];
        let (first, _) = &rows[f.rows.start - start];
        let (last, parts) = &rows[f.rows.end - 1 - start];
        (*first, last + parts.len() as u32 - 1)
    }
}

fn sheet_plan<'a>(p: &'a Prepared) -> SheetPlan<'a> {
    let g = &p.grid;
    let mut plan = SheetPlan {
        at: vec![None; g.rows.len()],
        pages: Vec::new(),
        titles: Vec::new(),
        header_first: None,
        repeats: Vec::new(),
        breaks: Vec::new(),
        rows: 0,
    };
    let mut next: u32 = 0;
    for (pi, page) in p.paged.pages.iter().enumerate() {
        if pi > 0 {
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
        let mut rows = Vec::with_capacity(page.heights.len());
        for (r, h) in page.rows.clone().zip(&page.heights) {
            let parts = p.measured.split_height(*h);
            plan.at[r].get_or_insert(next);
            rows.push((next, parts.clone()));
            next += parts.len() as u32;
        }
        plan.pages.push(rows);
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
    for (r, row) in at.iter().enumerate().take(g.header_rows) {
        if let Some(row) = row {
            ws.set_row_height(*row, p.measured.row_heights[r].min(SHEET_ROW_MAX_PT))?;
        }
    }
    for rows in &plan.pages {
        for (first, parts) in rows {
            for (k, h) in parts.iter().enumerate() {
                ws.set_row_height(first + k as u32, *h)?;
            }
        }
    }
    for (row, title) in &plan.titles {
        write_title(ws, *row, title, g.columns.len(), font)?;
    }
    let w = Writer { p, font, size, hook: t };
    for f in &p.paged.header {
        let (Some(r0), Some(r1)) = (at[f.rows.start], at[f.rows.end - 1]) else {
            continue;
        };
        let height = p.measured.row_heights[f.rows.clone()].iter().sum();
        w.fragment(ws, f, Place::whole((r0, r1), height, false))?;
    }
    for (pi, (page, copies)) in p.paged.pages.iter().zip(&plan.repeats).enumerate() {
        if !copies.is_empty() {
            for (&r, &row) in page.repeat.iter().zip(copies) {
                ws.set_row_height(row, p.measured.row_heights[r].min(SHEET_ROW_MAX_PT))?;
            }
            for f in &page.repeat_fragments {
                let row = |r: usize| page.repeat.iter().position(|&k| k == r).map(|i| copies[i]);
                let (Some(r0), Some(r1)) = (row(f.rows.start), row(f.rows.end - 1)) else {
                    continue;
                };
                let height = p.measured.row_heights[f.rows.clone()].iter().sum();
                w.fragment(ws, f, Place::whole((r0, r1), height, false))?;
            }
        }
        let heights = |f: &Fragment| -> f32 {
            page.heights[f.rows.start - page.rows.start..f.rows.end - page.rows.start]
                .iter()
                .sum()
        };
        for f in &page.fragments {
            // A hook sees each body cell once, at its first part.
            let first = !f.continued;
            let (r0, r1) = plan.span(p, pi, f);
            match super::divide(p, f, heights(f)) {
                None => w.fragment(ws, f, Place::whole((r0, r1), heights(f), first))?,
                Some(parts) => {
                    // A row taller than a sheet row: each part's lines in a
                    // sheet row of its own, framed as one cell.
                    let n = parts.len();
                    for (k, (height, lines)) in parts.into_iter().enumerate() {
                        let part = Fragment {
                            lines,
                            valign: VAlign::Top,
                            ..f.clone()
                        };
                        let row = r0 + k as u32;
                        let place = Place {
                            rows: (row, row),
                            height,
                            first: first && k == 0,
                            open: (k > 0, k + 1 < n),
                        };
                        w.fragment(ws, &part, place)?;
                    }
                }
            }
        }
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
        if g.header_repeat {
            ws.set_repeat_rows(first, last)?;
        }
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

/// The width a spreadsheet program keeps of a cell for itself (kept with
/// the layout, whose check needs it too).
pub use crate::layout::PROGRAM_MARGINS_PT;

/// Room a padded line keeps to spare besides the program's margins, in
/// points (a pixel), for a program that measures text a little wider.
const SPARE_PT: f32 = 0.75;

/// Where a fragment is written.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// Its first and last sheet rows (merged when more than one cell).
    rows: (u32, u32),
    /// The height its lines are drawn in, in points.
    height: f32,
    /// Whether it is the first part of a body cell, which the hook sees.
    first: bool,
    /// Leave the top or the bottom border off: the parts of a stacked row
    /// print as one cell.
    open: (bool, bool),
}

impl Place {
    /// A whole fragment in sheet rows `rows`, `height` points tall.
    fn whole(rows: (u32, u32), height: f32, first: bool) -> Place {
        Place {
            rows,
            height,
            first,
            open: (false, false),
        }
    }
}

/// Writes fragments into the sheet.
struct Writer<'a, 'e> {
    /// The table.
    p: &'a Prepared<'e>,
    /// The font name cells name.
    font: &'a str,
    /// The body font size.
    size: f32,
    /// The workflow's hook.
    hook: Option<&'a dyn Hook>,
}

impl Writer<'_, '_> {
    /// Writes a fragment at its place.
    fn fragment(&self, ws: &mut Worksheet, f: &Fragment, place: Place) -> Result<(), XlsxError> {
        let p = self.p;
        let cell = &p.grid.cells[f.cell];
        let mut fmt = Format::new()
            .set_font_name(self.font)
            .set_font_size(cell.style.size.unwrap_or(self.size))
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
        let (open_top, open_bottom) = place.open;
        if cell.border && open_top {
            fmt = fmt.set_border_top(FormatBorder::None);
        }
        if cell.border && open_bottom {
            fmt = fmt.set_border_bottom(FormatBorder::None);
        }
        if let Some([r, g, b]) = cell.style.fill {
            fmt = fmt.set_background_color(rust_xlsxwriter::Color::RGB(
                u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b),
            ));
        }
        let (r0, r1) = place.rows;
        let (c0, c1) = (cell.col as u16, (cell.col + cell.colspan - 1) as u16);
        let body = cell.row >= p.grid.header_rows;
        // What a user types into keeps the form the workflow gives it.
        let input = body && self.hook.is_some_and(|h| h.input(p, f.cell));
        let spec = &p.edition.layout.layout.workbook;
        let text = if spec.line_breaks == LineBreaks::Shiryo && !input {
            printed_text(p, f.cell, super::drawn_lines(p, f, place.height))
        } else {
            let mut text = fragment_text(p, f.cell, &f.lines);
            if let Some((before, after)) = super::repeat_marks(p, f) {
                text = format!("{before}{text}{after}");
            }
            text
        };
        // A hook sees the first part of a body cell.
        let mut number = None;
        if let Some(h) = self.hook
            && place.first
            && f.rows.start == cell.row
            && body
        {
            fmt = h.cell(p, f.cell, ws, r0, c0, fmt)?;
            number = h.number(p, f.cell);
        }
        let whole = f.lines.start == 0
            && f.lines.end == p.measured.cell_lines[f.cell].len()
            && super::repeat_marks(p, f).is_none();
        if number.is_none()
            && spec.figures == Figures::Numbers
            && !input
            && whole
            && let Some(figure) = &cell.figure
            && let Some((n, code)) = super::figure::number_format(figure, &text)
        {
            fmt = fmt.set_num_format(code);
            number = Some(n);
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
}

/// The text of a cell's lines as printed, for a workbook that keeps
/// shiryo's line breaks: the lines joined by line breaks, a list line's
/// hanging indent as spaces, and the cell's padding as spaces on the side
/// the text is aligned to where every line of the cell leaves room for it
/// (see [`PROGRAM_MARGINS_PT`], and a pixel to spare).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let p = shiryo::render::prepare(&edition)?;
/// let at = |col: usize| p.grid.cells.iter().position(|c| c.row == p.grid.header_rows && c.col == col).unwrap();
/// let text = |cell: usize| shiryo::render::xlsx::printed_text(&p, cell, &p.measured.cell_lines[cell]);
/// // Padded on the left, as the PDF pads it.
/// assert_eq!(text(at(3)), " ほっとネット推進員登録者数");
/// // The label's lines, each a line of the cell; its list lines fit the
/// // column whole (the 資料２ goal column takes 20 characters a line).
/// let goal = text(at(0));
/// assert!(goal.starts_with("基本目標１\n一人一人が活躍する地域づくり\n"), "{goal}");
/// assert!(goal.contains("\n　・地域活動・ボランティア活動の参画促進\n"), "{goal}");
/// # Ok(()) }
/// ```
pub fn printed_text(p: &Prepared, cell: usize, lines: &[crate::measure::LaidLine]) -> String {
    let c = &p.grid.cells[cell];
    let face = p.edition.fonts.face(c.style.bold);
    let size = c.style.size.unwrap_or(p.measured.font_size);
    let width: f32 = p.grid.columns[c.col..c.col + c.colspan]
        .iter()
        .map(|c| c.width_pt())
        .sum();
    let space = face.width(" ", size);
    let wide = face.width("\u{3000}", size);
    let pad = match c.style.align {
        HAlign::Center => 0,
        _ if space <= 0.0 => 0,
        _ => (p.measured.spacing.pad_x / space).round() as usize,
    };
    // Padding only where every line of the cell, wherever it is printed,
    // leaves room for it.
    let room = width - PROGRAM_MARGINS_PT - SPARE_PT + 1e-3;
    let fits = p.measured.cell_lines[cell]
        .iter()
        .chain(p.measured.marked.get(&cell).into_iter().flatten())
        .all(|l| l.indent + l.width + pad as f32 * space <= room);
    let pad = if fits { " ".repeat(pad) } else { String::new() };
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let mut line = String::new();
        if l.text.is_empty() {
            out.push(line);
            continue;
        }
        if c.style.align != HAlign::Right {
            line.push_str(&pad);
        }
        if l.indent > 0.0 && wide > 0.0 && space > 0.0 {
            let full = ((l.indent / wide) + 1e-3).floor();
            let half = (((l.indent - full * wide) / space) + 1e-3).floor();
            line.push_str(&"\u{3000}".repeat(full as usize));
            line.push_str(&" ".repeat(half as usize));
        }
        line.push_str(&l.text);
        if c.style.align == HAlign::Right {
            line.push_str(&pad);
        }
        out.push(line);
    }
    out.join("\n")
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
