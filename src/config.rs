//! A working folder of the office's own: `shiryo init` writes one (the data
//! file, an editable copy of the layout and `shiryo.toml`), and every
//! command run in that folder, or in a folder below it, takes its data,
//! layout and output folders from `shiryo.toml` when no option names them.
//!
//! ```toml
//! # shiryo's settings for this folder
//! data = "data/dai5ki.json"
//! layout = "layouts/shiryo2-dai5ki.json"
//! out = "out"
//! templates = "out/templates"
//! archive = "archive"
//! ```
//!
//! Paths are relative to the folder holding `shiryo.toml`.

use crate::diag::Problem;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings file's name.
pub const FILE: &str = "shiryo.toml";

/// The settings of a working folder.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The data file.
    pub data: Option<PathBuf>,
    /// The layout file.
    pub layout: Option<PathBuf>,
    /// Where `render` writes.
    pub out: Option<PathBuf>,
    /// Where `template` writes.
    pub templates: Option<PathBuf>,
    /// Where `archive` writes.
    pub archive: Option<PathBuf>,
}

/// A `shiryo.toml` found, with its folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// The folder holding it; its paths are relative to this.
    pub dir: PathBuf,
    /// The file.
    pub path: PathBuf,
    /// What it says.
    pub config: Config,
}

impl Found {
    /// A path of the settings, from the working directory.
    pub fn path_of(&self, p: &Option<PathBuf>) -> Option<PathBuf> {
        p.as_ref().map(|p| self.dir.join(p))
    }
}

/// The `shiryo.toml` of `start` or of the nearest folder above it.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("shiryo.toml"), "data = \"d.json\"\n").unwrap();
/// std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
/// let found = shiryo::config::find(&dir.path().join("a/b")).unwrap().unwrap();
/// assert_eq!(found.path_of(&found.config.data).unwrap(), dir.path().join("d.json"));
/// ```
pub fn find(start: &Path) -> Result<Option<Found>, Problem> {
    for dir in start.ancestors() {
        let path = dir.join(FILE);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Problem::new(
                &path,
                "",
                crate::lang::tr!("cannot read it: {error}", error = crate::lang::io_error(&e)),
            )
        })?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let place = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    crate::lang::tr!("line {line}", line = line)
                })
                .unwrap_or_default();
            Problem::new(
                &path,
                place,
                crate::lang::tr!(
                    "{error}; expected lines such as data = \"data/plan.json\" (keys: data, layout, out, templates, archive)",
                    error = e.message()
                ),
            )
        })?;
        return Ok(Some(Found {
            dir: dir.to_path_buf(),
            path,
            config,
        }));
    }
    Ok(None)
}

/// The bundled example data files: (file stem, source).
pub const EXAMPLES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_data.rs"));

/// Writes a working folder into `dir` from a bundled layout (its name, or
/// `example` for the 資料２ example): the layout's data from the bundled
/// examples as `data/STEM.json`, an editable copy of the layout as
/// `layouts/NAME.json`, and `shiryo.toml`. Refuses a folder that already
/// has any of these files. Returns the files written.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let files = shiryo::config::init(dir.path(), "hyoka-sheet").unwrap();
/// assert!(files.iter().any(|f| f.ends_with("layouts/hyoka-sheet.json")));
/// assert!(dir.path().join("shiryo.toml").is_file());
/// ```
pub fn init(dir: &Path, from: &str) -> Result<Vec<PathBuf>> {
    let name = if from == "example" { "shiryo2-dai5ki" } else { from };
    let Some((_, layout_src)) = crate::layout::BUNDLED.iter().find(|(n, _)| *n == name) else {
        bail!(
            "{}",
            crate::lang::tr!(
                "--from {from}: expected \"example\" or a bundled layout ({names})",
                from = format!("{from:?}"),
                names = crate::layout::BUNDLED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
    };
    let example = EXAMPLES
        .iter()
        .find(|(_, src)| {
            serde_json::from_str::<serde_json::Value>(src)
                .ok()
                .and_then(|v| v.get("layout").and_then(|l| l.as_str()).map(|l| l == name))
                .unwrap_or(false)
        })
        .with_context(|| crate::lang::tr!("no bundled example data is made for the layout {name}", name = name))?;
    let data_rel = PathBuf::from("data").join(format!("{}.json", example.0));
    let layout_rel = PathBuf::from("layouts").join(format!("{name}.json"));
    let settings = format!(
        "# shiryo's settings for this folder: commands run here, or in a folder\n\
         # below, use them when no option says otherwise. Paths are relative to\n\
         # this file.\n\
         data = \"{}\"\n\
         layout = \"{}\"\n\
         out = \"out\"\n\
         templates = \"out/templates\"\n\
         archive = \"archive\"\n",
        data_rel.display().to_string().replace('\\', "/"),
        layout_rel.display().to_string().replace('\\', "/")
    );
    let files: Vec<(PathBuf, &[u8])> = vec![
        (data_rel, example.1.as_bytes()),
        (layout_rel, layout_src.as_bytes()),
        (PathBuf::from(FILE), settings.as_bytes()),
    ];
    for (rel, _) in &files {
        let p = dir.join(rel);
        if p.exists() {
            bail!(
                "{}",
                crate::lang::tr!(
                    "{file} exists already: shiryo init writes nothing over a file",
                    file = p.display()
                )
            );
        }
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let p = dir.join(&rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| crate::lang::tr!("cannot create {dir}", dir = parent.display()))?;
        }
        crate::output::write_atomic(&p, bytes)?;
        written.push(p);
    }
    Ok(written)
}
