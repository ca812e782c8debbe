//! Reading a filled template without trusting it.
//!
//! Before calamine parses anything, the file is checked as a zip archive:
//! its size, the number of entries, the sum of the uncompressed sizes the
//! central directory declares (a zip bomb declares gigabytes), and every
//! entry is inflated once with a cap, so that an entry that inflates to
//! more than it declares is caught too. Sheet protection, the locked state
//! of cells and merged ranges come from the sheet's XML (calamine does not
//! report them); values, defined names and the identity sheet come from
//! calamine.

use crate::lang::tr;
use calamine::{Data, Reader, Xlsx};
use quick_xml::events::{BytesStart, Event};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::Path;

/// The largest file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 32 << 20;
/// The largest total uncompressed size of a workbook's parts, in bytes.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 64 << 20;
/// The most parts a workbook may have.
pub const MAX_ENTRIES: usize = 10_000;
/// The largest area (rows × columns, from A1 to the farthest cell) a sheet
/// may span: a template spans a few thousand cells; the sheet reader
/// allocates per cell of the area, so a single cell written at XFD1048576
/// would otherwise cost hundreds of gigabytes.
pub const MAX_SHEET_CELLS: u64 = 2_000_000;

/// A workbook read into memory and checked as an archive.
pub struct Workbook {
    /// calamine's reader over the file's bytes.
    pub xlsx: Xlsx<Cursor<Vec<u8>>>,
    /// The parts (path → bytes) read from the archive that shiryo parses
    /// itself: the workbook, its relationships, the styles and worksheets.
    parts: HashMap<String, Vec<u8>>,
}

/// What the XML says about one worksheet.
#[derive(Debug, Default)]
pub struct SheetFacts {
    /// Whether the sheet is protected.
    pub protected: bool,
    /// The cells (zero-based row, column) whose style unlocks them.
    pub unlocked: HashSet<(u32, u16)>,
    /// Merged ranges: (first row, first column, last row, last column).
    pub merged: Vec<(u32, u16, u32, u16)>,
    /// The cells holding a formula.
    pub formulas: HashSet<(u32, u16)>,
}

impl Workbook {
    /// Opens `path`: the error says why the file is not a workbook shiryo
    /// can read.
    pub fn open(path: &Path) -> Result<Workbook, String> {
        let meta = std::fs::metadata(path)
            .map_err(|e| tr!("cannot read the file: {error}", error = crate::lang::io_error(&e)))?;
        if !meta.is_file() {
            return Err(tr!(
                "not a regular file (a workbook is a file, not a device, pipe or folder)"
            ));
        }
        let too_big = |n: u64| {
            tr!(
                "the file is {size} MiB; a template is far smaller (at most {max} MiB accepted)",
                size = n >> 20,
                max = MAX_FILE_BYTES >> 20,
            )
        };
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_big(meta.len()));
        }
        // Read at most the limit, whatever the size said (a file may grow).
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| tr!("cannot read the file: {error}", error = crate::lang::io_error(&e)))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big(bytes.len() as u64));
        }
        Workbook::from_bytes(bytes)
    }

    /// Checks and opens a workbook held in memory.
    ///
    /// ```
    /// use shiryo::yearly::import::workbook::Workbook;
    /// let e = Workbook::from_bytes(b"name,value\n".to_vec()).err().unwrap();
    /// assert!(e.contains("not an xlsx workbook"), "{e}");
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Workbook, String> {
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(tr!(
                "not an xlsx workbook (it is not a zip archive; was another kind of file given or renamed?)"
            ));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice()))
            .map_err(|e| tr!("not a readable xlsx workbook (corrupt zip archive: {error})", error = e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(tr!(
                "the archive holds {n} parts; a workbook has far fewer (at most {max} accepted)",
                n = zip.len(),
                max = MAX_ENTRIES,
            ));
        }
        let mut declared = 0u64;
        for i in 0..zip.len() {
            let f = zip
                .by_index_raw(i)
                .map_err(|e| format!("not a readable xlsx workbook (corrupt zip entry {i}: {e})"))?;
            declared = declared.saturating_add(f.size());
        }
        if declared > MAX_UNCOMPRESSED_BYTES {
            return Err(tr!(
                "the archive inflates to {size} MiB (at most {max} MiB accepted): refusing a possible zip bomb",
                size = declared >> 20,
                max = MAX_UNCOMPRESSED_BYTES >> 20,
            ));
        }
        let mut parts = HashMap::new();
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut f = zip
                .by_index(i)
                .map_err(|e| format!("not a readable xlsx workbook (corrupt zip entry {i}: {e})"))?;
            let name = f.name().map(|n| n.to_string()).map_err(|e| {
                tr!(
                    "not a readable xlsx workbook (zip entry {n} has no usable name: {error})",
                    n = i,
                    error = e,
                )
            })?;
            let size = f.size();
            let mut buf = Vec::new();
            (&mut f).take(size + 1).read_to_end(&mut buf).map_err(|e| {
                tr!(
                    "not a readable xlsx workbook (corrupt part {part}: {error})",
                    part = name,
                    error = e,
                )
            })?;
            if buf.len() as u64 > size {
                return Err(tr!(
                    "the part {part} inflates to more than the {size} bytes it declares: refusing a possible zip bomb",
                    part = name,
                    size = size,
                ));
            }
            total += buf.len() as u64;
            if total > MAX_UNCOMPRESSED_BYTES {
                return Err(tr!(
                    "the archive inflates to more than {max} MiB: refusing a possible zip bomb",
                    max = MAX_UNCOMPRESSED_BYTES >> 20,
                ));
            }
            let xml = name.ends_with(".xml") && !name.starts_with("xl/sharedStrings");
            if name.starts_with("xl/worksheets/") && xml {
                sheet_area(&name, &buf)?;
            }
            if name.starts_with("xl/") && (xml || name.ends_with(".rels")) {
                parts.insert(name, buf);
            }
        }
        drop(zip);
        let xlsx =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| tr!("not a readable xlsx workbook ({error})", error = e))?;
        Ok(Workbook { xlsx, parts })
    }

    /// The cells of a sheet, by name.
    pub fn range(&mut self, sheet: &str) -> Result<calamine::Range<Data>, String> {
        self.xlsx.worksheet_range(sheet).map_err(|e| {
            tr!(
                "cannot read the sheet {sheet}: {error}",
                sheet = format!("{sheet:?}"),
                error = e,
            )
        })
    }

    /// Protection, unlocked cells and merges of the sheet named `sheet`.
    pub fn sheet_facts(&self, sheet: &str) -> Result<SheetFacts, String> {
        let part = self.sheet_part(sheet)?;
        let xml = self.parts.get(&part).ok_or_else(|| {
            tr!(
                "the workbook lacks the part {part} of the sheet {sheet}",
                part = part,
                sheet = format!("{sheet:?}"),
            )
        })?;
        let unlocked_styles = self.unlocked_styles()?;
        let mut facts = SheetFacts::default();
        let mut cell = None;
        each_element(xml, &part, |e| match e.local_name().into_inner() {
            "sheetProtection" => {
                facts.protected = attr(e, "sheet").is_some_and(|v| v == "1" || v == "true");
            }
            "c" => {
                let style: usize = attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                cell = attr(e, "r").and_then(|r| crate::yearly::identity::parse_a1(&r));
                if unlocked_styles.contains(&style)
                    && let Some(pos) = cell
                {
                    facts.unlocked.insert(pos);
                }
            }
            "f" => {
                if let Some(pos) = cell {
                    facts.formulas.insert(pos);
                }
            }
            "mergeCell" => {
                if let Some(r) = attr(e, "ref")
                    && let Some((a, b)) = r.split_once(':')
                    && let (Some(a), Some(b)) = (
                        crate::yearly::identity::parse_a1(a),
                        crate::yearly::identity::parse_a1(b),
                    )
                {
                    facts.merged.push((a.0, a.1, b.0, b.1));
                }
            }
            _ => {}
        })?;
        Ok(facts)
    }

    /// The part holding the sheet named `sheet` (`xl/worksheets/sheet1.xml`).
    fn sheet_part(&self, sheet: &str) -> Result<String, String> {
        let wb = self
            .parts
            .get("xl/workbook.xml")
            .ok_or_else(|| tr!("the workbook lacks {part}", part = "xl/workbook.xml"))?;
        let mut rid = None;
        each_element(wb, "xl/workbook.xml", |e| {
            if e.local_name().into_inner() == "sheet" && attr(e, "name").as_deref() == Some(sheet) {
                rid = attr(e, "id");
            }
        })?;
        let rid = rid.ok_or_else(|| tr!("the workbook has no sheet {sheet}", sheet = format!("{sheet:?}")))?;
        let rels = self
            .parts
            .get("xl/_rels/workbook.xml.rels")
            .ok_or_else(|| tr!("the workbook lacks {part}", part = "xl/_rels/workbook.xml.rels"))?;
        let mut target = None;
        each_element(rels, "xl/_rels/workbook.xml.rels", |e| {
            if e.local_name().into_inner() == "Relationship" && attr(e, "Id").as_deref() == Some(rid.as_str()) {
                target = attr(e, "Target");
            }
        })?;
        let target = target.ok_or_else(|| {
            tr!(
                "the workbook does not say where the sheet {sheet} is",
                sheet = format!("{sheet:?}"),
            )
        })?;
        Ok(match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        })
    }

    /// The indices of the cell formats (`cellXfs`) that unlock their cells.
    fn unlocked_styles(&self) -> Result<HashSet<usize>, String> {
        let Some(xml) = self.parts.get("xl/styles.xml") else {
            return Ok(HashSet::new());
        };
        let mut out = HashSet::new();
        let mut in_cell_xfs = false;
        let mut index = 0usize;
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            let ev = reader.read_event_into(&mut buf).map_err(|e| {
                tr!(
                    "{part} is not well-formed XML: {error}",
                    part = "xl/styles.xml",
                    error = e
                )
            })?;
            match &ev {
                Event::Start(e) if e.local_name().into_inner() == "cellXfs" => in_cell_xfs = true,
                Event::End(e) if e.local_name().into_inner() == "cellXfs" => in_cell_xfs = false,
                Event::End(e) if in_cell_xfs && e.local_name().into_inner() == "xf" => index += 1,
                Event::Empty(e) if in_cell_xfs && e.local_name().into_inner() == "xf" => index += 1,
                Event::Start(e) | Event::Empty(e)
                    if in_cell_xfs
                        && e.local_name().into_inner() == "protection"
                        && attr(e, "locked").is_some_and(|v| v == "0" || v == "false") =>
                {
                    out.insert(index);
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(out)
    }
}

/// Calls `f` on every start or empty element of an XML part.
fn each_element(xml: &[u8], part: &str, mut f: impl FnMut(&BytesStart)) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => f(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(tr!("{part} is not well-formed XML: {error}", part = part, error = e)),
        }
        buf.clear();
    }
}

/// An attribute's value, by local name, unescaped.
fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::default())
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Checks, before anything is allocated from them, the area a worksheet's
/// XML claims: its `dimension` and every cell reference must stay within
/// [`MAX_SHEET_CELLS`].
fn sheet_area(name: &str, xml: &[u8]) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut rows, mut cols) = (0u64, 0u64);
    let mut far = String::new();
    let mut check = |r: &str, rows: &mut u64, cols: &mut u64| -> Result<(), String> {
        for part in r.split(':') {
            let Some((row, col)) = crate::yearly::identity::parse_a1(part) else {
                return Err(tr!(
                    "the part {part} holds the cell reference {reference}, which is not a cell",
                    part = name,
                    reference = format!("{part:?}"),
                ));
            };
            if u64::from(row) + 1 > *rows || u64::from(col) + 1 > *cols {
                far = part.to_string();
            }
            *rows = (*rows).max(u64::from(row) + 1);
            *cols = (*cols).max(u64::from(col) + 1);
        }
        Ok(())
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                let tag = e.local_name();
                let tag = tag.into_inner();
                if (tag == "c" || tag == "dimension")
                    && let Some(r) = attr(e, if tag == "c" { "r" } else { "ref" })
                {
                    check(&r, &mut rows, &mut cols)?;
                }
            }
            Ok(_) => {}
            Err(e) => {
                return Err(tr!(
                    "not a readable xlsx workbook (the part {part}: {error})",
                    part = name,
                    error = e,
                ));
            }
        }
        buf.clear();
    }
    if rows.saturating_mul(cols) > MAX_SHEET_CELLS {
        return Err(tr!(
            "the sheet {sheet} reaches the cell {cell} ({rows} rows × {columns} columns); a template spans far fewer \
             (at most {max} cells): refusing a sheet that would take gigabytes to read",
            sheet = name,
            cell = far,
            rows = rows,
            columns = cols,
            max = MAX_SHEET_CELLS,
        ));
    }
    Ok(())
}

/// A cell's value as text, for the identity sheet.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Parses a defined name's formula (`'調査票'!$F$3`, `=調査票!F3`) into the
/// sheet name and the zero-based cell.
///
/// ```
/// use shiryo::yearly::import::workbook::parse_reference;
/// assert_eq!(parse_reference("'調査票'!$F$3"), Some(("調査票".to_string(), (2, 5))));
/// assert_eq!(parse_reference("=Sheet1!B2"), Some(("Sheet1".to_string(), (1, 1))));
/// assert_eq!(parse_reference("'a''b'!A1"), Some(("a'b".to_string(), (0, 0))));
/// assert_eq!(parse_reference("'調査票'!$F$3:$F$4"), None);
/// ```
pub fn parse_reference(formula: &str) -> Option<(String, (u32, u16))> {
    let f = formula.trim().trim_start_matches('=');
    let (sheet, cell) = f.rsplit_once('!')?;
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(q) => q.replace("''", "'"),
        None => sheet.to_string(),
    };
    if sheet.is_empty() {
        return None;
    }
    Some((sheet, crate::yearly::identity::parse_a1(cell)?))
}
