//! One quiz being taken: the questions with their shuffled choices, the
//! answers given, flags, time spent, and (in an exam) the timer. Every
//! method that depends on time takes `now` (unix seconds) from the caller,
//! so a test drives the clock.

use std::collections::BTreeMap;

use super::record::{AnswerRecord, ExamRecord, Tally};
use super::{Mode, report::ExamReport};
use crate::core::content::{Objective, Question, QuestionKind};
use crate::core::world::{Reason, Verdict};

/// Seconds before the end of an exam at which the learner is warned.
pub const WARNING_SECONDS: u64 = 120;

/// A question as asked: the question and the order its choices are shown in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The question from the bank.
    pub question: Question,
    /// For each shown position, the index of the choice in the question
    /// file (a permutation of `0..choices.len()`).
    pub order: Vec<usize>,
}

impl Item {
    /// The choices in the order shown.
    pub fn choices(&self) -> Vec<&str> {
        self.order
            .iter()
            .filter_map(|&i| self.question.choices.get(i).map(String::as_str))
            .collect()
    }

    /// Shown positions → indexes in the question file.
    pub fn to_original(&self, shown: &[usize]) -> Vec<usize> {
        shown
            .iter()
            .filter_map(|&s| self.order.get(s).copied())
            .collect()
    }

    /// The shown positions of the right choices, ascending.
    pub fn right_shown(&self) -> Vec<usize> {
        let mut shown: Vec<usize> = self
            .order
            .iter()
            .enumerate()
            .filter(|(_, orig)| self.question.answer.contains(orig))
            .map(|(pos, _)| pos)
            .collect();
        shown.sort_unstable();
        shown
    }

    /// Whether a DENY to this question is followed by the question "why?".
    /// True for every policy question, whatever its verdict and whatever
    /// the file's `ask_reason` says: a reason prompt that appeared only on
    /// some questions would tell the learner those are denied.
    pub fn asks_reason(&self) -> bool {
        self.question.kind == QuestionKind::Policy
    }

    /// The right answer as a [`Response`] (policy questions: the engine's
    /// verdict, and its reason when the verdict is DENY).
    pub fn right_response(&self) -> Response {
        match &self.question.policy {
            Some(p) if self.question.kind == QuestionKind::Policy => Response::Policy {
                verdict: p.verdict,
                reason: (p.verdict == Verdict::Deny).then_some(p.reason),
            },
            _ => Response::Choices(self.right_shown()),
        }
    }

    /// Whether `response` is right. Choice questions are all-or-nothing;
    /// a policy question needs the engine's verdict and, for a DENY, also
    /// the engine's reason.
    pub fn grade(&self, response: &Response) -> bool {
        match response {
            Response::Choices(shown) => {
                self.question.kind != QuestionKind::Policy
                    && self.question.is_correct(&self.to_original(shown))
            }
            Response::Policy { verdict, reason } => {
                let Some(p) = &self.question.policy else {
                    return false;
                };
                self.question.kind == QuestionKind::Policy
                    && *verdict == p.verdict
                    && (p.verdict == Verdict::Allow || *reason == Some(p.reason))
            }
        }
    }

    /// Checks that `response` is a complete answer of the right shape.
    pub fn validate(&self, response: &Response) -> Result<(), AnswerError> {
        let q = &self.question;
        match (q.kind, response) {
            (QuestionKind::Policy, Response::Policy { verdict, reason }) => {
                if *verdict == Verdict::Deny {
                    match reason {
                        None => return Err(AnswerError::ReasonNeeded),
                        Some(Reason::Allowed) => return Err(AnswerError::AllowedIsNotAReason),
                        Some(_) => {}
                    }
                }
                Ok(())
            }
            (QuestionKind::Policy, Response::Choices(_)) => Err(AnswerError::AllowOrDeny),
            (_, Response::Policy { .. }) => Err(AnswerError::ChoicesExpected),
            (_, Response::Choices(shown)) => {
                if let Some(&bad) = shown.iter().find(|&&s| s >= self.order.len()) {
                    return Err(AnswerError::NoSuchChoice {
                        given: bad,
                        choices: self.order.len(),
                    });
                }
                let mut distinct = shown.clone();
                distinct.sort_unstable();
                distinct.dedup();
                if distinct.len() != q.pick {
                    return Err(AnswerError::PickCount {
                        expected: q.pick,
                        given: distinct.len(),
                    });
                }
                Ok(())
            }
        }
    }
}

/// An answer, with choices as shown positions (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// The chosen positions in the shown order.
    Choices(Vec<usize>),
    /// A policy question's answer.
    Policy {
        /// ALLOW or DENY.
        verdict: Verdict,
        /// Why (asked after every DENY).
        reason: Option<Reason>,
    },
}

/// Why an answer was not accepted. Nothing is recorded; the learner may
/// try again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// A choice number beyond the last choice.
    #[error("there is no choice {}; this question has {choices}", given + 1)]
    NoSuchChoice {
        /// The 0-based position given.
        given: usize,
        /// How many choices there are.
        choices: usize,
    },
    /// Too few or too many choices.
    #[error("choose {expected} (you chose {given})")]
    PickCount {
        /// How many the question asks for.
        expected: usize,
        /// How many distinct choices were given.
        given: usize,
    },
    /// A policy question needs ALLOW or DENY.
    #[error("answer allow or deny")]
    AllowOrDeny,
    /// A choice question was answered with a verdict.
    #[error("this question is answered with its choices, not allow/deny")]
    ChoicesExpected,
    /// DENY without the reason the question asks for.
    #[error("this question also asks why the request is denied")]
    ReasonNeeded,
    /// "allowed" given as the reason of a DENY.
    #[error("a denied request needs a reason for the denial")]
    AllowedIsNotAReason,
    /// Practice modes take one answer per question.
    #[error("this question was already answered")]
    AlreadyAnswered,
    /// The quiz is over (submitted, stopped or out of time).
    #[error("the quiz is over")]
    Over,
    /// The exam's time ran out; it was submitted automatically.
    #[error("time is up: the exam was submitted")]
    TimeUp,
}

/// An answer given in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The answer (shown positions).
    pub response: Response,
    /// Whether it is right.
    pub correct: bool,
    /// When it was (last) given.
    pub at: u64,
}

/// What answering did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// Practice, review or missed: the answer is final; here is whether it
    /// was right and the record to save now.
    Checked {
        /// Whether it was right.
        correct: bool,
        /// The record for [`QuizProgress::record_answer`](super::QuizProgress::record_answer).
        record: Box<AnswerRecord>,
    },
    /// Exam: the answer is kept (and may still change) until submission.
    Kept,
}

/// A timer event of an exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerEvent {
    /// Two minutes (or less) left; reported once.
    Warning {
        /// Seconds left.
        remaining: u64,
    },
    /// Time ran out; the exam has been submitted.
    TimeUp,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Submitted by the learner (or, in practice modes, every question
    /// answered).
    Submitted {
        /// When.
        at: u64,
    },
    /// Submitted when the timer ran out.
    TimeUp {
        /// When the time ran out.
        at: u64,
    },
    /// Stopped by the learner before the end (`q`): no exam result.
    Stopped {
        /// When.
        at: u64,
    },
}

/// One cell of the exam's review grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// 0-based question number.
    pub index: usize,
    /// Whether it has an answer.
    pub answered: bool,
    /// Whether it is flagged for review.
    pub flagged: bool,
    /// Whether it is the question on screen.
    pub current: bool,
}

/// What a submitted exam produced: the report to show and what to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The score report.
    pub report: ExamReport,
    /// The final answers, for [`QuizProgress::record_answer`](super::QuizProgress::record_answer).
    pub answers: Vec<AnswerRecord>,
    /// The exam's result, for [`QuizProgress::record_exam`](super::QuizProgress::record_exam).
    pub exam: ExamRecord,
}

/// Exam settings that a session carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExamClock {
    pub(crate) ends_at: u64,
    pub(crate) pass_mark: u32,
    pub(crate) warned: bool,
}

/// A quiz in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) mode: Mode,
    pub(crate) items: Vec<Item>,
    pub(crate) given: Vec<Option<Given>>,
    pub(crate) flagged: Vec<bool>,
    pub(crate) spent: Vec<u64>,
    pub(crate) current: usize,
    pub(crate) shown_at: u64,
    pub(crate) started_at: u64,
    pub(crate) seed: Option<u64>,
    pub(crate) exam: Option<ExamClock>,
    pub(crate) objectives: Vec<Objective>,
    pub(crate) end: Option<End>,
    /// An exam's controls (the default outside exams).
    pub(crate) controls: super::controls::ExamControls,
}

impl Session {
    /// A session over `items` starting at `now`. For [`Mode::Exam`],
    /// `exam` gives (seconds allowed, pass mark in percent); other modes
    /// ignore it. `objectives` names the objectives in the report.
    pub fn new(
        mode: Mode,
        items: Vec<Item>,
        objectives: Vec<Objective>,
        exam: (u64, u32),
        seed: Option<u64>,
        now: u64,
    ) -> Session {
        let n = items.len();
        Session {
            mode,
            items,
            given: vec![None; n],
            flagged: vec![false; n],
            spent: vec![0; n],
            current: 0,
            shown_at: now,
            started_at: now,
            seed,
            exam: (mode == Mode::Exam).then_some(ExamClock {
                ends_at: now.saturating_add(exam.0),
                pass_mark: exam.1,
                warned: false,
            }),
            objectives,
            end: None,
            controls: super::controls::ExamControls::default(),
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The exam controls in force (the default outside exams).
    pub fn controls(&self) -> &super::controls::ExamControls {
        &self.controls
    }

    /// Why an exam's score report must not show the answers and
    /// explanations at `now` (the exam controls), or `None` to show them.
    pub fn review_hidden(&self, now: u64) -> Option<String> {
        self.controls.review_hidden(now)
    }

    /// An exam's answers so far as a draft for progress (what stopping at
    /// `now` would keep), saved as each answer is given.
    pub fn draft(&self, now: u64) -> super::attempts::OpenExam {
        super::attempts::OpenExam {
            started_at: self.started_at,
            seed: self.seed,
            ends_at: self.exam.map_or(self.started_at, |e| e.ends_at),
            answers: self.kept_if_stopped(now),
        }
    }

    /// When the quiz started (unix seconds): its identity in progress.
    pub fn started_at(&self) -> u64 {
        self.started_at
    }

    /// The seed the quiz was built from, if known.
    pub fn seed(&self) -> Option<u64> {
        self.seed
    }

    /// The questions, in the order asked.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// How many questions.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no questions.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The 0-based number of the question on screen.
    pub fn current(&self) -> usize {
        self.current
    }

    /// The question on screen.
    pub fn current_item(&self) -> Option<&Item> {
        self.items.get(self.current)
    }

    /// The answer given to question `index`, if any.
    pub fn given(&self, index: usize) -> Option<&Given> {
        self.given.get(index).and_then(Option::as_ref)
    }

    /// Whether question `index` is flagged for review.
    pub fn is_flagged(&self, index: usize) -> bool {
        self.flagged.get(index).copied().unwrap_or(false)
    }

    /// How the session ended, if it did.
    pub fn end(&self) -> Option<End> {
        self.end
    }

    /// The pass mark in percent (exam only).
    pub fn pass_mark(&self) -> Option<u32> {
        self.exam.map(|e| e.pass_mark)
    }

    /// Seconds left in an exam at `now` (`None` outside exams).
    pub fn remaining(&self, now: u64) -> Option<u64> {
        self.exam.map(|e| e.ends_at.saturating_sub(now))
    }

    /// Right answers out of those given so far.
    pub fn tally(&self) -> Tally {
        let answered = self.given.iter().flatten();
        Tally {
            right: u32::try_from(answered.clone().filter(|g| g.correct).count()).unwrap_or(0),
            total: u32::try_from(answered.count()).unwrap_or(0),
        }
    }

    /// Checks the exam timer at `now`: reports the two-minute warning once,
    /// and when time is up submits the exam (then [`submission`](Self::submission)
    /// gives the result). Call it whenever the screen is about to change.
    pub fn check_timer(&mut self, now: u64) -> Option<TimerEvent> {
        if self.end.is_some() {
            return None;
        }
        if self.expire_if_due(now) {
            return Some(TimerEvent::TimeUp);
        }
        let exam = self.exam.as_mut()?;
        let remaining = exam.ends_at.saturating_sub(now);
        if remaining <= WARNING_SECONDS && !exam.warned {
            exam.warned = true;
            return Some(TimerEvent::Warning { remaining });
        }
        None
    }

    /// Submits a running exam whose time ran out by `now` (as of the
    /// deadline); `true` if it did. Leaves the two-minute warning for
    /// [`check_timer`](Self::check_timer) to report.
    fn expire_if_due(&mut self, now: u64) -> bool {
        let Some(exam) = self.exam else { return false };
        if self.end.is_some() || now < exam.ends_at {
            return false;
        }
        self.leave_current(exam.ends_at);
        self.end = Some(End::TimeUp { at: exam.ends_at });
        true
    }

    /// Answers the question on screen. In an exam whose time has run out
    /// the answer is refused and the exam is submitted as of the deadline.
    pub fn answer(&mut self, response: Response, now: u64) -> Result<Answered, AnswerError> {
        if self.expire_if_due(now) {
            return Err(AnswerError::TimeUp);
        }
        if self.end.is_some() {
            return Err(AnswerError::Over);
        }
        let index = self.current;
        let item = self.items.get(index).ok_or(AnswerError::Over)?;
        item.validate(&response)?;
        let correct = item.grade(&response);
        if self.mode == Mode::Exam {
            if let Some(slot) = self.given.get_mut(index) {
                *slot = Some(Given {
                    response,
                    correct,
                    at: now,
                });
            }
            return Ok(Answered::Kept);
        }
        if self.given(index).is_some() {
            return Err(AnswerError::AlreadyAnswered);
        }
        let seconds = now.saturating_sub(self.shown_at);
        let given = Given {
            response,
            correct,
            at: now,
        };
        let record = self.record(index, &given, seconds, now);
        if let Some(slot) = self.spent.get_mut(index) {
            *slot = seconds;
        }
        if let Some(slot) = self.given.get_mut(index) {
            *slot = Some(given);
        }
        if self.given.iter().all(Option::is_some) {
            self.end = Some(End::Submitted { at: now });
        }
        Ok(Answered::Checked {
            correct,
            record: Box::new(record),
        })
    }

    /// Removes the answer to the question on screen (exam only).
    pub fn clear_answer(&mut self) {
        if self.mode == Mode::Exam
            && self.end.is_none()
            && let Some(slot) = self.given.get_mut(self.current)
        {
            *slot = None;
        }
    }

    /// Shows question `index` (0-based; out of range is ignored). In
    /// practice modes only forward moves to the next question are allowed.
    pub fn go_to(&mut self, index: usize, now: u64) -> bool {
        if index >= self.items.len() || index == self.current || self.end.is_some() {
            return false;
        }
        if self.mode != Mode::Exam && index != self.current + 1 {
            return false;
        }
        self.leave_current(now);
        self.current = index;
        self.shown_at = now;
        true
    }

    /// Shows the next question; `false` at the last one.
    pub fn next(&mut self, now: u64) -> bool {
        self.go_to(self.current + 1, now)
    }

    /// Shows the previous question (exam only); `false` at the first one.
    pub fn prev(&mut self, now: u64) -> bool {
        self.current
            .checked_sub(1)
            .is_some_and(|i| self.go_to(i, now))
    }

    /// Flags or unflags question `index` for review (exam only).
    pub fn toggle_flag(&mut self, index: usize) {
        if self.mode == Mode::Exam
            && self.end.is_none()
            && let Some(f) = self.flagged.get_mut(index)
        {
            *f = !*f;
        }
    }

    /// The review grid: one cell per question.
    pub fn grid(&self) -> Vec<Cell> {
        (0..self.items.len())
            .map(|index| Cell {
                index,
                answered: self.given(index).is_some(),
                flagged: self.is_flagged(index),
                current: index == self.current,
            })
            .collect()
    }

    /// Questions without an answer yet.
    pub fn unanswered(&self) -> usize {
        self.given.iter().filter(|g| g.is_none()).count()
    }

    /// Submits the exam at `now` and returns its result (also for a
    /// session whose timer already submitted it). If the time ran out
    /// before `now`, the exam counts as submitted when it ran out. `None`
    /// outside exams, or if the learner stopped it.
    pub fn submit(&mut self, now: u64) -> Option<Submission> {
        self.check_timer(now);
        if self.end.is_none() && self.mode == Mode::Exam {
            self.leave_current(now);
            self.end = Some(End::Submitted { at: now });
        }
        self.submission()
    }

    /// The result of a submitted exam.
    pub fn submission(&self) -> Option<Submission> {
        let exam = self.exam?;
        let (at, auto) = match self.end? {
            End::Submitted { at } => (at, false),
            End::TimeUp { at } => (at, true),
            End::Stopped { .. } => return None,
        };
        let report = ExamReport::new(self, exam.pass_mark, at, auto);
        // An unanswered question is a wrong answer: it joins Missed and
        // its review card, like any other question the learner did not know.
        let answers = (0..self.items.len())
            .map(|i| {
                let spent = self.spent.get(i).copied().unwrap_or(0);
                match self.given(i) {
                    Some(g) => self.record(i, g, spent, at),
                    None => self.unanswered_record(i, spent, at),
                }
            })
            .collect();
        let record = self.exam_record(&report, exam, at);
        Some(Submission {
            report,
            answers,
            exam: record,
        })
    }

    /// The record of an exam as `report` scores it, ended at `at`.
    fn exam_record(&self, report: &ExamReport, exam: ExamClock, at: u64) -> ExamRecord {
        let mut objectives = BTreeMap::new();
        for line in &report.objectives {
            objectives.insert(line.id.clone(), line.tally);
        }
        ExamRecord {
            started_at: self.started_at,
            at,
            seed: self.seed,
            questions: self.items.iter().map(|i| i.question.id.clone()).collect(),
            score: report.score,
            percent: report.score.percent(),
            pass_mark: exam.pass_mark,
            passed: report.passed,
            objectives,
            auto_submitted: report.auto_submitted,
            minutes: Some(exam.ends_at.saturating_sub(self.started_at) / 60),
            abandoned: false,
            extra: serde_json::Map::new(),
        }
    }

    /// An exam the learner stopped (`q`) before submitting, as the
    /// instructor sees it: the questions, the answers given so far scored
    /// (unanswered as wrong), never passed, and `abandoned` set. `None`
    /// unless this is an exam that was stopped.
    pub fn abandoned(&self) -> Option<ExamRecord> {
        let exam = self.exam?;
        let Some(End::Stopped { at }) = self.end else {
            return None;
        };
        let report = ExamReport::new(self, exam.pass_mark, at, false);
        Some(ExamRecord {
            passed: false,
            abandoned: true,
            ..self.exam_record(&report, exam, at)
        })
    }

    /// Stops the session early (`q`). Returns the records of an exam's
    /// answers given so far (they are kept in the learner's history, but no
    /// exam result is made); practice answers were already returned one by
    /// one, so for them this returns nothing.
    pub fn stop(&mut self, now: u64) -> Vec<AnswerRecord> {
        if self.end.is_some() {
            return Vec::new();
        }
        self.leave_current(now);
        self.end = Some(End::Stopped { at: now });
        if self.mode != Mode::Exam {
            return Vec::new();
        }
        (0..self.items.len())
            .filter_map(|i| {
                let g = self.given(i)?;
                Some(self.record(i, g, self.spent.get(i).copied().unwrap_or(0), now))
            })
            .collect()
    }

    /// What stopping the exam at `now` would keep (the records
    /// [`stop`](Self::stop) returns), without stopping it: the signal path
    /// saves these when the process is told to end mid-exam, so SIGTERM or
    /// SIGHUP keep the answers as `q` does. Empty outside a running exam.
    pub fn kept_if_stopped(&self, now: u64) -> Vec<AnswerRecord> {
        if self.end.is_some() || self.mode != Mode::Exam {
            return Vec::new();
        }
        let mut s = self.clone();
        s.stop(now)
    }

    /// What stopping the exam at `now` records, without stopping it:
    /// the answers [`kept_if_stopped`](Self::kept_if_stopped) returns and
    /// the [`abandoned`](Self::abandoned) exam. `None` outside a running
    /// exam. The signal path saves this when the terminal closes mid-exam.
    pub fn abandon_if_stopped(&self, now: u64) -> Option<(Vec<AnswerRecord>, ExamRecord)> {
        if self.end.is_some() || self.mode != Mode::Exam {
            return None;
        }
        let mut s = self.clone();
        let kept = s.stop(now);
        s.abandoned().map(|exam| (kept, exam))
    }

    /// Adds the time on the question on screen to its total (exam).
    fn leave_current(&mut self, now: u64) {
        if self.mode == Mode::Exam
            && let Some(s) = self.spent.get_mut(self.current)
        {
            *s = s.saturating_add(now.saturating_sub(self.shown_at));
        }
        self.shown_at = now;
    }

    fn unanswered_record(&self, index: usize, seconds: u64, at: u64) -> AnswerRecord {
        AnswerRecord {
            question: self
                .items
                .get(index)
                .map(|i| i.question.id.clone())
                .unwrap_or_default(),
            at,
            mode: self.mode.name().to_string(),
            correct: false,
            quiz_started: Some(self.started_at),
            unanswered: true,
            seconds,
            ..AnswerRecord::default()
        }
    }

    fn record(&self, index: usize, given: &Given, seconds: u64, at: u64) -> AnswerRecord {
        let (chosen, verdict, reason) = match (&given.response, self.items.get(index)) {
            (Response::Choices(shown), Some(item)) => {
                let mut orig = item.to_original(shown);
                orig.sort_unstable();
                orig.dedup();
                (orig, None, None)
            }
            (Response::Policy { verdict, reason }, _) => (
                Vec::new(),
                Some(verdict.code().to_string()),
                reason.map(|r| r.code().to_string()),
            ),
            (Response::Choices(_), None) => (Vec::new(), None, None),
        };
        AnswerRecord {
            question: self
                .items
                .get(index)
                .map(|i| i.question.id.clone())
                .unwrap_or_default(),
            at,
            mode: self.mode.name().to_string(),
            chosen,
            verdict,
            reason,
            correct: given.correct,
            quiz_started: Some(self.started_at),
            unanswered: false,
            seconds,
            extra: serde_json::Map::new(),
        }
    }
}
