//! `keyshake progress` and `keyshake progress reset`, written against
//! readers and writers so they are tested without a terminal.

use std::io::{BufRead, Write};

use super::store::{FileStore, ProgressStore};
use crate::core::content::Pack;

/// What `keyshake progress` was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressAction {
    /// Print the summary.
    Show,
    /// Start over, keeping a backup; `yes` skips the question.
    Reset {
        /// Do not ask for confirmation.
        yes: bool,
    },
}

/// Runs the subcommand; returns the exit status (0 done, 1 not done).
///
/// `now` is unix seconds (names the backup file). Output goes to `out`,
/// problems to `err`; the confirmation is read from `input`.
pub fn run(
    store: &mut FileStore,
    pack: &Pack,
    action: ProgressAction,
    now: u64,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match run_inner(store, pack, action, now, input, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "keyshake: {e}");
            1
        }
    }
}

fn run_inner(
    store: &mut FileStore,
    pack: &Pack,
    action: ProgressAction,
    now: u64,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Box<dyn std::error::Error>> {
    match action {
        ProgressAction::Show => {
            let existed = store.path().exists();
            let loaded = store.load(now)?;
            for w in &loaded.warnings {
                writeln!(err, "warning: {w}")?;
            }
            writeln!(out, "Progress file: {}", store.path().display())?;
            if !existed {
                writeln!(out, "No progress saved yet.")?;
            }
            writeln!(out)?;
            write!(out, "{}", loaded.progress.summary(pack).to_text())?;
            Ok(0)
        }
        ProgressAction::Reset { yes } => {
            if !yes {
                write!(
                    out,
                    "Reset all progress in {}? A backup copy is kept. [y/N] ",
                    store.path().display()
                )?;
                out.flush()?;
                let mut answer = String::new();
                input.read_line(&mut answer)?;
                let answer = answer.trim().to_ascii_lowercase();
                if answer != "y" && answer != "yes" {
                    writeln!(out, "Nothing was changed.")?;
                    return Ok(1);
                }
            }
            match store.reset(now)? {
                Some(backup) => writeln!(
                    out,
                    "Progress reset. The old progress is kept in {}",
                    backup.display()
                )?,
                None => writeln!(
                    out,
                    "Progress reset (there was no saved progress to back up)."
                )?,
            }
            Ok(0)
        }
    }
}
