//! Reads content files into a [`Pack`], checking every cross-reference.
//!
//! Each file is parsed on its own, so one broken file does not hide the
//! problems of the others; then ids and references are checked across the
//! pack. Every problem becomes a [`Diagnostic`] with file, line and column.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

mod links;

use super::markup;
use super::{
    GlossaryTerm, Lesson, Objective, Pack, PackInfo, PackMode, Question, QuestionKind,
    ScenarioFile, Section,
};
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::sink::DiagSink;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjectives {
    #[serde(default)]
    objectives: Vec<RawObjective>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    id: Spanned<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    terms: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: Spanned<String>,
    term: String,
    definition: String,
    #[serde(default)]
    see: Vec<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    proper: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    id: Spanned<String>,
    order: u32,
    title: String,
    objectives: Vec<Spanned<String>>,
    summary: String,
    #[serde(default)]
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: String,
    body: Spanned<String>,
    #[serde(default)]
    checkpoints: Vec<RawQuestion>,
}

/// Only the bodies of a lesson whose structure failed to load (every other
/// key is ignored), so their markup can still be checked.
#[derive(Deserialize)]
struct LenientLesson {
    #[serde(default)]
    sections: Vec<LenientSection>,
}

#[derive(Deserialize)]
struct LenientSection {
    body: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    kind: Spanned<String>,
    prompt: String,
    choices: Option<Spanned<Vec<String>>>,
    answer: Option<Spanned<Vec<usize>>>,
    pick: Option<Spanned<usize>>,
    explanation: String,
    #[serde(default)]
    objectives: Vec<Spanned<String>>,
    difficulty: Option<Spanned<u8>>,
    source: Option<String>,
    scenario: Option<Spanned<String>>,
    ask_reason: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackToml {
    name: Spanned<String>,
    version: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    mode: Option<Spanned<String>>,
}

/// Reads `pack.toml`; its problems go to `out`.
pub(super) fn pack_info(file: &SourceFile, out: &mut Vec<Diagnostic>) -> Option<PackInfo> {
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
    Some(PackInfo {
        name: raw.name.into_inner(),
        version: raw.version,
        author: raw.author,
        description: raw.description,
        mode,
    })
}

/// Escapes (`\u001b`, `\U0000009b`, `\x1b`, `\e`) that decode to a
/// terminal control character, as (byte offset, character). TOML basic
/// strings and the JSON policies inside a scenario both use them; a `\\`
/// pair is a plain backslash and is skipped.
fn control_escapes(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        let digits = match bytes.get(i + 1) {
            Some(b'\\') => {
                i += 2;
                continue;
            }
            Some(b'u') => 4,
            Some(b'U') => 8,
            Some(b'x') => 2,
            Some(b'e') => {
                found.push((i, '\u{1b}'));
                i += 2;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let decoded = text
            .get(i + 2..i + 2 + digits)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = decoded
            && super::safe::is_unsafe(c)
            && c != '\n'
            && c != '\t'
        {
            found.push((i, c));
        }
        i += 2;
    }
    found
}

/// Reports control characters written as escapes in the scenario part of
/// a scenario or lab file. Unlike teaching text (shown with the control
/// replaced), scenario data is evaluated and echoed in explanations, so it
/// must be printable. Lines of a `[lab]` table are skipped: its texts are
/// neutralised like every other text.
fn check_scenario_text(file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let cx = DiagSink::new(&file.display, &file.text);
    let mut in_lab = false;
    let mut skip = Vec::new();
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        if line.starts_with('[') {
            in_lab = line.starts_with("[lab]") || line.starts_with("[lab.");
        }
        if in_lab {
            skip.push(offset..offset + line.len());
        }
        offset += line.len();
    }
    for (at, c) in control_escapes(&file.text) {
        if skip.iter().any(|r| r.contains(&at)) {
            continue;
        }
        out.push(
            cx.diag_error(
                at,
                format!(
                    "U+{:04X} is a terminal control character; scenario data (ARNs, names, policies) must be printable text",
                    c as u32
                ),
            )
            .with_hint("remove the escape: a pack must not be able to control the learner's terminal"),
        );
    }
}

/// Parses the whole file, or reports the TOML error at its position.
fn parse_file<T: DeserializeOwned>(cx: &DiagSink<'_>, out: &mut Vec<Diagnostic>) -> Option<T> {
    match toml::from_str::<T>(cx.text()) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            out.push(cx.diag(offset, Severity::Error, e.message().trim().to_string()));
            None
        }
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
            Some(first) => out.push(cx.diag_error(
                id.span().start,
                format!(
                    "duplicate {what} id {:?} (first defined at {first})",
                    id.get_ref()
                ),
            )),
            None => {
                self.first.insert(id.get_ref().clone(), here);
            }
        }
    }
}

use super::valid_id;

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

/// Builds the pack from `files`; `problems` are I/O errors found while
/// reading; `root` is the pack folder as shown in diagnostics, ending in a
/// separator (`content/`).
pub(super) fn load(
    root: &str,
    files: Vec<SourceFile>,
    problems: Vec<Diagnostic>,
) -> Result<Pack, Vec<Diagnostic>> {
    let mut out = problems;
    let mut pack = Pack::default();

    let mut objective_files = Vec::new();
    let mut glossary_files = Vec::new();
    let mut lesson_files = Vec::new();
    let mut question_files = Vec::new();
    let mut lab_files = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let rel = f.rel.as_str();
        if rel == "objectives.toml" {
            objective_files.push(i);
        } else if rel == "glossary.toml" {
            glossary_files.push(i);
        } else if let Some(name) = rel.strip_prefix("lessons/") {
            if !name.contains('/') {
                lesson_files.push(i);
            }
        } else if let Some(name) = rel.strip_prefix("questions/") {
            if !name.contains('/') {
                question_files.push(i);
            }
        } else if let Some(name) = rel.strip_prefix("scenarios/") {
            check_scenario_text(f, &mut out);
            let stem = name.strip_suffix(".toml").unwrap_or(name);
            if let Some(first) = pack.scenarios.get(stem) {
                out.push(Diagnostic::file_error(
                    &f.display,
                    format!(
                        "duplicate scenario name {stem:?} (first defined at {})",
                        first.path
                    ),
                ));
                continue;
            }
            pack.scenarios.insert(
                stem.to_string(),
                ScenarioFile {
                    path: f.display.clone(),
                    text: f.text.clone(),
                },
            );
        } else if let Some(name) = rel.strip_prefix("labs/")
            && !name.contains('/')
        {
            check_scenario_text(f, &mut out);
            lab_files.push(i);
        }
        // Other files are not ours.
    }
    if objective_files.is_empty() {
        out.push(Diagnostic::file_error(
            &format!("{root}objectives.toml"),
            "the pack has no objectives.toml",
        ));
    }
    if glossary_files.is_empty() {
        out.push(Diagnostic::file_error(
            &format!("{root}glossary.toml"),
            "the pack has no glossary.toml",
        ));
    }

    // Objectives.
    let mut objective_ids = Seen::new();
    for &i in &objective_files {
        let Some(f) = files.get(i) else { continue };
        let cx = DiagSink::new(&f.display, &f.text);
        let Some(raw) = parse_file::<RawObjectives>(&cx, &mut out) else {
            continue;
        };
        for o in raw.objectives {
            check_id("objective", &o.id, &cx, &mut out);
            objective_ids.add("objective", &o.id, &cx, &mut out);
            pack.objectives.push(Objective {
                id: o.id.into_inner(),
                title: o.title,
            });
        }
    }
    let objective_set: HashSet<String> = pack.objectives.iter().map(|o| o.id.clone()).collect();
    let objectives_known = !objective_files.is_empty() && out.is_empty();

    // Glossary (lesson references in `see` are checked after lessons load).
    let mut term_ids = Seen::new();
    let mut pending_see: Vec<(usize, Spanned<String>)> = Vec::new();
    for &i in &glossary_files {
        let Some(f) = files.get(i) else { continue };
        let cx = DiagSink::new(&f.display, &f.text);
        let Some(raw) = parse_file::<RawGlossary>(&cx, &mut out) else {
            continue;
        };
        for t in raw.terms {
            check_id("glossary term", &t.id, &cx, &mut out);
            term_ids.add("glossary term", &t.id, &cx, &mut out);
            pending_see.extend(t.see.iter().map(|s| (i, s.clone())));
            pack.glossary.push(GlossaryTerm {
                id: t.id.into_inner(),
                term: t.term,
                definition: t.definition,
                see: t.see.into_iter().map(Spanned::into_inner).collect(),
                aliases: t.aliases,
                proper: t.proper,
            });
        }
    }
    let glossary_loaded = !glossary_files.is_empty();
    let terms: HashMap<String, String> = pack
        .glossary
        .iter()
        .map(|t| (t.id.clone(), t.term.clone()))
        .collect();
    let glossary = pack.glossary.clone();
    let titles = links::TermTitles::new(&glossary);

    let check_objectives =
        |ids: &[Spanned<String>], cx: &DiagSink<'_>, out: &mut Vec<Diagnostic>| {
            if !objectives_known {
                return;
            }
            for id in ids {
                if !objective_set.contains(id.get_ref()) {
                    out.push(
                        cx.diag_error(
                            id.span().start,
                            format!("unknown objective id {:?}", id.get_ref()),
                        )
                        .with_hint(did_you_mean(
                            id.get_ref(),
                            objective_set.iter().map(String::as_str),
                            "objective ids are listed in objectives.toml",
                        )),
                    );
                }
            }
        };

    // Lessons.
    let mut lesson_ids = Seen::new();
    let mut question_ids = Seen::new();
    let mut pending_links: Vec<PendingLinks> = Vec::new();
    let mut pending_scenarios: Vec<(usize, Spanned<String>)> = Vec::new();
    for &i in &lesson_files {
        let Some(f) = files.get(i) else { continue };
        let cx = DiagSink::new(&f.display, &f.text);
        let Some(raw) = parse_file::<RawLesson>(&cx, &mut out) else {
            // The file's structure is wrong somewhere; still check every
            // body it has, so one missing field does not hide the rest.
            if let Ok(lenient) = toml::from_str::<LenientLesson>(&f.text) {
                for body in lenient.sections.iter().filter_map(|s| s.body.as_ref()) {
                    let parsed = markup::parse(body.get_ref(), cx.first_line(body.span().start));
                    out.extend(parsed.errors.into_iter().map(|e| Diagnostic {
                        path: f.display.clone(),
                        line: e.line,
                        column: e.column,
                        severity: Severity::Error,
                        message: e.message,
                        hint: None,
                    }));
                    pending_links.push(PendingLinks {
                        file: i,
                        links: parsed.links,
                    });
                }
            }
            continue;
        };
        check_id("lesson", &raw.id, &cx, &mut out);
        lesson_ids.add("lesson", &raw.id, &cx, &mut out);
        check_objectives(&raw.objectives, &cx, &mut out);
        let mut section_ids = Seen::new();
        let mut sections = Vec::new();
        for s in raw.sections {
            check_id("section", &s.id, &cx, &mut out);
            section_ids.add("section", &s.id, &cx, &mut out);
            let first_line = cx.first_line(s.body.span().start);
            let parsed = markup::parse(s.body.get_ref(), first_line);
            for e in parsed.errors {
                out.push(Diagnostic {
                    path: f.display.clone(),
                    line: e.line,
                    column: e.column,
                    severity: Severity::Error,
                    message: e.message,
                    hint: None,
                });
            }
            pending_links.push(PendingLinks {
                file: i,
                links: parsed.links,
            });
            let mut checkpoints = Vec::new();
            for q in s.checkpoints {
                question_ids.add("question", &q.id, &cx, &mut out);
                check_objectives(&q.objectives, &cx, &mut out);
                if let Some(q) = question(q, &cx, true, &mut pending_scenarios, i, &mut out) {
                    checkpoints.push(q);
                }
            }
            sections.push(Section {
                id: s.id.into_inner(),
                title: s.title,
                blocks: parsed.blocks,
                checkpoints,
            });
        }
        if sections.is_empty() {
            out.push(cx.diag_error(raw.id.span().start, "this lesson has no [[sections]]"));
        }
        pack.lessons.push(Lesson {
            id: raw.id.into_inner(),
            order: raw.order,
            title: raw.title,
            objectives: raw
                .objectives
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            summary: raw.summary,
            sections,
            path: f.display.clone(),
        });
    }
    pack.lessons
        .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));

    // The question bank.
    for &i in &question_files {
        let Some(f) = files.get(i) else { continue };
        let cx = DiagSink::new(&f.display, &f.text);
        let Some(raw) = parse_file::<RawBank>(&cx, &mut out) else {
            continue;
        };
        for q in raw.questions {
            question_ids.add("question", &q.id, &cx, &mut out);
            check_objectives(&q.objectives, &cx, &mut out);
            if q.objectives.is_empty() {
                out.push(cx.diag_error(
                    q.id.span().start,
                    format!("question {:?} has no objectives", q.id.get_ref()),
                ));
            }
            if let Some(q) = question(q, &cx, false, &mut pending_scenarios, i, &mut out) {
                pack.questions.push(q);
            }
        }
    }

    // Term links inside question texts (reported at the question's id).
    if glossary_loaded {
        let all_questions = pack
            .lessons
            .iter()
            .flat_map(|l| l.sections.iter())
            .flat_map(|s| s.checkpoints.iter())
            .chain(pack.questions.iter());
        for q in all_questions {
            let texts = std::iter::once(&q.prompt)
                .chain(q.choices.iter())
                .chain(std::iter::once(&q.explanation));
            for text in texts {
                for link in markup::parse_inline(text).1 {
                    if !terms.contains_key(&link.id) {
                        out.push(Diagnostic {
                            path: q.path.clone(),
                            line: q.line,
                            column: 1,
                            severity: Severity::Error,
                            message: format!(
                                "question {:?}: [[{}]] is not a glossary term",
                                q.id, link.id
                            ),
                            hint: Some(did_you_mean(
                                &link.id,
                                terms.keys().map(String::as_str),
                                "add it to glossary.toml or fix the id",
                            )),
                        });
                    }
                }
            }
        }
    }

    // Cross-file references.
    for (i, name) in &pending_scenarios {
        let Some(f) = files.get(*i) else { continue };
        if !valid_id(name.get_ref()) {
            out.push(
                DiagSink::new(&f.display, &f.text).diag_error(
                        name.span().start,
                        format!(
                            "scenario {:?} is not a scenario name; a pack cannot name files outside its scenarios/ folder",
                            name.get_ref()
                        ),
                    )
                    .with_hint(
                        "write the file's name without folder or extension: scenario = \"my-scenario\" for scenarios/my-scenario.toml",
                    ),
            );
        } else if !pack.scenarios.contains_key(name.get_ref()) {
            out.push(
                DiagSink::new(&f.display, &f.text)
                    .diag_error(
                        name.span().start,
                        format!("scenario {:?} not found", name.get_ref()),
                    )
                    .with_hint(format!(
                        "policy questions name a file content/scenarios/{}.toml",
                        name.get_ref()
                    )),
            );
        }
    }
    check_policy_questions(&mut pack, &mut out);
    // Labs, in file-name order.
    lab_files.sort_by(|a, b| {
        let name = |i: &usize| files.get(*i).map(|f| f.rel.clone());
        name(a).cmp(&name(b))
    });
    let mut lab_ids: HashMap<String, String> = HashMap::new();
    for &i in &lab_files {
        let Some(f) = files.get(i) else { continue };
        let lab = match super::lab::Lab::parse(&f.display, &f.text) {
            Ok(lab) => lab,
            Err(diags) => {
                out.extend(diags);
                continue;
            }
        };
        let at = |(line, column): (usize, usize), message: String| Diagnostic {
            path: f.display.clone(),
            line,
            column,
            severity: Severity::Error,
            message,
            hint: None,
        };
        let (line, column) = lab.refs.id_at;
        match lab_ids.get(&lab.id) {
            Some(first) => out.push(at(
                lab.refs.id_at,
                format!("duplicate lab id {:?} (first defined at {first})", lab.id),
            )),
            None => {
                lab_ids.insert(lab.id.clone(), format!("{}:{line}:{column}", f.display));
            }
        }
        if objectives_known {
            for (id, line, column) in &lab.refs.objectives {
                if !objective_set.contains(id) {
                    out.push(
                        at((*line, *column), format!("unknown objective id {id:?}")).with_hint(
                            did_you_mean(
                                id,
                                objective_set.iter().map(String::as_str),
                                "objective ids are listed in objectives.toml",
                            ),
                        ),
                    );
                }
            }
        }
        pending_links.push(PendingLinks {
            file: i,
            links: lab.refs.links.clone(),
        });
        pack.labs.push(lab);
    }

    if glossary_loaded {
        for pending in &pending_links {
            let Some(f) = files.get(pending.file) else {
                continue;
            };
            for link in &pending.links {
                if !terms.contains_key(&link.id) {
                    out.push(Diagnostic {
                        path: f.display.clone(),
                        line: link.line,
                        column: link.column,
                        severity: Severity::Error,
                        message: format!("[[{}]] is not a glossary term", link.id),
                        hint: Some(did_you_mean(
                            &link.id,
                            terms.keys().map(String::as_str),
                            "add it to glossary.toml or fix the id",
                        )),
                    });
                }
            }
        }
    }
    for lesson in &mut pack.lessons {
        for section in &mut lesson.sections {
            links::fill_link_text(&mut section.blocks, &titles);
        }
    }
    for lab in &mut pack.labs {
        links::fill_link_text(&mut lab.story, &titles);
        links::fill_link_text(&mut lab.explanation, &titles);
        for hint in &mut lab.hints {
            links::fill_link_text(hint, &titles);
        }
    }
    let lesson_set: HashSet<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
    let lessons_complete = out
        .iter()
        .all(|d| !lesson_files_contain(&files, &lesson_files, d));
    if lessons_complete {
        for (i, see) in &pending_see {
            let Some(f) = files.get(*i) else { continue };
            if !lesson_set.contains(see.get_ref().as_str()) {
                out.push(DiagSink::new(&f.display, &f.text).diag(
                    see.span().start,
                    Severity::Warning,
                    format!("`see` names {:?}, which is not a lesson id", see.get_ref()),
                ));
            }
        }
    }
    for pair in pack.lessons.windows(2) {
        if let [a, b] = pair
            && a.order == b.order
        {
            out.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::file_error(
                    &b.path,
                    format!(
                        "lessons {:?} and {:?} have the same order {}",
                        a.id, b.id, a.order
                    ),
                )
            });
        }
    }

    if out.iter().any(|d| d.severity == Severity::Error) {
        out.sort_by(|a, b| {
            (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column))
        });
        return Err(out);
    }
    pack.warnings = out;
    Ok(pack)
}

/// Whether `d` is about one of the lesson files (a broken lesson file means
/// its id is unknown, so `see` checks would be noise).
fn lesson_files_contain(files: &[SourceFile], lesson_files: &[usize], d: &Diagnostic) -> bool {
    lesson_files
        .iter()
        .filter_map(|&i| files.get(i))
        .any(|f| f.display == d.path)
}

/// Evaluates the scenario of every policy question with the policy engine:
/// the scenario must hold exactly one request with `expect` and
/// `expect_reason`, and the engine must agree with them. The engine's
/// answer is stored in [`Question::policy`].
fn check_policy_questions(pack: &mut Pack, out: &mut Vec<Diagnostic>) {
    let mut worlds: HashMap<String, Option<crate::core::world::World>> = HashMap::new();
    for q in &mut pack.questions {
        let Some(name) = q.scenario.clone() else {
            continue;
        };
        let Some(file) = pack.scenarios.get(&name) else {
            continue; // reported as "scenario not found"
        };
        let world =
            worlds.entry(name.clone()).or_insert_with(|| {
                match crate::core::world::load_str(&file.path, &file.text) {
                    Ok(w) => Some(w),
                    Err(diags) => {
                        out.extend(diags);
                        None
                    }
                }
            });
        let Some(world) = world else { continue };
        let [request] = world.requests.as_slice() else {
            out.push(Diagnostic::file_error(
                &file.path,
                format!(
                    "the scenario of policy question {:?} must hold exactly one [[requests]] entry, found {}",
                    q.id,
                    world.requests.len()
                ),
            ));
            continue;
        };
        let at = |message: String| Diagnostic {
            path: file.path.clone(),
            line: request.line,
            column: 1,
            severity: Severity::Error,
            message,
            hint: None,
        };
        let (Some(expect), Some(expect_reason)) = (request.expect, request.expect_reason) else {
            out.push(at(format!(
                "the request of policy question {:?} needs both `expect` and `expect_reason`",
                q.id
            )));
            continue;
        };
        let outcome = crate::core::eval::evaluate(world, request);
        if outcome.verdict != expect || outcome.reason != expect_reason {
            out.push(at(format!(
                "the policy engine decides {} ({}) but the scenario expects {} ({}): {}",
                outcome.verdict.code(),
                outcome.reason.code(),
                expect.code(),
                expect_reason.code(),
                outcome.explain(world, &request.caller)
            )));
            continue;
        }
        q.policy = Some(super::PolicyAnswer {
            verdict: outcome.verdict,
            reason: outcome.reason,
            explanation: outcome.explain(world, &request.caller),
        });
    }
}

/// `did you mean "x"?` when a known id is close to `wrong`, else `fallback`.
fn did_you_mean<'a>(wrong: &str, known: impl Iterator<Item = &'a str>, fallback: &str) -> String {
    match crate::core::diag::suggest(wrong, known) {
        Some(k) => format!("did you mean {k:?}?"),
        None => fallback.to_string(),
    }
}

/// Checks one question and converts it; `None` (with diagnostics) if it
/// cannot be used.
fn question(
    q: RawQuestion,
    cx: &DiagSink<'_>,
    checkpoint: bool,
    pending_scenarios: &mut Vec<(usize, Spanned<String>)>,
    file: usize,
    out: &mut Vec<Diagnostic>,
) -> Option<Question> {
    let before = out.len();
    let id = q.id.get_ref().clone();
    check_id("question", &q.id, cx, out);
    let kind = match q.kind.get_ref().as_str() {
        "single" => QuestionKind::Single,
        "multiple" => QuestionKind::Multiple,
        "truefalse" => QuestionKind::TrueFalse,
        "policy" if !checkpoint => QuestionKind::Policy,
        "policy" => {
            out.push(cx.diag_error(
                q.kind.span().start,
                "a checkpoint cannot be a policy question; use single, multiple or truefalse",
            ));
            return None;
        }
        other => {
            let kinds = ["single", "multiple", "truefalse", "policy"];
            let allowed = if checkpoint { &kinds[..3] } else { &kinds[..] };
            let mut d = cx.diag_error(
                q.kind.span().start,
                format!(
                    "unknown question kind {other:?}; use single, multiple, truefalse{}",
                    if checkpoint { "" } else { " or policy" }
                ),
            );
            let hint = did_you_mean(other, allowed.iter().copied(), "");
            if !hint.is_empty() {
                d = d.with_hint(hint);
            }
            out.push(d);
            return None;
        }
    };
    let id_at = q.id.span().start;
    let (line, _) = cx.locate(id_at);

    let mut choices: Vec<String> = q
        .choices
        .as_ref()
        .map(|c| c.get_ref().clone())
        .unwrap_or_default();
    let answer: Vec<usize> = q
        .answer
        .as_ref()
        .map(|a| a.get_ref().clone())
        .unwrap_or_default();
    let answer_at = q.answer.as_ref().map_or(id_at, |a| a.span().start);
    let mut pick = 1;

    if kind == QuestionKind::Policy {
        if let Some(c) = &q.choices {
            out.push(cx.diag_error(
                c.span().start,
                "policy questions have no choices: the learner answers ALLOW or DENY",
            ));
        }
        if let Some(a) = &q.answer {
            out.push(cx.diag_error(
                a.span().start,
                "policy questions have no `answer`: the policy engine computes it from the scenario",
            ));
        }
        match &q.scenario {
            Some(s) => pending_scenarios.push((file, s.clone())),
            None => {
                out.push(cx.diag_error(id_at, format!("policy question {id:?} needs `scenario`")))
            }
        }
    } else {
        if let Some(s) = &q.scenario {
            out.push(cx.diag_error(
                s.span().start,
                "`scenario` is only for kind = \"policy\" questions",
            ));
        }
        if let Some(a) = &q.ask_reason {
            out.push(cx.diag_error(
                a.span().start,
                "`ask_reason` is only for kind = \"policy\" questions",
            ));
        }
        if kind == QuestionKind::TrueFalse {
            if let Some(c) = &q.choices {
                out.push(cx.diag_error(
                    c.span().start,
                    "truefalse questions take no `choices` (they are always True and False)",
                ));
            }
            choices = vec!["True".to_string(), "False".to_string()];
        } else if choices.len() < 2 {
            out.push(cx.diag_error(
                q.choices.as_ref().map_or(id_at, |c| c.span().start),
                format!("question {id:?} needs at least two choices"),
            ));
        }
        if q.answer.is_none() {
            out.push(cx.diag_error(id_at, format!("question {id:?} has no `answer`")));
        }
        for &a in &answer {
            if a >= choices.len() {
                out.push(cx.diag_error(
                    answer_at,
                    format!(
                        "answer index {a} is out of range: there are {} choices (indexes 0 to {})",
                        choices.len(),
                        choices.len().saturating_sub(1)
                    ),
                ));
            }
        }
        let distinct: HashSet<usize> = answer.iter().copied().collect();
        if distinct.len() != answer.len() {
            out.push(cx.diag_error(answer_at, "`answer` lists the same index twice"));
        }
        match kind {
            QuestionKind::Multiple => match &q.pick {
                None => out.push(
                    cx.diag_error(
                        id_at,
                        format!("multiple-answer question {id:?} needs `pick`"),
                    )
                    .with_hint(format!("pick = {} (the number of answers)", answer.len())),
                ),
                Some(p) => {
                    pick = *p.get_ref();
                    if pick != answer.len() {
                        out.push(cx.diag_error(
                            p.span().start,
                            format!("pick = {pick} but `answer` lists {} choices", answer.len()),
                        ));
                    }
                }
            },
            _ => {
                if let Some(p) = &q.pick {
                    out.push(cx.diag_error(
                        p.span().start,
                        "`pick` is only for kind = \"multiple\" questions",
                    ));
                }
                if q.answer.is_some() && answer.len() != 1 {
                    out.push(cx.diag_error(
                        answer_at,
                        format!(
                            "a {} question has exactly one answer, found {}",
                            kind.name(),
                            answer.len()
                        ),
                    ));
                }
            }
        }
    }
    let difficulty = match &q.difficulty {
        Some(d) if !(1..=3).contains(d.get_ref()) => {
            out.push(cx.diag_error(
                d.span().start,
                format!("difficulty must be 1, 2 or 3, not {}", d.get_ref()),
            ));
            1
        }
        Some(d) => *d.get_ref(),
        None if checkpoint => 1,
        None => {
            out.push(cx.diag_error(
                id_at,
                format!("question {id:?} needs `difficulty` (1 to 3)"),
            ));
            1
        }
    };
    if q.prompt.trim().is_empty() {
        out.push(cx.diag_error(id_at, format!("question {id:?} has an empty prompt")));
    }
    if q.explanation.trim().is_empty() {
        out.push(cx.diag_error(id_at, format!("question {id:?} has an empty explanation")));
    }
    if out.len() > before {
        return None;
    }
    Some(Question {
        id,
        kind,
        prompt: q.prompt,
        choices,
        answer,
        pick,
        explanation: q.explanation,
        objectives: q.objectives.into_iter().map(Spanned::into_inner).collect(),
        difficulty,
        source: q.source,
        scenario: q.scenario.map(Spanned::into_inner),
        policy: None,
        ask_reason: q.ask_reason.is_some_and(|a| *a.get_ref()),
        path: cx.path().to_string(),
        line,
    })
}

/// The largest content file a pack may hold (1 MiB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The most bytes a pack's `.toml` files may hold together (20 MiB).
pub const MAX_PACK_BYTES: u64 = 20 * 1024 * 1024;
/// The most `.toml` files a pack may hold.
pub const MAX_PACK_FILES: usize = 2000;

/// Reads every `.toml` file under `dir` (sorted by relative path), within
/// the size limits, refusing symlinks that lead out of `dir`.
pub(super) fn read_dir(dir: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
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
        match fs::read_to_string(path) {
            Ok(text) => self.files.push(SourceFile {
                rel,
                display: path.display().to_string(),
                text,
            }),
            Err(e) => self.refuse(path, format!("cannot read file: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::markup::{BlockKind, Inline};

    const OBJECTIVES: &str = "[[objectives]]\nid = \"handshake\"\ntitle = \"Two halves\"\n";
    const GLOSSARY: &str = "[[terms]]\nid = \"key-policy\"\nterm = \"Key policy\"\ndefinition = \"The policy on a key.\"\n";

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.to_string(),
            display: format!("content/{rel}"),
            text: text.to_string(),
        }
    }

    fn pack_with(extra: &[(&str, &str)]) -> Result<Pack, Vec<Diagnostic>> {
        let mut files = vec![
            file("objectives.toml", OBJECTIVES),
            file("glossary.toml", GLOSSARY),
        ];
        files.extend(extra.iter().map(|(r, t)| file(r, t)));
        load("content/", files, Vec::new())
    }

    fn messages(r: Result<Pack, Vec<Diagnostic>>) -> Vec<String> {
        match r {
            Ok(p) => panic!(
                "expected errors, got a pack with {} lessons",
                p.lessons.len()
            ),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    const LESSON: &str = r#"id = "handshake"
order = 4
title = "The handshake"
objectives = ["handshake"]
summary = "Both sides."

[[sections]]
id = "two-halves"
title = "Two halves"
body = '''
## Rule

Both a [[key-policy]] and an IAM policy.
'''

[[sections.checkpoints]]
id = "cp-one"
kind = "single"
prompt = "Which?"
choices = ["A", "B"]
answer = [1]
explanation = "Because."
"#;

    #[test]
    fn control_escapes_are_found_and_plain_backslashes_are_not() {
        let found = control_escapes(r#"a \u001b b \\u001b c \U0000009b d \x07 \e \u00e9 \n"#);
        let chars: Vec<char> = found.iter().map(|(_, c)| *c).collect();
        assert_eq!(chars, ['\u{1b}', '\u{9b}', '\u{7}', '\u{1b}']);
        assert_eq!(found.first().map(|f| f.0), Some(2));
    }

    #[test]
    fn loads_a_lesson_with_lines_and_filled_links() {
        let pack = match pack_with(&[("lessons/04-handshake.toml", LESSON)]) {
            Ok(p) => p,
            Err(d) => panic!("{d:?}"),
        };
        let lesson = &pack.lessons[0];
        assert_eq!(lesson.id, "handshake");
        let section = &lesson.sections[0];
        assert_eq!(section.blocks[0].line, 11);
        assert_eq!(section.blocks[1].line, 13);
        assert_eq!(
            section.blocks[1].kind,
            BlockKind::Paragraph(vec![
                Inline::Text("Both a ".into()),
                Inline::TermLink {
                    id: "key-policy".into(),
                    text: "key policy".into()
                },
                Inline::Text(" and an IAM policy.".into()),
            ])
        );
        let cp = &section.checkpoints[0];
        assert_eq!((cp.line, cp.pick, cp.difficulty), (17, 1, 1));
        assert!(cp.is_correct(&[1]));
        assert_eq!(
            pack.question("cp-one").map(|q| q.kind),
            Some(QuestionKind::Single)
        );
    }

    #[test]
    fn toml_syntax_error_has_line_and_column() {
        let m = messages(pack_with(&[(
            "lessons/x.toml",
            "id = \"x\"\norder = = 3\n",
        )]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("content/lessons/x.toml:2:9: error:"),
            "{m:?}"
        );
    }

    #[test]
    fn unknown_field_is_reported_at_the_key() {
        let text = LESSON.replace("summary =", "sumary =");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("content/lessons/x.toml:5:1: error: unknown field `sumary`"),
            "{m:?}"
        );
    }

    #[test]
    fn markup_errors_point_into_the_file() {
        let text = LESSON.replace("## Rule", "> [!DANGER]\n> careful");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(
            m,
            vec![
                "content/lessons/x.toml:11:5: error: unknown callout label \"DANGER\"; use IMPORTANT, TIP, WARNING or NOTE"
            ]
        );
        let text = LESSON.replace("## Rule", "```json\n{");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("content/lessons/x.toml:11:1: error: unclosed code fence"));
        let text = LESSON.replace("## Rule", "@diagram venn");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("content/lessons/x.toml:11:10: error: unknown diagram \"venn\""));
    }

    #[test]
    fn a_structural_error_does_not_hide_markup_errors() {
        let text = LESSON
            .replace("summary = \"Both sides.\"\n", "")
            .replace("## Rule", "@diagram venn")
            .replace("[[key-policy]]", "[[key-polcy]]");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[0].starts_with("content/lessons/x.toml:1:1: error: missing field `summary`"),
            "{m:?}"
        );
        assert!(
            m[1].starts_with("content/lessons/x.toml:10:10: error: unknown diagram"),
            "{m:?}"
        );
        assert!(
            m[2].starts_with("content/lessons/x.toml:12:8: error: [[key-polcy]]"),
            "{m:?}"
        );
    }

    #[test]
    fn unknown_term_and_objective_and_every_problem_at_once() {
        let text = LESSON
            .replace("[[key-policy]]", "[[key-polcy]]")
            .replace(
                "objectives = [\"handshake\"]",
                "objectives = [\"handshak\"]",
            )
            .replace("answer = [1]", "answer = [2]");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(
            m,
            vec![
                "content/lessons/x.toml:4:15: error: unknown objective id \"handshak\"\n  hint: did you mean \"handshake\"?",
                "content/lessons/x.toml:13:8: error: [[key-polcy]] is not a glossary term\n  hint: did you mean \"key-policy\"?",
                "content/lessons/x.toml:21:10: error: answer index 2 is out of range: there are 2 choices (indexes 0 to 1)",
            ]
        );
    }

    #[test]
    fn duplicate_ids_name_the_first_place() {
        let second = LESSON
            .replace("id = \"two-halves\"", "id = \"other\"")
            .replace("order = 4", "order = 5");
        let m = messages(pack_with(&[
            ("lessons/a.toml", LESSON),
            ("lessons/b.toml", &second),
        ]));
        assert_eq!(
            m,
            vec![
                "content/lessons/b.toml:1:6: error: duplicate lesson id \"handshake\" (first defined at content/lessons/a.toml:1:6)",
                "content/lessons/b.toml:17:6: error: duplicate question id \"cp-one\" (first defined at content/lessons/a.toml:17:6)",
            ]
        );
        let twice = format!(
            "{LESSON}\n[[sections]]\nid = \"two-halves\"\ntitle = \"Again\"\nbody = \"text\"\n"
        );
        let m = messages(pack_with(&[("lessons/a.toml", &twice)]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("duplicate section id \"two-halves\""),
            "{m:?}"
        );
        let glossary = format!("{GLOSSARY}{GLOSSARY}");
        let m = messages(load(
            "content/",
            vec![
                file("objectives.toml", OBJECTIVES),
                file("glossary.toml", &glossary),
            ],
            Vec::new(),
        ));
        assert_eq!(
            m,
            vec![
                "content/glossary.toml:6:6: error: duplicate glossary term id \"key-policy\" (first defined at content/glossary.toml:2:6)"
            ]
        );
    }

    const BANK: &str = r#"[[questions]]
id = "q-tf"
kind = "truefalse"
objectives = ["handshake"]
difficulty = 1
prompt = "True?"
choices = ["Yes", "No"]
answer = [0]
explanation = "x"

[[questions]]
id = "q-multi"
kind = "multiple"
objectives = ["handshake"]
difficulty = 2
prompt = "Pick two"
choices = ["a", "b", "c"]
answer = [0, 2]
explanation = "x"

[[questions]]
id = "q-pick"
kind = "multiple"
objectives = ["handshake"]
difficulty = 2
prompt = "Pick two"
choices = ["a", "b", "c"]
answer = [0, 2]
pick = 3
explanation = "x"

[[questions]]
id = "q-policy"
kind = "policy"
objectives = ["handshake"]
difficulty = 3
prompt = "Allowed?"
scenario = "hs-missing"
explanation = "x"
"#;

    #[test]
    fn question_bank_rules() {
        let m = messages(pack_with(&[("questions/bank.toml", BANK)]));
        assert_eq!(
            m,
            vec![
                "content/questions/bank.toml:7:11: error: truefalse questions take no `choices` (they are always True and False)",
                "content/questions/bank.toml:12:6: error: multiple-answer question \"q-multi\" needs `pick`\n  hint: pick = 2 (the number of answers)",
                "content/questions/bank.toml:29:8: error: pick = 3 but `answer` lists 2 choices",
                "content/questions/bank.toml:38:12: error: scenario \"hs-missing\" not found\n  hint: policy questions name a file content/scenarios/hs-missing.toml",
            ]
        );
    }

    /// A cross-account Decrypt where only B's IAM half allows.
    const SCENARIO: &str = r#"title = "IAM half only"

[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"
policy = '''
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}
'''

[[principals]]
arn = "arn:aws:iam::444455556666:role/worker"
policies = ['''
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
 "Resource": "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"}]}
''']

[[requests]]
principal = "arn:aws:iam::444455556666:role/worker"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"
expect = "deny"
expect_reason = "implicit_deny"
"#;

    #[test]
    fn policy_question_is_answered_by_the_engine() {
        let bank = BANK.split("\n\n").last().unwrap_or("");
        let pack = pack_with(&[
            ("questions/bank.toml", bank),
            ("scenarios/hs-missing.toml", SCENARIO),
        ]);
        let pack = match pack {
            Ok(p) => p,
            Err(d) => panic!("{d:?}"),
        };
        let q = &pack.questions[0];
        assert_eq!(q.kind, QuestionKind::Policy);
        assert_eq!(q.scenario.as_deref(), Some("hs-missing"));
        let answer = q
            .policy
            .clone()
            .unwrap_or_else(|| panic!("no engine answer"));
        assert_eq!(answer.verdict, crate::core::world::Verdict::Deny);
        assert_eq!(answer.reason, crate::core::world::Reason::ImplicitDeny);
        assert!(!answer.explanation.is_empty());
    }

    #[test]
    fn policy_question_whose_expectation_the_engine_rejects_is_an_error() {
        let bank = BANK.split("\n\n").last().unwrap_or("");
        let wrong = SCENARIO
            .replace("expect = \"deny\"", "expect = \"allow\"")
            .replace("\"implicit_deny\"", "\"allowed\"");
        let m = messages(pack_with(&[
            ("questions/bank.toml", bank),
            ("scenarios/hs-missing.toml", &wrong),
        ]));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "content/scenarios/hs-missing.toml:18:1: error: the policy engine decides deny (implicit_deny) but the scenario expects allow (allowed)"
            ),
            "{m:?}"
        );
        let two = format!(
            "{SCENARIO}\n[[requests]]\nprincipal = \"arn:aws:iam::444455556666:role/worker\"\naction = \"kms:Encrypt\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84\"\n"
        );
        let m = messages(pack_with(&[
            ("questions/bank.toml", bank),
            ("scenarios/hs-missing.toml", &two),
        ]));
        assert_eq!(
            m,
            vec![
                "content/scenarios/hs-missing.toml:1:1: error: the scenario of policy question \"q-policy\" must hold exactly one [[requests]] entry, found 2"
            ]
        );
    }

    #[test]
    fn links_in_question_texts_are_checked() {
        let text = LESSON.replace("prompt = \"Which?\"", "prompt = \"Which [[kms-kee]]?\"");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(
            m,
            vec![
                "content/lessons/x.toml:17:1: error: question \"cp-one\": [[kms-kee]] is not a glossary term\n  hint: add it to glossary.toml or fix the id"
            ]
        );
        let text = LESSON.replace("prompt = \"Which?\"", "prompt = \"Which [[key-policy]]?\"");
        let pack = match pack_with(&[("lessons/x.toml", &text)]) {
            Ok(p) => p,
            Err(d) => panic!("{d:?}"),
        };
        let prompt = pack.question("cp-one").map(|q| pack.styled(&q.prompt));
        assert_eq!(
            prompt,
            Some(vec![
                Inline::Text("Which ".into()),
                Inline::TermLink {
                    id: "key-policy".into(),
                    text: "Key policy".into()
                },
                Inline::Text("?".into()),
            ])
        );
    }

    #[test]
    fn unknown_question_kind_suggests_the_closest() {
        let text = LESSON.replace("kind = \"single\"", "kind = \"singel\"");
        let m = messages(pack_with(&[("lessons/x.toml", &text)]));
        assert_eq!(
            m,
            vec![
                "content/lessons/x.toml:18:8: error: unknown question kind \"singel\"; use single, multiple, truefalse\n  hint: did you mean \"single\"?"
            ]
        );
    }

    #[test]
    fn suggestions_name_a_close_id_only() {
        let known = ["key-policy", "grant", "alias"];
        assert_eq!(
            did_you_mean("grnat", known.into_iter(), "none"),
            "did you mean \"grant\"?"
        );
        assert_eq!(did_you_mean("envelope", known.into_iter(), "none"), "none");
    }

    #[test]
    fn lessons_are_sorted_by_order() {
        let later = LESSON
            .replace("id = \"handshake\"", "id = \"later\"")
            .replace("order = 4", "order = 9")
            .replace("cp-one", "cp-two");
        let pack = match pack_with(&[
            ("lessons/01-later.toml", &later),
            ("lessons/04-handshake.toml", LESSON),
        ]) {
            Ok(p) => p,
            Err(d) => panic!("{d:?}"),
        };
        let ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, vec!["handshake", "later"]);
    }

    #[test]
    fn missing_top_level_files_are_reported() {
        let m = messages(load(
            "content/",
            vec![file("lessons/a.toml", LESSON)],
            Vec::new(),
        ));
        assert_eq!(
            m,
            vec![
                "content/glossary.toml:1:1: error: the pack has no glossary.toml",
                "content/objectives.toml:1:1: error: the pack has no objectives.toml",
            ]
        );
    }
}
