//! The handshake of one request, as a learner follows it: the caller, each
//! policy the engine consulted (the identity side, then the key or bucket
//! policy) and what it did, and each implied KMS call with its own hops;
//! and the one statement that decided the request. Front ends draw these;
//! they do not re-read the trace.

use super::{Outcome, PolicyOutcome, PolicySource, TraceEntry};
use crate::core::world::Verdict;

/// What a hop of the handshake did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopState {
    /// A statement allowed.
    Allowed,
    /// A statement denied.
    Denied,
    /// Consulted, but no statement matched.
    NoMatch,
    /// The engine never looked at it.
    NotConsulted,
}

impl HopState {
    /// The state in a word or two ("allowed", "not consulted").
    pub fn word(self) -> &'static str {
        match self {
            HopState::Allowed => "allowed",
            HopState::Denied => "denied",
            HopState::NoMatch => "no match",
            HopState::NotConsulted => "not consulted",
        }
    }
}

/// One line of the handshake flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// How deep (implied calls are indented).
    pub depth: usize,
    /// What was consulted.
    pub label: String,
    /// What it did; `None` for implied-call lines.
    pub state: Option<HopState>,
    /// For an implied call: its verdict.
    pub verdict: Option<Verdict>,
}

/// The statement that decided `outcome`: the explicit deny if there is
/// one, else the allow of a key or bucket policy (the half the labs are
/// about), else any allow; searched through implied calls too.
pub fn deciding_entry(outcome: &Outcome) -> Option<TraceEntry> {
    fn all(o: &Outcome, out: &mut Vec<TraceEntry>) {
        out.extend(o.trace.iter().copied());
        for i in &o.implied {
            all(i, out);
        }
    }
    if outcome.verdict == Verdict::Deny {
        return outcome.deciding_deny().copied();
    }
    let mut entries = Vec::new();
    all(outcome, &mut entries);
    let allows = || {
        entries
            .iter()
            .filter(|t| t.outcome == PolicyOutcome::Allow && t.statement.is_some())
    };
    allows()
        .find(|t| resource_side(&t.source))
        .or_else(|| allows().next())
        .copied()
}

/// The handshake of `outcome`: one hop per policy consulted (a policy with
/// several statements is one hop: a deny anywhere in it wins over its
/// allows), a "not consulted" hop for a side the engine never reached, and
/// each implied call followed by its own hops one level deeper. `label`
/// names a policy (a front end may say which tab it is in).
pub fn hops(outcome: &Outcome, label: &dyn Fn(&TraceEntry) -> String) -> Vec<Hop> {
    let mut out = Vec::new();
    push_hops(outcome, label, 0, &mut out);
    out
}

fn push_hops(
    outcome: &Outcome,
    label: &dyn Fn(&TraceEntry) -> String,
    depth: usize,
    out: &mut Vec<Hop>,
) {
    let mut seen: Vec<(PolicySource, HopState, String)> = Vec::new();
    for t in &outcome.trace {
        let state = match t.outcome {
            PolicyOutcome::Allow => HopState::Allowed,
            PolicyOutcome::Deny => HopState::Denied,
            PolicyOutcome::NoMatch => HopState::NoMatch,
        };
        match seen.iter_mut().find(|(s, _, _)| *s == t.source) {
            Some(hop) => {
                if state == HopState::Denied
                    || (state == HopState::Allowed && hop.1 == HopState::NoMatch)
                {
                    hop.1 = state;
                }
            }
            None => seen.push((t.source, state, label(t))),
        }
    }
    let mut push = |label: String, state: HopState| {
        out.push(Hop {
            depth,
            label,
            state: Some(state),
            verdict: None,
        });
    };
    let identity: Vec<_> = seen.iter().filter(|(s, _, _)| !resource_side(s)).collect();
    if identity.is_empty() {
        push("IAM policies".into(), HopState::NotConsulted);
    }
    for (_, state, l) in identity {
        push(l.clone(), *state);
    }
    let resource: Vec<_> = seen.iter().filter(|(s, _, _)| resource_side(s)).collect();
    if resource.is_empty() {
        let what = if outcome.action.starts_with("s3:") {
            "Bucket policy"
        } else {
            "Key policy"
        };
        push(what.into(), HopState::NotConsulted);
    }
    for (_, state, l) in resource {
        push(l.clone(), *state);
    }
    for i in &outcome.implied {
        out.push(Hop {
            depth,
            label: format!("implied {} on {}", i.action, short_arn(&i.resource)),
            state: None,
            verdict: Some(i.verdict),
        });
        push_hops(i, label, depth + 1, out);
    }
}

/// A key or bucket policy (the resource side of the handshake).
fn resource_side(source: &PolicySource) -> bool {
    matches!(
        source,
        PolicySource::Key { .. } | PolicySource::Bucket { .. }
    )
}

/// The last part of an ARN (`key/…`, `role/…`), for short labels.
pub fn short_arn(arn: &str) -> String {
    arn.rsplit(':').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::Pack;

    fn pack() -> Pack {
        Pack::builtin().expect("the built-in course loads")
    }

    /// Lab 1 starts failing: the flow shows where the handshake stops
    /// (a side that did not match, or a denied implied call, one level in).
    #[test]
    fn a_failing_goal_shows_where_the_handshake_stops() {
        let pack = pack();
        let lab = &pack.labs[0];
        let world = lab.world();
        let status = lab.check(world);
        let failing = status
            .goals
            .iter()
            .find(|g| !g.met)
            .expect("lab 1 starts failing");
        let flow = hops(&failing.outcome, &|e| e.label(world));
        assert!(
            flow.iter().any(|h| h.state == Some(HopState::NoMatch)
                || h.state == Some(HopState::Denied)
                || h.verdict == Some(Verdict::Deny)),
            "{flow:?}"
        );
        let implied = failing.outcome.implied.len();
        assert_eq!(flow.iter().filter(|h| h.verdict.is_some()).count(), implied);
        if implied > 0 {
            assert!(flow.iter().any(|h| h.depth == 1), "{flow:?}");
        }
        // The label function names every consulted policy.
        let named = hops(&failing.outcome, &|_| "P".into());
        assert!(named.iter().any(|h| h.label == "P"), "{named:?}");
    }

    #[test]
    fn a_solved_lab_has_a_deciding_allow_in_an_editable_policy() {
        let pack = pack();
        let lab = &pack.labs[0];
        let world = lab.with_policies(&lab.solution()).expect("solution parses");
        let status = lab.check(&world);
        let allowed = status
            .goals
            .iter()
            .find(|g| g.outcome.verdict == Verdict::Allow)
            .expect("an allowed goal");
        let entry = deciding_entry(&allowed.outcome).expect("a deciding statement");
        assert_eq!(entry.outcome, PolicyOutcome::Allow);
        assert!(lab.editable_at(&world, entry.source).is_some());
        assert!(entry.lines(&world).is_some());
    }

    #[test]
    fn short_arn_keeps_the_last_part() {
        assert_eq!(
            short_arn("arn:aws:kms:eu-west-1:111122223333:key/k1"),
            "key/k1"
        );
        assert_eq!(short_arn("plain"), "plain");
    }
}
