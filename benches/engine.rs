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
//! - evaluate/worked_example_as_printed: the study guide's example as
//!   printed (denied), so the near misses of its no-match policies are
//!   computed too.
//! - fix/largest_lab: the verified fix search (near-miss repairs, new
//!   statements, re-evaluation, also_allows) for one denied request of the
//!   largest built-in lab's starting state.
//! - evaluate/50_requests_10x20: 50 requests against ten 20-statement policies.
//! - parse/key_policy_32kb: parse and validate a key policy just under 32 KB.
//! - pathological/*: inputs built to be slow, generated here: each must be
//!   decided, or refused with a clear error, well within a second. The
//!   audit's own inputs exceed AWS's policy size limits (10,240 characters
//!   for an identity policy) and are refused, with the limit named:
//!   wildcard_330kb (`*aaa…ab`, 165,000 `a`s, against 330,000 `a`s),
//!   many_errors_20k (20,000 bad statements on one line),
//!   one_line_policy_950kb (12,000 statements on one line). The largest
//!   that fit are decided: wildcard_fitting (4,000 `a`s against 8,000),
//!   many_errors_170_fitting (170 bad statements on one line, each located).
//!   condition_arrays_literal (`ForAnyValue:StringLike`, 1,000 literal
//!   patterns × 100,000 request values) and condition_arrays_wild (1,000
//!   wildcard patterns × 2,000 request values); lint_one_line_policy_950kb
//!   times the linter on the one-line policy, for the record.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::eval::{evaluate, fixes};
use keyshake::core::policy::lint::lint;
use keyshake::core::policy::{PolicyKind, parse};
use keyshake::core::world::load_str;

/// The largest built-in lab (by file size) whose starting state, loaded as
/// a scenario, has a denied request, with that request.
fn largest_lab() -> (keyshake::core::world::World, keyshake::core::world::Request) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/labs");
    let mut labs: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(&dir)
        .expect("labs folder")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| (e.metadata().map(|m| m.len()).unwrap_or(0), e.path()))
        .collect();
    labs.sort();
    labs.into_iter()
        .rev()
        .filter_map(|(_, path)| {
            let text = std::fs::read_to_string(&path).ok()?;
            load_str(&path.display().to_string(), &text).ok()
        })
        .find_map(|w| {
            let r = w
                .requests
                .iter()
                .find(|r| evaluate(&w, r).verdict == keyshake::core::world::Verdict::Deny)?
                .clone();
            Some((w, r))
        })
        .expect("a lab starts with a denied request")
}

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

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/7f3c2a91-4b6d-4e8a-9c15-2d8e6b0a4f73";

/// A world whose one role may use the key under `condition` (JSON), and one
/// request with `context` (a TOML inline-table body).
fn conditioned(condition: &str, context: &str) -> String {
    let key_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let identity = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{condition}}}]}}"#
    );
    conditioned_with(key_policy, &identity, context)
}

fn conditioned_with(key_policy: &str, identity: &str, context: &str) -> String {
    let q = "'''";
    format!(
        "title = \"generated\"\n[[keys]]\narn = \"{KEY}\"\npolicy = {q}{key_policy}{q}\n[[principals]]\narn = \"arn:aws:iam::111122223333:role/gen\"\npolicies = [{q}{identity}{q}]\n[[requests]]\nname = \"r\"\nprincipal = \"arn:aws:iam::111122223333:role/gen\"\naction = \"kms:Decrypt\"\nresource = \"{KEY}\"\ncontext = {{ {context} }}\n"
    )
}

fn wildcard_world(n: usize, k: usize) -> String {
    conditioned(
        &format!(
            r#"{{"StringLike":{{"kms:EncryptionContext:p":"*{}b"}}}}"#,
            "a".repeat(k)
        ),
        &format!(r#""kms:EncryptionContext:p" = "{}""#, "a".repeat(n)),
    )
}

fn many_errors(n: usize) -> String {
    let st = vec![r#"{"Effect":"Maybe","Action":"kms:Decrypt","Resource":"*"}"#; n].join(",");
    let q = "'''";
    format!(
        "title = \"manyerr\"\n[[principals]]\narn = \"arn:aws:iam::111122223333:role/gen\"\npolicies = [{q}{{\"Version\":\"2012-10-17\",\"Statement\":[{st}]}}{q}]\n"
    )
}

fn one_line_policy_world(n: usize) -> String {
    let st: Vec<String> = (0..n)
        .map(|i| {
            format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}"#)
        })
        .collect();
    let key_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let identity = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        st.join(",")
    );
    conditioned_with(key_policy, &identity, "")
}

fn array_world(patterns: usize, values: usize, wild: bool) -> String {
    let pats: Vec<String> = (0..patterns)
        .map(|i| {
            if wild {
                format!(r#""*-p{i}-*""#)
            } else {
                format!(r#""team-p{i}""#)
            }
        })
        .collect();
    let vals: Vec<String> = (0..values).map(|i| format!(r#""value-{i}""#)).collect();
    conditioned(
        &format!(
            r#"{{"ForAnyValue:StringLike":{{"aws:PrincipalTag/team":[{}]}}}}"#,
            pats.join(",")
        ),
        &format!(r#""aws:PrincipalTag/team" = [{}]"#, vals.join(",")),
    )
}

fn pathological(c: &mut Criterion) {
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10);
    // The audit's inputs are larger than AWS's policy size limits, so they
    // are refused (with the limit named) before any matching: what is
    // timed is reaching that answer, or the decision when one loads.
    let load_eval = |text: &str| match load_str("p.toml", text) {
        Ok(w) => {
            let verdicts: Vec<_> = w.requests.iter().map(|r| evaluate(&w, r).verdict).collect();
            black_box(verdicts.len())
        }
        Err(e) => black_box(e.len()),
    };
    let wild = wildcard_world(330_000, 165_000);
    group.bench_function("wildcard_330kb", |b| b.iter(|| load_eval(black_box(&wild))));
    let errors = many_errors(20_000);
    let found = load_str("m.toml", &errors).expect_err("bad Effect everywhere");
    eprintln!(
        "many_errors_20k: {} diagnostics, first {}",
        found.len(),
        found[0]
    );
    group.bench_function("many_errors_20k", |b| {
        b.iter(|| {
            let e = load_str("m.toml", black_box(&errors)).expect_err("bad Effect everywhere");
            assert_eq!(e.len(), found.len());
        })
    });
    // The most bad statements an identity policy can hold, each located.
    let most = many_errors(170);
    group.bench_function("many_errors_170_fitting", |b| {
        b.iter(|| {
            load_str("m.toml", black_box(&most))
                .map(|_| 0)
                .unwrap_or_else(|e| e.len())
        })
    });
    let fitting = wildcard_world(8_000, 4_000);
    group.bench_function("wildcard_fitting", |b| {
        b.iter(|| load_eval(black_box(&fitting)))
    });
    let one_line = one_line_policy_world(12_000);
    group.bench_function("one_line_policy_950kb", |b| {
        b.iter(|| load_eval(black_box(&one_line)))
    });
    // Lint is timed for the record (the lab lints on every key); it is not
    // the engine's code.
    let policy: Vec<String> = (0..12_000)
        .map(|i| {
            format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}"#)
        })
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        policy.join(",")
    );
    group.bench_function("lint_one_line_policy_950kb", |b| {
        b.iter(|| lint(black_box(&policy), PolicyKind::Identity).len())
    });
    let literal = array_world(1_000, 100_000, false);
    group.bench_function("condition_arrays_literal", |b| {
        b.iter(|| load_eval(black_box(&literal)))
    });
    let wild_arrays = array_world(1_000, 2_000, true);
    group.bench_function("condition_arrays_wild", |b| {
        b.iter(|| load_eval(black_box(&wild_arrays)))
    });
    group.finish();
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
    let printed_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/worked-example-as-printed.toml");
    let printed_text = std::fs::read_to_string(&printed_path).expect("worked example as printed");
    let printed = load_str("printed.toml", &printed_text).expect("valid scenario");
    let printed_get = printed
        .requests
        .iter()
        .find(|r| r.action == "s3:GetObject")
        .expect("the printed example reads the object")
        .clone();
    c.bench_function("evaluate/worked_example_as_printed", |b| {
        b.iter(|| evaluate(black_box(&printed), black_box(&printed_get)))
    });
    let (lab, denied) = largest_lab();
    let denied_outcome = evaluate(&lab, &denied);
    c.bench_function("fix/largest_lab", |b| {
        b.iter(|| {
            fixes(
                black_box(&lab),
                black_box(&denied),
                black_box(&denied_outcome),
            )
        })
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

criterion_group!(engine, benches, pathological);
criterion_main!(engine);
