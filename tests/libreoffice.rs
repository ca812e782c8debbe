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
    // In the R5 edition 基本目標３ continues onto page 2 over one row; that
    // row is made tall enough for the whole label, in the workbook too.
    let dir = tempfile::tempdir().unwrap();
    let paths = shiryo_ok(dir.path(), &["render", "--year", "2023", "--format", "xlsx"]);
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
