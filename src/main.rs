//! The `shiryo` command line: everything is in [`shiryo::cli`].

fn main() -> std::process::ExitCode {
    shiryo::cli::main()
}
