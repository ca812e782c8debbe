//! Prints shiryo's xlsx with LibreOffice and checks that nothing is clipped
//! away and that the pages are shiryo's own.

mod common;

use common::*;

#[test]
fn libreoffice_prints_every_text_on_shiryos_pages() {
    let dir = tempfile::tempdir().unwrap();
    let paths = shiryo_ok(dir.path(), &["render"]);
    let xlsx = paths.iter().find(|p| p.extension().unwrap() == "xlsx").unwrap();
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap();
    let lo_dir = dir.path().join("lo");
    std::fs::create_dir_all(&lo_dir).unwrap();
    let lo = libreoffice_pdf(xlsx, &lo_dir);
    let text = strip(&pdf_text(&lo, None));
    for (name, texts) in example_indicators(2024) {
        assert!(
            text.contains(&strip(&name)),
            "LibreOffice's print lacks the indicator {name:?}"
        );
        for t in texts {
            assert!(
                text.contains(&strip(&t)),
                "LibreOffice's print lacks the text {t:?} of {name:?}"
            );
        }
    }
    assert_eq!(pdf_pages(&lo), pdf_pages(pdf), "LibreOffice prints shiryo's pages");
}

#[test]
fn libreoffice_prints_a_continued_label_whole() {
    // In the R5 edition on pages with a 40 mm bottom margin, 基本目標３
    // continues onto page 2 over one row; that row is made tall enough for
    // the whole label, in the workbook too.
    let dir = tempfile::tempdir().unwrap();
    let mut l: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("layouts/shiryo2-dai5ki.json")).unwrap()).unwrap();
    l["page"]["margins_mm"]["bottom"] = serde_json::json!(40);
    let layout = dir.path().join("layout.json");
    std::fs::write(&layout, serde_json::to_vec(&l).unwrap()).unwrap();
    let paths = shiryo_ok(
        dir.path(),
        &[
            "render",
            "--layout",
            layout.to_str().unwrap(),
            "--year",
            "2023",
            "--format",
            "xlsx",
        ],
    );
    let lo = libreoffice_pdf(&paths[0], &dir.path().join("lo"));
    assert_eq!(pdf_pages(&lo), 2);
    let page = strip(&pdf_text(&lo, Some(2)));
    let goal = &example()["goals"][2];
    assert_eq!(goal["number"], 3);
    let mut lines = vec!["基本目標３".to_string(), goal["name"].as_str().unwrap().to_string()];
    lines.extend(
        goal["directions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string()),
    );
    for line in lines {
        assert!(page.contains(&strip(&line)), "page 2 lacks {line:?}: {page}");
    }
}

#[test]
fn libreoffice_prints_every_character_of_a_row_taller_than_a_sheet_row() {
    // 1,000 characters of 取組状況 make a row of some 57 lines (570 pt): more
    // than the 409.5 pt a sheet row holds, less than a page. The workbook
    // stacks it into two sheet rows, the text divided at the PDF's lines.
    let dir = tempfile::tempdir().unwrap();
    let mut plan = example();
    let long: String = (1..=40)
        .map(|i| format!("第{i:02}回の会議で地域の課題を共有し、関係する機関と連携した。"))
        .collect::<String>()
        .chars()
        .take(1000)
        .collect();
    assert_eq!(long.chars().count(), 1000);
    plan["goals"][0]["indicators"][0]["reports"]["2024"]["actions"] = serde_json::json!(long);
    let data = dir.path().join("long.json");
    std::fs::write(&data, serde_json::to_string(&plan).unwrap()).unwrap();
    let paths = shiryo_ok(dir.path(), &["render", "--data", data.to_str().unwrap()]);
    let xlsx = paths.iter().find(|p| p.extension().unwrap() == "xlsx").unwrap();
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap();
    let lo = libreoffice_pdf(xlsx, &dir.path().join("lo"));
    let pages = pdf_pages(pdf);
    assert_eq!(pdf_pages(&lo), pages, "LibreOffice prints shiryo's pages");
    // The actions column of each printed page, in page order.
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(data.clone()),
        ..Default::default()
    })
    .unwrap();
    let p = shiryo::render::prepare(&edition).unwrap();
    let tall = p.grid.header_rows;
    assert!(p.measured.row_heights[tall] > 409.5, "{}", p.measured.row_heights[tall]);
    let col = p.grid.columns.iter().position(|c| c.id == "actions").unwrap();
    let s = p.paged.scale;
    let x = 10.0 / 25.4 * 72.0 + s * p.grid.columns[..col].iter().map(|c| c.width_pt()).sum::<f32>();
    let w = s * p.grid.columns[col].width_pt();
    let crop = |v: f32| format!("{}", v.round() as i64);
    let column = |file: &std::path::Path| -> String {
        (1..=pages)
            .map(|page| {
                let n = page.to_string();
                let args = [
                    "-raw",
                    "-f",
                    &n,
                    "-l",
                    &n,
                    "-x",
                    &crop(x + 1.0),
                    "-y",
                    "0",
                    "-W",
                    &crop(w - 2.0),
                    "-H",
                    "842",
                    file.to_str().unwrap(),
                    "-",
                ];
                run("pdftotext", &args)
            })
            .collect()
    };
    assert!(strip(&column(pdf)).contains(&long), "shiryo's PDF has the whole text");
    assert!(
        strip(&column(&lo)).contains(&long),
        "LibreOffice's print of the workbook has the whole text: {}",
        strip(&column(&lo))
    );
}
