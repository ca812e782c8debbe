//! The command line as an office uses it: in Japanese on a Japanese
//! system, years as written in Japanese, shell completions, and the print
//! scale said aloud.

mod common;

use common::*;

#[test]
fn years_as_the_office_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (year, want) in [
        ("R6", "dai5ki-R6"),
        ("令和６年度", "dai5ki-R6"),
        ("Ｒ５", "dai5ki-R5"),
        ("2023", "dai5ki-R5"),
    ] {
        let paths = shiryo_ok(d, &["render", "--year", year, "--format", "pdf", "--out", "o"]);
        assert!(
            paths[0].to_str().unwrap().ends_with(&format!("{want}.pdf")),
            "{year}: {paths:?}"
        );
    }
    let o = shiryo(d, &["render", "--year", "来年度"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("来年度") && err.contains("令和７年度") && err.contains("H31"),
        "{err}"
    );
}

#[test]
fn completions_for_the_usual_shells() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef shiryo"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = shiryo(dir.path(), &["completions", shell]);
        assert!(o.status.success());
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(marker) && text.contains("template"), "{shell}");
    }
}

#[test]
fn a_table_shrunk_to_fit_its_page_says_so_and_refuses_text_too_small() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut l: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("layouts/shiryo2-dai5ki.json")).unwrap()).unwrap();
    // The A3 table on A4: 70 %, 7.2 pt text printing at 5.0 pt.
    l["page"]["size"] = serde_json::json!("A4");
    let a4 = d.join("a4.json");
    std::fs::write(&a4, serde_json::to_vec(&l).unwrap()).unwrap();
    let o = shiryo(d, &["render", "--layout", a4.to_str().unwrap(), "--out", "o"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a4.json: page.min_text_pt") && err.contains("prints at 70 %") && err.contains("5.0 pt"),
        "{err}"
    );
    assert!(!d.join("o").exists(), "nothing written");
    let o = shiryo(
        d,
        &[
            "render",
            "--layout",
            a4.to_str().unwrap(),
            "--out",
            "o",
            "--allow-small-text",
        ],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("note: "));
    // At 100 % nothing is said.
    let data = root().join("data/dai5ki.json");
    let o = shiryo(d, &["render", "--data", data.to_str().unwrap(), "--out", "p"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("prints at"), "{err}");
}

#[test]
fn a_working_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Outside such a folder, the example is used and said to be.
    let o = shiryo(d, &["check"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no --data and no shiryo.toml") && err.contains("example"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("with the bundled layout shiryo2-dai5ki"));
    // shiryo init: data, an editable layout and shiryo.toml.
    let work = d.join("資料");
    std::fs::create_dir_all(&work).unwrap();
    let files = shiryo_ok(&work, &["init"]);
    assert_eq!(files.len(), 3, "{files:?}");
    // An edited layout is the one used, with no flags, from below the folder too.
    let layout = work.join("layouts/shiryo2-dai5ki.json");
    let text = std::fs::read_to_string(&layout)
        .unwrap()
        .replace("\"right\": \"{label}\"", "\"right\": \"{label}（案）\"");
    std::fs::write(&layout, text).unwrap();
    let sub = work.join("作業");
    std::fs::create_dir_all(&sub).unwrap();
    let o = shiryo(&sub, &["render"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("no --data"),
        "no note on the data inside a working folder: {err}"
    );
    let pdf = work.join("out/dai5ki-R6.pdf");
    assert!(strip(&pdf_text(&pdf, Some(1))).contains("資料２（案）"));
    let o = shiryo(&sub, &["check"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("layouts/shiryo2-dai5ki.json"));
    // A broken layout file of that name is reported, not replaced by the bundled one.
    std::fs::write(&layout, "{").unwrap();
    let o = shiryo(&sub, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shiryo2-dai5ki.json: 1:1: invalid JSON"));
    // init writes nothing over a file.
    let o = shiryo(&work, &["init"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists already"));
}

/// stderr of a run as text.
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn japanese_on_a_japanese_system_english_elsewhere_or_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A missing data file: the file named, in the user's language.
    let ja = shiryo_in("ja_JP.UTF-8", d, &["render", "--data", "missing.json"]);
    assert_eq!(ja.status.code(), Some(1));
    let err = stderr(&ja);
    assert!(err.starts_with("エラー: missing.json: "), "{err}");
    assert!(err.contains("ファイルまたはフォルダがありません"), "{err}");
    let en = shiryo_in("en_US.UTF-8", d, &["render", "--data", "missing.json"]);
    let err = stderr(&en);
    assert!(err.starts_with("error: missing.json: "), "{err}");
    assert!(!err.contains("ファイル"), "{err}");
    // --lang wins over the locale, either way.
    let asked = shiryo_in("en_US.UTF-8", d, &["--lang", "ja", "render", "--data", "missing.json"]);
    assert!(stderr(&asked).starts_with("エラー: "), "{}", stderr(&asked));
    let asked = shiryo_in("ja_JP.UTF-8", d, &["render", "--lang=en", "--data", "missing.json"]);
    assert!(stderr(&asked).starts_with("error: "), "{}", stderr(&asked));
}

#[test]
fn help_and_usage_errors_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let help = shiryo_in("ja_JP.UTF-8", d, &["render", "--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for want in [
        "使い方: shiryo render",
        "オプション:",
        "報告年度",
        "［既定値: xlsx,pdf］",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    let top = shiryo_in("ja_JP.UTF-8", d, &["--help"]);
    let text = String::from_utf8_lossy(&top.stdout);
    assert!(
        text.contains("コマンド:") && text.contains("記入済みの入力用ブック"),
        "{text}"
    );
    // A usage error: exit 2, what was wrong and what would be right.
    let o = shiryo_in("ja_JP.UTF-8", d, &["render", "--format", "doc"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("「doc」は指定できません") && err.contains("xlsx、pdf"),
        "{err}"
    );
    let o = shiryo_in("ja_JP.UTF-8", d, &["rendr"]);
    assert!(stderr(&o).contains("render のことですか"), "{}", stderr(&o));
    let o = shiryo_in("ja_JP.UTF-8", d, &["render", "--year", "来年度"]);
    let err = stderr(&o);
    assert!(err.contains("来年度") && err.contains("令和７年度"), "{err}");
}

#[test]
fn problems_in_japanese_name_the_file_the_place_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap();
    let broken = data.replacen("\"baseline_year\": 2022", "\"baseline_year\": \"2022年\"", 1);
    assert_ne!(broken, data, "the example has a baseline year to break");
    std::fs::write(d.join("plan.json"), broken).unwrap();
    let ja = shiryo_in("ja_JP.UTF-8", d, &["check", "--data", "plan.json"]);
    let en = shiryo_in("C.UTF-8", d, &["check", "--data", "plan.json"]);
    assert_eq!(ja.status.code(), Some(1));
    let (ja, en) = (stderr(&ja), stderr(&en));
    let (ja_line, en_line) = (ja.lines().next().unwrap(), en.lines().next().unwrap());
    // The same file and JSON path, the message in each language.
    let place = |l: &str| l.splitn(3, ": ").take(2).collect::<Vec<_>>().join(": ");
    assert_eq!(place(ja_line), place(en_line), "{ja}\n{en}");
    assert!(ja_line.starts_with("plan.json: "), "{ja}");
    assert!(ja_line.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)), "{ja}");
    assert!(ja.contains("件の問題が見つかりました"), "{ja}");
}
