//! Principals: who a resource policy statement is about, who is calling, and
//! how the two match (evaluation.md §2 "Principal").

use super::arn::{Arn, is_account_id};
use super::iam_name::{check_iam_resource, check_name};
use super::wildcard::has_wildcard;

/// One entry of a statement's `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Everyone,
    /// An account ID or `arn:aws:iam::ID:root`: the account, which delegates
    /// to its own identity policies.
    Account(String),
    /// `arn:aws:iam::ID:user/...`
    User(String),
    /// `arn:aws:iam::ID:role/...`: the role and every session of it.
    Role(String),
    /// `arn:aws:sts::ID:assumed-role/ROLE/SESSION`: that session only.
    Session(String),
    /// `{"Service": "s3.amazonaws.com"}`: only that service, never an IAM
    /// principal.
    Service(String),
    /// `{"Federated": ...}`, `{"CanonicalUser": ...}` or a federated-user
    /// session: never one of the IAM callers a scenario models.
    Other(String),
}

/// A statement's principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalSpec {
    /// `NotPrincipal` rather than `Principal`.
    pub negated: bool,
    /// The listed principals.
    pub entries: Vec<PrincipalEntry>,
}

/// What sort of IAM identity makes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// The account's root user (`arn:aws:iam::ID:root`).
    Root,
    /// An IAM user.
    User,
    /// An IAM role acting as itself (the scenario names the role ARN).
    Role,
    /// A session of an IAM role (`assumed-role/ROLE/SESSION`).
    Session,
    /// An AWS service acting as itself (`cloudtrail.amazonaws.com`): it has
    /// no account, no identity policies, no boundary and no SCPs, so only a
    /// resource policy naming it can let it in (evaluation.md §6).
    Service,
}

/// The principal making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The ARN as given in the request.
    pub arn: String,
    /// The caller's account ID; empty for a service principal, which
    /// belongs to no customer account.
    pub account: String,
    /// Root, user, role or session.
    pub kind: CallerKind,
    /// For a role or a session: the role's ARN (`aws:PrincipalArn`).
    pub role_arn: Option<String>,
}

impl Caller {
    /// Reads a request's principal ARN. `role_path_of` finds the ARN of a
    /// listed role by account and role name, so that a session of a role with
    /// a path (`role/service/x`) maps back to it.
    pub fn parse(
        text: &str,
        role_path_of: impl Fn(&str, &str) -> Option<String>,
    ) -> Result<Caller, String> {
        if is_service_principal(text) {
            return Ok(Caller {
                arn: text.to_string(),
                account: String::new(),
                kind: CallerKind::Service,
                role_arn: None,
            });
        }
        let arn = Arn::parse(text).ok_or_else(|| {
            format!(
                "principal \"{text}\" is not an IAM ARN or a service principal; write a role, user or session ARN such as arn:aws:iam::444455556666:role/NAME, or a service such as cloudtrail.amazonaws.com"
            )
        })?;
        if !is_account_id(arn.account) {
            return Err(format!(
                "principal \"{text}\" has no 12-digit account ID in its fifth field"
            ));
        }
        if has_wildcard(text) {
            return Err(format!(
                "principal \"{text}\" contains a wildcard; a caller is one identity"
            ));
        }
        let account = arn.account.to_string();
        let (kind, role_arn) = match (arn.service, arn.resource) {
            ("iam", "root") => (CallerKind::Root, None),
            ("iam", r) if r.starts_with("user/") && r.len() > 5 => {
                check_iam_resource(r).map_err(|e| format!("principal \"{}\": {e}", short(text)))?;
                (CallerKind::User, None)
            }
            ("iam", r) if r.starts_with("role/") && r.len() > 5 => {
                check_iam_resource(r).map_err(|e| format!("principal \"{}\": {e}", short(text)))?;
                (CallerKind::Role, Some(text.to_string()))
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                let mut parts = r["assumed-role/".len()..].splitn(2, '/');
                let role = parts.next().unwrap_or_default();
                let session = parts.next().unwrap_or_default();
                if role.is_empty() || session.is_empty() {
                    return Err(format!(
                        "session \"{text}\" must look like arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION"
                    ));
                }
                check_name(role, "role name", 1)
                    .and_then(|()| check_name(session, "session name", 2))
                    .map_err(|e| format!("session \"{}\": {e}", short(text)))?;
                let role_arn = role_path_of(&account, role)
                    .unwrap_or_else(|| format!("arn:{}:iam::{account}:role/{role}", arn.partition));
                (CallerKind::Session, Some(role_arn))
            }
            ("iam", r) if r.starts_with("group/") => {
                return Err(format!(
                    "\"{text}\" is an IAM group; a group cannot make requests, its users do"
                ));
            }
            _ => {
                return Err(format!(
                    "principal \"{text}\" is not a root user, IAM user, IAM role or role session ARN"
                ));
            }
        };
        Ok(Caller {
            arn: text.to_string(),
            account,
            kind,
            role_arn,
        })
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a role session.
    pub fn principal_arn(&self) -> &str {
        match (&self.kind, &self.role_arn) {
            (CallerKind::Session, Some(role)) => role,
            _ => &self.arn,
        }
    }

    /// A short human name: "role lambda-exec", "user alice", "the root user".
    pub fn describe(&self) -> String {
        let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
        match self.kind {
            CallerKind::Root => format!("the root user of account {}", self.account),
            CallerKind::User => format!("user {}", last(&self.arn)),
            CallerKind::Role => format!("role {}", last(&self.arn)),
            CallerKind::Session => {
                let role = self.role_arn.as_deref().map(last).unwrap_or_default();
                format!("role {role} (session {})", last(&self.arn))
            }
            CallerKind::Service => format!("the service principal {}", self.arn),
        }
    }

    /// True for an AWS service principal calling as itself.
    pub fn is_service(&self) -> bool {
        self.kind == CallerKind::Service
    }
}

/// At most 80 characters of `text`, for a message about a name that may be
/// far longer.
fn short(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// True if `text` is written as an AWS service principal: dot-separated
/// lowercase labels ending in `amazonaws.com` (`cloudtrail.amazonaws.com`,
/// `logs.us-east-1.amazonaws.com`), as AWS's "AWS service principals"
/// (IAM User Guide, "AWS JSON policy elements: Principal") names them.
pub fn is_service_principal(text: &str) -> bool {
    let Some(service) = text
        .strip_suffix(".amazonaws.com")
        .or_else(|| text.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    !service.is_empty()
        && service.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// How an Allow statement's principal covers a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Not covered.
    None,
    /// Covered only through the caller's account: the account's identity
    /// policies must allow the request too.
    Delegated,
    /// Covered by the ARN of the caller's role: that role's permissions
    /// boundary still caps it.
    DirectCapped,
    /// Covered by the caller's own user or session ARN, or by everyone
    /// (`*`, or a `NotPrincipal` that does not list it).
    Direct,
}

/// The ways Allow statements cover a caller, accumulated over statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrantSet {
    /// Named by its own user or session ARN, or covered as one of everyone
    /// (`*`): a permissions boundary does not cap this.
    pub direct: bool,
    /// Named by its role's ARN: the role's boundary still caps it.
    pub capped: bool,
    /// Named only through its account: its identity policies must allow too.
    pub delegated: bool,
}

impl GrantSet {
    /// True if any statement covers the caller.
    pub fn any(self) -> bool {
        self.direct || self.capped || self.delegated
    }

    /// Adds another statement's grants.
    pub fn merge(&mut self, other: GrantSet) {
        self.direct |= other.direct;
        self.capped |= other.capped;
        self.delegated |= other.delegated;
    }

    /// The strongest single grant, for traces.
    pub fn strongest(self) -> Grant {
        if self.direct {
            Grant::Direct
        } else if self.capped {
            Grant::DirectCapped
        } else if self.delegated {
            Grant::Delegated
        } else {
            Grant::None
        }
    }
}

impl PrincipalSpec {
    /// The strongest way this principal element, in an Allow statement,
    /// covers `caller`.
    pub fn allow_grant(&self, caller: &Caller) -> Grant {
        self.allow_grants(caller).strongest()
    }

    /// Every way this principal element, in an Allow statement, covers
    /// `caller` (a statement may name both the caller's role and its account).
    ///
    /// Only a grant to the role's ARN is capped by the role's permissions
    /// boundary. AWS's IAM User Guide, "Permissions boundaries for IAM
    /// entities"
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>),
    /// says a boundary does not limit what a resource-based policy grants
    /// directly to a user or a role session, but does limit a grant to the
    /// role's ARN. `*` (and a `NotPrincipal` that leaves the caller out) does
    /// not name the role, so it grants directly: this is how the `aws/s3`
    /// managed key's generated statement lets a bounded role decrypt
    /// through S3. An account principal is a delegation, handled by the
    /// identity side (where the boundary applies).
    pub fn allow_grants(&self, caller: &Caller) -> GrantSet {
        let mut set = GrantSet::default();
        if self.negated {
            set.direct = !self.lists(caller);
            return set;
        }
        for entry in &self.entries {
            match entry {
                PrincipalEntry::Everyone => set.direct = true,
                PrincipalEntry::Account(id) if *id == caller.account => set.delegated = true,
                PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) if *arn == caller.arn => {
                    set.direct = true
                }
                PrincipalEntry::Role(arn) if caller.role_arn.as_deref() == Some(arn) => {
                    set.capped = true
                }
                PrincipalEntry::Service(name) if caller.is_service() && *name == caller.arn => {
                    set.direct = true
                }
                _ => {}
            }
        }
        set
    }

    /// True if this principal element, in a Deny statement, covers `caller`.
    /// `has_boundary`: the caller has a permissions boundary attached, which
    /// makes a Deny with NotPrincipal apply whoever is listed.
    pub fn deny_applies(&self, caller: &Caller, has_boundary: bool) -> bool {
        if self.negated {
            return has_boundary || !self.lists(caller);
        }
        self.entries.iter().any(|entry| match entry {
            PrincipalEntry::Everyone => true,
            PrincipalEntry::Account(id) => *id == caller.account,
            PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => *arn == caller.arn,
            PrincipalEntry::Role(arn) => caller.role_arn.as_deref() == Some(arn),
            PrincipalEntry::Service(name) => caller.is_service() && *name == caller.arn,
            PrincipalEntry::Other(_) => false,
        })
    }

    /// True if `caller` is exempted by a NotPrincipal list: an account entry
    /// exempts only the account principal (its root user), a role entry only
    /// the role itself, not its sessions.
    fn lists(&self, caller: &Caller) -> bool {
        self.entries.iter().any(|entry| match entry {
            PrincipalEntry::Everyone => true,
            PrincipalEntry::Account(id) => caller.kind == CallerKind::Root && *id == caller.account,
            PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => *arn == caller.arn,
            PrincipalEntry::Role(arn) => caller.kind == CallerKind::Role && *arn == caller.arn,
            PrincipalEntry::Service(name) => caller.is_service() && *name == caller.arn,
            PrincipalEntry::Other(_) => false,
        })
    }
}

/// Reads one value of `{"AWS": ...}`. Errors are learner-facing sentences.
pub fn parse_aws_principal(text: &str) -> Result<PrincipalEntry, String> {
    if text == "*" {
        return Ok(PrincipalEntry::Everyone);
    }
    if is_account_id(text) {
        return Ok(PrincipalEntry::Account(text.to_string()));
    }
    let Some(arn) = Arn::parse(text) else {
        return Err(format!(
            "\"{text}\" is not a valid AWS principal: use \"*\", a 12-digit account ID, or an IAM ARN"
        ));
    };
    if has_wildcard(text) {
        return Err(format!(
            "wildcards are not allowed inside a principal ARN (\"{text}\"); name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn"
        ));
    }
    if !is_account_id(arn.account) {
        return Err(format!(
            "principal \"{text}\" needs a 12-digit account ID in its fifth field"
        ));
    }
    match (arn.service, arn.resource) {
        ("iam", "root") => Ok(PrincipalEntry::Account(arn.account.to_string())),
        ("iam", r) if r.starts_with("user/") => Ok(PrincipalEntry::User(text.to_string())),
        ("iam", r) if r.starts_with("role/") => Ok(PrincipalEntry::Role(text.to_string())),
        ("iam", r) if r.starts_with("group/") => Err(format!(
            "an IAM group (\"{text}\") can never be a principal; name its users or a role instead"
        )),
        ("sts", r) if r.starts_with("assumed-role/") && r.matches('/').count() >= 2 => {
            Ok(PrincipalEntry::Session(text.to_string()))
        }
        ("sts", r) if r.starts_with("federated-user/") => {
            Ok(PrincipalEntry::Other(text.to_string()))
        }
        _ => Err(format!(
            "\"{text}\" is not a principal ARN: expected ...:root, user/NAME, role/NAME or assumed-role/ROLE/SESSION"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(arn: &str) -> Caller {
        Caller::parse(arn, |_, _| None).expect("valid caller")
    }

    fn spec(negated: bool, entries: &[&str]) -> PrincipalSpec {
        PrincipalSpec {
            negated,
            entries: entries
                .iter()
                .map(|e| parse_aws_principal(e).expect("valid principal"))
                .collect(),
        }
    }

    const ROLE: &str = "arn:aws:iam::444455556666:role/lambda-exec";
    const SESSION: &str = "arn:aws:sts::444455556666:assumed-role/lambda-exec/run1";

    /// Only a grant to the role's ARN is capped by the role's boundary;
    /// everyone (`*`, or a NotPrincipal leaving the caller out) is direct.
    #[test]
    fn only_a_role_arn_grant_is_capped_for_every_caller_kind() {
        let user = "arn:aws:iam::444455556666:user/alice";
        for who in [ROLE, SESSION, user] {
            let c = caller(who);
            assert_eq!(spec(false, &["*"]).allow_grant(&c), Grant::Direct, "{who}");
            let grants = spec(false, &["*"]).allow_grants(&c);
            assert!(grants.direct && !grants.capped, "{who}");
            assert_eq!(
                spec(true, &["arn:aws:iam::111122223333:role/x"]).allow_grant(&c),
                Grant::Direct,
                "{who}"
            );
        }
        assert_eq!(
            spec(false, &[ROLE]).allow_grant(&caller(ROLE)),
            Grant::DirectCapped
        );
        assert_eq!(
            spec(false, &[user]).allow_grant(&caller(user)),
            Grant::Direct
        );
    }

    #[test]
    fn role_arn_covers_sessions_directly_account_delegates() {
        let s = caller(SESSION);
        assert_eq!(s.role_arn.as_deref(), Some(ROLE));
        assert_eq!(spec(false, &[ROLE]).allow_grant(&s), Grant::DirectCapped);
        assert_eq!(spec(false, &[SESSION]).allow_grant(&s), Grant::Direct);
        assert_eq!(
            spec(false, &["444455556666"]).allow_grant(&s),
            Grant::Delegated
        );
        assert_eq!(
            spec(false, &["arn:aws:iam::444455556666:root"]).allow_grant(&s),
            Grant::Delegated
        );
        assert_eq!(spec(false, &["111122223333"]).allow_grant(&s), Grant::None);
        assert_eq!(
            spec(
                false,
                &["arn:aws:sts::444455556666:assumed-role/lambda-exec/other"]
            )
            .allow_grant(&s),
            Grant::None
        );
    }

    #[test]
    fn deny_on_account_covers_everyone_in_it() {
        let s = caller(SESSION);
        assert!(spec(false, &["444455556666"]).deny_applies(&s, false));
        assert!(!spec(false, &["111122223333"]).deny_applies(&s, false));
    }

    #[test]
    fn not_principal_exemptions_are_narrow() {
        let s = caller(SESSION);
        // Listing the role does not exempt its sessions.
        assert!(spec(true, &[ROLE, "444455556666"]).deny_applies(&s, false));
        // Listing the session exempts it...
        assert!(!spec(true, &[SESSION]).deny_applies(&s, false));
        // ...unless the caller has a permissions boundary.
        assert!(spec(true, &[SESSION]).deny_applies(&s, true));
        let root = caller("arn:aws:iam::444455556666:root");
        assert!(!spec(true, &["444455556666"]).deny_applies(&root, false));
    }

    #[test]
    fn rejects_groups_and_wildcards() {
        assert!(
            parse_aws_principal("arn:aws:iam::444455556666:group/admins")
                .unwrap_err()
                .contains("group")
        );
        assert!(
            parse_aws_principal("arn:aws:iam::444455556666:role/*")
                .unwrap_err()
                .contains("wildcards")
        );
        assert!(Caller::parse("alias/x", |_, _| None).is_err());
    }
}
