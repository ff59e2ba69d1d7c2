//! Near misses: for a policy that did not match a request, the Allow
//! statements that almost did, and every part of each that failed.
//!
//! A learner's policy is usually one part away from right (a typo in an
//! action, a bucket ARN without its object path, a condition value from the
//! wrong account), so the tutor names that part instead of telling the
//! learner to add a statement that is already there.

use crate::core::diag::suggest;
use crate::core::policy::catalog::catalog;
use crate::core::policy::condition::{BaseOperator, ContextValue, holds};
use crate::core::policy::document::Context;
use crate::core::policy::principal::{Caller, PrincipalEntry};
use crate::core::policy::{Effect, Policy, Statement};

/// At most this many near misses are reported per policy.
pub const MAX_NEAR_MISSES: usize = 3;

/// One part of a statement that did not hold for the request.
#[derive(Debug, Clone, PartialEq)]
pub enum Failed {
    /// `Action` / `NotAction` does not cover the request's action.
    Action,
    /// `Resource` / `NotResource` does not cover the request's resource.
    Resource,
    /// `Principal` / `NotPrincipal` does not cover the caller.
    Principal,
    /// One operator–key pair of the `Condition` block did not hold.
    Condition {
        /// Index into the statement's `conditions`.
        index: usize,
        /// The request's value for the key, `None` when absent.
        got: Option<ContextValue>,
    },
}

/// An Allow statement of a policy that almost matched.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// The statement's index in its policy.
    pub statement: usize,
    /// Every part that failed, in the order action, resource, principal,
    /// conditions.
    pub failed: Vec<Failed>,
}

/// What a policy is asked about, for near misses.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The caller.
    pub caller: &'a Caller,
    /// The action, lowercased.
    pub action_lower: &'a str,
    /// The resource ARN as policies see it (the key ARN for a key).
    pub resource_arn: &'a str,
}

/// The near misses of `policy` for a request it did not match: at most
/// [`MAX_NEAR_MISSES`] Allow statements of which at least one part holds,
/// fewest failing parts first, then by position.
pub fn near_misses(policy: &Policy, asked: Asked<'_>, ctx: &dyn Context) -> Vec<NearMiss> {
    let mut found: Vec<NearMiss> = Vec::new();
    for s in &policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(miss) = assess_statement(s, policy, asked, ctx) else {
            continue;
        };
        // Keep the list sorted and short: a policy with hundreds of
        // statements costs one comparison per statement, not a sort.
        let at = found
            .iter()
            .position(|m| m.failed.len() > miss.failed.len())
            .unwrap_or(found.len());
        if at < MAX_NEAR_MISSES {
            found.insert(at, miss);
            found.truncate(MAX_NEAR_MISSES);
        }
    }
    found
}

/// The failing parts of one Allow statement, or `None` when none holds or
/// none fails.
fn assess_statement(
    s: &Statement,
    policy: &Policy,
    asked: Asked<'_>,
    ctx: &dyn Context,
) -> Option<NearMiss> {
    let mut failed = Vec::new();
    let mut parts = 2 + s.conditions.len();
    if !s.matches_action(asked.action_lower) {
        failed.push(Failed::Action);
    }
    if !s.matches_resource(asked.resource_arn) {
        failed.push(Failed::Resource);
    }
    if policy.kind.is_resource_policy() {
        parts += 1;
        // An account principal holds by delegating to the caller's account.
        let holds_p = s
            .principal
            .as_ref()
            .is_some_and(|p| p.allow_grants(asked.caller).any());
        if !holds_p {
            failed.push(Failed::Principal);
        }
    }
    for (index, c) in s.conditions.iter().enumerate() {
        let got = ctx.get(&c.key_lower);
        if !holds(&c.operator, &c.values, got) {
            failed.push(Failed::Condition {
                index,
                got: got.cloned(),
            });
        }
    }
    (!failed.is_empty() && failed.len() < parts).then_some(NearMiss {
        statement: s.index,
        failed,
    })
}

impl NearMiss {
    /// True if the statement's principal part failed.
    pub fn misses_principal(&self) -> bool {
        self.failed.contains(&Failed::Principal)
    }
}

/// True if the near miss names someone else than the caller: its
/// principal fails, and not by a misspelling of the caller's ARN. A key's
/// administrator statement (`kms:*` for its own account) is one part away
/// from every request of another account; a statement for `role/readr`
/// is the learner's statement for `role/reader`.
pub fn names_someone_else(m: &NearMiss, s: &Statement, caller: &Caller) -> bool {
    m.misses_principal() && misspelt_principal(s, caller).is_none()
}

/// True if a near miss is about the request's service: its action part
/// holds, it names another action of the same service, or its NotAction
/// lists the action itself. A statement for S3 that happens to cover the
/// key's ARN is not one to add kms:Decrypt to.
pub fn same_service(m: &NearMiss, s: &Statement, action: &str) -> bool {
    if !m.failed.contains(&Failed::Action) {
        return true;
    }
    let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
    if s.actions.negated {
        // A NotAction that lists the action by name: taking it out is the
        // repair (a pattern such as kms:* is not one entry to take out).
        return s
            .actions
            .patterns
            .iter()
            .any(|p| p.eq_ignore_ascii_case(action));
    }
    s.actions
        .patterns
        .iter()
        .any(|p| p.split(':').next() == Some(service.as_str()))
}

/// The near miss to teach from: the nearest one that already covers the
/// caller, else the nearest. A key's administrator statement (`kms:*` for
/// its own account) is one part away from every request of another account,
/// and pointing at it would teach handing out administration.
pub fn preferred(misses: &[NearMiss]) -> Option<&NearMiss> {
    misses
        .iter()
        .find(|m| !m.misses_principal())
        .or_else(|| misses.first())
}

/// A context value as the list of strings the JSON shows.
pub fn values_of(v: &ContextValue) -> Vec<String> {
    match v {
        ContextValue::String(s) => vec![s.clone()],
        ContextValue::Bool(b) => vec![b.to_string()],
        ContextValue::Number(n) => vec![number_text(*n)],
        ContextValue::List(l) => l.clone(),
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// What a near miss is measured against: the request as the policy saw it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The action as requested.
    pub action: &'a str,
    /// The resource as the policy saw it (the key ARN for a key).
    pub resource: &'a str,
    /// The caller.
    pub caller: &'a Caller,
}

impl Failed {
    /// `action`, `resource`, `principal` or `condition`.
    pub fn element(&self) -> &'static str {
        match self {
            Failed::Action => "action",
            Failed::Resource => "resource",
            Failed::Principal => "principal",
            Failed::Condition { .. } => "condition",
        }
    }

    /// The request's values for a failing condition's key (`None` when
    /// absent, or for another element).
    pub fn got(&self) -> Option<Vec<String>> {
        match self {
            Failed::Condition { got: Some(v), .. } => Some(values_of(v)),
            _ => None,
        }
    }

    /// One sentence: what the statement says and what the request has.
    pub fn detail(&self, s: &Statement, seen: Seen<'_>) -> String {
        match self {
            Failed::Action => action_detail(s, seen.action),
            Failed::Resource => resource_detail(s, seen.resource),
            Failed::Principal => principal_detail(s, seen.caller),
            Failed::Condition { index, got } => match s.conditions.get(*index) {
                Some(c) => condition_detail(c, got.as_ref()),
                None => "a condition of the statement does not hold".to_string(),
            },
        }
    }

    /// What to change in the statement so this part holds, as an
    /// imperative clause ("add kms:Decrypt to its Action").
    pub fn change(&self, s: &Statement, seen: Seen<'_>) -> String {
        match self {
            Failed::Action => match typo_of(s, seen.action) {
                Some(t) => format!("correct {t} to {} in its Action", seen.action),
                None if s.actions.negated => {
                    format!("take {} out of its NotAction", seen.action)
                }
                None => format!("add {} to its Action", seen.action),
            },
            Failed::Resource => match &s.resources {
                Some(spec) if spec.negated => {
                    format!("take {} out of its NotResource", seen.resource)
                }
                Some(spec) => match spec
                    .patterns
                    .iter()
                    .find(|p| p.as_str().contains(":alias/"))
                {
                    Some(alias) => format!(
                        "replace the alias {} with the key ARN {} in its Resource",
                        alias.as_str(),
                        seen.resource
                    ),
                    None => format!("list {} in its Resource", seen.resource),
                },
                None => format!("add \"Resource\" naming {} to it", seen.resource),
            },
            Failed::Principal => match misspelt_principal(s, seen.caller) {
                Some(bad) => format!(
                    "correct {bad} to {} in its Principal",
                    seen.caller.principal_arn()
                ),
                None => format!("name {} in its Principal", seen.caller.arn),
            },
            Failed::Condition { index, got } => {
                let Some(c) = s.conditions.get(*index) else {
                    return "fix its Condition".to_string();
                };
                let op = c.operator.name();
                match (got, c.operator.base) {
                    (_, BaseOperator::Null) => {
                        format!("make its Null test on {} say \"{}\"", c.key, got.is_none())
                    }
                    (None, _) => match catalog().nearest_key(&c.key) {
                        Some(k) => format!(
                            "correct the misspelt key {} to {k} in its Condition, or drop that {op} test",
                            c.key
                        ),
                        None => format!("send {} with the request, or drop that {op} test", c.key),
                    },
                    (Some(_), _) if c.operator.is_negated() => format!(
                        "take {} out of its {op} values for {}",
                        show_values(&self.got().unwrap_or_default()),
                        c.key
                    ),
                    (Some(_), _) if is_comparison(c.operator.base) => format!(
                        "if {} should pass, move the limit of its {op} test on {} to admit it",
                        show_values(&self.got().unwrap_or_default()),
                        c.key
                    ),
                    (Some(_), _) => format!(
                        "if the request is right, let {} be {} in its {op} test",
                        c.key,
                        show_values(&self.got().unwrap_or_default())
                    ),
                }
            }
        }
    }
}

/// Numeric and date comparisons (not equality): the value to write is a
/// limit, not the request's value.
fn is_comparison(base: BaseOperator) -> bool {
    use BaseOperator::*;
    matches!(
        base,
        NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals
    )
}

/// `a`, `a or b`, `a, b or c`.
fn show_values(values: &[String]) -> String {
    match values {
        [] => "(nothing)".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The statement's action pattern that looks like a misspelling of
/// `action` (no wildcard, not matching, a small edit away).
pub fn typo_of<'s>(s: &'s Statement, action: &str) -> Option<&'s str> {
    if s.actions.negated {
        return None;
    }
    let lower = action.to_ascii_lowercase();
    s.actions
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.contains(['*', '?']) && **p != lower)
        // The catalog is consulted only for a name close to the action.
        .filter(|(_, p)| suggest(p, [lower.as_str()]).is_some())
        .find(|(_, p)| !catalog().action(p).is_known())
        .map(|(i, _)| s.actions.shown(i))
}

fn action_detail(s: &Statement, action: &str) -> String {
    let list = (0..s.actions.patterns.len())
        .map(|i| s.actions.shown(i))
        .collect::<Vec<_>>()
        .join(", ");
    if s.actions.negated {
        return format!("NotAction lists {list}, which excludes {action}");
    }
    match typo_of(s, action) {
        Some(t) => format!("Action lists {t}, a misspelling of {action}"),
        None => format!("Action lists {list}, none of which covers {action}"),
    }
}

fn resource_detail(s: &Statement, resource: &str) -> String {
    let Some(spec) = &s.resources else {
        return "the statement has no Resource, so it applies to nothing".to_string();
    };
    let list: Vec<&str> = spec.patterns.iter().map(|p| p.as_str()).collect();
    if spec.negated {
        return format!(
            "NotResource lists {}, which excludes {resource}",
            list.join(", ")
        );
    }
    let bucket_only = list.iter().find(|p| {
        resource
            .strip_prefix(**p)
            .is_some_and(|r| r.starts_with('/'))
    });
    match bucket_only {
        Some(b) => format!(
            "Resource is the bucket ARN {b}, but {resource} is an object in it: objects are named {b}/KEY"
        ),
        None if list.iter().any(|p| p.contains(":alias/")) => format!(
            "Resource lists {}, but an IAM policy must name the key by its key ARN {resource}, not an alias",
            list.join(", ")
        ),
        None => format!(
            "Resource lists {}, none of which covers {resource}",
            list.join(", ")
        ),
    }
}

/// A statement's principal entries as ARNs (`*` for everyone).
fn principal_names(s: &Statement) -> Vec<String> {
    let Some(p) = &s.principal else {
        return Vec::new();
    };
    p.entries
        .iter()
        .map(|e| match e {
            PrincipalEntry::Everyone => "*".to_string(),
            PrincipalEntry::Account(a) => format!("arn:aws:iam::{a}:root"),
            PrincipalEntry::User(a)
            | PrincipalEntry::Role(a)
            | PrincipalEntry::Session(a)
            | PrincipalEntry::Service(a)
            | PrincipalEntry::Other(a) => a.clone(),
        })
        .collect()
}

/// Whether a Principal entry looks like a misspelling of `named` (the
/// caller's role or user ARN): an ARN of the same account a few
/// characters away (`role/readr` for `role/reader`).
pub fn misspells(entry: &str, named: &str) -> bool {
    // `arn:aws:iam::ACCOUNT` and `role` (or `user`) must agree; the names
    // must be a typo apart: a letter or two, and neither a prefix of the
    // other (`alice` and `alice2`, `app` and `app-admin` are names of
    // their own). The parts are compared before anything is allocated.
    let (Some((eh, ek, en)), Some((nh, nk, nn))) = (arn_parts(entry), arn_parts(named)) else {
        return false;
    };
    if eh != nh || ek != nk || nn.chars().count() < 4 {
        return false;
    }
    let (en, nn) = (en.to_lowercase(), nn.to_lowercase());
    en != nn
        && !en.starts_with(&nn)
        && !nn.starts_with(&en)
        && crate::core::diag::near_enough(&en, &nn).is_some_and(|d| d <= 2)
}

/// `arn:aws:iam::ACCOUNT`, `role` and the last part of the name of an
/// IAM principal ARN.
fn arn_parts(arn: &str) -> Option<(&str, &str, &str)> {
    let (head, rest) = arn.rsplit_once(':')?;
    let (kind, name) = rest.split_once('/')?;
    Some((head, kind, name.rsplit('/').next()?))
}

/// The statement's principal entry that misspells the caller's ARN.
pub fn misspelt_principal(s: &Statement, caller: &Caller) -> Option<String> {
    let p = s.principal.as_ref().filter(|p| !p.negated)?;
    let named = caller.principal_arn();
    p.entries
        .iter()
        .filter_map(|e| match e {
            PrincipalEntry::User(a) | PrincipalEntry::Role(a) | PrincipalEntry::Session(a) => {
                Some(a.as_str())
            }
            _ => None,
        })
        .find(|e| misspells(e, named))
        .map(str::to_string)
}

fn principal_detail(s: &Statement, caller: &Caller) -> String {
    let who = caller.principal_arn();
    let Some(p) = &s.principal else {
        return format!("the statement names no principal, so it does not cover {who}");
    };
    let names = principal_names(s);
    if let Some(bad) = misspelt_principal(s, caller) {
        return format!("Principal names {bad}, a misspelling of {who}");
    }
    if p.negated {
        return format!(
            "NotPrincipal lists {}, which leaves out {who}",
            names.join(", ")
        );
    }
    format!(
        "Principal names {}, not {who} nor its account {}",
        names.join(", "),
        caller.account
    )
}

fn condition_detail(
    c: &crate::core::policy::document::Condition,
    got: Option<&ContextValue>,
) -> String {
    let key = &c.key;
    let op = c.operator.name();
    let wanted = show_values(&c.values);
    match (got, c.operator.base) {
        (None, BaseOperator::Null) => {
            format!("{key} is absent from the request, and Null {wanted} wants it present")
        }
        (Some(_), BaseOperator::Null) => {
            format!("{key} is present in the request, and Null {wanted} wants it absent")
        }
        (None, _) => match catalog().nearest_key(key) {
            Some(k) => format!(
                "{key} is not a condition key AWS defines (did you mean {k}?), so no request carries it, and {op} wants {wanted}"
            ),
            None => format!("{key} is absent from the request, and {op} wants {wanted}"),
        },
        (Some(v), _) => {
            let got = show_values(&values_of(v));
            if c.operator.is_negated() {
                format!("{key} is {got}, which {op} excludes ({wanted})")
            } else {
                format!("{key} is {got}, the statement wants {op} {wanted}")
            }
        }
    }
}
