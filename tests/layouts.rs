//! The 第４期 survey and the 事業計画 render from their layout files alone,
//! and every bundled file validates against the printed JSON Schemas.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn render(dir: &Path, data: &str) -> (PathBuf, PathBuf) {
    let paths = shiryo_ok(dir, &["render", "--data", root().join(data).to_str().unwrap()]);
    let xlsx = paths.iter().find(|p| p.extension().unwrap() == "xlsx").unwrap().clone();
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap().clone();
    (xlsx, pdf)
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

/// Checks that every text is in the PDF and in LibreOffice's print of the
/// workbook, and that both have the same pages.
fn printed_alike(xlsx: &Path, pdf: &Path, texts: &[String]) {
    let lo = libreoffice_pdf(xlsx, &xlsx.parent().unwrap().join("lo"));
    let ours = strip(&pdf_text(pdf, None));
    let theirs = strip(&pdf_text(&lo, None));
    for t in texts.iter().filter(|t| !t.trim().is_empty()) {
        assert!(ours.contains(&strip(t)), "the PDF lacks {t:?}");
        assert!(theirs.contains(&strip(t)), "LibreOffice's print lacks {t:?}");
    }
    assert_eq!(pdf_pages(&lo), pdf_pages(pdf), "LibreOffice prints shiryo's pages");
}

#[test]
fn dai4ki_r2_edition() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = render(dir.path(), "data/dai4ki.json");
    assert!(pdf.ends_with("dai4ki-R2.pdf"));
    let plan = json("data/dai4ki.json");
    let mut texts = vec![
        "第4期西東京市地域福祉計画進捗状況調査票".to_string(),
        "平成29年度".into(),
        "令和元年度".into(),
        "令和2年度の取組状況".into(),
        "令和3年度に向けた今後の展開".into(),
    ];
    for g in plan["goals"].as_array().unwrap() {
        texts.push(g["name"].as_str().unwrap().into());
        for i in g["indicators"].as_array().unwrap() {
            texts.push(i["name"].as_str().unwrap().into());
            for k in ["actions", "outlook"] {
                if let Some(t) = i["reports"]["2020"][k].as_str() {
                    texts.push(t.into());
                }
            }
            for m in i.get("measures").and_then(|m| m.as_array()).into_iter().flatten() {
                texts.push(m["name"].as_str().unwrap().into());
            }
        }
    }
    printed_alike(&xlsx, &pdf, &texts);
    // The table widens with the editions: baseline to report year, no target column.
    let header = strip(&pdf_text(&pdf, Some(1)));
    assert!(header.contains("平成29年度（現状値）"));
    assert!(!header.contains("目標値"));
}

#[test]
fn jigyo_keikaku_r2() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = render(dir.path(), "data/jigyo-keikaku-r2.json");
    let plan = json("data/jigyo-keikaku-r2.json");
    let mut texts = Vec::new();
    for d in plan["divisions"].as_array().unwrap() {
        for u in d["units"].as_array().unwrap() {
            texts.push(format!("令和２年度　{}　事業計画", d["name"].as_str().unwrap()));
            texts.push(format!("【{}】", u["name"].as_str().unwrap()));
            // 係の方針 print as stored, their numbers included.
            for p in u["policies"].as_array().unwrap() {
                texts.push(p.as_str().unwrap().into());
            }
            for s in u["sections"].as_array().unwrap() {
                // One digit full-width, two half-width; 「．」 unless the
                // section says otherwise.
                let n = s["number"].as_u64().unwrap();
                let n = if n < 10 {
                    char::from_u32(0xFF10 + n as u32).unwrap().to_string()
                } else {
                    n.to_string()
                };
                let suffix = s.get("number_suffix").and_then(|x| x.as_str()).unwrap_or("．");
                texts.push(format!("{n}{suffix}{}", s["title"].as_str().unwrap()));
                texts.extend(
                    s["policy"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p.as_str().unwrap().to_string()),
                );
                for item in s["items"].as_array().unwrap() {
                    texts.push(item["name"].as_str().unwrap().into());
                    for (k, sub) in item["subitems"].as_array().unwrap().iter().enumerate() {
                        let name = sub["name"].as_str().unwrap();
                        if !name.is_empty() {
                            texts.push(format!("({}){name}", k + 1));
                        }
                        if let Some(c) = sub.get("content") {
                            texts.push(c.as_str().unwrap().into());
                        }
                        texts.push(sub["target"].as_str().unwrap().into());
                    }
                }
            }
        }
    }
    printed_alike(&xlsx, &pdf, &texts);
    // The numbering as printed: 「１.」 and 「10.」 paragraphs, an unnumbered
    // lead paragraph, 「10．」 headings, three headings with a half-width 「.」.
    let all = strip(&pdf_text(&pdf, None));
    for printed in [
        "１.地域共生社会の実現",
        "１．『成年後見制度利用促進法』",
        "２.「第二次アクションプラン」",
        "12.共同募金事業へ協力します。",
        "10．組織改正、職員定員適正化計画の見直し",
        "６.施設の提供及びその他事業の取り組み",
        "５.移動サービス団体等への支援",
    ] {
        assert!(all.contains(&strip(printed)), "the PDF lacks {printed:?}");
    }
    for not_printed in [
        "１０．",
        "１３．",
        "１．各事業に確実に",
        "１．西東京市市民協働推進センター",
    ] {
        assert!(!all.contains(not_printed), "the PDF prints {not_printed:?}");
    }
    // Page numbers print as -n-, and every unit starts a new page with its running title.
    let pages = pdf_pages(&pdf);
    for p in 1..=pages {
        let t = strip(&pdf_text(&pdf, Some(p)));
        assert!(t.contains(&format!("-{p}-")), "page {p} number");
        assert!(t.contains("事業計画"), "page {p} title");
    }
}

#[test]
fn a_sub_item_without_content_prints_its_name_across_the_content_column() {
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(root().join("data/jigyo-keikaku-r2.json")),
        ..Default::default()
    })
    .unwrap();
    let grid = shiryo::table::build(&edition, &Default::default()).unwrap();
    let span = |text: &str| {
        grid.cells
            .iter()
            .find(|c| c.joined() == text)
            .unwrap_or_else(|| panic!("no cell {text:?}"))
            .colspan
    };
    // No "content": the name runs across the 内容 column, as printed.
    assert_eq!(span("(1)情報セキュリティポリシー実施手順書の作成"), 2);
    // "content": "" (its text not known): the 内容 cell stays, empty.
    assert_eq!(span("(1)第四次地域福祉活動計画進行管理委員会"), 1);
    assert_eq!(span("(1)理事会"), 1);
}

#[test]
fn bundled_files_validate_against_the_printed_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let schema = |args: &[&str]| -> serde_json::Value {
        let o = shiryo(dir.path(), args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let layout = jsonschema::validator_for(&schema(&["schema", "layout"])).unwrap();
    for f in [
        "data/dai5ki.json",
        "data/dai4ki.json",
        "data/jigyo-keikaku-r2.json",
        "data/hyoka-r6.json",
    ] {
        let d = json(f);
        let name = d["layout"].as_str().unwrap();
        let data = jsonschema::validator_for(&schema(&["schema", "data", "--layout", name])).unwrap();
        let errors: Vec<String> = data.iter_errors(&d).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
    let data = jsonschema::validator_for(&schema(&["schema", "data"])).unwrap();
    for (name, _) in shiryo::layout::BUNDLED {
        let f = format!("layouts/{name}.json");
        let errors: Vec<String> = layout.iter_errors(&json(&f)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
    // And a broken file does not.
    assert!(!data.is_valid(&json("tests/bad/wrong-type.json")));
    assert!(!layout.is_valid(&json("tests/bad/layout-unknown-field.json")));
}

#[test]
fn layouts_lists_the_bundled_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let o = shiryo(dir.path(), &["layouts"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for name in ["shiryo2-dai5ki", "shiryo2-dai4ki", "jigyo-keikaku", "hyoka-sheet"] {
        assert!(
            text.lines().any(|l| l.starts_with(name) && l.len() > name.len() + 10),
            "{text}"
        );
    }
}

#[test]
fn dai4ki_templates_round_trip_through_openpyxl_and_libreoffice() {
    need("python3");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("dai4ki.json");
    std::fs::copy(root().join("data/dai4ki.json"), &store).unwrap();
    let paths = shiryo_ok(
        d,
        &[
            "template",
            "--data",
            store.to_str().unwrap(),
            "--year",
            "2020",
            "--only",
            "地域共生課",
        ],
    );
    let filled = d.join("filled.xlsx");
    let spec = serde_json::json!({
        "headers": {"value": "令和2年度", "actions": "令和2年度の取組状況", "outlook": "令和3年度に向けた"},
        "rows": [{"item": "ボランティア・市民活動センターの登録者数", "value": 450,
                  "outlook": "登録者向けの講座を増やす。"}]
    });
    fill_template(&paths[0], &filled, &spec);
    let back = libreoffice_convert(&filled, &d.join("resaved"), "xlsx");
    let o = shiryo(
        d,
        &["import", "--data", store.to_str().unwrap(), back.to_str().unwrap()],
    );
    let out = change_lines(&String::from_utf8_lossy(&o.stdout));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.iter()
            .any(|l| l == "地域共生課/ボランティア・市民活動センターの登録者数 R2 value: 444人 → 450人"),
        "{out:?}"
    );
    assert!(
        out.iter()
            .any(|l| l.ends_with("R2 outlook: blank → 登録者向けの講座を増やす。")),
        "{out:?}"
    );
    let paths = shiryo_ok(d, &["render", "--data", store.to_str().unwrap(), "--out", "r"]);
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap();
    let text = strip(&pdf_text(pdf, None));
    assert!(
        text.contains("450人") && text.contains("登録者向けの講座を増やす。"),
        "{text}"
    );
}

#[test]
fn the_business_plan_keeps_each_sections_policy_with_its_table() {
    // The 方針 paragraphs are `keep_with_next`: no page ends with a section's
    // heading, its 方針 heading or its 方針 while its table starts overleaf.
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(root().join("data/jigyo-keikaku-r2.json")),
        ..Default::default()
    })
    .unwrap();
    let p = shiryo::render::prepare(&edition).unwrap();
    let g = &p.grid;
    let kept = g.rows.iter().filter(|r| r.keep_with_next && r.table.is_none()).count();
    assert!(kept > 50, "{kept} headings and policies");
    let text = |r: usize| {
        g.cells
            .iter()
            .find(|c| c.row == r)
            .map(|c| c.joined())
            .unwrap_or_default()
    };
    for (i, page) in p.paged.pages.iter().enumerate().rev().skip(1) {
        let last = page.rows.end - 1;
        assert!(
            !g.rows[last + 1].table_header,
            "page {} ends with {:?} and its table starts on the next",
            i + 1,
            text(last)
        );
        let only_kept = page.rows.clone().all(|r| g.rows[r].keep_with_next);
        assert!(
            !g.rows[last].keep_with_next || only_kept,
            "page {} ends with a row kept with the next: {:?}",
            i + 1,
            text(last)
        );
    }
}
