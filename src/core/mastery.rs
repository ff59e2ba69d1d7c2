//! What the learner knows: per objective and per drilled misconception, a
//! score from first attempts (checkpoints, bank questions, drills, labs)
//! with recency weighting; the FSRS retention forecast; and what to study
//! next. Both front ends show these figures (the TUI's mastery screen and
//! course map, `keyshake progress`).
//!
//! The weighting: each first attempt counts with weight
//! `0.5 ^ (age in days / 30)` — an attempt today counts 1, one 30 days old
//! ½, one 60 days old ¼ — so the score follows what the learner knows now
//! rather than what they knew at the start. A score is the weighted share
//! of right first attempts, 0 to 100, rounded to the nearest integer.
//! Only first attempts count: a retry after seeing the answer shows little.

mod evidence;
mod forecast;
mod next;

use std::collections::BTreeMap;

pub use evidence::{Evidence, Source, gather};
pub use forecast::{FORECAST_DAYS, forecast};
pub use next::{Next, Target, study_next};

use crate::core::content::Pack;
use crate::core::progress::Progress;
use crate::core::quiz::schedule::day_of;

/// Days after which an attempt counts half.
pub const HALF_LIFE_DAYS: f64 = 30.0;

/// A score at or above this is shown as mastered (the exam pass mark is
/// 72%; mastery asks a little more).
pub const MASTERED: u32 = 80;

/// What the mastery figures know of one drilled misconception (from the
/// drill catalog; a drill answer whose misconception is not listed is
/// still shown, under its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisconceptionInfo {
    /// Its id (drill answers are keyed `drill:<id>`).
    pub id: String,
    /// A short title.
    pub title: String,
    /// The objective it belongs to.
    pub objective: String,
}

/// One bar: an objective or a misconception.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Objective or misconception id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The weighted score, 0 to 100 (`None` with no attempt yet).
    pub score: Option<u32>,
    /// First attempts counted.
    pub attempts: u32,
    /// First attempts right (unweighted).
    pub right: u32,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Mastery {
    /// Per objective, in pack order.
    pub objectives: Vec<Bar>,
    /// Per drilled misconception, in catalog order, then by id.
    pub misconceptions: Vec<Bar>,
    /// Over every first attempt.
    pub overall: Bar,
    /// Expected recall over the review cards, in percent, for today and
    /// each of the next days (empty with no card yet).
    pub forecast: Vec<u32>,
    /// What to study next.
    pub next: Option<Next>,
}

impl Mastery {
    /// The figures for `progress` in `pack` at `now` (unix seconds);
    /// `catalog` names the drill misconceptions.
    pub fn new(pack: &Pack, progress: &Progress, catalog: &[MisconceptionInfo], now: u64) -> Self {
        let today = day_of(now);
        let evidence = gather(pack, progress, catalog);
        let mut by_objective: BTreeMap<&str, Acc> = BTreeMap::new();
        let mut by_misconception: BTreeMap<&str, Acc> = BTreeMap::new();
        let mut overall = Acc::default();
        for e in &evidence {
            let w = weight(today, e.day);
            overall.add(w, e.correct);
            for o in &e.objectives {
                by_objective
                    .entry(o.as_str())
                    .or_default()
                    .add(w, e.correct);
            }
            if let Some(m) = &e.misconception {
                by_misconception
                    .entry(m.as_str())
                    .or_default()
                    .add(w, e.correct);
            }
        }
        let objectives: Vec<Bar> = pack
            .objectives
            .iter()
            .map(|o| {
                by_objective
                    .get(o.id.as_str())
                    .copied()
                    .unwrap_or_default()
                    .bar(&o.id, &o.title)
            })
            .collect();
        let mut misconceptions: Vec<Bar> = catalog
            .iter()
            .filter_map(|m| {
                by_misconception
                    .get(m.id.as_str())
                    .map(|a| a.bar(&m.id, &m.title))
            })
            .collect();
        for (id, acc) in &by_misconception {
            if !catalog.iter().any(|m| m.id == *id) {
                misconceptions.push(acc.bar(id, id));
            }
        }
        let next = study_next(pack, progress, &objectives, &misconceptions, catalog);
        Mastery {
            objectives,
            misconceptions,
            overall: overall.bar("overall", "Overall"),
            forecast: forecast(&progress.quiz, today),
            next,
        }
    }

    /// The overall score and how many objectives are mastered.
    pub fn score_line(&self) -> String {
        let score = match self.overall.score {
            Some(s) => format!("{s}% over {} first attempts", self.overall.attempts),
            None => "no attempts yet".to_string(),
        };
        let mastered = self
            .objectives
            .iter()
            .filter(|b| b.score.is_some_and(|s| s >= MASTERED))
            .count();
        format!(
            "Mastery: {score}, {mastered} of {} objectives at {MASTERED}% or more",
            self.objectives.len()
        )
    }

    /// The top line the course map and `keyshake progress` show: the
    /// score line and what to study next.
    pub fn top_line(&self) -> String {
        let next = self
            .next
            .as_ref()
            .map(|n| format!("; next: {}", n.label))
            .unwrap_or_default();
        format!("{}{next}", self.score_line())
    }
}

/// The weight of an attempt on `day` seen from `today`.
pub fn weight(today: u64, day: u64) -> f64 {
    let age = today.saturating_sub(day) as f64;
    0.5f64.powf(age / HALF_LIFE_DAYS)
}

/// Weighted right and total, with the plain counts.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    right_w: f64,
    total_w: f64,
    right: u32,
    attempts: u32,
}

impl Acc {
    fn add(&mut self, w: f64, correct: bool) {
        self.total_w += w;
        self.attempts = self.attempts.saturating_add(1);
        if correct {
            self.right_w += w;
            self.right = self.right.saturating_add(1);
        }
    }

    fn bar(&self, id: &str, title: &str) -> Bar {
        let score = (self.attempts > 0 && self.total_w > 0.0).then(|| {
            (self.right_w / self.total_w * 100.0)
                .round()
                .clamp(0.0, 100.0) as u32
        });
        Bar {
            id: id.to_string(),
            title: title.to_string(),
            score,
            attempts: self.attempts,
            right: self.right,
        }
    }
}

#[cfg(test)]
mod tests;
