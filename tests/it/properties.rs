//! Invariants of the evaluator (architecture guide §c.6), checked over every
//! world of the scenario corpus with random changes:
//! - adding a Deny statement anywhere never turns a deny into an allow, and a
//!   matching one that is consulted makes the request an explicit deny;
//! - removing an Allow statement never turns a deny into an allow;
//! - a cross-account allow always shows both halves of the handshake;
//! - neither the policy parser nor the scenario loader panics on any input.

use std::path::Path;
use std::sync::OnceLock;

use keyshake::core::eval::{PolicyOutcome, evaluate};
use keyshake::core::policy::principal::CallerKind;
use keyshake::core::policy::{Effect, Policy, PolicyKind, parse};
use keyshake::core::world::{Reason, Verdict, World, load};
use proptest::prelude::*;

fn corpus() -> &'static Vec<World> {
    static WORLDS: OnceLock<Vec<World>> = OnceLock::new();
    WORLDS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("scenario folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|p| load(&p.display().to_string(), &std::fs::read(p).ok()?).ok())
            .collect()
    })
}

/// Every policy of a world, mutable, in a fixed order.
fn policies_mut(w: &mut World) -> Vec<&mut Policy> {
    let mut out: Vec<&mut Policy> = Vec::new();
    for k in &mut w.keys {
        out.push(&mut k.policy);
    }
    for b in &mut w.buckets {
        if let Some(p) = &mut b.policy {
            out.push(p);
        }
    }
    for p in &mut w.principals {
        out.extend(p.policies.iter_mut());
        if let Some(b) = &mut p.boundary {
            out.push(b);
        }
    }
    for a in &mut w.accounts {
        out.extend(a.scps.iter_mut());
    }
    out
}

const ACTIONS: &[&str] = &[
    "*",
    "kms:*",
    "kms:Decrypt",
    "kms:GenerateDataKey*",
    "s3:*",
    "s3:GetObject",
    "s3:PutObject",
    "kms:Describe*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:kms:*:*:key/*",
    "arn:aws:kms:us-east-1:111122223333:key/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::*/*",
];
const PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "444455556666",
    "arn:aws:iam::444455556666:root",
];
const CONDITIONS: &[&str] = &[
    "",
    r#", "Condition": {"Bool": {"aws:SecureTransport": "false"}}"#,
    r#", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
    r#", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
    r#", "Condition": {"Null": {"kms:RequestAlias": "true"}}"#,
];

/// A Deny statement, parsed for the policy's kind.
fn deny_statement(
    kind: PolicyKind,
    a: usize,
    r: usize,
    p: usize,
    c: usize,
) -> keyshake::core::policy::Statement {
    let principal = if kind.is_resource_policy() {
        format!(
            r#""Principal": {{"AWS": "{}"}}, "#,
            PRINCIPALS[p % PRINCIPALS.len()]
        )
    } else {
        String::new()
    };
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", {principal}"Action": "{}", "Resource": "{}"{}}}]}}"#,
        ACTIONS[a % ACTIONS.len()],
        RESOURCES[r % RESOURCES.len()],
        CONDITIONS[c % CONDITIONS.len()]
    );
    let mut policy = parse(&text, kind).expect("generated statements are valid");
    policy.statements.remove(0)
}

fn decisions(w: &World) -> Vec<(Verdict, Reason)> {
    w.requests
        .iter()
        .map(|r| {
            let o = evaluate(w, r);
            (o.verdict, o.reason)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_a_deny_never_allows_more(world in 0usize..1000, policy in 0usize..1000, a in 0usize..100, r in 0usize..100, p in 0usize..100, c in 0usize..100) {
        let worlds = corpus();
        prop_assume!(!worlds.is_empty());
        let original = &worlds[world % worlds.len()];
        let before = decisions(original);
        let mut changed = original.clone();
        let mut targets = policies_mut(&mut changed);
        prop_assume!(!targets.is_empty());
        let n = targets.len();
        let target = &mut targets[policy % n];
        let mut stmt = deny_statement(target.kind, a, r, p, c);
        stmt.index = target.statements.len();
        target.statements.push(stmt);
        let after = decisions(&changed);
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            prop_assert!(!(b.0 == Verdict::Deny && a.0 == Verdict::Allow),
                "request {i} of world {world}: deny became allow after adding a Deny");
        }
    }

    #[test]
    fn a_matching_deny_everywhere_denies_explicitly(world in 0usize..1000) {
        let worlds = corpus();
        prop_assume!(!worlds.is_empty());
        let mut changed = worlds[world % worlds.len()].clone();
        for target in policies_mut(&mut changed) {
            let mut stmt = deny_statement(target.kind, 0, 0, 0, 0);
            stmt.index = target.statements.len();
            target.statements.push(stmt);
        }
        for r in &changed.requests {
            let o = evaluate(&changed, r);
            // Requests refused before any policy is read (not_found,
            // not_cross_account) have an empty trace and stay as they were.
            if !o.trace.is_empty() {
                prop_assert_eq!(o.reason, Reason::ExplicitDeny, "{} {} {}", r.caller.arn, r.action, r.resource);
            }
        }
    }

    #[test]
    fn removing_an_allow_never_allows_more(world in 0usize..1000, policy in 0usize..1000, stmt in 0usize..1000) {
        let worlds = corpus();
        prop_assume!(!worlds.is_empty());
        let original = &worlds[world % worlds.len()];
        let before = decisions(original);
        let mut changed = original.clone();
        let mut targets = policies_mut(&mut changed);
        prop_assume!(!targets.is_empty());
        let n = targets.len();
        let target = &mut targets[policy % n];
        let allows: Vec<usize> = target.statements.iter().enumerate()
            .filter(|(_, s)| s.effect == Effect::Allow).map(|(i, _)| i).collect();
        prop_assume!(!allows.is_empty());
        target.statements.remove(allows[stmt % allows.len()]);
        let after = decisions(&changed);
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            prop_assert!(!(b.0 == Verdict::Deny && a.0 == Verdict::Allow),
                "request {i} of world {world}: deny became allow after removing an Allow");
        }
    }

    #[test]
    fn the_policy_parser_never_panics(text in ".{0,400}") {
        for kind in [PolicyKind::Identity, PolicyKind::KeyPolicy, PolicyKind::BucketPolicy] {
            let _ = parse(&text, kind);
        }
    }

    #[test]
    fn the_policy_parser_never_panics_on_json_like_input(parts in proptest::collection::vec(prop_oneof![
        Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
        Just("\"Statement\""), Just("\"Effect\""), Just("\"Allow\""), Just("\"Action\""),
        Just("\"Principal\""), Just("\"Condition\""), Just("\"StringEquals\""), Just("\"*\""),
        Just("\"arn:aws:kms:*:key/*\""), Just("true"), Just("1e5"), Just("\\u12"), Just("é"),
    ], 0..80)) {
        let text: String = parts.concat();
        for kind in [PolicyKind::Identity, PolicyKind::KeyPolicy, PolicyKind::Scp] {
            let _ = parse(&text, kind);
        }
    }

    #[test]
    fn the_scenario_loader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = load("fuzz.toml", &bytes);
    }
}

#[test]
fn every_cross_account_allow_shows_both_halves() {
    let mut checked = 0;
    for w in corpus() {
        for r in &w.requests {
            let o = evaluate(w, r);
            let mut calls = vec![&o];
            calls.extend(o.implied.iter());
            for call in calls {
                if call.verdict != Verdict::Allow || !call.cross_account {
                    continue;
                }
                let resource_half = call.trace.iter().any(|t| {
                    matches!(t.kind, PolicyKind::KeyPolicy | PolicyKind::BucketPolicy)
                        && t.outcome == PolicyOutcome::Allow
                });
                let identity_half = r.caller.kind == CallerKind::Root
                    || call.trace.iter().any(|t| {
                        t.kind == PolicyKind::Identity && t.outcome == PolicyOutcome::Allow
                    });
                assert!(
                    resource_half && identity_half,
                    "{} {} {}: {:?}",
                    r.caller.arn,
                    call.action,
                    call.resource,
                    call.trace
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 10,
        "the corpus should hold at least 10 cross-account allows, found {checked}"
    );
}
