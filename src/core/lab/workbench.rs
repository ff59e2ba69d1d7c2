//! See [`Workbench`].

use std::rc::Rc;

use crate::core::content::{Lab, LabStatus, PolicyRef};
use crate::core::diag::Diagnostic;
use crate::core::eval::Outcome;
use crate::core::eval::handshake::{Hop, deciding_entry, hops};
use crate::core::policy::lint::{Finding, LintContext, lint_with};
use crate::core::world::World;

/// One thing that keeps a lab from counting as solved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// The current texts do not parse: the verdicts shown are older.
    Stale,
    /// Goal `n` (0-based, in [`Lab::goals`] order) is not met.
    Goal(usize),
    /// An `error` or `security_warning` lint finding is open on the
    /// learner's policy in tab `tab` (0-based): a lab solved by a policy
    /// a security reviewer would reject is not solved.
    Finding {
        /// The tab (editable policy) it is on.
        tab: usize,
        /// The finding.
        finding: Finding,
    },
    /// An Allow statement of the learner's policy in tab `tab` grants far
    /// more than the goals test (a course lab only).
    OverBroad {
        /// The tab it is on.
        tab: usize,
        /// The statement and why.
        grant: super::OverBroad,
    },
}

impl Blocker {
    /// What blocks the solve, in one sentence (goals by their text).
    pub fn describe(&self, lab: &Lab) -> String {
        match self {
            Blocker::Stale => "a policy does not parse".to_string(),
            Blocker::Goal(n) => match lab.goals.get(*n) {
                Some(g) => format!("goal {} is not met ({})", n + 1, g.text),
                None => format!("goal {} is not met", n + 1),
            },
            Blocker::Finding { tab, finding } => format!(
                "tab {}, line {}: {} [{}]",
                tab + 1,
                finding.line,
                finding.severity.label(),
                finding.code
            ),
            Blocker::OverBroad { tab, grant } => match grant.line {
                Some(line) => format!("tab {}, line {line}: {}", tab + 1, grant.message),
                None => format!("tab {}: {}", tab + 1, grant.message),
            },
        }
    }
}

/// Checking every goal of a lab against a set of texts, owned, so that a
/// front end can run it off its key path.
#[derive(Debug)]
pub struct CheckJob {
    lab: Lab,
    edits: Vec<(PolicyRef, String)>,
}

/// What a [`CheckJob`] found: the world and goal results, or why the texts
/// do not load.
#[derive(Debug)]
pub struct CheckResult(Result<(World, LabStatus), Vec<Diagnostic>>);

impl CheckJob {
    /// Runs the check.
    pub fn run(self) -> CheckResult {
        check(&self.lab, &self.edits)
    }
}

fn check(lab: &Lab, edits: &[(PolicyRef, String)]) -> CheckResult {
    CheckResult(lab.with_policies(edits).map(|world| {
        let status = lab.check(&world);
        (world, status)
    }))
}

/// A lab's editable policies as the learner has them now, and what the
/// engine and the linter say about them.
#[derive(Debug)]
pub struct Workbench {
    lab: Rc<Lab>,
    texts: Vec<String>,
    /// A sandbox's texts as its file holds them (`None` for a course lab,
    /// whose work goes to progress).
    baseline: Option<Vec<String>>,
    /// The world and goal results of the last texts that parsed.
    good: (World, LabStatus),
    /// Problems of the current texts (empty when they parse).
    errors: Vec<Diagnostic>,
    /// Lint findings per tab.
    findings: Vec<Vec<Finding>>,
}

impl Workbench {
    /// `lab` with `texts` (one per editable policy, in order), checked.
    /// `sandbox`: the texts are what the lab's file holds, and unsaved
    /// edits are told against them.
    pub fn new(lab: Rc<Lab>, texts: Vec<String>, sandbox: bool) -> Self {
        let good = (lab.world().clone(), lab.check(lab.world()));
        let mut bench = Workbench {
            baseline: sandbox.then(|| texts.clone()),
            lab,
            texts,
            good,
            errors: Vec::new(),
            findings: Vec::new(),
        };
        bench.recheck_all();
        bench
    }

    /// The lab.
    pub fn lab(&self) -> &Rc<Lab> {
        &self.lab
    }

    /// The text of tab `i` (empty past the last tab).
    pub fn text(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", String::as_str)
    }

    /// Tab `i` now reads `text`: re-lints it and re-checks every goal.
    pub fn set_text(&mut self, i: usize, text: String) {
        self.set_text_unchecked(i, text);
        self.evaluate();
    }

    /// Tab `i` now reads `text`, re-linted; the goals are re-checked by
    /// running [`Workbench::job`] (on another thread, for a front end that
    /// keeps reading keys) and handing its result to [`Workbench::apply`].
    pub fn set_text_unchecked(&mut self, i: usize, text: String) {
        let Some(slot) = self.texts.get_mut(i) else {
            return;
        };
        *slot = text;
        let found = self.lint_tab(i);
        if let Some(f) = self.findings.get_mut(i) {
            *f = found;
        }
    }

    /// Re-checks every goal against the current texts, now.
    pub fn check_now(&mut self) {
        self.evaluate();
    }

    /// The check of every goal against the current texts, as a job that
    /// owns what it needs (it can run on another thread).
    pub fn job(&self) -> CheckJob {
        CheckJob {
            lab: (*self.lab).clone(),
            edits: self.edits(),
        }
    }

    /// Takes a finished job's result (see [`Workbench::job`]).
    pub fn apply(&mut self, result: CheckResult) {
        match result.0 {
            Ok((world, status)) => {
                self.good = (world, status);
                self.errors.clear();
            }
            Err(diags) => self.errors = diags,
        }
    }

    /// Every tab back to what it started as (a course lab's starting
    /// policies) or was last saved as (a sandbox's file); returns the texts.
    pub fn reset(&mut self) -> &[String] {
        self.texts = match &self.baseline {
            Some(b) => b.clone(),
            None => self.lab.editable.iter().map(|e| e.start.clone()).collect(),
        };
        self.recheck_all();
        &self.texts
    }

    /// A sandbox (texts from a scenario file), not a course lab.
    pub fn is_sandbox(&self) -> bool {
        self.baseline.is_some()
    }

    /// The verdicts are from older texts (the current ones do not parse).
    pub fn stale(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The problems of the current texts.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// The lint findings of tab `i`.
    pub fn findings(&self, i: usize) -> &[Finding] {
        self.findings.get(i).map_or(&[][..], Vec::as_slice)
    }

    /// The world and the goal results of the last texts that parsed.
    pub fn results(&self) -> (&World, &LabStatus) {
        (&self.good.0, &self.good.1)
    }

    /// Every goal met, with texts that parse and no `error` or
    /// `security_warning` finding open on a learner's policy (a sandbox
    /// only when its file says what to expect).
    pub fn solved(&self) -> bool {
        (self.baseline.is_none() || self.lab.has_expectations()) && self.blockers().is_empty()
    }

    /// What keeps the lab from counting as solved, in the order the
    /// learner should look at them: parse errors, goals not met, then the
    /// failing lint findings of each tab.
    pub fn blockers(&self) -> Vec<Blocker> {
        let mut out = Vec::new();
        if self.stale() {
            out.push(Blocker::Stale);
        }
        let goals = &self.good.1.goals;
        out.extend(
            goals
                .iter()
                .enumerate()
                .filter(|(_, g)| !g.met)
                .map(|(n, _)| Blocker::Goal(n)),
        );
        if self.baseline.is_none() {
            out.extend(self.over_broad());
        }
        for (tab, found) in self.findings.iter().enumerate() {
            out.extend(
                found
                    .iter()
                    .filter(|f| f.severity.fails())
                    .map(|f| Blocker::Finding {
                        tab,
                        finding: f.clone(),
                    }),
            );
        }
        out
    }

    /// Every editable policy with its current text.
    pub fn edits(&self) -> Vec<(PolicyRef, String)> {
        self.lab
            .editable
            .iter()
            .zip(&self.texts)
            .map(|(e, t)| (e.policy.clone(), t.clone()))
            .collect()
    }

    /// The current texts by policy name as the lab writes it, for progress.
    pub fn work(&self) -> Vec<(String, String)> {
        self.lab
            .editable
            .iter()
            .zip(&self.texts)
            .map(|(e, t)| (e.policy.to_string(), t.clone()))
            .collect()
    }

    /// The tabs whose text differs from what the sandbox's file holds
    /// (none for a course lab), as (policy, text).
    pub fn unsaved_edits(&self) -> Vec<(PolicyRef, String)> {
        let Some(baseline) = &self.baseline else {
            return Vec::new();
        };
        self.lab
            .editable
            .iter()
            .zip(&self.texts)
            .zip(baseline)
            .filter(|((_, t), b)| t != b)
            .map(|((e, t), _)| (e.policy.clone(), t.clone()))
            .collect()
    }

    /// `edits` were written into the sandbox's file: they are its texts now.
    pub fn saved(&mut self, edits: &[(PolicyRef, String)]) {
        let Some(baseline) = self.baseline.as_mut() else {
            return;
        };
        for (e, slot) in self.lab.editable.iter().zip(baseline.iter_mut()) {
            if let Some((_, text)) = edits.iter().find(|(r, _)| *r == e.policy) {
                slot.clone_from(text);
            }
        }
    }

    /// The tab and the lines (first, last) of the statement that decided
    /// goal `goal`, if a statement of an editable policy did.
    pub fn deciding(&self, goal: usize) -> Option<(usize, (usize, usize))> {
        let (world, status) = self.results();
        let entry = deciding_entry(&status.goals.get(goal)?.outcome)?;
        let tab = self
            .lab
            .editable
            .iter()
            .position(|e| e.policy.source(world) == Some(entry.source))?;
        Some((tab, entry.lines(world)?))
    }

    /// The handshake of `outcome`, its policies named as the lab shows
    /// them (an editable policy by its tab: `[tab 2] Key policy`).
    pub fn hops(&self, outcome: &Outcome) -> Vec<Hop> {
        let world = &self.good.0;
        let lab = &self.lab;
        hops(
            outcome,
            &|entry| match lab.editable_at(world, entry.source) {
                Some(e) => {
                    let n = lab
                        .editable
                        .iter()
                        .position(|x| x == e)
                        .map_or(0, |n| n + 1);
                    format!("[tab {n}] {}", e.label)
                }
                None => entry.label(world),
            },
        )
    }

    /// The over-broad grants of the learner's policies ([`super::over_broad`]).
    fn over_broad(&self) -> Vec<Blocker> {
        let world = &self.good.0;
        let mut out = Vec::new();
        for (tab, e) in self.lab.editable.iter().enumerate() {
            let Some(policy) = e.policy.source(world).and_then(|s| s.policy(world)) else {
                continue;
            };
            let owner = owner_account(world, &e.policy);
            out.extend(
                super::over_broad(policy, e.policy.kind(), owner.as_deref())
                    .into_iter()
                    .map(|grant| Blocker::OverBroad { tab, grant }),
            );
        }
        out
    }

    /// The lab's sentence for goal `n` ([`super::goal_sentence`]): for a
    /// goal that must stay denied it never says how to grant the access,
    /// and the engine's "or the account" form is offered only when
    /// granting the whole account keeps every other met goal met.
    pub fn sentence(&self, n: usize) -> String {
        let (world, status) = self.results();
        let (Some(goal), Some(st)) = (self.lab.goals.get(n), status.goals.get(n)) else {
            return String::new();
        };
        let Some(request) = world.requests.get(goal.request) else {
            return String::new();
        };
        let sentence = super::goal_sentence(goal, st.met, &st.outcome, world, &request.caller);
        let account = format!(
            " (or the account, arn:aws:iam::{}:root)",
            request.caller.account
        );
        if sentence.contains(&account) && !self.account_form_holds(n) {
            return sentence.replace(&account, "");
        }
        sentence
    }

    /// Whether granting goal `n`'s caller's whole account, in the resource
    /// policy its request is missing, keeps every other goal met now met.
    fn account_form_holds(&self, n: usize) -> bool {
        let (world, status) = self.results();
        let Some(st) = status.goals.get(n) else {
            return false;
        };
        let Some(request) = self
            .lab
            .goals
            .get(n)
            .and_then(|g| world.requests.get(g.request))
        else {
            return false;
        };
        let Some(missing) = missing_resource_half(&st.outcome) else {
            return false;
        };
        let (policy, resource) = match &missing.resolved {
            Some(key) => (PolicyRef::Key(key.clone()), "*".to_string()),
            None => {
                let Some(name) = missing
                    .resource
                    .strip_prefix("arn:aws:s3:::")
                    .and_then(|r| r.split('/').next())
                else {
                    return false;
                };
                (
                    PolicyRef::Bucket(name.to_string()),
                    missing.resource.clone(),
                )
            }
        };
        let Some(tab) = self.lab.editable.iter().position(|e| e.policy == policy) else {
            return false;
        };
        let statement = serde_json::json!({
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{}:root", request.caller.account) },
            "Action": missing.action,
            "Resource": resource,
        });
        let Some(text) = with_statement(self.text(tab), statement) else {
            return false;
        };
        let mut edits = self.edits();
        if let Some(slot) = edits.get_mut(tab) {
            slot.1 = text;
        }
        let Ok(wider) = self.lab.with_policies(&edits) else {
            return false;
        };
        let after = self.lab.check(&wider);
        status
            .goals
            .iter()
            .zip(&after.goals)
            .enumerate()
            .all(|(i, (now, then))| i == n || !now.met || then.met)
    }

    fn lint_tab(&self, i: usize) -> Vec<Finding> {
        let Some(e) = self.lab.editable.get(i) else {
            return Vec::new();
        };
        // The owner tells another account's principals from the owner's
        // own (kms:* to account B is a finding, to the key's account not).
        let context = LintContext {
            owner_account: owner_account(self.lab.world(), &e.policy),
        };
        lint_with(self.text(i), e.policy.kind(), &context)
    }

    fn recheck_all(&mut self) {
        self.findings = (0..self.texts.len()).map(|i| self.lint_tab(i)).collect();
        self.evaluate();
    }

    /// Re-checks every goal against the current texts; texts that do not
    /// parse keep the last good verdicts (shown as stale).
    fn evaluate(&mut self) {
        let result = check(&self.lab, &self.edits());
        self.apply(result);
    }
}

/// The call of `outcome` (itself or an implied KMS call) that lacks the
/// resource policy's half of the handshake.
fn missing_resource_half(outcome: &Outcome) -> Option<&Outcome> {
    if outcome
        .missing
        .contains(&crate::core::eval::Missing::Resource)
    {
        return Some(outcome);
    }
    outcome.implied.iter().find_map(missing_resource_half)
}

/// `text` (a policy, or empty for none yet) with `statement` appended;
/// `None` when the text is not a policy object.
fn with_statement(text: &str, statement: serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let mut doc: Value = if text.trim().is_empty() {
        serde_json::json!({ "Version": "2012-10-17", "Statement": [] })
    } else {
        serde_json::from_str(text).ok()?
    };
    let list = doc
        .as_object_mut()?
        .entry("Statement")
        .or_insert(Value::Array(Vec::new()));
    match list {
        Value::Array(items) => items.push(statement),
        single @ Value::Object(_) => {
            let first = single.take();
            *single = Value::Array(vec![first, statement]);
        }
        _ => return None,
    }
    serde_json::to_string_pretty(&doc).ok()
}

/// The account that owns the key or bucket `policy` is attached to (for
/// a resource policy), as the world or the key's ARN says.
fn owner_account(world: &World, policy: &PolicyRef) -> Option<String> {
    match policy {
        PolicyRef::Key(arn) => world
            .keys
            .iter()
            .find(|k| k.arn == *arn)
            .map(|k| k.account.clone())
            .or_else(|| arn.split(':').nth(4).map(str::to_string)),
        PolicyRef::Bucket(name) => world
            .buckets
            .iter()
            .find(|b| b.name == *name)
            .map(|b| b.account.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::Pack;

    fn lab(n: usize) -> Rc<Lab> {
        let pack = Pack::builtin().expect("the built-in course loads");
        Rc::new(pack.labs[n].clone())
    }

    fn starting(lab: &Lab) -> Vec<String> {
        lab.editable.iter().map(|e| e.start.clone()).collect()
    }

    #[test]
    fn typing_the_solution_solves_and_broken_json_keeps_the_last_verdicts() {
        let lab = lab(0);
        let mut bench = Workbench::new(Rc::clone(&lab), starting(&lab), false);
        assert!(!bench.solved(), "a lab starts failing");
        let failing = bench.results().1.goals.iter().find(|g| !g.met);
        let flow = bench.hops(&failing.expect("a failing goal").outcome);
        assert!(flow.iter().any(|h| h.label.contains("[tab ")), "{flow:?}");
        let before = bench.results().1.goals.iter().filter(|g| g.met).count();
        bench.set_text(0, "{ not json".into());
        assert!(bench.stale());
        assert!(!bench.errors().is_empty());
        assert_eq!(
            bench.results().1.goals.iter().filter(|g| g.met).count(),
            before,
            "the last good verdicts stay"
        );
        for (i, e) in lab.editable.iter().enumerate() {
            bench.set_text(i, e.solution.clone());
        }
        assert!(!bench.stale());
        assert!(bench.solved());
        let failing_or_not = &bench.results().1.goals[0].outcome;
        assert!(!bench.hops(failing_or_not).is_empty());
        bench.reset();
        assert!(!bench.solved(), "reset brings the starting policies back");
        assert_eq!(bench.text(0), lab.editable[0].start);
    }

    #[test]
    fn a_sandbox_tells_unsaved_edits_against_its_file() {
        let lab = lab(0);
        let mut bench = Workbench::new(Rc::clone(&lab), starting(&lab), true);
        assert!(bench.unsaved_edits().is_empty());
        bench.set_text(0, "{}".into());
        let edits = bench.unsaved_edits();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].1, "{}");
        bench.saved(&edits);
        assert!(
            bench.unsaved_edits().is_empty(),
            "saved texts are the file's"
        );
        bench.set_text(0, "{ }".into());
        bench.reset();
        assert_eq!(bench.text(0), "{}", "reset goes back to the file");
        // A course lab has no file: nothing is ever unsaved there.
        let mut course = Workbench::new(Rc::clone(&lab), starting(&lab), false);
        course.set_text(0, "{}".into());
        assert!(course.unsaved_edits().is_empty());
    }
}
