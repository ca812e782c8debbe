//! Imports that survive the plan's ordinary changes, and a store that
//! keeps its form.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Fills R7 rows of a template (see tests/fill_template.py).
fn fill(template: &Path, out: &Path, rows: Value) {
    let spec = json!({
        "headers": {"value": "R７", "note": "R７\n速報値", "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"},
        "rows": rows
    });
    fill_template(template, out, &spec);
}

fn example() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap()).unwrap()
}

fn write(p: &Path, v: &Value) {
    std::fs::write(p, serde_json::to_string_pretty(v).unwrap() + "\n").unwrap();
}

/// 交通課's filled R7 template, made from the example as it is now.
fn kotsu(d: &Path) -> PathBuf {
    let store = d.join("then.json");
    write(&store, &example());
    let t = shiryo_ok(
        d,
        &[
            "template",
            "--data",
            store.to_str().unwrap(),
            "--year",
            "2025",
            "--only",
            "交通課",
            "--out",
            "t",
        ],
    );
    let out = d.join("kotsu.xlsx");
    fill(&t[0], &out, json!([{"item": "はなバス", "value": 1350000}]));
    out
}

fn import(d: &Path, store: &Path, files: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import".to_string(), "--data".into(), store.display().to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    shiryo(d, &args)
}

#[test]
fn a_template_survives_a_new_title_and_an_added_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = kotsu(d);
    let mut now = example();
    now["title"] = json!("第５期西東京市地域福祉計画 進捗状況");
    now["goals"][0]["indicators"].as_array_mut().unwrap().push(json!({
        "id": "new-one", "department": "交通課", "name": "新しい指標", "unit": "人"
    }));
    let store = d.join("now.json");
    write(&store, &now);
    let o = import(d, &store, &[&file], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines = change_lines(&String::from_utf8_lossy(&o.stdout));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("交通課/はなバスの輸送人員（年間） R7 value: blank → 1,350,000人")),
        "{lines:#?}"
    );
}

#[test]
fn a_renamed_department_is_mapped_with_rename() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = kotsu(d);
    let mut now = example();
    let text = serde_json::to_string(&now)
        .unwrap()
        .replace("\"交通課\"", "\"都市交通課\"");
    now = serde_json::from_str(&text).unwrap();
    let store = d.join("now.json");
    write(&store, &now);
    let before = std::fs::read(&store).unwrap();
    let o = import(d, &store, &[&file], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the part \"交通課\"") && err.contains("--rename 交通課=NEW"),
        "{err}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), before);
    let o = import(d, &store, &[&file], &["--rename", "交通課=都市交通課"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines = change_lines(&String::from_utf8_lossy(&o.stdout));
    assert!(lines.iter().any(|l| l.starts_with("都市交通課/はなバス")), "{lines:#?}");
}

#[test]
fn skip_refused_imports_the_good_files_and_lists_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = kotsu(d);
    let bad = d.join("notes.xlsx");
    std::fs::write(&bad, "not a workbook").unwrap();
    let store = d.join("store.json");
    write(&store, &example());
    let before = std::fs::read(&store).unwrap();
    // All or nothing by default.
    let o = import(d, &store, &[&good, &bad], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&store).unwrap(), before);
    let o = import(d, &store, &[&good, &bad], &["--skip-refused"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("refused: ") && err.contains("notes.xlsx: not an xlsx workbook"),
        "{err}"
    );
    assert!(err.contains("1 file refused"), "{err}");
    assert!(
        std::fs::read_to_string(&store)
            .unwrap()
            .contains("\"2025\": \"1,350,000\"")
    );
}

#[test]
fn the_store_keeps_its_form() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = kotsu(d);
    // A store indented with four spaces and CRLF line ends.
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(&example(), &mut ser).unwrap();
    let text = String::from_utf8(buf).unwrap().replace('\n', "\r\n") + "\r\n";
    let store = d.join("store.json");
    std::fs::write(&store, &text).unwrap();
    let o = import(d, &store, &[&file], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = std::fs::read_to_string(&store).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (text.split("\r\n").collect(), after.split("\r\n").collect());
    // Only added lines: the answer and the new edition.
    let added = new.len() - old.len();
    assert!((1..=6).contains(&added), "{added} lines added");
    let kept = old.iter().filter(|l| new.contains(l)).count();
    assert!(kept + 2 >= old.len(), "{kept} of {} lines kept", old.len());
    assert!(
        after.contains("\r\n    \"title\": ") && after.contains("\r\n                    \"values\": {"),
        "four-space indentation kept"
    );
    assert!(after.ends_with("}\r\n"));
}

#[test]
fn a_template_is_never_written_over_a_returned_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("store.json");
    write(&store, &example());
    let args = [
        "template",
        "--data",
        store.to_str().unwrap(),
        "--year",
        "2025",
        "--only",
        "交通課",
    ];
    let t = shiryo_ok(d, &args);
    // Writing it again over shiryo's own file is fine.
    shiryo_ok(d, &args);
    // A department's answers land in the same folder, under the same name.
    let filled = d.join("filled.xlsx");
    fill(&t[0], &filled, json!([{"item": "はなバス", "value": 1350000}]));
    std::fs::copy(&filled, &t[0]).unwrap();
    let o = shiryo(d, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not the template shiryo wrote there"));
    assert_eq!(
        std::fs::read(&t[0]).unwrap(),
        std::fs::read(&filled).unwrap(),
        "the answers are kept"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    shiryo_ok(d, &forced);
    assert_ne!(std::fs::read(&t[0]).unwrap(), std::fs::read(&filled).unwrap());
}

#[test]
fn an_edition_prints_its_own_label_and_an_earlier_one_what_it_printed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut plan = example();
    plan["editions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"year": 2025, "label": "資料３"}));
    let store = d.join("store.json");
    write(&store, &plan);
    let pdf = |year: &str| {
        let p = shiryo_ok(
            d,
            &[
                "render",
                "--data",
                store.to_str().unwrap(),
                "--year",
                year,
                "--format",
                "pdf",
                "--out",
                year,
            ],
        );
        strip(&pdf_text(&p[0], Some(1)))
    };
    assert!(pdf("2025").contains("資料３"));
    let r6 = pdf("2024");
    assert!(r6.contains("資料２") && !r6.contains("資料３"));
    // An edition states only top-level texts anew.
    plan["editions"][2]["goals"] = json!("x");
    write(&store, &plan);
    let o = shiryo(d, &["check", "--data", store.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("editions[2].goals: unknown field \"goals\""));
}

#[test]
fn diff_between_editions_and_the_dry_run_share_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // R5 → R6: 令和６年度's figures, and the texts of the new year.
    let o = shiryo(d, &["diff", "--from", "R5", "--to", "令和６年度"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.starts_with("■ 地域共生課\n  ほっとネット推進員登録者数\n"),
        "{table}"
    );
    let lines = change_lines(&table);
    assert!(
        lines
            .iter()
            .any(|l| l == "交通課/はなバスの輸送人員（年間） R6 value: blank → 1,085,112人 ※速報値"),
        "{lines:#?}"
    );
    // The same changes as JSON, with stable keys.
    let o = shiryo(d, &["diff", "--from", "2023", "--to", "2024", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), lines.len(), "one JSON object per change");
    let bus = all
        .iter()
        .find(|c| c["item"] == "はなバスの輸送人員（年間）" && c["field"] == "value" && c["year"] == 2024)
        .unwrap();
    // 令和５年度's provisional figure, confirmed in the 令和６年度 edition.
    assert!(
        lines
            .iter()
            .any(|l| l == "交通課/はなバスの輸送人員（年間） R5 value: 1,041,486人 ※速報値 → 1,041,486人"),
        "{lines:#?}"
    );
    assert_eq!(bus["part"], "交通課");
    assert_eq!(bus["year"], 2024);
    assert_eq!(bus["old"], serde_json::Value::Null);
    assert_eq!(bus["new"], "1,085,112人 ※速報値");
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{} changes from the 令和５年度 edition", all.len())));
    // An edition against itself: nothing.
    let o = shiryo(d, &["diff", "--from", "R6", "--to", "R6"]);
    assert!(o.stdout.is_empty());
    // The dry run of an import prints the same report.
    let file = kotsu(d);
    let store = d.join("plan.json");
    write(&store, &example());
    let o = import(d, &store, &[&file], &["--dry-run", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|c| c["part"] == "交通課" && c["field"] == "value" && c["year"] == 2025 && c["new"] == "1,350,000人"),
        "{json:#}"
    );
}

#[test]
fn status_shows_who_has_answered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("plan.json");
    write(&store, &example());
    let s = store.to_str().unwrap();
    // Templates for every department; 交通課's comes back filled.
    shiryo_ok(d, &["template", "--data", s, "--year", "R7", "--split", "--out", "t"]);
    let back = d.join("kotsu.xlsx");
    fill(
        &d.join("t/plan-R7-交通課.xlsx"),
        &back,
        json!([{"item": "はなバス", "value": 1350000, "actions": "ダイヤを改正した。"}]),
    );
    let status = |extra: &[&str]| {
        let mut args = vec!["status", "--data", s, "--year", "R7", "--templates", "t"];
        args.extend(extra);
        let o = shiryo(d, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let table = status(&[back.to_str().unwrap()]);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("交通課").contains("returned, not imported"), "{table}");
    assert!(row("危機管理課").contains("waiting"), "{table}");
    assert!(table.contains("交通課: template t/plan-R7-交通課.xlsx ("), "{table}");
    assert!(
        table.contains("交通課: はなバスの輸送人員（年間） R6 is still provisional: 1,085,112人 ※速報値"),
        "{table}"
    );
    // Imported: 交通課 has its value and one of two texts.
    assert!(import(d, &store, &[&back], &[]).status.success());
    let json: Value = serde_json::from_str(&status(&["--json"])).unwrap();
    let kotsu = json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["part"] == "交通課")
        .unwrap();
    assert_eq!(kotsu["state"], "partly");
    assert_eq!(
        (kotsu["answered"].as_u64(), kotsu["values"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (kotsu["texts_answered"].as_u64(), kotsu["texts"].as_u64()),
        (Some(1), Some(2))
    );
    // check warns, render says so; both still work.
    let o = shiryo(d, &["check", "--data", s, "--year", "R7"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: 令和７年度 is not complete:") && err.contains("危機管理課"),
        "{err}"
    );
    let o = shiryo(d, &["render", "--data", s, "--year", "R7", "--out", "o"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("note: 令和７年度 is not complete:"));
    // A complete year says nothing.
    let o = shiryo(d, &["check", "--data", s, "--year", "R5"]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("not complete"));
}

/// Runs shiryo in `d`, asserting success; returns stdout.
fn ok(d: &Path, args: &[&str]) -> String {
    let o = shiryo(d, args);
    assert!(
        o.status.success(),
        "shiryo {args:?}: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_whole_year_as_the_office_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("plan.json");
    write(&store, &example());
    let s = store.to_str().unwrap();
    let r6_pdf = |out: &str| {
        ok(
            d,
            &["render", "--data", s, "--year", "R6", "--format", "pdf", "--out", out],
        );
        pdf_text(&d.join(out).join("plan-R6.pdf"), None)
    };
    let r6_before = r6_pdf("before");

    // The 令和７年度 templates, one per department.
    ok(
        d,
        &["template", "--data", s, "--year", "令和７年度", "--split", "--out", "t"],
    );
    let headers =
        json!({"value": "R７", "confirm": "R６", "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"});
    // 交通課 confirms its 令和６年度 figure and reports 令和７年度's.
    let kotsu = d.join("kotsu.xlsx");
    fill_template(
        &d.join("t/plan-R7-交通課.xlsx"),
        &kotsu,
        &json!({"headers": headers, "rows": [{"item": "はなバス", "confirm": 1090000, "value": 1350000,
                                               "actions": "ダイヤを改正した。"}]}),
    );
    // 危機管理課 did not measure this year.
    let kiki = d.join("kiki.xlsx");
    fill_template(
        &d.join("t/plan-R7-危機管理課.xlsx"),
        &kiki,
        &json!({"headers": headers, "rows": [{"item": "防災市民組織の数", "value": "―"}]}),
    );
    let report = ok(
        d,
        &["import", "--data", s, kotsu.to_str().unwrap(), kiki.to_str().unwrap()],
    );
    let lines = change_lines(&report);
    for want in [
        "交通課/はなバスの輸送人員（年間） R6 value: 1,085,112人 ※速報値 → 1,090,000人",
        "交通課/はなバスの輸送人員（年間） R7 value: blank → 1,350,000人",
        "危機管理課/防災市民組織の数 R7 value: blank → ―",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want} not in {lines:#?}");
    }

    // Who is still missing.
    let status = ok(d, &["status", "--data", s, "--year", "R7", "--templates", "t"]);
    let state = |part: &str| {
        status
            .lines()
            .find(|l| l.starts_with(part))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        state("危機管理課").contains("complete") || state("危機管理課").contains("partly"),
        "{status}"
    );
    for missing in ["地域共生課", "協働コミュニティ課", "高齢者支援課"] {
        assert!(state(missing).contains("waiting"), "{missing}: {status}");
    }
    assert!(
        !status.contains("is still provisional"),
        "the R6 figure is confirmed: {status}"
    );

    // The plan changes: the 令和７年度 edition gets its own title, a
    // department is renamed.
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
    let editions = plan["editions"].as_array_mut().unwrap();
    assert_eq!(editions.last().unwrap()["year"], 2025, "the import added the edition");
    editions.last_mut().unwrap()["title"] = json!("第５期西東京市地域福祉計画　進捗状況（令和７年度）");
    for g in plan["goals"].as_array_mut().unwrap() {
        for i in g["indicators"].as_array_mut().unwrap() {
            if i["department"] == "高齢者支援課" {
                i["department"] = json!("高齢者福祉課");
            }
        }
    }
    write(&store, &plan);
    // A template issued before the rename comes back, and is mapped.
    let koureisha = d.join("koureisha.xlsx");
    fill_template(
        &d.join("t/plan-R7-高齢者支援課.xlsx"),
        &koureisha,
        &json!({"headers": headers, "rows": [{"item": "高齢者一般調査", "value": 61.5}]}),
    );
    let o = shiryo(d, &["import", "--data", s, koureisha.to_str().unwrap()]);
    assert!(!o.status.success(), "an old part name is refused without --rename");
    let report = ok(
        d,
        &[
            "import",
            "--data",
            s,
            koureisha.to_str().unwrap(),
            "--rename",
            "高齢者支援課=高齢者福祉課",
        ],
    );
    assert!(
        change_lines(&report)
            .iter()
            .any(|l| l.starts_with("高齢者福祉課/高齢者一般調査")),
        "{report}"
    );

    // 令和７年度 prints the new figures and title; 令和６年度 what it printed.
    ok(
        d,
        &["render", "--data", s, "--year", "R7", "--format", "pdf", "--out", "r7"],
    );
    let r7 = pdf_text(&d.join("r7/plan-R7.pdf"), None);
    for want in ["1,090,000人", "1,350,000人", "61.5%", "（令和７年度）"] {
        assert!(r7.contains(want), "{want} not in the R7 table:\n{r7}");
    }
    let r6_after = r6_pdf("after");
    assert!(r6_after.contains("1,085,112人") && r6_after.contains("※速報値"));
    // A department's name is the plan's, not an edition's: the only change.
    assert_eq!(r6_after, r6_before.replace("高齢者支援課", "高齢者福祉課"));

    // Both editions into one archive folder, verified from elsewhere.
    ok(d, &["archive", "--data", s, "--year", "R6", "--out", "arc"]);
    ok(d, &["archive", "--data", s, "--year", "R7", "--out", "arc"]);
    let elsewhere = tempfile::tempdir().unwrap();
    let verified = ok(elsewhere.path(), &["verify", d.join("arc").to_str().unwrap()]);
    assert!(verified.contains("intact"), "{verified}");
    for year in ["R6", "R7"] {
        assert!(d.join("arc").join(year).join(format!("plan-{year}.pdf")).is_file());
    }
}
