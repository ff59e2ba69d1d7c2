//! Checks, with the engine, that a planted drill is what it claims: the
//! working world allows the request and denies every least-privilege
//! probe kept, the broken world denies it for the catalog's reason, the
//! decoys decide nothing, and restoring the planted policy alone flips the
//! verdict.

use super::catalog::{Misconception, Place, Planted};
use super::spec::{Doc, Slot, Spec, request};
use crate::core::eval::{Outcome, PolicySource, evaluate, fix};
use crate::core::policy::PolicyKind;
use crate::core::world::{Reason, Verdict, World, load_str};

/// A world as the engine sees it, with the spec it came from. Its first
/// request is the drill's; the others are the probes, in order.
pub struct Judged {
    /// The spec.
    pub spec: Spec,
    /// The loaded world.
    pub world: World,
}

impl Judged {
    /// Loads `spec` with its probes as extra requests.
    pub fn load(spec: &Spec) -> Result<Judged, String> {
        let mut text = spec.toml(None);
        for p in &spec.probes {
            request(&mut text, p, None);
        }
        let world = load_str("drill.toml", &text).map_err(|d| {
            d.first()
                .map_or_else(|| "invalid".to_string(), ToString::to_string)
        })?;
        Ok(Judged {
            spec: spec.clone(),
            world,
        })
    }

    /// The outcome of the drill's request in `world`.
    pub fn main(&self, world: &World) -> Outcome {
        evaluate(world, &world.requests[0])
    }

    /// Names of the probes that `world` allows.
    pub fn probes_allowed(&self, world: &World) -> Vec<String> {
        world
            .requests
            .iter()
            .skip(1)
            .filter(|r| evaluate(world, r).verdict == Verdict::Allow)
            .map(|r| r.name.clone().unwrap_or_default())
            .collect()
    }

    /// `world` with the policy in `slot` replaced by `doc`.
    pub fn with_doc(&self, world: &World, slot: Slot, doc: &Doc) -> Option<World> {
        let (kind, source) = source(&self.spec, world, slot)?;
        // A document the engine refuses is not an edit. Compact text: only
        // the decision matters here, not line numbers.
        let policy = crate::core::policy::parse(&doc.compact(), kind).ok()?;
        Some(fix::with_policy(world, source, policy))
    }
}

/// The engine's kind and place of a slot of `spec` in `world`.
pub fn source(spec: &Spec, world: &World, slot: Slot) -> Option<(PolicyKind, PolicySource)> {
    let principal = |i: usize| {
        let arn = &spec.principals.get(i)?.arn;
        world.principals.iter().position(|p| &p.arn == arn)
    };
    let account = |i: usize| {
        let id = &spec.accounts.get(i)?.id;
        world.accounts.iter().position(|a| &a.id == id)
    };
    Some(match slot {
        Slot::Key(i) => {
            let arn = &spec.keys.get(i)?.arn;
            let key = world.keys.iter().position(|k| &k.arn == arn)?;
            (PolicyKind::KeyPolicy, PolicySource::Key { key })
        }
        Slot::Bucket(i) => {
            let name = &spec.buckets.get(i)?.name;
            let bucket = world.buckets.iter().position(|b| &b.name == name)?;
            (PolicyKind::BucketPolicy, PolicySource::Bucket { bucket })
        }
        Slot::Identity(i, index) => (
            PolicyKind::Identity,
            PolicySource::Identity {
                principal: principal(i)?,
                index,
            },
        ),
        Slot::Boundary(i) => (
            PolicyKind::Boundary,
            PolicySource::Boundary {
                principal: principal(i)?,
            },
        ),
        Slot::Scp(i, index) => (
            PolicyKind::Scp,
            PolicySource::Scp {
                account: account(i)?,
                index,
            },
        ),
        Slot::Rcp(i, index) => (
            PolicyKind::Rcp,
            PolicySource::Rcp {
                account: account(i)?,
                index,
            },
        ),
    })
}

/// A planted drill that passed every check.
pub struct Verified {
    /// The working world (probes: only those it denies).
    pub fixed: Judged,
    /// The broken world (same probes).
    pub broken: Judged,
    /// Where the defect is.
    pub place: Place,
    /// The broken world's reason.
    pub reason: Reason,
}

/// Runs every check on `planted`; the error says which failed.
pub fn verify(m: &Misconception, planted: Planted) -> Result<Verified, String> {
    let Planted {
        mut fixed,
        mut broken,
        place,
    } = planted;
    // Keep only the probes the working world denies: those are the
    // least-privilege goals.
    let mut first = Judged::load(&fixed)?;
    let keep: Vec<bool> = first
        .world
        .requests
        .iter()
        .skip(1)
        .map(|r| evaluate(&first.world, r).verdict == Verdict::Deny)
        .collect();
    let mut mask = keep.iter();
    fixed.probes.retain(|_| *mask.next().unwrap_or(&false));
    let mut broken_judged = Judged::load(&broken)?;
    for w in [&mut first.world, &mut broken_judged.world] {
        let mut i = 0;
        w.requests.retain(|_| {
            let k = i == 0 || keep.get(i - 1).copied().unwrap_or(false);
            i += 1;
            k
        });
    }
    broken.probes = fixed.probes.clone();
    first.spec = fixed;
    broken_judged.spec = broken;
    let (fixed, broken) = (first, broken_judged);
    let works = fixed.main(&fixed.world);
    if works.verdict != Verdict::Allow {
        return Err(format!("working world denied ({})", works.reason.code()));
    }
    let fails = broken.main(&broken.world);
    if fails.reason != m.reason {
        return Err(format!(
            "broken world: {} instead of {}",
            fails.reason.code(),
            m.reason.code()
        ));
    }
    if let Place::Policy { slot, .. } = &place {
        // Restoring the planted policy alone turns the verdict.
        let doc = fixed.spec.doc(*slot).ok_or("no planted policy")?;
        let restored = broken
            .with_doc(&broken.world, *slot, doc)
            .ok_or("planted policy does not load")?;
        if broken.main(&restored).verdict != Verdict::Allow {
            return Err("restoring the planted policy does not allow".into());
        }
    }
    // Decoys decide nothing, in either world.
    for (slot, sid) in &fixed.spec.decoys {
        for (j, expected) in [(&fixed, &works), (&broken, &fails)] {
            let Some(doc) = j.spec.doc(*slot) else {
                continue;
            };
            if doc.get(sid).is_none() || doc.statements.len() < 2 {
                continue;
            }
            let mut without = doc.clone();
            without.remove(sid);
            let w = j
                .with_doc(&j.world, *slot, &without)
                .ok_or("decoy removal does not load")?;
            let o = j.main(&w);
            if o.verdict != expected.verdict || o.reason != expected.reason {
                return Err(format!("decoy {sid} decides"));
            }
        }
    }
    Ok(Verified {
        reason: fails.reason,
        fixed,
        broken,
        place,
    })
}
