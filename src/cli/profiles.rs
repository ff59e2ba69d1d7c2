//! `keyshake profiles`: the profiles of a data folder with their last use
//! and pack; and the warning every reading command gives for a
//! `--profile` that does not exist (nothing is created then).

use std::io::Write;
use std::path::Path;

use super::{CliError, Context, exit};
use crate::core::class::{ProfileEntry, profiles};
use crate::core::progress::data_dir;
use crate::core::progress::export::iso8601;

/// Runs `keyshake profiles`.
pub fn command(ctx: &Context<'_>, out: &mut dyn Write) -> Result<u8, CliError> {
    if ctx.profile.is_some() {
        return Err(CliError::usage(
            "keyshake profiles lists every profile; leave out --profile",
        ));
    }
    let data = data_dir(ctx.data_dir).map_err(CliError::data)?;
    let list = profiles(&data).map_err(CliError::data)?;
    let default = data.join(crate::core::progress::store::FILE_NAME);
    out.write_all(listing(&list, default.is_file(), &data).as_bytes())?;
    Ok(exit::OK)
}

/// The table `keyshake profiles` prints.
pub fn listing(list: &[ProfileEntry], has_default: bool, data: &Path) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if list.is_empty() {
        let _ = writeln!(
            out,
            "No profiles in {} yet (keyshake --profile NAME starts one).",
            data.display()
        );
    } else {
        let width = list.iter().map(|p| p.name.len()).max().unwrap_or(0).max(7);
        let _ = writeln!(out, "{:<width$}  {:<20}  pack", "profile", "last use");
        for p in list {
            let last = p.last_use().map_or_else(|| "-".to_string(), iso8601);
            let pack = match &p.progress {
                Ok(progress) => progress
                    .pack
                    .as_ref()
                    .map_or_else(|| "(not recorded)".to_string(), |s| s.describe()),
                Err(e) => format!("(unreadable: {e})"),
            };
            let _ = writeln!(out, "{:<width$}  {last:<20}  {pack}", p.name);
        }
    }
    if has_default {
        out.push_str("The default profile (no --profile) also has progress.\n");
    }
    out
}

/// When `--profile NAME` names a profile that has no folder yet: warns on
/// `err` (with the closest existing name, if any) and returns true, so the
/// caller reads empty progress instead of creating the folder.
pub(crate) fn missing(ctx: &Context<'_>, err: &mut dyn Write) -> Result<bool, CliError> {
    let Some((name, hint)) = new_profile(ctx) else {
        return Ok(false);
    };
    writeln!(
        err,
        "warning: there is no profile {name:?} yet, so there is no progress to show; nothing was created.{hint}"
    )?;
    Ok(true)
}

/// A command that records work (`quiz`) under a `--profile` that does not
/// exist yet: says on `err` that the profile starts now, so a typo is seen
/// before the exam rather than after.
pub(crate) fn note_new(ctx: &Context<'_>, err: &mut dyn Write) -> Result<(), CliError> {
    if let Some((name, hint)) = new_profile(ctx) {
        writeln!(
            err,
            "note: profile {name:?} is new; its progress starts now.{hint}"
        )?;
    }
    Ok(())
}

/// `(NAME, HINT)` when `--profile NAME` has no folder yet; the hint names
/// the closest existing profile (a typo, another case), or lists them.
fn new_profile<'a>(ctx: &Context<'a>) -> Option<(&'a str, String)> {
    let (Some(name), Some(dir)) = (ctx.profile, ctx.data_dir) else {
        return None;
    };
    if dir.exists() {
        return None;
    }
    let known: Vec<String> = dir
        .parent()
        .and_then(|p| std::fs::read_dir(p).ok())
        .map(|entries| {
            let mut names: Vec<String> = entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| crate::core::progress::check_profile(n).is_ok())
                .collect();
            names.sort();
            names
        })
        .unwrap_or_default();
    let close = known
        .iter()
        .filter(|k| k.eq_ignore_ascii_case(name) || strsim::levenshtein(k, name) <= 2)
        .min_by_key(|k| strsim::levenshtein(k, name));
    let hint = match close {
        Some(c) => format!(" Did you mean --profile {c}?"),
        None if known.is_empty() => String::new(),
        None => format!(" The profiles are: {}.", known.join(", ")),
    };
    Some((name, hint))
}
