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
    /// The height of each of those rows on this page: the row's height, or
    /// the part of it that is on this page for a row taller than a page.
    pub heights: Vec<f32>,
    /// The cell fragments of this page's body rows.
    pub fragments: Vec<Fragment>,
    /// The running title printed at the top (index into the grid's titles).
    pub title: Option<usize>,
    /// Header rows printed again above the page's rows (a table that
    /// continues from the previous page), with their fragments.
    pub repeat: Vec<usize>,
    /// The fragments of the repeated rows.
    pub repeat_fragments: Vec<Fragment>,
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

/// The height of the whole lines (with padding) that fit in `room`, at
/// least one line, in whole pixels.
fn lines_fit(m: &Measured, room: f32) -> f32 {
    let n = m.capacity(room).max(1);
    crate::measure::to_px_pt(m.needed(n)).min(room.max(m.needed(1)))
}

/// Whether the page's first row continues from the previous page.
fn list_starts_inside(m: &Measured, rows: &Range<usize>, heights: &[f32]) -> bool {
    !rows.is_empty()
        && heights
            .first()
            .is_some_and(|h| (h - m.row_heights[rows.start]).abs() > 0.01)
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
    // Label cells (printed again on continued pages) whose first part must
    // show their whole text: (first row, end row, height needed).
    let labels: Vec<(usize, usize, f32)> = grid
        .body_cells()
        .filter(|(_, c)| c.repeat && c.rowspan > 1)
        .map(|(i, c)| (c.row, c.row + c.rowspan, m.needed(m.cell_lines[i].len())))
        .collect();
    // The most lines of a single-row cell in each row (for cutting tall rows).
    let mut row_lines = vec![0usize; grid.rows.len()];
    for (i, c) in grid.body_cells().filter(|(_, c)| c.rowspan == 1) {
        row_lines[c.row] = row_lines[c.row].max(m.cell_lines[i].len());
    }

    // What a page starting with row `r` prints above its rows: the title
    // (the first page's of a single table, or the running title of the
    // row's document part) and, where a table continues, its header row.
    let top_of = |r: usize, first_page: bool| -> (Option<usize>, Vec<usize>, f32) {
        let info = &grid.rows[r];
        let (title, mut h) = match info.title {
            Some(t) => (Some(t), grid.titles[t].height_pt),
            None if first_page => (None, title_h),
            None => (None, 0.0),
        };
        let mut repeat = Vec::new();
        if let Some(t) = info.table
            && !info.table_header
        {
            repeat = (0..r)
                .rev()
                .filter(|&k| grid.rows[k].table == Some(t) && grid.rows[k].table_header)
                .take(1)
                .collect();
            h += repeat.iter().map(|&k| m.row_heights[k]).sum::<f32>();
        }
        (title, repeat, h)
    };

    // Pages as lists of (row, height on the page), with their room.
    let mut pages_rows: Vec<Vec<(usize, f32)>> = vec![Vec::new()];
    let mut rooms: Vec<f32> = vec![avail];
    let mut used = 0.0;
    // Starts a new page. Rows at the end of the full page that would leave a
    // label cell too short to show its text, or a heading without what
    // follows it, move along to the new page.
    let new_page = |pages_rows: &mut Vec<Vec<(usize, f32)>>, rooms: &mut Vec<f32>, used: &mut f32, next: usize| {
        if pages_rows.last().is_some_and(Vec::is_empty) {
            *used = 0.0;
            return;
        }
        let page = pages_rows.last_mut().expect("a page");
        let first = page[0].0;
        let mut cut = next;
        loop {
            let height_above = |from: usize| {
                page.iter()
                    .rev()
                    .take_while(|(r, _)| *r >= from)
                    .filter(|(r, _)| *r < cut)
                    .map(|(_, h)| h)
                    .sum::<f32>()
            };
            let from = labels.partition_point(|(s, _, _)| *s <= first);
            let to = labels.partition_point(|(s, _, _)| *s < cut);
            let earlier = labels[from..to.max(from)]
                .iter()
                .filter(|(s, e, need)| *e > cut && height_above(*s) < *need)
                .map(|(s, _, _)| *s)
                .min();
            let heading = cut - 1 > first && grid.rows[cut - 1].keep_with_next;
            match earlier {
                Some(s) => cut = s,
                None if heading => cut -= 1,
                None => break,
            }
        }
        let moved: Vec<(usize, f32)> = page.iter().filter(|(r, _)| *r >= cut).copied().collect();
        page.retain(|(r, _)| *r < cut);
        let first_row = moved.first().map_or(next, |(r, _)| *r);
        rooms.push(avail - top_of(first_row, false).2);
        *used = moved.iter().map(|(_, h)| h).sum();
        pages_rows.push(moved);
    };
    for g in groups {
        if grid.rows[g.start].break_before {
            new_page(&mut pages_rows, &mut rooms, &mut used, g.start);
        }
        if pages_rows.last().is_some_and(Vec::is_empty) {
            let first_page = pages_rows.len() == 1;
            *rooms.last_mut().expect("a page") = avail - top_of(g.start, first_page).2;
        }
        let gh: f32 = m.row_heights[g.clone()].iter().sum();
        let room_new = avail - top_of(g.start, false).2;
        if used + gh > *rooms.last().expect("a page") && gh <= room_new {
            new_page(&mut pages_rows, &mut rooms, &mut used, g.start);
        }
        for r in g {
            let h = m.row_heights[r];
            if used + h > *rooms.last().expect("a page") {
                new_page(&mut pages_rows, &mut rooms, &mut used, r);
            }
            let room = *rooms.last().expect("a page");
            if used + h <= room {
                pages_rows.last_mut().expect("a page").push((r, h));
                used += h;
                continue;
            }
            // A row taller than a whole page is cut into page-high slices
            // at whole lines; the last slice holds the lines left.
            let mut left = row_lines[r];
            while m.needed(left) > *rooms.last().expect("a page") - used {
                let slice = lines_fit(m, *rooms.last().expect("a page") - used);
                pages_rows.last_mut().expect("a page").push((r, slice));
                left = left.saturating_sub(m.capacity(slice));
                pages_rows.push(Vec::new());
                rooms.push(avail - top_of(r, false).2);
                used = 0.0;
            }
            let last = crate::measure::to_px_pt(m.needed(left));
            pages_rows.last_mut().expect("a page").push((r, last));
            used += last;
        }
    }
    pages_rows.retain(|p| !p.is_empty());
    if pages_rows.is_empty() {
        pages_rows.push(Vec::new());
    }

    // Fragments, with each cell's lines flowing across its fragments.
    let mut cursor = vec![0usize; grid.cells.len()];
    // Cells in row order; `active` holds those that may reach the page.
    let body_cells: Vec<usize> = grid.body_cells().map(|(i, _)| i).collect();
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let pages = pages_rows
        .into_iter()
        .map(|list| {
            let rows = list.first().map_or(body.start..body.start, |(r, _)| {
                *r..list.last().map_or(*r, |(r, _)| r + 1)
            });
            let heights: Vec<f32> = list.iter().map(|(_, h)| *h).collect();
            let mut fragments = Vec::new();
            while next < body_cells.len() && grid.cells[body_cells[next]].row < rows.end {
                active.push(body_cells[next]);
                next += 1;
            }
            for &i in &active {
                let cell = &grid.cells[i];
                let cr = cell.row..cell.row + cell.rowspan;
                let fr = cr.start.max(rows.start)..cr.end.min(rows.end);
                if fr.is_empty() {
                    continue;
                }
                let total = m.cell_lines[i].len();
                let h: f32 = heights[fr.start - rows.start..fr.end - rows.start].iter().sum();
                let cell_h: f32 = m.row_heights[cr.clone()].iter().sum();
                let whole = fr == cr && (h - cell_h).abs() < 0.01;
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
                    continued: fr.start > cr.start
                        || (fr.start == rows.start && list_starts_inside(m, &rows, &heights)),
                });
            }
            // A cell ending in the last row stays: that row may continue on the next page.
            active.retain(|&i| grid.cells[i].row + grid.cells[i].rowspan >= rows.end);
            let (title, repeat, _) = top_of(rows.start.min(grid.rows.len().saturating_sub(1)), false);
            let repeat_fragments = repeat
                .iter()
                .flat_map(|&r| grid.cells.iter().enumerate().filter(move |(_, c)| c.row == r))
                .map(|(i, c)| whole(m, i, c))
                .collect();
            Page {
                rows,
                heights,
                fragments,
                title,
                repeat,
                repeat_fragments,
            }
        })
        .collect();
    let header = grid
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.row < grid.header_rows)
        .map(|(i, c)| whole(m, i, c))
        .collect();
    Paged { scale, pages, header }
}

/// A fragment showing all of cell `i` (header rows, repeated or not).
fn whole(m: &Measured, i: usize, c: &crate::table::Cell) -> Fragment {
    Fragment {
        cell: i,
        rows: c.row..c.row + c.rowspan,
        lines: 0..m.cell_lines[i].len(),
        valign: c.style.valign,
        continued: false,
    }
}
