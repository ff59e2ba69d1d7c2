//! Exams in the progress file beyond their results: the answers of an
//! exam still being taken (saved as each is given, so a crash, a signal or
//! a stray byte loses none), and how many times each seed was started, for
//! the attempt limit of the exam controls (docs/grading.md).

use serde::{Deserialize, Serialize};

use super::record::{AnswerRecord, QuizProgress};

/// An exam started and not yet submitted or stopped: its answers so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenExam {
    /// When it started (unix seconds): the exam's identity.
    pub started_at: u64,
    /// The seed it was drawn with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// When its time runs out (unix seconds): after that, a draft still
    /// open was left by a process that ended without saving.
    #[serde(default)]
    pub ends_at: u64,
    /// The answers given so far, as stopping the exam would record them.
    #[serde(default)]
    pub answers: Vec<AnswerRecord>,
}

impl QuizProgress {
    /// Keeps `draft` as the open exam it names (replacing its older copy).
    pub fn save_open_exam(&mut self, draft: OpenExam) {
        match self
            .open_exams
            .iter_mut()
            .find(|o| o.started_at == draft.started_at)
        {
            Some(slot) => *slot = draft,
            None => self.open_exams.push(draft),
        }
    }

    /// Forgets the open exam started at `started_at` (it was submitted or
    /// stopped, and its answers recorded the usual way).
    pub fn close_open_exam(&mut self, started_at: u64) {
        self.open_exams.retain(|o| o.started_at != started_at);
    }

    /// Moves the answers of open exams into the history, as `q` would
    /// have kept them: the one started at `started_at`, or, when `None`,
    /// every one whose time ran out before `now` (left by a process that
    /// was killed; an exam another process is still taking is left alone).
    /// Returns how many answers were kept.
    pub fn settle_open_exams(&mut self, started_at: Option<u64>, now: u64) -> usize {
        let (settle, keep): (Vec<OpenExam>, Vec<OpenExam>) = std::mem::take(&mut self.open_exams)
            .into_iter()
            .partition(|o| match started_at {
                Some(s) => s == o.started_at,
                None => o.ends_at <= now,
            });
        self.open_exams = keep;
        let mut kept = 0;
        for o in settle {
            for r in o.answers {
                self.record_answer(r);
                kept += 1;
            }
        }
        kept
    }

    /// How many exams were started with `seed`.
    pub fn attempts(&self, seed: u64) -> u32 {
        self.exam_attempts
            .get(&seed.to_string())
            .copied()
            .unwrap_or(0)
    }

    /// Counts one more exam started with `seed`.
    pub fn count_attempt(&mut self, seed: u64) {
        let n = self.exam_attempts.entry(seed.to_string()).or_insert(0);
        *n = n.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(q: &str, started: u64) -> AnswerRecord {
        AnswerRecord {
            question: q.into(),
            at: started + 5,
            mode: "exam".into(),
            correct: true,
            quiz_started: Some(started),
            ..AnswerRecord::default()
        }
    }

    #[test]
    fn an_open_exam_is_replaced_as_answers_come_and_settled_into_history() {
        let mut q = QuizProgress::default();
        let mut draft = OpenExam {
            started_at: 10,
            seed: Some(4),
            ends_at: 100,
            answers: vec![answer("a", 10)],
        };
        q.save_open_exam(draft.clone());
        draft.answers.push(answer("b", 10));
        q.save_open_exam(draft);
        q.save_open_exam(OpenExam {
            started_at: 20,
            seed: None,
            ends_at: 200,
            answers: vec![answer("c", 20)],
        });
        assert_eq!(q.open_exams.len(), 2);
        assert_eq!(q.settle_open_exams(Some(10), 0), 2);
        assert_eq!(q.answers.len(), 2);
        assert_eq!(q.open_exams.len(), 1);
        // Still running (its time is not up): left alone.
        assert_eq!(q.settle_open_exams(None, 199), 0);
        assert_eq!(q.settle_open_exams(None, 200), 1);
        assert!(q.open_exams.is_empty());
        assert_eq!(q.answers.len(), 3);
        q.close_open_exam(20);
        assert_eq!(q.answers.len(), 3);
    }

    #[test]
    fn attempts_are_counted_per_seed() {
        let mut q = QuizProgress::default();
        assert_eq!(q.attempts(7), 0);
        q.count_attempt(7);
        q.count_attempt(7);
        q.count_attempt(8);
        assert_eq!((q.attempts(7), q.attempts(8), q.attempts(9)), (2, 1, 0));
        let json = serde_json::to_string(&q).expect("serialise");
        let back: QuizProgress = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.attempts(7), 2);
    }
}
