//! The archive copy: the edition's PDF as PDF/A with a manifest of SHA-256
//! digests of every output and input, and its verification.

use crate::edition::{EXAMPLE_DATA, EXAMPLE_PATH};
use crate::font;
use crate::render::Prepared;
use crate::render::pdf;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// The PDF/A levels an archive can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
pub enum Level {
    /// PDF/A-2a (ISO 19005-2, level A: tagged), also PDF/UA-1; the default.
    #[value(name = "2a")]
    #[serde(rename = "PDF/A-2a")]
    A2a,
    /// PDF/A-2b (ISO 19005-2, level B), tagged and PDF/UA-1 all the same.
    #[value(name = "2b")]
    #[serde(rename = "PDF/A-2b")]
    A2b,
    /// PDF/A-1b (ISO 19005-1, level B), for offices that require it:
    /// PDF 1.4, untagged.
    #[value(name = "1b")]
    #[serde(rename = "PDF/A-1b")]
    A1b,
}

impl Level {
    /// How the archive's PDF is written at this level.
    pub fn settings(self) -> pdf::Settings {
        match self {
            Level::A2a => pdf::Settings {
                tagged: true,
                archive: pdf::Archive::A2a,
            },
            Level::A2b => pdf::Settings {
                tagged: true,
                archive: pdf::Archive::A2b,
            },
            Level::A1b => pdf::Settings {
                tagged: false,
                archive: pdf::Archive::A1b,
            },
        }
    }
}

/// The accessibility standards an archive's PDF can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Accessibility {
    /// PDF/UA-1 (ISO 14289-1): tagged for assistive technology.
    #[serde(rename = "PDF/UA-1")]
    Ua1,
}

/// One file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What the file is: `pdf`, `data`, `layout`, `shape` or `font`.
    pub role: String,
    /// Its name inside the edition's archive folder (the PDF, and the copies
    /// of the data, layout and shape read); for a font, the font file (the
    /// repository path of the one built into shiryo, `bundled`).
    pub path: String,
    /// Where an input copied into the folder was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether the input is the copy built into shiryo.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bundled: bool,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The manifest written beside the archived PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The shiryo version that wrote the archive.
    pub shiryo: String,
    /// The PDF/A level.
    pub pdfa: Level,
    /// The accessibility standard the PDF declares, if any (none for
    /// PDF/A-1b, and in manifests written before PDFs were tagged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdfua: Option<Accessibility>,
    /// The report year (fiscal year).
    pub report_year: i32,
    /// The creation date written into the PDF (UTC, ISO 8601).
    pub created: String,
    /// The files written.
    pub outputs: Vec<Entry>,
    /// The files read.
    pub inputs: Vec<Entry>,
}

/// SHA-256 of bytes, as lower-case hex.
///
/// ```
/// assert_eq!(&shiryo::archive::sha256(b"abc")[..8], "ba7816bf");
/// ```
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn entry(role: &str, path: &str, bundled: bool, bytes: &[u8]) -> Entry {
    Entry {
        role: role.into(),
        path: path.into(),
        source: None,
        bundled,
        sha256: sha256(bytes),
        bytes: bytes.len() as u64,
    }
}

/// The archive copy of a checked edition (see [`crate::check::prepared`])
/// in memory: the files of its folder, (name, bytes): the PDF/A, copies of
/// its inputs and the manifest, which hashes the very bytes rendered from.
pub fn archive(prepared: &Prepared, level: Level) -> Result<Vec<(String, Vec<u8>)>> {
    let edition = prepared.edition;
    let layout = &edition.layout;
    let data = &edition.data;
    let shape = &edition.shape;
    // The exact bytes read, copied into the folder: it needs nothing else.
    let from = |path: &Path, bundled: bool| {
        let p = path.display().to_string().replace('\\', "/");
        Some(if bundled { format!("built into shiryo ({p})") } else { p })
    };
    let copies: Vec<(&str, String, Option<String>, &[u8])> = vec![
        (
            "data",
            "input-data.json".into(),
            from(&data.path, data.bundled),
            &data.source,
        ),
        (
            "layout",
            "input-layout.json".into(),
            from(&layout.path, layout.bundled),
            layout.source.as_bytes(),
        ),
        (
            "shape",
            "input-shape.json".into(),
            from(&shape.path, shape.bundled),
            shape.source.as_bytes(),
        ),
    ];
    let mut inputs: Vec<Entry> = copies
        .iter()
        .map(|(role, name, source, bytes)| Entry {
            source: source.clone(),
            ..entry(role, name, false, bytes)
        })
        .collect();
    let fonts = &edition.fonts;
    for face in std::iter::once(&fonts.regular).chain(fonts.bold.as_ref()) {
        if let Some(b) = font::bundled_file(face) {
            inputs.push(Entry {
                role: "font".into(),
                path: b.path.into(),
                source: None,
                bundled: true,
                sha256: b.sha256.into(),
                bytes: b.bytes,
            });
        } else {
            inputs.push(entry("font", &face.source, false, face.data));
        }
    }
    let settings = level.settings();
    let bytes = pdf::render(prepared, settings)?;
    let name = format!("{}.pdf", edition.output_stem());
    let [y, mo, d, h, mi, s] = prepared.meta.created;
    let manifest = Manifest {
        shiryo: env!("CARGO_PKG_VERSION").into(),
        pdfa: level,
        pdfua: settings.tagged.then_some(Accessibility::Ua1),
        report_year: edition.year,
        created: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        outputs: vec![entry("pdf", &name, false, &bytes)],
        inputs,
    };
    let mut json = serde_json::to_string_pretty(&manifest)?;
    json.push('\n');
    let mut files = vec![(name, bytes)];
    files.extend(copies.into_iter().map(|(_, n, _, b)| (n, b.to_vec())));
    files.push((MANIFEST.into(), json.into_bytes()));
    Ok(files)
}

/// The folder of an edition's archive copy inside the archive directory:
/// its short era year (`R6`).
pub fn edition_folder(archive_dir: &Path, year: i32) -> PathBuf {
    archive_dir.join(crate::era::short(year))
}

/// Recomputes every digest of an archive; returns the mismatches (empty
/// when the archive is intact).
pub fn verify(dir: &Path) -> Result<Vec<String>> {
    if !dir.join(MANIFEST).is_file() {
        // An archive directory: every edition folder in it.
        let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| crate::lang::tr!("cannot read {path}", path = dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join(MANIFEST).is_file())
            .collect();
        if folders.is_empty() {
            bail!(
                "{}",
                crate::lang::tr!(
                    "{path}: no {manifest} here nor in a folder of it: not an archive (shiryo archive writes one folder per edition)",
                    path = dir.display(),
                    manifest = MANIFEST
                )
            );
        }
        folders.sort();
        let mut all = Vec::new();
        for f in folders {
            all.extend(verify_folder(&f)?);
        }
        return Ok(all);
    }
    verify_folder(dir)
}

/// Verifies one edition folder against its own manifest.
fn verify_folder(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .with_context(|| crate::lang::tr!("cannot read {path}", path = path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}:{}: {}",
            path.display(),
            e.line(),
            e.column(),
            crate::lang::tr!("not a shiryo manifest: {error}", error = e)
        )
    })?;
    let mut problems = Vec::new();
    let mut check = |e: &Entry, found: std::io::Result<(String, u64)>, shown: &Path| match found {
        Ok((digest, _)) if digest == e.sha256 => {}
        Ok((digest, bytes)) => problems.push(crate::lang::tr!(
            "{path}: {role} changed: expected SHA-256 {expected}, found {digest} ({bytes} bytes, archived {archived})",
            path = shown.display(),
            role = e.role,
            expected = e.sha256,
            digest = digest,
            bytes = bytes,
            archived = e.bytes
        )),
        Err(err) => problems.push(crate::lang::tr!(
            "{path}: {role} cannot be read: {error}",
            path = shown.display(),
            role = e.role,
            error = crate::lang::io_error(&err)
        )),
    };
    let file = |p: &Path| std::fs::read(p).map(|b| (sha256(&b), b.len() as u64));
    for e in &manifest.outputs {
        if e.path.contains('/') || e.path.contains('\\') || e.path.starts_with('.') {
            bail!(
                "{}",
                crate::lang::tr!(
                    "{path}: output path {name} is not a file name inside the archive",
                    path = path.display(),
                    name = format!("{:?}", e.path)
                )
            );
        }
        let p = dir.join(&e.path);
        check(e, file(&p), &p);
    }
    for e in &manifest.inputs {
        // Copies inside the folder; a system font where it was.
        let p = dir.join(&e.path);
        let found = if e.bundled {
            bundled_digest(e, &manifest.shiryo)
        } else {
            file(&p)
        };
        check(e, found, &p);
    }
    Ok(problems)
}

/// The digest of an input built into this shiryo.
fn bundled_digest(e: &Entry, archived_with: &str) -> std::io::Result<(String, u64)> {
    let of = |b: &[u8]| (sha256(b), b.len() as u64);
    let found = match e.role.as_str() {
        "data" if e.path == EXAMPLE_PATH => Some(of(EXAMPLE_DATA.as_bytes())),
        "layout" => crate::layout::BUNDLED
            .iter()
            .find(|(n, _)| format!("layouts/{n}.json") == e.path)
            .map(|(_, src)| of(src.as_bytes())),
        "shape" => crate::shape::BUNDLED
            .iter()
            .find(|(n, _)| format!("layouts/shapes/{n}.json") == e.path)
            .map(|(_, src)| of(src.as_bytes())),
        // Built from the font files whose digests shiryo carries.
        "font" => font::bundled_files()
            .into_iter()
            .find(|b| b.path == e.path)
            .map(|b| (b.sha256.to_string(), b.bytes)),
        _ => None,
    };
    found.ok_or_else(|| {
        std::io::Error::other(crate::lang::tr!(
            "no such input is built into shiryo {version} (archived with shiryo {archived})",
            version = env!("CARGO_PKG_VERSION"),
            archived = archived_with
        ))
    })
}
