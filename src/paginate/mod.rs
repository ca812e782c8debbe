//! Pages: body rows grouped into pages that fit the printable height at the
//! print scale, header rows repeated on every page, and merged cells cut
//! into per-page fragments.
//!
//! A merged cell that crosses a page break becomes one fragment per page,
//! each closed by its own border. Its lines flow from fragment to fragment,
//! so no text is lost; a label cell (`repeat`) that has been shown whole is
//! printed again at the top of each continuation, as the official tables do.

use crate::layout::{Layout, VAlign, mm_to_pt};
use crate::measure::Measured;
use crate::table::Grid;
use std::ops::Range;

/// Room kept free at the bottom of every page, in points, so that a
/// spreadsheet program's rounding of row heights never pushes a row onto an
/// extra page.
const SLACK_PT: f32 = 6.0;

/// The paginated table.
#[derive(Debug, Clone)]
pub struct Paged {
    /// Print scale (1.0 = 100 %), a whole percentage.
    pub scale: f32,
    /// The pages.
    pub pages: Vec<Page>,
    /// Fragments of the header cells, drawn on every page.
    pub header: Vec<Fragment>,
}

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The body rows on this page (indices into the grid's rows).
    pub rows: Range<usize>,
    /// The cell fragments of this page's body rows.
    pub fragments: Vec<Fragment>,
}

/// The part of a cell on one page.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// Index of the cell in the grid.
    pub cell: usize,
    /// The rows of this fragment.
    pub rows: Range<usize>,
    /// The lines of the cell drawn in this fragment.
    pub lines: Range<usize>,
    /// Vertical alignment of the lines inside the fragment.
    pub valign: VAlign,
    /// Whether the cell started on an earlier page.
    pub continued: bool,
}

/// Printable width and height of a page in points, at 100 %.
pub fn printable(layout: &Layout) -> (f32, f32) {
    let (w, h) = layout.page.size_pt();
    let m = &layout.page.margins_mm;
    (w - mm_to_pt(m.left + m.right), h - mm_to_pt(m.top + m.bottom))
}

/// The print scale that fits the table's width on the page: 100 %, or the
/// largest whole percentage that fits.
pub fn scale_for(grid: &Grid, layout: &Layout) -> f32 {
    let (pw, _) = printable(layout);
    let w = grid.width_pt();
    if w <= pw {
        1.0
    } else {
        ((pw / w * 100.0).floor().max(10.0)) / 100.0
    }
}

/// Paginates a measured grid.
pub fn paginate(grid: &Grid, m: &Measured, layout: &Layout) -> Paged {
    let scale = scale_for(grid, layout);
    let (_, ph) = printable(layout);
    let header_h: f32 = m.row_heights[..grid.header_rows].iter().sum();
    let avail = ph / scale - header_h - SLACK_PT;
    let title_h = grid.title.as_ref().map_or(0.0, |t| t.height_pt);

    // Keep groups: runs of rows with the same keep id.
    let body = grid.header_rows..grid.rows.len();
    let mut groups: Vec<Range<usize>> = Vec::new();
    for r in body.clone() {
        match groups.last_mut() {
            Some(g) if grid.rows[g.start].keep == grid.rows[r].keep => g.end = r + 1,
            _ => groups.push(r..r + 1),
        }
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut start = body.start;
    let mut used = 0.0;
    let room = |pages: usize| if pages == 0 { avail - title_h } else { avail };
    for g in groups {
        let gh: f32 = m.row_heights[g.clone()].iter().sum();
        if used + gh <= room(ranges.len()) {
            used += gh;
            continue;
        }
        if gh <= avail && g.start > start {
            // The group starts a new page.
            ranges.push(start..g.start);
            start = g.start;
            used = 0.0;
            if gh <= room(ranges.len()) {
                used = gh;
                continue;
            }
        }
        // A group taller than the room left: break between its rows.
        for r in g {
            let h = m.row_heights[r];
            if used + h > room(ranges.len()) && r > start {
                ranges.push(start..r);
                start = r;
                used = 0.0;
            }
            used += h;
        }
    }
    if start < body.end || ranges.is_empty() {
        ranges.push(start..body.end);
    }

    // Fragments, with each cell's lines flowing across its fragments.
    let mut cursor = vec![0usize; grid.cells.len()];
    let pages = ranges
        .into_iter()
        .map(|rows| {
            let mut fragments = Vec::new();
            for (i, cell) in grid.body_cells() {
                let cr = cell.row..cell.row + cell.rowspan;
                let fr = cr.start.max(rows.start)..cr.end.min(rows.end);
                if fr.is_empty() {
                    continue;
                }
                let total = m.cell_lines[i].len();
                let whole = fr == cr;
                let h: f32 = m.row_heights[fr.clone()].iter().sum();
                let cap = m.capacity(h);
                let lines = if cursor[i] < total {
                    let from = cursor[i];
                    let to = if whole { total } else { (from + cap).min(total) };
                    cursor[i] = to;
                    from..to
                } else if cell.repeat {
                    0..cap.min(total)
                } else {
                    total..total
                };
                let fits = lines.start == 0 && lines.end == total;
                fragments.push(Fragment {
                    cell: i,
                    rows: fr.clone(),
                    valign: if fits { cell.style.valign } else { VAlign::Top },
                    lines,
                    continued: fr.start > cr.start,
                });
            }
            Page { rows, fragments }
        })
        .collect();
    let header = grid
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.row < grid.header_rows)
        .map(|(i, c)| Fragment {
            cell: i,
            rows: c.row..c.row + c.rowspan,
            lines: 0..m.cell_lines[i].len(),
            valign: c.style.valign,
            continued: false,
        })
        .collect();
    Paged { scale, pages, header }
}
