//! Naming KMS keys: key ARN, alias ARN, key ID, alias name
//! (evaluation.md §3.1; AWS KMS "Key identifiers").

use crate::core::policy::arn::Arn;
use crate::core::world::World;

/// How a request named a key that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Index into `World::keys`.
    pub key: usize,
    /// The alias name used (`alias/finance`), if the key was named by alias.
    pub alias: Option<String>,
}

/// Why a key name did not resolve, as a sentence fragment for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// What was looked for and where.
    pub message: String,
    /// True if the name was a bare id or alias name, which only resolves in
    /// the caller's own account (the classic cross-account mistake).
    pub bare_name: bool,
}

/// Finds the key `name` refers to, from `caller_account`'s point of view.
pub fn resolve_key(world: &World, name: &str, caller_account: &str) -> Result<Resolved, NotFound> {
    if let Some(arn) = Arn::parse(name) {
        if arn.service != "kms" {
            return Err(NotFound {
                message: format!("\"{name}\" is not a KMS key or alias ARN"),
                bare_name: false,
            });
        }
        if let Some(id) = arn.resource.strip_prefix("key/") {
            let found = world
                .keys
                .iter()
                .position(|k| k.id == id && k.account == arn.account && k.region == arn.region);
            return found
                .map(|key| Resolved { key, alias: None })
                .ok_or_else(|| NotFound {
                    message: format!(
                        "no key {id} exists in account {} region {}",
                        arn.account, arn.region
                    ),
                    bare_name: false,
                });
        }
        if arn.resource.starts_with("alias/") {
            let alias = arn.resource;
            let found = world.keys.iter().position(|k| {
                k.account == arn.account
                    && k.region == arn.region
                    && k.aliases.iter().any(|a| a == alias)
            });
            return found
                .map(|key| Resolved {
                    key,
                    alias: Some(alias.to_string()),
                })
                .ok_or_else(|| NotFound {
                    message: format!(
                        "no key in account {} region {} carries {alias}",
                        arn.account, arn.region
                    ),
                    bare_name: false,
                });
        }
        return Err(NotFound {
            message: format!(
                "\"{name}\" is neither a key ARN (…:key/ID) nor an alias ARN (…:alias/NAME)"
            ),
            bare_name: false,
        });
    }
    if caller_account.is_empty() {
        // A service principal belongs to no account in which a bare name
        // could be looked up.
        return Err(NotFound {
            message: format!(
                "\"{name}\" names no key for a service principal, which has no account of its own to look a bare key ID or alias name up in (name the key by its key ARN)"
            ),
            bare_name: false,
        });
    }
    if name.starts_with("alias/") {
        let found = world
            .keys
            .iter()
            .position(|k| k.account == caller_account && k.aliases.iter().any(|a| a == name));
        return found
            .map(|key| Resolved {
                key,
                alias: Some(name.to_string()),
            })
            .ok_or_else(|| NotFound {
                message: format!(
                    "no key in the caller's account {caller_account} carries {name} (an alias name is looked up only in the caller's own account)"
                ),
                bare_name: true,
            });
    }
    let found = world
        .keys
        .iter()
        .position(|k| k.account == caller_account && k.id == name);
    found.map(|key| Resolved { key, alias: None }).ok_or_else(|| NotFound {
        message: format!(
            "no key with ID {name} exists in the caller's account {caller_account} (a bare key ID is looked up only in the caller's own account)"
        ),
        bare_name: true,
    })
}

/// The cryptographic operations, lowercase, without the `kms:` prefix.
const CRYPTOGRAPHIC_OPERATIONS: &[&str] = &[
    "encrypt",
    "decrypt",
    "reencryptfrom",
    "reencryptto",
    "generatedatakey",
    "generatedatakeywithoutplaintext",
    "generatedatakeypair",
    "generatedatakeypairwithoutplaintext",
    "generatemac",
    "verifymac",
    "sign",
    "verify",
    "derivesharedsecret",
];

/// Besides the cryptographic operations, these may be used on a key in
/// another account (AWS KMS "Allowing users in other accounts to use a KMS
/// key"; GetKeyRotationStatus per its API reference).
const OTHER_CROSS_ACCOUNT_OPERATIONS: &[&str] = &[
    "describekey",
    "getpublickey",
    "getkeyrotationstatus",
    "creategrant",
    "listgrants",
    "retiregrant",
    "revokegrant",
];

/// True if the lowercase KMS operation name (without `kms:`) can be used
/// across accounts.
pub fn crosses_accounts(operation: &str) -> bool {
    CRYPTOGRAPHIC_OPERATIONS.contains(&operation)
        || OTHER_CROSS_ACCOUNT_OPERATIONS.contains(&operation)
}

/// True if `kms:RequestAlias` applies to the lowercase operation: the
/// cryptographic operations, DescribeKey and GetPublicKey.
pub fn takes_request_alias(operation: &str) -> bool {
    CRYPTOGRAPHIC_OPERATIONS.contains(&operation)
        || operation == "describekey"
        || operation == "getpublickey"
}
