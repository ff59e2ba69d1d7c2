//! One sentence per decision: what decided it and, when denied, what to
//! change and where. The tutor shows these verbatim, so they name accounts,
//! principals, policies and statements concretely.

use super::outcome::{Missing, Outcome, PolicyOutcome, TraceEntry};
use super::resolve::NotFound;
use crate::core::policy::PolicyKind;
use crate::core::policy::principal::Caller;
use crate::core::world::{Key, Manager};

/// What a request's resource belongs to, for sentences.
#[derive(Debug, Clone)]
pub enum Owner {
    /// A KMS key.
    Key(Key),
    /// A bucket: name and owning account.
    Bucket(String, String),
    /// No resource policy applies.
    None,
}

/// `statement "Sid" (lines 3–9) of the key policy of arn:...`.
fn statement_ref(t: &TraceEntry) -> String {
    let mut s = match &t.statement {
        Some(label) if label.starts_with('#') => format!("statement {label}"),
        Some(label) => format!("statement \"{label}\""),
        None => "a statement".to_string(),
    };
    if let Some((a, b)) = t.lines {
        if a == b {
            s.push_str(&format!(" (line {a})"));
        } else {
            s.push_str(&format!(" (lines {a}–{b})"));
        }
    }
    // "of identity policy 1 of ..." but "of the key policy of ...".
    let article = match t.kind {
        PolicyKind::KeyPolicy | PolicyKind::BucketPolicy | PolicyKind::Boundary => "the ",
        _ => "",
    };
    s.push_str(&format!(" of {article}{}", t.policy));
    s
}

fn cap_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn not_found(action: &str, nf: &NotFound) -> String {
    if nf.bare_name {
        format!(
            "Not found: {}. From another account, name the key by its key ARN or alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME) in the {action} call.",
            nf.message
        )
    } else {
        format!(
            "Not found: {}; check the ARN in the {action} call.",
            nf.message
        )
    }
}

pub(super) fn not_cross_account(action: &str, key: &Key, caller: &Caller) -> String {
    format!(
        "{action} cannot be used on a KMS key in another account, whatever the policies say: the key belongs to account {} and the caller to account {}. Only cryptographic operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and grant operations cross accounts; this one must be done from account {}.",
        key.account, caller.account, key.account
    )
}

pub(super) fn explicit_deny(trace: &[TraceEntry], action: &str) -> String {
    match trace.iter().find(|t| t.outcome == PolicyOutcome::Deny) {
        Some(t) => format!(
            "Explicitly denied by {}: a Deny that matches overrides every Allow, so remove or narrow that statement (its action, resource or condition) if {action} should be allowed.",
            statement_ref(t)
        ),
        None => format!("Explicitly denied: a Deny statement matches {action}."),
    }
}

pub(super) fn insecure_transport(action: &str) -> String {
    format!(
        "Refused by S3: {action} on an SSE-KMS object must be made over TLS (aws:SecureTransport is false), whatever the policies say; send the request over HTTPS."
    )
}

/// Everything an implicit-deny sentence needs.
pub(super) struct DenyFacts<'a> {
    pub action: &'a str,
    pub resource_arn: &'a str,
    pub caller: &'a Caller,
    pub owner: Owner,
    pub missing: &'a [Missing],
    pub cross: bool,
}

fn managed_key_sentence(key: &Key, service: &str, facts: &DenyFacts) -> String {
    let alias = key
        .aliases
        .first()
        .cloned()
        .unwrap_or_else(|| format!("alias/aws/{service}"));
    if facts.cross {
        format!(
            "{} is an AWS managed key ({alias}): its fixed policy lets only principals of account {} use it, and only through {service}, so it can never be shared with account {}. Encrypt the data under a customer managed key whose key policy trusts account {} instead.",
            key.arn, key.account, facts.caller.account, facts.caller.account
        )
    } else {
        format!(
            "{} is an AWS managed key ({alias}): its fixed policy allows {} only through {service} (kms:ViaService = {service}.{}.amazonaws.com), never as a direct call, and you cannot change that policy.",
            key.arn, facts.action, key.region
        )
    }
}

pub(super) fn implicit_deny(f: &DenyFacts) -> String {
    let who = f.caller.describe();
    let acct = &f.caller.account;
    let principal_arn = f.caller.principal_arn();
    if let Owner::Key(key) = &f.owner
        && let Manager::Aws { service } = &key.manager
        && (f.missing.contains(&Missing::Resource) || f.missing.contains(&Missing::KeyPolicyRoot))
    {
        return managed_key_sentence(key, service, f);
    }
    let owner_policy = match &f.owner {
        Owner::Key(k) => format!("key policy of {} in account {}", k.arn, k.account),
        Owner::Bucket(name, account) => format!("bucket policy of {name} in account {account}"),
        Owner::None => "resource's policy".to_string(),
    };
    let identity_half = format!(
        "account {acct}'s identity policies for {who} have no statement allowing {} on {}",
        f.action, f.resource_arn
    );
    let first = f.missing.first().copied();
    match first {
        Some(Missing::Scp) => format!(
            "No service control policy of account {acct} allows {}: SCPs cap every identity in the account, its root user included, so an SCP must allow it too.",
            f.action
        ),
        Some(Missing::Resource) if f.missing.contains(&Missing::Identity) => format!(
            "Neither half of the cross-account handshake is in place: the {owner_policy} does not allow {who} or account {acct} to call {}, and {identity_half}; add a statement to both.",
            f.action
        ),
        Some(Missing::Resource) => {
            let other_half = if f.missing.len() == 1 {
                " (the identity-policy half is already in place)"
            } else {
                ""
            };
            format!(
                "The {owner_policy} does not allow {who} or account {acct} to call {}; add a statement there naming {principal_arn} (or the account, arn:aws:iam::{acct}:root){other_half}.",
                f.action
            )
        }
        Some(Missing::Identity) if f.cross => format!(
            "{}; add one there (the {owner_policy} already trusts it: both halves of the handshake are needed).",
            cap_first(&identity_half)
        ),
        Some(Missing::Identity) => match &f.owner {
            Owner::Key(_) => format!(
                "{}; add one there (the key policy delegates to account {acct}, so an identity policy must grant the use).",
                cap_first(&identity_half)
            ),
            Owner::Bucket(name, _) => format!(
                "Nothing allows {} on {}: neither an identity policy of {who} nor the bucket policy of {name} has a matching Allow; within one account either one is enough, so add a statement to one of them.",
                f.action, f.resource_arn
            ),
            Owner::None => format!("{}; add one there.", cap_first(&identity_half)),
        },
        Some(Missing::Boundary) => format!(
            "The permissions boundary of {who} does not allow {} on {}; a boundary caps what identity policies (and grants to the role ARN) can give, so add it to the boundary.",
            f.action, f.resource_arn
        ),
        Some(Missing::KeyPolicyRoot) => {
            let key_account = match &f.owner {
                Owner::Key(k) => k.account.clone(),
                _ => acct.clone(),
            };
            format!(
                "The {owner_policy} neither names {who} nor delegates to account {key_account} (a statement with Principal arn:aws:iam::{key_account}:root), and IAM policies alone never grant use of a KMS key; add one of the two to the key policy.",
            )
        }
        None => format!("No policy allows {} on {}.", f.action, f.resource_arn),
    }
}

fn halves(trace: &[TraceEntry]) -> (Option<&TraceEntry>, Option<&TraceEntry>) {
    let resource = trace.iter().find(|t| {
        matches!(t.kind, PolicyKind::KeyPolicy | PolicyKind::BucketPolicy)
            && t.outcome == PolicyOutcome::Allow
    });
    let identity = trace
        .iter()
        .find(|t| t.kind == PolicyKind::Identity && t.outcome == PolicyOutcome::Allow);
    (resource, identity)
}

pub(super) fn allowed(action: &str, trace: &[TraceEntry], cross: bool, root: bool) -> String {
    let (resource, identity) = halves(trace);
    let identity_text = if root {
        "the caller is the account's root user, who needs no identity policy".to_string()
    } else {
        identity.map_or("no identity policy was needed".to_string(), statement_ref)
    };
    match (cross, resource, identity) {
        (true, Some(r), _) => format!(
            "Allowed: both halves of the handshake are in place: {} trusts the caller, and {} allows {action}.",
            statement_ref(r),
            if root {
                identity_text
            } else {
                identity.map_or(identity_text.clone(), statement_ref)
            }
        ),
        (false, Some(r), Some(i)) if r.kind == PolicyKind::KeyPolicy => format!(
            "Allowed: {} delegates to the account's IAM policies, and {} allows {action}.",
            statement_ref(r),
            statement_ref(i)
        ),
        (false, Some(r), None) => format!(
            "Allowed: {} grants {action} to the caller.",
            statement_ref(r)
        ),
        (false, Some(r), Some(i)) => format!(
            "Allowed: {} allows {action} (and {} allows it as well).",
            statement_ref(i),
            statement_ref(r)
        ),
        (_, None, Some(i)) => format!("Allowed: {} allows {action}.", statement_ref(i)),
        _ => format!("Allowed: {identity_text}."),
    }
}

pub(super) fn allowed_with_implied(
    action: &str,
    trace: &[TraceEntry],
    implied: &Outcome,
    cross: bool,
) -> String {
    let first = allowed(action, trace, cross, false);
    let first = first.trim_end_matches('.');
    format!(
        "{first}; S3's {} on the caller's behalf is allowed too ({}).",
        implied.action,
        lower_first(
            implied
                .explanation
                .trim_end_matches('.')
                .trim_start_matches("Allowed: ")
        )
    )
}

pub(super) fn implied_failed(action: &str, implied: &Outcome) -> String {
    format!(
        "S3 would allow {action}, but the {} call it makes to KMS on the caller's behalf is denied: {}",
        implied.action,
        lower_first(&implied.explanation)
    )
}
