//! Spaced repetition with FSRS-6, the Free Spaced Repetition Scheduler of
//! the open-spaced-repetition project (the scheduler Anki uses by default;
//! <https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm>),
//! through its own Rust crate `fsrs` with its default parameters.
//!
//! Each card keeps a memory state: its stability `S` (days until the chance
//! of recall falls to 90%) and its difficulty `D` (1 to 10). An answer is a
//! grade: a right answer is "Good" (3) and a wrong one "Again" (1); a quiz
//! cannot see how hard recall felt, so it uses neither "Hard" nor "Easy".
//! The crate turns the state, the grade and the days since the last answer
//! into the next state, and the next interval: the days until the chance of
//! recall falls to the learner's desired retention (0.9 unless set; see
//! [`RETENTION_RANGE`]). The card is due that many days (rounded, at least
//! one) after the answer.
//!
//! Two rules of ours on top:
//! - an exam date ([`Scheduler::exam_day`]) caps every due day at the day
//!   before the exam, so each card comes up again before it;
//! - cards written by the SM-2 scheduler of older keyshake versions are
//!   converted once ([`Card::migrate_sm2`]), keeping their due day.
//!
//! Days are whole UTC days since 1970-01-01 ([`day_of`]): "due today" means
//! due on or before the current UTC day.

use fsrs::{FSRS, MemoryState};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Seconds in a day.
pub const DAY: u64 = 86_400;

/// The desired retention when the learner set none.
pub const DEFAULT_RETENTION: f32 = 0.9;

/// The desired retention a learner may set, in hundredths (0.70 to 0.97):
/// below it reviews come too late to be worth much, above it the reviews
/// multiply for little gain.
pub const RETENTION_RANGE: std::ops::RangeInclusive<u32> = 70..=97;

/// The forgetting curve's decay of FSRS-6's default parameters (`w20`).
pub const DECAY: f32 = fsrs::FSRS6_DEFAULT_DECAY;

/// The UTC day number (days since 1970-01-01) of a unix time in seconds.
pub fn day_of(unix_seconds: u64) -> u64 {
    unix_seconds / DAY
}

/// `YYYY-MM-DD` of a UTC day number (days since 1970-01-01).
pub fn date_of_day(day: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm, for days >= 0.
    let z = i64::try_from(day).unwrap_or(i64::MAX / 2) + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC day number of a `YYYY-MM-DD` date (1970 or later); `None`
/// for anything else, including days that do not exist (2027-02-30).
pub fn day_of_date(text: &str) -> Option<u64> {
    let mut parts = text.trim().splitn(3, '-');
    let mut next = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<i64>().ok())
    };
    let (y, m, d) = (next(4)?, next(2)?, next(2)?);
    let days = crate::core::policy::condition::value::date::days_from_civil(y, m, d);
    let day = u64::try_from(days).ok()?;
    // A day out of its month comes back as another date: refused.
    (date_of_day(day) == format!("{y:04}-{m:02}-{d:02}")).then_some(day)
}

/// The FSRS grade of a quiz answer: 3 ("Good") when right, 1 ("Again")
/// when wrong.
pub fn grade(correct: bool) -> u32 {
    if correct { 3 } else { 1 }
}

/// What the schedule of every card depends on besides its own answers.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    /// The chance of recall at which a card falls due (0.70..=0.97).
    pub retention: f32,
    /// The UTC day of the learner's exam, if set.
    pub exam_day: Option<u64>,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler::new(DEFAULT_RETENTION, None)
    }
}

impl Scheduler {
    /// A scheduler aiming at `retention` (clamped to [`RETENTION_RANGE`])
    /// with an optional exam day.
    pub fn new(retention: f32, exam_day: Option<u64>) -> Self {
        let lo = *RETENTION_RANGE.start() as f32 / 100.0;
        let hi = *RETENTION_RANGE.end() as f32 / 100.0;
        let retention = if retention.is_finite() {
            retention.clamp(lo, hi)
        } else {
            DEFAULT_RETENTION
        };
        Scheduler {
            fsrs: FSRS::default(),
            retention,
            exam_day,
        }
    }

    /// The due day of an answer given on `day` with an interval of
    /// `interval` days (before the exam cap).
    fn due(&self, day: u64, interval: f32) -> u64 {
        let days = if interval.is_finite() {
            // Whole days, at least one; an absurd stability stays bounded.
            interval.round().clamp(1.0, 36_500.0) as u64
        } else {
            1
        };
        let due = day.saturating_add(days);
        match self.exam_day {
            Some(exam) if day < exam => due.min(exam.saturating_sub(1).max(day + 1)),
            _ => due,
        }
    }
}

/// The scheduling state of one card (a bank question, a missed checkpoint
/// or a drilled misconception).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// FSRS stability in days (`None` on a card not yet converted from SM-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability: Option<f32>,
    /// FSRS difficulty, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f32>,
    /// Answers that moved the card.
    #[serde(default)]
    pub repetitions: u32,
    /// The UTC day the card is due again.
    #[serde(default)]
    pub due_day: u64,
    /// The UTC day of the last answer.
    #[serde(default)]
    pub last_day: u64,
    /// Wrong answers after the first.
    #[serde(default)]
    pub lapses: u32,
    /// SM-2 (older versions): the interval in days; removed by migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_days: Option<u32>,
    /// SM-2 (older versions): the easiness factor × 1000; removed by
    /// migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ease_milli: Option<u32>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Card {
    fn default() -> Self {
        Card {
            stability: None,
            difficulty: None,
            repetitions: 0,
            due_day: 0,
            last_day: 0,
            lapses: 0,
            interval_days: None,
            ease_milli: None,
            extra: Map::new(),
        }
    }
}

impl Card {
    /// Whether the card is due on UTC day `today` (or overdue).
    pub fn is_due(&self, today: u64) -> bool {
        self.due_day <= today
    }

    /// The card's FSRS memory state, once it has one.
    pub fn memory(&self) -> Option<MemoryState> {
        match (self.stability, self.difficulty) {
            (Some(stability), Some(difficulty))
                if stability.is_finite() && stability > 0.0 && difficulty.is_finite() =>
            {
                Some(MemoryState {
                    stability,
                    difficulty,
                })
            }
            _ => None,
        }
    }

    /// Whether the card was written by the SM-2 scheduler and not converted.
    pub fn is_sm2(&self) -> bool {
        self.stability.is_none() && (self.ease_milli.is_some() || self.interval_days.is_some())
    }

    /// Converts an SM-2 card to an FSRS memory state (the crate's
    /// approximation from the ease factor and interval, taking SM-2's
    /// retention as 0.9), keeping its due day. Returns whether it changed.
    pub fn migrate_sm2(&mut self, scheduler: &Scheduler) -> bool {
        if !self.is_sm2() {
            return false;
        }
        let ease = self.ease_milli.take().unwrap_or(2_500).max(1_300) as f32 / 1000.0;
        let interval = self.interval_days.take().unwrap_or(0);
        if self.repetitions == 0 && interval == 0 {
            // Never answered right: it starts as a new card on its due day.
            return true;
        }
        if let Ok(m) = scheduler
            .fsrs
            .memory_state_from_sm2(ease, interval.max(1) as f32, 0.9)
        {
            self.stability = Some(m.stability);
            self.difficulty = Some(m.difficulty);
        }
        true
    }

    /// The chance of recalling the card `day` (UTC day) — FSRS's
    /// retrievability; `None` before the first answer.
    pub fn retrievability(&self, day: u64) -> Option<f32> {
        let m = self.memory()?;
        let elapsed = day.saturating_sub(self.last_day) as f32;
        Some(fsrs::current_retrievability(m, elapsed, DECAY))
    }

    /// Applies one answer given on UTC day `day`.
    pub fn review(&mut self, correct: bool, day: u64, scheduler: &Scheduler) {
        self.migrate_sm2(scheduler);
        let state = self.memory();
        let elapsed = if state.is_some() {
            u32::try_from(day.saturating_sub(self.last_day)).unwrap_or(u32::MAX)
        } else {
            0
        };
        let next = scheduler
            .fsrs
            .next_states(state, scheduler.retention, elapsed)
            .or_else(|_| scheduler.fsrs.next_states(None, scheduler.retention, 0));
        let Ok(next) = next else {
            // Only an invalid state gets here; the card starts over tomorrow.
            *self = Card {
                extra: std::mem::take(&mut self.extra),
                ..Card::default()
            };
            self.last_day = day;
            self.due_day = day.saturating_add(1);
            return;
        };
        let chosen = if correct { next.good } else { next.again };
        if !correct && self.repetitions > 0 {
            self.lapses = self.lapses.saturating_add(1);
        }
        self.repetitions = self.repetitions.saturating_add(1);
        self.stability = Some(chosen.memory.stability);
        self.difficulty = Some(chosen.memory.difficulty);
        self.last_day = day;
        self.due_day = scheduler.due(day, chosen.interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f32>, b: f32) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-3)
    }

    /// The crate documents the first states of a new card under its default
    /// parameters (`FSRS::next_states`): Good gives S = 2.3065,
    /// D = 2.118104; Again gives S = 0.212, D = 6.4133.
    #[test]
    fn a_first_answer_takes_the_documented_fsrs_6_state() {
        let s = Scheduler::default();
        let mut right = Card::default();
        right.review(true, 1_000, &s);
        assert!(close(right.stability, 2.3065) && close(right.difficulty, 2.118104));
        assert_eq!(right.due_day, 1_002, "2.3065 days round to 2");
        let mut wrong = Card::default();
        wrong.review(false, 1_000, &s);
        assert!(close(wrong.stability, 0.212) && close(wrong.difficulty, 6.4133));
        assert_eq!(
            (wrong.due_day, wrong.lapses),
            (1_001, 0),
            "at least one day"
        );
    }

    /// A scripted history answered on each due day: right, right, right,
    /// wrong, right, right. Stabilities as the crate's `next_states` gives them
    /// at retention 0.9 (checked against it in a scratch program).
    #[test]
    fn a_scripted_history_follows_fsrs_6() {
        let s = Scheduler::default();
        let mut c = Card::default();
        let mut day = 500;
        let mut seen = Vec::new();
        for correct in [true, true, true, false, true, true] {
            c.review(correct, day, &s);
            seen.push((c.stability.unwrap_or(0.0), c.due_day - day));
            day = c.due_day;
        }
        let want = [
            (2.3065, 2),
            (10.9643, 11),
            (46.2803, 46),
            (2.9326, 3),
            (7.7782, 8),
            (18.7816, 19),
        ];
        for ((s_got, d_got), (s_want, d_want)) in seen.iter().zip(want) {
            assert!((s_got - s_want).abs() < 0.01, "{seen:?}");
            assert_eq!(*d_got, d_want, "{seen:?}");
        }
        assert_eq!((c.repetitions, c.lapses), (6, 1));
    }

    #[test]
    fn a_lower_retention_spaces_reviews_further() {
        let mut c9 = Card::default();
        let mut c7 = Card::default();
        let (s9, s7) = (Scheduler::new(0.9, None), Scheduler::new(0.7, None));
        for day in [0, 3, 14] {
            c9.review(true, day, &s9);
            c7.review(true, day, &s7);
        }
        assert!(c7.due_day - c7.last_day > c9.due_day - c9.last_day);
    }

    #[test]
    fn an_exam_date_caps_the_due_day_before_it() {
        let s = Scheduler::new(0.9, Some(110));
        let mut c = Card::default();
        c.review(true, 100, &s);
        c.review(true, c.due_day, &s);
        assert_eq!(c.due_day, 109, "capped at the day before the exam");
        // After the exam the cap no longer applies.
        c.review(true, 111, &s);
        assert!(c.due_day > 112);
    }

    #[test]
    fn an_sm2_card_converts_keeping_its_due_day() {
        let s = Scheduler::default();
        let mut c = Card {
            repetitions: 3,
            interval_days: Some(15),
            ease_milli: Some(2_360),
            due_day: 777,
            last_day: 762,
            ..Card::default()
        };
        assert!(c.is_sm2());
        assert!(c.migrate_sm2(&s));
        assert_eq!(c.due_day, 777);
        assert!((c.stability.unwrap_or(0.0) - 15.0).abs() < 0.01);
        assert!(c.difficulty.is_some_and(|d| (1.0..=10.0).contains(&d)));
        assert_eq!((c.interval_days, c.ease_milli), (None, None));
        assert!(!c.migrate_sm2(&s), "only once");
    }

    #[test]
    fn due_means_on_or_before_today() {
        let mut c = Card::default();
        c.review(true, 200, &Scheduler::default());
        assert!(!c.is_due(201));
        assert!(c.is_due(202));
        assert_eq!(day_of(201 * DAY + 3_599), 201);
    }

    #[test]
    fn retrievability_is_the_retention_on_the_due_day() {
        let mut c = Card::default();
        c.review(true, 0, &Scheduler::default());
        c.review(true, c.due_day, &Scheduler::default());
        let s = c.stability.unwrap_or(0.0);
        let r = c
            .retrievability(c.last_day + s.round() as u64)
            .unwrap_or(0.0);
        assert!((r - 0.9).abs() < 0.01, "{r}");
        assert!(c.retrievability(c.last_day).is_some_and(|r| r > 0.99));
    }
}

#[cfg(test)]
mod properties {
    use super::*;

    proptest::proptest! {
        /// Any history of answers on any days, at any allowed retention and
        /// exam day: the card is always due after its last answer, its
        /// memory state stays finite and in range, and before the exam it
        /// is never due after the exam's eve.
        #[test]
        fn every_history_keeps_a_sane_card(
            answers in proptest::collection::vec((proptest::bool::ANY, 0u64..400), 1..40),
            retention in 70u32..=97,
            exam in proptest::option::of(0u64..2_000),
        ) {
            let s = Scheduler::new(retention as f32 / 100.0, exam);
            let mut c = Card::default();
            let mut day = 1_000;
            for (correct, gap) in answers {
                day += gap;
                c.review(correct, day, &s);
                proptest::prop_assert!(c.due_day > c.last_day);
                proptest::prop_assert_eq!(c.last_day, day);
                let st = c.stability.unwrap_or(-1.0);
                proptest::prop_assert!(st.is_finite() && st > 0.0);
                let d = c.difficulty.unwrap_or(-1.0);
                proptest::prop_assert!((1.0..=10.0).contains(&d));
                if let Some(e) = exam.filter(|e| day + 1 < *e) {
                    proptest::prop_assert!(c.due_day < e);
                }
            }
        }
    }
}
