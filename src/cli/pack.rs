//! `keyshake pack new DIR`, `pack check [DIR]`, `pack add KIND ID` and
//! `pack export-builtin DIR`; each but `new` lives in its own file below
//! `pack/`.

mod add;
mod check;
mod export_builtin;

use std::path::{Path, PathBuf};

pub use add::{AddKind, add};
pub use check::{CheckFormat, check, check_as};
pub use export_builtin::export_builtin;

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
/// empty), named after the folder. Returns the files written.
pub fn new(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let name = pack_name(dir);
    require_empty(dir)?;
    let pack_toml = TEMPLATE
        .iter()
        .find(|(rel, _)| *rel == "pack.toml")
        .map(|(_, text)| {
            text.replace(
                "name = \"my-class\"",
                &format!("name = {}", toml::Value::String(name.clone())),
            )
        })
        .unwrap_or_default();
    let files = TEMPLATE.iter().map(|(rel, text)| {
        (
            *rel,
            if *rel == "pack.toml" {
                pack_toml.as_str()
            } else {
                text
            },
        )
    });
    write_files(dir, files)
}

/// Refuses a folder that exists and holds something.
fn require_empty(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; this writes into a new or empty folder",
                dir.display()
            ));
        }
    }
    Ok(())
}

/// Writes (path inside `dir`, text) files, creating folders as needed.
fn write_files<'a>(
    dir: &Path,
    files: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The pack's name from its folder's name (`my-class` if it has none, as
/// for `.`).
fn pack_name(dir: &Path) -> String {
    let named = dir
        .file_name()
        .map(|n| n.to_string_lossy().trim().to_string())
        .filter(|n| !n.is_empty() && n != "." && n != "..");
    let from_cwd = || {
        std::env::current_dir()
            .ok()
            .and_then(|d| d.join(dir).canonicalize().ok())
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    named
        .or_else(from_cwd)
        .unwrap_or_else(|| "my-class".to_string())
}

/// Runs `keyshake pack new|check|add|export-builtin`; `check` without a
/// folder checks `--content` (or the built-in pack).
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
        super::PackCommand::Check {
            dir,
            strict,
            format,
        } => {
            let (text, code) = check_as(dir.as_deref().or(ctx.content), *strict, *format);
            super::emit(out, text.as_bytes());
            Ok(code)
        }
        super::PackCommand::Add { kind, id, pack } => {
            let dir = pack.clone().unwrap_or_else(|| PathBuf::from("."));
            let written = add(&dir, *kind, id).map_err(super::CliError::usage)?;
            writeln!(out, "wrote {}", written.display())?;
            writeln!(out, "check it with: keyshake pack check {}", dir.display())?;
            Ok(super::exit::OK)
        }
        super::PackCommand::ExportQuestions { format, output } => {
            exchange::export(ctx, *format, output.as_deref(), out, err)
        }
        super::PackCommand::ImportQuestions {
            file,
            objective,
            output,
        } => exchange::import(ctx, file, objective.as_deref(), output.as_deref(), out, err),
        super::PackCommand::ExportBuiltin { dir } => {
            let files = export_builtin(dir).map_err(super::CliError::usage)?;
            writeln!(
                out,
                "wrote the built-in course ({} files) to {}\ncheck it with: keyshake pack check --strict {}",
                files.len(),
                dir.display(),
                dir.display()
            )?;
            Ok(super::exit::OK)
        }
    }
}
