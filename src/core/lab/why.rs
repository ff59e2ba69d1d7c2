//! Why a goal's request is not allowed yet, for the lab's later hint
//! levels and the sandbox: the near misses of the policies that had no
//! match (which statement almost matched, and which part of it failed,
//! with the request's values), and the engine's verified fix as edits of
//! the lab's tabs.
//!
//! A fix is offered only for a goal that must be allowed (a must-deny goal
//! is never told how to grant), only when every policy it edits is one of
//! the learner's tabs, and only when every other goal met now stays met
//! with it (a fix that lets a stranger in is no fix).

use super::Workbench;
use crate::core::eval::fix::{Fix, fixes, unified_diff};
use crate::core::eval::near::Seen;
use crate::core::eval::{Missing, Outcome, PolicySource, TraceEntry};
use crate::core::world::{Request, Verdict, World};

/// One near miss of one policy, as the lab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearView {
    /// The editable policy's tab (0-based), if the policy is one.
    pub tab: Option<usize>,
    /// The policy, as the trace labels it.
    pub policy: String,
    /// The statement: its Sid, else `#N`.
    pub statement: String,
    /// Its first and last line in the editor (or file).
    pub lines: Option<(usize, usize)>,
    /// Each failing part: (element, one sentence with the values).
    pub failed: Vec<(&'static str, String)>,
    /// What to change in the statement for its first failing part.
    pub change: String,
}

/// The engine's fix for a goal, as edits of the lab's tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabFix {
    /// (tab, new text, unified diff), one per policy edited.
    pub edits: Vec<(usize, String, String)>,
    /// What the fix does, one sentence per edit.
    pub summary: Vec<String>,
}

/// Why there is no fix to offer for a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoTabFix {
    /// The goal is met, or must stay denied (nothing to grant).
    NotWanted,
    /// The engine has none (its reason, in a sentence).
    Engine(String),
    /// It would edit a policy the learner cannot edit here.
    NotEditable(String),
    /// It would break the goals listed (1-based).
    Breaks(Vec<usize>),
}

impl NoTabFix {
    /// One sentence for the learner.
    pub fn describe(&self) -> String {
        match self {
            NoTabFix::NotWanted => "No fix: this goal asks for nothing to be granted.".to_string(),
            NoTabFix::Engine(why) => format!("No fix: {why}"),
            NoTabFix::NotEditable(p) => {
                format!("No fix here: the engine's fix edits the {p}, which is not yours to edit.")
            }
            NoTabFix::Breaks(goals) => {
                let list: Vec<String> = goals.iter().map(usize::to_string).collect();
                format!(
                    "No fix offered: the smallest edit that allows this request would break goal {} of the lab.",
                    list.join(", ")
                )
            }
        }
    }
}

impl Workbench {
    /// The near misses behind goal `n`'s request, policy by policy, implied
    /// KMS calls included (nearest first within a policy).
    pub fn near(&self, n: usize) -> Vec<NearView> {
        let (world, status) = self.results();
        let (Some(goal), Some(st)) = (self.lab().goals.get(n), status.goals.get(n)) else {
            return Vec::new();
        };
        let Some(request) = world.requests.get(goal.request) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.push_near(world, &st.outcome, request, &mut out);
        out
    }

    fn push_near(
        &self,
        world: &World,
        outcome: &Outcome,
        request: &Request,
        out: &mut Vec<NearView>,
    ) {
        let seen = Seen {
            action: &outcome.action,
            resource: outcome.resolved.as_deref().unwrap_or(&outcome.resource),
            caller: &request.caller,
        };
        for (i, entry) in outcome.trace.iter().enumerate() {
            // Only the half that is missing is worth marking: a key policy
            // that already lets the caller's account in is not what failed.
            if !blamed(entry.source, &outcome.missing) {
                continue;
            }
            for miss in outcome.near_misses(i) {
                let Some(statement) = entry
                    .source
                    .policy(world)
                    .and_then(|p| p.statements.get(miss.statement))
                else {
                    continue;
                };
                out.push(NearView {
                    tab: self.tab_of(world, entry),
                    policy: entry.label(world),
                    statement: statement.label(),
                    lines: statement.lines,
                    failed: miss
                        .failed
                        .iter()
                        .map(|f| (f.element(), f.detail(statement, seen)))
                        .collect(),
                    change: miss
                        .failed
                        .first()
                        .map(|f| f.change(statement, seen))
                        .unwrap_or_default(),
                });
            }
        }
        for implied in &outcome.implied {
            self.push_near(world, implied, request, out);
        }
    }

    fn tab_of(&self, world: &World, entry: &TraceEntry) -> Option<usize> {
        self.lab()
            .editable
            .iter()
            .position(|e| e.policy.source(world) == Some(entry.source))
    }

    /// The verified fix for goal `n`, as edits of the tabs, or why none
    /// is offered: the engine's smallest fix when it keeps every other goal
    /// met; else, in a course lab, the lab's reference solution (which
    /// meets every goal and lints clean).
    pub fn fix(&self, n: usize) -> Result<TabFix, NoTabFix> {
        match self.engine_fix(n) {
            Err(NoTabFix::NotWanted) => Err(NoTabFix::NotWanted),
            Err(why) if !self.is_sandbox() => self.solution_fix().ok_or(why),
            other => other,
        }
    }

    /// The lab's reference solution as edits of the tabs that differ.
    fn solution_fix(&self) -> Option<TabFix> {
        let mut edits = Vec::new();
        let mut summary = Vec::new();
        for (tab, e) in self.lab().editable.iter().enumerate() {
            let now = self.text(tab);
            if now.trim() == e.solution.trim() {
                continue;
            }
            let label = format!("tab {}", tab + 1);
            edits.push((
                tab,
                e.solution.clone(),
                unified_diff(now, &e.solution, &label, 1),
            ));
            summary.push(format!(
                "Tab {} as in the lab's reference solution, which meets every goal.",
                tab + 1
            ));
        }
        (!edits.is_empty()).then_some(TabFix { edits, summary })
    }

    fn engine_fix(&self, n: usize) -> Result<TabFix, NoTabFix> {
        let (world, status) = self.results();
        let lab = self.lab();
        let (Some(goal), Some(st)) = (lab.goals.get(n), status.goals.get(n)) else {
            return Err(NoTabFix::NotWanted);
        };
        if st.met && goal.expect.is_some() || goal.expect == Some(Verdict::Deny) {
            return Err(NoTabFix::NotWanted);
        }
        if st.outcome.verdict == Verdict::Allow {
            return Err(NoTabFix::NotWanted);
        }
        let Some(request) = world.requests.get(goal.request) else {
            return Err(NoTabFix::NotWanted);
        };
        let found = fixes(world, request, &st.outcome);
        if let Some(no) = found.no_fix {
            return Err(NoTabFix::Engine(no.message));
        }
        if found.fixes.is_empty() {
            return Err(NoTabFix::Engine("the engine found no edit.".to_string()));
        }
        let mut edits = Vec::new();
        let mut texts = self.edits();
        for f in &found.fixes {
            let Some(tab) = lab
                .editable
                .iter()
                .position(|e| e.policy.source(world) == Some(f.source))
            else {
                return Err(NoTabFix::NotEditable(f.policy.clone()));
            };
            let before = self.text(tab).to_string();
            edits.push((tab, f.document.clone(), diff(&before, f, tab)));
            if let Some(slot) = texts.get_mut(tab) {
                slot.1.clone_from(&f.document);
            }
        }
        let Ok(fixed) = lab.with_policies(&texts) else {
            return Err(NoTabFix::Engine(
                "its text does not parse here.".to_string(),
            ));
        };
        let after = lab.check(&fixed);
        let broken: Vec<usize> = status
            .goals
            .iter()
            .zip(&after.goals)
            .enumerate()
            .filter(|(i, (now, then))| *i != n && now.met && !then.met)
            .map(|(i, _)| i + 1)
            .collect();
        if !broken.is_empty() {
            return Err(NoTabFix::Breaks(broken));
        }
        Ok(TabFix {
            edits,
            summary: found.fixes.iter().map(|f| f.summary.clone()).collect(),
        })
    }
}

fn diff(before: &str, fix: &Fix, tab: usize) -> String {
    unified_diff(before, &fix.document, &format!("tab {}", tab + 1), 1)
}

/// Whether the policy `source` belongs to a part of the handshake that the
/// request lacks (its near misses then point at what to change).
fn blamed(source: PolicySource, missing: &[Missing]) -> bool {
    missing.iter().any(|m| match (source, m) {
        (PolicySource::Identity { .. }, Missing::Identity)
        | (PolicySource::Boundary { .. }, Missing::Boundary)
        | (PolicySource::Scp { .. }, Missing::Scp) => true,
        (PolicySource::Key { .. } | PolicySource::Bucket { .. }, m) => {
            matches!(m, Missing::Resource | Missing::KeyPolicyRoot)
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::core::content::Lab;

    /// The key policy already trusts account B; only the reader's IAM
    /// policy is missing, so only that tab may carry near-miss marks.
    #[test]
    fn near_misses_mark_only_the_missing_half() {
        let text = include_str!("../../../tests/fixtures/sandbox-exercise.toml");
        let lab = Lab::sandbox("ex.toml", text).expect("the fixture is a valid scenario");
        let start: Vec<String> = lab.editable.iter().map(|e| e.start.clone()).collect();
        let bench = Workbench::new(Rc::new(lab), start, true);
        let near = bench.near(0);
        assert!(
            near.iter().all(|n| n.tab != Some(0)),
            "the trusting key policy (tab 1) is marked: {:?}",
            near.iter()
                .map(|n| (&n.policy, &n.statement))
                .collect::<Vec<_>>()
        );
    }
}
