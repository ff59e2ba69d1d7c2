//! The one place keyshake reads and writes files a user or another program
//! controls.
//!
//! - [`read_regular`] / [`read_regular_string`]: read a *regular* file with a
//!   size limit. FIFOs, sockets, devices (`/dev/zero`, `/dev/tty`) and
//!   folders are refused by name without blocking, so a path typed into the
//!   tutor can never freeze the terminal or eat the memory.
//! - [`write_atomic`]: replace a file whole (temp file in the same folder,
//!   synced, renamed over the target), cleaning up temp files that a killed
//!   keyshake left behind.
//! - [`write_preserving`]: save a file the *user* owns (a sandbox scenario):
//!   through symlinks, keeping its mode, owner and hard links.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The operating system refused or failed.
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("read", "open", "write", ...).
        action: &'static str,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The path names something that is not a regular file.
    #[error("{}: cannot read a {kind}; give the path of a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is ("FIFO (named pipe)", "character device", ...).
        kind: &'static str,
    },
    /// The file is larger than the reader accepts.
    #[error("{}: the file is larger than {limit} bytes, the most keyshake reads here", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{}: not UTF-8 text (byte {offset} is invalid)", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The file may not be written (its permissions say read-only).
    #[error("{}: the file is read-only; it was not changed (save it under another name, or make it writable first)", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
}

impl FsError {
    /// The message without the leading "PATH: ", for a diagnostic that
    /// names the file itself.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let path = match self {
            FsError::Io { path, .. }
            | FsError::NotRegular { path, .. }
            | FsError::TooLarge { path, .. }
            | FsError::NotUtf8 { path, .. }
            | FsError::ReadOnly { path } => path.display().to_string(),
        };
        match full.strip_prefix(&format!("{path}: ")) {
            Some(rest) => rest.to_string(),
            None => full,
        }
    }

    /// True when the file (or a folder on its path) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FsError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }

    fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> FsError + 'a {
        move |source| FsError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

/// A name for what `meta` describes, for a file that is not regular.
fn kind_name(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
    }
    "special file"
}

/// `O_NONBLOCK` where its value is known: opening a FIFO that was swapped in
/// after the type check then returns at once instead of waiting for a
/// writer. Regular files ignore the flag.
#[cfg(unix)]
fn nonblocking(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    ))]
    options.custom_flags(0o4000);
    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))]
    options.custom_flags(0x4);
    let _ = options;
}

#[cfg(not(unix))]
fn nonblocking(_options: &mut OpenOptions) {}

/// Reads the regular file at `path` (symlinks followed), at most `limit`
/// bytes.
///
/// The file type is checked before opening and again on the opened handle,
/// so a FIFO, socket or device is refused by name and never blocks; the read
/// itself stops at `limit + 1` bytes, so a file that grows (or lies about
/// its size) cannot use more memory than that.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FsError> {
    let before = fs::metadata(path).map_err(FsError::io(path, "read"))?;
    if !before.is_file() {
        return Err(FsError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_name(&before),
        });
    }
    if before.len() > limit {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let mut options = OpenOptions::new();
    options.read(true);
    nonblocking(&mut options);
    let file = options.open(path).map_err(FsError::io(path, "open"))?;
    let after = file.metadata().map_err(FsError::io(path, "read"))?;
    if !after.is_file() {
        return Err(FsError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_name(&after),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(after.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FsError::io(path, "read"))?;
    if bytes.len() as u64 > limit {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_regular`], then checks the bytes are UTF-8 text.
pub fn read_regular_string(path: &Path, limit: u64) -> Result<String, FsError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|e| FsError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Temp files older than this whose writer cannot be proven alive are
/// removed by the next save to the same folder.
const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// The folder `target` is in (a bare file name is in the current folder).
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn file_name_of(target: &Path) -> String {
    target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned())
}

/// A temp name for `target` that no other write uses: `.NAME.PID.N.R.tmp`
/// with a process-wide counter `N` and a random `R`, so neither threads nor
/// a later process that reuses a PID (PID 1 in containers) can collide.
fn temp_name(dir: &Path, name: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    dir.join(format!(
        ".{name}.{}.{}.{:08x}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    ))
}

/// The PID in a temp name of ours for `name` (`.NAME.PID.<digits/hex>….tmp`,
/// also the older `.NAME.PID.N.tmp`), or `None` for any other file.
fn temp_pid(file: &str, name: &str) -> Option<u32> {
    let middle = file
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?
        .strip_suffix(".tmp")?;
    let mut parts = middle.split('.');
    let pid = parts.next()?.parse().ok()?;
    let rest: Vec<&str> = parts.collect();
    let ok = !rest.is_empty()
        && rest.len() <= 2
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_hexdigit()));
    ok.then_some(pid)
}

/// Whether process `pid` is known to be gone (only where `/proc` tells).
fn pid_is_dead(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Removes temp files for `name` in `dir` that a killed keyshake left: their
/// writer's PID is gone, or they are older than [`STALE_AFTER`]. Our own
/// process's recent temps are never touched (another thread may be writing).
fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| temp_pid(f, name)) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old || (pid != me && pid_is_dead(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates a fresh temp file beside `target`, retrying on a name clash.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = temp_name(dir, name);
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// Writes `target` atomically: a temporary file in the same folder is
/// written by `fill`, synced, and renamed over `target`; then the folder is
/// synced. On any error the temporary file is removed and `target` is left
/// as it was. An existing target's permissions are kept; stale temp files
/// of earlier, killed writers are removed first.
pub fn write_atomic(
    target: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = folder_of(target);
    let name = file_name_of(target);
    remove_stale_temps(dir, &name);
    let (tmp, mut file) = create_temp(dir, &name)?;
    let result = (|| {
        if let Ok(meta) = fs::metadata(target) {
            file.set_permissions(meta.permissions())?;
        }
        fill(&mut file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, target)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        // Best effort: the temp file may already be renamed (only the
        // folder sync failed).
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Makes a rename durable (Linux needs the folder itself synced).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

/// Writes `bytes` to `path` only if nothing is there yet, atomically: a
/// synced temp copy is hard-linked to `path` (which fails if `path`
/// exists, even when another process races for the same name) and then
/// removed. Where hard links are not supported, the file is created with
/// `create_new` and written directly.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = folder_of(path);
    let name = file_name_of(path);
    remove_stale_temps(dir, &name);
    let (tmp, mut file) = create_temp(dir, &name)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => sync_dir(dir),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            sync_dir(dir)
        }
    }
}

/// What [`write_preserving`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file that received the bytes (the symlink's target, if any).
    pub path: PathBuf,
    /// The file did not exist any more and was created again.
    pub recreated: bool,
    /// The file has other hard links, so it was written in place.
    pub in_place: bool,
}

/// Follows symlinks of `path` to the file they name (which may not exist).
fn resolve_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&current) {
            Ok(next) => {
                current = if next.is_absolute() {
                    next
                } else {
                    folder_of(&current).join(next)
                };
            }
            Err(_) => return current,
        }
    }
    current
}

/// Saves `bytes` to a file the user owns, keeping what makes it *that* file:
///
/// - a symlink is followed, so its target receives the text;
/// - mode (0600 stays 0600) and, where allowed, owner and group are copied
///   to the replacement;
/// - a file with other hard links is written in place (see below), so every
///   name sees the new text;
/// - a read-only file is refused ([`FsError::ReadOnly`]), never replaced;
/// - a file that was deleted is created again ([`Written::recreated`]).
pub fn write_preserving(path: &Path, bytes: &[u8]) -> Result<Written, FsError> {
    let real = resolve_links(path);
    let meta = match fs::metadata(&real) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(FsError::io(&real, "read")(e)),
    };
    let Some(meta) = meta else {
        write_atomic(&real, |f| f.write_all(bytes)).map_err(FsError::io(&real, "write"))?;
        return Ok(Written {
            path: real,
            recreated: true,
            in_place: false,
        });
    };
    if !meta.is_file() {
        return Err(FsError::NotRegular {
            path: real,
            kind: kind_name(&meta),
        });
    }
    if meta.permissions().readonly() {
        return Err(FsError::ReadOnly { path: real });
    }
    if link_count(&meta) > 1 {
        write_in_place(&real, bytes)?;
        return Ok(Written {
            path: real,
            recreated: false,
            in_place: true,
        });
    }
    write_atomic(&real, |f| {
        copy_owner(f, &meta);
        f.write_all(bytes)
    })
    .map_err(FsError::io(&real, "write"))?;
    Ok(Written {
        path: real,
        recreated: false,
        in_place: false,
    })
}

#[cfg(unix)]
fn link_count(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn link_count(_meta: &Metadata) -> u64 {
    1
}

/// Gives the replacement the original's owner and group. Only root may give
/// a file away, so for everyone else this fails quietly and the file keeps
/// the saver's owner (its mode is copied by [`write_atomic`] either way).
fn copy_owner(file: &File, meta: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    #[cfg(not(unix))]
    {
        let _ = (file, meta);
    }
}

/// Writes a hard-linked file in place, so all its names keep one inode.
///
/// A rename would give only this name the new text, so the bytes must go
/// into the existing inode, and truncating it loses the old text if the
/// write then fails. The order keeps one whole copy at every moment: first
/// a synced temp copy of the *new* text beside the file; then truncate,
/// write and fsync the original; only then is the temp copy removed. If the
/// in-place write fails, the error names the temp copy, which holds the
/// full new text.
fn write_in_place(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let dir = folder_of(path);
    let name = file_name_of(path);
    let (tmp, mut copy) = create_temp(dir, &name).map_err(FsError::io(path, "write a copy of"))?;
    if let Err(e) = copy.write_all(bytes).and_then(|()| copy.sync_all()) {
        let _ = fs::remove_file(&tmp);
        return Err(FsError::io(path, "write a copy of")(e));
    }
    drop(copy);
    let result = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
    match result {
        Ok(()) => {
            let _ = fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => Err(FsError::Io {
            path: path.to_path_buf(),
            action: "write (the new text is kept whole in the temporary copy beside it)",
            source: io::Error::new(e.kind(), format!("{e}; copy: {}", tmp.display())),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn failed_write_leaves_the_original_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("f.json");
        fs::write(&target, b"original").expect("write");
        let result = write_atomic(&target, |f| {
            f.write_all(b"half a fi")?;
            Err(io::Error::other("disk full"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read(&target).expect("read"), b"original");
        assert_eq!(entries(dir.path()), vec!["f.json".to_string()]);
    }

    #[test]
    fn a_leftover_temp_with_our_old_name_does_not_block_a_save_and_is_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("p.json");
        // What a killed writer with PID 1 left, in the old and the new naming;
        // PID 1 is alive, so only age makes them stale: backdate them.
        let old = dir.path().join(".p.json.1.0.tmp");
        let new = dir
            .path()
            .join(format!(".p.json.{}.0.0000abcd.tmp", std::process::id()));
        let dead = dir.path().join(".p.json.4194304999.3.deadbeef.tmp");
        for p in [&old, &new, &dead] {
            fs::write(p, b"x").expect("write");
        }
        let past = SystemTime::now() - Duration::from_secs(3600);
        for p in [&old, &new] {
            File::options()
                .write(true)
                .open(p)
                .and_then(|f| f.set_modified(past))
                .expect("backdate");
        }
        let other = dir.path().join(".p.json.notes.tmp");
        fs::write(&other, b"keep").expect("write");
        write_atomic(&target, |f| f.write_all(b"new")).expect("save");
        assert_eq!(fs::read(&target).expect("read"), b"new");
        assert_eq!(
            entries(dir.path()),
            vec![".p.json.notes.tmp".to_string(), "p.json".to_string()]
        );
    }

    #[test]
    fn a_recent_temp_of_a_live_writer_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("p.json");
        let live = dir
            .path()
            .join(format!(".p.json.{}.9.00000001.tmp", std::process::id()));
        fs::write(&live, b"being written").expect("write");
        write_atomic(&target, |f| f.write_all(b"new")).expect("save");
        assert!(live.exists());
    }

    #[test]
    fn temp_names_differ_for_every_write() {
        let dir = Path::new("/x");
        let a = temp_name(dir, "n");
        let b = temp_name(dir, "n");
        assert_ne!(a, b);
        let a = a
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        assert_eq!(temp_pid(&a, "n"), Some(std::process::id()));
        assert_eq!(temp_pid(".n.12.tmp", "n"), None);
        assert_eq!(temp_pid(".nn.12.3.tmp", "n"), None);
    }

    #[test]
    fn read_regular_limits_size_and_refuses_special_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.txt");
        fs::write(&f, b"12345").expect("write");
        assert_eq!(read_regular(&f, 5).expect("read"), b"12345");
        let e = read_regular(&f, 4).expect_err("too large");
        assert!(matches!(e, FsError::TooLarge { limit: 4, .. }), "{e}");
        let e = read_regular(dir.path(), 10).expect_err("folder");
        assert!(e.to_string().contains("cannot read a folder"), "{e}");
        let e = read_regular(&dir.path().join("none"), 10).expect_err("missing");
        assert!(e.is_not_found(), "{e}");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), 10).expect_err("device");
            assert!(e.to_string().contains("character device"), "{e}");
        }
        fs::write(&f, b"ok \xff").expect("write");
        let e = read_regular_string(&f, 10).expect_err("utf8");
        assert!(matches!(e, FsError::NotUtf8 { offset: 3, .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn preserving_write_keeps_mode_links_and_refuses_read_only() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.toml");
        fs::write(&a, b"old").expect("write");
        fs::set_permissions(&a, fs::Permissions::from_mode(0o600)).expect("chmod");
        let w = write_preserving(&a, b"new").expect("save");
        assert!(!w.recreated && !w.in_place);
        let meta = fs::metadata(&a).expect("meta");
        assert_eq!(meta.mode() & 0o777, 0o600);
        assert_eq!(fs::read(&a).expect("read"), b"new");

        let hard = dir.path().join("hard.toml");
        fs::hard_link(&a, &hard).expect("link");
        let w = write_preserving(&a, b"both").expect("save");
        assert!(w.in_place);
        assert_eq!(fs::read(&hard).expect("read"), b"both");
        assert_eq!(entries(dir.path()), vec!["a.toml", "hard.toml"]);

        let real = dir.path().join("real.toml");
        fs::write(&real, b"target").expect("write");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink("real.toml", &link).expect("symlink");
        let w = write_preserving(&link, b"through").expect("save");
        assert_eq!(w.path, real);
        assert_eq!(fs::read(&real).expect("read"), b"through");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );

        fs::set_permissions(&real, fs::Permissions::from_mode(0o444)).expect("chmod");
        let e = write_preserving(&real, b"no").expect_err("read-only");
        assert!(matches!(e, FsError::ReadOnly { .. }), "{e}");
        assert_eq!(fs::read(&real).expect("read"), b"through");

        fs::remove_file(&hard).expect("rm");
        fs::remove_file(&a).expect("rm");
        let w = write_preserving(&a, b"again").expect("save");
        assert!(w.recreated);
        assert_eq!(fs::read(&a).expect("read"), b"again");
    }
}
