//! Reads content files into a [`Pack`], checking every cross-reference.
//!
//! Each file is parsed on its own, so one broken file does not hide the
//! problems of the others; then ids and references are checked across the
//! pack. Every problem becomes a [`Diagnostic`] with file, line and column.

//!
//! [`load`] is the order of the steps; each step lives with its files:
//! `raw` (the serde structs), `walk` (reading a folder within limits),
//! `glossary` (objectives and terms), `lesson`, `question`, `labs`,
//! `scenarios` and `links` (term links checked and filled in).

mod diagrams;
mod glossary;
mod labs;
mod lesson;
mod links;
mod question;
mod raw;
mod scenarios;
mod select;
#[cfg(test)]
mod tests;
mod walk;

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::markup;
use super::{Pack, PackInfo, PackMode, valid_id};
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::recover::parse_file;
use crate::core::world::sink::DiagSink;
use raw::RawPackToml;

pub(super) use select::Selection;
pub(super) use walk::read_dir;
pub use walk::{MAX_FILE_BYTES, MAX_PACK_BYTES, MAX_PACK_FILES};

/// One content file: where it sits in the pack and its text.
#[derive(Debug, Clone)]
pub(super) struct SourceFile {
    /// Path relative to the pack root, with `/` separators.
    pub rel: String,
    /// The path shown in diagnostics.
    pub display: String,
    /// The file's text.
    pub text: String,
}

/// Reads `pack.toml` (with the built-in lessons and labs an extend pack
/// keeps); its problems go to `out`.
pub(super) fn pack_info(
    file: &SourceFile,
    out: &mut Vec<Diagnostic>,
) -> Option<(PackInfo, Selection)> {
    let cx = DiagSink::new(&file.display, &file.text);
    let raw = parse_file::<RawPackToml>(&cx, out)?;
    if raw.name.get_ref().trim().is_empty() {
        out.push(cx.diag_error(raw.name.span().start, "the pack's name is empty"));
    }
    let mode = match raw.mode.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("replace") => PackMode::Replace,
        Some("extend") => PackMode::Extend,
        Some(other) => {
            let at = raw.mode.as_ref().map_or(0, |m| m.span().start);
            out.push(cx.diag_error(
                at,
                format!("unknown mode {other:?}; use \"replace\" or \"extend\""),
            ));
            PackMode::Replace
        }
    };
    let exam = raw
        .exam
        .map(|e| exam_controls(e, &cx, out))
        .unwrap_or_default();
    let names = diagrams::names(&cx, raw.names, out);
    let selection = Selection::new(&cx, &raw.pick, &raw.hide, mode == PackMode::Extend, out);
    let info = PackInfo {
        name: raw.name.into_inner(),
        version: raw.version,
        author: raw.author,
        description: raw.description,
        mode,
        exam,
        names,
        hash: String::new(),
    };
    Some((info, selection))
}

/// The `[exam]` table as controls; its problems go to `out`.
fn exam_controls(
    raw: raw::RawExam,
    cx: &DiagSink<'_>,
    out: &mut Vec<Diagnostic>,
) -> crate::core::quiz::controls::ExamControls {
    use crate::core::quiz::controls::{ExamControls, parse_time};
    if let Some(a) = &raw.attempts
        && *a.get_ref() == 0
    {
        out.push(cx.diag_error(a.span().start, "`attempts` must be at least 1"));
    }
    let review_after = raw.review_after.and_then(|v| {
        let at = v.span().start;
        let text = match v.get_ref() {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(n) => n.to_string(),
            _ => String::new(),
        };
        match parse_time(&text) {
            Ok(t) => Some(t),
            Err(e) => {
                out.push(cx.diag_error(
                    at,
                    format!("`review_after` is not a time ({e}); write it as 2026-12-03T09:00:00Z"),
                ));
                None
            }
        }
    });
    ExamControls {
        attempts: raw.attempts.map(Spanned::into_inner),
        seed: raw.seed,
        hide_review: raw.hide_review,
        review_after,
    }
}

/// Where an id was first seen, for duplicate reports.
struct Seen {
    first: HashMap<String, String>,
}

impl Seen {
    fn new() -> Self {
        Seen {
            first: HashMap::new(),
        }
    }

    /// Records `id`; reports a duplicate (with the first place) if seen.
    fn add(
        &mut self,
        what: &str,
        id: &Spanned<String>,
        cx: &DiagSink<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let (line, column) = cx.locate(id.span().start);
        let here = format!("{}:{line}:{column}", cx.path());
        match self.first.get(id.get_ref()) {
            Some(first) => {
                let d = cx.diag_error(
                    id.span().start,
                    format!(
                        "duplicate {what} id {:?} (first defined at {first})",
                        id.get_ref()
                    ),
                );
                // An extend pack's id that the built-in course has: its file
                // is inside the binary, so say so.
                let builtin = first.starts_with("content/") && !cx.path().starts_with("content/");
                out.push(if builtin {
                    d.with_hint(format!(
                        "the built-in course already has a {what} with this id (`keyshake pack export-builtin DIR` writes its files out); choose another id"
                    ))
                } else {
                    d
                });
            }
            None => {
                self.first.insert(id.get_ref().clone(), here);
            }
        }
    }
}

fn check_id(what: &str, id: &Spanned<String>, cx: &DiagSink<'_>, out: &mut Vec<Diagnostic>) {
    if !valid_id(id.get_ref()) {
        out.push(
            cx.diag_error(
                id.span().start,
                format!("{what} id {:?} is not a valid id", id.get_ref()),
            )
            .with_hint("ids use lowercase letters, digits and '-' only"),
        );
    }
}

/// A body's term links, located, waiting for the glossary check.
struct PendingLinks {
    file: usize,
    links: Vec<markup::LinkRef>,
}

/// `did you mean "x"?` when a known id is close to `wrong`, else `fallback`.
fn did_you_mean<'a>(wrong: &str, known: impl Iterator<Item = &'a str>, fallback: &str) -> String {
    match crate::core::diag::suggest(wrong, known) {
        Some(k) => format!("did you mean {k:?}?"),
        None => fallback.to_string(),
    }
}

/// The files of a pack by what they hold (indexes into the file list).
#[derive(Default)]
struct Kinds {
    objectives: Vec<usize>,
    glossary: Vec<usize>,
    lessons: Vec<usize>,
    questions: Vec<usize>,
    labs: Vec<usize>,
    diagrams: Vec<usize>,
}

/// The pack being built and what its steps found so far.
struct Loader<'f> {
    files: &'f [SourceFile],
    kinds: Kinds,
    pack: Pack,
    out: Vec<Diagnostic>,
    /// The objective ids, once objectives.toml loaded without a problem
    /// (references are checked only then).
    objectives: Option<HashSet<String>>,
    question_ids: Seen,
    pending_links: Vec<PendingLinks>,
    pending_scenarios: Vec<(usize, Spanned<String>)>,
    pending_see: Vec<(usize, Spanned<String>)>,
    /// The names of the pack's own diagrams (`diagrams/NAME.toml`).
    diagram_names: Vec<String>,
    /// Where each policy question's explanation starts (path, line,
    /// column), to report one that contradicts the engine.
    explanation_at: HashMap<String, (String, usize, usize)>,
}

/// Builds the pack from `files`; `problems` are I/O errors found while
/// reading; `root` is the pack folder as shown in diagnostics, ending in a
/// separator (`content/`).
pub(super) fn load(
    root: &str,
    files: Vec<SourceFile>,
    problems: Vec<Diagnostic>,
) -> Result<Pack, Vec<Diagnostic>> {
    let (mut pack, mut diags) = load_all(root, files, problems);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        diags.sort_by_key(|d| d.severity);
        return Err(diags);
    }
    pack.warnings = diags;
    Ok(pack)
}

/// [`load`] that keeps what did load: the pack (without what had errors)
/// and every problem, errors and warnings, sorted by file and position.
pub(super) fn load_all(
    root: &str,
    files: Vec<SourceFile>,
    problems: Vec<Diagnostic>,
) -> (Pack, Vec<Diagnostic>) {
    let mut l = Loader {
        files: &files,
        kinds: Kinds::default(),
        pack: Pack::default(),
        out: problems,
        objectives: None,
        question_ids: Seen::new(),
        pending_links: Vec::new(),
        pending_scenarios: Vec::new(),
        pending_see: Vec::new(),
        diagram_names: Vec::new(),
        explanation_at: HashMap::new(),
    };
    l.sort_files();
    l.require_top_files(root);
    l.load_objectives();
    l.load_glossary();
    l.load_diagrams();
    l.load_lessons();
    l.load_bank();
    l.check_scenario_refs();
    scenarios::check_policy_questions(&mut l.pack, &l.explanation_at, &mut l.out);
    l.check_unused_scenarios();
    l.load_labs();
    l.check_links();
    l.fill_links();
    l.check_see();
    l.check_lesson_order();
    l.finish()
}

impl Loader<'_> {
    /// Sorts the files by folder; scenario files are taken in at once.
    /// Other files are not ours (a pack folder may hold notes).
    fn sort_files(&mut self) {
        let files = self.files;
        for (i, f) in files.iter().enumerate() {
            let rel = f.rel.as_str();
            let top = |dir: &str| rel.strip_prefix(dir).filter(|n| !n.contains('/'));
            if rel == "objectives.toml" {
                self.kinds.objectives.push(i);
            } else if rel == "glossary.toml" {
                self.kinds.glossary.push(i);
            } else if rel.starts_with("lessons/") {
                self.kinds.lessons.extend(top("lessons/").map(|_| i));
            } else if rel.starts_with("questions/") {
                self.kinds.questions.extend(top("questions/").map(|_| i));
            } else if let Some(name) = rel.strip_prefix("scenarios/") {
                self.add_scenario(f, name.strip_suffix(".toml").unwrap_or(name));
            } else if rel.starts_with("diagrams/") {
                self.kinds.diagrams.extend(top("diagrams/").map(|_| i));
            } else if top("labs/").is_some() {
                scenarios::check_scenario_text(f, &mut self.out);
                self.kinds.labs.push(i);
            }
        }
    }

    /// objectives.toml and glossary.toml must exist.
    fn require_top_files(&mut self, root: &str) {
        if self.kinds.objectives.is_empty() {
            self.out.push(Diagnostic::file_error(
                &format!("{root}objectives.toml"),
                "the pack has no objectives.toml",
            ));
        }
        if self.kinds.glossary.is_empty() {
            self.out.push(Diagnostic::file_error(
                &format!("{root}glossary.toml"),
                "the pack has no glossary.toml",
            ));
        }
    }

    /// Whether one of these files (indexes) has an error reported.
    fn file_has_errors(&self, files: &[usize]) -> bool {
        let paths: HashSet<&str> = files
            .iter()
            .filter_map(|&i| self.files.get(i))
            .map(|f| f.display.as_str())
            .collect();
        self.out
            .iter()
            .any(|d| d.severity == Severity::Error && paths.contains(d.path.as_str()))
    }

    /// The pack and every problem, sorted by file and position (errors
    /// first at the same place).
    fn finish(self) -> (Pack, Vec<Diagnostic>) {
        let mut out = self.out;
        out.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity))
        });
        (self.pack, out)
    }
}
