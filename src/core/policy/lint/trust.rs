//! Checks on who a statement lets in: principals, open doors, over-broad
//! grants to other accounts, and TLS guardrails written the wrong way round.

use super::stmt::{Stmt, principal_account};
use super::{Cx, LintSeverity};
use crate::core::policy::PolicyKind;

/// Condition keys that, tested positively, confine `"Principal": "*"` to
/// known callers or networks.
const CONFINING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourcevpcarn",
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "aws:userid",
];

/// The key's own account in a key policy without context: the account of
/// the first statement that lets a principal change the key policy.
pub(super) fn key_owner<'a>(stmts: &[Stmt<'a>], kind: PolicyKind) -> Option<&'a str> {
    if kind != PolicyKind::KeyPolicy {
        return None;
    }
    stmts
        .iter()
        .filter(|s| s.can_put_key_policy())
        .find_map(|s| s.principal_accounts().first().map(|(a, _)| *a))
}

pub(super) fn principals(cx: &mut Cx<'_>, st: &Stmt<'_>, kind: PolicyKind, owner: Option<&str>) {
    for (p, span) in &st.principals {
        if *p != "*" && p.starts_with("arn:") && p.contains(['*', '?']) {
            cx.push(
                LintSeverity::Error,
                "principal-wildcard-arn",
                *span,
                format!("\"{p}\": wildcards are not allowed inside a principal ARN. Name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn"),
            );
        }
        if p.starts_with("arn:") && p.split(':').nth(5).is_some_and(|x| x.starts_with("group/")) {
            cx.push(
                LintSeverity::Error,
                "group-principal",
                *span,
                format!("\"{p}\" is an IAM group, and a group can never be a principal: name its users or a role, or attach an IAM policy to the group instead"),
            );
        }
    }
    if kind.is_resource_policy() {
        public(cx, st, kind);
        broad_cross_account(cx, st, kind, owner);
    }
    inverted_tls(cx, st);
}

/// Whether a condition confines who can call: a positive test of a
/// confining key (or, in a key policy, kms:CallerAccount) on values that
/// are not `*`. IfExists does not confine: an anonymous caller has no such
/// key, and the test then passes.
fn confined(st: &Stmt<'_>, kind: PolicyKind) -> bool {
    st.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        let op = c.base_op();
        let positive = !op.contains("Not") && op != "Null" && !c.if_exists();
        let confining = CONFINING.contains(&key.as_str())
            || (kind == PolicyKind::KeyPolicy && key == "kms:calleraccount");
        positive
            && confining
            && !c.values.is_empty()
            && c.values.iter().all(|v| !v.chars().all(|ch| ch == '*'))
    })
}

fn public(cx: &mut Cx<'_>, st: &Stmt<'_>, kind: PolicyKind) {
    if !st.allow || st.not_principal || confined(st, kind) {
        return;
    }
    let Some((_, span)) = st.principals.iter().find(|(p, _)| *p == "*") else {
        return;
    };
    let message = if kind == PolicyKind::KeyPolicy {
        "Principal \"*\" without a limiting condition lets every AWS principal of every account through this key policy statement: name the accounts or roles, or add a condition such as kms:CallerAccount or aws:PrincipalOrgID".to_string()
    } else {
        let caller = st
            .conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case("kms:CallerAccount"));
        let why = if caller {
            " kms:CallerAccount does not limit it: it is a KMS key that S3 never sets, so the condition never holds for S3 (or, with IfExists, always does)."
        } else {
            ""
        };
        format!(
            "Principal \"*\" in a bucket policy also means anonymous access: anyone on the internet, signed in or not, gets this statement.{why} Name the accounts or roles as principals, or confine it with aws:PrincipalOrgID or aws:PrincipalAccount"
        )
    };
    cx.push(
        LintSeverity::SecurityWarning,
        "public-principal",
        *span,
        message,
    );
}

/// `kms:*` (or `*`) to another account in a key policy, and `s3:*` on
/// Resource `"*"` to another account in a bucket policy.
fn broad_cross_account(cx: &mut Cx<'_>, st: &Stmt<'_>, kind: PolicyKind, owner: Option<&str>) {
    if !st.allow || st.not_principal {
        return;
    }
    let (service, applies) = match kind {
        PolicyKind::KeyPolicy => ("kms", true),
        _ => (
            "s3",
            st.resources
                .as_ref()
                .is_some_and(|r| !st.not_resource && r.iter().any(|(r, _)| *r == "*")),
        ),
    };
    if !applies || !st.grants_all_of(service) {
        return;
    }
    for (p, span) in &st.principals {
        let Some(account) = principal_account(p) else {
            continue;
        };
        if owner.is_some_and(|o| o == account) || (owner.is_none() && kind == PolicyKind::KeyPolicy)
        {
            continue;
        }
        let what = if kind == PolicyKind::KeyPolicy {
            "every KMS operation on this key, administration included (kms:PutKeyPolicy, kms:ScheduleKeyDeletion)"
        } else {
            "every S3 operation on every resource"
        };
        cx.push(
            LintSeverity::SecurityWarning,
            "cross-account-full-access",
            *span,
            format!("{p} is in account {account}, another account, and this statement grants it {what}: grant the few actions it needs (kms:Decrypt, kms:GenerateDataKey*, s3:GetObject) instead"),
        );
    }
}

/// A Deny when aws:SecureTransport is true (or an Allow when it is false):
/// the TLS guardrail turned round, so HTTPS is refused and HTTP let in.
fn inverted_tls(cx: &mut Cx<'_>, st: &Stmt<'_>) {
    for c in &st.conditions {
        if !c.key.eq_ignore_ascii_case("aws:SecureTransport") || c.base_op() != "Bool" {
            continue;
        }
        let wants_tls = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        let inverted = if st.allow {
            !wants_tls && !c.values.is_empty()
        } else {
            wants_tls
        };
        if inverted {
            let effect = if st.allow { "Allow" } else { "Deny" };
            let fix = if st.allow { "\"true\"" } else { "\"false\"" };
            cx.push(
                LintSeverity::SecurityWarning,
                "inverted-secure-transport",
                c.key_span,
                format!("this {effect} applies when aws:SecureTransport is {}: it turns the TLS guardrail round, so requests over HTTPS are refused (or only plain HTTP is let in). Test for {fix}", c.values.join(", ")),
            );
        }
    }
}
