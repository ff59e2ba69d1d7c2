//! `keyshake pack check`: every problem of every file of a pack in one run,
//! errors and warnings together, as text, JSON or GitHub annotations.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::core::content::Pack;
use crate::core::diag::{Diagnostic, Severity};

/// How `pack check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CheckFormat {
    /// One `file:line:column: severity: message` per problem, then a summary.
    #[default]
    Text,
    /// One JSON document: the pack, the counts and every problem.
    Json,
    /// `::error file=…,line=…,col=…::message` lines for GitHub Actions.
    Github,
}

/// What a check found: the pack as far as it loaded, every problem in file
/// order, and the notes of the policy linter.
struct Findings {
    pack: Pack,
    problems: Vec<Diagnostic>,
    notes: Vec<String>,
}

impl Findings {
    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks the pack in `dir` (the built-in pack if `None`). Returns the
/// report as text and the exit code: 0 clean (or warnings only, without
/// `strict`), 1 problems found, 2 unreadable.
pub fn check(dir: Option<&Path>, strict: bool) -> (String, u8) {
    check_as(dir, strict, CheckFormat::Text)
}

/// [`check`] with the report in `format`.
pub fn check_as(dir: Option<&Path>, strict: bool, format: CheckFormat) -> (String, u8) {
    if let Some(dir) = dir
        && !dir.is_dir()
    {
        let message = "not a folder (or cannot be read)";
        let path = crate::core::content::safe::neutralise(&dir.display().to_string());
        let text = match format {
            CheckFormat::Text => format!("{path}: error: {message}\n"),
            CheckFormat::Github => format!("::error file={}::{}\n", property(&path), data(message)),
            CheckFormat::Json => {
                let doc = serde_json::json!({
                    "ok": false,
                    "readable": false,
                    "path": path,
                    "message": message,
                });
                format!("{doc:#}\n")
            }
        };
        return (text, 2);
    }
    let found = findings(dir);
    let errors = found.count(Severity::Error);
    let warnings = found.count(Severity::Warning);
    let code = u8::from(errors > 0 || (strict && warnings > 0));
    let text = match format {
        CheckFormat::Text => text(&found, strict),
        CheckFormat::Github => github(&found, strict),
        CheckFormat::Json => json(&found, strict, code),
    };
    (crate::core::content::safe::neutralise(&text), code)
}

/// The loader's problems plus the advice and lint warnings. Advice about a
/// file that has errors is left out (it would follow from them), and so is
/// advice about objectives while a question file has errors.
fn findings(dir: Option<&Path>) -> Findings {
    let (pack, mut problems) = Pack::check(dir);
    let broken: HashSet<String> = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.path.clone())
        .collect();
    let bank_broken = broken
        .iter()
        .any(|p| p.contains("/questions/") || p.starts_with("questions/"));
    let objectives = dir.map_or_else(
        || "content/objectives.toml".to_string(),
        |d| d.join("objectives.toml").display().to_string(),
    );
    let objectives_broken = broken.contains(&objectives);
    for d in pack.advice(&objectives) {
        let about_objective = d.message.starts_with("objective ");
        if broken.contains(&d.path) || (about_objective && (bank_broken || objectives_broken)) {
            continue;
        }
        problems.push(d);
    }
    let lint = crate::core::policy::lint::file::pack_lint(&pack);
    problems.extend(lint.warnings);
    problems.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity))
    });
    problems.dedup();
    Findings {
        pack,
        problems,
        notes: lint.notes,
    }
}

fn text(found: &Findings, strict: bool) -> String {
    let mut out = String::new();
    for d in &found.problems {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(out, "{}", summary(found, strict));
    for note in &found.notes {
        let _ = writeln!(out, "lint: {note}");
    }
    out
}

/// The last line: what the pack holds and how the check went.
fn summary(found: &Findings, strict: bool) -> String {
    let errors = found.count(Severity::Error);
    let warnings = found.count(Severity::Warning);
    let counts = format!(
        "{errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    if errors > 0 {
        return format!("{counts}: the pack does not load");
    }
    let pack = &found.pack;
    let checkpoints: usize = pack.lessons.iter().map(|l| l.checkpoint_count()).sum();
    let warned = format!("{warnings} warning{}", plural(warnings));
    let verdict = match (warnings, strict) {
        (0, _) => "ok".to_string(),
        (_, true) => format!("{warned}: failed, because --strict counts warnings"),
        (_, false) => format!("{warned} (--strict would fail)"),
    };
    format!(
        "pack {} {}: {} objective{}, {} glossary term{}, {} lesson{} ({} checkpoint{}), {} question{}, {} lab{}: {verdict}",
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
    )
}

/// GitHub Actions workflow commands: one annotation per problem (the hint
/// on a second line of the message), then the summary as plain text.
fn github(found: &Findings, strict: bool) -> String {
    let mut out = String::new();
    for d in &found.problems {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={}::{}",
            property(&d.path),
            d.line,
            d.column,
            data(&message)
        );
    }
    let _ = writeln!(out, "{}", summary(found, strict));
    out
}

/// A workflow command's message, escaped as GitHub reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=`), escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn json(found: &Findings, strict: bool, code: u8) -> String {
    let problems: Vec<serde_json::Value> = found
        .problems
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "severity": d.severity.to_string(),
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    let pack = &found.pack;
    let doc = serde_json::json!({
        "ok": code == 0,
        "readable": true,
        "strict": strict,
        "pack": {
            "name": pack.info.name,
            "version": pack.info.version,
            "objectives": pack.objectives.len(),
            "glossary_terms": pack.glossary.len(),
            "lessons": pack.lessons.len(),
            "questions": pack.questions.len(),
            "labs": pack.labs.len(),
        },
        "errors": found.count(Severity::Error),
        "warnings": found.count(Severity::Warning),
        "problems": problems,
        "lint_notes": found.notes,
    });
    format!("{doc:#}\n")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
