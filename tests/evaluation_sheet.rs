//! The fourth bundled document kind, made of a shape, a layout and a data
//! file alone: the 施策評価シート (layouts/hyoka-sheet.json,
//! layouts/shapes/evaluation-sheet.json, data/hyoka-r6.json). Four levels,
//! a 目標 row of each 方向性, an A–D rating with its legend on a cover
//! page, labels marked where they are printed again; its yearly templates
//! round-trip through openpyxl and LibreOffice.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn data() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("data/hyoka-r6.json")).unwrap()).unwrap()
}

/// Every 取組 of the data: (方向性 goal, action).
fn actions(d: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for p in d["policies"].as_array().unwrap() {
        for m in p["measures"].as_array().unwrap() {
            for dir in m["directions"].as_array().unwrap() {
                for a in dir["actions"].as_array().unwrap() {
                    out.push((dir["goal"].as_str().unwrap().to_string(), a.clone()));
                }
            }
        }
    }
    out
}

fn render(dir: &Path, data: &Path) -> (PathBuf, PathBuf) {
    let out = dir.join("out");
    let paths = shiryo_ok(
        dir,
        &[
            "render",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    (paths[0].clone(), paths[1].clone())
}

#[test]
fn the_sheet_renders_with_its_cover_goal_rows_and_marked_labels() {
    let dir = tempfile::tempdir().unwrap();
    let check = shiryo(
        dir.path(),
        &["check", "--data", root().join("data/hyoka-r6.json").to_str().unwrap()],
    );
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let (xlsx, pdf) = render(dir.path(), &root().join("data/hyoka-r6.json"));
    let pages = pdf_pages(&pdf);
    assert!(pages >= 3, "{pages} pages");
    // The cover: title, city, the legend from the shape, and no table.
    let cover = strip(&pdf_text(&pdf, Some(1)));
    for want in [
        "令和６年度施策評価シート",
        "みなと市",
        "A順調に進んでいる",
        "D遅れている",
    ] {
        assert!(cover.contains(want), "cover lacks {want}: {cover}");
    }
    assert!(!cover.contains("次年度の方針"), "the table starts on page 2");
    let d = data();
    let all = strip(&pdf_text(&pdf, None));
    let acts = actions(&d);
    assert!(acts.len() >= 20);
    // Every 取組 once; every 目標 once, on a row of its own.
    for (goal, a) in &acts {
        let name = strip(a["name"].as_str().unwrap());
        assert_eq!(all.matches(&name).count(), 1, "{name}");
        let g = strip(&format!("【目標】{goal}"));
        assert_eq!(all.matches(&g).count(), 1, "{g}");
    }
    // A 取組 without a rating prints －.
    assert!(acts.iter().any(|(_, a)| a.get("rating").is_none()));
    // Labels printed again on a continuation page carry their marks, and
    // are not part of the first page of the table.
    assert!(all.contains("（続き）"), "a 政策 or 施策 continues: {all}");
    let first_table_page = strip(&pdf_text(&pdf, Some(2)));
    assert!(!first_table_page.contains("（続き）") && !first_table_page.contains("（再）"));
    // The workbook prints the same pages as the PDF.
    let printed = libreoffice_convert(&xlsx, &dir.path().join("lo"), "pdf");
    assert_eq!(
        pdf_pages(&printed),
        pages,
        "LibreOffice prints the workbook on the same pages"
    );
}

#[test]
fn templates_per_department_round_trip_through_openpyxl_and_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("hyoka.json");
    std::fs::copy(root().join("data/hyoka-r6.json"), &store).unwrap();
    let paths = shiryo_ok(
        d,
        &[
            "template",
            "--data",
            store.to_str().unwrap(),
            "--year",
            "2024",
            "--split",
        ],
    );
    let departments: std::collections::BTreeSet<String> = actions(&data())
        .iter()
        .map(|(_, a)| a["department"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), departments.len(), "{paths:?}");
    let fukushi = paths
        .iter()
        .find(|p| p.to_str().unwrap().ends_with("-地域福祉課.xlsx"))
        .unwrap();
    let filled = d.join("filled.xlsx");
    fill_template(
        fukushi,
        &filled,
        &json!({
            "sheet": "評価シート",
            "label_header": "取組",
            "headers": {"result": "実績", "next": "次年度の方針"},
            "rows": [{"item": "地域見守りネットワーク事業の推進", "measure": "地域福祉課",
                      "result": "見守り協力員は３３０人になった。\n研修会を３回開いた。",
                      "next": "協力員の少ない地区で説明会を開く。"}]
        }),
    );
    let back = libreoffice_convert(&filled, &d.join("resaved"), "xlsx");
    let o = shiryo(
        d,
        &["import", "--data", store.to_str().unwrap(), back.to_str().unwrap()],
    );
    let out = change_lines(&String::from_utf8_lossy(&o.stdout));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.iter().any(
            |l| l.starts_with("地域福祉課/地域見守りネットワーク事業の推進 R6 result: ")
                && l.ends_with(" → 見守り協力員は３３０人になった。")
        ),
        "{out:?}"
    );
    assert!(out.iter().any(|l| l.contains(" R6 next: ")), "{out:?}");
    // The store changed in those two fields only.
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
    let mut want = data();
    let a = &mut want["policies"][0]["measures"][0]["directions"][0]["actions"][0];
    assert_eq!(a["id"], "mimamori-network");
    a["result"] = json!("見守り協力員は３３０人になった。\n研修会を３回開いた。");
    a["next"] = json!("協力員の少ない地区で説明会を開く。");
    assert_eq!(after, want);
    // And the sheet prints the new texts.
    let (_, pdf) = render(d, &store);
    let text = strip(&pdf_text(&pdf, None));
    assert!(
        text.contains("見守り協力員は３３０人になった。研修会を３回開いた。"),
        "{text}"
    );
}
