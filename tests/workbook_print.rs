//! LibreOffice's print of every bundled edition's workbook against
//! shiryo's PDF of it: the same pages, the same lines on each page (so the
//! same first row), and none of the line breaks the 禁則 rules forbid — no
//! line that continues the line above it starts with a character of
//! `NO_START` or follows a line ending with one of `NO_END`, and no number
//! is split from its unit or its era name.
//!
//! The printed lines are read back with `pdftotext -bbox`: words on one
//! baseline are joined into a cell's line until a column boundary lies
//! between them, and a line continues the one right above it (overlapping
//! it) when the two, joined, are part of one paragraph of a cell.

mod common;

use common::*;
use shiryo::measure::linebreak::{ERA_NAMES, NO_END, NO_START, UNIT_SIGNS};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The bundled editions: data file and report year.
const EDITIONS: [(&str, Option<i32>); 5] = [
    ("data/dai5ki.json", Some(2024)),
    ("data/dai5ki.json", Some(2023)),
    ("data/dai4ki.json", None),
    ("data/jigyo-keikaku-r2.json", None),
    ("data/hyoka-r6.json", None),
];

/// A word of a printed page, from `pdftotext -bbox`.
#[derive(Debug, Clone)]
struct Word {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

/// A printed line of one cell: its words joined, without white space.
#[derive(Debug, Clone)]
struct Printed {
    x0: f32,
    x1: f32,
    y0: f32,
    height: f32,
    text: String,
}

/// The words of every page of a PDF.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let out = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut pages = Vec::new();
    for line in out.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(Vec::new());
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f32 {
                let at = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                rest[at..at + rest[at..].find('"').unwrap()].parse().unwrap()
            };
            let text = &rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()];
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            pages.last_mut().unwrap().push(Word {
                x0: attr("xMin"),
                y0: attr("yMin"),
                x1: attr("xMax"),
                y1: attr("yMax"),
                text,
            });
        }
    }
    pages
}

/// The printed lines of a page: words on one baseline, split where a
/// column boundary lies between two of them.
fn printed(words: &[Word], bounds: &[f32]) -> Vec<Printed> {
    let mut ws = words.to_vec();
    ws.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<Word>> = Vec::new();
    for w in ws {
        match rows.last_mut() {
            Some(r) if (r[0].y0 - w.y0).abs() < 0.5 => r.push(w),
            _ => rows.push(vec![w]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut current: Option<Printed> = None;
        for w in row {
            let joined = current
                .as_ref()
                .is_some_and(|c| !bounds.iter().any(|b| c.x1 - 0.5 < *b && *b < w.x0 + 0.5));
            match (&mut current, joined) {
                (Some(c), true) => {
                    c.x1 = w.x1;
                    c.text.push_str(&strip(&w.text));
                }
                _ => {
                    out.extend(current.take());
                    current = Some(Printed {
                        x0: w.x0,
                        x1: w.x1,
                        y0: w.y0,
                        height: w.y1 - w.y0,
                        text: strip(&w.text),
                    });
                }
            }
        }
        out.extend(current);
    }
    out
}

/// What went wrong at line breaks on one print.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Faults {
    /// Lines continuing the line above that start with a `NO_START` character.
    starts: usize,
    /// Lines continued below that end with a `NO_END` character.
    ends: usize,
    /// Numbers split from their unit (or from their era name).
    numbers: usize,
    /// Continued lines found: the analysis saw the print's line breaks.
    breaks: usize,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_unit(c: char) -> bool {
    UNIT_SIGNS.contains(c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{30A0}'..='\u{30FF}').contains(&c)
}

/// The faults of the line breaks of a print's pages; `paragraphs` are the
/// grid's paragraphs without white space.
fn faults(pages: &[Vec<Printed>], paragraphs: &[String], examples: &mut Vec<String>) -> Faults {
    let mut f = Faults::default();
    for lines in pages {
        for b in lines {
            // The line right above, overlapping it.
            let Some(a) = lines
                .iter()
                .filter(|a| a.y0 < b.y0 - 0.5 && b.y0 - a.y0 < 1.6 * b.height)
                .filter(|a| a.x0 < b.x1 && b.x0 < a.x1)
                .max_by(|p, q| p.y0.total_cmp(&q.y0))
            else {
                continue;
            };
            let joined = format!("{}{}", a.text, b.text);
            if a.text.is_empty() || b.text.is_empty() || !paragraphs.iter().any(|p| p.contains(&joined)) {
                continue;
            }
            f.breaks += 1;
            let (last, first) = (a.text.chars().next_back().unwrap(), b.text.chars().next().unwrap());
            let mut fault = |kind: &str, n: &mut usize| {
                *n += 1;
                examples.push(format!("{kind}: {:?} / {:?}", a.text, b.text));
            };
            if NO_START.contains(first) {
                fault("line start", &mut f.starts);
            }
            if NO_END.contains(last) {
                fault("line end", &mut f.ends);
            }
            let number_end =
                is_digit(last) || (matches!(last, ',' | '.') && a.text.chars().rev().nth(1).is_some_and(is_digit));
            if (number_end && (is_digit(first) || is_unit(first)))
                || (ERA_NAMES.iter().any(|e| a.text.ends_with(e)) && is_digit(first))
            {
                fault("number", &mut f.numbers);
            }
        }
    }
    f
}

/// One edition's print, read back.
struct Print {
    pages: Vec<Vec<Printed>>,
}

/// Reads a PDF's pages as printed lines, with the grid's column
/// boundaries on the page.
fn read(pdf: &Path, bounds: &[f32]) -> Print {
    Print {
        pages: words(pdf).iter().map(|w| printed(w, bounds)).collect(),
    }
}

#[test]
fn libreoffice_prints_shiryos_lines_on_shiryos_pages() {
    need("libreoffice");
    need("pdftotext");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut made: Vec<(PathBuf, PathBuf, usize)> = Vec::new();
    for (i, (data, year)) in EDITIONS.iter().enumerate() {
        let data = root().join(data);
        let year = year.map(|y| y.to_string());
        let mut args = vec![
            "render",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(y) = &year {
            args.extend(["--year", y]);
        }
        let paths = shiryo_ok(dir.path(), &args);
        let pick = |ext: &str| paths.iter().find(|p| p.extension().unwrap() == ext).unwrap().clone();
        made.push((pick("xlsx"), pick("pdf"), i));
    }
    // Every workbook printed by one LibreOffice run.
    let lo_dir = dir.path().join("lo");
    let xlsx: Vec<&Path> = made.iter().map(|(x, _, _)| x.as_path()).collect();
    let lo = libreoffice_pdfs(&xlsx, &lo_dir);
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for ((xlsx, pdf, i), lo) in made.iter().zip(&lo) {
        let (data, year) = EDITIONS[*i];
        let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
            data: Some(root().join(data)),
            year,
            ..Default::default()
        })
        .unwrap();
        let p = shiryo::render::prepare(&edition).unwrap();
        let l = &edition.layout.layout;
        let (ml, s) = (l.page.margins_mm.left / 25.4 * 72.0, p.paged.scale);
        let mut bounds = vec![ml];
        for c in &p.grid.columns {
            bounds.push(bounds.last().unwrap() + s * c.width_pt());
        }
        let paragraphs: Vec<String> = p
            .grid
            .cells
            .iter()
            .flat_map(|c| c.lines.iter().map(|l| strip(&l.text)))
            .collect();
        let name = xlsx.file_stem().unwrap().to_string_lossy().into_owned();
        let (ours, theirs) = (read(pdf, &bounds), read(lo, &bounds));
        let mut examples = Vec::new();
        let lo_faults = faults(&theirs.pages, &paragraphs, &mut examples);
        let pdf_faults = faults(&ours.pages, &paragraphs, &mut Vec::new());
        report.push(format!(
            "{name:<22} pages PDF {:>2} LO {:>2} | LO: starts {:>2} ends {:>2} numbers {:>2} (breaks {:>4}) | PDF: starts {} ends {} numbers {} (breaks {})",
            ours.pages.len(),
            theirs.pages.len(),
            lo_faults.starts,
            lo_faults.ends,
            lo_faults.numbers,
            lo_faults.breaks,
            pdf_faults.starts,
            pdf_faults.ends,
            pdf_faults.numbers,
            pdf_faults.breaks,
        ));
        if pdf_faults.breaks == 0 {
            failures.push(format!("{name}: no line break of shiryo's PDF was recognised"));
        }
        if (lo_faults.starts, lo_faults.ends, lo_faults.numbers) != (0, 0, 0) {
            failures.push(format!(
                "{name}: LibreOffice breaks lines where 禁則 forbids: {examples:#?}"
            ));
        }
        if ours.pages.len() != theirs.pages.len() {
            failures.push(format!(
                "{name}: the PDF has {} pages, LibreOffice's print {}",
                ours.pages.len(),
                theirs.pages.len()
            ));
            continue;
        }
        for (pi, (page, (mine, other))) in p
            .paged
            .pages
            .iter()
            .zip(ours.pages.iter().zip(&theirs.pages))
            .enumerate()
        {
            // The first body row: the first line of each cell starting in
            // it, each of its words (a wide space, as in 「調査　【…」, parts
            // a printed line in two for pdftotext).
            let first: Vec<String> = page
                .fragments
                .iter()
                .filter(|f| f.rows.start == page.rows.start && !f.continued && !f.lines.is_empty())
                .flat_map(|f| {
                    p.measured.cell_lines[f.cell][f.lines.start]
                        .text
                        .split(char::is_whitespace)
                        .map(strip)
                        .collect::<Vec<_>>()
                })
                .filter(|t| !t.is_empty())
                .collect();
            for t in &first {
                for (who, lines) in [("the PDF", mine), ("LibreOffice's print", other)] {
                    if !lines.iter().any(|l| l.text.contains(t.as_str())) {
                        failures.push(format!(
                            "{name}: page {} of {who} lacks {t:?}, a line of its first row",
                            pi + 1
                        ));
                    }
                }
            }
            // The same lines on the page.
            let count = |lines: &[Printed]| {
                let mut m: BTreeMap<String, i32> = BTreeMap::new();
                for l in lines {
                    *m.entry(l.text.clone()).or_default() += 1;
                }
                m
            };
            let (a, b) = (count(mine), count(other));
            if a != b {
                let only = |x: &BTreeMap<String, i32>, y: &BTreeMap<String, i32>| -> Vec<String> {
                    x.iter()
                        .filter(|(k, n)| y.get(*k).copied().unwrap_or(0) < **n)
                        .map(|(k, _)| k.clone())
                        .collect()
                };
                failures.push(format!(
                    "{name}: page {} prints other lines\n  only in the PDF: {:?}\n  only in LibreOffice's print: {:?}",
                    pi + 1,
                    only(&a, &b),
                    only(&b, &a)
                ));
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
