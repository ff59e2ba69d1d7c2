//! The file as a sandbox opened it, and the saves that check it first.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{
    Conflict, LineEnding, SandboxError, Saved, check_policies, current, editor_text, keep_text,
    read, read_text, splice_all,
};
use crate::core::content::lab::PolicyRef;
use crate::core::fs::write_preserving;

/// A sandbox file as it was opened (or last saved): what [`Baseline::save`]
/// compares the disk with, and the text it falls back on when the file is
/// gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    path: PathBuf,
    text: String,
    hash: u64,
    size: u64,
    modified: Option<SystemTime>,
    /// Each policy's text in editor form (`None`: the file has none).
    policies: Vec<(PolicyRef, Option<String>)>,
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Baseline {
    /// Reads `path` (a regular file, size-limited) and remembers it and
    /// the texts of `policies`.
    pub fn open(path: &Path, policies: &[PolicyRef]) -> Result<Baseline, SandboxError> {
        let text = read_text(path)?;
        Baseline::from_text(path, text, policies)
    }

    /// A baseline for `text`, which was just read from `path`.
    pub fn from_text(
        path: &Path,
        text: String,
        policies: &[PolicyRef],
    ) -> Result<Baseline, SandboxError> {
        let parsed = read(&text).map_err(|message| SandboxError::Parse {
            path: path.to_path_buf(),
            message,
        })?;
        let policies = policies
            .iter()
            .map(|r| (r.clone(), current(&parsed, r).map(|t| editor_text(&t))))
            .collect();
        Ok(Baseline {
            path: path.to_path_buf(),
            hash: hash(&text),
            size: text.len() as u64,
            modified: modified(path),
            text,
            policies,
        })
    }

    /// The file's path as opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole file as opened or last saved.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file's modification time as opened or last saved (to show
    /// "changed at ..." beside a conflict). A save decides on the bytes,
    /// not on this: a `touch` alone is no conflict, and an edit within the
    /// same clock tick still is one.
    pub fn modified(&self) -> Option<SystemTime> {
        self.modified
    }

    /// The file's line ending.
    pub fn line_ending(&self) -> LineEnding {
        LineEnding::of(&self.text)
    }

    /// The text of `policy` as opened, in editor form (`\n` line ends).
    pub fn policy(&self, policy: &PolicyRef) -> Option<&str> {
        self.policies
            .iter()
            .find(|(r, _)| r == policy)
            .and_then(|(_, t)| t.as_deref())
    }

    /// Whether the editor's `text` for `policy` differs from the file as
    /// opened (line endings aside).
    pub fn is_edited(&self, policy: &PolicyRef, text: &str) -> bool {
        self.policy(policy).unwrap_or("") != editor_text(text)
    }

    /// What changed on disk since this baseline: `Ok(None)` when the file
    /// holds the same bytes, `Ok(Some(conflict))` when it differs, an
    /// error when it cannot be read (a missing file is `NotFound`).
    pub fn changes_on_disk(&self) -> Result<Option<Conflict>, SandboxError> {
        let now = read_text(&self.path)?;
        if now.len() as u64 == self.size && hash(&now) == self.hash {
            return Ok(None);
        }
        let parsed = read(&now).ok();
        let policies = self
            .policies
            .iter()
            .filter(|(r, then)| {
                let there = parsed
                    .as_ref()
                    .and_then(|p| current(p, r))
                    .map(|t| editor_text(&t));
                parsed.is_none() || &there != then
            })
            .map(|(r, _)| r.clone())
            .collect();
        // Put the policies back as they were: if that gives the old file,
        // only policies changed.
        let back: Vec<(PolicyRef, String)> = self
            .policies
            .iter()
            .map(|(r, t)| (r.clone(), t.clone().unwrap_or_default()))
            .collect();
        let other_parts = splice_all(&now, &back).map_or(true, |t| t != self.text);
        Ok(Some(Conflict {
            path: self.path.clone(),
            policies,
            other_parts,
        }))
    }

    /// Saves `changes` into the file, unless it changed on disk since it
    /// was opened ([`SandboxError::Conflict`]). A file deleted meanwhile
    /// is created again from the remembered text ([`Saved::recreated`]).
    pub fn save(&mut self, changes: &[(PolicyRef, String)]) -> Result<Saved, SandboxError> {
        check_policies(changes)?;
        match self.changes_on_disk() {
            Ok(None) => self.write(&self.text.clone(), changes),
            Ok(Some(conflict)) => Err(SandboxError::Conflict(conflict)),
            Err(SandboxError::Io(e)) if e.is_not_found() => self.write(&self.text.clone(), changes),
            Err(e) => Err(e),
        }
    }

    /// Saves `changes` although the file changed on disk: they are placed
    /// into the file as it is *now* (so another editor's change elsewhere
    /// survives; these policies win), or into the remembered text when the
    /// file is gone or no longer reads as a scenario.
    pub fn overwrite(&mut self, changes: &[(PolicyRef, String)]) -> Result<Saved, SandboxError> {
        check_policies(changes)?;
        let base = self.merge_base();
        self.write(&base, changes)
    }

    /// Writes the merged text (as [`Baseline::overwrite`] would) to `to`,
    /// leaving this file alone.
    pub fn save_as(
        &self,
        to: &Path,
        changes: &[(PolicyRef, String)],
    ) -> Result<Saved, SandboxError> {
        check_policies(changes)?;
        let out = splice_all(&self.merge_base(), changes).map_err(|e| e.at(&self.path))?;
        let w = write_preserving(to, out.as_bytes())?;
        Ok(Saved {
            path: w.path,
            recreated: false,
            unchanged: false,
        })
    }

    /// The file as it is on disk now, read anew (the learner chose to drop
    /// the edits and take the other change): its text and a fresh
    /// baseline. The caller parses the text as a sandbox again.
    pub fn reload(&self) -> Result<(String, Baseline), SandboxError> {
        let refs: Vec<PolicyRef> = self.policies.iter().map(|(r, _)| r.clone()).collect();
        let text = read_text(&self.path)?;
        let fresh = Baseline::from_text(&self.path, text.clone(), &refs)?;
        Ok((text, fresh))
    }

    /// Keeps `changes` in a new numbered recovery file beside the file
    /// (never overwriting an earlier one), built from the remembered text
    /// when the file is gone; returns the recovery file.
    pub fn keep_unsaved(&self, changes: &[(PolicyRef, String)]) -> Result<PathBuf, SandboxError> {
        let out = splice_all(&self.merge_base(), changes).map_err(|e| e.at(&self.path))?;
        keep_text(&self.path, &out)
    }

    /// The current disk text if it reads as a scenario, else the
    /// remembered one.
    fn merge_base(&self) -> String {
        read_text(&self.path)
            .ok()
            .filter(|t| read(t).is_ok())
            .unwrap_or_else(|| self.text.clone())
    }

    fn write(
        &mut self,
        base: &str,
        changes: &[(PolicyRef, String)],
    ) -> Result<Saved, SandboxError> {
        let out = splice_all(base, changes).map_err(|e| e.at(&self.path))?;
        let exists =
            std::fs::symlink_metadata(&self.path).is_ok() && std::fs::metadata(&self.path).is_ok();
        if exists && out == base && base == self.text {
            return Ok(Saved {
                path: self.path.clone(),
                recreated: false,
                unchanged: true,
            });
        }
        let w = write_preserving(&self.path, out.as_bytes())?;
        let refs: Vec<PolicyRef> = self.policies.iter().map(|(r, _)| r.clone()).collect();
        *self = Baseline::from_text(&self.path, out, &refs)?;
        Ok(Saved {
            path: w.path,
            recreated: w.recreated,
            unchanged: false,
        })
    }
}
