//! Lint findings for a policy text, in IAM Access Analyzer's taxonomy
//! (error, security warning, warning, suggestion), with line and column.
//!
//! The lint reads the JSON itself rather than the validated [`Policy`]
//! (`super::Policy`), so it also speaks about documents the parser accepts
//! but that do not do what their author meant (an alias ARN in `Resource`,
//! a key-policy statement without `Resource`), and about mistakes the
//! parser rejects (a group as principal), in the same panel as the rest.
//! A text that is not JSON gets no findings: the parse error says it all.

use std::fmt;

use super::PolicyKind;
use super::json::{self, Json, JsonKind, Span};
use super::wildcard;
use crate::core::diag::LineIndex;

/// How serious a finding is (IAM Access Analyzer's four levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintSeverity {
    /// The policy, or a statement of it, cannot work as written.
    Error,
    /// The policy grants more than is likely meant.
    SecurityWarning,
    /// The policy works against a best practice or does something unusual.
    Warning,
    /// An improvement that changes nothing the policy grants.
    Suggestion,
}

impl LintSeverity {
    /// "error", "security warning", "warning", "suggestion".
    pub fn label(self) -> &'static str {
        match self {
            LintSeverity::Error => "error",
            LintSeverity::SecurityWarning => "security warning",
            LintSeverity::Warning => "warning",
            LintSeverity::Suggestion => "suggestion",
        }
    }
}

impl fmt::Display for LintSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub severity: LintSeverity,
    /// A stable code, e.g. `alias-in-resource` (for tests and filters).
    pub code: &'static str,
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// What is wrong and what to do, in one or two sentences.
    pub message: String,
    /// The 0-based index of the statement it is about, if any.
    pub statement: Option<usize>,
}

/// Lints a policy text of the given kind. Findings are sorted by position.
pub fn lint(text: &str, kind: PolicyKind) -> Vec<Finding> {
    let Ok(doc) = json::parse(text) else {
        return Vec::new();
    };
    let JsonKind::Object(members) = &doc.kind else {
        return Vec::new();
    };
    let mut cx = Cx {
        text,
        index: LineIndex::new(text),
        out: Vec::new(),
    };
    match members.iter().find(|m| m.name == "Version") {
        None => cx.push(
            LintSeverity::Warning,
            "missing-version",
            doc.span,
            None,
            "the policy has no \"Version\": add \"Version\": \"2012-10-17\" as its first element (without it, AWS reads the policy with the 2008 rules, in which policy variables such as ${aws:username} are plain text)",
        ),
        Some(m) if matches!(&m.value.kind, JsonKind::String(v) if v == "2008-10-17") => cx.push(
            LintSeverity::Suggestion,
            "old-version",
            m.value.span,
            None,
            "\"2008-10-17\" is the old policy language version: use \"2012-10-17\"",
        ),
        Some(_) => {}
    }
    let statement_member = members.iter().find(|m| m.name == "Statement");
    let statements: Vec<&Json> = match statement_member.map(|m| &m.value.kind) {
        Some(JsonKind::Array(items)) => items.iter().collect(),
        Some(JsonKind::Object(_)) => statement_member.map(|m| &m.value).into_iter().collect(),
        _ => Vec::new(),
    };
    let mut admin_found = false;
    for (i, s) in statements.iter().enumerate() {
        let JsonKind::Object(_) = &s.kind else {
            continue;
        };
        let st = Stmt::read(s);
        statement(&mut cx, &st, i, kind);
        if kind == PolicyKind::KeyPolicy && st.can_put_key_policy() {
            admin_found = true;
        }
    }
    if kind == PolicyKind::KeyPolicy && !admin_found && !statements.is_empty() {
        let at = statement_member.map_or(doc.span, |m| m.name_span);
        cx.push(
            LintSeverity::Error,
            "key-policy-lockout",
            at,
            None,
            "no statement lets any principal call kms:PutKeyPolicy, so nobody could change this key policy again (AWS's lockout safety check refuses a policy that locks out the principal making the change, unless told to bypass the check): keep the account principal (arn:aws:iam::ACCOUNT:root) with kms:*, or name a key administrator with kms:PutKeyPolicy",
        );
    }
    cx.out.sort_by_key(|f| (f.line, f.column));
    cx.out
}

struct Cx<'a> {
    text: &'a str,
    index: LineIndex,
    out: Vec<Finding>,
}

impl Cx<'_> {
    fn push(
        &mut self,
        severity: LintSeverity,
        code: &'static str,
        at: Span,
        statement: Option<usize>,
        message: impl Into<String>,
    ) {
        let (line, column) = self.index.locate(self.text, at.start);
        self.out.push(Finding {
            severity,
            code,
            line,
            column,
            message: message.into(),
            statement,
        });
    }
}

/// The parts of a statement the lint looks at.
struct Stmt<'a> {
    allow: bool,
    /// Lowercased action patterns and whether they are a NotAction.
    actions: Vec<String>,
    not_action: bool,
    /// Resource (or NotResource) strings with their spans; `None` when
    /// the statement has neither element.
    resources: Option<Vec<(&'a str, Span)>>,
    not_resource: bool,
    /// AWS principal strings with spans (`"*"` as a bare Principal counts).
    principals: Vec<(&'a str, Span)>,
    principal_span: Option<Span>,
    not_principal: bool,
    has_condition: bool,
    span: Span,
}

fn string_list(value: &Json<'_>) -> Vec<(String, Span)> {
    match &value.kind {
        JsonKind::String(s) => vec![(s.to_string(), value.span)],
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|i| match &i.kind {
                JsonKind::String(s) => Some((s.to_string(), i.span)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn str_list<'a>(value: &'a Json<'_>) -> Vec<(&'a str, Span)> {
    match &value.kind {
        JsonKind::String(s) => vec![(s.as_ref(), value.span)],
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|i| match &i.kind {
                JsonKind::String(s) => Some((s.as_ref(), i.span)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl<'a> Stmt<'a> {
    fn read(s: &'a Json<'_>) -> Stmt<'a> {
        let mut st = Stmt {
            allow: false,
            actions: Vec::new(),
            not_action: false,
            resources: None,
            not_resource: false,
            principals: Vec::new(),
            principal_span: None,
            not_principal: false,
            has_condition: false,
            span: s.span,
        };
        let JsonKind::Object(members) = &s.kind else {
            return st;
        };
        for m in members {
            match m.name.as_ref() {
                "Effect" => st.allow = matches!(&m.value.kind, JsonKind::String(e) if e == "Allow"),
                "Action" | "NotAction" => {
                    st.not_action = m.name == "NotAction";
                    st.actions = string_list(&m.value)
                        .into_iter()
                        .map(|(a, _)| a.to_ascii_lowercase())
                        .collect();
                }
                "Resource" | "NotResource" => {
                    st.not_resource = m.name == "NotResource";
                    st.resources = Some(str_list(&m.value));
                }
                "Principal" | "NotPrincipal" => {
                    st.not_principal = m.name == "NotPrincipal";
                    st.principal_span = Some(m.value.span);
                    match &m.value.kind {
                        JsonKind::String(p) => st.principals.push((p.as_ref(), m.value.span)),
                        JsonKind::Object(kinds) => {
                            for k in kinds.iter().filter(|k| k.name == "AWS") {
                                st.principals.extend(str_list(&k.value));
                            }
                        }
                        _ => {}
                    }
                }
                "Condition" => {
                    st.has_condition =
                        matches!(&m.value.kind, JsonKind::Object(c) if !c.is_empty());
                }
                _ => {}
            }
        }
        st
    }

    /// Whether the statement's actions cover `action` (lowercase).
    fn covers(&self, action: &str) -> bool {
        let any = self
            .actions
            .iter()
            .any(|p| p == "*" || p == action || wildcard::matches(p, action, false));
        any != self.not_action
    }

    /// An Allow that lets some AWS principal change the key policy.
    fn can_put_key_policy(&self) -> bool {
        self.allow
            && !self.not_principal
            && !self.principals.is_empty()
            && self.resources.is_some()
            && self.covers("kms:putkeypolicy")
    }

    /// The statement names KMS actions other than the alias operations.
    fn has_key_actions(&self) -> bool {
        if self.not_action {
            return false;
        }
        self.actions.iter().any(|a| {
            (a == "*" || a.starts_with("kms:"))
                && !matches!(
                    a.as_str(),
                    "kms:createalias" | "kms:deletealias" | "kms:updatealias" | "kms:listaliases"
                )
        })
    }
}

fn statement(cx: &mut Cx<'_>, st: &Stmt<'_>, i: usize, kind: PolicyKind) {
    let at = Some(i);
    // An alias ARN (or alias name) where KMS expects a key.
    if let Some(resources) = &st.resources
        && st.has_key_actions()
    {
        for (r, span) in resources {
            let is_alias = r.starts_with("alias/")
                || (r.starts_with("arn:")
                    && r.split(':').nth(5).is_some_and(|x| x.starts_with("alias/")));
            if is_alias {
                cx.push(
                    LintSeverity::Warning,
                    "alias-in-resource",
                    *span,
                    at,
                    format!(
                        "\"{r}\" names an alias: for key operations such as kms:Decrypt, KMS authorizes against the key, so an alias in Resource matches nothing. Name the key by its key ARN, or condition on kms:ResourceAliases"
                    ),
                );
            }
        }
    }
    // Principals: wildcards inside an ARN, IAM groups, "*" left open.
    for (p, span) in &st.principals {
        if *p != "*" && p.starts_with("arn:") && p.contains(['*', '?']) {
            cx.push(
                LintSeverity::Error,
                "principal-wildcard-arn",
                *span,
                at,
                format!(
                    "\"{p}\": wildcards are not allowed inside a principal ARN. Name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn"
                ),
            );
        }
        if p.starts_with("arn:") && p.split(':').nth(5).is_some_and(|x| x.starts_with("group/")) {
            cx.push(
                LintSeverity::Error,
                "group-principal",
                *span,
                at,
                format!(
                    "\"{p}\" is an IAM group, and a group can never be a principal: name its users or a role, or attach an IAM policy to the group instead"
                ),
            );
        }
    }
    if kind.is_resource_policy()
        && st.allow
        && !st.not_principal
        && !st.has_condition
        && st.principals.iter().any(|(p, _)| *p == "*")
    {
        let span = st
            .principals
            .iter()
            .find(|(p, _)| *p == "*")
            .map_or(st.span, |(_, s)| *s);
        let what = if kind == PolicyKind::KeyPolicy {
            "key policy"
        } else {
            "bucket policy"
        };
        cx.push(
            LintSeverity::SecurityWarning,
            "public-principal",
            span,
            at,
            format!(
                "Principal \"*\" without a Condition lets every AWS principal of every account through this {what} statement: name the accounts or roles, or add a limiting condition such as kms:CallerAccount or aws:PrincipalOrgID"
            ),
        );
    }
    // A key policy statement without Resource never applies.
    if kind == PolicyKind::KeyPolicy && st.resources.is_none() {
        cx.push(
            LintSeverity::Error,
            "key-statement-without-resource",
            st.span,
            at,
            "this key policy statement has no \"Resource\": AWS accepts it, but it never applies. Add \"Resource\": \"*\" (in a key policy, \"*\" means this key)",
        );
    }
    // kms:* or kms:Decrypt on every key.
    if kind == PolicyKind::Identity
        && st.allow
        && !st.not_resource
        && !st.has_condition
        && st.covers("kms:decrypt")
        && !st.not_action
        && let Some(resources) = &st.resources
        && let Some((_, span)) = resources
            .iter()
            .find(|(r, _)| *r == "*" || r.ends_with(":key/*") && r.starts_with("arn:aws:kms:"))
    {
        cx.push(
            LintSeverity::SecurityWarning,
            "kms-decrypt-all-keys",
            *span,
            at,
            "kms:Decrypt on every key (Resource \"*\") also covers keys in other accounts whose key policies trust this account: name the key ARNs this role needs",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, kind: PolicyKind) -> Vec<(&'static str, usize)> {
        lint(text, kind)
            .into_iter()
            .map(|f| (f.code, f.line))
            .collect()
    }

    const KEY_ADMIN: &str = r#"{
      "Sid": "Admin",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    }"#;

    fn key_policy(extra: &str) -> String {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {KEY_ADMIN},\n{extra}\n  ]\n}}\n"
        )
    }

    #[test]
    fn alias_arn_in_resource_for_kms_actions_is_a_warning() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:111122223333:alias/finance"
    },
    {
      "Effect": "Allow",
      "Action": "kms:CreateAlias",
      "Resource": "arn:aws:kms:us-east-1:111122223333:alias/finance"
    }
  ]
}"#;
        let f = lint(text, PolicyKind::Identity);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].code, f[0].severity, f[0].line, f[0].column),
            ("alias-in-resource", LintSeverity::Warning, 7, 19)
        );
        assert_eq!(f[0].statement, Some(0));
    }

    #[test]
    fn wildcard_inside_a_principal_arn_is_an_error() {
        let extra = r#"    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:role/etl-*" },
      "Action": "kms:Decrypt",
      "Resource": "*"
    }"#;
        let f = lint(&key_policy(extra), PolicyKind::KeyPolicy);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "principal-wildcard-arn");
        assert_eq!(f[0].severity, LintSeverity::Error);
        assert_eq!((f[0].line, f[0].statement), (13, Some(1)));
    }

    #[test]
    fn a_group_as_principal_is_an_error() {
        let extra = r#"    {
      "Effect": "Allow",
      "Principal": { "AWS": ["arn:aws:iam::444455556666:group/analysts"] },
      "Action": "kms:Decrypt",
      "Resource": "*"
    }"#;
        assert_eq!(
            codes(&key_policy(extra), PolicyKind::KeyPolicy),
            vec![("group-principal", 13)]
        );
    }

    #[test]
    fn decrypt_on_every_key_in_an_identity_policy_is_a_security_warning() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "kms:*", "Resource": "*" }
  ]
}"#;
        let f = lint(text, PolicyKind::Identity);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "kms-decrypt-all-keys");
        assert_eq!(f[0].severity, LintSeverity::SecurityWarning);
        assert_eq!(f[0].line, 4);
        // Named keys, or another action, are fine.
        let named = text.replace(
            "\"Resource\": \"*\"",
            "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k1\"",
        );
        assert!(lint(&named, PolicyKind::Identity).is_empty());
        let list = text.replace("kms:*", "kms:ListAliases");
        assert!(lint(&list, PolicyKind::Identity).is_empty());
        // The same statement in a key policy means "this key": no finding.
        assert!(codes(text, PolicyKind::Boundary).is_empty());
    }

    #[test]
    fn open_principal_without_condition_is_a_security_warning() {
        let open = r#"    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "kms:Decrypt",
      "Resource": "*"
    }"#;
        let f = lint(&key_policy(open), PolicyKind::KeyPolicy);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].severity, f[0].line),
            ("public-principal", LintSeverity::SecurityWarning, 13)
        );
        let limited = open.replace(
            "\"Resource\": \"*\"",
            "\"Resource\": \"*\", \"Condition\": { \"StringEquals\": { \"kms:CallerAccount\": \"111122223333\" } }",
        );
        assert!(lint(&key_policy(&limited), PolicyKind::KeyPolicy).is_empty());
        // A TLS Deny with Principal "*" is not an open door.
        let bucket = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Deny", "Principal": "*", "Action": "s3:*",
      "Resource": "arn:aws:s3:::b/*",
      "Condition": { "Bool": { "aws:SecureTransport": "false" } } },
    { "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*" }
  ]
}"#;
        assert_eq!(
            codes(bucket, PolicyKind::BucketPolicy),
            vec![("public-principal", 7)]
        );
    }

    #[test]
    fn key_statement_without_resource_is_an_error() {
        let extra = r#"    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
      "Action": "kms:Decrypt"
    }"#;
        let f = lint(&key_policy(extra), PolicyKind::KeyPolicy);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].line, f[0].column, f[0].statement),
            ("key-statement-without-resource", 11, 5, Some(1))
        );
    }

    #[test]
    fn key_policy_without_an_administrator_locks_everyone_out() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:role/app" },
      "Action": ["kms:Decrypt", "kms:Encrypt"],
      "Resource": "*"
    }
  ]
}"#;
        let f = lint(text, PolicyKind::KeyPolicy);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].severity, f[0].line),
            ("key-policy-lockout", LintSeverity::Error, 3)
        );
        // A named administrator with kms:PutKeyPolicy is enough.
        let admin = text.replace(
            "[\"kms:Decrypt\", \"kms:Encrypt\"]",
            "[\"kms:Decrypt\", \"kms:Put*\"]",
        );
        assert!(lint(&admin, PolicyKind::KeyPolicy).is_empty());
        // Identity policies are never checked for it.
        assert!(lint(text, PolicyKind::BucketPolicy).is_empty());
    }

    #[test]
    fn missing_version_is_a_warning_and_the_old_one_a_suggestion() {
        let text = "{\n  \"Statement\": [{ \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\" }]\n}";
        let f = lint(text, PolicyKind::Identity);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].severity, f[0].line, f[0].column),
            ("missing-version", LintSeverity::Warning, 1, 1)
        );
        let old = text.replacen('{', "{\n  \"Version\": \"2008-10-17\",", 1);
        let f = lint(&old, PolicyKind::Identity);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].severity, f[0].line),
            ("old-version", LintSeverity::Suggestion, 2)
        );
    }

    #[test]
    fn invalid_json_has_no_findings_and_severity_labels_read_well() {
        assert!(lint("{ \"Version\": ", PolicyKind::Identity).is_empty());
        assert_eq!(
            LintSeverity::SecurityWarning.to_string(),
            "security warning"
        );
        assert!(LintSeverity::Error < LintSeverity::Suggestion);
    }
}
