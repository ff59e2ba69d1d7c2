//! Reading a scenario file into a [`World`], reporting every problem with
//! its file, line and column.

use serde::Deserialize;
use toml::Spanned;

use super::embed::Embedding;
use super::model::{
    Account, Bucket, Encryption, Key, Manager, Object, Principal, Reason, Request, Sse, Verdict,
    World,
};
use super::sink::DiagSink;
use crate::core::diag::Diagnostic;
use crate::core::policy::arn::{Arn, is_account_id};
use crate::core::policy::condition::ContextValue;
use crate::core::policy::iam_name::check_iam_resource;
use crate::core::policy::principal::Caller;
use crate::core::policy::{Policy, PolicyKind, parse};

/// Scenario files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: Option<String>,
    #[serde(default)]
    keys: Vec<RawKey>,
    #[serde(default)]
    buckets: Vec<RawBucket>,
    #[serde(default)]
    objects: Vec<RawObject>,
    #[serde(default)]
    principals: Vec<RawPrincipal>,
    #[serde(default)]
    accounts: Vec<RawAccount>,
    #[serde(default)]
    requests: Vec<RawRequest>,
    /// A lab file's teaching fields (CONTENT.md, "labs/*.toml"): the engine
    /// ignores them, so `keyshake eval` grades a lab file as it stands; the
    /// content loader checks them.
    #[serde(rename = "lab")]
    _lab: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    arn: Spanned<String>,
    managed_by: Option<Spanned<String>>,
    service: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBucket {
    name: Spanned<String>,
    account: Spanned<String>,
    region: Spanned<String>,
    policy: Option<Spanned<String>>,
    default_encryption: Option<Spanned<RawEncryption>>,
    #[serde(default)]
    bucket_key: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEncryption {
    sse: Spanned<String>,
    kms_key: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    bucket: Spanned<String>,
    key: String,
    sse: Option<Spanned<String>>,
    kms_key: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrincipal {
    arn: Spanned<String>,
    #[serde(default)]
    policies: Vec<Spanned<String>>,
    permissions_boundary: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    id: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    scps: Vec<Spanned<String>>,
    org: Option<Spanned<String>>,
    ou_path: Option<Spanned<String>>,
    management: Option<Spanned<bool>>,
    #[serde(default)]
    rcps: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    name: Option<String>,
    principal: Spanned<String>,
    action: Spanned<String>,
    resource: Spanned<String>,
    context: Option<Spanned<std::collections::BTreeMap<String, Spanned<toml::Value>>>>,
    expect: Option<Spanned<String>>,
    expect_reason: Option<Spanned<String>>,
}

/// Parses an embedded policy, recording its errors at their file positions
/// and each statement's file lines.
fn policy_of(
    cx: &mut DiagSink<'_>,
    raw: &Spanned<String>,
    kind: PolicyKind,
    what: &str,
) -> Option<Policy> {
    let value = raw.get_ref();
    let emb = Embedding::from_toml(cx.text(), raw.span(), value);
    match parse(value, kind) {
        Ok(mut policy) => {
            for s in &mut policy.statements {
                let first = cx.line_of(emb.to_file(s.span.start));
                let last = cx.line_of(emb.to_file(s.span.end.saturating_sub(1)));
                s.lines = Some((first, last));
            }
            Some(policy)
        }
        Err(errors) => {
            for e in errors {
                let at = emb.to_file(e.offset);
                cx.error(at, format!("{what}: {}", e.message));
            }
            None
        }
    }
}

/// Whether `raw` is a 12-digit account id (else an error is recorded).
fn account_ok(cx: &mut DiagSink<'_>, raw: &Spanned<String>, what: &str) -> bool {
    if is_account_id(raw.get_ref()) {
        true
    } else {
        cx.error(
            raw.span().start,
            format!(
                "{what} \"{}\" is not a 12-digit AWS account ID",
                raw.get_ref()
            ),
        );
        false
    }
}

/// Reads a scenario from the bytes of a file. `path` is used in messages.
pub fn load(path: &str, bytes: &[u8]) -> Result<World, Vec<Diagnostic>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::file_error(
            path,
            format!(
                "the file is {} bytes; scenario files are limited to {} MB",
                bytes.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let mut d = Diagnostic::error_at(
                path,
                &prefix,
                prefix.len(),
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02x} at offset {})",
                    bytes.get(e.valid_up_to()).copied().unwrap_or(0),
                    e.valid_up_to()
                ),
            );
            d.hint = Some("save the file as UTF-8 text".to_string());
            return Err(vec![d]);
        }
    };
    load_str(path, text)
}

/// Reads a scenario from text. `path` is used in messages.
pub fn load_str(path: &str, text: &str) -> Result<World, Vec<Diagnostic>> {
    let mut cx = DiagSink::new(path, text);
    // Every schema error is reported; what remains is still checked.
    let raw: Option<RawScenario> = super::recover::parse(text, |e| {
        let at = e.span().map_or(0, |s| s.start);
        cx.error(at, toml_message(e));
    });
    let Some(raw) = raw else {
        return Err(cx.finish());
    };
    if raw.requests.is_empty() {
        cx.push(
            Diagnostic::file_error(
                path,
                "the scenario has no [[requests]]: there is nothing to evaluate",
            )
            .with_hint("add a [[requests]] table with principal, action and resource"),
        );
    }
    let mut world = World {
        title: raw.title.clone(),
        ..World::default()
    };
    accounts(&mut cx, &raw, &mut world);
    principals(&mut cx, &raw, &mut world);
    keys(&mut cx, &raw, &mut world);
    buckets(&mut cx, &raw, &mut world);
    generate_aws_s3_keys(&mut world);
    objects(&mut cx, &raw, &mut world);
    requests(&mut cx, &raw, &mut world);
    if cx.is_empty() {
        Ok(world)
    } else {
        Err(cx.finish())
    }
}

/// The toml crate's message without its own position banner.
fn toml_message(e: &toml::de::Error) -> String {
    let m = e.message().trim();
    let m = m.strip_suffix('.').unwrap_or(m);
    format!("invalid scenario TOML: {m}")
}

fn accounts(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for a in &raw.accounts {
        if !account_ok(cx, &a.id, "account id") {
            continue;
        }
        if world.accounts.iter().any(|x| x.id == *a.id.get_ref()) {
            cx.error(
                a.id.span().start,
                format!("account {} is listed twice", a.id.get_ref()),
            );
            continue;
        }
        let scps = a
            .scps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                policy_of(
                    cx,
                    s,
                    PolicyKind::Scp,
                    &format!("SCP {} of account {}", i + 1, a.id.get_ref()),
                )
            })
            .collect();
        let rcps = a
            .rcps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                policy_of(
                    cx,
                    s,
                    PolicyKind::Rcp,
                    &format!("RCP {} of account {}", i + 1, a.id.get_ref()),
                )
            })
            .collect();
        let (org, ou_path) = super::org::membership(cx, a.org.as_ref(), a.ou_path.as_ref());
        // A management account without an org ID is accepted: the file
        // may leave the organization unnamed.
        let management = a.management.as_ref().is_some_and(|m| *m.get_ref());
        world.accounts.push(Account {
            id: a.id.get_ref().clone(),
            name: a.name.clone(),
            scps,
            org,
            ou_path,
            management,
            rcps,
        });
    }
}

fn principals(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for p in &raw.principals {
        let arn = p.arn.get_ref();
        let parsed = Arn::parse(arn);
        let ok = matches!(parsed, Some(a) if a.service == "iam"
            && is_account_id(a.account)
            && (a.resource.starts_with("role/") || a.resource.starts_with("user/"))
            && a.resource.len() > 5
            && !a.resource.contains(['*', '?']));
        if !ok {
            cx.error(
                p.arn.span().start,
                format!("principal arn \"{arn}\" must be an IAM role or user ARN, such as arn:aws:iam::444455556666:role/NAME"),
            );
            continue;
        }
        if let Some(Err(e)) = parsed.map(|a| check_iam_resource(a.resource)) {
            let shown: String = arn.chars().take(80).collect();
            let more = if shown.len() < arn.len() { "…" } else { "" };
            cx.error(
                p.arn.span().start,
                format!("principal arn \"{shown}{more}\": {e}"),
            );
            continue;
        }
        if world.principals.iter().any(|x| x.arn == *arn) {
            cx.error(
                p.arn.span().start,
                format!("principal {arn} is listed twice"),
            );
            continue;
        }
        let policies = p
            .policies
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                policy_of(
                    cx,
                    s,
                    PolicyKind::Identity,
                    &format!("identity policy {} of {arn}", i + 1),
                )
            })
            .collect();
        let boundary = p.permissions_boundary.as_ref().and_then(|s| {
            policy_of(
                cx,
                s,
                PolicyKind::Boundary,
                &format!("permissions boundary of {arn}"),
            )
        });
        world.principals.push(Principal {
            arn: arn.clone(),
            account: parsed.map(|a| a.account.to_string()).unwrap_or_default(),
            policies,
            boundary,
        });
    }
}

fn keys(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for k in &raw.keys {
        let arn = k.arn.get_ref();
        let parsed = Arn::parse(arn).filter(|a| {
            a.service == "kms"
                && !a.region.is_empty()
                && is_account_id(a.account)
                && a.resource.starts_with("key/")
                && a.resource.len() > 4
        });
        let Some(parsed) = parsed else {
            cx.error(
                k.arn.span().start,
                format!("key arn \"{arn}\" must look like arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"),
            );
            continue;
        };
        if world.keys.iter().any(|x| x.arn == *arn) {
            cx.error(k.arn.span().start, format!("key {arn} is listed twice"));
            continue;
        }
        let Some(manager) = key_manager(cx, k) else {
            continue;
        };
        let account = parsed.account.to_string();
        let region = parsed.region.to_string();
        let mut aliases = key_aliases(cx, k, &manager, (&account, &region), world);
        let id = parsed.resource["key/".len()..].to_string();
        let policy = match (&manager, &k.policy) {
            (Manager::Customer, Some(p)) => policy_of(
                cx,
                p,
                PolicyKind::KeyPolicy,
                &format!("key policy of {arn}"),
            ),
            (Manager::Customer, None) => {
                cx.error(k.arn.span().start, format!("customer managed key {arn} needs a policy = '''...''' (every KMS key has exactly one key policy)"));
                None
            }
            (Manager::Aws { .. }, Some(p)) => {
                cx.error(
                    p.span().start,
                    "an AWS managed key's policy is fixed by AWS and cannot be written or changed; remove policy (keyshake generates the AWS-defined one)",
                );
                None
            }
            (Manager::Aws { service }, None) => {
                let alias = format!("alias/aws/{service}");
                if !aliases.contains(&alias) {
                    aliases.push(alias);
                }
                aws_managed_policy(service, &account, &region)
            }
        };
        let Some(policy) = policy else { continue };
        world.keys.push(Key {
            arn: arn.clone(),
            id,
            account,
            region,
            manager,
            aliases,
            policy,
            generated: false,
        });
    }
}

/// Who manages key `k`; `None` (reported) for an unknown `managed_by` or
/// an AWS managed key without its service.
fn key_manager(cx: &mut DiagSink<'_>, k: &RawKey) -> Option<Manager> {
    let manager = match k.managed_by.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("customer") => {
            if let Some(s) = &k.service {
                cx.error(
                    s.span().start,
                    "service is only for AWS managed keys (managed_by = \"aws\")",
                );
            }
            Manager::Customer
        }
        Some("aws") => match &k.service {
            Some(s) if !s.get_ref().is_empty() => Manager::Aws {
                service: s.get_ref().clone(),
            },
            _ => {
                cx.error(
                    k.arn.span().start,
                    "an AWS managed key needs service = \"...\" (the service it belongs to, e.g. \"s3\")",
                );
                return None;
            }
        },
        Some(other) => {
            let span = k.managed_by.as_ref().map_or(k.arn.span(), |m| m.span());
            cx.error(
                span.start,
                format!("managed_by must be \"customer\" or \"aws\", found \"{other}\""),
            );
            return None;
        }
    };
    Some(manager)
}

/// The valid aliases of key `k` (the others are reported): well formed,
/// `alias/aws/` only for AWS managed keys, and not already naming another
/// key in the same account and region.
fn key_aliases(
    cx: &mut DiagSink<'_>,
    k: &RawKey,
    manager: &Manager,
    (account, region): (&str, &str),
    world: &World,
) -> Vec<String> {
    let mut aliases = Vec::new();
    for a in &k.aliases {
        let name = a.get_ref();
        let valid = name.starts_with("alias/")
            && name.len() > 6
            && name[6..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b));
        if !valid {
            cx.error(
                a.span().start,
                format!("alias \"{name}\" must look like alias/NAME (letters, digits, / _ -)"),
            );
            continue;
        }
        if name.starts_with("alias/aws/") && *manager == Manager::Customer {
            cx.error(
                a.span().start,
                format!("alias \"{name}\": the alias/aws/ prefix is reserved for AWS managed keys"),
            );
            continue;
        }
        // The same alias name may exist in several regions (AWS allows
        // it); only a bare-name request from that account is ambiguous,
        // which `requests` checks.
        let clash = world
            .keys
            .iter()
            .find(|x| x.account == account && x.region == region && x.aliases.contains(name));
        if let Some(other) = clash {
            cx.error(
                a.span().start,
                format!(
                    "alias \"{name}\" already names key {} in this account and region",
                    other.arn
                ),
            );
            continue;
        }
        aliases.push(name.clone());
    }
    aliases
}

/// The fixed key policy AWS gives an AWS managed key (evaluation.md §4; the
/// documented `aws/ebs` statement in AWS KMS "AWS managed keys" and
/// kms:ViaService pages): the owning account may use it only through the
/// service, and may read its metadata.
pub fn aws_managed_policy(service: &str, account: &str, region: &str) -> Option<Policy> {
    // Most files name the same few accounts and regions: the policies made
    // on this thread are kept (a few dozen at most), and a copy of one costs
    // a tenth of a parse.
    const KEPT: usize = 32;
    thread_local! {
        static MADE: std::cell::RefCell<Vec<([String; 3], Policy)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = [service, account, region];
    let kept = MADE.with_borrow(|made| {
        made.iter()
            .find(|(k, _)| k.iter().zip(key).all(|(a, b)| a == b))
            .map(|(_, p)| p.clone())
    });
    if kept.is_some() {
        return kept;
    }
    let text = aws_managed_policy_text(service, account, region);
    let policy = parse(&text, PolicyKind::KeyPolicy).ok()?;
    MADE.with_borrow_mut(|made| {
        if made.len() < KEPT {
            made.push((key.map(str::to_string), policy.clone()));
        }
    });
    Some(policy)
}

/// The JSON text of [`aws_managed_policy`], for display.
pub fn aws_managed_policy_text(service: &str, account: &str, region: &str) -> String {
    let via = format!("{service}.{region}.amazonaws.com");
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Id": "aws-managed-{service}",
  "Statement": [
    {{
      "Sid": "Use through {service} by principals of account {account}",
      "Effect": "Allow",
      "Principal": {{"AWS": "*"}},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {{"StringEquals": {{"kms:CallerAccount": "{account}", "kms:ViaService": "{via}"}}}}
    }},
    {{
      "Sid": "Key metadata for account {account}",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{account}:root"}},
      "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
      "Resource": "*"
    }}
  ]
}}"#
    )
}

fn buckets(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for b in &raw.buckets {
        let name = b.name.get_ref();
        let valid = (3..=63).contains(&name.len())
            && name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-');
        if !valid {
            cx.error(b.name.span().start, format!("bucket name \"{name}\" is not valid (3-63 lowercase letters, digits, dots, hyphens)"));
            continue;
        }
        if world.buckets.iter().any(|x| x.name == *name) {
            cx.error(
                b.name.span().start,
                format!("bucket {name} is listed twice (bucket names are global)"),
            );
            continue;
        }
        if !account_ok(cx, &b.account, "bucket account") {
            continue;
        }
        if b.region.get_ref().is_empty() {
            cx.error(b.region.span().start, "region must not be empty");
            continue;
        }
        let policy = match &b.policy {
            None => None,
            Some(p) => match policy_of(
                cx,
                p,
                PolicyKind::BucketPolicy,
                &format!("bucket policy of {name}"),
            ) {
                Some(p) => Some(p),
                None => continue,
            },
        };
        let default_encryption = match &b.default_encryption {
            None => None,
            Some(e) => {
                let e = e.get_ref();
                match sse(cx, &e.sse) {
                    Some(s) => {
                        if s == Sse::Aes256
                            && let Some(k) = &e.kms_key
                        {
                            cx.error(
                                k.span().start,
                                "kms_key goes with sse = \"aws:kms\", not AES256",
                            );
                        }
                        Some(Encryption {
                            sse: s,
                            kms_key: e.kms_key.as_ref().map(|k| k.get_ref().clone()),
                        })
                    }
                    None => continue,
                }
            }
        };
        world.buckets.push(Bucket {
            name: name.clone(),
            account: b.account.get_ref().clone(),
            region: b.region.get_ref().clone(),
            policy,
            default_encryption,
            bucket_key: b.bucket_key,
        });
    }
}

fn sse(cx: &mut DiagSink<'_>, raw: &Spanned<String>) -> Option<Sse> {
    match raw.get_ref().as_str() {
        "AES256" => Some(Sse::Aes256),
        "aws:kms" => Some(Sse::Kms),
        other => {
            cx.error(
                raw.span().start,
                format!("sse must be \"AES256\" or \"aws:kms\", found \"{other}\""),
            );
            None
        }
    }
}

/// Every account has an `aws/s3` key in each region where S3 needs one;
/// scenarios need not list it (evaluation.md §3.8).
fn generate_aws_s3_keys(world: &mut World) {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for b in &world.buckets {
        let pair = (b.account.clone(), b.region.clone());
        if !wanted.contains(&pair) {
            wanted.push(pair);
        }
    }
    for (account, region) in wanted {
        let exists = world.keys.iter().any(|k| {
            k.account == account
                && k.region == region
                && k.aliases.iter().any(|a| a == "alias/aws/s3")
        });
        if exists {
            continue;
        }
        let id = format!("aws-s3-{region}");
        let Some(policy) = aws_managed_policy("s3", &account, &region) else {
            continue;
        };
        world.keys.push(Key {
            arn: format!("arn:aws:kms:{region}:{account}:key/{id}"),
            id,
            account,
            region,
            manager: Manager::Aws {
                service: "s3".to_string(),
            },
            aliases: vec!["alias/aws/s3".to_string()],
            policy,
            generated: true,
        });
    }
}

fn objects(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for o in &raw.objects {
        if !world.buckets.iter().any(|b| b.name == *o.bucket.get_ref()) {
            cx.error(
                o.bucket.span().start,
                format!(
                    "object's bucket \"{}\" is not listed in [[buckets]]",
                    o.bucket.get_ref()
                ),
            );
            continue;
        }
        let sse_value = match &o.sse {
            None => None,
            Some(s) => match sse(cx, s) {
                Some(v) => Some(v),
                None => continue,
            },
        };
        if let Some(k) = &o.kms_key
            && sse_value != Some(Sse::Kms)
        {
            cx.error(k.span().start, "kms_key goes with sse = \"aws:kms\"");
            continue;
        }
        world.objects.push(Object {
            bucket: o.bucket.get_ref().clone(),
            key: o.key.clone(),
            sse: sse_value,
            kms_key: o.kms_key.as_ref().map(|k| k.get_ref().clone()),
        });
    }
}

fn requests(cx: &mut DiagSink<'_>, raw: &RawScenario, world: &mut World) {
    for r in &raw.requests {
        let principals = &world.principals;
        let caller = Caller::parse(r.principal.get_ref(), |account, role| {
            principals
                .iter()
                .find(|p| {
                    p.account == account
                        && p.arn.contains(":role/")
                        && p.arn.rsplit('/').next() == Some(role)
                })
                .map(|p| p.arn.clone())
        });
        let caller = match caller {
            Ok(c) => c,
            Err(msg) => {
                cx.error(r.principal.span().start, msg);
                continue;
            }
        };
        let action = r.action.get_ref();
        let valid_action = action.split_once(':').is_some_and(|(s, n)| {
            !s.is_empty()
                && !n.is_empty()
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && n.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if !valid_action {
            cx.error(r.action.span().start, format!("action \"{action}\" must be one action written service:Action, e.g. kms:Decrypt (no wildcards in a request)"));
            continue;
        }
        let resource = r.resource.get_ref();
        if resource.is_empty() {
            cx.error(r.resource.span().start, "resource must not be empty");
            continue;
        }
        if !resource_known(cx, r, &caller.account, world) {
            continue;
        }
        let mut context = Vec::new();
        if let Some(table) = &r.context {
            for (key, value) in table.get_ref() {
                match context_value(value.get_ref()) {
                    Some(v) => match context_too_big(&v) {
                        Some(why) => cx.error(
                            value.span().start,
                            format!("context value of \"{key}\" {why}"),
                        ),
                        None => context.push((key.to_ascii_lowercase(), key.clone(), v)),
                    },
                    None => cx.error(
                        value.span().start,
                        format!("context value of \"{key}\" must be a string, boolean, number or array of strings"),
                    ),
                }
            }
        }
        let Some((expect, expect_reason)) = expectation(cx, r) else {
            continue;
        };
        world.requests.push(Request {
            name: r.name.clone(),
            caller,
            action: action.clone(),
            resource: resource.clone(),
            context,
            expect,
            expect_reason,
            line: cx.line_of(r.principal.span().start),
        });
    }
}

/// A request's `expect` and `expect_reason`, checked against each other;
/// `None` (reported) when either is unknown or they contradict.
fn expectation(cx: &mut DiagSink<'_>, r: &RawRequest) -> Option<(Option<Verdict>, Option<Reason>)> {
    let expect = match &r.expect {
        None => None,
        Some(e) => match e.get_ref().as_str() {
            "allow" => Some(Verdict::Allow),
            "deny" => Some(Verdict::Deny),
            other => {
                cx.error(
                    e.span().start,
                    format!("expect must be \"allow\" or \"deny\", found \"{other}\""),
                );
                return None;
            }
        },
    };
    let expect_reason = match &r.expect_reason {
        None => None,
        Some(e) => match Reason::from_code(e.get_ref()) {
            Some(reason) => {
                if expect.is_some_and(|v| v != reason.verdict()) {
                    cx.error(
                        e.span().start,
                        format!("expect_reason \"{}\" contradicts expect", e.get_ref()),
                    );
                    return None;
                }
                Some(reason)
            }
            None => {
                let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
                cx.error(
                    e.span().start,
                    format!(
                        "unknown expect_reason \"{}\" (one of {})",
                        e.get_ref(),
                        codes.join(", ")
                    ),
                );
                return None;
            }
        },
    };
    Some((expect, expect_reason))
}

/// Whether the request's resource can be resolved (else it is reported):
/// a bare KMS key name must name one region's key of the caller's account,
/// an S3 resource a listed bucket.
fn resource_known(
    cx: &mut DiagSink<'_>,
    r: &RawRequest,
    caller_account: &str,
    world: &World,
) -> bool {
    let action = r.action.get_ref();
    let resource = r.resource.get_ref();
    let bare_kms_name = action.to_ascii_lowercase().starts_with("kms:")
        && resource != "*"
        && !resource.starts_with("arn:");
    if bare_kms_name {
        let regions: Vec<&str> = world
            .keys
            .iter()
            .filter(|k| {
                k.account == caller_account
                    && (k.id == *resource || k.aliases.iter().any(|a| a == resource))
            })
            .map(|k| k.region.as_str())
            .collect();
        if regions.len() > 1 {
            cx.error(
                r.resource.span().start,
                format!(
                    "\"{resource}\" is ambiguous: account {} has it in {} regions ({}); a bare name resolves in one region only, so name the key by its ARN",
                    caller_account,
                    regions.len(),
                    regions.join(", ")
                ),
            );
            return false;
        }
    }
    if action.to_ascii_lowercase().starts_with("s3:") {
        let bucket = resource
            .strip_prefix("arn:aws:s3:::")
            .map(|rest| rest.split('/').next().unwrap_or(rest));
        match bucket {
            Some(b) if world.buckets.iter().any(|x| x.name == b) => {}
            Some(b) => {
                cx.error(
                    r.resource.span().start,
                    format!("bucket \"{b}\" is not listed in [[buckets]]"),
                );
                return false;
            }
            None => {
                cx.error(r.resource.span().start, format!("an S3 resource must be arn:aws:s3:::BUCKET or arn:aws:s3:::BUCKET/KEY, found \"{resource}\""));
                return false;
            }
        }
    }
    true
}

/// The most values a multivalued context key may hold, as many as a
/// condition may list.
pub const MAX_CONTEXT_VALUES: usize = crate::core::policy::parse::MAX_CONDITION_VALUES;
/// The longest context string, in characters: longer than any value a
/// request carries (an encryption context holds 8,192 characters in all).
pub const MAX_CONTEXT_CHARS: usize = 8_192;

/// Why a context value is too big to be a request's, if it is.
fn context_too_big(value: &ContextValue) -> Option<String> {
    let long = |s: &String| s.chars().count() > MAX_CONTEXT_CHARS;
    match value {
        ContextValue::List(items) if items.len() > MAX_CONTEXT_VALUES => Some(format!(
            "lists {} values; a request carries at most {MAX_CONTEXT_VALUES}",
            items.len()
        )),
        ContextValue::List(items) if items.iter().any(long) => Some(format!(
            "holds a value longer than {MAX_CONTEXT_CHARS} characters"
        )),
        ContextValue::String(s) if long(s) => {
            Some(format!("is longer than {MAX_CONTEXT_CHARS} characters"))
        }
        _ => None,
    }
}

fn context_value(value: &toml::Value) -> Option<ContextValue> {
    Some(match value {
        toml::Value::String(s) => ContextValue::String(s.clone()),
        toml::Value::Boolean(b) => ContextValue::Bool(*b),
        toml::Value::Integer(i) => ContextValue::Number(*i as f64),
        toml::Value::Float(f) => ContextValue::Number(*f),
        toml::Value::Array(items) => ContextValue::List(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}
