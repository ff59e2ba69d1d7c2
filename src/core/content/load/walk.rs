//! Reading a pack folder from disk: every `.toml` file, within the size and
//! count limits, refusing symlinks that lead out of the folder (a pack is
//! data from a stranger and must not read the rest of the disk).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use super::SourceFile;
use crate::core::diag::Diagnostic;

/// The largest content file a pack may hold (1 MiB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The most bytes a pack's `.toml` files may hold together (20 MiB).
pub const MAX_PACK_BYTES: u64 = 20 * 1024 * 1024;
/// The most `.toml` files a pack may hold.
pub const MAX_PACK_FILES: usize = 2000;

/// Reads every `.toml` file under `dir` (sorted by relative path), within
/// the size limits, refusing symlinks that lead out of `dir`.
pub(in crate::core::content) fn read_dir(dir: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        problems.push(Diagnostic::file_error(
            &dir.display().to_string(),
            "content folder not found (or not a folder)",
        ));
        return (files, problems);
    }
    let root = match fs::canonicalize(dir) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Diagnostic::file_error(
                &dir.display().to_string(),
                format!("cannot read folder: {e}"),
            ));
            return (files, problems);
        }
    };
    let mut walker = Walker {
        root: dir,
        real_root: &root,
        files: &mut files,
        problems: &mut problems,
        bytes: 0,
        stopped: false,
        visited: HashSet::new(),
    };
    walker.walk(dir);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, problems)
}

struct Walker<'a> {
    root: &'a Path,
    real_root: &'a Path,
    files: &'a mut Vec<SourceFile>,
    problems: &'a mut Vec<Diagnostic>,
    bytes: u64,
    stopped: bool,
    /// Folders already read (by real path), so a link back up the tree
    /// cannot loop.
    visited: HashSet<std::path::PathBuf>,
}

impl Walker<'_> {
    fn refuse(&mut self, path: &Path, message: String) {
        self.problems
            .push(Diagnostic::file_error(&path.display().to_string(), message));
    }

    fn walk(&mut self, dir: &Path) {
        if let Ok(real) = fs::canonicalize(dir)
            && !self.visited.insert(real)
        {
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.refuse(dir, format!("cannot read folder: {e}"));
                return;
            }
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if self.stopped {
                return;
            }
            let Ok(meta) = fs::symlink_metadata(&path) else {
                self.refuse(&path, "cannot read file".to_string());
                continue;
            };
            if meta.file_type().is_symlink() {
                // A link may point inside the pack; one that leads out of it
                // would let a pack read any file the learner can read.
                match fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(self.real_root) => {}
                    Ok(target) => {
                        self.refuse(
                            &path,
                            format!(
                                "symlink to {} leads out of the pack folder; refused",
                                target.display()
                            ),
                        );
                        continue;
                    }
                    Err(e) => {
                        self.refuse(&path, format!("broken symlink: {e}"));
                        continue;
                    }
                }
            }
            if path.is_dir() {
                self.walk(&path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            self.read(&path);
        }
    }

    fn read(&mut self, path: &Path) {
        let size = fs::metadata(path).map_or(0, |m| m.len());
        if size > MAX_FILE_BYTES {
            self.refuse(
                path,
                format!(
                    "file is {size} bytes; a pack file may hold at most {MAX_FILE_BYTES} bytes (1 MiB)"
                ),
            );
            return;
        }
        if self.files.len() >= MAX_PACK_FILES {
            self.refuse(
                path,
                format!(
                    "the pack has more than {MAX_PACK_FILES} .toml files; reading stopped here"
                ),
            );
            self.stopped = true;
            return;
        }
        self.bytes += size;
        if self.bytes > MAX_PACK_BYTES {
            self.refuse(
                path,
                format!(
                    "the pack's files hold more than {MAX_PACK_BYTES} bytes (20 MiB); reading stopped here"
                ),
            );
            self.stopped = true;
            return;
        }
        let rel = path
            .strip_prefix(self.root)
            .map(|r| {
                r.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        // A regular file only (a FIFO would block forever, a device read
        // without end), and never more than the limit, whatever its
        // metadata said a moment ago.
        match crate::core::fs::read_regular_string(path, MAX_FILE_BYTES) {
            Ok(text) => self.files.push(SourceFile {
                rel,
                display: path.display().to_string(),
                text,
            }),
            Err(e) => self.refuse(path, e.reason()),
        }
    }
}
