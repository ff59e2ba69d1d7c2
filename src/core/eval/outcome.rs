//! What an evaluation returns: the verdict, the reason, the trace of every
//! policy consulted, the implied calls and one sentence of explanation.

use crate::core::policy::PolicyKind;
use crate::core::policy::principal::Grant;
use crate::core::world::{Reason, Verdict};

/// Which policy of the world a trace entry is about (so a front end can
/// open or highlight it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicySource {
    /// Identity policy `index` of principal `principal` (indexes into
    /// `World::principals` and its `policies`).
    Identity {
        /// Principal index.
        principal: usize,
        /// Policy index.
        index: usize,
    },
    /// The permissions boundary of principal `principal`.
    Boundary {
        /// Principal index.
        principal: usize,
    },
    /// SCP `index` of account `account` (index into `World::accounts`).
    Scp {
        /// Account index.
        account: usize,
        /// Policy index.
        index: usize,
    },
    /// The key policy of key `key` (index into `World::keys`).
    Key {
        /// Key index.
        key: usize,
    },
    /// The bucket policy of bucket `bucket`.
    Bucket {
        /// Bucket index.
        bucket: usize,
    },
}

/// What one policy said about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOutcome {
    /// A statement allowed it (and none denied it).
    Allow,
    /// A statement denied it.
    Deny,
    /// No statement matched.
    NoMatch,
}

impl PolicyOutcome {
    /// `allow` / `deny` / `no_match`.
    pub fn code(self) -> &'static str {
        match self {
            PolicyOutcome::Allow => "allow",
            PolicyOutcome::Deny => "deny",
            PolicyOutcome::NoMatch => "no_match",
        }
    }
}

/// One policy consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEntry {
    /// A human label: "identity policy 1 of arn:aws:iam::...:role/x".
    pub policy: String,
    /// Identity, boundary, SCP, key policy, bucket policy.
    pub kind: PolicyKind,
    /// Which policy of the world.
    pub source: PolicySource,
    /// Allow, deny or no match.
    pub outcome: PolicyOutcome,
    /// The deciding statement: its Sid, else `#N`.
    pub statement: Option<String>,
    /// The deciding statement's index in its policy.
    pub statement_index: Option<usize>,
    /// The deciding statement's lines in the file.
    pub lines: Option<(usize, usize)>,
    /// For a resource policy that allows: whether it names the caller
    /// directly or only delegates to its account.
    pub grant: Option<Grant>,
}

/// A part of the handshake that was not in place, for an implicit deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No identity policy of the caller allows the action.
    Identity,
    /// The permissions boundary does not allow it.
    Boundary,
    /// No SCP of the caller's account allows it.
    Scp,
    /// The resource policy (key or bucket policy) neither names the caller
    /// nor its account for this action.
    Resource,
    /// The key policy names neither the caller nor delegates to its own
    /// account: IAM policies cannot help (same-account KMS).
    KeyPolicyRoot,
}

impl Missing {
    /// `identity` / `boundary` / `scp` / `resource` / `key_policy`.
    pub fn code(self) -> &'static str {
        match self {
            Missing::Identity => "identity",
            Missing::Boundary => "boundary",
            Missing::Scp => "scp",
            Missing::Resource => "resource",
            Missing::KeyPolicyRoot => "key_policy",
        }
    }
}

/// The result of evaluating one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// ALLOW or DENY.
    pub verdict: Verdict,
    /// Why.
    pub reason: Reason,
    /// The action as requested.
    pub action: String,
    /// The resource as requested.
    pub resource: String,
    /// For KMS: the key ARN the resource resolved to.
    pub resolved: Option<String>,
    /// True if the caller's account differs from the resource's.
    pub cross_account: bool,
    /// Every policy consulted, in order: identity, boundary, SCPs, resource.
    pub trace: Vec<TraceEntry>,
    /// What was missing, for an implicit deny (possibly several).
    pub missing: Vec<Missing>,
    /// The KMS calls this request implies (S3 SSE-KMS), with their outcomes.
    pub implied: Vec<Outcome>,
    /// One sentence: what decided it and what to change.
    pub explanation: String,
}

impl Outcome {
    /// The trace entry that decided an explicit deny, searching implied
    /// calls too.
    pub fn deciding_deny(&self) -> Option<&TraceEntry> {
        self.trace
            .iter()
            .find(|t| t.outcome == PolicyOutcome::Deny)
            .or_else(|| self.implied.iter().find_map(Outcome::deciding_deny))
    }
}
