use std::process::ExitCode;

use clap::Parser;
use keyshake::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Eval { files, json }) => {
            let _ = (files, json);
            ExitCode::from(2)
        }
        None => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            ExitCode::SUCCESS
        }
    }
}
