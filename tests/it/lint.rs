//! `keyshake lint` and the lint behind it: every code of the contract,
//! positive and negative, at the line and column of the offending text.

use std::process::Command;

use keyshake::core::policy::PolicyKind;
use keyshake::core::policy::lint::file::lint_file;
use keyshake::core::policy::lint::{Finding, LintContext, LintSeverity, lint, lint_with};

/// Line and column (1-based, characters) of the first `"needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let quoted = format!("\"{needle}");
    let at = text
        .find(&quoted)
        .unwrap_or_else(|| panic!("{quoted} in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn identity(statement: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {statement}\n  ]\n}}\n")
}

fn bucket(statements: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{statements}\n  ]\n}}\n")
}

fn with_code<'a>(f: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.code == code).collect()
}

/// Asserts exactly one finding of `code`, at `"needle`, with `severity`.
fn one(text: &str, kind: PolicyKind, code: &str, needle: &str, severity: LintSeverity) -> Finding {
    let f = lint(text, kind);
    let hits = with_code(&f, code);
    assert_eq!(hits.len(), 1, "{code} in {text}: {f:#?}");
    assert_eq!(
        (hits[0].line, hits[0].column),
        pos(text, needle),
        "{code}: {f:#?}"
    );
    assert_eq!(hits[0].severity, severity);
    hits[0].clone()
}

const CATALOG_CODES: &[&str] = &[
    "unknown-action",
    "unknown-service",
    "unknown-condition-key",
    "condition-key-not-applicable",
    "condition-operator-type",
    "resource-mismatch",
    "alias-in-resource",
];

fn assert_quiet(text: &str, kind: PolicyKind) {
    let f = lint(text, kind);
    let noisy: Vec<_> = f
        .iter()
        .filter(|x| CATALOG_CODES.contains(&x.code))
        .collect();
    assert!(noisy.is_empty(), "false alarm on {text}: {noisy:#?}");
}

fn allow(action: &str, resource: &str, condition: &str) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(", \"Condition\": {condition}")
    };
    identity(&format!(
        "{{ \"Sid\": \"S1\", \"Effect\": \"Allow\", \"Action\": {action}, \"Resource\": {resource}{condition} }}"
    ))
}

/// An identity policy allowing `action` on `*` under one condition.
fn allow_if(action: &str, op: &str, key: &str, value: &str) -> String {
    let cond = format!("{{ \"{op}\": {{ \"{key}\": \"{value}\" }} }}");
    allow(&format!("\"{action}\""), "\"*\"", &cond)
}

const KEY: &str = "\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"";

#[test]
fn unknown_action_and_pattern_get_the_nearest_action() {
    let text = allow("[\"kms:Encrypt\", \"kms:Decrpyt\"]", KEY, "");
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-action",
        "kms:Decrpyt",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("kms:Decrypt"));
    assert_eq!(f.statement_name.as_deref(), Some("S1"));
    let text = allow("\"kms:Decrpt*\"", KEY, "");
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-action",
        "kms:Decrpt*",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("kms:Decrypt"));
    let text = allow("\"s3:GetObjectt\"", "\"arn:aws:s3:::b/*\"", "");
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-action",
        "s3:GetObjectt",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("s3:GetObject"));
}

#[test]
fn unknown_service_is_an_error() {
    let text = allow("\"kmss:Decrypt\"", KEY, "");
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-service",
        "kmss:Decrypt",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("kms:Decrypt"));
}

#[test]
fn valid_actions_in_every_form_are_quiet() {
    for action in [
        "\"kms:GenerateDataKey*\"",
        "\"s3:*Object\"",
        "\"kms:*\"",
        "\"*\"",
        "\"ec2:DescribeInstances\"",
        "\"KMS:decrypt\"",
        "[\"kms:Decrypt\", \"kms:Describe?ey\"]",
    ] {
        assert_quiet(&allow(action, "\"*\"", ""), PolicyKind::Identity);
    }
    let not_action = identity(
        "{ \"Effect\": \"Deny\", \"NotAction\": [\"kms:Decrypt\", \"s3:GetObject\"], \"NotResource\": \"arn:aws:s3:::b/*\" }",
    );
    assert_quiet(&not_action, PolicyKind::Identity);
}

#[test]
fn unknown_condition_keys_get_the_nearest_key() {
    let text = allow(
        "\"kms:Decrypt\"",
        KEY,
        "{ \"StringEquals\": { \"kms:ViaServce\": \"s3.us-east-1.amazonaws.com\" } }",
    );
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-condition-key",
        "kms:ViaServce",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("kms:ViaService"));
    let text = allow(
        "\"kms:Decrypt\"",
        KEY,
        "{ \"Bool\": { \"aws:SecureTransports\": \"true\" } }",
    );
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-condition-key",
        "aws:SecureTransports",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("aws:SecureTransport"));
}

#[test]
fn a_misspelt_templated_key_gets_the_template_with_its_own_tag_or_context_key() {
    for (action, resource, key, nearest) in [
        (
            "kms:Decrypt",
            KEY,
            "kms:EncryptionContxt:dept",
            "kms:EncryptionContext:dept",
        ),
        (
            "kms:Decrypt",
            KEY,
            "kms:encryptioncontex:aws:s3:arn",
            "kms:EncryptionContext:aws:s3:arn",
        ),
        (
            "kms:Decrypt",
            KEY,
            "aws:ResourceTg/project",
            "aws:ResourceTag/project",
        ),
        (
            "kms:Decrypt",
            KEY,
            "aws:PrincipalTags/team",
            "aws:PrincipalTag/team",
        ),
        (
            "s3:GetObject",
            "\"arn:aws:s3:::b/*\"",
            "s3:ExistingObjectTg/class",
            "s3:ExistingObjectTag/class",
        ),
    ] {
        let f = unknown_key(&format!("\"{action}\""), resource, key);
        assert_eq!(f.suggestion.as_deref(), Some(nearest), "{key}");
    }
    // A fixed part close to no template gets no guess.
    for key in ["kms:Foo:bar", "aws:Zzzzzzzz/x"] {
        let f = unknown_key("\"kms:Decrypt\"", KEY, key);
        assert_eq!(f.suggestion, None, "{key}");
    }
}

/// The one `unknown-condition-key` finding of a statement allowing
/// `action` on `resource` under `StringEquals` on `key`.
fn unknown_key(action: &str, resource: &str, key: &str) -> Finding {
    let cond = format!("{{ \"StringEquals\": {{ \"{key}\": \"x\" }} }}");
    let text = allow(action, resource, &cond);
    one(
        &text,
        PolicyKind::Identity,
        "unknown-condition-key",
        key,
        LintSeverity::Error,
    )
}

#[test]
fn templated_and_differently_cased_keys_are_quiet() {
    for cond in [
        "{ \"StringEquals\": { \"kms:EncryptionContext:dept\": \"finance\" } }",
        "{ \"StringEquals\": { \"kms:encryptioncontext:aws:s3:arn\": \"arn:aws:s3:::b\" } }",
        "{ \"ForAnyValue:StringEquals\": { \"kms:EncryptionContextKeys\": [\"dept\"] } }",
        "{ \"ForAllValues:StringLike\": { \"aws:TagKeys\": [\"a*\"] } }",
        "{ \"StringEquals\": { \"aws:ResourceTag/project\": \"x\", \"aws:RequestTag/x\": \"y\", \"aws:PrincipalTag/team\": \"z\" } }",
        "{ \"StringEqualsIfExists\": { \"AWS:SourceVpce\": \"vpce-1\" }, \"IpAddressIfExists\": { \"aws:sourceip\": \"10.0.0.0/8\" } }",
        "{ \"ArnLike\": { \"aws:PrincipalArn\": \"arn:aws:iam::*:role/app\" }, \"Null\": { \"kms:CallerAccount\": \"false\" } }",
        "{ \"NumericLessThan\": { \"aws:MultiFactorAuthAge\": \"3600\" }, \"DateLessThan\": { \"aws:CurrentTime\": \"2030-01-01T00:00:00Z\" } }",
        "{ \"StringEquals\": { \"saml:aud\": \"x\", \"accounts.google.com:aud\": \"y\" } }",
    ] {
        assert_quiet(&allow("\"kms:Decrypt\"", KEY, cond), PolicyKind::Identity);
    }
    for cond in [
        "{ \"StringEquals\": { \"s3:ExistingObjectTag/class\": \"x\" } }",
        "{ \"StringEquals\": { \"s3:RequestObjectTag/class\": \"x\" } }",
    ] {
        assert_quiet(
            &allow(
                "[\"s3:GetObject\", \"s3:PutObject\"]",
                "\"arn:aws:s3:::b/*\"",
                cond,
            ),
            PolicyKind::Identity,
        );
    }
}

#[test]
fn tag_keys_whose_placeholder_the_reference_writes_out_or_leaves_empty_are_templated() {
    // Secrets Manager's page writes `secretsmanager:ResourceTag/tag-key`,
    // Glacier's `glacier:ResourceTag/`: any tag key goes after the slash.
    for (action, key) in [
        (
            "secretsmanager:GetSecretValue",
            "secretsmanager:ResourceTag/team",
        ),
        ("glacier:DeleteArchive", "glacier:ResourceTag/LegalHold"),
        (
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ResourceTag/app",
        ),
        ("sagemaker:CreateEndpoint", "sagemaker:ResourceTag/app"),
    ] {
        let cond = format!("{{ \"StringEquals\": {{ \"{key}\": \"x\" }} }}");
        assert_quiet(
            &allow(&format!("\"{action}\""), "\"*\"", &cond),
            PolicyKind::Identity,
        );
    }
    let text = allow(
        "\"secretsmanager:GetSecretValue\"",
        "\"*\"",
        "{ \"StringEquals\": { \"secretsmanager:ResourceTags/team\": \"x\" } }",
    );
    one(
        &text,
        PolicyKind::Identity,
        "unknown-condition-key",
        "secretsmanager:ResourceTags/team",
        LintSeverity::Error,
    );
}

#[test]
fn keys_of_one_service_that_another_service_s_actions_take_are_known_and_applicable() {
    // EC2 Instance Connect's page defines ec2:osuser; sts:AssumeRole takes
    // iam:ResourceTag/*; X-Ray's actions take logs:LogGeneratingResourceArns.
    for (action, op, key, value) in [
        (
            "ec2-instance-connect:SendSSHPublicKey",
            "StringEquals",
            "ec2:osuser",
            "ec2-user",
        ),
        (
            "sts:AssumeRole",
            "StringEquals",
            "iam:ResourceTag/team",
            "${aws:PrincipalTag/team}",
        ),
        (
            "xray:PutTraceSegments",
            "ForAnyValue:ArnLike",
            "logs:LogGeneratingResourceArns",
            "arn:aws:logs:*:*:*",
        ),
        (
            "iotjobsdata:DescribeJobExecution",
            "StringEquals",
            "iot:JobId",
            "j1",
        ),
    ] {
        assert_quiet(&allow_if(action, op, key, value), PolicyKind::Identity);
    }
    // The same keys with actions that do not take them, and a typo.
    for (action, resource, key) in [
        ("s3:GetObject", "\"arn:aws:s3:::b/*\"", "ec2:osuser"),
        ("kms:Decrypt", KEY, "iam:ResourceTag/team"),
        (
            "ec2:StartInstances",
            "\"*\"",
            "logs:LogGeneratingResourceArns",
        ),
    ] {
        let cond = format!("{{ \"StringEquals\": {{ \"{key}\": \"x\" }} }}");
        let text = allow(&format!("\"{action}\""), resource, &cond);
        one(
            &text,
            PolicyKind::Identity,
            "condition-key-not-applicable",
            key,
            LintSeverity::Warning,
        );
    }
    let text = allow(
        "\"ec2-instance-connect:SendSSHPublicKey\"",
        "\"*\"",
        "{ \"StringEquals\": { \"ec2:osusr\": \"ec2-user\" } }",
    );
    let f = one(
        &text,
        PolicyKind::Identity,
        "unknown-condition-key",
        "ec2:osusr",
        LintSeverity::Error,
    );
    assert_eq!(f.suggestion.as_deref(), Some("ec2:osuser"));
}

#[test]
fn a_key_no_action_of_the_statement_supports_is_a_warning() {
    let cond = "{ \"StringEquals\": { \"kms:ViaService\": \"s3.us-east-1.amazonaws.com\" } }";
    let text = allow("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", cond);
    one(
        &text,
        PolicyKind::Identity,
        "condition-key-not-applicable",
        "kms:ViaService",
        LintSeverity::Warning,
    );
    for action in [
        "\"kms:Decrypt\"",
        "\"kms:*\"",
        "\"*\"",
        "[\"s3:GetObject\", \"kms:Decrypt\"]",
    ] {
        assert_quiet(&allow(action, "\"*\"", cond), PolicyKind::Identity);
    }
    let not_action = identity(&format!(
        "{{ \"Effect\": \"Deny\", \"NotAction\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {cond} }}"
    ));
    assert_quiet(&not_action, PolicyKind::Identity);
}

#[test]
fn an_operator_of_the_wrong_type_is_a_warning() {
    for (op, key) in [
        ("NumericEquals", "kms:CallerAccount"),
        ("DateGreaterThan", "aws:SourceIp"),
        ("Bool", "aws:PrincipalArn"),
        ("IpAddress", "aws:SourceVpce"),
        ("ArnLike", "kms:CallerAccount"),
        ("ForAnyValue:NumericLessThanIfExists", "aws:SourceVpce"),
    ] {
        let cond = format!("{{ \"{op}\": {{ \"{key}\": \"1\" }} }}");
        let text = allow("\"kms:Decrypt\"", KEY, &cond);
        one(
            &text,
            PolicyKind::Identity,
            "condition-operator-type",
            key,
            LintSeverity::Warning,
        );
    }
    for (op, key) in [
        ("BoolIfExists", "aws:SecureTransport"),
        ("IpAddress", "aws:SourceIp"),
        ("NumericLessThanEquals", "aws:EpochTime"),
        ("DateGreaterThan", "aws:EpochTime"),
        ("ArnEquals", "kms:EncryptionContext:aws:s3:arn"),
        ("ArnLike", "aws:SourceArn"),
        ("StringEquals", "aws:SourceIp"),
    ] {
        let cond = format!("{{ \"{op}\": {{ \"{key}\": \"1\" }} }}");
        assert_quiet(&allow("\"kms:Decrypt\"", KEY, &cond), PolicyKind::Identity);
    }
}

#[test]
fn resources_of_the_wrong_type_are_found() {
    let text = allow("\"s3:GetObject\"", "\"arn:aws:s3:::reports\"", "");
    one(
        &text,
        PolicyKind::Identity,
        "resource-mismatch",
        "arn:aws:s3:::reports",
        LintSeverity::Error,
    );
    for action in ["kms:CreateKey", "kms:GenerateRandom", "kms:ListAliases"] {
        let text = allow(&format!("\"{action}\""), KEY, "");
        one(
            &text,
            PolicyKind::Identity,
            "resource-mismatch",
            "arn:aws:kms",
            LintSeverity::Error,
        );
    }
    let text = allow("\"kms:Decrypt\"", "\"arn:aws:s3:::reports/*\"", "");
    one(
        &text,
        PolicyKind::Identity,
        "resource-mismatch",
        "arn:aws:s3:::reports/*",
        LintSeverity::Error,
    );
    // Only some actions can match: a warning at the action.
    let text = allow(
        "[\"s3:GetObject\", \"s3:ListBucket\"]",
        "\"arn:aws:s3:::reports/*\"",
        "",
    );
    one(
        &text,
        PolicyKind::Identity,
        "resource-mismatch",
        "s3:ListBucket",
        LintSeverity::Warning,
    );
}

#[test]
fn other_services_resources_are_judged_by_their_resource_types() {
    // Each of these names a resource the action can act on, as AWS's
    // documentation writes them: names with paths and colons, qualified
    // functions, indexes, policy variables, wildcards in any segment.
    for (action, resource) in [
        (
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/app:*",
        ),
        (
            "logs:CreateLogStream",
            "arn:aws:logs:*:*:log-group:/aws/lambda/*:log-stream:*",
        ),
        (
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:111122223333:function:app:prod",
        ),
        (
            "dynamodb:Query",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Books/index/*",
        ),
        (
            "dynamodb:PutItem",
            "arn:aws:dynamodb:*:*:table/${aws:username}-*",
        ),
        (
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111122223333:orders.fifo",
        ),
        ("ec2:StartInstances", "arn:aws:ec2:*:*:instance/*"),
        ("ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-*"),
        (
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-*",
        ),
        (
            "ssm:GetParameter",
            "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/*",
        ),
        (
            "states:DescribeExecution",
            "arn:aws:states:us-east-1:111122223333:execution:flow:*",
        ),
        (
            "execute-api:Invoke",
            "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets/*",
        ),
        (
            "batch:SubmitJob",
            "arn:aws:batch:us-east-1:111122223333:job-definition/etl:*",
        ),
        (
            "route53:ChangeResourceRecordSets",
            "arn:aws:route53:::hostedzone/Z123",
        ),
        (
            "logs:CreateLogGroup",
            "arn:aws:logs:us-east-1:111122223333:*",
        ),
        ("sqs:*", "arn:aws:sqs:*:111122223333:*"),
        ("ec2:DescribeInstances", "*"),
    ] {
        assert_quiet(
            &allow(&format!("\"{action}\""), &format!("\"{resource}\""), ""),
            PolicyKind::Identity,
        );
    }
    // And each of these names none.
    for (action, resource, wants) in [
        ("ec2:StartInstances", "arn:aws:s3:::bucket", "instance"),
        ("lambda:InvokeFunction", "arn:aws:s3:::bucket/*", "function"),
        ("dynamodb:GetItem", "arn:aws:s3:::bucket/*", "table"),
        (
            "sqs:SendMessage",
            "arn:aws:kms:us-east-1:111122223333:key/1",
            "queue",
        ),
        (
            "ec2:DescribeInstances",
            "arn:aws:ec2:us-east-1:111122223333:instance/*",
            "takes no resource",
        ),
        (
            "ec2:StartInstances",
            "arn:aws:ec2:us-east-1:111122223333:volume/*",
            "instance",
        ),
        (
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:111122223333:layer:libs",
            "function",
        ),
        (
            "sns:Publish",
            "arn:aws:sqs:us-east-1:111122223333:q",
            "topic",
        ),
        (
            "secretsmanager:GetSecretValue",
            "arn:aws:ssm:us-east-1:111122223333:parameter/x",
            "secret",
        ),
    ] {
        let text = allow(&format!("\"{action}\""), &format!("\"{resource}\""), "");
        let f = one(
            &text,
            PolicyKind::Identity,
            "resource-mismatch",
            resource,
            LintSeverity::Error,
        );
        assert!(
            f.message.contains(action) && f.message.contains(wants),
            "{}",
            f.message
        );
    }
}

#[test]
fn resources_that_can_match_are_quiet() {
    for (action, resource) in [
        ("\"s3:GetObject\"", "\"arn:aws:s3:::reports/*\""),
        (
            "\"s3:GetObject\"",
            "\"arn:aws:s3:::home/${aws:username}/*\"",
        ),
        (
            "[\"s3:GetObject\", \"s3:ListBucket\"]",
            "[\"arn:aws:s3:::r\", \"arn:aws:s3:::r/*\"]",
        ),
        ("\"s3:*Object\"", "\"arn:aws:s3:::r/*\""),
        ("\"kms:Decrypt\"", "\"arn:aws:kms:*:111122223333:key/*\""),
        ("\"kms:CreateKey\"", "\"*\""),
        ("\"kms:*\"", KEY),
        (
            "\"sts:AssumeRole\"",
            "\"arn:aws:iam::444455556666:role/path/etl\"",
        ),
    ] {
        assert_quiet(&allow(action, resource, ""), PolicyKind::Identity);
    }
    let not_resource = identity(
        "{ \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::b\" }",
    );
    assert_quiet(&not_resource, PolicyKind::Identity);
}

#[test]
fn an_alias_as_resource_of_a_key_operation_is_an_error() {
    for resource in [
        "arn:aws:kms:us-east-1:111122223333:alias/finance",
        "alias/finance",
    ] {
        let text = allow("\"kms:Decrypt\"", &format!("\"{resource}\""), "");
        one(
            &text,
            PolicyKind::Identity,
            "alias-in-resource",
            resource,
            LintSeverity::Error,
        );
        assert!(with_code(&lint(&text, PolicyKind::Identity), "resource-mismatch").is_empty());
    }
    let alias_op = allow(
        "\"kms:CreateAlias\"",
        "\"arn:aws:kms:us-east-1:111122223333:alias/finance\"",
        "",
    );
    assert_quiet(&alias_op, PolicyKind::Identity);
}

/// `keyshake lint --kind identity` on a policy whose only defect is an
/// alias name as a key operation's Resource: the parser refuses it (AWS
/// does), and the file still gets the coded finding at its place, not a
/// bare "invalid file"; another refusal beside it stays an error.
#[test]
fn an_alias_name_that_the_parser_refuses_is_still_the_alias_finding() {
    for (resource, action) in [
        ("alias/finance", "kms:Encrypt"),
        ("alias/aws/s3", "kms:GenerateDataKey*"),
    ] {
        let text = allow(&format!("\"{action}\""), &format!("\"{resource}\""), "");
        let r = lint_file("p.json", text.as_bytes(), Some(PolicyKind::Identity));
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let (line, column) = pos(&text, resource);
        let found: Vec<_> = r
            .findings
            .iter()
            .map(|p| (p.finding.code, p.line, p.column))
            .collect();
        assert_eq!(
            found,
            vec![("alias-in-resource", line, column)],
            "{resource}"
        );
        assert!(r.fails());
    }
    // An alias name for an action that takes no key is not this finding:
    // it stays the parser's error.
    let text = allow("\"s3:GetObject\"", "\"alias/finance\"", "");
    let r = lint_file("p.json", text.as_bytes(), Some(PolicyKind::Identity));
    assert_eq!(r.errors.len(), 1, "{:?}", r.findings);
    assert!(r.errors[0].message.contains("not an ARN"));
    // Beside another refusal, that one is still an error (exit 2).
    let text = text
        .replace("s3:GetObject", "kms:Decrypt")
        .replace("\"Allow\"", "\"Alow\"");
    let r = lint_file("p.json", text.as_bytes(), Some(PolicyKind::Identity));
    assert!(!r.errors.is_empty());
}

const GET: &str = "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"";

#[test]
fn an_open_bucket_policy_is_anonymous_access_unless_confined() {
    let open = bucket(&format!(
        "    {{ \"Effect\": \"Allow\", \"Principal\": \"*\", {GET} }}"
    ));
    one(
        &open,
        PolicyKind::BucketPolicy,
        "public-principal",
        "*",
        LintSeverity::SecurityWarning,
    );
    let aws_star = bucket(&format!(
        "    {{ \"Effect\": \"Allow\", \"Principal\": {{ \"AWS\": \"*\" }}, {GET} }}"
    ));
    one(
        &aws_star,
        PolicyKind::BucketPolicy,
        "public-principal",
        "*",
        LintSeverity::SecurityWarning,
    );
    for (op, key) in [
        ("StringEquals", "aws:PrincipalOrgID"),
        ("StringEquals", "aws:PrincipalAccount"),
        ("StringEquals", "aws:SourceVpce"),
        ("ArnLike", "aws:PrincipalArn"),
    ] {
        let text = bucket(&format!(
            "    {{ \"Effect\": \"Allow\", \"Principal\": \"*\", {GET}, \"Condition\": {{ \"{op}\": {{ \"{key}\": \"o-abc123\" }} }} }}"
        ));
        assert!(
            with_code(&lint(&text, PolicyKind::BucketPolicy), "public-principal").is_empty(),
            "{key}"
        );
    }
    // kms:CallerAccount is not set by S3; IfExists lets an anonymous caller through.
    for cond in [
        "{ \"StringEquals\": { \"kms:CallerAccount\": \"111122223333\" } }",
        "{ \"StringEqualsIfExists\": { \"aws:PrincipalOrgID\": \"o-abc123\" } }",
    ] {
        let text = bucket(&format!(
            "    {{ \"Effect\": \"Allow\", \"Principal\": \"*\", {GET}, \"Condition\": {cond} }}"
        ));
        let f = one(
            &text,
            PolicyKind::BucketPolicy,
            "public-principal",
            "*",
            LintSeverity::SecurityWarning,
        );
        assert!(f.message.contains("aws:PrincipalOrgID"), "{}", f.message);
    }
}

#[test]
fn an_inverted_tls_guardrail_is_a_security_warning() {
    let deny = |value: &str| {
        bucket(&format!(
            "    {{ \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": {{ \"Bool\": {{ \"aws:SecureTransport\": {value} }} }} }}"
        ))
    };
    one(
        &deny("\"true\""),
        PolicyKind::BucketPolicy,
        "inverted-secure-transport",
        "aws:SecureTransport",
        LintSeverity::SecurityWarning,
    );
    one(
        &deny("true"),
        PolicyKind::BucketPolicy,
        "inverted-secure-transport",
        "aws:SecureTransport",
        LintSeverity::SecurityWarning,
    );
    assert!(lint(&deny("\"false\""), PolicyKind::BucketPolicy).is_empty());
}

fn key_policy(grantee: &str, action: &str) -> String {
    bucket(&format!(
        "    {{ \"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Principal\": {{ \"AWS\": \"arn:aws:iam::111122223333:root\" }}, \"Action\": \"kms:*\", \"Resource\": \"*\" }},\n    {{ \"Sid\": \"B\", \"Effect\": \"Allow\", \"Principal\": {{ \"AWS\": \"{grantee}\" }}, \"Action\": {action}, \"Resource\": \"*\" }}"
    ))
}

#[test]
fn full_kms_access_for_another_account_is_a_security_warning() {
    let other = "arn:aws:iam::444455556666:role/etl";
    for action in ["\"kms:*\"", "\"*\"", "[\"kms:Decrypt\", \"kms:*\"]"] {
        let text = key_policy(other, action);
        let f = lint(&text, PolicyKind::KeyPolicy);
        let hits = with_code(&f, "cross-account-full-access");
        assert_eq!(hits.len(), 1, "{f:#?}");
        assert_eq!((hits[0].line, hits[0].column), pos(&text, other));
        assert_eq!(hits[0].statement_name.as_deref(), Some("B"));
    }
    let least = key_policy(other, "[\"kms:Decrypt\", \"kms:GenerateDataKey*\"]");
    assert!(lint(&least, PolicyKind::KeyPolicy).is_empty());
    let own = key_policy("arn:aws:iam::111122223333:role/admin", "\"kms:*\"");
    assert!(lint(&own, PolicyKind::KeyPolicy).is_empty());
    // The owner from the file wins over the administrator guess.
    let context = LintContext {
        owner_account: Some("444455556666".to_string()),
    };
    let f = lint_with(&own, PolicyKind::KeyPolicy, &context);
    assert_eq!(
        with_code(&f, "cross-account-full-access").len(),
        2,
        "{f:#?}"
    );
}

#[test]
fn s3_star_on_every_resource_for_another_account_is_a_security_warning() {
    let text = bucket(
        "    { \"Effect\": \"Allow\", \"Principal\": { \"AWS\": \"arn:aws:iam::444455556666:root\" }, \"Action\": \"s3:*\", \"Resource\": \"*\" }",
    );
    one(
        &text,
        PolicyKind::BucketPolicy,
        "cross-account-full-access",
        "arn:aws:iam::444455556666:root",
        LintSeverity::SecurityWarning,
    );
    let named = text.replace("\"Resource\": \"*\"", "\"Resource\": \"arn:aws:s3:::b/*\"");
    assert!(
        with_code(
            &lint(&named, PolicyKind::BucketPolicy),
            "cross-account-full-access"
        )
        .is_empty()
    );
}

const SCENARIO: &str = r#"title = "lint fixture"

[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
policy = '''
{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Admin", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }
  ]
}
'''

[[principals]]
arn = "arn:aws:iam::111122223333:role/app"
policies = ["""
{ "Version": "2012-10-17", "Statement": [
  { "Sid": "Use", "Effect": "Allow", "Action": "kms:Decrpyt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } ] }
"""]

[[requests]]
principal = "arn:aws:iam::111122223333:role/app"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
"#;

#[test]
fn a_scenario_file_reports_at_file_positions() {
    let r = lint_file("s.toml", SCENARIO.as_bytes(), None);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let p = &r.findings[0];
    assert_eq!((p.line, p.column), pos(SCENARIO, "kms:Decrpyt"));
    assert_eq!(
        p.policy,
        "identity policy #1 of arn:aws:iam::111122223333:role/app"
    );
    assert_eq!(p.finding.statement_name.as_deref(), Some("Use"));
    assert!(r.fails());
}

fn keyshake(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .output()
        .expect("run keyshake")
}

#[test]
fn the_command_prints_and_exits_by_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str, text: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    };
    let bad = path("s.toml", SCENARIO.as_bytes());
    let out = keyshake(&["lint", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let (line, column) = pos(SCENARIO, "kms:Decrpyt");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("{bad}:{line}:{column}: error [unknown-action] ")),
        "{text}"
    );
    assert!(text.contains("did you mean kms:Decrypt"), "{text}");
    let out = keyshake(&["lint", "--json", &bad]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = &v["files"][0]["findings"][0];
    assert_eq!(v["files"][0]["file"], bad.as_str());
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    assert_eq!(f["severity"], "error");
    assert_eq!(f["code"], "unknown-action");
    assert_eq!(f["statement"], "Use");
    assert_eq!(f["suggestion"], "kms:Decrypt");
    assert!(f["policy"].as_str().is_some_and(|p| p.contains("role/app")));

    let clean = path("ok.toml", SCENARIO.replace("Decrpyt", "Decrypt").as_bytes());
    let out = keyshake(&["lint", &clean]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());

    let policy = allow("\"s3:GetObject\"", "\"arn:aws:s3:::reports\"", "");
    let bare = path("p.json", policy.as_bytes());
    let out = keyshake(&["lint", "--kind", "identity", &bare]);
    assert_eq!(out.status.code(), Some(1));
    let (line, column) = pos(&policy, "arn:aws:s3:::reports");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!(
        "{bare}:{line}:{column}: error [resource-mismatch]"
    )));
    // Warnings alone exit 0.
    let warn = path(
        "w.json",
        allow(
            "[\"s3:GetObject\", \"s3:ListBucket\"]",
            "\"arn:aws:s3:::r/*\"",
            "",
        )
        .as_bytes(),
    );
    assert_eq!(
        keyshake(&["lint", "--kind", "identity", &warn])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn bad_input_is_a_clear_error_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str, text: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    };
    let big = vec![b' '; 10 * 1024 * 1024];
    let broken =
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\", } ]\n}";
    let cases = [
        (path("empty.json", b""), true, "empty"),
        (path("array.json", b"[1, 2]"), true, "1:1"),
        (path("other.json", b"{\"name\": \"x\"}"), true, "1:"),
        (path("big.json", &big), true, "limited"),
        (path("broken.json", broken.as_bytes()), true, "3:"),
        (
            path(
                "bare.json",
                allow("\"kms:Decrypt\"", "\"*\"", "").as_bytes(),
            ),
            false,
            "--kind",
        ),
        (path("notes.toml", b"this is = = not toml"), false, "1:"),
        (path("binary.toml", &[0xff, 0xfe, 0x00]), false, "UTF-8"),
    ];
    for (file, bare, says) in &cases {
        let args: Vec<&str> = if *bare {
            vec!["lint", "--kind", "key", file]
        } else {
            vec!["lint", file]
        };
        let out = keyshake(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.contains(file.as_str()) && err.contains(says),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = keyshake(&["lint", "/no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn built_in_lab_solutions_lint_without_error_and_starts_show_their_mistakes() {
    let pack = crate::builtin_pack();
    let mut shown = Vec::new();
    for lab in &pack.labs {
        for e in &lab.editable {
            let kind = e.policy.kind();
            let errors: Vec<_> = lint(&e.solution, kind)
                .into_iter()
                .filter(|f| f.severity == LintSeverity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "lab {} solution of {}: {errors:#?}",
                lab.id,
                e.policy
            );
            // A catalog mistake the lab starts with is shown at the start,
            // and the solution no longer has it.
            let start = lint(&e.start, kind);
            let solution = lint(&e.solution, kind);
            for f in start.iter().filter(|f| CATALOG_CODES.contains(&f.code)) {
                shown.push((lab.id.clone(), f.code));
                assert!(
                    !solution
                        .iter()
                        .any(|s| s.code == f.code && s.message == f.message),
                    "lab {}: the solution keeps {f:?}",
                    lab.id
                );
            }
        }
    }
    assert!(
        shown.iter().any(|(_, c)| *c == "alias-in-resource"),
        "{shown:?}"
    );
}

#[test]
fn pack_check_lists_the_findings_of_labs_and_scenarios_after_its_summary() {
    let (out, code) = keyshake::cli::pack::check(None, true);
    assert_eq!(code, 0, "no solution has a lint error: {out}");
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("pack keyshake ")),
        "{out}"
    );
    let notes: Vec<&str> = lines.filter(|l| l.starts_with("lint: ")).collect();
    assert!(!notes.is_empty(), "{out}");
    for note in notes {
        // FILE:LINE:COLUMN: SEVERITY [code] message (policy)
        let rest = note.trim_start_matches("lint: ");
        let mut parts = rest.splitn(4, ':');
        let (file, line, column) = (parts.next(), parts.next(), parts.next());
        assert!(file.is_some_and(|f| f.ends_with(".toml")), "{note}");
        assert!(
            line.and_then(|l| l.parse::<usize>().ok()).is_some(),
            "{note}"
        );
        assert!(
            column.and_then(|c| c.parse::<usize>().ok()).is_some(),
            "{note}"
        );
        assert!(note.contains(" ["), "{note}");
    }
}

const GOOD_RCP: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "KeysStayInTheOrganization",
      "Effect": "Deny",
      "Principal": "*",
      "Action": ["kms:*", "s3:GetObject"],
      "Resource": "*",
      "Condition": { "StringNotEqualsIfExists": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }
    }
  ]
}
"#;

#[test]
fn an_rcp_that_allows_names_a_principal_or_another_service_is_flagged_at_its_place() {
    assert!(
        lint(GOOD_RCP, PolicyKind::Rcp)
            .iter()
            .all(|f| !f.code.starts_with("rcp-")),
        "{:#?}",
        lint(GOOD_RCP, PolicyKind::Rcp)
    );
    let allow = GOOD_RCP.replace("\"Deny\"", "\"Allow\"");
    one(
        &allow,
        PolicyKind::Rcp,
        "rcp-allow",
        "Allow",
        LintSeverity::Error,
    );
    let named = GOOD_RCP.replace(
        "\"Principal\": \"*\"",
        "\"Principal\": { \"AWS\": \"arn:aws:iam::999988887777:root\" }",
    );
    let f = lint(&named, PolicyKind::Rcp);
    let hits = with_code(&f, "rcp-principal");
    assert_eq!(hits.len(), 1, "{f:#?}");
    let (line, column) = pos(&named, "Principal");
    assert_eq!((hits[0].line, hits[0].column), (line, column + 13));
    let ec2 = GOOD_RCP.replace("\"s3:GetObject\"", "\"ec2:RunInstances\"");
    one(
        &ec2,
        PolicyKind::Rcp,
        "rcp-unsupported-service",
        "ec2:RunInstances",
        LintSeverity::Warning,
    );
    // The same statements in an SCP are not RCP findings.
    assert!(
        lint(&allow, PolicyKind::Scp)
            .iter()
            .all(|f| !f.code.starts_with("rcp-"))
    );
}

#[test]
fn keyshake_lint_kind_rcp_prints_the_rcp_codes_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    };
    let good = write("good.json", GOOD_RCP);
    let out = keyshake(&["lint", "--kind", "rcp", &good]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let bad_text = GOOD_RCP.replace("\"Deny\"", "\"Allow\"");
    let bad = write("bad.json", &bad_text);
    let out = keyshake(&["lint", "--kind", "rcp", &bad]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (line, column) = pos(&bad_text, "Allow");
    assert!(
        stdout.starts_with(&format!("{bad}:{line}:{column}: error [rcp-allow]")),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Reported once, as a finding, not again as a parse error.
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn rcps_of_a_scenario_are_linted_at_their_file_position() {
    let text = format!(
        "[[accounts]]\nid = \"111122223333\"\norg = \"o-a1b2c3d4e5\"\nrcps = ['''\n{}''']\n\n[[requests]]\nprincipal = \"arn:aws:iam::111122223333:role/app\"\naction = \"kms:Decrypt\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\n\n[[principals]]\narn = \"arn:aws:iam::111122223333:role/app\"\n\n[[keys]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\npolicy = '''{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}'''\n",
        GOOD_RCP.replace("\"s3:GetObject\"", "\"ec2:RunInstances\"")
    );
    let r = lint_file("s.toml", text.as_bytes(), None);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let hit = r
        .findings
        .iter()
        .find(|p| p.finding.code == "rcp-unsupported-service")
        .expect("the RCP of the scenario is linted");
    let (line, column) = pos(&text, "ec2:RunInstances");
    assert_eq!((hit.line, hit.column), (line, column));
    assert_eq!(hit.policy, "RCP #1 of account 111122223333");
}

/// Every service's actions carry their condition keys now, so a key of the
/// action's own service that the action does not take is found there too;
/// a key no action lists (glacier:ResourceTag/) is never judged.
#[test]
fn other_services_keys_are_judged_by_the_actions_that_take_them() {
    for (action, key) in [
        ("lambda:CreateFunction", "lambda:Layer"),
        ("dynamodb:GetItem", "dynamodb:LeadingKeys"),
        ("ec2:RunInstances", "ec2:InstanceType"),
        ("ec2:*", "ec2:InstanceType"),
        ("glacier:DeleteArchive", "glacier:ResourceTag/LegalHold"),
        (
            "secretsmanager:GetSecretValue",
            "secretsmanager:VersionStage",
        ),
    ] {
        assert_quiet(
            &allow_if(action, "StringLike", key, "x"),
            PolicyKind::Identity,
        );
    }
    for (action, key) in [
        ("lambda:InvokeFunction", "lambda:Layer"),
        ("ec2:DescribeInstances", "ec2:InstanceType"),
        ("dynamodb:ListTables", "dynamodb:LeadingKeys"),
    ] {
        let text = allow_if(action, "StringLike", key, "x");
        let f = one(
            &text,
            PolicyKind::Identity,
            "condition-key-not-applicable",
            key,
            LintSeverity::Warning,
        );
        assert!(f.message.contains(action), "{}", f.message);
    }
}
