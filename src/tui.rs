//! The terminal user interface (feature `tui`): a thin layer over `core`
//! that turns keys into [`action::Action`]s, lets [`app::App`] apply them,
//! and draws only when something changed.

pub mod action;
pub mod app;
pub mod clipboard;
pub mod keymap;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::layout::Rect;

use crate::core::content::Pack;
use crate::core::progress::{self, FileStore};

/// What `keyshake` with no command was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--content DIR`.
    pub content: Option<PathBuf>,
    /// `--data-dir DIR` / `KEYSHAKE_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--ascii`: no box-drawing characters or symbols.
    pub ascii: bool,
    /// `keyshake quiz --seed N`: the seed every quiz is built from.
    pub seed: Option<u64>,
    /// `keyshake quiz`: open at the quiz setup with these settings.
    pub quiz: Option<crate::core::quiz::Settings>,
    /// `keyshake lab FILE`: open this scenario file as a sandbox.
    pub sandbox: Option<PathBuf>,
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs the tutor until the learner quits. Exit codes: 0 done, 1 terminal
/// or data-folder error, 2 bad content. Errors are printed after the
/// terminal is restored.
pub fn run(opts: &Options) -> ExitCode {
    let started = Instant::now();
    // A sandbox's file is read first, so its problems print like
    // `keyshake eval`'s, terminal or not.
    let sandbox = match &opts.sandbox {
        Some(path) => match read_sandbox(path) {
            Ok(lab) => Some((lab, path.clone())),
            Err(code) => return code,
        },
        None => None,
    };
    {
        use std::io::IsTerminal;
        if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
            eprintln!(
                "keyshake: the tutor needs a terminal (stdin and stdout); `keyshake --help` lists the commands that do not"
            );
            return ExitCode::from(1);
        }
    }
    let pack = match Pack::load(opts.content.as_deref()) {
        Ok(pack) => pack,
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            return ExitCode::from(2);
        }
    };
    let dir = match progress::data_dir(opts.data_dir.as_deref()) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("keyshake: {e}");
            return ExitCode::from(1);
        }
    };
    let pack_label = match &opts.content {
        Some(d) => format!("{} {} ({})", pack.info.name, pack.info.version, d.display()),
        None => "built-in".to_string(),
    };
    let dir_for_signals = dir.clone();
    let store = FileStore::new(dir);
    let progress_path = store.path().display().to_string();
    let setup = app::Setup {
        pack,
        pack_label,
        store: Box::new(store),
        progress_path,
        theme: theme::Theme::from_env(),
        ascii: opts.ascii,
        area: Rect::default(),
        clock: unix_now,
        quiz_seed: opts.seed,
        envelope_seed: None,
    };
    match run_terminal(setup, started, opts, sandbox, dir_for_signals) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keyshake: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Leaves the terminal as it was: mouse capture and bracketed paste off
/// (ratatui's restore does not do that), raw mode off, main screen back.
fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}

/// Restores the terminal when dropped, so an early `?` restores too.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// What the signal watcher saves; the event loop keeps it current.
type Shared = Arc<Mutex<app::Pending>>;

/// SIGTERM, SIGHUP and SIGINT (raw mode turns Ctrl-C into a key, but
/// `kill -INT` still arrives as a signal) save what quitting would save
/// (the place in a lesson, a lab's edits), keep a sandbox's unsaved edits
/// in `NAME.unsaved.toml` beside its file, restore the terminal, and exit
/// with 128 + the signal number. The main thread sleeps in `event::read()`,
/// so a thread is the simple sound way to react.
fn watch_signals(pending: Shared, dir: PathBuf, pack: Pack, clock: fn() -> u64) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let work = pending.lock().map(|p| p.clone()).unwrap_or_default();
            let told = save_pending(work, dir, &pack, clock);
            restore_terminal();
            for line in told {
                eprintln!("keyshake: {line}");
            }
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

/// Best effort, as the process is ending: saves `work`; returns what the
/// learner must be told.
fn save_pending(work: app::Pending, dir: PathBuf, pack: &Pack, clock: fn() -> u64) -> Vec<String> {
    use crate::core::progress::ProgressStore;
    let mut told = Vec::new();
    if let Some(change) = work.progress {
        let now = clock();
        let result = FileStore::new(dir).update(now, &mut |p| change.apply(p, pack, now));
        if let Err(e) = result {
            told.push(format!("progress not saved: {e}"));
        }
    }
    if let Some((path, edits)) = work.sandbox {
        match crate::core::content::sandbox::keep_unsaved(&path, &edits) {
            Ok(to) => told.push(format!(
                "unsaved changes to {} are kept in {}",
                path.display(),
                to.display()
            )),
            Err(e) => told.push(format!("unsaved changes could not be kept: {e}")),
        }
    }
    told
}

/// Reads a scenario file as a sandbox, or prints why not (exit 2).
fn read_sandbox(path: &std::path::Path) -> Result<crate::core::content::Lab, ExitCode> {
    let shown = path.display().to_string();
    let fail = |diags: Vec<crate::core::diag::Diagnostic>| {
        for d in diags {
            eprintln!("{d}");
        }
        ExitCode::from(2)
    };
    // A regular file only, size-limited: a FIFO or /dev/zero is refused
    // before the terminal goes into raw mode.
    let limit = crate::core::content::sandbox::MAX_FILE_BYTES;
    let bytes = crate::core::fs::read_regular(path, limit).map_err(|e| {
        eprintln!("keyshake: {e}");
        ExitCode::from(2)
    })?;
    // The engine's checks first: size, UTF-8, then the scenario itself.
    crate::core::world::load(&shown, &bytes).map_err(fail)?;
    let text = String::from_utf8_lossy(&bytes);
    crate::core::content::Lab::sandbox(&shown, &text).map_err(fail)
}

fn run_terminal(
    setup: app::Setup,
    started: Instant,
    opts: &Options,
    sandbox: Option<(crate::core::content::Lab, PathBuf)>,
    dir: PathBuf,
) -> io::Result<()> {
    // ratatui's hook restores, then prints the panic; ours runs first and
    // turns mouse capture and bracketed paste off, which ratatui's restore
    // does not.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    // Bracketed paste: a policy pasted into the lab editor is one event.
    execute!(io::stdout(), EnableBracketedPaste)?;
    // KEYSHAKE_NO_MOUSE leaves the mouse to the terminal (text selection);
    // F10 switches at any time.
    let mouse = std::env::var_os("KEYSHAKE_NO_MOUSE").is_none_or(|v| v.is_empty());
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    let pending: Shared = Arc::default();
    // The watcher applies the pending change as `App::save` would, so it
    // has the course too (a copy: the app keeps its own).
    watch_signals(Arc::clone(&pending), dir, setup.pack.clone(), setup.clock)?;

    let size = terminal.size()?;
    let mut app = app::App::new(app::Setup {
        area: Rect::new(0, 0, size.width, size.height),
        ..setup
    });
    if let Some(settings) = &opts.quiz {
        app.open_quiz_setup(settings);
    }
    if let Some((lab, path)) = sandbox {
        app.open_sandbox(lab, path);
    }
    app.set_mouse(mouse);
    let mut dirty = true;
    let mut first_frame = true;
    while !app.quit {
        if dirty {
            terminal.draw(|f| app.render(f))?;
            dirty = false;
            if first_frame {
                first_frame = false;
                report_first_frame(started);
            }
        }
        let ev = match app.deadline() {
            None => Some(event::read()?), // idle: sleeps, no CPU
            Some(t) => {
                let wait = t.saturating_duration_since(Instant::now());
                if event::poll(wait)? {
                    Some(event::read()?)
                } else {
                    None
                }
            }
        };
        dirty |= match ev {
            Some(e) => app.handle(current_size(e)),
            None => app.tick(),
        };
        // Handle input that is already queued before drawing, so a burst
        // of keys (a held arrow, a paste) costs one frame, not one each.
        while !app.quit && event::poll(Duration::ZERO)? {
            dirty |= app.handle(current_size(event::read()?));
        }
        match app.take_mouse() {
            Some(true) => execute!(io::stdout(), EnableMouseCapture)?,
            Some(false) => execute!(io::stdout(), DisableMouseCapture)?,
            None => {}
        }
        if let Some(text) = app.take_clipboard() {
            let mut out = io::stdout();
            out.write_all(clipboard::osc52(&text).as_bytes())?;
            out.flush()?;
        }
        // Only an event that changed something can change what is pending.
        if dirty && let Ok(mut p) = pending.lock() {
            *p = app.pending();
        }
    }
    io::stdout().flush()
}

/// A resize event with the terminal's size as it is now: two quick resizes
/// can reach us as one signal carrying the older size, so ask again.
fn current_size(e: event::Event) -> event::Event {
    match e {
        event::Event::Resize(..) => match crossterm::terminal::size() {
            Ok((w, h)) => event::Event::Resize(w, h),
            Err(_) => e,
        },
        other => other,
    }
}

/// With `KEYSHAKE_TIMING` set, appends the start-to-first-frame time to
/// that file (for the speed figures; nothing is printed while the TUI is
/// up). In debug builds, `KEYSHAKE_TEST_PANIC` panics here so the tests can
/// check the terminal is restored.
fn report_first_frame(started: Instant) {
    if let Some(path) = std::env::var_os("KEYSHAKE_TIMING") {
        let micros = started.elapsed().as_micros();
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "first_frame_us {micros}");
        }
    }
    #[cfg(debug_assertions)]
    if std::env::var_os("KEYSHAKE_TEST_PANIC").is_some() {
        panic!("KEYSHAKE_TEST_PANIC is set: panicking on purpose after the first frame");
    }
}
