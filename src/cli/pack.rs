//! `keyshake pack new DIR` and `keyshake pack check [DIR] [--strict]`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::core::content::Pack;
use crate::core::diag::Severity;

mod exchange;
pub use exchange::QuestionFormat;

/// The files `pack new` writes: (path inside the pack, text).
pub const TEMPLATE: &[(&str, &str)] = &[
    ("pack.toml", include_str!("pack_template/pack.toml")),
    (
        "objectives.toml",
        include_str!("pack_template/objectives.toml"),
    ),
    ("glossary.toml", include_str!("pack_template/glossary.toml")),
    (
        "lessons/01-both-sides.toml",
        include_str!("pack_template/lessons/01-both-sides.toml"),
    ),
    (
        "questions/two-sided.toml",
        include_str!("pack_template/questions/two-sided.toml"),
    ),
    (
        "scenarios/ts-no-key-policy-half.toml",
        include_str!("pack_template/scenarios/ts-no-key-policy-half.toml"),
    ),
    (
        "labs/01-trust-one-role.toml",
        include_str!("pack_template/labs/01-trust-one-role.toml"),
    ),
];

/// Writes the example pack into `dir` (created if missing; it must be
/// empty). Returns the files written.
pub fn new(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; pack new writes into a new or empty folder",
                dir.display()
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in TEMPLATE {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Runs `keyshake pack new|check`; `check` without a folder checks
/// `--content` (or the built-in pack).
pub fn command(
    action: &super::PackCommand,
    ctx: &super::Context<'_>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<u8, super::CliError> {
    match action {
        super::PackCommand::New { dir } => {
            let files = new(dir).map_err(super::CliError::usage)?;
            for f in &files {
                writeln!(out, "wrote {}", f.display())?;
            }
            writeln!(
                out,
                "check it with: keyshake pack check {}\ntry it with:   keyshake --content {}",
                dir.display(),
                dir.display()
            )?;
            Ok(super::exit::OK)
        }
        super::PackCommand::Check { dir, strict } => {
            let (text, code) = check(dir.as_deref().or(ctx.content), *strict);
            super::emit(out, text.as_bytes());
            Ok(code)
        }
        super::PackCommand::ExportQuestions { format, output } => {
            exchange::export(ctx, *format, output.as_deref(), out, err)
        }
        super::PackCommand::ImportQuestions {
            file,
            objective,
            output,
        } => exchange::import(ctx, file, objective.as_deref(), output.as_deref(), out, err),
    }
}

/// `keyshake pack check`: every problem of the pack in `dir` (the built-in
/// pack if `None`), one per line, then a summary. Exit code: 0 clean (or
/// warnings only, without `strict`), 1 problems found, 2 unreadable.
pub fn check(dir: Option<&Path>, strict: bool) -> (String, u8) {
    let (out, code) = check_raw(dir, strict);
    // File names come from the pack too: a name holding an escape sequence
    // must not reach the terminal either.
    (crate::core::content::safe::neutralise(&out), code)
}

fn check_raw(dir: Option<&Path>, strict: bool) -> (String, u8) {
    let mut out = String::new();
    if let Some(dir) = dir
        && !dir.is_dir()
    {
        let _ = writeln!(
            out,
            "{}: error: not a folder (or cannot be read)",
            dir.display()
        );
        return (out, 2);
    }
    match Pack::load(dir) {
        Err(diags) => {
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diags.len() - errors;
            for d in &diags {
                let _ = writeln!(out, "{d}");
            }
            let _ = writeln!(
                out,
                "{errors} error{}, {warnings} warning{}: the pack does not load",
                plural(errors),
                plural(warnings)
            );
            (out, 1)
        }
        Ok(pack) => {
            let mut warnings = pack.warnings.clone();
            let objectives = dir.map_or_else(
                || "content/objectives.toml".to_string(),
                |d| d.join("objectives.toml").display().to_string(),
            );
            warnings.extend(pack.advice(&objectives));
            let lint = crate::core::policy::lint::file::pack_lint(&pack);
            warnings.extend(lint.warnings);
            for d in &warnings {
                let _ = writeln!(out, "{d}");
            }
            let checkpoints: usize = pack.lessons.iter().map(|l| l.checkpoint_count()).sum();
            let _ = writeln!(
                out,
                "pack {} {}: {} objective{}, {} glossary term{}, {} lesson{} ({} checkpoint{}), {} question{}, {} lab{}: {}",
                pack.info.name,
                pack.info.version,
                pack.objectives.len(),
                plural(pack.objectives.len()),
                pack.glossary.len(),
                plural(pack.glossary.len()),
                pack.lessons.len(),
                plural(pack.lessons.len()),
                checkpoints,
                plural(checkpoints),
                pack.questions.len(),
                plural(pack.questions.len()),
                pack.labs.len(),
                plural(pack.labs.len()),
                if warnings.is_empty() {
                    "ok".to_string()
                } else {
                    format!(
                        "{} warning{}{}",
                        warnings.len(),
                        plural(warnings.len()),
                        if strict { " (fail with --strict)" } else { "" }
                    )
                }
            );
            for note in &lint.notes {
                let _ = writeln!(out, "lint: {note}");
            }
            let code = u8::from(strict && !warnings.is_empty());
            (out, code)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
