//! Yearly templates and their import: a round trip through openpyxl and
//! LibreOffice, the protection and validation in the XML, every refusal,
//! and department names that try to leave the output directory.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::*;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the example store in `dir`.
fn store_copy(dir: &Path) -> PathBuf {
    let p = dir.join("store.json");
    std::fs::copy(root().join("data/dai5ki.json"), &p).unwrap();
    p
}

/// `shiryo template --year YEAR --data DATA --out DIR/out …`; returns the paths.
fn templates(dir: &Path, data: &Path, year: i32, extra: &[&str]) -> Vec<PathBuf> {
    let y = year.to_string();
    let mut args = vec!["template", "--year", &y, "--data", data.to_str().unwrap()];
    args.extend_from_slice(extra);
    shiryo_ok(dir, &args)
}

fn find<'a>(paths: &'a [PathBuf], suffix: &str) -> &'a PathBuf {
    paths
        .iter()
        .find(|p| p.to_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in {paths:?}"))
}

/// The headers of the R7 template's input columns.
fn r7_headers() -> Value {
    json!({"value": "R７", "note": "R７\n速報値", "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"})
}

/// Re-saves a workbook with LibreOffice, as files often come back.
fn libreoffice_resave(xlsx: &Path, outdir: &Path) -> PathBuf {
    libreoffice_convert(xlsx, outdir, "xlsx")
}

/// Runs `shiryo import`; returns (success, stdout, stderr).
fn import(dir: &Path, store: &Path, files: &[&Path], extra: &[&str]) -> (bool, String, String) {
    let mut args = vec!["import".to_string(), "--data".into(), store.to_str().unwrap().into()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = shiryo(dir, &args);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Asserts that an import is refused with messages containing every one of
/// `expected`, with exit code 1, and that the store's bytes did not change.
fn assert_refused(dir: &Path, store: &Path, files: &[&Path], extra: &[&str], expected: &[&str]) -> String {
    let before = std::fs::read(store).unwrap();
    let mut args = vec!["import".to_string(), "--data".into(), store.to_str().unwrap().into()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = shiryo(dir, &args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "expected a refusal: {err}");
    assert!(
        o.stdout.is_empty(),
        "a refused import prints no change: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert_eq!(std::fs::read(store).unwrap(), before, "the store's bytes changed");
    err
}

/// The indicator or measure `id` of a plan's JSON.
fn item<'a>(plan: &'a mut Value, id: &str) -> &'a mut Value {
    for g in plan["goals"].as_array_mut().unwrap() {
        for i in g["indicators"].as_array_mut().unwrap() {
            if i["id"] == id {
                return i;
            }
            for m in i
                .get_mut("measures")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if m["id"] == id {
                    return m;
                }
            }
        }
    }
    panic!("no item {id}")
}

/// The texts the table's sheet prints.
fn sheet_texts(xlsx: &Path) -> Vec<String> {
    printed_cells(xlsx).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn round_trip_per_department_through_openpyxl_and_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let original = std::fs::read(&store).unwrap();
    let out = templates(d, &store, 2025, &["--split"]);
    assert_eq!(out.len(), 6, "one workbook per department: {out:?}");
    for p in &out {
        assert_eq!(p.parent().unwrap(), d.join("out/templates"), "{p:?}");
    }
    // 地域共生課 fills in openpyxl.
    let kyosei = d.join("kyosei.xlsx");
    fill_template(
        find(&out, "-R7-地域共生課.xlsx"),
        &kyosei,
        &json!({"headers": r7_headers(), "rows": [
            {"item": "ほっとネット推進員登録者数", "value": 450,
             "actions": "推進員向けの研修会を開いた。\n出前講座を三回行った。", "outlook": "登録を呼びかける。"},
            {"item": "民生委員・児童委員の人数", "value": 141, "note": "※速報値"},
            {"item": "ふれあいのまちづくり事業", "measure": "延べ利用者数", "value": 8200,
             "actions": "拠点の利用を広報した。"},
            {"item": "市民アンケート　【今後、福祉に係るボランティア", "value": 31.5},
            {"item": "市民アンケート　【お住まいの地域に次のようなこと（課題）を感じていますか。】という設問において「地域の中で",
             "value": "20.60"}
        ]}),
    );
    // 交通課 fills in openpyxl, then the file comes back re-saved by LibreOffice.
    let kotsu_filled = d.join("kotsu.xlsx");
    fill_template(
        find(&out, "-R7-交通課.xlsx"),
        &kotsu_filled,
        &json!({"headers": r7_headers(), "rows": [
            {"item": "はなバス", "value": 1350000, "note": "※速報値",
             "actions": "ダイヤを改正した。", "outlook": "利用者の声を聞く。"}
        ]}),
    );
    let kotsu = libreoffice_resave(&kotsu_filled, &d.join("resaved"));

    // A dry run shows the diff and writes nothing.
    let (ok, diff, err) = import(d, &store, &[&kyosei, &kotsu], &["--dry-run"]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(&store).unwrap(), original, "a dry run writes nothing");
    let lines = change_lines(&diff);
    for want in [
        "地域共生課/ほっとネット推進員登録者数 R7 value: blank → 450人",
        "地域共生課/民生委員・児童委員の人数 R7 value: blank → 141人 ※速報値",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want} not in {lines:#?}");
    }
    assert!(lines.iter().any(|l| l.ends_with("R7 value: ― → 31.5%")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("交通課/はなバス")), "{lines:#?}");
    assert!(err.contains("dry run"), "{err}");

    let (ok, stdout, err) = import(d, &store, &[&kyosei, &kotsu], &[]);
    assert!(ok, "{err}");
    assert_eq!(stdout.lines().last().unwrap(), store.to_str().unwrap(), "{stdout}");

    // Exactly the typed values, and nothing else changed.
    let mut expected: Value = serde_json::from_slice(&original).unwrap();
    expected["editions"].as_array_mut().unwrap().push(json!({"year": 2025}));
    let set = |plan: &mut Value, id: &str, v: Value| {
        item(plan, id)["values"]
            .as_object_mut()
            .unwrap()
            .insert("2025".into(), v);
    };
    let report = |plan: &mut Value, id: &str, r: Value| {
        item(plan, id)["reports"]
            .as_object_mut()
            .unwrap()
            .insert("2025".into(), r);
    };
    set(&mut expected, "hottonet-suishinin", json!("450"));
    report(
        &mut expected,
        "hottonet-suishinin",
        json!({"actions": "推進員向けの研修会を開いた。\n出前講座を三回行った。", "outlook": "登録を呼びかける。"}),
    );
    set(&mut expected, "minsei-iin", json!({"value": "141", "note": "※速報値"}));
    set(&mut expected, "fureai-kyoten-users", json!("8,200"));
    report(
        &mut expected,
        "fureai-kyoten",
        json!({"actions": "拠点の利用を広報した。"}),
    );
    // Surveys are "not measured" from the baseline on: the answer becomes a revision.
    set(
        &mut expected,
        "survey-volunteer-participation",
        json!(["not-measured", {"value": "31.5", "reported_in": 2025}]),
    );
    set(
        &mut expected,
        "survey-gathering-places",
        json!(["not-measured", {"value": "20.60", "reported_in": 2025}]),
    );
    set(
        &mut expected,
        "hanabus-ridership",
        json!({"value": "1,350,000", "note": "※速報値"}),
    );
    report(
        &mut expected,
        "hanabus-ridership",
        json!({"actions": "ダイヤを改正した。", "outlook": "利用者の声を聞く。"}),
    );
    let written = std::fs::read_to_string(&store).unwrap();
    let want = serde_json::to_string_pretty(&expected).unwrap() + "\n";
    if let Some((i, (a, b))) = written.lines().zip(want.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!("the store differs at line {}: {a:?}, expected {b:?}", i + 1);
    }
    assert_eq!(written, want);

    // Importing the same files again changes nothing and writes nothing.
    let (ok, stdout, err) = import(d, &store, &[&kyosei, &kotsu], &[]);
    assert!(ok && stdout.is_empty(), "{stdout}{err}");
    assert!(err.contains("no changes"), "{err}");

    // `render` (no --year: the new R7 edition) shows the new figures and texts.
    let paths = shiryo_ok(d, &["render", "--data", store.to_str().unwrap(), "--out", "r"]);
    let xlsx = find(&paths, "store-R7.xlsx");
    let texts = sheet_texts(xlsx);
    for want in [
        "450人",
        "141人\n※速報値",
        "8,200人",
        "31.5%",
        "20.60%",
        "1,350,000人\n※速報値",
        "推進員向けの研修会を開いた。\n出前講座を三回行った。",
        "拠点の利用を広報した。",
        "ダイヤを改正した。",
        "令和７年度の取組状況\n（増減に向けて取り組んだ内容等）",
    ] {
        assert!(texts.iter().any(|t| t == want), "render lacks {want:?}");
    }
    let pdf = strip(&pdf_text(find(&paths, "store-R7.pdf"), None));
    for want in [
        "450人",
        "1,350,000人",
        "推進員向けの研修会を開いた。",
        "利用者の声を聞く。",
    ] {
        assert!(pdf.contains(want), "the PDF lacks {want:?}");
    }
}

/// The parts of a workbook.
fn unzip(xlsx: &Path) -> HashMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut parts = HashMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            parts.insert(name, s);
        }
    }
    parts
}

/// Every element named `tag` in `xml`, as (attributes, inner XML).
fn elements(xml: &str, tag: &str) -> Vec<(HashMap<String, String>, String)> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        if !rest.starts_with([' ', '>', '/']) {
            continue;
        }
        let end = rest.find('>').unwrap();
        let head = &rest[..end];
        let mut attrs = HashMap::new();
        for part in head.split('"').collect::<Vec<_>>().chunks(2) {
            if let [k, v] = part {
                attrs.insert(k.trim().trim_end_matches('=').to_string(), v.to_string());
            }
        }
        let inner = if head.ends_with('/') {
            String::new()
        } else {
            let close = format!("</{tag}>");
            rest[end + 1..rest.find(&close).unwrap()].to_string()
        };
        out.push((attrs, inner));
    }
    out
}

/// Unescapes the XML entities validation texts use.
fn unescape(s: &str) -> String {
    s.replace("&#10;", "\n")
        .replace("&#xA;", "\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn template_protection_validation_and_identity_in_the_xml() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let paths = templates(d, &store, 2025, &[]);
    assert_eq!(paths.len(), 1);
    let xlsx = &paths[0];
    let parts = unzip(xlsx);
    let workbook = &parts["xl/workbook.xml"];
    let sheets = elements(workbook, "sheet");
    assert_eq!(sheets[0].0["name"], "調査票");
    assert_eq!(sheets[1].0["name"], "_shiryo");
    assert_eq!(
        sheets[1].0.get("state").map(String::as_str),
        Some("hidden"),
        "the identity sheet is hidden"
    );
    let table = &parts["xl/worksheets/sheet1.xml"];
    let ident = &parts["xl/worksheets/sheet2.xml"];
    for (name, xml) in [("table", table), ("identity", ident)] {
        let p = elements(xml, "sheetProtection");
        assert_eq!(p.len(), 1, "the {name} sheet is protected");
        assert_eq!(p[0].0["sheet"], "1");
        assert!(!p[0].0.contains_key("password"), "no password by default");
    }
    // Which cell formats unlock.
    let styles = &parts["xl/styles.xml"];
    let xfs = &elements(styles, "cellXfs")[0].1;
    let unlocked_styles: HashSet<usize> = elements(&format!("<r>{xfs}</r>"), "xf")
        .iter()
        .enumerate()
        .filter(|(_, (_, inner))| inner.contains("locked=\"0\""))
        .map(|(i, _)| i)
        .collect();
    assert!(!unlocked_styles.is_empty());
    for (i, (_, inner)) in elements(&format!("<r>{xfs}</r>"), "xf").iter().enumerate() {
        if unlocked_styles.contains(&i) {
            assert!(inner.contains("wrapText=\"1\""), "input format {i} wraps: {inner}");
        }
    }
    // The input cells the identity names, through the defined names.
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let names: HashMap<String, String> = wb.defined_names().iter().cloned().collect();
    let ids = wb.worksheet_range("_shiryo").unwrap();
    let mut inputs: HashMap<String, (String, String)> = HashMap::new();
    for r in 9..ids.height() as u32 {
        let cell = |c: u32| ids.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
        let formula = &names[&cell(0)];
        let a1 = formula.rsplit('!').next().unwrap().replace('$', "");
        assert_eq!(a1, cell(1), "the defined name {} points at the cell listed", cell(0));
        // Texts by their field's name (reports.2025.actions → actions).
        let kind = match cell(2).as_str() {
            "text" => cell(4).rsplit('.').next().unwrap().to_string(),
            k => k.to_string(),
        };
        inputs.insert(a1, (kind, cell(3)));
    }
    let plan = example();
    let measured: usize = plan["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["indicators"].as_array().unwrap())
        .map(|i| i["measures"].as_array().map_or(1, Vec::len))
        .sum();
    let kinds = |k: &str| inputs.values().filter(|(kind, _)| kind == k).count();
    // Every measured row's value, and the one earlier figure still
    // provisional (令和６年度's はなバス), to confirm.
    assert_eq!(kinds("value"), measured + 1);
    assert_eq!(kinds("note"), measured);
    assert_eq!(kinds("actions"), 18);
    assert_eq!(kinds("outlook"), 18);
    // Input cells (and the rest of their merged range) are unlocked; every other cell is locked.
    let merged: Vec<(String, String)> = elements(table, "mergeCell")
        .iter()
        .map(|(a, _)| {
            let (x, y) = a["ref"].split_once(':').unwrap();
            (x.to_string(), y.to_string())
        })
        .collect();
    let pos = |a1: &str| {
        let split = a1.find(|c: char| c.is_ascii_digit()).unwrap();
        let col = a1[..split]
            .bytes()
            .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1);
        (a1[split..].parse::<u32>().unwrap(), col)
    };
    let inside_input = |a1: &str| {
        let (r, c) = pos(a1);
        merged.iter().any(|(x, y)| {
            let ((r0, c0), (r1, c1)) = (pos(x), pos(y));
            inputs.contains_key(x.as_str()) && (r0..=r1).contains(&r) && (c0..=c1).contains(&c)
        })
    };
    let cells = elements(table, "c");
    assert!(cells.len() > 300, "{}", cells.len());
    let mut unlocked_seen = HashSet::new();
    for (attrs, _) in &cells {
        let r = &attrs["r"];
        let s: usize = attrs.get("s").map_or(0, |s| s.parse().unwrap());
        let unlocked = unlocked_styles.contains(&s);
        let input = inputs.contains_key(r.as_str());
        assert_eq!(
            unlocked,
            input || inside_input(r),
            "cell {r}: unlocked {unlocked}, input {input}"
        );
        if input {
            unlocked_seen.insert(r.clone());
        }
    }
    assert_eq!(
        unlocked_seen.len(),
        inputs.len(),
        "every input cell is written and unlocked"
    );
    // Validation: a number ≥ 0 or ― naming indicator and unit on every value cell,
    // the note list beside it, a length limit on texts.
    let validations = elements(table, "dataValidation");
    let by_cell: HashMap<String, &HashMap<String, String>> =
        validations.iter().map(|(a, _)| (a["sqref"].clone(), a)).collect();
    let inner: HashMap<String, &String> = validations.iter().map(|(a, i)| (a["sqref"].clone(), i)).collect();
    for (cell, (kind, id)) in &inputs {
        let v = by_cell
            .get(cell)
            .unwrap_or_else(|| panic!("no validation on {cell} ({kind} {id})"));
        let prompt = unescape(v.get("prompt").map_or("", String::as_str));
        match kind.as_str() {
            "value" => {
                // A number ≥ 0, or ― for not measured.
                assert_eq!(v["type"], "custom", "{cell}");
                let f = inner[cell];
                assert!(
                    f.contains(&format!("AND(ISNUMBER({cell}),{cell}&gt;=0)")) && f.contains(&format!("{cell}=\"―\"")),
                    "{cell}: {f}"
                );
                let mut plan = plan.clone();
                let unit = item(&mut plan, id)["unit"].as_str().unwrap().to_string();
                assert!(prompt.contains(&format!("（{unit}）")), "{cell}: {prompt}");
                assert!(unescape(&v["promptTitle"]).contains(&unit), "{cell}");
            }
            "note" => {
                assert_eq!(v["type"], "list", "{cell}");
                assert!(inner[cell].contains("※速報値"), "{cell}");
            }
            _ => {
                assert_eq!(v["type"], "textLength", "{cell}");
                assert_eq!(v["operator"], "lessThanOrEqual", "{cell}");
            }
        }
        assert_eq!(v.get("showInputMessage").map(String::as_str), Some("1"), "{cell}");
    }
    // The value prompts name their indicator.
    let hottonet = inputs
        .iter()
        .find(|(_, (k, id))| k == "value" && id == "hottonet-suishinin")
        .map(|(c, _)| c.clone())
        .unwrap();
    assert!(unescape(&by_cell[&hottonet]["prompt"]).contains("ほっとネット推進員登録者数"));
    // Text cells wrap and have room for several lines.
    let actions = inputs
        .iter()
        .find(|(_, (k, id))| k == "actions" && id == "hottonet-suishinin")
        .map(|(c, _)| c.clone())
        .unwrap();
    let row = pos(&actions).0.to_string();
    let height: f32 = elements(table, "row")
        .iter()
        .find(|(a, _)| a["r"] == row)
        .map(|(a, _)| a["ht"].parse().unwrap())
        .unwrap();
    // text_lines: 6 lines of the layout's 7.2 pt text at 1.25 line spacing.
    assert!(height >= 6.0 * 7.2 * 1.25, "row {row} is {height} pt high");

    // With --password the protection carries a password hash.
    let paths = templates(d, &store, 2025, &["--password", "secret", "--only", "交通課"]);
    let parts = unzip(&paths[0]);
    let p = elements(&parts["xl/worksheets/sheet1.xml"], "sheetProtection");
    assert!(p[0].0.contains_key("password"), "{:?}", p[0].0);
}

/// A filled 地域共生課 template in `d`: 450 for ほっとネット推進員.
fn filled_kyosei(d: &Path, store: &Path, name: &str, value: Value) -> PathBuf {
    let paths = templates(d, store, 2025, &["--only", "地域共生課", "--out", name]);
    let out = d.join(format!("{name}.xlsx"));
    fill_template(
        &paths[0],
        &out,
        &json!({"headers": r7_headers(), "rows": [{"item": "ほっとネット推進員登録者数", "value": value}]}),
    );
    out
}

#[test]
fn refuses_files_of_another_plan_or_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    // Another document: the 第４期 survey's template, made with its own layout.
    let dai4ki = root().join("data/dai4ki.json");
    let t = templates(d, &dai4ki, 2020, &["--out", "other"]);
    assert_refused(
        d,
        &store,
        &[&t[0]],
        &[],
        &[
            "other/dai4ki-R2-template.xlsx",
            "made with the layout \"shiryo2-dai4ki\"",
        ],
    );
    // An item the store does not have: a template of a copy with an indicator more.
    let mut grown = example();
    let extra = json!({"id": "new-one", "department": "地域共生課", "name": "新しい指標", "unit": "人"});
    grown["goals"][0]["indicators"].as_array_mut().unwrap().push(extra);
    let grown_path = d.join("grown.json");
    std::fs::write(&grown_path, serde_json::to_vec_pretty(&grown).unwrap()).unwrap();
    let t = templates(d, &grown_path, 2025, &["--out", "grown"]);
    // Its answers for the item the store lacks are skipped, and said to be.
    let (ok, _, err) = import(d, &store, &[&t[0]], &[]);
    assert!(ok, "{err}");
    assert!(
        err.contains("新しい指標 (item \"new-one\") is no longer in the store; its answers are skipped"),
        "{err}"
    );
    // Another year: files of R7 and R8 together, and --year naming another year.
    let r7 = filled_kyosei(d, &store, "r7", json!(450));
    let r8 = templates(d, &store, 2026, &["--only", "地域共生課", "--out", "r8"]);
    assert_refused(
        d,
        &store,
        &[&r7, &r8[0]],
        &[],
        &[
            "r8/store-R8-地域共生課.xlsx",
            "is for the report year R8 (2026)",
            "import one report year at a time",
        ],
    );
    assert_refused(
        d,
        &store,
        &[&r7],
        &["--year", "2024"],
        &["r7.xlsx", "(2025), but --year is for R6"],
    );
}

#[test]
fn refuses_a_tampered_identity() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let paths = templates(d, &store, 2025, &["--only", "交通課"]);
    let template = &paths[0];
    // The 交通課 template: rows 10–14 of _shiryo are the R6 figure to confirm, the R7 value,
    // note, actions, outlook; columns: name, cell, kind, item, field, label, year.
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "unknown-id",
            json!({"identity": [[11, 4, "no-such-indicator"]]}),
            vec!["the value of 交通課/はなバスの輸送人員（年間） has no input cell"],
        ),
        (
            "other-department",
            json!({"identity": [[11, 4, "hottonet-suishinin"]]}),
            vec!["地域共生課/ほっとネット推進員登録者数 belongs to 地域共生課, not to the file's part(s) 交通課"],
        ),
        (
            "claims-all-departments",
            json!({"identity": [[7, 3, "地域共生課"], [11, 4, "hottonet-suishinin"]]}),
            vec!["the value of 交通課/はなバスの輸送人員（年間） has no input cell"],
        ),
        (
            "duplicate",
            json!({"identity": [[12, 3, "value"]]}),
            vec!["the value of 交通課/はなバス", "listed twice"],
        ),
        (
            "other-field",
            json!({"identity": [[13, 5, "reports.2025.rationale"]]}),
            vec!["asks for no text \"reports.2025.rationale\""],
        ),
        (
            "locked-cell",
            json!({"names": {"_shiryo_in_2": "'調査票'!$G$3"}}),
            vec!["R7 value of 交通課/はなバス", "at G3", "the cell is locked"],
        ),
        (
            "unlisted-cell",
            json!({"identity": [[14, 1, ""], [14, 2, ""], [14, 3, ""], [14, 4, ""], [14, 5, ""], [14, 6, ""], [14, 7, ""]]}),
            vec![
                "調査票!",
                "the cell is unlocked, but the identity sheet lists no input there",
            ],
        ),
        (
            "other-version",
            json!({"identity": [[1, 2, "1"]]}),
            vec!["expected format version 3"],
        ),
        (
            "no-tag",
            json!({"identity": [[1, 1, "something"]]}),
            vec!["tampered identity: _shiryo!A1"],
        ),
    ];
    for (name, tamper, expected) in cases {
        let out = d.join(format!("{name}.xlsx"));
        fill_template(
            template,
            &out,
            &json!({"headers": r7_headers(), "rows": [{"item": "はなバス", "value": 1}], "tamper": tamper}),
        );
        let err = assert_refused(d, &store, &[&out], &[], &expected);
        assert!(
            err.contains(&format!("{name}.xlsx")),
            "{name}: the message names the file: {err}"
        );
    }
}

#[test]
fn refuses_two_files_that_disagree() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let a = filled_kyosei(d, &store, "a", json!(450));
    let b = filled_kyosei(d, &store, "b", json!(451));
    let same = filled_kyosei(d, &store, "same", json!(450));
    assert_refused(
        d,
        &store,
        &[&a, &b],
        &[],
        &[
            "b.xlsx: R7 value of 地域共生課/ほっとネット推進員登録者数 at",
            "451人 but",
            "a.xlsx at",
            "gives 450人",
        ],
    );
    // Files that agree import.
    let (ok, out, err) = import(d, &store, &[&a, &same], &["--dry-run"]);
    assert!(ok, "{err}");
    let lines = change_lines(&out);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("ほっとネット推進員登録者数 R7 value"))
            .count(),
        1,
        "{out}"
    );
}

#[test]
fn refuses_files_that_are_not_sane_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let text = d.join("notes.xlsx");
    std::fs::write(&text, "項目,値\nほっとネット,450\n").unwrap();
    assert_refused(d, &store, &[&text], &[], &["notes.xlsx", "not an xlsx workbook"]);
    // A truncated workbook.
    let good = filled_kyosei(d, &store, "good", json!(450));
    let bytes = std::fs::read(&good).unwrap();
    let cut = d.join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(
        d,
        &store,
        &[&good, &cut],
        &[],
        &["cut.xlsx", "not a readable xlsx workbook"],
    );
    // A workbook that is not a template.
    let plain = shiryo_ok(d, &["render", "--data", store.to_str().unwrap(), "--format", "xlsx"]);
    assert_refused(
        d,
        &store,
        &[&plain[0]],
        &[],
        &["store-R6.xlsx", "not a shiryo template"],
    );
    // A zip bomb: 100 MiB of zeros deflate to about 100 KiB.
    let bomb = d.join("bomb.xlsx");
    let o = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n\
             \x20   z.writestr('[Content_Types].xml', '<Types/>')\n\
             \x20   z.writestr('xl/worksheets/sheet1.xml', b'\\0' * (100 << 20))\n",
        )
        .arg(&bomb)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    assert_refused(d, &store, &[&bomb], &[], &["bomb.xlsx", "zip bomb"]);
}

#[test]
fn refuses_invalid_answers_naming_file_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = store_copy(d);
    let paths = templates(d, &store, 2025, &["--only", "地域共生課"]);
    let bad = d.join("bad.xlsx");
    fill_template(
        &paths[0],
        &bad,
        &json!({"headers": r7_headers(), "rows": [
            {"item": "ほっとネット推進員登録者数", "value": "450人"},
            {"item": "ボランティア・市民活動センター登録者数", "value": -3},
            {"item": "民生委員・児童委員の人数", "note": "※速報値"},
            {"item": "福祉サービス第三者評価", "value": "たくさん", "note": "速報"},
            {"item": "ふれあいのまちづくり事業", "measure": "利用登録団体", "actions": "あ".repeat(1001)}
        ]}),
    );
    // The cells of the 地域共生課 template: R7 values in column I, notes in J, 取組状況 in O.
    assert_refused(
        d,
        &store,
        &[&bad],
        &[],
        &[
            "bad.xlsx: R7 value of 地域共生課/ほっとネット推進員登録者数 at I3: expected the number alone, found \"450人\": the unit 人 is typed into the number; type 450",
            "R7 value of 地域共生課/ボランティア・市民活動センター登録者数 at I4: expected a number ≥ 0, found -3",
            "R7 note of 地域共生課/民生委員・児童委員の人数 at J5: ※速報値 marks a value, but the R7 value is blank",
            "R7 value of 地域共生課/福祉サービス第三者評価の受審件数 at I",
            "expected a number ≥ 0 (unit 件), found the text \"たくさん\"",
            "expected ※速報値 or a blank, found \"速報\"",
            "R7 actions of 地域共生課/ふれあいのまちづくり事業における地域活動拠点 at O",
            "expected at most 1000 characters, found 1001",
        ],
    );
}

#[test]
fn department_names_cannot_write_outside_the_out_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut plan = example();
    let names = ["../x", "a/b", "..", "C:\\evil", "/abs"];
    let mut n = 0;
    for g in plan["goals"].as_array_mut().unwrap() {
        for i in g["indicators"].as_array_mut().unwrap() {
            i["department"] = json!(names[n % names.len()]);
            n += 1;
        }
    }
    let data = d.join("plan.json");
    std::fs::write(&data, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
    let work = d.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let o = shiryo(
        &work,
        &[
            "template",
            "--year",
            "2025",
            "--data",
            data.to_str().unwrap(),
            "--split",
            "--out",
            "out",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let printed: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        printed.len(),
        names.len(),
        "stdout holds the paths and nothing else: {stdout}"
    );
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains("5 templates for 令和７年度"),
        "a summary line on stderr: {stderr}"
    );
    let out = work.join("out");
    for p in &printed {
        let path = work.join(p);
        assert_eq!(path.parent().unwrap(), out, "{p} is not directly in out/");
        assert!(path.is_file(), "{p}");
    }
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        // The directory's lock file stays; nothing else but the templates.
        .filter(|n| !n.starts_with(".shiryo"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "plan-R7-C__evil.xlsx",
            "plan-R7-_.xlsx",
            "plan-R7-_abs.xlsx",
            "plan-R7-_x.xlsx",
            "plan-R7-a_b.xlsx"
        ]
    );
    // Nothing was written beside or above out/.
    let beside: Vec<_> = std::fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["out"]);
    assert!(!d.join("x.xlsx").exists() && !d.join("a").exists());
    // One department by name is made safe the same way.
    let paths = shiryo_ok(
        &work,
        &[
            "template",
            "--year",
            "2025",
            "--data",
            data.to_str().unwrap(),
            "--only",
            "../x",
            "--out",
            "one",
        ],
    );
    assert_eq!(paths, [work.join("one/plan-R7-_x.xlsx")]);
    // Each template still imports into its plan.
    let (ok, _, err) = import(&work, &data, &[&paths[0]], &["--dry-run"]);
    assert!(ok, "{err}");
}
