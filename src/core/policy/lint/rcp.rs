//! Lint findings only a resource control policy can have. AWS Organizations
//! User Guide, "RCP syntax"
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>):
//! a customer's RCP denies (`Allow` exists only in `RCPFullAWSAccess`), its
//! `Principal` is `"*"` and it has no `NotPrincipal`. "Resource control
//! policies (RCPs)"
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>)
//! lists the services whose resources RCPs apply to; the AWS Control Tower
//! RCP controls page names the same five (Amazon S3, AWS STS, AWS KMS,
//! Amazon SQS, AWS Secrets Manager).

use super::stmt::Stmt;
use super::{Cx, LintSeverity};

/// The action prefixes of the services whose resources RCPs apply to.
pub(super) const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

/// The RCP findings of one statement.
pub(super) fn statement(cx: &mut Cx<'_>, st: &Stmt<'_>) {
    if st.allow {
        cx.push(
            LintSeverity::Error,
            "rcp-allow",
            st.effect_span.unwrap_or(st.span),
            "a resource control policy can only deny: \"Allow\" is accepted only in RCPFullAWSAccess, which AWS attaches itself. Write \"Effect\": \"Deny\" with a condition that leaves out the callers to let through",
        );
    }
    match st.principal_value {
        Some((at, star)) if st.not_principal || !star => cx.push(
            LintSeverity::Error,
            "rcp-principal",
            at,
            "the principal of a resource control policy must be \"Principal\": \"*\" (NotPrincipal and named principals are not accepted): narrow who is denied with a condition such as aws:PrincipalOrgID or aws:PrincipalAccount",
        ),
        None => cx.push(
            LintSeverity::Error,
            "rcp-principal",
            st.span,
            "this resource control policy statement has no \"Principal\": an RCP statement must say \"Principal\": \"*\"",
        ),
        Some(_) => {}
    }
    if st.not_action {
        return;
    }
    for (action, at) in &st.actions {
        let Some((service, _)) = action.split_once(':') else {
            continue;
        };
        let service = service.to_ascii_lowercase();
        if !RCP_SERVICES.contains(&service.as_str()) {
            cx.push(
                LintSeverity::Warning,
                "rcp-unsupported-service",
                *at,
                format!(
                    "{action}: resource control policies apply only to the resources of Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager (AWS Organizations User Guide, \"Resource control policies\"), so this action is never denied by an RCP; use an SCP to limit your own principals"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::policy::PolicyKind;
    use crate::core::policy::lint::lint;

    fn found(text: &str) -> Vec<(&'static str, usize, usize)> {
        lint(text, PolicyKind::Rcp)
            .into_iter()
            .filter(|f| f.code.starts_with("rcp-"))
            .map(|f| (f.code, f.line, f.column))
            .collect()
    }

    #[test]
    fn a_deny_for_everyone_on_supported_services_is_clean() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": ["kms:*", "s3:GetObject", "sts:AssumeRole", "sqs:*", "secretsmanager:GetSecretValue"],
      "Resource": "*",
      "Condition": { "StringNotEqualsIfExists": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }
    }
  ]
}"#;
        assert_eq!(found(text), vec![]);
    }

    #[test]
    fn allow_named_principals_and_other_services_are_found_where_they_are() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": ["kms:Decrypt", "ec2:RunInstances"],
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "NotPrincipal": "*",
      "Action": "dynamodb:GetItem",
      "Resource": "*"
    },
    { "Effect": "Deny", "Action": "kms:*", "Resource": "*" }
  ]
}"#;
        assert_eq!(
            found(text),
            vec![
                ("rcp-allow", 5, 17),
                ("rcp-principal", 6, 20),
                ("rcp-unsupported-service", 7, 33),
                ("rcp-principal", 12, 23),
                ("rcp-unsupported-service", 13, 17),
                ("rcp-principal", 16, 5),
            ]
        );
    }

    #[test]
    fn other_kinds_get_no_rcp_findings() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}"#;
        assert!(
            lint(text, PolicyKind::Scp)
                .iter()
                .all(|f| !f.code.starts_with("rcp-"))
        );
        assert_eq!(
            found(text),
            vec![
                ("rcp-principal", 1, 41),
                ("rcp-allow", 1, 52),
                ("rcp-unsupported-service", 1, 71)
            ]
        );
    }
}
