//! Pages: body rows grouped into pages that fit the printable height at the
//! print scale, header rows repeated on every page, and merged cells cut
//! into per-page fragments.
//!
//! A merged cell that crosses a page break becomes one fragment per page,
//! each closed by its own border. Its lines flow from fragment to fragment,
//! so no text is lost; a label cell (`repeat`) is printed again, whole, at
//! the top of each continuation, as the official tables do: the first row
//! of a continuation is made as tall as the label's text needs.
//!
//! A layout whose pages cannot hold the header rows, a title or a single
//! line of text is an [`Unpageable`] error naming the field to change,
//! never an endless run of pages.

use crate::layout::{Layout, VAlign, mm_to_pt};
use crate::measure::Measured;
use crate::table::Grid;
use std::fmt;
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
    /// Fragments of the header cells, drawn on every page (or on the first
    /// only, when the grid's header rows do not repeat).
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
    /// Whether the page's first row continues a row cut at the end of the
    /// page before (a row taller than a page).
    pub starts_inside: bool,
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
    /// How many of the fragment's first lines an earlier fragment of the
    /// cell printed already (a label printed again at the top of a
    /// continuation page): page furniture, not more of the cell's text.
    /// All of them for a label printed again whole.
    pub repeated_lines: usize,
}

impl Fragment {
    /// Whether the fragment only prints again what an earlier fragment
    /// printed.
    pub fn repeated(&self) -> bool {
        !self.lines.is_empty() && self.repeated_lines >= self.lines.len()
    }
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

/// Why a grid cannot be paginated: something every page must hold is
/// taller than the room a page has for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unpageable {
    /// What does not fit, in words ("the header rows").
    pub what: String,
    /// Its height in the table's points.
    pub height_pt: f32,
    /// The room a page has for it in the table's points (the printable
    /// height divided by the print scale; the page's height for margins).
    pub room_pt: f32,
    /// The print scale the table is printed at.
    pub scale: f32,
    /// The layout field to change (`page.margins_mm`, `line_spacing`).
    pub field: &'static str,
}

impl fmt::Display for Unpageable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let height = format!("{:.1}", self.height_pt);
        let room = format!("{:.1}", self.room_pt);
        if self.scale != 1.0 {
            let scale = format!("{:.0}", self.scale * 100.0);
            let text = crate::lang::tr!(
                "{what} ({height} pt) cannot fit in the {room} pt a page has for it at the {scale} % print scale; change {field}",
                what = self.what,
                height = height,
                room = room,
                scale = scale,
                field = self.field
            );
            f.write_str(&text)
        } else {
            let text = crate::lang::tr!(
                "{what} ({height} pt) cannot fit in the {room} pt a page has for it; change {field}",
                what = self.what,
                height = height,
                room = room,
                field = self.field
            );
            f.write_str(&text)
        }
    }
}

impl std::error::Error for Unpageable {}

/// Paginates a measured grid: an error when a page cannot hold the header
/// rows, the title or a single line of text.
pub fn paginate(grid: &Grid, m: &Measured, layout: &Layout) -> Result<Paged, Unpageable> {
    let mut p = Paginator::new(grid, m, layout)?;
    for g in keep_groups(grid) {
        p.place_group(g)?;
    }
    Ok(p.into_paged())
}

/// The body rows in runs of rows with the same keep id.
fn keep_groups(grid: &Grid) -> Vec<Range<usize>> {
    let mut groups: Vec<Range<usize>> = Vec::new();
    for r in grid.header_rows..grid.rows.len() {
        match groups.last_mut() {
            Some(g) if grid.rows[g.start].keep == grid.rows[r].keep => g.end = r + 1,
            _ => groups.push(r..r + 1),
        }
    }
    groups
}

/// The layout field most likely to make a line (and so a header row) too
/// tall: margins that take most of the page, padding taller than a line,
/// a wide line spacing, else the font size.
fn line_field(layout: &Layout, m: &Measured) -> &'static str {
    let (_, page_h) = layout.page.size_pt();
    let margins = &layout.page.margins_mm;
    if mm_to_pt(margins.top + margins.bottom) * 2.0 > page_h {
        "page.margins_mm"
    } else if 2.0 * m.spacing.pad_y > m.line_pitch {
        "padding_mm"
    } else if m.spacing.line_spacing > 2.0 {
        "line_spacing"
    } else {
        "font.size"
    }
}

/// The rows of one page while pages are being filled.
#[derive(Debug, Clone, Default)]
struct PageRows {
    /// The body rows on the page, top to bottom (each row once), with the
    /// height each has on the page.
    rows: Vec<(usize, f32)>,
    /// The height the rows may fill: the available height less what the
    /// page prints above them.
    room: f32,
    /// Whether the first row continues a row cut on the page before.
    starts_inside: bool,
    /// The height added to the first row so that every label continuing on
    /// the page shows its whole text again (see [`Paginator::boost`]).
    boost: f32,
}

/// What a page prints above its body rows.
#[derive(Debug, Clone, Copy)]
struct Top {
    /// The running title (index into the grid's titles).
    title: Option<usize>,
    /// The table header row printed again above a continued table.
    repeat: Option<usize>,
    /// The height of the title (or the first page's title) and the
    /// repeated row.
    height: f32,
}

/// A label cell (printed again on continued pages) whose first part must
/// show its whole text, and each continuation too.
#[derive(Debug, Clone, Copy)]
struct Label {
    /// Its first row.
    start: usize,
    /// The row after its last.
    end: usize,
    /// The height its whole text needs, padding included.
    need: f32,
    /// The height its text printed again on a continuation needs (with its
    /// repeat marks, which may add a line), in whole pixels.
    again: f32,
}

/// Fills pages with body rows, one keep group at a time.
#[derive(Debug)]
struct Paginator<'a> {
    /// The grid being paginated.
    grid: &'a Grid,
    /// Its line breaks and row heights.
    m: &'a Measured,
    /// The print scale (1.0 = 100 %).
    scale: f32,
    /// The height of a page left for titles, repeated table headers and
    /// body rows, in the table's points: the printable height at the print
    /// scale less the header rows (when they repeat) and [`SLACK_PT`].
    avail: f32,
    /// The height of the first page's title (single-table layouts), 0 when
    /// there is none, with the header rows when they print on the first
    /// page only.
    title_h: f32,
    /// The label cells spanning several rows, by first row.
    labels: Vec<Label>,
    /// For each row, the labels (indices into `labels`) whose rows hold it.
    covering: Vec<Vec<usize>>,
    /// The most lines of a single-row cell in each row, for cutting rows
    /// taller than a page.
    row_lines: Vec<usize>,
    /// For each row of a document's table, its table's header row, printed
    /// again above the row on a new page.
    table_header: Vec<Option<usize>>,
    /// The layout field a message names when a line does not fit.
    line_field: &'static str,
    /// The pages filled so far.
    done: Vec<PageRows>,
    /// The page being filled; it always exists, and may be empty.
    current: PageRows,
    /// The height of the current page's rows, without its boost.
    used: f32,
}

impl<'a> Paginator<'a> {
    /// A paginator with one empty page, or an error when the margins leave
    /// no room, or the header rows, a title or a single line of text does
    /// not fit on a page.
    fn new(grid: &'a Grid, m: &'a Measured, layout: &Layout) -> Result<Self, Unpageable> {
        let scale = scale_for(grid, layout);
        let (_, ph) = printable(layout);
        let header_h: f32 = m.row_heights[..grid.header_rows].iter().sum();
        // Header rows printed on every page take room from every page; a
        // header printed once takes it from the first page, as its title.
        let once = if grid.header_repeat { 0.0 } else { header_h };
        let avail = ph / scale - header_h + once - SLACK_PT;
        let title_h = grid.title.as_ref().map_or(0.0, |t| t.height_pt) + once;
        let line = m.needed(1);
        let line_field = line_field(layout, m);
        let error = |what: String, height_pt: f32, room_pt: f32, field| Unpageable {
            what: what.clone(),
            height_pt,
            room_pt,
            scale,
            field,
        };
        let page = ph / scale - SLACK_PT;
        if ph.is_nan() || ph <= 0.0 {
            let (_, page_h) = layout.page.size_pt();
            let mg = &layout.page.margins_mm;
            return Err(Unpageable {
                scale: 1.0,
                ..error(
                    crate::lang::tr!("the top and bottom margins"),
                    mm_to_pt(mg.top + mg.bottom),
                    page_h,
                    "page.margins_mm",
                )
            });
        }
        if header_h > page {
            return Err(error(crate::lang::tr!("the header rows"), header_h, page, line_field));
        }
        if line > page {
            return Err(error(
                crate::lang::tr!("one line of text with its cell padding"),
                line,
                page,
                line_field,
            ));
        }
        if line > avail {
            return Err(error(
                crate::lang::tr!("the header rows and one line of text below them"),
                header_h + line,
                page,
                line_field,
            ));
        }
        let used_titles = grid.rows[grid.header_rows.min(grid.rows.len())..]
            .iter()
            .filter_map(|r| r.title)
            .collect::<std::collections::BTreeSet<_>>();
        let titles = grid
            .title
            .iter()
            .chain(used_titles.iter().filter_map(|&t| grid.titles.get(t)));
        for t in titles {
            if t.height_pt + line > avail {
                return Err(error(
                    crate::lang::tr!("the title and one line of text below it"),
                    t.height_pt + line,
                    avail,
                    "title.height_mm",
                ));
            }
        }

        let labels: Vec<Label> = grid
            .body_cells()
            .filter(|(_, c)| c.repeat && c.rowspan > 1)
            .map(|(i, c)| {
                let lines = m.cell_lines[i].len();
                let marked = m.marked.get(&i).map_or(0, Vec::len);
                Label {
                    start: c.row,
                    end: c.row + c.rowspan,
                    need: m.needed(lines),
                    again: crate::measure::to_px_pt(m.needed(lines.max(marked))),
                }
            })
            .collect();
        let mut covering = vec![Vec::new(); grid.rows.len()];
        for (k, l) in labels.iter().enumerate() {
            for rows in &mut covering[l.start..l.end] {
                rows.push(k);
            }
        }
        let mut row_lines = vec![0usize; grid.rows.len()];
        for (i, c) in grid.body_cells().filter(|(_, c)| c.rowspan == 1) {
            row_lines[c.row] = row_lines[c.row].max(m.cell_lines[i].len());
        }
        let mut last_header = std::collections::BTreeMap::new();
        let mut table_header = Vec::with_capacity(grid.rows.len());
        for (r, info) in grid.rows.iter().enumerate() {
            table_header.push(match info.table {
                Some(t) if !info.table_header && grid.header_repeat => last_header.get(&t).copied(),
                _ => None,
            });
            if let Some(t) = info.table
                && info.table_header
            {
                last_header.insert(t, r);
            }
        }
        Ok(Paginator {
            grid,
            m,
            scale,
            avail,
            title_h,
            labels,
            covering,
            row_lines,
            table_header,
            line_field,
            done: Vec::new(),
            current: PageRows {
                rows: Vec::new(),
                room: avail,
                starts_inside: false,
                boost: 0.0,
            },
            used: 0.0,
        })
    }

    /// What a page starting with row `r` prints above its rows: the title
    /// (the first page's of a single table, or the running title of the
    /// row's document part) and, where a table continues, its header row.
    fn top_of(&self, r: usize, first_page: bool) -> Top {
        let info = &self.grid.rows[r];
        let (title, mut height) = match info.title {
            Some(t) => (Some(t), self.grid.titles[t].height_pt),
            None if first_page => (None, self.title_h),
            None => (None, 0.0),
        };
        let repeat = self.table_header[r];
        if let Some(k) = repeat {
            height += self.m.row_heights[k];
        }
        Top { title, repeat, height }
    }

    /// The room for body rows on a page (not the first) starting with row `r`.
    fn room_from(&self, r: usize) -> f32 {
        self.avail - self.top_of(r, false).height
    }

    /// Where the full current page should end when row `next` does not fit:
    /// before `next`, or earlier so that a label cell starting on the page
    /// keeps room for its whole text and a keep-with-next heading is not
    /// left at the bottom. The page keeps at least its first row.
    fn page_end(&self, next: usize) -> usize {
        let page = &self.current.rows;
        let Some(&(first, _)) = page.first() else {
            return next;
        };
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
            let from = self.labels.partition_point(|l| l.start <= first);
            let to = self.labels.partition_point(|l| l.start < cut);
            let earlier = self.labels[from..to.max(from)]
                .iter()
                .filter(|l| l.end > cut && height_above(l.start) < l.need)
                .map(|l| l.start)
                .min();
            let heading = cut > first + 1 && self.grid.rows[cut - 1].keep_with_next;
            // Each step moves `cut` up but never to `first`: the loop ends.
            match earlier {
                Some(s) => cut = s,
                None if heading => cut -= 1,
                None => break,
            }
        }
        cut
    }

    /// Starts a new page before row `next`. Rows at the end of the full
    /// page that would leave a label cell too short to show its text, or a
    /// heading without what follows it, move along to the new page. On an
    /// empty page nothing changes.
    fn new_page(&mut self, next: usize) {
        if self.current.rows.is_empty() {
            self.settle();
            return;
        }
        let cut = self.page_end(next);
        let at = self.current.rows.partition_point(|(r, _)| *r < cut);
        let moved = self.current.rows.split_off(at);
        let first_row = moved.first().map_or(next, |(r, _)| *r);
        let room = self.room_from(first_row);
        let fresh = PageRows {
            rows: moved,
            room,
            starts_inside: false,
            boost: 0.0,
        };
        let mut full = std::mem::replace(&mut self.current, fresh);
        // Rows left the full page: its continuing labels may need more again.
        full.boost = self.capped_boost(&full);
        self.done.push(full);
        self.settle();
    }

    /// The extra height the first row of a page holding `rows` needs so
    /// that every label continuing on the page has room for its whole
    /// text: the most any such label lacks, in whole pixels. A label
    /// continues on the page when its rows hold the first row and began on
    /// an earlier page (or the first row itself continues from one).
    fn boost(&self, rows: &[(usize, f32)], starts_inside: bool) -> f32 {
        let Some(&(first, _)) = rows.first() else {
            return 0.0;
        };
        self.covering[first]
            .iter()
            .map(|&k| &self.labels[k])
            .filter(|l| l.start < first || starts_inside)
            .map(|l| {
                let have: f32 = rows.iter().take_while(|(r, _)| *r < l.end).map(|(_, h)| h).sum();
                l.again - have
            })
            .fold(0.0f32, f32::max)
    }

    /// The boost of a page, no more than its room leaves (a label taller
    /// than a page continues as far as the page goes).
    fn capped_boost(&self, page: &PageRows) -> f32 {
        let used: f32 = page.rows.iter().map(|(_, h)| h).sum();
        let left = ((page.room - used) / 0.75 + 1e-3).floor() * 0.75;
        self.boost(&page.rows, page.starts_inside).min(left).max(0.0)
    }

    /// Recomputes the current page's height and boost after its rows changed.
    fn settle(&mut self) {
        self.used = self.current.rows.iter().map(|(_, h)| h).sum();
        self.current.boost = self.capped_boost(&self.current);
    }

    /// The height of the current page's rows with its boost.
    fn filled(&self) -> f32 {
        self.used + self.current.boost
    }

    /// Whether rows `more` (at the heights given) fit on the current page
    /// after its rows, with room for the labels continuing on it. An empty
    /// page takes rows that fit in its room, whatever its labels lack.
    fn fits(&self, more: &[(usize, f32)]) -> bool {
        let added: f32 = more.iter().map(|(_, h)| h).sum();
        if self.current.rows.is_empty() {
            return added <= self.current.room;
        }
        let mut rows = self.current.rows.clone();
        rows.extend_from_slice(more);
        let boost = self.boost(&rows, self.current.starts_inside).max(0.0);
        self.used + added + boost <= self.current.room
    }

    /// Places a keep group: on the current page, or on a new one when it
    /// does not fit there but fits on a page of its own.
    fn place_group(&mut self, g: Range<usize>) -> Result<(), Unpageable> {
        if self.grid.rows[g.start].break_before {
            self.new_page(g.start);
        }
        if self.current.rows.is_empty() {
            let first_page = self.done.is_empty();
            self.current.room = self.avail - self.top_of(g.start, first_page).height;
        }
        let group: Vec<(usize, f32)> = g.clone().map(|r| (r, self.m.row_heights[r])).collect();
        let gh: f32 = group.iter().map(|(_, h)| h).sum();
        // On a new page the group's continuing labels need their room too.
        let on_new = gh + self.boost(&group, false).max(0.0);
        if !self.current.rows.is_empty() && !self.fits(&group) && on_new <= self.room_from(g.start) {
            self.new_page(g.start);
        }
        for r in g {
            self.place_row(r)?;
        }
        Ok(())
    }

    /// Places row `r` on the current page, or on a new one, or cuts it
    /// into slices when it is taller than the room left.
    fn place_row(&mut self, r: usize) -> Result<(), Unpageable> {
        let h = self.m.row_heights[r];
        if !self.fits(&[(r, h)]) {
            self.new_page(r);
        }
        if self.fits(&[(r, h)]) {
            self.current.rows.push((r, h));
            self.settle();
            return Ok(());
        }
        self.cut_row(r)
    }

    /// The error for a row `r` whose page cannot hold one line of text below
    /// what it prints above the rows.
    fn no_line_fits(&self, r: usize) -> Unpageable {
        Unpageable {
            what: crate::lang::tr!("the title, the table's repeated header row and one line of text"),
            height_pt: self.top_of(r, false).height + self.m.needed(1),
            room_pt: self.avail,
            scale: self.scale,
            field: self.line_field,
        }
    }

    /// Cuts a row taller than the room left into page-high slices at whole
    /// lines (each stacked like a row taller than a sheet row); the last
    /// slice holds the lines left. An error when a page cannot hold one
    /// line of it, which would otherwise add pages forever.
    fn cut_row(&mut self, r: usize) -> Result<(), Unpageable> {
        let m = self.m;
        let mut left = self.row_lines[r];
        let fresh = self.room_from(r);
        let short = |p: &Self, left: usize| m.stacked_capacity(p.current.room - p.filled()) < left;
        if short(self, left) && m.needed(1) > fresh {
            return Err(self.no_line_fits(r));
        }
        let mut on_fresh_page = false;
        while short(self, left) {
            let slice = m.stacked_fit(self.current.room - self.filled());
            let took = m.stacked_capacity(slice);
            if took == 0 && on_fresh_page {
                // Every further page would be the same: a line pitch too
                // small for whole pixels never takes a line.
                return Err(Unpageable {
                    what: crate::lang::tr!(
                        "one line of text at a line pitch of {pitch} pt, too small to cut a row at whole lines,",
                        pitch = format!("{:.2}", m.line_pitch)
                    ),
                    height_pt: m.needed(1),
                    room_pt: fresh,
                    scale: self.scale,
                    field: "line_spacing",
                });
            }
            self.current.rows.push((r, slice));
            self.settle();
            left = left.saturating_sub(took);
            let full = std::mem::replace(
                &mut self.current,
                PageRows {
                    rows: Vec::new(),
                    room: fresh,
                    starts_inside: true,
                    boost: 0.0,
                },
            );
            self.done.push(full);
            self.used = 0.0;
            on_fresh_page = true;
        }
        let last = m.stacked_height(left);
        self.current.rows.push((r, last));
        self.settle();
        Ok(())
    }

    /// The pages with their fragments and the header's fragments.
    fn into_paged(mut self) -> Paged {
        let grid = self.grid;
        let m = self.m;
        let mut lists = std::mem::take(&mut self.done);
        lists.push(std::mem::take(&mut self.current));
        lists.retain(|p| !p.rows.is_empty());
        if lists.is_empty() {
            lists.push(PageRows::default());
        }
        let mut flow = Flow {
            grid,
            m,
            body_cells: grid.body_cells().map(|(i, _)| i).collect(),
            next: 0,
            active: Vec::new(),
            cursor: vec![0; grid.cells.len()],
        };
        let body_start = grid.header_rows;
        let pages = lists
            .into_iter()
            .map(|list| {
                let rows = match (list.rows.first(), list.rows.last()) {
                    (Some(&(first, _)), Some(&(last, _))) => first..last + 1,
                    _ => body_start..body_start,
                };
                let mut heights: Vec<f32> = list.rows.iter().map(|(_, h)| *h).collect();
                if let Some(h) = heights.first_mut() {
                    *h += list.boost;
                }
                let fragments = flow.fragments(&rows, &heights, list.starts_inside);
                let top = match grid.rows.len() {
                    0 => Top {
                        title: None,
                        repeat: None,
                        height: 0.0,
                    },
                    n => self.top_of(rows.start.min(n - 1), false),
                };
                let repeat: Vec<usize> = top.repeat.into_iter().collect();
                let repeat_fragments = repeat
                    .iter()
                    .flat_map(|&r| grid.cells.iter().enumerate().filter(move |(_, c)| c.row == r))
                    .map(|(i, c)| whole(m, i, c))
                    .collect();
                Page {
                    rows,
                    heights,
                    fragments,
                    title: top.title,
                    repeat,
                    repeat_fragments,
                    starts_inside: list.starts_inside,
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
        Paged {
            scale: self.scale,
            pages,
            header,
        }
    }
}

/// Cells' lines flowing from page to page while fragments are built.
#[derive(Debug)]
struct Flow<'a> {
    /// The grid.
    grid: &'a Grid,
    /// Its line breaks and row heights.
    m: &'a Measured,
    /// The body cells, in row order.
    body_cells: Vec<usize>,
    /// How many of `body_cells` have been taken into `active`.
    next: usize,
    /// The cells that may reach the page being built.
    active: Vec<usize>,
    /// For every cell, its first line not yet drawn.
    cursor: Vec<usize>,
}

impl Flow<'_> {
    /// The fragments of a page holding body rows `rows` at `heights`, each
    /// cell's lines following on from its fragment on the page before
    /// (`starts_inside`: the first row continues from that page). A label
    /// continuing on the page is printed again whole when it has the room.
    fn fragments(&mut self, rows: &Range<usize>, heights: &[f32], starts_inside: bool) -> Vec<Fragment> {
        let (grid, m) = (self.grid, self.m);
        let mut fragments = Vec::new();
        while self.next < self.body_cells.len() && grid.cells[self.body_cells[self.next]].row < rows.end {
            self.active.push(self.body_cells[self.next]);
            self.next += 1;
        }
        for &i in &self.active {
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
            // A single row taller than a sheet row holds its parts' lines.
            let cap = if fr.len() == 1 {
                m.stacked_capacity(h)
            } else {
                m.capacity(h)
            };
            let continued = fr.start > cr.start || (fr.start == rows.start && starts_inside);
            let cursor = &mut self.cursor[i];
            // Lines of this cell drawn on an earlier page.
            let before = *cursor;
            let lines = if cell.repeat && continued && cap >= total {
                *cursor = total;
                0..total
            } else if *cursor < total {
                let from = *cursor;
                let to = if whole { total } else { (from + cap).min(total) };
                *cursor = to;
                from..to
            } else if cell.repeat {
                0..cap.min(total)
            } else {
                total..total
            };
            let fits = lines.start == 0 && lines.end == total;
            // How many of the fragment's first lines are printed again.
            let repeated_lines = if cell.repeat {
                before.min(lines.end).saturating_sub(lines.start)
            } else {
                0
            };
            fragments.push(Fragment {
                cell: i,
                rows: fr.clone(),
                valign: if fits { cell.style.valign } else { VAlign::Top },
                lines,
                continued,
                repeated_lines,
            });
        }
        // A cell ending in the last row stays: that row may continue on the next page.
        self.active
            .retain(|&i| grid.cells[i].row + grid.cells[i].rowspan >= rows.end);
        fragments
    }
}

/// A fragment showing all of cell `i` (header rows, repeated or not).
fn whole(m: &Measured, i: usize, c: &crate::table::Cell) -> Fragment {
    Fragment {
        cell: i,
        rows: c.row..c.row + c.rowspan,
        lines: 0..m.cell_lines[i].len(),
        valign: c.style.valign,
        continued: false,
        repeated_lines: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::HAlign;
    use crate::measure::{LaidLine, Spacing, to_px_pt};
    use crate::table::{Cell, CellStyle, Column, Line, RowInfo, Title};
    use std::sync::mpsc;
    use std::time::Duration;

    /// An A4 portrait layout with 10 mm margins: 785.2 pt printable.
    fn layout_with(margins_mm: f32) -> Layout {
        let json = format!(
            r#"{{
                "name": "test", "description": "test", "shape": "progress-survey",
                "page": {{ "size": "A4", "margins_mm": {{ "top": {margins_mm}, "bottom": {margins_mm}, "left": 10, "right": 10 }} }},
                "font": {{ "family": "BIZ UDGothic", "size": 10 }},
                "body": {{ "groups": [ {{ "each": "goals", "as": "goal" }} ] }},
                "columns": [ {{ "id": "name", "header": "名称", "width_mm": 50, "content": {{ "text": ["{{goal.name}}"] }} }} ]
            }}"#
        );
        crate::layout::parse(std::path::Path::new("test.json"), &json)
            .unwrap_or_else(|e| panic!("{e}"))
            .layout
    }

    fn layout() -> Layout {
        layout_with(10.0)
    }

    /// A grid being built by hand: two columns, cells with a number of
    /// lines each, row heights measured the way `measure` does.
    struct Table {
        rows: Vec<RowInfo>,
        header_rows: usize,
        header_repeat: bool,
        /// (cell, its number of lines)
        cells: Vec<(Cell, usize)>,
        title: Option<Title>,
        titles: Vec<Title>,
        spacing: Spacing,
    }

    fn cell(row: usize, col: usize, rowspan: usize) -> Cell {
        Cell {
            row,
            col,
            rowspan,
            colspan: 1,
            lines: vec![Line::text("x")],
            style: CellStyle {
                bold: false,
                align: HAlign::Left,
                valign: VAlign::Center,
                fill: None,
                size: None,
            },
            repeat: false,
            border: true,
            source: None,
            marks: None,
            figure: None,
        }
    }

    fn title(height_pt: f32) -> Title {
        Title {
            left: "t".into(),
            right: String::new(),
            size: 12.0,
            bold: false,
            height_pt,
            heads: true,
        }
    }

    impl Table {
        /// A table whose one header row has two one-line cells, at 10 pt
        /// type, 1.25 line spacing and 0.8 mm padding (a line is 17.25 pt).
        fn new() -> Table {
            let mut t = Table {
                rows: Vec::new(),
                header_rows: 1,
                header_repeat: true,
                cells: Vec::new(),
                title: None,
                titles: Vec::new(),
                spacing: Spacing {
                    pad_x: mm_to_pt(1.2),
                    pad_y: mm_to_pt(0.8),
                    line_spacing: 1.25,
                },
            };
            t.rows.push(RowInfo::default());
            t.cells.push((cell(0, 0, 1), 1));
            t.cells.push((cell(0, 1, 1), 1));
            t
        }

        /// Adds a body row with its own keep group and a cell of `lines`
        /// lines in column 1 (and a one-line cell in column 0 unless
        /// `covered`); returns its index.
        fn row_with(&mut self, info: RowInfo, lines: usize, covered: bool) -> usize {
            let r = self.rows.len();
            self.rows.push(RowInfo { keep: r, ..info });
            if !covered {
                self.cells.push((cell(r, 0, 1), 1));
            }
            self.cells.push((cell(r, 1, 1), lines));
            r
        }

        fn row(&mut self, lines: usize) -> usize {
            self.row_with(RowInfo::default(), lines, false)
        }

        fn rows(&mut self, n: usize) {
            for _ in 0..n {
                self.row(1);
            }
        }

        /// Adds a column-0 cell over rows `start..start + rowspan` (whose
        /// rows are added with `row_with(.., covered = true)`).
        fn span(&mut self, start: usize, rowspan: usize, lines: usize, repeat: bool) {
            self.cells.push((
                Cell {
                    repeat,
                    ..cell(start, 0, rowspan)
                },
                lines,
            ));
        }

        fn build(mut self) -> (Grid, Measured) {
            self.cells.sort_by_key(|(c, _)| (c.row, c.col));
            let font_size = 10.0;
            let mut m = Measured {
                row_heights: Vec::new(),
                cell_lines: self
                    .cells
                    .iter()
                    .map(|(_, n)| {
                        (0..*n)
                            .map(|i| LaidLine {
                                text: format!("line {i}"),
                                width: 10.0,
                                para_end: true,
                                indent: 0.0,
                            })
                            .collect()
                    })
                    .collect(),
                line_pitch: font_size * self.spacing.line_spacing,
                spacing: self.spacing,
                font_size,
                marked: Default::default(),
            };
            let one_line = to_px_pt(m.needed(1));
            m.row_heights = vec![one_line; self.rows.len()];
            for (c, n) in &self.cells {
                if c.rowspan == 1 {
                    let need = to_px_pt(m.needed(*n));
                    m.row_heights[c.row] = m.row_heights[c.row].max(need);
                }
            }
            for (c, n) in &self.cells {
                let span = c.row..c.row + c.rowspan;
                let have: f32 = m.row_heights[span.clone()].iter().sum();
                if c.rowspan > 1 && m.needed(*n) > have + 1e-3 {
                    let extra = to_px_pt((m.needed(*n) - have) / c.rowspan as f32);
                    m.row_heights[span].iter_mut().for_each(|h| *h += extra);
                }
            }
            let grid = Grid {
                columns: vec![
                    Column {
                        id: "a".into(),
                        width_px: 200,
                        year: None,
                    },
                    Column {
                        id: "b".into(),
                        width_px: 400,
                        year: None,
                    },
                ],
                header_rows: self.header_rows,
                header_repeat: self.header_repeat,
                rows: self.rows,
                cells: self.cells.into_iter().map(|(c, _)| c).collect(),
                title: self.title,
                titles: self.titles,
                footer: [None, None, None],
                footer_size: 9.0,
                footer_first_page_only: false,
                font_size,
                hanging: None,
            };
            (grid, m)
        }
    }

    /// Paginates on another thread, failing instead of hanging.
    fn paginate_soon(grid: Grid, m: Measured, layout: Layout) -> Result<Paged, Unpageable> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(paginate(&grid, &m, &layout));
        });
        rx.recv_timeout(Duration::from_secs(10))
            .expect("paginate returns within 10 s")
    }

    fn page_of(p: &Paged, row: usize) -> Vec<usize> {
        (0..p.pages.len()).filter(|&i| p.pages[i].rows.contains(&row)).collect()
    }

    fn fragments_of(p: &Paged, cell: usize) -> Vec<(usize, &Fragment)> {
        p.pages
            .iter()
            .enumerate()
            .flat_map(|(i, page)| {
                page.fragments
                    .iter()
                    .filter(move |f| f.cell == cell)
                    .map(move |f| (i, f))
            })
            .collect()
    }

    /// The index of the cell at `row`, `col`.
    fn cell_at(grid: &Grid, row: usize, col: usize) -> usize {
        grid.cells.iter().position(|c| c.row == row && c.col == col).unwrap()
    }

    #[test]
    fn the_sample_page_holds_44_one_line_rows() {
        // The other tests count on this: (785.2 - 17.25 - 6) / 17.25.
        let mut t = Table::new();
        t.rows(100);
        let (grid, m) = t.build();
        assert_eq!(m.row_heights[1], 17.25);
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.scale, 1.0);
        assert_eq!(p.pages[0].rows, 1..45);
        assert_eq!(p.pages[1].rows, 45..89);
        assert_eq!(p.pages[2].rows, 89..101);
    }

    #[test]
    fn a_label_cell_is_whole_on_its_first_page_and_repeated_on_the_next() {
        let mut t = Table::new();
        t.rows(40);
        // A six-line label over 60 rows from row 41: 4 rows (69 pt) would be
        // left on the first page, too short for its 79.5 pt of text.
        let start = t.rows.len();
        for _ in 0..60 {
            t.row_with(RowInfo::default(), 1, true);
        }
        t.span(start, 60, 6, true);
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.pages[0].rows, 1..start, "the break moves back to the label");
        let label = cell_at(&grid, start, 0);
        let frags = fragments_of(&p, label);
        assert_eq!(frags.len(), 2, "{frags:?}");
        let (first_page, first) = frags[0];
        assert_eq!(first_page, 1);
        assert_eq!(first.lines, 0..6, "the first part shows the whole text");
        assert!(!first.continued);
        assert!(!first.repeated(), "the first part is the text itself");
        let (next_page, next) = frags[1];
        assert_eq!(next_page, 2);
        assert!(next.continued, "{next:?}");
        assert_eq!(next.rows.start, p.pages[2].rows.start);
        assert_eq!(next.lines, 0..6, "printed again from its first line");
        assert!(next.repeated(), "the second part is a copy: {next:?}");
    }

    #[test]
    fn a_continued_label_gets_the_room_for_its_whole_text() {
        let mut t = Table::new();
        t.rows(30);
        // A six-line label over rows 31–45: whole on the first page, which
        // ends after row 44, and continued by its last row alone.
        let start = t.rows.len();
        for _ in 0..15 {
            t.row_with(RowInfo::default(), 1, true);
        }
        t.span(start, 15, 6, true);
        t.rows(30);
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.pages[0].rows, 1..45);
        let label = cell_at(&grid, start, 0);
        let frags = fragments_of(&p, label);
        assert_eq!(frags.len(), 2, "{frags:?}");
        let (page, next) = frags[1];
        assert_eq!((page, next.rows.clone()), (1, 45..46));
        assert!(next.continued);
        assert_eq!(next.lines, 0..6, "printed again whole");
        // Its one row is as tall as six lines (79.5 pt), not one (17.25 pt);
        // the row's own cells are not marked as continued.
        assert_eq!(p.pages[1].heights[0], to_px_pt(m.needed(6)));
        assert!(!p.pages[1].starts_inside);
        let own = cell_at(&grid, 45, 1);
        assert!(
            fragments_of(&p, own)
                .iter()
                .all(|(_, f)| !f.continued && f.lines == (0..1))
        );
        // The pages still fit.
        for page in &p.pages {
            assert!(page.heights.iter().sum::<f32>() <= 785.2 - 17.25 - SLACK_PT);
        }
    }

    #[test]
    fn a_continued_label_with_marks_gets_the_room_for_its_marked_lines() {
        let mut t = Table::new();
        t.rows(30);
        let start = t.rows.len();
        for _ in 0..15 {
            t.row_with(RowInfo::default(), 1, true);
        }
        t.span(start, 15, 6, true);
        t.rows(30);
        let (grid, mut m) = t.build();
        let label = cell_at(&grid, start, 0);
        // The marks wrap onto a seventh line where the label is printed again.
        let marked: Vec<LaidLine> = (0..7)
            .map(|i| LaidLine {
                text: format!("marked {i}"),
                width: 10.0,
                para_end: true,
                indent: 0.0,
            })
            .collect();
        m.marked.insert(label, marked);
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.pages[1].heights[0], to_px_pt(m.needed(7)));
    }

    #[test]
    fn a_row_taller_than_a_page_is_cut_at_whole_lines_and_keeps_every_line() {
        let mut t = Table::new();
        t.rows(10);
        let tall = t.row(200);
        t.rows(10);
        let (grid, m) = t.build();
        assert!(m.row_heights[tall] > 2.0 * 785.0);
        let p = paginate(&grid, &m, &layout()).unwrap();
        let pages = page_of(&p, tall);
        assert!(pages.len() >= 3, "{pages:?}");
        assert!(pages.windows(2).all(|w| w[1] == w[0] + 1));
        let slices: Vec<f32> = pages
            .iter()
            .map(|&i| p.pages[i].heights[tall - p.pages[i].rows.start])
            .collect();
        let capacity: usize = slices.iter().map(|&h| m.capacity(h)).sum();
        assert!(capacity >= 200, "{slices:?} hold {capacity} lines");
        for &i in &pages {
            let page = &p.pages[i];
            let h: f32 = page.heights.iter().sum();
            assert!(h <= 785.2 - 17.25 - SLACK_PT, "page {i} is {h} pt");
        }
        // The cell's lines flow from slice to slice, none lost or repeated.
        let text = cell_at(&grid, tall, 1);
        let mut next = 0;
        for (i, f) in fragments_of(&p, text) {
            assert_eq!(f.lines.start, next, "page {i}");
            assert!(f.lines.len() <= m.capacity(p.pages[i].heights[tall - p.pages[i].rows.start]));
            next = f.lines.end;
        }
        assert_eq!(next, 200);
    }

    #[test]
    fn rows_of_one_keep_group_that_fit_on_a_page_stay_together() {
        let mut t = Table::new();
        t.rows(40);
        let first = t.rows.len();
        for _ in 0..6 {
            let r = t.row(1);
            t.rows[r].keep = first;
        }
        t.rows(10);
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        let pages: Vec<Vec<usize>> = (first..first + 6).map(|r| page_of(&p, r)).collect();
        assert!(pages.iter().all(|ps| *ps == vec![1]), "{pages:?}");
        assert_eq!(p.pages[0].rows, 1..first);
    }

    #[test]
    fn a_keep_with_next_heading_is_never_the_last_row_of_a_page() {
        let mut t = Table::new();
        t.rows(42);
        // Rows 43 and 44 are headings: the page would end after 44.
        let h1 = t.row_with(
            RowInfo {
                keep_with_next: true,
                ..Default::default()
            },
            1,
            false,
        );
        let h2 = t.row_with(
            RowInfo {
                keep_with_next: true,
                ..Default::default()
            },
            1,
            false,
        );
        t.rows(20);
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.pages[0].rows, 1..h1);
        assert_eq!(p.pages[1].rows.start, h1);
        assert!(page_of(&p, h2) == vec![1]);
        for page in &p.pages[..p.pages.len() - 1] {
            assert!(!grid.rows[page.rows.end - 1].keep_with_next, "{:?}", page.rows);
        }
    }

    #[test]
    fn header_rows_are_fragments_of_paged_header_only() {
        let mut t = Table::new();
        t.rows(100);
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        let header: Vec<usize> = p.header.iter().map(|f| f.cell).collect();
        assert_eq!(header, [0, 1]);
        assert!(
            p.header
                .iter()
                .all(|f| f.rows == (0..1) && f.lines == (0..1) && !f.continued)
        );
        for page in &p.pages {
            assert!(
                page.fragments
                    .iter()
                    .all(|f| grid.cells[f.cell].row >= grid.header_rows)
            );
            assert!(page.repeat.is_empty() && page.repeat_fragments.is_empty());
        }
    }

    #[test]
    fn a_header_taller_than_the_page_is_an_error() {
        let mut t = Table::new();
        t.cells[1].1 = 100; // 1254.5 pt
        t.rows(5);
        let (grid, m) = t.build();
        let e = paginate_soon(grid, m, layout()).unwrap_err();
        assert_eq!(e.field, "font.size");
        assert!(e.height_pt > e.room_pt);
        let msg = e.to_string();
        assert!(
            msg.starts_with("the header rows (1254.8 pt) cannot fit in the 779.2 pt"),
            "{msg}"
        );
        assert!(msg.ends_with("change font.size"), "{msg}");
    }

    #[test]
    fn a_line_taller_than_the_page_is_an_error() {
        let mut t = Table::new();
        t.header_rows = 0;
        t.rows.clear();
        t.cells.clear();
        t.spacing.line_spacing = 90.0; // a 900 pt line
        t.rows(3);
        let (grid, m) = t.build();
        let e = paginate_soon(grid, m, layout()).unwrap_err();
        assert_eq!(e.field, "line_spacing");
        assert!(
            e.to_string()
                .starts_with("one line of text with its cell padding (904.5 pt)"),
            "{e}"
        );
    }

    #[test]
    fn margins_larger_than_the_page_are_an_error() {
        let mut t = Table::new();
        t.rows(3);
        let (grid, m) = t.build();
        // The layout check refuses such margins first; paginate holds too.
        let mut l = layout();
        l.page.margins_mm.top = 150.0;
        l.page.margins_mm.bottom = 150.0;
        let e = paginate_soon(grid, m, l).unwrap_err();
        assert_eq!(e.field, "page.margins_mm");
        assert!(e.to_string().contains("the top and bottom margins (850.4 pt)"), "{e}");
    }

    #[test]
    fn a_title_leaving_no_room_for_a_line_is_an_error() {
        let mut t = Table::new();
        t.title = Some(title(750.0));
        t.rows(3);
        let (grid, m) = t.build();
        let e = paginate_soon(grid, m, layout()).unwrap_err();
        assert_eq!(e.field, "title.height_mm");

        // A running title is checked too; one that leaves a line is fine.
        let mut t = Table::new();
        t.titles = vec![title(740.0), title(760.0)];
        for r in [t.row(1), t.row(1)] {
            t.rows[r].title = Some(0);
        }
        let (grid, m) = t.build();
        assert!(
            paginate(&grid, &m, &layout()).is_ok(),
            "the unused title is not checked"
        );
        let mut grid = grid;
        grid.rows[2].title = Some(1);
        assert_eq!(paginate_soon(grid, m, layout()).unwrap_err().field, "title.height_mm");
    }

    #[test]
    fn a_repeated_table_header_leaving_no_room_for_a_line_is_an_error() {
        // A document table whose header row (755.25 pt) fits with a line
        // below it on a page, but its repeat above a continued part leaves
        // too little room for the row that continues it.
        let mut t = Table::new();
        let head = t.row_with(
            RowInfo {
                table: Some(0),
                table_header: true,
                ..Default::default()
            },
            60,
            false,
        );
        for _ in 0..3 {
            t.row_with(
                RowInfo {
                    table: Some(0),
                    ..Default::default()
                },
                1,
                false,
            );
        }
        let (grid, m) = t.build();
        assert_eq!(m.row_heights[head], 755.25);
        let e = paginate_soon(grid, m, layout()).unwrap_err();
        assert!(e.what.contains("repeated header row"), "{e}");
    }

    #[test]
    fn a_continued_document_table_repeats_its_header_row() {
        let mut t = Table::new();
        let head = t.row_with(
            RowInfo {
                table: Some(0),
                table_header: true,
                ..Default::default()
            },
            1,
            false,
        );
        for _ in 0..60 {
            t.row_with(
                RowInfo {
                    table: Some(0),
                    ..Default::default()
                },
                1,
                false,
            );
        }
        let (grid, m) = t.build();
        let p = paginate(&grid, &m, &layout()).unwrap();
        assert_eq!(p.pages.len(), 2);
        assert!(p.pages[0].repeat.is_empty());
        assert_eq!(p.pages[1].repeat, [head]);
        assert_eq!(p.pages[1].repeat_fragments.len(), 2);
        // The repeated row takes a row's room: 43 rows on the second page.
        assert_eq!(p.pages[1].rows, 45..62);
        assert_eq!(p.pages[0].rows, 1..45);
    }

    /// A small deterministic generator for the mixed grids below.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n) as usize
        }
    }

    #[test]
    fn mixed_grids_paginate_in_order_without_losing_lines() {
        for seed in 0..40 {
            let mut rng = Lcg(seed);
            let mut t = Table::new();
            let mut r = 1;
            while r < 300 {
                match rng.below(10) {
                    // A label over several rows.
                    0 | 1 => {
                        let n = 2 + rng.below(30);
                        let start = r;
                        for _ in 0..n {
                            t.row_with(RowInfo::default(), 1 + rng.below(4), true);
                        }
                        t.span(start, n, 1 + rng.below(12), true);
                        r += n;
                    }
                    // A keep group.
                    2 => {
                        let n = 2 + rng.below(8);
                        for _ in 0..n {
                            let k = t.row(1 + rng.below(5));
                            t.rows[k].keep = r;
                        }
                        r += n;
                    }
                    // A one-line heading, sometimes starting a page.
                    3 => {
                        let k = t.row(1);
                        t.rows[k].keep_with_next = true;
                        t.rows[k].break_before = rng.below(3) == 0;
                        r += 1;
                    }
                    // A row taller than a page, now and then.
                    4 if rng.below(4) == 0 => {
                        t.row(60 + rng.below(150));
                        r += 1;
                    }
                    _ => {
                        t.row(1 + rng.below(8));
                        r += 1;
                    }
                }
            }
            let (grid, m) = t.build();
            let p = paginate_soon(grid.clone(), m.clone(), layout()).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            // The pages follow each other; a row is on two pages only when cut.
            assert_eq!(p.pages[0].rows.start, 1, "seed {seed}");
            assert_eq!(p.pages.last().unwrap().rows.end, grid.rows.len(), "seed {seed}");
            for w in p.pages.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                assert!(
                    b.rows.start == a.rows.end || b.rows.start + 1 == a.rows.end,
                    "seed {seed}"
                );
                assert_eq!(a.heights.len(), a.rows.len());
                if !grid.rows[a.rows.end - 1].keep_with_next {
                    continue;
                }
                assert_eq!(a.rows.len(), 1, "seed {seed}: a heading ends {:?}", a.rows);
            }
            // Every label shows all its lines on every page it is on.
            for (i, c) in grid.body_cells().filter(|(_, c)| c.repeat) {
                for (pi, f) in fragments_of(&p, i) {
                    assert_eq!(
                        f.lines,
                        0..m.cell_lines[i].len(),
                        "seed {seed}: label {i} at row {} on page {pi}",
                        c.row
                    );
                    let page = &p.pages[pi];
                    let h: f32 = page.heights[f.rows.start - page.rows.start..f.rows.end - page.rows.start]
                        .iter()
                        .sum();
                    assert!(m.capacity(h) >= f.lines.len(), "seed {seed}: label {i} on page {pi}");
                }
            }
            // Every single-row cell's lines are drawn once, in order.
            for (i, c) in grid.body_cells().filter(|(_, c)| c.rowspan == 1) {
                let mut next = 0;
                for (_, f) in fragments_of(&p, i) {
                    assert_eq!(f.lines.start, next, "seed {seed} cell {i}");
                    next = f.lines.end;
                }
                assert_eq!(next, m.cell_lines[i].len(), "seed {seed} cell {i} at row {}", c.row);
            }
            // Every cell's lines are printed once as its own, in order; what
            // else a label prints is marked as a repeat.
            for (i, c) in grid.body_cells() {
                let mut next = 0;
                for (_, f) in fragments_of(&p, i) {
                    if f.repeated() {
                        assert!(c.repeat && next == m.cell_lines[i].len(), "seed {seed} cell {i}");
                        continue;
                    }
                    assert_eq!(f.lines.start, next, "seed {seed} cell {i}");
                    next = f.lines.end;
                }
                assert_eq!(next, m.cell_lines[i].len(), "seed {seed} cell {i} at row {}", c.row);
            }
        }
    }
}
