//! Near misses and fixes (why-not contract §1-§2).
//!
//! - Every scenario under tests/whynot/ is snapshotted: its human report
//!   (nearest misses under the policy) and its `--fix` report (diffs).
//! - Every fix the engine reports, over every scenario of tests/, allows
//!   its request once applied (it was verified) and writes no wildcard.
//! - Breaking one part of a statement that allowed a request: the request
//!   then shows that statement among its near misses with that part
//!   failing, the fixes allow it again, and they allow nothing the unbroken
//!   file denied.

use std::path::{Path, PathBuf};

use keyshake::cli::eval::{FileResult, Style, evaluate_file, fix_report, human};
use keyshake::core::eval::{Failed, Outcome, PolicyOutcome, PolicySource, evaluate, fix};
use keyshake::core::policy::{Policy, parse};
use keyshake::core::world::{Request, Verdict, World, load};
use serde_json::Value;

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn checked(path: &Path) -> FileResult {
    let mut f = evaluate_file(path);
    f.file = relative(path);
    assert!(f.errors.is_empty(), "{}: {:?}", f.file, f.errors);
    for r in &f.results {
        assert_eq!(r.passed(), Some(true), "{}: {:?}", f.file, r.request.name);
    }
    f
}

#[test]
fn near_misses_and_fixes_of_each_element_kind() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests"),
        "whynot/*.toml",
        |path| {
            let f = checked(path);
            let text = format!(
                "{}\n--- fixes ---\n{}",
                human(&f, Style { color: false }),
                fix_report(&f)
            );
            insta::assert_snapshot!(text);
        }
    );
}

fn scenario_paths() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    for dir in ["scenarios", "whynot"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        out.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml")),
        );
    }
    out.sort();
    out
}

fn worlds() -> Vec<(String, World)> {
    scenario_paths()
        .iter()
        .filter_map(|p| {
            let name = relative(p);
            let bytes = std::fs::read(p).ok()?;
            load(&name, &bytes).ok().map(|w| (name, w))
        })
        .collect()
}

#[test]
fn every_reported_fix_allows_its_request_and_names_no_wildcard() {
    let mut fixed = 0;
    for (name, world) in worlds() {
        for r in &world.requests {
            let o = evaluate(&world, r);
            let result = fix::fixes(&world, r, &o);
            if o.verdict == Verdict::Allow {
                assert!(result.fixes.is_empty() && result.no_fix.is_none());
                continue;
            }
            assert!(
                result.fixes.is_empty() != result.no_fix.is_none(),
                "{name} {:?}: either fixes or a reason, never both or neither",
                r.name
            );
            if result.fixes.is_empty() {
                continue;
            }
            fixed += 1;
            let patched = fix::apply(&world, &result.fixes);
            assert_eq!(
                evaluate(&patched, r).verdict,
                Verdict::Allow,
                "{name} {:?}: the fixes must allow the request",
                r.name
            );
            // also_allows is exactly what a full evaluation of the patched
            // file finds newly allowed (the search re-evaluates only the
            // requests an edit can change, and must miss none).
            let opened: Vec<String> = world
                .requests
                .iter()
                .enumerate()
                .filter(|(_, q)| !std::ptr::eq(*q, r) && q.line != r.line)
                .filter(|(_, q)| evaluate(&world, q).verdict == Verdict::Deny)
                .filter(|(_, q)| evaluate(&patched, q).verdict == Verdict::Allow)
                .map(|(i, q)| q.name.clone().unwrap_or_else(|| format!("#{}", i + 1)))
                .collect();
            assert_eq!(
                result.also_allows, opened,
                "{name} {:?}: also_allows",
                r.name
            );
            for f in &result.fixes {
                let added = added_lines(&f.before, &f.document);
                assert!(
                    !added
                        .iter()
                        .any(|l| l.contains("\"*\"") || l.contains(":*\"")),
                    "{name} {:?}: a fix adds a wildcard:\n{}",
                    r.name,
                    added.join("\n")
                );
                assert!(
                    !added.iter().any(|l| l.contains(":alias/")),
                    "{name} {:?}: a fix names an alias",
                    r.name
                );
            }
        }
    }
    assert!(fixed > 20, "only {fixed} requests were fixed");
}

/// The JSON string values of `after` that `before` does not hold, quoted.
fn added_lines(before: &str, after: &str) -> Vec<String> {
    fn strings(text: &str) -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::String(s) => out.push(format!("\"{s}\"")),
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                Value::Object(o) => o.values().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            walk(&v, &mut out);
        }
        out
    }
    let old = strings(before);
    strings(after)
        .into_iter()
        .filter(|s| !old.contains(s))
        .collect()
}

#[test]
fn explicit_deny_and_managed_keys_get_no_fix_with_their_code() {
    let mut seen = std::collections::BTreeSet::new();
    for (_, world) in worlds() {
        for r in &world.requests {
            let o = evaluate(&world, r);
            if let Some(n) = fix::fixes(&world, r, &o).no_fix {
                seen.insert(n.code.code());
            }
        }
    }
    for code in [
        "explicit_deny",
        "not_cross_account",
        "aws_managed_key",
        "insecure_transport",
        "not_found",
    ] {
        assert!(
            seen.contains(code),
            "no request gets no_fix {code}: {seen:?}"
        );
    }
}

/// A pathological identity policy (hundreds of statements, each one part
/// away, with heavy wildcards) ends the search quickly with a verdict.
#[test]
fn a_pathological_policy_ends_the_search() {
    let mut statements = Vec::new();
    // As many as an identity policy can hold (10,240 characters).
    for i in 0..70 {
        statements.push(format!(
            r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*", "Condition": {{"StringLike": {{"kms:EncryptionContext:n": "*a*a*a*a*a*a*a*b{i}"}}}}}}"#
        ));
    }
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(",")
    );
    let key_policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
    let key = "arn:aws:kms:us-east-1:111122223333:key/k1";
    let role = "arn:aws:iam::111122223333:role/app";
    let toml = format!(
        "[[keys]]\narn = \"{key}\"\npolicy = '''{key_policy}'''\n\n[[principals]]\narn = \"{role}\"\npolicies = ['''{policy}''']\n\n[[requests]]\nprincipal = \"{role}\"\naction = \"kms:Decrypt\"\nresource = \"{key}\"\ncontext = {{ \"kms:EncryptionContext:n\" = \"{}\" }}\n",
        "a".repeat(40)
    );
    let world = match load("p.toml", toml.as_bytes()) {
        Ok(w) => w,
        Err(e) => panic!("{e:?}"),
    };
    let r = &world.requests[0];
    let o = evaluate(&world, r);
    assert_eq!(o.verdict, Verdict::Deny);
    let start = std::time::Instant::now();
    let result = fix::fixes(&world, r, &o);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    assert!(!result.fixes.is_empty() || result.no_fix.is_some());
}

// ---- the property: break one part, find it, fix it ----

/// Which part of a statement to break.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Action,
    Resource,
    Principal,
    Condition(usize),
    /// The condition's key misspelt (two letters swapped).
    ConditionKey(usize),
    /// Each action name misspelt (two letters swapped: `kms:Decrpyt`).
    ActionTypo,
    /// Each resource one step off: an object pattern without its `/*`,
    /// any other ARN with its last character changed.
    ResourceNear,
    /// Each account ID in the principal one digit off.
    PrincipalNear,
}

impl Part {
    fn element(self) -> &'static str {
        match self {
            Part::Action | Part::ActionTypo => "action",
            Part::Resource | Part::ResourceNear => "resource",
            Part::Principal | Part::PrincipalNear => "principal",
            Part::Condition(_) | Part::ConditionKey(_) => "condition",
        }
    }
}

/// The allowing statements of an outcome and its implied calls: (depth,
/// source, statement index).
fn allowing(o: &Outcome, depth: usize, out: &mut Vec<(usize, PolicySource, usize)>) {
    for t in &o.trace {
        if t.outcome == PolicyOutcome::Allow
            && let Some(s) = t.statement
        {
            out.push((depth, t.source, s));
        }
    }
    for i in &o.implied {
        allowing(i, depth + 1, out);
    }
}

fn at_depth(o: &Outcome, depth: usize) -> Option<&Outcome> {
    if depth == 0 {
        Some(o)
    } else {
        at_depth(o.implied.first()?, depth - 1)
    }
}

fn policy_mut(w: &mut World, source: PolicySource) -> Option<&mut Policy> {
    match source {
        PolicySource::Identity { principal, index } => {
            w.principals.get_mut(principal)?.policies.get_mut(index)
        }
        PolicySource::Boundary { principal } => w.principals.get_mut(principal)?.boundary.as_mut(),
        PolicySource::Scp { account, index } => w.accounts.get_mut(account)?.scps.get_mut(index),
        PolicySource::Rcp { account, index } => w.accounts.get_mut(account)?.rcps.get_mut(index),
        PolicySource::Key { key } => w.keys.get_mut(key).map(|k| &mut k.policy),
        PolicySource::Bucket { bucket } => w.buckets.get_mut(bucket)?.policy.as_mut(),
    }
}

/// The policy text with one part of statement `index` broken, if that
/// part can be broken (a condition only for string and ARN operators).
fn broken_text(p: &Policy, index: usize, part: Part) -> Option<String> {
    let mut doc: Value = serde_json::from_str(&p.text).ok()?;
    let st = match doc.get_mut("Statement")? {
        Value::Array(items) => items.get_mut(index)?,
        v @ Value::Object(_) if index == 0 => v,
        _ => return None,
    };
    let obj = st.as_object_mut()?;
    match part {
        Part::Action => {
            let name = if obj.contains_key("Action") {
                "Action"
            } else {
                return None;
            };
            obj.insert(name.into(), Value::String("kms:ListAliases".into()));
        }
        Part::Resource => {
            if !obj.contains_key("Resource") {
                return None;
            }
            obj.insert(
                "Resource".into(),
                Value::String("arn:aws:s3:::keyshake-broken/none".into()),
            );
        }
        Part::Principal => {
            if !obj.contains_key("Principal") {
                return None;
            }
            obj.insert(
                "Principal".into(),
                serde_json::json!({"AWS": "arn:aws:iam::999999999999:role/broken"}),
            );
        }
        Part::Condition(i) => {
            let c = p.statements.get(index)?.conditions.get(i)?;
            let op = c.operator.name();
            let string_like = (op.contains("String") || op.contains("Arn"))
                && !c.operator.is_negated()
                && !op.contains("IfExists")
                && !op.starts_with("ForAllValues");
            if !string_like {
                return None;
            }
            let value = if op.contains("Arn") {
                "arn:aws:iam::999999999999:role/broken"
            } else {
                "keyshake-broken"
            };
            let cond = obj.get_mut("Condition")?.get_mut(&op)?.as_object_mut()?;
            let key = cond
                .keys()
                .find(|k| k.eq_ignore_ascii_case(&c.key))?
                .clone();
            cond.insert(key, Value::String(value.into()));
        }
        Part::ActionTypo => near_each(obj.get_mut("Action")?, typo_action)?,
        Part::ResourceNear => near_each(obj.get_mut("Resource")?, near_resource)?,
        Part::PrincipalNear => near_each(obj.get_mut("Principal")?.get_mut("AWS")?, near_account)?,
        Part::ConditionKey(i) => {
            let c = p.statements.get(index)?.conditions.get(i)?;
            let op = c.operator.name();
            let misspelt = misspelt(&c.key)?;
            let cond = obj.get_mut("Condition")?.get_mut(&op)?.as_object_mut()?;
            let key = cond
                .keys()
                .find(|k| k.eq_ignore_ascii_case(&c.key))?
                .clone();
            let value = cond.remove(&key)?;
            cond.insert(misspelt, value);
        }
    }
    serde_json::to_string_pretty(&doc).ok()
}

/// Replaces every string of `v` (a string or a list) by `near` of it;
/// `None` when one cannot be changed so.
fn near_each(v: &mut Value, near: fn(&str) -> Option<String>) -> Option<()> {
    match v {
        Value::String(s) => *s = near(s)?,
        Value::Array(items) => {
            for item in items {
                let Value::String(s) = item else { return None };
                *s = near(s)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// `kms:Decrypt` -> `kms:Decrpyt`: two neighbouring lower-case letters
/// swapped, when that names no action (no wildcard entries).
fn typo_action(action: &str) -> Option<String> {
    let (prefix, name) = action.split_once(':')?;
    if name.contains(['*', '?']) {
        return None;
    }
    let b = name.as_bytes();
    let j = (1..b.len().saturating_sub(1)).rev().find(|&j| {
        b[j] != b[j + 1] && b[j].is_ascii_lowercase() && b[j + 1].is_ascii_lowercase()
    })?;
    let mut swapped = b.to_vec();
    swapped.swap(j, j + 1);
    let out = format!("{prefix}:{}", String::from_utf8(swapped).ok()?);
    let known = keyshake::core::policy::catalog::catalog()
        .action(&out)
        .is_known();
    (!known).then_some(out)
}

/// `arn:aws:s3:::b/*` -> `arn:aws:s3:::b`; `…:key/1234` -> `…:key/1235`.
fn near_resource(resource: &str) -> Option<String> {
    if resource.chars().all(|c| c == '*') {
        return None;
    }
    if let Some(bucket) = resource.strip_suffix("/*") {
        return Some(bucket.to_string());
    }
    let last = resource.chars().last()?;
    if last == '*' {
        return None;
    }
    let changed = if last == 'x' { 'y' } else { 'x' };
    Some(format!(
        "{}{changed}",
        &resource[..resource.len() - last.len_utf8()]
    ))
}

/// The 12-digit account ID of an account or ARN principal, its last
/// digit changed.
fn near_account(principal: &str) -> Option<String> {
    let at = principal.find(|c: char| c.is_ascii_digit())?;
    let id = principal.get(at..at + 12)?;
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let last = id.as_bytes()[11];
    let changed = if last == b'9' {
        '0'
    } else {
        char::from(last + 1)
    };
    Some(format!(
        "{}{}{changed}{}",
        &principal[..at],
        &id[..11],
        &principal[at + 12..]
    ))
}

/// A catalog key (not a templated one) with two neighbouring letters of
/// its name swapped, when that makes a name AWS does not define.
fn misspelt(key: &str) -> Option<String> {
    let c = keyshake::core::policy::catalog::catalog();
    let known = c.condition_key(key)?;
    if known.is_templated() {
        return None;
    }
    let (prefix, name) = key.rsplit_once(':')?;
    let b = name.as_bytes();
    let j = (1..b.len().saturating_sub(1)).find(|&j| {
        b[j] != b[j + 1] && b[j].is_ascii_lowercase() && b[j + 1].is_ascii_lowercase()
    })?;
    let mut swapped = b.to_vec();
    swapped.swap(j, j + 1);
    let out = format!("{prefix}:{}", String::from_utf8(swapped).ok()?);
    c.condition_key(&out).is_none().then_some(out)
}

fn name_of(r: &Request, i: usize) -> String {
    r.name.clone().unwrap_or_else(|| format!("#{}", i + 1))
}

#[test]
fn breaking_one_part_is_found_and_fixed_without_over_granting() {
    let mut tried = 0;
    let mut failures = Vec::new();
    for (file, world) in worlds() {
        let before: Vec<Verdict> = world
            .requests
            .iter()
            .map(|r| evaluate(&world, r).verdict)
            .collect();
        for (ri, r) in world.requests.iter().enumerate() {
            let o = evaluate(&world, r);
            if o.verdict != Verdict::Allow {
                continue;
            }
            let mut found = Vec::new();
            allowing(&o, 0, &mut found);
            for (depth, source, si) in found {
                let Some(p) = source.policy(&world) else {
                    continue;
                };
                if let PolicySource::Key { key } = source
                    && (world.keys[key].generated
                        || world.keys[key].manager != keyshake::core::world::Manager::Customer)
                {
                    continue; // an AWS managed key's policy is not the learner's to edit
                }
                let Some(s) = p.statements.get(si) else {
                    continue;
                };
                let mut parts = vec![
                    Part::Action,
                    Part::Resource,
                    Part::ActionTypo,
                    Part::ResourceNear,
                ];
                if p.kind.is_resource_policy() {
                    parts.extend([Part::Principal, Part::PrincipalNear]);
                }
                parts.extend((0..s.conditions.len()).map(Part::Condition));
                parts.extend((0..s.conditions.len()).map(Part::ConditionKey));
                for part in parts {
                    let Some(text) = broken_text(p, si, part) else {
                        continue;
                    };
                    let Ok(policy) = parse(&text, p.kind) else {
                        continue;
                    };
                    let mut broken = world.clone();
                    let Some(slot) = policy_mut(&mut broken, source) else {
                        continue;
                    };
                    *slot = policy;
                    let bo = evaluate(&broken, r);
                    if bo.verdict == Verdict::Allow || bo.reason.code() != "implicit_deny" {
                        continue; // another statement allows, or it was not this one alone
                    }
                    tried += 1;
                    let what = format!("{file} {} {:?} of {source:?} #{si}", name_of(r, ri), part);
                    check_near(&bo, depth, source, si, part, &what, &mut failures);
                    check_fix(&broken, r, &bo, &world, &before, &what, &mut failures);
                }
            }
        }
    }
    assert!(tried >= 1000, "only {tried} broken statements tried");
    // The search judges a fix by all it changes among the file's other
    // requests (toward what the file expects of each, or not), so no
    // broken statement's fix may allow what the unbroken file denied.
    assert!(
        failures.is_empty(),
        "{} of {tried} broken statements failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_near(
    bo: &Outcome,
    depth: usize,
    source: PolicySource,
    si: usize,
    part: Part,
    what: &str,
    failures: &mut Vec<String>,
) {
    // The deepest call that was made and consulted the broken policy (a
    // statement that allows both S3 and KMS fails S3 first).
    let found = (0..=depth)
        .rev()
        .filter_map(|d| at_depth(bo, d))
        .find_map(|l| {
            l.trace
                .iter()
                .position(|t| t.source == source)
                .map(|ti| (l, ti))
        });
    let Some((level, ti)) = found else {
        failures.push(format!("{what}: the broken policy is not in the trace"));
        return;
    };
    let near = level.near_misses(ti);
    let hit = near.iter().find(|m| m.statement == si);
    match hit {
        None => failures.push(format!("{what}: not among the near misses {near:?}")),
        Some(m) => {
            let ok = m.failed.iter().any(|f| match (f, part) {
                (Failed::Condition { index, .. }, Part::Condition(i) | Part::ConditionKey(i)) => {
                    *index == i
                }
                (f, p) => f.element() == p.element(),
            });
            if !ok {
                failures.push(format!("{what}: the near miss fails on {:?}", m.failed));
            }
        }
    }
}

fn check_fix(
    broken: &World,
    r: &Request,
    bo: &Outcome,
    unbroken: &World,
    before: &[Verdict],
    what: &str,
    failures: &mut Vec<String>,
) {
    let result = fix::fixes(broken, r, bo);
    if result.fixes.is_empty() {
        failures.push(format!("{what}: no fix ({:?})", result.no_fix));
        return;
    }
    let patched = fix::apply(broken, &result.fixes);
    if evaluate(&patched, r).verdict != Verdict::Allow {
        failures.push(format!("{what}: the fixes do not allow it again"));
    }
    for (i, other) in unbroken.requests.iter().enumerate() {
        if before[i] == Verdict::Deny && evaluate(&patched, other).verdict == Verdict::Allow {
            let summaries: Vec<&str> = result.fixes.iter().map(|f| f.summary.as_str()).collect();
            failures.push(format!(
                "{what}: the fixes allow {}, which the unbroken file denied (fixes: {})",
                name_of(other, i),
                summaries.join(" | ")
            ));
        }
    }
}

/// A statement whose only failing part is its principal, in a policy where
/// naming the account or the caller in it would open requests its
/// condition keeps out: the fix adds a statement for the caller that keeps
/// that condition, and opens nothing the file denied.
#[test]
fn a_fix_for_a_conditioned_statement_keeps_its_condition() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scenarios/condition-if-exists-and-null.toml"),
    )
    .expect("scenario");
    let broken = text.replacen(
        r#""Principal": { "AWS": "arn:aws:iam::111122223333:role/app" },
      "Action": "kms:Encrypt","#,
        r#""Principal": { "AWS": "arn:aws:iam::111122223333:role/other" },
      "Action": "kms:Encrypt","#,
        1,
    );
    assert_ne!(broken, text, "the first statement's principal was changed");
    let world = match load("broken.toml", broken.as_bytes()) {
        Ok(w) => w,
        Err(e) => panic!("{e:?}"),
    };
    let r = world
        .requests
        .iter()
        .find(|r| r.name.as_deref() == Some("IfExists, key missing"))
        .expect("the request");
    let o = evaluate(&world, r);
    assert_eq!(o.verdict, Verdict::Deny);
    let result = fix::fixes(&world, r, &o);
    assert!(!result.fixes.is_empty(), "{:?}", result.no_fix);
    // Whatever else it opens, the file expects to be allowed.
    for name in &result.also_allows {
        let other = world
            .requests
            .iter()
            .find(|q| q.name.as_deref() == Some(name.as_str()))
            .expect("a named request");
        assert_eq!(other.expect, Some(Verdict::Allow), "{name}");
    }
    // The grant keeps the condition: the conditioned statement is repaired
    // in place, or a new one is added under its conditions.
    let summaries: Vec<&str> = result.fixes.iter().map(|f| f.summary.as_str()).collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("under the conditions of")
                || s.starts_with("In statement \"Encrypt: project alpha if a project is given\"")),
        "{summaries:?}"
    );
    let fixed = fix::apply(&world, &result.fixes);
    let different = fixed
        .requests
        .iter()
        .find(|q| q.name.as_deref() == Some("IfExists, key present and different"))
        .expect("the request");
    assert_eq!(evaluate(&fixed, different).verdict, Verdict::Deny);
}

/// A principal entry is a misspelling of the caller's ARN only when the
/// account and kind agree and the names are a letter or two apart; a name
/// that extends another (`alice`, `alice2`) is someone else.
#[test]
fn a_misspelt_principal_is_told_from_another_principal() {
    use keyshake::core::eval::near::misspells;
    let role = "arn:aws:iam::444455556666:role/reader";
    assert!(misspells("arn:aws:iam::444455556666:role/readr", role));
    assert!(misspells("arn:aws:iam::444455556666:role/raeder", role));
    assert!(misspells("arn:aws:iam::444455556666:role/path/reder", role));
    for other in [
        "arn:aws:iam::444455556666:role/reader",
        "arn:aws:iam::444455556667:role/readr",
        "arn:aws:iam::444455556666:user/readr",
        "arn:aws:iam::444455556666:role/reader-admin",
        "arn:aws:iam::444455556666:role/writer",
        "arn:aws:iam::444455556666:root",
        "*",
    ] {
        assert!(!misspells(other, role), "{other}");
    }
    let user = "arn:aws:iam::111122223333:user/alice2";
    assert!(!misspells("arn:aws:iam::111122223333:user/alice", user));
    assert!(!misspells(
        "arn:aws:iam::444455556666:role/etl",
        "arn:aws:iam::444455556666:role/app"
    ));
}
