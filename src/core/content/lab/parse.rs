//! Reading a lab file: the scenario (through the engine's loader), the
//! teaching fields, the editable policies with their solutions and the
//! goals, each checked, every problem reported at file:line:column.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::edit::forget_hidden_lines;
use super::raw::{RawLab, RawLabFile, start_text};
use super::{Editable, Goal, Lab, LabRefs, PolicyRef};
use crate::core::content::markup::{self, Block, LinkRef};
use crate::core::content::valid_id;
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::embed::Embedding;
use crate::core::world::sink::DiagSink;
use crate::core::world::{Verdict, World, load_str};

/// The editable policies with the span of their `editable` entry.
type Policies = Vec<(PolicyRef, Range<usize>)>;
/// The solution text of each editable policy, with the span of that text.
type Solutions = BTreeMap<PolicyRef, (String, Range<usize>)>;

/// The teaching fields of `[lab]`, parsed.
struct Teaching {
    title: String,
    story: Vec<Block>,
    hints: Vec<Vec<Block>>,
    explanation: Vec<Block>,
    refs: LabRefs,
}

impl Lab {
    /// Reads a lab file. `path` is used in messages. Every problem is
    /// returned: TOML and scenario errors, teaching fields, editable
    /// policies that do not exist, solutions that do not parse or do not
    /// meet the goals, and a starting state that already meets them all.
    pub fn parse(path: &str, text: &str) -> Result<Lab, Vec<Diagnostic>> {
        let mut cx = DiagSink::new(path, text);
        let world = match load_str(path, text) {
            Ok(w) => Some(w),
            Err(d) => {
                d.into_iter().for_each(|d| cx.push(d));
                None
            }
        };
        let Some(raw) = read_raw(&mut cx, world.is_some()) else {
            return Err(cx.finish());
        };
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let Some(lab) = raw.lab.as_ref() else {
            cx.push(
                Diagnostic::file_error(path, "a lab file needs a [lab] table")
                    .with_hint("add [lab] with id, objectives, story, editable, hints, explanation and [lab.solution]"),
            );
            return Err(cx.finish());
        };
        let lab_at = lab.span().start;
        let lab = lab.get_ref();
        // The starting state is the editable policies' text.
        let editable_at = lab.editable.first().map_or(lab_at, |e| e.span().start);
        let teaching = teaching(&mut cx, &raw, lab, lab_at);
        let policies = editable_refs(&mut cx, lab, lab_at);
        let solutions = solutions(&mut cx, lab, &policies);
        let Some(mut world) = world else {
            return Err(cx.finish());
        };
        let editable = starting_texts(&mut cx, &raw, &world, &policies, &solutions);
        let goals = goals(&mut cx, &world, lab_at);
        if !cx.is_empty() {
            return Err(cx.finish());
        }
        forget_hidden_lines(&mut world, &editable);
        let mut lab = Lab {
            id: lab.id.get_ref().clone(),
            title: teaching.title,
            objectives: lab.objectives.iter().map(|o| o.get_ref().clone()).collect(),
            story: teaching.story,
            editable,
            goals,
            hints: teaching.hints,
            explanation: teaching.explanation,
            path: path.to_string(),
            sandbox: false,
            world,
            table,
            refs: teaching.refs,
        };
        lab.count_lines_in_texts();
        check_start_and_solution(&mut cx, &lab, &solutions, editable_at);
        if cx.is_empty() {
            Ok(lab)
        } else {
            Err(cx.finish())
        }
    }
}

/// Whether byte `at` is inside the `[lab]` table (or one of its
/// sub-tables), whose fields the engine does not read.
fn in_lab_table(text: &str, at: usize) -> bool {
    let mut offset = 0;
    let mut in_lab = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            in_lab = line.starts_with("[lab]") || line.starts_with("[lab.");
        }
        if at < offset + line.len() {
            return in_lab;
        }
        offset += line.len();
    }
    false
}

/// The file's lab fields, or `None` after a TOML error. The engine reports
/// a syntax error already; a teaching-field error (which the engine
/// ignores) is reported here when the scenario itself loaded.
fn read_raw(cx: &mut DiagSink<'_>, scenario_loaded: bool) -> Option<RawLabFile> {
    // Every teaching-field error is reported; what remains is still read.
    let text = cx.text();
    let mut errors = Vec::new();
    let raw = crate::core::world::recover::parse(text, |e| {
        let at = e.span().map_or(0, |s| s.start);
        let m = e.message().trim();
        errors.push((
            at,
            format!("invalid lab: {}", m.strip_suffix('.').unwrap_or(m)),
        ));
    });
    // A syntax error the engine reported already; a scenario error means
    // the engine reported this file's schema errors too.
    let syntax = toml::de::DeTable::parse(text).is_err();
    if scenario_loaded || !syntax {
        for (at, message) in errors {
            if scenario_loaded || message.contains("`lab`") || in_lab_table(text, at) {
                cx.error(at, message);
            }
        }
    }
    raw
}

/// Parses a markup field, recording its errors at their file positions and
/// keeping its term links for the pack's glossary check.
pub(in crate::core::content) fn markup_field(
    cx: &mut DiagSink<'_>,
    body: &Spanned<String>,
    links: &mut Vec<LinkRef>,
) -> Vec<Block> {
    markup_field_with(cx, body, links, &[])
}

/// [`markup_field`], where `@diagram` may also name one of `diagrams`
/// (the pack's own).
pub(in crate::core::content) fn markup_field_with(
    cx: &mut DiagSink<'_>,
    body: &Spanned<String>,
    links: &mut Vec<LinkRef>,
    diagrams: &[String],
) -> Vec<Block> {
    let parsed = markup::parse_with(body.get_ref(), cx.first_line(body.span().start), diagrams);
    for e in parsed.errors {
        let d = cx.at_line_col((e.line, e.column), Severity::Error, e.message);
        cx.push(d);
    }
    links.extend(parsed.links);
    parsed.blocks
}

/// The id, title, objectives, story, hints and explanation, checked.
fn teaching(cx: &mut DiagSink<'_>, raw: &RawLabFile, lab: &RawLab, lab_at: usize) -> Teaching {
    let mut refs = LabRefs {
        id_at: cx.locate(lab.id.span().start),
        ..LabRefs::default()
    };
    if !valid_id(lab.id.get_ref()) {
        cx.error(
            lab.id.span().start,
            format!(
                "lab id {:?} is not a valid id (lowercase letters, digits and '-')",
                lab.id.get_ref()
            ),
        );
    }
    let title = match &raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().clone(),
        _ => {
            cx.error(0, "a lab needs a top-level title = \"...\"");
            String::new()
        }
    };
    if lab.objectives.is_empty() {
        cx.error(lab_at, "a lab needs at least one objective id");
    }
    for o in &lab.objectives {
        let (line, column) = cx.locate(o.span().start);
        refs.objectives.push((o.get_ref().clone(), line, column));
    }
    let story = markup_field(cx, &lab.story, &mut refs.links);
    if lab.hints.len() < 2 {
        cx.error(
            lab.hints.first().map_or(lab_at, |h| h.span().start),
            format!(
                "a lab needs at least two hints (revealed one at a time), found {}",
                lab.hints.len()
            ),
        );
    }
    let hints = lab
        .hints
        .iter()
        .map(|h| markup_field(cx, h, &mut refs.links))
        .collect();
    if lab.explanation.get_ref().trim().is_empty() {
        cx.error(lab.explanation.span().start, "the explanation is empty");
    }
    let explanation = markup_field(cx, &lab.explanation, &mut refs.links);
    Teaching {
        title,
        story,
        hints,
        explanation,
        refs,
    }
}

/// The `editable` list, each name parsed and listed once.
fn editable_refs(cx: &mut DiagSink<'_>, lab: &RawLab, lab_at: usize) -> Policies {
    let mut policies: Policies = Vec::new();
    for e in &lab.editable {
        match PolicyRef::parse(e.get_ref()) {
            Ok(r) if policies.iter().any(|(p, _)| *p == r) => {
                cx.error(e.span().start, format!("{} is listed twice", e.get_ref()));
            }
            Ok(r) => policies.push((r, e.span())),
            Err(m) => cx.error(e.span().start, m.to_string()),
        }
    }
    if lab.editable.is_empty() {
        cx.error(lab_at, "a lab needs at least one editable policy");
    }
    policies
}

/// `[lab.solution]`: one text for every editable policy and no other.
fn solutions(cx: &mut DiagSink<'_>, lab: &RawLab, policies: &Policies) -> Solutions {
    let mut solutions = Solutions::new();
    for (name, value) in lab.solution.get_ref() {
        match PolicyRef::parse(name) {
            Ok(r) if policies.iter().any(|(p, _)| *p == r) => {
                solutions.insert(r, (value.get_ref().clone(), value.span()));
            }
            Ok(_) => cx.error(
                value.span().start,
                format!("[lab.solution] gives \"{name}\", which is not in editable"),
            ),
            Err(m) => cx.error(value.span().start, m.to_string()),
        }
    }
    for (r, span) in policies {
        if !solutions.contains_key(r) {
            cx.error(
                span.start,
                format!("editable policy {r} has no entry in [lab.solution]"),
            );
        }
    }
    solutions
}

/// The starting text of every editable policy, from the scenario part.
fn starting_texts(
    cx: &mut DiagSink<'_>,
    raw: &RawLabFile,
    world: &World,
    policies: &Policies,
    solutions: &Solutions,
) -> Vec<Editable> {
    let mut editable = Vec::new();
    for (r, span) in policies {
        match start_text(raw, world, r) {
            Ok(start) => editable.push(Editable {
                label: r.label(world),
                policy: r.clone(),
                start,
                solution: solutions.get(r).map(|s| s.0.clone()).unwrap_or_default(),
            }),
            Err(m) => cx.error(span.start, m),
        }
    }
    editable
}

/// Goals: every request, with a name and an expectation; at least one must
/// stay denied.
fn goals(cx: &mut DiagSink<'_>, world: &World, lab_at: usize) -> Vec<Goal> {
    let mut goals = Vec::new();
    for (i, r) in world.requests.iter().enumerate() {
        let name = r.name.clone().unwrap_or_default();
        if name.trim().is_empty() {
            cx.error_line(
                r.line,
                "every request of a lab is a goal: give it a name = \"...\" (the goal's text)",
            );
        }
        let Some(expect) = r.expect else {
            cx.error_line(
                r.line,
                "every request of a lab is a goal: give it expect = \"allow\" or \"deny\"",
            );
            continue;
        };
        goals.push(Goal {
            request: i,
            text: name,
            expect: Some(expect),
            expect_reason: r.expect_reason,
            line: r.line,
        });
    }
    if !goals.is_empty() && !goals.iter().any(|g| g.expect == Some(Verdict::Deny)) {
        cx.error(
            lab_at,
            "a lab needs at least one goal that must stay denied (expect = \"deny\"): least privilege is part of every lab",
        );
    }
    goals
}

/// The starting state must fail a goal, the reference solution must parse
/// and meet every goal.
fn check_start_and_solution(
    cx: &mut DiagSink<'_>,
    lab: &Lab,
    solutions: &Solutions,
    editable_at: usize,
) {
    if lab.solved(&lab.world) {
        cx.error(
            editable_at,
            "the starting state already meets every goal: there is nothing to fix",
        );
    }
    match lab.apply(&lab.solution()) {
        Ok(solved) => {
            let status = lab.check(&solved);
            for (goal, st) in lab.goals.iter().zip(&status.goals) {
                if st.met {
                    continue;
                }
                let request = &solved.requests[goal.request];
                cx.error_line(
                    goal.line,
                    format!(
                        "the reference solution does not meet goal {:?}: the engine decides {} ({}) but the goal expects {}: {}",
                        goal.text,
                        st.outcome.verdict.code(),
                        st.outcome.reason.code(),
                        goal.expect.map_or("-", Verdict::code),
                        st.outcome.explain(&solved, &request.caller)
                    ),
                );
            }
        }
        Err(errors) => {
            for e in errors {
                let Some((value, span)) = solutions.get(&e.policy) else {
                    continue;
                };
                let emb = Embedding::from_toml(cx.text(), span.clone(), value);
                cx.error(
                    emb.to_file(e.offset),
                    format!("solution of {}: {}", e.policy, e.message),
                );
            }
        }
    }
}
