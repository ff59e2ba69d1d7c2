//! Question exchange with learning platforms: the pack's question bank as
//! Moodle GIFT or as a QTI 2.1 content package (Canvas, and Moodle with its
//! QTI plugin), and GIFT files read back into the pack's question TOML.
//!
//! Every format goes through one neutral form, [`ExQuestion`]: a stem, an
//! optional code block, choices and the right ones. A policy question
//! becomes a single-choice question whose choices are the answers the quiz
//! offers (ALLOW, or DENY with each reason) and whose code block is the
//! scenario as the quiz shows it: rebuilt from the parsed world, so no
//! `expect`, comment or file name can reach the export.

pub mod bank;
pub mod gift;
mod gift_read;
mod html;
pub mod qti;
pub mod zip;

use crate::core::content::{Inline, Pack, Question, QuestionKind};
use crate::core::quiz::labels::{DENY_REASONS, reason_label};
use crate::core::quiz::scenario_view;
use crate::core::world::Verdict;

pub use gift_read::{GiftItem, GiftRead, Skipped, read_gift};

/// How an exchanged question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExKind {
    /// One right choice.
    Single,
    /// Several right choices, all to be picked.
    Multiple,
    /// True or false: the choices are `True` and `False`.
    TrueFalse,
}

/// A question in the form every exchange format is written from and read
/// into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExQuestion {
    /// The question's id (GIFT title, QTI identifier).
    pub id: String,
    /// How it is answered.
    pub kind: ExKind,
    /// The question text, with the pack's inline markup (`*em*`,
    /// `**strong**`, `` `code` ``; glossary links become their words).
    pub stem: String,
    /// Lines shown as a code block under the stem (a policy question's
    /// scenario); empty for other questions.
    pub code: Vec<String>,
    /// The choices, in the file's order (`True`, `False` for true/false).
    pub choices: Vec<String>,
    /// 0-based indexes of the right choices.
    pub answer: Vec<usize>,
    /// Why the answer is right (the pack's explanation).
    pub feedback: String,
    /// The question's objectives (the first names the GIFT category).
    pub objectives: Vec<String>,
}

/// The choices a policy question offers, as the quiz offers them: ALLOW,
/// then DENY with each reason.
pub fn policy_choices() -> Vec<String> {
    std::iter::once("ALLOW".to_string())
        .chain(
            DENY_REASONS
                .iter()
                .map(|r| format!("DENY, {}", reason_label(*r))),
        )
        .collect()
}

/// The pack's question bank in exchange form, in bank order, and a note
/// for each question that could not be converted (a policy question whose
/// scenario does not load).
pub fn from_pack(pack: &Pack) -> (Vec<ExQuestion>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for q in &pack.questions {
        match convert(pack, q) {
            Ok(x) => out.push(x),
            Err(why) => notes.push(format!(
                "{}:{}: question {:?} skipped: {why}",
                q.path, q.line, q.id
            )),
        }
    }
    (out, notes)
}

fn convert(pack: &Pack, q: &Question) -> Result<ExQuestion, String> {
    let flat = |t: &str| flatten(pack, t);
    let base = ExQuestion {
        id: q.id.clone(),
        kind: ExKind::Single,
        stem: flat(&q.prompt),
        code: Vec::new(),
        choices: q.choices.iter().map(|c| flat(c)).collect(),
        answer: q.answer.clone(),
        feedback: flat(&q.explanation),
        objectives: q.objectives.clone(),
    };
    match q.kind {
        QuestionKind::Single => Ok(base),
        QuestionKind::Multiple => Ok(ExQuestion {
            kind: ExKind::Multiple,
            ..base
        }),
        QuestionKind::TrueFalse => Ok(ExQuestion {
            kind: ExKind::TrueFalse,
            choices: vec!["True".to_string(), "False".to_string()],
            ..base
        }),
        QuestionKind::Policy => {
            let policy = q
                .policy
                .as_ref()
                .ok_or("the policy engine gave no answer")?;
            let code = scenario_view::question_view(pack, q).map_err(|e| e.to_string())?;
            let right = match policy.verdict {
                Verdict::Allow => 0,
                Verdict::Deny => DENY_REASONS
                    .iter()
                    .position(|r| *r == policy.reason)
                    .map(|i| i + 1)
                    .ok_or("the engine's reason is not one the quiz offers")?,
            };
            // The feedback is the author's explanation only: the engine's
            // own sentence cites line numbers of a file the learner never
            // sees.
            Ok(ExQuestion {
                code,
                choices: policy_choices(),
                answer: vec![right],
                ..base
            })
        }
    }
}

/// `text` with the pack's inline markup kept, except glossary links, which
/// become the words they show (a platform has no glossary).
pub fn flatten(pack: &Pack, text: &str) -> String {
    pack.styled(text)
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Emph(t) => format!("*{t}*"),
            Inline::Strong(t) => format!("**{t}**"),
            Inline::Code(t) => format!("`{t}`"),
            Inline::TermLink { text, .. } => text.clone(),
        })
        .collect()
}
