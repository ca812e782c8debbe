//! The `shiryo` command line.

use anyhow::Result;
use clap::{Parser, Subcommand};
use shiryo::cli;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<Vec<std::path::PathBuf>> = match cli.command {
        Command::Render(a) => cli::render(&a),
        Command::Template(a) => cli::template(&a),
        Command::Import(a) => cli::import(&a),
    };
    match result {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
