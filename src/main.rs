use std::process::ExitCode;

use clap::Parser;
use keyshake::cli::{Cli, Command};

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // An empty KEYSHAKE_PROFILE (as `KEYSHAKE_PROFILE= keyshake` sets it)
    // means the default profile.
    cli.profile = cli.profile.filter(|p| !p.is_empty());
    // With --profile, every command keeps progress (and the envelope
    // keyring) in DATA/profiles/NAME instead of DATA itself.
    if let Some(name) = cli.profile.as_deref() {
        match keyshake::core::progress::profile_dir(cli.data_dir.as_deref(), Some(name)) {
            Ok(dir) => cli.data_dir = Some(dir),
            Err(message) => {
                eprintln!("keyshake: {message}");
                return ExitCode::from(2);
            }
        }
    }
    match cli.command {
        Some(Command::Eval { files, json }) => run_eval(&files, json),
        Some(Command::Lint(args)) => keyshake::cli::lint::main(&args),
        Some(Command::Completions { shell }) => write_out(&keyshake::cli::completions(shell)),
        Some(Command::Man) => write_out(&keyshake::cli::man()),
        Some(Command::Pack { action }) => pack(action, cli.content.as_deref()),
        Some(Command::Envelope { scenario, action }) => {
            let (out, err, code) =
                keyshake::cli::envelope::run(&scenario, &action, cli.data_dir.as_deref());
            print!("{out}");
            eprint!("{err}");
            ExitCode::from(code)
        }
        Some(Command::Lab {
            action: Some(action),
            ..
        }) => lab(cli.content.as_deref(), cli.data_dir.as_deref(), action),
        Some(Command::Lab {
            file: Some(file), ..
        }) => keyshake::tui::run(&keyshake::tui::Options {
            content: cli.content,
            data_dir: cli.data_dir,
            ascii: cli.ascii,
            sandbox: Some(file),
            ..Default::default()
        }),
        Some(Command::Lab { .. }) => {
            eprintln!(
                "keyshake lab: give a scenario FILE to open as a sandbox, or a command (list, export); see keyshake lab --help"
            );
            ExitCode::from(2)
        }
        Some(Command::Progress { action }) => progress(
            cli.content.as_deref(),
            cli.data_dir.as_deref(),
            cli.profile.as_deref(),
            action,
        ),
        Some(Command::Quiz {
            plain,
            mode,
            seed,
            count,
            objectives,
            minutes,
            pass_mark,
        }) => {
            let settings = keyshake::core::quiz::Settings {
                mode: mode.into(),
                count,
                objectives,
                exam_minutes: minutes,
                pass_mark,
            };
            if !plain && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                // On a terminal: the full-screen quiz, opened at its setup.
                return keyshake::tui::run(&keyshake::tui::Options {
                    content: cli.content,
                    data_dir: cli.data_dir,
                    ascii: cli.ascii,
                    seed,
                    quiz: Some(settings),
                    sandbox: None,
                });
            }
            quiz(
                cli.content.as_deref(),
                cli.data_dir.as_deref(),
                plain,
                settings,
                seed,
            )
        }
        None => keyshake::tui::run(&keyshake::tui::Options {
            content: cli.content,
            data_dir: cli.data_dir,
            ascii: cli.ascii,
            ..Default::default()
        }),
    }
}

/// `keyshake progress [reset [--yes]]`: exit 0 done, 1 not done or failed,
/// 2 bad content.
fn progress(
    content: Option<&std::path::Path>,
    data_dir: Option<&std::path::Path>,
    profile: Option<&str>,
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
        Some(keyshake::cli::ProgressCommand::Export { format, output }) => {
            match keyshake::core::content::Pack::load(content) {
                Ok(pack) => command::export(
                    &mut store,
                    &pack,
                    profile,
                    format.into(),
                    output.as_deref(),
                    now,
                    &mut stdout,
                    &mut stderr,
                ),
                Err(diags) => {
                    for d in diags {
                        eprintln!("{d}");
                    }
                    2
                }
            }
        }
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

/// `keyshake quiz --plain` (or with stdin not a terminal): line mode.
fn quiz(
    content: Option<&std::path::Path>,
    data_dir: Option<&std::path::Path>,
    plain: bool,
    settings: keyshake::core::quiz::Settings,
    seed: Option<u64>,
) -> ExitCode {
    use keyshake::core::progress::{self, FileStore};
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    let _ = plain;
    let pack = match keyshake::core::content::Pack::load(content) {
        Ok(pack) => pack,
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            return ExitCode::from(2);
        }
    };
    let dir = match progress::data_dir(data_dir) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("keyshake: {e}");
            return ExitCode::from(1);
        }
    };
    let mut store = FileStore::new(dir);
    let mut clock = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    // Without --seed, a seed from the clock (printed, so the quiz can be
    // repeated); the core itself never reads a clock or a global generator.
    let seed_given = seed.is_some();
    let seed = seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into())
            % 1_000_000
    });
    let stdout = std::io::stdout();
    let width = if stdout.is_terminal() {
        crossterm::terminal::size()
            .ok()
            .map(|(w, _)| usize::from(w).clamp(40, 100) - 1)
    } else {
        None
    };
    let options = keyshake::cli::quiz::Options {
        settings,
        seed,
        seed_given,
        width,
        echo: !stdin.is_terminal(),
    };
    let code = keyshake::cli::quiz::run(
        &pack,
        &mut store,
        &options,
        &mut stdin.lock(),
        &mut stdout.lock(),
        &mut std::io::stderr(),
        &mut clock,
    );
    ExitCode::from(code)
}

/// `keyshake pack new|check`.
fn pack(action: keyshake::cli::PackCommand, content: Option<&std::path::Path>) -> ExitCode {
    match action {
        keyshake::cli::PackCommand::New { dir } => match keyshake::cli::pack::new(&dir) {
            Ok(files) => {
                for f in &files {
                    println!("wrote {}", f.display());
                }
                println!(
                    "check it with: keyshake pack check {}\ntry it with:   keyshake --content {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("keyshake: {message}");
                ExitCode::from(2)
            }
        },
        keyshake::cli::PackCommand::Check { dir, strict } => {
            let (out, code) = keyshake::cli::pack::check(dir.as_deref().or(content), strict);
            let _ = write_out(out.as_bytes());
            ExitCode::from(u8::try_from(code).unwrap_or(2))
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

/// Writes generated text to stdout; a closed pipe is not an error.
fn write_out(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let _ = std::io::stdout().write_all(bytes);
    ExitCode::SUCCESS
}

/// `keyshake lab list|export`: exit 0 done, 1 unknown lab or unwritable
/// output, 2 bad content or progress.
fn lab(
    content: Option<&std::path::Path>,
    data_dir: Option<&std::path::Path>,
    action: keyshake::cli::LabCommand,
) -> ExitCode {
    use keyshake::core::progress::{FileStore, ProgressStore, data_dir as dir_of};
    let pack = match keyshake::core::content::Pack::load(content) {
        Ok(pack) => pack,
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            return ExitCode::from(2);
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let loaded = match dir_of(data_dir).map(FileStore::new) {
        Ok(mut store) => store.load(now),
        Err(e) => Err(e),
    };
    let progress = match loaded {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("keyshake: {w}");
            }
            loaded.progress
        }
        Err(e) => {
            eprintln!("keyshake: {e}");
            return ExitCode::from(2);
        }
    };
    match action {
        keyshake::cli::LabCommand::List => {
            write_out(keyshake::cli::lab::list(&pack, &progress).as_bytes())
        }
        keyshake::cli::LabCommand::Export { lab, output } => {
            match keyshake::cli::lab::export(&pack, &progress, &lab) {
                Ok(text) => match output {
                    None => write_out(text.as_bytes()),
                    Some(path) => match std::fs::write(&path, text) {
                        Ok(()) => {
                            eprintln!(
                                "wrote {}: grade it with keyshake eval {}",
                                path.display(),
                                path.display()
                            );
                            ExitCode::SUCCESS
                        }
                        Err(e) => {
                            eprintln!("keyshake: {}: {e}", path.display());
                            ExitCode::from(1)
                        }
                    },
                },
                Err(message) => {
                    eprintln!("keyshake: {message}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
