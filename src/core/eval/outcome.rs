//! What an evaluation returns: the verdict, the reason, the trace of every
//! policy consulted, the implied calls and one sentence of explanation.

use super::near::NearMiss;
use super::resolve::NotFound;
use crate::core::policy::principal::{Caller, Grant};
use crate::core::policy::{Policy, PolicyKind, Statement};
use crate::core::world::{Reason, Verdict, World};

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
    /// RCP `index` of account `account` (index into `World::accounts`):
    /// the owner of the resource.
    Rcp {
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

/// One policy consulted. Labels and line numbers are looked up in the
/// world on demand ([`TraceEntry::label`]), so evaluating stays cheap enough
/// to run on every keystroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceEntry {
    /// Identity, boundary, SCP, key policy, bucket policy.
    pub kind: PolicyKind,
    /// Which policy of the world.
    pub source: PolicySource,
    /// Allow, deny or no match.
    pub outcome: PolicyOutcome,
    /// The deciding statement's index in its policy.
    pub statement: Option<usize>,
    /// For a resource policy that allows: whether it names the caller
    /// directly or only delegates to its account.
    pub grant: Option<Grant>,
}

impl PolicySource {
    /// The policy in `world`, if the source still exists there.
    pub fn policy<'w>(&self, world: &'w World) -> Option<&'w Policy> {
        match *self {
            PolicySource::Identity { principal, index } => {
                world.principals.get(principal)?.policies.get(index)
            }
            PolicySource::Boundary { principal } => {
                world.principals.get(principal)?.boundary.as_ref()
            }
            PolicySource::Scp { account, index } => world.accounts.get(account)?.scps.get(index),
            PolicySource::Rcp { account, index } => world.accounts.get(account)?.rcps.get(index),
            PolicySource::Key { key } => world.keys.get(key).map(|k| &k.policy),
            PolicySource::Bucket { bucket } => world.buckets.get(bucket)?.policy.as_ref(),
        }
    }

    /// A human label: "identity policy 1 of arn:aws:iam::...:role/x".
    pub fn label(&self, world: &World) -> String {
        let principal = |i: usize| world.principals.get(i).map_or("?", |p| p.arn.as_str());
        match *self {
            PolicySource::Identity {
                principal: p,
                index,
            } => {
                format!("identity policy {} of {}", index + 1, principal(p))
            }
            PolicySource::Boundary { principal: p } => {
                format!("permissions boundary of {}", principal(p))
            }
            PolicySource::Scp { account, index } => format!(
                "SCP {} of account {}",
                index + 1,
                world.accounts.get(account).map_or("?", |a| a.id.as_str())
            ),
            PolicySource::Rcp { account, index } => format!(
                "RCP {} of account {}",
                index + 1,
                world.accounts.get(account).map_or("?", |a| a.id.as_str())
            ),
            PolicySource::Key { key } => format!(
                "key policy of {}",
                world.keys.get(key).map_or("?", |k| k.arn.as_str())
            ),
            PolicySource::Bucket { bucket } => format!(
                "bucket policy of {}",
                world.buckets.get(bucket).map_or("?", |b| b.name.as_str())
            ),
        }
    }
}

impl TraceEntry {
    /// The policy's label (see [`PolicySource::label`]).
    pub fn label(&self, world: &World) -> String {
        self.source.label(world)
    }

    /// The deciding statement.
    pub fn statement<'w>(&self, world: &'w World) -> Option<&'w Statement> {
        self.source.policy(world)?.statements.get(self.statement?)
    }

    /// Statement `index` of this entry's policy.
    pub fn statement_at<'w>(&self, world: &'w World, index: usize) -> Option<&'w Statement> {
        self.source.policy(world)?.statements.get(index)
    }

    /// The deciding statement's Sid, else `#N`.
    pub fn statement_label(&self, world: &World) -> Option<String> {
        self.statement(world).map(Statement::label)
    }

    /// The deciding statement's first and last line in its file.
    pub fn lines(&self, world: &World) -> Option<(usize, usize)> {
        self.statement(world)?.lines
    }
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
    /// Beside each trace entry (same index): for a `no_match` entry its
    /// near misses, nearest first; empty for the others.
    pub near: Vec<Vec<NearMiss>>,
    /// What was missing, for an implicit deny (possibly several).
    pub missing: Vec<Missing>,
    /// The KMS calls this request implies (S3 SSE-KMS), with their outcomes.
    pub implied: Vec<Outcome>,
    /// What the explanation sentence is built from ([`Outcome::explain`]).
    pub why: Why,
}

/// The facts behind an outcome's sentence, kept small so that evaluating is
/// cheap; [`Outcome::explain`] turns them into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The key name did not resolve.
    NotFound(NotFound),
    /// The operation cannot be used on another account's key (key index).
    NotCrossAccount {
        /// Index into `World::keys`.
        key: usize,
    },
    /// A Deny matched (see the trace).
    ExplicitDeny,
    /// S3 refused an SSE-KMS request over HTTP.
    InsecureTransport,
    /// A required Allow is missing (see `missing`).
    ImplicitDeny {
        /// What the resource is.
        owner: OwnerRef,
    },
    /// The request itself was allowed, but the KMS call it implies was not
    /// (see `implied`).
    ImpliedDenied,
    /// Allowed; `root` when the caller is the account's root user.
    Allowed {
        /// The caller is a root user.
        root: bool,
    },
}

/// What a request's resource is, by index into the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerRef {
    /// A KMS key.
    Key(usize),
    /// An S3 bucket.
    Bucket(usize),
    /// Something with no resource policy in the world.
    None,
}

impl Outcome {
    /// One sentence: what decided the request and, when denied, what to
    /// change and where. `caller` is the request's caller.
    pub fn explain(&self, world: &World, caller: &Caller) -> String {
        super::explain::sentence(self, world, caller)
    }

    /// The near misses of trace entry `i` (empty unless it is `no_match`).
    pub fn near_misses(&self, i: usize) -> &[NearMiss] {
        self.near.get(i).map_or(&[], Vec::as_slice)
    }

    /// The trace entry that decided an explicit deny, searching implied
    /// calls too.
    pub fn deciding_deny(&self) -> Option<&TraceEntry> {
        self.trace
            .iter()
            .find(|t| t.outcome == PolicyOutcome::Deny)
            .or_else(|| self.implied.iter().find_map(Outcome::deciding_deny))
    }
}
