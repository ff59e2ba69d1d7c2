//! Policy labs: a scenario in the engine's format plus teaching fields (a
//! `[lab]` table), read from `content/labs/*.toml` (CONTENT.md,
//! "labs/*.toml").
//!
//! The engine ignores the `[lab]` table, so `keyshake eval` grades a lab
//! file as it stands (its starting state fails at least one goal). This
//! module reads the teaching fields, checks them against the scenario, and
//! gives the lab screen what it needs: the starting texts of the editable
//! policies, a world rebuilt from the learner's texts, the goals met or not,
//! and a scenario export that `keyshake eval` grades.

//!
//! The module is split by job: [`parse`] reads and checks a lab file,
//! `scenario` opens any scenario file as a sandbox lab, `edit` rebuilds the
//! world from the learner's texts and grades it, `export` writes the
//! scenario `keyshake eval` grades.

mod edit;
mod export;
mod parse;
mod raw;
mod scenario;
mod submission;
#[cfg(test)]
mod tests;

use super::markup::{Block, LinkRef};
use crate::core::eval::{Outcome, PolicySource};
use crate::core::world::{Reason, Verdict, World};

pub use crate::core::world::policy_ref::PolicyRef;
pub(super) use export::EMPTY_IDENTITY;
pub use export::ExportHeader;
pub(super) use parse::markup_field_with;
pub use submission::{Submission, Tamper, read_header};

/// One policy the learner may edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editable {
    /// Which policy.
    pub policy: PolicyRef,
    /// The editor tab's label ([`PolicyRef::label`]).
    pub label: String,
    /// The text the lab starts from (empty if the policy is absent at the
    /// start: the learner writes it).
    pub start: String,
    /// The reference solution's full text (empty: the solution removes it).
    pub solution: String,
}

/// One goal: a request of the scenario that must end as `expect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// Index into the world's requests.
    pub request: usize,
    /// What the goal says, from the request's `name`.
    pub text: String,
    /// Must be allowed, or must stay denied. Always set in a lab; `None`
    /// for a sandbox request without `expect` (shown, never judged).
    pub expect: Option<Verdict>,
    /// Also the reason, if the lab file gives `expect_reason`.
    pub expect_reason: Option<Reason>,
    /// The request's line in the lab file.
    pub line: usize,
}

impl Goal {
    /// Whether `outcome` meets the goal (as `keyshake eval` judges it).
    /// A goal without an expectation is always met.
    pub fn met_by(&self, outcome: &Outcome) -> bool {
        crate::core::world::model::judge(self.expect, self.expect_reason, outcome).unwrap_or(true)
    }
}

/// One goal evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalStatus {
    /// Whether the outcome meets the goal.
    pub met: bool,
    /// The engine's outcome for the goal's request.
    pub outcome: Outcome,
}

/// Every goal of a lab evaluated against one world, in goal order.
#[derive(Debug, Clone, PartialEq)]
pub struct LabStatus {
    /// One entry per [`Lab::goals`] entry.
    pub goals: Vec<GoalStatus>,
}

impl LabStatus {
    /// All goals met.
    pub fn solved(&self) -> bool {
        self.goals.iter().all(|g| g.met)
    }

    /// How many goals are met.
    pub fn met_count(&self) -> usize {
        self.goals.iter().filter(|g| g.met).count()
    }
}

/// A policy lab.
#[derive(Debug, Clone)]
pub struct Lab {
    /// Stable id.
    pub id: String,
    /// The scenario's `title`.
    pub title: String,
    /// Objective ids it trains.
    pub objectives: Vec<String>,
    /// The story, in lesson markup.
    pub story: Vec<Block>,
    /// The policies the learner may edit, in the order of `editable`.
    pub editable: Vec<Editable>,
    /// The goals (every request of the scenario), in file order.
    pub goals: Vec<Goal>,
    /// Hints, revealed one at a time, in markup.
    pub hints: Vec<Vec<Block>>,
    /// Shown when the lab is solved, in markup.
    pub explanation: Vec<Block>,
    /// The file, as shown in diagnostics.
    pub path: String,
    /// Opened with `keyshake lab FILE`: every policy of a scenario is
    /// editable, there are no hints or solution, and requests without
    /// `expect` are shown but not judged ([`Lab::sandbox`]).
    pub sandbox: bool,
    /// The starting world.
    world: World,
    /// The file parsed as a TOML table (for exports).
    table: toml::Table,
    /// Objective ids and term links with their positions, for the pack's
    /// cross-reference checks.
    pub(super) refs: LabRefs,
}

/// Positions the pack loader checks against objectives and the glossary.
#[derive(Debug, Clone, Default)]
pub(super) struct LabRefs {
    /// (objective id, line, column).
    pub objectives: Vec<(String, usize, usize)>,
    /// Term links in the story, hints and explanation.
    pub links: Vec<LinkRef>,
    /// Line and column of the `id` value.
    pub id_at: (usize, usize),
}

impl PartialEq for Lab {
    /// Two labs are equal when they were read from the same file text.
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.table == other.table
    }
}

impl Eq for Lab {}

impl Lab {
    /// Whether the file sets any expectation (a sandbox can be "solved"
    /// only then).
    pub fn has_expectations(&self) -> bool {
        self.goals.iter().any(|g| g.expect.is_some())
    }

    /// The starting world (the lab file's scenario as written).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The editable policy `r`, if the lab has it.
    pub fn editable(&self, r: &PolicyRef) -> Option<&Editable> {
        self.editable.iter().find(|e| e.policy == *r)
    }

    /// The editable policy a trace entry's source is about (so the screen
    /// can open its tab and highlight the deciding statement), if it is
    /// editable. `world` is the world the trace came from.
    pub fn editable_at(&self, world: &World, source: PolicySource) -> Option<&Editable> {
        self.editable
            .iter()
            .find(|e| e.policy.source(world) == Some(source))
    }
}
