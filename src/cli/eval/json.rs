//! The `keyshake eval --json` document, written straight from typed
//! structs that borrow from the results (no intermediate JSON tree), with
//! the keys in the order of the scenario-format and why-not contracts.

use serde::Serialize;

mod pretty;
use pretty::Pretty;

use super::{FileResult, RequestResult};
use crate::core::eval::near::Seen;
use crate::core::eval::{Fix, NearMiss, Outcome, PolicyOutcome, TraceEntry};
use crate::core::policy::principal::Caller;
use crate::core::world::{Verdict, World};

#[derive(Serialize)]
struct File<'a> {
    file: &'a str,
    results: Vec<Result<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Error<'a>>,
}

#[derive(Serialize)]
struct Error<'a> {
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Result<'a> {
    name: Option<&'a str>,
    principal: &'a str,
    action: &'a str,
    resource: &'a str,
    decision: &'static str,
    reason: &'static str,
    expected: Option<&'static str>,
    expected_reason: Option<&'static str>,
    passed: Option<bool>,
    explanation: &'a str,
    missing: Vec<&'static str>,
    resolved: Option<&'a str>,
    cross_account: bool,
    trace: Vec<Trace>,
    implied: Vec<Implied<'a>>,
    fixes: Vec<FixJson<'a>>,
    no_fix: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    no_fix_message: Option<&'a str>,
    also_allows: &'a [String],
}

#[derive(Serialize)]
struct Implied<'a> {
    action: &'a str,
    resource: &'a str,
    resolved: Option<&'a str>,
    decision: &'static str,
    reason: &'static str,
    explanation: String,
    trace: Vec<Trace>,
}

#[derive(Serialize)]
struct Trace {
    policy: String,
    kind: &'static str,
    outcome: &'static str,
    statement: Option<String>,
    lines: Option<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    near_misses: Option<Vec<Near>>,
}

#[derive(Serialize)]
struct Near {
    statement: String,
    lines: Option<[usize; 2]>,
    failed: Vec<FailedJson>,
}

#[derive(Serialize)]
struct FailedJson {
    element: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    operator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wanted: Option<Vec<String>>,
    /// `null` for an absent key; left out for the other elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    got: Option<Option<Vec<String>>>,
    detail: String,
}

#[derive(Serialize)]
struct FixJson<'a> {
    kind: &'static str,
    owner: &'a str,
    index: Option<usize>,
    policy: &'a str,
    summary: &'a str,
    document: &'a str,
}

/// The `--json` document for `files`, as text: each file's part is
/// written on a core of its own and added in the files' order.
pub fn to_json(files: &[FileResult]) -> String {
    let mut out = Vec::new();
    let mut doc = Document::new(&mut out);
    crate::core::par::for_each_in_order(files, file_part, |part| doc.part(&part));
    doc.end();
    String::from_utf8(out).unwrap_or_default()
}

/// The document (with its final newline) written part by part, each made
/// by [`file_part`], exactly as one pretty-printed document would be.
pub(super) struct Document<'w> {
    out: &'w mut dyn std::io::Write,
    parts: usize,
}

impl<'w> Document<'w> {
    pub(super) fn new(out: &'w mut dyn std::io::Write) -> Self {
        Document { out, parts: 0 }
    }

    /// Writes one file's part (a closed stdout is the exit status's
    /// business, not the document's).
    pub(super) fn part(&mut self, part: &[u8]) {
        let before: &[u8] = match self.parts {
            0 => b"{\n  \"files\": [\n",
            _ => b",\n",
        };
        let _ = self.out.write_all(before);
        let _ = self.out.write_all(part);
        self.parts += 1;
    }

    pub(super) fn end(self) {
        let end: &[u8] = match self.parts {
            0 => b"{\n  \"files\": []\n}\n",
            _ => b"\n  ]\n}\n",
        };
        let _ = self.out.write_all(end);
    }
}

/// One file's object, pretty-printed at the depth it has in the document
/// (four spaces in), written in one pass by [`Pretty`].
pub(super) fn file_part(f: &FileResult) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * 1024);
    out.extend_from_slice(b"    ");
    // Every value of the document is a shape `Pretty` writes.
    let _ = file(f).serialize(&mut Pretty::at(&mut out, 2));
    out
}

fn file(f: &FileResult) -> File<'_> {
    File {
        file: &f.file,
        results: f.world.as_ref().map_or(Vec::new(), |w| {
            f.results.iter().map(|r| result(r, w)).collect()
        }),
        errors: f
            .errors
            .iter()
            .map(|d| Error {
                line: d.line,
                column: d.column,
                message: &d.message,
            })
            .collect(),
    }
}

fn result<'a>(r: &'a RequestResult, world: &'a World) -> Result<'a> {
    let o = &r.outcome;
    let caller = &r.request.caller;
    let deny = o.verdict == Verdict::Deny;
    Result {
        name: r.request.name.as_deref(),
        principal: &caller.arn,
        action: &r.request.action,
        resource: &r.request.resource,
        decision: o.verdict.code(),
        reason: o.reason.code(),
        expected: r.request.expect.map(Verdict::code),
        expected_reason: r.request.expect_reason.map(|x| x.code()),
        passed: r.passed(),
        explanation: &r.explanation,
        missing: o.missing.iter().map(|m| m.code()).collect(),
        resolved: o.resolved.as_deref(),
        cross_account: o.cross_account,
        trace: trace(o, world, caller),
        implied: o
            .implied
            .iter()
            .map(|i| implied(i, world, caller))
            .collect(),
        fixes: r.fix.fixes.iter().map(fix).collect(),
        no_fix: r
            .fix
            .no_fix
            .as_ref()
            .filter(|_| deny)
            .map(|n| n.code.code()),
        no_fix_message: r.fix.no_fix.as_ref().map(|n| n.message.as_str()),
        also_allows: &r.fix.also_allows,
    }
}

fn fix(f: &Fix) -> FixJson<'_> {
    FixJson {
        kind: f.kind.code(),
        owner: &f.owner,
        index: f.index,
        policy: &f.policy,
        summary: &f.summary,
        document: &f.document,
    }
}

fn implied<'a>(o: &'a Outcome, world: &'a World, caller: &'a Caller) -> Implied<'a> {
    Implied {
        action: &o.action,
        resource: &o.resource,
        resolved: o.resolved.as_deref(),
        decision: o.verdict.code(),
        reason: o.reason.code(),
        explanation: o.explain(world, caller),
        trace: trace(o, world, caller),
    }
}

fn trace(o: &Outcome, world: &World, caller: &Caller) -> Vec<Trace> {
    o.trace
        .iter()
        .enumerate()
        .map(|(i, t)| entry(o, i, t, world, caller))
        .collect()
}

fn entry(o: &Outcome, i: usize, t: &TraceEntry, world: &World, caller: &Caller) -> Trace {
    let near_misses = (t.outcome == PolicyOutcome::NoMatch).then(|| {
        let seen = Seen {
            action: &o.action,
            resource: o.resolved.as_deref().unwrap_or(&o.resource),
            caller,
        };
        o.near_misses(i)
            .iter()
            .filter_map(|m| near(t, m, world, seen))
            .collect()
    });
    Trace {
        policy: t.label(world),
        kind: t.kind.code(),
        outcome: t.outcome.code(),
        statement: t.statement_label(world),
        lines: t.lines(world).map(|(a, b)| [a, b]),
        near_misses,
    }
}

fn near(t: &TraceEntry, m: &NearMiss, world: &World, seen: Seen<'_>) -> Option<Near> {
    let s = t.source.policy(world)?.statements.get(m.statement)?;
    Some(Near {
        statement: s.label(),
        lines: s.lines.map(|(a, b)| [a, b]),
        failed: m
            .failed
            .iter()
            .map(|f| {
                let cond = match f {
                    crate::core::eval::Failed::Condition { index, .. } => s.conditions.get(*index),
                    _ => None,
                };
                FailedJson {
                    element: f.element(),
                    operator: cond.map(|c| c.operator.name()),
                    key: cond.map(|c| c.key.clone()),
                    wanted: cond.map(|c| c.values.clone()),
                    got: cond.map(|_| f.got()),
                    detail: f.detail(s, seen),
                }
            })
            .collect(),
    })
}
