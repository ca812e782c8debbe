//! Font metrics, Japanese line breaking and row heights.
//!
//! Every cell's paragraphs are broken into lines at the width its columns
//! give it (less padding); a row is as tall as its tallest single-row cell,
//! and a merged cell that needs more height than its rows have enlarges
//! them evenly. Heights are whole pixels (0.75 pt), the unit spreadsheets
//! keep, so the xlsx and the PDF agree to the point.
//!
//! A spreadsheet row is at most [`SHEET_ROW_MAX_PT`] tall. A taller row is
//! a stack of parts, each at most that tall and holding whole lines with
//! its own padding ([`Measured::split_height`]): the workbook writes each
//! part as a sheet row of its own, and the row is as tall as its parts in
//! the PDF too, so both print the same pages.

pub mod linebreak;

use crate::diag::{Problem, Problems};
use crate::font::Fonts;
use crate::table::Grid;
use std::path::Path;

/// Spacing settings, in points.
#[derive(Debug, Clone, Copy)]
pub struct Spacing {
    /// Left and right padding inside a cell.
    pub pad_x: f32,
    /// Top and bottom padding inside a cell.
    pub pad_y: f32,
    /// Distance between baselines, as a multiple of the font size.
    pub line_spacing: f32,
}

impl Spacing {
    /// The spacing a layout asks for.
    pub fn of(layout: &crate::layout::Layout) -> Spacing {
        Spacing {
            pad_x: crate::layout::mm_to_pt(layout.padding_mm.x),
            pad_y: crate::layout::mm_to_pt(layout.padding_mm.y),
            line_spacing: layout.line_spacing,
        }
    }
}

/// A laid-out line of a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidLine {
    /// The text.
    pub text: String,
    /// Its width in points.
    pub width: f32,
    /// Whether it ends a paragraph (a line break of the data).
    pub para_end: bool,
    /// How far right of the cell's left padding it starts, in points: a
    /// wrapped line of a list paragraph is indented under the text after
    /// its mark (the layout's `hanging_indent`); 0 otherwise.
    pub indent: f32,
}

/// Breaks one paragraph of a cell into laid lines, `width` points wide;
/// with `hanging`, a list paragraph's wrapped lines get a hanging indent
/// (unless that would leave them narrower than two characters).
fn lay_paragraph(
    line: &crate::table::Line,
    width: f32,
    size: f32,
    face: &crate::font::Face,
    hanging: Option<&crate::layout::HangingIndent>,
) -> Vec<LaidLine> {
    let indent = hanging
        .filter(|_| !line.nobreak)
        .and_then(|h| linebreak::list_prefix(&line.text, &h.marks, h.numbers))
        .map(|prefix| face.width(prefix, size))
        .filter(|indent| width - indent >= 2.0 * size)
        .unwrap_or(0.0);
    let parts = linebreak::break_hanging(&line.text, width, indent, size, face, line.nobreak);
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, t)| LaidLine {
            width: face.width(&t, size),
            text: t,
            para_end: i + 1 == n,
            indent: if i == 0 { 0.0 } else { indent },
        })
        .collect()
}

/// The hanging indent a cell's text gets: the layout's, for left-aligned
/// cells that are not header cells.
fn hanging_of<'g>(grid: &'g Grid, cell: &crate::table::Cell) -> Option<&'g crate::layout::HangingIndent> {
    let header = cell.row < grid.header_rows || grid.rows[cell.row].table_header;
    grid.hanging
        .as_ref()
        .filter(|_| !header && cell.style.align == crate::layout::HAlign::Left)
}

/// The measured grid.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Height of every row in points (whole pixels).
    pub row_heights: Vec<f32>,
    /// The lines of every cell, in the grid's cell order.
    pub cell_lines: Vec<Vec<LaidLine>>,
    /// Distance between baselines in points.
    pub line_pitch: f32,
    /// The spacing used.
    pub spacing: Spacing,
    /// Body font size.
    pub font_size: f32,
    /// The lines of label cells with repeat marks as printed again on a
    /// continuation page, marks included (cell index → lines).
    pub marked: std::collections::HashMap<usize, Vec<LaidLine>>,
}

/// The tallest row a spreadsheet keeps, in points.
pub const SHEET_ROW_MAX_PT: f32 = 409.5;

/// Rounds up to a whole pixel (0.75 pt).
pub fn to_px_pt(pt: f32) -> f32 {
    ((pt / 0.75) - 1e-3).ceil() * 0.75
}

impl Measured {
    /// The height a cell's lines need, padding included.
    pub fn needed(&self, lines: usize) -> f32 {
        lines.max(1) as f32 * self.line_pitch + 2.0 * self.spacing.pad_y
    }

    /// How many lines fit in `height` points.
    pub fn capacity(&self, height: f32) -> usize {
        (((height - 2.0 * self.spacing.pad_y) / self.line_pitch) + 1e-3)
            .floor()
            .max(0.0) as usize
    }

    /// The full part of a stacked row: the most whole lines a sheet row
    /// holds, and its height in whole pixels.
    fn full_part(&self) -> (usize, f32) {
        let lines = self.capacity(SHEET_ROW_MAX_PT).max(1);
        (lines, to_px_pt(self.needed(lines)).min(SHEET_ROW_MAX_PT))
    }

    /// The parts of a row (or of its part on a page) `height` points tall,
    /// top to bottom: full parts while more than a sheet row is left, then
    /// the rest; one part for a row no taller than a sheet row.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let edition = shiryo::edition::Edition::load(&Default::default())?;
    /// let m = shiryo::render::prepare(&edition)?.measured;
    /// assert_eq!(m.split_height(100.0), [100.0]);
    /// let parts = m.split_height(600.0);
    /// assert!(parts.len() == 2 && parts.iter().all(|h| *h <= shiryo::measure::SHEET_ROW_MAX_PT));
    /// assert_eq!(parts.iter().sum::<f32>(), 600.0);
    /// # Ok(()) }
    /// ```
    pub fn split_height(&self, height: f32) -> Vec<f32> {
        let (_, full) = self.full_part();
        let mut parts = Vec::new();
        let mut left = height;
        while left > SHEET_ROW_MAX_PT + 1e-3 {
            parts.push(full);
            left -= full;
        }
        parts.push(left);
        parts
    }

    /// How many lines a single-row cell `height` points tall holds, its
    /// row stacked into parts as [`Measured::split_height`] says.
    pub fn stacked_capacity(&self, height: f32) -> usize {
        self.split_height(height).into_iter().map(|h| self.capacity(h)).sum()
    }

    /// The height, in whole pixels, of a row whose tallest cell has `lines`
    /// lines: [`Measured::needed`] up to a sheet row, else full parts and
    /// a last part for the lines left.
    pub fn stacked_height(&self, lines: usize) -> f32 {
        let (per_part, full) = self.full_part();
        let mut left = lines.max(1);
        let mut height = 0.0;
        while left > per_part {
            height += full;
            left -= per_part;
        }
        height + to_px_pt(self.needed(left))
    }

    /// The tallest height of whole lines, stacked, that fits in `room`
    /// (at least one line): the slice of a row cut at the end of a page.
    pub fn stacked_fit(&self, room: f32) -> f32 {
        let (_, full) = self.full_part();
        let mut height = 0.0;
        let mut left = room;
        while left > SHEET_ROW_MAX_PT + 1e-3 {
            height += full;
            left -= full;
        }
        match self.capacity(left) {
            0 if height > 0.0 => height,
            n => height + to_px_pt(self.needed(n.max(1))).min(left.max(self.needed(1))),
        }
    }
}

/// Measures every cell of the grid. A character the font lacks is an error
/// naming the character and the cell; `data_path` is named in it.
pub fn measure(grid: &Grid, fonts: &Fonts, spacing: Spacing, data_path: &Path) -> Result<Measured, Problems> {
    let size = grid.font_size;
    let pitch = size * spacing.line_spacing;
    // Cells are laid out independently: two halves on two threads.
    let lay = |cells: &[crate::table::Cell]| -> (Vec<Vec<LaidLine>>, Vec<Problem>) {
        let mut out = Vec::with_capacity(cells.len());
        let mut problems = Vec::new();
        for cell in cells {
            let face = fonts.face(cell.style.bold);
            let size = cell.style.size.unwrap_or(size);
            let width: f32 = grid.columns[cell.col..cell.col + cell.colspan]
                .iter()
                .map(|c| c.width_pt())
                .sum::<f32>()
                - 2.0 * spacing.pad_x;
            let hanging = hanging_of(grid, cell);
            let mut laid = Vec::new();
            for line in &cell.lines {
                if let Some(c) = face.missing(&line.text) {
                    problems.push(Problem::new(
                        data_path,
                        place_of(grid, cell.row, cell.col),
                        crate::lang::tr!(
                            "the font {font} has no glyph for {char} (U+{code}) in {text}",
                            font = format!("{:?}", face.family),
                            char = format!("{c:?}"),
                            code = format!("{:04X}", c as u32),
                            text = format!("{:?}", line.text)
                        ),
                    ));
                    continue;
                }
                laid.extend(lay_paragraph(line, width, size, face, hanging));
            }
            out.push(laid);
        }
        (out, problems)
    };
    let (first, second) = grid.cells.split_at(grid.cells.len() / 2);
    let ((mut cell_lines, mut problems), (rest, more)) = std::thread::scope(|s| {
        let other = s.spawn(|| lay(second));
        let mine = lay(first);
        (mine, other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    cell_lines.extend(rest);
    problems.extend(more);
    // Titles and footers are drawn in the same fonts.
    let mut others: Vec<(String, &str, bool)> = Vec::new();
    for (i, t) in grid.title.iter().chain(&grid.titles).enumerate() {
        others.push((crate::lang::tr!("title {n}", n = i + 1), &t.left, t.bold));
        others.push((crate::lang::tr!("title {n} (right)", n = i + 1), &t.right, t.bold));
    }
    let footers: Vec<String> = grid.footer.iter().flatten().map(|f| f.for_page(1, 1)).collect();
    for f in &footers {
        others.push((crate::lang::tr!("footer"), f, false));
    }
    for (place, text, bold) in others {
        let face = fonts.face(bold);
        if let Some(c) = face.missing(text) {
            problems.push(Problem::new(
                data_path,
                place,
                crate::lang::tr!(
                    "the font {font} has no glyph for {char} (U+{code}) in {text}",
                    font = format!("{:?}", face.family),
                    char = format!("{c:?}"),
                    code = format!("{:04X}", c as u32),
                    text = format!("{text:?}")
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    // Labels printed again with their marks are broken anew, marks included.
    let mut marked = std::collections::HashMap::new();
    for (i, cell) in grid.cells.iter().enumerate() {
        let Some(marks) = cell.marks.as_ref().filter(|_| cell.repeat && !cell.lines.is_empty()) else {
            continue;
        };
        let mut lines = cell.lines.clone();
        lines[0].text.insert_str(0, &marks.before);
        if let Some(last) = lines.last_mut() {
            last.text.push_str(&marks.after);
        }
        let face = fonts.face(cell.style.bold);
        let width = grid.columns[cell.col..cell.col + cell.colspan]
            .iter()
            .map(|c| c.width_pt())
            .sum::<f32>()
            - 2.0 * spacing.pad_x;
        let hanging = hanging_of(grid, cell);
        let laid = lines
            .iter()
            .flat_map(|line| lay_paragraph(line, width, size, face, hanging))
            .collect();
        marked.insert(i, laid);
    }
    let mut m = Measured {
        row_heights: vec![0.0; grid.rows.len()],
        cell_lines,
        line_pitch: pitch,
        spacing,
        font_size: size,
        marked,
    };
    let one_line = to_px_pt(m.needed(1));
    for h in &mut m.row_heights {
        *h = one_line;
    }
    // The most lines, at the body pitch, of a single-row cell of each row.
    let mut row_lines = vec![1usize; grid.rows.len()];
    for (cell, lines) in grid.cells.iter().zip(&m.cell_lines) {
        if cell.rowspan == 1 {
            // A heading in its own size needs lines of its own pitch.
            let scale = cell.style.size.map_or(1.0, |s| s / size);
            let need = to_px_pt(lines.len().max(1) as f32 * m.line_pitch * scale + 2.0 * m.spacing.pad_y);
            if need > m.row_heights[cell.row] {
                m.row_heights[cell.row] = need;
            }
            let body_lines = (lines.len() as f32 * scale - 1e-3).ceil().max(1.0) as usize;
            row_lines[cell.row] = row_lines[cell.row].max(body_lines);
        }
    }
    // Merged cells, shortest spans first, enlarge their rows evenly.
    let mut merged: Vec<(usize, usize, f32)> = grid
        .cells
        .iter()
        .zip(&m.cell_lines)
        .filter(|(c, _)| c.rowspan > 1)
        .map(|(c, l)| (c.row, c.rowspan, m.needed(l.len())))
        .collect();
    merged.sort_by_key(|(_, span, _)| *span);
    for (row, span, need) in merged {
        let have: f32 = m.row_heights[row..row + span].iter().sum();
        if need > have + 1e-3 {
            let extra = to_px_pt((need - have) / span as f32);
            for h in &mut m.row_heights[row..row + span] {
                *h += extra;
            }
        }
    }
    // A row taller than a sheet row is as tall as its stacked parts.
    for (r, lines) in row_lines.into_iter().enumerate() {
        if m.row_heights[r] > SHEET_ROW_MAX_PT {
            m.row_heights[r] = m.row_heights[r].max(m.stacked_height(lines));
        }
    }
    Ok(m)
}

/// A cell's place for messages: its row label and column.
pub fn place_of(grid: &Grid, row: usize, col: usize) -> String {
    let label = &grid.rows[row].label;
    let col_id = &grid.columns[col].id;
    let year = grid.columns[col].year.map(|y| format!(" {y}")).unwrap_or_default();
    if row < grid.header_rows {
        crate::lang::tr!("header of column {column}", column = format!("{col_id}{year}"))
    } else if label.is_empty() {
        crate::lang::tr!(
            "row {row}, column {column}",
            row = row - grid.header_rows + 1,
            column = format!("{col_id}{year}")
        )
    } else {
        crate::lang::tr!(
            "row {row} ({label}), column {column}",
            row = row - grid.header_rows + 1,
            label = label.replace('\n', ""),
            column = format!("{col_id}{year}")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured() -> Measured {
        let edition = crate::edition::Edition::load(&Default::default()).unwrap();
        crate::render::prepare(&edition).unwrap().measured
    }

    #[test]
    fn stacked_rows_hold_their_lines_in_parts_a_sheet_row_holds() {
        let m = measured();
        for lines in 1..200 {
            let h = m.stacked_height(lines);
            let parts = m.split_height(h);
            assert!(parts.iter().all(|p| *p <= SHEET_ROW_MAX_PT), "{lines}: {parts:?}");
            assert!((parts.iter().sum::<f32>() - h).abs() < 1e-3);
            assert!(m.stacked_capacity(h) >= lines, "{lines} lines in {parts:?}");
            // No taller than it needs: one line less would not do.
            assert!(m.stacked_capacity(h - 0.75) < lines || lines == 1, "{lines}");
            if h <= SHEET_ROW_MAX_PT {
                assert_eq!(h, to_px_pt(m.needed(lines)));
            }
        }
        for room in [20.0, 300.0, 409.5, 410.0, 700.0, 1200.0] {
            let h = m.stacked_fit(room);
            assert!(h <= room + 0.75, "{room}: {h}");
            assert!(m.stacked_capacity(h) >= 1);
            assert_eq!(m.stacked_capacity(h), m.stacked_capacity(room), "{room}");
        }
    }

    #[test]
    fn list_lines_wrap_under_the_text_after_their_mark() {
        let edition = crate::edition::Edition::load(&Default::default()).unwrap();
        let mut grid = crate::table::build(&edition, &Default::default()).unwrap();
        assert!(grid.hanging.is_some(), "the 資料２ layout asks for hanging indents");
        // In a goal column 14 characters wide, a direction line wraps.
        grid.columns[0].width_px = crate::table::mm_to_px(38.1);
        let m = crate::render::measure(&edition, &grid).unwrap();
        let goal = grid
            .cells
            .iter()
            .position(|c| c.row == grid.header_rows && c.col == 0)
            .unwrap();
        let lines = &m.cell_lines[goal];
        let at = lines
            .iter()
            .position(|l| l.text == "\u{3000}・地域活動・ボランティア活")
            .unwrap();
        let face = &edition.fonts.regular;
        assert_eq!(lines[at].indent, 0.0);
        assert_eq!(lines[at + 1].text, "動の参画促進");
        assert_eq!(lines[at + 1].indent, face.width("\u{3000}・", grid.font_size));
        // Lines that are no list lines, and every line without the option, start flush.
        assert!(
            lines
                .iter()
                .filter(|l| !l.text.starts_with('\u{3000}'))
                .all(|l| l.indent == 0.0 || l.text == "動の参画促進")
        );
        let mut plain = grid.clone();
        plain.hanging = None;
        let m = crate::render::measure(&edition, &plain).unwrap();
        assert!(m.cell_lines.iter().flatten().all(|l| l.indent == 0.0));
        assert!(
            m.cell_lines[goal].iter().any(|l| l.text == "動の参画促進"),
            "{:?}",
            m.cell_lines[goal]
        );
    }

    #[test]
    fn a_row_taller_than_a_sheet_row_is_as_tall_as_its_parts() {
        let edition = crate::edition::Edition::load(&Default::default()).unwrap();
        let mut grid = crate::table::build(&edition, &Default::default()).unwrap();
        let actions = grid.columns.iter().position(|c| c.id == "actions").unwrap();
        let i = grid
            .cells
            .iter()
            .position(|c| c.row == grid.header_rows && c.col == actions)
            .unwrap();
        grid.cells[i].lines = vec![crate::table::Line::text(
            "地域の課題を共有し、関係機関と連携した。".repeat(50),
        )];
        let m = crate::render::measure(&edition, &grid).unwrap();
        let lines = m.cell_lines[i].len();
        assert!(lines > 40, "{lines}");
        assert_eq!(m.row_heights[grid.header_rows], m.stacked_height(lines));
        assert!(m.row_heights[grid.header_rows] > m.needed(lines));
    }
}
