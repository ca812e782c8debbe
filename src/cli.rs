//! The subcommands behind the `shiryo` binary.

use crate::data::{self, LoadedPlan};
use crate::diag::Problems;
use crate::layout::{self, LoadedLayout};
use crate::render::{pdf, xlsx};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The bundled example plan.
pub const EXAMPLE_DATA: &str = include_str!("../data/dai5ki.json");
/// The path the bundled example is known by.
pub const EXAMPLE_PATH: &str = "data/dai5ki.json";

/// Options shared by the commands that read a plan.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// The plan data file (default: the bundled example, data/dai5ki.json).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the layout the data names, from the bundled set).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year as a fiscal year, e.g. 2024 for 令和６年度 (default: the latest edition).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
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
    /// The output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Which outputs to write.
    #[arg(long, value_delimiter = ',', default_value = "xlsx,pdf")]
    pub format: Vec<Format>,
}

/// `shiryo template`.
#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// The plan data file (default: the bundled example, data/dai5ki.json).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the layout the data names, from the bundled set).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year the departments answer for, as a fiscal year (2025 for 令和７年度).
    #[arg(long, value_name = "YEAR")]
    pub year: i32,
    /// Only this department's rows (a 担当部署 of the data).
    #[arg(long, value_name = "NAME", conflicts_with = "per_department")]
    pub department: Option<String>,
    /// One workbook per department.
    #[arg(long)]
    pub per_department: bool,
    /// Protect the sheets with this password (default: protected without one).
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// The output directory.
    #[arg(long, value_name = "DIR", default_value = "out/templates")]
    pub out: PathBuf,
}

/// `shiryo import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Filled templates (xlsx).
    #[arg(required = true, value_name = "FILE.xlsx")]
    pub files: Vec<PathBuf>,
    /// The plan data file to update (default: data/dai5ki.json in the current directory).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the layout the data names, from the bundled set).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// The report year every file must be for (default: the year of the files).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Show the changes and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Loads the plan: the file given; else `data/dai5ki.json` in the current
/// directory when there is one (the example as `shiryo import` updates
/// it); else the bundled copy of the example.
pub fn load_plan(path: Option<&Path>) -> Result<LoadedPlan, Problems> {
    match path {
        Some(p) => data::load(p),
        // The example as edited in place (by `shiryo import`), else the bundled copy.
        None if Path::new(EXAMPLE_PATH).is_file() => data::load(Path::new(EXAMPLE_PATH)),
        None => data::parse(Path::new(EXAMPLE_PATH), EXAMPLE_DATA),
    }
}

/// Loads the layout: the file given, or the bundled layout the plan names.
pub fn load_layout(path: Option<&Path>, plan: &LoadedPlan) -> Result<LoadedLayout, Problems> {
    match path {
        Some(p) => layout::load(p),
        None => layout::bundled(&plan.plan.layout).ok_or_else(|| {
            crate::diag::Problem::new(
                &plan.path,
                "layout",
                format!(
                    "no bundled layout is named {:?} (bundled: {}); give one with --layout FILE",
                    plan.plan.layout,
                    layout::BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ),
            )
            .into()
        }),
    }
}

/// The report year: as given, else the plan's latest edition.
pub fn report_year(arg: Option<i32>, plan: &LoadedPlan) -> Result<i32> {
    let p = &plan.plan;
    let year = match arg.or_else(|| p.latest_year()) {
        Some(y) => y,
        None => bail!("the plan lists no editions; give the report year with --year"),
    };
    if year < p.baseline_year || year > p.last_year() {
        bail!(
            "--year {year}: expected a fiscal year from {} to {} (the years of {})",
            p.baseline_year,
            p.last_year(),
            plan.path.display()
        );
    }
    Ok(year)
}

/// The stem of output file names: the data file's stem and the short era year.
pub fn output_stem(plan: &LoadedPlan, year: i32) -> String {
    let stem = plan.path.file_stem().and_then(|s| s.to_str()).unwrap_or("shiryo");
    format!("{stem}-{}", crate::era::short(year))
}

/// Builds the yearly templates asked for and writes them; returns their
/// paths. With several templates a progress bar is drawn on stderr when it
/// is a terminal; a summary line always goes to stderr.
pub fn template(a: &TemplateArgs) -> Result<Vec<PathBuf>> {
    use crate::template::{Rows, build, departments, path_in, safe_file_name};
    // The same checks as render, on the committee table of that year.
    let input = InputArgs {
        data: a.data.clone(),
        layout: a.layout.clone(),
        year: Some(a.year),
    };
    crate::check::prepare(&input, false)?;
    let plan = load_plan(a.data.as_deref())?;
    let layout = load_layout(a.layout.as_deref(), &plan)?;
    let year = report_year(Some(a.year), &plan)?;
    let stem = output_stem(&plan, year);
    let all = departments(&plan);
    let jobs: Vec<Rows> = match (&a.department, a.per_department) {
        (Some(d), _) => {
            if !all.contains(d) {
                bail!(
                    "--department {d:?}: no indicator of {} has this department (departments: {})",
                    plan.path.display(),
                    all.join(", ")
                );
            }
            vec![Rows::Department(d.clone())]
        }
        (None, true) => all.iter().cloned().map(Rows::Department).collect(),
        (None, false) => vec![Rows::All],
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
            Rows::All => format!("{stem}-template"),
            Rows::Department(d) => {
                bar.set_message(d.clone());
                format!("{stem}-{}", safe_file_name(d))
            }
        };
        // Two departments whose safe names coincide get numbered files.
        let mut name = format!("{base}.xlsx");
        let mut n = 2;
        while files.iter().any(|(f, _)| f == &name) {
            name = format!("{base}-{n}.xlsx");
            n += 1;
        }
        path_in(&a.out, &name)?;
        let built = build(&plan, &layout, year, job, a.password.as_deref())?;
        inputs += built.identity.inputs.len();
        files.push((name, built.bytes));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let written = crate::output::write_all(&a.out, &files)?;
    eprintln!(
        "{} template{} for {} ({} input cells) in {}",
        written.len(),
        if written.len() == 1 { "" } else { "s" },
        crate::era::full_width_digits(&crate::era::fiscal_year(year)),
        inputs,
        a.out.display()
    );
    Ok(written)
}

/// Imports filled templates: prints the changes on stdout, one per line,
/// and writes the store atomically unless `--dry-run` is given or nothing
/// changed; returns the store's path when it was written.
pub fn import(a: &ImportArgs) -> Result<Vec<PathBuf>> {
    let path = a.data.clone().unwrap_or_else(|| PathBuf::from(EXAMPLE_PATH));
    if !path.is_file() {
        bail!(
            "no store at {}: name the plan data file to update with --data FILE",
            path.display()
        );
    }
    let plan = data::load(&path)?;
    let layout = load_layout(a.layout.as_deref(), &plan)?;
    let outcome = crate::import::import(&plan, &layout, &a.files, a.year)?;
    for c in &outcome.changes {
        println!("{c}");
    }
    let n = outcome.changes.len();
    let files = a.files.len();
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
            crate::output::write_atomic(&path, text.as_bytes())?;
            eprintln!("{summary}; wrote {}", path.display());
            Ok(vec![path])
        }
    }
}

/// Renders an edition and writes the files; returns their paths.
pub fn render(a: &RenderArgs) -> Result<Vec<PathBuf>> {
    let (plan, year, prepared) = crate::check::prepare(&a.input, false)?;
    let stem = output_stem(&plan, year);
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
    crate::output::write_all(&a.out, &files)
}
