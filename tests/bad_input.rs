//! The bad-input corpus in tests/bad/: every file is refused with exit
//! code 1 and a message naming the file, the place and what was expected,
//! and the output directory is left exactly as it was.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The files of a directory and their bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Runs `shiryo render` on a bad input into an output directory that holds
/// an earlier good file of the same name, and checks the refusal.
fn refused(data: &str, layout: Option<&str>, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let stem = Path::new(data).file_stem().unwrap().to_string_lossy().into_owned();
    std::fs::write(out.join(format!("{stem}-R6.pdf")), b"an earlier good PDF").unwrap();
    std::fs::write(out.join(format!("{stem}-R6.xlsx")), b"an earlier good workbook").unwrap();
    let before = snapshot(&out);
    let data_path = root().join("tests/bad").join(data);
    let layout_path =
        root().join(layout.map_or("layouts/shiryo2-dai5ki.json".to_string(), |l| format!("tests/bad/{l}")));
    let o = shiryo(
        dir.path(),
        &[
            "render",
            "--data",
            data_path.to_str().unwrap(),
            "--layout",
            layout_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{data} {layout:?}: {err}");
    for e in expected {
        assert!(err.contains(e), "{data} {layout:?}: expected {e:?} in:\n{err}");
    }
    assert!(o.stdout.is_empty(), "nothing is reported as written");
    assert_eq!(snapshot(&out), before, "{data}: the output directory is unchanged");
}

#[test]
fn malformed_json_names_line_and_column() {
    refused(
        "malformed.json",
        None,
        &["malformed.json: 17:39: invalid JSON: EOF while parsing a string"],
    );
    refused("empty-file.json", None, &["empty-file.json: 1:0: invalid JSON"]);
}

#[test]
fn wrong_types_unknown_fields_and_qualifiers_name_the_json_path() {
    refused(
        "wrong-type.json",
        None,
        &["wrong-type.json: goals[0].number: expected an integer, found \"one\""],
    );
    refused(
        "unknown-field.json",
        None,
        &["unknown-field.json: goals[0].indicators[0]: unknown field \"unitt\""],
    );
    refused(
        "unknown-qualifier.json",
        None,
        &["goals[0].indicators[0].target.qualifier: expected one of \"以上\", \"以下\", found \"未満\""],
    );
    refused(
        "unit-in-value.json",
        None,
        &[
            "goals[0].indicators[0].values.2023: expected a decimal string",
            "found \"439人\"",
        ],
    );
    refused(
        "bad-date.json",
        None,
        &["editions[0].date: expected a date YYYY-MM-DD, found \"2025/04/01\""],
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    refused(
        "three-errors.json",
        None,
        &[
            "goals[0].number: expected an integer",
            "goals[0].indicators[0]: unknown field \"unitt\"",
            "goals[0].indicators[1].values.2023: expected a decimal string",
        ],
    );
}

#[test]
fn plan_structure_problems() {
    refused(
        "duplicate-id.json",
        None,
        &["goals[0].indicators[1].id: duplicate id \"a\": already used at goals[0].indicators[0]"],
    );
    refused(
        "year-outside-plan.json",
        None,
        &["goals[0].indicators[0].values.2031: expected a fiscal year from 2022 to 2028, found 2031"],
    );
    refused(
        "measure-without-parent.json",
        None,
        &["goals[0].indicators[2]: missing field \"department\""],
    );
    refused(
        "empty-plan.json",
        None,
        &["empty-plan.json: goals: expected at least 1 item, found none"],
    );
    refused(
        "target-before-baseline.json",
        None,
        &["target_year: expected a fiscal year after baseline_year (2022), found 2020"],
    );
    refused(
        "no-editions.json",
        None,
        &["no-editions.json: the data lists no editions; give the report year with --year"],
    );
}

#[test]
fn a_text_longer_than_a_spreadsheet_cell_holds_is_refused_naming_the_cell() {
    refused(
        "text-100000-chars.json",
        None,
        &[
            "row 1 (ほっとネット推進員登録者数), column actions: a text of 100000 characters: a spreadsheet cell holds at most 32767",
        ],
    );
}

#[test]
fn characters_the_font_lacks_are_listed_with_their_cell() {
    refused(
        "char-font-lacks.json",
        None,
        &["row 2 (外字𠮷を含む名前), column item: the font \"BIZ UDGothic\" has no glyph for '𠮷' (U+20BB7)"],
    );
    refused(
        "base.json",
        Some("layout-font-lacks-japanese.json"),
        &["header of column goal: the font \"DejaVu Sans\" has no glyph for '基' (U+57FA)"],
    );
}

#[test]
fn layout_problems_name_the_layout_file_and_place() {
    refused(
        "base.json",
        Some("layout-missing-font.json"),
        &["layout-missing-font.json: font.family: no installed font has the family \"No Such Font Family\""],
    );
    refused(
        "base.json",
        Some("layout-missing-field.json"),
        &[
            "layout-missing-field.json: columns[7].content.text[0]: {indicator.rationale_text}: after indicator: no field \"rationale_text\" is declared here",
        ],
    );
    refused(
        "base.json",
        Some("layout-narrow-column.json"),
        &[
            "layout-narrow-column.json: columns[1].width_mm: column pages is 3 mm wide",
            "cannot hold one 8 pt character",
        ],
    );
    refused(
        "base.json",
        Some("layout-unknown-field.json"),
        &["layout-unknown-field.json: unknown field \"colour\""],
    );
    refused(
        "base.json",
        Some("layout-unknown-name.json"),
        &["layout-unknown-name.json: title.left: {titel} names nothing"],
    );
    refused(
        "base.json",
        Some("layout-unknown-scope.json"),
        &[
            "columns[2].scope: expected one of the group names [\"goal\", \"indicator\", \"measure\"], found \"indicatorr\"",
        ],
    );
    refused(
        "base.json",
        Some("layout-unknown-filter.json"),
        &["columns[3].content.text[0]: unknown filter \"upper\""],
    );
    refused(
        "base.json",
        Some("layout-body-and-blocks.json"),
        &["blocks: expected either \"body\" (a single table) or \"blocks\" (a document), not both"],
    );
}

#[test]
fn layout_paths_are_held_against_the_data_shape() {
    refused(
        "base.json",
        Some("layout-when-unknown-filter.json"),
        &[
            "layout-when-unknown-filter.json: columns[4].content.text[0].when",
            "unknown filter \"upper\"",
        ],
    );
    refused(
        "base.json",
        Some("layout-span-if-missing.json"),
        &[
            "layout-span-if-missing.json: columns[4].span_if_missing: {measure.nmae}",
            "no field \"nmae\" is declared here",
        ],
    );
    refused(
        "base.json",
        Some("layout-typo-after-index.json"),
        &[
            "layout-typo-after-index.json: columns[7].content.text[0]: {indicator.measures.0.nmae}",
            "no field \"nmae\" is declared here",
        ],
    );
    refused(
        "base.json",
        Some("layout-group-matches-nothing.json"),
        &[
            "layout-group-matches-nothing.json: body.groups[1].each: \"indicator\" names no field of the enclosing items",
            "so the group would have no rows",
        ],
    );
    refused(
        "../../data/jigyo-keikaku-r2.json",
        Some("layout-scope-outside-table.json"),
        &[
            "layout-scope-outside-table.json: columns[0].scope",
            "\"unit\" is not a group of the table at blocks[0].each.blocks[0].each.blocks[2].each.blocks[3].table",
        ],
    );
}

#[test]
fn an_unwritable_output_directory_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let out = file.join("out");
    let o = shiryo(dir.path(), &["render", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot create the output directory"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_text_starting_with_equals_stays_text_in_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("tests/equals-text.json");
    let paths = shiryo_ok(
        dir.path(),
        &["render", "--data", data.to_str().unwrap(), "--format", "xlsx"],
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&paths[0]).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert!(!sheet.contains("<f>"), "no formula in the sheet");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&paths[0]).unwrap();
    let range = wb.worksheet_range("調査票").unwrap();
    assert!(
        range
            .cells()
            .any(|(_, _, d)| matches!(d, calamine::Data::String(s) if s.trim() == "=SUM(A1:A3) は式ではなく文字です"))
    );
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let ok = shiryo(dir.path(), &["check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("no problems"));
    let bad = root().join("tests/bad/three-errors.json");
    let o = shiryo(dir.path(), &["check", "--data", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("3 problems found"));
    let usage = shiryo(dir.path(), &["check", "--no-such-option"]);
    assert_eq!(usage.status.code(), Some(2));
    for data in [
        "data/dai5ki.json",
        "data/dai4ki.json",
        "data/jigyo-keikaku-r2.json",
        "data/hyoka-r6.json",
    ] {
        let o = shiryo(dir.path(), &["check", "--data", root().join(data).to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{data}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn every_case_check_passes_also_renders() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for e in std::fs::read_dir(root().join("tests/bad")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let args: Vec<String> = if name.starts_with("layout-") {
            let base = root().join("tests/bad/base.json");
            vec![
                "--data".into(),
                base.display().to_string(),
                "--layout".into(),
                p.display().to_string(),
            ]
        } else {
            vec!["--data".into(), p.display().to_string()]
        };
        let mut check = vec!["check".to_string()];
        check.extend(args.iter().cloned());
        let check: Vec<&str> = check.iter().map(String::as_str).collect();
        let o = shiryo(dir.path(), &check);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{name}: {o:?}");
        if o.status.success() {
            let mut render = vec!["render".to_string(), "--out".into(), "o".into()];
            render.extend(args);
            let render: Vec<&str> = render.iter().map(String::as_str).collect();
            let r = shiryo(dir.path(), &render);
            assert!(
                r.status.success(),
                "{name}: check passed, render failed: {}",
                String::from_utf8_lossy(&r.stderr)
            );
        }
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn the_corpus_has_at_least_twenty_files() {
    let n = std::fs::read_dir(root().join("tests/bad")).unwrap().count();
    assert!(n >= 20, "{n} files");
}
