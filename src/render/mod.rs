//! Renderers: the same paginated grid drawn as a spreadsheet and as a PDF.

pub(crate) mod bytes;
pub(crate) mod dehint;
pub mod figure;
pub(crate) mod object_streams;
pub(crate) mod outline_fix;
pub mod pdf;
pub mod xlsx;

use crate::diag::Problems;
use crate::edition::Edition;
use crate::measure::{self, Measured, Spacing};
use crate::paginate::{self, Paged};
use crate::table::{self, BuildOptions, Grid};

/// Document-level facts both renderers write.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Document title.
    pub title: String,
    /// Subject: the document and the edition.
    pub subject: String,
    /// Creation date and time (UTC): year, month, day, hour, minute, second.
    pub created: [u32; 6],
    /// The creating program and its version.
    pub creator: String,
}

/// Everything the renderers need: the edition, its grid, the grid's
/// measurements and pages.
#[derive(Debug)]
pub struct Prepared<'e> {
    /// The edition drawn.
    pub edition: &'e Edition,
    /// The logical grid.
    pub grid: Grid,
    /// Line breaks and row heights.
    pub measured: Measured,
    /// Pages and fragments.
    pub paged: Paged,
    /// Metadata.
    pub meta: Meta,
    /// Outline entries: text and first body row, per top-level group.
    pub outline: Vec<(String, usize)>,
    /// The workbook's sheet name.
    pub sheet: String,
}

/// Runs the pipeline from an edition to pages.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let p = shiryo::render::prepare(&edition)?;
/// assert_eq!(p.paged.pages.len(), 2);
/// # Ok(()) }
/// ```
pub fn prepare(edition: &Edition) -> Result<Prepared<'_>, Problems> {
    let grid = table::build(edition, &BuildOptions::default())?;
    let measured = measure(edition, &grid)?;
    assemble(edition, grid, measured)
}

/// Measures a grid in the edition's fonts and spacing.
pub fn measure(edition: &Edition, grid: &Grid) -> Result<Measured, Problems> {
    measure::measure(
        grid,
        &edition.fonts,
        Spacing::of(&edition.layout.layout),
        &edition.data.path,
    )
}

/// The last stage of [`prepare`]: paginates a measured grid and adds the
/// document's metadata. Callers that adjust the grid or its row heights
/// (yearly templates) run the stages themselves and finish here. A layout
/// whose pages cannot hold the header, the title or a line of text is a
/// problem naming the layout field to change.
pub fn assemble(edition: &Edition, grid: Grid, measured: Measured) -> Result<Prepared<'_>, Problems> {
    let l = &edition.layout.layout;
    let paged = paginate::paginate(&grid, &measured, l)
        .map_err(|e| crate::diag::Problem::new(&edition.layout.path, e.field, e.to_string()))?;
    let scope = table::root_scope(edition);
    let title = match (&l.metadata.title, &l.title) {
        (Some(t), _) => t.render(&scope),
        (None, Some(t)) => t.left.render(&scope),
        (None, None) => l.description.clone(),
    };
    // A document always has a title (PDF/UA shows it in the window): the
    // layout's description, else the data file's name, when the data
    // leaves it empty.
    let title = [title, l.description.clone(), edition.data.stem().to_string()]
        .into_iter()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "shiryo".to_string());
    let subject = match &l.metadata.subject {
        Some(t) => t.render(&scope),
        None => format!(
            "{title} {}",
            crate::era::full_width_digits(&crate::era::fiscal_year(edition.year))
        ),
    };
    let meta = Meta {
        title,
        subject,
        created: creation_date(&edition.date).map_err(|e| crate::diag::Problem::new("SOURCE_DATE_EPOCH", "", e))?,
        creator: format!("shiryo {}", env!("CARGO_PKG_VERSION")),
    };
    let outline = outline_entries(&grid);
    Ok(Prepared {
        edition,
        grid,
        measured,
        paged,
        meta,
        outline,
        sheet: l.sheet.clone().unwrap_or_else(|| l.name.clone()),
    })
}

/// The first body row of each item of the first column's scope, with the
/// first line of its label: one outline entry per 基本目標.
fn outline_entries(grid: &Grid) -> Vec<(String, usize)> {
    grid.body_cells()
        .filter(|(_, c)| c.col == 0)
        .map(|(_, c)| {
            (
                c.lines
                    .iter()
                    .take(2)
                    .map(|l| l.text.trim())
                    .collect::<Vec<_>>()
                    .join(" "),
                c.row,
            )
        })
        .filter(|(t, _)| !t.trim().is_empty())
        .collect()
}

/// The creation date: `SOURCE_DATE_EPOCH` when set, else the edition's
/// document date at midnight UTC. Never the clock, so a rebuild is
/// byte-identical.
pub fn creation_date(edition_date: &str) -> Result<[u32; 6], String> {
    if let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") {
        // 1900-01-01 to 9999-12-31: what a PDF and a workbook can both state.
        return match text.trim().parse::<i64>() {
            Ok(secs) if (-2_208_988_800..=253_402_300_799).contains(&secs) => Ok(from_epoch(secs)),
            _ => Err(crate::lang::tr!(
                "SOURCE_DATE_EPOCH is {value}: expected seconds since 1970 for a date from 1900 to 9999 (or unset it)",
                value = format!("{text:?}")
            )),
        };
    }
    let part = |r: std::ops::Range<usize>| edition_date.get(r).and_then(|s| s.parse().ok()).unwrap_or(1);
    Ok([part(0..4), part(5..7), part(8..10), 0, 0, 0])
}

/// Converts seconds since 1970 to a UTC date and time.
///
/// ```
/// assert_eq!(shiryo::render::from_epoch(1_700_000_000), [2023, 11, 14, 22, 13, 20]);
/// ```
pub fn from_epoch(secs: i64) -> [u32; 6] {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    [
        y as u32,
        m as u32,
        d as u32,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    ]
}

/// The marks (before, after) of a fragment that prints a label again on a
/// continuation page, when its column has any.
pub fn repeat_marks<'a>(p: &'a Prepared, f: &crate::paginate::Fragment) -> Option<(&'a str, &'a str)> {
    let cell = &p.grid.cells[f.cell];
    let marks = cell.marks.as_ref()?;
    (cell.repeat && f.continued && f.lines.start == 0 && !f.lines.is_empty())
        .then_some((marks.before.as_str(), marks.after.as_str()))
}

/// The lines a fragment prints, `height` points tall on its page, unless
/// it is divided among stacked sheet rows (see [`divide`]): its share of
/// the cell's lines, or for a label printed again with its marks, its lines
/// broken anew, marks included, as many as the fragment holds.
pub fn drawn_lines<'a>(p: &'a Prepared, f: &crate::paginate::Fragment, height: f32) -> &'a [crate::measure::LaidLine] {
    let m = &p.measured;
    match (repeat_marks(p, f), m.marked.get(&f.cell)) {
        (Some(_), Some(marked)) => &marked[..marked.len().min(m.capacity(height).max(f.lines.len()))],
        _ => &m.cell_lines[f.cell][f.lines.clone()],
    }
}

/// The text of a fragment as the spreadsheet shows it: the cell's own text
/// when the fragment shows all of it, else the fragment's lines, joined
/// where the line breaks were soft.
pub fn fragment_text(p: &Prepared, cell: usize, lines: &std::ops::Range<usize>) -> String {
    let all = &p.measured.cell_lines[cell];
    if lines.start == 0 && lines.end == all.len() {
        return p.grid.cells[cell].joined();
    }
    let mut s = String::new();
    for (i, l) in all[lines.clone()].iter().enumerate() {
        s.push_str(&l.text);
        if l.para_end && i + 1 < lines.len() {
            s.push('\n');
        }
    }
    s
}

/// How a fragment's lines are divided among the stacked parts of its row
/// (see [`crate::measure::Measured::split_height`]), `height` being the
/// fragment's height on its page: each part's height and its lines, or
/// `None` when the fragment is drawn across all parts at once (it covers
/// several rows, its row is not stacked, its lines fit in the first part,
/// it has a size of its own, or it is a label printed again with marks).
/// The workbook writes each part's lines into a sheet row of its own; the
/// PDF draws them at the same places.
pub fn divide(p: &Prepared, f: &crate::paginate::Fragment, height: f32) -> Option<Vec<(f32, std::ops::Range<usize>)>> {
    let m = &p.measured;
    let cell = &p.grid.cells[f.cell];
    if f.rows.len() != 1 || cell.style.size.is_some() || repeat_marks(p, f).is_some() {
        return None;
    }
    let parts = m.split_height(height);
    if parts.len() < 2 || f.lines.len() <= m.capacity(parts[0]) {
        return None;
    }
    let mut at = f.lines.start;
    Some(
        parts
            .into_iter()
            .map(|h| {
                let n = m.capacity(h).min(f.lines.end - at);
                at += n;
                (h, at - n..at)
            })
            .collect(),
    )
}
