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
    /// Write the archive copy: the edition's PDF as PDF/A with a manifest of digests.
    Archive(archive::ArchiveArgs),
    /// Recompute an archive's digests and report any mismatch (exit 1).
    Verify {
        /// The archive directory (holding manifest.json).
        dir: std::path::PathBuf,
    },
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
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(1)
    })
}
