//! The score report of a submitted exam.

use super::record::Tally;
use super::session::{Response, Session};

/// One objective's line in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveLine {
    /// Objective id.
    pub id: String,
    /// Its title (the id if the pack does not name it).
    pub title: String,
    /// Right out of the exam's questions tagged with it.
    pub tally: Tally,
}

/// One question's entry in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEntry {
    /// 0-based position in the exam (an index into the session's items).
    pub index: usize,
    /// The answer given (shown positions), `None` if unanswered.
    pub given: Option<Response>,
    /// The right answer.
    pub right: Response,
    /// Whether the given answer is right (unanswered is wrong).
    pub correct: bool,
    /// Whether it was flagged for review when submitted.
    pub flagged: bool,
}

/// What the learner sees after an exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamReport {
    /// Right answers out of all questions (unanswered count as wrong).
    pub score: Tally,
    /// The pass mark in percent.
    pub pass_mark: u32,
    /// Whether the score reached the pass mark (compared exactly, not
    /// after rounding the percentage).
    pub passed: bool,
    /// Questions left unanswered.
    pub unanswered: usize,
    /// Whether the timer ran out.
    pub auto_submitted: bool,
    /// Seconds from start to submission.
    pub seconds: u64,
    /// Per objective (in the pack's objective order, then any others by id).
    pub objectives: Vec<ObjectiveLine>,
    /// Every question in exam order.
    pub entries: Vec<ReviewEntry>,
}

impl ExamReport {
    pub(crate) fn new(session: &Session, pass_mark: u32, at: u64, auto: bool) -> ExamReport {
        let mut entries = Vec::new();
        let mut lines: Vec<ObjectiveLine> = session
            .objectives
            .iter()
            .map(|o| ObjectiveLine {
                id: o.id.clone(),
                title: o.title.clone(),
                tally: Tally::default(),
            })
            .collect();
        let mut score = Tally::default();
        for (index, item) in session.items.iter().enumerate() {
            let given = session.given(index);
            let correct = given.is_some_and(|g| g.correct);
            score.total += 1;
            score.right += u32::from(correct);
            for objective in &item.question.objectives {
                let pos = match lines.iter().position(|l| &l.id == objective) {
                    Some(p) => p,
                    None => {
                        lines.push(ObjectiveLine {
                            id: objective.clone(),
                            title: objective.clone(),
                            tally: Tally::default(),
                        });
                        lines.len() - 1
                    }
                };
                if let Some(line) = lines.get_mut(pos) {
                    line.tally.total += 1;
                    line.tally.right += u32::from(correct);
                }
            }
            entries.push(ReviewEntry {
                index,
                given: given.map(|g| g.response.clone()),
                right: item.right_response(),
                correct,
                flagged: session.is_flagged(index),
            });
        }
        lines.retain(|l| l.tally.total > 0);
        ExamReport {
            score,
            pass_mark,
            passed: u64::from(score.right) * 100 >= u64::from(pass_mark) * u64::from(score.total),
            unanswered: session.unanswered(),
            auto_submitted: auto,
            seconds: at.saturating_sub(session.started_at),
            objectives: lines,
            entries,
        }
    }

    /// The overall percentage, rounded to the nearest integer.
    pub fn percent(&self) -> u32 {
        self.score.percent()
    }
}
