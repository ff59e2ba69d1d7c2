//! Sentences for the decisions of evaluation.md §6: an RCP's deny, and a
//! service principal that no resource policy names.

use super::outcome::{Outcome, OwnerRef, TraceEntry};
use crate::core::policy::Statement;
use crate::core::policy::condition::BaseOperator;
use crate::core::policy::principal::Caller;
use crate::core::world::World;

/// `statement "Sid" (lines 3–9)`.
fn statement_words(t: &TraceEntry, world: &World) -> String {
    let mut s = match t.statement_label(world) {
        Some(label) if label.starts_with('#') => format!("statement {label}"),
        Some(label) => format!("statement \"{label}\""),
        None => "a statement".to_string(),
    };
    match t.lines(world) {
        Some((a, b)) if a == b => s.push_str(&format!(", line {a}")),
        Some((a, b)) => s.push_str(&format!(", lines {a}–{b}")),
        None => {}
    }
    s
}

/// Whom a deny statement's conditions single out, when they test one of
/// the perimeter keys in the usual negated form ("callers outside
/// o-a1b2c3d4e5"); `None` for any other statement.
fn whom(st: &Statement) -> Option<String> {
    st.conditions.iter().find_map(|c| {
        let values = c.values.join(" or ");
        let negated = c.operator.base.is_negated();
        match c.key_lower.as_str() {
            "aws:principalorgid" if negated => Some(format!("callers outside {values}")),
            "aws:principalaccount" if negated => {
                Some(format!("callers from accounts other than {values}"))
            }
            "aws:sourceorgid" if negated => Some(format!(
                "AWS services acting for resources outside {values}"
            )),
            "aws:sourceaccount" if negated => Some(format!(
                "AWS services acting for accounts other than {values}"
            )),
            "aws:securetransport" if c.operator.base == BaseOperator::Bool => {
                Some("requests made without TLS".to_string())
            }
            _ => None,
        }
    })
}

/// An explicit deny by an RCP: which RCP of which account, whom it keeps
/// out, and why no key or bucket policy can let the caller back in.
pub(super) fn rcp_deny(t: &TraceEntry, world: &World, o: &Outcome) -> String {
    let statement = t.statement(world);
    let who = statement
        .and_then(whom)
        .unwrap_or_else(|| format!("{} on this resource", o.action));
    let change = if statement.is_some_and(|s| !s.conditions.is_empty()) {
        "to let this caller in, exempt it in that statement's condition"
    } else {
        "the statement has no condition, so it denies every caller: narrow its actions or add a condition that exempts the callers to let through"
    };
    format!(
        "Explicitly denied: the organization's resource control policy {} denies {who} ({}). An RCP caps every request for the account's keys and buckets, whatever their key or bucket policy allows, and no Allow overrides it; {change}.",
        t.label(world),
        statement_words(t, world)
    )
}

/// A service principal that no resource policy lets in: it has no identity
/// policies, so the key or bucket policy must name it, and should pin the
/// calls to the caller's own resources against the confused deputy.
pub(super) fn service_not_named(
    o: &Outcome,
    owner: OwnerRef,
    world: &World,
    caller: &Caller,
) -> String {
    let service = &caller.arn;
    let place = match owner {
        OwnerRef::Key(k) => world
            .keys
            .get(k)
            .map(|k| format!("key policy of {}", k.arn)),
        OwnerRef::Bucket(b) => world
            .buckets
            .get(b)
            .map(|b| format!("bucket policy of {}", b.name)),
        OwnerRef::None => None,
    }
    .unwrap_or_else(|| "resource's policy".to_string());
    format!(
        "No statement of the {place} lets the service principal {service} call {} (with its conditions met), and an AWS service has no identity policies of its own; add a statement there with \"Principal\": {{\"Service\": \"{service}\"}} and a condition on aws:SourceArn or aws:SourceAccount so that the service acts only for your own resources (the confused deputy).",
        o.action
    )
}
