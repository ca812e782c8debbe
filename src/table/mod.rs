//! Data × layout → one logical grid of cells with spans.
//!
//! The grid knows nothing of fonts or pages: it holds the columns (with
//! their widths), the header rows, the body rows (one per innermost data
//! item) and the cells, each with its row and column span and its text as
//! lines. Measuring, pagination and both renderers work from this grid.

mod build;
pub mod format;

pub use build::{BuildOptions, ROW, build, root_scope};

use crate::layout::{HAlign, VAlign};

/// The grid of one table.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// How many of the first rows are header rows (repeated on every page
    /// unless `header_repeat` is false).
    pub header_rows: usize,
    /// Whether header rows are printed again on every page a table
    /// continues on; otherwise once, above the table's first rows.
    pub header_repeat: bool,
    /// All rows, header rows first.
    pub rows: Vec<RowInfo>,
    /// All cells, in row-major order of their top-left corner.
    pub cells: Vec<Cell>,
    /// The title line of the first page (single-table layouts).
    pub title: Option<Title>,
    /// Running titles of document layouts; rows name theirs.
    pub titles: Vec<Title>,
    /// Footer texts at left, centre and right.
    pub footer: [Option<FooterText>; 3],
    /// Footer font size in points.
    pub footer_size: f32,
    /// Whether the footer prints on the first page only.
    pub footer_first_page_only: bool,
    /// Body font size in points.
    pub font_size: f32,
    /// The layout's hanging indent for list lines, if it asks for one.
    pub hanging: Option<crate::layout::HangingIndent>,
}

/// One column.
#[derive(Debug, Clone)]
pub struct Column {
    /// The layout column's id (year columns share it).
    pub id: String,
    /// Width in pixels at 96 dpi: the unit spreadsheets store, so that both
    /// renderers use exactly the same width.
    pub width_px: u32,
    /// The fiscal year of a year column.
    pub year: Option<i32>,
}

impl Column {
    /// Width in points.
    pub fn width_pt(&self) -> f32 {
        self.width_px as f32 * 0.75
    }
}

/// What a row stands for.
#[derive(Debug, Clone, Default)]
pub struct RowInfo {
    /// Rows with the same keep group stay on one page when they fit.
    pub keep: usize,
    /// A label for reports (the layout's `row_label`), empty for header rows.
    pub label: String,
    /// Ids of the data items of this row, outermost first (`id` fields, or
    /// the item's index where it has none).
    pub item_ids: Vec<String>,
    /// Start a new page with this row.
    pub break_before: bool,
    /// Keep this row on the page of the next one (headings).
    pub keep_with_next: bool,
    /// The table (of a document layout) this row belongs to.
    pub table: Option<usize>,
    /// Whether this row is its table's header row.
    pub table_header: bool,
    /// The running title of the pages this row is on (index into
    /// [`Grid::titles`]).
    pub title: Option<usize>,
    /// What the row is in the document's structure.
    pub role: RowRole,
}

/// What a row is in the document's structure, for a reader that follows
/// it rather than the page (the tagged PDF).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RowRole {
    /// A row of a table: of the single table, or of a document's table
    /// ([`RowInfo::table`]).
    #[default]
    Table,
    /// A heading of a document layout, at this level (1 the highest): its
    /// titles that head their pages come first, then its headings ranked by
    /// size and weight, never more than one level below the heading before.
    Heading(u8),
    /// Paragraphs of running text (a document's paragraphs or legend).
    Text,
}

/// One line of a cell's text before line breaking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text (no newline).
    pub text: String,
    /// A value that must never be split (`20,292世帯`, `62.4％以上`).
    pub nobreak: bool,
}

impl Line {
    /// A line that may be broken where Japanese line breaking allows.
    pub fn text(t: impl Into<String>) -> Line {
        Line {
            text: t.into(),
            nobreak: false,
        }
    }
    /// A line that must stay whole.
    pub fn value(t: impl Into<String>) -> Line {
        Line {
            text: t.into(),
            nobreak: true,
        }
    }
}

/// How a cell looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellStyle {
    /// Bold text.
    pub bold: bool,
    /// Horizontal alignment.
    pub align: HAlign,
    /// Vertical alignment.
    pub valign: VAlign,
    /// Background colour.
    pub fill: Option<[u8; 3]>,
    /// Font size in points, where it is not the body size (headings).
    pub size: Option<f32>,
}

/// The data field a body cell shows, for the workflows that write answers
/// back (yearly templates): which item, which field below it, which year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// What the cell shows.
    pub kind: SourceKind,
    /// The value of the item's id field (the layout's `template.item_id`),
    /// where it has one: the object the cell's path starts at.
    pub item_id: Option<String>,
    /// The field's path below the item, keys resolved (`values`,
    /// `reports.2025.actions`).
    pub field: Vec<String>,
    /// The column's year, for a year column.
    pub year: Option<i32>,
    /// The unit printed with a year value.
    pub unit: Option<String>,
    /// How a unit is written right after a number (`％` → `%`).
    pub unit_after: Option<String>,
    /// The row's label (the layout's `row_label`), for messages.
    pub label: String,
    /// The row's value of the layout's `template.split.by`, if it has one.
    pub split: Option<String>,
}

/// What kind of field a [`Source`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A text field.
    Text,
    /// One year's entry of a `year_series` field.
    YearValue,
}

/// One cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Top row.
    pub row: usize,
    /// Left column.
    pub col: usize,
    /// Rows covered.
    pub rowspan: usize,
    /// Columns covered.
    pub colspan: usize,
    /// The text, one entry per paragraph.
    pub lines: Vec<Line>,
    /// Look.
    pub style: CellStyle,
    /// Print the text again where the cell continues on a new page.
    pub repeat: bool,
    /// Draw the cell's frame.
    pub border: bool,
    /// The data field the cell shows, where it shows one field.
    pub source: Option<Source>,
    /// Marks around the text where it is printed again on a continuation
    /// page (`（続き）`).
    pub marks: Option<crate::layout::RepeatMarks>,
    /// The number a value cell (`year_value`, `target`, `quantity`) shows,
    /// as stored: the workbook writes it as a number where a number format
    /// prints the cell's text exactly (the layout's `workbook.figures`).
    pub figure: Option<crate::value::Decimal>,
}

impl Cell {
    /// The cell's text with its lines joined by newlines.
    pub fn joined(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The title line.
#[derive(Debug, Clone)]
pub struct Title {
    /// Text at the left.
    pub left: String,
    /// Text at the right.
    pub right: String,
    /// Font size in points.
    pub size: f32,
    /// Bold.
    pub bold: bool,
    /// Height in points (rounded to whole pixels).
    pub height_pt: f32,
    /// Whether the title heads what follows it (the single table's title,
    /// a title of an `each` block) rather than running over every page of
    /// a document as page furniture (a document layout's own title).
    pub heads: bool,
}

/// A piece of footer text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FooterPiece {
    /// Literal text.
    Text(String),
    /// The page number.
    Page,
    /// The number of pages.
    Pages,
}

/// A footer text: pieces to be joined once page numbers are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterText(pub Vec<FooterPiece>);

impl FooterText {
    /// The text for page `page` of `pages`.
    ///
    /// ```
    /// use shiryo::table::{FooterText, FooterPiece};
    /// let f = FooterText(vec![FooterPiece::Page, FooterPiece::Text(" / ".into()), FooterPiece::Pages]);
    /// assert_eq!(f.for_page(1, 3), "1 / 3");
    /// ```
    pub fn for_page(&self, page: usize, pages: usize) -> String {
        self.0
            .iter()
            .map(|p| match p {
                FooterPiece::Text(t) => t.clone(),
                FooterPiece::Page => page.to_string(),
                FooterPiece::Pages => pages.to_string(),
            })
            .collect()
    }
}

impl Grid {
    /// Total width in points.
    pub fn width_pt(&self) -> f32 {
        self.columns.iter().map(Column::width_pt).sum()
    }

    /// The cells starting in body rows.
    pub fn body_cells(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells.iter().enumerate().filter(|(_, c)| c.row >= self.header_rows)
    }
}

/// Converts millimetres to whole pixels at 96 dpi.
pub fn mm_to_px(mm: f32) -> u32 {
    (mm / 25.4 * 96.0).round().max(1.0) as u32
}
