//! The scenario fields of evaluation.md §6 that a file can get wrong: an RCP
//! that allows, names a principal or uses NotPrincipal, a malformed
//! organization ID or path.
//! Each is refused with the file, line and column of the offending text,
//! and a service principal is accepted as a request's caller.

use keyshake::core::diag::Diagnostic;
use keyshake::core::eval::evaluate;
use keyshake::core::world::load_str;

const REQUEST: &str = r#"
[[requests]]
principal = "arn:aws:iam::111122223333:role/app"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
"#;

const KEY: &str = r#"
[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
policy = '''
{ "Version": "2012-10-17",
  "Statement": [ { "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*" } ] }
'''
"#;

fn errors_of(text: &str) -> Vec<Diagnostic> {
    match load_str("org.toml", text) {
        Ok(_) => panic!("the scenario should be refused:\n{text}"),
        Err(diags) => diags,
    }
}

/// The 1-based line and column of the first occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn account_with_rcp(statement: &str) -> String {
    format!(
        "[[accounts]]\nid = \"111122223333\"\norg = \"o-a1b2c3d4e5\"\nrcps = ['''\n{{ \"Version\": \"2012-10-17\",\n  \"Statement\": [ {statement} ] }}\n''']\n{KEY}{REQUEST}"
    )
}

#[test]
fn an_rcp_allow_is_refused_at_its_effect() {
    let text = account_with_rcp(
        r#"{ "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*" }"#,
    );
    let diags = errors_of(&text);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!((d.line, d.column), position_of(&text, "\"Allow\""));
    assert!(
        d.message.contains("RCP 1 of account 111122223333"),
        "{}",
        d.message
    );
    assert!(d.message.contains("can only deny"), "{}", d.message);
}

#[test]
fn an_rcp_principal_other_than_star_is_refused_at_its_value() {
    for principal in [
        r#"{ "AWS": "arn:aws:iam::444455556666:root" }"#,
        r#"{ "AWS": "*" }"#,
        r#"["*"]"#,
    ] {
        let statement = format!(
            r#"{{ "Effect": "Deny", "Principal": {principal}, "Action": "kms:*", "Resource": "*" }}"#
        );
        let text = account_with_rcp(&statement);
        let diags = errors_of(&text);
        assert_eq!(diags.len(), 1, "{principal}: {diags:?}");
        assert_eq!(
            (diags[0].line, diags[0].column),
            position_of(&text, principal),
            "{principal}"
        );
        assert!(
            diags[0].message.contains("must be \"*\""),
            "{}",
            diags[0].message
        );
    }
}

#[test]
fn an_rcp_without_principal_or_with_not_principal_is_refused() {
    let missing = account_with_rcp(r#"{ "Effect": "Deny", "Action": "kms:*", "Resource": "*" }"#);
    let diags = errors_of(&missing);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("no \"Principal\""),
        "{}",
        diags[0].message
    );
    assert_eq!(
        (diags[0].line, diags[0].column),
        position_of(&missing, "{ \"Effect\": \"Deny\"")
    );

    let not = account_with_rcp(
        r#"{ "Effect": "Deny", "NotPrincipal": { "AWS": "444455556666" }, "Action": "kms:*", "Resource": "*" }"#,
    );
    let diags = errors_of(&not);
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("NotPrincipal is not supported")
                && (d.line, d.column) == position_of(&not, "\"NotPrincipal\"")),
        "{diags:?}"
    );
}

#[test]
fn a_deny_rcp_with_principal_star_is_accepted() {
    let text = account_with_rcp(
        r#"{ "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": { "StringNotEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }"#,
    );
    let world = load_str("org.toml", &text).expect("a Deny RCP for everyone is valid");
    assert_eq!(world.accounts[0].rcps.len(), 1);
}

#[test]
fn malformed_organization_fields_are_refused_where_written() {
    let cases = [
        (
            "org = \"a1b2c3d4e5\"",
            "\"a1b2c3d4e5\"",
            "not an organization ID",
        ),
        ("org = \"o-ABC\"", "\"o-ABC\"", "not an organization ID"),
        (
            "org = \"o-a1b2c3d4e5\"\nou_path = \"o-zzzzzzzzzz/r-ab12/\"",
            "\"o-zzzzzzzzzz/r-ab12/\"",
            "ou_path",
        ),
        (
            "org = \"o-a1b2c3d4e5\"\nou_path = \"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111\"",
            "\"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111\"",
            "ending with /",
        ),
        (
            "ou_path = \"r-ab12/ou-ab12-11111111/\"",
            "\"r-ab12/ou-ab12-11111111/\"",
            "must be a path in an organization",
        ),
    ];
    for (fields, at, words) in cases {
        let text = format!("[[accounts]]\nid = \"111122223333\"\n{fields}\n{KEY}{REQUEST}");
        let diags = errors_of(&text);
        assert_eq!(diags.len(), 1, "{fields}: {diags:?}");
        assert_eq!(
            (diags[0].line, diags[0].column),
            position_of(&text, at),
            "{fields}"
        );
        assert!(
            diags[0].message.contains(words),
            "{fields}: {}",
            diags[0].message
        );
    }
}

#[test]
fn a_service_principal_is_a_caller_with_no_account() {
    let text = format!(
        "{KEY}\n[[requests]]\nprincipal = \"cloudtrail.amazonaws.com\"\naction = \"kms:GenerateDataKey\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\n"
    );
    let world = load_str("org.toml", &text).expect("a service principal is a valid caller");
    let request = &world.requests[0];
    assert!(request.caller.is_service());
    assert_eq!(request.caller.account, "");
    let outcome = evaluate(&world, request);
    assert_eq!(
        outcome.verdict.code(),
        "allow",
        "Principal * covers a service"
    );
    assert!(
        !outcome.cross_account,
        "a service belongs to no other account"
    );

    for bad in [
        "CloudTrail.amazonaws.com",
        "amazonaws.com",
        "cloudtrail..amazonaws.com",
    ] {
        let text = format!(
            "{KEY}\n[[requests]]\nprincipal = \"{bad}\"\naction = \"kms:Decrypt\"\nresource = \"*\"\n"
        );
        let diags = errors_of(&text);
        assert_eq!(
            (diags[0].line, diags[0].column),
            position_of(&text, &format!("\"{bad}\"")),
            "{bad}"
        );
    }
}

#[test]
fn an_rcp_takes_no_not_action_and_only_the_2012_version() {
    let text = account_with_rcp(
        r#"{ "Effect": "Deny", "Principal": "*", "NotAction": "kms:Decrypt", "Resource": "*" }"#,
    );
    let diags = errors_of(&text);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].line, diags[0].column),
        position_of(&text, "\"NotAction\"")
    );

    let old = account_with_rcp(
        r#"{ "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*" }"#,
    )
    .replace("2012-10-17", "2008-10-17");
    let diags = errors_of(&old);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].line, diags[0].column),
        position_of(&old, "\"2008-10-17\"")
    );
    assert!(
        diags[0].message.contains("2012-10-17"),
        "{}",
        diags[0].message
    );
}

#[test]
fn a_path_names_the_organization_and_a_management_account_needs_no_org() {
    let text = format!(
        "[[accounts]]\nid = \"111122223333\"\nou_path = \"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/\"\n\n[[accounts]]\nid = \"999988887777\"\nmanagement = true\n{KEY}{REQUEST}"
    );
    let world = load_str("org.toml", &text).expect("valid accounts");
    assert_eq!(world.accounts[0].org.as_deref(), Some("o-a1b2c3d4e5"));
    assert!(world.accounts[1].management);
    assert_eq!(world.accounts[1].org, None);
}

#[test]
fn an_rcp_deny_is_reported_as_kind_rcp_with_its_label() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/rcp-identity-perimeter.toml");
    let files = [keyshake::cli::eval::evaluate_file(&path)];
    let json: serde_json::Value =
        serde_json::from_str(&keyshake::cli::eval::to_json(&files)).expect("eval --json is JSON");
    let first = &json["files"][0]["results"][0];
    assert_eq!(first["reason"], "explicit_deny");
    let rcp = first["trace"]
        .as_array()
        .expect("a trace")
        .iter()
        .find(|t| t["kind"] == "rcp")
        .expect("the RCP is in the trace");
    assert_eq!(rcp["policy"], "RCP 1 of account 111122223333");
    assert_eq!(rcp["outcome"], "deny");
    assert_eq!(rcp["statement"], "EnforceIdentityPerimeter");
    let explanation = first["explanation"].as_str().expect("a sentence");
    assert!(
        explanation.contains(
            "resource control policy RCP 1 of account 111122223333 denies callers outside o-a1b2c3d4e5"
        ),
        "{explanation}"
    );
}
