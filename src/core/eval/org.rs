//! Organizations, RCPs and service principals (evaluation.md §6): the
//! context keys an organization fills in, which account's SCPs bind a
//! caller, and which RCPs cover a resource.
//!
//! Sources: IAM User Guide, "AWS global condition context keys"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>);
//! AWS Organizations User Guide, "Resource control policies (RCPs)"
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>)
//! and "Service control policies (SCPs)"; KMS Developer Guide, "Resource
//! control policies in AWS KMS"
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>).

use super::context::RequestContext;
use crate::core::policy::condition::ContextValue;
use crate::core::policy::principal::Caller;
use crate::core::world::{Account, World};

/// The listed account with this id, if any.
fn account<'w>(world: &'w World, id: &str) -> Option<(usize, &'w Account)> {
    world.accounts.iter().enumerate().find(|(_, a)| a.id == id)
}

/// Fills `aws:PrincipalIsAWSService` (and `aws:PrincipalServiceName` for a
/// service principal), `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`
/// from the caller's account, and `aws:ResourceOrgID` from the resource
/// owner's. A key is left out when there is no value (an account outside
/// any organization), so a positive condition on it is false and
/// `...IfExists` passes, as AWS documents for each key's availability.
pub(super) fn fill_context(
    world: &World,
    caller: &Caller,
    resource_account: Option<&str>,
    ctx: &mut RequestContext,
) {
    ctx.fill(
        "aws:PrincipalIsAWSService",
        ContextValue::Bool(caller.is_service()),
    );
    if caller.is_service() {
        ctx.fill(
            "aws:PrincipalServiceName",
            ContextValue::String(caller.arn.clone()),
        );
    } else if let Some((_, a)) = account(world, &caller.account) {
        if let Some(org) = &a.org {
            ctx.fill("aws:PrincipalOrgID", ContextValue::String(org.clone()));
        }
        if let Some(path) = &a.ou_path {
            // Multi-valued: a principal has one path here, but AWS sends
            // an array, so policies must test it with ForAnyValue:.
            ctx.fill(
                "aws:PrincipalOrgPaths",
                ContextValue::List(vec![path.clone()]),
            );
        }
    }
    if let Some(org) = resource_account
        .and_then(|id| account(world, id))
        .and_then(|(_, a)| a.org.as_ref())
    {
        ctx.fill("aws:ResourceOrgID", ContextValue::String(org.clone()));
    }
}

/// The index of the caller's account if its SCPs bind the caller: never
/// for a service principal (it belongs to no customer account), nor for a
/// principal of the management account ("SCPs don't affect users or roles
/// in the management account").
pub(super) fn scp_account(world: &World, caller: &Caller) -> Option<usize> {
    if caller.is_service() {
        return None;
    }
    account(world, &caller.account)
        .filter(|(_, a)| !a.management && !a.scps.is_empty())
        .map(|(i, _)| i)
}

/// The index of the account whose RCPs cover a request for a key or
/// bucket owned by `owner`, whoever calls (a principal of the same
/// account, of another account, or a service principal). None when the
/// owner has no RCPs, is the management account ("RCPs don't affect
/// resources in the management account"), or the key is an AWS managed
/// key ("Resource control policies in your organization do not apply to
/// AWS managed keys"). AWS KMS also documents that `kms:RetireGrant` is
/// never controlled by an RCP, even by `"Action": "*"`.
pub(super) fn rcp_account(
    world: &World,
    owner: Option<&str>,
    aws_managed_key: bool,
    action_lower: &str,
) -> Option<usize> {
    if aws_managed_key || action_lower == "kms:retiregrant" {
        return None;
    }
    account(world, owner?)
        .filter(|(_, a)| !a.management && !a.rcps.is_empty())
        .map(|(i, _)| i)
}
