//! The world a scenario describes, validated and ready to evaluate.

use crate::core::eval::Outcome;
use crate::core::policy::Policy;
use crate::core::policy::condition::ContextValue;
use crate::core::policy::principal::Caller;

/// Accounts, keys, buckets, objects, principals and the requests to
/// evaluate among them.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// The scenario's title.
    pub title: Option<String>,
    /// KMS keys, including AWS managed `aws/s3` keys the evaluator generated
    /// for buckets whose account did not list one.
    pub keys: Vec<Key>,
    /// S3 buckets.
    pub buckets: Vec<Bucket>,
    /// S3 objects.
    pub objects: Vec<Object>,
    /// IAM users and roles with their policies.
    pub principals: Vec<Principal>,
    /// Accounts with names and SCPs.
    pub accounts: Vec<Account>,
    /// The requests, in file order.
    pub requests: Vec<Request>,
}

/// Who manages a KMS key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manager {
    /// A customer managed key: its owner writes the key policy.
    Customer,
    /// An AWS managed key (`aws/<service>`) with its fixed policy.
    Aws {
        /// The service it belongs to, e.g. `s3`.
        service: String,
    },
}

/// A KMS key.
#[derive(Debug, Clone)]
pub struct Key {
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`.
    pub arn: String,
    /// The key ID (after `key/`).
    pub id: String,
    /// The owning account.
    pub account: String,
    /// The key's region.
    pub region: String,
    /// Customer or AWS managed.
    pub manager: Manager,
    /// Alias names (`alias/finance`), in the key's account and region.
    pub aliases: Vec<String>,
    /// The key policy (generated for AWS managed keys).
    pub policy: Policy,
    /// True if the scenario did not list this key and the evaluator made it
    /// (the `aws/s3` key of a bucket's account).
    pub generated: bool,
}

impl Key {
    /// True for an AWS managed key.
    pub fn is_aws_managed(&self) -> bool {
        matches!(self.manager, Manager::Aws { .. })
    }
}

/// Server-side encryption of an object or a bucket default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sse {
    /// SSE-S3 (`AES256`): S3's own keys, no KMS call.
    Aes256,
    /// SSE-KMS (`aws:kms`).
    Kms,
}

/// A bucket's default encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    /// SSE-S3 or SSE-KMS.
    pub sse: Sse,
    /// For SSE-KMS: how the key is named (ARN, alias ARN, id or alias name).
    pub kms_key: Option<String>,
}

/// An S3 bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The bucket name.
    pub name: String,
    /// The owning account.
    pub account: String,
    /// The bucket's region.
    pub region: String,
    /// The bucket policy, if any.
    pub policy: Option<Policy>,
    /// Default encryption, if set.
    pub default_encryption: Option<Encryption>,
    /// S3 Bucket Keys: the encryption context becomes the bucket ARN.
    pub bucket_key: bool,
}

impl Bucket {
    /// `arn:aws:s3:::NAME`.
    pub fn arn(&self) -> String {
        let mut s = String::with_capacity(13 + self.name.len());
        s.push_str("arn:aws:s3:::");
        s.push_str(&self.name);
        s
    }

    /// `kms:ViaService` for the KMS calls S3 makes for this bucket:
    /// `s3.REGION.amazonaws.com`.
    pub fn kms_via_service(&self) -> String {
        let mut s = String::with_capacity(17 + self.region.len());
        s.push_str("s3.");
        s.push_str(&self.region);
        s.push_str(".amazonaws.com");
        s
    }
}

/// An S3 object.
#[derive(Debug, Clone)]
pub struct Object {
    /// Its bucket's name.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// How it is encrypted.
    pub sse: Option<Sse>,
    /// For SSE-KMS: the key that encrypted it (absent: the bucket owner's `aws/s3`).
    pub kms_key: Option<String>,
}

/// An IAM user or role and its policies.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user or role ARN.
    pub arn: String,
    /// Its account.
    pub account: String,
    /// Identity-based policies attached to it.
    pub policies: Vec<Policy>,
    /// Its permissions boundary, if any.
    pub boundary: Option<Policy>,
}

/// An account's name, SCPs and place in an organization.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// Twelve digits.
    pub id: String,
    /// A display name.
    pub name: Option<String>,
    /// Service control policies that apply to it.
    pub scps: Vec<Policy>,
    /// The organization it belongs to (`o-…`), if any: the value of
    /// `aws:PrincipalOrgID` for its principals and `aws:ResourceOrgID` for
    /// its resources.
    pub org: Option<String>,
    /// Its path in the organization (`o-…/r-…/ou-…/`), the value of
    /// `aws:PrincipalOrgPaths` for its principals.
    pub ou_path: Option<String>,
    /// The organization's management account: SCPs do not bind its
    /// principals and RCPs do not cover its resources.
    pub management: bool,
    /// Resource control policies (Deny statements) on its resources.
    pub rcps: Vec<Policy>,
}

/// allow / deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The request is allowed.
    Allow,
    /// The request is denied.
    Deny,
}

impl Verdict {
    /// `allow` / `deny`.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        }
    }
}

/// Why a request was decided as it was (the `reason` codes of the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Allowed.
    Allowed,
    /// A Deny statement matched.
    ExplicitDeny,
    /// A required Allow is missing.
    ImplicitDeny,
    /// The key or alias could not be resolved from the caller's side.
    NotFound,
    /// The KMS operation cannot be used on another account's key.
    NotCrossAccount,
    /// S3 refuses SSE-KMS GET/PUT without TLS.
    InsecureTransport,
}

impl Reason {
    /// Every reason, in the spec's order.
    pub const ALL: [Reason; 6] = [
        Reason::Allowed,
        Reason::ExplicitDeny,
        Reason::ImplicitDeny,
        Reason::NotFound,
        Reason::NotCrossAccount,
        Reason::InsecureTransport,
    ];

    /// The spec's code, e.g. `implicit_deny`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Allowed => "allowed",
            Reason::ExplicitDeny => "explicit_deny",
            Reason::ImplicitDeny => "implicit_deny",
            Reason::NotFound => "not_found",
            Reason::NotCrossAccount => "not_cross_account",
            Reason::InsecureTransport => "insecure_transport",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The verdict this reason implies.
    pub fn verdict(self) -> Verdict {
        if self == Reason::Allowed {
            Verdict::Allow
        } else {
            Verdict::Deny
        }
    }
}

/// One request to evaluate.
#[derive(Debug, Clone)]
pub struct Request {
    /// Its name, if given.
    pub name: Option<String>,
    /// The caller.
    pub caller: Caller,
    /// `service:Action` as written.
    pub action: String,
    /// The resource as written (for KMS: key ARN, alias ARN, id or alias name).
    pub resource: String,
    /// Context values given by the scenario: (lowercased key, key as
    /// written, value).
    pub context: Vec<(String, String, ContextValue)>,
    /// The expected verdict.
    pub expect: Option<Verdict>,
    /// The expected reason.
    pub expect_reason: Option<Reason>,
    /// The line of its `principal` in the file (for messages).
    pub line: usize,
}

impl Request {
    /// Whether `outcome` meets this request's `expect` and `expect_reason`:
    /// `None` when the request gives neither (shown, never judged).
    pub fn judge(&self, outcome: &Outcome) -> Option<bool> {
        judge(self.expect, self.expect_reason, outcome)
    }
}

/// Whether `outcome` has the expected verdict and reason (an expectation
/// left out holds for any outcome); `None` when both are left out. The one
/// rule `keyshake eval` and the lab goals share.
pub fn judge(expect: Option<Verdict>, reason: Option<Reason>, outcome: &Outcome) -> Option<bool> {
    if expect.is_none() && reason.is_none() {
        return None;
    }
    Some(expect.is_none_or(|v| v == outcome.verdict) && reason.is_none_or(|r| r == outcome.reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::world::load_str;

    #[test]
    fn judge_checks_each_expectation_given_and_none_without_any() {
        let text = r#"
[[principals]]
arn = "arn:aws:iam::111122223333:role/app"

[[requests]]
principal = "arn:aws:iam::111122223333:role/app"
action = "kms:Decrypt"
resource = "*"
"#;
        let world = load_str("t.toml", text).expect("valid scenario");
        let request = &world.requests[0];
        let outcome = crate::core::eval::evaluate(&world, request);
        assert_eq!(request.judge(&outcome), None, "no expectation: not judged");
        let right = outcome.verdict;
        let wrong = if right == Verdict::Allow {
            Verdict::Deny
        } else {
            Verdict::Allow
        };
        assert_eq!(judge(Some(right), None, &outcome), Some(true));
        assert_eq!(judge(Some(wrong), None, &outcome), Some(false));
        assert_eq!(
            judge(Some(right), Some(outcome.reason), &outcome),
            Some(true)
        );
        let other = Reason::ALL
            .into_iter()
            .find(|r| *r != outcome.reason)
            .expect("another reason");
        assert_eq!(judge(None, Some(other), &outcome), Some(false));
    }
}
