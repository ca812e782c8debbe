//! `shiryo check`: every problem of a data file, a layout and a report
//! year, found at once. `render`, `archive` and `template` run the same
//! checks before they write anything.

use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::lang::tr;
use crate::render::{self, Prepared};
use crate::table::BuildOptions;

/// The most characters (UTF-16 units) a spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

pub mod paths;

/// Problems of a layout against the data it renders: paths the shape does
/// not declare (see [`paths`]), and columns too narrow for one character.
pub fn layout_against_data(edition: &Edition) -> Vec<Problem> {
    let layout = &edition.layout;
    let l = &layout.layout;
    let mut out = paths::check(layout, &edition.shape);
    let pad = l.padding_mm.x;
    let em_mm = l.font.size / 72.0 * 25.4;
    for (i, c) in l.columns.iter().enumerate() {
        let inner = c.width_mm - 2.0 * pad;
        if inner < em_mm {
            out.push(Problem::new(
                &layout.path,
                format!("columns[{i}].width_mm"),
                tr!(
                    "column {id} is {width} mm wide: less its padding ({pad} mm each side) it cannot hold one {size} pt \
                     character ({em} mm); expected at least {need} mm",
                    id = c.id,
                    width = c.width_mm,
                    pad = pad,
                    size = l.font.size,
                    em = format!("{em_mm:.1}"),
                    need = format!("{:.1}", em_mm + 2.0 * pad)
                ),
            ));
        }
    }
    out
}

/// The most characters of a spreadsheet's page footer, codes included.
pub const MAX_FOOTER_CHARS: usize = 255;

/// Titles that fit their height and a spreadsheet cell, and a footer that
/// fits the spreadsheet's limit.
fn page_furniture(edition: &Edition, grid: &crate::table::Grid) -> Vec<Problem> {
    let lp = &edition.layout.path;
    let mut out = Vec::new();
    for t in grid.title.iter().chain(&grid.titles) {
        let lines = t.left.split('\n').count();
        // As the PDF draws them: lines 1.3 times the size apart.
        let need = lines as f32 * t.size * 1.3;
        if need > t.height_pt + 0.01 {
            out.push(Problem::new(
                lp,
                "title.height_mm",
                tr!(
                    "the title {title} has {lines} line{_s} of {size} pt, which need {need} mm; its height is {height} mm",
                    title = format!("{:?}", t.left),
                    lines = lines,
                    _s = crate::lang::plural(lines),
                    size = t.size,
                    need = format!("{:.1}", need / 72.0 * 25.4),
                    height = format!("{:.1}", t.height_pt / 72.0 * 25.4)
                ),
            ));
            break;
        }
        let n = t.left.encode_utf16().count() + t.right.encode_utf16().count();
        if n > MAX_CELL_CHARS {
            out.push(Problem::new(
                &edition.data.path,
                "title",
                tr!(
                    "a title of {n} characters: a spreadsheet cell holds at most {max}",
                    n = n,
                    max = MAX_CELL_CHARS
                ),
            ));
            break;
        }
    }
    let code = crate::render::xlsx::footer(
        grid.footer.clone(),
        grid.footer_size,
        &crate::render::xlsx::font_name(&edition.layout.layout),
    );
    let n = code.encode_utf16().count();
    if n > MAX_FOOTER_CHARS {
        out.push(Problem::new(
            lp,
            "footer",
            tr!(
                "the footer is {n} characters in the spreadsheet's code (its text, font and page numbers); \
                 a spreadsheet keeps at most {max}: shorten the footer's text (a footnote in the data, say)",
                n = n,
                max = MAX_FOOTER_CHARS
            ),
        ));
    }
    out
}

/// Checks an edition as far as rendering it: every problem found, or the
/// prepared pages.
pub fn prepared(edition: &Edition) -> Result<Prepared<'_>, Problems> {
    let problems = layout_against_data(edition);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let grid = crate::table::build(edition, &BuildOptions::default())?;
    let problems = page_furniture(edition, &grid);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let too_long: Vec<Problem> = grid
        .cells
        .iter()
        .filter_map(|c| {
            let n = c.joined().encode_utf16().count();
            (n > MAX_CELL_CHARS).then(|| {
                Problem::new(
                    &edition.data.path,
                    crate::measure::place_of(&grid, c.row, c.col),
                    tr!(
                        "a text of {n} characters: a spreadsheet cell holds at most {max}; shorten it or split it",
                        n = n,
                        max = MAX_CELL_CHARS
                    ),
                )
            })
        })
        .collect();
    if !too_long.is_empty() {
        return Err(Problems(too_long));
    }
    let measured = render::measure(edition, &grid)?;
    render::assemble(edition, grid, measured)
}

/// What printing smaller than 100 % does to the text: `None` at 100 %,
/// else a note naming the print scale and the smallest text size; an
/// error when that is below the layout's `page.min_text_pt`, unless
/// `allow_small` is given.
///
/// ```
/// let e = shiryo::Edition::load(&Default::default()).unwrap();
/// let p = shiryo::check::prepared(&e).unwrap();
/// assert_eq!(shiryo::check::print_scale(&p, false).unwrap(), None);
/// ```
pub fn print_scale(p: &Prepared, allow_small: bool) -> Result<Option<String>, Problems> {
    let scale = p.paged.scale;
    if scale >= 1.0 {
        return Ok(None);
    }
    let l = &p.edition.layout.layout;
    let g = &p.grid;
    let smallest = g
        .cells
        .iter()
        .filter_map(|c| c.style.size)
        .chain([g.font_size, g.footer_size])
        .chain(g.title.iter().chain(&g.titles).map(|t| t.size))
        .fold(f32::INFINITY, f32::min);
    let printed = smallest * scale;
    let (pw, _) = crate::paginate::printable(l);
    let note = tr!(
        "the columns are {width} mm wide and the page has {room} mm between its margins, so the table prints at \
         {scale} %: its smallest text, {smallest} pt, prints at {printed} pt",
        width = format!("{:.0}", g.width_pt() / 72.0 * 25.4),
        room = format!("{:.0}", pw / 72.0 * 25.4),
        scale = format!("{:.0}", scale * 100.0),
        smallest = smallest,
        printed = format!("{printed:.1}")
    );
    if printed + 0.01 < l.page.min_text_pt && !allow_small {
        return Err(Problem::new(
            &p.edition.layout.path,
            "page.min_text_pt",
            tr!(
                "{note}, below the layout's floor of {floor} pt: narrow the columns, choose a larger paper \
                 (page.size), or print anyway with --allow-small-text",
                note = note,
                floor = l.page.min_text_pt
            ),
        )
        .into());
    }
    Ok(Some(format!("{}: {note}", p.edition.layout.path.display())))
}

/// `shiryo check`'s summary line of a checked edition (see [`prepared`]).
///
/// ```
/// let e = shiryo::Edition::load(&Default::default()).unwrap();
/// let p = shiryo::check::prepared(&e).unwrap();
/// assert!(shiryo::check::summary(&p).ends_with("2 pages: no problems"));
/// ```
pub fn summary(p: &Prepared) -> String {
    let edition = p.edition;
    tr!(
        "{file}: {title} with {layout}: report year {year} ({fiscal}), {rows} rows, {pages} pages: no problems",
        file = edition.data.path.display(),
        title = p.meta.title,
        layout = if edition.layout.bundled {
            tr!("the bundled layout {name}", name = edition.layout.layout.name)
        } else {
            edition.layout.path.display().to_string()
        },
        year = edition.year,
        fiscal = crate::era::fiscal_year(edition.year),
        rows = p.grid.rows.len() - p.grid.header_rows,
        pages = p.paged.pages.len()
    )
}
