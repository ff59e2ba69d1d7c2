//! "Which of these edits makes it work without letting anyone else in?":
//! the right edit and checked wrong ones. Wrong edits come from the
//! engine's own fix search and from small changes to the right statement;
//! each is kept only if the engine shows it fails (still denied) or
//! over-grants (a least-privilege probe gets in).

use serde_json::{Value, json};

use super::names::Names;
use super::spec::{Doc, Slot, Spec, sid_of};
use super::verify::{Judged, Verified};
use crate::core::eval::{PolicySource, fixes};
use crate::core::world::Verdict;

/// What an edit does, by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The request is allowed and every probe stays denied.
    Works,
    /// The request is still denied (reason code).
    Fails(String),
    /// The request is allowed, and so is this probe.
    OverGrants(String),
}

/// One edit of one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The policy changed.
    pub slot: Slot,
    /// Its whole new text.
    pub doc: Doc,
    /// The edit in words, with the statement JSON.
    pub text: String,
    /// What the engine says it does.
    pub effect: Effect,
}

/// The right edit and up to three checked wrong ones (`None` when the
/// defect is not in a policy).
pub fn edits(v: &Verified, n: &Names) -> Option<(Edit, Vec<Edit>)> {
    let super::catalog::Place::Policy { slot, sid, .. } = &v.place else {
        return None;
    };
    let right_doc = v.fixed.spec.doc(*slot)?.clone();
    let right = judge(&v.broken, *slot, right_doc.clone())?;
    if right.effect != Effect::Works {
        return None;
    }
    let target = right_doc.get(sid)?.clone();
    // The engine's own fixes first: the ones that work but open the door
    // to someone else make the best wrong answers.
    let mut candidates: Vec<(Slot, Doc)> = engine_fixes(&v.broken);
    for changed in variants(&target, n, &v.fixed.spec) {
        let mut d = right_doc.clone();
        d.put(changed);
        candidates.push((*slot, d));
    }
    // The same statement in another policy of the same kind.
    for other in v.broken.spec.slots() {
        if other != *slot
            && same_kind(other, *slot)
            && let Some(d) = v.broken.spec.doc(other)
        {
            let mut d = d.clone();
            d.put(target.clone());
            candidates.push((other, d));
        }
    }
    // Deleting the statement, where the broken world has it.
    if let Some(d) = v.broken.spec.doc(*slot)
        && d.get(sid).is_some()
        && d.statements.len() > 1
    {
        let mut d = d.clone();
        d.remove(sid);
        candidates.push((*slot, d));
    }
    let mut wrong: Vec<Edit> = Vec::new();
    for (s, d) in candidates {
        if wrong.len() >= 3 {
            break;
        }
        let Some(e) = judge(&v.broken, s, d) else {
            continue;
        };
        if e.effect == Effect::Works
            || e.text == right.text
            || wrong.iter().any(|w| w.text == e.text)
        {
            continue;
        }
        wrong.push(e);
    }
    Some((right, wrong))
}

/// The edit of `slot` to `doc` in the broken world, judged.
fn judge(broken: &Judged, slot: Slot, doc: Doc) -> Option<Edit> {
    let world = broken.with_doc(&broken.world, slot, &doc)?;
    let main = broken.main(&world);
    let effect = if main.verdict == Verdict::Deny {
        Effect::Fails(main.reason.code().to_string())
    } else {
        match broken.probes_allowed(&world).into_iter().next() {
            Some(p) => Effect::OverGrants(p),
            None => Effect::Works,
        }
    };
    let text = describe(&broken.spec, slot, &doc);
    if text.is_empty() {
        return None;
    }
    Some(Edit {
        slot,
        doc,
        text,
        effect,
    })
}

/// The edit in words: what changes between the broken world's policy and
/// `doc`.
fn describe(spec: &Spec, slot: Slot, doc: &Doc) -> String {
    let empty = Doc::new(Vec::new());
    let old = spec.doc(slot).unwrap_or(&empty);
    let mut parts = Vec::new();
    for s in &doc.statements {
        let compact = serde_json::to_string(s).unwrap_or_default();
        match sid_of(s).and_then(|sid| old.get(sid).map(|o| (sid, o))) {
            Some((_, o)) if o == s => {}
            Some((sid, _)) => parts.push(format!("replace statement {sid} with {compact}")),
            None if old.statements.contains(s) => {}
            None => parts.push(format!("add the statement {compact}")),
        }
    }
    for s in &old.statements {
        if let Some(sid) = sid_of(s)
            && doc.get(sid).is_none()
        {
            parts.push(format!("delete statement {sid}"));
        }
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("In the {}, {}.", spec.label(slot), parts.join("; "))
}

fn same_kind(a: Slot, b: Slot) -> bool {
    let class = |s: Slot| match s {
        Slot::Key(_) | Slot::Bucket(_) => 0,
        Slot::Identity(..) => 1,
        Slot::Boundary(_) => 2,
        Slot::Scp(..) => 3,
        Slot::Rcp(..) => 4,
    };
    class(a) == class(b)
}

/// Small changes to the right statement: wider, narrower, or aimed at the
/// wrong thing.
fn variants(target: &Value, n: &Names, spec: &Spec) -> Vec<Value> {
    let mut out = Vec::new();
    let allow = target.get("Effect").and_then(Value::as_str) == Some("Allow");
    if allow && target.get("Principal").is_some() {
        let mut v = target.clone();
        v["Principal"] = json!({ "AWS": "*" });
        out.push(v);
    }
    if allow {
        let mut v = target.clone();
        let service = if target.to_string().contains("\"kms:") {
            "kms:*"
        } else {
            "s3:*"
        };
        v["Action"] = json!(service);
        v["Resource"] = json!("*");
        out.push(v);
    }
    if target.get("Condition").is_some() {
        let mut v = target.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("Condition");
        }
        out.push(v);
    }
    // Swap names for neighbouring ones: another account, region, role,
    // action or key.
    let text = target.to_string();
    let swaps: Vec<(String, String)> = vec![
        (n.a.id.clone(), n.c.id.clone()),
        (n.b.id.clone(), n.c.id.clone()),
        (n.region.clone(), n.other_region.clone()),
        (
            format!("role/{}", n.caller),
            format!("role/{}", n.bystander),
        ),
        ("kms:Decrypt".into(), "kms:Encrypt".into()),
        ("kms:GenerateDataKey".into(), "kms:Encrypt".into()),
        ("s3:GetObject".into(), "s3:ListBucket".into()),
        ("s3:PutObject".into(), "s3:PutObjectAcl".into()),
        (n.key_ids[0].clone(), n.key_ids[1].clone()),
        ("kms:*".into(), "kms:Describe*".into()),
        ("\"*\"".into(), format!("\"{}\"", n.alias_arn())),
        ("aws:PrincipalAccount".into(), "aws:ResourceAccount".into()),
        ("aws:ResourceAccount".into(), "aws:PrincipalAccount".into()),
        (n.org.clone(), n.other_org.clone()),
    ];
    for (from, to) in swaps {
        if text.contains(&from)
            && let Ok(v) = serde_json::from_str::<Value>(&text.replace(&from, &to))
        {
            out.push(v);
        }
    }
    let _ = spec;
    out
}

/// The engine's verified fixes of the broken world, as edits (one per
/// policy it changes).
fn engine_fixes(broken: &Judged) -> Vec<(Slot, Doc)> {
    let world = &broken.world;
    let outcome = broken.main(world);
    let found = fixes(world, &world.requests[0], &outcome);
    let mut out = Vec::new();
    for f in found.fixes {
        let Some(slot) = slot_of(&broken.spec, world, f.source) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&f.document) else {
            continue;
        };
        let statements = match v.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => continue,
        };
        out.push((slot, Doc::new(statements)));
    }
    out
}

/// The spec slot of an engine policy source.
fn slot_of(spec: &Spec, world: &crate::core::world::World, source: PolicySource) -> Option<Slot> {
    let principal = |i: usize| {
        let arn = &world.principals.get(i)?.arn;
        spec.principals.iter().position(|p| &p.arn == arn)
    };
    let account = |i: usize| {
        let id = &world.accounts.get(i)?.id;
        spec.accounts.iter().position(|a| &a.id == id)
    };
    Some(match source {
        PolicySource::Key { key } => {
            let arn = &world.keys.get(key)?.arn;
            Slot::Key(spec.keys.iter().position(|k| &k.arn == arn)?)
        }
        PolicySource::Bucket { bucket } => {
            let name = &world.buckets.get(bucket)?.name;
            Slot::Bucket(spec.buckets.iter().position(|b| &b.name == name)?)
        }
        PolicySource::Identity {
            principal: p,
            index,
        } => Slot::Identity(principal(p)?, index),
        PolicySource::Boundary { principal: p } => Slot::Boundary(principal(p)?),
        PolicySource::Scp { account: a, index } => Slot::Scp(account(a)?, index),
        PolicySource::Rcp { account: a, index } => Slot::Rcp(account(a)?, index),
    })
}
