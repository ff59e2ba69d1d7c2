//! The catalog of misconceptions. Each one builds a working world and the
//! same world with one planted defect: the thing a learner who holds the
//! misconception would get wrong. Verification ([`super::verify`]) checks
//! with the engine that the defect, and only the defect, decides.

use serde_json::json;

use super::build::{Layout, Shape, aws, base, short, stmt};
use super::names::Names;
use super::rng::Rng;
use super::spec::{KeySpec, Slot, Spec};
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

fn layout(rng: &mut Rng, level: u8, shapes: &[Shape]) -> Layout {
    Layout {
        shape: *rng.pick(shapes),
        same_account: false,
        account_grant: false,
        tls_deny: rng.coin() || level >= 2,
        level,
    }
}

const ANY: [Shape; 3] = [Shape::Decrypt, Shape::Get, Shape::Put];
const S3: [Shape; 2] = [Shape::Get, Shape::Put];

fn remove(fixed: &Spec, slot: Slot, sid: &str) -> Planted {
    let mut broken = fixed.clone();
    if let Some(d) = broken.doc_mut(slot) {
        d.remove(sid);
    }
    Planted {
        fixed: fixed.clone(),
        broken,
        place: Place::Policy {
            slot,
            sid: sid.into(),
            added: true,
        },
    }
}

/// `fixed` with statement `sid` of `slot` changed by `edit` (the broken world).
fn change(
    fixed: &Spec,
    slot: Slot,
    sid: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> Planted {
    let mut broken = fixed.clone();
    if let Some(s) = broken.doc_mut(slot).and_then(|d| d.get_mut(sid)) {
        edit(s);
    }
    Planted {
        fixed: fixed.clone(),
        broken,
        place: Place::Policy {
            slot,
            sid: sid.into(),
            added: false,
        },
    }
}

fn key_policy_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.key, "PartnerUse")
}

fn iam_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    let sid = match l.shape {
        Shape::Get if rng.coin() => "ReadObjects",
        Shape::Put if rng.coin() => "WriteObjects",
        _ => "UseKey",
    };
    remove(&fixed, h.access, sid)
}

fn alias_arn_in_iam(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    fixed.keys[0].aliases = vec![n.alias.clone()];
    let alias = n.alias_arn();
    change(&fixed, h.access, "UseKey", |s| s["Resource"] = json!(alias))
}

fn aws_managed_cross(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &[Shape::Get]);
    let (mut fixed, _) = base(rng, n, l);
    let managed = format!("arn:aws:kms:{}:{}:key/{}", n.region, n.a.id, n.key_ids[2]);
    fixed.keys.push(KeySpec {
        arn: managed.clone(),
        aws_service: Some("s3".into()),
        aliases: Vec::new(),
        policy: None,
    });
    let mut broken = fixed.clone();
    broken.objects[0].kms_key = managed;
    Planted {
        fixed,
        broken,
        place: Place::Elsewhere {
            fix: "the object must be encrypted with the customer managed key, whose key policy its owner can write; an AWS managed key serves its own account only".into(),
        },
    }
}

fn upload_generate_data_key(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &[Shape::Put]);
    let (fixed, h) = base(rng, n, l);
    let (slot, sid) = if rng.coin() {
        (h.key, "PartnerUse")
    } else {
        (h.access, "UseKey")
    };
    change(&fixed, slot, sid, |s| {
        s["Action"] = json!(["kms:Decrypt", "kms:Encrypt"]);
    })
}

fn bucket_policy_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &S3);
    l.tls_deny = true;
    let (fixed, _) = base(rng, n, l);
    let sid = if l.shape == Shape::Put {
        "PartnerWrite"
    } else {
        "PartnerRead"
    };
    remove(&fixed, Slot::Bucket(0), sid)
}

fn account_principal(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &ANY);
    l.account_grant = true;
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.access, "UseKey")
}

fn same_account_root(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &ANY);
    l.same_account = true;
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.key, "EnableIamPolicies")
}

fn via_service_region(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &S3);
    let (mut fixed, h) = base(rng, n, l);
    let slot = if rng.coin() { h.key } else { h.access };
    let sid = if slot == h.key {
        "PartnerUse"
    } else {
        "UseKey"
    };
    let right = format!("s3.{}.amazonaws.com", n.region);
    let other = format!("s3.{}.amazonaws.com", n.other_region);
    if let Some(s) = fixed.doc_mut(slot).and_then(|d| d.get_mut(sid)) {
        s["Condition"] = json!({ "StringEquals": { "kms:ViaService": right } });
    }
    change(&fixed, slot, sid, |s| {
        s["Condition"] = json!({ "StringEquals": { "kms:ViaService": other } });
    })
}

fn context_bucket_keys(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &S3);
    let (mut fixed, h) = base(rng, n, l);
    fixed.buckets[0].bucket_key = true;
    let bucket_arn = format!("arn:aws:s3:::{}", n.bucket);
    if let Some(s) = fixed.doc_mut(h.key).and_then(|d| d.get_mut("PartnerUse")) {
        s["Condition"] =
            json!({ "StringEquals": { "kms:EncryptionContext:aws:s3:arn": bucket_arn } });
    }
    let objects = format!("arn:aws:s3:::{}/{}/*", n.bucket, n.prefix);
    change(&fixed, h.key, "PartnerUse", |s| {
        s["Condition"] = json!({ "StringLike": { "kms:EncryptionContext:aws:s3:arn": objects } });
    })
}

fn tls_not_used(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &S3);
    l.tls_deny = false;
    let (fixed, _) = base(rng, n, l);
    let mut broken = fixed.clone();
    for (k, v) in &mut broken.request.context {
        if k == "aws:SecureTransport" {
            *v = json!(false);
        }
    }
    Planted {
        fixed,
        broken,
        place: Place::Elsewhere {
            fix: "the request must be made over TLS (HTTPS): S3 refuses SSE-KMS objects over plain HTTP whatever the policies say".into(),
        },
    }
}

fn scp_cap(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    let slot = Slot::Scp(h.caller_account, 0);
    fixed.accounts[h.caller_account].scps = vec![super::spec::Doc::new(vec![stmt(
        "ApprovedServices",
        "Allow",
        None,
        json!(["s3:*", "kms:*", "logs:*", "cloudwatch:*"]),
        json!("*"),
    )])];
    change(&fixed, slot, "ApprovedServices", |s| {
        s["Action"] = json!(["s3:*", "logs:*", "cloudwatch:*", "sts:*"]);
    })
}

fn boundary_cap(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    let mut actions = vec!["s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets"];
    actions.push(l.shape.kms_action());
    fixed.principals[h.caller].boundary = Some(super::spec::Doc::new(vec![stmt(
        "Ceiling",
        "Allow",
        None,
        json!(actions),
        json!("*"),
    )]));
    change(&fixed, Slot::Boundary(h.caller), "Ceiling", |s| {
        s["Action"] = json!(["s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets"]);
    })
}

fn explicit_deny_elsewhere(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    let mut guard = stmt(
        "ApprovedKeyAccounts",
        "Deny",
        None,
        json!("kms:*"),
        json!("*"),
    );
    guard["Condition"] = json!({ "StringNotEquals": { "aws:ResourceAccount": [n.b.id, n.a.id] } });
    fixed.principals[h.caller]
        .policies
        .push(super::spec::Doc::new(vec![guard]));
    let own = n.b.id.clone();
    change(
        &fixed,
        Slot::Identity(h.caller, 1),
        "ApprovedKeyAccounts",
        |s| {
            s["Condition"] = json!({ "StringNotEquals": { "aws:ResourceAccount": [own] } });
        },
    )
}

const OPERATIONS: [&str; 5] = [
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:EnableKeyRotation",
    "kms:DisableKey",
    "kms:UpdateKeyDescription",
];

fn not_cross_account(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &[Shape::Decrypt]);
    let (mut fixed, h) = base(rng, n, l);
    let op = *rng.pick(&OPERATIONS);
    if let Some(s) = fixed.doc_mut(h.key).and_then(|d| d.get_mut("PartnerUse")) {
        s["Action"] = json!(["kms:Decrypt", op]);
    }
    if let Some(s) = fixed.doc_mut(h.access).and_then(|d| d.get_mut("UseKey")) {
        s["Action"] = json!(["kms:Decrypt", op]);
    }
    let admin = n.role(&n.a, &n.admin);
    fixed.principals.push(super::spec::PrincipalSpec {
        arn: admin.clone(),
        policies: vec![super::spec::Doc::new(vec![stmt(
            "ManageKeys",
            "Allow",
            None,
            json!(op),
            json!(n.key_arn(0)),
        )])],
        boundary: None,
    });
    let mut broken = fixed.clone();
    broken.request.action = op.into();
    broken.request.name = format!("{} calls {op} on the key", n.caller);
    fixed.request.action = op.into();
    fixed.request.principal = admin.clone();
    fixed.request.name = format!("{} calls {op} on the key", n.admin);
    // The caller doing the operation is what the broken world asks; in the
    // fixed world it stays a must-deny probe.
    let mut probe = broken.request.clone();
    probe.name = format!("{} calls {op} on the key", short(&probe.principal));
    fixed.probes.push(probe);
    Planted {
        fixed,
        broken,
        place: Place::Elsewhere {
            fix: format!(
                "{op} works only from the key's own account: an administrator there must make the call"
            ),
        },
    }
}

fn alias_name_cross(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &[Shape::Decrypt]);
    let (mut fixed, _) = base(rng, n, l);
    fixed.keys[0].aliases = vec![n.alias.clone()];
    fixed.request.resource = n.alias_arn();
    let mut broken = fixed.clone();
    broken.request.resource = n.alias.clone();
    Planted {
        fixed,
        broken,
        place: Place::Elsewhere {
            fix: "from another account the key must be named by its key ARN or alias ARN: an alias name resolves in the caller's own account".into(),
        },
    }
}

fn condition_wrong_account(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &ANY);
    l.account_grant = true;
    let (mut fixed, h) = base(rng, n, l);
    let (b, a) = (n.b.id.clone(), n.a.id.clone());
    if let Some(s) = fixed.doc_mut(h.key).and_then(|d| d.get_mut("PartnerUse")) {
        s["Condition"] = json!({ "StringEquals": { "kms:CallerAccount": b } });
    }
    change(&fixed, h.key, "PartnerUse", |s| {
        s["Condition"] = json!({ "StringEquals": { "kms:CallerAccount": a } });
    })
}

fn org_id_outside(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    fixed.accounts[h.owner_account].org = Some(n.org.clone());
    if rng.coin() {
        fixed.accounts[h.caller_account].org = Some(n.other_org.clone());
    }
    let l = fixed.keys[0]
        .policy
        .as_ref()
        .and_then(|d| d.get("PartnerUse"))
        .map(|s| s["Action"].clone());
    let mut org = stmt(
        "OrganizationUse",
        "Allow",
        Some(json!({ "AWS": "*" })),
        l.unwrap_or(json!("kms:Decrypt")),
        json!("*"),
    );
    org["Condition"] = json!({ "StringEquals": { "aws:PrincipalOrgID": n.org } });
    if let Some(d) = fixed.doc_mut(h.key) {
        d.statements.insert(1, org);
    }
    remove(&fixed, h.key, "PartnerUse")
}

fn rcp_perimeter(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    fixed.accounts[h.owner_account].org = Some(n.org.clone());
    let mut deny = stmt(
        "DataPerimeter",
        "Deny",
        Some(json!("*")),
        json!("kms:*"),
        json!("*"),
    );
    deny["Condition"] = json!({
        "StringNotEqualsIfExists": { "aws:PrincipalOrgID": n.org, "aws:PrincipalAccount": [n.b.id] },
        "BoolIfExists": { "aws:PrincipalIsAWSService": "false" }
    });
    fixed.accounts[h.owner_account].rcps = vec![super::spec::Doc::new(vec![deny])];
    let org = n.org.clone();
    change(
        &fixed,
        Slot::Rcp(h.owner_account, 0),
        "DataPerimeter",
        |s| {
            s["Condition"] = json!({
                "StringNotEqualsIfExists": { "aws:PrincipalOrgID": org },
                "BoolIfExists": { "aws:PrincipalIsAWSService": "false" }
            });
        },
    )
}

fn not_principal(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &[Shape::Decrypt, Shape::Get]);
    let (mut fixed, h) = base(rng, n, l);
    let role = n.role(&n.b, &n.caller);
    let session = format!(
        "arn:aws:sts::{}:assumed-role/{}/{}",
        n.b.id, n.caller, n.session
    );
    fixed.request.principal = session.clone();
    for p in &mut fixed.probes {
        if p.principal == role {
            p.principal = session.clone();
        }
    }
    let admins = [role.clone(), n.role(&n.a, &n.admin), n.root(&n.a)];
    let mut deny = stmt(
        "OnlyNamedCallers",
        "Deny",
        Some(json!("*")),
        json!("kms:*"),
        json!("*"),
    );
    deny["Condition"] = json!({ "ArnNotEquals": { "aws:PrincipalArn": admins } });
    if let Some(d) = fixed.doc_mut(h.key) {
        d.statements.push(deny);
    }
    change(&fixed, h.key, "OnlyNamedCallers", |s| {
        if let Some(m) = s.as_object_mut() {
            m.remove("Principal");
            m.remove("Condition");
            let mut out = serde_json::Map::new();
            for (k, v) in m.iter() {
                if k == "Action" {
                    out.insert("NotPrincipal".into(), json!({ "AWS": admins }));
                }
                out.insert(k.clone(), v.clone());
            }
            *m = out;
        }
    })
}

fn wildcard_colon(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    let pattern = format!("arn:aws:kms:*key/{}", n.key_ids[0]);
    let _ = aws;
    change(&fixed, h.access, "UseKey", |s| {
        s["Resource"] = json!(pattern)
    })
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
