//! Verified fixes: for a denied request, the smallest edits (one per
//! policy) that together allow it, each checked by evaluating the request
//! again with the edits applied.
//!
//! A near miss is repaired in place (its failing parts only) before a new
//! statement is added. Every value an edit writes comes from the request:
//! its action, its resource (a key's ARN, never an alias), the caller's own
//! ARN, and the context values a condition wanted to see. Nothing is ever
//! widened with a wildcard, and a Deny is never removed.

use super::edit::{self, Members, quote, values_json};
use super::near::{Failed, NearMiss, Seen, typo_of, values_of};
use super::outcome::{Missing, Outcome, OwnerRef, PolicySource, Why};
use super::{PolicyOutcome, evaluate};

mod base;
mod slot;

use crate::core::policy::condition::{BaseOperator, ContextValue, holds};
use crate::core::policy::principal::Caller;
use crate::core::policy::{Policy, PolicyKind, parse};
use crate::core::world::{Manager, Reason, Request, Verdict, World};
pub use base::Base;
use slot::{Displaced, put, take};

/// One edit of one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The kind of policy changed, as in the trace.
    pub kind: PolicyKind,
    /// The key ARN, bucket name, principal ARN or account ID that owns it.
    pub owner: String,
    /// 1-based position of an identity policy or SCP (the next number for a
    /// new one); `None` for the others.
    pub index: Option<usize>,
    /// The policy's label, as in the trace.
    pub policy: String,
    /// One sentence saying what the edit does.
    pub summary: String,
    /// The whole new policy text.
    pub document: String,
    /// The policy text before the edit (empty for a new policy).
    pub before: String,
    /// Where the policy is in the world.
    pub source: PolicySource,
}

/// Why no fix is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoFixCode {
    /// A Deny decides; the engine does not propose removing guardrails.
    ExplicitDeny,
    /// The operation cannot be used on another account's key.
    NotCrossAccount,
    /// Cross-account use of an AWS managed key.
    AwsManagedKey,
    /// The request was made without TLS.
    InsecureTransport,
    /// The key or alias does not resolve.
    NotFound,
    /// The search ran out of its budget.
    Budget,
    /// No edit the engine knows how to make allows the request.
    Unfixable,
}

impl NoFixCode {
    /// The JSON code.
    pub fn code(self) -> &'static str {
        match self {
            NoFixCode::ExplicitDeny => "explicit_deny",
            NoFixCode::NotCrossAccount => "not_cross_account",
            NoFixCode::AwsManagedKey => "aws_managed_key",
            NoFixCode::InsecureTransport => "insecure_transport",
            NoFixCode::NotFound => "not_found",
            NoFixCode::Budget => "budget",
            NoFixCode::Unfixable => "unfixable",
        }
    }
}

/// Why there is no fix, with a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFix {
    /// The reason.
    pub code: NoFixCode,
    /// One sentence for the learner.
    pub message: String,
}

/// The fixes for one request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FixResult {
    /// Edits that together allow the request (empty when allowed already,
    /// or when `no_fix` says why not).
    pub fixes: Vec<Fix>,
    /// Why there is no fix, for a denied request without one.
    pub no_fix: Option<NoFix>,
    /// Other requests of the world (name, else `#N`) that the edits would
    /// turn from deny into allow.
    pub also_allows: Vec<String>,
}

/// How much work one search may do, counted in statements evaluated; a
/// pathological file ends the search with [`NoFixCode::Budget`] instead of
/// stalling a keystroke.
pub const BUDGET: usize = 40_000;

/// Most rounds: an S3 request can need its bucket, its identity policy and
/// then the KMS key behind it, and a boundary after a direct grant.
const MAX_ROUNDS: usize = 6;

/// Most working candidates compared for one missing half.
const MAX_VERIFIED: usize = 6;

/// Most lists of values tried for one failing condition.
const MAX_CHOICES: usize = 3;

/// The smallest verified edits that allow `request` (whose outcome in
/// `world` is `outcome`).
pub fn fixes(world: &World, request: &Request, outcome: &Outcome) -> FixResult {
    if outcome.verdict == Verdict::Allow {
        return FixResult::default();
    }
    fixes_with(&Base::of(world), &mut world.clone(), request, outcome)
}

/// As [`fixes`], with the file's own decisions worked out once for all its
/// requests, and `scratch` a copy of the base world to try edits on (left
/// as it was found, so one copy serves every request of the file).
pub fn fixes_with(
    base: &Base<'_>,
    scratch: &mut World,
    request: &Request,
    outcome: &Outcome,
) -> FixResult {
    if outcome.verdict == Verdict::Allow {
        return FixResult::default();
    }
    // A fix with side effects on other requests of the file is reported
    // only when no stricter search (naming the caller rather than its
    // account, then new statements only) finds one without.
    let scratch = &mut *scratch;
    let (first, unwanted) = search_with(base, scratch, request, outcome, Mode::Any);
    if unwanted == 0 || first.fixes.is_empty() {
        return first;
    }
    for mode in [Mode::Named, Mode::Added] {
        let (other, unwanted) = search_with(base, scratch, request, outcome, mode);
        if !other.fixes.is_empty() && unwanted == 0 {
            return other;
        }
    }
    first
}

/// Which candidates a search may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every candidate.
    Any,
    /// No candidate that delegates to the caller's whole account.
    Named,
    /// New statements only (each grants exactly the request).
    Added,
}

/// One search on `scratch` (a copy of the base world), which it leaves as
/// it found it; with the fix, the number of its unwanted side effects.
fn search_with(
    base: &Base<'_>,
    scratch: &mut World,
    request: &Request,
    outcome: &Outcome,
    mode: Mode,
) -> (FixResult, usize) {
    let mut search = Search {
        base,
        world: scratch,
        request,
        fixes: Vec::new(),
        applied: Vec::new(),
        spent: 0,
        cost: statements_in(base.world).max(1),
        mode,
        lookahead: true,
        blocked: None,
    };
    let found = search
        .run(outcome)
        .and_then(|()| search.effects())
        .map(|effects| (search.names(&effects.opened), effects.unwanted));
    search.undo_all();
    match found {
        Ok((also_allows, unwanted)) => (
            FixResult {
                fixes: search.fixes,
                no_fix: None,
                also_allows,
            },
            unwanted,
        ),
        Err(no_fix) => (
            FixResult {
                fixes: Vec::new(),
                no_fix: Some(no_fix),
                also_allows: Vec::new(),
            },
            0,
        ),
    }
}

/// The world with `fixes` applied (each fix's document parsed again).
pub fn apply(world: &World, fixes: &[Fix]) -> World {
    let mut out = world.clone();
    for f in fixes {
        if let Ok(p) = parse(&f.document, f.kind) {
            set_policy(&mut out, f.source, p);
        }
    }
    out
}

/// The world with the policy at `source` replaced by `policy` (a new
/// identity policy, SCP or RCP when `source`'s index is one past the end).
pub fn with_policy(world: &World, source: PolicySource, policy: Policy) -> World {
    let mut out = world.clone();
    set_policy(&mut out, source, policy);
    out
}

fn statements_in(world: &World) -> usize {
    let n = |p: &Policy| p.statements.len();
    world.keys.iter().map(|k| n(&k.policy)).sum::<usize>()
        + world
            .buckets
            .iter()
            .filter_map(|b| b.policy.as_ref())
            .map(n)
            .sum::<usize>()
        + world
            .principals
            .iter()
            .map(|p| p.policies.iter().map(n).sum::<usize>() + p.boundary.as_ref().map_or(0, n))
            .sum::<usize>()
        + world
            .accounts
            .iter()
            .map(|a| a.scps.iter().map(n).sum::<usize>())
            .sum::<usize>()
}

fn set_policy(world: &mut World, source: PolicySource, policy: Policy) {
    match source {
        PolicySource::Identity { principal, index } => {
            if let Some(p) = world.principals.get_mut(principal) {
                match p.policies.get_mut(index) {
                    Some(slot) => *slot = policy,
                    None => p.policies.push(policy),
                }
            }
        }
        PolicySource::Boundary { principal } => {
            if let Some(p) = world.principals.get_mut(principal) {
                p.boundary = Some(policy);
            }
        }
        PolicySource::Scp { account, index } => {
            if let Some(a) = world.accounts.get_mut(account) {
                match a.scps.get_mut(index) {
                    Some(slot) => *slot = policy,
                    None => a.scps.push(policy),
                }
            }
        }
        PolicySource::Rcp { account, index } => {
            if let Some(a) = world.accounts.get_mut(account) {
                match a.rcps.get_mut(index) {
                    Some(slot) => *slot = policy,
                    None => a.rcps.push(policy),
                }
            }
        }
        PolicySource::Key { key } => {
            if let Some(k) = world.keys.get_mut(key) {
                k.policy = policy;
            }
        }
        PolicySource::Bucket { bucket } => {
            if let Some(b) = world.buckets.get_mut(bucket) {
                b.policy = Some(policy);
            }
        }
    }
}

/// The outcome that decides a denial: the implied KMS call's when S3's
/// part was allowed, with its depth.
fn decisive(o: &Outcome) -> (&Outcome, usize) {
    match (&o.why, o.implied.first()) {
        (Why::ImpliedDenied, Some(i)) => {
            let (d, n) = decisive(i);
            (d, n + 1)
        }
        _ => (o, 0),
    }
}

fn no_fix(code: NoFixCode, message: impl Into<String>) -> NoFix {
    NoFix {
        code,
        message: message.into(),
    }
}

/// Why a decisive outcome cannot be fixed by editing policies, if so.
fn refusal(o: &Outcome, world: &World) -> Option<NoFix> {
    Some(match o.reason {
        Reason::ExplicitDeny => no_fix(
            NoFixCode::ExplicitDeny,
            "a Deny statement decides; the engine does not propose removing a guardrail",
        ),
        Reason::NotCrossAccount => no_fix(
            NoFixCode::NotCrossAccount,
            format!(
                "{} cannot be used on another account's key; no policy changes that",
                o.action
            ),
        ),
        Reason::InsecureTransport => no_fix(
            NoFixCode::InsecureTransport,
            "make the request over TLS (HTTPS); no policy changes that",
        ),
        Reason::NotFound => no_fix(
            NoFixCode::NotFound,
            "the key does not resolve; name it by its key ARN or an alias ARN",
        ),
        Reason::ImplicitDeny => {
            let Why::ImplicitDeny {
                owner: OwnerRef::Key(k),
            } = o.why
            else {
                return None;
            };
            let key = world.keys.get(k)?;
            let resource_half = o
                .missing
                .iter()
                .any(|m| matches!(m, Missing::Resource | Missing::KeyPolicyRoot));
            if (matches!(key.manager, Manager::Aws { .. }) || key.generated) && resource_half {
                return Some(no_fix(
                    NoFixCode::AwsManagedKey,
                    format!(
                        "{} is an AWS managed key, whose policy cannot be changed; encrypt the data under a customer managed key instead",
                        key.arn
                    ),
                ));
            }
            return None;
        }
        Reason::Allowed => return None,
    })
}

/// A near miss that fails only because the request was made without TLS
/// (`aws:SecureTransport` is false): the fix is TLS, never a weaker policy.
fn insecure_near_miss(o: &Outcome, world: &World) -> Option<NoFix> {
    let is_false = |v: &ContextValue| match v {
        ContextValue::Bool(b) => !*b,
        ContextValue::String(s) => s.eq_ignore_ascii_case("false"),
        _ => false,
    };
    let tls = o.trace.iter().enumerate().any(|(i, t)| {
        o.near_misses(i).iter().any(|m| match m.failed.as_slice() {
            [
                Failed::Condition {
                    index,
                    got: Some(v),
                },
            ] => {
                is_false(v)
                    && t.statement_at(world, m.statement)
                        .and_then(|s| s.conditions.get(*index))
                        .is_some_and(|c| c.key_lower == "aws:securetransport")
            }
            _ => false,
        })
    });
    tls.then(|| {
        no_fix(
            NoFixCode::InsecureTransport,
            "the statement that would allow this wants aws:SecureTransport true: make the request over TLS (HTTPS) rather than weaken the policy",
        )
    })
}

struct Search<'a> {
    base: &'a Base<'a>,
    /// The working world: the base with the edits kept so far.
    world: &'a mut World,
    request: &'a Request,
    fixes: Vec<Fix>,
    /// The edits put into `world`, oldest first, to undo at the end.
    applied: Vec<Applied>,
    spent: usize,
    cost: usize,
    /// Which candidates may be used.
    mode: Mode,
    /// Whether a candidate that leaves the request denied is judged by the
    /// whole fix it leads to (off while finishing one).
    lookahead: bool,
    /// Why finishing a candidate's fix was refused (a Deny further on).
    blocked: Option<NoFix>,
}

/// One edit put into the working world.
struct Applied {
    source: PolicySource,
    displaced: Displaced,
    /// It names the caller's whole account.
    loose: bool,
    /// It can narrow a statement (a condition's or resource's values
    /// replaced), so allowed requests may be closed.
    narrows: bool,
}

/// How a candidate ranks, lowest first: the side effects of the whole fix
/// on the file's other requests (see [`Effects`]), then the most changes
/// toward what the file expects, the policies it edits, and whether it
/// names an account where the caller could be named.
type Score = (usize, std::cmp::Reverse<usize>, usize, bool);

/// One candidate edit: the policy and its new text.
struct Candidate {
    source: PolicySource,
    kind: PolicyKind,
    text: String,
    summary: String,
    /// Names the caller's whole account (`:root`) in a Principal.
    loose: bool,
    /// Replaces values (a condition's, an alias in a Resource) rather than
    /// only adding: it can deny what the policy allowed.
    narrows: bool,
}

impl Search<'_> {
    /// Counts one evaluation against the budget.
    fn charge(&mut self) -> Result<(), NoFix> {
        self.spent += self.cost;
        if self.spent > self.base.budget {
            return Err(no_fix(
                NoFixCode::Budget,
                "the fix search ran out of its budget on this file (too many statements or too much to try); fix it by hand from the near misses",
            ));
        }
        Ok(())
    }

    /// Evaluates `request` in the working world.
    fn evaluate(&mut self, request: &Request) -> Result<Outcome, NoFix> {
        self.charge()?;
        Ok(evaluate(self.world, request))
    }

    /// Puts the working world back as the base was.
    fn undo_all(&mut self) {
        while !self.applied.is_empty() {
            self.pop_applied();
        }
    }

    fn run(&mut self, outcome: &Outcome) -> Result<(), NoFix> {
        self.rounds(outcome.clone(), MAX_ROUNDS)
    }

    /// Supplies one missing half a round, at most `rounds` times, until the
    /// request is allowed.
    fn rounds(&mut self, mut current: Outcome, rounds: usize) -> Result<(), NoFix> {
        for left in (1..=rounds).rev() {
            if current.verdict == Verdict::Allow {
                return Ok(());
            }
            let (o, depth) = decisive(&current);
            if let Some(n) = refusal(o, self.world) {
                return Err(n);
            }
            let o = o.clone();
            if let Some(n) = insecure_near_miss(&o, self.world) {
                return Err(n);
            }
            let Some(&half) = o.missing.first() else {
                return Err(no_fix(NoFixCode::Unfixable, "nothing says what is missing"));
            };
            current = self.fix_half(&o, half, depth, left)?;
        }
        if current.verdict == Verdict::Allow {
            Ok(())
        } else {
            Err(no_fix(
                NoFixCode::Unfixable,
                "no edit found that allows the request",
            ))
        }
    }

    /// Tries the candidates for one missing half in order and keeps the
    /// best under which that half is in place; returns the new outcome.
    ///
    /// Candidates are compared by the whole fix they lead to: what it opens
    /// among the file's other denied requests (fewest first, so a statement
    /// with conditions is repaired rather than a looser one widened), then
    /// how many policies it edits, then whether it names the caller rather
    /// than its whole account. A candidate after which the request still
    /// needs another half is judged by finishing that fix first, since an
    /// edit that opens nothing yet can lead to one that opens more.
    fn fix_half(
        &mut self,
        o: &Outcome,
        half: Missing,
        depth: usize,
        rounds_left: usize,
    ) -> Result<Outcome, NoFix> {
        let mut best: Option<(Score, Candidate, Policy, Outcome)> = None;
        let mut tried = 0;
        let seen = seen_of(self.request, o);
        // This half's own record of why a candidate could not be finished.
        let outer = self.blocked.take();
        for plan in plans(self.world, self.request, o, half) {
            if tried >= MAX_VERIFIED {
                break;
            }
            if self.mode == Mode::Added && !plan.added() {
                continue;
            }
            let Some(c) = plan.build(self.world, o, half, seen) else {
                continue;
            };
            if self.mode != Mode::Any && c.loose {
                continue;
            }
            let Ok(policy) = parse(&c.text, c.kind) else {
                continue;
            };
            let displaced = put(self.world, c.source, policy);
            self.applied.push(Applied {
                source: c.source,
                displaced,
                loose: c.loose,
                narrows: c.narrows,
            });
            let scored = self.score(half, depth, rounds_left);
            let Some(policy) = self.pop_applied() else {
                continue;
            };
            let Some((score, after)) = scored? else {
                continue;
            };
            tried += 1;
            let done = score.0 == 0 && !score.3;
            if best.as_ref().is_none_or(|(n, ..)| score < *n) {
                best = Some((score, c, policy, after));
            }
            if done {
                break;
            }
        }
        let blocked = std::mem::replace(&mut self.blocked, outer);
        if let Some((_, c, policy, after)) = best {
            let displaced = put(self.world, c.source, policy);
            self.applied.push(Applied {
                source: c.source,
                displaced,
                loose: c.loose,
                narrows: c.narrows,
            });
            self.record(c);
            return Ok(after);
        }
        if let Some(n) = blocked {
            return Err(n);
        }
        Err(no_fix(
            NoFixCode::Unfixable,
            format!(
                "no edit of the {} half found that allows {}",
                half.code(),
                o.action
            ),
        ))
    }

    /// Takes the last applied edit out of the working world again and
    /// returns its policy.
    fn pop_applied(&mut self) -> Option<Policy> {
        let a = self.applied.pop()?;
        take(self.world, a.source, a.displaced)
    }

    /// With a candidate in place (the last applied edit): `None` if `half`
    /// is still missing; else the score of the whole fix it leads to and
    /// the request's outcome now.
    fn score(
        &mut self,
        half: Missing,
        depth: usize,
        rounds_left: usize,
    ) -> Result<Option<(Score, Outcome)>, NoFix> {
        let request = self.request;
        let after = self.evaluate(request)?;
        if !resolved(&after, half, depth) {
            return Ok(None);
        }
        // Looking ahead is bounded: once half the budget is spent, an edit
        // is judged by what it opens so far.
        if after.verdict == Verdict::Allow || !self.lookahead || self.spent * 2 > self.base.budget {
            let effects = self.effects()?;
            return Ok(Some((self.score_now(&effects), after)));
        }
        let finished = self.finish(&after, rounds_left.saturating_sub(1))?;
        Ok(finished.map(|s| (s, after)))
    }

    fn score_now(&self, effects: &Effects) -> Score {
        let mut sources: Vec<PolicySource> = Vec::new();
        for a in &self.applied {
            if !sources.contains(&a.source) {
                sources.push(a.source);
            }
        }
        (
            effects.unwanted,
            std::cmp::Reverse(effects.welcome),
            sources.len(),
            self.applied.iter().any(|a| a.loose),
        )
    }

    /// Finishes the fix from `after` greedily (no further look-ahead),
    /// scores it, and puts everything back as it was: `None` when it cannot
    /// be finished.
    fn finish(&mut self, after: &Outcome, rounds: usize) -> Result<Option<Score>, NoFix> {
        let mark = self.applied.len();
        let fixes = self.fixes.clone();
        let was = std::mem::replace(&mut self.lookahead, false);
        let ran = self
            .rounds(after.clone(), rounds)
            .and_then(|()| self.effects())
            .map(|effects| self.score_now(&effects));
        while self.applied.len() > mark {
            self.pop_applied();
        }
        self.fixes = fixes;
        self.lookahead = was;
        match ran {
            Ok(score) => Ok(Some(score)),
            Err(n) if n.code == NoFixCode::Budget => Err(n),
            Err(n) => {
                // What stopped it (a Deny further on, say) is the answer if
                // no candidate gets through.
                if n.code != NoFixCode::Unfixable {
                    self.blocked.get_or_insert(n);
                }
                Ok(None)
            }
        }
    }

    /// Keeps one fix per policy: a second edit of the same policy merges
    /// into the first.
    fn record(&mut self, c: Candidate) {
        let label = c.source.label(self.world);
        if let Some(f) = self.fixes.iter_mut().find(|f| f.source == c.source) {
            f.document = c.text;
            f.summary = format!("{}; {}", f.summary, lower_first(&c.summary));
            return;
        }
        let before = c
            .source
            .policy(self.base.world)
            .map_or(String::new(), |p| p.text.to_string());
        self.fixes.push(Fix {
            kind: c.kind,
            owner: owner_of(self.base.world, c.source),
            index: match c.source {
                PolicySource::Identity { index, .. } | PolicySource::Scp { index, .. } => {
                    Some(index + 1)
                }
                _ => None,
            },
            policy: label,
            summary: c.summary,
            document: c.text,
            before,
            source: c.source,
        });
    }

    /// What the edits in the working world do to the file's other requests:
    /// only the requests that read an edited policy are evaluated again,
    /// and allowed ones only when an edit can narrow a statement.
    fn effects(&mut self) -> Result<Effects, NoFix> {
        let base = self.base;
        let edited: Vec<PolicySource> = self.applied.iter().map(|a| a.source).collect();
        let narrows = self.applied.iter().any(|a| a.narrows);
        let mut out = Effects::default();
        for reads in &base.others {
            if reads.verdict == Verdict::Allow && !narrows {
                continue;
            }
            let Some(r) = base.world.requests.get(reads.index) else {
                continue;
            };
            if std::ptr::eq(r, self.request) || same_request(r, self.request) {
                continue;
            }
            if !edited.iter().any(|s| reads.reads(*s)) {
                continue;
            }
            let now = self.evaluate(r)?.verdict;
            if now == reads.verdict {
                continue;
            }
            if now == Verdict::Allow {
                out.opened.push(reads.index);
            }
            // A change toward what the file expects is welcome; any other
            // change is a side effect.
            if reads.expect == Some(now) {
                out.welcome += 1;
            } else {
                out.unwanted += 1;
            }
        }
        Ok(out)
    }

    /// The requests at `indexes`, by name, else `#N`.
    fn names(&self, indexes: &[usize]) -> Vec<String> {
        let requests = &self.base.world.requests;
        indexes
            .iter()
            .filter_map(|&i| {
                let r = requests.get(i)?;
                Some(r.name.clone().unwrap_or_else(|| format!("#{}", i + 1)))
            })
            .collect()
    }
}

/// What a fix does to the file's other requests.
#[derive(Debug, Default)]
struct Effects {
    /// The requests it turns from deny into allow.
    opened: Vec<usize>,
    /// Changes that bring a request to what the file expects of it.
    welcome: usize,
    /// Changes that the file does not ask for (an allow where it expects a
    /// deny or says nothing, a deny where it expects an allow).
    unwanted: usize,
}

fn same_request(a: &Request, b: &Request) -> bool {
    a.line == b.line && a.name == b.name && a.action == b.action && a.resource == b.resource
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// True if `half` is no longer what denies the request at `depth`.
fn resolved(after: &Outcome, half: Missing, depth: usize) -> bool {
    if after.verdict == Verdict::Allow {
        return true;
    }
    let (o, d) = decisive(after);
    d > depth || o.reason != Reason::ImplicitDeny || !o.missing.contains(&half)
}

fn owner_of(world: &World, source: PolicySource) -> String {
    match source {
        PolicySource::Identity { principal, .. } | PolicySource::Boundary { principal } => world
            .principals
            .get(principal)
            .map_or(String::new(), |p| p.arn.clone()),
        PolicySource::Scp { account, .. } | PolicySource::Rcp { account, .. } => world
            .accounts
            .get(account)
            .map_or(String::new(), |a| a.id.clone()),
        PolicySource::Key { key } => world.keys.get(key).map_or(String::new(), |k| k.arn.clone()),
        PolicySource::Bucket { bucket } => world
            .buckets
            .get(bucket)
            .map_or(String::new(), |b| b.name.clone()),
    }
}

/// Which policy kinds can supply a missing half.
fn kinds_for(half: Missing) -> &'static [PolicyKind] {
    match half {
        Missing::Identity => &[PolicyKind::Identity],
        Missing::Boundary => &[PolicyKind::Boundary],
        Missing::Scp => &[PolicyKind::Scp],
        Missing::Resource | Missing::KeyPolicyRoot => {
            &[PolicyKind::KeyPolicy, PolicyKind::BucketPolicy]
        }
    }
}

/// One way to supply a missing half, made into a [`Candidate`] (its text
/// edited) only when the search gets to it: most searches stop at the
/// first.
enum Plan<'o> {
    /// Repair every failing part of a near miss in place (`delegate`: name
    /// the caller's account rather than the caller).
    Repair {
        source: PolicySource,
        near: &'o NearMiss,
        way: Way,
    },
    /// Add a statement granting exactly the request, keeping the conditions
    /// of `like` when given.
    Add {
        like: Option<(PolicySource, &'o NearMiss)>,
    },
}

impl Plan<'_> {
    /// A new statement rather than a repair.
    fn added(&self) -> bool {
        matches!(self, Plan::Add { .. })
    }

    fn build(
        &self,
        world: &World,
        o: &Outcome,
        half: Missing,
        seen: Seen<'_>,
    ) -> Option<Candidate> {
        match *self {
            Plan::Repair { source, near, way } => repair(world, source, near, seen, way),
            Plan::Add { like } => addition_with(world, o, half, seen, like),
        }
    }
}

/// What the request's half is judged on: its action, resolved resource and
/// caller.
fn seen_of<'a>(request: &'a Request, o: &'a Outcome) -> Seen<'a> {
    Seen {
        action: &o.action,
        resource: o.resolved.as_deref().unwrap_or(&o.resource),
        caller: &request.caller,
    }
}

/// The ways to supply one half, best first: repairs of its near misses
/// (fewest failing parts first), then one new statement.
fn plans<'o>(world: &World, request: &Request, o: &'o Outcome, half: Missing) -> Vec<Plan<'o>> {
    let kinds = kinds_for(half);
    let mut near: Vec<(usize, PolicySource, &NearMiss)> = Vec::new();
    for (i, t) in o.trace.iter().enumerate() {
        if t.outcome == PolicyOutcome::Deny || !kinds.contains(&t.kind) {
            continue;
        }
        for m in o.near_misses(i) {
            near.push((rank(m), t.source, m));
        }
    }
    // Same account: a resource policy that names the caller is enough, so
    // its near misses may serve too, after the identity policies'.
    if half == Missing::Identity && !o.cross_account {
        for (i, t) in o.trace.iter().enumerate() {
            if t.outcome != PolicyOutcome::Deny && t.kind.is_resource_policy() {
                for m in o.near_misses(i) {
                    near.push((rank(m) + 1, t.source, m));
                }
            }
        }
    }
    near.sort_by_key(|(n, _, _)| *n);
    let kept_conditions: Vec<(PolicySource, &NearMiss)> = near
        .iter()
        .filter(|(_, _, m)| {
            !m.failed
                .iter()
                .any(|f| matches!(f, Failed::Condition { .. }))
        })
        .filter(|(_, source, m)| {
            source
                .policy(world)
                .and_then(|p| p.statements.get(m.statement))
                .is_some_and(|st| !st.conditions.is_empty())
        })
        .map(|(_, source, m)| (*source, *m))
        .collect();
    let service = request.caller.is_service();
    let mut out: Vec<Plan<'o>> = Vec::new();
    for (_, source, m) in near {
        // A failing principal can be mended by delegating to the caller's
        // account (its IAM policies keep deciding) or by naming the caller;
        // a failing condition by letting the request's value in instead of
        // the listed ones, or beside them. The one with fewer side effects
        // wins.
        let delegates: &[bool] = if m.misses_principal() && !service {
            &[false, true]
        } else {
            &[false]
        };
        let keeps: &[bool] = if m
            .failed
            .iter()
            .any(|f| matches!(f, Failed::Condition { .. }))
        {
            &[false, true]
        } else {
            &[false]
        };
        let statement = source
            .policy(world)
            .and_then(|p| p.statements.get(m.statement));
        for &delegate in delegates {
            for &keep in keeps {
                let choices = statement.map_or(1, |st| choices_of(st, m, keep));
                for choice in 0..choices.clamp(1, MAX_CHOICES) {
                    let way = Way {
                        delegate,
                        keep,
                        choice,
                    };
                    out.push(Plan::Repair {
                        source,
                        near: m,
                        way,
                    });
                }
            }
        }
    }
    // A new statement that keeps the conditions of a near miss whose
    // conditions all hold (only its action, resource or principal failed):
    // it grants exactly the request, and no more than that statement meant
    // to under other circumstances.
    out.extend(
        kept_conditions
            .into_iter()
            .map(|like| Plan::Add { like: Some(like) }),
    );
    out.push(Plan::Add { like: None });
    out
}

/// The order in which near misses are tried (candidates with the same side
/// effects are taken in this order): fewest failing parts first; repairs
/// that name the caller in a Principal after the others, as
/// [`super::near::preferred`] says; and those that add an action last,
/// since a statement that already grants this action is meant for
/// requests like this one, while adding an action changes what it is for.
fn rank(m: &NearMiss) -> usize {
    let action = m.failed.contains(&Failed::Action);
    m.failed.len() + if m.misses_principal() { 4 } else { 0 } + if action { 8 } else { 0 }
}

fn statement_name(p: &Policy, index: usize) -> String {
    match p.statements.get(index) {
        Some(s) => {
            let label = s.label();
            let name = if label.starts_with('#') {
                format!("statement {label}")
            } else {
                format!("statement \"{label}\"")
            };
            match s.lines {
                Some((a, _)) => format!("{name} (line {a})"),
                None => name,
            }
        }
        None => format!("statement #{}", index + 1),
    }
}

/// Repairs every failing part of a near miss in place.
fn repair(
    world: &World,
    source: PolicySource,
    m: &NearMiss,
    seen: Seen<'_>,
    way: Way,
) -> Option<Candidate> {
    let delegate = way.delegate;
    let policy = source.policy(world)?;
    if let PolicySource::Key { key } = source
        && world
            .keys
            .get(key)
            .is_some_and(|k| k.generated || matches!(k.manager, Manager::Aws { .. }))
    {
        return None;
    }
    let s = policy.statements.get(m.statement)?;
    if !super::near::same_service(m, s, seen.action) {
        return None;
    }
    // Adding an action to an unconditioned statement for everyone
    // (`"Principal": "*"`) would grant it to every caller, not this one.
    let everyone = s.principal.as_ref().is_some_and(|p| {
        !p.negated
            && p.entries
                .iter()
                .any(|e| matches!(e, crate::core::policy::principal::PrincipalEntry::Everyone))
    });
    if everyone && s.conditions.is_empty() && m.failed.contains(&Failed::Action) {
        return None;
    }
    let mut text = policy.text.to_string();
    let mut changes = Vec::new();
    let owner_account = match source {
        PolicySource::Key { key } => world.keys.get(key).map(|k| k.account.as_str()),
        PolicySource::Bucket { bucket } => world.buckets.get(bucket).map(|b| b.account.as_str()),
        _ => None,
    };
    for f in &m.failed {
        text = repair_part(&text, s, f, seen, owner_account, way)?;
        changes.push(match (f, delegate) {
            (Failed::Condition { index, got }, _)
                if let Some(c) = s.conditions.get(*index)
                    && let Some(key) = misspelt_key(c, got.as_ref(), way) =>
            {
                format!(
                    "correct the misspelt key {} to {key} in its Condition",
                    c.key
                )
            }
            (Failed::Condition { index, got }, _) if way.keep => {
                kept_change(s, *index, got.as_ref(), way)
            }
            (Failed::Principal, _) if seen.caller.is_service() => format!(
                "name the service {} ({{\"Service\": \"{}\"}}) in its Principal",
                seen.caller.arn, seen.caller.arn
            ),
            (Failed::Principal, true) => format!(
                "name account {} (arn:aws:iam::{}:root) in its Principal",
                seen.caller.account, seen.caller.account
            ),
            _ => f.change(s, seen),
        });
    }
    Some(Candidate {
        source,
        kind: policy.kind,
        loose: delegate,
        narrows: m.failed.iter().any(|f| match f {
            Failed::Condition { .. } => !way.keep,
            Failed::Resource => true,
            _ => false,
        }),
        text,
        summary: format!(
            "In {} of the {}, {}",
            statement_name(policy, m.statement),
            source.label(world),
            changes.join(", and ")
        ),
    })
}

fn repair_part(
    text: &str,
    s: &crate::core::policy::Statement,
    f: &Failed,
    seen: Seen<'_>,
    owner_account: Option<&str>,
    way: Way,
) -> Option<String> {
    let delegate = way.delegate;
    let i = s.index;
    match f {
        Failed::Action => {
            let action = quote(seen.action);
            if s.actions.negated {
                let lower = seen.action.to_ascii_lowercase();
                return edit::edit_value(text, i, &["NotAction"], |t, n| {
                    edit::retain_items(t, n, |p| {
                        !crate::core::policy::wildcard::matches(
                            &p.to_ascii_lowercase(),
                            &lower,
                            false,
                        ) && !p.eq_ignore_ascii_case(&lower)
                            && p != "*"
                    })
                });
            }
            let typo = typo_of(s, seen.action).map(str::to_string);
            edit::edit_value(text, i, &["Action"], |t, n| match &typo {
                Some(bad) => {
                    let at = edit::strings(n)
                        .iter()
                        .position(|p| p.eq_ignore_ascii_case(bad))?;
                    edit::replace_item(t, n, at, &action)
                }
                None => edit::append_item(t, n, &action),
            })
        }
        Failed::Resource => {
            let arn = quote(seen.resource);
            match &s.resources {
                None => edit::add_statement_member(text, i, "Resource", &arn),
                Some(spec) if spec.negated => {
                    edit::edit_value(text, i, &["NotResource"], |t, n| {
                        edit::retain_items(t, n, |p| {
                            !crate::core::policy::resource::ResourcePattern::new(p)
                                .matches(seen.resource)
                        })
                    })
                }
                Some(_) => edit::edit_value(text, i, &["Resource"], |t, n| {
                    // An alias where the key ARN belongs is replaced, not kept.
                    let alias = edit::strings(n).iter().position(|p| p.contains(":alias/"));
                    match alias {
                        Some(at) => edit::replace_item(t, n, at, &arn),
                        None => edit::append_item(t, n, &arn),
                    }
                }),
            }
        }
        Failed::Principal => {
            let p = s.principal.as_ref()?;
            if seen.caller.is_service() {
                // A service principal is named only as {"Service": NAME}.
                if p.negated || delegate {
                    return None;
                }
                let name = quote(&seen.caller.arn);
                return edit::edit_value(text, i, &["Principal"], |t, n| {
                    if !edit::is_object(n) {
                        return None;
                    }
                    match edit::member_value(n, "Service") {
                        Some(svc) => edit::append_item(t, svc, &name),
                        None => edit::add_member(t, n, "Service", &name),
                    }
                });
            }
            // Naming the caller in a statement that grants more than named
            // actions (kms:*, NotAction) would grant it all of that.
            let wide =
                s.actions.negated || s.actions.patterns.iter().any(|a| a.contains(['*', '?']));
            if p.negated {
                return None;
            }
            // A wide statement of the resource's own account may delegate to
            // that account (its IAM policies still decide); never name a
            // caller in it directly.
            let root = format!("arn:aws:iam::{}:root", seen.caller.account);
            let same = owner_account == Some(seen.caller.account.as_str());
            // A misspelt entry for the caller (`role/readr`) is corrected to
            // what it meant, the role's ARN for a session; otherwise the
            // caller itself is named.
            let typo = crate::core::eval::near::misspelt_principal(s, seen.caller);
            let named = match (wide, delegate) {
                (false, false) if typo.is_some() => seen.caller.principal_arn().to_string(),
                (false, false) => seen.caller.arn.clone(),
                (_, true) if !wide || same => root,
                _ => return None,
            };
            let arn = quote(&named);
            edit::edit_value(text, i, &["Principal"], |t, n| {
                let list = if edit::is_object(n) {
                    match edit::member_value(n, "AWS") {
                        Some(aws) => aws,
                        None => return edit::add_member(t, n, "AWS", &arn),
                    }
                } else {
                    n
                };
                // A misspelt entry for the caller is corrected, not kept.
                let at = typo
                    .as_deref()
                    .and_then(|bad| edit::strings(list).iter().position(|e| *e == bad));
                match at {
                    Some(at) => edit::replace_item(t, list, at, &arn),
                    None => edit::append_item(t, list, &arn),
                }
            })
        }
        Failed::Condition { index, got } => {
            let c = s.conditions.get(*index)?;
            if let Some(key) = misspelt_key(c, got.as_ref(), way) {
                let op = c.operator.name();
                return edit::rename_member(text, i, &["Condition", &op], &c.key, key);
            }
            let values = repaired_values(c, got.as_ref(), way)?;
            let op = c.operator.name();
            edit::edit_value(text, i, &["Condition", &op, &c.key], |t, n| {
                Some(edit::replace(t, n, &values_json(&values)))
            })
        }
    }
}

/// The key a failing condition was meant to test, when its own key is
/// absent from the request and is a misspelling of a key AWS defines
/// (`kms:ViaServce`): the repair renames it and keeps its values (the
/// verification then decides whether that is enough).
fn misspelt_key(
    c: &crate::core::policy::document::Condition,
    got: Option<&ContextValue>,
    way: Way,
) -> Option<&'static str> {
    if got.is_some() || way.keep || c.operator.base == BaseOperator::Null {
        return None;
    }
    crate::core::policy::catalog::catalog().nearest_key(&c.key)
}

/// How a near miss is repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Way {
    /// Name the caller's account rather than the caller in a Principal.
    delegate: bool,
    /// Keep a failing condition's values and add the request's, rather
    /// than replace them (so whoever the condition let in stays let in).
    keep: bool,
    /// Which of the lists of values that make a failing condition hold
    /// (see [`condition_choices`] and [`kept_choices`]).
    choice: usize,
}

/// A failing condition's values with the request's added, for operators
/// where more values only let more in (string, ARN, IP address and
/// numeric equality): each of the request's values alone for a
/// ForAnyValue test, then all of them. Only lists that make it hold.
fn kept_choices(
    c: &crate::core::policy::document::Condition,
    got: Option<&ContextValue>,
) -> Vec<Vec<String>> {
    use BaseOperator::*;
    let op = &c.operator;
    let widens = matches!(
        op.base,
        StringEquals
            | StringEqualsIgnoreCase
            | StringLike
            | ArnEquals
            | ArnLike
            | IpAddress
            | NumericEquals
    );
    let Some(got) = got.filter(|_| widens && c.key_lower != "aws:securetransport") else {
        return Vec::new();
    };
    let value = |g: String| {
        if op.base == IpAddress && !g.contains('/') {
            format!("{g}/{}", if g.contains(':') { 128 } else { 32 })
        } else {
            g
        }
    };
    let given: Vec<String> = values_of(got).into_iter().map(value).collect();
    let with = |added: &[String]| {
        let mut more = c.values.clone();
        more.extend(added.iter().filter(|g| !c.values.contains(g)).cloned());
        more
    };
    let mut tries: Vec<Vec<String>> = Vec::new();
    if op.set == Some(crate::core::policy::condition::SetQualifier::ForAnyValue) {
        tries.extend(given.iter().map(|g| with(std::slice::from_ref(g))));
    }
    tries.push(with(&given));
    let mut out: Vec<Vec<String>> = Vec::new();
    for t in tries {
        if t.len() > c.values.len() && holds(op, &t, Some(got)) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The values for a failing condition repaired `way`, if that choice
/// exists.
fn repaired_values(
    c: &crate::core::policy::document::Condition,
    got: Option<&ContextValue>,
    way: Way,
) -> Option<Vec<String>> {
    let mut choices = if way.keep {
        kept_choices(c, got)
    } else {
        condition_choices(c, got)
    };
    if choices.is_empty() {
        return None;
    }
    // A choice past the last stands for the last.
    let at = way.choice.min(choices.len() - 1);
    Some(choices.swap_remove(at))
}

/// How many choices of values a repair `way` of the near miss's failing
/// conditions has (the most of any of them; 1 without a condition).
fn choices_of(s: &crate::core::policy::Statement, m: &NearMiss, keep: bool) -> usize {
    m.failed
        .iter()
        .filter_map(|f| match f {
            Failed::Condition { index, got } => {
                let c = s.conditions.get(*index)?;
                Some(if keep {
                    kept_choices(c, got.as_ref()).len()
                } else {
                    condition_choices(c, got.as_ref()).len()
                })
            }
            _ => None,
        })
        .max()
        .unwrap_or(1)
}

/// "add 10.0.0.5/32 to the values of its IpAddress test on aws:SourceIp".
fn kept_change(
    s: &crate::core::policy::Statement,
    index: usize,
    got: Option<&ContextValue>,
    way: Way,
) -> String {
    let Some(c) = s.conditions.get(index) else {
        return "fix its Condition".to_string();
    };
    let added: Vec<String> = repaired_values(c, got, way)
        .unwrap_or_default()
        .into_iter()
        .skip(c.values.len())
        .collect();
    format!(
        "add {} to the values of its {} test on {}",
        added.join(" and "),
        c.operator.name(),
        c.key
    )
}

/// Every list of values, narrowest first, that makes the condition hold
/// for the request's value in place of its own (a ForAnyValue test can
/// hold for any one of the request's values, and which one opens least
/// depends on the file).
fn condition_choices(
    c: &crate::core::policy::document::Condition,
    got: Option<&ContextValue>,
) -> Vec<Vec<String>> {
    let op = &c.operator;
    if op.base == BaseOperator::Null {
        return vec![vec![got.is_none().to_string()]];
    }
    let Some(got) = got else {
        return Vec::new();
    };
    // Never weaken a TLS requirement: the request must use TLS instead.
    if c.key_lower == "aws:securetransport" {
        return Vec::new();
    }
    let ok = |vals: &[String]| holds(op, vals, Some(got));
    if op.is_negated() {
        // Keep the values that do not exclude the request.
        let kept: Vec<String> = c
            .values
            .iter()
            .filter(|v| ok(std::slice::from_ref(*v)))
            .cloned()
            .collect();
        return (!kept.is_empty() && ok(&kept))
            .then_some(kept)
            .into_iter()
            .collect();
    }
    let got_values = values_of(got);
    let mut tries: Vec<Vec<String>> = Vec::new();
    // ForAnyValue needs one of the request's values: one is narrowest.
    if op.set == Some(crate::core::policy::condition::SetQualifier::ForAnyValue) {
        tries.extend(got_values.iter().map(|g| vec![g.clone()]));
    }
    if c.values.len() > 1 {
        let mut more = c.values.clone();
        more.extend(got_values.iter().filter(|g| !c.values.contains(g)).cloned());
        tries.push(more);
    }
    tries.push(got_values.clone());
    for g in &got_values {
        tries.push(vec![g.clone()]);
        if let Ok(n) = g.parse::<i64>() {
            tries.push(vec![(n + 1).to_string()]);
            tries.push(vec![(n - 1).to_string()]);
        }
        // A date limit moves by one second past the request's instant.
        if op.base.is_date()
            && let Some(t) = crate::core::policy::condition::value::date::instant_seconds(g)
        {
            use crate::core::policy::condition::value::date::format_instant;
            tries.push(vec![format_instant(t + 1)]);
            tries.push(vec![format_instant(t - 1)]);
        }
        if !g.contains('/') {
            tries.push(vec![format!(
                "{g}/{}",
                if g.contains(':') { 128 } else { 32 }
            )]);
        }
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    for t in tries {
        if ok(&t) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The conditions of statement `m` of `source` as a `Condition` object.
fn conditions_json(world: &World, source: PolicySource, m: &NearMiss) -> Option<String> {
    let st = source.policy(world)?.statements.get(m.statement)?;
    let mut by_op: Vec<(String, Vec<String>)> = Vec::new();
    for c in &st.conditions {
        let entry = format!("{}: {}", quote(&c.key), values_json(&c.values));
        let op = c.operator.name();
        match by_op.iter_mut().find(|(o, _)| *o == op) {
            Some((_, keys)) => keys.push(entry),
            None => by_op.push((op.to_string(), vec![entry])),
        }
    }
    let parts: Vec<String> = by_op
        .into_iter()
        .map(|(op, keys)| format!("{}: {{ {} }}", quote(&op), keys.join(", ")))
        .collect();
    Some(format!("{{ {} }}", parts.join(", ")))
}

/// As [`addition`]; with `like`, the new statement keeps the conditions of
/// that near miss (in the same policy), so it grants no more than they do.
fn addition_with(
    world: &World,
    o: &Outcome,
    half: Missing,
    seen: Seen<'_>,
    like: Option<(PolicySource, &NearMiss)>,
) -> Option<Candidate> {
    let caller = seen.caller;
    let (source, kind) = target_for(world, o, half, caller)?;
    let conditions = match like {
        Some((near_source, m)) if near_source == source => {
            Some(conditions_json(world, near_source, m)?)
        }
        Some(_) => return None,
        None => None,
    };
    let before = source.policy(world);
    let text = before.map_or("", |p| &p.text);
    let resource_policy = kind.is_resource_policy();
    // The Sids in use, from the parsed policy rather than a second parse.
    let taken: Vec<String> = before.map_or_else(Vec::new, |p| {
        p.statements
            .iter()
            .filter_map(|st| st.sid.clone())
            .collect()
    });
    let sid = new_sid(seen.action, &taken);
    let mut members: Members = vec![("Sid", quote(&sid)), ("Effect", quote("Allow"))];
    // Same account, IAM already allows: delegating to the account (whose
    // IAM policies keep deciding) grants no one anything IAM does not.
    let identity_allows = o
        .trace
        .iter()
        .any(|t| t.kind == PolicyKind::Identity && t.outcome == PolicyOutcome::Allow);
    let principal = if half == Missing::KeyPolicyRoot && identity_allows {
        format!("arn:aws:iam::{}:root", caller.account)
    } else {
        caller.arn.clone()
    };
    if resource_policy {
        let member = if caller.is_service() {
            "Service"
        } else {
            "AWS"
        };
        members.push((
            "Principal",
            format!("{{ \"{member}\": {} }}", quote(&principal)),
        ));
    }
    members.push(("Action", quote(seen.action)));
    members.push(("Resource", quote(seen.resource)));
    if let Some(c) = &conditions {
        members.push(("Condition", c.clone()));
    }
    let new_text = if text.trim().is_empty() {
        edit::new_policy(&members)
    } else {
        edit::add_statement(text, &members)?
    };
    let who = if resource_policy {
        format!(" letting {principal} call")
    } else {
        " allowing".to_string()
    };
    let label = source.label(world);
    let keeping = match (&conditions, like) {
        (Some(_), Some((near_source, m))) => near_source
            .policy(world)
            .map(|p| {
                format!(
                    ", under the conditions of {}",
                    statement_name(p, m.statement)
                )
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let summary = match before {
        Some(_) => format!(
            "Add statement \"{sid}\" to the {label}{who} {} on {}{keeping}",
            seen.action, seen.resource
        ),
        None => format!(
            "Create the {label} with statement \"{sid}\"{who} {} on {}",
            seen.action, seen.resource
        ),
    };
    Some(Candidate {
        source,
        kind,
        loose: principal != caller.arn,
        narrows: false,
        text: new_text,
        summary,
    })
}

/// `AllowKmsDecrypt`, made unique among the policy's Sids.
fn new_sid(action: &str, taken: &[String]) -> String {
    let mut base = String::from("Allow");
    for part in action.split(':') {
        let mut c = part.chars().filter(|c| c.is_ascii_alphanumeric());
        if let Some(f) = c.next() {
            base.push(f.to_ascii_uppercase());
            base.extend(c);
        }
    }
    let mut sid = base.clone();
    let mut n = 2;
    while taken.contains(&sid) {
        sid = format!("{base}{n}");
        n += 1;
    }
    sid
}

/// Where a new statement for `half` goes.
fn target_for(
    world: &World,
    o: &Outcome,
    half: Missing,
    caller: &Caller,
) -> Option<(PolicySource, PolicyKind)> {
    let principal = || {
        let arn = caller.principal_arn();
        world.principals.iter().position(|p| p.arn == arn)
    };
    let resource = || match o.why {
        Why::ImplicitDeny {
            owner: OwnerRef::Key(key),
        } => Some((PolicySource::Key { key }, PolicyKind::KeyPolicy)),
        Why::ImplicitDeny {
            owner: OwnerRef::Bucket(bucket),
        } => Some((PolicySource::Bucket { bucket }, PolicyKind::BucketPolicy)),
        _ => None,
    };
    match half {
        Missing::Identity => match principal() {
            Some(p) => Some((
                PolicySource::Identity {
                    principal: p,
                    index: 0,
                },
                PolicyKind::Identity,
            )),
            // A caller the file does not list has no identity policy to
            // edit; same-account S3 can still be let in by the bucket.
            None if !o.cross_account => resource(),
            None => None,
        },
        Missing::Boundary => principal().map(|p| {
            (
                PolicySource::Boundary { principal: p },
                PolicyKind::Boundary,
            )
        }),
        Missing::Scp => world
            .accounts
            .iter()
            .position(|a| a.id == caller.account)
            .map(|a| {
                (
                    PolicySource::Scp {
                        account: a,
                        index: 0,
                    },
                    PolicyKind::Scp,
                )
            }),
        Missing::Resource | Missing::KeyPolicyRoot => resource(),
    }
}

/// A unified diff of two texts (three lines of context), headed by `label`;
/// `first_line` is the file line of the text's first line, so hunks point
/// into the file the policy lives in.
pub fn unified_diff(before: &str, after: &str, label: &str, first_line: usize) -> String {
    super::diff::unified(before, after, label, first_line)
}
