//! Grants wider than any lab asks for: a learner's Allow statement that
//! gives a whole service (`kms:*`, `s3:*`, `*`, or an Allow with
//! `NotAction`), or that applies to `Resource "*"` in an identity or bucket
//! policy. A lab's goals test a few requests; these grants pass them and
//! open everything else, so a course lab does not count them as solved.
//!
//! Two forms are the norm and stay allowed: the key policy statement that
//! gives the key's own account `kms:*` (it lets IAM policies of that
//! account work, and without it the key cannot be managed), and
//! `Resource "*"` in a key policy (there it means this key) or in a
//! permissions boundary or SCP (a cap, which grants nothing by itself).

use crate::core::policy::principal::PrincipalEntry;
use crate::core::policy::resource::ResourcePattern;
use crate::core::policy::{Effect, Policy, PolicyKind};

/// One over-broad Allow statement of a learner's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverBroad {
    /// The statement as the trace names it: its Sid, else `#N`.
    pub statement: String,
    /// Its first line in the editor, when known.
    pub line: Option<usize>,
    /// What is too wide and what to grant instead, in one sentence.
    pub message: String,
}

/// The over-broad Allow statements of `policy`, a policy of `kind` on a
/// key or bucket of `owner` (for a resource policy).
pub fn over_broad(policy: &Policy, kind: PolicyKind, owner: Option<&str>) -> Vec<OverBroad> {
    if kind == PolicyKind::Scp {
        return Vec::new();
    }
    let mut out = Vec::new();
    for st in &policy.statements {
        if st.effect != Effect::Allow {
            continue;
        }
        let push = |out: &mut Vec<OverBroad>, message: String| {
            out.push(OverBroad {
                statement: st.label(),
                line: st.lines.map(|l| l.0),
                message,
            });
        };
        let own_admin = kind == PolicyKind::KeyPolicy
            && st.principal.as_ref().is_some_and(|p| {
                !p.negated
                    && !p.entries.is_empty()
                    && p.entries
                        .iter()
                        .all(|e| matches!(e, PrincipalEntry::Account(a) if owner.is_some_and(|o| account_id(a) == o)))
            });
        if !own_admin {
            if st.actions.negated {
                push(
                    &mut out,
                    format!(
                        "statement {} allows with NotAction, so it grants every action it does not list: list the actions the goals need instead",
                        st.label()
                    ),
                );
            } else if let Some(p) = st
                .actions
                .patterns
                .iter()
                .find(|p| *p == "*" || p.ends_with(":*"))
            {
                let service = p.strip_suffix(":*").unwrap_or("every service");
                push(
                    &mut out,
                    format!(
                        "statement {} grants every {service} action ({p}): grant only the actions the goals need",
                        st.label()
                    ),
                );
            }
        }
        let resource_star = matches!(kind, PolicyKind::Identity | PolicyKind::BucketPolicy)
            && st.resources.as_ref().is_some_and(|r| {
                !r.negated && r.patterns.iter().any(|p| matches!(p, ResourcePattern::Any))
            })
            && !st.actions.patterns.iter().all(|a| takes_no_resource(a));
        if resource_star {
            let instead = if kind == PolicyKind::BucketPolicy {
                "name the bucket's objects (arn:aws:s3:::BUCKET/*) or the bucket"
            } else {
                "name the key's ARN or the bucket's objects"
            };
            push(
                &mut out,
                format!(
                    "statement {} applies to Resource \"*\", every resource: {instead}",
                    st.label()
                ),
            );
        }
    }
    out
}

/// `111122223333` from an account ID or `arn:aws:iam::111122223333:root`.
fn account_id(entry: &str) -> &str {
    entry.split(':').nth(4).unwrap_or(entry)
}

/// An action that acts on no resource (`s3:ListAllMyBuckets`), which only
/// `Resource "*"` can name (AWS's catalog lists no resource type for it).
fn takes_no_resource(action: &str) -> bool {
    let Some((prefix, name)) = action.split_once(':') else {
        return false;
    };
    crate::core::policy::catalog::catalog()
        .service(prefix)
        .and_then(|s| s.resource_types(name))
        .is_some_and(|types| types.is_empty())
}
