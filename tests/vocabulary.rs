//! `src/` knows no document's words: every document kind is a shape and a
//! layout file. Code outside comments and test modules names none of the
//! bundled documents' concepts.

mod common;

use common::root;

/// Words of the bundled documents (English names of their fields and
/// Japanese terms of their tables).
const WORDS: [&str; 13] = [
    "goal",
    "indicator",
    "department",
    "division",
    "section",
    "subitem",
    "outlook",
    "rationale",
    "速報値",
    "基本目標",
    "担当部署",
    "調査票",
    "事業計画",
];

/// The code of a Rust file: comments removed, test modules cut off.
fn code(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // Test modules stand at the end of the file.
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        // A trailing comment outside a string literal.
        let mut in_str = false;
        let mut prev = ' ';
        let mut end = line.len();
        for (k, c) in line.char_indices() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str && c == '/' && prev == '/' {
                end = k - 1;
                break;
            }
            prev = c;
        }
        out.push((i + 1, line[..end].to_string()));
    }
    out
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn src_names_no_document_concept() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in code(&text) {
            let lower = line.to_lowercase();
            for w in WORDS {
                if lower.contains(w) {
                    found.push(format!("{}:{n}: {w}: {}", f.display(), line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "document words in src/:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_code_and_skips_comments() {
    let sample = "let goal = 1; // indicator\n/// department\n#[cfg(test)]\nmod tests { fn division() {} }\n";
    let c = code(sample);
    assert_eq!(c.len(), 1);
    assert!(c[0].1.contains("goal") && !c[0].1.contains("indicator"));
}
