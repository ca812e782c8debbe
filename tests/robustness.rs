//! Nothing is lost under concurrency, hostile files and faults: imports
//! take turns on the store, the store is updated where it really is, a
//! hostile workbook costs bounded memory, every pagination ends, the files
//! of one run change as a whole, and mutated inputs never panic.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs shiryo with a time bound; kills it and fails the test past it.
fn shiryo_within(cwd: &Path, args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shiryo"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("shiryo {args:?} ran past {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn headers() -> Value {
    json!({"value": "R７", "note": "R７\n速報値", "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"})
}

/// Two departments' filled R7 templates of the example.
fn two_filled(d: &Path) -> (PathBuf, PathBuf) {
    let store = d.join("template-store.json");
    std::fs::copy(root().join("data/dai5ki.json"), &store).unwrap();
    let a = shiryo_ok(
        d,
        &[
            "template",
            "--data",
            store.to_str().unwrap(),
            "--year",
            "2025",
            "--only",
            "地域共生課",
            "--out",
            "ta",
        ],
    );
    let b = shiryo_ok(
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
            "tb",
        ],
    );
    let (fa, fb) = (d.join("kyosei.xlsx"), d.join("kotsu.xlsx"));
    fill_template(
        &a[0],
        &fa,
        &json!({"headers": headers(), "rows": [{"item": "ほっとネット推進員登録者数", "value": 450}]}),
    );
    fill_template(
        &b[0],
        &fb,
        &json!({"headers": headers(), "rows": [{"item": "はなバス", "value": 1350000}]}),
    );
    (fa, fb)
}

#[test]
fn concurrent_imports_of_two_departments_keep_both_answers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = two_filled(d);
    for trial in 0..20 {
        let store = d.join(format!("store-{trial}.json"));
        std::fs::copy(root().join("data/dai5ki.json"), &store).unwrap();
        let run = |f: &Path| {
            Command::new(env!("CARGO_BIN_EXE_shiryo"))
                .args(["import", "--data", store.to_str().unwrap(), f.to_str().unwrap()])
                .current_dir(d)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (p1, p2) = (run(&a), run(&b));
        for p in [p1, p2] {
            let o = p.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "trial {trial}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
        let text = plan.to_string();
        assert!(
            text.contains("\"2025\":\"450\""),
            "trial {trial}: 地域共生課's answer kept"
        );
        assert!(
            text.contains("\"2025\":\"1,350,000\""),
            "trial {trial}: 交通課's answer kept"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_or_read_only_store() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, _) = two_filled(d);
    // A symlink stays a symlink; its target gets the answer, keeps its mode,
    // and its previous version is kept beside it.
    let real = d.join("real.json");
    std::fs::copy(root().join("data/dai5ki.json"), &real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = d.join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = shiryo(d, &["import", "--data", link.to_str().unwrap(), a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("\"2025\": \"450\""));
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(
        std::fs::read(d.join("real.json.bak")).unwrap(),
        std::fs::read(root().join("data/dai5ki.json")).unwrap()
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("real.json.bak"));
    // A read-only store is refused and left as it was.
    let ro = d.join("ro.json");
    std::fs::copy(root().join("data/dai5ki.json"), &ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&ro).unwrap();
    let o = shiryo(d, &["import", "--data", ro.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("read-only"));
    assert_eq!(std::fs::read(&ro).unwrap(), before);
}

#[test]
fn a_workbook_claiming_the_last_cell_is_refused_within_bounded_memory() {
    need("bash");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("store.json");
    std::fs::copy(root().join("data/dai5ki.json"), &store).unwrap();
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
        ],
    );
    // One cell written at XFD1048576 (and one at A1048576) by openpyxl.
    for (name, cell) in [("far.xlsx", "XFD1048576"), ("deep.xlsx", "A1048576")] {
        // The message names the farthest corner of the area claimed.
        let bomb = d.join(name);
        let o = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); wb['調査票']['{cell}']='x'; wb.save(sys.argv[2])"
            ))
            .args([&t[0], &bomb])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(std::fs::metadata(&bomb).unwrap().len() < 100_000);
        // At most 1 GiB of address space: a reader allocating per cell of
        // the claimed area would abort instead of refusing.
        let o = Command::new("bash")
            .arg("-c")
            .arg(r#"ulimit -v 1048576; exec "$0" import --data "$1" "$2""#)
            .args([
                env!("CARGO_BIN_EXE_shiryo"),
                store.to_str().unwrap(),
                bomb.to_str().unwrap(),
            ])
            .current_dir(d)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains("1048576") && err.contains("refusing a sheet"),
            "{name}: {err}"
        );
    }
    // A device is not a workbook, whatever size it reports.
    let o = shiryo_within(d, &["import", "--data", store.to_str().unwrap(), "/dev/zero"], 20);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
}

/// A copy of the example layout with `edit` applied.
fn layout_with(d: &Path, name: &str, edit: impl Fn(&mut Value)) -> PathBuf {
    let mut l: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("layouts/shiryo2-dai5ki.json")).unwrap()).unwrap();
    edit(&mut l);
    let p = d.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(&l).unwrap()).unwrap();
    p
}

#[test]
fn every_pagination_ends_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            layout_with(d, "spacing.json", |l| l["line_spacing"] = json!(100)),
            "line_spacing",
        ),
        (
            layout_with(d, "margins.json", |l| l["page"]["margins_mm"]["top"] = json!(300)),
            "page.margins_mm",
        ),
        (
            layout_with(d, "padding.json", |l| l["padding_mm"]["y"] = json!(400)),
            "padding_mm.y",
        ),
        (
            layout_with(d, "header.json", |l| {
                l["columns"][0]["header"] = json!("見出し\n".repeat(5000));
            }),
            "cannot fit",
        ),
        (
            layout_with(d, "title.json", |l| l["title"]["size"] = json!(0)),
            "title.size",
        ),
        (
            layout_with(d, "wide.json", |l| l["columns"][0]["width_mm"] = json!(5000)),
            "columns[0].width_mm",
        ),
    ];
    for (layout, want) in cases {
        for cmd in ["check", "render"] {
            let mut args = vec![cmd, "--layout", layout.to_str().unwrap()];
            if cmd == "render" {
                args.extend(["--out", "o"]);
            }
            let o = shiryo_within(d, &args, 30);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{cmd} {layout:?}: {err}");
            assert!(
                err.contains(want) && err.contains(layout.file_name().unwrap().to_str().unwrap()),
                "{cmd}: {err}"
            );
        }
    }
    // Years a plan cannot span.
    for (target, want) in [
        (20228, "fiscal year"),
        (100000, "fiscal year"),
        (2147483647, "fiscal year"),
    ] {
        let mut plan: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap()).unwrap();
        plan["target_year"] = json!(target);
        let p = d.join("years.json");
        std::fs::write(&p, serde_json::to_vec(&plan).unwrap()).unwrap();
        let o = shiryo_within(d, &["check", "--data", p.to_str().unwrap()], 20);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{target}: {err}");
        assert!(err.contains("years.json: target_year") && err.contains(want), "{err}");
    }
}

#[test]
fn check_finds_what_render_would_hit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let example = || -> Value {
        serde_json::from_str(&std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap()).unwrap()
    };
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "date",
            Box::new(|p| p["editions"][1]["date"] = json!("2024-02-31")),
            "editions[1].date",
        ),
        (
            "date0",
            Box::new(|p| p["editions"][1]["date"] = json!("0000-01-01")),
            "editions[1].date",
        ),
        ("title", Box::new(|p| p["title"] = json!("題".repeat(40000))), "title"),
        (
            "footnote",
            Box::new(|p| p["footnote"] = json!("注".repeat(240))),
            "footer",
        ),
        (
            "noncharacter",
            Box::new(|p| p["goals"][0]["name"] = json!("地域\u{FFFF}")),
            "goals[0].name",
        ),
        (
            "tab",
            Box::new(|p| p["goals"][0]["name"] = json!("地域\tづくり")),
            "U+0009",
        ),
        (
            "nul",
            Box::new(|p| p["goals"][0]["name"] = json!("地域\u{0}")),
            "U+0000",
        ),
        (
            "cr",
            Box::new(|p| p["goals"][0]["name"] = json!("地域\r\nづくり")),
            "U+000D",
        ),
        (
            "lines",
            Box::new(|p| p["title"] = json!("一行目\n二行目\n三行目")),
            "title.height_mm",
        ),
    ];
    for (name, edit, want) in cases {
        let mut plan = example();
        edit(&mut plan);
        let p = d.join(format!("{name}.json"));
        std::fs::write(&p, serde_json::to_vec(&plan).unwrap()).unwrap();
        for cmd in ["check", "render"] {
            let mut args = vec![cmd, "--data", p.to_str().unwrap()];
            if cmd == "render" {
                args.extend(["--out", "o"]);
            }
            let o = shiryo_within(d, &args, 30);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{cmd} {name}: {err}");
            assert!(err.contains(want), "{cmd} {name}: expected {want:?} in {err}");
        }
    }
    // A key named twice.
    let text = std::fs::read_to_string(root().join("data/dai5ki.json"))
        .unwrap()
        .replacen(
            "\"label\": \"資料２\",",
            "\"label\": \"資料２\",\n  \"label\": \"資料３\",",
            1,
        );
    let p = d.join("twice.json");
    std::fs::write(&p, text).unwrap();
    let o = shiryo(d, &["check", "--data", p.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("twice.json: label: duplicate key \"label\""),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A date SOURCE_DATE_EPOCH cannot give to both files.
    let o = Command::new(env!("CARGO_BIN_EXE_shiryo"))
        .args(["render", "--out", "o"])
        .current_dir(d)
        .env("SOURCE_DATE_EPOCH", "99999999999999")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn the_files_of_a_run_change_as_a_whole() {
    need("bash");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("dai5ki-R6.xlsx"), b"old workbook").unwrap();
    std::fs::write(out.join("dai5ki-R6.pdf"), b"old pdf").unwrap();
    // The disk fills up while the PDF is written (a file size limit stands
    // in for a full disk): neither file of the pair is replaced.
    let o = Command::new("bash")
        .arg("-c")
        .arg(r#"ulimit -f 60; exec "$0" render --out "$1""#)
        .args([env!("CARGO_BIN_EXE_shiryo"), out.to_str().unwrap()])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(std::fs::read(out.join("dai5ki-R6.xlsx")).unwrap(), b"old workbook");
    assert_eq!(std::fs::read(out.join("dai5ki-R6.pdf")).unwrap(), b"old pdf");
    // The next run replaces both and leaves no temporary file behind.
    shiryo_ok(d, &["render", "--out", out.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".shiryo.lock", "dai5ki-R6.pdf", "dai5ki-R6.xlsx"]);
    assert!(std::fs::read(out.join("dai5ki-R6.pdf")).unwrap().starts_with(b"%PDF"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    need("bash");
    let o = Command::new("bash")
        .arg("-c")
        .arg(r#""$0" layouts | head -1 >/dev/null; echo "${PIPESTATUS[0]}""#)
        .arg(env!("CARGO_BIN_EXE_shiryo"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

/// A small deterministic generator (xorshift), so that a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every place in a JSON value, as a path of keys and indices.
fn places(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(json!(k));
                places(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(json!(i));
                places(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |cur, k| match k {
        Value::String(s) => &mut cur[s.as_str()],
        Value::Number(n) => &mut cur[n.as_u64().unwrap() as usize],
        _ => cur,
    })
}

/// One random change: a value replaced by one of another type or an odd
/// one, a key removed, a list emptied or an item doubled.
fn mutate(v: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    places(v, &mut Vec::new(), &mut all);
    let path = all[rng.below(all.len())].clone();
    let odd = [
        json!(null),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(99999),
        json!(2147483647),
        json!(""),
        json!("x\u{0}y"),
        json!("\u{FFFF}"),
        json!("あ".repeat(40000)),
        json!("2024-13-45"),
        json!([]),
        json!({}),
        json!(true),
        json!("not-measured"),
        json!({"value": "-3", "qualifier": "未満"}),
    ];
    match rng.below(4) {
        0 if !path.is_empty() => {
            let (last, parent) = path.split_last().unwrap();
            let p = at_mut(v, parent);
            match (p, last) {
                (Value::Object(m), Value::String(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), Value::Number(i)) => {
                    a.remove(i.as_u64().unwrap() as usize);
                }
                _ => {}
            }
        }
        1 => {
            if let Value::Array(a) = at_mut(v, &path)
                && let Some(x) = a.first().cloned()
            {
                a.push(x);
            }
        }
        _ => *at_mut(v, &path) = odd[rng.below(odd.len())].clone(),
    }
}

#[test]
fn mutated_data_and_layouts_never_panic_and_what_check_passes_renders() {
    let data: Value = serde_json::from_str(&std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap()).unwrap();
    let layout: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("layouts/shiryo2-dai5ki.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (dp, lp) = (dir.path().join("d.json"), dir.path().join("l.json"));
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut passed, mut refused) = (0, 0);
    for case in 0..400 {
        let (mut d, mut l) = (data.clone(), layout.clone());
        for _ in 0..1 + rng.below(3) {
            if rng.below(3) == 0 {
                mutate(&mut l, &mut rng);
            } else {
                mutate(&mut d, &mut rng);
            }
        }
        std::fs::write(&dp, serde_json::to_vec(&d).unwrap()).unwrap();
        std::fs::write(&lp, serde_json::to_vec(&l).unwrap()).unwrap();
        let run = std::panic::catch_unwind(|| {
            let inputs = shiryo::Inputs {
                data: Some(dp.clone()),
                layout: Some(lp.clone()),
                year: None,
            };
            let edition = match shiryo::Edition::load(&inputs) {
                Ok(e) => e,
                Err(p) => return Err(p.to_string()),
            };
            let prepared = shiryo::check::prepared(&edition).map_err(|p| p.to_string())?;
            // What check passes renders.
            shiryo::render::xlsx::render(&prepared).map_err(|e| format!("RENDER xlsx: {e}"))?;
            shiryo::render::pdf::render(&prepared, Default::default()).map_err(|e| format!("RENDER pdf: {e}"))?;
            Ok(())
        });
        match run {
            Err(_) => panic!("case {case} panicked"),
            Ok(Ok(())) => passed += 1,
            Ok(Err(msg)) => {
                assert!(!msg.starts_with("RENDER"), "case {case}: check passed but {msg}");
                assert!(
                    msg.contains("d.json") || msg.contains("l.json") || msg.contains("SOURCE_DATE_EPOCH"),
                    "case {case}: {msg}"
                );
                refused += 1;
            }
        }
    }
    assert!(passed > 20 && refused > 100, "{passed} passed, {refused} refused");
}

#[test]
fn mutated_workbooks_never_panic_and_never_touch_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("store.json");
    std::fs::copy(root().join("data/dai5ki.json"), &store).unwrap();
    let edition = shiryo::Edition::load(&shiryo::Inputs {
        data: Some(store.clone()),
        year: Some(2025),
        ..Default::default()
    })
    .unwrap();
    let template = shiryo::yearly::template::build(&edition, Some("交通課"), None)
        .unwrap()
        .bytes;
    let before = std::fs::read(&store).unwrap();
    let mut rng = Rng(0xC0FF_EE00_1234_5678);
    let file = d.join("t.xlsx");
    for case in 0..300 {
        let mut bytes = template.clone();
        match rng.below(3) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= 1 << rng.below(8);
                }
            }
            1 => bytes.truncate(rng.below(bytes.len())),
            _ => {
                let i = rng.below(bytes.len());
                bytes.splice(i..i, std::iter::repeat_n(b'A', rng.below(64)));
            }
        }
        std::fs::write(&file, &bytes).unwrap();
        let run = std::panic::catch_unwind(|| {
            shiryo::yearly::import::import(&edition, std::slice::from_ref(&file), &Default::default())
        });
        match run {
            Err(_) => panic!("case {case} panicked"),
            Ok(Err(p)) => assert!(p.to_string().contains("t.xlsx"), "case {case}: {p}"),
            Ok(Ok(_)) => {}
        }
    }
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "import never writes the store itself"
    );
}
