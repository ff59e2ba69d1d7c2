//! What a learner sees of a policy question's scenario (`v` in the quiz):
//! the world only: accounts, keys, buckets, objects, principals, their
//! policies and the request. It is written from the parsed
//! [`World`], never from the file's text, so no comment, no `expect` or
//! `expect_reason`, no file name, no title or request name (either may name
//! the answer) can reach the screen, and a field added to the format later
//! stays hidden until it is added here on purpose.

use serde_json::{Map, Value, json};

use crate::core::content::{Pack, Question};
use crate::core::policy::Policy;
use crate::core::policy::condition::ContextValue;
use crate::core::policy::document::{Effect, Statement};
use crate::core::policy::principal::PrincipalEntry;
use crate::core::policy::resource::ResourcePattern;
use crate::core::world::{Manager, Sse, World};

/// Why a question has no scenario view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// Not a policy question, or its scenario is not in the pack.
    #[error("this question has no scenario")]
    NoScenario,
    /// The scenario did not load (the pack check reports why).
    #[error("the scenario could not be read")]
    Unreadable,
}

/// The scenario view of `question` in `pack`, as plain lines (no markup;
/// both front ends print them as they are).
pub fn question_view(pack: &Pack, question: &Question) -> Result<Vec<String>, ViewError> {
    let name = question.scenario.as_ref().ok_or(ViewError::NoScenario)?;
    let file = pack.scenarios.get(name).ok_or(ViewError::NoScenario)?;
    // The path only labels load errors, which are never shown here.
    let world =
        crate::core::world::load_str("scenario", &file.text).map_err(|_| ViewError::Unreadable)?;
    Ok(world_lines(&world))
}

/// The world as neutral lines: accounts, keys, buckets, objects,
/// principals with their policies, then the request(s).
pub fn world_lines(world: &World) -> Vec<String> {
    let mut out = Vec::new();
    for a in &world.accounts {
        match &a.name {
            Some(n) => out.push(format!("Account {} ({n})", a.id)),
            None => out.push(format!("Account {}", a.id)),
        }
        if let Some(org) = &a.org {
            out.push(format!("  Organization: {org}"));
        }
        if let Some(path) = &a.ou_path {
            out.push(format!("  Organization path: {path}"));
        }
        if a.management {
            out.push("  The organization's management account".to_string());
        }
        for scp in &a.scps {
            policy_block(&mut out, "  Service control policy", scp);
        }
        for rcp in &a.rcps {
            policy_block(&mut out, "  Resource control policy", rcp);
        }
    }
    for k in &world.keys {
        let who = match &k.manager {
            Manager::Customer => "customer managed".to_string(),
            Manager::Aws { service } => format!("AWS managed, aws/{service}"),
        };
        out.push(format!("KMS key {} ({who})", k.arn));
        if !k.aliases.is_empty() {
            out.push(format!("  Aliases: {}", k.aliases.join(", ")));
        }
        policy_block(&mut out, "  Key policy", &k.policy);
    }
    for b in &world.buckets {
        out.push(format!(
            "S3 bucket {} (account {}, {})",
            b.name, b.account, b.region
        ));
        if let Some(e) = &b.default_encryption {
            let how = match (e.sse, &e.kms_key) {
                (Sse::Aes256, _) => "SSE-S3".to_string(),
                (Sse::Kms, Some(k)) => format!("SSE-KMS with {k}"),
                (Sse::Kms, None) => "SSE-KMS with the aws/s3 key".to_string(),
            };
            out.push(format!("  Default encryption: {how}"));
        }
        if b.bucket_key {
            out.push("  S3 Bucket Key: on".to_string());
        }
        if let Some(p) = &b.policy {
            policy_block(&mut out, "  Bucket policy", p);
        }
    }
    for o in &world.objects {
        let how = match (o.sse, &o.kms_key) {
            (None, _) => "no encryption given".to_string(),
            (Some(Sse::Aes256), _) => "SSE-S3".to_string(),
            (Some(Sse::Kms), Some(k)) => format!("SSE-KMS with {k}"),
            (Some(Sse::Kms), None) => "SSE-KMS with the aws/s3 key".to_string(),
        };
        out.push(format!("S3 object s3://{}/{} ({how})", o.bucket, o.key));
    }
    for p in &world.principals {
        out.push(format!("Principal {}", p.arn));
        for (i, policy) in p.policies.iter().enumerate() {
            policy_block(&mut out, &format!("  IAM policy {}", i + 1), policy);
        }
        if let Some(b) = &p.boundary {
            policy_block(&mut out, "  Permissions boundary", b);
        }
    }
    for r in &world.requests {
        out.push("Request".to_string());
        out.push(format!("  Caller: {}", r.caller.arn));
        out.push(format!("  Action: {}", r.action));
        out.push(format!("  Resource: {}", r.resource));
        for (_, key, value) in &r.context {
            out.push(format!("  Context {key} = {}", context_text(value)));
        }
    }
    out
}

fn context_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => format!("{s:?}"),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::List(l) => format!("{l:?}"),
    }
}

/// A policy under a heading, as pretty JSON rebuilt from its statements.
fn policy_block(out: &mut Vec<String>, heading: &str, policy: &Policy) {
    out.push(format!("{heading}:"));
    let statements: Vec<Value> = policy.statements.iter().map(statement_json).collect();
    let mut doc = Map::new();
    if let Some(v) = &policy.version {
        doc.insert("Version".into(), json!(v));
    }
    doc.insert("Statement".into(), Value::Array(statements));
    let text = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
    let indent = " ".repeat(heading.len() - heading.trim_start().len() + 2);
    out.extend(text.lines().map(|l| format!("{indent}{l}")));
}

fn statement_json(s: &Statement) -> Value {
    let mut m = Map::new();
    if let Some(sid) = &s.sid {
        m.insert("Sid".into(), json!(sid));
    }
    let effect = match s.effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    };
    m.insert("Effect".into(), json!(effect));
    if let Some(p) = &s.principal {
        let key = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        m.insert(key.into(), principal_json(&p.entries));
    }
    let key = if s.actions.negated {
        "NotAction"
    } else {
        "Action"
    };
    m.insert(key.into(), one_or_many(s.actions.patterns.clone()));
    if let Some(r) = &s.resources {
        let key = if r.negated { "NotResource" } else { "Resource" };
        let pats: Vec<String> = r.patterns.iter().map(resource_text).collect();
        m.insert(key.into(), one_or_many(pats));
    }
    if !s.conditions.is_empty() {
        let mut cond = Map::new();
        for c in &s.conditions {
            let op = cond
                .entry(c.operator.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(op) = op {
                op.insert(c.key.clone(), one_or_many(c.values.clone()));
            }
        }
        m.insert("Condition".into(), Value::Object(cond));
    }
    Value::Object(m)
}

/// A list as JSON, a single value as a plain string (as policies are
/// usually written).
fn one_or_many(mut values: Vec<String>) -> Value {
    if values.len() == 1 {
        json!(values.remove(0))
    } else {
        json!(values)
    }
}

/// A principal element: `"*"` for everyone alone, else an object of
/// `AWS` / `Service` / `Other` lists.
fn principal_json(entries: &[PrincipalEntry]) -> Value {
    if let [PrincipalEntry::Everyone] = entries {
        return json!("*");
    }
    let mut by_type: Vec<(&str, Vec<String>)> = Vec::new();
    for e in entries {
        let (ty, v) = match e {
            PrincipalEntry::Everyone => ("AWS", "*".to_string()),
            PrincipalEntry::Account(a)
            | PrincipalEntry::User(a)
            | PrincipalEntry::Role(a)
            | PrincipalEntry::Session(a) => ("AWS", a.clone()),
            PrincipalEntry::Service(s) => ("Service", s.clone()),
            PrincipalEntry::Other(o) => ("Other", o.clone()),
        };
        match by_type.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, list)) => list.push(v),
            None => by_type.push((ty, vec![v])),
        }
    }
    let mut m = Map::new();
    for (ty, list) in by_type {
        m.insert(ty.to_string(), one_or_many(list));
    }
    Value::Object(m)
}

fn resource_text(r: &ResourcePattern) -> String {
    match r {
        ResourcePattern::Any => "*".to_string(),
        ResourcePattern::Exact(s) => s.clone(),
        ResourcePattern::Wild { pattern, .. } => pattern.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_shows_organizations_and_rcps_but_no_comment_title_or_expectation() {
        let text = include_str!("../../../tests/scenarios/rcp-bucket-and-implied-call.toml");
        let world = crate::core::world::load_str("rcp.toml", text).expect("the scenario loads");
        let lines = world_lines(&world).join("\n");
        assert!(lines.contains("  Organization: o-a1b2c3d4e5"), "{lines}");
        assert!(lines.contains("  Resource control policy:"), "{lines}");
        assert!(lines.contains("\"Sid\": \"S3Perimeter\""), "{lines}");
        assert!(lines.contains("StringNotEqualsIfExists"), "{lines}");
        for hidden in ["# Rule", "Bucket RCPs, and key RCPs", "expect", "rcp.toml"] {
            assert!(!lines.contains(hidden), "{hidden:?} shown:\n{lines}");
        }
        assert_eq!(
            lines.matches("\nRequest\n").count() + usize::from(lines.starts_with("Request\n")),
            world.requests.len()
        );
    }
}
