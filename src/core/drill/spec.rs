//! A generated world in a form that is easy to build and to change one
//! policy of, written out as scenario TOML (`docs/scenario-format.md`).

use std::fmt::Write;

use serde_json::{Value, json};

/// A policy document: its statements, each a JSON object with a `Sid`.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// The statements, in order.
    pub statements: Vec<Value>,
}

impl Doc {
    /// A document of these statements.
    pub fn new(statements: Vec<Value>) -> Doc {
        Doc { statements }
    }

    /// The policy JSON, pretty-printed as a user would paste it.
    pub fn text(&self) -> String {
        let v = json!({ "Version": "2012-10-17", "Statement": self.statements });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// The policy JSON on one line.
    pub fn compact(&self) -> String {
        let v = json!({ "Version": "2012-10-17", "Statement": self.statements });
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// The statement with this Sid.
    pub fn get(&self, sid: &str) -> Option<&Value> {
        self.statements.iter().find(|s| sid_of(s) == Some(sid))
    }

    /// The statement with this Sid, to change.
    pub fn get_mut(&mut self, sid: &str) -> Option<&mut Value> {
        self.statements.iter_mut().find(|s| sid_of(s) == Some(sid))
    }

    /// Removes the statement with this Sid.
    pub fn remove(&mut self, sid: &str) {
        self.statements.retain(|s| sid_of(s) != Some(sid));
    }

    /// Replaces (or appends) the statement with `stmt`'s Sid.
    pub fn put(&mut self, stmt: Value) {
        let sid = sid_of(&stmt).map(str::to_string);
        match sid.and_then(|s| self.statements.iter().position(|x| sid_of(x) == Some(&s))) {
            Some(i) => self.statements[i] = stmt,
            None => self.statements.push(stmt),
        }
    }
}

/// The Sid of a statement.
pub fn sid_of(stmt: &Value) -> Option<&str> {
    stmt.get("Sid").and_then(Value::as_str)
}

/// Where a policy lives in a [`Spec`] (indexes into its lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The key policy of key N.
    Key(usize),
    /// The bucket policy of bucket N.
    Bucket(usize),
    /// Identity policy J of principal I.
    Identity(usize, usize),
    /// The permissions boundary of principal I.
    Boundary(usize),
    /// SCP J of account I.
    Scp(usize, usize),
    /// RCP J of account I.
    Rcp(usize, usize),
}

/// An account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSpec {
    /// Twelve digits.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its organization, if any.
    pub org: Option<String>,
    /// Service control policies.
    pub scps: Vec<Doc>,
    /// Resource control policies.
    pub rcps: Vec<Doc>,
}

/// A KMS key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpec {
    /// Its ARN.
    pub arn: String,
    /// `Some(service)` for an AWS managed key.
    pub aws_service: Option<String>,
    /// Alias names.
    pub aliases: Vec<String>,
    /// The key policy (customer managed keys only).
    pub policy: Option<Doc>,
}

/// An S3 bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketSpec {
    /// Its name.
    pub name: String,
    /// Its account.
    pub account: String,
    /// Its region.
    pub region: String,
    /// Its bucket policy.
    pub policy: Option<Doc>,
    /// The key ARN of its SSE-KMS default encryption.
    pub default_key: Option<String>,
    /// S3 Bucket Keys.
    pub bucket_key: bool,
}

/// An SSE-KMS object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectSpec {
    /// Its bucket.
    pub bucket: String,
    /// Its key (name).
    pub key: String,
    /// The KMS key ARN that encrypted it.
    pub kms_key: String,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalSpec {
    /// Its ARN.
    pub arn: String,
    /// Identity policies.
    pub policies: Vec<Doc>,
    /// Its permissions boundary.
    pub boundary: Option<Doc>,
}

/// A request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    /// What it is, in words.
    pub name: String,
    /// The caller.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource as written.
    pub resource: String,
    /// Request context: (key, value: string or bool).
    pub context: Vec<(String, Value)>,
}

/// A whole generated world: what the scenario file holds, plus the
/// requests that must stay denied.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The scenario title.
    pub title: String,
    /// Accounts.
    pub accounts: Vec<AccountSpec>,
    /// KMS keys.
    pub keys: Vec<KeySpec>,
    /// Buckets.
    pub buckets: Vec<BucketSpec>,
    /// Objects.
    pub objects: Vec<ObjectSpec>,
    /// Roles.
    pub principals: Vec<PrincipalSpec>,
    /// The request the drill asks about.
    pub request: RequestSpec,
    /// Least-privilege probes: requests that must be denied.
    pub probes: Vec<RequestSpec>,
    /// Decoy statements: (where, Sid). Plausible, never deciding.
    pub decoys: Vec<(Slot, String)>,
}

impl Spec {
    /// The policy in `slot`.
    pub fn doc(&self, slot: Slot) -> Option<&Doc> {
        match slot {
            Slot::Key(i) => self.keys.get(i)?.policy.as_ref(),
            Slot::Bucket(i) => self.buckets.get(i)?.policy.as_ref(),
            Slot::Identity(i, j) => self.principals.get(i)?.policies.get(j),
            Slot::Boundary(i) => self.principals.get(i)?.boundary.as_ref(),
            Slot::Scp(i, j) => self.accounts.get(i)?.scps.get(j),
            Slot::Rcp(i, j) => self.accounts.get(i)?.rcps.get(j),
        }
    }

    /// The policy in `slot`, to change.
    pub fn doc_mut(&mut self, slot: Slot) -> Option<&mut Doc> {
        match slot {
            Slot::Key(i) => self.keys.get_mut(i)?.policy.as_mut(),
            Slot::Bucket(i) => self.buckets.get_mut(i)?.policy.as_mut(),
            Slot::Identity(i, j) => self.principals.get_mut(i)?.policies.get_mut(j),
            Slot::Boundary(i) => self.principals.get_mut(i)?.boundary.as_mut(),
            Slot::Scp(i, j) => self.accounts.get_mut(i)?.scps.get_mut(j),
            Slot::Rcp(i, j) => self.accounts.get_mut(i)?.rcps.get_mut(j),
        }
    }

    /// Every policy slot of the world, in file order.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        for (i, k) in self.keys.iter().enumerate() {
            if k.policy.is_some() {
                out.push(Slot::Key(i));
            }
        }
        for (i, b) in self.buckets.iter().enumerate() {
            if b.policy.is_some() {
                out.push(Slot::Bucket(i));
            }
        }
        for (i, p) in self.principals.iter().enumerate() {
            out.extend((0..p.policies.len()).map(|j| Slot::Identity(i, j)));
            if p.boundary.is_some() {
                out.push(Slot::Boundary(i));
            }
        }
        for (i, a) in self.accounts.iter().enumerate() {
            out.extend((0..a.scps.len()).map(|j| Slot::Scp(i, j)));
            out.extend((0..a.rcps.len()).map(|j| Slot::Rcp(i, j)));
        }
        out
    }

    /// A label for a policy, as the engine's trace names it.
    pub fn label(&self, slot: Slot) -> String {
        let principal = |i: usize| self.principals.get(i).map_or("?", |p| p.arn.as_str());
        let account = |i: usize| self.accounts.get(i).map_or("?", |a| a.id.as_str());
        match slot {
            Slot::Key(i) => format!(
                "key policy of {}",
                self.keys.get(i).map_or("?", |k| k.arn.as_str())
            ),
            Slot::Bucket(i) => format!(
                "bucket policy of {}",
                self.buckets.get(i).map_or("?", |b| b.name.as_str())
            ),
            Slot::Identity(i, j) => format!("identity policy {} of {}", j + 1, principal(i)),
            Slot::Boundary(i) => format!("permissions boundary of {}", principal(i)),
            Slot::Scp(i, j) => format!("SCP {} of account {}", j + 1, account(i)),
            Slot::Rcp(i, j) => format!("RCP {} of account {}", j + 1, account(i)),
        }
    }

    /// The scenario file: the world and the one request, with `expect`.
    pub fn toml(&self, expect: Option<(&str, &str)>) -> String {
        let mut s = String::with_capacity(4096);
        let _ = writeln!(s, "title = {}", q(&self.title));
        for a in &self.accounts {
            let _ = write!(
                s,
                "\n[[accounts]]\nid = {}\nname = {}\n",
                q(&a.id),
                q(&a.name)
            );
            if let Some(org) = &a.org {
                let _ = writeln!(s, "org = {}", q(org));
            }
            docs(&mut s, "scps", &a.scps);
            docs(&mut s, "rcps", &a.rcps);
        }
        for k in &self.keys {
            let _ = write!(s, "\n[[keys]]\narn = {}\n", q(&k.arn));
            if let Some(service) = &k.aws_service {
                let _ = write!(s, "managed_by = \"aws\"\nservice = {}\n", q(service));
            }
            if !k.aliases.is_empty() {
                let list: Vec<String> = k.aliases.iter().map(|a| q(a)).collect();
                let _ = writeln!(s, "aliases = [{}]", list.join(", "));
            }
            if let Some(p) = &k.policy {
                let _ = writeln!(s, "policy = '''\n{}\n'''", p.text());
            }
        }
        for b in &self.buckets {
            let _ = write!(
                s,
                "\n[[buckets]]\nname = {}\naccount = {}\nregion = {}\n",
                q(&b.name),
                q(&b.account),
                q(&b.region)
            );
            if let Some(k) = &b.default_key {
                let _ = writeln!(
                    s,
                    "default_encryption = {{ sse = \"aws:kms\", kms_key = {} }}",
                    q(k)
                );
            }
            if b.bucket_key {
                s.push_str("bucket_key = true\n");
            }
            if let Some(p) = &b.policy {
                let _ = writeln!(s, "policy = '''\n{}\n'''", p.text());
            }
        }
        for o in &self.objects {
            let _ = write!(
                s,
                "\n[[objects]]\nbucket = {}\nkey = {}\nsse = \"aws:kms\"\nkms_key = {}\n",
                q(&o.bucket),
                q(&o.key),
                q(&o.kms_key)
            );
        }
        for p in &self.principals {
            let _ = write!(s, "\n[[principals]]\narn = {}\n", q(&p.arn));
            docs(&mut s, "policies", &p.policies);
            if let Some(b) = &p.boundary {
                let _ = writeln!(s, "permissions_boundary = '''\n{}\n'''", b.text());
            }
        }
        request(&mut s, &self.request, expect);
        s
    }
}

/// Writes one `[[requests]]` table.
pub fn request(s: &mut String, r: &RequestSpec, expect: Option<(&str, &str)>) {
    let _ = write!(
        s,
        "\n[[requests]]\nname = {}\nprincipal = {}\naction = {}\nresource = {}\n",
        q(&r.name),
        q(&r.principal),
        q(&r.action),
        q(&r.resource)
    );
    if !r.context.is_empty() {
        let parts: Vec<String> = r
            .context
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::Bool(b) => b.to_string(),
                    Value::String(t) => q(t),
                    other => q(&other.to_string()),
                };
                format!("{} = {value}", q(k))
            })
            .collect();
        let _ = writeln!(s, "context = {{ {} }}", parts.join(", "));
    }
    if let Some((verdict, reason)) = expect {
        let _ = write!(
            s,
            "expect = {}\nexpect_reason = {}\n",
            q(verdict),
            q(reason)
        );
    }
}

fn docs(s: &mut String, field: &str, list: &[Doc]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(s, "{field} = [");
    for d in list {
        let _ = writeln!(s, "'''\n{}\n''',", d.text());
    }
    s.push_str("]\n");
}

/// A TOML basic string.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
