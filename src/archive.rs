//! The archive copy: the edition's PDF as PDF/A with a manifest of SHA-256
//! digests of every output and input, and its verification.

use crate::cli::{self, InputArgs};
use crate::measure::font;
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
    /// PDF/A-2b (ISO 19005-2, level B), the default.
    #[value(name = "2b")]
    #[serde(rename = "PDF/A-2b")]
    A2b,
    /// PDF/A-1b (ISO 19005-1, level B), for offices that require it.
    #[value(name = "1b")]
    #[serde(rename = "PDF/A-1b")]
    A1b,
}

/// `shiryo archive`.
#[derive(Debug, Clone, clap::Args)]
pub struct ArchiveArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The archive directory.
    #[arg(long, value_name = "DIR", default_value = "archive")]
    pub out: PathBuf,
    /// The PDF/A level.
    #[arg(long, value_name = "LEVEL", default_value = "2b")]
    pub pdfa: Level,
}

/// One file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What the file is: `pdf`, `data`, `layout` or `font`.
    pub role: String,
    /// Its path: a name inside the archive directory for outputs; as given
    /// on the command line for inputs; the repository path for inputs
    /// built into shiryo (`bundled`).
    pub path: String,
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
        bundled,
        sha256: sha256(bytes),
        bytes: bytes.len() as u64,
    }
}

/// Writes the archive PDF and its manifest; returns the paths written.
pub fn archive(a: &ArchiveArgs) -> Result<Vec<PathBuf>> {
    let (plan, year, prepared) = crate::check::prepare(&a.input, false)?;
    let layout = &prepared.layout;
    let layout_entry = match &a.input.layout {
        Some(p) => entry("layout", &p.display().to_string(), false, layout.source.as_bytes()),
        None => entry(
            "layout",
            &layout.path.display().to_string(),
            true,
            layout.source.as_bytes(),
        ),
    };
    let data_entry = match &a.input.data {
        Some(p) => entry("data", &p.display().to_string(), false, &std::fs::read(p)?),
        // The example as the data directory holds it (import edits it), else the bundled copy.
        None if Path::new(cli::EXAMPLE_PATH).is_file() => {
            entry("data", cli::EXAMPLE_PATH, false, &std::fs::read(cli::EXAMPLE_PATH)?)
        }
        None => entry("data", cli::EXAMPLE_PATH, true, cli::EXAMPLE_DATA.as_bytes()),
    };
    let mut inputs = vec![data_entry, layout_entry];
    for face in std::iter::once(&prepared.fonts.regular).chain(prepared.fonts.bold.as_ref()) {
        if std::ptr::eq(face.data, font::BUNDLED_REGULAR) {
            let bytes = std::fs::metadata(font::BUNDLED_PATH).map(|m| m.len()).unwrap_or(0);
            inputs.push(Entry {
                role: "font".into(),
                path: font::BUNDLED_PATH.into(),
                bundled: true,
                sha256: font::BUNDLED_SHA256.into(),
                bytes,
            });
        } else {
            inputs.push(entry("font", &face.source, false, face.data));
        }
    }
    let level = match a.pdfa {
        Level::A2b => pdf::Archive::A2b,
        Level::A1b => pdf::Archive::A1b,
    };
    let bytes = pdf::render(&prepared, level)?;
    let name = format!("{}.pdf", cli::output_stem(&plan, year));
    let [y, mo, d, h, mi, s] = prepared.meta.created;
    let manifest = Manifest {
        shiryo: env!("CARGO_PKG_VERSION").into(),
        pdfa: a.pdfa,
        report_year: year,
        created: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        outputs: vec![entry("pdf", &name, false, &bytes)],
        inputs,
    };
    let mut json = serde_json::to_string_pretty(&manifest)?;
    json.push('\n');
    crate::output::write_all(&a.out, &[(name, bytes), (MANIFEST.into(), json.into_bytes())])
}

/// Recomputes every digest of an archive; returns the mismatches (empty
/// when the archive is intact).
pub fn verify(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}:{}: not a shiryo manifest: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let mut problems = Vec::new();
    let mut check = |e: &Entry, found: std::io::Result<(String, u64)>, shown: &Path| match found {
        Ok((digest, _)) if digest == e.sha256 => {}
        Ok((digest, bytes)) => problems.push(format!(
            "{}: {} changed: expected SHA-256 {}, found {digest} ({bytes} bytes, archived {})",
            shown.display(),
            e.role,
            e.sha256,
            e.bytes
        )),
        Err(err) => problems.push(format!("{}: {} cannot be read: {err}", shown.display(), e.role)),
    };
    let file = |p: &Path| std::fs::read(p).map(|b| (sha256(&b), b.len() as u64));
    for e in &manifest.outputs {
        if e.path.contains('/') || e.path.contains('\\') || e.path.starts_with('.') {
            bail!(
                "{}: output path {:?} is not a file name inside the archive",
                path.display(),
                e.path
            );
        }
        let p = dir.join(&e.path);
        check(e, file(&p), &p);
    }
    for e in &manifest.inputs {
        let p = PathBuf::from(&e.path);
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
        "data" if e.path == cli::EXAMPLE_PATH => Some(of(cli::EXAMPLE_DATA.as_bytes())),
        "layout" => crate::layout::BUNDLED
            .iter()
            .find(|(n, _)| format!("layouts/{n}.json") == e.path)
            .map(|(_, src)| of(src.as_bytes())),
        // Built from the font file whose digest shiryo carries.
        "font" if e.path == font::BUNDLED_PATH => Some((font::BUNDLED_SHA256.to_string(), e.bytes)),
        _ => None,
    };
    found.ok_or_else(|| {
        std::io::Error::other(format!(
            "no such input is built into shiryo {} (archived with shiryo {archived_with})",
            env!("CARGO_PKG_VERSION")
        ))
    })
}
