//! What a template adds to the table's workbook, through the renderer's
//! [`Hook`]: input cells unlocked, filled and validated, each with its
//! defined name; the sheets protected; the hidden identity sheet.

use super::identity::SHEET as IDENTITY_SHEET;
use super::import::answer::NOT_MEASURED;
use super::{Expected, InputKind};
use crate::render::Prepared;
use crate::render::xlsx::Hook;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, Formula, Note,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

/// What an input cell of a template starts with when the data already
/// holds its answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Prefill {
    /// An answer already received (a text, a note, ―), written as shown.
    Answered,
    /// A figure already received, written as the number it is.
    Number(f64),
    /// An earlier year's provisional figure to confirm, written as text
    /// with its note (`1085112 ※速報値`): typing the final figure over it
    /// confirms it; leaving it keeps it provisional. Holds the note.
    Confirm(String),
}

/// A template's additions to the workbook.
#[derive(Debug, Clone)]
pub(super) struct TemplateSheet {
    /// Sheet protection password (none by default).
    pub password: Option<String>,
    /// The notes a note cell may hold (a list validation).
    pub note_choices: Vec<String>,
    /// The longest text a text cell takes, in characters.
    pub max_text_chars: u32,
    /// Background colour of input cells.
    pub input_fill: Option<[u8; 3]>,
    /// The input cells: (defined name, grid cell, what it asks for).
    pub inputs: Vec<(String, usize, Expected)>,
    /// The identity sheet's rows.
    pub identity: Vec<Vec<String>>,
    /// The input cells that start with what the data holds, by grid cell.
    pub prefilled: HashMap<usize, Prefill>,
    /// The template's report year.
    pub report_year: i32,
}

impl Hook for TemplateSheet {
    fn cell(
        &self,
        p: &Prepared,
        cell: usize,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        fmt: Format,
    ) -> Result<Format, XlsxError> {
        let Some((_, _, e)) = self.inputs.iter().find(|(_, c, _)| *c == cell) else {
            return Ok(fmt);
        };
        let mut fmt = fmt.set_unlocked();
        if let Some([r, g, b]) = self.input_fill {
            fmt = fmt.set_background_color(rust_xlsxwriter::Color::RGB(
                u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b),
            ));
        }
        fmt = match (e.kind, &e.unit) {
            (InputKind::Value, Some(unit)) if !unit.contains('"') => {
                let after = e.unit_after.as_ref().unwrap_or(unit);
                fmt.set_num_format(format!("General\"{after}\""))
            }
            (InputKind::Note, _) => fmt.set_align(FormatAlign::Center),
            _ => fmt,
        };
        ws.add_data_validation(row, col, row, col, &self.validation(p, cell, e, row, col)?)?;
        if let Some(f) = self.prefilled.get(&cell) {
            let text = match f {
                Prefill::Confirm(note) => format!(
                    "{} の値は「{note}」付きです。確定したら、確定値を単位なしの数字で入力してください。まだ確定していなければ、そのままにします。",
                    crate::era::short(e.year)
                ),
                _ => "取り込み済みの回答です。変更があれば書き換えてください。".to_string(),
            };
            ws.insert_note(row, col, &Note::new(text).add_author_prefix(false))?;
        }
        Ok(fmt)
    }

    fn number(&self, _p: &Prepared, cell: usize) -> Option<f64> {
        match self.prefilled.get(&cell) {
            Some(Prefill::Number(n)) => Some(*n),
            _ => None,
        }
    }

    fn input(&self, _p: &Prepared, cell: usize) -> bool {
        self.inputs.iter().any(|(_, c, _)| *c == cell)
    }

    fn finish(&self, p: &Prepared, wb: &mut Workbook, at: &[Option<u32>]) -> Result<(), XlsxError> {
        protect(wb.worksheet_from_index(0)?, &self.password);
        let id = wb.add_worksheet();
        id.set_name(IDENTITY_SHEET)?;
        for (r, row) in self.identity.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                id.write_string(r as u32, c as u16, text)?;
            }
        }
        id.set_hidden(true);
        protect(id, &self.password);
        let sheet = rust_xlsxwriter::utility::quote_sheet_name(&p.sheet);
        for (name, cell, _) in &self.inputs {
            let (r, c) = crate::render::xlsx::sheet_cell(at, &p.grid.cells[*cell]);
            wb.define_name(
                name,
                &format!("={sheet}!{}", rust_xlsxwriter::utility::row_col_to_cell_absolute(r, c)),
            )?;
        }
        Ok(())
    }
}

/// Protects a sheet: every cell not unlocked is read-only; row heights may
/// still be changed, so that a long text can be shown whole.
fn protect(ws: &mut Worksheet, password: &Option<String>) {
    if let Some(pw) = password {
        ws.protect_with_password(pw);
    }
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        ..ProtectionOptions::default()
    });
}

/// The header of a cell's column: its first line, or all its lines.
fn column_header(p: &Prepared, col: usize, all_lines: bool) -> String {
    let lines = p
        .grid
        .cells
        .iter()
        .find(|h| h.row < p.grid.header_rows && h.col <= col && col < h.col + h.colspan)
        .map(|h| &h.lines[..]);
    let take = if all_lines { usize::MAX } else { 1 };
    lines
        .unwrap_or_default()
        .iter()
        .take(take)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts `s` to at most `n` UTF-16 units (Excel's limits on validation texts).
fn cut(s: &str, n: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        used += c.len_utf16();
        if used > n {
            break;
        }
        out.push(c);
    }
    out
}

impl TemplateSheet {
    /// The data validation of an input cell, with an input message naming
    /// the item (and unit) and an error message saying what is expected.
    fn validation(
        &self,
        p: &Prepared,
        cell: usize,
        e: &Expected,
        at_row: u32,
        at_col: u16,
    ) -> Result<DataValidation, XlsxError> {
        let col = p.grid.cells[cell].col;
        let header = column_header(p, col, e.kind == InputKind::Note);
        let unit = e.unit.as_deref().unwrap_or("");
        let label = e.label.replace('\n', "");
        let (rule, title, prompt, error) = match e.kind {
            InputKind::Value => {
                // A number ≥ 0, or ― for "not measured".
                let me = rust_xlsxwriter::utility::row_col_to_cell(at_row, at_col);
                let alternatives: Vec<String> = NOT_MEASURED.iter().map(|m| format!("{me}=\"{m}\"")).collect();
                let rule = format!("=OR(AND(ISNUMBER({me}),{me}>=0),{})", alternatives.join(","));
                let year = if e.year == self.report_year {
                    String::new()
                } else {
                    format!("{} の値の確定: ", crate::era::short(e.year))
                };
                (
                    DataValidation::new().allow_custom(Formula::new(rule)),
                    format!("{header}（{unit}）"),
                    format!("{year}単位（{unit}）を付けずに、0 以上の数字を入力してください。未測定なら「―」。"),
                    format!("{label} の値は 0 以上の数字（単位 {unit} は付けません）か、未測定なら「―」です。"),
                )
            }
            InputKind::Note => (
                DataValidation::new().allow_list_strings(&self.note_choices)?,
                header.clone(),
                format!("{} から選ぶか、空欄のままにします。", self.note_choices.join("、")),
                format!("{} から選ぶか、空欄にしてください。", self.note_choices.join("、")),
            ),
            InputKind::Text => (
                DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(self.max_text_chars)),
                header,
                format!("{} 字以内で入力してください。", self.max_text_chars),
                format!("{} 字以内にしてください。", self.max_text_chars),
            ),
        };
        let label = cut(&label, 255 - prompt.encode_utf16().count() - 1);
        rule.set_input_title(cut(&title, 32))?
            .set_input_message(format!("{label}\n{prompt}"))?
            .set_error_title(cut("入力できない値です", 32))?
            .set_error_message(cut(&error, 255))
            .map(|v| v.set_error_style(DataValidationErrorStyle::Stop))
    }
}
