//! `keyshake pack export-questions` and `keyshake pack import-questions`:
//! the question bank to and from Moodle GIFT and QTI 2.1.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{CliError, Context, exit};
use crate::core::content::exchange::{self, ExKind, ExQuestion, bank, gift, qti, zip};
use crate::core::content::{MAX_FILE_BYTES, Pack, safe};

/// The formats `export-questions` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuestionFormat {
    /// Moodle GIFT: one text file (Moodle: Question bank → Import → GIFT).
    Gift,
    /// QTI 2.1: an IMS content package, a `.zip` (for an LMS's QTI .zip
    /// import) or, for any other path, a folder.
    Qti,
}

/// `export-questions`: the bank of `--content` (or the built-in pack).
pub(super) fn export(
    ctx: &Context<'_>,
    format: QuestionFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let pack = crate::cli::load_pack(ctx.content)?;
    let (questions, notes) = exchange::from_pack(&pack);
    for n in &notes {
        writeln!(err, "{}", safe::neutralise(n))?;
    }
    let title = format!("{} {}", pack.info.name, pack.info.version);
    let written = match format {
        QuestionFormat::Gift => {
            let header = format!(
                "{title}: {} questions exported by keyshake {}.\nPolicy questions are choice questions: ALLOW, or DENY with a reason.",
                questions.len(),
                env!("CARGO_PKG_VERSION")
            );
            let text = gift::write(&questions, &pack.info.name, &header);
            match output {
                None => {
                    crate::cli::emit(out, text.as_bytes());
                    return summary(err, &questions, None);
                }
                Some(path) => write_file(path, text.as_bytes())?,
            }
            output
        }
        QuestionFormat::Qti => {
            let path = output.ok_or_else(|| {
                CliError::usage(
                    "a QTI package is several files: give -o questions.zip (or -o FOLDER)",
                )
            })?;
            write_qti(path, &qti::package(&questions, &title))?;
            Some(path)
        }
    };
    summary(out, &questions, written)
}

fn summary(out: &mut dyn Write, q: &[ExQuestion], path: Option<&Path>) -> Result<u8, CliError> {
    let count = |k: ExKind| q.iter().filter(|x| x.kind == k).count();
    let policy = q.iter().filter(|x| !x.code.is_empty()).count();
    let to = path.map_or_else(String::new, |p| format!(" to {}", p.display()));
    writeln!(
        out,
        "exported {} questions{to}: {} single choice ({policy} of them policy questions), {} multiple choice, {} true/false",
        q.len(),
        count(ExKind::Single),
        count(ExKind::Multiple),
        count(ExKind::TrueFalse)
    )?;
    Ok(exit::OK)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    crate::core::fs::write_atomic(path, |f| f.write_all(bytes))
        .map_err(|e| CliError::failed(format!("{}: cannot write: {e}", path.display())))
}

/// The package as a `.zip`, or as a new (or empty) folder.
fn write_qti(path: &Path, files: &[(String, String)]) -> Result<(), CliError> {
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let entries: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
            .collect();
        let bytes = zip::archive(&entries).map_err(CliError::failed)?;
        return write_file(path, &bytes);
    }
    if path.exists() {
        let empty = std::fs::read_dir(path)
            .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?
            .next()
            .is_none();
        if !empty {
            return Err(CliError::usage(format!(
                "{} is not empty; the package goes into a new or empty folder (or a .zip)",
                path.display()
            )));
        }
    }
    for (name, text) in files {
        let target = path.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| CliError::failed(format!("{}: {e}", parent.display())))?;
        }
        crate::core::fs::write_new(&target, text.as_bytes())
            .map_err(|e| CliError::failed(format!("{}: {e}", target.display())))?;
    }
    Ok(())
}

/// `import-questions`: GIFT into `DIR/questions/NAME.toml`.
pub(super) fn import(
    ctx: &Context<'_>,
    file: &Path,
    objective: Option<&str>,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let shown = safe::neutralise(&file.display().to_string());
    let text = crate::core::fs::read_regular_string(file, MAX_FILE_BYTES)
        .map_err(|e| CliError::usage(format!("{shown}: error: {}", e.reason())))?;
    let dir: PathBuf = output
        .or(ctx.content)
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            CliError::usage("give the pack folder to import into: -o DIR (or --content DIR)")
        })?;
    // The pack the questions join: its objectives tag them and its ids are
    // taken. A folder that is not a pack yet falls back to --content (or
    // the built-in pack).
    let pack = match Pack::load_dir(&dir) {
        Ok(p) => p,
        Err(_) => crate::cli::load_pack(ctx.content)?,
    };
    let known: Vec<String> = pack.objectives.iter().map(|o| o.id.clone()).collect();
    if let Some(o) = objective
        && !known.iter().any(|k| k == o)
    {
        return Err(CliError::usage(format!(
            "--objective {:?} is not an objective of the pack; its objectives: {}",
            safe::neutralise(o),
            known.join(", ")
        )));
    }
    let taken: HashSet<String> = all_ids(&pack);
    let read = exchange::read_gift(&text);
    let imported = bank::import(
        &read,
        &bank::Objectives {
            given: objective,
            known: &known,
        },
        &taken,
        &file.display().to_string(),
    );
    for (line, note) in &imported.notes {
        writeln!(err, "{shown}:{line}: {}", safe::neutralise(note))?;
    }
    if imported.ids.is_empty() {
        writeln!(err, "{shown}: no question imported; nothing written")?;
        return Ok(exit::FAILED);
    }
    if imported.toml.len() as u64 > MAX_FILE_BYTES {
        return Err(CliError::usage(format!(
            "{shown}: the questions would make a file over the pack's {} MiB limit per file; split the GIFT file",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let stem = file
        .file_stem()
        .map(|s| bank::slug(&s.to_string_lossy()))
        .unwrap_or_else(|| "imported".to_string());
    let folder = dir.join("questions");
    std::fs::create_dir_all(&folder)
        .map_err(|e| CliError::failed(format!("{}: {e}", folder.display())))?;
    let target = folder.join(format!("{stem}.toml"));
    if target.exists() {
        return Err(CliError::usage(format!(
            "{} already exists; nothing was written (move it away, or rename the GIFT file)",
            target.display()
        )));
    }
    crate::core::fs::write_new(&target, imported.toml.as_bytes())
        .map_err(|e| CliError::failed(format!("{}: {e}", target.display())))?;
    writeln!(
        out,
        "imported {} question{} into {} ({} skipped); check it with: keyshake pack check {}",
        imported.ids.len(),
        if imported.ids.len() == 1 { "" } else { "s" },
        target.display(),
        read.items.len() + read.skipped.len() - imported.ids.len(),
        dir.display()
    )?;
    Ok(exit::OK)
}

/// Every question and checkpoint id of the pack.
fn all_ids(pack: &Pack) -> HashSet<String> {
    pack.lessons
        .iter()
        .flat_map(|l| l.sections.iter())
        .flat_map(|s| s.checkpoints.iter())
        .chain(pack.questions.iter())
        .map(|q| q.id.clone())
        .collect()
}
