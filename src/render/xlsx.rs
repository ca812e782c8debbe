//! The spreadsheet: the paginated grid as an `.xlsx` that prints page for
//! page like the PDF (same column widths in pixels, same row heights in
//! points, manual page breaks at the same rows, an explicit print scale).

use super::{Prepared, fragment_text};
use crate::layout::{CellKind, HAlign, InputKind, VAlign};
use crate::paginate::Fragment;
use crate::table::{Cell, FooterPiece, FooterText, InputRef};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

/// The name of the table's sheet.
pub const SHEET: &str = "調査票";

/// Extra options of a yearly template: the sheet is protected with only
/// the input cells unlocked, input cells carry data validation, and a
/// hidden, protected sheet records what each input cell is.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// Sheet protection password (none by default).
    pub password: Option<String>,
    /// The notes a note cell may hold (a list validation).
    pub note_choices: Vec<String>,
    /// The longest text a text cell takes, in characters.
    pub max_text_chars: u32,
    /// Workbook-level defined names, each naming an input cell: (name,
    /// index of the cell in the grid).
    pub names: Vec<(String, usize)>,
    /// The hidden sheet: its name and its rows of text.
    pub identity: (String, Vec<Vec<String>>),
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
    render_with(p, None)
}

/// Writes a yearly template (a grid built with `template: true`): the
/// table as [`render`] writes it, plus protection, validation and the
/// identity sheet of `t`.
pub fn render_template(p: &Prepared, t: &TemplateOptions) -> Result<Vec<u8>, XlsxError> {
    render_with(p, Some(t))
}

fn render_with(p: &Prepared, t: Option<&TemplateOptions>) -> Result<Vec<u8>, XlsxError> {
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
    sheet.set_name(SHEET)?;
    let at = draw(p, sheet, &font_name, t)?;
    if let Some(t) = t {
        protect(sheet, t);
        let (name, rows) = &t.identity;
        let id = wb.add_worksheet();
        id.set_name(name)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                id.write_string(r as u32, c as u16, text)?;
            }
        }
        id.set_hidden(true);
        protect(id, t);
        for (name, cell) in &t.names {
            let (r, c) = sheet_cell(&at, &p.grid.cells[*cell]);
            wb.define_name(name, &format!("='{SHEET}'!{}", absolute(r, c)))?;
        }
    }
    wb.save_to_buffer()
}

/// Protects a sheet: every cell not unlocked is read-only; row heights may
/// still be changed, so that a long text can be shown whole.
fn protect(ws: &mut Worksheet, t: &TemplateOptions) {
    if let Some(pw) = &t.password {
        ws.protect_with_password(pw);
    }
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        ..ProtectionOptions::default()
    });
}

/// `$F$3` for zero-based row 2, column 5.
fn absolute(row: u32, col: u16) -> String {
    let a1 = crate::identity::a1(row, col);
    let split = a1.find(|c: char| c.is_ascii_digit()).unwrap_or(a1.len());
    format!("${}${}", &a1[..split], &a1[split..])
}

/// The sheet cell (zero-based row and column) of a grid cell's top-left
/// corner, given the sheet rows of [`sheet_rows`]: where its text, or a
/// department's input, goes.
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

fn sheet_plan(p: &Prepared) -> SheetPlan<'_> {
    let g = &p.grid;
    let mut plan = SheetPlan {
        at: vec![None; g.rows.len()],
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
        for r in page.rows.clone() {
            if plan.at[r].is_none() {
                plan.at[r] = Some(next);
                next += 1;
            }
        }
    }
    plan.rows = next;
    plan
}

/// Writes the table; returns the sheet row of each grid row.
fn draw(
    p: &Prepared,
    ws: &mut Worksheet,
    font: &str,
    t: Option<&TemplateOptions>,
) -> Result<Vec<Option<u32>>, XlsxError> {
    let g = &p.grid;
    let l = &p.layout.layout;
    for (i, c) in g.columns.iter().enumerate() {
        ws.set_column_width_pixels(i as u16, c.width_px)?;
    }
    let size = g.font_size;
    let plan = sheet_plan(p);
    let at = &plan.at;
    for (r, slot) in at.iter().enumerate() {
        if let Some(row) = slot {
            // The tallest row a spreadsheet keeps is 409.5 pt.
            ws.set_row_height(*row, p.measured.row_heights[r].min(409.5))?;
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
    t: Option<&TemplateOptions>,
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
    // Only the first part of an input cell cut by a page break takes input.
    if let (Some(t), Some(input)) = (t, &cell.input)
        && f.rows.start == cell.row
    {
        fmt = input_format(p, cell, input, fmt);
        ws.add_data_validation(r0, c0, r0, c0, &validation(p, cell, input, t)?)?;
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

/// The look of an input cell: unlocked, the layout's input fill, and for
/// a value the unit shown after the number typed (`450人`, `30.6%`).
fn input_format(p: &Prepared, cell: &Cell, input: &InputRef, fmt: Format) -> Format {
    let mut fmt = fmt.set_unlocked();
    if let Some([r, g, b]) = p
        .layout
        .layout
        .template
        .input_fill
        .as_deref()
        .and_then(crate::table::parse_color)
    {
        fmt = fmt.set_background_color(rust_xlsxwriter::Color::RGB(
            u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b),
        ));
    }
    match (input.kind, &input.unit) {
        (InputKind::Value, Some(unit)) if !unit.contains('"') => {
            let after = p
                .layout
                .layout
                .columns
                .iter()
                .filter(|c| c.id == p.grid.columns[cell.col].id)
                .find_map(|c| match &c.content {
                    CellKind::YearValue(spec) => spec.unit_after_number.get(unit).cloned(),
                    _ => None,
                })
                .unwrap_or_else(|| unit.clone());
            fmt.set_num_format(format!("General\"{after}\""))
        }
        (InputKind::Note, _) => fmt.set_align(FormatAlign::Center),
        _ => fmt,
    }
}

/// The header of a cell's column: its first line, or all its lines.
fn column_header(p: &Prepared, cell: &Cell, all_lines: bool) -> String {
    let lines = p
        .grid
        .cells
        .iter()
        .find(|h| h.row < p.grid.header_rows && h.col <= cell.col && cell.col < h.col + h.colspan)
        .map(|h| &h.lines[..]);
    let take = if all_lines { usize::MAX } else { 1 };
    lines
        .unwrap_or_default()
        .iter()
        .take(take)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts `s` to at most `n` UTF-16 units (Excel's limits on validation texts).
fn cut(s: &str, n: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        used += c.len_utf16();
        if used > n {
            break;
        }
        out.push(c);
    }
    out
}

/// The data validation of an input cell, with an input message naming the
/// item (and unit) and an error message saying what is expected.
fn validation(p: &Prepared, cell: &Cell, input: &InputRef, t: &TemplateOptions) -> Result<DataValidation, XlsxError> {
    let header = column_header(p, cell, input.kind == InputKind::Note);
    let unit = input.unit.as_deref().unwrap_or("");
    let (rule, title, prompt, error) = match input.kind {
        InputKind::Value => (
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            format!("{header}（{unit}）"),
            format!("単位（{unit}）を付けずに、0 以上の数字を入力してください。"),
            format!("{} の値は 0 以上の数字です。単位（{unit}）は付けません。", input.label),
        ),
        InputKind::Note => (
            DataValidation::new().allow_list_strings(&t.note_choices)?,
            header.clone(),
            format!("{} から選ぶか、空欄のままにします。", t.note_choices.join("、")),
            format!("{} から選ぶか、空欄にしてください。", t.note_choices.join("、")),
        ),
        InputKind::Actions | InputKind::Outlook => (
            DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(t.max_text_chars)),
            header,
            format!("{} 字以内で入力してください。", t.max_text_chars),
            format!("{} 字以内にしてください。", t.max_text_chars),
        ),
    };
    let label = cut(&input.label, 255 - prompt.encode_utf16().count() - 1);
    rule.set_input_title(cut(&title, 32))?
        .set_input_message(format!("{label}\n{prompt}"))?
        .set_error_title(cut("入力できない値です", 32))?
        .set_error_message(cut(&error, 255))
        .map(|v| v.set_error_style(DataValidationErrorStyle::Stop))
}
