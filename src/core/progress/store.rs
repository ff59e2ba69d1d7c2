//! Where progress lives: a JSON file written atomically under a lock, or
//! memory (for tests and for a session that cannot save).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Progress, SCHEMA_VERSION, upgrade};
use crate::core::fs::{sync_dir, write_atomic};

/// The progress file's name inside the data folder.
pub const FILE_NAME: &str = "progress.json";
/// The lock file's name inside the data folder (kept; only locked).
pub const LOCK_NAME: &str = "progress.lock";
/// The largest progress file read (1 GiB: far beyond any real history,
/// but a bound, so that a device in its place cannot use all memory).
pub const MAX_PROGRESS_BYTES: u64 = 1024 * 1024 * 1024;

/// The folder progress is kept in: `override_dir` (from `--data-dir` or
/// `KEYSHAKE_DATA_DIR`) or the platform's data folder for keyshake.
pub fn data_dir(override_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    match override_dir {
        Some(dir) => Ok(dir.to_path_buf()),
        None => directories::ProjectDirs::from("", "", "keyshake")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or(StoreError::NoDataDir),
    }
}

/// The longest profile name `--profile` accepts.
pub const MAX_PROFILE_LEN: usize = 64;

/// Checks a `--profile` name: 1 to 64 ASCII letters, digits, `-` and `_`,
/// so it can only ever name one folder inside `profiles/`.
pub fn check_profile(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > MAX_PROFILE_LEN {
        return Err(format!(
            "profile name {name:?} must be 1 to {MAX_PROFILE_LEN} characters long"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "profile name {name:?} contains {c:?}; use letters, digits, '-' and '_' only"
        ));
    }
    Ok(())
}

/// The folder for one student's progress: [`data_dir`] itself without a
/// profile (as before profiles existed), else `DATA/profiles/NAME`.
pub fn profile_dir(override_dir: Option<&Path>, profile: Option<&str>) -> Result<PathBuf, String> {
    let base = data_dir(override_dir).map_err(|e| e.to_string())?;
    match profile {
        None => Ok(base),
        Some(name) => {
            check_profile(name)?;
            Ok(base.join("profiles").join(name))
        }
    }
}

/// Why progress could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No home folder to derive the data folder from.
    #[error(
        "cannot tell where to keep progress (no home folder); use --data-dir DIR or KEYSHAKE_DATA_DIR"
    )]
    NoDataDir,
    /// A file operation failed.
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done ("write", "lock", ...).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// The file was written by a newer keyshake; saving could lose its data.
    #[error(
        "{} was written by a newer keyshake (schema version {found}; this one writes {SCHEMA_VERSION}); progress is not saved, so nothing in it is lost",
        path.display()
    )]
    NewerVersion {
        /// The progress file.
        path: PathBuf,
        /// The version found in it.
        found: u32,
    },
    /// Progress could not be turned into JSON (should not happen).
    #[error("cannot encode progress: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Something the learner should be told on screen; loading went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreWarning {
    /// The file could not be read; it was moved aside and a fresh one
    /// started.
    Corrupt {
        /// Where the file was.
        path: PathBuf,
        /// Where it is now.
        moved_to: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
    /// Some parts of the file could not be read: the rest was, and the
    /// whole file was copied aside first.
    Partial {
        /// The progress file.
        path: PathBuf,
        /// The copy of the file as it was.
        copy: PathBuf,
        /// The JSON paths of the parts left out.
        dropped: Vec<String>,
    },
    /// The file is from a newer keyshake; it is read but never written.
    NewerVersion {
        /// The progress file.
        path: PathBuf,
        /// The version found in it.
        found: u32,
    },
}

impl fmt::Display for StoreWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreWarning::Corrupt {
                path,
                moved_to,
                reason,
            } => write!(
                f,
                "Your progress file {} could not be read ({reason}). It was moved to {} and a fresh one was started.",
                path.display(),
                moved_to.display()
            ),
            StoreWarning::Partial {
                path,
                copy,
                dropped,
            } => {
                let first: Vec<&str> = dropped.iter().take(3).map(String::as_str).collect();
                let more = match dropped.len().saturating_sub(3) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                write!(
                    f,
                    "Part of your progress file {} could not be read ({}{more}); the rest was kept. A copy of the whole file is at {}.",
                    path.display(),
                    first.join(", "),
                    copy.display()
                )
            }
            StoreWarning::NewerVersion { path, found } => write!(
                f,
                "Your progress file {} comes from a newer keyshake (schema version {found}). This version shows it but will not save changes to it.",
                path.display()
            ),
        }
    }
}

/// Progress as loaded, with anything the learner should be told.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The progress.
    pub progress: Progress,
    /// Warnings to show on screen.
    pub warnings: Vec<StoreWarning>,
}

/// A place progress is kept.
pub trait ProgressStore {
    /// Reads the current progress.
    fn load(&mut self, now: u64) -> Result<Loaded, StoreError>;

    /// Applies `change` to the latest saved progress and saves it; returns
    /// the progress as saved. `now` is unix seconds (used to name files
    /// moved aside).
    fn update(
        &mut self,
        now: u64,
        change: &mut dyn FnMut(&mut Progress),
    ) -> Result<Loaded, StoreError>;
}

/// Progress kept in memory only.
#[derive(Debug, Clone, Default)]
pub struct MemStore {
    /// The current progress.
    pub progress: Progress,
}

impl ProgressStore for MemStore {
    fn load(&mut self, _now: u64) -> Result<Loaded, StoreError> {
        Ok(Loaded {
            progress: self.progress.clone(),
            warnings: Vec::new(),
        })
    }

    fn update(
        &mut self,
        _now: u64,
        change: &mut dyn FnMut(&mut Progress),
    ) -> Result<Loaded, StoreError> {
        change(&mut self.progress);
        self.load(0)
    }
}

/// Progress in `progress.json` inside a data folder.
///
/// Every operation takes an exclusive lock on `progress.lock`, re-reads the
/// file, and (for changes) writes a temporary file in the same folder,
/// syncs it, renames it over the old one and syncs the folder. So a crash
/// never leaves a half-written file, and two keyshake processes never lose
/// each other's updates.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// The lock file cannot be created or opened because the folder is not
/// writable, which does not stop anyone from reading.
fn lock_refused(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

impl FileStore {
    /// A store in `dir` (created when first needed).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStore { dir: dir.into() }
    }

    /// The progress file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn io(path: &Path, action: &'static str) -> impl FnOnce(io::Error) -> StoreError {
        let path = path.to_path_buf();
        move |source| StoreError::Io {
            path,
            action,
            source,
        }
    }

    /// Takes the exclusive lock; it is released when the file is dropped.
    fn lock(&self) -> Result<File, StoreError> {
        fs::create_dir_all(&self.dir).map_err(Self::io(&self.dir, "create folder"))?;
        let path = self.dir.join(LOCK_NAME);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Self::io(&path, "open lock file"))?;
        file.lock().map_err(Self::io(&path, "lock"))?;
        Ok(file)
    }

    /// Reads the file; the caller holds the lock.
    fn read_locked(&self, now: u64) -> Result<Loaded, StoreError> {
        let path = self.path();
        // A regular file only: a FIFO in its place would hang the tutor.
        let bytes = match crate::core::fs::read_regular(&path, MAX_PROGRESS_BYTES) {
            Ok(b) => b,
            Err(e) if e.is_not_found() => {
                return Ok(Loaded {
                    progress: Progress::default(),
                    warnings: Vec::new(),
                });
            }
            Err(e) => return self.move_aside(now, format!("cannot read it: {}", e.reason())),
        };
        match parse(&bytes) {
            Ok((progress, found, dropped)) => {
                let mut warnings = Vec::new();
                if found > SCHEMA_VERSION {
                    warnings.push(StoreWarning::NewerVersion {
                        path: path.clone(),
                        found,
                    });
                }
                if !dropped.is_empty() {
                    warnings.push(self.copy_aside(now, &bytes, dropped)?);
                }
                Ok(Loaded { progress, warnings })
            }
            Err(reason) => self.move_aside(now, reason),
        }
    }

    /// Keeps a copy of a file that was read only in part, as
    /// `progress.<now>.corrupt`, so that the parts dropped are not lost.
    fn copy_aside(
        &self,
        now: u64,
        bytes: &[u8],
        dropped: Vec<String>,
    ) -> Result<StoreWarning, StoreError> {
        let copy = match same_copy(&self.dir, bytes) {
            Some(existing) => existing,
            None => {
                let copy = free_name(&self.dir, now, "corrupt");
                write_atomic(&copy, |f| f.write_all(bytes)).map_err(Self::io(&copy, "write"))?;
                copy
            }
        };
        Ok(StoreWarning::Partial {
            path: self.path(),
            copy,
            dropped,
        })
    }

    /// Moves an unusable file to `progress.<now>.corrupt` and starts fresh.
    fn move_aside(&self, now: u64, reason: String) -> Result<Loaded, StoreError> {
        let path = self.path();
        let moved_to = free_name(&self.dir, now, "corrupt");
        fs::rename(&path, &moved_to).map_err(Self::io(&path, "move the unreadable file aside"))?;
        sync_dir(&self.dir).map_err(Self::io(&self.dir, "sync folder"))?;
        Ok(Loaded {
            progress: Progress::default(),
            warnings: vec![StoreWarning::Corrupt {
                path,
                moved_to,
                reason,
            }],
        })
    }

    fn write_locked(&self, progress: &Progress) -> Result<(), StoreError> {
        let mut bytes = serde_json::to_vec_pretty(progress)?;
        bytes.push(b'\n');
        let path = self.path();
        write_atomic(&path, |f| f.write_all(&bytes)).map_err(Self::io(&path, "write"))
    }

    /// Starts over: copies the current file to `progress.<now>.bak` and
    /// writes an empty one. Returns the backup's path (`None` when there
    /// was nothing to back up).
    pub fn reset(&mut self, now: u64) -> Result<Option<PathBuf>, StoreError> {
        let _lock = self.lock()?;
        let path = self.path();
        let backup = if path.exists() {
            let backup = free_name(&self.dir, now, "bak");
            fs::copy(&path, &backup).map_err(Self::io(&backup, "write backup"))?;
            File::open(&backup)
                .and_then(|f| f.sync_all())
                .map_err(Self::io(&backup, "sync backup"))?;
            Some(backup)
        } else {
            None
        };
        self.write_locked(&Progress::default())?;
        Ok(backup)
    }
}

impl ProgressStore for FileStore {
    fn load(&mut self, now: u64) -> Result<Loaded, StoreError> {
        match self.lock() {
            Ok(_lock) => self.read_locked(now),
            // A read-only data folder (a read-only mount, another user's
            // folder): the progress can still be shown; saving will say
            // why it cannot.
            Err(StoreError::Io { source, .. }) if lock_refused(&source) => self.read_locked(now),
            Err(e) => Err(e),
        }
    }

    fn update(
        &mut self,
        now: u64,
        change: &mut dyn FnMut(&mut Progress),
    ) -> Result<Loaded, StoreError> {
        let _lock = self.lock()?;
        let mut loaded = self.read_locked(now)?;
        if loaded.progress.version > SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                path: self.path(),
                found: loaded.progress.version,
            });
        }
        change(&mut loaded.progress);
        loaded.progress.version = SCHEMA_VERSION;
        self.write_locked(&loaded.progress)?;
        Ok(loaded)
    }
}

/// Parses a progress file of any known schema, with the version found and
/// the paths of any parts that had to be dropped; `Err` says why it is
/// unusable.
pub(crate) fn parse(bytes: &[u8]) -> Result<(Progress, u32, Vec<String>), String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() && bytes.iter().all(u8::is_ascii_whitespace) {
            "the file is empty".to_string()
        } else {
            format!("not valid JSON at line {} column {}", e.line(), e.column())
        }
    })?;
    let Value::Object(doc) = value else {
        return Err("it does not hold a JSON object".to_string());
    };
    let (doc, found) = upgrade(doc).map_err(|e| e.to_string())?;
    match serde_json::from_value::<Progress>(Value::Object(doc.clone())) {
        Ok(mut progress) => {
            // SM-2 cards of older versions become FSRS cards (kept at the next save).
            progress.quiz.migrate_sm2();
            Ok((progress, found, Vec::new()))
        }
        Err(e) => match super::salvage::salvage(doc) {
            Some((mut progress, dropped)) if !dropped.is_empty() => {
                progress.quiz.migrate_sm2();
                Ok((progress, found, dropped))
            }
            _ => Err(format!("unexpected content: {e}")),
        },
    }
}
/// A `progress.*.corrupt` copy in `dir` that already holds `bytes`, so
/// that reading the same damaged file twice keeps one copy.
fn same_copy(dir: &Path, bytes: &[u8]) -> Option<PathBuf> {
    fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
        let name = entry.file_name();
        let name = name.to_str()?;
        let candidate = name.starts_with("progress.") && name.ends_with(".corrupt");
        let meta = entry.metadata().ok()?;
        (candidate && meta.is_file() && meta.len() == bytes.len() as u64)
            .then(|| entry.path())
            .filter(|p| fs::read(p).is_ok_and(|b| b == bytes))
    })
}

/// `progress.<now>.<ext>` in `dir`, or `progress.<now>-<n>.<ext>` if taken.
fn free_name(dir: &Path, now: u64, ext: &str) -> PathBuf {
    let first = dir.join(format!("progress.{now}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2u32..)
        .map(|n| dir.join(format!("progress.{now}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_stay_inside_the_profiles_folder() {
        let base = Path::new("/data");
        assert_eq!(profile_dir(Some(base), None), Ok(PathBuf::from("/data")));
        assert_eq!(
            profile_dir(Some(base), Some("ana_b-2")),
            Ok(PathBuf::from("/data/profiles/ana_b-2"))
        );
        for bad in ["", "../x", "a/b", "a b", ".", "é", &"x".repeat(65)] {
            assert!(profile_dir(Some(base), Some(bad)).is_err(), "{bad:?}");
        }
        assert!(check_profile(&"x".repeat(64)).is_ok());
    }

    fn must<T, E: fmt::Debug>(r: Result<T, E>) -> T {
        match r {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn temp() -> tempfile::TempDir {
        must(tempfile::tempdir())
    }

    #[test]
    fn free_names_do_not_clobber() {
        let dir = temp();
        let a = free_name(dir.path(), 7, "corrupt");
        must(fs::write(&a, b"x"));
        let b = free_name(dir.path(), 7, "corrupt");
        assert_eq!(
            a.file_name().and_then(|n| n.to_str()),
            Some("progress.7.corrupt")
        );
        assert_eq!(
            b.file_name().and_then(|n| n.to_str()),
            Some("progress.7-2.corrupt")
        );
    }

    #[test]
    fn parse_explains_what_is_wrong() {
        assert_eq!(parse(b"  \n").err().as_deref(), Some("the file is empty"));
        assert_eq!(
            parse(b"{\"version\": 1,\n  oops}").err().as_deref(),
            Some("not valid JSON at line 2 column 3")
        );
        assert_eq!(
            parse(b"[1, 2]").err().as_deref(),
            Some("it does not hold a JSON object")
        );
        // One wrongly typed part costs that part, not the file.
        let (p, _, dropped) =
            parse(b"{\"version\": 1, \"lessons\": 5, \"walkthroughs\": {\"envelope\": 9}}")
                .expect("read in part");
        assert_eq!(dropped, vec!["lessons".to_string()]);
        assert_eq!(p.walkthroughs["envelope"], 9);
    }
}
