//! One request, in order (evaluation.md §3): resolve, collect, explicit
//! deny, SCPs, identity allow, resource allow, decide, implied KMS calls.

use std::borrow::Cow;

use super::context::RequestContext;
use super::near::{Asked, NearMiss, near_misses};
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
    near: Vec<NearMiss>,
}

/// What every policy is asked about: this caller, this action, this resource.
struct Subject<'a> {
    caller: &'a Caller,
    action_lower: &'a str,
    resource_arn: &'a str,
    has_boundary: bool,
    /// The caller's entry in the world's principals (its role's for a
    /// session), if listed.
    principal: Option<usize>,
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
        ..
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
    let near = if outcome == PolicyOutcome::NoMatch {
        let asked = Asked {
            caller,
            action_lower,
            resource_arn,
        };
        near_misses(policy, asked, ctx)
    } else {
        Vec::new()
    };
    Assessment {
        near,
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
    near: Vec<Vec<NearMiss>>,
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
        near: parts.near,
        missing: parts.missing,
        implied: parts.implied,
        why,
    }
}

/// Where the request's resource lives, once resolved.
struct Scope<'a> {
    /// The ARN policies are matched against (the key ARN for a KMS key).
    arn: &'a str,
    /// The resource's account, when known.
    account: Option<&'a str>,
    /// The resource is in another account than the caller.
    cross: bool,
    /// The key ARN a KMS request resolved to.
    resolved: Option<String>,
}

/// What the assessed policies add up to, for the decision (steps 4-7).
struct Verdicts {
    /// Some identity policy allows (or the caller is a root user).
    identity_allows: bool,
    /// The permissions boundary allows, or there is none.
    boundary_ok: bool,
    /// Some SCP allows, or the caller's account has none.
    scp_ok: bool,
    /// How the resource policy's Allow statements cover the caller.
    grants: GrantSet,
    /// The caller has a permissions boundary attached.
    has_boundary: bool,
}

fn evaluate_call(world: &World, call: &Call) -> Outcome {
    let action_lower = call.action.to_ascii_lowercase();
    let (service, operation) = action_lower.split_once(':').unwrap_or(("", ""));

    // 1. Resolve the resource.
    let target = match resolve_target(world, call, service) {
        Ok(t) => t,
        Err(nf) => return finish(call, Reason::NotFound, Why::NotFound(nf), Parts::default()),
    };
    let scope = scope_of(world, call, &target);
    if let Target::Key(k, _) = &target
        && scope.cross
        && !crosses_accounts(operation)
    {
        let parts = Parts {
            resolved: scope.resolved,
            cross: scope.cross,
            ..Parts::default()
        };
        let why = Why::NotCrossAccount { key: *k };
        return finish(call, Reason::NotCrossAccount, why, parts);
    }
    let ctx = filled_context(world, call, &target, service, operation, scope.account);

    // 2. Collect the policies that apply, and 3.-6. assess each.
    let subject = subject_of(world, call.caller, &action_lower, scope.arn);
    let (trace, near, verdicts) = assess_all(world, &subject, &target, &ctx);
    let parts = Parts {
        resolved: scope.resolved,
        cross: scope.cross,
        trace,
        near,
        ..Parts::default()
    };

    // 3. Explicit deny anywhere.
    if parts.trace.iter().any(|t| t.outcome == PolicyOutcome::Deny) {
        return finish(call, Reason::ExplicitDeny, Why::ExplicitDeny, parts);
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
            parts,
        );
    }

    // 4.-7. Decide.
    let is_key = matches!(target, Target::Key(..));
    let missing = missing_parts(call.caller.kind, &verdicts, parts.cross, is_key);
    if !missing.is_empty() {
        let owner = match target {
            Target::Key(k, _) => OwnerRef::Key(k),
            Target::Bucket(b, _) => OwnerRef::Bucket(b),
            Target::Other(_) => OwnerRef::None,
        };
        let mut parts = Parts { missing, ..parts };
        weak_allow_near_misses(world, &subject, &ctx, &mut parts);
        return finish(
            call,
            Reason::ImplicitDeny,
            Why::ImplicitDeny { owner },
            parts,
        );
    }

    // 8. Implied KMS call for SSE-KMS objects.
    if let (Some((key_name, via)), Target::Bucket(..)) = (sse_key, &target) {
        return implied_call(world, call, operation, &key_name, via, parts);
    }
    let root = call.caller.kind == CallerKind::Root;
    finish(call, Reason::Allowed, Why::Allowed { root }, parts)
}

/// A resource policy that covers the caller only through its account (or
/// its role's ARN) can leave the request denied: for a denied request its
/// near misses show the statement that would have named the caller. Done
/// only once the request is known to be denied, so allows stay cheap.
fn weak_allow_near_misses(
    world: &World,
    subject: &Subject,
    ctx: &RequestContext,
    parts: &mut Parts,
) {
    let resource = ctx.view(false);
    for (i, t) in parts.trace.iter().enumerate() {
        let weak = t.outcome == PolicyOutcome::Allow
            && t.kind.is_resource_policy()
            && t.grant != Some(crate::core::policy::principal::Grant::Direct);
        if let (true, Some(policy), Some(slot)) =
            (weak, t.source.policy(world), parts.near.get_mut(i))
        {
            let asked = Asked {
                caller: subject.caller,
                action_lower: subject.action_lower,
                resource_arn: subject.resource_arn,
            };
            *slot = near_misses(policy, asked, &resource);
        }
    }
}

/// Step 1: what the request is about. A KMS key that is not found is the
/// request's answer.
fn resolve_target<'a>(
    world: &World,
    call: &Call<'a>,
    service: &str,
) -> Result<Target<'a>, super::resolve::NotFound> {
    Ok(match service {
        "kms" if call.resource == "*" => Target::Other(None),
        "kms" => {
            let r = resolve_key(world, call.resource, &call.caller.account)?;
            Target::Key(r.key, r.alias)
        }
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
    })
}

/// The resource's ARN and account as the policies see them.
fn scope_of<'a>(world: &'a World, call: &Call<'a>, target: &Target<'a>) -> Scope<'a> {
    let (arn, account): (&str, Option<&str>) = match target {
        Target::Key(k, _) => (&world.keys[*k].arn, Some(&world.keys[*k].account)),
        Target::Bucket(b, _) => (call.resource, Some(&world.buckets[*b].account)),
        Target::Other(acct) => (call.resource, *acct),
    };
    Scope {
        arn,
        account,
        // A service principal belongs to no customer account: nothing it
        // calls is "another account's" (its own grant decides, §6).
        cross: !call.caller.is_service() && account.is_some_and(|a| a != call.caller.account),
        resolved: match target {
            Target::Key(k, _) => Some(world.keys[*k].arn.clone()),
            _ => None,
        },
    }
}

/// The request's context with the values AWS fills in (a value the request
/// gives wins).
fn filled_context<'a>(
    world: &World,
    call: &Call<'a>,
    target: &Target,
    service: &str,
    operation: &str,
    resource_account: Option<&str>,
) -> RequestContext<'a> {
    let caller = call.caller;
    let string = |s: &str| ContextValue::String(s.to_string());
    let mut ctx = RequestContext::new(call.given);
    // A service principal has no IAM ARN and no account of its own.
    if !caller.is_service() {
        ctx.fill("aws:PrincipalArn", string(caller.principal_arn()));
        ctx.fill("aws:PrincipalAccount", string(&caller.account));
    }
    if let Some(acct) = resource_account {
        ctx.fill("aws:ResourceAccount", string(acct));
    }
    if service == "kms" && !caller.is_service() {
        ctx.fill("kms:CallerAccount", string(&caller.account));
    }
    super::org::fill_context(world, caller, resource_account, &mut ctx);
    if let Target::Key(k, alias) = target {
        if let Some(alias) = alias
            && takes_request_alias(operation)
        {
            ctx.fill("kms:RequestAlias", string(alias));
        }
        let aliases = &world.keys[*k].aliases;
        if !aliases.is_empty() {
            ctx.fill("kms:ResourceAliases", ContextValue::List(aliases.clone()));
        }
    }
    if let Some(via) = &call.via {
        ctx.fill("kms:ViaService", string(&via.service));
        ctx.fill(
            "kms:EncryptionContext:aws:s3:arn",
            string(&via.encryption_context),
        );
        ctx.fill("aws:ViaAWSService", ContextValue::Bool(true));
    }
    ctx.finish();
    ctx
}

/// What every policy is asked about, with the caller's place in the world.
/// The listed principal whose identity policies and boundary apply to
/// `caller` (a session's role), if the file lists it.
pub(crate) fn principal_index(world: &World, caller: &Caller) -> Option<usize> {
    match caller.kind {
        CallerKind::Root | CallerKind::Service => None,
        CallerKind::User => world.principals.iter().position(|p| p.arn == caller.arn),
        CallerKind::Role | CallerKind::Session => world
            .principals
            .iter()
            .position(|p| Some(p.arn.as_str()) == caller.role_arn.as_deref()),
    }
}

fn subject_of<'a>(
    world: &'a World,
    caller: &'a Caller,
    action_lower: &'a str,
    resource_arn: &'a str,
) -> Subject<'a> {
    let principal = principal_index(world, caller);
    Subject {
        caller,
        action_lower,
        resource_arn,
        has_boundary: principal.is_some_and(|i| world.principals[i].boundary.is_some()),
        principal,
    }
}

/// Assesses one policy, records it in the trace, and says whether it allowed
/// and with which grants.
fn assess_into(
    trace: &mut Traced,
    policy: &Policy,
    source: PolicySource,
    subject: &Subject,
    ctx: &dyn Context,
) -> (bool, GrantSet) {
    let a = assess(policy, source, subject, ctx);
    let allowed = a.entry.outcome == PolicyOutcome::Allow;
    trace.entries.push(a.entry);
    trace.near.push(a.near);
    (allowed, a.grants)
}

/// The trace being built, with each entry's near misses beside it.
#[derive(Default)]
struct Traced {
    entries: Vec<TraceEntry>,
    near: Vec<Vec<NearMiss>>,
}

/// Steps 2-6: every policy that applies, in trace order (identity policies,
/// boundary, SCPs, then the resource policy).
fn assess_all(
    world: &World,
    subject: &Subject,
    target: &Target,
    ctx: &RequestContext,
) -> (Vec<TraceEntry>, Vec<Vec<NearMiss>>, Verdicts) {
    let identity = ctx.view(true);
    let resource = ctx.view(false);
    let caller = subject.caller;
    let mut trace = Traced::default();
    let mut identity_allows = caller.kind == CallerKind::Root;
    let mut boundary_ok = true;
    if let Some(pi) = subject.principal {
        let p = &world.principals[pi];
        for (index, policy) in p.policies.iter().enumerate() {
            let source = PolicySource::Identity {
                principal: pi,
                index,
            };
            identity_allows |= assess_into(&mut trace, policy, source, subject, &identity).0;
        }
        if let Some(b) = &p.boundary {
            let source = PolicySource::Boundary { principal: pi };
            boundary_ok = assess_into(&mut trace, b, source, subject, &identity).0;
        }
    }
    let mut scp_ok = true;
    if let Some(ai) = super::org::scp_account(world, caller) {
        scp_ok = false;
        for (index, scp) in world.accounts[ai].scps.iter().enumerate() {
            let source = PolicySource::Scp { account: ai, index };
            scp_ok |= assess_into(&mut trace, scp, source, subject, &identity).0;
        }
    }
    let (owner, aws_managed) = match target {
        Target::Key(k, _) => (
            Some(&world.keys[*k].account),
            world.keys[*k].is_aws_managed(),
        ),
        Target::Bucket(b, _) => (Some(&world.buckets[*b].account), false),
        Target::Other(_) => (None, false),
    };
    let rcps = super::org::rcp_account(
        world,
        owner.map(String::as_str),
        aws_managed,
        subject.action_lower,
    );
    if let Some(ai) = rcps {
        // RCPs only deny (the loader refuses anything else) and grant nothing.
        for (index, rcp) in world.accounts[ai].rcps.iter().enumerate() {
            let source = PolicySource::Rcp { account: ai, index };
            assess_into(&mut trace, rcp, source, subject, &resource);
        }
    }
    let resource_policy = match target {
        Target::Key(k, _) => Some((&world.keys[*k].policy, PolicySource::Key { key: *k })),
        Target::Bucket(b, _) => world.buckets[*b]
            .policy
            .as_ref()
            .map(|p| (p, PolicySource::Bucket { bucket: *b })),
        Target::Other(_) => None,
    };
    let grants = resource_policy.map_or_else(GrantSet::default, |(policy, source)| {
        assess_into(&mut trace, policy, source, subject, &resource).1
    });
    let verdicts = Verdicts {
        identity_allows,
        boundary_ok,
        scp_ok,
        grants,
        has_boundary: subject.has_boundary,
    };
    (trace.entries, trace.near, verdicts)
}

/// Steps 4-7: what is missing for the request to be allowed (nothing if
/// it is).
fn missing_parts(kind: CallerKind, v: &Verdicts, cross: bool, is_key: bool) -> Vec<Missing> {
    let identity_allow = v.identity_allows && v.boundary_ok;
    // A grant to the role's ARN counts unless the role's boundary cuts it.
    let capped_ok =
        v.grants.capped && (kind == CallerKind::Root || v.boundary_ok || !v.has_boundary);
    let direct = v.grants.direct || capped_ok;
    let mut missing = Vec::new();
    if kind == CallerKind::Service {
        // Only a resource-policy statement naming the service (or `*`)
        // lets a service principal in (§6).
        if !v.grants.any() {
            missing.push(Missing::Resource);
        }
    } else if !v.scp_ok {
        missing.push(Missing::Scp);
    } else if cross {
        if !v.grants.any() {
            missing.push(Missing::Resource);
        }
        if !v.identity_allows {
            missing.push(Missing::Identity);
        } else if !v.boundary_ok {
            missing.push(Missing::Boundary);
        }
    } else if is_key {
        if !(direct || (v.grants.delegated && identity_allow)) {
            missing.push(if v.grants.delegated {
                if v.identity_allows {
                    Missing::Boundary
                } else {
                    Missing::Identity
                }
            } else if v.grants.capped {
                Missing::Boundary
            } else {
                Missing::KeyPolicyRoot
            });
        }
    } else if !(direct || identity_allow) {
        missing.push(
            if v.grants.capped || (v.identity_allows && !v.boundary_ok) {
                Missing::Boundary
            } else {
                Missing::Identity
            },
        );
    }
    missing
}

/// Step 8: the KMS call S3 makes for an allowed read or write of an
/// SSE-KMS object decides the request.
fn implied_call(
    world: &World,
    call: &Call,
    operation: &str,
    key_name: &str,
    via: Via,
    parts: Parts,
) -> Outcome {
    let kms_action = if operation == "putobject" {
        "kms:GenerateDataKey"
    } else {
        "kms:Decrypt"
    };
    let implied = evaluate_call(
        world,
        &Call {
            caller: call.caller,
            action: kms_action,
            resource: key_name,
            given: call.given,
            via: Some(via),
        },
    );
    let reason = implied.reason;
    let why = if reason == Reason::Allowed {
        Why::Allowed {
            root: call.caller.kind == CallerKind::Root,
        }
    } else {
        Why::ImpliedDenied
    };
    let parts = Parts {
        missing: implied.missing.clone(),
        implied: vec![implied],
        ..parts
    };
    finish(call, reason, why, parts)
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
