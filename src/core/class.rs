//! A whole class's results: `keyshake class report` and `class export`.
//!
//! The students come from a data folder's profiles (each
//! `profiles/NAME/progress.json`, read only: nothing is locked, moved or
//! created) or from `keyshake progress export` JSON files. Either way each
//! becomes a [`Report`], so both sources give the same figures.

pub mod figures;
pub mod lms;
pub mod render;
pub mod roster;

use std::path::{Path, PathBuf};

use crate::core::content::Pack;
use crate::core::fs::read_regular_string;
use crate::core::progress::export::Report;
use crate::core::progress::store::{FILE_NAME, MAX_PROGRESS_BYTES, parse};
use crate::core::progress::{Progress, check_profile};

/// The largest exported JSON file or roster read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One profile folder in a data folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileEntry {
    /// Its name.
    pub name: String,
    /// Its progress file.
    pub path: PathBuf,
    /// The progress, when the file exists and reads (`Err`: why not).
    pub progress: Result<Progress, String>,
    /// The file's modification time (unix seconds), when known.
    pub modified: Option<u64>,
}

impl ProfileEntry {
    /// When the student last did something recorded: the latest time in
    /// the progress, else the file's modification time.
    pub fn last_use(&self) -> Option<u64> {
        self.progress
            .as_ref()
            .ok()
            .and_then(latest_time)
            .or(self.modified)
    }
}

/// The latest time recorded anywhere in `p`.
pub fn latest_time(p: &Progress) -> Option<u64> {
    let lessons = p.lessons.values().flat_map(|l| {
        l.first_seen
            .into_iter()
            .chain(l.completed_at)
            .chain(l.sections.values().filter_map(|s| s.completed_at))
    });
    let labs = p
        .labs
        .values()
        .flat_map(|l| l.started.into_iter().chain(l.solved_at));
    lessons
        .chain(labs)
        .chain(p.checkpoints.values().map(|c| c.at))
        .chain(p.quiz.answers.iter().map(|a| a.at))
        .chain(p.quiz.exams.iter().chain(&p.quiz.abandoned).map(|e| e.at))
        .chain(p.walkthroughs.values().copied())
        .max()
}

/// The profiles in `data` (`data/profiles/*` with a valid name), sorted by
/// name. A missing `profiles` folder is an empty list.
pub fn profiles(data: &Path) -> Result<Vec<ProfileEntry>, String> {
    let dir = data.join("profiles");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: cannot list the profiles: {e}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if check_profile(&name).is_err() || !entry.path().is_dir() {
            continue;
        }
        let path = entry.path().join(FILE_NAME);
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        let progress = read_progress(&path);
        out.push(ProfileEntry {
            name,
            path,
            progress,
            modified,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Reads a progress file without locking or changing anything; a file
/// that does not exist is empty progress.
pub fn read_progress(path: &Path) -> Result<Progress, String> {
    match crate::core::fs::read_regular(path, MAX_PROGRESS_BYTES) {
        Ok(bytes) => parse(&bytes).map(|(p, _, _)| p),
        Err(e) if e.is_not_found() => Ok(Progress::default()),
        Err(e) => Err(e.reason()),
    }
}

/// Whether `name` matches `pattern`, where `*` is any run of characters
/// and `?` any one.
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The class from a data folder: each profile matching `pattern` (all
/// without one) read with `pack`. Returns the reports and warnings (a
/// progress file that does not read, progress made with another pack).
pub fn from_data_dir(
    data: &Path,
    pattern: Option<&str>,
    pack: &Pack,
    now: u64,
) -> Result<(Vec<Report>, Vec<String>), String> {
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    for entry in profiles(data)? {
        if pattern.is_some_and(|p| !glob(p, &entry.name)) {
            continue;
        }
        match entry.progress {
            Ok(progress) => {
                if let Some(w) = progress.pack_mismatch(pack) {
                    warnings.push(format!("profile {}: {w}", entry.name));
                }
                reports.push(Report::new(&progress, pack, Some(&entry.name), now));
            }
            Err(reason) => warnings.push(format!(
                "profile {} is left out: {}: {reason}",
                entry.name,
                entry.path.display()
            )),
        }
    }
    Ok((reports, warnings))
}

/// Reads exported JSON files; an unreadable or invalid file is an error
/// naming it (`FILE:LINE:COLUMN: ...`). Warns when a file's results were
/// made or read with another pack than `pack`, or two files are one
/// profile.
pub fn from_files(files: &[PathBuf], pack: &Pack) -> Result<(Vec<Report>, Vec<String>), String> {
    let mut reports: Vec<Report> = Vec::new();
    let mut warnings = Vec::new();
    for path in files {
        let text = read_regular_string(path, MAX_FILE_BYTES)
            .map_err(|e| format!("{}: error: {}", path.display(), e.reason()))?;
        let report = Report::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
        let current = crate::core::progress::export::PackRef {
            name: pack.info.name.clone(),
            version: pack.info.version.clone(),
            hash: pack.info.hash.clone(),
        };
        if let Some(w) = report.pack_warning() {
            warnings.push(format!("{}: {w}", path.display()));
        }
        if !report.pack.same_as(&current) {
            warnings.push(format!(
                "{}: profile {} was exported with pack {}, but this report uses pack {}",
                path.display(),
                report.profile,
                report.pack.describe(),
                current.describe()
            ));
        }
        if reports.iter().any(|r| r.profile == report.profile) {
            warnings.push(format!(
                "{}: profile {} appears in more than one file; each file is one row",
                path.display(),
                report.profile
            ));
        }
        reports.push(report);
    }
    Ok((reports, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_patterns_match_like_a_shell() {
        assert!(glob("student-*", "student-a"));
        assert!(glob("*", "x"));
        assert!(glob("s?udent-*", "student-bb"));
        assert!(!glob("student-*", "teacher"));
        assert!(!glob("a", "ab"));
        assert!(glob("*-a", "student-a"));
        assert!(!glob("*-a", "student-b"));
    }
}
