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

/// A cross-account caller whose key policy and ten identity policies hold
/// hundreds of statements, each one action away from the request: every
/// one of them is a near miss.
fn hundreds_of_near_statements() -> String {
    const ACTIONS: [&str; 6] = [
        "kms:Encrypt",
        "kms:ReEncryptFrom",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
        "kms:Sign",
        "kms:Verify",
    ];
    let doc = |s: &[String]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            s.join(",")
        )
    };
    let mut i = 0;
    let mut key = vec![
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#.to_string(),
    ];
    loop {
        let s = format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:role/app"}},"Action":"{}","Resource":"*"}}"#,
            ACTIONS[i % 6]
        );
        key.push(s);
        if doc(&key).len() > 32_000 {
            key.pop();
            break;
        }
        i += 1;
    }
    let mut identity = Vec::new();
    for _ in 0..10 {
        let mut part = Vec::new();
        loop {
            part.push(format!(
                r#"{{"Effect":"Allow","Action":"{}","Resource":"{KEY}"}}"#,
                ACTIONS[i % 6]
            ));
            if doc(&part).len() > 10_000 {
                part.pop();
                break;
            }
            i += 1;
        }
        identity.push(format!("'''{}'''", doc(&part)));
    }
    format!(
        "title = \"hundreds of near statements\"\n[[keys]]\narn = \"{KEY}\"\npolicy = '''{}'''\n[[principals]]\narn = \"arn:aws:iam::444455556666:role/app\"\npolicies = [{}]\n[[requests]]\nname = \"r\"\nprincipal = \"arn:aws:iam::444455556666:role/app\"\naction = \"kms:Decrypt\"\nresource = \"{KEY}\"\n",
        doc(&key),
        identity.join(", ")
    )
}

#[test]
fn hundreds_of_near_statements_still_get_both_halves_of_the_fix() {
    use keyshake::core::eval::fixes;
    let world = load_str("near.toml", &hundreds_of_near_statements()).expect("loads");
    let statements: usize = world.keys[0].policy.statements.len()
        + world.principals[0]
            .policies
            .iter()
            .map(|p| p.statements.len())
            .sum::<usize>();
    assert!(statements > 900, "{statements} statements");
    let request = &world.requests[0];
    let outcome = evaluate(&world, request);
    assert_eq!(outcome.verdict, Verdict::Deny);
    let result = fixes(&world, request, &outcome);
    assert_eq!(result.no_fix.as_ref().map(|n| n.code), None);
    assert_eq!(
        result.fixes.len(),
        2,
        "one edit per half: {:#?}",
        result.fixes
    );
    for f in &result.fixes {
        assert!(
            f.summary.contains("add kms:Decrypt to its Action"),
            "a near statement is repaired in place: {}",
            f.summary
        );
    }
}

#[test]
fn a_fix_search_that_runs_out_of_its_budget_says_so_in_no_fix() {
    use keyshake::core::eval::NoFixCode;
    use keyshake::core::eval::fix::{Base, fixes_with};
    let world = load_str("near.toml", &hundreds_of_near_statements()).expect("loads");
    let request = &world.requests[0];
    let outcome = evaluate(&world, request);
    // Room for about two evaluations of this world: not enough for two
    // halves, each verified.
    let base = Base::of(&world).with_budget(2_500);
    let result = fixes_with(&base, &mut world.clone(), request, &outcome);
    assert!(result.fixes.is_empty(), "{:#?}", result.fixes);
    let no_fix = result.no_fix.expect("a reason");
    assert_eq!(no_fix.code, NoFixCode::Budget);
    assert_eq!(no_fix.code.code(), "budget");
    assert!(no_fix.message.contains("budget"), "{}", no_fix.message);
    // The scratch world is left as it was: the full budget still finds both.
    let full = Base::of(&world);
    let mut scratch = world.clone();
    let _ = fixes_with(&base, &mut scratch, request, &outcome);
    let again = fixes_with(&full, &mut scratch, request, &outcome);
    assert_eq!(again.fixes.len(), 2);
}
