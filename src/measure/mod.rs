//! Font metrics, Japanese line breaking and row heights.
//!
//! Every cell's paragraphs are broken into lines at the width its columns
//! give it (less padding); a row is as tall as its tallest single-row cell,
//! and a merged cell that needs more height than its rows have enlarges
//! them evenly. Heights are whole pixels (0.75 pt), the unit spreadsheets
//! keep, so the xlsx and the PDF agree to the point.

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
            let mut laid = Vec::new();
            for line in &cell.lines {
                if let Some(c) = face.missing(&line.text) {
                    problems.push(Problem::new(
                        data_path,
                        place_of(grid, cell.row, cell.col),
                        crate::tr!(
                            "the font {font} has no glyph for {char} (U+{code}) in {text}",
                            font = format!("{:?}", face.family),
                            char = format!("{c:?}"),
                            code = format!("{:04X}", c as u32),
                            text = format!("{:?}", line.text)
                        ),
                    ));
                    continue;
                }
                let parts = linebreak::break_paragraph(&line.text, width, size, face, line.nobreak);
                let n = parts.len();
                for (i, t) in parts.into_iter().enumerate() {
                    laid.push(LaidLine {
                        width: face.width(&t, size),
                        text: t,
                        para_end: i + 1 == n,
                    });
                }
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
        others.push((crate::tr!("title {n}", n = i + 1), &t.left, t.bold));
        others.push((crate::tr!("title {n} (right)", n = i + 1), &t.right, t.bold));
    }
    let footers: Vec<String> = grid.footer.iter().flatten().map(|f| f.for_page(1, 1)).collect();
    for f in &footers {
        others.push((crate::tr!("footer"), f, false));
    }
    for (place, text, bold) in others {
        let face = fonts.face(bold);
        if let Some(c) = face.missing(text) {
            problems.push(Problem::new(
                data_path,
                place,
                crate::tr!(
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
        let mut laid = Vec::new();
        for line in &lines {
            let parts = linebreak::break_paragraph(&line.text, width, size, face, line.nobreak);
            let n = parts.len();
            for (k, t) in parts.into_iter().enumerate() {
                laid.push(LaidLine {
                    width: face.width(&t, size),
                    text: t,
                    para_end: k + 1 == n,
                });
            }
        }
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
    for (cell, lines) in grid.cells.iter().zip(&m.cell_lines) {
        if cell.rowspan == 1 {
            // A heading in its own size needs lines of its own pitch.
            let scale = cell.style.size.map_or(1.0, |s| s / size);
            let need = to_px_pt(lines.len().max(1) as f32 * m.line_pitch * scale + 2.0 * m.spacing.pad_y);
            if need > m.row_heights[cell.row] {
                m.row_heights[cell.row] = need;
            }
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
    Ok(m)
}

/// A cell's place for messages: its row label and column.
pub fn place_of(grid: &Grid, row: usize, col: usize) -> String {
    let label = &grid.rows[row].label;
    let col_id = &grid.columns[col].id;
    let year = grid.columns[col].year.map(|y| format!(" {y}")).unwrap_or_default();
    if row < grid.header_rows {
        crate::tr!("header of column {column}", column = format!("{col_id}{year}"))
    } else if label.is_empty() {
        crate::tr!(
            "row {row}, column {column}",
            row = row - grid.header_rows + 1,
            column = format!("{col_id}{year}")
        )
    } else {
        crate::tr!(
            "row {row} ({label}), column {column}",
            row = row - grid.header_rows + 1,
            label = label.replace('\n', ""),
            column = format!("{col_id}{year}")
        )
    }
}
