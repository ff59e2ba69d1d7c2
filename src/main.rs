//! The `keyshake` binary: parses the command line, reads the process's
//! environment once (clock, terminal, `NO_COLOR`), and decides the exit
//! status in one place, [`try_main`].
// Nothing a user or a file controls may panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use keyshake::cli::class::{ClassCommand, ReportFormat};
use keyshake::cli::{Cli, CliError, Command, Context};
use keyshake::core::text::NeutralWriter;

// eval --json over every test scenario spent a fifth of its instructions in
// glibc's malloc and free; mimalloc spends a fraction of that.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The one place every printer goes through: text from scenario files,
    // packs and progress files is made inert here (only the product's own
    // colour passes, on a colour terminal that `NO_COLOR` does not turn off).
    let no_color = std::env::var_os("NO_COLOR");
    let colour = |terminal: bool| keyshake::cli::eval::color_wanted(terminal, no_color.as_deref());
    let mut out =
        NeutralWriter::with_colour(std::io::stdout(), colour(std::io::stdout().is_terminal()));
    let mut err =
        NeutralWriter::with_colour(std::io::stderr(), colour(std::io::stderr().is_terminal()));
    let code = match try_main(Cli::parse(), &mut out, &mut err) {
        Ok(code) => code,
        Err(e) => {
            // stderr closed as well: the status is all that is left to say.
            let _ = writeln!(err, "{}", e.message);
            ExitCode::from(e.code)
        }
    };
    // A signal arrived while the quiz was ending on its own (stdin closed
    // at the same moment): the handler thread is keeping the exam's
    // answers and ends the process with 128 + the signal. Wait for it
    // rather than exit 0 under it.
    if keyshake::cli::quiz::signals::ending() {
        loop {
            std::thread::park();
        }
    }
    code
}

/// The one clock every command reads: time since the Unix epoch (zero if
/// the system clock is set before 1970).
fn clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Runs the command line `cli`, printing to `out` and `err`; every failure
/// comes back as a [`CliError`] for `main` to print once.
fn try_main(mut cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitCode, CliError> {
    // An empty KEYSHAKE_PROFILE (as `KEYSHAKE_PROFILE= keyshake` sets it)
    // means the default profile.
    cli.profile = cli.profile.filter(|p| !p.is_empty());
    // With --profile, every command keeps progress (and the envelope
    // keyring) in DATA/profiles/NAME instead of DATA itself.
    if let Some(name) = cli.profile.as_deref() {
        let dir = keyshake::core::progress::profile_dir(cli.data_dir.as_deref(), Some(name))
            .map_err(CliError::usage)?;
        cli.data_dir = Some(dir);
    }
    let Some(command) = &cli.command else {
        return tutor(&tui_options(&cli), err);
    };
    if let Some(options) = tutor_for(command, &cli) {
        return tutor(&options, err);
    }
    if matches!(command, Command::Quiz(_)) {
        keep_exam_on_signals(cli.data_dir.clone());
    }
    let stdin = std::io::stdin();
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let mut ctx = Context {
        content: cli.content.as_deref(),
        data_dir: cli.data_dir.as_deref(),
        profile: cli.profile.as_deref(),
        clock: &clock,
        stdin_is_terminal: stdin.is_terminal(),
        input: &mut stdin.lock(),
        stdout_is_terminal,
        columns: stdout_is_terminal
            .then(|| crossterm::terminal::size().ok().map(|(w, _)| w))
            .flatten(),
        no_color: std::env::var_os("NO_COLOR"),
    };
    // The class report on a terminal: the TUI's bar charts in the text.
    if let Command::Class {
        action:
            action @ ClassCommand::Report {
                source,
                format: ReportFormat::Text,
                plain: false,
            },
    } = command
        && source.output.is_none()
        && stdout_is_terminal
    {
        let (width, ascii) = (ctx.columns.filter(|w| *w > 0).unwrap_or(80), cli.ascii);
        let charts = |f: &keyshake::core::class::figures::Figures| {
            keyshake::tui::widgets::class_chart::charts(f, width, ascii)
        };
        return keyshake::cli::class::command_with_charts(action, &mut ctx, out, err, &charts)
            .map(ExitCode::from);
    }
    keyshake::cli::run(command, &mut ctx, out, err).map(ExitCode::from)
}

/// The plain quiz ended by SIGTERM, SIGHUP or SIGINT mid-exam keeps the
/// answers given so far in the history, as `q` does (they are in the
/// exam's draft already), tells so on stderr and exits with 128 + the
/// signal. Outside an exam the signal ends the process as it would.
fn keep_exam_on_signals(dir: Option<std::path::PathBuf>) {
    use keyshake::core::progress::{FileStore, ProgressStore, data_dir};
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let mut err = std::io::stderr();
            if let Some(started) = keyshake::cli::quiz::signals::begin_ending()
                && let Ok(dir) = data_dir(dir.as_deref())
            {
                let mut kept = 0;
                let now = clock().as_secs();
                let saved = FileStore::new(dir).update(now, &mut |p| {
                    kept = p.quiz.settle_open_exams(Some(started), now);
                });
                let _ = match saved {
                    Ok(_) => writeln!(
                        err,
                        "\nkeyshake: stopped by a signal; your {kept} exam answer(s) are kept in your history; no exam score was recorded because the exam was not submitted."
                    ),
                    Err(e) => writeln!(
                        err,
                        "\nkeyshake: stopped by a signal; the exam answers could not be moved into your history ({e}); they stay saved as an open exam, kept the next time a quiz starts."
                    ),
                };
            }
            std::process::exit(128 + sig);
        }
    });
}

/// Opens the full-screen tutor on the course as every command loads it
/// (a pack that does not load prints every diagnostic and exits 2).
fn tutor(options: &keyshake::tui::Options, err: &mut dyn Write) -> Result<ExitCode, CliError> {
    let pack = keyshake::cli::load_pack(options.content.as_deref())?;
    Ok(keyshake::tui::run(options, pack, err))
}

/// The full-screen tutor's options for a command that opens it:
/// `keyshake lab FILE`, or `keyshake quiz` on a terminal without
/// `--plain`. `None` for the commands that print.
fn tutor_for(command: &Command, cli: &Cli) -> Option<keyshake::tui::Options> {
    match command {
        Command::Lab {
            action: None,
            file: Some(file),
        } => Some(keyshake::tui::Options {
            sandbox: Some(file.clone()),
            ..tui_options(cli)
        }),
        Command::Drill(d)
            if !d.plain
                && !d.json
                && (1..=keyshake::cli::drill::MAX_COUNT).contains(&d.count)
                && std::io::stdin().is_terminal() =>
        {
            let drill = keyshake::core::drill::Options {
                level: d.level,
                objective: d.objective.clone(),
                misconception: None,
            };
            // Options that name no drill are refused by the command (exit 2).
            keyshake::core::drill::candidates(&drill).ok()?;
            Some(keyshake::tui::Options {
                seed: d.seed,
                drill: Some(drill),
                ..tui_options(cli)
            })
        }
        Command::Quiz(quiz)
            if !quiz.plain
                && !quiz.print_key
                && !quiz.last_exam
                && std::io::stdin().is_terminal() =>
        {
            Some(keyshake::tui::Options {
                seed: quiz.seed,
                quiz: Some(quiz.settings()),
                ..tui_options(cli)
            })
        }
        _ => None,
    }
}

/// The tutor's options from the global flags.
fn tui_options(cli: &Cli) -> keyshake::tui::Options {
    keyshake::tui::Options {
        content: cli.content.clone(),
        data_dir: cli.data_dir.clone(),
        ascii: cli.ascii,
        profile: cli.profile.clone(),
        ..Default::default()
    }
}
