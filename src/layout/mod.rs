//! Layout files: how a plan becomes an official table.
//!
//! A layout is JSON (see `docs/layouts.md`; `shiryo schema layout` prints
//! its schema). It names the paper, margins and fonts, the title, label and
//! footer, the nested groups of the data that make the rows, and the
//! columns: each column binds its cells to a group and chooses one of a
//! small set of cell kinds. Nothing about a particular document lives in
//! Rust code.

pub mod schema;
pub mod template;

use crate::diag::{Problem, Problems};
use crate::lang::tr;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use template::Template;

/// A layout file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The `$schema` reference editors use; ignored.
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The layout's name (its file stem).
    pub name: String,
    /// One line saying what document this layout produces.
    pub description: String,
    /// The shape of the data this layout renders: a bundled shape's name
    /// (`progress-survey`) or a shape file's path relative to the layout
    /// file (`my-sheet.shape.json`).
    pub shape: String,
    /// The name of the workbook's sheet (default: the layout's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Document metadata: the PDF's and workbook's title and subject.
    #[serde(default)]
    pub metadata: MetadataSpec,
    /// Paper, orientation and margins.
    pub page: PageSpec,
    /// The body font.
    pub font: FontSpec,
    /// Line pitch as a multiple of the font size.
    #[serde(default = "default_line_spacing")]
    pub line_spacing: f32,
    /// Inner cell padding.
    #[serde(default)]
    pub padding_mm: Padding,
    /// Hanging indents for list lines: a paragraph of a left-aligned text
    /// that starts with a list mark (`・`, `○`, `１．`, `(1)`) continues
    /// its wrapped lines under the text after the mark (default: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hanging_indent: Option<HangingIndent>,
    /// The title line above the table on the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TitleSpec>,
    /// The page footer, printed on every page.
    #[serde(default)]
    pub footer: FooterSpec,
    /// How the header row looks.
    #[serde(default)]
    pub header: HeaderStyle,
    /// Which data groups make the rows of a single-table layout. A layout
    /// has either `body` or `blocks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySpec>,
    /// A document layout: headings, paragraphs and tables, repeated over
    /// the data's groups, in order. Its tables use `columns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Vec<Block>>,
    /// The columns, left to right.
    pub columns: Vec<ColumnSpec>,
    /// How yearly templates differ from the committee table.
    #[serde(default)]
    pub template: TemplateSpec,
    /// How the workbook holds the table's text and figures.
    #[serde(default)]
    pub workbook: WorkbookSpec,
}

/// How the workbook holds the table's text and figures.
///
/// ```
/// use shiryo::layout::{Figures, LineBreaks, WorkbookSpec};
/// let w: WorkbookSpec = serde_json::from_str(r#"{ "line_breaks": "shiryo", "figures": "numbers" }"#).unwrap();
/// assert_eq!((w.line_breaks, w.figures), (LineBreaks::Shiryo, Figures::Numbers));
/// let w: WorkbookSpec = serde_json::from_str("{}").unwrap();
/// assert_eq!((w.line_breaks, w.figures), (LineBreaks::Program, Figures::Text));
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkbookSpec {
    /// Who breaks a cell's text into lines in the workbook: the
    /// spreadsheet program (`program`, the default) or shiryo (`shiryo`:
    /// each cell holds the lines the PDF prints, so every program prints
    /// the same lines, 禁則 kept, with the PDF's cell padding).
    #[serde(default)]
    pub line_breaks: LineBreaks,
    /// How figures of `year_value`, `target` and `quantity` cells are
    /// written: as text (`text`, the default) or as numbers with a number
    /// format that prints them as the PDF does (`numbers`).
    #[serde(default)]
    pub figures: Figures,
}

/// Who breaks a workbook cell's text into lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineBreaks {
    /// The spreadsheet program wraps each cell's text to its width.
    #[default]
    Program,
    /// Each cell holds shiryo's lines, joined by line breaks.
    Shiryo,
}

/// How the workbook writes figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Figures {
    /// As the text the PDF prints (`20,292世帯`).
    #[default]
    Text,
    /// As numbers (`20292`) with a number format printing that text
    /// (`#,##0"世帯"`), where one can.
    Numbers,
}

/// The title and subject written into the PDF and the workbook.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetadataSpec {
    /// The document title (default: the title line's left text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Template>,
    /// The subject (default: the title and the report year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Template>,
}

/// Settings of the yearly input templates (`shiryo template`).
///
/// ```
/// let t: shiryo::layout::TemplateSpec = serde_json::from_str(
///     r#"{ "note_column": { "header": "速報値", "width_mm": 11, "choices": ["※速報値"] } }"#,
/// ).unwrap();
/// assert_eq!(t.note_column.unwrap().choices, ["※速報値"]);
/// assert_eq!(t.text_lines, 6);
/// ```
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// A column inserted right after the report year's value column, in
    /// which a department marks a value as provisional (`※速報値`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_column: Option<NoteColumnSpec>,
    /// The least number of text lines an input text cell has room for.
    #[serde(default = "default_text_lines")]
    pub text_lines: u16,
    /// Background colour of input cells, `#RRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_fill: Option<String>,
    /// The field that identifies a data item (default `id`): an input
    /// cell belongs to the item its path starts at, found again by this
    /// field when the filled template comes back.
    #[serde(default = "default_item_id")]
    pub item_id: String,
    /// How templates are split, one workbook per value (`--split`), and
    /// which rows `--only NAME` keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitSpec>,
}

impl Default for TemplateSpec {
    fn default() -> Self {
        TemplateSpec {
            note_column: None,
            text_lines: default_text_lines(),
            input_fill: None,
            item_id: default_item_id(),
            split: None,
        }
    }
}

fn default_item_id() -> String {
    "id".to_string()
}

/// What a template workbook holds when templates are split: the rows
/// whose `by` text is one value (the rows of one 担当部署, say).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// A template evaluated on each row (`{indicator.department}`).
    pub by: Template,
    /// What one value is called, for messages (`担当部署`).
    pub name: String,
}

fn default_text_lines() -> u16 {
    6
}

/// The note column of a template: its header, width and the notes a
/// department may choose from (a value's `note` in the data).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteColumnSpec {
    /// Header text (a template: `{year}` is the report year).
    pub header: Template,
    /// Width in millimetres.
    pub width_mm: f32,
    /// The notes offered; a blank cell means no note.
    pub choices: Vec<String>,
}

/// A block of a document layout. Every block but a table spans the full
/// width of the columns.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// One line of heading text, kept on the page of what follows it.
    Heading(HeadingSpec),
    /// Paragraphs in one cell across the width (a long block continues on
    /// the next page).
    Paragraphs(ParagraphsSpec),
    /// A table of the layout's columns: their headers as its header row
    /// (repeated where the table continues on a new page), and one row per
    /// innermost item of `groups`.
    Table(BodySpec),
    /// The blocks, once for each item of a list.
    Each(EachSpec),
    /// The lines of an enumeration's legend (`A：順調に進んでいる`), from the
    /// data's shape, in one cell across the width.
    Legend(LegendSpec),
    /// What follows starts on a new page (after a cover page, say).
    PageBreak(PageBreakSpec),
}

/// A legend block: the meanings of an `enum` field's values.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegendSpec {
    /// The field's path in the shape, through lists and objects
    /// (`policies.measures.directions.actions.rating`).
    pub field: String,
    /// One line per value: `{value}` and `{meaning}` (default
    /// `{value}：{meaning}`).
    #[serde(default = "legend_line")]
    pub text: Template,
    /// Draw a frame around the block.
    #[serde(default)]
    pub border: bool,
    /// Keep the block on the page of what follows it, as a heading is.
    #[serde(default)]
    pub keep_with_next: bool,
}

fn legend_line() -> Template {
    Template::from_str_infallible("{value}：{meaning}")
}

/// A page break (no options).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageBreakSpec {}

/// A heading.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeadingSpec {
    /// The text.
    pub text: Template,
    /// Bold text (default true).
    #[serde(default = "yes")]
    pub bold: bool,
    /// Horizontal alignment.
    #[serde(default)]
    pub align: HAlign,
    /// Font size in points (default: the body size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<f32>,
}

/// A block of paragraphs.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParagraphsSpec {
    /// The paragraphs: templates, or one per element of a list (`{item}`,
    /// numbered by `{index}`).
    pub lines: Vec<LineSpec>,
    /// Draw a frame around the block.
    #[serde(default)]
    pub border: bool,
    /// Keep the block on the page of what follows it, as a heading is
    /// (a section's 方針 with the first rows of its table).
    #[serde(default)]
    pub keep_with_next: bool,
}

/// Blocks repeated for each item of a list.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EachSpec {
    /// Path of the list (`divisions`, `division.units`).
    pub each: String,
    /// Name the item is bound to; `{NAME_index}` is its 1-based position.
    #[serde(rename = "as")]
    pub name: String,
    /// Start each item on a new page.
    #[serde(default)]
    pub page_break: bool,
    /// The title printed at the top of every page of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TitleSpec>,
    /// The blocks.
    pub blocks: Vec<Block>,
}

fn default_line_spacing() -> f32 {
    1.25
}

/// Paper sizes a layout can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum PaperSize {
    /// ISO A3, 297 × 420 mm.
    A3,
    /// ISO A4, 210 × 297 mm.
    A4,
    /// JIS B4, 257 × 364 mm.
    B4,
    /// JIS B5, 182 × 257 mm.
    B5,
}

impl PaperSize {
    /// Portrait width and height in millimetres.
    pub fn mm(self) -> (f32, f32) {
        match self {
            PaperSize::A3 => (297.0, 420.0),
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::B4 => (257.0, 364.0),
            PaperSize::B5 => (182.0, 257.0),
        }
    }

    /// The paper code of the spreadsheet page setup.
    pub fn xlsx_code(self) -> u8 {
        match self {
            PaperSize::A3 => 8,
            PaperSize::A4 => 9,
            PaperSize::B4 => 12,
            PaperSize::B5 => 13,
        }
    }
}

/// Page orientation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall.
    Landscape,
}

/// Paper, orientation and margins.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// The paper size.
    pub size: PaperSize,
    /// The orientation.
    #[serde(default)]
    pub orientation: Orientation,
    /// Page margins in millimetres.
    pub margins_mm: Margins,
    /// Distance of the footer's baseline area from the bottom edge, in mm.
    #[serde(default = "default_footer_mm")]
    pub footer_mm: f32,
    /// The smallest text size, in points, a table may print at when its
    /// columns are wider than the page and it is printed smaller; below
    /// it `render` refuses unless told `--allow-small-text`.
    #[serde(default = "default_min_text_pt")]
    pub min_text_pt: f32,
}

fn default_footer_mm() -> f32 {
    6.0
}

fn default_min_text_pt() -> f32 {
    6.0
}

impl PageSpec {
    /// Page width and height in points, oriented.
    pub fn size_pt(&self) -> (f32, f32) {
        let (w, h) = self.size.mm();
        let (w, h) = match self.orientation {
            Orientation::Portrait => (w, h),
            Orientation::Landscape => (h, w),
        };
        (mm_to_pt(w), mm_to_pt(h))
    }
}

/// Margins in millimetres.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    /// Top margin.
    pub top: f32,
    /// Bottom margin (the footer prints inside it).
    pub bottom: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub right: f32,
}

/// Which paragraphs are list lines, wrapped with a hanging indent.
///
/// ```
/// let h: shiryo::layout::HangingIndent = serde_json::from_str(r#"{ "marks": ["・", "◎"] }"#).unwrap();
/// assert_eq!(h.marks, ["・", "◎"]);
/// assert!(h.numbers);
/// let h: shiryo::layout::HangingIndent = serde_json::from_str("{}").unwrap();
/// assert!(h.marks.iter().any(|m| m == "○"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HangingIndent {
    /// The marks that start a list line, after any leading spaces (default
    /// `・ ○ ● ◎ ◇ ◆ □ ■ ☆ ★ ※ ＊`).
    #[serde(default = "default_list_marks")]
    pub marks: Vec<String>,
    /// Whether a number with its punctuation also starts a list line:
    /// `１．`, `1.`, `２、`, `3)`, `(1)`, `（２）`, `①` (default true).
    #[serde(default = "yes")]
    pub numbers: bool,
}

/// The width a spreadsheet program keeps of a cell for itself, in points:
/// Excel's 5 pixels (a margin of 2 on each side and the grid line);
/// LibreOffice keeps less. A line written into a cell must be narrower than
/// the cell by this much, or the program wraps it again.
pub const PROGRAM_MARGINS_PT: f32 = 3.75;

/// The list marks a layout's `hanging_indent` recognises unless it names
/// its own: a paragraph starting with one (after any spaces) is a list
/// line, its wrapped lines indented under the text after the mark.
pub const LIST_MARKS: &[&str] = &["・", "○", "●", "◎", "◇", "◆", "□", "■", "☆", "★", "※", "＊"];

fn default_list_marks() -> Vec<String> {
    LIST_MARKS.iter().map(|m| m.to_string()).collect()
}

/// Cell padding in millimetres.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Padding {
    /// Left and right.
    pub x: f32,
    /// Top and bottom.
    pub y: f32,
}

impl Default for Padding {
    fn default() -> Self {
        Padding { x: 1.2, y: 0.8 }
    }
}

/// The font a layout uses.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    /// Family name. `BIZ UDGothic` is bundled; any other family is looked
    /// up among the system's fonts.
    pub family: String,
    /// Body size in points.
    pub size: f32,
    /// The name written into the spreadsheet (defaults to `family`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xlsx_name: Option<String>,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HAlign {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// Vertical alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    /// At the top.
    #[default]
    Top,
    /// Centred.
    Center,
    /// At the bottom.
    Bottom,
}

/// The title line: text at the left and a label at the right.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TitleSpec {
    /// Text at the top left.
    pub left: Template,
    /// Text at the top right (the document label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<Template>,
    /// Font size in points.
    pub size: f32,
    /// Whether the title is bold.
    #[serde(default)]
    pub bold: bool,
    /// Height of the title row in millimetres.
    pub height_mm: f32,
}

/// The page footer: up to three templates, which may use `{page}` and
/// `{pages}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FooterSpec {
    /// Left part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Template>,
    /// Centre part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center: Option<Template>,
    /// Right part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<Template>,
    /// Font size in points (defaults to the body size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<f32>,
    /// Print the footer on the first page only (a footnote the original
    /// prints once), not on every page.
    #[serde(default)]
    pub first_page_only: bool,
}

/// How header cells look, and whether header rows repeat.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderStyle {
    /// Bold text.
    #[serde(default = "yes")]
    pub bold: bool,
    /// Background colour, `#RRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    /// Horizontal alignment.
    #[serde(default = "center")]
    pub align: HAlign,
    /// Vertical alignment.
    #[serde(default = "vcenter")]
    pub valign: VAlign,
    /// Print a table's header row again at the top of each page it
    /// continues on (default); `false` prints it once, above the table's
    /// first rows.
    #[serde(default = "yes")]
    pub repeat: bool,
}

fn yes() -> bool {
    true
}
fn center() -> HAlign {
    HAlign::Center
}
fn vcenter() -> VAlign {
    VAlign::Center
}

impl Default for HeaderStyle {
    fn default() -> Self {
        HeaderStyle {
            bold: true,
            fill: None,
            align: HAlign::Center,
            valign: VAlign::Center,
            repeat: true,
        }
    }
}

/// One level of nesting of the data: the array at `each` (relative to the
/// enclosing item, or to the plan for the first level), bound as `as`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Field holding the array of items.
    pub each: String,
    /// Name the item is bound to in templates and column scopes.
    #[serde(rename = "as")]
    pub name: String,
    /// A row of the item's own above its children's rows (a 方向性's 目標
    /// line), kept on the page of its first child row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<GroupRowSpec>,
}

/// The row of a group item of its own: one cell from column `from` to
/// column `to`; the columns before `from` show the enclosing groups' merged
/// cells (and this group's, where a column's scope is this group), the
/// others stay empty on that row.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRowSpec {
    /// The id of the first column the row's cell covers.
    pub from: String,
    /// The id of the last column it covers (default: the last column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The cell's lines.
    pub text: Vec<LineSpec>,
    /// Bold text.
    #[serde(default)]
    pub bold: bool,
    /// Background colour, `#RRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    /// Horizontal alignment.
    #[serde(default)]
    pub align: HAlign,
}

/// Which data groups make the rows: one row per innermost item; an item
/// whose next level is missing or empty is itself a row.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    /// The levels, outermost first.
    pub groups: Vec<GroupSpec>,
    /// A group whose rows are kept on one page when they fit on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_together: Option<String>,
    /// A template naming each row for reports (e.g. the indicator name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_label: Option<Template>,
}

/// Marks around a label printed again on a continuation page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepeatMarks {
    /// Text before the first line.
    #[serde(default)]
    pub before: String,
    /// Text after the last line.
    #[serde(default)]
    pub after: String,
}

/// Where a run of year columns starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearRef {
    /// The document's first year (its shape's `years.first`).
    First,
    /// The edition's report year.
    Report,
    /// The document's last year (its shape's `years.last`).
    Last,
    /// The year before the last.
    BeforeLast,
}

/// A run of columns, one per fiscal year.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First year.
    pub from: YearRef,
    /// Last year (inclusive).
    pub to: YearRef,
}

/// A line of a text cell: a template, a template shown only when a value
/// is there, or one line per element of a list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum LineSpec {
    /// One line; dropped when it renders empty.
    One(Template),
    /// One line, shown only when the value at the path `when` is not empty.
    When {
        /// Path of the value (`sub.name`).
        when: String,
        /// The line.
        text: Template,
    },
    /// One line per element of the list at `each`, bound as `item`.
    Each {
        /// Path of the list (`goal.directions`).
        each: String,
        /// The line, with `{item}` for the element.
        text: Template,
    },
}

impl<'de> Deserialize<'de> for LineSpec {
    /// Reads a line spec, keeping a template's own error message (an
    /// untagged enum would only say that no form matched).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = serde_json::Value::deserialize(d)?;
        let template = |v: &serde_json::Value, what: &str| -> Result<Template, D::Error> {
            v.as_str()
                .ok_or_else(|| D::Error::custom(tr!("expected {what} as a string", what = what)))?
                .parse::<Template>()
                .map_err(D::Error::custom)
        };
        let path = |v: &serde_json::Value, what: &str| -> Result<String, D::Error> {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| D::Error::custom(tr!("expected {what} as a string", what = what)))
        };
        match &v {
            serde_json::Value::String(_) => template(&v, &tr!("a template")).map(LineSpec::One),
            serde_json::Value::Object(m) => {
                let extra: Vec<&String> = m
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "each" | "when" | "text"))
                    .collect();
                if !extra.is_empty() {
                    return Err(D::Error::custom(tr!(
                        "unknown field {key} in a line (expected each/text or when/text)",
                        key = format!("{extra:?}")
                    )));
                }
                let text = template(m.get("text").unwrap_or(&serde_json::Value::Null), "\"text\"")?;
                match (m.get("each"), m.get("when")) {
                    (Some(e), None) => Ok(LineSpec::Each {
                        each: path(e, "\"each\"")?,
                        text,
                    }),
                    (None, Some(w)) => Ok(LineSpec::When {
                        when: path(w, "\"when\"")?,
                        text,
                    }),
                    _ => Err(D::Error::custom(tr!(
                        "expected a line object with either \"each\" or \"when\", and \"text\""
                    ))),
                }
            }
            _ => Err(D::Error::custom(tr!("expected a template string or a line object"))),
        }
    }
}

/// What a column's cells show: the named cell kinds.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CellKind {
    /// Lines of text from templates.
    Text(Vec<LineSpec>),
    /// A `year_series` field's value for the column's year: the number as
    /// stored and its unit (and its note on a second line), `―` when not
    /// measured, the layout's mark for a figure the source lost, or the
    /// unit alone when there is no value yet.
    YearValue(YearValueSpec),
    /// A `target` field: value, unit and qualifier (`40％以上`).
    Target(TargetSpec),
    /// A `quantity` field: the number with its own unit (`8175人`).
    Quantity(QuantitySpec),
}

/// Where the numbers of a value cell get thousands separators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Separators {
    /// Exactly where the stored number has them (`"20,292"` prints
    /// `20,292`, `"8175"` prints `8175`): the figures as the source printed
    /// them.
    #[default]
    AsStored,
    /// In every number of four or more integer digits (`"8175"` prints
    /// `8,175`).
    Always,
}

/// Options of the `year_value` kind.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearValueSpec {
    /// Path of the `year_series` field (`row.values`).
    pub series: String,
    /// The unit printed after numbers and alone in blank cells (`{row.unit}`).
    #[serde(default = "empty_template")]
    pub unit: Template,
    /// How a unit is written right after a number when it differs from
    /// its stand-alone form (`{"％": "%"}` prints `30.6%` but a blank `％`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unit_after_number: BTreeMap<String, String>,
    /// Text for a year that is not measured (default `―`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_measured: Option<String>,
    /// Text for a figure the source lost (an entry `{"lost": true}`;
    /// default: an empty cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<String>,
    /// Where numbers get thousands separators (default: as stored).
    #[serde(default)]
    pub separators: Separators,
}

/// Options of the `target` kind.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Path of the `target` field (`row.target`).
    pub value: String,
    /// The unit printed after the number (`{row.unit}`).
    #[serde(default = "empty_template")]
    pub unit: Template,
    /// How a unit is written right after a number (as for `year_value`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unit_after_number: BTreeMap<String, String>,
    /// Where numbers get thousands separators (default: as stored).
    #[serde(default)]
    pub separators: Separators,
}

/// Options of the `quantity` kind.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantitySpec {
    /// Path of the `quantity` field.
    pub value: String,
    /// How a unit is written right after a number (as for `year_value`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unit_after_number: BTreeMap<String, String>,
    /// Where numbers get thousands separators (default: as stored).
    #[serde(default)]
    pub separators: Separators,
}

/// One column (or, with `years`, one column per year).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// A short name for messages and templates.
    pub id: String,
    /// Header text; empty when the previous column's header spans this one.
    #[serde(default = "empty_template")]
    pub header: Template,
    /// How many columns the header cell covers (the two-level 項目).
    #[serde(default = "one")]
    pub header_span: u16,
    /// Header of the first year of a year run (`R４\n（現状値）`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_year_header: Option<Template>,
    /// Width in millimetres.
    pub width_mm: f32,
    /// Horizontal alignment of body cells.
    #[serde(default)]
    pub align: HAlign,
    /// Vertical alignment of body cells.
    #[serde(default)]
    pub valign: VAlign,
    /// The group whose rows a cell is merged down (default: one row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Also merge consecutive items of the scope that show the same text.
    #[serde(default)]
    pub merge_equal: bool,
    /// When this binding is absent on a row, the cell also covers the next
    /// column (a plain indicator's name across both 項目 columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_if_absent: Option<String>,
    /// When this data path is missing (absent or `null`) in the rows of a
    /// cell, the cell also covers the next column, unless that is an input
    /// column or scoped: a long sub-item name printed across the 内容 it
    /// does not have (`sub.content`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_if_missing: Option<String>,
    /// Print the cell's text again at the top of each page it continues on.
    #[serde(default)]
    pub repeat_on_new_page: bool,
    /// Marks around a text printed again on a continuation page
    /// (`{"after": "（続き）"}`, `{"before": "（再）"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_marks: Option<RepeatMarks>,
    /// Repeat this column once per fiscal year of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<YearRange>,
    /// Whether the yearly template asks for this column's data: the
    /// report year's cell of a `year_value` column, or the field a text
    /// column shows (its content must then be one `{path}`).
    #[serde(default)]
    pub input: bool,
    /// What the cells show.
    pub content: CellKind,
}

fn empty_template() -> Template {
    Template::from_str_infallible("")
}
fn one() -> u16 {
    1
}

impl Template {
    fn from_str_infallible(s: &str) -> Template {
        s.parse().unwrap_or_else(|_| unreachable!("literal template"))
    }
}

/// The path of an `each` or `when` line as a one-substitution template.
///
/// ```
/// let t = shiryo::layout::each_path("goal.directions").unwrap();
/// assert_eq!(t.exprs().count(), 1);
/// assert!(shiryo::layout::each_path("goal..x").is_none());
/// ```
pub fn each_path(each: &str) -> Option<Template> {
    format!("{{{each}}}").parse().ok()
}

/// The test of a `when` line: `path|filters`, shown when it renders
/// non-empty, or with a leading `!` when it renders empty. Returns
/// (negated, the test as a one-substitution template).
///
/// ```
/// let (neg, t) = shiryo::layout::when_path("!action.rating|map:D=x").unwrap();
/// assert!(neg);
/// assert_eq!(t.exprs().count(), 1);
/// assert!(shiryo::layout::when_path("a.b|nope").is_none());
/// ```
pub fn when_path(when: &str) -> Option<(bool, Template)> {
    let (negated, rest) = match when.trim().strip_prefix('!') {
        Some(r) => (true, r.trim()),
        None => (false, when.trim()),
    };
    each_path(rest).map(|t| (negated, t))
}

/// Problems of the `each` and `when` paths of text lines.
fn line_problems(specs: &[LineSpec], place: &str, p: &mut dyn FnMut(String, String)) {
    for (j, line) in specs.iter().enumerate() {
        match line {
            LineSpec::Each { each, .. } => {
                if let Err(e) = format!("{{{each}}}").parse::<Template>() {
                    p(
                        format!("{place}[{j}].each"),
                        tr!("expected a path such as \"group.lines\": {error}", error = e),
                    );
                }
            }
            LineSpec::When { when, .. } => {
                let rest = when.trim().trim_start_matches('!').trim();
                if let Err(e) = format!("{{{rest}}}").parse::<Template>() {
                    p(
                        format!("{place}[{j}].when"),
                        tr!(
                            "expected a path with filters such as \"item.name\" or \"!item.note|map:x=y\": {error}",
                            error = e
                        ),
                    );
                }
            }
            LineSpec::One(_) => {}
        }
    }
}

/// The one path a text column shows, when its content is a single line
/// that is a single substitution without filters (`{indicator.reports[report_year].actions}`).
pub fn input_path(lines: &[LineSpec]) -> Option<&template::Expr> {
    match lines {
        [LineSpec::One(t)] => t.single_expr(),
        _ => None,
    }
}

/// Parses `#RRGGBB`.
///
/// ```
/// assert_eq!(shiryo::layout::parse_color("#E7E6E6"), Some([0xE7, 0xE6, 0xE6]));
/// assert_eq!(shiryo::layout::parse_color("red"), None);
/// ```
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let b = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([b(0)?, b(2)?, b(4)?])
}

/// Millimetres to points.
pub fn mm_to_pt(mm: f32) -> f32 {
    mm / 25.4 * 72.0
}

/// A layout read from a file or from the bundled set.
#[derive(Debug, Clone)]
pub struct LoadedLayout {
    /// Where it came from (a path, or `layouts/NAME.json` for a bundled one).
    pub path: PathBuf,
    /// The parsed layout.
    pub layout: Layout,
    /// The layout's source text.
    pub source: String,
    /// Whether it is one of the layouts built into shiryo.
    pub bundled: bool,
}

/// The layouts bundled in the binary: (name, source), every file of
/// `layouts/` (listed at build time).
pub const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_layouts.rs"));

/// Parses a layout from its text.
pub fn parse(path: &Path, text: &str) -> Result<LoadedLayout, Problems> {
    let value = crate::diag::parse_value(path, text)?;
    let problems = schema::problems(path, &value);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let layout: Layout = crate::diag::deserialize(path, &value)?;
    let problems = validate(path, &layout);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(LoadedLayout {
        path: path.to_path_buf(),
        layout,
        source: text.to_string(),
        bundled: false,
    })
}

/// Reads a layout file.
pub fn load(path: &Path) -> Result<LoadedLayout, Problems> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::new(
            path,
            "",
            tr!("cannot read the layout: {error}", error = crate::lang::io_error(&e)),
        )
    })?;
    parse(path, &text)
}

/// A bundled layout by name.
pub fn bundled(name: &str) -> Option<LoadedLayout> {
    let (_, src) = BUNDLED.iter().find(|(n, _)| *n == name)?;
    let mut l = parse(&PathBuf::from(format!("layouts/{name}.json")), src).ok()?;
    l.bundled = true;
    Some(l)
}

fn validate_body(b: &BodySpec, place: &str, p: &mut dyn FnMut(String, String)) {
    let names: Vec<&str> = b.groups.iter().map(|g| g.name.as_str()).collect();
    for (i, g) in b.groups.iter().enumerate() {
        if let Some(r) = &g.row {
            line_problems(&r.text, &format!("{place}.groups[{i}].row.text"), p);
            if let Some(f) = &r.fill
                && parse_color(f).is_none()
            {
                p(
                    format!("{place}.groups[{i}].row.fill"),
                    tr!("expected a colour #RRGGBB, found {found}", found = format!("{f:?}")),
                );
            }
            if i + 1 == b.groups.len() {
                p(
                    format!("{place}.groups[{i}].row"),
                    tr!("the innermost group's items are rows already; a row of its own belongs to an outer group"),
                );
            }
        }
    }
    if b.groups.is_empty() {
        p(format!("{place}.groups"), tr!("expected at least one group"));
    }
    if let Some(k) = &b.keep_together
        && !names.contains(&k.as_str())
    {
        p(
            format!("{place}.keep_together"),
            tr!(
                "expected one of the group names {names}, found {found}",
                names = format!("{names:?}"),
                found = format!("{k:?}")
            ),
        );
    }
}

/// Collects the names a document's blocks bind and checks its tables.
fn collect_block_names<'a>(
    blocks: &'a [Block],
    place: &str,
    names: &mut Vec<&'a str>,
    p: &mut dyn FnMut(String, String),
) {
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Table(t) => {
                names.extend(t.groups.iter().map(|g| g.name.as_str()));
                validate_body(t, &format!("{place}[{i}].table"), p);
            }
            Block::Each(e) => {
                if each_path(&e.each).is_none() {
                    p(
                        format!("{place}[{i}].each.each"),
                        tr!(
                            "expected a path such as \"part.items\", found {found}",
                            found = format!("{:?}", e.each)
                        ),
                    );
                }
                names.push(&e.name);
                collect_block_names(&e.blocks, &format!("{place}[{i}].each.blocks"), names, p);
            }
            Block::Paragraphs(ps) => line_problems(&ps.lines, &format!("{place}[{i}].paragraphs.lines"), p),
            Block::Heading(h) => {
                if let Some(size) = h.size
                    && !(1.0..=72.0).contains(&size)
                {
                    p(
                        format!("{place}[{i}].heading.size"),
                        tr!("expected a size from 1 to 72 points, found {found}", found = size),
                    );
                }
            }
            Block::Legend(_) | Block::PageBreak(_) => {}
        }
    }
}

/// Checks what the types cannot: positive sizes, known scopes, spans that
/// stay inside the table.
pub fn validate(path: &Path, l: &Layout) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut p = |place: String, msg: String| out.push(Problem::new(path, place, msg));
    let mut names: Vec<&str> = Vec::new();
    match (&l.body, &l.blocks) {
        (Some(b), None) => {
            names.extend(b.groups.iter().map(|g| g.name.as_str()));
            validate_body(b, "body", &mut p);
        }
        (None, Some(blocks)) => collect_block_names(blocks, "blocks", &mut names, &mut p),
        (Some(b), Some(_)) => {
            names.extend(b.groups.iter().map(|g| g.name.as_str()));
            p(
                "blocks".into(),
                tr!("expected either \"body\" (a single table) or \"blocks\" (a document), not both"),
            )
        }
        (None, None) => p(
            "".into(),
            tr!("expected \"body\" (a single table) or \"blocks\" (a document)"),
        ),
    }
    let mut range = |place: &str, v: f32, lo: f32, hi: f32, what: &str| {
        if v.is_nan() || v < lo || v > hi {
            p(
                place.to_string(),
                tr!(
                    "expected {what} from {lo} to {hi}, found {found}",
                    what = what,
                    lo = lo,
                    hi = hi,
                    found = v
                ),
            );
        }
    };
    let m = &l.page.margins_mm;
    for (k, v) in [
        ("top", m.top),
        ("bottom", m.bottom),
        ("left", m.left),
        ("right", m.right),
    ] {
        range(&format!("page.margins_mm.{k}"), v, 0.0, 100.0, &tr!("a margin in mm"));
    }
    range("page.footer_mm", l.page.footer_mm, 0.0, 100.0, &tr!("a distance in mm"));
    range(
        "page.min_text_pt",
        l.page.min_text_pt,
        1.0,
        72.0,
        &tr!("a size in points"),
    );
    range(
        "line_spacing",
        l.line_spacing,
        0.8,
        5.0,
        &tr!("a multiple of the font size"),
    );
    range("padding_mm.x", l.padding_mm.x, 0.0, 20.0, &tr!("a padding in mm"));
    range("padding_mm.y", l.padding_mm.y, 0.0, 20.0, &tr!("a padding in mm"));
    if let Some(t) = &l.title {
        range("title.size", t.size, 1.0, 72.0, &tr!("a size in points"));
        range("title.height_mm", t.height_mm, 1.0, 200.0, &tr!("a height in mm"));
    }
    if let Some(size) = l.footer.size {
        range("footer.size", size, 1.0, 72.0, &tr!("a size in points"));
    }
    let (pw, ph) = l.page.size.mm();
    let (pw, ph) = match l.page.orientation {
        Orientation::Portrait => (pw, ph),
        Orientation::Landscape => (ph, pw),
    };
    if m.left + m.right >= pw || m.top + m.bottom >= ph {
        p(
            "page.margins_mm".into(),
            tr!(
                "the margins leave no room on a {width} × {height} mm page",
                width = pw,
                height = ph
            ),
        );
    }
    let printable_w = pw - m.left - m.right;
    for (i, c) in l.columns.iter().enumerate() {
        if c.width_mm > printable_w {
            p(
                format!("columns[{i}].width_mm"),
                tr!(
                    "the column is {width} mm wide, wider than the {room} mm the page has between its margins",
                    width = c.width_mm,
                    room = printable_w
                ),
            );
        }
    }
    // Lines broken at the column less its padding fit in a spreadsheet
    // cell only when the padding is at least the program's own margin.
    let least = (PROGRAM_MARGINS_PT / 2.0 * 25.4 / 72.0 * 10.0).ceil() / 10.0;
    if l.workbook.line_breaks == LineBreaks::Shiryo && l.padding_mm.x < least {
        p(
            "workbook.line_breaks".into(),
            tr!(
                "\"shiryo\" line breaks need a padding_mm.x of at least {least} mm, found {found}: a spreadsheet program \
                 keeps that much of each side of a cell for itself, and would wrap a full line again",
                least = least,
                found = l.padding_mm.x
            ),
        );
    }
    let sheet = l.sheet.as_deref().unwrap_or(&l.name);
    if sheet.is_empty()
        || sheet.chars().count() > 31
        || sheet.contains(['[', ']', ':', '*', '?', '/', '\\'])
        || sheet.starts_with('\'')
        || sheet.ends_with('\'')
    {
        p(
            if l.sheet.is_some() { "sheet" } else { "name" }.into(),
            tr!(
                "the workbook's sheet would be named {sheet}: a sheet name has 1 to 31 characters, none of [ ] : * ? / \\, \
                 and does not start or end with an apostrophe (set \"sheet\")",
                sheet = format!("{sheet:?}")
            ),
        );
    }
    for (place, b) in bodies(l) {
        for (i, g) in b.groups.iter().enumerate().skip(1) {
            if g.each.contains(['.', '[', '{']) {
                p(
                    format!("{place}.groups[{i}].each"),
                    tr!(
                        "expected the name of a field of the enclosing group's items, found the path {found}",
                        found = format!("{:?}", g.each)
                    ),
                );
            }
        }
    }
    if l.font.size <= 0.0 || l.font.size > 72.0 {
        p(
            "font.size".into(),
            tr!(
                "expected a size from 1 to 72 points, found {found}",
                found = l.font.size
            ),
        );
    }
    if l.columns.is_empty() {
        p("columns".into(), tr!("expected at least one column"));
    }
    let mut ids = std::collections::HashSet::new();
    for (i, c) in l.columns.iter().enumerate() {
        let place = format!("columns[{i}]");
        if !ids.insert(c.id.as_str()) {
            p(
                format!("{place}.id"),
                tr!("duplicate column id {id}", id = format!("{:?}", c.id)),
            );
        }
        if c.width_mm.is_nan() || c.width_mm <= 0.0 {
            p(
                format!("{place}.width_mm"),
                tr!("expected a positive width, found {found}", found = c.width_mm),
            );
        }
        for (what, s) in [("scope", &c.scope), ("span_if_absent", &c.span_if_absent)] {
            if let Some(s) = s
                && !names.contains(&s.as_str())
            {
                p(
                    format!("{place}.{what}"),
                    tr!(
                        "expected one of the group names {names}, found {found}",
                        names = format!("{names:?}"),
                        found = format!("{s:?}")
                    ),
                );
            }
        }
        if c.header_span == 0 || i + c.header_span as usize > l.columns.len() {
            p(
                format!("{place}.header_span"),
                tr!(
                    "expected a span from 1 to {max}, found {found}",
                    max = l.columns.len() - i,
                    found = c.header_span
                ),
            );
        }
        for (what, set) in [
            ("span_if_absent", c.span_if_absent.is_some()),
            ("span_if_missing", c.span_if_missing.is_some()),
        ] {
            if set && i + 1 >= l.columns.len() {
                p(
                    format!("{place}.{what}"),
                    tr!("the last column has no next column to span"),
                );
            }
        }
        if let Some(path) = &c.span_if_missing
            && each_path(path).is_none_or(|t| t.exprs().count() != 1)
        {
            p(
                format!("{place}.span_if_missing"),
                tr!(
                    "expected a data path such as \"sub.content\", found {found}",
                    found = format!("{path:?}")
                ),
            );
        }
        if let CellKind::Text(lines) = &c.content {
            line_problems(lines, &format!("{place}.content.text"), &mut p);
        }
        if c.input
            && let CellKind::Text(lines) = &c.content
            && input_path(lines).is_none()
        {
            p(
                format!("{place}.input"),
                tr!("an input text column shows one field: expected its content to be one line \"{{path}}\""),
            );
        }
        match (&c.years, &c.content) {
            (Some(_), CellKind::YearValue(_))
            | (None, CellKind::Text(_) | CellKind::Target(_) | CellKind::Quantity(_)) => {}
            (Some(_), _) => p(
                format!("{place}.years"),
                tr!("a year run needs the year_value cell kind"),
            ),
            (None, _) => p(
                format!("{place}.content"),
                tr!("the year_value cell kind needs a year run (\"years\")"),
            ),
        }
    }
    for (place, b) in bodies(l) {
        for (i, g) in b.groups.iter().enumerate() {
            let Some(r) = &g.row else { continue };
            let at = |id: &str| l.columns.iter().position(|c| c.id == id);
            let from = at(&r.from);
            if from.is_none() {
                p(
                    format!("{place}.groups[{i}].row.from"),
                    tr!("expected a column id, found {found}", found = format!("{:?}", r.from)),
                );
            }
            if let Some(to) = &r.to {
                match (from, at(to)) {
                    (_, None) => p(
                        format!("{place}.groups[{i}].row.to"),
                        tr!("expected a column id, found {found}", found = format!("{to:?}")),
                    ),
                    (Some(f), Some(t)) if t < f => p(
                        format!("{place}.groups[{i}].row.to"),
                        tr!(
                            "the column {to} stands before {from}; expected one at or after it",
                            to = format!("{to:?}"),
                            from = format!("{:?}", r.from)
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
    if let Some(f) = &l.template.input_fill
        && parse_color(f).is_none()
    {
        p(
            "template.input_fill".into(),
            tr!("expected a colour #RRGGBB, found {found}", found = format!("{f:?}")),
        );
    }
    if let Some(n) = &l.template.note_column {
        if n.width_mm.is_nan() || n.width_mm <= 0.0 {
            p(
                "template.note_column.width_mm".into(),
                tr!("expected a positive width, found {found}", found = n.width_mm),
            );
        }
        if n.choices.is_empty() || n.choices.iter().any(|c| c.trim().is_empty()) {
            p(
                "template.note_column.choices".into(),
                tr!("expected at least one note, none of them blank"),
            );
        }
    }
    out
}

/// Every table of a layout with its place: the `body`, or each `table`
/// block.
pub fn bodies(l: &Layout) -> Vec<(String, &BodySpec)> {
    fn blocks<'a>(bs: &'a [Block], place: &str, out: &mut Vec<(String, &'a BodySpec)>) {
        for (i, b) in bs.iter().enumerate() {
            match b {
                Block::Table(t) => out.push((format!("{place}[{i}].table"), t)),
                Block::Each(e) => blocks(&e.blocks, &format!("{place}[{i}].each.blocks"), out),
                _ => {}
            }
        }
    }
    let mut out: Vec<(String, &BodySpec)> = l.body.iter().map(|b| ("body".to_string(), b)).collect();
    if let Some(bs) = &l.blocks {
        blocks(bs, "blocks", &mut out);
    }
    out
}

/// The names a layout binds data items to: its groups and `each` blocks.
pub fn group_names(l: &Layout) -> Vec<String> {
    fn blocks(bs: &[Block], out: &mut Vec<String>) {
        for b in bs {
            match b {
                Block::Table(t) => out.extend(t.groups.iter().map(|g| g.name.clone())),
                Block::Each(e) => {
                    out.push(e.name.clone());
                    blocks(&e.blocks, out);
                }
                Block::Heading(_) | Block::Paragraphs(_) | Block::Legend(_) | Block::PageBreak(_) => {}
            }
        }
    }
    let mut out: Vec<String> = l
        .body
        .iter()
        .flat_map(|b| b.groups.iter().map(|g| g.name.clone()))
        .collect();
    if let Some(bs) = &l.blocks {
        blocks(bs, &mut out);
    }
    out
}

/// Every template of a layout with its place in the file (`columns[3].content.text[0]`),
/// `each`/`when` paths included as one-substitution templates.
pub fn templates(l: &Layout) -> Vec<(String, Template)> {
    let mut out = Vec::new();
    fn lines(specs: &[LineSpec], place: &str, out: &mut Vec<(String, Template)>) {
        for (j, spec) in specs.iter().enumerate() {
            let at = format!("{place}[{j}]");
            match spec {
                LineSpec::One(t) => out.push((at, t.clone())),
                LineSpec::When { when, text } => {
                    out.extend(when_path(when).map(|(_, t)| (format!("{at}.when"), t)));
                    out.push((format!("{at}.text"), text.clone()));
                }
                LineSpec::Each { each, .. } => {
                    // The line's text binds `item`, an element of the list.
                    out.extend(each_path(each).map(|t| (format!("{at}.each"), t)));
                }
            }
        }
    }
    fn body(b: &BodySpec, place: &str, out: &mut Vec<(String, Template)>) {
        if let Some(label) = &b.row_label {
            out.push((format!("{place}.row_label"), label.clone()));
        }
        for (i, g) in b.groups.iter().enumerate() {
            if let Some(r) = &g.row {
                lines(&r.text, &format!("{place}.groups[{i}].row.text"), out);
            }
        }
    }
    fn blocks(bs: &[Block], place: &str, out: &mut Vec<(String, Template)>) {
        for (i, b) in bs.iter().enumerate() {
            let at = format!("{place}[{i}]");
            match b {
                Block::Heading(h) => out.push((format!("{at}.heading.text"), h.text.clone())),
                Block::Paragraphs(p) => lines(&p.lines, &format!("{at}.paragraphs.lines"), out),
                Block::Table(t) => body(t, &format!("{at}.table"), out),
                Block::Legend(_) | Block::PageBreak(_) => {}
                Block::Each(e) => {
                    out.extend(each_path(&e.each).map(|t| (format!("{at}.each.each"), t)));
                    if let Some(t) = &e.title {
                        out.push((format!("{at}.each.title.left"), t.left.clone()));
                        out.extend(t.right.iter().map(|r| (format!("{at}.each.title.right"), r.clone())));
                    }
                    blocks(&e.blocks, &format!("{at}.each.blocks"), out);
                }
            }
        }
    }
    if let Some(t) = &l.title {
        out.push(("title.left".into(), t.left.clone()));
        out.extend(t.right.iter().map(|r| ("title.right".into(), r.clone())));
    }
    for (k, f) in [
        ("left", &l.footer.left),
        ("center", &l.footer.center),
        ("right", &l.footer.right),
    ] {
        out.extend(f.iter().map(|t| (format!("footer.{k}"), t.clone())));
    }
    if let Some(b) = &l.body {
        body(b, "body", &mut out);
    }
    for (k, t) in [("title", &l.metadata.title), ("subject", &l.metadata.subject)] {
        out.extend(t.iter().map(|t| (format!("metadata.{k}"), t.clone())));
    }
    if let Some(s) = &l.template.split {
        out.push(("template.split.by".into(), s.by.clone()));
    }
    if let Some(n) = &l.template.note_column {
        out.push(("template.note_column.header".into(), n.header.clone()));
    }
    for (i, c) in l.columns.iter().enumerate() {
        out.push((format!("columns[{i}].header"), c.header.clone()));
        out.extend(
            c.first_year_header
                .iter()
                .map(|t| (format!("columns[{i}].first_year_header"), t.clone())),
        );
        if let CellKind::Text(specs) = &c.content {
            lines(specs, &format!("columns[{i}].content.text"), &mut out);
        }
    }
    if let Some(bs) = &l.blocks {
        blocks(bs, "blocks", &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(padding_x: f32, workbook: &str) -> Result<LoadedLayout, Problems> {
        let json = format!(
            r#"{{
                "name": "test", "description": "test", "shape": "progress-survey",
                "page": {{ "size": "A4", "margins_mm": {{ "top": 10, "bottom": 10, "left": 10, "right": 10 }} }},
                "font": {{ "family": "BIZ UDGothic", "size": 10 }},
                "padding_mm": {{ "x": {padding_x}, "y": 0.8 }},
                "workbook": {workbook},
                "body": {{ "groups": [ {{ "each": "goals", "as": "goal" }} ] }},
                "columns": [ {{ "id": "name", "header": "名称", "width_mm": 50, "content": {{ "text": ["{{goal.name}}"] }} }} ]
            }}"#
        );
        parse(Path::new("test.json"), &json)
    }

    #[test]
    fn shiryos_line_breaks_need_room_for_the_programs_cell_margins() {
        assert!(with(0.7, r#"{ "line_breaks": "shiryo" }"#).is_ok());
        assert!(with(0.0, r#"{ "line_breaks": "program", "figures": "numbers" }"#).is_ok());
        let e = with(0.5, r#"{ "line_breaks": "shiryo" }"#).unwrap_err().to_string();
        assert!(e.contains("workbook.line_breaks"), "{e}");
        assert!(e.contains("at least 0.7 mm, found 0.5"), "{e}");
        let e = with(1.0, r#"{ "line_breaks": "yes" }"#).unwrap_err().to_string();
        assert!(e.contains("workbook.line_breaks"), "{e}");
    }
}
