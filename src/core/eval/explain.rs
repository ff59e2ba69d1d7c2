//! One sentence per decision: what decided it and, when denied, what to
//! change and where. The tutor shows these verbatim, so they name accounts,
//! principals, policies and statements concretely. Sentences are built on
//! demand from an [`Outcome`]'s facts, never during evaluation.

use super::near::{NearMiss, Seen, names_someone_else, same_service};
use super::outcome::{Missing, Outcome, OwnerRef, PolicyOutcome, TraceEntry, Why};
use crate::core::policy::principal::Caller;
use crate::core::policy::{PolicyKind, Statement};
use crate::core::world::{Key, Manager, World};

/// The sentence for `o`, whose caller is `caller`.
pub(super) fn sentence(o: &Outcome, world: &World, caller: &Caller) -> String {
    match &o.why {
        Why::NotFound(nf) if nf.bare_name => format!(
            "Not found: {}. From another account, name the key by its key ARN or alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME) in the {} call.",
            nf.message, o.action
        ),
        Why::NotFound(nf) => format!(
            "Not found: {}; check the ARN in the {} call.",
            nf.message, o.action
        ),
        Why::NotCrossAccount { key } => {
            let key_account = world.keys.get(*key).map_or("?", |k| k.account.as_str());
            format!(
                "{} cannot be used on a KMS key in another account, whatever the policies say: the key belongs to account {key_account} and the caller to account {}. Only cryptographic operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and grant operations cross accounts; this one must be done from account {key_account}.",
                o.action, caller.account
            )
        }
        Why::ExplicitDeny => explicit_deny(o, world),
        Why::InsecureTransport => format!(
            "Refused by S3: {} on an SSE-KMS object must be made over TLS (aws:SecureTransport is false), whatever the policies say; send the request over HTTPS.",
            o.action
        ),
        Why::ImplicitDeny { owner } => implicit_deny(o, *owner, world, caller),
        Why::ImpliedDenied => match o.implied.first() {
            Some(implied) => implied_failed(o, implied, world, caller),
            None => format!("The KMS call that {} needs was denied.", o.action),
        },
        Why::Allowed { root } => match o.implied.first() {
            Some(implied) => format!(
                "Allowed: {} passes {}, and the {} that S3 makes on the caller's behalf passes {}.",
                o.action,
                passes(o, world, *root),
                implied.action,
                passes(implied, world, *root)
            ),
            None => allowed(o, world, *root),
        },
    }
}

/// `the bucket policy of x (statement "S", lines 3–9) and identity policy 1
/// of arn:... (statement "T", line 12)`: the allowing policies of a call.
fn passes(o: &Outcome, world: &World, root: bool) -> String {
    let parts: Vec<String> = o
        .trace
        .iter()
        .filter(|t| {
            t.outcome == PolicyOutcome::Allow
                && matches!(
                    t.kind,
                    PolicyKind::Identity | PolicyKind::KeyPolicy | PolicyKind::BucketPolicy
                )
        })
        .map(|t| {
            let article = if t.kind == PolicyKind::Identity {
                ""
            } else {
                "the "
            };
            let mut s = format!("{article}{} (", t.label(world));
            match t.statement_label(world) {
                Some(l) if l.starts_with('#') => s.push_str(&format!("statement {l}")),
                Some(l) => s.push_str(&format!("statement \"{l}\"")),
                None => s.push_str("a statement"),
            }
            match t.lines(world) {
                Some((a, b)) if a == b => s.push_str(&format!(", line {a}")),
                Some((a, b)) => s.push_str(&format!(", lines {a}–{b}")),
                None => {}
            }
            s.push(')');
            s
        })
        .collect();
    let mut text = parts.join(" and ");
    if root {
        text.push_str(" (the root user needs no identity policy)");
    }
    if text.is_empty() {
        text = "every policy consulted".to_string();
    }
    text
}

/// `statement "Sid" (lines 3–9) of the key policy of arn:...`.
fn statement_ref(t: &TraceEntry, world: &World) -> String {
    let mut s = match t.statement_label(world) {
        Some(label) if label.starts_with('#') => format!("statement {label}"),
        Some(label) => format!("statement \"{label}\""),
        None => "a statement".to_string(),
    };
    match t.lines(world) {
        Some((a, b)) if a == b => s.push_str(&format!(" (line {a})")),
        Some((a, b)) => s.push_str(&format!(" (lines {a}–{b})")),
        None => {}
    }
    // "of identity policy 1 of ..." but "of the key policy of ...".
    let article = match t.kind {
        PolicyKind::KeyPolicy | PolicyKind::BucketPolicy | PolicyKind::Boundary => "the ",
        _ => "",
    };
    s.push_str(&format!(" of {article}{}", t.label(world)));
    s
}

fn cap_first(s: &str) -> String {
    match s.chars().next() {
        Some(f) => f.to_uppercase().collect::<String>() + &s[f.len_utf8()..],
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    match s.chars().next() {
        Some(f) => f.to_lowercase().collect::<String>() + &s[f.len_utf8()..],
        None => String::new(),
    }
}

fn explicit_deny(o: &Outcome, world: &World) -> String {
    match o.trace.iter().find(|t| t.outcome == PolicyOutcome::Deny) {
        Some(t) if t.kind == PolicyKind::Rcp => super::explain_org::rcp_deny(t, world, o),
        Some(t) => format!(
            "Explicitly denied by {}: a Deny that matches overrides every Allow, so remove or narrow that statement (its action, resource or condition) if {} should be allowed.",
            statement_ref(t, world),
            o.action
        ),
        None => match o.implied.first() {
            Some(implied) => format!(
                "S3 would allow {}, but the {} call it makes to KMS on the caller's behalf is denied: {}",
                o.action,
                implied.action,
                lower_first(&explicit_deny(implied, world))
            ),
            None => format!("Explicitly denied: a Deny statement matches {}.", o.action),
        },
    }
}

fn implied_failed(o: &Outcome, implied: &Outcome, world: &World, caller: &Caller) -> String {
    format!(
        "S3 would allow {}, but the {} call it makes to KMS on the caller's behalf is denied: {}",
        o.action,
        implied.action,
        lower_first(&sentence(implied, world, caller))
    )
}

fn managed_key_sentence(key: &Key, service: &str, o: &Outcome, caller: &Caller) -> String {
    let alias = key
        .aliases
        .first()
        .cloned()
        .unwrap_or_else(|| format!("alias/aws/{service}"));
    if o.cross_account {
        format!(
            "{} is an AWS managed key ({alias}): its fixed policy lets only principals of account {} use it, and only through {service}, so it can never be shared with account {}. Encrypt the data under a customer managed key whose key policy trusts account {} instead.",
            key.arn, key.account, caller.account, caller.account
        )
    } else {
        format!(
            "{} is an AWS managed key ({alias}): its fixed policy allows {} only through {service} (kms:ViaService = {service}.{}.amazonaws.com), never as a direct call, and you cannot change that policy.",
            key.arn, o.action, key.region
        )
    }
}

fn implicit_deny(o: &Outcome, owner: OwnerRef, world: &World, caller: &Caller) -> String {
    if caller.is_service() {
        return super::explain_org::service_not_named(o, owner, world, caller);
    }
    let who = caller.describe();
    let acct = &caller.account;
    let principal_arn = caller.principal_arn();
    let key = match owner {
        OwnerRef::Key(k) => world.keys.get(k),
        _ => None,
    };
    if let Some(key) = key
        && let Manager::Aws { service } = &key.manager
        && (o.missing.contains(&Missing::Resource) || o.missing.contains(&Missing::KeyPolicyRoot))
    {
        return managed_key_sentence(key, service, o, caller);
    }
    let resource_arn = o.resolved.as_deref().unwrap_or(&o.resource);
    let bucket = match owner {
        OwnerRef::Bucket(b) => world.buckets.get(b),
        _ => None,
    };
    let owner_policy = match (key, bucket) {
        (Some(k), _) => format!("key policy of {} in account {}", k.arn, k.account),
        (None, Some(b)) if b.policy.is_some() => {
            format!("bucket policy of {} in account {}", b.name, b.account)
        }
        (None, Some(b)) => format!(
            "bucket {} in account {} (it has no bucket policy, and that policy is where other accounts are let in)",
            b.name, b.account
        ),
        (None, None) => "resource's policy".to_string(),
    };
    let identity_half = format!(
        "account {acct}'s identity policies for {who} have no statement allowing {} on {resource_arn}",
        o.action
    );
    if let Some(text) = near_sentence(o, world, caller, &owner_policy) {
        return text;
    }
    match o.missing.first().copied() {
        Some(Missing::Scp) => format!(
            "No service control policy of account {acct} allows {}: SCPs cap every identity in the account, its root user included, so an SCP must allow it too.",
            o.action
        ),
        Some(Missing::Resource) if o.missing.contains(&Missing::Identity) => format!(
            "Neither half of the cross-account handshake is in place: the {owner_policy} does not allow {who} or account {acct} to call {}, and {identity_half}; add a statement to both.",
            o.action
        ),
        Some(Missing::Resource) => {
            let other_half = if o.missing.len() == 1 {
                " (the identity-policy half is already in place)"
            } else {
                ""
            };
            format!(
                "The {owner_policy} does not allow {who} or account {acct} to call {}; add a statement there naming {principal_arn} (or the account, arn:aws:iam::{acct}:root){other_half}.",
                o.action
            )
        }
        Some(Missing::Identity) if o.cross_account => format!(
            "{}; add one there (the {owner_policy} already trusts it: both halves of the handshake are needed).",
            cap_first(&identity_half)
        ),
        Some(Missing::Identity) => match (key, bucket) {
            (Some(_), _) => format!(
                "{}; add one there (the key policy delegates to account {acct}, so an identity policy must grant the use).",
                cap_first(&identity_half)
            ),
            (None, Some(b)) => format!(
                "Nothing allows {} on {resource_arn}: neither an identity policy of {who} nor the bucket policy of {} has a matching Allow; within one account either one is enough, so add a statement to one of them.",
                o.action, b.name
            ),
            (None, None) => format!("{}; add one there.", cap_first(&identity_half)),
        },
        Some(Missing::Boundary) => format!(
            "The permissions boundary of {who} does not allow {} on {resource_arn}; a boundary caps what identity policies (and grants to the role ARN) can give, so add it to the boundary.",
            o.action
        ),
        Some(Missing::KeyPolicyRoot) => {
            let key_account = key.map_or(acct.as_str(), |k| k.account.as_str());
            format!(
                "The {owner_policy} neither names {who} nor delegates to account {key_account} (a statement with Principal arn:aws:iam::{key_account}:root), and IAM policies alone never grant use of a KMS key; add one of the two to the key policy."
            )
        }
        None => format!("No policy allows {} on {resource_arn}.", o.action),
    }
}

/// The trace entries that could supply a missing half.
fn supplies(t: &TraceEntry, half: Missing, cross: bool) -> bool {
    match half {
        Missing::Identity => {
            t.kind == PolicyKind::Identity || (!cross && t.kind == PolicyKind::BucketPolicy)
        }
        Missing::Boundary => t.kind == PolicyKind::Boundary,
        Missing::Scp => t.kind == PolicyKind::Scp,
        Missing::Resource | Missing::KeyPolicyRoot => {
            matches!(t.kind, PolicyKind::KeyPolicy | PolicyKind::BucketPolicy)
        }
    }
}

/// The near miss to teach from for one missing half: its trace entry and
/// the statement. Only statements that cover the caller (or misspell its
/// ARN) count: one that names someone else (a key's administrators) is not
/// the learner's statement, and the usual advice (add one naming the
/// caller) stands.
fn nearest_for<'o>(
    o: &'o Outcome,
    world: &World,
    caller: &Caller,
    half: Missing,
) -> Option<(&'o TraceEntry, &'o NearMiss)> {
    let found: Vec<(&TraceEntry, &NearMiss)> = o
        .trace
        .iter()
        .enumerate()
        .filter(|(_, t)| t.outcome == PolicyOutcome::NoMatch && supplies(t, half, o.cross_account))
        .flat_map(|(i, t)| o.near_misses(i).iter().map(move |m| (t, m)))
        .filter(|(t, m)| {
            t.statement_at(world, m.statement)
                .is_some_and(|s| same_service(m, s, &o.action) && !names_someone_else(m, s, caller))
        })
        .collect();
    found
        .iter()
        .min_by_key(|(_, m)| (m.misses_principal(), m.failed.len()))
        .copied()
}

/// `statement "AllowB" (lines 14–25)`.
fn statement_at<'w>(
    t: &TraceEntry,
    index: usize,
    world: &'w World,
) -> Option<(String, &'w Statement)> {
    let s = t.source.policy(world)?.statements.get(index)?;
    let label = s.label();
    let mut text = if label.starts_with('#') {
        format!("statement {label}")
    } else {
        format!("statement \"{label}\"")
    };
    match s.lines {
        Some((a, b)) if a == b => text.push_str(&format!(" (line {a})")),
        Some((a, b)) => text.push_str(&format!(" (lines {a}–{b})")),
        None => {}
    }
    Some((text, s))
}

/// For an implicit deny whose missing half has a near miss: names the
/// statement, its first failing part, and what to change there.
fn near_sentence(
    o: &Outcome,
    world: &World,
    caller: &Caller,
    owner_policy: &str,
) -> Option<String> {
    let half = *o.missing.first()?;
    let (t, m) = nearest_for(o, world, caller, half)?;
    let (name, s) = statement_at(t, m.statement, world)?;
    let first = m.failed.first()?;
    let seen = Seen {
        action: &o.action,
        resource: o.resolved.as_deref().unwrap_or(&o.resource),
        caller,
    };
    let policy = match t.kind {
        PolicyKind::KeyPolicy | PolicyKind::BucketPolicy => format!("the {owner_policy}"),
        PolicyKind::Boundary => format!("the {}", t.label(world)),
        _ => t.label(world),
    };
    let parts = match m.failed.len() {
        1 => format!("only on its {}", first.element()),
        n => format!("on {n} parts, first its {}", first.element()),
    };
    let mut text = format!(
        "{} does not allow {} to call {} yet: its nearest {name} fails {parts} ({}); {} there",
        cap_first(&policy),
        caller.describe(),
        o.action,
        first.detail(s, seen),
        first.change(s, seen),
    );
    if m.failed.len() > 1 {
        let rest: Vec<String> = m.failed[1..].iter().map(|f| f.change(s, seen)).collect();
        text.push_str(&format!(", and {}", rest.join(", and ")));
    }
    // At most two halves are missing (a resource policy and an identity
    // policy or boundary): the other one is named here.
    match o.missing.get(1) {
        Some(other) => text.push_str(&match other_half(o, world, caller, seen, *other) {
            Some(clause) => format!(". The other half is missing too: {clause}."),
            None => ". The other half is missing too.".to_string(),
        }),
        None if o.cross_account && half == Missing::Resource => {
            text.push_str(" (the identity-policy half is already in place).")
        }
        None => text.push('.'),
    }
    Some(text)
}

/// What to do about the other missing half: "in POLICY, CHANGE in
/// STATEMENT", or "no X allows A; add a statement there"; `None` when its
/// near statement cannot be shown.
fn other_half(
    o: &Outcome,
    world: &World,
    caller: &Caller,
    seen: Seen<'_>,
    other: Missing,
) -> Option<String> {
    match nearest_for(o, world, caller, other) {
        Some((t2, m2)) => {
            let (n2, s2) = statement_at(t2, m2.statement, world)?;
            let change = m2.failed.first()?.change(s2, seen);
            Some(format!("in {}, {change} in {n2}", t2.label(world)))
        }
        None => Some(format!(
            "no {} allows {}; add a statement there",
            other_half_name(other),
            o.action
        )),
    }
}

fn other_half_name(half: Missing) -> &'static str {
    match half {
        Missing::Identity => "identity policy of the caller",
        Missing::Boundary => "permissions boundary",
        Missing::Scp => "service control policy",
        Missing::Resource | Missing::KeyPolicyRoot => "resource policy",
    }
}

fn allowed(o: &Outcome, world: &World, root: bool) -> String {
    let resource = o.trace.iter().find(|t| {
        matches!(t.kind, PolicyKind::KeyPolicy | PolicyKind::BucketPolicy)
            && t.outcome == PolicyOutcome::Allow
    });
    let identity = o
        .trace
        .iter()
        .find(|t| t.kind == PolicyKind::Identity && t.outcome == PolicyOutcome::Allow);
    let action = &o.action;
    let identity_text = match (root, identity) {
        (true, _) => {
            "the caller is the account's root user, who needs no identity policy".to_string()
        }
        (false, Some(i)) => statement_ref(i, world),
        (false, None) => "no identity policy was needed".to_string(),
    };
    match (o.cross_account, resource, identity) {
        (true, Some(r), _) if root => format!(
            "Allowed: {} trusts the caller's account, and the caller is that account's root user, who needs no identity policy.",
            statement_ref(r, world)
        ),
        (true, Some(r), _) => format!(
            "Allowed: both halves of the handshake are in place: {} trusts the caller, and {identity_text} allows {action}.",
            statement_ref(r, world)
        ),
        (false, Some(r), Some(i)) if r.kind == PolicyKind::KeyPolicy => format!(
            "Allowed: {} delegates to the account's IAM policies, and {} allows {action}.",
            statement_ref(r, world),
            statement_ref(i, world)
        ),
        (false, Some(r), None) => format!(
            "Allowed: {} grants {action} to the caller.",
            statement_ref(r, world)
        ),
        (false, Some(r), Some(i)) => format!(
            "Allowed: {} allows {action} (and {} allows it as well).",
            statement_ref(i, world),
            statement_ref(r, world)
        ),
        (_, None, Some(i)) => format!("Allowed: {} allows {action}.", statement_ref(i, world)),
        _ => format!("Allowed: {identity_text}."),
    }
}
