//! The archive copy: PDF/A, reproducible bytes, a manifest and verification.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn archive(cwd: &Path, args: &[&str]) -> (PathBuf, PathBuf) {
    let mut all = vec!["archive"];
    all.extend_from_slice(args);
    let paths = shiryo_ok(cwd, &all);
    let pdf = paths.iter().find(|p| p.extension().unwrap() == "pdf").unwrap().clone();
    let manifest = paths.iter().find(|p| p.ends_with("manifest.json")).unwrap().clone();
    (pdf, manifest)
}

fn xmp(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("<x:xmpmeta").expect("XMP metadata");
    let end = text[start..].find("</x:xmpmeta>").unwrap() + start;
    text[start..end].to_string()
}

#[test]
fn pdfa_1b_passes_pdfbox_preflight() {
    need("java");
    let dir = tempfile::tempdir().unwrap();
    let (pdf, manifest) = archive(dir.path(), &["--pdfa", "1b"]);
    let jars = [
        "preflight",
        "pdfbox2",
        "fontbox2",
        "xmpbox",
        "commons-logging",
        "javax.activation",
        "jaxb-api",
    ];
    let cp: Vec<String> = jars.iter().map(|j| format!("/usr/share/java/{j}.jar")).collect();
    for j in &cp {
        assert!(
            Path::new(j).exists(),
            "{j} missing: .ci/run installs libpdfbox2-java, libactivation-java, libjaxb-api-java"
        );
    }
    let out = Command::new("java")
        .args(["-cp", &cp.join(":"), "org.apache.pdfbox.preflight.Validator_A1b"])
        .arg(&pdf)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("is a valid PDF/A-1b file"),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = xmp(&pdf);
    assert!(meta.contains("<pdfaid:part>1</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    // PDF 1.4 carries no tags: nor does it claim PDF/UA.
    assert!(!meta.contains("pdfuaid"), "{meta}");
    assert!(run("pdfinfo", &[pdf.to_str().unwrap()]).contains("Tagged:          no"));
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    assert_eq!(m["pdfa"], "PDF/A-1b");
    assert!(m.get("pdfua").is_none(), "{m}");
}

#[test]
fn pdfa_2b_is_tagged_all_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, manifest) = archive(dir.path(), &["--pdfa", "2b"]);
    let meta = xmp(&pdf);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    assert_eq!((&m["pdfa"], &m["pdfua"]), (&"PDF/A-2b".into(), &"PDF/UA-1".into()));
}

#[test]
fn pdfa_2a_carries_its_identification_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, manifest) = archive(dir.path(), &[]);
    let meta = xmp(&pdf);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{meta}");
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    assert!(run("pdfinfo", &[pdf.to_str().unwrap()]).contains("Tagged:          yes"));
    assert!(
        meta.contains("第５期西東京市地域福祉計画進捗状況調査票"),
        "title in XMP: {meta}"
    );
    assert!(
        meta.contains("第５期西東京市地域福祉計画 令和６年度"),
        "subject names plan and edition: {meta}"
    );
    assert!(meta.contains(">ja<"), "language ja: {meta}");
    assert!(
        meta.contains(&format!("shiryo {}", env!("CARGO_PKG_VERSION"))),
        "creator: {meta}"
    );
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(m["pdfa"], "PDF/A-2a");
    assert_eq!(m["pdfua"], "PDF/UA-1");
    assert_eq!(m["report_year"], 2024);
    assert_eq!(m["created"], "2025-04-01T00:00:00Z");
    let roles: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["data", "layout", "shape", "font", "font"]);
    // The regular and the bold face, each by the digest of its file in fonts/.
    for (e, path) in m["inputs"].as_array().unwrap()[3..]
        .iter()
        .zip(["fonts/BIZUDGothic-Regular.ttf", "fonts/BIZUDGothic-Bold.ttf"])
    {
        assert_eq!(e["path"], path);
        assert_eq!(e["bundled"], true);
        let file = std::fs::read(root().join(path)).unwrap();
        assert_eq!(e["sha256"], shiryo::archive::sha256(&file));
        assert_eq!(e["bytes"], file.len());
    }
    let pdf_digest = &m["outputs"][0]["sha256"];
    assert_eq!(
        pdf_digest.as_str().unwrap(),
        shiryo::archive::sha256(&std::fs::read(&pdf).unwrap())
    );
    // A manifest written before archives were tagged (no pdfua) still verifies.
    let text = std::fs::read_to_string(&manifest).unwrap();
    let older = text.replace("  \"pdfua\": \"PDF/UA-1\",\n", "");
    assert_ne!(older, text);
    std::fs::write(&manifest, older).unwrap();
    let ok = shiryo(dir.path(), &["verify", "archive"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    // Every indicator can be found in the archived text.
    let text = strip(&pdf_text(&pdf, None));
    for name in indicator_names() {
        assert!(text.contains(&strip(&name)), "{name}");
    }
}

#[test]
fn archives_are_reproducible_and_take_their_date_from_source_date_epoch() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (pa, ma) = archive(a.path(), &[]);
    let (pb, mb) = archive(b.path(), &[]);
    assert_eq!(std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap());
    assert_eq!(std::fs::read(&ma).unwrap(), std::fs::read(&mb).unwrap());
    let c = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiryo"))
        .arg("archive")
        .current_dir(c.path())
        .env("SOURCE_DATE_EPOCH", "1751328000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let m = std::fs::read_to_string(c.path().join("archive/R6/manifest.json")).unwrap();
    assert!(m.contains("\"created\": \"2025-07-01T00:00:00Z\""), "{m}");
    assert!(
        run(
            "pdfinfo",
            &[c.path().join("archive/R6/dai5ki-R6.pdf").to_str().unwrap()]
        )
        .contains("Jul  1 00:00:00 2025")
    );
}

#[test]
fn verify_catches_a_flipped_byte_and_an_edited_copy_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("plan.json");
    std::fs::copy(root().join("data/dai5ki.json"), &data).unwrap();
    let (pdf, manifest) = archive(dir.path(), &["--data", "plan.json"]);
    assert!(pdf.starts_with(dir.path().join("archive/R6")), "{pdf:?}");
    let m = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        m.contains("\"source\": \"plan.json\"") && m.contains("\"path\": \"input-data.json\""),
        "{m}"
    );
    let ok = shiryo(dir.path(), &["verify", "archive"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));
    // From another working directory too: the folder holds its inputs.
    let elsewhere = tempfile::tempdir().unwrap();
    let archive_dir = dir.path().join("archive");
    let ok = shiryo(elsewhere.path(), &["verify", archive_dir.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    // Next year's import changes the data file, not the archive.
    let text = std::fs::read_to_string(&data).unwrap().replacen("431", "432", 1);
    std::fs::write(&data, text).unwrap();
    let ok = shiryo(dir.path(), &["verify", "archive/R6"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));

    let original = std::fs::read(&pdf).unwrap();
    let mut flipped = original.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    std::fs::write(&pdf, &flipped).unwrap();
    let bad = shiryo(dir.path(), &["verify", "archive"]);
    assert_eq!(bad.status.code(), Some(1));
    let report = String::from_utf8_lossy(&bad.stdout);
    assert!(report.contains("plan-R6.pdf: pdf changed"), "{report}");
    std::fs::write(&pdf, &original).unwrap();

    let copy = archive_dir.join("R6/input-data.json");
    let text = std::fs::read_to_string(&copy).unwrap().replacen("431", "432", 1);
    std::fs::write(&copy, text).unwrap();
    let bad = shiryo(dir.path(), &["verify", "archive"]);
    assert_eq!(bad.status.code(), Some(1));
    let report = String::from_utf8_lossy(&bad.stdout);
    assert!(report.contains("input-data.json: data changed"), "{report}");
    assert!(!report.contains("pdf changed"), "{report}");
}

#[test]
fn each_edition_has_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path(), &["--year", "R6"]);
    let r6 = std::fs::read(dir.path().join("archive/R6/manifest.json")).unwrap();
    archive(dir.path(), &["--year", "令和５年度"]);
    assert_eq!(
        std::fs::read(dir.path().join("archive/R6/manifest.json")).unwrap(),
        r6,
        "R6 untouched"
    );
    assert!(dir.path().join("archive/R5/dai5ki-R5.pdf").is_file());
    let ok = shiryo(dir.path(), &["verify", "archive"]);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{out}");
}
