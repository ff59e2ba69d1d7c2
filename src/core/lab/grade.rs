//! Grading a student's exported lab against the pack's lab: the student's
//! editable policies, the pack's goals, one point per goal met and one for
//! passing the security review the lab screen applies (no `error` or
//! `security_warning` finding, no over-broad grant on a learner's policy).

use std::rc::Rc;

use super::{Blocker, Workbench};
use crate::core::content::{Lab, Submission, Tamper};
use crate::core::diag::Diagnostic;

/// One goal of the pack's lab, judged on the student's policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalGrade {
    /// The goal's text (the request's `name`).
    pub text: String,
    /// Whether the student's policies meet it.
    pub met: bool,
    /// What the engine decided and what the goal wants, in words.
    pub detail: String,
}

/// The grade of one student's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// The lab graded.
    pub lab: String,
    /// One entry per goal of the pack's lab, in order.
    pub goals: Vec<GoalGrade>,
    /// The student's policies that do not parse (every goal then counts
    /// as not met).
    pub errors: Vec<Diagnostic>,
    /// What the security review holds against the student's policies
    /// (empty: the review passes).
    pub review: Vec<String>,
    /// Parts of the file outside the editable policies that differ from
    /// the lab; reported, never graded.
    pub tampering: Vec<Tamper>,
    /// The file's export header (as written, not trusted).
    pub header: Vec<(String, String)>,
}

impl Grade {
    /// Points earned: one per goal met, one for the review.
    pub fn points(&self) -> usize {
        self.goals.iter().filter(|g| g.met).count() + usize::from(self.review_passed())
    }

    /// Points possible.
    pub fn max_points(&self) -> usize {
        self.goals.len() + 1
    }

    /// The security review passes (and the policies parse).
    pub fn review_passed(&self) -> bool {
        self.errors.is_empty() && self.review.is_empty()
    }

    /// Every goal met and the review passed: the lab counts as solved.
    pub fn solved(&self) -> bool {
        self.points() == self.max_points()
    }
}

/// Grades `submission` (read with [`Lab::read_submission`]) against `lab`.
pub fn grade(lab: &Lab, submission: Submission) -> Grade {
    let texts: Vec<String> = submission.edits.iter().map(|(_, t)| t.clone()).collect();
    let bench = Workbench::new(Rc::new(lab.clone()), texts, false);
    let stale = bench.stale();
    let (_, status) = bench.results();
    let goals = lab
        .goals
        .iter()
        .zip(&status.goals)
        .map(|(g, s)| {
            let want = match g.expect {
                Some(v) => match g.expect_reason {
                    Some(r) => format!("{} ({})", v.code(), r.code()),
                    None => v.code().to_string(),
                },
                None => "anything".to_string(),
            };
            let detail = if stale {
                format!("not judged: a policy does not parse (the goal wants {want})")
            } else {
                format!(
                    "the engine decides {} ({}); the goal wants {want}",
                    s.outcome.verdict.code(),
                    s.outcome.reason.code()
                )
            };
            GoalGrade {
                text: g.text.clone(),
                met: s.met && !stale,
                detail,
            }
        })
        .collect();
    let review = bench
        .blockers()
        .iter()
        .filter(|b| matches!(b, Blocker::Finding { .. } | Blocker::OverBroad { .. }))
        .map(|b| review_line(lab, b))
        .collect();
    Grade {
        lab: lab.id.clone(),
        goals,
        errors: bench.errors().to_vec(),
        review,
        tampering: submission.tampering,
        header: submission.header,
    }
}

/// A review blocker in words, naming the policy rather than the tab.
fn review_line(lab: &Lab, b: &Blocker) -> String {
    let name = |tab: usize| {
        lab.editable
            .get(tab)
            .map_or_else(|| format!("policy {}", tab + 1), |e| e.policy.to_string())
    };
    match b {
        Blocker::Finding { tab, finding } => format!(
            "{}, line {}: {} [{}]: {}",
            name(*tab),
            finding.line,
            finding.severity.label(),
            finding.code,
            finding.message
        ),
        Blocker::OverBroad { tab, grant } => match grant.line {
            Some(line) => format!("{}, line {line}: {}", name(*tab), grant.message),
            None => format!("{}: {}", name(*tab), grant.message),
        },
        other => other.describe(lab),
    }
}
