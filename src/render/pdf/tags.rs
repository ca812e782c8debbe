//! The structure tree of the tagged PDF: what a screen reader reads, in
//! the grid's logical order rather than the order things are drawn in.
//!
//! While the pages are drawn, every piece of text is marked either as page
//! furniture (an artifact: running titles, footers, header rows and labels
//! printed again after a page break), or as a piece of a cell's text, whose
//! identifier [`Tags`] keeps. Once all pages are drawn, [`Tags::tree`]
//! builds the tree from the grid: a table per table (a row per grid row,
//! header cells and data cells with their spans), headings and paragraphs
//! of document layouts, and the title as the first heading. A cell whose
//! text runs on over a page break is one element with pieces on both pages.

use crate::table::{Grid, RowRole};
use krilla::tagging::{ArtifactType, Identifier, TableHeaderScope, Tag, TagGroup, TagId, TagKind, TagTree};
use std::collections::{BTreeMap, BTreeSet};
use std::num::{NonZeroU16, NonZeroU32};
use std::ops::Range;

/// What a piece of drawn text is to a reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    /// Page furniture of this kind, not read.
    Artifact(ArtifactType),
    /// Text of the grid's cell with this index.
    Cell(usize),
}

/// A title marked where it is first printed.
#[derive(Debug)]
struct MarkedTitle {
    /// The first body row of the page it is printed on: it comes before
    /// the part of the document holding that row.
    row: usize,
    /// Its text, the heading's title.
    text: String,
    /// Its text at the left.
    left: Identifier,
    /// Its text at the right, if it has one.
    right: Option<Identifier>,
}

/// The marked pieces of text of a document, collected while its pages are
/// drawn.
#[derive(Debug)]
pub(super) struct Tags {
    /// Per cell of the grid, the pieces of its text in reading order, each
    /// with the paragraph of the cell it belongs to.
    cells: Vec<Vec<(usize, Identifier)>>,
    /// The titles, in the order first printed.
    titles: Vec<MarkedTitle>,
}

impl Tags {
    /// Room for the pieces of `cells` cells.
    pub(super) fn new(cells: usize) -> Tags {
        Tags {
            cells: vec![Vec::new(); cells],
            titles: Vec::new(),
        }
    }

    /// Adds a piece of the text of cell `cell`, in its paragraph `paragraph`.
    pub(super) fn cell(&mut self, cell: usize, paragraph: usize, id: Identifier) {
        self.cells[cell].push((paragraph, id));
    }

    /// Adds a title printed above body row `row`.
    pub(super) fn title(&mut self, row: usize, text: String, left: Identifier, right: Option<Identifier>) {
        self.titles.push(MarkedTitle { row, text, left, right });
    }

    /// The structure tree: the document's parts in the grid's order, each
    /// title before the part its first page starts in.
    pub(super) fn tree(mut self, grid: &Grid) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some("ja".to_string()));
        let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); grid.rows.len()];
        for (i, c) in grid.cells.iter().enumerate() {
            by_row[c.row].push(i);
        }
        let mut titles = std::mem::take(&mut self.titles).into_iter().peekable();
        let mut r = 0;
        while r < grid.rows.len() {
            let role = grid.rows[r].role;
            let end = match role {
                RowRole::Table => table_end(grid, r),
                _ => r + 1,
            };
            while let Some(t) = titles.next_if(|t| t.row < end) {
                push_title(&mut tree, t);
            }
            match role {
                RowRole::Heading(level) => {
                    for &i in &by_row[r] {
                        let text = grid.cells[i].joined().replace('\n', " ");
                        let level = NonZeroU16::new(u16::from(level)).unwrap_or(NonZeroU16::MIN);
                        if let Some(g) = self.group(i, Tag::Hn(level, Some(text))) {
                            tree.push(g);
                        }
                    }
                }
                RowRole::Text => {
                    for &i in &by_row[r] {
                        let mut paragraphs: BTreeMap<usize, Vec<Identifier>> = BTreeMap::new();
                        for (para, id) in std::mem::take(&mut self.cells[i]) {
                            paragraphs.entry(para).or_default().push(id);
                        }
                        for ids in paragraphs.into_values() {
                            let mut p = TagGroup::new(Tag::P);
                            ids.into_iter().for_each(|id| p.push(id));
                            tree.push(p);
                        }
                    }
                }
                RowRole::Table => tree.push(self.table(grid, r..end, &by_row)),
            }
            r = end;
        }
        titles.for_each(|t| push_title(&mut tree, t));
        tree
    }

    /// The group of cell `cell` holding its pieces of text; none for a cell
    /// whose text was never marked.
    fn group(&mut self, cell: usize, tag: impl Into<TagKind>) -> Option<TagGroup> {
        let pieces = std::mem::take(&mut self.cells[cell]);
        (!pieces.is_empty()).then(|| {
            let mut g = TagGroup::new(tag);
            pieces.into_iter().for_each(|(_, id)| g.push(id));
            g
        })
    }

    /// The table of grid rows `rows`: a row element per grid row, holding
    /// the cells that start in it. Cells of header rows head their columns;
    /// body cells of label columns (columns of labels printed again after a
    /// page break, and the columns sharing a header cell with one) head
    /// their rows. A cell under a header cell spanning several columns
    /// names that header and the row headers left of it under the same
    /// header: the two levels a reader cannot tell from the scopes alone.
    fn table(&mut self, grid: &Grid, rows: Range<usize>, by_row: &[Vec<usize>]) -> TagGroup {
        let header = |r: usize| r < grid.header_rows || grid.rows[r].table_header;
        let cells: Vec<usize> = rows.clone().flat_map(|r| by_row[r].iter().copied()).collect();
        let mut label = vec![false; grid.columns.len()];
        for &i in &cells {
            let c = &grid.cells[i];
            if !header(c.row) && c.repeat {
                label[c.col] = true;
            }
        }
        let spanning: Vec<usize> = cells
            .iter()
            .copied()
            .filter(|&i| header(grid.cells[i].row) && grid.cells[i].colspan > 1)
            .collect();
        for &h in &spanning {
            let cols = columns_of(grid, h);
            if cols.clone().any(|k| label[k]) {
                label[cols].iter_mut().for_each(|l| *l = true);
            }
        }
        let mut headers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &h in &spanning {
            let cols = columns_of(grid, h);
            // The body cell covering each row of the table in each column
            // under the header cell.
            let mut cover = vec![vec![None; rows.len()]; cols.len()];
            for &i in &cells {
                let c = &grid.cells[i];
                if header(c.row) {
                    continue;
                }
                for k in c.col.max(cols.start)..(c.col + c.colspan).min(cols.end) {
                    for r in c.row..(c.row + c.rowspan).min(rows.end) {
                        cover[k - cols.start][r - rows.start] = Some(i);
                    }
                }
            }
            for &i in &cells {
                let c = &grid.cells[i];
                if header(c.row) || !cols.contains(&c.col) {
                    continue;
                }
                let list = headers.entry(i).or_default();
                list.push(h);
                for k in cols.start..c.col {
                    if let Some(a) = cover[k - cols.start][c.row - rows.start]
                        && label[k]
                        && !list.contains(&a)
                    {
                        list.push(a);
                    }
                }
            }
        }
        let named: BTreeSet<usize> = headers.values().flatten().copied().collect();
        let id = |i: usize| named.contains(&i).then(|| tag_id(i));
        let span = |n: usize| u32::try_from(n).ok().filter(|&n| n > 1).and_then(NonZeroU32::new);
        let mut table = TagGroup::new(Tag::Table);
        for r in rows {
            let mut tr = TagGroup::new(Tag::TR);
            for &i in &by_row[r] {
                let c = &grid.cells[i];
                let names = headers
                    .get(&i)
                    .map(|h| h.iter().map(|&h| tag_id(h)).collect::<Vec<_>>());
                let kind: TagKind = if header(r) || label[c.col] {
                    let scope = if header(r) {
                        TableHeaderScope::Column
                    } else {
                        TableHeaderScope::Row
                    };
                    Tag::TH(scope)
                        .with_row_span(span(c.rowspan))
                        .with_col_span(span(c.colspan))
                        .with_id(id(i))
                        .with_headers(names)
                        .into()
                } else {
                    Tag::TD
                        .with_row_span(span(c.rowspan))
                        .with_col_span(span(c.colspan))
                        .with_headers(names)
                        .into()
                };
                let mut cell = TagGroup::new(kind);
                for (_, piece) in std::mem::take(&mut self.cells[i]) {
                    cell.push(piece);
                }
                tr.push(cell);
            }
            table.push(tr);
        }
        table
    }
}

/// The row after the last of the table starting at row `r`: the rows of one
/// table are consecutive, with the same table.
fn table_end(grid: &Grid, r: usize) -> usize {
    let table = grid.rows[r].table;
    let mut end = r + 1;
    while end < grid.rows.len() && grid.rows[end].role == RowRole::Table && grid.rows[end].table == table {
        // A document table's header row starts the next table.
        if grid.rows[end].table_header {
            break;
        }
        end += 1;
    }
    end
}

/// The columns cell `i` covers.
fn columns_of(grid: &Grid, i: usize) -> Range<usize> {
    let c = &grid.cells[i];
    c.col..c.col + c.colspan
}

/// The id of cell `i` in the structure tree, for the cells that name it.
fn tag_id(i: usize) -> TagId {
    TagId::from(format!("c{i}").into_bytes())
}

/// A title: a first-level heading, and its right text as a paragraph.
fn push_title(tree: &mut TagTree, t: MarkedTitle) {
    let mut h = TagGroup::new(Tag::Hn(NonZeroU16::MIN, Some(t.text)));
    h.push(t.left);
    tree.push(h);
    if let Some(right) = t.right {
        let mut p = TagGroup::new(Tag::P);
        p.push(right);
        tree.push(p);
    }
}
