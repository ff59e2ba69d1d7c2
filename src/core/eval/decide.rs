//! One request, in order (evaluation.md §3): resolve, collect, explicit
//! deny, SCPs, identity allow, resource allow, decide, implied KMS calls.

use std::borrow::Cow;

use super::context::RequestContext;
use super::outcome::{Missing, Outcome, OwnerRef, PolicyOutcome, PolicySource, TraceEntry, Why};
use super::resolve::{crosses_accounts, resolve_key, takes_request_alias};
use crate::core::policy::arn::Arn;
use crate::core::policy::condition::ContextValue;
use crate::core::policy::document::Context;
use crate::core::policy::principal::{Caller, CallerKind, Grant, GrantSet};
use crate::core::policy::{Effect, Policy};
use crate::core::world::{Reason, Request, Sse, World};

/// Evaluates one request of a world.
pub fn evaluate(world: &World, request: &Request) -> Outcome {
    evaluate_call(
        world,
        &Call {
            caller: &request.caller,
            action: &request.action,
            resource: &request.resource,
            given: &request.context,
            via: None,
        },
    )
}

/// S3 calling KMS on the caller's behalf.
#[derive(Debug, Clone)]
struct Via {
    /// `s3.us-east-1.amazonaws.com`.
    service: String,
    /// The object ARN, or the bucket ARN with S3 Bucket Keys.
    encryption_context: String,
}

struct Call<'a> {
    caller: &'a Caller,
    action: &'a str,
    resource: &'a str,
    given: &'a [(String, String, ContextValue)],
    via: Option<Via>,
}

/// What the request is about, once resolved.
enum Target<'a> {
    /// A KMS key (index), named by `alias` if by alias.
    Key(usize, Option<String>),
    /// An S3 bucket (index) and, for object actions, the object key.
    Bucket(usize, Option<&'a str>),
    /// Anything else: only identity-side policies apply; the account in
    /// its ARN, if any.
    Other(Option<&'a str>),
}

/// What one policy said, and how its Allow statements cover the caller.
struct Assessment {
    entry: TraceEntry,
    grants: GrantSet,
}

/// What every policy is asked about: this caller, this action, this resource.
struct Subject<'a> {
    caller: &'a Caller,
    action_lower: &'a str,
    resource_arn: &'a str,
    has_boundary: bool,
}

fn assess(
    policy: &Policy,
    source: PolicySource,
    subject: &Subject,
    ctx: &dyn Context,
) -> Assessment {
    let Subject {
        caller,
        action_lower,
        resource_arn,
        has_boundary,
    } = *subject;
    let resource_policy = policy.kind.is_resource_policy();
    let mut deny = None;
    // The deciding Allow: the one that covers the caller most directly.
    let mut allow: Option<(&crate::core::policy::Statement, Grant)> = None;
    let mut grants = GrantSet::default();
    for s in &policy.statements {
        if !s.matches_action(action_lower) || !s.matches_resource(resource_arn) {
            continue;
        }
        match s.effect {
            Effect::Deny => {
                if deny.is_some() {
                    continue;
                }
                let applies = !resource_policy
                    || s.principal
                        .as_ref()
                        .is_some_and(|p| p.deny_applies(caller, has_boundary));
                if applies && s.conditions_hold(ctx) {
                    deny = Some(s);
                }
            }
            Effect::Allow => {
                let g = if resource_policy {
                    match &s.principal {
                        Some(p) => p.allow_grants(caller),
                        None => GrantSet::default(),
                    }
                } else {
                    GrantSet {
                        direct: true,
                        ..GrantSet::default()
                    }
                };
                if g.any() && s.conditions_hold(ctx) {
                    grants.merge(g);
                    let rank = g.strongest();
                    if allow.is_none_or(|(_, best)| rank > best) {
                        allow = Some((s, rank));
                    }
                }
            }
        }
    }
    let allow = allow.map(|(s, _)| s);
    let (outcome, decider) = match (deny, allow) {
        (Some(s), _) => (PolicyOutcome::Deny, Some(s)),
        (None, Some(s)) => (PolicyOutcome::Allow, Some(s)),
        (None, None) => (PolicyOutcome::NoMatch, None),
    };
    Assessment {
        entry: TraceEntry {
            kind: policy.kind,
            source,
            outcome,
            statement: decider.map(|s| s.index),
            grant: (resource_policy && outcome == PolicyOutcome::Allow).then(|| grants.strongest()),
        },
        grants: if outcome == PolicyOutcome::Allow {
            grants
        } else {
            GrantSet::default()
        },
    }
}

/// The parts of an outcome known so far.
#[derive(Default)]
struct Parts {
    resolved: Option<String>,
    cross: bool,
    trace: Vec<TraceEntry>,
    missing: Vec<Missing>,
    implied: Vec<Outcome>,
}

fn finish(call: &Call, reason: Reason, why: Why, parts: Parts) -> Outcome {
    Outcome {
        verdict: reason.verdict(),
        reason,
        action: call.action.to_string(),
        resource: call.resource.to_string(),
        resolved: parts.resolved,
        cross_account: parts.cross,
        trace: parts.trace,
        missing: parts.missing,
        implied: parts.implied,
        why,
    }
}

fn evaluate_call(world: &World, call: &Call) -> Outcome {
    let caller = call.caller;
    let action_lower = call.action.to_ascii_lowercase();
    let (service, operation) = action_lower.split_once(':').unwrap_or(("", ""));

    // 1. Resolve the resource.
    let target = match service {
        "kms" if call.resource == "*" => Target::Other(None),
        "kms" => match resolve_key(world, call.resource, &caller.account) {
            Ok(r) => Target::Key(r.key, r.alias),
            Err(nf) => {
                return finish(call, Reason::NotFound, Why::NotFound(nf), Parts::default());
            }
        },
        "s3" => {
            let rest = call
                .resource
                .strip_prefix("arn:aws:s3:::")
                .unwrap_or(call.resource);
            let (bucket, object) = match rest.split_once('/') {
                Some((b, o)) => (b, Some(o)),
                None => (rest, None),
            };
            match world.buckets.iter().position(|b| b.name == bucket) {
                Some(i) => Target::Bucket(i, object),
                None => Target::Other(None),
            }
        }
        _ => Target::Other(
            Arn::parse(call.resource)
                .map(|a| a.account)
                .filter(|a| !a.is_empty()),
        ),
    };
    let (resource_arn, resource_account): (&str, Option<&str>) = match &target {
        Target::Key(k, _) => (&world.keys[*k].arn, Some(&world.keys[*k].account)),
        Target::Bucket(b, _) => (call.resource, Some(&world.buckets[*b].account)),
        Target::Other(acct) => (call.resource, *acct),
    };
    let cross = resource_account.is_some_and(|a| a != caller.account);
    let resolved = match &target {
        Target::Key(k, _) => Some(world.keys[*k].arn.clone()),
        _ => None,
    };
    if let Target::Key(k, _) = &target
        && cross
        && !crosses_accounts(operation)
    {
        return finish(
            call,
            Reason::NotCrossAccount,
            Why::NotCrossAccount { key: *k },
            Parts {
                resolved,
                cross,
                ..Parts::default()
            },
        );
    }

    // Context AWS fills in.
    let mut ctx = RequestContext::new(call.given);
    ctx.fill(
        "aws:PrincipalArn",
        ContextValue::String(caller.principal_arn().to_string()),
    );
    ctx.fill(
        "aws:PrincipalAccount",
        ContextValue::String(caller.account.clone()),
    );
    if let Some(acct) = resource_account {
        ctx.fill(
            "aws:ResourceAccount",
            ContextValue::String(acct.to_string()),
        );
    }
    if service == "kms" {
        ctx.fill(
            "kms:CallerAccount",
            ContextValue::String(caller.account.clone()),
        );
    }
    if let Target::Key(k, alias) = &target {
        if let Some(alias) = alias
            && takes_request_alias(operation)
        {
            ctx.fill("kms:RequestAlias", ContextValue::String(alias.clone()));
        }
        let aliases = &world.keys[*k].aliases;
        if !aliases.is_empty() {
            ctx.fill("kms:ResourceAliases", ContextValue::List(aliases.clone()));
        }
    }
    if let Some(via) = &call.via {
        ctx.fill("kms:ViaService", ContextValue::String(via.service.clone()));
        ctx.fill(
            "kms:EncryptionContext:aws:s3:arn",
            ContextValue::String(via.encryption_context.clone()),
        );
        ctx.fill("aws:ViaAWSService", ContextValue::Bool(true));
    }
    ctx.finish();
    let identity_view = ctx.view(true);
    let resource_view = ctx.view(false);

    // 2. Collect the policies that apply, and 3.-6. assess each.
    let principal_index = match caller.kind {
        CallerKind::Root => None,
        CallerKind::User => world.principals.iter().position(|p| p.arn == caller.arn),
        CallerKind::Role | CallerKind::Session => world
            .principals
            .iter()
            .position(|p| Some(p.arn.as_str()) == caller.role_arn.as_deref()),
    };
    let principal = principal_index.map(|i| &world.principals[i]);
    let has_boundary = principal.is_some_and(|p| p.boundary.is_some());
    let subject = Subject {
        caller,
        action_lower: &action_lower,
        resource_arn,
        has_boundary,
    };
    let mut trace = Vec::new();
    let mut identity_allows = caller.kind == CallerKind::Root;
    if let (Some(p), Some(pi)) = (principal, principal_index) {
        for (i, policy) in p.policies.iter().enumerate() {
            let a = assess(
                policy,
                PolicySource::Identity {
                    principal: pi,
                    index: i,
                },
                &subject,
                &identity_view,
            );
            identity_allows |= a.entry.outcome == PolicyOutcome::Allow;
            trace.push(a.entry);
        }
    }
    let mut boundary_ok = true;
    if let (Some(p), Some(pi)) = (principal, principal_index)
        && let Some(b) = &p.boundary
    {
        let a = assess(
            b,
            PolicySource::Boundary { principal: pi },
            &subject,
            &identity_view,
        );
        boundary_ok = a.entry.outcome == PolicyOutcome::Allow;
        trace.push(a.entry);
    }
    let mut scp_ok = true;
    if let Some(ai) = world.accounts.iter().position(|a| a.id == caller.account) {
        let account = &world.accounts[ai];
        if !account.scps.is_empty() {
            scp_ok = false;
            for (i, scp) in account.scps.iter().enumerate() {
                let a = assess(
                    scp,
                    PolicySource::Scp {
                        account: ai,
                        index: i,
                    },
                    &subject,
                    &identity_view,
                );
                scp_ok |= a.entry.outcome == PolicyOutcome::Allow;
                trace.push(a.entry);
            }
        }
    }
    let mut grants = GrantSet::default();
    match &target {
        Target::Key(k, _) => {
            let key = &world.keys[*k];
            let a = assess(
                &key.policy,
                PolicySource::Key { key: *k },
                &subject,
                &resource_view,
            );
            grants = a.grants;
            trace.push(a.entry);
        }
        Target::Bucket(b, _) => {
            let bucket = &world.buckets[*b];
            if let Some(policy) = &bucket.policy {
                let a = assess(
                    policy,
                    PolicySource::Bucket { bucket: *b },
                    &subject,
                    &resource_view,
                );
                grants = a.grants;
                trace.push(a.entry);
            }
        }
        Target::Other(_) => {}
    }

    // 3. Explicit deny anywhere.
    if trace.iter().any(|t| t.outcome == PolicyOutcome::Deny) {
        return finish(
            call,
            Reason::ExplicitDeny,
            Why::ExplicitDeny,
            Parts {
                resolved,
                cross,
                trace,
                ..Parts::default()
            },
        );
    }

    // S3 refuses SSE-KMS objects over plain HTTP, whatever the policies say.
    let sse_key = match &target {
        Target::Bucket(b, Some(object)) => {
            s3_kms_key(world, *b, object, call.resource, operation, call.given)
        }
        _ => None,
    };
    if sse_key.is_some() && insecure(call.given) {
        return finish(
            call,
            Reason::InsecureTransport,
            Why::InsecureTransport,
            Parts {
                resolved,
                cross,
                trace,
                ..Parts::default()
            },
        );
    }

    // 4.-7. Decide.
    let identity_allow = identity_allows && boundary_ok;
    let capped_ok =
        grants.capped && (caller.kind == CallerKind::Root || boundary_ok || !has_boundary);
    let direct = grants.direct || capped_ok;
    let is_key = matches!(target, Target::Key(..));
    let mut missing = Vec::new();
    let allowed = if !scp_ok {
        missing.push(Missing::Scp);
        false
    } else if cross {
        if !grants.any() {
            missing.push(Missing::Resource);
        }
        if !identity_allows {
            missing.push(Missing::Identity);
        } else if !boundary_ok {
            missing.push(Missing::Boundary);
        }
        missing.is_empty()
    } else if is_key {
        if direct || (grants.delegated && identity_allow) {
            true
        } else {
            if grants.delegated {
                missing.push(if identity_allows {
                    Missing::Boundary
                } else {
                    Missing::Identity
                });
            } else if grants.capped {
                missing.push(Missing::Boundary);
            } else {
                missing.push(Missing::KeyPolicyRoot);
            }
            false
        }
    } else if direct || identity_allow {
        true
    } else {
        if grants.capped || (identity_allows && !boundary_ok) {
            missing.push(Missing::Boundary);
        } else {
            missing.push(Missing::Identity);
        }
        false
    };
    if !allowed {
        let owner = match target {
            Target::Key(k, _) => OwnerRef::Key(k),
            Target::Bucket(b, _) => OwnerRef::Bucket(b),
            Target::Other(_) => OwnerRef::None,
        };
        return finish(
            call,
            Reason::ImplicitDeny,
            Why::ImplicitDeny { owner },
            Parts {
                resolved,
                cross,
                trace,
                missing,
                ..Parts::default()
            },
        );
    }

    // 8. Implied KMS call for SSE-KMS objects.
    if let (Some((key_name, via)), Target::Bucket(..)) = (sse_key, &target) {
        let kms_action = if operation == "putobject" {
            "kms:GenerateDataKey"
        } else {
            "kms:Decrypt"
        };
        let implied = evaluate_call(
            world,
            &Call {
                caller,
                action: kms_action,
                resource: &key_name,
                given: call.given,
                via: Some(via),
            },
        );
        let reason = implied.reason;
        let why = if reason == Reason::Allowed {
            Why::Allowed {
                root: caller.kind == CallerKind::Root,
            }
        } else {
            Why::ImpliedDenied
        };
        let missing = implied.missing.clone();
        return finish(
            call,
            reason,
            why,
            Parts {
                resolved,
                cross,
                trace,
                missing,
                implied: vec![implied],
            },
        );
    }

    finish(
        call,
        Reason::Allowed,
        Why::Allowed {
            root: caller.kind == CallerKind::Root,
        },
        Parts {
            resolved,
            cross,
            trace,
            ..Parts::default()
        },
    )
}

/// True if the request says it was made without TLS.
fn insecure(given: &[(String, String, ContextValue)]) -> bool {
    given.iter().any(|(k, _, v)| {
        k == "aws:securetransport"
            && match v {
                ContextValue::Bool(b) => !*b,
                ContextValue::String(s) => s.eq_ignore_ascii_case("false"),
                _ => false,
            }
    })
}

fn context_string<'a>(
    given: &'a [(String, String, ContextValue)],
    key_lower: &str,
) -> Option<&'a str> {
    given.iter().find_map(|(k, _, v)| match v {
        ContextValue::String(s) if k == key_lower => Some(s.as_str()),
        _ => None,
    })
}

/// For an S3 read or write of an SSE-KMS object: how the key is named (as
/// the implied KMS call will name it) and the S3 context of that call.
fn s3_kms_key<'w>(
    world: &'w World,
    bucket: usize,
    object: &str,
    object_arn: &str,
    operation: &str,
    given: &'w [(String, String, ContextValue)],
) -> Option<(Cow<'w, str>, Via)> {
    let b = &world.buckets[bucket];
    let aws_s3 = || -> Cow<'w, str> {
        world
            .keys
            .iter()
            .find(|k| {
                k.account == b.account
                    && k.region == b.region
                    && k.aliases.iter().any(|a| a == "alias/aws/s3")
            })
            .map(|k| Cow::Borrowed(k.arn.as_str()))
            .unwrap_or_else(|| {
                Cow::Owned(format!(
                    "arn:aws:kms:{}:{}:alias/aws/s3",
                    b.region, b.account
                ))
            })
    };
    let from_default = || match &b.default_encryption {
        Some(e) if e.sse == Sse::Kms => {
            Some(e.kms_key.as_deref().map_or_else(aws_s3, Cow::Borrowed))
        }
        _ => None,
    };
    let key_name = match operation {
        "getobject" | "getobjectversion" => {
            match world
                .objects
                .iter()
                .find(|o| o.bucket == b.name && o.key == object)
            {
                Some(o) => match o.sse {
                    Some(Sse::Kms) => Some(match &o.kms_key {
                        // The object's metadata records the key; a bare name
                        // in the scenario means the bucket owner's key.
                        Some(name) => match resolve_key(world, name, &b.account) {
                            Ok(r) => Cow::Borrowed(world.keys[r.key].arn.as_str()),
                            Err(_) => Cow::Borrowed(name.as_str()),
                        },
                        None => aws_s3(),
                    }),
                    _ => None,
                },
                // An object the scenario does not list was written under the
                // bucket's default encryption.
                None => from_default(),
            }
        }
        "putobject" => {
            let key_id = context_string(given, "s3:x-amz-server-side-encryption-aws-kms-key-id");
            let sse = context_string(given, "s3:x-amz-server-side-encryption");
            match (key_id, sse) {
                (Some(k), _) => Some(Cow::Borrowed(k)),
                (None, Some("aws:kms")) => Some(
                    b.default_encryption
                        .as_ref()
                        .and_then(|e| e.kms_key.as_deref())
                        .map_or_else(aws_s3, Cow::Borrowed),
                ),
                (None, Some(_)) => None,
                (None, None) => from_default(),
            }
        }
        _ => None,
    }?;
    // The request's resource is the object ARN; with Bucket Keys the
    // context names the bucket instead.
    let encryption_context = if b.bucket_key {
        b.arn()
    } else {
        object_arn.to_string()
    };
    Some((
        key_name,
        Via {
            service: b.kms_via_service(),
            encryption_context,
        },
    ))
}
