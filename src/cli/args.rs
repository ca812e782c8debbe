//! The command line's arguments, as clap reads them. The commands take
//! them resolved (see [`super`]).

use crate::archive::Level;
use crate::lang::Lang;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// shiryo (資料): the official committee tables of a welfare plan, as xlsx and PDF.
#[derive(Parser)]
#[command(name = "shiryo", version, about, long_about = None)]
pub struct Cli {
    /// The language of messages and help: ja or en (default: the system's).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Render an edition's tables (xlsx and PDF) into the output directory.
    Render(RenderArgs),
    /// Write the yearly input templates each part of the office fills in.
    Template(TemplateArgs),
    /// Read filled templates back into the data file.
    Import(ImportArgs),
    /// Write the archive copy: the edition's PDF as PDF/A with a manifest of digests.
    Archive(ArchiveArgs),
    /// Show who has answered for a report year: per part of the table, templates issued and returned, values answered, blank and provisional.
    Status(StatusArgs),
    /// Show what changed between two editions: values, notes and texts, per part of the table.
    Diff(DiffArgs),
    /// Recompute an archive's digests and report any mismatch (exit 1).
    Verify {
        /// The archive directory (holding manifest.json).
        dir: std::path::PathBuf,
    },
    /// Check data, layout and report year; report every problem at once (exit 1).
    Check(InputArgs),
    /// Make a working folder of your own: the data, an editable copy of the
    /// layout and shiryo.toml, which commands run in that folder then use.
    Init {
        /// The folder (default: this one).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// A bundled layout to start from, with its example data (default: example, 資料２).
        #[arg(long, value_name = "LAYOUT", default_value = "example")]
        from: String,
    },
    /// List the bundled layouts.
    Layouts,
    /// Print a shell's completion script (bash, zsh, powershell, fish, elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of a layout's data files, or of layout files.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        which: Which,
        /// For `data`: the layout whose data (a bundled layout's name or a
        /// layout file; default: the example's).
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
    },
}

/// The schemas `shiryo schema` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// The data files of a layout (from the shape it names).
    Data,
    /// Layout files.
    Layout,
}

/// The document a command reads: its data and layout files.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DocumentArgs {
    /// The data file (default: data/dai5ki.json, else the bundled example).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// A layout file (default: the bundled layout the data names).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
}

/// Options shared by the commands that read a document.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    #[command(flatten)]
    pub doc: DocumentArgs,
    /// The report year: 2024, R6, 令和６年度 … (default: the latest edition).
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub year: Option<i32>,
    /// Print even when a table wider than the page would print its text
    /// below the layout's smallest size (page.min_text_pt).
    #[arg(long)]
    pub allow_small_text: bool,
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
    /// Write the PDF untagged, without PDF/UA-1: a smaller file that screen
    /// readers read as loose text (default: tagged).
    #[arg(long)]
    pub no_tags: bool,
}

/// `shiryo template`.
#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub doc: DocumentArgs,
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
    /// Print the changes as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
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

/// `shiryo status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    /// Filled templates that came back but are not imported yet (xlsx).
    #[arg(value_name = "FILE.xlsx")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub doc: DocumentArgs,
    /// The report year: 2025, R7, 令和７年度 … (default: the latest edition).
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub year: Option<i32>,
    /// The folder the templates were written to (default: the folder's shiryo.toml `templates`, else out/templates).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Print the status as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `shiryo diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub doc: DocumentArgs,
    /// The earlier edition: 2024, R6, 令和６年度 …
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub from: i32,
    /// The later edition (default: the latest edition).
    #[arg(long, value_name = "YEAR", value_parser = crate::era::parse_year)]
    pub to: Option<i32>,
    /// Print the changes as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
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
    #[arg(long, value_name = "LEVEL", default_value = "2a")]
    pub pdfa: Level,
}
