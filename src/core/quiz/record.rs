//! What the quiz keeps in the progress file: every answer, the FSRS card of
//! each question (and of each missed checkpoint and drilled misconception),
//! the review settings, and each exam's result. Stored under the top-level `quiz`
//! field of [`Progress`](crate::core::progress::Progress), added without a
//! schema bump (older files load with an empty `quiz`; older keyshake
//! versions keep the field untouched). Modes, verdicts and reasons are
//! stored as strings so that a value written by a newer version never makes
//! the file unreadable.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::schedule::{Card, DEFAULT_RETENTION, Scheduler, day_of};
use crate::core::content::Pack;

/// The quiz part of the progress file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizProgress {
    /// Every answer ever given, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerRecord>,
    /// The review card of each question answered at least once, by id; a
    /// missed checkpoint is `checkpoint:<id>`, a drilled misconception
    /// `drill:<misconception-id>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schedule: BTreeMap<String, Card>,
    /// The desired retention the learner set (0.70 to 0.97; 0.9 if unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<f32>,
    /// The UTC day of the learner's exam, if set: review aims to have every
    /// card seen before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam_day: Option<u64>,
    /// The one-time move of SM-2 cards to FSRS, once it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<Migration>,
    /// Each submitted exam, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exams: Vec<ExamRecord>,
    /// Exams being taken: their answers so far, saved as each is given,
    /// so a crash or a signal loses none (see [`super::attempts`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_exams: Vec<super::attempts::OpenExam>,
    /// How many exams were started with each seed (the key is the seed
    /// in decimal), for the attempt limit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exam_attempts: BTreeMap<String, u32>,
    /// Exams left with `q` before submitting, oldest first: no score
    /// counts, but the instructor sees them (`abandoned` is set on each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abandoned: Vec<ExamRecord>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The move of a progress file's SM-2 review cards to FSRS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Migration {
    /// How many cards were converted.
    pub cards: usize,
    /// Whether the learner was told (the notice is shown once).
    #[serde(default)]
    pub noticed: bool,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer mode that reviews ahead without moving any card.
pub const CRAM_MODE: &str = "cram";

/// The schedule key of a checkpoint.
pub fn checkpoint_key(id: &str) -> String {
    format!("checkpoint:{id}")
}

/// The schedule key of a drilled misconception.
pub fn drill_key(misconception: &str) -> String {
    format!("drill:{misconception}")
}

/// One answer to a bank question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// The question id.
    pub question: String,
    /// When it was answered (unix seconds; for an exam, when submitted).
    pub at: u64,
    /// The quiz mode: `practice`, `exam`, `review` or `missed`.
    #[serde(default)]
    pub mode: String,
    /// Choice questions: the chosen choices as 0-based indexes in the
    /// question file's order (not the shuffled order shown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen: Vec<usize>,
    /// Policy questions: `allow` or `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// Policy questions that ask why: the reason code given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the answer was right.
    pub correct: bool,
    /// When the quiz this answer belongs to started (unix seconds): the
    /// quiz's identity, so later draws know which questions the last few
    /// quizzes asked. Absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz_started: Option<u64>,
    /// An exam question left unanswered at submission (counted wrong, so
    /// it goes into Missed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unanswered: bool,
    /// Seconds spent on the question.
    #[serde(default)]
    pub seconds: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Past this many answers, the history is compacted (see
/// [`QuizProgress::compact`]).
pub const MAX_ANSWERS: usize = 20_000;
/// How many answers compaction keeps (besides each question's first).
pub const KEEP_ANSWERS: usize = 15_000;

/// Right answers out of a number of questions. A file that claims more
/// right answers than questions does not read as a tally (the progress
/// store then drops that part and says so), so no screen shows 4294967295
/// of 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawTally")]
pub struct Tally {
    /// Questions answered right.
    pub right: u32,
    /// Questions asked.
    pub total: u32,
}

#[derive(Deserialize)]
struct RawTally {
    right: u32,
    total: u32,
}

impl TryFrom<RawTally> for Tally {
    type Error = String;
    fn try_from(raw: RawTally) -> Result<Self, String> {
        if raw.right > raw.total {
            return Err(format!("{} right out of {}", raw.right, raw.total));
        }
        Ok(Tally {
            right: raw.right,
            total: raw.total,
        })
    }
}

/// Reads a percentage, refusing one above 100.
fn percent_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = u32::deserialize(d)?;
    if value > 100 {
        return Err(serde::de::Error::custom(format!(
            "{value} is not a percentage"
        )));
    }
    Ok(value)
}

impl Tally {
    /// The share right, 0 to 100, rounded to the nearest integer (halves
    /// up; 0 for an empty tally). Whether an exam passed is decided on the
    /// exact share, not on this rounded one.
    pub fn percent(self) -> u32 {
        if self.total == 0 {
            0
        } else {
            let total = u64::from(self.total);
            let share = (u64::from(self.right) * 200 + total) / (2 * total);
            u32::try_from(share).unwrap_or(100)
        }
    }
}

/// The result of one submitted exam.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamRecord {
    /// When it started (unix seconds).
    pub started_at: u64,
    /// When it was submitted (unix seconds).
    pub at: u64,
    /// The seed it was built from, if known (`--seed` retakes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Question ids in the order asked.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Right answers out of all questions (unanswered count as wrong).
    pub score: Tally,
    /// The overall percentage, rounded to the nearest integer.
    #[serde(deserialize_with = "percent_field")]
    pub percent: u32,
    /// The pass mark in percent.
    #[serde(deserialize_with = "percent_field")]
    pub pass_mark: u32,
    /// Whether the score reached the pass mark.
    pub passed: bool,
    /// Per objective id: right out of the questions tagged with it.
    #[serde(default)]
    pub objectives: BTreeMap<String, Tally>,
    /// Whether the timer ran out (submitted automatically).
    #[serde(default)]
    pub auto_submitted: bool,
    /// The time allowed, in minutes (absent in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u64>,
    /// Left with `q` before it was submitted: `at` is when, and the score
    /// counts only the answers given (unanswered questions as wrong).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abandoned: bool,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The learner's quiz standing at a glance (both front ends show it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuizSummary {
    /// Questions due for review today (still in the bank).
    pub due_today: usize,
    /// Missed checkpoints due for review today.
    pub checkpoints_due: usize,
    /// Drilled misconceptions due for review today.
    pub drills_due: usize,
    /// The next UTC day a card falls due, when none is due today.
    pub next_due_day: Option<u64>,
    /// Questions with a card (answered at least once, still in the bank).
    pub learned: usize,
    /// Questions whose latest answer is wrong (still in the bank).
    pub missed: usize,
    /// Right first answers out of questions answered (still in the bank):
    /// a later right answer never raises it.
    pub first_try: Tally,
    /// The best exam: (percent, when submitted).
    pub best_exam: Option<(u32, u64)>,
    /// How many exams were submitted.
    pub exams_taken: usize,
    /// Per objective of the pack, in pack order: its score in the latest
    /// exam that asked about it (`None` if no exam did yet).
    pub last_by_objective: Vec<(String, String, Option<Tally>)>,
}

impl QuizProgress {
    /// Whether nothing was recorded (the field is then left out of the file).
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
            && self.schedule.is_empty()
            && self.exams.is_empty()
            && self.open_exams.is_empty()
            && self.exam_attempts.is_empty()
            && self.abandoned.is_empty()
            && self.extra.is_empty()
            && self.retention.is_none()
            && self.exam_day.is_none()
            && self.migration.is_none()
    }

    /// The desired retention in force (the learner's, or 0.9).
    pub fn desired_retention(&self) -> f32 {
        self.retention.unwrap_or(DEFAULT_RETENTION)
    }

    /// The scheduler for this learner's settings.
    pub fn scheduler(&self) -> Scheduler {
        Scheduler::new(self.desired_retention(), self.exam_day)
    }

    /// Records one answer and moves its card (a `cram` answer, given ahead
    /// of time, moves nothing).
    pub fn record_answer(&mut self, record: AnswerRecord) {
        if record.mode != CRAM_MODE {
            let scheduler = self.scheduler();
            self.schedule
                .entry(record.question.clone())
                .or_default()
                .review(record.correct, day_of(record.at), &scheduler);
        }
        self.answers.push(record);
        if self.answers.len() > MAX_ANSWERS {
            self.compact();
        }
    }

    /// Keeps the history bounded: drops the oldest answers until
    /// [`KEEP_ANSWERS`] remain, but never a question's first answer (first
    /// tries are what the scores and exports report) nor one of the last
    /// [`KEEP_ANSWERS`]. Each save rewrites the whole file, so an unbounded
    /// history would make every answer slower than the one before.
    pub fn compact(&mut self) {
        let excess = self.answers.len().saturating_sub(KEEP_ANSWERS);
        if excess == 0 {
            return;
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut dropped = 0;
        let answers = std::mem::take(&mut self.answers);
        self.answers = answers
            .into_iter()
            .filter(|a| {
                let first = seen.insert(a.question.clone());
                if first || dropped >= excess {
                    true
                } else {
                    dropped += 1;
                    false
                }
            })
            .collect();
    }

    /// A checkpoint answer at `now`: a wrong one puts the checkpoint on the
    /// review schedule; once there, every answer moves its card.
    pub fn schedule_checkpoint(&mut self, id: &str, correct: bool, now: u64) {
        let key = checkpoint_key(id);
        if correct && !self.schedule.contains_key(&key) {
            return;
        }
        let scheduler = self.scheduler();
        self.schedule
            .entry(key)
            .or_default()
            .review(correct, day_of(now), &scheduler);
    }

    /// Converts the SM-2 cards of an older file to FSRS (keeping their due
    /// days) and records it; returns how many were converted.
    pub fn migrate_sm2(&mut self) -> usize {
        let scheduler = self.scheduler();
        let moved = self
            .schedule
            .values_mut()
            .filter_map(|c| c.migrate_sm2(&scheduler).then_some(()))
            .count();
        if moved > 0 {
            let m = self.migration.get_or_insert_with(Migration::default);
            m.cards = m.cards.saturating_add(moved);
        }
        moved
    }

    /// The one-time notice about the move to FSRS, until it was shown.
    pub fn pending_notice(&self) -> Option<String> {
        let m = self.migration.as_ref().filter(|m| !m.noticed)?;
        let cards = if m.cards == 1 { "card" } else { "cards" };
        Some(format!(
            "Your review schedule now uses FSRS instead of SM-2: {} {cards} moved over, each keeping its due date (see docs/review.md).",
            m.cards
        ))
    }

    /// Records a submitted exam (its answers go through
    /// [`record_answer`](Self::record_answer) separately).
    pub fn record_exam(&mut self, exam: ExamRecord) {
        self.exams.push(exam);
    }

    /// Ids of questions due for review at `now` (unix seconds), in id order.
    pub fn due(&self, now: u64) -> Vec<&str> {
        let today = day_of(now);
        self.schedule
            .iter()
            .filter(|(_, card)| card.is_due(today))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The earliest day a card is due after today, if any (UTC day number).
    pub fn next_due_day(&self, now: u64) -> Option<u64> {
        let today = day_of(now);
        self.schedule
            .values()
            .map(|c| c.due_day)
            .filter(|d| *d > today)
            .min()
    }

    /// Ids of the questions asked in the learner's last `quizzes` quizzes.
    /// A quiz is known by its mode and start time; for answers from older
    /// files without a start time, a new quiz starts where the mode
    /// changes, a question repeats, or (in an exam) the time changes.
    pub fn recent_questions(&self, quizzes: usize) -> HashSet<&str> {
        let mut out = HashSet::new();
        let mut seen_in_run: HashSet<&str> = HashSet::new();
        let mut runs = 0;
        let mut prev: Option<&AnswerRecord> = None;
        for a in self.answers.iter().rev() {
            let new_run = match prev {
                None => true,
                Some(p) if p.quiz_started.is_some() || a.quiz_started.is_some() => {
                    p.mode != a.mode || p.quiz_started != a.quiz_started
                }
                Some(p) => {
                    p.mode != a.mode
                        || seen_in_run.contains(a.question.as_str())
                        || (a.mode == "exam" && p.at != a.at)
                }
            };
            if new_run {
                runs += 1;
                if runs > quizzes {
                    break;
                }
                seen_in_run.clear();
            }
            seen_in_run.insert(a.question.as_str());
            out.insert(a.question.as_str());
            prev = Some(a);
        }
        out
    }

    /// The first answer ever given to each question, by id (a later retry
    /// never changes a first-try score).
    pub fn first_answers(&self) -> HashMap<&str, &AnswerRecord> {
        let mut first = HashMap::new();
        for a in &self.answers {
            first.entry(a.question.as_str()).or_insert(a);
        }
        first
    }

    /// First-try score over the bank questions of `pack` answered at least
    /// once: right first answers out of questions answered.
    pub fn first_try(&self, pack: &Pack) -> Tally {
        let bank: HashSet<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
        let first = self.first_answers();
        let mut t = Tally::default();
        for (id, a) in first {
            if bank.contains(id) {
                t.total = t.total.saturating_add(1);
                t.right = t.right.saturating_add(u32::from(a.correct));
            }
        }
        t
    }

    /// Ids of questions whose latest answer was wrong, the most recently
    /// answered first. A question leaves the list once answered right.
    pub fn missed(&self) -> Vec<&str> {
        let mut latest: HashMap<&str, (usize, bool)> = HashMap::new();
        for (i, a) in self.answers.iter().enumerate() {
            latest.insert(a.question.as_str(), (i, a.correct));
        }
        let mut wrong: Vec<(usize, &str)> = latest
            .into_iter()
            .filter(|(_, (_, correct))| !correct)
            .map(|(id, (i, _))| (i, id))
            .collect();
        wrong.sort_by_key(|w| std::cmp::Reverse(w.0));
        wrong.into_iter().map(|(_, id)| id).collect()
    }

    /// The quiz summary at `now`, counting only questions and
    /// objectives that are in `pack`.
    pub fn summary(&self, pack: &Pack, now: u64) -> QuizSummary {
        let bank: HashSet<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
        let best_exam = self
            .exams
            .iter()
            // A hand-edited file may say 4294967295 %: never shown above 100.
            .map(|e| (e.percent.min(100), e.at))
            // Highest score; among equal scores the earliest.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let last_by_objective = pack
            .objectives
            .iter()
            .map(|o| {
                let last = self
                    .exams
                    .iter()
                    .rev()
                    .find_map(|e| e.objectives.get(&o.id).copied());
                (o.id.clone(), o.title.clone(), last)
            })
            .collect();
        QuizSummary {
            due_today: self.due(now).iter().filter(|id| bank.contains(*id)).count(),
            checkpoints_due: self
                .due(now)
                .iter()
                .filter(|id| id.starts_with("checkpoint:"))
                .count(),
            drills_due: self
                .due(now)
                .iter()
                .filter(|id| id.starts_with("drill:"))
                .count(),
            next_due_day: self.next_due_day(now),
            learned: self
                .schedule
                .keys()
                .filter(|id| bank.contains(id.as_str()))
                .count(),
            missed: self.missed().iter().filter(|id| bank.contains(*id)).count(),
            first_try: self.first_try(pack),
            best_exam,
            exams_taken: self.exams.len(),
            last_by_objective,
        }
    }
}

#[cfg(test)]
mod tests;
