//! The review of an exam taken earlier, rebuilt from progress: the
//! questions in the order asked (from the exam record) with the answers
//! recorded for that exam, the right answers and the explanations. The
//! exam controls may have hidden these in the score report; this is how
//! the learner sees them once the instructor allows it.

use super::labels::reason_label;
use super::record::{AnswerRecord, ExamRecord, QuizProgress};
use crate::core::content::{Pack, Question, QuestionKind};
use crate::core::world::{Reason, Verdict};

/// One question of a past exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastEntry {
    /// The question id.
    pub id: String,
    /// The prompt (`None`: the pack no longer has the question).
    pub prompt: Option<String>,
    /// The answer given, in words (`None`: unanswered).
    pub given: Option<String>,
    /// Whether it was right.
    pub correct: bool,
    /// The right answer, in words.
    pub right: String,
    /// Why.
    pub explanation: String,
}

/// The latest submitted exam, if any.
pub fn last_exam(quiz: &QuizProgress) -> Option<&ExamRecord> {
    quiz.exams.iter().max_by_key(|e| (e.at, e.started_at))
}

/// The review of `exam`, one entry per question asked, in order. Choices
/// are named by their text (the letters were shuffled for the exam).
pub fn review(pack: &Pack, quiz: &QuizProgress, exam: &ExamRecord) -> Vec<PastEntry> {
    exam.questions
        .iter()
        .map(|id| {
            let record = quiz
                .answers
                .iter()
                .rev()
                .find(|a| a.question == *id && a.quiz_started == Some(exam.started_at));
            let question = pack.questions.iter().find(|q| q.id == *id);
            match question {
                Some(q) => PastEntry {
                    id: id.clone(),
                    prompt: Some(q.prompt.clone()),
                    given: record.filter(|r| !r.unanswered).map(|r| given_text(q, r)),
                    correct: record.is_some_and(|r| r.correct),
                    right: right_text(q),
                    explanation: q.explanation.clone(),
                },
                None => PastEntry {
                    id: id.clone(),
                    prompt: None,
                    given: None,
                    correct: record.is_some_and(|r| r.correct),
                    right: String::new(),
                    explanation: String::new(),
                },
            }
        })
        .collect()
}

fn choices_text(q: &Question, picked: &[usize]) -> String {
    let texts: Vec<&str> = picked
        .iter()
        .filter_map(|&i| q.choices.get(i).map(String::as_str))
        .collect();
    texts.join("; ")
}

fn policy_text(verdict: Verdict, reason: Option<Reason>) -> String {
    match (verdict, reason) {
        (Verdict::Deny, Some(r)) => format!("DENY, {}", reason_label(r)),
        (Verdict::Deny, None) => "DENY".into(),
        (Verdict::Allow, _) => "ALLOW".into(),
    }
}

fn given_text(q: &Question, r: &AnswerRecord) -> String {
    match q.kind {
        QuestionKind::Policy => {
            let verdict = match r.verdict.as_deref() {
                Some("allow") => Verdict::Allow,
                _ => Verdict::Deny,
            };
            let reason = r.reason.as_deref().and_then(Reason::from_code);
            policy_text(verdict, reason)
        }
        _ => choices_text(q, &r.chosen),
    }
}

fn right_text(q: &Question) -> String {
    match (&q.kind, &q.policy) {
        (QuestionKind::Policy, Some(p)) => policy_text(p.verdict, q.ask_reason.then_some(p.reason)),
        _ => choices_text(q, &q.answer),
    }
}
