//! What a lab says about one goal: a sentence that fits what the goal
//! wants, and the request's context as the policies' conditions see it.
//!
//! The engine's sentence explains a decision as if every deny were a
//! problem to fix. A lab goal may want the request denied: telling that
//! learner how to grant the access teaches the wrong thing, so the lab
//! speaks from the goal instead.

use crate::core::content::Goal;
use crate::core::eval::handshake::deciding_entry;
use crate::core::eval::{Outcome, PolicySource};
use crate::core::policy::condition::ContextValue;
use crate::core::policy::principal::Caller;
use crate::core::world::{Bucket, Reason, Request, Verdict, World};

/// The sentence for `goal`, whose request ended as `outcome` (`met` as the
/// lab judged it). A goal that must be allowed (or has no expectation)
/// gets the engine's sentence; a goal that must stay denied is told what
/// keeps it denied, or what lets it through, and never how to grant it.
pub fn goal_sentence(
    goal: &Goal,
    met: bool,
    outcome: &Outcome,
    world: &World,
    caller: &Caller,
) -> String {
    if goal.expect != Some(Verdict::Deny) {
        return outcome.explain(world, caller);
    }
    if outcome.verdict == Verdict::Allow {
        return match deciding_entry(outcome) {
            Some(entry) => format!(
                "This request must stay denied, but {} of the {} lets it through: narrow that statement (its principal, action or resource) so that it no longer matches, or add a Deny that matches this request.",
                statement_name(&entry, world),
                entry.label(world)
            ),
            None => "This request must stay denied, but it is allowed: narrow the Allow that matches it, or add a Deny that matches it.".to_string(),
        };
    }
    let why = denied_because(outcome, world);
    if met {
        return format!("This request must stay denied, and it is: {why}.");
    }
    match goal.expect_reason {
        Some(Reason::ExplicitDeny) => format!(
            "This request must stay denied by an explicit Deny, and it is only denied because {why}: write a Deny statement that matches it, so that it stays denied even if an Allow is added later."
        ),
        Some(wanted) => format!(
            "This request is denied ({}), but the goal wants it denied for another reason ({}): {why}.",
            outcome.reason.code(),
            wanted.code()
        ),
        None => format!("This request must stay denied, and it is: {why}."),
    }
}

/// Why `outcome` (a deny) is denied, as a clause.
fn denied_because(outcome: &Outcome, world: &World) -> String {
    match outcome.reason {
        Reason::ExplicitDeny => match find_deny(outcome) {
            Some(entry) => format!(
                "denied by the explicit Deny in {} of the {}",
                statement_name(&entry, world),
                entry.label(world)
            ),
            None => "a Deny statement matches it".to_string(),
        },
        Reason::ImplicitDeny => {
            "no policy allows it, so it is denied by default (implicitly)".to_string()
        }
        Reason::NotFound => "the key name does not resolve from the caller's account".to_string(),
        Reason::NotCrossAccount => {
            "this KMS operation cannot be used on another account's key".to_string()
        }
        Reason::InsecureTransport => "S3 refuses an SSE-KMS request made without TLS".to_string(),
        Reason::Allowed => "it is allowed".to_string(),
    }
}

/// The deciding Deny of `outcome` or of one of its implied calls.
fn find_deny(outcome: &Outcome) -> Option<crate::core::eval::TraceEntry> {
    outcome
        .deciding_deny()
        .copied()
        .or_else(|| outcome.implied.iter().find_map(find_deny))
}

/// `statement DenyHttp`, or `statement #2` without a Sid.
fn statement_name(entry: &crate::core::eval::TraceEntry, world: &World) -> String {
    match entry.statement_label(world) {
        Some(l) => format!("statement {l}"),
        None => "a statement".to_string(),
    }
}

/// One entry of a request's context as the lab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as AWS writes it (`aws:SecureTransport`).
    pub key: String,
    /// The value, or `None` when the request does not carry the key.
    pub value: Option<String>,
    /// AWS fills it in (S3 calling KMS on the caller's behalf), rather
    /// than the request giving it.
    pub filled: bool,
}

/// The context of `request` that its policies can see: TLS, source IP,
/// encryption context and `kms:ViaService` when present, and every key
/// that a condition of a policy consulted for it (implied KMS calls
/// included) reads, with the request's value or none.
pub fn request_context(world: &World, request: &Request, outcome: &Outcome) -> Vec<ContextEntry> {
    let mut out: Vec<ContextEntry> = request
        .context
        .iter()
        .map(|(_, key, value)| ContextEntry {
            key: key.clone(),
            value: Some(show(value)),
            filled: false,
        })
        .collect();
    // S3 calling KMS for the caller fills these in; the engine does the
    // same when it evaluates the implied call (evaluation.md §2), and a
    // learner cannot see them anywhere else.
    if !outcome.implied.is_empty()
        && let Some(bucket) = bucket_of(world, &request.resource)
    {
        let context = if bucket.bucket_key {
            bucket.arn()
        } else {
            request.resource.clone()
        };
        push_filled(&mut out, "kms:ViaService", bucket.kms_via_service());
        push_filled(&mut out, "kms:EncryptionContext:aws:s3:arn", context);
    }
    for key in condition_keys(world, outcome) {
        if !out.iter().any(|e| e.key.eq_ignore_ascii_case(&key)) {
            let value = filled_by_engine(&key, request, outcome);
            out.push(ContextEntry {
                filled: value.is_some(),
                key,
                value,
            });
        }
    }
    out
}

fn push_filled(out: &mut Vec<ContextEntry>, key: &str, value: String) {
    if !out.iter().any(|e| e.key.eq_ignore_ascii_case(key)) {
        out.push(ContextEntry {
            key: key.to_string(),
            value: Some(value),
            filled: true,
        });
    }
}

/// Keys every call carries, filled from the caller (evaluation.md §2).
fn filled_by_engine(key: &str, request: &Request, outcome: &Outcome) -> Option<String> {
    let caller = &request.caller;
    match key.to_ascii_lowercase().as_str() {
        "aws:principalarn" => Some(caller.principal_arn().to_string()),
        "aws:principalaccount" => Some(caller.account.clone()),
        "kms:calleraccount"
            if request.action.starts_with("kms:") || !outcome.implied.is_empty() =>
        {
            Some(caller.account.clone())
        }
        _ => None,
    }
}

fn bucket_of<'w>(world: &'w World, resource: &str) -> Option<&'w Bucket> {
    let rest = resource.strip_prefix("arn:aws:s3:::")?;
    let name = rest.split('/').next()?;
    world.buckets.iter().find(|b| b.name == name)
}

/// The condition keys of every policy consulted for `outcome` and its
/// implied calls, in the order first read.
fn condition_keys(world: &World, outcome: &Outcome) -> Vec<String> {
    let mut sources: Vec<PolicySource> = Vec::new();
    collect_sources(outcome, &mut sources);
    let mut keys: Vec<String> = Vec::new();
    for source in sources {
        let Some(policy) = source.policy(world) else {
            continue;
        };
        for st in &policy.statements {
            for c in &st.conditions {
                if !keys.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                    keys.push(c.key.clone());
                }
            }
        }
    }
    keys
}

fn collect_sources(outcome: &Outcome, out: &mut Vec<PolicySource>) {
    for t in &outcome.trace {
        if !out.contains(&t.source) {
            out.push(t.source);
        }
    }
    for i in &outcome.implied {
        collect_sources(i, out);
    }
}

fn show(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::List(items) => format!("[{}]", items.join(", ")),
    }
}
