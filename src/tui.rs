//! The terminal user interface (feature `tui`): a thin layer over `core`
//! that turns keys into [`action::Action`]s, lets [`app::App`] apply them,
//! and draws only when something changed.

pub mod action;
pub mod app;
pub mod clipboard;
pub mod keymap;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod widgets;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
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
    /// The learner's profile (`--profile`), shown so that a student on a
    /// shared machine sees whose progress this is; `None`: the default.
    pub profile: Option<String>,
    /// `keyshake drill`: open a generated drill with these options.
    pub drill: Option<crate::core::drill::Options>,
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs the tutor on `pack` (loaded by the caller, through the command
/// line's one loading path) until the learner quits. Exit codes: 0 done,
/// 1 terminal or data-folder error, 2 bad sandbox file. Every message goes
/// to `err` (the caller's one neutralising writer), after the terminal is
/// restored.
pub fn run(opts: &Options, pack: Pack, err: &mut dyn Write) -> ExitCode {
    let started = Instant::now();
    // A sandbox's file is read first, so its problems print like
    // `keyshake eval`'s, terminal or not.
    let sandbox = match &opts.sandbox {
        Some(path) => match read_sandbox(path, err) {
            Ok(lab) => Some((lab, path.clone())),
            Err(code) => return code,
        },
        None => None,
    };
    {
        use std::io::IsTerminal;
        if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
            let _ = writeln!(
                err,
                "keyshake: the tutor needs a terminal (stdin and stdout); `keyshake --help` lists the commands that do not"
            );
            return ExitCode::from(1);
        }
    }
    let dir = match progress::data_dir(opts.data_dir.as_deref()) {
        Ok(dir) => dir,
        Err(e) => {
            let _ = writeln!(err, "keyshake: {e}");
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
        profile: opts.profile.clone(),
    };
    match run_terminal(setup, started, opts, sandbox, dir_for_signals) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "keyshake: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Reads a scenario file as a sandbox, or prints why not (exit 2).
fn read_sandbox(
    path: &std::path::Path,
    err: &mut dyn Write,
) -> Result<crate::core::content::Lab, ExitCode> {
    let shown = path.display().to_string();
    // A regular file only, size-limited: a FIFO or /dev/zero is refused
    // before the terminal goes into raw mode.
    let limit = crate::core::content::sandbox::MAX_FILE_BYTES;
    let bytes = match crate::core::fs::read_regular(path, limit) {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = writeln!(err, "keyshake: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let mut fail = |diags: Vec<crate::core::diag::Diagnostic>| {
        for d in diags {
            let _ = writeln!(err, "{d}");
        }
        ExitCode::from(2)
    };
    // The engine's checks first: size, UTF-8, then the scenario itself.
    crate::core::world::load(&shown, &bytes).map_err(&mut fail)?;
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
    // also turns mouse capture and bracketed paste off and shows the
    // cursor, which ratatui's restore does not.
    let mut terminal = ratatui::try_init()?;
    let _restore = terminal::Restore;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        terminal::restore();
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
    // The watchers apply the pending change as `App::save` would, so they
    // have the course too (a copy: the app keeps its own).
    let ending = terminal::Ending {
        pending: Arc::default(),
        dir,
        pack: setup.pack.clone(),
        clock: setup.clock,
    };
    let resumed = Arc::new(AtomicBool::new(false));
    terminal::watch_signals(ending.clone(), Arc::clone(&resumed))?;
    terminal::watch_hangup(ending.clone());

    let size = terminal.size()?;
    let mut app = app::App::new(app::Setup {
        area: Rect::new(0, 0, size.width, size.height),
        ..setup
    });
    if let Some(settings) = &opts.quiz {
        app.open_quiz_setup(settings);
    }
    if let Some(drill) = &opts.drill {
        app.open_drill(drill.clone());
    }
    if let Some((lab, path)) = sandbox {
        app.open_sandbox(lab, path);
    }
    app.set_mouse(mouse);
    let looped = event_loop(&mut terminal, &mut app, started, &ending.pending, &resumed);
    if looped.is_err() {
        // The terminal failed under us: keep what quitting would keep.
        let told = terminal::save_pending(app.pending(), ending.dir, &ending.pack, ending.clock);
        terminal::restore();
        let mut err = io::stderr();
        for line in told {
            let _ = writeln!(err, "keyshake: {line}");
        }
    }
    looped
}

/// Reads events and draws until the learner quits. Draws only when an
/// event changed something; sleeps in the terminal's read while no
/// screen has a deadline (no CPU while idle).
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut app::App,
    started: Instant,
    pending: &terminal::Shared,
    resumed: &AtomicBool,
) -> io::Result<()> {
    let mut dirty = true;
    let mut first_frame = true;
    while !app.quit {
        if resumed.swap(false, Ordering::SeqCst) {
            full_redraw(terminal)?;
            dirty = true;
        }
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
            Some(e) => app.handle_queued(current_size(e)),
            None => app.tick(),
        };
        // Handle input that is already queued before drawing, so a burst
        // of keys (a held arrow, a paste, keys typed during a slow
        // evaluation) costs one evaluation and one frame, not one each.
        // Ctrl-C and Ctrl-Q among them are read here too.
        while !app.quit && event::poll(Duration::ZERO)? {
            dirty |= app.handle_queued(current_size(event::read()?));
        }
        match app.take_mouse() {
            Some(true) => execute!(io::stdout(), EnableMouseCapture)?,
            Some(false) => execute!(io::stdout(), DisableMouseCapture)?,
            None => {}
        }
        dirty |= app.settle();
        if app.take_suspend() {
            // The signal thread hands the terminal back and stops us, as
            // a shell's Ctrl-Z would; SIGCONT redraws.
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
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

/// Back from a suspension the screen shows the shell's lines: clear it and
/// make the next frame draw every cell. (`Terminal::clear` would ask the
/// terminal for the cursor's position, which a terminal may not answer.)
fn full_redraw(terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
    // Cells that nothing draws, as the "previous" frame: every cell of
    // the next frame then differs from it and is written.
    for cell in &mut terminal.current_buffer_mut().content {
        cell.set_symbol("\u{e000}");
    }
    terminal.swap_buffers();
    execute!(
        io::stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )
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
