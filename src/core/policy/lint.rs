//! Lint findings for a policy text, in IAM Access Analyzer's taxonomy
//! (error, security warning, warning, suggestion), with line and column.
//!
//! The lint reads the JSON itself rather than the validated [`Policy`]
//! (`super::Policy`), so it also speaks about documents the parser accepts
//! but that do not do what their author meant (an alias ARN in `Resource`,
//! a key-policy statement without `Resource`), and about mistakes the
//! parser rejects (a group as principal), in the same panel as the rest.
//! A text that is not JSON gets no findings: the parse error says it all.
//!
//! Names are checked against AWS's catalog ([`super::catalog`]): unknown
//! services, actions and condition keys, operators of the wrong type,
//! resources of the wrong type for the actions. [`file`] lints every policy
//! of a scenario or lab file at the file's line and column.

use std::fmt;

use super::PolicyKind;
use super::json::{self, Json, JsonKind, Span};
use crate::core::diag::LineIndex;

mod arn_match;
mod checks;
pub mod file;
mod rcp;
mod stmt;
mod trust;

use stmt::Stmt;

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

    /// The JSON code: `error`, `security_warning`, `warning`, `suggestion`.
    pub fn code(self) -> &'static str {
        match self {
            LintSeverity::Error => "error",
            LintSeverity::SecurityWarning => "security_warning",
            LintSeverity::Warning => "warning",
            LintSeverity::Suggestion => "suggestion",
        }
    }

    /// Errors and security warnings make `keyshake lint` exit 1.
    pub fn fails(self) -> bool {
        matches!(self, LintSeverity::Error | LintSeverity::SecurityWarning)
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
    /// Byte offset in the text of the offending part (to map it into a
    /// file that embeds the policy).
    pub offset: usize,
    /// What is wrong and what to do, in one or two sentences.
    pub message: String,
    /// The 0-based index of the statement it is about, if any.
    pub statement: Option<usize>,
    /// The statement as the trace names it: its Sid, or `#N` (1-based).
    pub statement_name: Option<String>,
    /// The likely intended name, when the finding is about a typo.
    pub suggestion: Option<String>,
}

/// What the lint knows about where a policy is attached, beyond its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintContext {
    /// The account that owns the key or bucket (resource policies), to
    /// tell other accounts' principals from its own. Without it, a key
    /// policy's owner is taken from its administrator statement.
    pub owner_account: Option<String>,
}

/// Lints a policy text of the given kind. Findings are sorted by position.
pub fn lint(text: &str, kind: PolicyKind) -> Vec<Finding> {
    lint_with(text, kind, &LintContext::default())
}

/// [`lint`], knowing more about where the policy is attached.
pub fn lint_with(text: &str, kind: PolicyKind, context: &LintContext) -> Vec<Finding> {
    // A policy larger than AWS accepts gets that one error from the
    // parser, not a finding per statement (nor the time they would take).
    if super::parse::too_big(text, kind).is_some() {
        return Vec::new();
    }
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
        statement: None,
        near: std::collections::HashMap::new(),
    };
    version(&mut cx, &doc, members);
    let statement_member = members.iter().find(|m| m.name == "Statement");
    let statements: Vec<&Json> = match statement_member.map(|m| &m.value.kind) {
        Some(JsonKind::Array(items)) => items.iter().collect(),
        Some(JsonKind::Object(_)) => statement_member.map(|m| &m.value).into_iter().collect(),
        _ => Vec::new(),
    };
    let stmts: Vec<Stmt> = statements
        .iter()
        .filter(|s| matches!(s.kind, JsonKind::Object(_)))
        .map(|s| Stmt::read(s))
        .collect();
    let owner = context
        .owner_account
        .as_deref()
        .or_else(|| trust::key_owner(&stmts, kind));
    for (i, st) in stmts.iter().enumerate() {
        cx.statement = Some((
            i,
            st.sid.map_or_else(|| format!("#{}", i + 1), str::to_string),
        ));
        statement(&mut cx, st, kind, owner);
    }
    cx.statement = None;
    if kind == PolicyKind::KeyPolicy
        && !stmts.is_empty()
        && !stmts.iter().any(Stmt::can_put_key_policy)
    {
        let at = statement_member.map_or(doc.span, |m| m.name_span);
        cx.push(
            LintSeverity::Error,
            "key-policy-lockout",
            at,
            "no statement lets any principal call kms:PutKeyPolicy, so nobody could change this key policy again (AWS's lockout safety check refuses a policy that locks out the principal making the change, unless told to bypass the check): keep the account principal (arn:aws:iam::ACCOUNT:root) with kms:*, or name a key administrator with kms:PutKeyPolicy",
        );
    }
    cx.out.sort_by_key(|f| (f.offset, f.severity));
    cx.out
}

fn version(cx: &mut Cx<'_>, doc: &Json<'_>, members: &[json::Member<'_>]) {
    match members.iter().find(|m| m.name == "Version") {
        None => cx.push(
            LintSeverity::Warning,
            "missing-version",
            doc.span,
            "the policy has no \"Version\": add \"Version\": \"2012-10-17\" as its first element (without it, AWS reads the policy with the 2008 rules, in which policy variables such as ${aws:username} are plain text)",
        ),
        Some(m) if matches!(&m.value.kind, JsonKind::String(v) if v == "2008-10-17") => cx.push(
            LintSeverity::Suggestion,
            "old-version",
            m.value.span,
            "\"2008-10-17\" is the old policy language version: use \"2012-10-17\"",
        ),
        Some(_) => {}
    }
}

struct Cx<'a> {
    text: &'a str,
    index: LineIndex,
    out: Vec<Finding>,
    /// The statement being linted: index and name.
    statement: Option<(usize, String)>,
    /// "Did you mean" answers already computed (a typo is often repeated
    /// in every statement, and each answer scans a service's names).
    near: std::collections::HashMap<String, Option<String>>,
}

impl Cx<'_> {
    /// The suggestion for `word`, computed once per lint.
    fn near(&mut self, word: &str, compute: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(hit) = self.near.get(word) {
            return hit.clone();
        }
        let answer = compute();
        self.near.insert(word.to_string(), answer.clone());
        answer
    }

    fn push(
        &mut self,
        severity: LintSeverity,
        code: &'static str,
        at: Span,
        message: impl Into<String>,
    ) {
        self.push_with(severity, code, at, message, None);
    }

    fn push_with(
        &mut self,
        severity: LintSeverity,
        code: &'static str,
        at: Span,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) {
        let (line, column) = self.index.locate(self.text, at.start);
        self.out.push(Finding {
            severity,
            code,
            line,
            column,
            offset: at.start,
            message: message.into(),
            statement: self.statement.as_ref().map(|s| s.0),
            statement_name: self.statement.as_ref().map(|s| s.1.clone()),
            suggestion,
        });
    }
}

fn statement(cx: &mut Cx<'_>, st: &Stmt<'_>, kind: PolicyKind, owner: Option<&str>) {
    checks::actions(cx, st);
    let alias = checks::alias_in_resource(cx, st, kind);
    if !alias {
        checks::resources(cx, st);
    }
    checks::conditions(cx, st);
    trust::principals(cx, st, kind, owner);
    if kind == PolicyKind::Rcp {
        rcp::statement(cx, st);
    }
    // A key policy statement without Resource never applies.
    if kind == PolicyKind::KeyPolicy && st.resources.is_none() {
        cx.push(
            LintSeverity::Error,
            "key-statement-without-resource",
            st.span,
            "this key policy statement has no \"Resource\": AWS accepts it, but it never applies. Add \"Resource\": \"*\" (in a key policy, \"*\" means this key)",
        );
    }
    // kms:* or kms:Decrypt on every key.
    if kind == PolicyKind::Identity
        && st.allow
        && !st.not_resource
        && !st.has_condition()
        && !st.not_action
        && st.covers("kms:decrypt")
        && let Some(resources) = &st.resources
        && let Some((r, span)) = resources.iter().find(|(r, _)| any_account_keys(r))
    {
        cx.push(
            LintSeverity::SecurityWarning,
            "kms-decrypt-all-keys",
            *span,
            format!("kms:Decrypt on every key of any account (Resource \"{r}\") also covers keys in other accounts whose key policies trust this account: name the key ARNs this role needs"),
        );
    }
}

/// `*`, or every key ARN with a wildcard account (`arn:aws:kms:*:*:key/*`):
/// keys of other accounts too.
fn any_account_keys(resource: &str) -> bool {
    let stars = |s: &str| s.chars().all(|c| c == '*');
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.as_slice() {
        [all] => stars(all),
        // A star that ends its segment reaches over the colons after it.
        [_, _, "kms", region, rest @ ..] if parts.len() < 6 => {
            region.ends_with('*')
                || rest
                    .first()
                    .is_some_and(|a| a.starts_with('*') && a.ends_with('*'))
        }
        [_, _, "kms", _, account, rest] => {
            account.contains(['*', '?'])
                && (stars(rest) || rest.strip_prefix("key/").is_some_and(stars))
        }
        _ => false,
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
    fn alias_arn_in_resource_for_kms_actions_is_an_error_in_an_iam_policy() {
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
            ("alias-in-resource", LintSeverity::Error, 7, 19)
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
        // Every key of the account is not every key of any account.
        let with = |r: &str| {
            lint(
                &text.replace("\"Resource\": \"*\"", &format!("\"Resource\": \"{r}\"")),
                PolicyKind::Identity,
            )
        };
        assert!(with("arn:aws:kms:us-east-1:111122223333:key/*").is_empty());
        assert!(with("arn:aws:kms:*:111122223333:key/*").is_empty());
        assert!(with("arn:aws:kms:us-*3:key/*").is_empty());
        for any in [
            "arn:aws:kms:*:*:key/*",
            "arn:aws:kms:us-east-1:*:*",
            "arn:aws:kms:*",
        ] {
            let f = with(any);
            assert_eq!(
                f.iter().map(|f| f.code).collect::<Vec<_>>(),
                ["kms-decrypt-all-keys"],
                "{any}"
            );
            assert!(f[0].message.contains(any), "{}", f[0].message);
        }
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
