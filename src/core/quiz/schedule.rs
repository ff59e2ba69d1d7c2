//! Spaced repetition with SM-2, the algorithm Piotr Wozniak published for
//! SuperMemo 2 (1987; <https://super-memory.com/english/ol/sm2.htm>),
//! written here from its description.
//!
//! Each question has a card: `n` (right answers in a row), `I` (the current
//! interval in days) and `EF` (the easiness factor, starting at 2.5). An
//! answer is graded with a quality `q` from 0 to 5 (see [`quality`]), then:
//!
//! - if `q >= 3` (right): `I(1) = 1`, `I(2) = 6`, `I(n) = I(n-1) × EF` for
//!   `n > 2` (rounded to whole days, using `EF` before this answer's
//!   update), and `n` goes up by one;
//! - if `q < 3` (wrong): `n = 0` and `I = 1` (the card starts over);
//! - after every answer: `EF' = EF + (0.1 − (5 − q) × (0.08 + (5 − q) × 0.02))`,
//!   never below 1.3.
//!
//! The card is due `I` days after the answer. Two choices of ours: `EF` is
//! kept in thousandths (`ease_milli`), so it is exact in the progress file;
//! and a right answer to a card that is not yet due (the learner met it in
//! practice or an exam before its review day) leaves its schedule as it was,
//! so two right answers on one day do not jump the interval from 1 to 6
//! days. A wrong answer resets the card whenever it is given.
//!
//! Days are whole UTC days since 1970-01-01 ([`day_of`]): "due today" means
//! due on or before the current UTC day.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Seconds in a day.
pub const DAY: u64 = 86_400;

/// The starting easiness factor, in thousandths (2.5).
pub const START_EASE: u32 = 2_500;

/// The lowest easiness factor, in thousandths (1.3).
pub const MIN_EASE: u32 = 1_300;

/// The UTC day number (days since 1970-01-01) of a unix time in seconds.
pub fn day_of(unix_seconds: u64) -> u64 {
    unix_seconds / DAY
}

/// The SM-2 quality of a quiz answer: 4 ("right, after some thought") for
/// a right answer and 1 ("wrong, but the answer seemed familiar") for a
/// wrong one. A quiz cannot see how hard recall felt, so it uses the two
/// grades that keep `EF` steady on right answers and lower it clearly on
/// wrong ones.
pub fn quality(correct: bool) -> u8 {
    if correct { 4 } else { 1 }
}

/// The scheduling state of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// `n`: right answers in a row (reviews that counted).
    #[serde(default)]
    pub repetitions: u32,
    /// `I`: the current interval in days (0 before the first answer).
    #[serde(default)]
    pub interval_days: u32,
    /// `EF` × 1000.
    #[serde(default = "start_ease")]
    pub ease_milli: u32,
    /// The UTC day the question is due again.
    #[serde(default)]
    pub due_day: u64,
    /// The UTC day of the last answer.
    #[serde(default)]
    pub last_day: u64,
    /// How many times a right streak was broken by a wrong answer.
    #[serde(default)]
    pub lapses: u32,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn start_ease() -> u32 {
    START_EASE
}

impl Default for Card {
    fn default() -> Self {
        Card {
            repetitions: 0,
            interval_days: 0,
            ease_milli: START_EASE,
            due_day: 0,
            last_day: 0,
            lapses: 0,
            extra: Map::new(),
        }
    }
}

impl Card {
    /// Whether the card is due on UTC day `today` (or overdue).
    pub fn is_due(&self, today: u64) -> bool {
        self.due_day <= today
    }

    /// Applies one answer of quality `q` (0..=5; higher values count as 5)
    /// given on UTC day `day`.
    pub fn review(&mut self, q: u8, day: u64) {
        let q = q.min(5);
        if q >= 3 {
            let early = self.repetitions > 0 && day < self.due_day;
            if early {
                return;
            }
            self.interval_days = match self.repetitions {
                0 => 1,
                1 => 6,
                _ => {
                    let scaled = u64::from(self.interval_days) * u64::from(self.ease_milli) + 500;
                    u32::try_from(scaled / 1000).unwrap_or(u32::MAX).max(1)
                }
            };
            self.repetitions = self.repetitions.saturating_add(1);
        } else {
            if self.repetitions > 0 {
                self.lapses = self.lapses.saturating_add(1);
            }
            self.repetitions = 0;
            self.interval_days = 1;
        }
        // EF' = EF + (0.1 - (5-q)(0.08 + (5-q) 0.02)), in thousandths.
        let miss = i64::from(5 - q);
        let delta = 100 - miss * (80 + miss * 20);
        let ease = (i64::from(self.ease_milli) + delta).max(i64::from(MIN_EASE));
        self.ease_milli = u32::try_from(ease).unwrap_or(MIN_EASE);
        self.last_day = day;
        self.due_day = day.saturating_add(u64::from(self.interval_days));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(card: &mut Card, correct: bool, day: u64) -> (u32, u64, u32) {
        card.review(quality(correct), day);
        (card.interval_days, card.due_day, card.ease_milli)
    }

    #[test]
    fn right_answers_grow_the_interval_1_6_then_times_ease() {
        let mut c = Card::default();
        assert_eq!(answered(&mut c, true, 100), (1, 101, 2500));
        assert_eq!(answered(&mut c, true, 101), (6, 107, 2500));
        assert_eq!(answered(&mut c, true, 107), (15, 122, 2500));
        // 15 × 2.5 = 37.5, rounded to 38.
        assert_eq!(answered(&mut c, true, 122), (38, 160, 2500));
        assert_eq!(c.repetitions, 4);
    }

    #[test]
    fn a_wrong_answer_starts_over_and_lowers_the_ease() {
        let mut c = Card::default();
        answered(&mut c, true, 10);
        answered(&mut c, true, 11);
        // q = 1: EF + 0.1 - 4 × (0.08 + 4 × 0.02) = 2.5 - 0.54 = 1.96.
        assert_eq!(answered(&mut c, false, 17), (1, 18, 1960));
        assert_eq!((c.repetitions, c.lapses), (0, 1));
        // Back on the ladder: 1, 6, then 6 × 1.96 = 11.76 → 12.
        assert_eq!(answered(&mut c, true, 18), (1, 19, 1960));
        assert_eq!(answered(&mut c, true, 19), (6, 25, 1960));
        assert_eq!(answered(&mut c, true, 25), (12, 37, 1960));
    }

    #[test]
    fn ease_never_drops_below_1_3() {
        let mut c = Card::default();
        for day in 0..10 {
            answered(&mut c, false, day);
        }
        assert_eq!(c.ease_milli, MIN_EASE);
        assert_eq!((c.interval_days, c.due_day), (1, 10));
    }

    #[test]
    fn a_right_answer_before_the_due_day_changes_nothing() {
        let mut c = Card::default();
        answered(&mut c, true, 50);
        answered(&mut c, true, 51); // due on 57
        let before = c.clone();
        answered(&mut c, true, 53);
        assert_eq!(c, before);
        // But a wrong answer on an early day still resets it.
        assert_eq!(answered(&mut c, false, 53), (1, 54, 1960));
    }

    #[test]
    fn due_means_on_or_before_today() {
        let mut c = Card::default();
        c.review(quality(true), 200);
        assert!(!c.is_due(200));
        assert!(c.is_due(201));
        assert!(c.is_due(300));
        assert_eq!(day_of(201 * DAY + 3_599), 201);
    }

    #[test]
    fn top_quality_raises_the_ease() {
        let mut c = Card::default();
        c.review(5, 0);
        assert_eq!(c.ease_milli, 2600);
        c.review(9, 1); // clamped to 5
        assert_eq!(c.ease_milli, 2700);
    }
}
