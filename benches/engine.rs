//! Engine speed (issue: "Speed and memory"): `cargo bench --bench engine`.
//!
//! - evaluate/worked_example: one request of the study guide's worked
//!   example (s3:GetObject + implied kms:Decrypt, 3 policies), parsed once.
//! - load_and_evaluate/worked_example: the whole file read from text and
//!   every request evaluated, as `keyshake eval` and the lab do per keystroke.
//! - reparse_and_evaluate/worked_example: the worked example's three policy
//!   documents parsed from JSON and the request evaluated, as the lab does
//!   when a learner edits a policy (the work an offline IAM simulator does
//!   per request, parsing included).
//! - evaluate/50_requests_10x20: 50 requests against ten 20-statement policies.
//! - parse/key_policy_32kb: parse and validate a key policy just under 32 KB.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::eval::evaluate;
use keyshake::core::policy::{PolicyKind, parse};
use keyshake::core::world::load_str;

fn worked_example() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/worked-example-corrected.toml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A statement for the large generated policies: varied actions, resources
/// and conditions so matching does real work.
fn statement(i: usize, principal: bool) -> String {
    let actions = [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:Describe*",
        "s3:GetObject",
        "s3:PutObject",
    ];
    let principal = if principal {
        format!(r#""Principal": {{"AWS": "arn:aws:iam::444455556666:role/role-{i}"}},"#)
    } else {
        String::new()
    };
    format!(
        r#"{{"Sid": "Statement{i}", "Effect": "{}", {principal} "Action": ["{}", "{}"], "Resource": "{}", "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}, "Bool": {{"aws:SecureTransport": "true"}}}}}}"#,
        if i % 7 == 6 { "Deny" } else { "Allow" },
        actions[i % actions.len()],
        actions[(i + 1) % actions.len()],
        if principal.is_empty() {
            format!("arn:aws:kms:us-east-1:111122223333:key/k{}", i % 5)
        } else {
            "*".to_string()
        },
    )
}

fn policy(statements: usize, principal: bool, offset: usize) -> String {
    let body: Vec<String> = (0..statements)
        .map(|i| statement(i + offset, principal))
        .collect();
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        body.join(",\n")
    )
}

/// Ten 20-statement policies (5 key policies, 5 identity policies) and 50
/// requests.
fn large_world() -> String {
    let mut s = String::new();
    for k in 0..5 {
        let mut p = policy(19, true, k * 20);
        p = p.replacen(
            "[",
            "[{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},",
            1,
        );
        s.push_str(&format!("[[keys]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/k{k}\"\npolicy = '''{p}'''\n\n"));
    }
    for r in 0..5 {
        s.push_str(&format!(
            "[[principals]]\narn = \"arn:aws:iam::444455556666:role/role-{r}\"\npolicies = ['''{}''']\n\n",
            policy(20, false, r * 20)
        ));
    }
    let actions = [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
        "kms:ReEncryptFrom",
    ];
    for i in 0..50 {
        s.push_str(&format!(
            "[[requests]]\nprincipal = \"arn:aws:sts::444455556666:assumed-role/role-{}/s{i}\"\naction = \"{}\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/k{}\"\ncontext = {{ \"aws:SecureTransport\" = true, \"aws:PrincipalTag/team\" = \"team-{}\" }}\n\n",
            i % 5,
            actions[i % actions.len()],
            i % 5,
            i % 20
        ));
    }
    s
}

/// A key policy just under the 32 KB limit.
fn big_key_policy() -> String {
    let mut n = 1;
    loop {
        let next = policy(n + 1, true, 0);
        if next.len() > 32 * 1024 {
            return policy(n, true, 0);
        }
        n += 1;
    }
}

fn benches(c: &mut Criterion) {
    let text = worked_example();
    let world = load_str("worked-example-corrected.toml", &text).expect("valid scenario");
    let get = world
        .requests
        .iter()
        .find(|r| r.action == "s3:GetObject")
        .expect("the worked example has an s3:GetObject request")
        .clone();
    c.bench_function("evaluate/worked_example", |b| {
        b.iter(|| evaluate(black_box(&world), black_box(&get)))
    });
    c.bench_function("load_and_evaluate/worked_example", |b| {
        b.iter(|| {
            let w = load_str("w.toml", black_box(&text)).expect("valid");
            for r in &w.requests {
                black_box(evaluate(&w, r));
            }
        })
    });

    // The three policy texts of the worked example, as a learner edits them.
    let raw: toml::Table = toml::from_str(&text).expect("valid TOML");
    let key_policy = raw["keys"][0]["policy"]
        .as_str()
        .expect("key policy")
        .to_string();
    let bucket_policy = raw["buckets"][0]["policy"]
        .as_str()
        .expect("bucket policy")
        .to_string();
    let identity = raw["principals"][0]["policies"][0]
        .as_str()
        .expect("identity policy")
        .to_string();
    let mut edited = world.clone();
    c.bench_function("reparse_and_evaluate/worked_example", |b| {
        b.iter(|| {
            edited.keys[0].policy =
                parse(black_box(&key_policy), PolicyKind::KeyPolicy).expect("valid");
            edited.buckets[0].policy =
                Some(parse(black_box(&bucket_policy), PolicyKind::BucketPolicy).expect("valid"));
            edited.principals[0].policies[0] =
                parse(black_box(&identity), PolicyKind::Identity).expect("valid");
            evaluate(&edited, &get)
        })
    });

    let large = load_str("large.toml", &large_world()).expect("valid large world");
    assert_eq!(large.requests.len(), 50);
    c.bench_function("evaluate/50_requests_10x20", |b| {
        b.iter(|| {
            for r in &large.requests {
                black_box(evaluate(black_box(&large), r));
            }
        })
    });

    let big = big_key_policy();
    assert!(
        big.len() > 30_000 && big.len() <= 32 * 1024,
        "{} bytes",
        big.len()
    );
    c.bench_function("parse/key_policy_32kb", |b| {
        b.iter(|| parse(black_box(&big), PolicyKind::KeyPolicy).expect("valid"))
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
