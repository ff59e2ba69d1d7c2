//! Policy labs: a scenario in the engine's format plus teaching fields (a
//! `[lab]` table), read from `content/labs/*.toml` (CONTENT.md,
//! "labs/*.toml").
//!
//! The engine ignores the `[lab]` table, so `keyshake eval` grades a lab
//! file as it stands (its starting state fails at least one goal). This
//! module reads the teaching fields, checks them against the scenario, and
//! gives the lab screen what it needs: the starting texts of the editable
//! policies, a world rebuilt from the learner's texts, the goals met or not,
//! and a scenario export that `keyshake eval` grades.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::markup::{self, Block, LinkRef};
use crate::core::diag::{Diagnostic, LineIndex, Severity};
use crate::core::eval::{Outcome, PolicySource, evaluate};
use crate::core::policy::{Policy, PolicyKind, parse};
use crate::core::world::embed::Embedding;
use crate::core::world::{Reason, Verdict, World, load_str};

/// Which policy of a lab's world the learner may edit.
///
/// Written in lab files (and in diagnostics about edited text) as
/// `key:KEY-ARN`, `identity:ROLE-OR-USER-ARN#N` (N is 1-based; `#1` may be
/// left out), `boundary:ROLE-OR-USER-ARN`, `bucket:BUCKET-NAME` or
/// `scp:ACCOUNT-ID#N`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyRef {
    /// The key policy of the key with this ARN.
    Key(String),
    /// Identity policy `index` (0-based) of the principal with this ARN.
    Identity {
        /// The role or user ARN.
        principal: String,
        /// 0-based index in its policy list.
        index: usize,
    },
    /// The permissions boundary of the principal with this ARN.
    Boundary(String),
    /// The bucket policy of the bucket with this name.
    Bucket(String),
    /// SCP `index` (0-based) of the account with this id.
    Scp {
        /// Twelve digits.
        account: String,
        /// 0-based index in its SCP list.
        index: usize,
    },
}

impl PolicyRef {
    /// Reads the written form (see the type's documentation).
    pub fn parse(text: &str) -> Result<PolicyRef, String> {
        let Some((kind, rest)) = text.split_once(':') else {
            return Err(format!(
                "\"{text}\" is not a policy name: write key:ARN, identity:ARN#N, boundary:ARN, bucket:NAME or scp:ACCOUNT#N"
            ));
        };
        let numbered = |rest: &str| -> Result<(String, usize), String> {
            match rest.rsplit_once('#') {
                None => Ok((rest.to_string(), 0)),
                Some((name, n)) => match n.parse::<usize>() {
                    Ok(n) if n >= 1 => Ok((name.to_string(), n - 1)),
                    _ => Err(format!(
                        "\"{text}\": the number after # counts policies from 1"
                    )),
                },
            }
        };
        let r = match kind {
            "key" => PolicyRef::Key(rest.to_string()),
            "identity" => {
                let (principal, index) = numbered(rest)?;
                PolicyRef::Identity { principal, index }
            }
            "boundary" => PolicyRef::Boundary(rest.to_string()),
            "bucket" => PolicyRef::Bucket(rest.to_string()),
            "scp" => {
                let (account, index) = numbered(rest)?;
                PolicyRef::Scp { account, index }
            }
            other => {
                return Err(format!(
                    "unknown policy kind \"{other}\" in \"{text}\" (one of key, identity, boundary, bucket, scp)"
                ));
            }
        };
        if r.name().is_empty() {
            return Err(format!("\"{text}\" names no {}", kind));
        }
        Ok(r)
    }

    /// The key ARN, principal ARN, bucket name or account id.
    pub fn name(&self) -> &str {
        match self {
            PolicyRef::Key(s) | PolicyRef::Boundary(s) | PolicyRef::Bucket(s) => s,
            PolicyRef::Identity { principal, .. } => principal,
            PolicyRef::Scp { account, .. } => account,
        }
    }

    /// The kind of policy document it is.
    pub fn kind(&self) -> PolicyKind {
        match self {
            PolicyRef::Key(_) => PolicyKind::KeyPolicy,
            PolicyRef::Identity { .. } => PolicyKind::Identity,
            PolicyRef::Boundary(_) => PolicyKind::Boundary,
            PolicyRef::Bucket(_) => PolicyKind::BucketPolicy,
            PolicyRef::Scp { .. } => PolicyKind::Scp,
        }
    }

    /// Where this policy sits in `world`, to match the engine's trace
    /// entries (`TraceEntry::source`) to an editor tab.
    pub fn source(&self, world: &World) -> Option<PolicySource> {
        Some(match self {
            PolicyRef::Key(arn) => PolicySource::Key {
                key: world.keys.iter().position(|k| k.arn == *arn)?,
            },
            PolicyRef::Identity { principal, index } => PolicySource::Identity {
                principal: world.principals.iter().position(|p| p.arn == *principal)?,
                index: *index,
            },
            PolicyRef::Boundary(arn) => PolicySource::Boundary {
                principal: world.principals.iter().position(|p| p.arn == *arn)?,
            },
            PolicyRef::Bucket(name) => PolicySource::Bucket {
                bucket: world.buckets.iter().position(|b| b.name == *name)?,
            },
            PolicyRef::Scp { account, index } => PolicySource::Scp {
                account: world.accounts.iter().position(|a| a.id == *account)?,
                index: *index,
            },
        })
    }

    /// A tab label: "Key policy · alias/finance · Account A (111122223333)".
    pub fn label(&self, world: &World) -> String {
        let account = |id: &str| match world.accounts.iter().find(|a| a.id == id) {
            Some(a) => match &a.name {
                Some(name) => format!("{name} ({id})"),
                None => format!("account {id}"),
            },
            None => format!("account {id}"),
        };
        let arn_account = |arn: &str| arn.split(':').nth(4).unwrap_or("").to_string();
        let arn_tail = |arn: &str| arn.rsplit(':').next().unwrap_or(arn).to_string();
        match self {
            PolicyRef::Key(arn) => {
                let shown = world
                    .keys
                    .iter()
                    .find(|k| k.arn == *arn)
                    .and_then(|k| k.aliases.first().cloned())
                    .unwrap_or_else(|| arn_tail(arn));
                format!("Key policy · {shown} · {}", account(&arn_account(arn)))
            }
            PolicyRef::Identity { principal, index } => {
                let count = world
                    .principals
                    .iter()
                    .find(|p| p.arn == *principal)
                    .map_or(0, |p| p.policies.len());
                let n = if *index == 0 && count <= 1 {
                    String::new()
                } else {
                    format!(" {}", index + 1)
                };
                format!(
                    "IAM policy{n} · {} · {}",
                    arn_tail(principal),
                    account(&arn_account(principal))
                )
            }
            PolicyRef::Boundary(principal) => format!(
                "Permissions boundary · {} · {}",
                arn_tail(principal),
                account(&arn_account(principal))
            ),
            PolicyRef::Bucket(name) => {
                let owner = world
                    .buckets
                    .iter()
                    .find(|b| b.name == *name)
                    .map(|b| account(&b.account))
                    .unwrap_or_default();
                format!("Bucket policy · {name} · {owner}")
            }
            PolicyRef::Scp { account: id, index } => {
                format!("SCP {} · {}", index + 1, account(id))
            }
        }
    }

    /// Whether an empty text is allowed (the policy is then absent).
    fn may_be_empty(&self) -> bool {
        matches!(
            self,
            PolicyRef::Identity { .. } | PolicyRef::Boundary(_) | PolicyRef::Bucket(_)
        )
    }
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyRef::Key(arn) => write!(f, "key:{arn}"),
            PolicyRef::Identity { principal, index } => {
                write!(f, "identity:{principal}#{}", index + 1)
            }
            PolicyRef::Boundary(arn) => write!(f, "boundary:{arn}"),
            PolicyRef::Bucket(name) => write!(f, "bucket:{name}"),
            PolicyRef::Scp { account, index } => write!(f, "scp:{account}#{}", index + 1),
        }
    }
}

/// One policy the learner may edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editable {
    /// Which policy.
    pub policy: PolicyRef,
    /// The editor tab's label ([`PolicyRef::label`]).
    pub label: String,
    /// The text the lab starts from (empty if the policy is absent at the
    /// start: the learner writes it).
    pub start: String,
    /// The reference solution's full text (empty: the solution removes it).
    pub solution: String,
}

/// One goal: a request of the scenario that must end as `expect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// Index into the world's requests.
    pub request: usize,
    /// What the goal says, from the request's `name`.
    pub text: String,
    /// Must be allowed, or must stay denied. Always set in a lab; `None`
    /// for a sandbox request without `expect` (shown, never judged).
    pub expect: Option<Verdict>,
    /// Also the reason, if the lab file gives `expect_reason`.
    pub expect_reason: Option<Reason>,
    /// The request's line in the lab file.
    pub line: usize,
}

impl Goal {
    /// Whether `outcome` meets the goal (as `keyshake eval` judges it).
    /// A goal without an expectation is always met.
    pub fn met_by(&self, outcome: &Outcome) -> bool {
        crate::core::world::model::judge(self.expect, self.expect_reason, outcome).unwrap_or(true)
    }
}

/// One goal evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalStatus {
    /// Whether the outcome meets the goal.
    pub met: bool,
    /// The engine's outcome for the goal's request.
    pub outcome: Outcome,
}

/// Every goal of a lab evaluated against one world, in goal order.
#[derive(Debug, Clone, PartialEq)]
pub struct LabStatus {
    /// One entry per [`Lab::goals`] entry.
    pub goals: Vec<GoalStatus>,
}

impl LabStatus {
    /// All goals met.
    pub fn solved(&self) -> bool {
        self.goals.iter().all(|g| g.met)
    }

    /// How many goals are met.
    pub fn met_count(&self) -> usize {
        self.goals.iter().filter(|g| g.met).count()
    }
}

/// A policy lab.
#[derive(Debug, Clone)]
pub struct Lab {
    /// Stable id.
    pub id: String,
    /// The scenario's `title`.
    pub title: String,
    /// Objective ids it trains.
    pub objectives: Vec<String>,
    /// The story, in lesson markup.
    pub story: Vec<Block>,
    /// The policies the learner may edit, in the order of `editable`.
    pub editable: Vec<Editable>,
    /// The goals (every request of the scenario), in file order.
    pub goals: Vec<Goal>,
    /// Hints, revealed one at a time, in markup.
    pub hints: Vec<Vec<Block>>,
    /// Shown when the lab is solved, in markup.
    pub explanation: Vec<Block>,
    /// The file, as shown in diagnostics.
    pub path: String,
    /// Opened with `keyshake lab FILE`: every policy of a scenario is
    /// editable, there are no hints or solution, and requests without
    /// `expect` are shown but not judged ([`Lab::sandbox`]).
    pub sandbox: bool,
    /// The starting world.
    world: World,
    /// The file parsed as a TOML table (for exports).
    table: toml::Table,
    /// Objective ids and term links with their positions, for the pack's
    /// cross-reference checks.
    pub(super) refs: LabRefs,
}

/// Positions the pack loader checks against objectives and the glossary.
#[derive(Debug, Clone, Default)]
pub(super) struct LabRefs {
    /// (objective id, line, column).
    pub objectives: Vec<(String, usize, usize)>,
    /// Term links in the story, hints and explanation.
    pub links: Vec<LinkRef>,
    /// Line and column of the `id` value.
    pub id_at: (usize, usize),
}

impl PartialEq for Lab {
    /// Two labs are equal when they were read from the same file text.
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.table == other.table
    }
}

impl Eq for Lab {}

#[derive(Deserialize)]
struct RawLabFile {
    title: Option<Spanned<String>>,
    lab: Option<Spanned<RawLab>>,
    #[serde(default)]
    keys: Vec<RawKeyText>,
    #[serde(default)]
    buckets: Vec<RawBucketText>,
    #[serde(default)]
    principals: Vec<RawPrincipalText>,
    #[serde(default)]
    accounts: Vec<RawAccountText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLab {
    id: Spanned<String>,
    objectives: Vec<Spanned<String>>,
    story: Spanned<String>,
    editable: Vec<Spanned<String>>,
    #[serde(default)]
    hints: Vec<Spanned<String>>,
    explanation: Spanned<String>,
    solution: Spanned<BTreeMap<String, Spanned<String>>>,
}

// The policy texts of the scenario part (the engine checks the rest).
#[derive(Deserialize)]
struct RawKeyText {
    arn: String,
    policy: Option<String>,
}

#[derive(Deserialize)]
struct RawBucketText {
    name: String,
    policy: Option<String>,
}

#[derive(Deserialize)]
struct RawPrincipalText {
    arn: String,
    #[serde(default)]
    policies: Vec<String>,
    permissions_boundary: Option<String>,
}

#[derive(Deserialize)]
struct RawAccountText {
    id: String,
    #[serde(default)]
    scps: Vec<String>,
}

/// A problem in one edited policy text, at a byte offset of that text.
struct EditError {
    policy: PolicyRef,
    offset: usize,
    message: String,
}

/// Diagnostics against the lab file.
struct FileCx<'a> {
    path: &'a str,
    text: &'a str,
    index: LineIndex,
    diags: Vec<Diagnostic>,
}

impl FileCx<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = self.index.locate(self.text, offset);
        self.diags.push(Diagnostic {
            path: self.path.to_string(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        });
    }

    fn error_line(&mut self, line: usize, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            path: self.path.to_string(),
            line,
            column: 1,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        });
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        self.index.locate(self.text, offset)
    }

    /// The file line where a string's content starts (after `'''` and the
    /// newline TOML trims).
    fn first_line(&self, span: Range<usize>) -> usize {
        let mut offset = span.start;
        let rest = self.text.get(offset..).unwrap_or("");
        if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
            offset += 3;
            let after = self.text.get(offset..).unwrap_or("");
            if after.starts_with("\r\n") {
                offset += 2;
            } else if after.starts_with('\n') {
                offset += 1;
            }
        }
        self.at(offset).0
    }

    /// Parses a markup field, reporting its errors in the file.
    fn markup(&mut self, body: &Spanned<String>, links: &mut Vec<LinkRef>) -> Vec<Block> {
        let first = self.first_line(body.span());
        let parsed = markup::parse(body.get_ref(), first);
        for e in parsed.errors {
            self.diags.push(Diagnostic {
                path: self.path.to_string(),
                line: e.line,
                column: e.column,
                severity: Severity::Error,
                message: e.message,
                hint: None,
            });
        }
        links.extend(parsed.links);
        parsed.blocks
    }
}

/// A path inside markup code marks (no backtick can end it early).
fn safe_code(path: &str) -> String {
    path.replace('`', "'")
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Lab {
    /// Reads a lab file. `path` is used in messages. Every problem is
    /// returned: TOML and scenario errors, teaching fields, editable
    /// policies that do not exist, solutions that do not parse or do not
    /// meet the goals, and a starting state that already meets them all.
    pub fn parse(path: &str, text: &str) -> Result<Lab, Vec<Diagnostic>> {
        let mut cx = FileCx {
            path,
            text,
            index: LineIndex::new(text),
            diags: Vec::new(),
        };
        let world = match load_str(path, text) {
            Ok(w) => Some(w),
            Err(d) => {
                cx.diags.extend(d);
                None
            }
        };
        let raw: RawLabFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                // The engine reported a syntax error already; report a
                // teaching-field error (which the engine ignores) here.
                if world.is_some() {
                    let at = e.span().map_or(0, |s| s.start);
                    let m = e.message().trim();
                    cx.error(
                        at,
                        format!("invalid lab: {}", m.strip_suffix('.').unwrap_or(m)),
                    );
                }
                return Err(cx.diags);
            }
        };
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let Some(lab) = raw.lab.as_ref() else {
            cx.diags.push(
                Diagnostic::file_error(path, "a lab file needs a [lab] table")
                    .with_hint("add [lab] with id, objectives, story, editable, hints, explanation and [lab.solution]"),
            );
            return Err(cx.diags);
        };
        let lab_span = lab.span();
        let lab = lab.get_ref();
        let mut refs = LabRefs {
            id_at: cx.at(lab.id.span().start),
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
            cx.error(lab_span.start, "a lab needs at least one objective id");
        }
        for o in &lab.objectives {
            let (line, column) = cx.at(o.span().start);
            refs.objectives.push((o.get_ref().clone(), line, column));
        }
        let story = cx.markup(&lab.story, &mut refs.links);
        if lab.hints.len() < 2 {
            cx.error(
                lab_span.start,
                format!(
                    "a lab needs at least two hints (revealed one at a time), found {}",
                    lab.hints.len()
                ),
            );
        }
        let hints: Vec<Vec<Block>> = lab
            .hints
            .iter()
            .map(|h| cx.markup(h, &mut refs.links))
            .collect();
        if lab.explanation.get_ref().trim().is_empty() {
            cx.error(lab.explanation.span().start, "the explanation is empty");
        }
        let explanation = cx.markup(&lab.explanation, &mut refs.links);

        // Editable policies and their solutions.
        let mut policies: Vec<(PolicyRef, Range<usize>)> = Vec::new();
        for e in &lab.editable {
            match PolicyRef::parse(e.get_ref()) {
                Ok(r) => {
                    if policies.iter().any(|(p, _)| *p == r) {
                        cx.error(e.span().start, format!("{} is listed twice", e.get_ref()));
                    } else {
                        policies.push((r, e.span()));
                    }
                }
                Err(m) => cx.error(e.span().start, m),
            }
        }
        if lab.editable.is_empty() {
            cx.error(lab_span.start, "a lab needs at least one editable policy");
        }
        let mut solutions: BTreeMap<PolicyRef, (String, Range<usize>)> = BTreeMap::new();
        for (name, value) in lab.solution.get_ref() {
            match PolicyRef::parse(name) {
                Ok(r) if policies.iter().any(|(p, _)| *p == r) => {
                    solutions.insert(r, (value.get_ref().clone(), value.span()));
                }
                Ok(_) => cx.error(
                    value.span().start,
                    format!("[lab.solution] gives \"{name}\", which is not in editable"),
                ),
                Err(m) => cx.error(value.span().start, m),
            }
        }
        for (r, span) in &policies {
            if !solutions.contains_key(r) {
                cx.error(
                    span.start,
                    format!("editable policy {r} has no entry in [lab.solution]"),
                );
            }
        }

        let Some(world) = world else {
            return Err(cx.diags);
        };

        // Starting texts, from the scenario part of the file.
        let mut editable = Vec::new();
        for (r, span) in &policies {
            match start_text(&raw, &world, r) {
                Ok(start) => editable.push(Editable {
                    label: r.label(&world),
                    policy: r.clone(),
                    start,
                    solution: solutions.get(r).map(|s| s.0.clone()).unwrap_or_default(),
                }),
                Err(m) => cx.error(span.start, m),
            }
        }

        // Goals: every request, with a name and an expectation.
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
                lab_span.start,
                "a lab needs at least one goal that must stay denied (expect = \"deny\"): least privilege is part of every lab",
            );
        }
        if !cx.diags.is_empty() {
            return Err(cx.diags);
        }

        let mut world = world;
        forget_hidden_lines(&mut world, &editable);
        let mut lab = Lab {
            id: lab.id.get_ref().clone(),
            title,
            objectives: lab.objectives.iter().map(|o| o.get_ref().clone()).collect(),
            story,
            editable,
            goals,
            hints,
            explanation,
            path: path.to_string(),
            sandbox: false,
            world,
            table,
            refs,
        };

        lab.count_lines_in_texts();
        // The starting state must fail a goal, the solution must meet all.
        if lab.solved(&lab.world) {
            cx.error(
                lab_span.start,
                "the starting state already meets every goal: there is nothing to fix",
            );
        }
        let edits: Vec<(PolicyRef, String)> = lab
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.solution.clone()))
            .collect();
        match lab.apply(&edits) {
            Ok(solved) => {
                let status = lab.check(&solved);
                for (goal, st) in lab.goals.iter().zip(&status.goals) {
                    if !st.met {
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
            }
            Err(errors) => {
                for e in errors {
                    let Some((value, span)) = solutions.get(&e.policy) else {
                        continue;
                    };
                    let emb = Embedding::from_toml(text, span.clone(), value);
                    cx.error(
                        emb.to_file(e.offset),
                        format!("solution of {}: {}", e.policy, e.message),
                    );
                }
            }
        }
        if cx.diags.is_empty() {
            Ok(lab)
        } else {
            Err(cx.diags)
        }
    }

    /// Any scenario file as a sandbox lab: every policy it has is
    /// editable (each key policy of a customer managed key, each identity
    /// policy, boundary and SCP), plus a bucket policy for every bucket and
    /// a first identity policy for every principal that has none, so they
    /// can be written. Every request is shown; those with `expect` are
    /// goals. A `[lab]` table, if the file has one, is ignored. Errors are
    /// the engine's, at file:line:column.
    pub fn sandbox(path: &str, text: &str) -> Result<Lab, Vec<Diagnostic>> {
        let world = load_str(path, text)?;
        let raw: RawLabFile = toml::from_str(text)
            .map_err(|e| vec![Diagnostic::file_error(path, e.message().trim())])?;
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let mut refs = Vec::new();
        for k in &world.keys {
            if !k.generated && !k.is_aws_managed() {
                refs.push(PolicyRef::Key(k.arn.clone()));
            }
        }
        for p in &raw.principals {
            let n = p.policies.len().max(1);
            refs.extend((0..n).map(|index| PolicyRef::Identity {
                principal: p.arn.clone(),
                index,
            }));
            if p.permissions_boundary.is_some() {
                refs.push(PolicyRef::Boundary(p.arn.clone()));
            }
        }
        refs.extend(
            raw.buckets
                .iter()
                .map(|b| PolicyRef::Bucket(b.name.clone())),
        );
        for a in &raw.accounts {
            refs.extend((0..a.scps.len()).map(|index| PolicyRef::Scp {
                account: a.id.clone(),
                index,
            }));
        }
        let mut editable = Vec::new();
        for r in refs {
            let start =
                start_text(&raw, &world, &r).map_err(|m| vec![Diagnostic::file_error(path, m)])?;
            editable.push(Editable {
                label: r.label(&world),
                policy: r,
                solution: start.clone(),
                start,
            });
        }
        let goals = world
            .requests
            .iter()
            .enumerate()
            .map(|(i, r)| Goal {
                request: i,
                text: r
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("{} on {}", r.action, r.resource)),
                expect: r.expect,
                expect_reason: r.expect_reason,
                line: r.line,
            })
            .collect();
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        let title = raw
            .title
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| name.clone());
        let story = markup::parse(
            &format!(
                "This is a **sandbox**: the scenario file `{}`, with every policy in it open for editing. Each request is re-evaluated as you type; the ones with `expect` in the file are judged as goals.\n\nCtrl-S writes your policies back into the file. Only the policy strings change: comments and the rest of the file stay as they are. `keyshake eval` grades the saved file.",
                safe_code(path)
            ),
            1,
        )
        .blocks;
        let mut lab = Lab {
            id: "sandbox".to_string(),
            title,
            objectives: Vec::new(),
            story,
            editable,
            goals,
            hints: Vec::new(),
            explanation: Vec::new(),
            path: path.to_string(),
            sandbox: true,
            world,
            table,
            refs: LabRefs::default(),
        };
        lab.count_lines_in_texts();
        Ok(lab)
    }

    /// Statement lines of the editable policies counted in their own text
    /// (as the editor shows them), not in the file.
    fn count_lines_in_texts(&mut self) {
        let start: Vec<(PolicyRef, String)> = self
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        if let Ok(world) = self.apply(&start) {
            self.world = world;
        }
    }

    /// Whether the file sets any expectation (a sandbox can be "solved"
    /// only then).
    pub fn has_expectations(&self) -> bool {
        self.goals.iter().any(|g| g.expect.is_some())
    }

    /// The starting world (the lab file's scenario as written).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The editable policy `r`, if the lab has it.
    pub fn editable(&self, r: &PolicyRef) -> Option<&Editable> {
        self.editable.iter().find(|e| e.policy == *r)
    }

    /// The editable policy a trace entry's source is about (so the screen
    /// can open its tab and highlight the deciding statement), if it is
    /// editable. `world` is the world the trace came from.
    pub fn editable_at(&self, world: &World, source: PolicySource) -> Option<&Editable> {
        self.editable
            .iter()
            .find(|e| e.policy.source(world) == Some(source))
    }

    /// The world with the learner's texts in place of the editable
    /// policies (policies not in `edits` keep their starting text). An
    /// empty text removes an identity policy, a boundary or a bucket
    /// policy. Problems come back as diagnostics whose `path` is the
    /// policy's written name ([`PolicyRef`]'s `Display`) and whose line and
    /// column count in the edited text.
    pub fn with_policies(&self, edits: &[(PolicyRef, String)]) -> Result<World, Vec<Diagnostic>> {
        self.apply(edits).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let text = edits
                        .iter()
                        .rev()
                        .find(|(r, _)| *r == e.policy)
                        .map_or("", |(_, t)| t.as_str());
                    Diagnostic::error_at(&e.policy.to_string(), text, e.offset, e.message)
                })
                .collect()
        })
    }

    fn apply(&self, edits: &[(PolicyRef, String)]) -> Result<World, Vec<EditError>> {
        let mut world = self.world.clone();
        let mut errors = Vec::new();
        for (r, text) in edits {
            let fail = |offset: usize, message: String| EditError {
                policy: r.clone(),
                offset,
                message,
            };
            if self.editable(r).is_none() {
                errors.push(fail(0, format!("{r} is not editable in this lab")));
                continue;
            }
            let policy = if text.trim().is_empty() {
                if !r.may_be_empty() {
                    let what = r.kind().article_name();
                    errors.push(fail(0, format!("{what} cannot be empty")));
                    continue;
                }
                None
            } else {
                match parse(text, r.kind()) {
                    Ok(mut p) => {
                        let index = LineIndex::new(text);
                        for s in &mut p.statements {
                            s.lines = Some((
                                index.line_of(s.span.start),
                                index.line_of(s.span.end.saturating_sub(1)),
                            ));
                        }
                        Some(p)
                    }
                    Err(es) => {
                        errors.extend(es.into_iter().map(|e| fail(e.offset, e.message)));
                        continue;
                    }
                }
            };
            place(&mut world, r, policy);
        }
        if errors.is_empty() {
            Ok(world)
        } else {
            Err(errors)
        }
    }

    /// Evaluates every goal in `world` (the starting world or one from
    /// [`Lab::with_policies`]).
    pub fn check(&self, world: &World) -> LabStatus {
        LabStatus {
            goals: self
                .goals
                .iter()
                .filter_map(|g| {
                    let request = world.requests.get(g.request)?;
                    let outcome = evaluate(world, request);
                    Some(GoalStatus {
                        met: g.met_by(&outcome),
                        outcome,
                    })
                })
                .collect(),
        }
    }

    /// Whether every goal is met in `world`.
    pub fn solved(&self, world: &World) -> bool {
        self.check(world).solved()
    }

    /// The texts of the reference solution, for [`Lab::with_policies`].
    pub fn solution(&self) -> Vec<(PolicyRef, String)> {
        self.editable
            .iter()
            .map(|e| (e.policy.clone(), e.solution.clone()))
            .collect()
    }

    /// A complete scenario file with the learner's texts in place of the
    /// editable policies and without the `[lab]` table: `keyshake eval`
    /// grades it (exit 0 exactly when every goal is met; 2 if a text does
    /// not parse). Edits of policies that are not editable are ignored.
    pub fn export_scenario(&self, edits: &[(PolicyRef, String)]) -> String {
        let mut table = self.table.clone();
        table.remove("lab");
        for (r, text) in edits {
            if self.editable(r).is_some() {
                put_text(&mut table, r, text);
            }
        }
        let body = toml::to_string(&table).unwrap_or_default();
        format!(
            "# Policy lab \"{}\" ({}), exported from keyshake.\n# Grade it with: keyshake eval FILE (exit 0 = every goal met)\n\n{body}",
            self.id, self.title
        )
    }
}

/// The starting text of `r` in the scenario, checking that it can be edited.
fn start_text(raw: &RawLabFile, world: &World, r: &PolicyRef) -> Result<String, String> {
    match r {
        PolicyRef::Key(arn) => {
            let Some(key) = world.keys.iter().find(|k| k.arn == *arn && !k.generated) else {
                return Err(format!("editable {r}: no key {arn} in [[keys]]"));
            };
            if key.is_aws_managed() {
                return Err(format!(
                    "editable {r}: an AWS managed key's policy cannot be changed, so a lab cannot make it editable"
                ));
            }
            Ok(raw
                .keys
                .iter()
                .find(|k| k.arn == *arn)
                .and_then(|k| k.policy.clone())
                .unwrap_or_default())
        }
        PolicyRef::Identity { principal, index } => {
            let Some(p) = raw.principals.iter().find(|p| p.arn == *principal) else {
                return Err(format!(
                    "editable {r}: no principal {principal} in [[principals]]"
                ));
            };
            if *index > p.policies.len() {
                return Err(format!(
                    "editable {r}: {principal} has {} identity policies; a lab may add one (#{}) but not #{}",
                    p.policies.len(),
                    p.policies.len() + 1,
                    index + 1
                ));
            }
            Ok(p.policies.get(*index).cloned().unwrap_or_default())
        }
        PolicyRef::Boundary(arn) => match raw.principals.iter().find(|p| p.arn == *arn) {
            Some(p) => Ok(p.permissions_boundary.clone().unwrap_or_default()),
            None => Err(format!(
                "editable {r}: no principal {arn} in [[principals]]"
            )),
        },
        PolicyRef::Bucket(name) => match raw.buckets.iter().find(|b| b.name == *name) {
            Some(b) => Ok(b.policy.clone().unwrap_or_default()),
            None => Err(format!("editable {r}: no bucket {name} in [[buckets]]")),
        },
        PolicyRef::Scp { account, index } => {
            let Some(a) = raw.accounts.iter().find(|a| a.id == *account) else {
                return Err(format!(
                    "editable {r}: no account {account} in [[accounts]]"
                ));
            };
            if *index > a.scps.len() {
                return Err(format!(
                    "editable {r}: account {account} has {} SCPs; a lab may add one (#{}) but not #{}",
                    a.scps.len(),
                    a.scps.len() + 1,
                    index + 1
                ));
            }
            Ok(a.scps.get(*index).cloned().unwrap_or_default())
        }
    }
}

/// Clears the file line numbers of the statements of policies the learner
/// cannot see (not editable): the sentences would point into the lab file,
/// which the lab screen never shows. Editable policies get lines counted in
/// their own text when they are applied.
fn forget_hidden_lines(world: &mut World, editable: &[Editable]) {
    let shown: Vec<Option<PolicySource>> =
        editable.iter().map(|e| e.policy.source(world)).collect();
    let forget = |source: PolicySource, policy: &mut Policy| {
        if !shown.contains(&Some(source)) {
            for s in &mut policy.statements {
                s.lines = None;
            }
        }
    };
    for (key, k) in world.keys.iter_mut().enumerate() {
        forget(PolicySource::Key { key }, &mut k.policy);
    }
    for (bucket, b) in world.buckets.iter_mut().enumerate() {
        if let Some(p) = &mut b.policy {
            forget(PolicySource::Bucket { bucket }, p);
        }
    }
    for (principal, p) in world.principals.iter_mut().enumerate() {
        for (index, policy) in p.policies.iter_mut().enumerate() {
            forget(PolicySource::Identity { principal, index }, policy);
        }
        if let Some(b) = &mut p.boundary {
            forget(PolicySource::Boundary { principal }, b);
        }
    }
    for (account, a) in world.accounts.iter_mut().enumerate() {
        for (index, policy) in a.scps.iter_mut().enumerate() {
            forget(PolicySource::Scp { account, index }, policy);
        }
    }
}

/// Puts `policy` where `r` names it in `world` (`None`: remove it; for an
/// identity policy, an empty policy keeps the other policies' numbers).
fn place(world: &mut World, r: &PolicyRef, policy: Option<Policy>) {
    match r {
        PolicyRef::Key(arn) => {
            if let (Some(k), Some(p)) = (world.keys.iter_mut().find(|k| k.arn == *arn), policy) {
                k.policy = p;
            }
        }
        PolicyRef::Identity { principal, index } => {
            if let Some(p) = world.principals.iter_mut().find(|p| p.arn == *principal) {
                let policy = policy.unwrap_or(Policy {
                    kind: PolicyKind::Identity,
                    version: None,
                    id: None,
                    statements: Vec::new(),
                });
                match p.policies.get_mut(*index) {
                    Some(slot) => *slot = policy,
                    None => p.policies.push(policy),
                }
            }
        }
        PolicyRef::Boundary(arn) => {
            if let Some(p) = world.principals.iter_mut().find(|p| p.arn == *arn) {
                p.boundary = policy;
            }
        }
        PolicyRef::Bucket(name) => {
            if let Some(b) = world.buckets.iter_mut().find(|b| b.name == *name) {
                b.policy = policy;
            }
        }
        PolicyRef::Scp { account, index } => {
            if let (Some(a), Some(p)) =
                (world.accounts.iter_mut().find(|a| a.id == *account), policy)
            {
                match a.scps.get_mut(*index) {
                    Some(slot) => *slot = p,
                    None => a.scps.push(p),
                }
            }
        }
    }
}

/// An identity policy that allows nothing (written for an emptied slot, so
/// later policies keep their numbers).
pub(super) const EMPTY_IDENTITY: &str =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n";

/// Writes `text` where `r` names it in the scenario table.
fn put_text(table: &mut toml::Table, r: &PolicyRef, text: &str) {
    let value = toml::Value::String(text.to_string());
    let empty = text.trim().is_empty();
    match r {
        PolicyRef::Key(arn) => with_entry(table, "keys", "arn", arn, |t| {
            t.insert("policy".into(), value);
        }),
        PolicyRef::Bucket(name) => with_entry(table, "buckets", "name", name, |t| {
            if empty {
                t.remove("policy");
            } else {
                t.insert("policy".into(), value);
            }
        }),
        PolicyRef::Boundary(arn) => with_entry(table, "principals", "arn", arn, |t| {
            if empty {
                t.remove("permissions_boundary");
            } else {
                t.insert("permissions_boundary".into(), value);
            }
        }),
        PolicyRef::Identity { principal, index } => {
            with_entry(table, "principals", "arn", principal, |t| {
                let list = t
                    .entry("policies")
                    .or_insert_with(|| toml::Value::Array(Vec::new()));
                if let Some(items) = list.as_array_mut() {
                    let v = if empty {
                        toml::Value::String(EMPTY_IDENTITY.to_string())
                    } else {
                        value
                    };
                    match items.get_mut(*index) {
                        Some(slot) => *slot = v,
                        None if !empty => items.push(v),
                        None => {}
                    }
                }
            })
        }
        PolicyRef::Scp { account, index } => with_entry(table, "accounts", "id", account, |t| {
            let list = t
                .entry("scps")
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            if let Some(items) = list.as_array_mut() {
                match items.get_mut(*index) {
                    Some(slot) => *slot = value,
                    None => items.push(value),
                }
            }
        }),
    }
}

/// Runs `f` on the entry of array-of-tables `list` whose `field` is `name`.
fn with_entry(
    table: &mut toml::Table,
    list: &str,
    field: &str,
    name: &str,
    f: impl FnOnce(&mut toml::Table),
) {
    let Some(items) = table.get_mut(list).and_then(toml::Value::as_array_mut) else {
        return;
    };
    let found = items.iter_mut().find_map(|item| {
        let t = item.as_table_mut()?;
        let matches = t.get(field).and_then(toml::Value::as_str) == Some(name);
        matches.then_some(t)
    });
    if let Some(t) = found {
        f(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k-1";
    const ROLE: &str = "arn:aws:iam::444455556666:role/app";

    /// A small valid lab: the role in B needs the IAM half.
    fn base() -> String {
        format!(
            r#"title = "Tiny lab"

[lab]
id = "tiny"
objectives = ["handshake"]
editable = ["identity:{ROLE}"]
story = '''
The role needs the IAM half.
'''
hints = ["Look at the IAM policy.", "Allow kms:Decrypt on the key ARN."]
explanation = '''
Both halves are needed.
'''

[lab.solution]
"identity:{ROLE}#1" = '''
{{
  "Version": "2012-10-17",
  "Statement": [
    {{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}" }}
  ]
}}
'''

[[keys]]
arn = "{KEY}"
policy = '''
{{
  "Version": "2012-10-17",
  "Statement": [
    {{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::111122223333:root" }}, "Action": "kms:*", "Resource": "*" }},
    {{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::444455556666:root" }}, "Action": "kms:Decrypt", "Resource": "*" }}
  ]
}}
'''

[[principals]]
arn = "{ROLE}"

[[requests]]
name = "app decrypts"
principal = "{ROLE}"
action = "kms:Decrypt"
resource = "{KEY}"
expect = "allow"

[[requests]]
name = "app cannot encrypt"
principal = "{ROLE}"
action = "kms:Encrypt"
resource = "{KEY}"
expect = "deny"
"#
        )
    }

    fn errors(text: &str) -> Vec<String> {
        match Lab::parse("labs/tiny.toml", text) {
            Ok(_) => vec![],
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i + 1)
    }

    #[test]
    fn a_valid_lab_loads_with_its_parts() {
        let lab = Lab::parse("labs/tiny.toml", &base()).expect("valid");
        assert_eq!(lab.id, "tiny");
        assert_eq!(lab.title, "Tiny lab");
        assert_eq!(lab.hints.len(), 2);
        assert_eq!(lab.goals.len(), 2);
        assert_eq!(lab.goals[1].expect, Some(Verdict::Deny));
        assert_eq!(lab.goals[0].text, "app decrypts");
        let e = &lab.editable[0];
        assert_eq!(e.start, "", "the role starts with no policy");
        assert_eq!(e.policy.to_string(), format!("identity:{ROLE}#1"));
        assert_eq!(e.label, "IAM policy · role/app · account 444455556666");
        let status = lab.check(lab.world());
        assert_eq!((status.met_count(), status.solved()), (1, false));
    }

    #[test]
    fn unknown_lab_field_is_reported_at_its_key() {
        let text = base().replace("hints = [", "hint = 1\nhints = [");
        let line = line_of(&text, "hint = 1");
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(&format!(
                "labs/tiny.toml:{line}:1: error: invalid lab: unknown field `hint`"
            )),
            "{e:?}"
        );
    }

    #[test]
    fn a_solution_for_a_policy_that_is_not_editable_is_an_error() {
        let text = base().replace(
            "[[keys]]",
            &format!("\"key:{KEY}\" = '''{{}}'''\n\n[[keys]]"),
        );
        let line = line_of(&text, "'''{}'''");
        let e = errors(&text);
        assert_eq!(
            e,
            vec![format!(
                "labs/tiny.toml:{line}:{}: error: [lab.solution] gives \"key:{KEY}\", which is not in editable",
                KEY.len() + 10
            )]
        );
    }

    #[test]
    fn an_editable_policy_needs_a_solution_and_must_exist() {
        let text = base().replace(
            &format!("editable = [\"identity:{ROLE}\"]"),
            &format!("editable = [\"identity:{ROLE}\", \"bucket:nope\", \"identity:{ROLE}#3\"]"),
        );
        let line = line_of(&text, "editable =");
        let e = errors(&text).join("\n");
        assert!(e.contains(&format!("labs/tiny.toml:{line}:")), "{e}");
        assert!(
            e.contains("editable policy bucket:nope has no entry in [lab.solution]"),
            "{e}"
        );
        assert!(e.contains("no bucket nope in [[buckets]]"), "{e}");
        assert!(
            e.contains("has 0 identity policies; a lab may add one (#1) but not #3"),
            "{e}"
        );
    }

    #[test]
    fn a_solution_json_error_points_into_the_lab_file() {
        let text = base().replace(
            "\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn",
            "\"Efect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn",
        );
        let line = line_of(&text, "\"Efect\"");
        let e = errors(&text);
        assert_eq!(e.len(), 2, "the typo, and the missing Effect: {e:?}");
        assert!(
            e[0].starts_with(&format!(
                "labs/tiny.toml:{line}:7: error: solution of identity:{ROLE}#1: unknown statement element \"Efect\""
            )),
            "{e:?}"
        );
    }

    #[test]
    fn a_solution_that_misses_a_goal_names_the_goal_at_its_request() {
        let text = base().replace(
            "\"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\" }",
            "\"Action\": \"kms:*\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\" }",
        );
        let e = errors(&text);
        // kms:* in IAM does not help Encrypt: the key policy never allows it.
        assert!(e.is_empty(), "{e:?}");
        let text = base().replace(
            "resource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"deny\"",
            "resource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"deny\"\n\n[[requests]]\nname = \"app describes the key\"\nprincipal = \"arn:aws:iam::444455556666:role/app\"\naction = \"kms:DescribeKey\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"allow\"",
        );
        let line = line_of(&text, "name = \"app describes the key\"") + 1;
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(&format!("labs/tiny.toml:{line}:1: error: the reference solution does not meet goal \"app describes the key\": the engine decides deny (implicit_deny) but the goal expects allow")),
            "{e:?}"
        );
    }

    #[test]
    fn goals_need_a_name_an_expectation_and_one_must_stay_denied() {
        let text = base()
            .replace("name = \"app decrypts\"\n", "")
            .replace("expect = \"deny\"", "");
        let e = errors(&text).join("\n");
        assert!(e.contains("give it a name = \"...\""), "{e}");
        assert!(e.contains("give it expect = \"allow\" or \"deny\""), "{e}");
        assert!(e.contains("at least one goal that must stay denied"), "{e}");
    }

    #[test]
    fn a_lab_already_solved_at_the_start_or_with_one_hint_is_refused() {
        let solved_start = base().replace(
            &format!("[[principals]]\narn = \"{ROLE}\"\n"),
            &format!(
                "[[principals]]\narn = \"{ROLE}\"\npolicies = ['''{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}}]}}''']\n"
            ),
        );
        let e = errors(&solved_start).join("\n");
        assert!(
            e.contains("the starting state already meets every goal"),
            "{e}"
        );
        let one_hint = base().replace(", \"Allow kms:Decrypt on the key ARN.\"", "");
        let e = errors(&one_hint).join("\n");
        assert!(e.contains("at least two hints"), "{e}");
    }

    #[test]
    fn a_missing_lab_table_and_a_scenario_error_are_both_reported() {
        let text = base();
        let start = text.find("[lab]").unwrap_or(0);
        let end = text.find("[[keys]]").unwrap_or(0);
        let plain = format!("{}{}", &text[..start], &text[end..]);
        let e = errors(&plain);
        assert_eq!(e, vec!["labs/tiny.toml:1:1: error: a lab file needs a [lab] table\n  hint: add [lab] with id, objectives, story, editable, hints, explanation and [lab.solution]".to_string()]);
        let bad = text.replace("action = \"kms:Encrypt\"", "action = \"kms:*\"");
        let line = line_of(&bad, "action = \"kms:*\"");
        let e = errors(&bad);
        assert!(
            e[0].starts_with(&format!(
                "labs/tiny.toml:{line}:10: error: action \"kms:*\""
            )),
            "{e:?}"
        );
    }

    #[test]
    fn edits_are_applied_checked_and_exported() {
        let lab = Lab::parse("labs/tiny.toml", &base()).expect("valid");
        let r = lab.editable[0].policy.clone();
        let world = lab.with_policies(&lab.solution()).expect("solution parses");
        assert!(lab.solved(&world));
        // An emptied identity policy allows nothing.
        let world = lab
            .with_policies(&[(r.clone(), "  \n".into())])
            .expect("empty is fine");
        assert!(!lab.solved(&world));
        // A key policy may not be emptied, and is not editable here anyway.
        let d = lab
            .with_policies(&[(PolicyRef::Key(KEY.into()), String::new())])
            .expect_err("not editable");
        assert_eq!(d[0].path, format!("key:{KEY}"));
        // The export drops [lab] and carries the learner's text.
        let out = lab.export_scenario(&lab.solution());
        assert!(!out.contains("[lab"), "{out}");
        let world = load_str("export.toml", &out).expect("export loads");
        assert_eq!(world.principals[0].policies.len(), 1);
        let empty = lab.export_scenario(&[(r, String::new())]);
        let world = load_str("export.toml", &empty).expect("export loads");
        assert!(world.principals[0].policies.is_empty());
    }

    #[test]
    fn policy_refs_parse_and_print() {
        let r = PolicyRef::parse("scp:444455556666#2").expect("valid");
        assert_eq!(
            r,
            PolicyRef::Scp {
                account: "444455556666".into(),
                index: 1
            }
        );
        assert_eq!(r.to_string(), "scp:444455556666#2");
        assert_eq!(r.kind(), PolicyKind::Scp);
        assert!(PolicyRef::parse("bucket:").is_err());
        assert!(PolicyRef::parse("identity:arn:aws:iam::1:role/x#0").is_err());
        assert!(PolicyRef::parse("group:x").is_err());
        assert_eq!(
            PolicyRef::parse("boundary:arn:aws:iam::444455556666:role/x").map(|r| r.kind()),
            Ok(PolicyKind::Boundary)
        );
    }
}
