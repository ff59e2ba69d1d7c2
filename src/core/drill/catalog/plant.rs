//! How each misconception plants its defect: one function per entry of
//! [`super::CATALOG`], each building the working world from the base
//! ([`crate::core::drill::build`]) and the broken one from it.

use serde_json::json;

use super::{Place, Planted};
use crate::core::drill::build::{Layout, Shape, aws, base, short, stmt};
use crate::core::drill::names::Names;
use crate::core::drill::rng::Rng;
use crate::core::drill::spec::{KeySpec, Slot, Spec};

pub(super) fn layout(rng: &mut Rng, level: u8, shapes: &[Shape]) -> Layout {
    Layout {
        shape: *rng.pick(shapes),
        same_account: false,
        account_grant: false,
        tls_deny: rng.coin() || level >= 2,
        level,
    }
}

pub(super) const ANY: [Shape; 3] = [Shape::Decrypt, Shape::Get, Shape::Put];
pub(super) const S3: [Shape; 2] = [Shape::Get, Shape::Put];

pub(super) fn remove(fixed: &Spec, slot: Slot, sid: &str) -> Planted {
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
pub(super) fn change(
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

pub(super) fn key_policy_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.key, "PartnerUse")
}

pub(super) fn iam_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    let sid = match l.shape {
        Shape::Get if rng.coin() => "ReadObjects",
        Shape::Put if rng.coin() => "WriteObjects",
        _ => "UseKey",
    };
    remove(&fixed, h.access, sid)
}

pub(super) fn alias_arn_in_iam(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    fixed.keys[0].aliases = vec![n.alias.clone()];
    let alias = n.alias_arn();
    change(&fixed, h.access, "UseKey", |s| s["Resource"] = json!(alias))
}

pub(super) fn aws_managed_cross(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn upload_generate_data_key(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn bucket_policy_half(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn account_principal(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &ANY);
    l.account_grant = true;
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.access, "UseKey")
}

pub(super) fn same_account_root(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let mut l = layout(rng, level, &ANY);
    l.same_account = true;
    let (fixed, h) = base(rng, n, l);
    remove(&fixed, h.key, "EnableIamPolicies")
}

pub(super) fn via_service_region(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn context_bucket_keys(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn tls_not_used(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn scp_cap(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    let slot = Slot::Scp(h.caller_account, 0);
    fixed.accounts[h.caller_account].scps = vec![crate::core::drill::spec::Doc::new(vec![stmt(
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

pub(super) fn boundary_cap(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (mut fixed, h) = base(rng, n, l);
    let mut actions = vec!["s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets"];
    actions.push(l.shape.kms_action());
    fixed.principals[h.caller].boundary = Some(crate::core::drill::spec::Doc::new(vec![stmt(
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

pub(super) fn explicit_deny_elsewhere(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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
        .push(crate::core::drill::spec::Doc::new(vec![guard]));
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

pub(super) const OPERATIONS: [&str; 5] = [
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:EnableKeyRotation",
    "kms:DisableKey",
    "kms:UpdateKeyDescription",
];

pub(super) fn not_cross_account(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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
    fixed
        .principals
        .push(crate::core::drill::spec::PrincipalSpec {
            arn: admin.clone(),
            policies: vec![crate::core::drill::spec::Doc::new(vec![stmt(
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

pub(super) fn alias_name_cross(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn condition_wrong_account(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn org_id_outside(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn rcp_perimeter(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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
    fixed.accounts[h.owner_account].rcps = vec![crate::core::drill::spec::Doc::new(vec![deny])];
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

pub(super) fn not_principal(rng: &mut Rng, n: &Names, level: u8) -> Planted {
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

pub(super) fn wildcard_colon(rng: &mut Rng, n: &Names, level: u8) -> Planted {
    let l = layout(rng, level, &ANY);
    let (fixed, h) = base(rng, n, l);
    let pattern = format!("arn:aws:kms:*key/{}", n.key_ids[0]);
    let _ = aws;
    change(&fixed, h.access, "UseKey", |s| {
        s["Resource"] = json!(pattern)
    })
}
