//! The terminal's modes and the process's ending: entering and leaving
//! full-screen mode, and the watchers that end the tutor cleanly on a
//! signal or when the terminal goes away.
//!
//! Every way out restores the same things: raw mode off, the main screen
//! back, mouse capture and bracketed paste off, and the cursor visible.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::app;
use crate::core::content::Pack;
use crate::core::progress::FileStore;

/// What the watchers save; the event loop keeps it current.
pub type Shared = Arc<Mutex<app::Pending>>;

/// Leaves the terminal as it was before the tutor: every step is tried
/// even when an earlier one fails (a terminal that is gone fails them all).
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Puts the terminal in the tutor's modes again (after a suspension).
pub fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        Hide
    )
}

/// Restores the terminal when dropped, so an early `?` restores too.
pub struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// The signals that end the tutor: each saves what quitting would save,
/// restores the terminal and exits with 128 + its number. SIGINT still
/// arrives as a signal from `kill -INT` (raw mode makes Ctrl-C a key);
/// SIGPIPE is here because a process that ends on it would otherwise leave
/// the terminal in raw mode.
const ENDING: [i32; 9] = {
    use signal_hook::consts::*;
    [
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPIPE,
    ]
};

/// Everything the watchers need to end the tutor as quitting would.
#[derive(Clone)]
pub struct Ending {
    /// What would be lost now.
    pub pending: Shared,
    /// The data folder.
    pub dir: PathBuf,
    /// The course (a copy: the app keeps its own).
    pub pack: Pack,
    /// The tutor's clock.
    pub clock: fn() -> u64,
}

impl Ending {
    /// Saves what is pending, restores the terminal, tells what was kept
    /// (to a stderr that may be gone: nothing fails if it is) and exits.
    fn finish(&self, code: i32) -> ! {
        let work = self.pending.lock().map(|p| p.clone()).unwrap_or_default();
        let told = save_pending(work, self.dir.clone(), &self.pack, self.clock);
        restore();
        let mut err = io::stderr();
        for line in told {
            let _ = writeln!(err, "keyshake: {line}");
        }
        std::process::exit(code);
    }
}

/// Starts the thread that reacts to signals. The ending signals (see
/// [`ENDING`]) save and exit. SIGTSTP restores the terminal, then stops
/// the process as the default action would; SIGCONT puts the terminal
/// back in the tutor's modes and sets `resumed`, and a SIGWINCH to itself
/// wakes the event loop to redraw the whole screen. The main thread sleeps
/// in the terminal's read, so a thread is the simple sound way to react.
pub fn watch_signals(ending: Ending, resumed: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGTSTP, SIGWINCH};
    let mut wanted = ENDING.to_vec();
    wanted.extend([SIGTSTP, SIGCONT]);
    let mut signals = signal_hook::iterator::Signals::new(wanted)?;
    std::thread::spawn(move || {
        for sig in signals.forever() {
            match sig {
                SIGTSTP => {
                    restore();
                    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                }
                SIGCONT => {
                    let _ = enter();
                    resumed.store(true, Ordering::SeqCst);
                    let _ = signal_hook::low_level::raise(SIGWINCH);
                }
                other => ending.finish(128 + other),
            }
        }
    });
    Ok(())
}

/// Starts the thread that notices the terminal going away without a
/// SIGHUP (a tutor started under `setsid` or `su -c`, a closed pty): it
/// sleeps in `poll(2)` on standard input asking for no events, which
/// returns only on a hang-up or an error, so it costs nothing while the
/// tutor runs. Then it ends the tutor as SIGHUP would (exit 129), saving
/// what is pending. Without it the terminal reader would spin on EIO.
pub fn watch_hangup(ending: Ending) {
    use rustix::event::{PollFd, PollFlags, poll};
    std::thread::spawn(move || {
        let stdin = io::stdin();
        loop {
            let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
            match poll(&mut fds, None) {
                Ok(_) => {
                    let got = fds[0].revents();
                    if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                        ending.finish(128 + signal_hook::consts::SIGHUP);
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                // poll itself failing cannot tell us anything more.
                Err(_) => return,
            }
        }
    });
}

/// Best effort, as the process is ending: saves `work`; returns what the
/// learner must be told.
pub fn save_pending(
    work: app::Pending,
    dir: PathBuf,
    pack: &Pack,
    clock: fn() -> u64,
) -> Vec<String> {
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
