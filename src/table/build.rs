//! Builds the grid of an edition: its data under its layout.

use super::format;
use super::{
    Cell, CellStyle, Column, FooterPiece, FooterText, Grid, Line, RowInfo, RowRole, Source, SourceKind, Title,
};
use crate::diag::{Problem, Problems};
use crate::edition::Edition;
use crate::layout::template::{Scope, Segment, Template, value_text};
use crate::layout::{
    Block, BodySpec, CellKind, ColumnSpec, GroupSpec, HAlign, Layout, LineSpec, VAlign, YearRef, each_path, input_path,
    parse_color,
};
use crate::value::{Decimal, Quantity, Target, YearValue};
use serde::Deserialize;
use serde_json::Value;

/// What to build besides the whole table.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions<'a> {
    /// Keep only the body rows whose text of this template is this value
    /// (a yearly template of one part of the table).
    pub only: Option<(&'a Template, &'a str)>,
}

/// Placeholders for page numbers while footer templates are rendered.
const PAGE_MARK: &str = "\u{F8F0}";
const PAGES_MARK: &str = "\u{F8F1}";

/// One body row: the data items from the outermost group inwards.
struct DataRow<'a> {
    /// (item index, item) per level reached.
    path: Vec<(usize, &'a Value)>,
    /// Set on the row of a group item of its own (the layout's
    /// `groups[…].row`): the item's level.
    own: Option<usize>,
}

/// A column of the expanded table: the layout column and its year.
struct ExpandedColumn<'l> {
    spec: &'l ColumnSpec,
    year: Option<i32>,
    first_of_run: bool,
    /// The path a value cell kind reads (`row.values`), parsed once.
    value_path: Vec<Segment>,
    /// The path of `span_if_missing`, parsed once.
    missing_path: Option<Vec<Segment>>,
}

/// The path of a column's `span_if_missing`, parsed.
fn missing_path(spec: &ColumnSpec) -> Option<Vec<Segment>> {
    let p = spec.span_if_missing.as_deref()?;
    each_path(p).and_then(|t| t.exprs().next().map(|e| e.path.clone()))
}

/// The path a column's value cell kind reads, parsed (empty for text).
fn value_path(spec: &ColumnSpec) -> Vec<Segment> {
    let p = match &spec.content {
        CellKind::YearValue(v) => &v.series,
        CellKind::Target(t) => &t.value,
        CellKind::Quantity(q) => &q.value,
        CellKind::Text(_) => return Vec::new(),
    };
    each_path(p)
        .and_then(|t| t.exprs().next().map(|e| e.path.clone()))
        .unwrap_or_default()
}

/// Builds the grid of an edition.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let edition = shiryo::edition::Edition::load(&Default::default())?;
/// let grid = shiryo::table::build(&edition, &Default::default())?;
/// assert_eq!(grid.header_rows, 1);
/// assert!(grid.cells.iter().any(|c| c.joined() == "20,292世帯"));
/// # Ok(()) }
/// ```
pub fn build(edition: &Edition, opts: &BuildOptions) -> Result<Grid, Problems> {
    let l: &Layout = &edition.layout.layout;
    let mut problems = Vec::new();
    let scope = root_scope(edition);

    // Columns, with year runs expanded.
    let years = edition.years;
    let year_of = |r: YearRef| -> i32 {
        match r {
            YearRef::First => years.first,
            YearRef::Report => edition.year,
            YearRef::Last => years.last,
            YearRef::BeforeLast => years.last - 1,
        }
    };
    let mut cols: Vec<ExpandedColumn> = Vec::new();
    for (i, spec) in l.columns.iter().enumerate() {
        match &spec.years {
            Some(run) => {
                let (from, to) = (year_of(run.from), year_of(run.to));
                if to < from {
                    problems.push(Problem::new(
                        &edition.layout.path,
                        format!("columns[{i}].years"),
                        crate::lang::tr!(
                            "the year run {from}–{to} of this edition is empty; expected from ≤ to",
                            from = from,
                            to = to
                        ),
                    ));
                    continue;
                }
                for y in from..=to {
                    cols.push(ExpandedColumn {
                        spec,
                        year: Some(y),
                        first_of_run: y == from,
                        value_path: value_path(spec),
                        missing_path: missing_path(spec),
                    });
                }
            }
            None => cols.push(ExpandedColumn {
                spec,
                year: None,
                first_of_run: false,
                value_path: value_path(spec),
                missing_path: missing_path(spec),
            }),
        }
    }
    let columns: Vec<Column> = cols
        .iter()
        .map(|c| Column {
            id: c.spec.id.clone(),
            width_px: super::mm_to_px(c.spec.width_mm),
            year: c.year,
        })
        .collect();
    if let Some(f) = &l.header.fill
        && parse_color(f).is_none()
    {
        problems.push(Problem::new(
            &edition.layout.path,
            "header.fill",
            crate::lang::tr!("expected a colour #RRGGBB, found {found}", found = format!("{f:?}")),
        ));
    }

    let mut b = Builder {
        l,
        edition,
        opts,
        cols: &cols,
        cells: Vec::new(),
        rows: Vec::new(),
        titles: Vec::new(),
        keep: 0,
        tables: 0,
    };
    let header_rows = match (&l.body, &l.blocks) {
        (Some(body), _) => {
            b.header_row(&scope, None, None);
            b.table(body, &scope, None, None);
            1
        }
        (None, Some(blocks)) => {
            let mut scope = scope.clone();
            // A document's title line runs on every page an `each` block
            // does not title otherwise.
            let running = l.title.as_ref().map(|t| {
                b.titles.push(title_of(t, &scope, false));
                b.titles.len() - 1
            });
            b.blocks(blocks, &mut scope, running, false);
            0
        }
        (None, None) => 0,
    };
    let Builder {
        mut cells,
        mut rows,
        titles,
        ..
    } = b;
    cells.sort_by_key(|c| (c.row, c.col));
    heading_levels(&mut rows, &cells, &titles, l.font.size);

    let title = l
        .title
        .as_ref()
        .filter(|_| l.blocks.is_none())
        .map(|t| title_of(t, &scope, true));
    let mut fs = scope.clone();
    fs.set_var("page", PAGE_MARK);
    fs.set_var("pages", PAGES_MARK);
    let footer_text = |t: &Option<Template>| t.as_ref().map(|t| footer_pieces(&t.render(&fs)));
    let footer = [
        footer_text(&l.footer.left),
        footer_text(&l.footer.center),
        footer_text(&l.footer.right),
    ];

    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(Grid {
        columns,
        header_rows,
        header_repeat: l.header.repeat,
        rows,
        cells,
        title,
        titles,
        footer,
        footer_size: l.footer.size.unwrap_or(l.font.size),
        footer_first_page_only: l.footer.first_page_only,
        font_size: l.font.size,
        hanging: l.hanging_indent.clone(),
    })
}

/// The style of a text row of a document layout.
fn text_style(bold: bool, align: HAlign, size: Option<f32>) -> CellStyle {
    CellStyle {
        bold,
        align,
        valign: VAlign::Top,
        fill: None,
        size,
    }
}

/// The scope every template of an edition starts from: the data, the
/// report year, the next year and the document's first and last years.
pub fn root_scope(edition: &Edition) -> Scope<'_> {
    let mut scope = Scope::new(&edition.data.json);
    // The edition's own label or title, where it states one.
    if let Some(entry) = edition
        .shape
        .years
        .editions
        .as_ref()
        .and_then(|f| edition.data.json.get(f))
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|e| e.get("year").and_then(Value::as_i64) == Some(i64::from(edition.year)))
        })
    {
        scope.set_overrides(entry);
    }
    scope.set_var("report_year", edition.year);
    scope.set_var("next_year", edition.year + 1);
    scope.set_var("first_year", edition.years.first);
    scope.set_var("last_year", edition.years.last);
    scope
}

/// A title line; `heads` when it heads what follows it rather than
/// running over every page.
fn title_of(t: &crate::layout::TitleSpec, scope: &Scope, heads: bool) -> Title {
    Title {
        left: t.left.render(scope),
        right: t.right.as_ref().map(|r| r.render(scope)).unwrap_or_default(),
        size: t.size,
        bold: t.bold,
        height_pt: super::mm_to_px(t.height_mm) as f32 * 0.75,
        heads,
    }
}

/// Sets the level of every heading row: 1 for the titles that head their
/// pages, then the headings ranked by size and weight (larger, then bold,
/// first) below them. A heading is never more than one level below the
/// heading before it, so a reader's outline skips no level.
fn heading_levels(rows: &mut [RowInfo], cells: &[Cell], titles: &[Title], body_size: f32) {
    // A heading's size and weight, from its row's cell (cells are sorted).
    let look = |r: usize| {
        cells
            .get(cells.partition_point(|c| c.row < r))
            .filter(|c| c.row == r)
            .map_or((body_size, false), |c| {
                (c.style.size.unwrap_or(body_size), c.style.bold)
            })
    };
    let mut ranks: Vec<(f32, bool)> = (0..rows.len())
        .filter(|&r| matches!(rows[r].role, RowRole::Heading(_)))
        .map(look)
        .collect();
    ranks.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    ranks.dedup();
    let headed = rows.iter().any(|r| r.title.is_some_and(|t| titles[t].heads));
    let first = if headed { 2 } else { 1 };
    let mut seen = std::collections::BTreeSet::new();
    let mut last = 0u8;
    for (r, row) in rows.iter_mut().enumerate() {
        if let Some(t) = row.title
            && titles[t].heads
            && seen.insert(t)
        {
            last = 1;
        }
        if let RowRole::Heading(_) = row.role {
            let rank = ranks.iter().position(|&k| k == look(r)).unwrap_or(0);
            let level = (first + rank).min(usize::from(last) + 1).min(6) as u8;
            row.role = RowRole::Heading(level);
            last = level;
        }
    }
}

/// Accumulates rows and cells.
struct Builder<'a> {
    l: &'a Layout,
    edition: &'a Edition,
    opts: &'a BuildOptions<'a>,
    cols: &'a [ExpandedColumn<'a>],
    cells: Vec<Cell>,
    rows: Vec<RowInfo>,
    titles: Vec<Title>,
    keep: usize,
    tables: usize,
}

impl<'a> Builder<'a> {
    fn body_style(spec: &ColumnSpec) -> CellStyle {
        CellStyle {
            bold: false,
            align: spec.align,
            valign: spec.valign,
            fill: None,
            size: None,
        }
    }

    fn new_row(&mut self, title: Option<usize>) -> usize {
        self.keep += 1;
        self.rows.push(RowInfo {
            keep: self.keep,
            title,
            ..RowInfo::default()
        });
        self.rows.len() - 1
    }

    /// A row of the columns' headers.
    fn header_row(&mut self, scope: &Scope, table: Option<usize>, title: Option<usize>) {
        let l = self.l;
        let row = self.new_row(title);
        self.rows[row].table = table;
        self.rows[row].table_header = table.is_some();
        let style = CellStyle {
            bold: l.header.bold,
            align: l.header.align,
            valign: l.header.valign,
            fill: l.header.fill.as_deref().and_then(parse_color),
            size: None,
        };
        let mut covered_until = 0;
        for (ci, c) in self.cols.iter().enumerate() {
            if ci < covered_until {
                continue;
            }
            let mut s = scope.clone();
            if let Some(y) = c.year {
                s.set_var("year", y);
            }
            let t = match (&c.spec.first_year_header, c.first_of_run) {
                (Some(t), true) => t,
                _ => &c.spec.header,
            };
            let span = if c.spec.years.is_some() {
                1
            } else {
                c.spec.header_span as usize
            };
            covered_until = ci + span;
            self.cells.push(Cell {
                row,
                col: ci,
                rowspan: 1,
                colspan: span.min(self.cols.len() - ci),
                lines: text_lines(&t.render(&s)),
                style,
                repeat: false,
                border: true,
                source: None,
                marks: None,
                figure: None,
            });
        }
    }

    /// A row with one cell across all columns.
    fn wide_row(
        &mut self,
        lines: Vec<Line>,
        style: CellStyle,
        border: bool,
        title: Option<usize>,
        role: RowRole,
    ) -> usize {
        let row = self.new_row(title);
        self.rows[row].role = role;
        self.cells.push(Cell {
            row,
            col: 0,
            rowspan: 1,
            colspan: self.cols.len(),
            lines,
            style,
            repeat: false,
            border,
            source: None,
            marks: None,
            figure: None,
        });
        row
    }

    /// The blocks of a document layout.
    fn blocks(
        &mut self,
        blocks: &'a [Block],
        scope: &mut Scope<'a>,
        title: Option<usize>,
        mut break_next: bool,
    ) -> bool {
        for block in blocks {
            let first = self.rows.len();
            match block {
                Block::Heading(h) => {
                    let style = text_style(h.bold, h.align, h.size);
                    // The level is set once every heading is known.
                    let lines = text_lines(&h.text.render(scope));
                    let row = self.wide_row(lines, style, false, title, RowRole::Heading(1));
                    self.rows[row].keep_with_next = true;
                }
                Block::Paragraphs(ps) => {
                    let lines = render_lines(&ps.lines, scope);
                    let style = text_style(false, HAlign::Left, None);
                    let row = self.wide_row(lines, style, ps.border, title, RowRole::Text);
                    self.rows[row].keep_with_next = ps.keep_with_next;
                }
                Block::Legend(lg) => {
                    let lines = self.legend_lines(lg, scope);
                    let style = text_style(false, HAlign::Left, None);
                    let row = self.wide_row(lines, style, lg.border, title, RowRole::Text);
                    self.rows[row].keep_with_next = lg.keep_with_next;
                }
                Block::PageBreak(_) => break_next = true,
                Block::Table(body) => {
                    let table = self.tables;
                    self.tables += 1;
                    self.header_row(scope, Some(table), title);
                    let header = self.rows.len() - 1;
                    self.rows[header].keep_with_next = true;
                    self.table(body, scope, Some(table), title);
                }
                Block::Each(e) => {
                    let list =
                        each_path(&e.each).and_then(|t| t.exprs().next().and_then(|x| scope.resolve_ref(&x.path)));
                    for (i, item) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                        let mut s = scope.clone();
                        s.bind_at(&e.name, item, i + 1);
                        let t = match &e.title {
                            Some(t) => {
                                self.titles.push(title_of(t, &s, true));
                                Some(self.titles.len() - 1)
                            }
                            None => title,
                        };
                        break_next |= e.page_break;
                        break_next = self.blocks(&e.blocks, &mut s, t, break_next);
                    }
                }
            }
            if break_next && self.rows.len() > first {
                if first > 0 {
                    self.rows[first].break_before = true;
                }
                break_next = false;
            }
        }
        break_next
    }

    /// The body rows of one table.
    fn table(&mut self, body: &'a BodySpec, scope: &Scope<'a>, table: Option<usize>, title: Option<usize>) {
        let mut rows: Vec<DataRow> = Vec::new();
        let first_list =
            each_path(&body.groups[0].each).and_then(|t| t.exprs().next().and_then(|x| scope.resolve_ref(&x.path)));
        if let Some(list) = first_list {
            collect_rows(&body.groups, list, 0, &mut Vec::new(), &mut rows);
        }
        if let Some((by, value)) = self.opts.only {
            rows.retain(|r| {
                let mut s = scope.clone();
                bind_row(&mut s, &body.groups, r, None);
                by.render(&s) == value
            });
        }
        let level_of = |name: &str| body.groups.iter().position(|g| g.name == name);
        let base = self.rows.len();
        let cols = self.cols;

        let mut covered = vec![vec![false; cols.len()]; rows.len()];
        // The columns each group's own row covers: (first, last), per level.
        let spans: Vec<Option<(usize, usize)>> = body
            .groups
            .iter()
            .map(|g| {
                let spec = g.row.as_ref()?;
                let from = cols.iter().position(|c| c.spec.id == spec.from)?;
                let to = match &spec.to {
                    Some(id) => cols.iter().rposition(|c| c.spec.id == *id)?,
                    None => cols.len() - 1,
                };
                Some((from, to.max(from)))
            })
            .collect();
        let own_span = |level: usize| spans[level];
        for (r, row) in rows.iter().enumerate() {
            if let Some((from, to)) = row.own.and_then(own_span) {
                for cov in &mut covered[r][from + 1..=to] {
                    *cov = true;
                }
            }
        }
        for (ci, c) in cols.iter().enumerate() {
            let level = c.spec.scope.as_deref().and_then(level_of);
            // Consecutive rows sharing the scope item form one cell; an own
            // row stands alone in the columns its cell covers.
            let key = |r: &DataRow| -> Vec<usize> {
                let in_span = r
                    .own
                    .and_then(own_span)
                    .is_some_and(|(from, to)| (from..=to).contains(&ci));
                match level {
                    Some(lv) if r.path.len() > lv && !in_span => r.path[..=lv].iter().map(|(i, _)| *i).collect(),
                    _ => r.path.iter().map(|(i, _)| *i).chain([usize::MAX]).collect(),
                }
            };
            let mut start = 0;
            let mut column_cells: Vec<(Cell, Vec<usize>)> = Vec::new();
            while start < rows.len() {
                let k = key(&rows[start]);
                let mut end = start + 1;
                while end < rows.len() && key(&rows[end]) == k {
                    end += 1;
                }
                if covered[start][ci] {
                    start = end;
                    continue;
                }
                let row = &rows[start];
                if let Some(own) = row.own
                    && level.is_none_or(|lv| lv > own || end - start == 1)
                {
                    // A group item's own row: its cell, or a blank.
                    column_cells.push((
                        self.own_cell(body, own, row, ci, own_span(own), scope, base + start),
                        Vec::new(),
                    ));
                    start = end;
                    continue;
                }
                let mut s = scope.clone();
                bind_row(&mut s, &body.groups, row, level);
                let mut colspan = 1;
                if let Some(name) = &c.spec.span_if_absent {
                    let last = &rows[end - 1];
                    let reached = level_of(name).is_some_and(|lv| last.path.len() > lv);
                    if !reached && ci + 1 < cols.len() {
                        colspan = 2;
                        for cov in covered.iter_mut().take(end).skip(start) {
                            cov[ci + 1] = true;
                        }
                    }
                }
                if let Some(path) = &c.missing_path
                    && colspan == 1
                    && let Some(next) = cols.get(ci + 1)
                    && !next.spec.input
                    && next.spec.scope.is_none()
                    && (start..end).all(|r| {
                        let mut rs = scope.clone();
                        bind_row(&mut rs, &body.groups, &rows[r], None);
                        rs.resolve_ref(path).is_none_or(Value::is_null)
                    })
                {
                    colspan = 2;
                    for cov in covered.iter_mut().take(end).skip(start) {
                        cov[ci + 1] = true;
                    }
                }
                let (lines, source, figure) = self.cell_content(c, &s, body);
                column_cells.push((
                    Cell {
                        row: base + start,
                        col: ci,
                        rowspan: end - start,
                        colspan,
                        lines,
                        style: Self::body_style(c.spec),
                        repeat: c.spec.repeat_on_new_page,
                        border: true,
                        source,
                        marks: c.spec.repeat_marks.clone(),
                        figure,
                    },
                    k[..k.len().saturating_sub(1)].to_vec(),
                ));
                start = end;
            }
            if c.spec.merge_equal {
                let mut merged: Vec<(Cell, Vec<usize>)> = Vec::new();
                for (cell, parent) in column_cells {
                    if let Some((last, last_parent)) = merged.last_mut()
                        && *last_parent == parent
                        && last.row + last.rowspan == cell.row
                        && last.colspan == cell.colspan
                        && last.lines == cell.lines
                        && last.source.as_ref().is_none_or(|s| s.kind != SourceKind::Text)
                    {
                        last.rowspan += cell.rowspan;
                        continue;
                    }
                    merged.push((cell, parent));
                }
                column_cells = merged;
            }
            self.cells.extend(column_cells.into_iter().map(|(c, _)| c));
        }

        // Row information.
        let keep_level = body.keep_together.as_deref().and_then(level_of);
        let mut last_key: Option<Vec<usize>> = None;
        for r in &rows {
            let k: Vec<usize> = match keep_level {
                Some(lv) => r.path.iter().take(lv + 1).map(|(i, _)| *i).collect(),
                None => r.path.iter().map(|(i, _)| *i).collect(),
            };
            if last_key.as_ref() != Some(&k) {
                self.keep += 1;
                last_key = Some(k);
            }
            let mut s = scope.clone();
            bind_row(&mut s, &body.groups, r, None);
            self.rows.push(RowInfo {
                keep: self.keep,
                keep_with_next: r.own.is_some(),
                label: body.row_label.as_ref().map(|t| label_of(t, &s)).unwrap_or_default(),
                item_ids: r
                    .path
                    .iter()
                    .map(|(i, v)| v.get("id").map(value_text).unwrap_or_else(|| i.to_string()))
                    .collect(),
                table,
                title,
                ..RowInfo::default()
            });
        }
    }
}

impl Builder<'_> {
    /// The cell of a group item's own row in column `ci`: the row's text
    /// where its span starts, else a blank.
    #[allow(clippy::too_many_arguments)]
    fn own_cell(
        &self,
        body: &BodySpec,
        own: usize,
        row: &DataRow,
        ci: usize,
        span: Option<(usize, usize)>,
        scope: &Scope,
        at: usize,
    ) -> Cell {
        let spec = body.groups[own].row.as_ref();
        let (lines, colspan, style) = match (spec, span) {
            (Some(spec), Some((from, to))) if from == ci => {
                let mut s = scope.clone();
                bind_row(&mut s, &body.groups, row, Some(own));
                (
                    render_lines(&spec.text, &s),
                    to - from + 1,
                    CellStyle {
                        bold: spec.bold,
                        align: spec.align,
                        valign: VAlign::Center,
                        fill: spec.fill.as_deref().and_then(parse_color),
                        size: None,
                    },
                )
            }
            _ => (Vec::new(), 1, Self::body_style(self.cols[ci].spec)),
        };
        Cell {
            row: at,
            col: ci,
            rowspan: 1,
            colspan,
            lines,
            style,
            repeat: false,
            border: true,
            source: None,
            marks: None,
            figure: None,
        }
    }

    /// The lines of a legend block: one per value of the enumeration the
    /// shape declares at the block's field.
    fn legend_lines(&self, lg: &crate::layout::LegendSpec, scope: &Scope) -> Vec<Line> {
        let keys: Vec<&str> = lg.field.split('.').collect();
        let Some(crate::shape::Node::Enum { values, legend }) = self.edition.shape.field(&keys).map(|f| &f.node) else {
            return Vec::new();
        };
        values
            .iter()
            .map(|v| {
                let meaning = legend.iter().find(|(k, _)| k == v).map_or("", |(_, m)| m.as_str());
                let mut s = scope.clone();
                s.set_var("value", v.as_str());
                s.set_var("meaning", meaning);
                Line::text(lg.text.render(&s))
            })
            .collect()
    }

    /// A body cell's lines, for a column the layout marks as input the
    /// data field it shows, and for a value kind the number it shows.
    fn cell_content(
        &self,
        c: &ExpandedColumn,
        s: &Scope,
        body: &BodySpec,
    ) -> (Vec<Line>, Option<Source>, Option<Decimal>) {
        let report = self.edition.year;
        let first = self.edition.years.first;
        let unit_of = |t: &Template| Some(t.render(s)).filter(|u| !u.is_empty());
        match &c.spec.content {
            CellKind::Text(specs) => {
                let lines = render_lines(specs, s);
                let source = input_path(specs)
                    .filter(|_| c.spec.input)
                    .and_then(|e| self.source_of(&e.path, s, body, SourceKind::Text, None, None, None));
                (lines, source, None)
            }
            CellKind::YearValue(spec) => {
                let year = c.year.unwrap_or(report);
                let unit = unit_of(&spec.unit);
                let path = &c.value_path;
                let value: Option<YearValue> = s
                    .resolve_ref(path)
                    .and_then(|v| v.get(year.to_string()))
                    .and_then(|v| YearValue::from_json(v).ok());
                let lines = if year > report && value.as_ref().is_none_or(|v| v.as_of(year, first, report).is_none()) {
                    unit.iter().map(Line::value).collect()
                } else {
                    format::year_value(
                        value.as_ref(),
                        unit.as_deref(),
                        year,
                        first,
                        report,
                        &format::Style {
                            unit_after_number: Some(&spec.unit_after_number),
                            separators: spec.separators,
                            not_measured: spec.not_measured.as_deref(),
                            lost: spec.lost.as_deref(),
                        },
                    )
                };
                let figure = value
                    .as_ref()
                    .and_then(|v| v.as_of(year, first, report))
                    .filter(|e| !e.not_measured)
                    .and_then(|e| e.value.clone());
                let after = unit.as_ref().and_then(|u| spec.unit_after_number.get(u)).cloned();
                // The report year's entry is asked for, an earlier year's
                // may be confirmed; a later year's never.
                let source = (c.spec.input && year <= report)
                    .then(|| self.source_of(path, s, body, SourceKind::YearValue, Some(year), unit, after))
                    .flatten();
                (lines, source, figure)
            }
            CellKind::Target(spec) => {
                let t: Option<Target> = s.resolve_ref(&c.value_path).and_then(|v| Target::deserialize(v).ok());
                let style = format::Style {
                    unit_after_number: Some(&spec.unit_after_number),
                    separators: spec.separators,
                    ..Default::default()
                };
                (
                    format::target(t.as_ref(), unit_of(&spec.unit).as_deref(), &style),
                    None,
                    t.map(|t| t.value),
                )
            }
            CellKind::Quantity(spec) => {
                let q: Option<Quantity> = s.resolve_ref(&c.value_path).and_then(|v| Quantity::deserialize(v).ok());
                let style = format::Style {
                    unit_after_number: Some(&spec.unit_after_number),
                    separators: spec.separators,
                    ..Default::default()
                };
                (format::quantity(q.as_ref(), &style), None, q.map(|q| q.value))
            }
        }
    }

    /// The data field at `path` as a [`Source`]: the item its first name is
    /// bound to, and the rest of the path with its keys resolved.
    #[allow(clippy::too_many_arguments)]
    fn source_of(
        &self,
        path: &[Segment],
        s: &Scope,
        body: &BodySpec,
        kind: SourceKind,
        year: Option<i32>,
        unit: Option<String>,
        unit_after: Option<String>,
    ) -> Option<Source> {
        let (Segment::Field(name), rest) = path.split_first()? else {
            return None;
        };
        let item = s.binding(name)?;
        let field = rest
            .iter()
            .map(|seg| match seg {
                Segment::Field(f) => Some(f.clone()),
                Segment::Var(v) => s.var(v).map(|x| value_text(&x)),
            })
            .collect::<Option<Vec<String>>>()?;
        let t = &self.l.template;
        Some(Source {
            kind,
            item_id: item.get(&t.item_id).map(value_text).filter(|i| !i.is_empty()),
            field,
            year,
            unit,
            unit_after,
            label: body.row_label.as_ref().map(|l| label_of(l, s)).unwrap_or_default(),
            split: t.split.as_ref().map(|sp| sp.by.render(s)),
        })
    }
}

/// A row's label for messages: the `row_label` on one line, the line
/// breaks of a name (`ボランティア・\n市民活動センターの登録者数`) joined.
fn label_of(t: &Template, s: &Scope) -> String {
    t.render(s)
        .lines()
        .map(str::trim)
        .collect::<String>()
        .trim()
        .to_string()
}

fn collect_rows<'a>(
    groups: &[GroupSpec],
    items: &'a Value,
    level: usize,
    path: &mut Vec<(usize, &'a Value)>,
    out: &mut Vec<DataRow<'a>>,
) {
    for (i, item) in items.as_array().into_iter().flatten().enumerate() {
        path.push((i, item));
        let next = groups
            .get(level + 1)
            .and_then(|g| item.get(&g.each))
            .filter(|a| a.as_array().is_some_and(|a| !a.is_empty()));
        match next {
            Some(list) => {
                if groups[level].row.is_some() {
                    out.push(DataRow {
                        path: path.clone(),
                        own: Some(level),
                    });
                }
                collect_rows(groups, list, level + 1, path, out)
            }
            None => out.push(DataRow {
                path: path.clone(),
                own: None,
            }),
        }
        path.pop();
    }
}

/// Binds the row's items up to `level` (all of them when `None`), with
/// their 1-based positions as `NAME_index`; `row` is the row's innermost
/// item.
fn bind_row<'a>(s: &mut Scope<'a>, groups: &'a [GroupSpec], row: &DataRow<'a>, level: Option<usize>) {
    let upto = level.map_or(row.path.len(), |lv| (lv + 1).min(row.path.len()));
    for (g, (i, item)) in groups.iter().zip(&row.path).take(upto) {
        s.bind_at(&g.name, item, i + 1);
    }
    if let Some((i, leaf)) = row.path.last() {
        s.bind_at(ROW, leaf, i + 1);
    }
}

/// The name bound to a table row's innermost item.
pub const ROW: &str = "row";

/// The lines of text line specs.
fn render_lines(specs: &[LineSpec], s: &Scope) -> Vec<Line> {
    let mut lines = Vec::new();
    for spec in specs {
        match spec {
            LineSpec::One(t) => lines.extend(text_lines(&t.render(s))),
            LineSpec::When { when, text } => {
                if crate::layout::when_path(when).is_some_and(|(negated, t)| t.render(s).is_empty() == negated) {
                    lines.extend(text_lines(&text.render(s)));
                }
            }
            LineSpec::Each { each, text } => {
                let list = each_path(each).and_then(|t| t.exprs().next().and_then(|e| s.resolve(&e.path)));
                for (i, item) in list
                    .as_ref()
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let mut s2 = s.clone();
                    s2.bind("item", item);
                    s2.set_var("index", i + 1);
                    lines.extend(text_lines(&text.render(&s2)));
                }
            }
        }
    }
    lines
}

fn text_lines(text: &str) -> Vec<Line> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n').map(Line::text).collect()
}

fn footer_pieces(text: &str) -> FooterText {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = [(PAGE_MARK, FooterPiece::Page), (PAGES_MARK, FooterPiece::Pages)]
            .into_iter()
            .filter_map(|(m, p)| rest.find(m).map(|i| (i, m, p)))
            .min_by_key(|(i, _, _)| *i);
        match next {
            Some((i, m, p)) => {
                if i > 0 {
                    pieces.push(FooterPiece::Text(rest[..i].to_string()));
                }
                pieces.push(p);
                rest = &rest[i + m.len()..];
            }
            None => {
                pieces.push(FooterPiece::Text(rest.to_string()));
                rest = "";
            }
        }
    }
    FooterText(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(year: i32) -> Grid {
        let edition = crate::edition::Edition::load(&crate::edition::Inputs {
            year: Some(year),
            ..Default::default()
        })
        .unwrap();
        build(&edition, &BuildOptions::default()).unwrap()
    }

    /// (first body row, rows, first column, columns) of every merged body cell
    /// in `cols`, rows counted from the first body row.
    fn merges(g: &Grid, rows: std::ops::Range<usize>, cols: &[usize]) -> Vec<(usize, usize, usize, usize)> {
        g.body_cells()
            .map(|(_, c)| c)
            .filter(|c| (c.rowspan > 1 || c.colspan > 1) && cols.contains(&c.col))
            .map(|c| (c.row - g.header_rows, c.rowspan, c.col, c.colspan))
            .filter(|(r, ..)| rows.contains(r))
            .collect()
    }

    /// The heading rows of a bundled document: level and text.
    fn headings(data: &str) -> Vec<(u8, String)> {
        let edition = crate::edition::Edition::load(&crate::edition::Inputs {
            data: Some(data.into()),
            ..Default::default()
        })
        .unwrap();
        let g = build(&edition, &BuildOptions::default()).unwrap();
        let text = |r: usize| g.cells.iter().find(|c| c.row == r).unwrap().joined();
        (0..g.rows.len())
            .filter_map(|r| match g.rows[r].role {
                RowRole::Heading(level) => Some((level, text(r))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_rank_by_size_and_weight_below_the_titles_that_head_pages() {
        // Each 係's title heads its pages (level 1); bold headings come
        // next, the plain 方針 below them.
        let h = headings("data/jigyo-keikaku-r2.json");
        assert_eq!(
            h[..3],
            [
                (2, "係の方針".to_string()),
                (2, "１．組織運営の取り組み".to_string()),
                (3, "方\u{3000}\u{3000}針".to_string())
            ]
        );
        assert!(h.iter().all(|(l, _)| (2..=3).contains(l)), "{h:?}");
        // A running title heads nothing: the cover's headings start at 1,
        // by size.
        let h = headings("data/hyoka-r6.json");
        let levels: Vec<u8> = h.iter().map(|(l, _)| *l).collect();
        assert_eq!(levels, [1, 2, 3], "{h:?}");
    }

    #[test]
    fn a_heading_is_at_most_one_level_below_the_one_before() {
        let heading = |size: f32, bold: bool| Cell {
            row: 0,
            col: 0,
            rowspan: 1,
            colspan: 1,
            lines: vec![Line::text("h")],
            style: text_style(bold, HAlign::Left, Some(size)),
            repeat: false,
            border: false,
            source: None,
            marks: None,
            figure: None,
        };
        // Ranked 1 (20 pt), 2 (14 pt bold), 3 (14 pt): the 14 pt one
        // first cannot be a third level.
        let mut cells = vec![
            heading(14.0, false),
            heading(20.0, true),
            heading(14.0, true),
            heading(14.0, false),
        ];
        for (r, c) in cells.iter_mut().enumerate() {
            c.row = r;
        }
        let mut rows: Vec<RowInfo> = (0..4)
            .map(|_| RowInfo {
                role: RowRole::Heading(1),
                ..RowInfo::default()
            })
            .collect();
        heading_levels(&mut rows, &cells, &[], 10.0);
        let levels: Vec<RowRole> = rows.iter().map(|r| r.role).collect();
        assert_eq!(
            levels,
            [1, 1, 2, 3].map(RowRole::Heading),
            "ranks 3, 1, 2, 3 held to one step below the heading before"
        );
    }

    #[test]
    fn goal_1_merges() {
        let g = grid(2024);
        // Goal 1: five plain indicators in body rows 0–4.
        let m = merges(&g, 0..5, &[0, 1, 2, 3, 4, 12, 13, 14]);
        // 基本目標 and ページ番号 down the goal's five rows.
        assert!(m.contains(&(0, 5, 0, 1)), "{m:?}");
        assert!(m.contains(&(0, 5, 1, 1)), "{m:?}");
        // 地域共生課: three consecutive indicators of the same department.
        assert!(m.contains(&(0, 3, 2, 1)), "{m:?}");
        // Each plain indicator's name spans both 項目 columns.
        for r in 0..5 {
            assert!(m.contains(&(r, 1, 3, 2)), "{r}: {m:?}");
        }
        // No text column is merged across indicators.
        assert!(!m.iter().any(|(_, rows, c, _)| *c >= 12 && *rows > 1), "{m:?}");
    }

    #[test]
    fn goal_2_merges() {
        let g = grid(2024);
        // Goal 2: ふれあい (3 measures, rows 5–7), 地域協力ネットワーク (1 measure,
        // row 8), the gathering-places survey (row 9).
        let m = merges(&g, 5..10, &[0, 1, 2, 3, 4, 12, 13, 14]);
        assert!(m.contains(&(5, 5, 0, 1)), "{m:?}");
        assert!(m.contains(&(5, 5, 1, 1)), "{m:?}");
        // ふれあい: department, name, rationale and both texts down its three rows.
        for col in [2, 3, 12, 13, 14] {
            assert!(m.contains(&(5, 3, col, 1)), "col {col}: {m:?}");
        }
        // 地域協力ネットワーク keeps its name and measure in separate columns.
        assert!(!m.iter().any(|(r, _, c, _)| *r == 8 && (*c == 3 || *c == 4)), "{m:?}");
        // The plain survey indicator spans both 項目 columns.
        assert!(m.contains(&(9, 1, 3, 2)), "{m:?}");
        let measure_names: Vec<String> = g
            .body_cells()
            .filter(|(_, c)| c.col == 4)
            .map(|(_, c)| c.joined())
            .collect();
        assert_eq!(
            measure_names,
            ["利用登録団体", "延べ利用者数", "延べ利用回数", "参加団体数"]
        );
    }

    #[test]
    fn headers_name_the_report_year_and_the_next() {
        let header = |g: &Grid| {
            g.cells
                .iter()
                .filter(|c| c.row == 0)
                .map(Cell::joined)
                .collect::<Vec<_>>()
        };
        let h6 = header(&grid(2024));
        assert!(h6.iter().any(|h| h.starts_with("令和６年度の取組状況")), "{h6:?}");
        assert!(
            h6.iter().any(|h| h.starts_with("令和７年度に向けた今後の展開")),
            "{h6:?}"
        );
        assert!(h6.contains(&"R４\n（現状値）".to_string()), "{h6:?}");
        // One digit full-width, two half-width, as the originals print them.
        assert!(h6.contains(&"R10\n（目標値）".to_string()), "{h6:?}");
        let h5 = header(&grid(2023));
        assert!(h5.iter().any(|h| h.starts_with("令和５年度の取組状況")), "{h5:?}");
        assert!(
            h5.iter().any(|h| h.starts_with("令和６年度に向けた今後の展開")),
            "{h5:?}"
        );
    }
}
