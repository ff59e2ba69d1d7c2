//! The questions a drill asks about its world: is the request allowed (and
//! if not, why), which policy must change, and which of four edits makes it
//! work without letting anyone else in.

use super::catalog::Place;
use super::edits::{Edit, Effect};
use super::rng::Rng;
use super::spec::{Spec, sid_of};
use crate::core::quiz::labels::{DENY_REASONS, reason_label};
use crate::core::world::{Reason, Verdict};

/// What a question asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Allow or deny, and why.
    Verdict,
    /// Which policy must change.
    Policy,
    /// Which statement of that policy must change (or that one is missing).
    Statement,
    /// Which edit works without over-granting.
    Edit,
    /// Edit the policy yourself (the lab editor; graded by the engine).
    Fix,
}

impl Kind {
    /// `verdict`, `policy`, `statement`, `edit`, `fix`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Verdict => "verdict",
            Kind::Policy => "policy",
            Kind::Statement => "statement",
            Kind::Edit => "edit",
            Kind::Fix => "fix",
        }
    }
}

/// The right answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The verdict and its reason.
    Verdict(Verdict, Reason),
    /// The index of the right choice.
    Choice(usize),
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// What it asks.
    pub kind: Kind,
    /// The stem.
    pub stem: String,
    /// The choices (for a verdict question: the deny reasons in words).
    pub choices: Vec<String>,
    /// Per choice: why it is right or wrong (may be empty).
    pub feedback: Vec<String>,
    /// The right answer.
    pub answer: Answer,
}

impl Question {
    /// Whether `given` is right: for a verdict question the verdict and,
    /// when denied, the reason; else the choice.
    pub fn check(&self, given: &Answer) -> bool {
        match (&self.answer, given) {
            (Answer::Verdict(Verdict::Allow, _), Answer::Verdict(v, _)) => *v == Verdict::Allow,
            (Answer::Verdict(v, r), Answer::Verdict(gv, gr)) => v == gv && r == gr,
            (Answer::Choice(i), Answer::Choice(g)) => i == g,
            _ => false,
        }
    }
}

/// Is it allowed, and why not.
pub fn verdict(spec: &Spec, verdict: Verdict, reason: Reason) -> Question {
    Question {
        kind: Kind::Verdict,
        stem: format!(
            "In this world, {} calls {} on {}. Is it allowed? If it is denied, why?",
            spec.request.principal, spec.request.action, spec.request.resource
        ),
        choices: DENY_REASONS
            .iter()
            .map(|r| reason_label(*r).to_string())
            .collect(),
        feedback: Vec::new(),
        answer: Answer::Verdict(verdict, reason),
    }
}

/// The words of the "no policy" choice.
pub const NO_POLICY: &str =
    "No policy edit can make it work: something other than a policy must change";

/// Which policy must change.
pub fn policy(spec: &Spec, place: &Place, rng: &mut Rng) -> Question {
    let mut others: Vec<String> = Vec::new();
    let mut right_label = None;
    for slot in spec.slots() {
        let label = spec.label(slot);
        match place {
            Place::Policy { slot: s, .. } if *s == slot => right_label = Some(label),
            _ => others.push(label),
        }
    }
    rng.shuffle(&mut others);
    let right = right_label.clone().unwrap_or_else(|| NO_POLICY.to_string());
    // Policies in random order, "no policy" always last, so where the
    // right answer stands says nothing.
    let mut choices: Vec<String> = others
        .into_iter()
        .take(if right_label.is_some() { 3 } else { 4 })
        .collect();
    if let Some(l) = &right_label {
        choices.push(l.clone());
    }
    rng.shuffle(&mut choices);
    choices.push(NO_POLICY.to_string());
    let answer = choices.iter().position(|c| *c == right).unwrap_or(0);
    let feedback = choices
        .iter()
        .map(|c| {
            if *c == right {
                match place {
                    Place::Policy {
                        sid, added: true, ..
                    } => {
                        format!("This policy needs a new statement (such as {sid}).")
                    }
                    Place::Policy { sid, .. } => {
                        format!("This policy's statement {sid} decides.")
                    }
                    Place::Elsewhere { fix } => format!("No policy: {fix}."),
                }
            } else {
                "Not this one: changing it does not decide this request.".to_string()
            }
        })
        .collect();
    Question {
        kind: Kind::Policy,
        stem: "The request is denied. Which policy must change to allow it (and nothing more)?"
            .into(),
        choices,
        feedback,
        answer: Answer::Choice(answer),
    }
}

/// The words of the "a statement is missing" choice.
pub const NEW_STATEMENT: &str = "None of these: the policy needs a new statement";

/// Which statement of the policy that must change decides: its statements
/// in the order they are written, then "a new statement". `None` when the
/// defect is not in a policy, or the policy has no statement to pick from.
pub fn statement(spec: &Spec, place: &Place) -> Option<Question> {
    let Place::Policy { slot, sid, added } = place else {
        return None;
    };
    let doc = spec.doc(*slot)?;
    let sids: Vec<&str> = doc.statements.iter().filter_map(sid_of).collect();
    if sids.is_empty() {
        return None;
    }
    let mut choices: Vec<String> = sids.iter().map(|s| format!("Statement {s}")).collect();
    choices.push(NEW_STATEMENT.to_string());
    let answer = if *added {
        choices.len() - 1
    } else {
        sids.iter().position(|s| s == sid)?
    };
    let feedback = (0..choices.len())
        .map(|i| match (i == answer, *added) {
            (true, true) => format!(
                "Right: no statement there covers the request; one such as {sid} must be added."
            ),
            (true, false) => format!("Right: statement {sid} is the one to change."),
            (false, _) => {
                "Not this one: changing it alone does not decide this request.".to_string()
            }
        })
        .collect();
    Some(Question {
        kind: Kind::Statement,
        stem: format!(
            "In the {}, which statement must change to allow the request (or does it need a new one)?",
            spec.label(*slot)
        ),
        choices,
        feedback,
        answer: Answer::Choice(answer),
    })
}

/// Which edit works without letting anyone else in: the right edit and
/// three wrong ones, shuffled.
pub fn edit(right: &Edit, wrong: &[Edit], rng: &mut Rng) -> (Question, Vec<Edit>) {
    let mut all: Vec<&Edit> = std::iter::once(right).chain(wrong.iter().take(3)).collect();
    rng.shuffle(&mut all);
    let answer = all
        .iter()
        .position(|e| std::ptr::eq(*e, right))
        .unwrap_or(0);
    let question = Question {
        kind: Kind::Edit,
        stem: "Which one of these edits makes the request work without letting anyone else in?"
            .into(),
        choices: all.iter().map(|e| e.text.clone()).collect(),
        feedback: all
            .iter()
            .map(|e| match &e.effect {
                Effect::Works => {
                    "This edit allows the request, and every other caller and action stays denied."
                        .to_string()
                }
                Effect::Fails(reason) => format!("Still denied ({}).", reason.replace('_', " ")),
                Effect::OverGrants(probe) => {
                    format!("It works, but lets too much in: {probe} would be allowed too.")
                }
            })
            .collect(),
        answer: Answer::Choice(answer),
    };
    (question, all.into_iter().cloned().collect())
}
