//! [`PolicyRef`]: how a lab file, the sandbox, saved progress and the lab
//! screen name one policy of a scenario's world.

use std::fmt;

use crate::core::eval::PolicySource;
use crate::core::policy::PolicyKind;
use crate::core::world::World;

/// Which policy of a lab's world the learner may edit.
///
/// Written in lab files (and in diagnostics about edited text) as
/// `key:KEY-ARN`, `identity:ROLE-OR-USER-ARN#N` (N is 1-based; `#1` may be
/// left out), `boundary:ROLE-OR-USER-ARN`, `bucket:BUCKET-NAME` or
/// `scp:ACCOUNT-ID#N` or `rcp:ACCOUNT-ID#N`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyRef {
    /// The key policy of the key with this ARN.
    Key(String),
    /// Identity policy `index` (0-based) of the principal with this ARN.
    Identity {
        /// The role or user ARN.
        principal: String,
        /// 0-based index in its policy list.
        index: usize,
    },
    /// The permissions boundary of the principal with this ARN.
    Boundary(String),
    /// The bucket policy of the bucket with this name.
    Bucket(String),
    /// SCP `index` (0-based) of the account with this id.
    Scp {
        /// Twelve digits.
        account: String,
        /// 0-based index in its SCP list.
        index: usize,
    },
    /// RCP `index` (0-based) of the account with this id: a resource
    /// control policy over the account's keys and buckets.
    Rcp {
        /// Twelve digits.
        account: String,
        /// 0-based index in its RCP list.
        index: usize,
    },
}

/// Why a written policy name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyRefError {
    /// No `kind:` prefix.
    #[error(
        "\"{0}\" is not a policy name: write key:ARN, identity:ARN#N, boundary:ARN, bucket:NAME, scp:ACCOUNT#N or rcp:ACCOUNT#N"
    )]
    NoKind(String),
    /// The number after `#` is not 1 or more.
    #[error("\"{0}\": the number after # counts policies from 1")]
    BadNumber(String),
    /// A kind other than key, identity, boundary, bucket, scp or rcp.
    #[error(
        "unknown policy kind \"{kind}\" in \"{text}\" (one of key, identity, boundary, bucket, scp, rcp)"
    )]
    UnknownKind {
        /// The kind as written.
        kind: String,
        /// The whole name as written.
        text: String,
    },
    /// Nothing after the kind.
    #[error("\"{text}\" names no {kind}")]
    NoName {
        /// The kind as written.
        kind: String,
        /// The whole name as written.
        text: String,
    },
}

impl PolicyRef {
    /// Reads the written form (see the type's documentation).
    pub fn parse(text: &str) -> Result<PolicyRef, PolicyRefError> {
        let Some((kind, rest)) = text.split_once(':') else {
            return Err(PolicyRefError::NoKind(text.to_string()));
        };
        let numbered = |rest: &str| -> Result<(String, usize), PolicyRefError> {
            match rest.rsplit_once('#') {
                None => Ok((rest.to_string(), 0)),
                Some((name, n)) => match n.parse::<usize>() {
                    Ok(n) if n >= 1 => Ok((name.to_string(), n - 1)),
                    _ => Err(PolicyRefError::BadNumber(text.to_string())),
                },
            }
        };
        let r = match kind {
            "key" => PolicyRef::Key(rest.to_string()),
            "identity" => {
                let (principal, index) = numbered(rest)?;
                PolicyRef::Identity { principal, index }
            }
            "boundary" => PolicyRef::Boundary(rest.to_string()),
            "bucket" => PolicyRef::Bucket(rest.to_string()),
            "scp" => {
                let (account, index) = numbered(rest)?;
                PolicyRef::Scp { account, index }
            }
            "rcp" => {
                let (account, index) = numbered(rest)?;
                PolicyRef::Rcp { account, index }
            }
            other => {
                return Err(PolicyRefError::UnknownKind {
                    kind: other.to_string(),
                    text: text.to_string(),
                });
            }
        };
        if r.name().is_empty() {
            return Err(PolicyRefError::NoName {
                kind: kind.to_string(),
                text: text.to_string(),
            });
        }
        Ok(r)
    }

    /// The key ARN, principal ARN, bucket name or account id.
    pub fn name(&self) -> &str {
        match self {
            PolicyRef::Key(s) | PolicyRef::Boundary(s) | PolicyRef::Bucket(s) => s,
            PolicyRef::Identity { principal, .. } => principal,
            PolicyRef::Scp { account, .. } | PolicyRef::Rcp { account, .. } => account,
        }
    }

    /// The kind of policy document it is.
    pub fn kind(&self) -> PolicyKind {
        match self {
            PolicyRef::Key(_) => PolicyKind::KeyPolicy,
            PolicyRef::Identity { .. } => PolicyKind::Identity,
            PolicyRef::Boundary(_) => PolicyKind::Boundary,
            PolicyRef::Bucket(_) => PolicyKind::BucketPolicy,
            PolicyRef::Scp { .. } => PolicyKind::Scp,
            PolicyRef::Rcp { .. } => PolicyKind::Rcp,
        }
    }

    /// Where this policy sits in `world`, to match the engine's trace
    /// entries (`TraceEntry::source`) to an editor tab.
    pub fn source(&self, world: &World) -> Option<PolicySource> {
        Some(match self {
            PolicyRef::Key(arn) => PolicySource::Key {
                key: world.keys.iter().position(|k| k.arn == *arn)?,
            },
            PolicyRef::Identity { principal, index } => PolicySource::Identity {
                principal: world.principals.iter().position(|p| p.arn == *principal)?,
                index: *index,
            },
            PolicyRef::Boundary(arn) => PolicySource::Boundary {
                principal: world.principals.iter().position(|p| p.arn == *arn)?,
            },
            PolicyRef::Bucket(name) => PolicySource::Bucket {
                bucket: world.buckets.iter().position(|b| b.name == *name)?,
            },
            PolicyRef::Scp { account, index } => PolicySource::Scp {
                account: world.accounts.iter().position(|a| a.id == *account)?,
                index: *index,
            },
            PolicyRef::Rcp { account, index } => PolicySource::Rcp {
                account: world.accounts.iter().position(|a| a.id == *account)?,
                index: *index,
            },
        })
    }

    /// A tab label: "Key policy · alias/finance · Account A (111122223333)".
    pub fn label(&self, world: &World) -> String {
        let account = |id: &str| match world.accounts.iter().find(|a| a.id == id) {
            Some(a) => match &a.name {
                Some(name) => format!("{name} ({id})"),
                None => format!("account {id}"),
            },
            None => format!("account {id}"),
        };
        let arn_account = |arn: &str| arn.split(':').nth(4).unwrap_or("").to_string();
        let arn_tail = |arn: &str| arn.rsplit(':').next().unwrap_or(arn).to_string();
        match self {
            PolicyRef::Key(arn) => {
                let shown = world
                    .keys
                    .iter()
                    .find(|k| k.arn == *arn)
                    .and_then(|k| k.aliases.first().cloned())
                    .unwrap_or_else(|| arn_tail(arn));
                format!("Key policy · {shown} · {}", account(&arn_account(arn)))
            }
            PolicyRef::Identity { principal, index } => {
                let count = world
                    .principals
                    .iter()
                    .find(|p| p.arn == *principal)
                    .map_or(0, |p| p.policies.len());
                let n = if *index == 0 && count <= 1 {
                    String::new()
                } else {
                    format!(" {}", index + 1)
                };
                format!(
                    "IAM policy{n} · {} · {}",
                    arn_tail(principal),
                    account(&arn_account(principal))
                )
            }
            PolicyRef::Boundary(principal) => format!(
                "Permissions boundary · {} · {}",
                arn_tail(principal),
                account(&arn_account(principal))
            ),
            PolicyRef::Bucket(name) => {
                let owner = world
                    .buckets
                    .iter()
                    .find(|b| b.name == *name)
                    .map(|b| account(&b.account))
                    .unwrap_or_default();
                format!("Bucket policy · {name} · {owner}")
            }
            PolicyRef::Scp { account: id, index } => {
                format!("SCP {} · {}", index + 1, account(id))
            }
            PolicyRef::Rcp { account: id, index } => {
                format!("RCP {} · {}", index + 1, account(id))
            }
        }
    }

    /// Whether an empty text is allowed (the policy is then absent).
    pub fn may_be_empty(&self) -> bool {
        matches!(
            self,
            PolicyRef::Identity { .. } | PolicyRef::Boundary(_) | PolicyRef::Bucket(_)
        )
    }
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyRef::Key(arn) => write!(f, "key:{arn}"),
            PolicyRef::Identity { principal, index } => {
                write!(f, "identity:{principal}#{}", index + 1)
            }
            PolicyRef::Boundary(arn) => write!(f, "boundary:{arn}"),
            PolicyRef::Bucket(name) => write!(f, "bucket:{name}"),
            PolicyRef::Scp { account, index } => write!(f, "scp:{account}#{}", index + 1),
            PolicyRef::Rcp { account, index } => write!(f, "rcp:{account}#{}", index + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refs_parse_and_print() {
        let r = PolicyRef::parse("scp:444455556666#2").expect("valid");
        assert_eq!(
            r,
            PolicyRef::Scp {
                account: "444455556666".into(),
                index: 1
            }
        );
        assert_eq!(r.to_string(), "scp:444455556666#2");
        assert_eq!(r.kind(), PolicyKind::Scp);
        assert!(PolicyRef::parse("bucket:").is_err());
        assert!(PolicyRef::parse("identity:arn:aws:iam::1:role/x#0").is_err());
        assert!(PolicyRef::parse("group:x").is_err());
        let r = PolicyRef::parse("rcp:111122223333").expect("valid");
        assert_eq!(
            r,
            PolicyRef::Rcp {
                account: "111122223333".into(),
                index: 0
            }
        );
        assert_eq!(r.to_string(), "rcp:111122223333#1");
        assert_eq!(r.kind(), PolicyKind::Rcp);
        assert!(PolicyRef::parse("rcp:111122223333#0").is_err());
        assert!(PolicyRef::parse("rcp:").is_err());
        assert_eq!(
            PolicyRef::parse("boundary:arn:aws:iam::444455556666:role/x").map(|r| r.kind()),
            Ok(PolicyKind::Boundary)
        );
    }
}
