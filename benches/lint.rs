//! Lint speed: a 32 KB key policy, and the catalog's first load.

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::policy::PolicyKind;
use keyshake::core::policy::catalog::{Catalog, catalog};
use keyshake::core::policy::lint::lint;

/// A key policy just under the 32 KB key-policy limit (a policy over it is
/// refused at once, which would time nothing): an administrator and many
/// grants with wildcards, conditions, templated keys and a typo or two.
fn key_policy_32k() -> String {
    let mut statements = vec![
        r#"{ "Sid": "Admin", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }"#.to_string(),
    ];
    let mut i = 0;
    loop {
        let next = format!(
            r#"{{ "Sid": "Grant{i}", "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::4444555566{:02}:role/app-{i}" }}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:Decrpyt", "kms:DescribeKey"], "Resource": "*", "Condition": {{ "StringEquals": {{ "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::bucket-{i}", "kms:CallerAccount": "4444555566{:02}" }}, "Bool": {{ "aws:SecureTransport": "true" }} }} }}"#,
            i % 100,
            i % 100
        );
        statements.push(next);
        if document(&statements).len() > 32 * 1024 {
            statements.pop();
            return document(&statements);
        }
        i += 1;
    }
}

fn document(statements: &[String]) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}\n",
        statements.join(",\n    ")
    )
}

fn bench(c: &mut Criterion) {
    let policy = key_policy_32k();
    eprintln!(
        "policy: {} bytes; catalog: {} bytes embedded, {} bytes on the heap parsed",
        policy.len(),
        Catalog::embedded_bytes(),
        Catalog::embedded().heap_bytes()
    );
    let _ = catalog();
    let findings = lint(&policy, PolicyKind::KeyPolicy);
    assert!(
        findings.iter().any(|f| f.code == "unknown-action"),
        "the bench policy must be linted in full, not refused: {findings:?}"
    );
    eprintln!("findings: {}", findings.len());
    c.bench_function("lint 32 KB key policy", |b| {
        b.iter(|| lint(std::hint::black_box(&policy), PolicyKind::KeyPolicy))
    });
    c.bench_function("catalog parse (first use)", |b| b.iter(Catalog::embedded));
}

criterion_group!(benches, bench);
criterion_main!(benches);
