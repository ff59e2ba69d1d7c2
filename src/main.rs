use std::process::ExitCode;

use clap::Parser;
use keyshake::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Eval { files, json }) => run_eval(&files, json),
        None => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            ExitCode::SUCCESS
        }
    }
}

fn run_eval(files: &[std::path::PathBuf], json: bool) -> ExitCode {
    use std::io::{IsTerminal, Write};
    let color = keyshake::cli::eval::color_wanted(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let (out, err, code) =
        keyshake::cli::eval::run(files, json, keyshake::cli::eval::Style { color });
    // A closed pipe (`keyshake eval ... | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    let _ = std::io::stderr().write_all(err.as_bytes());
    ExitCode::from(code)
}
