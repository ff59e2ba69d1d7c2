//! The catalog of misconceptions. Each one builds a working world and the
//! same world with one planted defect: the thing a learner who holds the
//! misconception would get wrong. Verification ([`super::verify`]) checks
//! with the engine that the defect, and only the defect, decides.

mod plant;

use self::plant::*;
use super::names::Names;
use super::rng::Rng;
use super::spec::{Slot, Spec};
use crate::core::world::Reason;

/// Where the planted defect is, which is also what the fix changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// One statement of one policy: `added` when the fix adds it (the
    /// broken world lacks it), else the fix changes it.
    Policy {
        /// The policy.
        slot: Slot,
        /// The statement's Sid.
        sid: String,
        /// The fix adds the statement.
        added: bool,
    },
    /// Not a policy: the request, the caller or the object must change.
    Elsewhere {
        /// What must change, in one sentence.
        fix: String,
    },
}

/// A working world and the same world with the defect.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The world where the request works.
    pub fixed: Spec,
    /// The world with the defect.
    pub broken: Spec,
    /// Where the defect is.
    pub place: Place,
}

/// One misconception.
#[derive(Debug, Clone, Copy)]
pub struct Misconception {
    /// A stable id (`drill:<id>` in progress).
    pub id: &'static str,
    /// The objective it belongs to (content/objectives.toml).
    pub objective: &'static str,
    /// What is true, in one sentence (shown after the answer).
    pub lesson: &'static str,
    /// The reason the broken world is denied with.
    pub reason: Reason,
    /// Builds it.
    plant: fn(&mut Rng, &Names, u8) -> Planted,
}

impl Misconception {
    /// Builds the two worlds at `level`.
    pub fn plant(&self, rng: &mut Rng, names: &Names, level: u8) -> Planted {
        (self.plant)(rng, names, level)
    }
}

/// The misconception with this id.
pub fn find(id: &str) -> Option<&'static Misconception> {
    CATALOG.iter().find(|m| m.id == id)
}

/// Every misconception, in a fixed order (ids are stable).
pub static CATALOG: [Misconception; 21] = [
    Misconception {
        id: "key-policy-half-missing",
        objective: "handshake",
        lesson: "Cross-account use needs the key policy in the key's account to allow the caller (or its account) as well as the caller's own IAM policy.",
        reason: Reason::ImplicitDeny,
        plant: key_policy_half,
    },
    Misconception {
        id: "iam-half-missing",
        objective: "handshake",
        lesson: "A key policy that names a role in another account is only half: that account's IAM policy must allow the same action too.",
        reason: Reason::ImplicitDeny,
        plant: iam_half,
    },
    Misconception {
        id: "alias-arn-in-iam-resource",
        objective: "aliases",
        lesson: "KMS authorises against the key ARN: an IAM statement whose Resource is an alias ARN does not cover the key.",
        reason: Reason::ImplicitDeny,
        plant: alias_arn_in_iam,
    },
    Misconception {
        id: "aws-managed-key-cross-account",
        objective: "key-types",
        lesson: "An AWS managed key (aws/s3) works only for its own account through its service; its policy cannot be changed, so data for another account needs a customer managed key.",
        reason: Reason::ImplicitDeny,
        plant: aws_managed_cross,
    },
    Misconception {
        id: "upload-needs-generate-data-key",
        objective: "s3-sse-kms",
        lesson: "An SSE-KMS upload makes S3 call kms:GenerateDataKey for the writer; kms:Encrypt is not enough.",
        reason: Reason::ImplicitDeny,
        plant: upload_generate_data_key,
    },
    Misconception {
        id: "bucket-policy-half",
        objective: "s3-sse-kms",
        lesson: "Reading or writing another account's bucket needs its bucket policy to allow the caller, besides the key policy and the caller's IAM policy.",
        reason: Reason::ImplicitDeny,
        plant: bucket_policy_half,
    },
    Misconception {
        id: "account-principal-needs-iam",
        objective: "key-policy",
        lesson: "A key policy that names another account (its root ARN) only delegates: that account's IAM policies must still allow its roles.",
        reason: Reason::ImplicitDeny,
        plant: account_principal,
    },
    Misconception {
        id: "same-account-root-delegation",
        objective: "key-policy",
        lesson: "Even in the key's own account, IAM policies count only if the key policy allows the account (the root delegation statement).",
        reason: Reason::ImplicitDeny,
        plant: same_account_root,
    },
    Misconception {
        id: "via-service-region",
        objective: "s3-sse-kms",
        lesson: "kms:ViaService names the service in the key's region (s3.REGION.amazonaws.com); another region's name never matches.",
        reason: Reason::ImplicitDeny,
        plant: via_service_region,
    },
    Misconception {
        id: "bucket-key-context",
        objective: "s3-sse-kms",
        lesson: "With S3 Bucket Keys on, the encryption context KMS sees is the bucket ARN, not the object ARN.",
        reason: Reason::ImplicitDeny,
        plant: context_bucket_keys,
    },
    Misconception {
        id: "tls-required",
        objective: "s3-sse-kms",
        lesson: "S3 refuses GET and PUT of SSE-KMS objects made without TLS, whatever the policies say.",
        reason: Reason::InsecureTransport,
        plant: tls_not_used,
    },
    Misconception {
        id: "scp-cap",
        objective: "handshake",
        lesson: "An SCP caps what the account's principals may do: an IAM allow outside it has no effect.",
        reason: Reason::ImplicitDeny,
        plant: scp_cap,
    },
    Misconception {
        id: "boundary-cap",
        objective: "handshake",
        lesson: "A permissions boundary caps the role's identity permissions: the action must be inside it too.",
        reason: Reason::ImplicitDeny,
        plant: boundary_cap,
    },
    Misconception {
        id: "explicit-deny-elsewhere",
        objective: "handshake",
        lesson: "An explicit Deny in any policy that applies wins over every Allow, including one in another attached policy.",
        reason: Reason::ExplicitDeny,
        plant: explicit_deny_elsewhere,
    },
    Misconception {
        id: "not-cross-account-operation",
        objective: "key-policy",
        lesson: "Key management operations (PutKeyPolicy, ScheduleKeyDeletion, EnableKeyRotation, ...) cannot be called on another account's key, whatever the policies allow.",
        reason: Reason::NotCrossAccount,
        plant: not_cross_account,
    },
    Misconception {
        id: "alias-name-cross-account",
        objective: "aliases",
        lesson: "An alias name resolves in the caller's own account and region; another account's key must be named by key ARN or alias ARN.",
        reason: Reason::NotFound,
        plant: alias_name_cross,
    },
    Misconception {
        id: "condition-account",
        objective: "key-policy",
        lesson: "kms:CallerAccount is the caller's account, not the key owner's.",
        reason: Reason::ImplicitDeny,
        plant: condition_wrong_account,
    },
    Misconception {
        id: "principal-org-outside",
        objective: "org-sharing",
        lesson: "aws:PrincipalOrgID matches only principals of accounts in that organization; a partner outside it needs its own statement.",
        reason: Reason::ImplicitDeny,
        plant: org_id_outside,
    },
    Misconception {
        id: "rcp-perimeter",
        objective: "org-sharing",
        lesson: "A resource control policy on the key's account denies callers outside the organization unless it makes an exception for them, whatever the key policy allows.",
        reason: Reason::ExplicitDeny,
        plant: rcp_perimeter,
    },
    Misconception {
        id: "not-principal-session",
        objective: "key-policy",
        lesson: "In a Deny with NotPrincipal, a listed role ARN does not cover the role's sessions; a Deny on aws:PrincipalArn does.",
        reason: Reason::ExplicitDeny,
        plant: not_principal,
    },
    Misconception {
        id: "wildcard-colon",
        objective: "handshake",
        lesson: "In an ARN a wildcard stays inside its colon-separated part unless it ends the part: arn:aws:kms:*key/ID does not cover REGION:ACCOUNT:key/ID.",
        reason: Reason::ImplicitDeny,
        plant: wildcard_colon,
    },
];
