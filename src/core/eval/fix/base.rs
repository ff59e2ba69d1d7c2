//! What the file as given decides, worked out once and shared by the fix
//! searches of all its requests: how each request is decided, what the
//! file expects of it, and what it reads, so that a candidate edit is
//! judged by its side effects and re-evaluates only the requests it can
//! change.
//!
//! Only an implicit deny can be turned into an allow by the edits a fix
//! makes (they add or change Allow statements; a Deny, a key that does not
//! resolve, an operation that cannot cross accounts or a request without
//! TLS stays as it is), and only an allowed request can be closed. A
//! request reads the policies in its trace (at every depth of implied
//! calls), its caller's identity policies and boundary (even when it has
//! none yet), the SCPs and RCPs, and the key or bucket that denied it. If
//! an edit touches none of these, the request is decided exactly as before.

use crate::core::eval::decide::principal_index;
use crate::core::eval::outcome::{OwnerRef, PolicySource, Why};
use crate::core::eval::{Outcome, evaluate};
use crate::core::world::{Reason, Request, Verdict, World};

/// The file's requests as the file decides them.
#[derive(Debug)]
pub struct Base<'w> {
    /// The world as given.
    pub world: &'w World,
    /// The requests an edit can change (implicitly denied, or allowed),
    /// and what each reads.
    pub(super) others: Vec<Reads>,
    /// How much one search may do, in statements evaluated
    /// ([`super::BUDGET`] unless [`Base::with_budget`] says otherwise).
    pub(super) budget: usize,
}

/// One request an edit can change, and what it reads.
#[derive(Debug)]
pub(super) struct Reads {
    /// Its index among the world's requests.
    pub index: usize,
    /// How the file as given decides it.
    pub verdict: Verdict,
    /// What the file expects of it, if it says.
    pub expect: Option<Verdict>,
    /// Its caller's principal, if the file lists it.
    principal: Option<usize>,
    /// The policies its evaluation assessed, at every depth.
    sources: Vec<PolicySource>,
    /// Keys and buckets that denied it, at every depth.
    keys: Vec<usize>,
    buckets: Vec<usize>,
}

impl<'w> Base<'w> {
    /// Evaluates every request of `world`.
    pub fn of(world: &'w World) -> Base<'w> {
        let outcomes: Vec<Outcome> = world.requests.iter().map(|r| evaluate(world, r)).collect();
        Base::new(world, &outcomes)
    }

    /// From the outcomes of `world`'s requests, in order.
    pub fn new(world: &'w World, outcomes: &[Outcome]) -> Base<'w> {
        let others = world
            .requests
            .iter()
            .zip(outcomes)
            .enumerate()
            .filter(|(_, (_, o))| o.verdict == Verdict::Allow || opens_at_all(o))
            .map(|(index, (r, o))| Reads::of(world, index, r, o))
            .collect();
        Base {
            world,
            others,
            budget: super::BUDGET,
        }
    }

    /// The same base with another search budget (in statements evaluated):
    /// a caller with less time to spare, or a test of the limit.
    pub fn with_budget(mut self, budget: usize) -> Base<'w> {
        self.budget = budget;
        self
    }
}

/// Whether an edit of Allow statements can turn this denial into an allow.
fn opens_at_all(o: &Outcome) -> bool {
    match o.reason {
        Reason::ImplicitDeny => o.implied.iter().all(opens_at_all),
        Reason::ExplicitDeny
        | Reason::NotCrossAccount
        | Reason::InsecureTransport
        | Reason::NotFound => false,
        Reason::Allowed => o.implied.iter().all(opens_at_all),
    }
}

impl Reads {
    fn of(world: &World, index: usize, r: &Request, o: &Outcome) -> Reads {
        let mut reads = Reads {
            index,
            verdict: o.verdict,
            expect: r.expect,
            principal: principal_index(world, &r.caller),
            sources: Vec::new(),
            keys: Vec::new(),
            buckets: Vec::new(),
        };
        reads.collect(o);
        reads
    }

    fn collect(&mut self, o: &Outcome) {
        self.sources.extend(o.trace.iter().map(|t| t.source));
        if let Why::ImplicitDeny { owner } = o.why {
            match owner {
                OwnerRef::Key(k) => self.keys.push(k),
                OwnerRef::Bucket(b) => self.buckets.push(b),
                OwnerRef::None => {}
            }
        }
        for i in &o.implied {
            self.collect(i);
        }
    }

    /// Whether an edit of `source` can change how this request is decided.
    pub fn reads(&self, source: PolicySource) -> bool {
        if self.sources.contains(&source) {
            return true;
        }
        match source {
            PolicySource::Identity { principal, .. } | PolicySource::Boundary { principal } => {
                self.principal == Some(principal)
            }
            // Organization policies apply by account and path: always
            // evaluated again.
            PolicySource::Scp { .. } | PolicySource::Rcp { .. } => true,
            PolicySource::Key { key } => self.keys.contains(&key),
            PolicySource::Bucket { bucket } => self.buckets.contains(&bucket),
        }
    }
}
