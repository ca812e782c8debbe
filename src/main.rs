//! The `shiryo` command line.
//!
//! Exit codes: 0 success; 1 invalid input, a failed check or a failed
//! write; 2 wrong usage.

use clap::{Parser, Subcommand};
use shiryo::{archive, cli};
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
    /// Write the yearly input templates departments fill in.
    Template(cli::TemplateArgs),
    /// Read filled templates back into the plan's data file.
    Import(cli::ImportArgs),
    /// Write the archive copy: the edition's PDF as PDF/A with a manifest of digests.
    Archive(archive::ArchiveArgs),
    /// Recompute an archive's digests and report any mismatch (exit 1).
    Verify {
        /// The archive directory (holding manifest.json).
        dir: std::path::PathBuf,
    },
    /// Check data, layout and report year; report every problem at once (exit 1).
    Check(cli::InputArgs),
    /// List the bundled layouts.
    Layouts,
    /// Print the JSON Schema of data files or layout files.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        which: Which,
    },
}

/// The schemas `shiryo schema` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Which {
    /// Plan data files (progress surveys and business plans).
    Data,
    /// Layout files.
    Layout,
}

fn print_paths(paths: Vec<std::path::PathBuf>) -> ExitCode {
    for p in paths {
        println!("{}", p.display());
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Render(a) => cli::render(&a).map(print_paths),
        Command::Template(a) => cli::template(&a).map(print_paths),
        Command::Import(a) => cli::import(&a).map(print_paths),
        Command::Archive(a) => archive::archive(&a).map(print_paths),
        Command::Verify { dir } => archive::verify(&dir).map(|problems| {
            if problems.is_empty() {
                println!("{}: intact", dir.display());
                ExitCode::SUCCESS
            } else {
                for p in &problems {
                    println!("{p}");
                }
                ExitCode::from(1)
            }
        }),
        Command::Check(input) => match shiryo::check::check(&input) {
            Ok(summary) => {
                println!("{summary}");
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
        Command::Layouts => {
            for (name, _) in shiryo::layout::BUNDLED {
                let l = shiryo::layout::bundled(name).expect("bundled layouts parse");
                println!("{name}\t{}", l.layout.description);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which } => {
            let schema = match which {
                Which::Data => shiryo::schema::data(),
                Which::Layout => shiryo::schema::layout(),
            };
            println!("{}", serde_json::to_string_pretty(&schema).expect("JSON"));
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(1)
    })
}
