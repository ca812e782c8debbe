//! The commands behind the `shiryo` binary: their arguments, resolved once
//! into an [`Inputs`] value, and what each command runs.

use crate::archive::{self, Level};
use crate::edition::{Edition, Inputs};
use crate::render::{pdf, xlsx};
use crate::yearly::{import, template};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// Options shared by the commands that read a document.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// The data file (default: data/dai5ki.json, else the bundled example).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the bundled layout the data names).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year: 2024, R6, 令和６年度 … (default: the latest edition).
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub year: Option<i32>,
    /// Print even when a table wider than the page would print its text
    /// below the layout's smallest size (page.min_text_pt).
    #[arg(long)]
    pub allow_small_text: bool,
}

impl InputArgs {
    /// The inputs the arguments name, with what the folder's `shiryo.toml`
    /// says for what they leave out.
    pub fn inputs(&self) -> Result<Inputs, crate::diag::Problems> {
        let found = settings()?;
        Ok(resolve(&found, self.data.clone(), self.layout.clone(), self.year))
    }
}

/// The `shiryo.toml` of the working folder or a folder above it.
fn settings() -> Result<Option<crate::config::Found>, crate::diag::Problems> {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Ok(crate::config::find(&here)?)
}

/// Inputs from options, else the settings; says on stderr when the
/// bundled example is used because nothing names the data.
fn resolve(
    found: &Option<crate::config::Found>,
    data: Option<PathBuf>,
    layout: Option<PathBuf>,
    year: Option<i32>,
) -> Inputs {
    let (data, layout) = match found {
        Some(f) => (
            data.or_else(|| f.path_of(&f.config.data)),
            layout.or_else(|| f.path_of(&f.config.layout)),
        ),
        None => (data, layout),
    };
    if data.is_none() {
        let which = if std::path::Path::new(crate::edition::EXAMPLE_PATH).is_file() {
            format!("the example {}", crate::edition::EXAMPLE_PATH)
        } else {
            "the example built into shiryo".to_string()
        };
        eprintln!(
            "note: no --data and no {} in this folder or above: using {which} (`shiryo init` makes a folder of your own)",
            crate::config::FILE
        );
    }
    Inputs { data, layout, year }
}

/// An output folder: the option, else the settings' key, else the default.
fn out_dir(
    given: &Option<PathBuf>,
    found: &Option<crate::config::Found>,
    key: fn(&crate::config::Config) -> &Option<PathBuf>,
    default: &str,
) -> PathBuf {
    given
        .clone()
        .or_else(|| found.as_ref().and_then(|f| f.path_of(key(&f.config))))
        .unwrap_or_else(|| PathBuf::from(default))
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The spreadsheet.
    Xlsx,
    /// The PDF.
    Pdf,
}

/// `shiryo render`.
#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The output directory (default: the folder's shiryo.toml `out`, else out).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Which outputs to write.
    #[arg(long, value_delimiter = ',', default_value = "xlsx,pdf")]
    pub format: Vec<Format>,
}

/// `shiryo template`.
#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// The data file (default: data/dai5ki.json, else the bundled example).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the bundled layout the data names).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year asked for: 2025, R7, 令和７年度 …
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub year: i32,
    /// Only the rows of this part of the table (a value of the layout's
    /// template.split, e.g. a 担当部署).
    #[arg(long, value_name = "NAME", conflicts_with = "split")]
    pub only: Option<String>,
    /// One workbook per part of the table (per value of the layout's template.split).
    #[arg(long)]
    pub split: bool,
    /// Print even when the table would print its text below the layout's smallest size.
    #[arg(long)]
    pub allow_small_text: bool,
    /// Write over template files that differ from what shiryo wrote there
    /// (returned, filled files, say).
    #[arg(long)]
    pub force: bool,
    /// Protect the sheets with this password (default: protected without one).
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// The output directory (default: the folder's shiryo.toml `templates`, else out/templates).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `shiryo import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Filled templates (xlsx).
    #[arg(required = true, value_name = "FILE.xlsx")]
    pub files: Vec<PathBuf>,
    /// The data file to update (default: data/dai5ki.json in the current directory).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the bundled layout the data names).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year every file must be for: 2025, R7, 令和７年度 … (default: the year of the files).
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub year: Option<i32>,
    /// Show the changes and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A part of the table renamed since the templates were made (a 担当部署, say):
    /// OLD=NEW; may be given several times.
    #[arg(long, value_name = "OLD=NEW", value_parser = parse_rename)]
    pub rename: Vec<(String, String)>,
    /// Import the files that pass and list the refused ones (default: refuse all when one is refused).
    #[arg(long)]
    pub skip_refused: bool,
}

/// `OLD=NEW` of `--rename`.
fn parse_rename(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => {
            Ok((old.trim().to_string(), new.trim().to_string()))
        }
        _ => Err(format!("expected OLD=NEW (e.g. 交通課=都市交通課), found {s:?}")),
    }
}

/// `shiryo archive`.
#[derive(Debug, Clone, clap::Args)]
pub struct ArchiveArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The archive directory (default: the folder's shiryo.toml `archive`, else archive).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The PDF/A level.
    #[arg(long, value_name = "LEVEL", default_value = "2b")]
    pub pdfa: Level,
}

/// Prints a line on stdout; a reader that stopped reading (`| head -1`)
/// ends the program quietly instead of a panic.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

/// File arguments with `*` and `?` in their last part expanded, in name
/// order: Windows shells pass `回収\*.xlsx` on as it is. A pattern that
/// matches nothing is an error naming it.
pub fn expand_wildcards(files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn matches(p: &[char], s: &[char]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some('*'), _) => matches(&p[1..], s) || (!s.is_empty() && matches(p, &s[1..])),
            (Some('?'), Some(_)) => matches(&p[1..], &s[1..]),
            (Some(a), Some(b)) => a == b && matches(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.contains(['*', '?']) || f.exists() {
            out.push(f.clone());
            continue;
        }
        let dir = f
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let pattern: Vec<char> = name.chars().collect();
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the folder {}", dir.display()))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n: Vec<char> = e.file_name().to_string_lossy().chars().collect();
                matches(&pattern, &n)
            })
            .map(|e| dir.join(e.file_name()))
            .collect();
        if found.is_empty() {
            bail!("{}: no file matches", f.display());
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// Renders an edition and writes the files; returns their paths.
pub fn render(a: &RenderArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let inputs = resolve(&found, a.input.data.clone(), a.input.layout.clone(), a.input.year);
    let out = out_dir(&a.out, &found, |c| &c.out, "out");
    let edition = Edition::load(&inputs)?;
    let prepared = crate::check::prepared(&edition)?;
    scale_note(&prepared, a.input.allow_small_text)?;
    let stem = edition.output_stem();
    // The two renderers only read the prepared pages: they run side by side.
    let (xlsx, pdf) = std::thread::scope(|s| {
        let xlsx = a
            .format
            .contains(&Format::Xlsx)
            .then(|| s.spawn(|| xlsx::render(&prepared).context("writing the xlsx")));
        let pdf = a
            .format
            .contains(&Format::Pdf)
            .then(|| pdf::render(&prepared, pdf::Archive::None));
        (
            xlsx.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            pdf,
        )
    });
    let mut files = Vec::new();
    if let Some(bytes) = xlsx {
        files.push((format!("{stem}.xlsx"), bytes?));
    }
    if let Some(bytes) = pdf {
        files.push((format!("{stem}.pdf"), bytes?));
    }
    crate::output::write_all(&out, &files)
}

/// `shiryo check`: a summary line, or every problem.
pub fn check(a: &InputArgs) -> Result<String, crate::diag::Problems> {
    let edition = Edition::load(&a.inputs()?)?;
    let prepared = crate::check::prepared(&edition)?;
    scale_note(&prepared, a.allow_small_text)?;
    Ok(crate::check::summary(&prepared))
}

/// Says on stderr at what scale a table wider than its page prints, and
/// refuses text below the layout's floor unless allowed.
fn scale_note(p: &crate::render::Prepared, allow_small: bool) -> Result<(), crate::diag::Problems> {
    if let Some(note) = crate::check::print_scale(p, allow_small)? {
        eprintln!("note: {note}");
    }
    Ok(())
}

/// Writes the archive copy; returns the paths written.
pub fn archive(a: &ArchiveArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let inputs = resolve(&found, a.input.data.clone(), a.input.layout.clone(), a.input.year);
    let out = out_dir(&a.out, &found, |c| &c.archive, "archive");
    let edition = Edition::load(&inputs)?;
    let prepared = crate::check::prepared(&edition)?;
    scale_note(&prepared, a.input.allow_small_text)?;
    // One folder per edition: archiving another edition never touches it.
    let folder = archive::edition_folder(&out, edition.year);
    let files = archive::archive(&prepared, a.pdfa)?;
    crate::output::write_all(&folder, &files)
}

/// Builds the yearly templates asked for and writes them; returns their
/// paths. With several templates a progress bar is drawn on stderr when it
/// is a terminal; a summary line always goes to stderr.
pub fn template(a: &TemplateArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let out = out_dir(&a.out, &found, |c| &c.templates, "out/templates");
    let edition = Edition::load(&resolve(&found, a.data.clone(), a.layout.clone(), Some(a.year)))?;
    // The same checks as render, on the committee table of that year.
    scale_note(&crate::check::prepared(&edition)?, a.allow_small_text)?;
    let stem = edition.output_stem();
    let jobs: Vec<Option<String>> = match (&a.only, a.split) {
        (Some(d), _) => vec![Some(d.clone())],
        (None, true) => {
            if edition.layout.layout.template.split.is_none() {
                bail!(
                    "{}: the layout does not split templates (it has no template.split); write one template without --split",
                    edition.layout.path.display()
                );
            }
            template::parts(&edition)?.into_iter().map(Some).collect()
        }
        (None, false) => vec![None],
    };
    let bar = if jobs.len() > 1 && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut inputs = 0;
    for job in &jobs {
        let base = match job {
            None => format!("{stem}-template"),
            Some(d) => {
                bar.set_message(d.clone());
                format!("{stem}-{}", template::safe_file_name(d))
            }
        };
        // Two parts whose safe names coincide get numbered files.
        let mut name = format!("{base}.xlsx");
        let mut n = 2;
        while files.iter().any(|(f, _)| f == &name) {
            name = format!("{base}-{n}.xlsx");
            n += 1;
        }
        template::path_in(&out, &name)?;
        let built = template::build(&edition, job.as_deref(), a.password.as_deref())?;
        inputs += built.identity.inputs.len();
        files.push((name, built.bytes));
        bar.inc(1);
    }
    bar.finish_and_clear();
    // Never over a returned file: only over what shiryo itself wrote there.
    let record_path = out.join(WRITTEN);
    let mut record: std::collections::BTreeMap<String, String> = std::fs::read_to_string(&record_path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(h, n)| (n.to_string(), h.to_string())))
        .collect();
    if !a.force {
        for (name, _) in &files {
            let path = out.join(name);
            let Ok(bytes) = std::fs::read(&path) else { continue };
            if record.get(name) != Some(&crate::archive::sha256(&bytes)) {
                bail!(
                    "{} is not the template shiryo wrote there (a returned file?): nothing was written; \
                     move it elsewhere, write into another folder with --out, or replace it with --force",
                    path.display()
                );
            }
        }
    }
    for (name, bytes) in &files {
        record.insert(name.clone(), crate::archive::sha256(bytes));
    }
    let listing: String = record.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
    files.push((WRITTEN.to_string(), listing.into_bytes()));
    let mut written = crate::output::write_all(&out, &files)?;
    written.retain(|p| !p.ends_with(WRITTEN));
    eprintln!(
        "{} template{} for {} ({} input cells) in {}",
        written.len(),
        if written.len() == 1 { "" } else { "s" },
        crate::era::full_width_digits(&crate::era::fiscal_year(edition.year)),
        inputs,
        out.display()
    );
    Ok(written)
}

/// The list of templates shiryo wrote into a folder, with their digests.
const WRITTEN: &str = ".shiryo-templates";

/// Imports filled templates: prints the changes on stdout, one per line,
/// and writes the store atomically unless `--dry-run` is given or nothing
/// changed; returns the store's path when it was written.
pub fn import(a: &ImportArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let path = a
        .data
        .clone()
        .or_else(|| found.as_ref().and_then(|f| f.path_of(&f.config.data)))
        .unwrap_or_else(|| PathBuf::from(crate::edition::EXAMPLE_PATH));
    let layout = a
        .layout
        .clone()
        .or_else(|| found.as_ref().and_then(|f| f.path_of(&f.config.layout)));
    if !path.is_file() {
        bail!(
            "no store at {}: name the data file to update with --data FILE",
            path.display()
        );
    }
    // One writer at a time, from reading the store to writing it back.
    let lock = crate::output::StoreLock::take(&path)?;
    let store = Edition::load(&Inputs {
        data: Some(path.clone()),
        layout: layout.clone(),
        year: None,
    })
    .or_else(|e| {
        // A store without editions yet: any year of it will do for loading.
        if e.0.iter().any(|p| p.message.contains("no editions")) {
            Edition::load(&Inputs {
                data: Some(path.clone()),
                layout: layout.clone(),
                year: a.year,
            })
        } else {
            Err(e)
        }
    })?;
    let files = expand_wildcards(&a.files)?;
    let outcome = import::import(
        &store,
        &files,
        &import::Options {
            year: a.year,
            renames: a.rename.clone(),
            skip_refused: a.skip_refused,
        },
    )?;
    for c in &outcome.changes {
        say(c);
    }
    for s in &outcome.skipped {
        eprintln!("skipped: {s}");
    }
    if !outcome.refused.is_empty() {
        for p in &outcome.refused {
            eprintln!("refused: {p}");
        }
        let files: std::collections::BTreeSet<&std::path::Path> =
            outcome.refused.iter().map(|p| p.file.as_path()).collect();
        eprintln!(
            "{} file{} refused and not imported (--skip-refused); the others were",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
    }
    let n = outcome.changes.len();
    let files = files.len();
    let summary = format!(
        "{n} change{} for {} from {files} file{}",
        if n == 1 { "" } else { "s" },
        crate::era::full_width_digits(&crate::era::fiscal_year(outcome.year)),
        if files == 1 { "" } else { "s" }
    );
    match outcome.store {
        None => {
            eprintln!("no changes: {} is unchanged", path.display());
            Ok(Vec::new())
        }
        Some(_) if a.dry_run => {
            eprintln!("dry run: {summary}; nothing written");
            Ok(Vec::new())
        }
        Some(text) => {
            let backup = crate::output::replace_store(&lock, text.as_bytes())?;
            eprintln!(
                "{summary}; wrote {} (the previous version is {})",
                path.display(),
                backup.display()
            );
            Ok(vec![path])
        }
    }
}
