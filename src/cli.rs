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

/// Loads the plan: the file given, or the bundled example.
pub fn load_plan(path: Option<&Path>) -> Result<LoadedPlan, Problems> {
    match path {
        Some(p) => data::load(p),
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
        None => bail!(
            "{}: the plan lists no editions; give the report year with --year",
            plan.path.display()
        ),
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

/// Renders an edition and writes the files; returns their paths.
pub fn render(a: &RenderArgs) -> Result<Vec<PathBuf>> {
    let (plan, year, prepared) = crate::check::prepare(&a.input, false)?;
    let stem = output_stem(&plan, year);
    let mut files = Vec::new();
    if a.format.contains(&Format::Xlsx) {
        files.push((
            format!("{stem}.xlsx"),
            xlsx::render(&prepared).context("writing the xlsx")?,
        ));
    }
    if a.format.contains(&Format::Pdf) {
        files.push((format!("{stem}.pdf"), pdf::render(&prepared, pdf::Archive::None)?));
    }
    crate::output::write_all(&a.out, &files)
}
