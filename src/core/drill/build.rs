//! The base world every misconception starts from: a key and a bucket in
//! account A, a role in account B (or in A) that uses them, bystanders in
//! B and C, and at higher levels decoy statements that look relevant and
//! are not. The base world is the *working* one: the request is allowed.

use serde_json::{Value, json};

use super::names::Names;
use super::rng::Rng;
use super::spec::{
    AccountSpec, BucketSpec, Doc, KeySpec, ObjectSpec, PrincipalSpec, RequestSpec, Slot, Spec,
};

/// What the request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `kms:Decrypt` on the key, called directly.
    Decrypt,
    /// `s3:GetObject` of an SSE-KMS object (implies `kms:Decrypt`).
    Get,
    /// `s3:PutObject` into a bucket whose default encryption is the key
    /// (implies `kms:GenerateDataKey`).
    Put,
}

impl Shape {
    /// Whether the request goes through S3.
    pub fn s3(self) -> bool {
        self != Shape::Decrypt
    }

    /// The KMS action the request needs.
    pub fn kms_action(self) -> &'static str {
        match self {
            Shape::Decrypt | Shape::Get => "kms:Decrypt",
            Shape::Put => "kms:GenerateDataKey",
        }
    }

    /// The S3 action, for S3 shapes.
    pub fn s3_action(self) -> &'static str {
        match self {
            Shape::Put => "s3:PutObject",
            _ => "s3:GetObject",
        }
    }
}

/// How the base world is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// The request.
    pub shape: Shape,
    /// The caller is in the key's own account.
    pub same_account: bool,
    /// The key policy trusts the caller's whole account instead of its role.
    pub account_grant: bool,
    /// The bucket policy denies requests without TLS.
    pub tls_deny: bool,
    /// 1, 2 or 3: how many accounts and decoys.
    pub level: u8,
}

/// Where things are in the base world.
#[derive(Debug, Clone, Copy)]
pub struct Handles {
    /// The main key's policy.
    pub key: Slot,
    /// The bucket's policy (S3 shapes, cross-account), if any.
    pub bucket: Option<Slot>,
    /// The caller (index into principals).
    pub caller: usize,
    /// The caller's identity policy.
    pub access: Slot,
    /// The caller's account (index into accounts).
    pub caller_account: usize,
    /// The owner's account (index into accounts).
    pub owner_account: usize,
}

/// A statement.
pub fn stmt(
    sid: &str,
    effect: &str,
    principal: Option<Value>,
    action: Value,
    resource: Value,
) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("Sid".into(), json!(sid));
    m.insert("Effect".into(), json!(effect));
    if let Some(p) = principal {
        m.insert("Principal".into(), p);
    }
    m.insert("Action".into(), action);
    m.insert("Resource".into(), resource);
    Value::Object(m)
}

/// `{"AWS": arn}`.
pub fn aws(arn: &str) -> Value {
    json!({ "AWS": arn })
}

/// Builds the working base world.
pub fn base(rng: &mut Rng, n: &Names, layout: Layout) -> (Spec, Handles) {
    let level = layout.level;
    let caller_acct = if layout.same_account { &n.a } else { &n.b };
    let caller_arn = n.role(caller_acct, &n.caller);
    let key_arn = n.key_arn(0);

    let mut accounts = vec![AccountSpec {
        id: n.a.id.clone(),
        name: n.a.name.clone(),
        org: None,
        scps: Vec::new(),
        rcps: Vec::new(),
    }];
    if !layout.same_account {
        accounts.push(AccountSpec {
            id: n.b.id.clone(),
            name: n.b.name.clone(),
            org: None,
            scps: Vec::new(),
            rcps: Vec::new(),
        });
    }
    if level >= 2 {
        accounts.push(AccountSpec {
            id: n.c.id.clone(),
            name: n.c.name.clone(),
            org: None,
            scps: Vec::new(),
            rcps: Vec::new(),
        });
    }
    let caller_account = usize::from(!layout.same_account);

    let mut decoys = Vec::new();
    // The key policy.
    let mut key_policy = vec![stmt(
        "EnableIamPolicies",
        "Allow",
        Some(aws(&n.root(&n.a))),
        json!("kms:*"),
        json!("*"),
    )];
    if !layout.same_account {
        let grantee = if layout.account_grant {
            n.root(&n.b)
        } else {
            caller_arn.clone()
        };
        key_policy.push(stmt(
            "PartnerUse",
            "Allow",
            Some(aws(&grantee)),
            kms_actions(layout.shape),
            json!("*"),
        ));
    }
    let admin_arn = n.role(&n.a, &n.admin);
    key_policy.push(stmt(
        "KeyAdministration",
        "Allow",
        Some(aws(&admin_arn)),
        json!([
            "kms:Create*",
            "kms:Describe*",
            "kms:Enable*",
            "kms:List*",
            "kms:Put*",
            "kms:Update*",
            "kms:Revoke*",
            "kms:Disable*",
            "kms:Get*",
            "kms:Delete*",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion"
        ]),
        json!("*"),
    ));
    if level >= 3 {
        key_policy.push(stmt(
            "AuditRead",
            "Allow",
            Some(aws(&n.role(&n.c, &n.outsider))),
            json!(["kms:DescribeKey", "kms:GetKeyPolicy"]),
            json!("*"),
        ));
        decoys.push((Slot::Key(0), "AuditRead".to_string()));
    }
    let mut keys = vec![KeySpec {
        arn: key_arn.clone(),
        aws_service: None,
        aliases: if level >= 2 || rng.coin() {
            vec![n.alias.clone()]
        } else {
            Vec::new()
        },
        policy: Some(Doc::new(key_policy)),
    }];
    if level >= 3 {
        // A second key of A, for another team: plausible, never used.
        keys.push(KeySpec {
            arn: n.key_arn(1),
            aws_service: None,
            aliases: Vec::new(),
            policy: Some(Doc::new(vec![stmt(
                "EnableIamPolicies",
                "Allow",
                Some(aws(&n.root(&n.a))),
                json!("kms:*"),
                json!("*"),
            )])),
        });
    }

    // The bucket and the object.
    let mut buckets = Vec::new();
    let mut objects = Vec::new();
    let mut bucket_slot = None;
    if layout.shape.s3() {
        let mut statements = Vec::new();
        if !layout.same_account {
            statements.push(stmt(
                if layout.shape == Shape::Put {
                    "PartnerWrite"
                } else {
                    "PartnerRead"
                },
                "Allow",
                Some(aws(&caller_arn)),
                json!(layout.shape.s3_action()),
                json!(n.prefix_arn()),
            ));
        }
        if layout.tls_deny {
            let mut deny = stmt(
                "DenyInsecureTransport",
                "Deny",
                Some(json!("*")),
                json!("s3:*"),
                json!([
                    format!("arn:aws:s3:::{}", n.bucket),
                    format!("arn:aws:s3:::{}/*", n.bucket)
                ]),
            );
            deny["Condition"] = json!({ "Bool": { "aws:SecureTransport": "false" } });
            statements.push(deny);
        }
        if level >= 2 && !statements.is_empty() {
            statements.push(stmt(
                "InventoryList",
                "Allow",
                Some(aws(&n.role(&n.a, &n.admin))),
                json!("s3:ListBucket"),
                json!(format!("arn:aws:s3:::{}", n.bucket)),
            ));
            decoys.push((Slot::Bucket(0), "InventoryList".to_string()));
        }
        let has_policy = !statements.is_empty();
        buckets.push(BucketSpec {
            name: n.bucket.clone(),
            account: n.a.id.clone(),
            region: n.region.clone(),
            policy: has_policy.then(|| Doc::new(statements)),
            default_key: Some(key_arn.clone()),
            bucket_key: false,
        });
        if has_policy {
            bucket_slot = Some(Slot::Bucket(0));
        }
        objects.push(ObjectSpec {
            bucket: n.bucket.clone(),
            key: format!("{}/{}", n.prefix, n.file),
            kms_key: key_arn.clone(),
        });
    }

    // The caller's identity policy.
    let mut access = vec![stmt(
        "ListBuckets",
        "Allow",
        None,
        json!("s3:ListAllMyBuckets"),
        json!("*"),
    )];
    if layout.shape.s3() {
        access.push(stmt(
            if layout.shape == Shape::Put {
                "WriteObjects"
            } else {
                "ReadObjects"
            },
            "Allow",
            None,
            json!(layout.shape.s3_action()),
            json!(n.prefix_arn()),
        ));
    }
    access.push(stmt(
        "UseKey",
        "Allow",
        None,
        kms_actions(layout.shape),
        json!(key_arn),
    ));
    if level >= 2 {
        access.push(stmt(
            "ReadOwnLogs",
            "Allow",
            None,
            json!("s3:GetObject"),
            json!(format!("arn:aws:s3:::logs-{}/*", caller_acct.id)),
        ));
        decoys.push((Slot::Identity(0, 0), "ReadOwnLogs".to_string()));
    }
    let broad = || {
        Doc::new(vec![stmt(
            "General",
            "Allow",
            None,
            json!([
                "kms:Decrypt",
                "kms:GenerateDataKey",
                "kms:DescribeKey",
                "s3:GetObject",
                "s3:PutObject"
            ]),
            json!("*"),
        )])
    };
    let principals = vec![
        PrincipalSpec {
            arn: caller_arn.clone(),
            policies: vec![Doc::new(access)],
            boundary: None,
        },
        PrincipalSpec {
            arn: n.role(caller_acct, &n.bystander),
            policies: vec![broad()],
            boundary: None,
        },
        PrincipalSpec {
            arn: n.role(&n.c, &n.outsider),
            policies: vec![broad()],
            boundary: None,
        },
    ];

    let request = main_request(n, layout.shape, &caller_arn);
    let mut probes = Vec::new();
    for who in [n.role(caller_acct, &n.bystander), n.role(&n.c, &n.outsider)] {
        probes.push(main_request(n, layout.shape, &who));
    }
    let mut extra = main_request(n, layout.shape, &caller_arn);
    if layout.shape.s3() {
        extra.action = "s3:DeleteObject".into();
    } else {
        extra.action = "kms:CreateGrant".into();
    }
    extra.name = format!(
        "{} calls {} on the same resource",
        short(&caller_arn),
        extra.action
    );
    probes.push(extra);

    let title = match layout.shape {
        Shape::Decrypt => format!("{} decrypts with a key of {}", n.caller, n.a.name),
        Shape::Get => format!("{} reads an object of {}", n.caller, n.a.name),
        Shape::Put => format!("{} writes an object to {}", n.caller, n.a.name),
    };
    let spec = Spec {
        title,
        accounts,
        keys,
        buckets,
        objects,
        principals,
        request,
        probes,
        decoys,
    };
    let handles = Handles {
        key: Slot::Key(0),
        bucket: bucket_slot,
        caller: 0,
        access: Slot::Identity(0, 0),
        caller_account,
        owner_account: 0,
    };
    (spec, handles)
}

/// The KMS actions a grant for `shape` names.
pub fn kms_actions(shape: Shape) -> Value {
    json!(shape.kms_action())
}

/// The drill's request for `shape`, made by `who`.
pub fn main_request(n: &Names, shape: Shape, who: &str) -> RequestSpec {
    let (resource, context) = match shape {
        Shape::Decrypt => (n.key_arn(0), Vec::new()),
        Shape::Get => (
            n.object_arn(),
            vec![("aws:SecureTransport".to_string(), json!(true))],
        ),
        Shape::Put => (
            format!("arn:aws:s3:::{}/{}/upload-{}", n.bucket, n.prefix, n.file),
            vec![("aws:SecureTransport".to_string(), json!(true))],
        ),
    };
    let verb = match shape {
        Shape::Decrypt => "decrypts with the key",
        Shape::Get => "reads the object",
        Shape::Put => "uploads an object",
    };
    RequestSpec {
        name: format!("{} {verb}", short(who)),
        principal: who.to_string(),
        action: match shape {
            Shape::Decrypt => "kms:Decrypt".into(),
            other => other.s3_action().into(),
        },
        resource,
        context,
    }
}

/// The name after the last `/` of an ARN.
pub fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
