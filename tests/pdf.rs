//! The committee PDF: fonts, structure, text, pages and determinism.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn render(dir: &Path, args: &[&str]) -> (PathBuf, PathBuf) {
    let mut all = vec!["render"];
    all.extend_from_slice(args);
    let paths = shiryo_ok(dir, &all);
    let xlsx = paths.iter().find(|p| p.extension().unwrap() == "xlsx").unwrap().clone();
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap().clone();
    (xlsx, pdf)
}

/// A goal number as goal labels print it: one digit full-width, more
/// half-width (`１`, `13`).
fn fw(n: usize) -> String {
    match n {
        0..=9 => char::from_u32('０' as u32 + n as u32).unwrap().to_string(),
        _ => n.to_string(),
    }
}

/// How often `label` occurs in `text` not followed by another digit.
fn count_label(text: &str, label: &str) -> usize {
    text.match_indices(label)
        .filter(|(i, _)| {
            !text[i + label.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        })
        .count()
}

#[test]
fn fonts_are_embedded_subsets_and_the_file_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = render(dir.path(), &[]);
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, ToUnicode: {row}"
        );
        assert!(row.contains("BIZUDGothic"), "{row}");
    }
    // Bold headers and the bold title are set in the bundled Bold face, not
    // drawn by stroking the regular one.
    let faces: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|r| r.split_whitespace().next()?.split('+').nth(1))
        .collect();
    assert_eq!(faces.len(), 2, "{fonts}");
    assert!(faces.contains(&"BIZUDGothic-Regular"), "{fonts}");
    assert!(faces.contains(&"BIZUDGothic-Bold"), "{fonts}");
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("第５期西東京市地域福祉計画進捗状況調査票"), "{info}");
    assert!(info.contains("令和６年度"), "subject names the edition: {info}");
    assert!(info.contains("Page size:       1190.55 x 841.89 pts (A3)"), "{info}");
}

#[test]
fn every_text_is_searchable_and_goal_labels_are_not_hidden_copies() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = render(dir.path(), &[]);
    let text = strip(&pdf_text(&pdf, None));
    for (name, texts) in example_indicators(2024) {
        assert!(text.contains(&strip(&name)), "the PDF lacks the indicator {name:?}");
        for t in texts {
            assert!(text.contains(&strip(&t)), "the PDF lacks {t:?} of {name:?}");
        }
    }
    // Each goal label appears once per page its rows are on.
    let pages = pdf_pages(&pdf);
    let page_texts: Vec<String> = (1..=pages).map(|p| strip(&pdf_text(&pdf, Some(p)))).collect();
    let plan = example();
    for (g, goal) in plan["goals"].as_array().unwrap().iter().enumerate() {
        let names: Vec<String> = goal["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| strip(i["name"].as_str().unwrap()))
            .collect();
        let spans = page_texts
            .iter()
            .filter(|t| names.iter().any(|n| t.contains(n)))
            .count();
        let label = format!("基本目標{}", fw(g + 1));
        assert_eq!(
            count_label(&text, &label),
            spans,
            "{label} printed once per page it spans"
        );
    }
}

#[test]
fn libreoffice_prints_the_same_pages_starting_with_the_same_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = render(dir.path(), &[]);
    let lo = libreoffice_pdf(&xlsx, dir.path());
    let n = pdf_pages(&pdf);
    assert_eq!(pdf_pages(&lo), n);
    let names: Vec<String> = indicator_names().iter().map(|n| strip(n)).collect();
    let first = |pdf: &Path, page: usize| {
        let t = strip(&pdf_text(pdf, Some(page)));
        names
            .iter()
            .filter_map(|n| t.find(n.as_str()).map(|i| (i, n.clone())))
            .min()
            .map(|(_, n)| n)
    };
    for page in 1..=n {
        let ours = first(&pdf, page);
        assert!(ours.is_some(), "page {page} has an indicator");
        // LibreOffice orders text by position; compare which indicators each page holds first
        // by the set on the page, and the first of ours must be on LibreOffice's page too.
        let lo_text = strip(&pdf_text(&lo, Some(page)));
        assert!(
            lo_text.contains(ours.as_deref().unwrap()),
            "page {page} starts with {ours:?} in both"
        );
        let before: Vec<&String> = names.iter().take_while(|n| Some(*n) != ours.as_ref()).collect();
        for b in before {
            assert!(!lo_text.contains(b.as_str()) || strip(&pdf_text(&pdf, Some(page))).contains(b.as_str()));
        }
    }
}

#[test]
fn no_line_starts_with_a_prohibited_character() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = render(dir.path(), &[]);
    let xml = run("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let mut lines = 0;
    for line in xml.split("<line").skip(1) {
        let words: String = line
            .split("<word")
            .skip(1)
            .filter_map(|w| {
                w.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</word>"))
                    .map(|(t, _)| t.to_string())
            })
            .collect();
        let Some(c) = words.chars().next() else { continue };
        lines += 1;
        assert!(
            !"、。，．）」』】〕ーぁぃぅぇぉっゃゅょァィゥェォッャュョ々".contains(c),
            "a line starts with {c:?}: {words}"
        );
        let last = words.chars().last().unwrap();
        assert!(!"（「『【".contains(last), "a line ends with {last:?}: {words}");
    }
    assert!(lines > 200, "only {lines} lines extracted");
}

/// The lines of each text block of a PDF, as `pdftotext -bbox-layout`
/// extracts them (a block is a cell or a run of neighbouring cells).
fn block_lines(pdf: &Path) -> Vec<Vec<String>> {
    let xml = run("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    xml.split("<block")
        .skip(1)
        .map(|block| {
            block
                .split("<line")
                .skip(1)
                .map(|line| {
                    line.split("<word")
                        .skip(1)
                        .filter_map(|w| {
                            w.split_once('>')
                                .and_then(|(_, rest)| rest.split_once("</word>"))
                                .map(|(t, _)| t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_line_ends_with_an_era_name_whose_year_starts_the_next() {
    // The bundled editions once broke 令和/７年度, 令和/2年 and ＜平成/31.
    let dir = tempfile::tempdir().unwrap();
    let mut splits = Vec::new();
    let mut pairs = 0;
    for (data, year) in [
        ("data/dai5ki.json", "2023"),
        ("data/dai5ki.json", "2024"),
        ("data/dai4ki.json", "2020"),
        ("data/jigyo-keikaku-r2.json", "2020"),
        ("data/hyoka-r6.json", "2024"),
    ] {
        let out = dir.path().join(format!("{}-{year}", data.replace('/', "-")));
        let paths = shiryo_ok(
            dir.path(),
            &[
                "render",
                "--format",
                "pdf",
                "--data",
                root().join(data).to_str().unwrap(),
                "--year",
                year,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        for block in block_lines(&paths[0]) {
            for w in block.windows(2) {
                pairs += 1;
                let era = ["令和", "平成", "昭和", "Ｒ", "R", "Ｈ", "H"]
                    .iter()
                    .any(|e| w[0].ends_with(e));
                let year = w[1]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '元');
                if era && year {
                    splits.push(format!("{data} {year}: {}/{}", w[0], w[1]));
                }
            }
        }
    }
    assert!(pairs > 1000, "only {pairs} pairs of lines extracted");
    assert!(splits.is_empty(), "{splits:#?}");
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (xa, pa) = render(a.path(), &[]);
    let (xb, pb) = render(b.path(), &[]);
    assert_eq!(std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap(), "PDF bytes");
    assert_eq!(std::fs::read(&xa).unwrap(), std::fs::read(&xb).unwrap(), "xlsx bytes");
}

#[test]
fn a_plan_fifty_times_the_example_repeats_labels_on_continued_pages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("x50.json");
    std::fs::write(&data, serde_json::to_string(&scaled_plan(50)).unwrap()).unwrap();
    let (_, pdf) = render(
        dir.path(),
        &[
            "--data",
            data.to_str().unwrap(),
            "--layout",
            root().join("layouts/shiryo2-dai5ki.json").to_str().unwrap(),
        ],
    );
    let pages = pdf_pages(&pdf);
    assert!(pages > 50, "{pages} pages");
    // The goal whose rows are at the top of each page prints its label on that page.
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(data.clone()),
        layout: Some(root().join("layouts/shiryo2-dai5ki.json")),
        year: Some(2024),
    })
    .unwrap();
    let prepared = shiryo::render::prepare(&edition).unwrap();
    assert_eq!(prepared.paged.pages.len(), pages);
    let mut continued = 0;
    let m = &prepared.measured;
    for (i, page) in prepared.paged.pages.iter().enumerate() {
        let goal: usize = prepared.grid.rows[page.rows.start].item_ids[0].parse().unwrap();
        let text = strip(&pdf_text(&pdf, Some(i + 1)));
        let label = format!("基本目標{}", fw(goal + 1));
        assert_eq!(count_label(&text, &label), 1, "page {}: {label}", i + 1);
        let goal_cell = page
            .fragments
            .iter()
            .find(|f| prepared.grid.cells[f.cell].col == 0)
            .unwrap();
        if goal_cell.continued {
            continued += 1;
        }
        // Every label on the page (goal, pages, department, item) carries
        // all its lines, with the room to print them, and they are printed.
        for f in page.fragments.iter().filter(|f| prepared.grid.cells[f.cell].repeat) {
            let lines = &m.cell_lines[f.cell];
            assert_eq!(f.lines, 0..lines.len(), "page {}: label {:?}", i + 1, lines);
            let h: f32 = page.heights[f.rows.start - page.rows.start..f.rows.end - page.rows.start]
                .iter()
                .sum();
            assert!(
                m.capacity(h) >= lines.len(),
                "page {}: label {:?} in {h} pt",
                i + 1,
                lines
            );
            for l in lines {
                assert!(text.contains(&strip(&l.text)), "page {}: {:?} missing", i + 1, l.text);
            }
        }
    }
    assert!(continued > 0, "some goal continues across a page break");
    assert_eq!(
        strip(&pdf_text(&pdf, None))
            .matches("はなバスの輸送人員（年間）")
            .count(),
        50
    );
}

#[test]
fn a_row_taller_than_a_page_is_split_without_losing_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = example();
    let long: String = (0..400)
        .map(|i| format!("第{i}項として地域の課題を確認し、関係機関と連携して取り組みを進めた。"))
        .collect();
    plan["goals"][0]["indicators"][0]["reports"]["2024"]["actions"] = serde_json::json!(long);
    let data = dir.path().join("long.json");
    std::fs::write(&data, serde_json::to_string(&plan).unwrap()).unwrap();
    let (xlsx, pdf) = render(dir.path(), &["--data", data.to_str().unwrap()]);
    let pages = pdf_pages(&pdf);
    assert!(pages >= 4, "{pages} pages");
    // The actions column of the body area of every page, in page order.
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(data.clone()),
        year: Some(2024),
        ..Default::default()
    })
    .unwrap();
    let p = shiryo::render::prepare(&edition).unwrap();
    let col = p.grid.columns.iter().position(|c| c.id == "actions").unwrap();
    let s = p.paged.scale;
    let x = 10.0 / 25.4 * 72.0 + s * p.grid.columns[..col].iter().map(|c| c.width_pt()).sum::<f32>();
    let w = s * p.grid.columns[col].width_pt();
    let mut column = String::new();
    for page in 1..=pages {
        // The title and the header row print on the first page only.
        let top = 12.0 / 25.4 * 72.0
            + s * if page == 1 {
                p.measured.row_heights[0] + p.grid.title.as_ref().unwrap().height_pt
            } else {
                0.0
            };
        let crop = |v: f32| format!("{}", v.round() as i64);
        let n = page.to_string();
        let args = [
            "-raw",
            "-f",
            &n,
            "-l",
            &n,
            "-x",
            &crop(x - 1.0),
            "-y",
            &crop(top + 1.0),
            "-W",
            &crop(w + 2.0),
            "-H",
            &crop(842.0 - 25.0 - top),
            pdf.to_str().unwrap(),
            "-",
        ];
        column.push_str(&run("pdftotext", &args));
    }
    assert!(
        strip(&column).contains(&strip(&long)),
        "the long text is on the pages, whole and in order"
    );
    // The spreadsheet holds the whole text in the column's cells, in
    // order: a part per page, each in sheet rows of at most 409.5 pt.
    let mut cells = printed_cells(&xlsx);
    cells.sort();
    let parts: Vec<String> = cells
        .into_iter()
        .filter(|((_, c), _)| *c == col as u32)
        .map(|(_, t)| t.replace('\n', ""))
        .filter(|t| long.contains(t.as_str()) && t.len() > 30)
        .collect();
    assert!(parts.len() >= pages, "{} parts", parts.len());
    assert_eq!(parts.concat(), long);
}

#[test]
fn a_system_font_lacking_a_character_is_an_error_naming_it_and_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let layout = std::fs::read_to_string(root().join("layouts/shiryo2-dai5ki.json")).unwrap();
    let layout = layout.replace("\"family\": \"BIZ UDGothic\"", "\"family\": \"DejaVu Sans\"");
    let path = dir.path().join("dejavu.json");
    std::fs::write(&path, layout).unwrap();
    let out = shiryo(dir.path(), &["render", "--layout", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the font \"DejaVu Sans\" has no glyph for '基' (U+57FA)"),
        "{err}"
    );
    assert!(err.contains("column goal"), "names the cell: {err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// The tokens of the `pdftotext -layout` line that holds `name`: the cells
/// of its row, as far as they are printed on that line.
fn row_tokens(text: &str, name: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no line with {name}"));
    line.split_whitespace().map(str::to_string).collect()
}

#[test]
fn figures_print_as_the_originals_print_them() {
    need("pdftotext");
    let layout_text = |dir: &Path, args: &[&str]| {
        let (_, pdf) = render(dir, args);
        run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
    };
    let d5 = tempfile::tempdir().unwrap();
    let r5 = layout_text(d5.path(), &["--year", "2023"]);
    // Separators where the original has them, none where it has none.
    let users = row_tokens(&r5, "延べ利用者数");
    assert!(
        users.contains(&"7,306人".into()) && users.contains(&"8175人".into()),
        "{users:?}"
    );
    let uses = row_tokens(&r5, "延べ利用回数");
    assert!(
        uses.contains(&"1,266回".into()) && uses.contains(&"1512回".into()),
        "{uses:?}"
    );
    assert!(r5.contains("20,292世帯") && r5.contains("1,316,637人"));
    assert!(!r5.contains("8,175人") && !r5.contains("1,512回"));
    // Header digits and a target's full-width digit as printed.
    assert!(r5.contains("R10") && !r5.contains("R１０"));
    assert!(r5.contains("５％以下") && !r5.contains("5％以下"));
    // R6..R9 of 延べ利用回数 are blanks to fill in the R5 edition.
    assert_eq!(uses.iter().filter(|t| *t == "回").count(), 4, "{uses:?}");

    let d6 = tempfile::tempdir().unwrap();
    let r6 = layout_text(d6.path(), &[]);
    assert!(row_tokens(&r6, "延べ利用者数").contains(&"7871人".into()));
    // Its R6 figure is lost in the source: an empty cell, so only R7..R9
    // print the unit alone.
    let uses = row_tokens(&r6, "延べ利用回数");
    assert_eq!(uses.iter().filter(|t| *t == "回").count(), 3, "{uses:?}");

    // 第４期: the figure of 防災市民組織の数 is empty in the original.
    let d4 = tempfile::tempdir().unwrap();
    let data = root().join("data/dai4ki.json");
    let r2 = layout_text(d4.path(), &["--data", data.to_str().unwrap()]);
    let bosai = row_tokens(&r2, "防災市民組織の数");
    assert!(bosai.contains(&"101組織".into()), "{bosai:?}");
    assert!(!bosai.contains(&"組織".into()), "{bosai:?}");
}

#[test]
fn the_header_row_and_the_footnote_print_once_without_page_numbers() {
    // The 第５期 originals print them on the first page only (header.repeat
    // false, footer.first_page_only), and no page numbers.
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = render(dir.path(), &[]);
    assert_eq!(pdf_pages(&pdf), 2);
    let first = strip(&pdf_text(&pdf, Some(1)));
    let second = strip(&pdf_text(&pdf, Some(2)));
    for once in ["担当部署", "目標設定の考え方", "※年度末時点の数値"] {
        assert!(first.contains(once), "page 1 lacks {once}");
        assert!(!second.contains(once), "page 2 prints {once}");
    }
    assert!(!first.contains("1/2") && !second.contains("2/2"), "no page numbers");
    // The workbook alike: no print titles, the footer of the first page only.
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"<headerFooter differentFirst="1"><firstFooter>"#),
        "{sheet}"
    );
    assert!(sheet.contains("※年度末時点の数値") && !sheet.contains("<oddFooter>"));
    assert!(!read("xl/workbook.xml").contains("Print_Titles"));
}
