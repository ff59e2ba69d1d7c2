//! The policy model: what a parsed, validated policy document holds.

use super::condition::{ContextValue, Operator, holds};
use super::json::Span;
use super::principal::PrincipalSpec;
use super::resource::ResourcePattern;
use super::wildcard;

/// Which kind of policy a document is; it decides which elements are
/// allowed (evaluation.md §1) and how the trace names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to an IAM user or role.
    Identity,
    /// A permissions boundary of an IAM user or role.
    Boundary,
    /// A service control policy of an account.
    Scp,
    /// The key policy of a KMS key.
    KeyPolicy,
    /// An S3 bucket policy.
    BucketPolicy,
    /// A resource control policy of an organization's account: Deny
    /// statements with `"Principal": "*"` that cap every request for the
    /// account's resources (evaluation.md §6).
    Rcp,
}

impl PolicyKind {
    /// The JSON `kind` code of the trace.
    pub fn code(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Scp => "scp",
            PolicyKind::KeyPolicy => "key_policy",
            PolicyKind::BucketPolicy => "bucket_policy",
            PolicyKind::Rcp => "rcp",
        }
    }

    /// Resource-based policies name principals; the others must not. An
    /// RCP is written like one (AWS Organizations "RCP syntax": it takes a
    /// `Principal`), though it only ever denies.
    pub fn is_resource_policy(self) -> bool {
        matches!(
            self,
            PolicyKind::KeyPolicy | PolicyKind::BucketPolicy | PolicyKind::Rcp
        )
    }

    /// A phrase for sentences: "an identity policy", "a key policy".
    pub fn article_name(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity policy",
            PolicyKind::Boundary => "a permissions boundary",
            PolicyKind::Scp => "a service control policy",
            PolicyKind::KeyPolicy => "a key policy",
            PolicyKind::BucketPolicy => "a bucket policy",
            PolicyKind::Rcp => "a resource control policy",
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Forbids, overriding every Allow.
    Deny,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// What the policy is attached as.
    pub kind: PolicyKind,
    /// `Version`, if given.
    pub version: Option<String>,
    /// `Id`, if given.
    pub id: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// The text the policy was parsed from (spans index into it), kept so
    /// that a fix can be written as an edit of what the learner wrote.
    pub text: std::sync::Arc<str>,
}

/// `Action` or `NotAction`: lowercase patterns, as action names are
/// case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSpec {
    /// `NotAction` rather than `Action`.
    pub negated: bool,
    /// Lowercased patterns (`kms:generatedatakey*`).
    pub patterns: Vec<String>,
    /// The same patterns as the policy writes them (`kms:GenerateDataKey*`),
    /// in the same order, for sentences that quote the learner's text.
    pub written: Vec<String>,
}

impl ActionSpec {
    /// Pattern `i` as the policy writes it (the lowercased form if unknown).
    pub fn shown(&self, i: usize) -> &str {
        self.written
            .get(i)
            .or_else(|| self.patterns.get(i))
            .map_or("", String::as_str)
    }
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpec {
    /// `NotResource` rather than `Resource`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Vec<ResourcePattern>,
}

/// One test of a `Condition` block: operator, key and the allowed values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// `StringEquals`, `ForAnyValue:StringLike`, ...
    pub operator: Operator,
    /// The key as written (`kms:ViaService`).
    pub key: String,
    /// The key lowercased, for lookups (key names are case-insensitive).
    pub key_lower: String,
    /// The values as strings.
    pub values: Vec<String>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// 0-based position in the policy.
    pub index: usize,
    /// `Sid`, if given.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// Action or NotAction.
    pub actions: ActionSpec,
    /// Resource or NotResource; `None` when absent (only possible in a key
    /// policy, where such a statement never applies).
    pub resources: Option<ResourceSpec>,
    /// Principal or NotPrincipal (resource policies only).
    pub principal: Option<PrincipalSpec>,
    /// Every test must hold.
    pub conditions: Vec<Condition>,
    /// Byte range of the statement object in the policy text.
    pub span: Span,
    /// First and last line of the statement in its file (1-based), when the
    /// policy came from a file or the editor.
    pub lines: Option<(usize, usize)>,
}

/// A request context: lowercased key names and their values.
pub trait Context {
    /// The value of a key, given in lowercase.
    fn get(&self, key_lower: &str) -> Option<&ContextValue>;
}

impl Statement {
    /// How the statement is named in traces: its Sid, else `#N` (1-based).
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => sid.clone(),
            _ => format!("#{}", self.index + 1),
        }
    }

    /// True if the statement's Action/NotAction covers `action_lower`.
    pub fn matches_action(&self, action_lower: &str) -> bool {
        let any =
            self.actions.patterns.iter().any(|p| {
                p == "*" || p == action_lower || wildcard::matches(p, action_lower, false)
            });
        any != self.actions.negated
    }

    /// True if the statement's Resource/NotResource covers `resource`. In a
    /// key policy, pass the key's own ARN: `"*"` means the key itself. A
    /// statement without a resource element never applies.
    pub fn matches_resource(&self, resource: &str) -> bool {
        match &self.resources {
            None => false,
            Some(spec) => spec.patterns.iter().any(|p| p.matches(resource)) != spec.negated,
        }
    }

    /// True if every condition holds in `ctx`.
    pub fn conditions_hold(&self, ctx: &dyn Context) -> bool {
        self.conditions
            .iter()
            .all(|c| holds(&c.operator, &c.values, ctx.get(&c.key_lower)))
    }
}
