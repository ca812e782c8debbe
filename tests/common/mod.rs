//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the shiryo binary with `args` in `cwd`, in an English locale
/// (whatever the machine's).
pub fn shiryo(cwd: &Path, args: &[&str]) -> Output {
    shiryo_in("C.UTF-8", cwd, args)
}

/// Runs the shiryo binary with `args` in `cwd` in the locale `lang`
/// (`ja_JP.UTF-8`, say).
pub fn shiryo_in(lang: &str, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiryo"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .expect("shiryo runs")
}

/// Runs shiryo and asserts success; returns the paths it printed.
pub fn shiryo_ok(cwd: &Path, args: &[&str]) -> Vec<PathBuf> {
    let out = shiryo(cwd, args);
    assert!(
        out.status.success(),
        "shiryo {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| cwd.join(l))
        .collect()
}

/// Fails with a clear message when a tool the test needs is missing
/// (`.ci/run` installs them).
pub fn need(tool: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "this test needs `{tool}` on PATH; .ci/run installs it with apt-get"
    );
}

/// Runs a tool and returns its stdout, asserting success.
pub fn run(tool: &str, args: &[&str]) -> String {
    need(tool);
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without any white space (PDF extraction breaks lines where the
/// renderer wrapped them).
pub fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a PDF in content order (`pdftotext -raw`), optionally of one page.
pub fn pdf_text(pdf: &Path, page: Option<usize>) -> String {
    let p = pdf.to_str().unwrap();
    match page {
        Some(n) => run(
            "pdftotext",
            &["-raw", "-f", &n.to_string(), "-l", &n.to_string(), p, "-"],
        ),
        None => run("pdftotext", &["-raw", p, "-"]),
    }
}

/// The number of pages of a PDF.
pub fn pdf_pages(pdf: &Path) -> usize {
    run("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("pdfinfo prints Pages")
}

/// Converts a file with LibreOffice (`pdf`, `xlsx`) into `outdir`; returns
/// the converted file's path.
pub fn libreoffice_convert(file: &Path, outdir: &Path, to: &str) -> PathBuf {
    need("libreoffice");
    std::fs::create_dir_all(outdir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("libreoffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .expect("libreoffice runs");
    let converted = outdir.join(file.with_extension(to).file_name().unwrap());
    assert!(
        converted.exists(),
        "libreoffice did not convert {} to {to}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}

/// Converts a workbook to PDF with LibreOffice; returns the PDF's path.
pub fn libreoffice_pdf(xlsx: &Path, outdir: &Path) -> PathBuf {
    libreoffice_convert(xlsx, outdir, "pdf")
}

/// The example plan as JSON.
pub fn example() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("data/dai5ki.json")).unwrap()).unwrap()
}

/// Every indicator of the example: (name as printed, rationale, texts of `year`).
pub fn example_indicators(year: i32) -> Vec<(String, Vec<String>)> {
    let plan = example();
    let mut out = Vec::new();
    for g in plan["goals"].as_array().unwrap() {
        for i in g["indicators"].as_array().unwrap() {
            let mut name = i["name"].as_str().unwrap().to_string();
            if i["direction"] == "decrease" {
                name.push_str("（減少目標）");
            }
            let mut texts = Vec::new();
            if let Some(r) = i["rationale"].as_str() {
                texts.push(r.to_string());
            }
            let rep = &i["reports"][year.to_string()];
            for k in ["actions", "outlook"] {
                if let Some(t) = rep[k].as_str() {
                    texts.push(t.to_string());
                }
            }
            for m in i["measures"].as_array().into_iter().flatten() {
                texts.push(m["name"].as_str().unwrap().to_string());
            }
            out.push((name, texts));
        }
    }
    out
}

/// The example with its goals repeated `times` times (goals renumbered,
/// ids made unique).
pub fn scaled_plan(times: usize) -> serde_json::Value {
    let mut plan = example();
    let goals = plan["goals"].as_array().unwrap().clone();
    let mut out = Vec::new();
    for k in 0..times {
        for g in &goals {
            let mut g = g.clone();
            g["number"] = serde_json::json!(out.len() + 1);
            for i in g["indicators"].as_array_mut().unwrap() {
                i["id"] = serde_json::json!(format!("{}-{k}", i["id"].as_str().unwrap()));
                for m in i
                    .get_mut("measures")
                    .and_then(|m| m.as_array_mut())
                    .into_iter()
                    .flatten()
                {
                    m["id"] = serde_json::json!(format!("{}-{k}", m["id"].as_str().unwrap()));
                }
            }
            out.push(g);
        }
    }
    plan["goals"] = serde_json::Value::Array(out);
    plan
}

/// The example's indicator names (as printed) in order.
pub fn indicator_names() -> Vec<String> {
    example_indicators(2024).into_iter().map(|(n, _)| n).collect()
}

/// Fills a yearly template with openpyxl as a department does (see
/// tests/fill_template.py for the spec), writing `out`.
pub fn fill_template(template: &Path, out: &Path, spec: &serde_json::Value) {
    need("python3");
    let spec_path = out.with_extension("spec.json");
    std::fs::write(&spec_path, serde_json::to_vec(spec).unwrap()).unwrap();
    let o = Command::new("python3")
        .arg(root().join("tests/fill_template.py"))
        .args([template, out, &spec_path])
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "fill_template.py failed (is openpyxl installed? .ci/run installs it): {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The change report table (`import`, `diff`) as one line per change,
/// `地域共生課/登録者数 R7 value: blank → 450人`; a text's change with the
/// first line of its old and new forms.
pub fn change_lines(table: &str) -> Vec<String> {
    let (mut part, mut item) = (String::new(), String::new());
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for l in table.lines() {
        if let Some(p) = l.strip_prefix("■ ") {
            part = p.to_string();
            continue;
        }
        let indent = l.len() - l.trim_start().len();
        let t = l.trim();
        if indent == 2 {
            item = t.to_string();
            continue;
        }
        if indent == 4 {
            let mut words = t.split_whitespace();
            let (year, field) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let rest = t[t.find(field).unwrap() + field.len()..].trim();
            let name = if part.is_empty() {
                item.clone()
            } else {
                format!("{part}/{item}")
            };
            match rest.strip_prefix("before:") {
                Some(old) => pending = Some(format!("{name} {year} {field}: {}", old.trim())),
                None => out.push(format!("{name} {year} {field}: {rest}")),
            }
        } else if let Some(new) = t.strip_prefix("after:")
            && let Some(head) = pending.take()
        {
            out.push(format!("{head} → {}", new.trim()));
        }
    }
    out
}
