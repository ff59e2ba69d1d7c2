//! The parts of a lab file read with serde: the `[lab]` table and the policy
//! texts of the scenario (the engine's loader checks the rest).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::PolicyRef;
use crate::core::world::World;

#[derive(Deserialize)]
pub(super) struct RawLabFile {
    pub(super) title: Option<Spanned<String>>,
    pub(super) lab: Option<Spanned<RawLab>>,
    #[serde(default)]
    pub(super) keys: Vec<RawKeyText>,
    #[serde(default)]
    pub(super) buckets: Vec<RawBucketText>,
    #[serde(default)]
    pub(super) principals: Vec<RawPrincipalText>,
    #[serde(default)]
    pub(super) accounts: Vec<RawAccountText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLab {
    pub(super) id: Spanned<String>,
    pub(super) objectives: Vec<Spanned<String>>,
    pub(super) story: Spanned<String>,
    pub(super) editable: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) hints: Vec<Spanned<String>>,
    pub(super) explanation: Spanned<String>,
    pub(super) solution: Spanned<BTreeMap<String, Spanned<String>>>,
}

// The policy texts of the scenario part (the engine checks the rest).
#[derive(Deserialize)]
pub(super) struct RawKeyText {
    pub(super) arn: String,
    pub(super) policy: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawBucketText {
    pub(super) name: String,
    pub(super) policy: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawPrincipalText {
    pub(super) arn: String,
    #[serde(default)]
    pub(super) policies: Vec<String>,
    pub(super) permissions_boundary: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawAccountText {
    pub(super) id: String,
    #[serde(default)]
    pub(super) scps: Vec<String>,
    #[serde(default)]
    pub(super) rcps: Vec<String>,
}

/// The starting text of `r` in the scenario, checking that it can be edited.
pub(super) fn start_text(raw: &RawLabFile, world: &World, r: &PolicyRef) -> Result<String, String> {
    match r {
        PolicyRef::Key(arn) => {
            let Some(key) = world.keys.iter().find(|k| k.arn == *arn && !k.generated) else {
                return Err(format!("editable {r}: no key {arn} in [[keys]]"));
            };
            if key.is_aws_managed() {
                return Err(format!(
                    "editable {r}: an AWS managed key's policy cannot be changed, so a lab cannot make it editable"
                ));
            }
            Ok(raw
                .keys
                .iter()
                .find(|k| k.arn == *arn)
                .and_then(|k| k.policy.clone())
                .unwrap_or_default())
        }
        PolicyRef::Identity { principal, index } => {
            let Some(p) = raw.principals.iter().find(|p| p.arn == *principal) else {
                return Err(format!(
                    "editable {r}: no principal {principal} in [[principals]]"
                ));
            };
            if *index > p.policies.len() {
                return Err(format!(
                    "editable {r}: {principal} has {} identity policies; a lab may add one (#{}) but not #{}",
                    p.policies.len(),
                    p.policies.len() + 1,
                    index + 1
                ));
            }
            Ok(p.policies.get(*index).cloned().unwrap_or_default())
        }
        PolicyRef::Boundary(arn) => match raw.principals.iter().find(|p| p.arn == *arn) {
            Some(p) => Ok(p.permissions_boundary.clone().unwrap_or_default()),
            None => Err(format!(
                "editable {r}: no principal {arn} in [[principals]]"
            )),
        },
        PolicyRef::Bucket(name) => match raw.buckets.iter().find(|b| b.name == *name) {
            Some(b) => Ok(b.policy.clone().unwrap_or_default()),
            None => Err(format!("editable {r}: no bucket {name} in [[buckets]]")),
        },
        PolicyRef::Scp { account, index } => {
            let Some(a) = raw.accounts.iter().find(|a| a.id == *account) else {
                return Err(format!(
                    "editable {r}: no account {account} in [[accounts]]"
                ));
            };
            if *index > a.scps.len() {
                return Err(format!(
                    "editable {r}: account {account} has {} SCPs; a lab may add one (#{}) but not #{}",
                    a.scps.len(),
                    a.scps.len() + 1,
                    index + 1
                ));
            }
            Ok(a.scps.get(*index).cloned().unwrap_or_default())
        }
        PolicyRef::Rcp { account, index } => {
            let Some(a) = raw.accounts.iter().find(|a| a.id == *account) else {
                return Err(format!(
                    "editable {r}: no account {account} in [[accounts]]"
                ));
            };
            if *index > a.rcps.len() {
                return Err(format!(
                    "editable {r}: account {account} has {} RCPs; a lab may add one (#{}) but not #{}",
                    a.rcps.len(),
                    a.rcps.len() + 1,
                    index + 1
                ));
            }
            Ok(a.rcps.get(*index).cloned().unwrap_or_default())
        }
    }
}
