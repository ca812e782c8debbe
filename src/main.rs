//! The `shiryo` command line.
//!
//! Exit codes: 0 success; 1 invalid input, a failed check or a failed
//! write; 2 wrong usage.

use clap::{Parser, Subcommand};
use shiryo::{archive, cli};
use std::path::PathBuf;
use std::process::ExitCode;

/// shiryo (資料): the official committee tables of a welfare plan, as xlsx and PDF.
#[derive(Parser)]
#[command(name = "shiryo", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render an edition's tables (xlsx and PDF) into the output directory.
    Render(cli::RenderArgs),
    /// Write the yearly input templates each part of the office fills in.
    Template(cli::TemplateArgs),
    /// Read filled templates back into the data file.
    Import(cli::ImportArgs),
    /// Write the archive copy: the edition's PDF as PDF/A with a manifest of digests.
    Archive(cli::ArchiveArgs),
    /// Recompute an archive's digests and report any mismatch (exit 1).
    Verify {
        /// The archive directory (holding manifest.json).
        dir: std::path::PathBuf,
    },
    /// Check data, layout and report year; report every problem at once (exit 1).
    Check(cli::InputArgs),
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
enum Which {
    /// The data files of a layout (from the shape it names).
    Data,
    /// Layout files.
    Layout,
}

/// The JSON Schema of the data of a layout.
fn data_schema(layout: Option<&str>) -> anyhow::Result<serde_json::Value> {
    let loaded = match layout {
        None => {
            shiryo::layout::bundled("shiryo2-dai5ki").ok_or_else(|| anyhow::anyhow!("no bundled example layout"))?
        }
        Some(n) => match shiryo::layout::bundled(n) {
            Some(l) => l,
            None => shiryo::layout::load(&PathBuf::from(n))?,
        },
    };
    let shape = shiryo::edition::read_shape(&loaded)?;
    Ok(shiryo::shape::schema::json_schema(&shape))
}

fn print_paths(paths: Vec<std::path::PathBuf>) -> ExitCode {
    for p in paths {
        cli::say(p.display());
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Render(a) => cli::render(&a).map(print_paths),
        Command::Template(a) => cli::template(&a).map(print_paths),
        Command::Import(a) => cli::import(&a).map(print_paths),
        Command::Archive(a) => cli::archive(&a).map(print_paths),
        Command::Verify { dir } => archive::verify(&dir).map(|problems| {
            if problems.is_empty() {
                cli::say(format_args!("{}: intact", dir.display()));
                ExitCode::SUCCESS
            } else {
                for p in &problems {
                    cli::say(p);
                }
                ExitCode::from(1)
            }
        }),
        Command::Check(input) => match cli::check(&input) {
            Ok(summary) => {
                cli::say(summary);
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for p in &problems.0 {
                    eprintln!("{p}");
                }
                eprintln!(
                    "{} problem{} found",
                    problems.0.len(),
                    if problems.0.len() == 1 { "" } else { "s" }
                );
                Ok(ExitCode::from(1))
            }
        },
        Command::Init { dir, from } => shiryo::config::init(&dir, &from).map(print_paths),
        Command::Layouts => {
            for (name, _) in shiryo::layout::BUNDLED {
                let l = shiryo::layout::bundled(name).expect("bundled layouts parse");
                cli::say(format_args!("{name}\t{}", l.layout.description));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "shiryo", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which, layout } => {
            let schema = match which {
                Which::Data => data_schema(layout.as_deref()),
                Which::Layout => Ok(shiryo::layout::schema::layout()),
            };
            schema.map(|s| {
                cli::say(serde_json::to_string_pretty(&s).expect("JSON"));
                ExitCode::SUCCESS
            })
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(1)
    })
}
