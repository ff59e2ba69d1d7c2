//! Saving a sandbox (`keyshake lab FILE`) back into its scenario file.
//!
//! Only the policy strings the learner changed are rewritten, in place:
//! every other byte of the file (comments, layout, the order of tables,
//! the requests) stays as it was. A policy the file did not have yet (a
//! bucket policy, a first identity policy) is added beside the bucket's
//! `name` or the principal's `arn`. The result is read back before it is
//! written, and nothing is written unless every changed policy reads back
//! as the text in the editor.
//!
//! Saving keeps the file's identity and other people's work:
//!
//! - [`Baseline`] remembers the file as it was opened (its bytes, size,
//!   modification time and each policy's text). [`Baseline::save`] refuses
//!   with [`SandboxError::Conflict`] when the file changed on disk since,
//!   naming the policies that differ; [`Baseline::reload`],
//!   [`Baseline::overwrite`] and [`Baseline::save_as`] are the three ways
//!   on from there. A file deleted while open is created again from the
//!   remembered text.
//! - Writing goes through [`crate::core::fs::write_preserving`]: symlinks
//!   are followed, mode and owner kept, hard links written in place, a
//!   read-only file refused.
//! - A policy that does not parse is never written.
//! - A CRLF file keeps CRLF: the editor's text uses `\n`, and is compared
//!   and written with the file's own line ending.
//! - Edits kept when the tutor is killed go to a *new* numbered file
//!   ([`keep_unsaved`]); [`unsaved_files`] lists them for the next open.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

mod baseline;

pub use baseline::Baseline;

use super::lab::{EMPTY_IDENTITY, PolicyRef};
use crate::core::fs::{FsError, read_regular, write_new, write_preserving};

#[derive(Deserialize)]
struct SpanFile {
    #[serde(default)]
    keys: Vec<SpanKey>,
    #[serde(default)]
    buckets: Vec<SpanBucket>,
    #[serde(default)]
    principals: Vec<SpanPrincipal>,
    #[serde(default)]
    accounts: Vec<SpanAccount>,
}

#[derive(Deserialize)]
struct SpanKey {
    arn: Spanned<String>,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanBucket {
    name: Spanned<String>,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanPrincipal {
    arn: Spanned<String>,
    policies: Option<Spanned<Vec<Spanned<String>>>>,
    permissions_boundary: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanAccount {
    id: Spanned<String>,
    scps: Option<Spanned<Vec<Spanned<String>>>>,
    rcps: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One splice of the file: `range` becomes `with`.
struct Splice {
    range: Range<usize>,
    with: String,
}

fn read(text: &str) -> Result<SpanFile, String> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let (line, column) = crate::core::diag::LineIndex::new(text).locate(text, at);
        format!(
            "the file no longer reads as a scenario (line {line}, column {column}: {})",
            e.message().trim()
        )
    })
}

/// The most bytes a sandbox file may have (as `keyshake eval` accepts).
pub const MAX_FILE_BYTES: u64 = crate::core::world::load::MAX_FILE_BYTES as u64;

/// Why a sandbox could not be saved. In every case nothing was written
/// (the learner's text is still in the editor).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Reading or writing failed (not found, no space, not a regular
    /// file, ...).
    #[error(transparent)]
    Io(FsError),
    /// The file's permissions say read-only; it was not replaced.
    #[error("{} is read-only; nothing was saved (save it under another name, or make it writable)", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file (on disk, or as it would be written) does not read as a
    /// scenario.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
    /// A policy in the editor does not parse, so it is not written (the
    /// file could not be opened again).
    #[error(
        "{policy} does not parse (line {line}, column {column} of the policy: {message}); nothing was saved"
    )]
    Policy {
        /// The policy.
        policy: PolicyRef,
        /// 1-based line in the policy's text.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The file changed on disk since it was opened (or last saved).
    #[error("{0}")]
    Conflict(Conflict),
    /// A policy did not read back as the editor's text after placing it.
    #[error("{policy} could not be written into this file's layout; nothing was saved")]
    ReadBack {
        /// The policy.
        policy: PolicyRef,
    },
}

impl From<FsError> for SandboxError {
    fn from(e: FsError) -> Self {
        match e {
            FsError::ReadOnly { path } => SandboxError::ReadOnly { path },
            other => SandboxError::Io(other),
        }
    }
}

/// What changed on disk since a sandbox file was opened: enough for the
/// screen to ask "reload, overwrite or save elsewhere?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The file.
    pub path: PathBuf,
    /// Policies whose text on disk differs from the text when opened.
    pub policies: Vec<PolicyRef>,
    /// Something besides those policies changed (requests, other tables,
    /// comments), or the file no longer reads as a scenario.
    pub other_parts: bool,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} was changed on disk since it was opened",
            self.path.display()
        )?;
        if !self.policies.is_empty() {
            let names: Vec<String> = self.policies.iter().map(ToString::to_string).collect();
            write!(f, "; changed there: {}", names.join(", "))?;
            if self.other_parts {
                write!(f, " and other parts of the file")?;
            }
        } else if self.other_parts {
            write!(f, " (outside the policies)")?;
        }
        write!(
            f,
            "; nothing was saved: reload it, overwrite it, or save under another name"
        )
    }
}

/// How a file ends its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
}

impl LineEnding {
    /// The ending most lines of `text` use (LF for a file with none).
    pub fn of(text: &str) -> LineEnding {
        let crlf = text.matches("\r\n").count();
        let lf = text.matches('\n').count() - crlf;
        if crlf > lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }

    /// `text` (with `\n` line ends, as the editor has it) in this ending.
    pub fn apply(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_string(),
            LineEnding::CrLf => editor_text(text).replace('\n', "\r\n"),
        }
    }
}

/// A policy's text as the editor holds it: `\r\n` line ends become `\n`
/// (compare the editor with this, or an untouched CRLF file looks edited).
pub fn editor_text(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The value the file holds for `r`, if it has one.
fn current(file: &SpanFile, r: &PolicyRef) -> Option<String> {
    match r {
        PolicyRef::Key(arn) => file
            .keys
            .iter()
            .find(|k| k.arn.get_ref() == arn)?
            .policy
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Bucket(name) => file
            .buckets
            .iter()
            .find(|b| b.name.get_ref() == name)?
            .policy
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Boundary(arn) => file
            .principals
            .iter()
            .find(|p| p.arn.get_ref() == arn)?
            .permissions_boundary
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Identity { principal, index } => file
            .principals
            .iter()
            .find(|p| p.arn.get_ref() == principal)?
            .policies
            .as_ref()?
            .get_ref()
            .get(*index)
            .map(|p| p.get_ref().clone()),
        PolicyRef::Scp { account, index } => file
            .accounts
            .iter()
            .find(|a| a.id.get_ref() == account)?
            .scps
            .as_ref()?
            .get_ref()
            .get(*index)
            .map(|p| p.get_ref().clone()),
        PolicyRef::Rcp { account, index } => file
            .accounts
            .iter()
            .find(|a| a.id.get_ref() == account)?
            .rcps
            .as_ref()?
            .get_ref()
            .get(*index)
            .map(|p| p.get_ref().clone()),
    }
}

/// What the file should hold for `r` after saving `text`, given what it
/// holds now (`None`: the policy is left out).
fn wanted(r: &PolicyRef, text: &str, now: Option<&str>) -> Option<String> {
    if !text.trim().is_empty() {
        return Some(text.to_string());
    }
    match r {
        // An emptied identity policy keeps its slot, so later policies
        // keep their numbers (as the lab export does); a slot the file
        // never had stays out.
        PolicyRef::Identity { .. } => now.map(|_| EMPTY_IDENTITY.to_string()),
        PolicyRef::Bucket(_) | PolicyRef::Boundary(_) => None,
        // Key policies, SCPs and RCPs cannot be empty; the text is written
        // as it is and `keyshake eval` reports it.
        PolicyRef::Key(_) | PolicyRef::Scp { .. } | PolicyRef::Rcp { .. } => Some(text.to_string()),
    }
}

/// `file` with the policies of `changes` set to their texts. Fails, with
/// a sentence, when the file does not read as TOML or a policy cannot be
/// placed; nothing is lost then (the caller keeps the texts).
pub fn rewrite(file: &str, changes: &[(PolicyRef, String)]) -> Result<String, String> {
    splice_all(file, changes).map_err(|e| match e {
        Rewrite::Parse(m) => m,
        Rewrite::ReadBack(r) => {
            format!("{r} could not be written into this file's layout; nothing was saved")
        }
    })
}

enum Rewrite {
    Parse(String),
    ReadBack(PolicyRef),
}

impl Rewrite {
    fn at(self, path: &Path) -> SandboxError {
        match self {
            Rewrite::Parse(message) => SandboxError::Parse {
                path: path.to_path_buf(),
                message,
            },
            Rewrite::ReadBack(policy) => SandboxError::ReadBack { policy },
        }
    }
}

/// [`rewrite`], with texts (editor form, `\n`) written in the file's own
/// line ending.
fn splice_all(file: &str, changes: &[(PolicyRef, String)]) -> Result<String, Rewrite> {
    let ending = LineEnding::of(file);
    let parsed = read(file).map_err(Rewrite::Parse)?;
    let mut splices = Vec::new();
    let mut wants = Vec::new();
    for (r, text) in changes {
        let now = current(&parsed, r);
        // Built with `\n`, then given the file's ending: a `\r` in the text
        // would make the TOML string an escaped one.
        let lf = wanted(r, &editor_text(text), now.as_deref());
        let want = lf.as_deref().map(|w| ending.apply(w));
        if now != want {
            let mut s = splice(file, &parsed, r, lf.as_deref()).map_err(Rewrite::Parse)?;
            s.with = ending.apply(&s.with);
            splices.push(s);
        }
        wants.push((r, want));
    }
    splices.sort_by_key(|s| std::cmp::Reverse(s.range.start));
    let mut out = file.to_string();
    for s in splices {
        out.replace_range(s.range, &s.with);
    }
    // Read it back: every changed policy must now say what the editor says.
    let check =
        read(&out).map_err(|e| Rewrite::Parse(format!("saving would break the file: {e}")))?;
    for (r, want) in wants {
        if current(&check, r) != want {
            return Err(Rewrite::ReadBack(r.clone()));
        }
    }
    Ok(out)
}

/// Refuses a change whose policy does not parse: written into the file, it
/// would keep the file from opening again.
fn check_policies(changes: &[(PolicyRef, String)]) -> Result<(), SandboxError> {
    for (r, text) in changes {
        if text.trim().is_empty() {
            continue;
        }
        if let Err(errors) = crate::core::policy::parse(text, r.kind())
            && let Some(first) = errors.first()
        {
            let (line, column) =
                crate::core::diag::LineIndex::new(text).locate(text, first.offset.min(text.len()));
            return Err(SandboxError::Policy {
                policy: r.clone(),
                line,
                column,
                message: first.message.clone(),
            });
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, FsError> {
    let bytes = read_regular(path, MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|e| FsError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Reads `path`, sets the policies of `changes`, and writes it back
/// (through [`write_preserving`]: a crash leaves the old file or the new
/// one, never half). Without a [`Baseline`] it cannot tell another
/// editor's change; prefer [`Baseline::save`].
pub fn save(path: &Path, changes: &[(PolicyRef, String)]) -> Result<(), SandboxError> {
    check_policies(changes)?;
    let file = read_text(path)?;
    let out = splice_all(&file, changes).map_err(|e| e.at(path))?;
    if out != file {
        write_preserving(path, out.as_bytes())?;
    }
    Ok(())
}

/// Like [`save`], but writes the result to `to` (replacing it) and leaves
/// `from` as it is.
pub fn save_as(
    from: &Path,
    to: &Path,
    changes: &[(PolicyRef, String)],
) -> Result<(), SandboxError> {
    check_policies(changes)?;
    let file = read_text(from)?;
    let out = splice_all(&file, changes).map_err(|e| e.at(from))?;
    write_preserving(to, out.as_bytes())?;
    Ok(())
}

/// The `n`-th name for unsaved edits of `path`: `NAME.unsaved.toml`, then
/// `NAME.unsaved-2.toml`, ...
fn unsaved_name(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "sandbox".into(), |s| s.to_string_lossy().into_owned());
    if n <= 1 {
        path.with_file_name(format!("{stem}.unsaved.toml"))
    } else {
        path.with_file_name(format!("{stem}.unsaved-{n}.toml"))
    }
}

/// Where a sandbox's unsaved edits would be kept next when the tutor is
/// ended by a signal: the first free name of `NAME.unsaved.toml`,
/// `NAME.unsaved-2.toml`, ... beside `NAME.toml` (an earlier one is never
/// overwritten).
pub fn recovery_path(path: &Path) -> PathBuf {
    (1..)
        .map(|n| unsaved_name(path, n))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| unsaved_name(path, 1))
}

/// The files of unsaved edits kept for `path`, oldest number first, so
/// the screen can offer to restore one when the file is opened again.
pub fn unsaved_files(path: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut missing = 0;
    // Numbers are taken in order, but one may have been deleted by hand:
    // look a little past a gap.
    for n in 1.. {
        let p = unsaved_name(path, n);
        if p.is_file() {
            found.push(p);
            missing = 0;
        } else {
            missing += 1;
            if missing > 16 {
                break;
            }
        }
    }
    found
}

/// Keeps `text` in a new numbered recovery file for `path`; returns it.
fn keep_text(path: &Path, text: &str) -> Result<PathBuf, SandboxError> {
    for _ in 0..64 {
        let to = recovery_path(path);
        match write_new(&to, text.as_bytes()) {
            Ok(()) => return Ok(to),
            // Another process took the name first: try the next one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                return Err(SandboxError::Io(FsError::Io {
                    path: to,
                    action: "write",
                    source,
                }));
            }
        }
    }
    Err(SandboxError::Io(FsError::Io {
        path: recovery_path(path),
        action: "write",
        source: std::io::Error::other("no free name for the unsaved edits"),
    }))
}

/// Keeps the edits of a sandbox on `path` in a new numbered recovery file
/// (see [`recovery_path`]) without touching `path`; returns the file. A
/// policy that does not parse is kept as it is (this is a rescue copy).
/// Prefer [`Baseline::keep_unsaved`], which works when `path` is gone.
pub fn keep_unsaved(path: &Path, changes: &[(PolicyRef, String)]) -> Result<PathBuf, SandboxError> {
    let file = read_text(path)?;
    let out = splice_all(&file, changes).map_err(|e| e.at(path))?;
    keep_text(path, &out)
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file that received the text (a symlink's target).
    pub path: PathBuf,
    /// The file had been deleted and was created again.
    pub recreated: bool,
    /// Nothing needed writing (the file already held these policies).
    pub unchanged: bool,
}

fn splice(
    file: &str,
    parsed: &SpanFile,
    r: &PolicyRef,
    want: Option<&str>,
) -> Result<Splice, String> {
    let missing = || format!("{r} is no longer in the file");
    match r {
        PolicyRef::Key(arn) => {
            let k = parsed
                .keys
                .iter()
                .find(|k| k.arn.get_ref() == arn)
                .ok_or_else(missing)?;
            Ok(value(file, "policy", &k.arn, k.policy.as_ref(), want))
        }
        PolicyRef::Bucket(name) => {
            let b = parsed
                .buckets
                .iter()
                .find(|b| b.name.get_ref() == name)
                .ok_or_else(missing)?;
            Ok(value(file, "policy", &b.name, b.policy.as_ref(), want))
        }
        PolicyRef::Boundary(arn) => {
            let p = parsed
                .principals
                .iter()
                .find(|p| p.arn.get_ref() == arn)
                .ok_or_else(missing)?;
            Ok(value(
                file,
                "permissions_boundary",
                &p.arn,
                p.permissions_boundary.as_ref(),
                want,
            ))
        }
        PolicyRef::Identity { principal, index } => {
            let p = parsed
                .principals
                .iter()
                .find(|p| p.arn.get_ref() == principal)
                .ok_or_else(missing)?;
            item(file, "policies", &p.arn, p.policies.as_ref(), *index, want).ok_or_else(missing)
        }
        PolicyRef::Scp { account, index } => {
            let a = parsed
                .accounts
                .iter()
                .find(|a| a.id.get_ref() == account)
                .ok_or_else(missing)?;
            item(file, "scps", &a.id, a.scps.as_ref(), *index, want).ok_or_else(missing)
        }
        PolicyRef::Rcp { account, index } => {
            let a = parsed
                .accounts
                .iter()
                .find(|a| a.id.get_ref() == account)
                .ok_or_else(missing)?;
            item(file, "rcps", &a.id, a.rcps.as_ref(), *index, want).ok_or_else(missing)
        }
    }
}

/// A single string value `key` of the table whose identifying value is
/// `anchor`: replaced, removed (`want` is `None`) or added.
fn value(
    file: &str,
    key: &str,
    anchor: &Spanned<String>,
    present: Option<&Spanned<String>>,
    want: Option<&str>,
) -> Splice {
    match (present, want) {
        (Some(v), Some(text)) => Splice {
            range: v.span(),
            with: multi_line(text),
        },
        (Some(v), None) => remove(file, key, v.span()),
        (None, Some(text)) => add(file, anchor.span().end, key, text, false),
        (None, None) => Splice {
            range: 0..0,
            with: String::new(),
        },
    }
}

/// Item `index` of the string array `key` (an item one past the end is
/// appended; the array is created if the table has none).
fn item(
    file: &str,
    key: &str,
    anchor: &Spanned<String>,
    list: Option<&Spanned<Vec<Spanned<String>>>>,
    index: usize,
    want: Option<&str>,
) -> Option<Splice> {
    let text = want.unwrap_or("");
    let Some(list) = list else {
        return (index == 0).then(|| add(file, anchor.span().end, key, text, true));
    };
    let items = list.get_ref();
    if let Some(v) = items.get(index) {
        return Some(Splice {
            range: v.span(),
            with: multi_line(text),
        });
    }
    if index != items.len() {
        return None;
    }
    Some(match items.last() {
        Some(last) => Splice {
            range: last.span().end..last.span().end,
            with: format!(", {}", multi_line(text)),
        },
        // `key = []`: the brackets are the array's span.
        None => Splice {
            range: list.span(),
            with: format!("[{}]", multi_line(text)),
        },
    })
}

/// Adds `key = text` to the table whose identifying value ends at `at`:
/// on a line of its own in a `[[table]]`, or after a comma in an inline
/// table (which must stay on one line).
fn add(file: &str, at: usize, key: &str, text: &str, array: bool) -> Splice {
    let mut line_end = file[at..].find('\n').map_or(file.len(), |i| at + i);
    // In a CRLF file the new line goes before the `\r\n`, not between.
    if line_end > at && file[..line_end].ends_with('\r') {
        line_end -= 1;
    }
    let rest = file[at..line_end].trim();
    let own_line = rest.is_empty() || rest.starts_with('#');
    let (open, close) = if array { ("[", "]") } else { ("", "") };
    if own_line {
        Splice {
            range: line_end..line_end,
            with: format!("\n{key} = {open}{}{close}", multi_line(text)),
        }
    } else {
        Splice {
            range: at..at,
            with: format!(", {key} = {open}{}{close}", one_line(text)),
        }
    }
}

/// Removes `key = <value at span>`, with its line when nothing else is on
/// it, or with the comma before it in an inline table.
fn remove(file: &str, key: &str, span: Range<usize>) -> Splice {
    let before = &file[..span.start];
    let Some(eq) = before.rfind('=') else {
        return Splice {
            range: span,
            with: "''".into(),
        };
    };
    let key_start = before[..eq].trim_end().len().saturating_sub(key.len());
    let line_start = file[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = file[span.end..]
        .find('\n')
        .map_or(file.len(), |i| span.end + i);
    if file[line_start..key_start].trim().is_empty() && file[span.end..line_end].trim().is_empty() {
        // The whole line, and its newline.
        let end = (line_end + 1).min(file.len());
        return Splice {
            range: line_start..end,
            with: String::new(),
        };
    }
    let head = file[..key_start].trim_end();
    let start = if head.ends_with(',') {
        head.len() - 1
    } else {
        key_start
    };
    Splice {
        range: start..span.end,
        with: String::new(),
    }
}

/// A TOML multi-line string holding `text` exactly: a literal string
/// (`'''`, what the scenario format asks for) when it can be one, else a
/// basic string with escapes.
pub fn multi_line(text: &str) -> String {
    let literal_ok = !text.contains("'''")
        && !text.ends_with('\'')
        && text
            .chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control());
    if literal_ok {
        return format!("'''\n{text}'''");
    }
    let mut out = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// A TOML basic string on one line.
fn one_line(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::Lab;

    const FILE: &str = r#"# A comment the instructor wrote.
title = "Sandbox test"

[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/k-1"   # the shared key
policy = '''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
'''

[[buckets]]
name = "data"
account = "111122223333"
region = "us-east-1"

[[principals]]
arn = "arn:aws:iam::444455556666:role/app"

# Requests below.
[[requests]]
name = "app decrypts"
principal = "arn:aws:iam::444455556666:role/app"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/k-1"
expect = "allow"
"#;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k-1";
    const ROLE: &str = "arn:aws:iam::444455556666:role/app";

    fn key_policy(principal: &str) -> String {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"{principal}\" }},\n      \"Action\": \"kms:*\",\n      \"Resource\": \"*\"\n    }}\n  ]\n}}\n"
        )
    }

    const ALLOW_DECRYPT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:Decrypt\",\n      \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\n    }\n  ]\n}\n";

    #[test]
    fn nothing_changed_writes_the_same_bytes() {
        let lab = Lab::sandbox("s.toml", FILE).unwrap_or_else(|d| panic!("{d:?}"));
        let same: Vec<_> = lab
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        assert_eq!(rewrite(FILE, &same).as_deref(), Ok(FILE));
    }

    #[test]
    fn a_changed_policy_is_replaced_in_place_and_the_rest_kept() {
        let both = key_policy("arn:aws:iam::444455556666:root");
        let out = rewrite(FILE, &[(PolicyRef::Key(KEY.into()), both.clone())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.starts_with("# A comment the instructor wrote.\n"));
        assert!(out.contains("# the shared key\npolicy = '''\n{"));
        assert!(out.contains("# Requests below."));
        let lab = Lab::sandbox("s.toml", &out).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(lab.editable[0].start, both);
    }

    #[test]
    fn missing_policies_are_added_and_the_file_then_grades_as_allowed() {
        let bucket = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}";
        let out = rewrite(
            FILE,
            &[
                (
                    PolicyRef::Key(KEY.into()),
                    key_policy("arn:aws:iam::444455556666:root"),
                ),
                (
                    PolicyRef::Identity {
                        principal: ROLE.into(),
                        index: 0,
                    },
                    ALLOW_DECRYPT.into(),
                ),
                (PolicyRef::Bucket("data".into()), bucket.into()),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains("name = \"data\"\npolicy = '''\n{"), "{out}");
        assert!(
            out.contains("role/app\"\npolicies = ['''\n{"),
            "a first identity policy goes under the arn:\n{out}"
        );
        let world =
            crate::core::world::load_str("s.toml", &out).unwrap_or_else(|d| panic!("{d:?}"));
        let r = &world.requests[0];
        assert_eq!(
            crate::core::eval::evaluate(&world, r).verdict,
            crate::core::world::Verdict::Allow
        );
    }

    #[test]
    fn an_emptied_bucket_policy_is_removed_with_its_line() {
        let added = rewrite(
            FILE,
            &[(PolicyRef::Bucket("data".into()), ALLOW_DECRYPT.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(added, FILE);
        let removed = rewrite(&added, &[(PolicyRef::Bucket("data".into()), "  \n".into())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed, FILE);
    }

    #[test]
    fn inline_tables_get_a_one_line_value() {
        let file = "buckets = [{ name = \"data\", account = \"111122223333\", region = \"us-east-1\" }]\n\n[[requests]]\nprincipal = \"arn:aws:iam::111122223333:role/x\"\naction = \"s3:GetObject\"\nresource = \"arn:aws:s3:::data/a\"\n";
        let out = rewrite(
            file,
            &[(PolicyRef::Bucket("data".into()), ALLOW_DECRYPT.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.starts_with("buckets = [{ name = \"data\", policy = \"{\\n"),
            "{out}"
        );
        let removed = rewrite(&out, &[(PolicyRef::Bucket("data".into()), String::new())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed, file);
    }

    #[test]
    fn texts_a_literal_string_cannot_hold_are_escaped_and_read_back_exactly() {
        for text in [
            "{ \"Sid\": \"it's\" }'",
            "{ \"Sid\": \"a'''b\" }",
            "{ \"Sid\": \"back\\\\slash \\\"q\\\"\" }\u{7}",
            "\n\nstarts with blank lines",
        ] {
            let encoded = multi_line(text);
            let doc = format!("v = {encoded}\n");
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
            assert_eq!(table["v"].as_str(), Some(text), "{doc}");
            let doc = format!("v = {}\n", one_line(text));
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
            assert_eq!(table["v"].as_str(), Some(text), "{doc}");
        }
    }

    #[test]
    fn a_file_that_no_longer_parses_is_refused_with_its_position() {
        let broken = FILE.replace("title = \"Sandbox test\"", "title = ");
        let e = rewrite(&broken, &[(PolicyRef::Key(KEY.into()), "{}".into())])
            .expect_err("broken TOML");
        assert!(e.contains("line 2, column"), "{e}");
    }

    #[test]
    fn save_writes_the_file_atomically() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("s.toml");
        std::fs::write(&path, FILE).unwrap_or_else(|e| panic!("{e}"));
        save(
            &path,
            &[(
                PolicyRef::Identity {
                    principal: ROLE.into(),
                    index: 0,
                },
                ALLOW_DECRYPT.into(),
            )],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("policies = ['''"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "s.toml")
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
        let e = save(&dir.path().join("gone.toml"), &[]).expect_err("missing file");
        assert!(e.to_string().contains("cannot read"), "{e}");
        // A copy elsewhere leaves the file alone.
        let copy = recovery_path(&path);
        assert_eq!(copy, dir.path().join("s.unsaved.toml"));
        let bucket = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}";
        save_as(
            &path,
            &copy,
            &[(PolicyRef::Bucket("data".into()), bucket.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            text,
            "the original is untouched"
        );
        assert!(
            std::fs::read_to_string(&copy)
                .unwrap_or_default()
                .contains("name = \"data\"\npolicy = '''")
        );
    }

    fn identity(index: usize) -> PolicyRef {
        PolicyRef::Identity {
            principal: ROLE.into(),
            index,
        }
    }

    fn refs() -> Vec<PolicyRef> {
        vec![
            PolicyRef::Key(KEY.into()),
            identity(0),
            PolicyRef::Bucket("data".into()),
        ]
    }

    fn opened(dir: &Path, text: &str) -> (PathBuf, Baseline) {
        let path = dir.join("s.toml");
        std::fs::write(&path, text).expect("write");
        let b = Baseline::open(&path, &refs()).expect("open");
        (path, b)
    }

    const EMPTY: &str = "{\"Version\": \"2012-10-17\", \"Statement\": []}";

    #[test]
    fn a_policy_changed_on_disk_is_a_conflict_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, mut b) = opened(dir.path(), FILE);
        let theirs = FILE.replace("\"kms:*\"", "\"kms:Decrypt\"");
        std::fs::write(&path, &theirs).expect("write");
        let mine = [(identity(0), ALLOW_DECRYPT.to_string())];
        let e = b.save(&mine).expect_err("conflict");
        let SandboxError::Conflict(c) = &e else {
            panic!("{e}")
        };
        assert_eq!(c.policies, vec![PolicyRef::Key(KEY.into())]);
        assert!(!c.other_parts);
        assert!(e.to_string().contains("changed on disk"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
        // Other parts only.
        let renamed = FILE.replace("app decrypts", "renamed");
        std::fs::write(&path, &renamed).expect("write");
        let Err(SandboxError::Conflict(c)) = b.save(&mine) else {
            panic!("conflict expected")
        };
        assert!(c.policies.is_empty() && c.other_parts);
        // Overwrite keeps their change elsewhere and writes mine.
        let saved = b.overwrite(&mine).expect("overwrite");
        assert!(!saved.recreated);
        let now = std::fs::read_to_string(&path).expect("read");
        assert!(
            now.contains("renamed") && now.contains("policies = ['''"),
            "{now}"
        );
        // And the baseline follows: the next save is not a conflict.
        b.save(&[(identity(0), EMPTY.into())]).expect("second save");
    }

    #[test]
    fn reload_and_save_as_are_the_other_ways_out_of_a_conflict() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, b) = opened(dir.path(), FILE);
        let theirs = FILE.replace("app decrypts", "theirs");
        std::fs::write(&path, &theirs).expect("write");
        let (text, fresh) = b.reload().expect("reload");
        assert_eq!(text, theirs);
        assert_eq!(fresh.text(), theirs);
        let elsewhere = dir.path().join("mine.toml");
        let mine = [(identity(0), ALLOW_DECRYPT.to_string())];
        b.save_as(&elsewhere, &mine).expect("save as");
        let copy = std::fs::read_to_string(&elsewhere).expect("read");
        assert!(copy.contains("theirs") && copy.contains("policies = ['''"));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    }

    #[test]
    fn a_touch_without_a_change_is_no_conflict() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, mut b) = opened(dir.path(), FILE);
        std::fs::write(&path, FILE).expect("rewrite same bytes");
        b.save(&[(identity(0), ALLOW_DECRYPT.into())])
            .expect("save");
    }

    #[test]
    fn a_deleted_file_is_recreated_from_the_remembered_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, mut b) = opened(dir.path(), FILE);
        std::fs::remove_file(&path).expect("rm");
        let saved = b
            .save(&[(identity(0), ALLOW_DECRYPT.into())])
            .expect("save");
        assert!(saved.recreated);
        let now = std::fs::read_to_string(&path).expect("read");
        assert!(now.starts_with("# A comment the instructor wrote."));
        assert!(now.contains("policies = ['''"));
        // Kept edits also work without the file.
        std::fs::remove_file(&path).expect("rm");
        let kept = b
            .keep_unsaved(&[(identity(0), EMPTY.into())])
            .expect("keep");
        assert_eq!(kept, dir.path().join("s.unsaved.toml"));
        assert!(
            std::fs::read_to_string(&kept)
                .expect("read")
                .contains("# Requests below.")
        );
    }

    #[test]
    fn unsaved_files_are_numbered_never_overwritten_and_listed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, b) = opened(dir.path(), FILE);
        let a = b
            .keep_unsaved(&[(identity(0), "{\"A\": 1}".into())])
            .expect("keep");
        let second = keep_unsaved(&path, &[(identity(0), "{\"B\": 2}".into())]).expect("keep");
        assert_eq!(a, dir.path().join("s.unsaved.toml"));
        assert_eq!(second, dir.path().join("s.unsaved-2.toml"));
        assert!(
            std::fs::read_to_string(&a)
                .expect("read")
                .contains("\"A\": 1")
        );
        assert!(
            std::fs::read_to_string(&second)
                .expect("read")
                .contains("\"B\": 2")
        );
        assert_eq!(unsaved_files(&path), vec![a, second]);
        assert_eq!(recovery_path(&path), dir.path().join("s.unsaved-3.toml"));
    }

    #[test]
    fn a_policy_that_does_not_parse_is_never_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, mut b) = opened(dir.path(), FILE);
        let e = b
            .save(&[(identity(0), "{\n  \"Version\": oops\n}".into())])
            .expect_err("invalid JSON");
        let msg = e.to_string();
        assert!(matches!(e, SandboxError::Policy { line: 2, .. }), "{msg}");
        assert!(
            msg.contains("identity:") && msg.contains("line 2, column"),
            "{msg}"
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), FILE);
        assert!(save(&path, &[(identity(0), "oops".into())]).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), FILE);
    }

    #[test]
    fn a_crlf_file_keeps_crlf_and_untouched_policies_look_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let crlf = FILE.replace('\n', "\r\n");
        let (path, mut b) = opened(dir.path(), &crlf);
        assert_eq!(b.line_ending(), LineEnding::CrLf);
        let lab = Lab::sandbox("s.toml", &crlf).unwrap_or_else(|d| panic!("{d:?}"));
        for e in &lab.editable {
            let editor = editor_text(&e.start);
            assert!(!b.is_edited(&e.policy, &editor), "{}", e.policy);
        }
        let key = editor_text(&lab.editable[0].start);
        b.save(&[
            (PolicyRef::Key(KEY.into()), key),
            (identity(0), ALLOW_DECRYPT.into()),
        ])
        .expect("save");
        let now = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            now.matches('\n').count(),
            now.matches("\r\n").count(),
            "{now:?}"
        );
        let head = &crlf[..crlf.find("[[principals]]").unwrap_or(0)];
        assert!(
            now.starts_with(head),
            "the untouched key policy is byte for byte"
        );
    }

    #[cfg(unix)]
    #[test]
    fn saving_keeps_mode_symlinks_and_hard_links_and_refuses_read_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.toml");
        std::fs::write(&real, FILE).expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let hard = dir.path().join("hard.toml");
        std::fs::hard_link(&real, &hard).expect("hard link");
        let mut b = Baseline::open(&link, &refs()).expect("open");
        b.save(&[(identity(0), ALLOW_DECRYPT.into())])
            .expect("save");
        for p in [&real, &hard] {
            let text = std::fs::read_to_string(p).expect("read");
            assert!(text.contains("policies = ['''"), "{}", p.display());
        }
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let before = std::fs::read_to_string(&real).expect("read");
        let e = b.save(&[(identity(0), EMPTY.into())]);
        assert!(matches!(e, Err(SandboxError::ReadOnly { .. })), "{e:?}");
        assert_eq!(std::fs::read_to_string(&real).expect("read"), before);
    }
}
