use std::process::ExitCode;

use clap::Parser;
use keyshake::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Eval { files, json }) => run_eval(&files, json),
        Some(Command::Progress { action }) => {
            progress(cli.content.as_deref(), cli.data_dir.as_deref(), action)
        }
        None => keyshake::tui::run(&keyshake::tui::Options {
            content: cli.content,
            data_dir: cli.data_dir,
            ascii: cli.ascii,
        }),
    }
}

/// `keyshake progress [reset [--yes]]`: exit 0 done, 1 not done or failed,
/// 2 bad content.
fn progress(
    content: Option<&std::path::Path>,
    data_dir: Option<&std::path::Path>,
    action: Option<keyshake::cli::ProgressCommand>,
) -> ExitCode {
    use keyshake::core::progress::{self, FileStore, command};
    let dir = match progress::data_dir(data_dir) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("keyshake: {e}");
            return ExitCode::from(1);
        }
    };
    let mut store = FileStore::new(dir);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    let code = match action {
        Some(keyshake::cli::ProgressCommand::Reset { yes }) => command::reset(
            &mut store,
            yes,
            now,
            &mut std::io::stdin().lock(),
            &mut stdout,
            &mut stderr,
        ),
        None => match keyshake::core::content::Pack::load(content) {
            Ok(pack) => command::show(&mut store, &pack, now, &mut stdout, &mut stderr),
            Err(diags) => {
                for d in diags {
                    eprintln!("{d}");
                }
                2
            }
        },
    };
    ExitCode::from(code)
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
