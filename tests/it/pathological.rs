//! Inputs built to be slow (long wildcards, thousands of errors on one line,
//! a one-line policy of 12,000 statements, long condition lists) are still
//! decided correctly, or refused with a clear error. Their speed is measured
//! by `benches/engine.rs` (pathological/*); here only the answers count.

use keyshake::core::eval::evaluate;
use keyshake::core::world::{Reason, Verdict, World, load_str};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/7f3c2a91-4b6d-4e8a-9c15-2d8e6b0a4f73";
const KEY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

/// A world whose role `gen` has `identity` and asks for kms:Decrypt with
/// `context` (a TOML inline-table body).
fn world(identity: &str, context: &str) -> String {
    let q = "'''";
    format!(
        "title = \"generated\"\n[[keys]]\narn = \"{KEY}\"\npolicy = {q}{KEY_POLICY}{q}\n[[principals]]\narn = \"arn:aws:iam::111122223333:role/gen\"\npolicies = [{q}{identity}{q}]\n[[requests]]\nname = \"r\"\nprincipal = \"arn:aws:iam::111122223333:role/gen\"\naction = \"kms:Decrypt\"\nresource = \"{KEY}\"\ncontext = {{ {context} }}\n"
    )
}

fn conditioned(condition: &str, context: &str) -> String {
    world(
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{condition}}}]}}"#
        ),
        context,
    )
}

fn decide(text: &str) -> (Verdict, Reason) {
    let w: World = load_str("p.toml", text).expect("valid scenario");
    let o = evaluate(&w, &w.requests[0]);
    (o.verdict, o.reason)
}

/// The first error of a scenario that must not load.
fn refusal(text: &str) -> String {
    let errors = load_str("p.toml", text).expect_err("refused");
    errors[0].to_string()
}

#[test]
fn a_long_wildcard_is_refused_by_aws_size_limit_and_one_that_fits_is_decided() {
    // The audit's 330 KB pattern: larger than any identity policy AWS
    // accepts (10,240 characters), refused before any matching.
    let value = format!(r#""kms:EncryptionContext:p" = "{}""#, "a".repeat(8_000));
    let huge = conditioned(
        &format!(
            r#"{{"StringLike":{{"kms:EncryptionContext:p":"*{}b"}}}}"#,
            "a".repeat(165_000)
        ),
        &value,
    );
    let message = refusal(&huge);
    assert!(message.contains("at most 10240"), "{message}");
    // As long as a policy may be, against a value as long as a context
    // value may be: decided both ways.
    let no_b = conditioned(
        &format!(
            r#"{{"StringLike":{{"kms:EncryptionContext:p":"*{}b"}}}}"#,
            "a".repeat(4_000)
        ),
        &value,
    );
    assert_eq!(decide(&no_b), (Verdict::Deny, Reason::ImplicitDeny));
    let fits = conditioned(
        &format!(
            r#"{{"StringLike":{{"kms:EncryptionContext:p":"*{}?a*"}}}}"#,
            "a".repeat(4_000)
        ),
        &value,
    );
    assert_eq!(decide(&fits), (Verdict::Allow, Reason::Allowed));
}

#[test]
fn many_errors_on_one_line_are_each_located() {
    // As many bad statements as fit in an identity policy.
    let st = vec![r#"{"Effect":"Maybe","Action":"kms:Decrypt","Resource":"*"}"#; 170].join(",");
    let text = world(
        &format!(r#"{{"Version":"2012-10-17","Statement":[{st}]}}"#),
        "",
    );
    let errors = load_str("m.toml", &text).expect_err("every Effect is bad");
    let effects: Vec<_> = errors
        .iter()
        .filter(|d| d.message.contains("Maybe"))
        .collect();
    assert_eq!(effects.len(), 170, "{}", errors[0]);
    // All on line 7 (the policies line), at increasing columns, one
    // statement (57 characters with its comma) apart.
    assert!(effects.iter().all(|d| d.line == 7), "{}", effects[0]);
    let gaps: Vec<usize> = effects
        .windows(2)
        .map(|w| w[1].column - w[0].column)
        .collect();
    assert!(gaps.iter().all(|g| *g == 57), "{:?}", &gaps[..3]);
}

#[test]
fn a_one_line_policy_of_950_kb_is_refused_with_the_limit_and_its_line() {
    let st: Vec<String> = (0..13_500)
        .map(|i| {
            format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}"#)
        })
        .collect();
    let text = world(
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            st.join(",")
        ),
        "",
    );
    assert!(text.len() > 900_000);
    let errors = load_str("p.toml", &text).expect_err("too big");
    assert_eq!(errors.len(), 1, "one error, not one per statement");
    assert_eq!(errors[0].line, 7);
    assert!(errors[0].message.contains("at most 10240"), "{}", errors[0]);
    // The largest one-line policy AWS accepts is decided.
    let fits = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        st[..130].join(",")
    );
    assert_eq!(decide(&world(&fits, "")), (Verdict::Allow, Reason::Allowed));
}

#[test]
fn long_condition_lists_are_decided_and_longer_context_lists_refused() {
    let pats: Vec<String> = (0..600).map(|i| format!(r#""p{i}""#)).collect();
    let mut vals: Vec<String> = (0..999).map(|i| format!(r#""value-{i}""#)).collect();
    let condition = format!(
        r#"{{"ForAnyValue:StringLike":{{"aws:PrincipalTag/team":[{}]}}}}"#,
        pats.join(",")
    );
    let context = |v: &[String]| format!(r#""aws:PrincipalTag/team" = [{}]"#, v.join(","));
    assert_eq!(
        decide(&conditioned(&condition, &context(&vals))),
        (Verdict::Deny, Reason::ImplicitDeny)
    );
    vals.push(r#""p599""#.to_string());
    assert_eq!(
        decide(&conditioned(&condition, &context(&vals))),
        (Verdict::Allow, Reason::Allowed)
    );
    vals.push(r#""one-too-many""#.to_string());
    let message = refusal(&conditioned(&condition, &context(&vals)));
    assert!(message.contains("at most 1000"), "{message}");
}

#[test]
fn too_many_values_for_one_condition_key_is_a_clear_error() {
    let pats: Vec<String> = (0..1_001).map(|i| format!(r#""p{i}""#)).collect();
    let text = conditioned(
        &format!(
            r#"{{"StringLike":{{"aws:PrincipalTag/team":[{}]}}}}"#,
            pats.join(",")
        ),
        r#""aws:PrincipalTag/team" = "x""#,
    );
    let errors = load_str("c.toml", &text).expect_err("too many values");
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("lists 1001 values; at most 1000")),
        "{errors:?}"
    );
}
