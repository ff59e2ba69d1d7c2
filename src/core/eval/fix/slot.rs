//! Putting a policy into a world in place, and taking it out again, so a
//! fix search tries each candidate edit on one working world instead of a
//! copy of the world per candidate.

use crate::core::eval::outcome::PolicySource;
use crate::core::policy::Policy;
use crate::core::world::World;

/// What [`put`] displaced, to put back with [`take`].
#[derive(Debug)]
pub(super) enum Displaced {
    /// The policy that was there.
    Policy(Policy),
    /// Nothing was there (a new identity policy, SCP or RCP was appended,
    /// or a boundary or bucket policy was created).
    Nothing,
    /// The source names nothing in this world; nothing was changed.
    Absent,
}

/// Puts `policy` at `source` (appending a new identity policy, SCP or RCP
/// when the index is one past the end) and returns what was there.
pub(super) fn put(world: &mut World, source: PolicySource, policy: Policy) -> Displaced {
    fn into_list(list: &mut Vec<Policy>, index: usize, policy: Policy) -> Displaced {
        match list.get_mut(index) {
            Some(slot) => Displaced::Policy(std::mem::replace(slot, policy)),
            None => {
                list.push(policy);
                Displaced::Nothing
            }
        }
    }
    fn into_option(slot: &mut Option<Policy>, policy: Policy) -> Displaced {
        slot.replace(policy)
            .map_or(Displaced::Nothing, Displaced::Policy)
    }
    match source {
        PolicySource::Identity { principal, index } => match world.principals.get_mut(principal) {
            Some(p) => into_list(&mut p.policies, index, policy),
            None => Displaced::Absent,
        },
        PolicySource::Boundary { principal } => match world.principals.get_mut(principal) {
            Some(p) => into_option(&mut p.boundary, policy),
            None => Displaced::Absent,
        },
        PolicySource::Scp { account, index } => match world.accounts.get_mut(account) {
            Some(a) => into_list(&mut a.scps, index, policy),
            None => Displaced::Absent,
        },
        PolicySource::Rcp { account, index } => match world.accounts.get_mut(account) {
            Some(a) => into_list(&mut a.rcps, index, policy),
            None => Displaced::Absent,
        },
        PolicySource::Key { key } => match world.keys.get_mut(key) {
            Some(k) => Displaced::Policy(std::mem::replace(&mut k.policy, policy)),
            None => Displaced::Absent,
        },
        PolicySource::Bucket { bucket } => match world.buckets.get_mut(bucket) {
            Some(b) => into_option(&mut b.policy, policy),
            None => Displaced::Absent,
        },
    }
}

/// Undoes a [`put`] at `source`: puts back what it displaced and returns
/// the policy that [`put`] had put there.
pub(super) fn take(
    world: &mut World,
    source: PolicySource,
    displaced: Displaced,
) -> Option<Policy> {
    fn from_list(list: &mut Vec<Policy>, index: usize, displaced: Displaced) -> Option<Policy> {
        match displaced {
            Displaced::Policy(old) => list.get_mut(index).map(|slot| std::mem::replace(slot, old)),
            Displaced::Nothing => list.pop(),
            Displaced::Absent => None,
        }
    }
    fn from_option(slot: &mut Option<Policy>, displaced: Displaced) -> Option<Policy> {
        match displaced {
            Displaced::Policy(old) => slot.replace(old),
            Displaced::Nothing => slot.take(),
            Displaced::Absent => None,
        }
    }
    match source {
        PolicySource::Identity { principal, index } => from_list(
            &mut world.principals.get_mut(principal)?.policies,
            index,
            displaced,
        ),
        PolicySource::Boundary { principal } => from_option(
            &mut world.principals.get_mut(principal)?.boundary,
            displaced,
        ),
        PolicySource::Scp { account, index } => {
            from_list(&mut world.accounts.get_mut(account)?.scps, index, displaced)
        }
        PolicySource::Rcp { account, index } => {
            from_list(&mut world.accounts.get_mut(account)?.rcps, index, displaced)
        }
        PolicySource::Key { key } => {
            let k = world.keys.get_mut(key)?;
            match displaced {
                Displaced::Policy(old) => Some(std::mem::replace(&mut k.policy, old)),
                Displaced::Nothing | Displaced::Absent => None,
            }
        }
        PolicySource::Bucket { bucket } => {
            from_option(&mut world.buckets.get_mut(bucket)?.policy, displaced)
        }
    }
}
