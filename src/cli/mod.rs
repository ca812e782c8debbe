//! The commands behind the `shiryo` binary: their arguments, resolved once
//! into an [`Inputs`] value, and what each command runs.

mod args;
mod help;

pub use args::*;

use crate::archive;
use crate::edition::{Edition, Inputs};
use crate::lang::plural;
use crate::lang::tr;
use crate::render::{pdf, xlsx};
use crate::yearly::{import, template};
use anyhow::{Context, Result, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;

/// The program: reads the command line in the user's language, runs the
/// command, and says what went wrong on stderr.
///
/// Exit codes: 0 success; 1 invalid input, a failed check or a failed
/// write; 2 wrong usage.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    crate::lang::set(crate::lang::detect(help::asked_lang(&args)));
    let cli = match help::parse(args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    run(cli.command).unwrap_or_else(|e| {
        eprintln!("{}", tr!("error: {error}", error = describe(&e)));
        ExitCode::from(1)
    })
}

/// An error with its causes, as `{:#}` shows it, system errors in the
/// run's language.
fn describe(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => crate::lang::io_error(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Runs one command.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Render(a) => render(&a).map(print_paths),
        Command::Template(a) => template(&a).map(print_paths),
        Command::Import(a) => import(&a).map(print_paths),
        Command::Archive(a) => archive(&a).map(print_paths),
        Command::Diff(a) => diff(&a).map(|()| ExitCode::SUCCESS),
        Command::Status(a) => status(&a).map(|()| ExitCode::SUCCESS),
        Command::Verify { dir } => archive::verify(&dir).map(|problems| {
            if problems.is_empty() {
                say(tr!("{dir}: intact", dir = dir.display()));
                ExitCode::SUCCESS
            } else {
                for p in &problems {
                    say(p);
                }
                ExitCode::from(1)
            }
        }),
        Command::Check(input) => match check(&input) {
            Ok(summary) => {
                say(summary);
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for p in &problems.0 {
                    eprintln!("{p}");
                }
                let n = problems.0.len();
                eprintln!("{}", tr!("{n} problem{_s} found", n = n, _s = plural(n)));
                Ok(ExitCode::from(1))
            }
        },
        Command::Init { dir, from } => crate::config::init(&dir, &from).map(print_paths),
        Command::Layouts => {
            for (name, _) in crate::layout::BUNDLED {
                let l = crate::layout::bundled(name).expect("bundled layouts parse");
                say(format_args!("{name}\t{}", l.layout.description));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut cmd = help::command();
            clap_complete::generate(shell, &mut cmd, "shiryo", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which, layout } => {
            let schema = match which {
                Which::Data => data_schema(layout.as_deref()),
                Which::Layout => Ok(crate::layout::schema::layout()),
            };
            schema.map(|s| {
                say(serde_json::to_string_pretty(&s).expect("JSON"));
                ExitCode::SUCCESS
            })
        }
    }
}

/// The JSON Schema of the data of a layout.
fn data_schema(layout: Option<&str>) -> Result<serde_json::Value> {
    let loaded = match layout {
        None => crate::layout::bundled("shiryo2-dai5ki")
            .ok_or_else(|| anyhow!(tr!("the example layout is not built in")))?,
        Some(n) => match crate::layout::bundled(n) {
            Some(l) => l,
            None => crate::layout::load(&PathBuf::from(n))?,
        },
    };
    let shape = crate::edition::read_shape(&loaded)?;
    Ok(crate::shape::schema::json_schema(&shape))
}

/// Prints the paths a command wrote, one per line.
fn print_paths(paths: Vec<PathBuf>) -> ExitCode {
    for p in paths {
        say(p.display());
    }
    ExitCode::SUCCESS
}

impl InputArgs {
    /// The inputs the arguments name, with what the folder's `shiryo.toml`
    /// says for what they leave out.
    pub fn inputs(&self) -> Result<Inputs, crate::diag::Problems> {
        let found = settings()?;
        Ok(resolve(&found, &self.doc, self.year))
    }
}

/// The `shiryo.toml` of the working folder or a folder above it.
fn settings() -> Result<Option<crate::config::Found>, crate::diag::Problems> {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Ok(crate::config::find(&here)?)
}

/// Inputs from options, else the settings; says on stderr when the
/// bundled example is used because nothing names the data.
fn resolve(found: &Option<crate::config::Found>, doc: &DocumentArgs, year: Option<i32>) -> Inputs {
    let (data, layout) = (doc.data.clone(), doc.layout.clone());
    let (data, layout) = match found {
        Some(f) => (
            data.or_else(|| f.path_of(&f.config.data)),
            layout.or_else(|| f.path_of(&f.config.layout)),
        ),
        None => (data, layout),
    };
    if data.is_none() {
        let which = if std::path::Path::new(crate::edition::EXAMPLE_PATH).is_file() {
            tr!("the example {file}", file = crate::edition::EXAMPLE_PATH)
        } else {
            tr!("the example built into shiryo")
        };
        eprintln!(
            "{}",
            tr!(
                "note: no --data and no {config} in this folder or above: using {which} (`shiryo init` makes a folder of your own)",
                config = crate::config::FILE,
                which = which
            )
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

/// Prints a line on stdout; a reader that stopped reading (`| head -1`)
/// ends the program quietly instead of a panic.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!(
            "{}",
            tr!(
                "error: cannot write to stdout: {error}",
                error = crate::lang::io_error(&e)
            )
        );
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
            .with_context(|| tr!("cannot read the folder {dir}", dir = dir.display()))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n: Vec<char> = e.file_name().to_string_lossy().chars().collect();
                matches(&pattern, &n)
            })
            .map(|e| dir.join(e.file_name()))
            .collect();
        if found.is_empty() {
            return Err(anyhow!(tr!("{file}: no file matches", file = f.display())));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// Renders an edition and writes the files; returns their paths.
pub fn render(a: &RenderArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let out = out_dir(&a.out, &found, |c| &c.out, "out");
    let edition = Edition::load(&resolve(&found, &a.input.doc, a.input.year))?;
    let prepared = checked(&edition, a.input.allow_small_text)?;
    completeness_note(&edition, &prepared, &tr!("note: "));
    let stem = edition.output_stem();
    // The two renderers only read the prepared pages: they run side by side.
    let (xlsx, pdf) = std::thread::scope(|s| {
        let xlsx = a
            .format
            .contains(&Format::Xlsx)
            .then(|| s.spawn(|| xlsx::render(&prepared).with_context(|| tr!("writing the xlsx"))));
        let pdf = a.format.contains(&Format::Pdf).then(|| {
            let settings = pdf::Settings {
                tagged: !a.no_tags,
                archive: pdf::Archive::None,
            };
            pdf::render(&prepared, settings)
        });
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
    let prepared = checked(&edition, a.allow_small_text)?;
    completeness_note(&edition, &prepared, &tr!("warning: "));
    Ok(crate::check::summary(&prepared))
}

/// The edition checked and laid out, its print scale said on stderr:
/// what render, check, archive and template start from.
fn checked(edition: &Edition, allow_small: bool) -> Result<crate::render::Prepared<'_>, crate::diag::Problems> {
    let prepared = crate::check::prepared(edition)?;
    scale_note(&prepared, allow_small)?;
    Ok(prepared)
}

/// Says on stderr at what scale a table wider than its page prints, and
/// refuses text below the layout's floor unless allowed.
fn scale_note(p: &crate::render::Prepared, allow_small: bool) -> Result<(), crate::diag::Problems> {
    if let Some(note) = crate::check::print_scale(p, allow_small)? {
        eprintln!("{}", tr!("note: {note}", note = note));
    }
    Ok(())
}

/// Prints a change report on stdout: a table, or JSON.
fn print_changes(changes: &[crate::yearly::report::Change], json: bool) {
    use crate::yearly::report;
    if json {
        say(report::json(changes));
    } else if !changes.is_empty() {
        say(report::table(changes).trim_end());
    }
}

/// `shiryo status`: who has answered, on stdout.
pub fn status(a: &StatusArgs) -> Result<()> {
    let found = settings()?;
    let edition = Edition::load(&resolve(&found, &a.doc, a.year))?;
    let templates = out_dir(&a.templates, &found, |c| &c.templates, "out/templates");
    let grid = crate::table::build(&edition, &Default::default())?;
    let files = expand_wildcards(&a.files)?;
    let s = crate::yearly::status::status(&edition, &grid, Some(&templates), &files)?;
    if a.json {
        say(serde_json::to_string_pretty(&s).expect("status is JSON"));
    } else {
        say(crate::yearly::status::table(&s).trim_end());
    }
    Ok(())
}

/// `shiryo diff`: the changes between two editions on stdout; a summary
/// on stderr.
pub fn diff(a: &DiffArgs) -> Result<()> {
    let found = settings()?;
    let later = Edition::load(&resolve(&found, &a.doc, a.to))?;
    let earlier = later.for_year(a.from)?;
    let changes = crate::yearly::diff::diff(&earlier, &later)?;
    print_changes(&changes, a.json);
    let era = |y| crate::era::full_width_digits(&crate::era::fiscal_year(y));
    eprintln!(
        "{}",
        tr!(
            "{n} change{_s} from the {from} edition to the {to} edition",
            n = changes.len(),
            _s = plural(changes.len()),
            from = era(earlier.year),
            to = era(later.year)
        )
    );
    Ok(())
}

/// Says on stderr when the report year's inputs are not all answered
/// yet (the office may still print a draft).
fn completeness_note(edition: &Edition, p: &crate::render::Prepared, label: &str) {
    let Ok(s) = crate::yearly::status::status(edition, &p.grid, None, &[]) else {
        return;
    };
    if let Some(n) = crate::yearly::status::incomplete(&s) {
        eprintln!("{label}{n}");
    }
}

/// Writes the archive copy; returns the paths written.
pub fn archive(a: &ArchiveArgs) -> Result<Vec<PathBuf>> {
    let found = settings()?;
    let out = out_dir(&a.out, &found, |c| &c.archive, "archive");
    let edition = Edition::load(&resolve(&found, &a.input.doc, a.input.year))?;
    let prepared = checked(&edition, a.input.allow_small_text)?;
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
    let edition = Edition::load(&resolve(&found, &a.doc, Some(a.year)))?;
    // The same checks as render, on the committee table of that year.
    checked(&edition, a.allow_small_text)?;
    let stem = edition.output_stem();
    let jobs: Vec<Option<String>> = match (&a.only, a.split) {
        (Some(d), _) => vec![Some(d.clone())],
        (None, true) => {
            if edition.layout.layout.template.split.is_none() {
                return Err(anyhow!(tr!(
                    "{file}: the layout does not split templates (it has no template.split); write one template without --split",
                    file = edition.layout.path.display()
                )));
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
    let mut record: std::collections::BTreeMap<String, String> =
        crate::yearly::status::record(&out).into_iter().collect();
    if !a.force {
        for (name, _) in &files {
            let path = out.join(name);
            let Ok(bytes) = std::fs::read(&path) else { continue };
            if record.get(name) != Some(&crate::archive::sha256(&bytes)) {
                return Err(anyhow!(tr!(
                    "{file} is not the template shiryo wrote there (a returned file?): nothing was written; \
                     move it elsewhere, write into another folder with --out, or replace it with --force",
                    file = path.display()
                )));
            }
        }
    }
    for (name, bytes) in &files {
        record.insert(name.clone(), crate::archive::sha256(bytes));
    }
    let listing: String = record.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
    files.push((RECORD.to_string(), listing.into_bytes()));
    let mut written = crate::output::write_all(&out, &files)?;
    written.retain(|p| !p.ends_with(RECORD));
    eprintln!(
        "{}",
        tr!(
            "{n} template{_s} for {year} ({inputs} input cells) in {dir}",
            n = written.len(),
            _s = plural(written.len()),
            year = crate::era::full_width_digits(&crate::era::fiscal_year(edition.year)),
            inputs = inputs,
            dir = out.display()
        )
    );
    Ok(written)
}

use crate::yearly::status::RECORD;

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
        return Err(anyhow!(tr!(
            "no store at {file}: name the data file to update with --data FILE",
            file = path.display()
        )));
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
        if e.0.iter().any(|p| p.message == crate::edition::no_editions()) {
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
    print_changes(&outcome.changes, a.json);
    for s in &outcome.skipped {
        eprintln!("{}", tr!("skipped: {item}", item = s));
    }
    if !outcome.refused.is_empty() {
        for p in &outcome.refused {
            eprintln!("{}", tr!("refused: {problem}", problem = p));
        }
        let files: std::collections::BTreeSet<&std::path::Path> =
            outcome.refused.iter().map(|p| p.file.as_path()).collect();
        eprintln!(
            "{}",
            tr!(
                "{n} file{_s} refused and not imported (--skip-refused); the others were",
                n = files.len(),
                _s = plural(files.len())
            )
        );
    }
    let n = outcome.changes.len();
    let files = files.len();
    let summary = tr!(
        "{n} change{_s} for {year} from {files} file{_s2}",
        n = n,
        _s = plural(n),
        year = crate::era::full_width_digits(&crate::era::fiscal_year(outcome.year)),
        files = files,
        _s2 = plural(files)
    );
    match outcome.store {
        None => {
            eprintln!("{}", tr!("no changes: {file} is unchanged", file = path.display()));
            Ok(Vec::new())
        }
        Some(_) if a.dry_run => {
            eprintln!("{}", tr!("dry run: {summary}; nothing written", summary = summary));
            Ok(Vec::new())
        }
        Some(text) => {
            let backup = crate::output::replace_store(&lock, text.as_bytes())?;
            eprintln!(
                "{}",
                tr!(
                    "{summary}; wrote {file} (the previous version is {backup})",
                    summary = summary,
                    file = path.display(),
                    backup = backup.display()
                )
            );
            Ok(vec![path])
        }
    }
}
