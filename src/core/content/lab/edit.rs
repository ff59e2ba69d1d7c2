//! Rebuilding a lab's world from the learner's texts, and grading it.

use super::{Editable, GoalStatus, Lab, LabStatus, PolicyRef};
use crate::core::diag::{Diagnostic, LineIndex};
use crate::core::eval::{PolicySource, evaluate};
use crate::core::policy::{Policy, PolicyKind, parse};
use crate::core::world::World;

/// A problem in one edited policy text, at a byte offset of that text.
pub(super) struct EditError {
    pub(super) policy: PolicyRef,
    pub(super) offset: usize,
    pub(super) message: String,
}

impl Lab {
    /// Statement lines of the editable policies counted in their own text
    /// (as the editor shows them), not in the file.
    pub(super) fn count_lines_in_texts(&mut self) {
        let start: Vec<(PolicyRef, String)> = self
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        if let Ok(world) = self.apply(&start) {
            self.world = world;
        }
    }

    /// The world with the learner's texts in place of the editable
    /// policies (policies not in `edits` keep their starting text). An
    /// empty text removes an identity policy, a boundary or a bucket
    /// policy. Problems come back as diagnostics whose `path` is the
    /// policy's written name ([`PolicyRef`]'s `Display`) and whose line and
    /// column count in the edited text.
    pub fn with_policies(&self, edits: &[(PolicyRef, String)]) -> Result<World, Vec<Diagnostic>> {
        self.apply(edits).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let text = edits
                        .iter()
                        .rev()
                        .find(|(r, _)| *r == e.policy)
                        .map_or("", |(_, t)| t.as_str());
                    Diagnostic::error_at(&e.policy.to_string(), text, e.offset, e.message)
                })
                .collect()
        })
    }

    pub(super) fn apply(&self, edits: &[(PolicyRef, String)]) -> Result<World, Vec<EditError>> {
        let mut world = self.world.clone();
        let mut errors = Vec::new();
        for (r, text) in edits {
            let fail = |offset: usize, message: String| EditError {
                policy: r.clone(),
                offset,
                message,
            };
            if self.editable(r).is_none() {
                errors.push(fail(0, format!("{r} is not editable in this lab")));
                continue;
            }
            let policy = if text.trim().is_empty() {
                if !r.may_be_empty() {
                    let what = r.kind().article_name();
                    errors.push(fail(0, format!("{what} cannot be empty")));
                    continue;
                }
                None
            } else {
                match parse(text, r.kind()) {
                    Ok(mut p) => {
                        let index = LineIndex::new(text);
                        for s in &mut p.statements {
                            s.lines = Some((
                                index.line_of(s.span.start),
                                index.line_of(s.span.end.saturating_sub(1)),
                            ));
                        }
                        Some(p)
                    }
                    Err(es) => {
                        errors.extend(es.into_iter().map(|e| fail(e.offset, e.message)));
                        continue;
                    }
                }
            };
            place(&mut world, r, policy);
        }
        if errors.is_empty() {
            Ok(world)
        } else {
            Err(errors)
        }
    }

    /// Evaluates every goal in `world` (the starting world or one from
    /// [`Lab::with_policies`]).
    pub fn check(&self, world: &World) -> LabStatus {
        LabStatus {
            goals: self
                .goals
                .iter()
                .filter_map(|g| {
                    let request = world.requests.get(g.request)?;
                    let outcome = evaluate(world, request);
                    Some(GoalStatus {
                        met: g.met_by(&outcome),
                        outcome,
                    })
                })
                .collect(),
        }
    }

    /// Whether every goal is met in `world`.
    pub fn solved(&self, world: &World) -> bool {
        self.check(world).solved()
    }

    /// The texts of the reference solution, for [`Lab::with_policies`].
    pub fn solution(&self) -> Vec<(PolicyRef, String)> {
        self.editable
            .iter()
            .map(|e| (e.policy.clone(), e.solution.clone()))
            .collect()
    }
}

/// Clears the file line numbers of the statements of policies the learner
/// cannot see (not editable): the sentences would point into the lab file,
/// which the lab screen never shows. Editable policies get lines counted in
/// their own text when they are applied.
pub(super) fn forget_hidden_lines(world: &mut World, editable: &[Editable]) {
    let shown: Vec<Option<PolicySource>> =
        editable.iter().map(|e| e.policy.source(world)).collect();
    let forget = |source: PolicySource, policy: &mut Policy| {
        if !shown.contains(&Some(source)) {
            for s in &mut policy.statements {
                s.lines = None;
            }
        }
    };
    for (key, k) in world.keys.iter_mut().enumerate() {
        forget(PolicySource::Key { key }, &mut k.policy);
    }
    for (bucket, b) in world.buckets.iter_mut().enumerate() {
        if let Some(p) = &mut b.policy {
            forget(PolicySource::Bucket { bucket }, p);
        }
    }
    for (principal, p) in world.principals.iter_mut().enumerate() {
        for (index, policy) in p.policies.iter_mut().enumerate() {
            forget(PolicySource::Identity { principal, index }, policy);
        }
        if let Some(b) = &mut p.boundary {
            forget(PolicySource::Boundary { principal }, b);
        }
    }
    for (account, a) in world.accounts.iter_mut().enumerate() {
        for (index, policy) in a.scps.iter_mut().enumerate() {
            forget(PolicySource::Scp { account, index }, policy);
        }
        for (index, policy) in a.rcps.iter_mut().enumerate() {
            forget(PolicySource::Rcp { account, index }, policy);
        }
    }
}

/// Puts `policy` where `r` names it in `world` (`None`: remove it; for an
/// identity policy, an empty policy keeps the other policies' numbers).
fn place(world: &mut World, r: &PolicyRef, policy: Option<Policy>) {
    match r {
        PolicyRef::Key(arn) => {
            if let (Some(k), Some(p)) = (world.keys.iter_mut().find(|k| k.arn == *arn), policy) {
                k.policy = p;
            }
        }
        PolicyRef::Identity { principal, index } => {
            if let Some(p) = world.principals.iter_mut().find(|p| p.arn == *principal) {
                let policy = policy.unwrap_or(Policy {
                    kind: PolicyKind::Identity,
                    version: None,
                    id: None,
                    statements: Vec::new(),
                    text: "".into(),
                });
                match p.policies.get_mut(*index) {
                    Some(slot) => *slot = policy,
                    None => p.policies.push(policy),
                }
            }
        }
        PolicyRef::Boundary(arn) => {
            if let Some(p) = world.principals.iter_mut().find(|p| p.arn == *arn) {
                p.boundary = policy;
            }
        }
        PolicyRef::Bucket(name) => {
            if let Some(b) = world.buckets.iter_mut().find(|b| b.name == *name) {
                b.policy = policy;
            }
        }
        PolicyRef::Scp { account, index } => {
            if let (Some(a), Some(p)) =
                (world.accounts.iter_mut().find(|a| a.id == *account), policy)
            {
                match a.scps.get_mut(*index) {
                    Some(slot) => *slot = p,
                    None => a.scps.push(p),
                }
            }
        }
        PolicyRef::Rcp { account, index } => {
            if let (Some(a), Some(p)) =
                (world.accounts.iter_mut().find(|a| a.id == *account), policy)
            {
                match a.rcps.get_mut(*index) {
                    Some(slot) => *slot = p,
                    None => a.rcps.push(p),
                }
            }
        }
    }
}
