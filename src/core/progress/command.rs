//! `keyshake progress` and `keyshake progress reset`, written against
//! readers and writers so they are tested without a terminal. Each returns
//! the exit status: 0 done, 1 not done (declined or failed).

use std::io::{BufRead, Write};

use super::store::{FileStore, ProgressStore};
use crate::core::content::Pack;

/// Prints the progress summary of `store` for the course `pack`.
/// `now` is unix seconds (names a corrupt file if one is moved aside).
pub fn show(
    store: &mut FileStore,
    pack: &Pack,
    now: u64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let result = (|| -> Result<u8, Box<dyn std::error::Error>> {
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
        if !loaded.progress.quiz.is_empty() {
            writeln!(out)?;
            write!(out, "{}", loaded.progress.quiz.home(pack, now).to_text())?;
        }
        Ok(0)
    })();
    report(result, err)
}

/// Writes the results in `store` for `pack` as `format`, to `output` or
/// to `out`. `profile` is `None` for the default profile.
#[allow(clippy::too_many_arguments)]
pub fn export(
    store: &mut FileStore,
    pack: &Pack,
    profile: Option<&str>,
    format: super::export::Format,
    output: Option<&std::path::Path>,
    now: u64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let result = (|| -> Result<u8, Box<dyn std::error::Error>> {
        let loaded = store.load(now)?;
        for w in &loaded.warnings {
            writeln!(err, "warning: {w}")?;
        }
        let text = super::export::Report::new(&loaded.progress, pack, profile, now).render(format);
        match output {
            None => out.write_all(text.as_bytes())?,
            Some(path) => {
                std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                writeln!(err, "wrote {}", path.display())?;
            }
        }
        Ok(0)
    })();
    report(result, err)
}

/// Erases the progress in `store`, keeping a backup whose path it prints.
/// Unless `yes`, asks on `out` and reads the answer from `input` (`y` or
/// `yes`, any case, confirms). `now` (unix seconds) names the backup.
pub fn reset(
    store: &mut FileStore,
    yes: bool,
    now: u64,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let result = (|| -> Result<u8, Box<dyn std::error::Error>> {
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
    })();
    report(result, err)
}

fn report(result: Result<u8, Box<dyn std::error::Error>>, err: &mut dyn Write) -> u8 {
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "keyshake: {e}");
            1
        }
    }
}
