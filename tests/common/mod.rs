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

/// Converts several workbooks to PDF in one LibreOffice run (one start
/// instead of one per file); returns the PDFs' paths, in order. Their
/// names must differ.
pub fn libreoffice_pdfs(xlsx: &[&Path], outdir: &Path) -> Vec<PathBuf> {
    need("libreoffice");
    std::fs::create_dir_all(outdir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("libreoffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .args(xlsx)
        .output()
        .expect("libreoffice runs");
    xlsx.iter()
        .map(|file| {
            let converted = outdir.join(file.with_extension("pdf").file_name().unwrap());
            assert!(
                converted.exists(),
                "libreoffice did not convert {} to pdf: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            converted
        })
        .collect()
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

/// Every non-empty cell of a workbook's first sheet as it prints, by
/// zero-based (row, column): a number in its number format (the formats
/// shiryo writes: quoted text around `General`, `0` or `#,##0` with
/// decimals), and each line of it without the spaces that pad it.
pub fn printed_cells(xlsx: &Path) -> Vec<((u32, u32), String)> {
    use calamine::{Data, Reader, Xlsx};
    use std::collections::HashMap;
    use std::io::Read;
    let part = |name: &str| -> Vec<u8> {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
        let mut out = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        out
    };
    // Each element's attributes, in document order.
    let elements = |xml: &[u8]| -> Vec<(String, HashMap<String, String>)> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            let key = a.key.local_name().into_inner().to_string();
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::default())
                                .unwrap()
                                .into_owned();
                            (key, value)
                        })
                        .collect();
                    out.push((e.local_name().into_inner().to_string(), attrs));
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        out
    };
    let styles = elements(&part("xl/styles.xml"));
    let codes: HashMap<String, String> = styles
        .iter()
        .filter(|(n, _)| n == "numFmt")
        .map(|(_, a)| (a["numFmtId"].clone(), a["formatCode"].clone()))
        .collect();
    let start = styles.iter().position(|(n, _)| n == "cellXfs").unwrap();
    let xfs: Vec<String> = styles[start + 1..]
        .iter()
        .take_while(|(n, _)| n != "cellStyles")
        .filter(|(n, _)| n == "xf")
        .map(|(_, a)| codes.get(&a["numFmtId"]).cloned().unwrap_or_else(|| "General".into()))
        .collect();
    let mut format_of: HashMap<(u32, u32), String> = HashMap::new();
    for (name, a) in elements(&part("xl/worksheets/sheet1.xml")) {
        if name == "c"
            && let Some(s) = a.get("s")
        {
            let (row, col) = a1(&a["r"]);
            format_of.insert((row, col), xfs[s.parse::<usize>().unwrap()].clone());
        }
    }
    let mut wb: Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .filter(|(_, _, d)| !matches!(d, Data::Empty))
        .map(|(r, c, d)| {
            let at = (r0 + r as u32, c0 + c as u32);
            let text = match d {
                Data::Float(v) => number_text(*v, format_of.get(&at).map_or("General", String::as_str)),
                Data::Int(v) => number_text(*v as f64, format_of.get(&at).map_or("General", String::as_str)),
                other => other.to_string(),
            };
            let unpadded: Vec<&str> = text.split('\n').map(|l| l.trim_matches(' ')).collect();
            (at, unpadded.join("\n"))
        })
        .collect()
}

/// Zero-based row and column of an `A1` reference.
fn a1(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
    (r[letters.len()..].parse::<u32>().unwrap() - 1, col)
}

/// A number as a number format of quoted text around one number code
/// prints it.
fn number_text(v: f64, format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').expect("a closed quote");
            out.push_str(&r[..end]);
            rest = &r[end + 1..];
            continue;
        }
        let end = rest.find('"').unwrap_or(rest.len());
        let code = &rest[..end];
        if code == "General" {
            out.push_str(&v.to_string());
        } else {
            assert!(
                code.trim_start_matches("#,##").starts_with('0'),
                "a number format shiryo does not write: {format:?}"
            );
            let decimals = code.split_once('.').map_or(0, |(_, f)| f.len());
            let s = format!("{:.*}", decimals, v.abs());
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            if v < 0.0 {
                out.push('-');
            }
            for (i, c) in int.chars().enumerate() {
                if code.contains(',') && i > 0 && (int.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            if !frac.is_empty() {
                out.push('.');
                out.push_str(frac);
            }
        }
        rest = &rest[end..];
    }
    out
}
