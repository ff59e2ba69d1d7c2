//! The checks that read AWS's catalog: actions, condition keys and their
//! types, resources by resource type, and aliases where a key belongs.

use super::arn_match::{Fields, can_match};
use super::stmt::{Cond, Stmt};
use super::{Cx, LintSeverity};
use crate::core::diag::suggest;
use crate::core::policy::PolicyKind;
use crate::core::policy::catalog::{ActionLookup, Catalog, ConditionKey, Service, catalog};
use crate::core::policy::json::Span;
use crate::core::policy::wildcard;

/// `unknown-service` and `unknown-action`, for Action and NotAction alike.
pub(super) fn actions(cx: &mut Cx<'_>, st: &Stmt<'_>) {
    let c = catalog();
    for (action, span) in &st.actions {
        match c.action(action) {
            ActionLookup::Known => {}
            ActionLookup::UnknownService => {
                let (prefix, _) = action.split_once(':').unwrap_or((action, ""));
                let rest = action.split_once(':').map_or("", |x| x.1);
                let suggestion = cx.near(action, || {
                    suggest(prefix, c.prefixes()).map(|p| format!("{p}:{rest}"))
                });
                cx.push_with(
                    LintSeverity::Error,
                    "unknown-service",
                    *span,
                    format!("\"{prefix}\" (in {action}) is not the prefix of any AWS service, so this entry matches no action"),
                    suggestion,
                );
            }
            ActionLookup::UnknownAction(service) => unknown_action(cx, action, *span, service),
        }
    }
}

fn unknown_action(cx: &mut Cx<'_>, action: &str, span: Span, service: &Service) {
    let (prefix, name) = action.split_once(':').unwrap_or(("", action));
    let plain: String = name.chars().filter(|c| !matches!(c, '*' | '?')).collect();
    let near = cx.near(action, || {
        suggest(&plain, service.actions()).map(|a| format!("{}:{a}", service.prefix))
    });
    let message = if wildcard::has_wildcard(name) {
        format!("{action} matches no {prefix} action, so this entry grants or denies nothing")
    } else {
        format!(
            "{action} is not an action of {prefix}: AWS matches action names exactly (ignoring case), so this entry matches nothing"
        )
    };
    cx.push_with(LintSeverity::Error, "unknown-action", span, message, near);
}

/// One Action entry: as written, where, its service, the names it matches.
type Entry<'s> = (&'s str, Span, &'static Service, Vec<&'static str>);

/// The actions of the statement by pattern: for each Action entry, the
/// service and the names it matches. `None` when the statement cannot be
/// judged so (NotAction, `*`, or an unknown name, which has its own
/// finding).
fn expanded<'s>(st: &'s Stmt<'_>, c: &'static Catalog) -> Option<Vec<Entry<'s>>> {
    if st.not_action || st.actions.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (action, span) in &st.actions {
        let (prefix, name) = action.split_once(':')?;
        let service = c.service(prefix)?;
        let names: Vec<&'static str> = if wildcard::has_wildcard(name) {
            service.matching(name).collect()
        } else {
            service
                .actions()
                .filter(|a| a.eq_ignore_ascii_case(name))
                .collect()
        };
        if names.is_empty() {
            return None;
        }
        out.push((*action, *span, service, names));
    }
    Some(out)
}

/// `resource-mismatch`: by the actions' resource types, no action (error)
/// or some action patterns (warning) can match none of the Resource
/// entries.
pub(super) fn resources(cx: &mut Cx<'_>, st: &Stmt<'_>) {
    let Some(resources) = st
        .resources
        .as_ref()
        .filter(|r| !st.not_resource && !r.is_empty())
    else {
        return;
    };
    if resources.iter().any(|(r, _)| r.chars().all(|c| c == '*')) {
        return;
    }
    let Some(actions) = expanded(st, catalog()) else {
        return;
    };
    let fits = |service: &Service, name: &str| {
        // A type the catalog names but does not describe: cannot tell.
        let Some(types) = service.resource_types(name) else {
            return true;
        };
        let fields = Fields::of(service.prefix);
        resources
            .iter()
            .any(|(r, _)| types.iter().any(|t| can_match(r, t.arn, fields)))
    };
    let dead: Vec<_> = actions
        .iter()
        .filter(|(_, _, service, names)| !names.iter().any(|n| fits(service, n)))
        .collect();
    if dead.is_empty() {
        return;
    }
    let shown: Vec<&str> = resources.iter().map(|(r, _)| *r).collect();
    if dead.len() == actions.len() {
        let (action, _, service, names) = dead[0];
        let needs = needs(service, names[0]);
        cx.push(
            LintSeverity::Error,
            "resource-mismatch",
            resources[0].1,
            format!(
                "no action of this statement can apply to {}: {action} {needs}",
                shown.join(", ")
            ),
        );
        return;
    }
    for (action, span, service, names) in dead {
        let needs = needs(service, names[0]);
        cx.push(
            LintSeverity::Warning,
            "resource-mismatch",
            *span,
            format!(
                "{action} can apply to none of this statement's resources ({}): it {needs}",
                shown.join(", ")
            ),
        );
    }
}

/// "needs a key ARN (arn:…:key/…)", "takes no resource: only \"*\"".
fn needs(service: &Service, name: &str) -> String {
    let types = service.resource_types(name).unwrap_or_default();
    if types.is_empty() {
        return "takes no resource, so its Resource must be \"*\"".to_string();
    }
    let shapes: Vec<String> = types
        .iter()
        .map(|t| format!("{} ({})", t.name, t.arn.replace("${Partition}", "aws")))
        .collect();
    format!("needs a resource of type {}", shapes.join(" or "))
}

/// `unknown-condition-key`, `condition-key-not-applicable` and
/// `condition-operator-type`.
pub(super) fn conditions(cx: &mut Cx<'_>, st: &Stmt<'_>) {
    let c = catalog();
    for cond in &st.conditions {
        let Some((prefix, _)) = cond.key.split_once(':') else {
            continue;
        };
        let is_aws = prefix.eq_ignore_ascii_case("aws");
        let service = if is_aws {
            c.service("aws")
        } else {
            c.service(prefix)
        };
        // Federation keys (saml:, accounts.google.com:) are no service's.
        let Some(service) = service else { continue };
        let Some(key) = c.condition_key(cond.key) else {
            let near = cx.near(cond.key, || {
                c.nearest_key(cond.key)
                    .map(str::to_string)
                    .or_else(|| c.nearest_templated(cond.key))
            });
            let whose = if is_aws {
                "a global condition key".to_string()
            } else {
                format!("a condition key of {}", service.prefix)
            };
            cx.push_with(
                LintSeverity::Error,
                "unknown-condition-key",
                cond.key_span,
                format!("{} is not {whose}: a condition on a key that is never in the request context is never true (false with IfExists)", cond.key),
                near,
            );
            continue;
        };
        operator_type(cx, cond, key);
        if !c.is_global_key(cond.key) {
            applicable(cx, st, cond, key);
        }
    }
}

fn applicable(cx: &mut Cx<'_>, st: &Stmt<'_>, cond: &Cond<'_>, key: ConditionKey) {
    // A key that no action or resource type lists (glacier:ResourceTag/):
    // the catalog cannot tell which actions take it.
    if st.not_action || !key.listed {
        return;
    }
    let c = catalog();
    for (action, _) in &st.actions {
        let Some((prefix, name)) = action.split_once(':') else {
            return;
        };
        let Some(service) = c.service(prefix) else {
            return;
        };
        if may_take(service, name, cond.key) {
            return;
        }
    }
    let actions: Vec<&str> = st.actions.iter().map(|(a, _)| *a).collect();
    cx.push(
        LintSeverity::Warning,
        "condition-key-not-applicable",
        cond.key_span,
        format!(
            "{} is never in the request context of {}, so this condition can never hold as written",
            cond.key,
            actions.join(", ")
        ),
    );
}

/// Whether the action pattern `name` of `service` may take `key`, by the
/// catalog's keys of each action (its own, those of its resource types,
/// and those of other services it takes, such as sts:AssumeRole's
/// iam:ResourceTag/*). `true` whenever the catalog cannot tell.
fn may_take(service: &Service, name: &str, key: &str) -> bool {
    if !wildcard::has_wildcard(name) {
        return service.action_supports_key(name, key) != Some(false);
    }
    let mut names = service.matching(name).peekable();
    names.peek().is_none() || names.any(|n| service.action_supports_key(n, key) != Some(false))
}

fn operator_type(
    cx: &mut Cx<'_>,
    cond: &Cond<'_>,
    key: crate::core::policy::catalog::ConditionKey,
) {
    let op = cond.base_op();
    let (family, wants) = if op.starts_with("Numeric") {
        ("Numeric", "a number")
    } else if op.starts_with("Date") {
        ("Date", "a date")
    } else if op == "IpAddress" || op == "NotIpAddress" {
        ("IPAddress", "an IP address")
    } else if op == "Bool" {
        ("Bool", "a boolean")
    } else if op.starts_with("Arn") {
        ("ARN", "an ARN")
    } else {
        return;
    };
    // Tag and encryption-context values are free text: one may hold an ARN.
    if key.is(family) || (family == "ARN" && key.is_templated()) {
        return;
    }
    cx.push(
        LintSeverity::Warning,
        "condition-operator-type",
        cond.key_span,
        format!(
            "{} compares {wants}, but {} is of type {}: use a String operator (StringEquals, StringLike) for it",
            cond.op, cond.key, key.ty
        ),
    );
}

/// `alias-in-resource`: an alias where KMS authorizes against the key.
/// Returns whether it found one.
pub(super) fn alias_in_resource(cx: &mut Cx<'_>, st: &Stmt<'_>, kind: PolicyKind) -> bool {
    let Some(resources) = &st.resources else {
        return false;
    };
    if st.not_resource || !st.has_key_actions() {
        return false;
    }
    let mut found = false;
    for (r, span) in resources {
        let is_alias = r.starts_with("alias/")
            || (r.starts_with("arn:")
                && r.split(':').nth(5).is_some_and(|x| x.starts_with("alias/")));
        if !is_alias {
            continue;
        }
        found = true;
        let severity = if kind == PolicyKind::KeyPolicy {
            LintSeverity::Warning
        } else {
            LintSeverity::Error
        };
        cx.push(
            severity,
            "alias-in-resource",
            *span,
            format!(
                "\"{r}\" names an alias: for key operations such as kms:Decrypt, KMS authorizes against the key, so an alias in Resource matches nothing. Name the key by its key ARN, or condition on kms:ResourceAliases"
            ),
        );
    }
    found
}
